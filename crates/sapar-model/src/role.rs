//! Roles that authorise what an API client or officer may do.

/// What a token or user may do. Roles are not hierarchical: each route names the roles it admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Border post or border system: records crossings, looks up persons by document.
    Border,
    /// Migration officer: reads and manages register records.
    Officer,
    /// Analyst: statistics, no personal records.
    Analyst,
    /// Administrator: tokens and configuration.
    Admin,
}

impl Role {
    /// All roles, in a stable order.
    pub const ALL: [Role; 4] = [Role::Border, Role::Officer, Role::Analyst, Role::Admin];

    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Border => "border",
            Role::Officer => "officer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Parses a stable identifier.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}
