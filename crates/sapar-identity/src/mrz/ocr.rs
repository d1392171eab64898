//! Suggested corrections for common OCR confusions (`0`/`O`, `1`/`I`, `5`/`S`, `8`/`B`, `2`/`Z`).
//! Suggestions are only offered, never applied: a person decides.

use super::error::MrzError;
use super::layout::Field;
use super::parse::{Mrz, ParseOptions};

/// Pairs OCR engines confuse in the OCR-B font.
const CONFUSIONS: [(u8, u8); 5] = [(b'0', b'O'), (b'1', b'I'), (b'5', b'S'), (b'8', b'B'), (b'2', b'Z')];

/// A single-character correction that removes problems without creating any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field the character belongs to.
    pub field: Field,
    /// The character read.
    pub found: char,
    /// The character it may have been.
    pub replacement: char,
    /// The problems that disappear with the replacement.
    pub resolves: Vec<MrzError>,
}

impl std::fmt::Display for Suggestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, position {}, {}: {:?} may be {:?} (resolves {} problem{})",
            self.line,
            self.column,
            self.field,
            self.found,
            self.replacement,
            self.resolves.len(),
            if self.resolves.len() == 1 { "" } else { "s" }
        )
    }
}

fn partner(b: u8) -> Option<u8> {
    CONFUSIONS.iter().find_map(|&(digit, letter)| {
        if b == digit {
            Some(letter)
        } else if b == letter {
            Some(digit)
        } else {
            None
        }
    })
}

impl Mrz {
    /// Single OCR-confusion replacements that make problems disappear without creating new ones,
    /// e.g. an `O` read in a date whose check digit passes once it is `0`. Empty for a valid zone.
    pub fn suggestions(&self, options: &ParseOptions) -> Vec<Suggestion> {
        let mut out = Vec::new();
        if self.is_valid() {
            return out;
        }
        let width = self.format().line_len();
        let zone = self.zone_bytes().to_vec();
        for (index, &b) in zone.iter().enumerate() {
            let Some(replacement) = partner(b) else { continue };
            let mut candidate = zone.clone();
            candidate[index] = replacement;
            let lines: Vec<&str> = candidate.chunks(width).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
            let Ok(fixed) = Mrz::parse_lines(&lines, options) else { continue };
            let introduces = fixed.errors().iter().any(|e| !self.errors().contains(e));
            let resolves: Vec<MrzError> =
                self.errors().iter().filter(|e| !fixed.errors().contains(e)).cloned().collect();
            if introduces || resolves.is_empty() {
                continue;
            }
            let line = index / width + 1;
            let column = index % width + 1;
            let field = self.format().layout().field_at(line as u8, column as u8).unwrap_or(Field::OptionalData);
            out.push(Suggestion {
                line,
                column,
                field,
                found: char::from(b),
                replacement: char::from(replacement),
                resolves,
            });
        }
        out
    }
}
