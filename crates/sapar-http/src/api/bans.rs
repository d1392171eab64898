//! `POST`/`GET /api/v1/persons/{id}/bans`, `POST /api/v1/bans/{id}/lift` and
//! `GET /api/v1/persons/{id}/events`: entry bans, recorded on a ground with its legal basis and
//! decision and lifted early only by a decision with reasons, and the events about a person that
//! partner states may be told of.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_model::PersonId;
use sapar_register::bans::{RawBan, RawLift};
use sapar_register::records::{BanRecord, PersonEvent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::path_uuid;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// The early end of a ban.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BanLiftView {
    /// The first day no longer banned.
    pub from: String,
    pub reason: String,
    pub decision_ref: Option<String>,
    /// Name of the user or token that recorded the lift.
    pub lifted_by: String,
    pub lifted_at: String,
}

/// An entry ban.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BanView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// First day banned.
    pub from: String,
    /// Last day banned (inclusive).
    pub until: String,
    /// `expulsion`, `court_decision`, `administrative_decision`, `partner_notice` or `other`.
    #[schema(example = "expulsion")]
    pub ground: &'static str,
    /// The legal basis.
    pub basis: String,
    pub decision_ref: String,
    pub decided_by: Option<String>,
    /// Whether it holds today (in the host state).
    pub in_force: bool,
    /// The last day it holds after a lift (`null` when lifted from its first day).
    pub last_day: Option<String>,
    /// Name of the user or token that recorded it.
    pub recorded_by: String,
    pub recorded_at: String,
    pub lift: Option<BanLiftView>,
}

impl BanView {
    pub(crate) fn of(ban: &BanRecord, today: jiff::civil::Date) -> BanView {
        BanView {
            id: ban.id.to_string(),
            person_id: ban.person_id.to_string(),
            from: ban.starts_on.to_string(),
            until: ban.ends_on.to_string(),
            ground: ban.ground.as_str(),
            basis: ban.basis.clone(),
            decision_ref: ban.decision_ref.clone(),
            decided_by: ban.decided_by.clone(),
            in_force: ban.in_force_on(today),
            last_day: ban.last_day().map(|d| d.to_string()),
            recorded_by: ban.recorded_by.clone(),
            recorded_at: ban.recorded_at.to_string(),
            lift: ban.lift.as_ref().map(|l| BanLiftView {
                from: l.from.to_string(),
                reason: l.reason.clone(),
                decision_ref: l.decision_ref.clone(),
                lifted_by: l.by.clone(),
                lifted_at: l.at.to_string(),
            }),
        }
    }
}

/// A ban to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "from": "2025-04-12",
    "until": "2030-04-11",
    "ground": "expulsion",
    "basis": "Закон РК «О миграции населения», ст. 67; постановление Правительства РК 2017 г.",
    "decision_ref": "Решение суда № 2-1234/2025 от 10.04.2025"
}))]
pub(crate) struct NewBanBody {
    /// First day banned, `YYYY-MM-DD`.
    #[schema(example = "2025-04-12")]
    pub from: String,
    /// Last day banned (inclusive), `YYYY-MM-DD`.
    #[schema(example = "2030-04-11")]
    pub until: String,
    /// `expulsion`, `court_decision`, `administrative_decision`, `partner_notice` or `other`.
    #[schema(example = "expulsion")]
    pub ground: String,
    /// The legal basis: act and article (at most 200 characters).
    pub basis: String,
    /// The decision's number and date (at most 200 characters).
    pub decision_ref: String,
    /// The official who decided, when not the one recording.
    pub decided_by: Option<String>,
}

/// A lift.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from": "2026-01-15", "reason": "the expulsion decision was annulled on appeal",
    "decision_ref": "Постановление апелляционной коллегии № 3а-77/2026"}))]
pub(crate) struct LiftBody {
    /// The first day no longer banned, `YYYY-MM-DD`; today when absent.
    #[schema(example = "2026-01-15")]
    pub from: Option<String>,
    /// Why the ban ends early (required, at most 2000 characters).
    pub reason: String,
    /// The decision lifting it.
    pub decision_ref: Option<String>,
}

/// An event about a person that a partner state may have to be told of.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PersonEventView {
    #[schema(format = Uuid)]
    pub id: String,
    /// `ban_recorded` or `ban_lifted`.
    #[schema(example = "ban_recorded")]
    pub kind: &'static str,
    /// The ban it is about.
    #[schema(format = Uuid)]
    pub subject_id: String,
    /// The person's citizenship when it happened: the state a notice would go to.
    #[schema(example = "KGZ")]
    pub citizenship: String,
    pub at: String,
    pub actor: String,
    pub summary: String,
}

impl PersonEventView {
    fn of(e: &PersonEvent) -> PersonEventView {
        PersonEventView {
            id: e.id.to_string(),
            kind: e.kind.as_str(),
            subject_id: e.subject_id.to_string(),
            citizenship: e.citizenship.code().to_owned(),
            at: e.at.to_string(),
            actor: e.actor.clone(),
            summary: e.summary.clone(),
        }
    }
}

fn person_id(id: &str) -> Result<PersonId, ApiError> {
    path_uuid(id).map(PersonId::from_uuid)
}

/// Record an entry ban.
///
/// The person is the one the id answers for (the survivor when it was merged). The ban holds from
/// `from` to `until` inclusive, until lifted by a decision; it is never deleted. An event is left
/// for the person's state. Migration officers only.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/bans",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    request_body = NewBanBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = BanView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers record bans (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
        (status = 422, description = "A field is invalid: `invalid_ground`, `invalid_date`, `date_out_of_range`, \
            `ban_ends_before_start`, `missing_field`, `too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn record_ban(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewBanBody>,
) -> Result<(StatusCode, Json<BanView>), ApiError> {
    let person = person_id(&id)?;
    let raw = RawBan {
        from: body.from,
        until: body.until,
        ground: body.ground,
        basis: body.basis,
        decision_ref: body.decision_ref,
        decided_by: body.decided_by,
    };
    let recorded = state.register.record_ban(&caller.actor(), person, &raw).await?;
    Ok((StatusCode::CREATED, Json(BanView::of(&recorded, state.register.today()))))
}

/// A person's entry bans, lifted and ended ones too, by first day.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/bans",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's bans", body = [BanView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "The token's role may not read bans (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_bans(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<BanView>>, ApiError> {
    let bans = state.register.bans_of(&access, person_id(&id)?).await?;
    let today = state.register.today();
    Ok(Json(bans.iter().map(|b| BanView::of(b, today)).collect()))
}

/// Lift an entry ban early.
///
/// The ban stays on record and keeps holding on the days before `from`. A ban is lifted once,
/// by a decision with reasons. Migration officers only.
#[utoipa::path(
    post,
    path = "/api/v1/bans/{id}/lift",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Ban id")),
    request_body = LiftBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Lifted; the ban as it is now", body = BanView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers lift bans (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No ban has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "Already lifted (`already_lifted`)", body = ErrorBody),
        (status = 422, description = "No reasons (`reason_required`), a field is invalid (`invalid_date`, \
            `date_out_of_range`, `too_long`), or the ban had ended before from (`ban_already_ended`)", body = ErrorBody),
    )
)]
pub(crate) async fn lift_ban(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LiftBody>,
) -> Result<Json<BanView>, ApiError> {
    let id = path_uuid(&id)?;
    let raw = RawLift { from: body.from, reason: body.reason, decision_ref: body.decision_ref };
    let lifted = state.register.lift_ban(&caller.actor(), id, &raw).await?;
    Ok(Json(BanView::of(&lifted, state.register.today())))
}

/// The events about a person that the person's state may have to be told of (agreement
/// arts. 6.2 and 9), oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/events",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's events", body = [PersonEventView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "The token's role may not read events (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_events(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<PersonEventView>>, ApiError> {
    let events = state.register.events_of(&access, person_id(&id)?).await?;
    Ok(Json(events.iter().map(PersonEventView::of).collect()))
}
