//! ICAO 9303 machine-readable zones and Cyrillic/Latin names: parsing, emitting, transliteration, matching keys.

pub mod mrz;
pub mod names;

pub use mrz::{
    CheckResult, EmitError, EmittedMrz, Field, Mrz, MrzError, MrzFields, MrzFormat, ParseOptions, SpecimenPolicy,
    Suggestion, check_digit, emit,
};
pub use names::{
    FullNameComparison, NameParts, Scheme, armenian_variants, cyrillic_forms, full_name_similarity, latin_forms,
    name_key, name_key_into, name_similarity, split_full_name, to_latin,
};
