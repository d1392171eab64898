//! Mutual TLS is pinned on both sides: only partner CAs are trusted.

use sapar_model::Country;
use sapar_node::client::{self, Endpoint};
use sapar_node::tls;
use sapar_treaty::keys::init_state_keys;
use tokio::net::TcpListener;

use crate::support::{der, kaz_receiver, keys, sqlite, start_kaz};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificate_from_a_non_partner_ca_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let kaz = sqlite(&dir, "kaz.db").await;
    let server = start_kaz(TcpListener::bind("127.0.0.1:0").await.unwrap(), kaz_receiver(kaz.clone()));
    let arm = init_state_keys(Country::ARM, &[], jiff::Timestamp::now()).unwrap();
    let stranger = Endpoint {
        addr: server.addr,
        server_name: "localhost".into(),
        tls: tls::client_config(&arm.node.cert_pem, &arm.node.key_pem, &der(&keys().kaz.ca.cert_pem)).unwrap(),
    };
    let result = client::post_message(&stranger, "a.b.c").await;
    assert!(result.is_err(), "the handshake must fail: {result:?}");
    assert_eq!(kaz.inbox_count().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_certificate_not_from_the_pinned_partner_ca_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let kaz = sqlite(&dir, "kaz.db").await;
    let server = start_kaz(TcpListener::bind("127.0.0.1:0").await.unwrap(), kaz_receiver(kaz.clone()));
    let arm = init_state_keys(Country::ARM, &[], jiff::Timestamp::now()).unwrap();
    let k = keys();
    let misled = Endpoint {
        addr: server.addr,
        server_name: "localhost".into(),
        tls: tls::client_config(&k.kgz.node.cert_pem, &k.kgz.node.key_pem, &der(&arm.ca.cert_pem)).unwrap(),
    };
    assert!(client::post_message(&misled, "a.b.c").await.is_err());
    assert_eq!(kaz.inbox_count().await.unwrap(), 0);
}
