//! `policybook fix`: applies the safe fixes of input-method slips ([`crate::model::ime`]) to the
//! source files of the working tree, in place, and says what it changed. Only the characters of
//! each slip change; front matter, code blocks, line ends and everything else stay byte for byte.

use crate::diag::{Diagnostic, Localize, Message};
use crate::model::ime;
use crate::source::{Source, SourceError};

/// What `fix` changed in one file, and the slips it left to the author.
#[derive(Debug)]
pub struct FileFixed {
    pub file: String,
    pub changes: Vec<ime::Change>,
    pub left: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{}", self.text())]
    Write { file: String, source: std::io::Error },
}

impl Localize for FixError {
    fn text(&self) -> Message {
        match self {
            FixError::Source(e) => e.text(),
            FixError::Write { file, source } => Message::new("fix-write").arg("path", file).arg("error", source),
        }
    }
}

/// Fixes the slips of every source file of `book` (opened on the working tree); with `write`
/// false, only says what it would change.
pub fn fix(book: &super::Book, write: bool) -> Result<Vec<FileFixed>, FixError> {
    let source = book.source();
    let mut out = Vec::new();
    for file in markdown_files(source, &book.project().config.book.source)? {
        // A file that is not UTF-8 is left alone: `check` reports it (`encoding`).
        let Ok(text) = String::from_utf8(source.read(&file)?) else { continue };
        let f = ime::fix_text(&file, &text);
        if write && f.text != text {
            // Atomically: a killed `fix` must not leave a source file cut short.
            super::output::write_atomically(&book.dir().join(&file), f.text.as_bytes())
                .map_err(|source| FixError::Write { file: file.clone(), source })?;
        }
        if !f.changes.is_empty() || !f.left.is_empty() {
            out.push(FileFixed { file, changes: f.changes, left: f.left });
        }
    }
    Ok(out)
}

/// The Markdown files of the source folder and of its chapter folders, in name order.
fn markdown_files(source: &dyn Source, dir: &str) -> Result<Vec<String>, SourceError> {
    let dir = dir.trim_end_matches('/');
    let mut out = Vec::new();
    for e in source.list(dir)? {
        let path = format!("{dir}/{}", e.name);
        if e.is_dir {
            out.extend(
                source
                    .list(&path)?
                    .into_iter()
                    .filter(|c| !c.is_dir && c.name.ends_with(".md"))
                    .map(|c| format!("{path}/{}", c.name)),
            );
        } else if e.name.ends_with(".md") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
