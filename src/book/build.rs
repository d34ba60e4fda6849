//! `policybook build`: check, filter every requested edition, run the renderers, and write each
//! edition's output atomically (`output/<edition>/<format>/`).

use crate::config::Format;
use crate::edition::{Edition, UnknownEdition};
use crate::model::Project;
use crate::render::Files;
use crate::render;
use crate::source::Source;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Edition(#[from] UnknownEdition),
    #[error("edition {edition}: {source}")]
    Html { edition: String, source: render::html::HtmlError },
    #[error("edition {edition}: {source}")]
    Pdf { edition: String, source: render::pdf::PdfError },
}

/// What to build: editions and formats (empty means every edition, and each edition's formats).
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub editions: Vec<String>,
    pub formats: Vec<Format>,
    /// Per edition, the documents with a point-in-time archive (see `archive`).
    pub versions: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
}

/// One built output folder: `<edition>/<format>` relative to the output root, and its files.
#[derive(Debug)]
pub struct Built {
    pub dir: String,
    pub files: Files,
}

/// Renders every requested edition and format, in memory.
pub fn build(project: &Project, source: &dyn Source, req: &Request) -> Result<Vec<Built>, BuildError> {
    let names: Vec<String> = if req.editions.is_empty() {
        project.config.editions.iter().map(|e| e.name.clone()).collect()
    } else {
        req.editions.clone()
    };
    let mut out = Vec::new();
    for name in names {
        let edition = Edition::filter(project, &name)?;
        for format in edition.def().formats.clone() {
            if !req.formats.is_empty() && !req.formats.contains(&format) {
                continue;
            }
            let files = match format {
                Format::Html => render::html::render_with(
                    &edition,
                    source,
                    &render::html::Options { versions: req.versions.get(&name).cloned().unwrap_or_default() },
                )
                .map_err(|source| BuildError::Html { edition: name.clone(), source })?,
                Format::Pdf => render::pdf::render(&edition, source)
                    .map_err(|source| BuildError::Pdf { edition: name.clone(), source })?,
            };
            let dir = match format {
                Format::Html => format!("{name}/html"),
                Format::Pdf => format!("{name}/pdf"),
            };
            out.push(Built { dir, files });
        }
    }
    Ok(out)
}

/// Registered copies of one edition's PDFs for a recipient (`build --recipient`): the files, in
/// `<edition>/copies/<first serial>/`, and what each copy is. `serial(i)` numbers copy `i`.
pub fn build_copies(
    project: &Project,
    source: &dyn Source,
    edition: &str,
    recipient: &str,
    serial: &(dyn Fn(usize) -> String + Sync),
) -> Result<(Built, Vec<render::pdf::Copy>), BuildError> {
    let ed = Edition::filter(project, edition)?;
    let (files, copies) = render::pdf::render_copies(&ed, source, recipient, serial)
        .map_err(|source| BuildError::Pdf { edition: edition.to_string(), source })?;
    let dir = format!("{edition}/copies/{}", serial(0));
    Ok((Built { dir, files }, copies))
}
