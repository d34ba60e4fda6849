//! The progress bar of long commands (`build`, `diff`, `import`, `translation export`) and the
//! `--quiet` switch. The bar is drawn on standard error only when it is a terminal, `CI` is unset
//! and `--quiet` is not given; the library only calls [`Progress`], and the clock is read here.

use super::msg_lang;
use policybook::book::progress::Progress;
use policybook::diag::Message;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: nothing but errors is printed (set once, by `main`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Cells of the bar.
const WIDTH: usize = 24;

/// A bar on standard error (or nothing, see the module) and the time since the command began.
pub struct Bar {
    on: bool,
    total: usize,
    done: usize,
    start: Instant,
}

impl Bar {
    /// Starts the clock; the bar is drawn only where [`drawn`] says.
    pub fn new() -> Self {
        let on = drawn(quiet(), std::env::var_os("CI").is_some(), std::io::stderr().is_terminal());
        Bar { on, total: 0, done: 0, start: Instant::now() }
    }

    /// Seconds since [`Bar::new`], as the summary lines print them.
    pub fn secs(&self) -> String {
        format!("{:.1}", self.start.elapsed().as_secs_f64())
    }

    /// A step named by a catalogue line (a stage of the command) rather than by data.
    pub fn stage(&mut self, m: Message) {
        self.step(&m.message(msg_lang()));
    }

    /// Clears the bar, so that the summary line that follows stands alone.
    pub fn finish(&mut self) {
        if std::mem::take(&mut self.on) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Progress for Bar {
    fn begin(&mut self, total: usize) {
        self.total += total;
    }

    fn step(&mut self, label: &str) {
        self.done += 1;
        if self.on {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K{}", line(self.done, self.total, label));
            let _ = err.flush();
        }
    }
}

/// Whether a bar is drawn: on a terminal, outside CI, without `--quiet`.
fn drawn(quiet: bool, ci: bool, terminal: bool) -> bool {
    !quiet && !ci && terminal
}

/// `[########----------------] 2/6 public/pdf`: the cells of the steps finished before this one.
fn line(step: usize, total: usize, label: &str) -> String {
    let total = total.max(step);
    let filled = WIDTH * step.saturating_sub(1) / total.max(1);
    format!("[{}{}] {step}/{total} {label}", "#".repeat(filled), "-".repeat(WIDTH - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_only_on_a_terminal_outside_ci_without_quiet() {
        assert!(drawn(false, false, true));
        assert!(!drawn(true, false, true));
        assert!(!drawn(false, true, true));
        assert!(!drawn(false, false, false));
    }

    #[test]
    fn the_line_fills_with_the_finished_steps() {
        assert_eq!(line(1, 2, "public/html"), format!("[{}] 1/2 public/html", "-".repeat(WIDTH)));
        assert_eq!(line(2, 2, "x"), format!("[{}{}] 2/2 x", "#".repeat(12), "-".repeat(12)));
        // More steps than announced (a stage added by the CLI): never past the end.
        assert_eq!(line(3, 2, "x"), format!("[{}{}] 3/3 x", "#".repeat(16), "-".repeat(8)));
    }
}
