//! `blendscan serve [--bind 127.0.0.1:8080]`: the web pages and the JSON API, with the e-mail worker.
//! Flags override the settings read from the environment (`BLENDSCAN_BIND`, …; see the README).

use std::process::ExitCode;

use crate::config::{Settings, UPLOAD_LIMIT_ENV};
use crate::startup::Application;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address and port to listen on [default: 127.0.0.1:8080, or BLENDSCAN_BIND].
    #[arg(long)]
    bind: Option<String>,
    /// The largest upload accepted, in MB [default: 50, or BLENDSCAN_UPLOAD_LIMIT_MB].
    #[arg(long)]
    upload_limit_mb: Option<usize>,
    /// Mark cookies Secure: set this when the site is served over HTTPS (a proxy that sends
    /// `X-Forwarded-Proto: https` has the same effect per request). Also BLENDSCAN_SECURE_COOKIES.
    #[arg(long)]
    secure_cookies: bool,
    /// Score every request afresh instead of keeping scores in memory while their data is unchanged
    /// (for measuring and for finding faults; slower). Also BLENDSCAN_NO_SCORE_CACHE.
    #[arg(long)]
    no_score_cache: bool,
    /// Do not apply pending migrations at start (deployments that run `blendscan migrate` once,
    /// before starting or upgrading the instances); `/ready` answers 503 while any is pending.
    /// Also BLENDSCAN_NO_MIGRATE.
    #[arg(long)]
    no_migrate: bool,
}

pub async fn run(mut settings: Settings, args: Args) -> anyhow::Result<ExitCode> {
    let http = &mut settings.http;
    if let Some(bind) = args.bind {
        http.bind = bind;
    }
    if let Some(mb) = args.upload_limit_mb {
        http.set_upload_limit_mb("--upload-limit-mb", mb)
            .map_err(|e| anyhow::anyhow!("{e} ({UPLOAD_LIMIT_ENV} likewise)"))?;
    }
    http.secure_cookies |= args.secure_cookies;
    http.score_cache &= !args.no_score_cache;
    settings.database.migrate &= !args.no_migrate;
    let mail = settings.mail.describe();
    let app = Application::build(settings).await?;
    let addr = app.local_addr()?;
    println!("blendscan luistert op http://{addr}/ (e-mail: {mail}); Ctrl-C stopt.");
    tracing::info!(%addr, "serving");
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}
