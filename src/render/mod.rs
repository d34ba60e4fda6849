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

/// The width of a number label on the character grid, in full-width characters, with the
/// full-width space after it: 「1　」 and 「ア　」 take 2, 「(1)　」 and 「(ア)　」 3. The PDF and
/// HTML outputs both indent by it, so that wrapped lines hang under the text alike.
pub fn mark_cells(label: &str) -> u32 {
    let halves: u32 = label.chars().map(|c| if crate::model::is_wide(c) { 2 } else { 1 }).sum();
    halves.div_ceil(2) + 1
}
