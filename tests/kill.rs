//! No lost output (issue 10): real builds killed with SIGKILL — at random moments, and before
//! every file-system step of publishing through the test hook `POLICYBOOK_FAILPOINT=swap:N` — and
//! builds and recipient runs at once on one project. After each kill every output folder holds
//! exactly the previous build or the new one, and the next build succeeds and leaves nothing
//! behind; the distribution register never loses, duplicates or interleaves a line.

mod common;

use common::{default_project, policybook, stderr};
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A built folder's files (path below it → bytes).
type Tree = BTreeMap<String, Vec<u8>>;
/// The output: `<edition>/<format>` → its files.
type Snapshot = BTreeMap<String, Tree>;

const FAILPOINT: &str = "POLICYBOOK_FAILPOINT";

fn tree(dir: &Path) -> Tree {
    let mut out = Tree::new();
    for p in common::files_below(dir) {
        let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        out.insert(rel, std::fs::read(&p).unwrap());
    }
    out
}

/// Every built folder below `out` (`<edition>/<format>`, and `<edition>/copies/<serial>`), and
/// every leftover of a killed run (a name starting with `.policybook-` or a register's
/// `.<name>.policybook-`) at any depth.
fn snapshot(out: &Path) -> (Snapshot, Vec<PathBuf>) {
    let (mut snap, mut left) = (Snapshot::new(), Vec::new());
    let mut stack = vec![(out.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.contains(".policybook-") {
                left.push(p);
            } else if p.join(".policybook").is_file() {
                snap.insert(p.strip_prefix(out).unwrap().to_string_lossy().into_owned(), tree(&p));
            } else if p.is_dir() && depth < 3 {
                stack.push((p, depth + 1));
            }
        }
    }
    left.sort();
    (snap, left)
}

/// Sets the project's Japanese title to one of two variants, so that two builds differ in
/// every page.
fn set_variant(project: &Path, variant: usize) {
    let toml = project.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let base = text.replace("ポリシー（版B）", "ポリシー");
    let text = if variant == 1 { base.replacen("ポリシー\"", "ポリシー（版B）\"", 1) } else { base };
    std::fs::write(&toml, text).unwrap();
}

fn bin(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_policybook"));
    c.args(args).current_dir(dir).env_remove(FAILPOINT);
    c
}

fn build_ok(dir: &Path, args: &[&str]) {
    let o = policybook(dir, args);
    assert!(o.status.success(), "build {args:?} failed: {}", stderr(&o));
}

/// Each folder of `now` is the same folder of `before` or of `new`, whole; no folder is missing.
fn each_folder_whole(now: &Snapshot, before: &Snapshot, new: &Snapshot, when: &str) {
    let names: Vec<&String> = before.keys().chain(new.keys()).collect();
    for name in names {
        let seen = now.get(name);
        assert!(
            seen == before.get(name) || seen == new.get(name),
            "{when}: {name} is neither the previous build nor the new one: {:?}",
            seen.map(|t| t.keys().collect::<Vec<_>>())
        );
    }
    for name in now.keys() {
        assert!(before.contains_key(name) || new.contains_key(name), "{when}: unexpected folder {name}");
    }
}

/// A small deterministic generator (xorshift), seeded from `KILL_SEED` or the clock; the seed is
/// printed so that a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
        });
        eprintln!("kill test seed: KILL_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// SIGKILLs HTML builds of the default project at random moments over a build's duration, 40
/// rounds, the project switching between two variants: each folder stays whole, and every other
/// round a complete build follows, which succeeds and leaves no leftover.
#[test]
fn builds_killed_at_random_moments_leave_every_folder_whole() {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    let args = ["build", "--format", "html"];
    let mut want = Vec::new();
    let mut took = Duration::ZERO;
    for variant in [0, 1] {
        set_variant(dir, variant);
        let start = Instant::now();
        build_ok(dir, &args);
        took = took.max(start.elapsed());
        want.push(snapshot(&out).0);
    }
    assert_ne!(want[0], want[1], "the two variants differ");
    assert_eq!(want[0].len(), 3, "three HTML folders: {:?}", want[0].keys());
    let mut rng = Rng::new();
    let span = took.as_micros() as u64 * 6 / 5;
    let (mut killed, mut mixed) = (0, 0);
    for round in 0..40 {
        let variant = rng.below(2) as usize;
        let before = snapshot(&out).0;
        set_variant(dir, variant);
        let mut child = bin(dir, &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        killed += usize::from(status.signal() == Some(9));
        let (now, left) = snapshot(&out);
        each_folder_whole(&now, &before, &want[variant], &format!("round {round}"));
        mixed += usize::from(!left.is_empty() || (now != before && now != want[variant]));
        if round % 2 == 1 {
            build_ok(dir, &args);
            let (now, left) = snapshot(&out);
            assert_eq!(now, want[variant], "round {round}: the next build wrote the whole output");
            assert!(left.is_empty(), "round {round}: leftovers after the next build: {left:?}");
        }
    }
    eprintln!("40 rounds over {took:?}: {killed} builds killed, {mixed} of them in the middle of publishing");
    assert!(killed >= 10, "too few builds were killed ({killed}): the delays miss the build");
}

/// Runs `build args` with the fail point at step `n`: true if it killed itself there, false if
/// the build completed (n is past its last step).
fn build_killed_at(dir: &Path, args: &[&str], n: usize) -> bool {
    let o = bin(dir, args).env(FAILPOINT, format!("swap:{n}")).output().unwrap();
    match o.status.signal() {
        Some(9) => true,
        _ => {
            assert!(o.status.success(), "step {n}: the build failed: {}", stderr(&o));
            false
        }
    }
}

/// Loops the fail point over every file-system step of publishing one folder, replacing an
/// earlier build (`first_build` false) or into an empty output: after each kill the folder is
/// the previous build or the new one (or absent on a first build), whole, and the next build
/// succeeds, writes it whole and leaves nothing behind. Returns the number of steps.
fn kill_at_every_step(first_build: bool) -> usize {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    let args = ["build", "--format", "html", "--edition", "public"];
    let mut want = Vec::new();
    for variant in [1, 0] {
        set_variant(dir, variant);
        build_ok(dir, &args);
        want.push(snapshot(&out).0);
    }
    want.reverse(); // want[v] is variant v; the output holds variant 0
    for n in 1.. {
        if first_build {
            std::fs::remove_dir_all(&out).unwrap();
        }
        let before = snapshot(&out).0;
        set_variant(dir, 1);
        let killed = build_killed_at(dir, &args, n);
        let (now, left) = snapshot(&out);
        each_folder_whole(&now, &before, &want[1], &format!("killed before step {n}"));
        if !killed {
            assert_eq!(now, want[1], "the build without a kill wrote the whole output");
            assert!(left.is_empty(), "{left:?}");
            return n - 1;
        }
        set_variant(dir, 0);
        build_ok(dir, &args);
        let (now, left) = snapshot(&out);
        assert_eq!(now, want[0], "after the kill before step {n}, the next build wrote the whole output");
        assert!(left.is_empty(), "after the kill before step {n}, leftovers remain: {left:?}");
    }
    unreachable!()
}

#[test]
fn a_build_killed_before_any_step_of_the_swap_leaves_the_folder_whole() {
    let steps = kill_at_every_step(false);
    eprintln!("replacing a folder: killed before each of {steps} steps");
    assert!(steps > 30, "the fail point counts the steps of the swap ({steps})");
}

#[test]
fn a_first_build_killed_before_any_step_leaves_no_folder_or_a_whole_one() {
    let steps = kill_at_every_step(true);
    eprintln!("a first build: killed before each of {steps} steps");
    assert!(steps > 30, "the fail point counts the steps of the swap ({steps})");
}

/// Three builds at once on one project, ten rounds: each succeeds or stops with the lock's
/// message (never an `os error`), and the output is the whole new build without leftovers.
#[test]
fn builds_at_once_take_turns_and_leave_whole_folders() {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    let args = ["build", "--format", "html"];
    let mut want = Vec::new();
    for variant in [0, 1] {
        set_variant(dir, variant);
        build_ok(dir, &args);
        want.push(snapshot(&out).0);
    }
    let mut refused = 0;
    for round in 0..10 {
        set_variant(dir, round % 2);
        let children: Vec<_> =
            (0..3).map(|_| bin(dir, &args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()).collect();
        let outputs: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
        for o in &outputs {
            let err = stderr(o);
            assert!(!err.contains("os error"), "round {round}: {err}");
            if !o.status.success() {
                assert!(
                    err.contains("another policybook build is writing to this output folder"),
                    "round {round}: {err}"
                );
                refused += 1;
            }
        }
        assert!(outputs.iter().any(|o| o.status.success()), "round {round}: one build succeeds");
        let (now, left) = snapshot(&out);
        assert_eq!(now, want[round % 2], "round {round}");
        assert!(left.is_empty(), "round {round}: {left:?}");
    }
    eprintln!("30 builds in 10 rounds of 3: {refused} refused by the lock");
}

/// One register line, split (fields may be quoted, with `""` for a quote).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut cur, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    assert!(!quoted, "an unclosed quote: {line:?}");
    fields.push(cur);
    fields
}

/// A small project (`policybook init`) with a distribution register.
fn register_project() -> tempfile::TempDir {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("p");
    let o = policybook(base.path(), &["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    toml.push_str("\n[pdf]\nregister = \"output/distribution-register.csv\"\n");
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    base
}

/// Four processes, each registering copies for five recipients, at once: every run succeeds, the
/// register holds one well-formed line per copy, serials unique and consecutive, each run's
/// serials one block, and each copy exists exactly once with the registered digest.
#[test]
fn recipient_runs_at_once_never_lose_duplicate_or_interleave_a_register_line() {
    let base = register_project();
    let dir = base.path().join("p");
    let recipient = |w: usize, r: usize| format!("総務課, 係{w}-{r} \"写\"");
    std::thread::scope(|s| {
        for w in 0..4 {
            let (dir, recipient) = (&dir, &recipient);
            s.spawn(move || {
                for r in 0..5 {
                    let name = recipient(w, r);
                    let args = ["build", "--format", "pdf", "--edition", "restricted", "--recipient", &name];
                    let o = bin(dir, &args).output().unwrap();
                    assert!(o.status.success(), "{name}: {}", stderr(&o));
                }
            });
        }
    });
    let text = std::fs::read_to_string(dir.join("output/distribution-register.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("serial,recipient,date,edition,document,commit,sha256"));
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    let copies_dir = dir.join("output/restricted/copies");
    let files = common::files_below(&copies_dir).into_iter().filter(|p| !p.ends_with(".policybook")).count();
    let mut runs: BTreeMap<String, (String, usize)> = BTreeMap::new(); // recipient → (first serial, copies)
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 7, "line {}: {row:?}", i + 2);
        assert_eq!(row[0], format!("restricted-{:06}", i + 1), "serials are consecutive from 1");
        assert_eq!((row[3].as_str(), row[6].len()), ("restricted", 64), "{row:?}");
        let run = runs.entry(row[1].clone()).or_insert_with(|| (row[0].clone(), 0));
        assert!(
            i == 0 || rows[i - 1][1] == row[1] || run.1 == 0,
            "the run of {} is interleaved: line {}",
            row[1],
            i + 2
        );
        run.1 += 1;
        let copy = copies_dir.join(&run.0).join(&row[4]);
        let digest: String = sha2_hex(&std::fs::read(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display())));
        assert_eq!(digest, row[6], "{}", copy.display());
    }
    let mut names: Vec<String> = (0..4).flat_map(|w| (0..5).map(move |r| recipient(w, r))).collect();
    names.sort();
    assert_eq!(runs.keys().cloned().collect::<Vec<_>>(), names, "one run per recipient");
    let per_run = runs.values().next().unwrap().1;
    assert!(runs.values().all(|r| r.1 == per_run), "every run registers as many copies: {runs:?}");
    assert_eq!(files, rows.len(), "each registered copy exists once, and no copy is unregistered");
    assert_eq!(std::fs::read_dir(&copies_dir).unwrap().count(), 20, "one folder per run");
    eprintln!("20 recipient runs at once: {} register lines, {files} copies", rows.len());
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
