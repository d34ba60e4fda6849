//! Where project files come from. Everything below the CLI reads files through [`Source`], never
//! by path, so the working tree, a git revision and an in-memory test project are the same to the
//! pipeline (the idea of typst's `World`).

pub mod git;

use crate::diag::{catalogue, Localize, Message};
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
    #[error("{}", self.text())]
    NotFound { path: String, origin: String },
    #[error("{}", self.text())]
    Unreadable { path: String, origin: String, message: String },
}

impl Localize for SourceError {
    fn text(&self) -> Message {
        let (key, path, origin) = match self {
            SourceError::NotFound { path, origin } => ("source-not-found", path, origin),
            SourceError::Unreadable { path, origin, .. } => ("source-unreadable", path, origin),
        };
        let mut m = Message::new(key).arg("path", path).arg_in("origin", origin, catalogue::origin_ja(origin));
        if let SourceError::Unreadable { message, .. } = self {
            m = m.arg("detail", message);
        }
        m
    }
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

    /// This source, when several of its files can be read at once from different threads (the
    /// working tree: `check` reads a hundred files on the cores); `None` (git) reads one by one.
    fn concurrent(&self) -> Option<&(dyn Source + Sync)> {
        None
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

/// The project as it is on disk. Only regular files reached without a symbolic link are read, up
/// to [`WorkTree::MAX_FILE_BYTES`]: a link could publish a host file or another edition's output
/// (a git revision does not follow links either), and a device or FIFO would never end.
#[derive(Debug, Clone)]
pub struct WorkTree {
    root: PathBuf,
}

impl WorkTree {
    /// The largest file read from the working tree (fonts are the largest legitimate ones).
    pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

    pub fn new(root: impl Into<PathBuf>) -> Self {
        WorkTree { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path on disk of a project path, after checking that no part of it below the root is a
    /// symbolic link or `..`.
    fn path(&self, rel: &str) -> Result<PathBuf, SourceError> {
        let mut p = self.root.clone();
        for part in rel.split('/').filter(|s| !s.is_empty() && *s != ".") {
            if part == ".." {
                return Err(self.refuse(rel, "goes outside the project (`..`)", "use a path inside the project"));
            }
            p.push(part);
            match std::fs::symlink_metadata(&p) {
                Ok(m) if m.file_type().is_symlink() => {
                    let what = format!("{} is a symbolic link", p.strip_prefix(&self.root).unwrap_or(&p).display());
                    return Err(self.refuse(rel, &what, "replace the link by the file or folder itself"));
                }
                Ok(_) => {}
                Err(e) => return Err(self.err(rel, e)),
            }
        }
        Ok(p)
    }

    fn refuse(&self, path: &str, what: &str, todo: &str) -> SourceError {
        let message = format!("{what}; policybook reads only regular files inside the project: {todo}");
        SourceError::Unreadable { path: path.into(), origin: self.origin(), message }
    }

    fn err(&self, path: &str, e: std::io::Error) -> SourceError {
        if e.kind() == std::io::ErrorKind::NotFound {
            SourceError::NotFound { path: path.into(), origin: self.origin() }
        } else {
            SourceError::Unreadable { path: path.into(), origin: self.origin(), message: e.to_string() }
        }
    }

    /// Reads a regular file, refusing one that grew over the limit or was swapped after the check.
    fn read_regular(&self, rel: &str, p: &Path, checked: &std::fs::Metadata) -> Result<Vec<u8>, SourceError> {
        use std::io::Read;
        use std::os::unix::fs::MetadataExt;
        let file = std::fs::File::open(p).map_err(|e| self.err(rel, e))?;
        let meta = file.metadata().map_err(|e| self.err(rel, e))?;
        if !meta.is_file() || (meta.dev(), meta.ino()) != (checked.dev(), checked.ino()) {
            return Err(self.refuse(rel, "changed while being read", "build again"));
        }
        let mut bytes = Vec::with_capacity(meta.len().min(Self::MAX_FILE_BYTES) as usize);
        file.take(Self::MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| self.err(rel, e))?;
        if bytes.len() as u64 > Self::MAX_FILE_BYTES {
            return Err(self.too_large(rel));
        }
        Ok(bytes)
    }

    fn too_large(&self, rel: &str) -> SourceError {
        let limit = format!("is larger than the limit of {} MiB", Self::MAX_FILE_BYTES / (1024 * 1024));
        self.refuse(rel, &limit, "split or shrink the file")
    }
}

impl Source for WorkTree {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let p = self.path(path)?;
        let meta = std::fs::symlink_metadata(&p).map_err(|e| self.err(path, e))?;
        if meta.is_dir() {
            return Err(self.refuse(path, "is a folder", "name a file"));
        }
        if !meta.is_file() {
            return Err(self.refuse(path, "is not a regular file (a device, FIFO or socket)", "replace it by a file"));
        }
        if meta.len() > Self::MAX_FILE_BYTES {
            return Err(self.too_large(path));
        }
        self.read_regular(path, &p, &meta)
    }

    fn concurrent(&self) -> Option<&(dyn Source + Sync)> {
        Some(self)
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, SourceError> {
        let rd = std::fs::read_dir(self.path(dir)?).map_err(|e| self.err(dir, e))?;
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

    /// Issue 10, problem 1: a link out of the project (or into the output), a device or a FIFO is
    /// refused with the file's name, and a file over the limit with the limit.
    #[test]
    fn worktree_reads_only_regular_files_inside_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        std::fs::create_dir_all(root.join("templates/html")).unwrap();
        std::fs::create_dir_all(root.join("output/internal")).unwrap();
        std::fs::write(root.join("output/internal/search-index.json"), "secret").unwrap();
        std::fs::write(dir.path().join("host.txt"), "host").unwrap();
        let link = |to: &dyn AsRef<Path>, at: PathBuf| std::os::unix::fs::symlink(to, at);
        link(&"../../output/internal/search-index.json", root.join("templates/html/site.js")).unwrap();
        link(&dir.path().join("host.txt"), root.join("templates/html/style.css")).unwrap();
        link(&"/dev/zero", root.join("z.ja.md")).unwrap();
        link(&"output", root.join("linked")).unwrap();
        let fifo = std::process::Command::new("mkfifo").arg(root.join("f.ja.md")).status().unwrap();
        assert!(fifo.success());
        let w = WorkTree::new(&root);
        for (path, says) in [
            ("templates/html/site.js", "templates/html/site.js is a symbolic link"),
            ("templates/html/style.css", "is a symbolic link"),
            ("z.ja.md", "is a symbolic link"),
            ("linked/internal/search-index.json", "linked is a symbolic link"),
            ("f.ja.md", "is not a regular file"),
            ("../host.txt", "outside the project"),
        ] {
            let e = w.read(path).expect_err(path).to_string();
            assert!(e.starts_with(path) && e.contains(says), "{path}: {e}");
            assert!(e.contains("policybook reads only regular files inside the project"), "{e}");
        }
        assert!(w.list("linked").is_err(), "a linked folder is not listed");
        let big = std::fs::File::create(root.join("big.ttf")).unwrap();
        big.set_len(WorkTree::MAX_FILE_BYTES + 1).unwrap();
        let e = w.read("big.ttf").unwrap_err().to_string();
        assert!(e.contains("big.ttf") && e.contains("limit of 64 MiB"), "{e}");
        std::fs::write(root.join("ok.md"), "ok").unwrap();
        assert_eq!(w.read_text("ok.md").unwrap(), "ok");
    }
}
