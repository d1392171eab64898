//! The officers' journeys through the real pages in a real headless Chromium: signing in, finding
//! a Cyrillic-recorded person by a Latin spelling, the purpose asked before a person is shown and
//! the access-log row it leaves, the border desk from an MRZ to a recorded entry (and its refusal
//! advice for a banned traveller), deciding a violation and a review pair, recording and lifting
//! an entry ban, a registration of place of stay filed and extended, the control register from
//! inclusion through a removal application decided
//! (an overdue one flagged), the treaty case desk (a partner's request counting down to its
//! deadline, read after the purpose is stated, a delay notice sent from the case page), a halted
//! exchange channel resumed by an administrator, the language switch, signing out, and the refusals (wrong password,
//! missing form token, an expired session, markup typed into a field, a form field at fault,
//! a denial without its appeal route). Each main page is
//! scanned with axe-core; screenshots of them are written to `docs/screenshots/` when
//! `UPDATE_SCREENSHOTS=1`.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_register::access::AccessChannel;
use sapar_register::records::AccessFilter;
use sapar_register::{Actor, ManualClock, Register};
use sapar_test_support::sapar_store::identity::ReviewProposal;
use sapar_test_support::{TestApp, TestDb};
use sapar_web::WebConfig;

use super::Browser;
use super::exchange_nodes::Nodes;
use sapar_register::exchange::CaseDesk;

const PASSWORD: &str = "correct horse battery staple";
const MRZ: &str = "P<KGZASANOV<<BAKYT<<<<<<<<<<<<<<<<<<<<<<<<<<\nAC12345674KGZ9002030M3105010<<<<<<<<<<<<<<04";

/// The API and the pages over a fresh SQLite register whose clock the test moves, with one user
/// per role (`officer`, `border`, `auditor`, `admin`, …, all with [`PASSWORD`]).
struct Workplace {
    app: TestApp,
    register: Register,
    clock: Arc<ManualClock>,
}

impl Workplace {
    async fn start() -> Workplace {
        Workplace::start_adjusted(|register| register).await
    }

    /// The workplace of a register that issues migrant cards under a fresh KAZ CA.
    async fn start_with_cards() -> Workplace {
        let keys = sapar_treaty::keys::init_state_keys(sapar_model::Country::KAZ, &[], Timestamp::now()).unwrap();
        let signer = sapar_card::CardSigner::from_pem(&keys.card_signer.cert_pem, &keys.card_signer.key_pem).unwrap();
        let ca = sapar_treaty::pki::pem_decode_one(&keys.ca.cert_pem, "CERTIFICATE").unwrap();
        let issuer =
            sapar_register::cards::CardIssuer::new(signer, ca, sapar_register::cards::CardPolicy::EveryForeigner);
        Workplace::start_adjusted(move |register| register.with_cards(issuer)).await
    }

    /// The workplace of a Kazakh node that speaks the treaty exchange with a Kyrgyz one.
    async fn start_with_exchange() -> (Workplace, Nodes) {
        let db = TestDb::sqlite().await;
        let nodes = Nodes::start(db.store.clone()).await;
        let desk: Arc<dyn CaseDesk> = nodes.kaz.clone();
        let workplace = Workplace::start_on(db, |register| register, Some(desk)).await;
        (workplace, nodes)
    }

    async fn start_adjusted(adjust: impl FnOnce(Register) -> Register) -> Workplace {
        Workplace::start_on(TestDb::sqlite().await, adjust, None).await
    }

    async fn start_on(
        db: TestDb,
        adjust: impl FnOnce(Register) -> Register,
        case_desk: Option<Arc<dyn CaseDesk>>,
    ) -> Workplace {
        let clock = Arc::new(ManualClock::new(Timestamp::now()));
        let register = adjust(Register::with_embedded_rules(db.store.clone()).unwrap().with_clock(clock.clone()));
        let web_register = register.clone();
        let app = TestApp::start_with(
            db,
            move |state| state.with_web(sapar_web::router_with_cases(web_register, WebConfig::default(), case_desk)),
            sapar_http::ServerSettings::default(),
        )
        .await;
        let admin = Actor::new("setup", Role::Admin);
        for role in Role::ALL {
            register.create_user(&admin, role.as_str(), role, PASSWORD).await.unwrap();
        }
        Workplace { app, register, clock }
    }

    fn url(&self, path: &str) -> String {
        self.app.url(path)
    }

    /// A person recorded by an entry `days_ago`, with these names and document.
    async fn person(&self, document: &str, native: (&str, &str), latin: (&str, &str), days_ago: i64) -> PersonId {
        let at = (self.register.now() - SignedDuration::from_hours(24 * days_ago))
            .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap());
        let raw = sapar_model::RawCrossing {
            id: Some(uuid::Uuid::now_v7().to_string()),
            direction: Some("entry".into()),
            at: Some(at.to_string()),
            crossing_point: Some("KZ-KORDAY".into()),
            purpose: Some("work".into()),
            document_type: Some("passport".into()),
            document_number: Some(document.into()),
            issuing_state: Some("KGZ".into()),
            document_expiry: Some("2031-05-01".into()),
            native_name: sapar_model::RawName {
                surname: Some(native.0.into()),
                given_names: Some(native.1.into()),
                patronymic: None,
            },
            latin_name: sapar_model::RawName {
                surname: Some(latin.0.into()),
                given_names: Some(latin.1.into()),
                patronymic: None,
            },
            sex: Some("M".into()),
            birth_date: Some("1990-02-03".into()),
            citizenship: Some("KGZ".into()),
            mrz: None,
            outcome: None,
            refusal_ground: None,
            refusal_note: None,
        };
        self.register.record_crossing(&Actor::new("setup", Role::Border), &raw).await.unwrap().person_id
    }

    /// The access-log rows about `person`, as an auditor reads them.
    async fn reads_of(&self, person: PersonId) -> Vec<sapar_register::records::AccessEntry> {
        let filter = AccessFilter { person: Some(person), ..AccessFilter::default() };
        self.register.access_log(&Actor::new("auditor", Role::Auditor), &filter, 100, 0).await.unwrap().entries
    }
}

async fn sign_in(browser: &Browser, workplace: &Workplace, name: &str) {
    browser.goto(&workplace.url("/login")).await;
    browser.fill("#name", name).await;
    browser.fill("#password", PASSWORD).await;
    browser.click("#login").await;
    browser.wait_for("#signed-in-as").await;
}

/// Where screenshots go: `docs/screenshots/` of the repository when asked for, else nowhere kept.
fn screenshot_dir() -> Option<PathBuf> {
    (std::env::var("UPDATE_SCREENSHOTS").as_deref() == Ok("1"))
        .then(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots"))
}

async fn scan_and_capture(browser: &Browser, name: &str) {
    browser.assert_no_serious_axe_violations(name).await;
    match screenshot_dir() {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            browser.screenshot(&dir.join(format!("{name}.png"))).await;
        }
        None => {
            let dir = tempfile::tempdir().unwrap();
            browser.screenshot(&dir.path().join(format!("{name}.png"))).await;
        }
    }
}

#[tokio::test]
async fn an_officer_finds_a_cyrillic_person_by_a_latin_spelling_and_opening_them_is_logged_with_the_purpose() {
    let workplace = Workplace::start().await;
    let person = workplace.person("AC7654321", ("Сапаров", "Ерлан"), ("SAPAROV", "ERLAN"), 10).await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;

    browser.goto(&workplace.url("/search")).await;
    browser.fill("#q", "YERLAN").await;
    browser.click("#search-submit").await;
    browser.wait_for("#results").await;
    let results = browser.text_of("#results").await;
    assert!(results.contains("Ерлан") && results.contains("ERLAN"), "both scripts in the results: {results}");
    scan_and_capture(&browser, "search").await;
    let after_search = workplace.reads_of(person).await;
    assert_eq!(after_search.len(), 1, "the hit shown is one logged read");
    assert_eq!(after_search[0].view, "search_hit");

    browser.click("#results a").await;
    browser.wait_for("#purpose-form").await;
    assert_eq!(workplace.reads_of(person).await.len(), 1, "nothing is shown, nor logged, before the purpose");
    scan_and_capture(&browser, "purpose").await;
    browser.fill("#note", "renewal of registration").await;
    browser.click("#purpose-submit").await;
    browser.wait_for("#person-name").await;
    let name = browser.text_of("#person-name").await;
    assert!(name.contains("Сапаров") && name.contains("SAPAROV"), "{name}");
    assert!(browser.text_of("#crossings").await.contains("KZ-KORDAY"));
    assert!(browser.text_of("#stay-verdict").await.contains("90"), "the stay verdict shows the regime's days");
    scan_and_capture(&browser, "person").await;

    let reads = workplace.reads_of(person).await;
    let opened = reads.iter().find(|r| r.view == "person").expect("the person page left an access-log row");
    assert_eq!(opened.actor, "officer");
    assert_eq!(opened.channel, AccessChannel::Web);
    assert_eq!(opened.purpose, ReadPurpose::StayControl);
    assert_eq!(opened.purpose_note.as_deref(), Some("renewal of registration"));
    assert_eq!(opened.address.as_deref(), Some("127.0.0.1"));
    browser.close().await;
}

#[tokio::test]
async fn the_border_desk_checks_an_mrz_and_records_the_entry_with_one_keystroke() {
    let workplace = Workplace::start().await;
    // The traveller overstayed on his old passport: the nightly sweep drafted the violation.
    let old = workplace.person("AC1111111", ("Асанов", "Бакыт"), ("ASANOV", "BAKYT"), 120).await;
    let sweeper = Actor::new("nightly sweep", Role::Admin);
    assert_eq!(workplace.register.sweep_overstays(&sweeper, None).await.unwrap().new_drafts, 1);
    let before = workplace.app.counts().await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "border").await;
    browser.goto(&workplace.url("/border")).await;
    scan_and_capture(&browser, "border-desk").await;
    browser.fill("#mrz", MRZ).await;
    browser.click("#point option[value='KZ-KORDAY']").await;
    browser.click("#check").await;
    // The desk itself has a heading: wait for the answer's own element, not for any `h1`, so the
    // page is not read while the browser replaces it.
    browser.wait_for("#check-result").await;
    let shown = browser.text_of("main").await;
    assert!(shown.contains("ASANOV") && !shown.contains("Есть проблема"), "the check shows the traveller: {shown}");
    // The new passport is not on record, but the overstayer on the old one is found by name,
    // birth date and citizenship: the advice is to refer, and says why.
    let advice = browser.text_of("#advice").await;
    assert!(advice.contains("Направить на дополнительную проверку"), "the advice shows first: {advice}");
    let checks = browser.text_of("#checks").await;
    assert!(checks.contains("Впервые") || checks.contains("впервые"), "a first crossing on this document: {checks}");
    assert!(checks.contains("Асанов") && checks.contains("Treaty on the Eurasian Economic Union"), "{checks}");
    let candidates = browser.source().await;
    assert!(candidates.contains(&format!("/persons/{old}?purpose=border_check")), "the candidate links to his record");
    assert!(browser.text_of("main").await.contains("ASANOV"));
    scan_and_capture(&browser, "border-check").await;
    // The record button has the focus: Enter records.
    browser.press_enter().await;
    browser.wait_for("#recorded").await;
    let after = workplace.app.counts().await;
    assert_eq!(after[2], before[2] + 1, "exactly one crossing recorded");
    assert_eq!(after[0], before[0] + 1, "a new person");
    browser.close().await;
}

#[tokio::test]
async fn an_officer_confirms_a_violation_and_decides_a_review_pair() {
    let workplace = Workplace::start().await;
    let overstayer = workplace.person("AC1111111", ("Асанов", "Бакыт"), ("ASANOV", "BAKYT"), 120).await;
    let sweeper = Actor::new("nightly sweep", Role::Admin);
    let summary = workplace.register.sweep_overstays(&sweeper, None).await.unwrap();
    assert_eq!((summary.overstayers, summary.new_registration_drafts), (1, 1));
    // Nobody registered his place of stay either: that draft is decided apart, leaving the
    // overstay alone in the queue.
    let drafted = workplace.register.violations_of(&officer_access(), overstayer).await.unwrap();
    let failure = drafted.iter().find(|v| v.kind == "registration_failure").unwrap();
    let dismiss = sapar_register::violations::ViolationVerdict::Dismiss;
    let no_penalty = sapar_register::violations::RawPenalty::default();
    let officer = sapar_register::access::Access::new(
        Actor::new("officer", Role::Officer),
        ReadPurpose::Enforcement,
        AccessChannel::Cli,
    );
    workplace
        .register
        .decide_violation(&officer, failure.id, dismiss, Some("registered on paper"), &no_penalty)
        .await
        .unwrap();
    let a = workplace.person("AC2222222", ("Токтогулов", "Нурлан"), ("TOKTOGULOV", "NURLAN"), 5).await;
    let b = workplace.person("AC3333333", ("Токтогулов", "Нурлан"), ("TOKTOGULOV", "NURLAN"), 3).await;
    let explanation = sapar_register::linking::StoredExplanation {
        version: sapar_register::linking::EXPLANATION_VERSION,
        prior_weight: -10.0,
        weight: 6.0,
        probability: 0.97,
        fields: vec![sapar_register::linking::StoredContribution {
            field: "surname".into(),
            level: "exact".into(),
            weight: 8.5,
            rarity_weighted: true,
        }],
        summary: "surname exact".into(),
    };
    let proposal =
        ReviewProposal { a, b, probability: 0.97, weight: 6.0, explanation: explanation.to_stored().unwrap() };
    workplace.app.store.propose_review_items(vec![proposal], Timestamp::now()).await.unwrap();

    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;
    browser.goto(&workplace.url("/queues/violations")).await;
    browser.wait_for("#violations").await;
    assert!(browser.text_of("#violations").await.contains("ASANOV"));
    // Once the page has loaded, the navigation counts what waits: one draft, one pair.
    assert_eq!(browser.text_of("#count-nav-violations").await, "1");
    assert_eq!(browser.text_of("#count-nav-review").await, "1");
    scan_and_capture(&browser, "violations").await;
    // Taken first: only then does the row offer the decision.
    assert!(!browser.source().await.contains(r#"value="confirm" class="govuk-button govuk-!-margin-bottom-0""#));
    browser.click("#violations button[id^=claim-]").await;
    browser.wait_for("#violations button[value=confirm]").await;
    scan_and_capture(&browser, "violations-claimed").await;
    browser.click("#violations button[value=confirm]").await;
    browser.wait_for("#queue-empty").await;
    let violations = workplace.register.violations_of(&officer_access(), overstayer).await.unwrap();
    let overstay = violations.iter().find(|v| v.kind == "overstay").unwrap();
    assert_eq!(overstay.status.as_str(), "confirmed");
    assert_eq!(overstay.decision.as_ref().unwrap().by, "officer");

    // A pair is taken before it is decided too; one another officer holds shows who.
    let pair = workplace.app.store.pending_review_items(1, 0).await.unwrap()[0].id;
    let colleague = Actor::new("b.nurlanov", Role::Officer);
    workplace.register.claim_review(&colleague, pair).await.unwrap();
    browser.goto(&workplace.url("/queues/review")).await;
    browser.wait_for(".sapar-pair").await;
    assert!(browser.text_of(&format!("#claimed-{pair}")).await.contains("b.nurlanov"));
    assert!(!browser.source().await.contains("value=\"non_match\""), "another's pair offers the decision");
    workplace.register.release_review(&colleague, pair).await.unwrap();
    browser.goto(&workplace.url("/queues/review")).await;
    browser.click(&format!("#claim-{pair}")).await;
    browser.wait_for(".sapar-pair button[value=non_match]").await;
    scan_and_capture(&browser, "review").await;
    browser.click(".sapar-pair button[value=non_match]").await;
    browser.wait_for("#queue-empty").await;
    assert!(workplace.register.review_claims(&colleague).await.unwrap().is_empty(), "the decision dropped the claim");
    browser.close().await;
}

fn officer_access() -> sapar_register::access::Access {
    sapar_register::access::Access::new(Actor::new("test", Role::Officer), ReadPurpose::Audit, AccessChannel::Cli)
}

#[tokio::test]
async fn kazakh_is_one_click_away_and_stays_chosen_then_signing_out_ends_the_session() {
    let workplace = Workplace::start().await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;
    browser.goto(&workplace.url("/search")).await;
    assert!(browser.text_of("h1").await.contains("Поиск"), "Russian by default");
    browser.click("a[hreflang=kk]").await;
    browser.wait_for("html[lang=kk]").await;
    let heading = browser.text_of("h1").await;
    assert!(!heading.contains("Поиск") && !heading.is_empty(), "Kazakh heading: {heading}");
    browser.goto(&workplace.url("/queues/violations")).await;
    browser.wait_for("html[lang=kk]").await;

    browser.click("#logout").await;
    browser.wait_for("#login").await;
    browser.goto(&workplace.url("/search")).await;
    browser.wait_for("#login").await;
    assert!(browser.current_url().await.contains("/login?next=%2Fsearch"));
    browser.close().await;
}

#[tokio::test]
async fn an_expired_session_goes_to_login_and_then_back_to_the_page_asked_for() {
    let workplace = Workplace::start().await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "auditor").await;
    workplace.clock.advance(SignedDuration::from_mins(31));
    browser.goto(&workplace.url("/audit?purpose=audit")).await;
    browser.wait_for("#expired").await;
    scan_and_capture(&browser, "login").await;
    browser.fill("#name", "auditor").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("#login").await;
    browser.wait_for("#access-log").await;
    assert!(browser.current_url().await.ends_with("/audit?purpose=audit"));
    scan_and_capture(&browser, "audit").await;
    browser.close().await;
}

#[tokio::test]
async fn a_wrong_password_gets_one_generic_message_and_markup_typed_anywhere_is_shown_as_text() {
    let workplace = Workplace::start().await;
    let browser = Browser::start().await;
    browser.goto(&workplace.url("/login")).await;
    browser.fill("#name", "officer").await;
    browser.fill("#password", "not the password").await;
    browser.click("#login").await;
    let wrong = browser.text_of("#flash").await;
    browser.fill("#name", "nobody-at-all").await;
    browser.fill("#password", "not the password").await;
    browser.click("#login").await;
    assert_eq!(browser.text_of("#flash").await, wrong, "unknown users and wrong passwords look the same");

    sign_in(&browser, &workplace, "officer").await;
    let markup = "<script>document.title='pwned'</script><b>x</b>";
    browser.goto(&workplace.url("/search")).await;
    browser.fill("#q", markup).await;
    browser.click("#search-submit").await;
    browser.wait_for("#q").await;
    let value = browser.wait_for("#q").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(value, markup, "the search box shows exactly what was typed");
    let source = browser.source().await;
    assert!(!source.contains("<script>document.title"), "typed markup is escaped in the page");
    assert!(!browser.title().await.contains("pwned"));
    browser.close().await;
}

#[tokio::test]
async fn a_form_without_this_sessions_token_is_refused_and_changes_nothing() {
    let workplace = Workplace::start().await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "admin").await;
    browser.goto(&workplace.url("/admin/users")).await;
    scan_and_capture(&browser, "users").await;
    let session = browser
        .cookies()
        .await
        .into_iter()
        .find(|c| c.name() == "sapar_session")
        .expect("the session cookie")
        .value()
        .to_owned();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client
        .post(workplace.url("/admin/users"))
        .header("Cookie", format!("sapar_session={session}"))
        .form(&[("name", "intruder"), ("role", "admin"), ("password", "a long enough password")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(response.text().await.unwrap().contains("<html"), "the refusal is a page");
    let users = workplace.register.users(&Actor::new("check", Role::Admin)).await.unwrap();
    assert!(users.iter().all(|u| u.name != "intruder"), "no user was created");
    browser.close().await;
}

#[tokio::test]
async fn an_officer_records_an_entry_ban_is_shown_the_field_at_fault_and_lifts_the_ban_with_reasons() {
    let workplace = Workplace::start().await;
    let person = workplace.person("AC7000111", ("Токтосунов", "Азамат"), ("TOKTOSUNOV", "AZAMAT"), 3).await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;
    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=enforcement"))).await;
    browser.wait_for("#no-bans").await;
    browser.click("#record-ban").await;
    browser.fill("#from", "2026-01-10").await;
    browser.fill("#until", "2025-01-09").await;
    browser.click("#ground option[value='expulsion']").await;
    browser.fill("#basis", "Закон РК «О миграции населения», ст. 67").await;
    browser.fill("#decision_ref", "№ 2-77/2026 <b>от</b> 05.01.2026").await;
    browser.click("#ban-submit").await;

    browser.wait_for("#error-summary").await;
    assert_eq!(browser.text_of("#error-summary a[href='#until']").await, "Последний день раньше первого.");
    assert!(browser.text_of("#until-error").await.contains("Последний день раньше первого."));
    let source = browser.source().await;
    assert!(source.contains(r#"aria-invalid="true""#), "the field at fault is marked invalid");
    assert!(source.contains("№ 2-77/2026 &lt;b&gt;от&lt;/b&gt; 05.01.2026"), "what was typed is kept, as text");
    assert!(workplace.register.bans_of(&officer_access(), person).await.unwrap().is_empty(), "nothing stored");
    scan_and_capture(&browser, "ban-form").await;

    browser.fill("#until", "2031-01-09").await;
    browser.click("#ban-submit").await;
    browser.wait_for("#ban-list").await;
    let bans = browser.text_of("#ban-list").await;
    assert!(bans.contains("Действует") && bans.contains("10.01.2026 — 09.01.2031"), "{bans}");
    assert!(bans.contains("№ 2-77/2026 <b>от</b> 05.01.2026"), "markup shows as text: {bans}");
    let events = browser.text_of("#event-list").await;
    assert!(events.contains("Внесён запрет въезда") && events.contains("KGZ"), "{events}");

    browser.click("#ban-list a").await;
    browser.wait_for("#lift-form").await;
    browser.click("#lift-submit").await;
    browser.wait_for("#reason-error").await;
    assert!(browser.text_of("#error-summary").await.contains("Укажите причины решения."));
    browser.fill("#reason", "Постановление о выдворении отменено апелляционной инстанцией").await;
    browser.click("#lift-submit").await;
    browser.wait_for("#ban-list").await;
    let today = workplace.register.today();
    let lifted = browser.text_of("#ban-list").await;
    let day = format!("{:02}.{:02}.{}", today.day(), today.month(), today.year());
    assert!(lifted.contains(&format!("Снят с {day}")) && lifted.contains("отменено"), "{lifted}");
    let stored = workplace.register.bans_of(&officer_access(), person).await.unwrap();
    assert_eq!(stored[0].lift.as_ref().map(|l| (l.from, l.by.as_str())), Some((today, "officer")));
    browser.close().await;
}

#[tokio::test]
async fn the_border_desk_advises_refusal_for_a_traveller_under_an_entry_ban_and_cites_it() {
    let workplace = Workplace::start().await;
    // The MRZ's holder, known from an earlier stay, and banned since.
    let person = workplace.person("AC1234567", ("Асанов", "Бакыт"), ("ASANOV", "BAKYT"), 60).await;
    let today = workplace.register.today();
    let ban = sapar_register::bans::RawBan {
        from: today.yesterday().unwrap().to_string(),
        until: today.checked_add(jiff::Span::new().years(5)).unwrap().to_string(),
        ground: "court_decision".into(),
        basis: "Закон РК «О миграции населения», ст. 48".into(),
        decision_ref: "№ 2-704/2026".into(),
        decided_by: None,
    };
    workplace.register.record_ban(&Actor::new("officer", Role::Officer), person, &ban).await.unwrap();
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "border").await;
    browser.goto(&workplace.url("/border")).await;
    browser.fill("#mrz", MRZ).await;
    browser.click("#point option[value='KZ-KORDAY']").await;
    browser.click("#check").await;
    browser.wait_for("#check-result").await;
    let advice = browser.text_of("#advice").await;
    assert!(advice.contains("Отказать во въезде"), "{advice}");
    let checks = browser.text_of("#checks").await;
    assert!(
        checks.contains("Запрет въезда до") && checks.contains("№ 2-704/2026") && checks.contains("ст. 48"),
        "the ban is named with its decision and basis: {checks}"
    );
    // The officer refuses entry on the ground the ban gives, with a note.
    let before = workplace.register.person(&officer_access(), person).await.unwrap().record;
    browser.fill("#refusal_note", "запрет въезда по решению суда").await;
    browser.click("#refuse-entry").await;
    browser.wait_for("#recorded").await;
    assert!(browser.text_of("#recorded").await.contains("Отказ во въезде записан"));
    let after = workplace.register.person(&officer_access(), person).await.unwrap().record;
    assert_eq!(after.crossings, before.crossings, "a refusal is no crossing");
    assert_eq!(after.refusals.len(), 1);
    assert!(matches!(
        &after.refusals[0].outcome,
        sapar_model::Outcome::Refused { ground: sapar_model::RefusalGround::EntryBan, note: Some(note) }
            if note == "запрет въезда по решению суда"
    ));
    browser.close().await;
}

/// 1 June 2026, 10:00 in Almaty: a day whose production calendar (and the ten working days after
/// it) the register holds, whatever day the test runs on.
fn june_2026() -> Timestamp {
    "2026-06-01T05:00:00Z".parse().unwrap()
}

fn russian_date(day: jiff::civil::Date) -> String {
    format!("{:02}.{:02}.{}", day.day(), day.month(), day.year())
}

#[tokio::test]
async fn an_officer_includes_a_person_files_a_removal_application_and_grants_it_before_its_deadline() {
    let workplace = Workplace::start().await;
    workplace.clock.set(june_2026());
    let person = workplace.person("AC7000222", ("Жумабеков", "Нурбек"), ("ZHUMABEKOV", "NURBEK"), 3).await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;

    // The person page: not listed, and the inclusion form one link away.
    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=enforcement"))).await;
    browser.wait_for("#no-controls").await;
    browser.click("#include-control").await;
    browser.wait_for("#include-form").await;
    browser.click("#ground option[value='permit_expired_or_annulled']").await;
    browser.fill("#decision_ref", "№ 5-118/2026").await;
    browser.fill("#decided_on", "2026-05-29").await;
    browser.fill("#basis", "Закон РК «О миграции населения», ст. 48").await;
    scan_and_capture(&browser, "control-include-form").await;
    browser.click("#include-submit").await;

    // The entry: ground, basis, decision, restrictions; nobody told yet.
    browser.wait_for("#entry-status").await;
    assert!(browser.text_of("#entry-status").await.contains("В реестре"));
    let summary = browser.text_of("#entry-summary").await;
    assert!(summary.contains("Истечение срока или аннулирование визы либо разрешения"), "{summary}");
    assert!(summary.contains("ст. 48") && summary.contains("№ 5-118/2026, 29.05.2026"), "{summary}");
    assert!(summary.contains("officer"), "who decided: {summary}");
    assert!(browser.text_of("#restriction-list").await.contains("регистрация брака"));
    browser.wait_for("#no-notices").await;
    let name = browser.text_of("#person-name").await;
    assert!(name.contains("Жумабеков") && name.contains("ZHUMABEKOV"), "both scripts: {name}");

    // The notice: recorded, and printable in Russian and Kyrgyz (a citizen of Kyrgyzstan).
    browser.click("#channel option[value='in_person']").await;
    browser.click("#notice-submit").await;
    browser.wait_for("#notice-list").await;
    let notices = browser.text_of("#notice-list").await;
    assert!(notices.contains("01.06.2026") && notices.contains("Вручено лично"), "{notices}");
    browser.click("#notice-print").await;
    browser.wait_for("#notice-text").await;
    let notice = browser.text_of("#notice-text").await;
    assert!(notice.contains("РЕЕСТР КОНТРОЛИРУЕМЫХ ЛИЦ") && notice.contains("БИЛДИРҮҮ"), "{notice}");
    browser.click("#notice-back").await;

    // A removal application, due ten working days after filing.
    browser.click("#file-application").await;
    browser.wait_for("#application-form").await;
    browser.click("label[for='applicant']").await;
    browser.fill("#applicant_name", "Жумабеков Нурбек").await;
    browser.click("#grounds option[value='legalised_status']").await;
    browser.fill("#statement", "Получено разрешение на временное проживание").await;
    browser.fill("#documents", "Разрешение № 0012345").await;
    scan_and_capture(&browser, "control-application-form").await;
    browser.click("#application-submit").await;
    browser.wait_for("#application-list").await;
    let today = workplace.register.today();
    let due = workplace.register.removal_due(today).unwrap();
    assert_eq!(due, jiff::civil::date(2026, 6, 15), "ten working days on Kazakhstan's calendar");
    let applications = browser.text_of("#application-list").await;
    assert!(applications.contains(&russian_date(due)) && applications.contains("Ждёт решения"), "{applications}");
    assert!(!applications.contains("Просрочено"), "not overdue on the day it was filed: {applications}");
    scan_and_capture(&browser, "control-entry").await;

    // The register's list, after the purpose: the person in both scripts, the deadline, not overdue.
    browser.goto(&workplace.url("/control-register")).await;
    browser.wait_for("#purpose-form").await;
    browser.click("#purpose-submit").await;
    browser.wait_for("#control-list").await;
    let list = browser.text_of("#control-list").await;
    assert!(list.contains("Жумабеков") && list.contains("ZHUMABEKOV") && list.contains(&russian_date(due)), "{list}");
    assert!(browser.source().await.matches("sapar-overdue").count() == 0, "nothing overdue: {list}");
    scan_and_capture(&browser, "control-register").await;

    // The decision, three days later (a new session) and before the deadline: a denial needs
    // its appeal route.
    workplace.clock.advance(SignedDuration::from_hours(24 * 3));
    sign_in(&browser, &workplace, "officer").await;
    browser.goto(&workplace.url("/control-register?purpose=enforcement")).await;
    browser.click("#control-list a").await;
    browser.wait_for("#application-list").await;
    browser.click("#application-list a").await;
    browser.wait_for("#decide-form").await;
    assert!(browser.text_of("#decide-due").await.contains(&russian_date(due)));
    browser.click("label[for='decision-deny']").await;
    browser.fill("#reasons", "Разрешение не представлено в подлиннике").await;
    browser.click("#decide-submit").await;
    browser.wait_for("#error-summary").await;
    let refusal = "В отказе указывается, куда и в какой срок его можно обжаловать: заполните порядок обжалования.";
    assert_eq!(browser.text_of("#error-summary a[href='#appeal_route']").await, refusal);
    assert!(browser.text_of("#appeal_route-error").await.contains(refusal));
    assert!(browser.source().await.contains(r#"aria-invalid="true""#), "the field at fault is marked invalid");
    let access = officer_access();
    let listed = workplace.register.control_entries_of(&access, person).await.unwrap();
    assert!(listed[0].applications[0].decision.is_none(), "the refused denial stored nothing");
    scan_and_capture(&browser, "control-decide-form").await;

    browser.click("label[for='decision']").await;
    browser.fill("#reasons", "Пребывание узаконено разрешением на временное проживание").await;
    browser.click("#decide-submit").await;
    browser.wait_for("#entry-status").await;
    assert!(browser.text_of("#entry-status").await.contains("Исключён"));
    let history = browser.text_of("#history-list").await;
    assert!(history.contains("Заявление удовлетворено") && history.contains("Исключён из реестра"), "{history}");
    assert!(browser.text_of("#application-list").await.contains("Удовлетворить"), "the decision is shown");

    let stored = workplace.register.control_entries_of(&access, person).await.unwrap();
    let removal = stored[0].entry.removal.as_ref().expect("the entry was removed");
    assert_eq!(removal.reason.as_str(), "application_granted");
    assert_eq!(removal.by, "officer");
    let decided = stored[0].applications[0].decision.as_ref().expect("the application was decided");
    assert!(decided.at.to_zoned(jiff::tz::TimeZone::UTC).date() <= due, "decided before the deadline");

    // Back on the person page: removed, and the person may be included again.
    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=enforcement"))).await;
    let controls = browser.text_of("#control-entries").await;
    assert!(controls.contains("Исключён") && controls.contains("заявление об исключении удовлетворено"), "{controls}");
    browser.wait_for("#include-control").await;
    let events = browser.text_of("#event-list").await;
    assert!(
        events.contains("Включён в реестр контролируемых лиц") && events.contains("Исключён из реестра"),
        "{events}"
    );
    browser.close().await;
}

#[tokio::test]
async fn an_overdue_application_is_flagged_a_second_inclusion_and_a_bad_notice_are_refused_and_a_cancelled_decision_removes()
 {
    let workplace = Workplace::start().await;
    workplace.clock.set(june_2026());
    let person = workplace.person("AC7000333", ("Исаков", "Тилек"), ("ISAKOV", "TILEK"), 5).await;
    let officer = Actor::new("officer", Role::Officer);
    let inclusion = sapar_register::control::RawInclusion {
        ground: Some("illegal_entry".into()),
        decision_ref: Some("№ 7-01/2026".into()),
        ..Default::default()
    };
    let entry = workplace.register.include_in_control(&officer, person, &inclusion).await.unwrap();
    let application = sapar_register::control::RawApplication {
        applicant: "representative".into(),
        applicant_name: "Адвокат Осмонов".into(),
        grounds: "error".into(),
        statement: "Въезд был законным".into(),
        documents: Vec::new(),
    };
    workplace.register.file_removal_application(&officer, entry.id, &application).await.unwrap();
    workplace.clock.advance(SignedDuration::from_hours(24 * 20));

    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;
    browser.goto(&workplace.url("/control-register?purpose=enforcement")).await;
    browser.wait_for("#control-list").await;
    assert!(browser.text_of("#control-list .sapar-overdue").await.contains("Просрочено"));
    assert!(browser.text_of("#control-overdue-count").await.contains('1'));
    browser.click("#control-list a").await;
    browser.wait_for("#application-list").await;
    assert!(browser.text_of("#application-list .sapar-overdue").await.contains("Просрочено"));

    // Including the listed person again is refused, in the error summary, with the entry linked.
    browser.goto(&workplace.url(&format!("/persons/{person}/control/new?purpose=enforcement"))).await;
    browser.click("#ground option[value='court_sentence']").await;
    browser.fill("#decision_ref", "№ 1-2/2026").await;
    browser.click("#include-submit").await;
    browser.wait_for("#error-summary").await;
    assert!(browser.text_of("#error-summary").await.contains("Лицо уже состоит в реестре контролируемых лиц."));
    browser.click("#listed-entry").await;
    browser.wait_for("#entry-status").await;
    assert!(browser.current_url().await.contains(&entry.id.to_string()));

    // A notice with a day that is no date comes back with the field at fault, recording nothing.
    browser.click("#channel option[value='post']").await;
    browser.fill("#sent_on", "31.06.2026").await;
    browser.click("#notice-submit").await;
    browser.wait_for("#sent_on-error").await;
    assert_eq!(browser.text_of("#error-summary a[href='#sent_on']").await, "Введите дату в виде ГГГГ-ММ-ДД.");
    browser.wait_for("#no-notices").await;

    // The decision the inclusion rested on is cancelled: reasons are required, then it is removed.
    browser.click("#cancel-decision").await;
    browser.wait_for("#cancel-form").await;
    browser.click("#cancel-submit").await;
    browser.wait_for("#reasons-error").await;
    assert!(browser.text_of("#error-summary").await.contains("Укажите причины решения."));
    browser.fill("#reasons", "Постановление № 7-01/2026 отменено судом 20.06.2026").await;
    browser.click("#cancel-submit").await;
    browser.wait_for("#history-list").await;
    assert!(browser.text_of("#entry-status").await.contains("Исключён"));
    let history = browser.text_of("#history-list").await;
    assert!(history.contains("решение отменено: Постановление № 7-01/2026 отменено судом"), "{history}");
    let stored = workplace.register.control_entries_of(&officer_access(), person).await.unwrap();
    assert_eq!(stored[0].entry.removal.as_ref().map(|r| r.reason.as_str()), Some("decision_cancelled"));
    assert!(stored[0].notices.is_empty(), "the refused notice stored nothing");
    browser.close().await;
}

#[tokio::test]
async fn an_officer_records_an_employers_fine_is_shown_the_amount_at_fault_and_records_its_payment() {
    let workplace = Workplace::start().await;
    let person = workplace.person("AC7000222", ("Мамытов", "Нурлан"), ("MAMYTOV", "NURLAN"), 5).await;
    let yesterday = workplace.register.today().yesterday().unwrap();
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;
    // The employer first: a BIN failing its control digit is refused at the field.
    browser.goto(&workplace.url("/employers")).await;
    browser.wait_for("#no-employers").await;
    browser.fill("#registration_number", "0805 4000 2495").await;
    browser.fill("#name", "ТОО «Стройсервис Алатау»").await;
    browser.fill("#region", "г. Алматы").await;
    browser.click("#employer-submit").await;
    browser.wait_for("#registration_number-error").await;
    assert!(browser.text_of("#error-summary").await.contains("контрольная"));
    browser.fill("#registration_number", "0805 4000 2494").await;
    browser.click("#employer-submit").await;
    browser.wait_for("#employer-name").await;
    assert!(browser.text_of("main").await.contains("080540002494"));
    let company = workplace.register.employers(&Actor::new("check", Role::Officer), None, 10, 0).await.unwrap();
    assert_eq!(company.len(), 1, "recorded once, after the refusal");
    let company = &company[0];
    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=enforcement"))).await;
    browser.click("#record-violation").await;
    browser.wait_for("#violation-form").await;
    browser.click("#kind option[value='employer_violation']").await;
    browser.fill("#detected_on", &yesterday.to_string()).await;
    browser.click(&format!("#employer_id option[value='{company}']", company = company.id)).await;
    browser.fill("#decision_ref", "АП-2026/1002").await;
    browser.fill("#fine_amount", "-700").await;
    browser.click("#violation-submit").await;

    browser.wait_for("#error-summary").await;
    assert!(browser.text_of("#fine_amount-error").await.contains("целое число не меньше нуля"));
    assert!(browser.source().await.contains(r#"aria-invalid="true""#), "the field at fault is marked invalid");
    assert!(workplace.register.violations_of(&officer_access(), person).await.unwrap().is_empty(), "nothing stored");
    scan_and_capture(&browser, "violation-form").await;

    browser.fill("#fine_amount", "700").await;
    browser.click("#violation-submit").await;
    browser.wait_for("#violation-list").await;
    let listed = browser.text_of("#violation-list").await;
    assert!(listed.contains("Незаконное привлечение иностранной рабочей силы"), "{listed}");
    assert!(listed.contains("519") && listed.contains("700 MRP") && listed.contains("не оплачен"), "{listed}");

    browser.click("#violation-list a").await;
    browser.wait_for("#payment-form").await;
    browser.fill("#paid_on", &yesterday.to_string()).await;
    browser.click("#payment-submit").await;
    browser.wait_for("#reference-error").await;
    browser.fill("#reference", "KASPI-7781230045").await;
    browser.click("#payment-submit").await;
    browser.wait_for("#violation-list").await;
    let paid = browser.text_of("#violation-list").await;
    assert!(paid.contains("оплачен") && !paid.contains("не оплачен"), "{paid}");
    let stored = workplace.register.violations_of(&officer_access(), person).await.unwrap();
    let payment = stored[0].fine.as_ref().and_then(|f| f.payment.as_ref()).map(|p| (p.paid_on, p.reference.clone()));
    assert_eq!(payment, Some((yesterday, "KASPI-7781230045".to_owned())));
    assert_eq!(stored[0].employer_id, Some(company.id));
    // The employer's page lists its fine and links to the worker.
    browser.goto(&workplace.url(&format!("/employers/{}", company.id))).await;
    browser.wait_for("#employer-violations").await;
    let fines = browser.text_of("#employer-violations").await;
    assert!(fines.contains("700 MRP") && fines.contains("оплачен"), "{fines}");
    assert!(browser.source().await.contains(&format!("/persons/{person}?purpose=enforcement")));
    scan_and_capture(&browser, "employer").await;
    browser.close().await;
}

#[tokio::test]
async fn a_border_officer_sees_the_card_prints_it_and_the_holder_reads_their_own_status_in_kyrgyz() {
    let workplace = Workplace::start_with_cards().await;
    let person = workplace.person("AC7000333", ("Асанов", "Бакыт"), ("ASANOV", "BAKYT"), 5).await;
    let first = workplace.register.cards_of(&officer_access(), person).await.unwrap().remove(0);
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "border").await;

    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=border_check"))).await;
    browser.wait_for("#card-summary").await;
    assert_eq!(browser.text_of("#card-number").await, first.number);
    assert!(browser.text_of("#card-status").await.contains("Действительна"));
    assert!(browser.source().await.contains("data:image/svg+xml;base64,"), "the QR code is drawn in the page");
    scan_and_capture(&browser, "person-card").await;

    browser.click("#card-print").await;
    browser.wait_for("#printable-card").await;
    let card = browser.text_of("#printable-card").await;
    assert!(card.contains("Асанов") && card.contains("ASANOV") && card.contains(&first.number), "{card}");
    scan_and_capture(&browser, "card-print").await;
    let (status, content_type, size, start) = browser.fetch_link("#card-pdf").await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"), "the printable card's PDF");
    assert!(start.starts_with("%PDF-") && size > 10_000, "a PDF of {size} bytes starting {start:?}");

    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=border_check"))).await;
    browser.click("#issue-card").await;
    // The answer is the same page with the new card: wait until it shows another number.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while browser.text_of("#card-number").await == first.number {
        assert!(std::time::Instant::now() < deadline, "the page never showed a new card");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let cards = workplace.register.cards_of(&officer_access(), person).await.unwrap();
    assert_eq!(cards.len(), 2, "a new card on request");
    assert_eq!(browser.text_of("#card-number").await, cards[1].number, "the page shows the new card");

    // The holder, without an account: a wrong birth date gets the one message, then the status.
    browser.goto(&workplace.url("/self?lang=ky")).await;
    browser.wait_for("#self-submit").await;
    browser.fill("#document_number", "AC7000333").await;
    browser.fill("#card_number", &cards[1].number).await;
    browser.fill("#birth_date", "1990-02-04").await;
    browser.click("#self-submit").await;
    browser.wait_for("#flash").await;
    assert!(browser.text_of("#flash").await.contains("туура келбейт"), "the Kyrgyz refusal");
    browser.fill("#birth_date", "1990-02-03").await;
    browser.click("#self-submit").await;
    browser.wait_for("#self-status").await;
    assert!(browser.text_of("#self-days-used").await.contains('6'), "{}", browser.text_of("#self-days-used").await);
    assert!(browser.text_of("#self-control").await.contains("контролдук тизмеде жоксуз"));
    assert!(browser.text_of("#self-registration").await.contains("Азырынча катталган эмес"));
    scan_and_capture(&browser, "self-service").await;
    let own = workplace.reads_of(person).await.into_iter().filter(|r| r.view == "self_status").count();
    assert_eq!(own, 1, "the status shown is one logged read, the refusal none");
    browser.close().await;
}

#[tokio::test]
async fn an_officer_registers_a_place_of_stay_is_shown_the_field_at_fault_and_extends_it() {
    let workplace = Workplace::start().await;
    workplace.clock.set("2026-09-10T06:00:00Z".parse().unwrap());
    // A Kyrgyz citizen who crossed on 7 September 2026 registers by the 30th day after: 7 October.
    let person = workplace.person("AC7000222", ("Осмонов", "Эрлан"), ("OSMONOV", "ERLAN"), 3).await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;
    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=stay_control"))).await;
    browser.wait_for("#registrations").await;
    browser.click("#file-registration").await;
    browser.wait_for("#registration-form").await;
    browser.fill("#locality", "Алматы").await;
    browser.fill("#street", "ул. Жибек Жолы").await;
    browser.fill("#valid_from", "2026-09-10").await;
    browser.fill("#valid_until", "2026-09-09").await;
    browser.click("#party_kind option[value='migrant']").await;
    browser.click("#registration-submit").await;
    browser.wait_for("#error-summary").await;
    assert_eq!(browser.text_of("#error-summary a[href='#region']").await, "Выберите область или город из списка.");
    scan_and_capture(&browser, "registration-form").await;

    browser.click("#region option[value='KZ-75']").await;
    browser.click("#registration-submit").await;
    browser.wait_for("#valid_until-error").await;
    assert!(browser.text_of("#error-summary").await.contains("Срок заканчивается раньше"));
    assert!(browser.source().await.contains(r#"aria-invalid="true""#), "the field at fault is marked invalid");
    let access = officer_access();
    assert!(workplace.register.registrations_of(&access, person).await.unwrap().is_empty(), "nothing stored");

    browser.fill("#valid_until", "2026-10-30").await;
    browser.click("#registration-submit").await;
    browser.wait_for("#registration-list").await;
    let listed = browser.text_of("#registration-list").await;
    assert!(listed.contains("Алматы") && listed.contains("Сам мигрант") && listed.contains("Подана"), "{listed}");
    assert!(listed.contains("07.10.2026") && !listed.contains("С опозданием"), "{listed}");

    browser.click("#registration-list a").await;
    browser.wait_for("#registration-change-form").await;
    browser.fill("#day", "2026-11-30").await;
    browser.click("#registration-extend").await;
    browser.wait_for("#registration-list").await;
    assert!(browser.text_of("#registration-list").await.contains("30.11.2026"));
    let stored = workplace.register.registrations_of(&access, person).await.unwrap();
    assert_eq!(stored[0].registration.channel.as_str(), "web");
    browser.close().await;
}

#[tokio::test]
async fn a_landlord_registers_a_guest_by_passport_and_birth_date_and_sees_nothing_else_of_the_register() {
    let workplace = Workplace::start().await;
    workplace.clock.set("2026-09-10T06:00:00Z".parse().unwrap());
    let person = workplace.person("AC7000444", ("Токтогулов", "Нурлан"), ("TOKTOGULOV", "NURLAN"), 3).await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "host").await;
    browser.click("nav a[href='/host/registrations']").await;
    browser.wait_for("#host-form").await;
    browser.fill("#guest_document_state", "KGZ").await;
    browser.fill("#guest_document_number", "AC7000444").await;
    browser.fill("#guest_birth_date", "1990-02-04").await;
    browser.click("#region option[value='KZ-75']").await;
    browser.fill("#locality", "Алматы").await;
    browser.fill("#street", "ул. Абая").await;
    browser.fill("#building", "12").await;
    browser.fill("#valid_from", "2026-09-10").await;
    browser.fill("#valid_until", "2026-10-30").await;
    browser.click("#party_kind option[value='private_person']").await;
    browser.fill("#party_name", "Сейтова Айжан").await;
    browser.fill("#party_identity", "N12345678").await;
    browser.click("#host-submit").await;
    // A birth date that is not the passport holder's: one message, no hint of who holds it.
    browser.wait_for("#guest_document_number-error").await;
    let message = browser.text_of("#error-summary").await;
    assert!(message.contains("не найден"), "{message}");
    assert!(!browser.source().await.contains("Токтогулов"), "the page names the register's person");
    let access = officer_access();
    assert!(workplace.register.registrations_of(&access, person).await.unwrap().is_empty(), "nothing stored");
    scan_and_capture(&browser, "host-registration").await;

    browser.fill("#guest_birth_date", "1990-02-03").await;
    browser.click("#host-submit").await;
    browser.wait_for("#host-filed").await;
    assert!(browser.text_of("#host-filed").await.contains("Алматы, ул. Абая, 12"));
    // A Kyrgyz citizen registers within 30 days of the entry on 7 September 2026.
    assert!(browser.text_of("#host-on-time").await.contains("07.10.2026"));
    let stored = workplace.register.registrations_of(&access, person).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].registration.filed_by.as_str(), stored[0].registration.channel.as_str()), ("host", "web"));
    assert_eq!(browser.text_of("#host-reference").await, stored[0].registration.id.to_string());
    scan_and_capture(&browser, "host-registration-filed").await;

    // The register itself stays closed to a receiving party.
    browser.goto(&workplace.url(&format!("/persons/{person}?purpose=stay_control"))).await;
    assert!(!browser.source().await.contains("Токтогулов"), "a host opened a person page");
    browser.close().await;
}

#[tokio::test]
async fn an_officer_decides_several_violations_at_once_and_is_told_which_were_skipped() {
    let workplace = Workplace::start().await;
    let first = workplace.person("AC1211111", ("Асанов", "Бакыт"), ("ASANOV", "BAKYT"), 120).await;
    let second = workplace.person("AC1311111", ("Осмонов", "Эрлан"), ("OSMONOV", "ERLAN"), 130).await;
    let third = workplace.person("AC1411111", ("Турдиев", "Азиз"), ("TURDIEV", "AZIZ"), 140).await;
    let sweeper = Actor::new("nightly sweep", Role::Admin);
    workplace.register.sweep_overstays(&sweeper, None).await.unwrap();
    // Only the overstays stay in the queue; the failures to register are decided apart.
    let setup = sapar_register::access::Access::new(
        Actor::new("officer", Role::Officer),
        ReadPurpose::Enforcement,
        AccessChannel::Cli,
    );
    let mut overstay = std::collections::HashMap::new();
    for person in [first, second, third] {
        for v in workplace.register.violations_of(&officer_access(), person).await.unwrap() {
            if v.kind == "overstay" {
                overstay.insert(person, v.id);
            } else {
                let dismiss = sapar_register::violations::ViolationVerdict::Dismiss;
                let none = sapar_register::violations::RawPenalty::default();
                workplace.register.decide_violation(&setup, v.id, dismiss, Some("registered"), &none).await.unwrap();
            }
        }
    }
    // A colleague has taken the third one.
    let colleague = Actor::new("colleague", Role::Officer);
    workplace.register.claim_violation(&colleague, overstay[&third]).await.unwrap();

    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "officer").await;
    browser.goto(&workplace.url("/queues/violations")).await;
    browser.wait_for("#violations").await;
    assert!(browser.text_of(&format!("#claimed-{}", overstay[&third])).await.contains("colleague"));
    browser.click(&format!("#select-{}", overstay[&first])).await;
    browser.click(&format!("#select-{}", overstay[&second])).await;
    browser.fill("#bulk-note", "overstay established from the crossings").await;
    browser.click("#bulk-confirm").await;
    browser.wait_for("#bulk-confirm-form").await;
    let listed = browser.text_of("#bulk-to-decide").await;
    assert!(listed.contains("Асанов") && listed.contains("Осмонов") && !listed.contains("Турдиев"), "{listed}");
    scan_and_capture(&browser, "violations-bulk").await;

    // Meanwhile the colleague takes the second one: it is skipped, the first decided.
    workplace.register.claim_violation(&colleague, overstay[&second]).await.unwrap();
    browser.click("#bulk-go").await;
    browser.wait_for("#bulk-notice").await;
    assert_eq!(browser.text_of("#bulk-notice").await, "Решена 1 запись. Пропущена 1.");
    let status = |person| {
        let register = workplace.register.clone();
        async move {
            let all = register.violations_of(&officer_access(), person).await.unwrap();
            all.into_iter().find(|v| v.kind == "overstay").unwrap().status.as_str()
        }
    };
    assert_eq!(status(first).await, "confirmed");
    assert_eq!(status(second).await, "draft");
    assert_eq!(status(third).await, "draft");
    browser.close().await;
}

#[tokio::test]
async fn art_10_2_an_exchange_officer_opens_a_query_and_a_request_and_what_the_partner_would_refuse_is_not_sent() {
    let (workplace, nodes) = Workplace::start_with_exchange().await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "exchange").await;
    browser.goto(&workplace.url("/cases")).await;
    browser.click("#case-open-link").await;
    browser.wait_for("#case-open-form").await;
    scan_and_capture(&browser, "case-open").await;

    // A hit/no-hit query about a Kyrgyz citizen.
    browser.click("#kind-query").await;
    browser.click("#route option[value='KAZ-KGZ-2019|KAZ-MVD|KGZ-GMS']").await;
    browser.click("#category-registration").await;
    browser.fill("#surname_cyrillic", "Асанов").await;
    browser.fill("#given_latin", "BAKYT").await;
    browser.fill("#birth_date", "1990-02-03").await;
    browser.fill("#citizenship", "kgz").await;
    browser.fill("#purpose", "проверка перед запросом").await;
    browser.click("#case-open-submit").await;
    browser.wait_for("#case-notice").await;
    let notice = browser.text_of("#case-notice").await;
    assert!(notice.contains("Дело открыто") && notice.contains("Запрос о наличии сведений"), "{notice}");
    assert!(browser.text_of("#case-messages").await.contains("person.surname.cyrillic"));

    // A request without its statement of substance is refused as the partner would (Art. 10.2),
    // with what was typed kept; completed, it is sent.
    browser.goto(&workplace.url("/cases/new")).await;
    browser.click("#kind-request").await;
    browser.click("#category-residence_permit").await;
    browser.click("#field-residence_permit").await;
    browser.fill("#surname_cyrillic", "Асанов").await;
    browser.fill("#document_number", "AC1234567").await;
    browser.fill("#purpose", "установление правового статуса").await;
    browser.fill("#justification", "обращение гражданина").await;
    browser.click("#case-open-submit").await;
    browser.wait_for("#error-summary").await;
    assert!(browser.text_of("#error-summary").await.contains("request_incomplete"));
    assert_eq!(nodes.kaz.list(sapar_node::service::Direction::Out, 10).await.unwrap().len(), 1, "the query only");
    browser.fill("#substance", "Сведения о разрешении на проживание").await;
    browser.click("#case-open-submit").await;
    browser.wait_for("#case-notice").await;
    assert!(browser.text_of("#case-notice").await.contains("Дело открыто"));
    for _ in 0..200 {
        if nodes.kgz.list(sapar_node::service::Direction::In, 10).await.unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let received = nodes.kgz.list(sapar_node::service::Direction::In, 10).await.unwrap();
    let types: Vec<&str> = received.iter().map(|m| m.message_type.as_str()).collect();
    assert_eq!(types, ["query", "request"]);
    browser.close().await;
}

#[tokio::test]
async fn art_6_1_and_11_4_an_exchange_officer_answers_a_request_from_the_register_and_refuses_one_category_with_a_ground()
 {
    use sapar_register::registrations::{RawAddress, RawParty, RawRegistration};
    let (workplace, nodes) = Workplace::start_with_exchange().await;
    let person = workplace.person("AC1234567", ("Асанов", "Бакыт"), ("ASANOV", "BAKYT"), 3).await;
    let arrival = (workplace.register.now() - SignedDuration::from_hours(72))
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap())
        .date();
    let registration = RawRegistration {
        address: RawAddress {
            region: "KZ-75".into(),
            locality: "Алматы".into(),
            street: Some("ул. Жибек Жолы".into()),
            building: Some("50".into()),
            flat: None,
        },
        valid_from: arrival.to_string(),
        valid_until: arrival.checked_add(jiff::ToSpan::days(60)).unwrap().to_string(),
        party: RawParty { kind: "migrant".into(), name: None, identity: None },
    };
    workplace
        .register
        .file_registration(
            &Actor::new("officer", Role::Officer),
            person,
            &registration,
            sapar_register::records::FilingChannel::Desk,
        )
        .await
        .unwrap();
    let case_id = nodes
        .request_from_kgz_about(
            &["registration", "expulsion"],
            &["surname", "given_names", "birth_date", "citizenship", "registration", "migration_liability"],
        )
        .await;
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "exchange").await;
    browser.goto(&workplace.url(&format!("/cases/{case_id}?purpose=exchange_request"))).await;
    browser.wait_for("#case-answer-link").await;
    browser.click("#case-answer-link").await;
    browser.wait_for("#answer-form").await;

    // The person found across scripts, taken because the model is sure, with the evidence.
    let candidates = browser.text_of("#answer-candidates").await;
    assert!(candidates.contains("Асанов Бакыт") && candidates.contains("ASANOV BAKYT"), "{candidates}");
    assert!(candidates.contains("Выбрано") && candidates.contains("birth_date: exact"), "{candidates}");
    let registration = browser.text_of("#category-registration").await;
    assert!(registration.contains("KZ-75") && registration.contains("Алматы"), "{registration}");
    assert!(registration.contains("surname.latin") && registration.contains("ASANOV"), "{registration}");
    assert!(browser.text_of("#category-expulsion").await.contains("нет сведений этой категории"));
    let reads = workplace.reads_of(person).await;
    assert!(reads.iter().any(|r| r.view == "exchange_answer" && r.purpose == ReadPurpose::ExchangeRequest));
    scan_and_capture(&browser, "case-answer").await;

    // Refusing the expulsion category needs a ground from the agreement and reasons.
    browser.click("#outcome_expulsion-refuse").await;
    browser.click("#answer-submit").await;
    browser.wait_for("#error-summary").await;
    let summary = browser.text_of("#error-summary").await;
    assert!(summary.contains("Выберите основание отказа") && summary.contains("Укажите причины"), "{summary}");
    assert!(nodes.kaz.list(sapar_node::service::Direction::Out, 10).await.unwrap().is_empty(), "nothing was sent");
    browser.click("#ground_expulsion option[value='security']").await;
    browser.fill("#reasons_expulsion", "сведения о выдворении относятся к материалам проверки").await;
    browser.click("#answer-submit").await;
    browser.wait_for("#case-notice").await;
    assert!(browser.text_of("#case-notice").await.contains("Ответ"), "{}", browser.text_of("#case-notice").await);
    assert!(!browser.source().await.contains("id=\"case-answer-link\""), "an answered case offers no new draft");

    // Kyrgyzstan receives the answer before the deadline: registration found, expulsion refused.
    let case_uuid: uuid::Uuid = case_id.parse().unwrap();
    let mut answered = None;
    for _ in 0..200 {
        let reader = sapar_register::access::Access::new(
            Actor::new("kgz-exchange", Role::Exchange),
            ReadPurpose::ExchangeRequest,
            AccessChannel::Api,
        );
        let theirs = nodes.kgz.case(&reader, case_uuid, Timestamp::now()).await.unwrap();
        if theirs.messages.iter().any(|m| m.message_type == "answer") {
            answered = Some(theirs);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let theirs = answered.expect("Kyrgyzstan did not receive the answer");
    assert_eq!(theirs.summary.deadline.as_ref().unwrap().answered_on_time, Some(true));
    let answer = theirs.messages.iter().find(|m| m.message_type == "answer").unwrap();
    let sapar_register::exchange::CaseBody::Present(body) = &answer.body else { panic!("the answer's body is held") };
    assert_eq!(body["results"][0]["category"], "registration");
    assert_eq!(body["results"][0]["records"][0]["surname"]["cyrillic"], "Асанов");
    assert_eq!(body["results"][0]["records"][0]["registration"][0]["region"], "KZ-75");
    assert_eq!(body["refusals"][0]["ground"], "security");
    assert_eq!(body["refusals"][0]["category"], "expulsion");
    browser.close().await;
}

#[tokio::test]
async fn an_exchange_officer_sees_a_partners_request_count_down_to_its_deadline_and_reads_it_after_stating_why() {
    let (workplace, nodes) = Workplace::start_with_exchange().await;
    let case_id = nodes.request_from_kgz().await;
    let browser = Browser::start().await;

    // Requests are confidential: a border officer has no case desk.
    sign_in(&browser, &workplace, "border").await;
    assert!(!browser.source().await.contains("href=\"/cases\""), "the border desk links to the cases");
    browser.goto(&workplace.url("/cases")).await;
    browser.wait_for("h1").await;
    assert_eq!(browser.text_of("h1").await, "Нет доступа");
    assert!(!browser.source().await.contains(&case_id[..8]), "a border officer saw the case");
    browser.close().await;

    let browser = Browser::start().await;

    sign_in(&browser, &workplace, "exchange").await;
    browser.click("nav a[href='/cases']").await;
    browser.wait_for("#cases").await;
    assert!(browser.text_of("#tab-open").await.contains('1'), "{}", browser.text_of("#tab-open").await);
    let row = browser.text_of("#cases tbody tr").await;
    assert!(row.contains("KGZ") && row.contains("Входящее") && row.contains("Запрос получен"), "{row}");
    assert!(row.contains("Осталось 30 дней"), "the countdown starts at 30 days: {row}");
    scan_and_capture(&browser, "cases").await;

    // 26 days on (signed in again: the session lapsed meanwhile), the request is due soon; 31 days
    // on, it is overdue.
    workplace.clock.advance(SignedDuration::from_hours(24 * 26));
    sign_in(&browser, &workplace, "exchange").await;
    browser.goto(&workplace.url("/cases?status=due_soon")).await;
    browser.wait_for("#cases").await;
    assert_eq!(browser.text_of("#count-nav-cases").await, "1", "the navigation counts the case due soon");
    assert!(browser.text_of("#cases").await.contains("Осталось 4 дня"), "{}", browser.text_of("#cases").await);
    workplace.clock.advance(SignedDuration::from_hours(24 * 5));
    sign_in(&browser, &workplace, "exchange").await;
    browser.goto(&workplace.url("/cases?status=overdue")).await;
    browser.wait_for("#cases").await;
    assert!(browser.text_of("#cases").await.contains("Просрочено на 1 день"), "{}", browser.text_of("#cases").await);
    assert!(browser.text_of("#tab-overdue").await.contains('1'));
    browser.goto(&workplace.url("/cases?status=closed")).await;
    browser.wait_for("#cases-empty").await;

    // Opening the case asks why first; nothing is shown or logged before.
    browser.goto(&workplace.url("/cases?status=overdue")).await;
    browser.click("#cases tbody a").await;
    browser.wait_for("#purpose-form").await;
    let case_uuid: uuid::Uuid = case_id.parse().unwrap();
    assert!(nodes.kaz.case_reads(case_uuid).await.unwrap().is_empty());
    browser.fill("#note", "ответ по ст. 7").await;
    browser.click("#purpose-submit").await;
    browser.wait_for("#case-messages").await;
    assert_eq!(browser.text_of("#case-id").await, case_id);
    let messages = browser.text_of("#case-messages").await;
    assert!(messages.contains("Запрос") && messages.contains("KGZ-GMS → KAZ-MVD"), "{messages}");
    assert!(messages.contains("person.surname.cyrillic") && messages.contains("Асанов"), "{messages}");
    assert!(browser.text_of("#case-deadline").await.contains("Просрочено"));
    scan_and_capture(&browser, "case").await;
    let reads = nodes.kaz.case_reads(case_uuid).await.unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!((reads[0].actor.as_str(), reads[0].purpose), ("exchange", ReadPurpose::ExchangeRequest));
    assert_eq!((reads[0].channel, reads[0].purpose_note.as_deref()), (AccessChannel::Web, Some("ответ по ст. 7")));

    // A delay notice to the partner: without its reason it is not sent; with it, it is signed,
    // queued and delivered, and the case shows it.
    browser.click("#step option[value='delay_notice']").await;
    browser.click("#case-step-submit").await;
    browser.wait_for("#case-notice").await;
    assert_eq!(browser.text_of("#case-notice").await, "Напишите текст сообщения.");
    assert!(!browser.text_of("#case-messages").await.contains("Уведомление о задержке"));
    browser.click("#step option[value='delay_notice']").await;
    browser.fill("#text", "архив в Оше на реконструкции").await;
    browser.fill("#date", "2027-01-20").await;
    browser.click("#case-step-submit").await;
    browser.wait_for("#case-notice").await;
    assert!(browser.text_of("#case-notice").await.contains("Уведомление о задержке"));
    let messages = browser.text_of("#case-messages").await;
    assert!(messages.contains("Уведомление о задержке") && messages.contains("архив в Оше"), "{messages}");
    scan_and_capture(&browser, "case-step").await;
    for _ in 0..200 {
        let received = nodes.kgz.list(sapar_node::service::Direction::In, 10).await.unwrap();
        if received.iter().any(|m| m.message_type == "delay_notice") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let received = nodes.kgz.list(sapar_node::service::Direction::In, 10).await.unwrap();
    assert!(received.iter().any(|m| m.message_type == "delay_notice"), "Kyrgyzstan did not receive the notice");
    assert_eq!(nodes.kaz.case_reads(case_uuid).await.unwrap().len(), 3, "each showing of the case is a logged read");
    browser.close().await;
}

#[tokio::test]
async fn an_administrator_sees_a_halted_exchange_channel_with_its_reason_and_resumes_it() {
    let (workplace, nodes) = Workplace::start_with_exchange().await;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let refused = nodes.request_from_kaz().await;
    let halt = sapar_test_support::sapar_store::exchange::ChannelHalt {
        channel: channel.into(),
        message_id: refused,
        code: "sequence_out_of_order".into(),
        detail: "channel KAZ-KGZ-2019:KAZ>KGZ expects seq 9, got 5 (this node's record: seq 4 delivered)".into(),
        halted_at: Timestamp::now(),
    };
    workplace.app.store.halt_channel(halt).await.unwrap();
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "admin").await;
    browser.click("nav a[href='/admin/channels']").await;
    browser.wait_for("#channels").await;
    let row = browser.text_of("#channel-1").await;
    assert!(row.contains(channel) && row.contains("KGZ") && row.contains("Остановлен"), "{row}");
    assert!(row.contains("sequence_out_of_order") && row.contains("expects seq 9"), "{row}");
    scan_and_capture(&browser, "channels").await;

    browser.click("#resume-1").await;
    browser.wait_for("#channels-notice").await;
    let notice = browser.text_of("#channels-notice").await;
    assert!(notice.contains(channel), "{notice}");
    assert!(browser.text_of("#channel-1").await.contains("Доставляет"));
    assert!(workplace.app.store.channel_halts().await.unwrap().is_empty(), "the halt is still stored");
    browser.close().await;

    // Only administrators look after the channels.
    let browser = Browser::start().await;
    sign_in(&browser, &workplace, "exchange").await;
    browser.goto(&workplace.url("/admin/channels")).await;
    browser.wait_for("h1").await;
    assert_eq!(browser.text_of("h1").await, "Нет доступа");
    browser.close().await;
}
