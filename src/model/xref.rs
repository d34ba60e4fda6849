//! Cross-references: finding every reference with the level of the place it stands in, resolving
//! a reference to its target, and the label an empty reference prints (the target's number).

use crate::config::{Lang, Level};
use crate::model::{plain_text, walk, Document, Inline, Ref, Section};
use std::collections::HashMap;

/// What a reference points to.
#[derive(Debug)]
pub struct Target<'a, P = ()> {
    pub doc: &'a Document<P>,
    /// `None` when the reference names the document as a whole.
    pub section: Option<&'a Section<P>>,
}

impl<P> Clone for Target<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Target<'_, P> {}

impl<P> Target<'_, P> {
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

/// Where a target stands in a list of documents: the document's position and the section's path
/// of positions from the top (empty for the document as a whole).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    doc: usize,
    path: Vec<usize>,
}

impl Place {
    /// The target in `docs`, the list of documents (or a filtered copy with the same tree) the
    /// place was found in.
    pub fn target<'a, P>(&self, docs: &'a [Document<P>]) -> Option<Target<'a, P>> {
        let doc = docs.get(self.doc)?;
        let section = if self.path.is_empty() { None } else { Some(*walk::chain(&doc.sections, &self.path)?.last()?) };
        Some(Target { doc, section })
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
        self.place(&r.doc, r.section.as_deref())?.target(docs)
    }
}

/// The text an empty reference prints in `lang`, read from the document `from`: the target's
/// number path (6(3)ア), its title when it has no number, and the other document's title before
/// either when it points elsewhere.
pub fn label<P>(from: &str, t: &Target<'_, P>, lang: Lang) -> String {
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

/// Calls `f` with every reference of a document (both languages) and the level of the place it
/// stands in.
pub fn each_ref(doc: &Document, f: &mut dyn FnMut(&Ref, Level, Lang)) {
    walk::inlines_in(doc, &mut |i, level, lang| {
        if let Inline::Ref(r) = i {
            f(r, level, lang)
        }
    });
}
