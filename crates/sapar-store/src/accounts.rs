//! Accounts of the officers' web workplace as stored: users with their password hash, browser
//! sessions known only by the SHA-256 of their cookie secret, and the login log the throttle counts
//! failures in. The rules (who may, how long a session stays idle, when to throttle) are the
//! register's; here each statement is written once for both backends and each row decoded once.

use jiff::Timestamp;
use sapar_model::Role;
use uuid::Uuid;

use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::{Store, decode};

/// A user of the web workplace, without the password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: Uuid,
    /// Lowercased: unique whatever the case it is typed in.
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
    /// The actor who created the user.
    pub created_by: String,
    pub disabled_at: Option<Timestamp>,
    pub disabled_by: Option<String>,
}

/// A user with the Argon2id PHC string their password is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCredentials {
    pub user: UserRecord,
    pub password_hash: String,
}

/// Why a browser session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The user logged out.
    Logout,
    /// Nothing was asked with it for longer than the idle limit.
    Idle,
    /// The user was disabled.
    Disabled,
}

impl SessionEnd {
    pub const ALL: [SessionEnd; 3] = [SessionEnd::Logout, SessionEnd::Idle, SessionEnd::Disabled];

    /// Stable identifier, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::Logout => "logout",
            SessionEnd::Idle => "idle",
            SessionEnd::Disabled => "disabled",
        }
    }

    pub fn parse(s: &str) -> Option<SessionEnd> {
        SessionEnd::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// A browser session to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebSession {
    pub id: Uuid,
    /// SHA-256 of the cookie secret; the secret itself is never stored.
    pub secret_hash: [u8; 32],
    pub user_id: Uuid,
    pub csrf_token: String,
    pub created_at: Timestamp,
    /// The client address it was opened from.
    pub address: Option<String>,
}

/// A stored browser session with its user as they are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSessionRecord {
    pub id: Uuid,
    pub user: UserRecord,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// When and why it ended; `None` while open.
    pub ended: Option<(Timestamp, SessionEnd)>,
    pub address: Option<String>,
}

/// What became of a login attempt, or how a session ended, as the login log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoginOutcome {
    Success,
    /// Unknown name or wrong password.
    BadCredentials,
    /// The right password for a disabled user.
    Disabled,
    /// Refused unheard: too many recent failures for the name or from the address.
    Throttled,
    Logout,
    /// A session ended for being idle too long.
    IdleTimeout,
}

impl LoginOutcome {
    pub const ALL: [LoginOutcome; 6] = [
        LoginOutcome::Success,
        LoginOutcome::BadCredentials,
        LoginOutcome::Disabled,
        LoginOutcome::Throttled,
        LoginOutcome::Logout,
        LoginOutcome::IdleTimeout,
    ];

    /// Stable identifier, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            LoginOutcome::Success => "success",
            LoginOutcome::BadCredentials => "bad_credentials",
            LoginOutcome::Disabled => "disabled",
            LoginOutcome::Throttled => "throttled",
            LoginOutcome::Logout => "logout",
            LoginOutcome::IdleTimeout => "idle_timeout",
        }
    }

    pub fn parse(s: &str) -> Option<LoginOutcome> {
        LoginOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether the throttle counts it: an attempt with a wrong password or name, or on a disabled
    /// user.
    pub fn is_failure(self) -> bool {
        matches!(self, LoginOutcome::BadCredentials | LoginOutcome::Disabled)
    }
}

/// A row of the login log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginEvent {
    pub at: Timestamp,
    /// The name as typed, lowercased (and cut to the longest valid name).
    pub name_tried: String,
    pub outcome: LoginOutcome,
    /// The client address, when known.
    pub address: Option<String>,
}

/// Which rows of the login log to list; every field left `None` admits all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginEventFilter {
    /// Exactly this name tried.
    pub name: Option<String>,
    pub outcome: Option<LoginOutcome>,
    /// From this instant on (inclusive).
    pub from: Option<Timestamp>,
    /// Before this instant (exclusive).
    pub until: Option<Timestamp>,
}

/// The failures counted in a throttle window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureWindow {
    pub count: u64,
    /// The earliest failure in the window.
    pub oldest: Option<Timestamp>,
}

/// The user columns [`user_at`] reads, of `users u`.
macro_rules! user_columns {
    () => {
        "u.id, u.name, u.role, u.created_at, u.created_by, u.disabled_at, u.disabled_by"
    };
}

const INSERT_USER: &str = "INSERT INTO users (id, name, role, password_hash, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
const USERS: &str = concat!("SELECT ", user_columns!(), " FROM users u ORDER BY u.name");
const USER_BY_NAME: &str = concat!("SELECT ", user_columns!(), " FROM users u WHERE u.name = $1");
const CREDENTIALS_BY_NAME: &str =
    concat!("SELECT ", user_columns!(), ", u.password_hash FROM users u WHERE u.name = $1");
const DISABLE_USER: &str = "UPDATE users SET disabled_at = $2, disabled_by = $3 WHERE id = $1 AND disabled_at IS NULL";

const INSERT_SESSION: &str = "INSERT INTO web_sessions (id, secret_hash, user_id, csrf_token, created_at,
         last_seen_at, address)
     VALUES ($1, $2, $3, $4, $5, $5, $6)";
const SESSION_BY_SECRET_HASH: &str = concat!(
    "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, s.ended_at, s.ended_why, s.address, ",
    user_columns!(),
    " FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = $1"
);
const TOUCH_SESSION: &str = "UPDATE web_sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL";
const END_SESSION: &str = "UPDATE web_sessions SET ended_at = $2, ended_why = $3 WHERE id = $1 AND ended_at IS NULL";
const END_SESSIONS_OF_USER: &str =
    "UPDATE web_sessions SET ended_at = $2, ended_why = $3 WHERE user_id = $1 AND ended_at IS NULL";

const INSERT_LOGIN_EVENT: &str =
    "INSERT INTO login_events (at, name_tried, user_id, outcome, address) VALUES ($1, $2, $3, $4, $5)";
// The outcome list is the partial indexes' condition, word for word, so that they serve these.
const FAILURES_BY_NAME: &str = "SELECT COUNT(*), MIN(at) FROM login_events
     WHERE name_tried = $1 AND at >= $2 AND outcome IN ('bad_credentials', 'disabled')";
const FAILURES_BY_ADDRESS: &str = "SELECT COUNT(*), MIN(at) FROM login_events
     WHERE address = $1 AND at >= $2 AND outcome IN ('bad_credentials', 'disabled')";
// Each optional filter is compared first, so that PostgreSQL infers the parameter's type.
const LOGIN_EVENTS: &str = "SELECT at, name_tried, outcome, address FROM login_events
     WHERE (name_tried = $1 OR $1 IS NULL) AND (outcome = $2 OR $2 IS NULL)
       AND (at >= $3 OR $3 IS NULL) AND (at < $4 OR $4 IS NULL)
     ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6";

/// The user from the columns of [`user_columns`] at `first`.
fn user_at(r: &impl Row, first: usize) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: r.col(first)?,
        name: r.col(first + 1)?,
        role: decode::role(&r.col::<String>(first + 2)?)?,
        created_at: r.col(first + 3)?,
        created_by: r.col(first + 4)?,
        disabled_at: r.col(first + 5)?,
        disabled_by: r.col(first + 6)?,
    })
}

impl Decode for UserRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        user_at(r, 0)
    }
}

impl Decode for UserCredentials {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(UserCredentials { user: user_at(r, 0)?, password_hash: r.col(7)? })
    }
}

impl Decode for WebSessionRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let ended = match (r.col::<Option<Timestamp>>(4)?, r.col::<Option<String>>(5)?) {
            (Some(at), Some(why)) => {
                Some((at, SessionEnd::parse(&why).ok_or_else(|| StoreError::Corrupt(format!("session end {why:?}")))?))
            }
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("a session's end without its reason, or the reverse".into())),
        };
        Ok(WebSessionRecord {
            id: r.col(0)?,
            csrf_token: r.col(1)?,
            created_at: r.col(2)?,
            last_seen_at: r.col(3)?,
            ended,
            address: r.col(6)?,
            user: user_at(r, 7)?,
        })
    }
}

impl Decode for LoginEvent {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let outcome: String = r.col(2)?;
        Ok(LoginEvent {
            at: r.col(0)?,
            name_tried: r.col(1)?,
            outcome: LoginOutcome::parse(&outcome)
                .ok_or_else(|| StoreError::Corrupt(format!("login outcome {outcome:?}")))?,
            address: r.col(3)?,
        })
    }
}

impl Decode for FailureWindow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let count: i64 = r.col(0)?;
        Ok(FailureWindow {
            count: u64::try_from(count).map_err(|_| StoreError::Corrupt(format!("failure count {count}")))?,
            oldest: r.col(1)?,
        })
    }
}

impl Store {
    /// Stores a new user with the PHC string of their password; false if the name is taken.
    pub async fn insert_user(&self, user: &UserRecord, password_hash: &str) -> Result<bool, StoreError> {
        let params: Vec<Param> = vec![
            user.id.into(),
            user.name.as_str().into(),
            user.role.as_str().into(),
            password_hash.into(),
            user.created_at.into(),
            user.created_by.as_str().into(),
        ];
        Ok(self.write(INSERT_USER, params).await? == 1)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.read(USERS, Vec::new()).await
    }

    /// The user with this (stored, lowercased) name.
    pub async fn user_by_name(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        self.read_opt(USER_BY_NAME, vec![name.into()]).await
    }

    /// The user with this name and the hash their password is checked against.
    pub async fn user_credentials(&self, name: &str) -> Result<Option<UserCredentials>, StoreError> {
        self.read_opt(CREDENTIALS_BY_NAME, vec![name.into()]).await
    }

    /// Marks the user disabled at `at` by `by`; false when they were already disabled or do not
    /// exist.
    pub async fn disable_user(&self, id: Uuid, at: Timestamp, by: &str) -> Result<bool, StoreError> {
        Ok(self.write(DISABLE_USER, vec![id.into(), at.into(), by.into()]).await? == 1)
    }

    /// Stores a new session, open and last seen at its creation.
    pub async fn insert_web_session(&self, session: &NewWebSession) -> Result<(), StoreError> {
        let params: Vec<Param> = vec![
            session.id.into(),
            session.secret_hash.as_slice().into(),
            session.user_id.into(),
            session.csrf_token.as_str().into(),
            session.created_at.into(),
            session.address.clone().into(),
        ];
        self.write(INSERT_SESSION, params).await?;
        Ok(())
    }

    /// The session whose cookie secret hashes to `hash`, open or ended, with its user.
    pub async fn web_session_by_secret_hash(&self, hash: [u8; 32]) -> Result<Option<WebSessionRecord>, StoreError> {
        self.read_opt(SESSION_BY_SECRET_HASH, vec![hash.as_slice().into()]).await
    }

    /// Records that the open session was used at `at`; false when it has ended.
    pub async fn touch_web_session(&self, id: Uuid, at: Timestamp) -> Result<bool, StoreError> {
        Ok(self.write(TOUCH_SESSION, vec![id.into(), at.into()]).await? == 1)
    }

    /// Ends the open session; false when it had already ended (the first end stays).
    pub async fn end_web_session(&self, id: Uuid, at: Timestamp, why: SessionEnd) -> Result<bool, StoreError> {
        Ok(self.write(END_SESSION, vec![id.into(), at.into(), why.as_str().into()]).await? == 1)
    }

    /// Ends every open session of a user; how many there were.
    pub async fn end_web_sessions_of(&self, user_id: Uuid, at: Timestamp, why: SessionEnd) -> Result<u64, StoreError> {
        self.write(END_SESSIONS_OF_USER, vec![user_id.into(), at.into(), why.as_str().into()]).await
    }

    /// Appends a row to the login log, for the user when known.
    pub async fn append_login_event(&self, event: &LoginEvent, user_id: Option<Uuid>) -> Result<(), StoreError> {
        let params: Vec<Param> = vec![
            event.at.into(),
            event.name_tried.as_str().into(),
            user_id.into(),
            event.outcome.as_str().into(),
            event.address.clone().into(),
        ];
        self.write(INSERT_LOGIN_EVENT, params).await?;
        Ok(())
    }

    /// Failed logins (wrong name or password, disabled user) with this name tried since `since`.
    pub async fn login_failures_by_name(&self, name: &str, since: Timestamp) -> Result<FailureWindow, StoreError> {
        Ok(self.read_opt(FAILURES_BY_NAME, vec![name.into(), since.into()]).await?.unwrap_or_default())
    }

    /// Failed logins from this address since `since`.
    pub async fn login_failures_by_address(
        &self,
        address: &str,
        since: Timestamp,
    ) -> Result<FailureWindow, StoreError> {
        Ok(self.read_opt(FAILURES_BY_ADDRESS, vec![address.into(), since.into()]).await?.unwrap_or_default())
    }

    /// The login log, newest first, filtered and paged.
    pub async fn login_events(
        &self,
        filter: &LoginEventFilter,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<LoginEvent>, StoreError> {
        let params: Vec<Param> = vec![
            filter.name.clone().into(),
            filter.outcome.map(|o| o.as_str().to_owned()).into(),
            filter.from.into(),
            filter.until.into(),
            i64::from(limit).into(),
            i64::from(offset).into(),
        ];
        self.read(LOGIN_EVENTS, params).await
    }
}
