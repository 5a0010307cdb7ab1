//! Bounds checks for the formats calamine reads as a whole (.xls, .ods): it builds a dense grid of every
//! sheet, as large as the cell furthest away, before blendscan sees a single cell. A file of a few kB can
//! name a cell at row 65,535 and column 65,535 (.xls) or repeat one cell a billion times (.ods), and the
//! grid alone would take gigabytes, or abort the process. These scans read the file's own structure —
//! BIFF records, `content.xml` events — without building anything, and refuse a file that reaches beyond
//! the import's limits before calamine is called. The .ods scan also counts the text calamine would copy
//! into every repeated cell, against the import's text budget.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::budget::{self, TextBudget};
use super::report::echo;
use super::{ImportError, Limits, msg};

/// How far one sheet of the file reaches: the furthest row and column that hold a cell (0-based).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub last_row: u64,
    pub last_col: u64,
}

fn too_far(file_name: &str, extent: Extent, limits: &Limits) -> Result<(), ImportError> {
    if limits.row_beyond(extent.last_row) {
        return Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "geweigerd: een blad heeft een cel in rij {}, voorbij de limiet van {} rijen met respondenten per import",
                    extent.last_row + 1,
                    limits.max_rows
                ),
                format!(
                    "refused: a sheet has a cell in row {}, beyond the limit of {} respondent rows per import",
                    extent.last_row + 1,
                    limits.max_rows
                ),
            ),
        ));
    }
    if limits.column_beyond(extent.last_col) {
        return Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "geweigerd: een blad heeft een cel in kolom {}, voorbij de limiet van {} kolommen per import",
                    extent.last_col + 1,
                    limits.max_columns
                ),
                format!(
                    "refused: a sheet has a cell in column {}, beyond the limit of {} columns per import",
                    extent.last_col + 1,
                    limits.max_columns
                ),
            ),
        ));
    }
    Ok(())
}

fn damaged(file_name: &str, detail: impl std::fmt::Display) -> ImportError {
    // A parser's message can quote the file (an element name of megabytes).
    let detail = echo(&detail.to_string());
    ImportError::file(
        file_name,
        msg(
            format!(
                "het bestand is beschadigd of afgebroken; sla het opnieuw op vanuit het rekenblad (technische melding: {detail})"
            ),
            format!(
                "the file is damaged or cut off ({detail}); save it again from the spreadsheet program"
            ),
        ),
    )
}

/// Check an .xls file (BIFF5/BIFF8 in a compound file) before calamine reads it.
pub fn check_xls(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(file_name, e))?;
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|p| cfb.is_stream(p))
        .ok_or_else(|| damaged(file_name, "no Workbook stream"))?;
    let mut workbook = Vec::new();
    cfb.open_stream(stream)
        .map_err(|e| damaged(file_name, e))?
        .take(limits.max_file_bytes as u64 * 2)
        .read_to_end(&mut workbook)
        .map_err(|e| damaged(file_name, e))?;
    let (declared, cells) = xls_extent(&workbook);
    // What no .xls file can hold (BIFF8: 65,536 rows × 256 columns): calamine reserves memory for it.
    if declared.last_row >= 1 << 16 || declared.last_col >= 1 << 8 {
        return Err(damaged(
            file_name,
            format!(
                "a sheet declares {} rows × {} columns, more than an .xls file can hold",
                declared.last_row.saturating_add(1),
                declared.last_col.saturating_add(1)
            ),
        ));
    }
    too_far(file_name, cells, limits)?;
    budget::check_xls(&workbook, limits)
}

/// How far the records of a BIFF stream reach: the sheet size the DIMENSIONS records declare (which
/// calamine reserves memory for), and the furthest cell with a value (which calamine's grid spans).
/// A record cut off at the end is left to calamine.
pub fn xls_extent(stream: &[u8]) -> (Extent, Extent) {
    let u16_at = |d: &[u8], i: usize| {
        d.get(i..i + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |d: &[u8], i: usize| {
        d.get(i..i + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let reach = |extent: &mut Extent, row: u64, col: u64| {
        extent.last_row = extent.last_row.max(row);
        extent.last_col = extent.last_col.max(col);
    };
    let (mut declared, mut cells) = (Extent::default(), Extent::default());
    let mut at = 0;
    while at + 4 <= stream.len() {
        let typ = u16_at(stream, at);
        let len = u16_at(stream, at + 2) as usize;
        let data = &stream[at + 4..(at + 4 + len).min(stream.len())];
        match typ {
            // DIMENSIONS (BIFF8): first row, last row + 1 (u32), first column, last column + 1 (u16)
            0x0200 if data.len() >= 14 => reach(
                &mut declared,
                u64::from(u32_at(data, 4).saturating_sub(1)),
                u64::from(u16_at(data, 10).saturating_sub(1)),
            ),
            // DIMENSIONS (BIFF5): the same in u16
            0x0200 if data.len() >= 10 => reach(
                &mut declared,
                u64::from(u16_at(data, 2).saturating_sub(1)),
                u64::from(u16_at(data, 6).saturating_sub(1)),
            ),
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: row, column
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if data.len() >= 4 => {
                reach(
                    &mut cells,
                    u64::from(u16_at(data, 0)),
                    u64::from(u16_at(data, 2)),
                );
            }
            // MULRK: row, first column, …, last column
            0x00BD if data.len() >= 6 => reach(
                &mut cells,
                u64::from(u16_at(data, 0)),
                u64::from(u16_at(data, data.len() - 2)),
            ),
            _ => {}
        }
        at += 4 + len;
    }
    (declared, cells)
}

/// What the scan of an .ods file found: how far its sheets reach, and the merged cells of each sheet
/// (calamine reports none for .ods), as (sheet, first cell, last cell), zero-based.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OdsScan {
    pub extent: Extent,
    pub merged: Vec<Merged>,
    /// The refusal at the cell where the file's text passed the budget; the scan stops there.
    pub text_over: Option<ImportError>,
}

/// Merged cells of one sheet: first and last cell, (row, column), zero-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub sheet: String,
    pub start: (u32, u32),
    pub end: (u32, u32),
}

/// At most this many merged regions are kept per file: enough to report a merged header.
const MAX_MERGED: usize = 1_000;

/// Check an .ods file before calamine reads it: walk `content.xml` and find the furthest cell with
/// content, counting `number-rows-repeated` and `number-columns-repeated`, and the merged cells.
pub fn check_ods(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<OdsScan, ImportError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(file_name, e))?;
    let content = archive
        .by_name("content.xml")
        .map_err(|e| damaged(file_name, e))?;
    let mut scan = ods_scan(BufReader::new(content), limits).map_err(|e| damaged(file_name, e))?;
    if let Some(e) = scan.text_over.take() {
        return Err(e);
    }
    too_far(file_name, scan.extent, limits)?;
    Ok(scan)
}

/// A cell of `content.xml` being scanned.
struct OpenCell {
    first_col: u64,
    cols_rep: u64,
    /// Whether it holds anything.
    content: bool,
    /// Its text as calamine copies it: string value, formula, and the paragraphs of a text cell.
    text: u64,
    /// Whether it is a text cell (or an error), whose paragraphs calamine copies.
    paragraphs: bool,
}

/// Scan an ODF `content.xml`: the furthest cell with content over every table, merged cells, and the
/// text of every cell times its repeats (spaces as many as `text:s` says) against the text budget.
pub fn ods_scan(xml: impl std::io::BufRead, limits: &Limits) -> Result<OdsScan, quick_xml::Error> {
    fn repeated(e: &BytesStart<'_>, name: &str) -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.into_inner() == name)
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1u64)
            .max(1)
    }
    fn has_value(e: &BytesStart<'_>) -> bool {
        e.attributes()
            .flatten()
            .any(|a| a.key.into_inner() == "office:value-type")
    }
    fn attr_is(e: &BytesStart<'_>, name: &str, value: &str) -> bool {
        e.attributes()
            .flatten()
            .any(|a| a.key.into_inner() == name && a.value == value)
    }
    fn attr_len(e: &BytesStart<'_>, name: &str) -> u64 {
        e.attributes()
            .flatten()
            .filter(|a| a.key.into_inner() == name)
            .map(|a| a.value.len() as u64)
            .sum()
    }
    fn table_name(e: &BytesStart<'_>) -> String {
        e.attributes()
            .flatten()
            .find(|a| a.key.into_inner() == "table:name")
            .map(|a| a.value.into_owned())
            .unwrap_or_default()
    }
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut extent = Extent::default();
    let mut merged = Vec::new();
    let (mut sheet, mut shown_sheet) = (String::new(), String::new());
    let (mut budget, mut text_over) = (TextBudget::new(limits), None);
    // Position of the current row (its first repetition), its repeat count, and the next column.
    let (mut row, mut rows_rep, mut col) = (0u64, 1u64, 0u64);
    let mut cell: Option<OpenCell> = None;
    // The text of a cell at (row, col), repeated, as calamine copies it.
    let mut spend = |sheet: &str, row: u64, col: u64, text: u64, repeats: u64| {
        // A position past any sheet (a hostile repeat count) is named as the last one a sheet has.
        let place = |v: u64| v.min(u64::from(u32::MAX)) as usize;
        let bytes = usize::try_from(text.saturating_mul(repeats)).unwrap_or(usize::MAX);
        budget.spend(sheet, place(row), place(col), bytes)
    };
    let mut reach = |row: u64, rows_rep: u64, first_col: u64, cols_rep: u64| {
        extent.last_row = extent.last_row.max(row.saturating_add(rows_rep - 1));
        extent.last_col = extent.last_col.max(first_col.saturating_add(cols_rep - 1));
    };
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().into_inner() {
                    "table:table" => {
                        (row, rows_rep, col) = (0, 1, 0);
                        sheet = table_name(e);
                        shown_sheet = echo(&sheet);
                    }
                    "table:table-row" => {
                        rows_rep = repeated(e, "table:number-rows-repeated");
                        col = 0;
                        if empty {
                            row = row.saturating_add(rows_rep);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let cols_rep = repeated(e, "table:number-columns-repeated");
                        let spans = (
                            repeated(e, "table:number-rows-spanned"),
                            repeated(e, "table:number-columns-spanned"),
                        );
                        if spans != (1, 1) && merged.len() < MAX_MERGED {
                            let at = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
                            merged.push(Merged {
                                sheet: sheet.clone(),
                                start: (at(row), at(col)),
                                end: (
                                    at(row.saturating_add(spans.0 - 1)),
                                    at(col.saturating_add(spans.1 - 1)),
                                ),
                            });
                        }
                        let text =
                            attr_len(e, "office:string-value") + attr_len(e, "table:formula");
                        if empty {
                            if has_value(e) {
                                reach(row, rows_rep, col, cols_rep);
                            }
                            let repeats = cols_rep.saturating_mul(rows_rep);
                            if let Err(over) = spend(&shown_sheet, row, col, text, repeats) {
                                text_over = Some(over);
                                break;
                            }
                        } else {
                            cell = Some(OpenCell {
                                first_col: col,
                                cols_rep,
                                content: has_value(e),
                                text,
                                paragraphs: attr_is(e, "office:value-type", "string")
                                    || attr_is(e, "calcext:value-type", "error"),
                            });
                        }
                        col = col.saturating_add(cols_rep);
                    }
                    name => {
                        // Any element inside a cell (text:p, …) is content.
                        if let Some(c) = cell.as_mut() {
                            c.content = true;
                            if name == "text:s" && c.paragraphs {
                                c.text = c.text.saturating_add(repeated(e, "text:c"));
                            }
                        }
                    }
                }
            }
            Event::Text(t) if cell.is_some() => {
                if let Some(c) = cell.as_mut() {
                    c.content |= !t.trim().is_empty();
                    if c.paragraphs {
                        c.text = c.text.saturating_add(t.len() as u64);
                    }
                }
            }
            Event::End(e) => match e.name().into_inner() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        if c.content {
                            reach(row, rows_rep, c.first_col, c.cols_rep);
                        }
                        let repeats = c.cols_rep.saturating_mul(rows_rep);
                        if let Err(over) = spend(&shown_sheet, row, c.first_col, c.text, repeats) {
                            text_over = Some(over);
                            break;
                        }
                    }
                }
                "table:table-row" => row = row.saturating_add(rows_rep),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(OdsScan {
        extent,
        merged,
        text_over,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn xls_extent_counts_dimensions_and_cells() {
        let mut s = record(0x0809, &[0; 16]);
        // DIMENSIONS rows 0..10, columns 0..5
        s.extend(record(0x0200, &[0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 5, 0, 0, 0]));
        // NUMBER at row 7, column 3
        s.extend(record(0x0203, &[7, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        // MULRK at row 8, columns 1..12
        s.extend(record(0x00BD, &[8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 12, 0]));
        assert_eq!(
            xls_extent(&s),
            (
                Extent {
                    last_row: 9,
                    last_col: 4
                },
                Extent {
                    last_row: 8,
                    last_col: 12
                }
            )
        );
        // A lying DIMENSIONS record reaches as far as it claims.
        s.extend(record(
            0x0200,
            &[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0],
        ));
        assert_eq!(xls_extent(&s).0.last_row, u64::from(u32::MAX) - 1);
    }

    #[test]
    fn ods_extent_counts_repeats_of_cells_with_content_only() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="Blad1">
              <table:table-row><table:table-cell office:value-type="string"><text:p>Naam</text:p></table:table-cell>
                <table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="float" office:value="3"/>
                <table:table-cell table:number-columns-repeated="1019"/></table:table-row>
              <table:table-row table:number-rows-repeated="5"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
              <table:table-row><table:table-cell/><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>
              <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert_eq!(
            ods_scan(xml.as_bytes(), &Limits::default())
                .expect("xml")
                .extent,
            Extent {
                last_row: 6,
                last_col: 4
            }
        );
        let bomb = r#"<table:table><table:table-row table:number-rows-repeated="1000000">
            <table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>
            </table:table-row></table:table>"#;
        assert_eq!(
            ods_scan(bomb.as_bytes(), &Limits::default())
                .expect("xml")
                .extent,
            Extent {
                last_row: 999_999,
                last_col: 16_383
            }
        );
    }

    #[test]
    fn ods_text_counts_every_repeat_of_a_cell_and_names_the_cell() {
        let limits = Limits {
            max_text_bytes: 100_000,
            ..Limits::default()
        };
        // 10 characters (and 5 spaces) in 3 columns of 2,000 rows: 90,000 bytes; a formula adds 11.
        let xml = r#"<table:table table:name="Blad1">
            <table:table-row><table:table-cell office:value-type="string"><text:p>Naam</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="2000"><table:table-cell/>
              <table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>0123<text:s text:c="5"/>456789</text:p></table:table-cell>
            </table:table-row>
            <table:table-row><table:table-cell table:formula="of:=1+[.A1]" office:value-type="float" office:value="1"/></table:table-row>
            </table:table>"#;
        let scan = ods_scan(xml.as_bytes(), &limits).expect("xml");
        assert_eq!(scan.text_over, None);
        assert_eq!(scan.extent.last_row, 2001);
        let limits = Limits {
            max_text_bytes: 90_000,
            ..limits
        };
        let over = ods_scan(xml.as_bytes(), &limits)
            .expect("xml")
            .text_over
            .expect("over the budget");
        assert_eq!(over.place, "Blad1!B2");
        assert!(
            over.message
                .nl
                .starts_with("het bestand bevat meer dan 90000 bytes tekst")
        );
        // A single cell of a billion spaces is counted as such, before calamine builds it.
        let spaces = r#"<table:table table:name="B"><table:table-row>
            <table:table-cell office:value-type="string"><text:p><text:s text:c="1000000000"/></text:p></table:table-cell>
            </table:table-row></table:table>"#;
        let scan = ods_scan(spaces.as_bytes(), &Limits::default()).expect("xml");
        assert_eq!(scan.text_over.map(|e| e.place).as_deref(), Some("B!A1"));
        let far = spaces.replace(
            "<table:table-row>",
            r#"<table:table-row table:number-rows-repeated="18446744073709551615"/><table:table-row>"#,
        );
        let scan = ods_scan(far.as_bytes(), &Limits::default()).expect("xml");
        assert_eq!(
            scan.text_over.map(|e| e.place).as_deref(),
            Some("B!A4294967296")
        );
    }
}
