//! ICAO 9303 machine-readable zones and Cyrillic/Latin names: parsing, emitting, transliteration, matching keys.

pub mod names;

pub use names::{
    FullNameComparison, NameParts, Scheme, armenian_variants, cyrillic_forms, full_name_similarity, latin_forms,
    name_key, name_similarity, split_full_name, to_latin,
};
