//! Retention and destruction of what partners sent (Art. 12.4). The periods are data
//! (`retention.toml`): per data category, in days from receipt; a message is kept for the longest
//! period among the categories its body carries, or the default one. A purge on a date destroys
//! every received payload whose period ended by then: the sealed payload is dropped, the
//! destruction kept (what, which rule, when, the message's digest) and chained into the message
//! log as a `destroyed` entry, so `sapar verify-log` verifies the log after a purge as before.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan as _};
use sapar_store::exchange::retention::{Destruction, HeldPayload};
use sapar_treaty::category::DataCategory;
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::log::LogDirection;
use sapar_treaty::{message, seal};
use serde::Deserialize;
use serde_json::Value;

use crate::service::ExchangeService;
use crate::{NodeError, log};

/// The retention rules this node is built with.
pub const RETENTION_RULES: &str = include_str!("retention.toml");

/// How long payloads of some categories are kept.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub id: String,
    #[serde(default)]
    pub categories: Vec<String>,
    pub days: u32,
    pub basis: String,
}

/// Every rule, and the default for messages that name no category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionBook {
    pub default: RetentionRule,
    pub rules: Vec<RetentionRule>,
}

impl RetentionBook {
    /// Parses and checks rules: every category named is a data category, none twice, every
    /// period at least a day.
    pub fn parse(text: &str) -> Result<RetentionBook, String> {
        let book: RetentionBook = toml::from_str(text).map_err(|e| format!("retention rules: {e}"))?;
        let mut seen = BTreeSet::new();
        for rule in book.rules.iter().chain(std::iter::once(&book.default)) {
            if rule.days == 0 {
                return Err(format!("retention rule {}: days must be at least 1", rule.id));
            }
            for c in &rule.categories {
                DataCategory::parse(c).map_err(|_| format!("retention rule {}: {c:?} is not a category", rule.id))?;
                if !seen.insert(c.clone()) {
                    return Err(format!("retention rule {}: category {c} has a rule already", rule.id));
                }
            }
        }
        Ok(book)
    }

    /// The embedded rules.
    pub fn embedded() -> Result<RetentionBook, String> {
        RetentionBook::parse(RETENTION_RULES)
    }

    /// The rule for a message carrying `categories`: the longest of their rules, else the default.
    pub fn rule_for(&self, categories: &[DataCategory]) -> &RetentionRule {
        self.rules
            .iter()
            .filter(|r| r.categories.iter().any(|c| categories.iter().any(|k| k.as_str() == c)))
            .max_by_key(|r| r.days)
            .unwrap_or(&self.default)
    }
}

/// The data categories a message body names (`categories`, a result's, a refusal's or a
/// notice's `category`).
pub fn categories_in(body: &Value) -> Vec<DataCategory> {
    let mut out = Vec::new();
    let mut take = |v: &Value| {
        if let Some(c) = v.as_str().and_then(|c| DataCategory::parse(c).ok())
            && !out.contains(&c)
        {
            out.push(c);
        }
    };
    if let Some(list) = body.get("categories").and_then(Value::as_array) {
        list.iter().for_each(&mut take);
    }
    for key in ["results", "refusals"] {
        for item in body.get(key).and_then(Value::as_array).into_iter().flatten() {
            take(item.get("category").unwrap_or(&Value::Null));
        }
    }
    take(body.get("category").unwrap_or(&Value::Null));
    if body.get("sdmx").is_some() || body.get("tables").is_some() {
        take(&Value::String("statistics".into()));
    }
    out
}

/// Why a purge was not run.
#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    /// A purge on a day that has not come would destroy what is still to be kept.
    #[error("the purge date {on} is after today ({today}): payloads are destroyed when their period has ended")]
    DateInFuture { on: Date, today: Date },
    #[error(transparent)]
    Node(#[from] NodeError),
}

/// A payload destroyed by a purge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destroyed {
    pub message_id: uuid::Uuid,
    pub message_type: String,
    pub rule: String,
    pub received_on: Date,
}

impl ExchangeService {
    /// Destroys every received payload whose retention period ended on or before `on` (dates in
    /// UTC: a payload received on day R under a rule of D days is kept through R + D − 1). `now`
    /// is when the purge runs; `on` may not be after its date. What was destroyed, oldest first.
    pub async fn purge(&self, book: &RetentionBook, on: Date, now: Timestamp) -> Result<Vec<Destroyed>, PurgeError> {
        let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        if on > today {
            return Err(PurgeError::DateInFuture { on, today });
        }
        let held = self.store().held_payloads().await.map_err(NodeError::from)?;
        let mut destroyed = Vec::new();
        for payload in held {
            let received_on = payload.received_at.to_zoned(jiff::tz::TimeZone::UTC).date();
            let categories = self.categories_of(&payload)?;
            let rule = book.rule_for(&categories);
            let ends = received_on
                .checked_add(i64::from(rule.days).days())
                .map_err(|e| NodeError::Corrupt(format!("retention of {}: {e}", payload.message_id)))?;
            if ends > on {
                continue;
            }
            if self.destroy(&payload, rule, now).await? {
                destroyed.push(Destroyed {
                    message_id: payload.message_id,
                    message_type: payload.message_type.clone(),
                    rule: rule.id.clone(),
                    received_on,
                });
            }
        }
        if !destroyed.is_empty() {
            tracing::info!(destroyed = destroyed.len(), %on, "received payloads destroyed at the end of their retention");
        }
        Ok(destroyed)
    }

    fn categories_of(&self, payload: &HeldPayload) -> Result<Vec<DataCategory>, NodeError> {
        let corrupt = |what: String| NodeError::Corrupt(format!("received message {}: {what}", payload.message_id));
        let opened = seal::open(
            std::slice::from_ref(self.payload_key()),
            &payload.sealed_payload,
            payload.message_id.to_string().as_bytes(),
        )
        .map_err(|e| corrupt(format!("payload does not open: {e}")))?;
        let (_, _, body) = message::parse_envelope(&opened).map_err(|e| corrupt(format!("payload: {e}")))?;
        Ok(categories_in(&body))
    }

    async fn destroy(&self, payload: &HeldPayload, rule: &RetentionRule, now: Timestamp) -> Result<bool, NodeError> {
        let corrupt = |what: &str| NodeError::Corrupt(format!("received message {}: {what}", payload.message_id));
        let channel = ChannelId::parse(&payload.channel).map_err(|_| corrupt("channel"))?;
        let hash = Sha256Hash::parse(&payload.message_hash).map_err(|_| corrupt("message hash"))?;
        let seq = u64::try_from(payload.seq).map_err(|_| corrupt("seq"))?;
        let message_id = MessageId::from_uuid(payload.message_id).map_err(|_| corrupt("message id"))?;
        let entry = log::record(now, LogDirection::Destroyed, channel, seq, message_id, hash);
        let destruction = Destruction {
            message_id: payload.message_id,
            case_id: payload.case_id,
            channel: payload.channel.clone(),
            seq: payload.seq,
            message_type: payload.message_type.clone(),
            received_at: payload.received_at,
            destroyed_at: entry.at,
            rule: rule.id.clone(),
            basis: rule.basis.clone(),
            message_hash: payload.message_hash.clone(),
        };
        Ok(self.store().destroy_payload(destruction, log::chain_fn(entry)).await?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_embedded_rules_parse_and_a_message_takes_its_longest_category() {
        let book = RetentionBook::embedded().unwrap();
        assert_eq!(book.rule_for(&[DataCategory::Registration]).days, 1095);
        assert_eq!(book.rule_for(&[DataCategory::Registration, DataCategory::Expulsion]).days, 1825);
        assert_eq!(book.rule_for(&[]).id, book.default.id);
        assert!(RetentionBook::parse("[default]\nid='d'\ndays=0\nbasis='x'\nrules=[]").is_err());
        let twice = "[default]\nid='d'\ndays=1\nbasis='x'\n[[rules]]\nid='a'\ncategories=['expulsion']\ndays=1\nbasis='x'\n[[rules]]\nid='b'\ncategories=['expulsion']\ndays=2\nbasis='x'";
        assert!(RetentionBook::parse(twice).unwrap_err().contains("has a rule already"));
    }

    #[test]
    fn categories_are_read_from_requests_answers_and_notices() {
        let answer = serde_json::json!({
            "results": [{"category": "registration", "status": "found", "records": []}],
            "refusals": [{"category": "expulsion", "ground": "security", "reasons": "x"}]
        });
        assert_eq!(categories_in(&answer), [DataCategory::Registration, DataCategory::Expulsion]);
        let request = serde_json::json!({"categories": ["work_right", "nonsense"]});
        assert_eq!(categories_in(&request), [DataCategory::WorkRight]);
        assert!(categories_in(&serde_json::json!({"text": "уточните адрес"})).is_empty());
    }
}
