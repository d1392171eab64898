//! Accounts of the officers' web workplace: users with Argon2id passwords, logging in and out,
//! browser sessions that end after inactivity, the throttle on guessing, and the login log.
//!
//! - **Names** hold 1 to [`MAX_NAME_CHARS`] letters (any script), digits, `.`, `-` or `_`. They are
//!   stored lowercased (Unicode lowercasing), and a name typed at login is lowercased the same
//!   way, so `A.Sadykova` and `a.sadykova` are one user.
//! - **Passwords** hold at least [`MIN_PASSWORD_CHARS`] characters and at most
//!   [`MAX_PASSWORD_BYTES`] bytes. They are stored as Argon2id PHC strings (m = 19456 KiB, t = 2,
//!   p = 1, a random 16-byte salt), hashed and verified on tokio's blocking pool. A name that
//!   does not exist is verified against a fixed hash of the same cost, so the time a refusal
//!   takes does not tell which names exist; nor does its error, [`LoginError::Refused`].
//! - **Throttling** counts failures in the login log, so it holds across restarts and between
//!   processes: [`MAX_FAILURES_PER_NAME`] for one name, or [`MAX_FAILURES_PER_ADDRESS`] from one
//!   address, within [`THROTTLE_WINDOW`] refuse every further attempt unheard, even with the
//!   right password, until the oldest of them leaves the window. Throttled attempts are logged
//!   but not counted as failures, so a steady guesser gets the limit per window and no more.
//! - **Sessions** are known by a cookie secret of 32 random bytes (base64url, no padding), of
//!   which only the SHA-256 is stored; each has a CSRF token of the same strength. A session ends
//!   at logout, when its user is disabled, or when it is used after being idle for longer than
//!   the front end's limit.
//!
//! Every login attempt and its outcome, every logout and every idle timeout is a row of the login
//! log, stamped by the register's clock.

use std::net::IpAddr;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use sapar_model::Role;
use sapar_store::StoreError;
use sapar_store::accounts::{NewWebSession, SessionEnd, UserCredentials};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use sapar_store::accounts::{LoginEvent, LoginEventFilter, LoginOutcome, UserRecord};

use crate::{Actor, Register};

/// Longest user name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Shortest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password, in bytes (UTF-8): hashing is not offered unbounded input.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// How long a failed login counts toward throttling: from its instant to just before this much
/// later.
pub const THROTTLE_WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// Failures for one name within [`THROTTLE_WINDOW`] after which attempts on it are throttled.
pub const MAX_FAILURES_PER_NAME: u64 = 5;
/// Failures from one address within [`THROTTLE_WINDOW`] (for any names) after which attempts
/// from it are throttled.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;

/// The idle limit front ends pass to [`Register::session`] unless configured otherwise: a
/// session not used for longer is ended (OWASP's range for applications holding personal data).
pub const DEFAULT_IDLE_TIMEOUT: SignedDuration = SignedDuration::from_mins(15);

/// Random bytes in a session secret and in a CSRF token.
const SECRET_BYTES: usize = 32;
/// Argon2id cost: the OWASP recommendation (19 MiB, 2 passes, 1 lane), argon2's default.
const ARGON2_M_KIB: u32 = 19_456;
const ARGON2_T: u32 = 2;
const ARGON2_P: u32 = 1;
/// A hash at the same cost as every stored one that no known password produces (its salt is
/// `sapar-no-such-user`): what an unknown name's attempt is verified against, so that it takes as
/// long as a known name's.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FwYXItbm8tc3VjaC11c2Vy$3fJ6XGjjY1qZ5zVZcyVb8E1V0DYFd0lEWF4N3wGsVjU";

/// A session just opened by a login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The cookie value: shown this once, only its SHA-256 is stored.
    pub secret: String,
    /// The token every form of this session must carry.
    pub csrf_token: String,
    pub user: UserRecord,
}

/// An open session a request was admitted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// The user, acting in their role under their name.
    pub actor: Actor,
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub csrf_token: String,
    pub started_at: Timestamp,
}

/// Why a login did not open a session.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown name, wrong password or disabled user: deliberately the same answer for all three.
    #[error("unknown name or wrong password")]
    Refused,
    /// Too many recent failures for the name or from the address; nothing was checked.
    #[error("too many failed logins; try again in {retry_after:#}")]
    Throttled { retry_after: SignedDuration },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a session secret does not admit its holder.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("unknown session")]
    Unknown,
    /// Ended for inactivity, now or before.
    #[error("the session ended after inactivity")]
    Idle,
    /// Ended by logging out.
    #[error("the session has ended")]
    Ended,
    /// The user was disabled.
    #[error("the user is disabled")]
    Disabled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a user was not created, disabled or listed.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("a user name holds 1 to {MAX_NAME_CHARS} letters, digits, '.', '-' or '_'")]
    InvalidName,
    #[error("a user named {0:?} already exists")]
    NameTaken(String),
    #[error("the password is refused: {0}")]
    WeakPassword(&'static str),
    #[error("no user is named {0:?}")]
    NotFound(String),
    #[error("the user {0:?} is already disabled")]
    AlreadyDisabled(String),
    /// The actor's role may not do this (or no one may, as an admin disabling themselves).
    #[error("the role {role} may not {action}")]
    Forbidden { role: &'static str, action: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A user name as stored: trimmed and lowercased; refused unless it holds 1 to
/// [`MAX_NAME_CHARS`] letters, digits, `.`, `-` or `_`.
pub fn normalize_name(name: &str) -> Result<String, UserError> {
    let name = name.trim().to_lowercase();
    let length = name.chars().count();
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_');
    if (1..=MAX_NAME_CHARS).contains(&length) && name.chars().all(allowed) {
        Ok(name)
    } else {
        Err(UserError::InvalidName)
    }
}

/// Refuses a password too short, too long, or equal to the user's name.
pub fn check_password(name: &str, password: &str) -> Result<(), UserError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(UserError::WeakPassword("it needs at least 12 characters"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(UserError::WeakPassword("it may hold at most 1024 bytes"));
    }
    if password.trim().to_lowercase() == name {
        return Err(UserError::WeakPassword("it must not be the user's name"));
    }
    Ok(())
}

/// The stored form of a session secret.
fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// 32 random bytes, base64url without padding.
fn random_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn hasher() -> Result<Argon2<'static>, StoreError> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).map_err(|e| hashing_failed(&e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A failure of the hashing itself (not a wrong password) is the machinery failing, reported as
/// a worker failure: no caller can do anything about it but report it.
fn hashing_failed(e: &dyn std::fmt::Display) -> StoreError {
    StoreError::Worker(format!("password hashing: {e}"))
}

/// The PHC string of `password` under a fresh random salt, computed on the blocking pool.
async fn hash_password(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| hashing_failed(&e))?;
        let hash = hasher()?.hash_password(password.as_bytes(), &salt).map_err(|e| hashing_failed(&e))?;
        Ok(hash.to_string())
    })
    .await
    .map_err(|e| hashing_failed(&e))?
}

/// Whether `password` matches the PHC string `hash`, checked on the blocking pool.
async fn verify_password(hash: String, password: String) -> Result<bool, StoreError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| StoreError::Corrupt(format!("password hash: {e}")))?;
        match hasher()?.verify_password(password.as_bytes(), &parsed) {
            Ok(()) => Ok(true),
            Err(argon2::password_hash::Error::Password) => Ok(false),
            Err(e) => Err(StoreError::Corrupt(format!("password hash: {e}"))),
        }
    })
    .await
    .map_err(|e| hashing_failed(&e))?
}

/// The name an attempt is logged and throttled under: trimmed, lowercased, cut to the longest
/// valid name.
fn name_tried(name: &str) -> String {
    name.trim().to_lowercase().chars().take(MAX_NAME_CHARS).collect()
}

fn require(by: &Actor, roles: &[Role], action: &'static str) -> Result<(), UserError> {
    by.require(roles, action).map_err(|_| UserError::Forbidden { role: by.role.as_str(), action })
}

impl Register {
    /// Creates a user named `name` (stored lowercased) in `role` with `password`; admins only.
    pub async fn create_user(
        &self,
        by: &Actor,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<UserRecord, UserError> {
        require(by, &[Role::Admin], "create users")?;
        let name = normalize_name(name)?;
        check_password(&name, password)?;
        let hash = hash_password(password.to_owned()).await?;
        let user = UserRecord {
            id: Uuid::now_v7(),
            name,
            role,
            created_at: self.now(),
            created_by: by.name.clone(),
            disabled_at: None,
            disabled_by: None,
        };
        if !self.store.insert_user(&user, &hash).await? {
            return Err(UserError::NameTaken(user.name));
        }
        Ok(user)
    }

    /// Disables the user named `name` and ends their open sessions; admins only, and not their
    /// own account. A disabled user cannot log in; the account stays on record.
    pub async fn disable_user(&self, by: &Actor, name: &str) -> Result<UserRecord, UserError> {
        require(by, &[Role::Admin], "disable users")?;
        let name = normalize_name(name)?;
        if name == by.name {
            return Err(UserError::Forbidden { role: by.role.as_str(), action: "disable their own account" });
        }
        let user = self.store.user_by_name(&name).await?.ok_or_else(|| UserError::NotFound(name.clone()))?;
        let now = self.now();
        if user.disabled_at.is_some() || !self.store.disable_user(user.id, now, &by.name).await? {
            return Err(UserError::AlreadyDisabled(name));
        }
        // Sessions are admitted only while their user is not disabled, so a failure between these
        // two writes leaves no session usable; this records why each ended.
        self.store.end_web_sessions_of(user.id, now, SessionEnd::Disabled).await?;
        Ok(UserRecord { disabled_at: Some(now), disabled_by: Some(by.name.clone()), ..user })
    }

    /// Every user, by name; admins only.
    pub async fn users(&self, by: &Actor) -> Result<Vec<UserRecord>, UserError> {
        require(by, &[Role::Admin], "list users")?;
        Ok(self.store.users().await?)
    }

    /// Opens a session for the user named `name` when `password` is theirs, they are not
    /// disabled and the attempt is not throttled. Logs the attempt's outcome.
    pub async fn login(&self, name: &str, password: &str, address: Option<IpAddr>) -> Result<NewSession, LoginError> {
        let now = self.now();
        let tried = name_tried(name);
        let address = address.map(|a| a.to_string());
        let full_name = name.trim().to_lowercase();
        let credentials = if full_name.chars().count() <= MAX_NAME_CHARS {
            self.store.user_credentials(&full_name).await?
        } else {
            None
        };
        let user_id = credentials.as_ref().map(|c| c.user.id);
        let event = |outcome| LoginEvent { at: now, name_tried: tried.clone(), outcome, address: address.clone() };

        if let Some(retry_after) = self.throttled(&tried, address.as_deref(), now).await? {
            self.store.append_login_event(&event(LoginOutcome::Throttled), user_id).await?;
            return Err(LoginError::Throttled { retry_after });
        }
        // Verified whether or not the user exists, against the dummy hash when not, so that
        // every refusal costs the same. A password too long to be anyone's is not hashed at all.
        let hash = credentials.as_ref().map_or(DUMMY_HASH, |c| c.password_hash.as_str()).to_owned();
        let admissible = password.len() <= MAX_PASSWORD_BYTES;
        let candidate = if admissible { password.to_owned() } else { String::new() };
        let matches = verify_password(hash, candidate).await? && admissible;
        let user = match credentials {
            Some(UserCredentials { user, .. }) if matches => user,
            _ => {
                self.store.append_login_event(&event(LoginOutcome::BadCredentials), user_id).await?;
                return Err(LoginError::Refused);
            }
        };
        if user.disabled_at.is_some() {
            self.store.append_login_event(&event(LoginOutcome::Disabled), user_id).await?;
            return Err(LoginError::Refused);
        }
        let (secret, csrf_token) = (random_secret(), random_secret());
        let session = NewWebSession {
            id: Uuid::now_v7(),
            secret_hash: hash_secret(&secret),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            created_at: now,
            address: address.clone(),
        };
        self.store.insert_web_session(&session).await?;
        self.store.append_login_event(&event(LoginOutcome::Success), user_id).await?;
        Ok(NewSession { secret, csrf_token, user })
    }

    /// How long until an attempt for `name` from `address` is heard again, when it is throttled
    /// now: until enough of the failures that throttle it have left the window.
    async fn throttled(
        &self,
        name: &str,
        address: Option<&str>,
        now: Timestamp,
    ) -> Result<Option<SignedDuration>, StoreError> {
        // A failure at `now - THROTTLE_WINDOW` has just left the window.
        let since = now
            .checked_sub(THROTTLE_WINDOW)
            .and_then(|t| t.checked_add(SignedDuration::from_micros(1)))
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let mut windows = vec![(self.store.login_failures_by_name(name, since).await?, MAX_FAILURES_PER_NAME)];
        if let Some(address) = address {
            windows.push((self.store.login_failures_by_address(address, since).await?, MAX_FAILURES_PER_ADDRESS));
        }
        // When the oldest failure leaves, the count drops below the limit (attempts past the
        // limit are throttled, not counted, so a window holds the limit unless attempts raced).
        Ok(windows
            .into_iter()
            .filter(|(window, limit)| window.count >= *limit)
            .filter_map(|(window, _)| window.oldest)
            .map(|oldest| now.duration_until(oldest.checked_add(THROTTLE_WINDOW).unwrap_or(oldest)))
            .max())
    }

    /// The open session whose cookie secret is `secret`, used now. A session last used longer
    /// than `idle` ago is ended instead (logged as an idle timeout); so is one whose user was
    /// disabled.
    pub async fn session(&self, secret: &str, idle: SignedDuration) -> Result<WebSession, SessionError> {
        let record = self.store.web_session_by_secret_hash(hash_secret(secret)).await?.ok_or(SessionError::Unknown)?;
        if let Some((_, why)) = record.ended {
            return Err(match why {
                SessionEnd::Logout => SessionError::Ended,
                SessionEnd::Idle => SessionError::Idle,
                SessionEnd::Disabled => SessionError::Disabled,
            });
        }
        let now = self.now();
        if record.user.disabled_at.is_some() {
            self.store.end_web_session(record.id, now, SessionEnd::Disabled).await?;
            return Err(SessionError::Disabled);
        }
        if now.duration_since(record.last_seen_at) > idle {
            if self.store.end_web_session(record.id, now, SessionEnd::Idle).await? {
                let event = LoginEvent {
                    at: now,
                    name_tried: record.user.name.clone(),
                    outcome: LoginOutcome::IdleTimeout,
                    address: record.address.clone(),
                };
                self.store.append_login_event(&event, Some(record.user.id)).await?;
            }
            return Err(SessionError::Idle);
        }
        if !self.store.touch_web_session(record.id, now).await? {
            // Ended by another request since it was read.
            return Err(SessionError::Ended);
        }
        Ok(WebSession {
            actor: Actor::new(record.user.name, record.user.role),
            user_id: record.user.id,
            session_id: record.id,
            csrf_token: record.csrf_token,
            started_at: record.created_at,
        })
    }

    /// Ends the session whose cookie secret is `secret` and logs the logout; an unknown or
    /// already ended session is left as it is.
    pub async fn logout(&self, secret: &str) -> Result<(), StoreError> {
        let Some(record) = self.store.web_session_by_secret_hash(hash_secret(secret)).await? else { return Ok(()) };
        let now = self.now();
        if record.ended.is_none() && self.store.end_web_session(record.id, now, SessionEnd::Logout).await? {
            let event = LoginEvent {
                at: now,
                name_tried: record.user.name,
                outcome: LoginOutcome::Logout,
                address: record.address,
            };
            self.store.append_login_event(&event, Some(record.user.id)).await?;
        }
        Ok(())
    }

    /// The login log, newest first, filtered and paged; auditors and admins. A name filter is
    /// matched as logged (lowercased).
    pub async fn login_events(
        &self,
        by: &Actor,
        filter: &LoginEventFilter,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<LoginEvent>, UserError> {
        require(by, &[Role::Auditor, Role::Admin], "read the login log")?;
        let filter = LoginEventFilter { name: filter.name.as_deref().map(name_tried), ..filter.clone() };
        Ok(self.store.login_events(&filter, limit, offset).await?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn names_are_lowercased_and_hold_letters_digits_dots_dashes_and_underscores() {
        assert_eq!(normalize_name("  A.Sadykova ").unwrap(), "a.sadykova");
        assert_eq!(normalize_name("Садыкова_А-2").unwrap(), "садыкова_а-2");
        assert_eq!(normalize_name(&"x".repeat(MAX_NAME_CHARS)).unwrap().len(), MAX_NAME_CHARS);
        for bad in ["", "   ", "a b", "a@b", "a/b", "a:b", &"x".repeat(MAX_NAME_CHARS + 1)] {
            assert!(matches!(normalize_name(bad), Err(UserError::InvalidName)), "{bad:?}");
        }
    }

    #[test]
    fn passwords_are_refused_when_short_long_or_the_name() {
        assert!(check_password("anna", "twelve chars").is_ok());
        assert!(matches!(check_password("anna", "eleven char"), Err(UserError::WeakPassword(_))));
        assert!(check_password("anna", &"ж".repeat(512)).is_ok(), "1024 bytes");
        assert!(matches!(check_password("anna", &"ж".repeat(513)), Err(UserError::WeakPassword(_))));
        assert!(matches!(check_password("a.sadykova.kz", "A.Sadykova.KZ"), Err(UserError::WeakPassword(_))));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_stored_one_does() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(dummy.algorithm, Algorithm::Argon2id.ident());
        let params = Params::try_from(&dummy).unwrap();
        assert_eq!((params.m_cost(), params.t_cost(), params.p_cost()), (ARGON2_M_KIB, ARGON2_T, ARGON2_P));
        assert_eq!(dummy.hash.map(|h| h.len()), Some(Params::DEFAULT_OUTPUT_LEN));
    }

    #[test]
    fn secrets_are_32_random_bytes_in_base64url() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), SECRET_BYTES);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{a}");
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(hash.clone(), "correct horse battery".into()).await.unwrap());
        assert!(!verify_password(hash, "correct horse battery!".into()).await.unwrap());
        assert!(!verify_password(DUMMY_HASH.into(), String::new()).await.unwrap());
    }
}
