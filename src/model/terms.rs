//! The termbase (issue 14): defined terms in Japanese and English, kept consistent by `check`.
//!
//! Entries come from two places: sections marked `.term` (a heading under 定義 whose Japanese and
//! English titles pair a term: `## 機密性 {#def-confidentiality .term}`), and the project file
//! `<source>/terms.yaml`, read through the [`Source`] like every source. Every entry has a
//! classification level (a `.term` section's own level; a file entry's `classification:`, raised
//! to that of the section it names in `defined:`), so [`crate::edition::Edition::filter`] keeps
//! only the terms an edition may hold. The termbase is data an exporter can take as is (the XLIFF
//! glossary module of issue 12 reads [`crate::edition::Edition::terms`]).
//! Its diagnostics (`term-*`) are in the catalogue (`diag/catalogue.rs`).

use super::frontmatter::parse_yaml;
use super::{plain_text, Block, Document, Project, Section};
use crate::config::{Config, Level};
use crate::diag::{Diagnostic, Loc};
use crate::source::{Source, SourceError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The termbase file's name, in the source folder.
pub const FILE: &str = "terms.yaml";

/// One entry of the termbase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub ja: String,
    /// The English term; `None` for a `.term` section whose English is not translated yet.
    pub en: Option<String>,
    pub note: Option<String>,
    /// English renderings that are wrong for this project ("Human security" for 人的セキュリティ).
    pub wrong: Vec<String>,
    pub level: Level,
    /// The section that defines the term, if any.
    pub defined: Option<Defined>,
    /// Where the entry is declared: the `.term` heading or its line in terms.yaml.
    pub loc: Loc,
}

/// A term's defining section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defined {
    pub doc: String,
    pub section: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    ja: String,
    en: Option<String>,
    note: Option<String>,
    #[serde(default)]
    wrong: Vec<String>,
    classification: Option<String>,
    defined: Option<String>,
}

/// The termbase of loaded documents: their `.term` sections, then the entries of
/// `<dir>/terms.yaml` when it exists.
pub fn load(
    source: &dyn Source,
    config: &Config,
    dir: &str,
    docs: &[Document],
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Term>, SourceError> {
    let mut terms: Vec<Term> = docs.iter().flat_map(defined_by_sections).collect();
    let path = format!("{dir}/{FILE}");
    if !source.exists(&path) {
        return Ok(terms);
    }
    let text = source.read_text(&path)?;
    let raw: Vec<RawTerm> = match parse_yaml::<Option<Vec<RawTerm>>>(&text, &path, 0) {
        Ok(r) => r.unwrap_or_default(),
        Err(d) => {
            diags.push(d.rekey("term-file.yaml"));
            return Ok(terms);
        }
    };
    for r in raw {
        let loc = entry_loc(&text, &r.ja, &path);
        if let Some(t) = file_entry(r, loc, config, docs, &mut terms, diags) {
            terms.push(t);
        }
    }
    Ok(terms)
}

/// The line of terms.yaml whose `ja:` is exactly `ja` (the first such line), else the first line.
fn entry_loc(text: &str, ja: &str, path: &str) -> Loc {
    let value = |l: &str| {
        let v = l.trim_start().trim_start_matches('-').trim_start().strip_prefix("ja:")?.trim();
        Some(v.trim_matches(|c| c == '"' || c == '\'').to_string())
    };
    let line = text.lines().position(|l| value(l).as_deref() == Some(ja.trim())).unwrap_or(0);
    Loc::new(path, line as u32 + 1, 1)
}

/// The terms a document's `.term` sections define: their titles without a trailing parenthesis
/// (「マイナンバー利用事務系（個人番号利用事務系）」 defines マイナンバー利用事務系).
fn defined_by_sections(doc: &Document) -> Vec<Term> {
    doc.walk()
        .into_iter()
        .filter(|s| s.term)
        .map(|s: &Section| Term {
            ja: bare_title(&plain_text(&s.ja.title)),
            en: s.en.as_ref().map(|en| bare_title(&plain_text(&en.title))),
            note: None,
            wrong: Vec::new(),
            level: s.level,
            defined: Some(Defined { doc: doc.id.clone(), section: s.id.clone() }),
            loc: s.ja.loc.clone(),
        })
        .collect()
}

/// A title without a trailing parenthesis, full- or half-width.
fn bare_title(title: &str) -> String {
    let t = title.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let (true, Some(i)) = (t.ends_with(close), t.rfind(open)) {
            if i > 0 {
                return t[..i].trim_end().to_string();
            }
        }
    }
    t.to_string()
}

/// An entry of terms.yaml, checked; `None` when it only adds to a `.term` section's entry (done
/// here) or is in error.
fn file_entry(
    r: RawTerm,
    loc: Loc,
    config: &Config,
    docs: &[Document],
    terms: &mut [Term],
    diags: &mut Vec<Diagnostic>,
) -> Option<Term> {
    let ja = r.ja.trim().to_string();
    let en = r.en.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
    let wrong: Vec<String> = r.wrong.iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
    let by_section = terms.iter_mut().find(|t| t.ja == ja && t.defined.is_some() && t.note.is_none());
    match (en, by_section) {
        (None, Some(t)) if !ja.is_empty() => {
            t.note = r.note;
            t.wrong = wrong;
            None
        }
        (Some(en), _) if !ja.is_empty() => {
            let (level, defined) = level_and_place(&r, &loc, config, docs, diags)?;
            Some(Term { ja, en: Some(en), note: r.note, wrong, level, defined, loc })
        }
        _ => {
            let key = if ja.is_empty() { "ja" } else { "en" };
            diags.push(Diagnostic::new("term-file", loc).arg("ja", &ja).arg("key", key));
            None
        }
    }
}

/// An entry's level (its `classification:`, raised to its defining section's) and that section.
fn level_and_place(
    r: &RawTerm,
    loc: &Loc,
    config: &Config,
    docs: &[Document],
    diags: &mut Vec<Diagnostic>,
) -> Option<(Level, Option<Defined>)> {
    let mut level = config.lowest();
    if let Some(c) = &r.classification {
        let Some(l) = config.level(c) else {
            diags.push(
                Diagnostic::new("unknown-level.term", loc.clone())
                    .arg("level", c)
                    .arg("ja", &r.ja)
                    .arg("levels", config.level_keys()),
            );
            return None;
        };
        level = l;
    }
    let Some(d) = &r.defined else { return Some((level, None)) };
    let (doc, section) = d.split_once('#').unwrap_or((d.as_str(), ""));
    let Some(s) = docs.iter().find(|x| x.id == doc).and_then(|x| x.section(section)) else {
        diags.push(Diagnostic::new("term-defined", loc.clone()).arg("defined", d));
        return None;
    };
    Some((level.max(s.level), Some(Defined { doc: doc.to_string(), section: section.to_string() })))
}

/// The termbase's own diagnostics and those of every section's use of its terms; `texts` (the
/// source files, by path) narrow a warning to the line where the term stands.
pub fn check(p: &Project, texts: &BTreeMap<String, String>, out: &mut Vec<Diagnostic>) {
    entries(&p.terms, out);
    let by_length = by_length(&p.terms);
    for doc in &p.documents {
        for s in doc.walk() {
            section_uses(doc, s, &by_length, texts, out);
        }
    }
}

/// A Japanese term twice, and one English term for two Japanese ones.
fn entries(terms: &[Term], out: &mut Vec<Diagnostic>) {
    let mut ja_seen: BTreeMap<&str, &Term> = BTreeMap::new();
    let mut en_seen: BTreeMap<String, &Term> = BTreeMap::new();
    for t in terms {
        if let Some(first) = ja_seen.get(t.ja.as_str()) {
            out.push(Diagnostic::new("term-duplicate", t.loc.clone()).arg("ja", &t.ja).arg("first", &first.loc));
            continue;
        }
        ja_seen.insert(&t.ja, t);
        let Some(en) = &t.en else { continue };
        match en_seen.get(&en.to_lowercase()) {
            Some(first) if first.ja != t.ja => out.push(
                Diagnostic::new("term-ambiguous", t.loc.clone())
                    .arg("en", en)
                    .arg("first", &first.ja)
                    .arg("first_loc", &first.loc)
                    .arg("ja", &t.ja),
            ),
            _ => {
                en_seen.insert(en.to_lowercase(), t);
            }
        }
    }
}

/// The terms a section's Japanese uses, each checked against its English.
fn section_uses(
    doc: &Document,
    s: &Section,
    terms: &[&Term],
    texts: &BTreeMap<String, String>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(en) = &s.en else { return };
    if terms.is_empty() {
        return;
    }
    let uses = used(&own_text(&s.ja.title, &s.ja.blocks), terms);
    if uses.is_empty() {
        return;
    }
    let en_text = own_text(&en.title, &en.blocks);
    let at = |loc: &Loc, needle: &str, exact_case: bool| match texts.get(&loc.file) {
        Some(text) => loc.narrow_to(text, &mut |l| find_word(l, needle, exact_case)),
        None => loc.clone(),
    };
    let place = format!("{}#{}", doc.id, s.id);
    for t in uses {
        let Some(term) = &t.en else { continue };
        let ja_loc = at(&s.ja.loc, &t.ja, true);
        let exact = |w: &String| w.to_lowercase() == term.to_lowercase();
        if let Some(w) = t.wrong.iter().find(|w| contains(&en_text, w, exact(w))) {
            let en_loc = at(&en.loc, w, exact(w));
            out.push(
                Diagnostic::new("term-wrong", en_loc.clone())
                    .arg("place", &place)
                    .arg("en_loc", &en_loc)
                    .arg("wrong", w)
                    .arg("ja", &t.ja)
                    .arg("ja_loc", &ja_loc)
                    .arg("term", term),
            );
        } else if !contains(&en_text, term, false) {
            let en_loc = &en.loc;
            out.push(
                Diagnostic::new("term-missing", en_loc.clone())
                    .arg("place", &place)
                    .arg("ja", &t.ja)
                    .arg("ja_loc", &ja_loc)
                    .arg("en_loc", en_loc)
                    .arg("term", term),
            );
        }
    }
}

/// A section's title and own blocks (not its subsections') as text.
fn own_text<P>(title: &[super::Inline<P>], blocks: &[Block<P>]) -> String {
    format!("{}\n{}", plain_text(title), super::blocks_text(blocks))
}

/// The terms with a Japanese term, longest first: what [`used`] takes.
pub fn by_length(terms: &[Term]) -> Vec<&Term> {
    let mut out: Vec<&Term> = terms.iter().filter(|t| !t.ja.is_empty()).collect();
    out.sort_by_key(|t| std::cmp::Reverse(t.ja.chars().count()));
    out
}

/// The terms `text` uses, each once, in order of first use. Word-aware: at each place the longest
/// term wins, so 情報セキュリティポリシー is that term and not 情報セキュリティ followed by text.
pub fn used<'t>(text: &str, by_length: &[&'t Term]) -> Vec<&'t Term> {
    let mut out: Vec<&Term> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        match by_length.iter().find(|t| rest.starts_with(t.ja.as_str())) {
            Some(t) => {
                if !out.iter().any(|u| std::ptr::eq(*u, *t)) {
                    out.push(t);
                }
                i += t.ja.len();
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// Whether English `text` holds `term` as words: starting at a word boundary, possibly inflected
/// after it ("network" in "networks", "anticipate" in "anticipated"). Case-insensitive unless
/// `exact_case`.
pub fn contains(text: &str, term: &str, exact_case: bool) -> bool {
    find_word(text, term, exact_case).is_some()
}

/// Where [`contains`] finds `term` in `text`: its column (0-based, in characters).
fn find_word(text: &str, term: &str, exact_case: bool) -> Option<usize> {
    let (text, term) =
        if exact_case { (text.to_string(), term.to_string()) } else { (text.to_lowercase(), term.to_lowercase()) };
    let mut from = 0;
    while let Some(i) = text[from..].find(&term) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        // A word starts here; a Japanese term (no Latin letter) stands anywhere.
        if !before.is_some_and(char::is_alphanumeric) || !term.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Some(text[..at].chars().count());
        }
        from = at + term.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(ja: &str, en: &str) -> Term {
        Term {
            ja: ja.into(),
            en: Some(en.into()),
            note: None,
            wrong: vec![],
            level: Level(0),
            defined: None,
            loc: Loc::default(),
        }
    }

    #[test]
    fn the_longest_term_wins_inside_a_compound() {
        let (a, b, c) = (term("情報セキュリティ", "x"), term("情報セキュリティポリシー", "y"), term("情報", "z"));
        let by_length = vec![&b, &a, &c];
        let used = used("情報セキュリティポリシーを遵守し、情報を守る", &by_length);
        let names: Vec<&str> = used.iter().map(|t| t.ja.as_str()).collect();
        assert_eq!(names, ["情報セキュリティポリシー", "情報"]);
    }

    #[test]
    fn english_terms_match_words_inflected_and_in_any_case() {
        assert!(contains("Networks are", "network", false));
        assert!(contains("threats are anticipated", "anticipate", false));
        assert!(!contains("subnetwork", "network", false));
        assert!(contains("Information system administrators", "Information system administrator", true));
        assert!(!contains("Information System Administrators", "Information system administrator", true));
    }

    #[test]
    fn an_entry_is_found_at_its_own_line() {
        let yaml = "- ja: 情報セキュリティ基本方針\n  en: x\n- ja: \"情報セキュリティ\"\n  en: y\n";
        assert_eq!(entry_loc(yaml, "情報セキュリティ", "t.yaml").line, 3);
        assert_eq!(entry_loc(yaml, "情報セキュリティ基本方針", "t.yaml").line, 1);
    }

    #[test]
    fn a_trailing_parenthesis_is_not_part_of_the_term() {
        assert_eq!(bare_title("マイナンバー利用事務系（個人番号利用事務系）"), "マイナンバー利用事務系");
        assert_eq!(
            bare_title("My Number utilization domain (Individual Number utilization domain)"),
            "My Number utilization domain"
        );
        assert_eq!(bare_title("（注）"), "（注）");
    }
}
