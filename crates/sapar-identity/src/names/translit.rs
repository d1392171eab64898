//! Cyrillic and Armenian to upper-case Latin under each romanisation scheme in use.

/// A Cyrillic-to-Latin romanisation scheme found on identity documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// ICAO Doc 9303 Part 3 (Russian passports since 2013).
    Icao9303,
    /// GOST R 52535.1-2006, used by the Russian migration service from 2010 to 2013.
    Fms2010,
    /// Russian interior ministry practice 1997-2010.
    Mvd1997,
    /// BGN/PCGN style (YE after vowels and at word start, YU, YA), as in older foreign documents.
    BgnPcgn,
    /// Kazakh document practice: KH for Х, YE for an initial Е, Kazakh letters folded.
    KazakhPractice,
    /// Kyrgyz national romanisation (2008): J for Ж, NG for Ң, Y for Й.
    KyrgyzNational,
}

impl Scheme {
    /// Every scheme, in a stable order (ICAO first).
    pub const ALL: [Scheme; 6] = [
        Scheme::Icao9303,
        Scheme::Fms2010,
        Scheme::Mvd1997,
        Scheme::BgnPcgn,
        Scheme::KazakhPractice,
        Scheme::KyrgyzNational,
    ];

    /// Stable identifier used in APIs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Icao9303 => "icao9303",
            Scheme::Fms2010 => "fms2010",
            Scheme::Mvd1997 => "mvd1997",
            Scheme::BgnPcgn => "bgn_pcgn",
            Scheme::KazakhPractice => "kazakh",
            Scheme::KyrgyzNational => "kyrgyz",
        }
    }

    /// Parses the identifier returned by [`Scheme::as_str`].
    pub fn parse(s: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|scheme| scheme.as_str() == s)
    }

    /// Schemes that write the iotated vowels with Y (YE, YU, YA).
    fn iotates_with_y(self) -> bool {
        matches!(self, Scheme::BgnPcgn | Scheme::KazakhPractice | Scheme::KyrgyzNational)
    }
}

impl std::fmt::Display for Scheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What precedes a letter, which decides the iotated forms of Е and Ё.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Before {
    WordStart,
    Vowel,
    /// Й, Ъ or Ь.
    SignOrShortI,
    Consonant,
}

fn is_cyrillic_vowel(c: char) -> bool {
    matches!(c, 'А' | 'Е' | 'Ё' | 'И' | 'О' | 'У' | 'Ы' | 'Э' | 'Ю' | 'Я' | 'Ә' | 'Ө' | 'Ұ' | 'Ү' | 'І' | 'Є' | 'Ї')
}

fn upper(c: char) -> char {
    match c {
        _ if c.is_ascii() => c.to_ascii_uppercase(),
        // Basic Russian lower case sits 0x20 above its capitals; no table lookup needed.
        'а'..='я' => char::from_u32(u32::from(c) - 0x20).unwrap_or(c),
        'ё' => 'Ё',
        _ => c.to_uppercase().next().unwrap_or(c),
    }
}

/// True for characters of the Cyrillic blocks.
pub(crate) fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

/// True for letters of the Armenian block.
pub(crate) fn is_armenian(c: char) -> bool {
    ('\u{0531}'..='\u{0587}').contains(&c)
}

/// Upper-case Cyrillic letter to Latin under `scheme`; `None` for characters that are not Cyrillic
/// letters. Returns "" for letters a scheme drops (the soft sign, and the hard sign outside ICAO).
fn cyrillic_letter(c: char, before: Before, scheme: Scheme) -> Option<&'static str> {
    let iotated_e = match scheme {
        Scheme::Icao9303 | Scheme::Fms2010 => false,
        Scheme::Mvd1997 => before == Before::SignOrShortI,
        Scheme::BgnPcgn | Scheme::KazakhPractice | Scheme::KyrgyzNational => before != Before::Consonant,
    };
    let y = scheme.iotates_with_y();
    let out = match c {
        'А' | 'Ә' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' | 'Ғ' | 'Ґ' | 'Ѓ' => "G",
        'Д' | 'Ђ' => "D",
        'Е' => {
            if iotated_e {
                "YE"
            } else {
                "E"
            }
        }
        'Ё' => match scheme {
            Scheme::Icao9303 | Scheme::Fms2010 | Scheme::Mvd1997 => "E",
            _ if before != Before::Consonant => "YE",
            Scheme::BgnPcgn => "E",
            Scheme::KazakhPractice | Scheme::KyrgyzNational => "YO",
        },
        'Є' => {
            if y {
                "YE"
            } else {
                "IE"
            }
        }
        'Ж' => {
            if scheme == Scheme::KyrgyzNational {
                "J"
            } else {
                "ZH"
            }
        }
        'З' => "Z",
        'Ѕ' | 'Џ' => "DZ",
        'И' | 'І' | 'Ї' | 'Ӏ' => "I",
        'Й' => match scheme {
            Scheme::Icao9303 | Scheme::Fms2010 => "I",
            _ => "Y",
        },
        'Ј' => "J",
        'К' | 'Қ' | 'Ќ' => "K",
        'Л' => "L",
        'Љ' => "LJ",
        'М' => "M",
        'Н' => "N",
        'Ң' => {
            if scheme == Scheme::KyrgyzNational {
                "NG"
            } else {
                "N"
            }
        }
        'Њ' => "NJ",
        'О' | 'Ө' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'Ћ' => "C",
        'У' | 'Ұ' | 'Ү' | 'Ў' => "U",
        'Ф' => "F",
        'Х' => "KH",
        'Һ' => "H",
        'Ц' => {
            if scheme == Scheme::Fms2010 {
                "TC"
            } else {
                "TS"
            }
        }
        'Ч' => "CH",
        'Ш' => "SH",
        'Щ' => "SHCH",
        'Ъ' => {
            if scheme == Scheme::Icao9303 {
                "IE"
            } else {
                ""
            }
        }
        'Ы' => "Y",
        'Ь' => "",
        'Э' => "E",
        'Ю' => {
            if y || scheme == Scheme::Mvd1997 {
                "YU"
            } else {
                "IU"
            }
        }
        'Я' => {
            if y || scheme == Scheme::Mvd1997 {
                "YA"
            } else {
                "IA"
            }
        }
        _ => return None,
    };
    Some(out)
}

/// Armenian letter (either case) to Latin, following Armenian passport practice.
fn armenian_letter(c: char, word_start: bool, next: Option<char>) -> (&'static str, bool) {
    let index = u32::from(c);
    // Lower-case letters sit 0x30 above their capitals; the ligature և has no capital.
    let capital = match index {
        0x0531..=0x0556 => index - 0x0531,
        0x0561..=0x0586 => index - 0x0561,
        0x0587 => return (if word_start { "YEV" } else { "EV" }, false),
        _ => return ("", false),
    };
    let next_is_yiwn = next.is_some_and(|n| matches!(n, 'Ւ' | 'ւ'));
    let out = match capital {
        0 => "A",
        1 => "B",
        2 => "G",
        3 => "D",
        4 => {
            if word_start {
                "YE"
            } else {
                "E"
            }
        }
        5 => "Z",
        6 => "E",
        7 => "Y",
        8 => "T",
        9 => "ZH",
        10 => "I",
        11 => "L",
        12 => "KH",
        13 => "TS",
        14 => "K",
        15 => "H",
        16 => "DZ",
        17 => "GH",
        18 => "CH",
        19 => "M",
        20 => "Y",
        21 => "N",
        22 => "SH",
        23 => {
            // ՈՒ is the vowel U; a lone Ո is VO at the start of a word.
            if next_is_yiwn {
                return ("U", true);
            }
            if word_start { "VO" } else { "O" }
        }
        24 => "CH",
        25 => "P",
        26 => "J",
        27 => "R",
        28 => "S",
        29 => "V",
        30 => "T",
        31 => "R",
        32 => "TS",
        33 => "V",
        34 => "P",
        35 => "K",
        36 => "O",
        37 => "F",
        _ => "",
    };
    (out, false)
}

/// Latin letters with diacritics (Kazakh 2021 alphabet, European names) folded to A-Z.
fn fold_latin(c: char) -> Option<&'static str> {
    let out = match c {
        'A'..='Z' => return None,
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'Æ' => "AE",
        'Ç' | 'Ć' | 'Č' => "C",
        'Ď' | 'Đ' => "D",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'Ğ' | 'Ģ' => "G",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "I",
        'Ķ' => "K",
        'Ł' | 'Ļ' | 'Ľ' => "L",
        'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'Œ' => "OE",
        'Ř' => "R",
        'Ś' | 'Š' | 'Ş' => "S",
        'ß' => "SS",
        'Ť' | 'Ţ' => "T",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'Ý' | 'Ÿ' => "Y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return Some(""),
    };
    Some(out)
}

/// A separator waiting for the next letter, so that none leads or trails.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Nothing,
    Space,
    Hyphen,
}

/// Calls `emit` with the Latin pieces of `text` under `scheme`: letters as upper-case A-Z runs,
/// `b"-"` for a hyphen inside a compound name, and a single `b" "` between words (spaces, `<` and
/// other separators all become one).
/// Apostrophes and unknown symbols vanish without splitting a word.
pub(crate) fn romanise(text: &str, scheme: Scheme, mut emit: impl FnMut(&[u8])) {
    let mut before = Before::WordStart;
    let mut pending = Pending::Nothing;
    let mut any = false;
    let mut chars = text.chars().peekable();
    let mut ascii = [0u8; 1];
    while let Some(raw) = chars.next() {
        let c = upper(raw);
        let piece: &[u8] = if let Some(latin) = cyrillic_letter(c, before, scheme) {
            before = if is_cyrillic_vowel(c) {
                Before::Vowel
            } else if matches!(c, 'Й' | 'Ъ' | 'Ь') {
                Before::SignOrShortI
            } else {
                Before::Consonant
            };
            latin.as_bytes()
        } else if is_armenian(raw) {
            let (latin, skip_next) = armenian_letter(raw, before == Before::WordStart, chars.peek().copied());
            if skip_next {
                chars.next();
            }
            before = Before::Consonant;
            latin.as_bytes()
        } else if c.is_ascii_uppercase() {
            before = Before::Consonant;
            ascii[0] = c as u8;
            &ascii
        } else if c.is_alphabetic() && !is_cyrillic(c) {
            before = Before::Consonant;
            match fold_latin(c) {
                Some(folded) => folded.as_bytes(),
                None => continue,
            }
        } else if matches!(c, '\'' | '’' | 'ʼ' | '`' | '"' | '.') {
            continue;
        } else if c.is_ascii_digit() {
            before = Before::Consonant;
            ascii[0] = c as u8;
            &ascii
        } else if matches!(c, '-' | '‐' | '‑' | '–') {
            // A hyphen joins the parts of a compound name (ТЕР-ПЕТРОСЯН) and is kept.
            before = Before::WordStart;
            pending = if any { Pending::Hyphen } else { Pending::Nothing };
            continue;
        } else {
            // Separators (space, `<`, comma) and anything unknown end the word.
            before = Before::WordStart;
            if any && pending == Pending::Nothing {
                pending = Pending::Space;
            }
            continue;
        };
        if piece.is_empty() {
            continue;
        }
        match pending {
            Pending::Nothing => {}
            Pending::Space => emit(b" "),
            Pending::Hyphen => emit(b"-"),
        }
        pending = Pending::Nothing;
        any = true;
        emit(piece);
    }
}

/// Romanises `text` (Cyrillic, Armenian or Latin) under `scheme` into upper-case Latin with words
/// separated by single spaces, as printed in a passport's visual zone. Latin input is upper-cased
/// and its diacritics folded; Armenian script follows Armenian passport practice whatever the scheme.
pub fn to_latin(text: &str, scheme: Scheme) -> String {
    let mut out = Vec::with_capacity(text.len() + 4);
    romanise(text, scheme, |piece| out.extend_from_slice(piece));
    // Only ASCII bytes are ever emitted.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_identifiers_round_trip() {
        for scheme in Scheme::ALL {
            assert_eq!(Scheme::parse(scheme.as_str()), Some(scheme));
        }
    }

    #[test]
    fn icao_and_bgn_differ_on_iotated_vowels() {
        assert_eq!(to_latin("Юлия", Scheme::Icao9303), "IULIIA");
        assert_eq!(to_latin("Юлия", Scheme::BgnPcgn), "YULIYA");
    }

    #[test]
    fn separators_collapse_to_one_space() {
        assert_eq!(to_latin("  Анна-Мария  Петрова ", Scheme::Icao9303), "ANNA-MARIIA PETROVA");
        assert_eq!(to_latin("ERIKSSON<<ANNA<MARIA", Scheme::Icao9303), "ERIKSSON ANNA MARIA");
    }

    #[test]
    fn armenian_script_is_romanised() {
        assert_eq!(to_latin("Հովհաննես", Scheme::Icao9303), "HOVHANNES");
        assert_eq!(to_latin("Հարությունյան", Scheme::Icao9303), "HARUTYUNYAN");
        assert_eq!(to_latin("Ոսկանյան", Scheme::Icao9303), "VOSKANYAN");
    }
}
