//! The static search index: one entry per section and language page, and an inverted index from
//! terms to entries. Japanese has no spaces between words, so text is cut into character bigrams;
//! Latin text into lowercase words. `templates/html/site.js` tokenises queries the same way.
//! The index is built from the filtered edition only.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct Entry {
    /// URL relative to the site root, with the section anchor.
    pub u: String,
    /// Language of the page.
    pub l: &'static str,
    /// Document title.
    pub d: String,
    /// Section number and title.
    pub t: String,
    /// Body text (for snippets and exact-phrase ranking).
    pub x: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Index {
    pub entries: Vec<Entry>,
    /// Term → indices of the entries that hold it, ascending. A hash map while the index is
    /// built (a corpus has hundreds of thousands of bigrams), written in term order.
    #[serde(serialize_with = "in_order")]
    pub terms: FxHashMap<String, Vec<u32>>,
}

/// The terms in order, so that the same edition gives the same bytes.
fn in_order<S: serde::Serializer>(terms: &FxHashMap<String, Vec<u32>>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(terms.iter().collect::<BTreeMap<_, _>>())
}

impl Index {
    pub fn add(&mut self, e: Entry) {
        let n = self.entries.len() as u32;
        let mut seen = FxHashSet::default();
        for t in tokens(&e.t).into_iter().chain(tokens(&e.x)) {
            seen.insert(t);
        }
        for t in seen {
            self.terms.entry(t).or_default().push(n);
        }
        self.entries.push(e);
    }
}

/// Full-width ASCII to ASCII, then lowercase.
fn norm(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Kana, kanji and the prolonged sound mark: text cut into bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005 | 0x3006 | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// The terms of a text: ASCII words, and bigrams of CJK runs (a lone CJK character is a term).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if run.len() == 1 {
            out.push(run[0].to_string());
        }
        for w in run.windows(2) {
            out.push(w.iter().collect());
        }
        run.clear();
    };
    for c in text.chars().map(norm) {
        if c.is_ascii_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.push(c);
        } else if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            run.push(c);
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            flush_run(&mut run, &mut out);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    flush_run(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_and_words() {
        assert_eq!(tokens("不正アクセス"), ["不正", "正ア", "アク", "クセ", "セス"]);
        assert_eq!(tokens("CISOは可用性"), ["ciso", "は可", "可用", "用性"]);
        assert_eq!(tokens("Ｗｅｂ and 市"), ["web", "and", "市"]);
    }
}
