//! `POST /api/v1/border/check` and the checks `POST /api/v1/crossings` answers with.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ANALYST, BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    a_border_check_answers_person_candidates_checks_advice_and_stay_and_records_nothing,
    expired_passport_is_advised_refusal_with_basis,
    a_recorded_crossing_answers_with_the_same_checks,
    the_border_check_serves_border_and_officers_and_refuses_bad_input,
    chinese_citizen_declaring_work_without_permit_is_referred,
);

async fn check(app: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    app.send(Method::POST, Some(token), "/api/v1/border/check", Some(body)).await
}

/// The document of [`entry`] presented on 1 May 2025, nothing else.
fn document_only(number: &str) -> Value {
    json!({
        "at": "2025-05-01T09:30:00+05:00[Asia/Almaty]",
        "crossing_point": "KZ-KORDAY",
        "document": {"type": "passport", "number": number, "issuing_state": "KGZ"}
    })
}

async fn a_border_check_answers_person_candidates_checks_advice_and_stay_and_records_nothing(app: TestApp) {
    let (status, recorded) = app.post(BORDER, &entry("AC6000001")).await;
    assert_eq!(status, 201, "{recorded}");
    let mut exit = entry("AC6000001");
    exit["direction"] = json!("exit");
    exit["at"] = json!("2025-04-20T18:00:00+05:00[Asia/Almaty]");
    assert_eq!(app.post(BORDER, &exit).await.0, 201);
    let counts = app.counts().await;

    let (status, answer) = check(&app, BORDER, &document_only("AC6000001")).await;
    assert_eq!(status, 200, "{answer}");
    let keys: Vec<&str> = answer.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["advice", "candidates", "checks", "person", "stay"]);
    assert_eq!(answer["person"]["id"], recorded["person_id"]);
    assert_eq!(answer["person"]["latin_name"]["surname"], "ASANOVA");
    assert_eq!(answer["candidates"], json!([]));
    assert_eq!(answer["advice"], "admit");
    // 1-20 April used: 20 days, 70 left on 1 May, as recording would answer.
    assert_eq!(answer["stay"]["status"], "allowed");
    assert_eq!((answer["stay"]["days_used"].as_u64(), answer["stay"]["days_left"].as_u64()), (Some(20), Some(70)));
    assert_eq!(answer["checks"].as_array().unwrap().len(), 1, "{answer}");
    let stay = &answer["checks"][0];
    assert_eq!((stay["code"].as_str(), stay["advice"].as_str()), (Some("stay"), Some("admit")));
    assert!(stay["basis"].as_str().unwrap().contains("Eurasian Economic Union"), "{stay}");
    assert_eq!((stay["days_used"].as_u64(), stay["allowed_days"].as_u64()), (Some(20), Some(70)));
    assert!(stay.get("expiry").is_none(), "details of other checks are left out: {stay}");
    assert_eq!(app.counts().await, counts, "a check records no person, document or crossing");

    // An unknown document without details: a new person, not an error.
    let (status, answer) = check(&app, BORDER, &document_only("AC6999999")).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer["person"].is_null() && answer["stay"].is_null(), "{answer}");
    assert_eq!(answer["checks"], json!([{"code": "new_person", "advice": "admit", "basis": null}]));
}

async fn expired_passport_is_advised_refusal_with_basis(app: TestApp) {
    let mut body = entry("AC6100001");
    body["document"]["expiry"] = json!("2025-03-31");
    let (status, answer) = check(&app, BORDER, &body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["advice"], "refuse");
    let expired = answer["checks"].as_array().unwrap().iter().find(|c| c["code"] == "document_expired").unwrap();
    assert_eq!((expired["advice"].as_str(), expired["expiry"].as_str()), (Some("refuse"), Some("2025-03-31")));
    assert!(expired["basis"].as_str().unwrap().contains("477-IV"), "{expired}");
    // The traveller is new but described: the stay verdict of a first entry comes with it.
    assert_eq!(answer["stay"]["allowed_days"], 90);
    assert_eq!(app.counts().await, [0, 0, 0]);
}

async fn a_recorded_crossing_answers_with_the_same_checks(app: TestApp) {
    let mut body = entry("AC6200001");
    body["document"]["expiry"] = json!("2025-03-31");
    let (_, checked) = check(&app, BORDER, &body).await;
    let (status, recorded) = app.post(BORDER, &body).await;
    assert_eq!(status, 201, "recorded whatever the advice: {recorded}");
    assert_eq!(recorded["advice"], "refuse");
    assert_eq!(recorded["checks"], checked["checks"]);
    assert_eq!(app.counts().await[2], 1);
    // A replay is judged as the first recording was: its own crossing is left out.
    let (status, replayed) = app.post(BORDER, &body).await;
    assert_eq!(status, 201);
    assert_eq!(replayed["checks"], recorded["checks"]);
    // An officer records without stating a purpose; the check's reads are a border check's.
    let (status, by_officer) = app.post(OFFICER, &entry("AC6200002")).await;
    assert_eq!((status, by_officer["advice"].as_str()), (201, Some("admit")), "{by_officer}");
}

async fn the_border_check_serves_border_and_officers_and_refuses_bad_input(app: TestApp) {
    let body = document_only("AC6300001");
    let as_analyst = app
        .client
        .post(app.url("/api/v1/border/check"))
        .bearer_auth(ANALYST)
        .header("Sapar-Purpose", "statistics_quality")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(as_analyst.status().as_u16(), 403);
    // Officers state why they read, as on every read.
    let (status, refused) = check(&app, OFFICER, &body).await;
    assert_eq!((status, refused["code"].as_str()), (400, Some("read_purpose_required")));
    let response = app
        .client
        .post(app.url("/api/v1/border/check"))
        .bearer_auth(OFFICER)
        .header("Sapar-Purpose", "border_check")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let mut no_document = body.clone();
    no_document["document"]["number"] = Value::Null;
    let (status, refused) = check(&app, BORDER, &no_document).await;
    assert_eq!(
        (status, refused["code"].as_str(), refused["field"].as_str()),
        (422, Some("missing_field"), Some("document.number"))
    );
    let mut half_a_person = body.clone();
    half_a_person["person"] = json!({"latin_name": {"surname": "ASANOVA"}});
    let (status, refused) = check(&app, BORDER, &half_a_person).await;
    assert_eq!((status, refused["field"].as_str()), (422, Some("person.citizenship")));
    let mut bad_id = body;
    bad_id["id"] = json!("42");
    let (status, refused) = check(&app, BORDER, &bad_id).await;
    assert_eq!((status, refused["code"].as_str()), (400, Some("invalid_id")));
}

async fn chinese_citizen_declaring_work_without_permit_is_referred(app: TestApp) {
    let mut chinese = entry("E30000001");
    chinese["document"]["issuing_state"] = json!("CHN");
    chinese["person"]["citizenship"] = json!("CHN");
    chinese["person"]["latin_name"] = json!({"surname": "WANG", "given_names": "WEI"});
    let (status, answer) = check(&app, BORDER, &chinese).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["advice"], "refer", "{answer}");
    let purpose = answer["checks"].as_array().unwrap().iter().find(|c| c["code"] == "purpose_not_allowed").unwrap();
    assert_eq!((purpose["purpose"].as_str(), purpose["advice"].as_str()), (Some("work"), Some("refer")));
    assert_eq!(purpose["rule_id"], "KAZ-CHN-VISAFREE-30-90-180");
    assert!(purpose["basis"].as_str().unwrap().contains("work, study or missionary activity"), "{purpose}");

    // Recording answers with the same check; as a tourist there is none.
    let (status, recorded) = app.post(BORDER, &chinese).await;
    assert_eq!(status, 201, "{recorded}");
    assert!(recorded["checks"].as_array().unwrap().iter().any(|c| c["code"] == "purpose_not_allowed"), "{recorded}");
    let mut tourist = entry("E30000002");
    tourist["document"]["issuing_state"] = json!("CHN");
    tourist["person"]["citizenship"] = json!("CHN");
    tourist["purpose"] = json!("tourism");
    let (_, answer) = check(&app, BORDER, &tourist).await;
    assert_eq!(answer["advice"], "admit", "{answer}");
}
