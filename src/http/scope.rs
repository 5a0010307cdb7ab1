//! Tenant isolation, in one place. Every route that names an organisation (`{org}`) or a federation
//! (`{fed}`) takes a [`Scoped`] or [`FedScoped`] extractor: it authenticates the request, looks the
//! tenant up and asks `domain::access` whether this account may do this action with it. Handlers
//! only ever see an organisation that passed; they query by its id and nothing else.

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::auth::Front;
use super::error::AppError;
use crate::app::App;
use crate::db::{self, Federation, Organisation};
use crate::domain::access::{Decision, OrgAction};

/// An action on an organisation, as a type, so a route's extractor says what it does.
pub trait Act: Send + Sync + 'static {
    const ACTION: OrgAction;
}

macro_rules! acts {
    ($($name:ident => $action:ident),* $(,)?) => {$(
        #[doc = concat!("The `", stringify!($action), "` action.")]
        pub struct $name;
        impl Act for $name {
            const ACTION: OrgAction = OrgAction::$action;
        }
    )*};
}

acts!(
    ReadScore => ReadScore,
    Import => Import,
    Reports => Reports,
    SendMail => Send,
    Advise => Advise,
    TrackPlan => TrackPlan,
);

/// An organisation this account may do `A` with, with the scan year when the route has one.
pub struct Scoped<A: Act, F: Front> {
    pub viewer: F::Viewer,
    pub org: Organisation,
    /// The `{year}` of the path, checked (2000–2100).
    pub year: Option<i32>,
    _act: PhantomData<A>,
}

impl<A: Act, F: Front> Scoped<A, F> {
    /// The year of a route that has one (every scan route does).
    pub fn year(&self) -> i32 {
        self.year.unwrap_or_default()
    }
}

/// A path parameter.
pub async fn path_param(parts: &mut Parts, app: &App, name: &str) -> Option<String> {
    let params = RawPathParams::from_request_parts(parts, app).await.ok()?;
    params
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The `{year}` parameter, when the route has one.
async fn year_param(parts: &mut Parts, app: &App) -> Result<Option<i32>, AppError> {
    let Some(raw) = path_param(parts, app, "year").await else {
        return Ok(None);
    };
    match raw.parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(AppError::bad_request(
            format!("jaar `{raw}`: geef een jaartal tussen 2000 en 2100"),
            format!("year `{raw}`: give a year between 2000 and 2100"),
        )),
    }
}

impl<A: Act, F: Front> FromRequestParts<App> for Scoped<A, F> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let viewer = F::viewer(parts, app).await?;
        let fail = |e: AppError| e.into_response();
        let slug = path_param(parts, app, "org").await.unwrap_or_default();
        let hidden = || AppError::not_found("organisatie", "organisation", &slug);
        let (org, org_ref) = match db::organisations::organisation_with_ref(app.db(), &slug).await {
            Ok(Some(found)) => found,
            Ok(None) => return Err(fail(hidden())),
            Err(e) => return Err(fail(e.into())),
        };
        match F::principal(&viewer).organisation(org_ref, A::ACTION) {
            Decision::Allow => {}
            Decision::Forbidden => return Err(fail(AppError::forbidden())),
            Decision::NotFound => return Err(fail(hidden())),
        }
        let year = year_param(parts, app).await.map_err(fail)?;
        Ok(Scoped {
            viewer,
            org,
            year,
            _act: PhantomData,
        })
    }
}

/// A federation whose aggregate benchmark this account may read, with the year of the route.
pub struct FedScoped<F: Front> {
    pub viewer: F::Viewer,
    pub federation: Federation,
    pub year: i32,
}

impl<F: Front> FromRequestParts<App> for FedScoped<F> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let viewer = F::viewer(parts, app).await?;
        let fail = |e: AppError| e.into_response();
        let key = path_param(parts, app, "fed").await.unwrap_or_default();
        let hidden = || AppError::not_found("koepel", "federation", &key);
        let federation = match db::federations::find_federation(app.db(), &key).await {
            Ok(Some(f)) => f,
            Ok(None) => return Err(fail(hidden())),
            Err(e) => return Err(fail(e.into())),
        };
        match F::principal(&viewer).federation(federation.id) {
            Decision::Allow => {}
            Decision::Forbidden => return Err(fail(AppError::forbidden())),
            Decision::NotFound => return Err(fail(hidden())),
        }
        let year = year_param(parts, app)
            .await
            .map_err(fail)?
            .unwrap_or_default();
        Ok(FedScoped {
            viewer,
            federation,
            year,
        })
    }
}
