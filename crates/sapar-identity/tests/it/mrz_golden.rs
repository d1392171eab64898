//! ICAO Doc 9303 specimens and damaged variants: parsed field by field against golden dumps.

use std::fmt::Write as _;

use jiff::civil::Date;
use sapar_identity::{Mrz, ParseOptions, SpecimenPolicy};

use crate::golden;

fn options_from_header(text: &str) -> ParseOptions {
    let mut today = Date::constant(2026, 6, 1);
    let mut specimen = SpecimenPolicy::Reject;
    for line in text.lines().filter_map(|l| l.strip_prefix("# ")) {
        if let Some(date) = line.strip_prefix("today: ") {
            today = date.parse().expect("today is a date");
        } else if let Some(policy) = line.strip_prefix("specimen: ") {
            specimen = if policy == "accept" { SpecimenPolicy::Accept } else { SpecimenPolicy::Reject };
        }
    }
    ParseOptions::new(today).with_specimen(specimen)
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "-".to_owned())
}

pub(crate) fn dump(mrz: &Mrz, options: &ParseOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "format: {}", mrz.format());
    let _ = writeln!(out, "document_code: {}", mrz.document_code());
    let _ = writeln!(out, "document_type: {}", mrz.document_type().as_str());
    let _ = writeln!(out, "issuing_state: {}", or_dash(mrz.issuing_state().map(|c| c.to_string())));
    let _ = writeln!(out, "document_number: {}", mrz.document_number());
    let _ = writeln!(out, "nationality: {}", or_dash(mrz.nationality().map(|c| c.to_string())));
    let _ = writeln!(out, "birth_date: {}", or_dash(mrz.birth_date().map(|d| d.to_string())));
    let _ = writeln!(out, "sex: {}", or_dash(mrz.sex().map(|s| s.code().to_owned())));
    let _ = writeln!(out, "expiry_date: {}", or_dash(mrz.expiry_date().map(|d| d.to_string())));
    let _ = writeln!(out, "surname: {}", mrz.surname());
    let _ = writeln!(out, "given_names: {}", mrz.given_names());
    let _ = writeln!(out, "name_truncated: {}", mrz.name_truncated());
    let _ = writeln!(out, "optional_data: {}", mrz.optional_data());
    let _ = writeln!(out, "optional_data_2: {}", mrz.optional_data_2());
    for c in mrz.checks() {
        let _ = writeln!(
            out,
            "check: {} line {} column {} found {} expected {} {}",
            c.field,
            c.line,
            c.column,
            c.found,
            c.expected,
            if c.valid { "ok" } else { "FAILED" }
        );
    }
    let _ = writeln!(out, "valid: {}", mrz.is_valid());
    for e in mrz.errors() {
        let _ = writeln!(out, "error: {e}");
    }
    for s in mrz.suggestions(options) {
        let _ = writeln!(out, "suggestion: {s}");
    }
    out
}

#[test]
fn specimens_and_variants_match_their_golden_dumps() {
    let cases = golden::files("mrz", "mrz");
    assert!(cases.len() >= 10, "golden cases are missing");
    for case in cases {
        let text = std::fs::read_to_string(&case).expect("readable case");
        let options = options_from_header(&text);
        let zone: String = text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
        let actual = match Mrz::parse(&zone, &options) {
            Ok(mrz) => dump(&mrz, &options),
            Err(e) => format!("parse error: {e}\n"),
        };
        golden::check(&case.with_extension("expected"), &actual);
    }
}

/// Positions (0-based line, column range) that no check digit covers.
type Uncovered = Vec<(usize, std::ops::Range<usize>)>;

/// The specimens, with the positions no check digit covers (names, MRV optional data).
fn specimens() -> Vec<(String, Uncovered)> {
    let read = |name: &str| {
        let text = std::fs::read_to_string(golden::test_data("mrz").join(name)).expect("specimen");
        text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n")
    };
    vec![
        (read("td3_specimen.mrz"), vec![]),
        (read("td1_specimen.mrz"), vec![]),
        (read("td2_specimen.mrz"), vec![]),
        (read("td1_long_number.mrz"), vec![]),
        (read("td2_long_number.mrz"), vec![]),
        // Visa optional data (line 2 from position 29) is covered by no check digit.
        (read("mrva_specimen.mrz"), vec![(1, 28..44)]),
        (read("mrvb_specimen.mrz"), vec![(1, 28..36)]),
    ]
}

#[test]
fn every_single_digit_corruption_of_a_specimen_is_detected() {
    let options = ParseOptions::new(Date::constant(2026, 6, 1)).with_specimen(SpecimenPolicy::Accept);
    for (zone, uncovered) in specimens() {
        assert!(Mrz::parse(&zone, &options).expect("specimen parses").is_valid());
        let lines: Vec<&str> = zone.lines().collect();
        let mut tried = 0;
        for (li, line) in lines.iter().enumerate() {
            for (ci, b) in line.bytes().enumerate() {
                if !b.is_ascii_digit() || uncovered.iter().any(|(l, r)| *l == li && r.contains(&ci)) {
                    continue;
                }
                for d in b'0'..=b'9' {
                    if d == b {
                        continue;
                    }
                    let mut bytes = line.as_bytes().to_vec();
                    bytes[ci] = d;
                    let changed = String::from_utf8(bytes).expect("ascii");
                    let mut damaged = lines.clone();
                    damaged[li] = &changed;
                    let mrz = Mrz::parse_lines(&damaged, &options).expect("still well-formed");
                    assert!(!mrz.is_valid(), "undetected: line {} position {} -> {}", li + 1, ci + 1, d as char);
                    tried += 1;
                }
            }
        }
        assert!(tried > 100, "too few corruptions tried: {tried}");
    }
}

#[test]
fn errors_name_line_position_field_and_expectation() {
    let options = ParseOptions::new(Date::constant(2026, 6, 1)).with_specimen(SpecimenPolicy::Accept);
    let zone = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204158ZE184226B<<<<<10";
    let mrz = Mrz::parse(zone, &options).expect("well-formed");
    let messages: Vec<String> = mrz.errors().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "line 2, position 28, expiry_date_check_digit: check digit is '8', expected 9",
            "line 2, position 44, composite_check_digit: check digit is '0', expected 9",
        ]
    );
}

#[test]
fn stateless_and_refugee_codes_are_nationalities() {
    let options = ParseOptions::new(Date::constant(2026, 6, 1)).with_specimen(SpecimenPolicy::Accept);
    for code in ["XXA", "XXB", "XXC", "XXX"] {
        let zone = format!("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4{code}4009078F9612109<<<<<<<<");
        let mrz = Mrz::parse(&zone, &options).expect("well-formed");
        assert!(mrz.is_valid(), "{code}: {:?}", mrz.errors());
        assert_eq!(mrz.nationality().map(|c| c.to_string()), Some(code.to_owned()));
    }
}

#[test]
fn a_single_unbroken_line_is_cut_into_lines() {
    let options = ParseOptions::new(Date::constant(2026, 6, 1)).with_specimen(SpecimenPolicy::Accept);
    let zone = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let mrz = Mrz::parse(zone, &options).expect("88 characters are a TD3");
    assert!(mrz.is_valid());
}

#[test]
fn a_parsed_specimen_is_written_back_identically() {
    let options = ParseOptions::new(Date::constant(2026, 6, 1)).with_specimen(SpecimenPolicy::Accept);
    for name in ["td3_specimen.mrz", "td1_specimen.mrz", "td2_specimen.mrz", "mrvb_specimen.mrz", "td1_germany.mrz"] {
        let text = std::fs::read_to_string(golden::test_data("mrz").join(name)).expect("specimen");
        let zone = text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
        let mrz = Mrz::parse(&zone, &options).expect("specimen parses");
        let fields = sapar_identity::MrzFields::from_mrz(&mrz).expect("valid fields");
        let written = sapar_identity::emit(&fields).expect("writable");
        assert_eq!(written.text(), zone, "{name}");
    }
}
