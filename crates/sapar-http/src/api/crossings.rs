//! `POST /api/v1/crossings`: record an entry or exit, idempotent on the client's id.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sapar_model::{Outcome, RawCrossing, RawName};
use sapar_register::RegisterError;
use sapar_register::crossings::refusal_basis;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{ReadHeaders, RecordingAccess};
use crate::api::border::CheckView;
use crate::api::stay_views::EntryVerdict;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// One rendering of a name.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameBody {
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub patronymic: Option<String>,
}

/// The document the traveller presented.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// `passport`, `id_card`, `residence_permit`, `travel_document` or `other`.
    #[serde(rename = "type")]
    #[schema(example = "passport")]
    pub document_type: Option<String>,
    #[schema(example = "AC1234567")]
    pub number: Option<String>,
    /// ISO 3166-1 alpha-3 code of the issuing state.
    #[schema(example = "KGZ")]
    pub issuing_state: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(example = "2031-05-01")]
    pub expiry: Option<String>,
}

/// Who crossed, as far as the document and the officer tell.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    /// The name in its original script (Cyrillic, Armenian …).
    pub native_name: Option<NameBody>,
    /// The name as spelled in Latin letters (e.g. the MRZ or the document's Latin page).
    pub latin_name: Option<NameBody>,
    /// `M`, `F` or `X`.
    #[schema(example = "M")]
    pub sex: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(example = "1990-02-03")]
    pub birth_date: Option<String>,
    /// ISO 3166-1 alpha-3, or ICAO's XXA, XXB, XXC, XXX.
    #[schema(example = "KGZ")]
    pub citizenship: Option<String>,
}

/// A border crossing to record.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": "01927c5e-8f3a-7000-8000-000000000001",
    "direction": "entry",
    "at": "2025-04-01T09:30:00+05:00[Asia/Almaty]",
    "crossing_point": "KZ-ALA-AIR",
    "purpose": "work",
    "document": {"type": "passport", "number": "AC1234567", "issuing_state": "KGZ", "expiry": "2031-05-01"},
    "person": {
        "native_name": {"surname": "Асанов", "given_names": "Бакыт"},
        "latin_name": {"surname": "ASANOV", "given_names": "BAKYT"},
        "sex": "M",
        "birth_date": "1990-02-03",
        "citizenship": "KGZ"
    },
    "mrz": "P<KGZASANOV<<BAKYT<<<<<<<<<<<<<<<<<<<<<<<<<<\nAC12345674KGZ9002030M3105010<<<<<<<<<<<<<<04"
}))]
pub struct CrossingBody {
    /// Client-chosen UUID of the crossing; sending the same id again with the same content is
    /// answered with the first result, with different content refused (409).
    #[schema(example = "01927c5e-8f3a-7000-8000-000000000001", format = Uuid)]
    pub id: Option<String>,
    /// `entry` or `exit`.
    #[schema(example = "entry")]
    pub direction: Option<String>,
    /// RFC 9557 (`2025-04-01T09:30:00+05:00[Asia/Almaty]`) or RFC 3339 with offset.
    #[schema(example = "2025-04-01T09:30:00+05:00[Asia/Almaty]")]
    pub at: Option<String>,
    /// Crossing point code.
    #[schema(example = "KZ-ALA-AIR")]
    pub crossing_point: Option<String>,
    /// `work`, `study`, `family`, `private`, `tourism`, `transit` or `other`.
    #[schema(example = "work")]
    pub purpose: Option<String>,
    pub document: Option<DocumentBody>,
    pub person: Option<PersonBody>,
    /// The scanned machine-readable zone (lines separated by `\n`), instead of or beside the
    /// structured document and Latin-name fields: it fills those it carries, every check digit is
    /// verified, and a structured field contradicting it is refused (`mrz_mismatch`).
    #[schema(example = "P<KGZASANOV<<BAKYT<<<<<<<<<<<<<<<<<<<<<<<<<<\nAC12345674KGZ9002030M3105010<<<<<<<<<<<<<<04")]
    pub mrz: Option<String>,
    /// `crossed` (the default) or `refused`: entry refused at the border. A refused entry is
    /// recorded in the person's history and counted, but opens no stay; an exit cannot be refused
    /// (`refused_exit`).
    #[schema(example = "crossed")]
    pub outcome: Option<String>,
    /// For a refused entry, the ground: `entry_ban`, `invalid_document`, `no_visa`,
    /// `no_days_left`, `stay_rules_breach`, `control_register`, `false_purpose`, `public_safety` or
    /// `other`.
    #[schema(example = "entry_ban")]
    pub refusal_ground: Option<String>,
    /// For a refused entry, the officer's note (at most 2000 characters).
    pub refusal_note: Option<String>,
}

impl CrossingBody {
    /// The untrusted values, flattened for validation.
    pub fn into_raw(self) -> RawCrossing {
        let document = self.document.unwrap_or_default();
        let person = self.person.unwrap_or_default();
        let name = |n: Option<NameBody>| {
            let n = n.unwrap_or_default();
            RawName { surname: n.surname, given_names: n.given_names, patronymic: n.patronymic }
        };
        RawCrossing {
            id: self.id,
            mrz: self.mrz,
            direction: self.direction,
            at: self.at,
            crossing_point: self.crossing_point,
            purpose: self.purpose,
            document_type: document.document_type,
            document_number: document.number,
            issuing_state: document.issuing_state,
            document_expiry: document.expiry,
            native_name: name(person.native_name),
            latin_name: name(person.latin_name),
            sex: person.sex,
            birth_date: person.birth_date,
            citizenship: person.citizenship,
            outcome: self.outcome,
            refusal_ground: self.refusal_ground,
            refusal_note: self.refusal_note,
        }
    }
}

/// A refusal of entry as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusalView {
    #[schema(example = "entry_ban")]
    pub ground: &'static str,
    /// The legal basis of the ground in the node's state.
    pub basis: String,
    pub note: Option<String>,
}

/// The result of recording a crossing.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossingRecorded {
    #[schema(format = Uuid)]
    pub crossing_id: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// `crossed`, or `refused` for an entry refused at the border.
    #[schema(example = "crossed")]
    pub outcome: &'static str,
    /// For a refused entry: its ground, legal basis and note.
    pub refusal: Option<RefusalView>,
    /// For an entry: the stay verdict of the node's state (recomputed on a replay); null for an
    /// exit and for a refused entry, which opens no stay.
    pub stay: Option<EntryVerdict>,
    /// The border check of the crossing, made before recording it (as `POST /api/v1/border/check`
    /// answers): every check that found something, with its advice and legal basis. Recording
    /// records whatever the advice.
    pub checks: Vec<CheckView>,
    /// The most severe advice of the checks: `admit`, `refer` or `refuse`.
    #[schema(example = "admit")]
    pub advice: &'static str,
}

/// Record an entry or exit.
///
/// For an entry the answer carries the stay verdict of the node's state: the longest stay from
/// that day, days used and left, the rules with their legal basis, and advice to refuse entry
/// when no day is left. When the rules cannot judge the citizenship, the crossing is recorded
/// and `stay.status` is `unknown` with the engine's code.
///
/// The answer also carries the border check of the crossing (`checks`, `advice`), as
/// `POST /api/v1/border/check` gives it; the persons it shows are logged under the purpose stated
/// in `Sapar-Purpose`, else `border_check`.
///
/// With `"outcome": "refused"` and a `refusal_ground`, records that the traveller was refused
/// entry: the refusal is kept in the person's history (`refused_entries`) and counted, opens no
/// stay and sets off nothing an entry or exit would. The crossing point must be one of the node's
/// (`GET /api/v1/crossing-points`).
///
/// Finds the person by document (issuing state and number) or creates them. Idempotent on `id`:
/// a repeat with the same content answers 201 with the first result and the header
/// `Idempotent-Replayed: true`.
#[utoipa::path(
    post,
    path = "/api/v1/crossings",
    tag = "register",
    request_body = CrossingBody,
    params(ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded (or replayed)", body = CrossingRecorded,
            headers(("Idempotent-Replayed" = String, description = "`true` when this answers a repeat of a recorded crossing"))),
        (status = 400, description = "The crossing's id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "The token's role may not record crossings (`forbidden`)", body = ErrorBody),
        (status = 409, description = "The id was recorded before with different content (`idempotency_conflict`)", body = ErrorBody),
        (status = 422, description = "A field is invalid (`missing_field`, `too_long`, `unknown_direction`, `invalid_time`, \
            `time_in_future`, `time_out_of_range`, `invalid_date`, `date_out_of_range`, `invalid_crossing_point`, \
            `unknown_crossing_point`, `unknown_purpose`, `unknown_document_type`, `invalid_document_number`, \
            `unknown_country`, `invalid_country`, `specimen_country`, `issuer_not_a_state`, `invalid_name`, \
            `invalid_sex`, `birth_after_crossing`, `invalid_mrz`, `mrz_mismatch`, `mrz_not_identity_document`, \
            `unknown_outcome`, `refused_exit`, `invalid_ground`, `note_too_long`, `refusal_detail_without_refusal`), \
            or a register rule refuses the crossing (`exit_without_entry`)", body = ErrorBody),
    )
)]
pub(crate) async fn record_crossing(
    State(state): State<AppState>,
    RecordingAccess(access): RecordingAccess,
    ApiJson(body): ApiJson<CrossingBody>,
) -> Result<Response, ApiError> {
    let (outcome, check) = match state.register.record_crossing_checked(&access, &body.into_raw()).await {
        Ok(answer) => answer,
        Err(e) => {
            let rejected =
                !matches!(e, RegisterError::Forbidden { .. } | RegisterError::Store(_) | RegisterError::Internal(_));
            let error = ApiError::from(e);
            if rejected {
                state.metrics.rejected(error.code.as_str());
            }
            return Err(error);
        }
    };
    if !outcome.replayed && outcome.outcome.crossed() {
        state.metrics.recorded(outcome.direction);
    }
    let refusal = match &outcome.outcome {
        Outcome::Crossed => None,
        Outcome::Refused { ground, note } => Some(RefusalView {
            ground: ground.as_str(),
            basis: refusal_basis(state.register.host_state(), *ground)?,
            note: note.clone(),
        }),
    };
    let body = CrossingRecorded {
        crossing_id: outcome.crossing_id.to_string(),
        person_id: outcome.person_id.to_string(),
        outcome: outcome.outcome.as_str(),
        refusal,
        stay: outcome.verdict.as_ref().map(EntryVerdict::of),
        checks: check.checks.iter().map(CheckView::of).collect(),
        advice: check.advice.as_str(),
    };
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if outcome.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
