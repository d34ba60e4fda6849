//! The document model: a project's documents, in both languages, as one tree per document.
//!
//! documents → sections → blocks → inlines. The two languages are aligned by section id;
//! classification is resolved to an effective [`Level`] on every section and classified block;
//! numbers are computed (see [`crate::model::numbering`]). The model never reads files itself:
//! [`load`] takes a [`crate::source::Source`].
//!
//! Everything later in the pipeline (check, edition filter, renderers, diff) consumes this model.

pub mod check;
pub mod figure;
mod frontmatter;
pub mod ime;
mod load;
mod markdown;
pub mod numbering;
pub mod outline;
pub(crate) mod par;
pub mod prose;
pub mod relative;
pub mod structure;
pub mod terms;
pub mod translation;
pub mod walk;
pub mod wareki;
pub mod xref;

pub use figure::Figure;
pub use frontmatter::{Date, DocType, Revision};
pub use load::{
    fingerprint, fingerprint_record, fingerprints, load, load_with, LoadError, Loaded, ParseCache, MANIFEST,
};
pub use markdown::is_wide;

use crate::config::{Config, Lang, Level, Numerals};
use crate::diag::Loc;
use crate::model::numbering::{Number, Style};
use serde::Serialize;

/// A loaded project: the manifest and its documents, in source order.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub config: Config,
    pub documents: Vec<Document>,
    /// The bytes of the figures' images, by digest (see [`figure`]).
    #[serde(skip)]
    pub images: figure::Images,
    /// The termbase: `.term` sections and `terms.yaml` (see [`terms`]).
    pub terms: Vec<terms::Term>,
}

impl Project {
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
}

/// One policy document (基本方針, 対策基準, 実施手順, …) in both languages.
///
/// The tree is generic over what its references know of their targets ([`Ref`]'s `place`): a
/// project's may not resolve, an edition's all do, so a renderer has no unresolved one to handle.
#[derive(Debug, Clone, Serialize)]
pub struct Document<P = ()> {
    pub id: String,
    pub doc_type: DocType,
    /// The document's own level: nothing in it is less classified.
    pub level: Level,
    pub numbering: Style,
    /// Half- or full-width numerals in Japanese numbers (book.toml `[numbering] numerals`).
    pub numerals: Numerals,
    /// The version name from the front matter, when the city gives one.
    pub version: Option<String>,
    pub effective: Date,
    pub title: Texts<String>,
    pub history: Vec<Revision>,
    /// Text before the first heading.
    pub preamble: Texts<Vec<Block<P>>>,
    pub sections: Vec<Section<P>>,
    /// Whether an English file exists at all.
    pub translated: bool,
    /// The Japanese source file holding the front matter.
    pub loc: Loc,
}

impl<P> Document<P> {
    pub fn title(&self, lang: Lang) -> &str {
        self.title.get(lang).unwrap_or(&self.title.ja)
    }

    /// Every section, depth first, in document order.
    pub fn walk(&self) -> Vec<&Section<P>> {
        walk::sections(&self.sections).into_iter().map(|p| p.section).collect()
    }

    pub fn section(&self, id: &str) -> Option<&Section<P>> {
        self.walk().into_iter().find(|s| s.id == id)
    }

    /// The chain of sections from the top down to the section `id` (inclusive).
    pub fn path_to(&self, id: &str) -> Option<Vec<&Section<P>>> {
        let p = walk::sections(&self.sections).into_iter().find(|p| p.section.id == id)?;
        walk::chain(&self.sections, &p.path)
    }
}

/// A value in the authoritative language and, when translated, in English.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Texts<T> {
    pub ja: T,
    pub en: Option<T>,
}

impl<T> Texts<T> {
    pub fn get(&self, lang: Lang) -> Option<&T> {
        match lang {
            Lang::Ja => Some(&self.ja),
            Lang::En => self.en.as_ref(),
        }
    }
}

/// The state of a section's English text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Translation {
    /// Translated, and the Japanese has not changed since it was confirmed.
    Current,
    /// Translated, but the Japanese text changed after the translation was confirmed.
    Stale,
    /// Translated, but never confirmed with `policybook confirm`.
    Unconfirmed,
    /// Not translated: English editions show the Japanese text, marked.
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section<P = ()> {
    /// The stable id from `{#id}`: permalink and alignment key.
    pub id: String,
    /// Effective level: the highest of the document's, the parents' and its own.
    pub level: Level,
    pub unnumbered: bool,
    /// `.term`: the section defines the term its titles pair (see [`terms`]).
    pub term: bool,
    /// 1 for top-level sections.
    pub depth: u8,
    /// What the section is in the structure of a rule (章, 条, 附則, 別表); `Plain` in admin style.
    pub kind: Kind,
    /// Computed number; `None` for unnumbered sections.
    pub number: Option<Number>,
    pub ja: SectionText<P>,
    /// The English text; `None` when untranslated (the whole document or a `.untranslated` heading).
    pub en: Option<SectionText<P>>,
    pub translation: Translation,
    /// What `policybook confirm` records for the Japanese text, see [`fingerprint_record`].
    pub fingerprint: String,
    /// The fingerprints of the Japanese text at each level from the section's own up, see
    /// [`fingerprints`].
    pub fingerprints: Vec<String>,
    /// The fingerprint recorded on the English heading (`ja=…`), if any.
    pub confirmed: Option<String>,
    pub children: Vec<Section<P>>,
}

impl<P> Section<P> {
    /// The state of the translation as an edition with `ceiling` sees it: only the parts the
    /// edition shows count, so a change in a part above the ceiling leaves no mark.
    pub fn translation_at(&self, ceiling: Level) -> Translation {
        let (Translation::Current | Translation::Stale, Some(_)) = (self.translation, &self.confirmed) else {
            return self.translation;
        };
        let i = (ceiling.0.saturating_sub(self.level.0) as usize).min(self.fingerprints.len().saturating_sub(1));
        let Some(current) = self.fingerprints.get(i) else { return self.translation };
        match self.confirmed_at(ceiling) {
            Some(recorded) if recorded == current => Translation::Current,
            _ => Translation::Stale,
        }
    }

    /// The fingerprint the English was confirmed against, as an edition with `ceiling` sees the
    /// Japanese (the part of a multi-level `ja=` for that level); `None` when nothing was
    /// confirmed or the record does not fit the section's levels.
    pub fn confirmed_at(&self, ceiling: Level) -> Option<&str> {
        let i = (ceiling.0.saturating_sub(self.level.0) as usize).min(self.fingerprints.len().saturating_sub(1));
        let parts: Vec<&str> = self.confirmed.as_deref()?.split('.').collect();
        match parts.len() {
            1 => Some(parts[0]),
            n if n == self.fingerprints.len() => Some(parts[i]),
            _ => None,
        }
    }

    /// The text to show in `lang`, and whether it fell back to Japanese.
    pub fn text(&self, lang: Lang) -> (&SectionText<P>, bool) {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => (en, false),
            (Lang::En, None) => (&self.ja, true),
            (Lang::Ja, _) => (&self.ja, false),
        }
    }
}

/// The part a section plays in an article-style document (例規). Declared by heading classes
/// (`.inserted`, `.deleted`, `.supplementary`, `.appended-table`, `.form`) or given by the
/// heading's depth (章・節・款 above the articles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Kind {
    /// A section of an admin-style document, or an unnumbered one.
    Plain,
    /// 章 (rank 1), 節 (2) or 款 (3): a heading that groups articles.
    Group { rank: u8 },
    /// 条. `inserted`: added by an amendment after its neighbour, so it takes a branch number
    /// (第4条の2). `deleted`: repealed in place, it keeps its number (第5条　削除). `caption`:
    /// whether its 見出し is printed (computed: false under a 共通見出し shared with the article before).
    Article { inserted: bool, deleted: bool, caption: bool },
    /// 附則 of the enactment (`revision` None) or of the amendment of that history date.
    Supplementary { revision: Option<Date> },
    /// 別表 (`form` false) or 様式 (`form` true). Its number's label carries the caption computed
    /// from the first article referring to it: 「別表（第5条関係）」.
    Appendix { form: bool },
}

/// A section's heading and own content in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionText<P = ()> {
    pub title: Vec<Inline<P>>,
    pub blocks: Vec<Block<P>>,
    /// Where the heading stands.
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block<P = ()> {
    Paragraph {
        /// In `article` documents, the paragraph (項) number from the second paragraph on.
        number: Option<Number>,
        content: Vec<Inline<P>>,
    },
    List {
        ordered: bool,
        items: Vec<ListItem<P>>,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline<P>>>,
        rows: Vec<Vec<Vec<Inline<P>>>>,
    },
    Quote {
        blocks: Vec<Block<P>>,
    },
    Code {
        text: String,
    },
    Rule,
    /// A classified container (`::: restricted` … `:::`): its blocks are at `level`.
    Classified {
        level: Level,
        blocks: Vec<Block<P>>,
        loc: Loc,
    },
    /// An image with its alt text (`![alt](figures/x.png "caption")` alone in a paragraph).
    Figure(Figure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem<P = ()> {
    /// Computed number of an ordered list's item.
    pub number: Option<Number>,
    /// Inserted by an amendment after the item before it: a branch number ((2)の2). Written as
    /// `{.inserted}` at the start of the item.
    pub inserted: bool,
    pub blocks: Vec<Block<P>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Inline<P = ()> {
    Text {
        text: String,
    },
    Code {
        text: String,
    },
    Emph {
        content: Vec<Inline<P>>,
    },
    Strong {
        content: Vec<Inline<P>>,
    },
    /// An external link (http, https, mailto).
    Link {
        url: String,
        content: Vec<Inline<P>>,
    },
    /// A cross-reference to a section or document of the project.
    Ref(Ref<P>),
    /// A hard line break.
    Break,
}

/// A cross-reference: `[](#id)`, `[](doc#id)`, `[](doc)`, or a 項 and 号 of an article
/// `[](#id/2/3)` (see [`xref::Seg`]).
///
/// `place` is what the reference knows of its target: nothing in a project (`()`), where it may
/// not resolve; its [`xref::Place`] in an edition, whose filter made every reference it kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ref<P = ()> {
    /// The target document (always filled, the current one for `#id`).
    pub doc: String,
    /// The target section; `None` for the document as a whole.
    pub section: Option<String>,
    /// The 項, 号 and 号の細分 below the section, by their numbers; empty for the section itself.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sub: Vec<xref::Seg>,
    /// The link text as written; empty means "print the target's number".
    pub content: Vec<Inline<P>>,
    pub loc: Loc,
    #[serde(skip)]
    pub(crate) place: P,
}

/// The plain text of inlines (references print as written, or as `[doc#id]` when empty).
pub fn plain_text<P>(inlines: &[Inline<P>]) -> String {
    inline_text(inlines, &mut |r| match &r.section {
        Some(s) => format!("[{}#{s}{}]", r.doc, xref::seg_path(&r.sub)),
        None => format!("[{}{}]", r.doc, xref::seg_path(&r.sub)),
    })
}

/// The text of inlines; an empty reference prints `label(r)`, any other its link text.
pub fn inline_text<P>(inlines: &[Inline<P>], label: &mut impl FnMut(&Ref<P>) -> String) -> String {
    let mut out = String::new();
    walk::inlines(inlines, &mut |i| match i {
        Inline::Text { text } | Inline::Code { text } => out.push_str(text),
        Inline::Ref(r) if r.content.is_empty() => out.push_str(&label(r)),
        Inline::Break => out.push('\n'),
        Inline::Emph { .. } | Inline::Strong { .. } | Inline::Link { .. } | Inline::Ref(_) => {}
    });
    out
}

/// The plain text of blocks, one line per paragraph or item (for fingerprints, search, previews).
pub fn blocks_text<P>(blocks: &[Block<P>]) -> String {
    let mut out = String::new();
    push_blocks_text(blocks, "\t", &mut |i| plain_text(i), &mut out);
    out
}

/// Appends the text of blocks, one line per paragraph, table row (cells joined by `cell_sep`) or
/// code block, each run of inlines as `text` makes it.
pub fn push_blocks_text<P>(
    blocks: &[Block<P>],
    cell_sep: &str,
    text: &mut impl FnMut(&[Inline<P>]) -> String,
    out: &mut String,
) {
    walk::blocks(blocks, &mut |b| match b {
        Block::Paragraph { content, .. } => {
            out.push_str(&text(content));
            out.push('\n');
        }
        Block::Table { head, rows, .. } => {
            for row in std::iter::once(head).chain(rows) {
                let cells: Vec<String> = row.iter().map(|c| text(c)).collect();
                out.push_str(&cells.join(cell_sep));
                out.push('\n');
            }
        }
        Block::Code { text } => {
            out.push_str(text);
            out.push('\n');
        }
        Block::Figure(f) => {
            for t in f.caption.iter().chain([&f.alt]) {
                out.push_str(t);
                out.push('\n');
            }
        }
        Block::List { .. } | Block::Quote { .. } | Block::Classified { .. } | Block::Rule => {}
    });
}

#[cfg(test)]
pub(crate) mod tests;
