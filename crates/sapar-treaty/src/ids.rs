//! Identifiers of the exchange: agreements, authorities, messages, cases, channels and hashes.

use std::fmt;

use sapar_model::Country;
use uuid::Uuid;

use crate::error::IdError;

fn is_id_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'
}

/// Identifies an agreement, e.g. `KAZ-KGZ-2019`: upper-case letters, digits and hyphens.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgreementId(String);

impl AgreementId {
    /// Parses an agreement id (3 to 64 characters of `A-Z`, `0-9`, `-`, starting with a letter).
    pub fn parse(raw: &str) -> Result<AgreementId, IdError> {
        let ok = (3..=64).contains(&raw.len())
            && raw.chars().all(is_id_char)
            && raw.starts_with(|c: char| c.is_ascii_uppercase());
        if ok { Ok(AgreementId(raw.to_owned())) } else { Err(IdError::Agreement(raw.to_owned())) }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Identifies a competent authority, e.g. `KAZ-MVD`: the state's alpha-3 code, a hyphen and a
/// short upper-case name.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuthorityId(String);

impl AuthorityId {
    /// Parses `SSS-NAME` where `SSS` is an ISO 3166-1 alpha-3 state and `NAME` is 1 to 32
    /// characters of `A-Z`, `0-9`, `-`.
    pub fn parse(raw: &str) -> Result<AuthorityId, IdError> {
        let err = || IdError::Authority(raw.to_owned());
        let (state, name) = raw.split_once('-').ok_or_else(err)?;
        let country = Country::parse(state).map_err(|_| err())?;
        let ok = country.is_state()
            && state == country.code()
            && (1..=32).contains(&name.len())
            && name.chars().all(is_id_char);
        if ok { Ok(AuthorityId(raw.to_owned())) } else { Err(err()) }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The state named by the id's prefix (informative: the agreement data is authoritative).
    pub fn state_prefix(&self) -> &str {
        self.0.get(..3).unwrap_or("")
    }
}

/// Identifies one exchange message: a UUIDv7, so ids sort by creation time.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(Uuid);

impl MessageId {
    /// Parses the hyphenated lower-case form of a version-7 UUID.
    pub fn parse(raw: &str) -> Result<MessageId, IdError> {
        let uuid = Uuid::try_parse(raw).map_err(|_| IdError::Message(raw.to_owned()))?;
        if uuid.get_version_num() != 7 || uuid.hyphenated().to_string() != raw {
            return Err(IdError::Message(raw.to_owned()));
        }
        Ok(MessageId(uuid))
    }

    /// A fresh id whose time part is `at` (time is a parameter, the random part is not).
    pub fn new_at(at: jiff::Timestamp) -> MessageId {
        let secs = u64::try_from(at.as_second()).unwrap_or(0);
        let nanos = u32::try_from(at.subsec_nanosecond()).unwrap_or(0);
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, nanos);
        MessageId(Uuid::new_v7(ts))
    }

    /// Wraps a version-7 UUID (e.g. from storage).
    pub fn from_uuid(uuid: Uuid) -> Result<MessageId, IdError> {
        if uuid.get_version_num() == 7 { Ok(MessageId(uuid)) } else { Err(IdError::Message(uuid.to_string())) }
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

/// Identifies an exchange case (a request and everything that answers it). Any UUID version.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseId(Uuid);

impl CaseId {
    /// Parses the hyphenated lower-case form of a UUID.
    pub fn parse(raw: &str) -> Result<CaseId, IdError> {
        let uuid = Uuid::try_parse(raw).map_err(|_| IdError::Case(raw.to_owned()))?;
        if uuid.hyphenated().to_string() != raw {
            return Err(IdError::Case(raw.to_owned()));
        }
        Ok(CaseId(uuid))
    }

    /// Wraps a UUID.
    pub fn from_uuid(uuid: Uuid) -> CaseId {
        CaseId(uuid)
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

/// A SHA-256 digest, written as 64 lower-case hex digits on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Hash([u8; 32]);

impl Sha256Hash {
    /// Hashes bytes.
    pub fn of(bytes: &[u8]) -> Sha256Hash {
        let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(digest.as_ref());
        Sha256Hash(out)
    }

    /// Parses 64 lower-case hex digits.
    pub fn parse(raw: &str) -> Result<Sha256Hash, IdError> {
        let err = || IdError::Hash(raw.to_owned());
        if raw.len() != 64 || raw.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(err());
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(raw, &mut out).map_err(|_| err())?;
        Ok(Sha256Hash(out))
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// One direction of exchange between two states under one agreement, e.g.
/// `KAZ-KGZ-2019:KAZ>KGZ`. Sequence numbers and the previous-message hash are per channel.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId {
    pub agreement: AgreementId,
    pub from_state: Country,
    pub to_state: Country,
}

impl ChannelId {
    /// Parses `AGREEMENT:FROM>TO`.
    pub fn parse(raw: &str) -> Result<ChannelId, IdError> {
        let err = || IdError::Channel(raw.to_owned());
        let (agreement, states) = raw.split_once(':').ok_or_else(err)?;
        let (from, to) = states.split_once('>').ok_or_else(err)?;
        let agreement = AgreementId::parse(agreement).map_err(|_| err())?;
        let from_state = Country::parse(from).map_err(|_| err())?;
        let to_state = Country::parse(to).map_err(|_| err())?;
        if from_state.code() != from || to_state.code() != to || from_state == to_state {
            return Err(err());
        }
        Ok(ChannelId { agreement, from_state, to_state })
    }
}

macro_rules! display_via {
    ($t:ty, |$s:ident| $e:expr) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let $s = self;
                fmt::Display::fmt(&$e, f)
            }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($t), "({})"), self)
            }
        }
    };
}

display_via!(AgreementId, |s| s.0);
display_via!(AuthorityId, |s| s.0);
display_via!(MessageId, |s| s.0.hyphenated());
display_via!(CaseId, |s| s.0.hyphenated());
display_via!(Sha256Hash, |s| s.to_hex());
display_via!(ChannelId, |s| format!("{}:{}>{}", s.agreement, s.from_state, s.to_state));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_id_needs_a_real_state_prefix() {
        assert!(AuthorityId::parse("KAZ-MVD").is_ok());
        assert!(AuthorityId::parse("kaz-MVD").is_err());
        assert!(AuthorityId::parse("QQQ-MVD").is_err());
        assert!(AuthorityId::parse("KAZ-").is_err());
        assert!(AuthorityId::parse("KAZ-mvd").is_err());
    }

    #[test]
    fn message_id_must_be_uuid_v7_lower_case() {
        let id = MessageId::new_at(jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(MessageId::parse(&id.to_string()), Ok(id));
        assert!(MessageId::parse(&id.to_string().to_uppercase()).is_err());
        assert!(MessageId::parse("67e55044-10b1-426f-9247-bb680e5fe0c8").is_err());
    }

    #[test]
    fn channel_id_round_trips() {
        let c = ChannelId::parse("KAZ-KGZ-2019:KAZ>KGZ").unwrap();
        assert_eq!(c.to_string(), "KAZ-KGZ-2019:KAZ>KGZ");
        assert!(ChannelId::parse("KAZ-KGZ-2019:KAZ>KAZ").is_err());
        assert!(ChannelId::parse("KAZ-KGZ-2019:kaz>KGZ").is_err());
    }

    #[test]
    fn hash_parse_rejects_upper_case_and_wrong_length() {
        let h = Sha256Hash::of(b"abc");
        assert_eq!(h.to_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(Sha256Hash::parse(&h.to_hex()), Ok(h));
        assert!(Sha256Hash::parse(&h.to_hex().to_uppercase()).is_err());
        assert!(Sha256Hash::parse("abcd").is_err());
    }
}
