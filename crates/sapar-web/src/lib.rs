//! The officers' web workplace: server-rendered HTML pages (askama templates) over the
//! register's use cases, in four languages, with accounts, sessions, CSRF protection and
//! purpose-logged reads. Pages work without JavaScript; the vendored htmx only improves them.
//!
//! Every page handler takes an [`session::Officer`] (a live session, or a redirect to the login
//! page), calls `sapar-register` — never the store — and renders a template with a
//! [`page::Ctx`] that carries the language, the user and the form token.

pub mod assets;
pub mod i18n;
mod page;
mod pages;
mod session;

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use jiff::SignedDuration;
use sapar_register::Register;
use sapar_register::exchange::CaseDesk;

pub use i18n::Lang;

/// How the workplace behaves.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// A session unused this long ends; the next request goes back to the login page.
    pub idle_timeout: SignedDuration,
    /// Whether cookies carry `Secure` (set when the server speaks TLS).
    pub secure_cookies: bool,
}

impl Default for WebConfig {
    fn default() -> WebConfig {
        WebConfig { idle_timeout: SignedDuration::from_mins(30), secure_cookies: false }
    }
}

/// What every page handler reaches.
#[derive(Debug, Clone)]
pub struct WebState {
    register: Register,
    config: Arc<WebConfig>,
    /// The exchange node's case desk, when this node speaks the treaty exchange.
    case_desk: Option<Arc<dyn CaseDesk>>,
}

/// The workplace's pages, assets included, over `register`.
pub fn router(register: Register, config: WebConfig) -> Router {
    router_with_cases(register, config, None)
}

/// The workplace's pages over `register`, with the exchange's case desk when `case_desk` is given.
pub fn router_with_cases(register: Register, config: WebConfig, case_desk: Option<Arc<dyn CaseDesk>>) -> Router {
    let state = WebState { register, config: Arc::new(config), case_desk };
    Router::new()
        .route("/", get(pages::home::home))
        .route("/login", get(pages::auth::login_form).post(pages::auth::login))
        .route("/logout", post(pages::auth::logout))
        .route("/search", get(pages::search::search))
        .route("/persons/{id}", get(pages::person::person))
        .route("/persons/{id}/bans/new", get(pages::bans::new_ban))
        .route("/persons/{id}/bans", post(pages::bans::record_ban))
        .route("/bans/{id}/lift", get(pages::bans::lift_form).post(pages::bans::lift))
        .route("/employers", get(pages::employers::list).post(pages::employers::record))
        .route("/employers/{id}", get(pages::employers::employer))
        .route("/persons/{id}/registrations/new", get(pages::registrations::new_registration))
        .route("/host/registrations", get(pages::registrations::host_form).post(pages::registrations::host_file))
        .route("/persons/{id}/registrations", post(pages::registrations::file_registration))
        .route("/registrations/{id}/change", get(pages::registrations::change_form).post(pages::registrations::change))
        .route("/persons/{id}/violations/new", get(pages::violations::new_violation))
        .route("/persons/{id}/violations", post(pages::violations::record_violation))
        .route("/violations/{id}/payment", get(pages::violations::payment_form).post(pages::violations::record_payment))
        .route("/persons/{id}/control/new", get(pages::control::include_form))
        .route("/persons/{id}/control", post(pages::control::include))
        .route("/control-register", get(pages::control::list))
        .route("/control-register/{id}", get(pages::control::entry))
        .route("/control-register/{id}/notice", get(pages::control::notice))
        .route("/control-register/{id}/notices", post(pages::control::record_notice))
        .route("/control-register/{id}/applications/new", get(pages::control::application_form))
        .route("/control-register/{id}/applications", post(pages::control::file_application))
        .route("/control-register/{id}/cancel", get(pages::control::cancel_form).post(pages::control::cancel))
        .route("/removal-applications/{id}/decide", get(pages::control::decide_form))
        .route("/removal-applications/{id}/decision", post(pages::control::decide))
        .route("/persons/{id}/cards", post(pages::cards::issue))
        .route("/cards/{number}/print", get(pages::cards::print))
        .route("/cards/{number}/card.pdf", get(pages::cards::print_pdf))
        .route("/self", get(pages::cards::self_form).post(pages::cards::self_status))
        .route("/border", get(pages::border::desk).post(pages::border::check))
        .route("/border/record", post(pages::border::record))
        .route("/queues/violations", get(pages::queues::violations))
        .route("/queues/violations/{id}", post(pages::queues::decide_violation))
        .route("/queues/violations/bulk", post(pages::queues::bulk_preview))
        .route("/queues/violations/bulk/confirm", post(pages::queues::bulk_decide))
        .route("/queues/review", get(pages::queues::review))
        .route("/queues/review/{id}", post(pages::queues::decide_review))
        .route("/queues/{queue}/{id}/claim", post(pages::queues::claim))
        .route("/queues/{queue}/{id}/release", post(pages::queues::release))
        .route("/nav", get(pages::nav::nav))
        .route("/cases", get(pages::cases::list))
        .route("/cases/new", get(pages::case_open::open_form).post(pages::case_open::open_case))
        .route("/cases/{id}", get(pages::cases::case))
        .route("/cases/{id}/steps", post(pages::cases::take_step))
        .route("/cases/{id}/answer", get(pages::case_answer::answer_page).post(pages::case_answer::send_answer))
        .route("/audit", get(pages::audit::audit))
        .route("/audit.csv", get(pages::audit::audit_csv))
        .route("/admin/users", get(pages::admin::users).post(pages::admin::create_user))
        .route("/admin/users/{name}/disable", post(pages::admin::disable_user))
        .route("/admin/tokens", get(pages::admin::tokens))
        .route("/admin/channels", get(pages::channels::channels))
        .route("/admin/channels/resume", post(pages::channels::resume))
        .fallback(pages::not_found)
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(session::language))
        .with_state(state)
        .merge(assets::router())
}

/// Headers every page carries: no caching of personal data, no framing, scripts and styles only
/// from the workplace itself.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
