//! The one walker over the model tree: sections, passages (a preamble or a section's text in one
//! language), blocks with their effective level, and inlines; read-only, in place, and the map that
//! turns a project's references into an edition's.
//!
//! It exists so that a new kind of block or inline is taught to the traversal once: checks,
//! indexes, the edition filter and plain-text extraction all walk through here. Renderers that
//! emit nested markup in order (HTML, PDF data, outline, the diff's indented text) and numbering
//! (which carries sibling counts) keep their own structural recursion.

use crate::config::{Lang, Level};
use crate::model::{Block, Document, Inline, ListItem, Ref, Section, SectionText, Texts};

/// A section and its place in the tree.
#[derive(Debug)]
pub struct Placed<'a, P = ()> {
    pub section: &'a Section<P>,
    /// The section holding it, `None` at the top level.
    pub parent: Option<&'a Section<P>>,
    /// Its position among its siblings at each depth, from the top.
    pub path: Vec<usize>,
}

impl<P> Placed<'_, P> {
    /// The position among its siblings (0-based).
    pub fn position(&self) -> usize {
        self.path.last().copied().unwrap_or(0)
    }

    pub fn parent_id(&self) -> Option<&str> {
        self.parent.map(|s| s.id.as_str())
    }
}

/// Every section of `sections` and below, depth first, in document order.
pub fn sections<P>(sections: &[Section<P>]) -> Vec<Placed<'_, P>> {
    fn go<'a, P>(
        s: &'a [Section<P>],
        parent: Option<&'a Section<P>>,
        path: &mut Vec<usize>,
        out: &mut Vec<Placed<'a, P>>,
    ) {
        for (i, x) in s.iter().enumerate() {
            path.push(i);
            out.push(Placed { section: x, parent, path: path.clone() });
            go(&x.children, Some(x), path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    go(sections, None, &mut Vec::new(), &mut out);
    out
}

/// The chain of sections from the top down along `path` (positions, as in [`Placed::path`]).
pub fn chain<'a, P>(sections: &'a [Section<P>], path: &[usize]) -> Option<Vec<&'a Section<P>>> {
    let mut level = sections;
    let mut out = Vec::with_capacity(path.len());
    for &i in path {
        let s = level.get(i)?;
        out.push(s);
        level = &s.children;
    }
    Some(out)
}

/// Calls `f` on every list of sections, the top one first, then each remaining section's
/// children: what `f` removes is not walked into.
pub fn section_lists_mut<P>(sections: &mut Vec<Section<P>>, f: &mut impl FnMut(&mut Vec<Section<P>>)) {
    f(sections);
    for s in sections.iter_mut() {
        section_lists_mut(&mut s.children, f);
    }
}

/// The preamble, or one section's text, in one language.
#[derive(Debug)]
pub struct Passage<'a, P = ()> {
    pub lang: Lang,
    /// The level it stands at: the section's, or the document's for the preamble.
    pub level: Level,
    /// The section's text (heading and place); `None` for the preamble.
    pub text: Option<&'a SectionText<P>>,
    pub blocks: &'a [Block<P>],
}

impl<P> Passage<'_, P> {
    /// The heading (none for the preamble).
    pub fn title(&self) -> &[Inline<P>] {
        self.text.map_or(&[], |t| &t.title)
    }
}

/// Every passage of a document: the preamble in each language it has, then each section's text
/// in Japanese and (when translated) English, in document order.
pub fn passages<P>(doc: &Document<P>) -> Vec<Passage<'_, P>> {
    let mut out: Vec<Passage<'_, P>> = Lang::ALL
        .into_iter()
        .filter_map(|lang| doc.preamble.get(lang).map(|b| Passage { lang, level: doc.level, text: None, blocks: b }))
        .collect();
    for p in sections(&doc.sections) {
        let s = p.section;
        for (lang, text) in [(Lang::Ja, Some(&s.ja)), (Lang::En, s.en.as_ref())] {
            if let Some(t) = text {
                out.push(Passage { lang, level: s.level, text: Some(t), blocks: &t.blocks });
            }
        }
    }
    out
}

/// Calls `f` on every list of blocks of a document (preamble and section texts, both languages,
/// nested ones included); what `f` removes is not walked into.
pub fn block_lists_in_mut<P>(doc: &mut Document<P>, f: &mut impl FnMut(&mut Vec<Block<P>>)) {
    block_lists_mut(&mut doc.preamble.ja, f);
    if let Some(en) = doc.preamble.en.as_mut() {
        block_lists_mut(en, f);
    }
    section_lists_mut(&mut doc.sections, &mut |list| {
        for s in list {
            for t in std::iter::once(&mut s.ja).chain(s.en.as_mut()) {
                block_lists_mut(&mut t.blocks, f);
            }
        }
    });
}

/// Calls `f` on `blocks`, then on every list of blocks inside what remains of it.
pub fn block_lists_mut<P>(blocks: &mut Vec<Block<P>>, f: &mut impl FnMut(&mut Vec<Block<P>>)) {
    f(blocks);
    for b in blocks.iter_mut() {
        match b {
            Block::List { items, .. } => items.iter_mut().for_each(|i| block_lists_mut(&mut i.blocks, f)),
            Block::Quote { blocks } | Block::Classified { blocks, .. } => block_lists_mut(blocks, f),
            Block::Paragraph { .. } | Block::Table { .. } | Block::Code { .. } | Block::Rule | Block::Figure(_) => {}
        }
    }
}

/// Every block of `blocks` and below, depth first (a container before what it holds).
pub fn blocks<'a, P>(blocks: &'a [Block<P>], f: &mut impl FnMut(&'a Block<P>)) {
    blocks_at(blocks, Level(0), &mut |b, _| f(b));
}

/// Every block of `blocks` and below, depth first, with the level it stands at: `level`, raised
/// inside a classified container.
pub fn blocks_at<'a, P>(blocks: &'a [Block<P>], level: Level, f: &mut impl FnMut(&'a Block<P>, Level)) {
    for b in blocks {
        f(b, level);
        match b {
            Block::List { items, .. } => items.iter().for_each(|i| blocks_at(&i.blocks, level, f)),
            Block::Quote { blocks } => blocks_at(blocks, level, f),
            Block::Classified { level: l, blocks, .. } => blocks_at(blocks, (*l).max(level), f),
            Block::Paragraph { .. } | Block::Table { .. } | Block::Code { .. } | Block::Rule | Block::Figure(_) => {}
        }
    }
}

impl<P> Block<P> {
    /// The runs of inlines the block holds itself: a paragraph's content, a table's cells.
    pub fn inline_runs(&self) -> Vec<&[Inline<P>]> {
        match self {
            Block::Paragraph { content, .. } => vec![content],
            Block::Table { head, rows, .. } => head.iter().chain(rows.iter().flatten()).map(Vec::as_slice).collect(),
            _ => Vec::new(),
        }
    }
}

/// Every inline of `inlines` and below (emphasis, link and reference text), depth first.
pub fn inlines<P>(inlines: &[Inline<P>], f: &mut impl FnMut(&Inline<P>)) {
    for i in inlines {
        f(i);
        match i {
            Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
                self::inlines(content, f)
            }
            Inline::Ref(r) => self::inlines(&r.content, f),
            Inline::Text { .. } | Inline::Code { .. } | Inline::Break => {}
        }
    }
}

/// Every inline of a document (headings, preamble and bodies, both languages), with the level of
/// the place it stands in and its language.
pub fn inlines_in<P>(doc: &Document<P>, f: &mut impl FnMut(&Inline<P>, Level, Lang)) {
    for p in passages(doc) {
        inlines(p.title(), &mut |i| f(i, p.level, p.lang));
        blocks_at(p.blocks, p.level, &mut |b, level| {
            for run in b.inline_runs() {
                inlines(run, &mut |i| f(i, level, p.lang));
            }
        });
    }
}

/// A document with every reference replaced by what `f` makes of it. `f` gets the reference
/// without its link text (`content` is empty) and the link text, already mapped.
pub fn map_refs<S>(doc: Document, f: &mut impl FnMut(Ref, Vec<Inline<S>>) -> Inline<S>) -> Document<S> {
    Document {
        preamble: Texts { ja: map_blocks(doc.preamble.ja, f), en: doc.preamble.en.map(|b| map_blocks(b, f)) },
        sections: map_sections(doc.sections, f),
        id: doc.id,
        doc_type: doc.doc_type,
        level: doc.level,
        numbering: doc.numbering,
        numerals: doc.numerals,
        version: doc.version,
        effective: doc.effective,
        title: doc.title,
        history: doc.history,
        translated: doc.translated,
        loc: doc.loc,
    }
}

fn map_sections<S, F: FnMut(Ref, Vec<Inline<S>>) -> Inline<S>>(sections: Vec<Section>, f: &mut F) -> Vec<Section<S>> {
    let text = |t: SectionText, f: &mut F| SectionText {
        title: map_inlines(t.title, f),
        blocks: map_blocks(t.blocks, f),
        loc: t.loc,
    };
    let mut out = Vec::with_capacity(sections.len());
    for s in sections {
        out.push(Section {
            ja: text(s.ja, f),
            en: s.en.map(|t| text(t, f)),
            children: map_sections(s.children, f),
            id: s.id,
            level: s.level,
            unnumbered: s.unnumbered,
            term: s.term,
            kind: s.kind,
            depth: s.depth,
            number: s.number,
            translation: s.translation,
            fingerprint: s.fingerprint,
            fingerprints: s.fingerprints,
            confirmed: s.confirmed,
        });
    }
    out
}

fn map_blocks<S>(blocks: Vec<Block>, f: &mut impl FnMut(Ref, Vec<Inline<S>>) -> Inline<S>) -> Vec<Block<S>> {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        out.push(match b {
            Block::Paragraph { number, content } => Block::Paragraph { number, content: map_inlines(content, f) },
            Block::List { ordered, items } => Block::List {
                ordered,
                items: items
                    .into_iter()
                    .map(|i| ListItem { number: i.number, inserted: i.inserted, blocks: map_blocks(i.blocks, f) })
                    .collect(),
            },
            Block::Table { align, head, rows } => Block::Table {
                align,
                head: head.into_iter().map(|c| map_inlines(c, f)).collect(),
                rows: rows.into_iter().map(|r| r.into_iter().map(|c| map_inlines(c, f)).collect()).collect(),
            },
            Block::Quote { blocks } => Block::Quote { blocks: map_blocks(blocks, f) },
            Block::Code { text } => Block::Code { text },
            Block::Rule => Block::Rule,
            Block::Figure(x) => Block::Figure(x),
            Block::Classified { level, blocks, loc } => Block::Classified { level, blocks: map_blocks(blocks, f), loc },
        });
    }
    out
}

fn map_inlines<S>(inlines: Vec<Inline>, f: &mut impl FnMut(Ref, Vec<Inline<S>>) -> Inline<S>) -> Vec<Inline<S>> {
    let mut out = Vec::with_capacity(inlines.len());
    for i in inlines {
        out.push(match i {
            Inline::Text { text } => Inline::Text { text },
            Inline::Code { text } => Inline::Code { text },
            Inline::Emph { content } => Inline::Emph { content: map_inlines(content, f) },
            Inline::Strong { content } => Inline::Strong { content: map_inlines(content, f) },
            Inline::Link { url, content } => Inline::Link { url, content: map_inlines(content, f) },
            Inline::Ref(mut r) => {
                let content = map_inlines(std::mem::take(&mut r.content), f);
                f(r, content)
            }
            Inline::Break => Inline::Break,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Edition;
    use crate::model::{load, plain_text};
    use crate::source::MemSource;

    const JA: &str = "---\nid: doc\ntype: standard\ntitle: 文書\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\nはじめに[](#b)。\n\n# 甲 {#a}\n\n- 項目\n\n  > 引用[](#a)\n\n::: restricted\n\n秘[](#b)\n\n:::\n\n## 乙 {#b}\n\n| 表 |\n|---|\n| [](doc) |\n";

    fn doc() -> Document {
        let m = MemSource::new().with("book.toml", crate::model::tests::BOOK).with("policy-source/doc.ja.md", JA);
        load(&m).unwrap().project.documents.remove(0)
    }

    #[test]
    fn sections_know_their_parent_and_path() {
        let d = doc();
        let placed = sections(&d.sections);
        let got: Vec<_> = placed.iter().map(|p| (p.section.id.as_str(), p.parent_id(), p.path.clone())).collect();
        assert_eq!(got, [("a", None, vec![0]), ("b", Some("a"), vec![0, 0])]);
        assert_eq!(chain(&d.sections, &[0, 0]).unwrap().len(), 2);
        assert!(chain(&d.sections, &[0, 1]).is_none());
    }

    #[test]
    fn every_reference_is_found_with_the_level_it_stands_at() {
        let d = doc();
        let mut refs = Vec::new();
        inlines_in(&d, &mut |i, level, _| {
            if let Inline::Ref(_) = i {
                refs.push((plain_text(std::slice::from_ref(i)), level.0));
            }
        });
        let got: Vec<_> = refs.iter().map(|(t, l)| (t.as_str(), *l)).collect();
        // The preamble, a quote in a list item, a classified container, a table cell.
        assert_eq!(got, [("[doc#b]", 0), ("[doc#a]", 0), ("[doc#b]", 2), ("[doc]", 0)]);
    }

    #[test]
    fn the_filter_keeps_the_tree_and_links_every_reference_it_keeps() {
        let m = MemSource::new().with("book.toml", crate::model::tests::BOOK).with("policy-source/doc.ja.md", JA);
        let l = load(&m).unwrap();
        let e = Edition::filter(&l.project, "public").unwrap();
        let d = &e.documents()[0];
        let mut labels = Vec::new();
        inlines_in(d, &mut |i, _, _| {
            if let Inline::Ref(r) = i {
                labels.push(crate::model::xref::label("doc", &e.resolve(r), Lang::Ja));
            }
        });
        assert_eq!(labels, ["1(1)", "1", "文書"], "the classified reference is gone, the others resolve");
    }
}
