//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, built from the route table so it lists
//! exactly the routes the router serves. The schemas come from the Rust types the handlers answer
//! (`utoipa::ToSchema`); [`operation`] says, per route, its parameters, its body and every status
//! it can answer, each error with the one `Error` schema.

use axum::http::Method;
use utoipa::OpenApi as _;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathItem, PathsBuilder, Ref, RefOr,
    Required, ResponseBuilder, ResponsesBuilder, Schema,
};

use super::routes::{RouteInfo, Surface};

/// Where the document is served.
pub const PATH: &str = "/api/v1/openapi.json";
/// Its line in the document itself.
pub const SUMMARY: &str = "This document.";

/// The pattern of an organisation's or federation's slug.
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// The document's own route, as recorded.
pub fn route() -> RouteInfo {
    RouteInfo {
        method: Method::GET,
        path: PATH,
        surface: Surface::Public,
        summary: SUMMARY,
    }
}

/// Every schema the operations refer to, with the schemas they contain.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(
    super::error::ErrorBody,
    crate::domain::catalogue::Catalogue,
    super::api::OrganisationList,
    crate::import::ImportReport,
    crate::domain::scoring::ScoreReport,
    crate::domain::scoring::BenchmarkReport,
    crate::report::advice::Advice,
    super::api::advice::AdviceReplacement,
    super::api::advice::AdvicePatch,
    super::api::advice::AdviceVersions,
    super::api::SendBody,
    super::api::SendResult,
    super::api::SendList,
    super::api::OutboxList,
)))]
struct Schemas;

/// The document for these routes (only those under `/api/`).
pub fn build(routes: &[RouteInfo]) -> OpenApi {
    let mut paths = PathsBuilder::new();
    for r in routes.iter().filter(|r| r.path.starts_with("/api/")) {
        let method = match r.method {
            Method::POST => HttpMethod::Post,
            Method::PUT => HttpMethod::Put,
            Method::PATCH => HttpMethod::Patch,
            Method::DELETE => HttpMethod::Delete,
            _ => HttpMethod::Get,
        };
        paths = paths.path(r.path, PathItem::new(method, operation(r)));
    }
    let mut components = Schemas::openapi().components.unwrap_or_default();
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    let mut doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("blendscan API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Readiness scans for blended support: import questionnaires, read scores, render and send reports. \
                     Every error is JSON of the `Error` schema, with a stable `code` and a message in Dutch and English.",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components))
        .build();
    doc.openapi = utoipa::openapi::OpenApiVersion::Version31;
    doc
}

fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn json_of(name: &str) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema_ref(name))).build()
}

fn string_schema() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn path_param(name: &str) -> utoipa::openapi::path::Parameter {
    let (description, schema): (&str, Schema) = match name {
        "org" => (
            "The organisation's slug.",
            string_schema()
                .pattern(Some(SLUG_PATTERN))
                .max_length(Some(100))
                .into(),
        ),
        "fed" => (
            "The federation's slug.",
            string_schema()
                .pattern(Some(SLUG_PATTERN))
                .max_length(Some(100))
                .into(),
        ),
        "year" => (
            "The year of the scan.",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(2000))
                .maximum(Some(2100))
                .into(),
        ),
        _ => ("", string_schema().into()),
    };
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn enum_schema(values: &[&str]) -> Schema {
    string_schema()
        .enum_values(Some(values.iter().copied()))
        .into()
}

fn query_param(name: &str, description: &str, schema: Schema) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn header_param(name: &str, description: &str, schema: Schema) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// What each error status means, for every route that can answer it.
fn error_description(status: u16) -> &'static str {
    match status {
        400 => "Invalid request: a parameter, the `lang`, the year (2000–2100) or the body",
        401 => "No valid token",
        403 => "This account may not do this",
        404 => "No such organisation, federation, scan, report or advice visible to this account",
        409 => "The organisation has no management contacts and no `to` was given",
        412 => "Someone saved the advice since the `If-Match` version",
        413 => "The body is over the limit",
        415 => "The body is not of the content type this route reads",
        422 => "The content is refused: nothing stored; what is wrong in `details`",
        428 => "No `If-Match` (or `If-None-Match: *` to create)",
        429 => "Too many e-mails from this account: try again after `Retry-After` seconds",
        _ => "Error",
    }
}

/// The parts of one operation besides its errors.
struct Spec {
    params: Vec<utoipa::openapi::path::Parameter>,
    body: Option<(&'static str, utoipa::openapi::Content)>,
    ok: Vec<(&'static str, utoipa::openapi::Response)>,
    errors: &'static [u16],
}

fn ok(description: &str, schema: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", json_of(schema))
        .build()
}

fn with_etag(description: &str, schema: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", json_of(schema))
        .header(
            "ETag",
            HeaderBuilder::new()
                .schema(string_schema().pattern(Some("^\"[0-9]+\"$")))
                .description(Some("The version of the advice, for `If-Match`"))
                .build(),
        )
        .build()
}

fn lang_param() -> utoipa::openapi::path::Parameter {
    query_param(
        "lang",
        "The report's language (default `nl`).",
        enum_schema(&["nl", "en"]),
    )
}

fn report_param(values: &[&str]) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("report")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some("Which report."))
        .schema(Some(enum_schema(values)))
        .build()
}

/// The parameters, body and answers of a route of the API.
fn spec(method: &Method, path: &str) -> Spec {
    let tail = path.rsplit('/').next().unwrap_or("");
    let mut s = Spec {
        params: Vec::new(),
        body: None,
        ok: Vec::new(),
        errors: &[400, 401, 403, 404],
    };
    match (method.as_str(), tail) {
        ("GET", "catalogue") => {
            s.ok.push(("200", ok("The catalogue", "Catalogue")));
            s.errors = &[400, 401];
        }
        ("GET", "organisations") => {
            s.ok.push((
                "200",
                ok("The organisations this account may see", "OrganisationList"),
            ));
            s.errors = &[400, 401];
        }
        ("GET", "openapi.json") => {
            s.ok.push((
                "200",
                ResponseBuilder::new()
                    .description("This document")
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(ObjectBuilder::new()))
                            .build(),
                    )
                    .build(),
            ));
            s.errors = &[400];
        }
        ("POST", "imports") => {
            s.params.push(query_param(
                "dry_run",
                "Only check the file: nothing is stored (answers 200).",
                ObjectBuilder::new().schema_type(Type::Boolean).into(),
            ));
            s.params.push(query_param(
                "sheet",
                "The sheet to read (default: the first with a questionnaire).",
                string_schema().max_length(Some(100)).into(),
            ));
            s.params.push(query_param(
                "allow_partial",
                "Store the file even when columns that look like questions are left out (422 `import_needs_confirmation` otherwise).",
                ObjectBuilder::new().schema_type(Type::Boolean).into(),
            ));
            s.params.push(query_param(
                "replaces",
                "When the file resembles an earlier import of the scan (422 `import_resembles`): the id of the import it replaces, or `none` for new answers.",
                string_schema().pattern(Some("^([1-9][0-9]{0,8}|none|geen)$")).into(),
            ));
            let upload = ObjectBuilder::new()
                .property(
                    "file",
                    string_schema()
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                        .description(Some("The questionnaire: .xlsx, .xls, .ods or .csv")),
                )
                .required("file");
            s.body = Some((
                "multipart/form-data",
                ContentBuilder::new().schema(Some(upload)).build(),
            ));
            s.ok.push((
                "200",
                ok(
                    "Checked (`dry_run`) or already imported: the import report",
                    "ImportReport",
                ),
            ));
            s.ok.push(("201", ok("Imported: the import report", "ImportReport")));
            s.errors = &[400, 401, 403, 404, 413, 415, 422];
        }
        ("GET", "score") => s.ok.push(("200", ok("The readiness score", "ScoreReport"))),
        ("GET", _) if path.contains("/reports/") => {
            s.params.push(report_param(&["selfscan.pdf", "advice.pdf"]));
            s.params.push(lang_param());
            s.ok.push((
                "200",
                ResponseBuilder::new()
                    .description("The report")
                    .content(
                        "application/pdf",
                        ContentBuilder::new()
                            .schema(Some(
                                string_schema()
                                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
                            ))
                            .build(),
                    )
                    .build(),
            ));
        }
        ("POST", "send") => {
            s.params.push(report_param(&["selfscan", "advice"]));
            s.body = Some(("application/json", json_of("SendBody")));
            s.ok.push((
                "200",
                ok("Queued (and, where possible, delivered)", "SendResult"),
            ));
            s.errors = &[400, 401, 403, 404, 409, 413, 415, 422, 429];
        }
        ("GET", "advice") => s.ok.push(("200", with_etag("The advice", "Advice"))),
        ("PUT" | "PATCH", "advice") => {
            s.params.push(header_param(
                "If-Match",
                "The `ETag` of the advice read (`\"3\"`), or `*` for whatever is stored.",
                string_schema()
                    .pattern(Some("^(\\*|\"[0-9]{1,9}\")$"))
                    .into(),
            ));
            let schema = if method == Method::PUT {
                s.params.push(header_param(
                    "If-None-Match",
                    "`*` to create the first advice.",
                    enum_schema(&["*"]),
                ));
                "AdviceReplacement"
            } else {
                "AdvicePatch"
            };
            s.body = Some(("application/json", json_of(schema)));
            s.ok.push(("200", with_etag("Saved as a new version", "Advice")));
            s.errors = &[400, 401, 403, 404, 412, 413, 415, 422, 428];
        }
        ("GET", "versions") => {
            s.ok.push(("200", ok("The versions, newest first", "AdviceVersions")))
        }
        ("GET", "sends") => {
            s.ok.push(("200", ok("Every send, newest first", "SendList")));
            s.errors = &[400, 401, 403];
        }
        ("GET", "outbox") => {
            s.ok.push(("200", ok("The organisation's e-mails", "OutboxList")))
        }
        ("GET", "benchmark") => {
            s.params.push(query_param(
                "sector",
                "Only the members of this sector.",
                string_schema().max_length(Some(100)).into(),
            ));
            s.ok.push(("200", ok("The anonymised benchmark", "BenchmarkReport")));
        }
        _ => {
            s.ok.push(("200", ResponseBuilder::new().description("OK").build()))
        }
    }
    s
}

/// The operation of one route.
fn operation(r: &RouteInfo) -> Operation {
    let spec = spec(&r.method, r.path);
    let mut op = OperationBuilder::new()
        .summary(Some(r.summary))
        .operation_id(Some(operation_id(&r.method, r.path)));
    for name in r
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .filter(|name| *name != "report")
    {
        op = op.parameter(path_param(name));
    }
    for p in spec.params {
        op = op.parameter(p);
    }
    if let Some((content_type, content)) = spec.body {
        op = op.request_body(Some(
            RequestBodyBuilder::new()
                .content(content_type, content)
                .required(Some(
                    if r.method == Method::POST && content_type == "application/json" {
                        Required::False
                    } else {
                        Required::True
                    },
                ))
                .build(),
        ));
    }
    if r.surface == Surface::Api {
        op = op.security(SecurityRequirement::new("bearer", Vec::<String>::new()));
    }
    let mut responses = ResponsesBuilder::new();
    for (status, response) in spec.ok {
        responses = responses.response(status, response);
    }
    for status in spec.errors {
        responses = responses.response(
            status.to_string(),
            ResponseBuilder::new()
                .description(error_description(*status))
                .content("application/json", json_of("Error"))
                .build(),
        );
    }
    op.responses(responses.build()).build()
}

fn operation_id(method: &Method, path: &str) -> String {
    let words: Vec<&str> = path
        .trim_start_matches("/api/v1/")
        .split('/')
        .map(|s| s.trim_matches(|c| c == '{' || c == '}'))
        .collect();
    format!("{}_{}", method.as_str().to_lowercase(), words.join("_"))
}
