//! The text budget of one import ([`Limits::max_text_bytes`]): how much text the cells of a file may
//! bring into memory together. Each cell stays within its own limit, yet an .xlsx or .xls stores a
//! repeated text once and every cell points to it, and an .ods repeats a cell with one attribute: a file
//! of kilobytes can name gigabytes. Every reader spends the budget cell by cell as it stores them and
//! stops at the cell where it runs out; for .xls and .ods, which calamine reads whole, a scan of the
//! file counts first ([`check_xls`] here, `bounds::ods_scan` for .ods).

use super::report::echo;
use super::table::a1;
use super::{ImportError, Limits, msg};

/// The text one file has brought into memory so far.
#[derive(Debug)]
pub struct TextBudget {
    spent: usize,
    max: usize,
}

impl TextBudget {
    pub fn new(limits: &Limits) -> Self {
        Self {
            spent: 0,
            max: limits.max_text_bytes,
        }
    }

    /// Count `bytes` of text stored at zero-based (`row`, `col`) of `sheet` (as shown in messages); once
    /// the file's text passes the budget, the error names this cell.
    pub fn spend(
        &mut self,
        sheet: &str,
        row: usize,
        col: usize,
        bytes: usize,
    ) -> Result<(), ImportError> {
        self.spent = self.spent.saturating_add(bytes);
        if self.spent <= self.max {
            return Ok(());
        }
        let max = if self.max.is_multiple_of(1 << 20) {
            format!("{} MB", self.max >> 20)
        } else {
            format!("{} bytes", self.max)
        };
        Err(ImportError::cell(
            format!("{sheet}!{}", a1(row, col)),
            msg(
                format!(
                    "het bestand bevat meer dan {max} tekst, de limiet per import, en overschrijdt die in deze cel; verwijder kolommen met lange teksten die de scan niet nodig heeft (zoals opmerkingen) en importeer opnieuw"
                ),
                format!(
                    "the file holds more than {max} of text, the limit per import, and passes it at this cell; remove columns of long texts the scan does not need (such as comments) and import again"
                ),
            ),
        ))
    }
}

/// Count the text an .xls workbook stream (BIFF8; BIFF5 has no shared strings) puts in its cells before
/// calamine reads it: calamine builds every sheet whole when it opens the file, with its own copy of a
/// shared string for every cell that points to it. Counted in characters, as the file declares them.
pub fn check_xls(stream: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let mut budget = TextBudget::new(limits);
    let mut strings = Vec::new();
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sheet = String::new();
    let mut biff8 = false;
    // Where the value of the last FORMULA record goes when it is text (a STRING record follows).
    let mut formula_at = (0, 0);
    let mut records = records(stream).peekable();
    while let Some((offset, typ, data)) = records.next() {
        let at = |i: usize| usize::from(u16_at(data, i));
        match typ {
            // BOF: the globals' says which BIFF; a sheet's begins where its BOUNDSHEET said.
            0x0809 => {
                if offset == 0 {
                    biff8 = u16_at(data, 0) == 0x0600;
                }
                if let Some((_, name)) = sheets.iter().find(|(pos, _)| *pos == offset) {
                    sheet = echo(name);
                }
            }
            // BOUNDSHEET: the stream offset of a sheet's BOF, and the sheet's name.
            0x0085 => sheets.push((u32_at(data, 0) as usize, sheet_name(data, biff8))),
            // SST, run on through CONTINUE records.
            0x00FC => {
                let mut parts = vec![data];
                while let Some((_, _, more)) = records.next_if(|r| r.1 == 0x003C) {
                    parts.push(more);
                }
                strings = sst_lengths(&parts);
            }
            // LABELSST: row, column, format, index into the SST.
            0x00FD => {
                let chars = strings.get(u32_at(data, 6) as usize).copied();
                budget.spend(&sheet, at(0), at(2), chars.unwrap_or(0))?;
            }
            // LABEL, RSTRING: row, column, format, length.
            0x0204 | 0x00D6 => budget.spend(&sheet, at(0), at(2), at(6))?,
            0x0006 => formula_at = (at(0), at(2)),
            // STRING: the text a formula gives.
            0x0207 => budget.spend(&sheet, formula_at.0, formula_at.1, at(0))?,
            _ => {}
        }
    }
    Ok(())
}

/// The records of a BIFF stream: (offset, type, data); a record cut off at the end is left to calamine.
fn records(stream: &[u8]) -> impl Iterator<Item = (usize, u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let offset = at;
        let typ = u16_at(stream.get(at..at + 4)?, 0);
        let len = usize::from(u16_at(stream, at + 2));
        at += 4 + len;
        Some((offset, typ, &stream[offset + 4..at.min(stream.len())]))
    })
}

fn u16_at(d: &[u8], i: usize) -> u16 {
    d.get(i..i + 2)
        .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> u32 {
    d.get(i..i + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A BOUNDSHEET record's sheet name: a byte count, then (BIFF8) a flag for UTF-16, then the characters.
fn sheet_name(data: &[u8], biff8: bool) -> String {
    let len = usize::from(data.get(6).copied().unwrap_or(0));
    let wide = biff8 && data.get(7).is_some_and(|f| f & 1 != 0);
    let start = if biff8 { 8 } else { 7 };
    let chars = data.get(start..).unwrap_or_default();
    if wide {
        let units = chars.chunks_exact(2).take(len);
        char::decode_utf16(units.map(|u| u16::from_le_bytes([u[0], u[1]])))
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    } else {
        let bytes = &chars[..len.min(chars.len())];
        encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
    }
}

/// The length in characters of each string of a shared string table (SST, MS-XLS 2.4.265): after two
/// counts, strings of a length, flags, optional run and extension sizes, the characters (one or two
/// bytes each), formatting runs and extension. A string runs on into the next part (a CONTINUE record);
/// characters that do carry a new flags byte there. Stops at a string cut off.
fn sst_lengths(parts: &[&[u8]]) -> Vec<usize> {
    let mut parts = parts.iter().copied();
    let mut data = parts.next().and_then(|d| d.get(8..)).unwrap_or_default();
    let mut lengths = Vec::new();
    loop {
        if data.is_empty() {
            match parts.next() {
                Some(next) => data = next,
                None => return lengths,
            }
            continue;
        }
        let (len, flags) = (
            usize::from(u16_at(data, 0)),
            data.get(2).copied().unwrap_or(0),
        );
        let mut head = 3;
        let runs = if flags & 0x8 != 0 {
            head += 2;
            usize::from(u16_at(data, 3))
        } else {
            0
        };
        let extension = if flags & 0x4 != 0 {
            head += 4;
            u32_at(data, head - 4) as usize
        } else {
            0
        };
        let Some(rest) = data.get(head..) else {
            return lengths;
        };
        data = rest;
        let (mut left, mut width) = (len, if flags & 0x1 != 0 { 2 } else { 1 });
        loop {
            let n = left.min(data.len() / width);
            (data, left) = (&data[n * width..], left - n);
            if left == 0 {
                break;
            }
            match parts.next().and_then(|p| p.split_first()) {
                Some((flags, rest)) => (data, width) = (rest, if flags & 0x1 != 0 { 2 } else { 1 }),
                None => return lengths,
            }
        }
        lengths.push(len);
        let mut skip = (runs * 4).saturating_add(extension);
        while skip > data.len() {
            skip -= data.len();
            match parts.next() {
                Some(next) => data = next,
                None => return lengths,
            }
        }
        data = &data[skip..];
    }
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
    fn sst_lengths_follow_strings_across_continue_records() {
        // "ab" (8-bit); "xyz" in UTF-16 with 1 formatting run; then 5 characters of which 2 run on into a
        // CONTINUE record that switches to UTF-16; then a string with a 6-byte extension cut by a CONTINUE.
        let mut sst = vec![0; 8];
        sst.extend([2, 0, 0, b'a', b'b']);
        sst.extend([3, 0, 0x9, 1, 0, b'x', 0, b'y', 0, b'z', 0, 0, 0, 0, 0]);
        sst.extend([5, 0, 0, b'h', b'a', b'l']);
        let more = [1, b'l', 0, b'o', 0, 1, 0, 0x4, 6, 0, 0, 0, b'q', 1, 2, 3];
        let last = [4, 5, 6, 1, 0, 0, b'!'];
        let parts: [&[u8]; 3] = [&sst, &more, &last];
        assert_eq!(sst_lengths(&parts), vec![2, 3, 5, 1, 1]);
        // Cut off inside the characters: the strings before it count.
        assert_eq!(sst_lengths(&[&sst[..sst.len() - 1]]), vec![2, 3]);
        assert_eq!(sst_lengths(&[&[0u8; 4][..]]), Vec::<usize>::new());
    }

    #[test]
    fn a_shared_string_named_by_many_cells_is_counted_for_each_and_named_by_its_cell() {
        let limits = Limits {
            max_text_bytes: 25,
            ..Limits::default()
        };
        let mut globals = record(0x0809, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0]);
        // The sheet's BOF follows the globals: BOUNDSHEET (22 bytes), SST (25), EOF (4).
        let sheet_at = globals.len() + 22 + 25 + 4;
        let mut boundsheet = (sheet_at as u32).to_le_bytes().to_vec();
        boundsheet.extend([0, 0, 5, 1]);
        boundsheet.extend("Blad1".encode_utf16().flat_map(u16::to_le_bytes));
        globals.extend(record(0x0085, &boundsheet));
        let mut sst = vec![0; 8];
        sst.extend([10, 0, 0]);
        sst.extend(b"0123456789");
        globals.extend(record(0x00FC, &sst));
        globals.extend(record(0x000A, &[]));
        assert_eq!(globals.len(), sheet_at);
        let mut stream = globals;
        stream.extend(record(0x0809, &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0]));
        for row in 1u8..=3 {
            stream.extend(record(0x00FD, &[row, 0, 2, 0, 0, 0, 0, 0, 0, 0]));
        }
        let e = check_xls(&stream, &limits).expect_err("over the budget");
        assert_eq!(e.place, "Blad1!C4");
        assert!(
            e.message
                .en
                .starts_with("the file holds more than 25 bytes of text")
        );
        assert!(check_xls(&stream, &Limits::default()).is_ok());
    }
}
