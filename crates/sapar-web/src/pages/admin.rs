//! The administrator's pages: users (create, disable) and API tokens (list). Passwords are typed
//! once into the form and stored only as Argon2id hashes by the register.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::Role;
use sapar_register::accounts::UserError;
use serde::Deserialize;

use super::require;
use crate::WebState;
use crate::page::{Ctx, PageError, render, role_key};
use crate::session::Officer;

pub(crate) struct UserRow {
    name: String,
    role_key: &'static str,
    created: String,
    disabled: Option<String>,
}

pub(crate) struct RoleOption {
    code: &'static str,
    label_key: &'static str,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    ctx: Ctx,
    users: Vec<UserRow>,
    roles: Vec<RoleOption>,
    created: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UsersParams {
    #[serde(default)]
    created: String,
}

async fn users_page(
    state: &WebState,
    officer: &Officer,
    flash: Option<String>,
    created: Option<String>,
) -> Result<UsersPage, PageError> {
    let lang = officer.lang;
    let users = state.register.users(&officer.session.actor).await.map_err(|e| user_error(lang, e))?;
    let ctx = Ctx::of(officer);
    Ok(UsersPage {
        users: users
            .iter()
            .map(|u| UserRow {
                name: u.name.clone(),
                role_key: role_key(u.role),
                created: ctx.at(&u.created_at),
                disabled: u.disabled_at.map(|at| ctx.at(&at)),
            })
            .collect(),
        roles: Role::ALL.into_iter().map(|r| RoleOption { code: r.as_str(), label_key: role_key(r) }).collect(),
        created,
        ctx: ctx.with_flash(flash),
    })
}

fn user_error(lang: crate::Lang, e: UserError) -> PageError {
    match e {
        UserError::Forbidden { .. } => PageError::Forbidden(lang),
        UserError::NotFound(_) => PageError::NotFound(lang),
        other => {
            tracing::error!(error = %other, "user administration failed");
            PageError::Unavailable(lang)
        }
    }
}

/// `GET /admin/users`.
pub(crate) async fn users(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<UsersParams>,
) -> Result<Response, PageError> {
    require(&officer, &[Role::Admin])?;
    let created = Some(params.created.chars().take(100).collect::<String>()).filter(|c| !c.is_empty());
    let page = users_page(&state, &officer, None, created).await?;
    Ok(render(&page, officer.lang))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/users`: creates a user.
pub(crate) async fn create_user(
    State(state): State<WebState>,
    officer: Officer,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    require(&officer, &[Role::Admin])?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let ctx = Ctx::of(&officer);
    let refused = |message: String| async {
        let page = users_page(&state, &officer, Some(message), None).await?;
        Ok::<Response, PageError>((StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
    };
    let Some(role) = Role::parse(&form.role) else {
        return refused(ctx.t("users-bad-role")).await;
    };
    match state.register.create_user(&officer.session.actor, &form.name, role, &form.password).await {
        Ok(user) => {
            let query = serde_urlencoded::to_string([("created", user.name.as_str())]).unwrap_or_default();
            Ok(Redirect::to(&format!("/admin/users?{query}")).into_response())
        }
        Err(UserError::InvalidName) => refused(ctx.t("users-bad-name")).await,
        Err(UserError::NameTaken(_)) => refused(ctx.t("users-name-taken")).await,
        Err(UserError::WeakPassword(_)) => refused(ctx.t("users-weak-password")).await,
        Err(e) => Err(user_error(lang, e)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/users/{name}/disable`.
pub(crate) async fn disable_user(
    State(state): State<WebState>,
    officer: Officer,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    require(&officer, &[Role::Admin])?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    match state.register.disable_user(&officer.session.actor, &name).await {
        Ok(_) | Err(UserError::AlreadyDisabled(_)) => Ok(Redirect::to("/admin/users").into_response()),
        Err(UserError::Forbidden { .. }) => Err(PageError::Forbidden(lang)),
        Err(e) => Err(user_error(lang, e)),
    }
}

pub(crate) struct TokenRow {
    name: String,
    role_key: &'static str,
    created: String,
    expires: String,
    revoked: String,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    ctx: Ctx,
    tokens: Vec<TokenRow>,
}

/// `GET /admin/tokens`: the API tokens machines use (created and revoked with `sapar tokens`).
pub(crate) async fn tokens(State(state): State<WebState>, officer: Officer) -> Result<Response, PageError> {
    require(&officer, &[Role::Admin])?;
    let lang = officer.lang;
    let tokens = state.register.tokens().await.map_err(|e| {
        tracing::error!(error = %e, "tokens could not be listed");
        PageError::Unavailable(lang)
    })?;
    let ctx = Ctx::of(&officer);
    let tokens = tokens
        .iter()
        .map(|t| TokenRow {
            name: t.name.clone(),
            role_key: role_key(t.role),
            created: ctx.at(&t.created_at),
            expires: t.expires_at.map_or_else(String::new, |at| ctx.at(&at)),
            revoked: t.revoked_at.map_or_else(String::new, |at| ctx.at(&at)),
        })
        .collect();
    Ok(render(&TokensPage { ctx, tokens }, lang))
}
