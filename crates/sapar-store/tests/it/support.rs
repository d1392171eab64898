//! Fresh stores for each test: a temporary SQLite file, or a new PostgreSQL schema.

use jiff::Timestamp;
use sapar_model::{
    Country, CrossingId, CrossingPoint, Direction, DocumentKey, DocumentNumber, DocumentType, FullName,
    IdentityDocument, NamePart, NewCrossing, PersonDetails, PersonName, Purpose, Sex, parse_crossing_time,
};
use sapar_store::{RecordCrossing, Store};

pub(crate) async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("register.db").display());
    (Store::open(&url).await.unwrap(), dir)
}

/// A store in a schema of its own, or `None` (skip) when no server is configured outside CI.
pub(crate) async fn postgres() -> Option<Store> {
    let base = match std::env::var("SAPAR_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but SAPAR_TEST_POSTGRES is not set: the PostgreSQL suite must run in CI"
            );
            eprintln!("SAPAR_TEST_POSTGRES not set: skipping the PostgreSQL contract test");
            return None;
        }
    };
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at SAPAR_TEST_POSTGRES is unreachable: {e}"));
    tokio::spawn(connection);
    client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.unwrap();
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options=-csearch_path%3D{schema}");
    Some(Store::open(&url).await.unwrap())
}

pub(crate) fn name(surname: &str, given: Option<&str>, patronymic: Option<&str>) -> FullName {
    FullName {
        surname: NamePart::parse(surname).unwrap(),
        given_names: given.map(|g| NamePart::parse(g).unwrap()),
        patronymic: patronymic.map(|p| NamePart::parse(p).unwrap()),
    }
}

/// A crossing of the holder of `document` (a `KAZ:N123` reference) at `at` (RFC 3339 / 9557).
pub(crate) fn crossing(document: &str, direction: Direction, at: &str) -> RecordCrossing {
    let key = DocumentKey::parse_reference(document).unwrap();
    RecordCrossing {
        id: CrossingId::new_v7(),
        crossing: NewCrossing {
            direction,
            at: parse_crossing_time(at).unwrap(),
            point: CrossingPoint::parse("KZ-ALA-AIR").unwrap(),
            purpose: Purpose::Work,
            document: IdentityDocument {
                document_type: DocumentType::Passport,
                key,
                expiry: Some(jiff::civil::date(2030, 1, 1)),
            },
            person: PersonDetails {
                name: PersonName::new(
                    Some(name("Иванов", Some("Иван"), Some("Иванович"))),
                    Some(name("IVANOV", Some("IVAN"), None)),
                )
                .unwrap(),
                sex: Sex::Male,
                birth_date: Some(jiff::civil::date(1990, 5, 17)),
                citizenship: Country::KGZ,
            },
        },
        recorded_at: Timestamp::now(),
        recorded_by: None,
    }
}

pub(crate) fn number(s: &str) -> DocumentNumber {
    DocumentNumber::parse(s).unwrap()
}
