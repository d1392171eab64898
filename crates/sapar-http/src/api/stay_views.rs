//! JSON views of the register's stay answers: the verdict given with an entry and a person's stay
//! on a date.

use sapar_register::stay::{EntryVerdict as Verdict, RuleRef, StayAnswer};
use serde::Serialize;
use utoipa::ToSchema;

/// A rule behind an answer, with its legal basis.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleView {
    #[schema(example = "KAZ-EAEU-90-180")]
    pub id: String,
    pub basis: String,
}

impl RuleView {
    fn of(rule: &RuleRef) -> RuleView {
        RuleView { id: rule.id.clone(), basis: rule.basis.clone() }
    }
}

/// Advice to refuse entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefuseEntry {
    /// Why, from the rule that leaves no day of stay.
    pub reason: String,
    /// `stay_limit_used_up`.
    #[schema(example = "stay_limit_used_up")]
    pub code: &'static str,
}

/// The stay verdict given with a recorded entry, for the state the node serves.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryVerdict {
    /// `allowed`, `refuse_entry`, or `unknown` when the engine cannot answer (see `code`).
    #[schema(example = "allowed")]
    pub status: &'static str,
    /// Longest stay from the day of entry, that day included; null when no limit binds.
    pub allowed_days: Option<u32>,
    /// Last day of that stay.
    #[schema(format = Date)]
    pub last_legal_day: Option<String>,
    /// Days used under the binding limit on the day of entry, before this entry.
    pub days_used: Option<u32>,
    /// Days left under the binding limit on the day of entry, before this entry.
    pub days_left: Option<u32>,
    pub rules: Vec<RuleView>,
    pub refuse_entry: Option<RefuseEntry>,
    /// The engine's error code when `status` is `unknown`, e.g. `governed_by_visa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl EntryVerdict {
    pub(crate) fn of(v: &Verdict) -> EntryVerdict {
        EntryVerdict {
            status: v.status.as_str(),
            allowed_days: v.allowed_days,
            last_legal_day: v.last_legal_day.map(|d| d.to_string()),
            days_used: v.days_used,
            days_left: v.days_left,
            rules: v.rules.iter().map(RuleView::of).collect(),
            refuse_entry: v.refuse_entry.as_ref().map(|r| RefuseEntry { reason: r.reason.clone(), code: r.code }),
            code: v.not_judged.as_ref().map(|(code, _)| *code),
            message: v.not_judged.as_ref().map(|(_, message)| message.clone()),
        }
    }
}

/// When registration at the place of stay is due for the latest arrival.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RegistrationDueView {
    #[schema(format = Date)]
    pub arrival: String,
    /// The last day on which registration is on time.
    #[schema(format = Date)]
    pub due: String,
    pub rule: RuleView,
}

/// The longest stay when entering on the check date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MaxStayView {
    /// 0: entry would have to be refused; null: no limit binds.
    pub days: Option<u32>,
    #[schema(format = Date)]
    pub last_day: Option<String>,
    pub limited_by: Option<String>,
}

/// A person's stay in the node's state on a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct StayView {
    #[schema(format = Uuid)]
    pub person_id: String,
    #[schema(example = "KAZ")]
    pub host: String,
    pub citizenship: String,
    #[schema(format = Date)]
    pub on: String,
    /// In the country on `on`.
    pub present: bool,
    pub days_used: u32,
    /// Null when no limit applies.
    pub days_left: Option<u32>,
    pub legal: bool,
    pub overstay_days: u32,
    /// For an open stay: the last day it is (or was) legal.
    #[schema(format = Date)]
    pub last_legal_day: Option<String>,
    /// When the person is not in the country on `on`: the longest stay if entering that day.
    pub max_stay_if_entering: Option<MaxStayView>,
    pub registration: Option<RegistrationDueView>,
    pub rules: Vec<RuleView>,
}

impl StayView {
    pub(crate) fn of(a: &StayAnswer) -> StayView {
        StayView {
            person_id: a.person_id.to_string(),
            host: a.host.code().to_owned(),
            citizenship: a.citizenship.code().to_owned(),
            on: a.on.to_string(),
            present: a.present,
            days_used: a.days_used,
            days_left: a.days_left,
            legal: a.legal,
            overstay_days: a.overstay_days,
            last_legal_day: a.last_legal_day.map(|d| d.to_string()),
            max_stay_if_entering: a.max_stay_if_entering.as_ref().map(|m| MaxStayView {
                days: m.days,
                last_day: m.last_day.map(|d| d.to_string()),
                limited_by: m.limited_by.clone(),
            }),
            registration: a.registration.as_ref().map(|r| RegistrationDueView {
                arrival: r.arrival.to_string(),
                due: r.due.to_string(),
                rule: RuleView::of(&r.rule),
            }),
            rules: a.rules.iter().map(RuleView::of).collect(),
        }
    }
}
