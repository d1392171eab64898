//! The receiver pipeline: one accepting path and one negative test per error code, each
//! asserting the exact code.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::civil::date;
use sapar_model::Country;
use sapar_treaty::agreement::{AgreementBook, Authority, EMBEDDED_AGREEMENTS};
use sapar_treaty::case::CaseState;
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{CaseId, ChannelId, Sha256Hash};
use sapar_treaty::jws;
use sapar_treaty::message::{Body, MessageType};
use sapar_treaty::receive::{CaseRecord, ChannelHead, Outcome, TlsPeer, receive};
use sapar_treaty::send;
use sapar_treaty::wire;
use serde_json::json;

use crate::fixture::*;

fn code_of(book: &AgreementBook, st: &MemState, peer: &TlsPeer, jws: &str) -> ErrorCode {
    let p = partners();
    match receive(&config(book, &p), st, peer, jws, now()) {
        Ok(o) => panic!("accepted: {o:?}"),
        Err(r) => r.code,
    }
}

fn code(jws: &str) -> ErrorCode {
    code_of(&world().book, &state(), &kgz_peer(), jws)
}

fn code_in(st: &MemState, jws: &str) -> ErrorCode {
    code_of(&world().book, st, &kgz_peer(), jws)
}

fn signed(mt: MessageType, body: serde_json::Value) -> String {
    send::sign_header(header(1, None), mt, &body, &identity(&world().kgz, 0)).unwrap().jws
}

fn signed_with_header(h: sapar_treaty::message::Header, mt: MessageType, body: serde_json::Value) -> String {
    send::sign_header(h, mt, &body, &identity(&world().kgz, 0)).unwrap().jws
}

fn with_open_request(st: &mut MemState) {
    st.cases.insert(case_id(), CaseRecord { state: CaseState::Requested, opened_by: Country::KAZ });
}

#[test]
fn a_valid_request_is_accepted_with_its_audit_facts() {
    let m = request();
    let p = partners();
    let out = receive(&config(&world().book, &p), &state(), &kgz_peer(), &m.jws, now()).unwrap();
    let Outcome::Accepted(a) = out else { panic!("not accepted") };
    assert_eq!(a.hash, m.hash);
    assert_eq!(a.hash, Sha256Hash::of(&payload_of(&m.jws)));
    assert_eq!(a.channel.to_string(), "KAZ-KGZ-2019:KGZ>KAZ");
    assert_eq!(a.signatory_list_version, 1);
    assert_eq!(a.case_state, CaseState::Requested);
    assert_eq!(a.signer.fingerprint, world().kgz.signatories[0].cert.fingerprint);
    let Body::Request(r) = &a.message.body else { panic!("not a request") };
    assert_eq!(r.categories.len(), 2);
}

#[test]
fn same_id_same_content_is_a_duplicate() {
    let m = request();
    let mut st = state();
    st.seen.insert(m.header.id, m.hash);
    let p = partners();
    let out = receive(&config(&world().book, &p), &st, &kgz_peer(), &m.jws, now()).unwrap();
    assert_eq!(out, Outcome::Duplicate { id: m.header.id, hash: m.hash });
}

#[test]
fn check01_unknown_tls_peer_is_refused() {
    let peer = TlsPeer { cert_fingerprint: Sha256Hash::of(b"stranger"), subject: "CN=stranger".into() };
    assert_eq!(code_of(&world().book, &state(), &peer, &request().jws), ErrorCode::TlsPeerNotPartner);
}

#[test]
fn check02_truncated_malformed_and_unsupported_headers() {
    let jws = request().jws;
    let two: Vec<&str> = jws.split('.').take(2).collect();
    assert_eq!(code(&two.join(".")), ErrorCode::EnvelopeTruncated);
    assert_eq!(code(&format!("{}.", two.join("."))), ErrorCode::EnvelopeTruncated);
    assert_eq!(code(&format!("!!!.{}", &jws[jws.find('.').unwrap() + 1..])), ErrorCode::EnvelopeMalformed);
    let hs = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"sapar-message+jws","x5c":["AA=="]}"#);
    assert_eq!(code(&format!("{hs}.{}", &jws[jws.find('.').unwrap() + 1..])), ErrorCode::HeaderUnsupported);
    let crit = URL_SAFE_NO_PAD.encode(br#"{"alg":"ES256","typ":"sapar-message+jws","x5c":["AA=="],"crit":["b64"]}"#);
    assert_eq!(code(&format!("{crit}.{}", &jws[jws.find('.').unwrap() + 1..])), ErrorCode::HeaderUnsupported);
    let no_x5c = URL_SAFE_NO_PAD.encode(br#"{"alg":"ES256","typ":"sapar-message+jws"}"#);
    assert_eq!(code(&format!("{no_x5c}.{}", &jws[jws.find('.').unwrap() + 1..])), ErrorCode::HeaderUnsupported);
    let receipt_typ = jws::sign_compact(b"{}", wire::TYP_RECEIPT, &identity(&world().kgz, 0)).unwrap();
    assert_eq!(code(&receipt_typ), ErrorCode::HeaderUnsupported);
}

#[test]
fn check03_altered_payload_breaks_the_signature() {
    let jws = request().jws;
    let parts: Vec<&str> = jws.split('.').collect();
    let mut payload = payload_of(&jws);
    let pos = payload.windows(7).position(|w| w == b"BAKIROV").unwrap();
    payload[pos] = b'P';
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(payload), parts[2]);
    assert_eq!(code(&forged), ErrorCode::SignatureInvalid);
}

#[test]
fn check04_signer_from_another_states_ca_is_untrusted() {
    let jws = send::sign_header(header(1, None), MessageType::Request, &request_body(), &identity(&world().arm, 0))
        .unwrap()
        .jws;
    assert_eq!(code(&jws), ErrorCode::CertificateUntrusted);
}

#[test]
fn check05_payload_must_be_a_sapar_envelope() {
    let not_envelope = jws::sign_compact(br#"{"hello":1}"#, wire::TYP_MESSAGE, &identity(&world().kgz, 0)).unwrap();
    assert_eq!(code(&not_envelope), ErrorCode::PayloadMalformed);
    let mut env = request_wire();
    env.created_at = "2025-10-01T13:00:00+05:00".into();
    assert_eq!(code(&sign_wire(&env)), ErrorCode::PayloadMalformed);
    let mut env = request_wire();
    env.protocol = "sapar-exchange/2".into();
    assert_eq!(code(&sign_wire(&env)), ErrorCode::ProtocolUnsupported);
    // The envelope's members written as a JSON array, in order, are not an envelope either.
    let object = serde_json::to_value(request_wire()).unwrap();
    let members = [
        "protocol",
        "id",
        "agreement",
        "from",
        "to",
        "type",
        "case_id",
        "in_reply_to",
        "created_at",
        "seq",
        "prev_hash",
        "body",
    ];
    let values: Vec<&serde_json::Value> = members.iter().map(|m| &object[m]).collect();
    let as_array = serde_json::to_vec(&values).unwrap();
    let signed = jws::sign_compact(&as_array, wire::TYP_MESSAGE, &identity(&world().kgz, 0)).unwrap();
    assert_eq!(code(&signed), ErrorCode::PayloadMalformed);
}

#[test]
fn check06_same_id_different_content_is_a_replay_conflict() {
    let m = request();
    let mut st = state();
    st.seen.insert(m.header.id, Sha256Hash::of(b"something else"));
    assert_eq!(code_in(&st, &m.jws), ErrorCode::ReplayConflict);
}

#[test]
fn check07_message_from_the_future_is_clock_skew() {
    let mut h = header(1, None);
    h.created_at = now().checked_add(jiff::SignedDuration::from_mins(6)).unwrap();
    assert_eq!(code(&signed_with_header(h, MessageType::Request, request_body())), ErrorCode::ClockSkew);
    let mut h = header(1, None);
    h.created_at = now().checked_add(jiff::SignedDuration::from_mins(4)).unwrap();
    let p = partners();
    let jws = signed_with_header(h, MessageType::Request, request_body());
    assert!(receive(&config(&world().book, &p), &state(), &kgz_peer(), &jws, now()).is_ok());
}

#[test]
fn check08_certificate_not_valid_at_created_at_or_not_for_signing() {
    let mut h = header(1, None);
    h.created_at = ts("2025-08-01T00:00:00Z");
    assert_eq!(code(&signed_with_header(h, MessageType::Request, request_body())), ErrorCode::CertificateExpired);
    let by_ca = send::sign_header(header(1, None), MessageType::Request, &request_body(), &ca_identity(&world().kgz))
        .unwrap()
        .jws;
    assert_eq!(code(&by_ca), ErrorCode::CertificateUsageInvalid);
}

#[test]
fn check09_agreement_and_sides_must_match_the_tls_peer() {
    let mut h = header(1, None);
    h.agreement = sapar_treaty::ids::AgreementId::parse("KAZ-ARM-2024").unwrap();
    assert_eq!(code(&signed_with_header(h, MessageType::Request, request_body())), ErrorCode::AgreementUnknown);
    let mut h = header(1, None);
    h.from = auth("KAZ-MTSZN");
    assert_eq!(code(&signed_with_header(h, MessageType::Request, request_body())), ErrorCode::SenderNotTlsPeer);
    let mut h = header(1, None);
    h.to = auth("KGZ-MVD");
    assert_eq!(code(&signed_with_header(h, MessageType::Request, request_body())), ErrorCode::RecipientNotLocal);
}

#[test]
fn art10_3_signer_must_be_on_the_authoritys_list() {
    let unlisted =
        send::sign_header(header(1, None), MessageType::Request, &request_body(), &identity(&world().kgz, 1))
            .unwrap()
            .jws;
    assert_eq!(code(&unlisted), ErrorCode::SignatoryNotListed);
    // The KGZ-MVD officer is listed, but for KGZ-MVD, not for KGZ-GMS.
    let other = send::sign_header(header(1, None), MessageType::Request, &request_body(), &identity(&world().kgz, 2))
        .unwrap()
        .jws;
    assert_eq!(code(&other), ErrorCode::SignatoryNotListed);
}

#[test]
fn art10_4_a_newer_list_applies_from_its_effective_time() {
    let w = world();
    let mut st = state();
    st.signatories.add(sapar_treaty::message::SignatoryList {
        authority: auth("KGZ-GMS"),
        version: 2,
        effective_from: ts("2025-09-20T00:00:00Z"),
        signatories: vec![sapar_treaty::message::SignatoryEntry {
            name: "Unlisted Officer".into(),
            position: "head".into(),
            certificate_sha256: w.kgz.signatories[1].cert.fingerprint,
        }],
    });
    // The first officer was dropped by version 2.
    assert_eq!(code_in(&st, &request().jws), ErrorCode::SignatoryNotListed);
    let by_new =
        send::sign_header(header(1, None), MessageType::Request, &request_body(), &identity(&w.kgz, 1)).unwrap().jws;
    let p = partners();
    let Ok(Outcome::Accepted(a)) = receive(&config(&w.book, &p), &st, &kgz_peer(), &by_new, now()) else {
        panic!("not accepted")
    };
    assert_eq!(a.signatory_list_version, 2);
}

#[test]
fn art18_no_message_under_a_terminated_agreement() {
    let mut book = world().book.clone();
    let a = book.get(&kz_kg()).unwrap().with_termination_notice(date(2025, 1, 10));
    book.replace(a);
    assert_eq!(code_of(&book, &state(), &kgz_peer(), &request().jws), ErrorCode::AgreementNotInForce);
}

#[test]
fn art2_replaced_authority_is_no_longer_competent() {
    let mut book = world().book.clone();
    let new = Authority {
        id: auth("KGZ-MTM"),
        state: Country::KGZ,
        name_ru: "Министерство труда, социального обеспечения и миграции".into(),
        name_en: "Ministry of Labour, Social Security and Migration".into(),
        from: None,
        until: None,
    };
    let a = book
        .get(&kz_kg())
        .unwrap()
        .with_authority_change(date(2025, 9, 15), Some(&auth("KGZ-GMS")), Some(new))
        .unwrap();
    book.replace(a);
    assert_eq!(code_of(&book, &state(), &kgz_peer(), &request().jws), ErrorCode::AuthorityNotCompetent);
}

#[test]
fn check13_unknown_message_type() {
    let mut env = request_wire();
    env.message_type = "gossip".into();
    assert_eq!(code(&sign_wire(&env)), ErrorCode::MessageTypeUnknown);
}

#[test]
fn check14_answer_without_open_request_is_not_allowed() {
    let body = json!({"results": [{"category": "registration", "status": "not_found"}]});
    assert_eq!(code(&signed(MessageType::Answer, body.clone())), ErrorCode::MessageTypeNotAllowed);
    // KGZ opened the case: KGZ cannot answer its own request.
    let mut st = state();
    st.cases.insert(case_id(), CaseRecord { state: CaseState::Requested, opened_by: Country::KGZ });
    assert_eq!(code_in(&st, &signed(MessageType::Answer, body.clone())), ErrorCode::MessageTypeNotAllowed);
    let mut st = state();
    with_open_request(&mut st);
    let p = partners();
    let jws = signed(MessageType::Answer, body);
    let Ok(Outcome::Accepted(a)) = receive(&config(&world().book, &p), &st, &kgz_peer(), &jws, now()) else {
        panic!("not accepted")
    };
    assert_eq!(a.case_state, CaseState::Answered);
}

#[test]
fn check15_body_shape_errors_are_body_invalid() {
    let mut body = request_body();
    body.as_object_mut().unwrap().remove("categories");
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::BodyInvalid);
    let mut body = request_body();
    body["person"]["birth_date"] = json!("17.05.1994");
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::BodyInvalid);
    let mut body = request_body();
    body["person"]["surname"] = json!({"cyrillic": "BAKIROV"});
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::BodyInvalid);
    let mut body = request_body();
    body["requested_authority"] = json!("KAZ-MTSZN");
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::BodyInvalid);
}

#[test]
fn art10_2_request_without_substance_purpose_or_justification_is_incomplete() {
    for key in ["requesting_authority", "requested_authority", "substance", "purpose", "justification"] {
        let mut body = request_body();
        body.as_object_mut().unwrap().remove(key);
        assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::RequestIncomplete, "{key}");
    }
    let mut body = request_body();
    body["purpose"] = json!("   ");
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::RequestIncomplete);
}

#[test]
fn art11_refusal_requires_grounds() {
    let mut st = state();
    with_open_request(&mut st);
    let no_ground = json!({"scope": "full", "ground": null, "reasons": "исполнение противоречит законодательству"});
    assert_eq!(code_in(&st, &signed(MessageType::Refusal, no_ground)), ErrorCode::RefusalGroundInvalid);
    let unlisted = json!({"scope": "full", "ground": "national_pride", "reasons": "..."});
    assert_eq!(code_in(&st, &signed(MessageType::Refusal, unlisted)), ErrorCode::RefusalGroundInvalid);
    let no_reasons = json!({"scope": "full", "ground": "security", "reasons": " "});
    assert_eq!(code_in(&st, &signed(MessageType::Refusal, no_reasons)), ErrorCode::BodyInvalid);
    let ok = json!({"scope": "partial", "categories": ["registration"], "ground": "security", "reasons": "угроза безопасности"});
    let p = partners();
    assert!(receive(&config(&world().book, &p), &st, &kgz_peer(), &signed(MessageType::Refusal, ok), now()).is_ok());
    let answer_refusal =
        json!({"results": [], "refusals": [{"category": "registration", "ground": null, "reasons": "x"}]});
    assert_eq!(code_in(&st, &signed(MessageType::Answer, answer_refusal)), ErrorCode::RefusalGroundInvalid);
}

#[test]
fn art6_category_outside_agreement() {
    let mut body = request_body();
    body["categories"] = json!(["registration", "tax_records"]);
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::CategoryOutsideAgreement);
    // A known category that this agreement's terms do not list.
    let (name, text) = EMBEDDED_AGREEMENTS[0];
    let narrowed =
        text.replacen("\"statistics\", \"legislation\", \"violations\",", "\"statistics\", \"legislation\",", 1);
    let book = AgreementBook::from_files([(name, narrowed.as_str())]).unwrap();
    let mut body = request_body();
    body["categories"] = json!(["violations"]);
    assert_eq!(
        code_of(&book, &state(), &kgz_peer(), &signed(MessageType::Request, body)),
        ErrorCode::CategoryOutsideAgreement
    );
}

#[test]
fn art7_field_outside_agreement() {
    let mut body = request_body();
    body["person"]["mother_name"] = json!("Айгуль");
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::FieldOutsideAgreement);
    let mut body = request_body();
    body["fields"] = json!(["registration", "phone_number"]);
    assert_eq!(code(&signed(MessageType::Request, body)), ErrorCode::FieldOutsideAgreement);
    // A known Art. 7 field that a narrower agreement does not list.
    let (name, text) = EMBEDDED_AGREEMENTS[0];
    let narrowed = text.replacen("\"photograph\", \"fingerprint_card\",", "\"photograph\",", 1);
    let book = AgreementBook::from_files([(name, narrowed.as_str())]).unwrap();
    let mut body = request_body();
    body["fields"] = json!(["fingerprint_card"]);
    assert_eq!(
        code_of(&book, &state(), &kgz_peer(), &signed(MessageType::Request, body)),
        ErrorCode::FieldOutsideAgreement
    );
    // Answers are checked too: a record may not carry more than Art. 7 allows.
    let mut st = state();
    with_open_request(&mut st);
    let answer = json!({"results": [{"category": "registration", "status": "found",
        "records": [{"surname": {"latin": "BAKIROV"}, "salary": "1000"}]}]});
    assert_eq!(code_in(&st, &signed(MessageType::Answer, answer)), ErrorCode::FieldOutsideAgreement);
}

#[test]
fn check17_sequence_and_previous_hash() {
    let channel = ChannelId::parse("KAZ-KGZ-2019:KGZ>KAZ").unwrap();
    let mut st = state();
    st.heads.insert(channel.clone(), ChannelHead { seq: 3, hash: Sha256Hash::of(b"m3") });
    // seq 1 again (a new id), and a gap.
    assert_eq!(code_in(&st, &request().jws), ErrorCode::SequenceOutOfOrder);
    let gap = signed_with_header(header(5, Some(Sha256Hash::of(b"m4"))), MessageType::Request, request_body());
    assert_eq!(code_in(&st, &gap), ErrorCode::SequenceOutOfOrder);
    let wrong_prev = signed_with_header(header(4, Some(Sha256Hash::of(b"m2"))), MessageType::Request, request_body());
    assert_eq!(code_in(&st, &wrong_prev), ErrorCode::ChainHashMismatch);
    let right = signed_with_header(header(4, Some(Sha256Hash::of(b"m3"))), MessageType::Request, request_body());
    let p = partners();
    assert!(receive(&config(&world().book, &p), &st, &kgz_peer(), &right, now()).is_ok());
}

#[test]
fn check17_null_prev_hash_after_seq_1_is_a_chain_hash_mismatch() {
    // The next number with `prev_hash: null`: the sender resynchronises on this code, so it is
    // not refused as a malformed payload.
    let channel = ChannelId::parse("KAZ-KGZ-2019:KGZ>KAZ").unwrap();
    let mut st = state();
    st.heads.insert(channel, ChannelHead { seq: 3, hash: Sha256Hash::of(b"m3") });
    let null_prev = signed_with_header(header(4, None), MessageType::Request, request_body());
    assert_eq!(code_in(&st, &null_prev), ErrorCode::ChainHashMismatch);
    // A number that is not the next one is out of order, whatever its prev_hash.
    let null_gap = signed_with_header(header(5, None), MessageType::Request, request_body());
    assert_eq!(code_in(&st, &null_gap), ErrorCode::SequenceOutOfOrder);
    // And on a new channel, seq 1 with a prev_hash that is not null.
    let first_with_prev =
        signed_with_header(header(1, Some(Sha256Hash::of(b"m0"))), MessageType::Request, request_body());
    assert_eq!(code(&first_with_prev), ErrorCode::ChainHashMismatch);
    // The message says what the channel expects.
    let p = partners();
    let refused = receive(&config(&world().book, &p), &st, &kgz_peer(), &null_prev, now()).unwrap_err();
    assert!(refused.message.contains(&format!("expects prev_hash {}, got null", Sha256Hash::of(b"m3"))), "{refused}");
}

#[test]
fn every_error_code_is_distinct_and_has_a_4xx_or_5xx_status() {
    let all = ErrorCode::ALL;
    for (i, c) in all.iter().enumerate() {
        assert!((400..600).contains(&c.http_status()), "{c}");
        assert_eq!(ErrorCode::parse(c.as_str()), Some(*c));
        assert!(all[..i].iter().all(|d| d.as_str() != c.as_str()));
        assert!(c.as_str().chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'));
    }
}

#[test]
fn a_conversation_advances_the_channel_and_the_case() {
    // KGZ requests, KAZ (simulated) acknowledges, KGZ withdraws: the receiver state evolves.
    let w = world();
    let p = partners();
    let cfg = config(&w.book, &p);
    let mut st = state();
    let case = CaseId::parse("0199a0b0-0000-7000-8000-0000000000aa").unwrap();
    let mut h = header(1, None);
    h.case_id = case;
    let first = send::sign_header(h, MessageType::Request, &request_body(), &identity(&w.kgz, 0)).unwrap();
    let Ok(Outcome::Accepted(a)) = receive(&cfg, &st, &kgz_peer(), &first.jws, now()) else { panic!() };
    st.seen.insert(a.message.header.id, a.hash);
    st.heads.insert(a.channel.clone(), ChannelHead { seq: 1, hash: a.hash });
    st.cases.insert(case, CaseRecord { state: a.case_state, opened_by: Country::KGZ });
    let mut h = header(2, Some(a.hash));
    h.case_id = case;
    h.in_reply_to = Some(a.message.header.id);
    let withdraw =
        send::sign_header(h, MessageType::Withdrawal, &json!({"text": "вопрос решён"}), &identity(&w.kgz, 0)).unwrap();
    let Ok(Outcome::Accepted(b)) = receive(&cfg, &st, &kgz_peer(), &withdraw.jws, now()) else { panic!() };
    assert_eq!(b.case_state, CaseState::Withdrawn);
    assert_eq!(b.message.header.prev_hash, Some(a.hash));
}

#[test]
fn art2_authority_change_message_updates_the_partners_record() {
    let body = json!({
        "state": "KGZ",
        "effective_on": "2025-11-01",
        "replaced": "KGZ-GMS",
        "new": {"id": "KGZ-MTM", "name_ru": "Министерство труда и миграции", "name_en": "Ministry of Labour and Migration"},
        "basis": "нота МИД КР № 12/345"
    });
    let p = partners();
    let jws = signed(MessageType::AuthorityChange, body);
    let Ok(Outcome::Accepted(a)) = receive(&config(&world().book, &p), &state(), &kgz_peer(), &jws, now()) else {
        panic!("not accepted")
    };
    let Body::AuthorityChange(change) = &a.message.body else { panic!("not an authority change") };
    let updated = change.apply_to(world().book.get(&kz_kg()).unwrap()).unwrap();
    assert!(updated.is_competent(&auth("KGZ-GMS"), date(2025, 10, 31)));
    assert!(!updated.is_competent(&auth("KGZ-GMS"), date(2025, 11, 1)));
    assert!(updated.is_competent(&auth("KGZ-MTM"), date(2025, 11, 1)));
    // A KGZ authority cannot notify changes of KAZ's authorities.
    let foreign = json!({"state": "KAZ", "effective_on": "2025-11-01", "replaced": "KAZ-MVD", "basis": "x"});
    assert_eq!(code(&signed(MessageType::AuthorityChange, foreign)), ErrorCode::BodyInvalid);
}

fn signatory_list_body(version: u32) -> serde_json::Value {
    json!({
        "authority": "KGZ-GMS",
        "version": version,
        "effective_from": "2025-10-01T00:00:00Z",
        "signatories": [{
            "name": "Бакиев Нурлан",
            "position": "заместитель директора",
            "certificate_sha256": world().kgz.signatories[0].cert.fingerprint.to_hex()
        }]
    })
}

#[test]
fn check18_a_signatory_list_not_newer_than_the_one_held_is_refused() {
    // The receiver holds version 1 of KGZ-GMS's list (exchanged out of band).
    assert_eq!(code(&signed(MessageType::SignatoryList, signatory_list_body(1))), ErrorCode::SignatoryListNotNewer);
    let p = partners();
    let newer = signed(MessageType::SignatoryList, signatory_list_body(2));
    let Ok(Outcome::Accepted(a)) = receive(&config(&world().book, &p), &state(), &kgz_peer(), &newer, now()) else {
        panic!("version 2 not accepted")
    };
    let Body::SignatoryList(list) = &a.message.body else { panic!("not a signatory list") };
    assert_eq!(list.version, 2);
    // Version 3 held, not yet in force: version 2 is still not newer.
    let mut st = state();
    st.signatories.add(sapar_treaty::message::SignatoryList {
        authority: auth("KGZ-GMS"),
        version: 3,
        effective_from: ts("2030-01-01T00:00:00Z"),
        signatories: Vec::new(),
    });
    assert_eq!(code_in(&st, &newer), ErrorCode::SignatoryListNotNewer);
}

#[test]
fn check18_an_authority_change_that_does_not_apply_is_refused() {
    let change = json!({
        "state": "KGZ",
        "effective_on": "2025-11-01",
        "replaced": "KGZ-GRS",
        "basis": "нота МИД КР № 12/346"
    });
    let jws = signed(MessageType::AuthorityChange, change.clone());
    let p = partners();
    let Ok(Outcome::Accepted(a)) = receive(&config(&world().book, &p), &state(), &kgz_peer(), &jws, now()) else {
        panic!("not accepted")
    };
    let Body::AuthorityChange(c) = &a.message.body else { panic!("not an authority change") };
    // Once applied, the same change (another message) replaces an authority no longer competent.
    let mut book = world().book.clone();
    book.replace(c.apply_to(book.get(&kz_kg()).unwrap()).unwrap());
    let again = signed(MessageType::AuthorityChange, change);
    assert_eq!(code_of(&book, &state(), &kgz_peer(), &again), ErrorCode::AuthorityChangeNotApplicable);
    let unknown = json!({"state": "KGZ", "effective_on": "2025-11-01", "replaced": "KGZ-NONE", "basis": "x"});
    assert_eq!(code(&signed(MessageType::AuthorityChange, unknown)), ErrorCode::AuthorityChangeNotApplicable);
    let twice = json!({
        "state": "KGZ",
        "effective_on": "2025-11-01",
        "new": {"id": "KGZ-GMS", "name_ru": "Государственная миграционная служба", "name_en": "State Migration Service"},
        "basis": "x"
    });
    assert_eq!(code(&signed(MessageType::AuthorityChange, twice)), ErrorCode::AuthorityChangeNotApplicable);
}
