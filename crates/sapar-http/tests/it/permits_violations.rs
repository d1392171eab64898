//! Permits and the officers' work on swept violations over real HTTP, on SQLite and (when
//! configured) PostgreSQL: a permit's days leave the stay limits, a revocation brings them back,
//! the sweep drafts only those really overstaying, and a draft is confirmed or dismissed once.

use jiff::civil::date;
use sapar_model::Role;
use sapar_register::Actor;
use serde_json::{Value, json};

use crate::support::{BORDER, OFFICER, TestApp, entry};

sapar_test_support::on_both_backends!(crate::support::app =>
    a_permit_takes_its_days_out_of_the_stay_and_a_revocation_brings_them_back,
    permit_requests_are_checked_and_refusals_record_nothing,
    the_sweep_drafts_only_real_overstays_and_officers_decide_each_once,
    an_employer_fine_is_recorded_paid_once_and_listed_with_the_employer,
    violation_refusals_carry_their_codes_and_record_nothing,
);

/// Posts `body` to `path`, stating the enforcement purpose (a decision on a violation answers with
/// the person; other posts ignore the header).
async fn send(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let request = app.client.post(app.url(path)).bearer_auth(token).header("Sapar-Purpose", "enforcement");
    let response = request.json(body).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A crossing of the Kyrgyz traveller holding `document`, at Korday on `day`.
fn crossing(document: &str, direction: &str, day: &str) -> Value {
    let mut body = entry(document);
    body["direction"] = json!(direction);
    body["at"] = json!(format!("{day}T09:30:00+05:00[Asia/Almaty]"));
    body
}

/// A Kyrgyz citizen (EAEU: 90 days in any 180 in Kazakhstan) who entered on `day` and is still in.
async fn resident(app: &TestApp, document: &str, day: &str) -> String {
    let (status, recorded) = app.post(BORDER, &crossing(document, "entry", day)).await;
    assert_eq!(status, 201, "{recorded}");
    recorded["person_id"].as_str().unwrap().to_owned()
}

fn work_permit(number: &str, from: &str, to: &str) -> Value {
    json!({"kind": "temporary_residence", "purpose": "work", "number": number, "valid_from": from, "valid_to": to,
           "issued_by": "Migration Service, Almaty"})
}

fn sweeper() -> Actor {
    Actor::new("nightly sweep", Role::Admin)
}

/// How many persons the sweep finds overstaying on `on`.
async fn sweep_overstayers(app: &TestApp, on: &str) -> usize {
    let on: jiff::civil::Date = on.parse().unwrap();
    let summary = app.register.sweep_overstays(&sweeper(), Some(on)).await.unwrap();
    summary.overstayers
}

async fn stay_on(app: &TestApp, person: &str, on: &str) -> Value {
    let (status, stay) =
        app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{person}/stay?on={on}")).await;
    assert_eq!(status, 200, "{stay}");
    stay
}

async fn a_permit_takes_its_days_out_of_the_stay_and_a_revocation_brings_them_back(app: TestApp) {
    let person = resident(&app, "AC7000001", "2025-01-10").await;
    // Without a permit: 1 January 10 to 1 June is 143 days, 53 over the 90.
    let stay = stay_on(&app, &person, "2025-06-01").await;
    assert_eq!((stay["legal"].as_bool(), stay["overstay_days"].as_u64()), (Some(false), Some(53)), "{stay}");

    let (status, permit) = send(
        &app,
        OFFICER,
        &format!("/api/v1/persons/{person}/permits"),
        &work_permit("TR-7001", "2025-02-01", "2025-12-31"),
    )
    .await;
    assert_eq!(status, 201, "{permit}");
    assert_eq!(permit["person_id"], person.as_str());
    assert_eq!(permit["covers"], json!(["2025-02-01", "2025-12-31"]));
    assert_eq!(permit["recorded_by"], OFFICER);
    // Only 10-31 January count now: 22 days used, legal. Those days have left the 180-day window
    // when the permit ends, so the open stay is legal for 90 days after it, to 31 March 2026.
    let stay = stay_on(&app, &person, "2025-06-01").await;
    assert_eq!(
        (stay["legal"].as_bool(), stay["days_used"].as_u64(), stay["overstay_days"].as_u64()),
        (Some(true), Some(22), Some(0)),
        "{stay}"
    );
    assert_eq!(stay["last_legal_day"], "2026-03-31", "{stay}");
    // The sweep reads the same permit days.
    assert_eq!(sweep_overstayers(&app, "2025-06-01").await, 0);

    // Border officers read permits too, and the person's record lists them.
    let (status, list) = app.get(Some(BORDER), &format!("/api/v1/persons/{person}/permits")).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let (_, record) = app.get(Some(BORDER), &format!("/api/v1/persons/{person}")).await;
    assert_eq!(record["permits"][0]["number"], "TR-7001", "{record}");

    // Revoked from 1 March: January and 1 March-1 June count, 22 + 93 = 115 days, 25 over.
    let permit_id = permit["id"].as_str().unwrap();
    let revoke = json!({"from": "2025-03-01", "reason": "employment contract ended"});
    let (status, revoked) = send(&app, OFFICER, &format!("/api/v1/permits/{permit_id}/revoke"), &revoke).await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["covers"], json!(["2025-02-01", "2025-02-28"]));
    assert_eq!(revoked["revocation"]["reason"], "employment contract ended");
    let stay = stay_on(&app, &person, "2025-06-01").await;
    assert_eq!(
        (stay["legal"].as_bool(), stay["days_used"].as_u64(), stay["overstay_days"].as_u64()),
        (Some(false), Some(115), Some(25)),
        "{stay}"
    );
    assert_eq!(sweep_overstayers(&app, "2025-06-01").await, 1, "the sweep sees the revocation");
    // The answer for a date before the revocation is what it was.
    let stay = stay_on(&app, &person, "2025-02-20").await;
    assert_eq!((stay["legal"].as_bool(), stay["days_used"].as_u64()), (Some(true), Some(22)), "{stay}");

    // A revocation is made once.
    let (status, again) = send(&app, OFFICER, &format!("/api/v1/permits/{permit_id}/revoke"), &revoke).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("already_revoked")), "{again}");

    // An entry of someone holding a permit gets the permit's days as well: a new arrival entering
    // on 1 April under a permit to 31 December may stay 90 days past it, to 31 March 2026.
    let newcomer = resident(&app, "AC7000002", "2025-04-01").await;
    let (status, _) = send(
        &app,
        OFFICER,
        &format!("/api/v1/persons/{newcomer}/permits"),
        &work_permit("TR-7002", "2025-04-01", "2025-12-31"),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(app.post(BORDER, &crossing("AC7000002", "exit", "2025-04-05")).await.0, 201);
    let (status, verdict) = app.post(BORDER, &crossing("AC7000002", "entry", "2025-04-10")).await;
    assert_eq!(status, 201, "{verdict}");
    assert_eq!(verdict["stay"]["status"], "allowed", "{verdict}");
    assert_eq!(verdict["stay"]["last_legal_day"], "2026-03-31", "{verdict}");
}

async fn permit_requests_are_checked_and_refusals_record_nothing(app: TestApp) {
    let person = resident(&app, "AC7100001", "2025-01-10").await;
    let path = format!("/api/v1/persons/{person}/permits");
    let cases = [
        (
            json!({"kind": "residence", "number": "X1", "valid_from": "2025-01-01", "valid_to": "2025-12-31"}),
            422,
            "invalid_kind",
        ),
        (
            json!({"kind": "temporary_residence", "number": "X1", "valid_from": "2025-01-01", "valid_to": "2025-12-31"}),
            422,
            "purpose_required",
        ),
        (
            json!({"kind": "temporary_residence", "purpose": "tourism", "number": "X1", "valid_from": "2025-01-01", "valid_to": "2025-12-31"}),
            422,
            "invalid_purpose",
        ),
        (
            json!({"kind": "long_stay_visa", "number": "X1", "valid_from": "2025-13-01", "valid_to": "2025-12-31"}),
            422,
            "invalid_date",
        ),
        (
            json!({"kind": "long_stay_visa", "number": "X1", "valid_from": "2025-06-01", "valid_to": "2025-05-31"}),
            422,
            "permit_ends_before_start",
        ),
        (
            json!({"kind": "long_stay_visa", "number": "  ", "valid_from": "2025-06-01", "valid_to": "2025-06-30"}),
            422,
            "missing_field",
        ),
        (json!({"kind": "long_stay_visa", "number": "X1", "valid_from": "2025-06-01"}), 422, "invalid_body"),
        (
            json!({"kind": "long_stay_visa", "number": "X1", "valid_from": "2025-06-01", "valid_to": "2025-06-30", "extra": 1}),
            422,
            "invalid_body",
        ),
    ];
    for (body, status, code) in cases {
        let (got, answer) = send(&app, OFFICER, &path, &body).await;
        assert_eq!((got, answer["code"].as_str()), (status, Some(code)), "{body} -> {answer}");
    }
    // Border officers read permits but do not grant them; an unknown person is 404.
    let good =
        json!({"kind": "permanent_residence", "number": "PR-1", "valid_from": "2025-01-01", "valid_to": "2035-01-01"});
    assert_eq!(send(&app, BORDER, &path, &good).await.0, 403);
    let unknown = format!("/api/v1/persons/{}/permits", uuid::Uuid::now_v7());
    assert_eq!(send(&app, OFFICER, &unknown, &good).await.0, 404);
    assert_eq!(send(&app, OFFICER, "/api/v1/persons/not-a-uuid/permits", &good).await.1["code"], "invalid_id");
    let (_, none) = app.read(Some(OFFICER), "stay_control", &path).await;
    assert_eq!(none, json!([]), "nothing was recorded by the refusals");

    // The same number twice is a conflict, also for another person.
    assert_eq!(send(&app, OFFICER, &path, &good).await.0, 201);
    let other = resident(&app, "AC7100002", "2025-01-11").await;
    let (status, dup) = send(&app, OFFICER, &format!("/api/v1/persons/{other}/permits"), &good).await;
    assert_eq!((status, dup["code"].as_str()), (409, Some("duplicate_permit")), "{dup}");
    let (_, others) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{other}/permits")).await;
    assert_eq!(others, json!([]));

    // Revocations: an unknown permit, a revocation after the permit ended, a missing reason.
    let (_, list) = app.read(Some(OFFICER), "stay_control", &path).await;
    let id = list[0]["id"].as_str().unwrap();
    let revoke = |from: &str, reason: &str| json!({"from": from, "reason": reason});
    let unknown = format!("/api/v1/permits/{}/revoke", uuid::Uuid::now_v7());
    assert_eq!(send(&app, OFFICER, &unknown, &revoke("2025-05-01", "x")).await.0, 404);
    let path = format!("/api/v1/permits/{id}/revoke");
    let (status, late) = send(&app, OFFICER, &path, &revoke("2035-01-02", "x")).await;
    assert_eq!((status, late["code"].as_str()), (422, Some("revoked_after_expiry")), "{late}");
    let (status, blank) = send(&app, OFFICER, &path, &revoke("2025-05-01", " ")).await;
    assert_eq!((status, blank["code"].as_str()), (422, Some("missing_field")), "{blank}");
    assert_eq!(send(&app, BORDER, &path, &revoke("2025-05-01", "x")).await.0, 403);
    let (_, list) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{person}/permits")).await;
    assert!(list[0]["revocation"].is_null(), "refused revocations change nothing: {list}");
}

async fn the_sweep_drafts_only_real_overstays_and_officers_decide_each_once(app: TestApp) {
    let overstayer = resident(&app, "AC7200001", "2025-01-10").await;
    let permitted = resident(&app, "AC7200002", "2025-01-10").await;
    let (status, _) = send(
        &app,
        OFFICER,
        &format!("/api/v1/persons/{permitted}/permits"),
        &work_permit("TR-7201", "2025-01-10", "2025-12-31"),
    )
    .await;
    assert_eq!(status, 201);
    let summary = app.register.sweep_overstays(&sweeper(), Some(date(2025, 6, 1))).await.unwrap();
    assert_eq!((summary.checked, summary.overstayers, summary.new_drafts), (2, 1, 1), "{summary:?}");

    // The queue: the draft, with the person it is about; for officers only.
    assert_eq!(app.get(Some(BORDER), "/api/v1/violations").await.0, 403);
    let (status, page) = app.read(Some(OFFICER), "enforcement", "/api/v1/violations").await;
    assert_eq!(status, 200, "{page}");
    // Besides the overstay, nobody registered either person's arrival: two failures to register.
    assert_eq!((page["status"].as_str(), page["total"].as_i64()), (Some("draft"), Some(3)), "{page}");
    let kinds: Vec<&str> = page["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["overstay", "registration_failure", "registration_failure"]);
    let item = &page["items"][0];
    assert_eq!(item["person"]["id"], overstayer.as_str());
    assert_eq!(item["person"]["latin_name"]["surname"], "ASANOVA");
    assert_eq!(item["person"]["documents"], json!(["KGZ:AC7200001"]));
    assert_eq!(
        (item["stay_entry"].as_str(), item["detected_on"].as_str(), item["overstay_days"].as_u64()),
        (Some("2025-01-10"), Some("2025-06-01"), Some(53))
    );
    assert_eq!(
        (item["last_legal_day"].as_str(), item["rule_id"].as_str()),
        (Some("2025-04-09"), Some("KAZ-EAEU-90-180"))
    );
    let id = item["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/violations/{id}");

    // Refusals change nothing.
    let (status, refused) = send(&app, OFFICER, &path, &json!({"decision": "dismiss"})).await;
    assert_eq!((status, refused["code"].as_str()), (422, Some("note_required")), "{refused}");
    let (status, refused) = send(&app, OFFICER, &path, &json!({"decision": "forgive"})).await;
    assert_eq!((status, refused["code"].as_str()), (422, Some("invalid_body")), "{refused}");
    assert_eq!(send(&app, BORDER, &path, &json!({"decision": "confirm"})).await.0, 403);
    let unknown = format!("/api/v1/violations/{}", uuid::Uuid::now_v7());
    assert_eq!(send(&app, OFFICER, &unknown, &json!({"decision": "confirm"})).await.0, 404);
    assert_eq!(
        app.read(Some(OFFICER), "enforcement", "/api/v1/violations?status=maybe").await.1["code"],
        "invalid_query"
    );
    let (_, still) = app.read(Some(OFFICER), "stay_control", &path).await;
    assert_eq!((still["status"].as_str(), still["decision"].is_null()), (Some("draft"), true), "{still}");
    // Taken by a colleague at the workplace, it is theirs to decide.
    let colleague = sapar_register::Actor::new("b.nurlanov", sapar_model::Role::Officer);
    app.register.claim_violation(&colleague, id.parse().unwrap()).await.unwrap();
    let (status, refused) = send(&app, OFFICER, &path, &json!({"decision": "confirm"})).await;
    assert_eq!((status, refused["code"].as_str()), (409, Some("claimed")), "{refused}");
    app.register.release_violation(&colleague, id.parse().unwrap()).await.unwrap();

    // Confirmed once, with who and why; a second decision is a conflict.
    let (status, decided) =
        send(&app, OFFICER, &path, &json!({"decision": "confirm", "note": "no exit, no permit on file"})).await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "confirmed");
    assert_eq!(decided["decision"]["decided_by"], OFFICER);
    assert_eq!(decided["decision"]["note"], "no exit, no permit on file");
    let (status, again) = send(&app, OFFICER, &path, &json!({"decision": "dismiss", "note": "changed my mind"})).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("already_decided")), "{again}");
    let (_, drafts) = app.read(Some(OFFICER), "enforcement", "/api/v1/violations").await;
    assert_eq!(drafts["total"], 2, "the failures to register await their own decisions");
    let (_, confirmed) = app.read(Some(OFFICER), "enforcement", "/api/v1/violations?status=confirmed").await;
    assert_eq!((confirmed["total"].as_i64(), confirmed["items"][0]["id"].as_str()), (Some(1), Some(id.as_str())));
    let (_, of_person) =
        app.read(Some(OFFICER), "enforcement", &format!("/api/v1/persons/{overstayer}/violations")).await;
    assert_eq!(of_person[0]["status"], "confirmed", "{of_person}");

    // Later nights add nothing for the same stay, confirmed or not.
    let next = app.register.sweep_overstays(&sweeper(), Some(date(2025, 6, 2))).await.unwrap();
    assert_eq!((next.overstayers, next.new_drafts, next.new_registration_drafts), (1, 0, 0), "{next:?}");
}

async fn an_employer_fine_is_recorded_paid_once_and_listed_with_the_employer(app: TestApp) {
    let person = resident(&app, "AC7000501", "2025-03-01").await;
    let company = json!({"registration_number": "080540002494", "name": "ТОО «Стройсервис Алатау»",
                         "region": "Алматы"});
    let (status, employer) = send(&app, OFFICER, "/api/v1/employers", &company).await;
    assert_eq!(status, 201, "{employer}");
    let employer_id = employer["id"].as_str().unwrap().to_owned();
    let (status, again) = send(&app, OFFICER, "/api/v1/employers", &company).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("duplicate_employer")), "{again}");

    let fine = json!({"kind": "employer_violation", "detected_on": "2025-04-15", "employer_id": employer_id,
                      "decision_ref": "АП-2025/1002", "fine": {"amount": 700, "unit": "MRP"}});
    let (status, violation) = send(&app, OFFICER, &format!("/api/v1/persons/{person}/violations"), &fine).await;
    assert_eq!(status, 201, "{violation}");
    assert_eq!(violation["status"], "confirmed");
    assert_eq!(violation["fine"]["payment_status"], "unpaid");
    assert_eq!(violation["fine"]["amount_kzt"], 700 * 3932, "MRP at the 2025 index");
    assert!(violation["article"].as_str().unwrap().contains("519"), "{violation}");

    let id = violation["id"].as_str().unwrap();
    let payment = json!({"paid_on": "2025-05-02", "reference": "KASPI-7781230045"});
    let (status, paid) = send(&app, OFFICER, &format!("/api/v1/violations/{id}/payment"), &payment).await;
    assert_eq!((status, paid["fine"]["payment_status"].as_str()), (200, Some("paid")), "{paid}");
    let (status, twice) = send(&app, OFFICER, &format!("/api/v1/violations/{id}/payment"), &payment).await;
    assert_eq!((status, twice["code"].as_str()), (409, Some("already_paid")), "{twice}");

    let (status, file) = app.read(Some(OFFICER), "enforcement", &format!("/api/v1/employers/{employer_id}")).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["violations"][0]["id"], violation["id"]);
    let (status, found) = app.read(Some(OFFICER), "enforcement", "/api/v1/employers?q=алатау").await;
    assert_eq!((status, found.as_array().map(Vec::len)), (200, Some(1)), "{found}");
}

async fn violation_refusals_carry_their_codes_and_record_nothing(app: TestApp) {
    let person = resident(&app, "AC7000502", "2025-03-01").await;
    let path = format!("/api/v1/persons/{person}/violations");
    let base = json!({"kind": "illegal_work", "detected_on": "2025-04-15", "decision_ref": "АП-1",
                      "fine": {"amount": 30, "unit": "MRP"}});
    let cases = [
        (json!({"fine": {"amount": -5, "unit": "MRP"}}), 422, "invalid_fine_amount"),
        (json!({"fine": {"amount": 2.5, "unit": "MRP"}}), 422, "invalid_fine_amount"),
        (json!({"fine": {"amount": 5, "unit": "EUR"}}), 422, "invalid_fine_unit"),
        (json!({"kind": "employer_violation"}), 422, "employer_required"),
        (json!({"employer_id": uuid::Uuid::now_v7().to_string()}), 422, "unknown_employer"),
        (json!({"employer_id": "not-a-uuid"}), 400, "invalid_id"),
        (json!({"employer_id": ""}), 400, "invalid_id"),
        (json!({"kind": "speeding"}), 422, "invalid_kind"),
        (json!({"detected_on": "2199-01-01"}), 422, "invalid_date"),
    ];
    for (change, status_expected, code) in cases {
        let mut body = base.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, refused) = send(&app, OFFICER, &path, &body).await;
        assert_eq!((status, refused["code"].as_str()), (status_expected, Some(code)), "{body} → {refused}");
    }
    let (status, bin) = send(
        &app,
        OFFICER,
        "/api/v1/employers",
        &json!({"registration_number": "080540002495", "name": "X", "region": "Y"}),
    )
    .await;
    assert_eq!((status, bin["code"].as_str()), (422, Some("invalid_registration_number")), "{bin}");
    let (status, listed) = app.read(Some(OFFICER), "enforcement", &path).await;
    assert_eq!((status, listed.as_array().map(Vec::len)), (200, Some(0)), "nothing stored: {listed}");
    let (status, border) = send(&app, BORDER, &path, &base).await;
    assert_eq!((status, border["code"].as_str()), (403, Some("forbidden")));
}
