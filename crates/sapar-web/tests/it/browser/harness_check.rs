//! The browser harness proved on two pages of its own, served by a small axum server inside the
//! test: one accessible form, and one with deliberate serious accessibility faults.

use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Router, serve};
use futures_util::FutureExt as _;
use serde::Deserialize;

use super::{Binaries, Browser};

const CSP: &str = "default-src 'self'; form-action 'self'; frame-ancestors 'none'";

const FORM_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Record a traveller</title></head>
<body>
<main>
<h1>Record a traveller</h1>
<form method="post" action="/form">
<label for="name">Full name</label>
<input id="name" name="name" type="text" autocomplete="name">
<button type="submit">Record</button>
</form>
</main>
</body>
</html>"#;

/// An image without a text alternative and a field without a label: axe's `image-alt` and `label`.
const BROKEN_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Search travellers</title></head>
<body>
<main>
<h1>Search travellers</h1>
<img src="/logo.svg">
<form method="get" action="/broken">
<input type="text" name="q">
<button type="submit">Search</button>
</form>
</main>
</body>
</html>"#;

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#245"/></svg>"##;

type Received = Arc<Mutex<Vec<String>>>;

#[derive(Deserialize)]
struct Traveller {
    name: String,
}

/// The test's own site on 127.0.0.1 and the names its form received.
struct Site {
    addr: SocketAddr,
    received: Received,
}

impl Site {
    async fn start() -> Self {
        let received = Received::default();
        let app = Router::new()
            .route("/form", get(form_page).post(record))
            .route("/broken", get(broken_page))
            .route("/logo.svg", get(logo))
            .with_state(Arc::clone(&received));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { serve(listener, app).await });
        Self { addr, received }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

async fn form_page() -> impl IntoResponse {
    ([(header::CONTENT_SECURITY_POLICY, CSP)], Html(FORM_PAGE))
}

async fn broken_page() -> impl IntoResponse {
    ([(header::CONTENT_SECURITY_POLICY, CSP)], Html(BROKEN_PAGE))
}

async fn logo() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/svg+xml")], LOGO)
}

async fn record(State(received): State<Received>, Form(traveller): Form<Traveller>) -> impl IntoResponse {
    let shown = escape_html(&traveller.name);
    received.lock().unwrap().push(traveller.name);
    let page = format!(
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Traveller recorded</title></head>
<body>
<main>
<h1>Traveller recorded</h1>
<p id="received">{shown}</p>
<a id="again" href="/form">Record another traveller</a>
</main>
</body>
</html>"#
    );
    (
        [
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::SET_COOKIE, "sapar_check=recorded; Path=/; HttpOnly; SameSite=Strict"),
        ],
        Html(page),
    )
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What a panic said, for tests that check a failure's message.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// Command lines of the running processes that mention `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(needle) {
                found.push(cmdline);
            }
        }
    }
    found
}

/// Waits until no process mentions `profile` and the profile is removed; panics naming what is left.
async fn assert_left_nothing(profile: &Path) {
    let needle = profile.to_str().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = processes_mentioning(needle);
        if left.is_empty() && !profile.exists() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "after the browser closed, profile {needle} exists: {}; processes using it: {left:#?}",
            profile.exists()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn typing_a_name_and_pressing_enter_submits_the_form_to_the_server() {
    let site = Site::start().await;
    let browser = Browser::start().await;

    browser.goto(&site.url("/form")).await;
    browser.fill("#name", "Ерлан Ерболович <Yerlan>").await;
    browser.press_enter().await;

    assert_eq!(browser.text_of("#received").await, "Ерлан Ерболович <Yerlan>");
    assert_eq!(*site.received.lock().unwrap(), ["Ерлан Ерболович <Yerlan>"]);
    let cookies = browser.cookies().await;
    assert!(
        cookies.iter().any(|c| c.name() == "sapar_check" && c.value() == "recorded"),
        "the page's HttpOnly cookie is visible to the test: {cookies:?}"
    );

    browser.click("#again").await;
    browser.wait_for("#name").await;
    assert_eq!(browser.current_url().await, site.url("/form"));
    browser.close().await;
}

#[tokio::test]
async fn axe_passes_the_accessible_page_and_fails_the_one_with_an_unlabelled_field_and_an_image_without_alt() {
    let site = Site::start().await;
    let browser = Browser::start().await;

    browser.goto(&site.url("/form")).await;
    let on_form = browser.axe().await;
    assert!(on_form.iter().all(|v| !v.is_serious()), "serious violations on the accessible page: {on_form:#?}");
    browser.assert_no_serious_axe_violations("the accessible form").await;

    browser.goto(&site.url("/broken")).await;
    let on_broken = browser.axe().await;
    let label = on_broken.iter().find(|v| v.id == "label").expect("the unlabelled field is reported");
    assert!(label.is_serious(), "{label:?}");
    assert_eq!(label.nodes.len(), 1, "{label:?}");
    assert!(label.nodes[0].contains(r#"name="q""#), "{label:?}");
    let image_alt = on_broken.iter().find(|v| v.id == "image-alt").expect("the image without alt is reported");
    assert!(image_alt.is_serious(), "{image_alt:?}");
    assert!(image_alt.nodes[0].contains("logo.svg"), "{image_alt:?}");

    let failure = AssertUnwindSafe(browser.assert_no_serious_axe_violations("the broken search page"))
        .catch_unwind()
        .await
        .expect_err("the scan fails the broken page");
    let message = panic_message(failure.as_ref());
    assert!(message.contains("the broken search page"), "{message}");
    assert!(message.contains(&site.url("/broken")), "{message}");
    assert!(message.contains("\n- label (critical)"), "{message}");
    assert!(message.contains("\n- image-alt (critical)"), "{message}");
    assert!(message.contains(r#"<input type="text" name="q">"#), "{message}");
}

#[tokio::test]
async fn a_screenshot_is_a_png_as_wide_as_the_window() {
    let site = Site::start().await;
    let browser = Browser::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.png");

    browser.goto(&site.url("/form")).await;
    browser.screenshot(&path).await;

    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).expect("PNG image data that decodes");
    assert_eq!(frame.width, 1280);
    assert!(frame.height > 0);
    assert!(pixels.iter().any(|&byte| byte != pixels[0]), "the screenshot shows something");
}

#[tokio::test]
async fn waiting_for_a_missing_element_fails_naming_the_selector_and_the_page() {
    let site = Site::start().await;
    let browser = Browser::start().await.with_wait_timeout(Duration::from_millis(300));
    browser.goto(&site.url("/form")).await;

    let failure = AssertUnwindSafe(browser.wait_for("#no-such-field")).catch_unwind().await.expect_err("it fails");
    let message = panic_message(failure.as_ref());
    assert!(message.contains("`#no-such-field`"), "{message}");
    assert!(message.contains(&site.url("/form")), "{message}");
}

#[tokio::test]
async fn browsers_in_parallel_keep_their_own_ports_and_profiles_and_leave_nothing_behind() {
    let site = Site::start().await;
    let (first, second) = tokio::join!(Browser::start(), Browser::start());
    assert_ne!(first.driver_port(), second.driver_port());
    assert_ne!(first.profile_dir(), second.profile_dir());

    first.goto(&site.url("/form")).await;
    first.fill("#name", "Айгуль").await;
    first.press_enter().await;
    first.wait_for("#received").await;
    second.goto(&site.url("/form")).await;
    assert!(first.cookies().await.iter().any(|c| c.name() == "sapar_check"));
    assert!(second.cookies().await.is_empty(), "the second profile holds no cookie of the first");

    let (first_profile, second_profile) = (first.profile_dir().to_owned(), second.profile_dir().to_owned());
    assert!(!processes_mentioning(second_profile.to_str().unwrap()).is_empty(), "Chromium runs on the profile");
    first.close().await;
    assert_left_nothing(&first_profile).await;
    drop(second);
    assert_left_nothing(&second_profile).await;
}

#[test]
fn missing_binaries_fail_saying_how_to_install_them() {
    let error = Binaries::locate(Some("/nonexistent/chromium".into()), None).unwrap_err().to_string();
    assert!(error.contains("chromium not found or not executable at /nonexistent/chromium"), "{error}");
    assert!(error.contains("apt-get install -y --no-install-recommends chromium chromium-driver"), "{error}");

    let not_executable = tempfile::NamedTempFile::new().unwrap();
    let this_test = std::env::current_exe().unwrap().into_os_string();
    let error = Binaries::locate(Some(this_test), Some(not_executable.path().into())).unwrap_err().to_string();
    assert!(error.contains("chromedriver not found or not executable"), "{error}");
}
