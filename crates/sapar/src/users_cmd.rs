//! `sapar users`: accounts of the officers' web workplace: create one (its password read from
//! stdin, never from the command line), disable one, list them.
//!
//! The command acts as an administrator named `cli:` followed by the operating system user
//! running it (`$USER`, else `$LOGNAME`, else `unknown`): that name is recorded as who created or
//! disabled a user, and, holding a `:`, it can never be a user's own name.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_model::Role;
use sapar_register::Register;
use sapar_register::accounts::{self, MAX_PASSWORD_BYTES, UserRecord};
use sapar_store::Store;

use crate::config::DEFAULT_DB;

#[derive(Debug, Subcommand)]
pub(crate) enum UsersCommand {
    /// Create a user of the web workplace; the password is the first line of stdin.
    Create(CreateArgs),
    /// Disable a user: their open sessions end and they can no longer log in. The account stays
    /// on record.
    Disable(DisableArgs),
    /// List users by name (roles, dates, who created and disabled them; never password hashes).
    List(ListArgs),
}

#[derive(Debug, Args)]
pub(crate) struct DbArg {
    /// Register database (`sqlite:PATH` or `postgres://…`).
    #[arg(long, env = "SAPAR_DB", default_value = DEFAULT_DB)]
    db: String,
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The login name: 1 to 100 letters, digits, `.`, `-` or `_`, e.g. `a.sadykova`; stored
    /// lowercased, unique whatever the case.
    #[arg(long)]
    name: String,
    /// What the user may do: border, officer, exchange, signatory, analyst, auditor or admin.
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// Read the password from the first line of stdin (at least 12 characters). Required: a
    /// password on the command line would show in the process list and the shell's history.
    #[arg(long, required = true)]
    password_stdin: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, Args)]
pub(crate) struct DisableArgs {
    /// Name of the user to disable.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Print JSON (an array of users) instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {s:?}: expected one of {}", roles.join(", "))
    })
}

/// The first line of `input` without its line ending, read no further than a password can be
/// long (so a longer one is refused as too long, not read to the end).
fn read_password(input: impl BufRead) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_PASSWORD_BYTES + 3).unwrap_or(u64::MAX);
    input.take(limit).read_until(b'\n', &mut bytes).context("reading the password from stdin")?;
    // Lossy only where the read was cut short, inside a password refused as too long anyway.
    let line = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    anyhow::ensure!(
        !password.is_empty(),
        "no password on stdin: give it as the first line, e.g. `read -rs PW; printf '%s\\n' \"$PW\" | sapar users \
         create …`"
    );
    Ok(password.to_owned())
}

fn register_of(store: &Store) -> anyhow::Result<Register> {
    Register::with_embedded_rules(store.clone()).context("loading the embedded stay rules")
}

fn instant(at: jiff::Timestamp) -> String {
    at.round(jiff::Unit::Second).map_or_else(|_| at.to_string(), |t| t.to_string())
}

fn user_json(u: &UserRecord) -> serde_json::Value {
    serde_json::json!({
        "id": u.id,
        "name": u.name,
        "role": u.role.as_str(),
        "created_at": u.created_at.to_string(),
        "created_by": u.created_by,
        "disabled_at": u.disabled_at.map(|t| t.to_string()),
        "disabled_by": u.disabled_by,
    })
}

pub(crate) fn run(cmd: UsersCommand) -> anyhow::Result<ExitCode> {
    crate::runtime()?.block_on(async move {
        match cmd {
            UsersCommand::Create(args) => {
                let password = read_password(std::io::stdin().lock())?;
                // Refused before the database is opened (or created) at all.
                accounts::check_password(&accounts::normalize_name(&args.name)?, &password)?;
                let store = open(&args.db.db).await?;
                let user =
                    register_of(&store)?.create_user(&crate::cli_actor(), &args.name, args.role, &password).await?;
                println!("created user {} with role {}", user.name, user.role.as_str());
            }
            UsersCommand::Disable(args) => {
                crate::config::ensure_register_exists(&args.db.db)?;
                let store = open(&args.db.db).await?;
                let user = register_of(&store)?.disable_user(&crate::cli_actor(), &args.name).await?;
                println!("disabled {}; their sessions have ended", user.name);
            }
            UsersCommand::List(args) => {
                crate::config::ensure_register_exists(&args.db.db)?;
                let store = open(&args.db.db).await?;
                let users = register_of(&store)?.users(&crate::cli_actor()).await?;
                if args.json {
                    let list: Vec<serde_json::Value> = users.iter().map(user_json).collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    println!("{:<24} {:<10} {:<22} {:<20} disabled", "name", "role", "created", "created by");
                    for u in users {
                        let disabled = u.disabled_at.map_or_else(
                            || "-".to_owned(),
                            |at| format!("{} by {}", instant(at), u.disabled_by.as_deref().unwrap_or("?")),
                        );
                        println!(
                            "{:<24} {:<10} {:<22} {:<20} {}",
                            u.name,
                            u.role.as_str(),
                            instant(u.created_at),
                            u.created_by,
                            disabled
                        );
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn open(db: &str) -> anyhow::Result<Store> {
    Store::open(db).await.with_context(|| format!("opening database {db}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_password_is_the_first_line_without_its_ending() {
        assert_eq!(read_password(&b"secret words 1\nsecond line\n"[..]).unwrap(), "secret words 1");
        assert_eq!(read_password(&b"secret words 2\r\n"[..]).unwrap(), "secret words 2");
        assert_eq!(read_password(&b"no newline at all"[..]).unwrap(), "no newline at all");
        assert_eq!(read_password(&b" spaces kept \n"[..]).unwrap(), " spaces kept ");
        assert!(read_password(&b"\n"[..]).unwrap_err().to_string().starts_with("no password on stdin"));
        assert!(read_password(&b""[..]).is_err());
        let long = "x".repeat(5000);
        assert_eq!(read_password(long.as_bytes()).unwrap().len(), MAX_PASSWORD_BYTES + 3, "refused later as too long");
    }
}
