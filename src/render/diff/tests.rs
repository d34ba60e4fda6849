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
const GOLDEN_JSON: &str = r#"{
  "schema": "policybook-diff/2",
  "edition": "public",
  "edition_title": null,
  "lang": "ja",
  "old": "old",
  "new": "new",
  "old_commit": null,
  "new_commit": null,
  "instrument": null,
  "date": "2026-04-01",
  "documents": [
    {
      "id": "doc",
      "status": "changed",
      "numbering": "admin",
      "title": "基準",
      "old_title": "基準",
      "new_title": "基準",
      "old_effective": "2026-04-01",
      "new_effective": "2026-04-01",
      "sections": [
        {
          "id": "x",
          "old_id": null,
          "kind": "added",
          "renumbered": false,
          "moved": false,
          "text_changed": true,
          "old": null,
          "new": {
            "number": "1",
            "path": "1",
            "depth": 1,
            "parent": null,
            "position": 0,
            "title": "目的",
            "title_changes": [
              [
                0,
                2
              ]
            ],
            "body": "新しい本文。",
            "body_changes": [
              [
                0,
                6
              ]
            ],
            "units": [
              {
                "label": null,
                "text": "新しい本文。",
                "depth": 0,
                "kind": "added",
                "label_changed": false,
                "changes": [
                  [
                    0,
                    6
                  ]
                ],
                "pair": null
              }
            ]
          }
        },
        {
          "id": "a",
          "old_id": null,
          "kind": "renumbered",
          "renumbered": true,
          "moved": false,
          "text_changed": false,
          "old": {
            "number": "1",
            "path": "1",
            "depth": 1,
            "parent": null,
            "position": 0,
            "title": "総則",
            "title_changes": [],
            "body": "総則の本文。",
            "body_changes": [],
            "units": [
              {
                "label": null,
                "text": "総則の本文。",
                "depth": 0,
                "kind": "unchanged",
                "label_changed": false,
                "changes": [],
                "pair": 0
              }
            ]
          },
          "new": {
            "number": "2",
            "path": "2",
            "depth": 1,
            "parent": null,
            "position": 1,
            "title": "総則",
            "title_changes": [],
            "body": "総則の本文。",
            "body_changes": [],
            "units": [
              {
                "label": null,
                "text": "総則の本文。",
                "depth": 0,
                "kind": "unchanged",
                "label_changed": false,
                "changes": [],
                "pair": 0
              }
            ]
          }
        },
        {
          "id": "c",
          "old_id": null,
          "kind": "changed",
          "renumbered": true,
          "moved": false,
          "text_changed": true,
          "old": {
            "number": "2",
            "path": "2",
            "depth": 1,
            "parent": null,
            "position": 1,
            "title": "監査",
            "title_changes": [],
            "body": "年1回監査する。",
            "body_changes": [
              [
                1,
                2
              ]
            ],
            "units": [
              {
                "label": null,
                "text": "年1回監査する。",
                "depth": 0,
                "kind": "changed",
                "label_changed": false,
                "changes": [
                  [
                    1,
                    2
                  ]
                ],
                "pair": 0
              }
            ]
          },
          "new": {
            "number": "3",
            "path": "3",
            "depth": 1,
            "parent": null,
            "position": 2,
            "title": "監査",
            "title_changes": [],
            "body": "年2回監査する。",
            "body_changes": [
              [
                1,
                2
              ]
            ],
            "units": [
              {
                "label": null,
                "text": "年2回監査する。",
                "depth": 0,
                "kind": "changed",
                "label_changed": false,
                "changes": [
                  [
                    1,
                    2
                  ]
                ],
                "pair": 0
              }
            ]
          }
        }
      ],
      "rows": [
        {
          "type": "section",
          "index": 0,
          "id": "x"
        },
        {
          "type": "elided",
          "renumbered": true,
          "ids": [
            "a"
          ],
          "old_range": "1",
          "new_range": "2"
        },
        {
          "type": "section",
          "index": 2,
          "id": "c"
        }
      ]
    }
  ]
}
"#;

#[test]
fn json_format_is_pinned() {
    let old = "# 総則 {#a}\n\n総則の本文。\n\n# 監査 {#c}\n\n年1回監査する。\n";
    let new = "# 目的 {#x}\n\n新しい本文。\n\n# 総則 {#a}\n\n総則の本文。\n\n# 監査 {#c}\n\n年2回監査する。\n";
    let d = compare(&edition(old, "public"), &edition(new, "public"), &opts()).unwrap();
    assert_eq!(json::render(&d), GOLDEN_JSON);
}
