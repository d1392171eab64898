//! Personal names: parts in their original script kept beside their Latin form.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// Longest accepted name part, in characters; generous beyond any passport field.
pub const MAX_NAME_PART_CHARS: usize = 120;

/// The writing system of a name part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Latin,
    Cyrillic,
    Armenian,
}

impl Script {
    /// Stable lower-case identifier used in storage and APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Latin => "latin",
            Script::Cyrillic => "cyrillic",
            Script::Armenian => "armenian",
        }
    }

    fn of(c: char) -> Option<Script> {
        match c {
            'A'..='Z' | 'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Some(Script::Latin),
            '\u{0400}'..='\u{052F}' => Some(Script::Cyrillic),
            '\u{0531}'..='\u{058F}' => Some(Script::Armenian),
            _ => None,
        }
    }
}

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("name part is empty")]
    Empty,
    #[error("name part is longer than {MAX_NAME_PART_CHARS} characters")]
    TooLong,
    #[error("character {0:?} is not allowed in a name")]
    InvalidCharacter(char),
    #[error("name part mixes scripts ({0} and {1})")]
    MixedScripts(&'static str, &'static str),
    #[error("latin form contains non-Latin letters")]
    LatinFormNotLatin,
    #[error("a person needs a surname in at least one script")]
    NoName,
}

/// One part of a name (a surname, the given names, or a patronymic), NFC-normalised,
/// with single spaces, in exactly one script.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NamePart {
    text: String,
    script: Script,
}

impl NamePart {
    /// Parses a name part: letters of one script, with spaces, hyphens and apostrophes between them.
    pub fn parse(raw: &str) -> Result<NamePart, NameError> {
        let normalised: String = raw.nfc().collect();
        let text = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if text.chars().count() > MAX_NAME_PART_CHARS {
            return Err(NameError::TooLong);
        }
        let mut script: Option<Script> = None;
        for c in text.chars() {
            match Script::of(c) {
                Some(s) => match script {
                    None => script = Some(s),
                    Some(prev) if prev != s => {
                        return Err(NameError::MixedScripts(prev.as_str(), s.as_str()));
                    }
                    Some(_) => {}
                },
                None if matches!(c, ' ' | '-' | '\'' | '’' | '.') => {}
                None => return Err(NameError::InvalidCharacter(c)),
            }
        }
        let script = script.ok_or(NameError::Empty)?;
        Ok(NamePart { text, script })
    }

    /// The text as given (normalised).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The script the part is written in.
    pub fn script(&self) -> Script {
        self.script
    }
}

impl fmt::Debug for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.text)
    }
}

impl fmt::Display for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A full name in one rendering: surname, given names and an optional patronymic.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FullName {
    pub surname: NamePart,
    pub given_names: Option<NamePart>,
    pub patronymic: Option<NamePart>,
}

impl FullName {
    /// True when every part is in the Latin script.
    pub fn is_latin(&self) -> bool {
        self.parts().all(|p| p.script() == Script::Latin)
    }

    /// The parts present, surname first.
    pub fn parts(&self) -> impl Iterator<Item = &NamePart> {
        std::iter::once(&self.surname).chain(self.given_names.as_ref()).chain(self.patronymic.as_ref())
    }
}

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = self.parts().map(NamePart::as_str).collect();
        f.write_str(&parts.join(" "))
    }
}

/// A person's name as the agreement requires it (Art. 7): the original script (Cyrillic,
/// Armenian, or Latin when that is all a source has) beside the Latin spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName {
    native: Option<FullName>,
    latin: Option<FullName>,
}

impl PersonName {
    /// Builds a name from its renderings; at least one must be present and the Latin one must be Latin.
    pub fn new(native: Option<FullName>, latin: Option<FullName>) -> Result<PersonName, NameError> {
        if native.is_none() && latin.is_none() {
            return Err(NameError::NoName);
        }
        if let Some(l) = &latin
            && !l.is_latin()
        {
            return Err(NameError::LatinFormNotLatin);
        }
        // A "native" rendering that is itself Latin is the Latin form: keep one copy.
        match (native, latin) {
            (Some(n), None) if n.is_latin() => Ok(PersonName { native: None, latin: Some(n) }),
            (native, latin) => Ok(PersonName { native, latin }),
        }
    }

    /// The name in its original non-Latin script, if known.
    pub fn native(&self) -> Option<&FullName> {
        self.native.as_ref()
    }

    /// The Latin spelling, if known.
    pub fn latin(&self) -> Option<&FullName> {
        self.latin.as_ref()
    }

    /// The best rendering for display: native when known, else Latin.
    pub fn display(&self) -> &FullName {
        match (&self.native, &self.latin) {
            (Some(n), _) => n,
            (None, Some(l)) => l,
            // `new` guarantees one of the two exists.
            (None, None) => unreachable!("PersonName without any rendering"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spaces_and_detects_script() {
        let p = NamePart::parse("  Ерлан   Ерболович ").unwrap();
        assert_eq!(p.as_str(), "Ерлан Ерболович");
        assert_eq!(p.script(), Script::Cyrillic);
        assert_eq!(NamePart::parse("Әлібек").unwrap().script(), Script::Cyrillic);
        assert_eq!(NamePart::parse("Հարությունյան").unwrap().script(), Script::Armenian);
        assert_eq!(NamePart::parse("O'Neil-Smith").unwrap().script(), Script::Latin);
    }

    #[test]
    fn rejects_digits_mixed_scripts_and_empty() {
        assert_eq!(NamePart::parse("Ivan2"), Err(NameError::InvalidCharacter('2')));
        assert_eq!(NamePart::parse("   "), Err(NameError::Empty));
        assert_eq!(NamePart::parse("-"), Err(NameError::Empty));
        assert_eq!(NamePart::parse("Ivanов"), Err(NameError::MixedScripts("latin", "cyrillic")));
    }

    #[test]
    fn latin_rendering_must_be_latin() {
        let cyr = FullName { surname: NamePart::parse("Иванов").unwrap(), given_names: None, patronymic: None };
        assert_eq!(PersonName::new(None, Some(cyr.clone())), Err(NameError::LatinFormNotLatin));
        assert_eq!(PersonName::new(None, None), Err(NameError::NoName));
        let name = PersonName::new(Some(cyr), None).unwrap();
        assert_eq!(name.display().to_string(), "Иванов");
    }
}
