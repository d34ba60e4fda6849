//! `policybook rename-id DOC OLD NEW`: renames a section id and rewrites every reference to it, in
//! both languages and all documents, in place.
//!
//! The edits are planned on the texts first and written only when all of them are found: the
//! `{#id}` of the Japanese and English headings, and the target of every reference the model holds
//! to the section (`[](#old)`, `[](doc#old)`, `[text](#old/2/3)`, `<…>` destinations), found at
//! the reference's place. Nothing else changes, byte for byte, but `ja=` records: an empty
//! reference prints `[doc#id]` into its section's fingerprint, so the project is loaded again
//! with the new texts, and a translation that matched the Japanese before matches it after
//! (a stale one stays stale).

use super::confirm::{apply, set_fingerprint};
use super::Checked;
use crate::config::is_key;
use crate::diag::{Loc, Localize, Message};
use crate::model::{fingerprint_record, load, xref, Project};
use crate::source::{Entry, Source, SourceError};
use std::collections::BTreeMap;
use std::ops::Range;

#[derive(Debug, thiserror::Error)]
pub enum RenameError {
    #[error(transparent)]
    NoDocument(#[from] super::NoDocument),
    #[error("{}", self.text().full(crate::config::Lang::En))]
    NoSection { doc: String, id: String },
    #[error("{}", self.text().full(crate::config::Lang::En))]
    InvalidId { id: String },
    #[error("{}", self.text().full(crate::config::Lang::En))]
    Taken { doc: String, id: String, at: Loc },
    #[error("{}", self.text().full(crate::config::Lang::En))]
    NotFound { at: Loc, what: &'static str, id: String },
    #[error("{}", self.text().full(crate::config::Lang::En))]
    Reload(#[from] crate::model::LoadError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{}", self.text())]
    Write { file: String, source: std::io::Error },
}

impl Localize for RenameError {
    fn text(&self) -> Message {
        match self {
            RenameError::NoDocument(e) => e.text(),
            RenameError::NoSection { doc, id } => Message::new("rename-no-section").arg("doc", doc).arg("id", id),
            RenameError::InvalidId { id } => Message::new("rename-invalid-id").arg("id", id),
            RenameError::Taken { doc, id, at } => {
                Message::new("rename-taken").arg("doc", doc).arg("id", id).arg("at", at)
            }
            RenameError::NotFound { at, what, id } => {
                let ja = match *what {
                    "heading" => "見出し",
                    "reference" => "参照",
                    _ => "英訳の確認の記録",
                };
                Message::new("rename-not-found").arg("at", at).arg_in("what", *what, ja).arg("id", id)
            }
            RenameError::Reload(e) => {
                Message::new("rename-reload").arg("error", e.text().message(crate::config::Lang::En))
            }
            RenameError::Source(e) => e.text(),
            RenameError::Write { file, source } => Message::new("io-write").arg("path", file).arg("error", source),
        }
    }
}

/// One edit: where, what it is, and the text before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub loc: Loc,
    /// `heading`, `reference` or `fingerprint`.
    pub what: &'static str,
    pub before: String,
    pub after: String,
}

/// The renamed files' new texts and the changes, in order of place.
#[derive(Debug)]
pub struct Plan {
    pub files: BTreeMap<String, String>,
    pub changes: Vec<Change>,
}

/// Renames section `old` of document `doc` to `new` in the working tree of `book`.
pub fn rename(book: &Checked, doc: &str, old: &str, new: &str) -> Result<Vec<Change>, RenameError> {
    let plan = plan(book.project(), book.source(), doc, old, new)?;
    for (file, text) in &plan.files {
        // Atomically, keeping the file's permissions.
        super::output::write_atomically(&book.dir().join(file), text.as_bytes())
            .map_err(|source| RenameError::Write { file: file.clone(), source })?;
    }
    Ok(plan.changes)
}

/// Plans the rename on the texts `source` holds; writes nothing.
pub fn plan(project: &Project, source: &dyn Source, doc: &str, old: &str, new: &str) -> Result<Plan, RenameError> {
    let d = super::select(&project.documents, Some(doc))?[0];
    let s = d.section(old).ok_or_else(|| RenameError::NoSection { doc: doc.into(), id: old.into() })?;
    if !is_key(new) {
        return Err(RenameError::InvalidId { id: new.into() });
    }
    if let Some(t) = d.section(new) {
        return Err(RenameError::Taken { doc: doc.into(), id: new.into(), at: t.ja.loc.clone() });
    }
    let mut texts = Texts { source, read: BTreeMap::new() };
    let mut edits: Vec<(Loc, &'static str, Range<usize>)> = Vec::new();
    for loc in std::iter::once(&s.ja.loc).chain(s.en.as_ref().map(|e| &e.loc)) {
        let range = heading_id(texts.get(&loc.file)?, loc.line, old);
        edits.push(found(loc, "heading", old, range)?);
    }
    let mut refs = Vec::new();
    for other in &project.documents {
        xref::each_ref(other, &mut |r, _, _| {
            if r.doc == doc && r.section.as_deref() == Some(old) {
                refs.push(r.loc.clone());
            }
        });
    }
    for loc in &refs {
        let range = reference_id(texts.get(&loc.file)?, loc, doc, old);
        edits.push(found(loc, "reference", old, range)?);
    }
    edits.sort_by(|a, b| (&a.0.file, std::cmp::Reverse(a.2.start)).cmp(&(&b.0.file, std::cmp::Reverse(b.2.start))));
    edits.dedup_by(|a, b| a.0.file == b.0.file && a.2 == b.2);
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut changes = Vec::new();
    for (loc, what, range) in edits {
        let text = files.entry(loc.file.clone()).or_insert_with(|| texts.read[&loc.file].clone());
        text.replace_range(range, new);
        changes.push(Change { loc, what, before: format!("#{old}"), after: format!("#{new}") });
    }
    fingerprints(project, source, &mut files, doc, (old, new), &mut changes)?;
    changes.sort_by(|a, b| a.loc.cmp(&b.loc));
    Ok(Plan { files, changes })
}

/// An edit that was found, or the error that stops the rename.
fn found(
    loc: &Loc,
    what: &'static str,
    id: &str,
    range: Option<Range<usize>>,
) -> Result<(Loc, &'static str, Range<usize>), RenameError> {
    match range {
        Some(r) => Ok((loc.clone(), what, r)),
        None => Err(RenameError::NotFound { at: loc.clone(), what, id: id.into() }),
    }
}

/// The files' texts as read once from the source.
struct Texts<'a> {
    source: &'a dyn Source,
    read: BTreeMap<String, String>,
}

impl Texts<'_> {
    fn get(&mut self, file: &str) -> Result<&str, RenameError> {
        if !self.read.contains_key(file) {
            let text = self.source.read_text(file)?;
            self.read.insert(file.to_string(), text);
        }
        Ok(&self.read[file])
    }
}

/// The byte range of line `line` (1-based), without its end.
fn line_range(text: &str, line: u32) -> Option<Range<usize>> {
    let start: usize = text.split_inclusive('\n').take(line as usize - 1).map(str::len).sum();
    let l = text[start..].split('\n').next()?;
    Some(start..start + l.trim_end_matches('\r').len())
}

/// Whether `c` may continue an id.
fn id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// The range of `old` in the `{#old …}` of the heading on `line`.
fn heading_id(text: &str, line: u32, old: &str) -> Option<Range<usize>> {
    let l = line_range(text, line)?;
    let open = l.start + text[l.clone()].rfind('{')?;
    let attrs = &text[open..l.end];
    let at = attrs.match_indices(&format!("#{old}")).find(|(i, m)| {
        let before = attrs[..*i].chars().last();
        let after = attrs[i + m.len()..].chars().next();
        matches!(before, Some('{' | ' ' | '\t')) && after.is_some_and(|c| !id_char(c))
    })?;
    Some(open + at.0 + 1..open + at.0 + 1 + old.len())
}

/// The range of `old` in the destination of the reference that starts at `loc` (`[…](#old…)`,
/// `[…](doc#old…)`, `[…](<#old…>)`).
fn reference_id(text: &str, loc: &Loc, doc: &str, old: &str) -> Option<Range<usize>> {
    let l = line_range(text, loc.line)?;
    let start = l.start + text[l].char_indices().nth(loc.column as usize - 1)?.0;
    let dest = start + text[start..].find("](")? + 2;
    let dest = dest + usize::from(text[dest..].starts_with('<'));
    let rest = &text[dest..];
    let skip = [format!("#{old}"), format!("{doc}#{old}")].into_iter().find(|p| rest.starts_with(p.as_str()))?;
    let end = dest + skip.len();
    text[end..].chars().next().filter(|&c| !id_char(c))?;
    Some(end - old.len()..end)
}

/// The `ja=` records the rename would break: the project is loaded again from the new texts, and
/// each section confirmed against its old fingerprint gets its new one.
fn fingerprints(
    project: &Project,
    source: &dyn Source,
    files: &mut BTreeMap<String, String>,
    doc: &str,
    (old, new): (&str, &str),
    changes: &mut Vec<Change>,
) -> Result<(), RenameError> {
    let renamed = load(&Overlay { base: source, files })?.project;
    let mut lines: BTreeMap<String, BTreeMap<u32, String>> = BTreeMap::new();
    for d in &project.documents {
        let Some(nd) = renamed.document(&d.id) else { continue };
        for s in d.walk() {
            let id = if d.id == doc && s.id == old { new } else { s.id.as_str() };
            let (Some(record), Some(n)) = (&s.confirmed, nd.section(id)) else { continue };
            let (Some(record), Some(en)) = (refreshed(record, &s.fingerprints, &n.fingerprints), &n.en) else {
                continue;
            };
            let text = files.get(&en.loc.file).map_or_else(|| source.read_text(&en.loc.file), |t| Ok(t.clone()))?;
            let Some(line) = text.lines().nth(en.loc.line as usize - 1).and_then(|l| set_fingerprint(l, &record))
            else {
                continue;
            };
            let before = s.confirmed.clone().unwrap_or_default();
            changes.push(Change { loc: en.loc.clone(), what: "fingerprint", before, after: record });
            lines.entry(en.loc.file.clone()).or_default().insert(en.loc.line, line);
            files.entry(en.loc.file.clone()).or_insert(text);
        }
    }
    for (file, edits) in lines {
        let text = files.get_mut(&file).expect("read above");
        *text = apply(text, &edits);
    }
    Ok(())
}

/// The `ja=` record after a rename that changed a section's fingerprints from `old` to `new`:
/// each recorded part that matched the old fingerprint takes the new one. `None` when nothing
/// changes (the fingerprints are the same, or the record matched none: it stays stale).
fn refreshed(record: &str, old: &[String], new: &[String]) -> Option<String> {
    if old == new {
        return None;
    }
    if record == fingerprint_record(old) {
        return Some(fingerprint_record(new));
    }
    let parts: Vec<&str> = record.split('.').collect();
    if parts.len() != old.len() || old.len() != new.len() {
        return None;
    }
    let out: Vec<&str> =
        parts.iter().zip(old.iter().zip(new)).map(|(p, (o, n))| if p == o { n.as_str() } else { *p }).collect();
    (out != parts).then(|| out.join("."))
}

/// A source with some files replaced by new texts.
struct Overlay<'a> {
    base: &'a dyn Source,
    files: &'a BTreeMap<String, String>,
}

impl Source for Overlay<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        match self.files.get(path) {
            Some(t) => Ok(t.as_bytes().to_vec()),
            None => self.base.read(path),
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, SourceError> {
        self.base.list(dir)
    }

    fn origin(&self) -> String {
        self.base.origin()
    }
}

#[cfg(test)]
mod tests;
