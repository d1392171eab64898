//! One request to a partner node over mutual TLS and HTTP/1.1 (a fresh connection per request).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::{JOSE, MESSAGES_PATH, NodeError};

/// How long one request may take, connection and TLS handshake included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a partner node listens and how to reach it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    /// The name checked against the partner's server certificate (e.g. `localhost` or `sapar-kaz`).
    pub server_name: String,
    pub tls: Arc<ClientConfig>,
}

/// The status and body of the partner's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

fn net(e: impl std::fmt::Display) -> NodeError {
    NodeError::Network(e.to_string())
}

/// POSTs a signed message (compact JWS) to the partner's message endpoint.
pub async fn post_message(endpoint: &Endpoint, jws: &str) -> Result<Answer, NodeError> {
    tokio::time::timeout(REQUEST_TIMEOUT, post_inner(endpoint, jws.to_owned()))
        .await
        .map_err(|_| NodeError::Network(format!("no answer from {} within {REQUEST_TIMEOUT:?}", endpoint.addr)))?
}

async fn post_inner(endpoint: &Endpoint, jws: String) -> Result<Answer, NodeError> {
    let tcp = TcpStream::connect(endpoint.addr).await.map_err(net)?;
    let name = ServerName::try_from(endpoint.server_name.clone()).map_err(net)?;
    let tls = TlsConnector::from(Arc::clone(&endpoint.tls)).connect(name, tcp).await.map_err(net)?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await.map_err(net)?;
    let driver = tokio::spawn(connection);
    let request = Request::post(MESSAGES_PATH)
        .header(HOST, endpoint.server_name.as_str())
        .header(CONTENT_TYPE, JOSE)
        .body(Full::new(Bytes::from(jws)))
        .map_err(net)?;
    let response = sender.send_request(request).await.map_err(net)?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.map_err(net)?.to_bytes().to_vec();
    drop(sender);
    driver.abort();
    Ok(Answer { status, body })
}
