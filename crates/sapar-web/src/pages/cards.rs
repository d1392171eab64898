//! The migrant card in the workplace: its section of the person page, a new card on request, the
//! printable card (both scripts of the name, a photo's place, the QR code); and the holder's own
//! status page, `/self`, which needs no account: the document number, card number and birth
//! date, checked and throttled by the register, and the answer logged as the holder's own read.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use jiff::civil::Date;
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_register::RegisterError;
use sapar_register::access::{Access, AccessChannel};
use sapar_register::cards::{CardStatus, CardView as RegisterCardView};
use sapar_register::records::CardRecord;
use sapar_register::self_service::{RawSelfQuery, SelfStatus};
use serde::Deserialize;

use super::person::CardSection;
use super::{purpose_prompt, require, usual_purpose};
use crate::WebState;
use crate::i18n::{self, Lang};
use crate::page::{Ctx, PageError, TwoScripts, render};
use crate::session::{ClientAddress, Officer, cookie_value, same_token, set_cookie};

/// Who issues cards and prints them.
const CARD_DESK: &[Role] = &[Role::Border, Role::Officer];
/// The cookie holding the self-service form's token.
const SELF_CSRF_COOKIE: &str = "sapar_self_csrf";

/// A seal drawn as an SVG QR code in a `data:` URL (the pages' policy admits `data:` images).
fn qr_data_url(seal: &str) -> String {
    match sapar_card::qr_svg(seal) {
        Ok(svg) => format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)),
        Err(e) => {
            tracing::error!(error = %e, "drawing a card's QR code");
            String::new()
        }
    }
}

fn status_key(status: CardStatus) -> String {
    format!("card-status-{}", status.as_str())
}

/// The person page's card section for `card`.
pub(crate) fn card_section(ctx: &Ctx, card: &CardRecord, today: Date, purpose: ReadPurpose) -> CardSection {
    CardSection::new(
        card.number.clone(),
        status_key(CardStatus::of(card, today)),
        ctx.date(&card.issued_on),
        ctx.date(&card.valid_until),
        card.revocation.as_ref().map(|r| format!("card-revoked-{}", r.reason.as_str())),
        qr_data_url(&card.seal),
        format!("/cards/{}/print?purpose={}", card.number, purpose.as_str()),
    )
}

/// The translation key of a refusal to issue a card, from the code the issuing redirect names.
pub(crate) fn refusal_key(code: &str) -> Option<&'static str> {
    match code {
        "no_legal_stay" => Some("card-refused-no-legal-stay"),
        "card_not_issuable" => Some("card-refused-not-issuable"),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IssueForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
}

/// `POST /persons/{id}/cards`: a new card, then back to the person's card section.
pub(crate) async fn issue(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<IssueForm>,
) -> Result<Response, PageError> {
    require(&officer, CARD_DESK)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let person: PersonId = id.parse::<uuid::Uuid>().map(PersonId::from_uuid).map_err(|_| PageError::NotFound(lang))?;
    let purpose = ReadPurpose::parse(&form.purpose)
        .or_else(|| usual_purpose(officer.session.actor.role))
        .unwrap_or(ReadPurpose::StayControl);
    let access = Access::new(officer.session.actor.clone(), purpose, AccessChannel::Web).from_address(officer.address);
    let back = |refusal: Option<&str>| {
        let refusal = refusal.map_or_else(String::new, |code| format!("&card={code}"));
        Redirect::to(&format!("/persons/{person}?purpose={}{refusal}#card", purpose.as_str())).into_response()
    };
    match state.register.issue_card(&access, person).await {
        Ok(_) => Ok(back(None)),
        Err(RegisterError::NoLegalStay) => Ok(back(Some("no_legal_stay"))),
        Err(RegisterError::CardNotIssuable(_)) => Ok(back(Some("card_not_issuable"))),
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}

#[derive(Template)]
#[template(path = "card_print.html")]
struct PrintPage {
    ctx: Ctx,
    number: String,
    status_key: String,
    name: TwoScripts,
    birth_date: String,
    citizenship: String,
    document: String,
    issued_on: String,
    valid_until: String,
    qr: String,
    /// The same card as a PDF, the read's purpose carried along.
    pdf_href: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PrintParams {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
}

/// A card read for a page, or the purpose prompt that comes first.
enum CardRead {
    Asked(Response),
    Read(ReadPurpose, Box<RegisterCardView>),
}

/// Reads card `number` for `/cards/{number}/{page}` under the purpose the query states (the
/// read logged), or answers the purpose prompt when it states none.
async fn read_card(
    state: &WebState,
    officer: &Officer,
    number: &str,
    page: &str,
    params: &PrintParams,
) -> Result<CardRead, PageError> {
    require(officer, CARD_DESK)?;
    let lang = officer.lang;
    let Some(purpose) = ReadPurpose::parse(&params.purpose) else {
        let usual = usual_purpose(officer.session.actor.role);
        let prompt = purpose_prompt(officer, format!("/cards/{number}/{page}"), Vec::new(), usual, &params.note);
        return Ok(CardRead::Asked(prompt));
    };
    let access = Access::new(officer.session.actor.clone(), purpose, AccessChannel::Web)
        .from_address(officer.address)
        .with_note(Some(&params.note))
        .map_err(|_| PageError::Forbidden(lang))?;
    let view = state.register.card(&access, number).await.map_err(|e| PageError::from_register(lang, e))?;
    Ok(CardRead::Read(purpose, Box::new(view)))
}

/// `GET /cards/{number}/print`: the purpose first, then the card as printed.
pub(crate) async fn print(
    State(state): State<WebState>,
    officer: Officer,
    Path(number): Path<String>,
    Query(params): Query<PrintParams>,
) -> Result<Response, PageError> {
    let lang = officer.lang;
    let (purpose, view) = match read_card(&state, &officer, &number, "print", &params).await? {
        CardRead::Asked(prompt) => return Ok(prompt),
        CardRead::Read(purpose, view) => (purpose, *view),
    };
    let ctx = Ctx::of(&officer);
    let details = &view.holder.person.details;
    // The document the card names: the holder's latest (as when it was sealed).
    let document = view
        .holder
        .person
        .documents
        .iter()
        .max_by_key(|d| d.expiry)
        .map(|d| format!("{} {}", d.key.issuing_state.code(), d.key.number.as_str()))
        .unwrap_or_default();
    let page = PrintPage {
        number: view.card.number.clone(),
        status_key: status_key(view.status),
        name: TwoScripts::of(&details.name),
        birth_date: ctx.opt_date(&details.birth_date),
        citizenship: details.citizenship.code().to_owned(),
        document,
        issued_on: ctx.date(&view.card.issued_on),
        valid_until: ctx.date(&view.card.valid_until),
        qr: qr_data_url(&view.card.seal),
        pdf_href: format!(
            "/cards/{}/card.pdf?{}",
            view.card.number,
            serde_urlencoded::to_string([("purpose", purpose.as_str()), ("note", params.note.as_str())])
                .unwrap_or_default()
        ),
        ctx,
    };
    Ok(render(&page, lang))
}

/// `GET /cards/{number}/card.pdf`: the purpose first, then the printable card as a PDF (one A6
/// page, Russian and the holder's language, the QR code of the seal).
pub(crate) async fn print_pdf(
    State(state): State<WebState>,
    officer: Officer,
    Path(number): Path<String>,
    Query(params): Query<PrintParams>,
) -> Result<Response, PageError> {
    let lang = officer.lang;
    let view = match read_card(&state, &officer, &number, "card.pdf", &params).await? {
        CardRead::Asked(prompt) => return Ok(prompt),
        CardRead::Read(_, view) => view,
    };
    let pdf = sapar_card::card_pdf(&view.card.seal).map_err(|e| {
        tracing::error!(error = %e, "laying out a printable card");
        PageError::Unavailable(lang)
    })?;
    let disposition = format!("inline; filename=\"{}.pdf\"", view.card.number);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}

/// The holder's status as the self-service page shows it.
pub(crate) struct SelfView {
    name: TwoScripts,
    card_number: String,
    card_status_key: String,
    card_valid_until: String,
    present: bool,
    legal: bool,
    days_used: i64,
    days_left: Option<i64>,
    last_legal_day: String,
    overstay_days: i64,
    registration_due: String,
    /// `self-registration-state-registered`, `-due`, `-overdue` or `-not-required`.
    registration_key: String,
    /// The registration in force: locality and last day.
    registered_at: Option<(String, String)>,
    /// Translation keys of the grounds of the control register entries in force.
    control_grounds: Vec<String>,
}

impl SelfView {
    fn of(ctx: &Ctx, status: &SelfStatus) -> SelfView {
        let stay = &status.stay;
        SelfView {
            name: TwoScripts::of(&status.holder.person.details.name),
            card_number: status.card.number.clone(),
            card_status_key: status_key(status.card_status),
            card_valid_until: ctx.date(&status.card.valid_until),
            present: stay.present,
            legal: stay.legal,
            days_used: i64::from(stay.days_used),
            days_left: stay.days_left.map(i64::from),
            last_legal_day: ctx.opt_date(&stay.last_legal_day),
            overstay_days: i64::from(stay.overstay_days),
            registration_due: status
                .registration
                .deadline
                .as_ref()
                .map(|d| ctx.date(&d.due_on))
                .or_else(|| stay.registration.as_ref().map(|r| ctx.date(&r.due)))
                .unwrap_or_default(),
            registration_key: format!("self-registration-state-{}", status.registration.state_code().replace('_', "-")),
            registered_at: status
                .registration
                .in_force
                .as_ref()
                .map(|r| (r.address.locality.clone(), ctx.date(&r.valid_until))),
            control_grounds: status
                .control
                .iter()
                .map(|e| format!("control-ground-{}", e.ground.as_str().replace('_', "-")))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "self_service.html")]
struct SelfPage {
    ctx: Ctx,
    document_number: String,
    card_number: String,
    birth_date: String,
    status: Option<SelfView>,
}

fn self_page(ctx: Ctx, form: &SelfForm, status: Option<SelfView>) -> SelfPage {
    let keep = |s: &str| s.chars().take(40).collect::<String>();
    SelfPage {
        ctx,
        document_number: keep(&form.document_number),
        card_number: keep(&form.card_number),
        birth_date: keep(&form.birth_date),
        status,
    }
}

/// `GET /self`: the form, with a fresh form token in a cookie of its own.
pub(crate) async fn self_form(State(state): State<WebState>, axum::Extension(lang): axum::Extension<Lang>) -> Response {
    let csrf = sapar_register::tokens::generate_token();
    let page = self_page(Ctx::anonymous(lang, "/self", csrf.clone()), &SelfForm::default(), None);
    let mut response = render(&page, lang);
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SELF_CSRF_COOKIE, &csrf, state.config.secure_cookies, None));
    response
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SelfForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    document_number: String,
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    birth_date: String,
}

/// `POST /self`: the holder's status, or the form again with one message whatever was wrong.
pub(crate) async fn self_status(
    State(state): State<WebState>,
    axum::Extension(lang): axum::Extension<Lang>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Form(form): Form<SelfForm>,
) -> Response {
    let expected = cookie_value(&headers, SELF_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_token(&form.csrf, &expected) {
        return PageError::Csrf(lang).into_response();
    }
    let query = RawSelfQuery {
        document_number: form.document_number.clone(),
        card_number: form.card_number.clone(),
        birth_date: form.birth_date.clone(),
    };
    let ctx = Ctx::anonymous(lang, "/self", expected);
    match state.register.self_status(&query, address).await {
        Ok(status) => {
            let view = SelfView::of(&ctx, &status);
            render(&self_page(ctx, &form, Some(view)), lang)
        }
        Err(e) => {
            let (status, key) = match e {
                RegisterError::SelfServiceDenied => (StatusCode::FORBIDDEN, "self-denied"),
                RegisterError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "self-throttled"),
                other => {
                    tracing::error!(error = %other, "self-service status could not be served");
                    return PageError::Unavailable(lang).into_response();
                }
            };
            let ctx = ctx.with_flash(Some(i18n::translate(lang, key, None)));
            (status, render(&self_page(ctx, &form, None), lang)).into_response()
        }
    }
}
