//! Demo data: filled-in questionnaires for the demo organisations, written as the template a quality
//! coordinator hands out (same headers, answers as the dropdowns give them). Deterministic: the same
//! organisation and year always give the same answers, so the demo's scores are stable.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::domain::catalogue::{Catalogue, Scale};
use crate::domain::text::Lang;
use crate::template::{self, TemplateOptions};

/// A demo organisation and how far along it is.
#[derive(Debug, Clone)]
pub struct DemoOrganisation {
    pub name: &'static str,
    pub sector: &'static str,
    pub staff: i32,
    /// Respondents in the first year.
    pub respondents: usize,
    /// Overall maturity, 0 (nothing yet) to 1 (embedded).
    pub level: f64,
    /// Aspects (A1–A9) where this organisation is noticeably stronger (+) or weaker (−).
    pub accents: &'static [(&'static str, f64)],
}

/// The demo federation.
pub const FEDERATION: &str = "Koepel Welzijn Vlaanderen (demo)";

/// The years the demo scans.
pub const YEARS: [i32; 2] = [2025, 2026];

/// How much every organisation grows from one year to the next.
const GROWTH: f64 = 0.08;

/// Seven members in two sectors, each with its own profile: five CAW and two CLB, so that the
/// federation benchmark shows the whole federation and the CAW sector, and leaves out the CLB sector
/// (fewer than 5 organisations) as it should.
pub fn organisations() -> Vec<DemoOrganisation> {
    vec![
        DemoOrganisation {
            name: "CAW De Brug (demo)",
            sector: "CAW",
            staff: 42,
            respondents: 28,
            level: 0.62,
            accents: &[("A5", 0.15), ("A9", -0.2), ("A2", 0.1)],
        },
        DemoOrganisation {
            name: "CAW Zuiderkempen (demo)",
            sector: "CAW",
            staff: 65,
            respondents: 34,
            level: 0.36,
            accents: &[("A6", -0.1), ("A7", 0.15), ("A3", -0.15)],
        },
        DemoOrganisation {
            name: "CLB Noordrand (demo)",
            sector: "CLB",
            staff: 30,
            respondents: 22,
            level: 0.5,
            accents: &[("A5", 0.25), ("A1", -0.15), ("A8", 0.1)],
        },
        DemoOrganisation {
            name: "CLB Waasland (demo)",
            sector: "CLB",
            staff: 24,
            respondents: 18,
            level: 0.44,
            accents: &[("A4", 0.15), ("A6", 0.1), ("A9", -0.15)],
        },
        DemoOrganisation {
            name: "CAW Oost-Vlaanderen (demo)",
            sector: "CAW",
            staff: 88,
            respondents: 40,
            level: 0.55,
            accents: &[("A8", 0.1), ("A4", -0.1), ("A1", 0.1)],
        },
        DemoOrganisation {
            name: "CAW Limburg (demo)",
            sector: "CAW",
            staff: 51,
            respondents: 26,
            level: 0.42,
            accents: &[("A2", -0.15), ("A5", 0.1), ("A6", 0.15)],
        },
        DemoOrganisation {
            name: "CAW Kust (demo)",
            sector: "CAW",
            staff: 36,
            respondents: 20,
            level: 0.3,
            accents: &[("A9", 0.1), ("A3", 0.1), ("A7", -0.15)],
        },
    ]
}

const TEAMS: [&str; 3] = ["Team Noord", "Team Zuid", "Onthaal"];

/// The filled-in questionnaire of one organisation for one year, as xlsx bytes.
pub fn questionnaire(
    catalogue: &Catalogue,
    org: &DemoOrganisation,
    org_index: usize,
    year_index: usize,
) -> Result<Vec<u8>, DemoError> {
    let questions = template::questions(catalogue, &TemplateOptions::default())?;
    let mut rng = StdRng::seed_from_u64(0x5CA9 + (org_index as u64) * 97 + year_index as u64);
    let level = (org.level + GROWTH * year_index as f64).min(0.95);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Vragenlijst")?;
    for (c, h) in template::metadata_headers(Lang::Nl).iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let first_item = template::metadata_headers(Lang::Nl).len() as u16;
    for (c, q) in questions.iter().enumerate() {
        ws.write_string(0, first_item + c as u16, q.header(Lang::Nl))?;
    }
    let n = org.respondents + year_index * 3;
    let roles = &catalogue.role_profiles;
    for i in 0..n {
        let row = i as u32 + 1;
        // Five managers, five client representatives, the rest staff in three teams.
        let (group, role) = match i {
            0..5 => ("Management", roles.iter().find(|r| r.code == "management")),
            5..10 => ("Cliëntvertegenwoordigers", None),
            _ => ("Medewerkers", roles.get(i % 4)),
        };
        ws.write_string(row, 0, format!("Respondent {} {}", i + 1, org.name))?;
        ws.write_string(
            row,
            1,
            format!("respondent{}@{}.demo", i + 1, org_index + 1),
        )?;
        if let Some(r) = role {
            ws.write_string(row, 2, &r.name.nl)?;
        }
        if i >= 10 {
            ws.write_string(row, 3, TEAMS[i % TEAMS.len()])?;
        }
        ws.write_string(row, 4, group)?;
        // Managers see the organisation a little more favourably than staff do.
        let perception = match group {
            "Management" => 0.08,
            "Cliëntvertegenwoordigers" => -0.05,
            _ => 0.0,
        };
        let person = rng.random_range(-0.12..0.12);
        let team = (i >= 10).then_some(i % TEAMS.len());
        for (c, q) in questions.iter().enumerate() {
            let col = first_item + c as u16;
            let is_client = group == "Cliëntvertegenwoordigers";
            if is_client && q.kind != template::QuestionKind::Indicator {
                continue;
            }
            let roll: f64 = rng.random();
            if roll < 0.04 {
                ws.write_string(row, col, "Weet ik niet")?;
                continue;
            }
            if roll < 0.07 {
                continue;
            }
            let accent = aspect_of(q.code)
                .and_then(|a| org.accents.iter().find(|(x, _)| *x == a))
                .map_or(0.0, |(_, d)| *d);
            let strength = cluster_of(q.code).map_or(0.0, |c| team_strength(org_index, team, c));
            let target =
                (level + accent + strength + perception + person + rng.random_range(-0.15..0.15))
                    .clamp(0.0, 1.0);
            ws.write_string(row, col, answer(q.scale, target))?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// The competence cluster of an item (`C6K2` → 6).
fn cluster_of(code: &str) -> Option<usize> {
    let rest = code.strip_prefix('C')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// How much stronger (+) or weaker (−) a team is in a competence cluster than its organisation as a
/// whole: −0.2 to +0.2, fixed per organisation × team × cluster, so the team × cluster heatmap of the
/// demo reports has something to show.
fn team_strength(org_index: usize, team: Option<usize>, cluster: usize) -> f64 {
    let t = team.map_or(TEAMS.len(), |t| t);
    // splitmix64's finaliser: neighbouring inputs give unrelated outputs.
    let mut x = (org_index as u64 * 1_000_003 + t as u64 * 10_007 + cluster as u64 * 101)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    ((x % 9) as f64 - 4.0) * 0.05
}

/// The aspect an indicator belongs to (`A6Q3` → `A6`).
fn aspect_of(code: &str) -> Option<&str> {
    code.find('Q')
        .filter(|_| code.starts_with('A'))
        .map(|i| &code[..i])
}

/// The dropdown text for a level at `target` (0–1) of the scale.
fn answer(scale: &Scale, target: f64) -> String {
    let span = f64::from(scale.max - scale.min);
    let value = (f64::from(scale.min) + target * span).round() as u8;
    match scale.levels.iter().find(|l| l.value == value) {
        Some(l) => format!("{} - {}", l.value, l.label.nl),
        None => value.to_string(),
    }
}

/// Why demo data could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Template(#[from] template::TemplateError),
    #[error("cannot build the demo spreadsheet: {0}")]
    Xlsx(#[from] XlsxError),
}
