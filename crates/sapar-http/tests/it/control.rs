//! The control register over real HTTP on SQLite and PostgreSQL, the clock standing on Friday
//! 20 March 2026: shapes of an inclusion (with its restrictions), a notice, an application with
//! its calendar deadline and a decision; every refusal by its code, storing nothing; the
//! third-party check answering only `listed` and logged.

use std::sync::Arc;

use sapar_http::ServerSettings;
use sapar_register::ManualClock;
use sapar_test_support::{AUDITOR, TestDb};
use serde_json::{Value, json};

use crate::support::{ANALYST, BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::control::app =>
    an_inclusion_its_notice_an_application_and_a_grant_have_their_shapes,
    control_register_refusals_name_their_codes_and_store_nothing,
    the_check_answers_only_listed_and_is_logged,
);

pub(crate) async fn app(db: TestDb) -> TestApp {
    let clock = Arc::new(ManualClock::new("2026-03-20T06:00:00Z".parse().unwrap()));
    TestApp::start_with(
        db,
        move |mut state| {
            state.register = state.register.clone().with_clock(clock);
            state
        },
        ServerSettings::default(),
    )
    .await
}

async fn send(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    app.send(reqwest::Method::POST, Some(token), path, Some(body)).await
}

async fn traveller(app: &TestApp, document: &str) -> String {
    let (status, recorded) = app.post(BORDER, &entry(document)).await;
    assert_eq!(status, 201, "{recorded}");
    recorded["person_id"].as_str().unwrap().to_owned()
}

fn inclusion(person: &str) -> Value {
    json!({"person_id": person, "ground": "permit_expired_or_annulled",
           "decision_ref": "Решение УМС № 17-5/2026", "decided_on": "2026-03-19"})
}

async fn an_inclusion_its_notice_an_application_and_a_grant_have_their_shapes(app: TestApp) {
    let person = traveller(&app, "AC9000001").await;
    let (status, included) = send(&app, OFFICER, "/api/v1/control-register", &inclusion(&person)).await;
    assert_eq!(status, 201, "{included}");
    assert_eq!(
        (included["ground"].as_str(), included["decided_by"].as_str(), included["active"].as_bool()),
        (Some("permit_expired_or_annulled"), Some(OFFICER), Some(true))
    );
    assert_eq!(
        included["restrictions"],
        json!([
            "driving_licence",
            "bank_operations_limited",
            "marriage",
            "change_of_residence",
            "property_and_company_registration"
        ])
    );
    let id = included["id"].as_str().unwrap().to_owned();

    let (status, notice) = send(
        &app,
        OFFICER,
        &format!("/api/v1/control-register/{id}/notices"),
        &json!({"channel": "consular", "sent_on": "2026-03-20"}),
    )
    .await;
    assert_eq!((status, notice["channel"].as_str()), (201, Some("consular")), "{notice}");
    let (status, printable) =
        app.read(Some(OFFICER), "enforcement", &format!("/api/v1/control-register/{id}/notice")).await;
    assert_eq!(status, 200, "{printable}");
    assert_eq!(printable["languages"], json!(["ru", "ky"]), "Russian and Kyrgyz for a citizen of Kyrgyzstan");
    let text = printable["text"].as_str().unwrap();
    for needle in ["Решение УМС № 17-5/2026", "10 рабочих дней", "10 иш күнүнүн", "регистрация брака"]
    {
        assert!(text.contains(needle), "{needle:?} in {text}");
    }
    let (status, english) =
        app.read(Some(OFFICER), "enforcement", &format!("/api/v1/control-register/{id}/notice?lang=en")).await;
    assert_eq!((status, english["languages"].clone()), (200, json!(["ru", "en"])));

    let application = json!({"applicant": "person", "applicant_name": "Асанова Айгүл", "grounds": "error",
        "statement": "my permit was extended on time", "documents": ["extension № 55"]});
    let (status, filed) =
        send(&app, OFFICER, &format!("/api/v1/control-register/{id}/removal-applications"), &application).await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(
        (filed["filed_on"].as_str(), filed["due_on"].as_str(), filed["overdue"].as_bool()),
        (Some("2026-03-20"), Some("2026-04-08"), Some(false))
    );
    let (status, pending) = app.get(Some(OFFICER), "/api/v1/removal-applications?status=pending").await;
    assert_eq!((status, pending.as_array().map(Vec::len)), (200, Some(1)), "{pending}");

    let application_id = filed["id"].as_str().unwrap();
    let (status, decided) = send(
        &app,
        OFFICER,
        &format!("/api/v1/removal-applications/{application_id}/decision"),
        &json!({"decision": "grant", "reasons": "the extension is on record"}),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["application"]["decision"]["decision"], "grant");
    assert_eq!(
        (decided["entry"]["active"].as_bool(), decided["entry"]["removal"]["reason"].as_str()),
        (Some(false), Some("application_granted"))
    );

    let (status, entries) = app.get(Some(BORDER), &format!("/api/v1/persons/{person}/control-register")).await;
    assert_eq!(status, 200, "{entries}");
    assert_eq!(entries[0]["applications"].as_array().map(Vec::len), Some(1));
    assert_eq!(entries[0]["notices"][0]["sent_on"], "2026-03-20");
    let (status, removed) = app.read(Some(OFFICER), "enforcement", "/api/v1/control-register?status=removed").await;
    assert_eq!((status, removed["total"].as_i64()), (200, Some(1)), "{removed}");
    let (status, active) = app.read(Some(OFFICER), "enforcement", "/api/v1/control-register").await;
    assert_eq!((status, active["total"].as_i64()), (200, Some(0)), "{active}");
}

async fn control_register_refusals_name_their_codes_and_store_nothing(app: TestApp) {
    let person = traveller(&app, "AC9000002").await;
    let cases = [
        (json!({"person_id": person, "decision_ref": "№ 1"}), 422, "missing_field", "ground"),
        (json!({"person_id": person, "ground": "suspicion", "decision_ref": "№ 1"}), 422, "invalid_ground", "ground"),
        (json!({"person_id": person, "ground": "illegal_entry"}), 422, "missing_field", "decision_ref"),
        (json!({"ground": "illegal_entry", "decision_ref": "№ 1"}), 422, "missing_field", "person_id"),
    ];
    for (body, status, code, field) in cases {
        let (got, error) = send(&app, OFFICER, "/api/v1/control-register", &body).await;
        assert_eq!((got, error["code"].as_str(), error["field"].as_str()), (status, Some(code), Some(field)), "{body}");
    }
    let (status, error) = send(&app, BORDER, "/api/v1/control-register", &inclusion(&person)).await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));
    let (status, entries) =
        app.read(Some(OFFICER), "enforcement", &format!("/api/v1/persons/{person}/control-register")).await;
    assert_eq!((status, entries), (200, json!([])), "a refused inclusion stores nothing");

    let (_, included) = send(&app, OFFICER, "/api/v1/control-register", &inclusion(&person)).await;
    let id = included["id"].as_str().unwrap().to_owned();
    let (status, error) = send(&app, OFFICER, "/api/v1/control-register", &inclusion(&person)).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("already_listed")));

    let application = json!({"applicant": "state", "applicant_name": "Посольство КР", "grounds": "error",
        "statement": "listed by mistake"});
    let (_, filed) =
        send(&app, OFFICER, &format!("/api/v1/control-register/{id}/removal-applications"), &application).await;
    let decide = format!("/api/v1/removal-applications/{}/decision", filed["id"].as_str().unwrap());
    let (status, error) = send(&app, OFFICER, &decide, &json!({"decision": "deny", "reasons": "no proof"})).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (422, Some("appeal_route_required"), Some("appeal_route"))
    );
    let (status, error) = send(&app, OFFICER, &decide, &json!({"decision": "maybe", "reasons": "x"})).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("invalid_choice")));
    let (status, pending) = app.get(Some(OFFICER), "/api/v1/removal-applications").await;
    assert_eq!((status, pending[0]["decision"].clone()), (200, Value::Null), "refused decisions store nothing");
    let deny = json!({"decision": "deny", "reasons": "no proof", "appeal_route": "district court, 1 month"});
    assert_eq!(send(&app, OFFICER, &decide, &deny).await.0, 200);
    let (status, error) = send(&app, OFFICER, &decide, &json!({"decision": "grant", "reasons": "x"})).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("already_decided")));

    let cancel = format!("/api/v1/control-register/{id}/cancel-decision");
    let (status, error) = send(&app, OFFICER, &cancel, &json!({"reasons": " "})).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("reason_required")));
    let (status, removed) = send(&app, OFFICER, &cancel, &json!({"reasons": "annulled on appeal"})).await;
    assert_eq!((status, removed["removal"]["reason"].as_str()), (200, Some("decision_cancelled")), "{removed}");
    let (status, error) = send(&app, OFFICER, &cancel, &json!({"reasons": "again"})).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("entry_removed")));
    let (status, error) = app.get(Some(OFFICER), "/api/v1/removal-applications?status=late").await;
    assert_eq!((status, error["code"].as_str()), (400, Some("invalid_query")));
}

async fn the_check_answers_only_listed_and_is_logged(app: TestApp) {
    let person = traveller(&app, "AC9000003").await;
    let (status, _) = send(&app, OFFICER, "/api/v1/control-register", &inclusion(&person)).await;
    assert_eq!(status, 201);
    let (status, answer) = app.get(Some(BORDER), "/api/v1/control-register/check?document=KGZ:AC9000003").await;
    assert_eq!((status, answer), (200, json!({"listed": true})), "nothing but yes or no");
    let (status, answer) = app.get(Some(BORDER), "/api/v1/control-register/check?document=KGZ:AC9999999").await;
    assert_eq!((status, answer), (200, json!({"listed": false})));
    let (status, error) =
        app.read(Some(ANALYST), "statistics_quality", "/api/v1/control-register/check?document=KGZ:AC9000003").await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));
    let (status, error) = app.get(Some(BORDER), "/api/v1/control-register/check?document=nonsense").await;
    assert_eq!((status, error["code"].as_str()), (400, Some("invalid_document_reference")));

    let (status, log) = app.get(Some(AUDITOR), &format!("/api/v1/audit?person={person}&actor={BORDER}")).await;
    assert_eq!(status, 200, "{log}");
    let views: Vec<_> = log["entries"].as_array().unwrap().iter().map(|e| e["view"].clone()).collect();
    assert_eq!(views, [json!("control_check")], "the lookup is logged against the person found");
}
