//! Loading data files: the shipped data is valid, and bad files fail with file, line and reason.

use sapar_rules::{EMBEDDED_CALENDARS, EMBEDDED_REGIMES, Host, LoadError, RuleBook};

fn load_regime(text: &str) -> Result<RuleBook, LoadError> {
    RuleBook::from_sources([("bad.toml", text)], EMBEDDED_CALENDARS.iter().copied())
}

const GOOD: &str = r#"host = "KAZ"
name = "test"
calendar = "KAZ"
default_group = "others"

[groups]
eaeu = ["KGZ"]

[[stay]]
id = "A"
groups = ["eaeu"]
valid_from = "2015-01-01"
basis = "test"
shapes = [{ kind = "rolling", window = 180, max = 90 }]
"#;

#[test]
fn embedded_data_loads_with_every_host() {
    let book = RuleBook::load_embedded().expect("embedded data is valid");
    let hosts: Vec<String> = book.hosts().map(|h| h.to_string()).collect();
    assert_eq!(hosts, ["ARM", "KAZ", "KGZ", "RUS", "SCHENGEN"]);
    assert!(!book.stay_rules(Host::Schengen).expect("schengen").is_empty());
}

#[test]
fn data_directory_loads_like_the_embedded_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let from_dir = RuleBook::load_dir(&dir).expect("data dir loads");
    let embedded = RuleBook::load_embedded().expect("embedded");
    assert_eq!(from_dir.hosts().count(), embedded.hosts().count());
    assert_eq!(EMBEDDED_REGIMES.len(), 5);
}

#[test]
fn minimal_regime_file_loads() {
    load_regime(GOOD).expect("minimal file is valid");
}

fn error_of(text: &str) -> LoadError {
    load_regime(text).expect_err("file must be refused")
}

#[test]
fn toml_syntax_error_names_the_line() {
    let err = error_of(&GOOD.replace("max = 90 }]", "max = 90 ]"));
    assert_eq!((err.file.as_str(), err.line), ("bad.toml", 14), "{err}");
}

#[test]
fn unknown_shape_kind_names_the_line() {
    let err = error_of(&GOOD.replace("\"rolling\"", "\"sliding\""));
    assert_eq!(err.line, 14, "{err}");
    assert!(err.reason.contains("sliding"), "{err}");
}

#[test]
fn unknown_field_is_refused() {
    let err = error_of(&GOOD.replace("basis = \"test\"", "basis = \"test\"\nmaximum = 3"));
    assert!(err.reason.contains("maximum"), "{err}");
    assert_eq!(err.line, 14, "{err}");
}

#[test]
fn rolling_max_over_window_is_refused_with_the_rule_line() {
    let err = error_of(&GOOD.replace("max = 90", "max = 190"));
    assert_eq!(err.line, 9, "{err}");
    assert!(err.reason.contains("max 190"), "{err}");
}

#[test]
fn bad_date_is_refused() {
    let err = error_of(&GOOD.replace("2015-01-01", "2015-13-01"));
    assert_eq!(err.line, 9, "{err}");
    assert!(err.reason.contains("valid_from"), "{err}");
}

#[test]
fn valid_to_before_valid_from_is_refused() {
    let err = error_of(
        &GOOD.replace("valid_from = \"2015-01-01\"", "valid_from = \"2015-01-01\"\nvalid_to = \"2014-01-01\""),
    );
    assert!(err.reason.contains("before valid_from"), "{err}");
}

#[test]
fn overlapping_versions_of_a_rule_are_refused() {
    let text = format!(
        "{GOOD}\n[[stay]]\nid = \"B\"\ngroups = [\"eaeu\"]\nvalid_from = \"2020-01-01\"\nbasis = \"x\"\nshapes = [{{ kind = \"per_entry\", max_days = 30 }}]\n"
    );
    let err = error_of(&text);
    assert_eq!(err.line, 16, "{err}");
    assert!(err.reason.contains("rules A and B both apply to group eaeu on 2020-01-01"), "{err}");
}

#[test]
fn unknown_group_is_refused() {
    let err = error_of(&GOOD.replace("groups = [\"eaeu\"]", "groups = [\"eeu\"]"));
    assert!(err.reason.contains("unknown group \"eeu\""), "{err}");
}

#[test]
fn country_in_two_groups_is_refused() {
    let err = error_of(&GOOD.replace("eaeu = [\"KGZ\"]", "eaeu = [\"KGZ\"]\nother = [\"KGZ\"]"));
    assert_eq!(err.line, 8, "{err}");
}

#[test]
fn unknown_country_code_is_refused_with_its_line() {
    let err = error_of(&GOOD.replace("eaeu = [\"KGZ\"]", "eaeu = [\"KGZ\", \"XYZ\"]"));
    assert_eq!(err.line, 7, "{err}");
    assert!(err.reason.contains("XYZ"), "{err}");
}

#[test]
fn limited_rule_without_shapes_is_refused() {
    let err = error_of(&GOOD.replace("shapes = [{ kind = \"rolling\", window = 180, max = 90 }]", ""));
    assert!(err.reason.contains("needs at least one shape"), "{err}");
}

#[test]
fn working_day_registration_needs_a_calendar() {
    let text = format!(
        "{}\n[[registration]]\nid = \"R\"\ngroups = [\"eaeu\"]\nvalid_from = \"2025-01-01\"\nbasis = \"x\"\ndays = 3\ncounting = \"working_days\"\ncrossing_day_is_day_one = false\n",
        GOOD.replace("calendar = \"KAZ\"\n", "")
    );
    let err = error_of(&text);
    assert_eq!(err.line, 15, "{err}");
    assert!(err.reason.contains("no calendar"), "{err}");
}

#[test]
fn bad_calendar_file_names_the_line() {
    let text = "state = \"KAZ\"\nyear = 2027\n\n[[day_off]]\ndate = \"2027-01-02\"\nreason = \"a Saturday\"\n";
    let err = RuleBook::from_sources([], [("cal.toml", text)]).expect_err("a day off on a Saturday is a mistake");
    assert_eq!((err.file.as_str(), err.line), ("cal.toml", 4), "{err}");
    assert!(err.reason.contains("already a weekend day"), "{err}");
    let text = "state = \"KAZ\"\nyear = 2027\n\n[[holiday]]\ndate = \"2026-01-01\"\n";
    let err = RuleBook::from_sources([], [("cal.toml", text)]).expect_err("wrong year");
    assert!(err.reason.contains("not in the calendar's year 2027"), "{err}");
}

#[test]
fn regime_naming_a_missing_calendar_is_refused() {
    let err = RuleBook::from_sources([("bad.toml", GOOD)], []).expect_err("no KAZ calendar loaded");
    assert!(err.reason.contains("calendar KAZ"), "{err}");
}

#[test]
fn two_files_for_one_host_are_refused() {
    let err = RuleBook::from_sources([("a.toml", GOOD), ("b.toml", GOOD)], EMBEDDED_CALENDARS.iter().copied())
        .expect_err("duplicate host");
    assert!(err.reason.contains("already defined in a.toml"), "{err}");
}

/// GOOD with a `purposes` limit on rule A.
fn with_purposes(limit: &str) -> String {
    GOOD.replace(
        "shapes = [{ kind = \"rolling\", window = 180, max = 90 }]",
        &format!("shapes = [{{ kind = \"rolling\", window = 180, max = 90 }}]\npurposes = {limit}"),
    )
}

#[test]
fn purposes_limit_loads_from_either_list() {
    use sapar_model::Purpose;
    let rule_of = |text: &str| {
        let book = load_regime(text).expect("valid purposes");
        book.stay_rules(Host::State(sapar_model::Country::KAZ)).expect("host")[0].clone()
    };
    let not_covered = rule_of(&with_purposes("{ not_covered = [\"work\", \"study\"], basis = \"b\" }"));
    assert!(!not_covered.covers(Purpose::Work) && !not_covered.covers(Purpose::Study));
    assert!(not_covered.covers(Purpose::Tourism) && not_covered.covers(Purpose::Other));
    assert_eq!(not_covered.purposes.as_ref().map(|l| l.basis.as_str()), Some("b"));
    let covered = rule_of(&with_purposes("{ covered = [\"transit\"], basis = \"b\" }"));
    assert!(covered.covers(Purpose::Transit) && !covered.covers(Purpose::Tourism));
    assert!(rule_of(GOOD).covers(Purpose::Work), "a rule without a limit covers every purpose");
}

#[test]
fn bad_purposes_limits_are_refused_with_the_rule_line() {
    for (limit, reason) in [
        (
            "{ covered = [\"work\"], not_covered = [\"study\"], basis = \"b\" }",
            "exactly one of covered and not_covered",
        ),
        ("{ basis = \"b\" }", "exactly one of covered and not_covered"),
        ("{ not_covered = [\"missionary\"], basis = \"b\" }", "unknown purpose \"missionary\""),
        ("{ not_covered = [\"work\", \"work\"], basis = \"b\" }", "listed twice"),
        ("{ covered = [], basis = \"b\" }", "leaves no purpose covered"),
        ("{ not_covered = [\"work\"], basis = \" \" }", "needs a basis"),
        ("{ not_covered = [\"work\"] }", "basis"),
    ] {
        let err = error_of(&with_purposes(limit));
        assert!(err.reason.contains(reason), "{limit}: {err}");
        assert!(err.line >= 9, "{limit}: {err}");
    }
}

#[test]
fn registration_rules_name_who_is_liable_receiving_party_unless_the_data_says_the_migrant() {
    let book = RuleBook::load_embedded().unwrap();
    let rules = book.registration_rules(Host::State(sapar_model::Country::KAZ)).unwrap();
    let liable = |id: &str| rules.iter().find(|r| r.id == id).map(|r| r.liable);
    assert_eq!(liable("KAZ-REG-3WD"), Some(sapar_rules::Liable::ReceivingParty));
    assert_eq!(liable("KAZ-REG-30CD-2026"), Some(sapar_rules::Liable::Migrant));
    assert_eq!(liable("KAZ-REG-3WD-VISA-2026"), Some(sapar_rules::Liable::ReceivingParty));
}
