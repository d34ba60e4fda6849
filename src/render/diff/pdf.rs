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

/// The rows of a run of pages, in bytes of data: a document's table longer than this is cut
/// into runs, each a table of its own from a new page, before a top-level section (a 章, an
/// admin document's 1). Typst lays out runs of pages on threads of their own, so a long
/// comparison takes every core (the corpus's 114-page table: 1.12 s of layout whole). Fixed,
/// not the machine's core count, so that the bytes are the same everywhere.
const RUN: usize = 192 * 1024;

/// The data handed to the template. Each document has its rows and `breaks`, the indices of the
/// rows that start a new run of pages ([`RUN`]). Every character of the table must have a
/// glyph (the one check of every PDF).
pub fn data(diff: &Diff, assets: &Assets) -> Result<serde_json::Value, PdfError> {
    let w = words::table(diff.lang);
    let mut docs = Vec::new();
    for d in &diff.documents {
        let rows = table::rows(d, diff.lang);
        let mut breaks = Vec::new();
        let mut load = 0;
        for (i, r) in rows.iter().enumerate() {
            let text = serde_json::to_string(r).unwrap_or_default();
            if let Some(c) = assets.missing_glyph(&text) {
                return Err(PdfError::Glyph { ch: c, code: c as u32, doc: d.id.clone() });
            }
            if r.top && load >= RUN {
                breaks.push(i);
                load = 0;
            }
            load += text.len();
        }
        docs.push(serde_json::json!({
            "id": d.id, "heading": table::heading(diff, Some(d)), "rows": rows, "breaks": breaks,
        }));
    }
    Ok(serde_json::json!({
        "lang": diff.lang.code(),
        "heading": table::heading(diff, None),
        "labels": { "omitted": w.omitted, "no-changes": w.no_changes },
        "documents": docs,
    }))
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
    let value = data(diff, assets)?;
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

/// The PDF of the comparison, with the assets of the newer revision (fonts, template). What
/// Typst memoized stays after it (in the typesetting worker, or in this process when there is
/// none): made for the `diff` command, whose only job it is.
pub fn render(diff: &Diff, assets: &Assets) -> Result<Vec<u8>, PdfError> {
    let inputs = inputs(diff, assets)?;
    let job = PdfJob {
        main: &inputs.main,
        files: &inputs.files,
        parts: &[],
        date: inputs.date,
        standards: inputs.standards,
        // The comparison is the process's one job: its memo goes with the process, and
        // dropping it first took 80 ms of the corpus's 114-page table.
        keep_memo: true,
        reuse: None,
    };
    Ok(compile_pdf(&job, assets.fonts())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Lang;
    use crate::edition::Edition;
    use crate::model::load;
    use crate::render::diff::{compare, Options};
    use crate::source::MemSource;

    /// A project whose document has `n` chapters, each with its own text and two numbered
    /// sections under it, every sentence saying `word`.
    fn project(n: usize, word: &str) -> MemSource {
        let mut body = String::from(
            "---\nid: doc\ntype: standard\ntitle: 基準\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\n",
        );
        for i in 0..n {
            let text = format!("第{i}章の{word}を定める。").repeat(40);
            body += &format!("# 章{i} {{#c{i}}}\n\n{text}\n\n## 節{i}の一 {{#c{i}a}}\n\n{text}\n\n## 節{i}の二 {{#c{i}b}}\n\n{text}\n\n");
        }
        MemSource::new().with("book.toml", crate::model::tests::BOOK).with("policy-source/doc.ja.md", &body)
    }

    fn table_data(n: usize) -> (serde_json::Value, Vec<table::TableRow>, Vec<u8>) {
        let (old, new) = (project(n, "本文"), project(n, "条文"));
        let edition = |m: &MemSource| Edition::filter(&load(m).unwrap().project, "public").unwrap();
        let opts = Options::new(Lang::Ja, None, "old".into(), "new".into());
        let diff = compare(&edition(&old), &edition(&new), &opts).unwrap();
        let assets = Assets::load(&new, &load(&new).unwrap().project.config).unwrap();
        let rows = table::rows(&diff.documents[0], Lang::Ja);
        let pdf = if n > 10 { render(&diff, &assets).unwrap() } else { Vec::new() };
        (data(&diff, &assets).unwrap(), rows, pdf)
    }

    #[test]
    fn a_long_table_is_cut_into_runs_of_pages_before_top_level_sections_only() {
        let (short, _, _) = table_data(3);
        assert_eq!(short["documents"][0]["breaks"], serde_json::json!([]), "a short table is one run");
        let (long, rows, pdf) = table_data(60);
        let breaks: Vec<usize> = serde_json::from_value(long["documents"][0]["breaks"].clone()).unwrap();
        assert!(breaks.len() >= 2, "{breaks:?} in {} rows", rows.len());
        let weight = |r: &[table::TableRow]| r.iter().map(|r| serde_json::to_string(r).unwrap().len()).sum::<usize>();
        let mut start = 0;
        for &b in &breaks {
            assert!(rows[b].top, "row {b} ({}) is not a chapter's", rows[b].id);
            assert!(weight(&rows[start..b]) >= RUN, "the run {start}..{b} is short");
            // Cut at the first chapter after the run is full: one row fewer would not be.
            let last_top = (start..b).rev().find(|&i| rows[i].top && i > start);
            if let Some(t) = last_top {
                assert!(weight(&rows[start..t]) < RUN, "{start}..{b} could have ended at {t}");
            }
            start = b;
        }
        assert_eq!(long["documents"][0]["rows"].as_array().unwrap().len(), rows.len());
        // In the PDF, each run starts a page: the page with the chapter's heading row has no
        // text of the chapter before.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("diff.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let out =
            std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
        let text = String::from_utf8(out.stdout).unwrap().replace(' ', "");
        let pages: Vec<&str> = text.split('\u{c}').collect();
        for &b in &breaks {
            let i: usize = rows[b].id.trim_start_matches('c').parse().unwrap();
            let head = format!("\n{}章{i}\n", i + 1);
            let page = pages.iter().find(|p| p.contains(&head)).unwrap_or_else(|| panic!("{head} not in {text}"));
            assert!(!page.contains(&format!("第{}章", i - 1)), "chapter {i} shares its page with the one before");
            assert!(page.contains(&format!("第{i}章")));
        }
    }
}
