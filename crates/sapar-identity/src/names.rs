//! Names across scripts: romanisation under each scheme, plausible forms, matching keys,
//! similarity and name parts.

mod compare;
mod forms;
mod key;
mod translit;

pub use compare::{FullNameComparison, NameParts, full_name_similarity, name_similarity, split_full_name};
pub use forms::{MAX_CYRILLIC_FORMS, armenian_variants, cyrillic_forms, latin_forms};
pub use key::{name_key, name_key_into};
pub use translit::{Scheme, to_latin};
