//! The `/api/v1` routes and the JSON shapes they exchange.

pub(crate) mod audit;
pub(crate) mod bans;
pub(crate) mod border;
pub(crate) mod cards;
pub(crate) mod control;
pub(crate) mod crossings;
pub(crate) mod employers;
pub(crate) mod exchange;
pub(crate) mod exchange_admin;
pub(crate) mod exchange_cases;
pub(crate) mod expulsions;
pub(crate) mod permits;
pub(crate) mod persons;
pub(crate) mod points;
pub(crate) mod registrations;
pub(crate) mod review;
pub(crate) mod self_service;
pub(crate) mod stay_views;
pub(crate) mod system;
pub(crate) mod violations;

use crate::error::{ApiCode, ApiError, excerpt};

/// An id given in the path, or `400 invalid_id` when it is not a UUID.
pub(crate) fn path_uuid(id: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(id).map_err(|_| ApiError::new(ApiCode::InvalidId, format!("{:?} is not a UUID", excerpt(id))))
}

/// A number from the query string within `range`, `default` when absent, else `invalid_query`.
pub(crate) fn query_number(
    value: Option<&str>,
    field: &'static str,
    default: u32,
    range: (u32, u32),
) -> Result<u32, ApiError> {
    let Some(text) = value else { return Ok(default) };
    match text.parse::<u32>() {
        Ok(n) if n >= range.0 && n <= range.1 => Ok(n),
        _ => Err(ApiError::new(
            ApiCode::InvalidQuery,
            format!("{field} must be a whole number from {} to {}, got {:?}", range.0, range.1, excerpt(text)),
        )
        .at(field)),
    }
}
