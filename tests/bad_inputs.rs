//! The bad-input corpus (issue 10, "no panic on any input"): every case under
//! `tests/bad-inputs/cases/` is a small project — `tests/bad-inputs/base/` with the case's files
//! laid over it — and an `expect.toml` naming the diagnostic it must produce and where. The real
//! binary runs on each (`check`, or the command in `args` for what `check` accepts: templates and
//! PDF glyphs at `build`, warnings with `check --strict`) and must print that code at that
//! file:line:column, exit 1 (not 2, not a signal), print no panic, finish in time and write no
//! output. The cases are listed in `tests/bad-inputs/README.md`.

mod common;

use common::{copy_dir, files_below, repo_root};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above what any case takes (a PDF case typesets one small document).
const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The diagnostic code.
    code: String,
    /// `error` (default) or `warning` (a case run with `check --strict`).
    #[serde(default = "error")]
    severity: String,
    /// `file:line:column`, project-relative.
    at: String,
    /// The command line; default `["check"]`.
    #[serde(default)]
    args: Vec<String>,
}

fn error() -> String {
    "error".into()
}

/// The exit status (`None`: killed by a signal) and stderr of the real binary, killed when it
/// runs longer than [`TIMEOUT`].
fn run(dir: &Path, args: &[String]) -> (Option<i32>, String, Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run policybook");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            child.kill().ok();
            child.wait().ok();
            return (None, format!("timed out after {TIMEOUT:?}"), start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (status.code(), reader.join().expect("stderr reader"), start.elapsed())
}

/// What is wrong with one case; `None` when it behaves.
fn problem(case: &Path) -> Option<String> {
    let expect: Expect = toml::from_str(&std::fs::read_to_string(case.join("expect.toml")).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    let project = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/bad-inputs/base"), project.path());
    copy_dir(case, project.path());
    std::fs::remove_file(project.path().join("expect.toml")).unwrap();
    let args = if expect.args.is_empty() { vec!["check".to_string()] } else { expect.args.clone() };
    let (code, stderr, took) = run(project.path(), &args);
    let wanted = format!("{}: {}[{}]", expect.at, expect.severity, expect.code);
    let output = files_below(&project.path().join("output"));
    let mut wrong = Vec::new();
    if code != Some(1) {
        wrong.push(format!("exit {code:?}, not 1"));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        wrong.push("a panic".into());
    }
    if !stderr.contains(&wanted) {
        wrong.push(format!("no `{wanted}`"));
    }
    if !output.is_empty() {
        wrong.push(format!("output written: {output:?}"));
    }
    if took > Duration::from_secs(20) {
        wrong.push(format!("took {took:?}"));
    }
    if args[0] != "check" {
        // A case for `build` is one that `check` accepts: the build is what finds it.
        let (code, stderr, _) = run(project.path(), &["check".to_string()]);
        if code != Some(0) {
            wrong.push(format!("`check` does not accept it (exit {code:?}): {stderr}"));
        }
    }
    (!wrong.is_empty()).then(|| format!("{}: {}\n--- stderr:\n{stderr}", case.display(), wrong.join("; ")))
}

fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(repo_root().join("tests/bad-inputs/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expect.toml").is_file())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_input_is_a_diagnostic_at_its_place_with_exit_1_and_no_output() {
    let cases = cases();
    assert!(cases.len() >= 40, "the corpus holds {} cases, fewer than 40", cases.len());
    // Two at a time, as CI has two cores.
    let problems: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(2))
            .map(|chunk| s.spawn(move || chunk.iter().filter_map(|c| problem(c)).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    assert!(problems.is_empty(), "{} of {} cases misbehave:\n\n{}", problems.len(), cases.len(), problems.join("\n\n"));
}

#[test]
fn the_corpus_readme_lists_every_case() {
    let readme = std::fs::read_to_string(repo_root().join("tests/bad-inputs/README.md")).unwrap();
    for case in cases() {
        let name = case.file_name().unwrap().to_str().unwrap().to_string();
        assert!(readme.contains(&format!("`{name}`")), "tests/bad-inputs/README.md does not list {name}");
    }
}
