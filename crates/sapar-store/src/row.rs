//! One way to read a column from either backend's row, so that each record type is decoded once
//! (beside its type) instead of once per backend. The stored forms differ and are dealt with
//! here: ids are 16-byte blobs on SQLite and `uuid` on PostgreSQL, instants Unix microseconds and
//! `timestamptz`, civil dates ISO text and `date`; an `INTEGER` column may be `int4` on PostgreSQL.

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{CrossingId, PersonId};
use tokio_postgres::types::Type;
use uuid::Uuid;

use crate::decode;
use crate::error::StoreError;

/// A value a column can be read as, on both backends.
pub(crate) trait Column: Sized {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError>;
    fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError>;
}

/// A row of either backend.
pub(crate) trait Row {
    /// Column `index` as a `T`; a stored value that is not a `T` is an error.
    fn col<T: Column>(&self, index: usize) -> Result<T, StoreError>;
}

impl Row for rusqlite::Row<'_> {
    fn col<T: Column>(&self, index: usize) -> Result<T, StoreError> {
        T::from_sqlite(self, index)
    }
}

impl Row for tokio_postgres::Row {
    fn col<T: Column>(&self, index: usize) -> Result<T, StoreError> {
        T::from_postgres(self, index)
    }
}

/// Types both drivers read the same way.
macro_rules! native {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
                Ok(row.get(index)?)
            }
            fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
                Ok(row.try_get(index)?)
            }
        }
    )*};
}

native!(String, Option<String>, Uuid, Option<Uuid>, Vec<u8>, Option<Vec<u8>>, f64, bool);

/// Typed ids, stored as their uuid.
macro_rules! id {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
                Uuid::from_sqlite(row, index).map(<$t>::from_uuid)
            }
            fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
                Uuid::from_postgres(row, index).map(<$t>::from_uuid)
            }
        }
    )*};
}

id!(PersonId, CrossingId);

fn is_int4(row: &tokio_postgres::Row, index: usize) -> bool {
    row.columns().get(index).is_some_and(|c| *c.type_() == Type::INT4)
}

impl Column for i64 {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        Ok(row.get(index)?)
    }
    fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
        if is_int4(row, index) { Ok(i64::from(row.try_get::<_, i32>(index)?)) } else { Ok(row.try_get(index)?) }
    }
}

impl Column for Option<i64> {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        Ok(row.get(index)?)
    }
    fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
        if is_int4(row, index) {
            Ok(row.try_get::<_, Option<i32>>(index)?.map(i64::from))
        } else {
            Ok(row.try_get(index)?)
        }
    }
}

impl Column for Timestamp {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        decode::timestamp_micros(row.get(index)?)
    }
    fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
        Ok(row.try_get(index)?)
    }
}

impl Column for Option<Timestamp> {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        row.get::<_, Option<i64>>(index)?.map(decode::timestamp_micros).transpose()
    }
    fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
        Ok(row.try_get(index)?)
    }
}

impl Column for Date {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        let text = row.get_ref(index)?.as_str().map_err(rusqlite::Error::from)?;
        decode::iso_date(text).or_else(|_| decode::date(text))
    }
    fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
        Ok(row.try_get(index)?)
    }
}

impl Column for Option<Date> {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        let text = row.get_ref(index)?.as_str_or_null().map_err(rusqlite::Error::from)?;
        text.map(|t| decode::iso_date(t).or_else(|_| decode::date(t))).transpose()
    }
    fn from_postgres(row: &tokio_postgres::Row, index: usize) -> Result<Self, StoreError> {
        Ok(row.try_get(index)?)
    }
}

/// A record read from one row of either backend.
pub(crate) trait Decode: Sized {
    fn decode(row: &impl Row) -> Result<Self, StoreError>;
}

impl<A: Column> Decode for (A,) {
    fn decode(row: &impl Row) -> Result<Self, StoreError> {
        Ok((row.col(0)?,))
    }
}

impl<A: Column, B: Column> Decode for (A, B) {
    fn decode(row: &impl Row) -> Result<Self, StoreError> {
        Ok((row.col(0)?, row.col(1)?))
    }
}

impl<A: Column, B: Column, C: Column> Decode for (A, B, C) {
    fn decode(row: &impl Row) -> Result<Self, StoreError> {
        Ok((row.col(0)?, row.col(1)?, row.col(2)?))
    }
}

impl<A: Column, B: Column, C: Column, D: Column> Decode for (A, B, C, D) {
    fn decode(row: &impl Row) -> Result<Self, StoreError> {
        Ok((row.col(0)?, row.col(1)?, row.col(2)?, row.col(3)?))
    }
}

/// A parameter of a statement both backends run, bound in each backend's stored form (see the
/// module doc): instants as Unix microseconds and dates as ISO text on SQLite.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Id(Uuid),
    Text(String),
    Int(i64),
    Float(f64),
    Bytes(Vec<u8>),
    At(Timestamp),
    Day(Date),
    /// Text or NULL (an optional filter, say).
    MaybeText(Option<String>),
    /// An instant or NULL.
    MaybeAt(Option<Timestamp>),
    /// An id or NULL.
    MaybeId(Option<Uuid>),
    /// A civil date or NULL.
    MaybeDay(Option<Date>),
    /// An integer or NULL.
    MaybeInt(Option<i64>),
}

macro_rules! param {
    ($($t:ty => $variant:ident),*) => {$(
        impl From<$t> for Param {
            fn from(v: $t) -> Param {
                Param::$variant(v.into())
            }
        }
    )*};
}

param!(
    Uuid => Id, String => Text, &str => Text, i64 => Int, f64 => Float, &[u8] => Bytes, Timestamp => At, Date => Day,
    Option<String> => MaybeText, Option<Timestamp> => MaybeAt, Option<Uuid> => MaybeId,
    Option<Date> => MaybeDay, Option<i64> => MaybeInt
);

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Param::Id(v) => v.to_sql(),
            Param::Text(v) => v.to_sql(),
            Param::Int(v) => v.to_sql(),
            Param::Float(v) => v.to_sql(),
            Param::Bytes(v) => v.to_sql(),
            Param::At(v) => Ok(v.as_microsecond().into()),
            Param::Day(v) => Ok(v.to_string().into()),
            Param::MaybeText(v) => v.to_sql(),
            Param::MaybeAt(v) => {
                Ok(rusqlite::types::ToSqlOutput::Owned(rusqlite::types::Value::from(v.map(|at| at.as_microsecond()))))
            }
            Param::MaybeId(v) => v.to_sql(),
            Param::MaybeDay(v) => {
                Ok(rusqlite::types::ToSqlOutput::Owned(rusqlite::types::Value::from(v.map(|day| day.to_string()))))
            }
            Param::MaybeInt(v) => v.to_sql(),
        }
    }
}

impl Param {
    /// The parameter as PostgreSQL binds it.
    pub(crate) fn pg(&self) -> &(dyn tokio_postgres::types::ToSql + Sync) {
        match self {
            Param::Id(v) => v,
            Param::Text(v) => v,
            Param::Int(v) => v,
            Param::Float(v) => v,
            Param::Bytes(v) => v,
            Param::At(v) => v,
            Param::Day(v) => v,
            Param::MaybeText(v) => v,
            Param::MaybeAt(v) => v,
            Param::MaybeId(v) => v,
            Param::MaybeDay(v) => v,
            Param::MaybeInt(v) => v,
        }
    }
}

/// SQL written for PostgreSQL (`$1` placeholders) as SQLite takes it (`?1`): the statements the
/// two backends share are written once.
pub(crate) fn sqlite(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        let placeholder = c == '$' && chars.peek().is_some_and(char::is_ascii_digit);
        out.push(if placeholder { '?' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_numbered_question_marks() {
        assert_eq!(
            super::sqlite("UPDATE t SET a = $2, b = '$x' WHERE id = $10"),
            "UPDATE t SET a = ?2, b = '$x' WHERE id = ?10"
        );
    }
}
