//! The project as it was in a git revision, read straight from the object database: nothing is
//! checked out, so the working tree may be dirty and HEAD detached.
//!
//! The project may live in a subfolder of the repository: [`GitSource::open`] finds the repository
//! from the project folder and reads every path below the project's prefix in the revision's tree.

use super::{Entry, Source, SourceError};
use git2::{ObjectType, Oid, Repository};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{dir} is not inside a git repository ({message})\n  hint: --rev and diff read the project's history from git: run `git init` and commit the project, or run policybook inside a clone")]
    NotARepository { dir: String, message: String },
    #[error(
        "unknown revision {rev:?} ({message})\n  hint: check the name with `git log --oneline` or `git tag`{shallow}"
    )]
    UnknownRevision { rev: String, message: String, shallow: String },
    #[error("the project folder {dir} is outside the working tree of the repository {repo}")]
    OutsideRepository { dir: String, repo: String },
    #[error("revision {rev} has no project folder {prefix:?}\n  hint: the project did not exist yet in that revision, or was in another folder")]
    NoProject { rev: String, prefix: String },
    #[error("git: {0}")]
    Git(#[from] git2::Error),
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

impl std::fmt::Debug for GitSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitSource").field("rev", &self.rev).field("commit", &self.commit).finish()
    }
}

/// Finds the repository holding `project_dir`, and the project's path inside its working tree.
pub fn discover(project_dir: &Path) -> Result<(Repository, String), GitError> {
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
pub fn resolve_commit(repo: &Repository, rev: &str) -> Result<Oid, GitError> {
    let unknown = |e: git2::Error| GitError::UnknownRevision {
        rev: rev.into(),
        message: e.message().to_string(),
        shallow: if repo.is_shallow() {
            "\n  this is a shallow clone, so older commits are missing: run `git fetch --unshallow` (in CI: fetch-depth: 0)".into()
        } else {
            "; in a shallow clone older commits are missing: run `git fetch --unshallow`".into()
        },
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
    pub fn at(repo: Repository, prefix: String, rev: &str, commit: Oid) -> Result<GitSource, GitError> {
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

    pub fn commit(&self) -> Oid {
        self.commit
    }

    pub fn repository(&self) -> &Repository {
        &self.repo
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
        let id = self.commit.to_string();
        let short = &id[..id.len().min(7)];
        if self.rev.starts_with(short) || short.starts_with(&self.rev) {
            format!("revision {short}")
        } else {
            format!("revision {} ({short})", self.rev)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git");
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }

    fn write(p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// A repository with the project in `sub/proj` and two commits, tagged v1 and v2.
    fn repo() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        git(root, &["init", "-q", "-b", "main"]);
        let proj = root.join("sub/proj");
        write(&proj.join("book.toml"), "one");
        write(&proj.join("src/a.md"), "first");
        write(&root.join("other.txt"), "not the project");
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", "one"]);
        git(root, &["tag", "v1"]);
        write(&proj.join("src/a.md"), "second");
        write(&proj.join("src/d/b.md"), "new");
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", "two"]);
        git(root, &["tag", "-a", "v2", "-m", "annotated"]);
        d
    }

    #[test]
    fn reads_any_revision_of_a_project_in_a_subfolder() {
        let d = repo();
        let proj = d.path().join("sub/proj");
        // A dirty working tree does not matter.
        std::fs::write(proj.join("src/a.md"), "dirty").unwrap();
        let head = GitSource::open(&proj, "HEAD").unwrap();
        assert_eq!(head.prefix(), "sub/proj");
        assert_eq!(head.read_text("src/a.md").unwrap(), "second");
        assert_eq!(head.read_text("./src/d/b.md").unwrap(), "new");
        let old = GitSource::open(&proj, "HEAD~1").unwrap();
        assert_eq!(old.read_text("src/a.md").unwrap(), "first");
        assert!(matches!(old.read("src/d/b.md"), Err(SourceError::NotFound { .. })));
        assert!(matches!(old.read("other.txt"), Err(SourceError::NotFound { .. })), "outside the project");
        assert_eq!(GitSource::open(&proj, "v1").unwrap().read_text("src/a.md").unwrap(), "first");
        assert_eq!(GitSource::open(&proj, "v2").unwrap().read_text("src/a.md").unwrap(), "second");
        let names: Vec<_> = head.list("src").unwrap().into_iter().map(|e| (e.name, e.is_dir)).collect();
        assert_eq!(names, vec![("a.md".into(), false), ("d".into(), true)]);
        assert_eq!(head.list("").unwrap().len(), 2);
        assert!(head.list("src/a.md").is_err());
        assert!(head.list("nope").is_err());
        assert!(old.origin().contains("HEAD~1"), "{}", old.origin());
    }

    #[test]
    fn works_on_a_detached_head() {
        let d = repo();
        git(d.path(), &["checkout", "-q", "--detach", "v1"]);
        let s = GitSource::open(&d.path().join("sub/proj"), "HEAD").unwrap();
        assert_eq!(s.read_text("src/a.md").unwrap(), "first");
        let s = GitSource::open(&d.path().join("sub/proj"), "main").unwrap();
        assert_eq!(s.read_text("src/a.md").unwrap(), "second");
    }

    #[test]
    fn clear_errors() {
        let d = repo();
        let proj = d.path().join("sub/proj");
        let e = GitSource::open(&proj, "no-such-tag").unwrap_err();
        assert!(matches!(e, GitError::UnknownRevision { .. }));
        assert!(e.to_string().contains("git fetch --unshallow"), "{e}");
        let e = GitSource::open(&proj, "HEAD~5").unwrap_err().to_string();
        assert!(e.contains("unknown revision \"HEAD~5\""), "{e}");
        // The project folder did not exist in the first commit of another layout.
        std::fs::create_dir_all(d.path().join("later")).unwrap();
        let e = GitSource::open(&d.path().join("later"), "v1").unwrap_err();
        assert!(matches!(e, GitError::NoProject { .. }), "{e}");
        let plain = tempfile::tempdir().unwrap();
        let e = GitSource::open(plain.path(), "HEAD").unwrap_err();
        assert!(matches!(e, GitError::NotARepository { .. } | GitError::UnknownRevision { .. }), "{e}");
    }

    #[test]
    fn shallow_clone_names_the_fix() {
        let d = repo();
        let clone = tempfile::tempdir().unwrap();
        let url = format!("file://{}", d.path().display());
        git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
        let proj = clone.path().join("c/sub/proj");
        assert_eq!(GitSource::open(&proj, "HEAD").unwrap().read_text("src/a.md").unwrap(), "second");
        let e = GitSource::open(&proj, "HEAD~1").unwrap_err().to_string();
        assert!(e.contains("shallow clone") && e.contains("git fetch --unshallow"), "{e}");
    }
}
