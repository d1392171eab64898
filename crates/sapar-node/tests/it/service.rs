//! Nodes set up from files as `sapar keys init` writes them, and the officers' service: sending
//! moves the case on both sides, listings show delivery and verified receipts, and what the
//! partner would refuse is refused before it is queued.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp, ToSpan as _};
use sapar_model::{Country, ReadPurpose, Role};
use sapar_node::dispatcher::Backoff;
use sapar_node::service::{DeliveryState, Direction, ExchangeService, Outgoing, SendError};
use sapar_node::setup::{self, ExchangeNode, NodeSettings, PartnerSpec, PayloadKeySource};
use sapar_register::access::{Access, AccessChannel};
use sapar_register::exchange::{
    CaseBody, CaseDelivery, CaseDesk, CaseDirection, CaseFilter, CaseStatus, CaseStep, CaseStepKind,
};
use sapar_register::{Actor, Entity, RegisterError};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::case::CaseState;
use sapar_treaty::keys::{StateKeys, demo_officers, init_state_keys};
use sapar_treaty::seal;
use serde_json::json;
use tokio::net::TcpListener;

use crate::support::{eventually, request_body, sqlite};

/// Keys of both states, with one signatory per competent authority, written as `keys init` does.
struct Dirs {
    _root: tempfile::TempDir,
    kaz: std::path::PathBuf,
    kgz: std::path::PathBuf,
}

fn state_keys(state: Country) -> StateKeys {
    let book = AgreementBook::load_embedded().unwrap();
    init_state_keys(state, &demo_officers(&book, state), Timestamp::now()).unwrap()
}

fn write(dir: &Path, keys: &StateKeys) {
    for (name, content) in keys.files() {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

fn dirs() -> &'static Dirs {
    static D: OnceLock<Dirs> = OnceLock::new();
    D.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let (kaz, kgz) = (root.path().join("kaz"), root.path().join("kgz"));
        write(&kaz, &state_keys(Country::KAZ));
        write(&kgz, &state_keys(Country::KGZ));
        Dirs { _root: root, kaz, kgz }
    })
}

fn spec(partner: &Path, state: &str, endpoint: &str) -> PartnerSpec {
    PartnerSpec {
        state: state.into(),
        endpoint: endpoint.into(),
        ca: partner.join("ca.pem"),
        signatories: partner.join("signatories.json"),
        node_sha256: Vec::new(),
        server_name: None,
    }
}

fn book() -> AgreementBook {
    AgreementBook::load_embedded().unwrap()
}

#[tokio::test]
async fn keys_directory_and_partner_files_are_read_and_checked() {
    let d = dirs();
    let kaz = setup::load_keys(&d.kaz).unwrap();
    assert_eq!((kaz.state, kaz.node_name.as_str()), (Country::KAZ, "sapar-kaz"));
    let mut names: Vec<&str> = kaz.signatories.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["KAZ-MTSZN-1", "KAZ-MVD-1"]);

    let kgz = setup::load_partner(&spec(&d.kgz, "KGZ", "https://127.0.0.1:9443"), Country::KAZ, &book()).await.unwrap();
    assert_eq!(
        (kgz.state, kgz.addr.to_string(), kgz.server_name.as_str()),
        (Country::KGZ, "127.0.0.1:9443".into(), "127.0.0.1")
    );
    assert_eq!(kgz.node_fingerprints, vec![setup::load_keys(&d.kgz).unwrap().node.fingerprint()]);
    let mut listed: Vec<String> = kgz.signatory_lists.iter().map(|l| l.authority.to_string()).collect();
    listed.sort();
    assert_eq!(listed, ["KGZ-GMS", "KGZ-GRS", "KGZ-MVD"]);
    let named = setup::load_partner(
        &PartnerSpec {
            server_name: Some("sapar-kgz".into()),
            ..spec(&d.kgz, "KGZ", "https://localhost:9443/exchange/v1/messages")
        },
        Country::KAZ,
        &book(),
    )
    .await
    .unwrap();
    assert_eq!((named.addr.port(), named.server_name.as_str()), (9443, "sapar-kgz"));

    let refused =
        |s: PartnerSpec| async move { setup::load_partner(&s, Country::KAZ, &book()).await.unwrap_err().to_string() };
    let e = refused(spec(&d.kgz, "RUS", "https://127.0.0.1:1")).await;
    assert_eq!(e, "partner RUS is not a party to any agreement with KAZ");
    assert_eq!(refused(spec(&d.kaz, "KAZ", "https://127.0.0.1:1")).await, "partner KAZ is this node's own state");
    let e = refused(PartnerSpec { ca: d.kgz.join("node.pem"), ..spec(&d.kgz, "KGZ", "https://127.0.0.1:1") }).await;
    assert!(e.ends_with("is not a CA certificate"), "{e}");
    let e = refused(PartnerSpec { ca: d.kaz.join("ca.pem"), ..spec(&d.kgz, "KGZ", "https://127.0.0.1:1") }).await;
    assert!(e.contains("signatories.json was issued under CA"), "{e}");
    let e = refused(spec(&d.kgz, "KGZ", "http://127.0.0.1:1")).await;
    assert_eq!(e, "partner KGZ: endpoint \"http://127.0.0.1:1\" must start with https://");
    let e = refused(spec(&d.kgz, "KGZ", "https://127.0.0.1:1/other")).await;
    assert!(e.contains("path /other is not /exchange/v1/messages"), "{e}");
    let e =
        refused(PartnerSpec { node_sha256: vec!["abc".into()], ..spec(&d.kgz, "KGZ", "https://127.0.0.1:1") }).await;
    assert_eq!(e, "partner KGZ: node_sha256 \"abc\" is not 64 hex digits");

    let e = setup::load_keys(&d.kaz.join("nowhere")).unwrap_err().to_string();
    assert!(e.starts_with("keys directory") && e.contains("does not exist"), "{e}");
}

#[test]
fn the_card_signer_is_loaded_when_present_and_optional_for_older_key_directories() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("kaz");
    let keys = state_keys(Country::KAZ);
    write(&dir, &keys);
    let loaded = setup::load_keys(&dir).unwrap().card_signer.expect("card signer loaded");
    assert_eq!(loaded.cert_pem, keys.card_signer.cert_pem);

    // A directory made before cards existed: no card signer, and everything else loads.
    std::fs::remove_file(dir.join("card-signer.pem")).unwrap();
    let e = setup::load_keys(&dir).unwrap_err().to_string();
    assert!(e.contains("card-signer.key.pem exists without"), "{e}");
    std::fs::remove_file(dir.join("card-signer.key.pem")).unwrap();
    let older = setup::load_keys(&dir).unwrap();
    assert!(older.card_signer.is_none());
    assert!(!older.signatories.is_empty());

    // A card signer of another state's CA is refused.
    let other = state_keys(Country::KGZ);
    std::fs::write(dir.join("card-signer.pem"), &other.card_signer.cert_pem).unwrap();
    std::fs::write(dir.join("card-signer.key.pem"), &other.card_signer.key_pem).unwrap();
    let e = setup::load_keys(&dir).unwrap_err().to_string();
    assert!(e.contains("card-signer.pem is not issued by this state's CA"), "{e}");
}

#[tokio::test]
async fn payload_key_is_derived_from_the_node_key_or_read_from_a_file() {
    let d = dirs();
    let kaz = setup::load_keys(&d.kaz).unwrap();
    let derived = setup::payload_key(&PayloadKeySource::DerivedFromNodeKey, &kaz).unwrap();
    let again = setup::payload_key(&PayloadKeySource::DerivedFromNodeKey, &kaz).unwrap();
    assert!(derived.id().starts_with("node-"));
    let sealed = seal::seal(&derived, b"payload", b"id").unwrap();
    assert_eq!(seal::open(&[again], &sealed, b"id").unwrap(), b"payload", "the same node key gives the same key");
    let kgz = setup::payload_key(&PayloadKeySource::DerivedFromNodeKey, &setup::load_keys(&d.kgz).unwrap()).unwrap();
    assert!(seal::open(&[kgz], &sealed, b"id").is_err(), "another node key gives another key");

    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), format!("{}\n", "0f".repeat(32))).unwrap();
    let from_file = setup::payload_key(&PayloadKeySource::File(file.path().to_owned()), &kaz).unwrap();
    assert!(from_file.id().starts_with("file-"));
    std::fs::write(file.path(), "0f0f").unwrap();
    let e = setup::payload_key(&PayloadKeySource::File(file.path().to_owned()), &kaz).unwrap_err().to_string();
    assert!(e.ends_with("must hold the payload key as 64 hex digits"), "{e}");
}

struct Running {
    kaz: Arc<ExchangeService>,
    kgz: Arc<ExchangeService>,
    /// The register KAZ's node answers from (the same database).
    kaz_register: sapar_register::Register,
    kaz_store: sapar_store::Store,
    _stop: tokio::sync::watch::Sender<bool>,
    _db: tempfile::TempDir,
}

async fn node(own: &Path, partner: (&Path, &str, std::net::SocketAddr), store: sapar_store::Store) -> ExchangeNode {
    let keys = setup::load_keys(own).unwrap();
    let partner =
        setup::load_partner(&spec(partner.0, partner.1, &format!("https://{}", partner.2)), keys.state, &book())
            .await
            .unwrap();
    let payload_key = setup::payload_key(&PayloadKeySource::DerivedFromNodeKey, &keys).unwrap();
    let settings = NodeSettings {
        keys,
        payload_key,
        partners: vec![partner],
        max_clock_skew: SignedDuration::from_mins(5),
        backoff: Backoff { base: Duration::from_millis(20), max: Duration::from_millis(200) },
        checkpoints: sapar_node::log::CheckpointPolicy::default(),
    };
    ExchangeNode::build(settings, Arc::new(book()), store).unwrap()
}

async fn running() -> Running {
    let d = dirs();
    let db = tempfile::tempdir().unwrap();
    let (kaz_listener, kgz_listener) =
        (TcpListener::bind("127.0.0.1:0").await.unwrap(), TcpListener::bind("127.0.0.1:0").await.unwrap());
    let (kaz_addr, kgz_addr) = (kaz_listener.local_addr().unwrap(), kgz_listener.local_addr().unwrap());
    let kaz_store = sqlite(&db, "kaz.db").await;
    let kaz_register = sapar_register::Register::with_embedded_rules(kaz_store.clone()).unwrap();
    let kaz_store_copy = kaz_store.clone();
    let check: Arc<dyn sapar_register::exchange::HitCheck> = Arc::new(kaz_register.clone());
    let kaz = node(&d.kaz, (&d.kgz, "KGZ", kgz_addr), kaz_store).await.with_hit_answers(check, ["KAZ-KGZ-2019".into()]);
    let kgz = node(&d.kgz, (&d.kaz, "KAZ", kaz_addr), sqlite(&db, "kgz.db").await).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (kaz_service, kgz_service) = (Arc::clone(&kaz.service), Arc::clone(&kgz.service));
    for (node, listener) in [(kaz, kaz_listener), (kgz, kgz_listener)] {
        let mut stopped = stopped.clone();
        tokio::spawn(node.run(listener, async move {
            let _ = stopped.wait_for(|s| *s).await;
        }));
    }
    Running { kaz: kaz_service, kgz: kgz_service, kaz_register, kaz_store: kaz_store_copy, _stop: stop, _db: db }
}

fn request() -> Outgoing {
    let mut body = request_body();
    body["requesting_authority"] = json!("KAZ-MVD");
    body["requested_authority"] = json!("KGZ-GMS");
    Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KAZ-MVD".into(),
        to: "KGZ-GMS".into(),
        message_type: "request".into(),
        case_id: None,
        in_reply_to: None,
        signatory: None,
        body,
    }
}

fn ack(case: &str) -> Outgoing {
    Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KGZ-GMS".into(),
        to: "KAZ-MVD".into(),
        message_type: "ack".into(),
        case_id: Some(case.to_owned()),
        in_reply_to: None,
        signatory: Some("KGZ-GMS-1".into()),
        body: json!({"received_on": "2025-10-01", "due_on": "2025-10-31"}),
    }
}

async fn delivered(service: &ExchangeService, count: usize) {
    eventually("every message has its receipt", || async {
        let out = service.list(Direction::Out, 100).await.unwrap();
        out.len() == count && out.iter().all(|m| m.state == DeliveryState::Delivered)
    })
    .await;
}

fn code(e: SendError) -> &'static str {
    match e {
        SendError::Invalid { code, .. } => code,
        SendError::Refused(r) => r.code.as_str(),
        SendError::Node(e) => panic!("{e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_and_its_ack_move_the_case_on_both_nodes_and_are_listed_with_receipts() {
    let r = running().await;
    let queued = r.kaz.send(request()).await.unwrap();
    assert_eq!((queued.entry.seq, queued.signatory.as_str()), (1, "KAZ-MVD-1"));
    delivered(&r.kaz, 1).await;
    let sent = &r.kaz.list(Direction::Out, 10).await.unwrap()[0];
    let receipt = sent.receipt.as_ref().unwrap();
    assert!(receipt.verified);
    assert_eq!((sent.message_type.as_str(), receipt.receiver.as_deref()), ("request", Some("sapar-kgz")));
    let received = r.kgz.list(Direction::In, 10).await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!((received[0].id, received[0].state), (queued.entry.message_id, DeliveryState::Received));
    assert_eq!(received[0].case_id, queued.case_id.as_uuid());
    assert!(received[0].receipt.as_ref().unwrap().verified, "the receipt KGZ gave is listed and verifies");

    // KGZ answers in the case KAZ opened: KAZ, which recorded the case when sending, accepts it.
    let case = queued.case_id.to_string();
    r.kgz.send(ack(&case)).await.unwrap();
    delivered(&r.kgz, 1).await;
    let back = r.kaz.list(Direction::In, 10).await.unwrap();
    assert_eq!((back.len(), back[0].message_type.as_str()), (1, "ack"));

    // Refused before queueing: the case is acknowledged already; an ack cannot open a case.
    assert_eq!(code(r.kgz.send(ack(&case)).await.unwrap_err()), "message_type_not_allowed");
    let fresh = uuid::Uuid::new_v4().to_string();
    assert_eq!(code(r.kgz.send(ack(&fresh)).await.unwrap_err()), "message_type_not_allowed");
    assert_eq!(r.kgz.list(Direction::Out, 10).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_node_cannot_sign_or_deliver_is_refused_with_its_code() {
    let r = running().await;
    let cases = [
        (Outgoing { from: "KGZ-GMS".into(), ..request() }, "sender_not_local"),
        (Outgoing { to: "ARM-POLICE".into(), ..request() }, "partner_not_configured"),
        (Outgoing { signatory: Some("KAZ-MVD-7".into()), ..request() }, "signatory_not_available"),
        (Outgoing { message_type: "gossip".into(), ..request() }, "message_type_unknown"),
        (Outgoing { agreement: "KAZ KGZ".into(), ..request() }, "invalid_id"),
        (Outgoing { case_id: Some("not-a-uuid".into()), ..request() }, "invalid_id"),
        (Outgoing { body: json!({"purpose": "x"}), ..request() }, "body_invalid"),
    ];
    for (out, expected) in cases {
        let what = format!("{out:?}");
        assert_eq!(code(r.kaz.send(out).await.unwrap_err()), expected, "{what}");
    }
    assert!(r.kaz.list(Direction::Out, 10).await.unwrap().is_empty());
}

fn reader(name: &str, role: Role) -> Access {
    Access::new(Actor::new(name, role), ReadPurpose::ExchangeRequest, AccessChannel::Api)
        .with_note(Some("запрос о регистрации"))
        .unwrap()
        .from_address(Some(std::net::Ipv4Addr::LOCALHOST.into()))
}

fn refusal(case: &str) -> Outgoing {
    Outgoing {
        message_type: "refusal".into(),
        body: json!({"scope": "full", "categories": [], "ground": "public_order", "reasons": "сведения составляют тайну следствия"}),
        ..ack(case)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_11_3_a_request_is_due_30_calendar_days_after_receipt_in_the_requested_party_zone_on_both_desks() {
    let r = running().await;
    let queued = r.kaz.send(request()).await.unwrap();
    delivered(&r.kaz, 1).await;
    let case_id = queued.case_id.as_uuid();
    let now = Timestamp::now();
    let bishkek = |t: Timestamp| t.to_zoned(jiff::tz::TimeZone::get("Asia/Bishkek").unwrap()).date();

    // The requested party (KGZ) counts from its own receipt, in its own zone.
    let listed = r.kgz.case_list(&CaseFilter::default(), now).await.unwrap();
    assert_eq!(listed.len(), 1);
    let case = &listed[0];
    assert_eq!((case.case_id, case.partner, case.opened_by), (case_id, Country::KAZ, Country::KAZ));
    assert_eq!((case.state, case.status, case.messages), (CaseState::Requested, CaseStatus::Open, 1));
    let d = case.deadline.as_ref().unwrap();
    assert_eq!(d.requested_party, Country::KGZ);
    assert_eq!(d.received_on, bishkek(d.received_at));
    assert_eq!(d.due_on, d.received_on.checked_add(30.days()).unwrap());
    assert_eq!((d.days_left, d.answered_at, d.answered_on_time), (30, None, None));

    // The requesting party (KAZ) sees the same deadline, from the time in KGZ's signed receipt.
    let theirs = r.kaz.case_list(&CaseFilter::default(), now).await.unwrap();
    let mirror = theirs[0].deadline.as_ref().unwrap();
    assert_eq!((mirror.requested_party, mirror.due_on, theirs[0].partner), (Country::KGZ, d.due_on, Country::KGZ));

    // Days pass: due soon five days before, overdue the day after the last day; the filters follow.
    let later = |days: i64| now.checked_add(SignedDuration::from_hours(24 * days)).unwrap();
    let status_at = |days: i64| {
        let kgz = Arc::clone(&r.kgz);
        async move { kgz.case_list(&CaseFilter::default(), later(days)).await.unwrap()[0].status }
    };
    assert_eq!(status_at(24).await, CaseStatus::Open);
    assert_eq!(status_at(25).await, CaseStatus::DueSoon);
    assert_eq!(status_at(30).await, CaseStatus::DueSoon);
    assert_eq!(status_at(31).await, CaseStatus::Overdue);
    let overdue = CaseFilter { status: Some(CaseStatus::Overdue), ..CaseFilter::default() };
    assert_eq!(r.kgz.case_list(&overdue, later(31)).await.unwrap().len(), 1);
    assert_eq!(r.kgz.case_list(&overdue, now).await.unwrap().len(), 0);
    let open = CaseFilter { status: Some(CaseStatus::Open), ..CaseFilter::default() };
    assert_eq!(r.kgz.case_list(&open, later(31)).await.unwrap().len(), 1, "an overdue case is still open");
    let elsewhere = CaseFilter { partner: Some(Country::ARM), ..CaseFilter::default() };
    assert!(r.kgz.case_list(&elsewhere, now).await.unwrap().is_empty());
    let other_agreement = CaseFilter { agreement: Some("KAZ-ARM-2024".into()), ..CaseFilter::default() };
    assert!(r.kgz.case_list(&other_agreement, now).await.unwrap().is_empty());
    let counts = r.kgz.case_counts(later(26)).await.unwrap();
    assert_eq!((counts.open, counts.due_soon, counts.overdue, counts.closed), (0, 1, 0, 0));
    let counts = r.kgz.case_counts(later(40)).await.unwrap();
    assert_eq!((counts.open, counts.due_soon, counts.overdue, counts.closed), (0, 0, 1, 0));

    // Refused (Art. 11.4) on time: closed on both sides, on time.
    r.kgz.send(refusal(&queued.case_id.to_string())).await.unwrap();
    delivered(&r.kgz, 1).await;
    eventually("KAZ has the refusal", || async { r.kaz.list(Direction::In, 10).await.unwrap().len() == 1 }).await;
    for service in [&r.kgz, &r.kaz] {
        let case = &service.case_list(&CaseFilter::default(), later(40)).await.unwrap()[0];
        assert_eq!((case.state, case.status, case.messages), (CaseState::Refused, CaseStatus::Closed, 2));
        assert_eq!(case.deadline.as_ref().unwrap().answered_on_time, Some(true));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_5_a_case_s_messages_are_shown_with_their_bodies_only_after_the_read_is_logged() {
    let r = running().await;
    let queued = r.kaz.send(request()).await.unwrap();
    delivered(&r.kaz, 1).await;
    let case_id = queued.case_id.as_uuid();
    r.kgz.send(ack(&queued.case_id.to_string())).await.unwrap();
    delivered(&r.kgz, 1).await;
    assert!(r.kgz.case_reads(case_id).await.unwrap().is_empty());

    // Through the desk: migration officers are refused, and nothing is logged for them.
    let refused = r.kgz.case(&reader("kgz-migration-officer", Role::Officer), case_id, Timestamp::now()).await;
    assert!(matches!(refused, Err(RegisterError::Forbidden { .. })), "{refused:?}");
    assert!(matches!(
        r.kgz.cases(Role::Border, &CaseFilter::default(), Timestamp::now()).await,
        Err(RegisterError::Forbidden { .. })
    ));
    assert!(r.kgz.case_reads(case_id).await.unwrap().is_empty());
    let record = r.kgz.case(&reader("kgz-exchange-officer", Role::Exchange), case_id, Timestamp::now()).await.unwrap();
    assert_eq!(record.summary.state, CaseState::InProgress);
    let kinds: Vec<_> = record.messages.iter().map(|m| (m.direction, m.message_type.as_str(), m.delivery)).collect();
    assert_eq!(
        kinds,
        [(CaseDirection::In, "request", CaseDelivery::Received), (CaseDirection::Out, "ack", CaseDelivery::Delivered)]
    );
    // The received request, opened from its seal at rest, is the body KAZ signed.
    let CaseBody::Present(body) = &record.messages[0].body else { panic!("the request's body is held") };
    assert_eq!(body, &request().body);
    assert_eq!(body["person"]["surname"]["cyrillic"], "Бакиров");
    assert_eq!(record.messages[1].in_reply_to, None);
    let CaseBody::Present(ack_body) = &record.messages[1].body else { panic!("the ack's body is held") };
    assert_eq!(ack_body["due_on"], "2025-10-31");

    let reads = r.kgz.case_reads(case_id).await.unwrap();
    assert_eq!(reads.len(), 1);
    let read = &reads[0];
    assert_eq!(
        (read.actor.as_str(), read.role, read.purpose),
        ("kgz-exchange-officer", Role::Exchange, ReadPurpose::ExchangeRequest)
    );
    assert_eq!(
        (read.purpose_note.as_deref(), read.address.as_deref()),
        (Some("запрос о регистрации"), Some("127.0.0.1"))
    );

    // A case nobody opened is not found, and its read is not logged.
    let unknown = uuid::Uuid::now_v7();
    assert!(matches!(
        r.kgz.case(&reader("x", Role::Exchange), unknown, Timestamp::now()).await,
        Err(RegisterError::NotFound(Entity::ExchangeCase))
    ));
    assert!(r.kgz.case_reads(unknown).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_11_1_and_11_2_the_requested_party_asks_for_clarification_and_postpones_only_where_the_case_allows() {
    let r = running().await;
    let queued = r.kaz.send(request()).await.unwrap();
    delivered(&r.kaz, 1).await;
    let case_id = queued.case_id.as_uuid();
    let officer = Actor::new("kgz-exchange-officer", Role::Exchange);
    let record = r.kgz.case(&reader("kgz-exchange-officer", Role::Exchange), case_id, Timestamp::now()).await.unwrap();
    assert_eq!(
        record.steps,
        [
            CaseStepKind::ClarificationRequest,
            CaseStepKind::DelayNotice,
            CaseStepKind::Postponement,
            CaseStepKind::AuthenticityQuery,
            CaseStepKind::ConfidentialityNotice
        ]
    );
    // The requester takes none of these steps in its own case.
    let theirs = r.kaz.case(&reader("kaz-exchange-officer", Role::Exchange), case_id, Timestamp::now()).await;
    assert!(theirs.unwrap().steps.is_empty());

    let clarify = CaseStep::ClarificationRequest { text: "укажите адрес пребывания".into() };
    r.kgz.take_step(&officer, case_id, clarify).await.unwrap();
    let until = jiff::civil::date(2026, 3, 1);
    let postpone = CaseStep::Postponement {
        reason: "проверка по месту жительства".into(),
        conditions: Some("после уточнения адреса".into()),
        until: Some(until),
    };
    r.kgz.take_step(&officer, case_id, postpone).await.unwrap();
    delivered(&r.kgz, 2).await;
    eventually("KAZ has both steps", || async { r.kaz.list(Direction::In, 10).await.unwrap().len() == 2 }).await;
    let seen = r.kaz.case(&reader("kaz-exchange-officer", Role::Exchange), case_id, Timestamp::now()).await.unwrap();
    assert_eq!(seen.summary.state, CaseState::Postponed);
    let steps: Vec<_> = seen.messages.iter().map(|m| (m.message_type.as_str(), m.direction)).collect();
    assert_eq!(
        steps,
        [
            ("request", CaseDirection::Out),
            ("clarification_request", CaseDirection::In),
            ("postponement", CaseDirection::In)
        ]
    );
    let CaseBody::Present(body) = &seen.messages[2].body else { panic!("the postponement's body is held") };
    assert_eq!(
        (body["until"].as_str(), body["conditions"].as_str()),
        (Some("2026-03-01"), Some("после уточнения адреса"))
    );
    assert_eq!(seen.messages[2].in_reply_to, Some(queued.entry.message_id));

    // Refused once the request is refused; auditors take no steps; the requester none at all.
    r.kgz.send(refusal(&queued.case_id.to_string())).await.unwrap();
    let late =
        r.kgz.take_step(&officer, case_id, CaseStep::DelayNotice { reason: "x".into(), expected_on: None }).await;
    assert!(matches!(&late, Err(RegisterError::ExchangeRefused { code: "message_type_not_allowed", .. })), "{late:?}");
    let auditor = Actor::new("audit", Role::Auditor);
    let step = CaseStep::ClarificationRequest { text: "x".into() };
    assert!(matches!(r.kgz.take_step(&auditor, case_id, step.clone()).await, Err(RegisterError::Forbidden { .. })));
    let requester = Actor::new("kaz-exchange-officer", Role::Exchange);
    let own = r.kaz.take_step(&requester, case_id, step).await;
    assert!(matches!(&own, Err(RegisterError::ExchangeRefused { code: "message_type_not_allowed", .. })), "{own:?}");
    assert_eq!(r.kgz.list(Direction::Out, 10).await.unwrap().len(), 3, "nothing refused was queued");
}

/// KGZ-GMS asks KAZ-MVD about a Kyrgyz citizen: registration, residence permit and expulsion, with
/// the fields those need.
fn request_to_kaz() -> Outgoing {
    let mut body = request_body();
    body["categories"] = json!(["registration", "residence_permit", "expulsion"]);
    body["fields"] = json!(["surname", "given_names", "birth_date", "citizenship", "registration", "residence_permit"]);
    // Spelt as the partner's records have it: a transliteration the register does not hold.
    body["person"]["given_names"] = json!({"cyrillic": "Алмаз", "latin": "ALMAS"});
    Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KGZ-GMS".into(),
        to: "KAZ-MVD".into(),
        message_type: "request".into(),
        case_id: None,
        in_reply_to: None,
        signatory: Some("KGZ-GMS-1".into()),
        body,
    }
}

/// The access-log rows about `person`, as an auditor reads them.
async fn reads_of(
    register: &sapar_register::Register,
    person: sapar_model::PersonId,
) -> Vec<sapar_register::records::AccessEntry> {
    let filter = sapar_register::records::AccessFilter { person: Some(person), ..Default::default() };
    register.access_log(&Actor::new("audit", Role::Auditor), &filter, 100, 0).await.unwrap().entries
}

/// The person the request is about, in KAZ's register: entered two days ago, registered since.
async fn record_bakirov(register: &sapar_register::Register) -> sapar_model::PersonId {
    use sapar_model::{RawCrossing, RawName};
    use sapar_register::registrations::{RawAddress, RawParty, RawRegistration};
    let arrived = Timestamp::now().checked_sub(SignedDuration::from_hours(48)).unwrap();
    let crossing = RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some("entry".into()),
        at: Some(arrived.to_string()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("private".into()),
        document_type: Some("passport".into()),
        document_number: Some("AC1234567".into()),
        issuing_state: Some("KGZ".into()),
        native_name: RawName {
            surname: Some("Бакиров".into()), given_names: Some("Алмаз".into()), patronymic: None
        },
        latin_name: RawName { surname: Some("BAKIROV".into()), given_names: Some("ALMAZ".into()), patronymic: None },
        sex: Some("M".into()),
        birth_date: Some("1994-05-17".into()),
        citizenship: Some("KGZ".into()),
        ..RawCrossing::default()
    };
    let border = Actor::new("kaz-border", Role::Border);
    let person = register.record_crossing(&border, &crossing).await.unwrap().person_id;
    let almaty = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
    let arrival_day = arrived.to_zoned(almaty).date();
    let registration = RawRegistration {
        address: RawAddress {
            region: "KZ-75".into(),
            locality: "Алматы".into(),
            street: Some("ул. Жибек Жолы".into()),
            building: Some("50".into()),
            flat: None,
        },
        valid_from: arrival_day.to_string(),
        valid_until: arrival_day.checked_add(60.days()).unwrap().to_string(),
        party: RawParty { kind: "migrant".into(), name: None, identity: None },
    };
    let officer = Actor::new("kaz-migration-officer", Role::Officer);
    register
        .file_registration(&officer, person, &registration, sapar_register::records::FilingChannel::Desk)
        .await
        .unwrap();
    person
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_6_1_7_and_11_4_an_answer_is_drafted_from_the_register_and_sent_with_one_category_refused() {
    use sapar_register::exchange::{AnsweredCategory, CaseAnswer, DataCategory, RefusedCategory};
    let r = running().await;
    let person = record_bakirov(&r.kaz_register).await;
    let queued = r.kgz.send(request_to_kaz()).await.unwrap();
    delivered(&r.kgz, 1).await;
    let case_id = queued.case_id.as_uuid();
    eventually("KAZ has the request", || async { r.kaz.list(Direction::In, 10).await.unwrap().len() == 1 }).await;

    // The case page knows what may be answered: the categories asked, the Art. 7 fields asked,
    // the agreement's refusal grounds.
    let access = reader("kaz-exchange-officer", Role::Exchange);
    let record = r.kaz.case(&access, case_id, Timestamp::now()).await.unwrap();
    let terms = record.answer.expect("the requested party may answer");
    assert_eq!(terms.categories, [DataCategory::Registration, DataCategory::ResidencePermit, DataCategory::Expulsion]);
    let fields: Vec<&str> = terms.fields.iter().map(|f| f.as_str()).collect();
    assert_eq!(fields, ["surname", "given_names", "birth_date", "citizenship", "registration", "residence_permit"]);
    assert!(terms.grounds.iter().any(|g| g.id == "security"));

    // Drafted from the register: the person found across a transliteration, with the evidence.
    let draft = r.kaz_register.draft_answer(&access, &terms, None).await.unwrap();
    assert_eq!(draft.chosen, Some(person));
    assert_eq!(draft.candidates.len(), 1);
    let best = &draft.candidates[0];
    assert!(best.probability >= 0.99, "{}", best.probability);
    let given = best.evidence.iter().find(|e| e.field == "given_name").unwrap();
    assert_ne!(given.level, "missing");
    let [registration, permit, expulsion] = &draft.categories[..] else { panic!("three categories") };
    assert_eq!(registration.records.len(), 1);
    let record = &registration.records[0];
    let mut keys: Vec<&str> = record.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["birth_date", "citizenship", "given_names", "registration", "surname"],
        "exactly the fields asked"
    );
    assert_eq!(record["surname"], json!({"cyrillic": "Бакиров", "latin": "BAKIROV"}));
    assert_eq!(record["registration"][0]["region"], "KZ-75");
    assert!(permit.records.is_empty() && permit.from_register, "no permit: not found");
    assert!(expulsion.records.is_empty());
    // Every candidate shown was a logged read, for answering the request.
    let log = reads_of(&r.kaz_register, person).await;
    assert!(log.iter().any(|e| e.view == "exchange_answer" && e.purpose == ReadPurpose::ExchangeRequest));

    // What does not fit the request is refused, and nothing is sent.
    let officer = Actor::new("kaz-exchange-officer", Role::Exchange);
    let found = AnsweredCategory { category: DataCategory::Registration, records: registration.records.clone() };
    let not_found = AnsweredCategory { category: DataCategory::ResidencePermit, records: vec![] };
    let refused = RefusedCategory {
        category: DataCategory::Expulsion,
        ground: "security".into(),
        reasons: "сведения о выдворении относятся к материалам проверки".into(),
    };
    let attempt = |answer: CaseAnswer| {
        let kaz = Arc::clone(&r.kaz);
        let officer = officer.clone();
        async move { kaz.answer(&officer, case_id, answer).await }
    };
    let code_of = |e: RegisterError| match e {
        RegisterError::ExchangeRefused { code, .. } => code,
        other => panic!("{other:?}"),
    };
    let mut extra_field = found.clone();
    extra_field.records[0].insert("sex".into(), json!("M"));
    let mut outside = found.clone();
    outside.records[0].insert("home_address".into(), json!("x"));
    let ungrounded = RefusedCategory { ground: "inconvenience".into(), ..refused.clone() };
    let unreasoned = RefusedCategory { reasons: " ".into(), ..refused.clone() };
    let violations = AnsweredCategory { category: DataCategory::Violations, records: vec![] };
    for (answer, expected) in [
        (CaseAnswer { results: vec![found.clone(), not_found.clone()], refusals: vec![] }, "answer_incomplete"),
        (
            CaseAnswer { results: vec![extra_field, not_found.clone()], refusals: vec![refused.clone()] },
            "field_not_requested",
        ),
        (
            CaseAnswer { results: vec![outside, not_found.clone()], refusals: vec![refused.clone()] },
            "field_outside_agreement",
        ),
        (
            CaseAnswer { results: vec![found.clone(), not_found.clone()], refusals: vec![ungrounded] },
            "refusal_ground_invalid",
        ),
        (CaseAnswer { results: vec![found.clone(), not_found.clone()], refusals: vec![unreasoned] }, "reason_required"),
        (
            CaseAnswer { results: vec![found.clone(), not_found.clone(), violations], refusals: vec![refused.clone()] },
            "category_not_requested",
        ),
    ] {
        assert_eq!(code_of(attempt(answer).await.unwrap_err()), expected);
    }
    assert!(r.kaz.list(Direction::Out, 10).await.unwrap().is_empty(), "nothing refused was queued");

    // The answer: registration found, permit not found, expulsion refused on a listed ground.
    let answer = CaseAnswer { results: vec![found, not_found], refusals: vec![refused] };
    attempt(answer.clone()).await.unwrap();
    delivered(&r.kaz, 1).await;
    eventually("KGZ has the answer", || async { r.kgz.list(Direction::In, 10).await.unwrap().len() == 1 }).await;
    let theirs = r.kgz.case(&reader("kgz-exchange-officer", Role::Exchange), case_id, Timestamp::now()).await.unwrap();
    assert_eq!(theirs.summary.state, CaseState::Answered);
    assert_eq!(theirs.summary.deadline.as_ref().unwrap().answered_on_time, Some(true));
    let CaseBody::Present(body) = &theirs.messages[1].body else { panic!("the answer's body is held") };
    assert_eq!(body["results"][0]["status"], "found");
    assert_eq!(body["results"][0]["records"][0]["surname"]["latin"], "BAKIROV");
    assert_eq!(body["results"][1], json!({"category": "residence_permit", "status": "not_found", "records": []}));
    assert_eq!(body["refusals"][0]["ground"], "security");

    // Answered, the case is closed: the desk offers no answer and sends none.
    assert!(r.kaz.case(&access, case_id, Timestamp::now()).await.unwrap().answer.is_none());
    assert_eq!(code_of(attempt(answer.clone()).await.unwrap_err()), "message_type_not_allowed");

    // A request refused in full is closed: no answer goes out after it, and the case offers none.
    let second = r.kgz.send(request_to_kaz()).await.unwrap();
    let second_case = second.case_id.as_uuid();
    eventually("KAZ has the second request", || async { r.kaz.list(Direction::In, 10).await.unwrap().len() == 2 })
        .await;
    let full_refusal = Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KAZ-MVD".into(),
        to: "KGZ-GMS".into(),
        message_type: "refusal".into(),
        case_id: Some(second_case.to_string()),
        in_reply_to: None,
        signatory: None,
        body: json!({"scope": "full", "categories": [], "ground": "contrary_to_law", "reasons": "запрос противоречит законодательству"}),
    };
    r.kaz.send(full_refusal).await.unwrap();
    let late = r.kaz.answer(&officer, second_case, answer).await.unwrap_err();
    assert_eq!(code_of(late), "message_type_not_allowed");
    let after = r.kaz.case(&access, second_case, Timestamp::now()).await.unwrap();
    assert!(after.answer.is_none());
    assert_eq!(r.kaz.list(Direction::Out, 10).await.unwrap().len(), 2, "the answer and the refusal only");
}

fn query_to_kaz(categories: &[&str], surname: &str) -> Outgoing {
    Outgoing {
        message_type: "query".into(),
        body: json!({
            "purpose": "проверка перед запросом (ст. 6 Соглашения)",
            "categories": categories,
            "person": {
                "surname": {"cyrillic": surname},
                "given_names": {"latin": "ALMAZ"},
                "birth_date": "1994-05-17",
                "citizenship": "KGZ"
            }
        }),
        ..request_to_kaz()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_6_1_a_query_is_answered_automatically_with_hit_or_no_hit_and_nothing_else() {
    let r = running().await;
    let person = record_bakirov(&r.kaz_register).await;
    let asked = [
        (query_to_kaz(&["registration"], "Бакиров"), true),
        (query_to_kaz(&["expulsion", "entry_restriction"], "Бакиров"), false),
        (query_to_kaz(&["registration"], "Токтосунов"), false),
    ];
    let mut cases = Vec::new();
    for (query, expected) in asked {
        cases.push((r.kgz.send(query).await.unwrap().case_id.as_uuid(), expected));
    }
    eventually("KGZ has three hit results", || async { r.kgz.list(Direction::In, 10).await.unwrap().len() == 3 }).await;
    for (case_id, expected) in cases {
        let theirs =
            r.kgz.case(&reader("kgz-exchange-officer", Role::Exchange), case_id, Timestamp::now()).await.unwrap();
        assert_eq!(theirs.summary.state, CaseState::HitReported, "{case_id}");
        let result = &theirs.messages[1];
        assert_eq!((result.message_type.as_str(), result.in_reply_to), ("hit_result", Some(theirs.messages[0].id)));
        let CaseBody::Present(body) = &result.body else { panic!("the result's body is held") };
        assert_eq!(body, &json!({"hit": expected}), "{case_id}: the answer carries nothing else");
    }
    // The node's reads of the register are logged, for answering the partner.
    let log = reads_of(&r.kaz_register, person).await;
    let hit_reads: Vec<_> = log.iter().filter(|e| e.view == "hit_check").collect();
    // Bakirov was compared for all three: the third query found him by given name and birth date,
    // and the model judged him another person (no hit).
    assert_eq!(hit_reads.len(), 3);
    assert!(hit_reads.iter().all(|e| e.actor == "exchange-node" && e.purpose == ReadPurpose::ExchangeRequest));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_12_4_received_data_is_destroyed_when_its_period_ends_with_evidence_and_the_log_still_verifies() {
    use sapar_node::retention::{PurgeError, RetentionBook};
    let r = running().await;
    let book = RetentionBook::embedded().unwrap();
    let queued = r.kgz.send(request_to_kaz()).await.unwrap();
    let case_id = queued.case_id.as_uuid();
    eventually("KAZ has the request", || async { r.kaz.list(Direction::In, 10).await.unwrap().len() == 1 }).await;
    let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let log_before = r.kaz_store.log_entries().await.unwrap().len();

    // Nothing is due today; a purge dated after today is refused and destroys nothing.
    assert!(r.kaz.purge(&book, today, Timestamp::now()).await.unwrap().is_empty());
    let tomorrow = today.tomorrow().unwrap();
    assert!(matches!(r.kaz.purge(&book, tomorrow, Timestamp::now()).await, Err(PurgeError::DateInFuture { .. })));

    // Five years on, the request (registration, residence permit, expulsion: the longest rule,
    // five years) is due: its payload is destroyed, with evidence, and the log chains it.
    let later = Timestamp::now().checked_add(SignedDuration::from_hours(24 * (1825 + 2))).unwrap();
    let on = later.to_zoned(jiff::tz::TimeZone::UTC).date();
    let four_years = Timestamp::now().checked_add(SignedDuration::from_hours(24 * 1461)).unwrap();
    assert!(
        r.kaz.purge(&book, four_years.to_zoned(jiff::tz::TimeZone::UTC).date(), four_years).await.unwrap().is_empty(),
        "a request carrying expulsion data is kept five years"
    );
    let destroyed = r.kaz.purge(&book, on, later).await.unwrap();
    assert_eq!(destroyed.len(), 1);
    assert_eq!((destroyed[0].message_type.as_str(), destroyed[0].rule.as_str()), ("request", "ART12.4-RESTRICTION-5Y"));
    let evidence = r.kaz_store.destructions().await.unwrap();
    assert_eq!(evidence.len(), 1);
    let inbox = r.kaz.list(Direction::In, 10).await.unwrap();
    assert_eq!(evidence[0].message_hash, inbox[0].message_hash, "the digest of what was destroyed");
    assert!(evidence[0].basis.contains("12.4"));
    let log = r.kaz_store.log_entries().await.unwrap();
    assert_eq!(log.len(), log_before + 1);
    let last = log.last().unwrap();
    assert_eq!((last.direction.as_str(), last.message_id), ("destroyed", evidence[0].message_id));
    assert_eq!(sapar_node::log::verify(&r.kaz_store, &[]).await.unwrap(), log.len() as u64, "the chain verifies");
    // The sealed payload is gone: the case shows the message without its body.
    let record = r.kaz.case(&reader("kaz-exchange-officer", Role::Exchange), case_id, Timestamp::now()).await.unwrap();
    assert_eq!(record.messages[0].body, CaseBody::Destroyed);
    // A second purge finds nothing left to destroy.
    assert!(r.kaz.purge(&book, on, later).await.unwrap().is_empty());
}
