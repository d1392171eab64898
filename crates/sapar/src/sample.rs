//! Generated sample registers for demos and benchmarks: travellers of the region's citizenships
//! with Cyrillic names and the Latin spellings their documents carry, crossing into and out of
//! Kazakhstan through real crossing points. Deterministic for a seed.

use std::io::Write;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sapar_identity::{Scheme, to_latin};

use crate::ingest::STRUCTURED_COLUMNS;

struct Nationality {
    code: &'static str,
    weight: u32,
    scheme: Scheme,
    /// Document number: a prefix, then this many digits.
    passport_prefix: &'static str,
    digits: u32,
    surnames: &'static [&'static str],
    male: &'static [&'static str],
    female: &'static [&'static str],
    /// Latin-script nationals have no Cyrillic rendering.
    latin_only: bool,
}

const NATIONALITIES: &[Nationality] = &[
    Nationality {
        code: "KGZ",
        weight: 30,
        scheme: Scheme::KyrgyzNational,
        passport_prefix: "AC",
        digits: 7,
        surnames: &[
            "Асанов",
            "Жумабеков",
            "Токтогулов",
            "Бакиев",
            "Усенов",
            "Мамытов",
            "Исаков",
            "Абдыкадыров",
            "Султанов",
            "Осмонов",
            "Кадыров",
            "Турдубаев",
            "Эсенбаев",
            "Жээнбеков",
        ],
        male: &[
            "Бакыт",
            "Азамат",
            "Нурлан",
            "Эрлан",
            "Улан",
            "Айбек",
            "Тилек",
            "Жыргалбек",
            "Нурбек",
            "Бекзат",
            "Үмүт",
            "Өмүрбек",
        ],
        female: &["Айгүл", "Гүлнара", "Жазгүл", "Айпери", "Нургүл", "Бермет", "Чолпон", "Асел", "Жылдыз"],
        latin_only: false,
    },
    Nationality {
        code: "UZB",
        weight: 30,
        scheme: Scheme::Icao9303,
        passport_prefix: "FA",
        digits: 7,
        surnames: &[
            "Каримов",
            "Рахимов",
            "Юсупов",
            "Абдуллаев",
            "Хасанов",
            "Турсунов",
            "Исмоилов",
            "Саидов",
            "Мирзаев",
            "Эргашев",
            "Холматов",
        ],
        male: &["Шерзод", "Бахтиёр", "Жасур", "Отабек", "Фаррух", "Дилшод", "Санжар", "Улугбек", "Азиз"],
        female: &["Дилноза", "Гулноза", "Нилуфар", "Мадина", "Шахноза", "Зарина", "Феруза"],
        latin_only: false,
    },
    Nationality {
        code: "RUS",
        weight: 15,
        scheme: Scheme::Icao9303,
        passport_prefix: "75",
        digits: 7,
        surnames: &[
            "Иванов",
            "Смирнов",
            "Кузнецов",
            "Попов",
            "Васильев",
            "Петров",
            "Соколов",
            "Михайлов",
            "Новиков",
            "Фёдоров",
            "Морозов",
            "Волков",
        ],
        male: &["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Юрий", "Илья"],
        female: &["Юлия", "Елена", "Ольга", "Наталья", "Татьяна", "Анастасия", "Екатерина", "Ксения"],
        latin_only: false,
    },
    Nationality {
        code: "TJK",
        weight: 10,
        scheme: Scheme::Icao9303,
        passport_prefix: "40",
        digits: 7,
        surnames: &["Рахмонов", "Шарипов", "Назаров", "Сафаров", "Давлатов", "Холов", "Ёров", "Иброхимов", "Каримзода"],
        male: &["Фирдавс", "Сухроб", "Далер", "Рустам", "Манучехр", "Бехруз", "Джамшед"],
        female: &["Мехрона", "Зарина", "Фарангис", "Нигина", "Сабрина", "Тахмина"],
        latin_only: false,
    },
    Nationality {
        code: "ARM",
        weight: 5,
        scheme: Scheme::BgnPcgn,
        passport_prefix: "AP",
        digits: 7,
        surnames: &["Арутюнян", "Саргсян", "Акопян", "Петросян", "Григорян", "Манукян", "Овсепян", "Геворгян"],
        male: &["Ованнес", "Арам", "Тигран", "Армен", "Давид", "Гагик", "Карен"],
        female: &["Анна", "Мариам", "Ануш", "Лусине", "Гаяне"],
        latin_only: false,
    },
    Nationality {
        code: "CHN",
        weight: 6,
        scheme: Scheme::Icao9303,
        passport_prefix: "E",
        digits: 8,
        surnames: &["WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "ZHAO", "HUANG"],
        male: &["WEI", "JUN", "HAO", "LEI", "YONG", "QIANG"],
        female: &["FANG", "NA", "MIN", "JING", "LI", "YAN"],
        latin_only: true,
    },
    Nationality {
        code: "TUR",
        weight: 4,
        scheme: Scheme::Icao9303,
        passport_prefix: "U",
        digits: 8,
        surnames: &["YILMAZ", "KAYA", "DEMIR", "SAHIN", "CELIK", "YILDIZ", "AYDIN"],
        male: &["MEHMET", "MUSTAFA", "AHMET", "ALI", "HUSEYIN", "EMRE"],
        female: &["AYSE", "FATMA", "ZEYNEP", "ELIF", "EMINE"],
        latin_only: true,
    },
];

/// Kazakhstan's busiest crossing points (airports, road and rail posts).
const POINTS: &[&str] = &[
    "KZ-ALA-AIR",
    "KZ-NQZ-AIR",
    "KZ-KORDAY",
    "KZ-ZHIBEK-ZHOLY",
    "KZ-KAIRAK",
    "KZ-KARASU",
    "KZ-KALZHAT",
    "KZ-SHYM-AIR",
];
const PURPOSES: &[(&str, u32)] =
    &[("work", 45), ("private", 20), ("tourism", 12), ("family", 10), ("study", 5), ("transit", 5), ("other", 3)];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for item in items {
        let w = weight(item);
        if roll < w {
            return item;
        }
        roll -= w;
    }
    &items[0]
}

fn feminine(surname: &str) -> String {
    if surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ёв") || surname.ends_with("ин")
    {
        format!("{surname}а")
    } else {
        surname.to_owned()
    }
}

fn patronymic(rng: &mut ChaCha8Rng, nat: &Nationality, female: bool) -> Option<String> {
    if nat.latin_only || nat.code == "ARM" || rng.random_bool(0.35) {
        return None;
    }
    let father = pick(rng, nat.male);
    Some(match (nat.code, female) {
        ("KGZ", false) => format!("{father} уулу"),
        ("KGZ", true) => format!("{father} кызы"),
        (_, false) if father.ends_with('й') => format!("{}евич", father.trim_end_matches('й')),
        (_, true) if father.ends_with('й') => format!("{}евна", father.trim_end_matches('й')),
        (_, false) => format!("{father}ович"),
        (_, true) => format!("{father}овна"),
    })
}

/// Options of a generated register.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SampleSpec {
    pub(crate) persons: usize,
    pub(crate) seed: u64,
    /// First day crossings may happen on.
    pub(crate) from: Date,
    /// No crossing after this day.
    pub(crate) until: Date,
}

/// Persons generated and sorted together, so that a block's crossings interleave in time order.
const BLOCK: usize = 20_000;

/// Writes the sample as CSV with the importer's header; returns the number of crossing rows.
pub(crate) fn write_csv(spec: SampleSpec, out: impl Write) -> anyhow::Result<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(STRUCTURED_COLUMNS)?;
    let zone = TimeZone::get("Asia/Almaty")?;
    let span_days = (spec.until - spec.from).get_days().max(1);
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    let mut total = 0u64;
    let mut serial = 0u64;
    let mut person = 0usize;
    while person < spec.persons {
        rows.clear();
        for _ in 0..BLOCK.min(spec.persons - person) {
            person += 1;
            let nat = weighted(&mut rng, NATIONALITIES, |n| n.weight);
            let female = rng.random_bool(0.4);
            let surname = *pick(&mut rng, nat.surnames);
            let surname = if female && !nat.latin_only { feminine(surname) } else { surname.to_owned() };
            let given = *pick(&mut rng, if female { nat.female } else { nat.male });
            let patronymic = patronymic(&mut rng, nat, female);
            let (native, latin) = if nat.latin_only {
                ([String::new(), String::new(), String::new()], [surname.clone(), given.to_owned(), String::new()])
            } else {
                let latin = [to_latin(&surname, nat.scheme), to_latin(given, nat.scheme), String::new()];
                ([surname.clone(), given.to_owned(), patronymic.unwrap_or_default()], latin)
            };
            // A bijection of the person's index keeps numbers unique (shared numbers would merge
            // two travellers into one person) while looking random.
            let modulus = 10u64.pow(nat.digits);
            let scrambled = (person as u64).wrapping_mul(2_654_435_761).wrapping_add(spec.seed) % modulus;
            let number = format!("{}{:0width$}", nat.passport_prefix, scrambled, width = nat.digits as usize);
            let birth =
                jiff::civil::date(rng.random_range(1960..2006), rng.random_range(1..=12), rng.random_range(1..=28));
            let expiry =
                jiff::civil::date(rng.random_range(2027..2036), rng.random_range(1..=12), rng.random_range(1..=28));
            let purpose = weighted(&mut rng, PURPOSES, |p| p.1).0;
            let home_point = *pick(&mut rng, POINTS);
            let mut day = rng.random_range(0..span_days);
            let mut entering = true;
            loop {
                let date = spec.from.checked_add(jiff::Span::new().days(day))?;
                if date > spec.until {
                    break;
                }
                let time = DateTime::from_parts(
                    date,
                    jiff::civil::time(rng.random_range(0..24), rng.random_range(0..60), rng.random_range(0..60), 0),
                );
                let at = time.to_zoned(zone.clone())?;
                let point = if rng.random_bool(0.8) { home_point } else { *pick(&mut rng, POINTS) };
                serial += 1;
                let id = uuid::Uuid::from_u64_pair(spec.seed, serial);
                let row = vec![
                    id.to_string(),
                    if entering { "entry" } else { "exit" }.to_owned(),
                    at.to_string(),
                    point.to_owned(),
                    purpose.to_owned(),
                    "passport".to_owned(),
                    number.clone(),
                    nat.code.to_owned(),
                    expiry.to_string(),
                    native[0].clone(),
                    native[1].clone(),
                    native[2].clone(),
                    latin[0].clone(),
                    latin[1].clone(),
                    latin[2].clone(),
                    if female { "F" } else { "M" }.to_owned(),
                    birth.to_string(),
                    nat.code.to_owned(),
                ];
                rows.push((at.timestamp().as_microsecond(), row));
                // Stays of a few days to four months; absences of a week to two months.
                day += if entering { rng.random_range(2..120) } else { rng.random_range(7..60) };
                entering = !entering;
            }
        }
        rows.sort_by_key(|(t, _)| *t);
        for (_, row) in &rows {
            writer.write_record(row)?;
        }
        total += rows.len() as u64;
    }
    writer.flush()?;
    Ok(total)
}
