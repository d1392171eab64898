//! The scheme-invariant matching key: one string for every romanisation of a name.
//!
//! The text is first romanised (Cyrillic under ICAO 9303, Armenian after passport practice, Latin
//! diacritics folded), then normalised where the schemes disagree, until nothing changes:
//!
//! * consonant + `YO` → consonant + `E` (ФЁДОР: FEDOR, FYODOR),
//! * `TC` → `TS` (Ц under GOST R 52535.1), `KH` → `H`, `ZH` → `J` (Kyrgyz Ж), `NG` → `N` (Kyrgyz Ң),
//!   `Y` → `I` (Й, Ы and the iotated vowels), `Q` → `K`, `W` → `V`, `X` → `KS`,
//! * after a consonant `IEIA` → `IA`, `IEIU` → `IU` (ICAO's IE for Ъ before Я, Ю), then `IE` → `E`
//!   (ICAO's IE for Ъ, and YE for Е), and doubled letters collapsed.
//!
//! Words stay separated by single spaces. The key is lossy on purpose (ДАНА and ДИАНА share one);
//! similarity over the original text separates what the key merges.

use super::translit::{Scheme, romanise};

fn is_consonant(b: u8) -> bool {
    b.is_ascii_uppercase() && !matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
}

/// Digraphs and single letters on which the schemes disagree.
fn consonant_pass(input: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < input.len() {
        let c = input[i];
        let next = input.get(i + 1).copied();
        match (c, next) {
            (b'Y', Some(b'O')) if out.last().copied().is_some_and(is_consonant) => {
                out.push(b'E');
                i += 2;
            }
            (b'T', Some(b'C')) => {
                out.extend_from_slice(b"TS");
                i += 2;
            }
            (b'K', Some(b'H')) => {
                out.push(b'H');
                i += 2;
            }
            (b'Z', Some(b'H')) => {
                out.push(b'J');
                i += 2;
            }
            (b'N', Some(b'G')) => {
                out.push(b'N');
                i += 2;
            }
            (b'Y', _) => {
                out.push(b'I');
                i += 1;
            }
            (b'Q', _) => {
                out.push(b'K');
                i += 1;
            }
            (b'W', _) => {
                out.push(b'V');
                i += 1;
            }
            (b'X', _) => {
                out.extend_from_slice(b"KS");
                i += 1;
            }
            (b'A'..=b'Z' | b' ', _) => {
                out.push(c);
                i += 1;
            }
            (b'-', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => i += 1,
        }
    }
}

fn push_collapsed(out: &mut Vec<u8>, c: u8) {
    if out.last() != Some(&c) {
        out.push(c);
    }
}

/// IE for Ъ and YE for Е, then doubled letters.
fn vowel_pass(input: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < input.len() {
        let rest = &input[i..];
        let after_consonant = out.last().copied().is_some_and(is_consonant);
        if after_consonant && (rest.starts_with(b"IEIA") || rest.starts_with(b"IEIU")) {
            i += 2;
        } else if rest.starts_with(b"IE") {
            push_collapsed(out, b'E');
            i += 2;
        } else {
            push_collapsed(out, rest[0]);
            i += 1;
        }
    }
}

/// Scratch buffers reused across calls, so a key costs one allocation: its own.
#[derive(Default)]
struct Scratch {
    a: Vec<u8>,
    b: Vec<u8>,
    c: Vec<u8>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

fn key_into(text: &str, scratch: &mut Scratch, out: &mut String) {
    let Scratch { a, b, c } = scratch;
    a.clear();
    romanise(text, Scheme::Icao9303, |piece| a.extend_from_slice(piece));
    // Rounds rarely lengthen the text (only X becomes KS), so a handful reaches the fixpoint.
    for _ in 0..6 {
        consonant_pass(a, b);
        vowel_pass(b, c);
        if c == a {
            break;
        }
        std::mem::swap(a, c);
    }
    let trimmed = a.trim_ascii();
    out.clear();
    // Only A-Z and spaces remain.
    out.push_str(std::str::from_utf8(trimmed).unwrap_or_default());
}

/// Writes the key of `text` into `out` (cleared first): no allocation once `out` has grown.
pub fn name_key_into(text: &str, out: &mut String) {
    let done = SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            key_into(text, &mut scratch, out);
            true
        }
        Err(_) => false,
    });
    if !done {
        key_into(text, &mut Scratch::default(), out);
    }
}

/// The scheme-invariant key of a name in any script: upper-case A-Z words separated by single
/// spaces. Every scheme's rendering of one Cyrillic name, and the Cyrillic itself, share a key.
pub fn name_key(text: &str) -> String {
    let mut out = String::new();
    name_key_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iotated_vowels_agree_across_schemes() {
        assert_eq!(name_key("IULIIA"), name_key("YULIYA"));
        assert_eq!(name_key("Юлия"), name_key("YULIYA"));
    }

    #[test]
    fn hard_sign_in_icao_matches_its_omission() {
        assert_eq!(name_key("PODIEIACHEV"), name_key("PODYACHEV"));
        assert_eq!(name_key("OBIEEM"), name_key("OBEM"));
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(name_key("IVANOV"), name_key("IVANOVA"));
        assert_ne!(name_key("PETROV"), name_key("PETRENKO"));
    }

    #[test]
    fn key_is_idempotent_on_examples() {
        for name in ["Ерлан Жанұзақов", "Подъячев", "Артём", "ALEXANDER", "Хасанов"] {
            let key = name_key(name);
            assert_eq!(name_key(&key), key, "{name}");
        }
    }
}
