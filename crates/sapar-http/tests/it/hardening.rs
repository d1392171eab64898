//! The server's doors: idle connections closed, rate limits answering 429 with `Retry-After`,
//! expired tokens, TLS, and JSON errors from the one table for every malformed request.

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use sapar_http::{ApiCode, Limits, Rate, ServerSettings};
use sapar_model::Role;
use sapar_test_support::{BORDER, OFFICER, TestApp, TestDb, insert_token};
use serde_json::{Value, json};

use crate::support::entry;

async fn app_with(limits: Limits, settings: ServerSettings) -> TestApp {
    TestApp::start_with(TestDb::sqlite().await, |state| state.with_limits(limits), settings).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_is_closed_by_the_server() {
    let settings = ServerSettings { header_read_timeout: Duration::from_secs(1), ..ServerSettings::default() };
    let app = app_with(Limits::default(), settings).await;
    let addr = app.addr;
    tokio::task::spawn_blocking(move || {
        // A socket that never sends a byte.
        let mut silent = std::net::TcpStream::connect(addr).unwrap();
        silent.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(silent.read(&mut buf).unwrap(), 0, "the server closes a connection that sends nothing");
        // A kept-alive connection, idle after one answered request.
        let mut kept = std::net::TcpStream::connect(addr).unwrap();
        kept.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        kept.write_all(b"GET /health HTTP/1.1\r\nHost: sapar\r\n\r\n").unwrap();
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = kept.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
        }
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.contains(r#""status":"ok""#), "the answer came before the close: {text}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_over_its_rate_gets_429_with_retry_after_and_others_are_served() {
    let limits = Limits { per_token: Some(Rate { per_second: 1, burst: 3 }), ..Limits::default() };
    let app = app_with(limits, ServerSettings::default()).await;
    let mut statuses = Vec::new();
    let mut refused = None;
    for _ in 0..5 {
        let response = app
            .client
            .get(app.url("/api/v1/review"))
            .bearer_auth(OFFICER)
            .header("Sapar-Purpose", "stay_control")
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            refused = Some((retry, response.json::<Value>().await.unwrap()));
        }
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "the burst is served");
    assert_eq!(statuses[3], 429, "{statuses:?}");
    let (retry, body) = refused.unwrap();
    assert!((1..=2).contains(&retry), "Retry-After {retry}");
    assert_eq!(body["code"], "rate_limited");
    // Another token is not held back by the first one's flood.
    let (status, _) = app.get(Some(BORDER), &format!("/api/v1/persons/{}", uuid::Uuid::now_v7())).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_over_its_rate_gets_429_whatever_the_token() {
    let limits = Limits { per_address: Some(Rate { per_second: 1, burst: 2 }), per_token: None, max_in_flight: 64 };
    let app = app_with(limits, ServerSettings::default()).await;
    assert_eq!(app.get(None, "/health").await.0, 200);
    assert_eq!(app.read(Some(OFFICER), "stay_control", "/api/v1/review").await.0, 200);
    let (status, body) = app.get(Some(BORDER), "/health").await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_gets_401_token_expired_and_a_live_one_is_served() {
    let app = TestApp::start(TestDb::sqlite().await).await;
    let past = jiff::Timestamp::now().checked_sub(jiff::SignedDuration::from_secs(1)).unwrap();
    let future = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(1)).unwrap();
    insert_token(&app.store, "sapar_expired", Role::Officer, Some(past)).await;
    insert_token(&app.store, "sapar_expiring", Role::Officer, Some(future)).await;
    let (status, body) = app.get(Some("sapar_expired"), "/api/v1/review").await;
    assert_eq!((status, body["code"].as_str()), (401, Some("token_expired")), "{body}");
    let (status, body) = app.read(Some("sapar_expiring"), "stay_control", "/api/v1/review").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_is_served_over_tls_from_pem_files() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let (cert_path, key_path) = (dir.path().join("api.pem"), dir.path().join("api.key"));
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    let tls = sapar_http::tls_from_pem(&cert_path, &key_path).unwrap();
    let settings = ServerSettings { tls: Some(tls), ..ServerSettings::default() };
    let app = app_with(Limits::default(), settings).await;

    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der().clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = format!(
        "GET /api/v1/review HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {OFFICER}\r\n\
         Sapar-Purpose: stay_control\r\nConnection: close\r\n\r\n"
    );
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""pending":0"#), "{answer}");

    // Plain HTTP to the TLS port gets no answer.
    let plain = app.client.get(app.url("/health")).send().await;
    assert!(plain.is_err(), "plain HTTP is not served on the TLS listener");
    // A key that does not parse is a clear start-up error naming the file.
    std::fs::write(&key_path, "not a key").unwrap();
    let error = sapar_http::tls_from_pem(&cert_path, &key_path).unwrap_err().to_string();
    assert!(error.contains("api.key"), "{error}");
}

/// Sends `body` as `content_type` to `path` with `method`; the status, the content type and the
/// answer parsed as JSON (a test failure when it is not JSON).
async fn raw(app: &TestApp, method: &str, path: &str, content_type: Option<&str>, body: &str) -> (u16, Value) {
    let mut request = app
        .client
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(OFFICER)
        .header("Sapar-Purpose", "stay_control")
        .body(body.to_owned());
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let ct = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(ct.as_deref(), Some("application/json"), "{method} {path} answers JSON");
    (status, response.json().await.unwrap())
}

/// A malformed request: method, path, content type, body, and the status and code it must get.
type Case<'a> = (&'a str, String, Option<&'a str>, String, u16, &'a str);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_malformed_request_gets_a_json_error_from_the_table() {
    let app = TestApp::start(TestDb::sqlite().await).await;
    let id = uuid::Uuid::now_v7();
    let crossing = entry("AC1234567").to_string();
    let cases: Vec<Case<'_>> = vec![
        ("GET", "/api/v1/review?limit=-1".into(), None, String::new(), 400, "invalid_query"),
        ("GET", "/api/v1/violations?limit=abc&status=draft".into(), None, String::new(), 400, "invalid_query"),
        ("GET", "/api/v1/exchange/messages?direction=in&limit=-5".into(), None, String::new(), 400, "invalid_query"),
        ("GET", format!("/api/v1/persons/{id}/stay?on=yesterday"), None, String::new(), 400, "invalid_query"),
        ("GET", "/api/v1/persons".into(), None, String::new(), 400, "missing_query"),
        ("GET", "/api/v1/persons/not-a-uuid".into(), None, String::new(), 400, "invalid_id"),
        ("DELETE", "/api/v1/crossings".into(), None, String::new(), 405, "method_not_allowed"),
        ("GET", "/api/v1/nowhere".into(), None, String::new(), 404, "not_found"),
        ("POST", "/api/v1/crossings".into(), Some("text/plain"), crossing.clone(), 415, "unsupported_media_type"),
        ("POST", "/api/v1/crossings".into(), None, crossing.clone(), 415, "unsupported_media_type"),
        ("POST", "/api/v1/crossings".into(), Some("application/json"), "{\"id\":".into(), 400, "malformed_json"),
        ("POST", "/api/v1/crossings".into(), Some("application/json"), "[1, 2]".into(), 422, "invalid_body"),
        ("POST", "/api/v1/crossings".into(), Some("application/json"), "\"entry\"".into(), 422, "invalid_body"),
        ("POST", "/api/v1/crossings".into(), Some("application/json"), "{\"nope\": 1}".into(), 422, "invalid_body"),
        ("POST", "/api/v1/crossings".into(), Some("application/json"), "x".repeat(70_000), 413, "payload_too_large"),
    ];
    for (method, path, content_type, body, status, code) in cases {
        let (got, error) = raw(&app, method, &path, content_type, &body).await;
        assert_eq!((got, error["code"].as_str()), (status, Some(code)), "{method} {path}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.chars().count() <= 400, "bounded message: {message}");
        for internal in ["CrossingBody", "struct ", "sapar_", "serde", "Deserialize"] {
            assert!(!message.contains(internal), "{method} {path}: {message}");
        }
        assert_eq!(ApiCode::parse(code).map(ApiCode::http_status), Some(status), "{code} is in the table");
    }
    // A long input is repeated only as an excerpt.
    let long = "Q".repeat(5_000);
    let (status, error) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{long}")).await;
    assert_eq!(status, 400);
    assert!(error["message"].as_str().unwrap().len() < 400, "{error}");
    // A field's value quoted by the model's validation is cut too.
    let mut body = entry("AC1234567");
    body["person"]["birth_date"] = json!("9".repeat(20_000));
    let (status, error) = app.post(BORDER, &body).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("invalid_date")));
    assert!(error["message"].as_str().unwrap().chars().count() <= 301, "{error}");
    assert_eq!(app.counts().await, [0, 0, 0], "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crossing_in_year_1_or_a_birth_in_1800_is_refused() {
    let app = TestApp::start(TestDb::sqlite().await).await;
    let mut body = entry("AC1234567");
    body["at"] = json!("0001-04-01T09:30:00+05:00");
    let (status, error) = app.post(BORDER, &body).await;
    assert_eq!((status, error["code"].as_str(), error["field"].as_str()), (422, Some("time_out_of_range"), Some("at")));
    let mut body = entry("AC1234567");
    body["person"]["birth_date"] = json!("1800-01-01");
    let (status, error) = app.post(BORDER, &body).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("date_out_of_range")));
    assert_eq!(app.counts().await, [0, 0, 0]);
}
