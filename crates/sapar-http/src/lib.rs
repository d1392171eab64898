//! Sapar's HTTP surface: the `/api/v1` JSON API with bearer-token roles, health, Prometheus
//! metrics and the generated OpenAPI 3.1 document. Handlers convert between JSON shapes (defined
//! here, and only here) and domain types; storage is reached through [`sapar_store::Store`].

mod api;
mod auth;
mod error;
mod json;
pub mod linking;
mod metrics;
mod mrz_input;
pub mod openapi;
pub mod stay;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sapar_model::Country;
use sapar_rules::RuleBook;
use sapar_store::Store;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use api::crossings::{CrossingBody, CrossingRecorded, DocumentBody, NameBody, PersonBody, validate_submission};
pub use api::exchange::{
    AuthorityChangeBody, ChannelHaltView, ChannelView, ExchangeApi, ExchangeError, ExchangeFuture, ExchangeMessageList,
    ExchangeMessageView, MessageDirection, MessageQueued, NewAuthorityBody, ReceiptView, SendMessageBody,
    SignatoryBody, SignatoryListBody, SignatoryListSent,
};
pub use api::persons::{CrossingView, DocumentView, NameView, PersonView};
pub use auth::{Caller, generate_token, hash_token};
pub use error::{ApiError, ErrorBody};
pub use metrics::Metrics;

/// Largest accepted request body: a crossing is well under 4 KiB.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest body of an exchange message sent through the API (the exchange's own limit).
const MAX_EXCHANGE_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Requests taking longer than this are answered 503.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The state the node serves when none is configured.
pub const DEFAULT_HOST_STATE: Country = Country::KAZ;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub metrics: Metrics,
    /// The stay rules, loaded once.
    pub rules: Arc<RuleBook>,
    /// The state whose borders this node registers: its stay rules judge every entry.
    pub host_state: Country,
    /// The exchange node, when one is configured.
    pub exchange: Option<Arc<dyn ExchangeApi>>,
}

/// Why the application state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("metrics registry: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("stay rules: {0}")]
    Rules(#[from] sapar_rules::LoadError),
}

impl AppState {
    /// State over a store, with a fresh metrics registry, the embedded stay rules and
    /// [`DEFAULT_HOST_STATE`].
    pub fn new(store: Store) -> Result<AppState, StateError> {
        Ok(AppState {
            store,
            metrics: Metrics::new()?,
            rules: Arc::new(RuleBook::load_embedded()?),
            host_state: DEFAULT_HOST_STATE,
            exchange: None,
        })
    }

    /// The same state serving another host state.
    pub fn with_host_state(self, host_state: Country) -> AppState {
        AppState { host_state, ..self }
    }

    /// The same state with an exchange node behind `/api/v1/exchange`.
    pub fn with_exchange(self, exchange: Arc<dyn ExchangeApi>) -> AppState {
        AppState { exchange: Some(exchange), ..self }
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/crossings", post(api::crossings::record_crossing))
        .route("/persons", get(api::persons::person_by_document))
        .route("/persons/{id}", get(api::persons::person_by_id))
        .route("/persons/{id}/stay", get(api::persons::person_stay))
        .route("/persons/{id}/permits", get(api::permits::person_permits).post(api::permits::record_permit))
        .route("/persons/{id}/violations", get(api::violations::person_violations))
        .route("/permits/{id}/revoke", post(api::permits::revoke_permit))
        .route("/violations", get(api::violations::list_violations))
        .route("/violations/{id}", get(api::violations::violation).post(api::violations::decide_violation))
        .route("/review", get(api::review::review_queue))
        .route("/review/{id}", post(api::review::decide_review))
        .route(
            "/exchange/messages",
            get(api::exchange::list_messages)
                .post(api::exchange::send_message)
                .layer(DefaultBodyLimit::max(MAX_EXCHANGE_BODY_BYTES)),
        )
        .route("/exchange/channels", get(api::exchange_admin::list_channels))
        .route("/exchange/channels/resume", post(api::exchange_admin::resume_channel))
        .route("/exchange/signatory-lists", post(api::exchange_admin::send_signatory_list))
        .route("/exchange/authority-changes", post(api::exchange_admin::send_authority_change))
        .route("/openapi.json", get(api::system::openapi));
    Router::new()
        .nest("/api/v1", api)
        .route("/health", get(api::system::health))
        .route("/metrics", get(api::system::metrics))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        .layer(CatchPanicLayer::custom(|_| ApiError::internal().into_response()))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("route")
}

async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.observe_request(&method, &route, response.status().as_u16(), started.elapsed());
    response
}

/// Serves the application on `listener` until `shutdown` completes; in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}

/// Binds `addr` (port 0 picks a free port) and returns the listener with its actual address.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
