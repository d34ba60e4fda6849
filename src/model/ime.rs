//! Input-method slips: Markdown syntax typed in full width (＃, ｛＃id｝, ［］（）, ＊＊, ：：：, ｜),
//! list items typed with full-width marks or with the printed number (１．, （１）, ア　), a
//! 全角スペース typed to indent a paragraph. Found on the raw lines of a file body (outside code
//! blocks and code spans), at the place they were typed, each with its fix.
//!
//! [`check`] runs while loading: it reports every slip and returns the text the parser reads,
//! with the safe fixes of the *error* slips applied (each replaces characters one for one, so the
//! places of other diagnostics stay true). A lost `＃` heading therefore raises `ime-heading` at
//! its place and nothing else (no `parity-extra` in the English file, no `translation-stale`);
//! the project still has an error, so nothing is published until the source is fixed. Warnings
//! are reported only: the model keeps what was typed. [`fix_text`] applies every safe fix to a
//! whole file for `policybook fix`, byte for byte elsewhere.

use super::frontmatter;
use crate::diag::{Diagnostic, LineIndex, Loc, Severity};
use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

/// The codes of the slips; their messages (`{fix}`: the corrected text, `{mark}`: what was typed)
/// are in the catalogue (`diag/catalogue.rs`).
pub const CODES: &[&str] = &[
    "ime-heading",
    "ime-heading-id",
    "ime-heading-space",
    "ime-link",
    "ime-ref-hash",
    "ime-emphasis",
    "ime-container",
    "ime-table",
    "ime-list-marker",
    "ime-typed-number",
    "ime-indent",
    "ime-indent-joined",
    "ime-blank-line",
];

/// One slip in a file body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub code: &'static str,
    /// Byte offset (in the body) of the first character typed wrong: the diagnostic's place.
    pub at: usize,
    /// What the fix replaces.
    pub range: Range<usize>,
    /// The safe replacement of `range`; `None` when only the author can say.
    pub fix: Option<String>,
    /// The corrected text or line, for the hint (`{fix}`).
    pub shown: String,
    /// What was typed, for the message (`{mark}`).
    pub mark: String,
}

impl Slip {
    fn new(code: &'static str, at: usize, range: Range<usize>, fix: Option<String>, shown: String) -> Slip {
        Slip { code, at, range, fix, shown, mark: String::new() }
    }

    pub fn is_error(&self) -> bool {
        crate::diag::catalogue::severity(self.code) == Some(Severity::Error)
    }

    /// The slip as a diagnostic in `file`, whose body is `text`, `line_offset` lines down.
    pub fn diagnostic(&self, file: &str, text: &str, lines: &LineIndex, line_offset: u32) -> Diagnostic {
        let (line, column) = lines.line_col(text, self.at);
        let loc = Loc::new(file, line + line_offset, column);
        Diagnostic::new(self.code, loc).arg("fix", &self.shown).arg("mark", &self.mark)
    }
}

/// Reports the slips of a file body (`line_offset` lines below the file's start) and returns the
/// text to parse: the body with the safe fixes of the error slips applied.
pub(crate) fn check(file: &str, text: String, line_offset: u32, diags: &mut Vec<Diagnostic>) -> String {
    let slips = scan(&text);
    if slips.is_empty() {
        return text;
    }
    let lines = LineIndex::new(&text);
    diags.extend(slips.iter().map(|s| s.diagnostic(file, &text, &lines, line_offset)));
    apply(&text, slips.iter().filter(|s| s.is_error()))
}

/// `text` with the fixes of `slips` applied (a fix overlapping an earlier one is left out).
pub fn apply<'a>(text: &str, slips: impl IntoIterator<Item = &'a Slip>) -> String {
    let mut fixes: Vec<(&Range<usize>, &str)> =
        slips.into_iter().filter_map(|s| s.fix.as_deref().map(|f| (&s.range, f))).collect();
    fixes.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (r, f) in fixes {
        if r.start < pos {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(f);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// A line `policybook fix` changed (1-based line of the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub line: u32,
    pub before: String,
    pub after: String,
}

/// What fixing one file gives: its new text, the lines changed, and the slips left to the author.
#[derive(Debug)]
pub struct FileFix {
    pub text: String,
    pub changes: Vec<Change>,
    pub left: Vec<Diagnostic>,
}

/// Applies every safe fix to a whole source file (front matter and byte order mark kept as they
/// are, never touched). The slips left are placed in the fixed text.
pub fn fix_text(file: &str, text: &str) -> FileFix {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let (start, line_offset) = match frontmatter::split(&text[bom..]) {
        Some(s) => (text.len() - s.body.len(), s.body_line_offset),
        None => (bom, 0),
    };
    let body = &text[start..];
    // A slip inside another one (emphasis inside a link) is fixed on the next round.
    let mut fixed = body.to_string();
    let mut slips = scan(&fixed);
    for _ in 0..4 {
        let next = apply(&fixed, &slips);
        if next == fixed {
            break;
        }
        fixed = next;
        slips = scan(&fixed);
    }
    // What is left, at its place in the fixed file (where the author will look for it).
    let lines = LineIndex::new(&fixed);
    let left =
        slips.iter().filter(|s| s.fix.is_none()).map(|s| s.diagnostic(file, &fixed, &lines, line_offset)).collect();
    let changes = body
        .lines()
        .zip(fixed.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| Change { line: i as u32 + 1 + line_offset, before: a.to_string(), after: b.to_string() })
        .collect();
    FileFix { text: format!("{}{fixed}", &text[..start]), changes, left }
}

/// What the line before says about the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// A blank line or the start of the body: the next text line starts a paragraph.
    Blank,
    /// A heading, a `:::` line, a table or a code block: the next text line starts a block too.
    Block,
    /// Text: the next text line continues its paragraph.
    Text,
}

/// Every slip of a file body, in order.
pub fn scan(text: &str) -> Vec<Slip> {
    let (blocks, spans) = code_ranges(text);
    let overlaps = |r: &Range<usize>, a: usize, b: usize| r.start < b.max(a + 1) && a < r.end;
    let mut out = Vec::new();
    let mut prev = Prev::Blank;
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        prev = if blocks.iter().any(|r| overlaps(r, at, at + line.len())) {
            Prev::Block
        } else {
            scan_line(line, at, prev, &mut out)
        };
        at += raw.len();
    }
    out.retain(|s| !spans.iter().any(|r| overlaps(r, s.range.start, s.range.end)));
    out
}

/// The code blocks and the code spans of a body, where nothing is a slip.
fn code_ranges(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut blocks, mut spans) = (Vec::new(), Vec::new());
    if !may_hold_code(text) {
        return (blocks, spans);
    }
    for (e, r) in Parser::new_ext(text, super::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(Tag::CodeBlock(_)) => blocks.push(r),
            Event::Code(_) => spans.push(r),
            _ => {}
        }
    }
    (blocks, spans)
}

/// Whether a body may hold code at all, without parsing it: a code span needs a backtick, a fenced
/// block a backtick or a tilde, an indented block four columns of indentation (four spaces in a
/// row or a tab, whatever list or quote it stands in). Most bodies have none of these, and are
/// not parsed a second time just to find no code.
fn may_hold_code(text: &str) -> bool {
    text.contains(['`', '~', '\t']) || text.contains("    ")
}

const FULL_SPACE: char = '\u{3000}';

/// Whether `c` is the full-width form of an ASCII character (！ to ～) or the 全角スペース.
fn is_full(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | FULL_SPACE)
}

/// `s` with full-width forms of ASCII characters and the 全角スペース made half width.
fn half(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            FULL_SPACE => ' ',
            _ => c,
        })
        .collect()
}

/// Byte offset in `s` of the first character for which `f` holds.
fn first(s: &str, f: impl Fn(char) -> bool) -> Option<usize> {
    s.char_indices().find(|&(_, c)| f(c)).map(|(i, _)| i)
}

/// `line` with `range` (offsets in the body, the line at `at`) replaced by `fix`, trimmed.
fn fixed_line(line: &str, at: usize, range: &Range<usize>, fix: &str) -> String {
    format!("{}{fix}{}", &line[..range.start - at], &line[range.end - at..]).trim().to_string()
}

fn scan_line(line: &str, at: usize, prev: Prev, out: &mut Vec<Slip>) -> Prev {
    let rest = line.trim_start_matches([' ', '\t', FULL_SPACE]);
    let lead = &line[..line.len() - rest.len()];
    let rest_at = at + lead.len();
    if rest.trim_end_matches([' ', '\t', FULL_SPACE]).is_empty() {
        if let Some(i) = first(line, |c| c == FULL_SPACE) {
            let slip = Slip::new("ime-blank-line", at + i, at..at + line.len(), Some(String::new()), String::new());
            out.push(slip);
        }
        return Prev::Blank;
    }
    if heading(line, lead.len(), at, out) {
        return Prev::Block;
    }
    let block = container(rest, rest_at, out) || table(rest, rest_at, out);
    let item = !block && (list_marker(rest, rest_at, out) || typed_number(rest, rest_at, prev, out));
    indent(lead, at, prev == Prev::Text && !item && !block, out);
    if !block {
        links(rest, rest_at, out);
        emphasis(rest, rest_at, out);
    }
    if block {
        Prev::Block
    } else {
        Prev::Text
    }
}

/// A heading line, typed right or with slips: reports the slips, true if it is one.
fn heading(line: &str, lead: usize, at: usize, out: &mut Vec<Slip>) -> bool {
    let rest = &line[lead..];
    let marks = rest.chars().take_while(|&c| matches!(c, '#' | '＃')).count();
    if marks == 0 || marks > 6 {
        return false;
    }
    let marks_len: usize = rest.chars().take(marks).map(char::len_utf8).sum();
    let sep = rest[marks_len..].chars().next();
    // `＃目的 {#purpose}`: no space after the mark, but the `{#id}` says a heading was meant.
    let glued = !matches!(sep, None | Some(' ' | '\t' | FULL_SPACE));
    if glued && attribute_start(rest).is_none_or(|open| open <= marks_len) {
        return false;
    }
    let end = lead + marks_len + if glued { 0 } else { sep.map_or(0, char::len_utf8) };
    let typed = first(&line[..end], |c| c == '＃' || c == FULL_SPACE).or(glued.then_some(end));
    if let Some(i) = typed {
        let keep = if line[..lead].contains(FULL_SPACE) { "" } else { &line[..lead] };
        let fix = format!("{keep}{} ", "#".repeat(marks));
        let range = at..at + end;
        let shown = fixed_line(line, at, &range, &fix);
        out.push(Slip::new("ime-heading", at + i, range, Some(fix), shown));
    }
    attributes(line, at, out);
    true
}

/// Where the `{#id .class}` block at the end of a heading line opens (braces of either width).
fn attribute_start(line: &str) -> Option<usize> {
    let trimmed = line.trim_end_matches([' ', '\t', FULL_SPACE]);
    if !trimmed.ends_with(['}', '｝']) {
        return None;
    }
    let open = trimmed.rfind(['{', '｛'])?;
    let brace = trimmed[open..].chars().next().map_or(1, char::len_utf8);
    let inner = trimmed[open + brace..].trim_start_matches([' ', FULL_SPACE]);
    inner.starts_with(['#', '＃', '.', '．']).then_some(open)
}

/// The `{#id .class}` block at the end of a heading line: full-width characters in or after it,
/// a 全角スペース before it.
fn attributes(line: &str, at: usize, out: &mut Vec<Slip>) {
    let Some(open) = attribute_start(line) else { return };
    let body = line.trim_end_matches([' ', '\t']);
    let trimmed = body.trim_end_matches([' ', '\t', FULL_SPACE]);
    if let Some(i) = first(&body[open..], is_full) {
        let range = at + open..at + body.len();
        let fix = half(&trimmed[open..]);
        out.push(Slip::new("ime-heading-id", at + open + i, range, Some(fix.clone()), fix));
    }
    let before = &line[..open];
    let gap = before.len() - before.trim_end_matches([' ', '\t', FULL_SPACE]).len();
    if let Some(i) = first(&before[open - gap..], |c| c == FULL_SPACE) {
        let range = at + open - gap..at + open;
        let shown = fixed_line(line, at, &range, " ");
        out.push(Slip::new("ime-heading-space", at + open - gap + i, range, Some(" ".into()), shown));
    }
}

/// A `:::` line with full-width characters (：：：, ｒｅｓｔｒｉｃｔｅｄ). True if the line is a
/// `:::` line at all.
fn container(rest: &str, at: usize, out: &mut Vec<Slip>) -> bool {
    if rest.chars().take(3).filter(|&c| matches!(c, ':' | '：')).count() < 3 {
        return false;
    }
    let t = rest.trim_end_matches([' ', '\t', FULL_SPACE]);
    if let Some(i) = first(t, |c| matches!(c, '\u{FF01}'..='\u{FF5E}')) {
        let fix = half(t).trim_end().to_string();
        out.push(Slip::new("ime-container", at + i, at..at + t.len(), Some(fix.clone()), fix));
    }
    true
}

/// A table row `｜ a ｜ b ｜` or delimiter row `｜－－｜－－｜` typed with full-width marks. True if
/// the line is a table line.
fn table(rest: &str, at: usize, out: &mut Vec<Slip>) -> bool {
    let t = rest.trim_end_matches([' ', '\t', FULL_SPACE]);
    let pipe = |c: char| matches!(c, '|' | '｜');
    let dash = |c: char| matches!(c, '-' | '－' | 'ー' | '―');
    let delim = t.chars().all(|c| pipe(c) || dash(c) || matches!(c, ':' | '：' | ' ' | FULL_SPACE))
        && t.chars().any(dash)
        && t.chars().any(pipe);
    let row = t.starts_with(pipe) && t.ends_with(pipe) && t.chars().count() >= 2;
    if !(row || delim) {
        return false;
    }
    let wrong = |c: char| c == '｜' || delim && (is_full(c) || matches!(c, 'ー' | '―'));
    if let Some(i) = first(t, wrong) {
        let fix: String = t
            .chars()
            .map(|c| match c {
                '｜' => '|',
                'ー' | '―' | '－' if delim => '-',
                '：' if delim => ':',
                FULL_SPACE if delim => ' ',
                _ => c,
            })
            .collect();
        out.push(Slip::new("ime-table", at + i, at..at + t.len(), Some(fix.clone()), fix));
    }
    true
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '０'..='９')
}

/// A list item's mark typed in full width (`１．`, `＊　`) or followed by a 全角スペース (`1.　`).
/// True if the line starts with such a mark.
fn list_marker(rest: &str, at: usize, out: &mut Vec<Slip>) -> bool {
    let digits = rest.chars().take_while(|&c| is_digit(c)).count();
    let (mark, mark_len) = if (1..=3).contains(&digits) {
        let d: usize = rest.chars().take(digits).map(char::len_utf8).sum();
        match rest[d..].chars().next() {
            Some(p @ ('.' | '．')) if !rest[d + p.len_utf8()..].starts_with(is_digit) => {
                (format!("{}.", half(&rest[..d])), d + p.len_utf8())
            }
            _ => return false,
        }
    } else {
        match rest.chars().next() {
            // Not a decoration such as 「－　以下余白　－」, which ends with its mark.
            Some(c @ ('＊' | '－' | '＋' | '*' | '-' | '+'))
                if !rest.trim_end().ends_with(c) || rest.len() == c.len_utf8() =>
            {
                (half(&c.to_string()), c.len_utf8())
            }
            _ => return false,
        }
    };
    let sep = rest[mark_len..].chars().next().filter(|&c| matches!(c, ' ' | '\t' | FULL_SPACE));
    let full_mark = rest[..mark_len].chars().any(is_full);
    let ordered = digits > 0;
    if !(full_mark && (ordered || sep.is_some()) || sep == Some(FULL_SPACE)) {
        return false;
    }
    let range = at..at + mark_len + sep.map_or(0, char::len_utf8);
    let fix = format!("{mark} ");
    let shown = format!("{fix}{}", &rest[range.end - at..]).trim().to_string();
    let mark = rest[..range.end - at].trim_end().to_string();
    out.push(Slip { mark, ..Slip::new("ime-list-marker", at, range, Some(fix), shown) });
    true
}

const IROHA: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";

/// Words that follow a number cited in prose (（１）の規定, （２）及び（３）): not an item.
const AFTER_CITED: &str = "のにをはがでともへや、。，．）」及又並若かまよ";

/// A number typed at the start of a line where a list item was meant: （１）, (1), （ア）, ア　,
/// １　, or a bullet ・. True if found.
fn typed_number(rest: &str, at: usize, prev: Prev, out: &mut Vec<Slip>) -> bool {
    let Some((len, spaced_only)) = typed_mark(rest) else { return false };
    let next = rest[len..].chars().next();
    let spaced = next.is_some_and(|c| matches!(c, ' ' | '\t' | FULL_SPACE));
    // Inside a paragraph a wrapped line may start with a cited "(1) above": there only the
    // 全角スペース an item is typed with counts.
    let starts_item = rest.starts_with('・')
        || if prev == Prev::Text {
            next == Some(FULL_SPACE)
        } else {
            spaced || !spaced_only && next.is_some_and(|c| !AFTER_CITED.contains(c))
        };
    if !starts_item {
        return false;
    }
    let mark = rest[..len].to_string();
    out.push(Slip { mark, ..Slip::new("ime-typed-number", at, at..at + len, None, String::new()) });
    true
}

/// The length of a typed number at the start of `rest`, and whether it counts only when a space
/// follows it.
fn typed_mark(rest: &str) -> Option<(usize, bool)> {
    let mut chars = rest.char_indices();
    let (_, c) = chars.next()?;
    if c == '・' {
        return Some((c.len_utf8(), false));
    }
    if matches!(c, '(' | '（') {
        let inner = &rest[c.len_utf8()..];
        let n = number_len(inner)?;
        let close = inner[n..].chars().next().filter(|&c| matches!(c, ')' | '）'))?;
        return Some((c.len_utf8() + n + close.len_utf8(), false));
    }
    let n = number_len(rest)?;
    let full_space = rest[n..].starts_with(FULL_SPACE);
    let kana = IROHA.contains(c);
    (full_space || kana && rest[n..].starts_with(' ')).then_some((n, true))
}

/// The length of a number at the start of `s`: 1 to 3 digits, or one イロハ katakana.
fn number_len(s: &str) -> Option<usize> {
    let c = s.chars().next()?;
    if IROHA.contains(c) {
        return Some(c.len_utf8());
    }
    let n = s.chars().take_while(|&c| is_digit(c)).count();
    (1..=3).contains(&n).then(|| s.chars().take(n).map(char::len_utf8).sum())
}

/// A 全角スペース typed in the indentation of a text line.
fn indent(lead: &str, at: usize, joined: bool, out: &mut Vec<Slip>) {
    let Some(i) = first(lead, |c| c == FULL_SPACE) else { return };
    let range = at..at + lead.len();
    if joined {
        out.push(Slip::new("ime-indent-joined", at + i, range, None, String::new()));
    } else {
        let fix: String = lead.chars().filter(|&c| c != FULL_SPACE).collect();
        out.push(Slip::new("ime-indent", at + i, range, Some(fix), String::new()));
    }
}

/// Links and references with full-width brackets (`［］（＃threats）`) or a full-width target
/// (`[](＃threats)`).
fn links(line: &str, at: usize, out: &mut Vec<Slip>) {
    let mut from = 0;
    while let Some(i) = line[from..].find(['[', '［']) {
        let open = from + i;
        match link_at(line, open, at) {
            Some(slip) => {
                from = slip.range.end - at;
                out.push(slip);
            }
            None => from = open + line[open..].chars().next().map_or(1, char::len_utf8),
        }
    }
}

fn link_at(line: &str, open: usize, at: usize) -> Option<Slip> {
    let len = |i: usize| line[i..].chars().next().map_or(1, char::len_utf8);
    let text_start = open + len(open);
    let close = text_start + line[text_start..].find([']', '］'])?;
    let text = &line[text_start..close];
    if text.contains(['[', '［']) {
        return None;
    }
    let paren = close + len(close);
    if !line[paren..].starts_with(['(', '（']) {
        return None;
    }
    let target_start = paren + len(paren);
    let end_paren = target_start + line[target_start..].find([')', '）'])?;
    let end = end_paren + len(end_paren);
    let target = &line[target_start..end_paren];
    let marks = [open, close, paren, end_paren];
    let wide_marks = marks.iter().any(|&i| !line[i..].starts_with(['[', ']', '(', ')']));
    let t = half(target).trim().to_string();
    let url = ["https://", "http://", "mailto:"].iter().any(|p| t.starts_with(p));
    if !(wide_marks || target.chars().any(is_full) && !url) || !is_target(&t, text.is_empty()) {
        return None;
    }
    let in_target = first(target, is_full).map(|i| target_start + i);
    let place = marks.iter().copied().filter(|&i| !line[i..].starts_with(['[', ']', '(', ')'])).chain(in_target);
    let fix = format!("[{text}]({t})");
    let code = if wide_marks { "ime-link" } else { "ime-ref-hash" };
    Some(Slip::new(code, at + place.min()?, at + open..at + end, Some(fix.clone()), fix))
}

/// Whether `t` (made half width) is a link target: a web address, `#id`, `doc#id`, or a bare
/// `doc` (only with an empty link text, as a reference to a document is written).
fn is_target(t: &str, empty_text: bool) -> bool {
    if ["https://", "http://", "mailto:"].iter().any(|p| t.starts_with(p)) {
        return !t.contains(char::is_whitespace);
    }
    let key = |s: &str, extra: char| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == extra)
    };
    match t.split_once('#') {
        Some((doc, section)) => (doc.is_empty() || key(doc, '-')) && key(section, '/'),
        None => empty_text && key(t, '-') && t.chars().any(|c| c.is_ascii_lowercase()),
    }
}

/// Emphasis typed with full-width asterisks: `＊＊重要＊＊`. (A single ＊ is a note mark in
/// Japanese prose, and is left alone.)
fn emphasis(line: &str, at: usize, out: &mut Vec<Slip>) {
    const MARK: &str = "＊＊";
    let mut from = 0;
    while let Some(i) = line[from..].find(MARK) {
        let s = from + i;
        let inner_start = s + MARK.len();
        let Some(j) = line[inner_start..].find(MARK) else { return };
        let inner = &line[inner_start..inner_start + j];
        let ws = |c: char| c.is_whitespace();
        if inner.is_empty() || inner.starts_with(ws) || inner.ends_with(ws) || inner.contains('＊') {
            from = inner_start;
            continue;
        }
        let end = inner_start + j + MARK.len();
        let fix = format!("**{inner}**");
        out.push(Slip::new("ime-emphasis", at + s, at + s..at + end, Some(fix.clone()), fix));
        from = end;
    }
}

#[cfg(test)]
mod tests;
