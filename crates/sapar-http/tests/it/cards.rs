//! Migrant cards and self-service over real HTTP on SQLite and PostgreSQL: a card issued with an
//! entry, read with the read logged, drawn as SVG and PNG, its seal checked from JSON and from the
//! PNG, a tampered seal refused with its code, revoked once; the holder's status without a token,
//! one answer for any wrong detail.

use serde_json::{Value, json};

use sapar_register::cards::{CardIssuer, CardPolicy};
use sapar_test_support::{AUDITOR, TestDb};

use crate::support::{BORDER, OFFICER, TestApp};

sapar_test_support::on_both_backends!(crate::cards::app_with_cards =>
    a_card_comes_with_the_entry_and_its_seal_verifies_from_json_and_png,
    a_card_is_revoked_once_and_then_not_valid,
    the_holder_sees_their_status_with_the_three_details_only,
);

mod without_cards {
    use serde_json::json;

    use crate::support::{BORDER, TestApp};

    sapar_test_support::on_both_backends!(crate::support::app =>
        a_node_without_a_card_signer_says_so,
    );

    async fn a_node_without_a_card_signer_says_so(app: TestApp) {
        let (status, error) =
            app.send(reqwest::Method::POST, Some(BORDER), "/api/v1/cards/verify", Some(&json!({}))).await;
        assert_eq!((status, error["code"].as_str()), (404, Some("cards_not_configured")), "{error}");
    }
}

pub(crate) async fn app_with_cards(db: TestDb) -> TestApp {
    let keys = sapar_treaty::keys::init_state_keys(sapar_model::Country::KAZ, &[], jiff::Timestamp::now()).unwrap();
    let signer = sapar_card::CardSigner::from_pem(&keys.card_signer.cert_pem, &keys.card_signer.key_pem).unwrap();
    let ca = sapar_treaty::pki::pem_decode_one(&keys.ca.cert_pem, "CERTIFICATE").unwrap();
    TestApp::start_with_register(db, |register| {
        register.with_cards(CardIssuer::new(signer, ca, CardPolicy::EveryForeigner))
    })
    .await
}

/// An entry of a Kyrgyz traveller at Korday an hour ago.
fn entry_now(document: &str) -> Value {
    let at = jiff::Timestamp::now().checked_sub(jiff::SignedDuration::from_hours(1)).unwrap();
    let at = at.in_tz("Asia/Almaty").unwrap().round(jiff::Unit::Second).unwrap();
    json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "direction": "entry",
        "at": at.to_string(),
        "crossing_point": "KZ-KORDAY",
        "purpose": "private",
        "document": {"type": "passport", "number": document, "issuing_state": "KGZ", "expiry": "2031-05-01"},
        "person": {
            "native_name": {"surname": "Асанова", "given_names": "Айгүл"},
            "latin_name": {"surname": "ASANOVA", "given_names": "AIGUL"},
            "sex": "F", "birth_date": "1994-03-08", "citizenship": "KGZ"
        }
    })
}

async fn card_number(app: &TestApp, document: &str) -> (String, String) {
    let (status, recorded) = app.post(BORDER, &entry_now(document)).await;
    assert_eq!(status, 201, "{recorded}");
    let person = recorded["person_id"].as_str().unwrap().to_owned();
    let (status, cards) = app.get(Some(BORDER), &format!("/api/v1/persons/{person}/cards")).await;
    assert_eq!(status, 200, "{cards}");
    assert_eq!(cards.as_array().map(Vec::len), Some(1), "{cards}");
    (person, cards[0]["number"].as_str().unwrap().to_owned())
}

async fn post_bytes(app: &TestApp, path: &str, media: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(BORDER)
        .header("Content-Type", media)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn a_card_comes_with_the_entry_and_its_seal_verifies_from_json_and_png(app: TestApp) {
    let (person, number) = card_number(&app, "AC9100001").await;
    let (status, file) = app.get(Some(BORDER), &format!("/api/v1/cards/{number}")).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(
        (file["card"]["status"].as_str(), file["card"]["person_id"].as_str()),
        (Some("valid"), Some(person.as_str()))
    );
    assert_eq!(file["holder"]["native_name"]["surname"], "Асанова");
    let (status, log) = app.get(Some(AUDITOR), &format!("/api/v1/audit?person={person}&actor={BORDER}")).await;
    assert_eq!(status, 200, "{log}");
    assert!(log["entries"].as_array().unwrap().iter().any(|e| e["view"] == "cards"), "{log}");

    let svg =
        app.client.get(app.url(&format!("/api/v1/cards/{number}/qr.svg"))).bearer_auth(BORDER).send().await.unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let png =
        app.client.get(app.url(&format!("/api/v1/cards/{number}/qr.png"))).bearer_auth(BORDER).send().await.unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    let png = png.bytes().await.unwrap().to_vec();
    let pdf =
        app.client.get(app.url(&format!("/api/v1/cards/{number}/print"))).bearer_auth(BORDER).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap().to_vec();
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"), "not a whole PDF");
    // The document's title (its XMP metadata) names the card and the holder in Cyrillic.
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains(&format!("{number} — Асанова")), "the PDF's metadata lacks the card and holder");

    let seal = serde_json::to_vec(&file["card"]["seal"]).unwrap();
    let (status, check) = post_bytes(&app, "/api/v1/cards/verify", "application/json", seal.clone()).await;
    assert_eq!(status, 200, "{check}");
    assert_eq!((check["valid"].as_bool(), check["status"].as_str()), (Some(true), Some("valid")), "{check}");
    assert_eq!(check["card"]["number"].as_str(), Some(number.as_str()));
    let (status, check) = post_bytes(&app, "/api/v1/cards/verify", "image/png", png).await;
    assert_eq!((status, check["valid"].as_bool()), (200, Some(true)), "{check}");

    let tampered = String::from_utf8(seal).unwrap().replace("ASANOVA", "ASANOVB");
    let (status, check) = post_bytes(&app, "/api/v1/cards/verify", "application/json", tampered.into_bytes()).await;
    assert_eq!((status, check["valid"].as_bool(), check["code"].as_str()), (200, Some(false), Some("bad_signature")));
    let (status, check) = post_bytes(&app, "/api/v1/cards/verify", "image/png", b"not a png".to_vec()).await;
    assert_eq!((status, check["code"].as_str()), (200, Some("not_a_qr")), "{check}");
    let (status, error) = post_bytes(&app, "/api/v1/cards/verify", "text/plain", b"{}".to_vec()).await;
    assert_eq!((status, error["code"].as_str()), (415, Some("unsupported_media_type")));

    let (status, error) = app.get(Some(BORDER), "/api/v1/cards/KAZ0000000000").await;
    assert_eq!((status, error["code"].as_str()), (404, Some("not_found")));
}

async fn a_card_is_revoked_once_and_then_not_valid(app: TestApp) {
    let (_, number) = card_number(&app, "AC9100002").await;
    let path = format!("/api/v1/cards/{number}/revoke");
    let (status, card) =
        app.send(reqwest::Method::POST, Some(OFFICER), &path, Some(&json!({"note": "reported stolen"}))).await;
    // The officer's role has no default purpose: it states one.
    assert_eq!((status, card["code"].as_str()), (400, Some("read_purpose_required")), "{card}");
    let (status, card) =
        app.send(reqwest::Method::POST, Some(BORDER), &path, Some(&json!({"note": "reported stolen"}))).await;
    assert_eq!(
        (status, card["status"].as_str(), card["revocation"].as_str()),
        (200, Some("revoked"), Some("officer")),
        "{card}"
    );
    let (status, error) = app.send(reqwest::Method::POST, Some(BORDER), &path, Some(&json!({"note": "again"}))).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("card_revoked")));
    let seal = serde_json::to_vec(&card["seal"]).unwrap();
    let (status, check) = post_bytes(&app, "/api/v1/cards/verify", "application/json", seal).await;
    assert_eq!(
        (status, check["valid"].as_bool(), check["status"].as_str(), check["code"].as_str()),
        (200, Some(false), Some("revoked"), Some("revoked"))
    );
}

async fn the_holder_sees_their_status_with_the_three_details_only(app: TestApp) {
    let (_, number) = card_number(&app, "AC9100003").await;
    let right = json!({"document_number": "AC9100003", "card_number": number, "birth_date": "1994-03-08"});
    let (status, me) = app.send(reqwest::Method::POST, None, "/api/v1/self/status", Some(&right)).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!((me["card_status"].as_str(), me["present"].as_bool()), (Some("valid"), Some(true)));
    assert!(me["last_legal_day"].is_string() && me["days_used"].as_u64() == Some(1), "{me}");
    assert_eq!(me["control_register"], json!([]));
    assert_eq!(me["registration_state"], "due", "{me}");
    assert!(me["registration_due"].is_string(), "{me}");

    let mut refusals = Vec::new();
    for wrong in [
        json!({"document_number": "AC9100004", "card_number": number, "birth_date": "1994-03-08"}),
        json!({"document_number": "AC9100003", "card_number": number, "birth_date": "1994-03-09"}),
        json!({"document_number": "AC9100003", "card_number": "KAZ0000000000", "birth_date": "1994-03-08"}),
    ] {
        let (status, error) = app.send(reqwest::Method::POST, None, "/api/v1/self/status", Some(&wrong)).await;
        refusals.push((status, error["code"].clone(), error["message"].clone()));
    }
    assert!(refusals.iter().all(|r| r == &refusals[0]), "one answer whatever is wrong: {refusals:?}");
    assert_eq!((refusals[0].0, refusals[0].1.as_str()), (403, Some("self_service_denied")));
}
