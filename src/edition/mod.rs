//! The edition filter: the one place where classification is enforced.
//!
//! [`Edition::filter`] takes the whole project and an edition definition and returns an
//! [`Edition`] that holds nothing above the edition's ceiling: documents, sections and classified
//! blocks above it are dropped, references to them become plain text, and numbers are computed
//! again so that no gap reveals what was left out. `Edition` has private fields and no other
//! constructor, so a renderer, search index, diff or metadata writer that takes an `&Edition`
//! cannot see restricted content.

use crate::config::{Config, EditionDef, Lang, Level};
use crate::model::{plain_text, Block, Document, Inline, Project, Section};
use crate::model::numbering;
use crate::model::xref::{self, Target};

/// A project filtered to one edition. Built only by [`Edition::filter`].
#[derive(Debug, Clone)]
pub struct Edition {
    def: EditionDef,
    config: Config,
    documents: Vec<Document>,
    index: xref::Index,
}

#[derive(Debug, thiserror::Error)]
#[error("no edition named {name:?} in book.toml (editions: {known})")]
pub struct UnknownEdition {
    pub name: String,
    pub known: String,
}

impl Edition {
    /// Filters `project` to the edition `name`.
    pub fn filter(project: &Project, name: &str) -> Result<Edition, UnknownEdition> {
        let def = project.config.edition(name).cloned().ok_or_else(|| UnknownEdition {
            name: name.into(),
            known: project.config.editions.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
        })?;
        let ceiling = def.ceiling;
        let mut documents: Vec<Document> = project
            .documents
            .iter()
            .filter(|d| d.level <= ceiling)
            .map(|d| {
                let mut d = d.clone();
                d.sections = filter_sections(std::mem::take(&mut d.sections), ceiling);
                filter_blocks(&mut d.preamble.ja, ceiling);
                if let Some(en) = d.preamble.en.as_mut() {
                    filter_blocks(en, ceiling);
                }
                numbering::assign(d.numbering, &mut d.sections, &mut d.preamble.ja);
                if let Some(en) = d.preamble.en.as_mut() {
                    numbering::assign(d.numbering, &mut [], en);
                }
                d
            })
            .collect();
        // References to what was left out become plain text. Rewriting inlines leaves the section
        // tree as it is, so the index built first stays valid.
        let index = xref::Index::new(&documents);
        for d in &mut documents {
            map_doc_inlines(d, &mut |i| {
                if let Inline::Ref(r) = i {
                    if !index.contains(&r.doc, r.section.as_deref()) {
                        *i = Inline::Text { text: plain_text(&r.content) };
                    }
                }
            });
        }
        Ok(Edition { def, config: project.config.clone(), documents, index })
    }

    pub fn name(&self) -> &str {
        &self.def.name
    }

    pub fn def(&self) -> &EditionDef {
        &self.def
    }

    pub fn ceiling(&self) -> Level {
        self.def.ceiling
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// The marking copies of this edition carry (「機密性2 庁内限り」), none for the lowest level.
    pub fn marking(&self, lang: Lang) -> Option<String> {
        self.config.marking(self.def.ceiling, lang)
    }

    /// Resolves a reference inside this edition. Every reference left in an edition resolves.
    pub fn resolve(&self, r: &crate::model::Ref) -> Option<Target<'_>> {
        self.index.resolve(&self.documents, r)
    }
}

fn filter_sections(sections: Vec<Section>, ceiling: Level) -> Vec<Section> {
    sections
        .into_iter()
        .filter(|s| s.level <= ceiling)
        .map(|mut s| {
            // Translation state and fingerprints as this edition sees them: nothing derived from
            // parts above the ceiling stays in the edition.
            s.translation = s.translation_at(ceiling);
            let keep = (ceiling.0.saturating_sub(s.level.0) as usize + 1).min(s.fingerprints.len());
            s.fingerprints.truncate(keep);
            s.fingerprint = s.fingerprints.last().cloned().unwrap_or_default();
            s.confirmed = None;
            filter_blocks(&mut s.ja.blocks, ceiling);
            if let Some(en) = s.en.as_mut() {
                filter_blocks(&mut en.blocks, ceiling);
            }
            s.children = filter_sections(std::mem::take(&mut s.children), ceiling);
            s
        })
        .collect()
}

fn filter_blocks(blocks: &mut Vec<Block>, ceiling: Level) {
    blocks.retain(|b| !matches!(b, Block::Classified { level, .. } if *level > ceiling));
    for b in blocks.iter_mut() {
        match b {
            Block::Classified { blocks, .. } | Block::Quote { blocks } => filter_blocks(blocks, ceiling),
            Block::List { items, .. } => items.iter_mut().for_each(|i| filter_blocks(&mut i.blocks, ceiling)),
            _ => {}
        }
    }
}

fn map_doc_inlines(d: &mut Document, f: &mut dyn FnMut(&mut Inline)) {
    map_blocks(&mut d.preamble.ja, f);
    if let Some(en) = d.preamble.en.as_mut() {
        map_blocks(en, f);
    }
    fn go(sections: &mut [Section], f: &mut dyn FnMut(&mut Inline)) {
        for s in sections {
            for t in std::iter::once(&mut s.ja).chain(s.en.as_mut()) {
                map_inlines(&mut t.title, f);
                map_blocks(&mut t.blocks, f);
            }
            go(&mut s.children, f);
        }
    }
    go(&mut d.sections, f);
}

fn map_blocks(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } => map_inlines(content, f),
            Block::List { items, .. } => items.iter_mut().for_each(|i| map_blocks(&mut i.blocks, f)),
            Block::Table { head, rows, .. } => {
                head.iter_mut().chain(rows.iter_mut().flatten()).for_each(|c| map_inlines(c, f));
            }
            Block::Quote { blocks } | Block::Classified { blocks, .. } => map_blocks(blocks, f),
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

fn map_inlines(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for i in inlines {
        f(i);
        match i {
            Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
                map_inlines(content, f)
            }
            Inline::Ref(r) => map_inlines(&mut r.content, f),
            _ => {}
        }
    }
}
