//! Employers of foreign workers: identified by their registration number (in Kazakhstan the BIN),
//! named by work permits and by the violations of foreign-labour rules. An employer is never
//! deleted; its registration number is unique. Each statement is written once for both backends.

use jiff::Timestamp;
use uuid::Uuid;

use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::{Step, Store};

/// An employer to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmployer {
    pub id: Uuid,
    /// BIN or the host state's registration number, normalised by the register.
    pub registration_number: String,
    pub name: String,
    /// The region (oblast or city of republican significance) where it is registered.
    pub region: String,
    pub address: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// A stored employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRecord {
    pub id: Uuid,
    pub registration_number: String,
    pub name: String,
    pub region: String,
    pub address: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// Why an employer was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum EmployerError {
    #[error("an employer with registration number {0:?} is already recorded")]
    DuplicateNumber(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const COLUMNS: &str = "id, registration_number, name, region, address, recorded_by, created_at";
const INSERT: &str = "INSERT INTO employers (id, registration_number, name, name_folded, region, address,
         recorded_by, created_at)
     VALUES ($1, $2, $3, $8, $4, $5, $6, $7)
     ON CONFLICT (registration_number) DO NOTHING";

impl Decode for EmployerRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(EmployerRecord {
            id: r.col(0)?,
            registration_number: r.col(1)?,
            name: r.col(2)?,
            region: r.col(3)?,
            address: r.col(4)?,
            recorded_by: r.col(5)?,
            recorded_at: r.col(6)?,
        })
    }
}

impl Store {
    /// Records an employer; a registration number already on record is refused.
    pub async fn record_employer(&self, e: NewEmployer) -> Result<EmployerRecord, EmployerError> {
        let params: Vec<Param> = vec![
            e.id.into(),
            e.registration_number.as_str().into(),
            e.name.as_str().into(),
            e.region.as_str().into(),
            e.address.clone().into(),
            e.recorded_by.as_str().into(),
            e.recorded_at.into(),
            e.name.to_lowercase().into(),
        ];
        if self.write_steps(vec![Step::guard(INSERT, params)]).await?.is_err() {
            return Err(EmployerError::DuplicateNumber(e.registration_number));
        }
        self.employer(e.id).await?.ok_or_else(|| StoreError::Corrupt("a recorded employer is gone".into()).into())
    }

    /// One employer.
    pub async fn employer(&self, id: Uuid) -> Result<Option<EmployerRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM employers WHERE id = $1");
        Ok(self.read_built(sql, vec![id.into()]).await?.into_iter().next())
    }

    /// The employer with this registration number.
    pub async fn employer_by_number(&self, number: &str) -> Result<Option<EmployerRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM employers WHERE registration_number = $1");
        Ok(self.read_built(sql, vec![number.into()]).await?.into_iter().next())
    }

    /// Employers by name, paged; `filter` keeps those whose name contains it (in any case) or
    /// whose registration number it is.
    pub async fn employers(
        &self,
        filter: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<EmployerRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM employers
             WHERE CAST($1 AS TEXT) IS NULL OR name_folded LIKE $4 OR registration_number = $1
             ORDER BY name, id LIMIT $2 OFFSET $3"
        );
        let exact: Option<String> = filter.map(|f| f.trim().to_owned());
        let pattern: Option<String> = filter.map(|f| format!("%{}%", f.trim().to_lowercase().replace(['%', '_'], "")));
        let params: Vec<Param> = vec![exact.into(), i64::from(limit).into(), i64::from(offset).into(), pattern.into()];
        self.read_built(sql, params).await
    }
}
