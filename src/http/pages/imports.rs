//! The import history of a scan: every file imported into it, newest first, with what it brought
//! (respondents, answers, earlier submissions it replaced, respondents still from it) and a way to
//! take one out again. Undo is the same use case as `blendscan import undo`; it answers with a
//! redirect to the history (a refresh repeats nothing), and an import that is not one of this
//! scan's is not found — whoever's it is.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::{Html, Redirect};
use serde::Deserialize;
use serde_json::json;

use super::super::auth::Page;
use super::super::error::{AppError, Result};
use super::super::routes::{Routes, Surface};
use super::super::scope::{Import, Scoped};
use super::views::{Ctx, render, when};
use crate::app::App;

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(
            P,
            M::GET,
            "/organisations/{org}/scans/{year}/imports",
            "The imports of a scan, newest first, each with an undo.",
            history,
        )
        .add(
            P,
            M::POST,
            "/organisations/{org}/scans/{year}/imports/undo",
            "Undo an import of the scan (`id`): its respondents removed, the earlier answers it replaced put back.",
            undo,
        )
}

fn path_of(s: &Scoped<Import, Page>) -> String {
    format!("/organisations/{}/scans/{}/imports", s.org.slug, s.year())
}

/// `?done=undone&removed=N&restored=M` after an undo: a fixed word and two numbers, so nobody can
/// make the page say something of their own.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: Option<String>,
    removed: Option<u64>,
    restored: Option<u64>,
}

async fn history(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>> {
    let lang = s.viewer.lang;
    let imports = app.imports(&s.org.slug, Some(s.year())).await?;
    let done = (q.done.as_deref() == Some("undone")).then(|| {
        let (removed, restored) = (q.removed.unwrap_or(0), q.restored.unwrap_or(0));
        let (nl, en) = match restored {
            0 => (
                format!("De import is ongedaan gemaakt: {removed} respondent(en) verwijderd."),
                format!("The import was undone: {removed} respondent(s) removed."),
            ),
            n => (
                format!(
                    "De import is ongedaan gemaakt: {removed} respondent(en) verwijderd; van {n} respondent(en) geldt weer de eerdere inzending."
                ),
                format!(
                    "The import was undone: {removed} respondent(s) removed; {n} respondent(s) have their earlier submission back."
                ),
            ),
        };
        lang.pick(&nl, &en).to_owned()
    });
    Ok(render(
        "imports.html",
        &Ctx::of(&s.viewer, &path_of(&s)),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name}),
            year => s.year(),
            done => done,
            imports => imports.iter().map(|i| json!({
                "id": i.id,
                "file": i.file_name,
                "at": when(i.imported_at),
                "respondents": i.respondents,
                "answers": i.answers,
                "replaced": i.replaced,
                "current": i.current_respondents,
            })).collect::<Vec<_>>(),
        },
    ))
}

/// Every field may be missing, so that the CSRF check comes first.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UndoForm {
    csrf: Option<String>,
    id: Option<i32>,
}

async fn undo(
    State(app): State<App>,
    s: Scoped<Import, Page>,
    Form(f): Form<UndoForm>,
) -> Result<Redirect> {
    s.viewer.check_csrf(f.csrf.as_deref())?;
    let id = f.id.ok_or_else(|| {
        AppError::bad_request(
            "het formulier noemt geen import",
            "the form names no import",
        )
    })?;
    // Only an import of this scan: another organisation's (or another year's), or one undone
    // already, is not found here.
    let of_scan = app.imports(&s.org.slug, Some(s.year())).await?;
    if !of_scan.iter().any(|i| i.id == id) {
        return Err(AppError::not_found("import", "import", &id.to_string()));
    }
    let undone = app.undo_import(&s.org.slug, id).await?;
    Ok(Redirect::to(&format!(
        "{}?done=undone&removed={}&restored={}",
        path_of(&s),
        undone.removed,
        undone.restored
    )))
}
