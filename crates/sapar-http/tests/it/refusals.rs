//! Crossing points as data and refusals of entry through the API: an unknown post is `422
//! unknown_crossing_point` and stores nothing, the posts are listed, a refused entry is recorded
//! with its ground and legal basis and opens no stay, and an exit cannot be refused.

use reqwest::Method;
use serde_json::json;

use crate::support::{ANALYST, BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    unknown_crossing_point_is_refused_and_nothing_stored,
    crossing_points_are_listed_for_every_role,
    refused_entry_is_recorded_with_its_ground_and_opens_no_stay,
    refused_exit_is_rejected,
);

async fn unknown_crossing_point_is_refused_and_nothing_stored(app: TestApp) {
    let mut body = entry("AC7000001");
    body["crossing_point"] = json!("KZ-NOWHERE");
    let (status, err) = app.post(BORDER, &body).await;
    assert_eq!(
        (status, err["code"].as_str(), err["field"].as_str()),
        (422, Some("unknown_crossing_point"), Some("crossing_point")),
        "{err}"
    );
    let (status, err) = app.send(Method::POST, Some(BORDER), "/api/v1/border/check", Some(&body)).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("unknown_crossing_point")), "{err}");
    assert_eq!(app.counts().await, [0, 0, 0]);
}

async fn crossing_points_are_listed_for_every_role(app: TestApp) {
    for token in [BORDER, ANALYST] {
        let (status, list) = app.get(Some(token), "/api/v1/crossing-points").await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["host_state"], "KAZ");
        let points = list["points"].as_array().unwrap();
        let korday = points.iter().find(|p| p["code"] == "KZ-KORDAY").unwrap();
        assert_eq!((korday["kind"].as_str(), korday["neighbour"].as_str()), (Some("road"), Some("KGZ")));
        assert_eq!(korday["names"]["kk"], "Қордай");
        assert!(points.iter().any(|p| p["code"] == "KZ-ALA-AIR" && p["neighbour"].is_null()));
    }
    let (status, _) = app.get(None, "/api/v1/crossing-points").await;
    assert_eq!(status, 401);
}

async fn refused_entry_is_recorded_with_its_ground_and_opens_no_stay(app: TestApp) {
    let mut body = entry("AC7000002");
    body["outcome"] = json!("refused");
    body["refusal_ground"] = json!("entry_ban");
    body["refusal_note"] = json!("ban of 2024 in force");
    let (status, recorded) = app.post(BORDER, &body).await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(recorded["outcome"], "refused");
    assert!(recorded["stay"].is_null(), "a refused entry opens no stay: {recorded}");
    assert_eq!(recorded["refusal"]["ground"], "entry_ban");
    assert!(recorded["refusal"]["basis"].as_str().is_some_and(|b| b.contains("477-IV")), "{recorded}");
    let person = recorded["person_id"].as_str().unwrap();
    let (status, shown) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{person}")).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["crossings"].as_array().map(Vec::len), Some(0));
    assert_eq!(shown["refused_entries"][0]["refusal_ground"], "entry_ban");
    assert_eq!(shown["refused_entries"][0]["refusal_note"], "ban of 2024 in force");
    let (status, stay) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{person}/stay")).await;
    assert_eq!(status, 200, "{stay}");
    assert_eq!((stay["present"].as_bool(), stay["days_used"].as_u64()), (Some(false), Some(0)), "{stay}");
    // A refusal without its ground, and an unknown outcome, are refused.
    let mut no_ground = entry("AC7000003");
    no_ground["outcome"] = json!("refused");
    let (status, err) = app.post(BORDER, &no_ground).await;
    assert_eq!(
        (status, err["code"].as_str(), err["field"].as_str()),
        (422, Some("missing_field"), Some("refusal_ground"))
    );
    let mut unknown = entry("AC7000003");
    unknown["outcome"] = json!("deported");
    let (status, err) = app.post(BORDER, &unknown).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("unknown_outcome")));
}

async fn refused_exit_is_rejected(app: TestApp) {
    let (status, _) = app.post(BORDER, &entry("AC7000004")).await;
    assert_eq!(status, 201);
    let mut exit = entry("AC7000004");
    exit["direction"] = json!("exit");
    exit["at"] = json!("2025-04-10T09:30:00+05:00[Asia/Almaty]");
    exit["outcome"] = json!("refused");
    exit["refusal_ground"] = json!("other");
    let (status, err) = app.post(BORDER, &exit).await;
    assert_eq!(
        (status, err["code"].as_str(), err["field"].as_str()),
        (422, Some("refused_exit"), Some("outcome")),
        "{err}"
    );
    assert_eq!(app.counts().await, [1, 1, 1]);
}
