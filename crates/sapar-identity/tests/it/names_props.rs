//! Property tests of the name functions: scheme invariance of keys, bounds, no panics.

use proptest::prelude::*;
use sapar_identity::{Scheme, cyrillic_forms, name_key, name_similarity, to_latin};

const CONSONANTS: &[&str] = &[
    "Б", "В", "Г", "Д", "Ж", "З", "К", "Л", "М", "Н", "П", "Р", "С", "Т", "Ф", "Х", "Ц", "Ч", "Ш", "Щ", "Ғ", "Қ", "Ң",
    "Һ",
];
const VOWELS: &[&str] = &["А", "Е", "Ё", "И", "О", "У", "Ы", "Э", "Ю", "Я", "Ә", "Ө", "Ұ", "Ү", "І"];

/// One syllable of a plausible name: consonant, optional soft or hard sign (the hard sign only
/// before Е Ё Ю Я, as in modern spelling), a vowel, optional Й or closing consonant. A syllable
/// with a sign is closed by a consonant: sign, vowel and a further bare vowel (БЬЕЯ) do not occur
/// in names, and there ICAO's IE for Ъ and MVD's YE for Е after Ь cannot both be undone.
fn syllable() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(CONSONANTS)),
        0..6u8,
        prop::sample::select(VOWELS),
        0..4u8,
        prop::sample::select(CONSONANTS),
    )
        .prop_map(|(onset, sign, vowel, coda, closing)| {
            let mut s = String::new();
            if let Some(c) = onset {
                s.push_str(c);
                match sign {
                    0 => s.push('Ь'),
                    1 if matches!(vowel, "Е" | "Ё" | "Ю" | "Я") => s.push('Ъ'),
                    _ => {}
                }
            }
            s.push_str(vowel);
            let signed = s.contains(['Ь', 'Ъ']);
            let coda = if signed { 1 } else { coda };
            match coda {
                0 => s.push('Й'),
                1 => s.push_str(closing),
                _ => {}
            }
            s
        })
}

fn cyrillic_name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(syllable(), 1..4).prop_map(|s| s.concat()), 1..3)
        .prop_map(|words| words.join(" "))
}

proptest! {
    #[test]
    fn every_scheme_gives_the_key_of_the_cyrillic(name in cyrillic_name()) {
        let key = name_key(&name);
        for scheme in Scheme::ALL {
            let latin = to_latin(&name, scheme);
            prop_assert_eq!(name_key(&latin), key.clone(), "{} under {}: {}", name, scheme, latin);
        }
    }

    #[test]
    fn key_is_idempotent_and_plain(text in "\\PC{0,40}") {
        let key = name_key(&text);
        prop_assert!(key.bytes().all(|b| b.is_ascii_uppercase() || b == b' '));
        prop_assert_eq!(name_key(&key), key);
    }

    #[test]
    fn romanisation_is_upper_case_latin(text in "\\PC{0,40}", i in 0..6usize) {
        let latin = to_latin(&text, Scheme::ALL[i]);
        prop_assert!(latin.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ' || b == b'-'));
    }

    #[test]
    fn similarity_is_bounded_and_symmetric(a in "\\PC{0,20}", b in "\\PC{0,20}") {
        let s = name_similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert!((s - name_similarity(&b, &a)).abs() < 1e-12);
    }

    #[test]
    fn cyrillic_candidates_are_bounded(latin in "[A-Z]{1,12}( [A-Z]{1,12}){0,3}") {
        let forms = cyrillic_forms(&latin);
        prop_assert!(!forms.is_empty());
        prop_assert!(forms.len() <= sapar_identity::names::MAX_CYRILLIC_FORMS);
    }

    #[test]
    fn cyrillic_candidates_include_a_form_with_the_same_key(name in cyrillic_name()) {
        let latin = to_latin(&name, Scheme::Icao9303);
        let forms = cyrillic_forms(&latin);
        prop_assert!(forms.iter().any(|f| name_key(f) == name_key(&name)), "{} -> {} -> {:?}", name, latin, forms);
    }
}
