//! The rules that look at one passage's text alone: pure functions from text to [`Hit`]s.
//!
//! A passage's text is its runs (heading, paragraphs, list item text, table cells) joined by
//! [`RUN`]; a hard line break is `\n` and code or an empty reference is [`OBJECT`], so that no rule
//! reads across a run or into code.
//!
//! Doubled words are told apart by rules on character classes and two short lists, not a
//! dictionary: a repeated unit of two or more kanji (個人情報情報), three or more katakana or
//! hiragana, or one kanji that only ends words (的, 性, 化, 者, 等 …: 非意図的的要因) or a particle
//! that never doubles (をを). A kanji that can end one word and start the next (無停電|電源) and
//! every doubled kana of ordinary Japanese (とともに, もののほか, 時々) stay quiet.

use crate::diag::Message;
use std::ops::Range;

/// Between two runs of a passage.
pub const RUN: char = '\u{2029}';
/// Stands for code or a reference that prints its target's number.
pub const OBJECT: char = '\u{FFFC}';

/// One problem a rule found, at a byte range of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub code: &'static str,
    pub range: Range<usize>,
    /// The catalogue message (`prose-*`) with its parameters.
    pub text: Message,
}

impl Hit {
    pub fn new(key: &'static str, range: Range<usize>) -> Hit {
        Hit { code: crate::diag::catalogue::code(key), range, text: Message::new(key) }
    }

    pub fn arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Hit {
        self.text = self.text.arg(name, value);
        self
    }

    pub fn arg_in(mut self, name: &'static str, en: impl Into<String>, ja: impl Into<String>) -> Hit {
        self.text = self.text.arg_in(name, en, ja);
        self
    }
}

/// Kanji that only end words: doubled, they are a slip.
const SUFFIXES: &str = "的性化者等及又並若";
/// Particles that are never written twice.
const PARTICLES: &str = "をが";
/// English words that may stand twice in a row («that that», «had had»).
const EN_DOUBLES: [&str; 2] = ["that", "had"];

pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー')
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}')
}

/// Every rule on Japanese text.
pub fn japanese(text: &str) -> Vec<Hit> {
    let mut out = doubled_ja(text);
    out.extend(punctuation(text));
    out.extend(brackets(text));
    out.extend(halfwidth_kana(text));
    out.extend(spaced(text));
    out
}

/// Every rule on English text.
pub fn english(text: &str) -> Vec<Hit> {
    let mut out = doubled_en(text);
    out.extend(spaces(text));
    out.extend(brackets(text));
    out
}

/// A word written twice by mistake (the second one is the hit).
pub fn doubled_ja(text: &str) -> Vec<Hit> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(n) = (1..=6).find(|&n| doubled_at(&chars, i, n)) else {
            i += 1;
            continue;
        };
        let unit = &text[chars[i].0..end(i + n)];
        out.push(Hit::new("prose-doubled", chars[i + n].0..end(i + 2 * n)).arg("unit", unit));
        i += 2 * n;
    }
    out
}

/// Whether the `n` characters from `i` are repeated right after and make a doubled word.
fn doubled_at(chars: &[(usize, char)], i: usize, n: usize) -> bool {
    let Some(both) = chars.get(i..i + 2 * n) else { return false };
    let (a, b) = both.split_at(n);
    if a.iter().zip(b).any(|(x, y)| x.1 != y.1) {
        return false;
    }
    let unit: Vec<char> = a.iter().map(|c| c.1).collect();
    let all = |f: fn(char) -> bool| unit.iter().all(|&c| f(c));
    let varied = unit.iter().any(|&c| c != unit[0]);
    match n {
        1 => SUFFIXES.contains(unit[0]) || PARTICLES.contains(unit[0]),
        _ if all(is_kanji) => true,
        _ if all(is_katakana) => n >= 3 && unit[0] != 'ー' && varied,
        _ if all(is_hiragana) => n >= 3 && varied,
        _ => false,
    }
}

/// 、、 or 。。 (any two of 、。，． in a row).
pub fn punctuation(text: &str) -> Vec<Hit> {
    let mark = |c: char| matches!(c, '、' | '。' | '，' | '．');
    let mut out = Vec::new();
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        if let Some((p, pc)) = prev.filter(|_| mark(c)) {
            out.push(Hit::new("prose-punctuation", p..i + c.len_utf8()).arg("marks", format!("{pc}{c}")));
            prev = None;
            continue;
        }
        prev = mark(c).then_some((i, c));
    }
    out
}

const PAIRS: [(char, char); 12] = [
    ('「', '」'),
    ('『', '』'),
    ('（', '）'),
    ('【', '】'),
    ('〔', '〕'),
    ('［', '］'),
    ('｛', '｝'),
    ('〈', '〉'),
    ('《', '》'),
    ('(', ')'),
    ('[', ']'),
    ('“', '”'),
];

/// Whether `c` may be one of [`PAIRS`]: ( ) [ ], the quotation marks, or a CJK bracket (U+3008 to
/// U+301B, U+FF08 to U+FF5D).
fn may_be_bracket(c: char) -> bool {
    matches!(c, '(' | ')' | '[' | ']' | '“' | '”' | '\u{3008}'..='\u{301B}' | '\u{FF08}'..='\u{FF5D}')
}

/// A bracket not closed, or closing none, within its run (a paragraph, item, cell or heading).
pub fn brackets(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut open: Vec<(usize, char, char)> = Vec::new();
    let unclosed =
        |(i, o, c): (usize, char, char)| Hit::new("prose-bracket", i..i + o.len_utf8()).arg("open", o).arg("close", c);
    for (i, c) in text.char_indices() {
        if c == RUN {
            out.extend(open.drain(..).map(unclosed));
        } else if !may_be_bracket(c) {
            // Most characters are none: one comparison instead of a walk through the pairs.
        } else if let Some(&(_, close)) = PAIRS.iter().find(|p| p.0 == c) {
            open.push((i, c, close));
        } else if let Some(&(o, _)) = PAIRS.iter().find(|p| p.1 == c) {
            match open.iter().rposition(|x| x.2 == c) {
                Some(at) => {
                    out.extend(open.drain(at + 1..).map(unclosed));
                    open.pop();
                }
                None => out.push(Hit::new("prose-bracket.close", i..i + c.len_utf8()).arg("open", o).arg("close", c)),
            }
        }
    }
    out.extend(open.into_iter().map(unclosed));
    out
}

/// Half-width katakana (ｺﾝﾋﾟｭｰﾀ): one hit per run of it.
pub fn halfwidth_kana(text: &str) -> Vec<Hit> {
    let half = |c: char| ('\u{FF61}'..='\u{FF9F}').contains(&c);
    runs(text, half)
        .into_iter()
        .map(|r| {
            let s = &text[r.clone()];
            Hit::new("prose-halfwidth-kana", r).arg("written", s).arg("wide", widen_kana(s))
        })
        .collect()
}

/// The byte ranges of the maximal runs of characters that satisfy `f`.
fn runs(text: &str, f: impl Fn(char) -> bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), '\0')]) {
        match (f(c) && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Half-width katakana and marks in full width, voiced marks joined (ｶﾞ → ガ).
pub fn widen_kana(s: &str) -> String {
    const FULL: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";
    let mut out = String::new();
    for c in s.chars() {
        let last = out.chars().last();
        let joined = match (c, last) {
            ('ﾞ', Some('ウ')) => Some('ヴ'),
            ('ﾞ', Some(l)) if "カキクケコサシスセソタチツテトハヒフヘホ".contains(l) => {
                char::from_u32(l as u32 + 1)
            }
            ('ﾟ', Some(l)) if "ハヒフヘホ".contains(l) => char::from_u32(l as u32 + 2),
            _ => None,
        };
        match joined {
            Some(j) => {
                out.pop();
                out.push(j);
            }
            None => {
                let i = (c as u32).wrapping_sub(0xFF61) as usize;
                out.push(FULL.chars().nth(i).unwrap_or(c));
            }
        }
    }
    out
}

/// Latin letters, half- or full-width.
pub fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Latin letters or digits, half- or full-width.
pub fn is_alnum(c: char) -> bool {
    is_latin(c) || c.is_ascii_digit() || matches!(c, '０'..='９')
}

/// Whether `text` holds a Latin letter, a space and a Latin letter in a row, which a spelled-out
/// word starts with: most passages do not, and are passed in one look at each character.
fn letter_space_letter(text: &str) -> bool {
    let mut last = ['\0'; 2];
    text.chars().any(|c| {
        let hit = is_latin(last[0]) && matches!(last[1], ' ' | '\u{3000}') && is_latin(c);
        last = [last[1], c];
        hit
    })
}

/// A Latin word spelled out with spaces (L G W A N): three or more single letters, one space apart.
pub fn spaced(text: &str) -> Vec<Hit> {
    if !letter_space_letter(text) {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let letter_alone = |i: usize| {
        is_latin(chars[i].1) && (i == 0 || !is_alnum(chars[i - 1].1)) && chars.get(i + 1).is_none_or(|c| !is_alnum(c.1))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while letter_alone(j) && chars.get(j + 2).is_some_and(|_| matches!(chars[j + 1].1, ' ' | '\u{3000}')) {
            if !letter_alone(j + 2) {
                break;
            }
            j += 2;
        }
        if letter_alone(i) && j >= i + 4 {
            let end = chars[j].0 + chars[j].1.len_utf8();
            let word: String = (i..=j).step_by(2).map(|k| chars[k].1).collect();
            out.push(
                Hit::new("prose-spaced", chars[i].0..end).arg("word", &word).arg("written", &text[chars[i].0..end]),
            );
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// An English word written twice in a row («the the»), other than «that that» and «had had».
pub fn doubled_en(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    // Each word beside the one before it, as they come: no list of the words.
    let mut before: Option<Range<usize>> = None;
    for word in (Words { text, at: 0 }) {
        if let Some(prev) = before.replace(word.clone()) {
            let (a, b) = (&text[prev.clone()], &text[word.clone()]);
            let between = &text[prev.end..word.start];
            let apart = !between.is_empty() && between.bytes().all(|c| c == b' ');
            if apart && a.eq_ignore_ascii_case(b) && !EN_DOUBLES.contains(&a.to_ascii_lowercase().as_str()) {
                out.push(Hit::new("prose-doubled.en", word).arg("a", a).arg("b", b));
            }
        }
    }
    out
}

/// The byte ranges of the words of `text` (runs of letters and apostrophes) from `at` on.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let in_word = |c: char| c.is_alphabetic() || c == '\'';
        let rest = &self.text[self.at..];
        let start = self.at + rest.find(in_word)?;
        let end = self.text[start..].find(|c| !in_word(c)).map_or(self.text.len(), |n| start + n);
        self.at = end;
        Some(start..end)
    }
}

/// Two or more spaces between words.
pub fn spaces(text: &str) -> Vec<Hit> {
    if !text.contains("  ") {
        return Vec::new();
    }
    runs(text, |c| c == ' ')
        .into_iter()
        .filter(|r| r.len() >= 2 && r.start > 0 && r.end < text.len())
        .filter(|r| !text[..r.start].ends_with(['\n', RUN]) && !text[r.end..].starts_with(['\n', RUN]))
        .map(|r| {
            let n = r.len();
            Hit::new("prose-spaces", r).arg("n", n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bracket_passes_the_quick_test() {
        for (o, c) in PAIRS {
            assert!(may_be_bracket(o) && may_be_bracket(c), "{o}{c}");
        }
        assert!(!may_be_bracket('あ') && !may_be_bracket('a') && !may_be_bracket('。'));
    }

    fn codes(hits: &[Hit], text: &str) -> Vec<(&'static str, String)> {
        hits.iter().map(|h| (h.code, text[h.range.clone()].to_string())).collect()
    }

    #[test]
    fn doubled_words_are_found_and_ordinary_japanese_is_not() {
        for (text, found) in [
            ("個人情報情報の漏えい", "情報"),
            ("非意図的的要因による", "的"),
            ("サーバーサーバーを", "サーバー"),
            ("文書をを送る", "を"),
            ("についてについて定める", "について"),
        ] {
            let hits = doubled_ja(text);
            assert_eq!(codes(&hits, text), [("prose-doubled", found.to_string())], "{text}");
        }
        for text in [
            "情報資産とともに管理する",
            "ともに",
            "前各号に掲げるもののほか",
            "無停電電源装置",
            "時々確認する",
            "いろいろな",
            "ますます",
            "会社社長",
            "ドンドン",
            "データーー",
        ] {
            assert_eq!(doubled_ja(text), [], "{text}");
        }
    }

    #[test]
    fn punctuation_and_brackets() {
        let t = "規定、、及び。。";
        assert_eq!(
            codes(&punctuation(t), t),
            [("prose-punctuation", "、、".into()), ("prose-punctuation", "。。".into())]
        );
        assert_eq!(punctuation("規定、及び。次に"), []);
        assert_eq!(brackets("「機密性2」（注）及び(1)"), []);
        let t = "「機密性2（注）";
        assert_eq!(codes(&brackets(t), t), [("prose-bracket", "「".into())]);
        let t = "注）及び「x」";
        assert_eq!(codes(&brackets(t), t), [("prose-bracket", "）".into())]);
        let t = "（１)";
        assert_eq!(codes(&brackets(t), t), [("prose-bracket", ")".into()), ("prose-bracket", "（".into())]);
        let t = format!("「見出し{RUN}本文」");
        assert_eq!(brackets(&t).len(), 2, "a bracket does not run across runs");
    }

    #[test]
    fn halfwidth_katakana_and_its_full_width_form() {
        let t = "ｺﾝﾋﾟｭｰﾀｳｲﾙｽ対策";
        let hits = halfwidth_kana(t);
        assert_eq!(codes(&hits, t), [("prose-halfwidth-kana", "ｺﾝﾋﾟｭｰﾀｳｲﾙｽ".into())]);
        assert!(hits[0].text.hint(crate::config::Lang::En).contains("コンピュータウイルス"));
        assert_eq!(widen_kana("ｶﾞｳﾞﾊﾟ｢ｰ｣"), "ガヴパ「ー」");
        assert_eq!(halfwidth_kana("コンピュータ"), []);
    }

    #[test]
    fn letter_spaced_latin_words() {
        let t = "L G W A N接続系とＬ　Ｇ　Ｗ　Ａ　Ｎ";
        assert_eq!(
            codes(&spaced(t), t),
            [("prose-spaced", "L G W A N".into()), ("prose-spaced", "Ｌ　Ｇ　Ｗ　Ａ　Ｎ".into())]
        );
        assert!(spaced(t)[0].text.hint(crate::config::Lang::En).contains("LGWAN"));
        let wide = "全角のＬ　Ｇ　Ｗ　Ａ　Ｎだけ";
        assert_eq!(codes(&spaced(wide), wide), [("prose-spaced", "Ｌ　Ｇ　Ｗ　Ａ　Ｎ".into())]);
        for t in ["LGWAN接続系", "A 及び B", "ア、イ又はウ", "A B", "Windows 11 PC"] {
            assert_eq!(spaced(t), [], "{t}");
        }
    }

    #[test]
    fn english_doubled_words_and_spaces() {
        let t = "The the policy applies to to all staff.";
        assert_eq!(codes(&doubled_en(t), t), [("prose-doubled", "the".into()), ("prose-doubled", "to".into())]);
        assert_eq!(doubled_en("He said that that was so; they had had enough. Is it? It is."), []);
        assert_eq!(doubled_en("the\u{FFFC} the"), [], "an object stands between");
        // The words, one by one, are the runs of letters and apostrophes.
        for t in ["", "the the", " it's  O'Neil\u{FFFC}café—naïve ", "日本語 and 英語x", "a"] {
            let want = runs(t, |c| c.is_alphabetic() || c == '\'');
            assert_eq!((Words { text: t, at: 0 }).collect::<Vec<_>>(), want, "{t}");
        }
        let t = "Staff  must report.";
        assert_eq!(codes(&spaces(t), t), [("prose-spaces", "  ".into())]);
        assert_eq!(spaces("One space. Two\nlines."), []);
    }
}
