//! Textual references made into cross-references where the target is certain: 上記3, 上記6から8まで
//! (administrative style), 第15条第2項, 前条, 次条, 前項 (rules). A reference whose target is not in
//! the document is left as text, with a warning.

use super::text::fold;
use super::Notes;
use crate::diag::Message;
use std::collections::BTreeMap;

/// What references can point to in one document.
#[derive(Debug, Default)]
pub struct Targets {
    /// Top-level numbered headings (administrative style), by number.
    pub top: BTreeMap<u32, String>,
    /// Articles by number and branch, and in order.
    pub articles: BTreeMap<(u32, u32), String>,
    pub order: Vec<String>,
}

/// Where a text stands: the article (its index in `order`) and the 項 (1-based).
#[derive(Debug, Clone, Copy, Default)]
pub struct Here {
    pub article: Option<usize>,
    pub para: u32,
}

fn number_at(f: &[char], at: usize) -> Option<(u32, usize)> {
    let n = f[at.min(f.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 4 {
        return None;
    }
    Some((f[at..at + n].iter().collect::<String>().parse().ok()?, at + n))
}

fn starts(f: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, c)| f.get(at + k) == Some(&c))
}

/// A reference found in a text: the characters it spans and the Markdown that replaces them.
struct Found {
    end: usize,
    markdown: String,
    what: String,
}

/// The text with references linked. `made` gets a line per reference made.
pub fn link(text: &str, t: &Targets, here: Here, line: u32, notes: &mut Notes, made: &mut Vec<Message>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let f: Vec<char> = fold(text).chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let found = above(&f, i, t, line, notes).or_else(|| article(&f, &chars, i, t, here, line, notes));
        match found {
            Some(r) => {
                let cited: String = chars[i..r.end].iter().collect();
                made.push(
                    Message::new("import-note.reference").arg("line", line).arg("text", cited).arg("target", &r.what),
                );
                out.push_str(&r.markdown);
                i = r.end;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// 上記3, 上記6から8まで (also 前記, 下記): top-level sections by number.
fn above(f: &[char], i: usize, t: &Targets, line: u32, notes: &mut Notes) -> Option<Found> {
    let word: String = f[i..(i + 2).min(f.len())].iter().collect();
    if !["上記", "前記", "下記"].contains(&word.as_str()) {
        return None;
    }
    let (a, end) = number_at(f, i + 2)?;
    let range = starts(f, end, "から").then(|| number_at(f, end + 2)).flatten().filter(|(_, e)| starts(f, *e, "まで"));
    let target = |n: u32| -> Option<&String> { t.top.get(&n) };
    let unresolved = |n: u32, notes: &mut Notes| {
        notes.warn(line, "import-reference", &[("text", &format!("{word}{n}"))]);
    };
    match range {
        Some((b, e)) => match (target(a), target(b)) {
            (Some(x), Some(y)) => Some(Found {
                end: e + 2,
                markdown: format!("{word}[](#{x})から[](#{y})まで"),
                what: format!("#{x} … #{y}"),
            }),
            _ => {
                unresolved(if target(a).is_none() { a } else { b }, notes);
                None
            }
        },
        None => match target(a) {
            Some(x) => Some(Found { end, markdown: format!("{word}[](#{x})"), what: format!("#{x}") }),
            None => {
                unresolved(a, notes);
                None
            }
        },
    }
}

/// 第N条(のM)(第K項)(第J号), 前条, 次条, 前項: articles of this rule. A 第N条 right after a law's
/// name (法第5条, 条例第3条) is another instrument's and stays text.
fn article(
    f: &[char],
    chars: &[char],
    i: usize,
    t: &Targets,
    here: Here,
    line: u32,
    notes: &mut Notes,
) -> Option<Found> {
    let cur = here.article?;
    let rel = |word: &str, idx: Option<usize>| -> Option<Found> {
        let id = t.order.get(idx?)?;
        let (para, end) = step(f, i + 2, '項');
        let path = para.map_or(String::new(), |k| format!("/{k}"));
        let text: String = chars[i..end].iter().collect();
        Some(Found { end, markdown: format!("[{text}](#{id}{path})"), what: format!("#{id}{path} ({word})") })
    };
    if starts(f, i, "前条") {
        return rel("前条", cur.checked_sub(1));
    }
    if starts(f, i, "次条") {
        return rel("次条", Some(cur + 1));
    }
    if starts(f, i, "前項") && here.para > 1 {
        let id = &t.order[cur];
        let path = format!("{id}/{}", here.para - 1);
        return Some(Found { end: i + 2, markdown: format!("[前項](#{path})"), what: format!("#{path} (前項)") });
    }
    if f[i] != '第' || i > 0 && is_name_char(f[i - 1]) {
        return None;
    }
    let (n, at) = number_at(f, i + 1)?;
    if f.get(at) != Some(&'条') {
        return None;
    }
    let (b, at) = if f.get(at + 1) == Some(&'の') {
        number_at(f, at + 2).map_or((0, at + 1), |(b, e)| (b, e))
    } else {
        (0, at + 1)
    };
    let Some(id) = t.articles.get(&(n, b)) else {
        let cited: String = chars[i..at].iter().collect();
        notes.warn(line, "import-reference.article", &[("text", &cited)]);
        return None;
    };
    let (para, at) = step(f, at, '項');
    let (item, at) = step(f, at, '号');
    let path = match (para, item) {
        (None, None) => String::new(),
        (Some(k), None) => format!("/{k}"),
        (k, Some(j)) => format!("/{}/{j}", k.unwrap_or(1)),
    };
    Some(Found { end: at, markdown: format!("[](#{id}{path})"), what: format!("#{id}{path}") })
}

/// 第K項 or 第J号 at `at`.
fn step(f: &[char], at: usize, unit: char) -> (Option<u32>, usize) {
    if f.get(at) == Some(&'第') {
        if let Some((k, e)) = number_at(f, at + 1) {
            if f.get(e) == Some(&unit) {
                return (Some(k), e + 1);
            }
        }
    }
    (None, at)
}

/// A character that ends the name of a law or another instrument (法, 条例, 規則…).
fn is_name_char(c: char) -> bool {
    matches!(c, '法' | '令' | '例' | '則' | '程' | '綱' | '約' | '律')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        let mut t = Targets::default();
        for (n, id) in [(3, "threats"), (6, "measures"), (8, "review")] {
            t.top.insert(n, id.to_string());
        }
        for (i, id) in ["purpose", "scope", "committee"].iter().enumerate() {
            t.articles.insert((i as u32 + 1, 0), id.to_string());
            t.order.push(id.to_string());
        }
        t
    }

    fn l(text: &str, here: Here) -> (String, usize) {
        let mut notes = Notes::default();
        let out = link(text, &targets(), here, 1, &mut notes, &mut Vec::new());
        (out, notes.diagnostics.len())
    }

    #[test]
    fn administrative_references() {
        let here = Here::default();
        assert_eq!(l("上記3の脅威から", here), ("上記[](#threats)の脅威から".into(), 0));
        assert_eq!(l("上記６から８までに", here), ("上記[](#measures)から[](#review)までに".into(), 0));
        assert_eq!(l("上記4の範囲", here), ("上記4の範囲".into(), 1));
    }

    #[test]
    fn rule_references() {
        let here = Here { article: Some(2), para: 2 };
        assert_eq!(l("第２条第１項の規定", here).0, "[](#scope/1)の規定");
        assert_eq!(l("前条第２項及び前項", here).0, "[前条第２項](#scope/2)及び[前項](#committee/1)");
        assert_eq!(l("地方自治法第２条", here), ("地方自治法第２条".into(), 0));
        assert_eq!(l("第９条", here), ("第９条".into(), 1));
    }
}
