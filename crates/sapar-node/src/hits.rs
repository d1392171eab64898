//! Automatic hit/no-hit answers (the first step of the Prüm model): a partner's `query` received
//! under an agreement configured for automatic answers is answered from the register with a
//! signed `hit_result` — whether the register holds data in the queried categories about the
//! person described, and nothing else. The receiver signals each stored query's case; the
//! responder answers it (and, when it starts, every query still unanswered), in reply to the
//! query, from the authority it was addressed to, to the authority that sent it. Queries under
//! other agreements wait for an officer.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;

use sapar_register::RegisterError;
use sapar_register::exchange::{CaseBody, DataCategory, HitCheck, HitQuery};
use sapar_treaty::case::CaseState;
use sapar_treaty::message::MessageType;
use sapar_treaty::wire;
use serde_json::json;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::NodeError;
use crate::service::{ExchangeService, Outgoing};

/// The receiver's side of the signal: the case of each query stored.
pub type QuerySignal = mpsc::UnboundedSender<Uuid>;

/// Answers queries as they are stored.
pub struct HitResponder {
    service: Arc<ExchangeService>,
    check: Arc<dyn HitCheck>,
    /// The agreements whose queries are answered automatically.
    agreements: BTreeSet<String>,
    queries: mpsc::UnboundedReceiver<Uuid>,
}

impl HitResponder {
    pub(crate) fn new(
        service: Arc<ExchangeService>,
        check: Arc<dyn HitCheck>,
        agreements: BTreeSet<String>,
        queries: mpsc::UnboundedReceiver<Uuid>,
    ) -> HitResponder {
        HitResponder { service, check, agreements, queries }
    }

    /// Answers the queries left unanswered, then each query signalled, until `shutdown`.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        match self.pending().await {
            Ok(cases) => {
                for case_id in cases {
                    self.answer_logged(case_id).await;
                }
            }
            Err(e) => tracing::error!(error = %e, "unanswered hit/no-hit queries not read"),
        }
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                next = self.queries.recv() => match next {
                    Some(case_id) => self.answer_logged(case_id).await,
                    None => return,
                },
            }
        }
    }

    /// The cases a partner opened with a query this node has not answered yet.
    async fn pending(&self) -> Result<Vec<Uuid>, NodeError> {
        let local = self.service.local_state();
        Ok(self
            .service
            .store()
            .case_index(None)
            .await?
            .into_iter()
            .filter(|row| row.opened_by != local.code() && row.state == CaseState::Queried.as_str())
            .filter(|row| self.agreements.contains(&row.agreement))
            .map(|row| row.case_id)
            .collect())
    }

    async fn answer_logged(&self, case_id: Uuid) {
        match self.answer(case_id).await {
            Ok(Some(hit)) => tracing::info!(case = %case_id, hit, "hit/no-hit query answered"),
            Ok(None) => {}
            Err(e) => tracing::error!(case = %case_id, error = %e, "hit/no-hit query not answered"),
        }
    }

    /// Answers the query of `case_id` when it is still unanswered and its agreement is
    /// configured; the answer given, `None` when nothing was to be answered.
    pub async fn answer(&self, case_id: Uuid) -> Result<Option<bool>, RegisterError> {
        let Some(row) = self.service.store().case_index_of(case_id).await? else { return Ok(None) };
        if row.state != CaseState::Queried.as_str() || !self.agreements.contains(&row.agreement) {
            return Ok(None);
        }
        let received = self.service.store().case_inbox(case_id).await?;
        let Some(query) = received.iter().find(|m| m.message_type == MessageType::Query.as_str()) else {
            return Ok(None);
        };
        let CaseBody::Present(body) = self.service.received_message(query)?.body else { return Ok(None) };
        let body: wire::QueryBody =
            serde_json::from_value(body).map_err(|e| NodeError::Corrupt(format!("query {}: {e}", query.message_id)))?;
        let hit = self
            .check
            .hit(&HitQuery {
                case_id,
                agreement: row.agreement.clone(),
                categories: body.categories.iter().filter_map(|c| DataCategory::parse(c).ok()).collect(),
                person: body.person,
            })
            .await?;
        let outgoing = Outgoing {
            agreement: row.agreement,
            from: query.to_authority.clone(),
            to: query.from_authority.clone(),
            message_type: MessageType::HitResult.as_str().to_owned(),
            case_id: Some(case_id.to_string()),
            in_reply_to: Some(query.message_id.to_string()),
            signatory: None,
            body: json!({ "hit": hit }),
        };
        self.service.send_for_desk(outgoing).await?;
        Ok(Some(hit))
    }
}
