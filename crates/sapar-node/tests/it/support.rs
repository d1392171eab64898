//! Two exchange nodes: KGZ (the sender, with an outbox dispatcher) and KAZ (the receiver).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;
use sapar_node::client::Endpoint;
use sapar_node::dispatcher::{Backoff, Delivery, Dispatcher, Partner};
use sapar_node::receiver::{self, ReceiverNode};
use sapar_node::registry::Registry;
use sapar_node::tls;
use sapar_store::Store;
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, MessageId};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::keys::{Officer, StateKeys, init_state_keys};
use sapar_treaty::message::{MessageType, SignatoryEntry, SignatoryList};
use sapar_treaty::pki;
use sapar_treaty::receive::PartnerConfig;
use sapar_treaty::seal::PayloadKey;
use sapar_treaty::send::Draft;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub(crate) struct Keys {
    pub(crate) book: Arc<AgreementBook>,
    pub(crate) kaz: StateKeys,
    pub(crate) kgz: StateKeys,
    pub(crate) issued: Timestamp,
}

pub(crate) fn keys() -> &'static Keys {
    static K: OnceLock<Keys> = OnceLock::new();
    K.get_or_init(|| {
        let issued = Timestamp::now();
        let officer = Officer {
            authority: AuthorityId::parse("KGZ-GMS").unwrap(),
            name: "Бакиев Нурлан".into(),
            position: "deputy head".into(),
        };
        Keys {
            book: Arc::new(AgreementBook::load_embedded().unwrap()),
            kaz: init_state_keys(Country::KAZ, &[], issued).unwrap(),
            kgz: init_state_keys(Country::KGZ, &[officer], issued).unwrap(),
            issued,
        }
    })
}

pub(crate) fn der(pem: &str) -> Vec<u8> {
    pki::pem_decode_one(pem, "CERTIFICATE").unwrap()
}

pub(crate) fn kgz_signer() -> Arc<SigningIdentity> {
    let s = &keys().kgz.signatories[0];
    Arc::new(SigningIdentity::from_pem(&s.cert.cert_pem, &s.cert.key_pem).unwrap())
}

/// A fresh store for one node: a SQLite file `name` in `dir`, or with
/// `SAPAR_NODE_TEST_BACKEND=postgres` (as `.ci/run` runs the suite a second time) a schema of its
/// own on the test PostgreSQL server, kept until the process ends.
pub(crate) async fn sqlite(dir: &tempfile::TempDir, name: &str) -> Store {
    if std::env::var("SAPAR_NODE_TEST_BACKEND").as_deref() == Ok("postgres") {
        static KEPT: std::sync::Mutex<Vec<sapar_test_support::TestDb>> = std::sync::Mutex::new(Vec::new());
        let db =
            sapar_test_support::TestDb::postgres().await.expect("SAPAR_NODE_TEST_BACKEND=postgres needs PostgreSQL");
        let store = db.store.clone();
        KEPT.lock().unwrap().push(db);
        return store;
    }
    Store::open(&format!("sqlite:{}", dir.path().join(name).display())).await.unwrap()
}

/// The KAZ receiving node's state: KGZ as partner, KGZ-GMS's signatory list exchanged out of band.
pub(crate) fn kaz_receiver(store: Store) -> Arc<ReceiverNode> {
    let k = keys();
    let initial = vec![SignatoryList {
        authority: AuthorityId::parse("KGZ-GMS").unwrap(),
        version: 1,
        effective_from: k.issued.checked_sub(SignedDuration::from_hours(1)).unwrap(),
        signatories: vec![SignatoryEntry {
            name: k.kgz.signatories[0].officer.name.clone(),
            position: "deputy head".into(),
            certificate_sha256: k.kgz.signatories[0].cert.fingerprint,
        }],
    }];
    Arc::new(ReceiverNode {
        local_state: Country::KAZ,
        node_name: k.kaz.node_name.clone(),
        registry: Arc::new(Registry::new(Arc::clone(&k.book), initial)),
        partners: vec![PartnerConfig {
            state: Country::KGZ,
            ca_cert_der: der(&k.kgz.ca.cert_pem),
            node_cert_fingerprints: vec![k.kgz.node.fingerprint],
        }],
        node: Arc::new(SigningIdentity::from_pem(&k.kaz.node.cert_pem, &k.kaz.node.key_pem).unwrap()),
        payload_key: PayloadKey::generate("kaz-1").unwrap(),
        max_clock_skew: SignedDuration::from_mins(5),
        store,
        queries: None,
    })
}

/// A running KAZ server; dropping it stops accepting connections.
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

/// Serves the KAZ node on `listener`.
pub(crate) fn start_kaz(listener: TcpListener, node: Arc<ReceiverNode>) -> Server {
    start_kaz_router(listener, receiver::router(node))
}

/// Serves `router` over KAZ's mutual TLS on `listener` (the node's router, wrapped or cut down).
pub(crate) fn start_kaz_router(listener: TcpListener, router: Router) -> Server {
    let k = keys();
    let addr = listener.local_addr().unwrap();
    let config = tls::server_config(&k.kaz.node.cert_pem, &k.kaz.node.key_pem, &[der(&k.kgz.ca.cert_pem)]).unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(receiver::serve(listener, config, router, async move {
        let _ = stopped.await;
    }));
    Server { addr, _stop: stop }
}

/// KGZ's view of the KAZ node at `addr`.
pub(crate) fn kaz_endpoint(addr: SocketAddr) -> Endpoint {
    let k = keys();
    Endpoint {
        addr,
        server_name: "localhost".into(),
        tls: tls::client_config(
            &k.kgz.node.cert_pem,
            &k.kgz.node.key_pem,
            &der(&k.kaz.ca.cert_pem),
            &[k.kaz.node.fingerprint],
        )
        .unwrap(),
    }
}

/// KGZ's dispatcher, sending to the KAZ node at `addr`, with short test backoff.
pub(crate) fn kgz_dispatcher(store: Store, addr: SocketAddr) -> Dispatcher {
    let k = keys();
    let partner = Partner {
        endpoint: kaz_endpoint(addr),
        ca_cert_der: der(&k.kaz.ca.cert_pem),
        node_cert_fingerprints: vec![k.kaz.node.fingerprint],
    };
    let backoff = Backoff { base: Duration::from_millis(50), max: Duration::from_millis(400) };
    Dispatcher::new(store, HashMap::from([(Country::KAZ, partner)]), backoff)
}

pub(crate) fn request_body() -> Value {
    json!({
        "requesting_authority": "KGZ-GMS",
        "requested_authority": "KAZ-MVD",
        "substance": "Сведения о регистрации по месту пребывания гражданина Кыргызской Республики",
        "purpose": "установление правового статуса (ст. 6 Соглашения)",
        "justification": "обращение гражданина о восстановлении документов",
        "categories": ["registration"],
        "fields": ["registration"],
        "person": {
            "surname": {"cyrillic": "Бакиров", "latin": "BAKIROV"},
            "given_names": {"cyrillic": "Алмаз", "latin": "ALMAZ"},
            "sex": "M",
            "birth_date": "1994-05-17",
            "citizenship": "KGZ",
            "document": {"series": "AC", "number": "1234567"}
        }
    })
}

/// A request from KGZ-GMS to KAZ-MVD in a new case, created now.
pub(crate) fn request_draft() -> Draft {
    let now = Timestamp::now();
    Draft {
        id: MessageId::new_at(now),
        agreement: AgreementId::parse("KAZ-KGZ-2019").unwrap(),
        from: AuthorityId::parse("KGZ-GMS").unwrap(),
        to: AuthorityId::parse("KAZ-MVD").unwrap(),
        message_type: MessageType::Request,
        case_id: CaseId::from_uuid(uuid::Uuid::now_v7()),
        in_reply_to: None,
        created_at: now,
        body: request_body(),
    }
}

/// Polls `check` until it holds, failing after a generous limit (a hang guard, not a timing check).
pub(crate) async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..600 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

/// Runs the dispatcher's rounds until nothing is due; returns every outcome.
pub(crate) async fn drain(d: &Dispatcher) -> Vec<(MessageId, Delivery)> {
    let mut all = Vec::new();
    loop {
        let round = d.dispatch_due().await.unwrap();
        if round.is_empty() {
            return all;
        }
        all.extend(round);
    }
}
