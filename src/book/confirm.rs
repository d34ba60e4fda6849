//! `policybook confirm`: records, on each English heading, the fingerprint of the Japanese text
//! its translation now matches (`{#id ja=1a2b3c4d}`), the way gettext clears a fuzzy mark.

use crate::diag::{Localize, Message};
use crate::model::{Document, Section, Translation};
use std::collections::BTreeMap;

/// Line edits to English files: file → (1-based line → new line text).
pub type Edits = BTreeMap<String, BTreeMap<u32, String>>;

#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    #[error("{}", self.text())]
    NoSection { doc: String, id: String },
    #[error("{}", self.text())]
    Untranslated { id: String },
    #[error("{}", self.text())]
    NoDocument(String),
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
    #[error("{}", self.text())]
    Write { file: String, source: std::io::Error },
}

impl Localize for ConfirmError {
    fn text(&self) -> Message {
        match self {
            ConfirmError::NoSection { doc, id } => Message::new("confirm-no-section").arg("doc", doc).arg("id", id),
            ConfirmError::Untranslated { id } => Message::new("confirm-untranslated").arg("id", id),
            ConfirmError::NoDocument(doc) => Message::new("confirm-no-document").arg("doc", doc),
            ConfirmError::Source(e) => e.text(),
            ConfirmError::Write { file, source } => Message::new("io-write").arg("path", file).arg("error", source),
        }
    }
}

/// Confirms `ids` (every section needing it when empty) of document `doc` of `book`, writing the
/// English files in its folder; returns the ids confirmed.
pub fn confirm(book: &super::Book, doc: &str, ids: &[String]) -> Result<Vec<String>, ConfirmError> {
    let source = book.source();
    let d = book.project().document(doc).ok_or_else(|| ConfirmError::NoDocument(doc.to_string()))?;
    let (edits, done) = plan(d, ids, &|f| source.read_text(f).ok())?;
    for (file, lines) in &edits {
        let text = source.read_text(file)?;
        // Atomically: a killed `confirm` must not leave a source file cut short.
        super::output::write_atomically(&book.dir().join(file), apply(&text, lines).as_bytes())
            .map_err(|source| ConfirmError::Write { file: file.clone(), source })?;
    }
    Ok(done)
}

/// Plans the edits that confirm `ids` (all sections needing it when empty) of `doc`. `read`
/// returns the current text of a file.
pub fn plan(
    doc: &Document,
    ids: &[String],
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<(Edits, Vec<String>), ConfirmError> {
    let all = doc.walk();
    let chosen: Vec<&Section> = if ids.is_empty() {
        all.iter().copied().filter(|s| matches!(s.translation, Translation::Stale | Translation::Unconfirmed)).collect()
    } else {
        ids.iter()
            .map(|id| {
                all.iter()
                    .copied()
                    .find(|s| s.id == *id)
                    .ok_or_else(|| ConfirmError::NoSection { doc: doc.id.clone(), id: id.clone() })
            })
            .collect::<Result<_, _>>()?
    };
    let mut edits = Edits::new();
    let mut done = Vec::new();
    for s in chosen {
        let Some(en) = &s.en else { return Err(ConfirmError::Untranslated { id: s.id.clone() }) };
        let Some(text) = read(&en.loc.file) else { continue };
        let Some(line) = text.lines().nth(en.loc.line as usize - 1) else { continue };
        if let Some(new) = set_fingerprint(line, &s.fingerprint) {
            edits.entry(en.loc.file.clone()).or_default().insert(en.loc.line, new);
            done.push(s.id.clone());
        }
    }
    Ok((edits, done))
}

/// Applies line edits to a file's text, keeping its line endings.
pub fn apply(text: &str, lines: &BTreeMap<u32, String>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        match lines.get(&(i as u32 + 1)) {
            Some(new) => {
                out.push_str(new);
                out.push_str(&line[line.trim_end_matches(['\n', '\r']).len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A heading line with its `ja=` attribute set to `fp`. `None` if the line has no `{…}` block.
pub fn set_fingerprint(line: &str, fp: &str) -> Option<String> {
    let body = line.trim_end();
    let open = body.rfind('{')?;
    if !body.ends_with('}') {
        return None;
    }
    let attrs: Vec<&str> =
        body[open + 1..body.len() - 1].split_whitespace().filter(|a| !a.starts_with("ja=")).collect();
    Some(format!("{}{{{} ja={fp}}}", &body[..open], attrs.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_added_or_replaced() {
        assert_eq!(set_fingerprint("# Purpose {#purpose}", "abcd1234").unwrap(), "# Purpose {#purpose ja=abcd1234}");
        assert_eq!(
            set_fingerprint("## X {#x .internal ja=00000000}", "abcd1234").unwrap(),
            "## X {#x .internal ja=abcd1234}"
        );
        assert!(set_fingerprint("# No id", "x").is_none());
    }

    #[test]
    fn apply_replaces_lines_and_keeps_endings() {
        let mut m = BTreeMap::new();
        m.insert(2, "B".to_string());
        assert_eq!(apply("a\r\nb\r\nc", &m), "a\r\nB\r\nc");
    }
}
