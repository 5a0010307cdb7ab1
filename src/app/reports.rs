//! Building a benchmark and rendering a report: from a request (kind, organisation or federation,
//! year, language, date) to the template data, then to a PDF or a preview, kept when asked.

use chrono::NaiveDate;

use super::{App, Error, Result};
use crate::db::{self, Federation};
use crate::domain::scoring::{BenchmarkInput, BenchmarkReport, Scorer};
use crate::domain::text::Lang;
use crate::report::advice::Advice;
use crate::report::data::{self, BenchmarkSubject, ScanSubject};
use crate::report::{ReportData, ReportKind};

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

/// Which benchmark.
#[derive(Debug, Clone)]
pub struct BenchmarkRequest {
    /// The federation, by slug or name.
    pub federation: String,
    pub year: i32,
    /// Only the members of this sector.
    pub sector: Option<String>,
    /// Add the own row of this member (by slug).
    pub member: Option<String>,
}

impl App {
    /// The anonymised benchmark of a federation's members in a year.
    pub async fn benchmark(&self, req: &BenchmarkRequest) -> Result<(Federation, BenchmarkReport)> {
        let (federation, scans) =
            db::scores::benchmark_inputs(&self.db, &req.federation, req.year).await?;
        if scans.is_empty() {
            return Err(Error::NoMemberScans {
                federation: federation.slug,
                year: req.year,
            });
        }
        let input = BenchmarkInput {
            federation: federation.slug.clone(),
            year: req.year,
            sector: req
                .sector
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            member: req
                .member
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            scans,
        };
        let report =
            Scorer::new(&self.catalogue, self.settings.scoring.clone()).benchmark(&input)?;
        Ok((federation, report))
    }

    /// Read, score and assemble the data of a report.
    pub async fn report_data(&self, req: &ReportRequest) -> Result<Prepared> {
        match (&req.subject, req.kind) {
            (Subject::Organisation(slug), ReportKind::SelfScan | ReportKind::Advice) => {
                self.scan_report(slug, req).await
            }
            (Subject::Federation(key), ReportKind::Benchmark) => {
                self.benchmark_report(key, None, req).await
            }
            // A member's benchmark: its federation's, with the member's own position.
            (Subject::Organisation(slug), ReportKind::Benchmark) => {
                let org = db::organisations::organisation_by_slug(&self.db, slug).await?;
                let federation = org
                    .federation
                    .clone()
                    .ok_or_else(|| Error::NoMembership(org.slug.clone()))?;
                self.benchmark_report(&federation, Some(&org), req).await
            }
            (Subject::Federation(_), kind) => Err(Error::WrongSubject {
                kind: kind.code(),
                for_federation: false,
            }),
        }
    }

    /// Render a report (off the async runtime) and, when `store`, keep it (an identical PDF is
    /// stored once); the PDF. A kept report whose data, date and templates are unchanged is served
    /// from storage instead of rendered again.
    pub async fn render_report(&self, req: &ReportRequest, store: bool) -> Result<Vec<u8>> {
        if store {
            let (_, pdf) = self.render_and_keep_pdf(req).await?;
            return Ok(pdf);
        }
        let prepared = self.report_data(req).await?;
        Ok(self.renderer.render_async(prepared.data).await?)
    }

    /// Render a report and keep it; the stored report's id.
    pub(super) async fn render_and_keep(&self, req: &ReportRequest) -> Result<i32> {
        Ok(self.render_and_keep_pdf(req).await?.0)
    }

    async fn render_and_keep_pdf(&self, req: &ReportRequest) -> Result<(i32, Vec<u8>)> {
        let prepared = self.report_data(req).await?;
        let key = self.renderer.data_key(&prepared.data)?;
        if let Some(stored) = db::reports::report_by_data_key(&self.db, &key).await? {
            return Ok(stored);
        }
        let owner = (prepared.scan_id, prepared.federation_id);
        let pdf = self.renderer.render_async(prepared.data).await?;
        let id = self.keep(owner, req, &pdf, &key).await?;
        Ok((id, pdf))
    }

    /// Page `page` (1-based) of a report as SVG, rendered off the runtime; `None` when the report has
    /// fewer pages. Nothing is stored.
    pub async fn preview_report(&self, req: &ReportRequest, page: usize) -> Result<Option<String>> {
        let prepared = self.report_data(req).await?;
        Ok(self.renderer.preview_async(prepared.data, page).await?)
    }

    /// Keep a rendered report of `(scan, federation)`; its id.
    async fn keep(
        &self,
        (scan_id, federation_id): (Option<i32>, Option<i32>),
        req: &ReportRequest,
        pdf: &[u8],
        data_key: &str,
    ) -> Result<i32> {
        Ok(db::reports::store_report(
            &self.db,
            &db::reports::NewReport {
                scan_id,
                federation_id,
                year: req.year,
                kind: req.kind.code(),
                lang: req.lang.code(),
                pdf,
                data_key: Some(data_key),
            },
        )
        .await?)
    }

    async fn scan_report(&self, slug: &str, req: &ReportRequest) -> Result<Prepared> {
        // One read of the organisation, its scans and the answers: a missing scan fails here.
        let (inputs, score) = self.score_scan(slug, req.year).await?;
        let org = &inputs.organisation;
        let advice = match req.kind {
            ReportKind::Advice => Some(self.advice_of(org, inputs.scan_id, req.year).await?),
            _ => None,
        };
        let benchmark = self.position_benchmark(org, req.year).await?;
        let subject = ScanSubject {
            catalogue: &self.catalogue,
            config: &self.settings.scoring,
            organisation_name: &org.name,
            organisation_slug: &org.slug,
            sector: org.sector.as_deref(),
            score: &score,
            scan: &inputs.current,
            advice: advice.as_ref().map(|(a, _)| a),
            advice_version: advice.as_ref().map(|(_, v)| *v),
            comparison: benchmark
                .as_ref()
                .and_then(|b| data::comparison_group(b, org.sector.as_deref())),
        };
        Ok(Prepared {
            data: data::scan_report(&subject, req.kind, req.lang, req.generated)?,
            scan_id: Some(inputs.scan_id),
            federation_id: None,
            slug: org.slug.clone(),
        })
    }

    /// The federation's benchmark; with `member`, that member's own position beside it.
    async fn benchmark_report(
        &self,
        key: &str,
        member: Option<&db::Organisation>,
        req: &ReportRequest,
    ) -> Result<Prepared> {
        let request = |year, member: Option<&db::Organisation>| BenchmarkRequest {
            federation: key.to_owned(),
            year,
            sector: None,
            member: member.map(|m| m.slug.clone()),
        };
        let (federation, report) = self.benchmark(&request(req.year, member)).await?;
        let previous = match self.benchmark(&request(req.year - 1, None)).await {
            Ok((_, previous)) => Some(previous),
            Err(Error::NoMemberScans { .. }) => None,
            Err(e) => return Err(e),
        };
        let subject = BenchmarkSubject {
            catalogue: &self.catalogue,
            config: &self.settings.scoring,
            federation_name: &federation.name,
            federation_slug: &federation.slug,
            report: &report,
            previous: previous.as_ref(),
            member: member.map(|m| (m.slug.as_str(), m.name.as_str())),
        };
        // A member's page shows its own figures: kept with the member's scan, never among the
        // federation's reports.
        let member_scan = match member {
            Some(m) => db::scans::scan_in_year(&self.db, m.id, req.year)
                .await?
                .map(|s| s.id),
            None => None,
        };
        Ok(Prepared {
            data: data::benchmark_report(&subject, req.lang, req.generated)?,
            scan_id: member_scan,
            federation_id: member.is_none().then_some(federation.id),
            slug: match member {
                Some(m) => format!("{}-{}", federation.slug, m.slug),
                None => federation.slug.clone(),
            },
        })
    }

    /// The benchmark of the organisation's federation in `year`, for its position on the first
    /// page; `None` outside a federation. It reads every member's scan of the year: the cost of a
    /// federation benchmark (docs/benchmarks.md), paid once per organisation report.
    async fn position_benchmark(
        &self,
        org: &db::Organisation,
        year: i32,
    ) -> Result<Option<BenchmarkReport>> {
        let Some(federation) = &org.federation else {
            return Ok(None);
        };
        let req = BenchmarkRequest {
            federation: federation.clone(),
            year,
            sector: None,
            member: None,
        };
        match self.benchmark(&req).await {
            Ok((_, report)) => Ok(Some(report)),
            Err(Error::NoMemberScans { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The advice stored for a scan with its version, or [`Error::NoAdvice`].
    pub(super) async fn advice_of(
        &self,
        org: &db::Organisation,
        scan_id: i32,
        year: i32,
    ) -> Result<(Advice, i32)> {
        match db::advice::versioned_advice_of_scan(&self.db, scan_id).await? {
            Some((stored, version)) => Ok((Advice::from_stored(stored), version)),
            None => Err(Error::NoAdvice {
                organisation: org.slug.clone(),
                year,
            }),
        }
    }
}
