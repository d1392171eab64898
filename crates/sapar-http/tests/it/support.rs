//! What the API tests share beyond `sapar-test-support`: the fixture and a valid crossing.

use sapar_test_support::TestDb;
pub(crate) use sapar_test_support::{ANALYST, BORDER, OFFICER, REVOKED, TestApp};
use serde_json::{Value, json};

/// The API over `db` with default settings.
pub(crate) async fn app(db: TestDb) -> TestApp {
    TestApp::start(db).await
}

/// A valid entry of a Kyrgyz traveller at Korday.
pub(crate) fn entry(document: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "direction": "entry",
        "at": "2025-04-01T09:30:00+05:00[Asia/Almaty]",
        "crossing_point": "KZ-KORDAY",
        "purpose": "work",
        "document": {"type": "passport", "number": document, "issuing_state": "KGZ", "expiry": "2031-05-01"},
        "person": {
            "native_name": {"surname": "Асанова", "given_names": "Айгүл", "patronymic": "Бакыт кызы"},
            "latin_name": {"surname": "ASANOVA", "given_names": "AIGUL"},
            "sex": "F",
            "birth_date": "1994-03-08",
            "citizenship": "KGZ"
        }
    })
}
