//! Benchmarks of the stay engine.
fn main() {}
