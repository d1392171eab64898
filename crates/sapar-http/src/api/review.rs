//! `GET /api/v1/review` and `POST /api/v1/review/{id}`: the officers' queue of pairs of persons
//! the linking job found possibly the same, and their decisions (a match merges the pair, a
//! non-match is never proposed again).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sapar_model::Role;
use sapar_store::identity::{DecideError, ReviewDecision, ReviewItem, ReviewPerson, ReviewStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::persons::{DocumentView, NameView};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::linking::ExplanationView;

const REVIEWERS: &[Role] = &[Role::Officer];
const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;
/// Longest note kept with a decision, in characters.
const MAX_NOTE_CHARS: usize = 2000;

/// One side of a pair, as the officer compares it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReviewPersonView {
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
    fn of(item: &ReviewItem) -> ReviewItemView {
        let explanation = match serde_json::from_str(&item.explanation) {
            Ok(e) => Some(e),
            Err(e) => {
                tracing::warn!(item = %item.id, error = %e, "stored explanation does not parse");
                None
            }
        };
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
pub(crate) struct ReviewQuery {
    /// Items per page, 1 to 500 (default 50).
    limit: Option<String>,
    /// Items to skip (default 0).
    offset: Option<String>,
}

pub(crate) fn query_number(
    value: Option<&str>,
    field: &'static str,
    default: u32,
    range: (u32, u32),
) -> Result<u32, ApiError> {
    let Some(text) = value else { return Ok(default) };
    match text.parse::<u32>() {
        Ok(n) if n >= range.0 && n <= range.1 => Ok(n),
        _ => Err(ApiError {
            field: Some(field),
            ..ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("{field} must be a whole number from {} to {}, got {text:?}", range.0, range.1),
            )
        }),
    }
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
    params(ReviewQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ReviewQueue),
        (status = 400, description = "`limit` or `offset` out of range (`invalid_query`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Only officers review", body = ErrorBody),
    )
)]
pub(crate) async fn review_queue(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ReviewQuery>,
) -> Result<Json<ReviewQueue>, ApiError> {
    caller.require(REVIEWERS)?;
    let limit = query_number(query.limit.as_deref(), "limit", DEFAULT_LIMIT, (1, MAX_LIMIT))?;
    let offset = query_number(query.offset.as_deref(), "offset", 0, (0, u32::MAX))?;
    let pending = state.store.pending_review_count().await?;
    let items = state.store.pending_review_items(limit, offset).await?;
    Ok(Json(ReviewQueue { pending, limit, offset, items: items.iter().map(ReviewItemView::of).collect() }))
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
pub(crate) struct DecisionBody {
    pub decision: DecisionKind,
    /// Why, for the record (at most 2000 characters).
    pub note: Option<String>,
}

/// A recorded decision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DecisionRecorded {
    pub id: String,
    /// `match` or `non_match`.
    pub status: &'static str,
    pub decided_at: String,
    /// Name of the token that decided.
    pub decided_by: String,
    pub note: Option<String>,
    /// For a match: the person merged away (their id keeps answering for the survivor).
    pub merged_person_id: Option<String>,
    /// For a match: the person that remains, holding both persons' documents and crossings.
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
    params(("id" = String, Path, description = "Review item id (UUID)")),
    request_body = DecisionBody,
    security(("bearer" = [])),
    responses(
        (status = 200, body = DecisionRecorded),
        (status = 400, description = "Id is not a UUID (`invalid_id`) or malformed JSON", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Only officers review", body = ErrorBody),
        (status = 404, description = "No review item has this id", body = ErrorBody),
        (status = 409, description = "Already decided (`already_decided`)", body = ErrorBody),
        (status = 422, description = "Body of the wrong shape (`invalid_body`) or note too long (`note_too_long`)", body = ErrorBody),
    )
)]
pub(crate) async fn decide_review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Json<DecisionRecorded>, ApiError> {
    caller.require(REVIEWERS)?;
    let id = crate::api::path_uuid(&id)?;
    let note = decision_note(body.note.as_deref())?;
    let decision = match body.decision {
        DecisionKind::Match => ReviewDecision::Match,
        DecisionKind::NonMatch => ReviewDecision::NonMatch,
    };
    let decided =
        state.store.decide_review_item(id, decision, &caller.token_name, note, jiff::Timestamp::now()).await.map_err(
            |e| match e {
                DecideError::NotFound => ApiError::not_found("review item"),
                DecideError::AlreadyDecided(status) => ApiError::new(
                    StatusCode::CONFLICT,
                    "already_decided",
                    format!("this review item was already decided: {}", status_word(status)),
                ),
                DecideError::Store(e) => e.into(),
            },
        )?;
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

/// An officer's note on a decision: trimmed, none when blank, refused (`note_too_long`) beyond
/// [`MAX_NOTE_CHARS`].
pub(crate) fn decision_note(note: Option<&str>) -> Result<Option<&str>, ApiError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(ApiError {
            field: Some("note"),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "note_too_long",
                format!("a note holds at most {MAX_NOTE_CHARS} characters"),
            )
        });
    }
    Ok(note)
}

fn status_word(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Pending => "pending",
        ReviewStatus::Match => "match",
        ReviewStatus::NonMatch => "non_match",
        ReviewStatus::Superseded => "superseded (one of its persons was merged meanwhile)",
    }
}
