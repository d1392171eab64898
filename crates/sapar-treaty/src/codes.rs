//! Stable error codes of the exchange endpoint, with their HTTP status and meaning. The table is
//! the single source for the receiver, the HTTP layer and `docs/protocol.md`.

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $meaning:literal;)*) => {
        /// A stable, machine-readable reason for refusing a message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $code, "`, HTTP ", stringify!($status), ": see [`ErrorCode::meaning`].")]
                $variant,
            )*
        }

        impl ErrorCode {
            /// Every code, in the order of the receiver checks (HTTP-level codes last).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The snake_case code sent in `{"code": ...}`.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// The HTTP status that carries it.
            pub fn http_status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            /// What it means, in one sentence.
            pub fn meaning(self) -> &'static str {
                match self { $(ErrorCode::$variant => $meaning,)* }
            }

            /// Parses a code.
            pub fn parse(s: &str) -> Option<ErrorCode> {
                match s { $($code => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    TlsPeerNotPartner = "tls_peer_not_partner", 403, "The TLS client certificate is not a configured partner node.";
    EnvelopeTruncated = "envelope_truncated", 400, "The body is not three non-empty dot-separated JWS parts.";
    EnvelopeMalformed = "envelope_malformed", 400, "A JWS part is not base64url, the header is not a JSON object, or x5c is not base64 DER.";
    HeaderUnsupported = "header_unsupported", 400, "alg is not ES256, typ is not sapar-message+jws, crit is present or x5c is missing.";
    SignatureInvalid = "signature_invalid", 403, "The ES256 signature does not verify with the key of x5c[0].";
    CertificateUntrusted = "certificate_untrusted", 403, "The x5c chain does not lead to the pinned CA of the partner state.";
    PayloadMalformed = "payload_malformed", 400, "The payload is not a sapar-exchange envelope (missing or mistyped member, bad id, bad time).";
    ProtocolUnsupported = "protocol_unsupported", 400, "protocol is not sapar-exchange/1.";
    ReplayConflict = "replay_conflict", 409, "A message with this id was received before with different content.";
    ClockSkew = "clock_skew", 422, "created_at is further in the future than the allowed clock skew.";
    CertificateExpired = "certificate_expired", 403, "The signer certificate or the CA is not valid at created_at.";
    CertificateUsageInvalid = "certificate_usage_invalid", 403, "The signer certificate is a CA, lacks digitalSignature, or is not a P-256 key.";
    AgreementUnknown = "agreement_unknown", 422, "The agreement is unknown or not between the receiving state and the TLS peer's state.";
    SenderNotTlsPeer = "sender_not_tls_peer", 403, "The from authority does not belong to the state of the TLS peer.";
    RecipientNotLocal = "recipient_not_local", 422, "The to authority does not belong to the receiving state.";
    SignatoryNotListed = "signatory_not_listed", 403, "The signer certificate is not on the sending authority's signatory list in force at created_at.";
    AgreementNotInForce = "agreement_not_in_force", 422, "The agreement is not in force on the date of created_at.";
    AuthorityNotCompetent = "authority_not_competent", 403, "from or to is not a competent authority under the agreement on that date.";
    MessageTypeUnknown = "message_type_unknown", 422, "type is not a sapar-exchange/1 message type.";
    MessageTypeNotAllowed = "message_type_not_allowed", 409, "The type may not be sent in the case's current state or from this side.";
    BodyInvalid = "body_invalid", 422, "The body does not have the shape of its type or a value is invalid.";
    RequestIncomplete = "request_incomplete", 422, "A request lacks requesting or requested authority, substance, purpose or justification (Art. 10.2).";
    RefusalGroundInvalid = "refusal_ground_invalid", 422, "A refusal names no ground or one the agreement does not list (Art. 11.4).";
    CategoryOutsideAgreement = "category_outside_agreement", 422, "A data category is not in the agreement (Art. 6).";
    FieldOutsideAgreement = "field_outside_agreement", 422, "A personal-data field is not in the agreement's list (Art. 7).";
    SequenceOutOfOrder = "sequence_out_of_order", 409, "seq is not the next number on the channel; the message says which is expected.";
    ChainHashMismatch = "chain_hash_mismatch", 409, "prev_hash is not the hash of the last message accepted on the channel (null only on its first message).";
    SignatoryListNotNewer = "signatory_list_not_newer", 409, "A signatory list's version is not higher than the highest version the receiver holds for that authority.";
    AuthorityChangeNotApplicable = "authority_change_not_applicable", 409, "An authority change replaces an authority not competent on its effective date or adds one already competent then.";
    PayloadTooLarge = "payload_too_large", 413, "The request body exceeds 4 MiB.";
    UnsupportedMediaType = "unsupported_media_type", 415, "Content-Type is not application/jose (a message) or application/json (a batch).";
    BatchInvalid = "batch_invalid", 400, "A batch is not a JSON object whose messages are 1 to 256 strings, or its messages travel on more than one channel.";
    InternalError = "internal_error", 500, "The receiver failed; the sender retries later.";
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
