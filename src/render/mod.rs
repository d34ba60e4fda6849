//! Outputs: each turns filtered [`crate::edition::Edition`]s into files. [`html`], [`pdf`] and
//! [`diff`] (the 新旧対照表 of two editions) are siblings that never import each other; what they
//! share lives here: [`Files`], [`escape`], [`typeset`] (the Typst world of both PDF outputs).

pub mod diff;
pub mod escape;
pub mod html;
pub mod pdf;
pub mod typeset;

/// Files by relative path (forward slashes) → bytes. A BTreeMap, so output order is stable.
pub type Files = std::collections::BTreeMap<String, Vec<u8>>;
