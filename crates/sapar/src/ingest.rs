//! The import pipeline shared by `sapar import`, `sapar demo` and `sapar bench ingest`: a reader
//! thread parses and validates rows (CSV or JSON Lines) into batches; the caller's task stores each
//! batch in one transaction. Rows that fail are handed to the caller with their line number and
//! reason as each batch is stored; good rows are stored. Re-importing a file is harmless: stored
//! ids are recognised as replays. No line is held beyond `max_record_bytes`, and a stray quote
//! costs one row (see `records`).

mod records;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Read};

use jiff::Timestamp;
use sapar_http::CrossingBody;
use sapar_model::{RawCrossing, RawName};
use sapar_register::crossings::ImportRefusal;
use sapar_register::{Actor, Register};
use sapar_store::{RecordCrossing, RegisterRejection};
use uuid::Uuid;

/// Rows per transaction: large enough to amortise commits, small enough to bound memory.
pub(crate) const BATCH_ROWS: usize = 16_384;

/// The file formats the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Comma-separated values with a header row naming the columns.
    Csv,
    /// One JSON object per line, shaped like the body of `POST /api/v1/crossings`.
    Jsonl,
}

/// How the bytes of the file are read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Encoding {
    /// UTF-8 (a byte-order mark is skipped).
    #[default]
    #[value(name = "utf-8")]
    Utf8,
    /// Windows-1251 (Cyrillic), as older spreadsheets and registers export it.
    #[value(name = "windows-1251")]
    Windows1251,
}

/// The default longest line (CSV: record) the importer reads: 64 KiB, far above any real row.
pub(crate) const DEFAULT_MAX_RECORD_BYTES: usize = 64 * 1024;

/// How to read an input file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadOptions {
    pub(crate) format: Format,
    pub(crate) encoding: Encoding,
    /// Lines (CSV: records) longer than this are rejected as `record_too_long` and skipped.
    pub(crate) max_record_bytes: usize,
}

impl ReadOptions {
    pub(crate) fn new(format: Format) -> ReadOptions {
        ReadOptions { format, encoding: Encoding::Utf8, max_record_bytes: DEFAULT_MAX_RECORD_BYTES }
    }
}

/// The reject codes the reader gives, before a row reaches validation. Validation gives the API's
/// field codes (`invalid_date`, `unknown_country`, …), and the register `REGISTER_CODES`.
/// `docs/import.md` lists each one (a test keeps it in step).
#[cfg(test)]
pub(crate) const READER_CODES: &[&str] = &[
    "record_too_long",
    "unterminated_quote",
    "wrong_field_count",
    "invalid_utf8",
    "malformed_json",
    "invalid_body",
    "truncated_line",
    "duplicate_id",
];

/// The reject codes of the register's rules, given when a batch is stored.
#[cfg(test)]
pub(crate) const REGISTER_CODES: &[&str] = &["exit_without_entry", "idempotency_conflict", "unknown_crossing_point"];

/// A remark about the whole file, given once however many rows it concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Hint {
    /// The first line that gave rise to it.
    pub(crate) line: u64,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

/// A row that was not stored, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Reject {
    pub(crate) line: u64,
    pub(crate) field: String,
    pub(crate) code: String,
    pub(crate) message: String,
}

/// A problem with the whole file rather than a row: nothing is stored.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileError {
    #[error("the file is UTF-16 encoded; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")]
    Utf16,
    #[error("the header row is missing or empty")]
    NoHeader,
    #[error("header line is not valid UTF-8 (for a Windows-1251 file, pass --encoding windows-1251)")]
    HeaderEncoding,
    #[error("the header line is longer than {0} bytes (--max-record-bytes)")]
    HeaderTooLong(usize),
    #[error("the header line has an unterminated quote")]
    HeaderQuote,
    #[error("unknown column {0:?}; known columns: {known}", known = CSV_COLUMNS.join(", "))]
    UnknownColumn(String),
    #[error("column {0:?} appears twice")]
    DuplicateColumn(String),
    #[error("required column {0:?} is missing")]
    MissingColumn(&'static str),
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Every column the importer knows: the structured ones, in the order `sapar` writes them, then
/// `mrz` (a scanned zone that can stand in for the document and Latin-name columns).
pub(crate) const CSV_COLUMNS: &[&str] = &[
    "id",
    "direction",
    "at",
    "crossing_point",
    "purpose",
    "document_type",
    "document_number",
    "issuing_state",
    "document_expiry",
    "surname",
    "given_names",
    "patronymic",
    "surname_latin",
    "given_names_latin",
    "patronymic_latin",
    "sex",
    "birth_date",
    "citizenship",
    "mrz",
    "outcome",
    "refusal_ground",
    "refusal_note",
];

/// Positions in [`CSV_COLUMNS`], so that reading a row needs no name lookups.
mod column {
    pub(super) const ID: usize = 0;
    pub(super) const DIRECTION: usize = 1;
    pub(super) const AT: usize = 2;
    pub(super) const CROSSING_POINT: usize = 3;
    pub(super) const PURPOSE: usize = 4;
    pub(super) const DOCUMENT_TYPE: usize = 5;
    pub(super) const DOCUMENT_NUMBER: usize = 6;
    pub(super) const ISSUING_STATE: usize = 7;
    pub(super) const DOCUMENT_EXPIRY: usize = 8;
    pub(super) const SURNAME: usize = 9;
    pub(super) const GIVEN_NAMES: usize = 10;
    pub(super) const PATRONYMIC: usize = 11;
    pub(super) const SURNAME_LATIN: usize = 12;
    pub(super) const GIVEN_NAMES_LATIN: usize = 13;
    pub(super) const PATRONYMIC_LATIN: usize = 14;
    pub(super) const SEX: usize = 15;
    pub(super) const BIRTH_DATE: usize = 16;
    pub(super) const CITIZENSHIP: usize = 17;
    pub(super) const MRZ: usize = 18;
    pub(super) const OUTCOME: usize = 19;
    pub(super) const REFUSAL_GROUND: usize = 20;
    pub(super) const REFUSAL_NOTE: usize = 21;
}

/// The structured columns (those before `mrz`): what generated samples carry.
pub(crate) const STRUCTURED_COLUMNS: &[&str] = CSV_COLUMNS.split_at(column::MRZ).0;

const REQUIRED_COLUMNS: &[&str] = &["id", "direction", "at", "crossing_point", "purpose"];
/// Required unless an `mrz` column supplies them.
const DOCUMENT_COLUMNS: &[&str] = &["document_type", "document_number", "issuing_state", "citizenship"];

/// One batch of validated rows with their line numbers, plus the rejects found while reading it.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub(crate) rows: Vec<RecordCrossing>,
    pub(crate) lines: Vec<u64>,
    pub(crate) rejects: Vec<Reject>,
    pub(crate) hints: Vec<Hint>,
    /// Bytes of input consumed so far (for progress).
    pub(crate) bytes_read: u64,
}

/// Totals of an import.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub(crate) struct Summary {
    pub(crate) rows: u64,
    pub(crate) stored: u64,
    pub(crate) already_present: u64,
    pub(crate) rejected: u64,
    pub(crate) persons_created: u64,
    pub(crate) rejected_by_code: BTreeMap<String, u64>,
    pub(crate) hints: Vec<Hint>,
}

struct Reader<R> {
    input: R,
    bytes_read: u64,
}

impl<R: Read> Read for Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        self.bytes_read += n as u64;
        Ok(n)
    }
}

/// Tracks ids seen earlier in the same file.
#[derive(Default)]
struct SeenIds(HashMap<Uuid, u64>);

impl SeenIds {
    fn check(&mut self, row: &RecordCrossing, line: u64) -> Result<(), Reject> {
        match self.0.insert(row.id.as_uuid(), line) {
            Some(first) => {
                // Keep the first occurrence as the reference for later duplicates.
                self.0.insert(row.id.as_uuid(), first);
                Err(reject(line, "id", "duplicate_id", format!("the same id was used on line {first}")))
            }
            None => Ok(()),
        }
    }
}

fn reject(line: u64, field: &str, code: &str, message: impl Into<String>) -> Reject {
    Reject { line, field: field.to_owned(), code: code.to_owned(), message: message.into() }
}

fn validate(raw: &RawCrossing, now: Timestamp, line: u64) -> Result<RecordCrossing, Reject> {
    sapar_register::crossings::validate_submission(raw, now)
        .map_err(|e| reject(line, e.field, e.code.as_str(), e.message))
}

/// Turns the bytes of rows into text, and notices (once) a file that looks like it is in another
/// encoding than the one it is read in.
struct Decoder {
    encoding: Encoding,
    hinted: bool,
}

impl Decoder {
    fn decode<'a>(&self, bytes: &'a [u8]) -> Result<Cow<'a, str>, std::str::Utf8Error> {
        match self.encoding {
            Encoding::Utf8 => std::str::from_utf8(bytes).map(Cow::Borrowed),
            Encoding::Windows1251 => Ok(encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes).0),
        }
    }

    /// Looks at the raw bytes of a row that did not decode (UTF-8), or of every row until a hint
    /// was given (Windows-1251): under UTF-8, a row that reads as Cyrillic in Windows-1251 instead;
    /// under Windows-1251, a row that is UTF-8 with letters outside ASCII. Rows that decode as
    /// UTF-8 are not looked at again, so the usual import pays nothing for this.
    fn watch(&mut self, raw: &[u8], line: u64, hints: &mut Vec<Hint>) {
        if self.hinted || raw.is_ascii() {
            return;
        }
        let hint = match self.encoding {
            Encoding::Utf8 if std::str::from_utf8(raw).is_err() && reads_as_cyrillic_1251(raw) => Hint {
                line,
                code: "looks_windows_1251",
                message: format!(
                    "line {line} is not UTF-8 but reads as Cyrillic in Windows-1251; if the file is \
                     Windows-1251, import it again with --encoding windows-1251"
                ),
            },
            Encoding::Windows1251 if std::str::from_utf8(raw).is_ok() => Hint {
                line,
                code: "looks_utf8",
                message: format!(
                    "line {line} is valid UTF-8 with letters outside ASCII; if the file is UTF-8, \
                     --encoding windows-1251 garbles its names: import it with --encoding utf-8"
                ),
            },
            _ => return,
        };
        self.hinted = true;
        hints.push(hint);
    }
}

/// Whether the letters outside ASCII in `raw`, read as Windows-1251, are nearly all Cyrillic and
/// stand in Cyrillic words: Latin-1 text ("Müller") also reads as Cyrillic letters, but one at a
/// time between Latin ones ("Mьller").
fn reads_as_cyrillic_1251(raw: &[u8]) -> bool {
    let (text, _, _) = encoding_rs::WINDOWS_1251.decode(raw);
    let chars: Vec<char> = text.chars().collect();
    let (mut cyrillic, mut other) = (0usize, 0usize);
    for (at, c) in chars.iter().enumerate() {
        if c.is_ascii() {
            continue;
        }
        let latin_beside = |neighbour: Option<&char>| neighbour.is_some_and(char::is_ascii_alphabetic);
        let beside_latin =
            latin_beside(at.checked_sub(1).and_then(|i| chars.get(i))) || latin_beside(chars.get(at + 1));
        if ('\u{400}'..='\u{4FF}').contains(c) && !beside_latin {
            cyrillic += 1;
        } else {
            other += 1;
        }
    }
    cyrillic >= 2 && cyrillic >= 9 * other
}

/// Reads the whole input, calling `emit` with each batch. Stops early if `emit` returns false.
pub(crate) fn read_batches(
    input: impl Read,
    options: ReadOptions,
    now: Timestamp,
    mut emit: impl FnMut(Batch) -> bool,
) -> Result<(), FileError> {
    let mut reader = std::io::BufReader::with_capacity(1 << 16, Reader { input, bytes_read: 0 });
    let head = reader.fill_buf()?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::Utf16);
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        reader.consume(3);
    }
    let lines = records::LineReader::new(reader, options.max_record_bytes.max(1))?;
    let decoder = Decoder { encoding: options.encoding, hinted: false };
    match options.format {
        Format::Csv => read_csv(lines, decoder, now, &mut emit),
        Format::Jsonl => read_jsonl(lines, decoder, now, &mut emit),
    }
}

type Lines<R> = records::LineReader<std::io::BufReader<Reader<R>>>;

fn flush<R>(batch: &mut Batch, reader: &Reader<R>, emit: &mut impl FnMut(Batch) -> bool) -> bool {
    let mut full = std::mem::take(batch);
    full.bytes_read = reader.bytes_read;
    emit(full)
}

/// Whether a batch is due: enough rows for a transaction, or enough rejects to pass on.
fn batch_full(batch: &Batch) -> bool {
    batch.rows.len() >= BATCH_ROWS || batch.rejects.len() >= BATCH_ROWS
}

fn too_long(line: u64, bytes: u64, max: usize) -> Reject {
    reject(
        line,
        "",
        "record_too_long",
        format!("the line is {bytes} bytes long, over the limit of {max} bytes (--max-record-bytes); skipped"),
    )
}

fn read_jsonl<R: Read>(
    mut lines: Lines<R>,
    mut decoder: Decoder,
    now: Timestamp,
    emit: &mut impl FnMut(Batch) -> bool,
) -> Result<(), FileError> {
    let max = lines.max_bytes();
    let mut seen = SeenIds::default();
    let mut batch = Batch::default();
    let mut line = Vec::new();
    while let Some(read) = lines.read_line(&mut line)? {
        let number = read.number();
        if let records::Line::TooLong { bytes, .. } = read {
            batch.rejects.push(too_long(number, bytes, max));
        } else if let Some(outcome) = jsonl_row(&line, number, &mut decoder, &mut seen, now, &mut batch.hints) {
            match outcome {
                Ok(row) => {
                    batch.rows.push(row);
                    batch.lines.push(number);
                }
                Err(r) => batch.rejects.push(r),
            }
        }
        if batch_full(&batch) && !flush(&mut batch, lines.get_ref().get_ref(), emit) {
            return Ok(());
        }
    }
    flush(&mut batch, lines.get_ref().get_ref(), emit);
    Ok(())
}

/// One JSON Lines row; `None` for a blank line.
fn jsonl_row(
    bytes: &[u8],
    number: u64,
    decoder: &mut Decoder,
    seen: &mut SeenIds,
    now: Timestamp,
    hints: &mut Vec<Hint>,
) -> Option<Result<RecordCrossing, Reject>> {
    if decoder.encoding == Encoding::Windows1251 {
        decoder.watch(bytes, number, hints);
    }
    let text = match decoder.decode(bytes) {
        Ok(text) => text,
        Err(e) => {
            decoder.watch(bytes, number, hints);
            let message = format!("line is not valid UTF-8 at byte {}", e.valid_up_to() + 1);
            return Some(Err(reject(number, "", "invalid_utf8", message)));
        }
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let outcome = serde_json::from_str::<CrossingBody>(text)
        .map_err(|e| {
            let code = if e.is_data() { "invalid_body" } else { "malformed_json" };
            let code = if e.is_eof() { "truncated_line" } else { code };
            reject(number, "", code, format!("{e}"))
        })
        .and_then(|body| validate(&body.into_raw(), now, number))
        .and_then(|row| seen.check(&row, number).map(|()| row));
    Some(outcome)
}

/// Column positions of a CSV header.
struct Columns([Option<usize>; CSV_COLUMNS.len()]);

impl Columns {
    fn parse(header: &[String]) -> Result<Columns, FileError> {
        if header.is_empty() || (header.len() == 1 && header[0].trim().is_empty()) {
            return Err(FileError::NoHeader);
        }
        let mut positions = [None; CSV_COLUMNS.len()];
        for (index, name) in header.iter().enumerate() {
            let name = name.trim();
            let known =
                CSV_COLUMNS.iter().position(|c| *c == name).ok_or_else(|| FileError::UnknownColumn(name.into()))?;
            if positions[known].replace(index).is_some() {
                return Err(FileError::DuplicateColumn(name.into()));
            }
        }
        let has =
            |column: &str| CSV_COLUMNS.iter().position(|c| *c == column).is_some_and(|at| positions[at].is_some());
        let document_columns = if has("mrz") { &[][..] } else { DOCUMENT_COLUMNS };
        for required in REQUIRED_COLUMNS.iter().chain(document_columns) {
            if !has(required) {
                return Err(FileError::MissingColumn(required));
            }
        }
        Ok(Columns(positions))
    }

    /// The trimmed, non-empty value of the column at `column` (an index into [`CSV_COLUMNS`]).
    fn get(&self, record: &[Cow<'_, str>], column: usize) -> Option<String> {
        let value = record.get(self.0[column]?)?.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    fn raw(&self, r: &[Cow<'_, str>]) -> RawCrossing {
        RawCrossing {
            id: self.get(r, column::ID),
            mrz: self.get(r, column::MRZ),
            direction: self.get(r, column::DIRECTION),
            at: self.get(r, column::AT),
            crossing_point: self.get(r, column::CROSSING_POINT),
            purpose: self.get(r, column::PURPOSE),
            document_type: self.get(r, column::DOCUMENT_TYPE),
            document_number: self.get(r, column::DOCUMENT_NUMBER),
            issuing_state: self.get(r, column::ISSUING_STATE),
            document_expiry: self.get(r, column::DOCUMENT_EXPIRY),
            native_name: RawName {
                surname: self.get(r, column::SURNAME),
                given_names: self.get(r, column::GIVEN_NAMES),
                patronymic: self.get(r, column::PATRONYMIC),
            },
            latin_name: RawName {
                surname: self.get(r, column::SURNAME_LATIN),
                given_names: self.get(r, column::GIVEN_NAMES_LATIN),
                patronymic: self.get(r, column::PATRONYMIC_LATIN),
            },
            sex: self.get(r, column::SEX),
            birth_date: self.get(r, column::BIRTH_DATE),
            citizenship: self.get(r, column::CITIZENSHIP),
            outcome: self.get(r, column::OUTCOME),
            refusal_ground: self.get(r, column::REFUSAL_GROUND),
            refusal_note: self.get(r, column::REFUSAL_NOTE),
        }
    }
}

/// The header row: the first line that is not blank.
fn read_header<R: BufRead>(csv: &mut records::CsvRecords<R>, decoder: &Decoder) -> Result<Vec<String>, FileError> {
    loop {
        match csv.read(0)? {
            None => return Err(FileError::NoHeader),
            Some(records::Record::TooLong { .. }) => return Err(FileError::HeaderTooLong(csv.max_bytes())),
            Some(records::Record::UnterminatedQuote { .. }) => return Err(FileError::HeaderQuote),
            Some(records::Record::Fields { .. }) if csv.fields.is_blank() => continue,
            Some(records::Record::Fields { .. }) => {
                return (0..csv.fields.len())
                    .map(|i| {
                        let bytes = csv.fields.get(i).unwrap_or_default();
                        decoder.decode(bytes).map(Cow::into_owned).map_err(|_| FileError::HeaderEncoding)
                    })
                    .collect();
            }
        }
    }
}

fn read_csv<R: Read>(
    lines: Lines<R>,
    mut decoder: Decoder,
    now: Timestamp,
    emit: &mut impl FnMut(Batch) -> bool,
) -> Result<(), FileError> {
    let mut csv = records::CsvRecords::new(lines);
    let header = read_header(&mut csv, &decoder)?;
    let columns = Columns::parse(&header)?;
    let expected = header.len();
    let max = csv.max_bytes();
    let mut seen = SeenIds::default();
    let mut batch = Batch::default();
    while let Some(record) = csv.read(expected)? {
        match record {
            records::Record::TooLong { line, bytes } => batch.rejects.push(too_long(line, bytes, max)),
            records::Record::UnterminatedQuote { line } => batch.rejects.push(reject(
                line,
                "",
                "unterminated_quote",
                format!(
                    "a quoted field opened on this line is not closed within {} lines; the line is skipped",
                    records::MAX_RECORD_LINES
                ),
            )),
            records::Record::Fields { line } => {
                if csv.fields.is_blank() {
                    continue;
                }
                let outcome = csv_row(&csv, line, expected, &header, &columns, &mut decoder, &mut batch.hints)
                    .and_then(|raw| validate(&raw, now, line))
                    .and_then(|row| seen.check(&row, line).map(|()| row));
                match outcome {
                    Ok(row) => {
                        batch.rows.push(row);
                        batch.lines.push(line);
                    }
                    Err(r) => batch.rejects.push(r),
                }
            }
        }
        if batch_full(&batch) && !flush(&mut batch, csv.get_ref().get_ref(), emit) {
            return Ok(());
        }
    }
    flush(&mut batch, csv.get_ref().get_ref(), emit);
    Ok(())
}

/// The record last read by `csv` as untrusted strings, or why it cannot be one.
fn csv_row<R: BufRead>(
    csv: &records::CsvRecords<R>,
    line: u64,
    expected: usize,
    header: &[String],
    columns: &Columns,
    decoder: &mut Decoder,
    hints: &mut Vec<Hint>,
) -> Result<RawCrossing, Reject> {
    let fields = &csv.fields;
    if fields.len() != expected {
        let message = format!("expected {expected} fields, found {} (truncated or malformed line)", fields.len());
        return Err(reject(line, "", "wrong_field_count", message));
    }
    if decoder.encoding == Encoding::Windows1251 {
        decoder.watch(csv.raw(), line, hints);
    }
    let mut text = Vec::with_capacity(expected);
    for index in 0..expected {
        let bytes = fields.get(index).unwrap_or_default();
        match decoder.decode(bytes) {
            Ok(value) => text.push(value),
            Err(_) => {
                decoder.watch(csv.raw(), line, hints);
                let name = header.get(index).cloned().unwrap_or_default();
                return Err(reject(line, &name, "invalid_utf8", format!("field {} is not valid UTF-8", index + 1)));
            }
        }
    }
    Ok(columns.raw(&text))
}

/// Stores a batch, adding its outcomes to `summary`; returns the batch's rejects (those found
/// reading it and those the register refused) in line order.
pub(crate) async fn store_batch(
    register: &Register,
    importer: &Actor,
    batch: Batch,
    summary: &mut Summary,
) -> Result<Vec<Reject>, sapar_register::RegisterError> {
    summary.rows += (batch.rows.len() + batch.rejects.len()) as u64;
    for r in &batch.rejects {
        *summary.rejected_by_code.entry(r.code.clone()).or_default() += 1;
    }
    summary.rejected += batch.rejects.len() as u64;
    summary.hints.extend(batch.hints);
    if batch.rows.is_empty() {
        return Ok(batch.rejects);
    }
    let outcomes = register.import_crossings(importer, batch.rows).await?;
    let mut refused = Vec::new();
    for (outcome, line) in outcomes.into_iter().zip(batch.lines) {
        match outcome {
            Ok(receipt) if receipt.replayed => summary.already_present += 1,
            Ok(receipt) => {
                summary.stored += 1;
                summary.persons_created += u64::from(receipt.person_created);
            }
            Err(refusal) => {
                let (field, code, message) = match refusal {
                    ImportRefusal::Rule(RegisterRejection::ExitWithoutEntry) => (
                        "direction",
                        "exit_without_entry",
                        "an exit needs an entry of the same person before it".to_owned(),
                    ),
                    ImportRefusal::Rule(RegisterRejection::IdConflict) => {
                        ("id", "idempotency_conflict", "this id is already stored with different content".to_owned())
                    }
                    ImportRefusal::Invalid(e) => (e.field, e.code.as_str(), e.message),
                };
                summary.rejected += 1;
                *summary.rejected_by_code.entry(code.to_owned()).or_default() += 1;
                refused.push(reject(line, field, code, message));
            }
        }
    }
    Ok(merge_by_line(batch.rejects, refused))
}

/// Two lists in line order merged into one.
fn merge_by_line(a: Vec<Reject>, b: Vec<Reject>) -> Vec<Reject> {
    if b.is_empty() {
        return a;
    }
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if y.line < x.line => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(r) => merged.push(r),
            None => return merged,
        }
    }
}

/// Imports everything from `input` into the register, attributed to `importer`, on a reader
/// thread plus this task. Each batch's
/// rejects are passed to `on_reject` in line order as soon as the batch is stored, so they are
/// never all held; `progress` is called with the bytes read after each stored batch.
pub(crate) async fn import(
    register: &Register,
    importer: &Actor,
    input: impl Read + Send + 'static,
    options: ReadOptions,
    now: Timestamp,
    mut on_reject: impl FnMut(&Reject) -> anyhow::Result<()>,
    mut progress: impl FnMut(u64, &Summary),
) -> anyhow::Result<Summary> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(4);
    let reader = std::thread::spawn(move || read_batches(input, options, now, |batch| tx.blocking_send(batch).is_ok()));
    let mut summary = Summary::default();
    while let Some(batch) = rx.recv().await {
        let bytes = batch.bytes_read;
        for r in store_batch(register, importer, batch, &mut summary).await? {
            on_reject(&r)?;
        }
        progress(bytes, &summary);
    }
    match reader.join() {
        Ok(result) => result?,
        Err(_) => anyhow::bail!("the reader thread failed"),
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reject_code_is_documented() {
        let doc = include_str!("../../../docs/import.md");
        for code in READER_CODES.iter().chain(REGISTER_CODES) {
            assert!(doc.contains(&format!("| `{code}` |")), "docs/import.md does not list the reject code {code}");
        }
    }

    #[test]
    fn only_rows_that_read_as_cyrillic_suggest_windows_1251() {
        let (asanov, _, _) = encoding_rs::WINDOWS_1251.encode("Асанов Бакыт Ёлкина");
        assert!(reads_as_cyrillic_1251(&asanov));
        // Latin-1 accents (e.g. "Müller, José") are not Cyrillic in Windows-1251.
        assert!(!reads_as_cyrillic_1251(b"M\xfcller, Jos\xe9"));
        assert!(!reads_as_cyrillic_1251(b"plain ascii"));
    }

    fn read_all(text: &[u8], options: ReadOptions) -> (Vec<u64>, Vec<(u64, String)>, Vec<Hint>) {
        let mut lines = Vec::new();
        let mut rejects = Vec::new();
        let mut hints = Vec::new();
        let now = Timestamp::now();
        let result = read_batches(text, options, now, |batch| {
            lines.extend(batch.lines);
            rejects.extend(batch.rejects.into_iter().map(|r| (r.line, r.code)));
            hints.extend(batch.hints);
            true
        });
        assert!(result.is_ok(), "{result:?}");
        (lines, rejects, hints)
    }

    #[test]
    fn a_windows_1251_file_gives_one_hint_however_many_rows() {
        let row = |i: u32| {
            format!(
                "00000000-0000-7000-8000-{i:012},entry,2025-04-01T09:30:00Z,KZ-KORDAY,work,passport,AC{i},KGZ,Асанов,KGZ"
            )
        };
        let text = std::iter::once(
            "id,direction,at,crossing_point,purpose,document_type,document_number,issuing_state,surname,citizenship"
                .to_owned(),
        )
        .chain((1..=50).map(row))
        .collect::<Vec<_>>()
        .join("\n");
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
        let (stored, rejects, hints) = read_all(&bytes, ReadOptions::new(Format::Csv));
        assert!(stored.is_empty());
        assert_eq!(rejects.len(), 50);
        assert!(rejects.iter().all(|(_, code)| code == "invalid_utf8"));
        assert_eq!(hints.iter().map(|h| (h.line, h.code)).collect::<Vec<_>>(), [(2, "looks_windows_1251")]);
        let options = ReadOptions { encoding: Encoding::Windows1251, ..ReadOptions::new(Format::Csv) };
        let (stored, rejects, hints) = read_all(&bytes, options);
        assert_eq!(stored.len(), 50);
        assert!(rejects.is_empty() && hints.is_empty());
    }

    #[test]
    fn rejects_alone_fill_batches() {
        // A file of nothing but bad rows must not gather them all before handing them on.
        let text = format!(
            "id,direction,at,crossing_point,purpose,document_type,document_number,issuing_state,citizenship\n{}",
            "x\n".repeat(BATCH_ROWS * 2 + 5)
        );
        let mut sizes = Vec::new();
        let result = read_batches(text.as_bytes(), ReadOptions::new(Format::Csv), Timestamp::now(), |batch| {
            sizes.push(batch.rejects.len());
            true
        });
        assert!(result.is_ok());
        assert_eq!(sizes, [BATCH_ROWS, BATCH_ROWS, 5]);
    }

    #[test]
    fn column_positions_name_the_right_columns() {
        let positions = [
            (column::ID, "id"),
            (column::DIRECTION, "direction"),
            (column::AT, "at"),
            (column::CROSSING_POINT, "crossing_point"),
            (column::PURPOSE, "purpose"),
            (column::DOCUMENT_TYPE, "document_type"),
            (column::DOCUMENT_NUMBER, "document_number"),
            (column::ISSUING_STATE, "issuing_state"),
            (column::DOCUMENT_EXPIRY, "document_expiry"),
            (column::SURNAME, "surname"),
            (column::GIVEN_NAMES, "given_names"),
            (column::PATRONYMIC, "patronymic"),
            (column::SURNAME_LATIN, "surname_latin"),
            (column::GIVEN_NAMES_LATIN, "given_names_latin"),
            (column::PATRONYMIC_LATIN, "patronymic_latin"),
            (column::SEX, "sex"),
            (column::BIRTH_DATE, "birth_date"),
            (column::CITIZENSHIP, "citizenship"),
            (column::MRZ, "mrz"),
            (column::OUTCOME, "outcome"),
            (column::REFUSAL_GROUND, "refusal_ground"),
            (column::REFUSAL_NOTE, "refusal_note"),
        ];
        assert_eq!(positions.len(), CSV_COLUMNS.len());
        for (at, name) in positions {
            assert_eq!(CSV_COLUMNS[at], name);
        }
    }
}
