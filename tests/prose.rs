//! End-to-end tests of the prose check and `rename-id` on copies of the default project.
//!
//! The English of the default project is being revised in parallel: these tests hold today's
//! English (nothing reported on it).

mod common;
use common::*;
use std::path::Path;

/// `check --format json` as (code, file, line), and the exit code.
fn report(dir: &Path) -> (Option<i32>, Vec<(String, String, u64)>) {
    let o = policybook(dir, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let diags = v.as_array().unwrap().iter();
    let got = diags
        .map(|d| (d["code"].as_str().unwrap().into(), d["file"].as_str().unwrap().into(), d["line"].as_u64().unwrap()));
    (o.status.code(), got.collect())
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join("policy-source").join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

const BASIC: &str = "policy-source/basic-policy.ja.md";

#[test]
fn the_default_project_reports_the_seeds_own_slips_and_nothing_else() {
    let o = policybook(&repo_root(), &["check"]);
    let text = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "warnings only: {text}");
    assert!(
        text.contains("basic-policy.ja.md:17:9: warning[prose-doubled]: 「情報」 is written twice: 「情報情報」"),
        "{text}"
    );
    assert!(
        text.contains("basic-policy.ja.md:103:117: warning[prose-doubled]: 「的」 is written twice: 「的的」"),
        "{text}"
    );
    assert!(
        text.contains("basic-policy.ja.md:102:11: warning[prose-variant]: 「ウィルス」: this project also writes 「ウイルス」 (policy-source/basic-policy.ja.md:96:39)"),
        "{text}"
    );
    let (_, got) = report(&repo_root());
    let want = [("prose-doubled", 17), ("prose-variant", 102), ("prose-doubled", 103)];
    assert_eq!(got, want.map(|(c, l)| (c.to_string(), BASIC.to_string(), l)), "nothing else, nothing on the English");
}

#[test]
fn markers_and_book_toml_silence_the_check_and_print_nothing() {
    let d = default_project();
    edit(
        d.path(),
        "basic-policy.ja.md",
        "一方で、個人情報情報",
        "<!-- policybook: allow prose-doubled -->\n一方で、個人情報情報",
    );
    let book = d.path().join("book.toml");
    let manifest = std::fs::read_to_string(&book).unwrap();
    std::fs::write(&book, format!("{manifest}\n[check]\nallow = [\"prose-variant\"]\n")).unwrap();
    let (code, got) = report(d.path());
    assert_eq!(code, Some(0));
    assert_eq!(got, [("prose-doubled".to_string(), BASIC.to_string(), 104)], "the 的的 one line lower stays");
    let out = d.path().join("out");
    let o = policybook(d.path(), &["build", "--edition", "public", "--format", "html", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in files_below(&out) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("policybook: allow"), "{} prints the marker", f.display());
    }
}

/// Every file of the public HTML edition, by path below the output folder.
fn site(dir: &Path, out: &str) -> Vec<(String, Vec<u8>)> {
    let out = dir.join(out);
    let o = policybook(dir, &["build", "--edition", "public", "--format", "html", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    files_below(&out)
        .into_iter()
        .map(|f| (f.strip_prefix(&out).unwrap().display().to_string(), std::fs::read(&f).unwrap()))
        .collect()
}

#[test]
fn rename_id_rewrites_every_reference_and_the_outputs_differ_only_by_the_id() {
    let d = default_project();
    let before = site(d.path(), "before");
    let (_, diags_before) = report(d.path());
    let o = policybook(d.path(), &["rename-id", "basic-policy", "measures", "zq-measures"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = stdout(&o);
    for line in [
        "policy-source/basic-policy.ja.md:125:1: heading #measures → #zq-measures",
        "policy-source/basic-policy.ja.md:181:3: reference #measures → #zq-measures",
        "policy-source/procedures.ja.md:19:98: reference #measures → #zq-measures",
        "policy-source/procedures.en.md:13:184: reference #measures → #zq-measures",
    ] {
        assert!(printed.contains(line), "{line} in\n{printed}");
    }
    assert_eq!(printed.matches(": fingerprint ").count(), 2, "the two confirmed sections citing it: {printed}");
    assert_eq!(report(d.path()).1, diags_before, "no new problem, no stale translation");
    let after = site(d.path(), "after");
    assert_eq!(after.len(), before.len());
    for ((name, a), (name_b, b)) in after.iter().zip(&before) {
        assert_eq!(name, name_b);
        let a = String::from_utf8_lossy(a).replace("zq-measures", "measures");
        assert_eq!(a, String::from_utf8_lossy(b), "{name} differs by more than the id");
    }
    assert!(after.iter().any(|(_, a)| String::from_utf8_lossy(a).contains("zq-measures")), "the new id is in the site");
}

#[test]
fn rename_id_refuses_and_changes_nothing() {
    let d = default_project();
    let snapshot = || files_below(d.path()).into_iter().map(|f| std::fs::read(f).unwrap()).collect::<Vec<_>>();
    let files = snapshot();
    for (args, says) in [
        (["basic-policy", "nope", "x"], "no section \"nope\""),
        (["basic-policy", "measures", "purpose"], "already has a section \"purpose\""),
        (["basic-policy", "measures", "Measures"], "not a valid id"),
        (["nodoc", "measures", "x"], "no document \"nodoc\""),
    ] {
        let o = policybook(d.path(), &[&["rename-id"][..], &args[..]].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert!(snapshot() == files, "nothing was written");
}
