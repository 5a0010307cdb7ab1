//! Where the drop-down lists of the questionnaire live: inline in the validation when Excel allows it,
//! otherwise in a column of a hidden lists sheet that the validation references.

use rust_xlsxwriter::{
    ColNum, DataValidation, Formula, Worksheet, XlsxError, worksheet_range_absolute,
};

/// Excel's limit for an inline drop-down list (all options joined with commas).
const INLINE_LIST_MAX: usize = 255;

/// The lists sheet (hidden by the caller when it is used) and the lists already written to it, one per
/// column.
pub(super) struct Lists {
    pub(super) sheet: Worksheet,
    name: &'static str,
    pub(super) columns: Vec<Vec<String>>,
}

impl Lists {
    pub(super) fn new(name: &'static str) -> Result<Self, XlsxError> {
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        Ok(Self {
            sheet,
            name,
            columns: Vec::new(),
        })
    }

    /// A list validation offering `options` (blank allowed), or `None` for an empty list.
    pub(super) fn list(&mut self, options: &[String]) -> Result<Option<DataValidation>, XlsxError> {
        if options.is_empty() {
            return Ok(None);
        }
        let dv = if fits_inline(options) {
            DataValidation::new().allow_list_strings(options)?
        } else {
            let index = match self.columns.iter().position(|c| c == options) {
                Some(i) => i,
                None => {
                    let col = ColNum::try_from(self.columns.len())
                        .map_err(|_| XlsxError::RowColumnLimitError)?;
                    self.sheet
                        .write_column(0, col, options.iter().map(String::as_str))?;
                    self.columns.push(options.to_vec());
                    self.columns.len() - 1
                }
            };
            let col = ColNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)?;
            let last =
                u32::try_from(options.len() - 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            let range = worksheet_range_absolute(self.name, 0, col, last, col);
            DataValidation::new().allow_list_formula(Formula::new(range))
        };
        Ok(Some(dv.ignore_blank(true)))
    }
}

/// Whether Excel accepts `options` as an inline list: no commas (they separate options) and at most
/// 255 UTF-16 units joined, counting doubled quotes.
fn fits_inline(options: &[String]) -> bool {
    let joined: usize = options
        .iter()
        .map(|o| o.encode_utf16().count() + o.matches('"').count() + 1)
        .sum();
    options.iter().all(|o| !o.contains(',')) && joined.saturating_sub(1) <= INLINE_LIST_MAX
}
