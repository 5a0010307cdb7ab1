//! Reading one answer or one date out of a cell. Answers may be a number on the item's scale, a level
//! label in Dutch or English (with or without a leading `3 - ` or `3.`), or a "missing" label; dates come
//! in the shapes Microsoft Forms, Google Forms, ISO 8601 and Excel serials use.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::msg;
use super::table::Cell;
use crate::domain::catalogue::{Catalogue, Scale};
use crate::domain::text::Text;

/// An answer: a value on the scale, or missing (with the missing code, or `None` for an empty cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Value(i16),
    Missing(Option<String>),
}

/// Label lookup for one scale, built once per import.
pub struct ScaleReader {
    pub min: i16,
    pub max: i16,
    labels: HashMap<String, i16>,
    missing: HashMap<String, String>,
    /// The scale's name in messages, lower case: `maturiteit` / `maturity`.
    name: Text,
    /// Shown in error messages: the accepted labels, Dutch labels in Dutch, English in English.
    hint: Text,
    /// The "don't know" label to suggest, in each language.
    dont_know: Text,
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['’', '‘'], "'")
        .to_lowercase()
}

impl ScaleReader {
    pub fn new(scale: &Scale, catalogue: &Catalogue) -> Self {
        let mut labels = HashMap::new();
        for l in &scale.levels {
            labels.insert(norm(&l.label.nl), l.value as i16);
            labels.insert(norm(&l.label.en), l.value as i16);
        }
        let mut missing = HashMap::new();
        // Spellings of "don't know" people type that the catalogue does not list.
        if let Some(first) = catalogue.missing.first() {
            for s in [
                "ik weet het niet",
                "weet ik het niet",
                "geen mening",
                "no opinion",
                "i don't know",
                "i do not know",
            ] {
                missing.insert(norm(s), first.code.clone());
            }
        }
        for m in &catalogue.missing {
            for s in [&m.label.nl, &m.label.en]
                .into_iter()
                .chain(m.aliases.iter())
            {
                missing.insert(norm(s), m.code.clone());
            }
        }
        let hint = |label: fn(&crate::domain::catalogue::ScaleLevel) -> &str| {
            scale
                .levels
                .iter()
                .map(|l| format!("{} {}", l.value, label(l)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let hint = msg(hint(|l| &l.label.nl), hint(|l| &l.label.en));
        let name_or_code = |n: &str| {
            if n.trim().is_empty() {
                scale.code.clone()
            } else {
                n.trim().to_lowercase()
            }
        };
        let name = msg(name_or_code(&scale.name.nl), name_or_code(&scale.name.en));
        let dont_know = catalogue
            .missing
            .first()
            .map(|m| m.label.clone())
            .unwrap_or_else(|| msg("Weet ik niet", "Don't know"));
        Self {
            min: scale.min as i16,
            max: scale.max as i16,
            labels,
            missing,
            name,
            hint,
            dont_know,
        }
    }

    /// Read an answer; `Err` is the reason, for the import report.
    pub fn read(&self, cell: &Cell) -> Result<Answer, Text> {
        let (name, hint) = (&self.name, &self.hint);
        match cell {
            Cell::Empty => Ok(Answer::Missing(None)),
            Cell::Number(n) => self.number(*n),
            Cell::Text(t) => self.text(t),
            Cell::Bool(_) => Err(msg(
                format!(
                    "een ja/nee-waarde is geen antwoord op de schaal {} ({})",
                    name.nl, hint.nl
                ),
                format!(
                    "a yes/no value is not an answer on the {} scale ({})",
                    name.en, hint.en
                ),
            )),
            Cell::Date(_) => Err(msg(
                format!(
                    "een datum is geen antwoord op de schaal {} ({})",
                    name.nl, hint.nl
                ),
                format!(
                    "a date is not an answer on the {} scale ({})",
                    name.en, hint.en
                ),
            )),
            Cell::Error(e) => Err(msg(
                format!("de cel bevat de rekenbladfout {e}"),
                format!("the cell holds the spreadsheet error {e}"),
            )),
        }
    }

    fn number(&self, n: f64) -> Result<Answer, Text> {
        let (name, min, max) = (&self.name, self.min, self.max);
        if n.fract() != 0.0 {
            return Err(msg(
                format!(
                    "geen geheel getal; de schaal {} loopt van {min} tot {max}",
                    name.nl
                ),
                format!("not a whole number; the {} scale runs {min}–{max}", name.en),
            ));
        }
        if n < min as f64 || n > max as f64 {
            return Err(msg(
                format!("valt buiten de schaal {} {min}–{max}", name.nl),
                format!("outside the {} scale {min}–{max}", name.en),
            ));
        }
        Ok(Answer::Value(n as i16))
    }

    fn text(&self, raw: &str) -> Result<Answer, Text> {
        let t = norm(raw);
        // `-` is how some people leave a question open; `Zelfstandig.` ends like a sentence.
        if t.is_empty() || matches!(t.as_str(), "-" | "–" | "—") {
            return Ok(Answer::Missing(None));
        }
        let bare = t.trim_end_matches(['.', '!']).trim_end();
        for key in [t.as_str(), bare] {
            if let Some(code) = self.missing.get(key) {
                return Ok(Answer::Missing(Some(code.clone())));
            }
            if let Some(v) = self.labels.get(key) {
                return Ok(Answer::Value(*v));
            }
        }
        if let Ok(n) = t.replace(',', ".").parse::<f64>() {
            return self.number(n);
        }
        // `Zelfstandig (3)`: a label with its number in brackets.
        if let Some(open) = bare.rfind('(')
            && bare.ends_with(')')
            && let Ok(n) = bare[open + 1..bare.len() - 1].trim().parse::<i64>()
        {
            return self.number_and_label(n, bare[..open].trim());
        }
        // `3 - Zelfstandig`, `3-Zelfstandig`, `3. Independent`, `3) …`.
        let digits = bare.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && let Ok(n) = bare[..digits].parse::<i64>()
        {
            let rest = bare[digits..].trim_start();
            let label = rest
                .trim_start_matches(['-', '–', '—', '.', ':', ')'])
                .trim();
            if rest.len() == label.len() && !label.is_empty() {
                return Err(self.unknown());
            }
            return self.number_and_label(n, label);
        }
        Err(self.unknown())
    }

    /// A number with an optional label beside it, which must name the same level.
    fn number_and_label(&self, n: i64, label: &str) -> Result<Answer, Text> {
        let value = self.number(n as f64)?;
        if !label.is_empty()
            && let Some(v) = self.labels.get(label)
            && Answer::Value(*v) != value
        {
            return Err(msg(
                format!("het getal {n} en het label \"{label}\" wijzen op verschillende niveaus"),
                format!("the number {n} and the label \"{label}\" name different levels"),
            ));
        }
        Ok(value)
    }

    fn unknown(&self) -> Text {
        let (name, hint, dont_know, min, max) =
            (&self.name, &self.hint, &self.dont_know, self.min, self.max);
        msg(
            format!(
                "geen antwoord op de schaal {}; gebruik {min}–{max} of een label ({}), of \"{}\"",
                name.nl, hint.nl, dont_know.nl
            ),
            format!(
                "not an answer on the {} scale; use {min}–{max} or a label ({}), or \"{}\"",
                name.en, hint.en, dont_know.en
            ),
        )
    }
}

/// Read a date/time; the result is in UTC. Local times without offset are taken as they are.
/// `day_first` decides `1/12/2026` (the column's order, see [`date_order`]).
pub fn read_datetime(cell: &Cell, day_first: bool) -> Result<Option<DateTime<Utc>>, Text> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(Utc.from_utc_datetime(d))),
        Cell::Number(n) => excel_serial(*n)
            .map(Some)
            .ok_or_else(|| msg(format!("{n} is geen datum"), format!("{n} is not a date"))),
        Cell::Text(t) => parse_datetime(t.trim(), day_first)
            // An Excel date column exported to CSV without a date format: the serial number as text.
            .or_else(|| {
                let n: f64 = t.trim().replace(',', ".").parse().ok()?;
                excel_serial(n)
            })
            .map(Some)
            .ok_or_else(|| {
            msg(
                "geen datum; gebruik bijvoorbeeld 14/03/2026 9:05 of 14/03/2026 9:05:33 (dag/maand/jaar), 14-3-2026 9:05, of 2026-03-14 09:05:33 (ISO 8601)",
                "not a date; use for example 14/03/2026 9:05 or 14/03/2026 9:05:33 (day/month/year), 3/14/2026 9:05:33 (month/day/year, in a column where some day is above 12), or ISO 8601 (2026-03-14T09:05:00)",
            )
        }),
        _ => Err(msg("geen datum", "not a date")),
    }
}

/// The order of `a/b/yyyy` dates in a column: `Some(true)` day first, `Some(false)` month first,
/// `None` when no such date says (no slashed date, or every first and second field at most 12).
pub fn date_order<'a>(cells: impl Iterator<Item = &'a Cell>) -> (Option<bool>, bool) {
    let (mut day_first, mut month_first, mut slashed) = (false, false, false);
    for cell in cells {
        let Cell::Text(t) = cell else { continue };
        let mut parts = t.trim().splitn(3, '/');
        let (Some(a), Some(b), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            continue;
        };
        if !rest.starts_with(|c: char| c.is_ascii_digit()) || a > 31 {
            continue;
        }
        slashed = true;
        day_first |= a > 12;
        month_first |= b > 12;
    }
    match (day_first, month_first) {
        (true, _) => (Some(true), slashed),
        (false, true) => (Some(false), slashed),
        _ => (None, slashed),
    }
}

/// Excel serial date (1900 date system) to a UTC timestamp.
fn excel_serial(n: f64) -> Option<DateTime<Utc>> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let dt = base + Duration::milliseconds((n * 86_400_000.0).round() as i64);
    Some(Utc.from_utc_datetime(&dt))
}

fn parse_datetime(s: &str, day_first: bool) -> Option<DateTime<Utc>> {
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Some(d) = google(s) {
        return Some(d);
    }
    // ISO 8601 with an offset but without seconds: 2026-03-14T09:05+01:00.
    for f in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z"] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    const NAIVE: [&str; 9] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y/%m/%d %I:%M:%S %p",
        "%d-%m-%Y %H:%M:%S",
        "%d-%m-%Y %H:%M",
    ];
    const MONTH_FIRST: [&str; 4] = [
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
    ];
    const DAY_FIRST: [&str; 2] = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"];
    let slashed: &[&str] = if day_first { &DAY_FIRST } else { &MONTH_FIRST };
    for f in NAIVE.iter().chain(slashed) {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    let slashed = if day_first { "%d/%m/%Y" } else { "%m/%d/%Y" };
    for f in ["%Y-%m-%d", slashed, "%d-%m-%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|d| Utc.from_utc_datetime(&d));
        }
    }
    None
}

/// Google Forms: `2026/03/14 9:05:33 AM UTC+1`, `… GMT+01:00`, `… GMT`.
fn google(s: &str) -> Option<DateTime<Utc>> {
    let (local, zone) = s.rsplit_once(' ')?;
    let zone = zone.to_ascii_uppercase();
    let offset = zone
        .strip_prefix("UTC")
        .or_else(|| zone.strip_prefix("GMT"))?;
    let seconds = if offset.is_empty() {
        0
    } else {
        let sign = match offset.as_bytes()[0] {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let body = &offset[1..];
        let (h, m) = body.split_once(':').unwrap_or((body, "0"));
        sign * (h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60)
    };
    let tz = FixedOffset::east_opt(seconds)?;
    let naive = [
        "%Y/%m/%d %I:%M:%S %p",
        "%Y/%m/%d %H:%M:%S",
        "%d/%m/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(local.trim(), f).ok())?;
    tz.from_local_datetime(&naive)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(code: &str) -> ScaleReader {
        let c =
            crate::domain::catalogue::parse(&crate::catalogue::builtin_files()).expect("catalogue");
        let scale = c.scale(code).expect("scale").clone();
        ScaleReader::new(&scale, &c)
    }

    #[test]
    fn reads_numbers_labels_and_missing() {
        let p = reader("proficiency");
        let t = |s: &str| p.read(&Cell::Text(s.into()));
        assert_eq!(p.read(&Cell::Number(3.0)), Ok(Answer::Value(3)));
        assert_eq!(t("4"), Ok(Answer::Value(4)));
        assert_eq!(t("  zelfstandig "), Ok(Answer::Value(3)));
        assert_eq!(t("INDEPENDENT"), Ok(Answer::Value(3)));
        assert_eq!(t("3 - Zelfstandig"), Ok(Answer::Value(3)));
        assert_eq!(t("3. Independent"), Ok(Answer::Value(3)));
        assert_eq!(t("5)"), Ok(Answer::Value(5)));
        assert_eq!(
            t("Weet ik niet"),
            Ok(Answer::Missing(Some("dont_know".into())))
        );
        assert_eq!(
            t("n.v.t."),
            Ok(Answer::Missing(Some("not_applicable".into())))
        );
        assert_eq!(
            t("Don’t know"),
            Ok(Answer::Missing(Some("dont_know".into())))
        );
        assert_eq!(p.read(&Cell::Empty), Ok(Answer::Missing(None)));
        assert_eq!(
            p.read(&Cell::Number(7.0)),
            Err(msg(
                "valt buiten de schaal beheersing 1–5",
                "outside the proficiency scale 1–5"
            ))
        );
        assert!(
            p.read(&Cell::Number(3.5))
                .is_err_and(|e| e.en.contains("whole") && e.nl.contains("geheel getal"))
        );
        assert!(t("0").is_err());
        assert!(t("Soms").is_err_and(|e| e.en.contains("not an answer")
            && e.en.contains("3 Independent")
            && e.en.contains("\"Don't know\"")
            && e.nl.contains("geen antwoord op de schaal beheersing")
            && e.nl.contains("3 Zelfstandig")
            && e.nl.contains("\"Weet ik niet\"")));
        assert!(t("3 - Expert").is_err_and(
            |e| e.en.contains("different levels") && e.nl.contains("verschillende niveaus")
        ));
        assert!(t("-1").is_err());
        assert!(p.read(&Cell::Bool(true)).is_err());
    }

    #[test]
    fn reads_the_spellings_people_type() {
        let p = reader("proficiency");
        let t = |s: &str| p.read(&Cell::Text(s.into()));
        for s in [
            "3-Zelfstandig",
            "Zelfstandig (3)",
            "Zelfstandig.",
            "3 – zelfstandig",
        ] {
            assert_eq!(t(s), Ok(Answer::Value(3)), "{s}");
        }
        for s in ["Ik weet het niet", "Geen mening", "geen mening."] {
            assert_eq!(t(s), Ok(Answer::Missing(Some("dont_know".into()))), "{s}");
        }
        assert_eq!(t("-"), Ok(Answer::Missing(None)));
        assert!(t("Expert (3)").is_err_and(|e| e.en.contains("different levels")));
        assert!(t("Zelfstandig (9)").is_err());
    }

    #[test]
    fn day_and_month_order_is_decided_per_column() {
        let cells = |v: &[&str]| {
            v.iter()
                .map(|s| Cell::Text((*s).into()))
                .collect::<Vec<_>>()
        };
        let be = cells(&["1/12/2026 9:15:03", "13/12/2026 9:15"]);
        assert_eq!(date_order(be.iter()), (Some(true), true));
        let us = cells(&["12/1/2026 9:15:03", "12/13/2026 9:15"]);
        assert_eq!(date_order(us.iter()), (Some(false), true));
        let unclear = cells(&["1/12/2026 9:15:03", "2/12/2026 9:15"]);
        assert_eq!(date_order(unclear.iter()), (None, true));
        let iso = cells(&["2026-12-01 09:15"]);
        assert_eq!(date_order(iso.iter()), (None, false));
        let at = |s: &str, day_first| {
            read_datetime(&Cell::Text(s.into()), day_first)
                .ok()
                .flatten()
                .map(|d| d.to_rfc3339())
        };
        assert_eq!(
            at("1/12/2026 9:15:03", true).as_deref(),
            Some("2026-12-01T09:15:03+00:00")
        );
        assert_eq!(
            at("13/12/2026 9:15", true).as_deref(),
            Some("2026-12-13T09:15:00+00:00")
        );
        assert_eq!(
            at("1/12/2026 9:15:03", false).as_deref(),
            Some("2026-01-12T09:15:03+00:00")
        );
        assert!(
            read_datetime(&Cell::Text("gisteren".into()), true)
                .is_err_and(|e| e.nl.contains("14/03/2026 9:05"))
        );
    }

    #[test]
    fn maturity_starts_at_zero() {
        let m = reader("maturity");
        assert_eq!(m.read(&Cell::Text("0".into())), Ok(Answer::Value(0)));
        assert_eq!(
            m.read(&Cell::Text("Verankerd".into())),
            Ok(Answer::Value(4))
        );
        assert!(m.read(&Cell::Number(-1.0)).is_err());
    }

    #[test]
    fn reads_the_date_shapes_of_the_survey_tools() {
        let d = |s: &str| {
            read_datetime(&Cell::Text(s.into()), false)
                .ok()
                .flatten()
                .map(|d| d.to_rfc3339())
        };
        let want = Some("2026-03-14T09:05:33+00:00".to_owned());
        assert_eq!(d("3/14/2026 9:05:33"), want);
        assert_eq!(d("2026-03-14T09:05:33Z"), want);
        assert_eq!(d("2026-03-14T10:05:33+01:00"), want);
        assert_eq!(d("2026-03-14 09:05:33"), want);
        assert_eq!(d("2026/03/14 10:05:33 AM UTC+1"), want);
        assert_eq!(d("2026/03/14 10:05:33 AM GMT+01:00"), want);
        assert_eq!(d("2026/03/14 9:05:33 AM GMT"), want);
        assert_eq!(d("14-3-2026 9:05:33"), want);
        assert!(read_datetime(&Cell::Text("gisteren".into()), false).is_err());
        let serial = read_datetime(&Cell::Number(46095.5), false)
            .ok()
            .flatten()
            .map(|d| d.to_rfc3339());
        assert_eq!(serial.as_deref(), Some("2026-03-14T12:00:00+00:00"));
        // The serial number as text (an Excel date column saved as CSV), with a point or a comma.
        assert_eq!(d("46095.5").as_deref(), Some("2026-03-14T12:00:00+00:00"));
        assert_eq!(d("46095,5").as_deref(), Some("2026-03-14T12:00:00+00:00"));
        assert_eq!(d("-3"), None);
        // ISO 8601 with an offset and without seconds.
        assert_eq!(
            d("2026-03-14T10:05+01:00").as_deref(),
            Some("2026-03-14T09:05:00+00:00")
        );
    }
}
