//! The 新旧対照表 as a landscape A4 PDF, typeset with Typst.

use super::Diff;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF 新旧対照表 is not available yet\n  hint: use --format html and print it (the page is laid out for landscape A4)")]
    NotYet,
}

pub fn render(_diff: &Diff) -> Result<Vec<u8>, PdfError> {
    Err(PdfError::NotYet)
}
