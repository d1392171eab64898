//! `sapar serve`: the HTTP API over a register database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use sapar_http::AppState;
use sapar_store::Store;

use crate::config::{self, Overrides};

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Register database: `sqlite:PATH` (created if missing) or `postgres://user@host/db`.
    /// [default: sqlite:sapar.db; env: SAPAR_DB]
    #[arg(long)]
    db: Option<String>,
    /// Address to listen on. [default: 127.0.0.1:8080; env: SAPAR_LISTEN]
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// TOML file with `db` and `listen` keys; environment variables and flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(args.config.as_deref(), Overrides { db: args.db, listen: args.listen })?;
    crate::runtime()?.block_on(async move {
        let store = Store::open(&config.db).await.with_context(|| format!("opening database {}", config.db))?;
        let state = AppState::new(store)?;
        let (listener, addr) =
            sapar_http::bind(config.listen).await.with_context(|| format!("binding {}", config.listen))?;
        tracing::info!(%addr, backend = state.store.backend(), "serving");
        println!("sapar listening on http://{addr}");
        sapar_http::serve(listener, state, shutdown_signal()).await?;
        Ok(ExitCode::SUCCESS)
    })
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
