//! Generates the worked examples of `docs/protocol.md`: demo keys for KGZ and KAZ, a signed
//! request, its receipt, a signatory list and a log entry. Writes them to
//! `crates/sapar-treaty/test_data/protocol/` and refreshes the marked blocks of the document.
//!
//! Run: `cargo run -p sapar-treaty --example protocol_examples`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jiff::Timestamp;
use sapar_model::Country;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, ChannelId, MessageId};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::keys::{Officer, init_state_keys};
use sapar_treaty::log::{LogDirection, LogEntry, LogRecord};
use sapar_treaty::message::{Header, MessageType};
use sapar_treaty::receipt::sign_receipt;
use sapar_treaty::send::sign_header;
use sapar_treaty::wire;
use serde_json::json;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("protocol_examples: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Pretty-prints a payload in its wire member order.
fn pretty<T: serde::Serialize + serde::de::DeserializeOwned>(bytes: &[u8]) -> Res<String> {
    let v: T = serde_json::from_slice(bytes)?;
    Ok(serde_json::to_string_pretty(&v)?)
}

fn decode_part(jws: &str, i: usize) -> Res<Vec<u8>> {
    use base64::Engine as _;
    let part = jws.split('.').nth(i).ok_or("short JWS")?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part)?)
}

fn run() -> Res<()> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = crate_dir.join("test_data/protocol");
    let doc = crate_dir.join("../../docs/protocol.md");
    std::fs::create_dir_all(&out)?;

    let issued: Timestamp = "2025-09-01T00:00:00Z".parse()?;
    let at: Timestamp = "2025-10-01T08:00:00Z".parse()?;
    let received: Timestamp = "2025-10-01T08:00:02Z".parse()?;
    let officer = Officer {
        authority: AuthorityId::parse("KGZ-GMS")?,
        name: "Бакиев Нурлан".into(),
        position: "заместитель директора".into(),
    };
    let kgz = init_state_keys(Country::KGZ, std::slice::from_ref(&officer), issued)?;
    let kaz = init_state_keys(Country::KAZ, &[], issued)?;
    let signatory = &kgz.signatories[0];
    let signer = SigningIdentity::from_pem(&signatory.cert.cert_pem, &signatory.cert.key_pem)?;
    let kaz_node = SigningIdentity::from_pem(&kaz.node.cert_pem, &kaz.node.key_pem)?;

    let agreement = AgreementId::parse("KAZ-KGZ-2019")?;
    let list_header = Header {
        id: MessageId::new_at(at),
        agreement: agreement.clone(),
        from: AuthorityId::parse("KGZ-GMS")?,
        to: AuthorityId::parse("KAZ-MVD")?,
        case_id: CaseId::from_uuid(uuid::Uuid::new_v4()),
        in_reply_to: None,
        created_at: at,
        seq: 1,
        prev_hash: None,
    };
    let list_body = json!({
        "authority": "KGZ-GMS",
        "version": 2,
        "effective_from": "2025-10-01T00:00:00Z",
        "signatories": [{
            "name": officer.name,
            "position": officer.position,
            "certificate_sha256": signatory.cert.fingerprint.to_hex(),
        }]
    });
    let list = sign_header(list_header, MessageType::SignatoryList, &list_body, &signer)?;

    let request_header = Header {
        id: MessageId::new_at(at),
        agreement,
        from: AuthorityId::parse("KGZ-GMS")?,
        to: AuthorityId::parse("KAZ-MVD")?,
        case_id: CaseId::from_uuid(uuid::Uuid::new_v4()),
        in_reply_to: None,
        created_at: at,
        seq: 2,
        prev_hash: Some(list.hash),
    };
    let request_body = json!({
        "requesting_authority": "KGZ-GMS",
        "requested_authority": "KAZ-MVD",
        "substance": "Сведения о регистрации по месту пребывания и разрешении на временное проживание",
        "purpose": "установление правового статуса гражданина Кыргызской Республики (ст. 6 Соглашения)",
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
    });
    let request = sign_header(request_header, MessageType::Request, &request_body, &signer)?;
    let receipt = sign_receipt(request.header.id, request.hash, received, &kaz.node_name, &kaz_node)?;

    let entry = LogEntry::append(
        None,
        LogRecord {
            at: received,
            direction: LogDirection::Received,
            channel: ChannelId::parse("KAZ-KGZ-2019:KGZ>KAZ")?,
            seq: request.header.seq,
            message_id: request.header.id,
            message_hash: request.hash,
        },
    );

    let files: Vec<(&str, String)> = vec![
        ("kgz-ca.pem", kgz.ca.cert_pem.clone()),
        ("kgz-node.pem", kgz.node.cert_pem.clone()),
        ("kgz-signatory.pem", signatory.cert.cert_pem.clone()),
        ("kgz-signatory.key.pem", signatory.cert.key_pem.clone()),
        ("kaz-ca.pem", kaz.ca.cert_pem.clone()),
        ("kaz-node.pem", kaz.node.cert_pem.clone()),
        ("signatory_list.jws", format!("{}\n", list.jws)),
        ("signatory_list.sha256", format!("{}\n", list.hash)),
        ("request.jws", format!("{}\n", request.jws)),
        ("request.header.json", format!("{}\n", String::from_utf8(decode_part(&request.jws, 0)?)?)),
        ("request.payload.json", format!("{}\n", pretty::<wire::Envelope>(&decode_part(&request.jws, 1)?)?)),
        ("request.sha256", format!("{}\n", request.hash)),
        ("receipt.jws", format!("{receipt}\n")),
        ("receipt.payload.json", format!("{}\n", pretty::<wire::Receipt>(&decode_part(&receipt, 1)?)?)),
        ("log-entry.txt", String::from_utf8(entry.canonical_bytes())?),
        ("log-entry.sha256", format!("{}\n", entry.entry_hash)),
    ];
    for (name, content) in &files {
        std::fs::write(out.join(name), content)?;
    }
    refresh_doc(&doc, &files)?;
    eprintln!("wrote {} files to {} and refreshed {}", files.len(), out.display(), doc.display());
    Ok(())
}

/// Replaces the content between `<!-- BEGIN example NAME -->` and `<!-- END example NAME -->`.
fn refresh_doc(doc: &Path, files: &[(&str, String)]) -> Res<()> {
    let mut text = std::fs::read_to_string(doc)?;
    for (name, content) in files {
        let begin = format!("<!-- BEGIN example {name} -->\n");
        let end = format!("<!-- END example {name} -->");
        let (Some(b), Some(e)) = (text.find(&begin), text.find(&end)) else { continue };
        let lang = if name.ends_with(".json") { "json" } else { "text" };
        let block = format!("```{lang}\n{}\n```\n", content.trim_end_matches('\n'));
        text.replace_range(b + begin.len()..e, &block);
    }
    std::fs::write(doc, text)?;
    Ok(())
}
