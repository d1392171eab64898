//! Migrant cards as stored: the issued seal, its validity, renewals and revocation.
//!
//! A card's number comes from a serial the register allocates (`next_card_serial`); a person holds
//! at most one card in force (a unique index on both backends). Issuing a card may replace the one
//! in force, revoking it in the same transaction. A renewal moves the last valid day later and
//! keeps the seal it replaced in `card_renewals`; a revocation is recorded once. Nothing here is
//! ever deleted (triggers refuse it). Statements are written once for both backends.

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, CrossingId, PersonId};
use uuid::Uuid;

use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::{Step, Store};

/// Why a card stopped being in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Revocation {
    /// The holder left the country.
    Exit,
    /// The holder was expelled.
    Expulsion,
    /// An entry ban was recorded against the holder.
    Ban,
    /// A new card replaced it.
    Replaced,
    /// An officer revoked it, with a note.
    Officer,
}

impl Revocation {
    pub const ALL: [Revocation; 5] =
        [Revocation::Exit, Revocation::Expulsion, Revocation::Ban, Revocation::Replaced, Revocation::Officer];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Revocation::Exit => "exit",
            Revocation::Expulsion => "expulsion",
            Revocation::Ban => "ban",
            Revocation::Replaced => "replaced",
            Revocation::Officer => "officer",
        }
    }

    pub fn parse(s: &str) -> Option<Revocation> {
        Revocation::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A card to store, its seal already signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCard {
    pub number: String,
    pub serial: i64,
    pub person_id: PersonId,
    pub issuing_state: Country,
    /// The entry it was issued with, when issued at the border.
    pub entry_id: Option<CrossingId>,
    pub issued_on: Date,
    /// The last day it is valid: the stay's last legal day.
    pub valid_until: Date,
    pub issued_by: String,
    pub issued_at: Timestamp,
    /// The signed seal (VDS-NC JSON), as issued.
    pub seal: String,
}

/// The end of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRevocation {
    pub on: Date,
    pub reason: Revocation,
    pub note: Option<String>,
    pub by: String,
    pub at: Timestamp,
}

/// A stored card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    pub number: String,
    pub serial: i64,
    pub person_id: PersonId,
    pub issuing_state: Country,
    pub entry_id: Option<CrossingId>,
    pub issued_on: Date,
    pub valid_until: Date,
    pub issued_by: String,
    pub issued_at: Timestamp,
    /// The seal in force: the latest one signed (at issue or renewal).
    pub seal: String,
    pub revocation: Option<CardRevocation>,
}

impl CardRecord {
    /// Neither revoked nor past its last valid day on `day`.
    pub fn valid_on(&self, day: Date) -> bool {
        self.revocation.is_none() && day <= self.valid_until
    }
}

/// A renewal as stored: the validity and seal it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRenewal {
    pub card_number: String,
    pub previous_valid_until: Date,
    pub valid_until: Date,
    pub previous_seal: String,
    pub renewed_by: String,
    pub renewed_at: Timestamp,
}

/// Why a card was not stored.
#[derive(Debug, thiserror::Error)]
pub enum CardWriteError {
    #[error("no person has this id")]
    PersonNotFound,
    #[error("the person holds card {0} in force")]
    CardInForce(String),
    #[error("the card serial {0} is taken")]
    SerialTaken(i64),
    #[error("no card has this number")]
    NotFound,
    #[error("the card was revoked on {0}")]
    Revoked(Date),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const CARD_COLUMNS: &str = "number, serial, person_id, issuing_state, entry_id, issued_on, valid_until, issued_by,
     issued_at, seal, revoked_on, revocation, revocation_note, revoked_by, revoked_at";
const INSERT_CARD: &str = "INSERT INTO cards (number, serial, person_id, issuing_state, entry_id, issued_on,
         valid_until, issued_by, issued_at, seal)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
     WHERE EXISTS (SELECT 1 FROM persons WHERE id = $3)
       AND NOT EXISTS (SELECT 1 FROM cards WHERE person_id = $3 AND revoked_on IS NULL)
       AND NOT EXISTS (SELECT 1 FROM cards WHERE serial = $2 OR number = $1)";
const REVOKE_CARD: &str = "UPDATE cards SET revoked_on = $2, revocation = $3, revocation_note = $4, revoked_by = $5,
         revoked_at = $6
     WHERE number = $1 AND revoked_on IS NULL";
const KEEP_RENEWED: &str = "INSERT INTO card_renewals (id, card_number, previous_valid_until, valid_until,
         previous_seal, renewed_by, renewed_at)
     SELECT $1, number, valid_until, $3, seal, $4, $5 FROM cards
     WHERE number = $2 AND revoked_on IS NULL AND valid_until < $3";
const RENEW_CARD: &str =
    "UPDATE cards SET valid_until = $2, seal = $3 WHERE number = $1 AND revoked_on IS NULL AND valid_until < $2";
const NEXT_SERIAL: &str = "SELECT COALESCE(MAX(serial), 0) + 1 FROM cards";
const RENEWAL_COLUMNS: &str = "card_number, previous_valid_until, valid_until, previous_seal, renewed_by, renewed_at";

fn select_cards(filter: &str) -> String {
    format!("SELECT {CARD_COLUMNS} FROM cards WHERE {filter} ORDER BY issued_at, serial")
}

impl Decode for CardRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let state: String = r.col(3)?;
        let revocation =
            match (r.col::<Option<Date>>(10)?, r.col::<Option<String>>(11)?, r.col::<Option<Timestamp>>(14)?) {
                (Some(on), Some(reason), Some(at)) => Some(CardRevocation {
                    on,
                    reason: Revocation::parse(&reason)
                        .ok_or_else(|| StoreError::Corrupt(format!("card revocation {reason:?}")))?,
                    note: r.col(12)?,
                    by: r.col::<Option<String>>(13)?.unwrap_or_default(),
                    at,
                }),
                (None, None, None) => None,
                _ => return Err(StoreError::Corrupt("a card's revocation is recorded in part".into())),
            };
        Ok(CardRecord {
            number: r.col(0)?,
            serial: r.col(1)?,
            person_id: r.col(2)?,
            issuing_state: crate::decode::country(&state)?,
            entry_id: r.col::<Option<Uuid>>(4)?.map(CrossingId::from_uuid),
            issued_on: r.col(5)?,
            valid_until: r.col(6)?,
            issued_by: r.col(7)?,
            issued_at: r.col(8)?,
            seal: r.col(9)?,
            revocation,
        })
    }
}

impl Decode for CardRenewal {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(CardRenewal {
            card_number: r.col(0)?,
            previous_valid_until: r.col(1)?,
            valid_until: r.col(2)?,
            previous_seal: r.col(3)?,
            renewed_by: r.col(4)?,
            renewed_at: r.col(5)?,
        })
    }
}

struct Serial(i64);

impl Decode for Serial {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(Serial(r.col(0)?))
    }
}

fn revoke_step(number: &str, revocation: &CardRevocation) -> Step {
    let params: Vec<Param> = vec![
        number.into(),
        revocation.on.into(),
        revocation.reason.as_str().into(),
        revocation.note.clone().into(),
        revocation.by.as_str().into(),
        revocation.at.into(),
    ];
    Step::guard(REVOKE_CARD, params)
}

impl Store {
    /// The serial the next card should take (one past the highest stored).
    pub async fn next_card_serial(&self) -> Result<i64, StoreError> {
        Ok(self.read_opt::<Serial>(NEXT_SERIAL, Vec::new()).await?.map_or(1, |s| s.0))
    }

    /// Stores a card, first revoking `replacing` (the card in force, with its revocation) in the
    /// same transaction. Refused, storing nothing, when the person is unknown, holds another card
    /// in force, or the serial or number is taken (allocate again and retry).
    pub async fn issue_card(
        &self,
        card: NewCard,
        replacing: Option<(&str, CardRevocation)>,
    ) -> Result<CardRecord, CardWriteError> {
        let mut steps = Vec::with_capacity(2);
        if let Some((number, revocation)) = &replacing {
            steps.push(revoke_step(number, revocation));
        }
        let params: Vec<Param> = vec![
            card.number.as_str().into(),
            card.serial.into(),
            card.person_id.as_uuid().into(),
            card.issuing_state.code().into(),
            card.entry_id.map(|id| id.as_uuid()).into(),
            card.issued_on.into(),
            card.valid_until.into(),
            card.issued_by.as_str().into(),
            card.issued_at.into(),
            card.seal.as_str().into(),
        ];
        steps.push(Step::guard(INSERT_CARD, params));
        if self.write_steps(steps).await?.is_err() {
            return Err(self.why_not_issued(&card, replacing.map(|(n, _)| n)).await?);
        }
        self.card(&card.number).await?.ok_or_else(|| StoreError::Corrupt("an issued card is gone".into()).into())
    }

    async fn why_not_issued(&self, card: &NewCard, replacing: Option<&str>) -> Result<CardWriteError, StoreError> {
        if self.person_answering_for(card.person_id).await?.is_none() {
            return Ok(CardWriteError::PersonNotFound);
        }
        if let Some(in_force) = self.card_in_force(card.person_id).await?
            && Some(in_force.number.as_str()) != replacing
        {
            return Ok(CardWriteError::CardInForce(in_force.number));
        }
        if let Some(number) = replacing
            && let Some(revoked) = self.card(number).await?.and_then(|c| c.revocation)
        {
            return Ok(CardWriteError::Revoked(revoked.on));
        }
        Ok(CardWriteError::SerialTaken(card.serial))
    }

    /// Moves a card's last valid day later, with the seal signed for it, keeping the previous
    /// validity and seal. `Ok(None)` when the card is in force but already valid that long.
    pub async fn renew_card(
        &self,
        number: &str,
        valid_until: Date,
        seal: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<Option<CardRecord>, CardWriteError> {
        let current = self.card(number).await?.ok_or(CardWriteError::NotFound)?;
        if let Some(revoked) = &current.revocation {
            return Err(CardWriteError::Revoked(revoked.on));
        }
        if current.valid_until >= valid_until {
            return Ok(None);
        }
        let keep: Vec<Param> = vec![Uuid::now_v7().into(), number.into(), valid_until.into(), by.into(), at.into()];
        let renew: Vec<Param> = vec![number.into(), valid_until.into(), seal.into()];
        if self.write_steps(vec![Step::guard(KEEP_RENEWED, keep), Step::guard(RENEW_CARD, renew)]).await?.is_err() {
            // Revoked or renewed since it was read: answer as it stands now.
            let now = self.card(number).await?.ok_or(CardWriteError::NotFound)?;
            return match now.revocation {
                Some(revoked) => Err(CardWriteError::Revoked(revoked.on)),
                None => Ok(None),
            };
        }
        Ok(self.card(number).await?)
    }

    /// Revokes a card in force, once. `Ok(None)` when it was already revoked.
    pub async fn revoke_card(
        &self,
        number: &str,
        revocation: CardRevocation,
    ) -> Result<Option<CardRecord>, CardWriteError> {
        if self.write_steps(vec![revoke_step(number, &revocation)]).await?.is_err() {
            return match self.card(number).await? {
                None => Err(CardWriteError::NotFound),
                Some(_) => Ok(None),
            };
        }
        Ok(self.card(number).await?)
    }

    /// One card by its number.
    pub async fn card(&self, number: &str) -> Result<Option<CardRecord>, StoreError> {
        Ok(self.read_built(select_cards("number = $1"), vec![number.into()]).await?.into_iter().next())
    }

    /// A person's cards, revoked ones too, oldest first.
    pub async fn cards_of(&self, person: PersonId) -> Result<Vec<CardRecord>, StoreError> {
        self.read_built(select_cards("person_id = $1"), vec![person.as_uuid().into()]).await
    }

    /// The card a person holds in force (not revoked; it may be past its last valid day).
    pub async fn card_in_force(&self, person: PersonId) -> Result<Option<CardRecord>, StoreError> {
        let filter = "person_id = $1 AND revoked_on IS NULL";
        Ok(self.read_built(select_cards(filter), vec![person.as_uuid().into()]).await?.into_iter().next())
    }

    /// The renewals of a card, oldest first.
    pub async fn card_renewals(&self, number: &str) -> Result<Vec<CardRenewal>, StoreError> {
        let sql = format!("SELECT {RENEWAL_COLUMNS} FROM card_renewals WHERE card_number = $1 ORDER BY renewed_at, id");
        self.read_built(sql, vec![number.into()]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_card_is_valid_through_its_last_day_unless_revoked() {
        let mut card = CardRecord {
            number: "KZ0000000011".into(),
            serial: 1,
            person_id: PersonId::from_uuid(Uuid::nil()),
            issuing_state: Country::KAZ,
            entry_id: None,
            issued_on: date(2026, 1, 1),
            valid_until: date(2026, 3, 31),
            issued_by: "officer".into(),
            issued_at: Timestamp::UNIX_EPOCH,
            seal: "{}".into(),
            revocation: None,
        };
        assert!(card.valid_on(date(2026, 3, 31)));
        assert!(!card.valid_on(date(2026, 4, 1)));
        card.revocation = Some(CardRevocation {
            on: date(2026, 2, 1),
            reason: Revocation::Exit,
            note: None,
            by: "officer".into(),
            at: Timestamp::UNIX_EPOCH,
        });
        assert!(!card.valid_on(date(2026, 2, 2)));
        assert!(Revocation::ALL.iter().all(|r| Revocation::parse(r.as_str()) == Some(*r)));
    }
}
