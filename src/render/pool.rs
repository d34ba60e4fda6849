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
    run_weighted(items, threads, |_| 0, f)
}

/// [`run`], where an item of `weight(item)` starts only while the weights of the items running
/// with it add up to at most the heaviest item's weight (one item always runs): the heaviest
/// jobs never run at once, which bounds memory by about one heaviest job's, and light jobs fill
/// the other threads. Items start in order.
pub fn run_weighted<T: Send, R: Send, E: Send>(
    items: Vec<T>,
    threads: usize,
    weight: impl Fn(&T) -> u64,
    f: impl Fn(T) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E> {
    let n = items.len();
    let budget = items.iter().map(&weight).max().unwrap_or(0);
    let items: Vec<(T, u64)> = items
        .into_iter()
        .map(|t| {
            let w = weight(&t);
            (t, w)
        })
        .collect();
    let queue = Mutex::new((items.into_iter().enumerate(), 0u64));
    let room = Condvar::new();
    let failed = AtomicUsize::new(usize::MAX);
    let slots: Vec<Mutex<Option<Result<R, E>>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let mut q = queue.lock().unwrap_or_else(|p| p.into_inner());
        let Some((i, (item, w))) = q.0.next() else { break };
        // Wait until the item fits beside those running (alone, it always fits).
        while q.1 > 0 && q.1 + w > budget {
            q = room.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        q.1 += w;
        drop(q);
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
                s.spawn(work);
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
    use super::run;

    #[test]
    fn results_keep_their_order_and_the_first_error_in_order_wins() {
        for threads in [1, 2, 5] {
            let ok: Result<Vec<usize>, ()> = run((0..50).collect(), threads, |i| Ok(i * 2));
            assert_eq!(ok.unwrap(), (0..50).map(|i| i * 2).collect::<Vec<_>>());
            // Item 40 fails fast, item 7 fails slowly: 7 is the first in order.
            let err = run((0..50).collect(), threads, |i: usize| {
                if i == 7 {
                    std::thread::sleep(std::time::Duration::from_millis(30));
                }
                if i == 7 || i == 40 {
                    Err(i)
                } else {
                    Ok(i)
                }
            });
            assert_eq!(err, Err(7), "{threads} threads");
        }
        let none: Result<Vec<u8>, ()> = run(Vec::<u8>::new(), 4, Ok);
        assert_eq!(none, Ok(vec![]));
    }

    #[test]
    fn heavy_items_never_run_together() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let (running, peak) = (AtomicU64::new(0), AtomicU64::new(0));
        let weights = vec![10u64, 1, 10, 1, 1, 10, 5, 5, 1];
        let out: Result<Vec<u64>, ()> = super::run_weighted(
            weights.clone(),
            4,
            |w| *w,
            |w| {
                let now = running.fetch_add(w, Ordering::SeqCst) + w;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(5));
                running.fetch_sub(w, Ordering::SeqCst);
                Ok(w)
            },
        );
        assert_eq!(out.unwrap(), weights);
        assert!(peak.load(Ordering::SeqCst) <= 10, "{}", peak.load(Ordering::SeqCst));
    }
}
