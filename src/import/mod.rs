//! `policybook import`: a foreign document (plain text in UTF-8 or Shift_JIS / CP932, Word
//! `.docx`, Markdown) made into a policybook source, Japanese only.
//!
//! A stage beside `source` and `model`, not in the pipeline: it reads a file the author names and
//! writes a source; nothing of the pipeline imports it. [`import_text`] is the pure entry point (no
//! I/O, no panic on any input); [`import_bytes`] decodes or unpacks a file's bytes first.
//!
//! Steps: `clean` (extraction debris), `header` (title, organization, revision line), `parse`
//! (structure from the numbering, headings told from lists), `ids` (readable ids), `refs`
//! (textual references linked where certain), `write` (Markdown). `docx` turns a Word file into
//! the lines a text file would have.
//!
//! Its diagnostics (`import-*`) and report lines (`import-note.*`) are in the catalogue
//! (`diag/catalogue.rs`).

mod clean;
pub mod docx;
mod header;
mod ids;
mod marker;
mod parse;
mod refs;
mod text;
mod write;

use crate::diag::{Diagnostic, Loc, Localize, Message};

/// What the author asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The document id; default: from the title.
    pub id: Option<String>,
    /// basic-policy | standard | procedure | other.
    pub doc_type: String,
    /// A level key of book.toml.
    pub classification: String,
    /// The input's name, for diagnostics.
    pub file: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { id: None, doc_type: "other".into(), classification: "public".into(), file: "input".into() }
    }
}

/// What the import found, for the author.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Headings per level (index 0: level 1).
    pub sections_per_level: Vec<usize>,
    pub list_items: usize,
    /// One line per reference made: `line 40: 上記3 → #threats`.
    pub references: Vec<Message>,
    /// What was cleaned or dropped, with its line.
    pub cleaned: Vec<(u32, Message)>,
    pub encoding: String,
    pub article_style: bool,
}

/// The document made from a foreign file.
#[derive(Debug, Clone)]
pub struct Imported {
    pub id: String,
    pub markdown: String,
    pub report: Report,
    /// Ambiguities and numbers out of sequence, at their line in the input.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("{}", self.text())]
    NotText { file: String },
    #[error("{}", self.text())]
    Empty { file: String },
    #[error("{}", self.text())]
    Docx { file: String, message: String },
    #[error("{}", self.text())]
    BadId { id: String },
}

impl crate::diag::Localize for ImportError {
    fn text(&self) -> Message {
        match self {
            ImportError::NotText { file } => Message::new("import-not-text").arg("file", file),
            ImportError::Empty { file } => Message::new("import-empty").arg("file", file),
            ImportError::Docx { file, message } => Message::new("import-docx").arg("file", file).arg("error", message),
            ImportError::BadId { id } => Message::new("import-bad-id").arg("id", id),
        }
    }
}

/// Notes taken while importing: warnings (diagnostics) and what was cleaned.
#[derive(Debug, Default)]
pub struct Notes {
    file: String,
    pub diagnostics: Vec<Diagnostic>,
    pub cleaned: Vec<(u32, Message)>,
}

impl Notes {
    /// A warning (catalogue entry `key`) at `line` of the input, with its parameters.
    fn warn(&mut self, line: u32, key: &'static str, args: &[(&'static str, &str)]) {
        let d = args.iter().fold(Diagnostic::new(key, Loc::new(&self.file, line, 1)), |d, (n, v)| d.arg(n, v));
        self.diagnostics.push(d);
    }

    /// What was cleaned at `line` (catalogue entry `key`, an `import-note.*` line of the report).
    fn info(&mut self, line: u32, key: &'static str, args: &[(&'static str, &str)]) {
        let m = args.iter().fold(Message::new(key), |m, (n, v)| m.arg(n, v));
        self.cleaned.push((line, m.arg("line", line)));
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// Imports a document's text: the pure entry point (no I/O).
pub fn import_text(input: &str, o: &Options) -> Result<Imported, ImportError> {
    if let Some(id) = o.id.as_deref().filter(|id| !valid_id(id)) {
        return Err(ImportError::BadId { id: id.to_string() });
    }
    let mut notes = Notes { file: o.file.clone(), ..Notes::default() };
    let lines = clean::clean(input, &mut notes);
    let (head, start) = header::header(&lines, &mut notes);
    let body = &lines[start..];
    if body.is_empty() {
        return Err(ImportError::Empty { file: o.file.clone() });
    }
    let article = body
        .iter()
        .any(|l| matches!(marker::parse(&l.text), Some(m) if matches!(m.marker, marker::Marker::Article(..))));
    let mut root = parse::build(body, article, &mut notes);
    let title = head.title.clone().unwrap_or_default();
    let stem = std::path::Path::new(&o.file).file_stem().map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let id = o.id.clone().unwrap_or_else(|| ids::document_id(&title, &stem));
    let mut targets = refs::Targets::default();
    write::assign_ids(&mut root, &mut ids::Ids::default(), &mut targets, &mut notes);
    let mut report = Report { article_style: article, ..Report::default() };
    let front = write::front_matter(&head, o, &id, article, &mut notes);
    for s in &head.series {
        notes.info(1, "import-note.series", &[("title", s)]);
    }
    let mut w = write::Writer {
        out: front,
        targets: &targets,
        notes: &mut notes,
        report: &mut report,
        revisions: &head.revisions,
    };
    w.out.push('\n');
    w.body(&root, 1, refs::Here::default());
    let mut markdown = w.out;
    while markdown.ends_with("\n\n") {
        markdown.pop();
    }
    report.cleaned = std::mem::take(&mut notes.cleaned);
    report.cleaned.sort_by_key(|c| c.0);
    Ok(Imported { id, markdown, report, diagnostics: notes.diagnostics })
}

/// Imports a file's bytes: a Word file (by its name or its zip signature), Markdown as it is, or
/// text in UTF-8 or Shift_JIS (CP932).
pub fn import_bytes(bytes: &[u8], o: &Options) -> Result<Imported, ImportError> {
    let lower = o.file.to_ascii_lowercase();
    if lower.ends_with(".docx") || bytes.starts_with(b"PK\x03\x04") {
        let text = docx::text(bytes).map_err(|message| ImportError::Docx { file: o.file.clone(), message })?;
        let mut imported = import_text(&text, o)?;
        imported.report.encoding = "Word (.docx)".into();
        return Ok(imported);
    }
    let (text, encoding) = text::decode(bytes).ok_or_else(|| ImportError::NotText { file: o.file.clone() })?;
    let mut imported = import_text(&text, o)?;
    imported.report.encoding = encoding.into();
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_inputs_give_an_error_or_a_document_never_a_panic() {
        let deep: String = (0..200).map(|i| format!("{}(1) ア (ア) a (a) 第{i}条 x\n", i)).collect();
        let inputs = [
            "",
            "\n\n",
            "1",
            "第",
            "（",
            "(",
            "第1条",
            "附則",
            "別表",
            "序文\n1 a\n1 b\n",
            "上記99から",
            "第9999条",
            "令和元年",
            "L G W",
            "\u{0}\u{1b}[31m",
            "# x {#y}\n[a](b)",
            &deep,
        ];
        for input in inputs {
            match import_text(input, &Options::default()) {
                Ok(i) => assert!(i.markdown.starts_with("---\n"), "{input:?}"),
                Err(e) => assert!(matches!(e, ImportError::Empty { .. }), "{input:?}: {e}"),
            }
        }
        assert!(matches!(
            import_text("x", &Options { id: Some("A/..".into()), ..Options::default() }),
            Err(ImportError::BadId { .. })
        ));
    }

    #[test]
    fn text_that_looks_like_markup_stays_text() {
        let o = Options::default();
        let md = import_text("題名\n令和8年4月1日 改定\n1 目的\n<script>x</script> [a](#b) *c* {#d}。\n", &o)
            .unwrap()
            .markdown;
        assert!(md.contains("\\<script\\>x\\</script\\> \\[a\\](\\#b) \\*c\\* \\{\\#d\\}。"), "{md}");
    }

    #[test]
    fn table_rows_become_a_table() {
        let input =
            "題名\n令和8年4月1日 改定\n1 目的\n本文。\n| 区分 | 台帳 |\n|---|---|\n| 情報システム | システム台帳 |\n";
        let md = import_text(input, &Options::default()).unwrap().markdown;
        assert!(md.contains("本文。\n\n| 区分 | 台帳 |\n|---|---|\n| 情報システム | システム台帳 |\n"), "{md}");
    }

    #[test]
    fn dash_numbers_nest_and_runs_of_sentences_are_lists() {
        let input = "題名\n令和8年4月1日 改定\n２　総則\n本文。\n２―１　目的\n本文。\n２―１―１　範囲\n次のとおり。\n（１）　甲をする。\n（２）　乙をする。\n（４）　丙をする。\n";
        let i = import_text(input, &Options::default()).unwrap();
        let md = i.markdown;
        assert!(
            md.contains(
                "# 総則 {#general-provisions}\n\n本文。\n\n## 目的 {#purpose}\n\n本文。\n\n### 範囲 {#scope}\n"
            ),
            "{md}"
        );
        assert!(md.contains("次のとおり。\n\n1. 甲をする。\n1. 乙をする。\n1. 丙をする。\n"), "{md}");
        let seq: Vec<_> = i.diagnostics.iter().filter(|d| d.code == "import-sequence").map(|d| d.loc.line).collect();
        assert_eq!(seq, [3, 11], "{:#?}", i.diagnostics);
    }
}
