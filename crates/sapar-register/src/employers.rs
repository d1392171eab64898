//! Employers of foreign workers: recorded by officers, found by name or registration number,
//! and shown with the work permits that bind workers to them and the violations that name them
//! (employers' fines for illegal foreign labour). In Kazakhstan the registration number is the
//! 12-digit business identification number (BIN), checked by its control digit; elsewhere it is
//! the host state's registration number as printed.

use sapar_model::{Country, InputCode, InputError, Role};
use sapar_store::ViolationRecord;
use sapar_store::employers::{EmployerError, EmployerRecord, NewEmployer};
use uuid::Uuid;

use crate::access::{Access, distinct, view};
use crate::text::{optional_text, short_text};
use crate::{Actor, Entity, Register, RegisterError};

/// Who records employers.
const RECORDERS: &[Role] = &[Role::Officer];
/// Who reads them. An employer is not a person: listing employers is not access-logged; reading
/// one with its violations is, for each person those violations concern.
const READERS: &[Role] = &[Role::Officer];
/// Who lists employers (names and numbers of companies, no person's data).
const LISTERS: &[Role] = &[Role::Officer, Role::Analyst];
/// Most employers one listing returns.
pub const MAX_EMPLOYER_PAGE: u32 = 200;

/// An employer as submitted, every value still untrusted text.
#[derive(Debug, Clone, Default)]
pub struct RawEmployer {
    pub registration_number: String,
    pub name: String,
    pub region: String,
    pub address: Option<String>,
}

/// An employer with the violations that name it.
#[derive(Debug, Clone)]
pub struct EmployerFile {
    pub employer: EmployerRecord,
    pub violations: Vec<ViolationRecord>,
}

/// Whether `digits` is a valid Kazakh BIN (or IIN: the same 12 digits and control digit): the
/// control digit is the weighted sum of the first 11 modulo 11, with weights 1..11 and, when that
/// gives 10, weights 3..11,1,2; a second 10 makes no valid number.
pub fn is_valid_kazakh_bin(digits: &str) -> bool {
    let Some(d) = digits.chars().map(|c| c.to_digit(10)).collect::<Option<Vec<u32>>>() else {
        return false;
    };
    if d.len() != 12 {
        return false;
    }
    let control = |weights: [u32; 11]| d.iter().zip(weights).map(|(digit, w)| digit * w).sum::<u32>() % 11;
    let mut check = control([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if check == 10 {
        check = control([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    }
    check != 10 && check == d[11]
}

/// The registration number as stored: spaces and dashes dropped, letters in upper case; in
/// Kazakhstan a valid BIN.
pub fn registration_number(text: &str, host: Country) -> Result<String, InputError> {
    const FIELD: &str = "registration_number";
    let number: String =
        text.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect();
    if number.is_empty() {
        return Err(InputError::new(FIELD, InputCode::MissingField, "registration_number must not be empty"));
    }
    if host.code() == "KAZ" {
        if !is_valid_kazakh_bin(&number) {
            return Err(InputError::new(
                FIELD,
                InputCode::InvalidRegistrationNumber,
                "a Kazakh employer's BIN is 12 digits whose last is the control digit of the first 11",
            ));
        }
    } else if number.chars().count() > 32 || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(InputError::new(
            FIELD,
            InputCode::InvalidRegistrationNumber,
            "a registration number is at most 32 Latin letters and digits",
        ));
    }
    Ok(number)
}

impl Register {
    /// Records an employer; a registration number already on record is refused.
    pub async fn record_employer(&self, actor: &Actor, raw: &RawEmployer) -> Result<EmployerRecord, RegisterError> {
        actor.require(RECORDERS, "record employers")?;
        let employer = NewEmployer {
            id: Uuid::now_v7(),
            registration_number: registration_number(&raw.registration_number, self.host_state)?,
            name: short_text(&raw.name, "name")?,
            region: short_text(&raw.region, "region")?,
            address: optional_text(raw.address.as_deref(), "address")?,
            recorded_by: actor.name.clone(),
            recorded_at: self.now(),
        };
        self.store.record_employer(employer).await.map_err(|e| match e {
            EmployerError::DuplicateNumber(number) => RegisterError::DuplicateEmployer(number),
            EmployerError::Store(e) => RegisterError::Store(e),
        })
    }

    /// Employers by name, paged; `filter` finds part of a name or a whole registration number.
    pub async fn employers(
        &self,
        actor: &Actor,
        filter: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<EmployerRecord>, RegisterError> {
        actor.require(LISTERS, "list employers")?;
        let filter = filter.map(str::trim).filter(|f| !f.is_empty());
        Ok(self.store.employers(filter, limit.min(MAX_EMPLOYER_PAGE), offset).await?)
    }

    /// One employer with the violations naming it; the read is logged for each person they
    /// concern.
    pub async fn employer(&self, access: &Access, id: Uuid) -> Result<EmployerFile, RegisterError> {
        access.actor.require(READERS, "read employers")?;
        let employer = self.store.employer(id).await?.ok_or(RegisterError::NotFound(Entity::Employer))?;
        let violations = self.store.violations_of_employer(id).await?;
        let persons = distinct(violations.iter().map(|v| v.person_id));
        self.log_reads(access, view::EMPLOYER_VIOLATIONS, &persons).await?;
        Ok(EmployerFile { employer, violations })
    }

    /// The employer a submission names by id, or `unknown_employer`; a blank id is no id
    /// (`invalid_id`), not the absence of one.
    pub(crate) async fn named_employer(&self, id: Option<&str>) -> Result<Option<EmployerRecord>, RegisterError> {
        let Some(text) = id.map(str::trim) else { return Ok(None) };
        let Ok(id) = Uuid::parse_str(text) else {
            return Err(InputError::new("employer_id", InputCode::InvalidId, "employer_id is not a UUID").into());
        };
        match self.store.employer(id).await? {
            Some(employer) => Ok(Some(employer)),
            None => Err(RegisterError::UnknownEmployer(id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bin_is_checked_by_its_control_digit() {
        // Control digit by the first weights: 0*1+8*2+0*3+5*4+4*5+0*6+0*7+0*8+2*9+4*10+9*11 = 213,
        // 213 mod 11 = 4.
        assert!(is_valid_kazakh_bin("080540002494"));
        assert!(!is_valid_kazakh_bin("080540002495"), "a wrong control digit");
        assert!(!is_valid_kazakh_bin("08054000249"), "11 digits");
        assert!(!is_valid_kazakh_bin("08054000249A"), "a letter");
    }

    #[test]
    fn a_bin_whose_first_sum_gives_ten_uses_the_second_weights() {
        // 9*1+4*2+0*3+5*4+4*5+0*6+0*7+0*8+0*9+3*10+0*11 = 87, 87 mod 11 = 10: second weights give
        // 9*3+4*4+5*6+4*7+3*1 = 104, 104 mod 11 = 5.
        assert!(is_valid_kazakh_bin("940540000305"));
        assert!(!is_valid_kazakh_bin("940540000300"), "the first weights' 10 is no control digit");
    }

    #[test]
    fn registration_numbers_are_normalised_and_checked_per_host() {
        let kaz = Country::parse("KAZ").unwrap();
        assert_eq!(registration_number(" 0805 4000-2494 ", kaz).unwrap(), "080540002494");
        assert_eq!(registration_number("080540002495", kaz).unwrap_err().code, InputCode::InvalidRegistrationNumber);
        let kgz = Country::parse("KGZ").unwrap();
        assert_eq!(registration_number("inn 0123", kgz).unwrap(), "INN0123");
        assert_eq!(registration_number("№12", kgz).unwrap_err().code, InputCode::InvalidRegistrationNumber);
        assert_eq!(registration_number("  ", kgz).unwrap_err().code, InputCode::MissingField);
    }
}
