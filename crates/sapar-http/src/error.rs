//! The API's one error type: a stable machine-readable code, an HTTP status, a message, and for
//! validation errors the offending field. Internal details (SQL, panics) never reach a client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sapar_model::InputError;
use sapar_store::{RecordError, RegisterRejection, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// Error body of every failed API call.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `unknown_country`, `exit_without_entry`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// JSON path of the offending field, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An API failure.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None }
    }

    pub(crate) fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub(crate) fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "this token's role may not use this route")
    }

    pub(crate) fn not_found(what: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("{what} not found"))
    }

    pub(crate) fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "an internal error occurred")
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> ApiError {
        ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, code: e.code, message: e.message, field: Some(e.field) }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        tracing::error!(error = %e, "storage failure");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable", "the register's database failed")
    }
}

impl From<RecordError> for ApiError {
    fn from(e: RecordError) -> ApiError {
        match e {
            RecordError::Rejected(RegisterRejection::IdConflict) => ApiError {
                field: Some("id"),
                ..ApiError::new(
                    StatusCode::CONFLICT,
                    "idempotency_conflict",
                    "this crossing id was already used for a different crossing",
                )
            },
            RecordError::Rejected(RegisterRejection::ExitWithoutEntry) => ApiError {
                field: Some("direction"),
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "exit_without_entry",
                    "an exit needs an entry of the same person before it",
                )
            },
            RecordError::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            ErrorBody { code: self.code.to_owned(), message: self.message, field: self.field.map(str::to_owned) };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
