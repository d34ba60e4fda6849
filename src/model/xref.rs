//! Cross-references: finding every reference with the level of the place it stands in, resolving
//! a reference to its target, and the label an empty reference prints (the target's number).

use crate::config::{Lang, Level};
use crate::model::{plain_text, Block, Document, Inline, Ref, Section};
use std::collections::HashMap;

/// What a reference points to.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub doc: &'a Document,
    /// `None` when the reference names the document as a whole.
    pub section: Option<&'a Section>,
}

impl Target<'_> {
    /// The level a reader needs to see the target.
    pub fn level(&self) -> Level {
        self.section.map_or(self.doc.level, |s| s.level)
    }

    /// The anchor of the target on its document's page (`None` for the whole document).
    pub fn anchor(&self) -> Option<&str> {
        self.section.map(|s| s.id.as_str())
    }
}

/// Resolves a reference among `docs` (a linear search: use an [`Index`] for many references).
pub fn resolve<'a>(docs: &'a [Document], r: &Ref) -> Option<Target<'a>> {
    let doc = docs.iter().find(|d| d.id == r.doc)?;
    match &r.section {
        None => Some(Target { doc, section: None }),
        Some(id) => doc.section(id).map(|s| Target { doc, section: Some(s) }),
    }
}

/// Where every document and section of a list of documents is, so that resolving a reference
/// costs a hash look-up and a walk down its path, not a search of the whole project.
#[derive(Debug, Clone, Default)]
pub struct Index {
    docs: HashMap<String, usize>,
    /// (document id, section id) → (document position, child positions from the top).
    sections: HashMap<(String, String), (usize, Vec<usize>)>,
}

impl Index {
    pub fn new(docs: &[Document]) -> Index {
        fn go(
            doc: &str,
            d: usize,
            s: &[Section],
            path: &mut Vec<usize>,
            out: &mut HashMap<(String, String), (usize, Vec<usize>)>,
        ) {
            for (i, x) in s.iter().enumerate() {
                path.push(i);
                out.entry((doc.to_string(), x.id.clone())).or_insert_with(|| (d, path.clone()));
                go(doc, d, &x.children, path, out);
                path.pop();
            }
        }
        let mut idx = Index::default();
        for (d, doc) in docs.iter().enumerate() {
            idx.docs.entry(doc.id.clone()).or_insert(d);
            go(&doc.id, d, &doc.sections, &mut Vec::new(), &mut idx.sections);
        }
        idx
    }

    /// Whether the documents this index was built from hold the document `doc` (and its section
    /// `section`, when given).
    pub fn contains(&self, doc: &str, section: Option<&str>) -> bool {
        match section {
            None => self.docs.contains_key(doc),
            Some(id) => self.sections.contains_key(&(doc.to_string(), id.to_string())),
        }
    }

    /// Resolves a reference among the documents this index was built from.
    pub fn resolve<'a>(&self, docs: &'a [Document], r: &Ref) -> Option<Target<'a>> {
        let Some(id) = &r.section else {
            return self.docs.get(&r.doc).map(|&d| Target { doc: &docs[d], section: None });
        };
        let (d, path) = self.sections.get(&(r.doc.clone(), id.clone()))?;
        let doc = &docs[*d];
        let mut s = doc.sections.get(*path.first()?)?;
        for &i in &path[1..] {
            s = s.children.get(i)?;
        }
        Some(Target { doc, section: Some(s) })
    }
}

/// The text an empty reference prints in `lang`, read from the document `from`: the target's
/// number path (6(3)ア), its title when it has no number, and the other document's title before
/// either when it points elsewhere.
pub fn label(from: &str, t: &Target<'_>, lang: Lang) -> String {
    let section = t.section.map(|s| match &s.number {
        Some(n) => n.path(lang).to_string(),
        None => plain_text(&s.text(lang).0.title),
    });
    match (t.doc.id == from, section) {
        (true, Some(s)) => s,
        (false, Some(s)) => match lang {
            Lang::Ja => format!("{}{s}", t.doc.title(lang)),
            Lang::En => format!("{}, {s}", t.doc.title(lang)),
        },
        (_, None) => match lang {
            Lang::Ja => t.doc.title(lang).to_string(),
            Lang::En => t.doc.title(lang).to_string(),
        },
    }
}

/// Words that join references into one run (「2(6)及び(7)」, "6 to 8"): only these may stand
/// between two references for the second to be compacted.
const JOINERS: [&str; 16] = [
    "及び",
    "並びに",
    "又は",
    "若しくは",
    "、",
    "・",
    "から",
    "～",
    "〜",
    "，",
    ",",
    "and",
    "or",
    "to",
    ", and",
    ", or",
];

/// Empty references in one sequence of inlines, in order: a reference that follows another to the
/// same document, joined to it only by a word of [`JOINERS`], does not repeat what the two share
/// (the document's title, the common parent's number): 「情報セキュリティ基本方針2(6)及び(7)」.
#[derive(Debug, Default)]
pub struct Run<'a> {
    prev: Option<Target<'a>>,
}

impl<'a> Run<'a> {
    /// The label of the empty reference to `t` at this point of the run.
    pub fn label(&mut self, from: &str, t: Target<'a>, lang: Lang) -> String {
        let prev = self.prev.replace(t);
        prev.and_then(|p| compact(&p, &t, lang)).unwrap_or_else(|| label(from, &t, lang))
    }

    /// Notes the inline `i` on the way: an empty reference or a joining word keeps the run
    /// going, anything else ends it.
    pub fn pass(&mut self, i: &Inline) {
        let joins = match i {
            Inline::Text { text } => JOINERS.contains(&text.trim()),
            Inline::Ref(r) => r.content.is_empty(),
            _ => false,
        };
        if !joins {
            self.prev = None;
        }
    }
}

/// The label of `t` after `prev` in a run: its number below the sections they share, or its
/// whole number without the document's title; `None` when `t` names another document or has no
/// number, or when it is `prev` or one of its parents.
fn compact(prev: &Target<'_>, t: &Target<'_>, lang: Lang) -> Option<String> {
    if prev.doc.id != t.doc.id {
        return None;
    }
    let (p, s) = (prev.section?, t.section?);
    let (pp, sp) = (t.doc.path_to(&p.id)?, t.doc.path_to(&s.id)?);
    let shared = pp.iter().zip(&sp).take_while(|(a, b)| a.id == b.id).count();
    if shared >= sp.len() {
        return None;
    }
    let path = s.number.as_ref()?.path(lang);
    let parent = match shared {
        0 => "",
        n => sp[n - 1].number.as_ref()?.path(lang),
    };
    path.strip_prefix(parent).map(str::to_string)
}

/// Calls `f` with every reference of a document (both languages) and the level of the place it
/// stands in.
pub fn each_ref(doc: &Document, f: &mut dyn FnMut(&Ref, Level, Lang)) {
    for lang in Lang::ALL {
        if let Some(p) = doc.preamble.get(lang) {
            blocks_refs(p, doc.level, lang, f);
        }
    }
    for s in doc.walk() {
        for lang in Lang::ALL {
            let text = match lang {
                Lang::Ja => Some(&s.ja),
                Lang::En => s.en.as_ref(),
            };
            if let Some(t) = text {
                inline_refs(&t.title, s.level, lang, f);
                blocks_refs(&t.blocks, s.level, lang, f);
            }
        }
    }
}

fn blocks_refs(blocks: &[Block], level: Level, lang: Lang, f: &mut dyn FnMut(&Ref, Level, Lang)) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } => inline_refs(content, level, lang, f),
            Block::List { items, .. } => items.iter().for_each(|i| blocks_refs(&i.blocks, level, lang, f)),
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    inline_refs(cell, level, lang, f);
                }
            }
            Block::Quote { blocks } => blocks_refs(blocks, level, lang, f),
            Block::Classified { level: l, blocks, .. } => blocks_refs(blocks, (*l).max(level), lang, f),
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

fn inline_refs(inlines: &[Inline], level: Level, lang: Lang, f: &mut dyn FnMut(&Ref, Level, Lang)) {
    for i in inlines {
        match i {
            Inline::Ref(r) => {
                f(r, level, lang);
                inline_refs(&r.content, level, lang, f);
            }
            Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
                inline_refs(content, level, lang, f)
            }
            _ => {}
        }
    }
}
