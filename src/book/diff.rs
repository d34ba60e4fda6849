//! `policybook diff`: the 新旧対照表 of one edition between two [`Checked`] revisions, and its
//! output formats. Both sides are checked: an error such as a container missing from the English
//! text could otherwise put classified text into the table.

use super::{Book, Checked, OpenError, Rejected};
use crate::config::Lang;
use crate::diag::{Localize, Message};
use crate::edition::{Edition, UnknownEdition};
use crate::model::wareki::format_date;
use crate::render::assets::AssetError;
use crate::render::diff::{self, Diff, DiffError, Options};
use crate::render::{words, Assets};
use crate::source::git;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("{}", self.text())]
    Edition { error: UnknownEdition, origin: String },
    #[error(transparent)]
    Diff(#[from] DiffError),
    #[error(transparent)]
    Assets(#[from] AssetError),
    #[error(transparent)]
    Pdf(#[from] diff::pdf::PdfError),
}

impl Localize for CompareError {
    fn text(&self) -> Message {
        match self {
            CompareError::Edition { error, origin } => Message::new("unknown-edition.at")
                .arg("name", &error.name)
                .arg("known", &error.known)
                .arg_in("origin", origin, crate::diag::catalogue::origin_ja(origin)),
            CompareError::Diff(e) => e.text(),
            CompareError::Assets(e) => e.text(),
            CompareError::Pdf(e) => e.text(),
        }
    }
}

/// The output formats of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For the terminal; `color` adds ANSI colours.
    Text {
        color: bool,
    },
    Html,
    /// The `policybook-diff/2` JSON document.
    Json,
    Pdf,
}

/// What the title block of a comparison says, beyond the documents' titles.
#[derive(Debug, Clone, Default)]
pub struct Title {
    /// The amending instrument (「…の一部を改正する訓令」); `None`: book.toml's `[diff] instrument`.
    pub instrument: Option<String>,
    /// Print the edition and the commits (`--subtitle`, or book.toml's `[diff] subtitle`).
    pub subtitle: bool,
}

/// The two sides of a comparison: revision `old` and revision `new` (`None`: the working tree) of
/// the project in `dir`, each opened and checked on a thread of its own. An error opening either
/// side is returned as a sequential run returns it (`old`'s first); the checks' results are both
/// kept, for the caller to refuse the comparison when either side has errors. The check is
/// [`Book::check_errors`]: a comparison shows no warnings, so the prose check is not run.
#[allow(clippy::type_complexity)]
pub fn open_both(
    dir: &Path,
    old: &str,
    new: Option<&str>,
) -> Result<(Result<Checked, Rejected>, Result<Checked, Rejected>), OpenError> {
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| Book::open(dir, Some(old)).map(Book::check_errors));
        let new = Book::open(dir, new).map(Book::check_errors);
        (old.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), new)
    });
    Ok((old?, new?))
}

/// Compares edition `edition` of `old` with that of `new`: one document (`doc`), or every
/// document that changed. The two sides are filtered at once, on two threads.
pub fn compare(
    old: &Checked,
    new: &Checked,
    edition: &str,
    doc: Option<String>,
    lang: Lang,
    title: &Title,
) -> Result<Diff, CompareError> {
    let (old_ed, new_ed) = {
        let ((old_p, old_o), (new_p, new_o)) = ((old.project(), old.origin()), (new.project(), new.origin()));
        let filter =
            |p, origin: String| Edition::filter(p, edition).map_err(|error| CompareError::Edition { error, origin });
        std::thread::scope(|s| {
            let old_ed = s.spawn(|| filter(old_p, old_o));
            let new_ed = filter(new_p, new_o);
            (old_ed.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), new_ed)
        })
    };
    let (old_ed, new_ed) = (old_ed?, new_ed?);
    let config = &new.project().config.diff;
    let ((old_label, old_commit), (new_label, new_commit)) = (label(old, lang), label(new, lang));
    let opts = Options {
        old_commit,
        new_commit,
        instrument: title.instrument.clone().or_else(|| config.instrument.clone()),
        subtitle: title.subtitle || config.subtitle,
        columns: config.columns,
        ..Options::new(lang, doc, old_label, new_label)
    };
    Ok(diff::compare(&old_ed, &new_ed, &opts)?)
}

/// How a side is named in the title block — its release tag, or the date of its commit, or the
/// working tree — and its abbreviated commit (for the subtitle only).
fn label(side: &Checked, lang: Lang) -> (String, Option<String>) {
    let Some(rev) = side.rev() else {
        return (words::table(lang).working_tree.to_string(), None);
    };
    // The tags that mark releases ([history] release-tags); any tag when none is set.
    let pattern = side.project().config.history.release_tags.as_deref().or(Some("*"));
    match git::named(side.dir(), rev, pattern) {
        Ok(n) => (n.tag.unwrap_or_else(|| format_date(n.date, lang)), Some(n.commit.short().to_string())),
        // Read already, so git knows it: keep the revision as given.
        Err(_) => (rev.to_string(), None),
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

/// The Typst inputs of `diff`'s PDF, as [`render`] would typeset them, for `--emit-typst`.
pub fn emit(diff: &Diff, new: &Checked) -> Result<super::emit::Emitted, CompareError> {
    let assets = Assets::load(new.source(), &new.project().config)?;
    Ok(super::emit::diff(diff::pdf::inputs(diff, &assets)?, &assets))
}
