//! Reading a spreadsheet file into a [`Table`]: the format is sniffed from its bytes and name, zip
//! containers are checked against decompression bombs before parsing, and every size limit is enforced
//! while reading so a hostile file cannot exhaust memory.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};
use std::sync::Arc;

use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsb, Xlsx};

use super::budget::TextBudget;
use super::report::echo;
use super::table::{Cell, Table, a1};
use super::{ImportError, Limits, msg};
use super::{bounds, csv_text};

/// The formats blendscan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
}

/// Decide the format from the magic bytes, with the extension to tell zip-based formats apart.
pub fn detect(file_name: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| echo(&e.to_ascii_lowercase()))
        .unwrap_or_default();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    match (ext.as_str(), is_zip, is_ole) {
        // An .xlsx saved under the old .xls name (Excel opens it, so do we).
        ("xlsx" | "xlsm" | "xls", true, _) => Ok(Format::Xlsx),
        ("xlsb", true, _) => Ok(Format::Xlsb),
        ("ods", true, _) => Ok(Format::Ods),
        ("xls", _, true) => Ok(Format::Xls),
        ("csv" | "tsv" | "txt", false, false) => Ok(Format::Csv),
        (_, true, _) => Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "dit is een zip-bestand, maar `.{ext}` is geen rekenbladextensie die blendscan leest (xlsx, xlsm, xlsb, ods)"
                ),
                format!(
                    "this is a zip file, but `.{ext}` is not a spreadsheet extension blendscan reads (xlsx, xlsm, xlsb, ods)"
                ),
            ),
        )),
        (_, _, true) => Err(ImportError::file(
            file_name,
            msg(
                format!("dit is een oud Office-bestand, maar `.{ext}` is geen .xls"),
                format!("this is an old Office file, but `.{ext}` is not .xls"),
            ),
        )),
        ("xlsx" | "xlsm" | "xlsb" | "ods" | "xls", _, _) => Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "het bestand is geen geldig .{ext}-bestand (het is mogelijk beschadigd of afgebroken); sla het opnieuw op vanuit het rekenblad"
                ),
                format!(
                    "the file is not a valid .{ext} file (it may be damaged or cut off); save it again from the spreadsheet program"
                ),
            ),
        )),
        _ => Err(ImportError::file(
            file_name,
            msg(
                "onbekend bestandstype: gebruik .xlsx, .xlsm, .xls, .xlsb, .ods, .csv of .tsv",
                "unknown file type: use .xlsx, .xlsm, .xls, .xlsb, .ods, .csv or .tsv",
            ),
        )),
    }
}

/// Check a zip container's directory before any decompression: total size and compression ratio.
pub fn guard_zip(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let damaged = |e: zip::result::ZipError| {
        ImportError::file(
            file_name,
            msg(
                format!(
                    "het bestand is beschadigd of afgebroken; sla het opnieuw op vanuit het rekenblad (technische melding: {e})"
                ),
                format!(
                    "the file is damaged or cut off ({e}); save it again from the spreadsheet program"
                ),
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(damaged)?;
        let size = entry.size();
        total = total.saturating_add(size);
        let ratio = size / entry.compressed_size().max(1);
        if size > 1 << 20 && ratio > limits.max_compression_ratio {
            return Err(ImportError::file(
                file_name,
                msg(
                    format!(
                        "geweigerd: onderdeel `{}` zou {ratio}× uitzetten tot {} MB bij het uitpakken, een teken van een zipbom",
                        echo(&entry.name().unwrap_or_default()),
                        size >> 20
                    ),
                    format!(
                        "refused: part `{}` would expand {ratio}× to {} MB, a sign of a zip bomb",
                        echo(&entry.name().unwrap_or_default()),
                        size >> 20
                    ),
                ),
            ));
        }
    }
    if total > limits.max_uncompressed_bytes {
        return Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "geweigerd: het bestand zou uitgepakt {} MB groot worden, meer dan de limiet van {} MB",
                    total >> 20,
                    limits.max_uncompressed_bytes >> 20
                ),
                format!(
                    "refused: the file would expand to {} MB, more than the limit of {} MB",
                    total >> 20,
                    limits.max_uncompressed_bytes >> 20
                ),
            ),
        ));
    }
    Ok(())
}

/// Read the chosen sheet (or the first one with data) into a table.
pub fn read_table(
    file_name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Table, ImportError> {
    let format = detect(file_name, bytes)?;
    if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        guard_zip(file_name, bytes, limits)?;
    }
    let damaged = |e: String| {
        let e = echo(&e);
        ImportError::file(
            file_name,
            msg(
                format!(
                    "het bestand kan niet gelezen worden; het is mogelijk beschadigd — sla het opnieuw op vanuit het rekenblad (technische melding: {e})"
                ),
                format!(
                    "cannot read the file ({e}); it may be damaged — save it again from the spreadsheet program"
                ),
            ),
        )
    };
    match format {
        Format::Csv => {
            if let Some(s) = sheet {
                return Err(ImportError::file(
                    file_name,
                    msg(
                        format!("--sheet {s}: een CSV-bestand heeft geen bladen"),
                        format!("--sheet {s}: a CSV file has no sheets"),
                    ),
                ));
            }
            csv_text::read(file_name, bytes, limits)
        }
        Format::Xlsx => {
            let mut wb: Xlsx<_> =
                Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            let name = choose_sheet(file_name, &wb.sheet_names(), sheet)?;
            let mut table = Table {
                sheet: echo(&name),
                ..Table::default()
            };
            let (mut budget, mut shared) = (TextBudget::new(limits), SharedTexts::default());
            {
                let mut cells = wb
                    .worksheet_cells_reader(&name)
                    .map_err(|e| damaged(e.to_string()))?;
                while let Some(c) = cells
                    .next_cell_with_formula()
                    .map_err(|e| damaged(e.to_string()))?
                {
                    let (r, col) = c.pos;
                    let formula = c.formula.filter(|f| !f.is_empty());
                    // Only cells with a value or a formula count against the limits: Excel leaves
                    // formatted empty cells down to row 1,048,576.
                    if formula.is_none() && matches!(c.value, DataRef::Empty) {
                        continue;
                    }
                    check_bounds(file_name, &table.sheet, r, col, limits)?;
                    check_length(
                        &table.sheet,
                        r as usize,
                        col as usize,
                        ref_text(&c.value),
                        limits,
                    )?;
                    if let Some(f) = formula {
                        check_length(&table.sheet, r as usize, col as usize, &f, limits)?;
                        budget.spend(&table.sheet, r as usize, col as usize, f.len())?;
                        table.formulas.push(((r, col), f));
                    }
                    store(&mut table, &mut budget, (r, col), shared.cell(c.value))?;
                }
            }
            if let Ok(regions) = wb.merge_cells_by_sheet_name(&name) {
                table.merged = regions.into_iter().map(|d| (d.start, d.end)).collect();
            }
            Ok(table)
        }
        Format::Xlsb => {
            let mut wb: Xlsb<_> =
                Xlsb::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            let name = choose_sheet(file_name, &wb.sheet_names(), sheet)?;
            let mut table = Table {
                sheet: echo(&name),
                ..Table::default()
            };
            let (mut budget, mut shared) = (TextBudget::new(limits), SharedTexts::default());
            {
                let mut cells = wb
                    .worksheet_cells_reader(&name)
                    .map_err(|e| damaged(e.to_string()))?;
                while let Some(c) = cells.next_cell().map_err(|e| damaged(e.to_string()))? {
                    let (r, col) = c.get_position();
                    check_bounds(file_name, &table.sheet, r, col, limits)?;
                    check_length(
                        &table.sheet,
                        r as usize,
                        col as usize,
                        ref_text(c.get_value()),
                        limits,
                    )?;
                    let cell = shared.cell(c.get_value().clone());
                    store(&mut table, &mut budget, (r, col), cell)?;
                }
            }
            Ok(table)
        }
        Format::Xls => {
            bounds::check_xls(file_name, bytes, limits)?;
            let wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            let merged =
                |wb: &Xls<_>, name: &str| wb.merge_cells_by_sheet_name(name).unwrap_or_default();
            let mut table = read_ranged(file_name, wb, sheet, limits, merged)?;
            table.xls = true;
            Ok(table)
        }
        Format::Ods => {
            let scan = bounds::check_ods(file_name, bytes, limits)?;
            let wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            // calamine reports no merged cells for .ods: they come from the scan of content.xml.
            let merged = |_: &Ods<_>, name: &str| {
                scan.merged
                    .iter()
                    .filter(|m| m.sheet == name)
                    .map(|m| calamine::Dimensions::new(m.start, m.end))
                    .collect()
            };
            read_ranged(file_name, wb, sheet, limits, merged)
        }
    }
}

/// Formats without a streaming reader: read the whole range (after [`bounds`] has checked how far the
/// file reaches), then bound-check it.
fn read_ranged<RS, R>(
    file_name: &str,
    mut wb: R,
    sheet: Option<&str>,
    limits: &Limits,
    merged: impl Fn(&R, &str) -> Vec<calamine::Dimensions>,
) -> Result<Table, ImportError>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let name = choose_sheet(file_name, &wb.sheet_names(), sheet)?;
    let mut table = Table {
        sheet: echo(&name),
        ..Table::default()
    };
    let range = wb.worksheet_range(&name).map_err(|e| {
        let (sheet, e) = (&table.sheet, echo(&e.to_string()));
        ImportError::file(
            file_name,
            msg(
                format!("blad {sheet} kan niet gelezen worden: {e}"),
                format!("cannot read sheet {sheet}: {e}"),
            ),
        )
    })?;
    let mut budget = TextBudget::new(limits);
    if let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) {
        check_bounds(file_name, &table.sheet, r1, c1, limits)?;
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r0 + r as u32, c0 + c as u32);
                check_length(&table.sheet, r as usize, c as usize, data_text(v), limits)?;
                store(&mut table, &mut budget, (r, c), from_data(v))?;
            }
        }
    }
    if let Ok(formulas) = wb.worksheet_formula(&name)
        && let Some((r0, c0)) = formulas.start()
    {
        for (r, row) in formulas.rows().enumerate() {
            for (c, f) in row.iter().enumerate() {
                if !f.is_empty() {
                    let at = (r0 + r as u32, c0 + c as u32);
                    check_length(&table.sheet, at.0 as usize, at.1 as usize, f, limits)?;
                    budget.spend(&table.sheet, at.0 as usize, at.1 as usize, f.len())?;
                    table.formulas.push((at, f.clone()));
                }
            }
        }
    }
    table.merged = merged(&wb, &name)
        .into_iter()
        .map(|d| (d.start, d.end))
        .collect();
    Ok(table)
}

/// The names of a workbook's sheets (none for CSV), after the same guards as [`read_table`].
pub fn sheet_names(
    file_name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<String>, ImportError> {
    let damaged = |e: String| {
        ImportError::file(
            file_name,
            msg(
                format!(
                    "het bestand kan niet gelezen worden; het is mogelijk beschadigd — sla het opnieuw op vanuit het rekenblad (technische melding: {})",
                    echo(&e)
                ),
                format!(
                    "cannot read the file ({}); it may be damaged — save it again from the spreadsheet program",
                    echo(&e)
                ),
            ),
        )
    };
    Ok(match detect(file_name, bytes)? {
        Format::Csv => Vec::new(),
        Format::Xlsx => {
            guard_zip(file_name, bytes, limits)?;
            let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            wb.sheet_names()
        }
        Format::Xlsb => {
            guard_zip(file_name, bytes, limits)?;
            let wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            wb.sheet_names()
        }
        Format::Xls => {
            bounds::check_xls(file_name, bytes, limits)?;
            let wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            wb.sheet_names()
        }
        Format::Ods => {
            guard_zip(file_name, bytes, limits)?;
            bounds::check_ods(file_name, bytes, limits)?;
            let wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
            wb.sheet_names()
        }
    })
}

fn choose_sheet(
    file_name: &str,
    names: &[String],
    wanted: Option<&str>,
) -> Result<String, ImportError> {
    match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(w.trim()))
            .cloned()
            .ok_or_else(|| {
                let (w, names) = (echo(w), echo(&names.join(", ")));
                ImportError::file(
                    file_name,
                    msg(
                        format!("--sheet {w}: dat blad bestaat niet; het bestand heeft {names}"),
                        format!("--sheet {w}: no such sheet; the file has {names}"),
                    ),
                )
            }),
        None => names.first().cloned().ok_or_else(|| {
            ImportError::file(
                file_name,
                msg("de werkmap heeft geen bladen", "the workbook has no sheets"),
            )
        }),
    }
}

fn check_bounds(
    file_name: &str,
    sheet: &str,
    row: u32,
    col: u32,
    limits: &Limits,
) -> Result<(), ImportError> {
    if limits.row_beyond(u64::from(row)) {
        return Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "blad {sheet} heeft meer dan {} rijen met respondenten (rij {}), de limiet per import",
                    limits.max_rows,
                    row + 1
                ),
                format!(
                    "sheet {sheet} has more than {} respondent rows (row {}), the limit per import",
                    limits.max_rows,
                    row + 1
                ),
            ),
        ));
    }
    if limits.column_beyond(u64::from(col)) {
        return Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "blad {sheet} heeft meer dan {} kolommen, de limiet per import",
                    limits.max_columns
                ),
                format!(
                    "sheet {sheet} has more than {} columns, the limit per import",
                    limits.max_columns
                ),
            ),
        ));
    }
    Ok(())
}

/// Refuse a cell whose text is longer than the limit, before the text is copied anywhere. The error
/// names the cell but does not repeat its text, which may be personal data.
pub(super) fn check_length(
    sheet: &str,
    row: usize,
    col: usize,
    text: &str,
    limits: &Limits,
) -> Result<(), ImportError> {
    if !limits.cell_too_long(text) {
        return Ok(());
    }
    let max = limits.max_cell_chars;
    Err(ImportError::cell(
        format!("{sheet}!{}", a1(row, col)),
        msg(
            format!("de cel bevat meer dan {max} tekens, de limiet per cel"),
            format!("the cell holds more than {max} characters, the limit per cell"),
        ),
    ))
}

/// Put a cell in the table unless it is empty, once its text fits in what is left of the budget.
fn store(
    table: &mut Table,
    budget: &mut TextBudget,
    (row, col): (u32, u32),
    cell: Cell,
) -> Result<(), ImportError> {
    if cell.is_empty() {
        return Ok(());
    }
    let (row, col) = (row as usize, col as usize);
    budget.spend(&table.sheet, row, col, cell.text_bytes())?;
    table.set(row, col, cell);
    Ok(())
}

/// One [`Arc<str>`] per shared string of a workbook, so a text a thousand cells point to is held once.
/// Keyed by where the string lies in calamine's table of shared strings, which stays put while a sheet
/// is read: no text is hashed.
#[derive(Default)]
struct SharedTexts(HashMap<(usize, usize), Arc<str>>);

impl SharedTexts {
    fn cell(&mut self, v: DataRef<'_>) -> Cell {
        match v {
            DataRef::SharedString(s) => {
                let key = (s.as_ptr().addr(), s.len());
                Cell::Text(Arc::clone(self.0.entry(key).or_insert_with(|| s.into())))
            }
            v => from_ref(v),
        }
    }
}

/// The text a cell holds, to check its length before it is copied; empty for numbers and the like.
fn ref_text<'a>(v: &'a DataRef<'_>) -> &'a str {
    match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
        DataRef::SharedString(s) => s,
        _ => "",
    }
}

fn data_text(v: &Data) -> &str {
    match v {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s,
        _ => "",
    }
}

fn from_ref(v: DataRef<'_>) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::String(s) => Cell::Text(s.into()),
        DataRef::SharedString(s) => Cell::Text(s.into()),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(d) => d
            .as_datetime()
            .map(Cell::Date)
            .unwrap_or(Cell::Number(d.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.into()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.as_str().into()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => d
            .as_datetime()
            .map(Cell::Date)
            .unwrap_or(Cell::Number(d.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.as_str().into()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}
