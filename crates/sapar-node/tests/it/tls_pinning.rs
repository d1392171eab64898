//! Mutual TLS is pinned on both sides: only partner CAs are trusted, and a client talks only to
//! the partner's pinned node certificates.

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
        tls: tls::client_config(
            &arm.node.cert_pem,
            &arm.node.key_pem,
            &der(&keys().kaz.ca.cert_pem),
            &[keys().kaz.node.fingerprint],
        )
        .unwrap(),
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
        tls: tls::client_config(
            &k.kgz.node.cert_pem,
            &k.kgz.node.key_pem,
            &der(&arm.ca.cert_pem),
            &[arm.node.fingerprint],
        )
        .unwrap(),
    };
    assert!(client::post_message(&misled, "a.b.c").await.is_err());
    assert_eq!(kaz.inbox_count().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_certificate_under_the_partner_ca_but_not_its_pinned_node_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let kaz = sqlite(&dir, "kaz.db").await;
    let server = start_kaz(TcpListener::bind("127.0.0.1:0").await.unwrap(), kaz_receiver(kaz.clone()));
    let k = keys();
    let pinned = |nodes: &[sapar_treaty::ids::Sha256Hash]| Endpoint {
        addr: server.addr,
        server_name: "localhost".into(),
        tls: tls::client_config(&k.kgz.node.cert_pem, &k.kgz.node.key_pem, &der(&k.kaz.ca.cert_pem), nodes).unwrap(),
    };
    // The real KAZ node answers, but KGZ pinned another certificate of KAZ's PKI (the card
    // signer's): the handshake fails before anything is sent.
    let elsewhere = pinned(&[k.kaz.card_signer.fingerprint]);
    let refused = client::post_message(&elsewhere, "a.b.c").await;
    assert!(refused.is_err(), "a server outside the pinned nodes was trusted: {refused:?}");
    // Pinned, the same server is reached (and refuses the junk message with an answer).
    let answer = client::post_message(&pinned(&[k.kaz.node.fingerprint]), "a.b.c").await.unwrap();
    assert_eq!(answer.status, 400);
    assert_eq!(kaz.inbox_count().await.unwrap(), 0);
    assert!(tls::client_config(&k.kgz.node.cert_pem, &k.kgz.node.key_pem, &der(&k.kaz.ca.cert_pem), &[]).is_err());
}
