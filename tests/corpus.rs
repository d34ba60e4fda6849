//! The benchmark corpus generator (`examples/corpus`): a small corpus is a valid project that
//! `policybook check` accepts with no error and only the intended stale warning, with its git
//! history of revisions, and the same seed gives the same files.

mod common;

#[path = "../examples/corpus/gen.rs"]
#[allow(dead_code)]
mod gen;

use common::{policybook, stderr, stdout};
use std::process::Command;

fn small(dir: &std::path::Path, seed: u64) {
    let opts = gen::Options { pages: 10, revisions: 3, seed };
    gen::generate(dir, &opts).expect("the corpus is generated");
}

fn git_out(dir: &std::path::Path, args: &[&str]) -> String {
    let o = Command::new("git").args(args).current_dir(dir).output().expect("run git");
    assert!(o.status.success(), "git {args:?}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_small_corpus_checks_clean_with_its_revisions_in_git() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    small(&dir, 7);
    let o = policybook(&dir, &["check"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(o.status.success(), "check: {out}{err}");
    assert!(err.contains("0 error(s), 1 warning(s)"), "{err}");
    assert!(
        err.contains(&format!("warning[translation-stale]: the Japanese text of section \"{}\"", gen::STALE_SECTION)),
        "{err}"
    );
    assert_eq!(git_out(&dir, &["log", "--format=%s"]).lines().count(), 3);
    assert_eq!(
        git_out(&dir, &["tag", "--list", "rev-*"]).lines().collect::<Vec<_>>(),
        ["rev-001", "rev-002", "rev-003"]
    );
    assert_eq!(git_out(&dir, &["status", "--porcelain"]), "", "every file is committed");
    // The edits are spread over the revisions: each one changed something.
    for r in ["rev-001..rev-002", "rev-002..rev-003"] {
        assert!(!git_out(&dir, &["diff", "--stat", r]).is_empty(), "{r} changed nothing");
    }
    let text = std::fs::read_to_string(dir.join("policy-source/standards/index.ja.md")).unwrap();
    assert!(text.contains("架空の「サンプル県」"), "the corpus says it is a sample");
    assert!(!text.contains("日置"));
}

#[test]
fn the_same_seed_gives_the_same_corpus_and_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    small(&a, 3);
    small(&b, 3);
    small(&c, 4);
    let head = |d: &std::path::Path| git_out(d, &["rev-parse", "HEAD"]);
    assert_eq!(head(&a), head(&b));
    assert_ne!(head(&a), head(&c));
}
