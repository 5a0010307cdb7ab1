//! The route table: every route is added through [`Routes::add`], which records its method, path
//! and surface. The OpenAPI document and the authorisation-matrix test are built from that record,
//! so a route cannot exist without being documented and tested.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};

use crate::app::App;

/// Who a route is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// No account needed (health, login, style sheet, the OpenAPI document).
    Public,
    /// `/api/v1`, bearer tokens.
    Api,
    /// Web pages, session cookies.
    Page,
}

/// One route as recorded.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub surface: Surface,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
}

pub struct Routes {
    router: Router<App>,
    list: Vec<RouteInfo>,
}

impl Default for Routes {
    fn default() -> Self {
        Self {
            router: Router::new(),
            list: Vec::new(),
        }
    }
}

impl Routes {
    /// Add a route and record it.
    pub fn add<H, T>(
        mut self,
        surface: Surface,
        method: Method,
        path: &'static str,
        summary: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, App>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone())
            .unwrap_or_else(|_| panic!("unsupported method {method} for {path}"));
        self.router = self.router.route(path, on(filter, handler));
        self.list.push(RouteInfo {
            method,
            path,
            surface,
            summary,
        });
        self
    }

    /// Add an upload route: its body may be as large as `limit` (every other route's is small).
    pub fn add_upload<H, T>(
        mut self,
        surface: Surface,
        path: &'static str,
        summary: &'static str,
        limit: usize,
        handler: H,
    ) -> Self
    where
        H: Handler<T, App>,
        T: 'static,
    {
        let route =
            on(MethodFilter::POST, handler).layer(axum::extract::DefaultBodyLimit::max(limit));
        self.router = self.router.route(path, route);
        self.list.push(RouteInfo {
            method: Method::POST,
            path,
            surface,
            summary,
        });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// The routes recorded so far.
    pub fn infos(&self) -> &[RouteInfo] {
        &self.list
    }

    pub fn into_parts(self) -> (Router<App>, Vec<RouteInfo>) {
        (self.router, self.list)
    }
}
