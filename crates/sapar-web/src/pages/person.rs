//! The person page: asks the purpose first, then shows identity in both scripts, documents,
//! crossings as a timeline, the stay verdict with its legal basis, permits, registrations of place
//! of stay (filed, extended and ended from here), violations, entry
//! bans (recorded and lifted from here by migration officers), expulsions, the control register
//! entries (with the inclusion form for migration officers), the migrant card (with its QR code,
//! its printable form and a request for a new one), the events partner
//! states may be told of, and merged identities. Opening it is a logged read under the stated purpose.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use sapar_model::{Direction, PersonId, ReadPurpose, Role};
use sapar_register::access::{Access, AccessChannel};
use sapar_register::records::ViolationStatus;
use serde::Deserialize;

use super::control::key;
use super::{purpose_prompt, require, usual_purpose};
use crate::WebState;
use crate::page::{Ctx, PageError, TwoScripts, render};
use crate::session::Officer;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PurposeParams {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
    /// Why a card asked for from this page was not issued (an error code of the register).
    #[serde(default)]
    card: String,
}

pub(crate) struct DocumentRow {
    kind: String,
    reference: String,
    expiry: String,
}

pub(crate) struct CrossingRow {
    entry: bool,
    /// For a refused entry: the ground (and note) in the officer's language.
    refusal: Option<String>,
    date: String,
    time: String,
    point: String,
    document: String,
}

pub(crate) struct PermitRow {
    kind: String,
    number: String,
    from: String,
    to: String,
    revoked: String,
}

pub(crate) struct ViolationRow {
    kind: String,
    detected: String,
    /// Days overstayed, for an overstay the register found.
    days: Option<i64>,
    status: String,
    /// The article, or the stay rule broken when no article was recorded.
    article: String,
    /// The fine with its unit and payment, empty when none.
    fine: String,
    /// The payment form, for a migration officer while the fine is unpaid.
    payment_href: Option<String>,
}

pub(crate) struct RegistrationRow {
    address: String,
    /// From and until, as the officer reads dates.
    period: String,
    /// The receiving party's kind, name and identity.
    party: String,
    state: String,
    /// The last day to register the arrival on time; empty when no rule sets one.
    due: String,
    late: bool,
    /// The extension and end form, for a registration in force.
    change_href: Option<String>,
}

pub(crate) struct BanRow {
    from: String,
    until: String,
    ground: String,
    basis: String,
    decision: String,
    /// `ban-in-force`, `ban-lifted-from`, `ban-ended` or `ban-not-yet`.
    status_key: &'static str,
    /// The day a lift took effect, for `ban-lifted-from`.
    lifted_from: String,
    lift_reason: String,
    /// The lift form, for a migration officer and a ban with days left.
    lift_href: Option<String>,
}

pub(crate) struct ExpulsionRow {
    kind: String,
    decided: String,
    decision: String,
    basis: String,
    leave_by: String,
    /// The day the person left, once executed.
    departed: Option<String>,
}

pub(crate) struct ControlRow {
    ground_key: String,
    included: String,
    decision: String,
    active: bool,
    /// The day and the reason's key, for a removed entry.
    removed: Option<(String, String)>,
    /// Undecided removal applications.
    pending: i64,
    href: String,
}

pub(crate) struct EventRow {
    kind: String,
    at: String,
    actor: String,
    state: String,
}

/// The person's latest card, as the page shows it.
pub(crate) struct CardSection {
    number: String,
    /// `card-status-valid`, `-expired` or `-revoked`.
    status_key: String,
    issued_on: String,
    valid_until: String,
    /// The reason's translation key, when revoked.
    revocation_key: Option<String>,
    /// The seal as an SVG QR code in a `data:` URL.
    qr: String,
    print_href: String,
}

impl CardSection {
    pub(crate) fn new(
        number: String,
        status_key: String,
        issued_on: String,
        valid_until: String,
        revocation_key: Option<String>,
        qr: String,
        print_href: String,
    ) -> CardSection {
        CardSection { number, status_key, issued_on, valid_until, revocation_key, qr, print_href }
    }
}

pub(crate) struct StayView {
    present: bool,
    legal: bool,
    days_used: i64,
    days_left: Option<i64>,
    overstay_days: i64,
    last_legal_day: String,
    on: String,
    rules: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    ctx: Ctx,
    name: TwoScripts,
    sex: String,
    birth_date: String,
    citizenship: String,
    id: String,
    merged_from: Option<String>,
    purpose_key: String,
    documents: Vec<DocumentRow>,
    crossings: Vec<CrossingRow>,
    stay: Option<StayView>,
    permits: Vec<PermitRow>,
    violations: Vec<ViolationRow>,
    /// Registrations of place of stay, in the order they were filed.
    registrations: Vec<RegistrationRow>,
    /// The form filing one, for border and migration officers.
    file_registration_href: Option<String>,
    bans: Vec<BanRow>,
    expulsions: Vec<ExpulsionRow>,
    /// The form recording a ban, for a migration officer.
    record_ban_href: Option<String>,
    /// The form recording a violation, for a migration officer.
    record_violation_href: Option<String>,
    /// The person's control register entries, removed ones too.
    controls: Vec<ControlRow>,
    /// The inclusion form, for a migration officer while the person is not listed.
    include_control_href: Option<String>,
    /// The events partner states may be told of; shown to migration officers.
    events: Option<Vec<EventRow>>,
    /// The latest migrant card, revoked or not.
    card: Option<CardSection>,
    /// The form issuing a card on request (when the register issues cards).
    issue_card_action: Option<String>,
    /// Why the last request for a card was refused, translated.
    card_refusal: Option<String>,
    csrf: String,
    purpose_code: String,
}

/// `GET /persons/{id}`: the purpose form, then the person.
pub(crate) async fn person(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<PurposeParams>,
) -> Result<Response, PageError> {
    require(&officer, &[Role::Border, Role::Officer])?;
    let lang = officer.lang;
    let id: PersonId = id.parse::<uuid::Uuid>().map(PersonId::from_uuid).map_err(|_| PageError::NotFound(lang))?;
    let Some(purpose) = ReadPurpose::parse(&params.purpose) else {
        let usual = usual_purpose(officer.session.actor.role);
        return Ok(purpose_prompt(&officer, format!("/persons/{id}"), Vec::new(), usual, &params.note));
    };
    let access = Access::new(officer.session.actor.clone(), purpose, AccessChannel::Web)
        .from_address(officer.address)
        .with_note(Some(&params.note))
        .map_err(|_| PageError::Forbidden(lang))?;
    let register = &state.register;
    let found = register.person(&access, id).await.map_err(|e| PageError::from_register(lang, e))?;
    let record = &found.record;
    let person_id = record.person.id;
    let stay = register.stay(&access, person_id, None).await.ok();
    // Border officers see the stay; violations are the migration officers' work.
    let violations = match officer.session.actor.role {
        Role::Officer => {
            register.violations_of(&access, person_id).await.map_err(|e| PageError::from_register(lang, e))?
        }
        _ => Vec::new(),
    };
    let registrations =
        register.registrations_of(&access, person_id).await.map_err(|e| PageError::from_register(lang, e))?;
    let bans = register.bans_of(&access, person_id).await.map_err(|e| PageError::from_register(lang, e))?;
    let expulsions = register.expulsions_of(&access, person_id).await.map_err(|e| PageError::from_register(lang, e))?;
    let controls =
        register.control_entries_of(&access, person_id).await.map_err(|e| PageError::from_register(lang, e))?;
    let events = match officer.session.actor.role {
        Role::Officer => {
            Some(register.events_of(&access, person_id).await.map_err(|e| PageError::from_register(lang, e))?)
        }
        _ => None,
    };
    let decider = officer.session.actor.role == Role::Officer;
    let filer = super::registrations::FILERS.contains(&officer.session.actor.role);
    let today = register.today();
    let ctx = Ctx::of(&officer);
    let cards = if register.card_issuer().is_some() {
        register.cards_of(&access, person_id).await.map_err(|e| PageError::from_register(lang, e))?
    } else {
        Vec::new()
    };
    let card = cards.last().map(|c| super::cards::card_section(&ctx, c, today, purpose));
    let card_refusal = super::cards::refusal_key(&params.card).map(|k| ctx.t(k));
    let details = &record.person.details;
    let page = PersonPage {
        name: TwoScripts::of(&details.name),
        sex: ctx.t(&format!("sex-{}", details.sex.code().to_lowercase())),
        birth_date: ctx.opt_date(&details.birth_date),
        citizenship: details.citizenship.code().to_owned(),
        id: person_id.to_string(),
        merged_from: found.merged_from.map(|m| m.to_string()),
        purpose_key: format!("purpose-{}", purpose.as_str().replace('_', "-")),
        documents: record
            .person
            .documents
            .iter()
            .map(|d| DocumentRow {
                kind: d.document_type.as_str().to_owned(),
                reference: d.key.to_string(),
                expiry: ctx.opt_date(&d.expiry),
            })
            .collect(),
        crossings: {
            // Crossings and refused entries in one timeline, the latest first.
            let mut all: Vec<&sapar_model::Crossing> = record.crossings.iter().chain(&record.refusals).collect();
            all.sort_by_key(|c| std::cmp::Reverse(c.at.timestamp()));
            all.into_iter()
                .map(|c| CrossingRow {
                    entry: c.direction == Direction::Entry,
                    refusal: match &c.outcome {
                        sapar_model::Outcome::Crossed => None,
                        sapar_model::Outcome::Refused { ground, note } => {
                            let ground = ctx.t(&format!("refusal-ground-{}", ground.as_str().replace('_', "-")));
                            Some(note.as_ref().map_or_else(|| ground.clone(), |n| format!("{ground}: {n}")))
                        }
                    },
                    date: ctx.date(&c.at.date()),
                    time: format!("{:02}:{:02}", c.at.hour(), c.at.minute()),
                    point: c.point.as_str().to_owned(),
                    document: c.document.to_string(),
                })
                .collect()
        },
        stay: stay.map(|s| StayView {
            present: s.present,
            legal: s.legal,
            days_used: i64::from(s.days_used),
            days_left: s.days_left.map(i64::from),
            overstay_days: i64::from(s.overstay_days),
            last_legal_day: ctx.opt_date(&s.last_legal_day),
            on: ctx.date(&s.on),
            rules: s.rules.iter().map(|r| (r.id.clone(), r.basis.clone())).collect(),
        }),
        permits: record
            .permits
            .iter()
            .map(|p| PermitRow {
                kind: ctx.t(&format!("permit-{}", p.kind.as_str().replace('_', "-"))),
                number: p.number.clone(),
                from: ctx.date(&p.valid_from),
                to: ctx.date(&p.valid_to),
                revoked: p.revocation.as_ref().map_or_else(String::new, |r| ctx.date(&r.from)),
            })
            .collect(),
        violations: violations
            .iter()
            .map(|v| ViolationRow {
                kind: ctx.t(&format!("violation-kind-{}", v.kind.replace('_', "-"))),
                detected: ctx.date(&v.detected_on),
                days: v.overstay.as_ref().map(|o| i64::from(o.overstay_days)),
                status: ctx.t(&format!("violation-status-{}", v.status.as_str())),
                article: v
                    .article
                    .clone()
                    .or_else(|| v.overstay.as_ref().map(|o| o.rule_id.clone()))
                    .unwrap_or_default(),
                fine: v.fine.as_ref().map_or_else(String::new, |f| {
                    let payment = match &f.payment {
                        Some(p) => format!("{} {}", ctx.t("violation-paid"), ctx.date(&p.paid_on)),
                        None => ctx.t("violation-unpaid"),
                    };
                    format!("{} {} — {payment}", ctx.num(&f.amount), f.unit)
                }),
                payment_href: (decider
                    && v.status != ViolationStatus::Dismissed
                    && v.fine.as_ref().is_some_and(|f| f.payment.is_none()))
                .then(|| format!("/violations/{}/payment?person={person_id}&purpose={}", v.id, purpose.as_str())),
            })
            .collect(),
        registrations: registrations
            .iter()
            .map(|f| {
                let r = &f.registration;
                let region = sapar_register::regions::Regions::embedded()
                    .ok()
                    .and_then(|all| all.find(register.host_state(), &r.address.region).ok())
                    .map_or_else(|| r.address.region.clone(), |region| region.name(lang.tag()).to_owned());
                let mut address = vec![region, r.address.locality.clone()];
                address
                    .extend([&r.address.street, &r.address.building, &r.address.flat].into_iter().flatten().cloned());
                let party_kind = ctx.t(&format!("registration-party-{}", r.party.kind.as_str().replace('_', "-")));
                let identity = r.party.identity.as_ref().map_or_else(String::new, |i| format!(" ({i})"));
                let state = match r.ended {
                    Some((day, reason)) => format!(
                        "{} {} ({})",
                        ctx.t("registration-state-ended"),
                        ctx.date(&day),
                        ctx.t(&format!("registration-end-{}", reason.as_str()))
                    ),
                    None => ctx.t(&format!("registration-state-{}", r.state.as_str())),
                };
                RegistrationRow {
                    address: address.join(", "),
                    period: format!("{} — {}", ctx.date(&r.valid_from), ctx.date(&r.valid_until)),
                    party: format!("{party_kind}: {}{identity}", r.party.name),
                    state,
                    due: r.deadline.as_ref().map_or_else(String::new, |d| ctx.date(&d.due_on)),
                    late: r.late(),
                    change_href: (filer && r.state.in_force()).then(|| {
                        format!("/registrations/{}/change?person={person_id}&purpose={}", r.id, purpose.as_str())
                    }),
                }
            })
            .collect(),
        file_registration_href: filer
            .then(|| format!("/persons/{person_id}/registrations/new?purpose={}", purpose.as_str())),
        bans: bans
            .iter()
            .map(|b| {
                let status_key = if b.in_force_on(today) {
                    "ban-in-force"
                } else if b.lift.as_ref().is_some_and(|l| l.from <= today) {
                    "ban-lifted-from"
                } else if today < b.starts_on {
                    "ban-not-yet"
                } else {
                    "ban-ended"
                };
                BanRow {
                    from: ctx.date(&b.starts_on),
                    until: ctx.date(&b.ends_on),
                    ground: ctx.t(&format!("ban-ground-{}", b.ground.as_str().replace('_', "-"))),
                    basis: b.basis.clone(),
                    decision: b.decision_ref.clone(),
                    status_key,
                    lifted_from: b.lift.as_ref().map_or_else(String::new, |l| ctx.date(&l.from)),
                    lift_reason: b.lift.as_ref().map_or_else(String::new, |l| l.reason.clone()),
                    lift_href: (decider && b.lift.is_none() && b.ends_on >= today)
                        .then(|| format!("/bans/{}/lift?person={person_id}&purpose={}", b.id, purpose.as_str())),
                }
            })
            .collect(),
        expulsions: expulsions
            .iter()
            .map(|e| ExpulsionRow {
                kind: ctx.t(&format!("expulsion-{}", e.kind.as_str().replace('_', "-"))),
                decided: ctx.date(&e.decided_on),
                decision: e.decision_ref.clone(),
                basis: e.basis.clone(),
                leave_by: ctx.opt_date(&e.leave_by),
                departed: e.execution.as_ref().map(|x| ctx.date(&x.departed_on)),
            })
            .collect(),
        record_ban_href: decider.then(|| format!("/persons/{person_id}/bans/new?purpose={}", purpose.as_str())),
        record_violation_href: decider
            .then(|| format!("/persons/{person_id}/violations/new?purpose={}", purpose.as_str())),
        include_control_href: (decider && controls.iter().all(|f| !f.entry.is_active()))
            .then(|| format!("/persons/{person_id}/control/new?purpose={}", purpose.as_str())),
        controls: controls
            .iter()
            .map(|f| {
                let e = &f.entry;
                let utc = |t: &jiff::Timestamp| ctx.date(&t.to_zoned(jiff::tz::TimeZone::UTC).date());
                ControlRow {
                    ground_key: key("control-ground", e.ground.as_str()),
                    included: utc(&e.included_at),
                    decision: e.decision_ref.clone(),
                    active: e.is_active(),
                    removed: e.removal.as_ref().map(|r| (utc(&r.at), key("control-removal", r.reason.as_str()))),
                    pending: i64::try_from(f.applications.iter().filter(|a| a.decision.is_none()).count())
                        .unwrap_or(i64::MAX),
                    href: format!("/control-register/{}?purpose={}", e.id, purpose.as_str()),
                }
            })
            .collect(),
        events: events.map(|events| {
            events
                .iter()
                .map(|e| EventRow {
                    kind: ctx.t(&format!("event-{}", e.kind.as_str().replace('_', "-"))),
                    at: ctx.at(&e.at),
                    actor: e.actor.clone(),
                    state: e.citizenship.code().to_owned(),
                })
                .collect()
        }),
        card,
        issue_card_action: register.card_issuer().map(|_| format!("/persons/{person_id}/cards")),
        card_refusal,
        csrf: officer.session.csrf_token.clone(),
        purpose_code: purpose.as_str().to_owned(),
        ctx,
    };
    Ok(render(&page, lang))
}
