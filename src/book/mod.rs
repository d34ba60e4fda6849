//! The façade: what the commands do, as library functions over a project, so that the CLI and any
//! later entry point (a preview server, an importer) share one front door.
//!
//! A [`Book`] is a project opened once from its sources (the working tree or a git revision).
//! [`Book::check`] turns it into a [`Checked`] project, or into the diagnostics that stop it. Every
//! function that publishes (build, recipient copies, the archive, the 新旧対照表) takes a
//! `&Checked`, so "sources with errors are never published" is held by that type, not by each
//! caller remembering to check.

pub mod archive;
pub mod build;
pub mod confirm;
pub mod copies;
pub mod diff;
pub mod emit;
pub mod fix;
pub mod history;
pub mod import;
pub mod init;
pub mod output;
pub mod pdf_cache;
pub mod progress;
pub mod register;
pub mod rename;
pub mod serve;
pub mod translation;

use crate::diag::{catalogue, Diagnostic, Localize, Message};
use crate::model::{load_with, Document, LoadError, Loaded, ParseCache, Project, MANIFEST};
use crate::source::git::{GitError, GitSource};
use crate::source::{Source, WorkTree};
use std::path::{Path, PathBuf};

/// A project opened from its sources: loaded, not yet checked.
pub struct Book {
    dir: PathBuf,
    rev: Option<String>,
    /// `Send`, so that a book can be opened on a thread of its own (`diff` opens both sides at once).
    source: Box<dyn Source + Send>,
    loaded: Loaded,
}

/// Why a project cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{}", self.text())]
    NoProject { dir: PathBuf },
    #[error("{}", self.text())]
    NoProjectAt { dir: PathBuf, origin: String },
    /// `origin` names the revision; `None` for the working tree.
    #[error("{}", self.text())]
    Load { error: LoadError, origin: Option<String> },
    #[error(transparent)]
    Git(#[from] GitError),
}

impl Localize for OpenError {
    fn text(&self) -> Message {
        match self {
            OpenError::NoProject { dir } => Message::new("open-no-project").arg("dir", dir.display()),
            OpenError::NoProjectAt { dir, origin } => Message::new("open-no-project-at")
                .arg("dir", dir.display())
                .arg_in("origin", origin, catalogue::origin_ja(origin)),
            OpenError::Load { error: LoadError::Config(e), origin } => {
                let place = match origin {
                    None => e.loc.to_string(),
                    Some(o) => format!("{} ({o})", e.loc),
                };
                Message::at(place, &e.text)
            }
            OpenError::Load { error, .. } => error.text(),
            OpenError::Git(e) => e.text(),
        }
    }
}

impl OpenError {
    /// A book.toml that does not parse or names what does not exist: a source problem (exit 1)
    /// at its place, as a diagnostic (`book-toml`). `None` for the others (no project, I/O, git).
    pub fn diagnostic(&self) -> Option<Diagnostic> {
        let OpenError::Load { error: LoadError::Config(e), .. } = self else { return None };
        Some(Diagnostic::of(e.text.clone(), e.loc.clone()))
    }
}

impl Localize for NoDocument {
    fn text(&self) -> Message {
        Message::new("no-document").arg("id", &self.id).arg("known", &self.known)
    }
}

/// The language of messages that the project in `dir` sets (`[book] messages` of its book.toml in
/// the working tree), if any: `None` when it sets none or book.toml cannot be read, so that the
/// locale decides (and the error about book.toml is told later, in that language).
pub fn messages_setting(dir: &Path) -> Option<crate::config::Lang> {
    let text = WorkTree::new(dir).read_text(MANIFEST).ok()?;
    crate::config::Config::parse(&text, MANIFEST).ok()?.book.messages
}

impl Book {
    /// Opens the project in folder `dir`: as on disk, or at git revision `rev` (read from git
    /// objects, nothing checked out).
    pub fn open(dir: &Path, rev: Option<&str>) -> Result<Book, OpenError> {
        match rev {
            None => Book::from_source(dir, None, Box::new(WorkTree::new(dir))),
            Some(rev) => Book::from_source(dir, Some(rev), Box::new(GitSource::open(dir, rev)?)),
        }
    }

    /// Opens the project that `source` holds. `dir` is the project's folder on disk (where git,
    /// the distribution register and the default output are found); `rev` the git revision the
    /// files come from, `None` for the working tree.
    pub fn from_source(dir: &Path, rev: Option<&str>, source: Box<dyn Source + Send>) -> Result<Book, OpenError> {
        Book::from_source_with(dir, rev, source, None)
    }

    /// [`Book::from_source`], reusing the parses of `cache` and adding to it (the releases of an
    /// archive share most of their files).
    pub fn from_source_with(
        dir: &Path,
        rev: Option<&str>,
        source: Box<dyn Source + Send>,
        cache: Option<&ParseCache>,
    ) -> Result<Book, OpenError> {
        let origin = rev.map(|_| source.origin());
        if !source.exists(MANIFEST) {
            let dir = dir.to_path_buf();
            return Err(match origin {
                None => OpenError::NoProject { dir },
                Some(origin) => OpenError::NoProjectAt { dir, origin },
            });
        }
        let loaded = load_with(source.as_ref(), cache).map_err(|error| OpenError::Load { error, origin })?;
        Ok(Book { dir: dir.to_path_buf(), rev: rev.map(str::to_string), source, loaded })
    }

    /// Checks the sources: a [`Checked`] project carrying the warnings, or, when any diagnostic is
    /// an error, every diagnostic.
    pub fn check(self) -> Result<Checked, Rejected> {
        self.check_in(crate::model::check::Scope::All)
    }

    /// [`Book::check`] without the rules that only ever warn (the prose check): for a comparison,
    /// which refuses sources with errors and shows no warnings. The result carries fewer
    /// warnings, never fewer errors, than [`Book::check`]'s.
    pub fn check_errors(self) -> Result<Checked, Rejected> {
        self.check_in(crate::model::check::Scope::Errors)
    }

    fn check_in(self, scope: crate::model::check::Scope) -> Result<Checked, Rejected> {
        let diagnostics = crate::model::check::run_in(&self.loaded, scope);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Rejected { origin: self.source.origin(), rev: self.rev, diagnostics });
        }
        Ok(Checked { book: self, warnings: diagnostics })
    }

    pub fn project(&self) -> &Project {
        &self.loaded.project
    }

    /// The project's files, as the renderers read them.
    pub fn source(&self) -> &dyn Source {
        self.source.as_ref()
    }

    /// The project's folder on disk.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The git revision the sources come from; `None` for the working tree.
    pub fn rev(&self) -> Option<&str> {
        self.rev.as_deref()
    }

    /// Where the sources come from, for messages ("the working tree", "revision v1 (1a2b3c4)").
    pub fn origin(&self) -> String {
        self.source.origin()
    }

    /// The output folder book.toml names, below the project folder.
    pub fn default_output(&self) -> PathBuf {
        self.dir.join(&self.project().config.book.output)
    }
}

/// A project whose sources have no errors: the only thing that can be published. Only
/// [`Book::check`] makes one; its fields are private. It derefs to the [`Book`] it was made from.
///
/// What the check gives, and therefore what every publishing function needs:
///
/// ```no_run
/// use policybook::book::{Book, Checked};
/// fn checked(book: Book) -> Option<Checked> {
///     book.check().ok()
/// }
/// ```
///
/// No struct literal makes one:
///
/// ```compile_fail,E0451
/// use policybook::book::{Book, Checked};
/// fn checked(book: Book) -> Option<Checked> {
///     Some(Checked { book, warnings: Vec::new() })
/// }
/// ```
///
/// nor a conversion:
///
/// ```compile_fail,E0308
/// use policybook::book::{Book, Checked};
/// fn checked(book: Book) -> Option<Checked> {
///     Some(Checked::from(book))
/// }
/// ```
///
/// And no renderer takes a [`Project`], only an [`Edition`](crate::edition::Edition) filtered
/// from one:
///
/// ```no_run
/// fn render(project: &policybook::model::Project) {
///     let edition = policybook::edition::Edition::filter(project, "public").unwrap();
///     let _ = policybook::render::html::render(&edition, todo!(), todo!());
///     let _ = policybook::render::pdf::render(&edition, todo!());
/// }
/// ```
///
/// ```compile_fail,E0308
/// fn render(project: &policybook::model::Project) {
///     let _ = policybook::render::html::render(project, todo!(), todo!());
/// }
/// ```
///
/// ```compile_fail,E0308
/// fn render(project: &policybook::model::Project) {
///     let _ = policybook::render::pdf::render(project, todo!());
/// }
/// ```
pub struct Checked {
    book: Book,
    warnings: Vec<Diagnostic>,
}

impl Checked {
    /// What the check found that does not stop publishing.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }
}

impl std::ops::Deref for Checked {
    type Target = Book;

    fn deref(&self) -> &Book {
        &self.book
    }
}

/// Sources with errors: their diagnostics (warnings too), and where they come from.
#[derive(Debug)]
pub struct Rejected {
    origin: String,
    rev: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Rejected {
    /// Every diagnostic, sorted by place.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Where the sources come from, for messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The command that lists the errors: `policybook check`, with `--rev` for a revision.
    pub fn check_command(&self) -> String {
        self.rev.as_ref().map_or("policybook check".to_string(), |r| format!("policybook check --rev {r}"))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub struct NoDocument {
    pub id: String,
    pub known: String,
}

/// The documents of `docs` named by `id`: that one, or all of them when `id` is `None`.
pub fn select<'a, P>(docs: &'a [Document<P>], id: Option<&str>) -> Result<Vec<&'a Document<P>>, NoDocument> {
    let Some(id) = id else { return Ok(docs.iter().collect()) };
    match docs.iter().find(|d| d.id == id) {
        Some(d) => Ok(vec![d]),
        None => Err(NoDocument {
            id: id.to_string(),
            known: docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", "),
        }),
    }
}
