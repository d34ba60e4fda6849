//! `policybook import`: reads a foreign document (size-limited, a regular file), imports it
//! ([`crate::import`]), checks the result in memory with the project's book.toml, and writes
//! `<id>.ja.md` into the source folder (or another folder), never over a file without `force`.

use crate::config::Config;
use crate::diag::{Diagnostic, Localize, Message};
use crate::import::{import_bytes, ImportError, Imported, Options};
use crate::model::{load, MANIFEST};
use crate::source::{MemSource, Source, SourceError, WorkTree};
use std::path::{Path, PathBuf};

/// What the author asked for.
pub struct Request {
    pub file: PathBuf,
    pub options: Options,
    /// Write here instead of the project's source folder.
    pub out_dir: Option<PathBuf>,
    pub force: bool,
}

/// What was written, what the import found, and what `check` says of the new document.
pub struct Done {
    pub path: PathBuf,
    pub imported: Imported,
    pub check: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFileError {
    #[error(transparent)]
    Read(#[from] SourceError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("{}", self.text())]
    NoProject(PathBuf),
    #[error("{}", self.text())]
    Exists(PathBuf),
    #[error("{}", self.text())]
    Write { path: PathBuf, source: std::io::Error },
}

impl Localize for ImportFileError {
    fn text(&self) -> Message {
        match self {
            ImportFileError::Read(e) => e.text(),
            ImportFileError::Import(e) => e.text(),
            ImportFileError::Config(e) => e.text(),
            ImportFileError::NoProject(dir) => Message::new("import-no-project").arg("dir", dir.display()),
            ImportFileError::Exists(path) => Message::new("import-exists").arg("path", path.display()),
            ImportFileError::Write { path, source } => {
                Message::new("io-write").arg("path", path.display()).arg("error", source)
            }
        }
    }
}

/// Reads a file named on the command line as the working tree reads a project file: a regular
/// file reached without a symbolic link, at most [`WorkTree::MAX_FILE_BYTES`].
pub fn read_input(file: &Path) -> Result<Vec<u8>, SourceError> {
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = file.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    WorkTree::new(dir).read(&name)
}

/// A Markdown file is taken as it is: its id is its front matter's.
fn markdown(bytes: &[u8], o: &Options) -> Result<Imported, ImportError> {
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| ImportError::NotText { file: o.file.clone() })?;
    let declared = text.lines().skip(1).take_while(|l| l.trim() != "---").find_map(|l| l.strip_prefix("id:"));
    let id = o.id.clone().or_else(|| declared.map(|s| s.trim().to_string())).unwrap_or_else(|| "imported".into());
    let report = crate::import::Report { encoding: "Markdown (taken as it is)".into(), ..Default::default() };
    Ok(Imported { id, markdown: text, report, diagnostics: Vec::new() })
}

/// Imports `req.file` into the project in `root` (or into `req.out_dir`).
pub fn import(root: &Path, req: &Request) -> Result<Done, ImportFileError> {
    let bytes = read_input(&req.file)?;
    let is_md = req.file.extension().is_some_and(|e| e == "md");
    let imported = if is_md { markdown(&bytes, &req.options)? } else { import_bytes(&bytes, &req.options)? };
    let project = WorkTree::new(root);
    let manifest = match project.read_text(MANIFEST) {
        Ok(t) => t,
        Err(SourceError::NotFound { .. }) if req.out_dir.is_some() => crate::book::init::BOOK.to_string(),
        Err(SourceError::NotFound { .. }) => return Err(ImportFileError::NoProject(root.to_path_buf())),
        Err(e) => return Err(e.into()),
    };
    let config = Config::parse(&manifest, MANIFEST)?;
    let dir = req.out_dir.clone().unwrap_or_else(|| root.join(&config.book.source));
    let path = dir.join(format!("{}.ja.md", imported.id));
    if path.exists() && !req.force {
        return Err(ImportFileError::Exists(path));
    }
    let rel = format!("{}/{}.ja.md", config.book.source.trim_end_matches('/'), imported.id);
    let check = check_alone(&manifest, &rel, &imported.markdown);
    std::fs::create_dir_all(&dir).map_err(|source| ImportFileError::Write { path: dir.clone(), source })?;
    std::fs::write(&path, &imported.markdown)
        .map_err(|source| ImportFileError::Write { path: path.clone(), source })?;
    Ok(Done { path, imported, check })
}

/// `check` on a project holding only the new document (with the project's book.toml).
fn check_alone(manifest: &str, rel: &str, markdown: &str) -> Vec<Diagnostic> {
    let mem = MemSource::new().with(MANIFEST, manifest).with(rel, markdown);
    match load(&mem) {
        Ok(loaded) => crate::model::check::run(&loaded),
        Err(e) => {
            let (en, ja) = (e.text().full(crate::config::Lang::En), e.text().full(crate::config::Lang::Ja));
            vec![Diagnostic::new("import-input", crate::diag::Loc::new(rel, 1, 1)).arg_in("detail", en, ja)]
        }
    }
}
