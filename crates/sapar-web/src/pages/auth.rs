//! Signing in and out. A wrong name, a wrong password and a disabled account get the same
//! message; repeated failures are throttled by the register; every attempt is in its login log.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_register::accounts::LoginError;
use serde::Deserialize;

use crate::WebState;
use crate::i18n::{self, Lang};
use crate::page::{Ctx, PageError, render};
use crate::session::{
    ClientAddress, LOGIN_CSRF_COOKIE, Officer, SESSION_COOKIE, cookie_value, safe_next, same_token, set_cookie,
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    next: String,
    name: String,
    expired: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
}

fn login_page(lang: Lang, csrf: String, next: String, name: String, expired: bool, flash: Option<String>) -> LoginPage {
    LoginPage { ctx: Ctx::anonymous(lang, "/login", csrf).with_flash(flash), next, name, expired }
}

/// `GET /login`: the form, with a fresh form token in a cookie of its own.
pub(crate) async fn login_form(
    State(state): State<WebState>,
    axum::Extension(lang): axum::Extension<Lang>,
    Query(query): Query<LoginQuery>,
) -> Response {
    let csrf = sapar_register::tokens::generate_token();
    let page =
        login_page(lang, csrf.clone(), safe_next(query.next.as_deref()), String::new(), query.expired.is_some(), None);
    let mut response = render(&page, lang);
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &csrf, state.config.secure_cookies, None));
    response
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// `POST /login`: a session cookie and back to the page asked for, or the form again.
pub(crate) async fn login(
    State(state): State<WebState>,
    axum::Extension(lang): axum::Extension<Lang>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_token(&form.csrf, &expected) {
        return PageError::Csrf(lang).into_response();
    }
    let next = safe_next(Some(&form.next));
    match state.register.login(&form.name, &form.password, address).await {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session.secret, state.config.secure_cookies, None),
            );
            headers.append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, "", state.config.secure_cookies, Some(0)));
            response
        }
        Err(e) => {
            let (status, message) = match e {
                LoginError::Refused => (StatusCode::UNAUTHORIZED, i18n::translate(lang, "login-refused", None)),
                LoginError::Throttled { retry_after } => {
                    let minutes = (retry_after.as_secs() + 59) / 60;
                    (StatusCode::TOO_MANY_REQUESTS, i18n::translate_count(lang, "login-throttled", minutes.max(1)))
                }
                LoginError::Store(e) => {
                    tracing::error!(error = %e, "login failed on storage");
                    return PageError::Unavailable(lang).into_response();
                }
            };
            let name: String = form.name.chars().take(100).collect();
            let page = login_page(lang, expected, next, name, false, Some(message));
            (status, render(&page, lang)).into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: ends the session (in the register, so the cookie is worthless after).
pub(crate) async fn logout(
    State(state): State<WebState>,
    officer: Officer,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Result<Response, PageError> {
    officer.check_csrf(&form.csrf)?;
    if let Some(secret) = cookie_value(&headers, SESSION_COOKIE)
        && let Err(e) = state.register.logout(&secret).await
    {
        tracing::error!(error = %e, "logout failed on storage");
        return Err(PageError::Unavailable(officer.lang));
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", state.config.secure_cookies, Some(0)));
    Ok(response)
}
