//! The command's memory allocator: mimalloc for policybook's own work, the system's (glibc) for a
//! typesetting worker.
//!
//! `check`, the HTML build, `diff` and `history` make millions of small short-lived allocations
//! (parsed Markdown, diagnostics, pages, search terms), where mimalloc is markedly faster than
//! glibc's malloc; Typst in a worker is not: under mimalloc a worker spent more time in the
//! kernel and kept 7 % more memory (issue 13, measured in README "Performance"). A worker is
//! this same binary (`policybook __typeset-worker`), so the choice is made per process, from its
//! first argument.
//!
//! The choice is made once, at the process's first allocation, before anything has been
//! allocated by either allocator, and never changes: every block is freed by the allocator that
//! made it. The first argument is read from `/proc/self/cmdline` into a buffer on the stack (the
//! allocator cannot allocate to decide); where that file cannot be read, or off Linux, the
//! process keeps the system's allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

#[global_allocator]
static ALLOCATOR: Chosen = Chosen;

const UNDECIDED: u8 = 0;
const SYSTEM: u8 = 1;
const MIMALLOC: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// mimalloc or the system's allocator, as [`choice`] decides once per process.
struct Chosen;

/// The allocator of this process: decided at the first call, the same ever after. On every
/// allocation: kept inline, the decision out of the way.
#[inline(always)]
fn choice() -> u8 {
    match CHOICE.load(Ordering::Relaxed) {
        UNDECIDED => decide(),
        decided => decided,
    }
}

#[cold]
#[inline(never)]
fn decide() -> u8 {
    let (mine, huge_pages) = match command() {
        Command::Worker => (SYSTEM, false),
        Command::Check => (MIMALLOC, true),
        Command::Other => (MIMALLOC, false),
    };
    if mine == MIMALLOC && !huge_pages {
        // SAFETY: options may be set at any time; mimalloc has not yet served an allocation of
        // this process (this is the first), so it has asked for no huge page yet.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0) };
    }
    // Two threads cannot both allocate first (a thread is itself allocated), but should they,
    // the first decision holds for both.
    match CHOICE.compare_exchange(UNDECIDED, mine, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => mine,
        Err(decided) => decided,
    }
}

/// What a process is, as far as its allocator is concerned.
#[derive(Debug, PartialEq)]
enum Command {
    /// A typesetting worker, or a process that cannot tell (the system's allocator serves it, as
    /// it always did).
    Worker,
    /// `policybook check`: mimalloc with transparent huge pages (the system's setting allowing,
    /// `madvise`): its model is built in a fresh 50 MB, and with 4 KiB pages a fifth of its time
    /// went to page faults (issue 13: the corpus's `check` 7–15 % faster with them).
    Check,
    /// Any other command: mimalloc with 4 KiB pages (with huge pages the HTML build kept 25 %
    /// more memory and spent more time in the kernel, session 7).
    Other,
}

#[cfg(target_os = "linux")]
fn command() -> Command {
    let Some((buf, len)) = cmdline_head() else { return Command::Worker };
    let cmdline = &buf[..len];
    if is_worker(cmdline) {
        Command::Worker
    } else if subcommand(cmdline) == Some(b"check".as_slice()) {
        Command::Check
    } else {
        Command::Other
    }
}

#[cfg(not(target_os = "linux"))]
fn command() -> Command {
    Command::Worker
}

/// The subcommand of the arguments (`cmdline`: each ended by a NUL, the program first): the
/// first argument that is neither an option nor the value of a global option that takes one
/// (`-C DIR`, `--project DIR`, `--messages LANG`).
fn subcommand(cmdline: &[u8]) -> Option<&[u8]> {
    let mut args = cmdline.strip_suffix(&[0]).unwrap_or(cmdline).split(|&b| b == 0).skip(1);
    while let Some(arg) = args.next() {
        match arg {
            b"-C" | b"--project" | b"--messages" => {
                args.next();
            }
            _ if arg.starts_with(b"-") => {}
            _ => return Some(arg),
        }
    }
    None
}

/// The start of `/proc/self/cmdline` (the arguments, each ended by a NUL), without allocating.
#[cfg(target_os = "linux")]
fn cmdline_head() -> Option<([u8; 4096], usize)> {
    use rustix::fs::{open, Mode, OFlags};
    let fd = open(c"/proc/self/cmdline", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).ok()?;
    let mut buf = [0u8; 4096];
    let mut len = 0;
    while len < buf.len() {
        match rustix::io::read(&fd, &mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return None,
        }
    }
    Some((buf, len))
}

/// Whether the arguments (`cmdline`: each ended by a NUL, the program first) make a typesetting
/// worker. A start cut off by the buffer counts as a worker: the system's allocator is the safe
/// side.
fn is_worker(cmdline: &[u8]) -> bool {
    let Some(end) = cmdline.iter().position(|&b| b == 0) else { return true };
    let first = &cmdline[end + 1..];
    let worker = policybook::render::typeset::WORKER_ARG.as_bytes();
    match first.iter().position(|&b| b == 0) {
        Some(n) => &first[..n] == worker,
        None => !first.is_empty() && worker.starts_with(first),
    }
}

/// mimalloc's options `purge_delay` and `allow_thp` (`mi_option_purge_delay`,
/// `mi_option_allow_thp` in mimalloc.h, v3; a unit test reads their defaults).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// Has mimalloc give the memory this process frees back to the system at once, and what it has
/// freed so far, instead of keeping it for a while (a second, and longer for pages a thread
/// still holds) to be reused. For a process that from now on mostly waits on its typesetting
/// workers: the memory of a build is the sum of all its processes' (issue 13: 28–40 MiB less
/// in the main process at the corpus build's peak). Not from the start: `check` and the HTML
/// build are 10–15 % slower with it.
pub fn purge_promptly() {
    if choice() == MIMALLOC {
        // SAFETY: options may be set at any time; `mi_collect` runs on mimalloc's own state.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
            libmimalloc_sys::mi_collect(true);
        }
    }
}

unsafe impl GlobalAlloc for Chosen {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on to the allocator chosen for the process.
        unsafe {
            match choice() {
                MIMALLOC => mimalloc::MiMalloc.alloc(layout),
                _ => System.alloc(layout),
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            match choice() {
                MIMALLOC => mimalloc::MiMalloc.alloc_zeroed(layout),
                _ => System.alloc_zeroed(layout),
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, hence by the one chosen for the process
        // (the choice never changes once made, and it is made before the first allocation).
        unsafe {
            match choice() {
                MIMALLOC => mimalloc::MiMalloc.dealloc(ptr, layout),
                _ => System.dealloc(ptr, layout),
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `dealloc`.
        unsafe {
            match choice() {
                MIMALLOC => mimalloc::MiMalloc.realloc(ptr, layout, new_size),
                _ => System.realloc(ptr, layout, new_size),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_worker, subcommand};

    #[test]
    fn the_subcommand_is_the_first_argument_that_is_no_option_nor_its_value() {
        assert_eq!(subcommand(b"policybook\0check\0"), Some(b"check".as_slice()));
        assert_eq!(subcommand(b"policybook\0-q\0--messages\0en\0check\0--strict\0"), Some(b"check".as_slice()));
        assert_eq!(subcommand(b"policybook\0-C\0check\0build\0"), Some(b"build".as_slice()));
        assert_eq!(subcommand(b"policybook\0--project=x\0check\0"), Some(b"check".as_slice()));
        assert_eq!(subcommand(b"policybook\0--quiet\0"), None);
    }

    #[test]
    fn the_option_numbers_are_mimallocs() {
        // The options of mimalloc (v3) by their defaults, a shifted enum would read others:
        // purge_delay 1000 ms (15), page_max_candidates 4 (37), allow_thp 1 but 0 here, where
        // `decide` turned it off (the test harness is no `check`).
        // SAFETY: reads options.
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 1000);
        assert_eq!(get(super::MI_OPTION_ALLOW_THP - 6), 4);
        assert_eq!(get(super::MI_OPTION_ALLOW_THP), 0);
    }

    #[test]
    fn only_the_worker_argument_in_first_place_makes_a_worker() {
        assert!(is_worker(b"/usr/bin/policybook\0__typeset-worker\0"));
        assert!(!is_worker(b"/usr/bin/policybook\0check\0"));
        assert!(!is_worker(b"policybook\0build\0__typeset-worker\0"));
        assert!(!is_worker(b"policybook\0__typeset-worker-x\0"));
        assert!(!is_worker(b"policybook\0"));
        // Cut off by the buffer: the safe side.
        assert!(is_worker(b"/very/long/path/to/policy"));
        assert!(is_worker(b"policybook\0__typeset-wo"));
    }

    #[test]
    fn this_test_process_has_decided_and_keeps_its_choice() {
        // The test harness is not a worker: mimalloc serves it, and a block allocated before
        // this line is freed and grown by the same allocator.
        let grown = vec![1u8; 10].into_iter().chain(0..100).collect::<Vec<u8>>();
        assert_eq!(grown.len(), 110);
        assert_eq!(super::CHOICE.load(std::sync::atomic::Ordering::Relaxed), super::MIMALLOC);
    }
}
