//! The admin's pages: the installation's accounts, organisations (with their contacts), API tokens
//! and outbox. Every route takes the [`gate::Admin`] extractor, so nobody else reaches them (403);
//! each form carries the session's CSRF token, and a change answers with a redirect to its list (a
//! refresh does not repeat it).

mod gate;
mod organisations;
mod outbox;
mod tokens;
mod users;

use axum::extract::State;
use axum::http::Method;
use axum::response::Html;
use serde_json::json;

use super::super::error::Result;
use super::super::routes::{Routes, Surface};
use super::views::{Ctx, render};
use crate::app::App;
use crate::db;
use gate::Admin;

pub fn routes() -> Routes {
    Routes::default()
        .add(
            Surface::Page,
            Method::GET,
            "/admin",
            "The admin's overview: accounts, API tokens, the outbox (the admin only).",
            overview,
        )
        .merge(users::routes())
        .merge(organisations::routes())
        .merge(tokens::routes())
        .merge(outbox::routes())
}

async fn overview(State(app): State<App>, Admin(v): Admin) -> Result<Html<String>> {
    let users = crate::accounts::list_users(app.db()).await?;
    let tokens = crate::accounts::list_tokens(app.db(), None).await?;
    let failed = db::outbox::list_outbox(app.db(), Some(db::OutboxStatus::Failed)).await?;
    let queued = db::outbox::list_outbox(app.db(), Some(db::OutboxStatus::Queued)).await?;
    Ok(render(
        "admin.html",
        &Ctx::of(&v, "/admin"),
        minijinja::context! {
            counts => json!({
                "users": users.len(),
                "disabled": users.iter().filter(|u| u.disabled_at.is_some()).count(),
                "tokens": tokens.iter().filter(|t| t.state == db::accounts::TokenState::Active).count(),
                "failed": failed.len(),
                "queued": queued.len(),
            }),
        },
    ))
}
