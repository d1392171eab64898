//! `sapar tokens`: API tokens for border systems, officers, analysts and administrators.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_model::Role;
use sapar_store::{Store, TokenRecord};

use crate::config::DEFAULT_DB;

#[derive(Debug, Subcommand)]
pub(crate) enum TokensCommand {
    /// Create a token and print its secret (shown once; only its hash is stored).
    Create(CreateArgs),
    /// Revoke a token by name; requests with it are refused from then on.
    Revoke(RevokeArgs),
    /// List tokens (names, roles, dates; never secrets).
    List(DbArg),
}

#[derive(Debug, Args)]
pub(crate) struct DbArg {
    /// Register database (`sqlite:PATH` or `postgres://…`).
    #[arg(long, env = "SAPAR_DB", default_value = DEFAULT_DB)]
    db: String,
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// What the token may do: border (record crossings, look up persons), officer (the same and
    /// more to come), analyst (statistics only), admin.
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// A unique name saying who holds it, e.g. `korday-post-3` or `a.sadykova`.
    #[arg(long)]
    name: String,
    /// The token is refused this long after its creation: a whole number with `s`, `m`, `h` or
    /// `d` (e.g. `90d`). Default: it does not expire.
    #[arg(long, value_parser = sapar_register::tokens::parse_lifetime)]
    expires_in: Option<jiff::SignedDuration>,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, Args)]
pub(crate) struct RevokeArgs {
    /// Name of the token to revoke.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    db: DbArg,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {s:?}: expected one of {}", known.join(", "))
    })
}

/// Creates a token in `store` and returns its secret.
pub(crate) async fn create(
    store: &Store,
    name: &str,
    role: Role,
    expires_in: Option<jiff::SignedDuration>,
) -> anyhow::Result<(TokenRecord, String)> {
    Ok(register_of(store)?.create_token(name, role, expires_in).await?)
}

fn register_of(store: &Store) -> anyhow::Result<sapar_register::Register> {
    sapar_register::Register::with_embedded_rules(store.clone()).context("loading the embedded stay rules")
}

pub(crate) fn run(cmd: TokensCommand) -> anyhow::Result<ExitCode> {
    crate::runtime()?.block_on(async move {
        match cmd {
            TokensCommand::Create(args) => {
                let store = open(&args.db.db).await?;
                let (record, secret) = create(&store, &args.name, args.role, args.expires_in).await?;
                let expiry = record.expires_at.map_or_else(String::new, |at| format!(", expiring at {at}"));
                eprintln!(
                    "created token {:?} with role {}{expiry}; store the secret now, it is not shown again:",
                    args.name,
                    args.role.as_str()
                );
                println!("{secret}");
            }
            TokensCommand::Revoke(args) => {
                crate::config::ensure_register_exists(&args.db.db)?;
                let store = open(&args.db.db).await?;
                let revoked = register_of(&store)?.revoke_token(&args.name).await?;
                anyhow::ensure!(revoked, "no active token named {:?}", args.name);
                println!("revoked {}", args.name);
            }
            TokensCommand::List(db) => {
                crate::config::ensure_register_exists(&db.db)?;
                let store = open(&db.db).await?;
                println!("{:<24} {:<8} {:<22} {:<22} revoked", "name", "role", "created", "expires");
                for t in register_of(&store)?.tokens().await? {
                    let revoked = t.revoked_at.map_or_else(
                        || "-".to_owned(),
                        |r| r.round(jiff::Unit::Second).map_or_else(|_| r.to_string(), |r| r.to_string()),
                    );
                    let created = t
                        .created_at
                        .round(jiff::Unit::Second)
                        .map_or_else(|_| t.created_at.to_string(), |c| c.to_string());
                    let expires = t.expires_at.map_or_else(
                        || "-".to_owned(),
                        |e| e.round(jiff::Unit::Second).map_or_else(|_| e.to_string(), |e| e.to_string()),
                    );
                    println!("{:<24} {:<8} {:<22} {:<22} {}", t.name, t.role.as_str(), created, expires, revoked);
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn open(db: &str) -> anyhow::Result<Store> {
    Store::open(db).await.with_context(|| format!("opening database {db}"))
}
