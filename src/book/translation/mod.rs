//! The translator's tools (`policybook translation …`): the state of the English text per document
//! ([`status`]) and what changed in the Japanese of a stale section since its English was confirmed
//! ([`changes`]). Each works on an [`Edition`], so nothing above the edition's ceiling reaches a
//! translator.

pub mod changes;
pub mod import;
pub mod status;
pub mod xliff;

pub use changes::{stale_for, stale_for_with, Found};

use crate::edition::{Edition, UnknownEdition};
use crate::model::Project;

/// The edition `name`, or, when no name is given, the edition with the highest ceiling (for the
/// authors and the city's own translators, who see everything the editions hold).
pub fn edition(project: &Project, name: Option<&str>) -> Result<Edition, UnknownEdition> {
    let top = project.config.editions.iter().max_by_key(|e| e.ceiling).map(|e| e.name.as_str());
    Edition::filter(project, name.or(top).unwrap_or("public"))
}
