//! `docs/protocol.md` is current: its example blocks equal the generated files, the examples
//! verify with this crate's receiver and receipt check, the `signatories.json` example has the
//! members `sapar keys init` writes, every error code is documented, and the categories, fields
//! and refusal grounds of each agreement are those of the agreement files (`UPDATE_PROTOCOL_DOC=1`
//! rewrites that table).

use std::collections::BTreeSet;
use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use sapar_model::Country;
use sapar_treaty::agreement::{AgreementBook, Terms};
use sapar_treaty::case::CaseState;
use sapar_treaty::category::{DataCategory, PersonField};
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{AuthorityId, Sha256Hash};
use sapar_treaty::message::{SignatoryEntry, SignatoryList};
use sapar_treaty::pki;
use sapar_treaty::receipt::verify_receipt;
use sapar_treaty::receive::{ChannelHead, Outcome, PartnerConfig, ReceiverConfig, TlsPeer, receive};

use crate::fixture::{MemState, world};

const FILES: &[&str] = &[
    "kgz-ca.pem",
    "kgz-node.pem",
    "kgz-signatory.pem",
    "kgz-signatory.key.pem",
    "kaz-ca.pem",
    "kaz-node.pem",
    "signatory_list.jws",
    "signatory_list.sha256",
    "request.jws",
    "request.header.json",
    "request.payload.json",
    "request.sha256",
    "receipt.jws",
    "receipt.payload.json",
    "log-entry.txt",
    "log-entry.sha256",
];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn file(name: &str) -> String {
    std::fs::read_to_string(crate_dir().join("test_data/protocol").join(name)).unwrap()
}

fn doc() -> String {
    std::fs::read_to_string(crate_dir().join("../../docs/protocol.md")).unwrap()
}

fn block(doc: &str, name: &str) -> String {
    let begin = format!("<!-- BEGIN example {name} -->\n");
    let end = format!("<!-- END example {name} -->");
    let b = doc.find(&begin).unwrap_or_else(|| panic!("no block {name} in protocol.md")) + begin.len();
    let e = doc.find(&end).unwrap();
    let inner = doc[b..e].trim_end();
    let inner = inner.strip_prefix("```json\n").or_else(|| inner.strip_prefix("```text\n")).unwrap();
    inner.strip_suffix("```").unwrap().trim_end().to_owned()
}

#[test]
fn protocol_doc_examples_match_the_generated_files() {
    let doc = doc();
    for name in FILES {
        assert_eq!(
            block(&doc, name),
            file(name).trim_end(),
            "docs/protocol.md block {name} is stale: run cargo run -p sapar-treaty --example protocol_examples"
        );
    }
}

#[test]
fn protocol_doc_documents_every_error_code_with_its_status() {
    let doc = doc();
    for code in ErrorCode::ALL {
        let row = format!("| `{}` | {} | {} |", code.as_str(), code.http_status(), code.meaning());
        assert!(doc.contains(&row), "missing or different row: {row}");
    }
}

#[test]
fn protocol_doc_example_messages_pass_every_receiver_check() {
    let kgz_ca = pki::pem_decode_one(&file("kgz-ca.pem"), "CERTIFICATE").unwrap();
    let kgz_node = pki::pem_decode_one(&file("kgz-node.pem"), "CERTIFICATE").unwrap();
    let signatory = pki::pem_decode_one(&file("kgz-signatory.pem"), "CERTIFICATE").unwrap();
    let partners = [PartnerConfig {
        state: Country::KGZ,
        ca_cert_der: kgz_ca,
        node_cert_fingerprints: vec![pki::fingerprint(&kgz_node)],
    }];
    let book = AgreementBook::load_embedded().unwrap();
    let config = ReceiverConfig {
        local_state: Country::KAZ,
        book: &book,
        partners: &partners,
        max_clock_skew: SignedDuration::from_mins(5),
    };
    let peer = TlsPeer { cert_fingerprint: pki::fingerprint(&kgz_node), subject: "CN=sapar-kgz".into() };
    let now: Timestamp = "2025-10-01T08:00:02Z".parse().unwrap();
    // The list exchanged out of band when the agreement was set up.
    let mut state = MemState::default();
    state.signatories.add(SignatoryList {
        authority: AuthorityId::parse("KGZ-GMS").unwrap(),
        version: 1,
        effective_from: "2025-09-01T00:00:00Z".parse().unwrap(),
        signatories: vec![SignatoryEntry {
            name: "Бакиев Нурлан".into(),
            position: "заместитель директора".into(),
            certificate_sha256: pki::fingerprint(&signatory),
        }],
    });

    let Outcome::Accepted(list) = receive(&config, &state, &peer, &file("signatory_list.jws"), now).unwrap() else {
        panic!("signatory list not accepted")
    };
    assert_eq!(list.hash.to_hex(), file("signatory_list.sha256").trim());
    assert_eq!(list.case_state, CaseState::Closed);
    state.seen.insert(list.message.header.id, list.hash);
    state.heads.insert(list.channel.clone(), ChannelHead { seq: 1, hash: list.hash });

    let Outcome::Accepted(req) = receive(&config, &state, &peer, &file("request.jws"), now).unwrap() else {
        panic!("request not accepted")
    };
    assert_eq!(req.hash.to_hex(), file("request.sha256").trim());
    assert_eq!(req.case_state, CaseState::Requested);

    let kaz_ca = pki::pem_decode_one(&file("kaz-ca.pem"), "CERTIFICATE").unwrap();
    let kaz_node = pki::pem_decode_one(&file("kaz-node.pem"), "CERTIFICATE").unwrap();
    let receipt = verify_receipt(&file("receipt.jws"), &kaz_ca, &[pki::fingerprint(&kaz_node)]).unwrap();
    assert_eq!((receipt.message_id, receipt.message_hash), (req.message.header.id, req.hash));

    let entry = file("log-entry.txt");
    assert_eq!(Sha256Hash::of(entry.as_bytes()).to_hex(), file("log-entry.sha256").trim());
}

#[test]
fn protocol_doc_signatories_json_example_has_the_members_keys_init_writes_and_the_example_keys() {
    let example: serde_json::Value = serde_json::from_str(&block(&doc(), "kgz-signatories.json")).unwrap();
    let files = world().kgz.files();
    let (_, written) = files.iter().find(|(name, _)| name == "signatories.json").unwrap();
    let written: serde_json::Value = serde_json::from_str(written).unwrap();
    let members = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<BTreeSet<String>>();
    assert_eq!(members(&example), members(&written), "members of signatories.json");
    assert_eq!(members(&example["signatories"][0]), members(&written["signatories"][0]), "members of a signatory");
    // The keys of the worked example (section 13).
    let fingerprint = |name: &str| pki::fingerprint(&pki::pem_decode_one(&file(name), "CERTIFICATE").unwrap()).to_hex();
    assert_eq!(example["state"], "KGZ");
    assert_eq!(example["node_name"], sapar_treaty::keys::node_name(Country::KGZ));
    assert_eq!(example["ca_sha256"], fingerprint("kgz-ca.pem"));
    assert_eq!(example["node_sha256"], fingerprint("kgz-node.pem"));
    assert_eq!(example["signatories"][0]["certificate_sha256"], fingerprint("kgz-signatory.pem"));
}

const AGREEMENTS_BEGIN: &str = "<!-- agreements:begin -->\n";
const AGREEMENTS_END: &str = "<!-- agreements:end -->";

/// The tables of section 5.1.1: every data category, Art. 7 field and refusal ground (rows)
/// against every agreement and version of its terms (columns).
fn agreements_tables(book: &AgreementBook) -> String {
    let terms: Vec<(&str, &Terms)> =
        book.iter().flat_map(|a| a.versions().iter().map(move |t| (a.id().as_str(), t))).collect();
    let header = |first: &str| {
        let columns: Vec<String> =
            terms.iter().map(|(id, t)| format!("`{id}` version {} (from {})", t.version, t.effective)).collect();
        format!("| {first} | {} |\n|---|{}\n", columns.join(" | "), "---|".repeat(columns.len()))
    };
    let yes_no = |allowed: bool| if allowed { "yes" } else { "no" };
    let mut out = header("data category");
    for c in DataCategory::ALL {
        let name = if c.is_personal() { format!("`{c}`") } else { format!("`{c}` (no person)") };
        let cells: Vec<&str> = terms.iter().map(|(_, t)| yes_no(t.categories.contains(c))).collect();
        out.push_str(&format!("| {name} | {} |\n", cells.join(" | ")));
    }
    out.push('\n');
    out.push_str(&header("Art. 7 field"));
    for f in PersonField::ALL {
        let cells: Vec<&str> = terms.iter().map(|(_, t)| yes_no(t.fields.contains(f))).collect();
        out.push_str(&format!("| `{f}` | {} |\n", cells.join(" | ")));
    }
    out.push('\n');
    out.push_str(&header("refusal ground"));
    let mut grounds: Vec<&str> = Vec::new();
    for (_, t) in &terms {
        for g in &t.refusal_grounds {
            if !grounds.contains(&g.id.as_str()) {
                grounds.push(&g.id);
            }
        }
    }
    for g in grounds {
        let cells: Vec<&str> =
            terms.iter().map(|(_, t)| t.refusal_ground(g).map_or("no", |r| r.name_en.as_str())).collect();
        out.push_str(&format!("| `{g}` | {} |\n", cells.join(" | ")));
    }
    out
}

#[test]
fn protocol_doc_lists_each_agreements_categories_fields_and_refusal_grounds() {
    let expected = agreements_tables(&AgreementBook::load_embedded().unwrap());
    let path = crate_dir().join("../../docs/protocol.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let begin = doc.find(AGREEMENTS_BEGIN).expect("docs/protocol.md has no <!-- agreements:begin --> marker")
        + AGREEMENTS_BEGIN.len();
    let end =
        begin + doc[begin..].find(AGREEMENTS_END).expect("docs/protocol.md has no <!-- agreements:end --> marker");
    if std::env::var_os("UPDATE_PROTOCOL_DOC").is_some() {
        std::fs::write(&path, format!("{}{expected}{}", &doc[..begin], &doc[end..])).unwrap();
        return;
    }
    assert!(
        doc[begin..end] == expected,
        "the agreement tables of docs/protocol.md (section 5.1.1) differ from the agreement files; \
         they should read:\n{expected}\n(UPDATE_PROTOCOL_DOC=1 rewrites it)"
    );
}
