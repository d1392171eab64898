//! Migrant cards: issued with an allowed entry (or at an officer's request) to the citizens the
//! card policy names, valid to the last legal day of the stay, renewed when a permit moves that
//! day later, revoked on exit, expulsion or ban; each sealed by the state's barcode signer
//! (`sapar-card`, ICAO VDS-NC). Reading a card's holder is an access-logged read; verifying a seal
//! needs nobody's data and also answers the card's standing in the register.

use std::collections::BTreeSet;

use jiff::civil::Date;
use sapar_card::{CardContent, CardNumber, CardSigner, VerifiedCard, VerifyError};
use sapar_identity::names::{Scheme, to_latin};
use sapar_model::{Country, CrossingId, FullName, PersonId, Role};
use sapar_store::PersonRecord;
use sapar_store::cards::{CardRecord, CardRevocation, CardWriteError, NewCard, Revocation};

use crate::access::{Access, view};
use crate::stay::{EntryVerdict, VerdictStatus};
use crate::text::short_text;
use crate::{Actor, Entity, Register, RegisterError};

/// Who issues and revokes cards at their own initiative.
const ISSUERS: &[Role] = &[Role::Border, Role::Officer];
/// Who reads cards with their holders.
const READERS: &[Role] = &[Role::Border, Role::Officer];
/// How many times a serial taken by a concurrent issue is allocated again.
const SERIAL_ATTEMPTS: usize = 5;
/// A card's validity when no limit binds the stay (a permanent resident, say): one year.
const UNLIMITED_STAY_VALIDITY_DAYS: i32 = 365;

/// Which citizens get a card with an allowed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardPolicy {
    /// Every citizen of another state (and every stateless person).
    EveryForeigner,
    /// Only citizens of these states.
    Citizens(BTreeSet<Country>),
}

impl CardPolicy {
    fn covers(&self, host: Country, citizenship: Country) -> bool {
        match self {
            CardPolicy::EveryForeigner => citizenship != host,
            CardPolicy::Citizens(states) => citizenship != host && states.contains(&citizenship),
        }
    }
}

/// What the register needs to issue and check cards: the barcode signer, the state's CA that
/// vouches for it, and the policy.
#[derive(Debug)]
pub struct CardIssuer {
    signer: CardSigner,
    ca_der: Vec<u8>,
    policy: CardPolicy,
}

impl CardIssuer {
    /// The issuer signing with `signer`, whose certificate chains to the CA `ca_der`.
    pub fn new(signer: CardSigner, ca_der: Vec<u8>, policy: CardPolicy) -> CardIssuer {
        CardIssuer { signer, ca_der, policy }
    }

    /// The CA certificate (DER) a verifier pins.
    pub fn ca_der(&self) -> &[u8] {
        &self.ca_der
    }
}

/// A card's standing on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardStatus {
    Valid,
    /// Past its last valid day, not revoked.
    Expired,
    Revoked,
}

impl CardStatus {
    pub fn of(card: &CardRecord, today: Date) -> CardStatus {
        match (&card.revocation, today <= card.valid_until) {
            (Some(_), _) => CardStatus::Revoked,
            (None, true) => CardStatus::Valid,
            (None, false) => CardStatus::Expired,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Valid => "valid",
            CardStatus::Expired => "expired",
            CardStatus::Revoked => "revoked",
        }
    }
}

/// A card with its standing today and the person it was issued to.
#[derive(Debug, Clone)]
pub struct CardView {
    pub card: CardRecord,
    pub status: CardStatus,
    pub holder: PersonRecord,
}

/// What checking a seal found: the seal's own verdict, and for a seal that verifies (or only
/// expired) the card's standing in this register, when it is one of its cards.
#[derive(Debug, Clone)]
pub struct SealCheck {
    pub seal: Result<VerifiedCard, VerifyError>,
    pub status: Option<CardStatus>,
}

/// A Latin rendering fit for a card: ASCII letters, single spaces, hyphens and apostrophes.
fn card_latin(text: &str) -> String {
    let romanised = if text.is_ascii() { text.to_owned() } else { to_latin(text, Scheme::Icao9303) };
    let kept: String = romanised
        .chars()
        .map(|c| if c.is_ascii_alphabetic() || c == '-' || c == '\'' { c.to_ascii_uppercase() } else { ' ' })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn given_names(name: &FullName) -> String {
    name.given_names.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_default()
}

/// The card's content for `holder`, or why none can be made (no birth date or document).
fn content_for(
    holder: &PersonRecord,
    number: CardNumber,
    issuing_state: Country,
    issued_on: Date,
    valid_until: Date,
) -> Result<CardContent, RegisterError> {
    let details = &holder.person.details;
    let birth_date =
        details.birth_date.ok_or(RegisterError::CardNotIssuable("the holder's birth date is not known"))?;
    let document = holder
        .person
        .documents
        .iter()
        .max_by_key(|d| d.expiry)
        .ok_or(RegisterError::CardNotIssuable("the holder has no identity document on record"))?;
    let latin = details.name.latin().unwrap_or_else(|| details.name.display());
    let native = details.name.native().map(|n| {
        let mut parts: Vec<&str> = n.parts().map(|p| p.as_str()).collect();
        parts.truncate(3);
        parts.join(" ")
    });
    Ok(CardContent {
        number,
        issuing_state,
        surname_latin: card_latin(latin.surname.as_str()),
        given_names_latin: card_latin(&given_names(latin)),
        name_native: native,
        birth_date,
        sex: details.sex,
        citizenship: details.citizenship,
        document_number: document.key.number.as_str().to_owned(),
        issued_on,
        valid_until,
    })
}

impl Register {
    /// This register issuing cards with `issuer`.
    pub fn with_cards(mut self, issuer: CardIssuer) -> Register {
        self.cards = Some(std::sync::Arc::new(issuer));
        self
    }

    /// The card issuer, when cards are configured.
    pub fn card_issuer(&self) -> Option<&CardIssuer> {
        self.cards.as_deref()
    }

    fn issuer(&self) -> Result<&CardIssuer, RegisterError> {
        self.cards.as_deref().ok_or(RegisterError::CardsNotConfigured)
    }

    /// Issues a card to the person `person` answers for, at an officer's request: the person must
    /// be in the country on a legal stay, which bounds the card. A card in force is replaced.
    pub async fn issue_card(&self, access: &Access, person: PersonId) -> Result<CardRecord, RegisterError> {
        access.actor.require(ISSUERS, "issue cards")?;
        self.issuer()?;
        let holder = self.person_answering_for(person).await?;
        self.log_reads(access, view::CARDS, &[holder.person.id]).await?;
        let today = self.today();
        let valid_until = self.legal_stay_until(&holder, today)?.ok_or(RegisterError::NoLegalStay)?;
        self.issue(&access.actor.name, &holder, None, today, valid_until).await
    }

    /// The last day `holder` may stay from `today` on: `None` when not in the country or not
    /// legally; a year from today when no limit binds.
    fn legal_stay_until(&self, holder: &PersonRecord, today: Date) -> Result<Option<Date>, RegisterError> {
        let permits = sapar_store::permits::periods_of(&holder.permits);
        let stay = crate::stay::stay_answer(&self.rules, self.host_state, holder, &permits, today)
            .map_err(RegisterError::StayNotJudged)?;
        if !stay.present || !stay.legal {
            return Ok(None);
        }
        Ok(Some(match stay.last_legal_day {
            Some(day) => day,
            None => today
                .checked_add(jiff::Span::new().days(UNLIMITED_STAY_VALIDITY_DAYS))
                .map_err(|e| RegisterError::Internal(e.to_string()))?,
        }))
    }

    /// Signs and stores a card for `holder`, replacing the card in force; a serial taken meanwhile
    /// is allocated again.
    async fn issue(
        &self,
        by: &str,
        holder: &PersonRecord,
        entry: Option<CrossingId>,
        issued_on: Date,
        valid_until: Date,
    ) -> Result<CardRecord, RegisterError> {
        let issuer = self.issuer()?;
        let state = self.host_state;
        for _ in 0..SERIAL_ATTEMPTS {
            let serial = self.store.next_card_serial().await?;
            let number = CardNumber::new(
                state,
                u64::try_from(serial).map_err(|_| RegisterError::Internal("card serial".into()))?,
            )
            .map_err(|e| RegisterError::Internal(format!("card number: {e}")))?;
            let content = content_for(holder, number, state, issued_on, valid_until)?;
            let seal = sapar_card::seal(&content, &issuer.signer)
                .map_err(|e| RegisterError::Internal(format!("sealing a card: {e}")))?;
            let now = self.now();
            let replaced = self.store.card_in_force(holder.person.id).await?;
            let replacing = replaced.as_ref().map(|c| {
                (
                    c.number.as_str(),
                    CardRevocation {
                        on: issued_on,
                        reason: Revocation::Replaced,
                        note: None,
                        by: by.to_owned(),
                        at: now,
                    },
                )
            });
            let card = NewCard {
                number: number.to_string(),
                serial,
                person_id: holder.person.id,
                issuing_state: state,
                entry_id: entry,
                issued_on,
                valid_until,
                issued_by: by.to_owned(),
                issued_at: now,
                seal: seal.as_str().to_owned(),
            };
            match self.store.issue_card(card, replacing).await {
                Ok(card) => return Ok(card),
                Err(CardWriteError::SerialTaken(_) | CardWriteError::CardInForce(_) | CardWriteError::Revoked(_)) => {
                    continue;
                }
                Err(CardWriteError::PersonNotFound | CardWriteError::NotFound) => {
                    return Err(RegisterError::NotFound(Entity::Person));
                }
                Err(CardWriteError::Store(e)) => return Err(e.into()),
            }
        }
        Err(RegisterError::Internal("no card serial could be allocated".into()))
    }

    /// After an entry is recorded: the card for a person the policy covers, when the verdict
    /// allows the entry and the stay has days left. Nothing when cards are not configured.
    pub(crate) async fn card_for_entry(
        &self,
        by: &str,
        person: PersonId,
        entry: CrossingId,
        verdict: Option<&EntryVerdict>,
    ) -> Result<Option<CardRecord>, RegisterError> {
        let Some(issuer) = self.cards.as_deref() else { return Ok(None) };
        if verdict.is_none_or(|v| v.status != VerdictStatus::Allowed) {
            return Ok(None);
        }
        let holder = self.person_answering_for(person).await?;
        if !issuer.policy.covers(self.host_state, holder.person.details.citizenship) {
            return Ok(None);
        }
        let today = self.today();
        let Some(valid_until) = self.legal_stay_until(&holder, today)? else { return Ok(None) };
        match self.issue(by, &holder, Some(entry), today, valid_until).await {
            Ok(card) => Ok(Some(card)),
            // A person without birth date or document gets no card; the entry stands.
            Err(RegisterError::CardNotIssuable(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Moves the last day of the person's card in force later when their legal stay now runs
    /// longer (a permit recorded), with a new seal; nothing otherwise.
    pub(crate) async fn renew_card_of(&self, by: &str, person: PersonId) -> Result<Option<CardRecord>, RegisterError> {
        let Some(issuer) = self.cards.as_deref() else { return Ok(None) };
        let holder = self.person_answering_for(person).await?;
        let Some(card) = self.store.card_in_force(holder.person.id).await? else { return Ok(None) };
        let today = self.today();
        let Some(valid_until) = self.legal_stay_until(&holder, today)? else { return Ok(None) };
        if valid_until <= card.valid_until {
            return Ok(None);
        }
        let number =
            CardNumber::parse(&card.number).map_err(|e| RegisterError::Internal(format!("stored card number: {e}")))?;
        let content = content_for(&holder, number, card.issuing_state, card.issued_on, valid_until)?;
        let seal = sapar_card::seal(&content, &issuer.signer)
            .map_err(|e| RegisterError::Internal(format!("sealing a card: {e}")))?;
        match self.store.renew_card(&card.number, valid_until, seal.as_str(), by, self.now()).await {
            Ok(renewed) => Ok(renewed),
            Err(CardWriteError::Revoked(_)) => Ok(None),
            Err(CardWriteError::Store(e)) => Err(e.into()),
            Err(e) => Err(RegisterError::Internal(e.to_string())),
        }
    }

    /// Revokes the person's card in force, if any, for `reason` from `on`.
    pub(crate) async fn revoke_card_of(
        &self,
        by: &str,
        person: PersonId,
        reason: Revocation,
        on: Date,
        note: Option<String>,
    ) -> Result<Option<CardRecord>, RegisterError> {
        let Some(card) = self.store.card_in_force(person).await? else { return Ok(None) };
        // An exit imported late may lie before the entry the card in force was issued with.
        if reason == Revocation::Exit && on < card.issued_on {
            return Ok(None);
        }
        let revocation = CardRevocation { on, reason, note, by: by.to_owned(), at: self.now() };
        match self.store.revoke_card(&card.number, revocation).await {
            Ok(card) => Ok(card),
            Err(CardWriteError::Store(e)) => Err(e.into()),
            Err(e) => Err(RegisterError::Internal(e.to_string())),
        }
    }

    /// Revokes a card at an officer's decision, with the reason in their words.
    pub async fn revoke_card(&self, access: &Access, number: &str, note: &str) -> Result<CardRecord, RegisterError> {
        access.actor.require(ISSUERS, "revoke cards")?;
        let note = short_text(note, "note")?;
        let card = self.store.card(number).await?.ok_or(RegisterError::NotFound(Entity::Card))?;
        self.log_reads(access, view::CARDS, &[card.person_id]).await?;
        if let Some(revoked) = &card.revocation {
            return Err(RegisterError::CardRevoked(revoked.on));
        }
        let revocation = CardRevocation {
            on: self.today(),
            reason: Revocation::Officer,
            note: Some(note),
            by: access.actor.name.clone(),
            at: self.now(),
        };
        match self.store.revoke_card(number, revocation).await {
            Ok(Some(card)) => Ok(card),
            Ok(None) => Err(RegisterError::CardRevoked(self.today())),
            Err(CardWriteError::NotFound) => Err(RegisterError::NotFound(Entity::Card)),
            Err(CardWriteError::Store(e)) => Err(e.into()),
            Err(e) => Err(RegisterError::Internal(e.to_string())),
        }
    }

    /// A card by number with its holder and standing today; the read is logged.
    pub async fn card(&self, access: &Access, number: &str) -> Result<CardView, RegisterError> {
        access.actor.require(READERS, "read cards")?;
        let card = self.store.card(number.trim()).await?.ok_or(RegisterError::NotFound(Entity::Card))?;
        let holder = self.person_answering_for(card.person_id).await?;
        self.log_reads(access, view::CARDS, &[holder.person.id]).await?;
        let status = CardStatus::of(&card, self.today());
        Ok(CardView { card, status, holder })
    }

    /// A person's cards, revoked ones too, oldest first; the read is logged.
    pub async fn cards_of(&self, access: &Access, person: PersonId) -> Result<Vec<CardRecord>, RegisterError> {
        access.actor.require(READERS, "read cards")?;
        let holder = self.person_answering_for(person).await?;
        self.log_reads(access, view::CARDS, &[holder.person.id]).await?;
        Ok(self.store.cards_of(holder.person.id).await?)
    }

    /// Checks a seal as any offline verifier would (against this state's CA, today), and for a
    /// seal that verifies or only expired, the card's standing in the register. Shows no one's
    /// data beyond what the seal itself carries; any role may ask.
    pub async fn check_seal(&self, seal: &[u8]) -> Result<SealCheck, RegisterError> {
        let issuer = self.issuer()?;
        let today = self.today();
        let verified = sapar_card::verify(seal, &issuer.ca_der, today);
        let card = match &verified {
            Ok(card) => Some(card),
            Err(e) => e.expired_card(),
        };
        let status = match card {
            Some(card) => self.store.card(&card.content.number.to_string()).await?.map(|c| CardStatus::of(&c, today)),
            None => None,
        };
        Ok(SealCheck { seal: verified, status })
    }

    /// Issues the missing cards after a bulk import: every person the policy covers who is in the
    /// country on a legal stay today and holds no card in force. Answers how many were issued.
    pub async fn issue_missing_cards(&self, actor: &Actor, persons: &[PersonId]) -> Result<usize, RegisterError> {
        actor.require(&[Role::Officer, Role::Admin], "issue cards")?;
        let Some(issuer) = self.cards.as_deref() else { return Ok(0) };
        let today = self.today();
        let mut issued = 0;
        let distinct: BTreeSet<PersonId> = persons.iter().copied().collect();
        for person in distinct {
            let holder = self.person_answering_for(person).await?;
            if !issuer.policy.covers(self.host_state, holder.person.details.citizenship)
                || self.store.card_in_force(holder.person.id).await?.is_some()
            {
                continue;
            }
            let Some(valid_until) = self.legal_stay_until(&holder, today)? else { continue };
            let entry =
                holder.crossings.iter().rev().find(|c| c.direction == sapar_model::Direction::Entry).map(|c| c.id);
            match self.issue(&actor.name, &holder, entry, today, valid_until).await {
                Ok(_) => issued += 1,
                Err(RegisterError::CardNotIssuable(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(issued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_for_a_card_is_letters_spaces_hyphens_and_apostrophes() {
        assert_eq!(card_latin("O'Neil-Smith  Jr."), "O'NEIL-SMITH JR");
        assert_eq!(card_latin("Ерлан"), "ERLAN");
        assert_eq!(card_latin("Жанұзақов"), card_latin("Жанұзақов").to_ascii_uppercase());
        assert!(card_latin("Жанұзақов").chars().all(|c| c.is_ascii_uppercase()));
    }

    #[test]
    fn the_policy_never_covers_the_host_states_own_citizens() {
        assert!(CardPolicy::EveryForeigner.covers(Country::KAZ, Country::KGZ));
        assert!(!CardPolicy::EveryForeigner.covers(Country::KAZ, Country::KAZ));
        let only = CardPolicy::Citizens([Country::KGZ, Country::KAZ].into_iter().collect());
        assert!(only.covers(Country::KAZ, Country::KGZ));
        assert!(!only.covers(Country::KAZ, Country::KAZ));
        assert!(!only.covers(Country::KAZ, Country::ARM));
    }
}
