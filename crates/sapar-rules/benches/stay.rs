//! Benchmarks: one person's answer with 200 past crossings, and the overstayer sweep.

use divan::{Bencher, black_box};
use jiff::civil::date;
use sapar_model::Country;
use sapar_rules::synth::{Lcg, closed_history, open_stay_register};
use sapar_rules::{Host, RuleBook, Stay};

fn main() {
    divan::main();
}

fn book() -> RuleBook {
    RuleBook::load_embedded().expect("embedded data")
}

/// 100 closed stays = 200 crossings, ending before 1 June 2025.
fn history() -> Vec<Stay> {
    closed_history(&mut Lcg::new(7), 100, date(2025, 6, 1))
}

#[divan::bench(args = ["SCHENGEN", "KAZ"])]
fn answer_200_crossings_days_used_left_max_stay_and_registration(bencher: Bencher<'_, '_>, host: &str) {
    let book = book();
    let host = Host::parse(host).expect("host");
    let citizenship = if host == Host::Schengen { Country::KAZ } else { Country::UZB };
    let stays = history();
    let on = date(2025, 6, 1);
    let resolved = book.resolve(host, citizenship).expect("rules");
    bencher.bench_local(|| {
        let answer = resolved.answer(black_box(&stays), &[], on, Some(on)).expect("valid");
        (answer.stay.days_left, answer.max_stay.map(|m| m.days), answer.registration.map(|r| r.due))
    });
}

#[divan::bench(args = ["SCHENGEN", "KAZ"])]
fn answer_200_crossings_open_stay_with_last_legal_day(bencher: Bencher<'_, '_>, host: &str) {
    let book = book();
    let host = Host::parse(host).expect("host");
    let citizenship = if host == Host::Schengen { Country::KAZ } else { Country::UZB };
    let mut stays = history();
    stays.push(Stay::open(date(2025, 6, 1)));
    let on = date(2025, 6, 5);
    bencher.bench_local(|| book.evaluate(host, citizenship, black_box(&stays), &[], on).expect("valid").last_legal_day);
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn sweep_100k_open_stays(bencher: Bencher<'_, '_>) {
    let book = book();
    let on = date(2025, 9, 1);
    let persons = open_stay_register(100_000, on, 1);
    bencher.bench_local(|| book.sweep_overstays(black_box(&persons), on).overstayers.len());
}

#[divan::bench(args = ["SCHENGEN", "KAZ"])]
fn parts_200_crossings_evaluate_only(bencher: Bencher<'_, '_>, host: &str) {
    let book = book();
    let host = Host::parse(host).expect("host");
    let citizenship = if host == Host::Schengen { Country::KAZ } else { Country::UZB };
    let stays = history();
    let on = date(2025, 6, 1);
    let resolved = book.resolve(host, citizenship).expect("rules");
    bencher.bench_local(|| resolved.evaluate(black_box(&stays), &[], on).expect("valid").days_left);
}

#[divan::bench(args = ["SCHENGEN", "KAZ"])]
fn parts_200_crossings_max_stay_only(bencher: Bencher<'_, '_>, host: &str) {
    let book = book();
    let host = Host::parse(host).expect("host");
    let citizenship = if host == Host::Schengen { Country::KAZ } else { Country::UZB };
    let stays = history();
    let on = date(2025, 6, 1);
    let resolved = book.resolve(host, citizenship).expect("rules");
    bencher.bench_local(|| resolved.max_stay_if_entering(black_box(&stays), &[], on, on).expect("valid").days);
}
