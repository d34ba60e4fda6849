//! policybook: bilingual municipal information security policies, from Markdown sources in git to
//! classified HTML and PDF editions and 新旧対照表.
//!
//! The pipeline runs one way: [`source`] → [`model`] → [`edition`] → renderers. See
//! ARCHITECTURE.md.

pub mod archive;
pub mod build;
pub mod check;
pub mod config;
pub mod confirm;
pub mod diag;
pub mod diff;
pub mod edition;
pub mod escape;
pub mod history;
pub mod init;
pub mod model;
pub mod numbering;
pub mod outline;
pub mod output;
pub mod render;
pub mod source;
pub mod typeset;
pub mod wareki;
pub mod xref;
