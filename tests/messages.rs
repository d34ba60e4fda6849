//! End-to-end tests of the language of messages (issue 15): the same broken project checked under
//! a Japanese locale and the C locale, as text and JSON; a git error; the flag and book.toml.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const JA: &str = "ja_JP.UTF-8";

/// A project made by `policybook init`, broken as an author might: a reference to a missing
/// section (line 29), an unknown class (line 15) and a heading without its id (line 35).
fn broken() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let proj = d.path().join("pj");
    let o = policybook(d.path(), &["init", "pj"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = proj.join("policy-source/basic-policy.ja.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text
        .replace("[](#threats)の脅威", "[](#threat)の脅威")
        .replace("# 目的 {#purpose}", "# 目的 {#purpose .secret}");
    std::fs::write(&file, format!("{text}\n# 組織体制\n\n本市の組織体制を定める。\n")).unwrap();
    (d, proj)
}

/// The places and codes of the diagnostic lines of a text output.
fn places(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("policy-source/"))
        .map(|l| l.split("]: ").next().unwrap().to_string())
        .collect()
}

#[test]
fn check_speaks_japanese_under_a_japanese_locale_and_english_under_c() {
    let (_d, proj) = broken();
    let (ja, en) = (policybook_in(JA, &proj, &["check"]), policybook_in("C", &proj, &["check"]));
    assert_eq!((ja.status.code(), en.status.code()), (Some(1), Some(1)));
    let (ja, en) = (stderr(&ja), stderr(&en));
    for want in [
        "policy-source/basic-policy.ja.md:15:1: エラー[unknown-class]: 見出しのクラス .secret は使えません",
        "policy-source/basic-policy.ja.md:29:1: エラー[ref-unresolved]: 参照先 basic-policy#threat が見つかりません",
        "  ヒント: 文書「basic-policy」に節「threat」がありません。id を確かめてください",
        "policy-source/basic-policy.ja.md:35:1: エラー[heading-id]: 見出し「組織体制」に id がありません",
        "エラー 4 件、警告 1 件",
    ] {
        assert!(ja.contains(want), "no {want:?} in\n{ja}");
    }
    for want in [
        "policy-source/basic-policy.ja.md:29:1: error[ref-unresolved]: reference to basic-policy#threat does not resolve",
        "  hint: no section \"threat\" in document \"basic-policy\"",
        "4 error(s), 1 warning(s)",
    ] {
        assert!(en.contains(want), "no {want:?} in\n{en}");
    }
    assert!(!en.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) && !"目的組織体制".contains(c)), "{en}");
    let ja_places: Vec<String> =
        places(&ja).iter().map(|p| p.replace("エラー", "error").replace("警告", "warning")).collect();
    assert_eq!(ja_places, places(&en), "the same codes at the same places in both languages");
}

fn json(lang: &str, proj: &Path) -> Vec<Value> {
    let o = policybook_in(lang, proj, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    serde_json::from_slice::<Value>(&o.stdout).unwrap().as_array().unwrap().clone()
}

#[test]
fn json_has_one_schema_and_the_message_in_the_chosen_language() {
    let (_d, proj) = broken();
    let (ja, en) = (json(JA, &proj), json("C", &proj));
    assert_eq!(ja.len(), en.len());
    for (j, e) in ja.iter().zip(&en) {
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(j), keys(e));
        for k in ["severity", "code", "file", "line", "column"] {
            assert_eq!(j[k], e[k], "{k}");
        }
        assert_ne!(j["message"], e["message"]);
        assert_ne!(j["hint"], e["hint"]);
    }
    let r = ja.iter().find(|d| d["code"] == "ref-unresolved").unwrap();
    assert_eq!((r["severity"].as_str(), r["line"].as_u64(), r["column"].as_u64()), (Some("error"), Some(29), Some(1)));
    assert_eq!(r["message"], "参照先 basic-policy#threat が見つかりません");
    let r = en.iter().find(|d| d["code"] == "ref-unresolved").unwrap();
    assert_eq!(r["message"], "reference to basic-policy#threat does not resolve");
}

#[test]
fn a_missing_release_tag_is_told_in_the_authors_words() {
    let (d, proj) = broken();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args([
                "-c",
                "user.name=Policy Author",
                "-c",
                "user.email=author@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(d.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "policy"]);
    for args in [&["diff", "policy-2026"][..], &["build", "--rev", "policy-2026"]] {
        let (ja, en) = (policybook_in(JA, &proj, args), policybook_in("C", &proj, args));
        assert_eq!((ja.status.code(), en.status.code()), (Some(2), Some(2)), "{args:?}");
        let (ja, en) = (stderr(&ja), stderr(&en));
        assert!(ja.starts_with("エラー：この版（policy-2026）が見つかりません"), "{ja}");
        assert!(ja.contains("\n  ヒント: 版の名前（タグ名。例：policy-2026）を確かめてください。公開した版の名前は `policybook history` で一覧できます"), "{ja}");
        assert!(en.starts_with("error: unknown revision \"policy-2026\""), "{en}");
        assert!(en.contains("\n  hint: check the name with `git log --oneline` or `git tag`"), "{en}");
    }
    // Sources with errors: the comparison is refused, in the chosen language.
    git(&["tag", "policy-2026"]);
    let o = policybook_in(JA, &proj, &["diff", "policy-2026"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("4 件のエラーがあるため、比較しません"), "{}", stderr(&o));
    let o = policybook_in(JA, &proj, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("作成を中止しました。上のエラーを直してください"), "{}", stderr(&o));
}

#[test]
fn the_flag_wins_over_book_toml_which_wins_over_the_locale() {
    let (_d, proj) = broken();
    let said = |lang: &str, args: &[&str]| stderr(&policybook_in(lang, &proj, args));
    assert!(said(JA, &["--messages", "en", "check"]).contains("error[unknown-class]"));
    assert!(said("C", &["check", "--messages", "ja"]).contains("エラー[unknown-class]"));
    let toml = proj.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("[book]\n", "[book]\nmessages = \"ja\"\n", 1)).unwrap();
    assert!(said("C", &["check"]).contains("エラー[unknown-class]"), "book.toml over the locale");
    assert!(said("C", &["--messages", "en", "check"]).contains("error[unknown-class]"), "the flag over book.toml");
}

#[test]
fn help_topics_explain_the_source_format_in_the_language_of_messages() {
    let d = tempfile::tempdir().unwrap();
    let o = policybook_in(JA, d.path(), &["help"]);
    assert!(o.status.success());
    for topic in ["files", "front-matter", "sections", "numbering", "references", "classification", "reiki"] {
        assert!(stdout(&o).contains(&format!("  {topic}")), "{topic} listed in\n{}", stdout(&o));
        let (ja, en) = (policybook_in(JA, d.path(), &["help", topic]), policybook_in("C", d.path(), &["help", topic]));
        assert!(ja.status.success() && en.status.success(), "{topic}");
        assert_ne!(stdout(&ja), stdout(&en), "{topic}");
    }
    assert!(stdout(&policybook_in(JA, d.path(), &["help", "sections"])).contains("変わらない id を波かっこで付けます"));
    assert!(stdout(&policybook_in("C", d.path(), &["help", "sections"])).contains("each with a stable id in braces"));
    assert!(
        stdout(&policybook(d.path(), &["help", "check"])).contains("Usage: check"),
        "help COMMAND is COMMAND --help"
    );
    let o = policybook_in(JA, d.path(), &["help", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("エラー：説明の項目「nope」はありません"), "{}", stderr(&o));
}
