//! Extractors whose failures are API errors from the table: a JSON body (`malformed_json`,
//! `invalid_body`, `unsupported_media_type`, `payload_too_large`) and a query string
//! (`invalid_query`). Messages repeat at most a bounded excerpt of what the client sent and never
//! name internal types.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use crate::error::{ApiCode, ApiError, excerpt};

/// Like `axum::Json`, but every failure is an [`ApiError`], and the body must be a JSON object
/// (serde's derive would also take an array of the members' values).
#[derive(Debug)]
pub(crate) struct ApiJson<T>(pub(crate) T);

/// The text of a serde error without the type names serde puts in it.
fn serde_message(text: &str) -> String {
    // serde_path_to_error-style texts from axum read "Failed to deserialize the JSON body into the
    // target type: <path>: <serde message> at line L column C"; keep the part after the prefix.
    let text = text.split_once("target type: ").map_or(text, |(_, rest)| rest);
    let text = text.replace("struct ", "").replace("enum ", "");
    excerpt(&text)
}

/// Whether a `Content-Type` names JSON: `application/json` or `application/…+json`, with any
/// parameters (axum's own test).
fn is_json(content_type: Option<&axum::http::HeaderValue>) -> bool {
    let Some(essence) = content_type.and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()) else {
        return false;
    };
    let essence = essence.trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers().get(axum::http::header::CONTENT_TYPE)) {
            return Err(ApiError::new(ApiCode::UnsupportedMediaType, "send the body as application/json"));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| json_rejection(JsonRejection::BytesRejection(e)))?;
        // serde's derive also takes an array of the members' values: only an object is a body.
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => {}
            Some(b'[' | b'"' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9') => {
                return Err(ApiError::new(ApiCode::InvalidBody, "the body must be a JSON object"));
            }
            _ => return Err(ApiError::new(ApiCode::MalformedJson, "the body is not JSON")),
        }
        axum::Json::<T>::from_bytes(&bytes).map(|axum::Json(value)| ApiJson(value)).map_err(json_rejection)
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonSyntaxError(e) => ApiError::new(ApiCode::MalformedJson, serde_message(&e.body_text())),
        JsonRejection::JsonDataError(e) => ApiError::new(ApiCode::InvalidBody, serde_message(&e.body_text())),
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::new(ApiCode::UnsupportedMediaType, "send the body as application/json")
        }
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ApiCode::PayloadTooLarge, "the body is too large")
        }
        _ => ApiError::new(ApiCode::UnreadableBody, "the body could not be read"),
    }
}

/// Like `axum::extract::Query`, but a query string that does not parse is `invalid_query`.
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state).await.map(|q| ApiQuery(q.0)).map_err(
            |rejection: QueryRejection| {
                let text = rejection.body_text();
                let text = text.split_once("Failed to deserialize query string: ").map_or(text.as_str(), |(_, r)| r);
                ApiError::new(ApiCode::InvalidQuery, format!("the query string does not parse: {}", excerpt(text)))
            },
        )
    }
}

/// An optional whole number of a JSON body: `3` or `3.0`, as JSON Schema's `integer` (and so the
/// OpenAPI document) admits both, where serde's own `u32` refuses `3.0`.
pub(crate) fn optional_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else { return Ok(None) };
    let whole = match number.as_u64() {
        Some(n) => u32::try_from(n).ok(),
        None => number
            .as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(f))
            .and_then(|f| format!("{f:.0}").parse().ok()),
    };
    whole
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("expected a whole number from 0 to {}, got {number}", u32::MAX)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Versioned {
        #[serde(default, deserialize_with = "super::optional_u32")]
        version: Option<u32>,
    }

    fn version(json: &str) -> Result<Option<u32>, String> {
        serde_json::from_str::<Versioned>(json).map(|v| v.version).map_err(|e| e.to_string())
    }

    #[test]
    fn a_whole_number_may_be_written_with_a_fraction_of_zero() {
        assert_eq!(version(r#"{"version": 3}"#), Ok(Some(3)));
        assert_eq!(version(r#"{"version": 1330.0}"#), Ok(Some(1330)));
        assert_eq!(version(r#"{"version": null}"#), Ok(None));
        assert_eq!(version("{}"), Ok(None));
        assert_eq!(version(r#"{"version": 4294967295}"#), Ok(Some(u32::MAX)));
    }

    #[test]
    fn fractions_negatives_and_numbers_out_of_range_are_refused() {
        for json in [r#"{"version": 1.5}"#, r#"{"version": -1}"#, r#"{"version": 4294967296}"#, r#"{"version": 1e20}"#]
        {
            assert!(version(json).is_err(), "{json}");
        }
    }
}
