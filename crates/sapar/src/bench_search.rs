//! `sapar bench search`: a register of generated persons (the linkage generator's Russian,
//! Kazakh, Kyrgyz, Uzbek, Tajik and Armenian names, Cyrillic with the Latin spelling of the
//! holder's passport) recorded through the store's batch path, then the searches officers type
//! through `Register::search_persons`, access log included, with their latencies.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use jiff::Timestamp;
use jiff::civil::Date;
use sapar_identity::{Scheme, to_latin};
use sapar_model::{
    Country, CrossingId, CrossingPoint, Direction, DocumentKey, DocumentNumber, DocumentType, FullName,
    IdentityDocument, NamePart, NewCrossing, Outcome, PersonDetails, PersonName, Purpose, ReadPurpose, Role, Script,
    Sex, parse_crossing_time,
};
use sapar_register::access::{Access, AccessChannel};
use sapar_register::search::SearchQuery;
use sapar_register::{Actor, Register};
use sapar_store::{RecordCrossing, Store};

/// Persons generated (and recorded) per round.
const CHUNK: usize = 20_000;
/// Every this many generated persons, one is kept to search for.
pub(crate) const SAMPLE_EVERY: usize = 97;
/// When the generated persons entered.
pub(crate) const ENTERED: &str = "2025-03-01T10:00:00+05:00";

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Number of persons in the register.
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Number of searches, spread over the five kinds.
    #[arg(long, default_value_t = 5_000)]
    queries: usize,
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

/// A generated person kept to be searched for.
pub(crate) struct Sought {
    /// The details recorded with the entry.
    pub(crate) details: PersonDetails,
    pub(crate) native: Option<FullName>,
    pub(crate) latin: FullName,
    pub(crate) birth: Option<Date>,
    pub(crate) citizenship: Country,
    pub(crate) document: String,
}

/// The Latin spelling a holder's passport carries.
fn passport_scheme(citizenship: Country) -> Scheme {
    match citizenship.code() {
        "KAZ" => Scheme::KazakhPractice,
        "KGZ" => Scheme::KyrgyzNational,
        _ => Scheme::Icao9303,
    }
}

fn full_name(parts: [&str; 3]) -> Option<FullName> {
    let part = |s: &str| if s.is_empty() { None } else { NamePart::parse(s).ok() };
    Some(FullName { surname: part(parts[0])?, given_names: part(parts[1]), patronymic: part(parts[2]) })
}

/// An entry of a generated register record (id, surname, given name, patronymic, birth date,
/// sex, citizenship, passport), its name in both scripts; `None` when a value does not validate.
fn entry(values: &[String], at: &str) -> Option<(RecordCrossing, Sought)> {
    let citizenship = Country::parse(values.get(6)?).ok()?;
    let [surname, given, patronymic] = [values.get(1)?, values.get(2)?, values.get(3)?].map(String::as_str);
    let written = full_name([surname, given, patronymic])?;
    let (native, latin) = if written.surname.script() == Script::Latin {
        (None, written)
    } else {
        let scheme = passport_scheme(citizenship);
        let latin = full_name([&to_latin(surname, scheme), &to_latin(given, scheme), ""])?;
        (Some(written), latin)
    };
    let birth: Option<Date> = values.get(4)?.parse().ok();
    let number = DocumentNumber::parse(values.get(7)?).ok()?;
    let key = DocumentKey::new(citizenship, number).ok()?;
    let person = PersonDetails {
        name: PersonName::new(native.clone(), Some(latin.clone())).ok()?,
        sex: Sex::parse(values.get(5)?)?,
        birth_date: birth,
        citizenship,
    };
    let details = person.clone();
    let row = RecordCrossing {
        id: CrossingId::new_v7(),
        crossing: NewCrossing {
            direction: Direction::Entry,
            at: parse_crossing_time(at).ok()?,
            point: CrossingPoint::parse("KZ-KORDAY").ok()?,
            purpose: Purpose::Work,
            document: IdentityDocument { document_type: DocumentType::Passport, key: key.clone(), expiry: None },
            person,
            outcome: Outcome::Crossed,
        },
        recorded_at: Timestamp::now(),
        recorded_by: None,
    };
    Some((row, Sought { details, native, latin, birth, citizenship, document: key.number.as_str().to_owned() }))
}

/// The five kinds of search, for the `i`-th query over `sought`.
fn query(i: usize, sought: &[Sought]) -> (&'static str, SearchQuery) {
    let person = &sought[i % sought.len()];
    let other = &sought[(i * 7 + 3) % sought.len()];
    let text = |parts: &[&str]| SearchQuery { text: parts.join(" "), ..SearchQuery::default() };
    let given = |name: &FullName| name.given_names.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_default();
    let cyrillic = person.native.as_ref().unwrap_or(&person.latin);
    match i % 5 {
        0 => ("cyrillic given name and surname", text(&[&given(cyrillic), cyrillic.surname.as_str()])),
        1 => {
            // Another person's name as another scheme spells it than their passport.
            let spelt = match &other.native {
                Some(native) => {
                    [to_latin(native.surname.as_str(), Scheme::Mvd1997), to_latin(&given(native), Scheme::Mvd1997)]
                }
                None => [other.latin.surname.as_str().to_owned(), given(&other.latin)],
            };
            ("latin spelling under another scheme", text(&[&spelt[1], &spelt[0]]))
        }
        2 => (
            "surname with birth date",
            SearchQuery { birth_date: person.birth, ..text(&[person.latin.surname.as_str()]) },
        ),
        3 => ("document number", SearchQuery { citizenship: Some(person.citizenship), ..text(&[&person.document]) }),
        _ => {
            let prefix: String = cyrillic.surname.as_str().chars().take(4).collect();
            ("given name and surname prefix", text(&[&given(cyrillic), &prefix]))
        }
    }
}

#[derive(Debug, serde::Serialize)]
struct Latency {
    kind: &'static str,
    queries: usize,
    mean_hits: f64,
    truncated_share: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, serde::Serialize)]
struct SearchFigures {
    backend: &'static str,
    persons: u64,
    recording_seconds: f64,
    persons_per_second: f64,
    open_seconds: f64,
    all: Latency,
    by_kind: Vec<Latency>,
    peak_rss_mib: f64,
}

fn latency(kind: &'static str, mut runs: Vec<(f64, usize, bool)>) -> Latency {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = runs.len();
    let at = |q: f64| runs.get(((n as f64 * q).ceil() as usize).saturating_sub(1)).map_or(0.0, |r| r.0);
    Latency {
        kind,
        queries: n,
        mean_hits: runs.iter().map(|r| r.1 as f64).sum::<f64>() / n.max(1) as f64,
        truncated_share: runs.iter().filter(|r| r.2).count() as f64 / n.max(1) as f64,
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
        max_ms: runs.last().map_or(0.0, |r| r.0),
    }
}

/// A register filled with generated persons.
pub(crate) struct Filled {
    /// One generated person in [`SAMPLE_EVERY`], to look for.
    pub(crate) sought: Vec<Sought>,
    /// Persons created.
    pub(crate) persons: u64,
    /// Seconds spent recording.
    pub(crate) seconds: f64,
}

/// Records `count` generated persons (one entry each) into `store` in batches of [`CHUNK`].
pub(crate) async fn fill(store: &Store, count: usize, seed: u64) -> anyhow::Result<Filled> {
    eprintln!("recording {count} generated persons into {} ...", store.backend());
    let mut sought = Vec::new();
    let mut persons = 0u64;
    let mut recording = 0.0;
    let mut generated = 0usize;
    let mut round = 0u64;
    while generated < count {
        let chunk = CHUNK.min(count - generated);
        let (register, _, _) = sapar_match::synth::synth_persons(chunk, 0.0, seed.wrapping_add(round));
        let mut rows = Vec::with_capacity(chunk);
        for record in &register {
            generated += 1;
            let Some((row, person)) = entry(&record.values, ENTERED) else { continue };
            rows.push(row);
            if generated.is_multiple_of(SAMPLE_EVERY) {
                sought.push(person);
            }
        }
        let started = Instant::now();
        let outcomes = store.record_batch(rows).await?;
        recording += started.elapsed().as_secs_f64();
        persons += outcomes.iter().filter(|o| matches!(o, Ok(r) if r.person_created)).count() as u64;
        round += 1;
        if round.is_multiple_of(10) {
            eprintln!("  {generated} persons");
        }
    }
    Ok(Filled { sought, persons, seconds: recording })
}

pub(crate) fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let dir = crate::bench_cmd::tempfile_dir()?;
    let db = args.db.clone().unwrap_or_else(|| format!("sqlite:{}", dir.join("search.db").display()));
    let figures = crate::runtime()?.block_on(async {
        let store = Store::open(&db).await.with_context(|| format!("opening {db}"))?;
        let filled = fill(&store, args.persons, args.seed).await?;
        let (sought, persons, recording) = (filled.sought, filled.persons, filled.seconds);
        anyhow::ensure!(!sought.is_empty(), "too few persons to search for: generate at least {SAMPLE_EVERY}");
        drop(store);
        // Opening again: a register as the service finds it (and the backfill finding nothing).
        let started = Instant::now();
        let store = Store::open(&db).await?;
        let open_seconds = started.elapsed().as_secs_f64();
        let register = Register::with_embedded_rules(store.clone())?;
        let access =
            Access::new(Actor::new("sapar bench search", Role::Officer), ReadPurpose::StayControl, AccessChannel::Cli);
        eprintln!("{} searches ...", args.queries);
        let mut runs: Vec<(&'static str, f64, usize, bool)> = Vec::with_capacity(args.queries);
        for i in 0..args.queries {
            let (kind, query) = query(i, &sought);
            let started = Instant::now();
            let results = register.search_persons(&access, &query).await?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            runs.push((kind, ms, results.hits.len(), results.truncated));
        }
        let mut kinds: Vec<&'static str> = runs.iter().map(|r| r.0).collect();
        kinds.dedup();
        kinds.truncate(5);
        let by_kind = kinds
            .iter()
            .map(|kind| latency(kind, runs.iter().filter(|r| r.0 == *kind).map(|r| (r.1, r.2, r.3)).collect()))
            .collect();
        Ok::<_, anyhow::Error>(SearchFigures {
            backend: store.backend(),
            persons,
            recording_seconds: recording,
            persons_per_second: persons as f64 / recording,
            open_seconds,
            all: latency("all", runs.iter().map(|r| (r.1, r.2, r.3)).collect()),
            by_kind,
            peak_rss_mib: crate::bench_cmd::peak_rss_mib(),
        })
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!("backend            {}", figures.backend);
        println!(
            "recording          {} persons in {:.1} s ({:.0} persons/s, name index included)",
            figures.persons, figures.recording_seconds, figures.persons_per_second
        );
        println!("reopening          {:.2} s", figures.open_seconds);
        for l in std::iter::once(&figures.all).chain(&figures.by_kind) {
            println!(
                "{:<36} {:>5} queries  p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {:.1} hits, {:.0} % truncated",
                l.kind,
                l.queries,
                l.p50_ms,
                l.p95_ms,
                l.p99_ms,
                l.max_ms,
                l.mean_hits,
                l.truncated_share * 100.0
            );
        }
        println!("peak memory        {:.0} MiB", figures.peak_rss_mib);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}
