//! Shared test world: KAZ, KGZ and ARM keys, partner configuration and an in-memory node state.

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, ChannelId, MessageId, Sha256Hash};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::keys::{Officer, StateKeys, init_state_keys};
use sapar_treaty::message::{Header, MessageType, SignatoryEntry, SignatoryList};
use sapar_treaty::receive::{
    CaseRecord, ChannelHead, PartnerConfig, ReceiverConfig, ReceiverState, SignatoryBook, TlsPeer,
};
use sapar_treaty::send::{self, SignedMessage};
use sapar_treaty::{pki, wire};
use serde_json::{Value, json};

pub(crate) fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Keys are issued on this day; messages are sent on `now()`.
pub(crate) fn keys_issued() -> Timestamp {
    ts("2025-09-01T00:00:00Z")
}

pub(crate) fn now() -> Timestamp {
    ts("2025-10-01T08:00:00Z")
}

pub(crate) fn auth(s: &str) -> AuthorityId {
    AuthorityId::parse(s).unwrap()
}

pub(crate) fn kz_kg() -> AgreementId {
    AgreementId::parse("KAZ-KGZ-2019").unwrap()
}

fn officer(a: &str, name: &str) -> Officer {
    Officer { authority: auth(a), name: name.into(), position: "deputy head".into() }
}

pub(crate) struct World {
    pub(crate) book: AgreementBook,
    pub(crate) kaz: StateKeys,
    pub(crate) kgz: StateKeys,
    pub(crate) arm: StateKeys,
}

pub(crate) fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| World {
        book: AgreementBook::load_embedded().unwrap(),
        kaz: init_state_keys(Country::KAZ, &[officer("KAZ-MVD", "Асанов Ерлан")], keys_issued()).unwrap(),
        kgz: init_state_keys(
            Country::KGZ,
            &[
                officer("KGZ-GMS", "Бакиев Нурлан"),
                officer("KGZ-GMS", "Unlisted Officer"),
                officer("KGZ-MVD", "Осмонов Азамат"),
            ],
            keys_issued(),
        )
        .unwrap(),
        arm: init_state_keys(Country::ARM, &[officer("ARM-MCS", "Petrosyan Armen")], keys_issued()).unwrap(),
    })
}

pub(crate) fn identity(keys: &StateKeys, index: usize) -> SigningIdentity {
    let s = &keys.signatories[index];
    SigningIdentity::from_pem(&s.cert.cert_pem, &s.cert.key_pem).unwrap()
}

pub(crate) fn node_identity(keys: &StateKeys) -> SigningIdentity {
    SigningIdentity::from_pem(&keys.node.cert_pem, &keys.node.key_pem).unwrap()
}

pub(crate) fn ca_identity(keys: &StateKeys) -> SigningIdentity {
    SigningIdentity::from_pem(&keys.ca.cert_pem, &keys.ca.key_pem).unwrap()
}

pub(crate) fn der(pem: &str) -> Vec<u8> {
    pki::pem_decode_one(pem, "CERTIFICATE").unwrap()
}

pub(crate) fn partner(keys: &StateKeys) -> PartnerConfig {
    PartnerConfig {
        state: keys.state,
        ca_cert_der: der(&keys.ca.cert_pem),
        node_cert_fingerprints: vec![keys.node.fingerprint],
    }
}

pub(crate) fn kgz_peer() -> TlsPeer {
    TlsPeer { cert_fingerprint: world().kgz.node.fingerprint, subject: "CN=sapar-kgz".into() }
}

pub(crate) struct Partners(pub(crate) Vec<PartnerConfig>);

pub(crate) fn partners() -> Partners {
    Partners(vec![partner(&world().kgz), partner(&world().arm)])
}

pub(crate) fn config<'a>(book: &'a AgreementBook, partners: &'a Partners) -> ReceiverConfig<'a> {
    ReceiverConfig {
        local_state: Country::KAZ,
        book,
        partners: &partners.0,
        max_clock_skew: SignedDuration::from_mins(5),
    }
}

/// The KAZ node's exchange state, in memory.
#[derive(Default)]
pub(crate) struct MemState {
    pub(crate) seen: HashMap<MessageId, Sha256Hash>,
    pub(crate) heads: HashMap<ChannelId, ChannelHead>,
    pub(crate) cases: HashMap<CaseId, CaseRecord>,
    pub(crate) signatories: SignatoryBook,
}

impl ReceiverState for MemState {
    fn seen(&self, id: &MessageId) -> Option<Sha256Hash> {
        self.seen.get(id).copied()
    }
    fn channel_head(&self, channel: &ChannelId) -> Option<ChannelHead> {
        self.heads.get(channel).copied()
    }
    fn case(&self, id: &CaseId) -> Option<CaseRecord> {
        self.cases.get(id).copied()
    }
    fn signatory_list(&self, authority: &AuthorityId, at: Timestamp) -> Option<SignatoryList> {
        self.signatories.in_force(authority, at).cloned()
    }
}

/// The KAZ node's state with the KGZ signatory lists exchanged out of band: KGZ-GMS lists only
/// its first officer; KGZ-MVD its officer.
pub(crate) fn state() -> MemState {
    let w = world();
    let mut s = MemState::default();
    for (authority, idx) in [("KGZ-GMS", 0usize), ("KGZ-MVD", 2)] {
        s.signatories.add(SignatoryList {
            authority: auth(authority),
            version: 1,
            effective_from: keys_issued(),
            signatories: vec![SignatoryEntry {
                name: w.kgz.signatories[idx].officer.name.clone(),
                position: "deputy head".into(),
                certificate_sha256: w.kgz.signatories[idx].cert.fingerprint,
            }],
        });
    }
    s.signatories.add(SignatoryList {
        authority: auth("ARM-MCS"),
        version: 1,
        effective_from: keys_issued(),
        signatories: vec![SignatoryEntry {
            name: "Petrosyan Armen".into(),
            position: "deputy head".into(),
            certificate_sha256: w.arm.signatories[0].cert.fingerprint,
        }],
    });
    s
}

pub(crate) fn case_id() -> CaseId {
    CaseId::parse("0199a0b0-0000-7000-8000-000000000001").unwrap()
}

pub(crate) fn person() -> Value {
    json!({
        "surname": {"cyrillic": "Бакиров", "latin": "BAKIROV"},
        "given_names": {"cyrillic": "Алмаз", "latin": "ALMAZ"},
        "sex": "M",
        "birth_date": "1994-05-17",
        "citizenship": "KGZ",
        "document": {"series": "AC", "number": "1234567", "issued_on": "2019-03-01", "issuer": "ГРС"}
    })
}

pub(crate) fn request_body() -> Value {
    json!({
        "requesting_authority": "KGZ-GMS",
        "requested_authority": "KAZ-MVD",
        "substance": "Сведения о регистрации по месту пребывания гражданина Кыргызской Республики",
        "purpose": "установление правового статуса (ст. 6 Соглашения)",
        "justification": "обращение гражданина о восстановлении документов",
        "categories": ["registration", "residence_permit"],
        "fields": ["registration", "residence_permit"],
        "person": person()
    })
}

pub(crate) fn header(seq: u64, prev: Option<Sha256Hash>) -> Header {
    Header {
        id: MessageId::new_at(now()),
        agreement: kz_kg(),
        from: auth("KGZ-GMS"),
        to: auth("KAZ-MVD"),
        case_id: case_id(),
        in_reply_to: None,
        created_at: now(),
        seq,
        prev_hash: prev,
    }
}

/// A valid request from KGZ-GMS to KAZ-MVD signed by the listed officer, seq 1.
pub(crate) fn request() -> SignedMessage {
    send::sign_header(header(1, None), MessageType::Request, &request_body(), &identity(&world().kgz, 0)).unwrap()
}

/// Signs any envelope (even an invalid one) with the listed KGZ-GMS officer.
pub(crate) fn sign_wire(env: &wire::Envelope) -> String {
    let payload = serde_json::to_vec(env).unwrap();
    sapar_treaty::jws::sign_compact(&payload, wire::TYP_MESSAGE, &identity(&world().kgz, 0)).unwrap()
}

/// The wire envelope of a valid request.
pub(crate) fn request_wire() -> wire::Envelope {
    let m = request();
    let (_, _, _) = sapar_treaty::message::parse_envelope(&payload_of(&m.jws)).unwrap();
    serde_json::from_slice(&payload_of(&m.jws)).unwrap()
}

pub(crate) fn payload_of(jws: &str) -> Vec<u8> {
    use base64::Engine as _;
    let part = jws.split('.').nth(1).unwrap();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()
}
