//! `policybook history`: the revisions of each document, from its front matter (改定履歴: 和暦
//! dates, 策定 / 一部改定 / 全部改定) and from git (the tags that mark releases, `[history]
//! release-tags` in book.toml), each release read from git objects.

use crate::config::{Config, Lang};
use crate::diag::{Localize, Message};
use crate::edition::Edition;
use crate::model::wareki::format_date;
use crate::model::{load_with, Date, Document, ParseCache, MANIFEST};
use crate::source::git::{self, GitError, Tagged};
use crate::source::Source;
use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("{}", self.text())]
    Release { tag: String, message: String },
}

impl Localize for HistoryError {
    fn text(&self) -> Message {
        match self {
            HistoryError::Git(e) => e.text(),
            HistoryError::Release { tag, message } => Message::new("release").arg("tag", tag).arg("detail", message),
        }
    }
}

/// A document as released under a tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Released {
    pub version: Option<String>,
    pub effective: Date,
    /// Whether its text (either language) differs from the previous release.
    pub changed: bool,
}

/// A git tag marking a release.
#[derive(Debug, Clone)]
pub struct Release {
    pub tag: String,
    /// Abbreviated commit id.
    pub commit: String,
    /// The commit date (in the committer's time zone).
    pub date: Date,
    /// The documents of the release, by id.
    pub documents: Vec<(String, Released)>,
}

/// A fingerprint of a document's whole text in both languages.
fn text_key<P>(d: &Document<P>) -> String {
    let mut s = d.title.ja.clone();
    s.push_str(d.title.en.as_deref().unwrap_or(""));
    s.push_str(&crate::model::blocks_text(&d.preamble.ja));
    if let Some(en) = &d.preamble.en {
        s.push_str(&crate::model::blocks_text(en));
    }
    for sec in d.walk() {
        s.push_str(&sec.id);
        s.push_str(&sec.fingerprint);
        if let Some(en) = &sec.en {
            s.push_str(&crate::model::plain_text(&en.title));
            s.push_str(&crate::model::blocks_text(&en.blocks));
        }
    }
    s
}

/// The release tags matching `pattern` whose commit holds the project (a tag from before its
/// book.toml existed is no release of it), oldest first.
pub fn release_sources(project_dir: &Path, pattern: &str) -> Result<Vec<Tagged>, HistoryError> {
    let mut tags = git::release_tags(project_dir, pattern)?;
    tags.retain(|t| t.source.exists(MANIFEST));
    Ok(tags)
}

/// Warnings for the tags matching `pattern` that are no release (on a blob or a tree); a failure
/// to read the tags is reported by [`release_sources`] instead.
pub fn skipped_releases(project_dir: &Path, pattern: &str) -> Vec<Message> {
    git::skipped_tags(project_dir, pattern).unwrap_or_default()
}

/// The releases of the project at `project_dir`: the tags matching `pattern` (a glob such as
/// `policy-*`), oldest first.
/// With `edition`, each release is seen as that edition: its documents only, a document counts
/// as changed only when the text that edition shows changed, and a release that changed nothing
/// it shows is left out (its name may tell of what the edition leaves out).
pub fn releases(project_dir: &Path, pattern: &str, edition: Option<&str>) -> Result<Vec<Release>, HistoryError> {
    // The releases are loaded in parallel (each a project of its own); only the comparison with
    // the previous release runs in order.
    // Most files are the same from one release to the next: each is parsed once.
    let cache = crate::model::ParseCache::default();
    let snapshots =
        crate::model::par::map_owned(release_sources(project_dir, pattern)?, |t| snapshot(t, edition, &cache));
    let mut out: Vec<Release> = Vec::new();
    let mut last: HashMap<String, String> = HashMap::new();
    for s in snapshots {
        let (Tagged { tag, commit, date, .. }, docs) = s?;
        // `None`: a release from before the edition existed.
        let Some(docs) = docs else { continue };
        let documents = released(docs, &mut last);
        if edition.is_some() && !shows_a_change(out.last(), &documents) {
            continue;
        }
        out.push(Release { tag, commit: commit.short().to_string(), date, documents });
    }
    Ok(out)
}

/// A release's documents (seen as `edition` when given; `None` if it has no such edition), each
/// as its id, the key of its text, its version and effective date.
type Snapshot = Option<Vec<(String, String, Option<String>, Date)>>;

fn snapshot(t: Tagged, edition: Option<&str>, cache: &ParseCache) -> Result<(Tagged, Snapshot), HistoryError> {
    let loaded = load_with(&t.source, Some(cache))
        .map_err(|e| HistoryError::Release { tag: t.tag.clone(), message: e.to_string() })?;
    let docs = match edition {
        None => Some(keys(&loaded.project.documents)),
        Some(name) => Edition::filter(&loaded.project, name).ok().map(|e| keys(e.documents())),
    };
    Ok((t, docs))
}

fn keys<P>(docs: &[Document<P>]) -> Vec<(String, String, Option<String>, Date)> {
    docs.iter().map(|d| (d.id.clone(), text_key(d), d.version.clone(), d.effective)).collect()
}

/// Whether `documents` differ from the previous release's: a document changed, came or went.
fn shows_a_change(prev: Option<&Release>, documents: &[(String, Released)]) -> bool {
    let Some(prev) = prev else { return true };
    let ids = |d: &[(String, Released)]| d.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
    documents.iter().any(|(_, d)| d.changed) || ids(documents) != ids(&prev.documents)
}

/// Each document of a release with whether its text changed since `last` (updated).
fn released(
    docs: Vec<(String, String, Option<String>, Date)>,
    last: &mut HashMap<String, String>,
) -> Vec<(String, Released)> {
    docs.into_iter()
        .map(|(id, key, version, effective)| {
            let changed = last.get(&id) != Some(&key);
            last.insert(id.clone(), key);
            (id, Released { version, effective, changed })
        })
        .collect()
}

/// 「版 3.0, 」 before the effective date, or nothing for a document without a version name.
fn version_part(word: &str, version: &Option<String>) -> String {
    version.as_ref().map_or_else(String::new, |v| format!("{word} {v}, "))
}

/// The history as text, for every document of `docs` or one.
pub fn text<P>(
    config: &Config,
    docs: &[Document<P>],
    releases: Option<&[Release]>,
    doc: Option<&str>,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let w = crate::render::words::history(lang);
    let (version, effective) = (w.version, w.effective);
    for d in docs.iter().filter(|d| doc.is_none_or(|id| d.id == id)) {
        let _ = writeln!(
            out,
            "{}  {}  ({}{} {})",
            d.id,
            d.title(lang),
            version_part(version, &d.version),
            effective,
            format_date(d.effective, lang)
        );
        let _ = writeln!(out, "  {}", w.revisions);
        for r in &d.history {
            let _ = writeln!(
                out,
                "    {}  {}  {}",
                format_date(r.date, lang),
                r.kind_label(lang, &config.history.kinds),
                r.note(lang)
            );
        }
        if let Some(rels) = releases {
            let pattern = config.history.release_tags.as_deref().unwrap_or("");
            let _ = writeln!(out, "  {} ({pattern})", w.releases);
            let mut any = false;
            for rel in rels {
                let Some((_, doc)) = rel.documents.iter().find(|(id, _)| *id == d.id) else { continue };
                any = true;
                let _ = writeln!(
                    out,
                    "    {}  {}  {}  {}{} {}{}",
                    rel.tag,
                    rel.commit,
                    format_date(rel.date, lang),
                    version_part(version, &doc.version),
                    effective,
                    format_date(doc.effective, lang),
                    if doc.changed { String::new() } else { format!("  {}", w.unchanged) }
                );
            }
            if !any {
                let _ = writeln!(out, "    {}", w.no_tag);
            }
        }
        out.push('\n');
    }
    out
}
