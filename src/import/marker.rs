//! The numbering a line starts with: 1 / (1) / ア / (ア) / a / (a), 第N章 / 節 / 款, 第N条(のM),
//! 附則, 別表, 2―3―1, 第N部, and a 見出し （目的） standing alone. Full-width and half-width alike.

use super::text::{fold, kanji_number, skip_chars};

/// The kinds of numbering of administrative style, shallowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Num,
    Paren,
    Kata,
    ParenKata,
    Latin,
    ParenLatin,
}

impl Kind {
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// What a line starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// 第N部: a part of a larger book.
    Part(u32),
    /// 第N章 (0), 節 (1), 款 (2).
    Chapter(u8, u32),
    /// 第N条, 第N条のM.
    Article(u32, Option<u32>),
    /// A 見出し alone on its line: （目的）.
    Caption(String),
    /// 附則, 附　則（令和９年３月31日訓令第５号）: the text in brackets, if any.
    Supplementary(String),
    /// 別表, 別表第1（第5条関係）.
    AppendedTable,
    /// An administrative number of a kind, its ordinal, and a branch (…の2).
    Item(Kind, u32, Option<u32>),
    /// 2―3―1: a dash number, its parts.
    Dash(Vec<u32>),
}

/// A line split into its marker and the rest of its text (the original characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked<'a> {
    pub marker: Marker,
    pub rest: &'a str,
}

const KATA: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";

fn digits(f: &[char], at: usize) -> Option<(u32, usize)> {
    let n = f[at.min(f.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 4 {
        return None;
    }
    let s: String = f[at..at + n].iter().collect();
    Some((s.parse().ok()?, at + n))
}

/// A number in 第…: Arabic (either width) or kanji.
fn ordinal(f: &[char], at: usize) -> Option<(u32, usize)> {
    if let Some(d) = digits(f, at) {
        return Some(d);
    }
    let n = f[at.min(f.len())..].iter().take_while(|c| "〇一二三四五六七八九十".contains(**c)).count();
    let s: String = f[at..at + n].iter().collect();
    Some((kanji_number(&s)?, at + n))
}

/// `のN` after a number: a branch number.
fn branch(f: &[char], at: usize) -> (Option<u32>, usize) {
    if f.get(at) == Some(&'の') {
        if let Some((n, end)) = ordinal(f, at + 1) {
            return (Some(n), end);
        }
    }
    (None, at)
}

/// Spaces or a tab after a marker; `required` when the marker could begin a word.
fn gap(f: &[char], at: usize, required: bool) -> Option<usize> {
    let n = f[at.min(f.len())..].iter().take_while(|c| **c == ' ' || **c == '\t').count();
    (n > 0 || !required || at == f.len()).then_some(at + n)
}

fn enclosed(f: &[char], at: usize) -> Option<(char, usize)> {
    (f.get(at) == Some(&'(') && f.get(at + 2) == Some(&')')).then(|| (f[at + 1], at + 3))
}

/// The marker a line (without its indentation) starts with, if any.
pub fn parse(line: &str) -> Option<Marked<'_>> {
    let f: Vec<char> = fold(line).chars().collect();
    let (marker, end) = reiki(&f).or_else(|| admin(&f))?;
    Some(Marked { marker, rest: skip_chars(line, end) })
}

fn reiki(f: &[char]) -> Option<(Marker, usize)> {
    let compact: String = f.iter().filter(|c| **c != ' ').collect();
    if let Some(rest) = compact.strip_prefix("附則") {
        if rest.is_empty() || (rest.starts_with('(') && rest.ends_with(')')) {
            let inner = rest.trim_start_matches('(').trim_end_matches(')').to_string();
            return Some((Marker::Supplementary(inner), f.len()));
        }
    }
    if compact.starts_with("別表") && (compact.len() == "別表".len() || compact[6..].starts_with(['第', '('])) {
        return Some((Marker::AppendedTable, f.len()));
    }
    if f.first() == Some(&'(') && f.last() == Some(&')') && (3..=20).contains(&f.len()) {
        let inner: String = f[1..f.len() - 1].iter().collect();
        if !inner.contains(['(', ')']) && !inner.chars().all(|c| c.is_ascii_alphanumeric() || KATA.contains(c)) {
            return Some((Marker::Caption(inner), f.len()));
        }
    }
    if f.first() != Some(&'第') {
        return None;
    }
    let (n, at) = ordinal(f, 1)?;
    let marker = match f.get(at)? {
        '部' => Marker::Part(n),
        '章' => Marker::Chapter(0, n),
        '節' => Marker::Chapter(1, n),
        '款' => Marker::Chapter(2, n),
        '条' => {
            let (b, end) = branch(f, at + 1);
            // 第5条第2項 at the start of a sentence is a reference, not an article.
            if f.get(end) == Some(&'第') {
                return None;
            }
            return Some((Marker::Article(n, b), gap(f, end, false)?));
        }
        _ => return None,
    };
    Some((marker, gap(f, at + 1, false)?))
}

fn admin(f: &[char]) -> Option<(Marker, usize)> {
    if let Some((n, at)) = digits(f, 0) {
        let mut parts = vec![n];
        let mut at = at;
        while f.get(at) == Some(&'-') {
            let (m, end) = digits(f, at + 1)?;
            parts.push(m);
            at = end;
        }
        if parts.len() > 1 {
            return Some((Marker::Dash(parts), gap(f, at, true)?));
        }
        let (b, at) = branch(f, at);
        let at = if f.get(at) == Some(&'.') { at + 1 } else { at };
        return Some((Marker::Item(Kind::Num, n, b), gap(f, at, true)?));
    }
    if f.first() == Some(&'(') {
        if let Some((n, at)) = digits(f, 1).filter(|(_, at)| f.get(*at) == Some(&')')) {
            let (b, end) = branch(f, at + 1);
            return Some((Marker::Item(Kind::Paren, n, b), gap(f, end, false)?));
        }
        let (c, at) = enclosed(f, 0)?;
        let (kind, n) = letter(c)?;
        let kind = if kind == Kind::Kata { Kind::ParenKata } else { Kind::ParenLatin };
        return Some((Marker::Item(kind, n, None), gap(f, at, false)?));
    }
    let (kind, n) = letter(*f.first()?)?;
    Some((Marker::Item(kind, n, None), gap(f, 1, true)?))
}

/// ア… or a…: the kind and ordinal of a letter used as a number.
fn letter(c: char) -> Option<(Kind, u32)> {
    if let Some(i) = KATA.chars().position(|k| k == c) {
        return Some((Kind::Kata, i as u32 + 1));
    }
    c.is_ascii_lowercase().then(|| (Kind::Latin, c as u32 - 'a' as u32 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<(Marker, &str)> {
        parse(s).map(|m| (m.marker, m.rest))
    }

    #[test]
    fn administrative_numbers() {
        assert_eq!(m("1 目的"), Some((Marker::Item(Kind::Num, 1, None), "目的")));
        assert_eq!(m("１０　情報"), Some((Marker::Item(Kind::Num, 10, None), "情報")));
        assert_eq!(m("(13) 無害化通信"), Some((Marker::Item(Kind::Paren, 13, None), "無害化通信")));
        assert_eq!(m("（１）組織"), Some((Marker::Item(Kind::Paren, 1, None), "組織")));
        assert_eq!(m("ウ インターネット"), Some((Marker::Item(Kind::Kata, 3, None), "インターネット")));
        assert_eq!(m("（イ）　職員"), Some((Marker::Item(Kind::ParenKata, 2, None), "職員")));
        assert_eq!(m("b 媒体"), Some((Marker::Item(Kind::Latin, 2, None), "媒体")));
        assert_eq!(m("２―３―１　端末"), Some((Marker::Dash(vec![2, 3, 1]), "端末")));
        assert_eq!(m("コンピュータ等"), None);
        assert_eq!(m("2026年"), None);
    }

    #[test]
    fn rule_structure() {
        assert_eq!(m("第１章　総則"), Some((Marker::Chapter(0, 1), "総則")));
        assert_eq!(m("第４条の２　委員会"), Some((Marker::Article(4, Some(2)), "委員会")));
        assert_eq!(m("第二十三条 報告"), Some((Marker::Article(23, None), "報告")));
        assert_eq!(m("（目的）"), Some((Marker::Caption("目的".into()), "")));
        assert_eq!(m("附　則"), Some((Marker::Supplementary(String::new()), "")));
        assert_eq!(m("別表（第３条関係）"), Some((Marker::AppendedTable, "")));
        assert_eq!(m("第1部 情報セキュリティ基本方針"), Some((Marker::Part(1), "情報セキュリティ基本方針")));
        assert_eq!(m("第５条第２項の規定"), None);
    }
}
