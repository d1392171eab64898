//! `sapar sweep overstays`: the overstayer sweep for one date, as the server runs it every night.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_model::Role;
use sapar_register::Actor;
use sapar_register::stay::SweepSummary;

use crate::config::{DEFAULT_DB, DEFAULT_HOST_STATE};

#[derive(Debug, Subcommand)]
pub(crate) enum SweepCommand {
    /// Find everyone in the country beyond their stay limit on a date and record a draft
    /// violation for each; running again for the same date records nothing new.
    Overstays(OverstaysArgs),
}

#[derive(Debug, Args)]
pub(crate) struct OverstaysArgs {
    /// The sweep date `YYYY-MM-DD`; default: today in the host state.
    #[arg(long)]
    on: Option<String>,
    /// Register database. [default: sqlite:sapar.db; env: SAPAR_DB]
    #[arg(long, env = "SAPAR_DB", default_value = DEFAULT_DB)]
    db: String,
    /// The state whose stay rules apply. [env: SAPAR_HOST_STATE]
    #[arg(long, env = "SAPAR_HOST_STATE", default_value = DEFAULT_HOST_STATE)]
    host_state: String,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// A sweep summary as JSON (the shape `--json` prints and `bench sweep` reports).
pub(crate) fn summary_json(s: &SweepSummary) -> serde_json::Value {
    serde_json::json!({
        "on": s.on.to_string(),
        "host": s.host.code(),
        "checked": s.checked,
        "overstayers": s.overstayers,
        "new_drafts": s.new_drafts,
        "not_evaluated": s.not_evaluated,
        "unregistered": s.unregistered,
        "new_registration_drafts": s.new_registration_drafts,
        "load_seconds": s.load.as_secs_f64(),
        "engine_seconds": s.engine.as_secs_f64(),
        "record_seconds": s.record.as_secs_f64(),
    })
}

pub(crate) fn run(cmd: SweepCommand) -> anyhow::Result<ExitCode> {
    let SweepCommand::Overstays(args) = cmd;
    let on = match &args.on {
        Some(text) => Some(text.parse().with_context(|| format!("--on {text:?} is not a date YYYY-MM-DD"))?),
        None => None,
    };
    let summary = crate::runtime()?.block_on(async {
        let (_, register) = crate::config::open_register(&args.db, &args.host_state).await?;
        let operator = Actor::new("sapar sweep overstays", Role::Admin);
        Ok::<_, anyhow::Error>(register.sweep_overstays(&operator, on).await?)
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary_json(&summary))?);
    } else {
        println!("sweep date         {} ({})", summary.on, summary.host);
        println!("in the country     {}", summary.checked);
        println!("overstayers        {}", summary.overstayers);
        println!("new drafts         {}", summary.new_drafts);
        println!("not evaluated      {} (no stay rule for the citizenship, visa-governed, …)", summary.not_evaluated);
        println!("unregistered       {} (past the registration deadline, nothing on record)", summary.unregistered);
        println!("new registration drafts {}", summary.new_registration_drafts);
        println!(
            "time               load {:.3} s, engine {:.3} s, record {:.3} s",
            summary.load.as_secs_f64(),
            summary.engine.as_secs_f64(),
            summary.record.as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}
