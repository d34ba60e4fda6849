//! policybook: bilingual municipal information security policies, from Markdown sources in git to
//! classified HTML and PDF editions and 新旧対照表.
//!
//! The pipeline runs one way, and the modules are laid out in its order (see ARCHITECTURE.md):
//! [`source`] (files of the working tree or a git revision) → [`model`] (loaded, numbered,
//! checked) → [`edition`] (filtered to a classification ceiling) → [`render`] (HTML, PDF, 新旧対照表)
//! → [`book`] (the façade the commands call). [`config`] and [`diag`] serve every stage.

pub mod config;
pub mod diag;

pub mod source;

pub mod model;

pub mod edition;

pub mod render;

pub mod book;

/// Beside the pipeline: reads a foreign document and writes a source (never imported by it).
pub mod import;
