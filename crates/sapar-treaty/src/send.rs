//! The sender side: compose an envelope, check it against the agreement as the receiver will,
//! and sign it as a compact JWS.

use jiff::Timestamp;
use serde_json::Value;

use crate::agreement::AgreementBook;
use crate::codes::ErrorCode;
use crate::error::KeyError;
use crate::ids::{AgreementId, AuthorityId, CaseId, MessageId, Sha256Hash};
use crate::jws::{self, SigningIdentity};
use crate::message::{self, BodyError, Header, MessageType};
use crate::receive::Rejection;
use crate::wire;

/// A message ready to leave: the compact JWS, its hash and header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedMessage {
    pub jws: String,
    /// SHA-256 of the payload bytes.
    pub hash: Sha256Hash,
    pub header: Header,
    pub message_type: MessageType,
}

/// What an outgoing message says before sequencing and signing.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The message id, fixed when the draft is created (UUIDv7, e.g. [`MessageId::new_at`]).
    pub id: MessageId,
    pub agreement: AgreementId,
    pub from: AuthorityId,
    pub to: AuthorityId,
    pub message_type: MessageType,
    pub case_id: CaseId,
    pub in_reply_to: Option<MessageId>,
    pub created_at: Timestamp,
    pub body: Value,
}

/// Why a draft cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// The draft breaks the agreement: the receiver would reject it with this code.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Checks a draft against the agreement as a receiver would (agreement in force, both
/// authorities competent, body valid, Art. 6/7 data minimisation), without sequencing or
/// signing it: what a business transaction runs before putting the draft in the outbox.
pub fn check_draft(book: &AgreementBook, draft: &Draft) -> Result<(), Rejection> {
    header_for(book, draft, 1, None).map(|_| ())
}

fn header_for(
    book: &AgreementBook,
    draft: &Draft,
    seq: u64,
    prev_hash: Option<Sha256Hash>,
) -> Result<Header, Rejection> {
    let rej = |code: ErrorCode, message: String| Rejection { code, message };
    let agreement = book
        .get(&draft.agreement)
        .ok_or_else(|| rej(ErrorCode::AgreementUnknown, format!("unknown agreement {}", draft.agreement)))?;
    let sender_state = agreement
        .authority(&draft.from)
        .map(|a| a.state)
        .ok_or_else(|| rej(ErrorCode::AuthorityNotCompetent, format!("{} is not an authority", draft.from)))?;
    let date = agreement.local_date(sender_state, draft.created_at);
    if !agreement.is_in_force(date) {
        return Err(rej(
            ErrorCode::AgreementNotInForce,
            format!("{} is {} on {date}", agreement.id(), agreement.status_on(date).as_str()),
        ));
    }
    for who in [&draft.from, &draft.to] {
        if !agreement.is_competent(who, date) {
            return Err(rej(ErrorCode::AuthorityNotCompetent, format!("{who} is not competent on {date}")));
        }
    }
    let header = Header {
        id: draft.id,
        agreement: draft.agreement.clone(),
        from: draft.from.clone(),
        to: draft.to.clone(),
        case_id: draft.case_id,
        in_reply_to: draft.in_reply_to,
        created_at: draft.created_at,
        seq,
        prev_hash,
    };
    message::validate_outgoing(agreement, &header, draft.message_type, &draft.body, date).map_err(|e| match e {
        BodyError::Invalid(m) => rej(ErrorCode::BodyInvalid, m),
        BodyError::RequestIncomplete(m) => rej(ErrorCode::RequestIncomplete, m),
        BodyError::RefusalGround(m) => rej(ErrorCode::RefusalGroundInvalid, m),
        BodyError::CategoryOutside(m) => rej(ErrorCode::CategoryOutsideAgreement, m),
        BodyError::FieldOutside(m) => rej(ErrorCode::FieldOutsideAgreement, m),
    })?;
    Ok(header)
}

/// Checks a draft (as [`check_draft`]) and signs it with `seq` and `prev_hash` of its channel:
/// what the dispatcher runs when the draft becomes the head of its channel's queue.
pub fn compose(
    book: &AgreementBook,
    draft: &Draft,
    seq: u64,
    prev_hash: Option<Sha256Hash>,
    signer: &SigningIdentity,
) -> Result<SignedMessage, ComposeError> {
    let header = header_for(book, draft, seq, prev_hash)?;
    Ok(sign_header(header, draft.message_type, &draft.body, signer)?)
}

/// Signs an envelope without any policy check (for tests and for re-signing a stored envelope).
pub fn sign_header(
    header: Header,
    message_type: MessageType,
    body: &Value,
    signer: &SigningIdentity,
) -> Result<SignedMessage, KeyError> {
    let payload = message::encode_envelope(&header, message_type, body);
    sign_payload(&payload, header, message_type, signer)
}

/// Signs exact payload bytes (the envelope JSON) as a `sapar-message+jws`.
pub fn sign_payload(
    payload: &[u8],
    header: Header,
    message_type: MessageType,
    signer: &SigningIdentity,
) -> Result<SignedMessage, KeyError> {
    let jws = jws::sign_compact(payload, wire::TYP_MESSAGE, signer)?;
    Ok(SignedMessage { jws, hash: Sha256Hash::of(payload), header, message_type })
}
