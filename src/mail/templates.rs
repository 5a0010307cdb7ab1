//! The words of a report e-mail, in Dutch or English: subject, a short plain text and the same as
//! HTML. What is attached, the readiness index and the top priorities, who sent it. Every piece of
//! user text (names, organisation) is escaped in the HTML part.

use std::fmt::Write as _;

use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::{ScoreReport, Stage};
use crate::domain::text::{Lang, Text};

/// Priorities named in the e-mail; the report has them all.
pub const PRIORITIES_IN_MAIL: usize = 3;

/// What the e-mail says of the score, in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSummary {
    /// Readiness index 0–100, when it may be shown (enough respondents).
    pub overall: Option<f64>,
    pub stage: Option<Stage>,
    pub priorities: Vec<PriorityLine>,
}

/// One priority: aspect code and name, its score.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorityLine {
    pub aspect: String,
    pub name: Text,
    pub score: f64,
}

impl ScoreSummary {
    pub fn of(catalogue: &Catalogue, report: &ScoreReport) -> Self {
        let priorities = report
            .priorities
            .iter()
            .take(PRIORITIES_IN_MAIL)
            .map(|p| PriorityLine {
                aspect: p.aspect.clone(),
                name: catalogue.aspect(&p.aspect).map_or_else(
                    || Text {
                        nl: p.aspect.clone(),
                        en: p.aspect.clone(),
                    },
                    |a| a.name.clone(),
                ),
                score: p.score,
            })
            .collect();
        Self {
            overall: report.overall,
            stage: report.stage,
            priorities,
        }
    }
}

/// Everything one e-mail says.
#[derive(Debug, Clone)]
pub struct ReportMail<'a> {
    pub lang: Lang,
    /// `selfscan` or `advice`.
    pub kind: &'a str,
    pub organisation: &'a str,
    pub year: i32,
    pub recipient_name: Option<&'a str>,
    pub attachment: &'a str,
    pub summary: &'a ScoreSummary,
    /// Who sent it: the sender's name, else address.
    pub sender: &'a str,
}

/// Subject, text and HTML of an e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A score with one decimal, written as everywhere else.
fn num(x: f64, lang: Lang) -> String {
    crate::domain::format::num(x, 1, lang)
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The paragraphs of an e-mail in its language, before they become text or HTML.
struct Blocks {
    subject: String,
    greeting: String,
    attached: String,
    index: String,
    priorities_title: Option<String>,
    priorities: Vec<String>,
    closing: String,
    regards: String,
    footer: String,
}

fn blocks(m: &ReportMail<'_>) -> Blocks {
    let nl = m.lang == Lang::Nl;
    let t = |a: &'static str, b: &'static str| if nl { a } else { b };
    let advice = m.kind == "advice";
    let subject = format!(
        "{} {} – {}",
        match (advice, nl) {
            (false, true) => "Zelfscan blended hulp",
            (true, true) => "Advies blended hulp",
            (false, false) => "Blended support self-scan",
            (true, false) => "Blended support advice",
        },
        m.year,
        m.organisation
    );
    let greeting = match m.recipient_name {
        Some(name) => format!("{} {name},", t("Beste", "Dear")),
        None => t("Goedendag,", "Hello,").to_owned(),
    };
    let what = match (advice, nl) {
        (false, true) => "het rapport van de zelfscan blended hulp",
        (true, true) => "het adviesrapport blended hulp, met het advies en het actieplan,",
        (false, false) => "the report of the blended support self-scan",
        (true, false) => "the blended support advice report, with the advice and the action plan,",
    };
    let attached = format!(
        "{} {what} {} {} {} ({}).",
        t("In de bijlage vindt u", "Attached you will find"),
        m.year,
        t("van", "of"),
        m.organisation,
        m.attachment
    );
    let index = match (m.summary.overall, m.summary.stage) {
        (Some(overall), stage) => format!(
            "{}: {} / 100{}.",
            t("Readiness-index", "Readiness index"),
            num(overall, m.lang),
            stage.map_or(String::new(), |s| format!(
                " ({} {})",
                t("fase:", "stage:"),
                s.label(m.lang)
            ))
        ),
        (None, _) => t(
            "De readiness-index wordt niet getoond: er zijn te weinig respondenten om anoniem te rapporteren.",
            "The readiness index is not shown: there are too few respondents to report anonymously.",
        )
        .to_owned(),
    };
    let priorities: Vec<String> = m
        .summary
        .priorities
        .iter()
        .map(|p| {
            format!(
                "{} {} (score {})",
                p.aspect,
                p.name.get(m.lang),
                num(p.score, m.lang)
            )
        })
        .collect();
    Blocks {
        subject,
        greeting,
        attached,
        index,
        priorities_title: (!priorities.is_empty())
            .then(|| t("De eerste prioriteiten:", "The first priorities:").to_owned()),
        priorities,
        closing: t(
            "Het rapport licht de scores per aspect toe en geeft bij elke prioriteit de aanbevelingen en acties.",
            "The report explains the scores per aspect and gives the recommendations and actions for each priority.",
        )
        .to_owned(),
        regards: t("Met vriendelijke groeten,", "Kind regards,").to_owned(),
        footer: t("Verstuurd met blendscan.", "Sent with blendscan.").to_owned(),
    }
}

/// Subject, text and HTML of a report e-mail.
pub fn render(m: &ReportMail<'_>) -> Rendered {
    let b = blocks(m);
    let mut text = String::new();
    let _ = write!(text, "{}\n\n{}\n\n{}\n", b.greeting, b.attached, b.index);
    if let Some(title) = &b.priorities_title {
        let _ = write!(text, "\n{title}\n");
        for (i, p) in b.priorities.iter().enumerate() {
            let _ = writeln!(text, "{}. {p}", i + 1);
        }
    }
    let _ = write!(
        text,
        "\n{}\n\n{}\n{}\n\n-- \n{}\n",
        b.closing, b.regards, m.sender, b.footer
    );

    let e = escape_html;
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<p>{}</p>\n<p>{}</p>\n<p>{}</p>\n",
        m.lang.code(),
        e(&b.subject),
        e(&b.greeting),
        e(&b.attached),
        e(&b.index)
    );
    if let Some(title) = &b.priorities_title {
        let _ = write!(html, "<p>{}</p>\n<ol>\n", e(title));
        for p in &b.priorities {
            let _ = writeln!(html, "<li>{}</li>", e(p));
        }
        html.push_str("</ol>\n");
    }
    let _ = write!(
        html,
        "<p>{}</p>\n<p>{}<br>{}</p>\n<p><small>{}</small></p>\n</body></html>\n",
        e(&b.closing),
        e(&b.regards),
        e(m.sender),
        e(&b.footer)
    );
    Rendered {
        subject: b.subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> ScoreSummary {
        ScoreSummary {
            overall: Some(62.34),
            stage: Some(Stage::Applied),
            priorities: vec![PriorityLine {
                aspect: "A4".into(),
                name: Text {
                    nl: "Het online aanbod".into(),
                    en: "The online offer".into(),
                },
                score: 41.0,
            }],
        }
    }

    fn mail<'a>(lang: Lang, s: &'a ScoreSummary, org: &'a str) -> ReportMail<'a> {
        ReportMail {
            lang,
            kind: "selfscan",
            organisation: org,
            year: 2026,
            recipient_name: Some("Jan <Peeters>"),
            attachment: "blendscan-caw-2026-zelfscan.pdf",
            summary: s,
            sender: "Kwaliteit & Co",
        }
    }

    #[test]
    fn dutch_mail_names_attachment_index_and_priorities() {
        let s = summary();
        let r = render(&mail(Lang::Nl, &s, "CAW De Brug"));
        assert_eq!(r.subject, "Zelfscan blended hulp 2026 – CAW De Brug");
        assert!(r.text.contains("blendscan-caw-2026-zelfscan.pdf"));
        assert!(r.text.contains("Readiness-index: 62,3 / 100 (fase: "));
        assert!(r.text.contains("1. A4 Het online aanbod (score 41,0)"));
        assert!(r.text.contains("Kwaliteit & Co"));
    }

    #[test]
    fn english_mail_is_english() {
        let s = summary();
        let r = render(&mail(Lang::En, &s, "CAW De Brug"));
        assert_eq!(r.subject, "Blended support self-scan 2026 – CAW De Brug");
        assert!(r.text.starts_with("Dear Jan <Peeters>,"));
        assert!(r.text.contains("The online offer (score 41.0)"));
    }

    #[test]
    fn html_escapes_user_text() {
        let s = summary();
        let r = render(&mail(Lang::Nl, &s, "<script>alert('x')</script>"));
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(
            r.html
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        );
        assert!(r.html.contains("Jan &lt;Peeters&gt;"));
        assert!(r.html.contains("Kwaliteit &amp; Co"));
    }
}
