//! Two exchange nodes in the test process — a Kazakh one over the workplace's own store and a
//! Kyrgyz one over a store of its own — with keys as `sapar keys init` writes them, talking
//! mutual TLS on loopback, so that the case desk's pages show cases a real partner sent.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;
use sapar_node::dispatcher::Backoff;
use sapar_node::service::{Direction, ExchangeService, Outgoing};
use sapar_node::setup::{self, ExchangeNode, NodeSettings, PartnerSpec, PayloadKeySource};
use sapar_test_support::sapar_store::Store;
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::keys::{demo_officers, init_state_keys};
use serde_json::json;
use tokio::net::TcpListener;

/// Both running nodes; dropping this stops them.
pub(crate) struct Nodes {
    pub(crate) kaz: Arc<ExchangeService>,
    pub(crate) kgz: Arc<ExchangeService>,
    _stop: tokio::sync::watch::Sender<bool>,
    _dir: tempfile::TempDir,
}

fn write_keys(dir: &Path, state: Country) {
    let book = AgreementBook::load_embedded().unwrap();
    let keys = init_state_keys(state, &demo_officers(&book, state), Timestamp::now()).unwrap();
    for (name, content) in keys.files() {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

async fn node(own: &Path, partner_dir: &Path, partner: &str, addr: std::net::SocketAddr, store: Store) -> ExchangeNode {
    let book = AgreementBook::load_embedded().unwrap();
    let keys = setup::load_keys(own).unwrap();
    let spec = PartnerSpec {
        state: partner.into(),
        endpoint: format!("https://{addr}"),
        ca: partner_dir.join("ca.pem"),
        signatories: partner_dir.join("signatories.json"),
        node_sha256: Vec::new(),
        server_name: None,
    };
    let partner = setup::load_partner(&spec, keys.state, &book).await.unwrap();
    let payload_key = setup::payload_key(&PayloadKeySource::DerivedFromNodeKey, &keys).unwrap();
    let settings = NodeSettings {
        keys,
        payload_key,
        partners: vec![partner],
        max_clock_skew: SignedDuration::from_mins(5),
        backoff: Backoff { base: Duration::from_millis(20), max: Duration::from_millis(200) },
        checkpoints: sapar_node::log::CheckpointPolicy::default(),
    };
    ExchangeNode::build(settings, Arc::new(book), store).unwrap()
}

/// A request about a Kyrgyz citizen's registration, from `from` to `to`, in a new case.
fn request(from: &str, to: &str) -> Outgoing {
    request_about(from, to, &["registration"], &["registration"])
}

/// A request about the same citizen asking for these categories and Art. 7 fields.
fn request_about(from: &str, to: &str, categories: &[&str], fields: &[&str]) -> Outgoing {
    Outgoing {
        agreement: "KAZ-KGZ-2019".into(),
        from: from.into(),
        to: to.into(),
        message_type: "request".into(),
        case_id: None,
        in_reply_to: None,
        signatory: None,
        body: json!({
            "requesting_authority": from,
            "requested_authority": to,
            "substance": "Сведения о регистрации по месту пребывания гражданина Кыргызской Республики",
            "purpose": "установление правового статуса (ст. 6 Соглашения)",
            "justification": "обращение гражданина о восстановлении документов",
            "categories": categories,
            "fields": fields,
            "person": {
                "surname": {"cyrillic": "Асанов", "latin": "ASANOV"},
                "given_names": {"cyrillic": "Бакыт", "latin": "BAKYT"},
                "birth_date": "1990-02-03",
                "citizenship": "KGZ",
                "document": {"number": "AC1234567"}
            }
        }),
    }
}

impl Nodes {
    /// Kazakhstan asks Kyrgyzstan the same; returns once it is queued. The message id.
    pub(crate) async fn request_from_kaz(&self) -> uuid::Uuid {
        self.kaz.send(request("KAZ-MVD", "KGZ-GMS")).await.unwrap().entry.message_id
    }

    /// The Kazakh node over `kaz_store` and a Kyrgyz partner, both serving.
    pub(crate) async fn start(kaz_store: Store) -> Nodes {
        let dir = tempfile::tempdir().unwrap();
        let (kaz_dir, kgz_dir) = (dir.path().join("kaz"), dir.path().join("kgz"));
        write_keys(&kaz_dir, Country::KAZ);
        write_keys(&kgz_dir, Country::KGZ);
        let kgz_store = Store::open(&format!("sqlite:{}", dir.path().join("kgz.db").display())).await.unwrap();
        let (kaz_listener, kgz_listener) =
            (TcpListener::bind("127.0.0.1:0").await.unwrap(), TcpListener::bind("127.0.0.1:0").await.unwrap());
        let (kaz_addr, kgz_addr) = (kaz_listener.local_addr().unwrap(), kgz_listener.local_addr().unwrap());
        let kaz = node(&kaz_dir, &kgz_dir, "KGZ", kgz_addr, kaz_store).await;
        let kgz = node(&kgz_dir, &kaz_dir, "KAZ", kaz_addr, kgz_store).await;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let (kaz_service, kgz_service) = (Arc::clone(&kaz.service), Arc::clone(&kgz.service));
        for (node, listener) in [(kaz, kaz_listener), (kgz, kgz_listener)] {
            let mut stopped = stopped.clone();
            tokio::spawn(node.run(listener, async move {
                let _ = stopped.wait_for(|s| *s).await;
            }));
        }
        Nodes { kaz: kaz_service, kgz: kgz_service, _stop: stop, _dir: dir }
    }

    /// Kyrgyzstan's migration service asks Kazakhstan's interior ministry about a registration;
    /// returns once the Kazakh node holds the request. The case id.
    pub(crate) async fn request_from_kgz(&self) -> String {
        self.request_from_kgz_about(&["registration"], &["registration"]).await
    }

    /// As [`Nodes::request_from_kgz`], asking for these categories and Art. 7 fields.
    pub(crate) async fn request_from_kgz_about(&self, categories: &[&str], fields: &[&str]) -> String {
        let held = self.kaz.list(Direction::In, 100).await.unwrap().len();
        let request = request_about("KGZ-GMS", "KAZ-MVD", categories, fields);
        let queued = self.kgz.send(request).await.unwrap();
        for _ in 0..400 {
            if self.kaz.list(Direction::In, 100).await.unwrap().len() > held {
                return queued.case_id.to_string();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the Kazakh node did not receive the request");
    }
}
