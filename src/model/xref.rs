//! Cross-references: finding every reference with the level of the place it stands in, resolving
//! a reference to its target (a document, a section, or a 項 or 号 of an article), and the label
//! an empty reference prints (the target's number).

use crate::config::{Lang, Level};
use crate::model::numbering::{roman, widen, Number, Style};
use crate::model::{plain_text, walk, Block, Document, Inline, Kind, ListItem, Ref, Section};
use serde::Serialize;
use std::collections::HashMap;

/// One step below a section in a reference: a 項, 号 or 号の細分 by its number as printed, with the
/// branch of an inserted item (`2-2` in the source is (2)の2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Seg {
    pub ordinal: u32,
    pub branch: u32,
}

/// The steps after a section id: `2/3` → 第2項第3号, `1/2-2` → 第1項第2号の2, `` → none.
/// `None` when a step is not a number (or a number with a branch from 2 up).
pub fn parse_segs(s: &str) -> Option<Vec<Seg>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    let num = |x: &str| x.parse::<u32>().ok().filter(|n| *n > 0 && x.bytes().all(|c| c.is_ascii_digit()));
    s.split('/')
        .map(|p| match p.split_once('-') {
            Some((o, b)) => Some(Seg { ordinal: num(o)?, branch: num(b).filter(|b| *b >= 2)? }),
            None => Some(Seg { ordinal: num(p)?, branch: 0 }),
        })
        .collect()
}

/// The steps as written in the source: `/2/3`, `/1/2-2` (empty for none).
pub fn seg_path(segs: &[Seg]) -> String {
    segs.iter()
        .map(|s| if s.branch == 0 { format!("/{}", s.ordinal) } else { format!("/{}-{}", s.ordinal, s.branch) })
        .collect()
}

/// A 項, 号 or 号の細分 of an article or 附則, found from the structure: the paragraphs are the 項
/// (the first one unnumbered), ordered lists the 号 of the 項 before them, nested lists their 細分.
#[derive(Debug, Clone)]
pub struct Unit<'a, P = ()> {
    pub path: Vec<Seg>,
    /// The classification of the place: the section's, raised by a container around it.
    pub level: Level,
    /// Its own text (not that of the 号 below it): where the references standing in it are.
    pub text: Vec<&'a [Inline<P>]>,
}

/// Whether a section holds 項 and 号: a (not repealed) article or a 附則.
fn has_units<P>(s: &Section<P>) -> bool {
    matches!(s.kind, Kind::Article { deleted: false, .. } | Kind::Supplementary { .. })
}

/// The units of a section's text in `blocks` (its Japanese or English blocks), in document order;
/// none for a section that is not an article or 附則.
pub fn units<'a, P>(s: &Section<P>, blocks: &'a [Block<P>]) -> Vec<Unit<'a, P>> {
    let mut out = Vec::new();
    if has_units(s) {
        body_units(blocks, s.level, &mut 0, &mut out);
    }
    out
}

fn body_units<'a, P>(blocks: &'a [Block<P>], level: Level, paragraph: &mut u32, out: &mut Vec<Unit<'a, P>>) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } => {
                *paragraph += 1;
                out.push(Unit { path: vec![Seg { ordinal: *paragraph, branch: 0 }], level, text: vec![content] });
            }
            Block::List { ordered: true, items } => {
                item_units(items, level, &[Seg { ordinal: (*paragraph).max(1), branch: 0 }], out)
            }
            Block::Classified { level: l, blocks, .. } => body_units(blocks, (*l).max(level), paragraph, out),
            _ => {}
        }
    }
}

fn item_units<'a, P>(items: &'a [ListItem<P>], level: Level, parent: &[Seg], out: &mut Vec<Unit<'a, P>>) {
    for it in items {
        let Some(n) = &it.number else { continue };
        let path = [parent, &[Seg { ordinal: n.ordinal, branch: n.branch }]].concat();
        let text = it.blocks.iter().filter_map(|b| match b {
            Block::Paragraph { content, .. } => Some(content.as_slice()),
            _ => None,
        });
        out.push(Unit { path: path.clone(), level, text: text.collect() });
        for b in &it.blocks {
            if let Block::List { ordered: true, items } = b {
                item_units(items, level, &path, out);
            }
        }
    }
}

/// The 項 or 号 a reference points to inside its section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub path: Vec<Seg>,
    pub level: Level,
    /// How many 項 the article has: with one, 第1項 is not printed (第2条第3号).
    pub paragraphs: u32,
}

impl Part {
    /// The part at `path` of the section `s`, if it has one.
    pub fn find<P>(s: &Section<P>, path: &[Seg]) -> Option<Part> {
        let units = units(s, &s.ja.blocks);
        let u = units.iter().find(|u| u.path == path)?;
        let paragraphs = units.iter().filter(|u| u.path.len() == 1).count() as u32;
        Some(Part { path: u.path.clone(), level: u.level, paragraphs })
    }

    /// The printed steps from `depth` on (0: 項, 1: 号, 2 and more: 細分), without the article:
    /// 「第2項第3号」, 「, paragraph (2), item (iii)」. Japanese is half-width: widen it to print.
    pub fn steps(&self, depth: usize, lang: Lang) -> String {
        let mut out = String::new();
        for (d, s) in self.path.iter().enumerate().skip(depth) {
            let branch = |sep: &str| if s.branch > 0 { format!("{sep}{}", s.branch) } else { String::new() };
            out.push_str(&match (d, lang) {
                (0, _) if self.paragraphs <= 1 => String::new(),
                (0, Lang::Ja) => format!("第{}項", s.ordinal),
                (0, Lang::En) => format!(", paragraph ({})", s.ordinal),
                (1, Lang::Ja) => format!("第{}号{}", s.ordinal, branch("の")),
                (1, Lang::En) => format!(", item ({}{})", roman(s.ordinal), branch("-")),
                (_, Lang::Ja) => Number::new(Style::Article, d as u8 + 2, s.ordinal, None).branched(s.branch).ja,
                (_, Lang::En) => {
                    format!(", {}", Number::new(Style::Article, d as u8 + 2, s.ordinal, None).branched(s.branch).en)
                }
            });
        }
        out
    }
}

/// What a reference points to.
#[derive(Debug)]
pub struct Target<'a, P = ()> {
    pub doc: &'a Document<P>,
    /// `None` when the reference names the document as a whole.
    pub section: Option<&'a Section<P>>,
    /// The 項 or 号 inside the section, for a reference like `#id/2/3`.
    pub part: Option<Part>,
}

impl<P> Clone for Target<'_, P> {
    fn clone(&self) -> Self {
        Target { doc: self.doc, section: self.section, part: self.part.clone() }
    }
}

impl<P> Target<'_, P> {
    /// The level a reader needs to see the target.
    pub fn level(&self) -> Level {
        match (&self.part, self.section) {
            (Some(p), _) => p.level,
            (None, Some(s)) => s.level,
            (None, None) => self.doc.level,
        }
    }

    /// The anchor of the target on its document's page (`None` for the whole document). A 項 or
    /// 号 has no anchor of its own: links lead to its article.
    pub fn anchor(&self) -> Option<&str> {
        self.section.map(|s| s.id.as_str())
    }
}

/// The target at `sub` (the 項 or 号 steps of a reference) in `doc` once its section is found: the
/// section, or its 項 or 号.
fn target<'a, P>(doc: &'a Document<P>, section: &'a Section<P>, sub: &[Seg]) -> Option<Target<'a, P>> {
    let part = match sub.is_empty() {
        true => None,
        false => Some(Part::find(section, sub)?),
    };
    Some(Target { doc, section: Some(section), part })
}

/// Resolves a reference among `docs` (a linear search: use an [`Index`] for many references).
pub fn resolve<'a>(docs: &'a [Document], r: &Ref) -> Option<Target<'a>> {
    let doc = docs.iter().find(|d| d.id == r.doc)?;
    match &r.section {
        None => Some(Target { doc, section: None, part: None }),
        Some(id) => target(doc, doc.section(id)?, &r.sub),
    }
}

/// Where a target stands in a list of documents: the document's position and the section's path
/// of positions from the top (empty for the document as a whole).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    doc: usize,
    path: Vec<usize>,
}

impl Place {
    /// The target in `docs`, the list of documents (or a filtered copy with the same tree) the
    /// place was found in, and its 項 or 号 at `sub`.
    pub fn target<'a, P>(&self, docs: &'a [Document<P>], sub: &[Seg]) -> Option<Target<'a, P>> {
        let doc = docs.get(self.doc)?;
        if self.path.is_empty() {
            return Some(Target { doc, section: None, part: None });
        }
        target(doc, walk::chain(&doc.sections, &self.path)?.last()?, sub)
    }
}

/// Where every document and section of a list of documents is, so that resolving a reference
/// costs a hash look-up and a walk down its path, not a search of the whole project.
#[derive(Debug, Clone, Default)]
pub struct Index {
    docs: HashMap<String, usize>,
    /// (document id, section id) → place.
    sections: HashMap<(String, String), Place>,
}

impl Index {
    pub fn new<P>(docs: &[Document<P>]) -> Index {
        let mut idx = Index::default();
        for (d, doc) in docs.iter().enumerate() {
            idx.docs.entry(doc.id.clone()).or_insert(d);
            for p in walk::sections(&doc.sections) {
                let key = (doc.id.clone(), p.section.id.clone());
                idx.sections.entry(key).or_insert(Place { doc: d, path: p.path });
            }
        }
        idx
    }

    /// The place of the document `doc` (or of its section `section`, when given), if the
    /// documents this index was built from hold it.
    pub fn place(&self, doc: &str, section: Option<&str>) -> Option<Place> {
        match section {
            None => self.docs.get(doc).map(|&d| Place { doc: d, path: Vec::new() }),
            Some(id) => self.sections.get(&(doc.to_string(), id.to_string())).cloned(),
        }
    }

    /// Resolves a reference among the documents this index was built from.
    pub fn resolve<'a>(&self, docs: &'a [Document], r: &Ref) -> Option<Target<'a>> {
        self.place(&r.doc, r.section.as_deref())?.target(docs, &r.sub)
    }
}

/// The text an empty reference prints in `lang`, read from the document `from`: the target's
/// number path (6(3)ア, 第5条第2項第3号), its title when it has no number, and the other
/// document's title before either when it points elsewhere.
pub fn label<P>(from: &str, t: &Target<'_, P>, lang: Lang) -> String {
    let section = t.section.map(|s| match &s.number {
        Some(n) => {
            let steps = t.part.as_ref().map(|p| p.steps(0, lang)).unwrap_or_default();
            match lang {
                Lang::Ja => format!("{}{}", n.path(lang), widen(&steps, t.doc.numerals)),
                Lang::En => format!("{}{steps}", n.path(lang)),
            }
        }
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

/// Where the 項 and 号 that references point to stand in an edition. An edition that leaves a 項
/// out numbers the rest again, so a unit is found by its place among the units the edition keeps.
#[derive(Debug, Default)]
pub struct Renumbered(HashMap<(String, String, Vec<Seg>), Option<Vec<Seg>>>);

impl Renumbered {
    /// For every reference of the edition's documents `edition` to a 項 or 号: its path in the
    /// edition, or `None` when the edition (with `ceiling`) leaves it out.
    pub fn new(full: &[Document], edition: &[Document], ceiling: Level) -> Renumbered {
        let mut map = HashMap::new();
        for d in edition {
            each_ref(d, &mut |r, _, _| {
                let Some(id) = r.section.as_ref().filter(|_| !r.sub.is_empty()) else { return };
                let key = (r.doc.clone(), id.clone(), r.sub.clone());
                map.entry(key).or_insert_with(|| {
                    section_of(full, &r.doc, id)
                        .zip(section_of(edition, &r.doc, id))
                        .and_then(|(f, e)| moved(f, e, &r.sub, ceiling))
                });
            });
        }
        Renumbered(map)
    }

    /// Gives `r` the path of its 項 or 号 in the edition; false when the edition leaves it out.
    pub fn apply(&self, r: &mut Ref) -> bool {
        let Some(id) = r.section.as_ref().filter(|_| !r.sub.is_empty()) else { return true };
        match self.0.get(&(r.doc.clone(), id.clone(), r.sub.clone())) {
            Some(Some(path)) => {
                r.sub = path.clone();
                true
            }
            _ => false,
        }
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
#[derive(Debug)]
pub struct Run<'a, P = ()> {
    prev: Option<Target<'a, P>>,
}

impl<P> Default for Run<'_, P> {
    fn default() -> Self {
        Run { prev: None }
    }
}

impl<'a, P> Run<'a, P> {
    /// The label of the empty reference to `t` at this point of the run.
    pub fn label(&mut self, from: &str, t: Target<'a, P>, lang: Lang) -> String {
        let prev = self.prev.replace(t.clone());
        prev.and_then(|p| compact(&p, &t, lang)).unwrap_or_else(|| label(from, &t, lang))
    }

    /// Notes the inline `i` on the way: an empty reference or a joining word keeps the run
    /// going, anything else ends it.
    pub fn pass(&mut self, i: &Inline<P>) {
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

fn section_of<'a>(docs: &'a [Document], doc: &str, id: &str) -> Option<&'a Section> {
    docs.iter().find(|d| d.id == doc)?.section(id)
}

/// The path in the edition's section `ed` of the unit at `path` of the whole model's section `full`.
fn moved(full: &Section, ed: &Section, path: &[Seg], ceiling: Level) -> Option<Vec<Seg>> {
    let all = units(full, &full.ja.blocks);
    let i = all.iter().position(|u| u.path == path)?;
    if all[i].level > ceiling {
        return None;
    }
    let k = all[..i].iter().filter(|u| u.level <= ceiling).count();
    units(ed, &ed.ja.blocks).get(k).map(|u| u.path.clone())
}

/// The label of `t` after `prev` in a run: its number below the sections they share, or its
/// whole number without the document's title; `None` when `t` names another document or has no
/// number, or when it is `prev` or one of its parents.
fn compact<P>(prev: &Target<'_, P>, t: &Target<'_, P>, lang: Lang) -> Option<String> {
    if prev.doc.id != t.doc.id || prev.part.is_some() || t.part.is_some() {
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
    walk::inlines_in(doc, &mut |i, level, lang| {
        if let Inline::Ref(r) = i {
            f(r, level, lang)
        }
    });
}
