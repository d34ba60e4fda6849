//! HTML renderer (issue 3): not yet implemented.
use crate::edition::Edition;
use crate::output::Files;
use crate::source::Source;

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("the HTML renderer is not implemented yet")]
    NotImplemented,
}

pub fn render(_edition: &Edition, _source: &dyn Source) -> Result<Files, HtmlError> {
    Err(HtmlError::NotImplemented)
}
