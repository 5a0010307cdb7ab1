//! The advice page of a scan: for the process counsellor (and the admin) an editor of the general
//! advice, the advice per aspect and the action plan, saved as a new version; for the
//! organisation's coordinator the same read-only, with a small form per action to update its
//! status. A hidden version field is the page's If-Match: when someone else saved first, the page
//! says so (409) and keeps what was typed. A save redirects (303), so a refresh sends nothing again.

mod form;
mod view;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::super::auth::Page;
use super::super::error::{AppError, Result};
use super::super::routes::{Routes, Surface};
use super::super::scope::{Advise, ReadScore, Scoped, TrackPlan};
use super::views::{Ctx, render};
use crate::app::{AdviceEdit, AdviceSave, App, Error};
use crate::db;
use crate::db::advice::{Author, Precondition};
use crate::domain::access::{Decision, OrgAction};
use crate::domain::text::Lang;
use form::AdviceForm;

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(
            P,
            M::GET,
            "/organisations/{org}/scans/{year}/advice",
            "The advice and action plan of a scan: an editor for the counsellor, read-only with status forms for the coordinator.",
            page,
        )
        .add(
            P,
            M::POST,
            "/organisations/{org}/scans/{year}/advice",
            "Save the advice and action plan as a new version (the form's `version` must be the current one).",
            save,
        )
        .add(
            P,
            M::POST,
            "/organisations/{org}/scans/{year}/advice/status",
            "Update the status of one action of the plan (`row`, `status`, `version`).",
            set_status,
        )
}

/// Who sees what, and what the page says besides the advice.
#[derive(Default)]
struct Show {
    form: Option<AdviceForm>,
    /// The version the form's save applies to (none: the first advice).
    version: Option<i32>,
    saved: Option<i32>,
    conflict: Option<String>,
    problems: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SavedQuery {
    saved: Option<i32>,
}

async fn page(
    State(app): State<App>,
    s: Scoped<ReadScore, Page>,
    Query(q): Query<SavedQuery>,
) -> Result<Response> {
    let show = Show {
        saved: q.saved,
        ..Show::default()
    };
    render_page(&app, &s.viewer, &s.org, s.year(), show, StatusCode::OK).await
}

async fn render_page(
    app: &App,
    v: &super::super::auth::PageViewer,
    org: &db::Organisation,
    year: i32,
    show: Show,
    status: StatusCode,
) -> Result<Response> {
    let lang = v.lang;
    let cat = app.catalogue();
    let path = format!("/organisations/{}/scans/{year}/advice", org.slug);
    let ctx = Ctx::of(v, &path);
    let org_ref = db::organisations::organisation_with_ref(app.db(), &org.slug)
        .await?
        .map(|(_, r)| r);
    let can =
        |action| org_ref.is_some_and(|r| v.principal.organisation(r, action) == Decision::Allow);
    let (can_edit, can_track) = (can(OrgAction::Advise), can(OrgAction::TrackPlan));
    let org_json = json!({"slug": org.slug, "name": org.name});
    let found = match app.versioned_advice(&org.slug, year).await {
        Ok(found) => found,
        Err(Error::NoScan { .. }) => {
            let html = render(
                "advice.html",
                &ctx,
                minijinja::context! { org => org_json, year => year, scan => false },
            );
            return Ok((StatusCode::NOT_FOUND, html).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let versions = app.advice_versions(&org.slug, year).await?;
    let advice = found.as_ref().map(|f| &f.advice);
    // The version a save applies to: the one shown, or after a conflict the one now stored (a
    // second save then replaces it on purpose).
    let version = if show.conflict.is_some() || show.form.is_none() {
        found.as_ref().map(|f| f.version)
    } else {
        show.version
    };
    let form = match show.form {
        Some(f) => f.with_room(),
        None => AdviceForm::of(advice, cat, lang),
    };
    let html = render(
        "advice.html",
        &ctx,
        minijinja::context! {
            org => org_json,
            year => year,
            scan => true,
            exists => found.is_some(),
            can_edit => can_edit,
            can_track => can_track,
            version => version.map(|v| v.to_string()).unwrap_or_default(),
            current => found.as_ref().map(|f| f.version),
            saved => show.saved,
            conflict => show.conflict,
            problems => show.problems,
            form => minijinja::Value::from_serialize(&form),
            plan => view::plan_rows(cat, found.as_ref(), lang),
            recommendations => form::catalogue_choices(cat, lang),
            statuses => form::status_choices(lang),
            versions => versions.iter().map(|x| json!({
                "version": x.version,
                "when": x.saved_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                "who": view::who(x.origin.as_str(), x.saved_by.as_deref(), lang),
            })).collect::<Vec<_>>(),
        },
    );
    Ok((status, html).into_response())
}

/// The fields of a posted form, or a refusal when it is no form at all.
fn fields(
    form: std::result::Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Vec<(String, String)>> {
    form.map(|Form(f)| f)
        .map_err(|_| AppError::bad_request("het formulier is onvolledig", "the form is incomplete"))
}

fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The form's `version`: empty for the first advice, else the version the form was made from.
fn precondition(fields: &[(String, String)]) -> Result<Precondition> {
    let incomplete = || {
        AppError::bad_request(
            "het formulier is onvolledig (het versieveld ontbreekt): laad de pagina opnieuw",
            "the form is incomplete (the version field is missing): reload the page",
        )
    };
    match field(fields, "version").map(str::trim) {
        None => Err(incomplete()),
        Some("") => Ok(Precondition::Absent),
        Some(v) => v
            .parse()
            .map(Precondition::Version)
            .map_err(|_| incomplete()),
    }
}

fn author(v: &super::super::auth::PageViewer) -> Author {
    Author::Account {
        user_id: v.principal.user_id,
        email: v.principal.email.clone(),
    }
}

/// Who saved the newest version.
async fn last_saved_by(app: &App, slug: &str, year: i32, lang: Lang) -> Option<String> {
    let versions = app.advice_versions(slug, year).await.ok()?;
    let v = versions.first()?;
    Some(view::who(&v.origin, v.saved_by.as_deref(), lang))
}

async fn save(
    State(app): State<App>,
    s: Scoped<Advise, Page>,
    form: std::result::Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response> {
    let fields = fields(form)?;
    s.viewer.check_csrf(field(&fields, "csrf"))?;
    let lang = s.viewer.lang;
    let precondition = precondition(&fields)?;
    let typed = AdviceForm::from_fields(&fields, app.catalogue(), lang);
    let given = match precondition {
        Precondition::Version(v) => Some(v),
        _ => None,
    };
    let again = |show: Show, status| render_page(&app, &s.viewer, &s.org, s.year(), show, status);
    let problems = typed.problems(lang);
    if !problems.is_empty() {
        let show = Show {
            form: Some(typed),
            version: given,
            problems,
            ..Show::default()
        };
        return again(show, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let json = typed.to_json().to_string();
    let result = app
        .save_advice(&AdviceSave {
            organisation: &s.org.slug,
            year: s.year(),
            edit: AdviceEdit::Replace(&json),
            precondition,
            by: author(&s.viewer),
        })
        .await;
    match result {
        Ok(saved) => Ok(saved_redirect(&s.org.slug, s.year(), saved.version)),
        Err(Error::AdviceConflict { current, .. }) => {
            let by = last_saved_by(&app, &s.org.slug, s.year(), lang).await;
            let show = Show {
                form: Some(typed),
                conflict: Some(view::conflict_message(current, by.as_deref(), lang, false)),
                ..Show::default()
            };
            again(show, StatusCode::CONFLICT).await
        }
        Err(Error::AdviceRejected(e)) => {
            let mut problems = vec![if lang == Lang::En {
                "The advice was not saved:".to_owned()
            } else {
                "Het advies is niet bewaard:".to_owned()
            }];
            problems.push(e.to_string());
            let show = Show {
                form: Some(typed),
                version: given,
                problems,
                ..Show::default()
            };
            again(show, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

fn saved_redirect(slug: &str, year: i32, version: i32) -> Response {
    Redirect::to(&format!(
        "/organisations/{slug}/scans/{year}/advice?saved={version}"
    ))
    .into_response()
}

async fn set_status(
    State(app): State<App>,
    s: Scoped<TrackPlan, Page>,
    form: std::result::Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response> {
    let fields = fields(form)?;
    s.viewer.check_csrf(field(&fields, "csrf"))?;
    let lang = s.viewer.lang;
    let Precondition::Version(version) = precondition(&fields)? else {
        return Err(AppError::bad_request(
            "er is nog geen actieplan om bij te werken",
            "there is no action plan to update yet",
        ));
    };
    let row = field(&fields, "row").and_then(|r| r.trim().parse::<u32>().ok());
    let status = field(&fields, "status").unwrap_or("").trim();
    let (Some(row), false) = (row, status.is_empty()) else {
        return Err(AppError::bad_request(
            "het formulier is onvolledig (actie of status ontbreekt)",
            "the form is incomplete (action or status missing)",
        ));
    };
    let mut change = json!({ "row": row, "status": status });
    if let Some(code) = field(&fields, "code").filter(|c| !c.trim().is_empty()) {
        change["code"] = json!(code);
    }
    let patch = json!({ "action_status": [change] }).to_string();
    let result = app
        .save_advice(&AdviceSave {
            organisation: &s.org.slug,
            year: s.year(),
            edit: AdviceEdit::Patch(&patch),
            precondition: Precondition::Version(version),
            by: author(&s.viewer),
        })
        .await;
    match result {
        Ok(saved) => Ok(saved_redirect(&s.org.slug, s.year(), saved.version)),
        Err(Error::AdviceConflict { current, .. }) => {
            let by = last_saved_by(&app, &s.org.slug, s.year(), lang).await;
            let show = Show {
                conflict: Some(view::conflict_message(current, by.as_deref(), lang, true)),
                ..Show::default()
            };
            render_page(
                &app,
                &s.viewer,
                &s.org,
                s.year(),
                show,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(Error::AdviceRejected(e)) => {
            let show = Show {
                problems: vec![e.to_string()],
                ..Show::default()
            };
            render_page(
                &app,
                &s.viewer,
                &s.org,
                s.year(),
                show,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
