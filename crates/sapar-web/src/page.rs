//! What every page shares: the [`Ctx`] templates read (language, user, form token, navigation),
//! rendering, and the error pages (in the reader's language, never with internal detail).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{PersonName, Role};
use sapar_register::RegisterError;

use crate::i18n::{self, Lang};
use crate::session::Officer;

/// A link of the navigation.
#[derive(Debug, Clone)]
pub(crate) struct NavItem {
    pub href: &'static str,
    pub label_key: &'static str,
    pub current: bool,
    /// Items waiting there, once counted (the navigation is counted after the page loads).
    pub count: Option<i64>,
    /// Some of them are overdue.
    pub urgent: bool,
}

/// A language of the switch, as a link to the same page in it.
#[derive(Debug, Clone)]
pub(crate) struct LangLink {
    pub tag: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the layout and every template read.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub lang: Lang,
    /// The signed-in user's name and role key; `None` on the login page.
    pub user: Option<(String, &'static str)>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// Where the counted navigation of this page is fetched from (none on the counted one).
    pub nav_counts: Option<String>,
    pub langs: Vec<LangLink>,
    /// Shown as an error summary at the top of the page.
    pub flash: Option<String>,
}

fn with_lang(here: &str, tag: &str) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default();
    pairs.retain(|(k, _)| k != "lang");
    pairs.push(("lang".to_owned(), tag.to_owned()));
    format!("{path}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

/// The navigation of a role: the pages it may use.
pub(crate) fn nav_for(role: Role, here: &str) -> Vec<NavItem> {
    let items: &[(&str, &str)] = match role {
        Role::Border => &[("/border", "nav-border"), ("/search", "nav-search")],
        Role::Officer => &[
            ("/search", "nav-search"),
            ("/border", "nav-border"),
            ("/queues/violations", "nav-violations"),
            ("/queues/review", "nav-review"),
            ("/control-register", "nav-control"),
            ("/employers", "nav-employers"),
        ],
        Role::Exchange => &[("/cases", "nav-cases"), ("/search", "nav-search")],
        Role::Signatory => &[("/cases", "nav-cases")],
        Role::Auditor => &[("/audit", "nav-audit"), ("/cases", "nav-cases")],
        Role::Admin => {
            &[("/admin/users", "nav-users"), ("/admin/tokens", "nav-tokens"), ("/admin/channels", "nav-channels")]
        }
        Role::Host => &[("/host/registrations", "nav-host")],
        Role::Analyst | Role::Holder => &[],
    };
    let path = here.split('?').next().unwrap_or(here);
    items
        .iter()
        .map(|(href, label_key)| NavItem {
            href,
            label_key,
            current: path.starts_with(href),
            count: None,
            urgent: false,
        })
        .collect()
}

impl Ctx {
    /// The context of a signed-in officer's page.
    pub(crate) fn of(officer: &Officer) -> Ctx {
        let role = officer.session.actor.role;
        Ctx {
            lang: officer.lang,
            user: Some((officer.session.actor.name.clone(), role_key(role))),
            csrf: officer.session.csrf_token.clone(),
            nav: nav_for(role, &officer.here),
            nav_counts: Some(format!(
                "/nav?{}",
                serde_urlencoded::to_string([("here", officer.here.as_str())]).unwrap_or_default()
            )),
            langs: Ctx::lang_links(&officer.here, officer.lang),
            flash: None,
        }
    }

    /// The context of a page shown before signing in.
    pub(crate) fn anonymous(lang: Lang, here: &str, csrf: String) -> Ctx {
        Ctx {
            lang,
            user: None,
            csrf,
            nav: Vec::new(),
            nav_counts: None,
            langs: Ctx::lang_links(here, lang),
            flash: None,
        }
    }

    fn lang_links(here: &str, current: Lang) -> Vec<LangLink> {
        Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                tag: l.tag(),
                name: l.endonym(),
                href: with_lang(here, l.tag()),
                current: l == current,
            })
            .collect()
    }

    /// The same context with an error summary.
    pub(crate) fn with_flash(self, flash: Option<String>) -> Ctx {
        Ctx { flash, ..self }
    }

    /// The text of `key`.
    pub(crate) fn t(&self, key: &str) -> String {
        i18n::translate(self.lang, key, None)
    }

    /// The text of `key` for a count (plural forms).
    pub(crate) fn tn(&self, key: &str, count: &i64) -> String {
        i18n::translate_count(self.lang, key, *count)
    }

    /// A date as the language writes it.
    pub(crate) fn date(&self, date: &Date) -> String {
        self.lang.date(*date)
    }

    /// An optional date, or a dash.
    pub(crate) fn opt_date(&self, date: &Option<Date>) -> String {
        date.map_or_else(|| "—".to_owned(), |d| self.lang.date(d))
    }

    /// An instant in UTC, to the minute, as the language writes dates.
    pub(crate) fn at(&self, at: &Timestamp) -> String {
        let zoned = at.to_zoned(jiff::tz::TimeZone::UTC);
        format!("{} UTC", self.lang.date_time(zoned))
    }

    /// A whole number with the language's grouping.
    pub(crate) fn num(&self, n: &i64) -> String {
        self.lang.number(*n)
    }

    /// The hashed URL of a vendored asset.
    pub(crate) fn asset(&self, name: &str) -> &'static str {
        crate::assets::url(name).unwrap_or("/assets/missing")
    }
}

/// A person's name as pages show it: the native script over the Latin rendering, both always
/// (an absent rendering is a dash).
#[derive(Debug, Clone)]
pub(crate) struct TwoScripts {
    pub native: String,
    pub latin: String,
}

impl TwoScripts {
    pub(crate) fn of(name: &PersonName) -> TwoScripts {
        let text = |n: Option<&sapar_model::FullName>| n.map_or_else(|| "—".to_owned(), ToString::to_string);
        TwoScripts { native: text(name.native()), latin: text(name.latin()) }
    }
}

/// The translation key of a role's name.
pub(crate) fn role_key(role: Role) -> &'static str {
    match role {
        Role::Border => "role-border",
        Role::Officer => "role-officer",
        Role::Exchange => "role-exchange",
        Role::Signatory => "role-signatory",
        Role::Analyst => "role-analyst",
        Role::Auditor => "role-auditor",
        Role::Admin => "role-admin",
        Role::Holder => "role-holder",
        Role::Host => "role-host",
    }
}

/// Renders a template, or the error page when it cannot be rendered.
pub(crate) fn render(template: &impl Template, lang: Lang) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page did not render");
            PageError::Unavailable(lang).into_response()
        }
    }
}

/// A page that could not be shown as asked.
#[derive(Debug)]
pub(crate) enum PageError {
    NotFound(Lang),
    Forbidden(Lang),
    /// A form came without this session's token.
    Csrf(Lang),
    /// Storage or rendering failed; details are in the server's log only.
    Unavailable(Lang),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    title_key: &'static str,
    body_key: &'static str,
}

impl PageError {
    /// The page error of a register refusal that is not the page's to explain.
    pub(crate) fn from_register(lang: Lang, e: RegisterError) -> PageError {
        match e {
            RegisterError::NotFound(_) => PageError::NotFound(lang),
            RegisterError::Forbidden { .. } => PageError::Forbidden(lang),
            other => {
                tracing::error!(error = %other, "page could not be served");
                PageError::Unavailable(lang)
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (lang, status, title_key, body_key) = match self {
            PageError::NotFound(l) => (l, StatusCode::NOT_FOUND, "error-not-found-title", "error-not-found-body"),
            PageError::Forbidden(l) => (l, StatusCode::FORBIDDEN, "error-forbidden-title", "error-forbidden-body"),
            PageError::Csrf(l) => (l, StatusCode::FORBIDDEN, "error-csrf-title", "error-csrf-body"),
            PageError::Unavailable(l) => {
                (l, StatusCode::SERVICE_UNAVAILABLE, "error-unavailable-title", "error-unavailable-body")
            }
        };
        let page = ErrorPage { ctx: Ctx::anonymous(lang, "/", String::new()), title_key, body_key };
        let html = page.render().unwrap_or_else(|_| "Sapar".to_owned());
        (status, Html(html)).into_response()
    }
}
