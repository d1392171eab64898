//! The sender refuses to compose what the receiver would refuse (Art. 10.2 "at composition").

use jiff::Timestamp;
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{AgreementId, MessageId};
use sapar_treaty::message::MessageType;
use sapar_treaty::receive::{Outcome, receive};
use sapar_treaty::send::{ComposeError, Draft, check_draft, compose};
use serde_json::json;

use crate::fixture::*;

fn draft(body: serde_json::Value) -> Draft {
    Draft {
        id: MessageId::new_at(now()),
        agreement: kz_kg(),
        from: auth("KGZ-GMS"),
        to: auth("KAZ-MVD"),
        message_type: MessageType::Request,
        case_id: case_id(),
        in_reply_to: None,
        created_at: now(),
        body,
    }
}

fn refused(d: &Draft) -> ErrorCode {
    match compose(&world().book, d, 1, None, &identity(&world().kgz, 0)) {
        Err(ComposeError::Rejected(r)) => r.code,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn composed_request_is_accepted_by_the_receiver() {
    let m = compose(&world().book, &draft(request_body()), 1, None, &identity(&world().kgz, 0)).unwrap();
    let p = partners();
    let out = receive(&config(&world().book, &p), &state(), &kgz_peer(), &m.jws, now()).unwrap();
    assert!(matches!(out, Outcome::Accepted(_)));
    assert_eq!(m.header.id.as_uuid().get_version_num(), 7);
    assert_eq!(check_draft(&world().book, &draft(request_body())), Ok(()));
}

#[test]
fn art10_2_request_lacking_justification_cannot_be_composed() {
    let mut body = request_body();
    body.as_object_mut().unwrap().remove("justification");
    assert_eq!(refused(&draft(body.clone())), ErrorCode::RequestIncomplete);
    assert_eq!(check_draft(&world().book, &draft(body)).map_err(|r| r.code), Err(ErrorCode::RequestIncomplete));
}

#[test]
fn art7_extra_personal_field_cannot_leave_the_node() {
    let mut body = request_body();
    body["person"]["phone"] = json!("+996 555 000000");
    assert_eq!(refused(&draft(body)), ErrorCode::FieldOutsideAgreement);
}

#[test]
fn art18_nothing_is_sent_under_an_agreement_not_in_force() {
    let mut d = draft(request_body());
    d.agreement = AgreementId::parse("KAZ-ARM-2024").unwrap();
    d.from = auth("ARM-MCS");
    d.body["requesting_authority"] = json!("ARM-MCS");
    assert_eq!(refused(&d), ErrorCode::AgreementNotInForce);
    let mut d = draft(request_body());
    d.created_at = "2020-06-01T00:00:00Z".parse::<Timestamp>().unwrap();
    assert_eq!(refused(&d), ErrorCode::AgreementNotInForce);
}

#[test]
fn art2_only_competent_authorities_may_send() {
    let mut d = draft(request_body());
    d.to = auth("ARM-MCS");
    d.body["requested_authority"] = json!("ARM-MCS");
    assert_eq!(refused(&d), ErrorCode::AuthorityNotCompetent);
}

#[test]
fn art11_refusal_without_ground_cannot_be_composed() {
    let mut d = draft(json!({"scope": "full", "ground": null, "reasons": "противоречит законодательству"}));
    d.message_type = MessageType::Refusal;
    assert_eq!(refused(&d), ErrorCode::RefusalGroundInvalid);
}
