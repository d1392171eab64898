//! `sapar serve`: the HTTP API over a register database and, with an `[exchange]` section, the
//! exchange node beside it (mutual-TLS receiver and outbox dispatcher) on the same store.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use sapar_http::AppState;
use sapar_model::Country;
use sapar_node::setup::ExchangeNode;
use sapar_store::Store;
use sapar_treaty::agreement::AgreementBook;
use tokio::sync::watch;

use crate::config::{self, ExchangeOverrides, Overrides};
use crate::exchange::{self, NodeApi};

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Register database: `sqlite:PATH` (created if missing) or `postgres://user@host/db`.
    /// [default: sqlite:sapar.db; env: SAPAR_DB]
    #[arg(long)]
    db: Option<String>,
    /// Address to listen on. [default: 127.0.0.1:8080; env: SAPAR_LISTEN]
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// TOML file with `db`, `listen`, `host_state` (default KAZ) and `sweep_at` (default 02:00)
    /// keys and an optional `[exchange]` section (see the README); environment variables
    /// (`SAPAR_*`) and flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Address of the mutual-TLS exchange endpoint (with an [exchange] section).
    /// [default: 127.0.0.1:8443; env: SAPAR_EXCHANGE_LISTEN]
    #[arg(long)]
    exchange_listen: Option<SocketAddr>,
    /// The exchange keys directory written by `sapar keys init`. [env: SAPAR_KEYS]
    #[arg(long, value_name = "DIR")]
    keys: Option<PathBuf>,
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let exchange = ExchangeOverrides::of(args.exchange_listen, args.keys);
    let config = config::load(args.config.as_deref(), Overrides { db: args.db, listen: args.listen, exchange })?;
    crate::runtime()?.block_on(async move {
        let store = Store::open(&config.db).await.with_context(|| format!("opening database {}", config.db))?;
        let host = Country::parse(&config.host_state)
            .with_context(|| format!("host_state {:?} is not an alpha-3 country code", config.host_state))?;
        let sweep_at: jiff::civil::Time =
            config.sweep_at.parse().with_context(|| format!("sweep_at {:?} is not a time HH:MM", config.sweep_at))?;
        let mut state = AppState::new(store.clone())?.with_host_state(host);
        let mut node = None;
        if let Some(ex) = &config.exchange {
            let book = Arc::new(AgreementBook::load_embedded().context("loading the embedded agreements")?);
            let settings = exchange::settings(ex, host, &book).await.context("exchange configuration")?;
            let name = settings.keys.node_name.clone();
            let built = ExchangeNode::build(settings, book, store.clone()).context("exchange configuration")?;
            let (listener, addr) = sapar_http::bind(ex.listen)
                .await
                .with_context(|| format!("binding the exchange endpoint {}", ex.listen))?;
            state = state.with_exchange(Arc::new(NodeApi(Arc::clone(&built.service))));
            node = Some((built, listener, addr, name));
        }
        tokio::spawn(daily_sweep(state.clone(), sweep_at));
        let (listener, addr) =
            sapar_http::bind(config.listen).await.with_context(|| format!("binding {}", config.listen))?;
        tracing::info!(%addr, backend = state.store.backend(), "serving");
        println!("sapar listening on http://{addr}");
        let (stop, stopped) = watch::channel(false);
        let exchange_task = node.map(|(node, listener, addr, name)| {
            tracing::info!(%addr, node = %name, "exchange endpoint listening");
            // A reader that stopped reading is no reason to stop serving.
            let _ = writeln!(std::io::stdout(), "sapar exchange listening on https://{addr} as {name}");
            tokio::spawn(node.run(listener, stopped_signal(stopped)))
        });
        sapar_http::serve(listener, state, async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        })
        .await?;
        if let Some(task) = exchange_task {
            task.await.context("the exchange node ended abnormally")?.context("exchange endpoint")?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Resolves when `stopped` turns true (or its sender is gone).
pub(crate) async fn stopped_signal(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|s| *s).await;
}

/// Runs the overstayer sweep every day at `at` in the host state's zone, for that day; logs the
/// result. The sweep reads and writes through the store and judges on the blocking pool, so
/// requests keep being answered while it runs.
async fn daily_sweep(state: AppState, at: jiff::civil::Time) {
    let zone = sapar_http::stay::host_zone(state.host_state);
    loop {
        let now = jiff::Timestamp::now().to_zoned(zone.clone());
        let Some(next) = sapar_http::stay::next_run(&now, at) else {
            tracing::error!(%at, "cannot schedule the overstayer sweep");
            return;
        };
        let wait = next.timestamp().duration_since(now.timestamp());
        tracing::info!(next = %next, "overstayer sweep scheduled");
        tokio::time::sleep(std::time::Duration::try_from(wait).unwrap_or_default()).await;
        let on = next.date();
        match sapar_http::stay::sweep(&state.store, state.rules.clone(), state.host_state, on, jiff::Timestamp::now())
            .await
        {
            Ok(s) => tracing::info!(
                on = %s.on,
                checked = s.checked,
                overstayers = s.overstayers,
                new_drafts = s.new_drafts,
                not_evaluated = s.not_evaluated,
                seconds = s.load_seconds + s.engine_seconds + s.record_seconds,
                "overstayer sweep done"
            ),
            Err(e) => tracing::error!(error = %e, %on, "overstayer sweep failed"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down");
}
