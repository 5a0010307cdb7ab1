//! The admin's accounts page: every account with its role, scope and state; add one or change its
//! role, organisations or password (which ends its sessions and revokes its tokens); disable, enable
//! or remove one. The rules are `accounts`' — the same as `blendscan user …`.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::super::super::auth::PageViewer;
use super::super::super::error::{AppError, Result};
use super::super::super::routes::{Routes, Surface};
use super::super::views::{Ctx, render, when};
use super::gate::{Admin, Done, DoneQuery, done};
use crate::accounts::{self, UserRequest};
use crate::app::App;
use crate::db;
use crate::domain::access::Role;

const PATH: &str = "/admin/users";

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(P, M::GET, "/admin/users", "The accounts, with role, scope and state (the admin only).", list)
        .add(P, M::POST, "/admin/users", "Add an account, or change one's role, organisations or password; a new password or role ends its sessions and revokes its tokens (the admin only).", save)
        .add(P, M::POST, "/admin/users/disable", "Disable an account: it can no longer sign in, its sessions end and its tokens are revoked (the admin only).", disable)
        .add(P, M::POST, "/admin/users/enable", "Enable a disabled account again (the admin only).", enable)
        .add(P, M::POST, "/admin/users/remove", "Remove an account with its sessions, tokens and organisation links (the admin only).", remove)
}

/// The fields of the account form, kept to show them again beside an error.
#[derive(Debug, Default, Clone, serde::Serialize)]
struct UserForm {
    csrf: Option<String>,
    email: String,
    role: String,
    organisations: Vec<String>,
    federation: String,
}

impl UserForm {
    /// From the posted pairs (`organisation` may repeat: a multiple select), and the password,
    /// which is never shown again.
    fn from_pairs(pairs: Vec<(String, String)>) -> (Self, String) {
        let mut f = UserForm::default();
        let mut password = String::new();
        for (k, v) in pairs {
            match k.as_str() {
                "password" => password = v,
                "csrf" => f.csrf = Some(v),
                "email" => f.email = v,
                "role" => f.role = v,
                "organisation" if !v.trim().is_empty() => f.organisations.push(v),
                "federation" => f.federation = v,
                _ => {}
            }
        }
        (f, password)
    }
}

async fn list(
    State(app): State<App>,
    Admin(v): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    page(&app, &v, q.done, UserForm::default(), None, StatusCode::OK).await
}

async fn page(
    app: &App,
    v: &PageViewer,
    done: Option<Done>,
    form: UserForm,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let users = accounts::list_users(app.db()).await?;
    let orgs = db::organisations::list_organisations(app.db()).await?;
    let feds = db::federations::list_federations(app.db()).await?;
    let lang = v.lang;
    Ok((
        status,
        render(
            "admin_users.html",
            &Ctx::of(v, PATH),
            minijinja::context! {
                done => done.map(|d| { let (nl, en) = d.words(); lang.pick(nl, en).to_owned() }),
                error => error,
                form => minijinja::Value::from_serialize(&form),
                me => v.principal.email.clone(),
                users => users.iter().map(|u| json!({
                    "email": u.email,
                    "role": u.role,
                    "scope": u.federation.clone().unwrap_or_else(|| u.organisations.join(", ")),
                    "created": when(u.created_at),
                    "disabled": u.disabled_at.map(when),
                })).collect::<Vec<_>>(),
                organisations => orgs.iter().map(|o| json!({"slug": o.slug, "name": o.name})).collect::<Vec<_>>(),
                federations => feds.iter().map(|f| json!({"slug": f.slug, "name": f.name})).collect::<Vec<_>>(),
            },
        ),
    )
        .into_response())
}

async fn save(
    State(app): State<App>,
    Admin(v): Admin,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let (form, password) = UserForm::from_pairs(pairs);
    v.check_csrf(form.csrf.as_deref())?;
    let Ok(role) = form.role.parse::<Role>() else {
        let msg = v.lang.pick("Kies een rol.", "Choose a role.").to_owned();
        return page(&app, &v, None, form, Some(msg), StatusCode::BAD_REQUEST).await;
    };
    let req = UserRequest {
        email: form.email.clone(),
        role,
        organisations: form.organisations.clone(),
        federation: Some(form.federation.trim().to_owned()).filter(|f| !f.is_empty()),
        password,
    };
    match accounts::add_user(app.db(), &req).await {
        Ok(_) => Ok(done(PATH, Done::Saved).into_response()),
        Err(e) => {
            let (msg, status) = AppError::from(e).beside_form(v.lang)?;
            page(&app, &v, None, form, Some(msg), status).await
        }
    }
}

/// Every field may be missing, so that the CSRF check comes first.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct AccountForm {
    csrf: Option<String>,
    email: String,
}

async fn disable(
    State(app): State<App>,
    Admin(v): Admin,
    Form(f): Form<AccountForm>,
) -> Result<Redirect> {
    v.check_csrf(f.csrf.as_deref())?;
    accounts::disable_user(app.db(), &f.email).await?;
    Ok(done(PATH, Done::Disabled))
}

async fn enable(
    State(app): State<App>,
    Admin(v): Admin,
    Form(f): Form<AccountForm>,
) -> Result<Redirect> {
    v.check_csrf(f.csrf.as_deref())?;
    accounts::enable_user(app.db(), &f.email).await?;
    Ok(done(PATH, Done::Enabled))
}

async fn remove(
    State(app): State<App>,
    Admin(v): Admin,
    Form(f): Form<AccountForm>,
) -> Result<Redirect> {
    v.check_csrf(f.csrf.as_deref())?;
    accounts::remove_user(app.db(), &f.email).await?;
    Ok(done(PATH, Done::Removed))
}
