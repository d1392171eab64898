//! Users, logins, browser sessions, throttling and the login log, on both backends, with the
//! register's clock moved by hand.

use std::net::IpAddr;

use jiff::SignedDuration;
use sapar_model::Role;
use sapar_register::Actor;
use sapar_register::accounts::{
    LoginError, LoginEventFilter, LoginOutcome, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_NAME, SessionError,
    THROTTLE_WINDOW, UserError,
};

use crate::{Fixture, admin, officer};

sapar_test_support::on_both_backends!(crate::fixture =>
    users_are_created_by_admins_only_with_names_unique_whatever_their_case,
    a_wrong_password_an_unknown_name_and_a_disabled_user_are_refused_alike,
    the_sixth_attempt_with_the_right_password_is_throttled_until_the_oldest_failure_leaves,
    twenty_failures_from_one_address_throttle_every_name_tried_from_it,
    a_session_used_within_the_idle_limit_lives_on_and_one_idle_past_it_ends,
    logout_ends_the_session_once_and_an_unknown_secret_is_no_error,
    disabling_a_user_ends_their_sessions_and_refuses_their_logins,
    neither_passwords_nor_session_secrets_are_stored_in_clear,
    the_login_log_is_read_by_auditors_and_admins_newest_first,
);

const PASSWORD: &str = "correct horse battery staple";
const IDLE: SignedDuration = SignedDuration::from_mins(30);

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().unwrap())
}

async fn with_user(f: &Fixture, name: &str, role: Role) {
    f.register.create_user(&admin(), name, role, PASSWORD).await.unwrap();
}

async fn outcomes(f: &Fixture) -> Vec<LoginOutcome> {
    let events = f.register.login_events(&admin(), &LoginEventFilter::default(), 1000, 0).await.unwrap();
    events.into_iter().rev().map(|e| e.outcome).collect()
}

async fn users_are_created_by_admins_only_with_names_unique_whatever_their_case(f: Fixture) {
    let created = f.register.create_user(&admin(), "A.Sadykova", Role::Officer, PASSWORD).await.unwrap();
    assert_eq!(
        (created.name.as_str(), created.role, created.created_by.as_str()),
        ("a.sadykova", Role::Officer, "ops")
    );
    assert_eq!((created.created_at, created.disabled_at), (f.register.now(), None));
    let taken = f.register.create_user(&admin(), "A.SADYKOVA", Role::Auditor, PASSWORD).await;
    assert!(matches!(taken, Err(UserError::NameTaken(name)) if name == "a.sadykova"));
    let forbidden = f.register.create_user(&officer(), "b.user", Role::Admin, PASSWORD).await;
    assert!(matches!(forbidden, Err(UserError::Forbidden { role: "officer", .. })));
    let invalid = f.register.create_user(&admin(), "a sadykova", Role::Officer, PASSWORD).await;
    assert!(matches!(invalid, Err(UserError::InvalidName)));
    let weak = f.register.create_user(&admin(), "c.user", Role::Officer, "short").await;
    assert!(matches!(weak, Err(UserError::WeakPassword(_))));
    with_user(&f, "auditor-1", Role::Auditor).await;

    let names: Vec<String> = f.register.users(&admin()).await.unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["a.sadykova", "auditor-1"], "by name; nothing refused was created");
    assert!(matches!(f.register.users(&officer()).await, Err(UserError::Forbidden { .. })));
    // A name logs in whatever its case.
    let session = f.register.login(" A.SadyKova ", PASSWORD, None).await.unwrap();
    assert_eq!(session.user, created);
}

async fn a_wrong_password_an_unknown_name_and_a_disabled_user_are_refused_alike(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    with_user(&f, "gone", Role::Officer).await;
    f.register.disable_user(&admin(), "gone").await.unwrap();
    let wrong_password = f.register.login("anna", "not the password", None).await.unwrap_err();
    let unknown_name = f.register.login("nobody", PASSWORD, None).await.unwrap_err();
    let disabled = f.register.login("gone", PASSWORD, None).await.unwrap_err();
    for refused in [&wrong_password, &unknown_name, &disabled] {
        assert!(matches!(refused, LoginError::Refused), "{refused:?}");
        assert_eq!(refused.to_string(), wrong_password.to_string());
    }
    let too_long = f.register.login("anna", &"x".repeat(5000), None).await;
    assert!(matches!(too_long, Err(LoginError::Refused)));
    // The log tells them apart for the auditor.
    assert_eq!(
        outcomes(&f).await,
        [
            LoginOutcome::BadCredentials,
            LoginOutcome::BadCredentials,
            LoginOutcome::Disabled,
            LoginOutcome::BadCredentials
        ]
    );
}

async fn the_sixth_attempt_with_the_right_password_is_throttled_until_the_oldest_failure_leaves(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    let first_failure = f.register.now();
    for _ in 0..MAX_FAILURES_PER_NAME {
        assert!(matches!(f.register.login("anna", "guess", ip("10.0.0.1")).await, Err(LoginError::Refused)));
        f.clock.advance(SignedDuration::from_mins(1));
    }
    // Five failures at minutes 0 to 4; the sixth attempt, at minute 5, has the right password
    // and another address, and is not heard.
    let sixth = f.register.login("ANNA", PASSWORD, ip("10.0.0.2")).await;
    assert!(
        matches!(sixth, Err(LoginError::Throttled { retry_after }) if retry_after == SignedDuration::from_mins(10)),
        "{sixth:?}"
    );
    f.clock.set(first_failure + THROTTLE_WINDOW - SignedDuration::from_micros(1));
    let just_before = f.register.login("anna", PASSWORD, None).await;
    assert!(
        matches!(just_before, Err(LoginError::Throttled { retry_after }) if retry_after == SignedDuration::from_micros(1)),
        "{just_before:?}"
    );
    // Throttled attempts are not failures: once the first failure leaves, four remain.
    f.clock.set(first_failure + THROTTLE_WINDOW);
    f.register.login("anna", PASSWORD, None).await.unwrap();
    let bad = LoginOutcome::BadCredentials;
    let throttled = LoginOutcome::Throttled;
    assert_eq!(outcomes(&f).await, [bad, bad, bad, bad, bad, throttled, throttled, LoginOutcome::Success]);
}

async fn twenty_failures_from_one_address_throttle_every_name_tried_from_it(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    for i in 0..MAX_FAILURES_PER_ADDRESS {
        let name = format!("guess-{i}");
        assert!(matches!(f.register.login(&name, PASSWORD, ip("192.0.2.7")).await, Err(LoginError::Refused)));
        f.clock.advance(SignedDuration::from_secs(10));
    }
    let from_there = f.register.login("anna", PASSWORD, ip("192.0.2.7")).await;
    assert!(matches!(from_there, Err(LoginError::Throttled { .. })), "{from_there:?}");
    f.register.login("anna", PASSWORD, ip("192.0.2.8")).await.unwrap();
    f.register.login("anna", PASSWORD, None).await.unwrap();
    f.clock.advance(THROTTLE_WINDOW);
    f.register.login("anna", PASSWORD, ip("192.0.2.7")).await.unwrap();
}

async fn a_session_used_within_the_idle_limit_lives_on_and_one_idle_past_it_ends(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    let opened = f.register.login("anna", PASSWORD, ip("10.0.0.1")).await.unwrap();
    let started = f.register.now();
    // Used every half hour to the microsecond for two hours: each use restarts the idle time.
    for _ in 0..4 {
        f.clock.advance(IDLE);
        let session = f.register.session(&opened.secret, IDLE).await.unwrap();
        assert_eq!((session.actor, session.user_id), (Actor::new("anna", Role::Officer), opened.user.id));
        assert_eq!((session.csrf_token.as_str(), session.started_at), (opened.csrf_token.as_str(), started));
    }
    f.clock.advance(IDLE + SignedDuration::from_micros(1));
    assert!(matches!(f.register.session(&opened.secret, IDLE).await, Err(SessionError::Idle)));
    assert!(matches!(f.register.session(&opened.secret, IDLE).await, Err(SessionError::Idle)), "it stays ended");
    assert!(matches!(f.register.session("no-such-secret", IDLE).await, Err(SessionError::Unknown)));
    assert_eq!(outcomes(&f).await, [LoginOutcome::Success, LoginOutcome::IdleTimeout], "the timeout logged once");
    let events = f.register.login_events(&admin(), &LoginEventFilter::default(), 1, 0).await.unwrap();
    assert_eq!((events[0].at, events[0].address.as_deref()), (f.register.now(), Some("10.0.0.1")));
}

async fn logout_ends_the_session_once_and_an_unknown_secret_is_no_error(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    let first = f.register.login("anna", PASSWORD, None).await.unwrap();
    let second = f.register.login("anna", PASSWORD, None).await.unwrap();
    assert_ne!(first.secret, second.secret);
    assert_ne!(first.csrf_token, second.csrf_token);
    f.register.logout(&first.secret).await.unwrap();
    f.register.logout(&first.secret).await.unwrap();
    f.register.logout("no-such-secret").await.unwrap();
    assert!(matches!(f.register.session(&first.secret, IDLE).await, Err(SessionError::Ended)));
    f.register.session(&second.secret, IDLE).await.unwrap();
    assert_eq!(outcomes(&f).await, [LoginOutcome::Success, LoginOutcome::Success, LoginOutcome::Logout]);
}

async fn disabling_a_user_ends_their_sessions_and_refuses_their_logins(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    with_user(&f, "root-2", Role::Admin).await;
    let opened = f.register.login("anna", PASSWORD, None).await.unwrap();
    let admin_session = f.register.login("root-2", PASSWORD, None).await.unwrap();
    let web_admin = f.register.session(&admin_session.secret, IDLE).await.unwrap().actor;

    let as_officer = f.register.disable_user(&officer(), "anna").await;
    assert!(matches!(as_officer, Err(UserError::Forbidden { .. })));
    let themselves = f.register.disable_user(&web_admin, "ROOT-2").await;
    assert!(matches!(themselves, Err(UserError::Forbidden { role: "admin", .. })), "{themselves:?}");
    assert!(
        matches!(f.register.disable_user(&web_admin, "nobody").await, Err(UserError::NotFound(n)) if n == "nobody")
    );

    let disabled = f.register.disable_user(&web_admin, "Anna").await.unwrap();
    assert_eq!((disabled.disabled_at, disabled.disabled_by.as_deref()), (Some(f.register.now()), Some("root-2")));
    assert!(matches!(f.register.disable_user(&web_admin, "anna").await, Err(UserError::AlreadyDisabled(_))));
    assert!(matches!(f.register.session(&opened.secret, IDLE).await, Err(SessionError::Disabled)));
    assert!(matches!(f.register.login("anna", PASSWORD, None).await, Err(LoginError::Refused)));
    f.register.session(&admin_session.secret, IDLE).await.unwrap();
    let listed = f.register.users(&web_admin).await.unwrap();
    assert_eq!(listed.iter().find(|u| u.name == "anna"), Some(&disabled));
}

async fn neither_passwords_nor_session_secrets_are_stored_in_clear(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    let opened = f.register.login("anna", PASSWORD, ip("10.0.0.1")).await.unwrap();
    f.register.session(&opened.secret, IDLE).await.unwrap();
    assert!(!f.db.holds_text(PASSWORD).await, "the password is stored in clear");
    assert!(!f.db.holds_text(&opened.secret).await, "the session secret is stored in clear");
    // The scan finds what is stored: the CSRF token is kept as it is, to compare forms with.
    assert!(f.db.holds_text(&opened.csrf_token).await, "the scan does not see stored text");
    assert!(f.db.holds_text("$argon2id$v=19$m=19456,t=2,p=1$").await);
}

async fn the_login_log_is_read_by_auditors_and_admins_newest_first(f: Fixture) {
    with_user(&f, "anna", Role::Officer).await;
    let auditor = Actor::new("aud", Role::Auditor);
    let _ = f.register.login("anna", "wrong password", ip("10.0.0.1")).await;
    f.clock.advance(SignedDuration::from_mins(1));
    let opened = f.register.login("anna", PASSWORD, ip("2001:db8::1")).await.unwrap();
    f.clock.advance(SignedDuration::from_mins(1));
    f.register.logout(&opened.secret).await.unwrap();
    let _ = f.register.login("bob", "whatever it is", None).await;

    let anna = LoginEventFilter { name: Some("ANNA".into()), ..LoginEventFilter::default() };
    let events = f.register.login_events(&auditor, &anna, 10, 0).await.unwrap();
    let seen: Vec<(LoginOutcome, Option<&str>)> = events.iter().map(|e| (e.outcome, e.address.as_deref())).collect();
    assert_eq!(
        seen,
        [
            (LoginOutcome::Logout, Some("2001:db8::1")),
            (LoginOutcome::Success, Some("2001:db8::1")),
            (LoginOutcome::BadCredentials, Some("10.0.0.1"))
        ]
    );
    let failures = LoginEventFilter { outcome: Some(LoginOutcome::BadCredentials), ..LoginEventFilter::default() };
    let names: Vec<String> =
        f.register.login_events(&auditor, &failures, 10, 0).await.unwrap().into_iter().map(|e| e.name_tried).collect();
    assert_eq!(names, ["bob", "anna"]);
    assert_eq!(f.register.login_events(&admin(), &LoginEventFilter::default(), 2, 3).await.unwrap().len(), 1);
    let refused = f.register.login_events(&officer(), &LoginEventFilter::default(), 10, 0).await;
    assert!(matches!(refused, Err(UserError::Forbidden { role: "officer", .. })));
}
