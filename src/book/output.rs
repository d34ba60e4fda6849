//! Built files and how they reach the disk. Renderers return [`Files`] in memory; a build takes
//! the [`OutputLock`] of its output folder (so two builds never write one folder at once) and
//! [`OutputLock::replace`] swaps each finished folder in whole: at every instant an edition's
//! folder is either the previous build's or the new one, complete. [`write_atomically`] does the
//! same for one file (the distribution register).
//!
//! The swap: stage the files in `.policybook-XXXX` beside the destination, then exchange the two
//! names in one `renameat2(RENAME_EXCHANGE)` and remove the old folder. A build killed at any point
//! leaves only `.policybook-*` folders beside the destination, which the next build removes.
//! Policybook replaces only folders it made: each holds a [`STAMP`] file.

use crate::diag::{Localize, Message};
use crate::render::Files;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file in every folder policybook writes, marking it as policybook's to replace.
pub const STAMP: &str = ".policybook";
const STAMP_TEXT: &str = "Made by policybook: the next build replaces this folder whole.\n";
/// The prefix of the staging (and, after the exchange, old) folders beside a destination.
const TEMP_PREFIX: &str = ".policybook-";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}", self.text())]
    Locked(PathBuf),
    #[error("{}", self.text())]
    NotOurs(PathBuf),
    #[error("{}", self.text())]
    Io { path: PathBuf, source: std::io::Error },
}

impl Localize for OutputError {
    fn text(&self) -> Message {
        match self {
            OutputError::Locked(dir) => Message::new("output-locked").arg("dir", dir.display()),
            OutputError::NotOurs(dir) => Message::new("output-not-ours").arg("dir", dir.display()).arg("stamp", STAMP),
            OutputError::Io { path, source } => {
                Message::new("io-write").arg("path", path.display()).arg("error", source)
            }
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// The lock on an output folder, held while a build writes into it (an `flock` on the folder
/// itself: no file to leave behind, released by the system when the process dies).
#[derive(Debug)]
pub struct OutputLock {
    root: PathBuf,
    _dir: std::fs::File,
}

impl OutputLock {
    /// Locks the output folder `root` (created if missing), or says another build holds it.
    pub fn acquire(root: &Path) -> Result<OutputLock, OutputError> {
        std::fs::create_dir_all(root).map_err(io(root))?;
        let dir = std::fs::File::open(root).map_err(io(root))?;
        match dir.try_lock() {
            Ok(()) => Ok(OutputLock { root: root.to_path_buf(), _dir: dir }),
            Err(std::fs::TryLockError::WouldBlock) => Err(OutputError::Locked(root.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(io(root)(e)),
        }
    }

    /// Replaces the folder `rel` of the output with exactly `files` (and the stamp).
    pub fn replace(&self, rel: &str, files: &Files) -> Result<PathBuf, OutputError> {
        let dest = self.root.join(rel);
        swap(&dest, files, &mut |_| false)?;
        Ok(dest)
    }
}

/// The points of [`swap`] at which a test can stop it as a kill would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Cleaned,
    FirstFileStaged,
    Staged,
    Swapped,
}

/// The swap, stopping (leaving everything as it is) where `kill` says so.
fn swap(dest: &Path, files: &Files, kill: &mut dyn FnMut(Step) -> bool) -> Result<(), OutputError> {
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let exists = check_ours(dest)?;
    clean_leftovers(parent)?;
    if kill(Step::Cleaned) {
        return Ok(());
    }
    let staged = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir_in(parent).map_err(io(parent))?.keep();
    if stage(&staged, files, kill)? {
        return Ok(());
    }
    if exists {
        exchange(&staged, dest).map_err(io(dest))?;
        if kill(Step::Swapped) {
            return Ok(());
        }
        std::fs::remove_dir_all(&staged).map_err(io(&staged))?;
    } else {
        std::fs::rename(&staged, dest).map_err(io(dest))?;
    }
    sync_dir(parent)
}

/// Whether `dest` exists, refusing one that is not a folder policybook made (or an empty one).
fn check_ours(dest: &Path) -> Result<bool, OutputError> {
    let meta = match std::fs::symlink_metadata(dest) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io(dest)(e)),
    };
    if !meta.is_dir() {
        return Err(OutputError::NotOurs(dest.to_path_buf()));
    }
    let stamped = std::fs::symlink_metadata(dest.join(STAMP)).is_ok_and(|m| m.is_file());
    let empty = std::fs::read_dir(dest).map_err(io(dest))?.next().is_none();
    if stamped || empty {
        Ok(true)
    } else {
        Err(OutputError::NotOurs(dest.to_path_buf()))
    }
}

/// Removes what killed builds left beside their destination (only under the output lock).
fn clean_leftovers(parent: &Path) -> Result<(), OutputError> {
    for entry in std::fs::read_dir(parent).map_err(io(parent))? {
        let entry = entry.map_err(io(parent))?;
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().map_err(io(&path))?.is_dir();
        let removed = if is_dir { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        removed.map_err(io(&path))?;
    }
    Ok(())
}

/// Writes `files` and the stamp into `dir`, each synced to disk; true if `kill` stopped it.
fn stage(dir: &Path, files: &Files, kill: &mut dyn FnMut(Step) -> bool) -> Result<bool, OutputError> {
    let stamp = (STAMP.to_string(), STAMP_TEXT.as_bytes().to_vec());
    for (i, (rel, bytes)) in std::iter::once((&stamp.0, &stamp.1)).chain(files).enumerate() {
        let p = dir.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(io(d))?;
        }
        let mut f = std::fs::File::create(&p).map_err(io(&p))?;
        f.write_all(bytes).and_then(|()| f.sync_all()).map_err(io(&p))?;
        if i == 1 && kill(Step::FirstFileStaged) {
            return Ok(true);
        }
    }
    sync_dir(dir)?;
    Ok(kill(Step::Staged))
}

fn sync_dir(dir: &Path) -> Result<(), OutputError> {
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// Swaps the names `a` and `b` atomically (both exist).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // A file system without the exchange (some network ones): the two renames.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => exchange_by_renames(a, b),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    exchange_by_renames(a, b)
}

/// `b` to a third name, `a` to `b`, the third name to `a`: not atomic (a kill between the first
/// two leaves no `b`), used only where the file system cannot exchange.
fn exchange_by_renames(a: &Path, b: &Path) -> std::io::Result<()> {
    let parent = b.parent().unwrap_or(Path::new("."));
    let old = parent.join(format!("{TEMP_PREFIX}old-{}", std::process::id()));
    std::fs::rename(b, &old)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&old, b);
        return Err(e);
    }
    std::fs::rename(&old, a)
}

/// Writes the file `path` through a temporary file beside it and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_whole_folder() {
        let d = tempfile::tempdir().unwrap();
        let lock = OutputLock::acquire(&d.path().join("out")).unwrap();
        let dest = lock.replace("public/html", &files(&[("a/b.html", "one"), ("stale.html", "x")])).unwrap();
        lock.replace("public/html", &files(&[("a/b.html", "two")])).unwrap();
        assert_eq!(std::fs::read(dest.join("a/b.html")).unwrap(), b"two");
        assert!(!dest.join("stale.html").exists());
        assert_eq!(names(dest.parent().unwrap()), ["html"], "no temporary folders left behind");
    }

    #[test]
    fn a_folder_policybook_did_not_make_is_not_replaced() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("public/html");
        std::fs::create_dir_all(&dest).unwrap();
        std::fs::write(dest.join("uploaded-file.txt"), b"keep").unwrap();
        let lock = OutputLock::acquire(d.path()).unwrap();
        let err = lock.replace("public/html", &files(&[("index.html", "x")])).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs(_)), "{err}");
        assert!(err.to_string().contains("not made by policybook"), "{err}");
        assert_eq!(std::fs::read(dest.join("uploaded-file.txt")).unwrap(), b"keep");
        // An empty folder, or one policybook stamped, is replaced.
        std::fs::create_dir_all(d.path().join("internal/html")).unwrap();
        let made = lock.replace("internal/html", &files(&[("index.html", "x")])).unwrap();
        assert!(made.join(STAMP).is_file());
        lock.replace("internal/html", &files(&[("index.html", "y")])).unwrap();
        std::os::unix::fs::symlink(&made, d.path().join("link")).unwrap();
        assert!(matches!(lock.replace("link", &Files::new()), Err(OutputError::NotOurs(_))));
    }

    #[test]
    fn leftovers_of_killed_builds_are_cleaned() {
        let d = tempfile::tempdir().unwrap();
        let lock = OutputLock::acquire(d.path()).unwrap();
        let f = files(&[("index.html", "x")]);
        lock.replace("public/html", &f).unwrap();
        for left in [".policybook-old-4242", ".policybook-Ab12Cd"] {
            std::fs::create_dir_all(d.path().join("public").join(left).join("sub")).unwrap();
        }
        lock.replace("public/html", &f).unwrap();
        assert_eq!(names(&d.path().join("public")), ["html"]);
    }

    #[test]
    fn a_second_build_on_the_same_output_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let first = OutputLock::acquire(d.path()).unwrap();
        let err = OutputLock::acquire(d.path()).unwrap_err();
        assert!(err.to_string().contains("another policybook build is writing"), "{err}");
        drop(first);
        OutputLock::acquire(d.path()).unwrap();
    }

    /// The kill test of the swap, step by step: stopped at any point, the folder holds the whole
    /// previous or the whole new output, and the next build succeeds and leaves nothing behind.
    #[test]
    fn a_swap_killed_at_any_step_leaves_a_complete_folder() {
        let old = files(&[("index.html", "old"), ("a/b.html", "old")]);
        let new = files(&[("index.html", "new"), ("a/b.html", "new"), ("c.html", "new")]);
        for at in [Step::Cleaned, Step::FirstFileStaged, Step::Staged, Step::Swapped] {
            let d = tempfile::tempdir().unwrap();
            let lock = OutputLock::acquire(d.path()).unwrap();
            let dest = lock.replace("public/html", &old).unwrap();
            swap(&dest, &new, &mut |s| s == at).unwrap();
            let seen = names(&dest);
            let whole = |f: &Files| {
                let mut want: Vec<String> = f.keys().map(|k| k.split('/').next().unwrap().to_string()).collect();
                want.push(STAMP.into());
                want.sort();
                want.dedup();
                want == seen && f.iter().all(|(k, v)| std::fs::read(dest.join(k)).unwrap() == *v)
            };
            assert!(whole(&old) || whole(&new), "killed at {at:?}: {seen:?}");
            lock.replace("public/html", &new).unwrap();
            assert_eq!(names(&dest), [STAMP, "a", "c.html", "index.html"], "killed at {at:?}");
            assert_eq!(std::fs::read(dest.join("a/b.html")).unwrap(), b"new");
            assert_eq!(names(dest.parent().unwrap()), ["html"], "killed at {at:?}");
        }
    }
}
