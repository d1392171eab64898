//! Property tests of the MRZ: emit then parse gives the fields back; date corruptions are caught;
//! parsing never panics.

use jiff::civil::Date;
use proptest::prelude::*;
use sapar_identity::{Mrz, MrzFields, MrzFormat, ParseOptions, SpecimenPolicy, emit};
use sapar_model::{Country, Sex};

const TODAY: Date = Date::constant(2026, 6, 1);

fn options() -> ParseOptions {
    ParseOptions::new(TODAY).with_specimen(SpecimenPolicy::Accept)
}

fn country() -> impl Strategy<Value = Country> {
    prop::sample::select(vec!["KAZ", "KGZ", "RUS", "ARM", "UZB", "DEU", "FRA", "XXA", "XXB", "XXC", "XXX", "UTO"])
        .prop_map(|c| Country::parse_allowing_specimen(c).expect("known code"))
}

/// Birth dates from 99 years before today up to today, as the century policy requires.
fn birth_date() -> impl Strategy<Value = Option<Date>> {
    prop::option::weighted(0.9, 0..36_000i32).prop_map(|days| days.map(|d| TODAY - jiff::Span::new().days(d)))
}

/// Expiry dates within 50 years before and 49 years after today's year.
fn expiry_date() -> impl Strategy<Value = Date> {
    (1976i16..=2075, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::constant(y, m, d))
}

/// One or two words of up to six letters: every name then fits the narrowest field (TD1, 30).
fn words() -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Z]{1,6}", 1..=2).prop_map(|w| w.join(" "))
}

fn format() -> impl Strategy<Value = MrzFormat> {
    prop::sample::select(MrzFormat::ALL.to_vec())
}

fn fields() -> impl Strategy<Value = MrzFields> {
    (
        format(),
        prop::option::of("[A-Z]"),
        (country(), country()),
        "[A-Z0-9]{1,20}",
        (birth_date(), expiry_date()),
        prop::sample::select(vec![Sex::Male, Sex::Female, Sex::Unspecified]),
        (words(), prop::option::of(words())),
        ("[A-Z0-9]{0,16}", "[A-Z0-9]{0,11}"),
    )
        .prop_map(
            |(format, second, (issuing, nationality), number, (birth, expiry), sex, (surname, given), (opt, opt2))| {
                let first = match format {
                    MrzFormat::Td3 => "P",
                    MrzFormat::MrvA | MrzFormat::MrvB => "V",
                    _ => "I",
                };
                MrzFields {
                    format,
                    document_code: format!("{first}{}", second.unwrap_or_default()),
                    issuing_state: issuing,
                    document_number: number,
                    nationality,
                    birth_date: birth,
                    sex,
                    expiry_date: expiry,
                    surname,
                    given_names: given.unwrap_or_default(),
                    optional_data: opt,
                    optional_data_2: if format == MrzFormat::Td1 { opt2 } else { String::new() },
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn emit_then_parse_gives_the_fields_back(f in fields()) {
        // Numbers and optional data too long for the format are refused by emit; skip those.
        let Ok(zone) = emit(&f) else { return Ok(()) };
        prop_assert!(!zone.name_truncated);
        let mrz = Mrz::parse(&zone.text(), &options()).expect("emitted zone is well-formed");
        prop_assert!(mrz.is_valid(), "{:?}\n{}", mrz.errors(), zone.text());
        prop_assert_eq!(mrz.format(), f.format);
        prop_assert_eq!(mrz.document_code(), f.document_code.as_str());
        prop_assert_eq!(mrz.issuing_state(), Some(f.issuing_state));
        prop_assert_eq!(mrz.document_number(), f.document_number.as_str());
        prop_assert_eq!(mrz.nationality(), Some(f.nationality));
        prop_assert_eq!(mrz.birth_date(), f.birth_date);
        prop_assert_eq!(mrz.sex(), Some(f.sex));
        prop_assert_eq!(mrz.expiry_date(), Some(f.expiry_date));
        prop_assert_eq!(mrz.surname(), f.surname.clone());
        prop_assert_eq!(mrz.given_names(), f.given_names.clone());
        prop_assert_eq!(mrz.optional_data(), f.optional_data.as_str());
        prop_assert_eq!(mrz.optional_data_2(), f.optional_data_2.as_str());
    }

    #[test]
    fn any_single_digit_change_in_a_date_is_detected(f in fields(), which in 0..2usize, pos in 0..6usize, delta in 1..10u8) {
        let Ok(zone) = emit(&f) else { return Ok(()) };
        if which == 0 && f.birth_date.is_none() {
            return Ok(());
        }
        // 0-based (line, column) of each date field's first character.
        let (line, column) = match (f.format, which) {
            (MrzFormat::Td1, 0) => (1, 0),
            (MrzFormat::Td1, _) => (1, 8),
            (_, 0) => (1, 13),
            (_, _) => (1, 21),
        };
        let mut lines = zone.lines.clone();
        let mut bytes = lines[line].clone().into_bytes();
        let old = bytes[column + pos];
        bytes[column + pos] = b'0' + (old - b'0' + delta) % 10;
        lines[line] = String::from_utf8(bytes).expect("ascii");
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mrz = Mrz::parse_lines(&refs, &options()).expect("still well-formed");
        prop_assert!(!mrz.is_valid());
        let check = if which == 0 { sapar_identity::Field::BirthDateCheck } else { sapar_identity::Field::ExpiryDateCheck };
        prop_assert!(mrz.check(check).is_some_and(|c| !c.valid));
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = Mrz::parse(&text, &options()).map(|m| m.suggestions(&options()));
    }

    #[test]
    fn parsing_arbitrary_zones_never_panics(format in format(), seed in prop::collection::vec("[A-Z0-9<]", 132)) {
        let width = format.line_len();
        let chars: String = seed.concat();
        let lines: Vec<&str> = (0..format.line_count()).map(|i| &chars[i * width..(i + 1) * width]).collect();
        let mrz = Mrz::parse_lines(&lines, &options()).expect("right shape and alphabet");
        let _ = mrz.suggestions(&options());
        let _ = (mrz.surname(), mrz.given_names(), mrz.document_number(), mrz.optional_data());
    }
}
