//! Accountable reads: every use case that shows a person's data takes an [`Access`] — who reads,
//! for what stated purpose, through which front end, from which address — and appends one
//! access-log row per person shown before it answers. A read whose row cannot be written is not
//! answered. Auditors list the log; nobody changes it.

use std::net::IpAddr;

use sapar_model::{InputCode, InputError, PersonId, ReadPurpose, Role};
use sapar_store::access_log::{AccessEntry, AccessFilter};

use crate::{Actor, Register, RegisterError};

pub use sapar_store::access_log::AccessChannel;

/// Longest free-text purpose, in characters.
pub const MAX_PURPOSE_NOTE_CHARS: usize = 500;
/// Most access-log rows one listing returns.
pub const MAX_ACCESS_PAGE: u32 = 1000;

/// What a read showed of a person, as the access log names it: one place for every view.
pub mod view {
    /// A person's record: names, documents, crossings, permits.
    pub const PERSON: &str = "person";
    /// A person's stay on a date.
    pub const STAY: &str = "stay";
    /// A person's permits.
    pub const PERMITS: &str = "permits";
    /// A person's violations.
    pub const VIOLATIONS: &str = "violations";
    /// One violation with the person it concerns.
    pub const VIOLATION: &str = "violation";
    /// A page of the violations queue, with each person's names and documents.
    pub const VIOLATION_QUEUE: &str = "violation_queue";
    /// A pair of the review queue, both persons side by side.
    pub const REVIEW: &str = "review";
    /// A border desk check: the person holding the scanned document, and their stay.
    pub const BORDER_CHECK: &str = "border_check";
    /// A person's entry bans.
    pub const BANS: &str = "bans";
    /// A person's expulsions.
    pub const EXPULSIONS: &str = "expulsions";
    /// The events about a person that partner states may be told of.
    pub const EVENTS: &str = "events";
    /// Control register entries with their applications and notices.
    pub const CONTROL_REGISTER: &str = "control_register";
    /// The printable notice of a control register entry.
    pub const CONTROL_NOTICE: &str = "control_notice";
    /// A third party's yes/no lookup of whether a document's holder is listed.
    pub const CONTROL_CHECK: &str = "control_check";
    /// The violations naming an employer, each about a worker.
    pub const EMPLOYER_VIOLATIONS: &str = "employer_violations";
    /// A person's migrant cards, or one card with its holder.
    pub const CARDS: &str = "cards";
    /// A card holder's own status, shown to them through self-service.
    pub const SELF_STATUS: &str = "self_status";
    /// A person's registrations of place of stay.
    pub const REGISTRATIONS: &str = "registrations";
    /// A person shown in a search's results.
    pub const SEARCH_HIT: &str = "search_hit";
    /// A candidate shown while drafting the answer to a partner state's request.
    pub const EXCHANGE_ANSWER: &str = "exchange_answer";
    /// A candidate compared while answering a partner's hit/no-hit query automatically.
    pub const HIT_CHECK: &str = "hit_check";
}

/// Who reads persons' data, why, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub actor: Actor,
    pub purpose: ReadPurpose,
    /// The reader's own words; trimmed and bounded by [`Access::with_note`].
    pub purpose_note: Option<String>,
    pub channel: AccessChannel,
    pub address: Option<IpAddr>,
}

impl Access {
    /// `actor` reading through `channel` for `purpose`, with no note and no known address.
    pub fn new(actor: Actor, purpose: ReadPurpose, channel: AccessChannel) -> Access {
        Access { actor, purpose, purpose_note: None, channel, address: None }
    }

    /// The same access with the reader's own words on the purpose: blank is none; longer than
    /// [`MAX_PURPOSE_NOTE_CHARS`] is refused.
    pub fn with_note(self, note: Option<&str>) -> Result<Access, InputError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > MAX_PURPOSE_NOTE_CHARS) {
            return Err(InputError::new(
                "purpose_note",
                InputCode::TooLong,
                format!("a purpose note holds at most {MAX_PURPOSE_NOTE_CHARS} characters"),
            ));
        }
        Ok(Access { purpose_note: note.map(str::to_owned), ..self })
    }

    /// The same access from `address`.
    pub fn from_address(self, address: Option<IpAddr>) -> Access {
        Access { address, ..self }
    }
}

/// The purpose a machine client's reads are logged under when it states none, where its role's
/// work has one purpose only; `None` means the client must state one.
pub fn default_purpose(role: Role) -> Option<ReadPurpose> {
    match role {
        Role::Border => Some(ReadPurpose::BorderCheck),
        Role::Exchange | Role::Signatory => Some(ReadPurpose::ExchangeRequest),
        Role::Auditor => Some(ReadPurpose::Audit),
        Role::Holder => Some(ReadPurpose::OwnData),
        Role::Officer | Role::Analyst | Role::Admin | Role::Host => None,
    }
}

/// One page of the access log and how many rows match in all.
#[derive(Debug, Clone)]
pub struct AccessLogPage {
    pub entries: Vec<AccessEntry>,
    pub total: u64,
}

/// `ids` without repeats, in their first order: one log row per person a view showed.
pub(crate) fn distinct(ids: impl IntoIterator<Item = PersonId>) -> Vec<PersonId> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

impl Register {
    /// Appends one access-log row per person in `persons` for what `view` showed them, stamped
    /// now; the read must not be answered when this fails.
    pub(crate) async fn log_reads(
        &self,
        access: &Access,
        view: &'static str,
        persons: &[PersonId],
    ) -> Result<(), RegisterError> {
        let at = self.now();
        let entries = persons
            .iter()
            .map(|person| AccessEntry {
                id: uuid::Uuid::now_v7(),
                at,
                actor: access.actor.name.clone(),
                role: access.actor.role,
                channel: access.channel,
                person_id: *person,
                view: view.to_owned(),
                purpose: access.purpose,
                purpose_note: access.purpose_note.clone(),
                address: access.address.map(|a| a.to_string()),
            })
            .collect();
        Ok(self.store.append_access(entries).await?)
    }

    /// The access-log rows `filter` matches, newest first: at most `limit` (capped at
    /// [`MAX_ACCESS_PAGE`]) from `offset`, with the total. Auditors only.
    pub async fn access_log(
        &self,
        actor: &Actor,
        filter: &AccessFilter,
        limit: u32,
        offset: u64,
    ) -> Result<AccessLogPage, RegisterError> {
        actor.require(&[Role::Auditor], "read the access log")?;
        let entries = self.store.access_log(filter, limit.min(MAX_ACCESS_PAGE), offset).await?;
        let total = self.store.access_log_count(filter).await?;
        Ok(AccessLogPage { entries, total })
    }
}
