//! The admin's API-token page: every token with its account, label, dates and state (never the
//! token itself); make one for an account (shown once, on the answer to the form); revoke one.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::super::auth::PageViewer;
use super::super::super::error::{AppError, Result};
use super::super::super::routes::{Routes, Surface};
use super::super::views::{Ctx, render, when};
use super::gate::{Admin, Done, DoneQuery, done, missing_id};
use crate::accounts::{self, IssuedToken};
use crate::app::App;

const PATH: &str = "/admin/tokens";

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(
            P,
            M::GET,
            "/admin/tokens",
            "The API tokens, with account, dates and state (the admin only).",
            list,
        )
        .add(
            P,
            M::POST,
            "/admin/tokens",
            "Make an API token for an account; it is shown once (the admin only).",
            create,
        )
        .add(
            P,
            M::POST,
            "/admin/tokens/revoke",
            "Revoke an API token (the admin only).",
            revoke,
        )
}

/// The token form, kept to show again beside an error.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default)]
struct TokenForm {
    csrf: Option<String>,
    email: String,
    days: String,
    name: String,
}

async fn list(
    State(app): State<App>,
    Admin(v): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let notice = q.done.map(|d| {
        let (nl, en) = d.words();
        v.lang.pick(nl, en).to_owned()
    });
    page(
        &app,
        &v,
        TokenForm::default(),
        Outcome {
            notice,
            ..Outcome::default()
        },
        StatusCode::OK,
    )
    .await
}

/// What the page says above the list.
#[derive(Debug, Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    issued: Option<IssuedToken>,
}

async fn page(
    app: &App,
    v: &PageViewer,
    form: TokenForm,
    outcome: Outcome,
    status: StatusCode,
) -> Result<Response> {
    let tokens = accounts::list_tokens(app.db(), None).await?;
    let users = accounts::list_users(app.db()).await?;
    let default_days = app.settings().http.token_ttl.num_days();
    Ok((
        status,
        render(
            "admin_tokens.html",
            &Ctx::of(v, PATH),
            minijinja::context! {
                done => outcome.notice,
                error => outcome.error,
                issued => outcome.issued.map(|t| json!({
                    "id": t.id, "email": t.email, "token": t.token, "expires": when(t.expires_at),
                })),
                form => minijinja::Value::from_serialize(&form),
                default_days => default_days,
                accounts => users.iter().filter(|u| u.disabled_at.is_none()).map(|u| u.email.clone()).collect::<Vec<_>>(),
                tokens => tokens.iter().rev().map(|t| json!({
                    "id": t.id,
                    "email": t.email,
                    "name": t.name,
                    "created": when(t.created_at),
                    "expires": when(t.expires_at),
                    "used": t.last_used_at.map(when),
                    "state": t.state.code(),
                })).collect::<Vec<_>>(),
            },
        ),
    )
        .into_response())
}

async fn create(
    State(app): State<App>,
    Admin(v): Admin,
    Form(form): Form<TokenForm>,
) -> Result<Response> {
    v.check_csrf(form.csrf.as_deref())?;
    let refuse = |nl: &str, en: &str| Outcome {
        error: Some(v.lang.pick(nl, en).to_owned()),
        ..Outcome::default()
    };
    let days = match form.days.trim() {
        "" => app.settings().http.token_ttl.num_days(),
        d => match d.parse::<i64>() {
            Ok(n) if (1..=3650).contains(&n) => n,
            _ => {
                let o = refuse(
                    "Geldigheid: geef een aantal dagen van 1 tot 3650.",
                    "Valid for: give a number of days from 1 to 3650.",
                );
                return page(&app, &v, form, o, StatusCode::BAD_REQUEST).await;
            }
        },
    };
    let name = Some(form.name.as_str()).filter(|n| !n.trim().is_empty());
    match accounts::issue_token(app.db(), &form.email, chrono::Duration::days(days), name).await {
        Ok(issued) => {
            let o = Outcome {
                issued: Some(issued),
                ..Outcome::default()
            };
            page(&app, &v, TokenForm::default(), o, StatusCode::CREATED).await
        }
        Err(e) => {
            let (error, status) = AppError::from(e).beside_form(v.lang)?;
            let o = Outcome {
                error: Some(error),
                ..Outcome::default()
            };
            page(&app, &v, form, o, status).await
        }
    }
}

/// Every field may be missing, so that the CSRF check comes first.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevokeForm {
    csrf: Option<String>,
    id: Option<i32>,
}

async fn revoke(
    State(app): State<App>,
    Admin(v): Admin,
    Form(f): Form<RevokeForm>,
) -> Result<Redirect> {
    v.check_csrf(f.csrf.as_deref())?;
    let id = f.id.ok_or_else(missing_id)?;
    accounts::revoke_token(app.db(), id).await?;
    Ok(done(PATH, Done::Revoked))
}
