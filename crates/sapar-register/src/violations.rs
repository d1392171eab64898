//! The violations the overstayer sweep drafted, for officers to confirm or dismiss once; the
//! sweep itself, run on demand or by the nightly schedule.

use sapar_model::{Person, PersonId, Role};
use sapar_store::violations::{DecideViolation, DecideViolationError, ViolationDecision};
use sapar_store::{ViolationRecord, ViolationStatus};
use uuid::Uuid;

use crate::access::{Access, distinct, view};
use crate::stay::SweepSummary;
use crate::text::decision_note;
use crate::{Actor, Entity, Register, RegisterError};

/// Who works the violations.
const OFFICERS: &[Role] = &[Role::Officer];
/// Who may start a sweep by hand.
const SWEEPERS: &[Role] = &[Role::Officer, Role::Admin];

/// A violation with the person it is about.
#[derive(Debug, Clone)]
pub struct ViolationWithPerson {
    pub violation: ViolationRecord,
    /// `None` only if the person's record could not be read back.
    pub person: Option<Person>,
}

/// A page of violations of one status.
#[derive(Debug, Clone)]
pub struct ViolationPage {
    pub status: ViolationStatus,
    /// Violations with this status in all.
    pub total: i64,
    pub items: Vec<ViolationWithPerson>,
}

/// What the officer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationVerdict {
    /// The overstay stands.
    Confirm,
    /// Not a violation; a note is required.
    Dismiss,
}

impl Register {
    async fn with_person(&self, violation: ViolationRecord) -> Result<ViolationWithPerson, RegisterError> {
        let person = self.store.person(violation.person_id).await?.map(|r| r.person);
        Ok(ViolationWithPerson { violation, person })
    }

    /// Violations with `status`, oldest detection first, each with its person; the read is
    /// logged once for each person on the page.
    pub async fn violations(
        &self,
        access: &Access,
        status: ViolationStatus,
        limit: u32,
        offset: u32,
    ) -> Result<ViolationPage, RegisterError> {
        access.actor.require(OFFICERS, "read violations")?;
        let total = self.store.violation_count(status).await?;
        let records = self.store.violations_with_status(status, limit, offset).await?;
        let mut items = Vec::with_capacity(records.len());
        for v in records {
            items.push(self.with_person(v).await?);
        }
        let persons = distinct(items.iter().map(|item| item.violation.person_id));
        self.log_reads(access, view::VIOLATION_QUEUE, &persons).await?;
        Ok(ViolationPage { status, total, items })
    }

    /// One violation with its person; the read is logged against that person.
    pub async fn violation(&self, access: &Access, id: Uuid) -> Result<ViolationWithPerson, RegisterError> {
        access.actor.require(OFFICERS, "read violations")?;
        let v = self.store.violation(id).await?.ok_or(RegisterError::NotFound(Entity::Violation))?;
        let found = self.with_person(v).await?;
        self.log_reads(access, view::VIOLATION, &[found.violation.person_id]).await?;
        Ok(found)
    }

    /// Confirms or dismisses a draft, once; a dismissal needs a note. The answer shows the
    /// person, so the read is logged.
    pub async fn decide_violation(
        &self,
        access: &Access,
        id: Uuid,
        verdict: ViolationVerdict,
        note: Option<&str>,
    ) -> Result<ViolationWithPerson, RegisterError> {
        let actor = &access.actor;
        actor.require(OFFICERS, "decide violations")?;
        let note = decision_note(note)?;
        let decision = match verdict {
            ViolationVerdict::Confirm => ViolationDecision::Confirm,
            ViolationVerdict::Dismiss if note.is_none() => return Err(RegisterError::NoteRequired),
            ViolationVerdict::Dismiss => ViolationDecision::Dismiss,
        };
        let decided = self
            .store
            .decide_violation(DecideViolation { id, decision, by: actor.name.clone(), note, at: self.now() })
            .await
            .map_err(|e| match e {
                DecideViolationError::NotFound => RegisterError::NotFound(Entity::Violation),
                DecideViolationError::AlreadyDecided(status) => {
                    RegisterError::AlreadyDecided { entity: Entity::Violation, status: status.as_str() }
                }
                DecideViolationError::Store(e) => RegisterError::Store(e),
            })?;
        let found = self.with_person(decided).await?;
        self.log_reads(access, view::VIOLATION, &[found.violation.person_id]).await?;
        Ok(found)
    }

    /// The violations of the person `person` answers for, by detection date; the read is logged.
    pub async fn violations_of(
        &self,
        access: &Access,
        person: PersonId,
    ) -> Result<Vec<ViolationRecord>, RegisterError> {
        access.actor.require(OFFICERS, "read violations")?;
        let person = self.person_answering_for(person).await?.person.id;
        let violations = self.store.violations_of(person).await?;
        self.log_reads(access, view::VIOLATIONS, &[person]).await?;
        Ok(violations)
    }

    /// The overstayer sweep for `on` (today in the host state when `None`): drafts one violation
    /// per person and overstayed stay not on record yet.
    pub async fn sweep_overstays(
        &self,
        actor: &Actor,
        on: Option<jiff::civil::Date>,
    ) -> Result<SweepSummary, RegisterError> {
        actor.require(SWEEPERS, "start the overstayer sweep")?;
        let on = on.unwrap_or_else(|| self.today());
        Ok(crate::stay::sweep(&self.store, self.rules.clone(), self.host_state, on, self.now()).await?)
    }

    /// The nightly sweep: every day at `at` in the host state's zone, until `shutdown` resolves.
    /// A failed night is logged and the next one runs as planned.
    pub async fn run_nightly_sweep(&self, at: jiff::civil::Time, shutdown: impl std::future::Future<Output = ()>) {
        let system = Actor::new("nightly-sweep", Role::Admin);
        let zone = crate::stay::host_zone(self.host_state);
        tokio::pin!(shutdown);
        loop {
            let now = self.now().to_zoned(zone.clone());
            let Some(next) = crate::stay::next_run(&now, at) else {
                tracing::error!(%now, "no next sweep time; the nightly sweep stops");
                return;
            };
            let wait =
                std::time::Duration::try_from(next.timestamp().duration_since(now.timestamp())).unwrap_or_default();
            tracing::info!(next = %next, "overstayer sweep scheduled");
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(wait) => {}
            }
            let on = next.date();
            match self.sweep_overstays(&system, Some(on)).await {
                Ok(s) => tracing::info!(
                    on = %s.on, checked = s.checked, overstayers = s.overstayers, new_drafts = s.new_drafts,
                    not_evaluated = s.not_evaluated, "overstayer sweep done"
                ),
                Err(e) => tracing::error!(error = %e, %on, "overstayer sweep failed"),
            }
        }
    }
}
