//! `sapar registrations`: registrations of place of stay from the operator's shell — file one,
//! list a person's with their history, extend one, end one, and list the host state's regions.
//!
//! The command acts as the administrator `cli:` + the operating system user (`crate::cli_actor`),
//! files on the `desk` channel (the migration service's own desk, as opposed to a receiving
//! party's system on the API), and reads through an access-logged `Access` on the `cli` channel
//! with the purpose given by `--purpose`. A refusal is one line on stderr naming the stable code
//! of the error table (`docs/api-errors.md`) and the option at fault, with exit code 1.

use std::fmt;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_http::ApiCode;
use sapar_model::{Country, PersonId, ReadPurpose};
use sapar_register::access::{Access, AccessChannel};
use sapar_register::records::{FilingChannel, RegistrationEvent, RegistrationRecord};
use sapar_register::regions::{RegionInfo, Regions};
use sapar_register::registrations::{RawAddress, RawParty, RawRegistration, RegistrationFile, address_line};
use sapar_register::{Register, RegisterError};
use uuid::Uuid;

use crate::config::{DEFAULT_DB, DEFAULT_HOST_STATE};

#[derive(Debug, Subcommand)]
pub(crate) enum RegistrationsCommand {
    /// File a registration of place of stay for a person in the country. Filed after the
    /// deadline for their arrival, it is accepted, marked late, and the failure-to-register
    /// violation is drafted against the party the rule names.
    File(FileArgs),
    /// A person's registrations, in the order they were filed, each with its history. The read
    /// is recorded in the access log with its purpose.
    List(ListArgs),
    /// Extend a registration in force to a later last day.
    Extend(ExtendArgs),
    /// End a registration in force (deregistration).
    End(EndArgs),
    /// The host state's regions: the codes an address may name.
    Regions(RegionsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RegisterArgs {
    /// Register database. [default: sqlite:sapar.db; env: SAPAR_DB]
    #[arg(long, env = "SAPAR_DB", default_value = DEFAULT_DB)]
    db: String,
    /// The state whose rules and regions apply. [env: SAPAR_HOST_STATE]
    #[arg(long, env = "SAPAR_HOST_STATE", default_value = DEFAULT_HOST_STATE)]
    host_state: String,
}

#[derive(Debug, Args)]
pub(crate) struct FileArgs {
    /// The person's id (a UUID).
    #[arg(long)]
    person: String,
    /// A region code of the host state, e.g. KZ-75 (`sapar registrations regions`).
    #[arg(long)]
    region: String,
    /// City, town or village.
    #[arg(long)]
    locality: String,
    #[arg(long)]
    street: Option<String>,
    #[arg(long)]
    building: Option<String>,
    #[arg(long)]
    flat: Option<String>,
    /// The first day of the stay at the address, YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// The last day, YYYY-MM-DD; not before --from.
    #[arg(long)]
    until: String,
    /// The receiving party: private_person, legal_entity or migrant.
    #[arg(long)]
    party: String,
    /// The host's or organisation's name; for the migrant, absent takes the name on record.
    #[arg(long)]
    party_name: Option<String>,
    /// A private host's identity document number; a legal entity's registration number (BIN).
    #[arg(long)]
    party_id: Option<String>,
    #[command(flatten)]
    register: RegisterArgs,
    /// Print the registration as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// The person's id (a UUID).
    #[arg(long)]
    person: String,
    /// Why the person's data is read, as recorded in the access log: border_check, stay_control,
    /// permit_decision, enforcement, exchange_request, audit or statistics_quality.
    #[arg(long, default_value = "stay_control")]
    purpose: String,
    /// Your own words on the purpose, recorded with it (at most 500 characters).
    #[arg(long)]
    purpose_note: Option<String>,
    #[command(flatten)]
    register: RegisterArgs,
    /// Print the registrations as JSON (an array).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExtendArgs {
    /// The registration's id (a UUID).
    id: String,
    /// The new last day, YYYY-MM-DD; later than the current one.
    #[arg(long)]
    until: String,
    #[command(flatten)]
    register: RegisterArgs,
    /// Print the registration as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EndArgs {
    /// The registration's id (a UUID).
    id: String,
    /// The day it ends, YYYY-MM-DD; default: today in the host state. Not before its first day.
    #[arg(long)]
    day: Option<String>,
    /// Why it ends, recorded in its history.
    #[arg(long)]
    note: Option<String>,
    #[command(flatten)]
    register: RegisterArgs,
    /// Print the registration as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RegionsArgs {
    /// The state whose regions to list. [env: SAPAR_HOST_STATE]
    #[arg(long, env = "SAPAR_HOST_STATE", default_value = DEFAULT_HOST_STATE)]
    host_state: String,
    /// Print the regions as JSON.
    #[arg(long)]
    json: bool,
}

/// A refusal, named by its stable code in the error table and by the option at fault.
#[derive(Debug)]
struct Refusal {
    code: ApiCode,
    option: Option<String>,
    message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.option {
            Some(option) => write!(f, "{} ({option}): {}", self.code.as_str(), self.message),
            None => write!(f, "{}: {}", self.code.as_str(), self.message),
        }
    }
}

impl std::error::Error for Refusal {}

/// The command-line option a field of the register's input is given in.
fn option_of(field: &str) -> String {
    let option = match field {
        "person_id" => "--person",
        "address.region" => "--region",
        "address.locality" => "--locality",
        "address.street" => "--street",
        "address.building" => "--building",
        "address.flat" => "--flat",
        "valid_from" => "--from",
        "valid_until" => "--until",
        "party.kind" => "--party",
        "party.name" => "--party-name",
        "party.identity" => "--party-id",
        "day" => "--day",
        "note" => "--note",
        "purpose_note" => "--purpose-note",
        other => return other.to_owned(),
    };
    option.to_owned()
}

/// The register's answer as a refusal with its code: the one mapping the API answers with, so
/// the CLI and the API name the same code for the same refusal. Storage failures are logged by
/// that mapping and named `storage_unavailable` without detail.
fn refused(e: RegisterError) -> anyhow::Error {
    let api = sapar_http::ApiError::from(e);
    Refusal { code: api.code, option: api.field.as_deref().map(option_of), message: api.message }.into()
}

fn uuid_of(text: &str, option: &str) -> Result<Uuid, Refusal> {
    Uuid::parse_str(text.trim()).map_err(|_| Refusal {
        code: ApiCode::InvalidId,
        option: Some(option.to_owned()),
        message: format!("{:?} is not a UUID", excerpt(text)),
    })
}

fn purpose_of(text: &str) -> Result<ReadPurpose, Refusal> {
    ReadPurpose::parse(text.trim()).ok_or_else(|| {
        let listed: Vec<&str> = ReadPurpose::ALL.iter().map(|p| p.as_str()).collect();
        Refusal {
            code: ApiCode::InvalidReadPurpose,
            option: Some("--purpose".to_owned()),
            message: format!("{:?} is not a purpose of reading personal data: {}", excerpt(text), listed.join(", ")),
        }
    })
}

/// At most 60 characters of what the user typed, for messages.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The register over an existing database: a command here never creates one.
async fn open(args: &RegisterArgs) -> anyhow::Result<Register> {
    crate::config::ensure_register_exists(&args.db)?;
    Ok(crate::config::open_register(&args.db, &args.host_state).await?.1)
}

pub(crate) fn run(cmd: RegistrationsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        RegistrationsCommand::File(args) => file(args),
        RegistrationsCommand::List(args) => list(args),
        RegistrationsCommand::Extend(args) => extend(args),
        RegistrationsCommand::End(args) => end(args),
        RegistrationsCommand::Regions(args) => regions(&args),
    }
}

fn file(args: FileArgs) -> anyhow::Result<ExitCode> {
    let person = PersonId::from_uuid(uuid_of(&args.person, "--person")?);
    let raw = RawRegistration {
        address: RawAddress {
            region: args.region,
            locality: args.locality,
            street: args.street,
            building: args.building,
            flat: args.flat,
        },
        valid_from: args.from,
        valid_until: args.until,
        party: RawParty { kind: args.party, name: args.party_name, identity: args.party_id },
    };
    let filed = crate::runtime()?.block_on(async {
        let register = open(&args.register).await?;
        register.file_registration(&crate::cli_actor(), person, &raw, FilingChannel::Desk).await.map_err(refused)
    })?;
    print_one(&filed, args.json)
}

fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let person = PersonId::from_uuid(uuid_of(&args.person, "--person")?);
    let access = Access::new(crate::cli_actor(), purpose_of(&args.purpose)?, AccessChannel::Cli)
        .with_note(args.purpose_note.as_deref())
        .map_err(|e| refused(e.into()))?;
    let files = crate::runtime()?.block_on(async {
        let register = open(&args.register).await?;
        register.registrations_of(&access, person).await.map_err(refused)
    })?;
    if args.json {
        let list: Vec<serde_json::Value> =
            files.iter().map(|f| registration_json(&f.registration, &f.events)).collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else if files.is_empty() {
        println!("no registrations of place of stay for person {person}");
    } else {
        for (i, RegistrationFile { registration, events }) in files.iter().enumerate() {
            if i > 0 {
                println!();
            }
            print_registration(registration);
            println!("history");
            for e in events {
                println!("  {}", event_line(e));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn extend(args: ExtendArgs) -> anyhow::Result<ExitCode> {
    let id = uuid_of(&args.id, "ID")?;
    let extended = crate::runtime()?.block_on(async {
        let register = open(&args.register).await?;
        register.extend_registration(&crate::cli_actor(), id, &args.until).await.map_err(refused)
    })?;
    print_one(&extended, args.json)
}

fn end(args: EndArgs) -> anyhow::Result<ExitCode> {
    let id = uuid_of(&args.id, "ID")?;
    let ended = crate::runtime()?.block_on(async {
        let register = open(&args.register).await?;
        register.deregister(&crate::cli_actor(), id, args.day.as_deref(), args.note.as_deref()).await.map_err(refused)
    })?;
    print_one(&ended, args.json)
}

fn regions(args: &RegionsArgs) -> anyhow::Result<ExitCode> {
    let host = Country::parse(&args.host_state)
        .with_context(|| format!("host_state {:?} is not an alpha-3 country code", args.host_state))?;
    let regions: &[RegionInfo] = Regions::embedded().map_err(refused)?.of(host).unwrap_or_default();
    if args.json {
        let list: Vec<serde_json::Value> = regions
            .iter()
            .map(|r| serde_json::json!({"code": r.code, "kind": r.kind.as_str(), "names": r.names}))
            .collect();
        let body = serde_json::json!({"host_state": host.code(), "regions": list});
        println!("{}", serde_json::to_string_pretty(&body)?);
    } else if regions.is_empty() {
        println!("no regions are listed for {host}: no address there is accepted");
    } else {
        println!("{:<8} {:<7} {:<34} ru", "code", "kind", "en");
        for r in regions {
            println!("{:<8} {:<7} {:<34} {}", r.code, r.kind.as_str(), r.name("en"), r.name("ru"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_one(r: &RegistrationRecord, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(&registration_json(r, &[]))?);
    } else {
        print_registration(r);
    }
    Ok(ExitCode::SUCCESS)
}

/// A registration as JSON, in the shape and with the field names of the API's
/// `RegistrationView` (`history` filled in a person's list only).
fn registration_json(r: &RegistrationRecord, events: &[RegistrationEvent]) -> serde_json::Value {
    let deadline = r.deadline.as_ref();
    serde_json::json!({
        "id": r.id.to_string(),
        "person_id": r.person_id.to_string(),
        "arrival_on": r.arrival_on.to_string(),
        "arrival_crossing_id": r.arrival_crossing.map(|c| c.to_string()),
        "address": {
            "region": r.address.region,
            "locality": r.address.locality,
            "street": r.address.street,
            "building": r.address.building,
            "flat": r.address.flat,
        },
        "valid_from": r.valid_from.to_string(),
        "valid_until": r.valid_until.to_string(),
        "party": {
            "kind": r.party.kind.as_str(),
            "name": r.party.name,
            "identity": r.party.identity,
            "employer_id": r.party.employer_id.map(|e| e.to_string()),
        },
        "filed_by": r.filed_by,
        "channel": r.channel.as_str(),
        "filed_on": r.filed_on.to_string(),
        "filed_at": r.filed_at.to_string(),
        "state": r.state.as_str(),
        "state_reason": r.state_reason,
        "legal_basis": r.legal_basis,
        "superseded_by": r.superseded_by.map(|s| s.to_string()),
        "ended_on": r.ended.map(|(day, _)| day.to_string()),
        "end_reason": r.ended.map(|(_, reason)| reason.as_str()),
        "due_on": deadline.map(|d| d.due_on.to_string()),
        "rule_id": deadline.map(|d| d.rule_id.clone()),
        "liable": deadline.map(|d| d.liable.as_str()),
        "late": r.late(),
        "violation_id": r.violation_id.map(|v| v.to_string()),
        "history": events.iter().map(event_json).collect::<Vec<_>>(),
    })
}

fn event_json(e: &RegistrationEvent) -> serde_json::Value {
    serde_json::json!({
        "kind": e.kind.as_str(),
        "day": e.day.to_string(),
        "until_before": e.until_before.map(|d| d.to_string()),
        "until_after": e.until_after.map(|d| d.to_string()),
        "reason": e.reason,
        "recorded_by": e.recorded_by,
        "recorded_at": e.recorded_at.to_string(),
    })
}

fn print_registration(r: &RegistrationRecord) {
    println!("registration  {}", r.id);
    println!("person        {}", r.person_id);
    println!("state         {}", r.state.as_str());
    println!("address       {}", address_line(&r.address));
    println!("period        {} to {}", r.valid_from, r.valid_until);
    let identity = r.party.identity.as_deref().map(|i| format!(" ({i})")).unwrap_or_default();
    println!("party         {}: {}{identity}", r.party.kind.as_str(), r.party.name);
    match &r.deadline {
        Some(d) => println!(
            "arrival       {}, to register by {} (rule {}; {} answers for it)",
            r.arrival_on,
            d.due_on,
            d.rule_id,
            d.liable.as_str()
        ),
        None => println!("arrival       {}, no registration deadline applies", r.arrival_on),
    }
    println!("filed         {} by {} ({})", r.filed_on, r.filed_by, r.channel.as_str());
    match r.violation_id {
        Some(v) => println!("late          yes: failure-to-register violation {v} drafted"),
        None => println!("late          no"),
    }
    if let Some(by) = r.superseded_by {
        println!("superseded by {by}");
    }
    if let Some((day, reason)) = r.ended {
        println!("ended         {day} ({})", reason.as_str());
    }
    if let Some(reason) = &r.state_reason {
        println!("reason        {reason}");
    }
}

fn event_line(e: &RegistrationEvent) -> String {
    let mut line = format!("{} {}", e.day, e.kind.as_str());
    if let (Some(before), Some(after)) = (e.until_before, e.until_after) {
        line.push_str(&format!(" {before} -> {after}"));
    }
    if let Some(reason) = &e.reason {
        line.push_str(&format!(", {reason}"));
    }
    line.push_str(&format!(" (by {})", e.recorded_by));
    line
}
