//! The document model: a project's documents, in both languages, as one tree per document.
//!
//! documents → sections → blocks → inlines. The two languages are aligned by section id;
//! classification is resolved to an effective [`Level`] on every section and classified block;
//! numbers are computed (see [`crate::model::numbering`]). The model never reads files itself:
//! [`load`] takes a [`crate::source::Source`].
//!
//! Everything later in the pipeline (check, edition filter, renderers, diff) consumes this model.

pub mod check;
mod frontmatter;
mod load;
mod markdown;
pub mod numbering;
pub mod outline;
pub mod wareki;
pub mod xref;

pub use frontmatter::{Date, DocType, Revision};
pub use load::{fingerprint, fingerprint_record, fingerprints, load, LoadError, Loaded, MANIFEST};
pub use markdown::is_wide;

use crate::config::{Config, Lang, Level};
use crate::diag::Loc;
use crate::model::numbering::{Number, Style};
use serde::Serialize;

/// A loaded project: the manifest and its documents, in source order.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub config: Config,
    pub documents: Vec<Document>,
}

impl Project {
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
}

/// One policy document (基本方針, 対策基準, 実施手順, …) in both languages.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub doc_type: DocType,
    /// The document's own level: nothing in it is less classified.
    pub level: Level,
    pub numbering: Style,
    /// The version name from the front matter, when the city gives one.
    pub version: Option<String>,
    pub effective: Date,
    pub title: Texts<String>,
    pub history: Vec<Revision>,
    /// Text before the first heading.
    pub preamble: Texts<Vec<Block>>,
    pub sections: Vec<Section>,
    /// Whether an English file exists at all.
    pub translated: bool,
    /// The Japanese source file holding the front matter.
    pub loc: Loc,
}

impl Document {
    pub fn title(&self, lang: Lang) -> &str {
        self.title.get(lang).unwrap_or(&self.title.ja)
    }

    /// Every section, depth first, in document order.
    pub fn walk(&self) -> Vec<&Section> {
        fn go<'a>(s: &'a [Section], out: &mut Vec<&'a Section>) {
            for x in s {
                out.push(x);
                go(&x.children, out);
            }
        }
        let mut out = Vec::new();
        go(&self.sections, &mut out);
        out
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        fn go<'a>(s: &'a [Section], id: &str) -> Option<&'a Section> {
            s.iter().find_map(|x| if x.id == id { Some(x) } else { go(&x.children, id) })
        }
        go(&self.sections, id)
    }

    /// The chain of sections from the top down to the section `id` (inclusive).
    pub fn path_to(&self, id: &str) -> Option<Vec<&Section>> {
        fn go<'a>(s: &'a [Section], id: &str, acc: &mut Vec<&'a Section>) -> bool {
            for x in s {
                acc.push(x);
                if x.id == id || go(&x.children, id, acc) {
                    return true;
                }
                acc.pop();
            }
            false
        }
        let mut acc = Vec::new();
        go(&self.sections, id, &mut acc).then_some(acc)
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
pub struct Section {
    /// The stable id from `{#id}`: permalink and alignment key.
    pub id: String,
    /// Effective level: the highest of the document's, the parents' and its own.
    pub level: Level,
    pub unnumbered: bool,
    /// 1 for top-level sections.
    pub depth: u8,
    /// Computed number; `None` for unnumbered sections.
    pub number: Option<Number>,
    pub ja: SectionText,
    /// The English text; `None` when untranslated (the whole document or a `.untranslated` heading).
    pub en: Option<SectionText>,
    pub translation: Translation,
    /// What `policybook confirm` records for the Japanese text, see [`fingerprint_record`].
    pub fingerprint: String,
    /// The fingerprints of the Japanese text at each level from the section's own up, see
    /// [`fingerprints`].
    pub fingerprints: Vec<String>,
    /// The fingerprint recorded on the English heading (`ja=…`), if any.
    pub confirmed: Option<String>,
    pub children: Vec<Section>,
}

impl Section {
    /// The state of the translation as an edition with `ceiling` sees it: only the parts the
    /// edition shows count, so a change in a part above the ceiling leaves no mark.
    pub fn translation_at(&self, ceiling: Level) -> Translation {
        let (Translation::Current | Translation::Stale, Some(confirmed)) = (self.translation, &self.confirmed) else {
            return self.translation;
        };
        let i = (ceiling.0.saturating_sub(self.level.0) as usize).min(self.fingerprints.len().saturating_sub(1));
        let Some(current) = self.fingerprints.get(i) else { return self.translation };
        let parts: Vec<&str> = confirmed.split('.').collect();
        let recorded = match parts.len() {
            1 => parts[0],
            n if n == self.fingerprints.len() => parts[i],
            _ => return Translation::Stale,
        };
        if recorded == current {
            Translation::Current
        } else {
            Translation::Stale
        }
    }

    /// The text to show in `lang`, and whether it fell back to Japanese.
    pub fn text(&self, lang: Lang) -> (&SectionText, bool) {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => (en, false),
            (Lang::En, None) => (&self.ja, true),
            (Lang::Ja, _) => (&self.ja, false),
        }
    }
}

/// A section's heading and own content in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionText {
    pub title: Vec<Inline>,
    pub blocks: Vec<Block>,
    /// Where the heading stands.
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    Paragraph {
        /// In `article` documents, the paragraph (項) number from the second paragraph on.
        number: Option<Number>,
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        items: Vec<ListItem>,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Code {
        text: String,
    },
    Rule,
    /// A classified container (`::: restricted` … `:::`): its blocks are at `level`.
    Classified {
        level: Level,
        blocks: Vec<Block>,
        loc: Loc,
    },
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
pub struct ListItem {
    /// Computed number of an ordered list's item.
    pub number: Option<Number>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Inline {
    Text {
        text: String,
    },
    Code {
        text: String,
    },
    Emph {
        content: Vec<Inline>,
    },
    Strong {
        content: Vec<Inline>,
    },
    /// An external link (http, https, mailto).
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A cross-reference to a section or document of the project.
    Ref(Ref),
    /// A hard line break.
    Break,
}

/// A cross-reference: `[](#id)`, `[](doc#id)` or `[](doc)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ref {
    /// The target document (always filled, the current one for `#id`).
    pub doc: String,
    /// The target section; `None` for the document as a whole.
    pub section: Option<String>,
    /// The link text as written; empty means "print the target's number".
    pub content: Vec<Inline>,
    pub loc: Loc,
}

/// The plain text of inlines (references print as written, or as nothing when empty).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
                push_plain(content, out)
            }
            Inline::Ref(r) => {
                if r.content.is_empty() {
                    out.push('[');
                    out.push_str(&r.doc);
                    if let Some(s) = &r.section {
                        out.push('#');
                        out.push_str(s);
                    }
                    out.push(']');
                } else {
                    push_plain(&r.content, out)
                }
            }
            Inline::Break => out.push('\n'),
        }
    }
}

/// The plain text of blocks, one line per paragraph or item (for fingerprints, search, previews).
pub fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    push_blocks(blocks, &mut out);
    out
}

fn push_blocks(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } => {
                out.push_str(&plain_text(content));
                out.push('\n');
            }
            Block::List { items, .. } => {
                for it in items {
                    push_blocks(&it.blocks, out);
                }
            }
            Block::Table { head, rows, .. } => {
                for row in std::iter::once(head).chain(rows) {
                    let cells: Vec<String> = row.iter().map(|c| plain_text(c)).collect();
                    out.push_str(&cells.join("\t"));
                    out.push('\n');
                }
            }
            Block::Quote { blocks } | Block::Classified { blocks, .. } => push_blocks(blocks, out),
            Block::Code { text } => {
                out.push_str(text);
                out.push('\n');
            }
            Block::Rule => {}
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
