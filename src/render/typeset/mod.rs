//! Typesetting with Typst as a library: one sealed [`World`] per job that can read nothing but the
//! template, the virtual data files handed to it and the fonts of [`Fonts`]. No path of the file
//! system, no package, no system font, and a fixed date, so a job gives the same bytes on every
//! machine. Shared by the PDF renderer and the 新旧対照表 (diff) PDFs.
//!
//! Content reaches the template only as data (`json("data.json")`), never as Typst source.
//!
//! The policybook binary typesets each job in a worker process of its own (`worker.rs`); the
//! worker runs the same sealed world, so the bytes are the same either way.

use crate::diag::{Localize, Message};
use crate::model::Date;
#[cfg(feature = "typst")]
mod join;
#[cfg(feature = "typst")]
mod worker;
#[cfg(feature = "typst")]
pub use worker::{work, WORKER_ARG};

#[cfg(feature = "typst")]
use {
    std::collections::HashMap,
    typst::diag::{FileError, FileResult, Severity, SourceDiagnostic},
    typst::foundations::{Bytes, Datetime, Duration, Smart},
    typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot},
    typst::text::{Font, FontBook},
    typst::utils::LazyHash,
    typst::{Library, LibraryExt, World},
    typst_layout::PagedDocument,
    typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp},
};

#[cfg(feature = "typst")]
/// The fonts shipped with policybook (IPAex Mincho and IPAex Gothic, IPA Font License v1.0).
const SHIPPED: [(&str, &[u8]); 2] = [
    ("ipaexm.ttf", include_bytes!("../../../fonts/ipaexm.ttf")),
    ("ipaexg.ttf", include_bytes!("../../../fonts/ipaexg.ttf")),
];

/// The PDF standards a job must conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standards {
    /// Plain (tagged) PDF.
    None,
    /// PDF/A-2b and PDF/UA-1 at once: archival and accessible.
    ArchivalAccessible,
}

/// One typesetting job.
pub struct PdfJob<'a> {
    /// Typst source of the template.
    pub main: &'a str,
    /// Virtual files the template may read, e.g. `("data.json", bytes)`, or import (`.typ`).
    pub files: &'a [(String, Vec<u8>)],
    /// A long document's body in parts, each replacing `data.json` in its own compilation; empty:
    /// one compilation ([`compile_parts`]).
    pub parts: &'a [Vec<u8>],
    /// The document date, fixed for reproducibility (also what `datetime.today()` returns).
    pub date: Date,
    pub standards: Standards,
    /// Whether what Typst memoized stays after this job for the next one typeset in the same
    /// process: the same document in the next edition, whose text is mostly laid out the same
    /// (the default project's second and third editions of a document took 35 to 45 % of the
    /// first's time). `false`: dropped when the job ends, as it is after a long document's. The
    /// bytes are the same either way.
    pub keep_memo: bool,
    /// What an earlier build made of this document's parts, to take again what has not changed;
    /// `None`: no cache. The bytes are the same either way.
    pub reuse: Option<Reuse<'a>>,
}

/// The parts an earlier build typeset of one PDF ([`compile_pdf_reusing`]).
#[derive(Clone, Copy)]
pub struct Reuse<'a> {
    /// What shapes the bytes of every part besides its own data (template, files, date,
    /// standards, fonts, edition: the book layer's cache key without the data), in hex.
    pub salt: &'a str,
    /// The entries an earlier build left: (key, entry).
    pub previous: &'a [(String, Vec<u8>)],
}

/// A typeset PDF and, for a long document typeset in parts with [`PdfJob::reuse`], each part's
/// entry under its key, for the next build: empty for one taken from [`Reuse::previous`] as it
/// was there.
pub type Typeset = (Vec<u8>, Vec<(String, Vec<u8>)>);

/// The virtual file that holds the data of a long document's running heads, when it is typeset
/// in parts ([`compile_parts`]): the `furniture` compilation reads it as its `data.json`.
pub const HEADS: &str = "heads.json";

/// The data of a light job, in bytes: some 100 pages, under about 150 MB to typeset.
pub const LIGHT: u64 = 256 * 1024;

/// How heavy a job with these virtual files is to typeset: the bytes of its data, which Typst's
/// memory follows (about 300 to 600 bytes for each byte of data: 1.6 GB for the 2.9 MB of a
/// 470-page parallel PDF); 0 for a light job (under [`LIGHT`]).
pub fn weight(files: &[(String, Vec<u8>)]) -> u64 {
    let bytes = files.iter().map(|(_, b)| b.len() as u64).sum();
    if bytes < LIGHT {
        0
    } else {
        bytes
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("{}", self.text())]
    Typst(String),
    #[error("{}", self.text())]
    Export(String),
    #[error("{}", self.text())]
    BadFont { name: String },
    #[error("{}", self.text())]
    Date(Date),
    /// A worker process ended without an answer (killed, out of memory).
    #[error("{}", self.text())]
    Worker(String),
}

impl Localize for TypesetError {
    fn text(&self) -> Message {
        match self {
            TypesetError::Typst(e) => Message::new("typeset-template").arg("detail", e),
            TypesetError::Export(e) => Message::new("typeset-export").arg("detail", e),
            TypesetError::BadFont { name } => Message::new("typeset-font").arg("name", name),
            TypesetError::Date(d) => Message::new("typeset-date").arg("date", d),
            TypesetError::Worker(e) => Message::new("typeset-worker").arg("detail", e),
        }
    }
}

#[cfg(feature = "typst")]
/// The fonts a job can use, loaded once: the shipped fonts, then a project's own fonts.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// The project's font files (name, bytes), for worker processes.
    extra: Vec<(String, Bytes)>,
    /// A bit per code point that some font covers: Typst's `Coverage::contains` walks the runs
    /// of a font's code points one by one, thousands for a Japanese font, and the glyph check
    /// asks for every character of every PDF.
    covered: Vec<u64>,
}

#[cfg(feature = "typst")]
impl Fonts {
    /// The shipped fonts only.
    pub fn shipped() -> Fonts {
        Fonts::new(Vec::new()).expect("the shipped fonts are valid")
    }

    /// The shipped fonts and `extra` (file name, bytes), e.g. a project's `[pdf] fonts` folder.
    pub fn new(extra: Vec<(String, Vec<u8>)>) -> Result<Fonts, TypesetError> {
        let mut fonts = Vec::new();
        for (_, bytes) in SHIPPED {
            fonts.extend(Font::iter(Bytes::new(bytes)));
        }
        let mut files = Vec::new();
        for (name, bytes) in extra {
            let bytes = Bytes::new(bytes);
            let found: Vec<Font> = Font::iter(bytes.clone()).collect();
            if found.is_empty() {
                return Err(TypesetError::BadFont { name });
            }
            fonts.extend(found);
            files.push((name, bytes));
        }
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        let mut covered = vec![0u64; (char::MAX as usize + 1).div_ceil(64)];
        for c in fonts.iter().flat_map(|f| f.info().coverage.iter()) {
            if let Some(word) = covered.get_mut(c as usize / 64) {
                *word |= 1 << (c % 64);
            }
        }
        Ok(Fonts { book, fonts, extra: files, covered })
    }

    /// The project's font files, as given to [`Fonts::new`].
    fn extra(&self) -> impl ExactSizeIterator<Item = (&str, &[u8])> {
        self.extra.iter().map(|(n, b)| (n.as_str(), b.as_slice()))
    }

    /// Whether some font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.covered[c as usize / 64] & (1 << (c as u32 % 64)) != 0
    }

    /// The family names available, for messages.
    pub fn families(&self) -> Vec<String> {
        let mut v: Vec<String> = self.fonts.iter().map(|f| f.info().family.clone()).collect();
        v.dedup();
        v
    }
}

#[cfg(feature = "typst")]
/// The font files shipped with policybook: (file name, bytes).
pub fn shipped_fonts() -> &'static [(&'static str, &'static [u8])] {
    &SHIPPED
}

/// The executable whose worker processes typeset, once [`use_workers`] named it, and what this
/// process does before its first job goes to a worker.
static WORKER: std::sync::OnceLock<(std::path::PathBuf, fn())> = std::sync::OnceLock::new();

/// Runs the `waiting` of [`use_workers`] once per process.
static WAITING: std::sync::Once = std::sync::Once::new();

/// From now on, typesets in worker processes of `exe`, the policybook binary itself (its
/// `main` calls this; a library user and the unit tests typeset in process). `waiting` runs once,
/// before the first job goes to a worker: from then on this process mostly waits beside its
/// workers, and the memory of the build is the sum of theirs and its own (the binary has its
/// allocator give freed memory back to the system at once).
pub fn use_workers(exe: std::path::PathBuf, waiting: fn()) {
    let _ = WORKER.set((exe, waiting));
}

#[cfg(feature = "typst")]
/// Typesets `job` into a PDF: in a worker process when [`use_workers`] was called and a process
/// can be started, otherwise in this one. Either way the same sealed world gives the same bytes.
pub fn compile_pdf(job: &PdfJob, fonts: &Fonts) -> Result<Vec<u8>, TypesetError> {
    compile_pdf_reusing(job, fonts).map(|(pdf, _)| pdf)
}

#[cfg(feature = "typst")]
/// [`compile_pdf`], with the parts of a long document typeset for the next build (and those
/// [`PdfJob::reuse`] holds taken again).
pub fn compile_pdf_reusing(job: &PdfJob, fonts: &Fonts) -> Result<Typeset, TypesetError> {
    if let Some(answer) = WORKER.get().and_then(|(exe, waiting)| {
        WAITING.call_once(*waiting);
        worker::run(exe, job, fonts)
    }) {
        return answer;
    }
    compile_here(job, fonts)
}

#[cfg(feature = "typst")]
/// Typesets `job` into a PDF in this process: whole, or in parts ([`compile_parts`]).
fn compile_here(job: &PdfJob, fonts: &Fonts) -> Result<Typeset, TypesetError> {
    let today = Datetime::from_ymd(job.date.year, job.date.month as u8, job.date.day as u8)
        .ok_or(TypesetError::Date(job.date))?;
    if !job.parts.is_empty() {
        return compile_parts(job, fonts, today);
    }
    let world = SealedWorld::new(job, fonts, None, None, today);
    let doc = compile_one(&world, job.keep_memo)?;
    Ok((export(&world, &doc, job.standards, today)?, Vec::new()))
}

#[cfg(feature = "typst")]
/// The PDF of a laid out document.
fn export(
    world: &SealedWorld,
    doc: &PagedDocument,
    standards: Standards,
    today: Datetime,
) -> Result<Vec<u8>, TypesetError> {
    let standards = match standards {
        Standards::None => PdfStandards::default(),
        Standards::ArchivalAccessible => PdfStandards::new(&[PdfStandard::A_2b, PdfStandard::Ua_1])
            .map_err(|e| TypesetError::Export(e.message().to_string()))?,
    };
    let options = PdfOptions {
        ident: Smart::Custom("policybook".into()),
        creator: Smart::Custom(Some("policybook".into())),
        timestamp: Some(Timestamp::new_utc(today)),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errs| TypesetError::Export(describe(world, &errs)))
}

#[cfg(feature = "typst")]
/// Lays out the document of `world`. What Typst memoized is dropped once the layout is done
/// ([`Running`]): the export needs none of it; unless `keep`, for the next job.
fn compile_one(world: &SealedWorld, keep: bool) -> Result<PagedDocument, TypesetError> {
    let warned = {
        let _running = Running::start(keep);
        typst::compile::<PagedDocument>(world)
    };
    warned.output.map_err(|errs| TypesetError::Typst(describe(world, &errs)))
}

#[cfg(feature = "typst")]
/// One compilation of a long document typeset in parts: how many pages it laid out, the number
/// of the page after its last, where each label is, and its PDF (none for the
/// first layout of the front, which only measures it). Kept in the cache as an entry: the rest
/// as one JSON line, then the PDF.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Unit {
    pages: usize,
    next: u64,
    /// Each label's page (from 0) and place on it (points from the top left); its printed number
    /// is the joined document's (a body part counts its pages from 1 and shows none).
    labels: Vec<(String, usize, f64, f64)>,
    #[serde(skip)]
    pdf: Vec<u8>,
}

#[cfg(feature = "typst")]
impl Unit {
    fn entry(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec(self).expect("a unit serializes");
        out.push(b'\n');
        out.extend_from_slice(&self.pdf);
        out
    }

    fn from_entry(entry: &[u8]) -> Option<Unit> {
        let end = entry.iter().position(|&b| b == b'\n')?;
        let mut unit: Unit = serde_json::from_slice(&entry[..end]).ok()?;
        unit.pdf = entry[end + 1..].to_vec();
        Some(unit)
    }
}

#[cfg(feature = "typst")]
/// Lays out a long document in parts, one compilation each, Typst's memo dropped after each, so
/// that memory follows the part, not the document (issue 13), and exports each part to a PDF of
/// its own, which [`join`] joins. The template reads `part.json`: `{"kind": "front", "pages":
/// {label: page}}` (cover and table of contents, the pages of its entries as the body parts
/// gave them), `{"kind": "body"}` (a part of the body, its pages numbered from 1 and no number
/// shown: the same bytes wherever the part lands), `{"kind": "furniture", "total": n}` (the
/// running heads and page numbers of all `n` pages, on empty pages, from [`HEADS`] as its data
/// when the job has it). A link to [`join::FAR`] + a label is pointed at the label in whichever
/// part holds it.
///
/// The body's parts are laid out first; their labels' page numbers are their page in the part
/// plus the pages before it (the table of contents' own, learnt from a first layout without
/// numbers, and the earlier parts'). Should the numbers lengthen the contents, only the front is
/// laid out again.
///
/// With [`PdfJob::reuse`], each compilation is keyed by the salt, its data and its `part.json`;
/// one an earlier build made is taken from there, not typeset (a rebuild after a one-paragraph
/// edit typesets the edited part, even when the edit adds pages: a body part's bytes do not
/// depend on where it starts). The joined bytes are the same either way.
fn compile_parts(job: &PdfJob, fonts: &Fonts, today: Datetime) -> Result<Typeset, TypesetError> {
    use sha2::{Digest, Sha256};
    use std::str::FromStr;

    let previous: HashMap<&str, &[u8]> =
        job.reuse.map_or(&[][..], |r| r.previous).iter().map(|(k, e)| (k.as_str(), e.as_slice())).collect();
    let mut made: Vec<(String, Vec<u8>)> = Vec::new();
    // The data of the front: `data.json` as the job gives it; of the running heads, [`HEADS`]
    // when the job has it (the front's otherwise).
    let front_data: &[u8] = job.files.iter().find(|(n, _)| n == "data.json").map_or(&[], |(_, b)| b);
    let heads = job.files.iter().find(|(n, _)| n == HEADS).map(|(_, b)| b.as_slice());
    let mut unit = |data: Option<&[u8]>, run: serde_json::Value, pdf: bool| -> Result<Unit, TypesetError> {
        let run = serde_json::to_vec(&run).expect("JSON values serialize");
        let key = job.reuse.map(|r| {
            let mut h = Sha256::new();
            for field in [r.salt.as_bytes(), data.unwrap_or(front_data), &run, &[pdf as u8]] {
                h.update((field.len() as u64).to_le_bytes());
                h.update(field);
            }
            h.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>()
        });
        let kept = key.as_deref().and_then(|k| previous.get(k)).and_then(|e| Unit::from_entry(e));
        let hit = kept.is_some();
        let unit = match kept {
            Some(unit) => unit,
            None => {
                let world = SealedWorld::new(job, fonts, data, Some(run), today);
                let doc = compile_one(&world, false)?;
                let intro = doc.introspector();
                let mut labels = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for elem in typst::introspection::Introspector::query_labelled(intro.as_ref()) {
                    let (Some(label), Some(loc)) = (elem.label(), elem.location()) else { continue };
                    let Some(at) = intro.position(loc) else { continue };
                    let name = label.resolve().to_string();
                    if seen.insert(name.clone()) {
                        labels.push((name, at.page.get() - 1, at.point.x.to_pt(), at.point.y.to_pt()));
                    }
                }
                let pdf = if pdf { export(&world, &doc, job.standards, today)? } else { Vec::new() };
                let pages = doc.pages().len();
                Unit { pages, next: doc.pages().last().map_or(1, |p| p.number + 1), labels, pdf }
            }
        };
        if let Some(k) = key {
            made.push((k, if hit { Vec::new() } else { unit.entry() }));
        }
        Ok(unit)
    };
    // The front part's pages, and the number the body's first page gets.
    let shape = |u: &Unit| (u.pages, u.next);
    let mut front_shape = shape(&unit(None, serde_json::json!({"kind": "front", "pages": {}}), false)?);
    let body: Vec<Unit> = job
        .parts
        .iter()
        .map(|part| unit(Some(part), serde_json::json!({"kind": "body"}), true))
        .collect::<Result<_, _>>()?;
    let pages: usize = body.iter().map(|u| u.pages).sum();
    // Each label's place: its part, page and point there (the first, should two parts have it).
    let mut places: HashMap<String, (usize, usize, f64, f64)> = HashMap::new();
    for (k, u) in body.iter().enumerate() {
        for (label, page, x, y) in &u.labels {
            places.entry(label.clone()).or_insert((k, *page, *x, *y));
        }
    }
    for _ in 0..3 {
        let (front_len, number) = front_shape;
        // The printed page number of each label: the part's pages count from 1.
        let mut firsts = Vec::with_capacity(body.len());
        let mut before = 0;
        for u in &body {
            firsts.push(number + before as u64);
            before += u.pages;
        }
        let numbers: serde_json::Map<String, serde_json::Value> = places
            .iter()
            .map(|(label, &(part, page, _, _))| (label.clone(), (firsts[part] + page as u64).to_string().into()))
            .collect();
        let front = unit(None, serde_json::json!({"kind": "front", "pages": numbers}), true)?;
        if shape(&front) != front_shape {
            front_shape = shape(&front);
            continue;
        }
        let total = front_len + pages;
        let furniture = unit(heads, serde_json::json!({"kind": "furniture", "total": total}), true)?;
        if furniture.pages != total {
            return Err(TypesetError::Typst(format!(
                "the template laid out {} pages of running heads for {total} pages",
                furniture.pages
            )));
        }
        // A far link's text for assistive technology, as Typst words a link to a place: "page n".
        let lang = serde_json::from_slice::<serde_json::Value>(&job.parts[0]).ok().and_then(|d| {
            d.get("lang")
                .or_else(|| d.get("ja").and_then(|j| j.get("lang")))
                .and_then(|l| l.as_str())
                .map(str::to_string)
        });
        let local = |l: typst::text::Lang| <typst::layout::PageElem as typst::text::LocalName>::local_name(l, None);
        let word = lang.as_deref().and_then(|l| typst::text::Lang::from_str(l).ok()).map_or("Page", local);
        let targets: HashMap<String, join::Target> = places
            .iter()
            .map(|(label, &(part, page, x, y))| {
                let number = numbers.get(label).and_then(|n| n.as_str()).unwrap_or("").to_string();
                (label.clone(), join::Target { alt: format!("{word} {number}"), number, part, page, x, y })
            })
            .collect();
        // The words for "page" a link's text may use: the document's, and those of a parallel
        // document's two languages.
        let words = [word, local(typst::text::Lang::JAPANESE), local(typst::text::Lang::ENGLISH)];
        let parts: Vec<&[u8]> = body.iter().map(|u| u.pdf.as_slice()).collect();
        let pdf = join::join(&front.pdf, &parts, &furniture.pdf, &targets, &words).map_err(TypesetError::Export)?;
        return Ok((pdf, made));
    }
    Err(TypesetError::Typst("the table of contents did not settle on a length".into()))
}

#[cfg(feature = "typst")]
/// Jobs being typeset now, in this process.
static RUNNING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg(feature = "typst")]
/// One job being laid out; its end evicts Typst's memoization cache, unless the job keeps it
/// ([`PdfJob::keep_memo`]). Typst memoizes across compilations; what one document memoized
/// hardly serves another, and keeping it grew a whole build's memory by gigabytes (issue 13).
/// The last job running drops it all; a job ending beside others keeps what was memoized since
/// the eviction before, which they still use.
struct Running {
    keep: bool,
}

#[cfg(feature = "typst")]
impl Running {
    fn start(keep: bool) -> Running {
        RUNNING.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Running { keep }
    }
}

#[cfg(feature = "typst")]
impl Drop for Running {
    fn drop(&mut self) {
        let others = RUNNING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) - 1;
        if !self.keep {
            typst::comemo::evict(if others == 0 { 0 } else { 2 });
        }
    }
}

#[cfg(feature = "typst")]
/// Messages of Typst diagnostics, with the template line where there is one.
fn describe(world: &SealedWorld, errs: &[SourceDiagnostic]) -> String {
    let mut out = Vec::new();
    for e in errs.iter().filter(|e| e.severity == Severity::Error) {
        let mut s = e.message.to_string();
        if let Some(range) = typst::WorldExt::range(world, e.span) {
            if e.span.id() == Some(world.main.id()) {
                if let Some(line) = world.main.lines().byte_to_line(range.start) {
                    s = format!("template line {}: {s}", line + 1);
                }
            }
        }
        for h in e.hints.iter().filter(|h| !h.v.contains("--root")) {
            s.push_str(&format!("\n  hint: {}", h.v));
        }
        out.push(s);
    }
    if out.is_empty() {
        "unknown error".into()
    } else {
        out.join("\n")
    }
}

#[cfg(feature = "typst")]
struct SealedWorld<'a> {
    fonts: &'a Fonts,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

#[cfg(feature = "typst")]
impl<'a> SealedWorld<'a> {
    /// The world of one compilation of `job`: its template and files, with `data` in place of
    /// `data.json` and `run` as `part.json` when given (one part of a long document).
    fn new(
        job: &PdfJob,
        fonts: &'a Fonts,
        data: Option<&[u8]>,
        run: Option<Vec<u8>>,
        today: Datetime,
    ) -> SealedWorld<'a> {
        let id = |name: &str| {
            let path = format!("/{}", name.trim_start_matches('/'));
            VirtualPath::new(&path).ok().map(|vp| RootedPath::new(VirtualRoot::Project, vp).intern())
        };
        let main_id = id("main.typ").expect("a valid path");
        let mut files = HashMap::new();
        for (name, bytes) in job.files {
            let bytes = match data {
                Some(data) if name == "data.json" => data,
                _ => bytes,
            };
            files.extend(id(name).map(|i| (i, Bytes::new(bytes.to_vec()))));
        }
        files.extend(run.and_then(|run| Some((id("part.json")?, Bytes::new(run)))));
        SealedWorld { fonts, main: Source::new(main_id, job.main.to_string()), files, today }
    }
}

#[cfg(feature = "typst")]
fn denied(id: FileId) -> FileError {
    FileError::Other(Some(
        format!("{} is not available: a policybook template can read only its data files", id.vpath().get_with_slash())
            .into(),
    ))
}

#[cfg(feature = "typst")]
impl World for SealedWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        // Typst's standard library, the same for every job: built once per process.
        static LIBRARY: std::sync::LazyLock<LazyHash<Library>> =
            std::sync::LazyLock::new(|| LazyHash::new(Library::default()));
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        // A virtual file may be a Typst module the template imports (e.g. `common.typ`).
        let bytes = self.files.get(&id).ok_or_else(|| denied(id))?;
        let text = std::str::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| denied(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(all(test, feature = "typst"))]
mod tests {
    use super::*;

    fn job<'a>(main: &'a str, files: &'a [(String, Vec<u8>)]) -> PdfJob<'a> {
        PdfJob {
            main,
            files,
            parts: &[],
            date: Date { year: 2026, month: 4, day: 1 },
            standards: Standards::None,
            keep_memo: false,
            reuse: None,
        }
    }

    #[test]
    fn reads_data_but_not_the_file_system() {
        let fonts = Fonts::shipped();
        let ok = compile_pdf(
            &job("#json(\"data.json\").at(\"a\")", &[("data.json".into(), b"{\"a\":\"x\"}".to_vec())]),
            &fonts,
        );
        assert!(ok.is_ok(), "{:?}", ok.err());
        for main in ["#read(\"/etc/passwd\")", "#read(\"../../../../etc/passwd\")", "#import \"@preview/x:0.1.0\": *"] {
            let e = compile_pdf(&job(main, &[]), &fonts).unwrap_err().to_string();
            assert!(e.contains("not available") || e.contains("escape"), "{main}: {e}");
        }
    }

    #[test]
    fn same_job_same_bytes() {
        let fonts = Fonts::shipped();
        let src = "#set document(title: \"t\")\n#set text(font: \"IPAexMincho\", lang: \"ja\")\n日本語 #datetime.today().display()";
        let a = compile_pdf(&job(src, &[]), &fonts).unwrap();
        let b = compile_pdf(&job(src, &[]), &fonts).unwrap();
        assert_eq!(a, b);
        assert!(fonts.families().iter().any(|f| f == "IPAexGothic"), "{:?}", fonts.families());
        assert!(fonts.covers('日') && !fonts.covers('\u{1F600}'));
        // The bitmap says what the fonts' own coverage says, for every code point.
        let by_font = |c: u32| fonts.fonts.iter().any(|f| f.info().coverage.contains(c));
        for c in (0..=0x10FFFFu32).step_by(61).chain(0x3000..0x3100).chain([0x10FFFF]).filter_map(char::from_u32) {
            assert_eq!(fonts.covers(c), by_font(c as u32), "{c:?}");
        }
    }
}

/// Without the `typst` feature (the fuzz targets build so, to leave Typst out): no fonts, so every
/// character passes the glyph check, and every PDF is an error. Nothing before the PDF changes.
#[cfg(not(feature = "typst"))]
mod without_typst {
    use super::{PdfJob, TypesetError};

    pub struct Fonts;

    impl Fonts {
        pub fn shipped() -> Fonts {
            Fonts
        }

        pub fn new(_extra: Vec<(String, Vec<u8>)>) -> Result<Fonts, TypesetError> {
            Ok(Fonts)
        }

        pub fn covers(&self, _c: char) -> bool {
            true
        }

        pub fn families(&self) -> Vec<String> {
            Vec::new()
        }
    }

    pub fn shipped_fonts() -> &'static [(&'static str, &'static [u8])] {
        &[]
    }

    pub fn compile_pdf_reusing(job: &PdfJob, fonts: &Fonts) -> Result<super::Typeset, TypesetError> {
        compile_pdf(job, fonts).map(|pdf| (pdf, Vec::new()))
    }

    pub fn compile_pdf(_job: &PdfJob, _fonts: &Fonts) -> Result<Vec<u8>, TypesetError> {
        Err(TypesetError::Typst("policybook was built without the `typst` feature".into()))
    }

    pub const WORKER_ARG: &str = "__typeset-worker";

    /// No worker can typeset without Typst.
    pub fn work() -> u8 {
        2
    }
}

#[cfg(not(feature = "typst"))]
pub use without_typst::{compile_pdf, compile_pdf_reusing, shipped_fonts, work, Fonts, WORKER_ARG};
