//! Users, browser sessions and the login log, as stored, on both backends.

use jiff::{SignedDuration, Timestamp};
use sapar_model::Role;
use sapar_store::Store;
use sapar_store::accounts::{LoginEvent, LoginEventFilter, LoginOutcome, NewWebSession, SessionEnd, UserRecord};
use sapar_test_support::TestDb;
use uuid::Uuid;

sapar_test_support::on_both_backends!(
    users_are_unique_by_name_listed_by_name_and_disabled_once,
    sessions_are_found_by_secret_hash_touched_and_ended_once,
    disabling_ends_only_that_users_open_sessions,
    failures_are_counted_by_name_and_by_address_since_an_instant,
    login_events_are_listed_newest_first_filtered_and_paged,
);

fn at(minutes: i64) -> Timestamp {
    "2025-06-01T06:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_mins(minutes)
}

fn user(name: &str, role: Role) -> UserRecord {
    UserRecord {
        id: Uuid::now_v7(),
        name: name.into(),
        role,
        created_at: at(0),
        created_by: "ops".into(),
        disabled_at: None,
        disabled_by: None,
    }
}

async fn stored_user(store: &Store, name: &str) -> UserRecord {
    let u = user(name, Role::Officer);
    assert!(store.insert_user(&u, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").await.unwrap());
    u
}

fn session(user: &UserRecord, secret_hash: [u8; 32], minutes: i64) -> NewWebSession {
    NewWebSession {
        id: Uuid::now_v7(),
        secret_hash,
        user_id: user.id,
        csrf_token: format!("csrf-{}", secret_hash[0]),
        created_at: at(minutes),
        address: Some("10.0.0.7".into()),
    }
}

fn event(minutes: i64, name: &str, outcome: LoginOutcome, address: Option<&str>) -> LoginEvent {
    LoginEvent { at: at(minutes), name_tried: name.into(), outcome, address: address.map(str::to_owned) }
}

pub(crate) async fn users_are_unique_by_name_listed_by_name_and_disabled_once(db: TestDb) {
    let store = &db.store;
    let zed = user("zed", Role::Auditor);
    assert!(store.insert_user(&zed, "$argon2id$hash-of-zed").await.unwrap());
    let anna = stored_user(store, "anna").await;
    assert!(!store.insert_user(&user("anna", Role::Admin), "other").await.unwrap(), "the name is taken");
    let names: Vec<String> = store.users().await.unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["anna", "zed"]);
    assert_eq!(store.user_by_name("zed").await.unwrap(), Some(zed.clone()));
    let credentials = store.user_credentials("zed").await.unwrap().unwrap();
    assert_eq!((credentials.user, credentials.password_hash.as_str()), (zed, "$argon2id$hash-of-zed"));
    assert_eq!(store.user_by_name("nobody").await.unwrap(), None);

    assert!(store.disable_user(anna.id, at(5), "ops").await.unwrap());
    assert!(!store.disable_user(anna.id, at(6), "someone-else").await.unwrap(), "disabled once");
    let anna = store.user_by_name("anna").await.unwrap().unwrap();
    assert_eq!((anna.disabled_at, anna.disabled_by.as_deref()), (Some(at(5)), Some("ops")));
    assert!(!store.disable_user(Uuid::now_v7(), at(5), "ops").await.unwrap());
}

pub(crate) async fn sessions_are_found_by_secret_hash_touched_and_ended_once(db: TestDb) {
    let store = &db.store;
    let anna = stored_user(store, "anna").await;
    let new = session(&anna, [1; 32], 0);
    store.insert_web_session(&new).await.unwrap();
    let found = store.web_session_by_secret_hash([1; 32]).await.unwrap().unwrap();
    assert_eq!((found.id, &found.user, found.csrf_token.as_str()), (new.id, &anna, "csrf-1"));
    assert_eq!((found.created_at, found.last_seen_at, found.ended), (at(0), at(0), None));
    assert_eq!(found.address.as_deref(), Some("10.0.0.7"));
    assert!(store.web_session_by_secret_hash([2; 32]).await.unwrap().is_none());

    assert!(store.touch_web_session(new.id, at(3)).await.unwrap());
    assert_eq!(store.web_session_by_secret_hash([1; 32]).await.unwrap().unwrap().last_seen_at, at(3));
    assert!(store.end_web_session(new.id, at(4), SessionEnd::Logout).await.unwrap());
    assert!(!store.end_web_session(new.id, at(5), SessionEnd::Idle).await.unwrap(), "the first end stays");
    assert!(!store.touch_web_session(new.id, at(6)).await.unwrap(), "an ended session is not touched");
    let ended = store.web_session_by_secret_hash([1; 32]).await.unwrap().unwrap();
    assert_eq!((ended.last_seen_at, ended.ended), (at(3), Some((at(4), SessionEnd::Logout))));
}

pub(crate) async fn disabling_ends_only_that_users_open_sessions(db: TestDb) {
    let store = &db.store;
    let (anna, bob) = (stored_user(store, "anna").await, stored_user(store, "bob").await);
    for (user, hash) in [(&anna, 1), (&anna, 2), (&anna, 3), (&bob, 4)] {
        store.insert_web_session(&session(user, [hash; 32], 0)).await.unwrap();
    }
    let logged_out = store.web_session_by_secret_hash([3; 32]).await.unwrap().unwrap().id;
    assert!(store.end_web_session(logged_out, at(1), SessionEnd::Logout).await.unwrap());
    assert_eq!(store.end_web_sessions_of(anna.id, at(2), SessionEnd::Disabled).await.unwrap(), 2);
    let end = |hash: u8| async move { store.web_session_by_secret_hash([hash; 32]).await.unwrap().unwrap().ended };
    assert_eq!(end(1).await, Some((at(2), SessionEnd::Disabled)));
    assert_eq!(end(2).await, Some((at(2), SessionEnd::Disabled)));
    assert_eq!(end(3).await, Some((at(1), SessionEnd::Logout)));
    assert_eq!(end(4).await, None, "another user's session stays open");
}

pub(crate) async fn failures_are_counted_by_name_and_by_address_since_an_instant(db: TestDb) {
    let store = &db.store;
    let anna = stored_user(store, "anna").await;
    let rows = [
        event(0, "anna", LoginOutcome::BadCredentials, Some("10.0.0.1")),
        event(1, "anna", LoginOutcome::Disabled, Some("10.0.0.2")),
        event(2, "anna", LoginOutcome::Success, Some("10.0.0.1")),
        event(3, "anna", LoginOutcome::Throttled, Some("10.0.0.1")),
        event(4, "bob", LoginOutcome::BadCredentials, Some("10.0.0.1")),
        event(5, "anna", LoginOutcome::BadCredentials, None),
        event(6, "anna", LoginOutcome::Logout, Some("10.0.0.1")),
    ];
    for row in &rows {
        store.append_login_event(row, (row.name_tried == "anna").then_some(anna.id)).await.unwrap();
    }
    let by_name = store.login_failures_by_name("anna", at(0)).await.unwrap();
    assert_eq!((by_name.count, by_name.oldest), (3, Some(at(0))), "successes, throttles and logouts do not count");
    let since_one = store.login_failures_by_name("anna", at(1)).await.unwrap();
    assert_eq!((since_one.count, since_one.oldest), (2, Some(at(1))), "the instant itself is inside the window");
    let by_address = store.login_failures_by_address("10.0.0.1", at(0)).await.unwrap();
    assert_eq!((by_address.count, by_address.oldest), (2, Some(at(0))), "failures for any name");
    let none = store.login_failures_by_name("anna", at(6)).await.unwrap();
    assert_eq!((none.count, none.oldest), (0, None));
    assert_eq!(store.login_failures_by_address("10.9.9.9", at(0)).await.unwrap().count, 0);
}

pub(crate) async fn login_events_are_listed_newest_first_filtered_and_paged(db: TestDb) {
    let store = &db.store;
    let rows = [
        event(0, "anna", LoginOutcome::BadCredentials, Some("10.0.0.1")),
        event(1, "anna", LoginOutcome::Success, Some("10.0.0.1")),
        event(1, "bob", LoginOutcome::Success, None),
        event(2, "anna", LoginOutcome::Logout, Some("10.0.0.1")),
        event(3, "bob", LoginOutcome::IdleTimeout, None),
    ];
    for row in &rows {
        store.append_login_event(row, None).await.unwrap();
    }
    let all = store.login_events(&LoginEventFilter::default(), 100, 0).await.unwrap();
    let expected: Vec<LoginEvent> = rows.iter().rev().cloned().collect();
    assert_eq!(all, expected, "newest first; of one instant, the later written first");
    let page = store.login_events(&LoginEventFilter::default(), 2, 1).await.unwrap();
    assert_eq!(page, expected[1..3]);

    let anna = LoginEventFilter { name: Some("anna".into()), ..LoginEventFilter::default() };
    let names: Vec<LoginOutcome> = store.login_events(&anna, 100, 0).await.unwrap().iter().map(|e| e.outcome).collect();
    assert_eq!(names, [LoginOutcome::Logout, LoginOutcome::Success, LoginOutcome::BadCredentials]);
    let successes = LoginEventFilter { outcome: Some(LoginOutcome::Success), ..LoginEventFilter::default() };
    let who: Vec<String> =
        store.login_events(&successes, 100, 0).await.unwrap().into_iter().map(|e| e.name_tried).collect();
    assert_eq!(who, ["bob", "anna"]);
    let period = LoginEventFilter { from: Some(at(1)), until: Some(at(3)), ..LoginEventFilter::default() };
    assert_eq!(store.login_events(&period, 100, 0).await.unwrap(), expected[1..4], "from inclusive, until exclusive");
    let everything = LoginEventFilter {
        name: Some("bob".into()),
        outcome: Some(LoginOutcome::Success),
        from: Some(at(1)),
        until: Some(at(2)),
    };
    assert_eq!(store.login_events(&everything, 100, 0).await.unwrap(), [rows[2].clone()]);
}
