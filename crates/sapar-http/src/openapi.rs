//! The OpenAPI 3.1 document, generated from the handlers' annotations. Handlers document the
//! answers of their own route; [`CommonResponses`] adds those the server gives on every route
//! (authentication, rate limits, overload, timeouts, storage, defects) and on every route with a
//! JSON body, so that no handler can forget them. An error answer's description names its codes
//! in backticks, each a code of [`ApiCode`](crate::ApiCode) carried by that status (a test checks it).

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, ResponseBuilder, Type};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::error::ErrorBody;

/// Sapar's HTTP API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sapar register API",
        description = "National migration register: border crossings, persons, documents, permits, violations. \
            Every /api/v1 route needs `Authorization: Bearer <token>`; errors carry a stable `code`. Every route \
            that shows a person's data logs the read with its purpose: send `Sapar-Purpose` (and optionally \
            `Sapar-Purpose-Note`) where the token's role has no default purpose."
    ),
    paths(
        api::crossings::record_crossing,
        api::border::border_check,
        api::points::crossing_points,
        api::persons::person_by_id,
        api::persons::person_by_document,
        api::persons::person_stay,
        api::permits::record_permit,
        api::permits::person_permits,
        api::permits::revoke_permit,
        api::bans::record_ban,
        api::bans::person_bans,
        api::bans::lift_ban,
        api::bans::person_events,
        api::expulsions::record_expulsion,
        api::expulsions::person_expulsions,
        api::expulsions::record_departure,
        api::control::include,
        api::control::list,
        api::control::check,
        api::control::entry,
        api::control::person_entries,
        api::control::record_notice,
        api::control::notice_text,
        api::control::cancel_decision,
        api::control::file_application,
        api::control::list_applications,
        api::control::decide_application,
        api::violations::list_violations,
        api::violations::violation,
        api::violations::decide_violation,
        api::violations::person_violations,
        api::violations::record_violation,
        api::violations::record_payment,
        api::employers::record_employer,
        api::employers::list_employers,
        api::employers::employer,
        api::cards::card,
        api::cards::card_qr_svg,
        api::cards::card_qr_png,
        api::cards::card_print,
        api::cards::verify_card,
        api::cards::revoke_card,
        api::cards::cards_of,
        api::cards::issue_card,
        api::self_service::self_status,
        api::registrations::file_registration,
        api::registrations::person_registrations,
        api::registrations::extend_registration,
        api::registrations::end_registration,
        api::registrations::regions,
        api::review::review_queue,
        api::review::decide_review,
        api::audit::access_log,
        api::exchange::send_message,
        api::exchange::list_messages,
        api::exchange_cases::list_cases,
        api::exchange_cases::get_case,
        api::exchange_cases::take_step,
        api::exchange_cases::answer_draft,
        api::exchange_cases::answer,
        api::exchange_admin::list_channels,
        api::exchange_admin::resume_channel,
        api::exchange_admin::send_signatory_list,
        api::exchange_admin::send_authority_change,
        api::system::health,
        api::system::metrics,
        api::system::openapi,
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth, &CommonResponses),
    tags(
        (name = "register", description = "Border crossings and persons"),
        (name = "cards", description = "Migrant cards with their signed seals (ICAO VDS-NC), and their verification"),
        (name = "enforcement", description = "Entry bans, expulsions, the control register, employers, and the events partner states may be told of"),
        (name = "violations", description = "Violations of every kind: overstays the nightly sweep finds, those officers record, their fines and payments"),
        (name = "review", description = "Pairs of persons that may be the same, for officers to decide"),
        (name = "audit", description = "The access log: every read of a person's data, for auditors"),
        (name = "exchange", description = "Messages to and from partner states under migration agreements"),
        (name = "operations", description = "Health, metrics, API description"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The answers every operation can give whatever its handler does, added to each operation (and
/// merged into the description of a status its handler documents already).
struct CommonResponses;

/// 503 codes any route can answer: the in-flight cap, the request deadline, the database.
const SERVER_UNAVAILABLE: &str = "The server cannot answer now: `overloaded` (with Retry-After), \
    `request_timeout` or `storage_unavailable`";

/// 400 codes of every route that shows persons' data (it takes the purpose headers).
const READ_PURPOSE_REFUSED: &str = "No purpose stated where the token's role has none by default \
    (`read_purpose_required`), an unknown purpose (`invalid_read_purpose`), or a note that is not \
    percent-encoded UTF-8 of at most 500 characters (`invalid_purpose_note`)";

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                add_common_responses(operation);
            }
        }
    }
}

fn add_common_responses(operation: &mut Operation) {
    let needs_token = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    if needs_token {
        add(
            operation,
            401,
            "No valid bearer token: `unauthorized` (none, unknown or revoked) or `token_expired`",
            Some(("WWW-Authenticate", "`Bearer`", Type::String)),
        );
    }
    if operation.request_body.is_some() {
        add(operation, 400, "The body is not JSON (`malformed_json`) or could not be read (`unreadable_body`)", None);
        add(operation, 413, "The body is larger than the route accepts: `payload_too_large`", None);
        add(operation, 415, "The body is not sent as application/json: `unsupported_media_type`", None);
        add(
            operation,
            422,
            "The body is JSON of the wrong shape (`invalid_body`): not an object, a member of the wrong type, \
                or an unknown member",
            None,
        );
    }
    let reads_persons = operation
        .parameters
        .as_ref()
        .is_some_and(|parameters| parameters.iter().any(|p| p.name == crate::access::PURPOSE_HEADER));
    if reads_persons {
        add(operation, 400, READ_PURPOSE_REFUSED, None);
    }
    add(
        operation,
        429,
        "Too many requests from this token or address: `rate_limited`",
        Some(("Retry-After", "Seconds to wait before retrying", Type::Integer)),
    );
    add(operation, 500, "A defect (`internal`); details are in the server's log", None);
    add(
        operation,
        503,
        SERVER_UNAVAILABLE,
        Some(("Retry-After", "Seconds to wait before retrying (with `overloaded`)", Type::Integer)),
    );
}

/// Adds an error answer with `status`, or appends `description` (and the header) to the one the
/// handler documents.
fn add(operation: &mut Operation, status: u16, description: &str, header: Option<(&str, &str, Type)>) {
    let header = header.map(|(name, text, ty)| {
        (name, HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(ty)).description(Some(text)).build())
    });
    let responses = &mut operation.responses.responses;
    match responses.get_mut(&status.to_string()) {
        Some(RefOr::T(existing)) => {
            existing.description =
                format!("{}; {}", existing.description.trim_end_matches('.'), lower_first(description));
            if let Some((name, header)) = header {
                existing.headers.entry(name.to_owned()).or_insert(header);
            }
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let mut response = ResponseBuilder::new().description(description).content(
                "application/json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
            );
            if let Some((name, header)) = header {
                response = response.header(name, header);
            }
            responses.insert(status.to_string(), RefOr::T(response.build()));
        }
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
