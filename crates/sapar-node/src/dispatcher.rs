//! The sending side: signed messages enter the outbox in the store's transaction, and a task
//! delivers each channel's oldest pending message, in order, to the partner node. Network
//! failures and 5xx answers are retried with exponential backoff and jitter; a 200 answer counts
//! only with a receipt that verifies against the partner's pinned CA and names the message.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use ring::rand::{SecureRandom, SystemRandom};
use sapar_model::Country;
use sapar_store::Store;
use sapar_store::exchange::{OutboxEntry, OutgoingMessage};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::log::LogDirection;
use sapar_treaty::receipt;
use sapar_treaty::send::{self, Draft};
use sapar_treaty::wire;
use tokio::sync::{Notify, broadcast};

use crate::client::{Client, Endpoint};
use crate::{NodeError, log};

/// Checks a draft and appends it, signed, to its channel's outbox queue. The sequence number and
/// previous hash are taken in the store's transaction.
pub async fn enqueue(
    store: &Store,
    book: Arc<AgreementBook>,
    draft: Draft,
    signer: Arc<SigningIdentity>,
) -> Result<OutboxEntry, NodeError> {
    // `send::compose` below checks the draft as `send::check_draft` would, before signing.
    let state = |a: &sapar_treaty::ids::AuthorityId| {
        Country::parse(a.state_prefix()).map_err(|_| NodeError::Draft(format!("authority {a} has no state")))
    };
    let channel =
        ChannelId { agreement: draft.agreement.clone(), from_state: state(&draft.from)?, to_state: state(&draft.to)? };
    let compose = Box::new(move |seq: i64, prev: Option<String>| {
        let prev = prev.map(|h| Sha256Hash::parse(&h)).transpose().map_err(|e| e.to_string())?;
        let seq = u64::try_from(seq).map_err(|e| e.to_string())?;
        let m = send::compose(&book, &draft, seq, prev, &signer).map_err(|e| e.to_string())?;
        Ok(OutgoingMessage {
            message_id: draft.id.as_uuid(),
            message_hash: m.hash.to_hex(),
            jws: m.jws,
            created_at: draft.created_at,
        })
    });
    store.enqueue_outgoing(&channel.to_string(), compose).await.map_err(|e| match e {
        sapar_store::exchange::EnqueueError::Compose(m) => NodeError::Draft(m),
        sapar_store::exchange::EnqueueError::Store(s) => NodeError::Store(s),
    })
}

/// Retry timing: `base * 2^attempts`, capped at `max`, times a random factor in [0.5, 1).
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff { base: Duration::from_secs(1), max: Duration::from_secs(300) }
    }
}

impl Backoff {
    /// The wait after the `attempts`-th failure (1 for the first), with jitter `unit` in [0, 1).
    pub fn delay(&self, attempts: u32, unit: f64) -> Duration {
        let exp = self.base.saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1).min(20)));
        exp.min(self.max).mul_f64(0.5 + unit.clamp(0.0, 1.0) / 2.0)
    }
}

fn random_unit(rng: &SystemRandom) -> f64 {
    let mut b = [0u8; 2];
    if rng.fill(&mut b).is_err() {
        return 0.5;
    }
    f64::from(u16::from_le_bytes(b)) / 65536.0
}

/// A partner as the dispatcher sees it: where to send, and whose receipts to trust.
#[derive(Debug, Clone)]
pub struct Partner {
    pub endpoint: Endpoint,
    pub ca_cert_der: Vec<u8>,
    pub node_cert_fingerprints: Vec<Sha256Hash>,
}

/// What one delivery attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// Will be tried again at the given time.
    Retry {
        error: String,
        at: Timestamp,
    },
    /// Refused by the partner with this code; not retried.
    Rejected(String),
}

/// Delivers the outbox.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    store: Store,
    partners: Arc<HashMap<Country, (Partner, Client)>>,
    backoff: Backoff,
    wake: Arc<Notify>,
    rng: SystemRandom,
    events: broadcast::Sender<(MessageId, Delivery)>,
}

/// Delivery outcomes kept for a subscriber that lags behind.
const EVENTS: usize = 4096;

/// Messages of one channel delivered back to back before the outbox is looked at again.
const BURST: usize = 64;

/// Longest sleep between two looks at the outbox.
const IDLE: Duration = Duration::from_secs(5);

impl Dispatcher {
    pub fn new(store: Store, partners: HashMap<Country, Partner>, backoff: Backoff) -> Dispatcher {
        let partners = partners
            .into_iter()
            .map(|(state, p)| {
                let client = Client::new(p.endpoint.clone());
                (state, (p, client))
            })
            .collect();
        Dispatcher {
            store,
            partners: Arc::new(partners),
            backoff,
            wake: Arc::new(Notify::new()),
            rng: SystemRandom::new(),
            events: broadcast::channel(EVENTS).0,
        }
    }

    /// The outcome of every delivery attempt from now on (message id and what came of it).
    pub fn subscribe(&self) -> broadcast::Receiver<(MessageId, Delivery)> {
        self.events.subscribe()
    }

    /// Wakes the dispatcher (after an enqueue) instead of waiting for the next due time.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs until `shutdown`.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            match self.dispatch_due().await {
                // A delivered message may have made the next one of its channel due at once.
                Ok(attempts) if !attempts.is_empty() => {
                    tokio::select! {
                        biased;
                        () = &mut shutdown => return,
                        () = std::future::ready(()) => continue,
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox dispatch failed"),
            }
            let wait = match self.store.next_outgoing_at().await {
                Ok(Some(at)) => {
                    let d = at.duration_since(Timestamp::now());
                    Duration::try_from(d.max(SignedDuration::ZERO)).unwrap_or(IDLE).min(IDLE)
                }
                Ok(None) | Err(_) => IDLE,
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.wake.notified() => {}
                () = &mut shutdown => return,
            }
        }
    }

    /// Delivers every channel's due messages, the channels side by side and each channel in
    /// order, up to [`BURST`] messages per channel; returns the attempts made.
    pub async fn dispatch_due(&self) -> Result<Vec<(MessageId, Delivery)>, NodeError> {
        let mut due = self.store.due_outgoing(Timestamp::now()).await?;
        if due.len() <= 1 {
            return match due.pop() {
                Some(head) => self.deliver_channel(head).await,
                None => Ok(Vec::new()),
            };
        }
        let mut channels = tokio::task::JoinSet::new();
        for head in due {
            let me = self.clone();
            channels.spawn(async move { me.deliver_channel(head).await });
        }
        let mut out = Vec::new();
        let mut failure = None;
        while let Some(done) = channels.join_next().await {
            match done.map_err(|e| NodeError::Task(e.to_string())) {
                Ok(Ok(attempts)) => out.extend(attempts),
                Ok(Err(e)) | Err(e) => failure = failure.or(Some(e)),
            }
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// Delivers `head` and, while that succeeds, the channel's next due messages.
    async fn deliver_channel(&self, head: OutboxEntry) -> Result<Vec<(MessageId, Delivery)>, NodeError> {
        let mut out = Vec::new();
        let mut next = Some(head);
        while let Some(e) = next.take() {
            let id = MessageId::from_uuid(e.message_id).map_err(|_| NodeError::Corrupt("outbox id".into()))?;
            let (delivery, following) = self.deliver(&e).await?;
            // Nobody listening is not an error.
            let _ = self.events.send((id, delivery.clone()));
            out.push((id, delivery));
            if out.len() < BURST {
                next = following;
            }
        }
        Ok(out)
    }

    async fn retry(&self, e: &OutboxEntry, error: String) -> Result<(Delivery, Option<OutboxEntry>), NodeError> {
        let attempts = u32::try_from(e.attempts.saturating_add(1)).unwrap_or(u32::MAX);
        let delay = self.backoff.delay(attempts, random_unit(&self.rng));
        let at = Timestamp::now()
            .checked_add(SignedDuration::try_from(delay).unwrap_or(SignedDuration::from_secs(300)))
            .unwrap_or(Timestamp::MAX);
        tracing::info!(message = %e.message_id, attempts, %error, retry_at = %at, "delivery failed");
        self.store.record_attempt_failure(e.message_id, &error, at).await?;
        Ok((Delivery::Retry { error, at }, None))
    }

    /// One attempt at `e`; when it is delivered, also the channel's next message if it is due.
    async fn deliver(&self, e: &OutboxEntry) -> Result<(Delivery, Option<OutboxEntry>), NodeError> {
        let channel =
            ChannelId::parse(&e.channel).map_err(|_| NodeError::Corrupt(format!("outbox channel {}", e.channel)))?;
        let (partner, client) = self
            .partners
            .get(&channel.to_state)
            .ok_or_else(|| NodeError::NoEndpoint(channel.to_state.code().to_owned()))?;
        let answer = match client.post_message(&e.jws).await {
            Ok(a) => a,
            Err(err) => return self.retry(e, err.to_string()).await,
        };
        let body = String::from_utf8_lossy(&answer.body);
        match answer.status {
            200 => {
                let info = match receipt::verify_receipt(&body, &partner.ca_cert_der, &partner.node_cert_fingerprints) {
                    Ok(i) => i,
                    Err(err) => return self.retry(e, format!("receipt not valid: {err}")).await,
                };
                let hash = Sha256Hash::parse(&e.message_hash).map_err(|_| NodeError::Corrupt("outbox hash".into()))?;
                let id = MessageId::from_uuid(e.message_id).map_err(|_| NodeError::Corrupt("outbox id".into()))?;
                if info.message_id != id || info.message_hash != hash {
                    return self.retry(e, "receipt names another message".into()).await;
                }
                let seq = u64::try_from(e.seq).map_err(|_| NodeError::Corrupt("outbox seq".into()))?;
                let chain = log::chain_fn(log::record(Timestamp::now(), LogDirection::Sent, channel, seq, id, hash));
                let (_, next) =
                    self.store.mark_delivered_then_next(e.message_id, &body, chain, Timestamp::now()).await?;
                Ok((Delivery::Delivered, next))
            }
            status if status >= 500 => self.retry(e, format!("partner answered {status}: {body}")).await,
            status => {
                let code = serde_json::from_slice::<wire::ErrorResponse>(&answer.body)
                    .map(|r| r.code)
                    .unwrap_or_else(|_| format!("http_{status}"));
                let resequence = [ErrorCode::SequenceOutOfOrder.as_str(), ErrorCode::ChainHashMismatch.as_str()];
                if resequence.contains(&code.as_str()) {
                    // Re-signing with the partner's view of the channel is the next step; until
                    // then the message waits and is retried.
                    return self.retry(e, code).await;
                }
                self.store.mark_rejected(e.message_id, &code).await?;
                Ok((Delivery::Rejected(code), None))
            }
        }
    }
}
