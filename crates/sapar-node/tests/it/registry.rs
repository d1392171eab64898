//! Signatory lists (Art. 10.3, 10.4) and authority changes (Art. 2) between two nodes set up from
//! files: a new list applies from its effective time while earlier messages are judged by the
//! list then in force, an authority change ends the replaced authority's competence, both hold
//! after the nodes restart over their databases; and operators list and resume halted channels.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;
use sapar_node::dispatcher::{self, Backoff, Dispatcher};
use sapar_node::registry::Registry;
use sapar_node::service::{ExchangeService, NewAuthorityChange, NewSignatory, NewSignatoryList, Outgoing, SendError};
use sapar_node::setup::{self, ExchangeNode, LocalKeys, NodeSettings, PartnerSpec, PayloadKeySource};
use sapar_node::{NodeError, client, log, tls};
use sapar_store::Store;
use sapar_store::exchange::{OutboxEntry, OutboxStatus};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, MessageId, Sha256Hash};
use sapar_treaty::keys::{Officer, StateKeys, demo_officers, init_state_keys};
use sapar_treaty::message::MessageType;
use sapar_treaty::send::{self, Draft};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use uuid::Uuid;

use crate::support::{eventually, request_body};

/// Keys of both states written as `keys init` does; KGZ-GMS has a second officer, whom the list
/// KGZ handed KAZ out of band does not name.
struct Files {
    _root: tempfile::TempDir,
    kaz: PathBuf,
    kgz: PathBuf,
    /// What KAZ pinned for KGZ: its CA and the initial list, without the second officer.
    kgz_for_kaz: PathBuf,
    /// The certificate fingerprint of the second KGZ-GMS officer.
    newcomer: Sha256Hash,
    /// The certificate fingerprint of the first KGZ-GMS officer.
    veteran: Sha256Hash,
}

fn write(dir: &Path, keys: &StateKeys) {
    for (name, content) in keys.files() {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

fn files() -> &'static Files {
    static F: OnceLock<Files> = OnceLock::new();
    F.get_or_init(|| {
        let book = AgreementBook::load_embedded().unwrap();
        let root = tempfile::tempdir().unwrap();
        let (kaz, kgz, kgz_for_kaz) =
            (root.path().join("kaz"), root.path().join("kgz"), root.path().join("kgz-for-kaz"));
        write(&kaz, &init_state_keys(Country::KAZ, &demo_officers(&book, Country::KAZ), Timestamp::now()).unwrap());
        let mut officers = demo_officers(&book, Country::KGZ);
        officers.push(Officer {
            authority: AuthorityId::parse("KGZ-GMS").unwrap(),
            name: "Осмонова Айгуль".into(),
            position: "начальник управления".into(),
        });
        let keys = init_state_keys(Country::KGZ, &officers, Timestamp::now()).unwrap();
        write(&kgz, &keys);
        let gms: Vec<_> = keys.signatories.iter().filter(|s| s.officer.authority.as_str() == "KGZ-GMS").collect();
        let (veteran, newcomer) = (gms[0].cert.fingerprint, gms[1].cert.fingerprint);
        std::fs::create_dir_all(&kgz_for_kaz).unwrap();
        std::fs::copy(kgz.join("ca.pem"), kgz_for_kaz.join("ca.pem")).unwrap();
        let mut index: Value =
            serde_json::from_str(&std::fs::read_to_string(kgz.join("signatories.json")).unwrap()).unwrap();
        index["signatories"]
            .as_array_mut()
            .unwrap()
            .retain(|s| s["certificate_sha256"].as_str() != Some(newcomer.to_hex().as_str()));
        std::fs::write(kgz_for_kaz.join("signatories.json"), index.to_string()).unwrap();
        Files { _root: root, kaz, kgz, kgz_for_kaz, newcomer, veteran }
    })
}

fn book() -> Arc<AgreementBook> {
    Arc::new(AgreementBook::load_embedded().unwrap())
}

/// A running node and what the tests reach into.
struct Running {
    service: Arc<ExchangeService>,
    registry: Arc<Registry>,
    dispatcher: Dispatcher,
    store: Store,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<(), NodeError>>,
}

impl Running {
    /// Stops the node and waits until it has stopped (its last checkpoint signed).
    async fn stop(self) {
        let _ = self.stop.send(true);
        self.task.await.unwrap().unwrap();
    }
}

async fn start(own: &Path, partner: (&Path, &str, SocketAddr), db: &Path, listener: TcpListener) -> Running {
    let keys = setup::load_keys(own).unwrap();
    let spec = PartnerSpec {
        state: partner.1.into(),
        endpoint: format!("https://{}", partner.2),
        ca: partner.0.join("ca.pem"),
        signatories: partner.0.join("signatories.json"),
        node_sha256: Vec::new(),
        server_name: None,
    };
    let partner = setup::load_partner(&spec, keys.state, &book()).await.unwrap();
    let payload_key = setup::payload_key(&PayloadKeySource::DerivedFromNodeKey, &keys).unwrap();
    let settings = NodeSettings {
        keys,
        payload_key,
        partners: vec![partner],
        max_clock_skew: SignedDuration::from_mins(5),
        backoff: Backoff { base: Duration::from_millis(20), max: Duration::from_millis(200) },
        checkpoints: log::CheckpointPolicy::default(),
    };
    let store = Store::open(&format!("sqlite:{}", db.display())).await.unwrap();
    let node = ExchangeNode::build(settings, book(), store.clone()).unwrap();
    let (service, registry, dispatcher) =
        (Arc::clone(&node.service), Arc::clone(&node.registry), node.dispatcher.clone());
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(node.run(listener, async move {
        let _ = stopped.wait_for(|s| *s).await;
    }));
    Running { service, registry, dispatcher, store, stop, task }
}

/// Both nodes over the databases in `db`, each on a fresh port: started again over the same
/// databases, they know only what they read from files and databases.
async fn pair(db: &Path) -> (Running, Running) {
    let f = files();
    let (kaz_listener, kgz_listener) =
        (TcpListener::bind("127.0.0.1:0").await.unwrap(), TcpListener::bind("127.0.0.1:0").await.unwrap());
    let (kaz_addr, kgz_addr) = (kaz_listener.local_addr().unwrap(), kgz_listener.local_addr().unwrap());
    let kaz = start(&f.kaz, (&f.kgz_for_kaz, "KGZ", kgz_addr), &db.join("kaz.db"), kaz_listener).await;
    let kgz = start(&f.kgz, (&f.kaz, "KAZ", kaz_addr), &db.join("kgz.db"), kgz_listener).await;
    (kaz, kgz)
}

fn signer(keys: &LocalKeys, name: &str) -> Arc<sapar_treaty::jws::SigningIdentity> {
    Arc::clone(&keys.signatories.iter().find(|s| s.name == name).unwrap().identity)
}

/// A request from `from` to KAZ-MVD in a new case, created at `at`.
fn request_at(from: &str, at: Timestamp) -> Draft {
    let mut body = request_body();
    body["requesting_authority"] = json!(from);
    Draft {
        id: MessageId::new_at(at),
        agreement: AgreementId::parse("KAZ-KGZ-2019").unwrap(),
        from: AuthorityId::parse(from).unwrap(),
        to: AuthorityId::parse("KAZ-MVD").unwrap(),
        message_type: MessageType::Request,
        case_id: CaseId::from_uuid(Uuid::now_v7()),
        in_reply_to: None,
        created_at: at,
        body,
    }
}

/// Puts `draft`, signed by signatory `name` of the KGZ keys, in KGZ's outbox as it is (checked
/// against the agreements as shipped, not against what KGZ's own registry says), and returns it
/// once the partner answered: delivered, or rejected with the partner's code.
async fn sent_as_is(kgz: &Running, draft: Draft, name: &str) -> OutboxEntry {
    let keys = setup::load_keys(&files().kgz).unwrap();
    let entry = dispatcher::enqueue(&kgz.store, book(), draft, signer(&keys, name)).await.unwrap();
    kgz.dispatcher.wake();
    let id = entry.message_id;
    eventually("the partner answers", || async {
        kgz.store.outbox_entry(id).await.unwrap().unwrap().status != OutboxStatus::Pending
    })
    .await;
    kgz.store.outbox_entry(id).await.unwrap().unwrap()
}

fn outcome(e: &OutboxEntry) -> (OutboxStatus, Option<&str>) {
    (e.status, e.last_error.as_deref())
}

const DELIVERED: (OutboxStatus, Option<&str>) = (OutboxStatus::Delivered, None);

fn code(e: SendError) -> String {
    match e {
        SendError::Invalid { code, .. } => code.to_owned(),
        SendError::Refused(r) => r.code.as_str().to_owned(),
        SendError::Node(e) => panic!("{e}"),
    }
}

async fn delivered(store: &Store, id: Uuid) {
    eventually("the message is delivered", || async {
        store.outbox_entry(id).await.unwrap().unwrap().status == OutboxStatus::Delivered
    })
    .await;
}

/// The checks of (a) and (b): after the list effective from `effective`, the newcomer signs, the
/// veteran no longer does, and what the veteran signed before `effective` still verifies.
async fn lists_are_applied_by_signing_time(kgz: &Running, effective: Timestamp) {
    let now = Timestamp::now();
    let by_newcomer = sent_as_is(kgz, request_at("KGZ-GMS", now), "KGZ-GMS-2").await;
    assert_eq!(outcome(&by_newcomer), DELIVERED, "a newly listed officer signs after the effective time");
    let before = effective.checked_sub(SignedDuration::from_mins(10)).unwrap();
    let by_veteran_before = sent_as_is(kgz, request_at("KGZ-GMS", before), "KGZ-GMS-1").await;
    assert_eq!(outcome(&by_veteran_before), DELIVERED, "signed before the effective time: the old list applies");
    let by_veteran_after = sent_as_is(kgz, request_at("KGZ-GMS", now), "KGZ-GMS-1").await;
    assert_eq!(
        outcome(&by_veteran_after),
        (OutboxStatus::Rejected, Some("signatory_not_listed")),
        "an officer removed by the list signs no more after its effective time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_signatory_list_applies_from_its_effective_time_and_after_a_restart() {
    let f = files();
    let db = tempfile::tempdir().unwrap();
    let (kaz, kgz) = pair(db.path()).await;
    let kgz_gms = AuthorityId::parse("KGZ-GMS").unwrap();
    // Before the list: the newcomer is not on the list KAZ holds.
    let refused = sent_as_is(&kgz, request_at("KGZ-GMS", Timestamp::now()), "KGZ-GMS-2").await;
    assert_eq!(outcome(&refused), (OutboxStatus::Rejected, Some("signatory_not_listed")));

    // Version 2 names the newcomer only, in force from an hour ago.
    let effective = Timestamp::from_second(Timestamp::now().as_second() - 3600).unwrap();
    let list = NewSignatoryList {
        authority: "KGZ-GMS".into(),
        version: None,
        effective_from: sapar_treaty::message::format_utc(effective),
        signatories: vec![NewSignatory {
            name: "Осмонова Айгуль".into(),
            position: "начальник управления".into(),
            certificate_sha256: f.newcomer.to_hex(),
        }],
        signatory: None,
    };
    let sent = kgz.service.send_signatory_list(list.clone()).await.unwrap();
    assert_eq!((sent.version, sent.messages.len()), (2, 1));
    assert_eq!(sent.messages[0].signatory, "KGZ-GMS-1", "signed under the list in force before it");
    delivered(&kgz.store, sent.messages[0].entry.message_id).await;
    let held = kaz.registry.current();
    let v2 = held.signatories.latest(&kgz_gms).unwrap();
    assert_eq!((v2.version, v2.effective_from, v2.contains(&f.newcomer)), (2, effective, true));
    assert!(!v2.contains(&f.veteran));

    lists_are_applied_by_signing_time(&kgz, effective).await;
    // KGZ's own side knows its list too: it does not sign with the removed officer.
    let mut by_veteran = Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KGZ-GMS".into(),
        to: "KAZ-MVD".into(),
        message_type: "request".into(),
        case_id: None,
        in_reply_to: None,
        signatory: Some("KGZ-GMS-1".into()),
        body: request_body(),
    };
    assert_eq!(code(kgz.service.send(by_veteran.clone()).await.unwrap_err()), "signatory_not_listed");
    by_veteran.signatory = None;
    assert_eq!(kgz.service.send(by_veteran).await.unwrap().signatory, "KGZ-GMS-2", "the listed officer signs");
    // A version not above the one held is refused by the sender and by the receiver.
    let again = NewSignatoryList { version: Some(2), ..list.clone() };
    assert_eq!(code(kgz.service.send_signatory_list(again).await.unwrap_err()), "signatory_list_not_newer");
    let body = json!({
        "authority": "KGZ-GMS", "version": 2, "effective_from": sapar_treaty::message::format_utc(effective),
        "signatories": [{"name": "Осмонова Айгуль", "position": "начальник управления",
                         "certificate_sha256": f.veteran.to_hex()}]
    });
    let stale = Draft { message_type: MessageType::SignatoryList, body, ..request_at("KGZ-GMS", Timestamp::now()) };
    let stale = sent_as_is(&kgz, stale, "KGZ-GMS-2").await;
    assert_eq!(outcome(&stale), (OutboxStatus::Rejected, Some("signatory_list_not_newer")));
    assert_eq!(kaz.registry.current().signatories.latest(&kgz_gms).unwrap().signatories, v2.signatories);

    // Both nodes start again over their databases: the lists are read back, not kept in memory.
    kaz.stop().await;
    kgz.stop().await;
    let (kaz, kgz) = pair(db.path()).await;
    lists_are_applied_by_signing_time(&kgz, effective).await;
    let reloaded = kaz.registry.current();
    assert_eq!(reloaded.signatories.latest(&kgz_gms).unwrap(), v2);
    assert_eq!(
        reloaded
            .signatories
            .in_force(&kgz_gms, effective.checked_sub(SignedDuration::from_secs(1)).unwrap())
            .unwrap()
            .version,
        1
    );
    kaz.stop().await;
    kgz.stop().await;
}

/// The checks of (c): KAZ refuses what KGZ-GMS signed after the change, and KAZ's own side sends
/// nothing to KGZ-GMS any more.
async fn replaced_authority_is_refused(kaz: &Running, kgz: &Running) {
    let refused = sent_as_is(kgz, request_at("KGZ-GMS", Timestamp::now()), "KGZ-GMS-1").await;
    assert_eq!(outcome(&refused), (OutboxStatus::Rejected, Some("authority_not_competent")));
    let mut body = request_body();
    body["requesting_authority"] = json!("KAZ-MVD");
    body["requested_authority"] = json!("KGZ-GMS");
    let to_gms = Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KAZ-MVD".into(),
        to: "KGZ-GMS".into(),
        message_type: "request".into(),
        case_id: None,
        in_reply_to: None,
        signatory: None,
        body,
    };
    assert_eq!(code(kaz.service.send(to_gms).await.unwrap_err()), "authority_not_competent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authority_change_ends_the_replaced_authority_s_competence_also_after_a_restart() {
    let db = tempfile::tempdir().unwrap();
    let (kaz, kgz) = pair(db.path()).await;
    let agreement = AgreementId::parse("KAZ-KGZ-2019").unwrap();
    // Each node judges by its own state's date. Between 18:00 and 19:00 UTC it is already the
    // next day in Bishkek (UTC+6) and still today in Kazakhstan (UTC+5): the change takes effect
    // on the earlier of the two dates, so that it is in force on both sides whenever the test runs.
    let now = Timestamp::now();
    let register = book();
    let dates = register.get(&agreement).unwrap();
    let today = dates.local_date(Country::KGZ, now).min(dates.local_date(Country::KAZ, now));
    let change = NewAuthorityChange {
        agreement: agreement.to_string(),
        from: Some("KGZ-GMS".into()),
        effective_on: today.to_string(),
        replaced: Some("KGZ-GMS".into()),
        new: Some((
            "KGZ-MTM".into(),
            "Министерство труда и миграции".into(),
            "Ministry of Labour and Migration".into(),
        )),
        basis: "нота МИД КР № 12/345".into(),
        signatory: Some("KGZ-GMS-1".into()),
    };
    let queued = kgz.service.send_authority_change(change.clone()).await.unwrap();
    delivered(&kgz.store, queued.entry.message_id).await;
    let (gms, mtm) = (AuthorityId::parse("KGZ-GMS").unwrap(), AuthorityId::parse("KGZ-MTM").unwrap());
    let competent =
        |r: &Registry, who: &AuthorityId| r.current().book.get(&agreement).unwrap().is_competent(who, today);
    assert!(!competent(&kaz.registry, &gms) && competent(&kaz.registry, &mtm), "applied by the receiver");
    assert!(!competent(&kgz.registry, &gms) && competent(&kgz.registry, &mtm), "applied by the sender");

    replaced_authority_is_refused(&kaz, &kgz).await;
    let from_gms = Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KGZ-GMS".into(),
        to: "KAZ-MVD".into(),
        message_type: "request".into(),
        case_id: None,
        in_reply_to: None,
        signatory: None,
        body: request_body(),
    };
    assert_eq!(code(kgz.service.send(from_gms).await.unwrap_err()), "authority_not_competent");
    // The same change again, from an authority still competent, no longer applies.
    let again = NewAuthorityChange { from: Some("KGZ-GRS".into()), signatory: Some("KGZ-GRS-1".into()), ..change };
    assert_eq!(code(kgz.service.send_authority_change(again).await.unwrap_err()), "authority_change_not_applicable");

    kaz.stop().await;
    kgz.stop().await;
    let (kaz, kgz) = pair(db.path()).await;
    replaced_authority_is_refused(&kaz, &kgz).await;
    assert!(!competent(&kaz.registry, &gms) && competent(&kaz.registry, &mtm), "read back after the restart");
    kaz.stop().await;
    kgz.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halted_channel_is_listed_with_its_reason_and_resumed_by_an_operator() {
    let f = files();
    let db = tempfile::tempdir().unwrap();
    let (kaz_listener, kgz_listener) =
        (TcpListener::bind("127.0.0.1:0").await.unwrap(), TcpListener::bind("127.0.0.1:0").await.unwrap());
    let (kaz_addr, kgz_addr) = (kaz_listener.local_addr().unwrap(), kgz_listener.local_addr().unwrap());
    let kaz = start(&f.kaz, (&f.kgz_for_kaz, "KGZ", kgz_addr), &db.path().join("kaz.db"), kaz_listener).await;

    // KAZ accepts a seq 1 that KGZ's database has no trace of (as after a restore from backup).
    let keys = setup::load_keys(&f.kgz).unwrap();
    let kaz_ca = setup::load_keys(&f.kaz).unwrap().ca_cert_der;
    let endpoint = client::Endpoint {
        addr: kaz_addr,
        server_name: "localhost".into(),
        tls: tls::client_config(
            &keys.node_cert_pem,
            &keys.node_key_pem,
            &kaz_ca,
            &[setup::load_keys(&f.kaz).unwrap().node.fingerprint()],
        )
        .unwrap(),
    };
    let stray =
        send::compose(&book(), &request_at("KGZ-GMS", Timestamp::now()), 1, None, &signer(&keys, "KGZ-GMS-1")).unwrap();
    assert_eq!(client::post_message(&endpoint, &stray.jws).await.unwrap().status, 200);

    let kgz = start(&f.kgz, (&f.kaz, "KAZ", kaz_addr), &db.path().join("kgz.db"), kgz_listener).await;
    let channel = "KAZ-KGZ-2019:KGZ>KAZ";
    let request = Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: "KGZ-GMS".into(),
        to: "KAZ-MVD".into(),
        message_type: "request".into(),
        case_id: None,
        in_reply_to: None,
        signatory: None,
        body: request_body(),
    };
    let first = kgz.service.send(request.clone()).await.unwrap();
    eventually("the channel halts", || async { kgz.service.channels().await.unwrap()[0].halt.is_some() }).await;
    kgz.service.send(request).await.unwrap();
    let listed = kgz.service.channels().await.unwrap();
    assert_eq!(listed.len(), 1);
    let c = &listed[0];
    assert_eq!(
        (c.channel.as_str(), c.agreement.as_str(), c.partner, c.delivered_seq, c.next_seq, c.queued),
        (channel, "KAZ-KGZ-2019", Country::KAZ, None, 3, 2)
    );
    let halt = c.halt.as_ref().unwrap();
    assert_eq!((halt.code.as_str(), halt.message_id), ("sequence_out_of_order", first.entry.message_id));
    assert!(halt.detail.contains("expects seq 2") && halt.halted_at <= Timestamp::now(), "{}", halt.detail);

    let not_halted = kgz.service.resume("KAZ-KGZ-2019:KAZ>KGZ").await.unwrap_err();
    assert_eq!(not_halted.to_string(), "channel KAZ-KGZ-2019:KAZ>KGZ is not halted");
    assert!(kgz.service.resume("KAZ-KGZ-2019").await.unwrap_err().to_string().contains("is not a channel name"));

    // The operator reconciles: KGZ's record is the one to keep, so KAZ goes back to a database
    // without the stray message (a restore), and both nodes start again.
    kaz.stop().await;
    kgz.stop().await;
    let (kaz_listener, kgz_listener) =
        (TcpListener::bind("127.0.0.1:0").await.unwrap(), TcpListener::bind("127.0.0.1:0").await.unwrap());
    let (kaz_addr, kgz_addr) = (kaz_listener.local_addr().unwrap(), kgz_listener.local_addr().unwrap());
    let kaz = start(&f.kaz, (&f.kgz_for_kaz, "KGZ", kgz_addr), &db.path().join("kaz-restored.db"), kaz_listener).await;
    let kgz = start(&f.kgz, (&f.kaz, "KAZ", kaz_addr), &db.path().join("kgz.db"), kgz_listener).await;
    assert!(kgz.service.channels().await.unwrap()[0].halt.is_some(), "a halt outlives a restart");
    let resumed = kgz.service.resume(channel).await.unwrap();
    assert_eq!((resumed.halt.is_none(), resumed.queued), (true, 2));
    eventually("the queue is delivered", || async {
        let c = &kgz.service.channels().await.unwrap()[0];
        c.delivered_seq == Some(2) && c.queued == 0 && c.halt.is_none()
    })
    .await;
    assert_eq!(kaz.store.inbox_count().await.unwrap(), 2);
    kaz.stop().await;
    kgz.stop().await;
}
