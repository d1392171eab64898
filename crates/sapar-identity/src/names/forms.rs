//! Plausible spellings of one name: its Latin forms under every scheme, bounded Cyrillic
//! candidates for a Latin name, and Armenian variants (initial H, -YAN/-IAN, HAKOB/AKOP).

use super::translit::{Scheme, is_armenian, is_cyrillic, to_latin};

/// Most Cyrillic candidates [`cyrillic_forms`] returns.
pub const MAX_CYRILLIC_FORMS: usize = 12;

/// The Latin forms of `text` under every scheme, deduplicated (the first scheme producing a form
/// names it). Text with no Cyrillic or Armenian letter is returned once, upper-cased, under ICAO.
pub fn latin_forms(text: &str) -> Vec<(Scheme, String)> {
    let mut out: Vec<(Scheme, String)> = Vec::with_capacity(Scheme::ALL.len());
    if !text.chars().any(|c| is_cyrillic(c) || is_armenian(c)) {
        out.push((Scheme::Icao9303, to_latin(text, Scheme::Icao9303)));
        return out;
    }
    for scheme in Scheme::ALL {
        let form = to_latin(text, scheme);
        if !out.iter().any(|(_, f)| *f == form) {
            out.push((scheme, form));
        }
    }
    out
}

/// Russian tradition (left) and Armenian romanisation (right) of common Armenian name stems.
const ARMENIAN_STEMS: &[(&str, &str)] = &[
    ("AKOP", "HAKOB"),
    ("AGOP", "HAKOB"),
    ("OVANNES", "HOVHANNES"),
    ("OVANES", "HOVHANNES"),
    ("OGANES", "HOVHANNES"),
    ("OVANNIS", "HOVHANNIS"),
    ("OVANIS", "HOVHANNIS"),
    ("OGANNIS", "HOVHANNIS"),
    ("OVSEP", "HOVSEP"),
    ("ARUTIUN", "HARUTYUN"),
    ("ARUTYUN", "HARUTYUN"),
    ("AMBARTSUM", "HAMBARDZUM"),
    ("AIRAPET", "HAYRAPET"),
    ("AYRAPET", "HAYRAPET"),
    ("AIK", "HAYK"),
    ("AYK", "HAYK"),
    ("AMAIAK", "HMAYAK"),
    ("AMAYAK", "HMAYAK"),
    ("OVIK", "HOVIK"),
];

/// True when a name looks Armenian: Armenian script, or a word ending in -YAN/-IAN/-ЯН (with -TS).
pub(crate) fn looks_armenian(text: &str) -> bool {
    if text.chars().any(is_armenian) {
        return true;
    }
    let latin = to_latin(text, Scheme::Icao9303);
    latin.split(' ').any(|word| {
        let word = word.strip_suffix("TS").unwrap_or(word);
        word.len() > 4 && (word.ends_with("YAN") || word.ends_with("IAN"))
    })
}

fn replace_stem(word: &str, from: &str, to: &str) -> Option<String> {
    word.strip_prefix(from).map(|rest| format!("{to}{rest}"))
}

/// Armenian variants of one upper-case Latin word: the stem in the other tradition, initial H
/// dropped or restored, -IAN written -YAN and back.
fn armenian_word_variants(word: &str, out: &mut Vec<String>) {
    let mut push = |w: String| {
        if !w.is_empty() && !out.contains(&w) {
            out.push(w);
        }
    };
    let mut bases = vec![word.to_owned()];
    for (russian, armenian) in ARMENIAN_STEMS {
        if let Some(w) = replace_stem(word, russian, armenian) {
            bases.push(w);
        }
        if let Some(w) = replace_stem(word, armenian, russian) {
            bases.push(w);
        }
    }
    if let Some(rest) = word.strip_prefix('H') {
        bases.push(rest.replace("VH", "V"));
    } else if word.starts_with(['A', 'O', 'E']) {
        bases.push(format!("H{word}"));
    }
    for base in bases {
        push(base.clone());
        if let Some(stem) = base.strip_suffix("IAN") {
            push(format!("{stem}YAN"));
        } else if let Some(stem) = base.strip_suffix("YAN") {
            push(format!("{stem}IAN"));
        }
    }
}

/// Latin variants of an Armenian name: every scheme's form (for Cyrillic input) or the Armenian
/// romanisation (for Armenian script), each word with its Russian-tradition and Armenian-tradition
/// stems, initial H dropped and restored, and -YAN/-IAN. Empty when the name does not look Armenian.
pub fn armenian_variants(text: &str) -> Vec<String> {
    if !looks_armenian(text) && !first_word_has_armenian_stem(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (_, form) in latin_forms(text) {
        let mut per_word: Vec<Vec<String>> = Vec::new();
        for word in form.split(' ') {
            let mut variants = Vec::new();
            armenian_word_variants(word, &mut variants);
            per_word.push(variants);
        }
        let mut combos: Vec<String> = vec![String::new()];
        for variants in &per_word {
            let mut next = Vec::new();
            for prefix in &combos {
                for v in variants {
                    let joined = if prefix.is_empty() { v.clone() } else { format!("{prefix} {v}") };
                    next.push(joined);
                }
            }
            next.truncate(32);
            combos = next;
        }
        for combo in combos {
            if !out.contains(&combo) {
                out.push(combo);
            }
        }
    }
    out
}

fn first_word_has_armenian_stem(text: &str) -> bool {
    let latin = to_latin(text, Scheme::Icao9303);
    latin.split(' ').any(|word| ARMENIAN_STEMS.iter().any(|(r, a)| word.starts_with(r) || word.starts_with(a)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Vowel,
    Consonant,
}

fn is_latin_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
}

/// Cyrillic alternatives (text, cost) for the Latin segment starting at `rest`, with its length.
fn segment_alternatives(rest: &[u8], prev: Prev) -> Vec<(usize, &'static str, u32)> {
    let at_end = |n: usize| rest.get(n).is_none_or(|b| !b.is_ascii_uppercase());
    let next_is_vowel = |n: usize| rest.get(n).copied().is_some_and(is_latin_vowel);
    let mut alts: Vec<(usize, &'static str, u32)> = Vec::new();
    let starts = |p: &[u8]| rest.starts_with(p);
    if starts(b"SHCH") {
        alts.push((4, "Щ", 0));
    }
    if starts(b"SH") {
        alts.push((2, "Ш", 0));
    }
    if starts(b"CH") {
        alts.push((2, "Ч", 0));
    }
    if starts(b"ZH") {
        alts.push((2, "Ж", 0));
    }
    if starts(b"KH") {
        alts.push((2, "Х", 0));
    }
    if starts(b"TS") {
        alts.push((2, "Ц", 0));
    }
    if starts(b"TC") {
        alts.push((2, "Ц", 0));
    }
    if starts(b"DJ") {
        alts.push((2, "ДЖ", 0));
    }
    if starts(b"YE") {
        match prev {
            Prev::Consonant => alts.extend([(2, "ЬЕ", 0), (2, "Е", 1)]),
            _ => alts.push((2, "Е", 0)),
        }
    }
    if starts(b"YO") {
        match prev {
            Prev::Consonant => alts.extend([(2, "Ё", 0), (2, "ЬО", 1)]),
            Prev::Start => alts.extend([(2, "ЙО", 0), (2, "Ё", 1)]),
            Prev::Vowel => alts.extend([(2, "Ё", 0), (2, "ЙО", 0)]),
        }
    }
    if starts(b"YU") {
        match prev {
            Prev::Consonant => alts.extend([(2, "ЬЮ", 0), (2, "Ю", 1)]),
            _ => alts.push((2, "Ю", 0)),
        }
    }
    if starts(b"YA") {
        match prev {
            // The Armenian surname ending -ЯН is far commoner than -ЬЯН.
            Prev::Consonant if starts(b"YAN") && at_end(3) => alts.extend([(2, "Я", 0), (2, "ЬЯ", 1)]),
            Prev::Consonant => alts.extend([(2, "ЬЯ", 0), (2, "Я", 1)]),
            _ => alts.push((2, "Я", 0)),
        }
    }
    if starts(b"IU") {
        match prev {
            Prev::Consonant => alts.extend([(2, "Ю", 0), (2, "ЬЮ", 1)]),
            _ => alts.push((2, "Ю", 0)),
        }
    }
    if starts(b"IA") {
        match prev {
            Prev::Consonant => alts.extend([(2, "Я", 0), (2, "ЬЯ", 1)]),
            _ => alts.push((2, "Я", 0)),
        }
    }
    if starts(b"IE") && prev == Prev::Consonant {
        alts.push((2, "ЪЕ", 2));
    }
    let Some(&first) = rest.first() else {
        return alts;
    };
    let single: &[(&'static str, u32)] = match first {
        b'A' => &[("А", 0)],
        b'B' => &[("Б", 0)],
        b'C' => &[("К", 0), ("Ц", 1)],
        b'D' => &[("Д", 0)],
        b'E' => match prev {
            Prev::Start => &[("Е", 0), ("Э", 1)],
            Prev::Vowel => &[("Е", 0), ("Э", 1)],
            Prev::Consonant => &[("Е", 0), ("Ё", 2)],
        },
        b'F' => &[("Ф", 0)],
        b'G' => &[("Г", 0)],
        b'H' => &[("Х", 0), ("Г", 2)],
        b'I' => {
            if prev == Prev::Vowel && !next_is_vowel(1) {
                &[("Й", 0), ("И", 1)]
            } else {
                &[("И", 0), ("Й", 2)]
            }
        }
        b'J' => &[("Ж", 0), ("ДЖ", 1)],
        b'K' => &[("К", 0)],
        b'L' => {
            if at_end(1) && prev != Prev::Start {
                &[("Л", 0), ("ЛЬ", 1)]
            } else {
                &[("Л", 0)]
            }
        }
        b'M' => &[("М", 0)],
        b'N' => &[("Н", 0)],
        b'O' => &[("О", 0)],
        b'P' => &[("П", 0)],
        b'Q' => &[("К", 0)],
        b'R' => {
            if at_end(1) && prev != Prev::Start {
                &[("Р", 0), ("РЬ", 1)]
            } else {
                &[("Р", 0)]
            }
        }
        b'S' => &[("С", 0)],
        b'T' => &[("Т", 0)],
        b'U' => &[("У", 0)],
        b'V' => &[("В", 0)],
        b'W' => &[("В", 0)],
        b'X' => &[("КС", 0)],
        b'Y' => match prev {
            Prev::Vowel => &[("Й", 0)],
            Prev::Start => &[("Й", 0), ("Ы", 2)],
            Prev::Consonant => &[("Ы", 0), ("И", 1), ("Й", 2)],
        },
        b'Z' => &[("З", 0)],
        _ => &[],
    };
    // Reading a digraph letter by letter (C H for CH) is the least likely reading.
    let split_penalty = if alts.is_empty() { 0 } else { 2 };
    alts.extend(single.iter().map(|&(s, c)| (1, s, c + split_penalty)));
    alts
}

/// A partial candidate: Cyrillic so far, accumulated cost, Latin bytes consumed.
#[derive(Clone)]
struct Partial {
    text: String,
    cost: u32,
    pos: usize,
}

fn cyrillic_word_forms(word: &[u8], limit: usize) -> Vec<(String, u32)> {
    let mut frontier = vec![Partial { text: String::new(), cost: 0, pos: 0 }];
    let mut done: Vec<(String, u32)> = Vec::new();
    // Each step consumes at least one Latin byte, so the loop ends within word.len() rounds.
    while !frontier.is_empty() {
        let mut next: Vec<Partial> = Vec::new();
        for p in frontier {
            if p.pos >= word.len() {
                if !done.iter().any(|(t, _)| *t == p.text) {
                    done.push((p.text, p.cost));
                }
                continue;
            }
            let prev = match p.pos.checked_sub(1).map(|i| word[i]) {
                None => Prev::Start,
                Some(b) if is_latin_vowel(b) => Prev::Vowel,
                Some(_) => Prev::Consonant,
            };
            let alts = segment_alternatives(&word[p.pos..], prev);
            if alts.is_empty() {
                // A byte with no Cyrillic counterpart is skipped.
                next.push(Partial { pos: p.pos + 1, ..p });
                continue;
            }
            for (len, cyr, cost) in alts {
                let mut text = p.text.clone();
                text.push_str(cyr);
                next.push(Partial { text, cost: p.cost + cost, pos: p.pos + len });
            }
        }
        next.sort_by(|a, b| a.cost.cmp(&b.cost).then(b.pos.cmp(&a.pos)));
        next.truncate(limit * 4);
        frontier = next;
    }
    done.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    done.truncate(limit);
    done
}

/// Plausible upper-case Cyrillic spellings of a Latin name, most likely first, at most
/// [`MAX_CYRILLIC_FORMS`]. Armenian-looking names also yield their Russian-tradition forms
/// (HAKOBYAN: АКОПЯН). Cyrillic input is returned upper-cased.
pub fn cyrillic_forms(latin: &str) -> Vec<String> {
    if latin.chars().any(is_cyrillic) {
        return vec![latin.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()];
    }
    let normalised = to_latin(latin, Scheme::Icao9303);
    let mut sources: Vec<(String, u32)> = vec![(normalised.clone(), 0)];
    for variant in armenian_variants(&normalised) {
        if !sources.iter().any(|(s, _)| *s == variant) {
            sources.push((variant, 1));
        }
    }
    let mut scored: Vec<(String, u32)> = Vec::new();
    for (source, base_cost) in sources {
        let mut combos: Vec<(String, u32)> = vec![(String::new(), base_cost)];
        for word in source.split(' ').filter(|w| !w.is_empty()) {
            let forms = cyrillic_word_forms(word.as_bytes(), MAX_CYRILLIC_FORMS);
            let mut next = Vec::new();
            for (prefix, cost) in &combos {
                for (form, form_cost) in &forms {
                    let text = if prefix.is_empty() { form.clone() } else { format!("{prefix} {form}") };
                    next.push((text, cost + form_cost));
                }
            }
            next.sort_by_key(|a| a.1);
            next.truncate(MAX_CYRILLIC_FORMS);
            combos = next;
        }
        for (text, cost) in combos {
            if text.is_empty() {
                continue;
            }
            match scored.iter_mut().find(|(t, _)| *t == text) {
                Some(existing) => existing.1 = existing.1.min(cost),
                None => scored.push((text, cost)),
            }
        }
    }
    scored.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    scored.truncate(MAX_CYRILLIC_FORMS);
    scored.into_iter().map(|(t, _)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_forms_are_deduplicated_with_first_scheme() {
        let forms = latin_forms("Иван");
        assert_eq!(forms, vec![(Scheme::Icao9303, "IVAN".to_owned())]);
    }

    #[test]
    fn cyrillic_forms_recover_common_names() {
        assert!(cyrillic_forms("IULIIA").contains(&"ЮЛИЯ".to_owned()));
        assert!(cyrillic_forms("YULIYA").contains(&"ЮЛИЯ".to_owned()));
        assert!(cyrillic_forms("ANDREY").contains(&"АНДРЕЙ".to_owned()));
        assert!(cyrillic_forms("ANDREI").contains(&"АНДРЕЙ".to_owned()));
        assert!(cyrillic_forms("VASILYEV").contains(&"ВАСИЛЬЕВ".to_owned()));
    }

    #[test]
    fn cyrillic_forms_are_bounded() {
        let forms = cyrillic_forms("YELIZAVETA ALEKSANDROVNA SHCHERBAKOVA-TSYGANKOVA");
        assert!(!forms.is_empty());
        assert!(forms.len() <= MAX_CYRILLIC_FORMS);
    }

    #[test]
    fn armenian_names_reach_russian_tradition() {
        assert!(cyrillic_forms("HAKOBYAN").contains(&"АКОПЯН".to_owned()));
        assert!(cyrillic_forms("HOVHANNES").contains(&"ОВАННЕС".to_owned()));
        assert!(armenian_variants("Акопян").contains(&"HAKOBYAN".to_owned()));
        assert!(armenian_variants("ARUTIUNIAN").contains(&"HARUTYUNYAN".to_owned()));
    }
}
