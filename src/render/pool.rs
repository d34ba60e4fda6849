//! A pool of worker threads over a list of independent jobs: results in the order of the jobs,
//! and on failure the error of the first failing job in that order, whatever the timing. Used
//! by the PDF renderer and by `book::build` (one pool over every edition's PDFs).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// The number of workers when none is asked for: the available cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `f` on every item on `threads` workers (at least one, at most one per item); each item
/// is moved into its job and dropped when it ends. Returns the results in item order, or the
/// error of the first failing item in item order: after a failure, no later item starts, and
/// every earlier one still runs, so the error reported does not depend on the timing.
pub fn run<T: Send, R: Send, E: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E> {
    run_weighted(items, threads, |_| Weight::default(), f)
}

/// What the pool knows of an item before it runs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weight {
    /// The memory it needs, in any unit; 0 for a light item, which fits beside any.
    pub memory: u64,
    /// How long it runs, roughly, in any unit: among items of the same memory the longest start
    /// first, so that the last to end are short ones, not one long item on one core.
    pub length: u64,
}

thread_local! {
    /// How many items the pool of this thread runs at once; 1 outside a pool.
    static AT_ONCE: std::cell::Cell<usize> = const { std::cell::Cell::new(1) };
}

/// How many items run at once in the pool whose item this thread is running (1 outside a
/// pool): what a job that could use several cores itself (Typst lays out pages on threads of
/// its own) may take of them is its share.
pub fn at_once() -> usize {
    AT_ONCE.with(std::cell::Cell::get)
}

/// [`run`] for items of different weights (for PDFs, the bytes of their data, which their memory
/// and their time follow). Items start heaviest first, then longest first (ties in item order),
/// each worker taking the first waiting item that fits beside those running: the longest jobs
/// start early and the light ones fill the gaps. An item of memory 0 always fits; the others fit
/// while the memory running adds up to at most one and a half times the heaviest item's (one
/// item always runs): two items heavier than half the heaviest never run at once, which bounds
/// memory by about one and a half heaviest jobs, and a job half as heavy keeps the other core
/// busy beside the heaviest.
pub fn run_weighted<T: Send, R: Send, E: Send>(
    items: Vec<T>,
    threads: usize,
    weight: impl Fn(&T) -> Weight,
    f: impl Fn(T) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E> {
    let n = items.len();
    let weights: Vec<Weight> = items.iter().map(&weight).collect();
    let heaviest = weights.iter().map(|w| w.memory).max().unwrap_or(0);
    let budget = heaviest.saturating_add(heaviest / 2);
    // Waiting items in start order: (item index, memory, item).
    let mut waiting: Vec<(usize, u64, Option<T>)> =
        items.into_iter().zip(&weights).enumerate().map(|(i, (t, w))| (i, w.memory, Some(t))).collect();
    waiting.sort_by_key(|&(i, memory, _)| (std::cmp::Reverse(memory), std::cmp::Reverse(weights[i].length), i));
    // The waiting items and the weight running.
    let queue = Mutex::new((waiting, 0u64));
    let room = Condvar::new();
    let failed = AtomicUsize::new(usize::MAX);
    let slots: Vec<Mutex<Option<Result<R, E>>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let mut q = queue.lock().unwrap_or_else(|p| p.into_inner());
        // The first waiting item that fits beside those running (alone, any item fits).
        let (i, w, item) = loop {
            if q.0.is_empty() {
                return;
            }
            let running = q.1;
            let fits = |w: u64| w == 0 || running == 0 || running + w <= budget;
            if let Some(k) = q.0.iter().position(|&(_, w, _)| fits(w)) {
                let (i, w, item) = q.0.remove(k);
                break (i, w, item.expect("each item is taken once"));
            }
            q = room.wait(q).unwrap_or_else(|p| p.into_inner());
        };
        q.1 += w;
        drop(q);
        // After a failure, only items before it in item order still run, so the error reported
        // (the first in item order) does not depend on the timing.
        if i <= failed.load(Ordering::SeqCst) {
            let r = f(item);
            if r.is_err() {
                failed.fetch_min(i, Ordering::SeqCst);
            }
            *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
        }
        queue.lock().unwrap_or_else(|p| p.into_inner()).1 -= w;
        room.notify_all();
    };
    match threads.clamp(1, n.max(1)) {
        1 => work(),
        t => std::thread::scope(|s| {
            for _ in 0..t {
                s.spawn(|| {
                    AT_ONCE.with(|a| a.set(t));
                    work()
                });
            }
        }),
    }
    let mut out = Vec::with_capacity(n);
    for slot in slots {
        // An empty slot is a job skipped after an earlier failure, which returns first.
        match slot.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(Ok(r)) => out.push(r),
            Some(Err(e)) => return Err(e),
            None => unreachable!("a skipped job follows a failed one"),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{run, Weight};

    fn memory(w: u64) -> Weight {
        Weight { memory: w, length: 0 }
    }

    /// A job that fails for items 7 (slowly) and 40 (at once).
    fn seven_slowly_and_forty_fail(i: usize) -> Result<usize, usize> {
        if i == 7 {
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
        if i == 7 || i == 40 {
            Err(i)
        } else {
            Ok(i)
        }
    }

    #[test]
    fn results_keep_their_order_and_the_first_error_in_order_wins() {
        for threads in [1, 2, 5] {
            let ok: Result<Vec<usize>, ()> = run((0..50).collect(), threads, |i| Ok(i * 2));
            assert_eq!(ok.unwrap(), (0..50).map(|i| i * 2).collect::<Vec<_>>());
            // Item 40 fails fast, item 7 fails slowly: 7 is the first in order.
            assert_eq!(run((0..50).collect(), threads, seven_slowly_and_forty_fail), Err(7), "{threads} threads");
        }
        let none: Result<Vec<u8>, ()> = run(Vec::<u8>::new(), 4, Ok);
        assert_eq!(none, Ok(vec![]));
    }

    #[test]
    fn heavy_items_never_run_together_and_light_ones_run_beside_them() {
        use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
        let (running, peak) = (AtomicU64::new(0), AtomicU64::new(0));
        let (count, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let weights = vec![10u64, 0, 10, 0, 0, 10, 5, 5, 0, 3];
        let out: Result<Vec<u64>, ()> = super::run_weighted(
            weights.clone(),
            4,
            |w| memory(*w),
            |w| {
                let now = running.fetch_add(w, Ordering::SeqCst) + w;
                peak.fetch_max(now, Ordering::SeqCst);
                most.fetch_max(count.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                count.fetch_sub(1, Ordering::SeqCst);
                running.fetch_sub(w, Ordering::SeqCst);
                Ok(w)
            },
        );
        assert_eq!(out.unwrap(), weights);
        // One and a half heaviest at most: a 10 with a 5, never two 10s.
        assert!(peak.load(Ordering::SeqCst) <= 15, "{}", peak.load(Ordering::SeqCst));
        assert!(most.load(Ordering::SeqCst) >= 3, "light items ran beside heavy ones");
    }

    #[test]
    fn heaviest_start_first_and_the_error_is_still_the_first_in_item_order() {
        use std::sync::Mutex;
        let started = Mutex::new(Vec::new());
        let out: Result<Vec<u64>, ()> = super::run_weighted(
            vec![1u64, 10, 0, 5, 1],
            1,
            |w| memory(*w),
            |w| {
                started.lock().unwrap().push(w);
                Ok(w)
            },
        );
        assert_eq!(out.unwrap(), vec![1, 10, 0, 5, 1]);
        assert_eq!(started.into_inner().unwrap(), vec![10, 5, 1, 1, 0]);
        // Light items (memory 0) start longest first; equal lengths in item order.
        let started = Mutex::new(Vec::new());
        let items = vec![(0, 3), (0, 9), (4, 1), (0, 9), (0, 0)];
        let weight = |&(memory, length): &(u64, u64)| Weight { memory, length };
        let out: Result<Vec<(u64, u64)>, ()> = super::run_weighted(items.clone(), 1, weight, |w| {
            started.lock().unwrap().push(w);
            Ok(w)
        });
        assert_eq!(out.unwrap(), items);
        assert_eq!(started.into_inner().unwrap(), vec![(4, 1), (0, 9), (0, 9), (0, 3), (0, 0)]);
        for threads in [1, 2, 5] {
            // Item 40 is heavy and starts first, failing fast; item 7 is light and fails slowly.
            let weights: Vec<(usize, u64)> = (0..50).map(|i| (i, if i == 40 { 100 } else { 1 })).collect();
            let err =
                super::run_weighted(weights, threads, |&(_, w)| memory(w), |(i, _)| seven_slowly_and_forty_fail(i));
            assert_eq!(err, Err(7), "{threads} threads");
        }
    }

    #[test]
    fn an_item_knows_how_many_run_beside_it() {
        assert_eq!(super::at_once(), 1, "outside a pool");
        for threads in [1, 2, 3] {
            let seen: Result<Vec<usize>, ()> = run((0..6).collect(), threads, |_| Ok(super::at_once()));
            assert!(seen.unwrap().iter().all(|&n| n == threads), "{threads} threads");
        }
        // Never more than the items.
        let seen: Result<Vec<usize>, ()> = run(vec![0, 1], 5, |_| Ok(super::at_once()));
        assert_eq!(seen.unwrap(), vec![2, 2]);
    }
}
