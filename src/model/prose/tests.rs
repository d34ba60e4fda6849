//! The prose check on small in-memory projects: places, markers, book.toml switches.

use crate::model::{check, load};
use crate::source::MemSource;

const FRONT: &str = "---\nid: doc\ntype: standard\ntitle: 文書\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\n";
const EN_FRONT: &str = "---\nid: doc\ntitle: Document\n---\n";

fn project(book_extra: &str, ja: &str, en: &str) -> MemSource {
    let book = format!("{}{book_extra}", crate::model::tests::BOOK);
    MemSource::new()
        .with("book.toml", &book)
        .with("policy-source/doc.ja.md", &format!("{FRONT}{ja}"))
        .with("policy-source/doc.en.md", &format!("{EN_FRONT}{en}"))
}

/// The prose warnings: code, file, line, column.
fn prose(m: &MemSource) -> Vec<(&'static str, String, u32, u32)> {
    let l = load(m).unwrap();
    check::run(&l)
        .into_iter()
        .filter(|d| d.code.starts_with("prose-"))
        .map(|d| (d.code, d.loc.file.trim_start_matches("policy-source/").to_string(), d.loc.line, d.loc.column))
        .collect()
}

const JA: &str = "# 目的 {#purpose}\n\n個人情報情報の漏えい、\nウィルス対策。\n\n- コンピュータウイルス\n- 非意図的的要因\n\n| 項目 |\n|---|\n| ＬＧＷＡＮ |\n| LGWAN |\n| LGWAN |\n";
const EN: &str = "# Purpose {#purpose}\n\nThe the purpose.\n\n- Viruses  and worms.\n";

#[test]
fn each_rule_reports_at_its_line_and_column() {
    let got = prose(&project("", JA, EN));
    let want = [
        ("prose-doubled", "doc.en.md", 7, 5),
        ("prose-spaces", "doc.en.md", 9, 10),
        ("prose-doubled", "doc.ja.md", 12, 5),
        ("prose-variant", "doc.ja.md", 13, 1),
        ("prose-doubled", "doc.ja.md", 16, 7),
        ("prose-width", "doc.ja.md", 20, 3),
    ];
    assert_eq!(got, want.map(|(c, f, l, col)| (c, f.to_string(), l, col)));
}

#[test]
fn the_variant_names_the_other_form_and_its_place() {
    let l = load(&project("", JA, EN)).unwrap();
    let d = check::run(&l).into_iter().find(|d| d.code == "prose-variant").unwrap();
    assert!(
        d.message(crate::config::Lang::En).contains("「ウイルス」 (policy-source/doc.ja.md:15:"),
        "{}",
        d.message(crate::config::Lang::En)
    );
    assert!(d.hint(crate::config::Lang::En).contains("write 「ウイルス」"), "{}", d.hint(crate::config::Lang::En));
}

#[test]
fn a_marker_allows_one_occurrence_and_is_not_printed() {
    let ja = JA
        .replace("個人情報情報の漏えい、\n", "<!-- policybook: allow prose-doubled -->\n個人情報情報の漏えい、\n")
        .replace("- 非意図的的要因\n", "- 非意図的的要因 <!-- policybook: allow prose-doubled -->\n");
    let m = project("", &ja, EN);
    let got = prose(&m);
    assert!(!got.iter().any(|g| g.0 == "prose-doubled" && g.1 == "doc.ja.md"), "{got:?}");
    assert!(got.iter().any(|g| g.0 == "prose-variant"), "other codes stay: {got:?}");
    let l = load(&m).unwrap();
    assert!(!check::run(&l).iter().any(|d| d.code == "html-comment"), "a marker is no comment to publish");
    let text = crate::model::blocks_text(&l.project.documents[0].sections[0].ja.blocks);
    assert!(!text.contains("policybook") && !text.contains("<!--"), "{text}");
    let item = &l.project.documents[0].sections[0].ja.blocks[1];
    assert_eq!(
        crate::model::blocks_text(std::slice::from_ref(item)),
        "コンピュータウイルス\n非意図的的要因\n",
        "no space left"
    );
    // Any other comment is still refused.
    let m = project("", &ja.replace("allow prose-doubled -->\n個", "note -->\n個"), EN);
    assert!(check::run(&load(&m).unwrap()).iter().any(|d| d.code == "html-comment"));
}

#[test]
fn a_marker_naming_no_check_is_a_warning() {
    let ja = JA.replace("# 目的 {#purpose}\n", "# 目的 {#purpose}\n\n<!-- policybook: allow prose-dubled -->\n");
    let got = prose(&project("", &ja, EN));
    assert!(got.contains(&("prose-allow", "doc.ja.md".into(), 12, 1)), "{got:?}");
}

#[test]
fn book_toml_switches_codes_off_and_sets_preferred_forms() {
    let m = project("\n[check]\nallow = [\"prose-doubled\", \"prose-width\"]\n", JA, EN);
    let got: Vec<_> = prose(&m).into_iter().map(|g| g.0).collect();
    assert_eq!(got, ["prose-spaces", "prose-variant"]);
    let m = project("\n[check.variants]\n\"ウィルス\" = [\"ウイルス\"]\n", JA, EN);
    let l = load(&m).unwrap();
    let d = check::run(&l).into_iter().find(|d| d.code == "prose-variant").unwrap();
    assert_eq!(d.loc.line, 15, "now コンピュータウイルス is the odd one: {d:?}");
    let m = project("\n[check]\nallow = [\"prose-dubled\"]\n", JA, EN);
    let e = load(&m).unwrap_err().to_string();
    assert!(e.contains("prose-dubled") && e.contains("book.toml:"), "{e}");
}
