//! `sapar verify-log`: checks the exchange message log of a database, entry by entry (index,
//! link to the previous entry, entry hash) and against its signed checkpoints.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use sapar_node::log::{self, VerifyError};
use sapar_store::Store;
use sapar_treaty::log::BadEntryReason;
use sapar_treaty::pki;

#[derive(Debug, Args)]
pub(crate) struct VerifyLogArgs {
    /// Database holding the log (sqlite:PATH or postgres://...).
    #[arg(long, env = "SAPAR_DB")]
    db: String,
    /// The node certificate (PEM) that signed the log's checkpoints: `node.pem` in the node's keys
    /// directory (`sapar keys init --out DIR` writes DIR/node.pem). Needed once the log has
    /// checkpoints.
    #[arg(long)]
    node_cert: Option<PathBuf>,
}

pub(crate) fn run(args: VerifyLogArgs) -> anyhow::Result<ExitCode> {
    crate::config::ensure_register_exists(&args.db)?;
    let cert = match &args.node_cert {
        Some(path) => {
            let pem = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            pki::pem_decode_one(&pem, "CERTIFICATE").with_context(|| format!("{}", path.display()))?
        }
        None => Vec::new(),
    };
    crate::runtime()?.block_on(async {
        let store = Store::open(&args.db).await.with_context(|| format!("opening database {}", args.db))?;
        if args.node_cert.is_none() {
            let checkpoints = store.checkpoints().await.context("reading the log's checkpoints")?.len();
            anyhow::ensure!(
                checkpoints == 0,
                "the log has {checkpoints} signed checkpoints, and checking them needs the certificate of the node \
                 that signed them: pass --node-cert with that node's node.pem, from the keys directory its \
                 [exchange] keys setting (or --keys) names; `sapar keys init --out DIR` wrote it as DIR/node.pem"
            );
        }
        match log::verify(&store, &cert).await {
            Ok(n) => {
                println!("log intact: {n} entries");
                Ok(ExitCode::SUCCESS)
            }
            Err(VerifyError::Bad(bad)) => {
                eprintln!("log entry {} is bad: {:?}", bad.index, bad.reason);
                if bad.reason == BadEntryReason::CheckpointMismatch {
                    eprintln!(
                        "the chain is consistent but differs from what the node signed: an entry after the previous \
                         checkpoint, up to this one, was rewritten"
                    );
                }
                Ok(ExitCode::FAILURE)
            }
            Err(VerifyError::Node(e)) => Err(e).context("reading the log"),
        }
    })
}
