//! The exchange node inside `serve` and `demo`: settings from the `[exchange]` configuration, and
//! the adapter that lets the HTTP API (`sapar_http::ExchangeApi`) reach `sapar_node`'s service.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use jiff::SignedDuration;
use sapar_http::{
    Caller, ExchangeApi, ExchangeError, ExchangeFuture, ExchangeMessageView, MessageDirection, MessageQueued,
    ReceiptView, SendMessageBody,
};
use sapar_model::Country;
use sapar_node::NodeError;
use sapar_node::dispatcher::Backoff;
use sapar_node::service::{Direction, ExchangeService, MessageRecord, Outgoing, SendError};
use sapar_node::setup::{self, NodeSettings, PartnerSpec, PayloadKeySource};
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
    Ok(NodeSettings {
        keys,
        payload_key,
        partners,
        max_clock_skew: SignedDuration::from_secs(skew),
        backoff: Backoff {
            base: Duration::from_millis(config.retry_base_ms),
            max: Duration::from_millis(config.retry_max_ms),
        },
    })
}

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
            match self.0.send(out).await {
                Ok(q) => {
                    tracing::info!(
                        token = %caller.token_name,
                        id = %q.entry.message_id,
                        signatory = %q.signatory,
                        "message sent by an officer"
                    );
                    Ok(MessageQueued {
                        id: q.entry.message_id.to_string(),
                        case_id: q.case_id.to_string(),
                        channel: q.entry.channel,
                        seq: q.entry.seq,
                        message_hash: q.entry.message_hash,
                        status: "pending".to_owned(),
                        signatory: q.signatory,
                    })
                }
                Err(SendError::Invalid { code, field, message }) => {
                    Err(ExchangeError::Unprocessable { code, message, field: Some(field) })
                }
                Err(SendError::Refused(r)) => {
                    Err(ExchangeError::Unprocessable { code: r.code.as_str(), message: r.message, field: None })
                }
                Err(SendError::Node(e)) => Err(node_error(e)),
            }
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
}
