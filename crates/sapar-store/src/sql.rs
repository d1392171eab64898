//! The register's statements both backends run (written with `$n` placeholders, see
//! [`crate::row::sqlite`]) and the decoding of their rows, each written once: persons, documents
//! and crossings read back, tokens, violations and permits. The crossing recording path keeps
//! its own statements in each backend (SQLite row by row, PostgreSQL with `unnest`).

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Crossing, IdentityDocument, PersonDetails, PersonId};

use crate::decode;
use crate::error::StoreError;
use crate::permits::{PermitKind, PermitPurpose, PermitRecord, PermitTerm, Revocation};
use crate::records::{Fine, OverstayFacts, Payment, TokenRecord, ViolationDecided, ViolationRecord};
use crate::row::{Decode, Row};

/// The person columns [`details_at`] reads, of `persons p`.
macro_rules! detail_columns {
    () => {
        "p.surname_native, p.given_names_native, p.patronymic_native, p.surname_latin, p.given_names_latin,
         p.patronymic_latin, p.sex, p.birth_date, p.citizenship"
    };
}
pub(crate) use detail_columns;

pub(crate) const PERSON: &str = concat!("SELECT ", detail_columns!(), " FROM persons p WHERE p.id = $1");
pub(crate) const PERSON_EXISTS: &str = "SELECT 1 FROM persons WHERE id = $1";
pub(crate) const HOLDER: &str = "SELECT person_id FROM documents WHERE issuing_state = $1 AND number = $2";
pub(crate) const DOCUMENTS_OF: &str = "SELECT document_type, issuing_state, number, expiry FROM documents
     WHERE person_id = $1 ORDER BY issuing_state, number";
pub(crate) const CROSSINGS_OF: &str = "SELECT id, person_id, direction, occurred_at, time_zone, point, purpose,
         document_state, document_number, outcome, refusal_ground, refusal_note
     FROM crossings WHERE person_id = $1 ORDER BY occurred_at, id";

/// A person's rows of `crossings` parted into crossings of the border and refused entries, each
/// in time order.
pub(crate) fn split_refusals(all: Vec<Crossing>) -> (Vec<Crossing>, Vec<Crossing>) {
    all.into_iter().partition(|c| c.outcome.crossed())
}

/// The `outcome`, `refusal_ground` and `refusal_note` columns of a crossing.
pub(crate) fn outcome_columns(outcome: &sapar_model::Outcome) -> (&'static str, Option<&'static str>, Option<&str>) {
    match outcome {
        sapar_model::Outcome::Crossed => ("crossed", None, None),
        sapar_model::Outcome::Refused { ground, note } => ("refused", Some(ground.as_str()), note.as_deref()),
    }
}

pub(crate) const COUNTS: &str = "SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM documents),
     (SELECT COUNT(*) FROM crossings)";
pub(crate) const DAILY_COUNT_TOTAL: &str = "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM crossing_daily_counts";

pub(crate) const INSERT_TOKEN: &str = "INSERT INTO api_tokens (id, name, role, token_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
pub(crate) const REVOKE_TOKEN: &str = "UPDATE api_tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL";
pub(crate) const TOKEN_BY_HASH: &str =
    "SELECT id, name, role, created_at, revoked_at, expires_at FROM api_tokens WHERE token_hash = $1";
pub(crate) const TOKENS: &str =
    "SELECT id, name, role, created_at, revoked_at, expires_at FROM api_tokens ORDER BY created_at";
pub(crate) const OVERSTAYS_SINCE: &str =
    "SELECT person_id, stay_entry FROM violations WHERE kind = 'overstay' AND stay_entry >= $1";

macro_rules! violations {
    ($rest:literal) => {
        concat!(
            "SELECT id, person_id, stay_entry, detected_on, overstay_days, last_legal_day, rule_id, status,
                 created_at, decided_at, decided_by, decision_note, kind, recorded_by, article, description,
                 employer_id, decision_ref, fine_amount, fine_unit, paid_on, payment_ref
             FROM violations ",
            $rest
        )
    };
}

pub(crate) const VIOLATION: &str = violations!("WHERE id = $1");
pub(crate) const VIOLATIONS_OF: &str = violations!("WHERE person_id = $1 ORDER BY detected_on, id");
pub(crate) const VIOLATIONS_OF_EMPLOYER: &str = violations!("WHERE employer_id = $1 ORDER BY detected_on, id");
pub(crate) const VIOLATIONS_WITH_STATUS: &str =
    violations!("WHERE status = $1 ORDER BY detected_on, id LIMIT $2 OFFSET $3");
pub(crate) const VIOLATION_COUNT: &str = "SELECT COUNT(*) FROM violations WHERE status = $1";
pub(crate) const DECIDE_VIOLATION: &str = "UPDATE violations SET status = $2, decided_at = $3, decided_by = $4,
         decision_note = $5, article = COALESCE($6, article), decision_ref = COALESCE($7, decision_ref),
         fine_amount = COALESCE($8, fine_amount), fine_unit = COALESCE($9, fine_unit)
     WHERE id = $1";

macro_rules! permits {
    ($rest:literal) => {
        concat!(
            "SELECT id, person_id, kind, purpose, number, valid_from, valid_to, issued_by, recorded_by,
                 created_at, revoked_from, revoked_by, revoked_reason, revoked_at, employer_id
             FROM permits ",
            $rest
        )
    };
}

pub(crate) const PERMIT: &str = permits!("WHERE id = $1");
pub(crate) const PERMITS_OF: &str = permits!("WHERE person_id = $1 ORDER BY valid_from, id");
pub(crate) const PERMIT_TERMS: &str = "SELECT valid_from, valid_to, revoked_from FROM permits WHERE person_id = $1";
pub(crate) const SET_PERMIT_PERIODS: &str = "UPDATE persons SET permit_periods = $2 WHERE id = $1";
/// Whether the person exists and whether the permit's kind and number are taken: what
/// [`crate::permits::plan_permit`] decides on.
pub(crate) const PERMIT_SNAPSHOT: &str = "SELECT EXISTS (SELECT 1 FROM persons WHERE id = $1),
     EXISTS (SELECT 1 FROM permits WHERE kind = $2 AND number = $3)";
pub(crate) const INSERT_PERMIT: &str = "INSERT INTO permits (id, person_id, kind, purpose, number, valid_from,
         valid_to, issued_by, recorded_by, created_at, employer_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (kind, number) DO NOTHING";
pub(crate) const REVOKE_PERMIT: &str =
    "UPDATE permits SET revoked_from = $2, revoked_by = $3, revoked_reason = $4, revoked_at = $5 WHERE id = $1";

/// Name, sex, birth date and citizenship from the columns of [`detail_columns`] at `first`.
pub(crate) fn details_at(r: &impl Row, first: usize) -> Result<PersonDetails, StoreError> {
    let part = |i: usize| r.col::<Option<String>>(first + i);
    Ok(PersonDetails {
        name: decode::person_name([part(0)?, part(1)?, part(2)?], [part(3)?, part(4)?, part(5)?])?,
        sex: decode::sex(&r.col::<String>(first + 6)?)?,
        birth_date: r.col(first + 7)?,
        citizenship: decode::country(&r.col::<String>(first + 8)?)?,
    })
}

impl Decode for PersonDetails {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        details_at(r, 0)
    }
}

impl Decode for IdentityDocument {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(IdentityDocument {
            document_type: decode::document_type(&r.col::<String>(0)?)?,
            key: decode::document_key(&r.col::<String>(1)?, &r.col::<String>(2)?)?,
            expiry: r.col(3)?,
        })
    }
}

impl Decode for Crossing {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(Crossing {
            id: r.col(0)?,
            person_id: r.col(1)?,
            direction: decode::direction(&r.col::<String>(2)?)?,
            at: decode::zoned(r.col(3)?, &r.col::<String>(4)?)?,
            point: decode::point(&r.col::<String>(5)?)?,
            purpose: decode::purpose(&r.col::<String>(6)?)?,
            document: decode::document_key(&r.col::<String>(7)?, &r.col::<String>(8)?)?,
            outcome: decode::outcome(&r.col::<String>(9)?, r.col::<Option<String>>(10)?.as_deref(), r.col(11)?)?,
        })
    }
}

impl Decode for TokenRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(TokenRecord {
            id: r.col(0)?,
            name: r.col(1)?,
            role: decode::role(&r.col::<String>(2)?)?,
            created_at: r.col(3)?,
            revoked_at: r.col(4)?,
            expires_at: r.col(5)?,
        })
    }
}

impl Decode for ViolationRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let decision = match r.col::<Option<Timestamp>>(9)? {
            Some(at) => {
                Some(ViolationDecided { at, by: r.col::<Option<String>>(10)?.unwrap_or_default(), note: r.col(11)? })
            }
            None => None,
        };
        let overstay = match (r.col::<Option<Date>>(2)?, r.col::<Option<i64>>(4)?, r.col::<Option<String>>(6)?) {
            (Some(stay_entry), Some(days), Some(rule_id)) => Some(OverstayFacts {
                stay_entry,
                overstay_days: u32::try_from(days).map_err(|_| StoreError::Corrupt(format!("overstay days {days}")))?,
                last_legal_day: r.col(5)?,
                rule_id,
            }),
            (None, None, None) => None,
            _ => return Err(StoreError::Corrupt("a violation's stay facts are recorded in part".into())),
        };
        let fine = match (r.col::<Option<i64>>(18)?, r.col::<Option<String>>(19)?) {
            (Some(amount), Some(unit)) => {
                let payment = match r.col::<Option<Date>>(20)? {
                    Some(paid_on) => {
                        Some(Payment { paid_on, reference: r.col::<Option<String>>(21)?.unwrap_or_default() })
                    }
                    None => None,
                };
                Some(Fine { amount, unit, payment })
            }
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("a violation's fine is recorded in part".into())),
        };
        Ok(ViolationRecord {
            id: r.col(0)?,
            person_id: r.col::<PersonId>(1)?,
            kind: r.col(12)?,
            detected_on: r.col(3)?,
            overstay,
            status: decode::violation_status(&r.col::<String>(7)?)?,
            created_at: r.col(8)?,
            decision,
            recorded_by: r.col(13)?,
            article: r.col(14)?,
            description: r.col(15)?,
            employer_id: r.col(16)?,
            decision_ref: r.col(17)?,
            fine,
        })
    }
}

impl Decode for PermitRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let kind: String = r.col(2)?;
        let purpose: Option<String> = r.col(3)?;
        let revocation = match r.col(10)? {
            Some(from) => Some(Revocation {
                from,
                by: r.col::<Option<String>>(11)?.unwrap_or_default(),
                reason: r.col::<Option<String>>(12)?.unwrap_or_default(),
                at: r.col::<Option<Timestamp>>(13)?.unwrap_or(Timestamp::UNIX_EPOCH),
            }),
            None => None,
        };
        Ok(PermitRecord {
            id: r.col(0)?,
            person_id: r.col(1)?,
            kind: PermitKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("permit kind {kind:?}")))?,
            purpose: purpose
                .map(|p| PermitPurpose::parse(&p).ok_or_else(|| StoreError::Corrupt(format!("permit purpose {p:?}"))))
                .transpose()?,
            number: r.col(4)?,
            valid_from: r.col(5)?,
            valid_to: r.col(6)?,
            issued_by: r.col(7)?,
            employer_id: r.col(14)?,
            recorded_by: r.col(8)?,
            created_at: r.col(9)?,
            revocation,
        })
    }
}

impl Decode for PermitTerm {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(PermitTerm { valid_from: r.col(0)?, valid_to: r.col(1)?, revoked_from: r.col(2)? })
    }
}
