//! The 新旧対照表 as a landscape A4 PDF, typeset with Typst ([`crate::render::typeset`]). The table goes
//! to the template as data (`data.json`: the rows of [`super::table`]), never as Typst source;
//! the template is `diff.typ` of [`Assets`] (the project's `templates/pdf/diff.typ` when present),
//! which imports `common.typ` (the same as the document PDFs').

use super::{table, Diff};
use crate::diag::{Localize, Message};
use crate::model::Date;
use crate::render::typeset::{compile_pdf, PdfJob, Standards, TypesetError};
use crate::render::{words, Assets};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{}", self.text())]
    Typeset(#[from] TypesetError),
    #[error("{}", self.text())]
    Glyph { ch: char, code: u32, doc: String },
}

impl Localize for PdfError {
    fn text(&self) -> Message {
        match self {
            PdfError::Typeset(e) => {
                Message::new("diff-pdf").arg_in("error", e.to_string(), e.localize(crate::config::Lang::Ja))
            }
            PdfError::Glyph { ch, code, doc } => Message::new("diff-pdf-glyph")
                .arg_in("ch", format!("{ch:?}"), format!("「{ch}」"))
                .arg("code", format!("{code:04X}"))
                .arg("doc", doc),
        }
    }
}

/// The data handed to the template.
pub fn data(diff: &Diff) -> serde_json::Value {
    let w = words::table(diff.lang);
    let docs: Vec<serde_json::Value> = diff
        .documents
        .iter()
        .map(|d| {
            serde_json::json!({
                "id": d.id, "heading": table::heading(diff, Some(d)), "rows": table::rows(d, diff.lang),
            })
        })
        .collect();
    serde_json::json!({
        "lang": diff.lang.code(),
        "heading": table::heading(diff, None),
        "labels": { "omitted": w.omitted, "no-changes": w.no_changes },
        "documents": docs,
    })
}

/// What Typst typesets for a comparison: the template's text, the virtual files it reads, the
/// document date and the standards. [`render`] typesets them; `diff --emit-typst` writes them out.
pub struct Inputs {
    pub main: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub date: Date,
    pub standards: Standards,
}

/// The Typst inputs of the comparison, with the assets of the newer revision (fonts, template).
pub fn inputs(diff: &Diff, assets: &Assets) -> Result<Inputs, PdfError> {
    let value = data(diff);
    // Every character of the table must have a glyph (the one check of every PDF).
    for d in &diff.documents {
        let text = serde_json::to_string(&table::rows(d, diff.lang)).unwrap_or_default();
        if let Some(c) = assets.missing_glyph(&text) {
            return Err(PdfError::Glyph { ch: c, code: c as u32, doc: d.id.clone() });
        }
    }
    Ok(Inputs {
        main: assets.pdf("diff.typ").text.clone(),
        files: vec![
            ("data.json".into(), serde_json::to_vec(&value).unwrap_or_default()),
            ("common.typ".into(), assets.pdf("common.typ").text.as_bytes().to_vec()),
        ],
        date: diff.date.unwrap_or(Date { year: 2000, month: 1, day: 1 }),
        standards: Standards::None,
    })
}

/// The PDF of the comparison, with the assets of the newer revision (fonts, template).
pub fn render(diff: &Diff, assets: &Assets) -> Result<Vec<u8>, PdfError> {
    let inputs = inputs(diff, assets)?;
    let job = PdfJob {
        main: &inputs.main,
        files: &inputs.files,
        parts: &[],
        date: inputs.date,
        standards: inputs.standards,
        keep_memo: false,
        reuse: None,
    };
    Ok(compile_pdf(&job, assets.fonts())?)
}
