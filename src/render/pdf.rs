//! PDF renderer (issue 4): not yet implemented.
use crate::edition::Edition;
use crate::output::Files;
use crate::source::Source;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF renderer is not implemented yet")]
    NotImplemented,
}

pub fn render(_edition: &Edition, _source: &dyn Source) -> Result<Files, PdfError> {
    Err(PdfError::NotImplemented)
}
