//! Two `sapar serve` processes, a Kazakh and a Kyrgyz node with their own databases and keys,
//! exchanging messages over mutual TLS on loopback through the public API and protocol only;
//! then the same with the partner down, the sender killed mid-delivery and both restarted.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sapar_treaty::ids::{MessageId, Sha256Hash};
use sapar_treaty::{pki, receipt};
use serde_json::{Value, json};

fn sapar() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sapar"))
}

fn run_ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A port that was free a moment ago (the node binds it itself), taken below Linux's ephemeral
/// range (32768 and up): a port handed out for `127.0.0.1:0` to a test running beside this one
/// could otherwise be the same, and it would be taken before the node binds it or rebinds it
/// after a kill.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let start = std::process::id().wrapping_mul(7919);
    loop {
        let candidate = 20_000 + (start.wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed) * 101) % 12_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", candidate)).is_ok() {
            return candidate;
        }
    }
}

/// One node: its files under the test's directory, and its `sapar serve` process when running.
struct Node {
    state: &'static str,
    root: PathBuf,
    exchange_port: u16,
    token: String,
    /// An exchange officer's token: works the case desk.
    desk_token: String,
    child: Option<Child>,
    base: String,
    starts: usize,
}

impl Node {
    fn lower(&self) -> String {
        self.state.to_ascii_lowercase()
    }

    fn keys(&self) -> PathBuf {
        self.root.join(format!("{}-keys", self.lower()))
    }

    fn db_path(&self) -> PathBuf {
        self.root.join(format!("{}.db", self.lower()))
    }

    fn db(&self) -> String {
        format!("sqlite:{}", self.db_path().display())
    }

    fn config(&self) -> PathBuf {
        self.root.join(format!("{}.toml", self.lower()))
    }

    /// Starts `sapar serve` and waits for both listening lines.
    fn start(&mut self) {
        self.starts += 1;
        let log = std::fs::File::create(self.root.join(format!("{}-{}.log", self.lower(), self.starts))).unwrap();
        let mut child = sapar()
            .arg("serve")
            .arg("--config")
            .arg(self.config())
            .env("SAPAR_LOG", "warn,sapar=info,sapar_node=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut lines = Vec::new();
        for _ in 0..2 {
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
            lines.push(line.trim().to_owned());
        }
        let http = lines[0].strip_prefix("sapar listening on ");
        let Some(http) = http.filter(|_| lines[1].starts_with("sapar exchange listening on https://")) else {
            let _ = child.kill();
            let log = std::fs::read_to_string(self.root.join(format!("{}-{}.log", self.lower(), self.starts)));
            panic!("{} did not start: {lines:?}\n{}", self.state, log.unwrap_or_default());
        };
        self.base = http.to_owned();
        // Keep reading, so that the node never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        self.child = Some(child);
    }

    /// SIGKILL: no shutdown, no flushing, nothing.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// SIGTERM: the node stops serving and exits cleanly.
    fn terminate(&mut self) {
        if let Some(mut child) = self.child.take() {
            run_ok(Command::new("kill").arg("-TERM").arg(child.id().to_string()));
            let status = child.wait().unwrap();
            assert!(status.success(), "{} exited with {status}", self.state);
        }
    }

    async fn send(&self, body: &Value) -> (u16, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v1/exchange/messages", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    async fn sent_ok(&self, body: &Value) -> Value {
        let (status, answer) = self.send(body).await;
        assert_eq!(status, 202, "{answer}");
        answer
    }

    async fn list(&self, direction: &str) -> Vec<Value> {
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1/exchange/messages?direction={direction}&limit=1000", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.unwrap();
        body["messages"].as_array().unwrap().clone()
    }

    /// Messages stored in the inbox, read from the database file while the node may be running.
    fn inbox_count(&self) -> i64 {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
        rusqlite::Connection::open_with_flags(self.db_path(), flags)
            .and_then(|c| c.query_row("SELECT COUNT(*) FROM exchange_inbox", [], |r| r.get(0)))
            .unwrap_or(0)
    }

    /// `GET` on the case desk with the exchange officer's token: status and answer.
    async fn desk(&self, path: &str) -> (u16, Value) {
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1/exchange/{path}", self.base))
            .bearer_auth(&self.desk_token)
            .header("Sapar-Purpose", "exchange_request")
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    fn verify_log(&self) -> String {
        let out = sapar()
            .args(["verify-log", "--db", &self.db(), "--node-cert"])
            .arg(self.keys().join("node.pem"))
            .output()
            .unwrap();
        assert!(out.status.success(), "verify-log {}: {}", self.state, String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Keys, officer tokens and configuration files of a KAZ and a KGZ node, each pinning the
/// other's CA. Paths in the files are relative to them.
fn pair(root: &Path, retry_base_ms: u64, retry_max_ms: u64) -> (Node, Node) {
    let mut nodes = [("KAZ", "KGZ"), ("KGZ", "KAZ")].map(|(state, _)| Node {
        state,
        root: root.to_owned(),
        exchange_port: free_port(),
        token: String::new(),
        desk_token: String::new(),
        child: None,
        base: String::new(),
        starts: 0,
    });
    for node in &mut nodes {
        run_ok(sapar().args(["keys", "init", "--state", node.state, "--out"]).arg(node.keys()));
        let token =
            run_ok(sapar().args(["tokens", "create", "--role", "officer", "--name", "desk", "--db", &node.db()]));
        node.token = token.trim().to_owned();
        let desk =
            run_ok(sapar().args(["tokens", "create", "--role", "exchange", "--name", "cases", "--db", &node.db()]));
        node.desk_token = desk.trim().to_owned();
    }
    for (me, partner) in [(0, 1), (1, 0)] {
        let (me, partner) = (&nodes[me], &nodes[partner]);
        let config = format!(
            "db = \"sqlite:{db}\"\nlisten = \"127.0.0.1:0\"\nhost_state = \"{state}\"\n\n\
             [exchange]\nlisten = \"127.0.0.1:{port}\"\nkeys = \"{lower}-keys\"\n\
             retry_base_ms = {retry_base_ms}\nretry_max_ms = {retry_max_ms}\n\n\
             [[exchange.partners]]\nstate = \"{pstate}\"\nendpoint = \"https://127.0.0.1:{pport}\"\n\
             ca = \"{plower}-keys/ca.pem\"\nsignatories = \"{plower}-keys/signatories.json\"\n",
            db = me.db_path().display(),
            state = me.state,
            port = me.exchange_port,
            lower = me.lower(),
            pstate = partner.state,
            pport = partner.exchange_port,
            plower = partner.lower(),
        );
        std::fs::write(me.config(), config).unwrap();
    }
    let [kaz, kgz] = nodes;
    (kaz, kgz)
}

/// A request from KAZ-MVD to KGZ-GMS about the `n`-th traveller, in a new case.
fn request(n: usize) -> Value {
    json!({
        "agreement": "KAZ-KGZ-2019",
        "from": "KAZ-MVD",
        "to": "KGZ-GMS",
        "type": "request",
        "body": {
            "requesting_authority": "KAZ-MVD",
            "requested_authority": "KGZ-GMS",
            "substance": format!("Сведения о регистрации гражданина Кыргызской Республики № {n}"),
            "purpose": "проверка законности пребывания (ст. 6 Соглашения)",
            "justification": "заявление о выдаче разрешения на временное проживание",
            "categories": ["registration"],
            "fields": ["registration"],
            "person": {
                "surname": {"cyrillic": "Асанов", "latin": "ASANOV"},
                "given_names": {"cyrillic": "Бакыт", "latin": "BAKYT"},
                "birth_date": "1990-02-03",
                "citizenship": "KGZ",
                "document": {"number": format!("AC{:07}", 1_000_000 + n)}
            }
        }
    })
}

/// Polls `check` until it holds; a generous limit guards against hanging, it is not a timing check.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..1200 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

fn ids(messages: &[Value]) -> Vec<String> {
    messages.iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect()
}

/// Verifies a receipt independently of the nodes: signed by the receiving node's certificate,
/// chaining to its CA, for this message id and hash.
fn assert_receipt(receipt_jws: &str, receiver: &Node, id: &str, hash: &str) {
    let ca = pki::pem_decode_one(&std::fs::read_to_string(receiver.keys().join("ca.pem")).unwrap(), "CERTIFICATE");
    let node = pki::pem_decode_one(&std::fs::read_to_string(receiver.keys().join("node.pem")).unwrap(), "CERTIFICATE");
    let info = receipt::verify_receipt(receipt_jws, &ca.unwrap(), &[pki::fingerprint(&node.unwrap())]).unwrap();
    assert_eq!(info.message_id, MessageId::parse(id).unwrap());
    assert_eq!(info.message_hash, Sha256Hash::parse(hash).unwrap());
    assert_eq!(info.receiver, format!("sapar-{}", receiver.lower()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_exchange_requests_and_replies_through_the_public_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kaz, mut kgz) = pair(dir.path(), 50, 1_000);
    kaz.start();
    kgz.start();

    let mut sent = Vec::new();
    for n in 1..=3 {
        let queued = kaz.sent_ok(&request(n)).await;
        assert_eq!((queued["seq"].as_i64(), queued["status"].as_str()), (Some(n as i64), Some("pending")));
        assert_eq!(queued["channel"], "KAZ-KGZ-2019:KAZ>KGZ");
        assert_eq!(queued["signatory"], "KAZ-MVD-1");
        sent.push(queued);
    }
    eventually("KAZ has receipts for all three", || async {
        kaz.list("out").await.iter().all(|m| m["status"] == "delivered")
    })
    .await;

    let received = kgz.list("in").await;
    assert_eq!(ids(&received), sent.iter().map(|q| q["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>());
    for (i, m) in received.iter().enumerate() {
        assert_eq!((m["seq"].as_i64(), m["type"].as_str()), (Some(i as i64 + 1), Some("request")));
        assert_eq!(
            (m["from"].as_str(), m["to"].as_str(), m["status"].as_str()),
            (Some("KAZ-MVD"), Some("KGZ-GMS"), Some("received"))
        );
        assert_eq!(m["case_id"], sent[i]["case_id"]);
        assert_eq!(m["receipt"]["verified"], true);
    }
    for m in kaz.list("out").await {
        assert_eq!((m["receipt"]["verified"].as_bool(), m["attempts"].as_i64()), (Some(true), Some(1)));
        assert_eq!(m["receipt"]["receiver"], "sapar-kgz");
        assert_receipt(
            m["receipt"]["jws"].as_str().unwrap(),
            &kgz,
            m["id"].as_str().unwrap(),
            m["message_hash"].as_str().unwrap(),
        );
    }

    // KGZ acknowledges the first request, in its case: the reply travels the other channel.
    let case = sent[0]["case_id"].as_str().unwrap();
    let ack = json!({
        "agreement": "KAZ-KGZ-2019", "from": "KGZ-GMS", "to": "KAZ-MVD", "type": "ack",
        "case_id": case, "in_reply_to": sent[0]["id"],
        "body": {"received_on": "2025-10-01", "due_on": "2025-10-31"}
    });
    let acked = kgz.sent_ok(&ack).await;
    assert_eq!((acked["channel"].as_str(), acked["seq"].as_i64()), (Some("KAZ-KGZ-2019:KGZ>KAZ"), Some(1)));
    eventually("KAZ has the acknowledgement", || async { !kaz.list("in").await.is_empty() }).await;
    let back = kaz.list("in").await;
    assert_eq!(back.len(), 1);
    assert_eq!((back[0]["id"].as_str(), back[0]["type"].as_str()), (acked["id"].as_str(), Some("ack")));
    assert_eq!(back[0]["case_id"], case);
    eventually("KGZ has the receipt for its ack", || async { kgz.list("out").await[0]["status"] == "delivered" }).await;
    assert_receipt(
        kgz.list("out").await[0]["receipt"]["jws"].as_str().unwrap(),
        &kaz,
        acked["id"].as_str().unwrap(),
        acked["message_hash"].as_str().unwrap(),
    );

    // The case desk on both sides: the acknowledged request is in progress and due 30 days after
    // KGZ received it; the requester sees the same deadline. KGZ reads the request's body, which
    // it holds sealed at rest, and the read is logged before it is shown.
    let (status, listed) = kgz.desk("cases?status=open&partner=KAZ").await;
    assert_eq!(status, 200, "{listed}");
    let cases = listed["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    let first = cases.iter().find(|c| c["case_id"] == case).unwrap();
    assert_eq!((first["state"].as_str(), first["status"].as_str()), (Some("in_progress"), Some("open")));
    assert_eq!(
        (first["deadline"]["requested_party"].as_str(), first["deadline"]["days_left"].as_i64()),
        (Some("KGZ"), Some(30))
    );
    let (_, theirs) = kaz.desk("cases").await;
    let mirror = theirs["cases"].as_array().unwrap().iter().find(|c| c["case_id"] == case).unwrap();
    assert_eq!(mirror["deadline"]["due_on"], first["deadline"]["due_on"]);
    let (status, shown) = kgz.desk(&format!("cases/{case}")).await;
    assert_eq!(status, 200, "{shown}");
    let types: Vec<_> = shown["messages"].as_array().unwrap().iter().map(|m| m["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["request", "ack"]);
    assert_eq!(shown["messages"][0]["body"], request(1)["body"]);
    assert_eq!(shown["messages"][1]["in_reply_to"], sent[0]["id"]);
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let reads: i64 = rusqlite::Connection::open_with_flags(kgz.db_path(), flags)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM exchange_case_reads WHERE purpose = 'exchange_request'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(reads, 1);

    // What the partner would refuse never leaves: the case is acknowledged already, a request
    // lacks its purpose, ARM is not a configured partner.
    let (status, error) = kgz.send(&ack).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("message_type_not_allowed")), "{error}");
    let mut incomplete = request(9);
    incomplete["body"]["purpose"] = json!("");
    let (status, error) = kaz.send(&incomplete).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("request_incomplete")), "{error}");
    let mut to_armenia = request(9);
    to_armenia["agreement"] = json!("KAZ-ARM-2024");
    to_armenia["to"] = json!("ARM-POLICE");
    let (status, error) = kaz.send(&to_armenia).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (422, Some("partner_not_configured"), Some("to"))
    );
    assert_eq!(kaz.list("out").await.len(), 3);

    kaz.terminate();
    kgz.terminate();
    assert_eq!(kaz.verify_log(), "log intact: 4 entries");
    assert_eq!(kgz.verify_log(), "log intact: 4 entries");

    // Art. 12.4 on demand: nothing received today is due; a purge dated after today is refused;
    // the log verifies after both (the destruction itself is tested on both backends in
    // sapar-node, where time can pass).
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let purge = |on: jiff::civil::Date| {
        sapar().args(["exchange", "purge", "--on", &on.to_string(), "--config"]).arg(kgz.config()).output().unwrap()
    };
    let out = purge(today);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0 payloads destroyed; the message log records each");
    let out = purge(today.tomorrow().unwrap());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("after today"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(kgz.verify_log(), "log intact: 4 entries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_outage_and_killed_nodes_lose_and_duplicate_nothing() {
    const FIRST: usize = 30;
    const LATER: usize = 5;
    let dir = tempfile::tempdir().unwrap();
    let (mut kaz, mut kgz) = pair(dir.path(), 20, 200);

    // KGZ is down: KAZ takes the requests and its dispatcher backs off.
    kaz.start();
    let mut sent = Vec::new();
    for n in 1..=FIRST {
        sent.push(kaz.sent_ok(&request(n)).await["id"].as_str().unwrap().to_owned());
    }
    eventually("KAZ has failed to deliver twice", || async {
        kaz.list("out").await[0]["attempts"].as_i64() >= Some(2)
    })
    .await;
    let head = &kaz.list("out").await[0];
    assert_eq!(head["status"], "pending");
    assert!(head["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{head}");
    assert_eq!(kaz.list("out").await[1]["attempts"], 0, "the channel's later messages wait their turn");

    // KGZ comes up; KAZ is killed as soon as deliveries have begun, then KGZ too.
    kgz.start();
    let mut delivered_before_kill = 0;
    for _ in 0..60_000 {
        delivered_before_kill = kgz.inbox_count();
        if delivered_before_kill > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    kaz.kill();
    assert!(delivered_before_kill > 0, "no delivery began");
    let stored = kgz.inbox_count();
    let receipts: i64 = rusqlite::Connection::open(kaz.db_path())
        .unwrap()
        .query_row("SELECT COUNT(*) FROM exchange_outbox WHERE status = 'delivered'", [], |r| r.get(0))
        .unwrap();
    eprintln!("when KAZ was killed, KGZ had stored {stored} of {FIRST} messages and KAZ had {receipts} receipts");
    kgz.kill();

    // KAZ restarts while KGZ is still down and takes more requests; then KGZ restarts.
    kaz.start();
    for n in FIRST + 1..=FIRST + LATER {
        sent.push(kaz.sent_ok(&request(n)).await["id"].as_str().unwrap().to_owned());
    }
    kgz.start();
    let total = FIRST + LATER;
    eventually("KAZ has receipts for every message", || async {
        let out = kaz.list("out").await;
        out.len() == total && out.iter().all(|m| m["status"] == "delivered")
    })
    .await;

    let received = kgz.list("in").await;
    assert_eq!(ids(&received), sent, "every message arrived once, in the order sent");
    let seqs: Vec<i64> = received.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=total as i64).collect::<Vec<_>>());
    assert_eq!(kgz.inbox_count(), total as i64, "nothing stored twice");
    for m in kaz.list("out").await {
        assert_receipt(
            m["receipt"]["jws"].as_str().unwrap(),
            &kgz,
            m["id"].as_str().unwrap(),
            m["message_hash"].as_str().unwrap(),
        );
    }

    kaz.terminate();
    kgz.terminate();
    assert_eq!(kaz.verify_log(), format!("log intact: {total} entries"));
    assert_eq!(kgz.verify_log(), format!("log intact: {total} entries"));
}

/// Runs `serve` with a configuration that must not start; returns its error output.
fn refused_start(root: &Path, config: &str, args: &[&str]) -> String {
    let path = root.join("bad.toml");
    std::fs::write(&path, config).unwrap();
    let out = sapar().arg("serve").arg("--config").arg(&path).args(args).output().unwrap();
    assert!(!out.status.success(), "started with {config}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_exchange_configuration_fails_start_up_with_a_precise_message() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    run_ok(sapar().args(["keys", "init", "--state", "KAZ", "--out"]).arg(root.join("kaz-keys")));
    run_ok(sapar().args(["keys", "init", "--state", "KGZ", "--out"]).arg(root.join("kgz-keys")));
    std::fs::write(root.join("garbage.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").unwrap();
    let db = format!("db = \"sqlite:{}\"\nlisten = \"127.0.0.1:0\"\n", root.join("kaz.db").display());
    let with = |partner: &str| {
        format!("{db}[exchange]\nlisten = \"127.0.0.1:0\"\nkeys = \"kaz-keys\"\n\n[[exchange.partners]]\n{partner}")
    };
    let kgz = "state = \"KGZ\"\nendpoint = \"https://127.0.0.1:9\"\nsignatories = \"kgz-keys/signatories.json\"\n";

    let e = refused_start(root, &with(&format!("{kgz}ca = \"kgz-keys/missing.pem\"\n")), &[]);
    assert!(e.contains("cannot read") && e.contains("kgz-keys/missing.pem"), "{e}");
    let e = refused_start(root, &with(&format!("{kgz}ca = \"garbage.pem\"\n")), &[]);
    assert!(e.contains("garbage.pem does not parse as X.509"), "{e}");
    let e = refused_start(root, &with(&format!("{kgz}ca = \"kaz-keys/ca.pem\"\n")), &[]);
    assert!(e.contains("was issued under CA") && e.contains("but the pinned CA"), "{e}");
    let rus = "state = \"RUS\"\nendpoint = \"https://127.0.0.1:9\"\nca = \"kgz-keys/ca.pem\"\nsignatories = \"kgz-keys/signatories.json\"\n";
    let e = refused_start(root, &with(rus), &[]);
    assert!(e.contains("partner RUS is not a party to any agreement with KAZ"), "{e}");
    let e = refused_start(root, &with(&format!("{kgz}ca = \"kgz-keys/ca.pem\"\nurl = \"x\"\n")), &[]);
    assert!(e.contains("unknown field") && e.contains("url"), "{e}");
    let e = refused_start(root, &with(&format!("{kgz}ca = \"kgz-keys/ca.pem\"\n")), &["--keys", "kgz-keys-nowhere"]);
    assert!(e.contains("keys directory kgz-keys-nowhere does not exist"), "flags override the file: {e}");
    let e = refused_start(root, &format!("{db}host_state = \"KGZ\"\n[exchange]\nkeys = \"kaz-keys\"\n"), &[]);
    assert!(e.contains("are KAZ's, but this node's host_state is KGZ"), "{e}");
    let e = refused_start(root, &format!("{db}[exchange]\nkeys = \"kaz-keys\"\n"), &[]);
    assert!(e.contains("[exchange] has no partner"), "{e}");
    let with_policy = |policy: &str| {
        format!(
            "{db}[exchange]\nlisten = \"127.0.0.1:0\"\nkeys = \"kaz-keys\"\n{policy}\n\n[[exchange.partners]]\n{kgz}\
             ca = \"kgz-keys/ca.pem\"\n"
        )
    };
    let e = refused_start(root, &with_policy("checkpoint_every = 0"), &[]);
    assert!(e.contains("[exchange] checkpoint_every must be at least 1"), "{e}");
    let e = refused_start(root, &with_policy("checkpoint_max_wait_secs = 0"), &[]);
    assert!(e.contains("[exchange] checkpoint_max_wait_secs must be from 1 to 86400 (seconds), got 0"), "{e}");
    let e = refused_start(root, &with_policy("checkpoint_max_wait_secs = -5"), &[]);
    assert!(e.contains("checkpoint_max_wait_secs"), "{e}");
}

#[test]
fn demo_shows_an_exchange_between_a_kazakh_and_a_kyrgyz_node() {
    let dir = tempfile::tempdir().unwrap();
    let out = sapar()
        .args([
            "demo",
            "--no-serve",
            "--persons",
            "50",
            "--listen",
            "127.0.0.1:0",
            "--kgz-listen",
            "127.0.0.1:0",
            "--dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for line in ["KAZ-MVD → KGZ-GMS  request", "KGZ-GMS → KAZ-MVD  ack", "KGZ-GMS → KAZ-MVD  answer"] {
        let found = stdout.lines().find(|l| l.contains(line)).unwrap_or_else(|| panic!("no {line:?} in {stdout}"));
        assert!(found.contains("delivered; receipt signed by sapar-") && found.ends_with("(verified)"), "{found}");
    }
    // The Kyrgyz side has its own workplace and users, to play the other side of a case.
    let kgz = stdout.lines().find(|l| l.contains("The Kyrgyz partner's own workplace")).expect("the Kyrgyz workplace");
    assert!(kgz.contains("http://127.0.0.1:"), "{kgz}");
    assert!(stdout.lines().filter(|l| l.trim_start().starts_with("demo-exchange ")).count() == 2, "{stdout}");
    for (db, keys) in [("register.db", "kaz"), ("kgz-register.db", "kgz")] {
        let url = format!("sqlite:{}", dir.path().join(db).display());
        let cert = dir.path().join("keys").join(keys).join("node.pem");
        let verified = run_ok(sapar().args(["verify-log", "--db", &url, "--node-cert"]).arg(cert));
        assert_eq!(verified.trim(), "log intact: 3 entries", "{db}");
    }
}
