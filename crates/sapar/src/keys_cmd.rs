//! `sapar keys`: demo and test keys for the exchange (state CA, node certificate, signatories).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_model::Country;
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::keys::{StateKeys, demo_officers, init_state_keys};

#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Create a state's exchange CA, the node certificate (mutual TLS, receipts; SANs localhost,
    /// 127.0.0.1 and sapar-<state>), one signatory certificate per competent authority of the
    /// state and the migrant card's barcode signer (card-signer.pem, ICAO VDS-NC profile), as PEM
    /// files in DIR, with signatories.json listing the certificate fingerprints.
    /// For demos and tests: production keys come from the state's own PKI.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The state, as an ISO 3166-1 alpha-3 code (KAZ, KGZ, ARM, ...).
    #[arg(long)]
    state: String,
    /// The directory to write to (created if missing; existing key files are not overwritten).
    #[arg(long)]
    out: PathBuf,
}

pub(crate) fn run(command: KeysCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeysCommand::Init(args) => init(&args),
    }
}

fn init(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let state = Country::parse(&args.state).with_context(|| format!("--state {}", args.state))?;
    let (keys, files) = init_dir(state, &args.out)?;
    println!("wrote {files} files to {}", args.out.display());
    println!("CA fingerprint (partners pin ca.pem):  {}", keys.ca.fingerprint);
    println!("node fingerprint (partners pin it):    {}", keys.node.fingerprint);
    println!("card signer fingerprint:               {}", keys.card_signer.fingerprint);
    Ok(ExitCode::SUCCESS)
}

/// Creates `state`'s demo keys in `out` (one signatory per competent authority); returns them
/// and the number of files written. Existing key files are never overwritten.
pub(crate) fn init_dir(state: Country, out: &Path) -> anyhow::Result<(StateKeys, usize)> {
    let book = AgreementBook::load_embedded().context("loading the embedded agreements")?;
    let officers = demo_officers(&book, state);
    anyhow::ensure!(!officers.is_empty(), "{state} is not a party to any agreement Sapar knows");
    let keys = init_state_keys(state, &officers, jiff::Timestamp::now()).context("generating keys")?;
    let files = keys.files();
    for (name, _) in &files {
        let path = out.join(name);
        anyhow::ensure!(!path.exists(), "{} exists: refusing to overwrite keys", path.display());
    }
    for (name, content) in &files {
        write(&out.join(name), content, name.ends_with(".key.pem"))?;
    }
    Ok((keys, files.len()))
}

fn write(path: &Path, content: &str, secret: bool) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if secret { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    std::io::Write::write_all(&mut file, content.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
