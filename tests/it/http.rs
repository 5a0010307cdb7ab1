//! The HTTP service through a real listener on loopback: the authorisation matrix over every
//! route, the API and its bad input, and the pages in headless Chromium.
//!
//! The running service they use (two federations, an organisation in each, an account of every
//! role) is `crate::support::service`.
//! - `matrix`: every route × every role × own and foreign tenant → the expected status.
//! - `advice_editor`, `advice_pages`: the counsellor's advice — versions, If-Match, PATCH, the editor page.
//! - `import_history`: a scan's imports on a page, undo, and no undo across organisations.
//! - `api`: imports, scores, PDFs, sending; malformed and hostile requests store nothing.
//! - `openapi_client`: the OpenAPI document validates as 3.1 and schemathesis, driven by it alone,
//!   finds no 5xx and no undocumented status or shape.
//! - `browser`: log in, upload, dashboard, download, send — in Chromium via chromedriver.
//! - `browser_cycle`: the whole yearly cycle as every role in one Chromium session, axe on every page.

mod admin;
mod admin_organisations;
mod advice_editor;
mod advice_pages;
mod api;
mod browser;
mod browser_cycle;
mod hardening;
mod import_history;
mod matrix;
mod openapi_client;
mod pages;
mod replaces;
