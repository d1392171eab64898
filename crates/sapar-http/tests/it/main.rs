//! HTTP API tests over real HTTP against a real database (SQLite; PostgreSQL too when
//! `SAPAR_TEST_POSTGRES` is set — required under `CI=true`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Runs each named `async fn(TestApp)` of the calling module as two tests: on SQLite, and on
/// PostgreSQL when configured.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name(crate::support::TestApp::sqlite().await).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(app) = crate::support::TestApp::postgres().await else { return };
                    super::$name(app).await
                }
            )*
        }
    };
}

mod api;
mod exchange;
mod mrz;
mod permits_violations;
mod review;
mod support;
