//! Where project files come from. Everything below the CLI reads files through [`Source`], never
//! by path, so the working tree, a git revision and an in-memory test project are the same to the
//! pipeline (the idea of typst's `World`).

pub mod git;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An entry of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: not found in {origin}")]
    NotFound { path: String, origin: String },
    #[error("{path}: cannot be read from {origin}: {message}")]
    Unreadable { path: String, origin: String, message: String },
}

/// Read-only access to the files of one project. Paths are relative to the project root (the folder
/// of `book.toml`) and use forward slashes.
pub trait Source {
    /// The bytes of a file.
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError>;
    /// The entries of a folder, sorted by name. A missing folder is `NotFound`.
    fn list(&self, dir: &str) -> Result<Vec<Entry>, SourceError>;
    /// What this source is, for messages: "the working tree", "revision 1a2b3c4".
    fn origin(&self) -> String;

    fn exists(&self, path: &str) -> bool {
        self.read(path).is_ok()
    }

    /// A file as UTF-8 text.
    fn read_text(&self, path: &str) -> Result<String, SourceError> {
        let bytes = self.read(path)?;
        String::from_utf8(bytes).map_err(|_| SourceError::Unreadable {
            path: path.into(),
            origin: self.origin(),
            message: "not valid UTF-8: save the file as UTF-8 (without BOM)".into(),
        })
    }
}

/// The project as it is on disk.
#[derive(Debug, Clone)]
pub struct WorkTree {
    root: PathBuf,
}

impl WorkTree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        WorkTree { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, rel: &str) -> PathBuf {
        let mut p = self.root.clone();
        for part in rel.split('/').filter(|s| !s.is_empty() && *s != ".") {
            p.push(part);
        }
        p
    }

    fn err(&self, path: &str, e: std::io::Error) -> SourceError {
        if e.kind() == std::io::ErrorKind::NotFound {
            SourceError::NotFound { path: path.into(), origin: self.origin() }
        } else {
            SourceError::Unreadable { path: path.into(), origin: self.origin(), message: e.to_string() }
        }
    }
}

impl Source for WorkTree {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        std::fs::read(self.path(path)).map_err(|e| self.err(path, e))
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, SourceError> {
        let rd = std::fs::read_dir(self.path(dir)).map_err(|e| self.err(dir, e))?;
        let mut out = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| self.err(dir, e))?;
            let Ok(name) = entry.file_name().into_string() else { continue };
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            out.push(Entry { name, is_dir });
        }
        out.sort();
        Ok(out)
    }

    fn origin(&self) -> String {
        "the working tree".into()
    }
}

/// A project held in memory: for tests, and for sources assembled by other sources.
#[derive(Debug, Clone, Default)]
pub struct MemSource {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemSource {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.insert(path, text);
        self
    }

    pub fn insert(&mut self, path: &str, text: &str) {
        self.insert_bytes(path, text.as_bytes());
    }

    /// A file that need not be text (an image).
    pub fn insert_bytes(&mut self, path: &str, bytes: &[u8]) {
        self.files.insert(path.trim_start_matches('/').to_string(), bytes.to_vec());
    }

    pub fn remove(&mut self, path: &str) {
        self.files.remove(path);
    }
}

impl Source for MemSource {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        self.files
            .get(path.trim_start_matches("./"))
            .cloned()
            .ok_or_else(|| SourceError::NotFound { path: path.into(), origin: self.origin() })
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, SourceError> {
        let prefix =
            if dir.is_empty() || dir == "." { String::new() } else { format!("{}/", dir.trim_end_matches('/')) };
        let mut out: Vec<Entry> = Vec::new();
        for path in self.files.keys() {
            let Some(rest) = path.strip_prefix(&prefix) else { continue };
            let (name, is_dir) = match rest.split_once('/') {
                Some((first, _)) => (first, true),
                None => (rest, false),
            };
            let e = Entry { name: name.into(), is_dir };
            if !out.contains(&e) {
                out.push(e);
            }
        }
        if out.is_empty() {
            return Err(SourceError::NotFound { path: dir.into(), origin: self.origin() });
        }
        out.sort();
        Ok(out)
    }

    fn origin(&self) -> String {
        "memory".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_source_lists_files_and_folders() {
        let s = MemSource::new().with("src/a.md", "a").with("src/d/b.md", "b").with("src/d/c.md", "c");
        let l = s.list("src").unwrap();
        assert_eq!(l, vec![Entry { name: "a.md".into(), is_dir: false }, Entry { name: "d".into(), is_dir: true }]);
        assert_eq!(s.read_text("src/d/c.md").unwrap(), "c");
        assert!(matches!(s.read("nope"), Err(SourceError::NotFound { .. })));
        assert!(s.list("missing").is_err());
    }

    #[test]
    fn worktree_reads_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("x")).unwrap();
        std::fs::write(dir.path().join("x/f.md"), "本文").unwrap();
        let w = WorkTree::new(dir.path());
        assert_eq!(w.read_text("x/f.md").unwrap(), "本文");
        assert_eq!(w.list("x").unwrap()[0].name, "f.md");
        assert!(matches!(w.read("x/none.md"), Err(SourceError::NotFound { .. })));
    }
}
