//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::error::ErrorBody;

/// Sapar's HTTP API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sapar register API",
        description = "National migration register: border crossings, persons, documents, permits, violations. \
            Every /api/v1 route needs `Authorization: Bearer <token>`; errors carry a stable `code`."
    ),
    paths(
        api::crossings::record_crossing,
        api::persons::person_by_id,
        api::persons::person_by_document,
        api::persons::person_stay,
        api::permits::record_permit,
        api::permits::person_permits,
        api::permits::revoke_permit,
        api::violations::list_violations,
        api::violations::violation,
        api::violations::decide_violation,
        api::violations::person_violations,
        api::review::review_queue,
        api::review::decide_review,
        api::exchange::send_message,
        api::exchange::list_messages,
        api::exchange_admin::list_channels,
        api::exchange_admin::resume_channel,
        api::exchange_admin::send_signatory_list,
        api::exchange_admin::send_authority_change,
        api::system::health,
        api::system::metrics,
        api::system::openapi,
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "register", description = "Border crossings and persons"),
        (name = "violations", description = "Overstays found by the nightly sweep, for officers to confirm or dismiss"),
        (name = "review", description = "Pairs of persons that may be the same, for officers to decide"),
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
