use super::*;
use crate::model::{load, Block, Inline, Project, Translation};
use crate::source::{MemSource, Source};

fn source() -> MemSource {
    let mut mem = MemSource::new();
    for (p, b) in crate::book::init::files() {
        mem.insert(&p, std::str::from_utf8(&b).unwrap());
    }
    mem
}

fn project(mem: &MemSource) -> Project {
    load(mem).unwrap().project
}

fn assets(mem: &MemSource) -> crate::render::Assets {
    crate::render::Assets::load(mem, &project(mem).config).unwrap()
}

fn page(files: &Files, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap()
}

#[test]
fn javascript_urls_in_the_model_never_become_links() {
    let mem = source();
    let mut p = project(&mem);
    let s = &mut p.documents[0].sections[0];
    let Block::Paragraph { content, .. } = &mut s.ja.blocks[0] else { panic!("a paragraph") };
    for url in ["javascript:alert(1)", " JavaScript:alert(2)", "data:text/html,x", "https://ok.example/\u{0}x"] {
        content.push(Inline::Link { url: url.into(), content: vec![Inline::Text { text: "押す".into() }] });
    }
    content.push(Inline::Link { url: "https://example.com/a?b=1&c=\"2\"".into(), content: vec![] });
    let e = Edition::filter(&p, "public").unwrap();
    let files = render(&e, &assets(&mem), &Options::default()).unwrap();
    let ja = page(&files, "basic-policy/ja.html");
    assert!(!ja.to_ascii_lowercase().contains("javascript:"), "{ja}");
    assert!(!ja.contains("data:text"));
    assert!(ja.contains("押す押す押す押す"));
    assert!(ja.contains(
        "<a href=\"https://example.com/a?b=1&amp;c=&quot;2&quot;\">https://example.com/a?b=1&amp;c=&quot;2&quot;</a>"
    ));
}

#[test]
fn english_pages_mark_stale_and_missing_sections() {
    let mem = source();
    let mut p = project(&mem);
    let d = &mut p.documents[0];
    d.sections[0].translation = Translation::Stale;
    d.sections[0].confirmed = Some("00000000".into());
    d.sections[1].translation = Translation::Missing;
    d.sections[1].en = None;
    let e = Edition::filter(&p, "public").unwrap();
    let files = render(&e, &assets(&mem), &Options::default()).unwrap();
    let en = page(&files, "basic-policy/en.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("tr-stale"), "stale mark");
    assert!(en.contains("tr-missing"), "missing mark");
    // The Japanese fallback text is marked as Japanese, in the heading and in the body.
    assert!(en.contains("<span lang=\"ja\">対象とする脅威</span>"), "{en}");
    assert!(en.contains("<div class=\"sec-body w2\" lang=\"ja\">"));
    assert!(en.contains("The Japanese text is authoritative"));
    let ja = page(&files, "basic-policy/ja.html");
    assert!(!ja.contains("tr-stale") && !ja.contains("tr-missing"));
    assert!(!ja.contains("The Japanese text is authoritative"));
    // The search index leaves the fallback out of English (the Japanese entry holds it).
    let idx = page(&files, "search-index.json");
    assert!(idx.contains("basic-policy/ja.html#threats"));
    assert!(!idx.contains("basic-policy/en.html#threats"));
}

#[test]
fn deep_sections_stay_at_h6_and_headings_never_skip() {
    let mem = source();
    let mut p = project(&mem);
    let d = &mut p.documents[0];
    let mut leaf = d.sections[0].clone();
    leaf.children.clear();
    let mut chain = leaf.clone();
    for depth in (2..=8u8).rev() {
        let mut s = leaf.clone();
        s.id = format!("deep-{depth}");
        s.depth = depth;
        if depth < 8 {
            s.children = vec![chain];
        }
        chain = s;
    }
    d.sections[0].children.push(chain);
    let e = Edition::filter(&p, "public").unwrap();
    let files = render(&e, &assets(&mem), &Options::default()).unwrap();
    let ja = page(&files, "basic-policy/ja.html");
    let mut last = 1;
    let mut seen = 0;
    for (i, _) in ja.match_indices("<h") {
        let Some(n) = ja[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else { continue };
        assert!(n <= last + 1, "h{n} after h{last}");
        last = n;
        seen += 1;
    }
    assert!(seen > 8);
    assert!(ja.contains("<section id=\"deep-8\" class=\"sec depth-8\">\n<div class=\"sec-head\"><h6 class=\"hang w"));
}

#[test]
fn marking_noindex_and_classified_labels_follow_the_edition() {
    let mem = source();
    let p = project(&mem);
    let public = render(&Edition::filter(&p, "public").unwrap(), &assets(&mem), &Options::default()).unwrap();
    let internal = render(&Edition::filter(&p, "internal").unwrap(), &assets(&mem), &Options::default()).unwrap();
    for (name, bytes) in &public {
        let t = String::from_utf8_lossy(bytes);
        assert!(!t.contains("contacts"), "{name}");
        if name.ends_with(".html") {
            assert!(!t.contains("noindex") && !t.contains("class=\"marking"), "{name}");
        }
    }
    let ja = page(&internal, "basic-policy/ja.html");
    assert!(ja.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(ja.contains("<p class=\"marking marking-top\">機密性2 庁内限り</p>"));
    assert!(ja.contains("<p class=\"marking marking-bottom\">機密性2 庁内限り</p>"));
    assert!(ja.contains("<span class=\"level-mark\">機密性2 庁内限り</span>"), "the internal section is labelled");
    let en = page(&internal, "basic-policy/en.html");
    assert!(en.contains("<p class=\"marking marking-top\">Confidentiality 2 Internal use only</p>"));
}

#[test]
fn sitemap_only_for_the_public_edition_with_a_base_url() {
    let mut mem = source();
    let book = String::from_utf8(mem.read("book.toml").unwrap()).unwrap();
    let p = project(&mem);
    assert!(!render(&Edition::filter(&p, "public").unwrap(), &assets(&mem), &Options::default())
        .unwrap()
        .contains_key("sitemap.xml"));
    mem.insert("book.toml", &format!("{book}\n[html]\nbase-url = \"https://www.city.example.jp/policy/\"\n"));
    let p = project(&mem);
    let files = render(&Edition::filter(&p, "public").unwrap(), &assets(&mem), &Options::default()).unwrap();
    let sm = page(&files, "sitemap.xml");
    assert!(sm.contains("<loc>https://www.city.example.jp/policy/basic-policy/ja.html</loc>"), "{sm}");
    assert!(sm.contains("<loc>https://www.city.example.jp/policy/index.html</loc>"));
    assert!(!render(&Edition::filter(&p, "internal").unwrap(), &assets(&mem), &Options::default())
        .unwrap()
        .contains_key("sitemap.xml"));
}

#[test]
fn marking_text_cannot_escape_its_css_string() {
    let css = marking_css("\"; } body { display: none } /*\\");
    assert!(css.contains("\"\\22 \\3b  \\7d  body \\7b  display\\3a  none \\7d  \\2f \\2a \\5c \""), "{css}");
    assert_eq!(css.matches('"').count(), 4, "two strings, nothing else quoted: {css}");
}
