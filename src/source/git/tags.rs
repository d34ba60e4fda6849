//! The tags that mark releases, each with its commit, the commit's date and the project as it was
//! in that commit.

use super::{discover, resolve_commit, CommitId, GitError, GitSource};
use crate::diag::Message;
use crate::model::Date;
use git2::{ObjectType, Oid, Repository};
use std::path::Path;

/// A release tag and the project in its commit.
#[derive(Debug)]
pub struct Tagged {
    pub tag: String,
    pub commit: CommitId,
    /// The commit date (in the committer's time zone).
    pub date: Date,
    pub source: GitSource,
}

/// The tags matching `pattern` (a glob such as `policy-*`) of the repository holding
/// `project_dir`, oldest commit first. A tag whose commit has no project folder is left out, and so
/// is a tag on a blob or a tree ([`skipped_tags`] says which).
pub fn release_tags(project_dir: &Path, pattern: &str) -> Result<Vec<Tagged>, GitError> {
    let (repo, prefix) = discover(project_dir)?;
    let names = repo.tag_names(Some(pattern))?;
    let mut tags: Vec<(i64, String, Oid, Date)> = Vec::new();
    for name in names.iter().flatten().flatten().filter(|n| non_commit(&repo, n).is_none()) {
        let commit = resolve_commit(&repo, &format!("refs/tags/{name}"))?;
        let time = repo.find_commit(commit)?.time();
        tags.push((time.seconds(), name.to_string(), commit, commit_date(time)));
    }
    tags.sort();
    let mut out = Vec::new();
    for (_, tag, commit, date) in tags {
        let repo = Repository::open(repo.path())?;
        // A tag from before the project existed (in this folder) is no release of it.
        let source = match GitSource::at(repo, prefix.clone(), &tag, commit) {
            Err(GitError::NoProject { .. }) => continue,
            r => r?,
        };
        out.push(Tagged { tag, commit: CommitId::of(commit), date, source });
    }
    Ok(out)
}

/// The tags matching `pattern` that name no commit, each with a warning for the reader.
pub fn skipped_tags(project_dir: &Path, pattern: &str) -> Result<Vec<Message>, GitError> {
    let (repo, _) = discover(project_dir)?;
    let names = repo.tag_names(Some(pattern))?;
    let warn = |(name, blob): (&str, bool)| {
        let key = if blob { "git-tag-skipped.blob" } else { "git-tag-skipped.tree" };
        Message::new(key).arg("name", name)
    };
    Ok(names.iter().flatten().flatten().filter_map(|n| non_commit(&repo, n).map(|k| warn((n, k)))).collect())
}

/// Whether tag `name` names a blob (`true`) or a tree (`false`), no release; `None` for a commit,
/// or when the object cannot be read (resolving the tag then says why, a shallow clone for one).
fn non_commit(repo: &Repository, name: &str) -> Option<bool> {
    let obj = repo.revparse_single(&format!("refs/tags/{name}")).ok()?;
    let target = if obj.kind() == Some(ObjectType::Tag) { obj.peel(ObjectType::Any).ok()? } else { obj };
    match target.kind() {
        Some(ObjectType::Blob) => Some(true),
        Some(ObjectType::Tree) => Some(false),
        _ => None,
    }
}

/// What a revision is called for readers of a 新旧対照表: the tag it names (or a tag matching
/// `pattern` on its commit), else the date of its commit; and the commit itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub tag: Option<String>,
    pub date: Date,
    pub commit: CommitId,
}

/// The name of revision `rev` of the repository holding `project_dir`.
pub fn named(project_dir: &Path, rev: &str, pattern: Option<&str>) -> Result<Named, GitError> {
    let (repo, _) = discover(project_dir)?;
    let commit = resolve_commit(&repo, rev)?;
    let date = commit_date(repo.find_commit(commit)?.time());
    let mut tag = repo.find_reference(&format!("refs/tags/{rev}")).is_ok().then(|| rev.to_string());
    if let (None, Some(p)) = (&tag, pattern) {
        let names = repo.tag_names(Some(p))?;
        let on_commit = |name: &str| resolve_commit(&repo, &format!("refs/tags/{name}")).ok() == Some(commit);
        tag = names.iter().flatten().flatten().find(|n| on_commit(n)).map(str::to_string);
    }
    Ok(Named { tag, date, commit: CommitId::of(commit) })
}

/// The civil date of a git time (seconds since the epoch, and the offset in minutes).
pub(super) fn commit_date(t: git2::Time) -> Date {
    let secs = t.seconds() + i64::from(t.offset_minutes()) * 60;
    Date::from_unix_days(secs.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_dates() {
        let d = |s: i64, off: i32| commit_date(git2::Time::new(s, off));
        assert_eq!(d(0, 0), Date { year: 1970, month: 1, day: 1 });
        // 2026-03-31 20:00 UTC is 2026-04-01 05:00 in Japan.
        assert_eq!(d(1_774_987_200, 0), Date { year: 2026, month: 3, day: 31 });
        assert_eq!(d(1_774_987_200, 540), Date { year: 2026, month: 4, day: 1 });
        assert_eq!(d(951_782_400, 0), Date { year: 2000, month: 2, day: 29 });
    }
}
