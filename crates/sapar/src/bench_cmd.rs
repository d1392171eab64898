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
    /// Overstayer sweep: a register of persons with open stays (bulk-written to a temporary
    /// SQLite file), then the store load, the engine and the draft recording timed separately.
    Sweep(SweepArgs),
    /// Exchange: signed requests between two nodes over mutual TLS on loopback, stored and
    /// answered with a verified receipt — against the same payload posted to a bare endpoint.
    Exchange(crate::bench_exchange::ExchangeArgs),
    /// Person search: generated persons with names in both scripts recorded through the batch
    /// path (name index included), then officers' searches through the register, with their
    /// latency percentiles.
    Search(crate::bench_search::SearchArgs),
    /// Border check: generated persons recorded as for `search`, then border checks through the
    /// register (holder, candidates scored by the linkage model, violations, stay, access log),
    /// with their latency percentiles.
    BorderCheck(crate::bench_border::BorderCheckArgs),
    /// Hit/no-hit: a partner's queries answered automatically by a node whose register holds
    /// generated persons, with the latency percentiles from receipt to the signed answer.
    Hit(crate::bench_hit::HitArgs),
    /// Migrant cards: each card sealed and drawn as a QR PNG, then each verified, with their
    /// latency percentiles.
    Cards(crate::bench_card::CardsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    /// Number of persons in the country.
    #[arg(long, default_value_t = 1_000_000)]
    persons: u32,
    /// Share (0 to 1) of the persons in the country for more than 30 days who hold a temporary
    /// residence permit covering their stay. 0 leaves every long stay to the short-stay limits:
    /// nearly half the register then overstays, a backlog rather than a night.
    #[arg(long, default_value_t = 0.9, value_parser = share)]
    permit_share: f64,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{text:?} is not a share from 0 to 1")),
    }
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
pub(crate) fn peak_rss_mib() -> f64 {
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
    match cmd {
        BenchCommand::Ingest(args) => ingest(args),
        BenchCommand::Sweep(args) => sweep(args),
        BenchCommand::Exchange(args) => crate::bench_exchange::run(args),
        BenchCommand::Search(args) => crate::bench_search::run(args),
        BenchCommand::Hit(args) => crate::bench_hit::run(args),
        BenchCommand::BorderCheck(args) => crate::bench_border::run(args),
        BenchCommand::Cards(args) => crate::bench_card::run(args),
    }
}

fn ingest(args: IngestArgs) -> anyhow::Result<ExitCode> {
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
        let mut first_reject = None;
        let options = ingest::ReadOptions::new(Format::Csv);
        let on_reject = |r: &ingest::Reject| {
            first_reject.get_or_insert_with(|| r.clone());
            Ok(())
        };
        let register = sapar_register::Register::with_embedded_rules(store.clone())?;
        let importer = sapar_register::Actor::new("sapar bench ingest", sapar_model::Role::Admin);
        let now = register.now();
        let summary = ingest::import(&register, &importer, input, options, now, on_reject, |_, _| {}).await?;
        let sapar_seconds = started.elapsed().as_secs_f64();
        anyhow::ensure!(
            summary.rejected == 0,
            "the generated sample had {} rejected rows: {:?}",
            summary.rejected,
            first_reject
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

pub(crate) fn tempfile_dir() -> anyhow::Result<PathBuf> {
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

#[derive(Debug, serde::Serialize)]
struct SweepFigures {
    persons: u32,
    crossings: u64,
    /// Persons holding a permit that covers their stay.
    permits: u64,
    setup_seconds: f64,
    first_run: serde_json::Value,
    second_run: serde_json::Value,
    /// The day after: overstays already recorded add nothing, new ones are drafted.
    next_night: serde_json::Value,
    /// Mean time of one person's stay answer as the stay endpoint computes it (the register's
    /// use case: resolve the id, read the person and their crossings, run the engine), without
    /// HTTP.
    stay_lookup_micros: f64,
    peak_rss_mib: f64,
}

/// Citizenships of the generated persons in Kazakhstan: EAEU states (90 in any 180 days) and a
/// visa-free state (30 days per entry as well).
const SWEEP_CITIZENSHIPS: [sapar_model::Country; 4] =
    [sapar_model::Country::KGZ, sapar_model::Country::UZB, sapar_model::Country::RUS, sapar_model::Country::ARM];

fn sweep(args: SweepArgs) -> anyhow::Result<ExitCode> {
    let dir = tempfile_dir()?;
    let path = dir.join("sweep.db");
    let on = jiff::civil::date(2025, 9, 1);
    eprintln!("writing {} persons with open stays ...", args.persons);
    let started = Instant::now();
    drop(sapar_store::SqliteStore::open(&path)?);
    let (crossings, permits) = write_open_stays(&path, args.persons, args.permit_share, on, args.seed)?;
    let setup_seconds = started.elapsed().as_secs_f64();
    // Reset the peak-memory mark (Linux), so the figure is the sweep's and not the setup's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let url = format!("sqlite:{}", path.display());
    let (first_run, second_run, next_night, stay_lookup_micros) = crate::runtime()?.block_on(async {
        let (_, register) = crate::config::open_register(&url, "KAZ").await?;
        let operator = sapar_register::Actor::new("sapar bench sweep", sapar_model::Role::Admin);
        eprintln!("sweeping ...");
        let first = register.sweep_overstays(&operator, Some(on)).await?;
        eprintln!("sweeping the same date again ...");
        let second = register.sweep_overstays(&operator, Some(on)).await?;
        eprintln!("sweeping the next night ...");
        let third = register.sweep_overstays(&operator, Some(on.tomorrow()?)).await?;
        eprintln!("one-person stay answers ...");
        let lookup = stay_lookup_micros(&register, &path, on, args.persons).await?;
        let json = crate::sweep_cmd::summary_json;
        Ok::<_, anyhow::Error>((json(&first), json(&second), json(&third), lookup))
    })?;
    let figures = SweepFigures {
        persons: args.persons,
        crossings,
        permits,
        setup_seconds,
        first_run,
        second_run,
        next_night,
        stay_lookup_micros,
        peak_rss_mib: peak_rss_mib(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "register           {} persons in the country, {} crossings, {} permits (SQLite)",
            figures.persons, crossings, permits
        );
        let runs = [
            ("first run", &figures.first_run),
            ("same date again", &figures.second_run),
            ("next night", &figures.next_night),
        ];
        for (name, run) in runs {
            println!(
                "{name:<18} load {:.2} s  engine {:.2} s  record {:.2} s  ({} checked, {} overstayers, {} new drafts, {} not evaluated)",
                run["load_seconds"].as_f64().unwrap_or_default(),
                run["engine_seconds"].as_f64().unwrap_or_default(),
                run["record_seconds"].as_f64().unwrap_or_default(),
                run["checked"],
                run["overstayers"],
                run["new_drafts"],
                run["not_evaluated"]
            );
        }
        println!(
            "one person's stay  {:.0} µs (the register's stay use case, mean of 1000)",
            figures.stay_lookup_micros
        );
        println!("peak memory        {:.0} MiB (since the register was written)", figures.peak_rss_mib);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}

/// Mean time of the stay endpoint's work for 1000 persons from the middle of the register.
async fn stay_lookup_micros(
    register: &sapar_register::Register,
    path: &std::path::Path,
    on: jiff::civil::Date,
    persons: u32,
) -> anyhow::Result<f64> {
    let conn = rusqlite::Connection::open(path)?;
    let mut stmt = conn.prepare("SELECT id FROM persons ORDER BY id LIMIT 1000 OFFSET ?1")?;
    let ids = stmt
        .query_map([persons / 2], |r| r.get::<_, Vec<u8>>(0))?
        .map(|blob| Ok(sapar_model::PersonId::from_uuid(uuid::Uuid::from_slice(&blob?)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let started = Instant::now();
    // The benchmark reads as the use case always does: each stay read appends its access-log row.
    let officer = sapar_register::access::Access::new(
        sapar_register::Actor::new("sapar bench sweep", sapar_model::Role::Officer),
        sapar_model::ReadPurpose::StatisticsQuality,
        sapar_register::access::AccessChannel::Cli,
    );
    for &id in &ids {
        match register.stay(&officer, id, Some(on)).await {
            Ok(_) | Err(sapar_register::RegisterError::StayNotJudged(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / ids.len().max(1) as f64)
}

/// Bulk-writes persons whose latest crossing is an entry, with their earlier stays, straight
/// into the register's tables (setup only: the recording rules are not exercised here). Of those
/// in the country for more than 30 days, `permit_share` hold a work permit from their entry to
/// half a year after `on`. Returns the crossings and permits written.
fn write_open_stays(
    path: &std::path::Path,
    persons: u32,
    permit_share: f64,
    on: jiff::civil::Date,
    seed: u64,
) -> anyhow::Result<(u64, u64)> {
    let register = sapar_rules::synth::open_stay_register(persons, on, seed);
    let zone = jiff::tz::TimeZone::get("Asia/Almaty")?;
    let micros = |d: jiff::civil::Date| -> anyhow::Result<i64> {
        Ok(d.at(10, 0, 0, 0).to_zoned(zone.clone())?.timestamp().as_microsecond())
    };
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")?;
    let tx = conn.transaction()?;
    let mut crossings = 0u64;
    let mut permits = 0u64;
    {
        let mut person = tx.prepare(
            "INSERT INTO persons (id, surname_latin, sex, citizenship, created_at, last_crossing_at, last_direction,
                 permit_periods)
             VALUES (?1, 'BENCH', 'M', ?2, 0, ?3, 'entry', ?4)",
        )?;
        let mut crossing = tx.prepare(
            "INSERT INTO crossings (id, request_hash, person_id, direction, occurred_at, time_zone, local_date,
                 point, purpose, document_state, document_number, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'Asia/Almaty', ?6, 'KZ-KORDAY', 'work', 'KGZ', ?7, 0)",
        )?;
        let mut permit = tx.prepare(
            "INSERT INTO permits (id, person_id, kind, purpose, number, valid_from, valid_to, recorded_by, created_at)
             VALUES (?1, ?2, 'temporary_residence', 'work', ?3, ?4, ?5, 'bench', 0)",
        )?;
        let permit_until = on.checked_add(jiff::Span::new().days(180))?;
        let long_stay_from = on.checked_sub(jiff::Span::new().days(30))?;
        // Permits go to a fixed share of long stays, spread evenly over the register.
        let per_mille = (permit_share * 1000.0).round() as u64;
        let hash = [0u8; 32];
        for p in &register {
            let id = uuid::Uuid::now_v7();
            let citizenship = SWEEP_CITIZENSHIPS[p.id as usize % SWEEP_CITIZENSHIPS.len()];
            let last = p.stays.last().map(|s| s.entry).unwrap_or(on);
            let holds_permit =
                last < long_stay_from && (u64::from(p.id).wrapping_mul(2_654_435_761) >> 7) % 1000 < per_mille;
            let periods = if holds_permit {
                sapar_store::permits::periods_column(&[sapar_rules::Permit { from: last, to: permit_until }])
            } else {
                None
            };
            person.execute(rusqlite::params![id.as_bytes().as_slice(), citizenship.code(), micros(last)?, periods])?;
            if holds_permit {
                permit.execute(rusqlite::params![
                    uuid::Uuid::now_v7().as_bytes().as_slice(),
                    id.as_bytes().as_slice(),
                    format!("TR{:08}", p.id),
                    last.to_string(),
                    permit_until.to_string(),
                ])?;
                permits += 1;
            }
            let number = format!("B{:08}", p.id);
            for stay in &p.stays {
                let ends = [(Some(stay.entry), "entry"), (stay.exit, "exit")];
                for (date, direction) in ends.into_iter().filter_map(|(d, dir)| Some((d?, dir))) {
                    crossing.execute(rusqlite::params![
                        uuid::Uuid::now_v7().as_bytes().as_slice(),
                        hash.as_slice(),
                        id.as_bytes().as_slice(),
                        direction,
                        micros(date)?,
                        date.to_string(),
                        number,
                    ])?;
                    crossings += 1;
                }
            }
        }
    }
    tx.commit()?;
    Ok((crossings, permits))
}
