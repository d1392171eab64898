//! Comparing names across scripts: similarity of one name, of full names in either order, and
//! recognising surname, given names and patronymic in a full name string.

use super::forms::looks_armenian;
use super::key::name_key;
use super::translit::{Scheme, to_latin};

/// Similarity given to two Armenian renderings that differ only by the variant rules.
const ARMENIAN_VARIANT_SIMILARITY: f64 = 0.95;
/// Similarity given to a truncated name (MRZ field full) against its full form.
const TRUNCATED_SIMILARITY: f64 = 0.95;
/// Shortest key prefix accepted as a truncation of a longer name.
const MIN_TRUNCATED_LEN: usize = 5;
/// Weight of the patronymic against a surname or given name when both sides have one.
const PATRONYMIC_WEIGHT: f64 = 0.5;
/// Weight of a name word present on one side only (a missing second given name).
const UNMATCHED_WEIGHT: f64 = 0.5;

/// Armenian fold of a key: H dropped except in CH and SH, voiced stops unvoiced (HAKOB: AKOP).
fn armenian_fold(key: &str) -> String {
    let bytes = key.as_bytes();
    let mut out = String::with_capacity(key.len());
    for (i, &b) in bytes.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| bytes[j]);
        let c = match b {
            b'H' if !matches!(prev, Some(b'C' | b'S')) => continue,
            b'B' => 'P',
            b'D' => 'T',
            b'G' => 'K',
            _ => char::from(b),
        };
        if !out.ends_with(c) || c == ' ' {
            out.push(c);
        }
    }
    out
}

fn sorted_words(key: &str) -> String {
    let mut words: Vec<&str> = key.split(' ').collect();
    words.sort_unstable();
    words.join(" ")
}

fn key_similarity(ka: &str, kb: &str) -> f64 {
    if ka.is_empty() || kb.is_empty() {
        return 0.0;
    }
    if ka == kb {
        return 1.0;
    }
    let mut s = strsim::jaro_winkler(ka, kb);
    if ka.contains(' ') || kb.contains(' ') {
        s = s.max(strsim::jaro_winkler(&sorted_words(ka), &sorted_words(kb)));
    }
    let (short, long) = if ka.len() <= kb.len() { (ka, kb) } else { (kb, ka) };
    if short.len() >= MIN_TRUNCATED_LEN && long.starts_with(short) {
        s = s.max(TRUNCATED_SIMILARITY);
    }
    s
}

/// Similarity in `[0, 1]` of two names in any scripts: 1 when their keys are equal, otherwise
/// Jaro-Winkler over the keys (word order ignored), raised for a truncated form of the same name
/// and for Armenian variants (HAKOBYAN, AKOPYAN, Акопян).
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let ka = name_key(a);
    let kb = name_key(b);
    let mut s = key_similarity(&ka, &kb);
    if s < ARMENIAN_VARIANT_SIMILARITY
        && !ka.is_empty()
        && !kb.is_empty()
        && (looks_armenian(a) || looks_armenian(b))
        && armenian_fold(&ka) == armenian_fold(&kb)
    {
        s = ARMENIAN_VARIANT_SIMILARITY;
    }
    s.clamp(0.0, 1.0)
}

/// The parts of a full name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameParts {
    /// Surname (family name); empty when none was recognised.
    pub surname: String,
    /// Given names separated by single spaces; may be empty.
    pub given_names: String,
    /// Patronymic, including a separate ҰЛЫ / ҚЫЗЫ / УУЛУ / КЫЗЫ word.
    pub patronymic: Option<String>,
}

/// Patronymic endings as they read after ICAO romanisation (Cyrillic -ОВИЧ reads -OVICH).
const PATRONYMIC_SUFFIXES: &[&str] = &[
    "OVICH", "EVICH", "ICH", "OVNA", "EVNA", "ICHNA", "INICHNA", "ULY", "KYZY", "QYZY", "UULU", "OGLY", "OGLU", "OGLI",
    "KIZI", "QIZI",
];

/// Words that make the preceding word a patronymic (Kazakh ҰЛЫ, ҚЫЗЫ; Kyrgyz УУЛУ, КЫЗЫ; ...).
const PATRONYMIC_PARTICLES: &[&str] = &["ULY", "KYZY", "QYZY", "UULU", "OGLY", "OGLU", "OGLI", "KIZI", "QIZI", "ULI"];

fn is_particle(word: &str) -> bool {
    let latin = to_latin(word, Scheme::Icao9303);
    PATRONYMIC_PARTICLES.contains(&latin.as_str())
}

fn has_patronymic_suffix(word: &str) -> bool {
    let latin = to_latin(word, Scheme::Icao9303);
    PATRONYMIC_SUFFIXES.iter().any(|suffix| latin.len() >= suffix.len() + 2 && latin.ends_with(suffix))
}

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '<' || c == ',').filter(|w| !w.is_empty()).collect()
}

/// The span (first, last word index) of the patronymic among `tokens`, the last one if several.
/// A patronymic never opens a name, but a separate particle may follow the first word.
fn patronymic_span(tokens: &[&str]) -> Option<(usize, usize)> {
    (1..tokens.len()).rev().find_map(|i| {
        if is_particle(tokens[i]) {
            Some((i - 1, i))
        } else if has_patronymic_suffix(tokens[i]) {
            Some((i, i))
        } else {
            None
        }
    })
}

/// Splits a full name into surname, given names and patronymic.
///
/// `SURNAME<<GIVEN<NAMES` (MRZ) and `SURNAME, GIVEN NAMES` are unambiguous. Otherwise a recognised
/// patronymic decides the order: last (`Иванов Иван Иванович`) means surname first; in the middle
/// (`Иван Иванович Иванов`) means surname last. Without a patronymic the first word is taken as the
/// surname, as in passports and registers.
pub fn split_full_name(text: &str) -> NameParts {
    let explicit = text.split_once("<<").or_else(|| text.split_once(','));
    if let Some((surname, rest)) = explicit {
        let tokens = words(rest);
        let (given, patronymic) = take_span(&tokens, patronymic_span(&tokens));
        return NameParts { surname: words(surname).join(" "), given_names: given.join(" "), patronymic };
    }
    let tokens = words(text);
    match tokens.len() {
        0 => return NameParts::default(),
        1 => return NameParts { surname: tokens[0].to_owned(), ..NameParts::default() },
        _ => {}
    }
    match patronymic_span(&tokens) {
        None => NameParts { surname: tokens[0].to_owned(), given_names: tokens[1..].join(" "), patronymic: None },
        Some((start, end)) => {
            let patronymic = Some(tokens[start..=end].join(" "));
            if start == 0 {
                // "Асан уулу Бакыт": the patronymic stands where a surname would.
                NameParts { surname: String::new(), given_names: tokens[end + 1..].join(" "), patronymic }
            } else if end == tokens.len() - 1 {
                NameParts { surname: tokens[0].to_owned(), given_names: tokens[1..start].join(" "), patronymic }
            } else {
                NameParts { surname: tokens[end + 1..].join(" "), given_names: tokens[..start].join(" "), patronymic }
            }
        }
    }
}

fn take_span<'a>(tokens: &[&'a str], span: Option<(usize, usize)>) -> (Vec<&'a str>, Option<String>) {
    match span {
        None => (tokens.to_vec(), None),
        Some((start, end)) => {
            let given = tokens[..start].iter().chain(&tokens[end + 1..]).copied().collect();
            (given, Some(tokens[start..=end].join(" ")))
        }
    }
}

/// The outcome of comparing two full names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FullNameComparison {
    /// Similarity in `[0, 1]`.
    pub similarity: f64,
    /// True when surname and given names have equal keys in some order, and the patronymics
    /// too when both names have one.
    pub same_key: bool,
}

fn name_words(parts: &NameParts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in words(&parts.surname).into_iter().chain(words(&parts.given_names)) {
        let key = name_key(word);
        if !key.is_empty() {
            out.push(key);
        }
    }
    out
}

/// Compares two full names in any scripts and either order (surname first or last); a patronymic
/// present on one side only is ignored, one present on both counts half as much as a name word.
pub fn full_name_similarity(a: &str, b: &str) -> FullNameComparison {
    let pa = split_full_name(a);
    let pb = split_full_name(b);
    let wa = name_words(&pa);
    let wb = name_words(&pb);
    if wa.is_empty() || wb.is_empty() {
        return FullNameComparison { similarity: 0.0, same_key: false };
    }
    let armenian = looks_armenian(a) || looks_armenian(b);
    // Greedy assignment of the most similar pairs; names have a handful of words.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(wa.len() * wb.len());
    for (i, x) in wa.iter().enumerate() {
        for (j, y) in wb.iter().enumerate() {
            let mut s = key_similarity(x, y);
            if armenian && s < ARMENIAN_VARIANT_SIMILARITY && armenian_fold(x) == armenian_fold(y) {
                s = ARMENIAN_VARIANT_SIMILARITY;
            }
            pairs.push((s, i, j));
        }
    }
    pairs.sort_by(|p, q| q.0.total_cmp(&p.0));
    let mut used_a = vec![false; wa.len()];
    let mut used_b = vec![false; wb.len()];
    let mut total = 0.0;
    let mut matched = 0usize;
    let mut all_exact = true;
    for (s, i, j) in pairs {
        if used_a[i] || used_b[j] {
            continue;
        }
        used_a[i] = true;
        used_b[j] = true;
        total += s;
        matched += 1;
        all_exact &= wa[i] == wb[j];
    }
    let unmatched = wa.len().max(wb.len()) - matched;
    let mut weight = matched as f64 + UNMATCHED_WEIGHT * unmatched as f64;
    let mut same_key = all_exact && unmatched == 0;
    if let (Some(x), Some(y)) = (&pa.patronymic, &pb.patronymic) {
        let (kx, ky) = (name_key(x), name_key(y));
        total += PATRONYMIC_WEIGHT * key_similarity(&kx, &ky);
        weight += PATRONYMIC_WEIGHT;
        same_key &= kx == ky;
    }
    let similarity = if weight > 0.0 { (total / weight).clamp(0.0, 1.0) } else { 0.0 };
    FullNameComparison { similarity, same_key }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_of_one_name_are_identical() {
        assert_eq!(name_similarity("IULIIA", "YULIYA"), 1.0);
        assert_eq!(name_similarity("Юлия", "YULIYA"), 1.0);
    }

    #[test]
    fn unrelated_names_score_low() {
        assert!(name_similarity("IVANOV", "ZHUMABAEV") < 0.7, "{}", name_similarity("IVANOV", "ZHUMABAEV"));
    }

    #[test]
    fn armenian_variants_score_high_but_not_one() {
        let s = name_similarity("HAKOBYAN", "Акопян");
        assert!((ARMENIAN_VARIANT_SIMILARITY..1.0).contains(&s), "{s}");
    }

    #[test]
    fn splits_surname_first_with_patronymic() {
        let parts = split_full_name("Иванов Иван Иванович");
        assert_eq!(parts.surname, "Иванов");
        assert_eq!(parts.given_names, "Иван");
        assert_eq!(parts.patronymic.as_deref(), Some("Иванович"));
    }

    #[test]
    fn splits_surname_last_when_patronymic_in_the_middle() {
        let parts = split_full_name("Ivan Ivanovich Ivanov");
        assert_eq!(parts.surname, "Ivanov");
        assert_eq!(parts.given_names, "Ivan");
        assert_eq!(parts.patronymic.as_deref(), Some("Ivanovich"));
    }

    #[test]
    fn separate_kazakh_particle_joins_the_patronymic() {
        let parts = split_full_name("Нұрланов Ерлан Болат ұлы");
        assert_eq!(parts.surname, "Нұрланов");
        assert_eq!(parts.given_names, "Ерлан");
        assert_eq!(parts.patronymic.as_deref(), Some("Болат ұлы"));
    }

    #[test]
    fn full_names_match_in_either_order_without_patronymic() {
        let c = full_name_similarity("Иванов Иван Иванович", "IVAN IVANOV");
        assert!(c.same_key);
        assert_eq!(c.similarity, 1.0);
    }
}
