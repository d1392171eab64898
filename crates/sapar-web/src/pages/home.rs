//! The start page: the desks the user's role may use.

use askama::Template;
use axum::response::Response;

use crate::page::{Ctx, render};
use crate::session::Officer;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
}

/// `GET /`.
pub(crate) async fn home(officer: Officer) -> Response {
    render(&HomePage { ctx: Ctx::of(&officer) }, officer.lang)
}
