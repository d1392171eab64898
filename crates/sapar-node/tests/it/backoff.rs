//! Retry timing.

use std::time::Duration;

use sapar_node::dispatcher::Backoff;

#[test]
fn delay_doubles_per_attempt_within_jitter_and_is_capped() {
    let b = Backoff { base: Duration::from_millis(100), max: Duration::from_secs(1) };
    assert_eq!(b.delay(1, 0.0), Duration::from_millis(50));
    assert_eq!(b.delay(1, 1.0), Duration::from_millis(100));
    assert_eq!(b.delay(3, 1.0), Duration::from_millis(400));
    assert_eq!(b.delay(3, 0.0), Duration::from_millis(200));
    assert_eq!(b.delay(30, 1.0), Duration::from_secs(1));
    assert!(b.delay(2, 0.3) > b.delay(1, 0.9));
}
