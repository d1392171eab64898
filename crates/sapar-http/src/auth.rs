//! Bearer tokens: generation, hashing, and the extractor that admits a request by role.
//!
//! A token is `sapar_` followed by 32 random bytes in hex. Only its SHA-256 is stored: tokens are
//! high-entropy secrets, so a fast hash is enough (passwords, when they come, use Argon2id).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use sapar_model::Role;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

const PREFIX: &str = "sapar_";

/// A freshly generated token secret; shown once, never stored.
pub fn generate_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// The stored form of a token secret.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The caller, as established by a valid, unrevoked bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_name: String,
    pub role: Role,
}

impl Caller {
    /// Admits the caller when their role is one of `roles`.
    pub(crate) fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(ApiError::forbidden()) }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("an Authorization: Bearer token is required"))?;
        let value = header.to_str().map_err(|_| ApiError::unauthorized("the Authorization header is not text"))?;
        let token = value
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer <token>`"))?;
        let record = state
            .store
            .token_by_hash(hash_token(token))
            .await?
            .ok_or_else(|| ApiError::unauthorized("unknown token"))?;
        if record.revoked_at.is_some() {
            return Err(ApiError::unauthorized("this token was revoked"));
        }
        Ok(Caller { token_name: record.name, role: record.role })
    }
}
