//! The API's one error table and its one error type. Every failure answers JSON
//! `{"code", "message", "field"?}`; the code fixes the HTTP status (a call site names a code, never
//! a status), and `docs/api-errors.md` lists every code with its status and meaning (a test keeps
//! the two in step). Messages never carry internal details (SQL, panics, type names) or more than
//! a bounded excerpt of the input.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sapar_model::{InputCode, InputError};
use sapar_register::RegisterError;
use sapar_register::tokens::AuthError;
use serde::Serialize;
use utoipa::ToSchema;

macro_rules! api_codes {
    ($($variant:ident = $code:literal, $status:literal, $meaning:literal;)*) => {
        /// A stable, machine-readable reason for a failed API call.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ApiCode {
            $(#[doc = $meaning] $variant,)*
        }

        impl ApiCode {
            /// Every code, in the order of the table.
            pub const ALL: &'static [ApiCode] = &[$(ApiCode::$variant,)*];

            /// The snake_case code sent in `{"code": ...}`.
            pub fn as_str(self) -> &'static str {
                match self { $(ApiCode::$variant => $code,)* }
            }

            /// The HTTP status that carries it.
            pub fn http_status(self) -> u16 {
                match self { $(ApiCode::$variant => $status,)* }
            }

            /// What it means, in one sentence.
            pub fn meaning(self) -> &'static str {
                match self { $(ApiCode::$variant => $meaning,)* }
            }

            /// Parses a code.
            pub fn parse(code: &str) -> Option<ApiCode> {
                match code { $($code => Some(ApiCode::$variant),)* _ => None }
            }
        }
    };
}

api_codes! {
    // The request as a whole.
    Unauthorized = "unauthorized", 401, "No bearer token, or one that is unknown or revoked.";
    TokenExpired = "token_expired", 401, "The bearer token is past its expiry; ask for a new one.";
    Forbidden = "forbidden", 403, "The token's role may not use this route.";
    NotFound = "not_found", 404, "No such route, or no record with this id.";
    MethodNotAllowed = "method_not_allowed", 405, "The route does not take this HTTP method.";
    PayloadTooLarge = "payload_too_large", 413, "The body is larger than the route accepts (64 KiB; 4 MiB for exchange messages).";
    UnsupportedMediaType = "unsupported_media_type", 415, "The body is not sent as application/json.";
    RateLimited = "rate_limited", 429, "Too many requests from this token or address; retry after the seconds in Retry-After.";
    MalformedJson = "malformed_json", 400, "The body is not JSON.";
    UnreadableBody = "unreadable_body", 400, "The body could not be read.";
    InvalidBody = "invalid_body", 422, "The body is JSON of the wrong shape: not an object, a member of the wrong type, or an unknown member.";
    InvalidId = "invalid_id", 400, "An id in the path or the body is not a UUID.";
    InvalidQuery = "invalid_query", 400, "A query parameter is malformed or out of range; `field` names it.";
    MissingQuery = "missing_query", 400, "A required query parameter is absent; `field` names it.";
    InvalidDocumentReference = "invalid_document_reference", 400, "A document reference is not `STATE:NUMBER`.";
    // Reading persons' data: why the caller reads.
    ReadPurposeRequired = "read_purpose_required", 400, "The route shows persons' data and the token's role has no default purpose: send `Sapar-Purpose`.";
    InvalidReadPurpose = "invalid_read_purpose", 400, "`Sapar-Purpose` is not one of the listed purposes of reading personal data.";
    InvalidPurposeNote = "invalid_purpose_note", 400, "`Sapar-Purpose-Note` is not percent-encoded UTF-8, or is longer than 500 characters.";
    // Submitted values (crossings, permits, decisions).
    MissingField = "missing_field", 422, "A required field is absent or blank.";
    TooLong = "too_long", 422, "A text field is longer than its limit.";
    UnknownDirection = "unknown_direction", 422, "The direction is not `entry` or `exit`.";
    InvalidTime = "invalid_time", 422, "A time is not RFC 9557 or RFC 3339 with an offset.";
    TimeInFuture = "time_in_future", 422, "A crossing time lies further in the future than the allowed clock skew.";
    TimeOutOfRange = "time_out_of_range", 422, "A crossing time lies before 1990, when no register kept crossings.";
    InvalidDate = "invalid_date", 422, "A date is not a calendar date `YYYY-MM-DD`.";
    DateOutOfRange = "date_out_of_range", 422, "A date lies outside the years a register can hold (1900 to 2199).";
    InvalidCrossingPoint = "invalid_crossing_point", 422, "The crossing point code is malformed.";
    UnknownCrossingPoint = "unknown_crossing_point", 422, "The crossing point is not one of the host state's crossing points (`GET /api/v1/crossing-points`).";
    UnknownOutcome = "unknown_outcome", 422, "The outcome is not `crossed` or `refused`.";
    RefusedExit = "refused_exit", 422, "An exit cannot be refused: only an entry is refused.";
    RefusalDetailWithoutRefusal = "refusal_detail_without_refusal", 422, "A refusal ground or note is given for a crossing whose outcome is not `refused`.";
    UnknownPurpose = "unknown_purpose", 422, "The purpose of travel is not one of the listed purposes.";
    UnknownDocumentType = "unknown_document_type", 422, "The document type is not one of the listed types.";
    InvalidDocumentNumber = "invalid_document_number", 422, "The document number is malformed.";
    UnknownCountry = "unknown_country", 422, "A country code is not an ISO 3166-1 alpha-3 or ICAO code.";
    InvalidCountry = "invalid_country", 422, "A country code is not three letters.";
    SpecimenCountry = "specimen_country", 422, "UTO, the ICAO specimen state, is not a real country.";
    IssuerNotAState = "issuer_not_a_state", 422, "The issuing state is a code for a stateless or refugee document, not a state.";
    InvalidName = "invalid_name", 422, "A name holds characters of no supported script or mixes scripts.";
    InvalidSex = "invalid_sex", 422, "Sex is not M, F or X.";
    BirthAfterCrossing = "birth_after_crossing", 422, "The birth date lies after the crossing.";
    InvalidKind = "invalid_kind", 422, "A kind is not one of the listed kinds.";
    InvalidPurpose = "invalid_purpose", 422, "A permit's purpose is not one of the listed purposes.";
    PurposeRequired = "purpose_required", 422, "A temporary residence permit needs its purpose.";
    InvalidGround = "invalid_ground", 422, "A ground is not one of the listed grounds.";
    ReasonRequired = "reason_required", 422, "A decision needs its reasons.";
    InvalidChoice = "invalid_choice", 422, "A value is not one of the listed values.";
    AppealRouteRequired = "appeal_route_required", 422, "A denial needs the route of appeal.";
    InvalidRegistrationNumber = "invalid_registration_number", 422, "An employer's registration number (in Kazakhstan the BIN) is malformed or fails its control digit.";
    InvalidFineAmount = "invalid_fine_amount", 422, "A fine's amount is not a whole number of at least zero.";
    InvalidFineUnit = "invalid_fine_unit", 422, "A fine's unit is not one the host state fines in.";
    ArticleRequired = "article_required", 422, "The host state's code names no article for this kind of violation: give `article`.";
    EmployerRequired = "employer_required", 422, "A violation by an employer names the employer.";
    UnknownRegion = "unknown_region", 422, "The region is not one of the host state's regions (`GET /api/v1/regions`).";
    InvalidPeriod = "invalid_period", 422, "A period ends before it starts, or an extension does not end later than the period it extends.";
    NoteTooLong = "note_too_long", 422, "A decision's note is longer than 2000 characters.";
    NoteRequired = "note_required", 422, "A dismissal needs a note saying why.";
    InvalidMrz = "invalid_mrz", 422, "The machine-readable zone does not parse or a check digit fails.";
    MrzMismatch = "mrz_mismatch", 422, "A structured field contradicts the machine-readable zone.";
    MrzNotIdentityDocument = "mrz_not_identity_document", 422, "The machine-readable zone is a visa's, not an identity document's.";
    // The register's rules.
    IdempotencyConflict = "idempotency_conflict", 409, "This crossing id was recorded before with different content.";
    ExitWithoutEntry = "exit_without_entry", 422, "An exit needs an entry of the same person before it.";
    DuplicatePermit = "duplicate_permit", 409, "A permit of this kind with this number is already on record.";
    PermitEndsBeforeStart = "permit_ends_before_start", 422, "The permit's last day lies before its first.";
    AlreadyRevoked = "already_revoked", 409, "The permit was revoked before; a revocation is made once.";
    RevokedAfterExpiry = "revoked_after_expiry", 422, "The permit had ended before the revocation's first day.";
    AlreadyDecided = "already_decided", 409, "The item was decided before; a decision is made once.";
    Claimed = "claimed", 409, "Another officer has claimed the item and works it now; it is theirs until they decide, release it or the claim lapses (30 minutes).";
    BanEndsBeforeStart = "ban_ends_before_start", 422, "The ban's last day lies before its first.";
    AlreadyLifted = "already_lifted", 409, "The ban was lifted before; a ban is lifted once.";
    BanAlreadyEnded = "ban_already_ended", 422, "The ban had ended before the lift's first day.";
    LeaveByBeforeDecision = "leave_by_before_decision", 422, "The day to leave by lies before the expulsion decision.";
    AlreadyExecuted = "already_executed", 409, "The expulsion was executed before; it is executed once.";
    DepartureBeforeDecision = "departure_before_decision", 422, "The departure lies before the expulsion decision.";
    AlreadyListed = "already_listed", 409, "The person is already listed in the control register.";
    EntryRemoved = "entry_removed", 409, "The control register entry was removed before.";
    DuplicateEmployer = "duplicate_employer", 409, "An employer with this registration number is already on record.";
    UnknownEmployer = "unknown_employer", 422, "The employer named is not on record.";
    NoFine = "no_fine", 409, "The violation carries no fine to pay.";
    AlreadyPaid = "already_paid", 409, "The fine was paid before; a payment is recorded once.";
    ViolationDismissed = "violation_dismissed", 409, "The violation was dismissed: its fine is not paid.";
    CardsNotConfigured = "cards_not_configured", 404, "This node issues no migrant cards: no card signer is configured.";
    NoLegalStay = "no_legal_stay", 409, "The person is not in the country on a legal stay: a card would have no validity.";
    CardNotIssuable = "card_not_issuable", 422, "The register lacks what a card carries: the holder's birth date or identity document.";
    CardRevoked = "card_revoked", 409, "The card was revoked before; a card is revoked once.";
    SelfServiceDenied = "self_service_denied", 403, "The document number, card number and birth date do not match a card on record (which one is not said).";
    PersonNotInCountry = "person_not_in_country", 422, "The person is not in the country (no entry without a later exit): nobody registers their place of stay.";
    RegistrationEnded = "registration_ended", 409, "The registration is no longer in force (superseded, ended or refused): it is not changed.";
    // The stay rules engine cannot judge a person.
    StayNotJudged = "stay_not_judged", 422, "The stay rules cannot judge this person on this date.";
    NoRuleForCitizenship = "no_rule_for_citizenship", 422, "No stay rule of the host state covers this citizenship.";
    NoRuleInForce = "no_rule_in_force", 422, "No stay rule for this citizenship is in force on the date.";
    GovernedByVisa = "governed_by_visa", 422, "This citizenship needs a visa; stays follow the visa, not a visa-free rule.";
    UnknownHost = "unknown_host", 422, "The host state has no stay rules.";
    NoCalendar = "no_calendar", 422, "A rule counts working days and no production calendar covers the dates.";
    InvalidRegime = "invalid_regime", 422, "The stay rule data is invalid.";
    ExitBeforeEntry = "exit_before_entry", 422, "The recorded stays hold an exit before its entry.";
    StayAfterCheckDate = "stay_after_check_date", 422, "A recorded stay begins after the check date.";
    ExitAfterCheckDate = "exit_after_check_date", 422, "A recorded stay ends after the check date.";
    OpenStayNotLast = "open_stay_not_last", 422, "An open stay is followed by another stay.";
    OverlappingPermits = "overlapping_permits", 422, "The permit periods overlap.";
    EnteringDuringStay = "entering_during_stay", 422, "The entry date lies within a recorded stay.";
    EnteringWhilePresent = "entering_while_present", 422, "The person is recorded as in the country already.";
    // The exchange, through the officers' API.
    ExchangeNotConfigured = "exchange_not_configured", 404, "This node runs no exchange with partner states.";
    InvalidDirection = "invalid_direction", 400, "The message direction is not `in` or `out`.";
    InvalidValue = "invalid_value", 422, "A field of an exchange request names nothing this node can use.";
    SenderNotLocal = "sender_not_local", 422, "The sending authority is not one of this state's.";
    PartnerNotConfigured = "partner_not_configured", 422, "No partner node is configured for the receiving state.";
    SignatoryNotAvailable = "signatory_not_available", 422, "No signatory of the sending authority has a key on this node.";
    NoRecipient = "no_recipient", 422, "The message names no recipient this node can address.";
    ChannelNotHalted = "channel_not_halted", 409, "The channel is not halted, so there is nothing to resume.";
    MessageTypeUnknown = "message_type_unknown", 422, "The message type is not a sapar-exchange/1 type.";
    MessageTypeNotAllowed = "message_type_not_allowed", 422, "The message type may not be sent in the case's current state or from this side.";
    AgreementUnknown = "agreement_unknown", 422, "The agreement is unknown or not between the two states.";
    AgreementNotInForce = "agreement_not_in_force", 422, "The agreement is not in force on the date.";
    AuthorityNotCompetent = "authority_not_competent", 422, "An authority is not competent under the agreement on that date.";
    RecipientNotLocal = "recipient_not_local", 422, "The receiving authority does not belong to the partner state.";
    SignatoryNotListed = "signatory_not_listed", 422, "The signatory is not on the sending authority's list in force.";
    BodyInvalid = "body_invalid", 422, "The message body does not have the shape of its type or a value is invalid.";
    RequestIncomplete = "request_incomplete", 422, "A request lacks requesting or requested authority, substance, purpose or justification (Art. 10.2).";
    RefusalGroundInvalid = "refusal_ground_invalid", 422, "A refusal names no ground or one the agreement does not list (Art. 11.4).";
    CategoryOutsideAgreement = "category_outside_agreement", 422, "A data category is not in the agreement (Art. 6).";
    FieldOutsideAgreement = "field_outside_agreement", 422, "A personal-data field is not in the agreement's list (Art. 7).";
    CategoryNotRequested = "category_not_requested", 422, "An answer answers or refuses a category the request did not ask for.";
    AnswerIncomplete = "answer_incomplete", 422, "An answer leaves a requested category neither answered nor refused, or names one twice.";
    FieldNotRequested = "field_not_requested", 422, "An answer's record carries an Art. 7 field the request did not ask for.";
    RequestNamesNoPerson = "request_names_no_person", 422, "The request describes no person, so the register cannot be searched for one.";
    SignatoryListNotNewer = "signatory_list_not_newer", 422, "A signatory list's version is not above the highest held for the authority.";
    AuthorityChangeNotApplicable = "authority_change_not_applicable", 422, "An authority change does not apply to the agreement as held.";
    // The server.
    Overloaded = "overloaded", 503, "The server is at its limit of requests in progress; retry shortly.";
    RequestTimeout = "request_timeout", 503, "The request took longer than the server allows (30 s).";
    StorageUnavailable = "storage_unavailable", 503, "The register's database failed; details are in the server's log.";
    DatabaseUnreachable = "database_unreachable", 503, "The database does not answer (health check).";
    Internal = "internal", 500, "An internal error; details are in the server's log.";
}

/// Longest excerpt of client input an error message repeats, in characters.
const MAX_EXCERPT_CHARS: usize = 120;
/// Longest error message sent, in characters: messages of other layers may quote input whole.
const MAX_MESSAGE_CHARS: usize = 300;

/// `text` cut to [`MAX_EXCERPT_CHARS`] characters, marked when cut.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(MAX_EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Error body of every failed API call.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code (see the error table), e.g. `unknown_country`.
    #[schema(example = "unknown_country")]
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// JSON path of the offending field or name of the query parameter, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An API failure.
#[derive(Debug)]
pub struct ApiError {
    pub code: ApiCode,
    pub message: String,
    pub field: Option<String>,
    /// Seconds a client should wait before retrying (`Retry-After`), for 429 and 503.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// A failure with `code` and `message`.
    pub fn new(code: ApiCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), field: None, retry_after: None }
    }

    /// The same failure naming the offending field.
    pub fn at(self, field: impl Into<String>) -> ApiError {
        ApiError { field: Some(field.into()), ..self }
    }

    pub(crate) fn forbidden() -> ApiError {
        ApiError::new(ApiCode::Forbidden, "this token's role may not use this route")
    }

    pub(crate) fn not_found(what: &str) -> ApiError {
        ApiError::new(ApiCode::NotFound, format!("{what} not found"))
    }

    pub(crate) fn internal() -> ApiError {
        ApiError::new(ApiCode::Internal, "an internal error occurred")
    }

    pub(crate) fn storage(detail: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %detail, "storage failure");
        ApiError::new(ApiCode::StorageUnavailable, "the register's database failed")
    }

    /// A failure whose code comes from another layer's table (the stay engine, the exchange
    /// node). A code missing from this table is a defect: it is logged and answered `internal`.
    pub(crate) fn from_foreign(code: &str, message: String) -> ApiError {
        match ApiCode::parse(code) {
            Some(code) => ApiError::new(code, message),
            None => {
                tracing::error!(code, %message, "an error code missing from the API's table");
                ApiError::internal()
            }
        }
    }

    /// The HTTP status of this failure.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The API code of a validation failure of the model or the register.
pub(crate) fn input_code(code: InputCode) -> ApiCode {
    match code {
        InputCode::MissingField => ApiCode::MissingField,
        InputCode::InvalidGround => ApiCode::InvalidGround,
        InputCode::ReasonRequired => ApiCode::ReasonRequired,
        InputCode::InvalidChoice => ApiCode::InvalidChoice,
        InputCode::AppealRouteRequired => ApiCode::AppealRouteRequired,
        InputCode::InvalidRegistrationNumber => ApiCode::InvalidRegistrationNumber,
        InputCode::InvalidFineAmount => ApiCode::InvalidFineAmount,
        InputCode::InvalidFineUnit => ApiCode::InvalidFineUnit,
        InputCode::ArticleRequired => ApiCode::ArticleRequired,
        InputCode::EmployerRequired => ApiCode::EmployerRequired,
        InputCode::UnknownRegion => ApiCode::UnknownRegion,
        InputCode::InvalidPeriod => ApiCode::InvalidPeriod,
        InputCode::TooLong => ApiCode::TooLong,
        InputCode::InvalidId => ApiCode::InvalidId,
        InputCode::UnknownDirection => ApiCode::UnknownDirection,
        InputCode::InvalidTime => ApiCode::InvalidTime,
        InputCode::TimeInFuture => ApiCode::TimeInFuture,
        InputCode::TimeOutOfRange => ApiCode::TimeOutOfRange,
        InputCode::InvalidDate => ApiCode::InvalidDate,
        InputCode::DateOutOfRange => ApiCode::DateOutOfRange,
        InputCode::InvalidCrossingPoint => ApiCode::InvalidCrossingPoint,
        InputCode::UnknownCrossingPoint => ApiCode::UnknownCrossingPoint,
        InputCode::UnknownOutcome => ApiCode::UnknownOutcome,
        InputCode::RefusedExit => ApiCode::RefusedExit,
        InputCode::RefusalDetailWithoutRefusal => ApiCode::RefusalDetailWithoutRefusal,
        InputCode::UnknownPurpose => ApiCode::UnknownPurpose,
        InputCode::UnknownDocumentType => ApiCode::UnknownDocumentType,
        InputCode::InvalidDocumentNumber => ApiCode::InvalidDocumentNumber,
        InputCode::UnknownCountry => ApiCode::UnknownCountry,
        InputCode::InvalidCountry => ApiCode::InvalidCountry,
        InputCode::SpecimenCountry => ApiCode::SpecimenCountry,
        InputCode::IssuerNotAState => ApiCode::IssuerNotAState,
        InputCode::InvalidName => ApiCode::InvalidName,
        InputCode::InvalidSex => ApiCode::InvalidSex,
        InputCode::BirthAfterCrossing => ApiCode::BirthAfterCrossing,
        InputCode::InvalidKind => ApiCode::InvalidKind,
        InputCode::InvalidPurpose => ApiCode::InvalidPurpose,
        InputCode::PurposeRequired => ApiCode::PurposeRequired,
        InputCode::NoteTooLong => ApiCode::NoteTooLong,
        InputCode::InvalidMrz => ApiCode::InvalidMrz,
        InputCode::MrzMismatch => ApiCode::MrzMismatch,
        InputCode::MrzNotIdentityDocument => ApiCode::MrzNotIdentityDocument,
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> ApiError {
        ApiError::new(input_code(e.code), e.message).at(e.field)
    }
}

/// Where the API names a field the stay engine could not judge.
fn stay_error_field(field: Option<String>) -> &'static str {
    match field.as_deref() {
        Some("citizenship") => "citizenship",
        Some("on") => "on",
        Some("host") => "host",
        _ => "crossings",
    }
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> ApiError {
        let message = e.to_string();
        match e {
            RegisterError::Forbidden { .. } => ApiError::forbidden(),
            RegisterError::NotFound(entity) => ApiError::not_found(entity.as_str()),
            RegisterError::Invalid(e) => e.into(),
            RegisterError::IdempotencyConflict => ApiError::new(ApiCode::IdempotencyConflict, message).at("id"),
            RegisterError::ExitWithoutEntry => ApiError::new(ApiCode::ExitWithoutEntry, message).at("direction"),
            RegisterError::DuplicatePermit { .. } => ApiError::new(ApiCode::DuplicatePermit, message).at("number"),
            RegisterError::PermitEndsBeforeStart { .. } => {
                ApiError::new(ApiCode::PermitEndsBeforeStart, message).at("valid_to")
            }
            RegisterError::AlreadyRevoked(_) => ApiError::new(ApiCode::AlreadyRevoked, message),
            RegisterError::RevokedAfterExpiry { .. } => ApiError::new(ApiCode::RevokedAfterExpiry, message).at("from"),
            RegisterError::AlreadyDecided { .. } => ApiError::new(ApiCode::AlreadyDecided, message),
            RegisterError::ClaimedByOther { .. } => ApiError::new(ApiCode::Claimed, message),
            RegisterError::BanEndsBeforeStart { .. } => ApiError::new(ApiCode::BanEndsBeforeStart, message).at("until"),
            RegisterError::AlreadyLifted(_) => ApiError::new(ApiCode::AlreadyLifted, message),
            RegisterError::BanAlreadyEnded { .. } => ApiError::new(ApiCode::BanAlreadyEnded, message).at("from"),
            RegisterError::LeaveByBeforeDecision { .. } => {
                ApiError::new(ApiCode::LeaveByBeforeDecision, message).at("leave_by")
            }
            RegisterError::AlreadyExecuted(_) => ApiError::new(ApiCode::AlreadyExecuted, message),
            RegisterError::DepartureBeforeDecision { .. } => {
                ApiError::new(ApiCode::DepartureBeforeDecision, message).at("departed_on")
            }
            RegisterError::AlreadyListed(_) => ApiError::new(ApiCode::AlreadyListed, message).at("person_id"),
            RegisterError::EntryRemoved { .. } => ApiError::new(ApiCode::EntryRemoved, message),
            RegisterError::DuplicateEmployer(_) => {
                ApiError::new(ApiCode::DuplicateEmployer, message).at("registration_number")
            }
            RegisterError::UnknownEmployer(_) => ApiError::new(ApiCode::UnknownEmployer, message).at("employer_id"),
            RegisterError::NoFine => ApiError::new(ApiCode::NoFine, message),
            RegisterError::AlreadyPaid(_) => ApiError::new(ApiCode::AlreadyPaid, message),
            RegisterError::ViolationDismissed => ApiError::new(ApiCode::ViolationDismissed, message),
            RegisterError::CardsNotConfigured => ApiError::new(ApiCode::CardsNotConfigured, message),
            RegisterError::NoLegalStay => ApiError::new(ApiCode::NoLegalStay, message),
            RegisterError::CardNotIssuable(_) => ApiError::new(ApiCode::CardNotIssuable, message),
            RegisterError::CardRevoked(_) => ApiError::new(ApiCode::CardRevoked, message),
            RegisterError::SelfServiceDenied => ApiError::new(ApiCode::SelfServiceDenied, message),
            RegisterError::TooManyAttempts => ApiError::new(ApiCode::RateLimited, message),
            RegisterError::PersonNotInCountry => ApiError::new(ApiCode::PersonNotInCountry, message),
            RegisterError::RegistrationEnded { .. } => ApiError::new(ApiCode::RegistrationEnded, message),
            RegisterError::NoCalendar(_) => ApiError::new(ApiCode::NoCalendar, message),
            RegisterError::NoteRequired => ApiError::new(ApiCode::NoteRequired, message).at("note"),
            RegisterError::StayNotJudged(e) => {
                let code = ApiCode::parse(e.code()).unwrap_or(ApiCode::StayNotJudged);
                ApiError::new(code, message).at(stay_error_field(e.field()))
            }
            RegisterError::Store(e) => ApiError::storage(&e),
            RegisterError::ExchangeRefused { code, message } => ApiError::from_foreign(code, message),
            RegisterError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                ApiError::internal()
            }
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> ApiError {
        match e {
            AuthError::Unknown => ApiError::new(ApiCode::Unauthorized, "unknown token"),
            AuthError::Revoked => ApiError::new(ApiCode::Unauthorized, "this token was revoked"),
            AuthError::Expired(at) => ApiError::new(ApiCode::TokenExpired, format!("this token expired at {at}")),
            AuthError::Store(e) => ApiError::storage(&e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match self.message.char_indices().nth(MAX_MESSAGE_CHARS) {
            Some((cut, _)) => format!("{}…", &self.message[..cut]),
            None => self.message,
        };
        let body = ErrorBody { code: self.code.as_str().to_owned(), message, field: self.field };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn every_code_is_unique_snake_case_with_an_error_status_and_a_meaning() {
        let mut seen = std::collections::HashSet::new();
        for code in ApiCode::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            assert!(code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", code.as_str());
            assert!((400..600).contains(&code.http_status()), "{}", code.as_str());
            assert!(code.meaning().ends_with('.'), "{}", code.as_str());
            assert_eq!(ApiCode::parse(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn every_input_code_maps_to_the_api_code_of_the_same_name() {
        for code in InputCode::ALL {
            assert_eq!(input_code(*code).as_str(), code.as_str());
        }
    }

    #[test]
    fn every_refusal_the_treaty_engine_gives_an_officer_is_in_the_table_as_422() {
        use sapar_treaty::codes::ErrorCode;
        // Refusals of the transport and the receiver's own checks: a message composed by this
        // node's officers never meets them before it leaves.
        let transport = [
            "tls_peer_not_partner",
            "envelope_truncated",
            "envelope_malformed",
            "header_unsupported",
            "signature_invalid",
            "certificate_untrusted",
            "payload_malformed",
            "protocol_unsupported",
            "replay_conflict",
            "clock_skew",
            "certificate_expired",
            "certificate_usage_invalid",
            "sender_not_tls_peer",
            "sequence_out_of_order",
            "chain_hash_mismatch",
            "payload_too_large",
            "unsupported_media_type",
            "batch_invalid",
            "internal_error",
        ];
        for code in ErrorCode::ALL.iter().map(|c| c.as_str()).filter(|c| !transport.contains(c)) {
            let api = ApiCode::parse(code).unwrap_or_else(|| panic!("{code} missing from the API's table"));
            assert_eq!(api.http_status(), 422, "{code}");
        }
        for code in [
            "invalid_value",
            "message_type_unknown",
            "sender_not_local",
            "partner_not_configured",
            "signatory_not_available",
            "no_recipient",
        ] {
            assert_eq!(ApiCode::parse(code).map(ApiCode::http_status), Some(422), "{code}");
        }
    }

    /// `docs/api-errors.md` lists every code with its status and meaning, in the table's order;
    /// `UPDATE_SNAPSHOTS=1` rewrites the table part.
    #[test]
    fn the_error_document_lists_every_code_with_its_status_and_meaning() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api-errors.md");
        let doc = std::fs::read_to_string(&path).unwrap();
        let marker = "| code | HTTP | meaning |\n|---|---|---|\n";
        let start = doc.find(marker).expect("the table header") + marker.len();
        let end = doc[start..].find("\n\n").map_or(doc.len(), |i| start + i + 1);
        let table: String = ApiCode::ALL
            .iter()
            .map(|c| format!("| `{}` | {} | {} |\n", c.as_str(), c.http_status(), c.meaning()))
            .collect();
        if std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
            std::fs::write(&path, format!("{}{table}{}", &doc[..start], &doc[end..])).unwrap();
            return;
        }
        assert_eq!(&doc[start..end], table, "docs/api-errors.md is out of step: run with UPDATE_SNAPSHOTS=1");
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "ж".repeat(10_000);
        assert_eq!(excerpt(&long).chars().count(), MAX_EXCERPT_CHARS + 1);
        assert_eq!(excerpt("short"), "short");
    }
}
