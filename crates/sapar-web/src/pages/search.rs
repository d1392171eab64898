//! One search box for persons: any script or transliteration, or a document number, narrowed
//! by birth date and citizenship. Results show both scripts; each hit shown is a logged read
//! under the purpose stated on the form.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use sapar_model::{Country, ReadPurpose, Role};
use sapar_register::RegisterError;
use sapar_register::access::{Access, AccessChannel};
use sapar_register::search::SearchQuery;
use serde::Deserialize;

use super::{PurposeOption, purpose_options, require, usual_purpose};
use crate::WebState;
use crate::i18n;
use crate::page::{Ctx, PageError, TwoScripts, render};
use crate::session::Officer;

/// Longest search text the box takes; the register refuses longer.
const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    citizenship: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
}

pub(crate) struct HitView {
    href: String,
    name: TwoScripts,
    birth_date: String,
    citizenship: String,
    documents: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    birth_date: String,
    citizenship: String,
    note: String,
    purposes: Vec<PurposeOption>,
    searched: bool,
    hits: Vec<HitView>,
    truncated: bool,
}

/// `GET /search`: the form, and the hits when a query is given.
pub(crate) async fn search(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<SearchParams>,
) -> Result<Response, PageError> {
    require(&officer, &[Role::Border, Role::Officer, Role::Exchange])?;
    let lang = officer.lang;
    let purpose = ReadPurpose::parse(&params.purpose);
    let mut page = SearchPage {
        ctx: Ctx::of(&officer),
        q: params.q.chars().take(MAX_QUERY_CHARS).collect(),
        birth_date: params.birth_date.chars().take(10).collect(),
        citizenship: params.citizenship.chars().take(3).collect(),
        note: params.note.chars().take(500).collect(),
        purposes: purpose_options(purpose.or_else(|| usual_purpose(officer.session.actor.role))),
        searched: false,
        hits: Vec::new(),
        truncated: false,
    };
    let asked = !params.q.trim().is_empty() || !params.birth_date.is_empty() || !params.citizenship.is_empty();
    if !asked {
        return Ok(render(&page, lang));
    }
    let mut problems = Vec::new();
    if params.q.chars().count() > MAX_QUERY_CHARS {
        problems.push(i18n::translate_count(lang, "search-too-long", MAX_QUERY_CHARS as i64));
    }
    let birth_date = match params.birth_date.trim() {
        "" => None,
        text => match text.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(i18n::translate(lang, "search-bad-date", None));
                None
            }
        },
    };
    let citizenship = match params.citizenship.trim() {
        "" => None,
        text => match Country::parse(&text.to_uppercase()) {
            Ok(c) => Some(c),
            Err(_) => {
                problems.push(i18n::translate(lang, "search-bad-citizenship", None));
                None
            }
        },
    };
    if purpose.is_none() {
        problems.push(i18n::translate(lang, "purpose-required", None));
    }
    let (Some(purpose), true) = (purpose, problems.is_empty()) else {
        page.ctx = page.ctx.with_flash(Some(problems.join(" ")));
        return Ok((axum::http::StatusCode::BAD_REQUEST, render(&page, lang)).into_response());
    };
    let access = Access::new(officer.session.actor.clone(), purpose, AccessChannel::Web)
        .from_address(officer.address)
        .with_note(Some(&params.note))
        .map_err(|_| PageError::Forbidden(lang))?;
    let query = SearchQuery { text: params.q.clone(), birth_date, citizenship, limit: None };
    match state.register.search_persons(&access, &query).await {
        Ok(results) => {
            page.searched = true;
            page.truncated = results.truncated;
            page.hits = results
                .hits
                .iter()
                .map(|hit| HitView {
                    href: format!("/persons/{}", hit.person_id),
                    name: TwoScripts::of(&hit.details.name),
                    birth_date: page.ctx.opt_date(&hit.details.birth_date),
                    citizenship: hit.details.citizenship.code().to_owned(),
                    documents: hit.documents.iter().map(|d| d.key.to_string()).collect::<Vec<_>>().join(", "),
                })
                .collect();
            Ok(render(&page, lang))
        }
        Err(RegisterError::Invalid(e)) => {
            page.ctx = page.ctx.with_flash(Some(e.to_string()));
            Ok((axum::http::StatusCode::BAD_REQUEST, render(&page, lang)).into_response())
        }
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}
