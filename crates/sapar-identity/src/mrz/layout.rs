//! Where each field sits in each MRZ format (ICAO Doc 9303 Parts 4-7), 1-based as in the standard.

/// The five machine-readable zone formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MrzFormat {
    /// Identity card, 3 lines of 30 (Doc 9303 Part 5).
    Td1,
    /// Identity card or travel document, 2 lines of 36 (Part 6).
    Td2,
    /// Passport, 2 lines of 44 (Part 4).
    Td3,
    /// Visa, 2 lines of 44 (Part 7).
    MrvA,
    /// Visa, 2 lines of 36 (Part 7).
    MrvB,
}

impl MrzFormat {
    /// Every format.
    pub const ALL: [MrzFormat; 5] = [MrzFormat::Td1, MrzFormat::Td2, MrzFormat::Td3, MrzFormat::MrvA, MrzFormat::MrvB];

    /// Stable identifier: `td1`, `td2`, `td3`, `mrv_a`, `mrv_b`.
    pub fn as_str(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "td1",
            MrzFormat::Td2 => "td2",
            MrzFormat::Td3 => "td3",
            MrzFormat::MrvA => "mrv_a",
            MrzFormat::MrvB => "mrv_b",
        }
    }

    /// Parses the identifier returned by [`MrzFormat::as_str`] (also `mrva`, `mrv-a`, upper case).
    pub fn parse(s: &str) -> Option<MrzFormat> {
        let lower = s.to_ascii_lowercase().replace('-', "_");
        match lower.as_str() {
            "td1" => Some(MrzFormat::Td1),
            "td2" => Some(MrzFormat::Td2),
            "td3" => Some(MrzFormat::Td3),
            "mrv_a" | "mrva" => Some(MrzFormat::MrvA),
            "mrv_b" | "mrvb" => Some(MrzFormat::MrvB),
            _ => None,
        }
    }

    /// Number of lines.
    pub fn line_count(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            _ => 2,
        }
    }

    /// Characters per line.
    pub fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 | MrzFormat::MrvB => 36,
            MrzFormat::Td3 | MrzFormat::MrvA => 44,
        }
    }

    pub(crate) fn layout(self) -> &'static Layout {
        match self {
            MrzFormat::Td1 => &TD1,
            MrzFormat::Td2 => &TD2,
            MrzFormat::Td3 => &TD3,
            MrzFormat::MrvA => &MRV_A,
            MrzFormat::MrvB => &MRV_B,
        }
    }
}

impl std::fmt::Display for MrzFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field of the machine-readable zone, check digits included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    DocumentCode,
    IssuingState,
    Name,
    DocumentNumber,
    DocumentNumberCheck,
    Nationality,
    BirthDate,
    BirthDateCheck,
    Sex,
    ExpiryDate,
    ExpiryDateCheck,
    /// TD1 line 1 optional data, TD2/MRV optional data, TD3 personal number.
    OptionalData,
    /// TD3 personal number check digit.
    OptionalDataCheck,
    /// TD1 line 2 optional data.
    OptionalData2,
    CompositeCheck,
}

impl Field {
    /// Stable snake_case identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::DocumentCode => "document_code",
            Field::IssuingState => "issuing_state",
            Field::Name => "name",
            Field::DocumentNumber => "document_number",
            Field::DocumentNumberCheck => "document_number_check_digit",
            Field::Nationality => "nationality",
            Field::BirthDate => "birth_date",
            Field::BirthDateCheck => "birth_date_check_digit",
            Field::Sex => "sex",
            Field::ExpiryDate => "expiry_date",
            Field::ExpiryDateCheck => "expiry_date_check_digit",
            Field::OptionalData => "optional_data",
            Field::OptionalDataCheck => "optional_data_check_digit",
            Field::OptionalData2 => "optional_data_2",
            Field::CompositeCheck => "composite_check_digit",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field's place: 1-based line, 1-based first column, length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) line: u8,
    pub(crate) column: u8,
    pub(crate) len: u8,
}

const fn span(line: u8, column: u8, len: u8) -> Span {
    Span { line, column, len }
}

pub(crate) struct Layout {
    pub(crate) fields: &'static [(Field, Span)],
    /// Ranges the composite check digit covers, in order; empty for visas.
    pub(crate) composite: &'static [Span],
    /// Whether a long document number may continue in the optional data (TD1, TD2).
    pub(crate) long_number: bool,
}

impl Layout {
    pub(crate) fn span(&self, field: Field) -> Option<Span> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, s)| *s)
    }

    /// The field covering a 1-based position.
    pub(crate) fn field_at(&self, line: u8, column: u8) -> Option<Field> {
        self.fields
            .iter()
            .find(|(_, s)| s.line == line && (s.column..s.column + s.len).contains(&column))
            .map(|(f, _)| *f)
    }
}

static TD1: Layout = Layout {
    fields: &[
        (Field::DocumentCode, span(1, 1, 2)),
        (Field::IssuingState, span(1, 3, 3)),
        (Field::DocumentNumber, span(1, 6, 9)),
        (Field::DocumentNumberCheck, span(1, 15, 1)),
        (Field::OptionalData, span(1, 16, 15)),
        (Field::BirthDate, span(2, 1, 6)),
        (Field::BirthDateCheck, span(2, 7, 1)),
        (Field::Sex, span(2, 8, 1)),
        (Field::ExpiryDate, span(2, 9, 6)),
        (Field::ExpiryDateCheck, span(2, 15, 1)),
        (Field::Nationality, span(2, 16, 3)),
        (Field::OptionalData2, span(2, 19, 11)),
        (Field::CompositeCheck, span(2, 30, 1)),
        (Field::Name, span(3, 1, 30)),
    ],
    composite: &[span(1, 6, 25), span(2, 1, 7), span(2, 9, 7), span(2, 19, 11)],
    long_number: true,
};

static TD2: Layout = Layout {
    fields: &[
        (Field::DocumentCode, span(1, 1, 2)),
        (Field::IssuingState, span(1, 3, 3)),
        (Field::Name, span(1, 6, 31)),
        (Field::DocumentNumber, span(2, 1, 9)),
        (Field::DocumentNumberCheck, span(2, 10, 1)),
        (Field::Nationality, span(2, 11, 3)),
        (Field::BirthDate, span(2, 14, 6)),
        (Field::BirthDateCheck, span(2, 20, 1)),
        (Field::Sex, span(2, 21, 1)),
        (Field::ExpiryDate, span(2, 22, 6)),
        (Field::ExpiryDateCheck, span(2, 28, 1)),
        (Field::OptionalData, span(2, 29, 7)),
        (Field::CompositeCheck, span(2, 36, 1)),
    ],
    composite: &[span(2, 1, 10), span(2, 14, 7), span(2, 22, 14)],
    long_number: true,
};

static TD3: Layout = Layout {
    fields: &[
        (Field::DocumentCode, span(1, 1, 2)),
        (Field::IssuingState, span(1, 3, 3)),
        (Field::Name, span(1, 6, 39)),
        (Field::DocumentNumber, span(2, 1, 9)),
        (Field::DocumentNumberCheck, span(2, 10, 1)),
        (Field::Nationality, span(2, 11, 3)),
        (Field::BirthDate, span(2, 14, 6)),
        (Field::BirthDateCheck, span(2, 20, 1)),
        (Field::Sex, span(2, 21, 1)),
        (Field::ExpiryDate, span(2, 22, 6)),
        (Field::ExpiryDateCheck, span(2, 28, 1)),
        (Field::OptionalData, span(2, 29, 14)),
        (Field::OptionalDataCheck, span(2, 43, 1)),
        (Field::CompositeCheck, span(2, 44, 1)),
    ],
    composite: &[span(2, 1, 10), span(2, 14, 7), span(2, 22, 22)],
    long_number: false,
};

static MRV_A: Layout = Layout {
    fields: &[
        (Field::DocumentCode, span(1, 1, 2)),
        (Field::IssuingState, span(1, 3, 3)),
        (Field::Name, span(1, 6, 39)),
        (Field::DocumentNumber, span(2, 1, 9)),
        (Field::DocumentNumberCheck, span(2, 10, 1)),
        (Field::Nationality, span(2, 11, 3)),
        (Field::BirthDate, span(2, 14, 6)),
        (Field::BirthDateCheck, span(2, 20, 1)),
        (Field::Sex, span(2, 21, 1)),
        (Field::ExpiryDate, span(2, 22, 6)),
        (Field::ExpiryDateCheck, span(2, 28, 1)),
        (Field::OptionalData, span(2, 29, 16)),
    ],
    composite: &[],
    long_number: false,
};

static MRV_B: Layout = Layout {
    fields: &[
        (Field::DocumentCode, span(1, 1, 2)),
        (Field::IssuingState, span(1, 3, 3)),
        (Field::Name, span(1, 6, 31)),
        (Field::DocumentNumber, span(2, 1, 9)),
        (Field::DocumentNumberCheck, span(2, 10, 1)),
        (Field::Nationality, span(2, 11, 3)),
        (Field::BirthDate, span(2, 14, 6)),
        (Field::BirthDateCheck, span(2, 20, 1)),
        (Field::Sex, span(2, 21, 1)),
        (Field::ExpiryDate, span(2, 22, 6)),
        (Field::ExpiryDateCheck, span(2, 28, 1)),
        (Field::OptionalData, span(2, 29, 8)),
    ],
    composite: &[],
    long_number: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_tile_every_line_exactly() {
        for format in MrzFormat::ALL {
            let layout = format.layout();
            for line in 1..=format.line_count() {
                let mut covered = vec![0u8; format.line_len()];
                for (_, s) in layout.fields.iter().filter(|(_, s)| usize::from(s.line) == line) {
                    for c in s.column..s.column + s.len {
                        covered[usize::from(c) - 1] += 1;
                    }
                }
                assert!(covered.iter().all(|&n| n == 1), "{format} line {line}: {covered:?}");
            }
        }
    }
}
