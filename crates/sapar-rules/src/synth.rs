//! Deterministic synthetic stay histories for benchmarks and load tests (no randomness crate).

use jiff::civil::Date;
use sapar_model::Country;

use crate::day::{date_of, day_of};
use crate::engine::Stay;
use crate::regime::Host;
use crate::sweep::SweepPerson;

/// A small linear congruential generator: reproducible and dependency-free.
#[derive(Clone, Debug)]
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A number in [0, n).
    pub fn below(&mut self, n: u32) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        u32::try_from((self.0 >> 33) % u64::from(n.max(1))).unwrap_or(0)
    }
}

/// `count` closed stays (2 × `count` crossings) ending before `until`, oldest first:
/// stays of 1-20 days separated by gaps of 5-40 days.
pub fn closed_history(rng: &mut Lcg, count: usize, until: Date) -> Vec<Stay> {
    let mut stays = Vec::with_capacity(count + 1);
    let mut end = day_of(until) - 1 - i32::try_from(rng.below(10)).unwrap_or(0);
    for _ in 0..count {
        let len = 1 + i32::try_from(rng.below(20)).unwrap_or(0);
        let start = end - len + 1;
        stays.push(Stay::closed(date_of(start), date_of(end)));
        end = start - 5 - i32::try_from(rng.below(36)).unwrap_or(0);
    }
    stays.reverse();
    stays
}

/// A register of persons, each with 0-3 earlier stays and one open stay on `on`, spread over the
/// four shipped hosts.
pub fn open_stay_register(count: u32, on: Date, seed: u64) -> Vec<SweepPerson<u32>> {
    let mut rng = Lcg::new(seed);
    let subjects = [
        (Host::Schengen, Country::KAZ),
        (Host::State(Country::KAZ), Country::UZB),
        (Host::State(Country::KAZ), Country::KGZ),
        (Host::State(Country::RUS), Country::UZB),
        (Host::State(Country::KGZ), Country::KAZ),
    ];
    (0..count)
        .map(|id| {
            let (host, citizenship) = subjects[usize::try_from(rng.below(5)).unwrap_or(0)];
            let entry = date_of(day_of(on) - i32::try_from(rng.below(120)).unwrap_or(0));
            let earlier = usize::try_from(rng.below(4)).unwrap_or(0);
            let mut stays = closed_history(&mut rng, earlier, entry);
            stays.push(Stay::open(entry));
            SweepPerson { id, host, citizenship, stays, permits: Vec::new() }
        })
        .collect()
}
