//! The exchange wire format (`sapar-exchange/1`): JSON shapes of the envelope, of every body,
//! of receipts, error responses and log checkpoints. Only this module defines serialised
//! shapes; `message` turns them into validated domain values. See `docs/protocol.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Protocol version carried by every envelope and receipt.
pub const PROTOCOL: &str = "sapar-exchange/1";
/// JWS `typ` of a signed message.
pub const TYP_MESSAGE: &str = "sapar-message+jws";
/// JWS `typ` of a signed receipt.
pub const TYP_RECEIPT: &str = "sapar-receipt+jws";
/// JWS `typ` of a signed log checkpoint.
pub const TYP_CHECKPOINT: &str = "sapar-checkpoint+jws";
/// Media type of the HTTP request body (a compact JWS).
pub const MEDIA_TYPE_JOSE: &str = "application/jose";
/// Media type of a batch and of its answer.
pub const MEDIA_TYPE_JSON: &str = "application/json";
/// The most messages one batch may carry.
pub const MAX_BATCH_MESSAGES: usize = 256;

/// Parses a JSON object into `T`. A derived `Deserialize` also builds a struct from a JSON array
/// of its members' values (`["sapar-exchange/1", ...]`); none of the protocol's objects may be
/// written that way, so anything but an object is refused before serde sees it.
pub fn from_json_object<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(serde::de::Error::custom("expected a JSON object"));
    }
    serde_json::from_slice(bytes)
}

/// The envelope: the JWS payload of every message. All members are required; `in_reply_to`
/// and `prev_hash` may be `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub protocol: String,
    pub id: String,
    pub agreement: String,
    pub from: String,
    pub to: String,
    #[serde(rename = "type")]
    pub message_type: String,
    pub case_id: String,
    pub in_reply_to: Option<String>,
    pub created_at: String,
    pub seq: u64,
    pub prev_hash: Option<String>,
    pub body: Value,
}

/// Art. 7 personal data: a JSON object whose keys are field names (`surname`, `sex`, ...).
pub type Person = BTreeMap<String, Value>;

/// A name in both scripts (Art. 7: Russian and Latin spelling); at least one is present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cyrillic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latin: Option<String>,
}

/// Field `document`: series, number, issue date and issuing authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// Fields `photograph` and `fingerprint_card`: a reference to a separately transferred,
/// encrypted blob and the SHA-256 of its plaintext.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlobRef {
    #[serde(rename = "ref")]
    pub reference: String,
    pub sha256: String,
}

/// `request` (Art. 10.2). The five Art. 10.2 members are optional here only so that their
/// absence is reported as `request_incomplete` rather than as a shape error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestBody {
    pub requesting_authority: Option<String>,
    pub requested_authority: Option<String>,
    pub substance: Option<String>,
    pub purpose: Option<String>,
    pub justification: Option<String>,
    pub categories: Vec<String>,
    /// The Art. 7 fields asked for.
    pub fields: Vec<String>,
    /// Who the request is about (absent for statistics and legislation requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_information: Option<String>,
}

/// `query`: a hit/no-hit question before a request (no personal data in the answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryBody {
    pub purpose: String,
    pub categories: Vec<String>,
    pub person: Person,
}

/// `hit_result`: whether the requested party holds data in the queried categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HitResultBody {
    pub hit: bool,
}

/// `ack`: receipt of a request acknowledged, with the deadline computed by the requested party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckBody {
    pub received_on: String,
    pub due_on: String,
}

/// Bodies that carry a text in the working language: `clarification_request`,
/// `clarification`, `authenticity_query`, `confidentiality_notice`, `withdrawal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    pub text: String,
}

/// `delay_notice` (Art. 11.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelayNoticeBody {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_on: Option<String>,
}

/// `postponement` (Art. 11.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostponementBody {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// `postponement_decision`: `accept` (the conditions) or `withdraw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub decision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// `authenticity_confirmation` (Art. 10.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationBody {
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// `confidentiality_decision` (Art. 12.1): whether the requester wants execution anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProceedBody {
    pub proceed: bool,
}

/// `consent_request` (Art. 12.2, 12.3): another purpose, or transfer to a third party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequestBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    pub justification: String,
}

/// `consent_decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentDecisionBody {
    pub granted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
}

/// One category's outcome in an `answer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryResult {
    pub category: String,
    /// `found` (records follow) or `not_found`.
    pub status: String,
    #[serde(default)]
    pub records: Vec<Person>,
}

/// A refusal of one category (partial refusal, Art. 11.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRefusal {
    pub category: String,
    pub ground: Option<String>,
    pub reasons: String,
}

/// `answer` (Art. 11.3): per-category results and per-category refusals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    pub results: Vec<CategoryResult>,
    #[serde(default)]
    pub refusals: Vec<CategoryRefusal>,
}

/// `refusal` (Art. 11.4): `scope` is `full`, or `partial` with the refused categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusalBody {
    pub scope: String,
    #[serde(default)]
    pub categories: Vec<String>,
    pub ground: Option<String>,
    pub reasons: String,
}

/// One authorised signatory (Art. 10.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    pub position: String,
    pub certificate_sha256: String,
}

/// `signatory_list` (Art. 10.3, 10.4): the complete list of an authority, versioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatoryListBody {
    pub authority: String,
    pub version: u32,
    pub effective_from: String,
    pub signatories: Vec<Signatory>,
}

/// A new authority in an `authority_change`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAuthority {
    pub id: String,
    pub name_ru: String,
    pub name_en: String,
}

/// `authority_change` (Art. 2): an authority replaced, renamed (replaced by a new id), added or
/// removed, from `effective_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityChangeBody {
    pub state: String,
    pub effective_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<NewAuthority>,
    /// Reference of the diplomatic note.
    pub basis: String,
}

/// `notice` (Art. 9, spontaneous): e.g. a partner citizen expelled and banned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeBody {
    pub category: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
}

/// `statistics` (Art. 3): a data set in SDMX-JSON or SDMX-CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsBody {
    pub dataset: String,
    pub period_from: String,
    pub period_to: String,
    pub format: String,
    pub data: String,
}

/// `legislation_update` (Art. 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegislationBody {
    pub title: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_on: Option<String>,
}

/// `agreement_notice` (Art. 17, 18): `internal_procedures_complete`, `termination` or
/// `amendment`, with the date it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementNoticeBody {
    pub kind: String,
    pub date: String,
    pub text: String,
}

/// The payload of a signed receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub protocol: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub message_id: String,
    pub message_hash: String,
    pub received_at: String,
    pub receiver: String,
}

/// Body of a 4xx response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorResponse {
    pub code: String,
    pub message: String,
}

/// Body of `POST /exchange/v1/batches`: messages of one channel (compact JWS), in the order the
/// receiver takes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    pub messages: Vec<String>,
}

/// The answer to a batch: one result per message taken, in the batch's order. The receiver stops
/// after the first refusal (and may stop earlier); messages after the last result were not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchResponse {
    pub results: Vec<BatchResult>,
}

/// What became of one message of a batch: its signed receipt, or the refusal the message
/// endpoint would have answered (`status` is that answer's HTTP status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchResult {
    Accepted(BatchReceipt),
    Refused(BatchRefusal),
}

/// An accepted message of a batch: `{"receipt": "<JWS>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchReceipt {
    pub receipt: String,
}

/// A refused message of a batch: `{"status": 409, "error": {"code": ..., "message": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRefusal {
    pub status: u16,
    pub error: ErrorResponse,
}

/// The payload of a signed log checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    #[serde(rename = "type")]
    pub kind: String,
    pub log: String,
    pub index: u64,
    pub entry_hash: String,
    pub at: String,
}
