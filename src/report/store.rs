//! Render a report and keep it: what `blendscan report`, the demo and the service share.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::{Renderer, ReportError, ReportRequest, prepare};
use crate::db;
use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::ScoringConfig;

/// Prepare and render (off the async runtime) page `page` (1-based) of a report as SVG; `None` when
/// it has fewer pages. Nothing is stored.
pub async fn render_preview(
    conn: &DatabaseConnection,
    catalogue: &Catalogue,
    config: &ScoringConfig,
    renderer: &Arc<Renderer>,
    req: &ReportRequest,
    page: usize,
) -> Result<Option<String>, ReportError> {
    let prepared = prepare(conn, catalogue, config, req).await?;
    renderer.preview_async(prepared.data, page).await
}

/// Prepare, render (off the async runtime) and — when `store` — keep one report; returns the PDF.
/// An identical PDF is stored once.
pub async fn render_and_store(
    conn: &DatabaseConnection,
    catalogue: &Catalogue,
    config: &ScoringConfig,
    renderer: &Arc<Renderer>,
    req: &ReportRequest,
    store: bool,
) -> Result<Vec<u8>, ReportError> {
    let prepared = prepare(conn, catalogue, config, req).await?;
    let pdf = renderer.render_async(prepared.data).await?;
    if store {
        db::store_report(
            conn,
            &db::NewReport {
                scan_id: prepared.scan_id,
                federation_id: prepared.federation_id,
                year: req.year,
                kind: req.kind.code(),
                lang: req.lang.code(),
                pdf: &pdf,
            },
        )
        .await?;
    }
    Ok(pdf)
}
