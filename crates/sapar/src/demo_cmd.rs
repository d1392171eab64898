//! `sapar demo`: a fresh register with generated sample data, served until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use sapar_http::AppState;
use sapar_model::Role;
use sapar_store::Store;

use crate::ingest::{self, Format};
use crate::sample::{self, SampleSpec};

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Folder for the demo database and sample file; its previous demo database is replaced.
    #[arg(long, default_value = "sapar-demo")]
    dir: PathBuf,
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Number of sample travellers (each crosses several times).
    #[arg(long, default_value_t = 6000)]
    persons: usize,
    /// Seed of the sample generator: the same seed gives the same register.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Prepare the register, print how to use it, and exit instead of serving.
    #[arg(long)]
    no_serve: bool,
}

pub(crate) fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.dir).with_context(|| format!("creating {}", args.dir.display()))?;
    let db_path = args.dir.join("register.db");
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_path.clone().into_os_string();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing the previous demo database {p:?}")),
        }
    }
    let sample_path = args.dir.join("sample-crossings.csv");
    let today = jiff::Zoned::now().date();
    let spec = SampleSpec {
        persons: args.persons,
        seed: args.seed,
        from: today.checked_sub(jiff::Span::new().days(400))?,
        until: today.yesterday()?,
    };
    let file = std::fs::File::create(&sample_path).with_context(|| format!("creating {}", sample_path.display()))?;
    let rows = sample::write_csv(spec, std::io::BufWriter::new(file))?;
    eprintln!("generated {rows} crossings of {} travellers in {}", args.persons, sample_path.display());

    crate::runtime()?.block_on(async move {
        let url = format!("sqlite:{}", db_path.display());
        let store = Store::open(&url).await?;
        let started = std::time::Instant::now();
        let input = std::fs::File::open(&sample_path)?;
        let (summary, _) = ingest::import(&store, input, Format::Csv, jiff::Timestamp::now(), |_, _| {}).await?;
        eprintln!(
            "imported {} crossings ({} persons) in {:.2} s",
            summary.stored,
            summary.persons_created,
            started.elapsed().as_secs_f64()
        );
        let mut tokens = Vec::new();
        for (name, role) in [
            ("demo-admin", Role::Admin),
            ("demo-border", Role::Border),
            ("demo-officer", Role::Officer),
            ("demo-analyst", Role::Analyst),
        ] {
            tokens.push((role, crate::tokens_cmd::create(&store, name, role).await?));
        }
        let document = first_document(&sample_path)?;
        let (listener, addr) =
            sapar_http::bind(args.listen).await.with_context(|| format!("binding {}", args.listen))?;
        print_welcome(addr, &tokens, &document, &url);
        if args.no_serve {
            return Ok(ExitCode::SUCCESS);
        }
        sapar_http::serve(listener, AppState::new(store)?, crate::serve_cmd::shutdown_signal()).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// `STATE:NUMBER` of the first traveller in the sample, for the printed examples.
fn first_document(sample: &std::path::Path) -> anyhow::Result<String> {
    let mut reader = csv::Reader::from_path(sample)?;
    let row = reader.records().next().context("the sample is empty")??;
    Ok(format!("{}:{}", row.get(7).unwrap_or_default(), row.get(6).unwrap_or_default()))
}

fn print_welcome(addr: SocketAddr, tokens: &[(Role, String)], document: &str, db: &str) {
    let token = |role: Role| tokens.iter().find(|(r, _)| *r == role).map_or("", |(_, t)| t.as_str());
    let border = token(Role::Border);
    let id = uuid::Uuid::now_v7();
    let now = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .in_tz("Asia/Almaty")
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |z| z.to_string());
    println!(
        r#"
Sapar demo register is ready ({db}).

  API:      http://{addr}/api/v1   (OpenAPI: /api/v1/openapi.json, health: /health, metrics: /metrics)
  Tokens:   border   {border}
            officer  {officer}
            analyst  {analyst}
            admin    {admin}

Look up a traveller by passport:

  curl -s -H 'Authorization: Bearer {border}' 'http://{addr}/api/v1/persons?document={document}'

Record an entry at Korday (send it twice: the second answer is the same, marked Idempotent-Replayed):

  curl -si -X POST http://{addr}/api/v1/crossings \
    -H 'Authorization: Bearer {border}' -H 'Content-Type: application/json' \
    -d '{{"id":"{id}","direction":"entry","at":"{now}","crossing_point":"KZ-KORDAY","purpose":"work",
         "document":{{"type":"passport","number":"AC7654321","issuing_state":"KGZ","expiry":"2031-05-01"}},
         "person":{{"native_name":{{"surname":"Асанова","given_names":"Айгүл"}},
                   "latin_name":{{"surname":"ASANOVA","given_names":"AIGUL"}},
                   "sex":"F","birth_date":"1994-03-08","citizenship":"KGZ"}}}}'

Press Ctrl-C to stop."#,
        officer = token(Role::Officer),
        analyst = token(Role::Analyst),
        admin = token(Role::Admin),
    );
}
