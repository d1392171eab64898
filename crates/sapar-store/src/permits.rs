//! Residence permits and long-stay visas in the register, and what the stay rules make of them.
//!
//! A permit's days do not count toward short-stay limits (docs/stay-rules.md). Permits are never
//! deleted: revoking one records the first day it no longer covers, so the answer for any past
//! date stays what it was. The engine wants disjoint periods; a renewal issued before the old
//! permit ends overlaps it, so [`periods_of`] joins a person's permits into the periods they
//! cover together (the rule itself is `sapar_rules::join_periods`).

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::PersonId;
use sapar_rules::Permit;
use uuid::Uuid;

use crate::Store;
use crate::error::StoreError;

/// What the permit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PermitKind {
    /// Temporary residence permit (granted for a purpose).
    TemporaryResidence,
    /// Permanent residence permit.
    PermanentResidence,
    /// Long-stay (D) visa.
    LongStayVisa,
    /// Permit to work (a labour immigrant's, or one issued to an employer for a named worker);
    /// the worker stays for its term.
    WorkPermit,
}

impl PermitKind {
    pub const ALL: [PermitKind; 4] = [
        PermitKind::TemporaryResidence,
        PermitKind::PermanentResidence,
        PermitKind::LongStayVisa,
        PermitKind::WorkPermit,
    ];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PermitKind::TemporaryResidence => "temporary_residence",
            PermitKind::PermanentResidence => "permanent_residence",
            PermitKind::LongStayVisa => "long_stay_visa",
            PermitKind::WorkPermit => "work_permit",
        }
    }

    pub fn parse(s: &str) -> Option<PermitKind> {
        PermitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a temporary permit was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PermitPurpose {
    Work,
    Family,
    Study,
    Business,
    Humanitarian,
    Other,
}

impl PermitPurpose {
    pub const ALL: [PermitPurpose; 6] = [
        PermitPurpose::Work,
        PermitPurpose::Family,
        PermitPurpose::Study,
        PermitPurpose::Business,
        PermitPurpose::Humanitarian,
        PermitPurpose::Other,
    ];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PermitPurpose::Work => "work",
            PermitPurpose::Family => "family",
            PermitPurpose::Study => "study",
            PermitPurpose::Business => "business",
            PermitPurpose::Humanitarian => "humanitarian",
            PermitPurpose::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PermitPurpose> {
        PermitPurpose::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A permit to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPermit {
    pub person_id: PersonId,
    pub kind: PermitKind,
    pub purpose: Option<PermitPurpose>,
    /// The number printed on the permit; unique per kind.
    pub number: String,
    /// First day covered.
    pub valid_from: Date,
    /// Last day covered (inclusive).
    pub valid_to: Date,
    /// The issuing authority, as the officer gives it.
    pub issued_by: Option<String>,
    /// The employer a work permit binds the worker to.
    pub employer_id: Option<Uuid>,
    /// Name of the token that recorded it.
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// The end of a permit before its term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The first day the permit no longer covers.
    pub from: Date,
    pub by: String,
    pub reason: String,
    pub at: Timestamp,
}

/// A stored permit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitRecord {
    pub id: Uuid,
    pub person_id: PersonId,
    pub kind: PermitKind,
    pub purpose: Option<PermitPurpose>,
    pub number: String,
    pub valid_from: Date,
    pub valid_to: Date,
    pub issued_by: Option<String>,
    pub employer_id: Option<Uuid>,
    pub recorded_by: String,
    pub created_at: Timestamp,
    pub revocation: Option<Revocation>,
}

impl PermitRecord {
    /// The days the permit actually covers: its term, cut short by a revocation; None when a
    /// revocation took effect before its first day.
    pub fn covered(&self) -> Option<Permit> {
        sapar_rules::permit_cover(self.valid_from, self.valid_to, self.revocation.as_ref().map(|r| r.from))
    }
}

/// The periods a person's stored permits cover, revocations applied, ready for the engine.
pub fn periods_of(records: &[PermitRecord]) -> Vec<Permit> {
    sapar_rules::join_periods(records.iter().filter_map(PermitRecord::covered))
}

/// The bytes of `persons.permit_periods` for these periods (sorted, disjoint), None when there
/// are none. The encoding is the stay history's (see `stay_history.rs`), every period a closed
/// stay. For bulk loaders that write register rows directly.
pub fn periods_column(periods: &[Permit]) -> Option<Vec<u8>> {
    let as_stays: Vec<sapar_rules::Stay> = periods.iter().map(|p| sapar_rules::Stay::closed(p.from, p.to)).collect();
    (!as_stays.is_empty()).then(|| crate::stay_history::encode(&as_stays))
}

/// Reads `persons.permit_periods`.
pub(crate) fn decode_periods(bytes: Option<&[u8]>) -> Result<Vec<Permit>, StoreError> {
    let Some(bytes) = bytes else { return Ok(Vec::new()) };
    crate::stay_history::decode(bytes)?
        .into_iter()
        .map(|s| match s.exit {
            Some(to) => Ok(Permit { from: s.entry, to }),
            None => Err(StoreError::Corrupt("permit periods: an open period".into())),
        })
        .collect()
}

/// Why a permit was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum PermitError {
    #[error("no person has this id")]
    PersonNotFound,
    #[error("a {kind} numbered {number:?} is already recorded", kind = .kind.as_str())]
    DuplicateNumber { kind: PermitKind, number: String },
    #[error("the permit ends ({to}) before it starts ({from})")]
    EndsBeforeStart { from: Date, to: Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What recording a permit is decided on, read in the recording transaction.
pub(crate) struct PermitSnapshot {
    pub(crate) person_exists: bool,
    /// A permit of the kind already carries the number.
    pub(crate) number_taken: bool,
}

/// The recording rule, for both backends: the person must exist, then the number must be free
/// for the kind. `inserted` is what the insert (which skips a taken kind and number) wrote, for
/// a number taken by a concurrent recording after the snapshot was read.
pub(crate) fn plan_permit(p: &NewPermit, s: &PermitSnapshot, inserted: Option<usize>) -> Result<(), PermitError> {
    if !s.person_exists {
        return Err(PermitError::PersonNotFound);
    }
    if s.number_taken || inserted == Some(0) {
        return Err(PermitError::DuplicateNumber { kind: p.kind, number: p.number.clone() });
    }
    Ok(())
}

/// Why a permit was not revoked.
#[derive(Debug, thiserror::Error)]
pub enum RevokeError {
    #[error("no permit has this id")]
    NotFound,
    #[error("the permit was already revoked from {0}")]
    AlreadyRevoked(Date),
    #[error("the permit expired on {valid_to}: revoking it from {from} changes nothing")]
    AfterExpiry { from: Date, valid_to: Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A revocation to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokePermit {
    pub id: Uuid,
    pub revocation: Revocation,
}

/// The revocation rule, for both backends: a permit is revoked once, and not from a day after
/// it expired (that would change nothing).
pub(crate) fn check_revocation(current: &PermitRecord, revocation: &Revocation) -> Result<(), RevokeError> {
    if let Some(done) = &current.revocation {
        return Err(RevokeError::AlreadyRevoked(done.from));
    }
    if revocation.from > current.valid_to {
        return Err(RevokeError::AfterExpiry { from: revocation.from, valid_to: current.valid_to });
    }
    Ok(())
}

impl Store {
    /// Records a permit for an existing person (not resolved through merges: give the survivor).
    pub async fn record_permit(&self, permit: NewPermit) -> Result<PermitRecord, PermitError> {
        if permit.valid_to < permit.valid_from {
            return Err(PermitError::EndsBeforeStart { from: permit.valid_from, to: permit.valid_to });
        }
        dispatch!(self, record_permit(&permit), PermitError::Store)
    }

    /// Ends a permit from `revocation.from` on; a permit is revoked once.
    pub async fn revoke_permit(&self, revoke: RevokePermit) -> Result<PermitRecord, RevokeError> {
        dispatch!(self, revoke_permit(&revoke), RevokeError::Store)
    }

    /// A person's permits, by first day covered.
    pub async fn permits_of(&self, person: PersonId) -> Result<Vec<PermitRecord>, StoreError> {
        dispatch!(self, permits_of(person))
    }
}

/// A permit's term and revocation day, as the person's permit periods are computed from them.
pub(crate) struct PermitTerm {
    pub valid_from: Date,
    pub valid_to: Date,
    pub revoked_from: Option<Date>,
}

/// The `persons.permit_periods` value for a person holding these permits.
pub(crate) fn periods_column_of(terms: &[PermitTerm]) -> Option<Vec<u8>> {
    periods_column(&sapar_rules::join_periods(
        terms.iter().filter_map(|t| sapar_rules::permit_cover(t.valid_from, t.valid_to, t.revoked_from)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn permit(from: Date, to: Date) -> Permit {
        Permit { from, to }
    }

    #[test]
    fn the_person_column_holds_the_joined_periods() {
        let term = |from, to, revoked_from| PermitTerm { valid_from: from, valid_to: to, revoked_from };
        let terms = [
            term(date(2025, 1, 1), date(2025, 6, 30), None),
            term(date(2025, 6, 1), date(2025, 12, 31), Some(date(2025, 9, 1))),
            term(date(2026, 1, 1), date(2026, 12, 31), Some(date(2026, 1, 1))),
        ];
        let column = periods_column_of(&terms);
        let periods = decode_periods(column.as_deref()).unwrap();
        assert_eq!(periods, vec![permit(date(2025, 1, 1), date(2025, 8, 31))]);
        assert_eq!(periods_column_of(&terms[2..]), None, "a permit voided from its first day covers nothing");
        assert_eq!(decode_periods(None).unwrap(), Vec::new());
    }
}
