//! `POST /api/v1/exchange/messages` and `GET /api/v1/exchange/messages`: officers send messages
//! to partner states and follow their delivery. The exchange node itself is reached through the
//! [`ExchangeApi`] trait, implemented by the binary over `sapar-node`, so that this crate knows
//! the JSON shapes and roles but not TLS, signing or the treaty engine.

use std::future::Future;
use std::pin::Pin;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sapar_model::Role;
use sapar_register::exchange::CaseDesk;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
pub use crate::api::exchange_admin::{
    AuthorityChangeBody, ChannelHaltView, ChannelView, NewAuthorityBody, SignatoryBody, SignatoryListBody,
    SignatoryListSent,
};
pub use crate::api::exchange_cases::{CaseMessageView, CaseStatusView, CaseSummaryView, CaseView, DeadlineView};
use crate::auth::Caller;
use crate::error::{ApiCode, ApiError, ErrorBody};
use crate::json::{ApiJson, ApiQuery};

/// A message to send to a partner state.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendMessageBody {
    /// The agreement the message is sent under.
    #[schema(example = "KAZ-KGZ-2019")]
    pub agreement: String,
    /// The sending competent authority, of this node's state.
    #[schema(example = "KAZ-MVD")]
    pub from: String,
    /// The receiving competent authority, of a configured partner state.
    #[schema(example = "KGZ-GMS")]
    pub to: String,
    /// The message type of `sapar-exchange/1`, e.g. `request`, `ack`, `answer`, `notice`.
    #[serde(rename = "type")]
    #[schema(example = "request")]
    pub message_type: String,
    /// The case; a new case when absent.
    #[schema(format = Uuid)]
    pub case_id: Option<String>,
    /// The id of the message answered.
    #[schema(format = Uuid)]
    pub in_reply_to: Option<String>,
    /// The signatory whose key signs the message (e.g. `KAZ-MVD-1`); by default the first
    /// signatory of `from` whose key this node holds.
    pub signatory: Option<String>,
    /// The body of the message type, as in `docs/protocol.md` section 5.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// A message accepted into the outbox: it is delivered in order on its channel, retried until the
/// partner's receipt arrives.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageQueued {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub case_id: String,
    /// `AGREEMENT:FROM>TO`.
    #[schema(example = "KAZ-KGZ-2019:KAZ>KGZ")]
    pub channel: String,
    pub seq: i64,
    /// SHA-256 of the signed payload, hex.
    pub message_hash: String,
    /// `pending`.
    pub status: String,
    pub signatory: String,
}

/// A receipt: the receiving node's signed statement that it stored the message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReceiptView {
    /// The receipt as signed (compact JWS).
    pub jws: String,
    /// The receipt verifies against the receiving node's pinned CA and names this message.
    pub verified: bool,
    /// RFC 3339 UTC.
    pub received_at: Option<String>,
    pub receiver: Option<String>,
}

/// A message sent or received.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExchangeMessageView {
    /// `in` or `out`.
    pub direction: String,
    #[schema(format = Uuid)]
    pub id: String,
    pub channel: String,
    pub seq: i64,
    #[serde(rename = "type")]
    pub message_type: String,
    #[schema(format = Uuid)]
    pub case_id: String,
    pub agreement: String,
    pub from: String,
    pub to: String,
    /// RFC 3339 UTC, set by the sender.
    pub created_at: String,
    pub message_hash: String,
    /// `pending`, `delivered` or `rejected` (out); `received` (in).
    pub status: String,
    /// Delivery attempts so far (out).
    pub attempts: Option<i64>,
    /// The last delivery error, or the partner's refusal code (out).
    pub last_error: Option<String>,
    /// When the next delivery attempt is due (out, pending).
    pub next_attempt_at: Option<String>,
    pub receipt: Option<ReceiptView>,
}

/// Messages in one direction, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExchangeMessageList {
    pub messages: Vec<ExchangeMessageView>,
}

/// Which messages to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageDirection {
    In,
    Out,
}

/// Why the exchange node did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The request cannot be sent as it is (422): a field does not parse or names nothing this
    /// node can use, or the partner would refuse the message with the treaty's `code`.
    #[error("{code}: {message}")]
    Unprocessable { code: &'static str, message: String, field: Option<&'static str> },
    /// The request conflicts with the node's state (409), e.g. `channel_not_halted`.
    #[error("{code}: {message}")]
    Conflict { code: &'static str, message: String },
    /// The node's database failed (503).
    #[error("storage: {0}")]
    Storage(String),
    /// Anything else (500); details go to the log only.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<ExchangeError> for ApiError {
    fn from(e: ExchangeError) -> ApiError {
        match e {
            ExchangeError::Unprocessable { code, message, field } => {
                let error = ApiError::from_foreign(code, message);
                match field {
                    Some(field) => error.at(field),
                    None => error,
                }
            }
            ExchangeError::Conflict { code, message } => ApiError::from_foreign(code, message),
            ExchangeError::Storage(detail) => ApiError::storage(&detail),
            ExchangeError::Internal(detail) => {
                tracing::error!(error = %detail, "exchange failure");
                ApiError::internal()
            }
        }
    }
}

/// A boxed future answering an exchange call.
pub type ExchangeFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ExchangeError>> + Send + 'a>>;

/// The exchange node as the API uses it.
pub trait ExchangeApi: Send + Sync + std::fmt::Debug {
    /// Checks, signs and enqueues a message on behalf of `caller`.
    fn send<'a>(&'a self, caller: &'a Caller, message: SendMessageBody) -> ExchangeFuture<'a, MessageQueued>;
    /// The latest `limit` messages in `direction`, oldest first.
    fn list(&self, direction: MessageDirection, limit: u32) -> ExchangeFuture<'_, Vec<ExchangeMessageView>>;
    /// The node's case desk.
    fn case_desk(&self) -> &dyn CaseDesk;
    /// The outgoing channels, by name.
    fn channels(&self) -> ExchangeFuture<'_, Vec<ChannelView>>;
    /// Resumes a halted channel on behalf of `caller` (`channel_not_halted` when it is not).
    fn resume<'a>(&'a self, caller: &'a Caller, channel: &'a str) -> ExchangeFuture<'a, ChannelView>;
    /// Sends a new signatory list of one of this state's authorities to every partner.
    fn send_signatory_list<'a>(
        &'a self,
        caller: &'a Caller,
        list: SignatoryListBody,
    ) -> ExchangeFuture<'a, SignatoryListSent>;
    /// Sends an authority change of this state to the partner of an agreement.
    fn send_authority_change<'a>(
        &'a self,
        caller: &'a Caller,
        change: AuthorityChangeBody,
    ) -> ExchangeFuture<'a, MessageQueued>;
}

/// Largest number of messages one listing returns.
pub(crate) const MAX_LIST: u32 = 1000;

pub(crate) fn exchange_of(state: &AppState) -> Result<&dyn ExchangeApi, ApiError> {
    state.exchange.as_deref().ok_or_else(|| {
        ApiError::new(
            ApiCode::ExchangeNotConfigured,
            "this node has no exchange configured (an [exchange] section with keys and partners)",
        )
    })
}

/// Send a message to a partner state. It is checked as the partner will check it (agreement in
/// force, competent authorities, case state, body, Art. 6/7 data), signed by a signatory of the
/// sending authority, and stored in the outbox with the case it moves, in one transaction.
#[utoipa::path(
    post,
    path = "/api/v1/exchange/messages",
    tag = "exchange",
    request_body = SendMessageBody,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "In the outbox; delivered in order with retries", body = MessageQueued),
        (status = 400, description = "case_id or in_reply_to is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No exchange configured on this node (`exchange_not_configured`)", body = ErrorBody),
        (status = 422, description = "Not sendable: a treaty refusal (e.g. `body_invalid`, `message_type_not_allowed`, \
            `agreement_unknown`, `agreement_not_in_force`, `authority_not_competent`, `recipient_not_local`, \
            `signatory_not_listed`, `request_incomplete`, `refusal_ground_invalid`, `category_outside_agreement`, \
            `field_outside_agreement`) or `invalid_value`, `message_type_unknown`, `sender_not_local`, \
            `partner_not_configured`, `signatory_not_available`, `no_recipient`", body = ErrorBody),
    )
)]
pub(crate) async fn send_message(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SendMessageBody>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Officer])?;
    let exchange = exchange_of(&state)?;
    let queued = exchange.send(&caller, body).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)).into_response())
}

/// Which messages to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// `in` (received) or `out` (sent).
    #[param(required = true, value_type = DirectionParam, inline)]
    direction: Option<String>,
    /// How many of the latest messages (default 100; more than 1000 lists 1000).
    #[param(maximum = 4294967295_u64)]
    limit: Option<u32>,
}

/// The direction of the messages listed, as a query parameter.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub(crate) enum DirectionParam {
    #[schema(rename = "in")]
    In,
    #[schema(rename = "out")]
    Out,
}

/// Messages sent or received, oldest first, with their delivery state and receipts.
#[utoipa::path(
    get,
    path = "/api/v1/exchange/messages",
    tag = "exchange",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The messages", body = ExchangeMessageList),
        (status = 400, description = "direction is absent or not in or out (`invalid_direction`), or limit is not \
            a whole number (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No exchange configured on this node (`exchange_not_configured`)", body = ErrorBody),
    )
)]
pub(crate) async fn list_messages(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ExchangeMessageList>, ApiError> {
    caller.require(&[Role::Officer])?;
    let direction = match query.direction.as_deref() {
        Some("in") => MessageDirection::In,
        Some("out") => MessageDirection::Out,
        _ => {
            return Err(ApiError::new(ApiCode::InvalidDirection, "direction must be `in` or `out`").at("direction"));
        }
    };
    let exchange = exchange_of(&state)?;
    let messages = exchange.list(direction, query.limit.unwrap_or(100).min(MAX_LIST)).await?;
    Ok(Json(ExchangeMessageList { messages }))
}
