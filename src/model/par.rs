//! An ordered parallel map: the work of `check` (parsing files, building documents, the prose
//! rules on passages) shared over the machine's cores with `std::thread::scope`. Each thread takes
//! the next item when it is done with one, so a long item (a 200 KB file beside 2 KB chapters)
//! does not leave a core idle; the results come back in the items' order, so diagnostics are the
//! same as a sequential run's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How many threads share `n` items: up to `available_parallelism`, one for fewer than two.
fn threads(n: usize) -> usize {
    std::thread::available_parallelism().map_or(1, |t| t.get()).min(n / 2).max(1)
}

/// `f` over `items`, in order, on up to `available_parallelism` threads (one for few items).
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads(items.len());
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(item)));
        }
    };
    in_order(items.len(), threads, &work)
}

/// `f` over owned `items` (which need only be `Send`, such as git sources), in order, on up to
/// `available_parallelism` threads.
pub fn map_owned<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let n = items.len();
    let threads = threads(n);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let work = || {
        let mut done = Vec::new();
        loop {
            let taken = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
            let Some((i, item)) = taken else { return done };
            done.push((i, f(item)));
        }
    };
    in_order(n, threads, &work)
}

/// Runs `work` on `threads` threads, each returning the (index, result) pairs it made, and puts
/// the `n` results back in index order.
fn in_order<R: Send>(n: usize, threads: usize, work: &(impl Fn() -> Vec<(usize, R)> + Sync)) -> Vec<R> {
    let mut all: Vec<(usize, R)> = Vec::with_capacity(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
        for h in handles {
            all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(super::map(&items, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(super::map(&[] as &[u32], |x| *x), Vec::<u32>::new());
        assert_eq!(super::map(&[7u32], |x| *x), vec![7]);
        assert_eq!(super::map_owned(items.clone(), |x| x + 1), items.iter().map(|x| x + 1).collect::<Vec<_>>());
    }

    #[test]
    fn a_slow_first_item_neither_reorders_the_results_nor_holds_the_others_back() {
        // The first item waits until every other one is done (at most 30 s): with fixed chunks
        // its own thread would hold the items after it; handed out one at a time, another thread
        // takes them all meanwhile. The results still come in the items' order.
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let items: Vec<u64> = (0..40).collect();
        let several = super::threads(items.len()) > 1;
        type Item<'a> = &'a (dyn Fn(u64) -> (u64, usize) + Sync);
        let run = |map: &dyn Fn(Item) -> Vec<(u64, usize)>| {
            let others = AtomicUsize::new(0);
            let f = |x: u64| {
                if x != 0 {
                    others.fetch_add(1, SeqCst);
                } else if several {
                    let start = std::time::Instant::now();
                    while others.load(SeqCst) < items.len() - 1 && start.elapsed().as_secs() < 30 {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                }
                (x, others.load(SeqCst))
            };
            let got = map(&f);
            assert_eq!(got.iter().map(|(x, _)| *x).collect::<Vec<_>>(), items);
            if several {
                assert_eq!(got[0].1, items.len() - 1, "the other items were done while the first waited");
            }
        };
        run(&|f| super::map(&items, |x| f(*x)));
        run(&|f| super::map_owned(items.clone(), f));
    }
}
