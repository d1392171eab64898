//! The border desk's check before a crossing is recorded: the submission (usually a scanned
//! machine-readable zone) validated exactly as recording will validate it, the person holding
//! the document if the register knows them, and their stay as it stands — with the checks an
//! officer needs to decide, each named. Reading the person is logged like every other read.

use jiff::civil::Date;
use sapar_model::{NewCrossing, RawCrossing, Role};
use sapar_store::PersonRecord;

use crate::access::Access;
use crate::crossings::validate_submission;
use crate::stay::StayAnswer;
use crate::{Register, RegisterError};

/// Who works the border desk.
const DESK: &[Role] = &[Role::Border, Role::Officer];

/// A finding of the check the officer must see before recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BorderFinding {
    /// The document expired before today.
    DocumentExpired(Date),
    /// The person is in the host state beyond their legal stay now.
    Overstaying { days: u32 },
    /// The register has no person with this document: a first crossing.
    NewPerson,
    /// The stay rules have no regime for the person's citizenship in this host state.
    NoStayRule,
}

/// What the desk shows before recording.
#[derive(Debug, Clone)]
pub struct BorderCheck {
    /// The crossing as it would be recorded now.
    pub crossing: NewCrossing,
    /// The person holding the document, when on record.
    pub person: Option<PersonRecord>,
    /// Their stay today, when on record and judged.
    pub stay: Option<StayAnswer>,
    pub findings: Vec<BorderFinding>,
}

impl Register {
    /// Validates `raw` as recording would (now, by the register's clock) and gathers what the
    /// officer needs: the person if known (an access-log row with `access`'s purpose), their
    /// stay today, and the findings. Nothing is recorded.
    pub async fn border_check(&self, access: &Access, raw: &RawCrossing) -> Result<BorderCheck, RegisterError> {
        access.actor.require(DESK, "check travellers")?;
        let crossing = validate_submission(raw, self.now())?.crossing;
        let today = self.today();
        let mut findings = Vec::new();
        if let Some(expiry) = crossing.document.expiry
            && expiry < today
        {
            findings.push(BorderFinding::DocumentExpired(expiry));
        }
        let person = self.store.person_by_document(&crossing.document.key).await?;
        let stay = match &person {
            None => {
                findings.push(BorderFinding::NewPerson);
                None
            }
            Some(record) => {
                self.log_reads(access, crate::access::view::BORDER_CHECK, &[record.person.id]).await?;
                let permits = sapar_store::permits::periods_of(&record.permits);
                match crate::stay::stay_answer(&self.rules, self.host_state, record, &permits, today) {
                    Ok(answer) => {
                        if answer.present && answer.overstay_days > 0 {
                            findings.push(BorderFinding::Overstaying { days: answer.overstay_days });
                        }
                        Some(answer)
                    }
                    Err(_) => {
                        findings.push(BorderFinding::NoStayRule);
                        None
                    }
                }
            }
        };
        Ok(BorderCheck { crossing, person, stay, findings })
    }
}
