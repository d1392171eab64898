//! Sapar's application layer: the register's use cases between the front ends (JSON API, web UI,
//! CLI) and the store and engines. A [`Register`] holds the store, the stay rules, the host state
//! and an injected [`Clock`]; each use case checks the actor's role, validates untrusted input
//! into domain values, applies the engines and returns domain answers (no JSON shapes). Front ends
//! only translate requests into calls and answers into their own views.

pub mod access;
pub mod accounts;
pub mod answers;
pub mod bans;
pub mod border;
pub mod cards;
mod clock;
pub mod control;
pub mod crossing_points;
pub mod crossings;
pub mod employers;
mod error;
pub mod exchange;
pub mod expulsions;
pub mod linking;
mod mrz_input;
pub mod permits;
pub mod persons;
pub mod queues;
pub mod regions;
pub mod registrations;
pub mod review;
pub mod search;
pub mod self_service;
pub mod stay;
mod text;
pub mod tokens;
pub mod violation_kinds;
pub mod violations;

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, Role};
use sapar_rules::RuleBook;
use sapar_store::Store;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Entity, RegisterError};

/// The records use cases answer with, as the store keeps them: front ends render these and need
/// no dependency on the store.
pub mod records {
    pub use sapar_store::access_log::{AccessChannel, AccessEntry, AccessFilter};
    pub use sapar_store::bans::{BanGround, BanLift, BanRecord, PersonEvent, PersonEventKind};
    pub use sapar_store::cards::{CardRecord, CardRenewal, CardRevocation};
    pub use sapar_store::control::{
        Applicant, ApplicationDecision, ApplicationGrounds, ApplicationStatus, ControlEntry, ControlGround,
        ControlNotice, ControlRemoval, DecisionRecord, NoticeChannel, RemovalApplication, RemovalReason, Restriction,
    };
    pub use sapar_store::employers::EmployerRecord;
    pub use sapar_store::expulsions::{Execution, ExpulsionKind, ExpulsionRecord};
    pub use sapar_store::identity::{DecidedReview, Merge, ReviewDecision, ReviewItem, ReviewPerson, ReviewStatus};
    pub use sapar_store::permits::{PermitKind, PermitPurpose, PermitRecord, Revocation};
    pub use sapar_store::registrations::{
        Address, Deadline, EndReason, FilingChannel, PartyKind, ReceivingParty, RegistrationEvent,
        RegistrationEventKind, RegistrationRecord, RegistrationState,
    };
    pub use sapar_store::{Fine, OverstayFacts, Payment, PersonRecord, TokenRecord, ViolationRecord, ViolationStatus};
}

/// The state a node serves when none is configured.
pub const DEFAULT_HOST_STATE: Country = Country::KAZ;

/// Who asks: a person or machine known by name, acting in a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Recorded beside every change the actor makes (a token's or user's name).
    pub name: String,
    pub role: Role,
}

impl Actor {
    /// An actor named `name` in `role`.
    pub fn new(name: impl Into<String>, role: Role) -> Actor {
        Actor { name: name.into(), role }
    }

    /// Admits the actor when their role is one of `roles`.
    pub(crate) fn require(&self, roles: &[Role], action: &'static str) -> Result<(), RegisterError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(RegisterError::Forbidden { role: self.role.as_str(), action })
        }
    }
}

/// The register: its use cases over one store, for one host state.
#[derive(Debug, Clone)]
pub struct Register {
    store: Store,
    rules: Arc<RuleBook>,
    host_state: Country,
    clock: Arc<dyn Clock>,
    /// Working days to decide an application for removal from the control register.
    removal_term_days: u16,
    /// The barcode signer and card policy; `None`: this register issues no cards.
    cards: Option<Arc<cards::CardIssuer>>,
    /// Recent failed self-service attempts, per address and per card number.
    self_service_failures: Arc<self_service::FailureLog>,
}

impl Register {
    /// The register over `store`, judging stays by `rules` for `host_state`, reading time from
    /// `clock`.
    pub fn new(store: Store, rules: Arc<RuleBook>, host_state: Country, clock: Arc<dyn Clock>) -> Register {
        Register {
            store,
            rules,
            host_state,
            clock,
            removal_term_days: control::REMOVAL_DECISION_WORKING_DAYS,
            cards: None,
            self_service_failures: Arc::default(),
        }
    }

    /// The register over `store` with the embedded stay rules, [`DEFAULT_HOST_STATE`] and the
    /// system clock.
    pub fn with_embedded_rules(store: Store) -> Result<Register, sapar_rules::LoadError> {
        Ok(Register::new(store, Arc::new(RuleBook::load_embedded()?), DEFAULT_HOST_STATE, Arc::new(SystemClock)))
    }

    /// The same register serving another host state.
    pub fn with_host_state(self, host_state: Country) -> Register {
        Register { host_state, ..self }
    }

    /// The same register reading time from another clock.
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Register {
        Register { clock, ..self }
    }

    /// The state whose borders this register keeps.
    pub fn host_state(&self) -> Country {
        self.host_state
    }

    /// The stay rules the register judges by.
    pub fn rules(&self) -> &Arc<RuleBook> {
        &self.rules
    }

    /// Now, by the register's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Today in the host state's zone, by the register's clock.
    pub fn today(&self) -> Date {
        stay::today_in(self.host_state, self.now())
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// Whether the database answers.
    pub async fn health(&self) -> Result<(), sapar_store::StoreError> {
        self.store.health().await
    }
}
