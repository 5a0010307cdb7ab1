//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, built from the route table so it lists
//! exactly the routes the router serves.

use axum::http::Method;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathItem,
    PathsBuilder, Required, ResponseBuilder, ResponsesBuilder,
};

use super::routes::{RouteInfo, Surface};

/// Where the document is served.
pub const PATH: &str = "/api/v1/openapi.json";
/// Its line in the document itself.
pub const SUMMARY: &str = "This document.";

/// The document's own route, as recorded.
pub fn route() -> RouteInfo {
    RouteInfo {
        method: Method::GET,
        path: PATH,
        surface: Surface::Public,
        summary: SUMMARY,
    }
}

fn response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new().description(description).build()
}

/// The document for these routes (only those under `/api/`).
pub fn build(routes: &[RouteInfo]) -> OpenApi {
    let mut paths = PathsBuilder::new();
    for r in routes.iter().filter(|r| r.path.starts_with("/api/")) {
        let mut op = OperationBuilder::new()
            .summary(Some(r.summary))
            .operation_id(Some(operation_id(&r.method, r.path)));
        for name in r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .build(),
            );
        }
        let mut responses = ResponsesBuilder::new().response("200", response("OK"));
        if r.surface == Surface::Api {
            op = op.security(SecurityRequirement::new("bearer", Vec::<String>::new()));
            responses = responses
                .response(
                    "400",
                    response(
                        "Invalid request: `{\"error\": {\"code\", \"message\": {\"nl\", \"en\"}}}`",
                    ),
                )
                .response("401", response("No valid token"))
                .response("403", response("This account may not do this"))
                .response(
                    "404",
                    response("No such organisation, federation or scan visible to this account"),
                );
        }
        if r.method == Method::POST && r.path.ends_with("/imports") {
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .content("multipart/form-data", ContentBuilder::new().build())
                    .required(Some(Required::True))
                    .build(),
            ));
            responses = responses
                .response("201", response("Imported: the import report"))
                .response("413", response("Upload over the limit"))
                .response("415", response("Not multipart/form-data"))
                .response(
                    "422",
                    response("Errors in the file: nothing stored; the import report in `details`"),
                );
        }
        if (r.method == Method::PUT || r.method == Method::PATCH) && r.path.ends_with("/advice") {
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .content("application/json", ContentBuilder::new().build())
                    .required(Some(Required::True))
                    .build(),
            ));
            responses = responses
                .response("415", response("Not application/json"))
                .response(
                    "422",
                    response("Problems in the advice: nothing stored; each in `details.problems`"),
                )
                .response(
                    "412",
                    response("Someone saved the advice since the `If-Match` version"),
                )
                .response(
                    "428",
                    response("No `If-Match` (or `If-None-Match: *` to create)"),
                );
        }
        let method = match r.method {
            Method::POST => HttpMethod::Post,
            Method::PUT => HttpMethod::Put,
            Method::PATCH => HttpMethod::Patch,
            _ => HttpMethod::Get,
        };
        paths = paths.path(
            r.path,
            PathItem::new(method, op.responses(responses.build()).build()),
        );
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("blendscan API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Readiness scans for blended support: import questionnaires, read scores, render and send reports.",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(
            ComponentsBuilder::new()
                .security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)))
                .build(),
        ))
        .build()
}

fn operation_id(method: &Method, path: &str) -> String {
    let words: Vec<&str> = path
        .trim_start_matches("/api/v1/")
        .split('/')
        .map(|s| s.trim_matches(|c| c == '{' || c == '}'))
        .collect();
    format!("{}_{}", method.as_str().to_lowercase(), words.join("_"))
}
