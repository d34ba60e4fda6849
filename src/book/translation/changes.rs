//! `policybook translation diff`: for each stale section, the Japanese as it was when the English
//! was confirmed, recovered from git history by its fingerprint, against the Japanese now.
//!
//! The `ja=` on the English heading is the fingerprint of the Japanese the translation was
//! confirmed against. The versions of the section's Japanese file are walked newest first; in each,
//! the project is loaded and the section's fingerprint recomputed; the first that matches is the
//! text confirmed. Both texts are taken from the edition, so nothing above its ceiling is shown.

use super::super::{Book, Checked};
use crate::edition::{Edition, UnknownEdition};
use crate::model::{blocks_text, plain_text, SectionText, Translation};
use crate::render::diff::stale::Stale;
use crate::render::StaleDiffs;
use crate::source::git::{file_versions, GitError, Version};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    #[error(transparent)]
    NoDocument(#[from] super::super::NoDocument),
    #[error("{}", crate::diag::Localize::text(self))]
    NoSection { doc: String, id: String, edition: String },
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Edition(#[from] UnknownEdition),
    #[error("{}", crate::diag::Localize::text(self))]
    Public { edition: String },
}

impl crate::diag::Localize for ChangesError {
    fn text(&self) -> crate::diag::Message {
        match self {
            ChangesError::NoDocument(e) => e.text(),
            ChangesError::NoSection { doc, id, edition } => {
                crate::diag::Message::new("xliff-no-section").arg("doc", doc).arg("id", id).arg("edition", edition)
            }
            ChangesError::Git(e) => e.text(),
            ChangesError::Edition(e) => e.text(),
            ChangesError::Public { edition } => crate::diag::Message::new("stale-diff-public").arg("edition", edition),
        }
    }
}

/// The stale sections of `doc` (every document when `None`; only `ids` when given) in `edition`,
/// each with the Japanese it was confirmed against when git history has it.
pub fn changes(book: &Book, edition: &Edition, doc: Option<&str>, ids: &[String]) -> Result<Vec<Stale>, ChangesError> {
    changes_with(book, edition, doc, ids, None)
}

/// The earlier Japanese found in git history, kept between searches by a long-lived caller (the
/// preview server, which searches again after every edit): by edition, file, document, section
/// and confirmed fingerprint. A commit never changes, so what was found stays right; what was not
/// found stays so until the history is rewritten (restart the preview then).
#[derive(Default)]
pub struct Found(Mutex<HashMap<[String; 5], Then>>);

/// Where the confirmed Japanese was found, and its text (see [`Stale::then`]).
type Then = Option<(String, String)>;

fn changes_with(
    book: &Book,
    edition: &Edition,
    doc: Option<&str>,
    ids: &[String],
    memo: Option<&Found>,
) -> Result<Vec<Stale>, ChangesError> {
    let docs = super::super::select(edition.documents(), doc)?;
    let mut history = History { book, edition: edition.name(), files: HashMap::new(), memo };
    let mut out = Vec::new();
    for d in docs {
        for id in ids {
            if d.section(id).is_none() {
                return Err(ChangesError::NoSection {
                    doc: d.id.clone(),
                    id: id.clone(),
                    edition: edition.name().into(),
                });
            }
        }
        let stale = d.walk().into_iter().filter(|s| s.translation == Translation::Stale);
        for s in stale.filter(|s| ids.is_empty() || ids.contains(&s.id)) {
            // The record is read from the project; only its part at the edition's ceiling is used.
            let raw = book.project().document(&d.id).and_then(|p| p.section(&s.id));
            let confirmed = raw.and_then(|r| r.confirmed_at(edition.ceiling())).unwrap_or_default().to_string();
            let then = history.find(&d.id, &s.id, &s.ja.loc.file, &confirmed)?;
            let heading = match &s.number {
                Some(n) => format!("{} {}", n.label(crate::config::Lang::Ja), plain_text(&s.ja.title)),
                None => plain_text(&s.ja.title),
            };
            out.push(Stale { doc: d.id.clone(), id: s.id.clone(), heading, confirmed, then, now: text(&s.ja) });
        }
    }
    Ok(out)
}

/// What changed in the Japanese of each stale section of `edition` since its English was
/// confirmed, as the English pages show it beside the section: the items of [`changes`] (the
/// earlier Japanese filtered by the same edition at its revision), made into HTML by
/// [`crate::render::diff::stale::fragments`], for `render::html::Options::stale`. The build calls
/// it for editions with `stale-diff = true`; a preview server may call it for the edition it
/// shows. Refused for an edition whose ceiling is the lowest level: the public site is for
/// citizens, not a translator's worksheet.
pub fn stale_for(checked: &Checked, edition: &Edition) -> Result<StaleDiffs, ChangesError> {
    stale_for_with(checked, edition, None)
}

/// [`stale_for`], with what earlier searches found kept in `memo`.
pub fn stale_for_with(checked: &Checked, edition: &Edition, memo: Option<&Found>) -> Result<StaleDiffs, ChangesError> {
    if edition.is_public() {
        return Err(ChangesError::Public { edition: edition.name().into() });
    }
    let items = changes_with(checked, edition, None, &[], memo)?;
    Ok(crate::render::diff::stale::fragments(&items, crate::config::Lang::En))
}

/// A section's Japanese as compared: the title, then one line per paragraph, item or row.
fn text<P>(t: &SectionText<P>) -> String {
    let mut s = plain_text(&t.title);
    s.push('\n');
    s.push_str(&blocks_text(&t.blocks));
    s.trim_end().to_string()
}

/// The versions of each Japanese file, newest first, each loaded and filtered to the edition
/// only when a search reaches it (a found fingerprint is usually a recent version, and loading
/// one is loading a whole project), and then kept for the next search.
struct History<'a> {
    book: &'a Book,
    edition: &'a str,
    files: HashMap<String, Versions>,
    memo: Option<&'a Found>,
}

/// The versions of one file: those loaded, then those not loaded yet (newest first).
#[derive(Default)]
struct Versions {
    loaded: Vec<Loaded>,
    pending: std::collections::VecDeque<Version>,
}

/// One version of the project: where it comes from, and its edition (`None` when it cannot be
/// loaded or has no such edition). The edition's fingerprints are those its ceiling sees.
struct Loaded {
    found: String,
    edition: Option<Edition>,
}

impl History<'_> {
    /// The Japanese of section `id` in the newest version of `file` where its fingerprint (at the
    /// edition's ceiling) is `confirmed`, with where it was found.
    fn find(&mut self, doc: &str, id: &str, file: &str, confirmed: &str) -> Result<Option<(String, String)>, GitError> {
        let key = [self.edition, file, doc, id, confirmed].map(str::to_string);
        let memo = |m: &Found| m.0.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        if let Some(found) = self.memo.and_then(memo) {
            return Ok(found);
        }
        let found = self.search(doc, id, file, confirmed)?;
        if let Some(m) = self.memo {
            m.0.lock().unwrap_or_else(|e| e.into_inner()).insert(key, found.clone());
        }
        Ok(found)
    }

    /// [`History::find`] in the versions of `file`, loading them as far as needed.
    fn search(
        &mut self,
        doc: &str,
        id: &str,
        file: &str,
        confirmed: &str,
    ) -> Result<Option<(String, String)>, GitError> {
        if !self.files.contains_key(file) {
            let pending = file_versions(self.book.dir(), file)?.into();
            self.files.insert(file.to_string(), Versions { loaded: Vec::new(), pending });
        }
        let matches = |v: &Loaded| {
            let section = v.edition.as_ref()?.document(doc)?.section(id)?;
            (section.fingerprint == confirmed).then(|| (v.found.clone(), text(&section.ja)))
        };
        if let Some(found) = self.files[file].loaded.iter().find_map(matches) {
            return Ok(Some(found));
        }
        while let Some(v) = self.files.get_mut(file).and_then(|f| f.pending.pop_front()) {
            let loaded = self.load(v);
            let found = matches(&loaded);
            self.files.get_mut(file).expect("inserted above").loaded.push(loaded);
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    fn load(&self, v: Version) -> Loaded {
        let found = format!("commit {} of {}", v.commit.short(), v.date);
        let short = v.commit.short().to_string();
        let Ok(old) = Book::from_source(self.book.dir(), Some(&short), Box::new(v.source)) else {
            return Loaded { found, edition: None };
        };
        Loaded { found, edition: Edition::filter(old.project(), self.edition).ok() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemSource;

    /// The project of `policybook init`, checked.
    fn checked() -> Checked {
        let mut mem = MemSource::new();
        for (p, b) in crate::book::init::files() {
            mem.insert(&p, std::str::from_utf8(&b).unwrap());
        }
        let book = Book::from_source(std::path::Path::new("."), None, Box::new(mem)).unwrap();
        book.check().map_err(|r| format!("{:?}", r.diagnostics())).unwrap()
    }

    #[test]
    fn the_public_edition_never_gets_stale_diffs() {
        let checked = checked();
        let public = Edition::filter(checked.project(), "public").unwrap();
        let e = stale_for(&checked, &public).unwrap_err();
        assert!(matches!(e, ChangesError::Public { .. }), "{e}");
        // The project of `init` has no stale section: git is not read.
        let internal = Edition::filter(checked.project(), "internal").unwrap();
        assert!(stale_for(&checked, &internal).unwrap().is_empty());
    }
}
