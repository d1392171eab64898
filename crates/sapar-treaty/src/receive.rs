//! The receiver: one pure function that applies every check to an incoming signed message in
//! the documented order and either accepts it, recognises a duplicate, or rejects it with a
//! stable error code. Node state (seen ids, channel heads, cases, signatory lists) and the
//! current time are parameters.

use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;

use crate::agreement::AgreementBook;
use crate::case::{self, CaseState, Side};
use crate::codes::ErrorCode;
use crate::ids::{AuthorityId, CaseId, ChannelId, MessageId, Sha256Hash};
use crate::jws::{self, JwsFormatError};
use crate::message::{self, Body, BodyError, EnvelopeError, Message, MessageType, SignatoryList};
use crate::pki::{self, CertSummary, ChainError};
use crate::wire;

/// What a node knows about one partner state, configured out of band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerConfig {
    pub state: Country,
    /// The partner's exchange CA certificate (DER), pinned.
    pub ca_cert_der: Vec<u8>,
    /// Fingerprints of the partner node's TLS certificates (SHA-256 of DER).
    pub node_cert_fingerprints: Vec<Sha256Hash>,
}

/// The TLS client certificate presented by the peer, as the TLS layer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsPeer {
    pub cert_fingerprint: Sha256Hash,
    pub subject: String,
}

/// Receiver configuration.
#[derive(Debug, Clone)]
pub struct ReceiverConfig<'a> {
    pub local_state: Country,
    pub book: &'a AgreementBook,
    pub partners: &'a [PartnerConfig],
    /// How far in the future `created_at` may be.
    pub max_clock_skew: SignedDuration,
}

/// The last message accepted on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelHead {
    pub seq: u64,
    pub hash: Sha256Hash,
}

/// What the node knows about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRecord {
    pub state: CaseState,
    /// The state whose authority opened the case.
    pub opened_by: Country,
}

/// Read access to the node's exchange state, as of the moment of the check.
pub trait ReceiverState {
    /// The hash of an already accepted message with this id.
    fn seen(&self, id: &MessageId) -> Option<Sha256Hash>;
    /// The last accepted message on the channel (None before the first).
    fn channel_head(&self, channel: &ChannelId) -> Option<ChannelHead>;
    /// The case, if known.
    fn case(&self, id: &CaseId) -> Option<CaseRecord>;
    /// The signatory list of `authority` in force at `at` (highest version whose
    /// `effective_from` is not after `at`).
    fn signatory_list(&self, authority: &AuthorityId, at: Timestamp) -> Option<SignatoryList>;
}

/// A refused message: code and human-readable detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Rejection {
    pub code: ErrorCode,
    pub message: String,
}

impl Rejection {
    fn new(code: ErrorCode, message: impl Into<String>) -> Rejection {
        Rejection { code, message: message.into() }
    }

    /// The JSON error body for HTTP.
    pub fn to_wire(&self) -> wire::ErrorResponse {
        wire::ErrorResponse { code: self.code.as_str().to_owned(), message: self.message.clone() }
    }
}

/// An accepted message and what the node must record about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub message: Message,
    /// SHA-256 of the payload bytes: the message hash.
    pub hash: Sha256Hash,
    /// The exact payload bytes (the envelope JSON) that were signed.
    pub payload: Vec<u8>,
    pub channel: ChannelId,
    pub partner: Country,
    pub signer: CertSummary,
    /// Version of the signatory list that validated the signer (Art. 10.4 audit).
    pub signatory_list_version: u32,
    /// The case state after this message.
    pub case_state: CaseState,
}

/// The result of receiving a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Accepted(Box<Accepted>),
    /// Same id and same content as an accepted message: answer with the stored receipt.
    Duplicate {
        id: MessageId,
        hash: Sha256Hash,
    },
}

fn reject(code: ErrorCode) -> impl FnOnce(String) -> Rejection {
    move |m| Rejection::new(code, m)
}

/// Applies the receiver checks, in order (see `docs/protocol.md`, "Receiver checks"):
///
/// 1. TLS peer is a partner node (`tls_peer_not_partner`)
/// 2. compact JWS structure and header (`envelope_truncated`, `envelope_malformed`, `header_unsupported`)
/// 3. ES256 signature with the key of `x5c[0]` (`signature_invalid`)
/// 4. `x5c` chains to the pinned CA of the peer's state (`certificate_untrusted`)
/// 5. payload is an envelope (`payload_malformed`, `protocol_unsupported`)
/// 6. replay: same id seen with same hash is a duplicate, with another hash `replay_conflict`
/// 7. `created_at` not beyond `now + max_clock_skew` (`clock_skew`)
/// 8. chain valid at `created_at`, signer may sign (`certificate_expired`, `certificate_usage_invalid`)
/// 9. agreement known and between the two states, from/to on the right sides
///    (`agreement_unknown`, `sender_not_tls_peer`, `recipient_not_local`)
/// 10. signer on the sending authority's signatory list in force at `created_at` (`signatory_not_listed`)
/// 11. agreement in force on the sender's local date of `created_at` (`agreement_not_in_force`)
/// 12. both authorities competent on that date (`authority_not_competent`)
/// 13. message type known (`message_type_unknown`)
/// 14. type allowed in the case's state from this side (`message_type_not_allowed`)
/// 15. body valid (`body_invalid`, `request_incomplete`, `refusal_ground_invalid`)
/// 16. categories and fields within the agreement (`category_outside_agreement`, `field_outside_agreement`)
/// 17. sequence and previous hash on the channel (`sequence_out_of_order`, `chain_hash_mismatch`,
///     which is also the code of a `prev_hash` null after `seq` 1 or not null at `seq` 1)
/// 18. a signatory list is newer than every list held for its authority
///     (`signatory_list_not_newer`); an authority change applies to the agreement as held
///     (`authority_change_not_applicable`)
pub fn receive(
    config: &ReceiverConfig<'_>,
    state: &impl ReceiverState,
    peer: &TlsPeer,
    jws_text: &str,
    now: Timestamp,
) -> Result<Outcome, Rejection> {
    // 1
    let partner =
        config.partners.iter().find(|p| p.node_cert_fingerprints.contains(&peer.cert_fingerprint)).ok_or_else(
            || {
                Rejection::new(
                    ErrorCode::TlsPeerNotPartner,
                    format!("TLS peer {} ({}) is not a partner node", peer.subject, peer.cert_fingerprint),
                )
            },
        )?;

    // 2
    let parsed = jws::parse_compact(jws_text, wire::TYP_MESSAGE).map_err(|e| match e {
        JwsFormatError::Truncated(m) => Rejection::new(ErrorCode::EnvelopeTruncated, m),
        JwsFormatError::Malformed(m) => Rejection::new(ErrorCode::EnvelopeMalformed, m),
        JwsFormatError::UnsupportedHeader(m) => Rejection::new(ErrorCode::HeaderUnsupported, m),
    })?;

    // 3
    parsed.verify_signature().map_err(reject(ErrorCode::SignatureInvalid))?;

    // 4
    let signer = pki::verify_chain_to_anchor(&parsed.x5c, &partner.ca_cert_der).map_err(|e| {
        Rejection::new(
            ErrorCode::CertificateUntrusted,
            format!("not issued under the pinned CA of {}: {e}", partner.state),
        )
    })?;

    // 5
    let (header, type_raw, body_json) = message::parse_envelope(&parsed.payload).map_err(|e| match e {
        EnvelopeError::Malformed(m) => Rejection::new(ErrorCode::PayloadMalformed, m),
        e @ EnvelopeError::Protocol(_) => Rejection::new(ErrorCode::ProtocolUnsupported, e.to_string()),
    })?;
    let hash = Sha256Hash::of(&parsed.payload);

    // 6
    if let Some(seen) = state.seen(&header.id) {
        if seen == hash {
            return Ok(Outcome::Duplicate { id: header.id, hash });
        }
        return Err(Rejection::new(
            ErrorCode::ReplayConflict,
            format!("message {} was received before with hash {seen}, now {hash}", header.id),
        ));
    }

    // 7
    let latest = now.checked_add(config.max_clock_skew).unwrap_or(Timestamp::MAX);
    if header.created_at > latest {
        return Err(Rejection::new(
            ErrorCode::ClockSkew,
            format!("created_at {} is after {latest} (receiver time plus allowed skew)", header.created_at),
        ));
    }

    // 8
    pki::check_chain_validity(&parsed.x5c, &partner.ca_cert_der, header.created_at).map_err(|e| match e {
        ChainError::Expired(m) => Rejection::new(ErrorCode::CertificateExpired, m),
        other => Rejection::new(ErrorCode::CertificateUntrusted, other.to_string()),
    })?;
    pki::check_signing_usage(&parsed.x5c[0])
        .map_err(|e| Rejection::new(ErrorCode::CertificateUsageInvalid, e.to_string()))?;

    // 9
    let agreement = config
        .book
        .get(&header.agreement)
        .filter(|a| a.party(config.local_state).is_some() && a.party(partner.state).is_some())
        .ok_or_else(|| {
            Rejection::new(
                ErrorCode::AgreementUnknown,
                format!("no agreement {} between {} and {}", header.agreement, config.local_state, partner.state),
            )
        })?;
    let from_state = agreement.authority(&header.from).map(|a| a.state);
    if from_state != Some(partner.state) {
        return Err(Rejection::new(
            ErrorCode::SenderNotTlsPeer,
            format!("from {} is not an authority of {} under {}", header.from, partner.state, agreement.id()),
        ));
    }
    let to_state = agreement.authority(&header.to).map(|a| a.state);
    if to_state != Some(config.local_state) {
        return Err(Rejection::new(
            ErrorCode::RecipientNotLocal,
            format!("to {} is not an authority of {} under {}", header.to, config.local_state, agreement.id()),
        ));
    }

    // 10
    let list = state.signatory_list(&header.from, header.created_at).ok_or_else(|| {
        Rejection::new(
            ErrorCode::SignatoryNotListed,
            format!("{} has no signatory list in force at {}", header.from, header.created_at),
        )
    })?;
    if !list.contains(&signer.fingerprint) {
        return Err(Rejection::new(
            ErrorCode::SignatoryNotListed,
            format!(
                "signer {} ({}) is not on {}'s signatory list version {}",
                signer.subject, signer.fingerprint, header.from, list.version
            ),
        ));
    }

    // 11
    let date = agreement.local_date(partner.state, header.created_at);
    if !agreement.is_in_force(date) {
        return Err(Rejection::new(
            ErrorCode::AgreementNotInForce,
            format!("{} is {} on {date}", agreement.id(), agreement.status_on(date).as_str()),
        ));
    }

    // 12
    for who in [&header.from, &header.to] {
        if !agreement.is_competent(who, date) {
            return Err(Rejection::new(
                ErrorCode::AuthorityNotCompetent,
                format!("{who} is not a competent authority under {} on {date}", agreement.id()),
            ));
        }
    }

    // 13
    let mt = MessageType::parse(&type_raw).map_err(|e| Rejection::new(ErrorCode::MessageTypeUnknown, e.to_string()))?;

    // 14
    let case = state.case(&header.case_id);
    let side = match case {
        Some(c) if c.opened_by != partner.state => Side::Responder,
        _ => Side::Opener,
    };
    let case_state = case::transition(case.map(|c| c.state), mt, side)
        .map_err(|e| Rejection::new(ErrorCode::MessageTypeNotAllowed, e.to_string()))?;

    // 15, 16
    let terms = agreement.terms_on(date);
    let body_code = |e: BodyError| match e {
        BodyError::Invalid(m) => Rejection::new(ErrorCode::BodyInvalid, m),
        BodyError::RequestIncomplete(m) => Rejection::new(ErrorCode::RequestIncomplete, m),
        BodyError::RefusalGround(m) => Rejection::new(ErrorCode::RefusalGroundInvalid, m),
        BodyError::CategoryOutside(m) => Rejection::new(ErrorCode::CategoryOutsideAgreement, m),
        BodyError::FieldOutside(m) => Rejection::new(ErrorCode::FieldOutsideAgreement, m),
    };
    let body = message::validate_body(mt, &body_json, &header, terms).map_err(body_code)?;
    message::check_policy(&body, terms).map_err(body_code)?;

    // 17
    let channel =
        ChannelId { agreement: header.agreement.clone(), from_state: partner.state, to_state: config.local_state };
    let head = state.channel_head(&channel);
    let expected_seq = head.map_or(1, |h| h.seq + 1);
    if header.seq != expected_seq {
        return Err(Rejection::new(
            ErrorCode::SequenceOutOfOrder,
            format!("channel {channel} expects seq {expected_seq}, got {}", header.seq),
        ));
    }
    let expected_prev = head.map(|h| h.hash);
    if header.prev_hash != expected_prev {
        return Err(Rejection::new(
            ErrorCode::ChainHashMismatch,
            format!(
                "channel {channel} expects prev_hash {}, got {}",
                expected_prev.map_or("null".to_owned(), |h| h.to_hex()),
                header.prev_hash.map_or("null".to_owned(), |h| h.to_hex())
            ),
        ));
    }

    // 18
    match &body {
        Body::SignatoryList(list) => {
            // In force at the end of time: the highest version held, whatever its date.
            if let Some(held) = state.signatory_list(&list.authority, Timestamp::MAX)
                && list.version <= held.version
            {
                return Err(Rejection::new(
                    ErrorCode::SignatoryListNotNewer,
                    format!(
                        "{}'s signatory list version {} is not newer than version {}, held already",
                        list.authority, list.version, held.version
                    ),
                ));
            }
        }
        Body::AuthorityChange(change) => {
            change.apply_to(agreement).map_err(|e| {
                Rejection::new(
                    ErrorCode::AuthorityChangeNotApplicable,
                    format!("{} on {} under {}: {e}", header.id, change.effective_on, agreement.id()),
                )
            })?;
        }
        _ => {}
    }

    Ok(Outcome::Accepted(Box::new(Accepted {
        message: Message { header, message_type: mt, body },
        hash,
        payload: parsed.payload.clone(),
        channel,
        partner: partner.state,
        signer,
        signatory_list_version: list.version,
        case_state,
    })))
}

/// Signatory lists held in memory: the lists a node has (received or configured), with the
/// rule "highest version whose `effective_from` is not after the time asked".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatoryBook {
    lists: Vec<SignatoryList>,
}

impl SignatoryBook {
    /// Adds a list (e.g. from a `signatory_list` message or the initial out-of-band exchange).
    pub fn add(&mut self, list: SignatoryList) {
        self.lists.push(list);
    }

    /// The list of `authority` in force at `at`.
    pub fn in_force(&self, authority: &AuthorityId, at: Timestamp) -> Option<&SignatoryList> {
        self.lists.iter().filter(|l| &l.authority == authority && l.effective_from <= at).max_by_key(|l| l.version)
    }

    /// The highest version held for `authority`, whatever its effective time.
    pub fn latest(&self, authority: &AuthorityId) -> Option<&SignatoryList> {
        self.lists.iter().filter(|l| &l.authority == authority).max_by_key(|l| l.version)
    }

    /// Every list held, in the order added.
    pub fn lists(&self) -> &[SignatoryList] {
        &self.lists
    }
}
