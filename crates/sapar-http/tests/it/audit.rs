//! Accountable reads over real HTTP, on SQLite and PostgreSQL: every person a token reads leaves
//! an access-log row with its purpose; a read without a purpose the role lacks by default is
//! refused and leaves none; auditors, and only they, list the log with filters.

use std::collections::BTreeSet;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use sapar_test_support::{ADMIN, AUDITOR};
use serde_json::Value;

use crate::support::{ANALYST, BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    a_border_token_reading_a_hundred_persons_leaves_a_hundred_rows_for_the_auditor,
    an_officer_states_why_and_the_row_keeps_the_purpose_and_the_note,
    only_auditors_list_the_log_and_its_filters_narrow_it,
);

/// Records an entry of the holder of `document`; their person id.
async fn person(app: &TestApp, document: &str) -> String {
    let (status, recorded) = app.post(BORDER, &entry(document)).await;
    assert_eq!(status, 201, "{recorded}");
    recorded["person_id"].as_str().unwrap().to_owned()
}

/// `GET /api/v1/audit?{query}` as the auditor; the page.
async fn audit(app: &TestApp, query: &str) -> Value {
    let (status, page) = app.get(Some(AUDITOR), &format!("/api/v1/audit?{query}")).await;
    assert_eq!(status, 200, "{query}: {page}");
    page
}

fn entries(page: &Value) -> &Vec<Value> {
    page["entries"].as_array().unwrap()
}

/// A `GET` of `path` as `token` with these extra headers; the status and the answer.
async fn get_with(app: &TestApp, token: &str, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = app.client.get(app.url(path)).bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn a_border_token_reading_a_hundred_persons_leaves_a_hundred_rows_for_the_auditor(app: TestApp) {
    let mut ids = BTreeSet::new();
    for n in 0..100 {
        ids.insert(person(&app, &format!("AC{:07}", 3_000_000 + n)).await);
    }
    assert_eq!(audit(&app, "").await["total"], 0, "recording is no read");
    for id in &ids {
        let (status, body) = app.get(Some(BORDER), &format!("/api/v1/persons/{id}")).await;
        assert_eq!(status, 200, "{body}");
    }

    let page = audit(&app, &format!("actor={BORDER}&limit=1000")).await;
    assert_eq!((page["total"].as_u64(), entries(&page).len()), (Some(100), 100), "{page}");
    let mut read = BTreeSet::new();
    for row in entries(&page) {
        assert_eq!(
            (&row["purpose"], &row["view"], &row["role"], &row["channel"], &row["address"], &row["purpose_note"]),
            (
                &"border_check".into(),
                &"person".into(),
                &"border".into(),
                &"api".into(),
                &"127.0.0.1".into(),
                &Value::Null
            ),
            "{row}"
        );
        read.insert(row["person_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(read, ids, "one row for each person read, and only those");
    let ats: Vec<&str> = entries(&page).iter().map(|r| r["at"].as_str().unwrap()).collect();
    let instants: Vec<jiff::Timestamp> = ats.iter().map(|a| a.parse().unwrap()).collect();
    assert!(instants.windows(2).all(|w| w[0] >= w[1]), "newest first: {ats:?}");
    // Nobody else read anything.
    assert_eq!(audit(&app, "").await["total"], 100);
}

async fn an_officer_states_why_and_the_row_keeps_the_purpose_and_the_note(app: TestApp) {
    let id = person(&app, "AC3100001").await;
    let path = format!("/api/v1/persons/{id}");

    let (status, refused) = app.get(Some(OFFICER), &path).await;
    assert_eq!((status, refused["code"].as_str()), (400, Some("read_purpose_required")), "{refused}");
    assert_eq!(refused["field"], "Sapar-Purpose");
    assert!(refused["message"].as_str().unwrap().contains("permit_decision"), "{refused}");
    let refusals: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("Sapar-Purpose", "curiosity")], "invalid_read_purpose"),
        (vec![("Sapar-Purpose", "")], "invalid_read_purpose"),
        (vec![("Sapar-Purpose", "stay_control"), ("Sapar-Purpose", "enforcement")], "invalid_read_purpose"),
        (vec![("Sapar-Purpose", "stay_control"), ("Sapar-Purpose-Note", "%FF%FE")], "invalid_purpose_note"),
    ];
    for (headers, code) in refusals {
        let (status, refused) = get_with(&app, OFFICER, &path, &headers).await;
        assert_eq!((status, refused["code"].as_str()), (400, Some(code)), "{headers:?}: {refused}");
    }
    let too_long = "я".repeat(501);
    let encoded = utf8_percent_encode(&too_long, NON_ALPHANUMERIC).to_string();
    let headers = [("Sapar-Purpose", "stay_control"), ("Sapar-Purpose-Note", encoded.as_str())];
    let (status, refused) = get_with(&app, OFFICER, &path, &headers).await;
    assert_eq!((status, refused["code"].as_str()), (400, Some("invalid_purpose_note")), "{refused}");
    assert_eq!(audit(&app, "").await["total"], 0, "a refused read leaves no row");

    let note = "заявление № 17/2025";
    let encoded = utf8_percent_encode(note, NON_ALPHANUMERIC).to_string();
    let headers = [("Sapar-Purpose", "permit_decision"), ("Sapar-Purpose-Note", encoded.as_str())];
    let (status, shown) = get_with(&app, OFFICER, &path, &headers).await;
    assert_eq!((status, shown["id"].as_str()), (200, Some(id.as_str())), "{shown}");
    // The stay, the permits and the violations of the person each leave a row of their own view.
    for (view, purpose) in [("stay", "stay_control"), ("permits", "permit_decision"), ("violations", "enforcement")] {
        let (status, body) = app.read(Some(OFFICER), purpose, &format!("{path}/{view}?")).await;
        assert!(status == 200 || status == 422, "{view}: {body}");
    }

    let page = audit(&app, &format!("actor={OFFICER}")).await;
    let rows = entries(&page);
    let shown: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["view"].as_str().unwrap(), r["purpose"].as_str().unwrap())).collect();
    assert_eq!(
        shown,
        [
            ("violations", "enforcement"),
            ("permits", "permit_decision"),
            ("stay", "stay_control"),
            ("person", "permit_decision")
        ]
    );
    let first = &rows[3];
    assert_eq!((first["purpose_note"].as_str(), first["role"].as_str()), (Some(note), Some("officer")), "{first}");
    assert!(rows[..3].iter().all(|r| r["purpose_note"].is_null()));
    assert!(rows.iter().all(|r| r["person_id"] == id.as_str()));
}

async fn only_auditors_list_the_log_and_its_filters_narrow_it(app: TestApp) {
    for token in [BORDER, OFFICER, ANALYST, ADMIN] {
        let (status, refused) = app.get(Some(token), "/api/v1/audit").await;
        assert_eq!((status, refused["code"].as_str()), (403, Some("forbidden")), "{token}: {refused}");
    }
    assert_eq!(app.get(None, "/api/v1/audit").await.0, 401);
    for method in [reqwest::Method::POST, reqwest::Method::DELETE, reqwest::Method::PUT] {
        let (status, refused) = app.send(method.clone(), Some(AUDITOR), "/api/v1/audit", None).await;
        assert_eq!((status, refused["code"].as_str()), (405, Some("method_not_allowed")), "{method}");
    }

    let (a, b) = (person(&app, "AC3200001").await, person(&app, "AC3200002").await);
    for id in [&a, &b, &a] {
        assert_eq!(app.get(Some(BORDER), &format!("/api/v1/persons/{id}")).await.0, 200);
    }
    assert_eq!(app.read(Some(OFFICER), "enforcement", &format!("/api/v1/persons/{b}")).await.0, 200);

    let page = audit(&app, "").await;
    assert_eq!(
        (page["total"].as_u64(), page["limit"].as_u64(), page["offset"].as_u64()),
        (Some(4), Some(100), Some(0))
    );
    let newest = entries(&page)[0].clone();
    assert_eq!((newest["actor"].as_str(), newest["person_id"].as_str()), (Some(OFFICER), Some(b.as_str())));
    let total = |query: &str| {
        let app = &app;
        let query = query.to_owned();
        async move { audit(app, &query).await["total"].as_u64().unwrap() }
    };
    assert_eq!(total(&format!("person={a}")).await, 2);
    assert_eq!(total(&format!("person={b}&actor={BORDER}")).await, 1);
    assert_eq!(total("purpose=enforcement").await, 1);
    assert_eq!(total("purpose=border_check").await, 3);
    assert_eq!(total("actor=nobody").await, 0);
    let at = utf8_percent_encode(newest["at"].as_str().unwrap(), NON_ALPHANUMERIC).to_string();
    assert_eq!(total(&format!("from={at}")).await, 1, "from is inclusive");
    assert_eq!(total(&format!("until={at}")).await, 3, "until is exclusive");
    assert_eq!(total("from=2000-01-01T00:00:00%2B05:00&until=2000-01-02T00:00:00Z").await, 0);

    let first = audit(&app, "limit=3").await;
    let rest = audit(&app, "limit=3&offset=3").await;
    assert_eq!((entries(&first).len(), entries(&rest).len(), rest["total"].as_u64()), (3, 1, Some(4)));
    let mut ids: Vec<&str> = entries(&first).iter().chain(entries(&rest)).map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4, "pages do not overlap");

    for (query, field) in [
        ("person=nope", "person"),
        ("purpose=curiosity", "purpose"),
        ("from=yesterday", "from"),
        ("until=2025-06-01", "until"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("offset=-1", "offset"),
        ("offset=9223372036854775808", "offset"),
    ] {
        let (status, refused) = app.get(Some(AUDITOR), &format!("/api/v1/audit?{query}")).await;
        assert_eq!(
            (status, refused["code"].as_str(), refused["field"].as_str()),
            (400, Some("invalid_query"), Some(field))
        );
    }
    assert_eq!(audit(&app, "").await["total"], 4, "listing the log reads no person");
}
