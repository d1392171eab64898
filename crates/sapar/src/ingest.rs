//! The import pipeline shared by `sapar import`, `sapar demo` and `sapar bench ingest`: a reader
//! thread parses and validates rows (CSV or JSON Lines) into batches; the caller's task stores each
//! batch in one transaction. Rows that fail go to a rejects list with their line number and reason;
//! good rows are stored. Re-importing a file is harmless: stored ids are recognised as replays.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Read};

use jiff::Timestamp;
use sapar_http::CrossingBody;
use sapar_model::{RawCrossing, RawName};
use sapar_store::{RecordCrossing, RegisterRejection, Store};
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
    #[error("header line is not valid UTF-8")]
    HeaderEncoding,
    #[error("unknown column {0:?}; known columns: {known}", known = CSV_COLUMNS.join(", "))]
    UnknownColumn(String),
    #[error("column {0:?} appears twice")]
    DuplicateColumn(String),
    #[error("required column {0:?} is missing")]
    MissingColumn(&'static str),
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("reading CSV: {0}")]
    Csv(#[from] csv::Error),
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
}

/// The structured columns (all but `mrz`): what generated samples carry.
pub(crate) const STRUCTURED_COLUMNS: &[&str] = CSV_COLUMNS.split_at(CSV_COLUMNS.len() - 1).0;

const REQUIRED_COLUMNS: &[&str] = &["id", "direction", "at", "crossing_point", "purpose"];
/// Required unless an `mrz` column supplies them.
const DOCUMENT_COLUMNS: &[&str] = &["document_type", "document_number", "issuing_state", "citizenship"];

/// One batch of validated rows with their line numbers, plus the rejects found while reading it.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub(crate) rows: Vec<RecordCrossing>,
    pub(crate) lines: Vec<u64>,
    pub(crate) rejects: Vec<Reject>,
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

/// Reads the whole input, calling `emit` with each batch. Stops early if `emit` returns false.
pub(crate) fn read_batches(
    input: impl Read,
    format: Format,
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
    match format {
        Format::Csv => read_csv(reader, now, &mut emit),
        Format::Jsonl => read_jsonl(reader, now, &mut emit),
    }
}

fn flush<R>(batch: &mut Batch, reader: &Reader<R>, emit: &mut impl FnMut(Batch) -> bool) -> bool {
    let mut full = std::mem::take(batch);
    full.bytes_read = reader.bytes_read;
    emit(full)
}

fn read_jsonl<R: Read>(
    mut reader: std::io::BufReader<Reader<R>>,
    now: Timestamp,
    emit: &mut impl FnMut(Batch) -> bool,
) -> Result<(), FileError> {
    let mut seen = SeenIds::default();
    let mut batch = Batch::default();
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        let text = match std::str::from_utf8(&line) {
            Ok(t) => t.trim(),
            Err(e) => {
                batch.rejects.push(reject(
                    number,
                    "",
                    "invalid_utf8",
                    format!("line is not valid UTF-8 at byte {}", e.valid_up_to() + 1),
                ));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let outcome = serde_json::from_str::<CrossingBody>(text)
            .map_err(|e| {
                let code = if e.is_data() { "invalid_body" } else { "malformed_json" };
                let code = if e.is_eof() { "truncated_line" } else { code };
                reject(number, "", code, format!("{e}"))
            })
            .and_then(|body| validate(&body.into_raw(), now, number))
            .and_then(|row| seen.check(&row, number).map(|()| row));
        match outcome {
            Ok(row) => {
                batch.rows.push(row);
                batch.lines.push(number);
            }
            Err(r) => batch.rejects.push(r),
        }
        if batch.rows.len() >= BATCH_ROWS && !flush(&mut batch, reader.get_ref(), emit) {
            return Ok(());
        }
    }
    flush(&mut batch, reader.get_ref(), emit);
    Ok(())
}

/// Column positions of a CSV header.
struct Columns([Option<usize>; CSV_COLUMNS.len()]);

impl Columns {
    fn parse(header: &csv::ByteRecord) -> Result<Columns, FileError> {
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(FileError::NoHeader);
        }
        let mut positions = [None; CSV_COLUMNS.len()];
        for (index, raw) in header.iter().enumerate() {
            let name = std::str::from_utf8(raw).map_err(|_| FileError::HeaderEncoding)?.trim();
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
    fn get(&self, record: &csv::StringRecord, column: usize) -> Option<String> {
        let value = record.get(self.0[column]?)?.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    fn raw(&self, r: &csv::StringRecord) -> RawCrossing {
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
        }
    }
}

fn read_csv<R: Read>(
    reader: std::io::BufReader<Reader<R>>,
    now: Timestamp,
    emit: &mut impl FnMut(Batch) -> bool,
) -> Result<(), FileError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(reader);
    let header = csv.byte_headers()?.clone();
    let columns = Columns::parse(&header)?;
    let expected = header.len();
    let mut seen = SeenIds::default();
    let mut batch = Batch::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let more = match csv.read_byte_record(&mut record) {
            Ok(more) => more,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                batch.rejects.push(reject(line, "", "malformed_csv", e.to_string()));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(e.into());
                }
                continue;
            }
        };
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        if record.len() != expected {
            batch.rejects.push(reject(
                line,
                "",
                "wrong_field_count",
                format!("expected {expected} fields, found {} (truncated or malformed line)", record.len()),
            ));
            continue;
        }
        let text = match csv::StringRecord::from_byte_record(record.clone()) {
            Ok(t) => t,
            Err(e) => {
                let field = e.utf8_error().field();
                let name = header.get(field).and_then(|h| std::str::from_utf8(h).ok()).unwrap_or("").to_owned();
                batch.rejects.push(Reject {
                    line,
                    field: name,
                    code: "invalid_utf8".into(),
                    message: format!("field {} is not valid UTF-8", field + 1),
                });
                continue;
            }
        };
        let outcome = validate(&columns.raw(&text), now, line).and_then(|row| seen.check(&row, line).map(|()| row));
        match outcome {
            Ok(row) => {
                batch.rows.push(row);
                batch.lines.push(line);
            }
            Err(r) => batch.rejects.push(r),
        }
        if batch.rows.len() >= BATCH_ROWS && !flush(&mut batch, csv.get_ref().get_ref(), emit) {
            return Ok(());
        }
    }
    let reader = csv.into_inner();
    flush(&mut batch, reader.get_ref(), emit);
    Ok(())
}

/// Stores a batch, adding its outcomes to `summary` and its refusals to `rejects`.
pub(crate) async fn store_batch(
    store: &Store,
    batch: Batch,
    summary: &mut Summary,
    rejects: &mut Vec<Reject>,
) -> Result<(), sapar_store::StoreError> {
    summary.rows += (batch.rows.len() + batch.rejects.len()) as u64;
    for r in &batch.rejects {
        *summary.rejected_by_code.entry(r.code.clone()).or_default() += 1;
    }
    summary.rejected += batch.rejects.len() as u64;
    rejects.extend(batch.rejects);
    if batch.rows.is_empty() {
        return Ok(());
    }
    let outcomes = store.record_batch(batch.rows).await?;
    for (outcome, line) in outcomes.into_iter().zip(batch.lines) {
        match outcome {
            Ok(receipt) if receipt.replayed => summary.already_present += 1,
            Ok(receipt) => {
                summary.stored += 1;
                summary.persons_created += u64::from(receipt.person_created);
            }
            Err(rejection) => {
                let (field, code, message) = match rejection {
                    RegisterRejection::ExitWithoutEntry => {
                        ("direction", "exit_without_entry", "an exit needs an entry of the same person before it")
                    }
                    RegisterRejection::IdConflict => {
                        ("id", "idempotency_conflict", "this id is already stored with different content")
                    }
                };
                summary.rejected += 1;
                *summary.rejected_by_code.entry(code.to_owned()).or_default() += 1;
                rejects.push(reject(line, field, code, message));
            }
        }
    }
    Ok(())
}

/// Imports everything from `input` into `store` on a reader thread plus this task.
/// `progress` is called with the bytes read after each stored batch.
pub(crate) async fn import(
    store: &Store,
    input: impl Read + Send + 'static,
    format: Format,
    now: Timestamp,
    mut progress: impl FnMut(u64, &Summary),
) -> anyhow::Result<(Summary, Vec<Reject>)> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(4);
    let reader = std::thread::spawn(move || read_batches(input, format, now, |batch| tx.blocking_send(batch).is_ok()));
    let mut summary = Summary::default();
    let mut rejects = Vec::new();
    while let Some(batch) = rx.recv().await {
        let bytes = batch.bytes_read;
        store_batch(store, batch, &mut summary, &mut rejects).await?;
        progress(bytes, &summary);
    }
    match reader.join() {
        Ok(result) => result?,
        Err(_) => anyhow::bail!("the reader thread failed"),
    }
    rejects.sort_by_key(|r| r.line);
    Ok((summary, rejects))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        assert_eq!(positions.len(), CSV_COLUMNS.len());
        for (at, name) in positions {
            assert_eq!(CSV_COLUMNS[at], name);
        }
    }
}
