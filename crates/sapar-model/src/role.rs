//! Roles that authorise what an API client or officer may do.

/// What a token or user may do. Roles are not hierarchical: each route names the roles it admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Border post or border system: records crossings, looks up persons by document.
    Border,
    /// Migration officer: reads and manages register records.
    Officer,
    /// Exchange officer: works the treaty exchange's cases and messages.
    Exchange,
    /// Signatory: signs outgoing exchange messages with a key of their own.
    Signatory,
    /// Analyst: statistics, no personal records.
    Analyst,
    /// Auditor: reads the access log and the login log; changes nothing.
    Auditor,
    /// Administrator: users, tokens and configuration.
    Admin,
    /// A card holder reading their own status through self-service. Never given to a token or
    /// a user: not in [`Role::ALL`], and [`Role::parse`] does not accept it.
    Holder,
    /// Receiving party (a host, hotel or employer): files registrations of place of stay only.
    Host,
}

impl Role {
    /// All roles a token or user may hold, in a stable order.
    pub const ALL: [Role; 8] = [
        Role::Border,
        Role::Officer,
        Role::Exchange,
        Role::Signatory,
        Role::Analyst,
        Role::Auditor,
        Role::Admin,
        Role::Host,
    ];

    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Border => "border",
            Role::Officer => "officer",
            Role::Exchange => "exchange",
            Role::Signatory => "signatory",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
            Role::Holder => "holder",
            Role::Host => "host",
        }
    }

    /// Parses the stable identifier of a role a token or user may hold.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Parses any stable identifier as stored (the access log names [`Role::Holder`] too).
    pub fn parse_stored(s: &str) -> Option<Role> {
        Role::parse(s).or((s == Role::Holder.as_str()).then_some(Role::Holder))
    }
}
