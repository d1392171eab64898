//! Turning raw, untrusted crossing submissions (API bodies, import rows) into validated crossings,
//! with errors that name the offending field and carry a stable code.

use jiff::{Timestamp, Zoned, civil::Date};

use crate::country::{Country, CountryError};
use crate::crossing::{
    CrossingError, CrossingPoint, Direction, MAX_REFUSAL_NOTE_CHARS, NewCrossing, Outcome, Purpose, RefusalGround,
    check_not_in_future, parse_crossing_time,
};
use crate::document::{DocumentKey, DocumentNumber, DocumentType, IdentityDocument};
use crate::ids::CrossingId;
use crate::name::{FullName, NameError, NamePart, PersonName};
use crate::person::{PersonDetails, Sex};

/// One name rendering as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawName {
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub patronymic: Option<String>,
}

/// A crossing as submitted, every value still an untrusted string.
#[derive(Debug, Clone, Default)]
pub struct RawCrossing {
    /// The client-chosen crossing id (a UUID); makes recording idempotent.
    pub id: Option<String>,
    /// Raw machine-readable zone lines; filled into the other fields before validation by a layer
    /// that reads MRZs (this crate does not).
    pub mrz: Option<String>,
    pub direction: Option<String>,
    pub at: Option<String>,
    pub crossing_point: Option<String>,
    pub purpose: Option<String>,
    pub document_type: Option<String>,
    pub document_number: Option<String>,
    pub issuing_state: Option<String>,
    pub document_expiry: Option<String>,
    pub native_name: RawName,
    pub latin_name: RawName,
    pub sex: Option<String>,
    pub birth_date: Option<String>,
    pub citizenship: Option<String>,
    /// `crossed` (when absent) or `refused`.
    pub outcome: Option<String>,
    /// For a refused entry: the ground, one of [`RefusalGround`]'s identifiers.
    pub refusal_ground: Option<String>,
    /// For a refused entry: the officer's note.
    pub refusal_note: Option<String>,
}

macro_rules! input_codes {
    ($($variant:ident = $code:literal, $meaning:literal;)*) => {
        /// Why a submitted value was refused: a closed list, so every front end can document each
        /// code and none can invent one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum InputCode {
            $(#[doc = $meaning] $variant,)*
        }

        impl InputCode {
            /// Every code.
            pub const ALL: &'static [InputCode] = &[$(InputCode::$variant,)*];

            /// The stable snake_case code.
            pub fn as_str(self) -> &'static str {
                match self { $(InputCode::$variant => $code,)* }
            }

            /// What it means, in one sentence.
            pub fn meaning(self) -> &'static str {
                match self { $(InputCode::$variant => $meaning,)* }
            }
        }
    };
}

input_codes! {
    MissingField = "missing_field", "A required field is absent or blank.";
    TooLong = "too_long", "A text field is longer than its limit.";
    InvalidId = "invalid_id", "An id is not a UUID.";
    UnknownDirection = "unknown_direction", "The direction is not `entry` or `exit`.";
    InvalidTime = "invalid_time", "A time is not RFC 9557 or RFC 3339 with an offset.";
    TimeInFuture = "time_in_future", "A crossing time lies further in the future than the allowed clock skew.";
    TimeOutOfRange = "time_out_of_range", "A crossing time lies before 1990, when no register kept crossings.";
    InvalidDate = "invalid_date", "A date is not a calendar date `YYYY-MM-DD`.";
    DateOutOfRange = "date_out_of_range", "A date lies outside the years a register can hold (1900 to 2199).";
    InvalidCrossingPoint = "invalid_crossing_point", "The crossing point code is malformed.";
    UnknownCrossingPoint = "unknown_crossing_point", "The crossing point is not one of the host state's crossing points (`GET /api/v1/crossing-points`).";
    UnknownOutcome = "unknown_outcome", "The outcome is not `crossed` or `refused`.";
    RefusedExit = "refused_exit", "An exit cannot be refused: only an entry is refused.";
    RefusalDetailWithoutRefusal = "refusal_detail_without_refusal", "A refusal ground or note is given for a crossing whose outcome is not `refused`.";
    UnknownPurpose = "unknown_purpose", "The purpose of travel is not one of the listed purposes.";
    UnknownDocumentType = "unknown_document_type", "The document type is not one of the listed types.";
    InvalidDocumentNumber = "invalid_document_number", "The document number is malformed.";
    UnknownCountry = "unknown_country", "A country code is not an ISO 3166-1 alpha-3 or ICAO code.";
    InvalidCountry = "invalid_country", "A country code is not three letters.";
    SpecimenCountry = "specimen_country", "UTO, the ICAO specimen state, is not a real country.";
    IssuerNotAState = "issuer_not_a_state", "The issuing state is a code for a stateless or refugee document, not a state.";
    InvalidName = "invalid_name", "A name holds characters of no supported script or mixes scripts.";
    InvalidSex = "invalid_sex", "Sex is not M, F or X.";
    BirthAfterCrossing = "birth_after_crossing", "The birth date lies after the crossing.";
    InvalidKind = "invalid_kind", "A kind is not one of the listed kinds.";
    InvalidPurpose = "invalid_purpose", "A permit's purpose is not one of the listed purposes.";
    PurposeRequired = "purpose_required", "A temporary residence permit needs its purpose.";
    InvalidGround = "invalid_ground", "A ground is not one of the listed grounds.";
    ReasonRequired = "reason_required", "A decision needs its reasons.";
    InvalidChoice = "invalid_choice", "A value is not one of the listed values.";
    AppealRouteRequired = "appeal_route_required", "A denial needs the route of appeal.";
    InvalidRegistrationNumber = "invalid_registration_number", "An employer's registration number (in Kazakhstan the BIN) is malformed or fails its control digit.";
    InvalidFineAmount = "invalid_fine_amount", "A fine's amount is not a whole number of at least zero.";
    InvalidFineUnit = "invalid_fine_unit", "A fine's unit is not one the host state fines in.";
    ArticleRequired = "article_required", "The host state's code names no article for this kind: give `article`.";
    EmployerRequired = "employer_required", "A violation by an employer names the employer.";
    UnknownRegion = "unknown_region", "The region is not one of the host state's regions (`GET /api/v1/regions`).";
    InvalidPeriod = "invalid_period", "A period ends before it starts, or an extension does not end later than the period it extends.";
    NoteTooLong = "note_too_long", "A decision's note is longer than 2000 characters.";
    InvalidMrz = "invalid_mrz", "The machine-readable zone does not parse or a check digit fails.";
    MrzMismatch = "mrz_mismatch", "A structured field contradicts the machine-readable zone.";
    MrzNotIdentityDocument = "mrz_not_identity_document", "The machine-readable zone is a visa's, not an identity document's.";
}

impl std::fmt::Display for InputCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused submission: which field, a stable machine-readable code, and a readable reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InputError {
    pub field: &'static str,
    pub code: InputCode,
    pub message: String,
}

impl InputError {
    /// A refusal of `field` for `code`.
    pub fn new(field: &'static str, code: InputCode, message: impl Into<String>) -> InputError {
        InputError { field, code, message: message.into() }
    }

    fn missing(field: &'static str) -> InputError {
        InputError::new(field, InputCode::MissingField, "is required")
    }
}

/// The earliest civil date the register accepts.
pub const EARLIEST_DATE: Date = jiff::civil::date(1900, 1, 1);
/// The latest civil date the register accepts.
pub const LATEST_DATE: Date = jiff::civil::date(2199, 12, 31);
/// No crossing before this year is a border register's business.
pub const EARLIEST_CROSSING_YEAR: i16 = 1990;

fn required<'a>(value: &'a Option<String>, field: &'static str) -> Result<&'a str, InputError> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(InputError::missing(field)),
    }
}

fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn country(value: &str, field: &'static str) -> Result<Country, InputError> {
    Country::parse(value).map_err(|e| {
        let code = match e {
            CountryError::Unknown(_) => InputCode::UnknownCountry,
            CountryError::Malformed(_) => InputCode::InvalidCountry,
            CountryError::Specimen => InputCode::SpecimenCountry,
        };
        InputError::new(field, code, e.to_string())
    })
}

/// Parses a travel document's reference: its issuing state (alpha-3) and its number, each
/// refused under its own field.
pub fn parse_document_key(
    state: &str,
    number: &str,
    state_field: &'static str,
    number_field: &'static str,
) -> Result<DocumentKey, InputError> {
    let state = state.trim();
    let number = number.trim();
    if state.is_empty() {
        return Err(InputError::missing(state_field));
    }
    if number.is_empty() {
        return Err(InputError::missing(number_field));
    }
    let issuer = country(state, state_field)?;
    let number = DocumentNumber::parse(number)
        .map_err(|e| InputError::new(number_field, InputCode::InvalidDocumentNumber, e.to_string()))?;
    DocumentKey::new(issuer, number)
        .map_err(|e| InputError::new(state_field, InputCode::IssuerNotAState, e.to_string()))
}

/// Parses an ISO 8601 calendar date (`YYYY-MM-DD`).
pub fn parse_date(value: &str, field: &'static str) -> Result<Date, InputError> {
    let valid_shape = value.len() == 10 && value.as_bytes()[4] == b'-' && value.as_bytes()[7] == b'-';
    match value.parse::<Date>() {
        Ok(date) if valid_shape && (EARLIEST_DATE..=LATEST_DATE).contains(&date) => Ok(date),
        Ok(_) if valid_shape => Err(InputError::new(
            field,
            InputCode::DateOutOfRange,
            format!("{value:?} lies outside {EARLIEST_DATE} to {LATEST_DATE}"),
        )),
        _ => {
            Err(InputError::new(field, InputCode::InvalidDate, format!("{value:?} is not a calendar date YYYY-MM-DD")))
        }
    }
}

fn name_error(field: &'static str, e: NameError) -> InputError {
    InputError::new(field, InputCode::InvalidName, e.to_string())
}

fn full_name(raw: &RawName, fields: [&'static str; 3]) -> Result<Option<FullName>, InputError> {
    let [surname_field, given_field, patronymic_field] = fields;
    let part = |value: &Option<String>, field| {
        optional(value).map(|v| NamePart::parse(v).map_err(|e| name_error(field, e))).transpose()
    };
    let given_names = part(&raw.given_names, given_field)?;
    let patronymic = part(&raw.patronymic, patronymic_field)?;
    match part(&raw.surname, surname_field)? {
        Some(surname) => Ok(Some(FullName { surname, given_names, patronymic })),
        None if given_names.is_some() || patronymic.is_some() => Err(InputError::missing(surname_field)),
        None => Ok(None),
    }
}

/// Field names as clients see them (API JSON paths; the importer's columns map onto these).
pub mod fields {
    pub const DIRECTION: &str = "direction";
    pub const AT: &str = "at";
    pub const CROSSING_POINT: &str = "crossing_point";
    pub const PURPOSE: &str = "purpose";
    pub const DOCUMENT_TYPE: &str = "document.type";
    pub const DOCUMENT_NUMBER: &str = "document.number";
    pub const ISSUING_STATE: &str = "document.issuing_state";
    pub const DOCUMENT_EXPIRY: &str = "document.expiry";
    pub const NATIVE_NAME: [&str; 3] =
        ["person.native_name.surname", "person.native_name.given_names", "person.native_name.patronymic"];
    pub const LATIN_NAME: [&str; 3] =
        ["person.latin_name.surname", "person.latin_name.given_names", "person.latin_name.patronymic"];
    pub const SEX: &str = "person.sex";
    pub const BIRTH_DATE: &str = "person.birth_date";
    pub const CITIZENSHIP: &str = "person.citizenship";
    pub const OUTCOME: &str = "outcome";
    pub const REFUSAL_GROUND: &str = "refusal_ground";
    pub const REFUSAL_NOTE: &str = "refusal_note";
}

impl RawCrossing {
    /// Validates the client-chosen id and then every other field (see [`RawCrossing::validate`]).
    pub fn validate_with_id(&self, now: Timestamp) -> Result<(CrossingId, NewCrossing), InputError> {
        let id = match self.id.as_deref().map(str::trim) {
            None | Some("") => {
                return Err(InputError::new(
                    "id",
                    InputCode::MissingField,
                    "is required (a UUID chosen by the client)",
                ));
            }
            Some(raw) => uuid::Uuid::parse_str(raw)
                .map_err(|_| InputError::new("id", InputCode::InvalidId, format!("{raw:?} is not a UUID")))?,
        };
        Ok((CrossingId::from_uuid(id), self.validate(now)?))
    }

    /// Validates every field, in a fixed order, and returns the first problem found.
    /// `now` bounds the crossing time (future beyond the allowed clock skew is refused) and the
    /// birth date (which must not lie after the crossing).
    pub fn validate(&self, now: Timestamp) -> Result<NewCrossing, InputError> {
        use fields::*;
        let direction = self.direction()?;
        let at = self.time(now)?;
        let point = self.point()?;
        let purpose = Purpose::parse(required(&self.purpose, PURPOSE)?)
            .map_err(|e| InputError::new(PURPOSE, InputCode::UnknownPurpose, e.to_string()))?;
        let document = self.document()?;
        let person = self.person(&at)?;
        let outcome = self.outcome(direction)?;
        Ok(NewCrossing { direction, at, point, purpose, document, person, outcome })
    }

    /// The outcome: `crossed` unless `refused` is given, which needs a ground and is for an entry
    /// only; a ground or note without `refused` is refused rather than silently dropped.
    fn outcome(&self, direction: Direction) -> Result<Outcome, InputError> {
        use fields::{OUTCOME, REFUSAL_GROUND, REFUSAL_NOTE};
        let note = optional(&self.refusal_note).map(str::to_owned);
        match optional(&self.outcome).unwrap_or("crossed") {
            "crossed" => {
                if optional(&self.refusal_ground).is_some() {
                    return Err(InputError::new(
                        REFUSAL_GROUND,
                        InputCode::RefusalDetailWithoutRefusal,
                        "a refusal ground is given but the outcome is not `refused`",
                    ));
                }
                if note.is_some() {
                    return Err(InputError::new(
                        REFUSAL_NOTE,
                        InputCode::RefusalDetailWithoutRefusal,
                        "a refusal note is given but the outcome is not `refused`",
                    ));
                }
                Ok(Outcome::Crossed)
            }
            "refused" => {
                if direction == Direction::Exit {
                    return Err(InputError::new(
                        OUTCOME,
                        InputCode::RefusedExit,
                        "an exit cannot be refused: record the exit, or refuse the entry",
                    ));
                }
                let raw = required(&self.refusal_ground, REFUSAL_GROUND)?;
                let ground = RefusalGround::parse(raw).ok_or_else(|| {
                    let listed: Vec<&str> = RefusalGround::ALL.iter().map(|g| g.as_str()).collect();
                    InputError::new(
                        REFUSAL_GROUND,
                        InputCode::InvalidGround,
                        format!("{raw:?} is not a refusal ground (expected one of {})", listed.join(", ")),
                    )
                })?;
                if note.as_ref().is_some_and(|n| n.chars().count() > MAX_REFUSAL_NOTE_CHARS) {
                    return Err(InputError::new(
                        REFUSAL_NOTE,
                        InputCode::NoteTooLong,
                        format!("is longer than {MAX_REFUSAL_NOTE_CHARS} characters"),
                    ));
                }
                Ok(Outcome::Refused { ground, note })
            }
            other => Err(InputError::new(
                OUTCOME,
                InputCode::UnknownOutcome,
                format!("{:?} is not `crossed` or `refused`", other.chars().take(40).collect::<String>()),
            )),
        }
    }

    /// Validates a submission for a border check, which records nothing: the crossing's time,
    /// point and document are required as for recording; the direction defaults to an entry; the
    /// purpose and the person's details may be left out (the document's holder may be on record,
    /// or the officer checks before asking). Every value given is validated as
    /// [`RawCrossing::validate`] does, so a check never accepts what recording would refuse, and
    /// a person named in part (a name without citizenship, say) is refused as recording would.
    pub fn validate_for_check(&self, now: Timestamp) -> Result<CheckSubmission, InputError> {
        use fields::*;
        let direction = if optional(&self.direction).is_some() { self.direction()? } else { Direction::Entry };
        let at = self.time(now)?;
        let point = self.point()?;
        let purpose = optional(&self.purpose)
            .map(|p| Purpose::parse(p).map_err(|e| InputError::new(PURPOSE, InputCode::UnknownPurpose, e.to_string())))
            .transpose()?;
        let document = self.document()?;
        let person = if self.names_a_person() { Some(self.person(&at)?) } else { None };
        self.outcome(direction)?;
        Ok(CheckSubmission { direction, at, point, purpose, document, person })
    }

    /// Whether any detail of the person was submitted.
    fn names_a_person(&self) -> bool {
        let name = |n: &RawName| [&n.surname, &n.given_names, &n.patronymic].into_iter().any(|v| optional(v).is_some());
        name(&self.native_name)
            || name(&self.latin_name)
            || [&self.sex, &self.birth_date, &self.citizenship].into_iter().any(|v| optional(v).is_some())
    }

    fn direction(&self) -> Result<Direction, InputError> {
        use fields::DIRECTION;
        Direction::parse(required(&self.direction, DIRECTION)?)
            .map_err(|e| InputError::new(DIRECTION, InputCode::UnknownDirection, e.to_string()))
    }

    fn time(&self, now: Timestamp) -> Result<Zoned, InputError> {
        use fields::AT;
        let at = parse_crossing_time(required(&self.at, AT)?)
            .map_err(|e| InputError::new(AT, InputCode::InvalidTime, e.to_string()))?;
        if at.year() < EARLIEST_CROSSING_YEAR {
            return Err(InputError::new(
                AT,
                InputCode::TimeOutOfRange,
                format!("a crossing before {EARLIEST_CROSSING_YEAR} is not a register's record"),
            ));
        }
        check_not_in_future(&at, now).map_err(|e| match e {
            CrossingError::InFuture { .. } => InputError::new(AT, InputCode::TimeInFuture, e.to_string()),
            other => InputError::new(AT, InputCode::InvalidTime, other.to_string()),
        })?;
        Ok(at)
    }

    fn point(&self) -> Result<CrossingPoint, InputError> {
        use fields::CROSSING_POINT;
        CrossingPoint::parse(required(&self.crossing_point, CROSSING_POINT)?)
            .map_err(|e| InputError::new(CROSSING_POINT, InputCode::InvalidCrossingPoint, e.to_string()))
    }

    fn document(&self) -> Result<IdentityDocument, InputError> {
        use fields::*;
        let document_type = DocumentType::parse(required(&self.document_type, DOCUMENT_TYPE)?)
            .map_err(|e| InputError::new(DOCUMENT_TYPE, InputCode::UnknownDocumentType, e.to_string()))?;
        let number = DocumentNumber::parse(required(&self.document_number, DOCUMENT_NUMBER)?)
            .map_err(|e| InputError::new(DOCUMENT_NUMBER, InputCode::InvalidDocumentNumber, e.to_string()))?;
        let issuer = country(required(&self.issuing_state, ISSUING_STATE)?, ISSUING_STATE)?;
        let key = DocumentKey::new(issuer, number)
            .map_err(|e| InputError::new(ISSUING_STATE, InputCode::IssuerNotAState, e.to_string()))?;
        let expiry = optional(&self.document_expiry).map(|d| parse_date(d, DOCUMENT_EXPIRY)).transpose()?;
        Ok(IdentityDocument { document_type, key, expiry })
    }

    /// The person's details, the birth date no later than the crossing at `at`.
    fn person(&self, at: &Zoned) -> Result<PersonDetails, InputError> {
        use fields::*;
        let native = full_name(&self.native_name, NATIVE_NAME)?;
        let latin = full_name(&self.latin_name, LATIN_NAME)?;
        let name = match PersonName::new(native, latin) {
            Ok(name) => name,
            Err(NameError::NoName) => {
                return Err(InputError::new(
                    NATIVE_NAME[0],
                    InputCode::MissingField,
                    "a surname is required in the native or the Latin rendering",
                ));
            }
            Err(e) => return Err(name_error(LATIN_NAME[0], e)),
        };
        let sex = match optional(&self.sex) {
            None => Sex::Unspecified,
            Some(s) => Sex::parse(s)
                .ok_or_else(|| InputError::new(SEX, InputCode::InvalidSex, format!("{s:?} is not M, F or X")))?,
        };
        let birth_date = optional(&self.birth_date).map(|d| parse_date(d, BIRTH_DATE)).transpose()?;
        if let Some(birth) = birth_date
            && birth > at.date()
        {
            return Err(InputError::new(
                BIRTH_DATE,
                InputCode::BirthAfterCrossing,
                "birth date lies after the crossing",
            ));
        }
        let citizenship = country(required(&self.citizenship, CITIZENSHIP)?, CITIZENSHIP)?;
        Ok(PersonDetails { name, sex, birth_date, citizenship })
    }
}

/// A submission validated for a border check: what recording needs of the crossing, with the
/// purpose and the person's details when given.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSubmission {
    pub direction: Direction,
    pub at: Zoned,
    pub point: CrossingPoint,
    pub purpose: Option<Purpose>,
    pub document: IdentityDocument,
    pub person: Option<PersonDetails>,
}

impl CheckSubmission {
    /// The civil date of the crossing in its own time zone: the day checks are made for.
    pub fn local_date(&self) -> Date {
        self.at.date()
    }
}

impl From<NewCrossing> for CheckSubmission {
    fn from(c: NewCrossing) -> CheckSubmission {
        CheckSubmission {
            direction: c.direction,
            at: c.at,
            point: c.point,
            purpose: Some(c.purpose),
            document: c.document,
            person: Some(c.person),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RawCrossing {
        RawCrossing {
            id: Some("01927c5e-8f3a-7000-8000-000000000001".into()),
            mrz: None,
            direction: Some("entry".into()),
            at: Some("2025-04-01T09:30:00+05:00".into()),
            crossing_point: Some("KZ-ALA-AIR".into()),
            purpose: Some("work".into()),
            document_type: Some("passport".into()),
            document_number: Some("AC1234567".into()),
            issuing_state: Some("KGZ".into()),
            document_expiry: Some("2030-01-01".into()),
            native_name: RawName {
                surname: Some("Асанов".into()),
                given_names: Some("Бакыт".into()),
                patronymic: None,
            },
            latin_name: RawName { surname: Some("ASANOV".into()), given_names: Some("BAKYT".into()), patronymic: None },
            sex: Some("M".into()),
            birth_date: Some("1990-02-03".into()),
            citizenship: Some("KGZ".into()),
            outcome: None,
            refusal_ground: None,
            refusal_note: None,
        }
    }

    fn refused(ground: &str) -> RawCrossing {
        RawCrossing { outcome: Some("refused".into()), refusal_ground: Some(ground.into()), ..valid() }
    }

    #[test]
    fn a_crossing_without_outcome_crossed() {
        assert_eq!(valid().validate(now()).unwrap().outcome, Outcome::Crossed);
        let explicit = RawCrossing { outcome: Some("crossed".into()), ..valid() };
        assert_eq!(explicit.validate(now()).unwrap().outcome, Outcome::Crossed);
    }

    #[test]
    fn a_refused_entry_carries_its_ground_and_note() {
        let raw =
            RawCrossing { refusal_note: Some(" passport reported stolen ".into()), ..refused("invalid_document") };
        assert_eq!(
            raw.validate(now()).unwrap().outcome,
            Outcome::Refused { ground: RefusalGround::InvalidDocument, note: Some("passport reported stolen".into()) }
        );
        for ground in RefusalGround::ALL {
            assert_eq!(RefusalGround::parse(ground.as_str()), Some(ground));
        }
    }

    #[test]
    fn refused_exit_is_rejected() {
        let raw = RawCrossing { direction: Some("exit".into()), ..refused("entry_ban") };
        let err = raw.validate(now()).unwrap_err();
        assert_eq!((err.field, err.code), ("outcome", InputCode::RefusedExit));
    }

    #[test]
    fn refusal_fields_are_checked() {
        let cases: Vec<(RawCrossing, &str, InputCode)> = vec![
            (RawCrossing { outcome: Some("turned_back".into()), ..valid() }, "outcome", InputCode::UnknownOutcome),
            (RawCrossing { refusal_ground: None, ..refused("x") }, "refusal_ground", InputCode::MissingField),
            (refused("no_reason"), "refusal_ground", InputCode::InvalidGround),
            (
                RawCrossing { refusal_note: Some("n".repeat(MAX_REFUSAL_NOTE_CHARS + 1)), ..refused("other") },
                "refusal_note",
                InputCode::NoteTooLong,
            ),
            (
                RawCrossing { refusal_ground: Some("entry_ban".into()), ..valid() },
                "refusal_ground",
                InputCode::RefusalDetailWithoutRefusal,
            ),
            (
                RawCrossing { refusal_note: Some("why".into()), ..valid() },
                "refusal_note",
                InputCode::RefusalDetailWithoutRefusal,
            ),
        ];
        for (raw, field, code) in cases {
            let err = raw.validate(now()).unwrap_err();
            assert_eq!((err.field, err.code), (field, code), "{err}");
        }
    }

    fn now() -> Timestamp {
        "2025-06-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn dates_outside_the_registers_years_are_refused() {
        let mut raw = valid();
        raw.birth_date = Some("1899-12-31".into());
        let err = raw.validate(now()).unwrap_err();
        assert_eq!((err.field, err.code), ("person.birth_date", InputCode::DateOutOfRange));
        raw.birth_date = Some("1900-01-01".into());
        assert!(raw.validate(now()).is_ok());
        let mut raw = valid();
        raw.document_expiry = Some("2200-01-01".into());
        assert_eq!(raw.validate(now()).unwrap_err().code, InputCode::DateOutOfRange);
    }

    #[test]
    fn a_crossing_before_1990_is_refused() {
        let mut raw = valid();
        raw.birth_date = None;
        raw.at = Some("0001-04-01T09:30:00+05:00".into());
        assert_eq!(raw.validate(now()).unwrap_err().code, InputCode::TimeOutOfRange);
        raw.at = Some("1989-12-31T23:59:00+00:00".into());
        assert_eq!(raw.validate(now()).unwrap_err().code, InputCode::TimeOutOfRange);
        raw.at = Some("1990-01-01T00:00:00+00:00".into());
        assert!(raw.validate(now()).is_ok());
    }

    #[test]
    fn input_codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in InputCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{code}");
            assert!(code.meaning().ends_with('.'), "{code}");
        }
    }

    #[test]
    fn valid_submission_passes() {
        let c = valid().validate(now()).unwrap();
        assert_eq!(c.document.key.to_string(), "KGZ:AC1234567");
        assert_eq!(c.person.name.latin().unwrap().to_string(), "ASANOV BAKYT");
    }

    /// Each field's defect, with the field and code the client must see.
    #[test]
    fn every_field_has_a_precise_error() {
        type Edit = fn(&mut RawCrossing);
        let cases: Vec<(Edit, &str, &str)> = vec![
            (|r| r.direction = None, "direction", "missing_field"),
            (|r| r.direction = Some("in".into()), "direction", "unknown_direction"),
            (|r| r.at = Some("2025-04-01 09:30".into()), "at", "invalid_time"),
            (|r| r.at = Some("2025-04-01T09:30:00".into()), "at", "invalid_time"),
            (|r| r.at = Some("2025-06-01T00:06:00Z".into()), "at", "time_in_future"),
            (|r| r.crossing_point = Some("X".into()), "crossing_point", "invalid_crossing_point"),
            (|r| r.purpose = Some("business".into()), "purpose", "unknown_purpose"),
            (|r| r.document_type = Some("visa".into()), "document.type", "unknown_document_type"),
            (|r| r.document_number = Some("AC/1".into()), "document.number", "invalid_document_number"),
            (|r| r.document_number = Some("  ".into()), "document.number", "missing_field"),
            (|r| r.issuing_state = Some("KGX".into()), "document.issuing_state", "unknown_country"),
            (|r| r.issuing_state = Some("XXA".into()), "document.issuing_state", "issuer_not_a_state"),
            (|r| r.document_expiry = Some("2030-02-30".into()), "document.expiry", "invalid_date"),
            (|r| r.native_name.surname = Some("Асанов1".into()), "person.native_name.surname", "invalid_name"),
            (|r| r.native_name.surname = None, "person.native_name.surname", "missing_field"),
            (|r| r.latin_name.surname = Some("Асанов".into()), "person.latin_name.surname", "invalid_name"),
            (|r| r.sex = Some("male".into()), "person.sex", "invalid_sex"),
            (|r| r.birth_date = Some("03.02.1990".into()), "person.birth_date", "invalid_date"),
            (|r| r.birth_date = Some("2025-05-01".into()), "person.birth_date", "birth_after_crossing"),
            (|r| r.citizenship = Some("kg".into()), "person.citizenship", "invalid_country"),
            (|r| r.citizenship = Some("UTO".into()), "person.citizenship", "specimen_country"),
        ];
        for (edit, field, code) in cases {
            let mut raw = valid();
            edit(&mut raw);
            let err = raw.validate(now()).unwrap_err();
            assert_eq!((err.field, err.code.as_str()), (field, code), "{err}");
        }
    }

    #[test]
    fn id_is_required_and_must_be_a_uuid() {
        let mut raw = valid();
        assert!(raw.validate_with_id(now()).is_ok());
        raw.id = Some("42".into());
        assert_eq!(raw.validate_with_id(now()).unwrap_err().code.as_str(), "invalid_id");
        raw.id = None;
        assert_eq!(raw.validate_with_id(now()).unwrap_err().code.as_str(), "missing_field");
    }

    #[test]
    fn no_name_at_all_is_refused() {
        let mut raw = valid();
        raw.native_name = RawName::default();
        raw.latin_name = RawName::default();
        let err = raw.validate(now()).unwrap_err();
        assert_eq!((err.field, err.code.as_str()), ("person.native_name.surname", "missing_field"));
    }

    #[test]
    fn a_check_needs_only_time_point_and_document() {
        let mut raw = valid();
        raw.id = None;
        raw.direction = None;
        raw.purpose = None;
        raw.native_name = RawName::default();
        raw.latin_name = RawName::default();
        raw.sex = None;
        raw.birth_date = None;
        raw.citizenship = None;
        let check = raw.validate_for_check(now()).unwrap();
        assert_eq!((check.direction, check.purpose, check.person), (Direction::Entry, None, None));
        assert_eq!(check.document.key.to_string(), "KGZ:AC1234567");
        assert_eq!(raw.validate(now()).unwrap_err().field, "direction");
    }

    #[test]
    fn a_check_validates_what_it_is_given_as_recording_does() {
        let check = valid().validate_for_check(now()).unwrap();
        assert_eq!(CheckSubmission::from(valid().validate(now()).unwrap()), check);
        let mut raw = valid();
        raw.citizenship = None;
        let err = raw.validate_for_check(now()).unwrap_err();
        assert_eq!((err.field, err.code.as_str()), ("person.citizenship", "missing_field"));
        let mut raw = valid();
        raw.document_number = None;
        assert_eq!(raw.validate_for_check(now()).unwrap_err().field, "document.number");
        let mut raw = valid();
        raw.purpose = Some("smuggling".into());
        assert_eq!(raw.validate_for_check(now()).unwrap_err().code.as_str(), "unknown_purpose");
    }
}
