//! Exchange messages as validated values: message types, the envelope header, typed bodies
//! (request, answer, refusal, signatory list, authority change, notice, ...), the Art. 10.2 and
//! Art. 11.4 rules, Art. 6/7 data minimisation, and encoding of outgoing envelopes.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, DocumentNumber, NamePart, Script, Sex};
use serde_json::Value;

use crate::agreement::{Agreement, Terms};
use crate::category::{DataCategory, PersonField, string_enum};
use crate::ids::{AgreementId, AuthorityId, CaseId, MessageId, Sha256Hash};
use crate::wire;

string_enum!(
    /// The message types of `sapar-exchange/1`.
    MessageType, MessageType {
        Query = "query",
        HitResult = "hit_result",
        Request = "request",
        Ack = "ack",
        ClarificationRequest = "clarification_request",
        Clarification = "clarification",
        DelayNotice = "delay_notice",
        Postponement = "postponement",
        PostponementDecision = "postponement_decision",
        Answer = "answer",
        Refusal = "refusal",
        AuthenticityQuery = "authenticity_query",
        AuthenticityConfirmation = "authenticity_confirmation",
        ConfidentialityNotice = "confidentiality_notice",
        ConfidentialityDecision = "confidentiality_decision",
        ConsentRequest = "consent_request",
        ConsentDecision = "consent_decision",
        Notice = "notice",
        SignatoryList = "signatory_list",
        AuthorityChange = "authority_change",
        Statistics = "statistics",
        LegislationUpdate = "legislation_update",
        AgreementNotice = "agreement_notice",
        Withdrawal = "withdrawal",
    }
);

/// The envelope members other than `type` and `body`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub id: MessageId,
    pub agreement: AgreementId,
    pub from: AuthorityId,
    pub to: AuthorityId,
    pub case_id: CaseId,
    pub in_reply_to: Option<MessageId>,
    pub created_at: Timestamp,
    pub seq: u64,
    pub prev_hash: Option<Sha256Hash>,
}

/// Why a payload is not a `sapar-exchange/1` envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("{0}")]
    Malformed(String),
    #[error("protocol must be {expected:?}, got {0:?}", expected = wire::PROTOCOL)]
    Protocol(String),
}

/// Parses an RFC 3339 instant in UTC with a `Z` suffix (e.g. `2025-10-01T08:00:00Z`).
pub fn parse_utc(raw: &str) -> Option<Timestamp> {
    if !raw.ends_with('Z') {
        return None;
    }
    raw.parse::<Timestamp>().ok()
}

/// Parses a civil date `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Option<Date> {
    if raw.len() != 10 {
        return None;
    }
    raw.parse::<Date>().ok()
}

/// Formats an instant as RFC 3339 UTC with `Z` (the only form on the wire).
pub fn format_utc(at: Timestamp) -> String {
    at.to_string()
}

/// Parses the envelope; returns the header, the raw `type` and the raw `body`. `seq` (at least
/// 1) and `prev_hash` are taken as they are: whether they continue a channel is not judged here.
pub fn parse_envelope(payload: &[u8]) -> Result<(Header, String, Value), EnvelopeError> {
    let m = |s: String| EnvelopeError::Malformed(s);
    let env: wire::Envelope =
        wire::from_json_object(payload).map_err(|e| m(format!("payload is not a sapar-exchange envelope: {e}")))?;
    if env.protocol != wire::PROTOCOL {
        return Err(EnvelopeError::Protocol(env.protocol));
    }
    let id = MessageId::parse(&env.id).map_err(|e| m(format!("id: {e}")))?;
    let agreement = AgreementId::parse(&env.agreement).map_err(|e| m(format!("agreement: {e}")))?;
    let from = AuthorityId::parse(&env.from).map_err(|e| m(format!("from: {e}")))?;
    let to = AuthorityId::parse(&env.to).map_err(|e| m(format!("to: {e}")))?;
    let case_id = CaseId::parse(&env.case_id).map_err(|e| m(format!("case_id: {e}")))?;
    let in_reply_to =
        env.in_reply_to.as_deref().map(MessageId::parse).transpose().map_err(|e| m(format!("in_reply_to: {e}")))?;
    let created_at = parse_utc(&env.created_at)
        .ok_or_else(|| m(format!("created_at must be RFC 3339 UTC ending in Z, got {:?}", env.created_at)))?;
    let prev_hash =
        env.prev_hash.as_deref().map(Sha256Hash::parse).transpose().map_err(|e| m(format!("prev_hash: {e}")))?;
    if env.seq == 0 {
        return Err(m("seq starts at 1".into()));
    }
    // Whether `prev_hash` is null exactly when `seq` is 1 is judged against the channel by the
    // receiver (check 17, `chain_hash_mismatch`), so that the sender resynchronises on it.
    if !env.body.is_object() {
        return Err(m("body must be a JSON object".into()));
    }
    let header = Header { id, agreement, from, to, case_id, in_reply_to, created_at, seq: env.seq, prev_hash };
    Ok((header, env.message_type, env.body))
}

/// Encodes an envelope as the exact payload bytes to sign (compact JSON, members in the
/// documented order).
pub fn encode_envelope(header: &Header, message_type: MessageType, body: &Value) -> Vec<u8> {
    let env = wire::Envelope {
        protocol: wire::PROTOCOL.to_owned(),
        id: header.id.to_string(),
        agreement: header.agreement.to_string(),
        from: header.from.to_string(),
        to: header.to.to_string(),
        message_type: message_type.as_str().to_owned(),
        case_id: header.case_id.to_string(),
        in_reply_to: header.in_reply_to.map(|m| m.to_string()),
        created_at: format_utc(header.created_at),
        seq: header.seq,
        prev_hash: header.prev_hash.map(|h| h.to_hex()),
        body: body.clone(),
    };
    // Serialising plain strings, integers and a JSON value cannot fail.
    serde_json::to_vec(&env).unwrap_or_default()
}

/// Art. 7 personal data, each present field's value checked for its shape.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonData {
    fields: BTreeMap<PersonField, Value>,
}

impl PersonData {
    /// The fields present.
    pub fn fields(&self) -> impl Iterator<Item = PersonField> + '_ {
        self.fields.keys().copied()
    }

    /// A field's wire value.
    pub fn get(&self, field: PersonField) -> Option<&Value> {
        self.fields.get(&field)
    }
}

/// A request (Art. 10.2).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub requesting_authority: AuthorityId,
    pub requested_authority: AuthorityId,
    pub substance: String,
    pub purpose: String,
    pub justification: String,
    pub categories: Vec<DataCategory>,
    pub fields: Vec<PersonField>,
    pub person: Option<PersonData>,
    pub other_information: Option<String>,
}

/// One category's outcome in an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryOutcome {
    pub category: DataCategory,
    pub found: bool,
    pub records: Vec<PersonData>,
}

/// A refusal of one or more categories, on a ground the agreement lists (Art. 11.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Empty for a full refusal.
    pub categories: Vec<DataCategory>,
    pub ground: String,
    pub reasons: String,
}

/// An answer (Art. 11.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub results: Vec<CategoryOutcome>,
    pub refusals: Vec<Refusal>,
}

/// One entry of a signatory list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryEntry {
    pub name: String,
    pub position: String,
    pub certificate_sha256: Sha256Hash,
}

/// An authority's list of persons authorised to sign requests (Art. 10.3), from `effective_from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryList {
    pub authority: AuthorityId,
    pub version: u32,
    pub effective_from: Timestamp,
    pub signatories: Vec<SignatoryEntry>,
}

impl SignatoryList {
    /// True when the certificate with this fingerprint is on the list.
    pub fn contains(&self, fingerprint: &Sha256Hash) -> bool {
        self.signatories.iter().any(|s| &s.certificate_sha256 == fingerprint)
    }
}

/// An authority change (Art. 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityChange {
    pub state: Country,
    pub effective_on: Date,
    pub replaced: Option<AuthorityId>,
    pub new: Option<(AuthorityId, String, String)>,
    pub basis: String,
}

impl AuthorityChange {
    /// Applies the change to the partner's record of the agreement: from `effective_on` the
    /// replaced authority is no longer competent and the new one is.
    pub fn apply_to(&self, agreement: &Agreement) -> Result<Agreement, crate::agreement::AuthorityChangeError> {
        let new = self.new.as_ref().map(|(id, name_ru, name_en)| crate::agreement::Authority {
            id: id.clone(),
            state: self.state,
            name_ru: name_ru.clone(),
            name_en: name_en.clone(),
            from: None,
            until: None,
        });
        agreement.with_authority_change(self.effective_on, self.replaced.as_ref(), new)
    }
}

/// A spontaneous notice (Art. 9).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub category: DataCategory,
    pub text: String,
    pub person: Option<PersonData>,
}

/// A validated message body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Query {
        purpose: String,
        categories: Vec<DataCategory>,
        person: PersonData,
    },
    HitResult {
        hit: bool,
    },
    Request(Request),
    Ack {
        received_on: Date,
        due_on: Date,
    },
    /// `clarification_request`, `clarification`, `authenticity_query`, `confidentiality_notice`,
    /// `withdrawal`.
    Text(String),
    DelayNotice {
        reason: String,
        expected_on: Option<Date>,
    },
    Postponement {
        reason: String,
        conditions: Option<String>,
        until: Option<Date>,
    },
    PostponementDecision {
        accept: bool,
        text: Option<String>,
    },
    AuthenticityConfirmation {
        confirmed: bool,
        text: Option<String>,
    },
    ConfidentialityDecision {
        proceed: bool,
    },
    ConsentRequest {
        new_purpose: Option<String>,
        recipient: Option<String>,
        justification: String,
    },
    ConsentDecision {
        granted: bool,
        conditions: Option<String>,
    },
    Answer(Answer),
    Refusal(Refusal),
    SignatoryList(SignatoryList),
    AuthorityChange(AuthorityChange),
    Notice(Notice),
    Statistics(wire::StatisticsBody),
    LegislationUpdate(wire::LegislationBody),
    AgreementNotice {
        kind: String,
        date: Date,
        text: String,
    },
}

/// Why a body is not acceptable. Each variant has its own receiver error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Shape or value errors (`body_invalid`).
    #[error("{0}")]
    Invalid(String),
    /// A request lacks an Art. 10.2 element (`request_incomplete`).
    #[error("{0}")]
    RequestIncomplete(String),
    /// A refusal names no ground or one the agreement does not list (`refusal_ground_invalid`).
    #[error("{0}")]
    RefusalGround(String),
    /// A category outside the agreement (`category_outside_agreement`).
    #[error("{0}")]
    CategoryOutside(String),
    /// A personal-data field outside the agreement's Art. 7 list (`field_outside_agreement`).
    #[error("{0}")]
    FieldOutside(String),
}

/// The message after every check: header, type and validated body.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub header: Header,
    pub message_type: MessageType,
    pub body: Body,
}

fn invalid(s: impl Into<String>) -> BodyError {
    BodyError::Invalid(s.into())
}

fn from_value<T: serde::de::DeserializeOwned>(mt: MessageType, v: &Value) -> Result<T, BodyError> {
    serde_json::from_value(v.clone()).map_err(|e| invalid(format!("{mt} body: {e}")))
}

fn text(what: &str, s: &str) -> Result<String, BodyError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(invalid(format!("{what} must not be empty")));
    }
    if t.len() > 64 * 1024 {
        return Err(invalid(format!("{what} is longer than 65536 bytes")));
    }
    Ok(t.to_owned())
}

fn date(what: &str, s: &str) -> Result<Date, BodyError> {
    parse_date(s).ok_or_else(|| invalid(format!("{what} must be a date YYYY-MM-DD, got {s:?}")))
}

fn category(s: &str) -> Result<DataCategory, BodyError> {
    DataCategory::parse(s).map_err(|_| BodyError::CategoryOutside(format!("category {s:?} is outside the agreement")))
}

fn categories(list: &[String]) -> Result<Vec<DataCategory>, BodyError> {
    let mut out = Vec::new();
    for c in list {
        let cat = category(c)?;
        if out.contains(&cat) {
            return Err(invalid(format!("category {cat} is listed twice")));
        }
        out.push(cat);
    }
    Ok(out)
}

fn field(s: &str) -> Result<PersonField, BodyError> {
    PersonField::parse(s).map_err(|_| {
        BodyError::FieldOutside(format!("field {s:?} is not in the agreement's personal-data list (Art. 7)"))
    })
}

fn name_part(field: PersonField, v: &Value) -> Result<(), BodyError> {
    let n: wire::Name = serde_json::from_value(v.clone()).map_err(|e| invalid(format!("{field}: {e}")))?;
    if n.cyrillic.is_none() && n.latin.is_none() {
        return Err(invalid(format!("{field} needs a cyrillic or a latin spelling")));
    }
    for (script, value) in [(Script::Cyrillic, &n.cyrillic), (Script::Latin, &n.latin)] {
        if let Some(s) = value {
            let part = NamePart::parse(s).map_err(|e| invalid(format!("{field}.{}: {e}", script.as_str())))?;
            if part.script() != script {
                return Err(invalid(format!(
                    "{field}.{} is written in {} script",
                    script.as_str(),
                    part.script().as_str()
                )));
            }
        }
    }
    Ok(())
}

fn check_field_value(f: PersonField, v: &Value) -> Result<(), BodyError> {
    let str_of = |v: &Value| v.as_str().map(str::to_owned).ok_or_else(|| invalid(format!("{f} must be a string")));
    match f {
        PersonField::Surname | PersonField::GivenNames | PersonField::Patronymic => name_part(f, v),
        PersonField::Sex => {
            let s = str_of(v)?;
            Sex::parse(&s)
                .filter(|_| s.len() == 1)
                .map(|_| ())
                .ok_or_else(|| invalid(format!("sex must be M, F or X, got {s:?}")))
        }
        PersonField::BirthDate => date("birth_date", &str_of(v)?).map(|_| ()),
        PersonField::BirthPlace => text("birth_place", &str_of(v)?).map(|_| ()),
        PersonField::Citizenship => {
            let s = str_of(v)?;
            match Country::parse(&s) {
                Ok(c) if c.code() == s => Ok(()),
                _ => Err(invalid(format!("citizenship must be an upper-case alpha-3 code, got {s:?}"))),
            }
        }
        PersonField::Document => {
            let d: wire::Document = serde_json::from_value(v.clone()).map_err(|e| invalid(format!("document: {e}")))?;
            DocumentNumber::parse(&d.number).map_err(|e| invalid(format!("document.number: {e}")))?;
            if let Some(on) = &d.issued_on {
                date("document.issued_on", on)?;
            }
            Ok(())
        }
        PersonField::MigrationLiability
        | PersonField::Registration
        | PersonField::ResidencePermit
        | PersonField::WorkRight
        | PersonField::EntryExitRestriction => match v.as_array() {
            Some(items) if items.iter().all(Value::is_object) => Ok(()),
            _ => Err(invalid(format!("{f} must be an array of objects"))),
        },
        PersonField::Photograph | PersonField::FingerprintCard => {
            let b: wire::BlobRef = serde_json::from_value(v.clone()).map_err(|e| invalid(format!("{f}: {e}")))?;
            text(&format!("{f}.ref"), &b.reference)?;
            Sha256Hash::parse(&b.sha256).map_err(|e| invalid(format!("{f}.sha256: {e}")))?;
            Ok(())
        }
    }
}

/// Parses Art. 7 personal data; a key that is not an Art. 7 field is outside the agreement.
pub fn parse_person(p: &wire::Person) -> Result<PersonData, BodyError> {
    let mut fields = BTreeMap::new();
    for (k, v) in p {
        let f = field(k)?;
        check_field_value(f, v)?;
        fields.insert(f, v.clone());
    }
    if fields.is_empty() {
        return Err(invalid("person has no field"));
    }
    Ok(PersonData { fields })
}

fn required(what: &str, v: &Option<String>) -> Result<String, BodyError> {
    match v.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Ok(s.to_owned()),
        _ => Err(BodyError::RequestIncomplete(format!("request lacks {what} (Art. 10.2)"))),
    }
}

fn refusal_ground(terms: &Terms, ground: &Option<String>) -> Result<String, BodyError> {
    let Some(g) = ground.as_deref().filter(|g| !g.is_empty()) else {
        return Err(BodyError::RefusalGround("a refusal must name a ground (Art. 11.4)".into()));
    };
    if terms.refusal_ground(g).is_none() {
        let listed: Vec<&str> = terms.refusal_grounds.iter().map(|x| x.id.as_str()).collect();
        return Err(BodyError::RefusalGround(format!(
            "ground {g:?} is not listed in the agreement (listed: {})",
            listed.join(", ")
        )));
    }
    Ok(g.to_owned())
}

fn decision(d: &wire::DecisionBody) -> Result<bool, BodyError> {
    match d.decision.as_str() {
        "accept" => Ok(true),
        "withdraw" => Ok(false),
        other => Err(invalid(format!("decision must be accept or withdraw, got {other:?}"))),
    }
}

/// Validates a body of type `mt` for a message with `header`, under the `terms` in force.
pub fn validate_body(mt: MessageType, body: &Value, header: &Header, terms: &Terms) -> Result<Body, BodyError> {
    use MessageType as T;
    Ok(match mt {
        T::Query => {
            let b: wire::QueryBody = from_value(mt, body)?;
            let categories = categories(&b.categories)?;
            if categories.is_empty() || categories.iter().any(|c| !c.is_personal()) {
                return Err(invalid("a query needs at least one person category"));
            }
            Body::Query { purpose: text("purpose", &b.purpose)?, categories, person: parse_person(&b.person)? }
        }
        T::HitResult => Body::HitResult { hit: from_value::<wire::HitResultBody>(mt, body)?.hit },
        T::Request => {
            let b: wire::RequestBody = from_value(mt, body)?;
            let requesting = required("the requesting authority", &b.requesting_authority)?;
            let requested = required("the requested authority", &b.requested_authority)?;
            let substance = required("a statement of substance", &b.substance)?;
            let purpose = required("a purpose", &b.purpose)?;
            let justification = required("a justification", &b.justification)?;
            let requesting_authority =
                AuthorityId::parse(&requesting).map_err(|e| invalid(format!("requesting_authority: {e}")))?;
            let requested_authority =
                AuthorityId::parse(&requested).map_err(|e| invalid(format!("requested_authority: {e}")))?;
            if requesting_authority != header.from || requested_authority != header.to {
                return Err(invalid("requesting and requested authorities must be the envelope's from and to"));
            }
            let categories = categories(&b.categories)?;
            if categories.is_empty() {
                return Err(invalid("a request needs at least one category"));
            }
            let fields = b.fields.iter().map(|f| field(f)).collect::<Result<Vec<_>, _>>()?;
            let person = b.person.as_ref().map(parse_person).transpose()?;
            if categories.iter().any(|c| c.is_personal()) && person.is_none() {
                return Err(invalid("a request in a person category needs a person"));
            }
            let other_information = b.other_information.as_deref().map(|s| text("other_information", s)).transpose()?;
            Body::Request(Request {
                requesting_authority,
                requested_authority,
                substance,
                purpose,
                justification,
                categories,
                fields,
                person,
                other_information,
            })
        }
        T::Ack => {
            let b: wire::AckBody = from_value(mt, body)?;
            Body::Ack { received_on: date("received_on", &b.received_on)?, due_on: date("due_on", &b.due_on)? }
        }
        T::ClarificationRequest
        | T::Clarification
        | T::AuthenticityQuery
        | T::ConfidentialityNotice
        | T::Withdrawal => Body::Text(text("text", &from_value::<wire::TextBody>(mt, body)?.text)?),
        T::DelayNotice => {
            let b: wire::DelayNoticeBody = from_value(mt, body)?;
            let expected_on = b.expected_on.as_deref().map(|d| date("expected_on", d)).transpose()?;
            Body::DelayNotice { reason: text("reason", &b.reason)?, expected_on }
        }
        T::Postponement => {
            let b: wire::PostponementBody = from_value(mt, body)?;
            let until = b.until.as_deref().map(|d| date("until", d)).transpose()?;
            Body::Postponement { reason: text("reason", &b.reason)?, conditions: b.conditions, until }
        }
        T::PostponementDecision => {
            let b: wire::DecisionBody = from_value(mt, body)?;
            Body::PostponementDecision { accept: decision(&b)?, text: b.text }
        }
        T::AuthenticityConfirmation => {
            let b: wire::ConfirmationBody = from_value(mt, body)?;
            Body::AuthenticityConfirmation { confirmed: b.confirmed, text: b.text }
        }
        T::ConfidentialityDecision => {
            Body::ConfidentialityDecision { proceed: from_value::<wire::ProceedBody>(mt, body)?.proceed }
        }
        T::ConsentRequest => {
            let b: wire::ConsentRequestBody = from_value(mt, body)?;
            if b.new_purpose.is_none() && b.recipient.is_none() {
                return Err(invalid("a consent request names a new purpose or a recipient"));
            }
            Body::ConsentRequest {
                new_purpose: b.new_purpose,
                recipient: b.recipient,
                justification: text("justification", &b.justification)?,
            }
        }
        T::ConsentDecision => {
            let b: wire::ConsentDecisionBody = from_value(mt, body)?;
            Body::ConsentDecision { granted: b.granted, conditions: b.conditions }
        }
        T::Answer => {
            let b: wire::AnswerBody = from_value(mt, body)?;
            let mut seen = Vec::new();
            let mut results = Vec::new();
            for r in &b.results {
                let category = category(&r.category)?;
                let found = match r.status.as_str() {
                    "found" => true,
                    "not_found" => false,
                    s => return Err(invalid(format!("status must be found or not_found, got {s:?}"))),
                };
                if !found && !r.records.is_empty() {
                    return Err(invalid(format!("{category}: not_found carries no records")));
                }
                let records = r.records.iter().map(parse_person).collect::<Result<Vec<_>, _>>()?;
                seen.push(category);
                results.push(CategoryOutcome { category, found, records });
            }
            let mut refusals = Vec::new();
            for r in &b.refusals {
                let category = category(&r.category)?;
                let ground = refusal_ground(terms, &r.ground)?;
                refusals.push(Refusal { categories: vec![category], ground, reasons: text("reasons", &r.reasons)? });
                seen.push(category);
            }
            if seen.is_empty() {
                return Err(invalid("an answer needs at least one result or refusal"));
            }
            let mut sorted = seen.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() != seen.len() {
                return Err(invalid("each category appears once in an answer"));
            }
            Body::Answer(Answer { results, refusals })
        }
        T::Refusal => {
            let b: wire::RefusalBody = from_value(mt, body)?;
            let categories = categories(&b.categories)?;
            match (b.scope.as_str(), categories.is_empty()) {
                ("full", true) | ("partial", false) => {}
                ("full", false) => return Err(invalid("a full refusal lists no categories")),
                ("partial", true) => return Err(invalid("a partial refusal lists the refused categories")),
                (s, _) => return Err(invalid(format!("scope must be full or partial, got {s:?}"))),
            }
            let ground = refusal_ground(terms, &b.ground)?;
            let reasons =
                text("reasons", &b.reasons).map_err(|_| invalid("a refusal gives its reasons (Art. 11.4)"))?;
            Body::Refusal(Refusal { categories, ground, reasons })
        }
        T::SignatoryList => {
            let b: wire::SignatoryListBody = from_value(mt, body)?;
            let authority = AuthorityId::parse(&b.authority).map_err(|e| invalid(format!("authority: {e}")))?;
            if authority != header.from {
                return Err(invalid("an authority sends its own signatory list"));
            }
            let effective_from = parse_utc(&b.effective_from)
                .ok_or_else(|| invalid(format!("effective_from must be RFC 3339 UTC, got {:?}", b.effective_from)))?;
            if b.version == 0 {
                return Err(invalid("signatory list versions start at 1"));
            }
            let mut signatories = Vec::new();
            for (i, s) in b.signatories.iter().enumerate() {
                signatories.push(SignatoryEntry {
                    name: text(&format!("signatories[{i}].name"), &s.name)?,
                    position: text(&format!("signatories[{i}].position"), &s.position)?,
                    certificate_sha256: Sha256Hash::parse(&s.certificate_sha256)
                        .map_err(|e| invalid(format!("signatories[{i}].certificate_sha256: {e}")))?,
                });
            }
            Body::SignatoryList(SignatoryList { authority, version: b.version, effective_from, signatories })
        }
        T::AuthorityChange => {
            let b: wire::AuthorityChangeBody = from_value(mt, body)?;
            let state = Country::parse(&b.state).map_err(|e| invalid(format!("state: {e}")))?;
            if header.from.state_prefix() != state.code() {
                return Err(invalid("a party notifies changes of its own authorities"));
            }
            let replaced = b
                .replaced
                .as_deref()
                .map(AuthorityId::parse)
                .transpose()
                .map_err(|e| invalid(format!("replaced: {e}")))?;
            let new = match &b.new {
                Some(n) => Some((
                    AuthorityId::parse(&n.id).map_err(|e| invalid(format!("new.id: {e}")))?,
                    text("new.name_ru", &n.name_ru)?,
                    text("new.name_en", &n.name_en)?,
                )),
                None => None,
            };
            if replaced.is_none() && new.is_none() {
                return Err(invalid("an authority change replaces, adds or removes an authority"));
            }
            Body::AuthorityChange(AuthorityChange {
                state,
                effective_on: date("effective_on", &b.effective_on)?,
                replaced,
                new,
                basis: text("basis", &b.basis)?,
            })
        }
        T::Notice => {
            let b: wire::NoticeBody = from_value(mt, body)?;
            let category = category(&b.category)?;
            let person = b.person.as_ref().map(parse_person).transpose()?;
            if person.is_some() && !category.is_personal() {
                return Err(BodyError::FieldOutside(format!("a {category} notice carries no personal data")));
            }
            Body::Notice(Notice { category, text: text("text", &b.text)?, person })
        }
        T::Statistics => {
            let b: wire::StatisticsBody = from_value(mt, body)?;
            date("period_from", &b.period_from)?;
            date("period_to", &b.period_to)?;
            if !matches!(b.format.as_str(), "sdmx-json" | "sdmx-csv") {
                return Err(invalid(format!("format must be sdmx-json or sdmx-csv, got {:?}", b.format)));
            }
            text("dataset", &b.dataset)?;
            Body::Statistics(b)
        }
        T::LegislationUpdate => {
            let b: wire::LegislationBody = from_value(mt, body)?;
            text("title", &b.title)?;
            text("summary", &b.summary)?;
            if let Some(d) = &b.effective_on {
                date("effective_on", d)?;
            }
            Body::LegislationUpdate(b)
        }
        T::AgreementNotice => {
            let b: wire::AgreementNoticeBody = from_value(mt, body)?;
            if !matches!(b.kind.as_str(), "internal_procedures_complete" | "termination" | "amendment") {
                return Err(invalid(format!(
                    "kind must be internal_procedures_complete, termination or amendment, got {:?}",
                    b.kind
                )));
            }
            Body::AgreementNotice { kind: b.kind, date: date("date", &b.date)?, text: text("text", &b.text)? }
        }
    })
}

impl Body {
    /// The categories the body is about, and the Art. 7 fields it asks for or carries.
    pub fn data_surface(&self) -> (Vec<DataCategory>, Vec<PersonField>) {
        let mut cats = Vec::new();
        let mut fields = Vec::new();
        let add_person = |p: &PersonData, fields: &mut Vec<PersonField>| fields.extend(p.fields());
        match self {
            Body::Query { categories, person, .. } => {
                cats.extend(categories);
                add_person(person, &mut fields);
            }
            Body::Request(r) => {
                cats.extend(&r.categories);
                fields.extend(&r.fields);
                if let Some(p) = &r.person {
                    add_person(p, &mut fields);
                }
            }
            Body::Answer(a) => {
                for r in &a.results {
                    cats.push(r.category);
                    for p in &r.records {
                        add_person(p, &mut fields);
                    }
                }
                for r in &a.refusals {
                    cats.extend(&r.categories);
                }
            }
            Body::Refusal(r) => cats.extend(&r.categories),
            Body::Notice(n) => {
                cats.push(n.category);
                if let Some(p) = &n.person {
                    add_person(p, &mut fields);
                }
            }
            Body::Statistics(_) => cats.push(DataCategory::Statistics),
            Body::LegislationUpdate(_) => cats.push(DataCategory::Legislation),
            _ => {}
        }
        fields.sort();
        fields.dedup();
        (cats, fields)
    }
}

/// Art. 6 and Art. 7 data minimisation: every category and field must be in the terms.
pub fn check_policy(body: &Body, terms: &Terms) -> Result<(), BodyError> {
    let (cats, fields) = body.data_surface();
    if let Some(c) = cats.iter().find(|c| !terms.categories.contains(c)) {
        return Err(BodyError::CategoryOutside(format!("category {c} is outside the agreement")));
    }
    if let Some(f) = fields.iter().find(|f| !terms.fields.contains(f)) {
        return Err(BodyError::FieldOutside(format!("field {f} is not in the agreement's personal-data list")));
    }
    Ok(())
}

/// Validates a body and its data surface against an agreement on `date` (composition side).
pub fn validate_outgoing(
    agreement: &Agreement,
    header: &Header,
    mt: MessageType,
    body: &Value,
    date: Date,
) -> Result<Body, BodyError> {
    let terms = agreement.terms_on(date);
    let body = validate_body(mt, body, header, terms)?;
    check_policy(&body, terms)?;
    Ok(body)
}
