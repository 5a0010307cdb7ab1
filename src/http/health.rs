//! `GET /health` (is the process up and its database reachable?) and `GET /ready` (may a load
//! balancer send it requests: schema as this release expects, nothing pending, not stopping), both
//! with the version of the release.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app::App;

/// The release, as `/health` and `/ready` report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the instance is in its life: set to draining when it has been asked to stop.
#[derive(Debug, Default, Clone)]
pub struct Lifecycle {
    draining: Arc<AtomicBool>,
}

impl Lifecycle {
    /// From now on `/ready` answers 503.
    pub fn drain(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}

/// `GET /health`: 200 with the backend when the database answers, 503 when it does not.
pub async fn health(State(app): State<App>) -> Response {
    match app.db().ping().await {
        Ok(()) => Json(json!({
            "status": "ok",
            "version": VERSION,
            "database": crate::db::backend_name(app.db()),
        }))
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "version": VERSION, "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

/// `GET /ready`: 200 when this instance can serve — the database answers with the schema this
/// release expects (no migration pending) and it is not stopping; 503 with the reason otherwise.
pub async fn ready(State(app): State<App>, Extension(life): Extension<Lifecycle>) -> Response {
    let unready = |reason: &str, pending: Vec<String>| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unready",
                "version": VERSION,
                "reason": reason,
                "pending_migrations": pending,
            })),
        )
            .into_response()
    };
    if life.is_draining() {
        return unready("stopping", Vec::new());
    }
    match crate::db::pending_migrations(app.db()).await {
        Ok(pending) if pending.is_empty() => {
            Json(json!({ "status": "ready", "version": VERSION })).into_response()
        }
        Ok(pending) => unready("migrations pending: run `blendscan migrate`", pending),
        Err(e) => {
            tracing::warn!(error = %e, "ready: the database does not answer");
            unready("database unreachable", Vec::new())
        }
    }
}
