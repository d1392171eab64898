//! What a card says about its holder, its checks, and its `msg` object in the seal.

use jiff::civil::Date;
use sapar_model::{Country, Sex};
use serde_json::{Map, Value};

use crate::number::CardNumber;

/// The most characters in a Latin surname or given names.
pub const MAX_LATIN_NAME_CHARS: usize = 64;
/// The most characters in the native-script full name.
pub const MAX_NATIVE_NAME_CHARS: usize = 96;
/// The most characters in an identity document number.
const MAX_DOCUMENT_CHARS: usize = 20;

/// The card's content, as sealed. [`CardContent::check`] (run by `seal` and `verify`) holds the
/// rules in `docs/card.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardContent {
    pub number: CardNumber,
    /// The state that issues the card; the card number starts with its code.
    pub issuing_state: Country,
    /// Surname in Latin letters, as in the travel document's MRZ or transliterated.
    pub surname_latin: String,
    /// Given names in Latin letters (may be empty: some persons have none).
    pub given_names_latin: String,
    /// The full name in the holder's script (Cyrillic or Armenian), when known.
    pub name_native: Option<String>,
    pub birth_date: Date,
    pub sex: Sex,
    pub citizenship: Country,
    /// The number of the identity document the holder crossed with.
    pub document_number: String,
    pub issued_on: Date,
    /// The last day of legal stay: the card is valid up to and including it.
    pub valid_until: Date,
}

/// The keys of `msg`, in documentation order.
pub(crate) mod key {
    pub(crate) const NUMBER: &str = "no";
    pub(crate) const SURNAME: &str = "sn";
    pub(crate) const GIVEN_NAMES: &str = "gn";
    pub(crate) const NATIVE_NAME: &str = "nn";
    pub(crate) const BIRTH_DATE: &str = "dob";
    pub(crate) const SEX: &str = "sx";
    pub(crate) const CITIZENSHIP: &str = "nat";
    pub(crate) const DOCUMENT: &str = "doc";
    pub(crate) const ISSUED_ON: &str = "di";
    pub(crate) const VALID_UNTIL: &str = "vu";
    pub(crate) const ALL: [&str; 10] =
        [NUMBER, SURNAME, GIVEN_NAMES, NATIVE_NAME, BIRTH_DATE, SEX, CITIZENSHIP, DOCUMENT, ISSUED_ON, VALID_UNTIL];
}

fn latin_ok(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\''))
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
}

impl CardContent {
    /// Checks the content: the number's state is the issuing state; Latin names of letters,
    /// spaces, hyphens and apostrophes (surname not empty); the native name without control
    /// characters; a document number of 1-20 letters and digits; born no later than issued;
    /// issued no later than the last valid day.
    pub fn check(&self) -> Result<(), String> {
        if self.number.state() != self.issuing_state {
            return Err(format!("card number {} is not of the issuing state {}", self.number, self.issuing_state));
        }
        for (what, value, may_be_empty) in
            [("surname", &self.surname_latin, false), ("given names", &self.given_names_latin, true)]
        {
            if value.is_empty() && !may_be_empty {
                return Err(format!("{what} is empty"));
            }
            if value.chars().count() > MAX_LATIN_NAME_CHARS {
                return Err(format!("{what} is longer than {MAX_LATIN_NAME_CHARS} characters"));
            }
            if !latin_ok(value) {
                return Err(format!("{what} {value:?} must be Latin letters, single spaces, '-' and '''"));
            }
        }
        if let Some(native) = &self.name_native {
            if native.trim().is_empty() || native.trim() != native {
                return Err("native name is empty or has surrounding spaces".into());
            }
            if native.chars().count() > MAX_NATIVE_NAME_CHARS {
                return Err(format!("native name is longer than {MAX_NATIVE_NAME_CHARS} characters"));
            }
            if native.chars().any(char::is_control) {
                return Err("native name has control characters".into());
            }
        }
        let doc = &self.document_number;
        if doc.is_empty()
            || doc.len() > MAX_DOCUMENT_CHARS
            || !doc.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(format!("document number {doc:?} must be 1-{MAX_DOCUMENT_CHARS} characters of A-Z and 0-9"));
        }
        if self.birth_date > self.issued_on {
            return Err(format!("born on {} after the card's issue on {}", self.birth_date, self.issued_on));
        }
        if self.issued_on > self.valid_until {
            return Err(format!("issued on {} after its last valid day {}", self.issued_on, self.valid_until));
        }
        Ok(())
    }

    /// The `msg` object: strings only, dates as `YYYY-MM-DD`.
    pub(crate) fn to_msg(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let mut put = |k: &str, v: String| {
            m.insert(k.to_owned(), Value::String(v));
        };
        put(key::NUMBER, self.number.to_string());
        put(key::SURNAME, self.surname_latin.clone());
        put(key::GIVEN_NAMES, self.given_names_latin.clone());
        if let Some(native) = &self.name_native {
            put(key::NATIVE_NAME, native.clone());
        }
        put(key::BIRTH_DATE, self.birth_date.to_string());
        put(key::SEX, self.sex.code().to_owned());
        put(key::CITIZENSHIP, self.citizenship.code().to_owned());
        put(key::DOCUMENT, self.document_number.clone());
        put(key::ISSUED_ON, self.issued_on.to_string());
        put(key::VALID_UNTIL, self.valid_until.to_string());
        m
    }

    /// Reads a `msg` object issued by `issuing_state`; refuses unknown keys, missing keys and
    /// malformed values, then applies [`CardContent::check`].
    pub(crate) fn from_msg(msg: &Map<String, Value>, issuing_state: Country) -> Result<CardContent, String> {
        if let Some(unknown) = msg.keys().find(|k| !key::ALL.contains(&k.as_str())) {
            return Err(format!("unknown field {unknown:?}"));
        }
        let text = |k: &str| -> Result<&str, String> {
            match msg.get(k) {
                Some(Value::String(s)) => Ok(s.as_str()),
                Some(_) => Err(format!("{k} must be a string")),
                None => Err(format!("{k} is missing")),
            }
        };
        let date = |k: &str| -> Result<Date, String> {
            let s = text(k)?;
            let well_formed = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
            match s.parse::<Date>() {
                Ok(d) if well_formed => Ok(d),
                _ => Err(format!("{k} {s:?} is not a YYYY-MM-DD date")),
            }
        };
        let number = CardNumber::parse(text(key::NUMBER)?).map_err(|e| format!("{}: {e}", key::NUMBER))?;
        let native = match msg.get(key::NATIVE_NAME) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(format!("{} must be a string", key::NATIVE_NAME)),
        };
        let sex_code = text(key::SEX)?;
        let sex = match sex_code {
            "M" | "F" | "X" => Sex::parse(sex_code),
            _ => None,
        }
        .ok_or_else(|| format!("{} {sex_code:?} is not M, F or X", key::SEX))?;
        let nat = text(key::CITIZENSHIP)?;
        let citizenship = Country::parse(nat)
            .ok()
            .filter(|_| nat.bytes().all(|b| b.is_ascii_uppercase()))
            .ok_or_else(|| format!("{} {nat:?} is not an upper-case ICAO country code", key::CITIZENSHIP))?;
        let content = CardContent {
            number,
            issuing_state,
            surname_latin: text(key::SURNAME)?.to_owned(),
            given_names_latin: text(key::GIVEN_NAMES)?.to_owned(),
            name_native: native,
            birth_date: date(key::BIRTH_DATE)?,
            sex,
            citizenship,
            document_number: text(key::DOCUMENT)?.to_owned(),
            issued_on: date(key::ISSUED_ON)?,
            valid_until: date(key::VALID_UNTIL)?,
        };
        content.check()?;
        Ok(content)
    }
}
