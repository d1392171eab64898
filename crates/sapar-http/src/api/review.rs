//! `GET /api/v1/review` and `POST /api/v1/review/{id}`: the officers' queue of pairs of persons
//! the linking job found possibly the same, and their decisions (a match merges the pair, a
//! non-match is never proposed again).

use axum::Json;
use axum::extract::{Path, State};
use sapar_register::linking::StoredExplanation;
use sapar_register::records::{ReviewDecision, ReviewPerson};
use sapar_register::review::ReviewCase;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::persons::{DocumentView, NameView};
use crate::api::query_number;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::{ApiJson, ApiQuery};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

/// One field's part of a pair's weight, as an officer reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FieldContribution {
    #[schema(example = "birth_date")]
    pub field: String,
    /// How the two values compare, e.g. `exact`, `same name key across scripts`,
    /// `day and month swapped`, `missing`.
    #[schema(example = "day and month swapped")]
    pub level: String,
    /// log2 Bayes factor: positive speaks for the same person.
    pub weight: f64,
    /// Agreement on a rare value counts more than on a common one.
    pub rarity_weighted: bool,
}

/// Why a pair scored as it did: the prior plus the fields add up to `weight`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ExplanationView {
    pub prior_weight: f64,
    pub weight: f64,
    pub probability: f64,
    pub fields: Vec<FieldContribution>,
    /// The same in one line.
    #[schema(example = "prior (-12.30); surname: exact, rarity-weighted (+8.10); …")]
    pub summary: String,
}

impl ExplanationView {
    fn of(e: &StoredExplanation) -> ExplanationView {
        ExplanationView {
            prior_weight: e.prior_weight,
            weight: e.weight,
            probability: e.probability,
            fields: e
                .fields
                .iter()
                .map(|c| FieldContribution {
                    field: c.field.clone(),
                    level: c.level.clone(),
                    weight: c.weight,
                    rarity_weighted: c.rarity_weighted,
                })
                .collect(),
            summary: e.summary.clone(),
        }
    }
}

/// One side of a pair, as the officer compares it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReviewPersonView {
    #[schema(format = Uuid)]
    pub id: String,
    pub native_name: Option<NameView>,
    pub latin_name: Option<NameView>,
    pub sex: &'static str,
    pub birth_date: Option<String>,
    pub citizenship: String,
    pub documents: Vec<DocumentView>,
    /// Crossings recorded for this person.
    pub crossings: i64,
    /// When the register first saw them (RFC 3339, UTC).
    pub created_at: String,
}

impl ReviewPersonView {
    fn of(p: &ReviewPerson) -> ReviewPersonView {
        ReviewPersonView {
            id: p.id.to_string(),
            native_name: p.details.name.native().map(NameView::of),
            latin_name: p.details.name.latin().map(NameView::of),
            sex: p.details.sex.code(),
            birth_date: p.details.birth_date.map(|d| d.to_string()),
            citizenship: p.details.citizenship.code().to_owned(),
            documents: p.documents.iter().map(DocumentView::of).collect(),
            crossings: p.crossings,
            created_at: p.created_at.to_string(),
        }
    }
}

/// A pair waiting for a decision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReviewItemView {
    #[schema(format = Uuid)]
    pub id: String,
    /// `pending`, `match`, `non_match` or `superseded`.
    #[schema(example = "pending")]
    pub status: &'static str,
    /// Probability that the two are the same person.
    pub probability: f64,
    /// Match weight (log2 Bayes factor including the prior).
    pub weight: f64,
    /// Field by field: how the two compare and how much each field weighs.
    pub explanation: Option<ExplanationView>,
    pub person_a: ReviewPersonView,
    pub person_b: ReviewPersonView,
    pub created_at: String,
}

impl ReviewItemView {
    fn of(case: &ReviewCase) -> ReviewItemView {
        let item = &case.item;
        let explanation = case.explanation.as_ref().map(ExplanationView::of);
        ReviewItemView {
            id: item.id.to_string(),
            status: item.status.as_str(),
            probability: item.probability,
            weight: item.weight,
            explanation,
            person_a: ReviewPersonView::of(&item.person_a),
            person_b: ReviewPersonView::of(&item.person_b),
            created_at: item.created_at.to_string(),
        }
    }
}

/// A page of the pending queue, highest probability first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReviewQueue {
    /// Pending items in all.
    pub pending: i64,
    pub limit: u32,
    pub offset: u32,
    pub items: Vec<ReviewItemView>,
}

/// Paging of the queue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReviewQuery {
    /// Items per page, 1 to 500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 4294967295_u64)]
    offset: Option<String>,
}

/// The pending review queue.
///
/// Pairs of persons the linking job scored between its thresholds, highest probability first
/// (newest first among equals), each with both persons in both scripts, their documents, the
/// probability, the weight and the per-field explanation. Officers only.
#[utoipa::path(
    get,
    path = "/api/v1/review",
    tag = "review",
    params(ReviewQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the queue", body = ReviewQueue),
        (status = 400, description = "limit or offset out of range (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only officers review (`forbidden`)", body = ErrorBody),
    )
)]
pub(crate) async fn review_queue(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    ApiQuery(query): ApiQuery<ReviewQuery>,
) -> Result<Json<ReviewQueue>, ApiError> {
    let limit = query_number(query.limit.as_deref(), "limit", DEFAULT_LIMIT, (1, MAX_LIMIT))?;
    let offset = query_number(query.offset.as_deref(), "offset", 0, (0, u32::MAX))?;
    let page = state.register.review_queue(&access, limit, offset).await?;
    Ok(Json(ReviewQueue {
        pending: page.pending,
        limit,
        offset,
        items: page.items.iter().map(ReviewItemView::of).collect(),
    }))
}

/// What the officer decided.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DecisionKind {
    /// The same person: the younger record is merged into the older.
    Match,
    /// Different people: the pair is never proposed again.
    NonMatch,
}

/// A decision on a pending pair.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "non_match", "note": "twins: same birth date, different documents"}))]
pub(crate) struct ReviewDecisionBody {
    pub decision: DecisionKind,
    /// Why, for the record (at most 2000 characters).
    pub note: Option<String>,
}

/// A recorded decision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DecisionRecorded {
    #[schema(format = Uuid)]
    pub id: String,
    /// `match` or `non_match`.
    pub status: &'static str,
    pub decided_at: String,
    /// Name of the token that decided.
    pub decided_by: String,
    pub note: Option<String>,
    /// For a match: the person merged away (their id keeps answering for the survivor).
    #[schema(format = Uuid)]
    pub merged_person_id: Option<String>,
    /// For a match: the person that remains, holding both persons' documents and crossings.
    #[schema(format = Uuid)]
    pub surviving_person_id: Option<String>,
}

/// Decide a pending pair.
///
/// `match` merges the two persons in one transaction: the younger record's documents, crossings
/// and violations move to the older, whose stays are recomputed; the merged id keeps answering
/// for the survivor. `non_match` is kept so the pair is never proposed or merged again. A
/// decided item cannot be decided again. Officers only.
#[utoipa::path(
    post,
    path = "/api/v1/review/{id}",
    tag = "review",
    params(("id" = uuid::Uuid, Path, description = "Review item id")),
    request_body = ReviewDecisionBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Decided", body = DecisionRecorded),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers review (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No review item has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "Already decided (`already_decided`), or claimed by another officer in the \
            workplace (`claimed`)", body = ErrorBody),
        (status = 422, description = "The note is too long (`note_too_long`)", body = ErrorBody),
    )
)]
pub(crate) async fn decide_review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviewDecisionBody>,
) -> Result<Json<DecisionRecorded>, ApiError> {
    let id = crate::api::path_uuid(&id)?;
    let decision = match body.decision {
        DecisionKind::Match => ReviewDecision::Match,
        DecisionKind::NonMatch => ReviewDecision::NonMatch,
    };
    let decided = state.register.decide_review(&caller.actor(), id, decision, body.note.as_deref()).await?;
    Ok(Json(DecisionRecorded {
        id: decided.id.to_string(),
        status: decided.status.as_str(),
        decided_at: decided.decided_at.to_string(),
        decided_by: decided.decided_by,
        note: decided.note,
        merged_person_id: decided.merge.map(|m| m.merged.to_string()),
        surviving_person_id: decided.merge.map(|m| m.survivor.to_string()),
    }))
}
