//! `policybook diff`: the 新旧対照表 of one edition between two [`Checked`] revisions, and its
//! output formats. Both sides are checked: an error such as a container missing from the English
//! text could otherwise put classified text into the table.

use super::Checked;
use crate::config::Lang;
use crate::edition::{Edition, UnknownEdition};
use crate::render::assets::AssetError;
use crate::render::diff::{self, Diff, DiffError, Options};
use crate::render::Assets;

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("{error} ({origin})")]
    Edition { error: UnknownEdition, origin: String },
    #[error(transparent)]
    Diff(#[from] DiffError),
    #[error(transparent)]
    Assets(#[from] AssetError),
    #[error(transparent)]
    Pdf(#[from] diff::pdf::PdfError),
}

/// The output formats of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For the terminal; `color` adds ANSI colours.
    Text {
        color: bool,
    },
    Html,
    /// The `policybook-diff/1` JSON document.
    Json,
    Pdf,
}

/// Compares edition `edition` of `old` with that of `new`: one document (`doc`), or every
/// document that changed.
pub fn compare(
    old: &Checked,
    new: &Checked,
    edition: &str,
    doc: Option<String>,
    lang: Lang,
) -> Result<Diff, CompareError> {
    let filter = |c: &Checked| {
        Edition::filter(c.project(), edition).map_err(|error| CompareError::Edition { error, origin: c.origin() })
    };
    let (old_ed, new_ed) = (filter(old)?, filter(new)?);
    let opts = Options { lang, doc, old_label: label(old, lang), new_label: label(new, lang) };
    Ok(diff::compare(&old_ed, &new_ed, &opts)?)
}

/// How a side is named in the table: its revision, or the working tree.
fn label(side: &Checked, lang: Lang) -> String {
    match (side.rev(), lang) {
        (Some(_), _) => side.origin().trim_start_matches("revision ").to_string(),
        (None, Lang::Ja) => "作業ツリー".to_string(),
        (None, Lang::En) => "working tree".to_string(),
    }
}

/// `diff` in `format`; a PDF is typeset with the templates and fonts of the `new` side.
pub fn render(diff: &Diff, format: Format, new: &Checked) -> Result<Vec<u8>, CompareError> {
    Ok(match format {
        Format::Json => diff::json::render(diff).into_bytes(),
        Format::Html => diff::html::render(diff).into_bytes(),
        Format::Text { color } => diff::text::render(diff, color).into_bytes(),
        Format::Pdf => diff::pdf::render(diff, &Assets::load(new.source(), &new.project().config)?)?,
    })
}
