//! `policybook serve`'s warm state and rebuild loop: one edition's HTML built in memory (nothing
//! written to the output folder), rebuilt from the working tree when a watched file changes, with
//! the assets (templates, fonts) loaded once and again only when their files change. Sources with
//! errors keep the last pages built without errors, beside the diagnostics that stop them. The
//! HTTP edge is the CLI's (`cli/serve.rs`): it reads [`Current`] and never a file.

pub mod watch;

use super::build::{self, BuildError};
use super::Book;
use crate::diag::{Diagnostic, Localize, Message};
use crate::edition::{Edition, UnknownEdition};
use crate::model::MANIFEST;
use crate::render::{Assets, Files};
use crate::source::WorkTree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What the server shows after a build.
pub struct Current {
    /// Counts the builds, with or without errors (0: none yet).
    pub build: u64,
    /// Counts the builds whose pages differ from the previous ones: an open page reloads when
    /// this changes.
    pub pages: u64,
    /// The HTML site of the last build without errors (empty before the first one).
    pub files: Arc<Files>,
    /// What the last check found (errors stop the build; warnings do not).
    pub diagnostics: Vec<Diagnostic>,
    /// An error of the last build that is no diagnostic of a source (a project file that cannot
    /// be read): the pages stay as they were.
    pub failure: Option<Message>,
    good: Option<Arc<Good>>,
    dir: PathBuf,
    /// The PDFs typeset from this build, by file name: asked again (a viewer's second request, a
    /// reload without an edit), one is not typeset again.
    pdfs: Mutex<BTreeMap<String, Arc<Vec<u8>>>>,
}

/// The edition and assets of the last build without errors, for PDFs on request.
struct Good {
    edition: Edition,
    assets: Arc<Assets>,
}

impl Current {
    /// The errors of the last build: diagnostics that are errors, and the failure.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count() + usize::from(self.failure.is_some())
    }

    /// The PDF named `file` (`<doc>.<lang>.pdf`, `<doc>.parallel.pdf`) of the edition of the last
    /// build without errors, typeset now; `None` when there is no such document or language.
    pub fn pdf(&self, file: &str) -> Option<Result<Arc<Vec<u8>>, BuildError>> {
        if let Some(pdf) = self.pdfs.lock().unwrap_or_else(|e| e.into_inner()).get(file) {
            return Some(Ok(Arc::clone(pdf)));
        }
        let good = self.good.as_ref()?;
        let pdf = match build::pdf_file(&good.edition, &good.assets, file, &WorkTree::new(&self.dir))? {
            Ok(bytes) => Arc::new(bytes),
            Err(e) => return Some(Err(e)),
        };
        self.pdfs.lock().unwrap_or_else(|e| e.into_inner()).insert(file.to_string(), Arc::clone(&pdf));
        Some(Ok(pdf))
    }
}

/// The preview of one edition of the project in a folder.
pub struct Preview {
    dir: PathBuf,
    edition: String,
    assets: Option<Arc<Assets>>,
    current: Arc<Current>,
    /// The folders watched, relative to `dir`: from the book.toml read at the start.
    watched: Vec<String>,
    /// What git history gave for the stale sections' earlier Japanese, searched once each.
    found: super::translation::Found,
}

impl Preview {
    /// The preview of edition `edition` of the project in `dir`, not built yet. An edition that
    /// book.toml does not name is refused at once (when book.toml can be read).
    pub fn new(dir: &Path, edition: &str) -> Result<Preview, UnknownEdition> {
        let mut watched = vec!["policy-source".to_string(), "templates".to_string()];
        if let Ok(book) = Book::open(dir, None) {
            let config = &book.project().config;
            if config.edition(edition).is_none() {
                Edition::filter(book.project(), edition)?;
            }
            watched[0] = config.book.source.trim_end_matches('/').to_string();
            watched.extend(config.pdf.fonts.as_ref().map(|f| f.trim_end_matches('/').to_string()));
        }
        let current = Arc::new(Current {
            build: 0,
            pages: 0,
            files: Arc::new(Files::new()),
            diagnostics: Vec::new(),
            failure: None,
            good: None,
            dir: dir.to_path_buf(),
            pdfs: Mutex::default(),
        });
        let found = super::translation::Found::default();
        Ok(Preview { dir: dir.to_path_buf(), edition: edition.to_string(), assets: None, current, watched, found })
    }

    /// The folders watched besides book.toml, relative to the project folder.
    pub fn watched(&self) -> &[String] {
        &self.watched
    }

    /// What the last build made.
    pub fn current(&self) -> Arc<Current> {
        Arc::clone(&self.current)
    }

    /// Whether a change of `path` (relative to the project folder) asks for the assets to be
    /// loaded again: book.toml, a template or a font.
    pub fn touches_assets(&self, path: &str) -> bool {
        path == MANIFEST || self.watched[1..].iter().any(|f| path.starts_with(&format!("{f}/")) || path == f)
    }

    /// Builds the pages again from the working tree: load, check, filter, render the HTML; the
    /// assets are loaded again only with `reload_assets` (or when none are loaded yet).
    pub fn rebuild(&mut self, reload_assets: bool) -> Arc<Current> {
        let last = Arc::clone(&self.current);
        let mut next = Current {
            build: last.build + 1,
            pages: last.pages,
            files: Arc::clone(&last.files),
            diagnostics: Vec::new(),
            failure: None,
            good: last.good.clone(),
            dir: self.dir.clone(),
            pdfs: Mutex::default(),
        };
        match self.build(reload_assets) {
            Ok((diagnostics, good, files)) => {
                if files != *last.files {
                    next.pages += 1;
                    next.files = Arc::new(files);
                }
                next.good = Some(Arc::new(good));
                next.diagnostics = diagnostics;
            }
            Err(Stop::Diagnostics(d)) => next.diagnostics = d,
            Err(Stop::Failure(m)) => next.failure = Some(m),
        }
        self.current = Arc::new(next);
        self.current()
    }

    fn build(&mut self, reload_assets: bool) -> Result<(Vec<Diagnostic>, Good, Files), Stop> {
        let book = Book::open(&self.dir, None).map_err(|e| match e.diagnostic() {
            Some(d) => Stop::Diagnostics(vec![d]),
            None => Stop::Failure(e.text()),
        })?;
        let checked = book.check().map_err(|r| Stop::Diagnostics(r.diagnostics().to_vec()))?;
        let assets = match (&self.assets, reload_assets) {
            (Some(a), false) => Arc::clone(a),
            _ => {
                let loaded = Assets::load(checked.source(), &checked.project().config);
                let a = Arc::new(loaded.map_err(|e| Stop::of(BuildError::from(e)))?);
                self.assets = Some(Arc::clone(&a));
                a
            }
        };
        let (edition, files) = build::html_edition(&checked, &self.edition, &assets, &self.found).map_err(Stop::of)?;
        Ok((checked.warnings().to_vec(), Good { edition, assets }, files))
    }
}

/// Why a build stopped: the diagnostics of sources, or another error.
enum Stop {
    Diagnostics(Vec<Diagnostic>),
    Failure(Message),
}

impl Stop {
    fn of(e: BuildError) -> Stop {
        match e.diagnostic() {
            Some(d) => Stop::Diagnostics(vec![d]),
            None => Stop::Failure(e.text()),
        }
    }
}

/// What the rebuild loop tells its caller (the CLI, which reads the clock and serves).
pub trait Listener {
    /// Files changed (paths relative to the project folder): a rebuild starts.
    fn changed(&mut self, paths: &[String]);
    /// A rebuild ended.
    fn built(&mut self, current: Arc<Current>);
}

/// The rebuild loop: builds once, then again after each change `watch` reports (changes that
/// come within [`watch::QUIET`] of each other make one rebuild). Returns when the watcher ends.
pub fn run(preview: &mut Preview, watch: &watch::Watch, listener: &mut dyn Listener) {
    listener.changed(&[]);
    listener.built(preview.rebuild(true));
    while let Some(paths) = watch.next() {
        listener.changed(&paths);
        let assets = paths.iter().any(|p| preview.touches_assets(p));
        listener.built(preview.rebuild(assets));
    }
}
