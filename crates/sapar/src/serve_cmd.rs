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
use sapar_node::setup::ExchangeNode;
use sapar_register::exchange::CaseDesk;
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
        let (store, register) = config::open_register(&config.db, &config.host_state).await?;
        let register = match config.card_issuer()? {
            Some(issuer) => register.with_cards(issuer),
            None => register,
        };
        let host = register.host_state();
        let sweep_at: jiff::civil::Time =
            config.sweep_at.parse().with_context(|| format!("sweep_at {:?} is not a time HH:MM", config.sweep_at))?;
        let server = config.http.server().context("[http] settings")?;
        let mut state = AppState::new(register.clone())?.with_limits(config.http.limits());
        let metrics_listener = match config.http.metrics_listen {
            Some(addr) => {
                state = state.with_metrics_apart();
                Some(sapar_http::bind(addr).await.with_context(|| format!("binding the metrics listener {addr}"))?)
            }
            None => None,
        };
        let mut node = None;
        if let Some(ex) = &config.exchange {
            let book = Arc::new(AgreementBook::load_embedded().context("loading the embedded agreements")?);
            let settings = exchange::settings(ex, host, &book).await.context("exchange configuration")?;
            let name = settings.keys.node_name.clone();
            for agreement in &ex.hit_answers {
                let known = sapar_treaty::ids::AgreementId::parse(agreement).ok().and_then(|id| book.get(&id));
                anyhow::ensure!(known.is_some(), "[exchange] hit_answers names {agreement:?}, not a known agreement");
            }
            let built = ExchangeNode::build(settings, Arc::clone(&book), store.clone())
                .context("exchange configuration")?
                .with_hit_answers(Arc::new(register.clone()), ex.hit_answers.clone());
            let (listener, addr) = sapar_http::bind(ex.listen)
                .await
                .with_context(|| format!("binding the exchange endpoint {}", ex.listen))?;
            state = state.with_exchange(Arc::new(NodeApi(Arc::clone(&built.service))));
            node = Some((built, listener, addr, name));
        }
        if config.web.enabled {
            let desk = node.as_ref().map(|(built, ..)| Arc::clone(&built.service) as Arc<dyn CaseDesk>);
            let web_config = config.web.config(server.tls.is_some());
            state = state.with_web(sapar_web::router_with_cases(register.clone(), web_config, desk));
        }
        let (stop, stopped) = watch::channel(false);
        let sweep = {
            let register = register.clone();
            let stopped = stopped_signal(stopped.clone());
            tokio::spawn(async move { register.run_nightly_sweep(sweep_at, stopped).await })
        };
        let (listener, addr) =
            sapar_http::bind(config.listen).await.with_context(|| format!("binding {}", config.listen))?;
        let scheme = if server.tls.is_some() { "https" } else { "http" };
        tracing::info!(%addr, backend = register.backend(), scheme, "serving");
        println!("sapar listening on {scheme}://{addr}");
        let metrics_task = metrics_listener.map(|(listener, addr)| {
            tracing::info!(%addr, "metrics listening");
            let _ = writeln!(std::io::stdout(), "sapar metrics on http://{addr}/metrics");
            tokio::spawn(sapar_http::serve_metrics(listener, state.clone(), stopped_signal(stopped.clone())))
        });
        let exchange_task = node.map(|(node, listener, addr, name)| {
            tracing::info!(%addr, node = %name, "exchange endpoint listening");
            // A reader that stopped reading is no reason to stop serving.
            let _ = writeln!(std::io::stdout(), "sapar exchange listening on https://{addr} as {name}");
            tokio::spawn(node.run(listener, stopped_signal(stopped)))
        });
        sapar_http::serve(listener, state, server, async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        })
        .await?;
        sweep.abort();
        if let Some(task) = metrics_task {
            task.await.context("the metrics listener ended abnormally")?.context("metrics listener")?;
        }
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
