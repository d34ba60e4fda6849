//! End-to-end tests of the HTML editions: the real binary on the default project, the canary
//! project, hostile sources and template overrides; the browser checks run in tests/browser.rs.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn build_html(dir: &Path) {
    let o = policybook(dir, &["build", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "build failed: {}", stderr(&o));
}

fn site(dir: &Path, edition: &str) -> PathBuf {
    dir.join("output").join(edition).join("html")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    files_below(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")).collect()
}

/// Every edition has the index, assets and the pages of the public documents.
fn assert_every_edition_has_its_pages(dir: &Path) {
    for e in ["public", "internal", "restricted"] {
        let s = site(dir, e);
        for f in ["index.html", "index.en.html", "style.css", "site.js", "search-index.json"] {
            assert!(s.join(f).is_file(), "{e}: {f} missing");
        }
        for doc in ["basic-policy", "standards"] {
            for f in ["ja.html", "en.html", "parallel.html"] {
                assert!(s.join(doc).join(f).is_file(), "{e}: {doc}/{f} missing");
            }
        }
    }
}

/// The internal and restricted sections of the default project appear only in editions that may hold them.
fn assert_classified_sections_only_where_allowed(dir: &Path) {
    // internal: asset-register, network-configuration; restricted: emergency-contact-network.
    for (id, lowest) in [
        ("asset-register", "internal"),
        ("network-configuration", "internal"),
        ("emergency-contact-network", "restricted"),
    ] {
        for e in ["public", "internal", "restricted"] {
            let s = site(dir, e);
            let all: String = files_below(&s)
                .iter()
                .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
                .collect();
            let visible = e == "restricted" || (e == "internal" && lowest == "internal");
            assert_eq!(all.contains(id), visible, "{id} in edition {e}");
        }
    }
}

/// The markings: none on public pages, on every page (and in print) of the other editions.
fn assert_public_unmarked_and_others_marked(dir: &Path, public: &Path) {
    // Public pages carry no marking and may be indexed; the others are marked on every page.
    for p in html_files(public) {
        let t = read(&p);
        assert!(!t.contains("noindex"), "{}", p.display());
        assert!(!t.contains("class=\"marking"), "{}", p.display());
        assert!(t.contains("Content-Security-Policy"), "{}", p.display());
        assert!(t.contains("default-src 'none'"));
    }
    for (e, ja, en) in [
        ("internal", "機密性2 庁内限り", "Confidentiality 2 Internal use only"),
        ("restricted", "機密性3 関係者限り", "Confidentiality 3 Authorized personnel only"),
    ] {
        for p in html_files(&site(dir, e)) {
            let t = read(&p);
            assert!(t.contains("<meta name=\"robots\" content=\"noindex\">"), "{}", p.display());
            let m = if p.file_name().unwrap().to_string_lossy().contains("en.html") { en } else { ja };
            assert!(t.contains(&format!("marking-top\">{m}<")), "{}: top marking", p.display());
            assert!(t.contains(&format!("marking-bottom\">{m}<")), "{}: bottom marking", p.display());
        }
    }
    // Printed copies carry the marking in the page margins (a stylesheet only classified editions have).
    assert!(!public.join("marking-ja.css").exists());
    let css = read(&site(dir, "internal").join("marking-ja.css"));
    assert!(css.contains("@top-center") && css.contains("@bottom-center") && css.contains("\\6a5f "), "{css}");
    assert!(read(&site(dir, "internal").join("basic-policy/en.html")).contains("href=\"../marking-en.css\""));
}

#[test]
fn default_project_builds_three_editions_and_public_holds_only_public_content() {
    let dir = default_project();
    build_html(dir.path());
    assert_every_edition_has_its_pages(dir.path());
    let public = site(dir.path(), "public");
    assert!(!public.join("procedures").exists(), "the procedures are restricted");
    assert!(site(dir.path(), "restricted").join("procedures/ja.html").is_file());
    assert!(!site(dir.path(), "internal").join("procedures").exists());

    let std_ja = read(&public.join("standards/ja.html"));
    assert!(std_ja.contains("id=\"intrusion-prevention\""), "a public section of the standards");
    assert!(std_ja.contains("id=\"csirt\""));
    assert_classified_sections_only_where_allowed(dir.path());
    assert_public_unmarked_and_others_marked(dir.path(), &public);
    // Index: 和暦 in Japanese, Gregorian in English.
    let idx = read(&public.join("index.html"));
    assert!(idx.contains("<html lang=\"ja\">"));
    assert!(idx.contains("令和8年4月1日"), "{idx}");
    assert!(idx.contains("情報セキュリティ基本方針"));
    let idx_en = read(&public.join("index.en.html"));
    assert!(idx_en.contains("<html lang=\"en\">"));
    assert!(idx_en.contains("April 1, 2026"));
    // Revision history, authoritative notice, permalinks, cross-references, language switch.
    let bp_ja = read(&public.join("basic-policy/ja.html"));
    assert!(
        bp_ja.contains("改定履歴")
            && bp_ja.contains("<time datetime=\"2026-04-01\">令和8年4月1日</time></td><td>改定</td></tr>"),
        "history in 和暦"
    );
    assert!(bp_ja.contains("<a class=\"permalink\" href=\"#purpose\">¶"));
    assert!(bp_ja.contains("<a class=\"other-lang\" href=\"en.html#purpose\" hreflang=\"en\" lang=\"en\">English</a>"));
    let bp_en = read(&public.join("basic-policy/en.html"));
    assert!(bp_en.contains("The Japanese text is authoritative"));
    assert!(bp_en.contains("Revision history"));
    assert!(
        std_ja.contains("<a class=\"xref\" href=\"../basic-policy/ja.html#scope\">情報セキュリティ基本方針4</a>"),
        "cross-document reference labelled with the number"
    );
    let par = read(&public.join("basic-policy/parallel.html"));
    assert!(par.contains("class=\"col col-en\" lang=\"en\""));
}

#[test]
fn rebuild_is_byte_identical() {
    let dir = default_project();
    build_html(dir.path());
    let snapshot = |d: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        files_below(&d.join("output"))
            .into_iter()
            .map(|p| (p.strip_prefix(d).unwrap().to_path_buf(), std::fs::read(&p).unwrap()))
            .collect()
    };
    let first = snapshot(dir.path());
    assert!(first.len() > 20);
    build_html(dir.path());
    assert_eq!(first, snapshot(dir.path()));
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn canaries_never_reach_a_lower_edition() {
    let dir = canary_project();
    build_html(dir.path());
    let editions: [(&str, &[&str], &[&str]); 3] = [
        ("public", &[], &[CANARY_RESTRICTED, CANARY_INTERNAL, CANARY_PROCEDURES]),
        ("internal", &[CANARY_INTERNAL], &[CANARY_RESTRICTED, CANARY_PROCEDURES]),
        ("restricted", &[CANARY_RESTRICTED, CANARY_INTERNAL, CANARY_PROCEDURES], &[]),
    ];
    for (e, present, absent) in editions {
        let files = files_below(&site(dir.path(), e));
        assert!(files.len() > 8, "{e}: {} files", files.len());
        let mut all = Vec::new();
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            for c in absent {
                assert!(!contains(&bytes, c), "{c} leaked into {}", f.display());
            }
            all.extend(bytes);
        }
        for c in present {
            assert!(contains(&all, c), "{c} should be in the {e} edition");
        }
    }
    // The restricted edition holds the canary in a page, the search index and an anchor.
    let r = site(dir.path(), "restricted");
    assert!(read(&r.join("standards/ja.html")).contains(&format!("id=\"{CANARY_RESTRICTED}-section\"")));
    assert!(read(&r.join("search-index.json")).contains(CANARY_RESTRICTED));
    // Its glossary holds the restricted terms (a `.term` section and a terms.yaml entry), which the
    // loop above kept out of the public and internal glossaries and search indexes.
    let g = read(&r.join("glossary.html"));
    assert!(
        g.contains(&format!("Title {CANARY_RESTRICTED}")) && g.contains(&format!("用語{CANARY_RESTRICTED}")),
        "{g}"
    );
    assert!(read(&site(dir.path(), "internal").join("glossary.en.html")).contains(&format!("{CANARY_INTERNAL} term")));
    // The public host section is there, with its public text only.
    let p = read(&site(dir.path(), "public").join("standards/ja.html"));
    assert!(p.contains("id=\"canary-public-host\""));
}

/// Every tag of `html`: (name, attributes as (name, value)). A deliberately small parser.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") || rest.starts_with('!') || rest.starts_with('/') {
            continue;
        }
        let end = rest.find('>').expect("unclosed tag");
        let inner = &rest[..end];
        let mut parts = inner.splitn(2, |c: char| c.is_whitespace());
        let name = parts.next().unwrap().to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut a = parts.next().unwrap_or("").trim();
        while !a.is_empty() {
            let n_end = a.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(a.len());
            let n = a[..n_end].to_ascii_lowercase();
            a = a[n_end..].trim_start();
            let mut v = String::new();
            if let Some(r) = a.strip_prefix('=') {
                let r = r.trim_start();
                if let Some(q) = r.strip_prefix('"') {
                    let e = q.find('"').expect("unclosed attribute");
                    v = q[..e].to_string();
                    a = q[e + 1..].trim_start();
                } else {
                    let e = r.find(char::is_whitespace).unwrap_or(r.len());
                    v = r[..e].to_string();
                    a = r[e..].trim_start();
                }
            }
            attrs.push((n, v));
        }
        out.push((name, attrs));
        rest = &rest[end..];
    }
    out
}

/// Appends a section of hostile text (raw HTML, event handlers, javascript: links) to both languages
/// of the basic policy.
fn append_hostile_section(dir: &Path) {
    let src = dir.join("policy-source");
    let hostile = "\n# 攻撃 {#hostile}\n\n<script>alert(1)</script>\n\n本文 <img src=x onerror=alert(2)> と \
                   <a href=\"javascript:alert(3)\">リンク</a>、[外部](https://example.com/\"onmouseover=\"alert(4)) \
                   及び `<b>code</b>`。\n\n| 項目 | <iframe src=\"javascript:alert(5)\"></iframe> |\n|---|---|\n| x | y |\n";
    for f in ["basic-policy.ja.md", "basic-policy.en.md"] {
        let p = src.join(f);
        let mut s = read(&p);
        s.push_str(hostile);
        std::fs::write(&p, s).unwrap();
    }
}

/// The elements a page may hold: anything else came from the source.
const ALLOWED_TAGS: [&str; 46] = [
    "html",
    "head",
    "meta",
    "title",
    "link",
    "script",
    "body",
    "a",
    "header",
    "div",
    "p",
    "span",
    "nav",
    "ul",
    "ol",
    "li",
    "form",
    "label",
    "input",
    "button",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dl",
    "dt",
    "dd",
    "time",
    "section",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "footer",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
];

/// Every tag of a page is allowed, without event handlers or script in its attributes.
fn assert_only_allowed_tags(p: &Path, t: &str, allowed: &[&str]) {
    for (name, attrs) in tags(t) {
        assert!(allowed.contains(&name.as_str()), "{}: unexpected <{name}>", p.display());
        for (a, v) in &attrs {
            assert!(!a.starts_with("on"), "{}: event handler {a} on <{name}>", p.display());
            let v = v.to_ascii_lowercase();
            assert!(!v.trim_start().starts_with("javascript:"), "{}: {a}={v}", p.display());
            assert!(!v.contains('<') && !v.contains('"'), "{}: {a}={v}", p.display());
        }
        if name == "script" {
            assert_eq!(attrs.len(), 2, "{}: only <script src=… defer>", p.display());
            assert!(attrs[0].0 == "src" && attrs[0].1.ends_with("site.js"), "{}: {attrs:?}", p.display());
        }
    }
}

#[test]
fn hostile_source_text_is_shown_as_text() {
    let dir = default_project();
    append_hostile_section(dir.path());
    build_html(dir.path());
    let mut pages = 0;
    for e in ["public", "internal", "restricted"] {
        for p in html_files(&site(dir.path(), e)) {
            let t = read(&p);
            if !p.to_string_lossy().contains("basic-policy") {
                continue;
            }
            pages += 1;
            assert!(t.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}: raw HTML shown as text", p.display());
            assert!(t.contains("&lt;img src=x onerror=alert(2)&gt;"));
            assert_only_allowed_tags(&p, &t, &ALLOWED_TAGS);
        }
    }
    assert_eq!(pages, 9);
    // The external link keeps its quotes as text inside the attribute, escaped.
    let t = read(&site(dir.path(), "public").join("basic-policy/ja.html"));
    assert!(t.contains("href=\"https://example.com/&quot;onmouseover=&quot;alert(4)\""), "{t}");
}

#[test]
fn a_javascript_markdown_link_stops_the_build() {
    let dir = default_project();
    let p = dir.path().join("policy-source/basic-policy.ja.md");
    let mut s = read(&p);
    s.push_str("\n# 攻撃 {#hostile}\n\n[押す](javascript:alert(1))\n");
    std::fs::write(&p, s).unwrap();
    let o = policybook(dir.path(), &["build", "--format", "html"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("neither a web address nor a reference"), "{}", stderr(&o));
    assert!(!dir.path().join("output").exists());
}

#[test]
fn project_templates_override_the_shipped_ones_and_bad_ones_fail_clearly() {
    let dir = default_project();
    let t = dir.path().join("templates/html");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("index.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>OVERRIDDEN {{ page.book_title }}</h1>{% endblock main %}",
    )
    .unwrap();
    std::fs::write(t.join("style.css"), "/* city style */ body { color: #000; }\n").unwrap();
    build_html(dir.path());
    let s = site(dir.path(), "public");
    assert!(read(&s.join("index.html")).contains("<h1>OVERRIDDEN 日置市行政情報セキュリティポリシー</h1>"));
    assert_eq!(read(&s.join("style.css")), "/* city style */ body { color: #000; }\n");
    assert!(read(&s.join("basic-policy/ja.html")).contains("class=\"toc\""), "other templates stay the default");

    std::fs::write(t.join("document.html"), "{% if %}").unwrap();
    let o = policybook(dir.path(), &["build", "--format", "html"]);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("templates/html/document.html") && err.contains("hint:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
