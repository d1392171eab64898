//! `POST /api/v1/self/status`: a card holder's own status, without a token. The three details
//! must match one card; failures are throttled per address and per card number, and every answer
//! is access-logged against the holder.

use axum::Json;
use axum::extract::State;
use axum::http::request::Parts;
use sapar_register::self_service::{RawSelfQuery, SelfStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::persons::NameView;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::limits::ClientAddr;

/// What the holder gives.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"document_number": "AC7654321", "card_number": "KZ0000000017", "birth_date": "1994-03-08"}))]
pub(crate) struct SelfQueryBody {
    pub document_number: String,
    pub card_number: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
}

/// An entry of the control register, as its subject sees it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SelfControlView {
    pub ground: &'static str,
    pub decision_ref: String,
    pub included_on: String,
}

/// The holder's own status.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SelfStatusView {
    pub native_name: Option<NameView>,
    pub latin_name: Option<NameView>,
    pub citizenship: String,
    pub card_number: String,
    /// `valid`, `expired` or `revoked`.
    pub card_status: &'static str,
    pub card_valid_until: String,
    /// The day this status is for (today in the host state).
    pub on: String,
    pub present: bool,
    pub days_used: u32,
    /// `None` when no limit applies.
    pub days_left: Option<u32>,
    pub last_legal_day: Option<String>,
    pub overstay_days: u32,
    /// The last day to register the place of stay for the latest arrival, when a rule requires it.
    pub registration_due: Option<String>,
    /// `registered` (a registration in force), `due` (not yet, deadline ahead), `overdue`, or
    /// `not_required` (no rule requires one, or not in the country).
    #[schema(example = "registered")]
    pub registration_state: &'static str,
    /// The registration in force: its region code (ISO 3166-2), locality and last day.
    pub registration_region: Option<String>,
    pub registration_locality: Option<String>,
    pub registered_until: Option<String>,
    /// Entries of the control register in force; empty when not listed.
    pub control_register: Vec<SelfControlView>,
    /// How to apply for removal from the control register, when listed.
    pub removal_application: Option<&'static str>,
}

const REMOVAL_HOW: &str = "Apply for removal to the migration service in writing (or through your state's competent \
    authority), with the documents that show the ground has ended; the application is decided within the term the \
    rules set and you are told the decision.";

impl SelfStatusView {
    fn of(status: &SelfStatus) -> SelfStatusView {
        let details = &status.holder.person.details;
        let registration = &status.registration;
        let control: Vec<SelfControlView> = status
            .control
            .iter()
            .map(|e| SelfControlView {
                ground: e.ground.as_str(),
                decision_ref: e.decision_ref.clone(),
                included_on: e.included_at.to_string(),
            })
            .collect();
        SelfStatusView {
            native_name: details.name.native().map(NameView::of),
            latin_name: details.name.latin().map(NameView::of),
            citizenship: details.citizenship.code().to_owned(),
            card_number: status.card.number.clone(),
            card_status: status.card_status.as_str(),
            card_valid_until: status.card.valid_until.to_string(),
            on: status.stay.on.to_string(),
            present: status.stay.present,
            days_used: status.stay.days_used,
            days_left: status.stay.days_left,
            last_legal_day: status.stay.last_legal_day.map(|d| d.to_string()),
            overstay_days: status.stay.overstay_days,
            registration_due: registration
                .deadline
                .as_ref()
                .map(|d| d.due_on.to_string())
                .or_else(|| status.stay.registration.as_ref().map(|r| r.due.to_string())),
            registration_state: registration.state_code(),
            registration_region: registration.in_force.as_ref().map(|r| r.address.region.clone()),
            registration_locality: registration.in_force.as_ref().map(|r| r.address.locality.clone()),
            registered_until: registration.in_force.as_ref().map(|r| r.valid_until.to_string()),
            removal_application: (!control.is_empty()).then_some(REMOVAL_HOW),
            control_register: control,
        }
    }
}

/// The client's address, when the server knows it.
pub(crate) struct ClientAddress(pub(crate) Option<std::net::IpAddr>);

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress(parts.extensions.get::<ClientAddr>().map(|ClientAddr(ip)| *ip)))
    }
}

/// A card holder's own status.
///
/// No token: the document number, card number and birth date must match one card on record.
/// Whichever detail is wrong, the answer is the same `self_service_denied`; five failures from an
/// address or for a card within 15 minutes block further attempts for that time (`rate_limited`).
/// Each answer is access-logged against the holder (role `holder`, purpose `own_data`).
#[utoipa::path(
    post,
    path = "/api/v1/self/status",
    tag = "cards",
    request_body = SelfQueryBody,
    responses(
        (status = 200, description = "The holder's status", body = SelfStatusView),
        (status = 403, description = "The details match no card (`self_service_denied`)", body = ErrorBody),
        (status = 422, description = "A field is missing (`missing_field`) or the stay cannot be judged \
            (`stay_not_judged` and the engine's codes)", body = ErrorBody),
        (status = 429, description = "Too many failed attempts (`rate_limited`)", body = ErrorBody),
    )
)]
pub(crate) async fn self_status(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<SelfQueryBody>,
) -> Result<Json<SelfStatusView>, ApiError> {
    let query = RawSelfQuery {
        document_number: body.document_number,
        card_number: body.card_number,
        birth_date: body.birth_date,
    };
    let status = state.register.self_status(&query, address).await?;
    Ok(Json(SelfStatusView::of(&status)))
}
