//! `blendscan score --org ORG --year YEAR [--json] [--lang nl|en]`: the readiness score of one
//! organisation's scan — a readable summary (Dutch by default), or the stable JSON.

use std::fmt::Write as _;
use std::process::ExitCode;

use crate::app::App;
use crate::domain::catalogue::Catalogue;
use crate::domain::format::{self, num, opt, percent};
use crate::domain::scoring::{ORGANISATION_ACTOR, ScoreReport, UNKNOWN_GROUP};
use crate::domain::text::Lang;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The organisation's slug (as `org add` printed it; see `org list`).
    #[arg(long)]
    org: String,
    /// The year of the scan.
    #[arg(long)]
    year: i32,
    /// Print the stable JSON instead of a summary.
    #[arg(long)]
    json: bool,
    /// Language of the summary: nl (default) or en.
    #[arg(long, default_value = "nl")]
    lang: Lang,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<ExitCode> {
    let (inputs, report) = app.score_scan(&args.org, args.year).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let name = &inputs.organisation.name;
        print!("{}", summary(app.catalogue(), name, &report, args.lang));
    }
    Ok(ExitCode::SUCCESS)
}

fn signed(x: Option<f64>, lang: Lang) -> String {
    x.map_or_else(|| "–".to_owned(), |v| format::signed(v, lang))
}

/// ` [52,1 – 61,3]`, or nothing without an interval.
fn interval(i: Option<crate::domain::scoring::Interval>, lang: Lang) -> String {
    i.map_or_else(String::new, |i| {
        format!(" [{} – {}]", num(i.low, 1, lang), num(i.high, 1, lang))
    })
}

/// The name of a respondent group in `lang`.
pub(super) fn group_name(catalogue: &Catalogue, code: &str, lang: Lang) -> String {
    match catalogue.respondent_groups.iter().find(|g| g.code == code) {
        Some(g) => g.name.get(lang).to_owned(),
        None if code == UNKNOWN_GROUP => (if lang == Lang::Nl {
            "onbekend"
        } else {
            "unknown"
        })
        .to_owned(),
        None => code.to_owned(),
    }
}

/// The readable summary of a score.
pub fn summary(catalogue: &Catalogue, name: &str, r: &ScoreReport, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let t = |a: &'static str, b: &'static str| if nl { a } else { b };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {name} ({}), {} {} — {} {}",
        t("Readiness-score van", "Readiness score of"),
        r.organisation,
        t("scan", "scan"),
        r.year,
        t("catalogus", "catalogue"),
        r.catalogue_version
    );
    let _ = writeln!(o, "{} {}", t("Methode", "Method"), r.method_version);
    if r.suppressed.organisation {
        for n in &r.notes {
            let _ = writeln!(o, "{}", n.text.get(lang));
        }
        return o;
    }
    if let Some(c) = &r.confidence {
        let rs = &r.response;
        let rate = match (rs.staff_rate, r.staff_headcount) {
            (Some(rate), Some(h)) => format!(
                "({} {} {} {h} {}: {} {})",
                rs.staff,
                t("personeelsleden", "staff"),
                t("van", "of"),
                t("medewerkers", "staff"),
                t("respons personeel", "staff response rate"),
                percent(rate, lang)
            ),
            _ => t("(personeelsaantal onbekend)", "(staff headcount unknown)").to_owned(),
        };
        let others = format!(
            "; {} {}, {} {}",
            rs.client_representatives,
            t("cliëntvertegenwoordigers", "client representatives"),
            rs.partners,
            t("partners", "partners")
        );
        let rate = format!("{rate}{others}");
        let missing = c.missing_share.map_or(String::new(), |m| {
            format!(
                ", {} {}",
                t("ontbrekende antwoorden", "missing answers"),
                percent(m, lang)
            )
        });
        let _ = writeln!(
            o,
            "{}: {} {rate}{missing}",
            t("Respondenten", "Respondents"),
            c.n
        );
    }
    let stage = r.stage.map_or("–", |s| s.label(lang));
    let trend = match (&r.previous, r.overall_trend) {
        (Some(p), Some(d)) => format!(
            " ({} {} {})",
            signed(Some(d), lang),
            t("t.o.v.", "against"),
            p.year
        ),
        _ => String::new(),
    };
    let _ = writeln!(
        o,
        "{}: {} / 100{} — {}: {stage}{trend}",
        t("Readiness-index", "Readiness index"),
        opt(r.overall, 1, lang),
        interval(r.index_interval, lang),
        t("fase", "stage"),
    );
    if let Some(rule) = &r.stage_rule {
        let _ = writeln!(
            o,
            "  {} {} ({}, {}).",
            t(
                "De fase volgt uit de index, maar ligt hoogstens één fase boven die van het zwakste aspect:",
                "The stage follows the index, but is at most one stage above that of the weakest aspect:"
            ),
            rule.weakest_aspect,
            num(rule.weakest_score, 1, lang),
            rule.weakest_stage.label(lang)
        );
    }
    // One name column for aspects and clusters, as wide as the longest name in this language.
    let w = catalogue
        .aspects
        .iter()
        .map(|a| a.name.get(lang))
        .chain(catalogue.clusters.iter().map(|c| c.name.get(lang)))
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(o, "\n{}", t("Aspecten (0–100)", "Aspects (0–100)"));
    for a in &r.aspects {
        let name = catalogue.aspect(&a.code).map_or("", |x| x.name.get(lang));
        let groups: Vec<String> = a
            .groups
            .iter()
            .map(|g| {
                format!(
                    "{} {}",
                    group_name(catalogue, &g.group, lang),
                    num(g.maturity, 1, lang)
                )
            })
            .collect();
        let mut line = format!(
            "  {:<4}{:<w$} {:>6}{:<14}  trend {:>5}  n={:<4}",
            a.code,
            name,
            opt(a.score, 1, lang),
            interval(a.interval, lang),
            signed(a.trend, lang),
            a.n
        );
        if !groups.is_empty() {
            let _ = write!(line, " {}", groups.join(" · "));
        }
        if let Some(gap) = a.perception_gap.as_ref().filter(|g| g.flagged) {
            let _ = write!(
                line,
                "  ⚠ {} {}",
                t("perceptiekloof", "perception gap"),
                num(gap.size, 1, lang)
            );
        }
        if a.confidence.low {
            let _ = write!(line, "  ({})", t("lage betrouwbaarheid", "low confidence"));
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
    let _ = writeln!(
        o,
        "\n{}",
        t("Competentieclusters (1–5)", "Competence clusters (1–5)")
    );
    for c in &r.clusters {
        let name = catalogue.cluster(&c.code).map_or("", |x| x.name.get(lang));
        let at = c
            .at_expected_share
            .map_or_else(|| "–".to_owned(), |s| percent(s, lang));
        let _ = writeln!(
            o,
            "  {:<4}{:<w$} {:>5}{:<12}  {} {:>5}  trend {:>5}  n={}",
            c.code,
            name,
            opt(c.mean, 1, lang),
            interval(c.interval, lang),
            t("op niveau", "at level"),
            at,
            signed(c.trend, lang),
            c.n
        );
    }
    priorities(&mut o, catalogue, r, lang);
    breakdowns(&mut o, catalogue, r, lang);
    o
}

fn priorities(o: &mut String, catalogue: &Catalogue, r: &ScoreReport, lang: Lang) {
    let nl = lang == Lang::Nl;
    let t = |a: &'static str, b: &'static str| if nl { a } else { b };
    if !r.priorities.is_empty() {
        let _ = writeln!(o, "\n{}", t("Prioriteiten", "Priorities"));
    }
    for p in &r.priorities {
        let name = catalogue.aspect(&p.aspect).map_or("", |x| x.name.get(lang));
        let _ = writeln!(
            o,
            "  {}. {} {name} — score {}, {} {}",
            p.rank,
            p.aspect,
            num(p.score, 1, lang),
            t("prioriteit", "priority"),
            num(p.priority, 1, lang)
        );
        if !p.tied_with.is_empty() {
            let _ = writeln!(
                o,
                "     {} {}",
                t(
                    "Gelijkwaardig binnen de onzekerheid met",
                    "Tied within the uncertainty with"
                ),
                p.tied_with.join(", ")
            );
        }
        for code in &p.recommendations {
            if let Some(rec) = catalogue.recommendations.iter().find(|x| &x.code == code) {
                let _ = writeln!(o, "     {code} {}", rec.title.get(lang));
                for a in rec.actions.iter().filter(|a| p.actions.contains(&a.code)) {
                    let text = a.told_to(ORGANISATION_ACTOR).get(lang);
                    let _ = writeln!(o, "        – {} {text}", a.code);
                }
            }
        }
    }
    if !r.cluster_gaps.is_empty() {
        let gaps: Vec<String> = r
            .cluster_gaps
            .iter()
            .take(3)
            .map(|g| format!("{} ({})", g.cluster, num(g.gap, 1, lang)))
            .collect();
        let _ = writeln!(
            o,
            "\n{}: {}",
            t(
                "Clusters met de grootste kloof tot het rolprofiel",
                "Clusters furthest below the role profiles"
            ),
            gaps.join(", ")
        );
    }
}

fn breakdowns(o: &mut String, catalogue: &Catalogue, r: &ScoreReport, lang: Lang) {
    let nl = lang == Lang::Nl;
    let t = |a: &'static str, b: &'static str| if nl { a } else { b };
    if !r.teams.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            t(
                "Teams (gemiddelde maturiteit 0–4 per aspect)",
                "Teams (mean maturity 0–4 per aspect)"
            )
        );
        for team in &r.teams {
            let figures: Vec<String> = team
                .aspects
                .iter()
                .map(|f| format!("{} {}", f.code, num(f.value, 1, lang)))
                .collect();
            let _ = writeln!(o, "  {} (n={}): {}", team.team, team.n, figures.join(" · "));
        }
    }
    if !r.roles.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            t(
                "Rollen (gemiddelde beheersing 1–5 / verwacht)",
                "Roles (mean proficiency 1–5 / expected)"
            )
        );
        for role in &r.roles {
            let name = catalogue
                .role_profile(&role.role)
                .map_or(role.role.as_str(), |p| p.name.get(lang));
            let figures: Vec<String> = role
                .clusters
                .iter()
                .map(|c| {
                    let e = c.expected.map_or_else(|| "–".to_owned(), |e| e.to_string());
                    format!("{} {}/{e}", c.code, num(c.mean, 1, lang))
                })
                .collect();
            let _ = writeln!(o, "  {name} (n={}): {}", role.n, figures.join(" · "));
        }
    }
    let s = &r.suppressed;
    let _ = writeln!(
        o,
        "\n{} {}): {} {}, {} {}, {} {} ({} {}).",
        t(
            "Weggelaten voor anonimiteit (drempel",
            "Left out for anonymity (threshold"
        ),
        r.anonymity_threshold,
        s.groups,
        t("groepen", "groups"),
        s.teams,
        t("teams", "teams"),
        s.roles,
        t("rollen", "roles"),
        s.respondents_in_suppressed,
        t("respondenten", "respondents")
    );
    let mut notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| n.text.get(lang).to_owned())
        .collect();
    for a in &r.aspects {
        notes.extend(
            a.notes
                .iter()
                .filter(|n| n.code != "no_data")
                .map(|n| format!("{}: {}", a.code, n.text.get(lang))),
        );
    }
    if !notes.is_empty() {
        let _ = writeln!(o, "\n{}", t("Opmerkingen", "Notes"));
        for n in notes {
            let _ = writeln!(o, "  – {n}");
        }
    }
}
