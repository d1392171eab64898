//! Writing zones from fields: a hand-checked table of cases, and refusals.

use jiff::civil::Date;
use sapar_identity::{EmitError, Field, MrzFields, MrzFormat, emit};
use sapar_model::{Country, Sex};

use crate::golden;

fn field<'a>(block: &'a [&'a str], name: &str) -> &'a str {
    block.iter().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':'))).map_or("", str::trim)
}

fn fields_of(block: &[&str]) -> MrzFields {
    let date = |s: &str| if s == "-" { None } else { Some(s.parse::<Date>().expect("date")) };
    MrzFields {
        format: MrzFormat::parse(field(block, "format")).expect("format"),
        document_code: field(block, "document_code").to_owned(),
        issuing_state: Country::parse(field(block, "issuing_state")).expect("country"),
        document_number: field(block, "document_number").to_owned(),
        nationality: Country::parse(field(block, "nationality")).expect("country"),
        birth_date: date(field(block, "birth_date")),
        sex: Sex::parse(field(block, "sex")).expect("sex"),
        expiry_date: date(field(block, "expiry_date")).expect("expiry"),
        surname: field(block, "surname").to_owned(),
        given_names: field(block, "given_names").to_owned(),
        optional_data: field(block, "optional_data").to_owned(),
        optional_data_2: field(block, "optional_data_2").to_owned(),
    }
}

#[test]
fn fields_are_written_as_the_hand_checked_table_says() {
    let text = std::fs::read_to_string(golden::test_data("emit").join("cases.txt")).expect("cases");
    let mut count = 0;
    for case in text.split("\n## ").skip(1) {
        let lines: Vec<&str> = case.lines().collect();
        let name = lines[0];
        let body = &lines[1..];
        let fields = fields_of(body);
        let zone_lines: Vec<&str> = body.iter().copied().filter(|l| !l.contains(':')).collect();
        let written = emit(&fields).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(written.lines, zone_lines, "{name}");
        assert_eq!(written.name_truncated.to_string(), field(body, "truncated"), "{name}");
        count += 1;
    }
    assert_eq!(count, 3);
}

fn passport() -> MrzFields {
    MrzFields {
        format: MrzFormat::Td3,
        document_code: "P".to_owned(),
        issuing_state: Country::KAZ,
        document_number: "N12345678".to_owned(),
        nationality: Country::KAZ,
        birth_date: Some(Date::constant(1985, 3, 14)),
        sex: Sex::Male,
        expiry_date: Date::constant(2031, 7, 1),
        surname: "Жанұзақов".to_owned(),
        given_names: "Ерлан".to_owned(),
        optional_data: String::new(),
        optional_data_2: String::new(),
    }
}

#[test]
fn a_passport_number_longer_than_nine_is_refused() {
    let fields = MrzFields { document_number: "N1234567890".to_owned(), ..passport() };
    assert!(matches!(emit(&fields), Err(EmitError::TooLong { field: Field::DocumentNumber, max: 9, .. })));
}

#[test]
fn a_document_code_foreign_to_the_format_is_refused() {
    let fields = MrzFields { document_code: "I".to_owned(), ..passport() };
    let err = emit(&fields).expect_err("I is not a passport code");
    assert_eq!(err.to_string(), "document_code: \"I\" is not allowed (expected P, optionally followed by a letter)");
}

#[test]
fn a_surname_without_latin_letters_is_refused() {
    let fields = MrzFields { surname: "---".to_owned(), ..passport() };
    assert_eq!(emit(&fields), Err(EmitError::EmptySurname));
}
