//! `/api/v1/exchange/messages`: roles, the answer without an exchange node, how the node's
//! answers and refusals become HTTP, and the OpenAPI description. The node is a stand-in here;
//! the real one is exercised end to end by the `sapar` binary's tests.

use std::sync::{Arc, Mutex};

use sapar_http::{
    AppState, Caller, ExchangeApi, ExchangeError, ExchangeFuture, ExchangeMessageView, MessageDirection, MessageQueued,
    SendMessageBody,
};
use sapar_model::Role;
use sapar_store::{Store, TokenRecord};
use serde_json::{Value, json};

use crate::support::{BORDER, OFFICER};

/// Answers like a node would: requests are queued, anything else is refused; listings echo
/// their arguments.
#[derive(Debug, Default)]
struct StandIn {
    sent: Mutex<Vec<(String, SendMessageBody)>>,
}

impl ExchangeApi for StandIn {
    fn send<'a>(&'a self, caller: &'a Caller, message: SendMessageBody) -> ExchangeFuture<'a, MessageQueued> {
        Box::pin(async move {
            match message.message_type.as_str() {
                "request" => {
                    self.sent.lock().unwrap().push((caller.token_name.clone(), message));
                    Ok(MessageQueued {
                        id: "01999ec9-0c00-7080-a42a-4c019bafc73e".into(),
                        case_id: "97e9b42e-c08e-447b-ba94-661b238a6c8f".into(),
                        channel: "KAZ-KGZ-2019:KAZ>KGZ".into(),
                        seq: 1,
                        message_hash: "ab".repeat(32),
                        status: "pending".into(),
                        signatory: "KAZ-MVD-1".into(),
                    })
                }
                "notice" => Err(ExchangeError::Storage("disk full".into())),
                _ => Err(ExchangeError::Unprocessable {
                    code: "message_type_not_allowed",
                    message: "ack from the opener is not allowed in state requested".into(),
                    field: None,
                }),
            }
        })
    }

    fn list(&self, direction: MessageDirection, limit: u32) -> ExchangeFuture<'_, Vec<ExchangeMessageView>> {
        Box::pin(async move {
            Ok(vec![ExchangeMessageView {
                direction: if direction == MessageDirection::In { "in" } else { "out" }.into(),
                id: "01999ec9-0c00-7080-a42a-4c019bafc73e".into(),
                channel: "KAZ-KGZ-2019:KAZ>KGZ".into(),
                seq: i64::from(limit),
                message_type: "request".into(),
                case_id: "97e9b42e-c08e-447b-ba94-661b238a6c8f".into(),
                agreement: "KAZ-KGZ-2019".into(),
                from: "KAZ-MVD".into(),
                to: "KGZ-GMS".into(),
                created_at: "2025-10-01T08:00:00Z".into(),
                message_hash: "ab".repeat(32),
                status: "pending".into(),
                attempts: Some(2),
                last_error: Some("network: connection refused".into()),
                next_attempt_at: Some("2025-10-01T08:00:04Z".into()),
                receipt: None,
            }])
        })
    }
}

struct Server {
    base: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn server(exchange: Option<Arc<StandIn>>) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite:{}", dir.path().join("api.db").display())).await.unwrap();
    for (secret, role) in [(BORDER, Role::Border), (OFFICER, Role::Officer)] {
        let record = TokenRecord {
            id: uuid::Uuid::now_v7(),
            name: secret.to_owned(),
            role,
            created_at: jiff::Timestamp::now(),
            revoked_at: None,
        };
        assert!(store.insert_token(record, sapar_http::hash_token(secret)).await.unwrap());
    }
    let mut state = AppState::new(store).unwrap();
    if let Some(e) = exchange {
        state = state.with_exchange(e);
    }
    let (listener, addr) = sapar_http::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    tokio::spawn(sapar_http::serve(listener, state, std::future::pending()));
    Server { base: format!("http://{addr}/api/v1/exchange/messages"), client: reqwest::Client::new(), _dir: dir }
}

impl Server {
    async fn post(&self, token: &str, body: &Value) -> (u16, Value) {
        let response = self.client.post(&self.base).bearer_auth(token).json(body).send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    async fn get(&self, token: &str, query: &str) -> (u16, Value) {
        let response = self.client.get(format!("{}?{query}", self.base)).bearer_auth(token).send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }
}

fn message(message_type: &str) -> Value {
    json!({
        "agreement": "KAZ-KGZ-2019", "from": "KAZ-MVD", "to": "KGZ-GMS", "type": message_type,
        "body": {"purpose": "…"}
    })
}

#[tokio::test]
async fn without_an_exchange_node_the_routes_say_so_and_roles_still_apply() {
    let s = server(None).await;
    let (status, error) = s.get(OFFICER, "direction=in").await;
    assert_eq!((status, error["code"].as_str()), (404, Some("exchange_not_configured")));
    let (status, error) = s.post(OFFICER, &message("request")).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("exchange_not_configured")));
    let (status, error) = s.get(OFFICER, "direction=sideways").await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (400, Some("invalid_direction"), Some("direction"))
    );
    let (status, error) = s.post(BORDER, &message("request")).await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));
    let (status, error) = s.get(BORDER, "direction=out").await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));
}

#[tokio::test]
async fn the_nodes_answers_and_refusals_become_http() {
    let node = Arc::new(StandIn::default());
    let s = server(Some(Arc::clone(&node))).await;
    let (status, queued) = s.post(OFFICER, &message("request")).await;
    assert_eq!(status, 202, "{queued}");
    assert_eq!((queued["seq"].as_i64(), queued["status"].as_str()), (Some(1), Some("pending")));
    assert_eq!(queued["channel"], "KAZ-KGZ-2019:KAZ>KGZ");
    let sent = node.sent.lock().unwrap().pop().unwrap();
    assert_eq!((sent.0.as_str(), sent.1.to.as_str(), sent.1.body["purpose"].as_str()), (OFFICER, "KGZ-GMS", Some("…")));

    let (status, error) = s.post(OFFICER, &message("ack")).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("message_type_not_allowed")));
    let (status, error) = s.post(OFFICER, &message("notice")).await;
    assert_eq!((status, error["code"].as_str()), (503, Some("storage_unavailable")));
    assert!(!error["message"].as_str().unwrap().contains("disk"), "internals stay in the log");
    let mut extra = message("request");
    extra["priority"] = json!("high");
    let (status, error) = s.post(OFFICER, &extra).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("invalid_body")));

    let (status, list) = s.get(OFFICER, "direction=out&limit=5000").await;
    assert_eq!(status, 200);
    let m = &list["messages"][0];
    assert_eq!((m["direction"].as_str(), m["seq"].as_i64()), (Some("out"), Some(1000)), "limit is capped");
    assert_eq!((m["type"].as_str(), m["attempts"].as_i64()), (Some("request"), Some(2)));
    let (_, list) = s.get(OFFICER, "direction=in").await;
    assert_eq!(
        (list["messages"][0]["direction"].as_str(), list["messages"][0]["seq"].as_i64()),
        (Some("in"), Some(100))
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_exchange_routes() {
    let s = server(None).await;
    let url = s.base.replace("/exchange/messages", "/openapi.json");
    let doc: Value = s.client.get(url).bearer_auth(OFFICER).send().await.unwrap().json().await.unwrap();
    let path = &doc["paths"]["/api/v1/exchange/messages"];
    assert_eq!(path["post"]["tags"][0], "exchange");
    assert!(path["post"]["responses"]["202"].is_object(), "{path}");
    assert!(path["get"]["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "direction"));
    for schema in ["SendMessageBody", "MessageQueued", "ExchangeMessageList", "ExchangeMessageView", "ReceiptView"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
    }
}
