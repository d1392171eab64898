//! Benchmarks of the linkage inner loops.

fn main() {
    divan::main();
}

#[divan::bench]
fn jaro_winkler_short_names() -> f64 {
    sapar_match::jaro_winkler(divan::black_box(b"aleksandr"), divan::black_box(b"alexander"))
}
