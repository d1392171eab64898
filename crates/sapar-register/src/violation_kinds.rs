//! The kinds of violation as rule data (`violation_kinds.toml`): who is liable, the article of
//! each host state's code of administrative offences, the units a fine is given in, and
//! Kazakhstan's monthly calculation index for showing a fine in MRP as tenge.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use sapar_model::{Country, InputCode, InputError};
use serde::Deserialize;

/// The kind the overstayer sweep and a departure record.
pub const OVERSTAY: &str = "overstay";

/// Who is liable for a violation of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Offender {
    /// The foreigner.
    Person,
    /// The employer of the foreigner concerned; the violation names the employer.
    Employer,
}

/// One kind of violation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViolationKind {
    pub id: String,
    pub offender: Offender,
    /// The article that punishes it, by host state (ISO alpha-3).
    #[serde(default)]
    pub articles: BTreeMap<String, String>,
}

impl ViolationKind {
    /// The article of `host`'s code, when the data names one.
    pub fn article(&self, host: Country) -> Option<&str> {
        self.articles.get(host.code()).map(String::as_str)
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViolationKinds {
    #[serde(rename = "kind")]
    pub kinds: Vec<ViolationKind>,
    /// Fine units by host state.
    pub units: BTreeMap<String, Vec<String>>,
    /// Kazakhstan's monthly calculation index in tenge, by year.
    pub mrp_kzt: BTreeMap<String, i64>,
}

/// `violation_kinds.toml`, parsed once; a test makes sure it parses.
static KINDS: LazyLock<Result<ViolationKinds, String>> = LazyLock::new(|| {
    toml::from_str::<ViolationKinds>(include_str!("violation_kinds.toml"))
        .map_err(|e| format!("violation_kinds.toml: {e}"))
});

/// The kinds data; an error only if the compiled-in file does not parse (a defect).
pub fn violation_kinds() -> Result<&'static ViolationKinds, String> {
    KINDS.as_ref().map_err(Clone::clone)
}

impl ViolationKinds {
    /// The kind with this id, or the refusal naming the known ones.
    pub fn kind(&self, id: &str) -> Result<&ViolationKind, InputError> {
        self.kinds.iter().find(|k| k.id == id).ok_or_else(|| {
            let known: Vec<&str> = self.kinds.iter().map(|k| k.id.as_str()).collect();
            InputError::new("kind", InputCode::InvalidKind, format!("kind {id:?} is not one of {}", known.join(", ")))
        })
    }

    /// The fine units of `host`.
    pub fn units(&self, host: Country) -> &[String] {
        self.units.get(host.code()).map_or(&[], Vec::as_slice)
    }

    /// A fine of `amount` MRP in tenge at the index of `year`, when that year's index is listed.
    pub fn mrp_in_kzt(&self, amount: i64, year: i16) -> Option<i64> {
        self.mrp_kzt.get(&year.to_string()).and_then(|index| amount.checked_mul(*index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_data_parses_and_names_every_kind_once() {
        let data = violation_kinds().unwrap();
        let mut ids: Vec<&str> = data.kinds.iter().map(|k| k.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), data.kinds.len(), "a kind is listed twice");
        for expected in [OVERSTAY, "registration_failure", "illegal_work", "document_rules", "employer_violation"] {
            assert!(ids.contains(&expected), "{expected} is missing");
        }
        assert_eq!(data.kind("employer_violation").unwrap().offender, Offender::Employer);
        assert_eq!(data.kind("bribery").unwrap_err().code, InputCode::InvalidKind);
    }

    #[test]
    fn kazakhstan_fines_are_in_mrp_or_tenge_and_mrp_converts_by_year() {
        let data = violation_kinds().unwrap();
        assert_eq!(data.units(Country::parse("KAZ").unwrap()), ["MRP", "KZT"]);
        assert_eq!(data.mrp_in_kzt(10, 2025), Some(39_320));
        assert_eq!(data.mrp_in_kzt(10, 2026), Some(43_250));
        assert_eq!(data.mrp_in_kzt(10, 2019), None, "an unlisted year gives no amount");
        let article = data.kind("employer_violation").unwrap().article(Country::parse("KAZ").unwrap());
        assert!(article.is_some_and(|a| a.contains("519")));
    }
}
