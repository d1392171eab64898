//! The review queue over real HTTP, on SQLite and PostgreSQL (the linking run that fills it is
//! tested in `sapar-register`).

use jiff::Timestamp;
use sapar_model::PersonId;
use sapar_register::linking::{EXPLANATION_VERSION, StoredContribution, StoredExplanation};
use sapar_register::records::ReviewStatus;
use sapar_test_support::sapar_store::Store;
use sapar_test_support::sapar_store::identity::ReviewProposal;
use serde_json::{Value, json};

use crate::support::{ANALYST, BORDER, OFFICER, REVOKED, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    review_routes_are_for_officers_only,
    the_queue_lists_pending_pairs_with_both_persons_and_the_explanation,
    a_match_merges_and_the_merged_id_answers_for_the_survivor,
    a_non_match_empties_the_queue_and_bad_requests_get_stable_codes,
);

async fn post_decision(app: &TestApp, token: Option<&str>, id: &str, body: &Value) -> (u16, Value) {
    let mut request = app.client.post(app.url(&format!("/api/v1/review/{id}"))).json(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A person recorded through the API: an entry with `document` and these names.
async fn person(app: &TestApp, document: &str, native: (&str, &str), latin: (&str, &str), birth: &str) -> String {
    let mut body = entry(document);
    body["person"]["native_name"] = json!({"surname": native.0, "given_names": native.1});
    body["person"]["latin_name"] = json!({"surname": latin.0, "given_names": latin.1});
    body["person"]["birth_date"] = json!(birth);
    let (status, recorded) = app.post(BORDER, &body).await;
    assert_eq!(status, 201, "{recorded}");
    recorded["person_id"].as_str().unwrap().to_owned()
}

fn id(text: &str) -> PersonId {
    PersonId::from_uuid(uuid::Uuid::parse_str(text).unwrap())
}

fn explanation(probability: f64) -> String {
    let view = StoredExplanation {
        version: EXPLANATION_VERSION,
        prior_weight: -10.0,
        weight: 3.0,
        probability,
        fields: vec![
            StoredContribution { field: "surname".into(), level: "exact".into(), weight: 8.5, rarity_weighted: true },
            StoredContribution {
                field: "birth_date".into(),
                level: "day and month swapped".into(),
                weight: 4.5,
                rarity_weighted: false,
            },
        ],
        summary: "prior (-10.00); surname: exact, rarity-weighted (+8.50); birth_date: day and month swapped (+4.50)"
            .into(),
    };
    view.to_stored().unwrap()
}

async fn propose(store: &Store, a: &str, b: &str, probability: f64) {
    let proposal =
        ReviewProposal { a: id(a), b: id(b), probability, weight: 3.0, explanation: explanation(probability) };
    assert_eq!(store.propose_review_items(vec![proposal], Timestamp::now()).await.unwrap(), 1);
}

async fn queue(app: &TestApp) -> Value {
    let (status, body) = app.read(Some(OFFICER), "stay_control", "/api/v1/review").await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn review_routes_are_for_officers_only(app: TestApp) {
    let item = uuid::Uuid::now_v7().to_string();
    let decision = json!({"decision": "non_match"});
    for (token, expected) in [(None, 401), (Some(REVOKED), 401), (Some(BORDER), 403), (Some(ANALYST), 403)] {
        let (status, body) = app.read(token, "stay_control", "/api/v1/review").await;
        assert_eq!(status, expected, "GET with {token:?}: {body}");
        let (status, body) = post_decision(&app, token, &item, &decision).await;
        assert_eq!(status, expected, "POST with {token:?}: {body}");
        let code = if expected == 401 { "unauthorized" } else { "forbidden" };
        assert_eq!(body["code"], code);
    }
    let body = queue(&app).await;
    assert_eq!((body["pending"].as_i64(), body["items"].as_array().map(Vec::len)), (Some(0), Some(0)));
    let (status, body) = post_decision(&app, Some(OFFICER), &item, &decision).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));

    let (status, doc) = app.get(Some(OFFICER), "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["paths"]["/api/v1/review"]["get"].is_object(), "the queue is documented");
    let decide = &doc["paths"]["/api/v1/review/{id}"]["post"];
    assert!(decide["responses"]["409"].is_object() && decide["responses"]["404"].is_object(), "{decide}");
    for schema in ["ReviewQueue", "ReviewDecisionBody", "DecisionRecorded", "ExplanationView"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} is in the document");
    }
}

async fn the_queue_lists_pending_pairs_with_both_persons_and_the_explanation(app: TestApp) {
    let a = person(&app, "AC1000001", ("Асанова", "Айгүл"), ("ASANOVA", "AIGUL"), "1994-03-08").await;
    let b = person(&app, "AC2000002", ("Асанова", "Айгул"), ("ASANOVA", "AIGUL"), "1994-08-03").await;
    let c = person(&app, "AC3000003", ("Асанова", "Айпери"), ("ASANOVA", "AIPERI"), "1994-03-08").await;
    propose(&app.store, &a, &b, 0.93).await;
    propose(&app.store, &c, &a, 0.61).await;
    let body = queue(&app).await;
    assert_eq!(body["pending"], 2);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let first = &items[0];
    assert_eq!((first["probability"].as_f64(), first["status"].as_str()), (Some(0.93), Some("pending")));
    assert_eq!(items[1]["probability"].as_f64(), Some(0.61), "highest probability first");
    let sides = [&first["person_a"], &first["person_b"]];
    let mut ids: Vec<&str> = sides.iter().map(|p| p["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected = [a.as_str(), b.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    let b_side = sides.iter().find(|p| p["id"] == b.as_str()).unwrap();
    assert_eq!(b_side["native_name"]["given_names"], "Айгул");
    assert_eq!(b_side["native_name"]["script"], "cyrillic");
    assert_eq!(b_side["latin_name"]["surname"], "ASANOVA");
    assert_eq!(b_side["birth_date"], "1994-08-03");
    assert_eq!(b_side["documents"][0]["number"], "AC2000002");
    assert_eq!(b_side["documents"][0]["issuing_state"], "KGZ");
    assert_eq!((b_side["crossings"].as_i64(), b_side["citizenship"].as_str()), (Some(1), Some("KGZ")));
    let fields = first["explanation"]["fields"].as_array().unwrap();
    assert_eq!(fields[1]["field"], "birth_date");
    assert_eq!(fields[1]["level"], "day and month swapped");
    assert_eq!(fields[0]["rarity_weighted"], true);
    assert!(first["explanation"]["summary"].as_str().unwrap().starts_with("prior (-10.00)"));

    let (status, page) = app.read(Some(OFFICER), "stay_control", "/api/v1/review?limit=1&offset=1").await;
    assert_eq!(status, 200);
    assert_eq!((page["pending"].as_i64(), page["items"].as_array().map(Vec::len)), (Some(2), Some(1)));
    assert_eq!(page["items"][0]["probability"].as_f64(), Some(0.61));
    for query in ["limit=0", "limit=501", "limit=ten", "offset=-1"] {
        let (status, bad) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/review?{query}")).await;
        assert_eq!((status, bad["code"].as_str()), (400, Some("invalid_query")), "{query}");
    }
}

async fn a_match_merges_and_the_merged_id_answers_for_the_survivor(app: TestApp) {
    let older = person(&app, "AC1000001", ("Асанова", "Айгүл"), ("ASANOVA", "AIGUL"), "1994-03-08").await;
    let younger = person(&app, "AC2000002", ("Асанова", "Айгүл"), ("ASANOVA", "AIGUL"), "1994-03-08").await;
    propose(&app.store, &younger, &older, 0.97).await;
    let item = queue(&app).await["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, decided) =
        post_decision(&app, Some(OFFICER), &item, &json!({"decision": "match", "note": "  same photo  "})).await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "match");
    assert_eq!(decided["note"], "same photo");
    assert_eq!(decided["decided_by"], OFFICER);
    assert_eq!(decided["merged_person_id"], younger.as_str());
    assert_eq!(decided["surviving_person_id"], older.as_str());

    let (status, merged) = app.get(Some(BORDER), &format!("/api/v1/persons/{younger}")).await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!((merged["id"].as_str(), merged["merged_into"].as_str()), (Some(older.as_str()), Some(older.as_str())));
    let numbers: Vec<&str> =
        merged["documents"].as_array().unwrap().iter().map(|d| d["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["AC1000001", "AC2000002"]);
    assert_eq!(merged["crossings"].as_array().unwrap().len(), 2);
    let (status, survivor) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{older}")).await;
    assert_eq!(status, 200);
    assert!(survivor.get("merged_into").is_none(), "{survivor}");
    let (status, stay) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{younger}/stay?on=2025-04-10")).await;
    assert_eq!(status, 200, "{stay}");
    assert_eq!(stay["person_id"], older.as_str());
    let (status, by_document) = app.get(Some(BORDER), "/api/v1/persons?document=KGZ:AC2000002").await;
    assert_eq!((status, by_document["id"].as_str()), (200, Some(older.as_str())));
    assert_eq!(app.counts().await, [2, 2, 2]);

    // Deciding again is a conflict, whatever the decision, and changes nothing.
    for decision in ["non_match", "match"] {
        let (status, again) = post_decision(&app, Some(OFFICER), &item, &json!({"decision": decision})).await;
        assert_eq!((status, again["code"].as_str()), (409, Some("already_decided")), "{again}");
    }
    let stored = app.store.review_item(uuid::Uuid::parse_str(&item).unwrap()).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.note.as_deref()), (ReviewStatus::Match, Some("same photo")));
    assert_eq!(queue(&app).await["pending"], 0);
}

async fn a_non_match_empties_the_queue_and_bad_requests_get_stable_codes(app: TestApp) {
    let a = person(&app, "AC1000001", ("Асанова", "Айгүл"), ("ASANOVA", "AIGUL"), "1994-03-08").await;
    let b = person(&app, "AC2000002", ("Асанова", "Айгүл"), ("ASANOVA", "AIGUL"), "1994-03-08").await;
    propose(&app.store, &a, &b, 0.8).await;
    let item = queue(&app).await["items"][0]["id"].as_str().unwrap().to_owned();
    let too_long = "x".repeat(2001);
    for (body, code) in [
        (json!({"decision": "maybe"}), "invalid_body"),
        (json!({"decision": "match", "reason": "twins"}), "invalid_body"),
        (json!({"note": "no decision"}), "invalid_body"),
        (json!({"decision": "non_match", "note": too_long}), "note_too_long"),
    ] {
        let (status, refused) = post_decision(&app, Some(OFFICER), &item, &body).await;
        assert_eq!((status, refused["code"].as_str()), (422, Some(code)), "{body}: {refused}");
    }
    let (status, refused) = post_decision(&app, Some(OFFICER), "not-a-uuid", &json!({"decision": "match"})).await;
    assert_eq!((status, refused["code"].as_str()), (400, Some("invalid_id")));
    let response = app
        .client
        .post(app.url(&format!("/api/v1/review/{item}")))
        .bearer_auth(OFFICER)
        .body(r#"{"decision": "match"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    assert_eq!(queue(&app).await["pending"], 1, "refused requests decide nothing");

    let (status, decided) =
        post_decision(&app, Some(OFFICER), &item, &json!({"decision": "non_match", "note": "different fathers"})).await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!((decided["status"].as_str(), decided["merged_person_id"].as_str()), (Some("non_match"), None));
    assert_eq!(queue(&app).await["pending"], 0);
    let pair = if a < b { (id(&a), id(&b)) } else { (id(&b), id(&a)) };
    assert_eq!(app.store.confirmed_non_matches().await.unwrap(), vec![pair]);
    let (status, person) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{b}")).await;
    assert_eq!((status, person["id"].as_str()), (200, Some(b.as_str())));
    assert!(person.get("merged_into").is_none());
}
