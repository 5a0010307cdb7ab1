//! Templates and the view models they show. Numbers are formatted here (decimal comma in Dutch),
//! so templates only place text; minijinja escapes every value.

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::response::IntoResponse;
use minijinja::{Environment, State, Value};
use serde::Serialize;

use super::super::auth::PageViewer;
use super::super::error::ErrorPage;
use crate::domain::catalogue::Catalogue;
use crate::domain::format::num;
use crate::domain::scoring::{ORGANISATION_ACTOR, ScoreReport};
use crate::domain::text::Lang;

/// Every page template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("login.html", include_str!("templates/login.html")),
    ("error.html", include_str!("templates/error.html")),
    (
        "organisations.html",
        include_str!("templates/organisations.html"),
    ),
    ("dashboard.html", include_str!("templates/dashboard.html")),
    ("upload.html", include_str!("templates/upload.html")),
    ("report.html", include_str!("templates/report.html")),
    ("sent.html", include_str!("templates/sent.html")),
    ("benchmark.html", include_str!("templates/benchmark.html")),
    ("settings.html", include_str!("templates/settings.html")),
    ("contacts.html", include_str!("templates/contacts.html")),
    ("cycle.html", include_str!("templates/cycle.html")),
    ("admin_nav.html", include_str!("templates/admin_nav.html")),
    ("admin.html", include_str!("templates/admin.html")),
    (
        "admin_users.html",
        include_str!("templates/admin_users.html"),
    ),
    (
        "admin_tokens.html",
        include_str!("templates/admin_tokens.html"),
    ),
    (
        "admin_outbox.html",
        include_str!("templates/admin_outbox.html"),
    ),
    ("advice.html", include_str!("templates/advice.html")),
    (
        "admin_organisations.html",
        include_str!("templates/admin_organisations.html"),
    ),
    (
        "admin_organisation.html",
        include_str!("templates/admin_organisation.html"),
    ),
    (
        "admin_organisation_fields.html",
        include_str!("templates/admin_organisation_fields.html"),
    ),
    ("imports.html", include_str!("templates/imports.html")),
];

static VIEWS: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for &(name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "a page template does not parse");
        }
    }
    // Names come from users: no direction override in them reaches a page.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if s.chars().any(crate::domain::text::is_bidi_control) => {
            let clean = crate::domain::text::without_bidi_controls(s).into_owned();
            minijinja::escape_formatter(out, state, &Value::from(clean))
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env.add_function("t", |state: &State, nl: String, en: String| -> String {
        let en_page = state
            .lookup("lang")
            .is_some_and(|v| v.as_str() == Some("en"));
        if en_page { en } else { nl }
    });
    env
});

/// What every page shows: language, account, CSRF token, where we are.
#[derive(Debug, Clone, Serialize)]
pub struct Ctx {
    pub lang: &'static str,
    pub user: Option<String>,
    pub role: Option<&'static str>,
    pub csrf: Option<String>,
    pub path: String,
}

impl Ctx {
    pub fn anonymous(lang: Lang, path: &str) -> Self {
        Self {
            lang: lang.code(),
            user: None,
            role: None,
            csrf: None,
            path: path.to_owned(),
        }
    }

    pub fn of(v: &PageViewer, path: &str) -> Self {
        Self {
            lang: v.lang.code(),
            user: Some(v.principal.email.clone()),
            role: Some(v.principal.role.code()),
            csrf: Some(v.csrf.clone()),
            path: path.to_owned(),
        }
    }
}

/// Render a template with the common context and the page's own values, as HTML with its content
/// type (a `String` would go out as text/plain).
pub fn render(name: &str, ctx: &Ctx, page: Value) -> axum::response::Html<String> {
    let result = VIEWS.get_template(name).and_then(|t| {
        t.render(minijinja::context! {
            lang => ctx.lang,
            user => ctx.user,
            role => ctx.role,
            csrf => ctx.csrf,
            path => ctx.path,
            ..page
        })
    });
    axum::response::Html(match result {
        Ok(html) => html,
        Err(e) => {
            tracing::error!(template = name, error = %e, "a page did not render");
            format!(
                "<!doctype html><title>blendscan</title><p>{}</p>",
                escape(&e.to_string())
            )
        }
    })
}

/// A moment as the pages show it: to the minute, in UTC (the server's clock may be anywhere).
pub fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page of an error, with the error's status.
pub fn error_response(lang: Lang, error: &ErrorPage) -> axum::response::Response {
    let ctx = Ctx::anonymous(lang, "");
    let html = render(
        "error.html",
        &ctx,
        minijinja::context! { status => error.status.as_u16(), message => error.message.get(lang) },
    );
    (error.status, html).into_response()
}

fn signed(x: Option<f64>, lang: Lang) -> Option<String> {
    x.map(|v| crate::domain::format::signed(v, lang))
}

fn trend_class(x: Option<f64>) -> &'static str {
    match x {
        Some(v) if v >= 1.0 => "up",
        Some(v) if v <= -1.0 => "down",
        Some(_) => "flat",
        None => "none",
    }
}

#[derive(Debug, Serialize)]
pub struct AspectCard {
    code: String,
    name: String,
    score: Option<String>,
    /// The 95 % interval, `49–74`.
    interval: Option<String>,
    width: f64,
    trend: Option<String>,
    trend_class: &'static str,
    n: usize,
    groups: Vec<(String, String, usize)>,
    gap: bool,
    low: bool,
}

#[derive(Debug, Serialize)]
pub struct PriorityView {
    rank: usize,
    aspect: String,
    score: String,
    /// Aspects whose order with this one is not established (overlapping intervals).
    tied: Vec<String>,
    recommendations: Vec<(String, String)>,
    actions: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct Dashboard {
    overall: Option<String>,
    /// The index's 95 % interval, `57–71`.
    overall_interval: Option<String>,
    overall_width: f64,
    trend: Option<String>,
    trend_class: &'static str,
    stage: Option<String>,
    respondents: usize,
    response_rate: Option<String>,
    low_confidence: bool,
    suppressed_note: Option<String>,
    notes: Vec<String>,
    radar: String,
    aspects: Vec<AspectCard>,
    priorities: Vec<PriorityView>,
}

/// The dashboard of a score.
pub fn dashboard(cat: &Catalogue, r: &ScoreReport, lang: Lang) -> Dashboard {
    let aspect_name = |code: &str| {
        cat.aspect(code)
            .map_or_else(|| code.to_owned(), |a| a.name.get(lang).to_owned())
    };
    let group_name = |code: &str| {
        cat.respondent_groups
            .iter()
            .find(|g| g.code == code)
            .map_or_else(|| code.to_owned(), |g| g.name.get(lang).to_owned())
    };
    let aspects = r
        .aspects
        .iter()
        .map(|a| AspectCard {
            code: a.code.clone(),
            name: aspect_name(&a.code),
            score: a.score.map(|s| num(s, 0, lang)),
            interval: a.interval.map(|i| span(i, lang)),
            width: a.score.unwrap_or(0.0).clamp(0.0, 100.0),
            trend: signed(a.trend, lang),
            trend_class: trend_class(a.trend),
            n: a.n,
            groups: a
                .groups
                .iter()
                .map(|g| (group_name(&g.group), num(g.maturity, 1, lang), g.n))
                .collect(),
            gap: a.perception_gap.as_ref().is_some_and(|g| g.flagged),
            low: a.confidence.low,
        })
        .collect();
    let priorities = r
        .priorities
        .iter()
        .take(3)
        .map(|p| PriorityView {
            rank: p.rank,
            aspect: aspect_name(&p.aspect),
            score: num(p.score, 0, lang),
            tied: p.tied_with.iter().map(|c| aspect_name(c)).collect(),
            recommendations: p
                .recommendations
                .iter()
                .filter_map(|code| cat.recommendations.iter().find(|x| x.code == *code))
                .map(|x| (x.code.clone(), x.title.get(lang).to_owned()))
                .collect(),
            actions: p
                .actions
                .iter()
                .filter_map(|code| {
                    cat.recommendations
                        .iter()
                        .flat_map(|x| x.actions.iter())
                        .find(|a| a.code == *code)
                })
                .take(4)
                .map(|a| {
                    let text = a.told_to(ORGANISATION_ACTOR).get(lang).to_owned();
                    (a.code.clone(), text)
                })
                .collect(),
        })
        .collect();
    let suppressed = &r.suppressed;
    let hidden = suppressed.groups + suppressed.teams + suppressed.roles;
    Dashboard {
        overall: r.overall.map(|o| num(o, 0, lang)),
        overall_interval: r.index_interval.map(|i| span(i, lang)),
        overall_width: r.overall.unwrap_or(0.0).clamp(0.0, 100.0),
        trend: signed(r.overall_trend, lang),
        trend_class: trend_class(r.overall_trend),
        stage: r.stage.map(|s| s.label(lang).to_owned()),
        respondents: r.respondents,
        response_rate: r
            .confidence
            .as_ref()
            .and_then(|c| c.response_rate)
            .map(|x| format!("{}%", num(x * 100.0, 0, lang))),
        low_confidence: r.confidence.as_ref().is_some_and(|c| c.low),
        suppressed_note: (hidden > 0).then(|| {
            let k = r.anonymity_threshold;
            match (lang, hidden) {
                (Lang::Nl, 1) => {
                    format!("1 groep met minder dan {k} respondenten is weggelaten (anonimiteit).")
                }
                (Lang::Nl, n) => format!(
                    "{n} groepen met minder dan {k} respondenten zijn weggelaten (anonimiteit)."
                ),
                (Lang::En, 1) => {
                    format!("1 group with fewer than {k} respondents is left out (anonymity).")
                }
                (Lang::En, n) => {
                    format!("{n} groups with fewer than {k} respondents are left out (anonymity).")
                }
            }
        }),
        notes: r
            .notes
            .iter()
            .map(|n| n.text.get(lang).to_owned())
            .collect(),
        radar: radar(cat, r, lang),
        aspects,
        priorities,
    }
}

/// An interval as the pages print it: `49–74` (whole points, as the scores).
fn span(i: crate::domain::scoring::Interval, lang: Lang) -> String {
    format!("{}–{}", num(i.low, 0, lang), num(i.high, 0, lang))
}

/// The nine aspects as an SVG radar (0–100 on each axis), with a text alternative.
fn radar(cat: &Catalogue, r: &ScoreReport, lang: Lang) -> String {
    let n = r.aspects.len().max(1);
    let (cx, cy, rad) = (160.0, 150.0, 110.0);
    let at = |i: usize, v: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + (i as f64) * std::f64::consts::TAU / n as f64;
        (
            cx + rad * v / 100.0 * angle.cos(),
            cy + rad * v / 100.0 * angle.sin(),
        )
    };
    let title = if lang == Lang::Nl {
        "Radar van de negen implementatieaspecten (0–100)"
    } else {
        "Radar of the nine implementation aspects (0–100)"
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 320 300" role="img" aria-labelledby="radar-title" class="radar"><title id="radar-title">{title}</title>"#
    );
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let (x, y) = at(i, ring);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(s, r#"<polygon points="{}" class="ring"/>"#, pts.join(" "));
    }
    for (i, a) in r.aspects.iter().enumerate() {
        let (x, y) = at(i, 100.0);
        let _ = write!(
            s,
            r#"<line x1="{cx}" y1="{cy}" x2="{x:.1}" y2="{y:.1}" class="axis"/>"#
        );
        let (lx, ly) = at(i, 118.0);
        let anchor = if lx < cx - 5.0 {
            "end"
        } else if lx > cx + 5.0 {
            "start"
        } else {
            "middle"
        };
        let label = cat
            .aspect(&a.code)
            .map_or(a.code.as_str(), |_| a.code.as_str());
        let _ = write!(
            s,
            r#"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}" class="label">{}</text>"#,
            ly + 4.0,
            escape(label)
        );
    }
    let pts: Vec<String> = r
        .aspects
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (x, y) = at(i, a.score.unwrap_or(0.0).clamp(0.0, 100.0));
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        s,
        r#"<polygon points="{}" class="area"/></svg>"#,
        pts.join(" ")
    );
    s
}

#[cfg(test)]
mod template_tests {
    /// A template that does not parse is only logged at start-up and its page breaks: every one must.
    #[test]
    fn every_page_template_parses() {
        let mut env = minijinja::Environment::new();
        for &(name, source) in super::TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                panic!("{name}: {e}");
            }
        }
    }
}
