//! The `sapar` binary: one subcommand per file, each a thin layer over the library crates.

#![allow(clippy::print_stdout)]

mod bench_border;
mod bench_card;
mod bench_cmd;
mod bench_exchange;
mod bench_hit;
mod bench_search;
mod card_cmd;
mod config;
mod demo_cmd;
mod exchange;
mod exchange_cmd;
mod import_cmd;
mod ingest;
mod keys_cmd;
mod link_cmd;
mod mrz_cmd;
mod name_cmd;
mod registrations_cmd;
mod sample;
mod serve_cmd;
mod stay_cmd;
mod sweep_cmd;
mod tokens_cmd;
mod users_cmd;
mod verify_log_cmd;

use std::process::ExitCode;

/// mimalloc instead of the C library's allocator: the exchange node allocates and frees many
/// small buffers per message from several threads, where glibc's malloc spent about a tenth of
/// the node's time (see `docs/benchmarks.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

/// Sapar: the national migration register and the node that speaks migration agreements to
/// partner states.
///
/// Start with `sapar demo`: it creates a register with sample data and serves it.
#[derive(Debug, Parser)]
#[command(name = "sapar", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API over a register database.
    Serve(serve_cmd::ServeArgs),
    /// Create a register with generated sample data and serve it until Ctrl-C.
    Demo(demo_cmd::DemoArgs),
    /// Load records from files into the register.
    #[command(subcommand)]
    Import(import_cmd::ImportCommand),
    /// Create, list and revoke API tokens.
    #[command(subcommand)]
    Tokens(tokens_cmd::TokensCommand),
    /// Create, list and disable users of the officers' web workplace.
    #[command(subcommand)]
    Users(users_cmd::UsersCommand),
    /// Measure Sapar's throughput against a baseline in the same run.
    #[command(subcommand)]
    Bench(bench_cmd::BenchCommand),
    /// Migrant cards: verify a card's seal offline (JSON or QR PNG), write a signed sample.
    #[command(subcommand)]
    Card(card_cmd::CardCommand),
    /// Exchange keys: a state's CA, node certificate and signatory certificates (demo, tests).
    #[command(subcommand)]
    Keys(keys_cmd::KeysCommand),
    /// Read and write ICAO 9303 machine-readable zones.
    #[command(subcommand)]
    Mrz(mrz_cmd::MrzCommand),
    /// Romanise, key, compare and split names across scripts.
    #[command(subcommand)]
    Name(name_cmd::NameCommand),
    /// Stay rules: days used and left, overstay, longest stay, registration deadline.
    #[command(subcommand)]
    Stay(stay_cmd::StayCommand),
    /// Scheduled checks over the register: the overstayer sweep.
    #[command(subcommand)]
    Sweep(sweep_cmd::SweepCommand),
    /// Registrations of place of stay: file, list, extend and end them; the host state's regions.
    #[command(subcommand)]
    Registrations(registrations_cmd::RegistrationsCommand),
    /// Link or deduplicate person records (probabilistic, across scripts) with a LINK.toml.
    Link(link_cmd::LinkArgs),
    /// Generate synthetic data.
    #[command(subcommand)]
    Synth(link_cmd::SynthCommand),
    /// Verify the exchange message log: hash chain and signed checkpoints.
    VerifyLog(verify_log_cmd::VerifyLogArgs),
    /// Operators' tools for the exchange node: outgoing channels, resuming a halted channel.
    #[command(subcommand)]
    Exchange(exchange_cmd::ExchangeCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let result = match cli.command {
        Command::Serve(args) => serve_cmd::run(args),
        Command::Demo(args) => demo_cmd::run(args),
        Command::Import(cmd) => import_cmd::run(cmd),
        Command::Tokens(cmd) => tokens_cmd::run(cmd),
        Command::Users(cmd) => users_cmd::run(cmd),
        Command::Bench(cmd) => bench_cmd::run(cmd),
        Command::Card(cmd) => card_cmd::run(cmd),
        Command::Keys(cmd) => keys_cmd::run(cmd),
        Command::Mrz(cmd) => mrz_cmd::run(cmd),
        Command::Name(cmd) => name_cmd::run(cmd),
        Command::Stay(cmd) => stay_cmd::run(cmd),
        Command::Sweep(cmd) => sweep_cmd::run(cmd),
        Command::Registrations(cmd) => registrations_cmd::run(cmd),
        Command::Link(args) => link_cmd::run_link(args),
        Command::Synth(cmd) => link_cmd::run_synth(cmd),
        Command::VerifyLog(args) => verify_log_cmd::run(args),
        Command::Exchange(cmd) => exchange_cmd::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SAPAR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sapar=info"));
    let json = std::env::var("SAPAR_LOG_FORMAT").is_ok_and(|f| f == "json");
    // Colour codes only for a person at a terminal, not in files, pipes or journald.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Output piped into `head` and closed early is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// A multi-threaded tokio runtime for subcommands that do IO.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// The administrator a command acts as for an operator at the shell: `cli:` followed by the
/// operating system user running it (`$USER`, else `$LOGNAME`, else `unknown`). That name is
/// recorded as who did what; holding a `:`, it can never be a web user's own name.
pub(crate) fn cli_actor() -> sapar_register::Actor {
    let os_user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    sapar_register::Actor::new(format!("cli:{os_user}"), sapar_model::Role::Admin)
}
