//! Everything policybook asks of git, behind one module: the project as it was in a revision
//! ([`GitSource`], read straight from the object database: nothing is checked out, so the working
//! tree may be dirty and HEAD detached), the tags that mark releases ([`release_tags`]), and the
//! commit a build comes from ([`provenance`]). No git2 type leaves this module.
//!
//! The project may live in a subfolder of the repository: [`GitSource::open`] finds the repository
//! from the project folder and reads every path below the project's prefix in the revision's tree.

mod log;
mod state;
mod tags;
#[cfg(test)]
mod tests;

pub use log::{file_versions, Version};
pub use state::{provenance, Provenance};
pub use tags::{named, release_tags, skipped_tags, Named, Tagged};

use super::{Entry, Source, SourceError};
use crate::diag::{Localize, Message};
use git2::{ObjectType, Oid, Repository};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{}", self.text())]
    NotARepository { dir: String, message: String },
    /// `shallow`: the repository is a shallow clone (older commits are missing).
    #[error("{}", self.text())]
    UnknownRevision { rev: String, message: String, shallow: bool },
    #[error("{}", self.text())]
    OutsideRepository { dir: String, repo: String },
    #[error("{}", self.text())]
    NoProject { rev: String, prefix: String },
    #[error("{}", self.text())]
    Git(#[from] git2::Error),
}

impl Localize for GitError {
    fn text(&self) -> Message {
        match self {
            GitError::NotARepository { dir, message } => {
                Message::new("git-not-a-repository").arg("dir", dir).arg("detail", message)
            }
            GitError::UnknownRevision { rev, message, shallow } => {
                let key = if *shallow { "git-unknown-revision.shallow" } else { "git-unknown-revision" };
                Message::new(key).arg("rev", rev).arg("detail", message)
            }
            GitError::OutsideRepository { dir, repo } => Message::new("git-outside").arg("dir", dir).arg("repo", repo),
            GitError::NoProject { rev, prefix } => Message::new("git-no-project").arg("rev", rev).arg("prefix", prefix),
            GitError::Git(e) => Message::new("git-other").arg("detail", e.message()),
        }
    }
}

/// A commit id (40 hex digits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitId(String);

impl CommitId {
    fn of(oid: Oid) -> CommitId {
        CommitId(oid.to_string())
    }

    /// A full commit id written out (40 hex digits), e.g. read back from a register.
    pub fn parse(hex: &str) -> Option<CommitId> {
        (hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| CommitId(hex.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The abbreviated id (7 digits), as `git log --oneline` shows it.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(7)]
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A project read from one git revision.
pub struct GitSource {
    repo: Repository,
    /// The revision as given by the user (for messages).
    rev: String,
    commit: Oid,
    /// The tree of the project folder in that revision.
    tree: Oid,
    /// The project folder relative to the repository's working tree ("" at its root).
    prefix: String,
}

impl fmt::Debug for GitSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitSource").field("rev", &self.rev).field("commit", &self.commit).finish()
    }
}

/// Finds the repository holding `project_dir`, and the project's path inside its working tree.
fn discover(project_dir: &Path) -> Result<(Repository, String), GitError> {
    // libgit2 hashes every object it reads to compare it with its name: 11 % of `history`'s
    // time over 100 releases (issue 13). Git itself does not on a read; a damaged object still
    // fails zlib's checksum, and policybook only reads. Process-wide, set before any read.
    git2::opts::strict_hash_verification(false);
    let dir = std::fs::canonicalize(project_dir).unwrap_or_else(|_| project_dir.to_path_buf());
    let repo = Repository::discover(&dir).map_err(|e| GitError::NotARepository {
        dir: project_dir.display().to_string(),
        message: e.message().to_string(),
    })?;
    let prefix = match repo.workdir() {
        None => String::new(), // a bare repository: the project is at the root of the tree
        Some(wd) => {
            let wd: PathBuf = std::fs::canonicalize(wd).unwrap_or_else(|_| wd.to_path_buf());
            let rel = dir.strip_prefix(&wd).map_err(|_| GitError::OutsideRepository {
                dir: project_dir.display().to_string(),
                repo: wd.display().to_string(),
            })?;
            rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
        }
    };
    Ok((repo, prefix))
}

/// The commit a revision names, with a clear error for unknown (or shallow-clone-missing) ones.
fn resolve_commit(repo: &Repository, rev: &str) -> Result<Oid, GitError> {
    let unknown = |e: git2::Error| GitError::UnknownRevision {
        rev: rev.into(),
        message: e.message().to_string(),
        shallow: repo.is_shallow(),
    };
    let obj = repo.revparse_single(rev).map_err(unknown)?;
    let commit = obj.peel_to_commit().map_err(unknown)?;
    Ok(commit.id())
}

impl GitSource {
    /// Opens the project at `project_dir` as it was in revision `rev` (commit, tag, branch, `HEAD~3`).
    pub fn open(project_dir: &Path, rev: &str) -> Result<GitSource, GitError> {
        let (repo, prefix) = discover(project_dir)?;
        let commit = resolve_commit(&repo, rev)?;
        GitSource::at(repo, prefix, rev, commit)
    }

    /// The project folder `prefix` in the commit `commit` of `repo`.
    fn at(repo: Repository, prefix: String, rev: &str, commit: Oid) -> Result<GitSource, GitError> {
        let root = repo.find_commit(commit)?.tree()?;
        let tree = if prefix.is_empty() {
            root.id()
        } else {
            let entry = root
                .get_path(Path::new(&prefix))
                .map_err(|_| GitError::NoProject { rev: rev.into(), prefix: prefix.clone() })?;
            if entry.kind() != Some(ObjectType::Tree) {
                return Err(GitError::NoProject { rev: rev.into(), prefix });
            }
            entry.id()
        };
        drop(root);
        Ok(GitSource { repo, rev: rev.into(), commit, tree, prefix })
    }

    pub fn commit(&self) -> CommitId {
        CommitId::of(self.commit)
    }

    /// The project folder inside the repository ("" at the root).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn clean(path: &str) -> String {
        path.split('/').filter(|s| !s.is_empty() && *s != ".").collect::<Vec<_>>().join("/")
    }

    fn err(&self, path: &str, e: git2::Error) -> SourceError {
        if e.code() == git2::ErrorCode::NotFound {
            SourceError::NotFound { path: path.into(), origin: self.origin() }
        } else {
            SourceError::Unreadable { path: path.into(), origin: self.origin(), message: e.message().into() }
        }
    }
}

impl Source for GitSource {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let rel = Self::clean(path);
        let tree = self.repo.find_tree(self.tree).map_err(|e| self.err(path, e))?;
        let entry = tree.get_path(Path::new(&rel)).map_err(|e| self.err(path, e))?;
        if entry.kind() != Some(ObjectType::Blob) {
            return Err(SourceError::NotFound { path: path.into(), origin: self.origin() });
        }
        let blob = self.repo.find_blob(entry.id()).map_err(|e| self.err(path, e))?;
        Ok(blob.content().to_vec())
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, SourceError> {
        let rel = Self::clean(dir);
        let root = self.repo.find_tree(self.tree).map_err(|e| self.err(dir, e))?;
        let tree = if rel.is_empty() {
            root
        } else {
            let entry = root.get_path(Path::new(&rel)).map_err(|e| self.err(dir, e))?;
            if entry.kind() != Some(ObjectType::Tree) {
                return Err(SourceError::NotFound { path: dir.into(), origin: self.origin() });
            }
            self.repo.find_tree(entry.id()).map_err(|e| self.err(dir, e))?
        };
        let mut out: Vec<Entry> = tree
            .iter()
            .filter_map(|e| {
                let name = e.name().ok()?.to_string();
                match e.kind() {
                    Some(ObjectType::Tree) => Some(Entry { name, is_dir: true }),
                    Some(ObjectType::Blob) => Some(Entry { name, is_dir: false }),
                    _ => None, // submodules
                }
            })
            .collect();
        out.sort();
        Ok(out)
    }

    fn origin(&self) -> String {
        let id = self.commit();
        let short = id.short();
        if self.rev.starts_with(short) || short.starts_with(&self.rev) {
            format!("revision {short}")
        } else {
            format!("revision {} ({short})", self.rev)
        }
    }
}
