//! `blendscan benchmark --federation FED --year YEAR [--sector S] [--org ORG] [--json] [--lang nl|en]`:
//! how the federation's members compare, per aspect, overall and per sector. Names no member; with
//! `--org` it adds that member's own row (for the member's own report).

use std::fmt::Write as _;
use std::process::ExitCode;

use crate::app::{App, BenchmarkRequest};
use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::{BenchmarkReport, Distribution, FEDERATION_ACTOR};
use crate::domain::text::Lang;

use crate::domain::format::num;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The federation, by slug or name.
    #[arg(long)]
    federation: String,
    /// The year of the scans to compare.
    #[arg(long)]
    year: i32,
    /// Compare only the members of this sector (e.g. CAW, CLB).
    #[arg(long)]
    sector: Option<String>,
    /// Add the own row (with percentiles) of this member, by slug.
    #[arg(long)]
    org: Option<String>,
    /// Print the stable JSON instead of a summary.
    #[arg(long)]
    json: bool,
    /// Language of the summary: nl (default) or en.
    #[arg(long, default_value = "nl")]
    lang: Lang,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<ExitCode> {
    let req = BenchmarkRequest {
        federation: args.federation,
        year: args.year,
        sector: args.sector,
        member: args.org,
    };
    let (federation, report) = app.benchmark(&req).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let catalogue = app.catalogue();
        print!(
            "{}",
            summary(catalogue, &federation.name, &report, args.lang)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn row(o: &mut String, label: &str, d: Option<&Distribution>, lang: Lang) {
    let _ = match d {
        Some(d) => writeln!(
            o,
            "  {label:<50} {:>4} {:>6} {:>7} {:>6}{}",
            d.n,
            num(d.p25, 1, lang),
            num(d.median, 1, lang),
            num(d.p75, 1, lang),
            if d.band.is_some() {
                if lang == Lang::Nl {
                    "  (banden van 5)"
                } else {
                    "  (bands of 5)"
                }
            } else {
                ""
            }
        ),
        None => writeln!(
            o,
            "  {label:<50}    – {}",
            if lang == Lang::Nl {
                "(te weinig organisaties)"
            } else {
                "(too few organisations)"
            }
        ),
    };
}

/// The readable summary of a benchmark.
pub fn summary(catalogue: &Catalogue, name: &str, b: &BenchmarkReport, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let t = |a: &'static str, c: &'static str| if nl { a } else { c };
    let mut o = String::new();
    let sector = b
        .sector
        .as_ref()
        .map_or(String::new(), |s| format!(", sector {s}"));
    let _ = writeln!(
        o,
        "Benchmark {name} ({}), {}{sector}: {} {}",
        b.federation,
        b.year,
        b.organisations,
        t("leden met een scan", "members with a scan")
    );
    let _ = writeln!(
        o,
        "{} {} {}",
        t(
            "Geen organisatie wordt genoemd; een vergelijkingsgroep telt minstens",
            "No organisation is named; a comparison group has at least"
        ),
        b.min_comparison_group,
        t("organisaties.", "organisations.")
    );
    for g in &b.groups {
        let title = match (&g.sector, g.scope) {
            (Some(s), _) => format!("Sector {s}"),
            (None, _) => t("Alle leden", "All members").to_owned(),
        };
        let _ = writeln!(
            o,
            "\n{title} ({} {})\n  {:<50} {:>4} {:>6} {:>7} {:>6}",
            g.organisations,
            t("organisaties", "organisations"),
            "",
            "n",
            "p25",
            t("mediaan", "median"),
            "p75"
        );
        row(
            &mut o,
            t("Readiness-index", "Readiness index"),
            g.overall.as_ref(),
            lang,
        );
        for a in &g.aspects {
            let label = format!(
                "{} {}",
                a.code,
                catalogue.aspect(&a.code).map_or("", |x| x.name.get(lang))
            );
            let label: String = label.chars().take(50).collect();
            row(&mut o, &label, a.distribution.as_ref(), lang);
        }
    }
    for m in &b.members {
        let _ = writeln!(
            o,
            "\n{} {} ({} {})",
            t("Eigen positie van", "Own position of"),
            m.organisation,
            m.respondents,
            t("respondenten", "respondents")
        );
        for a in std::iter::once(&m.overall).chain(&m.aspects) {
            let p = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |v| num(v, 0, lang));
            let score = a.score.map_or_else(|| "–".to_owned(), |v| num(v, 1, lang));
            let _ = writeln!(
                o,
                "  {:<8} score {score:>5}  {} {:>3}  {} {:>3}",
                a.code,
                t("percentiel", "percentile"),
                p(a.percentile),
                t("in sector", "in sector"),
                p(a.sector_percentile)
            );
        }
    }
    if !b.priorities.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            t(
                "Waar de federatie eerst kan ondersteunen (laagste medianen)",
                "Where the federation can support first (lowest medians)"
            )
        );
        for p in &b.priorities {
            let name = catalogue.aspect(&p.aspect).map_or("", |x| x.name.get(lang));
            let _ = writeln!(
                o,
                "  {}. {} {name} ({} {})",
                p.rank,
                p.aspect,
                t("mediaan", "median"),
                num(p.score, 1, lang)
            );
            for code in &p.actions {
                if let Some(a) = catalogue
                    .recommendations
                    .iter()
                    .flat_map(|r| &r.actions)
                    .find(|a| &a.code == code)
                {
                    let _ = writeln!(o, "     – {code} {}", a.told_to(FEDERATION_ACTOR).get(lang));
                }
            }
        }
    }
    let s = &b.suppressed;
    let _ = writeln!(
        o,
        "\n{}: {} {} ({} {}); {} {}; {} {}.",
        t("Niet getoond", "Not shown"),
        s.groups,
        t(
            "vergelijkingsgroep(en) met te weinig organisaties",
            "comparison group(s) with too few organisations"
        ),
        s.organisations_in_suppressed_groups,
        t("organisaties", "organisations"),
        s.organisations_below_threshold,
        t(
            "organisatie(s) onder de anonimiteitsdrempel",
            "organisation(s) below the anonymity threshold"
        ),
        s.aspect_figures,
        t(
            "aspectcijfer(s) met te weinig organisaties",
            "aspect figure(s) with too few organisations"
        )
    );
    for n in &b.notes {
        let _ = writeln!(o, "  – {}", n.text.get(lang));
    }
    o
}
