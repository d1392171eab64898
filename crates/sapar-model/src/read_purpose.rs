//! Why personal data is read: the closed list of purposes an officer or client states before a
//! person's record is shown, kept on every access-log row.

/// The purpose of reading personal data. Roles do not limit the purposes: the stated purpose is
/// what the access log keeps and what an auditor checks a read against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadPurpose {
    /// Checking a traveller at the border.
    BorderCheck,
    /// Controlling a foreigner's stay (days used, overstay, registration).
    StayControl,
    /// Deciding on a permit (residence, work, visa).
    PermitDecision,
    /// Enforcement: violations, bans, expulsions, the control register.
    Enforcement,
    /// Answering or preparing a request under an exchange agreement.
    ExchangeRequest,
    /// Auditing other users' reads and decisions.
    Audit,
    /// Checking the quality of statistics against the records behind them.
    StatisticsQuality,
    /// A card holder reading their own status through self-service. Not an officer's purpose:
    /// not in [`ReadPurpose::ALL`], and [`ReadPurpose::parse`] does not accept it.
    OwnData,
}

impl ReadPurpose {
    /// Every purpose an officer or client may state, in the order forms list them.
    pub const ALL: [ReadPurpose; 7] = [
        ReadPurpose::BorderCheck,
        ReadPurpose::StayControl,
        ReadPurpose::PermitDecision,
        ReadPurpose::Enforcement,
        ReadPurpose::ExchangeRequest,
        ReadPurpose::Audit,
        ReadPurpose::StatisticsQuality,
    ];

    /// Stable identifier (as stored, and as the API's `Sapar-Purpose` header gives it).
    pub fn as_str(self) -> &'static str {
        match self {
            ReadPurpose::BorderCheck => "border_check",
            ReadPurpose::StayControl => "stay_control",
            ReadPurpose::PermitDecision => "permit_decision",
            ReadPurpose::Enforcement => "enforcement",
            ReadPurpose::ExchangeRequest => "exchange_request",
            ReadPurpose::Audit => "audit",
            ReadPurpose::StatisticsQuality => "statistics_quality",
            ReadPurpose::OwnData => "own_data",
        }
    }

    /// Parses the stable identifier of a purpose an officer or client may state.
    pub fn parse(s: &str) -> Option<ReadPurpose> {
        ReadPurpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Parses any stable identifier as stored (the access log names [`ReadPurpose::OwnData`] too).
    pub fn parse_stored(s: &str) -> Option<ReadPurpose> {
        ReadPurpose::parse(s).or((s == ReadPurpose::OwnData.as_str()).then_some(ReadPurpose::OwnData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_parses_back_from_its_identifier_and_nothing_else_does() {
        for p in ReadPurpose::ALL {
            assert_eq!(ReadPurpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(ReadPurpose::parse("Border_Check"), None);
        assert_eq!(ReadPurpose::parse(""), None);
        assert_eq!(ReadPurpose::parse("own_data"), None, "no officer states the holder's own purpose");
        assert_eq!(ReadPurpose::parse_stored("own_data"), Some(ReadPurpose::OwnData));
    }
}
