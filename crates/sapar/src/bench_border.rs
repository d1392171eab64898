//! `sapar bench border-check`: a register of generated persons (as `sapar bench search` makes
//! it), then border checks through `Register::border_check` — the holder by document, the
//! candidates by name, birth date and citizenship scored by the linkage model, their violations,
//! the stay verdict and the access log — with their latencies, in three kinds: a document on
//! record, a person on record returning with a new passport, and a traveller the register has
//! never seen.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use sapar_model::{FullName, PersonDetails, RawCrossing, RawName, ReadPurpose, Role};
use sapar_register::access::{Access, AccessChannel};
use sapar_register::{Actor, Register};
use sapar_store::Store;

use crate::bench_search::SAMPLE_EVERY;

/// When the generated persons are checked: three months after they entered
/// ([`crate::bench_search::ENTERED`]).
const CHECKED: &str = "2025-06-01T10:00:00+05:00";

#[derive(Debug, Args)]
pub(crate) struct BorderCheckArgs {
    /// Number of persons in the register.
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Number of checks, spread over the three kinds.
    #[arg(long, default_value_t = 3_000)]
    checks: usize,
    /// Database to fill; default: a fresh SQLite file in a temporary folder. A PostgreSQL
    /// database must be empty of Sapar tables or be a fresh schema.
    #[arg(long)]
    db: Option<String>,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

/// A recorded person kept to be checked again.
struct Known {
    document: String,
    issuer: String,
    details: PersonDetails,
}

fn raw_name(name: Option<&FullName>) -> RawName {
    RawName {
        surname: name.map(|n| n.surname.as_str().to_owned()),
        given_names: name.and_then(|n| n.given_names.as_ref()).map(|g| g.as_str().to_owned()),
        patronymic: name.and_then(|n| n.patronymic.as_ref()).map(|p| p.as_str().to_owned()),
    }
}

/// The document presented: only the document when `details` is `None`.
fn presented(document: &str, issuer: &str, details: Option<&PersonDetails>) -> RawCrossing {
    let mut raw = RawCrossing {
        at: Some(CHECKED.to_owned()),
        crossing_point: Some("KZ-KORDAY".to_owned()),
        document_type: Some("passport".to_owned()),
        document_number: Some(document.to_owned()),
        issuing_state: Some(issuer.to_owned()),
        ..RawCrossing::default()
    };
    if let Some(d) = details {
        raw.native_name = raw_name(d.name.native());
        raw.latin_name = raw_name(d.name.latin());
        raw.sex = Some(d.sex.code().to_owned());
        raw.birth_date = d.birth_date.map(|b| b.to_string());
        raw.citizenship = Some(d.citizenship.code().to_owned());
    }
    raw
}

/// The three kinds of check, for the `i`-th check over `known`.
fn check(i: usize, known: &[Known]) -> (&'static str, RawCrossing) {
    let person = &known[i % known.len()];
    match i % 3 {
        0 => ("document on record", presented(&person.document, &person.issuer, None)),
        1 => ("same person, new passport", presented(&format!("NP{:07}", i), &person.issuer, Some(&person.details))),
        _ => {
            // Another person's name with a birth date nobody of that name has (most likely).
            let mut details = person.details.clone();
            details.birth_date = details.birth_date.and_then(|b| b.checked_add(jiff::Span::new().days(1)).ok());
            ("never seen", presented(&format!("NS{:07}", i), &person.issuer, Some(&details)))
        }
    }
}

#[derive(Debug, serde::Serialize)]
struct Latency {
    kind: &'static str,
    checks: usize,
    mean_candidates: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, serde::Serialize)]
struct BorderFigures {
    backend: &'static str,
    persons: u64,
    recording_seconds: f64,
    all: Latency,
    by_kind: Vec<Latency>,
    peak_rss_mib: f64,
}

fn latency(kind: &'static str, mut runs: Vec<(f64, usize)>) -> Latency {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = runs.len();
    let at = |q: f64| runs.get(((n as f64 * q).ceil() as usize).saturating_sub(1)).map_or(0.0, |r| r.0);
    Latency {
        kind,
        checks: n,
        mean_candidates: runs.iter().map(|r| r.1 as f64).sum::<f64>() / n.max(1) as f64,
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
        max_ms: runs.last().map_or(0.0, |r| r.0),
    }
}

pub(crate) fn run(args: BorderCheckArgs) -> anyhow::Result<ExitCode> {
    let dir = crate::bench_cmd::tempfile_dir()?;
    let db = args.db.clone().unwrap_or_else(|| format!("sqlite:{}", dir.join("border.db").display()));
    let figures = crate::runtime()?.block_on(async {
        let store = Store::open(&db).await.with_context(|| format!("opening {db}"))?;
        let filled = crate::bench_search::fill(&store, args.persons, args.seed).await?;
        let (persons, recording) = (filled.persons, filled.seconds);
        let known: Vec<Known> = filled
            .sought
            .into_iter()
            .map(|s| Known { issuer: s.citizenship.code().to_owned(), document: s.document, details: s.details })
            .collect();
        anyhow::ensure!(!known.is_empty(), "too few persons to check: generate at least {SAMPLE_EVERY}");
        let register = Register::with_embedded_rules(store.clone())?;
        let access = Access::new(
            Actor::new("sapar bench border-check", Role::Border),
            ReadPurpose::BorderCheck,
            AccessChannel::Cli,
        );
        eprintln!("{} border checks ...", args.checks);
        let mut runs: Vec<(&'static str, f64, usize)> = Vec::with_capacity(args.checks);
        for i in 0..args.checks {
            let (kind, raw) = check(i, &known);
            let started = Instant::now();
            let answer = register.border_check(&access, &raw).await?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            runs.push((kind, ms, answer.candidates.len()));
        }
        let kinds = ["document on record", "same person, new passport", "never seen"];
        let by_kind = kinds
            .iter()
            .map(|kind| latency(kind, runs.iter().filter(|r| r.0 == *kind).map(|r| (r.1, r.2)).collect()))
            .collect();
        Ok::<_, anyhow::Error>(BorderFigures {
            backend: store.backend(),
            persons,
            recording_seconds: recording,
            all: latency("all", runs.iter().map(|r| (r.1, r.2)).collect()),
            by_kind,
            peak_rss_mib: crate::bench_cmd::peak_rss_mib(),
        })
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!("backend            {}", figures.backend);
        println!("recording          {} persons in {:.1} s", figures.persons, figures.recording_seconds);
        for l in std::iter::once(&figures.all).chain(&figures.by_kind) {
            println!(
                "{:<28} {:>5} checks  p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {:.2} candidates",
                l.kind, l.checks, l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms, l.mean_candidates
            );
        }
        println!("peak memory        {:.0} MiB", figures.peak_rss_mib);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}
