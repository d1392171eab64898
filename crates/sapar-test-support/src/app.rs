//! `TestApp`: the API served on port 0 over a fresh database, with one token per role.

use std::net::SocketAddr;

use sapar_http::{AppState, ServerSettings};
use sapar_model::Role;
use sapar_register::Register;
use sapar_store::Store;
use serde_json::Value;

use crate::TestDb;

/// The secret of the border officer's token.
pub const BORDER: &str = "sapar_test_border";
/// The secret of the migration officer's token.
pub const OFFICER: &str = "sapar_test_officer";
/// The secret of the exchange officer's token (works the treaty exchange's cases).
pub const EXCHANGE: &str = "sapar_test_exchange";
/// The secret of the analyst's token.
pub const ANALYST: &str = "sapar_test_analyst";
/// The secret of the auditor's token (reads the access log).
pub const AUDITOR: &str = "sapar_test_auditor";
/// The secret of the administrator's token.
pub const ADMIN: &str = "sapar_test_admin";
/// The secret of a revoked token.
pub const REVOKED: &str = "sapar_test_revoked";

/// A running API over its own database.
#[derive(Debug)]
pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub register: Register,
    pub client: reqwest::Client,
    pub db: TestDb,
}

impl TestApp {
    /// The API over `db` with default state and settings.
    pub async fn start(db: TestDb) -> TestApp {
        TestApp::start_with(db, |state| state, ServerSettings::default()).await
    }

    /// The API over `db`, its state adjusted by `configure`, served with `settings`.
    pub async fn start_with(
        db: TestDb,
        configure: impl FnOnce(AppState) -> AppState,
        settings: ServerSettings,
    ) -> TestApp {
        TestApp::start_over(db, |register| register, configure, settings).await
    }

    /// The API over `db` with default state and settings, its register adjusted by `adjust`
    /// (given cards to issue, say).
    pub async fn start_with_register(db: TestDb, adjust: impl FnOnce(Register) -> Register) -> TestApp {
        TestApp::start_over(db, adjust, |state| state, ServerSettings::default()).await
    }

    async fn start_over(
        db: TestDb,
        adjust: impl FnOnce(Register) -> Register,
        configure: impl FnOnce(AppState) -> AppState,
        settings: ServerSettings,
    ) -> TestApp {
        let store = db.store.clone();
        for (secret, role) in [
            (BORDER, Role::Border),
            (OFFICER, Role::Officer),
            (EXCHANGE, Role::Exchange),
            (ANALYST, Role::Analyst),
            (AUDITOR, Role::Auditor),
            (ADMIN, Role::Admin),
            (REVOKED, Role::Border),
        ] {
            insert_token(&store, secret, role, None).await;
        }
        assert!(store.revoke_token(REVOKED, jiff::Timestamp::now()).await.unwrap());
        let register = adjust(Register::with_embedded_rules(store.clone()).unwrap());
        let (listener, addr) = sapar_http::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let state = configure(AppState::new(register.clone()).unwrap());
        tokio::spawn(sapar_http::serve(listener, state, settings, std::future::pending()));
        TestApp { addr, store, register, client: reqwest::Client::new(), db }
    }

    /// `http://ADDR{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Posts a crossing; the status and the JSON answer.
    pub async fn post(&self, token: &str, body: &Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, Some(token), "/api/v1/crossings", Some(body)).await
    }

    /// Gets `path`; the status and the answer (JSON, or the text as a string).
    pub async fn get(&self, token: Option<&str>, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, token, path, None).await
    }

    /// Gets `path` stating `purpose` in `Sapar-Purpose`, as a read of persons' data needs where
    /// the token's role has no default purpose; the status and the answer.
    pub async fn read(&self, token: Option<&str>, purpose: &str, path: &str) -> (u16, Value) {
        let mut request = self.client.get(self.url(path)).header("Sapar-Purpose", purpose);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        answer(request).await
    }

    /// Any request; the status and the answer (JSON, or the text as a string).
    pub async fn send(
        &self,
        method: reqwest::Method,
        token: Option<&str>,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        answer(request).await
    }

    /// Persons, documents and crossings in the database.
    pub async fn counts(&self) -> [i64; 3] {
        self.store.counts().await.unwrap()
    }
}

/// Sends `request`; the status and the answer (JSON, or the text as a string).
async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Stores a token with `secret` (its hash only), as `sapar tokens create` would.
pub async fn insert_token(store: &Store, secret: &str, role: Role, expires_at: Option<jiff::Timestamp>) {
    let record = sapar_store::TokenRecord {
        id: uuid::Uuid::now_v7(),
        name: secret.to_owned(),
        role,
        created_at: jiff::Timestamp::now(),
        revoked_at: None,
        expires_at,
    };
    assert!(store.insert_token(record, sapar_register::tokens::hash_token(secret)).await.unwrap());
}
