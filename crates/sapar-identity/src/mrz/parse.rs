//! Reading a machine-readable zone: layout detection, fields, check digits, dates and countries.
//! Never panics, and allocates nothing for a valid zone.

use jiff::civil::Date;
use sapar_model::{Country, Sex};

use super::check::check_digit_of;
use super::error::MrzError;
use super::layout::{Field, Layout, MrzFormat, Span};

/// Longest zone: TD1, 3 x 30 characters.
const MAX_ZONE: usize = 90;
/// Longest document number: 9 characters plus 14 continued in TD1's optional data.
const MAX_NUMBER: usize = 23;

/// Whether the ICAO specimen code `UTO` (Utopia) is accepted as a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecimenPolicy {
    /// `UTO` is an invalid country (production).
    #[default]
    Reject,
    /// `UTO` is accepted (tests, training, the ICAO specimens).
    Accept,
}

/// How to read dates and country codes. Two-digit years are placed by `today`:
/// a birth date is the latest date of that form not after `today`; an expiry date falls
/// within 50 years before to 49 years after `today`'s year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// The reference date for the century of two-digit years.
    pub today: Date,
    /// Whether `UTO` is accepted.
    pub specimen: SpecimenPolicy,
}

impl ParseOptions {
    /// Options for production use: specimens refused.
    pub fn new(today: Date) -> ParseOptions {
        ParseOptions { today, specimen: SpecimenPolicy::Reject }
    }

    /// The same options with the specimen policy replaced.
    pub fn with_specimen(self, specimen: SpecimenPolicy) -> ParseOptions {
        ParseOptions { specimen, ..self }
    }
}

/// The outcome of one check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckResult {
    /// The check digit's field ([`Field::DocumentNumberCheck`], ..., [`Field::CompositeCheck`]).
    pub field: Field,
    /// 1-based line of the check digit.
    pub line: usize,
    /// 1-based column of the check digit (for a long document number: its position in the
    /// optional data).
    pub column: usize,
    /// The character found.
    pub found: char,
    /// The digit computed from the data.
    pub expected: char,
    /// Whether they agree.
    pub valid: bool,
}

/// A machine-readable zone that has the shape of one of the five formats. Fields may still be
/// invalid: [`Mrz::is_valid`] and [`Mrz::errors`] tell, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    format: MrzFormat,
    zone: [u8; MAX_ZONE],
    number: [u8; MAX_NUMBER],
    number_len: u8,
    /// Where the optional data begins once a long document number's continuation is skipped.
    optional_skip: u8,
    issuing_state: Option<Country>,
    nationality: Option<Country>,
    birth_date: Option<Date>,
    expiry_date: Option<Date>,
    sex: Option<Sex>,
    checks: [Option<CheckResult>; 5],
    errors: Vec<MrzError>,
}

fn trim_filler(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&b| b != b'<').map_or(0, |i| i + 1);
    &bytes[..end]
}

fn ascii(bytes: &[u8]) -> &str {
    // Only validated MRZ bytes (A-Z, 0-9, <) are ever passed here.
    std::str::from_utf8(bytes).unwrap_or("")
}

/// Splits input into lines: newline-separated, surrounding whitespace and blank lines ignored;
/// a single unbroken line of 60, 72, 88 or 90 characters is cut into its lines.
fn split_lines(text: &str) -> Result<([&str; 3], usize), MrzError> {
    let mut lines = [""; 3];
    let mut count = 0usize;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if count < 3 {
            lines[count] = line;
        }
        count += 1;
    }
    if count == 0 {
        return Err(MrzError::Empty);
    }
    if count > 3 {
        return Err(MrzError::LineCount { found: count });
    }
    if count == 1 && lines[0].is_ascii() {
        let whole = lines[0];
        let width = match whole.len() {
            90 => 30,
            72 => 36,
            88 => 44,
            _ => return Err(MrzError::LineCount { found: 1 }),
        };
        let n = whole.len() / width;
        for (i, slot) in lines.iter_mut().enumerate().take(n) {
            *slot = whole.get(i * width..(i + 1) * width).unwrap_or("");
        }
        return Ok((lines, n));
    }
    Ok((lines, count))
}

fn detect_format(lines: &[&str], count: usize) -> Result<MrzFormat, MrzError> {
    let char_len = |line: &str| if line.is_ascii() { line.len() } else { line.chars().count() };
    let first_len = char_len(lines[0]);
    let format = match (count, first_len) {
        (3, 30) => MrzFormat::Td1,
        (2, 44) if lines[0].starts_with('V') => MrzFormat::MrvA,
        (2, 44) => MrzFormat::Td3,
        (2, 36) if lines[0].starts_with('V') => MrzFormat::MrvB,
        (2, 36) => MrzFormat::Td2,
        (2 | 3, 30 | 36 | 44) => return Err(MrzError::LineCount { found: count }),
        (_, found) => return Err(MrzError::UnknownLength { found }),
    };
    for (i, line) in lines.iter().enumerate().take(count) {
        let found = char_len(line);
        if found != format.line_len() {
            return Err(MrzError::LineLength { line: i + 1, expected: format.line_len(), found });
        }
    }
    Ok(format)
}

fn valid_date(year: i16, month: i8, day: i8) -> Option<Date> {
    Date::new(year, month, day).ok()
}

/// Birth dates: the latest matching date not after today.
fn birth_date(yy: i16, month: i8, day: i8, today: Date) -> Option<Date> {
    let century = today.year() - today.year().rem_euclid(100);
    let this = valid_date(century + yy, month, day).filter(|d| *d <= today);
    this.or_else(|| valid_date(century - 100 + yy, month, day))
}

/// Expiry dates: within 50 years before to 49 years after today's year.
fn expiry_date(yy: i16, month: i8, day: i8, today: Date) -> Option<Date> {
    let century = today.year() - today.year().rem_euclid(100);
    let mut year = century + yy;
    if year > today.year() + 49 {
        year -= 100;
    } else if year < today.year() - 50 {
        year += 100;
    }
    valid_date(year, month, day)
}

fn digits2(bytes: &[u8]) -> Option<i8> {
    match bytes {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(((a - b'0') * 10 + (b - b'0')) as i8),
        _ => None,
    }
}

/// Entries of the per-thread memo of recently parsed country codes.
const COUNTRY_MEMO: usize = 32;

/// A successfully parsed code and the policy it was parsed under.
type MemoEntry = Option<([u8; 3], SpecimenPolicy, Country)>;

thread_local! {
    /// Country codes repeat across a batch of documents; the memo spares the table lookup,
    /// which would otherwise be a third of the parse time.
    static COUNTRIES: std::cell::RefCell<[MemoEntry; COUNTRY_MEMO]> =
        const { std::cell::RefCell::new([None; COUNTRY_MEMO]) };
}

fn parse_country(text: &str, policy: SpecimenPolicy) -> Result<Country, sapar_model::CountryError> {
    let key: [u8; 3] = match text.as_bytes() {
        [a, b, c] => [*a, *b, *c],
        _ => [0; 3],
    };
    let slot = (usize::from(key[0]) * 31 + usize::from(key[1]) * 7 + usize::from(key[2])) % COUNTRY_MEMO;
    let cached = COUNTRIES.with(|memo| memo.try_borrow().ok().and_then(|m| m[slot]));
    if let Some((k, p, country)) = cached
        && k == key
        && p == policy
    {
        return Ok(country);
    }
    let parsed = match policy {
        SpecimenPolicy::Reject => Country::parse(text),
        SpecimenPolicy::Accept => Country::parse_allowing_specimen(text),
    };
    if let Ok(country) = parsed {
        COUNTRIES.with(|memo| {
            if let Ok(mut m) = memo.try_borrow_mut() {
                m[slot] = Some((key, policy, country));
            }
        });
    }
    parsed
}

impl Mrz {
    /// Parses a zone of 2 or 3 lines (one string, newline-separated).
    pub fn parse(text: &str, options: &ParseOptions) -> Result<Mrz, MrzError> {
        let (lines, count) = split_lines(text)?;
        Mrz::parse_lines(&lines[..count], options)
    }

    /// Parses a zone given as separate lines.
    pub fn parse_lines(lines: &[&str], options: &ParseOptions) -> Result<Mrz, MrzError> {
        if lines.is_empty() {
            return Err(MrzError::Empty);
        }
        if !(2..=3).contains(&lines.len()) {
            return Err(MrzError::LineCount { found: lines.len() });
        }
        let format = detect_format(lines, lines.len())?;
        let mut zone = [b'<'; MAX_ZONE];
        let width = format.line_len();
        for (i, line) in lines.iter().enumerate() {
            let bytes = line.as_bytes();
            let row = zone.get_mut(i * width..(i + 1) * width).unwrap_or(&mut []);
            if bytes.len() == row.len() && bytes.iter().all(|&b| matches!(b, b'A'..=b'Z' | b'0'..=b'9' | b'<')) {
                row.copy_from_slice(bytes);
                continue;
            }
            for (j, c) in line.chars().enumerate() {
                if !matches!(c, 'A'..='Z' | '0'..='9' | '<') {
                    return Err(MrzError::InvalidCharacter { line: i + 1, column: j + 1, found: c });
                }
                // Lengths were checked, so the index is inside the zone.
                if let Some(slot) = zone.get_mut(i * width + j) {
                    *slot = c as u8;
                }
            }
        }
        let mut mrz = Mrz {
            format,
            zone,
            number: [b'<'; MAX_NUMBER],
            number_len: 0,
            optional_skip: 0,
            issuing_state: None,
            nationality: None,
            birth_date: None,
            expiry_date: None,
            sex: None,
            checks: [None; 5],
            errors: Vec::new(),
        };
        mrz.read_fields(options);
        Ok(mrz)
    }

    fn layout(&self) -> &'static Layout {
        self.format.layout()
    }

    fn bytes(&self, span: Span) -> &[u8] {
        let start = (usize::from(span.line) - 1) * self.format.line_len() + usize::from(span.column) - 1;
        self.zone.get(start..start + usize::from(span.len)).unwrap_or(&[])
    }

    fn field_bytes(&self, field: Field) -> &[u8] {
        self.layout().span(field).map_or(&[], |s| self.bytes(s))
    }

    fn read_fields(&mut self, options: &ParseOptions) {
        let layout = self.layout();
        self.read_document_code(layout);
        self.issuing_state = self.read_country(Field::IssuingState, options);
        self.nationality = self.read_country(Field::Nationality, options);
        self.read_sex(layout);
        self.read_name(layout);
        let mut slot = 0;
        if let Some(check) = self.read_document_number(layout) {
            self.checks[slot] = Some(check);
            slot += 1;
        }
        for (date, check) in [(Field::BirthDate, Field::BirthDateCheck), (Field::ExpiryDate, Field::ExpiryDateCheck)] {
            let value = self.read_date(date, options);
            match date {
                Field::BirthDate => self.birth_date = value,
                _ => self.expiry_date = value,
            }
            if let Some(result) = self.simple_check(date, check) {
                self.checks[slot] = Some(result);
                slot += 1;
            }
        }
        if let Some(result) = self.simple_check(Field::OptionalData, Field::OptionalDataCheck) {
            self.checks[slot] = Some(result);
            slot += 1;
        }
        if let Some(result) = self.composite_check(layout) {
            self.checks[slot] = Some(result);
        }
        let failed: Vec<MrzError> = self
            .checks
            .iter()
            .flatten()
            .filter(|c| !c.valid)
            .map(|c| MrzError::CheckDigit {
                field: c.field,
                line: c.line,
                column: c.column,
                found: c.found,
                expected: c.expected,
            })
            .collect();
        self.errors.extend(failed);
    }

    fn read_document_code(&mut self, layout: &Layout) {
        let Some(span) = layout.span(Field::DocumentCode) else { return };
        let code = self.bytes(span);
        let (first, second) = match code {
            [a, b] => (*a, *b),
            _ => return,
        };
        let (allowed, expected): (&[u8], &'static str) = match self.format {
            MrzFormat::Td3 => (b"P", "P followed by a letter or <"),
            MrzFormat::MrvA | MrzFormat::MrvB => (b"V", "V followed by a letter or <"),
            MrzFormat::Td1 | MrzFormat::Td2 => (b"IAC", "I, A or C followed by a letter or <"),
        };
        let first_ok = allowed.contains(&first);
        let second_ok = second.is_ascii_uppercase() || second == b'<';
        if !first_ok || !second_ok {
            let found = ascii(code).to_owned();
            self.errors.push(MrzError::InvalidDocumentCode {
                line: usize::from(span.line),
                column: usize::from(span.column) + usize::from(first_ok),
                found,
                format: self.format,
                expected,
            });
        }
    }

    fn read_country(&mut self, field: Field, options: &ParseOptions) -> Option<Country> {
        let span = self.layout().span(field)?;
        let raw = self.bytes(span);
        let code = trim_filler(raw);
        // Germany keeps its one-letter code D in machine-readable zones.
        let text = if code == b"D" { "DEU" } else { ascii(raw) };
        let parsed = parse_country(text, options.specimen);
        match parsed {
            Ok(country) => Some(country),
            Err(reason) => {
                self.errors.push(MrzError::InvalidCountry {
                    field,
                    line: usize::from(span.line),
                    column: usize::from(span.column),
                    reason,
                });
                None
            }
        }
    }

    fn read_sex(&mut self, layout: &Layout) {
        let Some(span) = layout.span(Field::Sex) else { return };
        let found = self.bytes(span).first().copied().unwrap_or(b'<');
        self.sex = match found {
            b'M' => Some(Sex::Male),
            b'F' => Some(Sex::Female),
            b'X' | b'<' => Some(Sex::Unspecified),
            _ => {
                self.errors.push(MrzError::InvalidSex {
                    line: usize::from(span.line),
                    column: usize::from(span.column),
                    found: char::from(found),
                });
                None
            }
        };
    }

    fn read_name(&mut self, layout: &Layout) {
        let Some(span) = layout.span(Field::Name) else { return };
        if self.bytes(span).first().is_none_or(|&b| b == b'<') {
            self.errors.push(MrzError::EmptyName { line: usize::from(span.line), column: usize::from(span.column) });
        }
        if let Some(i) = self.bytes(span).iter().position(u8::is_ascii_digit) {
            let found = char::from(self.bytes(span)[i]);
            self.errors.push(MrzError::InvalidName {
                line: usize::from(span.line),
                column: usize::from(span.column) + i,
                found,
            });
        }
    }

    fn read_date(&mut self, field: Field, options: &ParseOptions) -> Option<Date> {
        let span = self.layout().span(field)?;
        let raw = self.bytes(span);
        let digits = raw.iter().all(u8::is_ascii_digit);
        // Doc 9303 Part 3 lets an issuer fill unknown parts of a birth date with <.
        let unknown_allowed = field == Field::BirthDate && raw.iter().all(|b| b.is_ascii_digit() || *b == b'<');
        if !digits && unknown_allowed {
            return None;
        }
        let parts = (raw.get(0..2).and_then(digits2), raw.get(2..4).and_then(digits2), raw.get(4..6).and_then(digits2));
        let date = match parts {
            (Some(yy), Some(mm), Some(dd)) => match field {
                Field::BirthDate => birth_date(i16::from(yy), mm, dd, options.today),
                _ => expiry_date(i16::from(yy), mm, dd, options.today),
            },
            _ => None,
        };
        if date.is_none() {
            let found = ascii(raw).to_owned();
            self.errors.push(MrzError::InvalidDate {
                field,
                line: usize::from(span.line),
                column: usize::from(span.column),
                found,
            });
        }
        date
    }

    fn check_result(field: Field, span: Span, found: u8, expected: u8) -> CheckResult {
        CheckResult {
            field,
            line: usize::from(span.line),
            column: usize::from(span.column),
            found: char::from(found),
            expected: char::from(b'0' + expected),
            valid: found == b'0' + expected,
        }
    }

    fn simple_check(&self, field: Field, check: Field) -> Option<CheckResult> {
        let layout = self.layout();
        let data = layout.span(field)?;
        let at = layout.span(check)?;
        let found = self.bytes(at).first().copied().unwrap_or(b'<');
        let expected = check_digit_of(&[self.bytes(data)]);
        let mut result = Mrz::check_result(check, at, found, expected);
        // An empty personal number may carry < instead of 0 as its check digit.
        if check == Field::OptionalDataCheck && found == b'<' && trim_filler(self.bytes(data)).is_empty() {
            result.valid = true;
        }
        Some(result)
    }

    fn read_document_number(&mut self, layout: &Layout) -> Option<CheckResult> {
        let span = layout.span(Field::DocumentNumber)?;
        let at = layout.span(Field::DocumentNumberCheck)?;
        let mut field_buf = [b'<'; 9];
        let field_src = self.bytes(span);
        let field_len = field_src.len().min(field_buf.len());
        field_buf[..field_len].copy_from_slice(&field_src[..field_len]);
        let field = &field_buf[..field_len];
        let found = self.bytes(at).first().copied().unwrap_or(b'<');
        let mut number = [b'<'; MAX_NUMBER];
        let principal = trim_filler(field);
        if principal.is_empty() {
            self.errors
                .push(MrzError::EmptyDocumentNumber { line: usize::from(span.line), column: usize::from(span.column) });
        }
        let long = layout.long_number && found == b'<' && principal.len() == field.len();
        if !long {
            number[..principal.len()].copy_from_slice(principal);
            self.number = number;
            self.number_len = principal.len() as u8;
            let expected = check_digit_of(&[field]);
            return Some(Mrz::check_result(Field::DocumentNumberCheck, at, found, expected));
        }
        // Long number: the optional data holds the rest of the number, then its check digit, then <.
        let optional = layout.span(Field::OptionalData)?;
        let mut data_buf = [b'<'; 16];
        let data_src = self.bytes(optional);
        let data_len = data_src.len().min(data_buf.len());
        data_buf[..data_len].copy_from_slice(&data_src[..data_len]);
        let data = &data_buf[..data_len];
        let end = data.iter().position(|&b| b == b'<').unwrap_or(data.len());
        if end < 2 {
            self.errors.push(MrzError::MalformedLongNumber {
                line: usize::from(optional.line),
                column: usize::from(optional.column),
            });
            let expected = check_digit_of(&[field]);
            return Some(Mrz::check_result(Field::DocumentNumberCheck, at, found, expected));
        }
        let rest = &data[..end - 1];
        let digit = data[end - 1];
        let total = field.len() + rest.len();
        number[..field.len()].copy_from_slice(field);
        number[field.len()..total].copy_from_slice(rest);
        self.number = number;
        self.number_len = total as u8;
        self.optional_skip = end as u8;
        let expected = check_digit_of(&[field, rest]);
        let digit_at = Span { line: optional.line, column: optional.column + (end as u8) - 1, len: 1 };
        Some(Mrz::check_result(Field::DocumentNumberCheck, digit_at, digit, expected))
    }

    fn composite_check(&self, layout: &Layout) -> Option<CheckResult> {
        let at = layout.span(Field::CompositeCheck)?;
        let mut parts: [&[u8]; 4] = [&[]; 4];
        for (slot, span) in parts.iter_mut().zip(layout.composite) {
            *slot = self.bytes(*span);
        }
        let found = self.bytes(at).first().copied().unwrap_or(b'<');
        Some(Mrz::check_result(Field::CompositeCheck, at, found, check_digit_of(&parts)))
    }

    /// The format read.
    pub fn format(&self) -> MrzFormat {
        self.format
    }

    /// The zone's lines as read.
    pub fn lines(&self) -> impl Iterator<Item = &str> + '_ {
        let width = self.format.line_len();
        (0..self.format.line_count()).map(move |i| ascii(self.zone.get(i * width..(i + 1) * width).unwrap_or(&[])))
    }

    /// The document code without filler: `P`, `PK`, `I`, `ID`, `V`, ...
    pub fn document_code(&self) -> &str {
        ascii(trim_filler(self.field_bytes(Field::DocumentCode)))
    }

    /// The document type the code stands for.
    pub fn document_type(&self) -> sapar_model::DocumentType {
        use sapar_model::DocumentType;
        match self.field_bytes(Field::DocumentCode) {
            [b'P', ..] => DocumentType::Passport,
            [b'I' | b'A' | b'C', b'R'] => DocumentType::ResidencePermit,
            [b'I' | b'A' | b'C', ..] => DocumentType::IdCard,
            _ => DocumentType::Other,
        }
    }

    /// The issuing state, when its code is valid.
    pub fn issuing_state(&self) -> Option<Country> {
        self.issuing_state
    }

    /// The issuing state's code as printed, filler removed (`D` for Germany).
    pub fn issuing_state_code(&self) -> &str {
        ascii(trim_filler(self.field_bytes(Field::IssuingState)))
    }

    /// The holder's nationality, when its code is valid.
    pub fn nationality(&self) -> Option<Country> {
        self.nationality
    }

    /// The nationality's code as printed, filler removed.
    pub fn nationality_code(&self) -> &str {
        ascii(trim_filler(self.field_bytes(Field::Nationality)))
    }

    /// The full document number, a long TD1/TD2 number included.
    pub fn document_number(&self) -> &str {
        ascii(self.number.get(..usize::from(self.number_len)).unwrap_or(&[]))
    }

    /// Date of birth; `None` when invalid or (partly) unknown.
    pub fn birth_date(&self) -> Option<Date> {
        self.birth_date
    }

    /// Date of expiry; `None` when invalid.
    pub fn expiry_date(&self) -> Option<Date> {
        self.expiry_date
    }

    /// Sex; `None` when the character is not M, F, X or <.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    fn name_field(&self) -> &[u8] {
        self.field_bytes(Field::Name)
    }

    /// The primary identifier with `<` between its parts, as printed.
    pub fn surname_raw(&self) -> &str {
        let name = self.name_field();
        let end = name.windows(2).position(|w| w == b"<<").unwrap_or(name.len());
        ascii(trim_filler(&name[..end]))
    }

    /// The secondary identifier with `<` between its parts, as printed.
    pub fn given_names_raw(&self) -> &str {
        let name = self.name_field();
        match name.windows(2).position(|w| w == b"<<") {
            Some(i) => {
                let rest = &name[i + 2..];
                let start = rest.iter().position(|&b| b != b'<').unwrap_or(rest.len());
                ascii(trim_filler(&rest[start..]))
            }
            None => "",
        }
    }

    /// The surname, parts separated by spaces.
    pub fn surname(&self) -> String {
        self.surname_raw().split('<').filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
    }

    /// The given names, separated by spaces.
    pub fn given_names(&self) -> String {
        self.given_names_raw().split('<').filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
    }

    /// True when the name fills its field to the last character, so it was probably truncated.
    pub fn name_truncated(&self) -> bool {
        self.name_field().last().is_some_and(|&b| b != b'<')
    }

    /// The optional data (TD3: the personal number), filler removed; after a long document
    /// number's continuation in TD1 and TD2.
    pub fn optional_data(&self) -> &str {
        let data = self.field_bytes(Field::OptionalData);
        let rest = data.get(usize::from(self.optional_skip)..).unwrap_or(&[]);
        let start = rest.iter().position(|&b| b != b'<').unwrap_or(rest.len());
        ascii(trim_filler(&rest[start..]))
    }

    /// TD1's second optional data field (line 2), filler removed; empty for other formats.
    pub fn optional_data_2(&self) -> &str {
        ascii(trim_filler(self.field_bytes(Field::OptionalData2)))
    }

    /// Every check digit of the format, in zone order, each with its outcome.
    pub fn checks(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().flatten()
    }

    /// The outcome of one check digit, if the format has it.
    pub fn check(&self, field: Field) -> Option<&CheckResult> {
        self.checks().find(|c| c.field == field)
    }

    /// Every problem found, in zone order of discovery.
    pub fn errors(&self) -> &[MrzError] {
        &self.errors
    }

    /// True when every field is well-formed and every check digit agrees.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// True when the document expired before `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expiry_date.is_some_and(|d| d < today)
    }

    pub(crate) fn zone_bytes(&self) -> &[u8] {
        let len = self.format.line_len() * self.format.line_count();
        self.zone.get(..len).unwrap_or(&[])
    }
}
