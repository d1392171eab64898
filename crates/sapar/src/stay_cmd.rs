//! `sapar stay`: stay questions answered by the rules engine (`sapar-rules`): a JSON scenario in,
//! the answer as text for people or, with `--json`, as JSON.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_rules::Counting;
use sapar_rules::RuleBook;
use sapar_rules::scenario::{ScenarioError, ScenarioOutput, evaluate_scenario, parse_scenario};

#[derive(Debug, Subcommand)]
pub(crate) enum StayCommand {
    /// Answer one stay scenario read as JSON on stdin: days used and left, legality, overstay,
    /// last legal day, longest stay if entering, registration deadline, and the rules applied.
    ///
    /// Example input: {"host": "KAZ", "citizenship": "KGZ", "stays": [{"from": "2025-04-01",
    /// "to": "2025-05-10"}, {"from": "2025-05-17"}], "on": "2025-06-20"}
    ///
    /// Exit status 2 when the scenario is invalid (the error names the code and field).
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Load regimes and calendars from this directory (`regimes/*.toml`, `calendars/*.toml`)
    /// instead of the data shipped with Sapar.
    #[arg(long, env = "SAPAR_RULES_DIR")]
    rules_dir: Option<PathBuf>,
    /// Print the answer (or the error) as JSON on stdout instead of text.
    #[arg(long)]
    json: bool,
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
    match (result, args.json) {
        (Ok(answer), true) => {
            serde_json::to_writer_pretty(&mut out, &answer)?;
            writeln!(out)?;
        }
        (Ok(answer), false) => write_answer(&mut out, &answer)?,
        (Err(error), true) => {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "error": error }))?;
            writeln!(out)?;
            return Ok(ExitCode::from(2));
        }
        (Err(error), false) => {
            write_error(&mut std::io::stderr().lock(), &error)?;
            return Ok(ExitCode::from(2));
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_error(out: &mut impl Write, error: &ScenarioError) -> std::io::Result<()> {
    match &error.field {
        Some(field) => writeln!(out, "error: {} at {field}: {}", error.code, error.message),
        None => writeln!(out, "error: {}: {}", error.code, error.message),
    }
}

fn write_answer(out: &mut impl Write, a: &ScenarioOutput) -> std::io::Result<()> {
    let verdict = match (a.present, a.legal) {
        (true, true) => "present, legal",
        (true, false) => "present, overstaying",
        (false, true) => "not present, legal",
        (false, false) => "not present, overstayed",
    };
    writeln!(out, "{} citizen in {} on {}: {verdict}", a.citizenship, a.host, a.on)?;
    writeln!(out, "  days used           {}", a.days_used)?;
    if let Some(left) = a.days_left {
        writeln!(out, "  days left           {left}")?;
    }
    if let Some(day) = &a.last_legal_day {
        writeln!(out, "  last legal day      {day}")?;
    }
    if a.overstay_days > 0 {
        writeln!(out, "  overstay            {} days", a.overstay_days)?;
    }
    if let Some(entering) = &a.max_stay_if_entering {
        let stay = match (entering.days, &entering.last_day) {
            (Some(0), _) => "entry to be refused".to_owned(),
            (Some(days), Some(last)) => format!("{days} days, until {last}"),
            (Some(days), None) => format!("{days} days"),
            (None, _) => "no limit binds".to_owned(),
        };
        let by = entering.limited_by.as_deref().map(|rule| format!(" ({rule})")).unwrap_or_default();
        writeln!(out, "  entering on {}  {stay}{by}", entering.first_day)?;
    }
    if let Some(r) = &a.registration_due {
        let counting = match r.counting {
            Counting::CalendarDays => "calendar days",
            Counting::WorkingDays => "working days",
        };
        writeln!(out, "  registration due    {} ({} {counting} from {}; {})", r.due, r.days, r.arrival, r.rule)?;
    }
    writeln!(out, "checks:")?;
    for c in &a.checks {
        let window = match (&c.window_from, &c.window_to) {
            (Some(from), Some(to)) => format!(" in {from}..{to}"),
            _ => String::new(),
        };
        writeln!(out, "  {}  {}: {} of {} days used{window}, {} left", c.rule, c.shape, c.used, c.limit, c.left)?;
    }
    writeln!(out, "rules applied:")?;
    for r in &a.rules {
        let to = r.valid_to.as_deref().unwrap_or("");
        writeln!(out, "  {}  {} rule, {}..{to}: {}", r.id, r.kind, r.valid_from, r.basis)?;
    }
    Ok(())
}
