//! The access log: who read which person's data, when, from where, through which channel and for
//! what stated purpose. Rows are only ever appended; both backends refuse updates and deletions
//! with triggers, so not even a caller holding the database connection rewrites the record.

use jiff::Timestamp;
use sapar_model::{PersonId, ReadPurpose, Role};
use uuid::Uuid;

use crate::Store;
use crate::decode;
use crate::error::StoreError;
use crate::row::{Decode, Param, Row};

/// Through which front end a read was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessChannel {
    Web,
    Api,
    Cli,
}

impl AccessChannel {
    /// Stable identifier, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessChannel::Web => "web",
            AccessChannel::Api => "api",
            AccessChannel::Cli => "cli",
        }
    }

    /// Parses a stable identifier.
    pub fn parse(s: &str) -> Option<AccessChannel> {
        [AccessChannel::Web, AccessChannel::Api, AccessChannel::Cli].into_iter().find(|c| c.as_str() == s)
    }
}

/// One read of one person's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub id: Uuid,
    pub at: Timestamp,
    /// The user's or token's name.
    pub actor: String,
    pub role: Role,
    pub channel: AccessChannel,
    pub person_id: PersonId,
    /// What was shown: `person`, `stay`, `permits`, `violations`, `search_hit`, `review`, …
    pub view: String,
    pub purpose: ReadPurpose,
    /// The reader's own words, beside the purpose code.
    pub purpose_note: Option<String>,
    /// The client's address as the server saw it.
    pub address: Option<String>,
}

/// Which rows to list; every field left `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFilter {
    pub actor: Option<String>,
    pub person: Option<PersonId>,
    pub purpose: Option<ReadPurpose>,
    /// From this instant, inclusive.
    pub from: Option<Timestamp>,
    /// Before this instant.
    pub until: Option<Timestamp>,
}

/// The earliest instant a filter bound takes, 0001-01-01T00:00:00Z: PostgreSQL holds no instant
/// as early as [`Timestamp::MIN`], so bounds before this one are moved up to it (no row is older).
const EARLIEST: Timestamp = Timestamp::constant(-62_135_596_800, 0);

impl AccessFilter {
    /// The filter as the statements' parameters: an absent field becomes a value that matches
    /// every row (the empty text, the nil id, the ends of time), so one statement serves all.
    /// Time bounds are kept within what both backends hold.
    fn params(&self) -> Vec<Param> {
        let bound = |t: Timestamp| t.clamp(EARLIEST, Timestamp::MAX);
        vec![
            self.actor.clone().unwrap_or_default().into(),
            self.person.map_or(Uuid::nil(), |p| p.as_uuid()).into(),
            self.purpose.map_or("", ReadPurpose::as_str).into(),
            bound(self.from.unwrap_or(EARLIEST)).into(),
            bound(self.until.unwrap_or(Timestamp::MAX)).into(),
            i64::from(self.person.is_some()).into(),
        ]
    }
}

const INSERT: &str =
    "INSERT INTO access_log (id, at, actor, role, channel, person_id, view, purpose, purpose_note, address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

macro_rules! matching {
    ($select:literal, $rest:literal) => {
        concat!(
            $select,
            " FROM access_log
             WHERE ($1 = '' OR actor = $1) AND ($6 = CAST(0 AS BIGINT) OR person_id = $2) AND ($3 = '' OR purpose = $3)
                 AND at >= $4 AND at < $5 ",
            $rest
        )
    };
}

const LIST: &str = matching!(
    "SELECT id, at, actor, role, channel, person_id, view, purpose, purpose_note, address",
    "ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8"
);
const COUNT: &str = matching!("SELECT COUNT(*)", "");

impl AccessEntry {
    pub(crate) fn params(&self) -> Vec<Param> {
        vec![
            self.id.into(),
            self.at.into(),
            self.actor.as_str().into(),
            self.role.as_str().into(),
            self.channel.as_str().into(),
            self.person_id.as_uuid().into(),
            self.view.as_str().into(),
            self.purpose.as_str().into(),
            self.purpose_note.clone().into(),
            self.address.clone().into(),
        ]
    }
}

impl Decode for AccessEntry {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(AccessEntry {
            id: r.col(0)?,
            at: r.col(1)?,
            actor: r.col(2)?,
            role: decode::role(&r.col::<String>(3)?)?,
            channel: decode::access_channel(&r.col::<String>(4)?)?,
            person_id: r.col(5)?,
            view: r.col(6)?,
            purpose: decode::read_purpose(&r.col::<String>(7)?)?,
            purpose_note: r.col(8)?,
            address: r.col(9)?,
        })
    }
}

impl Store {
    /// Appends `entries` to the access log, all or none.
    pub async fn append_access(&self, entries: Vec<AccessEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let rows: Vec<Vec<Param>> = entries.iter().map(AccessEntry::params).collect();
        self.write_all(INSERT, rows).await
    }

    /// The rows `filter` matches, newest first, `limit` from `offset`.
    pub async fn access_log(
        &self,
        filter: &AccessFilter,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<AccessEntry>, StoreError> {
        let mut params = filter.params();
        params.push(i64::from(limit).into());
        params.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
        self.read(LIST, params).await
    }

    /// How many rows `filter` matches.
    pub async fn access_log_count(&self, filter: &AccessFilter) -> Result<u64, StoreError> {
        let (count,): (i64,) = self.read_opt(COUNT, filter.params()).await?.unwrap_or_default();
        Ok(u64::try_from(count).unwrap_or(0))
    }
}
