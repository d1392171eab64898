//! Crossings submitted with a raw machine-readable zone instead of structured document fields.

use sapar_identity::{MrzFields, MrzFormat, emit};
use sapar_model::{Country, Sex};
use serde_json::{Value, json};

use crate::support::{BORDER, OFFICER, TestApp};

fn zone(format: MrzFormat, code: &str) -> String {
    let fields = MrzFields {
        format,
        document_code: code.into(),
        issuing_state: Country::KGZ,
        document_number: "AC7654321".into(),
        nationality: Country::KGZ,
        birth_date: Some(jiff::civil::date(1994, 3, 8)),
        sex: Sex::Female,
        expiry_date: jiff::civil::date(2031, 5, 1),
        surname: "ASANOVA".into(),
        given_names: "AIGUL".into(),
        optional_data: String::new(),
        optional_data_2: String::new(),
    };
    emit(&fields).unwrap().lines.join("\n")
}

/// An entry whose document and Latin name come only from the MRZ; the Cyrillic name is typed.
fn entry_with_mrz(mrz: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "direction": "entry",
        "at": "2025-04-01T09:30:00+05:00",
        "crossing_point": "KZ-KORDAY",
        "purpose": "work",
        "mrz": mrz,
        "person": {"native_name": {"surname": "Асанова", "given_names": "Айгүл"}}
    })
}

#[tokio::test]
async fn mrz_fills_document_and_latin_name_and_both_scripts_are_kept() {
    let app = TestApp::start(sapar_test_support::TestDb::sqlite().await).await;
    let (status, recorded) = app.post(BORDER, &entry_with_mrz(&zone(MrzFormat::Td3, "P"))).await;
    assert_eq!(status, 201, "{recorded}");
    let id = recorded["person_id"].as_str().unwrap();
    let (_, person) = app.read(Some(OFFICER), "stay_control", &format!("/api/v1/persons/{id}")).await;
    assert_eq!(person["native_name"]["surname"], "Асанова");
    assert_eq!(person["latin_name"]["surname"], "ASANOVA");
    assert_eq!(person["latin_name"]["given_names"], "AIGUL");
    assert_eq!(person["documents"][0]["type"], "passport");
    assert_eq!(person["documents"][0]["number"], "AC7654321");
    assert_eq!(person["documents"][0]["expiry"], "2031-05-01");
    assert_eq!((person["sex"].as_str(), person["birth_date"].as_str()), (Some("F"), Some("1994-03-08")));
    assert_eq!(person["citizenship"], "KGZ");

    // A TD1 identity card, lines separated by `|` as a one-line form field would send them.
    let card = zone(MrzFormat::Td1, "I").replace('\n', "|");
    let mut body = entry_with_mrz(&card);
    body["id"] = json!(uuid::Uuid::now_v7().to_string());
    let (status, again) = app.post(BORDER, &body).await;
    assert_eq!(status, 201, "{again}");
}

#[tokio::test]
async fn corrupted_contradicted_or_visa_zones_are_refused_and_nothing_is_written() {
    let app = TestApp::start(sapar_test_support::TestDb::sqlite().await).await;
    let good = zone(MrzFormat::Td3, "P");
    // Change the document number's first digit: its check digit no longer matches.
    let corrupted = good.replacen("AC7654321", "AC8654321", 1);
    let (status, err) = app.post(BORDER, &entry_with_mrz(&corrupted)).await;
    assert_eq!((status, err["code"].as_str(), err["field"].as_str()), (422, Some("invalid_mrz"), Some("mrz")));
    assert!(
        err["message"].as_str().unwrap().contains("line 2, position 10, document_number_check_digit: check digit is"),
        "{err}"
    );

    let mut contradicted = entry_with_mrz(&good);
    contradicted["document"] = json!({"number": "AC0000001"});
    let (status, err) = app.post(BORDER, &contradicted).await;
    assert_eq!(
        (status, err["code"].as_str(), err["field"].as_str()),
        (422, Some("mrz_mismatch"), Some("document.number"))
    );

    let (status, err) = app.post(BORDER, &entry_with_mrz(&zone(MrzFormat::MrvA, "V"))).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("mrz_not_identity_document")));

    let (status, err) = app.post(BORDER, &entry_with_mrz("P<KGZASANOVA")).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("invalid_mrz")));
    assert_eq!(app.counts().await, [0, 0, 0]);
}
