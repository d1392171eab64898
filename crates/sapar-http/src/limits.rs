//! Rate limits per token and per client address (token buckets, `governor`), and a cap on
//! requests in progress. A refused request gets `429 rate_limited` with `Retry-After`, or
//! `503 overloaded`; nothing reaches the register.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::AppState;
use crate::error::{ApiCode, ApiError};

/// A token bucket: `per_second` on average, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub per_second: u32,
    pub burst: u32,
}

impl Rate {
    fn quota(self) -> Option<Quota> {
        let per_second = NonZeroU32::new(self.per_second)?;
        let burst = NonZeroU32::new(self.burst.max(1))?;
        Some(Quota::per_second(per_second).allow_burst(burst))
    }
}

/// The limits a server applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per bearer token (`None`: no limit).
    pub per_token: Option<Rate>,
    /// Per client IP address (`None`: no limit).
    pub per_address: Option<Rate>,
    /// Requests in progress at once; more are answered `503 overloaded`.
    pub max_in_flight: usize,
}

impl Default for Limits {
    /// About 100 requests/s per token with a burst of 200 (far above a border post, far below a
    /// harvest), 500/s with a burst of 1 000 per address, 512 requests in progress.
    fn default() -> Limits {
        Limits {
            per_token: Some(Rate { per_second: 100, burst: 200 }),
            per_address: Some(Rate { per_second: 500, burst: 1_000 }),
            max_in_flight: 512,
        }
    }
}

type Keyed<K> = RateLimiter<K, governor::state::keyed::DefaultKeyedStateStore<K>, DefaultClock>;

/// The limiters of one server.
#[derive(Debug, Clone)]
pub(crate) struct Limiter {
    per_token: Option<Arc<Keyed<[u8; 16]>>>,
    per_address: Option<Arc<Keyed<IpAddr>>>,
    in_flight: Arc<Semaphore>,
}

/// The client address of a request, put in its extensions by the server's accept loop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddr(pub(crate) IpAddr);

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Limiter {
        Limiter {
            per_token: limits.per_token.and_then(Rate::quota).map(|q| Arc::new(RateLimiter::keyed(q))),
            per_address: limits.per_address.and_then(Rate::quota).map(|q| Arc::new(RateLimiter::keyed(q))),
            in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
        }
    }

    /// Drops the state of keys whose buckets are full again, so memory stays bounded.
    pub(crate) fn forget_idle_keys(&self) {
        if let Some(l) = &self.per_token {
            l.retain_recent();
        }
        if let Some(l) = &self.per_address {
            l.retain_recent();
        }
    }
}

fn rate_limited(not_before: governor::NotUntil<governor::clock::QuantaInstant>, what: &str) -> ApiError {
    let wait = not_before.wait_time_from(DefaultClock::default().now());
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ApiError {
        retry_after: Some(seconds.max(1)),
        ..ApiError::new(ApiCode::RateLimited, format!("too many requests from this {what}; retry later"))
    }
}

/// Middleware: the address limit, the token limit (keyed by a hash of the bearer secret, before
/// the token is looked up, so a flood never reaches the database) and the in-flight cap.
pub(crate) async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limiter = &state.limiter;
    if let (Some(l), Some(ClientAddr(ip))) = (&limiter.per_address, request.extensions().get::<ClientAddr>())
        && let Err(not_before) = l.check_key(ip)
    {
        return rate_limited(not_before, "address").into_response();
    }
    if let Some(l) = &limiter.per_token
        && let Some(secret) = request.headers().get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok())
    {
        let digest = Sha256::digest(secret.as_bytes());
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        if let Err(not_before) = l.check_key(&key) {
            return rate_limited(not_before, "token").into_response();
        }
    }
    let Ok(_permit) = limiter.in_flight.clone().try_acquire_owned() else {
        return ApiError {
            retry_after: Some(1),
            ..ApiError::new(ApiCode::Overloaded, "the server is at its limit of requests in progress")
        }
        .into_response();
    };
    next.run(request).await
}
