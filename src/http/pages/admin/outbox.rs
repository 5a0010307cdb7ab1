//! The admin's outbox page: the newest e-mails of every organisation with their delivery status, a
//! retry for one that failed, every request to send a report (who, what, to how many), and the
//! sending rules of this installation.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::{Html, Redirect};
use serde::Deserialize;
use serde_json::json;

use super::super::super::error::Result;
use super::super::super::routes::{Routes, Surface};
use super::super::views::{Ctx, render, when};
use super::gate::{Admin, Done, DoneQuery, done, missing_id};
use crate::app::App;
use crate::db;

const PATH: &str = "/admin/outbox";

/// How many messages and sends the page lists.
const SHOWN: u64 = 200;

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(P, M::GET, "/admin/outbox", "The outbox of every organisation, the requests to send and the sending rules (the admin only).", list)
        .add(P, M::POST, "/admin/outbox/retry", "Queue a failed e-mail again and try to deliver it now (the admin only).", retry)
}

async fn list(
    State(app): State<App>,
    Admin(v): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>> {
    let messages = db::outbox::recent_outbox(app.db(), SHOWN).await?;
    let sends = db::sends::list_sends(app.db(), SHOWN).await?;
    let mail = &app.settings().mail;
    Ok(render(
        "admin_outbox.html",
        &Ctx::of(&v, PATH),
        minijinja::context! {
            done => q.done.map(|d| { let (nl, en) = d.words(); v.lang.pick(nl, en).to_owned() }),
            messages => messages.iter().map(|m| json!({
                "id": m.id,
                "to": m.recipients.join(", "),
                "subject": m.subject,
                "status": m.status.code(),
                "attempts": m.attempts,
                "error": m.last_error,
                "created": when(m.created_at),
                "sent": m.sent_at.map(when),
                "retry": m.status == db::OutboxStatus::Failed,
            })).collect::<Vec<_>>(),
            sends => sends.iter().map(|s| json!({
                "at": when(s.at),
                "by": s.user,
                "organisation": s.organisation,
                "report": format!("{} {}", s.kind, s.year),
                "recipients": s.recipients,
                "queued": s.queued,
            })).collect::<Vec<_>>(),
            rules => json!({
                "domains": mail.allowed_domains,
                "max_recipients": mail.max_recipients,
                "per_day": mail.max_sends_per_day,
            }),
        },
    ))
}

/// Every field may be missing, so that the CSRF check comes first.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RetryForm {
    csrf: Option<String>,
    id: Option<i32>,
}

async fn retry(
    State(app): State<App>,
    Admin(v): Admin,
    Form(f): Form<RetryForm>,
) -> Result<Redirect> {
    v.check_csrf(f.csrf.as_deref())?;
    let id = f.id.ok_or_else(missing_id)?;
    let message = db::outbox::requeue_message(app.db(), id, chrono::Utc::now()).await?;
    // Delivered now, as `outbox retry` does; what became of it is on the list.
    app.mailer()
        .deliver(&[message.id])
        .await
        .map_err(crate::app::Error::from)?;
    Ok(done(PATH, Done::Retried))
}
