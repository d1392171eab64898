//! The `/api/v1` routes and the JSON shapes they exchange.

pub(crate) mod crossings;
pub(crate) mod exchange;
pub(crate) mod exchange_admin;
pub(crate) mod permits;
pub(crate) mod persons;
pub(crate) mod review;
pub(crate) mod system;
pub(crate) mod violations;

use axum::http::StatusCode;

use crate::error::ApiError;

/// An id given in the path, or `400 invalid_id` when it is not a UUID.
pub(crate) fn path_uuid(id: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(id)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", format!("{id:?} is not a UUID")))
}
