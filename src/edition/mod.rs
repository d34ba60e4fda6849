//! The edition filter: the one place where classification is enforced.
//!
//! [`Edition::filter`] takes the whole project and an edition definition and returns an
//! [`Edition`] that holds nothing above the edition's ceiling: documents, sections and classified
//! blocks above it are dropped, references to them become plain text (the others are [`Linked`]
//! to their target's place, so every reference an edition holds resolves), and numbers are computed
//! again so that no gap reveals what was left out. `Edition` has private fields and no other
//! constructor, so a renderer, search index, diff or metadata writer that takes an `&Edition`
//! cannot see restricted content.

use crate::config::{Config, EditionDef, Lang, Level};
use crate::diag::{Localize, Message};
use crate::model::terms::Term;
use crate::model::xref::{self, Place, Target};
use crate::model::{self, plain_text, walk, Project, Ref};
use crate::model::{figure, numbering};

/// The model's types as an edition holds them: every reference knows the [`Place`] of its target.
pub type Document = model::Document<Place>;
pub type Section = model::Section<Place>;
pub type SectionText = model::SectionText<Place>;
pub type Block = model::Block<Place>;
pub type ListItem = model::ListItem<Place>;
pub type Inline = model::Inline<Place>;

/// A reference of an edition: the filter found its target, so [`Edition::resolve`] has one.
pub type Linked = model::Ref<Place>;

/// A project filtered to one edition. Built only by [`Edition::filter`].
#[derive(Debug, Clone)]
pub struct Edition {
    def: EditionDef,
    config: Config,
    documents: Vec<Document>,
    /// The images of the figures left in `documents`, and no other.
    images: figure::Images,
    /// The termbase's entries at or below the ceiling whose defining section the edition holds.
    terms: Vec<Term>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub struct UnknownEdition {
    pub name: String,
    pub known: String,
}

impl Localize for UnknownEdition {
    fn text(&self) -> Message {
        Message::new("unknown-edition").arg("name", &self.name).arg("known", &self.known)
    }
}

impl Edition {
    /// Filters `project` to the edition `name`.
    pub fn filter(project: &Project, name: &str) -> Result<Edition, UnknownEdition> {
        let def = project.config.edition(name).cloned().ok_or_else(|| UnknownEdition {
            name: name.into(),
            known: project.config.editions.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
        })?;
        let kept: Vec<model::Document> =
            project.documents.iter().filter(|d| d.level <= def.ceiling).map(|d| below(d, def.ceiling)).collect();
        // References to what was left out become plain text, those to a 項 or 号 take its number in
        // the edition; the others record where their target stands. Linking leaves the section
        // tree as it is, so the places stay true.
        let index = xref::Index::new(&kept);
        let renumbered = xref::Renumbered::new(&project.documents, &kept, def.ceiling);
        let documents: Vec<Document> = kept
            .into_iter()
            .map(|d| walk::map_refs(d, &mut |r, content| link(&index, &renumbered, r, content)))
            .collect();
        let images = figure::used(&documents, &project.images);
        let terms = terms_held(&project.terms, &documents, def.ceiling);
        Ok(Edition { def, config: project.config.clone(), documents, images, terms })
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

    /// Whether this is a public edition: its ceiling is the lowest level, so it holds only
    /// content that says nothing about itself, and its copies carry no marking.
    pub fn is_public(&self) -> bool {
        self.def.ceiling == self.config.lowest()
    }

    /// The bytes of a figure's image (by [`crate::model::Figure::digest`]); only the images of
    /// figures this edition holds are here.
    pub fn image(&self, digest: &str) -> Option<&[u8]> {
        self.images.get(digest).map(|b| b.as_slice())
    }

    /// The termbase as this edition holds it: the terms at or below its ceiling, each defined (if
    /// by a section) in a section the edition shows. The glossary page and any export (the XLIFF
    /// glossary module) read this, never the project's termbase.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Whether any figure of this edition has its image.
    pub fn has_images(&self) -> bool {
        !self.images.is_empty()
    }

    /// The target of a reference of this edition.
    ///
    /// Only references an edition holds can be passed: a project's may not resolve.
    /// ```compile_fail
    /// fn f(e: &policybook::edition::Edition, r: &policybook::model::Ref) {
    ///     e.resolve(r); // a project's `Ref<()>` is not a `Linked`
    /// }
    /// ```
    /// And only the filter makes a `Linked` (its place is private to the crate):
    /// ```compile_fail
    /// fn f(r: policybook::model::Ref, place: policybook::model::xref::Place) -> policybook::edition::Linked {
    ///     policybook::edition::Linked { doc: r.doc, section: r.section, content: vec![], loc: r.loc, place }
    /// }
    /// ```
    /// while reading a reference of an edition compiles:
    /// ```
    /// fn f(e: &policybook::edition::Edition, r: &policybook::edition::Linked) -> usize {
    ///     e.resolve(r).doc.sections.len()
    /// }
    /// ```
    ///
    /// # Panics
    /// Only when `r` was read from another edition: the filter places every reference it keeps.
    pub fn resolve(&self, r: &Linked) -> Target<'_, Place> {
        r.place.target(&self.documents, &r.sub).expect("a reference resolves in the edition that holds it")
    }

    /// The text of inlines as a reader of document `from` sees it: an empty reference prints its
    /// target's label (see [`xref::label`]).
    pub fn text(&self, from: &str, inlines: &[Inline], lang: Lang) -> String {
        model::inline_text(inlines, &mut |r| xref::label(from, &self.resolve(r), lang))
    }
}

/// A document with nothing above `ceiling`, renumbered.
fn below(d: &model::Document, ceiling: Level) -> model::Document {
    let mut d = d.clone();
    walk::section_lists_mut(&mut d.sections, &mut |list| {
        list.retain(|s| s.level <= ceiling);
        list.iter_mut().for_each(|s| as_seen(s, ceiling));
    });
    walk::block_lists_in_mut(&mut d, &mut |list| {
        list.retain(|b| !matches!(b, model::Block::Classified { level, .. } if *level > ceiling))
    });
    numbering::assign(&mut d);
    d
}

/// The terms an edition with `ceiling` and `documents` may hold: the level rule of every content,
/// and no term whose defining section is gone.
fn terms_held(terms: &[Term], documents: &[Document], ceiling: Level) -> Vec<Term> {
    let shown = |t: &Term| {
        t.defined
            .as_ref()
            .is_none_or(|d| documents.iter().any(|doc| doc.id == d.doc && doc.section(&d.section).is_some()))
    };
    terms.iter().filter(|t| t.level <= ceiling && shown(t)).cloned().collect()
}

/// Translation state and fingerprints as an edition with `ceiling` sees them: nothing derived
/// from parts above the ceiling stays in the edition.
fn as_seen(s: &mut model::Section, ceiling: Level) {
    s.translation = s.translation_at(ceiling);
    let keep = (ceiling.0.saturating_sub(s.level.0) as usize + 1).min(s.fingerprints.len());
    s.fingerprints.truncate(keep);
    s.fingerprint = s.fingerprints.last().cloned().unwrap_or_default();
    s.confirmed = None;
}

/// A reference of the filtered documents: linked to its target, or plain text when the target was
/// left out.
fn link(index: &xref::Index, renumbered: &xref::Renumbered, mut r: Ref, content: Vec<Inline>) -> Inline {
    match index.place(&r.doc, r.section.as_deref()).filter(|_| renumbered.apply(&mut r)) {
        Some(place) => {
            model::Inline::Ref(Linked { doc: r.doc, section: r.section, sub: r.sub, content, loc: r.loc, place })
        }
        None => model::Inline::Text { text: plain_text(&content) },
    }
}
