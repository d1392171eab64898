//! Test data shared by the storage tests: crossings, names and document numbers.

use jiff::Timestamp;
use sapar_model::{
    Country, CrossingId, CrossingPoint, Direction, DocumentKey, DocumentNumber, DocumentType, FullName,
    IdentityDocument, NamePart, NewCrossing, Outcome, PersonDetails, PersonName, Purpose, Sex, parse_crossing_time,
};
use sapar_store::RecordCrossing;

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
            outcome: Outcome::Crossed,
        },
        recorded_at: Timestamp::now(),
        recorded_by: None,
    }
}

pub(crate) fn number(s: &str) -> DocumentNumber {
    DocumentNumber::parse(s).unwrap()
}

/// Sends each of `statements` (and, on PostgreSQL, each of `postgres_only` too, such as
/// `TRUNCATE`) straight to the database, past the store, and asserts that every one is refused
/// with an error whose message contains `refusal`.
pub(crate) async fn assert_refused_by_the_database(
    store: &sapar_store::Store,
    statements: &[&str],
    postgres_only: &[&str],
    refusal: &str,
) {
    match store {
        sapar_store::Store::Sqlite(s) => {
            let conn = rusqlite::Connection::open(s.path()).unwrap();
            for sql in statements {
                let refused = conn.execute(sql, []).unwrap_err();
                assert!(refused.to_string().contains(refusal), "{sql}: {refused}");
            }
        }
        sapar_store::Store::Postgres(p) => {
            let (client, connection) = tokio_postgres::connect(p.url(), tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            for sql in statements.iter().chain(postgres_only) {
                let refused = client.execute(*sql, &[]).await.unwrap_err();
                let message = refused.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
                assert!(message.contains(refusal), "{sql}: {refused:?}");
            }
        }
    }
}
