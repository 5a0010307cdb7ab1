//! `blendscan serve [--bind 127.0.0.1:8080]`: the web pages and the JSON API, with the e-mail worker.

use std::process::ExitCode;

use crate::config::Settings;
use crate::http::HttpSettings;
use crate::mail::MailSettings;
use crate::startup::{Application, ServiceConfig};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "BLENDSCAN_BIND")]
    bind: String,
    /// The largest upload accepted, in MB.
    #[arg(long, default_value_t = 50, env = "BLENDSCAN_UPLOAD_LIMIT_MB")]
    upload_limit_mb: usize,
    /// Mark cookies Secure: set this when the site is served over HTTPS (a proxy that sends
    /// `X-Forwarded-Proto: https` has the same effect per request).
    #[arg(long, env = "BLENDSCAN_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Score every request afresh instead of keeping scores in memory while their data is unchanged
    /// (for measuring and for finding faults; slower).
    #[arg(long, env = "BLENDSCAN_NO_SCORE_CACHE")]
    no_score_cache: bool,
}

pub async fn run(settings: &Settings, args: Args) -> anyhow::Result<ExitCode> {
    if args.upload_limit_mb == 0 || args.upload_limit_mb > 1024 {
        anyhow::bail!("--upload-limit-mb: choose 1 to 1024");
    }
    let config = ServiceConfig {
        settings: settings.clone(),
        http: HttpSettings {
            upload_limit: args.upload_limit_mb << 20,
            secure_cookies: args.secure_cookies,
            score_cache: !args.no_score_cache,
            ..HttpSettings::default()
        },
        scoring: super::score::scoring_config()?,
        mail: MailSettings::from_env()?,
        renderer: super::report::renderer(settings)?,
    };
    let mail = config.mail.describe();
    let app = Application::build(config, &args.bind).await?;
    let addr = app.local_addr()?;
    println!("blendscan luistert op http://{addr}/ (e-mail: {mail}); Ctrl-C stopt.");
    tracing::info!(%addr, "serving");
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}
