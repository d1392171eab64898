//! The sending side: signed messages enter the outbox in the store's transaction, and a task
//! delivers each channel's pending messages, in order, to the partner node: a run of them in one
//! batch (`POST /exchange/v1/batches`) when the partner takes batches, otherwise one at a time.
//! Network failures and 5xx answers are retried with exponential backoff and jitter; a message
//! counts as delivered only with a receipt that verifies against the partner's pinned CA and names
//! it, and the receipts of a batch are recorded in one transaction.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use ring::rand::{SecureRandom, SystemRandom};
use sapar_model::Country;
use sapar_store::Store;
use sapar_store::exchange::{
    ChannelHalt, DeliveredMessage, EnqueueError, ExchangeDirection, OutboxEntry, OutgoingMessage, ResequenceError,
    ResignFn,
};
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
            case_id: draft.case_id.as_uuid(),
            message_type: draft.message_type.as_str().to_owned(),
        })
    });
    store.enqueue_outgoing(&channel.to_string(), compose).await.map_err(|e| match e {
        EnqueueError::Compose(m) => NodeError::Draft(m.to_string()),
        EnqueueError::RegistryConflict(c) => NodeError::Draft(c.to_string()),
        EnqueueError::Store(s) => NodeError::Store(s),
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

/// A partner with the connections to it, and whether it takes batches.
#[derive(Debug)]
struct PartnerLink {
    partner: Partner,
    client: Client,
    /// Set when the partner answers a batch as a node without the batch endpoint would: its
    /// messages then go one at a time until this instant, when a batch is tried again (the
    /// partner may have been upgraded).
    single_until: Mutex<Option<Instant>>,
}

impl PartnerLink {
    fn takes_batches(&self) -> bool {
        match self.single_until.lock() {
            Ok(until) => until.is_none_or(|t| Instant::now() >= t),
            Err(_) => false,
        }
    }

    fn refuses_batches(&self) {
        if let Ok(mut until) = self.single_until.lock() {
            *until = Some(Instant::now() + SINGLE_AFTER_REFUSED_BATCH);
        }
    }
}

/// How long a partner that refused a batch is sent one message at a time before a batch is tried
/// again.
const SINGLE_AFTER_REFUSED_BATCH: Duration = Duration::from_secs(600);

/// Delivers the outbox.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    store: Store,
    partners: Arc<HashMap<Country, PartnerLink>>,
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
const BURST: usize = 256;

/// The most messages sent in one batch.
pub const BATCH: usize = 64;

/// The most bytes of messages sent in one batch (the receiver refuses bodies over 4 MiB); a
/// larger message goes alone.
const BATCH_BYTES: usize = 1024 * 1024;

/// Longest sleep between two looks at the outbox.
const IDLE: Duration = Duration::from_secs(5);

impl Dispatcher {
    pub fn new(store: Store, partners: HashMap<Country, Partner>, backoff: Backoff) -> Dispatcher {
        let partners = partners
            .into_iter()
            .map(|(state, partner)| {
                let client = Client::new(partner.endpoint.clone());
                (state, PartnerLink { partner, client, single_until: Mutex::new(None) })
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

    /// Delivers `head` and, while that succeeds, the channel's next due messages, up to [`BURST`].
    async fn deliver_channel(&self, head: OutboxEntry) -> Result<Vec<(MessageId, Delivery)>, NodeError> {
        let mut out = Vec::new();
        let mut run = self.store.pending_run(&head.channel, BATCH).await?;
        if run.first().map(|e| e.message_id) != Some(head.message_id) {
            run = vec![head];
        }
        while !run.is_empty() && out.len() < BURST {
            let (attempts, next) = self.deliver_run(run).await?;
            for (id, delivery) in attempts {
                // Nobody listening is not an error.
                let _ = self.events.send((id, delivery.clone()));
                out.push((id, delivery));
            }
            run = next;
        }
        Ok(out)
    }

    fn link(&self, channel: &ChannelId) -> Result<&PartnerLink, NodeError> {
        self.partners.get(&channel.to_state).ok_or_else(|| NodeError::NoEndpoint(channel.to_state.code().to_owned()))
    }

    /// One attempt at the start of a channel's pending run (which begins with its due head): the
    /// messages as one batch, or the head alone. Returns the attempts made and the channel's next
    /// due run.
    async fn deliver_run(&self, mut run: Vec<OutboxEntry>) -> Result<(Vec<(MessageId, Delivery)>, Run), NodeError> {
        let Some(head) = run.first() else { return Ok((Vec::new(), Vec::new())) };
        let channel = channel_of(head)?;
        let link = self.link(&channel)?;
        let mut bytes = 0;
        let fits = run
            .iter()
            .take_while(|e| {
                bytes += e.jws.len();
                bytes <= BATCH_BYTES
            })
            .count();
        run.truncate(fits.clamp(1, BATCH));
        if run.len() == 1 || !link.takes_batches() {
            let head = &run[0];
            let (delivery, next) = self.deliver(head).await?;
            return Ok((vec![(id_of(head)?, delivery)], next));
        }
        let head = &run[0];
        let head_id = id_of(head)?;
        let batch = wire::BatchRequest { messages: run.iter().map(|e| e.jws.clone()).collect() };
        let body = serde_json::to_vec(&batch).map_err(|e| NodeError::Corrupt(format!("batch not serialised: {e}")))?;
        let answer = match link.client.post_batch(body).await {
            Ok(a) => a,
            Err(err) => return self.retry(head, err.to_string()).await.map(|(d, next)| (vec![(head_id, d)], next)),
        };
        if answer.status != 200 {
            let body = String::from_utf8_lossy(&answer.body);
            if answer.status >= 500 {
                let (d, next) = self.retry(head, format!("partner answered {}: {body}", answer.status)).await?;
                return Ok((vec![(head_id, d)], next));
            }
            // No batch endpoint (404, 405), or it refuses this batch as a whole: the messages go
            // one at a time for a while, each answered on its own.
            tracing::warn!(partner = %channel.to_state, status = answer.status, %body,
                "partner does not take this node's batches; sending one message at a time");
            link.refuses_batches();
            let (delivery, next) = self.deliver(head).await?;
            return Ok((vec![(head_id, delivery)], next));
        }
        let results = match wire::from_json_object::<wire::BatchResponse>(&answer.body) {
            Ok(r) if !r.results.is_empty() && r.results.len() <= run.len() => r.results,
            Ok(r) => {
                let why = format!("batch answer has {} results for {} messages", r.results.len(), run.len());
                return self.retry(head, why).await.map(|(d, next)| (vec![(head_id, d)], next));
            }
            Err(e) => {
                let why = format!("batch answer not valid: {e}");
                return self.retry(head, why).await.map(|(d, next)| (vec![(head_id, d)], next));
            }
        };
        let mut delivered = Vec::new();
        let mut failed = None;
        for (e, result) in run.iter().zip(results) {
            match result {
                wire::BatchResult::Accepted(r) => match self.check_receipt(&link.partner, &channel, e, &r.receipt)? {
                    Ok(d) => delivered.push(d),
                    Err(why) => {
                        failed = Some((e, Failure::Retry(why)));
                        break;
                    }
                },
                wire::BatchResult::Refused(r) => {
                    failed = Some((e, Failure::Refused(r.status, r.error)));
                    break;
                }
            }
        }
        let mut attempts = Vec::with_capacity(delivered.len() + 1);
        let mut next = Vec::new();
        if !delivered.is_empty() {
            for d in &delivered {
                attempts
                    .push((MessageId::from_uuid(d.message_id).map_err(|_| corrupt("outbox id"))?, Delivery::Delivered));
            }
            next = self.store.mark_delivered_run(delivered, BATCH, Timestamp::now()).await?.1;
        }
        if let Some((e, failure)) = failed {
            let (delivery, after) = match failure {
                Failure::Retry(why) => self.retry(e, why).await?,
                Failure::Refused(status, error) => self.refused(e, status, Some(error)).await?,
            };
            attempts.push((id_of(e)?, delivery));
            next = after;
        }
        Ok((attempts, next))
    }

    /// Checks a receipt for `e`: valid, from the partner's node, naming `e`. Err(why) when it
    /// does not.
    fn check_receipt(
        &self,
        partner: &Partner,
        channel: &ChannelId,
        e: &OutboxEntry,
        receipt_jws: &str,
    ) -> Result<Result<DeliveredMessage, String>, NodeError> {
        let info = match receipt::verify_receipt(receipt_jws, &partner.ca_cert_der, &partner.node_cert_fingerprints) {
            Ok(i) => i,
            Err(err) => return Ok(Err(format!("receipt not valid: {err}"))),
        };
        let hash = Sha256Hash::parse(&e.message_hash).map_err(|_| corrupt("outbox hash"))?;
        let id = id_of(e)?;
        if info.message_id != id || info.message_hash != hash {
            return Ok(Err("receipt names another message".into()));
        }
        let seq = u64::try_from(e.seq).map_err(|_| corrupt("outbox seq"))?;
        let chain = log::chain_fn(log::record(Timestamp::now(), LogDirection::Sent, channel.clone(), seq, id, hash));
        Ok(Ok(DeliveredMessage { message_id: e.message_id, receipt: receipt_jws.to_owned(), chain }))
    }

    async fn retry(&self, e: &OutboxEntry, error: String) -> Result<(Delivery, Run), NodeError> {
        let attempts = u32::try_from(e.attempts.saturating_add(1)).unwrap_or(u32::MAX);
        let delay = self.backoff.delay(attempts, random_unit(&self.rng));
        let at = Timestamp::now()
            .checked_add(SignedDuration::try_from(delay).unwrap_or(SignedDuration::from_secs(300)))
            .unwrap_or(Timestamp::MAX);
        tracing::info!(message = %e.message_id, attempts, %error, retry_at = %at, "delivery failed");
        self.store.record_attempt_failure(e.message_id, &error, at).await?;
        Ok((Delivery::Retry { error, at }, Vec::new()))
    }

    /// One attempt at `e` alone; when it is delivered, also the channel's next due run.
    async fn deliver(&self, e: &OutboxEntry) -> Result<(Delivery, Run), NodeError> {
        let channel = channel_of(e)?;
        let link = self.link(&channel)?;
        let answer = match link.client.post_message(&e.jws).await {
            Ok(a) => a,
            Err(err) => return self.retry(e, err.to_string()).await,
        };
        if answer.status != 200 {
            let error = serde_json::from_slice::<wire::ErrorResponse>(&answer.body).ok();
            if error.is_none() && answer.status >= 500 {
                let body = String::from_utf8_lossy(&answer.body);
                return self.retry(e, format!("partner answered {}: {body}", answer.status)).await;
            }
            return self.refused(e, answer.status, error).await;
        }
        let body = String::from_utf8_lossy(&answer.body);
        match self.check_receipt(&link.partner, &channel, e, &body)? {
            Ok(delivered) => {
                let (_, next) = self.store.mark_delivered_run(vec![delivered], BATCH, Timestamp::now()).await?;
                Ok((Delivery::Delivered, next))
            }
            Err(why) => self.retry(e, why).await,
        }
    }

    /// A message the partner did not accept, answered with `status` and (when it sent one) an
    /// error body: retried after a 5xx, resynchronised after a sequence or chain error, rejected
    /// otherwise.
    async fn refused(
        &self,
        e: &OutboxEntry,
        status: u16,
        error: Option<wire::ErrorResponse>,
    ) -> Result<(Delivery, Run), NodeError> {
        if status >= 500 {
            let detail = error.map(|r| format!("{}: {}", r.code, r.message)).unwrap_or_default();
            return self.retry(e, format!("partner answered {status}: {detail}")).await;
        }
        let code = error.as_ref().map_or_else(|| format!("http_{status}"), |r| r.code.clone());
        let detail = error.map(|r| r.message).unwrap_or_default();
        let sequence = [ErrorCode::SequenceOutOfOrder.as_str(), ErrorCode::ChainHashMismatch.as_str()];
        if sequence.contains(&code.as_str()) {
            return self.out_of_sequence(e, code, detail).await;
        }
        self.reject(e, code).await
    }

    /// A refusal that is final: the message is rejected and gives its number back, so the
    /// channel's later messages are signed again with the numbers after the last receipt.
    async fn reject(&self, e: &OutboxEntry, code: String) -> Result<(Delivery, Run), NodeError> {
        tracing::warn!(message = %e.message_id, channel = %e.channel, %code, "message refused by the partner");
        let renumbered =
            self.store.resequence_outgoing(&e.channel, Some((e.message_id, code.clone())), self.resign_fn()).await;
        match renumbered {
            Ok(pending) => Ok((Delivery::Rejected(code), due_run(pending))),
            Err(ResequenceError::Resign(why)) => {
                self.store.mark_rejected(e.message_id, &code).await?;
                self.halt(e, RESIGN_FAILED, why.to_string()).await?;
                Ok((Delivery::Rejected(code), Vec::new()))
            }
            Err(ResequenceError::Store(s)) => Err(s.into()),
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
    ) -> Result<(Delivery, Run), NodeError> {
        let head = self.store.channel_head(&e.channel, ExchangeDirection::Sent).await?;
        let (seq, prev) = head.map_or((1, None), |h| (h.seq + 1, Some(h.hash)));
        if (e.seq, e.prev_hash.as_ref()) == (seq, prev.as_ref()) {
            let prev = prev.as_deref().unwrap_or("null");
            return self.halt(e, &code, format!("{detail} (this node's record: seq {seq} after {prev})")).await;
        }
        match self.store.resequence_outgoing(&e.channel, None, self.resign_fn()).await {
            Ok(pending) => {
                tracing::info!(channel = %e.channel, %code, seq, "channel queue signed again after the last receipt");
                Ok((Delivery::Resequenced, pending.into_iter().take(BATCH).collect()))
            }
            Err(ResequenceError::Resign(why)) => self.halt(e, RESIGN_FAILED, why.to_string()).await,
            Err(ResequenceError::Store(s)) => Err(s.into()),
        }
    }

    async fn halt(&self, e: &OutboxEntry, code: &str, detail: String) -> Result<(Delivery, Run), NodeError> {
        tracing::error!(channel = %e.channel, message = %e.message_id, %code, %detail, "channel halted");
        let halt = ChannelHalt {
            channel: e.channel.clone(),
            message_id: e.message_id,
            code: code.to_owned(),
            detail,
            halted_at: Timestamp::now(),
        };
        self.store.halt_channel(halt).await?;
        Ok((Delivery::Halted(code.to_owned()), Vec::new()))
    }

    fn resign_fn(&self) -> ResignFn {
        let keys = Arc::clone(&self.signatories);
        Box::new(move |e, seq, prev| resign(&keys, e, seq, prev).map_err(Into::into))
    }
}

/// A channel's pending messages in order, as far as they go out next: up to [`BATCH`] of them,
/// and none when the first is not due yet.
type Run = Vec<OutboxEntry>;

/// Why a message of a batch was not delivered.
enum Failure {
    /// Its receipt did not verify: sent again later.
    Retry(String),
    /// The partner refused it with this HTTP status and error.
    Refused(u16, wire::ErrorResponse),
}

/// The first [`BATCH`] of a channel's pending messages, when the first is due now.
fn due_run(mut pending: Vec<OutboxEntry>) -> Run {
    let now = Timestamp::now();
    if pending.first().is_none_or(|e| e.next_attempt_at > now) {
        return Vec::new();
    }
    pending.truncate(BATCH);
    pending
}

fn corrupt(what: &str) -> NodeError {
    NodeError::Corrupt(what.to_owned())
}

fn id_of(e: &OutboxEntry) -> Result<MessageId, NodeError> {
    MessageId::from_uuid(e.message_id).map_err(|_| corrupt("outbox id"))
}

fn channel_of(e: &OutboxEntry) -> Result<ChannelId, NodeError> {
    ChannelId::parse(&e.channel).map_err(|_| NodeError::Corrupt(format!("outbox channel {}", e.channel)))
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
