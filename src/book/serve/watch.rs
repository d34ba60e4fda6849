//! Watching the project's files for `policybook serve`: book.toml and the watched folders
//! (sources, templates, fonts), with the system's file events (`notify`'s recommended watcher:
//! inotify on Linux), or by polling the files' modification times where those fail (or always,
//! when asked: network drives and WSL do not deliver events).

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// Changes closer together than this make one rebuild (an editor writes a file in several steps).
pub const QUIET: Duration = Duration::from_millis(50);

/// How often polling looks at the files.
pub const POLL_EVERY: Duration = Duration::from_millis(250);

/// How the files are watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// The system's file events.
    Events,
    /// Polling, as asked (`--poll`).
    PollAsked,
    /// Polling, because the system's file events failed (the error).
    PollFallback(String),
}

/// A running watcher: the changed files arrive on its channel.
pub struct Watch {
    rx: Receiver<PathBuf>,
    root: PathBuf,
    folders: Vec<String>,
    // Kept alive: dropping it stops the watching.
    _watcher: Box<dyn Watcher + Send>,
    pub how: How,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct WatchError(#[from] notify::Error);

impl crate::diag::Localize for WatchError {
    fn text(&self) -> crate::diag::Message {
        crate::diag::Message::new("serve-watch").arg("error", &self.0)
    }
}

/// Watches book.toml and `folders` (relative to `root`; missing ones are skipped) below `root`,
/// by polling when `poll` or when the system's events cannot be had.
pub fn start(root: &Path, folders: &[String], poll: bool) -> Result<Watch, WatchError> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = channel();
    let (watcher, how): (Box<dyn Watcher + Send>, How) = if poll {
        (Box::new(polling(&root, folders, tx)?), How::PollAsked)
    } else {
        match native(&root, folders, tx.clone()) {
            Ok(w) => (Box::new(w), How::Events),
            Err(e) => (Box::new(polling(&root, folders, tx)?), How::PollFallback(e.to_string())),
        }
    };
    Ok(Watch { rx, root, folders: folders.to_vec(), _watcher: watcher, how })
}

/// The handler of both watchers: sends each path of an event that changes a file.
fn handler(tx: Sender<PathBuf>) -> impl Fn(notify::Result<notify::Event>) + Send + 'static {
    move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        // Reading a file (as each rebuild does) is no change; closing one written is.
        let write_closed =
            matches!(event.kind, EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)));
        if matches!(event.kind, EventKind::Access(_)) && !write_closed {
            return;
        }
        for p in event.paths {
            let _ = tx.send(p);
        }
    }
}

fn native(root: &Path, folders: &[String], tx: Sender<PathBuf>) -> notify::Result<RecommendedWatcher> {
    let mut w = RecommendedWatcher::new(handler(tx), notify::Config::default())?;
    add(&mut w, root, folders)?;
    Ok(w)
}

fn polling(root: &Path, folders: &[String], tx: Sender<PathBuf>) -> notify::Result<PollWatcher> {
    // Contents are compared, not only modification times: notify keeps those in whole seconds,
    // and two saves within a second are two edits.
    let config = notify::Config::default().with_poll_interval(POLL_EVERY).with_compare_contents(true);
    let mut w = PollWatcher::new(handler(tx), config)?;
    add(&mut w, root, folders)?;
    Ok(w)
}

/// The project folder itself without its subfolders (book.toml, and folders that appear), and
/// each watched folder that exists with everything below it.
fn add(w: &mut dyn Watcher, root: &Path, folders: &[String]) -> notify::Result<()> {
    w.watch(root, RecursiveMode::NonRecursive)?;
    for f in folders {
        let dir = root.join(f);
        if dir.is_dir() {
            w.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

impl Watch {
    /// Waits for the next change of a watched file, then until no change has come for
    /// [`QUIET`]: the files changed, relative to the project folder, sorted. `None` when the
    /// watcher has stopped.
    pub fn next(&self) -> Option<Vec<String>> {
        let mut changed = Vec::new();
        loop {
            let path = self.rx.recv().ok()?;
            changed.extend(self.relevant(&path));
            if !changed.is_empty() {
                break;
            }
        }
        loop {
            match self.rx.recv_timeout(QUIET) {
                Ok(path) => changed.extend(self.relevant(&path)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    /// `path` relative to the project folder when it is book.toml or below a watched folder.
    fn relevant(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?.to_str()?.replace('\\', "/");
        let watched = rel == crate::model::MANIFEST
            || self.folders.iter().any(|f| rel == *f || rel.starts_with(&format!("{f}/")));
        watched.then_some(rel)
    }
}
