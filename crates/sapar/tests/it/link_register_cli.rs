//! `sapar link register` on an imported register: two crossings under different passports of
//! one person with the same names and birth date end merged or queued for review; a second run
//! has nobody new; bad thresholds and a register too small to fit a model are refused.

use std::process::Output;

use sapar_match::synth::synth_persons;

const HEADER: &str = "id,direction,at,crossing_point,purpose,document_type,document_number,issuing_state,\
surname,given_names,patronymic,surname_latin,given_names_latin,patronymic_latin,sex,birth_date,citizenship";

fn sapar(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sapar")).args(args).env_remove("SAPAR_DB").output().unwrap()
}

fn crossing_id(n: usize) -> String {
    format!("00000000-0000-7000-8000-{n:012}")
}

/// Who crosses: names as (surname, given names, patronymic), either rendering may be empty.
struct Traveller<'a> {
    native: [&'a str; 3],
    latin: [&'a str; 3],
    sex: &'a str,
    birth: &'a str,
}

/// One entry row of the import CSV.
fn row(n: usize, date: &str, number: &str, state: &str, who: &Traveller<'_>) -> String {
    let [sn, gn, pn] = who.native;
    let [sl, gl, pl] = who.latin;
    format!(
        "{},entry,{date}T10:00:00+05:00[Asia/Almaty],KZ-KORDAY,work,passport,{number},{state},\
         {sn},{gn},{pn},{sl},{gl},{pl},{},{},{state}",
        crossing_id(n),
        who.sex,
        who.birth,
    )
}

/// A register of generated persons (a Cyrillic register and Latin documents of the same region,
/// partly the same people), as CSV rows.
fn generated_rows() -> Vec<String> {
    let (register, arrivals, _) = synth_persons(200, 0.3, 5);
    let mut rows = Vec::new();
    for (n, (record, date)) in
        register.iter().map(|r| (r, "2025-01-10")).chain(arrivals.iter().map(|r| (r, "2025-03-10"))).enumerate()
    {
        let v = &record.values;
        if !v[7].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            continue;
        }
        let birth = match v[4].split('.').collect::<Vec<_>>()[..] {
            [d, m, y] => format!("{y}-{m}-{d}"),
            _ => v[4].clone(),
        };
        let names = [v[1].as_str(), v[2].as_str(), v[3].as_str()];
        let latin = v[1].is_ascii();
        let (native, latin) = if latin { (["", "", ""], names) } else { (names, ["", "", ""]) };
        rows.push(row(n + 1, date, &v[7], &v[6], &Traveller { native, latin, sex: &v[5], birth: &birth }));
    }
    rows
}

/// One woman, recorded under two passports.
const AIPERI: Traveller<'static> = Traveller {
    native: ["Жумабекова", "Айпери", "Бакытовна"],
    latin: ["ZHUMABEKOVA", "AIPERI", ""],
    sex: "F",
    birth: "1987-11-23",
};

fn import(dir: &std::path::Path, db: &str, rows: &[String]) {
    let path = dir.join("crossings.csv");
    std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    let out = sapar(&["import", "crossings", "--db", db, path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn link(db: &str, extra: &[&str]) -> Output {
    let mut args = vec!["link", "register", "--db", db];
    args.extend_from_slice(extra);
    sapar(&args)
}

#[test]
fn the_same_person_under_two_passports_is_merged_or_queued() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("r.db").display());
    let mut rows = generated_rows();
    let first = 10_000;
    rows.push(row(first, "2025-01-05", "AC7000001", "KGZ", &AIPERI));
    rows.push(row(first + 1, "2025-04-01", "AC7000002", "KGZ", &AIPERI));
    import(dir.path(), &db, &rows);

    let out = link(&db, &["--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["model"], "fitted");
    assert_eq!(summary["linked"], summary["persons"]);
    assert!(summary["merged"].as_u64().unwrap() + summary["proposed"].as_u64().unwrap() >= 1, "{summary}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (a, b, pending) = runtime.block_on(async {
        let store = sapar_store::Store::open(&db).await.unwrap();
        let holder = |number: &'static str| {
            let store = store.clone();
            async move {
                let key = sapar_model::DocumentKey::parse_reference(number).unwrap();
                store.person_by_document(&key).await.unwrap().unwrap().person.id
            }
        };
        let (a, b) = (holder("KGZ:AC7000001").await, holder("KGZ:AC7000002").await);
        (a, b, store.pending_review_items(500, 0).await.unwrap())
    });
    let queued = pending.iter().any(|i| {
        let pair = [i.person_a.id, i.person_b.id];
        pair.contains(&a) && pair.contains(&b)
    });
    assert!(a == b || queued, "the two passports belong to one person now ({a:?}) or the pair waits for review");

    // Nobody new: nothing compared, nothing merged or queued.
    let out = link(&db, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(0 compared with everyone before them)"), "{text}");
    assert!(text.contains("merged             0"), "{text}");
    assert!(text.contains("model              not needed"), "{text}");
}

#[test]
fn bad_thresholds_and_a_register_too_small_to_fit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("r.db").display());
    let rows =
        vec![row(1, "2025-01-05", "AC7000001", "KGZ", &AIPERI), row(2, "2025-04-01", "AC7000002", "KGZ", &AIPERI)];
    import(dir.path(), &db, &rows);
    let out = link(&db, &["--lower", "0.9", "--upper", "0.5"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("thresholds need 0 < lower <= upper <= 1"), "{stderr}");
    let out = link(&db, &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the register holds 2 persons; fitting a model without labels needs at least"), "{stderr}");
}
