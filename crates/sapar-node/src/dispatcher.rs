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
use sapar_store::exchange::{ChannelHalt, EnqueueError, ExchangeDirection, OutboxEntry, OutgoingMessage, ResignFn};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::jws::{self, SigningIdentity};
use sapar_treaty::log::LogDirection;
use sapar_treaty::message::{self, MessageType};
use sapar_treaty::send::{self, Draft};
use sapar_treaty::wire;
use sapar_treaty::{pki, receipt};
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
    /// Refused by the partner with this code; not retried. The channel's later messages take
    /// its number (they are signed again with the numbers that follow the last receipt).
    Rejected(String),
    /// Refused for its sequence number or previous hash while the channel's queue was not
    /// numbered after this node's record of it (the last receipt): the queue was signed again
    /// with the right numbers, and the message goes out again at once.
    Resequenced,
    /// The channel is halted (see [`ChannelHalt`]) with this code: the partner refuses the
    /// numbers this node's record of the channel gives, or the queue cannot be signed again.
    Halted(String),
}

/// The code of a halt when the channel's messages could not be signed again (no key of their
/// signatory on this node).
pub const RESIGN_FAILED: &str = "resign_failed";

/// Delivers the outbox.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    store: Store,
    partners: Arc<HashMap<Country, (Partner, Client)>>,
    backoff: Backoff,
    wake: Arc<Notify>,
    rng: SystemRandom,
    events: broadcast::Sender<(MessageId, Delivery)>,
    /// Keys that sign a channel's messages again when its numbers change, by certificate
    /// fingerprint.
    signatories: Arc<HashMap<Sha256Hash, Arc<SigningIdentity>>>,
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
            signatories: Arc::new(HashMap::new()),
        }
    }

    /// The signatories whose keys this node holds: a message is signed again with its own
    /// signatory's key when its channel is renumbered (after a refusal). Without the key, the
    /// channel halts instead.
    pub fn with_signatories(mut self, keys: impl IntoIterator<Item = Arc<SigningIdentity>>) -> Dispatcher {
        self.signatories = Arc::new(keys.into_iter().map(|k| (k.fingerprint(), k)).collect());
        self
    }

    /// Lets a halted channel deliver again (an operator's decision, once the partner and this
    /// node agree on the channel again); false when it was not halted.
    pub async fn resume(&self, channel: &ChannelId) -> Result<bool, NodeError> {
        let resumed = self.store.resume_channel(&channel.to_string()).await?;
        if resumed {
            tracing::info!(%channel, "channel resumed");
            self.wake();
        }
        Ok(resumed)
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
                let error = serde_json::from_slice::<wire::ErrorResponse>(&answer.body).ok();
                let code = error.as_ref().map_or_else(|| format!("http_{status}"), |r| r.code.clone());
                let detail = error.map(|r| r.message).unwrap_or_default();
                let sequence = [ErrorCode::SequenceOutOfOrder.as_str(), ErrorCode::ChainHashMismatch.as_str()];
                if sequence.contains(&code.as_str()) {
                    return self.out_of_sequence(e, code, detail).await;
                }
                self.reject(e, code).await
            }
        }
    }

    /// A refusal that is final: the message is rejected and gives its number back, so the
    /// channel's later messages are signed again with the numbers after the last receipt.
    async fn reject(&self, e: &OutboxEntry, code: String) -> Result<(Delivery, Option<OutboxEntry>), NodeError> {
        tracing::warn!(message = %e.message_id, channel = %e.channel, %code, "message refused by the partner");
        let renumbered =
            self.store.resequence_outgoing(&e.channel, Some((e.message_id, code.clone())), self.resign_fn()).await;
        match renumbered {
            Ok(pending) => Ok((Delivery::Rejected(code), due_head(pending))),
            Err(EnqueueError::Compose(why)) => {
                self.store.mark_rejected(e.message_id, &code).await?;
                self.halt(e, RESIGN_FAILED, why).await?;
                Ok((Delivery::Rejected(code), None))
            }
            Err(EnqueueError::Store(s)) => Err(s.into()),
        }
    }

    /// `sequence_out_of_order` or `chain_hash_mismatch`: the partner did not accept the message,
    /// so its number is free. When the message does not carry the numbers that follow this node's
    /// record of the channel (the last receipt), the queue is signed again with them and sent at
    /// once. When it does, the partner's record and this node's disagree: sending the same
    /// numbers again cannot succeed and other numbers would contradict the receipts held, so the
    /// channel halts for an operator.
    async fn out_of_sequence(
        &self,
        e: &OutboxEntry,
        code: String,
        detail: String,
    ) -> Result<(Delivery, Option<OutboxEntry>), NodeError> {
        let head = self.store.channel_head(&e.channel, ExchangeDirection::Sent).await?;
        let (seq, prev) = head.map_or((1, None), |h| (h.seq + 1, Some(h.hash)));
        if (e.seq, e.prev_hash.as_ref()) == (seq, prev.as_ref()) {
            let prev = prev.as_deref().unwrap_or("null");
            return self.halt(e, &code, format!("{detail} (this node's record: seq {seq} after {prev})")).await;
        }
        match self.store.resequence_outgoing(&e.channel, None, self.resign_fn()).await {
            Ok(pending) => {
                tracing::info!(channel = %e.channel, %code, seq, "channel queue signed again after the last receipt");
                Ok((Delivery::Resequenced, pending.into_iter().next()))
            }
            Err(EnqueueError::Compose(why)) => self.halt(e, RESIGN_FAILED, why).await,
            Err(EnqueueError::Store(s)) => Err(s.into()),
        }
    }

    async fn halt(
        &self,
        e: &OutboxEntry,
        code: &str,
        detail: String,
    ) -> Result<(Delivery, Option<OutboxEntry>), NodeError> {
        tracing::error!(channel = %e.channel, message = %e.message_id, %code, %detail, "channel halted");
        let halt = ChannelHalt {
            channel: e.channel.clone(),
            message_id: e.message_id,
            code: code.to_owned(),
            detail,
            halted_at: Timestamp::now(),
        };
        self.store.halt_channel(halt).await?;
        Ok((Delivery::Halted(code.to_owned()), None))
    }

    fn resign_fn(&self) -> ResignFn {
        let keys = Arc::clone(&self.signatories);
        Box::new(move |e, seq, prev| resign(&keys, e, seq, prev))
    }
}

/// The first of a channel's pending messages, when it is due now.
fn due_head(pending: Vec<OutboxEntry>) -> Option<OutboxEntry> {
    let now = Timestamp::now();
    pending.into_iter().next().filter(|e| e.next_attempt_at <= now)
}

/// Signs a stored message again with sequence number `seq` after `prev`, with the key of the
/// signatory who signed it; its content is unchanged.
fn resign(
    keys: &HashMap<Sha256Hash, Arc<SigningIdentity>>,
    e: &OutboxEntry,
    seq: i64,
    prev: Option<String>,
) -> Result<(String, String), String> {
    let stored = |what: &str| format!("stored message {}: {what}", e.message_id);
    let parsed = jws::parse_compact(&e.jws, wire::TYP_MESSAGE).map_err(|err| stored(&err.to_string()))?;
    let signer = parsed.x5c.first().map(|der| pki::fingerprint(der)).ok_or_else(|| stored("no signer"))?;
    let key = keys
        .get(&signer)
        .ok_or_else(|| format!("this node holds no key of signatory {signer}, who signed message {}", e.message_id))?;
    let (mut header, type_raw, body) =
        message::parse_envelope(&parsed.payload).map_err(|err| stored(&err.to_string()))?;
    header.seq = u64::try_from(seq).map_err(|_| stored("sequence number out of range"))?;
    header.prev_hash = prev.map(|h| Sha256Hash::parse(&h)).transpose().map_err(|err| stored(&err.to_string()))?;
    let message_type = MessageType::parse(&type_raw).map_err(|err| stored(&err.to_string()))?;
    let signed = send::sign_header(header, message_type, &body, key).map_err(|err| err.to_string())?;
    Ok((signed.hash.to_hex(), signed.jws))
}
