//! Values passed in and out of the store: crossings to record, their receipts, persons read back,
//! overstay violations.

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, Crossing, CrossingId, NewCrossing, Person, PersonId, Role};
use sapar_rules::Stay;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A crossing to record, with the client-chosen id that makes recording idempotent.
#[derive(Debug, Clone)]
pub struct RecordCrossing {
    pub id: CrossingId,
    pub crossing: NewCrossing,
    pub recorded_at: Timestamp,
    /// The token or user that recorded it; `None` for bulk imports.
    pub recorded_by: Option<String>,
}

impl RecordCrossing {
    /// Fingerprint of the crossing's content: equal for the same crossing sent twice, whatever
    /// the formatting of the request; different as soon as any recorded value differs.
    pub fn fingerprint(&self) -> [u8; 32] {
        let c = &self.crossing;
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        field(c.direction.as_str());
        field(&c.at.timestamp().as_microsecond().to_string());
        field(&c.at.time_zone().iana_name().map_or_else(|| c.at.offset().to_string(), str::to_owned));
        field(c.point.as_str());
        field(c.purpose.as_str());
        field(c.document.document_type.as_str());
        field(&c.document.key.to_string());
        field(&c.document.expiry.map(|d| d.to_string()).unwrap_or_default());
        let details = &c.person;
        for rendering in [details.name.native(), details.name.latin()] {
            match rendering {
                Some(n) => {
                    field(n.surname.as_str());
                    field(n.given_names.as_ref().map_or("", |p| p.as_str()));
                    field(n.patronymic.as_ref().map_or("", |p| p.as_str()));
                }
                None => field("\u{0}"),
            }
        }
        field(details.sex.code());
        field(&details.birth_date.map(|d| d.to_string()).unwrap_or_default());
        field(details.citizenship.code());
        // A crossing's fingerprint is what it was before refusals existed, so a stored crossing
        // sent again is still a replay; a refusal adds its outcome, ground and note.
        if let sapar_model::Outcome::Refused { ground, note } = &c.outcome {
            field("refused");
            field(ground.as_str());
            field(note.as_deref().unwrap_or(""));
        }
        h.finalize().into()
    }
}

/// What recording a crossing produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrossingReceipt {
    pub crossing_id: CrossingId,
    pub person_id: PersonId,
    /// True when the same id and content had been recorded before and nothing was written now.
    pub replayed: bool,
    /// True when this crossing created the person (first time the document was seen).
    pub person_created: bool,
}

/// A person with everything the register holds about them, for reading back.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    pub person: Person,
    /// Crossings in time order: the border crossed (every stay is derived from these).
    pub crossings: Vec<Crossing>,
    /// Entries refused at the border, in time order: part of the person's history, never of a
    /// stay.
    pub refusals: Vec<Crossing>,
    /// Permits, by first day covered.
    pub permits: Vec<crate::permits::PermitRecord>,
}

/// An API token as stored: only the SHA-256 of the secret is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// From this instant on the token is refused; `None`: it does not expire.
    pub expires_at: Option<Timestamp>,
}

/// Totals of one batch of recordings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    pub recorded: u64,
    pub replayed: u64,
    pub rejected: u64,
    pub persons_created: u64,
}

/// A person whose latest crossing is an entry, with what the overstayer sweep needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentPerson {
    pub id: PersonId,
    pub citizenship: Country,
    /// Stays from all their crossings, the open one last.
    pub stays: Vec<Stay>,
    /// The periods their permits cover (sorted, disjoint).
    pub permits: Vec<sapar_rules::Permit>,
}

/// An overstay found by a sweep, to be recorded as a draft violation. There is one violation per
/// person and overstayed stay: the first sweep that finds it records it, later ones add nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverstayDraft {
    pub person_id: PersonId,
    /// The first day of the overstayed (open) stay.
    pub stay_entry: Date,
    /// The sweep date.
    pub detected_on: Date,
    pub overstay_days: u32,
    /// The last day of the open stay that was legal; None if none was.
    pub last_legal_day: Option<Date>,
    /// The rule broken, in force on the sweep date.
    pub rule_id: String,
}

/// What an officer decided about a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationStatus {
    Draft,
    Confirmed,
    Dismissed,
}

impl ViolationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationStatus::Draft => "draft",
            ViolationStatus::Confirmed => "confirmed",
            ViolationStatus::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<ViolationStatus> {
        match s {
            "draft" => Some(ViolationStatus::Draft),
            "confirmed" => Some(ViolationStatus::Confirmed),
            "dismissed" => Some(ViolationStatus::Dismissed),
            _ => None,
        }
    }
}

/// A stored violation: an overstay the register found (with its stay facts), or any kind an
/// officer recorded (with the article, fine and decision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationRecord {
    pub id: Uuid,
    pub person_id: PersonId,
    /// The kind's identifier from the violation kinds data (`overstay`, `illegal_work`, …).
    pub kind: String,
    /// The day it was found (the sweep's night, the exit, or the day an officer gives).
    pub detected_on: Date,
    /// What the register computed, for an overstay it found itself.
    pub overstay: Option<OverstayFacts>,
    pub status: ViolationStatus,
    pub created_at: Timestamp,
    /// The officer's decision, once made.
    pub decision: Option<ViolationDecided>,
    /// The officer who recorded it; None when the register found it.
    pub recorded_by: Option<String>,
    /// The article of the code of administrative offences.
    pub article: Option<String>,
    pub description: Option<String>,
    /// The employer who committed it, or at whose premises it was found.
    pub employer_id: Option<Uuid>,
    /// The reference of the decision imposing the penalty.
    pub decision_ref: Option<String>,
    pub fine: Option<Fine>,
}

/// The stay facts of an overstay the register found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverstayFacts {
    /// The first day of the overstayed stay.
    pub stay_entry: Date,
    pub overstay_days: u32,
    pub last_legal_day: Option<Date>,
    /// The rule broken.
    pub rule_id: String,
}

/// A fine and whether it was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fine {
    /// Whole units of `unit`; never negative.
    pub amount: i64,
    /// `MRP` (Kazakhstan's monthly calculation index), `KZT`, … as the violation kinds data lists.
    pub unit: String,
    pub payment: Option<Payment>,
}

/// A recorded payment of a fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub paid_on: Date,
    pub reference: String,
}

/// Who decided a violation, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationDecided {
    pub at: Timestamp,
    pub by: String,
    pub note: Option<String>,
}
