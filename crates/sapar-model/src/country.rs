//! States and nationality codes: ISO 3166-1 alpha-3 plus ICAO 9303's special codes.

use std::fmt;

use crate::country_table::ISO_3166_ALPHA3;

/// A state (or ICAO special nationality) identified by a three-letter code.
///
/// Valid values are the ISO 3166-1 alpha-3 codes and ICAO Doc 9303's
/// `XXA` (stateless), `XXB` (refugee under the 1951 Convention), `XXC` (other refugee)
/// and `XXX` (unspecified nationality). The specimen code `UTO` exists only through
/// [`Country::parse_allowing_specimen`], so test documents cannot enter the register by accident.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 3]);

/// ICAO Doc 9303 Part 3 special nationality codes and their meaning.
const ICAO_SPECIAL: &[(&str, &str)] = &[
    ("XXA", "Stateless person"),
    ("XXB", "Refugee (1951 Convention)"),
    ("XXC", "Refugee (other)"),
    ("XXX", "Unspecified nationality"),
];

const SPECIMEN: &str = "UTO";

/// Why a country code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryError {
    #[error("country code must be three letters A-Z, got {0:?}")]
    Malformed(String),
    #[error("{0} is not an ISO 3166-1 alpha-3 code nor an ICAO special code (XXA, XXB, XXC, XXX)")]
    Unknown(String),
    #[error("specimen code UTO is not accepted here")]
    Specimen,
}

impl Country {
    /// Kazakhstan.
    pub const KAZ: Country = Country(*b"KAZ");
    /// Kyrgyzstan.
    pub const KGZ: Country = Country(*b"KGZ");
    /// Armenia.
    pub const ARM: Country = Country(*b"ARM");
    /// Russia.
    pub const RUS: Country = Country(*b"RUS");
    /// Uzbekistan.
    pub const UZB: Country = Country(*b"UZB");
    /// Tajikistan.
    pub const TJK: Country = Country(*b"TJK");
    /// Belarus.
    pub const BLR: Country = Country(*b"BLR");
    /// Stateless person (ICAO).
    pub const STATELESS: Country = Country(*b"XXA");

    /// Parses an ISO 3166-1 alpha-3 code or an ICAO special nationality code.
    /// Lower case is accepted and normalised; surrounding whitespace is not.
    pub fn parse(code: &str) -> Result<Country, CountryError> {
        let country = Self::parse_allowing_specimen(code)?;
        if country.is_specimen() {
            return Err(CountryError::Specimen);
        }
        Ok(country)
    }

    /// Like [`Country::parse`], but also accepts ICAO's specimen code `UTO` (Utopia).
    pub fn parse_allowing_specimen(code: &str) -> Result<Country, CountryError> {
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(CountryError::Malformed(code.to_owned()));
        }
        let upper = [bytes[0].to_ascii_uppercase(), bytes[1].to_ascii_uppercase(), bytes[2].to_ascii_uppercase()];
        let text = std::str::from_utf8(&upper).map_err(|_| CountryError::Malformed(code.to_owned()))?;
        let known = ISO_3166_ALPHA3.binary_search_by(|(c, _)| (*c).cmp(text)).is_ok()
            || ICAO_SPECIAL.iter().any(|(c, _)| *c == text)
            || text == SPECIMEN;
        if known { Ok(Country(upper)) } else { Err(CountryError::Unknown(text.to_owned())) }
    }

    /// The three-letter code, upper case.
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// English short name of the state or of the ICAO special category.
    pub fn name(&self) -> &'static str {
        let code = self.code();
        ISO_3166_ALPHA3
            .iter()
            .chain(ICAO_SPECIAL)
            .find(|(c, _)| *c == code)
            .map_or("Utopia (specimen)", |(_, name)| *name)
    }

    /// True for ICAO's XXA, XXB, XXC and XXX, which name a status rather than a state.
    pub fn is_icao_special(&self) -> bool {
        ICAO_SPECIAL.iter().any(|(c, _)| *c == self.code())
    }

    /// True for the specimen code `UTO`.
    pub fn is_specimen(&self) -> bool {
        self.code() == SPECIMEN
    }

    /// True when this code names a real state that can be a party to an agreement.
    pub fn is_state(&self) -> bool {
        !self.is_icao_special() && !self.is_specimen()
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Country {
    type Err = CountryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Country::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iso_codes_in_any_case() {
        assert_eq!(Country::parse("kaz").unwrap(), Country::KAZ);
        assert_eq!(Country::parse("KGZ").unwrap().name(), "Kyrgyzstan");
    }

    #[test]
    fn accepts_icao_special_nationalities() {
        for code in ["XXA", "XXB", "XXC", "XXX"] {
            let c = Country::parse(code).unwrap();
            assert!(c.is_icao_special());
            assert!(!c.is_state());
        }
    }

    #[test]
    fn rejects_unknown_and_malformed_codes() {
        assert_eq!(Country::parse("KZ"), Err(CountryError::Malformed("KZ".into())));
        assert_eq!(Country::parse("K1Z"), Err(CountryError::Malformed("K1Z".into())));
        assert_eq!(Country::parse("ABC"), Err(CountryError::Unknown("ABC".into())));
        assert_eq!(Country::parse("ҚАЗ"), Err(CountryError::Malformed("ҚАЗ".into())));
    }

    #[test]
    fn specimen_only_when_allowed() {
        assert_eq!(Country::parse("UTO"), Err(CountryError::Specimen));
        assert!(Country::parse_allowing_specimen("UTO").unwrap().is_specimen());
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(ISO_3166_ALPHA3.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(ISO_3166_ALPHA3.len(), 249);
    }
}
