//! End-to-end tests of the termbase (issue 14): `check` on the default project reports no term
//! warning, and reports each wrong English variant the translation review found when it is put
//! back; one English term for two Japanese terms; the glossary pages of the HTML editions.

mod common;

use common::{default_project, policybook, stdout};
use std::path::Path;

/// Replaces the only occurrence of `from` in the project file `file` by `to`.
fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join("policy-source").join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {file}");
    std::fs::write(&p, text.replace(from, to)).unwrap();
}

/// `check`'s diagnostics as text (they go to stdout).
fn check(dir: &Path) -> String {
    let o = policybook(dir, &["check"]);
    format!("{}{}", stdout(&o), common::stderr(&o))
}

#[test]
fn the_default_project_has_no_term_warning() {
    let dir = default_project();
    let out = check(dir.path());
    assert!(!out.contains("term-"), "{out}");
    // Only the seed's own wording (the prose check's three warnings) is left.
    assert!(out.contains("0 error(s), 3 warning(s)"), "{out}");
}

/// (file, the fixed English, the wrong English of before the review, the Japanese term).
const WRONG: &[(&str, &str, &str, &str)] = &[
    ("basic-policy.en.md", "## Personnel security {#", "## Human security {#", "人的セキュリティ"),
    ("basic-policy.en.md", "Personnel measures shall be taken", "Human measures shall be taken", "人的な対策"),
    ("standards/06-human.en.md", "# Personnel security {#", "# Human security {#", "人的セキュリティ"),
    ("basic-policy.en.md", "Establish an organization-wide structure", "Establish a city-wide organizational structure", "全庁的"),
    ("basic-policy.en.md", "An organization-wide structure", "A city-wide organizational structure", "全庁的"),
    ("basic-policy.en.md", "the departments under the Mayor", "the mayor's departments", "市長部局"),
    ("basic-policy.en.md", "non-regular contract staff", "commissioned employees", "嘱託職員"),
    ("basic-policy.en.md", "agency (dispatched) staff", "dispatched workers", "派遣職員"),
    (
        "basic-policy.en.md",
        "These advanced measures include introducing the Municipal Information Security Cloud.",
        "As such advanced information security measures, the municipal information security cloud shall be introduced, among other measures.",
        "自治体情報セキュリティクラウド",
    ),
    ("basic-policy.en.md", "threats to information assets are anticipated", "threats to information assets are assumed", "想定"),
    ("basic-policy.en.md", "caused by illness (such as a pandemic).", "caused by disease.", "疾病"),
    (
        "standards/02-organization.en.md",
        "The Director-General of the General Affairs Department",
        "The Director of the General Affairs Department",
        "総務部長",
    ),
    ("standards/05-physical.en.md", "Information System Administrators shall", "Information system administrators shall", "情報システム管理者"),
];

#[test]
fn each_wrong_variant_put_back_is_reported_in_both_languages() {
    for (file, fixed, wrong, ja) in WRONG {
        let dir = default_project();
        replace(dir.path(), file, fixed, wrong);
        let out = check(dir.path());
        let line = out.lines().find(|l| l.contains("warning[term-wrong]") && l.contains(ja));
        let Some(line) = line else { panic!("no term-wrong for 「{ja}」 after putting back {wrong:?}:\n{out}") };
        // The English place starts the line, the Japanese one is in the message.
        assert!(line.starts_with(&format!("policy-source/{file}:")), "{line}");
        // ...at the line where the wrong variant stands.
        let n: usize = line.split(':').nth(1).unwrap().parse().unwrap();
        let text = std::fs::read_to_string(dir.path().join("policy-source").join(file)).unwrap();
        assert!(text.lines().nth(n - 1).unwrap().contains(wrong.split(' ').nth(1).unwrap()), "{line}");
        let ja_file = file.replace(".en.md", ".ja.md");
        assert!(line.contains(&format!("policy-source/{ja_file}:")), "{line}");
        assert_eq!(out.matches("term-").count(), 1, "one warning only:\n{out}");
    }
}

#[test]
fn a_term_left_out_of_the_english_is_reported() {
    let dir = default_project();
    replace(
        dir.path(),
        "standards/03-asset-classification.en.md",
        "The person responsible for managing information assets shall manage them",
        "The asset owner shall manage them",
    );
    let out = check(dir.path());
    let line = out.lines().find(|l| l.contains("warning[term-missing]")).unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("「情報資産の管理責任者」")
            && line.contains("“person responsible for managing information assets”"),
        "{line}"
    );
    assert!(line.contains("standards#asset-management"), "{line}");
    assert!(line.contains("policy-source/standards/03-asset-classification.ja.md:30:1"), "{line}");
}

#[test]
fn one_english_term_for_two_japanese_terms_is_reported() {
    let dir = default_project();
    let p = dir.path().join("policy-source/terms.yaml");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str("\n- ja: 情報政策課の長\n  en: Director of the Information Policy Division\n");
    std::fs::write(&p, text).unwrap();
    let out = check(dir.path());
    let line = out.lines().find(|l| l.contains("warning[term-ambiguous]")).unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("「情報政策課長」") && line.contains("「情報政策課の長」"), "{line}");
    assert!(line.starts_with("policy-source/terms.yaml:"), "{line}");
}

#[test]
fn a_bad_termbase_entry_is_an_error_at_its_line() {
    let dir = default_project();
    let p = dir.path().join("policy-source/terms.yaml");
    std::fs::write(&p, "- ja: 機密\n  en: secret\n  defined: standards#nowhere\n- ja: 監査\n").unwrap();
    let out = check(dir.path());
    assert!(out.contains("policy-source/terms.yaml:1:") && out.contains("error[term-defined]"), "{out}");
    assert!(out.contains("policy-source/terms.yaml:4:") && out.contains("error[term-file]"), "{out}");
    std::fs::write(&p, "- ja: 機密\n  english: secret\n").unwrap();
    let out = check(dir.path());
    assert!(out.contains("error[term-file]") && out.contains("english"), "{out}");
}

#[test]
fn each_html_edition_has_a_glossary_linked_from_every_page() {
    let dir = default_project();
    let o = policybook(dir.path(), &["build", "--format", "html", "--edition", "public"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let site = dir.path().join("output/public/html");
    let ja = std::fs::read_to_string(site.join("glossary.html")).unwrap();
    let en = std::fs::read_to_string(site.join("glossary.en.html")).unwrap();
    // 2 定義's terms (from `.term` headings) link to their defining sections.
    assert!(ja.contains("<th scope=\"row\" lang=\"ja\">機密性</th>"), "{ja}");
    assert!(ja.contains("href=\"basic-policy/ja.html#def-confidentiality\""), "{ja}");
    assert!(en.contains("<th scope=\"row\" lang=\"en\">Confidentiality</th>"), "{en}");
    assert!(en.contains("href=\"basic-policy/en.html#def-confidentiality\""), "{en}");
    assert!(ja.contains("マイナンバー利用事務系</th>"), "a trailing parenthesis is left out: {ja}");
    // Entries of terms.yaml, with their notes.
    assert!(ja.contains("personnel security") && ja.contains("a proper name, capitalised everywhere"), "{ja}");
    for page in ["basic-policy/ja.html", "standards/ja.html", "index.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(html.contains("glossary.html\">用語集</a>"), "{page}");
    }
    let html = std::fs::read_to_string(site.join("basic-policy/en.html")).unwrap();
    assert!(html.contains("glossary.en.html\">Glossary</a>"));
}

#[test]
fn the_public_sitemap_lists_every_page_the_glossary_included() {
    let dir = default_project();
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(!text.contains("base-url"), "the default project has no base URL yet");
    std::fs::write(&toml, format!("{text}\n[html]\nbase-url = \"https://www.city.example.jp/policy/\"\n")).unwrap();
    let o = policybook(dir.path(), &["build", "--format", "html", "--edition", "public"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let site = dir.path().join("output/public/html");
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    let pages: Vec<String> = common::files_below(&site)
        .into_iter()
        .map(|p| p.strip_prefix(&site).unwrap().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(pages.iter().any(|p| p == "glossary.html") && pages.iter().any(|p| p == "glossary.en.html"));
    for page in &pages {
        assert!(
            sitemap.contains(&format!("<loc>https://www.city.example.jp/policy/{page}</loc>")),
            "{page}: {sitemap}"
        );
    }
    assert_eq!(sitemap.matches("<loc>").count(), pages.len(), "{sitemap}");
}

#[test]
fn each_document_pdf_ends_with_the_terms_it_defines() {
    let dir = default_project();
    let o = policybook(dir.path(), &["build", "--format", "pdf", "--edition", "public"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let pdf = dir.path().join("output/public/pdf");
    let text = |f: &str| String::from_utf8(common::tool("pdftotext", &[pdf.join(f).to_str().unwrap(), "-"])).unwrap();
    let ja = text("basic-policy.ja.pdf");
    let annex = &ja[ja.rfind("用語集").expect("an annex 用語集")..];
    assert!(annex.contains("無害化通信") && annex.contains("Sanitized communication"), "{annex}");
    let en = text("basic-policy.en.pdf");
    let annex = &en[en.rfind("Glossary").expect("an annex Glossary")..];
    assert!(annex.contains("Sanitized communication") && annex.contains("無害化通信"), "{annex}");
    // The standards define their own terms (terms.yaml `defined:`), not the basic policy's.
    let st = text("standards.ja.pdf");
    let annex = &st[st.rfind("用語集").expect("an annex 用語集")..];
    assert!(annex.contains("管理区域") && !annex.contains("無害化通信"), "{annex}");
}
