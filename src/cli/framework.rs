//! `blendscan framework [--json] [--lang nl|en]`: print the catalogue.

use std::fmt::Write as _;
use std::process::ExitCode;

use crate::config::Settings;
use crate::domain::catalogue::Catalogue;
use crate::domain::text::Lang;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the stable machine-readable JSON form (texts as {"nl": …, "en": …}).
    #[arg(long)]
    json: bool,
    /// Language of the readable listing.
    #[arg(long, default_value = "nl")]
    lang: Lang,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<ExitCode> {
    let catalogue = crate::app::load_catalogue(settings)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&catalogue)?);
    } else {
        print!("{}", listing(&catalogue, args.lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// The catalogue as a readable outline in one language.
pub fn listing(c: &Catalogue, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let h = |nl_text: &'static str, en_text: &'static str| if nl { nl_text } else { en_text };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} {}",
        c.title.get(lang),
        h("versie", "version"),
        c.version
    );
    let _ = writeln!(
        out,
        "{} aspecten/aspects, {} {}, {} {}, {} {}, {} {}\n",
        c.aspects.len(),
        c.recommendations.len(),
        h("adviezen", "recommendations"),
        c.action_count(),
        h("acties", "actions"),
        c.competence_item_count(),
        h("competentie-items", "competence items"),
        c.checklists.len(),
        h("checklists", "checklists"),
    );
    let _ = writeln!(
        out,
        "## {}",
        h("Implementatieaspecten", "Implementation aspects")
    );
    for a in &c.aspects {
        let _ = writeln!(out, "{}  {}", a.code, a.name.get(lang));
        for i in &a.indicators {
            let _ = writeln!(out, "    {:<6} {}", i.code, i.text.get(lang));
        }
    }
    let _ = writeln!(
        out,
        "\n## {}",
        h("Adviezen en acties", "Recommendations and actions")
    );
    for rc in &c.recommendation_clusters {
        let _ = writeln!(out, "{}  {}", rc.code, rc.name.get(lang));
        for r in c.recommendations.iter().filter(|r| r.cluster == rc.code) {
            let aspects: Vec<&str> = r.serves.iter().map(|l| l.aspect.as_str()).collect();
            let _ = writeln!(
                out,
                "  {:<4} {}  [{}]",
                r.code,
                r.title.get(lang),
                aspects.join(", ")
            );
            for a in &r.actions {
                let _ = writeln!(
                    out,
                    "      {:<6} {}  ({})",
                    a.code,
                    a.text.get(lang),
                    a.actors.join(", ")
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\n## {}",
        h("Competentiekader", "Competence framework")
    );
    for f in &c.focus_areas {
        let _ = writeln!(out, "{}  {}", f.code, f.name.get(lang));
        for cl in c.clusters.iter().filter(|cl| cl.focus_area == f.code) {
            let _ = writeln!(out, "  {}  {}", cl.code, cl.name.get(lang));
            for i in &cl.items {
                let _ = writeln!(
                    out,
                    "      {:<6} {}{}",
                    i.code,
                    i.text.get(lang),
                    if i.core { "  *" } else { "" }
                );
            }
        }
    }
    let _ = writeln!(out, "\n## {}", h("Schalen", "Scales"));
    for s in &c.scales {
        let levels: Vec<String> = s
            .levels
            .iter()
            .map(|l| format!("{} {}", l.value, l.label.get(lang)))
            .collect();
        let _ = writeln!(
            out,
            "{:<12} {}: {}",
            s.code,
            s.name.get(lang),
            levels.join(" · ")
        );
    }
    let missing: Vec<&str> = c.missing.iter().map(|m| m.label.get(lang)).collect();
    let _ = writeln!(
        out,
        "{:<12} {}",
        h("ontbrekend", "missing"),
        missing.join(" · ")
    );
    let _ = writeln!(
        out,
        "\n## {}",
        h(
            "Rolprofielen (verwacht niveau per cluster)",
            "Role profiles (expected level per cluster)"
        )
    );
    for r in &c.role_profiles {
        let levels: Vec<String> = r.expected.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(
            out,
            "{:<14} {:<28} {}",
            r.code,
            r.name.get(lang),
            levels.join(" ")
        );
    }
    let _ = writeln!(out, "\n## Checklists");
    for cl in &c.checklists {
        let _ = writeln!(
            out,
            "{}  {}  ({} {})",
            cl.code,
            cl.name.get(lang),
            h("aspect", "aspect"),
            cl.aspect
        );
        for i in &cl.items {
            let _ = writeln!(out, "      {:<6} {}", i.code, i.text.get(lang));
        }
    }
    out
}
