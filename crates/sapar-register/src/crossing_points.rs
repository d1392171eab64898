//! The host state's crossing points (border posts) as data, `crossing_points.toml`: a stable code,
//! the kind (road, rail, air, sea), the neighbouring state, whether the post is open, and its
//! names. A crossing or border check at a code not listed for the register's host state is
//! refused (`unknown_crossing_point`); a host state the file does not list is not checked, so a
//! node for a state without a list keeps working on well-formed codes.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use sapar_model::{Country, CrossingPoint, InputCode, InputError, fields};
use serde::Deserialize;

use crate::{Actor, Register, RegisterError};

/// The posts of every host state, embedded at build time.
const POINTS: &str = include_str!("crossing_points.toml");

/// How travellers cross at a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PointKind {
    Road,
    Rail,
    Air,
    Sea,
}

impl PointKind {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            PointKind::Road => "road",
            PointKind::Rail => "rail",
            PointKind::Air => "air",
            PointKind::Sea => "sea",
        }
    }
}

/// One border post of a host state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossingPointInfo {
    pub code: CrossingPoint,
    pub kind: PointKind,
    /// The state across the border; `None` for airports and seaports.
    pub neighbour: Option<Country>,
    /// False for a post listed so that old records keep it, but closed or suspended.
    pub open: bool,
    /// Names by language tag (`ru`, `en`, and the state's language: `kk`, `ky`, `hy`).
    pub names: BTreeMap<String, String>,
}

impl CrossingPointInfo {
    /// The name in `lang`, else in English, else in Russian, else the code.
    pub fn name(&self, lang: &str) -> &str {
        [lang, "en", "ru"].iter().find_map(|l| self.names.get(*l)).map_or(self.code.as_str(), String::as_str)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PointRow {
    code: String,
    kind: PointKind,
    neighbour: Option<String>,
    open: Option<bool>,
    names: BTreeMap<String, String>,
}

/// Every host state's posts.
#[derive(Debug)]
pub struct CrossingPoints {
    by_host: HashMap<Country, Vec<CrossingPointInfo>>,
}

impl CrossingPoints {
    /// Parses the data, refusing a malformed code, an unknown neighbour, a code listed twice or a
    /// post without its Russian and English names.
    fn parse(text: &str) -> Result<CrossingPoints, String> {
        let raw: HashMap<String, Vec<PointRow>> = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut by_host = HashMap::new();
        for (host, rows) in raw {
            let host = Country::parse(&host).map_err(|e| format!("host {host:?}: {e}"))?;
            let mut seen = std::collections::HashSet::new();
            let mut points = Vec::with_capacity(rows.len());
            for row in rows {
                let code = CrossingPoint::parse(&row.code).map_err(|e| format!("{host}: {e}"))?;
                if code.as_str() != row.code || !seen.insert(code.clone()) {
                    return Err(format!("{host}: code {:?} is not upper case or is listed twice", row.code));
                }
                let neighbour = row
                    .neighbour
                    .map(|n| Country::parse(&n).map_err(|e| format!("{host} {}: neighbour {n:?}: {e}", row.code)))
                    .transpose()?;
                if !(row.names.contains_key("ru") && row.names.contains_key("en")) {
                    return Err(format!("{host} {}: names need `ru` and `en`", row.code));
                }
                points.push(CrossingPointInfo {
                    code,
                    kind: row.kind,
                    neighbour,
                    open: row.open.unwrap_or(true),
                    names: row.names,
                });
            }
            by_host.insert(host, points);
        }
        Ok(CrossingPoints { by_host })
    }

    /// The embedded data, parsed once.
    pub fn embedded() -> Result<&'static CrossingPoints, RegisterError> {
        static PARSED: OnceLock<Result<CrossingPoints, String>> = OnceLock::new();
        PARSED
            .get_or_init(|| CrossingPoints::parse(POINTS))
            .as_ref()
            .map_err(|e| RegisterError::Internal(format!("crossing points data does not parse: {e}")))
    }

    /// The posts of `host` in the file's order; `None` when the file does not list the state.
    pub fn of(&self, host: Country) -> Option<&[CrossingPointInfo]> {
        self.by_host.get(&host).map(Vec::as_slice)
    }

    /// Refuses `point` unless `host` lists it (or `host` has no list).
    pub fn check(&self, host: Country, point: &CrossingPoint) -> Result<(), InputError> {
        match self.of(host) {
            Some(points) if !points.iter().any(|p| &p.code == point) => Err(InputError::new(
                fields::CROSSING_POINT,
                InputCode::UnknownCrossingPoint,
                format!("{point} is not a crossing point of {host} (see GET /api/v1/crossing-points)"),
            )),
            _ => Ok(()),
        }
    }
}

impl Register {
    /// The host state's crossing points, open ones first, each group in the data's order; empty
    /// when the data lists none for the state. Every role may read them.
    pub fn crossing_points(&self, _actor: &Actor) -> Result<Vec<&'static CrossingPointInfo>, RegisterError> {
        let mut points: Vec<&CrossingPointInfo> =
            CrossingPoints::embedded()?.of(self.host_state).unwrap_or_default().iter().collect();
        points.sort_by_key(|p| !p.open);
        Ok(points)
    }

    /// Refuses `point` unless it is one of the host state's crossing points.
    pub(crate) fn known_point(&self, point: &CrossingPoint) -> Result<(), RegisterError> {
        CrossingPoints::embedded()?.check(self.host_state, point).map_err(RegisterError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_data_parses_and_lists_every_host_with_stay_rules() {
        let points = CrossingPoints::embedded().unwrap();
        let book = sapar_rules::RuleBook::load_embedded().unwrap();
        for host in book.hosts() {
            if let sapar_rules::Host::State(state) = host {
                assert!(points.of(state).is_some_and(|p| !p.is_empty()), "no crossing points for {state}");
            }
        }
    }

    #[test]
    fn kazakhstan_lists_its_main_posts_with_three_names() {
        let points = CrossingPoints::embedded().unwrap();
        let kaz = points.of(Country::KAZ).unwrap();
        for code in [
            "KZ-ALA-AIR",
            "KZ-NQZ-AIR",
            "KZ-SHYM-AIR",
            "KZ-SCO-AIR",
            "KZ-GUW-AIR",
            "KZ-KHORGOS",
            "KZ-NUR-ZHOLY",
            "KZ-DOSTYK",
            "KZ-KORDAY",
            "KZ-KARASU",
            "KZ-ZHIBEK-ZHOLY",
        ] {
            let post = kaz.iter().find(|p| p.code.as_str() == code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(["ru", "kk", "en"].iter().all(|l| post.names.contains_key(*l)), "{code}");
        }
        let korday = kaz.iter().find(|p| p.code.as_str() == "KZ-KORDAY").unwrap();
        assert_eq!((korday.kind, korday.neighbour), (PointKind::Road, Some(Country::KGZ)));
        assert_eq!(korday.name("kk"), "Қордай");
        assert_eq!(korday.name("de"), "Korday");
    }

    #[test]
    fn unknown_points_are_refused_only_where_the_host_has_a_list() {
        let points = CrossingPoints::embedded().unwrap();
        let korday = CrossingPoint::parse("KZ-KORDAY").unwrap();
        let nowhere = CrossingPoint::parse("KZ-NOWHERE").unwrap();
        assert!(points.check(Country::KAZ, &korday).is_ok());
        assert_eq!(points.check(Country::KAZ, &nowhere).unwrap_err().code, InputCode::UnknownCrossingPoint);
        assert_eq!(points.check(Country::KGZ, &korday).unwrap_err().code, InputCode::UnknownCrossingPoint);
        assert!(points.check(Country::TJK, &nowhere).is_ok(), "no list, no check");
    }

    #[test]
    fn malformed_data_is_refused() {
        let twice = r#"KAZ = [
            { code = "KZ-A", kind = "air", names = { ru = "А", en = "A" } },
            { code = "KZ-A", kind = "air", names = { ru = "А", en = "A" } },
        ]"#;
        assert!(CrossingPoints::parse(twice).is_err());
        let no_english = r#"KAZ = [{ code = "KZ-A", kind = "air", names = { ru = "А" } }]"#;
        assert!(CrossingPoints::parse(no_english).is_err());
        let lower = r#"KAZ = [{ code = "kz-a", kind = "air", names = { ru = "А", en = "A" } }]"#;
        assert!(CrossingPoints::parse(lower).is_err());
    }
}
