//! The navigation with counts: after a page has loaded, htmx asks `GET /nav?here=…` for the same
//! navigation with how many items wait in each queue (drafts to decide, pairs to review, overdue
//! removal applications, exchange cases due soon or overdue). Counting never slows a page, reads
//! no person, and a page without JavaScript keeps its navigation without counts.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sapar_model::Role;
use serde::Deserialize;

use crate::WebState;
use crate::page::{Ctx, NavItem, nav_for, render};
use crate::session::Officer;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NavParams {
    /// The page the navigation is on (to mark its item as current).
    #[serde(default)]
    here: String,
}

#[derive(Template)]
#[template(path = "nav.html")]
struct NavFragment {
    ctx: Ctx,
}

fn set(items: &mut [NavItem], href: &str, count: i64, urgent: bool) {
    if let Some(item) = items.iter_mut().find(|i| i.href == href) {
        item.count = Some(count);
        item.urgent = urgent;
    }
}

/// `GET /nav`: the navigation with its counts. An ended session gets an empty answer, which
/// leaves the page's navigation as it is.
pub(crate) async fn nav(
    State(state): State<WebState>,
    officer: Result<Officer, Response>,
    Query(params): Query<NavParams>,
) -> Response {
    let Ok(officer) = officer else { return StatusCode::NO_CONTENT.into_response() };
    let role = officer.session.actor.role;
    let here = if params.here.starts_with('/') { params.here.as_str() } else { "/" };
    let mut items = nav_for(role, here);
    let register = &state.register;
    match role {
        Role::Officer => match register.queue_counts(&officer.session.actor).await {
            Ok(c) => {
                set(&mut items, "/queues/violations", c.violations, false);
                set(&mut items, "/queues/review", c.review, false);
                if c.overdue_applications > 0 {
                    set(&mut items, "/control-register", c.overdue_applications, true);
                }
            }
            Err(e) => tracing::warn!(error = %e, "the queues were not counted"),
        },
        Role::Exchange | Role::Signatory | Role::Auditor => {
            if let Some(desk) = state.case_desk.as_deref() {
                match desk.case_counts(register.now()).await {
                    Ok(c) => {
                        let pressing = i64::try_from(c.due_soon + c.overdue).unwrap_or(i64::MAX);
                        set(&mut items, "/cases", pressing, c.overdue > 0);
                    }
                    Err(e) => tracing::warn!(error = %e, "the exchange cases were not counted"),
                }
            }
        }
        _ => {}
    }
    let ctx = Ctx { nav: items, nav_counts: None, ..Ctx::of(&officer) };
    render(&NavFragment { ctx }, officer.lang)
}
