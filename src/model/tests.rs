//! Model tests on small in-memory projects.

use super::*;
use crate::config::Lang;
use crate::edition::Edition;
use crate::model::check;
use crate::source::MemSource;

/// The manifest of `policybook init`: three levels (public, internal, restricted), one edition each.
pub(crate) use crate::book::init::BOOK;

fn front(id: &str, style: &str) -> String {
    format!(
        "---\nid: {id}\ntype: standard\ntitle: 文書\nclassification: public\nnumbering: {style}\nversion: \"1\"\neffective: 2026-04-01\n---\n"
    )
}

fn en_front(id: &str) -> String {
    format!("---\nid: {id}\ntitle: Document\n---\n")
}

fn project(ja: &str, en: Option<&str>) -> MemSource {
    let mut m = MemSource::new()
        .with("book.toml", BOOK)
        .with("policy-source/doc.ja.md", &format!("{}{ja}", front("doc", "admin")));
    if let Some(en) = en {
        m.insert("policy-source/doc.en.md", &format!("{}{en}", en_front("doc")));
    }
    m
}

fn codes(m: &MemSource) -> Vec<(&'static str, String, u32)> {
    let l = load(m).unwrap();
    check::run(&l).into_iter().filter(|d| d.code != "untranslated").map(|d| (d.code, d.loc.file, d.loc.line)).collect()
}

#[test]
fn wrapped_japanese_lines_join_without_space_and_latin_with_one() {
    let m = project("# 節 {#s}\n\n全ての職員等は、共通の認識を持\nち、遵守する。\nThis is\nEnglish text.\n", None);
    let l = load(&m).unwrap();
    let Block::Paragraph { content, .. } = &l.project.documents[0].sections[0].ja.blocks[0] else { panic!() };
    assert_eq!(plain_text(content), "全ての職員等は、共通の認識を持ち、遵守する。This is English text.");
}

#[test]
fn list_items_number_below_the_nearest_numbered_section() {
    let m = project("# 序文 {#pre .unnumbered}\n\n1. 一\n1. 二\n\n# 脅威 {#threats}\n\n1. 甲\n1. 乙\n   1. 丙\n", None);
    let l = load(&m).unwrap();
    let d = &l.project.documents[0];
    let nums = |s: &Section| -> Vec<String> {
        let Block::List { items, .. } = &s.ja.blocks[0] else { panic!() };
        items.iter().map(|i| i.number.as_ref().unwrap().ja.clone()).collect()
    };
    assert_eq!(nums(&d.sections[0]), ["1", "2"]);
    assert_eq!(nums(&d.sections[1]), ["(1)", "(2)"]);
    assert_eq!(d.sections[1].number.as_ref().unwrap().ja, "1", "the unnumbered preamble takes no number");
    let Block::List { items, .. } = &d.sections[1].ja.blocks[0] else { panic!() };
    let Block::List { items: inner, .. } = &items[1].blocks[1] else { panic!("{:?}", items[1].blocks) };
    let n = inner[0].number.as_ref().unwrap();
    assert_eq!((n.ja.as_str(), n.ja_path.as_str(), n.en_path.as_str()), ("ア", "1(2)ア", "1(2)(a)"));
}

#[test]
fn article_style_numbers_paragraphs_and_items() {
    let src = format!(
        "{}# （目的） {{#purpose}}\n\n第一項。\n\n第二項。\n\n1. 号\n\n# （定義） {{#defs}}\n\n本文。\n",
        front("doc", "article")
    );
    let m = MemSource::new().with("book.toml", BOOK).with("policy-source/doc.ja.md", &src);
    let l = load(&m).unwrap();
    let d = &l.project.documents[0];
    assert_eq!(d.sections[1].number.as_ref().unwrap().ja, "第2条");
    assert_eq!(d.sections[1].number.as_ref().unwrap().en, "Article 2");
    let b = &d.sections[0].ja.blocks;
    assert!(matches!(&b[0], Block::Paragraph { number: None, .. }));
    let Block::Paragraph { number: Some(p2), .. } = &b[1] else { panic!() };
    assert_eq!((p2.ja.as_str(), p2.ja_path.as_str()), ("2", "第1条第2項"));
    let Block::List { items, .. } = &b[2] else { panic!() };
    assert_eq!(items[0].number.as_ref().unwrap().ja_path, "第1条第2項第1号");
    assert_eq!(items[0].number.as_ref().unwrap().en_path, "Article 1(2)(i)");
}

#[test]
fn references_resolve_to_number_paths() {
    let m = project("# 甲 {#a}\n\n## 乙 {#b}\n\n1. 丙\n\n# 丁 {#c}\n\n上記[](#b)及び[ここ](#a)による。\n", None);
    let l = load(&m).unwrap();
    let d = &l.project.documents[0];
    let Block::Paragraph { content, .. } = &d.sections[1].ja.blocks[0] else { panic!() };
    let Inline::Ref(r) = &content[1] else { panic!("{content:?}") };
    let t = crate::model::xref::resolve(&l.project.documents, r).unwrap();
    assert_eq!(crate::model::xref::label("doc", &t, Lang::Ja), "1(1)");
    assert_eq!(crate::model::xref::label("other", &t, Lang::En), "文書, 1(1)");
    let Inline::Ref(r2) = &content[3] else { panic!() };
    assert_eq!(plain_text(&r2.content), "ここ", "non-empty text is kept");
}

#[test]
fn unresolved_and_hidden_references_are_errors() {
    let m = project("# 甲 {#a}\n\n[](#nope)と[](#secret)。\n\n# 秘 {#secret .restricted}\n\n秘密。\n", None);
    let c = codes(&m);
    assert!(c.contains(&("ref-unresolved", "policy-source/doc.ja.md".into(), 12)), "{c:?}");
    assert!(c.contains(&("ref-hidden", "policy-source/doc.ja.md".into(), 12)), "{c:?}");
}

#[test]
fn a_reference_inside_a_restricted_container_may_point_to_restricted_content() {
    let m = project(
        "# 甲 {#a}\n\n::: restricted\n\n[](#secret)を参照。\n\n:::\n\n# 秘 {#secret .restricted}\n\n秘密。\n",
        None,
    );
    assert!(!codes(&m).iter().any(|c| c.0 == "ref-hidden"));
}

#[test]
fn containers_unclosed_stray_and_glued_are_errors() {
    let c = codes(&project("# 甲 {#a}\n\n::: restricted\n\n秘密。\n\n# 乙 {#b}\n\n本文。\n", None));
    assert!(c.contains(&("container-unclosed", "policy-source/doc.ja.md".into(), 12)), "{c:?}");
    let c = codes(&project("# 甲 {#a}\n\n本文。\n\n:::\n", None));
    assert!(c.iter().any(|x| x.0 == "container-unclosed" && x.2 == 14), "{c:?}");
    let c = codes(&project("# 甲 {#a}\n\n::: restricted\n秘密。\n\n:::\n", None));
    assert!(c.iter().any(|x| x.0 == "container-syntax"), "{c:?}");
    let c = codes(&project("# 甲 {#a}\n\n::: secret\n\n秘密。\n\n:::\n", None));
    assert!(c.iter().any(|x| x.0 == "unknown-level"), "{c:?}");
}

#[test]
fn an_unclosed_container_stays_classified() {
    let m = project("# 甲 {#a}\n\n公開。\n\n::: restricted\n\n秘密。\n", None);
    let l = load(&m).unwrap();
    let e = Edition::filter(&l.project, "public").unwrap();
    assert_eq!(blocks_text(&e.documents()[0].sections[0].ja.blocks), "公開。\n");
}

#[test]
fn a_section_cannot_be_less_classified_than_its_parent() {
    let c = codes(&project("# 甲 {#a .internal}\n\n## 乙 {#b .public}\n\n本文。\n", None));
    assert!(c.contains(&("classification-lower", "policy-source/doc.ja.md".into(), 12)), "{c:?}");
    let l = load(&project("# 甲 {#a .internal}\n\n## 乙 {#b .public}\n\n本文。\n", None)).unwrap();
    assert_eq!(
        l.project.documents[0].sections[0].children[0].level,
        crate::config::Level(1),
        "the parent's level wins"
    );
}

#[test]
fn a_missing_translation_is_placed_before_the_next_english_heading_not_yet_used() {
    // A document's top-level sections are built on the cores, each with its share of the
    // English headings; the place of a missing one still follows the whole document's order:
    // across top-level sections, and past an id whose English an earlier section took.
    let missing = |ja: &str, en: &str| -> Vec<u32> {
        codes(&project(ja, Some(en))).into_iter().filter(|c| c.0 == "parity-missing").map(|c| c.2).collect()
    };
    let ja =
        "# 甲 {#a}\n\n## 甲一 {#a1}\n\n# 乙 {#b}\n\n## 乙一 {#b1}\n\n# 丙 {#c}\n\n## 重複 {#a1}\n\n## 丙一 {#c1}\n";
    let en = "# A {#a}\n\n# B {#b}\n\n## B1 {#b1}\n\n# C {#c}\n";
    assert_eq!(missing(ja, en), [7, 11, 11], "before B (the next section's), then after the last heading");
    let ja = "# 甲 {#a}\n\n## 甲一 {#b1}\n\n# 乙 {#b}\n\n## 欠 {#x}\n\n## 重複 {#b1}\n\n# 丙 {#c}\n";
    let en = "# A {#a}\n\n## B1 {#b1}\n\n# B {#b}\n\n# C {#c}\n";
    assert_eq!(missing(ja, en), [11, 11], "not before B1, which the first 甲一 took: before C");
}

#[test]
fn parity_missing_extra_order_level_and_containers() {
    let ja = "# 甲 {#a}\n\n本文。\n\n# 乙 {#b}\n\n## 丙 {#c}\n\n::: internal\n\n庁内。\n\n:::\n";
    let c = codes(&project(ja, Some("# A {#a}\n\nText.\n\n# B {#b}\n")));
    assert!(c.iter().any(|x| x.0 == "parity-missing" && x.1.ends_with("doc.en.md")), "{c:?}");
    let c = codes(&project(ja, Some("# B {#b}\n\n# A {#a}\n\n## C {#c}\n")));
    assert!(c.iter().any(|x| x.0 == "parity-order"), "{c:?}");
    let c = codes(&project(ja, Some("# A {#a}\n\n# B {#b}\n\n# C {#c}\n")));
    assert!(c.iter().any(|x| x.0 == "parity-level"), "{c:?}");
    let c = codes(&project(ja, Some("# A {#a}\n\n# B {#b}\n\n## C {#c}\n\nInternal but not marked.\n")));
    assert!(c.iter().any(|x| x.0 == "parity-container"), "{c:?}");
    let c = codes(&project(ja, Some("# A {#a}\n\n# B {#b}\n\n## C {#c}\n\n# D {#d}\n")));
    assert!(c.iter().any(|x| x.0 == "parity-extra"), "{c:?}");
}

#[test]
fn stale_unconfirmed_and_untranslated_sections() {
    let ja = "# 甲 {#a}\n\n本文。\n\n# 乙 {#b}\n\n本文。\n\n# 丙 {#c}\n\n本文。\n";
    let l = load(&project(ja, Some("# A {#a}\n\nText.\n\n# B {#b ja=00000000}\n\nText.\n\n# C {#c .untranslated}\n")))
        .unwrap();
    let fp = l.project.documents[0].sections[0].fingerprint.clone();
    let en = format!("# A {{#a ja={fp}}}\n\nText.\n\n# B {{#b ja=00000000}}\n\nText.\n\n# C {{#c .untranslated}}\n");
    let l = load(&project(ja, Some(&en))).unwrap();
    let s = &l.project.documents[0].sections;
    assert_eq!(s[0].translation, Translation::Current);
    assert_eq!(s[1].translation, Translation::Stale);
    assert_eq!(s[2].translation, Translation::Missing);
    assert!(s[2].text(Lang::En).1, "an untranslated section falls back to Japanese");
    let c: Vec<_> = check::run(&l).into_iter().map(|d| (d.code, d.severity)).collect();
    assert!(c.contains(&("translation-stale", crate::diag::Severity::Warning)), "{c:?}");
    assert!(c.contains(&("untranslated", crate::diag::Severity::Warning)), "{c:?}");
    // Whitespace and line wrapping do not change the fingerprint.
    let rewrapped = ja.replace("# 甲 {#a}\n\n本文。", "# 甲 {#a}\n\n本\n文。");
    let l2 = load(&project(&rewrapped, None)).unwrap();
    assert_eq!(l2.project.documents[0].sections[0].fingerprint, fp);
}

#[test]
fn edition_filter_drops_renumbers_and_unlinks() {
    let ja = "# 甲 {#a}\n\n[](#b)と[](#c)と[秘密の節](#b)。\n\n# 乙 {#b .restricted}\n\n秘密。\n\n# 丙 {#c}\n\n公開。\n\n::: internal\n\n庁内。\n\n:::\n";
    let l = load(&project(ja, None)).unwrap();
    let e = Edition::filter(&l.project, "public").unwrap();
    let d = &e.documents()[0];
    assert_eq!(d.sections.len(), 2);
    assert_eq!(d.sections[1].id, "c");
    assert_eq!(d.sections[1].number.as_ref().unwrap().ja, "2", "renumbered: no gap reveals the hidden section");
    assert_eq!(blocks_text(&d.sections[1].ja.blocks), "公開。\n");
    let Block::Paragraph { content, .. } = &d.sections[0].ja.blocks[0] else { panic!() };
    assert!(content.iter().all(|i| !matches!(i, Inline::Ref(r) if r.section.as_deref() == Some("b"))));
    assert!(content.iter().any(|i| matches!(i, Inline::Ref(r) if r.section.as_deref() == Some("c"))));
    let full = Edition::filter(&l.project, "restricted").unwrap();
    assert_eq!(full.documents()[0].sections[2].number.as_ref().unwrap().ja, "3");
}

#[test]
fn front_matter_errors_name_their_line() {
    let bad = "---\nid: doc\ntype: standard\ntitle: 文書\nclassification: public\nnumbering: admin\nversion: \"1\"\neffectiv: 2026-04-01\n---\n# 甲 {#a}\n";
    let m = MemSource::new().with("book.toml", BOOK).with("policy-source/doc.ja.md", bad);
    let c = codes(&m);
    assert_eq!(c, vec![("front-matter", "policy-source/doc.ja.md".into(), 8)]);
    let bad_date = bad.replace("effectiv: 2026-04-01", "effective: 2026-13-01");
    let m = MemSource::new().with("book.toml", BOOK).with("policy-source/doc.ja.md", &bad_date);
    assert_eq!(codes(&m), vec![("bad-date", "policy-source/doc.ja.md".into(), 8)]);
    let bad_level = bad.replace("effectiv:", "effective:").replace("classification: public", "classification: secret");
    let m = MemSource::new().with("book.toml", BOOK).with("policy-source/doc.ja.md", &bad_level);
    assert_eq!(codes(&m), vec![("unknown-level", "policy-source/doc.ja.md".into(), 5)]);
}

/// Issue 10, problem 4: a document id names output files, so `..`, spaces or slashes are refused.
#[test]
fn document_ids_are_validated() {
    for (stem, id) in [("..", ".."), ("a b", "a b"), ("Doc", "Doc"), ("x", "a/b")] {
        let path = format!("policy-source/{stem}.ja.md");
        let m = MemSource::new().with("book.toml", BOOK).with(&path, &format!("{}# 甲 {{#a}}\n", front(id, "admin")));
        let l = load(&m).unwrap();
        let d = check::run(&l).into_iter().find(|d| d.code == "doc-id").unwrap_or_else(|| panic!("{id:?} accepted"));
        assert_eq!((d.loc.file.as_str(), d.loc.line, d.loc.column), (path.as_str(), 2, 1), "{id:?}");
        assert!(d.hint(Lang::En).contains("lowercase ASCII letters, digits and hyphens"), "{}", d.hint(Lang::En));
    }
    assert!(codes(&project("# 甲 {#a}\n", None)).is_empty());
}

/// Issue 10, problem 9: invalid UTF-8 is a source problem at its place, not an I/O failure.
#[test]
fn invalid_utf8_is_a_diagnostic_with_its_place() {
    let mut bytes = format!("{}# 甲 {{#a}}\n\n本文", front("doc", "admin")).into_bytes();
    bytes.extend_from_slice(b"\x82\xa0 Shift_JIS\n");
    let mut m = MemSource::new().with("book.toml", BOOK);
    m.insert_bytes("policy-source/doc.ja.md", &bytes);
    let l = load(&m).expect("invalid UTF-8 is not a load failure");
    let d = check::run(&l).into_iter().find(|d| d.code == "encoding").expect("an encoding error");
    assert_eq!((d.loc.file.as_str(), d.loc.line, d.loc.column), ("policy-source/doc.ja.md", 12, 3));
    assert!(d.hint(Lang::En).contains("UTF-8"), "{}", d.hint(Lang::En));
}

#[test]
fn headings_need_ids_and_may_not_skip_levels() {
    let c = codes(&project("# 甲\n\n### 乙 {#b}\n\n# 甲 {#b}\n", None));
    assert!(c.contains(&("heading-id", "policy-source/doc.ja.md".into(), 10)), "{c:?}");
    assert!(c.contains(&("heading-skip", "policy-source/doc.ja.md".into(), 12)), "{c:?}");
    assert!(c.contains(&("id-duplicate", "policy-source/doc.ja.md".into(), 14)), "{c:?}");
}

#[test]
fn folder_documents_read_chapters_in_order() {
    let m = MemSource::new()
        .with("book.toml", BOOK)
        .with("policy-source/std/index.ja.md", &format!("{}はじめに。\n", front("std", "admin")))
        .with("policy-source/std/02-b.ja.md", "# 乙 {#b}\n")
        .with("policy-source/std/01-a.ja.md", "# 甲 {#a}\n\n## 丙 {#c}\n");
    let l = load(&m).unwrap();
    let d = &l.project.documents[0];
    let ids: Vec<_> = d.walk().iter().map(|s| (s.id.clone(), s.number.as_ref().unwrap().ja_path.clone())).collect();
    assert_eq!(ids, [("a".into(), "1".into()), ("c".into(), "1(1)".into()), ("b".into(), "2".into())]);
    assert_eq!(blocks_text(&d.preamble.ja), "はじめに。\n");
    assert_eq!(d.walk()[2].ja.loc.file, "policy-source/std/02-b.ja.md");
}

// Found by an adversarial review: each of these once leaked restricted text or crashed.

#[test]
fn reference_style_links_are_refused_so_a_classified_definition_cannot_leak() {
    let ja =
        "# 甲 {#a}\n\n詳細は[ポータル][vpn]を参照。\n\n::: restricted\n\n[vpn]: https://secret.example.jp/\n\n:::\n";
    let c = codes(&project(ja, None));
    assert!(c.contains(&("ref-syntax", "policy-source/doc.ja.md".into(), 12)), "{c:?}");
    let l = load(&project(ja, None)).unwrap();
    let e = Edition::filter(&l.project, "public").unwrap();
    assert!(!format!("{:?}", e.documents()).contains("secret.example.jp"));
}

#[test]
fn preamble_containers_must_match_between_languages() {
    let ja = "前文。\n\n::: restricted\n\n秘密。\n\n:::\n\n# 甲 {#a}\n\n本文。\n";
    let c = codes(&project(ja, Some("Preamble.\n\nSecret.\n\n# A {#a}\n\nText.\n")));
    assert!(c.iter().any(|x| x.0 == "parity-container" && x.1.ends_with("doc.en.md")), "{c:?}");
    let ok = codes(&project(ja, Some("Preamble.\n\n::: restricted\n\nSecret.\n\n:::\n\n# A {#a}\n\nText.\n")));
    assert!(!ok.iter().any(|x| x.0 == "parity-container"), "{ok:?}");
}

#[test]
fn a_heading_inside_a_quote_or_list_is_an_error() {
    for body in ["> ## 夜間 {#night .restricted}\n>\n> 夜間連絡先。\n", "- ## 見出し {#li .restricted}\n\n  本文。\n"]
    {
        let c = codes(&project(&format!("# 甲 {{#a}}\n\n{body}"), None));
        assert!(c.iter().any(|x| x.0 == "heading-nested" && x.2 == 12), "{body}: {c:?}");
    }
}

#[test]
fn headings_without_ids_in_a_translated_document_do_not_panic() {
    let c = codes(&project("# 目的\n\n本文。\n", Some("")));
    assert!(c.iter().any(|x| x.0 == "heading-id"), "{c:?}");
}

#[test]
fn hostile_nesting_is_an_error_not_a_stack_overflow() {
    let quotes = format!("# 甲 {{#a}}\n\n{} q\n", ">".repeat(10_000));
    let lists: String = (0..10_000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
    let emph = format!("# 甲 {{#a}}\n\n{}a{}\n", "*".repeat(20_000), "*".repeat(20_000));
    for body in [quotes, format!("# 甲 {{#a}}\n\n{lists}"), emph] {
        let c = codes(&project(&body, None));
        assert!(c.iter().any(|x| x.0 == "nesting-depth"), "{c:?}");
    }
}

/// `n` lists nested in one another, each item a word.
fn nested_lists(n: usize) -> String {
    (0..n).map(|i| format!("{}- x\n", "  ".repeat(i))).collect()
}

#[test]
fn a_list_counts_twice_in_the_depth_so_the_pdf_can_hold_what_check_accepts() {
    // The PDF's data gains about 4 JSON levels per list against Typst's limit of 128.
    let ok = codes(&project(&format!("# 甲 {{#a}}\n\n{}", nested_lists(24)), None));
    assert!(!ok.iter().any(|x| x.0 == "nesting-depth"), "{ok:?}");
    let deep = codes(&project(&format!("# 甲 {{#a}}\n\n{}", nested_lists(25)), None));
    let line = front("doc", "admin").lines().count() as u32 + 2 + 25;
    assert!(deep.iter().any(|x| x.0 == "nesting-depth" && x.2 == line), "{deep:?}");
}

#[test]
fn a_url_too_long_for_the_pdf_is_an_error_at_the_link() {
    let body = |n: usize| format!("# 甲 {{#a}}\n\n本文 [市](https://example.jp/{}) です。\n", "a".repeat(n));
    let line = front("doc", "admin").lines().count() as u32 + 3;
    assert!(!codes(&project(&body(1_900), None)).iter().any(|x| x.0 == "url-too-long"));
    let c = codes(&project(&body(8_001), None));
    assert!(c.iter().any(|x| x.0 == "url-too-long" && x.2 == line), "{c:?}");
}

#[test]
fn a_title_too_long_for_the_pdf_is_an_error_at_the_heading() {
    let body = |n: usize| format!("# 甲 {{#a}}\n\n本文。\n\n# {} {{#b}}\n\n本文。\n", "長".repeat(n));
    let line = front("doc", "admin").lines().count() as u32 + 5;
    assert!(!codes(&project(&body(1_000), None)).iter().any(|x| x.0 == "title-too-long"));
    let c = codes(&project(&body(12_000), None));
    assert!(c.iter().any(|x| x.0 == "title-too-long" && x.2 == line), "{c:?}");
    // A document title, in either language's front matter, at its line.
    let long = "長".repeat(12_000);
    let m = MemSource::new().with("book.toml", BOOK).with(
        "policy-source/doc.ja.md",
        &format!("{}# 甲 {{#a}}\n", front("doc", "admin").replace("title: 文書", &format!("title: {long}"))),
    );
    assert!(codes(&m).contains(&("title-too-long", "policy-source/doc.ja.md".into(), 4)), "{:?}", codes(&m));
    let m = project("# 甲 {#a}\n", Some("# A {#a}\n"));
    let en = format!("{}# A {{#a}}\n", en_front("doc").replace("title: Document", &format!("title: {long}")));
    let m = m.with("policy-source/doc.en.md", &en);
    assert!(codes(&m).contains(&("title-too-long", "policy-source/doc.en.md".into(), 3)), "{:?}", codes(&m));
}

#[test]
fn a_paragraph_too_long_to_typeset_is_an_error_at_its_start() {
    let text = |n: usize| "長".repeat(n);
    let line = front("doc", "admin").lines().count() as u32 + 3;
    for body in [|t: &str| format!("{t}\n"), |t: &str| format!("- {t}\n"), |t: &str| format!("| a |\n|---|\n| {t} |\n")]
    {
        let ok = codes(&project(&format!("# 甲 {{#a}}\n\n{}", body(&text(20_000))), None));
        assert!(!ok.iter().any(|x| x.0 == "paragraph-too-long"), "{ok:?}");
        let c = codes(&project(&format!("# 甲 {{#a}}\n\n{}", body(&text(20_001))), None));
        assert!(c.iter().any(|x| x.0 == "paragraph-too-long" && x.2 >= line), "{c:?}");
    }
}

#[test]
fn html_comments_would_be_published_so_they_are_errors() {
    let c = codes(&project("# 甲 {#a}\n\n<!-- 非公開のメモ -->\n\n本文<!-- memo -->です。\n", None));
    assert_eq!(c.iter().filter(|x| x.0 == "html-comment").count(), 2, "{c:?}");
}

#[test]
fn unclosed_front_matter_says_so() {
    let m = MemSource::new().with("book.toml", BOOK).with("policy-source/doc.ja.md", "---\nid: doc\n# 甲 {#a}\n");
    let l = load(&m).unwrap();
    assert!(l.diagnostics.iter().any(|d| d.message(Lang::En).contains("not closed")), "{:?}", l.diagnostics);
}

#[test]
fn a_change_inside_a_classified_part_marks_the_translation_stale_only_where_that_part_is_shown() {
    let ja = |secret: &str| format!("# 甲 {{#a}}\n\n公開。\n\n::: restricted\n\n{secret}\n\n:::\n");
    let en_body = "# A {#a}\n\nPublic.\n\n::: restricted\n\nSecret.\n\n:::\n";
    let l = load(&project(&ja("秘密。"), Some(en_body))).unwrap();
    let record = l.project.documents[0].sections[0].fingerprint.clone();
    assert_eq!(record.split('.').count(), 3, "one fingerprint per level: {record}");
    let en = en_body.replace("{#a}", &format!("{{#a ja={record}}}"));
    let l = load(&project(&ja("秘密。"), Some(&en))).unwrap();
    assert_eq!(l.project.documents[0].sections[0].translation, Translation::Current);
    // Only the restricted part changes.
    let l = load(&project(&ja("秘密の変更。"), Some(&en))).unwrap();
    assert_eq!(l.project.documents[0].sections[0].translation, Translation::Stale, "check tells the author");
    let at = |name: &str| Edition::filter(&l.project, name).unwrap().documents()[0].sections[0].translation;
    assert_eq!(at("public"), Translation::Current, "the public edition shows no trace of the change");
    assert_eq!(at("internal"), Translation::Current);
    assert_eq!(at("restricted"), Translation::Stale);
    let public = Edition::filter(&l.project, "public").unwrap();
    let s = &public.documents()[0].sections[0];
    assert_eq!((s.fingerprints.len(), s.confirmed.as_deref()), (1, None), "no hash of hidden parts in the edition");
    // A public change is stale everywhere.
    let l = load(&project(&ja("秘密。").replace("公開。", "公開の変更。"), Some(&en))).unwrap();
    assert_eq!(
        Edition::filter(&l.project, "public").unwrap().documents()[0].sections[0].translation,
        Translation::Stale
    );
}

fn rule(body: &str) -> MemSource {
    MemSource::new()
        .with("book.toml", BOOK)
        .with("policy-source/doc.ja.md", &format!("{}{body}", front("doc", "article")))
}

/// The labels the empty references of the section `id` print in an edition.
fn ref_labels(e: &Edition, id: &str) -> Vec<String> {
    let d = &e.documents()[0];
    let mut out = Vec::new();
    crate::model::walk::blocks(&d.section(id).unwrap().ja.blocks, &mut |b| {
        for run in b.inline_runs() {
            crate::model::walk::inlines(run, &mut |i| {
                if let crate::edition::Inline::Ref(r) = i {
                    out.push(xref::label("doc", &e.resolve(r), Lang::Ja));
                }
            });
        }
    });
    out
}

#[test]
fn references_to_paragraphs_and_items_follow_the_edition_numbering() {
    let m = rule(concat!(
        "# 甲 {#a}\n\n第一項。\n\n::: internal\n\n第二項。\n\n:::\n\n第三項。\n\n1. 号一\n1. 号二\n   1. 細分\n\n",
        "# 乙 {#b .internal}\n\n[](#a/3)、[](#a/3/2/1)、[内](#a/2)、[](#a/1)\n\n",
        "# 丙 {#c}\n\n[](#a/3/2)\n"
    ));
    let l = load(&m).unwrap();
    assert!(check::run(&l).iter().all(|d| d.code == "untranslated"), "{:?}", check::run(&l));
    let internal = Edition::filter(&l.project, "internal").unwrap();
    assert_eq!(ref_labels(&internal, "b"), ["第1条第3項", "第1条第3項第2号ア", "第1条第2項", "第1条第1項"]);
    let public = Edition::filter(&l.project, "public").unwrap();
    assert_eq!(ref_labels(&public, "c"), ["第1条第2項第2号"], "the internal 第2項 left out, 第3項 is 第2項");
}

#[test]
fn a_public_reference_to_an_internal_paragraph_is_hidden_and_a_missing_one_unresolved() {
    let m = rule(
        "# 甲 {#a}\n\n第一項。\n\n::: internal\n\n第二項。\n\n:::\n\n# 乙 {#b}\n\n[](#a/2)と[](#a/3)と[](#a/1/1)\n",
    );
    let c = codes(&m);
    assert!(c.contains(&("ref-hidden", "policy-source/doc.ja.md".into(), 22)), "{c:?}");
    let unresolved = c.iter().filter(|x| x.0 == "ref-unresolved").count();
    assert_eq!(unresolved, 2, "第3項 and a 号 of a 項 without any: {c:?}");
}

#[test]
fn an_article_with_one_paragraph_is_cited_without_its_paragraph_number() {
    let m = rule("# 甲 {#a}\n\n本文。\n\n1. 号一\n1. 号二\n1. {.inserted} 号二の二\n\n# 乙 {#b}\n\n[](#a/1)、[](#a/1/2)、[](#a/1/2-2)\n");
    let l = load(&m).unwrap();
    let e = Edition::filter(&l.project, "public").unwrap();
    assert_eq!(ref_labels(&e, "b"), ["第1条", "第1条第2号", "第1条第2号の2"]);
}

#[test]
fn relative_words_for_items_and_the_same_article_are_checked() {
    let body = concat!(
        "# 甲 {#a}\n\n本文。\n\n1. 号一\n1. 号二\n1. [前号](#a/1/2)による。[前2号](#a/1/1)による。[前号](#a/1/1)による。\n\n",
        "# 乙 {#b}\n\n[](#a/1/1)及び[同条](#a)。[同条](#b)。[次条](#c)。\n\n# 丙 {#c}\n\n本文。\n"
    );
    let l = load(&rule(body)).unwrap();
    let stale: Vec<(u32, u32)> =
        check::run(&l).iter().filter(|d| d.code == "ref-relative-stale").map(|d| (d.loc.line, d.loc.column)).collect();
    // 前号 and 前2号 in (3) are right, 前号 pointing to (1) is not; 同条 after 第1条第1号 is right, the
    // second 同条 follows 第1条 too; 次条 of 第2条 is 第3条.
    assert_eq!(stale, [(16, 37), (20, 22)], "{:?}", check::run(&l));
}

/// Issue 10 (8): control characters (ESC, BEL, NUL, the rest of C0 but tab and line ends, DEL and
/// C1) would reach the HTML and a terminal (`diff --format text`): an error at their place.
#[test]
fn control_characters_are_errors_with_their_place() {
    let m =
        project("# 甲 {#a}\n\n危険\u{1b}[2J文字と\u{7}鐘と\u{0}。\n\n# 乙 {#b}\n\n\tタブ\r\nと改行は可。\r\n", None);
    let l = load(&m).unwrap();
    let found: Vec<_> = l.diagnostics.iter().filter(|d| d.code == "control-character").collect();
    assert_eq!(found.len(), 1, "one per file: {found:?}");
    let d = found[0];
    assert_eq!((d.loc.file.as_str(), d.loc.line, d.loc.column), ("policy-source/doc.ja.md", 12, 3), "{d:?}");
    assert!(
        d.message(Lang::En).contains("U+001B") && d.message(Lang::En).contains("2 more"),
        "{}",
        d.message(Lang::En)
    );
    assert!(d.severity == crate::diag::Severity::Error, "{d:?}");
    // In the front matter and in C1 (U+009B, the one-byte CSI) too.
    let m = MemSource::new()
        .with("book.toml", BOOK)
        .with("policy-source/doc.ja.md", &front("doc", "admin").replace("title: 文書", "title: 文\u{9b}書"));
    let l = load(&m).unwrap();
    let d = l.diagnostics.iter().find(|d| d.code == "control-character").expect("C1 in the front matter");
    assert_eq!((d.loc.line, d.loc.column), (4, 9), "{d:?}");
    // Tabs and CRLF line ends are text.
    let m = project("# 乙 {#b}\n\n\tタブ\r\nと改行は可。\r\n", None);
    assert!(!load(&m).unwrap().diagnostics.iter().any(|d| d.code == "control-character"));
}

#[test]
fn a_parse_cache_gives_what_a_fresh_load_gives() {
    let ja = "# 甲 {#a}\n\n本文。\n\n1. 項目\n\n# 乙 {#b .internal}\n\n全ての職員\nは守る。\n";
    let en = "# A {#a}\n\nText.\n\n1. Item\n\n# B {#b}\n\nAll staff\nkeep it.\n";
    let same = |a: &Loaded, b: &Loaded| format!("{a:?}") == format!("{b:?}");
    let cache = ParseCache::default();
    let m = project(ja, Some(en));
    let fresh = load(&m).unwrap();
    let first = load_with(&m, Some(&cache)).unwrap();
    let again = load_with(&m, Some(&cache)).unwrap();
    assert!(same(&fresh, &first) && same(&fresh, &again));
    assert_eq!(cache.len(), 2, "one parse per file, the second load parsed nothing");
    // A file changed, a book.toml changed: parsed again, never the old parse.
    let changed = project(&ja.replace("本文。", "本文を改めた。"), Some(en));
    let loaded = load_with(&changed, Some(&cache)).unwrap();
    assert!(same(&load(&changed).unwrap(), &loaded));
    assert!(format!("{loaded:?}").contains("本文を改めた。"));
    assert_eq!(cache.len(), 3, "only the changed file parsed again");
    let mut other_book = project(ja, Some(en));
    other_book.insert("book.toml", &BOOK.replace("[book]", "[book]\n# another manifest"));
    assert!(same(&load(&other_book).unwrap(), &load_with(&other_book, Some(&cache)).unwrap()));
    assert_eq!(cache.len(), 5, "another book.toml: every file parsed again");
}
