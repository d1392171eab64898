//! The web UI's tests: pages driven in a real headless Chromium, checked with axe-core.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
