//! Agreement data: loading, validation errors with file and line, status, competence, deadlines.

use jiff::Timestamp;
use jiff::civil::date;
use sapar_model::Country;
use sapar_treaty::agreement::{AgreementBook, AgreementStatus, EMBEDDED_AGREEMENTS, PolicyViolation};
use sapar_treaty::category::{DataCategory, PersonField};
use sapar_treaty::ids::{AgreementId, AuthorityId};

fn book() -> AgreementBook {
    AgreementBook::load_embedded().unwrap()
}

fn kz_kg() -> sapar_treaty::agreement::Agreement {
    book().get(&AgreementId::parse("KAZ-KGZ-2019").unwrap()).unwrap().clone()
}

fn kz_arm() -> sapar_treaty::agreement::Agreement {
    book().get(&AgreementId::parse("KAZ-ARM-2024").unwrap()).unwrap().clone()
}

fn auth(s: &str) -> AuthorityId {
    AuthorityId::parse(s).unwrap()
}

#[test]
fn embedded_agreements_load_with_real_dates() {
    let a = kz_kg();
    assert_eq!(a.signed_on(), date(2019, 11, 27));
    assert!(a.in_force_is_assumed());
    let kgz = a.ratifications().iter().find(|r| r.state == Country::KGZ).unwrap();
    assert_eq!(kgz.date, Some(date(2021, 2, 17)));
    let kaz = a.ratifications().iter().find(|r| r.state == Country::KAZ).unwrap();
    assert_eq!((kaz.date, kaz.year), (None, 2021));
    let b = kz_arm();
    assert_eq!(b.signed_on(), date(2024, 4, 15));
    assert_eq!(b.in_force_on(), None);
    assert_eq!(b.ratifications()[0].date, Some(date(2025, 9, 3)));
    assert_eq!(a.working_language(), "ru");
}

#[test]
fn art2_competent_authorities_per_party() {
    let a = kz_kg();
    let d = date(2022, 1, 1);
    let kaz: Vec<_> = a.competent_authorities(Country::KAZ, d).map(|x| x.id.as_str()).collect();
    let kgz: Vec<_> = a.competent_authorities(Country::KGZ, d).map(|x| x.id.as_str()).collect();
    assert_eq!(kaz, ["KAZ-MVD", "KAZ-MTSZN"]);
    assert_eq!(kgz, ["KGZ-GMS", "KGZ-GRS", "KGZ-MVD"]);
    assert!(a.is_competent(&auth("KGZ-GMS"), d));
    assert!(!a.is_competent(&auth("ARM-POLICE"), d));
    let b = kz_arm();
    let arm: Vec<_> = b.competent_authorities(Country::ARM, d).map(|x| x.id.as_str()).collect();
    assert_eq!(arm, ["ARM-POLICE", "ARM-MCS"]);
    assert_eq!(a.authority(&auth("KAZ-MVD")).unwrap().name_ru, "Министерство внутренних дел Республики Казахстан");
}

#[test]
fn art2_authority_change_takes_effect_on_its_date() {
    let a = kz_kg();
    let new = sapar_treaty::agreement::Authority {
        id: auth("KGZ-MTM"),
        state: Country::KGZ,
        name_ru: "Министерство труда и миграции Кыргызской Республики".into(),
        name_en: "Ministry of Labour and Migration of the Kyrgyz Republic".into(),
        from: None,
        until: None,
    };
    let b = a.with_authority_change(date(2026, 3, 1), Some(&auth("KGZ-GMS")), Some(new)).unwrap();
    assert!(b.is_competent(&auth("KGZ-GMS"), date(2026, 2, 28)));
    assert!(!b.is_competent(&auth("KGZ-GMS"), date(2026, 3, 1)));
    assert!(!b.is_competent(&auth("KGZ-MTM"), date(2026, 2, 28)));
    assert!(b.is_competent(&auth("KGZ-MTM"), date(2026, 3, 1)));
    assert!(a.with_authority_change(date(2026, 3, 1), Some(&auth("KGZ-XYZ")), None).is_err());
}

#[test]
fn art18_status_follows_signature_force_and_termination() {
    let a = kz_kg();
    assert_eq!(a.status_on(date(2019, 11, 26)), AgreementStatus::NotSigned);
    assert_eq!(a.status_on(date(2020, 5, 1)), AgreementStatus::Signed);
    assert!(!a.is_in_force(date(2020, 5, 1)));
    assert_eq!(a.status_on(date(2021, 6, 1)), AgreementStatus::InForce);
    let t = a.with_termination_notice(date(2026, 8, 31));
    // 31 August + 6 months: end of February (no 31 February).
    assert_eq!(t.termination_effective(), Some(date(2027, 2, 28)));
    assert_eq!(t.status_on(date(2026, 8, 30)), AgreementStatus::InForce);
    assert_eq!(t.status_on(date(2026, 9, 1)), AgreementStatus::Terminating { effective: date(2027, 2, 28) });
    assert!(t.is_in_force(date(2027, 2, 27)));
    assert_eq!(t.status_on(date(2027, 2, 28)), AgreementStatus::Terminated { since: date(2027, 2, 28) });
    assert!(!t.is_in_force(date(2027, 2, 28)));
}

#[test]
fn kz_arm_is_signed_but_not_in_force() {
    let b = kz_arm();
    assert_eq!(b.status_on(date(2025, 10, 1)), AgreementStatus::Signed);
    assert!(!b.is_in_force(date(2025, 10, 1)));
    assert!(b.with_entry_into_force(date(2026, 1, 10)).is_in_force(date(2026, 1, 10)));
}

#[test]
fn art7_fields_and_art6_categories_are_enforced() {
    let a = kz_kg();
    let d = date(2022, 1, 1);
    assert_eq!(a.allows(d, DataCategory::Registration, &[PersonField::Surname, PersonField::BirthDate]), Ok(()));
    assert_eq!(a.terms_on(d).categories.len(), 10);
    assert_eq!(a.terms_on(d).fields.len(), 15);
    assert_eq!(
        a.allows(d, DataCategory::Statistics, &[PersonField::Surname]),
        Err(PolicyViolation::FieldsWithoutPerson(DataCategory::Statistics))
    );
}

#[test]
fn art11_4_refusal_grounds_differ_per_agreement() {
    let d = date(2026, 1, 1);
    let kg: Vec<_> = kz_kg().terms_on(d).refusal_grounds.iter().map(|g| g.id.clone()).collect();
    let arm: Vec<_> = kz_arm().terms_on(d).refusal_grounds.iter().map(|g| g.id.clone()).collect();
    assert!(kg.contains(&"public_order".to_owned()));
    assert_eq!(arm, ["sovereignty", "security", "contrary_to_law"]);
}

#[test]
fn art11_3_deadline_is_30_calendar_days_in_requested_zone() {
    let a = kz_kg();
    // 2025-03-31 18:30 UTC is already 1 April in Bishkek (UTC+6).
    let receipt: Timestamp = "2025-03-31T18:30:00Z".parse().unwrap();
    let d = a.response_deadline_for(Country::KGZ, receipt).unwrap();
    assert_eq!(d.received_on, date(2025, 4, 1));
    assert_eq!(d.due_on, date(2025, 5, 1));
    assert_eq!(d.overdue_from.to_string(), "2025-05-02T00:00:00+06:00[Asia/Bishkek]");
    assert!(!d.is_overdue("2025-05-01T17:59:59Z".parse().unwrap()));
    assert!(d.is_overdue("2025-05-01T18:00:00Z".parse().unwrap()));
    // The same instant in Almaty (UTC+5 since 2024-03-01) is still 31 March.
    let k = a.response_deadline_at(receipt, "Asia/Almaty").unwrap();
    assert_eq!(k.due_on, date(2025, 4, 30));
    assert!(a.response_deadline_at(receipt, "Mars/Olympus").is_err());
}

fn load_variant(from: &str, to: &str) -> sapar_treaty::error::AgreementFileError {
    let (name, text) = EMBEDDED_AGREEMENTS[0];
    assert!(text.contains(from), "fixture text {from:?} not found");
    let changed = text.replacen(from, to, 1);
    AgreementBook::from_files([(name, changed.as_str())]).unwrap_err()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn bad_agreement_files_name_file_line_and_reason() {
    let (_, text) = EMBEDDED_AGREEMENTS[0];
    let e = load_variant("\"statistics\", \"legislation\"", "\"statistics\", \"legislatio\"");
    assert_eq!(e.file, "kaz-kgz-2019.toml");
    assert_eq!(e.line, line_of(text, "\"statistics\", \"legislation\""));
    assert_eq!(e.reason, "unknown data category \"legislatio\"");

    let e = load_variant("\"fingerprint_card\"", "\"mother_name\"");
    assert_eq!(e.line, line_of(text, "\"fingerprint_card\""));
    assert!(e.reason.contains("mother_name"), "{e}");

    let e = load_variant("signed = \"2019-11-27\"", "signed = \"2019-13-27\"");
    assert_eq!(e.line, line_of(text, "signed = "));
    assert!(e.reason.contains("YYYY-MM-DD"), "{e}");

    let e = load_variant("time_zone = \"Asia/Bishkek\"", "time_zone = \"Asia/Bishkeq\"");
    assert_eq!(e.line, line_of(text, "Asia/Bishkek"));

    let e = load_variant("id = \"KGZ-GRS\"\nstate = \"KGZ\"", "id = \"KGZ-GRS\"\nstate = \"ARM\"");
    assert!(e.reason.contains("ARM is not a party"), "{e}");

    let e = load_variant("working_language = \"ru\"", "working_language = \"kk\"");
    assert!(e.reason.contains("Art. 16"), "{e}");

    let e = load_variant("response_deadline_days = 30", "response_deadline_days = 30\nsurprise = 1");
    assert_eq!(e.line, line_of(text, "response_deadline_days") + 1);
    assert!(e.reason.contains("surprise"), "{e}");

    let e = load_variant("in_force = \"2021-06-01\"", "in_force = \"2019-06-01\"");
    assert!(e.reason.contains("precede signature"), "{e}");
}

#[test]
fn duplicate_agreement_ids_are_refused() {
    let (name, text) = EMBEDDED_AGREEMENTS[0];
    let e = AgreementBook::from_files([(name, text), ("copy.toml", text)]).unwrap_err();
    assert_eq!(e.file, "copy.toml");
}

#[test]
fn art11_3_deadline_golden_table() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/test_data/deadlines.txt")).unwrap();
    let book = book();
    let mut rows = 0;
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        let receipt: Timestamp = f[0].parse().unwrap();
        let state = Country::parse(f[1]).unwrap();
        let a = book.get(&AgreementId::parse(f[2]).unwrap()).unwrap();
        let d = a.response_deadline_for(state, receipt).unwrap();
        let got = (d.received_on.to_string(), d.due_on.to_string(), d.overdue_from.timestamp().to_string());
        assert_eq!(got, (f[3].to_owned(), f[4].to_owned(), f[5].to_owned()), "deadlines.txt line {}", n + 1);
        rows += 1;
    }
    assert_eq!(rows, 8);
}

#[test]
fn art17_an_amending_protocol_is_a_new_version_from_its_date() {
    let (name, text) = EMBEDDED_AGREEMENTS[0];
    let amended = format!(
        "{text}\n[[versions]]\nversion = 2\neffective = \"2026-01-01\"\nsource = \"protocol of amendments\"\n\
         fields = [\"surname\", \"given_names\", \"patronymic\", \"sex\", \"birth_date\", \"citizenship\", \"document\"]\n"
    );
    let book = AgreementBook::from_files([(name, amended.as_str())]).unwrap();
    let a = book.get(&AgreementId::parse("KAZ-KGZ-2019").unwrap()).unwrap();
    assert_eq!(a.terms_on(date(2025, 12, 31)).version, 1);
    assert_eq!(a.terms_on(date(2026, 1, 1)).version, 2);
    // Unlisted sections carry over from the previous version.
    assert_eq!(a.terms_on(date(2026, 1, 1)).categories.len(), 10);
    assert_eq!(a.terms_on(date(2026, 1, 1)).refusal_grounds.len(), 6);
    assert_eq!(a.allows(date(2025, 12, 31), DataCategory::Registration, &[PersonField::Photograph]), Ok(()));
    assert_eq!(
        a.allows(date(2026, 1, 1), DataCategory::Registration, &[PersonField::Photograph]),
        Err(PolicyViolation::Field(PersonField::Photograph))
    );
    let misnumbered = amended.replace("version = 2", "version = 3");
    let e = AgreementBook::from_files([(name, misnumbered.as_str())]).unwrap_err();
    assert!(e.reason.contains("expected 2"), "{e}");
    assert_eq!(e.line, misnumbered.lines().position(|l| l == "version = 3").unwrap() + 1);
    let backwards = amended.replace("effective = \"2026-01-01\"", "effective = \"2019-01-01\"");
    let e = AgreementBook::from_files([(name, backwards.as_str())]).unwrap_err();
    assert!(e.reason.contains("after the previous one"), "{e}");
}
