//! Migrant cards: `GET /api/v1/cards/{number}` (the card, its holder and its standing),
//! `…/qr.svg`, `…/qr.png` and `…/print` (the seal drawn as a QR code, and the printable card as a PDF),
//! `POST /api/v1/cards/verify` (a seal checked as an offline verifier would, plus its standing),
//! `POST /api/v1/cards/{number}/revoke`, and a person's cards: `GET`/`POST
//! /api/v1/persons/{id}/cards`. The images and the printable card are the only answers of this
//! API that are not JSON; their errors are.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sapar_card::{VerifiedCard, VerifyError};
use sapar_model::PersonId;
use sapar_register::cards::{CardStatus, CardView as RegisterCardView};
use sapar_register::records::{CardRecord, PersonRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::path_uuid;
use crate::api::persons::NameView;
use crate::error::{ApiCode, ApiError, ErrorBody};
use crate::json::ApiJson;

/// Pixels per QR module in the PNG rendering.
const PNG_MODULE_PX: u32 = 4;

/// A PNG image (a QR code).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(dead_code, reason = "a schema only: the image travels as the body's bytes")]
pub(crate) struct PngImage(Vec<u8>);

/// A PDF document (the printable card).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(dead_code, reason = "a schema only: the document travels as the body's bytes")]
pub(crate) struct PdfDocument(Vec<u8>);

/// A migrant card as the register holds it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CardView {
    /// Issuing state's alpha-3 code, nine digits and a check digit (`docs/card.md`).
    #[schema(example = "KAZ0000000016")]
    pub number: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    pub issuing_state: String,
    /// `valid`, `expired` (past its last valid day) or `revoked`.
    #[schema(example = "valid")]
    pub status: &'static str,
    pub issued_on: String,
    /// The last day it is valid: the last legal day of the stay.
    pub valid_until: String,
    #[schema(format = Uuid)]
    pub entry_id: Option<String>,
    pub issued_by: String,
    /// `exit`, `expulsion`, `ban`, `replaced` or `officer`, when revoked.
    pub revocation: Option<&'static str>,
    pub revoked_on: Option<String>,
    pub revocation_note: Option<String>,
    /// The seal in force (ICAO VDS-NC JSON), as printed in the QR code.
    pub seal: serde_json::Value,
}

impl CardView {
    pub(crate) fn of(card: &CardRecord, status: CardStatus) -> CardView {
        CardView {
            number: card.number.clone(),
            person_id: card.person_id.to_string(),
            issuing_state: card.issuing_state.code().to_owned(),
            status: status.as_str(),
            issued_on: card.issued_on.to_string(),
            valid_until: card.valid_until.to_string(),
            entry_id: card.entry_id.map(|id| id.to_string()),
            issued_by: card.issued_by.clone(),
            revocation: card.revocation.as_ref().map(|r| r.reason.as_str()),
            revoked_on: card.revocation.as_ref().map(|r| r.on.to_string()),
            revocation_note: card.revocation.as_ref().and_then(|r| r.note.clone()),
            seal: serde_json::from_str(&card.seal).unwrap_or(serde_json::Value::String(card.seal.clone())),
        }
    }
}

/// The holder as the card shows them.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CardHolderView {
    pub native_name: Option<NameView>,
    pub latin_name: Option<NameView>,
    pub birth_date: Option<String>,
    pub citizenship: String,
}

impl CardHolderView {
    fn of(holder: &PersonRecord) -> CardHolderView {
        let details = &holder.person.details;
        CardHolderView {
            native_name: details.name.native().map(NameView::of),
            latin_name: details.name.latin().map(NameView::of),
            birth_date: details.birth_date.map(|d| d.to_string()),
            citizenship: details.citizenship.code().to_owned(),
        }
    }
}

/// A card with its holder.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CardFileView {
    pub card: CardView,
    pub holder: CardHolderView,
}

impl CardFileView {
    fn of(view: &RegisterCardView) -> CardFileView {
        CardFileView { card: CardView::of(&view.card, view.status), holder: CardHolderView::of(&view.holder) }
    }
}

/// What a seal says, once verified.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SealContentView {
    pub number: String,
    pub issuing_state: String,
    pub surname_latin: String,
    pub given_names_latin: String,
    pub name_native: Option<String>,
    pub birth_date: String,
    pub sex: &'static str,
    pub citizenship: String,
    pub document_number: String,
    pub issued_on: String,
    pub valid_until: String,
    /// The signer certificate's subject.
    pub signer: String,
}

impl SealContentView {
    fn of(card: &VerifiedCard) -> SealContentView {
        let c = &card.content;
        SealContentView {
            number: c.number.to_string(),
            issuing_state: c.issuing_state.code().to_owned(),
            surname_latin: c.surname_latin.clone(),
            given_names_latin: c.given_names_latin.clone(),
            name_native: c.name_native.clone(),
            birth_date: c.birth_date.to_string(),
            sex: c.sex.code(),
            citizenship: c.citizenship.code().to_owned(),
            document_number: c.document_number.clone(),
            issued_on: c.issued_on.to_string(),
            valid_until: c.valid_until.to_string(),
            signer: card.signer_subject.clone(),
        }
    }
}

/// The verdict on a seal.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SealCheckView {
    /// True only when the seal verifies against this state's CA and the card has not expired.
    pub valid: bool,
    /// Why not, when not valid: `not_a_qr`, `not_json`, `not_a_seal`, `unknown_type`,
    /// `bad_certificate`, `foreign_ca`, `not_a_card_signer`, `signer_expired`, `bad_signature`,
    /// `bad_message` or `expired` (`docs/card.md`).
    pub code: Option<&'static str>,
    pub message: Option<String>,
    /// What the seal says, when it is genuine (also when it expired).
    pub card: Option<SealContentView>,
    /// The card's standing in this register (`valid`, `expired`, `revoked`), when it is one of
    /// its cards: a genuine seal of a revoked card is not valid.
    pub status: Option<&'static str>,
}

/// Why an officer revokes a card.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevokeCardBody {
    /// The reason, in the officer's words.
    pub note: String,
}

fn person_id(id: &str) -> Result<PersonId, ApiError> {
    path_uuid(id).map(PersonId::from_uuid)
}

/// A card, its holder and its standing.
///
/// The read is access-logged against the holder. Border and migration officers.
#[utoipa::path(
    get,
    path = "/api/v1/cards/{number}",
    tag = "cards",
    params(("number" = String, Path, description = "Card number: the issuing state (alpha-3), nine digits, a check digit", pattern = r"^[A-Z]{3}[0-9]{10}$"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The card", body = CardFileView),
        (status = 403, description = "Only border and migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No card has this number (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn card(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(number): Path<String>,
) -> Result<Json<CardFileView>, ApiError> {
    let view = state.register.card(&access, &number).await?;
    Ok(Json(CardFileView::of(&view)))
}

/// The card's seal as an SVG QR code.
///
/// The read is access-logged against the holder. Border and migration officers.
#[utoipa::path(
    get,
    path = "/api/v1/cards/{number}/qr.svg",
    tag = "cards",
    params(("number" = String, Path, description = "Card number: the issuing state (alpha-3), nine digits, a check digit", pattern = r"^[A-Z]{3}[0-9]{10}$"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The QR code", content_type = "image/svg+xml", body = String),
        (status = 403, description = "Only border and migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No card has this number (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn card_qr_svg(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let view = state.register.card(&access, &number).await?;
    let svg = sapar_card::qr_svg(&view.card.seal).map_err(|e| {
        tracing::error!(error = %e, "drawing a QR code");
        ApiError::internal()
    })?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response())
}

/// The card's seal as a PNG QR code.
///
/// The read is access-logged against the holder. Border and migration officers.
#[utoipa::path(
    get,
    path = "/api/v1/cards/{number}/qr.png",
    tag = "cards",
    params(("number" = String, Path, description = "Card number: the issuing state (alpha-3), nine digits, a check digit", pattern = r"^[A-Z]{3}[0-9]{10}$"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The QR code", content_type = "image/png", body = PngImage),
        (status = 403, description = "Only border and migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No card has this number (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn card_qr_png(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let view = state.register.card(&access, &number).await?;
    let png = sapar_card::qr_png(&view.card.seal, PNG_MODULE_PX).map_err(|e| {
        tracing::error!(error = %e, "drawing a QR code");
        ApiError::internal()
    })?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], png).into_response())
}

/// The printable card as a PDF.
///
/// One A6 landscape page: the card's content as sealed, labelled in Russian and the holder's
/// language, the name in both scripts, the QR code of the seal and a frame for the photo. The
/// read is access-logged against the holder. Border and migration officers.
#[utoipa::path(
    get,
    path = "/api/v1/cards/{number}/print",
    tag = "cards",
    params(("number" = String, Path, description = "Card number: the issuing state (alpha-3), nine digits, a check digit", pattern = r"^[A-Z]{3}[0-9]{10}$"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The printable card", content_type = "application/pdf", body = PdfDocument),
        (status = 403, description = "Only border and migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No card has this number (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn card_print(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let view = state.register.card(&access, &number).await?;
    let pdf = sapar_card::card_pdf(&view.card.seal).map_err(|e| {
        tracing::error!(error = %e, "laying out a printable card");
        ApiError::internal()
    })?;
    let disposition = format!("inline; filename=\"{}.pdf\"", view.card.number);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}

/// Check a seal.
///
/// The body is the seal's JSON (`application/json`) or a PNG image of its QR code (`image/png`).
/// The seal is checked as an offline verifier would, against this state's CA, today; a genuine
/// seal is then looked up: a revoked card is not valid. Any role.
#[utoipa::path(
    post,
    path = "/api/v1/cards/verify",
    tag = "cards",
    request_body(
        description = "The seal's JSON (any JSON is taken: what is not a seal gets its verdict), or a PNG image of its QR code",
        content(
            (serde_json::Value = "application/json"),
            (PngImage = "image/png"),
        ),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The verdict, valid or not", body = SealCheckView),
        (status = 404, description = "This node issues no cards (`cards_not_configured`)", body = ErrorBody),
        (status = 415, description = "Neither JSON nor PNG (`unsupported_media_type`)", body = ErrorBody),
    )
)]
pub(crate) async fn verify_card(
    State(state): State<AppState>,
    _caller: crate::auth::Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<SealCheckView>, ApiError> {
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let seal: Result<Vec<u8>, VerifyError> = match media.as_str() {
        "application/json" => Ok(body.to_vec()),
        "image/png" => sapar_card::read_qr_png(&body).map(String::into_bytes),
        _ => {
            return Err(ApiError::new(
                ApiCode::UnsupportedMediaType,
                "send the seal as application/json or its QR code as image/png",
            ));
        }
    };
    let (verified, status) = match seal {
        Ok(seal) => {
            let check = state.register.check_seal(&seal).await?;
            (check.seal, check.status)
        }
        Err(e) => {
            state
                .register
                .card_issuer()
                .ok_or_else(|| ApiError::from(sapar_register::RegisterError::CardsNotConfigured))?;
            (Err(e), None)
        }
    };
    let genuine = match &verified {
        Ok(card) => Some(card),
        Err(e) => e.expired_card(),
    };
    let valid = verified.is_ok() && status.is_none_or(|s| s == CardStatus::Valid);
    let (code, message) = match (&verified, status) {
        (Err(e), _) => (Some(e.code()), Some(e.to_string())),
        (Ok(_), Some(CardStatus::Revoked)) => (Some("revoked"), Some("the card was revoked".to_owned())),
        (Ok(_), Some(CardStatus::Expired)) => (Some("expired"), Some("the card expired".to_owned())),
        (Ok(_), _) => (None, None),
    };
    Ok(Json(SealCheckView {
        valid,
        code,
        message,
        card: genuine.map(SealContentView::of),
        status: status.map(CardStatus::as_str),
    }))
}

/// Revoke a card.
///
/// An officer's decision, with the reason. A card is revoked once and never deleted. Border and
/// migration officers.
#[utoipa::path(
    post,
    path = "/api/v1/cards/{number}/revoke",
    tag = "cards",
    params(("number" = String, Path, description = "Card number: the issuing state (alpha-3), nine digits, a check digit", pattern = r"^[A-Z]{3}[0-9]{10}$"), ReadHeaders),
    request_body = RevokeCardBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Revoked", body = CardView),
        (status = 403, description = "Only border and migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No card has this number (`not_found`)", body = ErrorBody),
        (status = 409, description = "Revoked before (`card_revoked`)", body = ErrorBody),
        (status = 422, description = "The note is missing or too long (`missing_field`, `too_long`)", body = ErrorBody),
    )
)]
pub(crate) async fn revoke_card(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<RevokeCardBody>,
) -> Result<Json<CardView>, ApiError> {
    let card = state.register.revoke_card(&access, &number, &body.note).await?;
    let status = CardStatus::of(&card, state.register.today());
    Ok(Json(CardView::of(&card, status)))
}

/// A person's cards.
///
/// Revoked ones too, oldest first. The read is access-logged. Border and migration officers.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/cards",
    tag = "cards",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's cards", body = [CardView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only border and migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn cards_of(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<CardView>>, ApiError> {
    let cards = state.register.cards_of(&access, person_id(&id)?).await?;
    let today = state.register.today();
    Ok(Json(cards.iter().map(|c| CardView::of(c, CardStatus::of(c, today))).collect()))
}

/// Issue a card on request.
///
/// The person must be in the country on a legal stay; the card is valid to its last legal day
/// and replaces the card in force. Border and migration officers.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/cards",
    tag = "cards",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Issued", body = CardView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only border and migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`), or no card signer is configured \
            (`cards_not_configured`)", body = ErrorBody),
        (status = 409, description = "Not in the country on a legal stay (`no_legal_stay`)", body = ErrorBody),
        (status = 422, description = "The register lacks the holder's birth date or document (`card_not_issuable`), \
            or the stay cannot be judged (`stay_not_judged` and the engine's codes)", body = ErrorBody),
    )
)]
pub(crate) async fn issue_card(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<CardView>), ApiError> {
    let card = state.register.issue_card(&access, person_id(&id)?).await?;
    Ok((StatusCode::CREATED, Json(CardView::of(&card, CardStatus::Valid))))
}
