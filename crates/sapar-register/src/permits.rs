//! Residence permits, long-stay visas and work permits: recorded, listed and revoked by officers. Their days
//! leave the short-stay limits in every stay answer. A permit is never deleted; a revocation keeps
//! who, when, why and the first day no longer covered.

use sapar_model::{InputCode, InputError, PersonId, Role, parse_date};
use sapar_store::permits::{
    NewPermit, PermitError, PermitKind, PermitPurpose, PermitRecord, Revocation, RevokeError, RevokePermit,
};
use uuid::Uuid;

use crate::access::{Access, view};
use crate::text::short_text;
use crate::{Actor, Entity, Register, RegisterError};

/// Who records and revokes permits.
const GRANTORS: &[Role] = &[Role::Officer];
/// Who reads them.
const READERS: &[Role] = &[Role::Border, Role::Officer];

/// A permit as submitted, every value still untrusted text.
#[derive(Debug, Clone, Default)]
pub struct RawPermit {
    /// `temporary_residence`, `permanent_residence`, `long_stay_visa` or `work_permit`.
    pub kind: String,
    /// Required for a temporary residence permit.
    pub purpose: Option<String>,
    pub number: String,
    /// First day covered, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Last day covered, `YYYY-MM-DD`.
    pub valid_to: String,
    pub issued_by: Option<String>,
    /// The employer (id) a work permit binds the worker to; only for a work permit.
    pub employer_id: Option<String>,
}

/// A revocation as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawRevocation {
    /// The first day no longer covered, `YYYY-MM-DD`.
    pub from: String,
    pub reason: String,
}

fn parse_kind(text: &str) -> Result<PermitKind, InputError> {
    PermitKind::parse(text).ok_or_else(|| {
        let known: Vec<&str> = PermitKind::ALL.iter().map(|k| k.as_str()).collect();
        InputError::new("kind", InputCode::InvalidKind, format!("kind {text:?} is not one of {}", known.join(", ")))
    })
}

fn parse_purpose(text: &str) -> Result<PermitPurpose, InputError> {
    PermitPurpose::parse(text).ok_or_else(|| {
        let known: Vec<&str> = PermitPurpose::ALL.iter().map(|k| k.as_str()).collect();
        InputError::new(
            "purpose",
            InputCode::InvalidPurpose,
            format!("purpose {text:?} is not one of {}", known.join(", ")),
        )
    })
}

impl Register {
    /// Records a permit for the person `person` answers for (the survivor when merged).
    pub async fn record_permit(
        &self,
        actor: &Actor,
        person: PersonId,
        raw: &RawPermit,
    ) -> Result<PermitRecord, RegisterError> {
        actor.require(GRANTORS, "record permits")?;
        let kind = parse_kind(&raw.kind)?;
        let purpose = raw.purpose.as_deref().map(parse_purpose).transpose()?;
        if kind == PermitKind::TemporaryResidence && purpose.is_none() {
            return Err(InputError::new(
                "purpose",
                InputCode::PurposeRequired,
                "a temporary residence permit is granted for a purpose: give `purpose`",
            )
            .into());
        }
        let number = short_text(&raw.number, "number")?;
        let valid_from = parse_date(raw.valid_from.trim(), "valid_from")?;
        let valid_to = parse_date(raw.valid_to.trim(), "valid_to")?;
        let issued_by = raw.issued_by.as_deref().map(|t| short_text(t, "issued_by")).transpose()?;
        let employer = self.named_employer(raw.employer_id.as_deref()).await?;
        if employer.is_some() && kind != PermitKind::WorkPermit {
            return Err(InputError::new(
                "employer_id",
                InputCode::InvalidChoice,
                "only a work permit names an employer",
            )
            .into());
        }
        let person = self.person_answering_for(person).await?;
        let permit = NewPermit {
            person_id: person.person.id,
            kind,
            purpose,
            number,
            valid_from,
            valid_to,
            issued_by,
            employer_id: employer.map(|e| e.id),
            recorded_by: actor.name.clone(),
            recorded_at: self.now(),
        };
        let recorded = self.store.record_permit(permit).await.map_err(|e| match e {
            PermitError::PersonNotFound => RegisterError::NotFound(Entity::Person),
            PermitError::DuplicateNumber { kind, number } => {
                RegisterError::DuplicatePermit { kind: kind.as_str(), number }
            }
            PermitError::EndsBeforeStart { from, to } => RegisterError::PermitEndsBeforeStart { from, to },
            PermitError::Store(e) => RegisterError::Store(e),
        })?;
        // A permit covering today legalises the stay: the control register entries it ends go.
        self.remove_on_permit(&actor.name, &recorded).await?;
        // A permit that lengthens the legal stay lengthens the card with it.
        self.renew_card_of(&actor.name, recorded.person_id).await?;
        Ok(recorded)
    }

    /// The permits of the person `person` answers for, by first day covered; the read is logged.
    pub async fn permits_of(&self, access: &Access, person: PersonId) -> Result<Vec<PermitRecord>, RegisterError> {
        access.actor.require(READERS, "read permits")?;
        let record = self.person_answering_for(person).await?;
        self.log_reads(access, view::PERMITS, &[record.person.id]).await?;
        Ok(record.permits)
    }

    /// Revokes a permit from a day on; it keeps covering the days before.
    pub async fn revoke_permit(
        &self,
        actor: &Actor,
        permit: Uuid,
        raw: &RawRevocation,
    ) -> Result<PermitRecord, RegisterError> {
        actor.require(GRANTORS, "revoke permits")?;
        let from = parse_date(raw.from.trim(), "from")?;
        let reason = short_text(&raw.reason, "reason")?;
        let revocation = Revocation { from, by: actor.name.clone(), reason, at: self.now() };
        self.store.revoke_permit(RevokePermit { id: permit, revocation }).await.map_err(|e| match e {
            RevokeError::NotFound => RegisterError::NotFound(Entity::Permit),
            RevokeError::AlreadyRevoked(from) => RegisterError::AlreadyRevoked(from),
            RevokeError::AfterExpiry { from, valid_to } => RegisterError::RevokedAfterExpiry { valid_to, from },
            RevokeError::Store(e) => RegisterError::Store(e),
        })
    }
}
