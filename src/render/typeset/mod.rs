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
}

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
fn compile_here(job: &PdfJob, fonts: &Fonts) -> Result<Vec<u8>, TypesetError> {
    let today = Datetime::from_ymd(job.date.year, job.date.month as u8, job.date.day as u8)
        .ok_or(TypesetError::Date(job.date))?;
    let world = SealedWorld::new(job, fonts, "/", None, None, today);
    let doc =
        if job.parts.is_empty() { compile_one(&world, job.keep_memo)? } else { compile_parts(job, fonts, today)? };
    let standards = match job.standards {
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
    typst_pdf::pdf(&doc, &options).map_err(|errs| TypesetError::Export(describe(&world, &errs)))
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
/// The scheme of a link from one part of a document to a label in another (`far` in the
/// templates' common.typ).
const FAR: &str = "policybook-part:";

#[cfg(feature = "typst")]
/// Lays out a long document in parts, one compilation each, Typst's memo dropped after each, so
/// that memory follows the part, not the document (issue 13). The template reads `part.json`:
/// `{"kind": "front", "pages": {label: page}}` (cover and table of contents, the pages of its
/// entries as the body parts gave them), `{"kind": "body", "start": n}` (a part of the body
/// from page number `n`), `{"kind": "furniture", "total": n}` (the running heads and page
/// numbers of all `n` pages, on empty pages). The pages are joined, the furniture laid over
/// them, and each link to `FAR` + a label pointed at the label's place.
///
/// The table of contents is laid out once without page numbers to learn its length, which the
/// body's page numbers follow; should the numbers lengthen it, the body is laid out again.
/// Each compilation has its files under a folder of its own, so that no two parts' elements
/// share a location.
fn compile_parts(job: &PdfJob, fonts: &Fonts, today: Datetime) -> Result<PagedDocument, TypesetError> {
    use std::num::NonZeroUsize;
    use typst::ecow::{eco_format, EcoString};
    use typst::introspection::{PagedPosition, Tag};
    use typst::layout::{Frame, FrameItem, Point};
    use typst::model::{Destination, LinkMarker};

    let mut n = 0;
    let mut compile = |data: Option<&[u8]>, run: serde_json::Value| {
        n += 1;
        let run = serde_json::to_vec(&run).expect("JSON values serialize");
        compile_one(&SealedWorld::new(job, fonts, &format!("/part-{n}/"), data, Some(run), today), false)
    };
    // The front part's pages, and the number the body's first page gets.
    let shape = |doc: &PagedDocument| (doc.pages().len(), doc.pages().last().map_or(1, |p| p.number + 1));
    let mut front_shape = shape(&compile(None, serde_json::json!({"kind": "front", "pages": {}}))?);
    for _ in 0..3 {
        let (front_len, number) = front_shape;
        let mut body = Vec::new();
        let mut targets: HashMap<String, PagedPosition> = HashMap::new();
        let mut numbers = serde_json::Map::new();
        for part in job.parts {
            let first = front_len + body.len();
            let start = number + body.len() as u64;
            let doc = compile(Some(part), serde_json::json!({"kind": "body", "start": start}))?;
            let intro = doc.introspector();
            for elem in typst::introspection::Introspector::query_labelled(intro.as_ref()) {
                let (Some(label), Some(loc)) = (elem.label(), elem.location()) else { continue };
                let Some(at) = intro.position(loc) else { continue };
                let name = label.resolve().to_string();
                let printed = doc.pages().get(at.page.get() - 1).map_or(0, |p| p.number);
                numbers.entry(name.clone()).or_insert_with(|| printed.to_string().into());
                let page = NonZeroUsize::new(first + at.page.get()).expect("pages count from 1");
                targets.entry(name).or_insert(PagedPosition { page, point: at.point });
            }
            body.extend(doc.pages().iter().cloned());
        }
        let front = compile(None, serde_json::json!({"kind": "front", "pages": numbers}))?;
        if shape(&front) != front_shape {
            front_shape = shape(&front);
            continue;
        }
        let total = front_len + body.len();
        let furniture = compile(None, serde_json::json!({"kind": "furniture", "total": total}))?;
        if furniture.pages().len() != total {
            return Err(TypesetError::Typst(format!(
                "the template laid out {} pages of running heads for {total} pages",
                furniture.pages().len()
            )));
        }
        // A far link's text for assistive technology, as Typst words a link to a place: "page n".
        let info = typst::model::Document::info(&front).clone();
        let word = match info.locale {
            Smart::Custom(l) => <typst::layout::PageElem as typst::text::LocalName>::local_name(l.lang, l.region),
            Smart::Auto => "Page",
        };
        let alts: HashMap<&str, EcoString> =
            numbers.iter().map(|(l, n)| (l.as_str(), eco_format!("{word} {}", n.as_str().unwrap_or("")))).collect();
        fn relink(frame: &mut Frame, targets: &HashMap<String, PagedPosition>, alts: &HashMap<&str, EcoString>) {
            frame.retain(|item| {
                match item {
                    FrameItem::Group(group) => relink(&mut group.frame, targets, alts),
                    FrameItem::Link(dest, _) => {
                        let to = match dest {
                            Destination::Url(url) => url.strip_prefix(FAR).and_then(|l| targets.get(l)),
                            _ => None,
                        };
                        if let Some(to) = to {
                            *dest = Destination::Position(*to);
                        }
                    }
                    FrameItem::Tag(Tag::Start(elem, _)) => {
                        if let Some(marker) = elem.to_packed_mut::<LinkMarker>() {
                            let far = marker.alt.as_deref().and_then(|a| a.strip_prefix(FAR));
                            if let Some(alt) = far.and_then(|l| alts.get(l)) {
                                marker.alt = Some(alt.clone());
                            }
                        }
                    }
                    _ => {}
                }
                true
            });
        }
        let mut pages: Vec<typst_layout::Page> = front.pages().iter().cloned().chain(body).collect();
        for (page, over) in pages.iter_mut().zip(furniture.pages()) {
            page.frame.push_frame(Point::zero(), over.frame.clone());
            relink(&mut page.frame, &targets, &alts);
        }
        return Ok(PagedDocument::new(pages.into_iter().collect(), info));
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
    /// The world of one compilation of `job`: its template and files under the folder `root`
    /// (`/`, or `/part-N/` for one part of a document), with `data` in place of `data.json` and
    /// `run` as `part.json` when given.
    fn new(
        job: &PdfJob,
        fonts: &'a Fonts,
        root: &str,
        data: Option<&[u8]>,
        run: Option<Vec<u8>>,
        today: Datetime,
    ) -> SealedWorld<'a> {
        let id = |name: &str| {
            let path = format!("{root}{}", name.trim_start_matches('/'));
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
pub use without_typst::{compile_pdf, shipped_fonts, work, Fonts, WORKER_ARG};
