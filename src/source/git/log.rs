//! The versions of one file in the history of HEAD: what `policybook translation diff` searches
//! for the Japanese text an English translation was confirmed against.

use super::{discover, tags::commit_date, CommitId, GitError, GitSource};
use crate::model::Date;
use git2::{Oid, Repository, Sort};
use std::collections::HashSet;
use std::path::Path;

/// One version of a file: the newest commit of HEAD's history holding that content.
#[derive(Debug)]
pub struct Version {
    pub commit: CommitId,
    pub date: Date,
    /// The project as it was in that commit.
    pub source: GitSource,
}

/// The distinct versions of the project file `path` in the history of HEAD, newest first, each
/// with the project as it was in the newest commit holding it. A commit without the file is
/// passed over; an unborn HEAD has no versions.
pub fn file_versions(project_dir: &Path, path: &str) -> Result<Vec<Version>, GitError> {
    let (repo, prefix) = discover(project_dir)?;
    let full = if prefix.is_empty() { path.to_string() } else { format!("{prefix}/{path}") };
    let mut walk = repo.revwalk()?;
    if walk.push_head().is_err() {
        return Ok(Vec::new());
    }
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    let mut seen: HashSet<Oid> = HashSet::new();
    let mut found: Vec<(Oid, Date)> = Vec::new();
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let Ok(entry) = commit.tree()?.get_path(Path::new(&full)) else { continue };
        if seen.insert(entry.id()) {
            found.push((commit.id(), commit_date(commit.time())));
        }
    }
    let mut out = Vec::new();
    for (oid, date) in found {
        let repo = Repository::open(repo.path())?;
        let short = CommitId::of(oid).short().to_string();
        match GitSource::at(repo, prefix.clone(), &short, oid) {
            Err(GitError::NoProject { .. }) => continue,
            r => out.push(Version { commit: CommitId::of(oid), date, source: r? }),
        }
    }
    Ok(out)
}
