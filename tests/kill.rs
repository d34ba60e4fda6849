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
/// `.<name>.policybook-`; any other name starting with a dot) at any depth.
fn snapshot(out: &Path) -> (Snapshot, Vec<PathBuf>) {
    let (mut snap, mut left) = (Snapshot::new(), Vec::new());
    let mut stack = vec![(out.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
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

/// The files in which two outputs differ (`folder/file`), for a short failure message.
fn differences(a: &Snapshot, b: &Snapshot) -> Vec<String> {
    let empty = Tree::new();
    let folders: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for f in folders {
        let (ta, tb) = (a.get(f).unwrap_or(&empty), b.get(f).unwrap_or(&empty));
        let files: std::collections::BTreeSet<&String> = ta.keys().chain(tb.keys()).collect();
        out.extend(files.into_iter().filter(|k| ta.get(*k) != tb.get(*k)).map(|k| format!("{f}/{k}")));
        if a.contains_key(f) != b.contains_key(f) {
            out.push(format!("{f}/ (the folder)"));
        }
    }
    out
}

/// `now` is `want` exactly (every folder, every file, every byte).
fn assert_same(now: &Snapshot, want: &Snapshot, when: &str) {
    let d = differences(now, want);
    assert!(
        d.is_empty(),
        "{when}: the output differs from the build's in {} files: {:?}",
        d.len(),
        &d[..d.len().min(8)]
    );
}

/// Each folder of `now` is the same folder of `before` or of `new`, whole; no folder is missing.
fn each_folder_whole(now: &Snapshot, before: &Snapshot, new: &Snapshot, when: &str) {
    let names: Vec<&String> = before.keys().chain(new.keys()).collect();
    for name in names {
        let seen = now.get(name);
        assert!(
            seen == before.get(name) || seen == new.get(name),
            "{when}: {name} is neither the previous build nor the new one: {} files",
            seen.map_or(0, |t| t.len())
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
    // A complete build's duration, measured again by each complete build (the load varies).
    let mut took = Duration::MAX;
    for variant in [0, 1] {
        set_variant(dir, variant);
        let start = Instant::now();
        build_ok(dir, &args);
        took = took.min(start.elapsed());
        want.push(snapshot(&out).0);
    }
    assert_ne!(want[0], want[1], "the two variants differ");
    assert_eq!(want[0].len(), 3, "three HTML folders: {:?}", want[0].keys());
    let mut rng = Rng::new();
    let (mut killed, mut mixed) = (0, 0);
    for round in 0..40 {
        let variant = rng.below(2) as usize;
        let before = snapshot(&out).0;
        set_variant(dir, variant);
        let mut child = bin(dir, &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(took.as_micros() as u64 * 11 / 10)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        killed += usize::from(status.signal() == Some(9));
        let (now, left) = snapshot(&out);
        each_folder_whole(&now, &before, &want[variant], &format!("round {round}"));
        mixed += usize::from(!left.is_empty() || (now != before && now != want[variant]));
        if round % 2 == 1 {
            let start = Instant::now();
            build_ok(dir, &args);
            took = start.elapsed();
            let (now, left) = snapshot(&out);
            assert_same(&now, &want[variant], &format!("round {round}, the next build"));
            assert!(left.is_empty(), "round {round}: leftovers after the next build: {left:?}");
        }
    }
    eprintln!(
        "40 rounds, a build lasting {took:?}: {killed} builds killed, {mixed} of them in the middle of publishing"
    );
    assert!(killed >= 10, "too few builds were killed ({killed}): the delays miss the build");
}

/// Runs `policybook args` with the fail point at step `n`: true if it killed itself there, false if
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
            assert_same(&now, &want[1], "the build without a kill");
            assert!(left.is_empty(), "{left:?}");
            return n - 1;
        }
        set_variant(dir, 0);
        build_ok(dir, &args);
        let (now, left) = snapshot(&out);
        assert_same(&now, &want[0], &format!("after the kill before step {n}, the next build"));
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
        assert_same(&now, &want[round % 2], &format!("round {round}"));
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

/// One registered run: its first serial (its copies' folder) and its documents with their digest.
#[derive(Debug)]
struct Run {
    first: String,
    docs: BTreeMap<String, String>,
}

/// Reads the register of `dir`'s default project: the header, then lines of seven fields, serials
/// consecutive from 1, each run's lines one block. Returns the runs by recipient, and the text.
fn read_register(dir: &Path) -> (BTreeMap<String, Run>, String) {
    let text = std::fs::read_to_string(dir.join("output/distribution-register.csv")).unwrap_or_default();
    let mut lines = text.lines();
    if text.is_empty() {
        return (BTreeMap::new(), text);
    }
    assert_eq!(lines.next(), Some("serial,recipient,date,edition,document,commit,sha256"));
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    let mut runs: BTreeMap<String, Run> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 7, "line {}: {row:?}", i + 2);
        assert_eq!(row[0], format!("restricted-{:06}", i + 1), "serials are consecutive from 1");
        assert_eq!((row[3].as_str(), row[6].len()), ("restricted", 64), "{row:?}");
        let fresh = !runs.contains_key(&row[1]);
        let run = runs.entry(row[1].clone()).or_insert_with(|| Run { first: row[0].clone(), docs: BTreeMap::new() });
        let (line, who) = (i + 2, &row[1]);
        assert!(fresh || rows[i - 1][1] == row[1], "the run of {who} is interleaved: line {line}");
        assert!(run.docs.insert(row[4].clone(), row[6].clone()).is_none(), "{who}: {} twice", row[4]);
    }
    (runs, text)
}

/// The copies on disk are the registered ones: each folder below `copies/` is a run's, holding
/// exactly its documents with the registered digests. Returns the number of copies and of folders.
fn check_copies(dir: &Path, runs: &BTreeMap<String, Run>) -> (usize, usize) {
    let (snap, _) = snapshot(&dir.join("output"));
    let by_first: BTreeMap<String, &Run> =
        runs.values().map(|r| (format!("restricted/copies/{}", r.first), r)).collect();
    let (mut count, mut folders) = (0, 0);
    for (folder, tree) in snap.iter().filter(|(f, _)| f.starts_with("restricted/copies/")) {
        folders += 1;
        let run = by_first.get(folder).unwrap_or_else(|| panic!("{folder}: copies that no register line names"));
        let files: BTreeMap<String, String> =
            tree.iter().filter(|(k, _)| *k != ".policybook").map(|(k, v)| (k.clone(), sha2_hex(v))).collect();
        assert_eq!(files, run.docs, "{folder}: the copies are the registered ones");
        count += files.len();
    }
    (count, folders)
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
                    let o = bin(dir, &recipient_args(&name)).output().unwrap();
                    assert!(o.status.success(), "{name}: {}", stderr(&o));
                }
            });
        }
    });
    let (runs, text) = read_register(&dir);
    let mut names: Vec<String> = (0..4).flat_map(|w| (0..5).map(move |r| recipient(w, r))).collect();
    names.sort();
    assert_eq!(runs.keys().cloned().collect::<Vec<_>>(), names, "one run per recipient");
    let per_run = runs.values().next().unwrap().docs.len();
    assert!(runs.values().all(|r| r.docs.len() == per_run), "every run registers as many copies: {runs:?}");
    let (copies, folders) = check_copies(&dir, &runs);
    assert_eq!(folders, runs.len(), "one folder per run");
    let lines = text.lines().count() - 1;
    assert_eq!(copies, lines, "each registered copy exists once, and no copy is unregistered");
    assert!(snapshot(&dir.join("output")).1.is_empty());
    eprintln!("20 recipient runs at once: {lines} register lines, {copies} copies");
}

fn recipient_args(name: &str) -> [&str; 7] {
    ["build", "--format", "pdf", "--edition", "restricted", "--recipient", name]
}

/// A `--recipient` run killed before each file-system step of writing the register and its
/// copies: the register is the previous one or has all the run's lines, every copy on disk is
/// registered (a registered run may have none), and the next run succeeds and leaves nothing.
#[test]
fn a_recipient_run_killed_before_any_step_leaves_the_register_whole_and_no_unregistered_copy() {
    let base = register_project();
    let dir = base.path().join("p");
    let o = bin(&dir, &recipient_args("最初")).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for n in 1.. {
        let (_, before) = read_register(&dir);
        let name = format!("係{n}");
        let killed = build_killed_at(&dir, &recipient_args(&name), n);
        let (runs, text) = read_register(&dir);
        assert!(text.starts_with(&before), "killed before step {n}: the register lost lines");
        assert!(text == before || runs.contains_key(&name), "killed before step {n}: {text}");
        check_copies(&dir, &runs);
        if !killed {
            let folder = dir.join("output/restricted/copies").join(&runs[&name].first);
            assert!(folder.is_dir(), "the run that was not killed wrote its copies");
            assert!(snapshot(&dir.join("output")).1.is_empty());
            eprintln!("a recipient run: killed before each of {} steps", n - 1);
            assert!(n > 15, "the fail point counts the register's and the copies' steps ({n})");
            return;
        }
        let o = bin(&dir, &recipient_args(&format!("次{n}"))).output().unwrap();
        assert!(o.status.success(), "after the kill before step {n}: {}", stderr(&o));
        let (runs, _) = read_register(&dir);
        check_copies(&dir, &runs);
        let left = snapshot(&dir.join("output")).1;
        assert!(left.is_empty(), "after the kill before step {n}, leftovers remain: {left:?}");
    }
}

/// `confirm` rewrites an English source file: killed before each file-system step, the file is
/// the old text or the new, never cut short, and the next `confirm` leaves no temporary file.
#[test]
fn a_confirm_killed_before_any_step_leaves_the_source_file_whole() {
    let project = default_project();
    let dir = project.path();
    let (ja, en) = (dir.join("policy-source/basic-policy.ja.md"), dir.join("policy-source/basic-policy.en.md"));
    let text = std::fs::read_to_string(&ja).unwrap();
    std::fs::write(&ja, text.replacen("を定めることを目的とする。", "を定めることを目的とする（変更）。", 1)).unwrap();
    let old = std::fs::read(&en).unwrap();
    let confirm = ["confirm", "basic-policy"];
    let o = policybook(dir, &confirm);
    assert!(o.status.success(), "{}", stderr(&o));
    let new = std::fs::read(&en).unwrap();
    assert_ne!(old, new, "confirm rewrote the English file");
    for n in 1.. {
        std::fs::write(&en, &old).unwrap();
        let killed = build_killed_at(dir, &confirm, n);
        let now = std::fs::read(&en).unwrap();
        assert!(now == old || now == new, "killed before step {n}: the English file is cut short");
        let o = policybook(dir, &confirm);
        assert!(o.status.success(), "after the kill before step {n}: {}", stderr(&o));
        assert_eq!(std::fs::read(&en).unwrap(), new);
        let left: Vec<_> = std::fs::read_dir(dir.join("policy-source"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .filter(|f| f.to_string_lossy().starts_with('.'))
            .collect();
        assert!(left.is_empty(), "after the kill before step {n}: {left:?}");
        if !killed {
            assert!(n > 5, "the fail point counts the steps of the write ({n})");
            return;
        }
    }
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
