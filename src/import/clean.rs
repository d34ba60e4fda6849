//! What text extraction leaves, cleaned: a table of contents with page numbers, page numbers and
//! repeated page headers or footers, converter bullets, letter-spaced Latin words, and sentences
//! broken by a page break. The result is one line per paragraph or numbered item.

use super::marker::{self, Marker};
use super::text::{fold, is_hiragana, unspace_latin};
use super::Notes;

/// A line of the document after cleaning, with the line of the input it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: u32,
    pub text: String,
    /// It began with a bullet (・, ●, -) and no number: an item of an unnumbered list.
    pub bullet: bool,
}

const BULLETS: [&str; 9] = ["- ", "* ", "• ", "・", "●", "■", "◆", "○", "◎"];

/// Lines that read as page numbers: 「- 2 -」, 「2/8」, 「2」, 「P.2」.
fn is_page_number(folded: &str) -> bool {
    let t: String = folded.chars().filter(|c| *c != ' ').collect();
    let t = t.trim_start_matches("P.").trim_start_matches("p.");
    let t = t.strip_prefix('-').and_then(|t| t.strip_suffix('-')).unwrap_or(t);
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    digits(t) || t.split_once('/').is_some_and(|(a, b)| digits(a) && digits(b))
}

/// A line of a table of contents: a title, then a page number after a tab, spaces or leaders.
fn is_toc_entry(folded: &str) -> bool {
    let t = folded.trim_end();
    let body = t.trim_end_matches(|c: char| c.is_ascii_digit());
    body.len() < t.len() && !body.is_empty() && body.ends_with(['\t', ' ', '…', '.', '・'])
}

fn is_toc_title(folded: &str) -> bool {
    let t: String = folded.chars().filter(|c| !matches!(c, ' ' | '-' | '=' | '〔' | '〕' | '【' | '】')).collect();
    t == "目次"
}

/// The input's lines, cleaned (see the module's description).
pub fn clean(input: &str, notes: &mut Notes) -> Vec<Line> {
    let mut raw: Vec<(u32, String)> = Vec::new();
    let mut in_toc = false;
    for (i, line) in input.lines().enumerate() {
        let no = i as u32 + 1;
        // Control characters (a form feed between pages, stray escapes) are extraction debris.
        let line: String = line.chars().filter(|c| !c.is_control() || *c == '\t').collect();
        let text = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let folded = fold(text);
        if text.is_empty() || is_page_number(&folded) {
            continue;
        }
        if is_toc_title(&folded) {
            in_toc = true;
            notes.info(no, "import-note.toc", &[]);
            continue;
        }
        if in_toc
            && (is_toc_entry(&folded) || matches!(marker::parse(text), Some(m) if matches!(m.marker, Marker::Part(_))))
        {
            continue;
        }
        in_toc = false;
        raw.push((no, text.to_string()));
    }
    drop_running_heads(&mut raw, notes);
    let mut lines: Vec<Line> = raw.into_iter().map(|(no, text)| unbullet(no, &text, notes)).collect();
    join_broken(&mut lines, notes);
    lines
}

/// Drops the same short line repeated on three pages or more (a page header or footer).
fn drop_running_heads(raw: &mut Vec<(u32, String)>, notes: &mut Notes) {
    let mut count = std::collections::HashMap::<&str, usize>::new();
    for (_, t) in raw.iter() {
        *count.entry(t.as_str()).or_default() += 1;
    }
    let heads: Vec<String> = count
        .into_iter()
        .filter(|(t, n)| *n >= 3 && t.chars().count() <= 40 && !t.contains('。') && marker::parse(t).is_none())
        .map(|(t, _)| t.to_string())
        .collect();
    for h in &heads {
        if let Some((no, _)) = raw.iter().find(|(_, t)| t == h) {
            notes.info(*no, "import-note.header", &[("text", h)]);
        }
    }
    raw.retain(|(_, t)| !heads.contains(t));
}

/// Takes a converter's bullet off a line, and joins letter-spaced Latin words.
fn unbullet(no: u32, text: &str, notes: &mut Notes) -> Line {
    let (text, spaced) = unspace_latin(text);
    if spaced {
        notes.info(no, "import-note.spaced", &[]);
    }
    for b in BULLETS {
        if let Some(rest) = text.strip_prefix(b) {
            let rest = rest.trim_start_matches([' ', '　']);
            let bullet = marker::parse(rest).is_none();
            return Line { no, text: rest.to_string(), bullet };
        }
    }
    Line { no, text, bullet: false }
}

/// Characters that end a sentence or a complete line.
fn is_closed(text: &str) -> bool {
    text.ends_with(['。', '．', '」', '）', ')', '』', '】', ':', '：', '.'])
}

/// Words that open a new paragraph: a line starting with one is never the end of the line before.
const OPENERS: [&str; 12] =
    ["なお", "また", "ただし", "さらに", "この", "その", "これ", "ここ", "したがって", "おって", "まず", "次に"];

/// Joins a line to the one before when a page break cut a sentence: the line before is an open
/// sentence (it has 、 or 。 or is long, and does not end as a sentence does) and this line is
/// no numbered item and begins where no sentence begins (hiragana but an opening word, or
/// punctuation), or the line before ends on a particle.
fn join_broken(lines: &mut Vec<Line>, notes: &mut Notes) {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines.drain(..) {
        if let Some(prev) = out.last_mut().filter(|p| !p.text.starts_with('|') && !line.text.starts_with('|')) {
            let body = marker::parse(&prev.text).map_or(prev.text.as_str(), |m| m.rest);
            let open = (body.contains(['、', '。']) || body.chars().count() > 30) && !is_closed(body);
            let first = line.text.chars().next().unwrap_or(' ');
            let continues = (is_hiragana(first) && !OPENERS.iter().any(|o| line.text.starts_with(o)))
                || matches!(first, '、' | '。' | '）' | '」' | 'ー' | 'っ' | 'ゃ' | 'ゅ' | 'ょ')
                || prev.text.ends_with(['を', 'に', 'が', 'は', 'の', 'で', 'と', 'へ', 'や']);
            if open && !line.bullet && marker::parse(&line.text).is_none() {
                if continues {
                    notes.info(line.no, "import-note.joined", &[]);
                    prev.text.push_str(&line.text);
                    continue;
                }
                notes.warn(line.no, "import-ambiguous", &[]);
            }
        }
        out.push(line);
    }
    *lines = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<String> {
        clean(input, &mut Notes::default()).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn page_numbers_and_toc_are_dropped() {
        let input = "題名\n\n目 次\n1 目的\t2\n2 定義……3\n\n1 目的\n本文。\n- 2 -\n2/8\n２\n2 定義\n";
        assert_eq!(texts(input), ["題名", "1 目的", "本文。", "2 定義"]);
    }

    #[test]
    fn a_sentence_cut_by_a_page_break_is_joined() {
        let input = "- 7 全ての職員等は、共通の認識を持\n\n- 3 -\n\nち、業務を遂行する。\n\nなお、次の文。\n";
        assert_eq!(texts(input), ["7 全ての職員等は、共通の認識を持ち、業務を遂行する。", "なお、次の文。"]);
    }

    #[test]
    fn running_heads_are_dropped() {
        let input = "市の規程\n1 目的\n本文。\n市の規程\n2 定義\n市の規程\n";
        assert_eq!(texts(input), ["1 目的", "本文。", "2 定義"]);
    }
}
