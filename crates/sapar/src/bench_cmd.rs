//! `sapar bench`: throughput measured against a baseline in the same run.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_store::Store;

use crate::ingest::{self, Format};
use crate::sample::{self, SampleSpec};

#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// Border ingest: generated crossings parsed, validated, matched to persons by document,
    /// stored with person state and daily statistics — against a bare batched INSERT (SQLite) or
    /// COPY (PostgreSQL) of the same rows into an unindexed table.
    Ingest(IngestArgs),
}

#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Number of crossings to generate (approximately: whole travellers are generated).
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// Database to ingest into; default: a fresh SQLite file in a temporary folder.
    /// A PostgreSQL database must be empty of Sapar tables or be a fresh schema.
    #[arg(long)]
    db: Option<String>,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

/// Peak resident memory of this process so far, in MiB (Linux; 0 elsewhere).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

#[derive(Debug, serde::Serialize)]
struct IngestFigures {
    backend: &'static str,
    rows: u64,
    persons: u64,
    sapar_seconds: f64,
    sapar_rows_per_second: f64,
    baseline: &'static str,
    baseline_seconds: f64,
    baseline_rows_per_second: f64,
    ratio_to_baseline: f64,
    peak_rss_mib: f64,
}

pub(crate) fn run(cmd: BenchCommand) -> anyhow::Result<ExitCode> {
    let BenchCommand::Ingest(args) = cmd;
    let dir = tempfile_dir()?;
    let csv_path = dir.join("crossings.csv");
    // About eight crossings per traveller over the generated two years.
    let persons = (args.rows / 8).max(1) as usize;
    let spec = SampleSpec {
        persons,
        seed: args.seed,
        from: jiff::civil::date(2024, 1, 1),
        until: jiff::civil::date(2025, 12, 31),
    };
    eprintln!("generating about {} crossings ...", args.rows);
    let file = std::fs::File::create(&csv_path)?;
    let rows = sample::write_csv(spec, std::io::BufWriter::with_capacity(1 << 20, file))?;
    let db = args.db.clone().unwrap_or_else(|| format!("sqlite:{}", dir.join("bench.db").display()));

    let figures = crate::runtime()?.block_on(async {
        let store = Store::open(&db).await.with_context(|| format!("opening {db}"))?;
        eprintln!("ingesting {rows} crossings into {} ...", store.backend());
        let started = Instant::now();
        let input = std::fs::File::open(&csv_path)?;
        let (summary, rejects) = ingest::import(&store, input, Format::Csv, jiff::Timestamp::now(), |_, _| {}).await?;
        let sapar_seconds = started.elapsed().as_secs_f64();
        anyhow::ensure!(
            rejects.is_empty(),
            "the generated sample had {} rejected rows: {:?}",
            rejects.len(),
            rejects.first()
        );
        let peak = peak_rss_mib();
        eprintln!("baseline ...");
        let (baseline, baseline_seconds) = match &store {
            Store::Sqlite(_) => {
                ("batched INSERT into a bare SQLite table", sqlite_baseline(&dir.join("baseline.db"), &csv_path)?)
            }
            Store::Postgres(_) => ("COPY into a bare PostgreSQL table", postgres_baseline(&db, &csv_path).await?),
        };
        Ok::<_, anyhow::Error>(IngestFigures {
            backend: store.backend(),
            rows,
            persons: summary.persons_created,
            sapar_seconds,
            sapar_rows_per_second: rows as f64 / sapar_seconds,
            baseline,
            baseline_seconds,
            baseline_rows_per_second: rows as f64 / baseline_seconds,
            ratio_to_baseline: baseline_seconds / sapar_seconds,
            peak_rss_mib: peak,
        })
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!("backend            {}", figures.backend);
        println!("crossings          {} ({} persons)", figures.rows, figures.persons);
        println!(
            "sapar ingest       {:.2} s  {:>10.0} crossings/s",
            figures.sapar_seconds, figures.sapar_rows_per_second
        );
        println!(
            "baseline           {:.2} s  {:>10.0} rows/s  ({})",
            figures.baseline_seconds, figures.baseline_rows_per_second, figures.baseline
        );
        println!("sapar / baseline   {:.0} %", figures.ratio_to_baseline * 100.0);
        println!("peak memory        {:.0} MiB (during sapar ingest)", figures.peak_rss_mib);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("sapar-bench-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The same CSV rows inserted as text into an unindexed table, 4096 per transaction.
fn sqlite_baseline(path: &std::path::Path, csv_path: &std::path::Path) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
    let columns = ingest::STRUCTURED_COLUMNS.join(" TEXT, ");
    conn.execute_batch(&format!("CREATE TABLE bare ({columns} TEXT)"))?;
    let placeholders = vec!["?"; ingest::STRUCTURED_COLUMNS.len()].join(", ");
    let sql = format!("INSERT INTO bare VALUES ({placeholders})");
    let mut reader = csv::Reader::from_path(csv_path)?;
    let mut record = csv::StringRecord::new();
    let mut done = false;
    while !done {
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(&sql)?;
            for _ in 0..ingest::BATCH_ROWS {
                if !reader.read_record(&mut record)? {
                    done = true;
                    break;
                }
                stmt.execute(rusqlite::params_from_iter(record.iter()))?;
            }
        }
        tx.commit()?;
    }
    Ok(started.elapsed().as_secs_f64())
}

/// The same CSV file streamed with COPY into an unindexed table.
async fn postgres_baseline(url: &str, csv_path: &std::path::Path) -> anyhow::Result<f64> {
    use futures_util::SinkExt;
    use tokio::io::AsyncReadExt;
    let started = Instant::now();
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let connection = tokio::spawn(connection);
    let columns = ingest::STRUCTURED_COLUMNS.join(" TEXT, ");
    client.batch_execute(&format!("DROP TABLE IF EXISTS bench_bare; CREATE TABLE bench_bare ({columns} TEXT)")).await?;
    let sink = client.copy_in("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)").await?;
    let mut sink = std::pin::pin!(sink);
    let mut file = tokio::fs::File::open(csv_path).await?;
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        sink.send(bytes::Bytes::copy_from_slice(&buffer[..n])).await?;
    }
    sink.as_mut().finish().await?;
    let elapsed = started.elapsed().as_secs_f64();
    client.batch_execute("DROP TABLE bench_bare").await?;
    drop(client);
    let _ = connection.await;
    Ok(elapsed)
}
