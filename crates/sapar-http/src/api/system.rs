//! Operational routes: health, Prometheus metrics, the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiCode, ApiError};

/// Health answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok` when the database answers.
    pub(crate) status: &'static str,
    /// `sqlite` or `postgres`.
    pub(crate) database: &'static str,
}

/// Liveness and database reachability (no token needed).
#[utoipa::path(get, path = "/health", tag = "operations",
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "The database does not answer (`database_unreachable`)", body = crate::error::ErrorBody),
    ))]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.register.health().await.map_err(|e| {
        tracing::warn!(error = %e, "health check failed");
        ApiError::new(ApiCode::DatabaseUnreachable, "the database does not answer")
    })?;
    Ok(Json(Health { status: "ok", database: state.register.backend() }))
}

/// Prometheus text exposition of the node's metrics (no token needed; bind it to a private address).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    if let Some(exchange) = &state.exchange {
        match exchange.case_desk().case_counts(state.register.now()).await {
            Ok(counts) => state.metrics.exchange_cases(counts),
            Err(e) => tracing::warn!(error = %e, "the exchange's case counts are not available"),
        }
    }
    match state.metrics.render() {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "metrics encoding failed");
            ApiError::internal().into_response()
        }
    }
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations", security(("bearer" = [])),
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub(crate) async fn openapi(_caller: Caller) -> Response {
    Json(crate::openapi::ApiDoc::openapi()).into_response()
}
