//! CSV and TSV: decoding (UTF-8 with or without BOM, Windows-1252 as Excel saves it on a Dutch PC)
//! and sniffing the delimiter among comma, semicolon and tab.

use super::budget::TextBudget;
use super::read::check_length;
use super::report::echo;
use super::table::{Cell, Table};
use super::{ImportError, Limits, msg};

/// Decode the bytes of a text file; returns the text and the name of the encoding found.
pub fn decode(file_name: &str, bytes: &[u8]) -> Result<(String, &'static str), ImportError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || looks_utf16(bytes) {
        return Err(ImportError::file(
            file_name,
            msg(
                "het bestand is UTF-16 (\"Unicode-tekst\"); sla het op als \"CSV UTF-8\" of als .xlsx en importeer dat",
                "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" or as .xlsx and import that",
            ),
        ));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_owned(), "UTF-8 (BOM)")),
            Err(e) => Err(ImportError::file(
                file_name,
                msg(
                    format!(
                        "het bestand zegt UTF-8 te zijn, maar byte {} is geen geldige UTF-8",
                        e.valid_up_to() + 3
                    ),
                    format!(
                        "the file says it is UTF-8 but byte {} is not valid UTF-8",
                        e.valid_up_to() + 3
                    ),
                ),
            )),
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), "UTF-8"));
    }
    // Bytes Windows-1252 leaves undefined: a file holding them is in some other encoding.
    if let Some(pos) = bytes
        .iter()
        .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
    {
        return Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "het bestand is geen UTF-8 en geen Windows-1252 (byte 0x{:02X} op positie {pos}); sla het op als \"CSV UTF-8\"",
                    bytes[pos]
                ),
                format!(
                    "the file is neither UTF-8 nor Windows-1252 (byte 0x{:02X} at offset {pos}); save it as \"CSV UTF-8\"",
                    bytes[pos]
                ),
            ),
        ));
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Ok((text.into_owned(), "Windows-1252"))
}

fn looks_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(512)];
    sample.len() >= 4 && sample.iter().filter(|b| **b == 0).count() * 4 >= sample.len()
}

/// Pick the delimiter that splits the first records most consistently into the most fields.
pub fn sniff_delimiter(text: &str, file_name: &str) -> u8 {
    if file_name.to_ascii_lowercase().ends_with(".tsv") {
        return b'\t';
    }
    let mut best = (b',', 0usize, false);
    for d in [b',', b';', b'\t'] {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let counts: Vec<usize> = rdr
            .records()
            .take(20)
            .filter_map(Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let consistent = counts.iter().all(|&c| c == first);
        let better = match (consistent, best.2) {
            (true, false) => first > 1,
            (false, true) => false,
            _ => first > best.1,
        };
        if better {
            best = (d, first, consistent);
        }
    }
    best.0
}

/// Read a CSV/TSV file into a table named after the file.
pub fn read(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<Table, ImportError> {
    let (text, _encoding) = decode(file_name, bytes)?;
    let delimiter = sniff_delimiter(&text, file_name);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table {
        sheet: base_name(file_name),
        ..Table::default()
    };
    let mut budget = TextBudget::new(limits);
    for (r, record) in rdr.records().enumerate() {
        let record = record.map_err(|e| {
            ImportError::file(
                file_name,
                msg(
                    format!("regel {}: {e}", r + 1),
                    format!("line {}: {e}", r + 1),
                ),
            )
        })?;
        if limits.row_beyond(r as u64) {
            return Err(ImportError::file(
                file_name,
                msg(
                    format!(
                        "het bestand heeft meer dan {} rijen met respondenten, de limiet per import",
                        limits.max_rows
                    ),
                    format!(
                        "the file has more than {} respondent rows, the limit per import",
                        limits.max_rows
                    ),
                ),
            ));
        }
        if record.len() > limits.max_columns {
            return Err(ImportError::file(
                file_name,
                msg(
                    format!(
                        "regel {} heeft {} kolommen, meer dan de limiet van {}",
                        r + 1,
                        record.len(),
                        limits.max_columns
                    ),
                    format!(
                        "line {} has {} columns, more than the limit of {}",
                        r + 1,
                        record.len(),
                        limits.max_columns
                    ),
                ),
            ));
        }
        // A field over the limit, or past the text budget, stops the reading here, before it is copied.
        let mut row = Vec::with_capacity(record.len());
        for (c, f) in record.iter().enumerate() {
            check_length(&table.sheet, r, c, f, limits)?;
            row.push(if f.trim().is_empty() {
                Cell::Empty
            } else {
                budget.spend(&table.sheet, r, c, f.len())?;
                Cell::Text(f.into())
            });
        }
        table.rows.push(row);
    }
    Ok(table)
}

/// The file name without directories, used as the "sheet" in cell references.
fn base_name(file_name: &str) -> String {
    echo(file_name.rsplit(['/', '\\']).next().unwrap_or(file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_windows_1252() {
        assert_eq!(
            decode("a.csv", b"\xEF\xBB\xBFnaam")
                .map(|d| d.0)
                .ok()
                .as_deref(),
            Some("naam")
        );
        let (text, enc) = decode("a.csv", b"Co\xF6rdinator;Cli\xEBnt").expect("1252");
        assert_eq!(text, "Coördinator;Cliënt");
        assert_eq!(enc, "Windows-1252");
        assert!(decode("a.csv", b"\xFF\xFEa\0b\0").is_err());
        assert!(decode("a.csv", b"abc\x81def").is_err());
    }

    #[test]
    fn sniffs_the_delimiter() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n", "x.csv"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n", "x.csv"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n", "x.csv"), b'\t');
        // A comma inside a quoted answer does not fool it.
        assert_eq!(
            sniff_delimiter(
                "\"Naam, voornaam\";C1K1;C1K2\n\"Peeters, An\";3;4\n",
                "x.csv"
            ),
            b';'
        );
    }
}
