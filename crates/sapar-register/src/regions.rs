//! The host state's first-level regions as data, `regions.toml`: an ISO 3166-2 code, whether it is
//! a city with a region's status or a region, and its names. The address of a registration of
//! place of stay names one of these; a code the host state does not list is refused
//! (`unknown_region`), and so is every code in a host state the file does not list.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use sapar_model::{Country, InputCode, InputError};
use serde::Deserialize;

use crate::{Actor, Register, RegisterError};

/// The regions of every host state, embedded at build time.
const REGIONS: &str = include_str!("regions.toml");

/// The field an address's region is submitted in.
pub const REGION_FIELD: &str = "address.region";

/// A city with the status of a region, or a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    City,
    Region,
}

impl RegionKind {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionKind::City => "city",
            RegionKind::Region => "region",
        }
    }
}

/// One region of a host state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInfo {
    /// ISO 3166-2 code, e.g. `KZ-75`.
    pub code: String,
    pub kind: RegionKind,
    /// Names by language tag (`ru`, `en`, and the state's language: `kk`, `ky`, `hy`).
    pub names: BTreeMap<String, String>,
}

impl RegionInfo {
    /// The name in `lang`, else in English, else in Russian, else the code.
    pub fn name(&self, lang: &str) -> &str {
        [lang, "en", "ru"].iter().find_map(|l| self.names.get(*l)).map_or(self.code.as_str(), String::as_str)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionRow {
    code: String,
    kind: RegionKind,
    names: BTreeMap<String, String>,
}

/// Every host state's regions.
#[derive(Debug)]
pub struct Regions {
    by_host: HashMap<Country, Vec<RegionInfo>>,
}

impl Regions {
    /// Parses the data, refusing a code not of the state's ISO 3166-2 form, a code listed twice
    /// or a region without its Russian and English names.
    fn parse(text: &str) -> Result<Regions, String> {
        let raw: HashMap<String, Vec<RegionRow>> = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut by_host = HashMap::new();
        for (host, rows) in raw {
            let host = Country::parse(&host).map_err(|e| format!("host {host:?}: {e}"))?;
            let prefix = match host.code() {
                "KAZ" => "KZ-",
                "KGZ" => "KG-",
                "ARM" => "AM-",
                "RUS" => "RU-",
                "UZB" => "UZ-",
                "TJK" => "TJ-",
                other => return Err(format!("host {other}: no ISO 3166-2 prefix known")),
            };
            let mut seen = std::collections::HashSet::new();
            let mut regions = Vec::with_capacity(rows.len());
            for row in rows {
                let ok = row.code.strip_prefix(prefix).is_some_and(|rest| {
                    (1..=3).contains(&rest.len()) && rest.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                });
                if !ok || !seen.insert(row.code.clone()) {
                    return Err(format!("{host}: code {:?} is not {prefix}… or is listed twice", row.code));
                }
                if !(row.names.contains_key("ru") && row.names.contains_key("en")) {
                    return Err(format!("{host} {}: names need `ru` and `en`", row.code));
                }
                regions.push(RegionInfo { code: row.code, kind: row.kind, names: row.names });
            }
            by_host.insert(host, regions);
        }
        Ok(Regions { by_host })
    }

    /// The embedded data, parsed once.
    pub fn embedded() -> Result<&'static Regions, RegisterError> {
        static PARSED: OnceLock<Result<Regions, String>> = OnceLock::new();
        PARSED
            .get_or_init(|| Regions::parse(REGIONS))
            .as_ref()
            .map_err(|e| RegisterError::Internal(format!("regions data does not parse: {e}")))
    }

    /// The regions of `host` in the file's order; `None` when the file does not list the state.
    pub fn of(&self, host: Country) -> Option<&[RegionInfo]> {
        self.by_host.get(&host).map(Vec::as_slice)
    }

    /// The region `code` names (any case, surrounding blanks ignored) among `host`'s, else
    /// `unknown_region`.
    pub fn find(&self, host: Country, code: &str) -> Result<&RegionInfo, InputError> {
        let wanted = code.trim().to_uppercase();
        self.of(host).and_then(|regions| regions.iter().find(|r| r.code == wanted)).ok_or_else(|| {
            InputError::new(
                REGION_FIELD,
                InputCode::UnknownRegion,
                format!("{:?} is not a region of {host} (see GET /api/v1/regions)", crate::text::excerpt(code.trim())),
            )
        })
    }
}

impl Register {
    /// The host state's regions in the data's order (cities first); empty when the data lists
    /// none for the state. Every role may read them.
    pub fn regions(&self, _actor: &Actor) -> Result<&'static [RegionInfo], RegisterError> {
        Ok(Regions::embedded()?.of(self.host_state).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn kazakhstan_lists_three_cities_and_seventeen_regions_with_three_names() {
        let kaz = Regions::embedded().unwrap().of(Country::KAZ).unwrap();
        assert_eq!(kaz.iter().filter(|r| r.kind == RegionKind::City).count(), 3);
        assert_eq!(kaz.iter().filter(|r| r.kind == RegionKind::Region).count(), 17);
        assert!(kaz.iter().all(|r| ["ru", "kk", "en"].iter().all(|l| r.names.contains_key(*l))));
        let ulytau = Regions::embedded().unwrap().find(Country::KAZ, " kz-62 ").unwrap();
        assert_eq!((ulytau.name("kk"), ulytau.name("de")), ("Ұлытау облысы", "Ulytau Region"));
    }

    #[test]
    fn kyrgyzstan_and_armenia_list_their_cities_and_regions() {
        let regions = Regions::embedded().unwrap();
        let kgz = Country::parse("KGZ").unwrap();
        let arm = Country::parse("ARM").unwrap();
        assert_eq!(regions.of(kgz).unwrap().len(), 9);
        assert_eq!(regions.of(arm).unwrap().len(), 11);
        assert_eq!(regions.find(arm, "AM-ER").unwrap().name("hy"), "Երևան");
    }

    #[test]
    fn a_region_of_another_state_or_of_an_unlisted_state_is_unknown() {
        let regions = Regions::embedded().unwrap();
        assert_eq!(regions.find(Country::KAZ, "KG-GB").unwrap_err().code, InputCode::UnknownRegion);
        assert_eq!(regions.find(Country::KAZ, "KZ-ALA").unwrap_err().code, InputCode::UnknownRegion);
        let rus = Country::parse("RUS").unwrap();
        assert_eq!(regions.find(rus, "RU-MOW").unwrap_err().code, InputCode::UnknownRegion);
    }

    #[test]
    fn malformed_data_is_refused() {
        assert!(
            Regions::parse("KAZ = [{ code = \"KG-GB\", kind = \"city\", names = { ru = \"a\", en = \"b\" } }]")
                .is_err()
        );
        assert!(Regions::parse("KAZ = [{ code = \"KZ-75\", kind = \"city\", names = { ru = \"a\" } }]").is_err());
    }
}
