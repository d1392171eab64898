//! Benchmarks of the exchange engine: signing a request, the full receiver pipeline,
//! log-chain verification and payload sealing.
//!
//! Run: `cargo bench -p sapar-treaty --bench exchange`

use divan::Bencher;
use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, ChannelId, MessageId, Sha256Hash};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::keys::{Officer, StateKeys, init_state_keys};
use sapar_treaty::log::{LogDirection, LogEntry, LogRecord, verify_chain};
use sapar_treaty::message::{Header, MessageType, SignatoryEntry, SignatoryList};
use sapar_treaty::receive::{
    CaseRecord, ChannelHead, PartnerConfig, ReceiverConfig, ReceiverState, SignatoryBook, TlsPeer, receive,
};
use sapar_treaty::seal::{PayloadKey, open, seal};
use sapar_treaty::send::{SignedMessage, sign_header};
use sapar_treaty::{pki, wire};
use serde_json::json;

fn main() {
    divan::main();
}

struct Fixture {
    book: AgreementBook,
    kgz: StateKeys,
    signer: SigningIdentity,
    now: Timestamp,
}

fn fixture() -> Fixture {
    let now: Timestamp = "2025-10-01T08:00:00Z".parse().expect("time");
    let officer = Officer {
        authority: AuthorityId::parse("KGZ-GMS").expect("id"),
        name: "Бакиев Нурлан".into(),
        position: "заместитель директора".into(),
    };
    let kgz = init_state_keys(Country::KGZ, &[officer], "2025-09-01T00:00:00Z".parse().expect("time")).expect("keys");
    let s = &kgz.signatories[0];
    let signer = SigningIdentity::from_pem(&s.cert.cert_pem, &s.cert.key_pem).expect("identity");
    Fixture { book: AgreementBook::load_embedded().expect("book"), kgz, signer, now }
}

fn request(f: &Fixture) -> SignedMessage {
    let header = Header {
        id: MessageId::new_at(f.now),
        agreement: AgreementId::parse("KAZ-KGZ-2019").expect("id"),
        from: AuthorityId::parse("KGZ-GMS").expect("id"),
        to: AuthorityId::parse("KAZ-MVD").expect("id"),
        case_id: CaseId::from_uuid(uuid::Uuid::from_u128(1)),
        in_reply_to: None,
        created_at: f.now,
        seq: 1,
        prev_hash: None,
    };
    let body = json!({
        "requesting_authority": "KGZ-GMS", "requested_authority": "KAZ-MVD",
        "substance": "Сведения о регистрации", "purpose": "правовой статус", "justification": "заявление",
        "categories": ["registration"], "fields": ["registration"],
        "person": {"surname": {"cyrillic": "Бакиров", "latin": "BAKIROV"}, "birth_date": "1994-05-17", "citizenship": "KGZ"}
    });
    sign_header(header, MessageType::Request, &body, &f.signer).expect("sign")
}

struct State {
    signatories: SignatoryBook,
}

impl ReceiverState for State {
    fn seen(&self, _: &MessageId) -> Option<Sha256Hash> {
        None
    }
    fn channel_head(&self, _: &ChannelId) -> Option<ChannelHead> {
        None
    }
    fn case(&self, _: &CaseId) -> Option<CaseRecord> {
        None
    }
    fn signatory_list(&self, authority: &AuthorityId, at: Timestamp) -> Option<SignatoryList> {
        self.signatories.in_force(authority, at).cloned()
    }
}

#[divan::bench]
fn sign_request(bencher: Bencher<'_, '_>) {
    let f = fixture();
    bencher.bench_local(|| request(&f));
}

#[divan::bench]
fn receive_request_all_checks(bencher: Bencher<'_, '_>) {
    let f = fixture();
    let m = request(&f);
    let partners = [PartnerConfig {
        state: Country::KGZ,
        ca_cert_der: pki::pem_decode_one(&f.kgz.ca.cert_pem, "CERTIFICATE").expect("ca"),
        node_cert_fingerprints: vec![f.kgz.node.fingerprint],
    }];
    let config = ReceiverConfig {
        local_state: Country::KAZ,
        book: &f.book,
        partners: &partners,
        max_clock_skew: SignedDuration::from_mins(5),
    };
    let mut signatories = SignatoryBook::default();
    signatories.add(SignatoryList {
        authority: AuthorityId::parse("KGZ-GMS").expect("id"),
        version: 1,
        effective_from: "2025-09-01T00:00:00Z".parse().expect("time"),
        signatories: vec![SignatoryEntry {
            name: "Бакиев Нурлан".into(),
            position: "заместитель директора".into(),
            certificate_sha256: f.kgz.signatories[0].cert.fingerprint,
        }],
    });
    let state = State { signatories };
    let peer = TlsPeer { cert_fingerprint: f.kgz.node.fingerprint, subject: "CN=sapar-kgz".into() };
    bencher.bench_local(|| receive(&config, &state, &peer, &m.jws, f.now).expect("accepted"));
}

fn log_of(n: u64, at: Timestamp) -> Vec<LogEntry> {
    let channel = ChannelId::parse("KAZ-KGZ-2019:KGZ>KAZ").expect("channel");
    let mut out: Vec<LogEntry> = Vec::new();
    for i in 0..n {
        let e = LogEntry::append(
            out.last(),
            LogRecord {
                at,
                direction: LogDirection::Received,
                channel: channel.clone(),
                seq: i + 1,
                message_id: MessageId::new_at(at),
                message_hash: Sha256Hash::of(&i.to_le_bytes()),
            },
        );
        out.push(e);
    }
    out
}

#[divan::bench]
fn verify_log_chain_10k(bencher: Bencher<'_, '_>) {
    let entries = log_of(10_000, "2025-10-01T08:00:00Z".parse().expect("time"));
    bencher.bench_local(|| verify_chain(&entries, &[], b"unused").expect("valid"));
}

#[divan::bench]
fn seal_and_open_4k(bencher: Bencher<'_, '_>) {
    let key = PayloadKey::new("k1", [9; 32]).expect("key");
    let payload = vec![b'x'; 4096];
    bencher.bench_local(|| {
        let sealed = seal(&key, &payload, b"message-id").expect("seal");
        open(std::slice::from_ref(&key), &sealed, b"message-id").expect("open")
    });
}

#[divan::bench]
fn parse_jws_only(bencher: Bencher<'_, '_>) {
    let f = fixture();
    let m = request(&f);
    bencher.bench_local(|| sapar_treaty::jws::parse_compact(&m.jws, wire::TYP_MESSAGE).expect("parse").payload.len());
}
