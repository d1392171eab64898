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
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}: expected border, officer, analyst or admin"))
}

/// Creates a token in `store` and returns its secret.
pub(crate) async fn create(store: &Store, name: &str, role: Role) -> anyhow::Result<String> {
    anyhow::ensure!(!name.trim().is_empty(), "token name must not be empty");
    let secret = sapar_http::generate_token();
    let record = TokenRecord {
        id: uuid::Uuid::now_v7(),
        name: name.trim().to_owned(),
        role,
        created_at: jiff::Timestamp::now(),
        revoked_at: None,
    };
    let inserted = store.insert_token(record, sapar_http::hash_token(&secret)).await?;
    anyhow::ensure!(inserted, "a token named {name:?} already exists");
    Ok(secret)
}

pub(crate) fn run(cmd: TokensCommand) -> anyhow::Result<ExitCode> {
    crate::runtime()?.block_on(async move {
        match cmd {
            TokensCommand::Create(args) => {
                let store = open(&args.db.db).await?;
                let secret = create(&store, &args.name, args.role).await?;
                eprintln!(
                    "created token {:?} with role {}; store the secret now, it is not shown again:",
                    args.name,
                    args.role.as_str()
                );
                println!("{secret}");
            }
            TokensCommand::Revoke(args) => {
                crate::config::ensure_register_exists(&args.db.db)?;
                let store = open(&args.db.db).await?;
                let revoked = store.revoke_token(&args.name, jiff::Timestamp::now()).await?;
                anyhow::ensure!(revoked, "no active token named {:?}", args.name);
                println!("revoked {}", args.name);
            }
            TokensCommand::List(db) => {
                crate::config::ensure_register_exists(&db.db)?;
                let store = open(&db.db).await?;
                println!("{:<24} {:<8} {:<22} revoked", "name", "role", "created");
                for t in store.tokens().await? {
                    let revoked = t.revoked_at.map_or_else(
                        || "-".to_owned(),
                        |r| r.round(jiff::Unit::Second).map_or_else(|_| r.to_string(), |r| r.to_string()),
                    );
                    let created = t
                        .created_at
                        .round(jiff::Unit::Second)
                        .map_or_else(|_| t.created_at.to_string(), |c| c.to_string());
                    println!("{:<24} {:<8} {:<22} {}", t.name, t.role.as_str(), created, revoked);
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn open(db: &str) -> anyhow::Result<Store> {
    Store::open(db).await.with_context(|| format!("opening database {db}"))
}
