//! The admin's organisations: every organisation with its sector, federation and staff headcount;
//! add one (as `blendscan org add`); change one's name, profile or federation; keep its management
//! contacts (as `blendscan contact …` and the coordinator's settings page, with the same forms).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::super::auth::PageViewer;
use super::super::super::error::{AppError, Result};
use super::super::super::routes::{Routes, Surface};
use super::super::cycle::{ContactForm, RemoveForm, typed_headcount};
use super::super::views::{Ctx, render};
use super::gate::{Admin, Done, DoneQuery, done};
use crate::app::App;
use crate::db::{self, NewOrganisation, Organisation, organisations::OrganisationChange};

const PATH: &str = "/admin/organisations";

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(P, M::GET, "/admin/organisations", "The organisations, with sector, federation and staff headcount (the admin only).", list)
        .add(P, M::POST, "/admin/organisations", "Add an organisation; its federation is created when new (the admin only).", add)
        .add(P, M::GET, "/admin/organisations/{org}", "An organisation's name, profile, federation and management contacts (the admin only).", organisation)
        .add(P, M::POST, "/admin/organisations/{org}", "Change an organisation's name, sector, staff headcount or federation (the admin only).", save)
        .add(P, M::POST, "/admin/organisations/{org}/contacts", "Add or change a management contact of an organisation (the admin only).", add_contact)
        .add(P, M::POST, "/admin/organisations/{org}/contacts/remove", "Remove a management contact of an organisation (the admin only).", remove_contact)
}

/// The organisation form (add and change), as typed, to show again beside an error.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default)]
struct OrganisationForm {
    csrf: Option<String>,
    name: String,
    sector: String,
    staff: String,
    federation: String,
}

impl OrganisationForm {
    fn of(o: &Organisation) -> Self {
        Self {
            csrf: None,
            name: o.name.clone(),
            sector: o.sector.clone().unwrap_or_default(),
            staff: o.staff_headcount.map(|n| n.to_string()).unwrap_or_default(),
            federation: o.federation.clone().unwrap_or_default(),
        }
    }

    fn federation(&self) -> Option<String> {
        Some(self.federation.trim().to_owned()).filter(|f| !f.is_empty())
    }
}

/// What a page says besides its lists.
#[derive(Debug, Default)]
struct Said {
    done: Option<Done>,
    error: Option<String>,
    contact_error: Option<String>,
}

async fn list(
    State(app): State<App>,
    Admin(v): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let said = Said {
        done: q.done,
        ..Said::default()
    };
    list_page(&app, &v, OrganisationForm::default(), said, StatusCode::OK).await
}

async fn list_page(
    app: &App,
    v: &PageViewer,
    form: OrganisationForm,
    said: Said,
    status: StatusCode,
) -> Result<Response> {
    let orgs = db::organisations::list_organisations(app.db()).await?;
    let feds = db::federations::list_federations(app.db()).await?;
    let html = render(
        "admin_organisations.html",
        &Ctx::of(v, PATH),
        minijinja::context! {
            done => said.done.map(|d| { let (nl, en) = d.words(); v.lang.pick(nl, en).to_owned() }),
            error => said.error,
            form => minijinja::Value::from_serialize(&form),
            organisations => orgs.iter().map(|o| json!({
                "slug": o.slug, "name": o.name, "sector": o.sector,
                "federation": o.federation.as_ref().and_then(|f| feds.iter().find(|x| &x.slug == f)).map(|f| f.name.clone()),
                "staff": o.staff_headcount,
            })).collect::<Vec<_>>(),
            federations => feds.iter().map(|f| json!({"slug": f.slug, "name": f.name})).collect::<Vec<_>>(),
        },
    );
    Ok((status, html).into_response())
}

async fn add(
    State(app): State<App>,
    Admin(v): Admin,
    Form(form): Form<OrganisationForm>,
) -> Result<Response> {
    v.check_csrf(form.csrf.as_deref())?;
    let added = match typed_headcount(&form.staff) {
        Ok(staff_headcount) => {
            let new = NewOrganisation {
                name: form.name.clone(),
                sector: Some(form.sector.clone()),
                federation: form.federation(),
                staff_headcount,
            };
            db::organisations::add_organisation(app.db(), &new)
                .await
                .map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match added {
        Ok(org) => Ok(done(&format!("{PATH}/{}", org.slug), Done::Added).into_response()),
        Err(e) => {
            let (msg, status) = e.beside_form(v.lang)?;
            let said = Said {
                error: Some(msg),
                ..Said::default()
            };
            list_page(&app, &v, form, said, status).await
        }
    }
}

async fn organisation(
    State(app): State<App>,
    Admin(v): Admin,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let org = db::organisations::organisation_by_slug(app.db(), &slug).await?;
    let said = Said {
        done: q.done,
        ..Said::default()
    };
    let form = OrganisationForm::of(&org);
    org_page(
        &app,
        &v,
        &org,
        form,
        ContactForm::default(),
        said,
        StatusCode::OK,
    )
    .await
}

async fn org_page(
    app: &App,
    v: &PageViewer,
    org: &Organisation,
    form: OrganisationForm,
    contact: ContactForm,
    said: Said,
    status: StatusCode,
) -> Result<Response> {
    let contacts = db::contacts::contacts_of(app.db(), org.id).await?;
    let feds = db::federations::list_federations(app.db()).await?;
    let path = format!("{PATH}/{}", org.slug);
    let html = render(
        "admin_organisation.html",
        &Ctx::of(v, &path),
        minijinja::context! {
            done => said.done.map(|d| { let (nl, en) = d.words(); v.lang.pick(nl, en).to_owned() }),
            error => said.error,
            contact_error => said.contact_error,
            org => json!({"slug": org.slug, "name": org.name}),
            contacts_action => format!("{path}/contacts"),
            form => minijinja::Value::from_serialize(&form),
            contact => json!({"email": contact.email, "name": contact.name, "lang": contact.lang}),
            contacts => contacts.iter().map(|c| json!({
                "email": c.email, "name": c.name, "lang": c.lang.code(),
            })).collect::<Vec<_>>(),
            federations => feds.iter().map(|f| json!({"slug": f.slug, "name": f.name})).collect::<Vec<_>>(),
        },
    );
    Ok((status, html).into_response())
}

async fn save(
    State(app): State<App>,
    Admin(v): Admin,
    Path(slug): Path<String>,
    Form(form): Form<OrganisationForm>,
) -> Result<Response> {
    v.check_csrf(form.csrf.as_deref())?;
    let org = db::organisations::organisation_by_slug(app.db(), &slug).await?;
    let saved = match typed_headcount(&form.staff) {
        Ok(staff_headcount) => {
            let change = OrganisationChange {
                name: form.name.clone(),
                sector: Some(form.sector.clone()),
                staff_headcount,
                federation: form.federation(),
            };
            db::organisations::update_organisation(app.db(), org.id, &change)
                .await
                .map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(done(&format!("{PATH}/{}", org.slug), Done::Changed).into_response()),
        Err(e) => {
            let (msg, status) = e.beside_form(v.lang)?;
            let said = Said {
                error: Some(msg),
                ..Said::default()
            };
            org_page(&app, &v, &org, form, ContactForm::default(), said, status).await
        }
    }
}

async fn add_contact(
    State(app): State<App>,
    Admin(v): Admin,
    Path(slug): Path<String>,
    Form(contact): Form<ContactForm>,
) -> Result<Response> {
    v.check_csrf(contact.csrf.as_deref())?;
    let org = db::organisations::organisation_by_slug(app.db(), &slug).await?;
    match contact.save(&app, &org.slug).await {
        Ok(()) => Ok(done(&format!("{PATH}/{}", org.slug), Done::ContactSaved).into_response()),
        Err(e) => {
            let (msg, status) = e.beside_form(v.lang)?;
            let said = Said {
                contact_error: Some(msg),
                ..Said::default()
            };
            let form = OrganisationForm::of(&org);
            org_page(&app, &v, &org, form, contact, said, status).await
        }
    }
}

async fn remove_contact(
    State(app): State<App>,
    Admin(v): Admin,
    Path(slug): Path<String>,
    Form(f): Form<RemoveForm>,
) -> Result<Redirect> {
    v.check_csrf(f.csrf.as_deref())?;
    let org = db::organisations::organisation_by_slug(app.db(), &slug).await?;
    f.remove(&app, &org.slug).await?;
    Ok(done(&format!("{PATH}/{}", org.slug), Done::ContactRemoved))
}
