//! `policybook build`: filter every requested edition of a [`Checked`] project, run the
//! renderers, and stitch in the archive of releases, all in memory; the caller writes each
//! [`Built`] folder (see [`super::output::OutputLock::replace`]).

use super::archive::{self, ArchiveError};
use super::pdf_cache::PdfCache;
use super::progress::Progress;
use super::Checked;
use crate::config::Format;
use crate::diag::{Diagnostic, Loc, Localize, Message};
use crate::edition::{Edition, UnknownEdition};
use crate::render::assets::AssetError;
use crate::render::{self, Assets, Files};
use crate::source::Source;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Edition(#[from] UnknownEdition),
    #[error(transparent)]
    Assets(#[from] AssetError),
    #[error("{}", self.text())]
    Html { edition: String, source: render::html::HtmlError },
    #[error("{}", self.text())]
    Pdf { edition: String, source: render::pdf::PdfError },
    #[error("{}", self.text())]
    NoReleaseTags,
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The stale-section diffs of an edition with `stale-diff` (git history could not be read).
    #[error("{}", self.text())]
    Stale { edition: String, source: super::translation::changes::ChangesError },
    #[error("{}", self.text())]
    Cache { path: PathBuf, source: std::io::Error },
    /// An entry no build uses any more could not be removed from the cache.
    #[error("{}", self.text())]
    CachePrune { path: PathBuf, source: std::io::Error },
}

/// An error of a renderer, in the edition it was building.
fn in_edition(edition: &str, e: &dyn Localize) -> Message {
    let (en, ja) = (e.localize(crate::config::Lang::En), e.localize(crate::config::Lang::Ja));
    Message::new("build-edition").arg("edition", edition).arg_in("error", en, ja)
}

impl Localize for BuildError {
    fn text(&self) -> Message {
        match self {
            BuildError::Edition(e) => e.text(),
            BuildError::Assets(e) => e.text(),
            BuildError::Html { edition, source } => in_edition(edition, source),
            BuildError::Pdf { edition, source } => in_edition(edition, source),
            BuildError::NoReleaseTags => Message::new("build-no-release-tags"),
            BuildError::Archive(e) => e.text(),
            BuildError::Stale { edition, source } => in_edition(edition, source),
            BuildError::Cache { path, source } => {
                Message::new("build-cache").arg("path", path.display()).arg("error", source)
            }
            BuildError::CachePrune { path, source } => {
                Message::new("build-cache-prune").arg("path", path.display()).arg("error", source)
            }
        }
    }
}

impl BuildError {
    /// The error as a diagnostic when its cause is in the project's files (a project template, a
    /// character or a word of a source that no PDF can hold): `check` cannot see it, the build
    /// stops with it as a source problem (exit 1), at its place.
    pub fn diagnostic(&self) -> Option<Diagnostic> {
        use render::html::HtmlError;
        use render::pdf::PdfError;
        match self {
            BuildError::Html { source: e @ HtmlError::Template { name, line, column, .. }, .. } => {
                Some(Diagnostic::of(e.text(), Loc::new(format!("templates/html/{name}"), *line, *column)))
            }
            BuildError::Pdf { source: e @ PdfError::MissingGlyph { loc, .. }, .. } => {
                Some(Diagnostic::of(e.text().rekey("pdf-glyph.source"), loc.clone()))
            }
            BuildError::Pdf { source: e @ PdfError::Unbreakable { loc, .. }, .. } => {
                Some(Diagnostic::of(e.text().rekey("pdf-unbreakable.source"), loc.clone()))
            }
            _ => None,
        }
    }
}

/// What to build: editions and formats (empty means every edition, and each edition's formats).
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub editions: Vec<String>,
    pub formats: Vec<Format>,
    /// Also archive the released versions (git tags matching `[history] release-tags`) in each
    /// HTML edition built (see [`archive`]).
    pub all_releases: bool,
    /// Typesetting threads: 0 means one per available core.
    pub jobs: usize,
    /// The output folder whose PDF cache to use (see [`super::pdf_cache`]); `None`: no cache,
    /// every PDF is typeset.
    pub cache: Option<PathBuf>,
}

/// One built output folder: `<edition>/<format>` relative to the output root, and its files.
#[derive(Debug)]
pub struct Built {
    pub dir: String,
    pub files: Files,
}

/// What a build made: its folders, and per edition the number of archived files they include.
#[derive(Debug, Default)]
pub struct Outputs {
    pub built: Vec<Built>,
    /// (edition, archived files), in book.toml's order; empty without `all_releases`.
    pub archived: Vec<(String, usize)>,
    /// PDFs typeset by this build.
    pub typeset: usize,
    /// PDFs copied from the cache.
    pub cached: usize,
    /// The parts of the long PDFs typeset by this build (see [`super::pdf_cache`]): (typeset,
    /// taken from the cache).
    pub parts: (usize, usize),
}

/// Renders every requested edition and format, with the archive when requested.
pub fn build(checked: &Checked, req: &Request) -> Result<Outputs, BuildError> {
    build_with(checked, req, &mut super::progress::Silent)
}

/// The editions a request names (every edition of book.toml when it names none), filtered.
pub(super) fn editions(checked: &Checked, req: &Request) -> Result<Vec<Edition>, BuildError> {
    let project = checked.project();
    let names: Vec<String> = if req.editions.is_empty() {
        project.config.editions.iter().map(|e| e.name.clone()).collect()
    } else {
        req.editions.clone()
    };
    // Each edition is filtered on its own thread: the filter copies what the edition shows.
    Ok(render::pool::run(names, render::pool::default_threads(), |name| Edition::filter(project, &name))?)
}

/// The requested (edition, format) pairs, in book.toml's order of editions.
pub(super) fn wanted<'e>(editions: &'e [Edition], req: &Request) -> Vec<(&'e Edition, Format)> {
    (editions.iter())
        .flat_map(|e| e.def().formats.iter().map(move |f| (e, *f)))
        .filter(|(_, f)| req.formats.is_empty() || req.formats.contains(f))
        .collect()
}

/// [`build`], telling `progress` of each edition and format. Every PDF of every edition is
/// planned first, then typeset in one pool of `req.jobs` threads (the cache's hits copied), while
/// the HTML editions render beside it; each folder's files are put back in file order.
pub fn build_with(checked: &Checked, req: &Request, progress: &mut dyn Progress) -> Result<Outputs, BuildError> {
    // The archive comes first: the current pages link to the documents that have one.
    let archives = archives(checked, req)?;
    let archived = archives.iter().map(|(name, files)| (name.clone(), files.len())).collect();
    let mut archives: BTreeMap<String, Files> = archives.into_iter().collect();
    let assets = Assets::load(checked.source(), &checked.project().config)?;
    let editions = editions(checked, req)?;
    let plan = wanted(&editions, req);
    progress.begin(plan.len());
    let threads = if req.jobs == 0 { render::pool::default_threads() } else { req.jobs };
    // Each folder's edition name and folder, so that the editions need not outlive their use.
    let names: Vec<String> = plan.iter().map(|(e, _)| e.name().to_string()).collect();
    let dirs: Vec<String> = plan.iter().map(|(e, f)| format!("{}/{}", e.name(), f.folder())).collect();
    let mut html_plan = Vec::new();
    let mut pdf_editions = Vec::new();
    for (i, &(edition, format)) in plan.iter().enumerate() {
        progress.step(&dirs[i]);
        match format {
            Format::Html => {
                let mode = if edition.def().stale_diff { StaleDiff::Shown } else { StaleDiff::None };
                let stale = stale_diffs(checked, edition, mode)?;
                let at = editions.iter().position(|e| std::ptr::eq(e, edition)).expect("an edition of the plan");
                html_plan.push((i, at, archives.remove(edition.name()), stale))
            }
            Format::Pdf => pdf_editions.push((i, edition)),
        }
    }
    // The least classified edition first: a document's editions are typeset in this order on
    // one worker, Typst's memo kept from one to the next (`typeset_pdfs`), so that what a
    // worker holds while it typesets an edition comes from that edition or a lower one.
    pdf_editions.sort_by_key(|(_, e)| e.ceiling());
    let pdf_jobs: Vec<_> = (plan_pdfs(checked, &assets, pdf_editions, threads)?.into_iter())
        .flat_map(|(i, _, jobs)| {
            let edition = names[i].as_str();
            jobs.into_iter().map(move |job| (i, edition, job))
        })
        .collect();
    // The PDFs are planned: each HTML site takes its edition, which goes when the site is
    // rendered; an edition without one goes now (the PDFs typeset for much longer).
    let mut editions: Vec<Option<Edition>> = editions.into_iter().map(Some).collect();
    let html_work: Vec<_> = (html_plan.into_iter())
        .map(|(i, at, archive, stale)| (i, editions[at].take().expect("one HTML site per edition"), archive, stale))
        .collect();
    drop(editions);
    let cache = req.cache.as_deref().map(|out| PdfCache::new(out, assets.fonts_digest()));
    // The HTML editions render on their own threads too (one per edition, at most `threads`).
    let html_all = || render::pool::run(html_work, threads, |(i, e, a, stale)| Ok((i, html(&e, &assets, a, stale)?)));
    let (html_done, pdfs): (Result<Vec<(usize, Files)>, BuildError>, _) = if threads > 1 {
        std::thread::scope(|s| {
            let html = s.spawn(html_all);
            let pdfs = typeset_pdfs(pdf_jobs, &assets, cache.as_ref(), threads);
            (html.join().expect("the HTML thread panicked"), pdfs)
        })
    } else {
        (html_all(), typeset_pdfs(pdf_jobs, &assets, cache.as_ref(), threads))
    };
    let (html_done, pdfs) = (html_done?, pdfs?);
    let mut folders: Vec<Files> = dirs.iter().map(|_| Files::new()).collect();
    for (i, files) in html_done {
        folders[i] = files;
    }
    for (i, file, bytes) in pdfs.files {
        folders[i].insert(file, bytes);
    }
    let built = dirs.into_iter().zip(folders).map(|(dir, files)| Built { dir, files }).collect();
    Ok(Outputs { built, archived, typeset: pdfs.typeset, cached: pdfs.cached, parts: pdfs.parts })
}

/// Typeset PDFs: (folder index, file name, bytes), how many were typeset or cached, and the
/// parts of long ones typeset or taken from the cache.
struct Pdfs {
    files: Vec<(usize, String, Vec<u8>)>,
    typeset: usize,
    cached: usize,
    parts: (usize, usize),
}

/// A PDF the cache lacks: folder index, edition, job, cache key.
type Miss<'a> = (usize, &'a str, render::pdf::Job, Option<String>);

/// Typesets `jobs` ((folder index, edition, job), in plan order) on `threads` workers, copying
/// what `cache` holds and storing what it lacks. An error is the first failing job's in plan order.
fn typeset_pdfs(
    jobs: Vec<(usize, &str, render::pdf::Job)>,
    assets: &Assets,
    cache: Option<&PdfCache>,
    threads: usize,
) -> Result<Pdfs, BuildError> {
    let mut files = Vec::with_capacity(jobs.len());
    let mut misses = Vec::new();
    // The keys of each edition's PDFs and their file names (all of them: an edition's PDFs are
    // planned together).
    let mut keys: BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for (i, edition, job) in jobs {
        let key = cache.map(|c| c.key(edition, &job));
        if let Some(k) = &key {
            let (ks, files) = keys.entry(edition).or_default();
            ks.insert(k.clone());
            files.insert(job.file.clone());
        }
        match cache.zip(key.as_deref()).and_then(|(c, k)| c.get(edition, k)) {
            Some(bytes) => files.push((i, job.file, bytes)),
            None => misses.push((i, edition, job, key)),
        }
    }
    let cached = files.len();
    // A document's editions one after another on one worker, which lays out their common text
    // once; the biggest documents never typeset at once: memory stays near one big document's.
    let families = render::pdf::families(misses.into_iter().enumerate().collect(), |(_, m)| &m.2);
    let weight = |family: &Vec<(usize, Miss)>| {
        let weights = family.iter().map(|(_, (_, _, job, _))| job.weight());
        weights.fold(render::pool::Weight::default(), |a, w| render::pool::Weight {
            memory: a.memory.max(w.memory),
            length: a.length + w.length,
        })
    };
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (parts_made, parts_kept) = (AtomicUsize::new(0), AtomicUsize::new(0));
    // One PDF typeset and stored in the cache, with its parts when it is typeset in parts (what
    // the last build left of them taken again); `keep`: Typst's memo kept for the next.
    let typeset = |edition: &str, job: &render::pdf::Job, key: Option<String>, keep: bool| {
        let store = |e: super::pdf_cache::StoreError| BuildError::Cache { path: e.path, source: e.source };
        let salt = cache.filter(|_| job.part_size.is_some()).map(|c| c.salt(edition, job));
        let had = match (cache, &salt) {
            (Some(c), Some(_)) => c.parts(edition, &job.file),
            _ => Vec::new(),
        };
        let reuse = salt.as_deref().map(|salt| render::typeset::Reuse { salt, previous: &had });
        let (bytes, parts) = render::pdf::typeset_reusing(job, assets.fonts(), keep, reuse)
            .map_err(|source| BuildError::Pdf { edition: edition.to_string(), source })?;
        let kept = parts.iter().filter(|(_, e)| e.is_empty()).count();
        parts_kept.fetch_add(kept, Ordering::Relaxed);
        parts_made.fetch_add(parts.len() - kept, Ordering::Relaxed);
        if let (Some(c), Some(k)) = (cache, key) {
            c.put(edition, &k, &bytes).map_err(store)?;
            if salt.is_some() {
                c.put_parts(edition, &job.file, &parts).map_err(store)?;
            }
        }
        Ok::<_, BuildError>(bytes)
    };
    let done = render::pool::run_weighted(families, threads, weight, |family| {
        let last = family.len() - 1;
        let mut done = Vec::with_capacity(family.len());
        for (k, (n, (i, edition, job, key))) in family.into_iter().enumerate() {
            let stored = typeset(edition, &job, key, k < last);
            let failed = stored.is_err();
            done.push((n, stored.map(|bytes| (i, job.file, bytes))));
            // The rest of the family comes later in plan order: its error would not be the first.
            if failed {
                break;
            }
        }
        Ok::<_, std::convert::Infallible>(done)
    });
    // The first error in plan order, whatever the timing: each family's jobs run in plan order.
    let mut done: Vec<_> = done.unwrap_or_else(|never| match never {}).into_iter().flatten().collect();
    done.sort_by_key(|(n, _)| *n);
    let done = done.into_iter().map(|(_, r)| r).collect::<Result<Vec<_>, _>>()?;
    let typeset = done.len();
    files.extend(done);
    // Every PDF is there: what no longer matches goes (a failed build keeps the cache as it was).
    if let Some(c) = cache {
        for (edition, (keep, names)) in &keys {
            c.keep_only(edition, keep, names).map_err(|e| BuildError::CachePrune { path: e.path, source: e.source })?;
        }
    }
    let parts = (parts_made.into_inner(), parts_kept.into_inner());
    Ok(Pdfs { files, typeset, cached, parts })
}

/// Whether the English pages of an HTML site show, beside each stale section, what changed in the
/// Japanese since the English was confirmed.
#[derive(Clone, Copy)]
enum StaleDiff<'a> {
    None,
    /// Shown (book.toml `stale-diff`); a failure to read the history stops the build.
    Shown,
    /// Shown where the history can be read (the preview, `serve`, of a non-public edition), with
    /// what earlier rebuilds found in it.
    Preview(&'a super::translation::Found),
}

/// The stale-section diffs of `edition`'s English pages as `mode` says (none for the public
/// edition's preview). Read from git history here, before the renderers run on other threads.
fn stale_diffs(checked: &Checked, edition: &Edition, mode: StaleDiff<'_>) -> Result<render::StaleDiffs, BuildError> {
    Ok(match mode {
        StaleDiff::Shown => super::translation::stale_for(checked, edition)
            .map_err(|source| BuildError::Stale { edition: edition.name().to_string(), source })?,
        StaleDiff::Preview(found) if !edition.is_public() => {
            super::translation::stale_for_with(checked, edition, Some(found)).unwrap_or_default()
        }
        _ => render::StaleDiffs::default(),
    })
}

/// The HTML site of `edition`, with its archive (`archive`) when there is one, and `stale`, the
/// stale-section diffs on its English pages.
fn html(
    edition: &Edition,
    assets: &Assets,
    archive: Option<Files>,
    stale: render::StaleDiffs,
) -> Result<Files, BuildError> {
    let versions: BTreeSet<String> = archive
        .iter()
        .flat_map(|files| files.keys().filter_map(|k| k.strip_suffix("/versions/index.html")).map(str::to_string))
        .collect();
    let options = render::html::Options { versions, stale };
    let mut files = render::html::render(edition, assets, &options)
        .map_err(|source| BuildError::Html { edition: edition.name().to_string(), source })?;
    files.extend(archive.into_iter().flatten());
    Ok(files)
}

/// The archive of each HTML edition requested, in book.toml's order (none without `all_releases`).
fn archives(checked: &Checked, req: &Request) -> Result<Vec<(String, Files)>, BuildError> {
    let mut out = Vec::new();
    if !req.all_releases {
        return Ok(out);
    }
    let config = &checked.project().config;
    let pattern = config.history.release_tags.as_deref().ok_or(BuildError::NoReleaseTags)?;
    let html_wanted = req.formats.is_empty() || req.formats.contains(&Format::Html);
    let names: Vec<&str> = config
        .editions
        .iter()
        .filter(|e| req.editions.is_empty() || req.editions.contains(&e.name))
        .filter(|e| html_wanted && e.formats.contains(&Format::Html))
        .map(|e| e.name.as_str())
        .collect();
    if names.is_empty() {
        return Ok(out);
    }
    let releases = archive::releases(checked.dir(), pattern)?;
    for name in names {
        out.push((name.to_string(), archive::archive(&releases, name)?));
    }
    Ok(out)
}

/// Registered copies of one edition's PDFs for a recipient (`build --recipient`): the files, in
/// `<edition>/copies/<first serial>/`, and what each copy is. `serial(i)` numbers copy `i`.
pub fn build_copies(
    checked: &Checked,
    edition: &str,
    recipient: &str,
    serial: &(dyn Fn(usize) -> String + Sync),
) -> Result<(Built, Vec<render::pdf::Copy>), BuildError> {
    let ed = Edition::filter(checked.project(), edition)?;
    let assets = Assets::load(checked.source(), &checked.project().config)?;
    let (files, copies) =
        render::pdf::render_copies(&ed, &assets, recipient, serial).map_err(pdf_error(edition, checked.source()))?;
    let dir = format!("{edition}/copies/{}", serial(0));
    Ok((Built { dir, files }, copies))
}

/// An edition's planned PDFs, with the index of its output folder.
pub(super) type Planned<'e> = (usize, &'e Edition, Vec<render::pdf::Job>);

/// The PDFs of `editions` (each with its folder index), planned on `threads` threads; the
/// first error in edition order wins.
pub(super) fn plan_pdfs<'e>(
    checked: &Checked,
    assets: &Assets,
    editions: Vec<(usize, &'e Edition)>,
    threads: usize,
) -> Result<Vec<Planned<'e>>, BuildError> {
    render::pool::run(editions, threads, |(i, edition)| {
        render::pdf::plan(edition, assets).map(|jobs| (i, edition, jobs)).map_err(|e| (edition, e))
    })
    .map_err(|(edition, e)| pdf_error(edition.name(), checked.source())(e))
}

/// A PDF error of `edition`, a missing glyph's place narrowed in the sources.
pub(super) fn pdf_error<'a>(
    edition: &'a str,
    source: &'a dyn Source,
) -> impl Fn(render::pdf::PdfError) -> BuildError + 'a {
    move |e| BuildError::Pdf { edition: edition.to_string(), source: e.narrow(|f| source.read_text(f).ok()) }
}

/// The HTML site of one edition of a [`Checked`] project with assets already loaded, and the
/// edition itself (kept by the preview server, `policybook serve`, for PDFs on request): what
/// [`build`] makes for `--edition NAME --format html`, without the archive, and with the
/// stale-section diffs on the English pages of a non-public edition wherever git history has them.
pub fn html_edition(
    checked: &Checked,
    name: &str,
    assets: &Assets,
    found: &super::translation::Found,
) -> Result<(Edition, Files), BuildError> {
    let edition = Edition::filter(checked.project(), name)?;
    let stale = stale_diffs(checked, &edition, StaleDiff::Preview(found))?;
    let files = html(&edition, assets, None, stale)?;
    Ok((edition, files))
}

/// One PDF of an edition filtered from a [`Checked`] project, by its file name in a PDF edition
/// (`<doc>.<lang>.pdf`, `<doc>.parallel.pdf`); `None` when the edition has no such file. A
/// missing glyph's place is narrowed in `source`.
pub fn pdf_file(
    edition: &Edition,
    assets: &Assets,
    file: &str,
    source: &dyn Source,
) -> Option<Result<Vec<u8>, BuildError>> {
    let pdf = render::pdf::render_one(edition, assets, file)?;
    Some(pdf.map_err(pdf_error(edition.name(), source)))
}
