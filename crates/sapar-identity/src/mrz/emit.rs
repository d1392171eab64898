//! Writing a machine-readable zone from fields: names transliterated under ICAO 9303 and
//! truncated to the field, every check digit computed.

use jiff::civil::Date;
use sapar_model::{Country, Sex};

use super::check::check_digit_of;
use super::error::EmitError;
use super::layout::{Field, MrzFormat};
use crate::names::{Scheme, to_latin};

/// The fields of a document, to be written as a machine-readable zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzFields {
    pub format: MrzFormat,
    /// One or two letters: `P`, `PK`, `I`, `ID`, `AC`, `V`, ...
    pub document_code: String,
    pub issuing_state: Country,
    /// Letters and digits; up to 9, or longer in TD1 (23) and TD2 (15) through the optional data.
    pub document_number: String,
    pub nationality: Country,
    /// `None` writes an unknown date (`<<<<<<`).
    pub birth_date: Option<Date>,
    pub sex: Sex,
    pub expiry_date: Date,
    /// Any script; romanised under ICAO 9303.
    pub surname: String,
    /// Any script; romanised under ICAO 9303; may be empty.
    pub given_names: String,
    /// TD3: the personal number. Letters, digits and spaces (written `<`).
    pub optional_data: String,
    /// TD1 only: the optional data of line 2.
    pub optional_data_2: String,
}

impl MrzFields {
    /// The fields of a parsed zone, ready to be written again; `None` when a country, the sex or
    /// the expiry date is invalid. Fillers inside optional data become spaces.
    pub fn from_mrz(mrz: &super::Mrz) -> Option<MrzFields> {
        Some(MrzFields {
            format: mrz.format(),
            document_code: mrz.document_code().to_owned(),
            issuing_state: mrz.issuing_state()?,
            document_number: mrz.document_number().to_owned(),
            nationality: mrz.nationality()?,
            birth_date: mrz.birth_date(),
            sex: mrz.sex()?,
            expiry_date: mrz.expiry_date()?,
            surname: mrz.surname(),
            given_names: mrz.given_names(),
            optional_data: mrz.optional_data().replace('<', " "),
            optional_data_2: mrz.optional_data_2().replace('<', " "),
        })
    }
}

/// A written zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmittedMrz {
    /// The lines, each of the format's width.
    pub lines: Vec<String>,
    /// True when the name was cut to fit its field.
    pub name_truncated: bool,
}

impl EmittedMrz {
    /// The lines joined by newlines.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

fn mrz_text(field: Field, value: &str, expected: &'static str) -> Result<Vec<u8>, EmitError> {
    let mut out = Vec::with_capacity(value.len());
    for c in value.trim().chars() {
        match c {
            'A'..='Z' | '0'..='9' | '<' => out.push(c as u8),
            'a'..='z' => out.push(c.to_ascii_uppercase() as u8),
            ' ' => out.push(b'<'),
            _ => return Err(EmitError::InvalidValue { field, found: value.to_owned(), expected }),
        }
    }
    Ok(out)
}

fn country_code(country: Country) -> [u8; 3] {
    let code = country.code().as_bytes();
    if code == b"DEU" {
        return *b"D<<";
    }
    let mut out = [b'<'; 3];
    for (slot, b) in out.iter_mut().zip(code) {
        *slot = *b;
    }
    out
}

fn date_text(date: Option<Date>) -> [u8; 6] {
    let Some(date) = date else { return *b"<<<<<<" };
    let two = |n: i32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let y = two(i32::from(date.year()).rem_euclid(100));
    let m = two(i32::from(date.month()));
    let d = two(i32::from(date.day()));
    [y[0], y[1], m[0], m[1], d[0], d[1]]
}

fn sex_char(sex: Sex) -> u8 {
    match sex {
        Sex::Male => b'M',
        Sex::Female => b'F',
        Sex::Unspecified => b'<',
    }
}

fn name_part(text: &str) -> Vec<u8> {
    let latin = to_latin(text, Scheme::Icao9303);
    let mut out = Vec::with_capacity(latin.len());
    for b in latin.bytes() {
        match b {
            b'A'..=b'Z' => out.push(b),
            b' ' | b'-' if out.last().is_some_and(|&l| l != b'<') => out.push(b'<'),
            _ => {}
        }
    }
    while out.last() == Some(&b'<') {
        out.pop();
    }
    out
}

/// The name field: `SURNAME<<GIVEN<NAMES`, padded or cut to `width`.
fn name_field(surname: &str, given: &str, width: usize) -> Result<(Vec<u8>, bool), EmitError> {
    let mut name = name_part(surname);
    if name.is_empty() {
        return Err(EmitError::EmptySurname);
    }
    let given = name_part(given);
    if !given.is_empty() {
        name.extend_from_slice(b"<<");
        name.extend_from_slice(&given);
    }
    let truncated = name.len() > width;
    name.truncate(width);
    // A cut must not leave a dangling separator that reads as filler.
    if truncated {
        while name.last() == Some(&b'<') {
            name.pop();
        }
    }
    name.resize(width, b'<');
    Ok((name, truncated))
}

fn put(line: &mut [u8], column: usize, bytes: &[u8]) {
    if let Some(slot) = line.get_mut(column - 1..column - 1 + bytes.len()) {
        slot.copy_from_slice(bytes);
    }
}

fn digit(parts: &[&[u8]]) -> u8 {
    b'0' + check_digit_of(parts)
}

fn fit(field: Field, value: &[u8], max: usize, format: MrzFormat) -> Result<(), EmitError> {
    if value.len() > max {
        return Err(EmitError::TooLong { field, found: value.len(), max, format });
    }
    Ok(())
}

/// Writes `fields` as a machine-readable zone of `fields.format`.
pub fn emit(fields: &MrzFields) -> Result<EmittedMrz, EmitError> {
    let format = fields.format;
    let width = format.line_len();
    let code = mrz_text(Field::DocumentCode, &fields.document_code, "one or two letters")?;
    let code_ok = match (format, code.as_slice()) {
        (MrzFormat::Td3, [b'P', rest @ ..]) | (MrzFormat::MrvA | MrzFormat::MrvB, [b'V', rest @ ..]) => {
            rest.len() <= 1 && rest.iter().all(u8::is_ascii_uppercase)
        }
        (MrzFormat::Td1 | MrzFormat::Td2, [b'I' | b'A' | b'C', rest @ ..]) => {
            rest.len() <= 1 && rest.iter().all(u8::is_ascii_uppercase)
        }
        _ => false,
    };
    if !code_ok {
        let expected = match format {
            MrzFormat::Td3 => "P, optionally followed by a letter",
            MrzFormat::MrvA | MrzFormat::MrvB => "V, optionally followed by a letter",
            MrzFormat::Td1 | MrzFormat::Td2 => "I, A or C, optionally followed by a letter",
        };
        return Err(EmitError::InvalidValue {
            field: Field::DocumentCode,
            found: fields.document_code.clone(),
            expected,
        });
    }
    let number = mrz_text(Field::DocumentNumber, &fields.document_number, "letters A-Z and digits")?;
    if number.is_empty() || number.contains(&b'<') {
        return Err(EmitError::InvalidValue {
            field: Field::DocumentNumber,
            found: fields.document_number.clone(),
            expected: "letters A-Z and digits",
        });
    }
    let optional = mrz_text(Field::OptionalData, &fields.optional_data, "letters A-Z, digits and spaces")?;
    let optional_2 = mrz_text(Field::OptionalData2, &fields.optional_data_2, "letters A-Z, digits and spaces")?;
    if format != MrzFormat::Td1 && !optional_2.is_empty() {
        return Err(EmitError::TooLong { field: Field::OptionalData2, found: optional_2.len(), max: 0, format });
    }

    // Document number field, its check digit, and what goes first into the optional data.
    let mut number_field = [b'<'; 9];
    let mut optional_field: Vec<u8> = Vec::new();
    let number_check;
    if number.len() <= 9 {
        number_field[..number.len()].copy_from_slice(&number);
        number_check = digit(&[&number_field]);
    } else {
        let optional_width = match format {
            MrzFormat::Td1 => 15,
            MrzFormat::Td2 => 7,
            _ => 0,
        };
        // The continuation, its check digit, and a filler unless it fills the field.
        fit(Field::DocumentNumber, &number, 9 + optional_width.max(1) - 1, format)?;
        number_field.copy_from_slice(&number[..9]);
        number_check = b'<';
        optional_field.extend_from_slice(&number[9..]);
        optional_field.push(digit(&[&number]));
        if optional_field.len() < optional_width {
            optional_field.push(b'<');
        }
    }
    optional_field.extend_from_slice(&optional);
    let birth = date_text(fields.birth_date);
    let expiry = date_text(Some(fields.expiry_date));
    let issuing = country_code(fields.issuing_state);
    let nationality = country_code(fields.nationality);
    let sex = [sex_char(fields.sex)];
    let mut code_field = [b'<'; 2];
    code_field[..code.len()].copy_from_slice(&code);

    let mut lines: Vec<Vec<u8>> = vec![vec![b'<'; width]; format.line_count()];
    let name_width = match format {
        MrzFormat::Td1 => 30,
        MrzFormat::Td2 | MrzFormat::MrvB => 31,
        MrzFormat::Td3 | MrzFormat::MrvA => 39,
    };
    let (name, name_truncated) = name_field(&fields.surname, &fields.given_names, name_width)?;
    let birth_check = [digit(&[&birth])];
    let expiry_check = [digit(&[&expiry])];
    match format {
        MrzFormat::Td1 => {
            fit(Field::OptionalData, &optional_field, 15, format)?;
            fit(Field::OptionalData2, &optional_2, 11, format)?;
            let mut opt1 = optional_field.clone();
            opt1.resize(15, b'<');
            let mut opt2 = optional_2.clone();
            opt2.resize(11, b'<');
            let (l1, rest) = lines.split_at_mut(1);
            let (l2, l3) = rest.split_at_mut(1);
            let (l1, l2, l3) = (&mut l1[0], &mut l2[0], &mut l3[0]);
            put(l1, 1, &code_field);
            put(l1, 3, &issuing);
            put(l1, 6, &number_field);
            put(l1, 15, &[number_check]);
            put(l1, 16, &opt1);
            put(l2, 1, &birth);
            put(l2, 7, &birth_check);
            put(l2, 8, &sex);
            put(l2, 9, &expiry);
            put(l2, 15, &expiry_check);
            put(l2, 16, &nationality);
            put(l2, 19, &opt2);
            let composite = digit(&[&l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]]);
            put(l2, 30, &[composite]);
            put(l3, 1, &name);
        }
        _ => {
            let optional_width = match format {
                MrzFormat::Td2 => 7,
                MrzFormat::MrvB => 8,
                MrzFormat::Td3 => 14,
                _ => 16,
            };
            if format != MrzFormat::Td2 && number.len() > 9 {
                return Err(EmitError::TooLong { field: Field::DocumentNumber, found: number.len(), max: 9, format });
            }
            fit(Field::OptionalData, &optional_field, optional_width, format)?;
            let mut opt = optional_field.clone();
            opt.resize(optional_width, b'<');
            let (l1, l2) = lines.split_at_mut(1);
            let (l1, l2) = (&mut l1[0], &mut l2[0]);
            put(l1, 1, &code_field);
            put(l1, 3, &issuing);
            put(l1, 6, &name);
            put(l2, 1, &number_field);
            put(l2, 10, &[number_check]);
            put(l2, 11, &nationality);
            put(l2, 14, &birth);
            put(l2, 20, &birth_check);
            put(l2, 21, &sex);
            put(l2, 22, &expiry);
            put(l2, 28, &expiry_check);
            put(l2, 29, &opt);
            match format {
                MrzFormat::Td3 => {
                    put(l2, 43, &[digit(&[&opt])]);
                    let composite = digit(&[&l2[0..10], &l2[13..20], &l2[21..43]]);
                    put(l2, 44, &[composite]);
                }
                MrzFormat::Td2 => {
                    let composite = digit(&[&l2[0..10], &l2[13..20], &l2[21..35]]);
                    put(l2, 36, &[composite]);
                }
                _ => {}
            }
        }
    }
    let lines = lines.into_iter().map(|l| String::from_utf8(l).unwrap_or_default()).collect();
    Ok(EmittedMrz { lines, name_truncated })
}
