//! Opening a treaty case from the workplace: a hit/no-hit query or a request (Art. 10.2) about a
//! person, to a partner state's competent authority under an agreement in force. The officer
//! chooses the route (agreement, sending and receiving authority), the categories (Art. 6) and,
//! for a request, the Art. 7 fields asked for, describes the person (names in both scripts) and
//! states the purpose; the node signs it with a signatory of the sending authority and checks it
//! as the partner will, so what the partner would refuse is refused here, with its code.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use sapar_register::RegisterError;
use sapar_register::exchange::{
    CaseDesk, CaseOpening, DataCategory, OpeningKind, OpeningTerms, PersonField, STEP_ROLES,
};
use serde_json::{Map, Value};

use super::form::FieldError;
use super::require;
use crate::WebState;
use crate::i18n::Lang;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

pub(crate) struct RouteOption {
    value: String,
    label: String,
    selected: bool,
}

pub(crate) struct Tick {
    code: &'static str,
    label_key: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "case_open.html")]
struct OpenPage {
    ctx: Ctx,
    routes: Vec<RouteOption>,
    categories: Vec<Tick>,
    fields: Vec<Tick>,
    /// The values typed, by field name, to show again after a refusal.
    typed: Vec<(String, String)>,
    request: bool,
    errors: Vec<FieldError>,
}

impl OpenPage {
    fn value(&self, name: &str) -> &str {
        self.typed.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// The person fields of the form, in order: (form name, wire field, wire part).
const PERSON_INPUTS: [(&str, &str, Option<&str>); 10] = [
    ("surname_cyrillic", "surname", Some("cyrillic")),
    ("surname_latin", "surname", Some("latin")),
    ("given_cyrillic", "given_names", Some("cyrillic")),
    ("given_latin", "given_names", Some("latin")),
    ("patronymic_cyrillic", "patronymic", Some("cyrillic")),
    ("patronymic_latin", "patronymic", Some("latin")),
    ("sex", "sex", None),
    ("birth_date", "birth_date", None),
    ("citizenship", "citizenship", None),
    ("document_number", "document", Some("number")),
];

fn desk(state: &WebState) -> Option<&dyn CaseDesk> {
    state.case_desk.as_deref()
}

fn route_value(t: &OpeningTerms, from: &str, to: &str) -> String {
    format!("{}|{from}|{to}", t.agreement)
}

fn authority_name(lang: Lang, a: &sapar_register::exchange::AuthorityChoice) -> String {
    if lang == Lang::En { a.name_en.clone() } else { a.name_ru.clone() }
}

fn page(officer: &Officer, terms: &[OpeningTerms], pairs: &[(String, String)], errors: Vec<FieldError>) -> Response {
    let lang = officer.lang;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or_default();
    let ticked = |name: &str, code: &str| pairs.iter().any(|(n, v)| n == name && v == code);
    let mut routes = Vec::new();
    for t in terms {
        for from in &t.local {
            for to in &t.partner_authorities {
                let value = route_value(t, &from.id, &to.id);
                routes.push(RouteOption {
                    selected: get("route") == value,
                    label: format!("{} · {} → {}", t.agreement, authority_name(lang, from), authority_name(lang, to)),
                    value,
                });
            }
        }
    }
    let mut categories: Vec<DataCategory> = terms.iter().flat_map(|t| t.categories.iter().copied()).collect();
    categories.sort();
    categories.dedup();
    let mut fields: Vec<PersonField> = terms.iter().flat_map(|t| t.fields.iter().copied()).collect();
    fields.sort();
    fields.dedup();
    let page = OpenPage {
        ctx: Ctx::of(officer),
        routes,
        categories: categories
            .into_iter()
            .map(|c| Tick {
                code: c.as_str(),
                label_key: format!("category-{}", c.as_str().replace('_', "-")),
                checked: ticked("category", c.as_str()),
            })
            .collect(),
        fields: fields
            .into_iter()
            .map(|f| Tick {
                code: f.as_str(),
                label_key: format!("art7-{}", f.as_str().replace('_', "-")),
                checked: ticked("field", f.as_str()),
            })
            .collect(),
        typed: pairs.iter().filter(|(k, _)| k != "csrf").cloned().collect(),
        request: get("kind") != "query",
        errors,
    };
    render(&page, lang)
}

/// `GET /cases/new`: the form.
pub(crate) async fn open_form(State(state): State<WebState>, officer: Officer) -> Result<Response, PageError> {
    require(&officer, &STEP_ROLES)?;
    let lang = officer.lang;
    let desk = desk(&state).ok_or(PageError::NotFound(lang))?;
    let terms = desk.openings(officer.session.actor.role).await.map_err(|e| PageError::from_register(lang, e))?;
    Ok(page(&officer, &terms, &[], Vec::new()))
}

/// The person described, as Art. 7 personal data: each name in the scripts typed.
fn person_of(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut person = Map::new();
    for (input, field, part) in PERSON_INPUTS {
        let Some(value) = pairs.iter().find(|(k, _)| k == input).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
        else {
            continue;
        };
        let value = if field == "citizenship" || field == "sex" { value.to_uppercase() } else { value.to_owned() };
        match part {
            Some(part) => {
                let entry = person.entry(field.to_owned()).or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(parts) = entry {
                    parts.insert(part.to_owned(), Value::String(value));
                }
            }
            None => {
                person.insert(field.to_owned(), Value::String(value));
            }
        }
    }
    person
}

/// `POST /cases/new`: opens the case and shows it, or the form again with what is wrong.
pub(crate) async fn open_case(
    State(state): State<WebState>,
    officer: Officer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require(&officer, &STEP_ROLES)?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    officer.check_csrf(&get("csrf"))?;
    let lang = officer.lang;
    let desk = desk(&state).ok_or(PageError::NotFound(lang))?;
    let terms = desk.openings(officer.session.actor.role).await.map_err(|e| PageError::from_register(lang, e))?;
    let ctx = Ctx::of(&officer);
    let mut errors = Vec::new();
    let kind = match get("kind").as_str() {
        "query" => Some(OpeningKind::Query),
        "request" => Some(OpeningKind::Request),
        _ => None,
    };
    if kind.is_none() {
        errors.push(FieldError { field: "kind".into(), message: ctx.t("case-open-error-kind") });
    }
    let route = get("route");
    let parts: Vec<&str> = route.split('|').collect();
    let chosen = match parts.as_slice() {
        [agreement, from, to] => terms.iter().find(|t| {
            t.agreement == *agreement
                && t.local.iter().any(|a| a.id == *from)
                && t.partner_authorities.iter().any(|a| a.id == *to)
        }),
        _ => None,
    };
    if chosen.is_none() {
        errors.push(FieldError { field: "route".into(), message: ctx.t("case-open-error-route") });
    }
    let categories: Vec<DataCategory> =
        pairs.iter().filter(|(k, _)| k == "category").filter_map(|(_, v)| DataCategory::parse(v).ok()).collect();
    if categories.is_empty() {
        errors.push(FieldError { field: "categories".into(), message: ctx.t("case-open-error-categories") });
    }
    let fields: Vec<PersonField> =
        pairs.iter().filter(|(k, _)| k == "field").filter_map(|(_, v)| PersonField::parse(v).ok()).collect();
    let person = person_of(&pairs);
    if !person.contains_key("surname") && !person.contains_key("document") {
        errors.push(FieldError { field: "surname_cyrillic".into(), message: ctx.t("case-open-error-person") });
    }
    if let (true, Some(kind), [agreement, from, to]) = (errors.is_empty(), kind, parts.as_slice()) {
        let opening = CaseOpening {
            kind,
            agreement: (*agreement).to_owned(),
            from: (*from).to_owned(),
            to: (*to).to_owned(),
            categories,
            fields,
            person: person.into_iter().collect(),
            purpose: get("purpose"),
            substance: get("substance"),
            justification: get("justification"),
        };
        match desk.open_case(&officer.session.actor, opening).await {
            Ok(case_id) => {
                let sent = if kind == OpeningKind::Query { "query" } else { "request" };
                return Ok(
                    Redirect::to(&format!("/cases/{case_id}?purpose=exchange_request&sent={sent}")).into_response()
                );
            }
            Err(RegisterError::ExchangeRefused { code, message }) => errors.push(FieldError {
                field: String::new(),
                message: format!("{} ({code}: {message})", ctx.t("case-open-error-refused")),
            }),
            Err(e) => return Err(PageError::from_register(lang, e)),
        }
    }
    Ok(page(&officer, &terms, &pairs, errors))
}
