//! Reading persons: by id (a merged id answers for its survivor), by a document they hold, and
//! their stay in the host state on a date.

use jiff::civil::Date;
use sapar_model::{DocumentKey, PersonId, Role};
use sapar_store::PersonRecord;

use crate::stay::StayAnswer;
use crate::{Actor, Entity, Register, RegisterError};

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

    /// A person by id, with documents, crossings and permits.
    pub async fn person(&self, actor: &Actor, id: PersonId) -> Result<FoundPerson, RegisterError> {
        actor.require(READERS, "read persons")?;
        let record = self.person_answering_for(id).await?;
        let merged_from = (record.person.id != id).then_some(id);
        Ok(FoundPerson { record, merged_from })
    }

    /// The person holding the document `key`.
    pub async fn person_by_document(&self, actor: &Actor, key: &DocumentKey) -> Result<PersonRecord, RegisterError> {
        actor.require(READERS, "read persons")?;
        self.store.person_by_document(key).await?.ok_or(RegisterError::NotFound(Entity::Person))
    }

    /// A person's stay in the host state on `on` (today in the host state when `None`), from
    /// their crossings up to that date, less the days their permits cover.
    pub async fn stay(&self, actor: &Actor, id: PersonId, on: Option<Date>) -> Result<StayAnswer, RegisterError> {
        actor.require(READERS, "read stays")?;
        let on = on.unwrap_or_else(|| self.today());
        let record = self.person_answering_for(id).await?;
        let permits = sapar_store::permits::periods_of(&record.permits);
        crate::stay::stay_answer(&self.rules, self.host_state, &record, &permits, on)
            .map_err(RegisterError::StayNotJudged)
    }
}
