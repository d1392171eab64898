//! Entry bans over real HTTP on SQLite and PostgreSQL: recorded by migration officers, read by
//! border and migration officers with the read logged, lifted once and only with reasons; every
//! refusal names its code and stores nothing.

use serde_json::{Value, json};

use sapar_test_support::AUDITOR;

use crate::support::{BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    a_ban_is_recorded_read_with_a_logged_purpose_and_lifted_once_with_reasons,
    ban_requests_are_checked_and_refusals_record_nothing,
);

async fn send(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    app.send(reqwest::Method::POST, Some(token), path, Some(body)).await
}

async fn traveller(app: &TestApp, document: &str) -> String {
    let (status, recorded) = app.post(BORDER, &entry(document)).await;
    assert_eq!(status, 201, "{recorded}");
    recorded["person_id"].as_str().unwrap().to_owned()
}

fn five_years() -> Value {
    json!({"from": "2025-04-12", "until": "2099-04-11", "ground": "expulsion",
           "basis": "Закон РК «О миграции населения», ст. 67", "decision_ref": "№ 2-1234/2025 от 10.04.2025",
           "decided_by": "судья Ахметова А. К."})
}

async fn a_ban_is_recorded_read_with_a_logged_purpose_and_lifted_once_with_reasons(app: TestApp) {
    let person = traveller(&app, "AC8000001").await;
    let (status, ban) = send(&app, OFFICER, &format!("/api/v1/persons/{person}/bans"), &five_years()).await;
    assert_eq!(status, 201, "{ban}");
    assert_eq!(
        (ban["ground"].as_str(), ban["until"].as_str(), ban["in_force"].as_bool(), ban["recorded_by"].as_str()),
        (Some("expulsion"), Some("2099-04-11"), Some(true), Some(OFFICER))
    );
    let id = ban["id"].as_str().unwrap().to_owned();

    // The border officer reads bans under the role's default purpose; the read is logged.
    let (status, bans) = app.get(Some(BORDER), &format!("/api/v1/persons/{person}/bans")).await;
    assert_eq!(status, 200, "{bans}");
    assert_eq!(bans.as_array().map(Vec::len), Some(1));
    assert_eq!(bans[0]["decided_by"], "судья Ахметова А. К.");
    let (status, log) = app.get(Some(AUDITOR), &format!("/api/v1/audit?person={person}&actor={BORDER}")).await;
    assert_eq!(status, 200, "{log}");
    let views: Vec<_> = log["entries"].as_array().unwrap().iter().map(|e| (&e["view"], &e["purpose"])).collect();
    assert_eq!(views, [(&json!("bans"), &json!("border_check"))], "the read of the bans is logged with its purpose");

    let (status, error) = send(&app, OFFICER, &format!("/api/v1/bans/{id}/lift"), &json!({"reason": "  "})).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (422, Some("reason_required"), Some("reason"))
    );
    let (status, error) = send(&app, BORDER, &format!("/api/v1/bans/{id}/lift"), &json!({"reason": "x"})).await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));

    let lift = json!({"from": "2026-01-15", "reason": "the expulsion was annulled on appeal",
                      "decision_ref": "№ 3а-77/2026"});
    let (status, lifted) = send(&app, OFFICER, &format!("/api/v1/bans/{id}/lift"), &lift).await;
    assert_eq!(status, 200, "{lifted}");
    assert_eq!(
        (lifted["last_day"].as_str(), lifted["lift"]["reason"].as_str(), lifted["lift"]["lifted_by"].as_str()),
        (Some("2026-01-14"), Some("the expulsion was annulled on appeal"), Some(OFFICER))
    );
    let (status, error) = send(&app, OFFICER, &format!("/api/v1/bans/{id}/lift"), &lift).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("already_lifted")));

    let (status, events) = app.read(Some(OFFICER), "enforcement", &format!("/api/v1/persons/{person}/events")).await;
    assert_eq!(status, 200, "{events}");
    let kinds: Vec<_> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["ban_recorded", "ban_lifted"]);
    assert_eq!(events[0]["citizenship"], "KGZ");
    assert_eq!(events[0]["subject_id"], id.as_str());
}

async fn ban_requests_are_checked_and_refusals_record_nothing(app: TestApp) {
    let person = traveller(&app, "AC8000002").await;
    let path = format!("/api/v1/persons/{person}/bans");
    let with = |field: &str, value: Value| {
        let mut body = five_years();
        body[field] = value;
        body
    };
    for (body, code, field) in [
        (with("until", json!("2025-04-11")), "ban_ends_before_start", "until"),
        (with("ground", json!("<script>alert(1)</script>")), "invalid_ground", "ground"),
        (with("basis", json!(" ")), "missing_field", "basis"),
        (with("decision_ref", json!("")), "missing_field", "decision_ref"),
        (with("from", json!("2025-02-30")), "invalid_date", "from"),
        (with("basis", json!("x".repeat(201))), "too_long", "basis"),
    ] {
        let (status, error) = send(&app, OFFICER, &path, &body).await;
        assert_eq!((status, error["code"].as_str(), error["field"].as_str()), (422, Some(code), Some(field)), "{body}");
    }
    let (status, error) = send(&app, BORDER, &path, &five_years()).await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));
    let nobody = uuid::Uuid::now_v7();
    let (status, error) = send(&app, OFFICER, &format!("/api/v1/persons/{nobody}/bans"), &five_years()).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("not_found")));
    let (status, error) = send(&app, OFFICER, &format!("/api/v1/bans/{nobody}/lift"), &json!({"reason": "r"})).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("not_found")));

    let (status, bans) = app.read(Some(OFFICER), "enforcement", &path).await;
    assert_eq!((status, bans), (200, json!([])), "no refused ban was stored");
    let (_, events) = app.read(Some(OFFICER), "enforcement", &format!("/api/v1/persons/{person}/events")).await;
    assert_eq!(events, json!([]), "no event without its ban");

    // A lift from a day after the ban's last day changes nothing and is refused.
    let mut short = five_years();
    short["until"] = json!("2025-12-31");
    let (_, ban) = send(&app, OFFICER, &path, &short).await;
    let lift = json!({"from": "2026-01-01", "reason": "r"});
    let (status, error) =
        send(&app, OFFICER, &format!("/api/v1/bans/{}/lift", ban["id"].as_str().unwrap()), &lift).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (422, Some("ban_already_ended"), Some("from"))
    );
}
