//! `GET /api/openapi.json`: the API as an OpenAPI 3.1 document, generated from the routes
//! (`#[utoipa::path]` beside each handler, gathered by each room's router) and the API's types
//! (`akinai_core::api` and the domain types, with core's `openapi` feature). docs/api.md is the
//! guide for people; a test holds it against this document.

use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Ref;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, PathItem, RefOr, Response};
use utoipa::{Modify, OpenApi};

use akinai_core::api::ErrorBody;

use crate::http::auth::SESSION_COOKIE;

/// The document's frame: what the routers add their paths to.
#[derive(OpenApi)]
#[openapi(
    info(title = "Akinai", description = "Akinai's HTTP API (v1); see docs/api.md."),
    components(schemas(ErrorBody)),
    modifiers(&SecuritySchemes),
)]
pub struct ApiDoc;

/// The ways of signing requests: an owner's session (bearer token or cookie), a device's token.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        let bearer = |description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme("owner", bearer("The owner's session token"));
        components.add_security_scheme(
            "owner_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The owner's session, as sign-in sets it in the browser",
            ))),
        );
        components.add_security_scheme("device", bearer("A paired device's token"));
    }
}

/// Adds to every route of the finished document the refusals that follow from its shape, so no
/// route can forget one: 401 where a token is needed, 403 where it changes something (another
/// site's request), 404 where the path names something, 413 and 422 where a JSON body is read,
/// 503 everywhere (the server is at its limit, or the request took too long). A route's own
/// rules (409, 429, 400) are written beside it.
pub fn add_common_refusals(doc: &mut Document) {
    CommonRefusals.modify(doc);
}

/// See [`add_common_refusals`].
struct CommonRefusals;

impl CommonRefusals {
    /// An error answer described by `description`.
    fn refusal(description: &str) -> RefOr<Response> {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
            )
            .build()
            .into()
    }
}

impl Modify for CommonRefusals {
    fn modify(&self, doc: &mut Document) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let names_something = path.contains('{');
            for (changes, operation) in operations(item) {
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| Self::refusal(description));
                };
                if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add("401", "No valid session or device token (`code`: `unauthorized`)");
                }
                if changes {
                    add(
                        "403",
                        "From another site, or with no JSON, token or `X-Requested-With` (`code`: `cross_site`)",
                    );
                }
                if names_something {
                    add("404", "Not found, or not the owner's (`code`: `not_found`)");
                }
                add(
                    "503",
                    "The server is busy or the request took too long (`code`: `busy` or `timed_out`); see `Retry-After`",
                );
                let json_body = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| body.content.contains_key("application/json"));
                if json_body {
                    add("413", "The body is too large (`code`: `body_too_large`)");
                    add("422", "The body is not valid; `field` says where");
                }
            }
        }
    }
}

/// Every operation of a path, and whether its method changes something.
fn operations(
    item: &mut PathItem,
) -> impl Iterator<Item = (bool, &mut utoipa::openapi::path::Operation)> {
    [
        (false, &mut item.get),
        (true, &mut item.put),
        (true, &mut item.post),
        (true, &mut item.delete),
        (false, &mut item.options),
        (false, &mut item.head),
        (true, &mut item.patch),
        (false, &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(changes, operation)| Some((changes, operation.as_mut()?)))
}
