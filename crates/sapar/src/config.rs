//! Server configuration: defaults, then a TOML file, then `SAPAR_*` environment variables, then flags.
//! Paths in the file are relative to the file; paths given as flags or in the environment are
//! relative to the working directory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::magic::RelativePathBuf;
use serde::{Deserialize, Serialize};

/// Default register database: a SQLite file in the working directory.
pub(crate) const DEFAULT_DB: &str = "sqlite:sapar.db";
/// Default listening address: loopback only.
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default host state.
pub(crate) const DEFAULT_HOST_STATE: &str = "KAZ";
/// Default time of the daily sweep, in the host state's zone.
pub(crate) const DEFAULT_SWEEP_AT: &str = "02:00";
/// Default address of the mutual-TLS exchange endpoint: loopback only.
pub(crate) const DEFAULT_EXCHANGE_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8443);

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
    /// The API server's limits, TLS and metrics listener.
    #[serde(default)]
    pub(crate) http: HttpConfig,
    /// The officers' web pages.
    #[serde(default)]
    pub(crate) web: WebSection,
    /// The exchange node: absent, `serve` runs the register API only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) exchange: Option<ExchangeConfig>,
    /// Migrant cards: absent, cards are issued when the exchange keys directory holds a card
    /// signer (`sapar keys init` writes one), else not at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cards: Option<CardsConfig>,
}

/// The `[cards]` section: who signs the migrant cards and who gets one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CardsConfig {
    /// A directory holding `ca.pem`, `card-signer.pem` and `card-signer.key.pem` (as written by
    /// `sapar keys init`); default the exchange keys directory.
    pub(crate) keys: Option<RelativePathBuf>,
    /// The citizenships (alpha-3) that get a card with an allowed entry; empty: every foreigner.
    #[serde(default)]
    pub(crate) citizenships: Vec<String>,
}

impl ServerConfig {
    /// The card issuer this configuration names, if any: from `[cards]`, else from the exchange
    /// keys directory when it holds a card signer.
    pub(crate) fn card_issuer(&self) -> anyhow::Result<Option<sapar_register::cards::CardIssuer>> {
        let exchange_keys = self.exchange.as_ref().and_then(|e| e.keys.as_ref()).map(|k| k.relative());
        let (dir, citizenships) = match &self.cards {
            Some(cards) => {
                let dir = cards.keys.as_ref().map(|k| k.relative()).or(exchange_keys).context(
                    "[cards] needs `keys`: a directory with ca.pem, card-signer.pem and card-signer.key.pem",
                )?;
                (dir, cards.citizenships.clone())
            }
            None => match exchange_keys {
                Some(dir) if dir.join(CARD_SIGNER_CERT).exists() => (dir, Vec::new()),
                _ => return Ok(None),
            },
        };
        load_card_issuer(&dir, &citizenships).map(Some)
    }
}

/// The card signer's certificate and key file names in a keys directory.
pub(crate) const CARD_SIGNER_CERT: &str = "card-signer.pem";
pub(crate) const CARD_SIGNER_KEY: &str = "card-signer.key.pem";

/// The card issuer from a keys directory (`ca.pem`, `card-signer.pem`, `card-signer.key.pem`),
/// issuing to the citizens of `citizenships` (empty: every foreigner).
pub(crate) fn load_card_issuer(
    dir: &std::path::Path,
    citizenships: &[String],
) -> anyhow::Result<sapar_register::cards::CardIssuer> {
    use sapar_register::cards::{CardIssuer, CardPolicy};
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let signer = sapar_card::CardSigner::from_pem(&read(CARD_SIGNER_CERT)?, &read(CARD_SIGNER_KEY)?)
        .with_context(|| format!("loading the card signer in {}", dir.display()))?;
    let ca_der = sapar_treaty::pki::pem_decode_one(&read("ca.pem")?, "CERTIFICATE")
        .with_context(|| format!("reading the CA certificate in {}", dir.display()))?;
    let policy = if citizenships.is_empty() {
        CardPolicy::EveryForeigner
    } else {
        let states = citizenships
            .iter()
            .map(|c| sapar_model::Country::parse(c).with_context(|| format!("[cards] citizenships: {c:?}")))
            .collect::<anyhow::Result<_>>()?;
        CardPolicy::Citizens(states)
    };
    Ok(CardIssuer::new(signer, ca_der, policy))
}

/// The `[http]` section: limits of the API server, its TLS and its metrics listener.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct HttpConfig {
    /// A request's header must arrive within this many seconds; an idle kept-alive connection
    /// is closed after them.
    pub(crate) header_read_timeout_secs: u64,
    /// Connections open at once.
    pub(crate) max_connections: usize,
    /// Requests in progress at once; more are answered 503 `overloaded`.
    pub(crate) max_in_flight: usize,
    /// Requests per second per token (0: no limit).
    pub(crate) token_rate: u32,
    /// Requests a token may send at once.
    pub(crate) token_burst: u32,
    /// Requests per second per client address (0: no limit).
    pub(crate) address_rate: u32,
    /// Requests an address may send at once.
    pub(crate) address_burst: u32,
    /// PEM certificate chain: serve the API over TLS (with `tls_key`).
    pub(crate) tls_cert: Option<RelativePathBuf>,
    /// PEM private key of `tls_cert`.
    pub(crate) tls_key: Option<RelativePathBuf>,
    /// Serve `/metrics` on this address only, not on the API's.
    pub(crate) metrics_listen: Option<SocketAddr>,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        let limits = sapar_http::Limits::default();
        let server = sapar_http::ServerSettings::default();
        let token = limits.per_token.unwrap_or(sapar_http::Rate { per_second: 0, burst: 0 });
        let address = limits.per_address.unwrap_or(sapar_http::Rate { per_second: 0, burst: 0 });
        HttpConfig {
            header_read_timeout_secs: server.header_read_timeout.as_secs(),
            max_connections: server.max_connections,
            max_in_flight: limits.max_in_flight,
            token_rate: token.per_second,
            token_burst: token.burst,
            address_rate: address.per_second,
            address_burst: address.burst,
            tls_cert: None,
            tls_key: None,
            metrics_listen: None,
        }
    }
}

impl HttpConfig {
    /// The limits these settings give.
    pub(crate) fn limits(&self) -> sapar_http::Limits {
        let rate = |per_second: u32, burst: u32| {
            (per_second > 0).then_some(sapar_http::Rate { per_second, burst: burst.max(1) })
        };
        sapar_http::Limits {
            per_token: rate(self.token_rate, self.token_burst),
            per_address: rate(self.address_rate, self.address_burst),
            max_in_flight: self.max_in_flight,
        }
    }

    /// The server settings these give, with TLS loaded from the PEM files when both are named.
    pub(crate) fn server(&self) -> anyhow::Result<sapar_http::ServerSettings> {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(sapar_http::tls_from_pem(&cert.relative(), &key.relative())?),
            (None, None) => None,
            _ => anyhow::bail!("[http] needs both tls_cert and tls_key to serve TLS"),
        };
        Ok(sapar_http::ServerSettings {
            header_read_timeout: std::time::Duration::from_secs(self.header_read_timeout_secs.max(1)),
            max_connections: self.max_connections,
            tls,
        })
    }
}

/// The `[web]` section: the officers' web pages, served on the API's address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct WebSection {
    /// Serve the pages at all (the JSON API is served either way).
    pub(crate) enabled: bool,
    /// Minutes without a request after which a session ends.
    pub(crate) idle_timeout_mins: u32,
}

impl Default for WebSection {
    fn default() -> WebSection {
        WebSection { enabled: true, idle_timeout_mins: 30 }
    }
}

impl WebSection {
    /// The pages' settings; cookies are `Secure` when the server speaks TLS.
    pub(crate) fn config(&self, tls: bool) -> sapar_web::WebConfig {
        sapar_web::WebConfig {
            idle_timeout: jiff::SignedDuration::from_mins(i64::from(self.idle_timeout_mins.max(1))),
            secure_cookies: tls,
        }
    }
}

/// The `[exchange]` section: the mutual-TLS endpoint, this node's keys and its partners.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExchangeConfig {
    /// Address of the mutual-TLS endpoint partners send to.
    #[serde(default = "default_exchange_listen")]
    pub(crate) listen: SocketAddr,
    /// The directory written by `sapar keys init` (CA, node certificate and key, signatories).
    pub(crate) keys: Option<RelativePathBuf>,
    /// A file with the 32-byte key sealing received payloads at rest, as 64 hex digits; without
    /// it the key is derived from the node key.
    pub(crate) payload_key: Option<RelativePathBuf>,
    /// How far in the future a message's `created_at` may be, in seconds.
    #[serde(default = "default_clock_skew")]
    pub(crate) max_clock_skew_secs: u64,
    /// First retry delay after a failed delivery, in milliseconds (doubling, with jitter).
    #[serde(default = "default_retry_base")]
    pub(crate) retry_base_ms: u64,
    /// Longest retry delay, in milliseconds.
    #[serde(default = "default_retry_max")]
    pub(crate) retry_max_ms: u64,
    /// Sign a checkpoint of the message log once this many entries follow the last one.
    #[serde(default = "default_checkpoint_every")]
    pub(crate) checkpoint_every: u64,
    /// Sign a checkpoint over entries that waited this long, however few, in seconds.
    #[serde(default = "default_checkpoint_max_wait")]
    pub(crate) checkpoint_max_wait_secs: u64,
    /// The agreements (e.g. `KAZ-KGZ-2019`) under which partners' hit/no-hit queries are
    /// answered automatically from the register; queries under the others wait for an officer.
    #[serde(default)]
    pub(crate) hit_answers: Vec<String>,
    /// The partner states this node exchanges with.
    #[serde(default)]
    pub(crate) partners: Vec<PartnerConfig>,
}

/// One `[[exchange.partners]]` entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartnerConfig {
    /// The partner state (ISO 3166-1 alpha-3).
    pub(crate) state: String,
    /// The partner node's endpoint, `https://HOST:PORT`.
    pub(crate) endpoint: String,
    /// The partner's exchange CA certificate (PEM), pinned: the only trust anchor for it.
    pub(crate) ca: RelativePathBuf,
    /// The partner's `signatories.json` (its signatory lists and node fingerprint, exchanged out
    /// of band with the CA certificate).
    pub(crate) signatories: RelativePathBuf,
    /// Pinned fingerprints of the partner's node certificates; default the one in `signatories`.
    #[serde(default)]
    pub(crate) node_sha256: Vec<String>,
    /// The name checked against the partner's TLS certificate; default the endpoint's host.
    pub(crate) server_name: Option<String>,
}

fn default_exchange_listen() -> SocketAddr {
    DEFAULT_EXCHANGE_LISTEN
}

fn default_clock_skew() -> u64 {
    300
}

fn default_retry_base() -> u64 {
    1_000
}

fn default_retry_max() -> u64 {
    300_000
}

fn default_checkpoint_every() -> u64 {
    1_000
}

fn default_checkpoint_max_wait() -> u64 {
    60
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            db: DEFAULT_DB.to_owned(),
            listen: DEFAULT_LISTEN.parse().unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))),
            host_state: DEFAULT_HOST_STATE.to_owned(),
            sweep_at: DEFAULT_SWEEP_AT.to_owned(),
            http: HttpConfig::default(),
            web: WebSection::default(),
            exchange: None,
            cards: None,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) exchange: Option<ExchangeOverrides>,
}

/// Exchange settings given on the command line.
#[derive(Debug, Default, Serialize)]
pub(crate) struct ExchangeOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) keys: Option<PathBuf>,
}

impl ExchangeOverrides {
    /// `None` when no exchange flag was given, so that flags alone never create the section.
    pub(crate) fn of(listen: Option<SocketAddr>, keys: Option<PathBuf>) -> Option<ExchangeOverrides> {
        (listen.is_some() || keys.is_some()).then_some(ExchangeOverrides { listen, keys })
    }
}

/// Resolves the configuration in order: defaults < file < `SAPAR_DB` / `SAPAR_LISTEN` /
/// `SAPAR_HOST_STATE` / `SAPAR_SWEEP_AT` / `SAPAR_EXCHANGE_LISTEN` / `SAPAR_KEYS` /
/// `SAPAR_METRICS_LISTEN` / `SAPAR_TLS_CERT` / `SAPAR_TLS_KEY` < flags.
pub(crate) fn load(file: Option<&Path>, flags: Overrides) -> anyhow::Result<ServerConfig> {
    let mut figment = Figment::from(Serialized::defaults(ServerConfig::default()));
    if let Some(path) = file {
        anyhow::ensure!(path.exists(), "config file {} does not exist", path.display());
        figment = figment.merge(Toml::file(path));
    }
    figment
        .merge(Env::prefixed("SAPAR_").filter_map(|key| match key.as_str().to_ascii_lowercase().as_str() {
            plain @ ("db" | "listen" | "host_state" | "sweep_at") => Some(plain.to_owned().into()),
            "exchange_listen" => Some("exchange.listen".into()),
            "metrics_listen" => Some("http.metrics_listen".into()),
            "tls_cert" => Some("http.tls_cert".into()),
            "tls_key" => Some("http.tls_key".into()),
            "keys" => Some("exchange.keys".into()),
            _ => None,
        }))
        .merge(Serialized::defaults(flags))
        .extract()
        .context("invalid configuration")
}

/// The register over `db` for `host_state` (alpha-3), with the embedded stay rules and the
/// system clock.
pub(crate) async fn open_register(
    db: &str,
    host_state: &str,
) -> anyhow::Result<(sapar_store::Store, sapar_register::Register)> {
    let host = sapar_model::Country::parse(host_state)
        .with_context(|| format!("host_state {host_state:?} is not an alpha-3 country code"))?;
    let store = sapar_store::Store::open(db).await.with_context(|| format!("opening database {db}"))?;
    let register = sapar_register::Register::with_embedded_rules(store.clone())
        .context("loading the embedded stay rules")?
        .with_host_state(host);
    Ok((store, register))
}

/// For commands that only read a register: fails, naming the path, when `db` is a SQLite file that
/// does not exist (opening it would create an empty register there).
pub(crate) fn ensure_register_exists(db: &str) -> anyhow::Result<()> {
    if let sapar_store::DatabaseUrl::Sqlite(path, _) = sapar_store::DatabaseUrl::parse(db)? {
        anyhow::ensure!(
            path.exists(),
            "no register at {}: the database file does not exist (pass --db or set SAPAR_DB to the \
             register's database; `sapar serve`, `sapar import` and `sapar tokens create` create one)",
            path.display()
        );
    }
    Ok(())
}
