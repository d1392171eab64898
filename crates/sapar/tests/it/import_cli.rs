//! `sapar import crossings`: good rows stored, each bad row rejected with its line and reason,
//! whole-file problems refused with nothing stored, and re-imports storing nothing twice.

use std::path::{Path, PathBuf};
use std::process::Output;

const HEADER: &str = "id,direction,at,crossing_point,purpose,document_type,document_number,issuing_state,\
document_expiry,surname,given_names,patronymic,surname_latin,given_names_latin,patronymic_latin,sex,birth_date,citizenship";

fn row(id: u32, direction: &str, at: &str, number: &str) -> String {
    format!(
        "00000000-0000-7000-8000-{id:012},{direction},{at},KZ-KORDAY,work,passport,{number},KGZ,2031-01-01,\
         Асанов,Бакыт,,ASANOV,BAKYT,,M,1990-02-03,KGZ"
    )
}

struct Register {
    dir: tempfile::TempDir,
}

impl Register {
    fn new() -> Register {
        Register { dir: tempfile::tempdir().unwrap() }
    }

    fn db(&self) -> String {
        format!("sqlite:{}", self.dir.path().join("r.db").display())
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn import(&self, path: &Path) -> Output {
        self.import_with(path, &[])
    }

    fn import_with(&self, path: &Path, options: &[&str]) -> Output {
        self.command(path, options).output().unwrap()
    }

    fn command(&self, path: &Path, options: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sapar"));
        command.args(["import", "crossings", "--db", &self.db()]).args(options).arg(path);
        command
    }

    /// The stored native (Cyrillic) surname and given names of the holder of `document`.
    fn native_name(&self, document: &str) -> (String, String) {
        let db = self.db();
        let key = sapar_model::DocumentKey::parse_reference(document).unwrap();
        let person = tokio::runtime::Runtime::new().unwrap().block_on(async move {
            sapar_store::Store::open(&db).await.unwrap().person_by_document(&key).await.unwrap().unwrap()
        });
        let name = person.person.details.name.native().unwrap().clone();
        (name.surname.as_str().to_owned(), name.given_names.map(|g| g.as_str().to_owned()).unwrap_or_default())
    }

    fn counts(&self) -> [i64; 3] {
        let db = self.db();
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move { sapar_store::Store::open(&db).await.unwrap().counts().await.unwrap() })
    }

    /// The rejects file as (line, field, code) triples.
    fn rejects(&self, path: &Path) -> Vec<(u64, String, String)> {
        let mut name = path.as_os_str().to_owned();
        name.push(".rejects.csv");
        let mut reader = csv::Reader::from_path(PathBuf::from(name)).unwrap();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].parse().unwrap(), r[1].to_owned(), r[2].to_owned())
            })
            .collect()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn good_file_is_stored_and_reimport_stores_nothing_twice() {
    let reg = Register::new();
    let csv = [
        HEADER.to_owned(),
        row(1, "entry", "2025-04-01T09:30:00+05:00[Asia/Almaty]", "AC1"),
        row(2, "exit", "2025-04-20T18:00:00+05:00", "AC1"),
        row(3, "entry", "2025-04-02T10:00:00+05:00", "AC2"),
    ]
    .join("\n");
    let path = reg.file("good.csv", csv.as_bytes());
    let first = reg.import(&path);
    assert_eq!(first.status.code(), Some(0), "{}", stdout(&first));
    assert!(stdout(&first).contains("3 rows read"), "{}", stdout(&first));
    assert!(stdout(&first).contains("3 stored, 0 already present, 0 rejected; 2 new persons"));
    assert_eq!(reg.counts(), [2, 2, 3]);
    let again = reg.import(&path);
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout(&again).contains("0 stored, 3 already present, 0 rejected"), "{}", stdout(&again));
    assert_eq!(reg.counts(), [2, 2, 3]);
}

#[test]
fn bad_rows_are_rejected_with_line_and_reason_and_good_rows_kept() {
    let reg = Register::new();
    // Existing data must survive a bad import untouched.
    let seed = reg
        .file("seed.csv", [HEADER.to_owned(), row(90, "entry", "2025-01-01T00:00:00Z", "ZZ9")].join("\n").as_bytes());
    assert_eq!(reg.import(&seed).status.code(), Some(0));
    let mut lines: Vec<Vec<u8>> = vec![
        HEADER.into(),
        row(1, "entry", "2025-04-01T09:30:00+05:00", "AC1").into(), // line 2: good
        row(1, "entry", "2025-04-01T09:30:00+05:00", "AC1").into(), // 3: duplicate id
        row(3, "entry", "2025-04-01", "AC3").into(),                // 4: time without clock and offset
        row(4, "exit", "2025-04-05T10:00:00Z", "AC4").into(),       // 5: exit without entry
        row(5, "entry", "2025-04-01T09:30:00Z", "AC5").replace("1990-02-03", "1990-13-03").into(), // 6
        row(6, "entry", "2025-04-01T09:30:00Z", "AC6").replace("2031-01-01", "31.01.2031").into(), // 7
        row(7, "entry", "2025-04-01T09:30:00Z", "AC7").replace(",KGZ,2031", ",KGQ,2031").into(), // 8
        row(9, "entry", "2025-04-01T09:30:00Z", "AC9").into(),      // 10 (9 is cp1251 below)
    ];
    // Line 9: a surname in Windows-1251 ("Асанов"), not UTF-8.
    let cp1251 = row(8, "entry", "2025-04-01T09:30:00Z", "AC8").replace("Асанов", "@@").into_bytes();
    let at = cp1251.windows(2).position(|w| w == b"@@").unwrap();
    let mut bad = cp1251[..at].to_vec();
    bad.extend_from_slice(&[0xC0, 0xF1, 0xE0, 0xED, 0xEE, 0xE2]);
    bad.extend_from_slice(&cp1251[at + 2..]);
    lines.insert(8, bad);
    // Line 11: the file ends mid-row, as an interrupted copy would leave it.
    let truncated = row(10, "entry", "2025-04-01T09:30:00Z", "AC10");
    lines.push(truncated.as_bytes()[..truncated.len() / 2].to_vec());
    let path = reg.file("bad.csv", &lines.join(&b'\n'));

    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    let expected = vec![
        (3, "id".to_owned(), "duplicate_id".to_owned()),
        (4, "at".into(), "invalid_time".into()),
        (5, "direction".into(), "exit_without_entry".into()),
        (6, "person.birth_date".into(), "invalid_date".into()),
        (7, "document.expiry".into(), "invalid_date".into()),
        (8, "document.issuing_state".into(), "unknown_country".into()),
        (9, "surname".into(), "invalid_utf8".into()),
        (11, "".into(), "wrong_field_count".into()),
    ];
    assert_eq!(reg.rejects(&path), expected);
    assert!(stdout(&output).contains("10 rows read"), "{}", stdout(&output));
    assert!(stdout(&output).contains("2 stored, 0 already present, 8 rejected"), "{}", stdout(&output));
    assert_eq!(reg.counts(), [3, 3, 3]);
}

#[test]
fn unknown_crossing_point_is_refused_per_row_and_refusals_of_entry_are_imported() {
    let reg = Register::new();
    let header = format!("{HEADER},outcome,refusal_ground,refusal_note");
    let csv = [
        header,
        format!("{},,,", row(1, "entry", "2025-04-01T09:30:00+05:00", "AC1")), // line 2: good
        format!("{},,,", row(2, "entry", "2025-04-01T09:30:00+05:00", "AC2").replace("KZ-KORDAY", "KZ-NOWHERE")), // 3
        format!("{},refused,entry_ban,ban in force", row(3, "entry", "2025-04-02T09:30:00+05:00", "AC3")), // 4
        format!("{},refused,,", row(4, "entry", "2025-04-02T09:30:00+05:00", "AC4")), // 5: no ground
        format!("{},refused,other,", row(5, "exit", "2025-04-03T09:30:00+05:00", "AC1")), // 6: refused exit
    ]
    .join("\n");
    let path = reg.file("points.csv", csv.as_bytes());
    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    let expected = vec![
        (3, "crossing_point".to_owned(), "unknown_crossing_point".to_owned()),
        (5, "refusal_ground".into(), "missing_field".into()),
        (6, "outcome".into(), "refused_exit".into()),
    ];
    assert_eq!(reg.rejects(&path), expected);
    // The good entry and the refused one are stored: two persons, two rows of crossings.
    assert_eq!(reg.counts(), [2, 2, 2]);
}

#[test]
fn whole_file_problems_store_nothing() {
    let reg = Register::new();
    let good = [HEADER.to_owned(), row(1, "entry", "2025-04-01T09:30:00Z", "AC1")].join("\n");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in good.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf16.csv", utf16, "UTF-16"),
        ("unknown-column.csv", good.replace("purpose", "reason").into_bytes(), "unknown column \"reason\""),
        ("missing-column.csv", good.replace("citizenship", "sex2").into_bytes(), "unknown column \"sex2\""),
        ("empty.csv", Vec::new(), "header row is missing"),
        ("crossings.txt", good.clone().into_bytes(), "pass --format csv"),
    ];
    for (name, bytes, message) in cases {
        let path = reg.file(name, &bytes);
        let output = reg.import(&path);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
    }
    assert_eq!(reg.counts(), [0, 0, 0]);
}

#[test]
fn json_lines_rows_are_validated_like_api_bodies() {
    let reg = Register::new();
    let good = r#"{"id":"00000000-0000-7000-8000-000000000001","direction":"entry","at":"2025-04-01T09:30:00Z","crossing_point":"KZ-KORDAY","purpose":"work","document":{"type":"passport","number":"AC1","issuing_state":"KGZ"},"person":{"latin_name":{"surname":"ASANOV"},"citizenship":"KGZ"}}"#;
    let unknown_field = good.replace("\"purpose\"", "\"reason\"");
    let truncated = &good[..good.len() - 20];
    let text = [good, "", "{not json}", &unknown_field, truncated].join("\n");
    let path = reg.file("rows.jsonl", text.as_bytes());
    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    let codes: Vec<_> = reg.rejects(&path).into_iter().map(|(line, _, code)| (line, code)).collect();
    assert_eq!(
        codes,
        [(3, "malformed_json".to_owned()), (4, "invalid_body".to_owned()), (5, "truncated_line".to_owned())]
    );
    assert_eq!(reg.counts(), [1, 1, 1]);
}

#[test]
fn mrz_column_stands_in_for_document_columns() {
    use sapar_identity::{MrzFields, MrzFormat, emit};
    let reg = Register::new();
    let zone = |number: &str| {
        let fields = MrzFields {
            format: MrzFormat::Td3,
            document_code: "P".into(),
            issuing_state: sapar_model::Country::UZB,
            document_number: number.into(),
            nationality: sapar_model::Country::UZB,
            birth_date: Some(jiff::civil::date(1988, 11, 2)),
            sex: sapar_model::Sex::Male,
            expiry_date: jiff::civil::date(2030, 6, 30),
            surname: "KARIMOV".into(),
            given_names: "SHERZOD".into(),
            optional_data: String::new(),
            optional_data_2: String::new(),
        };
        emit(&fields).unwrap().lines.join("\n")
    };
    let good = zone("FA1234567");
    let corrupted = zone("FA7654321").replacen("FA7654321", "FA7654320", 1);
    let csv = format!(
        "id,direction,at,crossing_point,purpose,surname,given_names,mrz\n\
         00000000-0000-7000-8000-000000000001,entry,2025-04-01T09:30:00Z,KZ-ZHIBEK-ZHOLY,work,Каримов,Шерзод,\"{good}\"\n\
         00000000-0000-7000-8000-000000000002,entry,2025-04-01T09:30:00Z,KZ-ZHIBEK-ZHOLY,work,Каримов,Шерзод,\"{corrupted}\"\n"
    );
    let path = reg.file("mrz.csv", csv.as_bytes());
    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    // The first record's quoted zone spans lines 2-3, so the second record starts on line 4.
    assert_eq!(reg.rejects(&path), [(4, "mrz".to_owned(), "invalid_mrz".to_owned())]);
    assert_eq!(reg.counts(), [1, 1, 1]);
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The hints among the lines written to stderr (the rest is the log).
fn hints(o: &Output) -> Vec<String> {
    stderr(o).lines().filter(|l| l.starts_with("hint: ")).map(str::to_owned).collect()
}

#[test]
fn an_unterminated_quote_costs_its_row_only() {
    let reg = Register::new();
    let mut lines = vec![HEADER.to_owned()];
    for i in 1..=1000u32 {
        let mut r = row(i, "entry", "2025-04-01T09:30:00Z", &format!("AQ{i}"));
        if i % 10 == 0 {
            // Quoted fields are fine, and the one after the bad quote must not close it.
            r = r.replace("Асанов", "\"Асанов\"").replace("Бакыт", "\"Бакыт\"");
        }
        if i == 509 {
            r = r.replace("Асанов", "\"Асанов");
        }
        lines.push(r);
    }
    let path = reg.file("quote.csv", lines.join("\n").as_bytes());
    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    // Row i is on line i + 1.
    assert_eq!(reg.rejects(&path), [(510, "".to_owned(), "unterminated_quote".to_owned())]);
    let out = stdout(&output);
    assert!(out.starts_with("1000 rows read in "), "{out}");
    assert!(out.contains(": 999 stored, 0 already present, 1 rejected; 999 new persons\n"), "{out}");
    assert!(out.contains("\n         1  unterminated_quote\n"), "{out}");
    assert_eq!(reg.counts(), [999, 999, 999]);
    assert_eq!(reg.native_name("KGZ:AQ510"), ("Асанов".to_owned(), "Бакыт".to_owned()));
}

/// Runs `command` and returns its output and its peak resident memory in MiB, sampled from
/// `/proc` while it runs (Linux; 0 elsewhere).
fn run_measuring_memory(mut command: std::process::Command) -> (Output, f64) {
    let child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let status = format!("/proc/{}/status", child.id());
    let watcher = std::thread::spawn(move || {
        let mut peak_kib = 0.0f64;
        while let Ok(text) = std::fs::read_to_string(&status) {
            let Some(kib) = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            else {
                break;
            };
            peak_kib = peak_kib.max(kib);
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        peak_kib / 1024.0
    });
    let output = child.wait_with_output().unwrap();
    (output, watcher.join().unwrap())
}

#[test]
fn a_50_mb_line_is_rejected_as_too_long_and_the_rows_after_it_are_imported() {
    let reg = Register::new();
    let huge = "x".repeat(50 << 20);
    let csv = [
        HEADER.to_owned(),
        row(1, "entry", "2025-04-01T09:30:00Z", "AL1"),
        row(2, "entry", "2025-04-01T09:30:00Z", "AL2").replace("Асанов", &huge),
        row(3, "entry", "2025-04-01T09:30:00Z", "AL3"),
        row(4, "entry", "2025-04-01T09:30:00Z", "AL4"),
    ]
    .join("\n");
    let path = reg.file("long.csv", csv.as_bytes());
    let (output, peak_mib) = run_measuring_memory(reg.command(&path, &[]));
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(reg.rejects(&path), [(3, "".to_owned(), "record_too_long".to_owned())]);
    assert!(stdout(&output).contains(": 3 stored, 0 already present, 1 rejected;"), "{}", stdout(&output));
    assert_eq!(reg.counts(), [3, 3, 3]);
    // The line is skipped, never held: the whole import stays under the size of the line.
    assert!(peak_mib < 48.0, "peak resident memory {peak_mib:.1} MiB");

    let json = |id: u32, surname: &str| {
        format!(
            r#"{{"id":"00000000-0000-7000-8000-{id:012}","direction":"entry","at":"2025-04-01T09:30:00Z","crossing_point":"KZ-KORDAY","purpose":"work","document":{{"type":"passport","number":"JL{id}","issuing_state":"KGZ"}},"person":{{"latin_name":{{"surname":"{surname}"}},"citizenship":"KGZ"}}}}"#
        )
    };
    let lines = [json(11, "ASANOV"), json(12, &huge), json(13, "ASANOV"), json(14, "ASANOV")].join("\n");
    let path = reg.file("long.jsonl", lines.as_bytes());
    let (output, peak_mib) = run_measuring_memory(reg.command(&path, &[]));
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(reg.rejects(&path), [(2, "".to_owned(), "record_too_long".to_owned())]);
    assert!(stdout(&output).contains(": 3 stored, 0 already present, 1 rejected;"), "{}", stdout(&output));
    assert_eq!(reg.counts(), [6, 6, 6]);
    assert!(peak_mib < 48.0, "peak resident memory {peak_mib:.1} MiB");
}

#[test]
fn max_record_bytes_sets_the_longest_line_read() {
    let reg = Register::new();
    let long = row(2, "entry", "2025-04-01T09:30:00Z", "AM2").replace("Асанов", &"Ж".repeat(100));
    let csv = [HEADER.to_owned(), row(1, "entry", "2025-04-01T09:30:00Z", "AM1"), long].join("\n");
    let path = reg.file("limit.csv", csv.as_bytes());
    let output = reg.import_with(&path, &["--max-record-bytes", "300"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(reg.rejects(&path), [(3, "".to_owned(), "record_too_long".to_owned())]);
    // The default (64 KiB) takes it.
    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains(": 1 stored, 1 already present, 0 rejected;"), "{}", stdout(&output));
    let refused = reg.import_with(&path, &["--max-record-bytes", "0"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}

#[test]
fn a_windows_1251_file_gets_one_hint_and_imports_with_its_encoding() {
    let reg = Register::new();
    let names =
        [("Асанов", "Бакыт"), ("Ёлкина", "Юлия"), ("Щербаков", "Илья"), ("Эшматов", "Жасур"), ("Цой", "Эльвира")];
    let mut lines = vec![HEADER.to_owned()];
    for (i, (surname, given)) in (1u32..).zip(names) {
        let r = row(i, "entry", "2025-04-01T09:30:00Z", &format!("AW{i}"));
        lines.push(r.replace("Асанов", surname).replace("Бакыт", given));
    }
    let text = lines.join("\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!unmappable);
    let path = reg.file("cp1251.csv", &bytes);

    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let expected: Vec<_> = (2..=6).map(|line| (line, "surname".to_owned(), "invalid_utf8".to_owned())).collect();
    assert_eq!(reg.rejects(&path), expected);
    assert_eq!(
        hints(&output),
        ["hint: line 2 is not UTF-8 but reads as Cyrillic in Windows-1251; if the file is Windows-1251, \
          import it again with --encoding windows-1251"]
    );
    let json = reg.import_with(&path, &["--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(summary["rejected"], 5);
    assert_eq!(summary["rejected_by_code"], serde_json::json!({ "invalid_utf8": 5 }));
    assert_eq!(summary["hints"].as_array().map(Vec::len), Some(1));
    assert_eq!(summary["hints"][0]["code"], "looks_windows_1251");
    assert_eq!(summary["hints"][0]["line"], 2);
    assert_eq!(reg.counts(), [0, 0, 0]);

    let output = reg.import_with(&path, &["--encoding", "windows-1251"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(hints(&output), Vec::<String>::new());
    assert!(stdout(&output).contains(": 5 stored, 0 already present, 0 rejected; 5 new persons"));
    assert_eq!(reg.counts(), [5, 5, 5]);
    for (i, (surname, given)) in (1u32..).zip(names) {
        assert_eq!(reg.native_name(&format!("KGZ:AW{i}")), (surname.to_owned(), given.to_owned()));
    }

    // JSON Lines alike.
    let line = r#"{"id":"00000000-0000-7000-8000-000000000009","direction":"entry","at":"2025-04-01T09:30:00Z","crossing_point":"KZ-KORDAY","purpose":"work","document":{"type":"passport","number":"JW9","issuing_state":"KGZ"},"person":{"native_name":{"surname":"Ёлкина","given_names":"Юлия"},"latin_name":{"surname":"ELKINA"},"citizenship":"KGZ"}}"#;
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(line);
    let path = reg.file("cp1251.jsonl", &bytes);
    let output = reg.import(&path);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(reg.rejects(&path), [(1, "".to_owned(), "invalid_utf8".to_owned())]);
    assert_eq!(hints(&output).len(), 1);
    assert!(hints(&output)[0].starts_with("hint: line 1 is not UTF-8 but reads as Cyrillic in Windows-1251"));
    let output = reg.import_with(&path, &["--encoding", "windows-1251"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(reg.native_name("KGZ:JW9"), ("Ёлкина".to_owned(), "Юлия".to_owned()));

    // A UTF-8 file read as Windows-1251 would garble its names: said once too.
    let path = reg
        .file("utf8.csv", [HEADER.to_owned(), row(20, "entry", "2025-04-01T09:30:00Z", "AU1")].join("\n").as_bytes());
    let output = reg.import_with(&path, &["--encoding", "windows-1251"]);
    assert_eq!(hints(&output).len(), 1, "{}", stderr(&output));
    assert!(hints(&output)[0].starts_with("hint: line 2 is valid UTF-8 with letters outside ASCII"));
}
