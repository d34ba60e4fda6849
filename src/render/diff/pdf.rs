//! The 新旧対照表 as a landscape A4 PDF, typeset with Typst ([`crate::render::typeset`]). The table goes
//! to the template as data (`data.json`: the rows of [`super::table`]), never as Typst source;
//! the template is `templates/pdf/diff.typ` of the project when present, the built-in one
//! otherwise.

use super::{table, Diff};
use crate::config::Config;
use crate::model::Date;
use crate::source::{Source, SourceError};
use crate::render::typeset::{compile_pdf, Fonts, PdfJob, Standards, TypesetError};

const DIFF_TYP: &str = include_str!("../../../templates/pdf/diff.typ");

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("the 新旧対照表 PDF: {0}")]
    Typeset(#[from] TypesetError),
    #[error("no font has a glyph for {ch:?} (U+{code:04X}), in the 新旧対照表 of {doc}\n  hint: replace the character, or add a font that has it to the folder set by [pdf] fonts in book.toml")]
    Glyph { ch: char, code: u32, doc: String },
}

/// The data handed to the template.
pub fn data(diff: &Diff) -> serde_json::Value {
    let w = super::html::words(diff.lang);
    let docs: Vec<serde_json::Value> = diff
        .documents
        .iter()
        .map(|d| serde_json::json!({ "id": d.id, "title": d.title, "rows": table::rows(d, diff.lang) }))
        .collect();
    serde_json::json!({
        "lang": diff.lang.code(),
        "edition": diff.edition_title.clone().unwrap_or_else(|| diff.edition.clone()),
        "old": diff.old,
        "new": diff.new,
        "labels": {
            "suffix": w.suffix, "new": w.new, "old": w.old, "note": w.note, "omitted": w.omitted,
            "no-changes": w.no_changes,
        },
        "documents": docs,
    })
}

/// The PDF of the comparison. `config` and `source` are the newer revision's (fonts, template).
pub fn render(diff: &Diff, config: &Config, source: &dyn Source) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::for_project(source, config.pdf.fonts.as_deref())?;
    let value = data(diff);
    // Every character must have a glyph: a silent tofu in a legal comparison table is not
    // acceptable.
    for d in &diff.documents {
        let text = serde_json::to_string(&table::rows(d, diff.lang)).unwrap_or_default();
        if let Some(c) = text.chars().find(|&c| !c.is_control() && !c.is_whitespace() && !fonts.covers(c)) {
            return Err(PdfError::Glyph { ch: c, code: c as u32, doc: d.id.clone() });
        }
    }
    let main = match source.read_text("templates/pdf/diff.typ") {
        Ok(t) => t,
        Err(SourceError::NotFound { .. }) => DIFF_TYP.to_string(),
        Err(e) => return Err(e.into()),
    };
    let job = PdfJob {
        main: &main,
        files: vec![("data.json".into(), serde_json::to_vec(&value).unwrap_or_default())],
        date: diff.date.unwrap_or(Date { year: 2000, month: 1, day: 1 }),
        standards: Standards::None,
    };
    Ok(compile_pdf(&job, &fonts)?)
}
