//! Requests to a partner node over mutual TLS and HTTP/1.1: [`post_message`] on a fresh
//! connection, or a [`Client`] that keeps its connections open between requests (a TLS handshake
//! with client authentication costs far more than the request itself) and also posts batches.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::{BATCHES_PATH, JOSE, MESSAGES_PATH, NodeError};

/// How long one request may take, connection and TLS handshake included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Idle connections a [`Client`] keeps per partner.
const MAX_IDLE: usize = 16;

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

type Connection = SendRequest<Full<Bytes>>;

/// POSTs a signed message (compact JWS) to the partner's message endpoint on a new connection.
pub async fn post_message(endpoint: &Endpoint, jws: &str) -> Result<Answer, NodeError> {
    within_timeout(endpoint, async {
        let mut conn = connect(endpoint).await?;
        send(endpoint, &mut conn, &Post::message(jws)).await
    })
    .await
}

async fn within_timeout(
    endpoint: &Endpoint,
    f: impl Future<Output = Result<Answer, NodeError>>,
) -> Result<Answer, NodeError> {
    tokio::time::timeout(REQUEST_TIMEOUT, f)
        .await
        .map_err(|_| NodeError::Network(format!("no answer from {} within {REQUEST_TIMEOUT:?}", endpoint.addr)))?
}

/// A TCP connection, the TLS handshake and the HTTP/1.1 handshake; the connection is driven by a
/// task that ends when the returned sender is dropped or the peer closes.
async fn connect(endpoint: &Endpoint) -> Result<Connection, NodeError> {
    let tcp = TcpStream::connect(endpoint.addr).await.map_err(net)?;
    tcp.set_nodelay(true).map_err(net)?;
    let name = ServerName::try_from(endpoint.server_name.clone()).map_err(net)?;
    let tls = TlsConnector::from(Arc::clone(&endpoint.tls)).connect(name, tcp).await.map_err(net)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await.map_err(net)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "partner connection ended with an error");
        }
    });
    Ok(sender)
}

/// One request to a partner's exchange endpoints.
struct Post {
    path: &'static str,
    content_type: &'static str,
    body: Bytes,
}

impl Post {
    fn message(jws: &str) -> Post {
        Post { path: MESSAGES_PATH, content_type: JOSE, body: Bytes::copy_from_slice(jws.as_bytes()) }
    }
}

async fn send(endpoint: &Endpoint, conn: &mut Connection, post: &Post) -> Result<Answer, NodeError> {
    conn.ready().await.map_err(net)?;
    let request = Request::post(post.path)
        .header(HOST, endpoint.server_name.as_str())
        .header(CONTENT_TYPE, post.content_type)
        .body(Full::new(post.body.clone()))
        .map_err(net)?;
    let response = conn.send_request(request).await.map_err(net)?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.map_err(net)?.to_bytes().to_vec();
    Ok(Answer { status, body })
}

/// Sends messages to one partner, reusing idle HTTP/1.1 connections (keep-alive). Cloning shares
/// the connections.
#[derive(Debug, Clone)]
pub struct Client {
    endpoint: Endpoint,
    idle: Arc<Mutex<Vec<Connection>>>,
}

impl Client {
    pub fn new(endpoint: Endpoint) -> Client {
        Client { endpoint, idle: Arc::new(Mutex::new(Vec::new())) }
    }

    /// The partner this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn take_idle(&self) -> Option<Connection> {
        let mut idle = self.idle.lock().ok()?;
        while let Some(c) = idle.pop() {
            if !c.is_closed() {
                return Some(c);
            }
        }
        None
    }

    fn put_idle(&self, conn: Connection) {
        if conn.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < MAX_IDLE
        {
            idle.push(conn);
        }
    }

    /// POSTs a signed message (compact JWS) to the partner's message endpoint. A kept connection
    /// that fails (the partner may have closed it while idle) is replaced by a new one at once:
    /// sending a message again is always safe, the receiver answers a duplicate with its stored
    /// receipt.
    pub async fn post_message(&self, jws: &str) -> Result<Answer, NodeError> {
        self.post(&Post::message(jws)).await
    }

    /// POSTs a batch (a JSON `{"messages": [...]}` body) to the partner's batch endpoint, on a
    /// kept connection as [`Client::post_message`] does.
    pub async fn post_batch(&self, body: Vec<u8>) -> Result<Answer, NodeError> {
        self.post(&Post { path: BATCHES_PATH, content_type: "application/json", body: Bytes::from(body) }).await
    }

    async fn post(&self, post: &Post) -> Result<Answer, NodeError> {
        within_timeout(&self.endpoint, async {
            if let Some(mut conn) = self.take_idle()
                && let Ok(answer) = send(&self.endpoint, &mut conn, post).await
            {
                self.put_idle(conn);
                return Ok(answer);
            }
            let mut conn = connect(&self.endpoint).await?;
            let answer = send(&self.endpoint, &mut conn, post).await?;
            self.put_idle(conn);
            Ok(answer)
        })
        .await
    }
}
