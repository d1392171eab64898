//! The workplace's pages, one module per desk.

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod bans;
pub(crate) mod border;
pub(crate) mod cards;
pub(crate) mod case_answer;
pub(crate) mod case_open;
pub(crate) mod cases;
pub(crate) mod channels;
pub(crate) mod control;
pub(crate) mod employers;
pub(crate) mod form;
pub(crate) mod home;
pub(crate) mod nav;
pub(crate) mod person;
pub(crate) mod queues;
pub(crate) mod registrations;
pub(crate) mod search;
pub(crate) mod violations;

use askama::Template;
use axum::response::{IntoResponse, Response};
use sapar_model::{ReadPurpose, Role};

use crate::i18n::Lang;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

/// Any path no page answers: the 404 page in the reader's language.
pub(crate) async fn not_found(request: axum::extract::Request) -> Response {
    let lang = request.extensions().get::<Lang>().copied().unwrap_or(Lang::Ru);
    PageError::NotFound(lang).into_response()
}

/// Admits an officer whose role is one of `roles`, or answers the 403 page.
pub(crate) fn require(officer: &Officer, roles: &[Role]) -> Result<(), PageError> {
    if roles.contains(&officer.session.actor.role) { Ok(()) } else { Err(PageError::Forbidden(officer.lang)) }
}

/// A purpose choice as forms list it.
#[derive(Debug, Clone)]
pub(crate) struct PurposeOption {
    pub code: &'static str,
    pub label_key: String,
    pub selected: bool,
}

/// Every purpose, `selected` preselected.
pub(crate) fn purpose_options(selected: Option<ReadPurpose>) -> Vec<PurposeOption> {
    ReadPurpose::ALL
        .into_iter()
        .map(|p| PurposeOption {
            code: p.as_str(),
            label_key: format!("purpose-{}", p.as_str().replace('_', "-")),
            selected: Some(p) == selected,
        })
        .collect()
}

/// The purpose an officer in `role` most often reads for, preselected in forms.
pub(crate) fn usual_purpose(role: Role) -> Option<ReadPurpose> {
    match role {
        Role::Border => Some(ReadPurpose::BorderCheck),
        Role::Officer => Some(ReadPurpose::StayControl),
        Role::Exchange | Role::Signatory => Some(ReadPurpose::ExchangeRequest),
        Role::Auditor => Some(ReadPurpose::Audit),
        Role::Analyst | Role::Admin | Role::Holder | Role::Host => None,
    }
}

#[derive(Template)]
#[template(path = "purpose.html")]
struct PurposePage {
    ctx: Ctx,
    action: String,
    /// Query parameters the page asked for keeps, besides the purpose and its note.
    hidden: Vec<(&'static str, String)>,
    purposes: Vec<PurposeOption>,
    note: String,
}

/// The form asking the purpose before personal data is shown; it comes back to `action` with
/// `purpose`, `note` and the `hidden` parameters.
pub(crate) fn purpose_prompt(
    officer: &Officer,
    action: String,
    hidden: Vec<(&'static str, String)>,
    preselect: Option<ReadPurpose>,
    note: &str,
) -> Response {
    let page = PurposePage {
        ctx: Ctx::of(officer),
        action,
        hidden,
        purposes: purpose_options(preselect),
        note: note.chars().take(500).collect(),
    };
    render(&page, officer.lang)
}
