//! Expulsions and departures over real HTTP on SQLite and PostgreSQL: the exit crossing executes
//! the decision with the five-year ban Kazakhstan's law implies, once; a departure recorded by hand
//! does the same; an overstayer who leaves has the overstay recorded at the exit; refusals name
//! their code and store nothing.

use serde_json::{Value, json};

use crate::support::{BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    the_exit_executes_the_expulsion_once_with_a_five_year_ban_from_the_departure,
    a_departure_recorded_by_hand_executes_the_expulsion_and_refusals_store_nothing,
    an_overstayer_who_leaves_has_the_overstay_recorded_at_the_exit,
);

async fn send(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    app.send(reqwest::Method::POST, Some(token), path, Some(body)).await
}

/// A crossing of the Kyrgyz traveller holding `document`, at Korday on `day`.
fn crossing(document: &str, direction: &str, day: &str) -> Value {
    let mut body = entry(document);
    body["direction"] = json!(direction);
    body["at"] = json!(format!("{day}T09:30:00+05:00[Asia/Almaty]"));
    body
}

async fn cross(app: &TestApp, document: &str, direction: &str, day: &str) -> Value {
    let (status, recorded) = app.post(BORDER, &crossing(document, direction, day)).await;
    assert_eq!(status, 201, "{recorded}");
    recorded
}

fn decision() -> Value {
    json!({"kind": "administrative_expulsion", "decided_on": "2025-04-01", "decision_ref": "№ 5-1201/2025",
           "basis": "КоАП РК, ст. 517, ч. 2", "leave_by": "2025-04-11"})
}

async fn read(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.read(Some(OFFICER), "enforcement", path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn the_exit_executes_the_expulsion_once_with_a_five_year_ban_from_the_departure(app: TestApp) {
    let entered = cross(&app, "AC9000001", "entry", "2025-03-20").await;
    let person = entered["person_id"].as_str().unwrap().to_owned();
    let (status, expulsion) = send(&app, OFFICER, &format!("/api/v1/persons/{person}/expulsions"), &decision()).await;
    assert_eq!(status, 201, "{expulsion}");
    assert_eq!((expulsion["kind"].as_str(), &expulsion["execution"]), (Some("administrative_expulsion"), &Value::Null));

    let exit = cross(&app, "AC9000001", "exit", "2025-04-10").await;
    let expulsions = read(&app, &format!("/api/v1/persons/{person}/expulsions")).await;
    let execution = &expulsions[0]["execution"];
    assert_eq!(execution["departed_on"], "2025-04-10");
    assert_eq!(execution["exit_crossing_id"], exit["crossing_id"]);

    let bans = read(&app, &format!("/api/v1/persons/{person}/bans")).await;
    assert_eq!(bans.as_array().map(Vec::len), Some(1), "{bans}");
    assert_eq!(
        (bans[0]["id"].as_str(), bans[0]["from"].as_str(), bans[0]["until"].as_str(), bans[0]["ground"].as_str()),
        (execution["ban_id"].as_str(), Some("2025-04-10"), Some("2030-04-09"), Some("expulsion"))
    );
    assert_eq!(bans[0]["decision_ref"], "№ 5-1201/2025");
    assert!(bans[0]["basis"].as_str().unwrap().contains("пять лет"), "{}", bans[0]["basis"]);

    // Back in, and out again: the executed decision is not executed twice, and no second ban.
    cross(&app, "AC9000001", "entry", "2025-05-01").await;
    cross(&app, "AC9000001", "exit", "2025-05-02").await;
    assert_eq!(read(&app, &format!("/api/v1/persons/{person}/bans")).await.as_array().map(Vec::len), Some(1));
    let id = expulsions[0]["id"].as_str().unwrap();
    let (status, error) =
        send(&app, OFFICER, &format!("/api/v1/expulsions/{id}/departure"), &json!({"departed_on": "2025-04-10"})).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("already_executed")));

    let events = read(&app, &format!("/api/v1/persons/{person}/events")).await;
    let kinds: Vec<_> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["expulsion_decided", "ban_recorded", "expulsion_executed"]);
}

async fn a_departure_recorded_by_hand_executes_the_expulsion_and_refusals_store_nothing(app: TestApp) {
    let person = cross(&app, "AC9000002", "entry", "2025-03-20").await["person_id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/persons/{person}/expulsions");
    let with = |field: &str, value: Value| {
        let mut body = decision();
        body[field] = value;
        body
    };
    for (body, code, field) in [
        (with("kind", json!("exile")), "invalid_kind", "kind"),
        (with("leave_by", json!("2025-03-31")), "leave_by_before_decision", "leave_by"),
        (with("decision_ref", json!(" ")), "missing_field", "decision_ref"),
        (with("decided_on", json!("01.04.2025")), "invalid_date", "decided_on"),
    ] {
        let (status, error) = send(&app, OFFICER, &path, &body).await;
        assert_eq!((status, error["code"].as_str(), error["field"].as_str()), (422, Some(code), Some(field)), "{body}");
    }
    let (status, error) = send(&app, BORDER, &path, &decision()).await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(read(&app, &path).await, json!([]), "no refused decision was stored");

    let (_, expulsion) = send(&app, OFFICER, &path, &with("kind", json!("deportation"))).await;
    let departure = format!("/api/v1/expulsions/{}/departure", expulsion["id"].as_str().unwrap());
    let (status, error) = send(&app, OFFICER, &departure, &json!({"departed_on": "2025-03-31"})).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("departure_before_decision")));
    let (status, executed) = send(&app, OFFICER, &departure, &json!({"departed_on": "2025-04-05"})).await;
    assert_eq!(status, 200, "{executed}");
    assert_eq!(
        (&executed["execution"]["departed_on"], &executed["execution"]["exit_crossing_id"]),
        (&json!("2025-04-05"), &Value::Null)
    );
    let bans = read(&app, &format!("/api/v1/persons/{person}/bans")).await;
    assert_eq!(bans[0]["until"], "2030-04-04");
}

async fn an_overstayer_who_leaves_has_the_overstay_recorded_at_the_exit(app: TestApp) {
    // A Kyrgyz citizen (EAEU: 90 days in any 180) in from 10 January to 1 June 2025: 53 days over.
    let person = cross(&app, "AC9000003", "entry", "2025-01-10").await["person_id"].as_str().unwrap().to_owned();
    let violations = format!("/api/v1/persons/{person}/violations");
    assert_eq!(read(&app, &violations).await, json!([]));
    cross(&app, "AC9000003", "exit", "2025-06-01").await;
    let recorded = read(&app, &violations).await;
    assert_eq!(recorded.as_array().map(Vec::len), Some(1), "{recorded}");
    assert_eq!(
        (recorded[0]["overstay_days"].as_u64(), recorded[0]["status"].as_str(), recorded[0]["detected_on"].as_str()),
        (Some(53), Some("draft"), Some("2025-06-01"))
    );

    // A legal stay leaves nothing behind.
    let legal = cross(&app, "AC9000004", "entry", "2025-01-10").await["person_id"].as_str().unwrap().to_owned();
    cross(&app, "AC9000004", "exit", "2025-02-01").await;
    assert_eq!(read(&app, &format!("/api/v1/persons/{legal}/violations")).await, json!([]));
}
