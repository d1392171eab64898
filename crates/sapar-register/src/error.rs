//! What a use case of the register can answer instead of a result: domain refusals a front end
//! shows to its user (each maps to exactly one stable code in the front end's table) and storage
//! failures, which front ends report without detail.

use sapar_model::InputError;
use sapar_rules::StayError;
use sapar_store::StoreError;

/// A kind of record a use case looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Person,
    Permit,
    Violation,
    ReviewItem,
    Token,
    Ban,
    Expulsion,
    ControlEntry,
    RemovalApplication,
    Employer,
    Card,
    Registration,
    ExchangeCase,
}

impl Entity {
    /// The record's name in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Person => "person",
            Entity::Permit => "permit",
            Entity::Violation => "violation",
            Entity::ReviewItem => "review item",
            Entity::Token => "token",
            Entity::Ban => "entry ban",
            Entity::Expulsion => "expulsion",
            Entity::ControlEntry => "control register entry",
            Entity::RemovalApplication => "removal application",
            Entity::Employer => "employer",
            Entity::Card => "card",
            Entity::Registration => "registration",
            Entity::ExchangeCase => "exchange case",
        }
    }
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The actor's role may not use this use case.
    #[error("the role {role} may not {action}")]
    Forbidden { role: &'static str, action: &'static str },
    #[error("{} not found", .0.as_str())]
    NotFound(Entity),
    /// A submitted value is refused; names the field and a stable code.
    #[error(transparent)]
    Invalid(#[from] InputError),
    #[error("this crossing id was already used for a different crossing")]
    IdempotencyConflict,
    #[error("an exit needs an entry of the same person before it")]
    ExitWithoutEntry,
    #[error("a {kind} numbered {number:?} is already on record")]
    DuplicatePermit { kind: &'static str, number: String },
    #[error("the permit ends on {to}, before it starts on {from}")]
    PermitEndsBeforeStart { from: jiff::civil::Date, to: jiff::civil::Date },
    #[error("this permit was already revoked from {0}")]
    AlreadyRevoked(jiff::civil::Date),
    #[error("the permit ended on {valid_to}, before {from}: there is nothing left to revoke")]
    RevokedAfterExpiry { valid_to: jiff::civil::Date, from: jiff::civil::Date },
    #[error("the ban ends on {until}, before it starts on {from}")]
    BanEndsBeforeStart { from: jiff::civil::Date, until: jiff::civil::Date },
    #[error("this ban was already lifted from {0}")]
    AlreadyLifted(jiff::civil::Date),
    #[error("the ban ended on {ends_on}, before {from}: there is nothing left to lift")]
    BanAlreadyEnded { ends_on: jiff::civil::Date, from: jiff::civil::Date },
    #[error("the day to leave by ({leave_by}) lies before the decision ({decided_on})")]
    LeaveByBeforeDecision { decided_on: jiff::civil::Date, leave_by: jiff::civil::Date },
    #[error("this expulsion was executed on {0}")]
    AlreadyExecuted(jiff::civil::Date),
    #[error("the departure ({departed_on}) lies before the decision ({decided_on})")]
    DepartureBeforeDecision { decided_on: jiff::civil::Date, departed_on: jiff::civil::Date },
    /// The person is already listed in the control register.
    #[error("the person is already listed in the control register (entry {0})")]
    AlreadyListed(uuid::Uuid),
    /// The control register entry was removed before.
    #[error("this control register entry was removed before ({reason})")]
    EntryRemoved { reason: &'static str },
    /// An employer with this registration number is on record.
    #[error("an employer with registration number {0:?} is already on record")]
    DuplicateEmployer(String),
    /// A submission names an employer the register does not hold.
    #[error("no employer {0} is on record")]
    UnknownEmployer(uuid::Uuid),
    /// A payment was recorded for a violation without a fine.
    #[error("this violation carries no fine to pay")]
    NoFine,
    /// The fine's payment was recorded before.
    #[error("this fine was paid on {0}")]
    AlreadyPaid(jiff::civil::Date),
    /// A dismissed violation's fine is not paid.
    #[error("this violation was dismissed: its fine is not paid")]
    ViolationDismissed,
    /// A registration of place of stay for a person with no open stay.
    #[error("the person is not in the country: no entry without a later exit is on record")]
    PersonNotInCountry,
    /// A registration that is no longer in force cannot be changed.
    #[error("this registration is {state}, no longer in force")]
    RegistrationEnded { state: &'static str },
    /// A term in working days runs outside the loaded production calendars.
    /// Cards are issued only by a register given the barcode signer's keys.
    #[error("this register issues no cards: no card signer is configured")]
    CardsNotConfigured,
    /// A card is bound to a legal stay the person is on.
    #[error("the person is not in the country on a legal stay: a card would have no validity")]
    NoLegalStay,
    /// The register lacks what a card must carry.
    #[error("no card can be issued: {0}")]
    CardNotIssuable(&'static str),
    #[error("this card was revoked on {0}")]
    CardRevoked(jiff::civil::Date),
    /// The self-service details match no card on record; which detail was wrong is not said.
    #[error("these details do not match a card on record")]
    SelfServiceDenied,
    /// Too many failed self-service attempts from this address or for this card.
    #[error("too many failed attempts: try again in a quarter of an hour")]
    TooManyAttempts,
    #[error(transparent)]
    NoCalendar(StayError),
    /// A decision was asked for on an item decided before.
    #[error("this {} was already decided: {status}", .entity.as_str())]
    AlreadyDecided { entity: Entity, status: &'static str },
    /// Another officer has claimed the item and works it now.
    #[error("{by} has claimed this item and works it now")]
    ClaimedByOther { by: String },
    /// A dismissal without the note that says why.
    #[error("say why the violation is dismissed")]
    NoteRequired,
    /// The stay rules cannot judge this person on this date.
    #[error(transparent)]
    StayNotJudged(StayError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A defect: data compiled in, or a model the register wrote, cannot be read. The details
    /// are for the log, not for a client.
    #[error("internal: {0}")]
    Internal(String),
    /// The exchange would not send a case's step: the partner would refuse it with the treaty's
    /// `code` (e.g. `message_type_not_allowed` in the case's state), or it is not sendable
    /// (`signatory_not_available`, …).
    #[error("{code}: {message}")]
    ExchangeRefused { code: &'static str, message: String },
}

impl From<sapar_store::RecordError> for RegisterError {
    fn from(e: sapar_store::RecordError) -> RegisterError {
        use sapar_store::{RecordError, RegisterRejection};
        match e {
            RecordError::Rejected(RegisterRejection::IdConflict) => RegisterError::IdempotencyConflict,
            RecordError::Rejected(RegisterRejection::ExitWithoutEntry) => RegisterError::ExitWithoutEntry,
            RecordError::Store(e) => RegisterError::Store(e),
        }
    }
}
