//! What changed in the Japanese of a stale section since its English was confirmed
//! (`policybook translation diff`): the Japanese then against the Japanese now, as a character
//! diff, for the terminal ([`text`]) or as a page ([`html`]). The texts come from an edition (the
//! book layer filters both revisions); the changed ranges are found by [`super::inline`].

use super::inline::{self, Range};
use crate::config::Lang;
use crate::render::escape::html as escape;
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
            let _ = writeln!(out, "{}\n", not_found(s));
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

fn not_found(s: &Stale) -> String {
    format!(
        "the Japanese text the English was confirmed against (ja={}) is not in the git history of HEAD: \
         compare the English with the Japanese now, then run `policybook confirm {} {}`",
        s.confirmed, s.doc, s.id
    )
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

/// A standalone page: each section with the Japanese then and now side by side, changes underlined.
pub fn html(items: &[Stale]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>英訳の確認後に変わった日本語</title>\n\
         <style>body{font-family:serif;max-width:80em;margin:2em auto;line-height:1.7}\
         table{border-collapse:collapse;width:100%;table-layout:fixed}th,td{border:1px solid #000;padding:.3em .6em;vertical-align:top}\
         td{white-space:pre-wrap}u.chg{text-decoration:underline}.missing{color:#a00}</style>\n</head>\n<body>\n\
         <h1>英訳の確認後に変わった日本語</h1>\n",
    );
    if items.is_empty() {
        out.push_str("<p>要確認の英訳はありません。</p>\n");
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
        match &s.then {
            None => {
                let _ = writeln!(out, "<p class=\"missing\">{}</p>", escape(&not_found(s)));
            }
            Some((found, then)) => {
                let (ro, rn) = inline::changes(then, &s.now, Lang::Ja);
                let _ = writeln!(
                    out,
                    "<table>\n<tr><th>確認時（ja={}、{}）</th><th>現在</th></tr>\n<tr><td>{}</td><td>{}</td></tr>\n</table>",
                    escape(&s.confirmed),
                    escape(found),
                    super::html::marked(then, &ro),
                    super::html::marked(&s.now, &rn)
                );
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
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
        let h = html(&[s]);
        assert!(h.contains("職員は<u class=\"chg\">運用</u>する。"), "{h}");
    }
}
