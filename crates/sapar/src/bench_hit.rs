//! `sapar bench hit`: hit/no-hit queries from a Kyrgyz node to a Kazakh one whose register holds
//! generated persons (recorded as for `bench search`), answered automatically: received and
//! stored by the Kazakh node, the person looked up and scored by the linkage model, the reads
//! logged, a `hit_result` signed into the outbox and delivered. Half the queries describe a
//! person of the register (a hit), half a person nobody recorded (no hit). The latencies come from
//! the stores' own timestamps: from the query's receipt to the answer signed into the outbox, and
//! to the answer stored by the partner.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use jiff::Timestamp;
use sapar_node::service::Outgoing;
use sapar_register::Register;
use sapar_register::exchange::HitCheck;
use sapar_store::Store;
use sapar_treaty::{jws, message, wire};
use serde_json::{Value, json};

use crate::bench_search::Sought;

#[derive(Debug, Args)]
pub(crate) struct HitArgs {
    /// Number of persons in the Kazakh register.
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Number of queries, one at a time.
    #[arg(long, default_value_t = 1_000)]
    queries: usize,
    /// Database of the Kazakh register; default: a fresh SQLite file in a temporary folder.
    #[arg(long)]
    db: Option<String>,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, serde::Serialize)]
struct Percentiles {
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, serde::Serialize)]
struct HitFigures {
    persons: u64,
    recording_seconds: f64,
    queries: usize,
    hits: usize,
    /// From the query stored by the Kazakh node to its `hit_result` signed into the outbox.
    receipt_to_signed: Percentiles,
    /// From the query stored by the Kazakh node to its `hit_result` stored by the Kyrgyz node.
    receipt_to_delivered: Percentiles,
}

fn percentiles(mut ms: Vec<f64>) -> Percentiles {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms.get(((ms.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN);
    Percentiles { p50_ms: at(0.5), p95_ms: at(0.95), p99_ms: at(0.99), max_ms: ms.last().copied().unwrap_or(f64::NAN) }
}

/// The Art. 7 description of a sought person, as a partner's records would have it; `unknown`
/// gives a surname the register does not hold.
fn person(sought: &Sought, unknown: bool) -> Value {
    let part = |n: &sapar_model::FullName| n.surname.as_str().to_owned();
    let surname = if unknown { "Незарегистрированный".to_owned() } else { part(&sought.latin) };
    let given = sought.latin.given_names.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_default();
    let mut person = json!({
        "surname": {"latin": surname},
        "given_names": {"latin": given},
        "citizenship": sought.citizenship.code(),
    });
    if unknown {
        person["surname"] = json!({"cyrillic": "Незарегистрированный"});
    }
    if let Some(birth) = sought.birth {
        person["birth_date"] = json!(birth.to_string());
    }
    if !unknown {
        person["document"] = json!({"number": sought.document});
    }
    person
}

fn query(person: Value) -> Outgoing {
    Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KGZ-GMS".into(),
        to: "KAZ-MVD".into(),
        message_type: "query".into(),
        case_id: None,
        in_reply_to: None,
        signatory: None,
        body: json!({"purpose": "проверка перед запросом", "categories": ["identity_document"], "person": person}),
    }
}

/// When the Kazakh node received the case's query, signed its answer, and the answer's body.
async fn kaz_times(store: &Store, case_id: uuid::Uuid) -> anyhow::Result<Option<(Timestamp, Timestamp, bool)>> {
    let inbox = store.case_inbox(case_id).await?;
    let Some(query) = inbox.iter().find(|m| m.message_type == "query") else { return Ok(None) };
    let outbox = store.case_outbox(case_id).await?;
    let Some(answer) = outbox.first() else { return Ok(None) };
    let parsed = jws::parse_compact(&answer.jws, wire::TYP_MESSAGE).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (header, _, body) = message::parse_envelope(&parsed.payload).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Some((query.received_at, header.created_at, body["hit"].as_bool().unwrap_or(false))))
}

fn ms_between(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64() * 1000.0
}

pub(crate) fn run(args: HitArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.queries >= 2, "--queries must be at least 2 (half hits, half misses)");
    let dir = crate::bench_cmd::tempfile_dir()?;
    let db = args.db.clone().unwrap_or_else(|| format!("sqlite:{}", dir.join("hit.db").display()));
    let figures = crate::runtime()?.block_on(async {
        let kaz_store = Store::open(&db).await.with_context(|| format!("opening {db}"))?;
        let filled = crate::bench_search::fill(&kaz_store, args.persons, args.seed).await?;
        anyhow::ensure!(!filled.sought.is_empty(), "too few persons: generate at least 100");
        let kgz_store = Store::open(&format!("sqlite:{}", dir.join("kgz.db").display())).await?;
        let register = Register::with_embedded_rules(kaz_store.clone())?;
        let check: Arc<dyn HitCheck> = Arc::new(register);
        let nodes = crate::demo_cmd::Nodes::start(&dir, kaz_store.clone(), kgz_store.clone(), Some(check)).await?;
        eprintln!("{} hit/no-hit queries ...", args.queries);
        let mut signed = Vec::with_capacity(args.queries);
        let mut delivered = Vec::with_capacity(args.queries);
        let mut hits = 0;
        for i in 0..args.queries {
            let sought = &filled.sought[(i / 2) % filled.sought.len()];
            let queued = nodes.kgz.send(query(person(sought, i % 2 == 1))).await?;
            let case_id = queued.case_id.as_uuid();
            let started = Instant::now();
            let answer = loop {
                let inbox = kgz_store.case_inbox(case_id).await?;
                if let Some(answer) = inbox.into_iter().find(|m| m.message_type == "hit_result") {
                    break answer;
                }
                anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "no answer to query {i} in 30 s");
                tokio::time::sleep(Duration::from_millis(1)).await;
            };
            let (received, answered, hit) =
                kaz_times(&kaz_store, case_id).await?.context("the Kazakh node holds no query and answer")?;
            signed.push(ms_between(received, answered));
            delivered.push(ms_between(received, answer.received_at));
            hits += usize::from(hit);
        }
        nodes.stop().await?;
        Ok(HitFigures {
            persons: filled.persons,
            recording_seconds: filled.seconds,
            queries: args.queries,
            hits,
            receipt_to_signed: percentiles(signed),
            receipt_to_delivered: percentiles(delivered),
        })
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        let line = |name: &str, p: &Percentiles| {
            println!(
                "{name:<28} p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
                p.p50_ms, p.p95_ms, p.p99_ms, p.max_ms
            )
        };
        println!("register           {} persons recorded in {:.1} s", figures.persons, figures.recording_seconds);
        println!("queries            {} ({} hits)", figures.queries, figures.hits);
        line("receipt → answer signed", &figures.receipt_to_signed);
        line("receipt → answer delivered", &figures.receipt_to_delivered);
    }
    Ok(ExitCode::SUCCESS)
}
