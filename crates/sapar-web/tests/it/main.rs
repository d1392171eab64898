//! sapar-web's tests: assets over real HTTP on loopback, and pages driven in a real headless
//! Chromium, checked with axe-core.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod assets;
mod browser;

/// Serves `router` on a fresh loopback port for the rest of the test; returns its base URL.
async fn spawn(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}
