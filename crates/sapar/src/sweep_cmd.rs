//! `sapar sweep overstays`: the overstayer sweep for one date, as the server runs it every night.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_model::Country;
use sapar_rules::RuleBook;
use sapar_store::Store;

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

pub(crate) fn run(cmd: SweepCommand) -> anyhow::Result<ExitCode> {
    let SweepCommand::Overstays(args) = cmd;
    let host = Country::parse(&args.host_state)
        .with_context(|| format!("--host-state {:?} is not an alpha-3 country code", args.host_state))?;
    let on = match &args.on {
        Some(text) => text.parse().with_context(|| format!("--on {text:?} is not a date YYYY-MM-DD"))?,
        None => sapar_http::stay::today_in(host, jiff::Timestamp::now()),
    };
    let book = Arc::new(RuleBook::load_embedded()?);
    let summary = crate::runtime()?.block_on(async {
        let store = Store::open(&args.db).await.with_context(|| format!("opening database {}", args.db))?;
        Ok::<_, anyhow::Error>(sapar_http::stay::sweep(&store, book, host, on, jiff::Timestamp::now()).await?)
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!("sweep date         {} ({})", summary.on, summary.host);
        println!("in the country     {}", summary.checked);
        println!("overstayers        {}", summary.overstayers);
        println!("new drafts         {}", summary.new_drafts);
        println!("not evaluated      {} (no stay rule for the citizenship, visa-governed, …)", summary.not_evaluated);
        println!(
            "time               load {:.3} s, engine {:.3} s, record {:.3} s",
            summary.load_seconds, summary.engine_seconds, summary.record_seconds
        );
    }
    Ok(ExitCode::SUCCESS)
}
