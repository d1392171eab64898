//! Synthetic persons of the region for testing and measuring linkage: Russian, Kazakh, Kyrgyz,
//! Uzbek, Tajik and Armenian names with realistic frequency skew, a Cyrillic register on one
//! side and document data on the other (mostly Latin, under several transliteration schemes),
//! with the errors real sources carry. Deterministic per seed.

use sapar_identity::{Scheme, armenian_variants, to_latin};

use crate::features::Record;
use crate::rng::SplitMix64;

/// Columns of generated records, in order.
pub const PERSON_COLUMNS: [&str; 8] =
    ["id", "surname", "given_name", "patronymic", "birth_date", "sex", "citizenship", "passport"];

/// True links: (left record id, right record id).
pub type Truth = Vec<(String, String)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nation {
    Russian,
    Kazakh,
    Kyrgyz,
    Uzbek,
    Tajik,
    Armenian,
}

const NATIONS: [(Nation, f64, &str, &str); 6] = [
    (Nation::Uzbek, 0.30, "UZB", include_str!("../data/names/uzbek.txt")),
    (Nation::Tajik, 0.15, "TJK", include_str!("../data/names/tajik.txt")),
    (Nation::Kyrgyz, 0.15, "KGZ", include_str!("../data/names/kyrgyz.txt")),
    (Nation::Kazakh, 0.15, "KAZ", include_str!("../data/names/kazakh.txt")),
    (Nation::Russian, 0.15, "RUS", include_str!("../data/names/russian.txt")),
    (Nation::Armenian, 0.10, "ARM", include_str!("../data/names/armenian.txt")),
];

/// A list sampled with Zipf-like weights by rank (most frequent first).
struct Skewed {
    items: Vec<String>,
    cumulative: Vec<f64>,
}

impl Skewed {
    fn new(items: Vec<String>, exponent: f64) -> Skewed {
        let mut total = 0.0;
        let cumulative = (0..items.len())
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(exponent);
                total
            })
            .collect();
        Skewed { items, cumulative }
    }
    fn pick(&self, rng: &mut SplitMix64) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|c| *c <= x).min(self.items.len().saturating_sub(1));
        &self.items[i]
    }
}

struct NameBook {
    nation: Nation,
    share: f64,
    citizenship: &'static str,
    male: Skewed,
    female: Skewed,
    surnames: Skewed,
}

fn parse_book(nation: Nation, share: f64, citizenship: &'static str, text: &str) -> NameBook {
    let mut sections: [Vec<String>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut current = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        match line {
            "[male]" => current = 0,
            "[female]" => current = 1,
            "[surname]" => current = 2,
            _ => {
                for w in line.split_whitespace() {
                    if !sections[current].iter().any(|x| x == w) {
                        sections[current].push(w.to_string());
                    }
                }
            }
        }
    }
    let [male, female, surnames] = sections;
    NameBook {
        nation,
        share,
        citizenship,
        male: Skewed::new(male, 0.6),
        female: Skewed::new(female, 0.6),
        surnames: Skewed::new(surnames, 0.5),
    }
}

#[derive(Debug, Clone)]
struct Person {
    nation: Nation,
    female: bool,
    given: String,
    surname: String,
    patronymic: String,
    year: u16,
    month: u8,
    day: u8,
    citizenship: &'static str,
    passport: String,
}

fn feminine_surname(s: &str) -> String {
    for (m, f) in [("ский", "ская"), ("цкий", "цкая"), ("ой", "ая")] {
        if let Some(stem) = s.strip_suffix(m) {
            return format!("{stem}{f}");
        }
    }
    for end in ["ов", "ев", "ёв", "ин", "ын"] {
        if s.ends_with(end) {
            return format!("{s}а");
        }
    }
    s.to_string()
}

fn russian_patronymic(father: &str, female: bool) -> String {
    let (stem, male_end, female_end) = if let Some(stem) = father.strip_suffix(['й', 'ь']) {
        (stem, "евич", "евна")
    } else if let Some(stem) = father.strip_suffix(['а', 'я']) {
        (stem, "ич", "ична")
    } else {
        (father, "ович", "овна")
    };
    format!("{stem}{}", if female { female_end } else { male_end })
}

fn patronymic(book: &NameBook, rng: &mut SplitMix64, female: bool) -> String {
    let father = book.male.pick(rng).to_string();
    let local = rng.chance(0.6);
    match book.nation {
        Nation::Kazakh if local => format!("{father} {}", if female { "қызы" } else { "ұлы" }),
        Nation::Kyrgyz if local => format!("{father} {}", if female { "кызы" } else { "уулу" }),
        Nation::Uzbek if rng.chance(0.3) => format!("{father} {}", if female { "қизи" } else { "ўғли" }),
        _ => russian_patronymic(&father, female),
    }
}

fn passport(nation: Nation, rng: &mut SplitMix64) -> String {
    let digits =
        |rng: &mut SplitMix64, n: usize| -> String { (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect() };
    let letters =
        |rng: &mut SplitMix64, n: usize| -> String { (0..n).map(|_| char::from(b'A' + rng.below(26) as u8)).collect() };
    match nation {
        Nation::Russian => digits(rng, 9),
        Nation::Kazakh => format!("N{}", digits(rng, 8)),
        Nation::Kyrgyz => format!("AC{}", digits(rng, 7)),
        Nation::Uzbek => format!("{}{}", letters(rng, 2), digits(rng, 7)),
        Nation::Tajik => format!("4{}", digits(rng, 8)),
        Nation::Armenian => format!("A{}{}", letters(rng, 1), digits(rng, 7)),
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn new_person(books: &[NameBook], rng: &mut SplitMix64) -> Person {
    let x = rng.unit();
    let mut acc = 0.0;
    let mut book = &books[0];
    for b in books {
        acc += b.share;
        if x < acc {
            book = b;
            break;
        }
    }
    let female = rng.chance(0.45);
    let given = if female { book.female.pick(rng) } else { book.male.pick(rng) }.to_string();
    let surname = book.surnames.pick(rng);
    let surname = if female { feminine_surname(surname) } else { surname.to_string() };
    let patronymic = patronymic(book, rng, female);
    let year = 1955 + rng.below(53) as u16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(usize::from(days_in_month(year, month))) as u8;
    Person {
        nation: book.nation,
        female,
        given,
        surname,
        patronymic,
        year,
        month,
        day,
        citizenship: book.citizenship,
        passport: passport(book.nation, rng),
    }
}

fn scheme_for(nation: Nation, rng: &mut SplitMix64) -> Scheme {
    let x = rng.unit();
    match nation {
        Nation::Russian if x < 0.5 => Scheme::Icao9303,
        Nation::Russian if x < 0.7 => Scheme::Mvd1997,
        Nation::Russian if x < 0.85 => Scheme::Fms2010,
        Nation::Russian => Scheme::BgnPcgn,
        Nation::Kazakh if x < 0.6 => Scheme::KazakhPractice,
        Nation::Kyrgyz if x < 0.6 => Scheme::KyrgyzNational,
        _ if x < 0.5 => Scheme::Icao9303,
        _ if x < 0.8 => Scheme::Mvd1997,
        _ => Scheme::BgnPcgn,
    }
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == ' ' || c == '-';
    }
    out
}

/// One random edit: substitution, deletion, insertion or transposition.
fn typo(s: &str, rng: &mut SplitMix64) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 3 {
        return s.to_string();
    }
    let cyrillic = chars.iter().any(|c| ('\u{0400}'..='\u{04FF}').contains(c));
    let upper = chars.iter().all(|c| !c.is_lowercase());
    let random_letter = |rng: &mut SplitMix64| -> char {
        let c = if cyrillic {
            char::from_u32(0x0430 + rng.below(32) as u32).unwrap_or('а')
        } else {
            char::from(b'a' + rng.below(26) as u8)
        };
        if upper { c.to_uppercase().next().unwrap_or(c) } else { c }
    };
    // Keep the first letter more often than not, as real typos do.
    let pos = 1 + rng.below(chars.len() - 1);
    match rng.below(4) {
        0 => chars[pos] = random_letter(rng),
        1 => {
            chars.remove(pos);
        }
        2 => chars.insert(pos, random_letter(rng)),
        _ => chars.swap(pos - 1, pos),
    }
    chars.into_iter().collect()
}

fn iso(p: &Person) -> String {
    format!("{:04}-{:02}-{:02}", p.year, p.month, p.day)
}

fn dotted(year: u16, month: u8, day: u8) -> String {
    format!("{day:02}.{month:02}.{year:04}")
}

fn register_record(id: String, p: &Person, rng: &mut SplitMix64) -> Record {
    let latin = rng.chance(0.1);
    let render = |s: &str| if latin { to_latin(s, Scheme::Icao9303) } else { title_case(s) };
    let patronymic = if rng.chance(0.85) { render(&p.patronymic) } else { String::new() };
    Record {
        id,
        values: vec![
            String::new(),
            render(&p.surname),
            render(&p.given),
            patronymic,
            iso(p),
            if p.female { "F" } else { "M" }.to_string(),
            p.citizenship.to_string(),
            p.passport.clone(),
        ],
    }
}

fn document_record(id: String, p: &Person, rng: &mut SplitMix64, corrupt: bool) -> Record {
    let scheme = scheme_for(p.nation, rng);
    let cyrillic = rng.chance(0.25);
    let armenian_style = p.nation == Nation::Armenian && rng.chance(0.5);
    let render = |s: &str, rng: &mut SplitMix64| -> String {
        if cyrillic {
            return title_case(s);
        }
        if armenian_style {
            let v = armenian_variants(s);
            if !v.is_empty() {
                return v[rng.below(v.len())].clone();
            }
        }
        to_latin(s, scheme)
    };
    let mut surname = render(&p.surname, rng);
    let mut given = render(&p.given, rng);
    let mut patronymic = if rng.chance(0.4) { render(&p.patronymic, rng) } else { String::new() };
    let (mut year, mut month, mut day) = (p.year, p.month, p.day);
    let mut passport = p.passport.clone();
    if corrupt {
        if rng.chance(0.08) {
            surname = typo(&surname, rng);
        }
        if rng.chance(0.06) {
            given = typo(&given, rng);
        }
        if rng.chance(0.03) && !patronymic.is_empty() {
            patronymic = typo(&patronymic, rng);
        }
        if rng.chance(0.03) {
            std::mem::swap(&mut surname, &mut given);
        }
        if rng.chance(0.08) {
            if day <= 12 && day != month && rng.chance(0.5) {
                std::mem::swap(&mut day, &mut month);
            } else {
                // one digit of DD.MM.YYYY wrong, keeping a valid date
                for _ in 0..20 {
                    let mut digits: Vec<u8> = format!("{day:02}{month:02}{year:04}").into_bytes();
                    let at = [0, 1, 2, 3, 6, 7][rng.below(6)];
                    digits[at] = b'0' + rng.below(10) as u8;
                    let d = u32::from(digits[0] - b'0') * 10 + u32::from(digits[1] - b'0');
                    let m = u32::from(digits[2] - b'0') * 10 + u32::from(digits[3] - b'0');
                    let y: u32 = digits[4..].iter().fold(0, |acc, c| acc * 10 + u32::from(c - b'0'));
                    if (1..=12).contains(&m) && d >= 1 && d <= u32::from(days_in_month(y as u16, m as u8)) {
                        (day, month, year) = (d as u8, m as u8, y as u16);
                        if (day, month, year) != (p.day, p.month, p.year) {
                            break;
                        }
                    }
                }
            }
        }
        if rng.chance(0.35) {
            passport = self::passport(p.nation, rng);
        } else if rng.chance(0.03) {
            passport = typo(&passport, rng);
        }
    }
    Record {
        id,
        values: vec![
            String::new(),
            surname,
            given,
            patronymic,
            dotted(year, month, day),
            if p.female { "F" } else { "M" }.to_string(),
            p.citizenship.to_string(),
            passport,
        ],
    }
}

fn with_id(mut r: Record) -> Record {
    r.values[0] = r.id.clone();
    r
}

/// Generates `count` register records (left) and `count` document records (right), of which a
/// share `duplicate_rate` are the same people as on the left, with the truth pairs.
///
/// The left side is a Cyrillic register (a tenth romanised under ICAO 9303), patronymic mostly
/// present, dates as `YYYY-MM-DD`. The right side is document data: three quarters in Latin under a
/// scheme fitting the holder's country (Armenian names half of the time in Armenian-passport
/// style), patronymic present in 40 %, dates as `DD.MM.YYYY`. Duplicates carry surname typos
/// (8 %), given-name typos (6 %), given name and surname swapped (3 %), date errors (8 %: day and
/// month swapped, or one digit wrong), a renewed passport (35 %) or a passport typo (3 %).
pub fn synth_persons(count: usize, duplicate_rate: f64, seed: u64) -> (Vec<Record>, Vec<Record>, Truth) {
    let books: Vec<NameBook> = NATIONS.iter().map(|(n, s, c, t)| parse_book(*n, *s, c, t)).collect();
    let mut rng = SplitMix64::new(seed ^ 0x5a9a_5eed);
    let persons: Vec<Person> = (0..count).map(|_| new_person(&books, &mut rng)).collect();
    let width = count.max(1).to_string().len();
    let left: Vec<Record> = persons
        .iter()
        .enumerate()
        .map(|(i, p)| with_id(register_record(format!("L{:0width$}", i + 1), p, &mut rng)))
        .collect();
    let duplicates = ((count as f64) * duplicate_rate.clamp(0.0, 1.0)).round() as usize;
    // Which register persons reappear: a seeded shuffle of positions.
    let mut order: Vec<usize> = (0..count).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut right_people: Vec<(Option<usize>, Person)> =
        order[..duplicates].iter().map(|&i| (Some(i), persons[i].clone())).collect();
    while right_people.len() < count {
        right_people.push((None, new_person(&books, &mut rng)));
    }
    for i in (1..right_people.len()).rev() {
        right_people.swap(i, rng.below(i + 1));
    }
    let mut truth = Vec::with_capacity(duplicates);
    let right: Vec<Record> = right_people
        .iter()
        .enumerate()
        .map(|(j, (source, p))| {
            let id = format!("R{:0width$}", j + 1);
            if let Some(i) = source {
                truth.push((left[*i].id.clone(), id.clone()));
            }
            with_id(document_record(id, p, &mut rng, source.is_some()))
        })
        .collect();
    (left, right, truth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_per_seed() {
        let a = synth_persons(200, 0.5, 7);
        let b = synth_persons(200, 0.5, 7);
        let c = synth_persons(200, 0.5, 8);
        assert_eq!(a.0, b.0);
        assert_eq!(a.1, b.1);
        assert_eq!(a.2, b.2);
        assert_ne!(a.1, c.1);
        assert_eq!(a.2.len(), 100);
    }

    #[test]
    fn feminine_surnames_and_patronymics_follow_russian_rules() {
        assert_eq!(feminine_surname("Иванов"), "Иванова");
        assert_eq!(feminine_surname("Вишневский"), "Вишневская");
        assert_eq!(feminine_surname("Григорян"), "Григорян");
        assert_eq!(russian_patronymic("Андрей", false), "Андреевич");
        assert_eq!(russian_patronymic("Игорь", true), "Игоревна");
        assert_eq!(russian_patronymic("Никита", false), "Никитич");
        assert_eq!(russian_patronymic("Ерлан", true), "Ерлановна");
    }
}
