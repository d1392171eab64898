//! Self-service for the card holder: with their document number, card number and birth date the
//! migrant sees their own stay (days used and left, the last legal day), their registration of
//! place of stay (in force, due by when, or overdue), their card's standing and whether they are in the control register. Wrong details get one
//! answer that says nothing of which detail was wrong; failures are throttled per address and per
//! card number; every answer shown is an access-log row (role `holder`, purpose `own_data`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use sapar_model::{ReadPurpose, Role, parse_date};
use sapar_store::PersonRecord;
use sapar_store::cards::CardRecord;
use sapar_store::control::ControlEntry;

use crate::access::{Access, AccessChannel, view};
use crate::cards::CardStatus;
use crate::registrations::RegistrationStatus;
use crate::stay::StayAnswer;
use crate::{Actor, Register, RegisterError};

/// Failed attempts allowed per address, and per card number, within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// How long a failed attempt counts against the next ones.
pub const FAILURE_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// What the holder gives, as typed.
#[derive(Debug, Clone, Default)]
pub struct RawSelfQuery {
    pub document_number: String,
    pub card_number: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
}

/// What the holder sees.
#[derive(Debug, Clone)]
pub struct SelfStatus {
    pub holder: PersonRecord,
    pub card: CardRecord,
    pub card_status: CardStatus,
    /// Their stay today: days used and left, last legal day, the registration deadline.
    pub stay: StayAnswer,
    /// Their registration of place of stay: the one in force, the deadline of the arrival,
    /// whether it is overdue.
    pub registration: RegistrationStatus,
    /// Their entries in the control register that are in force (how to apply for removal is
    /// shown beside them).
    pub control: Vec<ControlEntry>,
}

/// Recent failures per key (an address or a card number).
#[derive(Debug, Default)]
pub(crate) struct FailureLog {
    failures: Mutex<HashMap<String, Vec<Timestamp>>>,
}

impl FailureLog {
    fn recent(&self, key: &str, now: Timestamp) -> usize {
        let Ok(mut map) = self.failures.lock() else { return MAX_FAILURES };
        let Some(times) = map.get_mut(key) else { return 0 };
        times.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        times.len()
    }

    fn record(&self, keys: &[String], now: Timestamp) {
        if let Ok(mut map) = self.failures.lock() {
            // Keys of long-past failures go, so the map stays as small as the recent traffic.
            map.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < FAILURE_WINDOW));
            for key in keys {
                map.entry(key.clone()).or_default().push(now);
            }
        }
    }
}

fn normalised(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

impl Register {
    /// The holder's own status, when the three details match one card on record. `address` is the
    /// client's; refusals are [`RegisterError::SelfServiceDenied`] (whatever was wrong) and
    /// [`RegisterError::TooManyAttempts`].
    pub async fn self_status(
        &self,
        query: &RawSelfQuery,
        address: Option<IpAddr>,
    ) -> Result<SelfStatus, RegisterError> {
        let now = self.now();
        let card_number = normalised(&query.card_number);
        let document = normalised(&query.document_number);
        let keys: Vec<String> =
            address.map(|a| format!("address {a}")).into_iter().chain([format!("card {card_number}")]).collect();
        if keys.iter().any(|k| self.self_service_failures.recent(k, now) >= MAX_FAILURES) {
            return Err(RegisterError::TooManyAttempts);
        }
        match self.match_holder(&card_number, &document, query.birth_date.trim()).await? {
            Some((holder, card)) => {
                let actor = Actor::new(format!("self-service {card_number}"), Role::Holder);
                let access = Access { address, ..Access::new(actor, ReadPurpose::OwnData, AccessChannel::Web) };
                self.log_reads(&access, view::SELF_STATUS, &[holder.person.id]).await?;
                let today = self.today();
                let permits = sapar_store::permits::periods_of(&holder.permits);
                let stay = crate::stay::stay_answer(&self.rules, self.host_state, &holder, &permits, today)
                    .map_err(RegisterError::StayNotJudged)?;
                let control = self.store.active_controls_of(holder.person.id).await?;
                let registration = self.registration_status(&holder).await?;
                let card_status = CardStatus::of(&card, today);
                Ok(SelfStatus { holder, card, card_status, stay, registration, control })
            }
            None => {
                self.self_service_failures.record(&keys, now);
                Err(RegisterError::SelfServiceDenied)
            }
        }
    }

    /// The holder and card the details name, when all three match.
    async fn match_holder(
        &self,
        card_number: &str,
        document: &str,
        birth_date: &str,
    ) -> Result<Option<(PersonRecord, CardRecord)>, RegisterError> {
        let Ok(birth_date) = parse_date(birth_date, "birth_date") else { return Ok(None) };
        if card_number.is_empty() || document.is_empty() {
            return Ok(None);
        }
        let Some(card) = self.store.card(card_number).await? else { return Ok(None) };
        let Some(holder) = self.store.person_answering_for(card.person_id).await? else { return Ok(None) };
        let born: Option<Date> = holder.person.details.birth_date;
        let holds = holder.person.documents.iter().any(|d| d.key.number.as_str() == document);
        Ok((born == Some(birth_date) && holds).then_some((holder, card)))
    }
}
