//! A running server on a fresh database, with one token per role.

use std::net::SocketAddr;

use sapar_http::AppState;
use sapar_model::Role;
use sapar_store::{Store, TokenRecord};
use serde_json::{Value, json};

pub(crate) struct TestApp {
    pub(crate) addr: SocketAddr,
    pub(crate) store: Store,
    pub(crate) client: reqwest::Client,
    _dir: Option<tempfile::TempDir>,
}

pub(crate) const BORDER: &str = "sapar_test_border";
pub(crate) const OFFICER: &str = "sapar_test_officer";
pub(crate) const ANALYST: &str = "sapar_test_analyst";
pub(crate) const REVOKED: &str = "sapar_test_revoked";

async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite:{}", dir.path().join("api.db").display())).await.unwrap();
    (store, dir)
}

async fn postgres_store() -> Option<Store> {
    let Ok(base) = std::env::var("SAPAR_TEST_POSTGRES") else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true requires SAPAR_TEST_POSTGRES");
        return None;
    };
    let schema = format!("api_{}", uuid::Uuid::new_v4().simple());
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(Store::open(&format!("{base}{sep}options=-csearch_path%3D{schema}")).await.unwrap())
}

impl TestApp {
    pub(crate) async fn sqlite() -> TestApp {
        let (store, dir) = sqlite_store().await;
        TestApp::start(store, Some(dir)).await
    }

    pub(crate) async fn postgres() -> Option<TestApp> {
        Some(TestApp::start(postgres_store().await?, None).await)
    }

    async fn start(store: Store, dir: Option<tempfile::TempDir>) -> TestApp {
        for (secret, role) in
            [(BORDER, Role::Border), (OFFICER, Role::Officer), (ANALYST, Role::Analyst), (REVOKED, Role::Border)]
        {
            let record = TokenRecord {
                id: uuid::Uuid::now_v7(),
                name: secret.to_owned(),
                role,
                created_at: jiff::Timestamp::now(),
                revoked_at: None,
            };
            assert!(store.insert_token(record, sapar_http::hash_token(secret)).await.unwrap());
        }
        assert!(store.revoke_token(REVOKED, jiff::Timestamp::now()).await.unwrap());
        let (listener, addr) = sapar_http::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let state = AppState::new(store.clone()).unwrap();
        tokio::spawn(sapar_http::serve(listener, state, std::future::pending()));
        TestApp { addr, store, client: reqwest::Client::new(), _dir: dir }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) async fn post(&self, token: &str, body: &Value) -> (u16, Value) {
        let response =
            self.client.post(self.url("/api/v1/crossings")).bearer_auth(token).json(body).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    pub(crate) async fn get(&self, token: Option<&str>, path: &str) -> (u16, Value) {
        let mut request = self.client.get(self.url(path));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub(crate) async fn counts(&self) -> [i64; 3] {
        self.store.counts().await.unwrap()
    }
}

/// A valid entry of a Kyrgyz traveller at Korday.
pub(crate) fn entry(document: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "direction": "entry",
        "at": "2025-04-01T09:30:00+05:00[Asia/Almaty]",
        "crossing_point": "KZ-KORDAY",
        "purpose": "work",
        "document": {"type": "passport", "number": document, "issuing_state": "KGZ", "expiry": "2031-05-01"},
        "person": {
            "native_name": {"surname": "Асанова", "given_names": "Айгүл", "patronymic": "Бакыт кызы"},
            "latin_name": {"surname": "ASANOVA", "given_names": "AIGUL"},
            "sex": "F",
            "birth_date": "1994-03-08",
            "citizenship": "KGZ"
        }
    })
}
