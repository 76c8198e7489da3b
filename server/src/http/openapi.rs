//! `GET /api/openapi.json`: the API contract (docs/api.md) as an OpenAPI 3.1 document.
//!
//! Routes handled in this crate are described where they are written (`#[utoipa::path]`); the
//! few described here from the contract only ([`CONTRACT`]) are the public ones and those whose
//! handlers carry no description yet. The domain's types (`akinai-core`) are named but shown as
//! plain JSON objects ([`core`]): the domain crate stays free of server-only dependencies, and
//! its serde form is documented there.

use axum::Json;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Ref, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, OpenApi as Document, Required, ResponseBuilder, SecurityRequirement,
};
use utoipa::{Modify, OpenApi};

use crate::http::error::ErrorBody;
use crate::owner::{accounts, catalog, devices, pairing, staff, stores};

/// The domain's types, named in the document and shown as JSON objects.
pub mod core {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ObjectBuilder, Schema};

    /// A named JSON object schema whose fields are documented elsewhere.
    macro_rules! object {
        ($($name:ident: $doc:literal,)*) => {$(
            #[doc = $doc]
            pub struct $name;

            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    ObjectBuilder::new().description(Some($doc)).into()
                }
            }

            impl utoipa::ToSchema for $name {}
        )*};
    }

    object! {
        ShopSettings: "akinai-core `shop::ShopSettings`: {name, address, phone, registration_number (T + 13 digits), pricing, rounding, receipt_footer}.",
        Item: "akinai-core `catalog::Item`: {id, name, kana, price (yen), tax_class, category, barcode?, color, open_price}.",
        Changes: "akinai-core `sync::Changes`: {version, shop?, items, removed_items, staff, removed_staff}.",
        Pairing: "akinai-core `sync::Pairing`: {device_id, token, store_id, changes}.",
        SyncBatch: "akinai-core `sync::SyncBatch`: {entries: [OutboxEntry] (at most 200), waiting}.",
        SyncReply: "akinai-core `sync::SyncReply`: {acked: [id], rejected: [{id, seq, reason, detail?}]}.",
        Sale: "akinai-core `sale::Sale`, as the device recorded it.",
        SaleSummary: "{id, store_id, device_id, receipt_no, kind, at, staff, total, tax}.",
        Figures: "{from, to, store, gross, tax, net, receipts, average, refunds, rates, hours, payments, top_items, stores, compare}; see docs/api.md.",
        Cart: "A cart to quote; see docs/quote.md.",
        Receipt: "akinai-core `receipt::Receipt`; see docs/quote.md.",
    }
}

/// A route described from the contract only.
struct Route {
    method: HttpMethod,
    path: &'static str,
    operation_id: &'static str,
    tag: &'static str,
    summary: &'static str,
    /// `owner`, `device` or none.
    auth: Option<&'static str>,
    /// Query parameters: name, required, description.
    query: &'static [(&'static str, bool, &'static str)],
    /// The request body's schema, if any.
    body: Option<&'static str>,
    /// The answer: content type and schema (`[Name]` for a list of them), if JSON.
    answer: (&'static str, Option<&'static str>),
}

/// Query parameters of the owner's figures and sales.
const RANGE: &[(&str, bool, &str)] = &[
    ("from", true, "First business day, YYYY-MM-DD (Asia/Tokyo)"),
    ("to", true, "Last business day, YYYY-MM-DD"),
    ("store", false, "One store's id (default: all the owner's stores)"),
];

/// Routes described from the contract.
const CONTRACT: &[Route] = &[
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/health",
        operation_id: "health",
        tag: "public",
        summary: "The server is up",
        auth: None,
        query: &[],
        body: None,
        answer: ("application/json", None),
    },
    Route {
        method: HttpMethod::Post,
        path: "/api/v1/quote",
        operation_id: "quote",
        tag: "public",
        summary: "The receipt of a cart (docs/quote.md)",
        auth: None,
        query: &[],
        body: Some("Cart"),
        answer: ("application/json", Some("Receipt")),
    },
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/shop",
        operation_id: "demo_shop",
        tag: "public",
        summary: "The demo store's settings (with --demo)",
        auth: None,
        query: &[],
        body: None,
        answer: ("application/json", Some("ShopSettings")),
    },
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/catalog",
        operation_id: "demo_catalog",
        tag: "public",
        summary: "The demo store's items (with --demo)",
        auth: None,
        query: &[],
        body: None,
        answer: ("application/json", Some("[Item]")),
    },
    Route {
        method: HttpMethod::Post,
        path: "/api/v1/sync",
        operation_id: "sync",
        tag: "sync",
        summary: "Sends outbox entries; each is acked or rejected",
        auth: Some("device"),
        query: &[],
        body: Some("SyncBatch"),
        answer: ("application/json", Some("SyncReply")),
    },
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/figures",
        operation_id: "figures",
        tag: "figures",
        summary: "Sales figures for a range of business days",
        auth: Some("owner"),
        query: RANGE,
        body: None,
        answer: ("application/json", Some("Figures")),
    },
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/sales",
        operation_id: "list_sales",
        tag: "figures",
        summary: "Sales and refunds in a range, newest first",
        auth: Some("owner"),
        query: &[
            ("from", true, "First business day, YYYY-MM-DD (Asia/Tokyo)"),
            ("to", true, "Last business day, YYYY-MM-DD"),
            ("store", false, "One store's id (default: all the owner's stores)"),
            ("limit", false, "How many"),
            ("offset", false, "How many to skip"),
        ],
        body: None,
        answer: ("application/json", Some("[SaleSummary]")),
    },
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/sales/{id}",
        operation_id: "get_sale",
        tag: "figures",
        summary: "One whole sale",
        auth: Some("owner"),
        query: &[],
        body: None,
        answer: ("application/json", Some("Sale")),
    },
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/events",
        operation_id: "events",
        tag: "figures",
        summary: "Live events: `event: sale` / `event: device` with `data: {store_id, device_id, kind, count}`",
        auth: Some("owner"),
        query: &[],
        body: None,
        answer: ("text/event-stream", None),
    },
    Route {
        method: HttpMethod::Get,
        path: "/api/v1/export",
        operation_id: "export",
        tag: "export",
        summary: "Every table of the owner's data as JSON and CSV, with README.md",
        auth: Some("owner"),
        query: &[("format", false, "`zip`")],
        body: None,
        answer: ("application/zip", None),
    },
];

/// A reference to a named schema, or to a list of them for `[Name]`.
fn schema_ref(name: &str) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(item) => {
            utoipa::openapi::schema::ArrayBuilder::new().items(Ref::from_schema_name(item)).into()
        }
        None => Ref::from_schema_name(name).into(),
    }
}

/// Adds the routes described from the contract and the two ways of signing requests.
struct Additions;

impl Modify for Additions {
    fn modify(&self, doc: &mut Document) {
        let error = ResponseBuilder::new()
            .description("An error")
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
            )
            .build();
        for route in CONTRACT {
            let (content_type, schema) = route.answer;
            let content = ContentBuilder::new().schema(schema.map(schema_ref)).build();
            let mut operation = OperationBuilder::new()
                .operation_id(Some(route.operation_id))
                .tag(route.tag)
                .summary(Some(route.summary))
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description(route.summary)
                        .content(content_type, content)
                        .build(),
                );
            if let Some(auth) = route.auth {
                operation = operation
                    .security(SecurityRequirement::new(auth, Vec::<String>::new()))
                    .response("401", error.clone())
                    .response("404", error.clone());
            }
            if let Some(body) = route.body {
                let content = ContentBuilder::new().schema(Some(schema_ref(body))).build();
                operation = operation.request_body(Some(
                    RequestBodyBuilder::new()
                        .content("application/json", content)
                        .required(Some(Required::True))
                        .build(),
                ));
            }
            if route.path.contains("{id}") {
                operation = operation.parameter(
                    ParameterBuilder::new()
                        .name("id")
                        .parameter_in(ParameterIn::Path)
                        .required(Required::True)
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
                );
            }
            for (name, required, description) in route.query {
                let required = if *required { Required::True } else { Required::False };
                operation = operation.parameter(
                    ParameterBuilder::new()
                        .name(*name)
                        .parameter_in(ParameterIn::Query)
                        .required(required)
                        .description(Some(*description))
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
                );
            }
            doc.paths.add_path_operation(route.path, vec![route.method.clone()], operation);
        }
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "owner",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The owner's session token (or the `akinai_session` cookie)"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "device",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A paired device's token"))
                    .build(),
            ),
        );
    }
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Akinai", description = "Akinai's HTTP API (v1); see docs/api.md."),
    paths(
        accounts::sign_up, accounts::sign_in, accounts::sign_out, accounts::me,
        stores::list, stores::create, stores::get, stores::put, stores::pull,
        staff::list, staff::add, staff::edit, staff::delete,
        catalog::list, catalog::put, catalog::delete, catalog::import, catalog::export,
        pairing::create, pairing::pair,
        devices::list, devices::rename, devices::revoke,
    ),
    components(schemas(
        ErrorBody, core::ShopSettings, core::Item, core::SyncBatch, core::SyncReply, core::Sale,
        core::SaleSummary, core::Figures, core::Cart, core::Receipt,
    )),
    modifiers(&Additions),
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn document() -> Json<Document> {
    Json(ApiDoc::openapi())
}
