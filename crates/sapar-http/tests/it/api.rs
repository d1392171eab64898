//! The API's behaviour, each test run on SQLite and (when configured) PostgreSQL.

use serde_json::{Value, json};

use crate::support::{ANALYST, BORDER, OFFICER, REVOKED, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    recording_an_entry_creates_a_person_readable_by_id_and_document,
    same_id_same_body_answers_the_same_and_different_body_conflicts,
    every_invalid_field_gets_its_code_and_nothing_is_written,
    exit_before_any_entry_is_refused,
    tokens_and_roles_are_enforced,
    malformed_bodies_get_precise_errors,
    an_entry_answer_carries_the_stay_verdict_and_an_exit_none,
    entry_with_the_limit_used_up_is_recorded_with_refuse_entry_advice,
    stay_endpoint_answers_on_a_date_and_refuses_bad_input,
);

async fn recording_an_entry_creates_a_person_readable_by_id_and_document(app: TestApp) {
    let body = entry("AC1234567");
    let (status, recorded) = app.post(BORDER, &body).await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(recorded["crossing_id"], body["id"]);
    let person_id = recorded["person_id"].as_str().unwrap().to_owned();

    let (status, person) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{person_id}")).await;
    assert_eq!(status, 200, "{person}");
    assert_eq!(person["native_name"]["surname"], "Асанова");
    assert_eq!(person["native_name"]["patronymic"], "Бакыт кызы");
    assert_eq!(person["native_name"]["script"], "cyrillic");
    assert_eq!(person["latin_name"]["surname"], "ASANOVA");
    assert_eq!(person["citizenship"], "KGZ");
    assert_eq!(person["documents"][0]["number"], "AC1234567");
    assert_eq!(person["crossings"][0]["direction"], "entry");
    assert_eq!(person["crossings"][0]["at"], "2025-04-01T09:30:00+05:00[Asia/Almaty]");
    assert_eq!(person["crossings"][0]["local_date"], "2025-04-01");

    let (status, by_doc) = app.get(Some(BORDER), "/api/v1/persons?document=kgz:AC1234567").await;
    assert_eq!(status, 200);
    assert_eq!(by_doc["id"], person_id.as_str());

    let (status, missing) = app.get(Some(BORDER), "/api/v1/persons?document=KGZ:AC0000000").await;
    assert_eq!((status, missing["code"].as_str()), (404, Some("not_found")));
    let (status, bad) = app.get(Some(BORDER), "/api/v1/persons?document=AC1234567").await;
    assert_eq!((status, bad["code"].as_str()), (400, Some("invalid_document_reference")));
    let (status, bad) = app.get(Some(BORDER), "/api/v1/persons/not-a-uuid").await;
    assert_eq!((status, bad["code"].as_str()), (400, Some("invalid_id")));
}

async fn same_id_same_body_answers_the_same_and_different_body_conflicts(app: TestApp) {
    let body = entry("AC1");
    let (s1, first) = app.post(BORDER, &body).await;
    let response = app.client.post(app.url("/api/v1/crossings")).bearer_auth(BORDER).json(&body).send().await.unwrap();
    assert_eq!(response.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    let s2 = response.status().as_u16();
    let second: Value = response.json().await.unwrap();
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(first, second);

    let mut changed = body.clone();
    changed["crossing_point"] = json!("KZ-ALA-AIR");
    let (status, err) = app.post(BORDER, &changed).await;
    assert_eq!((status, err["code"].as_str(), err["field"].as_str()), (409, Some("idempotency_conflict"), Some("id")));
    assert_eq!(app.counts().await, [1, 1, 1]);
}

async fn every_invalid_field_gets_its_code_and_nothing_is_written(app: TestApp) {
    let cases: &[(&str, Value, &str)] = &[
        ("/id", json!("12345"), "invalid_id"),
        ("/id", Value::Null, "missing_field"),
        ("/direction", json!("arrival"), "unknown_direction"),
        ("/at", json!("01.04.2025 09:30"), "invalid_time"),
        ("/at", json!("2025-04-01T09:30:00+06:00[Asia/Almaty]"), "invalid_time"),
        ("/at", json!("2999-01-01T00:00:00Z"), "time_in_future"),
        ("/crossing_point", json!("Korday post"), "invalid_crossing_point"),
        ("/purpose", json!("business"), "unknown_purpose"),
        ("/document/type", json!("visa"), "unknown_document_type"),
        ("/document/number", json!("AC-12/34"), "invalid_document_number"),
        ("/document/issuing_state", json!("KGX"), "unknown_country"),
        ("/document/issuing_state", json!("XXA"), "issuer_not_a_state"),
        ("/document/expiry", json!("2031-02-30"), "invalid_date"),
        ("/person/native_name/surname", json!("Асанова2"), "invalid_name"),
        ("/person/latin_name/surname", json!("Асанова"), "invalid_name"),
        ("/person/sex", json!("female"), "invalid_sex"),
        ("/person/birth_date", json!("1994/03/08"), "invalid_date"),
        ("/person/citizenship", json!("QQQ"), "unknown_country"),
        ("/person/citizenship", json!("KG"), "invalid_country"),
    ];
    for (pointer, value, code) in cases {
        let mut body = entry("AC1");
        *body.pointer_mut(pointer).unwrap() = value.clone();
        let (status, err) = app.post(BORDER, &body).await;
        let field = pointer.trim_start_matches('/').replace('/', ".");
        // An id that is not a UUID is a malformed request wherever it stands (400); every other
        // field's defect is 422.
        let expected = if *code == "invalid_id" { 400 } else { 422 };
        assert_eq!(status, expected, "{pointer} = {value}: {err}");
        assert_eq!(err["code"], *code, "{pointer} = {value}: {err}");
        assert_eq!(err["field"], field.as_str(), "{pointer} = {value}: {err}");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(app.counts().await, [0, 0, 0]);
}

async fn exit_before_any_entry_is_refused(app: TestApp) {
    let mut exit = entry("AC1");
    exit["direction"] = json!("exit");
    let (status, err) = app.post(BORDER, &exit).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("exit_without_entry")));
    assert_eq!(app.counts().await, [0, 0, 0]);
    let (status, _) = app.post(BORDER, &entry("AC1")).await;
    assert_eq!(status, 201);
    let mut exit = entry("AC1");
    exit["direction"] = json!("exit");
    exit["at"] = json!("2025-04-20T18:00:00+05:00");
    let (status, _) = app.post(BORDER, &exit).await;
    assert_eq!(status, 201);
    assert_eq!(app.counts().await, [1, 1, 2]);
}

async fn tokens_and_roles_are_enforced(app: TestApp) {
    let (status, err) = app.get(None, "/api/v1/persons?document=KGZ:AC1").await;
    assert_eq!((status, err["code"].as_str()), (401, Some("unauthorized")));
    let (status, _) = app.get(Some("sapar_wrong"), "/api/v1/persons?document=KGZ:AC1").await;
    assert_eq!(status, 401);
    let (status, err) = app.get(Some(REVOKED), "/api/v1/persons?document=KGZ:AC1").await;
    assert_eq!((status, err["message"].as_str()), (401, Some("this token was revoked")));
    let (status, err) = app.post(ANALYST, &entry("AC1")).await;
    assert_eq!((status, err["code"].as_str()), (403, Some("forbidden")));
    // An analyst must say why before being told it may not read persons at all.
    let (status, err) = app.get(Some(ANALYST), "/api/v1/persons?document=KGZ:AC1").await;
    assert_eq!((status, err["code"].as_str()), (400, Some("read_purpose_required")));
    let (status, err) = app.read(Some(ANALYST), "statistics_quality", "/api/v1/persons?document=KGZ:AC1").await;
    assert_eq!((status, err["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(app.counts().await, [0, 0, 0]);

    let (status, _) = app.get(None, "/api/v1/openapi.json").await;
    assert_eq!(status, 401);
    let (status, doc) = app.get(Some(ANALYST), "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/crossings"]["post"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    let (status, health) = app.get(None, "/health").await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    app.post(BORDER, &entry("AC9")).await;
    let (status, metrics) = app.get(None, "/metrics").await;
    assert_eq!(status, 200);
    let text = metrics.as_str().unwrap();
    assert!(text.contains(r#"sapar_crossings_recorded_total{direction="entry"} 1"#), "{text}");
    assert!(text.contains(r#"route="/api/v1/crossings",status="201""#), "{text}");
    let (status, err) = app.get(None, "/no/such/route").await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")));
}

async fn malformed_bodies_get_precise_errors(app: TestApp) {
    let send = |body: &'static str, content_type: Option<&'static str>| {
        let mut request = app.client.post(app.url("/api/v1/crossings")).bearer_auth(BORDER).body(body);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        async move {
            let r = request.send().await.unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            (status, body["code"].as_str().unwrap_or_default().to_owned())
        }
    };
    assert_eq!(send("{\"id\": ", Some("application/json")).await, (400, "malformed_json".into()));
    assert_eq!(send("{\"id\": 5}", Some("application/json")).await, (422, "invalid_body".into()));
    assert_eq!(send("{\"passport\": \"x\"}", Some("application/json")).await, (422, "invalid_body".into()));
    assert_eq!(send("{}", None).await, (415, "unsupported_media_type".into()));
    let huge = Box::leak(format!("{{\"id\": \"{}\"}}", "x".repeat(100_000)).into_boxed_str());
    assert_eq!(send(huge, Some("application/json")).await, (413, "payload_too_large".into()));
    assert_eq!(app.counts().await, [0, 0, 0]);
}

/// A crossing of the holder of the KGZ passport `document` at `at`, as `direction`.
fn crossing(document: &str, direction: &str, at: &str) -> Value {
    let mut body = entry(document);
    body["direction"] = json!(direction);
    body["at"] = json!(at);
    body
}

async fn an_entry_answer_carries_the_stay_verdict_and_an_exit_none(app: TestApp) {
    // A Kyrgyz citizen entering Kazakhstan on 1 April 2025 with no history: EAEU 90 in any 180
    // days, so 90 days from 1 April, that day included: April 30 + May 31 + June 29.
    let body = entry("AC5550001");
    let (status, recorded) = app.post(BORDER, &body).await;
    assert_eq!(status, 201, "{recorded}");
    let stay = &recorded["stay"];
    assert_eq!(stay["status"], "allowed", "{stay}");
    assert_eq!(stay["allowed_days"], 90);
    assert_eq!(stay["last_legal_day"], "2025-06-29");
    assert_eq!((stay["days_used"].as_u64(), stay["days_left"].as_u64()), (Some(0), Some(90)));
    assert_eq!(stay["rules"][0]["id"], "KAZ-EAEU-90-180");
    assert!(stay["rules"][0]["basis"].as_str().unwrap().contains("Eurasian Economic Union"));
    assert!(stay["refuse_entry"].is_null());

    // A replay answers the same ids, and the verdict again.
    let (status, replayed) = app.post(BORDER, &body).await;
    assert_eq!(status, 201);
    assert_eq!((&replayed["crossing_id"], &replayed["person_id"]), (&recorded["crossing_id"], &recorded["person_id"]));
    assert_eq!(replayed["stay"]["last_legal_day"], "2025-06-29");

    let (status, exit) =
        app.post(BORDER, &crossing("AC5550001", "exit", "2025-04-20T18:00:00+05:00[Asia/Almaty]")).await;
    assert_eq!(status, 201, "{exit}");
    assert!(exit["stay"].is_null(), "{exit}");

    // Back on 1 May: 20 days used (1-20 April) in the window, 70 left, so 70 days to 9 July.
    let (status, again) =
        app.post(BORDER, &crossing("AC5550001", "entry", "2025-05-01T08:00:00+05:00[Asia/Almaty]")).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!((again["stay"]["days_used"].as_u64(), again["stay"]["days_left"].as_u64()), (Some(20), Some(70)));
    assert_eq!(
        (again["stay"]["allowed_days"].as_u64(), again["stay"]["last_legal_day"].as_str()),
        (Some(70), Some("2025-07-09"))
    );

    // A citizen of a state needing a visa: recorded, the verdict is unknown with the engine's code.
    let mut visa = entry("E12345678");
    visa["document"]["issuing_state"] = json!("AFG");
    visa["person"]["citizenship"] = json!("AFG");
    let (status, recorded) = app.post(BORDER, &visa).await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(recorded["stay"]["status"], "unknown", "{recorded}");
    assert_eq!(recorded["stay"]["code"], "governed_by_visa");
    assert!(recorded["stay"]["allowed_days"].is_null());
}

async fn entry_with_the_limit_used_up_is_recorded_with_refuse_entry_advice(app: TestApp) {
    // 1 January to 31 March 2025: 31 + 28 + 31 = 90 days, all inside the 180 days ending 1 April.
    for (direction, at) in
        [("entry", "2025-01-01T10:00:00+05:00[Asia/Almaty]"), ("exit", "2025-03-31T20:00:00+05:00[Asia/Almaty]")]
    {
        let (status, answer) = app.post(BORDER, &crossing("AC7770001", direction, at)).await;
        assert_eq!(status, 201, "{answer}");
    }
    let (status, recorded) =
        app.post(BORDER, &crossing("AC7770001", "entry", "2025-04-01T09:00:00+05:00[Asia/Almaty]")).await;
    assert_eq!(status, 201, "the crossing is recorded whatever the advice: {recorded}");
    let stay = &recorded["stay"];
    assert_eq!(stay["status"], "refuse_entry", "{stay}");
    assert_eq!(
        (stay["allowed_days"].as_u64(), stay["days_used"].as_u64(), stay["days_left"].as_u64()),
        (Some(0), Some(90), Some(0))
    );
    assert!(stay["last_legal_day"].is_null());
    assert_eq!(stay["refuse_entry"]["code"], "stay_limit_used_up");
    let reason = stay["refuse_entry"]["reason"].as_str().unwrap();
    assert!(reason.contains("KAZ-EAEU-90-180") && reason.contains("rolling 90/180"), "{reason}");
    assert_eq!(app.counts().await[2], 3);
}

async fn stay_endpoint_answers_on_a_date_and_refuses_bad_input(app: TestApp) {
    let (_, recorded) = app.post(BORDER, &entry("AC8880001")).await;
    let id = recorded["person_id"].as_str().unwrap().to_owned();

    // Ten days into the stay that began on 1 April 2025.
    let (status, stay) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{id}/stay?on=2025-04-10")).await;
    assert_eq!(status, 200, "{stay}");
    assert_eq!(
        (stay["host"].as_str(), stay["citizenship"].as_str(), stay["on"].as_str()),
        (Some("KAZ"), Some("KGZ"), Some("2025-04-10"))
    );
    assert_eq!(stay["present"], true);
    assert_eq!((stay["days_used"].as_u64(), stay["days_left"].as_u64()), (Some(10), Some(80)));
    assert_eq!((stay["legal"].as_bool(), stay["overstay_days"].as_u64()), (Some(true), Some(0)));
    assert_eq!(stay["last_legal_day"], "2025-06-29");
    assert!(stay["max_stay_if_entering"].is_null());
    // Three working days after Tuesday 1 April, the arrival day not counted.
    assert_eq!(
        (stay["registration"]["arrival"].as_str(), stay["registration"]["due"].as_str()),
        (Some("2025-04-01"), Some("2025-04-04"))
    );
    assert_eq!(stay["registration"]["rule"]["id"], "KAZ-REG-3WD");
    assert_eq!(stay["rules"][0]["id"], "KAZ-EAEU-90-180");

    // On 9 July: 100 days in the window, 10 over; the last legal day was 29 June.
    let (status, over) = app.get(Some(BORDER), &format!("/api/v1/persons/{id}/stay?on=2025-07-09")).await;
    assert_eq!(status, 200, "{over}");
    assert_eq!(
        (over["legal"].as_bool(), over["overstay_days"].as_u64(), over["days_used"].as_u64()),
        (Some(false), Some(10), Some(100))
    );
    assert_eq!(over["last_legal_day"], "2025-06-29");

    // Before the entry the person was not in the country: 90 days if entering on 1 March.
    let (status, before) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{id}/stay?on=2025-03-01")).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!((before["present"].as_bool(), before["days_used"].as_u64()), (Some(false), Some(0)));
    assert_eq!(before["max_stay_if_entering"]["days"], 90);
    assert_eq!(before["max_stay_if_entering"]["last_day"], "2025-05-29");

    // Without `on`: today in Kazakhstan.
    let (status, today) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{id}/stay")).await;
    assert_eq!(status, 200, "{today}");
    let almaty = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap()).date();
    assert_eq!(today["on"], almaty.to_string());

    for bad in ["2025-13-01", "yesterday", "2025-4-1", "2025-04-10T00:00"] {
        let (status, error) =
            app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{id}/stay?on={bad}")).await;
        assert_eq!(
            (status, error["code"].as_str(), error["field"].as_str()),
            (400, Some("invalid_query"), Some("on")),
            "{bad}"
        );
    }
    let (status, error) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{}/stay", uuid::Uuid::now_v7())).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("not_found")));
    let (status, error) = app.read(Some(OFFICER), "stay_control", "/api/v1/persons/nope/stay").await;
    assert_eq!((status, error["code"].as_str()), (400, Some("invalid_id")));
    let (status, _) = app.read(Some(ANALYST), "statistics_quality", &format!("/api/v1/persons/{id}/stay")).await;
    assert_eq!(status, 403);
    let (status, _) = app.get(None, &format!("/api/v1/persons/{id}/stay")).await;
    assert_eq!(status, 401);
    let (status, doc) = app.get(Some(OFFICER), "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["paths"]["/api/v1/persons/{id}/stay"]["get"].is_object(), "the stay route is documented");
    assert!(doc["components"]["schemas"]["EntryVerdict"].is_object());

    let mut visa = entry("E87654321");
    visa["document"]["issuing_state"] = json!("AFG");
    visa["person"]["citizenship"] = json!("AFG");
    let (_, recorded) = app.post(BORDER, &visa).await;
    let visa_holder = recorded["person_id"].as_str().unwrap();
    let (status, error) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{visa_holder}/stay?on=2025-04-02")).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (422, Some("governed_by_visa"), Some("citizenship")),
        "{error}"
    );
}
