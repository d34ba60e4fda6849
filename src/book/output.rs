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
//!
//! Every file-system step that changes the disk goes through a `step` callback: in a run, the test
//! hook [`FAILPOINT_VAR`] (the process kills itself before the N-th step); in the unit tests, a
//! stop that unwinds there. `tests/kill.rs` kills real builds at every step and at random.

use crate::diag::{Localize, Message};
use crate::render::Files;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The file in every folder policybook writes, marking it as policybook's to replace.
pub const STAMP: &str = ".policybook";
const STAMP_TEXT: &str = "Made by policybook: the next build replaces this folder whole.\n";
/// The prefix of the staging (and, after the exchange, old) folders beside a destination.
const TEMP_PREFIX: &str = ".policybook-";
/// The test hook: `POLICYBOOK_FAILPOINT=swap:N` (N ≥ 1) makes the process SIGKILL itself before
/// the N-th file-system step of writing its outputs (counted over the whole run: every folder
/// swapped and the register), as a power cut or `kill -9` would stop it there. Any other value is
/// ignored. It only stops the process early: nothing is written that a kill would not leave.
pub const FAILPOINT_VAR: &str = "POLICYBOOK_FAILPOINT";

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

/// Before each file-system step: the hook of a test (see [`FAILPOINT_VAR`]), nothing otherwise.
type Step<'a> = &'a mut dyn FnMut();

/// Runs the file-system step `op` on `path` after `step`.
fn run<T>(step: Step, path: &Path, op: impl FnOnce() -> std::io::Result<T>) -> Result<T, OutputError> {
    step();
    op().map_err(io(path))
}

/// The step of a real run: kills the process at the step [`FAILPOINT_VAR`] names.
fn fail_point() {
    static AT: OnceLock<Option<usize>> = OnceLock::new();
    static DONE: AtomicUsize = AtomicUsize::new(0);
    let at = AT.get_or_init(|| parse_fail_point(std::env::var(FAILPOINT_VAR).ok().as_deref()));
    if let Some(at) = *at {
        if DONE.fetch_add(1, Ordering::SeqCst) + 1 == at {
            kill_self();
        }
    }
}

/// The step number of `swap:N` (N ≥ 1, digits only); anything else is no fail point.
fn parse_fail_point(value: Option<&str>) -> Option<usize> {
    let n = value?.strip_prefix("swap:")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok().filter(|&n| n >= 1)
}

#[cfg(target_os = "linux")]
fn kill_self() -> ! {
    use rustix::process::{getpid, kill_process, Signal};
    let _ = kill_process(getpid(), Signal::KILL);
    std::process::abort()
}

#[cfg(not(target_os = "linux"))]
fn kill_self() -> ! {
    std::process::abort()
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
        swap(&dest, files, &mut fail_point)?;
        Ok(dest)
    }
}

/// The swap, each step that changes the disk after `step`.
fn swap(dest: &Path, files: &Files, step: Step) -> Result<(), OutputError> {
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    run(step, parent, || std::fs::create_dir_all(parent))?;
    let exists = check_ours(dest)?;
    clean_leftovers(parent, step)?;
    let tempdir = || tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir_in(parent);
    let staged = run(step, parent, tempdir)?.keep();
    stage(&staged, files, step)?;
    if exists {
        step();
        exchange(&staged, dest, step).map_err(io(dest))?;
        run(step, &staged, || std::fs::remove_dir_all(&staged))?;
    } else {
        run(step, dest, || std::fs::rename(&staged, dest))?;
    }
    run(step, parent, || sync_dir(parent))
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

/// Removes the entries of `dir` whose names start with `prefix`: what killed runs left (only
/// under the lock that keeps other runs from writing there).
fn clean_leftovers_named(dir: &Path, prefix: &str, step: Step) -> Result<(), OutputError> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        if !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().map_err(io(&path))?.is_dir();
        run(step, &path, || if is_dir { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) })?;
    }
    Ok(())
}

/// Removes what killed builds left beside their destination (only under the output lock).
fn clean_leftovers(parent: &Path, step: Step) -> Result<(), OutputError> {
    clean_leftovers_named(parent, TEMP_PREFIX, step)
}

/// Writes `files` and the stamp into `dir`, each synced to disk.
fn stage(dir: &Path, files: &Files, step: Step) -> Result<(), OutputError> {
    let stamp = (STAMP.to_string(), STAMP_TEXT.as_bytes().to_vec());
    for (rel, bytes) in std::iter::once((&stamp.0, &stamp.1)).chain(files) {
        let p = dir.join(rel);
        if let Some(d) = p.parent().filter(|d| *d != dir && !d.is_dir()) {
            run(step, d, || std::fs::create_dir_all(d))?;
        }
        let mut f = run(step, &p, || std::fs::File::create(&p))?;
        run(step, &p, || f.write_all(bytes))?;
        run(step, &p, || f.sync_all())?;
    }
    run(step, dir, || sync_dir(dir))
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir).and_then(|d| d.sync_all())
}

/// Swaps the names `a` and `b` atomically (both exist).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path, step: Step) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // A file system without the exchange (some network ones): the two renames.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => exchange_by_renames(a, b, step),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path, step: Step) -> std::io::Result<()> {
    exchange_by_renames(a, b, step)
}

/// `b` to a third name, `a` to `b`, the third name to `a`: not atomic (a kill between the first
/// two leaves no `b`), used only where the file system cannot exchange.
fn exchange_by_renames(a: &Path, b: &Path, step: Step) -> std::io::Result<()> {
    let parent = b.parent().unwrap_or(Path::new("."));
    let old = parent.join(format!("{TEMP_PREFIX}old-{}", std::process::id()));
    std::fs::rename(b, &old)?;
    step();
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&old, b);
        return Err(e);
    }
    step();
    std::fs::rename(&old, a)
}

/// Writes the file `path` through a temporary file beside it and a rename, keeping its
/// permissions: at every instant `path` holds the old bytes or the new ones. The temporary file is
/// named `.<name>.policybook-XXXX`, and what a killed run left under that name is removed first
/// (a run writing the same file at that moment may then fail with an error, never lose data; the
/// register is written under its lock).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, bytes, &mut fail_point).map_err(|e| match e {
        OutputError::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    })
}

fn write_atomically_with(path: &Path, bytes: &[u8], step: Step) -> Result<(), OutputError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}{TEMP_PREFIX}");
    run(step, dir, || std::fs::create_dir_all(dir))?;
    clean_leftovers_named(dir, &prefix, step)?;
    // The file keeps its permissions; a new one gets those `fs::write` gives (the umask's).
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = run(step, dir, || builder.tempfile_in(dir))?;
    let tmp_path = tmp.path().to_path_buf();
    if let Some(perms) = existing {
        run(step, &tmp_path, || tmp.as_file().set_permissions(perms))?;
    }
    run(step, &tmp_path, || tmp.write_all(bytes))?;
    run(step, &tmp_path, || tmp.as_file().sync_all())?;
    run(step, path, || tmp.persist(path).map_err(|e| e.error))?;
    run(step, dir, || sync_dir(dir))
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

    /// What a unit test's `step` unwinds with, as a kill would stop the run there.
    struct Killed;

    /// Runs `f` with a step that stops it before the `n`-th step; true if it was stopped.
    fn stopped_at(n: usize, f: impl FnOnce(Step)) -> bool {
        let mut seen = 0;
        let mut step = || {
            seen += 1;
            if seen == n {
                std::panic::resume_unwind(Box::new(Killed));
            }
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut step))) {
            Ok(()) => false,
            Err(e) if e.is::<Killed>() => true,
            Err(e) => std::panic::resume_unwind(e),
        }
    }

    /// The kill test of the swap, step by step: stopped before any of its file-system steps, the
    /// folder holds the whole previous output (or none, on a first build) or the whole new one,
    /// and the next build succeeds and leaves nothing behind.
    #[test]
    fn a_swap_killed_at_any_step_leaves_a_complete_folder() {
        let old = files(&[("index.html", "old"), ("a/b.html", "old")]);
        let new = files(&[("index.html", "new"), ("a/b.html", "new"), ("c.html", "new"), ("d/e/f.html", "new")]);
        for first_build in [false, true] {
            let mut n = 1;
            loop {
                let d = tempfile::tempdir().unwrap();
                let lock = OutputLock::acquire(d.path()).unwrap();
                let dest = d.path().join("public/html");
                if !first_build {
                    lock.replace("public/html", &old).unwrap();
                    // What an earlier killed build left.
                    std::fs::create_dir_all(d.path().join("public/.policybook-Ab12Cd/x")).unwrap();
                }
                let stopped = stopped_at(n, |step| swap(&dest, &new, step).unwrap());
                let complete = |f: &Files| {
                    let mut want: Vec<PathBuf> = f.keys().map(|k| dest.join(k)).collect();
                    want.push(dest.join(STAMP));
                    want.sort();
                    want == files_below(&dest) && f.iter().all(|(k, v)| std::fs::read(dest.join(k)).unwrap() == *v)
                };
                let before_ok = if first_build { !dest.exists() } else { complete(&old) };
                assert!(before_ok || complete(&new), "stopped at step {n}: {:?}", files_below(&dest));
                lock.replace("public/html", &new).unwrap();
                assert!(complete(&new), "stopped at step {n}");
                assert_eq!(names(dest.parent().unwrap()), ["html"], "stopped at step {n}");
                if !stopped {
                    assert!(n > 20, "the swap has its steps");
                    break;
                }
                n += 1;
            }
        }
    }

    fn files_below(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).into_iter().flatten() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(files_below(&p));
            } else {
                out.push(p);
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_register_write_stopped_at_any_step_leaves_the_old_or_new_file() {
        let mut n = 1;
        loop {
            let d = tempfile::tempdir().unwrap();
            let reg = d.path().join("register.csv");
            std::fs::write(&reg, "old\n").unwrap();
            std::fs::write(d.path().join(".register.csv.policybook-Xy12"), "left by a kill").unwrap();
            std::fs::write(d.path().join(".other.csv.policybook-Xy12"), "another register's").unwrap();
            let stopped = stopped_at(n, |step| write_atomically_with(&reg, b"new\n", step).unwrap());
            let text = std::fs::read_to_string(&reg).unwrap();
            assert!(text == "old\n" || text == "new\n", "stopped at step {n}: {text:?}");
            write_atomically(&reg, b"new\n").unwrap();
            assert_eq!(std::fs::read_to_string(&reg).unwrap(), "new\n");
            assert_eq!(names(d.path()), [".other.csv.policybook-Xy12", "register.csv"], "stopped at step {n}");
            if !stopped {
                break;
            }
            n += 1;
        }
    }

    #[test]
    #[cfg(unix)]
    fn write_atomically_keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.en.md");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&p, b"new").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
        let q = d.path().join("new.html");
        write_atomically(&q, b"x").unwrap();
        std::fs::write(d.path().join("plain"), "x").unwrap();
        let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&q), mode(&d.path().join("plain")), "a new file gets what fs::write gives");
    }

    #[test]
    fn the_fail_point_takes_only_its_exact_form() {
        assert_eq!(parse_fail_point(Some("swap:1")), Some(1));
        assert_eq!(parse_fail_point(Some("swap:42")), Some(42));
        for other in [
            None,
            Some(""),
            Some("1"),
            Some("swap:"),
            Some("swap:0"),
            Some("swap:+3"),
            Some(" swap:3"),
            Some("swap:3 "),
            Some("swap:-1"),
            Some("SWAP:3"),
        ] {
            assert_eq!(parse_fail_point(other), None, "{other:?}");
        }
    }
}
