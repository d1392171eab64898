//! `sapar verify-log`: checks the exchange message log of a database, entry by entry (index,
//! link to the previous entry, entry hash) and against its signed checkpoints.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use sapar_node::log::{self, VerifyError};
use sapar_store::{DatabaseUrl, Store};
use sapar_treaty::log::BadEntryReason;
use sapar_treaty::pki;

#[derive(Debug, Args)]
pub(crate) struct VerifyLogArgs {
    /// Database holding the log (sqlite:PATH or postgres://...).
    #[arg(long, env = "SAPAR_DB")]
    db: String,
    /// The node certificate (PEM) that signed the log's checkpoints; without it, a log that has
    /// checkpoints does not verify.
    #[arg(long)]
    node_cert: Option<PathBuf>,
}

pub(crate) fn run(args: VerifyLogArgs) -> anyhow::Result<ExitCode> {
    if let DatabaseUrl::Sqlite(path) = DatabaseUrl::parse(&args.db)? {
        anyhow::ensure!(path.exists(), "database {} does not exist", path.display());
    }
    let cert = match &args.node_cert {
        Some(path) => {
            let pem = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            pki::pem_decode_one(&pem, "CERTIFICATE").with_context(|| format!("{}", path.display()))?
        }
        None => Vec::new(),
    };
    crate::runtime()?.block_on(async {
        let store = Store::open(&args.db).await.with_context(|| format!("opening database {}", args.db))?;
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
