//! Property tests for the wire-format parsers and the deadline rule.

use jiff::{Timestamp, ToSpan};
use proptest::prelude::*;
use sapar_model::Country;
use sapar_treaty::ids::{CaseId, MessageId, Sha256Hash};
use sapar_treaty::jws;
use sapar_treaty::message::{MessageType, encode_envelope, parse_envelope};
use sapar_treaty::wire;
use serde_json::json;

use crate::fixture::*;

proptest! {
    #[test]
    fn envelope_parser_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_envelope(&bytes);
    }

    #[test]
    fn jws_parser_never_panics(text in "[A-Za-z0-9_.=+/-]{0,300}") {
        let _ = jws::parse_compact(&text, wire::TYP_MESSAGE);
    }

    #[test]
    fn envelope_round_trips(
        seq in 1u64..u64::MAX,
        secs in 1_600_000_000i64..2_000_000_000,
        case in any::<u128>(),
        prev in any::<[u8; 32]>(),
        mt in 0usize..MessageType::ALL.len(),
    ) {
        let created_at = Timestamp::from_second(secs).unwrap();
        let mut h = header(seq, (seq > 1).then(|| Sha256Hash::of(&prev)));
        h.created_at = created_at;
        h.id = MessageId::new_at(created_at);
        h.case_id = CaseId::from_uuid(uuid::Uuid::from_u128(case));
        let body = json!({"text": "x"});
        let bytes = encode_envelope(&h, MessageType::ALL[mt], &body);
        let (back, ty, b) = parse_envelope(&bytes).unwrap();
        prop_assert_eq!(back, h);
        prop_assert_eq!(ty, MessageType::ALL[mt].as_str());
        prop_assert_eq!(b, body);
    }

    #[test]
    fn hash_hex_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let h = Sha256Hash::of(&bytes);
        prop_assert_eq!(Sha256Hash::parse(&h.to_hex()).unwrap(), h);
    }

    #[test]
    fn art11_3_deadline_is_always_30_days_after_the_local_receipt_date(
        secs in 1_600_000_000i64..2_000_000_000,
        party in 0usize..2,
    ) {
        let a = world().book.get(&kz_kg()).unwrap();
        let state = [Country::KAZ, Country::KGZ][party];
        let receipt = Timestamp::from_second(secs).unwrap();
        let d = a.response_deadline_for(state, receipt).unwrap();
        prop_assert_eq!(d.received_on.checked_add(30.days()).unwrap(), d.due_on);
        prop_assert!(!d.is_overdue(receipt));
        prop_assert!(d.is_overdue(d.overdue_from.timestamp()));
        prop_assert_eq!(d.overdue_from.date(), d.due_on.checked_add(1.day()).unwrap());
    }
}

const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_single_character_change_is_refused(pos in any::<proptest::sample::Index>(), c in 0usize..64) {
        let m = request();
        let mut bytes = m.jws.clone().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != b'.' && bytes[i] != B64URL[c]);
        bytes[i] = B64URL[c];
        let forged = String::from_utf8(bytes).unwrap();
        let p = partners();
        let out = sapar_treaty::receive::receive(&config(&world().book, &p), &state(), &kgz_peer(), &forged, now());
        prop_assert!(out.is_err(), "accepted a JWS changed at {}", i);
    }
}
