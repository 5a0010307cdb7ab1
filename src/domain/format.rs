//! How figures and dates are written, in the PDF reports, the web pages, the CLI and the e-mails alike:
//! a decimal comma in Dutch, a point in English, the same rounding as the scoring (one decimal for
//! scores), an en dash for losses and a plus for gains, never a negative zero.

use chrono::{Datelike, NaiveDate};

use crate::domain::text::Lang;

/// `x` rounded to `decimals`, half away from zero on the exact decimal value. A mean of whole
/// answers is a fraction with a small denominator, so a value within a billionth of a half *is* that
/// half, summed in floating point as 3.2499999…: it rounds up, as a hand calculation does
/// (3,25 → 3,3). Adding 0.0 turns a rounded −0.0 into 0.0.
pub fn round_half_up(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let y = x.abs() * scale;
    let floor = y.floor();
    let tolerance = 1e-9 * y.max(1.0);
    let up = y - floor >= 0.5 - tolerance;
    let r = (floor + f64::from(u8::from(up))) / scale;
    r.copysign(x) + 0.0
}

/// `62.3` → `62,3` (nl) or `62.3` (en), rounded half up ([`round_half_up`]), never half to even.
pub fn num(x: f64, decimals: usize, lang: Lang) -> String {
    let x = round_half_up(x, i32::try_from(decimals).unwrap_or(i32::MAX).min(15));
    let s = format!("{x:.decimals$}");
    // `-0.0` reads as a loss of nothing.
    let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_owned()
    } else {
        s
    };
    match lang {
        Lang::Nl => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A figure or a dash when there is none.
pub fn opt(x: Option<f64>, decimals: usize, lang: Lang) -> String {
    x.map_or_else(|| "–".to_owned(), |v| num(v, decimals, lang))
}

/// A change: `+4,1`, `–2,0`, `0,0`. The minus is an en dash: Noto Sans has no U+2212, and a
/// fallback font would set it in another face.
pub fn signed(x: f64, lang: Lang) -> String {
    let s = num(x, 1, lang);
    if x >= 0.05 {
        format!("+{s}")
    } else if let Some(rest) = s.strip_prefix('-') {
        format!("–{rest}")
    } else {
        s
    }
}

/// A share (0–1) as a whole percentage: `74%` (en) or `74 %` (nl, with a no-break space).
pub fn percent(share: f64, lang: Lang) -> String {
    let n = num(share * 100.0, 0, lang);
    match lang {
        Lang::Nl => format!("{n}\u{a0}%"),
        Lang::En => format!("{n}%"),
    }
}

/// A number with its noun in the singular or the plural: `1 team`, `3 teams`, never `team(s)`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `23 november 2026` / `23 November 2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    let months = match lang {
        Lang::Nl => &MONTHS_NL,
        Lang::En => &MONTHS_EN,
    };
    let month = months.get(d.month0() as usize).copied().unwrap_or("");
    format!("{} {month} {}", d.day(), d.year())
}

/// `30-06-2026` (nl) or `30 Jun 2026` (en), for tables.
pub fn short_date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Nl => d.format("%d-%m-%Y").to_string(),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_takes_the_singular_or_the_plural() {
        assert_eq!(count(1, "partner", "partners"), "1 partner");
        assert_eq!(count(0, "team", "teams"), "0 teams");
        assert_eq!(count(3, "rol", "rollen"), "3 rollen");
    }

    #[test]
    fn figures_follow_the_language() {
        assert_eq!(num(62.34, 1, Lang::Nl), "62,3");
        assert_eq!(num(62.34, 1, Lang::En), "62.3");
        // Half up on the exact decimal value, as a hand calculation: not half to even, not 3,2499….
        assert_eq!(num(3.25, 1, Lang::Nl), "3,3");
        assert_eq!(num(3.249_999_999_999_999_6, 1, Lang::Nl), "3,3");
        assert_eq!(num(0.125, 2, Lang::En), "0.13");
        assert_eq!(num(-0.01, 1, Lang::En), "0.0");
        assert_eq!(signed(4.1, Lang::Nl), "+4,1");
        assert_eq!(signed(-2.0, Lang::En), "–2.0");
        assert_eq!(signed(0.0, Lang::En), "0.0");
        // A change that rounds to nothing is nothing, in every place that prints one.
        assert_eq!(signed(-0.04, Lang::Nl), "0,0");
        assert_eq!(num(-0.04, 1, Lang::Nl), "0,0");
        assert_eq!(opt(Some(-0.0), 1, Lang::En), "0.0");
        assert_eq!(percent(0.736, Lang::Nl), "74\u{a0}%");
        assert_eq!(opt(None, 1, Lang::Nl), "–");
    }

    #[test]
    fn dates_are_written_out() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
        assert_eq!(date(d, Lang::Nl), "30 juni 2026");
        assert_eq!(date(d, Lang::En), "30 June 2026");
        assert_eq!(short_date(d, Lang::Nl), "30-06-2026");
        assert_eq!(short_date(d, Lang::En), "30 Jun 2026");
    }
}
