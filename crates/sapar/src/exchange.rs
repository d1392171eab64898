//! The exchange node inside `serve` and `demo`: settings from the `[exchange]` configuration, and
//! the adapter that lets the HTTP API (`sapar_http::ExchangeApi`) reach `sapar_node`'s service.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use jiff::SignedDuration;
use sapar_http::{
    AuthorityChangeBody, Caller, ChannelHaltView, ChannelView, ExchangeApi, ExchangeError, ExchangeFuture,
    ExchangeMessageView, MessageDirection, MessageQueued, ReceiptView, SendMessageBody, SignatoryListBody,
    SignatoryListSent,
};
use sapar_model::Country;
use sapar_node::NodeError;
use sapar_node::dispatcher::Backoff;
use sapar_node::log::CheckpointPolicy;
use sapar_node::service::{
    ChannelRecord, Direction, ExchangeService, MessageRecord, NewAuthorityChange, NewSignatory, NewSignatoryList,
    Outgoing, Queued, ResumeError, SendError,
};
use sapar_node::setup::{self, NodeSettings, PartnerSpec, PayloadKeySource};
use sapar_register::exchange::CaseDesk;
use sapar_treaty::agreement::AgreementBook;

use crate::config::ExchangeConfig;

/// Reads and checks everything `[exchange]` names; `host` is the register's state, which the
/// keys must belong to.
pub(crate) async fn settings(
    config: &ExchangeConfig,
    host: Country,
    book: &AgreementBook,
) -> anyhow::Result<NodeSettings> {
    let dir =
        config.keys.as_ref().map(|k| k.relative()).context(
            "[exchange] needs `keys`: the directory written by `sapar keys init` (or --keys DIR, SAPAR_KEYS)",
        )?;
    let keys = setup::load_keys(&dir)?;
    anyhow::ensure!(
        keys.state == host,
        "the exchange keys in {} are {}'s, but this node's host_state is {host}",
        dir.display(),
        keys.state
    );
    let source = match &config.payload_key {
        Some(path) => PayloadKeySource::File(path.relative()),
        None => PayloadKeySource::DerivedFromNodeKey,
    };
    let payload_key = setup::payload_key(&source, &keys)?;
    anyhow::ensure!(
        !config.partners.is_empty(),
        "[exchange] has no partner: add an [[exchange.partners]] entry with state, endpoint, ca and signatories"
    );
    let mut partners = Vec::with_capacity(config.partners.len());
    for p in &config.partners {
        let spec = PartnerSpec {
            state: p.state.clone(),
            endpoint: p.endpoint.clone(),
            ca: p.ca.relative(),
            signatories: p.signatories.relative(),
            node_sha256: p.node_sha256.clone(),
            server_name: p.server_name.clone(),
        };
        partners.push(setup::load_partner(&spec, keys.state, book).await?);
    }
    anyhow::ensure!(config.retry_base_ms >= 1, "[exchange] retry_base_ms must be at least 1");
    anyhow::ensure!(
        config.retry_max_ms >= config.retry_base_ms,
        "[exchange] retry_max_ms ({}) is below retry_base_ms ({})",
        config.retry_max_ms,
        config.retry_base_ms
    );
    let skew = i64::try_from(config.max_clock_skew_secs).context("[exchange] max_clock_skew_secs is too large")?;
    anyhow::ensure!(
        config.checkpoint_every >= 1,
        "[exchange] checkpoint_every must be at least 1 (a checkpoint after that many log entries)"
    );
    anyhow::ensure!(
        (1..=MAX_CHECKPOINT_WAIT_SECS).contains(&config.checkpoint_max_wait_secs),
        "[exchange] checkpoint_max_wait_secs must be from 1 to {MAX_CHECKPOINT_WAIT_SECS} (seconds), got {}",
        config.checkpoint_max_wait_secs
    );
    Ok(NodeSettings {
        keys,
        payload_key,
        partners,
        max_clock_skew: SignedDuration::from_secs(skew),
        backoff: Backoff {
            base: Duration::from_millis(config.retry_base_ms),
            max: Duration::from_millis(config.retry_max_ms),
        },
        checkpoints: CheckpointPolicy {
            every: config.checkpoint_every,
            max_wait: Duration::from_secs(config.checkpoint_max_wait_secs),
            ..CheckpointPolicy::default()
        },
    })
}

/// The longest `checkpoint_max_wait_secs`: a day. Entries after the last checkpoint are protected
/// by the hash chain only, so the wait stays bounded.
const MAX_CHECKPOINT_WAIT_SECS: u64 = 86_400;

/// The HTTP API's view of the node's service.
#[derive(Debug)]
pub(crate) struct NodeApi(pub(crate) Arc<ExchangeService>);

fn utc(at: jiff::Timestamp) -> String {
    sapar_treaty::message::format_utc(at)
}

fn view(m: MessageRecord) -> ExchangeMessageView {
    ExchangeMessageView {
        direction: match m.direction {
            Direction::In => "in",
            Direction::Out => "out",
        }
        .to_owned(),
        id: m.id.to_string(),
        channel: m.channel,
        seq: m.seq,
        message_type: m.message_type,
        case_id: m.case_id.to_string(),
        agreement: m.agreement,
        from: m.from,
        to: m.to,
        created_at: utc(m.created_at),
        message_hash: m.message_hash,
        status: m.state.as_str().to_owned(),
        attempts: m.attempts,
        last_error: m.last_error,
        next_attempt_at: m.next_attempt_at.map(utc),
        receipt: m.receipt.map(|r| ReceiptView {
            jws: r.jws,
            verified: r.verified,
            received_at: r.received_at.map(utc),
            receiver: r.receiver,
        }),
    }
}

fn queued(q: Queued) -> MessageQueued {
    MessageQueued {
        id: q.entry.message_id.to_string(),
        case_id: q.case_id.to_string(),
        channel: q.entry.channel,
        seq: q.entry.seq,
        message_hash: q.entry.message_hash,
        status: "pending".to_owned(),
        signatory: q.signatory,
    }
}

/// A channel as the API shows it.
pub(crate) fn channel_view(c: ChannelRecord) -> ChannelView {
    ChannelView {
        channel: c.channel,
        agreement: c.agreement,
        partner: c.partner.code().to_owned(),
        delivered_seq: c.delivered_seq,
        next_seq: c.next_seq,
        queued: c.queued,
        halted: c.halt.map(|h| ChannelHaltView {
            code: h.code,
            detail: h.detail,
            message_id: h.message_id.to_string(),
            since: utc(h.halted_at),
        }),
    }
}

fn send_error(e: SendError) -> ExchangeError {
    match e {
        SendError::Invalid { code, field, message } => {
            ExchangeError::Unprocessable { code, message, field: Some(field) }
        }
        SendError::Refused(r) => {
            ExchangeError::Unprocessable { code: r.code.as_str(), message: r.message, field: None }
        }
        SendError::Node(e) => node_error(e),
    }
}

fn node_error(e: NodeError) -> ExchangeError {
    match e {
        NodeError::Store(s) => ExchangeError::Storage(s.to_string()),
        other => ExchangeError::Internal(other.to_string()),
    }
}

impl ExchangeApi for NodeApi {
    fn send<'a>(&'a self, caller: &'a Caller, message: SendMessageBody) -> ExchangeFuture<'a, MessageQueued> {
        Box::pin(async move {
            let out = Outgoing {
                agreement: message.agreement,
                from: message.from,
                to: message.to,
                message_type: message.message_type,
                case_id: message.case_id,
                in_reply_to: message.in_reply_to,
                signatory: message.signatory,
                body: message.body,
            };
            let q = self.0.send(out).await.map_err(send_error)?;
            tracing::info!(
                token = %caller.token_name,
                id = %q.entry.message_id,
                signatory = %q.signatory,
                "message sent by an officer"
            );
            Ok(queued(q))
        })
    }

    fn list(&self, direction: MessageDirection, limit: u32) -> ExchangeFuture<'_, Vec<ExchangeMessageView>> {
        Box::pin(async move {
            let direction = match direction {
                MessageDirection::In => Direction::In,
                MessageDirection::Out => Direction::Out,
            };
            let records = self.0.list(direction, i64::from(limit)).await.map_err(node_error)?;
            Ok(records.into_iter().map(view).collect())
        })
    }

    fn case_desk(&self) -> &dyn CaseDesk {
        self.0.as_ref()
    }

    fn channels(&self) -> ExchangeFuture<'_, Vec<ChannelView>> {
        Box::pin(async move {
            let channels = self.0.channels().await.map_err(node_error)?;
            Ok(channels.into_iter().map(channel_view).collect())
        })
    }

    fn resume<'a>(&'a self, caller: &'a Caller, channel: &'a str) -> ExchangeFuture<'a, ChannelView> {
        Box::pin(async move {
            match self.0.resume(channel).await {
                Ok(c) => {
                    tracing::warn!(token = %caller.token_name, channel = %c.channel, "channel resumed by an operator");
                    Ok(channel_view(c))
                }
                Err(e @ ResumeError::NotAChannel(_)) => Err(ExchangeError::Unprocessable {
                    code: "invalid_id",
                    message: e.to_string(),
                    field: Some("channel"),
                }),
                Err(e @ ResumeError::NotHalted(_)) => {
                    Err(ExchangeError::Conflict { code: "channel_not_halted", message: e.to_string() })
                }
                Err(ResumeError::Node(e)) => Err(node_error(e)),
            }
        })
    }

    fn send_signatory_list<'a>(
        &'a self,
        caller: &'a Caller,
        list: SignatoryListBody,
    ) -> ExchangeFuture<'a, SignatoryListSent> {
        Box::pin(async move {
            let new = NewSignatoryList {
                authority: list.authority,
                version: list.version,
                effective_from: list.effective_from,
                signatories: list
                    .signatories
                    .into_iter()
                    .map(|s| NewSignatory {
                        name: s.name,
                        position: s.position,
                        certificate_sha256: s.certificate_sha256,
                    })
                    .collect(),
                signatory: list.signatory,
            };
            let sent = self.0.send_signatory_list(new).await.map_err(send_error)?;
            tracing::info!(
                token = %caller.token_name,
                authority = %sent.authority,
                version = sent.version,
                messages = sent.messages.len(),
                "signatory list sent by an operator"
            );
            Ok(SignatoryListSent {
                authority: sent.authority.to_string(),
                version: sent.version,
                effective_from: utc(sent.effective_from),
                messages: sent.messages.into_iter().map(queued).collect(),
            })
        })
    }

    fn send_authority_change<'a>(
        &'a self,
        caller: &'a Caller,
        change: AuthorityChangeBody,
    ) -> ExchangeFuture<'a, MessageQueued> {
        Box::pin(async move {
            let new = NewAuthorityChange {
                agreement: change.agreement,
                from: change.from,
                effective_on: change.effective_on,
                replaced: change.replaced,
                new: change.new.map(|n| (n.id, n.name_ru, n.name_en)),
                basis: change.basis,
                signatory: change.signatory,
            };
            let q = self.0.send_authority_change(new).await.map_err(send_error)?;
            tracing::info!(token = %caller.token_name, id = %q.entry.message_id, "authority change sent by an operator");
            Ok(queued(q))
        })
    }
}
