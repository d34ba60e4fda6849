//! `policybook history`: the revisions of each document, from its front matter (改定履歴: 和暦
//! dates, 策定 / 一部改定 / 全部改定) and from git (the tags that mark releases, `[history]
//! release-tags` in book.toml), each release read from git objects.

use crate::config::{Config, Lang};
use crate::edition::Edition;
use crate::model::{load, Date, Document};
use crate::source::git::{self, GitError, GitSource};
use crate::model::wareki::format_date;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("release {tag}: {message}")]
    Release { tag: String, message: String },
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

/// The civil date of a git time (seconds since the epoch and offset in minutes).
pub fn git_date(t: git2::Time) -> Date {
    let secs = t.seconds() + i64::from(t.offset_minutes()) * 60;
    let days = secs.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Date { year: (if m <= 2 { y + 1 } else { y }) as i32, month: m, day: d }
}

/// A fingerprint of a document's whole text in both languages.
fn text_key(d: &Document) -> String {
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

/// The tags matching `pattern`, oldest commit first: tag, commit, commit date, and the project as
/// it was in that commit.
pub fn release_sources(
    project_dir: &Path,
    pattern: &str,
) -> Result<Vec<(String, git2::Oid, Date, GitSource)>, HistoryError> {
    let (repo, prefix) = git::discover(project_dir)?;
    let names = repo.tag_names(Some(pattern)).map_err(GitError::from)?;
    let mut tags: Vec<(i64, String, git2::Oid, Date)> = Vec::new();
    for name in names.iter().flatten().flatten() {
        let commit = git::resolve_commit(&repo, &format!("refs/tags/{name}"))?;
        let c = repo.find_commit(commit).map_err(GitError::from)?;
        tags.push((c.time().seconds(), name.to_string(), commit, git_date(c.time())));
    }
    tags.sort();
    let mut out = Vec::new();
    for (_, tag, commit, date) in tags {
        let repo = git2::Repository::open(repo.path()).map_err(GitError::from)?;
        // A tag from before the project existed (in this folder) is no release of it.
        let source = match GitSource::at(repo, prefix.clone(), &tag, commit) {
            Err(GitError::NoProject { .. }) => continue,
            r => r?,
        };
        if !crate::source::Source::exists(&source, crate::model::MANIFEST) {
            continue;
        }
        out.push((tag, commit, date, source));
    }
    Ok(out)
}

/// The releases of the project at `project_dir`: the tags matching `pattern` (a glob such as
/// `policy-*`), oldest first.
/// With `edition`, each release is seen as that edition: its documents only, and a document counts
/// as changed only when the text that edition shows changed.
pub fn releases(project_dir: &Path, pattern: &str, edition: Option<&str>) -> Result<Vec<Release>, HistoryError> {
    let mut out: Vec<Release> = Vec::new();
    let mut last: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (tag, commit, date, source) in release_sources(project_dir, pattern)? {
        let err = |message: String| HistoryError::Release { tag: tag.clone(), message };
        let loaded = load(&source).map_err(|e| err(e.to_string()))?;
        let filtered;
        let docs: &[Document] = match edition {
            None => &loaded.project.documents,
            Some(name) => match Edition::filter(&loaded.project, name) {
                Ok(e) => {
                    filtered = e;
                    filtered.documents()
                }
                // A release from before the edition existed.
                Err(_) => continue,
            },
        };
        let documents = docs
            .iter()
            .map(|d| {
                let key = text_key(d);
                let changed = last.get(&d.id) != Some(&key);
                last.insert(d.id.clone(), key);
                (d.id.clone(), Released { version: d.version.clone(), effective: d.effective, changed })
            })
            .collect();
        let id = commit.to_string();
        out.push(Release { tag, commit: id[..7.min(id.len())].to_string(), date, documents });
    }
    Ok(out)
}

/// 「版 3.0, 」 before the effective date, or nothing for a document without a version name.
fn version_part(word: &str, version: &Option<String>) -> String {
    version.as_ref().map_or_else(String::new, |v| format!("{word} {v}, "))
}

/// The history as text, for every document of `docs` or one.
pub fn text(config: &Config, docs: &[Document], releases: Option<&[Release]>, doc: Option<&str>, lang: Lang) -> String {
    let mut out = String::new();
    let (h_rev, h_rel, version, effective, unchanged, none) = match lang {
        Lang::Ja => ("改定履歴", "リリース", "版", "施行", "（変更なし）", "（該当するタグなし）"),
        Lang::En => ("Revision history", "Releases", "version", "effective", "(unchanged)", "(no matching tag)"),
    };
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
        let _ = writeln!(out, "  {h_rev}");
        for r in &d.history {
            let _ = writeln!(out, "    {}  {}  {}", format_date(r.date, lang), r.kind_label(lang), r.note(lang));
        }
        if let Some(rels) = releases {
            let pattern = config.history.release_tags.as_deref().unwrap_or("");
            let _ = writeln!(out, "  {h_rel} ({pattern})");
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
                    if doc.changed { String::new() } else { format!("  {unchanged}") }
                );
            }
            if !any {
                let _ = writeln!(out, "    {none}");
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_dates() {
        let d = |s: i64, off: i32| git_date(git2::Time::new(s, off));
        assert_eq!(d(0, 0), Date { year: 1970, month: 1, day: 1 });
        // 2026-03-31 20:00 UTC is 2026-04-01 05:00 in Japan.
        assert_eq!(d(1_774_987_200, 0), Date { year: 2026, month: 3, day: 31 });
        assert_eq!(d(1_774_987_200, 540), Date { year: 2026, month: 4, day: 1 });
        assert_eq!(d(951_782_400, 0), Date { year: 2000, month: 2, day: 29 });
    }
}
