//! Comparison tests on small in-memory projects (the end-to-end tests with git are in
//! tests/diff.rs).

use super::*;
use crate::model::load;
use crate::source::MemSource;

use crate::model::tests::BOOK;

const OLD: &str = "# 総則 {#a}\n\n総則の本文。\n\n# 管理 {#b}\n\n管理の本文。\n\n::: restricted\n\n秘密の手順。\n\n:::\n\n\
                   # 秘密の節 {#hidden .restricted}\n\n秘密の本文。\n\n# 監査 {#c}\n\n年1回監査する。\n\n1. 計画\n1. 実施\n";

const NEW: &str = "# 目的 {#x}\n\n新しい本文。\n\n# 総則 {#a}\n\n総則の本文。\n\n# 管理 {#b}\n\n管理の本文。\n\n::: restricted\n\n秘密の新手順。\n\n:::\n\n\
                   # 秘密の節 {#hidden .restricted}\n\n秘密の新本文。\n\n# 監査 {#c}\n\n年2回監査する。\n\n1. 計画\n1. 準備\n1. 実施\n";

fn edition(body: &str, name: &str) -> Edition {
    let front = "---\nid: doc\ntype: standard\ntitle: 基準\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\n";
    let m = MemSource::new().with("book.toml", BOOK).with("policy-source/doc.ja.md", &format!("{front}{body}"));
    let l = load(&m).unwrap();
    Edition::filter(&l.project, name).unwrap()
}

fn opts() -> Options {
    Options::new(Lang::Ja, None, "old".into(), "new".into())
}

fn sec<'a>(d: &'a Diff, id: &str) -> &'a SectionDiff {
    d.documents[0].sections.iter().find(|s| s.id == id).unwrap()
}

#[test]
fn matched_by_id_with_exact_ranges() {
    let d = compare(&edition(OLD, "public"), &edition(NEW, "public"), &opts()).unwrap();
    assert_eq!(sec(&d, "x").kind, Kind::Added);
    assert_eq!(sec(&d, "a").kind, Kind::Renumbered);
    assert_eq!(sec(&d, "b").kind, Kind::Renumbered, "restricted container edits are invisible");
    let c = sec(&d, "c");
    assert_eq!(c.kind, Kind::Changed);
    assert!(c.renumbered);
    let (o, n) = (c.old.as_ref().unwrap(), c.new.as_ref().unwrap());
    // One line per unit, items one character in.
    assert_eq!(o.body, "年1回監査する。\n　(1)　計画\n　(2)　実施");
    assert_eq!(n.body, "年2回監査する。\n　(1)　計画\n　(2)　準備\n　(3)　実施");
    // Units: the changed character; the inserted item whole; the next item's number on both sides.
    assert_eq!(o.body_changes, vec![[1, 2], [18, 21]]);
    assert_eq!(n.body_changes, vec![[1, 2], [18, 24], [26, 29]]);
    let kinds: Vec<_> = n.units.iter().map(|u| (u.label.as_deref(), u.kind.name())).collect();
    assert_eq!(
        kinds,
        [(None, "changed"), (Some("(1)"), "unchanged"), (Some("(2)"), "added"), (Some("(3)"), "renumbered")]
    );
    let json = json::render(&d);
    for leak in ["秘密", "hidden"] {
        assert!(!json.contains(leak), "{leak} in {json}");
    }
    match &d.documents[0].rows[1] {
        Row::Elided { renumbered: true, old_range, new_range, ids } => {
            assert_eq!((old_range.as_str(), new_range.as_str()), ("1～2", "2～3"));
            assert_eq!(ids, &["a".to_string(), "b".to_string()]);
        }
        r => panic!("{r:?}"),
    }
}

#[test]
fn restricted_edition_shows_restricted_changes() {
    let d = compare(&edition(OLD, "restricted"), &edition(NEW, "restricted"), &opts()).unwrap();
    assert_eq!(sec(&d, "hidden").kind, Kind::Changed);
    assert_eq!(sec(&d, "b").kind, Kind::Changed);
    assert!(sec(&d, "b").new.as_ref().unwrap().body.contains("秘密の新手順"));
}

#[test]
fn only_restricted_changes_leave_no_document() {
    let new = OLD.replace("秘密の本文", "秘密の改正本文").replace("秘密の手順", "秘密の改正手順");
    let d = compare(&edition(OLD, "public"), &edition(&new, "public"), &opts()).unwrap();
    assert!(d.documents.is_empty(), "{d:?}");
    let d = compare(&edition(OLD, "restricted"), &edition(&new, "restricted"), &opts()).unwrap();
    assert_eq!(d.documents.len(), 1);
    assert!(compare(&edition(OLD, "public"), &edition(OLD, "restricted"), &opts()).is_err());
}

#[test]
fn moved_among_siblings_and_text_output() {
    let new = "# 監査 {#c}\n\n年1回監査する。\n\n1. 計画\n1. 実施\n\n# 総則 {#a}\n\n総則の本文。\n\n# 管理 {#b}\n\n管理の本文。\n";
    let d = compare(&edition(OLD, "public"), &edition(new, "public"), &opts()).unwrap();
    assert_eq!(sec(&d, "c").kind, Kind::Moved);
    assert_eq!(sec(&d, "a").kind, Kind::Renumbered);
    let plain = text::render(&d, false);
    assert!(plain.contains("@@ 1 監査 {#c} (moved from 3)"), "{plain}");
    assert!(!plain.contains('\x1b'));
    let colored = text::render(&d, true);
    assert!(colored.contains("\x1b[36m@@ 1 監査"), "{colored}");
    let page = html::render(&d);
    assert!(page.contains("（3から移動）"), "{page}");
}

/// The whole `policybook-diff/2` JSON of a small comparison: a change here is a change of the
/// published format (bump the schema version and update README.md).
const GOLDEN_JSON: &str = include_str!("golden.json");

#[test]
fn json_format_is_pinned() {
    let old = "# 総則 {#a}\n\n総則の本文。\n\n# 監査 {#c}\n\n年1回監査する。\n";
    let new = "# 目的 {#x}\n\n新しい本文。\n\n# 総則 {#a}\n\n総則の本文。\n\n# 監査 {#c}\n\n年2回監査する。\n";
    let d = compare(&edition(old, "public"), &edition(new, "public"), &opts()).unwrap();
    assert_eq!(json::render(&d), GOLDEN_JSON);
}
