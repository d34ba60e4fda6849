//! End-to-end tests of rules in article style (例規): the fictional project under
//! `tests/fixtures/reiki/` (Japanese and English), with 章, 見出し, 第4条の2, 第5条 削除, 項, 号 with ア,
//! 附則 per revision, a 別表 with a figure, references to 項 and 号 and relative references, full-width
//! numerals, through the real binary.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/reiki")
}

/// A copy of the fixture in a temporary folder, with `from` replaced by `to` in the rule.
fn edited(from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture().join("book.toml"), dir.path().join("book.toml")).unwrap();
    std::fs::create_dir(dir.path().join("policy-source")).unwrap();
    copy_dir(&fixture().join("policy-source/figures"), &dir.path().join("policy-source/figures"));
    let text = std::fs::read_to_string(fixture().join("policy-source/rules.ja.md")).unwrap();
    assert!(text.contains(from), "the rule does not contain {from:?}");
    std::fs::write(dir.path().join("policy-source/rules.ja.md"), text.replacen(from, to, 1)).unwrap();
    dir
}

fn errors(dir: &Path) -> Vec<serde_json::Value> {
    diagnostics(dir).into_iter().filter(|d| d["severity"] == "error").collect()
}

fn diagnostics(dir: &Path) -> Vec<serde_json::Value> {
    let o = policybook(dir, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v.as_array().unwrap().to_vec()
}

/// The text of a PDF, as pdftotext reads it, without white space.
fn pdf_text(pdf: &Path) -> String {
    let o = std::process::Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext");
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn outline_prints_the_structure_of_the_rule() {
    let o = policybook(&fixture(), &["outline", "rules"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let expected = [
        "rules  架空市情報資産管理規程  [public]",
        "  第１章　総則（第１条・第２条）  {#general}",
        "    第１条（目的）  {#purpose}",
        "    第２条（定義）  {#definitions}",
        "      （１） 情報資産　次に掲げるものをいう。…",
        "        ア 情報システム及びその記録媒体…",
        "        イ 情報システムで取り扱う情報…",
        "      （２） 職員等　市の職員及び会計年度任用職員をいう。…",
        "      （２）の２ 管理区域　情報資産を保管する室をいう。…",
        "  第２章　組織体制（第３条―第５条）  {#organization}",
        "    第３条（管理責任者）  {#manager}",
        "      ２ 管理責任者は、別表に掲げる台帳を備えなければならない。…",
        "      ３ 管理責任者は、次の事務を行う。…",
        "      （１） 台帳の整備…",
        "      （２） 職員等への指導…",
        "    第４条  {#manager-deputy}",
        "    第４条の２（管理委員会）  {#committee}",
        "      ２ 委員会の組織は、別に定める。…",
        "    第５条　削除  {#report}",
        "  附　則  {#enactment}",
        "  附　則（令和９年３月31日訓令第５号）  {#amendment-2027}",
        "    １ この訓令は、令和９年４月１日から施行する。…",
        "    ２ この訓令の施行の際現に設置されている会議は、管理委員会とみな…",
        "  別表（第３条関係）  {#assets-table}",
    ];
    for (i, e) in expected.iter().enumerate() {
        assert_eq!(lines.get(i), Some(e), "line {} of\n{out}", i + 1);
    }
    assert_eq!(lines.len(), expected.len(), "{out}");
}

#[test]
fn the_rule_checks_clean_and_builds_html_and_pdf() {
    assert_eq!(errors(&fixture()), Vec::<serde_json::Value>::new());
    let out = tempfile::tempdir().unwrap();
    let o = policybook(&fixture(), &["build", "-o", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.path().join("public/html/rules/ja.html")).unwrap();
    for s in [
        "第２章　組織体制（第３条―第５条）",
        "<span class=\"caption\">（管理委員会）</span>",
        "第４条の２</span>\u{3000}情報資産",
        "附　則（令和９年３月31日訓令第５号）",
        "別表（第３条関係）",
    ] {
        assert!(html.contains(s), "{s:?} not in the HTML");
    }
    assert!(out.path().join("public/pdf/rules.ja.pdf").exists());
}

#[test]
fn an_inserted_article_with_nothing_before_it_is_an_error() {
    let dir = edited("## 目的 {#purpose}", "## 目的 {#purpose .inserted}");
    let e = errors(dir.path());
    assert!(
        e.iter().any(|d| d["code"] == "sequence" && d["message"].as_str().unwrap().contains("\"purpose\"")),
        "{e:#?}"
    );
}

#[test]
fn a_branch_number_in_a_rule_never_amended_is_an_error() {
    let dir = edited("  - date: 2027-03-31\n    kind: 一部改正\n    instrument: 訓令第5号\n    note: 管理委員会の設置、第5条の削除\n", "");
    let e = errors(dir.path());
    let msgs: Vec<&str> =
        e.iter().filter(|d| d["code"] == "sequence").map(|d| d["message"].as_str().unwrap()).collect();
    assert!(msgs.iter().any(|m| m.contains("\"committee\"") && m.contains("never been amended")), "{e:#?}");
    assert!(msgs.iter().any(|m| m.contains("{.inserted}")), "the inserted 号 too: {e:#?}");
    assert!(
        e.iter().any(|d| d["code"] == "numbering" && d["message"].as_str().unwrap().contains("2027-03-31")),
        "the 附則 of a revision not in the history: {e:#?}"
    );
}

#[test]
fn a_repealed_article_keeps_no_text_and_a_chapter_holds_articles() {
    let dir = edited("## 報告 {#report .deleted}\n", "## 報告 {#report .deleted}\n\n本文。\n\n# 空の章 {#empty}\n");
    let e = errors(dir.path());
    let msgs: Vec<&str> = e.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert!(msgs.iter().any(|m| m.contains("repealed in place")), "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.contains("\"empty\"")), "{msgs:#?}");
}

#[test]
fn the_english_outline_names_the_structure() {
    let o = policybook(&fixture(), &["outline", "rules", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "  Chapter 1 General Provisions (Articles 1 and 2)  {#general}",
        "    Article 1 (Purpose)  {#purpose}",
        "      (ii-2) controlled area: a room in which information assets are kept…",
        "  Chapter 2 Organization (Articles 3 to 5)  {#organization}",
        "    Article 4-2 (Management Committee)  {#committee}",
        "    Article 5 Deleted  {#report}",
        "  Supplementary Provisions  {#enactment}",
        "  Supplementary Provisions (Directive No. 5 of March 31, 2027)  {#amendment-2027}",
        "  Appended Table (re: Article 3)  {#assets-table}",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} not in\n{out}");
    }
}

#[test]
fn references_to_items_print_their_numbers_in_html_and_pdf_in_both_languages() {
    let out = tempfile::tempdir().unwrap();
    let o = policybook(&fixture(), &["build", "-o", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = |lang: &str| std::fs::read_to_string(out.path().join(format!("public/html/rules/{lang}.html"))).unwrap();
    let (ja, en) = (page("ja"), page("en"));
    for s in [
        "<a class=\"xref\" href=\"#definitions\">第２条第１号</a>",
        "<a class=\"xref\" href=\"#manager\">第３条第３項第２号</a>",
        "<a class=\"xref\" href=\"#manager\">前条</a>",
    ] {
        assert!(ja.contains(s), "{s:?} not in the Japanese HTML");
    }
    for s in [
        "<a class=\"xref\" href=\"#definitions\">Article 2, item (i)</a>",
        "<a class=\"xref\" href=\"#manager\">Article 3, paragraph (3), item (ii)</a>",
        "Chapter 1 General Provisions (Articles 1 and 2)",
        "Article 4-2 (Management Committee)",
        "Supplementary Provisions (Directive No. 5 of March 31, 2027)",
        "Appended Table (re: Article 3)",
    ] {
        assert!(en.contains(s), "{s:?} not in the English HTML");
    }
    let pdf = |lang: &str| pdf_text(&out.path().join(format!("public/pdf/rules.{lang}.pdf")));
    let (ja, en) = (pdf("ja"), pdf("en"));
    for s in ["（第２条第１号に掲げるものをいう。）", "第３条第３項第２号の指導は、前項の施行の日から"]
    {
        assert!(ja.contains(s), "{s:?} not in the Japanese PDF:\n{ja}");
    }
    for s in ["Article2,item(i)", "Article3,paragraph(3),item(ii)", "AppendedTable(re:Article3)"] {
        assert!(en.contains(s), "{s:?} not in the English PDF:\n{en}");
    }
}

#[test]
fn a_reference_to_an_item_that_does_not_exist_is_unresolved() {
    let dir = edited("[](#manager/3/2)", "[](#manager/3/4)");
    let e = errors(dir.path());
    let hit = e.iter().find(|d| d["code"] == "ref-unresolved").unwrap_or_else(|| panic!("{e:#?}"));
    assert_eq!(hit["message"], "reference to rules#manager/3/4 does not resolve");
    assert_eq!((hit["line"].as_u64(), hit["column"].as_u64()), (Some(69), Some(42)), "{hit:#?}");
    assert!(hit["hint"].as_str().unwrap().contains("manager/3/2"), "the hint lists what exists: {hit:#?}");
}

#[test]
fn check_catches_a_stale_relative_reference() {
    // An article added without .inserted renumbers the rest: 「前条」 in 第5条 now names the new 第4条.
    let dir = edited(
        "## 管理責任者 {#manager-deputy}",
        "## 研修 {#training}\n\n研修を受ける。\n\n## 管理責任者 {#manager-deputy}",
    );
    let d = diagnostics(dir.path());
    let stale: Vec<&serde_json::Value> = d.iter().filter(|d| d["code"] == "ref-relative-stale").collect();
    assert_eq!(stale.len(), 1, "{d:#?}");
    assert_eq!(stale[0]["severity"], "warning");
    assert_eq!((stale[0]["line"].as_u64(), stale[0]["column"].as_u64()), (Some(55), Some(1)), "{:#?}", stale[0]);
    assert_eq!(stale[0]["message"], "「前条」 names 第４条 from here, but the reference points to 第３条");
    let hint = stale[0]["hint"].as_str().unwrap();
    assert!(hint.contains("[](#manager)") && hint.contains("#training"), "{hint}");
    // 「前条」 in 第4条の2 still names 第4条 (now 第5条): a renumbering it follows.
    assert!(!d.iter().any(|d| d["code"] == "ref-relative-stale" && d["line"] == 59), "{d:#?}");
}

#[test]
fn a_stale_relative_word_for_a_paragraph_is_caught_and_plain_text_is_left_alone() {
    let dir = edited("[前項](#amendment-2027/1)の施行の日", "[前項](#amendment-2027/2)の施行の日。前条は本文");
    let d = diagnostics(dir.path());
    let stale: Vec<&serde_json::Value> = d.iter().filter(|d| d["code"] == "ref-relative-stale").collect();
    assert_eq!(stale.len(), 1, "only the reference, not the typed 前条: {d:#?}");
    assert!(stale[0]["message"].as_str().unwrap().contains("第１項"), "{:#?}", stale[0]);
}

/// The fixture built into a temporary folder.
fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = policybook(&fixture(), &["build", "-o", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn the_figure_of_the_appended_table_reaches_the_site_and_the_pdf_with_its_alt_text() {
    let out = built();
    let png = std::fs::read(fixture().join("policy-source/figures/register-flow.png")).unwrap();
    let html = out.path().join("public/html");
    let copied: Vec<PathBuf> =
        files_below(&html.join("figures")).into_iter().filter(|f| std::fs::read(f).unwrap() == png).collect();
    assert_eq!(copied.len(), 1, "the image in the site's figures/: {:?}", files_below(&html));
    let name = copied[0].file_name().unwrap().to_str().unwrap();
    for (lang, alt) in [
        ("ja", "台帳の流れ：システム台帳の記載事項を媒体管理簿に転記する"),
        ("en", "Flow of the registers: entries of the system register are carried over to the media register"),
    ] {
        let page = std::fs::read_to_string(html.join(format!("rules/{lang}.html"))).unwrap();
        let img = format!("<img src=\"../figures/{name}\" alt=\"{alt}\" width=\"240\" height=\"80\">");
        assert!(page.contains(&img), "{img} not in the {lang} page");
    }
    for (lang, caption) in [("ja", "台帳の流れ"), ("en", "Flowoftheregisters")] {
        let pdf = out.path().join(format!("public/pdf/rules.{lang}.pdf"));
        assert_eq!(pdf_images(&pdf), 1, "the image embedded in {pdf:?}");
        let text = pdf_text(&pdf);
        let (table, cap) = (text.rfind(if lang == "ja" { "媒体管理簿" } else { "Mediaregister" }), text.rfind(caption));
        assert!(table.is_some() && cap > table, "the caption {caption:?} after the 別表's table:\n{text}");
    }
}

#[test]
fn full_width_marks_stand_on_the_character_grid() {
    let out = built();
    let pdf = out.path().join("public/pdf/rules.ja.pdf");
    let page = (1..=pages(&pdf)).find(|&p| words(&pdf, p).iter().any(|w| w.2 == "第２条")).expect("第２条");
    let all = words(&pdf, page);
    let x = |w: &str| all.iter().find(|(_, _, t)| t == w).unwrap_or_else(|| panic!("{w} not on page {page}")).0;
    // The running header stands at the left margin; one character of body text is 10.5pt.
    let (margin, u) = (all.iter().find(|w| w.2.starts_with("架空市例規集")).unwrap().0, 10.5);
    // (word, characters from the margin): 第２条 at the margin, 号 （１） one character in with its
    // text after 「（１）　」, ア two characters in, a branch-numbered 号 like its siblings.
    for (w, chars) in [("第２条", 0.0), ("（１）", 1.0), ("情報資産", 5.0), ("ア", 2.0), ("（２）の２", 1.0)]
    {
        let got = x(w);
        assert!(
            (got - (margin + chars * u)).abs() < 0.6,
            "{w}: at {got}, expected {chars} characters in from {margin}"
        );
    }
}
