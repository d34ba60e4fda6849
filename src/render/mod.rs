//! Outputs: each turns filtered [`crate::edition::Edition`]s into files. [`html`], [`pdf`] and
//! [`diff`] (the 新旧対照表 of two editions) are siblings that never import each other; what they
//! share lives here: [`Files`], [`assets`] (templates, fonts and the glyph check, resolved once
//! so that no renderer reads the project's files), [`words`] (every interface word), [`escape`],
//! [`typeset`] (the Typst world of both PDF outputs).

pub mod assets;
pub mod diff;
pub mod escape;
pub mod html;
pub mod pdf;
pub mod pool;
pub mod typeset;
pub mod words;
pub mod xliff;

pub use assets::Assets;

/// Files by relative path (forward slashes) → bytes. A BTreeMap, so output order is stable.
pub type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// HTML made by one output for another to place as it is, every text in it escaped. Only code
/// under `render/` makes one, so what the façade passes between outputs is never its own markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markup(String);

impl Markup {
    pub(in crate::render) fn new(html: String) -> Markup {
        Markup(html)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Per stale section (document id, section id): what changed in its Japanese since the English
/// was confirmed, as the English pages of an edition with `stale-diff` show it beside the section.
/// Made by [`diff::stale::fragments`] from what the façade found in git, read by [`html`] (through
/// its `Options`), so the site's renderer never reads git and never imports the diff.
#[derive(Debug, Clone, Default)]
pub struct StaleDiffs(std::collections::BTreeMap<(String, String), Markup>);

impl StaleDiffs {
    pub(in crate::render) fn insert(&mut self, doc: &str, id: &str, html: Markup) {
        self.0.insert((doc.to_string(), id.to_string()), html);
    }

    /// The diff of section `id` of document `doc`, if it is stale.
    pub fn get(&self, doc: &str, id: &str) -> Option<&Markup> {
        self.0.get(&(doc.to_string(), id.to_string()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The width of a number label on the character grid, in full-width characters, with the
/// full-width space after it: 「1　」 and 「ア　」 take 2, 「(1)　」 and 「(ア)　」 3. The PDF and
/// HTML outputs both indent by it, so that wrapped lines hang under the text alike.
pub fn mark_cells(label: &str) -> u32 {
    let halves: u32 = label.chars().map(|c| if crate::model::is_wide(c) { 2 } else { 1 }).sum();
    halves.div_ceil(2) + 1
}
