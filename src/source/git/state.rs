//! The commit a build comes from: the revision given, or the commit checked out with whether the
//! project's files differ from it.

use super::{discover, resolve_commit, CommitId};
use git2::Repository;
use std::path::Path;

/// The commit a build was made from, as far as git can say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// Not inside a git repository, or nothing committed yet.
    NoCommit,
    /// The revision given is unknown to git.
    UnknownRevision,
    /// A commit; `dirty` when the working tree's watched files differ from it (never for a given
    /// revision, which is read from git objects).
    Commit { id: CommitId, dirty: bool },
}

/// The revision `rev` when given, otherwise the commit checked out in the repository holding
/// `project_dir`, dirty when the project's files differ from it (uncommitted or untracked changes
/// to `watched`, paths relative to `project_dir` such as `book.toml` and the source folder).
pub fn provenance(project_dir: &Path, rev: Option<&str>, watched: &[&str]) -> Provenance {
    let Ok((repo, prefix)) = discover(project_dir) else { return Provenance::NoCommit };
    if let Some(rev) = rev {
        return resolve_commit(&repo, rev)
            .map_or(Provenance::UnknownRevision, |c| Provenance::Commit { id: CommitId::of(c), dirty: false });
    }
    let Some(head) = repo.head().ok().and_then(|h| h.peel_to_commit().ok()).map(|c| c.id()) else {
        return Provenance::NoCommit;
    };
    Provenance::Commit { id: CommitId::of(head), dirty: dirty(&repo, &prefix, watched) }
}

/// Whether `watched` (below the project folder `prefix`) has uncommitted or untracked changes.
fn dirty(repo: &Repository, prefix: &str, watched: &[&str]) -> bool {
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true).include_ignored(false);
    for w in watched {
        opts.pathspec(if prefix.is_empty() { w.to_string() } else { format!("{prefix}/{w}") });
    }
    repo.statuses(Some(&mut opts)).map(|s| !s.is_empty()).unwrap_or(true)
}
