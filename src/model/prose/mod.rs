//! The prose check: slips in the wording of the sources, as warnings of `policybook check`.
//!
//! It reads the loaded model's text (headings, paragraphs, list items, table cells; code and the
//! numbers references print are left out), passage by passage, and finds each hit again in its
//! source file for its line ([`locate`]). Rules on one passage are in [`rules`], the rules over
//! the whole project (表記ゆれ, full and half width) in [`variants`].
//!
//! A code is switched off for the project in book.toml (`[check] allow = ["prose-width"]`), one
//! occurrence in the source with a marker that is never printed:
//! `<!-- policybook: allow prose-doubled -->` alone on the line before, or at the end of the line.
//!
//! | code | message (en) | message (ja) | hint (en) | hint (ja) |
//! |---|---|---|---|---|
//! | `prose-doubled` | 「情報」 is written twice: 「情報情報」 / «the» is written twice | 「情報」が重複しています：「情報情報」 | delete one 「情報」 | 「情報」を一つ削除してください |
//! | `prose-variant` | 「ウィルス」: this project also writes 「ウイルス」 (file:line) | 「ウィルス」：このプロジェクトでは「ウイルス」とも書かれています（file:line） | write 「ウイルス」 throughout (…) | 「ウイルス」に統一してください（book.toml の [check.variants] で優先する表記を変えられます） |
//! | `prose-width` | 「ＬＧＷＡＮ」 is also written 「LGWAN」 (N times) / 「ＩＳＯ27001」 mixes full- and half-width characters | 「ＬＧＷＡＮ」は「LGWAN」とも書かれています（N箇所）／「ＩＳＯ27001」は全角と半角が混在しています | write 「LGWAN」 | 「LGWAN」に統一してください |
//! | `prose-spaced` | the letters of 「LGWAN」 are spaced out: 「L G W A N」 | 「LGWAN」の文字間に空白があります：「L G W A N」 | write 「LGWAN」 without spaces | 空白を入れずに「LGWAN」と書いてください |
//! | `prose-halfwidth-kana` | half-width katakana 「ｳｲﾙｽ」 | 半角カタカナ「ｳｲﾙｽ」 | write it in full-width katakana: 「ウイルス」 | 全角カタカナで「ウイルス」と書いてください |
//! | `prose-punctuation` | doubled punctuation 「、、」 | 句読点が重複しています：「、、」 | keep one mark | 一つにしてください |
//! | `prose-bracket` | 「「」 is not closed in its paragraph / 「）」 closes no 「（」 | 「「」が段落内で閉じられていません／「）」に対応する「（」がありません | add the missing 「」」, or delete this 「「」 | 対応する「」」を補うか、この「「」を削除してください |
//! | `prose-spaces` | 2 spaces between words | 語の間に空白が2つあります | leave one space | 空白を一つにしてください |
//! | `prose-allow` | `<!-- policybook: allow x -->` names no prose check | 「<!-- policybook: allow x -->」の x は文章チェックのコードではありません | use one of: … | 次のいずれかを使ってください：… |
//!
//! Every hint ends with how to keep the text as written: 「そのままにする場合は、前の行に
//! `<!-- policybook: allow CODE -->` を書いてください」.

pub mod locate;
pub mod rules;
pub mod variants;

use crate::config::{Config, ConfigError, Lang};
use crate::diag::{Diagnostic, Loc, Message};
use crate::model::{walk, Document, Inline, Loaded};
use locate::{Locator, Spot};
use rules::{Hit, OBJECT, RUN};
use std::collections::BTreeMap;

pub use locate::marker;

/// Every code the prose check reports: what `[check] allow` and a marker may name.
pub const CODES: [&str; 9] = [
    "prose-doubled",
    "prose-variant",
    "prose-width",
    "prose-spaced",
    "prose-halfwidth-kana",
    "prose-punctuation",
    "prose-bracket",
    "prose-spaces",
    "prose-allow",
];

/// A preamble or a section's text in one language, as the rules read it.
struct Passage {
    file: String,
    /// The heading's line; 0 for a preamble.
    line: u32,
    lang: Lang,
    /// The runs, joined by [`RUN`].
    text: String,
}

impl Passage {
    fn spot(&self) -> Spot<'_> {
        Spot { file: &self.file, line: self.line, text: &self.text }
    }
}

/// The prose check's warnings on a loaded project, but those book.toml or a marker allows.
pub fn run(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let groups = variants::groups(&loaded.project.config.check);
    let walked: Vec<(&Document, walk::Passage<'_>)> =
        loaded.project.documents.iter().flat_map(|d| walk::passages(d).into_iter().map(move |p| (d, p))).collect();
    // Each passage is made and read once, on the machine's cores: its own hits, and in Japanese
    // the forms of 表記ゆれ and the Latin words that the project-wide rules then compare.
    let mut read = super::par::map(&walked, |(doc, p)| {
        let passage = passage(doc, p);
        let (hits, forms, words) = match passage.lang {
            Lang::Ja => (
                rules::japanese(&passage.text),
                variants::find_all(&groups, &passage.text),
                variants::latin_words(&passage.text),
            ),
            Lang::En => (rules::english(&passage.text), Vec::new(), Vec::new()),
        };
        Read { passage, hits, forms, words }
    });
    let locator = Locator { texts: &loaded.texts };
    let mut found = Vec::new();
    for r in &mut read {
        let spot = r.passage.spot();
        found.extend(std::mem::take(&mut r.hits).into_iter().map(|h| warning(locator.find(&spot, h.range.clone()), h)));
    }
    let japanese: Vec<&Read> = read.iter().filter(|r| r.passage.lang == Lang::Ja).collect();
    spellings(&groups, &japanese, &locator, &mut found);
    widths(&japanese, &locator, &mut found);
    let (markers, allowed) = locate::markers(&loaded.texts);
    for m in &markers {
        for code in m.codes.iter().filter(|c| !CODES.contains(&c.as_str())) {
            found.push(
                Diagnostic::new("prose-allow", Loc::new(&m.file, m.line, m.column))
                    .arg("code", code)
                    .arg("codes", CODES.join(", ")),
            );
        }
    }
    let off = &loaded.project.config.check.allow;
    found.retain(|d| {
        !off.iter().any(|c| c == d.code) && !allowed.contains(&(d.loc.file.clone(), d.loc.line, d.code.to_string()))
    });
    out.extend(found);
}

/// A passage as the rules read it: its own hits; in Japanese, for each group of 表記ゆれ the
/// forms found ([`variants::find_all`]) and its Latin words ([`variants::latin_words`]).
struct Read {
    passage: Passage,
    hits: Vec<Hit>,
    forms: Vec<Vec<(usize, std::ops::Range<usize>)>>,
    words: Vec<(String, variants::Width, std::ops::Range<usize>)>,
}

/// A hit as a warning at `loc`, its hint saying how to keep the text as written.
fn warning(loc: Loc, h: Hit) -> Diagnostic {
    Diagnostic::of(h.text, loc)
}

/// A passage of `doc` as the rules read it: its runs of text joined by [`RUN`], where it is.
fn passage(doc: &Document, p: &walk::Passage<'_>) -> Passage {
    let (file, line) = match p.text {
        Some(t) => (t.loc.file.clone(), t.loc.line),
        None if p.lang == Lang::En => (doc.loc.file.replace(".ja.md", ".en.md"), 0),
        None => (doc.loc.file.clone(), 0),
    };
    let mut runs: Vec<String> = p.text.map(|t| run_text(&t.title)).into_iter().collect();
    walk::blocks(p.blocks, &mut |b| runs.extend(b.inline_runs().into_iter().map(run_text)));
    Passage { file, line, lang: p.lang, text: runs.join(&RUN.to_string()) }
}

/// The text of a run of inlines; code and a reference that prints a number are one [`OBJECT`].
fn run_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    walk::inlines(inlines, &mut |i| match i {
        Inline::Text { text } => s.push_str(text),
        Inline::Code { .. } => s.push(OBJECT),
        Inline::Ref(r) if r.content.is_empty() => s.push(OBJECT),
        Inline::Break => s.push('\n'),
        Inline::Emph { .. } | Inline::Strong { .. } | Inline::Link { .. } | Inline::Ref(_) => {}
    });
    s
}

/// An occurrence: what was found (a form, a width), the passage, where in its text.
type Found<'a, K> = (K, &'a Passage, std::ops::Range<usize>);

/// 表記ゆれ: where two forms of one group are used, each form but the preferred one.
fn spellings(groups: &[Vec<String>], read: &[&Read], locator: &Locator, out: &mut Vec<Diagnostic>) {
    for (g, group) in groups.iter().enumerate() {
        let seen: Vec<Found<usize>> =
            read.iter().flat_map(|r| r.forms[g].iter().map(move |(f, at)| (*f, &r.passage, at.clone()))).collect();
        let mut first: BTreeMap<usize, Loc> = BTreeMap::new();
        for (f, p, r) in &seen {
            first.entry(*f).or_insert_with(|| locator.find(&p.spot(), r.clone()));
        }
        if first.len() < 2 {
            continue;
        }
        for (f, p, r) in seen.iter().filter(|s| s.0 != 0) {
            let others: Vec<String> =
                first.iter().filter(|(g, _)| *g != f).map(|(g, at)| format!("「{}」 ({at})", group[*g])).collect();
            let hit = Hit::new("prose-variant", r.clone())
                .arg("form", group[*f].as_str())
                .arg_in("others", others.join(", "), others.join("、"))
                .arg("preferred", group[0].as_str());
            out.push(warning(locator.find(&p.spot(), r.clone()), hit));
        }
    }
}

/// A Latin word in full and half width: each occurrence of the width used less, and every word
/// that mixes both.
fn widths(read: &[&Read], locator: &Locator, out: &mut Vec<Diagnostic>) {
    use variants::Width;
    let mut words: BTreeMap<&str, Vec<Found<Width>>> = BTreeMap::new();
    for r in read {
        for (w, width, at) in &r.words {
            words.entry(w).or_default().push((*width, &r.passage, at.clone()));
        }
    }
    for (word, seen) in words {
        let mut counts = BTreeMap::new();
        seen.iter().for_each(|s| *counts.entry(s.0).or_insert(0usize) += 1);
        let flagged = variants::widths_to_flag(&counts);
        let n = |w: Width| counts.get(&w).copied().unwrap_or(0);
        let full = seen.iter().find(|s| s.0 == Width::Full).map(|s| &s.1.text[s.2.clone()]);
        let target = full.filter(|_| n(Width::Full) > n(Width::Half)).map_or(word.to_string(), str::to_string);
        for (width, p, r) in seen.iter().filter(|s| flagged.contains(&s.0)) {
            let written = &p.text[r.clone()];
            let hit = match width {
                Width::Mixed => Hit::new("prose-width.mixed", r.clone()),
                Width::Full => Hit::new("prose-width", r.clone()).arg("times", n(Width::Half)),
                Width::Half => Hit::new("prose-width", r.clone()).arg("times", n(Width::Full)),
            };
            let hit = hit.arg("written", written).arg("target", &target);
            out.push(warning(locator.find(&p.spot(), r.clone()), hit));
        }
    }
}

/// `[check] allow` names only codes of the prose check: an error at the unknown one.
pub fn check_config(config: &Config, manifest: &str, file: &str) -> Result<(), ConfigError> {
    let Some(code) = config.check.allow.iter().find(|c| !CODES.contains(&c.as_str())) else { return Ok(()) };
    let table = manifest.find("[check]").unwrap_or(0);
    let at = manifest[table..].find(&format!("\"{code}\"")).map_or(table, |o| table + o);
    let (line, column) = crate::diag::line_col(manifest, at);
    let text = Message::new("book-toml.allow").arg("code", code).arg("codes", CODES.join(", "));
    Err(ConfigError { loc: Loc::new(file, line, column), text })
}

#[cfg(test)]
mod tests;
