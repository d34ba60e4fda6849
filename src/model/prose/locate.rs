//! Where a piece of model text stands in its source file, and the allow markers of the sources.
//!
//! The model keeps the place of each heading, not of each word. A hit is found again in the file
//! from its passage's heading on: the text just before and including it, at the occurrence the
//! model counts, skipping what Markdown drops between two characters (a line break and the
//! indentation after it, `*`, `_`, `\`). Where it cannot be found the heading's place stands.

use crate::diag::Loc;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// A passage's text and where its heading stands (line 0: a preamble, from the body's start).
pub struct Spot<'a> {
    pub file: &'a str,
    pub line: u32,
    pub text: &'a str,
}

/// Finds hits in the Markdown files read while loading.
pub struct Locator<'a> {
    pub texts: &'a BTreeMap<String, String>,
}

impl Locator<'_> {
    /// The place of `range` of a passage's text.
    pub fn find(&self, spot: &Spot, range: Range<usize>) -> Loc {
        let fallback = Loc::new(spot.file, spot.line.max(1), 1);
        let Some(src) = self.texts.get(spot.file) else { return fallback };
        let from = context_start(spot.text, range.start);
        let needle = &spot.text[from..range.end];
        let nth = (0..from).filter(|&i| spot.text.is_char_boundary(i) && spot.text[i..].starts_with(needle)).count();
        let mut at = start_offset(src, spot.line);
        let mut k = 0;
        while let Some((start, mark)) = next_match(src, at, needle, range.start - from) {
            if k == nth {
                let (line, column) = crate::diag::line_col(src, mark);
                return Loc::new(spot.file, line, column);
            }
            k += 1;
            at = start + src[start..].chars().next().map_or(1, char::len_utf8);
        }
        fallback
    }
}

/// Where the text used to find `start` begins: up to 6 characters before it, within its run.
fn context_start(text: &str, start: usize) -> usize {
    let stop = |c: char| matches!(c, '\n' | super::rules::RUN | super::rules::OBJECT);
    let mut from = start;
    for (i, c) in text[..start].char_indices().rev().take(6) {
        if stop(c) {
            break;
        }
        from = i;
    }
    from
}

/// The byte offset of line `line` (1-based); the start of the body after front matter for 0.
fn start_offset(src: &str, line: u32) -> usize {
    if line == 0 {
        let body_line = super::super::frontmatter::split(src).map_or(1, |s| s.body_line_offset + 1);
        return start_offset(src, body_line);
    }
    src.split_inclusive('\n').take(line as usize - 1).map(str::len).sum()
}

/// The first match of `needle` in `src` from `at`: its start, and the source offset of the needle's
/// byte `mark`.
fn next_match(src: &str, at: usize, needle: &str, mark: usize) -> Option<(usize, usize)> {
    let first = needle.chars().next()?;
    src[at..].match_indices(first).find_map(|(i, _)| matches_at(src, at + i, needle, mark).map(|m| (at + i, m)))
}

/// Whether `needle` stands at `at` (Markdown's gaps skipped); the source offset of byte `mark`.
fn matches_at(src: &str, at: usize, needle: &str, mark: usize) -> Option<usize> {
    let mut s = src[at..].char_indices().map(|(i, c)| (at + i, c)).peekable();
    let mut marked = at;
    for (k, n) in needle.char_indices() {
        let mut newline = false;
        loop {
            let (i, c) = s.next()?;
            let hit = c == n || (n == ' ' && c == '\n');
            if hit {
                if k == mark {
                    marked = i;
                }
                if c == '\n' {
                    while s.next_if(|&(_, c)| matches!(c, ' ' | '\t' | '>')).is_some() {}
                }
                break;
            }
            newline |= c == '\n';
            let gap = matches!(c, '\n' | '\r' | '*' | '_' | '\\') || (newline && matches!(c, ' ' | '\t' | '>'));
            if k == 0 || !gap {
                return None;
            }
        }
    }
    Some(marked)
}

/// `<!-- policybook: allow CODE[, CODE…] -->`: the codes a marker allows, if `html` is one.
pub fn marker(html: &str) -> Option<Vec<&str>> {
    let inner = html.trim().strip_prefix("<!--")?.strip_suffix("-->")?;
    if inner.contains("--") || inner.contains('\n') {
        return None;
    }
    let rest = inner.trim().strip_prefix("policybook:")?.trim_start().strip_prefix("allow")?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let codes: Vec<&str> = rest.split([',', ' ', '\t']).filter(|s| !s.is_empty()).collect();
    (!codes.is_empty()).then_some(codes)
}

/// A marker in a file: its line and the codes it names.
pub struct Marker {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub codes: Vec<String>,
}

/// The markers of the files, and what they allow: (file, line, code). A marker allows its codes
/// on its own line and, when it stands alone on its line, on the next one.
pub fn markers(texts: &BTreeMap<String, String>) -> (Vec<Marker>, BTreeSet<(String, u32, String)>) {
    let mut found = Vec::new();
    let mut allowed = BTreeSet::new();
    // Most files hold no comment at all: one search of the whole text passes them.
    for (file, text) in texts.iter().filter(|(_, t)| t.contains("<!--")) {
        for (n, line) in text.lines().enumerate() {
            let line_no = n as u32 + 1;
            let Some(open) = line.find("<!--") else { continue };
            let Some(close) = line[open..].find("-->").map(|c| open + c + 3) else { continue };
            let Some(codes) = marker(&line[open..close]) else { continue };
            let alone = line.trim() == &line[open..close];
            for code in &codes {
                allowed.insert((file.clone(), line_no, code.to_string()));
                if alone {
                    allowed.insert((file.clone(), line_no + 1, code.to_string()));
                }
            }
            let column = line[..open].chars().count() as u32 + 1;
            let codes = codes.into_iter().map(str::to_string).collect();
            found.push(Marker { file: file.clone(), line: line_no, column, codes });
        }
    }
    (found, allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_strictly() {
        assert_eq!(marker("<!-- policybook: allow prose-doubled -->"), Some(vec!["prose-doubled"]));
        assert_eq!(marker("<!--policybook: allow a, b-->\n"), Some(vec!["a", "b"]));
        for not in ["<!-- note -->", "<!-- policybook: allowx -->", "<!-- policybook: allow -->", "<!-- a --> b -->"] {
            assert_eq!(marker(not), None, "{not}");
        }
    }

    #[test]
    fn hits_are_found_across_line_breaks_and_markup() {
        let src = "---\nid: x\n---\n# 見出し {#a}\n\n情報の管理。個人情報\n情報の漏えい。**情報**情報\n";
        let texts = BTreeMap::from([("f.md".to_string(), src.to_string())]);
        let l = Locator { texts: &texts };
        let text = "見出し\u{2029}情報の管理。個人情報情報の漏えい。情報情報";
        let spot = Spot { file: "f.md", line: 4, text };
        let at = |needle_nth: usize| {
            let start = text.match_indices("情報情報").nth(needle_nth).unwrap().0 + "情報".len();
            let loc = l.find(&spot, start..start + "情報".len());
            (loc.line, loc.column)
        };
        assert_eq!(at(0), (7, 1), "the second 情報 opens line 7");
        assert_eq!(at(1), (7, 14), "after the emphasis");
        let none = l.find(&spot, 0..3);
        assert_eq!((none.line, none.column), (4, 3), "the heading's text");
    }
}
