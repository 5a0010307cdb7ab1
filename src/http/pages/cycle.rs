//! The coordinator's yearly cycle around the scans: start next year's scan, download the
//! questionnaire to fill in, keep the organisation's profile (sector, staff headcount — what the
//! response rate is measured against) and its management contacts. Each change answers with a
//! redirect (a refresh repeats nothing); a refusal is said beside its form, which keeps what was
//! typed.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::auth::{Page, PageViewer};
use super::super::error::{AppError, Result};
use super::super::routes::{Routes, Surface};
use super::super::scope::{Import, Scoped};
use super::views::{Ctx, render};
use crate::app::App;
use crate::db::{self, Organisation};
use crate::domain::text::Lang;
use crate::template::{TemplateOptions, Variant};

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(
            P,
            M::POST,
            "/organisations/{org}/scans",
            "Start the scan of a year (`year` in the form): to its upload page.",
            start_scan,
        )
        .add(
            P,
            M::GET,
            "/organisations/{org}/questionnaire.xlsx",
            "The questionnaire to fill in: `?lang=nl|en&variant=full|short&role=CODE`.",
            questionnaire,
        )
        .add(
            P,
            M::GET,
            "/organisations/{org}/settings",
            "The organisation's profile and management contacts.",
            settings,
        )
        .add(
            P,
            M::POST,
            "/organisations/{org}/settings",
            "Change the organisation's sector and staff headcount.",
            save_profile,
        )
        .add(
            P,
            M::POST,
            "/organisations/{org}/contacts",
            "Add or change a management contact.",
            add_contact,
        )
        .add(
            P,
            M::POST,
            "/organisations/{org}/contacts/remove",
            "Remove a management contact.",
            remove_contact,
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StartForm {
    csrf: Option<String>,
    year: String,
}

async fn start_scan(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Form(f): Form<StartForm>,
) -> Result<Redirect> {
    s.viewer.check_csrf(f.csrf.as_deref())?;
    let year = f
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            AppError::bad_request(
                format!(
                    "jaar `{}`: geef een jaartal tussen 2000 en 2100",
                    f.year.trim()
                ),
                format!(
                    "year `{}`: give a year between 2000 and 2100",
                    f.year.trim()
                ),
            )
        })?;
    app.start_scan(&s.org, year).await?;
    Ok(Redirect::to(&format!(
        "/organisations/{}/scans/{year}/import",
        s.org.slug
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TemplateQuery {
    lang: Option<String>,
    variant: Option<String>,
    role: Option<String>,
}

async fn questionnaire(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Query(q): Query<TemplateQuery>,
) -> Result<Response> {
    let lang = super::super::shared::parse_lang(q.lang.as_deref().or(Some(s.viewer.lang.code())))?;
    let variant = match q.variant.as_deref().unwrap_or("full") {
        "full" => Variant::Full,
        "short" => Variant::Short,
        other => {
            return Err(AppError::bad_request(
                format!("variant `{other}`: kies full of short"),
                format!("variant `{other}`: choose full or short"),
            ));
        }
    };
    let role = q.role.filter(|r| !r.trim().is_empty());
    let options = TemplateOptions {
        lang,
        variant,
        role: role.clone(),
    };
    let bytes = crate::template::questionnaire(app.catalogue(), &options)
        .map_err(|e| AppError::bad_request(e.to_string(), e.to_string()))?;
    let name = format!(
        "blendscan-{}-{}{}{}.xlsx",
        s.org.slug,
        lang.pick("vragenlijst", "questionnaire"),
        if variant == Variant::Short {
            "-kort"
        } else {
            ""
        },
        role.map(|r| format!("-{}", r.to_ascii_lowercase()))
            .unwrap_or_default()
    );
    let mut res = (
        [(
            header::CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )],
        bytes,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// The two forms of the settings page, as typed, and what is said beside them.
#[derive(Debug, Default, Serialize)]
struct Typed {
    sector: Option<String>,
    staff: Option<String>,
    email: String,
    name: String,
    lang: String,
    profile_error: Option<String>,
    contact_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: Option<String>,
}

async fn settings(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let done = match q.done.as_deref() {
        Some("profile") => Some(("Het profiel is bewaard.", "The profile was saved.")),
        Some("contact") => Some(("De contactpersoon is bewaard.", "The contact was saved.")),
        Some("removed") => Some((
            "De contactpersoon is verwijderd.",
            "The contact was removed.",
        )),
        _ => None,
    };
    let done = done.map(|(nl, en)| s.viewer.lang.pick(nl, en).to_owned());
    settings_page(
        &app,
        &s.viewer,
        &s.org,
        done,
        Typed::default(),
        StatusCode::OK,
    )
    .await
}

async fn settings_page(
    app: &App,
    v: &PageViewer,
    org: &Organisation,
    done: Option<String>,
    typed: Typed,
    status: StatusCode,
) -> Result<Response> {
    // Read again: a profile just saved shows its new values.
    let org = db::organisations::organisation_by_slug(app.db(), &org.slug).await?;
    let contacts = db::contacts::contacts_of(app.db(), org.id).await?;
    let path = format!("/organisations/{}/settings", org.slug);
    let html = render(
        "settings.html",
        &Ctx::of(v, &path),
        minijinja::context! {
            org => json!({"slug": org.slug, "name": org.name, "sector": org.sector, "staff": org.staff_headcount}),
            done => done,
            contacts_action => format!("/organisations/{}/contacts", org.slug),
            contact => json!({"email": typed.email, "name": typed.name, "lang": typed.lang}),
            contact_error => typed.contact_error,
            typed => minijinja::Value::from_serialize(&typed),
            contacts => contacts.iter().map(|c| json!({
                "email": c.email, "name": c.name, "lang": c.lang.code(),
            })).collect::<Vec<_>>(),
        },
    );
    Ok((status, html).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProfileForm {
    csrf: Option<String>,
    sector: String,
    staff: String,
}

async fn save_profile(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Form(f): Form<ProfileForm>,
) -> Result<Response> {
    s.viewer.check_csrf(f.csrf.as_deref())?;
    let saved = match typed_headcount(&f.staff) {
        Ok(staff) => db::organisations::update_profile(app.db(), s.org.id, Some(&f.sector), staff)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!(
            "/organisations/{}/settings?done=profile",
            s.org.slug
        ))
        .into_response()),
        Err(e) => {
            let (msg, status) = e.beside_form(s.viewer.lang)?;
            let typed = Typed {
                sector: Some(f.sector),
                staff: Some(f.staff),
                profile_error: Some(msg),
                ..Typed::default()
            };
            settings_page(&app, &s.viewer, &s.org, None, typed, status).await
        }
    }
}

/// A staff headcount as typed in a form: blank is none, else a whole number from 1.
pub(super) fn typed_headcount(typed: &str) -> Result<Option<i32>> {
    match typed.trim() {
        "" => Ok(None),
        n => n
            .parse::<i32>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Some)
            .ok_or_else(|| {
                AppError::bad_request(
                    format!("aantal medewerkers `{n}`: geef een geheel getal vanaf 1"),
                    format!("staff headcount `{n}`: give a whole number from 1"),
                )
            }),
    }
}

/// The form that adds or changes a management contact, here and on the admin's organisation page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ContactForm {
    pub csrf: Option<String>,
    pub email: String,
    pub name: String,
    pub lang: String,
}

impl ContactForm {
    /// Store it as a contact of the organisation: a known address gets the new name and language.
    pub async fn save(&self, app: &App, slug: &str) -> Result<()> {
        let lang = match self.lang.as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        };
        let name = Some(self.name.as_str()).filter(|n| !n.trim().is_empty());
        crate::mail::contacts::add_contact(app.db(), slug, &self.email, name, lang)
            .await
            .map_err(|e| AppError::from(crate::app::Error::from(e)))?;
        Ok(())
    }
}

async fn add_contact(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Form(f): Form<ContactForm>,
) -> Result<Response> {
    s.viewer.check_csrf(f.csrf.as_deref())?;
    match f.save(&app, &s.org.slug).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/organisations/{}/settings?done=contact",
            s.org.slug
        ))
        .into_response()),
        Err(e) => {
            let (msg, status) = e.beside_form(s.viewer.lang)?;
            let typed = Typed {
                email: f.email,
                name: f.name,
                lang: f.lang,
                contact_error: Some(msg),
                ..Typed::default()
            };
            settings_page(&app, &s.viewer, &s.org, None, typed, status).await
        }
    }
}

/// The form that removes a management contact.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RemoveForm {
    pub csrf: Option<String>,
    pub email: String,
}

impl RemoveForm {
    /// Take the address off the organisation's contacts; not found when it is not one.
    pub async fn remove(&self, app: &App, slug: &str) -> Result<()> {
        let removed = crate::mail::contacts::remove_contact(app.db(), slug, &self.email)
            .await
            .map_err(crate::app::Error::from)?;
        if !removed {
            return Err(AppError::not_found(
                "contactpersoon",
                "contact",
                self.email.trim(),
            ));
        }
        Ok(())
    }
}

async fn remove_contact(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Form(f): Form<RemoveForm>,
) -> Result<Redirect> {
    s.viewer.check_csrf(f.csrf.as_deref())?;
    f.remove(&app, &s.org.slug).await?;
    Ok(Redirect::to(&format!(
        "/organisations/{}/settings?done=removed",
        s.org.slug
    )))
}

/// The years a new scan can be started for from the dashboard: this one and the next.
pub fn startable_years() -> [i32; 2] {
    let now = chrono::Utc::now().year();
    [now, now + 1]
}
