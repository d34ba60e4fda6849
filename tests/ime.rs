//! Input-method slips, end to end: each typed into a project made by `policybook init`, found by
//! `check` at its place in the Japanese (or English) file; `fix` repairs the safe ones in place and
//! `check` is then clean; the others stay.

mod common;

use common::{copy_dir, policybook, stderr, stdout};
use std::path::Path;

const JA: &str = "policy-source/basic-policy.ja.md";
const EN: &str = "policy-source/basic-policy.en.md";

/// Added to the measures section of `policybook init`'s project (lines 30–41 of the Japanese
/// file): emphasis, a table and a restricted container to type slips into.
const JA_MORE: &str = "\n\n対策は、**次の表**による。\n\n| 区分 | 内容 |\n|---|---|\n| 物理的 | 施錠 |\n\n::: restricted\n\n夜間の連絡先は、別に定める。\n\n:::";
const EN_MORE: &str = "\n\nThe measures are **as in the table**.\n\n| Kind | Content |\n|---|---|\n| Physical | Locks |\n\n::: restricted\n\nThe night contact is set separately.\n\n:::";

/// A clean project: `init`, the additions above in both languages, confirmed.
fn baseline() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("city");
    assert!(policybook(tmp.path(), &["init", "city"]).status.success());
    edit(&dir, JA, "必要な対策を講ずる。", &format!("必要な対策を講ずる。{JA_MORE}"));
    edit(&dir, EN, "the necessary measures are taken.", &format!("the necessary measures are taken.{EN_MORE}"));
    assert!(policybook(&dir, &["confirm", "basic-policy"]).status.success());
    let o = policybook(&dir, &["check", "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    tmp
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A diagnostic's code, file, line and column.
type Place = (String, String, u64, u64);

/// `check --format json`: exit code and the place of each diagnostic.
fn check(dir: &Path) -> (Option<i32>, Vec<Place>) {
    let o = policybook(dir, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("code"), s("file"), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
        })
        .collect();
    (o.status.code(), diags)
}

struct Slip {
    code: &'static str,
    file: &'static str,
    correct: &'static str,
    typed: &'static str,
    line: u64,
    column: u64,
}

const fn slip(code: &'static str, correct: &'static str, typed: &'static str, line: u64, column: u64) -> Slip {
    Slip { code, file: JA, correct, typed, line, column }
}

/// Slips with a safe fix: `fix` restores what was meant.
const SAFE: &[Slip] = &[
    slip("ime-heading", "# 目的 {#purpose}", "＃ 目的 {#purpose}", 15, 1),
    slip("ime-heading", "# 対象とする脅威", "#　対象とする脅威", 20, 2),
    slip("ime-heading-id", "{#purpose}", "｛＃purpose｝", 15, 6),
    slip("ime-heading-space", "# 目的 {#purpose}", "# 目的　{#purpose}", 15, 5),
    slip("ime-link", "[](#threats)の", "［］（＃threats）の", 29, 1),
    slip("ime-ref-hash", "[](#threats)", "[](＃threats)", 29, 4),
    slip("ime-emphasis", "**次の表**", "＊＊次の表＊＊", 31, 5),
    slip("ime-table", "| 区分 | 内容 |", "｜ 区分 ｜ 内容 ｜", 33, 1),
    slip("ime-table", "|---|---|", "|－－－|ーーー|", 34, 2),
    slip("ime-container", "::: restricted", "：：： restricted", 37, 1),
    slip("ime-container", "\n:::\n\n## 緊急", "\n：：：\n\n## 緊急", 41, 1),
    slip("ime-list-marker", "1. 不正アクセス", "１．不正アクセス", 24, 1),
    slip("ime-list-marker", "1. 操作ミス", "1.　操作ミス", 25, 1),
    slip("ime-indent", "本基本方針は", "　本基本方針は", 17, 1),
    slip("ime-blank-line", "\n\n対策は", "\n　\n対策は", 30, 1),
    Slip {
        code: "ime-heading",
        file: EN,
        correct: "# Purpose {#purpose",
        typed: "＃ Purpose {#purpose",
        line: 6,
        column: 1,
    },
];

/// Slips only the author can fix: `fix` leaves them, `check` keeps reporting them.
const UNSAFE: &[Slip] = &[
    slip("ime-typed-number", "1. 操作ミス", "（２）　操作ミス", 25, 1),
    slip("ime-typed-number", "1. 操作ミス", "ア　操作ミス", 25, 1),
    slip("ime-indent-joined", "本市が実施する情報", "　本市が実施する情報", 18, 1),
];

#[test]
fn each_safe_slip_is_found_where_typed_alone_and_fix_restores_the_source() {
    let base = baseline();
    let clean = std::fs::read(base.path().join("city").join(JA)).unwrap();
    for (i, s) in SAFE.iter().enumerate() {
        let dir = base.path().join(format!("case{i}"));
        copy_dir(&base.path().join("city"), &dir);
        let before = std::fs::read(dir.join(s.file)).unwrap();
        edit(&dir, s.file, s.correct, s.typed);
        let (code, diags) = check(&dir);
        let want = (s.code.to_string(), s.file.to_string(), s.line, s.column);
        if code == Some(1) {
            // An error slip is the only diagnostic: no consequence (parity-extra, heading-id,
            // ref-syntax, translation-stale) is reported besides it.
            assert_eq!(diags, vec![want], "{}: {:?}", s.code, s.typed);
        } else {
            // A warning leaves the text as typed (a translation may be reported stale).
            assert!(diags.contains(&want), "{}: {diags:?}", s.code);
        }
        let o = policybook(&dir, &["fix"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains(&format!("{}:{}\n  - ", s.file, s.line)), "{}", stdout(&o));
        assert_eq!(std::fs::read(dir.join(s.file)).unwrap(), before, "{}: fix restores the source", s.code);
        let o = policybook(&dir, &["check", "--strict"]);
        assert!(o.status.success(), "{}: {}", s.code, stderr(&o));
        let o = policybook(&dir, &["fix"]);
        assert_eq!((stdout(&o).as_str(), stderr(&o).trim()), ("", "nothing to fix"), "idempotent");
    }
    assert_eq!(std::fs::read(base.path().join("city").join(JA)).unwrap(), clean);
}

#[test]
fn slips_only_the_author_can_fix_are_left_as_diagnostics() {
    let base = baseline();
    for (i, s) in UNSAFE.iter().enumerate() {
        let dir = base.path().join(format!("case{i}"));
        copy_dir(&base.path().join("city"), &dir);
        edit(&dir, s.file, s.correct, s.typed);
        let typed = std::fs::read(dir.join(s.file)).unwrap();
        let want = (s.code.to_string(), s.file.to_string(), s.line, s.column);
        let (_, diags) = check(&dir);
        assert!(diags.contains(&want), "{}: {diags:?}", s.code);
        let o = policybook(&dir, &["fix"]);
        assert!(o.status.success());
        assert_eq!(stdout(&o), "", "{}", s.code);
        assert!(
            stderr(&o).contains(&format!("{}:{}:{}: warning[{}]", s.file, s.line, s.column, s.code)),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(dir.join(s.file)).unwrap(), typed, "{}: left as typed", s.code);
        assert!(check(&dir).1.contains(&want));
    }
}

#[test]
fn fix_repairs_many_slips_at_once_and_dry_run_writes_nothing() {
    let base = baseline();
    let dir = base.path().join("city");
    let clean = std::fs::read(dir.join(JA)).unwrap();
    for s in SAFE.iter().filter(|s| s.file == JA && s.code != "ime-heading-space" && s.code != "ime-ref-hash") {
        edit(&dir, s.file, s.correct, s.typed);
    }
    edit(&dir, JA, "本市が実施する情報", "　本市が実施する情報");
    let typed = std::fs::read(dir.join(JA)).unwrap();
    let (code, diags) = check(&dir);
    assert_eq!(code, Some(1));
    assert_eq!(diags.iter().filter(|d| d.0.starts_with("ime-")).count(), 14, "{diags:?}");
    let o = policybook(&dir, &["fix", "--dry-run"]);
    assert!(stderr(&o).contains("would fix 12 line(s) in 1 file(s); 1 slip(s) above need you"), "{}", stderr(&o));
    assert_eq!(std::fs::read(dir.join(JA)).unwrap(), typed, "--dry-run writes nothing");
    let o = policybook(&dir, &["fix"]);
    assert!(stderr(&o).contains("fixed 12 line(s) in 1 file(s); 1 slip(s) above need you"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("{JA}:15\n  - ＃ 目的 ｛＃purpose｝\n  + # 目的 {{#purpose}}\n")),
        "{}",
        stdout(&o)
    );
    edit(&dir, JA, "　本市が実施する情報", "本市が実施する情報");
    assert_eq!(std::fs::read(dir.join(JA)).unwrap(), clean);
}

#[test]
fn fix_reaches_the_chapter_files_of_a_folder_document() {
    let dir = common::default_project();
    let ja = "policy-source/standards/07-technical.ja.md";
    let text = std::fs::read_to_string(dir.path().join(ja)).unwrap();
    let line = text.lines().count() as u64 + 2;
    std::fs::write(dir.path().join(ja), format!("{text}\n＃ 新しい節 {{#zq-new}}\n")).unwrap();
    let en = dir.path().join("policy-source/standards/07-technical.en.md");
    let en_text = std::fs::read_to_string(&en).unwrap();
    std::fs::write(&en, format!("{en_text}\n# New {{#zq-new}}\n")).unwrap();
    let (code, diags) = check(dir.path());
    assert_eq!(code, Some(1));
    // The seed's own wording (prose-*) and the stale translation are warnings of their own.
    let errors: Vec<_> =
        diags.iter().filter(|d| !d.0.starts_with("translation-") && !d.0.starts_with("prose-")).collect();
    assert_eq!(errors, vec![&("ime-heading".to_string(), ja.to_string(), line, 1)]);
    let o = policybook(dir.path(), &["fix"]);
    assert!(stdout(&o).starts_with(&format!("{ja}:{line}\n")), "{}", stdout(&o));
    assert!(std::fs::read_to_string(dir.path().join(ja)).unwrap().ends_with("\n# 新しい節 {#zq-new}\n"));
    assert_eq!(check(dir.path()).0, Some(0));
}
