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
    let mine = if worker_process() { SYSTEM } else { MIMALLOC };
    // Two threads cannot both allocate first (a thread is itself allocated), but should they,
    // the first decision holds for both.
    match CHOICE.compare_exchange(UNDECIDED, mine, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => mine,
        Err(decided) => decided,
    }
}

/// Whether this process is a typesetting worker, or cannot tell (then the system's allocator
/// serves it, as it always did).
#[cfg(target_os = "linux")]
fn worker_process() -> bool {
    let Some((buf, len)) = cmdline_head() else { return true };
    is_worker(&buf[..len])
}

#[cfg(not(target_os = "linux"))]
fn worker_process() -> bool {
    true
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

/// mimalloc's option `purge_delay` (`mi_option_purge_delay` in mimalloc.h, v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc give the memory this process frees back to the system at once, and what it has
/// freed so far, instead of keeping it for a while (10 ms, and longer for pages a thread still
/// holds) to be reused. For a process that from now on mostly waits on its typesetting workers:
/// the memory of a build is the sum of all its processes' (issue 13: 60–80 MiB less at the
/// corpus build's peak). Not from the start: `check` and the HTML build are 10–15 % slower
/// with it.
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
    use super::is_worker;

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
