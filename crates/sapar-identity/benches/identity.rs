//! Throughput of MRZ parsing (TD3, TD1) and of name keys and similarity.

use divan::{Bencher, black_box};
use jiff::civil::Date;
use sapar_identity::{Mrz, ParseOptions, SpecimenPolicy, name_key, name_similarity};

fn main() {
    divan::main();
}

const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
const NAMES: &[&str] = &[
    "Жанұзақов Ерлан Болатұлы",
    "IVANOVA IULIIA SERGEEVNA",
    "Подъячев",
    "HARUTYUNYAN HOVHANNES",
    "KHRUSHCHYOV",
    "Асанов Бакыт Асан уулу",
    "ERIKSSON ANNA MARIA",
    "Цветаева Марина Ивановна",
];

fn options() -> ParseOptions {
    ParseOptions::new(Date::constant(2026, 6, 1)).with_specimen(SpecimenPolicy::Accept)
}

#[divan::bench(name = "mrz_parse_td3", sample_size = 1000)]
fn parse_td3(bencher: Bencher<'_, '_>) {
    let options = options();
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| Mrz::parse(black_box(TD3), &options).map(|m| m.is_valid()));
}

#[divan::bench(name = "mrz_parse_td1", sample_size = 1000)]
fn parse_td1(bencher: Bencher<'_, '_>) {
    let options = options();
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| Mrz::parse(black_box(TD1), &options).map(|m| m.is_valid()));
}

#[divan::bench(name = "name_key", sample_size = 1000)]
fn key(bencher: Bencher<'_, '_>) {
    bencher
        .counter(divan::counter::ItemsCount::new(NAMES.len()))
        .bench(|| NAMES.iter().map(|n| name_key(black_box(n)).len()).sum::<usize>());
}

#[divan::bench(name = "name_similarity", sample_size = 1000)]
fn similarity(bencher: Bencher<'_, '_>) {
    bencher
        .counter(divan::counter::ItemsCount::new(NAMES.len()))
        .bench(|| NAMES.windows(2).map(|w| name_similarity(black_box(w[0]), black_box(w[1]))).sum::<f64>());
}
