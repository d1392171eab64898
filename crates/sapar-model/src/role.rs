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
    /// Receiving party (a host, hotel or employer): files registrations of place of stay only.
    Host,
}

impl Role {
    /// All roles, in a stable order.
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
            Role::Host => "host",
        }
    }

    /// Parses a stable identifier.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}
