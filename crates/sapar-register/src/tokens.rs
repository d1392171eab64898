//! API tokens for machine clients: generation, hashing, expiry, revocation, and admitting a
//! request by its bearer secret.
//!
//! A token is `sapar_` followed by 32 random bytes in hex. Only its SHA-256 is stored: tokens are
//! high-entropy secrets, so a fast hash is enough (passwords use Argon2id).

use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use sapar_model::Role;
use sapar_store::{StoreError, TokenRecord};
use sha2::{Digest, Sha256};

use crate::{Actor, Register};

const PREFIX: &str = "sapar_";
/// Longest token name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// A freshly generated token secret; shown once, never stored.
pub fn generate_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// The stored form of a token secret.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Parses a token lifetime: a whole number followed by `s`, `m`, `h` or `d` (`90d`, `12h`).
pub fn parse_lifetime(text: &str) -> Result<SignedDuration, String> {
    let text = text.trim();
    let split = text.len().saturating_sub(1);
    let (number, unit) = (text.get(..split).unwrap_or(""), text.get(split..).unwrap_or(""));
    let seconds_per_unit: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("{text:?} is not a duration: give a number and s, m, h or d (e.g. 90d)")),
    };
    let n: i64 = number
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{text:?} is not a duration: the number must be a positive whole number"))?;
    n.checked_mul(seconds_per_unit)
        .filter(|s| *s <= 100 * 366 * 86_400)
        .map(SignedDuration::from_secs)
        .ok_or_else(|| format!("{text:?} is longer than a hundred years"))
}

/// Why a token was not created.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("a token name must hold 1 to {MAX_NAME_CHARS} characters")]
    InvalidName,
    #[error("a token named {0:?} already exists")]
    NameTaken(String),
    #[error("a token's lifetime must be positive and end before the year 9999")]
    InvalidLifetime,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a bearer secret does not admit its holder.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("unknown token")]
    Unknown,
    #[error("this token was revoked")]
    Revoked,
    #[error("this token expired at {0}")]
    Expired(Timestamp),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Register {
    /// Creates a token named `name` in `role`, expiring `lifetime` from now when given; returns
    /// its record and its secret (the only time the secret is seen).
    pub async fn create_token(
        &self,
        name: &str,
        role: Role,
        lifetime: Option<SignedDuration>,
    ) -> Result<(TokenRecord, String), TokenError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(TokenError::InvalidName);
        }
        let now = self.now();
        let expires_at = match lifetime {
            None => None,
            Some(l) if l.is_positive() => Some(now.checked_add(l).map_err(|_| TokenError::InvalidLifetime)?),
            Some(_) => return Err(TokenError::InvalidLifetime),
        };
        let secret = generate_token();
        let record = TokenRecord {
            id: uuid::Uuid::now_v7(),
            name: name.to_owned(),
            role,
            created_at: now,
            revoked_at: None,
            expires_at,
        };
        if !self.store.insert_token(record.clone(), hash_token(&secret)).await? {
            return Err(TokenError::NameTaken(name.to_owned()));
        }
        Ok((record, secret))
    }

    /// Revokes the active token named `name`; false when there is none.
    pub async fn revoke_token(&self, name: &str) -> Result<bool, StoreError> {
        self.store.revoke_token(name, self.now()).await
    }

    /// Every token, oldest first.
    pub async fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        self.store.tokens().await
    }

    /// The actor a bearer secret stands for, unless it is unknown, revoked or expired.
    pub async fn authenticate(&self, secret: &str) -> Result<Actor, AuthError> {
        let record = self.store.token_by_hash(hash_token(secret)).await?.ok_or(AuthError::Unknown)?;
        if record.revoked_at.is_some() {
            return Err(AuthError::Revoked);
        }
        if let Some(expires) = record.expires_at
            && self.now() >= expires
        {
            return Err(AuthError::Expired(expires));
        }
        Ok(Actor::new(record.name, record.role))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn lifetimes_take_seconds_minutes_hours_and_days() {
        assert_eq!(parse_lifetime("90d").unwrap(), SignedDuration::from_hours(90 * 24));
        assert_eq!(parse_lifetime("12h").unwrap(), SignedDuration::from_hours(12));
        assert_eq!(parse_lifetime("30m").unwrap(), SignedDuration::from_mins(30));
        assert_eq!(parse_lifetime("45s").unwrap(), SignedDuration::from_secs(45));
        for bad in ["", "d", "90", "-1d", "0d", "1.5d", "90w", "99999999999d"] {
            assert!(parse_lifetime(bad).is_err(), "{bad:?}");
        }
    }
}
