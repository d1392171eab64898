//! Prometheus metrics of one node: HTTP traffic and register activity, in a registry of its own
//! (no global state, so several nodes can run in one process, as tests do).

use std::time::Duration;

use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};
use sapar_model::Direction;
use sapar_register::exchange::CaseCounts;

/// The node's metric families.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    crossings_recorded: IntCounterVec,
    crossings_rejected: IntCounterVec,
    exchange_cases: IntGaugeVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// Creates and registers the metric families.
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new("sapar_http_requests_total", "HTTP requests by route and status"),
            &["method", "route", "status"],
        )?;
        let http_duration = HistogramVec::new(
            HistogramOpts::new("sapar_http_request_duration_seconds", "HTTP request latency by route")
                .buckets(vec![0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
            &["method", "route"],
        )?;
        let crossings_recorded = IntCounterVec::new(
            Opts::new("sapar_crossings_recorded_total", "Border crossings recorded, by direction"),
            &["direction"],
        )?;
        let crossings_rejected = IntCounterVec::new(
            Opts::new("sapar_crossings_rejected_total", "Crossing submissions refused, by error code"),
            &["code"],
        )?;
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_duration.clone()))?;
        registry.register(Box::new(crossings_recorded.clone()))?;
        let exchange_cases = IntGaugeVec::new(
            Opts::new(
                "sapar_exchange_cases",
                "Treaty exchange cases by where they stand: open, due_soon (five days or fewer before the \
                 Art. 11.3 deadline), overdue, closed",
            ),
            &["status"],
        )?;
        registry.register(Box::new(crossings_rejected.clone()))?;
        registry.register(Box::new(exchange_cases.clone()))?;
        Ok(Metrics { registry, http_requests, http_duration, crossings_recorded, crossings_rejected, exchange_cases })
    }

    pub(crate) fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.http_requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.http_duration.with_label_values(&[method, route]).observe(elapsed.as_secs_f64());
    }

    pub(crate) fn recorded(&self, direction: Direction) {
        self.crossings_recorded.with_label_values(&[direction.as_str()]).inc();
    }

    pub(crate) fn rejected(&self, code: &str) {
        self.crossings_rejected.with_label_values(&[code]).inc();
    }

    /// Sets the exchange's case gauges (at each scrape, from the node's cases).
    pub(crate) fn exchange_cases(&self, counts: CaseCounts) {
        for (status, count) in [
            ("open", counts.open),
            ("due_soon", counts.due_soon),
            ("overdue", counts.overdue),
            ("closed", counts.closed),
        ] {
            self.exchange_cases.with_label_values(&[status]).set(i64::try_from(count).unwrap_or(i64::MAX));
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut buffer = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buffer)?;
        String::from_utf8(buffer).map_err(|e| prometheus::Error::Msg(e.to_string()))
    }
}
