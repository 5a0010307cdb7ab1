//! Building and running the service: [`Application::build`] binds the listener (port 0 gives a free
//! port, for tests) and wires the state; [`Application::run_until_stopped`] serves until SIGTERM or
//! Ctrl-C, finishing requests in flight, with the e-mail worker (unless it is turned off for this
//! instance) delivering due messages meanwhile. On SIGTERM `/ready` answers 503 for the drain time
//! first, while requests are still served, so a load balancer stops sending new ones.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::App;
use crate::config::Settings;
use crate::db;
use crate::http::connections::{GuardedListener, PeerAddr};
use crate::http::health::Lifecycle;
use crate::http::{self, RouteInfo};
use crate::mail::FlushMode;

pub struct Application {
    listener: GuardedListener,
    router: Router,
    routes: Vec<RouteInfo>,
    app: App,
    life: Lifecycle,
}

impl Application {
    /// Connect (and migrate) the database of `settings`, build the app, bind `settings.http.bind`.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::serve(App::build(settings).await?).await
    }

    /// Serve an app that is already built, on its `settings.http.bind`.
    pub async fn serve(app: App) -> anyhow::Result<Self> {
        let bind = app.settings().http.bind.clone();
        if !app.settings().database.migrate {
            let pending = db::pending_migrations(app.db()).await?;
            if !pending.is_empty() {
                tracing::warn!(
                    ?pending,
                    "migrations are pending: /ready answers 503 until `blendscan migrate` has run"
                );
            }
        }
        let life = Lifecycle::default();
        let (router, routes) = http::app(app.clone(), life.clone());
        let http = &app.settings().http;
        let listener = GuardedListener::new(
            TcpListener::bind(&bind)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?,
            http.max_connections,
            http.first_byte_timeout,
        );
        Ok(Self {
            listener,
            router,
            routes,
            app,
            life,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn port(&self) -> u16 {
        self.local_addr().map_or(0, |a| a.port())
    }

    /// The recorded routes (for the authorisation matrix).
    pub fn routes(&self) -> &[RouteInfo] {
        &self.routes
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// Serve until SIGTERM or Ctrl-C. On SIGTERM `/ready` answers 503 during the drain time first.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let life = self.life.clone();
        let drain = self.app.settings().http.drain;
        self.run_until(async move {
            if shutdown_signal().await == Signal::Terminate && !drain.is_zero() {
                life.drain();
                tracing::info!(seconds = drain.as_secs(), "draining: /ready answers 503");
                tokio::time::sleep(drain).await;
            }
        })
        .await
    }

    /// Whether `/ready` answers 503 from now on (for a test that stops an instance).
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.life
    }

    /// Serve until `stop` completes; requests in flight finish, the mail worker stops after its pass.
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (tx, rx) = watch::channel(false);
        let worker = tokio::spawn(background(self.app.clone(), rx));
        let life = self.life.clone();
        let stop = async move {
            stop.await;
            life.drain();
            tracing::info!("stopping: finishing requests in flight");
        };
        let app = self
            .router
            .into_make_service_with_connect_info::<PeerAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(stop)
            .await?;
        let _ = tx.send(true);
        let _ = worker.await;
        Ok(())
    }
}

/// Deliver due e-mail every `mail_interval` (when this instance runs the worker), and drop expired
/// sessions.
async fn background(app: App, mut stop: watch::Receiver<bool>) {
    let deliver = app.settings().http.mail_worker;
    let mut tick = tokio::time::interval(app.settings().http.mail_interval);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let pass = match deliver {
            true => Some(app.mailer().flush(FlushMode::Due).await),
            false => None,
        };
        match pass.unwrap_or(Ok(Default::default())) {
            Ok(r) if r.attempted > 0 => tracing::info!(
                sent = r.sent,
                retrying = r.retrying,
                failed = r.failed,
                "outbox pass"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox pass failed; next pass retries"),
        }
        if let Err(e) = db::accounts::delete_expired_sessions(app.db(), chrono::Utc::now()).await {
            tracing::warn!(error = %e, "cannot remove expired sessions");
        }
    }
}

/// Which signal asked the process to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    Interrupt,
    Terminate,
}

async fn shutdown_signal() -> Signal {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => Signal::Interrupt,
        _ = term => Signal::Terminate,
    }
}
