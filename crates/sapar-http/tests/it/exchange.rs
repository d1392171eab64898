//! `/api/v1/exchange/messages` and the operators' exchange routes (channels, resume, signatory
//! lists, authority changes): roles, the answer without an exchange node, how the node's answers
//! and refusals become HTTP, and the OpenAPI description. The node is a stand-in here;
//! the real one is exercised end to end by the `sapar` binary's tests.

use std::sync::{Arc, Mutex};

use sapar_http::ServerSettings;
use sapar_http::{
    AuthorityChangeBody, Caller, ChannelHaltView, ChannelView, ExchangeApi, ExchangeError, ExchangeFuture,
    ExchangeMessageView, MessageDirection, MessageQueued, SendMessageBody, SignatoryListBody, SignatoryListSent,
};
use sapar_model::Country;
use sapar_register::access::Access;
use sapar_register::exchange::{
    CaseAnswer, CaseBody, CaseCounts, CaseDelivery, CaseDesk, CaseDirection, CaseFilter, CaseFuture, CaseMessage,
    CaseRecord, CaseStatus, CaseStep, CaseStepKind, CaseSummary, ExchangeChannel, RequestDeadline, require_case_role,
    require_step_role,
};
use sapar_register::{Actor, Entity, RegisterError};
use sapar_test_support::{ADMIN, AUDITOR, EXCHANGE, TestDb};
use sapar_treaty::case::CaseState;
use serde_json::{Value, json};

use crate::support::{BORDER, OFFICER, TestApp};

const HALTED: &str = "KAZ-KGZ-2019:KAZ>KGZ";

/// Answers like a node would: requests are queued, anything else is refused; listings echo
/// their arguments.
#[derive(Debug, Default)]
struct StandIn {
    sent: Mutex<Vec<(String, SendMessageBody)>>,
    resumed: Mutex<Vec<(String, String)>>,
    lists: Mutex<Vec<SignatoryListBody>>,
    changes: Mutex<Vec<AuthorityChangeBody>>,
    case_queries: Mutex<Vec<CaseFilter>>,
    case_reads: Mutex<Vec<(String, String)>>,
    steps: Mutex<Vec<(String, CaseStep)>>,
}

const CASE: &str = "97e9b42e-c08e-447b-ba94-661b238a6c8f";

fn at(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

fn case_summary() -> CaseSummary {
    CaseSummary {
        case_id: CASE.parse().unwrap(),
        agreement: "KAZ-KGZ-2019".into(),
        partner: Country::KGZ,
        opened_by: Country::KGZ,
        state: CaseState::InProgress,
        status: CaseStatus::DueSoon,
        opened_at: Some(at("2025-10-01T08:00:00Z")),
        last_activity_at: Some(at("2025-10-02T08:00:00Z")),
        messages: 2,
        deadline: Some(RequestDeadline {
            requested_party: Country::KAZ,
            received_at: at("2025-10-01T08:00:00Z"),
            received_on: jiff::civil::date(2025, 10, 1),
            due_on: jiff::civil::date(2025, 10, 31),
            days_left: 3,
            answered_at: None,
            answered_on_time: None,
        }),
    }
}

/// The desk as the node answers: roles checked as the register's rule says, one case known.
impl CaseDesk for StandIn {
    fn cases<'a>(
        &'a self,
        role: sapar_model::Role,
        filter: &'a CaseFilter,
        _now: jiff::Timestamp,
    ) -> CaseFuture<'a, Vec<CaseSummary>> {
        Box::pin(async move {
            require_case_role(role, "list exchange cases")?;
            self.case_queries.lock().unwrap().push(filter.clone());
            Ok(vec![case_summary()])
        })
    }

    fn case<'a>(
        &'a self,
        access: &'a Access,
        case_id: uuid::Uuid,
        _now: jiff::Timestamp,
    ) -> CaseFuture<'a, CaseRecord> {
        Box::pin(async move {
            require_case_role(access.actor.role, "read exchange cases")?;
            if case_id.to_string() != CASE {
                return Err(RegisterError::NotFound(Entity::ExchangeCase));
            }
            self.case_reads.lock().unwrap().push((access.actor.name.clone(), access.purpose.as_str().to_owned()));
            let request = CaseMessage {
                direction: CaseDirection::In,
                id: uuid::Uuid::now_v7(),
                channel: "KAZ-KGZ-2019:KGZ>KAZ".into(),
                seq: 1,
                message_type: "request".into(),
                from: "KGZ-GMS".into(),
                to: "KAZ-MVD".into(),
                in_reply_to: None,
                created_at: at("2025-10-01T07:59:00Z"),
                received_at: Some(at("2025-10-01T08:00:00Z")),
                delivery: CaseDelivery::Received,
                body: CaseBody::Present(json!({"purpose": "установление правового статуса"})),
            };
            let destroyed = CaseMessage {
                seq: 2,
                message_type: "clarification".into(),
                body: CaseBody::Destroyed,
                ..request.clone()
            };
            Ok(CaseRecord {
                summary: case_summary(),
                messages: vec![request, destroyed],
                steps: vec![CaseStepKind::ClarificationRequest, CaseStepKind::DelayNotice],
                answer: None,
            })
        })
    }

    fn take_step<'a>(&'a self, actor: &'a Actor, case_id: uuid::Uuid, step: CaseStep) -> CaseFuture<'a, uuid::Uuid> {
        Box::pin(async move {
            require_step_role(actor.role)?;
            if case_id.to_string() != CASE {
                return Err(RegisterError::NotFound(Entity::ExchangeCase));
            }
            if step.kind() == CaseStepKind::AuthenticityQuery {
                return Err(RegisterError::ExchangeRefused {
                    code: "message_type_not_allowed",
                    message: "authenticity_query from the responding party is not allowed in case state answered"
                        .into(),
                });
            }
            self.steps.lock().unwrap().push((actor.name.clone(), step));
            Ok("01999ec9-0c00-7080-a42a-4c019bafc73e".parse().unwrap())
        })
    }

    fn answer<'a>(&'a self, actor: &'a Actor, _case_id: uuid::Uuid, answer: CaseAnswer) -> CaseFuture<'a, uuid::Uuid> {
        Box::pin(async move {
            require_step_role(actor.role)?;
            Err(RegisterError::ExchangeRefused {
                code: "answer_incomplete",
                message: format!("{} categories answered", answer.results.len()),
            })
        })
    }

    fn openings<'a>(&'a self, _role: sapar_model::Role) -> CaseFuture<'a, Vec<sapar_register::exchange::OpeningTerms>> {
        Box::pin(async move { Ok(Vec::new()) })
    }

    fn open_case<'a>(
        &'a self,
        _actor: &'a Actor,
        _opening: sapar_register::exchange::CaseOpening,
    ) -> CaseFuture<'a, uuid::Uuid> {
        Box::pin(async move { Err(RegisterError::NotFound(Entity::ExchangeCase)) })
    }

    // The API's channel routes go through `ExchangeApi`; the workplace's through these.
    fn channels<'a>(&'a self, _actor: &'a Actor) -> CaseFuture<'a, Vec<ExchangeChannel>> {
        Box::pin(async move { Ok(Vec::new()) })
    }

    fn resume_channel<'a>(&'a self, _actor: &'a Actor, channel: &'a str) -> CaseFuture<'a, ExchangeChannel> {
        Box::pin(async move {
            Err(RegisterError::ExchangeRefused {
                code: "channel_not_halted",
                message: format!("{channel} is not halted"),
            })
        })
    }

    fn case_counts(&self, _now: jiff::Timestamp) -> CaseFuture<'_, CaseCounts> {
        Box::pin(async move { Ok(CaseCounts { open: 4, due_soon: 1, overdue: 2, closed: 7 }) })
    }
}

fn queued_view(channel: &str) -> MessageQueued {
    MessageQueued {
        id: "01999ec9-0c00-7080-a42a-4c019bafc73e".into(),
        case_id: "97e9b42e-c08e-447b-ba94-661b238a6c8f".into(),
        channel: channel.into(),
        seq: 1,
        message_hash: "ab".repeat(32),
        status: "pending".into(),
        signatory: "KAZ-MVD-1".into(),
    }
}

fn channel_view(halted: bool) -> ChannelView {
    ChannelView {
        channel: HALTED.into(),
        agreement: "KAZ-KGZ-2019".into(),
        partner: "KGZ".into(),
        delivered_seq: Some(4),
        next_seq: 7,
        queued: 2,
        halted: halted.then(|| ChannelHaltView {
            code: "sequence_out_of_order".into(),
            detail: "channel KAZ-KGZ-2019:KAZ>KGZ expects seq 9, got 5".into(),
            message_id: "01999ec9-0c00-7080-a42a-4c019bafc73e".into(),
            since: "2025-10-01T08:00:00Z".into(),
        }),
    }
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

    fn case_desk(&self) -> &dyn CaseDesk {
        self
    }

    fn channels(&self) -> ExchangeFuture<'_, Vec<ChannelView>> {
        Box::pin(async move { Ok(vec![channel_view(self.resumed.lock().unwrap().is_empty())]) })
    }

    fn resume<'a>(&'a self, caller: &'a Caller, channel: &'a str) -> ExchangeFuture<'a, ChannelView> {
        Box::pin(async move {
            if channel != HALTED {
                return Err(ExchangeError::Conflict {
                    code: "channel_not_halted",
                    message: format!("channel {channel} is not halted"),
                });
            }
            self.resumed.lock().unwrap().push((caller.token_name.clone(), channel.to_owned()));
            Ok(channel_view(false))
        })
    }

    fn send_signatory_list<'a>(
        &'a self,
        _caller: &'a Caller,
        list: SignatoryListBody,
    ) -> ExchangeFuture<'a, SignatoryListSent> {
        Box::pin(async move {
            if list.version == Some(1) {
                return Err(ExchangeError::Unprocessable {
                    code: "signatory_list_not_newer",
                    message: "KAZ-MVD's signatory list version 1 is not newer than version 1".into(),
                    field: None,
                });
            }
            let sent = SignatoryListSent {
                authority: list.authority.clone(),
                version: list.version.unwrap_or(2),
                effective_from: list.effective_from.clone(),
                messages: vec![queued_view("KAZ-KGZ-2019:KAZ>KGZ"), queued_view("KAZ-ARM-2024:KAZ>ARM")],
            };
            self.lists.lock().unwrap().push(list);
            Ok(sent)
        })
    }

    fn send_authority_change<'a>(
        &'a self,
        _caller: &'a Caller,
        change: AuthorityChangeBody,
    ) -> ExchangeFuture<'a, MessageQueued> {
        Box::pin(async move {
            self.changes.lock().unwrap().push(change);
            Ok(queued_view("KAZ-KGZ-2019:KAZ>KGZ"))
        })
    }
}

struct Server {
    base: String,
    client: reqwest::Client,
    _app: TestApp,
}

async fn server(exchange: Option<Arc<StandIn>>) -> Server {
    let db = TestDb::sqlite().await;
    let app = TestApp::start_with(
        db,
        |state| match exchange {
            Some(e) => state.with_exchange(e),
            None => state,
        },
        ServerSettings::default(),
    )
    .await;
    Server { base: app.url("/api/v1/exchange/messages"), client: reqwest::Client::new(), _app: app }
}

impl Server {
    async fn post(&self, token: &str, body: &Value) -> (u16, Value) {
        let response = self.client.post(&self.base).bearer_auth(token).json(body).send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    async fn call(&self, token: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let url = self.base.replace("/exchange/messages", path);
        let request = match body {
            Some(b) => self.client.post(url).json(b),
            None => self.client.get(url),
        };
        let response = request.bearer_auth(token).send().await.unwrap();
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
    for route in
        ["/api/v1/exchange/channels/resume", "/api/v1/exchange/signatory-lists", "/api/v1/exchange/authority-changes"]
    {
        assert!(doc["paths"][route]["post"].is_object(), "{route} missing");
    }
    assert!(doc["paths"]["/api/v1/exchange/channels"]["get"].is_object());
    for schema in [
        "SendMessageBody",
        "MessageQueued",
        "ExchangeMessageList",
        "ExchangeMessageView",
        "ReceiptView",
        "ChannelList",
        "ChannelView",
        "SignatoryListBody",
        "SignatoryListSent",
        "AuthorityChangeBody",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
    }
}

#[tokio::test]
async fn operators_list_and_resume_channels_and_send_lists_and_changes() {
    let node = Arc::new(StandIn::default());
    let s = server(Some(Arc::clone(&node))).await;
    let (status, list) = s.call(ADMIN, "/exchange/channels", None).await;
    assert_eq!(status, 200, "{list}");
    let c = &list["channels"][0];
    assert_eq!(
        (c["channel"].as_str(), c["partner"].as_str(), c["next_seq"].as_i64()),
        (Some(HALTED), Some("KGZ"), Some(7))
    );
    assert_eq!(
        (c["halted"]["code"].as_str(), c["halted"]["since"].as_str()),
        (Some("sequence_out_of_order"), Some("2025-10-01T08:00:00Z"))
    );

    let (status, error) =
        s.call(ADMIN, "/exchange/channels/resume", Some(&json!({"channel": "KAZ-ARM-2024:KAZ>ARM"}))).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("channel_not_halted")));
    let (status, resumed) = s.call(ADMIN, "/exchange/channels/resume", Some(&json!({"channel": HALTED}))).await;
    assert_eq!((status, resumed["halted"].is_null(), resumed["queued"].as_i64()), (200, true, Some(2)));
    assert_eq!(node.resumed.lock().unwrap().as_slice(), [(ADMIN.to_owned(), HALTED.to_owned())]);
    let (_, list) = s.call(ADMIN, "/exchange/channels", None).await;
    assert!(list["channels"][0]["halted"].is_null());

    let new_list = json!({
        "authority": "KAZ-MVD",
        "effective_from": "2025-11-01T00:00:00Z",
        "signatories": [{"name": "Сейтказы Ерлан", "position": "заместитель министра", "certificate_sha256": "ab".repeat(32)}]
    });
    let (status, sent) = s.call(ADMIN, "/exchange/signatory-lists", Some(&new_list)).await;
    assert_eq!((status, sent["version"].as_u64(), sent["messages"].as_array().map(Vec::len)), (202, Some(2), Some(2)));
    assert_eq!(node.lists.lock().unwrap()[0].signatories[0].name, "Сейтказы Ерлан");
    let mut stale = new_list.clone();
    stale["version"] = json!(1);
    let (status, error) = s.call(ADMIN, "/exchange/signatory-lists", Some(&stale)).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("signatory_list_not_newer")));

    let change = json!({
        "agreement": "KAZ-KGZ-2019", "effective_on": "2025-11-01", "replaced": "KAZ-MTSZN",
        "new": {"id": "KAZ-MTSZN2", "name_ru": "Министерство труда", "name_en": "Ministry of Labour"},
        "basis": "постановление № 1"
    });
    let (status, queued) = s.call(ADMIN, "/exchange/authority-changes", Some(&change)).await;
    assert_eq!((status, queued["status"].as_str()), (202, Some("pending")));
    assert_eq!(node.changes.lock().unwrap()[0].new.as_ref().map(|n| n.id.as_str()), Some("KAZ-MTSZN2"));

    // Operators' routes: the admin role only.
    for (path, body) in [
        ("/exchange/channels", None),
        ("/exchange/channels/resume", Some(json!({"channel": HALTED}))),
        ("/exchange/signatory-lists", Some(new_list)),
        ("/exchange/authority-changes", Some(change)),
    ] {
        let (status, error) = s.call(OFFICER, path, body.as_ref()).await;
        assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")), "{path}");
    }
    let without = server(None).await;
    let (status, error) = without.call(ADMIN, "/exchange/channels", None).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("exchange_not_configured")));
}

#[tokio::test]
async fn the_case_desk_lists_cases_by_status_and_shows_one_after_logging_the_read() {
    let node = Arc::new(StandIn::default());
    let s = server(Some(Arc::clone(&node))).await;
    let (status, list) =
        s.call(EXCHANGE, "/exchange/cases?status=due_soon&partner=KGZ&agreement=KAZ-KGZ-2019", None).await;
    assert_eq!(status, 200, "{list}");
    let case = &list["cases"][0];
    assert_eq!((case["status"].as_str(), case["state"].as_str()), (Some("due_soon"), Some("in_progress")));
    assert_eq!(
        (case["deadline"]["due_on"].as_str(), case["deadline"]["days_left"].as_i64()),
        (Some("2025-10-31"), Some(3))
    );
    assert_eq!(
        node.case_queries.lock().unwrap().pop().unwrap(),
        CaseFilter {
            status: Some(CaseStatus::DueSoon),
            partner: Some(Country::KGZ),
            agreement: Some("KAZ-KGZ-2019".into())
        }
    );

    for (query, field) in [("status=late", "status"), ("partner=Kyrgyzstan", "partner"), ("colour=red", "colour")] {
        let (status, error) = s.call(EXCHANGE, &format!("/exchange/cases?{query}"), None).await;
        assert_eq!((status, error["code"].as_str()), (400, Some("invalid_query")), "{query}: {error}");
        if field != "colour" {
            assert_eq!(error["field"].as_str(), Some(field), "{error}");
        }
    }
    // Requests are confidential: migration and border officers see no case.
    for token in [OFFICER, BORDER] {
        let (status, error) = s.call(token, "/exchange/cases", None).await;
        assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));
        let url = s.base.replace("/exchange/messages", &format!("/exchange/cases/{CASE}"));
        let response = s.client.get(url).bearer_auth(token).header("Sapar-Purpose", "exchange_request").send().await;
        assert_eq!(response.unwrap().status().as_u16(), 403);
    }
    assert!(node.case_reads.lock().unwrap().is_empty());

    // The read goes to the node with the reader and the purpose (the role's default, or stated).
    let (status, shown) = s.call(EXCHANGE, &format!("/exchange/cases/{CASE}"), None).await;
    assert_eq!((status, shown["case"]["case_id"].as_str()), (200, Some(CASE)), "{shown}");
    assert_eq!(shown["case"]["deadline"]["received_on"], "2025-10-01");
    let messages = shown["messages"].as_array().unwrap();
    assert_eq!((messages[0]["direction"].as_str(), messages[0]["status"].as_str()), (Some("in"), Some("received")));
    assert_eq!(messages[0]["body"]["purpose"], "установление правового статуса");
    assert_eq!((messages[1]["body"].is_null(), messages[1]["body_destroyed"].as_bool()), (true, Some(true)));
    let url = s.base.replace("/exchange/messages", &format!("/exchange/cases/{CASE}"));
    let response = s.client.get(url).bearer_auth(AUDITOR).header("Sapar-Purpose", "audit").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let reads = node.case_reads.lock().unwrap().clone();
    assert_eq!(reads, [(EXCHANGE.to_owned(), "exchange_request".to_owned()), (AUDITOR.to_owned(), "audit".to_owned())]);

    let (status, error) = s.call(EXCHANGE, "/exchange/cases/01999ec9-0c00-7080-a42a-4c019bafc73e", None).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("not_found")));
    let (status, error) = s.call(EXCHANGE, "/exchange/cases/not-a-case", None).await;
    assert_eq!((status, error["code"].as_str()), (400, Some("invalid_id")));

    assert_eq!(shown["steps"], json!(["clarification_request", "delay_notice"]));

    // A step goes to the node as the register's step, checked field by field first.
    let steps_url = format!("/exchange/cases/{CASE}/steps");
    let delay = json!({"step": "delay_notice", "text": "архив на реконструкции", "date": "2025-11-10"});
    let (status, queued) = s.call(EXCHANGE, &steps_url, Some(&delay)).await;
    assert_eq!((status, queued["type"].as_str()), (202, Some("delay_notice")), "{queued}");
    let taken = node.steps.lock().unwrap().pop().unwrap();
    assert_eq!(
        taken,
        (
            EXCHANGE.to_owned(),
            CaseStep::DelayNotice {
                reason: "архив на реконструкции".into(),
                expected_on: Some(jiff::civil::date(2025, 11, 10))
            }
        )
    );
    for (body, code, field) in [
        (json!({"step": "answer", "text": "x"}), "invalid_choice", Some("step")),
        (json!({"step": "delay_notice", "text": "  "}), "missing_field", Some("text")),
        (json!({"step": "delay_notice", "text": "x", "date": "10.11.2025"}), "invalid_date", Some("date")),
        (json!({"step": "authenticity_query", "text": "x"}), "message_type_not_allowed", None),
        (json!({"step": "delay_notice", "text": "x", "priority": "high"}), "invalid_body", None),
    ] {
        let (status, error) = s.call(EXCHANGE, &steps_url, Some(&body)).await;
        assert_eq!((status, error["code"].as_str()), (422, Some(code)), "{body}: {error}");
        if field.is_some() {
            assert_eq!(error["field"].as_str(), field, "{error}");
        }
    }
    let (status, _) = s.call(AUDITOR, &steps_url, Some(&delay)).await;
    assert_eq!(status, 403, "auditors read cases and take no steps");
    let (status, _) =
        s.call(EXCHANGE, "/exchange/cases/01999ec9-0c00-7080-a42a-4c019bafc73e/steps", Some(&delay)).await;
    assert_eq!(status, 404);
    assert!(node.steps.lock().unwrap().is_empty(), "nothing refused reached the node");

    // An answer reaches the node as the register's answer, its categories checked first; the
    // node's refusal comes back with its code. A case it may not answer has no draft.
    assert_eq!(shown["answer"], Value::Null);
    let answer_url = format!("/exchange/cases/{CASE}/answer");
    let answer = json!({
        "results": [{"category": "registration", "records": [{"surname": {"latin": "ASANOV"}}]}],
        "refusals": [{"category": "expulsion", "ground": "security", "reasons": "материалы проверки"}]
    });
    let (status, error) = s.call(EXCHANGE, &answer_url, Some(&answer)).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("answer_incomplete")), "{error}");
    assert_eq!(error["message"], "1 categories answered");
    let unknown = json!({"results": [{"category": "weather", "records": []}]});
    let (status, error) = s.call(EXCHANGE, &answer_url, Some(&unknown)).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (422, Some("invalid_choice"), Some("results"))
    );
    let (status, _) = s.call(AUDITOR, &answer_url, Some(&answer)).await;
    assert_eq!(status, 403, "auditors send no answers");
    let (status, error) = s.call(EXCHANGE, &format!("/exchange/cases/{CASE}/answer-draft"), None).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("message_type_not_allowed")), "{error}");
    let (status, error) = s.call(EXCHANGE, &format!("/exchange/cases/{CASE}/answer-draft?person=7"), None).await;
    assert_eq!((status, error["code"].as_str()), (400, Some("invalid_query")), "{error}");

    // The node's counts are gauges of the metrics, set at each scrape.
    let metrics = s.client.get(s.base.replace("/api/v1/exchange/messages", "/metrics")).send().await.unwrap();
    let text = metrics.text().await.unwrap();
    for line in [
        "sapar_exchange_cases{status=\"open\"} 4",
        "sapar_exchange_cases{status=\"due_soon\"} 1",
        "sapar_exchange_cases{status=\"overdue\"} 2",
        "sapar_exchange_cases{status=\"closed\"} 7",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing from\n{text}");
    }
}
