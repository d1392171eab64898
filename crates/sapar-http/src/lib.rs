//! Sapar's HTTP surface: the `/api/v1` JSON API with bearer-token roles, health, Prometheus
//! metrics and the generated OpenAPI 3.1 document. Handlers only extract requests, call the
//! register's use cases ([`sapar_register::Register`]) and render JSON views (defined here, and
//! only here); every failure is a code of the one error table ([`ApiCode`]). The server applies
//! timeouts, connection and request caps and rate limits before anything reaches the register.

mod access;
mod api;
mod auth;
mod error;
mod json;
mod limits;
mod metrics;
pub mod openapi;
mod server;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sapar_register::Register;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use api::border::{BorderCheckView, CandidateView, CheckView};
pub use api::crossings::{CrossingBody, CrossingRecorded, DocumentBody, NameBody, PersonBody};
pub use api::exchange::{
    AuthorityChangeBody, CaseMessageView, CaseStatusView, CaseSummaryView, CaseView, ChannelHaltView, ChannelView,
    DeadlineView, ExchangeApi, ExchangeError, ExchangeFuture, ExchangeMessageList, ExchangeMessageView,
    MessageDirection, MessageQueued, NewAuthorityBody, ReceiptView, SendMessageBody, SignatoryBody, SignatoryListBody,
    SignatoryListSent,
};
pub use api::persons::{CrossingView, DocumentView, NameView, PersonView};
pub use auth::Caller;
pub use error::{ApiCode, ApiError, ErrorBody};
pub use limits::{Limits, Rate};
pub use metrics::Metrics;
pub use server::{ServerSettings, TlsSetupError, tls_from_pem};

/// Largest accepted request body: a crossing is well under 4 KiB.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The largest image of a QR code `POST /api/v1/cards/verify` reads (a photographed card).
const MAX_QR_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// Largest body of an exchange message sent through the API (the exchange's own limit).
const MAX_EXCHANGE_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Requests taking longer than this are answered `503 request_timeout`.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The register's use cases.
    pub register: Register,
    pub metrics: Metrics,
    /// The exchange node, when one is configured.
    pub exchange: Option<Arc<dyn ExchangeApi>>,
    limiter: limits::Limiter,
    /// Whether `/metrics` is served on the API's own listener.
    metrics_on_api: bool,
    /// The officers' web pages, answering every path the API does not own.
    web: Option<Router>,
}

impl AppState {
    /// State over a register, with a fresh metrics registry and the default [`Limits`].
    pub fn new(register: Register) -> Result<AppState, prometheus::Error> {
        Ok(AppState {
            register,
            metrics: Metrics::new()?,
            exchange: None,
            limiter: limits::Limiter::new(Limits::default()),
            metrics_on_api: true,
            web: None,
        })
    }

    /// The same state with an exchange node behind `/api/v1/exchange`.
    pub fn with_exchange(self, exchange: Arc<dyn ExchangeApi>) -> AppState {
        AppState { exchange: Some(exchange), ..self }
    }

    /// The same state with other rate limits and in-flight cap.
    pub fn with_limits(self, limits: Limits) -> AppState {
        AppState { limiter: limits::Limiter::new(limits), ..self }
    }

    /// The same state with the officers' web pages answering every path outside `/api`,
    /// `/health` and `/metrics` (an unknown path is then the pages' own 404).
    pub fn with_web(self, web: Router) -> AppState {
        AppState { web: Some(web), ..self }
    }

    /// The same state serving `/metrics` only on a listener of its own ([`metrics_router`]).
    pub fn with_metrics_apart(self) -> AppState {
        AppState { metrics_on_api: false, ..self }
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/crossings", post(api::crossings::record_crossing))
        .route("/border/check", post(api::border::border_check))
        .route("/crossing-points", get(api::points::crossing_points))
        .route("/persons", get(api::persons::person_by_document))
        .route("/persons/{id}", get(api::persons::person_by_id))
        .route("/persons/{id}/stay", get(api::persons::person_stay))
        .route("/persons/{id}/permits", get(api::permits::person_permits).post(api::permits::record_permit))
        .route(
            "/persons/{id}/violations",
            get(api::violations::person_violations).post(api::violations::record_violation),
        )
        .route("/permits/{id}/revoke", post(api::permits::revoke_permit))
        .route("/persons/{id}/bans", get(api::bans::person_bans).post(api::bans::record_ban))
        .route("/persons/{id}/events", get(api::bans::person_events))
        .route("/bans/{id}/lift", post(api::bans::lift_ban))
        .route(
            "/persons/{id}/expulsions",
            get(api::expulsions::person_expulsions).post(api::expulsions::record_expulsion),
        )
        .route("/expulsions/{id}/departure", post(api::expulsions::record_departure))
        .route("/control-register", get(api::control::list).post(api::control::include))
        .route("/control-register/check", get(api::control::check))
        .route("/control-register/{id}", get(api::control::entry))
        .route("/control-register/{id}/notices", post(api::control::record_notice))
        .route("/control-register/{id}/notice", get(api::control::notice_text))
        .route("/control-register/{id}/cancel-decision", post(api::control::cancel_decision))
        .route("/control-register/{id}/removal-applications", post(api::control::file_application))
        .route("/removal-applications", get(api::control::list_applications))
        .route("/removal-applications/{id}/decision", post(api::control::decide_application))
        .route("/persons/{id}/control-register", get(api::control::person_entries))
        .route("/violations", get(api::violations::list_violations))
        .route("/violations/{id}", get(api::violations::violation).post(api::violations::decide_violation))
        .route("/violations/{id}/payment", post(api::violations::record_payment))
        .route("/employers", get(api::employers::list_employers).post(api::employers::record_employer))
        .route("/employers/{id}", get(api::employers::employer))
        .route("/self/status", post(api::self_service::self_status))
        .route("/cards/verify", post(api::cards::verify_card).layer(DefaultBodyLimit::max(MAX_QR_IMAGE_BYTES)))
        .route("/cards/{number}", get(api::cards::card))
        .route("/cards/{number}/qr.svg", get(api::cards::card_qr_svg))
        .route("/cards/{number}/qr.png", get(api::cards::card_qr_png))
        .route("/cards/{number}/print", get(api::cards::card_print))
        .route("/cards/{number}/revoke", post(api::cards::revoke_card))
        .route("/persons/{id}/cards", get(api::cards::cards_of).post(api::cards::issue_card))
        .route("/registrations", post(api::registrations::file_registration))
        .route("/registrations/{id}/extend", post(api::registrations::extend_registration))
        .route("/registrations/{id}/end", post(api::registrations::end_registration))
        .route("/persons/{id}/registrations", get(api::registrations::person_registrations))
        .route("/regions", get(api::registrations::regions))
        .route("/review", get(api::review::review_queue))
        .route("/review/{id}", post(api::review::decide_review))
        .route("/audit", get(api::audit::access_log))
        .route(
            "/exchange/messages",
            get(api::exchange::list_messages)
                .post(api::exchange::send_message)
                .layer(DefaultBodyLimit::max(MAX_EXCHANGE_BODY_BYTES)),
        )
        .route("/exchange/cases", get(api::exchange_cases::list_cases))
        .route("/exchange/cases/{id}", get(api::exchange_cases::get_case))
        .route("/exchange/cases/{id}/steps", post(api::exchange_cases::take_step))
        .route("/exchange/cases/{id}/answer-draft", get(api::exchange_cases::answer_draft))
        .route("/exchange/cases/{id}/answer", post(api::exchange_cases::answer))
        .route("/exchange/channels", get(api::exchange_admin::list_channels))
        .route("/exchange/channels/resume", post(api::exchange_admin::resume_channel))
        .route("/exchange/signatory-lists", post(api::exchange_admin::send_signatory_list))
        .route("/exchange/authority-changes", post(api::exchange_admin::send_authority_change))
        .route("/openapi.json", get(api::system::openapi));
    let api = api.fallback(not_found).method_not_allowed_fallback(method_not_allowed);
    let mut app = Router::new()
        .nest("/api", Router::new().nest("/v1", api).fallback(not_found))
        .route("/health", get(api::system::health));
    if state.metrics_on_api {
        app = app.route("/metrics", get(api::system::metrics));
    }
    let app = match state.web.clone() {
        Some(web) => app.fallback_service(web),
        None => app.fallback(not_found),
    };
    app.method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), limits::enforce))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(request_timeout))
        .layer(CatchPanicLayer::custom(|_| ApiError::internal().into_response()))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `/metrics` alone, for a listener of its own.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(api::system::metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(ApiCode::MethodNotAllowed, "this route does not take this method")
}

async fn request_timeout(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(ApiCode::RequestTimeout, "the request took too long").into_response(),
    }
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
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limiter = state.limiter.clone();
    let sweeper = tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            limiter.forget_idle_keys();
        }
    });
    let served = server::serve_router(listener, router(state), settings, shutdown).await;
    sweeper.abort();
    served
}

/// Serves [`metrics_router`] on `listener` until `shutdown` completes.
pub async fn serve_metrics(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve_router(listener, metrics_router(state), ServerSettings::default(), shutdown).await
}

/// Binds `addr` (port 0 picks a free port) and returns the listener with its actual address.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
