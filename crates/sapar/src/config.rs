//! Server configuration: defaults, then a TOML file, then `SAPAR_*` environment variables, then flags.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Default register database: a SQLite file in the working directory.
pub(crate) const DEFAULT_DB: &str = "sqlite:sapar.db";
/// Default listening address: loopback only.
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default host state.
pub(crate) const DEFAULT_HOST_STATE: &str = "KAZ";
/// Default time of the daily sweep, in the host state's zone.
pub(crate) const DEFAULT_SWEEP_AT: &str = "02:00";

/// Everything `sapar serve` needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ServerConfig {
    /// `sqlite:PATH` or `postgres://…`.
    pub(crate) db: String,
    /// Address to listen on.
    pub(crate) listen: SocketAddr,
    /// The state whose borders this node registers (alpha-3); its stay rules judge entries.
    pub(crate) host_state: String,
    /// Wall-clock time (`HH:MM`, in the host state's zone) of the daily overstayer sweep.
    pub(crate) sweep_at: String,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            db: DEFAULT_DB.to_owned(),
            listen: DEFAULT_LISTEN.parse().unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))),
            host_state: DEFAULT_HOST_STATE.to_owned(),
            sweep_at: DEFAULT_SWEEP_AT.to_owned(),
        }
    }
}

/// Values given on the command line; `None` leaves the file or environment in charge.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) db: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) listen: Option<SocketAddr>,
}

/// Resolves the configuration in order: defaults < file < `SAPAR_DB` / `SAPAR_LISTEN` /
/// `SAPAR_HOST_STATE` / `SAPAR_SWEEP_AT` < flags.
pub(crate) fn load(file: Option<&Path>, flags: Overrides) -> anyhow::Result<ServerConfig> {
    let mut figment = Figment::from(Serialized::defaults(ServerConfig::default()));
    if let Some(path) = file {
        anyhow::ensure!(path.exists(), "config file {} does not exist", path.display());
        figment = figment.merge(Toml::file(path));
    }
    figment
        .merge(Env::prefixed("SAPAR_").only(&["db", "listen", "host_state", "sweep_at"]))
        .merge(Serialized::defaults(flags))
        .extract()
        .context("invalid configuration")
}
