//! The extractor that admits a request by its bearer token, as an actor of the register.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sapar_model::Role;
use sapar_register::Actor;

use crate::AppState;
use crate::error::{ApiCode, ApiError};

/// The caller, as established by a valid, unrevoked, unexpired bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_name: String,
    pub role: Role,
}

impl Caller {
    /// The caller as the register's actor.
    pub fn actor(&self) -> Actor {
        Actor::new(self.token_name.clone(), self.role)
    }

    /// Admits the caller when their role is one of `roles`.
    pub(crate) fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(ApiError::forbidden()) }
    }
}

/// The bearer secret of a request, if it has a well-formed one.
pub(crate) fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::new(ApiCode::Unauthorized, "an Authorization: Bearer token is required"))?;
    let value =
        header.to_str().map_err(|_| ApiError::new(ApiCode::Unauthorized, "the Authorization header is not text"))?;
    value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::new(ApiCode::Unauthorized, "the Authorization header must be `Bearer <token>`"))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let token = bearer(parts)?;
        let actor = state.register.authenticate(token).await?;
        Ok(Caller { token_name: actor.name, role: actor.role })
    }
}
