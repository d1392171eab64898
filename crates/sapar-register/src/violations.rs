//! Violations: the overstays the sweep drafts (and a departure records), for officers to confirm
//! — with the article, the decision and the fine — or dismiss, once; violations of every kind
//! officers record themselves (kinds as data: `violation_kinds.toml`), an employer's among them;
//! the payment of a fine, recorded once; and the sweep itself, run on demand or nightly.

use jiff::civil::Date;
use sapar_model::{InputCode, InputError, Person, PersonId, Role, parse_date};
use sapar_store::violations::{
    DecideViolation, DecideViolationError, NewViolation, NewViolationError, PaymentError, Penalty, ViolationDecision,
};
use sapar_store::{ViolationRecord, ViolationStatus};
use uuid::Uuid;

use crate::access::{Access, distinct, view};
use crate::stay::SweepSummary;
use crate::text::{decision_note, optional_text, short_text};
use crate::violation_kinds::{Offender, violation_kinds};
use crate::{Actor, Entity, Register, RegisterError};

/// The largest fine amount accepted, in any unit: far above any fine in law, low enough that a
/// conversion to tenge cannot overflow.
const MAX_FINE_AMOUNT: i64 = 1_000_000_000_000;

/// A violation as an officer submits it, every value still untrusted text.
#[derive(Debug, Clone, Default)]
pub struct RawViolation {
    /// A kind's id from the violation kinds data.
    pub kind: String,
    /// The day it was committed or found, `YYYY-MM-DD`; not after today.
    pub detected_on: String,
    pub description: Option<String>,
    /// The employer (id) who committed it or at whose premises it was found.
    pub employer_id: Option<String>,
    pub penalty: RawPenalty,
}

/// The article, decision and fine as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawPenalty {
    /// The article of the code; the kind's article for the host state when absent.
    pub article: Option<String>,
    /// The decision imposing the penalty: a violation recorded with one is confirmed.
    pub decision_ref: Option<String>,
    pub fine: Option<RawFine>,
}

impl RawPenalty {
    fn is_empty(&self) -> bool {
        self.article.as_deref().is_none_or(|a| a.trim().is_empty())
            && self.decision_ref.as_deref().is_none_or(|d| d.trim().is_empty())
            && self.fine.is_none()
    }
}

/// A fine as submitted: the amount as written (a JSON number's text) and its unit.
#[derive(Debug, Clone, Default)]
pub struct RawFine {
    pub amount: String,
    pub unit: String,
}

/// A payment as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawPayment {
    /// `YYYY-MM-DD`; not after today.
    pub paid_on: String,
    /// The payment's reference (receipt or transaction number).
    pub reference: String,
}

/// A day an officer gives for something past: a date, not after `today`.
fn past_day(text: &str, field: &'static str, today: Date) -> Result<Date, InputError> {
    let day = parse_date(text.trim(), field)?;
    if day > today {
        return Err(InputError::new(field, InputCode::InvalidDate, format!("{day} lies after today ({today})")));
    }
    Ok(day)
}

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

    /// Confirms or dismisses a draft, once, unless another officer's claim on it is in force
    /// (`claimed`); a dismissal needs a note and carries no penalty. A confirmation may give the
    /// article, the decision and the fine; the decision drops any claim. The answer shows the
    /// person, so the read is logged.
    pub async fn decide_violation(
        &self,
        access: &Access,
        id: Uuid,
        verdict: ViolationVerdict,
        note: Option<&str>,
        penalty: &RawPenalty,
    ) -> Result<ViolationWithPerson, RegisterError> {
        let actor = &access.actor;
        actor.require(OFFICERS, "decide violations")?;
        let note = decision_note(note)?;
        self.check_claim(crate::queues::VIOLATIONS, actor, id).await?;
        let (decision, penalty) = match verdict {
            ViolationVerdict::Confirm => (ViolationDecision::Confirm, self.penalty(penalty, None)?),
            ViolationVerdict::Dismiss if note.is_none() => return Err(RegisterError::NoteRequired),
            ViolationVerdict::Dismiss if !penalty.is_empty() => {
                return Err(InputError::new(
                    "fine",
                    InputCode::InvalidChoice,
                    "a dismissed violation carries no article, decision or fine",
                )
                .into());
            }
            ViolationVerdict::Dismiss => (ViolationDecision::Dismiss, Penalty::default()),
        };
        let decided = self
            .store
            .decide_violation(DecideViolation { id, decision, by: actor.name.clone(), note, at: self.now(), penalty })
            .await
            .map_err(|e| match e {
                DecideViolationError::NotFound => RegisterError::NotFound(Entity::Violation),
                DecideViolationError::AlreadyDecided(status) => {
                    RegisterError::AlreadyDecided { entity: Entity::Violation, status: status.as_str() }
                }
                DecideViolationError::Store(e) => RegisterError::Store(e),
            })?;
        self.store.drop_claims(crate::queues::VIOLATIONS, id).await?;
        let found = self.with_person(decided).await?;
        self.log_reads(access, view::VIOLATION, &[found.violation.person_id]).await?;
        Ok(found)
    }

    /// The article, decision and fine as the register keeps them. `default_article` is the kind's
    /// article for the host state, used when none is given; a fine needs the decision imposing it.
    fn penalty(&self, raw: &RawPenalty, default_article: Option<&str>) -> Result<Penalty, InputError> {
        let article = optional_text(raw.article.as_deref(), "article")?.or_else(|| default_article.map(str::to_owned));
        let decision_ref = optional_text(raw.decision_ref.as_deref(), "decision_ref")?;
        let fine = match &raw.fine {
            None => None,
            Some(fine) => {
                let amount =
                    fine.amount.trim().parse::<i64>().ok().filter(|a| (0..=MAX_FINE_AMOUNT).contains(a)).ok_or_else(
                        || {
                            InputError::new(
                                "fine.amount",
                                InputCode::InvalidFineAmount,
                                format!(
                                    "a fine is a whole number from 0 to {MAX_FINE_AMOUNT}, not {:?}",
                                    crate::text::excerpt(&fine.amount)
                                ),
                            )
                        },
                    )?;
                let data =
                    violation_kinds().map_err(|e| InputError::new("fine.unit", InputCode::InvalidFineUnit, e))?;
                let units = data.units(self.host_state);
                let unit = fine.unit.trim().to_uppercase();
                if !units.contains(&unit) {
                    return Err(InputError::new(
                        "fine.unit",
                        InputCode::InvalidFineUnit,
                        format!(
                            "{} fines in {}, not {:?}",
                            self.host_state.code(),
                            units.join(" or "),
                            crate::text::excerpt(&fine.unit)
                        ),
                    ));
                }
                if decision_ref.is_none() {
                    return Err(InputError::new(
                        "decision_ref",
                        InputCode::MissingField,
                        "a fine is imposed by a decision: give `decision_ref`",
                    ));
                }
                Some((amount, unit))
            }
        };
        Ok(Penalty { article, decision_ref, fine })
    }

    /// Records a violation an officer found on the person `person` answers for: confirmed when
    /// recorded with its decision, a draft awaiting one otherwise.
    pub async fn record_violation(
        &self,
        actor: &Actor,
        person: PersonId,
        raw: &RawViolation,
    ) -> Result<ViolationRecord, RegisterError> {
        actor.require(OFFICERS, "record violations")?;
        let data = violation_kinds().map_err(RegisterError::Internal)?;
        let kind = data.kind(raw.kind.trim())?;
        let detected_on = past_day(&raw.detected_on, "detected_on", self.today())?;
        let description = optional_text(raw.description.as_deref(), "description")?;
        let employer = self.named_employer(raw.employer_id.as_deref()).await?;
        if kind.offender == Offender::Employer && employer.is_none() {
            return Err(InputError::new(
                "employer_id",
                InputCode::EmployerRequired,
                format!("a violation of kind {} is the employer's: give `employer_id`", kind.id),
            )
            .into());
        }
        let penalty = self.penalty(&raw.penalty, kind.article(self.host_state))?;
        if penalty.article.is_none() {
            return Err(InputError::new(
                "article",
                InputCode::ArticleRequired,
                format!("{}'s code has no article for {} on record: give `article`", self.host_state.code(), kind.id),
            )
            .into());
        }
        let person = self.person_answering_for(person).await?.person.id;
        let status = if penalty.decision_ref.is_some() { ViolationStatus::Confirmed } else { ViolationStatus::Draft };
        let violation = NewViolation {
            id: Uuid::now_v7(),
            person_id: person,
            kind: kind.id.clone(),
            detected_on,
            description,
            employer_id: employer.map(|e| e.id),
            penalty,
            status,
            recorded_by: actor.name.clone(),
            at: self.now(),
        };
        self.store.record_violation(violation).await.map_err(|e| match e {
            NewViolationError::PersonNotFound => RegisterError::NotFound(Entity::Person),
            NewViolationError::EmployerNotFound => RegisterError::NotFound(Entity::Employer),
            NewViolationError::Store(e) => RegisterError::Store(e),
        })
    }

    /// Records that a violation's fine was paid, once.
    pub async fn record_fine_payment(
        &self,
        actor: &Actor,
        id: Uuid,
        raw: &RawPayment,
    ) -> Result<ViolationRecord, RegisterError> {
        actor.require(OFFICERS, "record payments of fines")?;
        let paid_on = past_day(&raw.paid_on, "paid_on", self.today())?;
        let reference = short_text(&raw.reference, "reference")?;
        self.store.record_payment(id, paid_on, &reference).await.map_err(|e| match e {
            PaymentError::NotFound => RegisterError::NotFound(Entity::Violation),
            PaymentError::NoFine => RegisterError::NoFine,
            PaymentError::AlreadyPaid(on) => RegisterError::AlreadyPaid(on),
            PaymentError::Dismissed => RegisterError::ViolationDismissed,
            PaymentError::Store(e) => RegisterError::Store(e),
        })
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
    /// per person and overstayed stay not on record yet, and one failure to register per arrival
    /// of a person present past its registration deadline with no registration on record.
    pub async fn sweep_overstays(
        &self,
        actor: &Actor,
        on: Option<jiff::civil::Date>,
    ) -> Result<SweepSummary, RegisterError> {
        actor.require(SWEEPERS, "start the overstayer sweep")?;
        let on = on.unwrap_or_else(|| self.today());
        let (mut summary, misses) =
            crate::stay::sweep(&self.store, self.rules.clone(), self.host_state, on, self.now()).await?;
        let started = std::time::Instant::now();
        summary.new_registration_drafts = self.record_registration_misses(misses, on, &actor.name).await?;
        summary.record += started.elapsed();
        Ok(summary)
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
