//! `sapar demo`: a fresh register with generated sample data, served until Ctrl-C, and two
//! exchange nodes (Kazakhstan's, over that register, and Kyrgyzstan's, over its own database and
//! keys) that exchange a request, its acknowledgement and the answer over mutual TLS.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use sapar_http::AppState;
use sapar_model::{Country, Role};
use sapar_node::NodeError;
use sapar_node::dispatcher::Backoff;
use sapar_node::service::{DeliveryState, Direction, ExchangeService, MessageRecord, Outgoing};
use sapar_node::setup::{self, ExchangeNode, NodeSettings, PartnerSpec, PayloadKeySource};
use sapar_store::Store;
use sapar_treaty::agreement::AgreementBook;
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::exchange::NodeApi;
use crate::ingest::{self, Format};
use crate::sample::{self, SampleSpec};
use crate::serve_cmd::stopped_signal;

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Folder for the demo database and sample file; its previous demo database is replaced.
    #[arg(long, default_value = "sapar-demo")]
    dir: PathBuf,
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Address the Kyrgyz partner's API and workplace are served on (its own register, users and
    /// exchange node), so that either side of a case can be played.
    #[arg(long, default_value = "127.0.0.1:8081")]
    kgz_listen: SocketAddr,
    /// Number of sample travellers (each crosses several times).
    #[arg(long, default_value_t = 6000)]
    persons: usize,
    /// Seed of the sample generator: the same seed gives the same register.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Prepare the register, print how to use it, and exit instead of serving.
    #[arg(long)]
    no_serve: bool,
}

pub(crate) fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.dir).with_context(|| format!("creating {}", args.dir.display()))?;
    let db_path = args.dir.join("register.db");
    remove_database(&db_path)?;
    let kgz_db_path = args.dir.join("kgz-register.db");
    remove_database(&kgz_db_path)?;
    let sample_path = args.dir.join("sample-crossings.csv");
    let today = jiff::Zoned::now().date();
    let spec = SampleSpec {
        persons: args.persons,
        seed: args.seed,
        from: today.checked_sub(jiff::Span::new().days(400))?,
        until: today.yesterday()?,
    };
    let file = std::fs::File::create(&sample_path).with_context(|| format!("creating {}", sample_path.display()))?;
    let rows = sample::write_csv(spec, std::io::BufWriter::new(file))?;
    eprintln!("generated {rows} crossings of {} travellers in {}", args.persons, sample_path.display());

    crate::runtime()?.block_on(async move {
        let url = format!("sqlite:{}", db_path.display());
        let store = Store::open(&url).await?;
        let started = std::time::Instant::now();
        let input = std::fs::File::open(&sample_path)?;
        let options = ingest::ReadOptions::new(Format::Csv);
        let kaz_keys = demo_keys(&args.dir)?;
        let register = sapar_register::Register::with_embedded_rules(store.clone())?
            .with_cards(crate::config::load_card_issuer(&kaz_keys, &[])?);
        let importer = sapar_register::Actor::new("sapar demo", sapar_model::Role::Admin);
        let now = register.now();
        let summary = ingest::import(&register, &importer, input, options, now, |_| Ok(()), |_, _| {}).await?;
        eprintln!(
            "imported {} crossings ({} persons) in {:.2} s",
            summary.stored,
            summary.persons_created,
            started.elapsed().as_secs_f64()
        );
        let present: Vec<_> = store.present_persons().await?.into_iter().map(|p| p.id).collect();
        let cards = register.issue_missing_cards(&importer, &present).await?;
        eprintln!("issued {cards} migrant cards to the travellers in the country");
        let mut sample_card = None;
        for person in &present {
            if let Some(card) = store.card_in_force(*person).await? {
                sample_card = Some(card.number);
                break;
            }
        }
        let enforced = record_enforcement_samples(&register, &store, today).await?;
        eprintln!("recorded {} entry bans and {} expulsions", enforced.0, enforced.1);
        let controlled = record_control_samples(&register, &store, today).await?;
        eprintln!(
            "listed {} persons in the control register, {} removal applications pending",
            controlled.0, controlled.1
        );
        let labour = record_labour_samples(&register, &store, today).await?;
        eprintln!(
            "recorded {} employers, {} work permits and {} violations with fines ({} paid)",
            labour.employers, labour.work_permits, labour.fined, labour.paid
        );
        let mut tokens = Vec::new();
        for (name, role) in [
            ("demo-admin", Role::Admin),
            ("demo-border", Role::Border),
            ("demo-officer", Role::Officer),
            ("demo-analyst", Role::Analyst),
        ] {
            tokens.push((role, crate::tokens_cmd::create(&store, name, role, None).await?.1));
        }
        let users = create_demo_users(&register).await?;
        let document = first_document(&sample_path)?;
        let kgz_store = Store::open(&format!("sqlite:{}", kgz_db_path.display())).await?;
        let kgz_register =
            sapar_register::Register::with_embedded_rules(kgz_store.clone())?.with_host_state(Country::KGZ);
        let kgz_users = create_demo_users(&kgz_register).await?;
        // The Kazakh node answers Kyrgyz hit/no-hit queries from the register automatically.
        let hits: Arc<dyn sapar_register::exchange::HitCheck> = Arc::new(register.clone());
        let nodes = Nodes::start(&args.dir, store.clone(), kgz_store, Some(hits)).await?;
        let exchanged = nodes.show_exchange().await;
        let (listener, addr) =
            sapar_http::bind(args.listen).await.with_context(|| format!("binding {}", args.listen))?;
        let (kgz_listener, kgz_addr) =
            sapar_http::bind(args.kgz_listen).await.with_context(|| format!("binding {}", args.kgz_listen))?;
        print_welcome(addr, &tokens, &document, &url, sample_card.as_deref(), &kaz_keys);
        print_users(addr, &users);
        println!(
            "The Kyrgyz partner's own workplace and API, over its register and exchange node, to play the other \
             side of a case (open a query or a request to Kazakhstan, read its answer): http://{kgz_addr}/\n"
        );
        for (name, role, password) in &kgz_users {
            println!("  {name:<18} {password}   ({})", role.as_str());
        }
        println!();
        if args.no_serve || exchanged.is_err() {
            nodes.stop().await?;
            exchanged?;
            return Ok(ExitCode::SUCCESS);
        }
        let register = sapar_register::Register::with_embedded_rules(store)?
            .with_cards(crate::config::load_card_issuer(&kaz_keys, &[])?);
        let desk: Arc<dyn sapar_register::exchange::CaseDesk> = nodes.kaz.clone();
        let web = sapar_web::router_with_cases(register.clone(), sapar_web::WebConfig::default(), Some(desk));
        let state = AppState::new(register)?.with_exchange(Arc::new(NodeApi(Arc::clone(&nodes.kaz)))).with_web(web);
        let kgz_desk: Arc<dyn sapar_register::exchange::CaseDesk> = nodes.kgz.clone();
        let kgz_web =
            sapar_web::router_with_cases(kgz_register.clone(), sapar_web::WebConfig::default(), Some(kgz_desk));
        let kgz_state =
            AppState::new(kgz_register)?.with_exchange(Arc::new(NodeApi(Arc::clone(&nodes.kgz)))).with_web(kgz_web);
        let kgz_stopped = stopped_signal(nodes.stop_sender().subscribe());
        let kgz_serving = tokio::spawn(sapar_http::serve(
            kgz_listener,
            kgz_state,
            sapar_http::ServerSettings::default(),
            kgz_stopped,
        ));
        let stop = nodes.stop_sender();
        sapar_http::serve(listener, state, sapar_http::ServerSettings::default(), async move {
            crate::serve_cmd::shutdown_signal().await;
            let _ = stop.send(true);
        })
        .await?;
        kgz_serving.await.context("the Kyrgyz workplace ended abnormally")??;
        nodes.stop().await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Entry bans and expulsions on some of the persons in the country today, so that the person
/// pages, the border desk and the events show them: two pending expulsions, one carried out (with
/// its implied ban), two court bans and one lifted early. How many bans and expulsions there are.
async fn record_enforcement_samples(
    register: &sapar_register::Register,
    store: &Store,
    today: jiff::civil::Date,
) -> anyhow::Result<(usize, usize)> {
    use sapar_register::bans::{RawBan, RawLift};
    use sapar_register::expulsions::RawExpulsion;
    let officer = sapar_register::Actor::new("sapar demo", Role::Officer);
    let mut present: Vec<_> = store.present_persons().await?.into_iter().map(|p| p.id).collect();
    present.sort();
    let day = |days: i64| today.checked_add(jiff::Span::new().days(days));
    let (mut bans, mut expulsions) = (0, 0);
    for (n, person) in present.iter().take(6).enumerate() {
        if n < 3 {
            let raw = RawExpulsion {
                kind: if n == 2 { "deportation" } else { "administrative_expulsion" }.into(),
                decided_on: day(-10 - i64::try_from(n)?)?.to_string(),
                decision_ref: format!("Постановление суда № 5-{}/{}", 1200 + n, today.year()),
                basis: "КоАП РК, ст. 517, ч. 2".into(),
                leave_by: Some(day(5)?.to_string()),
            };
            let expulsion = register.record_expulsion(&officer, *person, &raw).await?;
            expulsions += 1;
            if n == 2 {
                register.record_departure(&officer, expulsion.id, &day(-3)?.to_string()).await?;
                bans += 1;
            }
        } else {
            let raw = RawBan {
                from: day(-40)?.to_string(),
                until: day(5 * 365)?.to_string(),
                ground: "court_decision".into(),
                basis: "Закон РК «О миграции населения», ст. 48".into(),
                decision_ref: format!("Решение суда № 2-{}/{}", 700 + n, today.year()),
                decided_by: Some("Специализированный межрайонный административный суд г. Алматы".into()),
            };
            let ban = register.record_ban(&officer, *person, &raw).await?;
            bans += 1;
            if n == 5 {
                let lift = RawLift {
                    from: Some(today.to_string()),
                    reason: "Решение отменено судом апелляционной инстанции".into(),
                    decision_ref: Some(format!("Постановление № 3а-{}/{}", 90 + n, today.year())),
                };
                register.lift_ban(&officer, ban.id, &lift).await?;
            }
        }
    }
    Ok((bans, expulsions))
}

/// Three persons in the control register (an expired permit, a shortened stay, an illegal entry),
/// the first notified, the first two with removal applications pending (the person's own, and one
/// filed by their state). How many entries and applications.
async fn record_control_samples(
    register: &sapar_register::Register,
    store: &Store,
    today: jiff::civil::Date,
) -> anyhow::Result<(usize, usize)> {
    use sapar_register::control::{RawApplication, RawInclusion, RawNotice};
    let officer = sapar_register::Actor::new("sapar demo", Role::Officer);
    let mut present: Vec<_> = store.present_persons().await?.into_iter().map(|p| p.id).collect();
    present.sort();
    let (mut entries, mut applications) = (0, 0);
    for (n, ground) in ["permit_expired_or_annulled", "stay_shortened", "illegal_entry"].into_iter().enumerate() {
        let Some(person) = present.get(10 + n) else { break };
        let inclusion = RawInclusion {
            ground: Some(ground.into()),
            decision_ref: Some(format!("Решение УМС ДП г. Алматы № {}-К/{}", 310 + n, today.year())),
            decided_on: Some(today.checked_sub(jiff::Span::new().days(20))?.to_string()),
            basis: Some("Закон РК «О миграции населения»".into()),
        };
        let entry = register.include_in_control(&officer, *person, &inclusion).await?;
        entries += 1;
        if n == 0 {
            let notice = RawNotice { channel: "in_person".into(), sent_on: today.yesterday()?.to_string() };
            register.record_control_notice(&officer, entry.id, &notice).await?;
        }
        if n < 2 {
            let application = RawApplication {
                applicant: if n == 0 { "person" } else { "state" }.into(),
                applicant_name: if n == 0 {
                    "заявитель лично"
                } else {
                    "Государственная служба миграции КР"
                }
                .into(),
                grounds: if n == 0 { "legalised_status" } else { "error" }.into(),
                statement: "Прошу исключить из реестра контролируемых лиц: основание отпало.".into(),
                documents: vec!["копия разрешения на временное проживание".into()],
            };
            register.file_removal_application(&officer, entry.id, &application).await?;
            applications += 1;
        }
    }
    Ok((entries, applications))
}

/// What [`record_labour_samples`] recorded.
struct LabourSamples {
    employers: usize,
    work_permits: usize,
    fined: usize,
    paid: usize,
}

/// Three employers (valid BINs), work permits binding two workers to the first, and fined
/// violations: a worker without a permit at the second employer, that employer's own fine for
/// illegal foreign labour (paid), and a failure to register the place of stay.
async fn record_labour_samples(
    register: &sapar_register::Register,
    store: &Store,
    today: jiff::civil::Date,
) -> anyhow::Result<LabourSamples> {
    use sapar_register::employers::RawEmployer;
    use sapar_register::permits::RawPermit;
    use sapar_register::violations::{RawFine, RawPayment, RawPenalty, RawViolation};
    let officer = sapar_register::Actor::new("sapar demo", Role::Officer);
    let mut present: Vec<_> = store.present_persons().await?.into_iter().map(|p| p.id).collect();
    present.sort();
    let day = |days: i64| today.checked_add(jiff::Span::new().days(days));
    let mut employer_ids = Vec::new();
    for (bin, name, region) in [
        ("080540002494", "ТОО «Стройсервис Алатау»", "г. Алматы"),
        ("940540000305", "ТОО «Шымкент Агро Трейд»", "г. Шымкент"),
        ("120140012348", "ИП «Жибек Жолы Логистик»", "Туркестанская область"),
    ] {
        let raw =
            RawEmployer { registration_number: bin.into(), name: name.into(), region: region.into(), address: None };
        employer_ids.push(register.record_employer(&officer, &raw).await?.id);
    }
    let mut work_permits = 0;
    for (n, person) in present.iter().skip(20).take(2).enumerate() {
        let raw = RawPermit {
            kind: "work_permit".into(),
            purpose: None,
            number: format!("WP-{}-{:06}", today.year(), 317 + n),
            valid_from: day(-30)?.to_string(),
            valid_to: day(335)?.to_string(),
            issued_by: Some("УМС ДП г. Алматы".into()),
            employer_id: Some(employer_ids[0].to_string()),
        };
        register.record_permit(&officer, *person, &raw).await?;
        work_permits += 1;
    }
    let fined = |kind: &str, employer: Option<uuid::Uuid>, amount: &str, n: i64| RawViolation {
        kind: kind.into(),
        detected_on: day(-12 - n).map(|d| d.to_string()).unwrap_or_default(),
        description: None,
        employer_id: employer.map(|id| id.to_string()),
        penalty: RawPenalty {
            article: None,
            decision_ref: Some(format!("Постановление № АП-{}/{}", 980 + n, today.year())),
            fine: Some(RawFine { amount: amount.into(), unit: "MRP".into() }),
        },
    };
    let (mut count, mut paid) = (0, 0);
    if let [worker, other, ..] = present.get(22..).unwrap_or_default() {
        let second = Some(employer_ids[1]);
        register.record_violation(&officer, *worker, &fined("illegal_work", second, "30", 0)).await?;
        let employer_fine =
            register.record_violation(&officer, *worker, &fined("employer_violation", second, "700", 1)).await?;
        let payment = RawPayment { paid_on: day(-2)?.to_string(), reference: "KASPI-7781230045".into() };
        register.record_fine_payment(&officer, employer_fine.id, &payment).await?;
        register.record_violation(&officer, *other, &fined("registration_failure", None, "10", 2)).await?;
        (count, paid) = (3, 1);
    }
    Ok(LabourSamples { employers: employer_ids.len(), work_permits, fined: count, paid })
}

/// One web user per role, named `demo-ROLE`, each with a fresh random password.
async fn create_demo_users(register: &sapar_register::Register) -> anyhow::Result<Vec<(String, Role, String)>> {
    let admin = sapar_register::Actor::new("sapar demo", Role::Admin);
    let mut users = Vec::new();
    for role in Role::ALL {
        let name = format!("demo-{}", role.as_str());
        // 20 hex digits of a fresh secret: 80 random bits, easy to type.
        let secret = sapar_register::tokens::generate_token();
        let password: String = secret.chars().rev().take(20).collect();
        register.create_user(&admin, &name, role, &password).await.with_context(|| format!("creating user {name}"))?;
        users.push((name, role, password));
    }
    Ok(users)
}

/// The web workplace's address and the demo users' passwords.
fn print_users(addr: SocketAddr, users: &[(String, Role, String)]) {
    println!(
        "\nOfficers' web workplace: http://{addr}/  (sign in as any of these; the language switch is at the top)\n"
    );
    for (name, role, password) in users {
        println!("  {name:<18} {password}   ({})", role.as_str());
    }
    println!();
}

/// Removes a SQLite database and its WAL files, if present.
fn remove_database(db_path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_path.to_owned().into_os_string();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing the previous demo database {p:?}")),
        }
    }
    Ok(())
}

/// The two demo exchange nodes, running on loopback.
pub(crate) struct Nodes {
    pub(crate) kaz: Arc<ExchangeService>,
    pub(crate) kgz: Arc<ExchangeService>,
    kaz_addr: SocketAddr,
    kgz_addr: SocketAddr,
    keys: PathBuf,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<Result<(), NodeError>>>,
}

/// Creates the demo keys of both states under `dir/keys` when missing (again when an older demo
/// left keys without a card signer); answers Kazakhstan's keys directory.
fn demo_keys(dir: &Path) -> anyhow::Result<PathBuf> {
    let keys = dir.join("keys");
    for state in [Country::KAZ, Country::KGZ] {
        let d = keys.join(state.code().to_ascii_lowercase());
        if d.join("signatories.json").exists() && !d.join(crate::config::CARD_SIGNER_CERT).exists() {
            std::fs::remove_dir_all(&d).with_context(|| format!("replacing the demo keys in {}", d.display()))?;
        }
        if !d.join("signatories.json").exists() {
            crate::keys_cmd::init_dir(state, &d)?;
        }
    }
    Ok(keys.join("kaz"))
}

/// How long the demo waits for a message's receipt before saying it is still pending.
const DELIVERY_WAIT: Duration = Duration::from_secs(20);

impl Nodes {
    /// Creates the keys of both states under `dir/keys` (once), and starts both nodes, each
    /// pinning the other's CA; the Kazakh one answers Kyrgyz hit/no-hit queries with `kaz_hits`.
    pub(crate) async fn start(
        dir: &Path,
        kaz_store: Store,
        kgz_store: Store,
        kaz_hits: Option<Arc<dyn sapar_register::exchange::HitCheck>>,
    ) -> anyhow::Result<Nodes> {
        let keys = dir.join("keys");
        for state in [Country::KAZ, Country::KGZ] {
            let d = keys.join(state.code().to_ascii_lowercase());
            if !d.join("signatories.json").exists() {
                crate::keys_cmd::init_dir(state, &d)?;
            }
        }
        let book = Arc::new(AgreementBook::load_embedded().context("loading the embedded agreements")?);
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        let (kaz_listener, kaz_addr) = sapar_http::bind(loopback).await?;
        let (kgz_listener, kgz_addr) = sapar_http::bind(loopback).await?;
        let mut kaz = node(&keys, Country::KAZ, (Country::KGZ, kgz_addr), &book, kaz_store).await?;
        if let Some(check) = kaz_hits {
            kaz = kaz.with_hit_answers(check, ["KAZ-KGZ-2019".to_owned()]);
        }
        let kgz = node(&keys, Country::KGZ, (Country::KAZ, kaz_addr), &book, kgz_store).await?;
        let (stop, stopped) = watch::channel(false);
        let (kaz_service, kgz_service) = (Arc::clone(&kaz.service), Arc::clone(&kgz.service));
        let tasks = vec![
            tokio::spawn(kaz.run(kaz_listener, stopped_signal(stopped.clone()))),
            tokio::spawn(kgz.run(kgz_listener, stopped_signal(stopped))),
        ];
        Ok(Nodes { kaz: kaz_service, kgz: kgz_service, kaz_addr, kgz_addr, keys, stop, tasks })
    }

    fn stop_sender(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }

    pub(crate) async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        for task in self.tasks {
            task.await.context("an exchange node ended abnormally")??;
        }
        Ok(())
    }

    /// KAZ-MVD asks KGZ-GMS about a traveller; KGZ-GMS acknowledges and answers. Each message
    /// is waited for until its receipt arrives; what happened is printed.
    async fn show_exchange(&self) -> anyhow::Result<()> {
        println!(
            "\nExchange: two nodes on this machine speak sapar-exchange/1 over mutual TLS\n\n  \
             KAZ node sapar-kaz  https://{}  register.db, keys {}\n  \
             KGZ node sapar-kgz  https://{}  kgz-register.db, keys {}\n",
            self.kaz_addr,
            self.keys.join("kaz").display(),
            self.kgz_addr,
            self.keys.join("kgz").display()
        );
        let person = json!({
            "surname": {"cyrillic": "Асанова", "latin": "ASANOVA"},
            "given_names": {"cyrillic": "Айгүл", "latin": "AIGUL"},
            "sex": "F",
            "birth_date": "1994-03-08",
            "citizenship": "KGZ",
            "document": {"number": "AC7654321"}
        });
        let request = self
            .send(
                &self.kaz,
                "KAZ-MVD",
                "KGZ-GMS",
                "request",
                None,
                None,
                json!({
                    "requesting_authority": "KAZ-MVD",
                    "requested_authority": "KGZ-GMS",
                    "substance": "Сведения о регистрации гражданки Кыргызской Республики по месту жительства",
                    "purpose": "проверка законности пребывания (ст. 6 Соглашения)",
                    "justification": "заявление о выдаче разрешения на временное проживание",
                    "categories": ["registration"],
                    "fields": ["registration"],
                    "person": person,
                }),
            )
            .await?;
        let case = request.case_id.to_string();
        let received =
            Timestamp::now().in_tz("Asia/Bishkek").map(|z| z.date()).unwrap_or_else(|_| jiff::Zoned::now().date());
        let due = received.checked_add(jiff::Span::new().days(30))?;
        let request_id = request.id.to_string();
        self.send(
            &self.kgz,
            "KGZ-GMS",
            "KAZ-MVD",
            "ack",
            Some(&case),
            Some(&request_id),
            json!({
                "received_on": received.to_string(),
                "due_on": due.to_string(),
            }),
        )
        .await?;
        let mut record = person.clone();
        record["registration"] = json!([{"address": "Бишкек, ул. Токтогула, 125", "from": "2019-04-02"}]);
        self.send(
            &self.kgz,
            "KGZ-GMS",
            "KAZ-MVD",
            "answer",
            Some(&case),
            Some(&request_id),
            json!({
                "results": [{"category": "registration", "status": "found", "records": [record]}],
                "refusals": [],
            }),
        )
        .await?;
        let received = self.kaz.list(Direction::In, 10).await?.len();
        println!(
            "\n  KAZ now holds {received} message(s) from KGZ; each node checked signature, case step and fields before storing and acknowledging."
        );
        Ok(())
    }

    /// Sends one message from `node` and waits until it is delivered or refused; prints a line.
    #[allow(clippy::too_many_arguments)]
    async fn send(
        &self,
        node: &ExchangeService,
        from: &str,
        to: &str,
        message_type: &str,
        case_id: Option<&str>,
        in_reply_to: Option<&str>,
        body: serde_json::Value,
    ) -> anyhow::Result<MessageRecord> {
        let queued = node
            .send(Outgoing {
                agreement: "KAZ-KGZ-2019".into(),
                from: from.into(),
                to: to.into(),
                message_type: message_type.into(),
                case_id: case_id.map(str::to_owned),
                in_reply_to: in_reply_to.map(str::to_owned),
                signatory: None,
                body,
            })
            .await
            .with_context(|| format!("sending the demo {message_type}"))?;
        let started = std::time::Instant::now();
        let record = loop {
            let sent = node.list(Direction::Out, 100).await?;
            let record =
                sent.into_iter().find(|m| m.id == queued.entry.message_id).context("the message left the outbox")?;
            if record.state != DeliveryState::Pending || started.elapsed() > DELIVERY_WAIT {
                break record;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let outcome = match (&record.state, &record.receipt) {
            (DeliveryState::Delivered, Some(r)) => format!(
                "delivered; receipt signed by {} at {}{}",
                r.receiver.as_deref().unwrap_or("?"),
                r.received_at.map_or_else(|| "?".to_owned(), |t| t.to_string()),
                if r.verified { " (verified)" } else { " (NOT verified)" }
            ),
            (DeliveryState::Rejected, _) => {
                format!("refused by the partner: {}", record.last_error.as_deref().unwrap_or("?"))
            }
            _ => format!("still pending: {}", record.last_error.as_deref().unwrap_or("no answer yet")),
        };
        println!("  {from} → {to}  {message_type:<7} {}  {} #{}  {outcome}", record.id, record.channel, record.seq);
        Ok(record)
    }
}

/// A node over `store` for `state`, with `partner` (its state and endpoint) pinned.
async fn node(
    keys: &Path,
    state: Country,
    partner: (Country, SocketAddr),
    book: &Arc<AgreementBook>,
    store: Store,
) -> anyhow::Result<ExchangeNode> {
    let own = setup::load_keys(&keys.join(state.code().to_ascii_lowercase()))?;
    let theirs = keys.join(partner.0.code().to_ascii_lowercase());
    let spec = PartnerSpec {
        state: partner.0.code().to_owned(),
        endpoint: format!("https://{}", partner.1),
        ca: theirs.join("ca.pem"),
        signatories: theirs.join("signatories.json"),
        node_sha256: Vec::new(),
        server_name: None,
    };
    let partner = setup::load_partner(&spec, state, book).await?;
    let payload_key = setup::payload_key(&PayloadKeySource::DerivedFromNodeKey, &own)?;
    let settings = NodeSettings {
        keys: own,
        payload_key,
        partners: vec![partner],
        max_clock_skew: SignedDuration::from_mins(5),
        backoff: Backoff { base: Duration::from_millis(200), max: Duration::from_secs(5) },
        checkpoints: sapar_node::log::CheckpointPolicy::default(),
    };
    Ok(ExchangeNode::build(settings, Arc::clone(book), store)?)
}

/// `STATE:NUMBER` of the first traveller in the sample, for the printed examples.
fn first_document(sample: &std::path::Path) -> anyhow::Result<String> {
    let mut reader = csv::Reader::from_path(sample)?;
    let row = reader.records().next().context("the sample is empty")??;
    Ok(format!("{}:{}", row.get(7).unwrap_or_default(), row.get(6).unwrap_or_default()))
}

fn print_welcome(
    addr: SocketAddr,
    tokens: &[(Role, String)],
    document: &str,
    db: &str,
    card: Option<&str>,
    keys: &Path,
) {
    let token = |role: Role| tokens.iter().find(|(r, _)| *r == role).map_or("", |(_, t)| t.as_str());
    let border = token(Role::Border);
    let id = uuid::Uuid::now_v7();
    let now = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .in_tz("Asia/Almaty")
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |z| z.to_string());
    println!(
        r#"
Sapar demo register is ready ({db}).

  API:      http://{addr}/api/v1   (OpenAPI: /api/v1/openapi.json, health: /health, metrics: /metrics)
  Tokens:   border   {border}
            officer  {officer}
            analyst  {analyst}
            admin    {admin}

Look up a traveller by passport:

  curl -s -H 'Authorization: Bearer {border}' 'http://{addr}/api/v1/persons?document={document}'

Messages received from the Kyrgyz node, with their receipts (direction=out: those sent, with delivery state):

  curl -s -H 'Authorization: Bearer {officer}' 'http://{addr}/api/v1/exchange/messages?direction=in'

Record an entry at Korday (send it twice: the second answer is the same, marked Idempotent-Replayed):

  curl -si -X POST http://{addr}/api/v1/crossings \
    -H 'Authorization: Bearer {border}' -H 'Content-Type: application/json' \
    -d '{{"id":"{id}","direction":"entry","at":"{now}","crossing_point":"KZ-KORDAY","purpose":"work",
         "document":{{"type":"passport","number":"AC7654321","issuing_state":"KGZ","expiry":"2031-05-01"}},
         "person":{{"native_name":{{"surname":"Асанова","given_names":"Айгүл"}},
                   "latin_name":{{"surname":"ASANOVA","given_names":"AIGUL"}},
                   "sex":"F","birth_date":"1994-03-08","citizenship":"KGZ"}}}}'

{card_help}Press Ctrl-C to stop."#,
        card_help = card.map_or_else(String::new, |card| format!(
            "A migrant card issued at entry, its QR code, and its seal verified offline against the state's CA:\n\n  \
             curl -s -H 'Authorization: Bearer {border}' http://{addr}/api/v1/cards/{card}\n  \
             curl -s -H 'Authorization: Bearer {border}' http://{addr}/api/v1/cards/{card}/qr.png -o card.png\n  \
             sapar card verify --ca {ca} card.png\n\n",
            ca = keys.join("ca.pem").display()
        )),
        officer = token(Role::Officer),
        analyst = token(Role::Analyst),
        admin = token(Role::Admin),
    );
}
