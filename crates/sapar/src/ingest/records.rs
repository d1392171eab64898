//! Bounded reading of import files: physical lines of at most a set number of bytes (a longer
//! line is skipped to its end without being held), and CSV records split into fields, whose quoted
//! fields may continue over a few lines only, so that a stray quote costs one row, not the file.

use std::collections::VecDeque;
use std::io::BufRead;

/// Physical lines one CSV record may span: room for a quoted three-line TD1 machine-readable
/// zone and a little more. A quote still open after this many lines was never meant to be closed
/// there: its line is rejected and reading resumes on the line after it.
pub(crate) const MAX_RECORD_LINES: usize = 4;

/// What one physical line turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// The line's bytes (without its terminator) are in the caller's buffer.
    Text { number: u64 },
    /// The line was longer than the limit and was skipped; `bytes` is its length.
    TooLong { number: u64, bytes: u64 },
}

impl Line {
    pub(crate) fn number(self) -> u64 {
        match self {
            Line::Text { number } | Line::TooLong { number, .. } => number,
        }
    }
}

/// Reads physical lines, holding at most `max_bytes` of any one line.
pub(crate) struct LineReader<R> {
    input: R,
    max_bytes: usize,
    terminator: u8,
    number: u64,
}

impl<R: BufRead> LineReader<R> {
    /// Lines end at `\n` (a `\r` before it is dropped), or at `\r` when the start of the input has
    /// carriage returns and no line feed (old Mac spreadsheets).
    pub(crate) fn new(mut input: R, max_bytes: usize) -> std::io::Result<LineReader<R>> {
        let head = input.fill_buf()?;
        let terminator =
            if memchr::memchr(b'\n', head).is_none() && memchr::memchr(b'\r', head).is_some() { b'\r' } else { b'\n' };
        Ok(LineReader { input, max_bytes, terminator, number: 0 })
    }

    pub(crate) fn get_ref(&self) -> &R {
        &self.input
    }

    pub(crate) fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Reads the next line into `buf` (cleared first); `None` at the end of the input.
    pub(crate) fn read_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Option<Line>> {
        buf.clear();
        let mut length = 0u64;
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (chunk, used, ended) = match memchr::memchr(self.terminator, available) {
                Some(at) => (&available[..at], at + 1, true),
                None => (available, available.len(), false),
            };
            length += chunk.len() as u64;
            if !too_long {
                if buf.len() + chunk.len() > self.max_bytes {
                    too_long = true;
                    buf.clear();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            self.input.consume(used);
            if ended {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        let number = self.number;
        if too_long {
            return Ok(Some(Line::TooLong { number, bytes: length }));
        }
        if self.terminator == b'\n' && buf.last() == Some(&b'\r') {
            buf.pop();
        }
        Ok(Some(Line::Text { number }))
    }
}

/// The fields of one record, unquoted, end to end in one buffer.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    pub(crate) data: Vec<u8>,
    pub(crate) ends: Vec<usize>,
}

impl Fields {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        Some(&self.data[start..end])
    }

    /// A record that is one empty field: a blank line.
    pub(crate) fn is_blank(&self) -> bool {
        self.ends.len() == 1 && self.data.is_empty()
    }

    fn clear(&mut self) {
        self.data.clear();
        self.ends.clear();
    }
}

/// How splitting a record's text ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    /// Every field was read.
    Complete,
    /// Every field was read, but text followed a closing quote (`"ab"c`); it was kept, as
    /// spreadsheets do, but such a record cannot be the continuation of an open quote.
    TextAfterQuote,
    /// A quoted field is still open at the end of the text.
    OpenQuote,
}

/// Splits `text` into comma-separated fields. A field starting with `"` is quoted: it ends at the
/// next lone `"`, `""` inside it stands for one `"`, and it may contain commas and line breaks.
/// A `"` inside an unquoted field is an ordinary character.
pub(crate) fn split_csv(text: &[u8], fields: &mut Fields) -> Split {
    fields.clear();
    let mut at = 0;
    let mut text_after_quote = false;
    loop {
        if text.get(at) == Some(&b'"') {
            at += 1;
            loop {
                let Some(quote) = memchr::memchr(b'"', &text[at..]) else {
                    return Split::OpenQuote;
                };
                fields.data.extend_from_slice(&text[at..at + quote]);
                at += quote + 1;
                if text.get(at) == Some(&b'"') {
                    fields.data.push(b'"');
                    at += 1;
                } else {
                    break;
                }
            }
            let end = memchr::memchr(b',', &text[at..]).map_or(text.len(), |comma| at + comma);
            if end > at {
                text_after_quote = true;
                fields.data.extend_from_slice(&text[at..end]);
            }
            at = end;
        } else {
            let end = memchr::memchr(b',', &text[at..]).map_or(text.len(), |comma| at + comma);
            fields.data.extend_from_slice(&text[at..end]);
            at = end;
        }
        fields.ends.push(fields.data.len());
        if at >= text.len() {
            return if text_after_quote { Split::TextAfterQuote } else { Split::Complete };
        }
        at += 1;
    }
}

/// One CSV record, or why the lines at `line` are not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Record {
    /// The fields are in the reader's [`Fields`]; the record starts on `line`.
    Fields { line: u64 },
    /// A quoted field opened on `line` is not closed within [`MAX_RECORD_LINES`] lines or the
    /// byte limit (or closing it there leaves a malformed record). Only that line is skipped.
    UnterminatedQuote { line: u64 },
    /// The physical line `line` is longer than the limit.
    TooLong { line: u64, bytes: u64 },
}

/// A line read ahead while looking for the end of a quoted field, kept to be read again.
enum Pending {
    Text(u64, Vec<u8>),
    TooLong(u64, u64),
}

/// Reads CSV records from bounded lines, resynchronising at the next line after a bad quote.
pub(crate) struct CsvRecords<R> {
    lines: LineReader<R>,
    pending: VecDeque<Pending>,
    line: Vec<u8>,
    joined: Vec<u8>,
    pub(crate) fields: Fields,
}

impl<R: BufRead> CsvRecords<R> {
    pub(crate) fn new(lines: LineReader<R>) -> CsvRecords<R> {
        CsvRecords { lines, pending: VecDeque::new(), line: Vec::new(), joined: Vec::new(), fields: Fields::default() }
    }

    pub(crate) fn get_ref(&self) -> &R {
        self.lines.get_ref()
    }

    pub(crate) fn max_bytes(&self) -> usize {
        self.lines.max_bytes
    }

    /// The raw bytes of the record last returned as [`Record::Fields`] (its lines joined by `\n`).
    pub(crate) fn raw(&self) -> &[u8] {
        &self.joined
    }

    fn next_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Option<Line>> {
        match self.pending.pop_front() {
            Some(Pending::Text(number, bytes)) => {
                *buf = bytes;
                Ok(Some(Line::Text { number }))
            }
            Some(Pending::TooLong(number, bytes)) => Ok(Some(Line::TooLong { number, bytes })),
            None => self.lines.read_line(buf),
        }
    }

    /// The next record. `fields` says how many fields a record spanning several lines must have
    /// to be taken as one (a single-line record is returned whatever its field count).
    pub(crate) fn read(&mut self, fields: usize) -> std::io::Result<Option<Record>> {
        let mut line = std::mem::take(&mut self.line);
        let first = self.next_line(&mut line);
        let outcome = match first {
            Ok(Some(Line::Text { number })) => self.record_from(number, &line, fields).map(Some),
            Ok(Some(Line::TooLong { number, bytes })) => Ok(Some(Record::TooLong { line: number, bytes })),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        self.line = line;
        outcome
    }

    fn record_from(&mut self, number: u64, first: &[u8], fields: usize) -> std::io::Result<Record> {
        self.joined.clear();
        self.joined.extend_from_slice(first);
        if split_csv(&self.joined, &mut self.fields) != Split::OpenQuote {
            return Ok(Record::Fields { line: number });
        }
        let mut read_ahead: Vec<Pending> = Vec::new();
        let mut joined_ok = false;
        while read_ahead.len() + 1 < MAX_RECORD_LINES {
            let mut next = Vec::new();
            match self.next_line(&mut next)? {
                None => break,
                Some(Line::TooLong { number, bytes }) => {
                    read_ahead.push(Pending::TooLong(number, bytes));
                    break;
                }
                Some(Line::Text { number }) => {
                    let fits = self.joined.len() + 1 + next.len() <= self.lines.max_bytes;
                    if fits {
                        self.joined.push(b'\n');
                        self.joined.extend_from_slice(&next);
                    }
                    read_ahead.push(Pending::Text(number, next));
                    if !fits {
                        break;
                    }
                    match split_csv(&self.joined, &mut self.fields) {
                        Split::OpenQuote => continue,
                        Split::Complete => joined_ok = self.fields.len() == fields,
                        Split::TextAfterQuote => {}
                    }
                    break;
                }
            }
        }
        if joined_ok {
            return Ok(Record::Fields { line: number });
        }
        for pending in read_ahead.into_iter().rev() {
            self.pending.push_front(pending);
        }
        Ok(Record::UnterminatedQuote { line: number })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn split(text: &str) -> (Split, Vec<String>) {
        let mut fields = Fields::default();
        let outcome = split_csv(text.as_bytes(), &mut fields);
        let values = (0..fields.len())
            .map(|i| String::from_utf8_lossy(fields.get(i).unwrap_or_default()).into_owned())
            .collect();
        (outcome, values)
    }

    #[test]
    fn fields_are_split_and_unquoted() {
        assert_eq!(split("a,b,,c"), (Split::Complete, vec!["a".into(), "b".into(), "".into(), "c".into()]));
        assert_eq!(
            split("\"a,b\",\"say \"\"hi\"\"\","),
            (Split::Complete, vec!["a,b".into(), "say \"hi\"".into(), "".into()])
        );
        assert_eq!(split("5'10\",x"), (Split::Complete, vec!["5'10\"".into(), "x".into()]));
        assert_eq!(split("\"ab\"c,d"), (Split::TextAfterQuote, vec!["abc".into(), "d".into()]));
        assert_eq!(split("a,\"b\nc\""), (Split::Complete, vec!["a".into(), "b\nc".into()]));
        assert_eq!(split("a,\"b,c").0, Split::OpenQuote);
        assert_eq!(split(""), (Split::Complete, vec!["".into()]));
    }

    fn records(text: &str, max_bytes: usize, fields: usize) -> Vec<(Record, String)> {
        let lines = LineReader::new(text.as_bytes(), max_bytes).unwrap();
        let mut reader = CsvRecords::new(lines);
        let mut out = Vec::new();
        while let Some(record) = reader.read(fields).unwrap() {
            let values = match record {
                Record::Fields { .. } => (0..reader.fields.len())
                    .map(|i| String::from_utf8_lossy(reader.fields.get(i).unwrap_or_default()).into_owned())
                    .collect::<Vec<_>>()
                    .join("|"),
                _ => String::new(),
            };
            out.push((record, values));
        }
        out
    }

    #[test]
    fn an_unterminated_quote_costs_its_line_only() {
        let text = "a,b\n1,\"x\n2,y\n3,z\n4,w\n5,v\n";
        assert_eq!(
            records(text, 100, 2),
            [
                (Record::Fields { line: 1 }, "a|b".into()),
                (Record::UnterminatedQuote { line: 2 }, String::new()),
                (Record::Fields { line: 3 }, "2|y".into()),
                (Record::Fields { line: 4 }, "3|z".into()),
                (Record::Fields { line: 5 }, "4|w".into()),
                (Record::Fields { line: 6 }, "5|v".into()),
            ]
        );
    }

    #[test]
    fn a_quote_closed_by_a_later_rows_quote_does_not_swallow_it() {
        // The open quote on line 2 would close at line 3's opening quote, followed by text.
        let text = "1,\"x\n2,\"y\"\n3,z";
        assert_eq!(
            records(text, 100, 2),
            [
                (Record::UnterminatedQuote { line: 1 }, String::new()),
                (Record::Fields { line: 2 }, "2|y".into()),
                (Record::Fields { line: 3 }, "3|z".into()),
            ]
        );
        // Closing there with the wrong number of fields is no record either.
        let text = "1,\"x\n2\",3\n4,5";
        assert_eq!(
            records(text, 100, 2),
            [
                (Record::UnterminatedQuote { line: 1 }, String::new()),
                (Record::Fields { line: 2 }, "2\"|3".into()),
                (Record::Fields { line: 3 }, "4|5".into()),
            ]
        );
    }

    #[test]
    fn a_quoted_field_may_span_a_few_lines() {
        let text = "1,\"L1\nL2\nL3\"\n2,y\r\n";
        assert_eq!(
            records(text, 100, 2),
            [(Record::Fields { line: 1 }, "1|L1\nL2\nL3".into()), (Record::Fields { line: 4 }, "2|y".into())]
        );
    }

    #[test]
    fn a_long_line_is_skipped_without_being_held() {
        let long = "x".repeat(1000);
        let text = format!("1,a\n2,{long}\n3,c\n4,\"{long}\"\n");
        assert_eq!(
            records(&text, 64, 2),
            [
                (Record::Fields { line: 1 }, "1|a".into()),
                (Record::TooLong { line: 2, bytes: 1002 }, String::new()),
                (Record::Fields { line: 3 }, "3|c".into()),
                (Record::TooLong { line: 4, bytes: 1004 }, String::new()),
            ]
        );
        // An open quote is not carried past the byte limit either.
        let text = format!("1,\"a\n{}\n2,b\n", "y".repeat(60));
        assert_eq!(
            records(&text, 64, 2),
            [
                (Record::UnterminatedQuote { line: 1 }, String::new()),
                (Record::Fields { line: 2 }, "y".repeat(60)),
                (Record::Fields { line: 3 }, "2|b".into()),
            ]
        );
    }

    #[test]
    fn a_50_mb_line_is_skipped_in_bounded_memory() {
        let long = std::io::repeat(b'x').take(50 << 20);
        let input = std::io::BufReader::new(b"1,a\n".chain(long).chain(&b"\n3,c\n"[..]));
        let mut lines = LineReader::new(input, 1 << 16).unwrap();
        let mut buf = Vec::new();
        assert_eq!(lines.read_line(&mut buf).unwrap(), Some(Line::Text { number: 1 }));
        assert_eq!(lines.read_line(&mut buf).unwrap(), Some(Line::TooLong { number: 2, bytes: 50 << 20 }));
        assert!(buf.capacity() <= 2 << 16, "held {} bytes", buf.capacity());
        assert_eq!(lines.read_line(&mut buf).unwrap(), Some(Line::Text { number: 3 }));
        assert_eq!(buf, b"3,c");
        assert_eq!(lines.read_line(&mut buf).unwrap(), None);
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        assert_eq!(
            records("a,b\r1,2\r", 100, 2),
            [(Record::Fields { line: 1 }, "a|b".into()), (Record::Fields { line: 2 }, "1|2".into())]
        );
    }
}
