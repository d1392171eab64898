//! Why a request reads persons' data: the extractor that makes the register's [`Access`] of a
//! request — the bearer token's caller, the purpose from `Sapar-Purpose` (or the role's default),
//! the note from `Sapar-Purpose-Note`, the API channel and the client's address — and the
//! OpenAPI description of the two headers, for every route that shows a person.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use sapar_model::ReadPurpose;
use sapar_register::access::{Access, AccessChannel, MAX_PURPOSE_NOTE_CHARS, default_purpose};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiCode, ApiError, excerpt};
use crate::limits::ClientAddr;

/// The header naming the purpose of a read (a [`ReadPurpose`] code).
pub(crate) const PURPOSE_HEADER: &str = "Sapar-Purpose";
/// The header carrying the reader's own words on the purpose, percent-encoded UTF-8.
pub(crate) const NOTE_HEADER: &str = "Sapar-Purpose-Note";

/// A request allowed to ask for persons' data, as the register's [`Access`]: it names its purpose
/// or its role has a default one. Whether the role may read is the register's check.
#[derive(Debug, Clone)]
pub(crate) struct ReadAccess(pub(crate) Access);

fn purpose_list() -> String {
    ReadPurpose::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
}

/// The one value of `name`, as text; `None` when absent.
fn single<'a>(headers: &'a HeaderMap, name: &str, code: ApiCode) -> Result<Option<&'a str>, ApiError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(ApiError::new(code, format!("send {name} once")).at(name));
    }
    let text = value.to_str().map_err(|_| ApiError::new(code, format!("{name} is not visible ASCII")).at(name))?;
    Ok(Some(text.trim()))
}

/// The purpose a request states, else its role's default, else `fallback`; none of them is
/// `read_purpose_required`.
fn purpose(headers: &HeaderMap, caller: &Caller, fallback: Option<ReadPurpose>) -> Result<ReadPurpose, ApiError> {
    match single(headers, PURPOSE_HEADER, ApiCode::InvalidReadPurpose)? {
        Some(code) => ReadPurpose::parse(code).ok_or_else(|| {
            ApiError::new(
                ApiCode::InvalidReadPurpose,
                format!("{:?} is not a purpose of reading personal data: use one of {}", excerpt(code), purpose_list()),
            )
            .at(PURPOSE_HEADER)
        }),
        None => default_purpose(caller.role).or(fallback).ok_or_else(|| {
            ApiError::new(
                ApiCode::ReadPurposeRequired,
                format!("say why you read this: send {PURPOSE_HEADER} with one of {}", purpose_list()),
            )
            .at(PURPOSE_HEADER)
        }),
    }
}

/// The note a request gives, percent-decoded; a note that does not decode is refused.
fn note(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(encoded) = single(headers, NOTE_HEADER, ApiCode::InvalidPurposeNote)? else { return Ok(None) };
    percent_encoding::percent_decode_str(encoded).decode_utf8().map(|text| Some(text.into_owned())).map_err(|_| {
        ApiError::new(ApiCode::InvalidPurposeNote, format!("{NOTE_HEADER} is not percent-encoded UTF-8"))
            .at(NOTE_HEADER)
    })
}

/// The access of a request, its purpose defaulting to the role's, else to `fallback`.
async fn read_access(parts: &mut Parts, state: &AppState, fallback: Option<ReadPurpose>) -> Result<Access, ApiError> {
    let caller = Caller::from_request_parts(parts, state).await?;
    let purpose = purpose(&parts.headers, &caller, fallback)?;
    let note = note(&parts.headers)?;
    let address = parts.extensions.get::<ClientAddr>().map(|ClientAddr(ip)| *ip);
    Ok(Access::new(caller.actor(), purpose, AccessChannel::Api)
        .with_note(note.as_deref())
        .map_err(|e| ApiError::new(ApiCode::InvalidPurposeNote, e.message).at(NOTE_HEADER))?
        .from_address(address))
}

impl FromRequestParts<AppState> for ReadAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ReadAccess, ApiError> {
        Ok(ReadAccess(read_access(parts, state, None).await?))
    }
}

/// The access of a recording request, whose answer carries the border check of the crossing: the
/// purpose stated, else the role's default, else `border_check` — recording a crossing at the
/// border is a border check, so no recorder has to state it.
#[derive(Debug, Clone)]
pub(crate) struct RecordingAccess(pub(crate) Access);

impl FromRequestParts<AppState> for RecordingAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<RecordingAccess, ApiError> {
        Ok(RecordingAccess(read_access(parts, state, Some(ReadPurpose::BorderCheck)).await?))
    }
}

/// The schema of a purpose code: a string, one of [`ReadPurpose::ALL`].
pub(crate) fn purpose_schema() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("A purpose of reading persons' data, as the access log keeps it."))
        .enum_values(Some(ReadPurpose::ALL.iter().map(|p| p.as_str())))
        .build()
}

/// The two headers of a read, for the `params(…)` of every route that shows a person.
pub(crate) struct ReadHeaders;

impl utoipa::IntoParams for ReadHeaders {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let purpose = ParameterBuilder::new()
            .name(PURPOSE_HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Why the caller reads this person's data; every read is logged with it. Without the header, \
                 border tokens read for border_check, exchange and signatory tokens for exchange_request, \
                 auditors for audit; officers, analysts and administrators must send it.",
            ))
            .schema(Some(purpose_schema()))
            .build();
        let note = ParameterBuilder::new()
            .name(NOTE_HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(format!(
                "The reader's own words on the purpose (a case number, say), percent-encoded UTF-8, at most \
                 {MAX_PURPOSE_NOTE_CHARS} characters once decoded; logged beside the purpose."
            )))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        vec![purpose, note]
    }
}
