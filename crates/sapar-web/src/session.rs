//! Who is at the keyboard: the session cookie admitted by the register (or a redirect to the
//! login page that comes back to the page asked for), the language of the pages, the client's
//! address, and the form token every POST must carry.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use sapar_register::accounts::{SessionError, WebSession};
use subtle::ConstantTimeEq;

use crate::WebState;
use crate::i18n::Lang;
use crate::page::PageError;

/// The session cookie: the secret the register admits; `HttpOnly`, `SameSite=Strict`.
pub(crate) const SESSION_COOKIE: &str = "sapar_session";
/// The chosen language; readable by nobody but the server too.
pub(crate) const LANG_COOKIE: &str = "sapar_lang";
/// The login form's token (double-submit: the same value in the cookie and the form).
pub(crate) const LOGIN_CSRF_COOKIE: &str = "sapar_login_csrf";

/// The value of cookie `name` in the request's headers.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse_encoded)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value for the workplace: `HttpOnly`, `SameSite=Strict`, path `/`, `Secure`
/// under TLS; `max_age` `None` for a cookie that ends with the browser session, zero to delete.
pub(crate) fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut c = Cookie::build((name.to_owned(), value.to_owned()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/");
    if let Some(seconds) = max_age {
        c = c.max_age(cookie::time::Duration::seconds(seconds));
    }
    // Names and values here are ours (base64url secrets, language tags): always valid header text.
    HeaderValue::from_str(&c.build().encoded().to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Equal in constant time (form tokens).
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The language of a request: `?lang=` first (and then remembered in a cookie), then the
/// cookie, then Russian.
pub(crate) fn language_of(parts_uri: &axum::http::Uri, headers: &HeaderMap) -> (Lang, bool) {
    let from_query = parts_uri.query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    match from_query {
        Some(lang) => (lang, true),
        None => (cookie_value(headers, LANG_COOKIE).and_then(|v| Lang::parse(&v)).unwrap_or(Lang::Ru), false),
    }
}

/// Puts the request's [`Lang`] into its extensions and remembers a `?lang=` choice.
pub(crate) async fn language(mut request: Request, next: Next) -> Response {
    let (lang, chosen) = language_of(request.uri(), request.headers());
    request.extensions_mut().insert(lang);
    let mut response = next.run(request).await;
    if chosen {
        let year = 366 * 24 * 3600;
        response.headers_mut().append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.tag(), false, Some(year)));
    }
    response
}

/// The client's address as the server saw it.
pub(crate) fn client_address(parts: &Parts) -> Option<IpAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// The client's address as an extractor (`None` when the server did not say).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

/// The page language of a request (set by [`language`]).
pub(crate) fn lang_of(parts: &Parts) -> Lang {
    parts.extensions.get::<Lang>().copied().unwrap_or(Lang::Ru)
}

/// A signed-in officer: a live session the register admitted, in the page language.
#[derive(Debug, Clone)]
pub(crate) struct Officer {
    pub session: WebSession,
    pub lang: Lang,
    pub address: Option<IpAddr>,
    /// The path and query asked for, for links back to this page.
    pub here: String,
}

impl Officer {
    /// Refuses a POST whose form token is not this session's.
    pub(crate) fn check_csrf(&self, given: &str) -> Result<(), PageError> {
        if same_token(given, &self.session.csrf_token) { Ok(()) } else { Err(PageError::Csrf(self.lang)) }
    }
}

/// Where an unauthenticated request goes: the login page, which comes back here after.
pub(crate) struct ToLogin {
    next: String,
    expired: bool,
}

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        let next: String = serde_urlencoded::to_string([("next", self.next.as_str())]).unwrap_or_default();
        let expired = if self.expired { "&expired=1" } else { "" };
        Redirect::to(&format!("/login?{next}{expired}")).into_response()
    }
}

impl FromRequestParts<WebState> for Officer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Officer, Response> {
        let lang = lang_of(parts);
        let here = parts.uri.path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        // A page asked for by a form POST comes back to where the form was.
        let next = if parts.method == axum::http::Method::GET { here.clone() } else { "/".to_owned() };
        let Some(secret) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(ToLogin { next, expired: false }.into_response());
        };
        match state.register.session(&secret, state.config.idle_timeout).await {
            Ok(session) => Ok(Officer { session, lang, address: client_address(parts), here }),
            Err(SessionError::Idle) => Err(ToLogin { next, expired: true }.into_response()),
            Err(SessionError::Unknown | SessionError::Ended | SessionError::Disabled) => {
                Err(ToLogin { next, expired: false }.into_response())
            }
            Err(SessionError::Store(e)) => {
                tracing::error!(error = %e, "session lookup failed");
                Err(PageError::Unavailable(lang).into_response())
            }
        }
    }
}

/// A local path to go to after signing in: only paths of this site (`/…`, never `//host`).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        // Browsers drop tabs and line breaks from addresses (`/\t/host` becomes `//host`), and a
        // line break cannot go into a header: only visible ASCII is followed.
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 2000
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/persons/1?purpose=audit")), "/persons/1?purpose=audit");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/search?q=a b")), "/");
    }

    #[test]
    fn form_tokens_compare_whole() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
        assert!(!same_token("", "a"));
    }
}
