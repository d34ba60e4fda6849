//! `policybook translation export`: the XLIFF package of an edition ([`crate::render::xliff`]),
//! with, on each stale section, the Japanese its English was confirmed against (from git history,
//! as `translation diff` finds it).

use super::changes::{changes, ChangesError};
use crate::book::Book;
use crate::edition::{Document, Edition, Section};
use crate::render::xliff::{self, Annotate, Note, Only};
use crate::source::git::GitError;
use std::collections::BTreeMap;

/// The notes on stale sections: the Japanese then, or that it was not found.
struct StaleNotes(BTreeMap<(String, String), String>);

impl Annotate for StaleNotes {
    fn notes(&self, doc: &Document, section: &Section) -> Vec<Note> {
        let key = (doc.id.clone(), section.id.clone());
        self.0
            .get(&key)
            .map(|text| vec![Note { category: "ja-confirmed".into(), text: text.clone() }])
            .unwrap_or_default()
    }
}

/// The package of `edition`: the sections `only` selects. Outside a git repository stale sections
/// carry no note of their earlier Japanese.
pub fn export(book: &Book, edition: &Edition, only: Only) -> Result<String, ChangesError> {
    let stale = match changes(book, edition, None, &[]) {
        Ok(s) => s,
        Err(ChangesError::Git(GitError::NotARepository { .. })) => Vec::new(),
        Err(e) => return Err(e),
    };
    let notes = stale
        .into_iter()
        .map(|s| {
            let text = match s.then {
                Some((found, then)) => format!("The Japanese when the English was confirmed ({found}):\n{then}"),
                None => format!(
                    "The Japanese the English was confirmed against (ja={}) is not in the git history.",
                    s.confirmed
                ),
            };
            ((s.doc, s.id), text)
        })
        .collect();
    let annotators: [&dyn Annotate; 1] = [&StaleNotes(notes)];
    Ok(xliff::export(edition, only, &annotators))
}
