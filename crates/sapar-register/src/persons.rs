//! Reading persons: by id (a merged id answers for its survivor), by a document they hold, and
//! their stay in the host state on a date.

use jiff::civil::Date;
use sapar_model::{DocumentKey, PersonId, Role};
use sapar_store::PersonRecord;

use crate::access::{Access, view};
use crate::stay::StayAnswer;
use crate::{Entity, Register, RegisterError};

/// Who reads persons and their stays.
const READERS: &[Role] = &[Role::Border, Role::Officer];

/// A person as found for an id.
#[derive(Debug, Clone)]
pub struct FoundPerson {
    pub record: PersonRecord,
    /// Set when the id asked for was merged into this person (the survivor).
    pub merged_from: Option<PersonId>,
}

impl Register {
    /// The person answering for `id`: that person, or the survivor they were merged into.
    pub(crate) async fn person_answering_for(&self, id: PersonId) -> Result<PersonRecord, RegisterError> {
        self.store.person_answering_for(id).await?.ok_or(RegisterError::NotFound(Entity::Person))
    }

    /// A person by id, with documents, crossings and permits; the read is logged against the
    /// person shown (the survivor, when `id` was merged).
    pub async fn person(&self, access: &Access, id: PersonId) -> Result<FoundPerson, RegisterError> {
        access.actor.require(READERS, "read persons")?;
        let record = self.person_answering_for(id).await?;
        self.log_reads(access, view::PERSON, &[record.person.id]).await?;
        let merged_from = (record.person.id != id).then_some(id);
        Ok(FoundPerson { record, merged_from })
    }

    /// The person holding the document `key`; the read is logged.
    pub async fn person_by_document(&self, access: &Access, key: &DocumentKey) -> Result<PersonRecord, RegisterError> {
        access.actor.require(READERS, "read persons")?;
        let record = self.store.person_by_document(key).await?.ok_or(RegisterError::NotFound(Entity::Person))?;
        self.log_reads(access, view::PERSON, &[record.person.id]).await?;
        Ok(record)
    }

    /// A person's stay in the host state on `on` (today in the host state when `None`), from
    /// their crossings up to that date, less the days their permits cover. The read is logged
    /// before the stay is judged: a refusal to judge says something of the person too.
    pub async fn stay(&self, access: &Access, id: PersonId, on: Option<Date>) -> Result<StayAnswer, RegisterError> {
        access.actor.require(READERS, "read stays")?;
        let on = on.unwrap_or_else(|| self.today());
        let record = self.person_answering_for(id).await?;
        self.log_reads(access, view::STAY, &[record.person.id]).await?;
        let permits = sapar_store::permits::periods_of(&record.permits);
        crate::stay::stay_answer(&self.rules, self.host_state, &record, &permits, on)
            .map_err(RegisterError::StayNotJudged)
    }
}
