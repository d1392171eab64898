//! `POST /api/v1/border/check`: the border check of a traveller before the crossing is recorded,
//! and the JSON views of a check that `POST /api/v1/crossings` answers with too.

use axum::Json;
use axum::extract::State;
use sapar_register::border::{BorderCheck, Candidate, Check, Finding};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::crossings::CrossingBody;
use crate::api::persons::{DocumentView, NameView, PersonView};
use crate::api::stay_views::EntryVerdict;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// One check of a border check: what it found, the advice it gives and its legal basis.
/// The fields after `basis` are the details of the check's `code` and appear only with it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckView {
    /// `entry_ban` (an entry ban in force on the day: refuse for the holder, refer for a
    /// candidate), `document_expired` (refuse), `overstaying` (refer: in the country beyond the legal stay),
    /// `overstay_history` (refer: overstay violations, drafted or confirmed, of the holder or a
    /// candidate), `no_stay_rule` (refer: the stay rules have no regime for the citizenship),
    /// `stay_not_judged` (refer: the rules cannot judge the stay, see `engine_code`), `stay` (the
    /// stay verdict: admit, or refuse when no day is left), `purpose_not_allowed` (refer: the
    /// declared purpose of an entry is one the stay rule in force does not cover, and no permit of
    /// the holder covering the day allows it), `new_person` (admit: the document is not on record).
    #[schema(example = "overstay_history")]
    pub code: &'static str,
    /// `admit`, `refer` or `refuse`.
    #[schema(example = "refer")]
    pub advice: &'static str,
    /// The legal text the advice rests on; null when it rests on none.
    pub basis: Option<String>,
    /// `document_expired`: the document's expiry date.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub expiry: Option<String>,
    /// `overstaying`: days beyond the legal stay today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overstay_days: Option<u32>,
    /// `overstaying`, `stay`: the last legal day of the stay.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub last_legal_day: Option<String>,
    /// `entry_ban`, `overstay_history`: whose ban or violations — the holder's or a candidate's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uuid)]
    pub person_id: Option<String>,
    /// `entry_ban`, `overstay_history`: the person is a candidate, not the document's holder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<bool>,
    /// `entry_ban`: the ban's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uuid)]
    pub ban_id: Option<String>,
    /// `entry_ban`: the ban's last day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub banned_until: Option<String>,
    /// `entry_ban`: the ban's ground (`expulsion`, `court_decision`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ground: Option<&'static str>,
    /// `entry_ban`: the decision the ban rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_ref: Option<String>,
    /// `overstay_history`: violations not dismissed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violations: Option<usize>,
    /// `overstay_history`: the longest overstay among them, in days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longest_overstay_days: Option<u32>,
    /// `overstay_history`: the first day of the latest overstayed stay.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub latest_stay: Option<String>,
    /// `no_stay_rule`, `stay_not_judged`: the stay engine's code, e.g. `governed_by_visa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_code: Option<&'static str>,
    /// `no_stay_rule`, `stay_not_judged`: the engine's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `stay`: days used under the binding limit before this crossing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_used: Option<u32>,
    /// `stay`: days left under the binding limit before this crossing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left: Option<u32>,
    /// `stay`, for an entry: the longest stay from the day (0: none is left).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_days: Option<u32>,
    /// `purpose_not_allowed`: the declared purpose (`work`, `study`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "work")]
    pub purpose: Option<&'static str>,
    /// `purpose_not_allowed`: the stay rule that does not cover it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "KAZ-CHN-VISAFREE-30-90-180")]
    pub rule_id: Option<String>,
}

impl CheckView {
    pub(crate) fn of(check: &Check) -> CheckView {
        let mut view = CheckView {
            code: check.finding.code(),
            advice: check.advice.as_str(),
            basis: check.basis.clone(),
            expiry: None,
            overstay_days: None,
            last_legal_day: None,
            person_id: None,
            candidate: None,
            ban_id: None,
            banned_until: None,
            ground: None,
            decision_ref: None,
            violations: None,
            longest_overstay_days: None,
            latest_stay: None,
            engine_code: None,
            reason: None,
            days_used: None,
            days_left: None,
            allowed_days: None,
            purpose: None,
            rule_id: None,
        };
        match &check.finding {
            Finding::EntryBan { person_id, candidate, ban_id, until, ground, decision_ref } => {
                view.person_id = Some(person_id.to_string());
                view.candidate = Some(*candidate);
                view.ban_id = Some(ban_id.to_string());
                view.banned_until = Some(until.to_string());
                view.ground = Some(ground.as_str());
                view.decision_ref = Some(decision_ref.clone());
            }
            Finding::DocumentExpired { expiry } => view.expiry = Some(expiry.to_string()),
            Finding::Overstaying { days, last_legal_day } => {
                view.overstay_days = Some(*days);
                view.last_legal_day = last_legal_day.map(|d| d.to_string());
            }
            Finding::OverstayHistory { person_id, candidate, violations, longest_days, latest_stay } => {
                view.person_id = Some(person_id.to_string());
                view.candidate = Some(*candidate);
                view.violations = Some(*violations);
                view.longest_overstay_days = Some(*longest_days);
                view.latest_stay = Some(latest_stay.to_string());
            }
            Finding::StayNotJudged { code, reason } => {
                view.engine_code = Some(code);
                view.reason = Some(reason.clone());
            }
            Finding::Stay { days_used, days_left, allowed_days, last_legal_day } => {
                view.days_used = *days_used;
                view.days_left = *days_left;
                view.allowed_days = *allowed_days;
                view.last_legal_day = last_legal_day.map(|d| d.to_string());
            }
            Finding::PurposeNotAllowed { purpose, rule_id } => {
                view.purpose = Some(purpose.as_str());
                view.rule_id = Some(rule_id.clone());
            }
            Finding::NewPerson => {}
        }
        view
    }
}

/// A person who may be the traveller on another document.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    #[schema(format = Uuid)]
    pub id: String,
    /// The register's linkage model's probability that this is the traveller.
    #[schema(example = 0.998)]
    pub probability: f64,
    pub native_name: Option<NameView>,
    pub latin_name: Option<NameView>,
    pub sex: &'static str,
    #[schema(format = Date)]
    pub birth_date: Option<String>,
    pub citizenship: String,
    pub documents: Vec<DocumentView>,
}

impl CandidateView {
    fn of(c: &Candidate) -> CandidateView {
        let p = &c.person;
        CandidateView {
            id: p.id.to_string(),
            probability: c.probability,
            native_name: p.details.name.native().map(NameView::of),
            latin_name: p.details.name.latin().map(NameView::of),
            sex: p.details.sex.code(),
            birth_date: p.details.birth_date.map(|d| d.to_string()),
            citizenship: p.details.citizenship.code().to_owned(),
            documents: p.documents.iter().map(DocumentView::of).collect(),
        }
    }
}

/// The answer of a border check.
#[derive(Debug, Serialize, ToSchema)]
pub struct BorderCheckView {
    /// The holder of the document, when on record.
    pub person: Option<PersonView>,
    /// Other persons of the same name (in any script), birth date and citizenship whom the
    /// linkage model finds likely to be the traveller, most likely first.
    pub candidates: Vec<CandidateView>,
    /// Every check that found something, each with its advice and basis.
    pub checks: Vec<CheckView>,
    /// The most severe advice of the checks: `admit`, `refer` or `refuse`.
    #[schema(example = "refer")]
    pub advice: &'static str,
    /// For an entry: the stay verdict as recording would give it; null for an exit or when the
    /// traveller's citizenship is unknown.
    pub stay: Option<EntryVerdict>,
}

impl BorderCheckView {
    pub(crate) fn of(check: &BorderCheck) -> BorderCheckView {
        BorderCheckView {
            person: check.person.as_ref().map(PersonView::of),
            candidates: check.candidates.iter().map(CandidateView::of).collect(),
            checks: check.checks.iter().map(CheckView::of).collect(),
            advice: check.advice.as_str(),
            stay: check.verdict.as_ref().map(EntryVerdict::of),
        }
    }
}

/// Check a traveller at the border.
///
/// Takes the body of `POST /api/v1/crossings`, of which the time, the crossing point and the
/// document (or the machine-readable zone) are required; the id, direction (default `entry`),
/// purpose and person are optional — without a person, the holder of the document on record
/// stands for the traveller. Answers who the traveller is (the holder, and candidates found by
/// name across scripts, birth date and citizenship, each with a probability), every check with
/// its legal basis, one advice (`refuse` over `refer` over `admit`) and the stay verdict.
/// Nothing is recorded but one access-log row per person shown.
#[utoipa::path(
    post,
    path = "/api/v1/border/check",
    tag = "register",
    request_body = CrossingBody,
    params(ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The check", body = BorderCheckView),
        (status = 400, description = "The crossing's id, when given, is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "The token's role may not check travellers (`forbidden`)", body = ErrorBody),
        (status = 422, description = "A field is invalid (`missing_field`, `too_long`, `unknown_direction`, \
            `invalid_time`, `time_in_future`, `time_out_of_range`, `invalid_date`, `date_out_of_range`, \
            `invalid_crossing_point`, `unknown_crossing_point`, `unknown_purpose`, `unknown_document_type`, \
            `invalid_document_number`, `unknown_country`, `invalid_country`, `specimen_country`, `issuer_not_a_state`, \
            `invalid_name`, `invalid_sex`, `birth_after_crossing`, `invalid_mrz`, `mrz_mismatch`, \
            `mrz_not_identity_document`, `unknown_outcome`, `refused_exit`, `invalid_ground`, `note_too_long`, \
            `refusal_detail_without_refusal`)",
            body = ErrorBody),
    )
)]
pub(crate) async fn border_check(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    ApiJson(body): ApiJson<CrossingBody>,
) -> Result<Json<BorderCheckView>, ApiError> {
    let check = state.register.border_check(&access, &body.into_raw()).await?;
    Ok(Json(BorderCheckView::of(&check)))
}
