//! A real headless Chromium, driven through its chromedriver over WebDriver (fantoccini), for the
//! web pages' tests, with axe-core accessibility scans. Every `Browser` owns its chromedriver
//! process, port and fresh Chromium profile, so tests run in parallel; dropping it ends the session,
//! kills that chromedriver and removes the profile.
//!
//! The helpers panic with a message naming the selector and the page, which is how a browser test
//! fails. After an action that navigates (`press_enter`, `click` on a link or button), wait for an
//! element that only the next page has.

mod exchange_nodes;
mod harness_check;
mod journeys;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use fantoccini::cookies::Cookie;
use fantoccini::elements::Element;
use fantoccini::error::NewSessionError;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// axe-core, vendored (see `tests/vendor/README.md`): the scans need no network.
const AXE_SOURCE: &str = include_str!("../../vendor/axe.min.js");
/// The rule sets every scan runs: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const AXE_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL_HINT: &str = "install Debian's chromium and chromium-driver with `apt-get update && apt-get install -y \
     --no-install-recommends chromium chromium-driver` (as .ci/run does), or name other binaries in SAPAR_CHROMIUM and \
     SAPAR_CHROMEDRIVER";

/// Without the networking flags Chromium calls outside hosts many times a second; the profile
/// flag is added per browser.
const CHROMIUM_ARGS: [&str; 10] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

const DRIVER_READY_TIMEOUT: Duration = Duration::from_secs(20);
const DRIVER_START_ATTEMPTS: usize = 3;
const DEFAULT_WAIT: Duration = Duration::from_secs(10);
const SESSION_END_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a browser could not be started.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BrowserError {
    #[error("{what} not found or not executable at {}: {INSTALL_HINT}", path.display())]
    Missing { what: &'static str, path: PathBuf },
    #[error("a fresh profile directory could not be created: {0}")]
    Profile(#[source] std::io::Error),
    #[error("no free loopback port for chromedriver: {0}")]
    Port(#[source] std::io::Error),
    #[error("chromedriver {} could not be started: {source}", path.display())]
    Spawn { path: PathBuf, source: std::io::Error },
    #[error("chromedriver exited while starting ({status}); its log: {log}")]
    DriverExited { status: ExitStatus, log: String },
    #[error("chromedriver on port {port} was not ready within {DRIVER_READY_TIMEOUT:?}; its log: {log}")]
    DriverNotReady { port: u16, log: String },
    #[error("chromedriver could not open a Chromium session: {0}")]
    Session(#[from] NewSessionError),
}

/// The Chromium and chromedriver binaries a browser runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binaries {
    pub(crate) chromium: PathBuf,
    pub(crate) chromedriver: PathBuf,
}

impl Binaries {
    /// `/usr/bin/chromium` and `/usr/bin/chromedriver`, or `SAPAR_CHROMIUM` and `SAPAR_CHROMEDRIVER`.
    pub(crate) fn from_env() -> Result<Self, BrowserError> {
        Self::locate(std::env::var_os("SAPAR_CHROMIUM"), std::env::var_os("SAPAR_CHROMEDRIVER"))
    }

    /// The binaries at the given paths (the Debian ones where `None`), each checked to be an
    /// executable file.
    pub(crate) fn locate(chromium: Option<OsString>, chromedriver: Option<OsString>) -> Result<Self, BrowserError> {
        let chromium = executable("chromium", chromium, DEFAULT_CHROMIUM)?;
        let chromedriver = executable("chromedriver", chromedriver, DEFAULT_CHROMEDRIVER)?;
        Ok(Self { chromium, chromedriver })
    }
}

fn executable(what: &'static str, given: Option<OsString>, default: &str) -> Result<PathBuf, BrowserError> {
    let path = given.map_or_else(|| PathBuf::from(default), PathBuf::from);
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() && meta.permissions().mode() & 0o111 != 0 => Ok(path),
        _ => Err(BrowserError::Missing { what, path }),
    }
}

/// One accessibility violation axe-core found on a page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct AxeViolation {
    /// The rule, e.g. `label` or `image-alt`.
    pub(crate) id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub(crate) impact: String,
    pub(crate) help: String,
    /// Each offending element: its CSS target, then its HTML.
    pub(crate) nodes: Vec<String>,
}

impl AxeViolation {
    pub(crate) fn is_serious(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum AxeOutcome {
    Violations(Vec<AxeViolation>),
    Error(String),
}

/// The chromedriver process a browser started; killed, by its handle, when dropped.
struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Driver {
    async fn start(path: &Path, log: &Path) -> Result<Self, BrowserError> {
        let mut attempt = 1;
        loop {
            let port = free_loopback_port().map_err(BrowserError::Port)?;
            let child = Command::new(path)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|source| BrowserError::Spawn { path: path.to_owned(), source })?;
            let mut driver = Self { child, port, log: log.to_owned() };
            match driver.wait_ready().await {
                // Another process may take the port between our probe and chromedriver's bind;
                // chromedriver then exits and a new port is tried.
                Err(BrowserError::DriverExited { .. }) if attempt < DRIVER_START_ATTEMPTS => attempt += 1,
                Err(error) => return Err(error),
                Ok(()) => return Ok(driver),
            }
        }
    }

    async fn wait_ready(&mut self) -> Result<(), BrowserError> {
        let deadline = Instant::now() + DRIVER_READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(BrowserError::DriverExited { status, log: self.log_text() });
            }
            if self.reports_ready().await {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(BrowserError::DriverNotReady { port: self.port, log: self.log_text() });
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Whether `GET /status` answers `{"value": {"ready": true}}`.
    async fn reports_ready(&self) -> bool {
        let port = self.port;
        let exchange = async move {
            let mut stream = tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.ok()?;
            stream.write_all(request_bytes("GET", "/status", port).as_bytes()).await.ok()?;
            let mut buffer = Vec::new();
            loop {
                if let Some(body) = complete_body(&buffer) {
                    return Some(body);
                }
                let mut chunk = [0_u8; 4096];
                let read = stream.read(&mut chunk).await.ok()?;
                if read == 0 {
                    return complete_body(&buffer);
                }
                buffer.extend_from_slice(&chunk[..read]);
            }
        };
        let Ok(Some(body)) = tokio::time::timeout(Duration::from_secs(2), exchange).await else {
            return false;
        };
        serde_json::from_str::<Value>(&body).is_ok_and(|status| status["value"]["ready"] == Value::Bool(true))
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_else(|e| format!("(unreadable: {e})"))
    }

    /// Ends a session synchronously, so that chromedriver quits its Chromium before it is killed.
    fn end_session(&self, session: &str) {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
            return;
        };
        if stream.set_read_timeout(Some(SESSION_END_TIMEOUT)).is_err()
            || stream.write_all(request_bytes("DELETE", &format!("/session/{session}"), self.port).as_bytes()).is_err()
        {
            return;
        }
        // The answer comes once Chromium has quit; its content does not matter.
        let mut buffer = Vec::new();
        let mut chunk = [0_u8; 4096];
        while complete_body(&buffer).is_none() {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Errors here mean the process is already gone.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_loopback_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

fn request_bytes(method: &str, path: &str, port: u16) -> String {
    format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

/// The body of an HTTP/1.1 response once all of it (by `Content-Length`) has arrived.
fn complete_body(buffer: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(buffer).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())?;
    (body.len() >= length).then(|| body[..length].to_owned())
}

fn capabilities(chromium: &Path, profile: &Path) -> Map<String, Value> {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|arg| (*arg).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut capabilities = Map::new();
    capabilities.insert("browserName".to_owned(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".to_owned(), json!({ "binary": chromium.to_string_lossy(), "args": args }));
    capabilities.insert("timeouts".to_owned(), json!({ "script": 30_000, "pageLoad": 30_000, "implicit": 0 }));
    capabilities
}

/// A headless Chromium with its own chromedriver, port and profile.
pub(crate) struct Browser {
    client: Client,
    /// The WebDriver session, until it is ended.
    session: Option<String>,
    wait: Duration,
    driver: Driver,
    profile: PathBuf,
    /// Holds the profile and chromedriver's log; removed after the driver is killed (fields drop
    /// in order).
    _scratch: TempDir,
}

impl Browser {
    /// Starts a browser on the binaries `Binaries::from_env` finds. Panics, saying how to
    /// install them, when they are missing: a browser test never passes without a browser.
    pub(crate) async fn start() -> Self {
        match Binaries::from_env() {
            Ok(binaries) => Self::start_with(&binaries).await,
            Err(error) => panic!("the browser tests need Chromium and chromedriver: {error}"),
        }
    }

    /// Starts a browser on the given binaries; panics when it cannot.
    pub(crate) async fn start_with(binaries: &Binaries) -> Self {
        match Self::launch(binaries).await {
            Ok(browser) => browser,
            Err(error) => panic!("starting headless Chromium failed: {error}"),
        }
    }

    async fn launch(binaries: &Binaries) -> Result<Self, BrowserError> {
        let scratch = tempfile::Builder::new().prefix("sapar-browser-").tempdir().map_err(BrowserError::Profile)?;
        let profile = scratch.path().join("profile");
        std::fs::create_dir(&profile).map_err(BrowserError::Profile)?;
        let driver = Driver::start(&binaries.chromedriver, &scratch.path().join("chromedriver.log")).await?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(&binaries.chromium, &profile))
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await?;
        let session = client.session_id().await.ok().flatten();
        Ok(Self { client, session, wait: DEFAULT_WAIT, driver, profile, _scratch: scratch })
    }

    /// The longest `wait_for` (and every helper that finds an element) waits; 10 s by default.
    pub(crate) fn with_wait_timeout(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// This browser's own Chromium profile directory.
    pub(crate) fn profile_dir(&self) -> &Path {
        &self.profile
    }

    /// The loopback port of this browser's chromedriver.
    pub(crate) fn driver_port(&self) -> u16 {
        self.driver.port
    }

    /// Opens `url` and waits for it to load.
    pub(crate) async fn goto(&self, url: &str) {
        if let Err(error) = self.client.goto(url).await {
            panic!("opening {url} failed: {error}");
        }
    }

    /// The first element matching `css`, waiting for it to appear (at most the wait timeout).
    pub(crate) async fn wait_for(&self, css: &str) -> Element {
        let found =
            self.client.wait().at_most(self.wait).every(Duration::from_millis(50)).for_element(Locator::Css(css));
        match found.await {
            Ok(element) => element,
            Err(error) => {
                panic!(
                    "no element matches `{css}` on {} within {:?}: {error}",
                    self.page_for_message().await,
                    self.wait
                )
            }
        }
    }

    /// Replaces the value of the field matching `css` by typing `text` into it.
    pub(crate) async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        if let Err(error) = field.clear().await {
            panic!("clearing `{css}` on {} failed: {error}", self.page_for_message().await);
        }
        if let Err(error) = field.send_keys(text).await {
            panic!("typing into `{css}` on {} failed: {error}", self.page_for_message().await);
        }
    }

    /// Clicks the element matching `css`.
    pub(crate) async fn click(&self, css: &str) {
        let element = self.wait_for(css).await;
        if let Err(error) = element.click().await {
            panic!("clicking `{css}` on {} failed: {error}", self.page_for_message().await);
        }
    }

    /// Presses Enter in the focused element (after `fill`, the field just typed into), which
    /// submits its form the way an officer would.
    pub(crate) async fn press_enter(&self) {
        let focused = match self.client.active_element().await {
            Ok(element) => element,
            Err(error) => panic!("no focused element on {}: {error}", self.page_for_message().await),
        };
        if let Err(error) = focused.send_keys(&Key::Enter).await {
            panic!("pressing Enter on {} failed: {error}", self.page_for_message().await);
        }
    }

    /// The rendered text of the element matching `css`. An element the browser replaced between
    /// finding and reading it (a form posted a moment before answers with a new page holding the
    /// same element) is found again on the new page, for as long as [`Browser::wait_for`] waits.
    pub(crate) async fn text_of(&self, css: &str) -> String {
        let started = std::time::Instant::now();
        loop {
            let element = self.wait_for(css).await;
            match element.text().await {
                Ok(text) => return text,
                Err(error) if error.is_stale_element_reference() && started.elapsed() < self.wait => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => {
                    panic!("reading the text of `{css}` on {} failed: {error}", self.page_for_message().await)
                }
            }
        }
    }

    /// The HTML of the page shown, as the browser serialises its document.
    pub(crate) async fn source(&self) -> String {
        match self.client.source().await {
            Ok(html) => html,
            Err(error) => panic!("reading the page source of {} failed: {error}", self.page_for_message().await),
        }
    }

    /// The document's title.
    pub(crate) async fn title(&self) -> String {
        match self.client.title().await {
            Ok(title) => title,
            Err(error) => panic!("reading the title of {} failed: {error}", self.page_for_message().await),
        }
    }

    /// The address of the page shown.
    pub(crate) async fn current_url(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(error) => panic!("reading the current address failed: {error}"),
        }
    }

    /// Every cookie the page's origin holds, `HttpOnly` ones included.
    pub(crate) async fn cookies(&self) -> Vec<Cookie<'static>> {
        match self.client.get_all_cookies().await {
            Ok(cookies) => cookies,
            Err(error) => panic!("reading the cookies of {} failed: {error}", self.page_for_message().await),
        }
    }

    /// Saves what the window shows as a PNG file.
    pub(crate) async fn screenshot(&self, path: &Path) {
        let png = match self.client.screenshot().await {
            Ok(png) => png,
            Err(error) => panic!("taking a screenshot of {} failed: {error}", self.page_for_message().await),
        };
        if let Err(error) = std::fs::write(path, png) {
            panic!("writing the screenshot to {} failed: {error}", path.display());
        }
    }

    /// Follows the link `css` as the browser would, with its session, without leaving the page:
    /// the answer's status, content type, size and first eight bytes (as Latin-1 text).
    pub(crate) async fn fetch_link(&self, css: &str) -> (u16, String, usize, String) {
        let page = self.page_for_message().await;
        let run = r"
            const [css, done] = arguments;
            const link = document.querySelector(css);
            if (!link) { done({ error: 'no element ' + css }); return; }
            fetch(link.href, { credentials: 'same-origin' }).then(
              async (r) => {
                const bytes = new Uint8Array(await r.arrayBuffer());
                done({ status: r.status, type: r.headers.get('content-type') || '', size: bytes.length,
                       start: String.fromCharCode(...bytes.slice(0, 8)) });
              },
              (error) => done({ error: String(error) }),
            );";
        let answer = match self.client.execute_async(run, vec![json!(css)]).await {
            Ok(answer) => answer,
            Err(error) => panic!("following {css} on {page} failed: {error}"),
        };
        if let Some(error) = answer.get("error") {
            panic!("following {css} on {page} failed: {error}");
        }
        let text = |key: &str| answer[key].as_str().unwrap_or_default().to_owned();
        let status = answer["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or_default();
        let size = answer["size"].as_u64().and_then(|s| usize::try_from(s).ok()).unwrap_or_default();
        (status, text("type"), size, text("start"))
    }

    /// Runs axe-core (injected from the vendored copy when the page does not have it yet) over the
    /// whole document with the WCAG 2.0/2.1 A and AA rules and the best practices.
    pub(crate) async fn axe(&self) -> Vec<AxeViolation> {
        let page = self.page_for_message().await;
        let loaded = "return typeof window.axe === 'object';";
        if self.client.execute(loaded, vec![]).await.ok() != Some(Value::Bool(true)) {
            let inject = format!("{AXE_SOURCE}\n;{loaded}");
            match self.client.execute(&inject, vec![]).await {
                Ok(Value::Bool(true)) => {}
                Ok(other) => panic!("axe-core did not load on {page} (the page answered {other})"),
                Err(error) => panic!("injecting axe-core into {page} failed: {error}"),
            }
        }
        let run = r"
            const [tags, done] = arguments;
            window.axe.run(document, { runOnly: tags }).then(
              (result) => done({ violations: result.violations.map((v) => ({
                id: v.id,
                impact: v.impact || 'unknown',
                help: v.help,
                nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + n.html),
              })) }),
              (error) => done({ error: String(error) }),
            );";
        let outcome = match self.client.execute_async(run, vec![json!(AXE_TAGS)]).await {
            Ok(outcome) => outcome,
            Err(error) => panic!("running axe-core on {page} failed: {error}"),
        };
        match serde_json::from_value::<AxeOutcome>(outcome) {
            Ok(AxeOutcome::Violations(violations)) => violations,
            Ok(AxeOutcome::Error(error)) => panic!("axe-core failed on {page}: {error}"),
            Err(error) => panic!("axe-core's answer on {page} was not understood: {error}"),
        }
    }

    /// Fails, listing each with its elements, when axe-core finds any serious or critical
    /// violation on the page shown, which the test calls `page_name`.
    pub(crate) async fn assert_no_serious_axe_violations(&self, page_name: &str) {
        let serious: Vec<AxeViolation> = self.axe().await.into_iter().filter(AxeViolation::is_serious).collect();
        if serious.is_empty() {
            return;
        }
        let mut report = format!(
            "{page_name} ({}) has {} serious or critical accessibility violations:",
            self.page_for_message().await,
            serious.len()
        );
        for violation in &serious {
            let _ = write!(report, "\n- {} ({}): {}", violation.id, violation.impact, violation.help);
            for node in &violation.nodes {
                let _ = write!(report, "\n    {node}");
            }
        }
        panic!("{report}");
    }

    /// Ends the session (Chromium quits), kills chromedriver and removes the profile. Dropping
    /// the browser does the same; this also reports a session that would not end.
    pub(crate) async fn close(mut self) {
        if self.session.is_some() {
            if let Err(error) = self.client.clone().close().await {
                panic!("ending the browser session failed: {error}");
            }
            self.session = None;
        }
    }

    async fn page_for_message(&self) -> String {
        self.client.current_url().await.map_or_else(|_| "(an unknown page)".to_owned(), |url| url.to_string())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            self.driver.end_session(&session);
        }
    }
}
