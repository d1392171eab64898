//! The treaty case desk as officers see it: every case with its partner, state and, for a
//! request, the Art. 11.3 deadline (receipt plus 30 calendar days in the requested party's zone)
//! with the days left and whether the answer came on time; and one case with every message in
//! both directions and its body — opened from the seal at rest for a received message, read from
//! the signed text for a sent one. Reading a case's messages is logged first (who, when, which
//! case, for what purpose, from where), in a log that is only ever appended to.

use std::cmp::Reverse;

use jiff::Timestamp;
use sapar_model::{Country, Role};
use sapar_register::access::Access;
use sapar_register::exchange::{
    AnswerTerms, AuthorityChoice, CaseAnswer, CaseBody, CaseCounts, CaseDelivery, CaseDesk, CaseDirection, CaseFilter,
    CaseFuture, CaseMessage, CaseOpening, CaseRecord, CaseStatus, CaseStep, CaseStepKind, CaseSummary, ChannelStop,
    DUE_SOON_DAYS, ExchangeChannel, OpeningKind, OpeningTerms, RequestDeadline, require_case_role, require_step_role,
};
use sapar_register::{Actor, Entity, RegisterError};
use sapar_store::exchange::desk::{CaseInboxRow, CaseIndexRow, CaseReadEntry};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::case::{self, CaseState, Side};
use sapar_treaty::category::{DataCategory, PersonField};
use sapar_treaty::ids::{AgreementId, ChannelId};
use sapar_treaty::message::{self, MessageType};
use sapar_treaty::seal;
use sapar_treaty::{jws, receipt, wire};
use serde_json::Value;
use uuid::Uuid;

use crate::NodeError;
use crate::service::{ChannelRecord, ExchangeService, Outgoing, Queued, ResumeError, SendError, delivery_of};

/// The states in which a case waits for one of its parties to act.
fn is_waiting(state: CaseState) -> bool {
    matches!(
        state,
        CaseState::Queried
            | CaseState::Requested
            | CaseState::InProgress
            | CaseState::ClarificationRequested
            | CaseState::Postponed
            | CaseState::AuthenticityQueried
            | CaseState::ConfidentialityNotified
    )
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn latest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    a.max(b)
}

impl ExchangeService {
    /// The cases `filter` matches at `now`: overdue first, then due soon (the nearest deadline
    /// first), then the other open cases and the closed ones (the latest activity first).
    pub async fn case_list(&self, filter: &CaseFilter, now: Timestamp) -> Result<Vec<CaseSummary>, NodeError> {
        let rows = self.store().case_index(filter.agreement.as_deref()).await?;
        let book = self.registry().current().book.clone();
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            // One unreadable case (say, its messages not labelled yet after an upgrade) does not
            // take the desk down: it is left out and logged.
            let case = match self.summary(row, &book, now) {
                Ok(case) => case,
                Err(e) => {
                    tracing::error!(case = %row.case_id, error = %e, "exchange case left out of the desk");
                    continue;
                }
            };
            if filter.status.is_none_or(|s| case.status.matches(s)) && filter.partner.is_none_or(|p| p == case.partner)
            {
                cases.push(case);
            }
        }
        cases.sort_by_key(|c| {
            (c.status.rank(), c.deadline.as_ref().map(|d| d.due_on), Reverse(c.last_activity_at), c.case_id)
        });
        Ok(cases)
    }

    /// How many cases stand where at `now`.
    pub async fn case_tally(&self, now: Timestamp) -> Result<CaseCounts, NodeError> {
        let cases = self.case_list(&CaseFilter::default(), now).await?;
        Ok(CaseCounts::of(cases.iter().map(|c| c.status)))
    }

    /// One case with every message and its body, after logging `access`'s read of it.
    pub async fn case_record(
        &self,
        access: &Access,
        case_id: Uuid,
        now: Timestamp,
    ) -> Result<CaseRecord, RegisterError> {
        let row = self.store().case_index_of(case_id).await?.ok_or(RegisterError::NotFound(Entity::ExchangeCase))?;
        let book = self.registry().current().book.clone();
        let summary = self.summary(&row, &book, now)?;
        let received = self.store().case_inbox(case_id).await?;
        let sent = self.store().case_outbox(case_id).await?;
        let mut messages = Vec::with_capacity(received.len() + sent.len());
        for m in &received {
            messages.push(self.received_message(m)?);
        }
        for e in &sent {
            let (header, message_type, body) = self.signed_message(&e.jws, e.message_id)?;
            messages.push(CaseMessage {
                direction: CaseDirection::Out,
                id: e.message_id,
                channel: e.channel.clone(),
                seq: e.seq,
                message_type,
                from: header.from.to_string(),
                to: header.to.to_string(),
                in_reply_to: header.in_reply_to.map(|m| m.as_uuid()),
                created_at: header.created_at,
                received_at: None,
                delivery: delivery_of(e.status),
                body: CaseBody::Present(body),
            });
        }
        messages.sort_by_key(|m| (m.received_at.unwrap_or(m.created_at), m.id));
        self.store()
            .append_case_read(&CaseReadEntry {
                id: Uuid::now_v7(),
                at: now,
                actor: access.actor.name.clone(),
                role: access.actor.role,
                channel: access.channel,
                case_id,
                purpose: access.purpose,
                purpose_note: access.purpose_note.clone(),
                address: access.address.map(|a| a.to_string()),
            })
            .await?;
        let steps = self.steps_in(&summary);
        let answer = self.answer_terms(&summary, &received, now)?;
        Ok(CaseRecord { summary, messages, steps, answer })
    }

    /// What the request asks and what the agreement lets this node answer, while this node is
    /// the requested party of a request still open (not yet answered, refused or withdrawn).
    fn answer_terms(
        &self,
        summary: &CaseSummary,
        received: &[CaseInboxRow],
        now: Timestamp,
    ) -> Result<Option<AnswerTerms>, NodeError> {
        // The desk answers an open request once; the case is closed after (the treaty's machine
        // would take a further answer, which the exchange API still sends).
        if summary.opened_by == self.local_state()
            || !is_waiting(summary.state)
            || case::transition(Some(summary.state), MessageType::Answer, Side::Responder).is_err()
        {
            return Ok(None);
        }
        let Some(request) = received.iter().find(|m| m.message_type == "request") else { return Ok(None) };
        let CaseBody::Present(body) = self.received_message(request)?.body else { return Ok(None) };
        let corrupt = |what: String| NodeError::Corrupt(format!("request {}: {what}", request.message_id));
        let body: wire::RequestBody = serde_json::from_value(body).map_err(|e| corrupt(e.to_string()))?;
        let book = self.registry().current().book.clone();
        let agreement = AgreementId::parse(&summary.agreement)
            .ok()
            .and_then(|id| book.get(&id).cloned())
            .ok_or_else(|| corrupt(format!("agreement {} is not held", summary.agreement)))?;
        let terms = agreement.terms_on(agreement.local_date(self.local_state(), now));
        let categories: Vec<DataCategory> =
            body.categories.iter().filter_map(|c| DataCategory::parse(c).ok()).collect();
        let asked: Vec<PersonField> = body.fields.iter().filter_map(|f| PersonField::parse(f).ok()).collect();
        let fields = terms.fields.iter().copied().filter(|f| asked.is_empty() || asked.contains(f)).collect();
        Ok(Some(AnswerTerms {
            request_id: request.message_id,
            agreement: summary.agreement.clone(),
            purpose: body.purpose.unwrap_or_default(),
            categories,
            fields,
            person: body.person,
            grounds: terms.refusal_grounds.clone(),
        }))
    }

    /// Sends `answer` to the request of a case the partner opened, checked against the request
    /// first, then as the partner will check it.
    pub async fn answer_case(&self, actor: &Actor, case_id: Uuid, answer: CaseAnswer) -> Result<Uuid, RegisterError> {
        require_step_role(actor.role)?;
        let row = self.store().case_index_of(case_id).await?.ok_or(RegisterError::NotFound(Entity::ExchangeCase))?;
        let book = self.registry().current().book.clone();
        let now = Timestamp::now();
        let summary = self.summary(&row, &book, now)?;
        let received = self.store().case_inbox(case_id).await?;
        let terms = self.answer_terms(&summary, &received, now)?.ok_or_else(|| RegisterError::ExchangeRefused {
            code: "message_type_not_allowed",
            message: format!("no request of this case can be answered in its state ({})", summary.state.as_str()),
        })?;
        answer.check_against(&terms)?;
        let request = received
            .iter()
            .find(|m| m.message_id == terms.request_id)
            .ok_or_else(|| RegisterError::Internal("the answered request left the inbox".into()))?;
        let body =
            serde_json::to_value(answer.to_wire()).map_err(|e| RegisterError::Internal(format!("answer body: {e}")))?;
        let outgoing = Outgoing {
            agreement: row.agreement,
            from: request.to_authority.clone(),
            to: request.from_authority.clone(),
            message_type: MessageType::Answer.as_str().to_owned(),
            case_id: Some(case_id.to_string()),
            in_reply_to: Some(request.message_id.to_string()),
            signatory: None,
            body,
        };
        let id = self.send_for_desk(outgoing).await?.entry.message_id;
        tracing::info!(actor = %actor.name, case = %case_id, "answer sent");
        Ok(id)
    }

    /// What cases can be opened with today: each agreement in force with a configured partner.
    pub fn opening_terms(&self, now: Timestamp) -> Vec<OpeningTerms> {
        let local = self.local_state();
        let book = self.registry().current().book.clone();
        let choice = |a: &sapar_treaty::agreement::Authority| AuthorityChoice {
            id: a.id.to_string(),
            name_ru: a.name_ru.clone(),
            name_en: a.name_en.clone(),
        };
        book.iter()
            .filter_map(|agreement| {
                let partner = agreement.partner_of(local)?.state;
                self.partner(partner)?;
                let today = agreement.local_date(local, now);
                if !agreement.is_in_force(today) {
                    return None;
                }
                let terms = agreement.terms_on(today);
                Some(OpeningTerms {
                    agreement: agreement.id().to_string(),
                    partner,
                    local: agreement.competent_authorities(local, today).map(choice).collect(),
                    partner_authorities: agreement.competent_authorities(partner, today).map(choice).collect(),
                    categories: terms.categories.iter().copied().filter(|c| c.is_personal()).collect(),
                    fields: terms.fields.iter().copied().collect(),
                })
            })
            .collect()
    }

    /// Opens a case with a query or a request, checked as the partner will check it.
    pub async fn open_case(&self, actor: &Actor, opening: CaseOpening) -> Result<Uuid, RegisterError> {
        require_step_role(actor.role)?;
        let message_type = match opening.kind {
            OpeningKind::Query => MessageType::Query,
            OpeningKind::Request => MessageType::Request,
        };
        let outgoing = Outgoing {
            agreement: opening.agreement.clone(),
            from: opening.from.clone(),
            to: opening.to.clone(),
            message_type: message_type.as_str().to_owned(),
            case_id: None,
            in_reply_to: None,
            signatory: None,
            body: opening.body(),
        };
        let queued = self.send_for_desk(outgoing).await?;
        tracing::info!(actor = %actor.name, case = %queued.case_id, kind = message_type.as_str(), "case opened");
        Ok(queued.case_id.as_uuid())
    }

    /// Sends a message the desk composed; the partner's or the composer's refusal comes back as
    /// the treaty's code.
    pub(crate) async fn send_for_desk(&self, outgoing: Outgoing) -> Result<Queued, RegisterError> {
        match self.send(outgoing).await {
            Ok(queued) => Ok(queued),
            Err(SendError::Invalid { code, message, .. }) => Err(RegisterError::ExchangeRefused { code, message }),
            Err(SendError::Refused(r)) => {
                Err(RegisterError::ExchangeRefused { code: r.code.as_str(), message: r.message })
            }
            Err(SendError::Node(e)) => Err(e.into()),
        }
    }

    /// The recorded reads of a case's messages, oldest first.
    pub async fn case_reads(&self, case_id: Uuid) -> Result<Vec<CaseReadEntry>, NodeError> {
        Ok(self.store().case_reads(case_id).await?)
    }

    /// The steps this node may take in a case: as the requested party (the partner opened it),
    /// those the case machine allows from the responder in the case's state.
    fn steps_in(&self, summary: &CaseSummary) -> Vec<CaseStepKind> {
        if summary.opened_by == self.local_state() {
            return Vec::new();
        }
        CaseStepKind::ALL
            .into_iter()
            .filter(|k| {
                MessageType::parse(k.message_type())
                    .is_ok_and(|mt| case::transition(Some(summary.state), mt, Side::Responder).is_ok())
            })
            .collect()
    }

    /// Takes `step` in a case the partner opened: in reply to the partner's request (or query),
    /// from the authority it was addressed to, to the authority that sent it.
    pub async fn take_case_step(&self, actor: &Actor, case_id: Uuid, step: CaseStep) -> Result<Uuid, RegisterError> {
        require_step_role(actor.role)?;
        let row = self.store().case_index_of(case_id).await?.ok_or(RegisterError::NotFound(Entity::ExchangeCase))?;
        let received = self.store().case_inbox(case_id).await?;
        let opening =
            received.iter().find(|m| m.message_type == "request").or_else(|| received.first()).ok_or_else(|| {
                RegisterError::ExchangeRefused {
                    code: "message_type_not_allowed",
                    message: "this node received no request in this case: only the requested party takes these steps"
                        .into(),
                }
            })?;
        let mut body = serde_json::Map::new();
        let mut put = |key: &str, value: Option<String>| {
            if let Some(v) = value {
                body.insert(key.to_owned(), Value::String(v));
            }
        };
        match &step {
            CaseStep::DelayNotice { reason, expected_on } => {
                put("reason", Some(reason.clone()));
                put("expected_on", expected_on.map(|d| d.to_string()));
            }
            CaseStep::Postponement { reason, conditions, until } => {
                put("reason", Some(reason.clone()));
                put("conditions", conditions.clone());
                put("until", until.map(|d| d.to_string()));
            }
            CaseStep::ClarificationRequest { text }
            | CaseStep::AuthenticityQuery { text }
            | CaseStep::ConfidentialityNotice { text } => put("text", Some(text.clone())),
        }
        let outgoing = Outgoing {
            agreement: row.agreement,
            from: opening.to_authority.clone(),
            to: opening.from_authority.clone(),
            message_type: step.kind().message_type().to_owned(),
            case_id: Some(case_id.to_string()),
            in_reply_to: Some(opening.message_id.to_string()),
            signatory: None,
            body: Value::Object(body),
        };
        let id = self.send_for_desk(outgoing).await?.entry.message_id;
        tracing::info!(actor = %actor.name, case = %case_id, step = step.kind().message_type(), "case step sent");
        Ok(id)
    }

    fn summary(&self, row: &CaseIndexRow, book: &AgreementBook, now: Timestamp) -> Result<CaseSummary, NodeError> {
        let corrupt = |what: &str| NodeError::Corrupt(format!("exchange case {}: {what}", row.case_id));
        let state = CaseState::parse(&row.state).ok_or_else(|| corrupt("state"))?;
        let opened_by = Country::parse(&row.opened_by).map_err(|_| corrupt("opening state"))?;
        let channel = row.channel.as_deref().ok_or_else(|| corrupt("no message"))?;
        let channel = ChannelId::parse(channel).map_err(|_| corrupt("channel"))?;
        let local = self.local_state();
        let partner = if channel.from_state == local { channel.to_state } else { channel.from_state };
        let agreement = AgreementId::parse(&row.agreement).ok().and_then(|id| book.get(&id));
        // The requested party is the one that did not open the case.
        let request = match (row.request_received_at, row.request_receipt.as_deref()) {
            (Some(at), _) => Some((local, at, row.answer_sent_at)),
            (None, Some(receipt)) => {
                self.receipt_time(receipt, partner).map(|at| (partner, at, row.answer_received_at))
            }
            (None, None) => None,
        };
        let deadline = match (request, agreement) {
            (Some((requested_party, received_at, answered_at)), Some(agreement)) => {
                let d = agreement
                    .response_deadline_for(requested_party, received_at)
                    .map_err(|e| corrupt(&format!("deadline: {e}")))?;
                let today = agreement.local_date(requested_party, now);
                let days_left = today.until(d.due_on).map_err(|_| corrupt("deadline out of range"))?.get_days();
                Some(RequestDeadline {
                    requested_party,
                    received_at,
                    received_on: d.received_on,
                    due_on: d.due_on,
                    days_left: i64::from(days_left),
                    answered_at,
                    answered_on_time: answered_at.map(|a| !d.is_overdue(a)),
                })
            }
            _ => None,
        };
        let status = match (&deadline, is_waiting(state)) {
            (_, false) => CaseStatus::Closed,
            (Some(d), true) if d.answered_at.is_none() && d.days_left < 0 => CaseStatus::Overdue,
            (Some(d), true) if d.answered_at.is_none() && d.days_left <= DUE_SOON_DAYS => CaseStatus::DueSoon,
            (_, true) => CaseStatus::Open,
        };
        Ok(CaseSummary {
            case_id: row.case_id,
            agreement: row.agreement.clone(),
            partner,
            opened_by,
            state,
            status,
            opened_at: earliest(row.first_received_at, row.first_sent_at),
            last_activity_at: latest(row.last_received_at, row.last_sent_at),
            messages: row.received + row.sent,
            deadline,
        })
    }

    /// The time in a partner's receipt, when it verifies against the partner's pinned CA and nodes.
    fn receipt_time(&self, jws: &str, partner: Country) -> Option<Timestamp> {
        let p = self.partner(partner)?;
        receipt::verify_receipt(jws, &p.ca_cert_der, &p.node_cert_fingerprints).ok().map(|r| r.received_at)
    }

    pub(crate) fn received_message(&self, m: &CaseInboxRow) -> Result<CaseMessage, NodeError> {
        let corrupt = |what: String| NodeError::Corrupt(format!("received message {}: {what}", m.message_id));
        let (in_reply_to, body) = match &m.sealed_payload {
            None => (None, CaseBody::Destroyed),
            Some(sealed) => {
                let payload =
                    seal::open(std::slice::from_ref(self.payload_key()), sealed, m.message_id.to_string().as_bytes())
                        .map_err(|e| corrupt(format!("payload does not open: {e}")))?;
                let (header, _, body) =
                    message::parse_envelope(&payload).map_err(|e| corrupt(format!("payload: {e}")))?;
                (header.in_reply_to.map(|r| r.as_uuid()), CaseBody::Present(body))
            }
        };
        Ok(CaseMessage {
            direction: CaseDirection::In,
            id: m.message_id,
            channel: m.channel.clone(),
            seq: m.seq,
            message_type: m.message_type.clone(),
            from: m.from_authority.clone(),
            to: m.to_authority.clone(),
            in_reply_to,
            created_at: m.created_at,
            received_at: Some(m.received_at),
            delivery: CaseDelivery::Received,
            body,
        })
    }

    fn signed_message(&self, jws_text: &str, id: Uuid) -> Result<(message::Header, String, Value), NodeError> {
        let corrupt = |what: String| NodeError::Corrupt(format!("outbox message {id}: {what}"));
        let parsed = jws::parse_compact(jws_text, wire::TYP_MESSAGE).map_err(|e| corrupt(e.to_string()))?;
        message::parse_envelope(&parsed.payload).map_err(|e| corrupt(e.to_string()))
    }

    /// Stores the case and type beside every outgoing message queued before they were kept there
    /// (read from its signed header); run when the node starts. The number labelled.
    pub async fn label_outbox(&self) -> Result<usize, NodeError> {
        let mut labelled = 0;
        loop {
            let batch = self.store().unlabelled_outbox(500).await?;
            if batch.is_empty() {
                return Ok(labelled);
            }
            for (id, jws_text) in batch {
                let (header, message_type, _) = self.signed_message(&jws_text, id)?;
                MessageType::parse(&message_type)
                    .map_err(|_| NodeError::Corrupt(format!("outbox message {id}: message type {message_type:?}")))?;
                self.store().label_outbox(id, header.case_id.as_uuid(), &message_type).await?;
                labelled += 1;
            }
        }
    }
}

impl CaseDesk for ExchangeService {
    fn cases<'a>(&'a self, role: Role, filter: &'a CaseFilter, now: Timestamp) -> CaseFuture<'a, Vec<CaseSummary>> {
        Box::pin(async move {
            require_case_role(role, "list exchange cases")?;
            Ok(self.case_list(filter, now).await?)
        })
    }

    fn case<'a>(&'a self, access: &'a Access, case_id: Uuid, now: Timestamp) -> CaseFuture<'a, CaseRecord> {
        Box::pin(async move {
            require_case_role(access.actor.role, "read exchange cases")?;
            self.case_record(access, case_id, now).await
        })
    }

    fn case_counts(&self, now: Timestamp) -> CaseFuture<'_, CaseCounts> {
        Box::pin(async move { Ok(self.case_tally(now).await?) })
    }

    fn take_step<'a>(&'a self, actor: &'a Actor, case_id: Uuid, step: CaseStep) -> CaseFuture<'a, Uuid> {
        Box::pin(self.take_case_step(actor, case_id, step))
    }

    fn answer<'a>(&'a self, actor: &'a Actor, case_id: Uuid, answer: CaseAnswer) -> CaseFuture<'a, Uuid> {
        Box::pin(self.answer_case(actor, case_id, answer))
    }

    fn openings<'a>(&'a self, role: Role) -> CaseFuture<'a, Vec<OpeningTerms>> {
        Box::pin(async move {
            require_step_role(role)?;
            Ok(self.opening_terms(Timestamp::now()))
        })
    }

    fn open_case<'a>(&'a self, actor: &'a Actor, opening: CaseOpening) -> CaseFuture<'a, Uuid> {
        Box::pin(self.open_case(actor, opening))
    }

    fn channels<'a>(&'a self, actor: &'a Actor) -> CaseFuture<'a, Vec<ExchangeChannel>> {
        Box::pin(async move {
            require_admin(actor, "list exchange channels")?;
            Ok(ExchangeService::channels(self).await?.into_iter().map(channel_of).collect())
        })
    }

    fn resume_channel<'a>(&'a self, actor: &'a Actor, channel: &'a str) -> CaseFuture<'a, ExchangeChannel> {
        Box::pin(async move {
            require_admin(actor, "resume exchange channels")?;
            match self.resume(channel).await {
                Ok(c) => {
                    tracing::warn!(actor = %actor.name, channel = %c.channel, "channel resumed by an operator");
                    Ok(channel_of(c))
                }
                Err(e @ ResumeError::NotAChannel(_)) => {
                    Err(RegisterError::ExchangeRefused { code: "invalid_id", message: e.to_string() })
                }
                Err(e @ ResumeError::NotHalted(_)) => {
                    Err(RegisterError::ExchangeRefused { code: "channel_not_halted", message: e.to_string() })
                }
                Err(ResumeError::Node(e)) => Err(e.into()),
            }
        })
    }
}

fn require_admin(actor: &Actor, action: &'static str) -> Result<(), RegisterError> {
    if actor.role == Role::Admin { Ok(()) } else { Err(RegisterError::Forbidden { role: actor.role.as_str(), action }) }
}

fn channel_of(c: ChannelRecord) -> ExchangeChannel {
    ExchangeChannel {
        channel: c.channel,
        agreement: c.agreement,
        partner: c.partner,
        delivered_seq: c.delivered_seq,
        next_seq: c.next_seq,
        queued: c.queued,
        halt: c.halt.map(|h| ChannelStop {
            code: h.code,
            detail: h.detail,
            message_id: h.message_id,
            since: h.halted_at,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_waits_until_it_is_answered_refused_or_withdrawn() {
        assert!(is_waiting(CaseState::Requested));
        assert!(is_waiting(CaseState::ClarificationRequested));
        assert!(!is_waiting(CaseState::Answered));
        assert!(!is_waiting(CaseState::Refused));
        assert!(!is_waiting(CaseState::Closed));
    }
}
