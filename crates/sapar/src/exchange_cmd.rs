//! `sapar exchange`: operators' tools over an exchange node's database. `channels` lists the
//! outgoing channels (partner, numbering, queue, halt); `resume` lifts a channel's halt. Both work
//! on the database, so they act on a running node too: its dispatcher reads the halts on every
//! look at the outbox (at least every five seconds) and delivers a resumed channel's queue, in
//! order, from its next pass. `POST /api/v1/exchange/channels/resume` does the same and wakes the
//! dispatcher at once.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_store::{DatabaseUrl, Store};
use sapar_treaty::ids::ChannelId;
use serde_json::json;

use crate::config::DEFAULT_DB;

#[derive(Debug, Subcommand)]
pub(crate) enum ExchangeCommand {
    /// List the outgoing channels: partner, last delivered and next sequence number, messages
    /// queued, and why and since when a halted channel stopped.
    Channels(ChannelsArgs),
    /// Resume a halted channel once this node's record of it and the partner's agree again.
    Resume(ResumeArgs),
    /// Destroy the received payloads whose retention period (Art. 12.4) ended by a date: each
    /// destruction is recorded (message, rule, time, digest) and chained into the message log.
    /// `serve` does this every day; this runs it on demand, with the same configuration.
    Purge(PurgeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PurgeArgs {
    /// The day whose end the retention periods are judged at (YYYY-MM-DD, UTC); not after today.
    #[arg(long)]
    on: jiff::civil::Date,
    /// The configuration `serve` runs with (its `db`, `host_state` and `[exchange]` section).
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Register database. [env: SAPAR_DB]
    #[arg(long)]
    db: Option<String>,
    /// The exchange keys directory written by `sapar keys init`. [env: SAPAR_KEYS]
    #[arg(long, value_name = "DIR")]
    keys: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct DbArg {
    /// The exchange node's database (`sqlite:PATH` or `postgres://…`).
    #[arg(long, env = "SAPAR_DB", default_value = DEFAULT_DB)]
    db: String,
}

#[derive(Debug, Args)]
pub(crate) struct ChannelsArgs {
    #[command(flatten)]
    db: DbArg,
    /// One JSON object per channel, per line, instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ResumeArgs {
    /// The channel, `AGREEMENT:FROM>TO` (quote it in a shell), e.g. 'KAZ-KGZ-2019:KAZ>KGZ'.
    channel: String,
    #[command(flatten)]
    db: DbArg,
}

async fn open(db: &str) -> anyhow::Result<Store> {
    if let DatabaseUrl::Sqlite(path, _) = DatabaseUrl::parse(db)? {
        anyhow::ensure!(path.exists(), "database {} does not exist", path.display());
    }
    Store::open(db).await.with_context(|| format!("opening database {db}"))
}

pub(crate) fn run(cmd: ExchangeCommand) -> anyhow::Result<ExitCode> {
    crate::runtime()?.block_on(async move {
        match cmd {
            ExchangeCommand::Channels(args) => channels(args).await,
            ExchangeCommand::Resume(args) => resume(args).await,
            ExchangeCommand::Purge(args) => purge(args).await,
        }
    })
}

fn partner_of(channel: &str) -> String {
    ChannelId::parse(channel).map_or_else(|_| "?".to_owned(), |c| c.to_state.code().to_owned())
}

async fn channels(args: ChannelsArgs) -> anyhow::Result<ExitCode> {
    let store = open(&args.db.db).await?;
    let channels = store.channel_states().await.context("reading the outbox")?;
    if args.json {
        for c in &channels {
            let halted = c.halt.as_ref().map(|h| {
                json!({
                    "code": h.code,
                    "detail": h.detail,
                    "message_id": h.message_id.to_string(),
                    "since": sapar_treaty::message::format_utc(h.halted_at),
                })
            });
            let line = json!({
                "channel": c.channel,
                "partner": partner_of(&c.channel),
                "delivered_seq": c.delivered_seq,
                "next_seq": c.next_seq,
                "queued": c.queued,
                "halted": halted,
            });
            println!("{line}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if channels.is_empty() {
        println!("no outgoing channel");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:<28} {:<7} {:>9} {:>8} {:>6}  state", "channel", "partner", "delivered", "next_seq", "queued");
    for c in &channels {
        let delivered = c.delivered_seq.map_or_else(|| "-".to_owned(), |s| s.to_string());
        let state = match &c.halt {
            Some(h) => {
                format!("halted since {} ({}): {}", sapar_treaty::message::format_utc(h.halted_at), h.code, h.detail)
            }
            None => "delivering".to_owned(),
        };
        println!(
            "{:<28} {:<7} {:>9} {:>8} {:>6}  {state}",
            c.channel,
            partner_of(&c.channel),
            delivered,
            c.next_seq,
            c.queued
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn resume(args: ResumeArgs) -> anyhow::Result<ExitCode> {
    let channel = ChannelId::parse(&args.channel)
        .map_err(|_| anyhow::anyhow!("{:?} is not a channel name (AGREEMENT:FROM>TO)", args.channel))?
        .to_string();
    let store = open(&args.db.db).await?;
    if !store.resume_channel(&channel).await.context("resuming the channel")? {
        eprintln!("channel {channel} is not halted");
        return Ok(ExitCode::FAILURE);
    }
    let queued = store
        .channel_states()
        .await
        .context("reading the outbox")?
        .into_iter()
        .find(|c| c.channel == channel)
        .map_or(0, |c| c.queued);
    println!("channel {channel} resumed: {queued} queued message(s) go out on the node's next pass");
    Ok(ExitCode::SUCCESS)
}

async fn purge(args: PurgeArgs) -> anyhow::Result<ExitCode> {
    use crate::config::{self, ExchangeOverrides, Overrides};
    use sapar_node::retention::{PurgeError, RetentionBook};
    let exchange = ExchangeOverrides::of(None, args.keys);
    let config = config::load(args.config.as_deref(), Overrides { db: args.db, listen: None, exchange })?;
    let ex = config.exchange.as_ref().context(
        "purging needs the exchange's keys (to open the payloads it judges): give --keys DIR or a --config with an \
         [exchange] section",
    )?;
    let (store, register) = config::open_register(&config.db, &config.host_state).await?;
    let book = std::sync::Arc::new(
        sapar_treaty::agreement::AgreementBook::load_embedded().context("loading the embedded agreements")?,
    );
    let settings =
        crate::exchange::settings(ex, register.host_state(), &book).await.context("exchange configuration")?;
    let node = sapar_node::setup::ExchangeNode::build(settings, book, store).context("exchange configuration")?;
    let rules = RetentionBook::embedded().map_err(anyhow::Error::msg)?;
    match node.service.purge(&rules, args.on, jiff::Timestamp::now()).await {
        Ok(destroyed) => {
            let mut out = std::io::stdout().lock();
            for d in &destroyed {
                writeln!(
                    out,
                    "destroyed  {}  {:<22} received {}  rule {}",
                    d.message_id, d.message_type, d.received_on, d.rule
                )?;
            }
            writeln!(out, "{} payloads destroyed; the message log records each", destroyed.len())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ PurgeError::DateInFuture { .. }) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(2))
        }
        Err(PurgeError::Node(e)) => Err(e).context("purging"),
    }
}
