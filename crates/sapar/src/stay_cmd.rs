//! `sapar stay`: stay questions answered by the rules engine (`sapar-rules`), JSON in and out.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_rules::RuleBook;
use sapar_rules::scenario::{ScenarioError, evaluate_scenario, parse_scenario};

#[derive(Debug, Subcommand)]
pub(crate) enum StayCommand {
    /// Answer one stay scenario read as JSON on stdin: days used and left, legality, overstay,
    /// last legal day, longest stay if entering, registration deadline, and the rules applied.
    ///
    /// Example input: {"host": "KAZ", "citizenship": "KGZ", "stays": [{"from": "2025-04-01",
    /// "to": "2025-05-10"}, {"from": "2025-05-17"}], "on": "2025-06-20"}
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Load regimes and calendars from this directory (`regimes/*.toml`, `calendars/*.toml`)
    /// instead of the data shipped with Sapar.
    #[arg(long, env = "SAPAR_RULES_DIR")]
    rules_dir: Option<PathBuf>,
}

pub(crate) fn run(command: StayCommand) -> anyhow::Result<ExitCode> {
    match command {
        StayCommand::Eval(args) => eval(&args),
    }
}

fn eval(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let book = match &args.rules_dir {
        Some(dir) => RuleBook::load_dir(dir),
        None => RuleBook::load_embedded(),
    }
    .context("loading stay rules")?;
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).context("reading the scenario from stdin")?;
    let result = parse_scenario(&input).and_then(|scenario| evaluate_scenario(&book, &scenario));
    let mut out = std::io::stdout().lock();
    let code = match result {
        Ok(answer) => {
            serde_json::to_writer_pretty(&mut out, &answer)?;
            ExitCode::SUCCESS
        }
        Err(error) => {
            write_error(&mut out, &error)?;
            ExitCode::from(2)
        }
    };
    writeln!(out)?;
    Ok(code)
}

fn write_error(out: &mut impl Write, error: &ScenarioError) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(out, &serde_json::json!({ "error": error }))?;
    Ok(())
}
