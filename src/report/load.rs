//! From a request (kind, organisation or federation, year, language, date) to the data of a report:
//! read the scan or the members' scans, score them, add the advice, and build the template data.
//! The front doors (CLI, later HTTP) call [`prepare`], then render.

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::advice::Advice;
use super::data::{self, BenchmarkSubject, ScanSubject};
use super::{ReportData, ReportError, ReportKind};
use crate::db;
use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::{BenchmarkInput, Scorer, ScoringConfig};
use crate::domain::text::Lang;

/// Whose report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// An organisation, by slug (self-scan and advice reports).
    Organisation(String),
    /// A federation, by slug or name (benchmark).
    Federation(String),
}

/// What to render.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub kind: ReportKind,
    pub subject: Subject,
    pub year: i32,
    pub lang: Lang,
    /// The generation date printed in the report (today, or fixed for reproducible output).
    pub generated: NaiveDate,
}

/// The data of a report and what it belongs to (to store it).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub data: ReportData,
    pub scan_id: Option<i32>,
    pub federation_id: Option<i32>,
    /// The subject's slug, for file names.
    pub slug: String,
}

/// Read, score and assemble the data of a report.
pub async fn prepare(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    config: &ScoringConfig,
    req: &ReportRequest,
) -> Result<Prepared, ReportError> {
    match (&req.subject, req.kind) {
        (Subject::Organisation(slug), ReportKind::SelfScan | ReportKind::Advice) => {
            scan(db, catalogue, config, slug, req).await
        }
        (Subject::Federation(key), ReportKind::Benchmark) => {
            benchmark(db, catalogue, config, key, req).await
        }
        (Subject::Organisation(_), ReportKind::Benchmark) => Err(ReportError::Invalid(
            "a benchmark report is made for a federation: use --federation instead of --org".into(),
        )),
        (Subject::Federation(_), kind) => Err(ReportError::Invalid(format!(
            "a {} report is made for an organisation: use --org instead of --federation",
            kind.code()
        ))),
    }
}

/// An organisation and its scan of `year`, with errors that name what exists.
pub async fn scan_of(
    db: &DatabaseConnection,
    slug: &str,
    year: i32,
) -> Result<(db::Organisation, db::Scan), ReportError> {
    let org = db::organisation_by_slug(db, slug.trim())
        .await
        .map_err(|e| match e {
            db::DbError::NotFound { .. } => ReportError::NotFound(format!(
                "organisation `{}` does not exist (see `blendscan org list`)",
                slug.trim()
            )),
            other => other.into(),
        })?;
    let scans = db::scans_of(db, org.id).await?;
    match scans.iter().position(|s| s.year == year) {
        Some(i) => {
            let scan = scans[i].clone();
            Ok((org, scan))
        }
        None => {
            let years: Vec<String> = scans.iter().map(|s| s.year.to_string()).collect();
            Err(ReportError::NotFound(format!(
                "organisation `{}` has no scan for {year} (its scans: {})",
                org.slug,
                if years.is_empty() {
                    "none yet".to_owned()
                } else {
                    years.join(", ")
                }
            )))
        }
    }
}

async fn scan(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    config: &ScoringConfig,
    slug: &str,
    req: &ReportRequest,
) -> Result<Prepared, ReportError> {
    let (_, found) = scan_of(db, slug, req.year).await?;
    let scan_id = Some(found.id);
    let inputs = db::score_inputs(db, slug.trim(), req.year).await?;
    let org = &inputs.organisation;
    let advice = match req.kind {
        ReportKind::Advice => match db::advice_of_scan(db, found.id).await? {
            Some(stored) => Some(Advice::from_stored(stored)),
            None => {
                return Err(ReportError::NotFound(format!(
                    "no advice is stored for `{}` {}: enter it with `blendscan advice set --org {} --year {} FILE`",
                    org.slug, req.year, org.slug, req.year
                )));
            }
        },
        _ => None,
    };
    let score =
        Scorer::new(catalogue, config.clone()).score(&inputs.current, inputs.previous.as_ref());
    let subject = ScanSubject {
        catalogue,
        config,
        organisation_name: &org.name,
        organisation_slug: &org.slug,
        sector: org.sector.as_deref(),
        score: &score,
        scan: &inputs.current,
        advice: advice.as_ref(),
    };
    Ok(Prepared {
        data: data::scan_report(&subject, req.kind, req.lang, req.generated)?,
        scan_id,
        federation_id: None,
        slug: org.slug.clone(),
    })
}

async fn benchmark(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    config: &ScoringConfig,
    key: &str,
    req: &ReportRequest,
) -> Result<Prepared, ReportError> {
    let (federation, scans) =
        db::benchmark_inputs(db, key, req.year)
            .await
            .map_err(|e| match e {
                db::DbError::NotFound { .. } => ReportError::NotFound(format!(
                    "federation `{}` does not exist (see `blendscan org list`)",
                    key.trim()
                )),
                other => other.into(),
            })?;
    if scans.is_empty() {
        return Err(ReportError::NotFound(format!(
            "federation `{}` has no member with a scan for {}",
            federation.slug, req.year
        )));
    }
    let scorer = Scorer::new(catalogue, config.clone());
    let input = |year, scans| BenchmarkInput {
        federation: federation.slug.clone(),
        year,
        sector: None,
        member: None,
        scans,
    };
    let report = scorer.benchmark(&input(req.year, scans))?;
    let (_, earlier) = db::benchmark_inputs(db, key, req.year - 1).await?;
    let previous = if earlier.is_empty() {
        None
    } else {
        Some(scorer.benchmark(&input(req.year - 1, earlier))?)
    };
    let subject = BenchmarkSubject {
        catalogue,
        config,
        federation_name: &federation.name,
        federation_slug: &federation.slug,
        report: &report,
        previous: previous.as_ref(),
    };
    Ok(Prepared {
        data: data::benchmark_report(&subject, req.lang, req.generated)?,
        scan_id: None,
        federation_id: Some(federation.id),
        slug: federation.slug.clone(),
    })
}
