//! The rename on small in-memory projects.

use super::*;
use crate::model::{load, Translation};
use crate::source::MemSource;

const FRONT: &str = "---\nid: doc\ntype: standard\ntitle: 文書\nclassification: public\nnumbering: article\nversion: \"1\"\neffective: 2026-04-01\n---\n";
const JA: &str = "# 目的 {#purpose}\n\n目的を定める。\n\n第二項。\n\n# 定義 {#terms}\n\n[](#purpose)による。[同条](<#purpose>)及び[](doc#purpose/2)\n\n# 古い {#old-terms}\n\n[](#purpose)の例。\n";
const EN: &str = "---\nid: doc\ntitle: Doc\n---\n# Purpose {#purpose}\n\nPurpose.\n\n# Terms {#terms ja=TERMS}\n\nAs in [](#purpose).\n\n# Old {#old-terms .x ja=00000000}\n\nSee [](#purpose).\n";
const OTHER: &str = "---\nid: other\ntype: standard\ntitle: 他\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\n# 参照 {#see}\n\n[](doc#purpose)及び[目的](doc#purpose)。[](#see)\n";

/// The project, with the `terms` section's translation confirmed against its current text.
fn project() -> MemSource {
    let m = MemSource::new()
        .with("book.toml", crate::model::tests::BOOK)
        .with("policy-source/doc.ja.md", &format!("{FRONT}{JA}"))
        .with("policy-source/doc.en.md", EN)
        .with("policy-source/other.ja.md", OTHER);
    let l = load(&m).unwrap();
    let s = l.project.document("doc").unwrap().section("terms").unwrap();
    let fp = fingerprint_record(&s.fingerprints);
    m.with("policy-source/doc.en.md", &EN.replace("TERMS", &fp))
}

#[test]
fn every_reference_form_is_rewritten_and_nothing_else() {
    let m = project();
    let p = load(&m).unwrap().project;
    let plan = plan(&p, &m, "doc", "purpose", "aim").unwrap();
    let ja = &plan.files["policy-source/doc.ja.md"];
    assert_eq!(
        ja.strip_prefix(FRONT).unwrap(),
        JA.replace("#purpose", "#aim"),
        "heading and every reference, byte for byte"
    );
    let other = &plan.files["policy-source/other.ja.md"];
    assert_eq!(other, &OTHER.replace("doc#purpose", "doc#aim"), "[](#see) stays");
    let en = &plan.files["policy-source/doc.en.md"];
    assert!(en.contains("# Purpose {#aim}") && en.contains("As in [](#aim).") && en.contains("See [](#aim)."), "{en}");
    let what: Vec<_> = plan.changes.iter().map(|c| c.what).collect();
    assert_eq!(what.iter().filter(|w| **w == "reference").count(), 8, "{:?}", plan.changes);
    assert_eq!(what.iter().filter(|w| **w == "heading").count(), 2);
}

#[test]
fn confirmed_translations_stay_current_and_stale_ones_stale() {
    let m = project();
    let before = load(&m).unwrap().project;
    let state = |p: &Project, id: &str| p.document("doc").unwrap().section(id).unwrap().translation;
    assert_eq!(state(&before, "terms"), Translation::Current);
    assert_eq!(state(&before, "old-terms"), Translation::Stale);
    let plan = plan(&before, &m, "doc", "purpose", "aim").unwrap();
    let mut after = m.clone();
    for (f, t) in &plan.files {
        after.insert(f, t);
    }
    let after = load(&after).unwrap().project;
    assert_eq!(state(&after, "terms"), Translation::Current, "its ja= was refreshed");
    assert_eq!(state(&after, "old-terms"), Translation::Stale);
    assert!(plan.files["policy-source/doc.en.md"].contains("{#old-terms .x ja=00000000}"), "left alone");
    let fp: Vec<_> = plan.changes.iter().filter(|c| c.what == "fingerprint").map(|c| c.loc.line).collect();
    assert_eq!(fp, [9], "only the confirmed section");
}

#[test]
fn bad_requests_are_refused() {
    let m = project();
    let p = load(&m).unwrap().project;
    let err = |doc: &str, old: &str, new: &str| plan(&p, &m, doc, old, new).unwrap_err().to_string();
    assert!(err("doc", "nope", "x").contains("no section \"nope\""));
    assert!(err("doc", "purpose", "terms").contains("already has a section \"terms\""));
    assert!(err("doc", "purpose", "purpose").contains("already has"));
    assert!(err("doc", "purpose", "Aim").contains("not a valid id"));
    assert!(err("nodoc", "purpose", "aim").contains("no document"));
}

#[test]
fn ids_are_found_only_whole() {
    let t = "## A {#ab .x}\n## B {#a ja=1}\n";
    assert_eq!(heading_id(t, 2, "a").map(|r| &t[r]), Some("a"));
    assert_eq!(heading_id(t, 1, "a"), None);
    let t = "見よ[](doc#ab/2)と[](#a).";
    let loc = |col| Loc::new("f", 1, col);
    assert_eq!(reference_id(t, &loc(3), "doc", "a"), None, "#ab is not #a");
    assert_eq!(reference_id(t, &loc(16), "doc", "a").map(|r| &t[r]), Some("a"));
}

#[test]
fn records_are_refreshed_part_by_part() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(refreshed("a", &s(&["a", "a"]), &s(&["b", "b"])).as_deref(), Some("b"));
    assert_eq!(refreshed("a.x", &s(&["a", "c"]), &s(&["b", "d"])).as_deref(), Some("b.x"));
    assert_eq!(refreshed("z", &s(&["a"]), &s(&["b"])), None, "stale stays stale");
    assert_eq!(refreshed("a", &s(&["a"]), &s(&["a"])), None);
}
