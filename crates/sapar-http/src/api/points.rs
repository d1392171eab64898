//! `GET /api/v1/crossing-points`: the node's host state's border posts, the codes a crossing's
//! `crossing_point` may name.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

/// One border post.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CrossingPointView {
    #[schema(example = "KZ-KORDAY")]
    pub code: String,
    /// `road`, `rail`, `air` or `sea`.
    #[schema(example = "road")]
    pub kind: &'static str,
    /// ISO 3166-1 alpha-3 of the state across the border; null for airports and seaports.
    #[schema(example = "KGZ")]
    pub neighbour: Option<String>,
    /// False for a post kept for old records but closed or suspended.
    pub open: bool,
    /// Names by language tag: `ru`, `en` and the state's language (`kk`, `ky`, `hy`).
    #[schema(example = json!({"ru": "Кордай", "kk": "Қордай", "en": "Korday"}))]
    pub names: BTreeMap<String, String>,
}

/// The node's crossing points.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CrossingPointList {
    /// The host state the node serves (alpha-3).
    #[schema(example = "KAZ")]
    pub host_state: String,
    /// Open posts first; empty when the node's data lists none for its state (then any
    /// well-formed code is accepted).
    pub points: Vec<CrossingPointView>,
}

/// The crossing points of the node's state.
///
/// The codes `POST /api/v1/crossings` and `POST /api/v1/border/check` accept as `crossing_point`;
/// any other is refused (`unknown_crossing_point`). Every role may read the list.
#[utoipa::path(
    get,
    path = "/api/v1/crossing-points",
    tag = "register",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The crossing points", body = CrossingPointList),
    )
)]
pub(crate) async fn crossing_points(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CrossingPointList>, ApiError> {
    let points = state.register.crossing_points(&caller.actor())?;
    Ok(Json(CrossingPointList {
        host_state: state.register.host_state().code().to_owned(),
        points: points
            .into_iter()
            .map(|p| CrossingPointView {
                code: p.code.as_str().to_owned(),
                kind: p.kind.as_str(),
                neighbour: p.neighbour.map(|n| n.code().to_owned()),
                open: p.open,
                names: p.names.clone(),
            })
            .collect(),
    }))
}
