//! Registration of place of stay over real HTTP, on SQLite and PostgreSQL: a receiving party's
//! token files, officers read the history, extend and end; every refusal carries its code and
//! stores nothing; the regions an address may name are listed; a host names its guest by travel
//! document and birth date.

use sapar_model::Role;
use serde_json::{Value, json};

use crate::support::{ANALYST, BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    a_host_files_officers_read_extend_and_end,
    registration_refusals_carry_their_codes_and_store_nothing,
    the_regions_of_the_host_state_are_listed,
    a_host_files_for_a_guest_named_by_document_and_birth_date,
);

const HOST: &str = "sapar_test_host";

async fn send(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    app.send(reqwest::Method::POST, Some(token), path, Some(body)).await
}

/// A Kyrgyz traveller who entered on 1 April 2025 and is still in.
async fn resident(app: &TestApp, document: &str) -> String {
    let (status, recorded) = app.post(BORDER, &entry(document)).await;
    assert_eq!(status, 201, "{recorded}");
    recorded["person_id"].as_str().unwrap().to_owned()
}

fn hotel(person: &str) -> Value {
    json!({
        "person_id": person,
        "address": {"region": "KZ-75", "locality": "Алматы", "street": "ул. Жибек Жолы", "building": "50"},
        "valid_from": "2025-04-01", "valid_until": "2025-06-29",
        "party": {"kind": "legal_entity", "name": "ТОО «Отель Алатау»", "identity": "0805-4000-2494"}
    })
}

async fn registrations(app: &TestApp, person: &str) -> Vec<Value> {
    let (status, list) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{person}/registrations")).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

async fn a_host_files_officers_read_extend_and_end(app: TestApp) {
    sapar_test_support::insert_token(&app.store, HOST, Role::Host, None).await;
    let person = resident(&app, "AC8000001").await;
    let (status, filed) = send(&app, HOST, "/api/v1/registrations", &hotel(&person)).await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!((filed["state"].as_str(), filed["channel"].as_str()), (Some("submitted"), Some("api")));
    assert_eq!(filed["party"]["identity"], "080540002494");
    // The 3-working-day term of 2025 ran out long before today: accepted, late, and the
    // employer answers.
    assert_eq!((filed["due_on"].as_str(), filed["liable"].as_str()), (Some("2025-04-04"), Some("receiving_party")));
    assert_eq!(filed["late"], true);
    let (status, violations) =
        app.read(Some(OFFICER), "enforcement", &format!("/api/v1/persons/{person}/violations")).await;
    assert_eq!(status, 200);
    let failure = violations.as_array().unwrap().iter().find(|v| v["kind"] == "registration_failure").unwrap();
    assert_eq!(failure["employer_id"], filed["party"]["employer_id"]);
    assert_eq!(failure["id"], filed["violation_id"]);

    // A host files, and does nothing else.
    let (status, refused) =
        app.read(Some(HOST), "stay_control", &format!("/api/v1/persons/{person}/registrations")).await;
    assert_eq!((status, refused["code"].as_str()), (403, Some("forbidden")));
    let id = filed["id"].as_str().unwrap();
    let (status, _) =
        send(&app, HOST, &format!("/api/v1/registrations/{id}/extend"), &json!({"valid_until": "2025-07-30"})).await;
    assert_eq!(status, 403);

    let (status, extended) =
        send(&app, OFFICER, &format!("/api/v1/registrations/{id}/extend"), &json!({"valid_until": "2025-07-30"})).await;
    assert_eq!((status, extended["valid_until"].as_str()), (200, Some("2025-07-30")), "{extended}");
    let (status, ended) = send(
        &app,
        OFFICER,
        &format!("/api/v1/registrations/{id}/end"),
        &json!({"day": "2025-07-01", "note": "checked out"}),
    )
    .await;
    assert_eq!(
        (status, ended["state"].as_str(), ended["end_reason"].as_str()),
        (200, Some("ended"), Some("deregistered"))
    );
    let (status, again) = send(&app, OFFICER, &format!("/api/v1/registrations/{id}/end"), &json!({})).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("registration_ended")), "{again}");

    let list = registrations(&app, &person).await;
    let kinds: Vec<&str> = list[0]["history"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["filed", "extended", "ended"]);
}

async fn registration_refusals_carry_their_codes_and_store_nothing(app: TestApp) {
    let person = resident(&app, "AC8000002").await;
    let mut abroad = hotel(&person);
    abroad["address"]["region"] = json!("KG-GB");
    let mut backwards = hotel(&person);
    backwards["valid_until"] = json!("2025-03-31");
    let mut bad_bin = hotel(&person);
    bad_bin["party"]["identity"] = json!("080540002495");
    for (body, code, field) in [
        (abroad, "unknown_region", "address.region"),
        (backwards, "invalid_period", "valid_until"),
        (bad_bin, "invalid_registration_number", "party.identity"),
    ] {
        let (status, refused) = send(&app, OFFICER, "/api/v1/registrations", &body).await;
        assert_eq!(
            (status, refused["code"].as_str(), refused["field"].as_str()),
            (422, Some(code), Some(field)),
            "{refused}"
        );
    }
    let mut exit = entry("AC8000003");
    let (_, gone) = app.post(BORDER, &exit).await;
    exit["id"] = json!(uuid::Uuid::now_v7().to_string());
    exit["direction"] = json!("exit");
    exit["at"] = json!("2025-04-20T09:30:00+05:00[Asia/Almaty]");
    let (status, _) = app.post(BORDER, &exit).await;
    assert_eq!(status, 201);
    let gone = gone["person_id"].as_str().unwrap();
    let (status, refused) = send(&app, OFFICER, "/api/v1/registrations", &hotel(gone)).await;
    assert_eq!((status, refused["code"].as_str()), (422, Some("person_not_in_country")), "{refused}");
    let (status, refused) = send(&app, ANALYST, "/api/v1/registrations", &hotel(&person)).await;
    assert_eq!((status, refused["code"].as_str()), (403, Some("forbidden")));
    let (status, refused) =
        send(&app, OFFICER, "/api/v1/registrations", &hotel(&uuid::Uuid::now_v7().to_string())).await;
    assert_eq!((status, refused["code"].as_str()), (404, Some("not_found")));
    for p in [person.as_str(), gone] {
        assert!(registrations(&app, p).await.is_empty());
    }
    let (_, employers) = app.get(Some(OFFICER), "/api/v1/employers").await;
    assert_eq!(employers, json!([]), "no employer recorded for a refused filing");
}

async fn the_regions_of_the_host_state_are_listed(app: TestApp) {
    let (status, list) = app.get(Some(ANALYST), "/api/v1/regions").await;
    assert_eq!((status, list["host_state"].as_str()), (200, Some("KAZ")), "{list}");
    let regions = list["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 20);
    assert_eq!(
        regions[0],
        json!({"code": "KZ-71", "kind": "city", "names": {"en": "Astana", "kk": "Астана", "ru": "Астана"}})
    );
    assert!(regions.iter().any(|r| r["code"] == "KZ-62" && r["names"]["kk"] == "Ұлытау облысы"));
}

async fn a_host_files_for_a_guest_named_by_document_and_birth_date(app: TestApp) {
    sapar_test_support::insert_token(&app.store, HOST, Role::Host, None).await;
    let person = resident(&app, "AC8000077").await;
    let for_guest = |document: &str, born: &str| {
        let mut body = hotel(&person);
        body.as_object_mut().unwrap().remove("person_id");
        body["guest"] = json!({"document_state": "KGZ", "document_number": document, "birth_date": born});
        body
    };

    for (body, want) in [
        (for_guest("AC8000077", "1994-03-09"), (404, "not_found")),
        (for_guest("AC8000078", "1994-03-08"), (404, "not_found")),
        (for_guest("AC8000077", "08.03.1994"), (422, "invalid_date")),
        (
            hotel(&person)
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.remove("person_id");
                    Value::Object(o)
                })
                .unwrap(),
            (422, "missing_field"),
        ),
        (
            {
                let mut b = for_guest("AC8000077", "1994-03-08");
                b["person_id"] = json!(person);
                b
            },
            (422, "missing_field"),
        ),
    ] {
        let (status, answer) = send(&app, HOST, "/api/v1/registrations", &body).await;
        assert_eq!((status, answer["code"].as_str().unwrap_or_default()), want, "{body}: {answer}");
    }
    let (status, list) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{person}/registrations")).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(0)), "a refused filing stored something: {list}");

    let (status, filed) = send(&app, HOST, "/api/v1/registrations", &for_guest("AC8000077", "1994-03-08")).await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["person_id"].as_str(), Some(person.as_str()), "{filed}");
}
