//! Searching persons: every spelling of a name, bounds on what is typed, roles, and one
//! access-log row per person shown.

use sapar_model::{InputCode, RawCrossing, RawName, ReadPurpose, Role};
use sapar_register::access::view;
use sapar_register::access::{Access, AccessChannel};
use sapar_register::records::AccessFilter;
use sapar_register::search::{MatchedBy, SearchQuery};
use sapar_register::{Actor, RegisterError};

use crate::{Fixture, border, officer};

sapar_test_support::on_both_backends!(crate::fixture =>
    a_name_typed_in_either_script_finds_the_person_and_each_hit_is_logged,
    an_overlong_query_is_refused_and_nothing_is_logged,
    a_role_that_does_not_search_is_refused,
);

fn entry(document: &str, surname: (&str, &str), given: (&str, &str)) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some("entry".into()),
        at: Some("2025-04-01T09:30:00+05:00".into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("work".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some("KAZ".into()),
        native_name: RawName { surname: Some(surname.0.into()), given_names: Some(given.0.into()), patronymic: None },
        latin_name: RawName { surname: Some(surname.1.into()), given_names: Some(given.1.into()), patronymic: None },
        sex: Some("M".into()),
        birth_date: Some("1985-03-04".into()),
        citizenship: Some("KAZ".into()),
        ..RawCrossing::default()
    }
}

fn access(actor: Actor) -> Access {
    Access::new(actor, ReadPurpose::StayControl, AccessChannel::Web)
}

fn text(text: &str) -> SearchQuery {
    SearchQuery { text: text.to_owned(), ..SearchQuery::default() }
}

async fn logged(f: &Fixture) -> Vec<(sapar_model::PersonId, String)> {
    let auditor = Actor::new("audit-1", Role::Auditor);
    // Bounded in time: an open filter's ends of time are out of PostgreSQL's timestamp range.
    let filter = AccessFilter {
        from: Some("2000-01-01T00:00:00Z".parse().unwrap()),
        until: Some("2100-01-01T00:00:00Z".parse().unwrap()),
        ..AccessFilter::default()
    };
    let page = f.register.access_log(&auditor, &filter, 100, 0).await.unwrap();
    page.entries.into_iter().map(|e| (e.person_id, e.view)).collect()
}

async fn a_name_typed_in_either_script_finds_the_person_and_each_hit_is_logged(f: Fixture) {
    let erlan = entry("N1234567", ("Жанұзақов", "ZHANUZAKOV"), ("Ерлан", "YERLAN"));
    let erlan = f.register.record_crossing(&border(), &erlan).await.unwrap().person_id;
    let erzhan = entry("N7654321", ("Жанұзақов", "ZHANUZAKOV"), ("Ержан", "YERZHAN"));
    let erzhan = f.register.record_crossing(&border(), &erzhan).await.unwrap().person_id;
    let reader = access(officer());
    for typed in ["Ерлан", "YERLAN", "ERLAN", "  erlan zhanuz "] {
        let results = f.register.search_persons(&reader, &text(typed)).await.unwrap();
        assert_eq!(results.hits.iter().map(|h| h.person_id).collect::<Vec<_>>(), [erlan], "{typed}");
        assert_eq!(results.hits[0].matched_by, MatchedBy::Name);
        assert!(!results.truncated);
    }
    let by_number = f.register.search_persons(&access(border()), &text("n 123 4567")).await.unwrap();
    assert_eq!(
        by_number.hits.iter().map(|h| (h.person_id, h.matched_by)).collect::<Vec<_>>(),
        [(erlan, MatchedBy::Document)]
    );
    assert_eq!(by_number.hits[0].documents[0].key.number.as_str(), "N1234567");
    assert_eq!(by_number.hits[0].details.name.latin().unwrap().given_names.as_ref().unwrap().as_str(), "YERLAN");

    let before = logged(&f).await.len();
    let family =
        f.register.search_persons(&reader, &SearchQuery { limit: Some(1), ..text("Жанұзақов") }).await.unwrap();
    assert_eq!((family.hits.len(), family.truncated), (1, true));
    let both = f.register.search_persons(&reader, &text("ZHANUZAKOV")).await.unwrap();
    let mut shown: Vec<_> = both.hits.iter().map(|h| h.person_id).collect();
    shown.sort_by_key(|id| id.as_uuid());
    let mut expected = vec![erlan, erzhan];
    expected.sort_by_key(|id| id.as_uuid());
    assert_eq!(shown, expected);
    // One row per hit shown: one for the truncated search, two for the other.
    let log = logged(&f).await;
    assert_eq!(log.len() - before, 3);
    assert!(log.iter().all(|(_, shown)| shown == view::SEARCH_HIT));
    let mut last_two: Vec<_> = log.iter().take(2).map(|(id, _)| *id).collect();
    last_two.sort_by_key(|id| id.as_uuid());
    assert_eq!(last_two, expected, "newest first");
    // A search finding nobody logs nothing.
    assert!(f.register.search_persons(&reader, &text("Петров")).await.unwrap().hits.is_empty());
    assert_eq!(logged(&f).await.len(), log.len());
}

async fn an_overlong_query_is_refused_and_nothing_is_logged(f: Fixture) {
    let erlan = entry("N1234567", ("Жанұзақов", "ZHANUZAKOV"), ("Ерлан", "YERLAN"));
    f.register.record_crossing(&border(), &erlan).await.unwrap();
    let reader = access(officer());
    let long = "Ерлан ".repeat(2000);
    let refused = f.register.search_persons(&reader, &text(&long)).await;
    assert!(
        matches!(&refused, Err(RegisterError::Invalid(e)) if e.code == InputCode::TooLong && e.field == "q"),
        "{refused:?}"
    );
    let blank = f.register.search_persons(&reader, &text(" ,  ")).await;
    assert!(matches!(&blank, Err(RegisterError::Invalid(e)) if e.code == InputCode::MissingField && e.field == "q"));
    let words = f.register.search_persons(&reader, &text("a b c d e f g h i")).await;
    assert!(matches!(&words, Err(RegisterError::Invalid(e)) if e.code == InputCode::TooLong));
    assert!(logged(&f).await.is_empty());
}

async fn a_role_that_does_not_search_is_refused(f: Fixture) {
    let erlan = entry("N1234567", ("Жанұзақов", "ZHANUZAKOV"), ("Ерлан", "YERLAN"));
    f.register.record_crossing(&border(), &erlan).await.unwrap();
    for role in [Role::Analyst, Role::Auditor, Role::Signatory, Role::Admin] {
        let refused = f.register.search_persons(&access(Actor::new("someone", role)), &text("Ерлан")).await;
        assert!(matches!(refused, Err(RegisterError::Forbidden { .. })), "{role:?}");
    }
    let exchange = f.register.search_persons(&access(Actor::new("x.officer", Role::Exchange)), &text("Ерлан")).await;
    assert_eq!(exchange.unwrap().hits.len(), 1);
    assert_eq!(logged(&f).await.len(), 1);
}
