//! `sapar bench exchange`: requests from a KGZ node to a KAZ node over mutual TLS on loopback,
//! through the real send and receive paths — signed (JWS ES256) into the sender's outbox, posted
//! by the dispatcher, checked by the receiver, stored before the signed receipt is returned, the
//! receipt verified and the delivery recorded by the sender — against the same payload posted
//! over the same TLS to an endpoint that only answers 200.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;
use sapar_node::client::{Client, Endpoint};
use sapar_node::dispatcher::{self, Backoff, Delivery, Dispatcher, Partner};
use sapar_node::receiver::{self, ReceiverNode};
use sapar_node::registry::Registry;
use sapar_node::{MESSAGES_PATH, tls};
use sapar_store::Store;
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, MessageId};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::keys::{Officer, StateKeys, init_state_keys};
use sapar_treaty::message::{MessageType, SignatoryEntry, SignatoryList};
use sapar_treaty::pki;
use sapar_treaty::receive::PartnerConfig;
use sapar_treaty::seal::PayloadKey;
use sapar_treaty::send::{self, Draft};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot};
use uuid::Uuid;

use crate::bench_cmd::peak_rss_mib;

/// The agreement both nodes exchange under.
const AGREEMENT: &str = "KAZ-KGZ-2019";

#[derive(Debug, Args)]
pub(crate) struct ExchangeArgs {
    /// Requests to measure (after a warm-up of a tenth as many, at most 500, not measured).
    #[arg(long, default_value_t = 20_000)]
    messages: u32,
    /// Requests outstanding at once: that many senders each wait for their receipt before
    /// sending the next. The bare endpoint gets the same number of connections.
    #[arg(long, default_value_t = 16)]
    concurrency: u32,
    /// Send from KGZ to KAZ only (one channel) instead of both ways (two channels).
    #[arg(long)]
    one_way: bool,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, serde::Serialize)]
struct Run {
    messages: u32,
    seconds: f64,
    /// CPU time of the whole process (both nodes, or client and bare endpoint) per message.
    cpu_ms_per_message: f64,
    messages_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, serde::Serialize)]
struct ExchangeFigures {
    /// Channels in use: 1 (KGZ to KAZ) or 2 (both directions).
    channels: u32,
    concurrency: u32,
    payload_bytes: usize,
    sapar: Run,
    /// Delivery attempts that failed and were retried, or were refused for their sequence number
    /// and signed again (none expected on loopback).
    sapar_retries: u64,
    bare_endpoint: Run,
    ratio_to_baseline: f64,
    peak_rss_mib: f64,
    load_average_before: f64,
    load_average_after: f64,
}

pub(crate) fn run(args: ExchangeArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.messages > 0 && args.concurrency > 0, "--messages and --concurrency must be positive");
    let dir = std::env::temp_dir().join(format!("sapar-bench-exchange-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir)?;
    let result = crate::runtime()?.block_on(measure(&dir, &args));
    let _ = std::fs::remove_dir_all(&dir);
    let figures = result?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        print(&figures);
    }
    Ok(ExitCode::SUCCESS)
}

fn print(f: &ExchangeFigures) {
    let ways = if f.channels == 2 { "KGZ ⇄ KAZ, both ways" } else { "KGZ → KAZ" };
    println!(
        "exchange           requests {ways}, over mutual TLS on 127.0.0.1, SQLite stores, {} outstanding, {}-byte messages",
        f.concurrency, f.payload_bytes
    );
    let line = |name: &str, r: &Run| {
        println!(
            "{name:<18} {:>6} in {:.2} s  {:>7.0} messages/s  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  cpu {:.3} ms/message",
            r.messages, r.seconds, r.messages_per_second, r.p50_ms, r.p99_ms, r.max_ms, r.cpu_ms_per_message
        );
    };
    line("sapar", &f.sapar);
    line("bare endpoint", &f.bare_endpoint);
    println!("sapar / bare       {:.1} % of the messages per second", f.ratio_to_baseline * 100.0);
    println!("retries            {}", f.sapar_retries);
    println!("peak memory        {:.0} MiB (both nodes and the bare endpoint, one process)", f.peak_rss_mib);
    println!("load average       {:.2} before, {:.2} after (1 minute)", f.load_average_before, f.load_average_after);
    println!(
        "order              a channel (agreement and direction) delivers in sequence order, its pending\n                   messages in one batch after the answer to the previous one, so {} channel(s)\n                   carry every request; each message is signed, checked and receipted on its own.\n                   The bare endpoint keeps no order.",
        f.channels
    );
}

/// CPU time (user and system) this process has used so far, in seconds (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    // Fields 14 and 15 of /proc/self/stat, in clock ticks of 1/100 s (USER_HZ); the process name
    // (field 2) is in parentheses and may hold spaces, so counting starts after the last ')'.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.get(s.rfind(')')? + 1..)?;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) / 100.0)
        })
        .unwrap_or(0.0)
}

/// The one-minute load average (Linux; 0 elsewhere).
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|s| s.split_whitespace().next()?.parse().ok()).unwrap_or(0.0)
}

/// A state's keys, written to `dir` as `sapar keys init` would, and read back from there.
struct NodeKeys {
    keys: StateKeys,
    node_pem: String,
    node_key_pem: String,
    ca_der: Vec<u8>,
    node: Arc<SigningIdentity>,
    signatory: Arc<SigningIdentity>,
}

fn node_keys(dir: &Path, state: Country, authority: &str, now: Timestamp) -> anyhow::Result<NodeKeys> {
    let officer = Officer {
        authority: AuthorityId::parse(authority)?,
        name: format!("Bench Signatory {authority}"),
        position: "authorised signatory (Art. 10.3)".into(),
    };
    let keys = init_state_keys(state, &[officer], now)?;
    for (path, content) in keys.files() {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content).with_context(|| format!("writing {}", path.display()))?;
    }
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).with_context(|| format!("reading {name}"));
    let node_pem = read("node.pem")?;
    let node_key_pem = read("node.key.pem")?;
    let ca_der = pki::pem_decode_one(&read("ca.pem")?, "CERTIFICATE")?;
    let node = Arc::new(SigningIdentity::from_pem(&node_pem, &node_key_pem)?);
    let stem = format!("signatories/{authority}-1");
    let signatory =
        Arc::new(SigningIdentity::from_pem(&read(&format!("{stem}.pem"))?, &read(&format!("{stem}.key.pem"))?)?);
    Ok(NodeKeys { keys, node_pem, node_key_pem, ca_der, node, signatory })
}

fn request_body(from: &str, to: &str) -> Value {
    json!({
        "requesting_authority": from,
        "requested_authority": to,
        "substance": "Сведения о регистрации по месту пребывания и разрешении на временное проживание",
        "purpose": "установление правового статуса гражданина (ст. 6 Соглашения)",
        "justification": "заявление гражданина о восстановлении утраченного паспорта",
        "categories": ["registration", "residence_permit"],
        "fields": ["registration", "residence_permit"],
        "person": {
            "surname": {"cyrillic": "Бакиров", "latin": "BAKIROV"},
            "given_names": {"cyrillic": "Алмаз", "latin": "ALMAZ"},
            "sex": "M",
            "birth_date": "1994-05-17",
            "citizenship": "KGZ",
            "document": {"series": "AC", "number": "1234567", "issued_on": "2019-03-01", "issuer": "ГРС 211011"}
        }
    })
}

/// A request from `from` to `to` opening a new case, created now.
fn request_draft(from: &str, to: &str) -> anyhow::Result<Draft> {
    let now = Timestamp::now();
    Ok(Draft {
        id: MessageId::new_at(now),
        agreement: AgreementId::parse(AGREEMENT)?,
        from: AuthorityId::parse(from)?,
        to: AuthorityId::parse(to)?,
        message_type: MessageType::Request,
        case_id: CaseId::from_uuid(Uuid::now_v7()),
        in_reply_to: None,
        created_at: now,
        body: request_body(from, to),
    })
}

async fn sqlite(dir: &Path, name: &str) -> anyhow::Result<Store> {
    let url = format!("sqlite:{}", dir.join(name).display());
    Store::open(&url).await.with_context(|| format!("opening {url}"))
}

/// Serves `router` behind the KAZ node's mutual TLS on a fresh loopback port until `stop` is dropped.
async fn serve(
    router: axum::Router,
    tls: Arc<rustls::ServerConfig>,
) -> anyhow::Result<(std::net::SocketAddr, oneshot::Sender<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = receiver::serve(listener, tls, router, shutdown).await {
            tracing::error!(error = %e, "bench server stopped");
        }
    });
    Ok((addr, stop))
}

fn summarize(mut latencies: Vec<Duration>, seconds: f64, cpu: f64) -> Run {
    latencies.sort_unstable();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len().max(1)) - 1;
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    let messages = u32::try_from(latencies.len()).unwrap_or(u32::MAX);
    Run {
        messages,
        seconds,
        cpu_ms_per_message: cpu * 1e3 / f64::from(messages.max(1)),
        messages_per_second: f64::from(messages) / seconds,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    }
}

type Waiters = Arc<Mutex<HashMap<Uuid, oneshot::Sender<Delivery>>>>;

/// One node of the pair: its keys, its store, the authority whose officer signs its requests.
struct Node {
    state: Country,
    authority: &'static str,
    keys: NodeKeys,
    store: Store,
}

impl Node {
    async fn new(dir: &Path, state: Country, authority: &'static str, now: Timestamp) -> anyhow::Result<Node> {
        let code = state.code().to_ascii_lowercase();
        let keys = node_keys(&dir.join(format!("{code}-keys")), state, authority, now)?;
        let store = sqlite(dir, &format!("{code}.db")).await?;
        Ok(Node { state, authority, keys, store })
    }

    /// The receiving side, with `partner` as the only partner and its signatory list.
    fn receiver(&self, partner: &Node, book: &Arc<AgreementBook>, now: Timestamp) -> anyhow::Result<ReceiverNode> {
        let officer = &partner.keys.keys.signatories[0].officer;
        let initial = vec![SignatoryList {
            authority: AuthorityId::parse(partner.authority)?,
            version: 1,
            effective_from: now.checked_sub(SignedDuration::from_hours(1))?,
            signatories: vec![SignatoryEntry {
                name: officer.name.clone(),
                position: officer.position.clone(),
                certificate_sha256: partner.keys.signatory.fingerprint(),
            }],
        }];
        Ok(ReceiverNode {
            local_state: self.state,
            node_name: self.keys.keys.node_name.clone(),
            registry: Arc::new(Registry::new(Arc::clone(book), initial)),
            partners: vec![PartnerConfig {
                state: partner.state,
                ca_cert_der: partner.keys.ca_der.clone(),
                node_cert_fingerprints: vec![partner.keys.node.fingerprint()],
            }],
            node: Arc::clone(&self.keys.node),
            payload_key: PayloadKey::generate(&format!("{}-bench", self.state.code().to_ascii_lowercase()))?,
            max_clock_skew: SignedDuration::from_mins(5),
            store: self.store.clone(),
            queries: None,
        })
    }

    fn server_tls(&self, partner: &Node) -> anyhow::Result<Arc<rustls::ServerConfig>> {
        Ok(tls::server_config(
            &self.keys.node_pem,
            &self.keys.node_key_pem,
            std::slice::from_ref(&partner.keys.ca_der),
        )?)
    }

    /// This node's view of `partner` listening on `addr`.
    fn endpoint(&self, partner: &Node, addr: std::net::SocketAddr) -> anyhow::Result<Endpoint> {
        Ok(Endpoint {
            addr,
            server_name: "localhost".into(),
            tls: tls::client_config(
                &self.keys.node_pem,
                &self.keys.node_key_pem,
                &partner.keys.ca_der,
                &[partner.keys.node.fingerprint()],
            )?,
        })
    }
}

/// The sending part of a node: its dispatcher (running), and the requests it sends to its partner.
struct Sender {
    store: Store,
    book: Arc<AgreementBook>,
    signatory: Arc<SigningIdentity>,
    from: &'static str,
    to: &'static str,
    dispatcher: Dispatcher,
    waiters: Waiters,
    retries: Arc<AtomicU32>,
}

impl Sender {
    /// Starts `node`'s dispatcher towards `partner` at `addr`; it stops when `stop` is dropped.
    fn start(
        node: &Node,
        partner: &Node,
        addr: std::net::SocketAddr,
        book: &Arc<AgreementBook>,
        stop: oneshot::Receiver<()>,
    ) -> anyhow::Result<Arc<Sender>> {
        let target = Partner {
            endpoint: node.endpoint(partner, addr)?,
            ca_cert_der: partner.keys.ca_der.clone(),
            node_cert_fingerprints: vec![partner.keys.node.fingerprint()],
        };
        let dispatcher =
            Dispatcher::new(node.store.clone(), HashMap::from([(partner.state, target)]), Backoff::default())
                .with_signatories([Arc::clone(&node.keys.signatory)]);
        let waiters: Waiters = Arc::new(Mutex::new(HashMap::new()));
        let retries = Arc::new(AtomicU32::new(0));
        collect(dispatcher.subscribe(), Arc::clone(&waiters), Arc::clone(&retries));
        tokio::spawn(dispatcher.clone().run(async move {
            let _ = stop.await;
        }));
        Ok(Arc::new(Sender {
            store: node.store.clone(),
            book: Arc::clone(book),
            signatory: Arc::clone(&node.keys.signatory),
            from: node.authority,
            to: partner.authority,
            dispatcher,
            waiters,
            retries,
        }))
    }

    /// Sends `count` requests from `concurrency` tasks, each waiting for its receipt before the
    /// next; returns each request's time from signing to the recorded delivery.
    async fn send(self: &Arc<Self>, count: u32, concurrency: u32) -> anyhow::Result<Vec<Duration>> {
        let remaining = Arc::new(AtomicU32::new(count));
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let me = Arc::clone(self);
            let remaining = Arc::clone(&remaining);
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                while remaining.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok() {
                    latencies.push(me.one().await?);
                }
                Ok::<_, anyhow::Error>(latencies)
            }));
        }
        let mut all = Vec::with_capacity(count as usize);
        for t in tasks {
            all.extend(t.await??);
        }
        Ok(all)
    }

    async fn one(&self) -> anyhow::Result<Duration> {
        let draft = request_draft(self.from, self.to)?;
        let (tx, rx) = oneshot::channel();
        self.waiters.lock().map_err(|_| anyhow::anyhow!("waiters poisoned"))?.insert(draft.id.as_uuid(), tx);
        let started = Instant::now();
        dispatcher::enqueue(&self.store, Arc::clone(&self.book), draft, Arc::clone(&self.signatory)).await?;
        self.dispatcher.wake();
        match rx.await.context("the dispatcher stopped reporting deliveries")? {
            Delivery::Delivered => Ok(started.elapsed()),
            other => anyhow::bail!("request not delivered: {other:?}"),
        }
    }
}

/// Routes delivery outcomes to the waiting senders; retries are counted, not reported.
fn collect(mut events: broadcast::Receiver<(MessageId, Delivery)>, waiters: Waiters, retries: Arc<AtomicU32>) {
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok((_, Delivery::Retry { error, .. })) => {
                    tracing::warn!(%error, "delivery retried");
                    retries.fetch_add(1, Ordering::Relaxed);
                }
                Ok((_, Delivery::Resequenced)) => {
                    tracing::warn!("channel queue signed again");
                    retries.fetch_add(1, Ordering::Relaxed);
                }
                Ok((id, outcome)) => {
                    let waiter = waiters.lock().ok().and_then(|mut w| w.remove(&id.as_uuid()));
                    if let Some(w) = waiter {
                        let _ = w.send(outcome);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::error!(lost = n, "delivery reports lost; waiting senders fail");
                    if let Ok(mut w) = waiters.lock() {
                        w.clear();
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
}

/// Sends `count` requests split over `senders` (the first ones get the remainders), with
/// `concurrency` outstanding split the same way; returns every latency and the wall time.
async fn send_all(senders: &[Arc<Sender>], count: u32, concurrency: u32) -> anyhow::Result<(Vec<Duration>, f64)> {
    let n = u32::try_from(senders.len()).unwrap_or(1).max(1);
    let share = |total: u32, i: u32| total / n + u32::from(i < total % n);
    let started = Instant::now();
    let runs = senders.iter().zip(0u32..).map(|(s, i)| s.send(share(count, i), share(concurrency, i).max(1)));
    let mut all = Vec::with_capacity(count as usize);
    for latencies in futures_util::future::try_join_all(runs).await? {
        all.extend(latencies);
    }
    Ok((all, started.elapsed().as_secs_f64()))
}

/// Posts `payload` `count` times from `concurrency` connections to the bare endpoint.
async fn bare_run(
    endpoint: &Endpoint,
    payload: &str,
    count: u32,
    concurrency: u32,
) -> anyhow::Result<(Vec<Duration>, f64)> {
    let remaining = Arc::new(AtomicU32::new(count));
    let payload: Arc<str> = Arc::from(payload);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let client = Client::new(endpoint.clone());
        let remaining = Arc::clone(&remaining);
        let payload = Arc::clone(&payload);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while remaining.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok() {
                let t = Instant::now();
                let answer = client.post_message(&payload).await?;
                anyhow::ensure!(answer.status == 200, "bare endpoint answered {}", answer.status);
                latencies.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut all = Vec::with_capacity(count as usize);
    for t in tasks {
        all.extend(t.await??);
    }
    Ok((all, started.elapsed().as_secs_f64()))
}

async fn measure(dir: &Path, args: &ExchangeArgs) -> anyhow::Result<ExchangeFigures> {
    let load_before = load_average();
    let now = Timestamp::now();
    let book = Arc::new(AgreementBook::load_embedded()?);
    let kgz = Node::new(dir, Country::KGZ, "KGZ-GMS", now).await?;
    let kaz = Node::new(dir, Country::KAZ, "KAZ-MVD", now).await?;

    let kaz_tls = kaz.server_tls(&kgz)?;
    let (kaz_addr, _stop_kaz) =
        serve(receiver::router(Arc::new(kaz.receiver(&kgz, &book, now)?)), Arc::clone(&kaz_tls)).await?;
    let (kgz_addr, _stop_kgz) =
        serve(receiver::router(Arc::new(kgz.receiver(&kaz, &book, now)?)), kgz.server_tls(&kaz)?).await?;
    let (stop_kgz_sender, kgz_stopped) = oneshot::channel::<()>();
    let (stop_kaz_sender, kaz_stopped) = oneshot::channel::<()>();
    let mut senders = vec![Sender::start(&kgz, &kaz, kaz_addr, &book, kgz_stopped)?];
    if !args.one_way {
        senders.push(Sender::start(&kaz, &kgz, kgz_addr, &book, kaz_stopped)?);
    }

    let warmup = (args.messages / 10).clamp(1, 500);
    eprintln!("warming up with {warmup} requests ...");
    send_all(&senders, warmup, args.concurrency).await?;
    let retries = |ss: &[Arc<Sender>]| ss.iter().map(|s| u64::from(s.retries.load(Ordering::Relaxed))).sum::<u64>();
    let retries_before = retries(&senders);
    eprintln!("sending {} requests, {} outstanding ...", args.messages, args.concurrency);
    let cpu = cpu_seconds();
    let (latencies, seconds) = send_all(&senders, args.messages, args.concurrency).await?;
    let sapar = summarize(latencies, seconds, cpu_seconds() - cpu);
    let sapar_retries = retries(&senders) - retries_before;
    drop((stop_kgz_sender, stop_kaz_sender));

    // Everything sent was stored by the receiver, and both logs verify (one entry per message
    // sent or received).
    let total = u64::from(warmup) + u64::from(args.messages);
    let stored = u64::try_from(kaz.store.inbox_count().await? + kgz.store.inbox_count().await?).unwrap_or(0);
    anyhow::ensure!(stored == total, "the receivers stored {stored} messages, {total} were sent");
    let mut logged = 0;
    for n in [&kaz, &kgz] {
        logged +=
            sapar_node::log::verify(&n.store, n.keys.node.certificate()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    anyhow::ensure!(logged == 2 * total, "the logs hold {logged} entries, {} expected", 2 * total);

    // The bare endpoint: same TLS configuration, same payload, answers 200 and nothing else.
    let payload =
        send::compose(&book, &request_draft(kgz.authority, kaz.authority)?, 1, None, &kgz.keys.signatory)?.jws;
    let bare = axum::Router::new().route(MESSAGES_PATH, post(|_body: Bytes| async { StatusCode::OK }));
    let (bare_addr, _stop_bare) = serve(bare, kaz_tls).await?;
    let bare_endpoint_of = kgz.endpoint(&kaz, bare_addr)?;
    eprintln!("bare endpoint ...");
    bare_run(&bare_endpoint_of, &payload, warmup, args.concurrency).await?;
    let cpu = cpu_seconds();
    let (latencies, seconds) = bare_run(&bare_endpoint_of, &payload, args.messages, args.concurrency).await?;
    let bare_endpoint = summarize(latencies, seconds, cpu_seconds() - cpu);

    Ok(ExchangeFigures {
        channels: u32::try_from(senders.len()).unwrap_or(1),
        concurrency: args.concurrency,
        payload_bytes: payload.len(),
        ratio_to_baseline: sapar.messages_per_second / bare_endpoint.messages_per_second,
        sapar,
        sapar_retries,
        bare_endpoint,
        peak_rss_mib: peak_rss_mib(),
        load_average_before: load_before,
        load_average_after: load_average(),
    })
}
