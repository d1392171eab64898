//! The operators' exchange routes (admin role): `GET /api/v1/exchange/channels` and
//! `POST /api/v1/exchange/channels/resume` for outgoing channels and their halts, and
//! `POST /api/v1/exchange/signatory-lists` and `POST /api/v1/exchange/authority-changes`, which
//! send this state's new signatory lists (Art. 10.4) and authority changes (Art. 2) to partners
//! through the outbox.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sapar_model::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::exchange::{MessageQueued, exchange_of};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// Why a channel stopped delivering.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChannelHaltView {
    /// The partner's error code (`sequence_out_of_order`, `chain_hash_mismatch`) or `resign_failed`.
    pub code: String,
    /// The partner's message and this node's record of the channel.
    pub detail: String,
    /// The message the partner refused.
    #[schema(format = Uuid)]
    pub message_id: String,
    /// RFC 3339 UTC.
    pub since: String,
}

/// An outgoing channel: one direction to one partner under one agreement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChannelView {
    /// `AGREEMENT:FROM>TO`.
    #[schema(example = "KAZ-KGZ-2019:KAZ>KGZ")]
    pub channel: String,
    pub agreement: String,
    /// The partner state (alpha-3).
    pub partner: String,
    /// The sequence number of the last message delivered with a receipt.
    pub delivered_seq: Option<i64>,
    /// The sequence number the next message queued gets.
    pub next_seq: i64,
    /// Messages waiting for delivery.
    pub queued: i64,
    /// Present while the channel is halted: nothing is sent on it until it is resumed.
    pub halted: Option<ChannelHaltView>,
}

/// Outgoing channels, by name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ChannelList {
    pub(crate) channels: Vec<ChannelView>,
}

/// The channel to resume.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResumeBody {
    #[schema(example = "KAZ-KGZ-2019:KAZ>KGZ")]
    pub(crate) channel: String,
}

/// One signatory of a new list.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatoryBody {
    pub name: String,
    pub position: String,
    /// SHA-256 of the signatory certificate's DER, 64 hex digits.
    pub certificate_sha256: String,
}

/// A new version of the complete signatory list of one of this state's authorities.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatoryListBody {
    #[schema(example = "KAZ-MVD")]
    pub authority: String,
    /// Above every version sent before (version 1 is the list exchanged out of band); default
    /// the next one.
    #[serde(default, deserialize_with = "crate::json::optional_u32")]
    pub version: Option<u32>,
    /// RFC 3339 UTC instant from which the list is in force; messages created before it are
    /// still judged by the previous list.
    #[schema(example = "2025-11-01T00:00:00Z")]
    pub effective_from: String,
    pub signatories: Vec<SignatoryBody>,
    /// The signatory whose key signs the messages (on the list in force now); by default the
    /// first one this node holds.
    pub signatory: Option<String>,
}

/// A signatory list queued for every partner.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignatoryListSent {
    pub authority: String,
    pub version: u32,
    pub effective_from: String,
    /// One message per partner and agreement.
    pub messages: Vec<MessageQueued>,
}

/// An authority that becomes competent.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAuthorityBody {
    #[schema(example = "KAZ-MTSZN")]
    pub id: String,
    pub name_ru: String,
    pub name_en: String,
}

/// An authority of this state replaced, renamed (replaced by a new id) or added under an agreement.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityChangeBody {
    #[schema(example = "KAZ-KGZ-2019")]
    pub agreement: String,
    /// The sending authority; by default the first competent one whose key this node holds.
    pub from: Option<String>,
    /// `YYYY-MM-DD`: from this date the replaced authority is not competent and the new one is.
    pub effective_on: String,
    pub replaced: Option<String>,
    pub new: Option<NewAuthorityBody>,
    /// The legal basis (e.g. the note verbale).
    pub basis: String,
    pub signatory: Option<String>,
}

/// The outgoing channels with their numbering, queue and halt.
#[utoipa::path(
    get,
    path = "/api/v1/exchange/channels",
    tag = "exchange",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The outgoing channels", body = ChannelList),
        (status = 403, description = "Only admins (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No exchange configured on this node (`exchange_not_configured`)", body = ErrorBody),
    )
)]
pub(crate) async fn list_channels(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ChannelList>, ApiError> {
    caller.require(&[Role::Admin])?;
    let channels = exchange_of(&state)?.channels().await?;
    Ok(Json(ChannelList { channels }))
}

/// Resume a halted channel: its queued messages go out again, in order. Resume once this node's
/// record of the channel and the partner's agree again (`docs/protocol.md`, section 6).
#[utoipa::path(
    post,
    path = "/api/v1/exchange/channels/resume",
    tag = "exchange",
    request_body = ResumeBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Resumed; the channel as it is now", body = ChannelView),
        (status = 400, description = "Not a channel name (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only admins (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No exchange configured on this node (`exchange_not_configured`)", body = ErrorBody),
        (status = 409, description = "The channel is not halted (`channel_not_halted`)", body = ErrorBody),
    )
)]
pub(crate) async fn resume_channel(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ResumeBody>,
) -> Result<Json<ChannelView>, ApiError> {
    caller.require(&[Role::Admin])?;
    let channel = exchange_of(&state)?.resume(&caller, &body.channel).await?;
    Ok(Json(channel))
}

/// Send a new signatory list of one of this state's authorities to every partner under whose
/// agreement it is competent. It is recorded here in the transaction that queues the first
/// message, and this node signs with it from `effective_from` on, as the partners check.
#[utoipa::path(
    post,
    path = "/api/v1/exchange/signatory-lists",
    tag = "exchange",
    request_body = SignatoryListBody,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "In the outbox, one message per partner and agreement", body = SignatoryListSent),
        (status = 400, description = "An id does not parse (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only admins (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No exchange configured on this node (`exchange_not_configured`)", body = ErrorBody),
        (status = 422, description = "Not sendable: `signatory_list_not_newer`, `signatory_not_listed`, `body_invalid`, \
            `invalid_value`, `sender_not_local`, `signatory_not_available`, `no_recipient`", body = ErrorBody),
    )
)]
pub(crate) async fn send_signatory_list(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SignatoryListBody>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Admin])?;
    let sent = exchange_of(&state)?.send_signatory_list(&caller, body).await?;
    Ok((StatusCode::ACCEPTED, Json(sent)).into_response())
}

/// Send an authority change of this state (Art. 2) to the partner of an agreement. It applies
/// here from `effective_on`, as at the partner: the replaced authority neither sends nor
/// receives from that date.
#[utoipa::path(
    post,
    path = "/api/v1/exchange/authority-changes",
    tag = "exchange",
    request_body = AuthorityChangeBody,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "In the outbox", body = MessageQueued),
        (status = 400, description = "An id does not parse (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only admins (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No exchange configured on this node (`exchange_not_configured`)", body = ErrorBody),
        (status = 422, description = "Not sendable: `authority_change_not_applicable`, `body_invalid`, `invalid_value`, \
            `sender_not_local`, `signatory_not_available`, `no_recipient`", body = ErrorBody),
    )
)]
pub(crate) async fn send_authority_change(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<AuthorityChangeBody>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Admin])?;
    let queued = exchange_of(&state)?.send_authority_change(&caller, body).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)).into_response())
}
