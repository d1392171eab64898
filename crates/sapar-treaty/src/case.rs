//! The case state machine: which message type may arrive in which state of a case, from which
//! side (requester or requested party), and the state it leads to.

use crate::message::MessageType;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseState {
    /// A hit/no-hit query is open.
    Queried,
    /// The query was answered; a request may follow in the same case.
    HitReported,
    /// A request is open (received, not yet acknowledged).
    Requested,
    /// A request is being executed.
    InProgress,
    /// The requested party asked for more information (Art. 11.1).
    ClarificationRequested,
    /// Execution postponed or made conditional (Art. 11.2).
    Postponed,
    /// Authenticity or content of the request in doubt (Art. 10.5).
    AuthenticityQueried,
    /// Execution cannot stay confidential; the requester decides (Art. 12.1).
    ConfidentialityNotified,
    /// Answered (possibly partially refused); consent exchanges may follow (Art. 12.2, 12.3).
    Answered,
    /// Fully refused.
    Refused,
    /// Withdrawn by the requester.
    Withdrawn,
    /// A spontaneous notice carrying data; consent exchanges may follow.
    Noticed,
    /// A one-message case (signatory list, authority change, statistics, ...).
    Closed,
}

impl CaseState {
    /// Every state.
    pub const ALL: &'static [CaseState] = ALL_STATES;

    /// Stable identifier for storage.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Queried => "queried",
            CaseState::HitReported => "hit_reported",
            CaseState::Requested => "requested",
            CaseState::InProgress => "in_progress",
            CaseState::ClarificationRequested => "clarification_requested",
            CaseState::Postponed => "postponed",
            CaseState::AuthenticityQueried => "authenticity_queried",
            CaseState::ConfidentialityNotified => "confidentiality_notified",
            CaseState::Answered => "answered",
            CaseState::Refused => "refused",
            CaseState::Withdrawn => "withdrawn",
            CaseState::Noticed => "noticed",
            CaseState::Closed => "closed",
        }
    }

    /// Parses [`CaseState::as_str`].
    pub fn parse(s: &str) -> Option<CaseState> {
        ALL_STATES.iter().copied().find(|c| c.as_str() == s)
    }

    fn is_open_request(self) -> bool {
        matches!(
            self,
            CaseState::Requested
                | CaseState::InProgress
                | CaseState::ClarificationRequested
                | CaseState::Postponed
                | CaseState::AuthenticityQueried
                | CaseState::ConfidentialityNotified
        )
    }
}

const ALL_STATES: &[CaseState] = &[
    CaseState::Queried,
    CaseState::HitReported,
    CaseState::Requested,
    CaseState::InProgress,
    CaseState::ClarificationRequested,
    CaseState::Postponed,
    CaseState::AuthenticityQueried,
    CaseState::ConfidentialityNotified,
    CaseState::Answered,
    CaseState::Refused,
    CaseState::Withdrawn,
    CaseState::Noticed,
    CaseState::Closed,
];

/// Which side of a case sends a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The party that opened the case (sent the query, request or notice).
    Opener,
    /// The other party.
    Responder,
}

/// Why a message type may not come now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message_type} from the {side} is not allowed {state}")]
pub struct TransitionError {
    pub message_type: MessageType,
    pub side: &'static str,
    pub state: String,
}

/// The state a case moves to when a message of type `mt` arrives from `side`, or why it may not.
/// `state` is `None` for a case id never seen before.
pub fn transition(state: Option<CaseState>, mt: MessageType, side: Side) -> Result<CaseState, TransitionError> {
    use CaseState as S;
    use MessageType as T;
    use Side::{Opener, Responder};
    let next = match (state, mt, side) {
        (None, T::Query, Opener) => Some(S::Queried),
        (None, T::Request, Opener) => Some(S::Requested),
        (None, T::Notice, Opener) => Some(S::Noticed),
        (
            None,
            T::SignatoryList | T::AuthorityChange | T::Statistics | T::LegislationUpdate | T::AgreementNotice,
            Opener,
        ) => Some(S::Closed),
        (Some(S::Queried), T::HitResult, Responder) => Some(S::HitReported),
        (Some(S::Queried | S::HitReported), T::Withdrawal, Opener) => Some(S::Withdrawn),
        (Some(S::HitReported), T::Request, Opener) => Some(S::Requested),
        (Some(S::Requested), T::Ack, Responder) => Some(S::InProgress),
        (Some(s), T::ClarificationRequest, Responder) if s.is_open_request() => Some(S::ClarificationRequested),
        (Some(s), T::DelayNotice, Responder) if s.is_open_request() => Some(s),
        (Some(s), T::Postponement, Responder) if s.is_open_request() => Some(S::Postponed),
        (Some(s), T::AuthenticityQuery, Responder) if s.is_open_request() => Some(S::AuthenticityQueried),
        (Some(s), T::ConfidentialityNotice, Responder) if s.is_open_request() => Some(S::ConfidentialityNotified),
        (Some(s), T::Answer, Responder) if s.is_open_request() => Some(S::Answered),
        (Some(s), T::Refusal, Responder) if s.is_open_request() => Some(S::Refused),
        (Some(s), T::Withdrawal, Opener) if s.is_open_request() => Some(S::Withdrawn),
        (Some(S::ClarificationRequested), T::Clarification, Opener) => Some(S::InProgress),
        (Some(S::Postponed), T::PostponementDecision, Opener) => Some(S::InProgress),
        (Some(S::AuthenticityQueried), T::AuthenticityConfirmation, Opener) => Some(S::InProgress),
        (Some(S::ConfidentialityNotified), T::ConfidentialityDecision, Opener) => Some(S::InProgress),
        // A supplementary answer after a first one.
        (Some(S::Answered), T::Answer, Responder) => Some(S::Answered),
        // Consent (Art. 12.2, 12.3) is asked by whoever received data: the opener of an
        // answered request, the responder to a notice.
        (Some(S::Answered), T::ConsentRequest, Opener) | (Some(S::Noticed), T::ConsentRequest, Responder) => state,
        (Some(S::Answered), T::ConsentDecision, Responder) | (Some(S::Noticed), T::ConsentDecision, Opener) => state,
        _ => None,
    };
    next.ok_or_else(|| TransitionError {
        message_type: mt,
        side: match side {
            Opener => "case opener",
            Responder => "responding party",
        },
        state: match state {
            None => "to open a case".to_owned(),
            Some(s) => format!("in case state {}", s.as_str()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_lifecycle_runs_through() {
        let mut s = transition(None, MessageType::Request, Side::Opener).unwrap();
        for (mt, side) in [
            (MessageType::Ack, Side::Responder),
            (MessageType::ClarificationRequest, Side::Responder),
            (MessageType::Clarification, Side::Opener),
            (MessageType::DelayNotice, Side::Responder),
            (MessageType::Answer, Side::Responder),
            (MessageType::ConsentRequest, Side::Opener),
            (MessageType::ConsentDecision, Side::Responder),
        ] {
            s = transition(Some(s), mt, side).unwrap();
        }
        assert_eq!(s, CaseState::Answered);
    }

    #[test]
    fn answers_need_an_open_request_and_the_right_side() {
        assert!(transition(None, MessageType::Answer, Side::Responder).is_err());
        assert!(transition(Some(CaseState::Requested), MessageType::Answer, Side::Opener).is_err());
        assert!(transition(Some(CaseState::Refused), MessageType::Answer, Side::Responder).is_err());
        assert!(transition(Some(CaseState::Withdrawn), MessageType::Refusal, Side::Responder).is_err());
    }

    #[test]
    fn state_names_round_trip() {
        for s in ALL_STATES {
            assert_eq!(CaseState::parse(s.as_str()), Some(*s));
        }
    }
}
