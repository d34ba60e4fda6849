//! What changed in the Japanese of a stale section since its English was confirmed
//! (`policybook translation diff`): the Japanese then against the Japanese now, as a character
//! diff, for the terminal ([`text`]) or as a page ([`html`]), and the same diff per section
//! ([`fragment`]) for the English pages of the site. The texts come from an edition (the book
//! layer filters both revisions); the changed ranges are found by [`super::inline`].

use super::inline::{self, Range};
use crate::config::Lang;
use crate::render::escape::html as escape;
use crate::render::{words, Markup, StaleDiffs};
use std::fmt::Write;

/// A stale section: the Japanese now, and when it was found in git the Japanese the English was
/// confirmed against.
#[derive(Debug, Clone)]
pub struct Stale {
    pub doc: String,
    pub id: String,
    /// The section's number and title now.
    pub heading: String,
    /// The `ja=` fingerprint on the English heading.
    pub confirmed: String,
    /// Where the confirmed Japanese was found ("commit 1a2b3c4d of 2026-04-01"), and its text;
    /// `None` when no version in the history has that fingerprint.
    pub then: Option<(String, String)>,
    pub now: String,
}

/// The sections for the terminal: `-` the Japanese then, `+` now, changed characters marked.
pub fn text(items: &[Stale], color: bool) -> String {
    let mut out = String::new();
    if items.is_empty() {
        out.push_str("no stale translations\n");
    }
    for s in items {
        let _ = writeln!(out, "=== {} {{#{}}} {}", s.doc, s.id, s.heading);
        let Some((found, then)) = &s.then else {
            let _ = writeln!(out, "{}\n", not_found(s, Lang::En));
            continue;
        };
        let (ro, rn) = inline::changes(then, &s.now, Lang::Ja);
        let _ = writeln!(out, "--- confirmed (ja={}, {found})\n+++ now", s.confirmed);
        lines(&mut out, '-', then, &ro, color);
        lines(&mut out, '+', &s.now, &rn, color);
        out.push('\n');
    }
    out
}

fn not_found(s: &Stale, lang: Lang) -> String {
    words::stale_not_found(lang, &s.confirmed, &s.doc, &s.id)
}

/// Prints `text` line by line, each with the part of `ranges` that falls in it.
fn lines(out: &mut String, sign: char, text: &str, ranges: &[Range], color: bool) {
    for (line, r) in split(text, ranges) {
        super::text::line(out, sign, line, &r, color);
    }
}

/// The lines of `text`, each with the ranges (in characters) that fall in it, shifted to it.
fn split<'a>(text: &'a str, ranges: &[Range]) -> Vec<(&'a str, Vec<Range>)> {
    let mut start = 0;
    text.split('\n')
        .map(|l| {
            let end = start + l.chars().count();
            let r = ranges
                .iter()
                .filter(|r| r[0] < end.max(start + 1) && r[1] > start)
                .map(|r| [r[0].max(start) - start, r[1].min(end) - start])
                .filter(|r| r[0] < r[1])
                .collect();
            start = end + 1;
            (l, r)
        })
        .collect()
}

/// A standalone page (in Japanese): each section with the Japanese then and now side by side.
pub fn html(items: &[Stale]) -> String {
    let w = words::stale_diff(Lang::Ja);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n\
         <style>body{{font-family:serif;max-width:80em;margin:2em auto;line-height:1.7}}{STYLE}</style>\n</head>\n<body>\n\
         <h1>{t}</h1>\n",
        t = w.title
    );
    if items.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", w.none);
    }
    for s in items {
        let _ = writeln!(
            out,
            "<section id=\"{}-{}\">\n<h2>{} <code>{{#{}}}</code> {}</h2>",
            escape(&s.doc),
            escape(&s.id),
            escape(&s.doc),
            escape(&s.id),
            escape(&s.heading)
        );
        out.push_str(fragment(s, Lang::Ja).as_str());
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The style of [`fragment`]: the page above has it inline, the site has it in `style.css`.
const STYLE: &str = "table.stale-diff{border-collapse:collapse;width:100%;table-layout:fixed}\
    table.stale-diff th,table.stale-diff td{border:1px solid #000;padding:.3em .6em;vertical-align:top}\
    table.stale-diff td{white-space:pre-wrap}.stale-missing{color:#a00}";

/// One stale section's diff, in the words of `lang`: a table of the Japanese when the English was
/// confirmed (characters gone in `<del>`) and now (characters new in `<ins>`), or a paragraph
/// saying that git history has no version with the confirmed fingerprint. The one piece both the
/// page above and the English pages of the site (through [`fragments`]) show.
pub fn fragment(s: &Stale, lang: Lang) -> Markup {
    let Some((found, then)) = &s.then else {
        return Markup::new(format!("<p class=\"stale-missing\">{}</p>\n", escape(&not_found(s, lang))));
    };
    let (ro, rn) = inline::changes(then, &s.now, Lang::Ja);
    // The texts are Japanese whatever the page's language.
    let ja = if lang == Lang::Ja { "" } else { " lang=\"ja\"" };
    Markup::new(format!(
        "<table class=\"stale-diff\">\n<tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr>\n\
         <tr><td{ja}>{}</td><td{ja}>{}</td></tr>\n</table>\n",
        escape(&words::stale_then(lang, &s.confirmed, found)),
        escape(words::stale_diff(lang).now),
        super::html::tagged(then, &ro, "<del>", "</del>"),
        super::html::tagged(&s.now, &rn, "<ins>", "</ins>")
    ))
}

/// The diff of each stale section in `items`, for the pages in `lang`.
pub fn fragments(items: &[Stale], lang: Lang) -> StaleDiffs {
    let mut out = StaleDiffs::default();
    for s in items {
        out.insert(&s.doc, &s.id, fragment(s, lang));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_split_by_line() {
        assert_eq!(split("ab\ncd", &[[1, 4]]), vec![("ab", vec![[1, 2]]), ("cd", vec![[0, 1]])]);
    }

    #[test]
    fn the_changed_characters_are_marked() {
        let s = Stale {
            doc: "d".into(),
            id: "s".into(),
            heading: "1 目的".into(),
            confirmed: "00000000".into(),
            then: Some(("commit 1234567 of 2026-04-01".into(), "目的\n職員は管理する。".into())),
            now: "目的\n職員は運用する。".into(),
        };
        let t = text(std::slice::from_ref(&s), false);
        assert!(t.contains("-職員は[-管理-]する。") && t.contains("+職員は{+運用+}する。"), "{t}");
        let h = html(std::slice::from_ref(&s));
        assert!(h.contains("職員は<del>管理</del>する。") && h.contains("職員は<ins>運用</ins>する。"), "{h}");
        let en = fragments(std::slice::from_ref(&s), Lang::En);
        let f = en.get("d", "s").unwrap().as_str();
        assert!(f.contains("<td lang=\"ja\">目的\n職員は<ins>運用</ins>する。</td>"), "{f}");
        assert!(f.contains("When confirmed (ja=00000000, commit 1234567 of 2026-04-01)"), "{f}");
        let gone = Stale { then: None, heading: "<b>".into(), ..s };
        let f = fragment(&gone, Lang::En);
        assert!(f.as_str().contains("not in the git history") && !f.as_str().contains("<b>"), "{}", f.as_str());
    }
}
