//! Loading: a [`Source`] → a [`Project`], with the diagnostics found on the way.
//!
//! Reads `book.toml` and every document (single files or chapter folders) in both languages,
//! builds each language's section tree, aligns English to Japanese by id, resolves effective
//! classification levels, fingerprints the Japanese text and computes numbers.

use super::frontmatter::{self, key_loc, parse_yaml, RawEn, RawJa, RawRevision};
use super::markdown::{self, RawFile, RawSection};
use super::{Block, Date, Document, Project, Revision, Section, SectionText, Texts, Translation};
use crate::config::{is_key, Config, ConfigError, Lang, Level};
use crate::diag::{Diagnostic, LineIndex, Loc, Localize, Message};
use crate::model::numbering;
use crate::model::structure;
use crate::source::{Source, SourceError};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The manifest file's name.
pub const MANIFEST: &str = "book.toml";

/// A loaded project and what loading found wrong. Documents with fatal front matter errors are
/// left out of the project (their diagnostics say why).
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every Markdown file read, by path (a BOM dropped): checks that find something
    /// in the model's text point to its line in here (see [`super::prose`], [`super::terms`]).
    pub texts: BTreeMap<String, String>,
}

/// A source that keeps the text of the Markdown files read through it.
struct Recorder<'a> {
    inner: &'a dyn Source,
    texts: std::cell::RefCell<BTreeMap<String, String>>,
}

impl Recorder<'_> {
    /// The files at `paths`, in order, each recorded as [`Source::read`] records it: on the cores
    /// when the source can be read from several threads.
    fn read_all(&self, paths: &[&str]) -> Vec<Result<Vec<u8>, SourceError>> {
        let read = |source: &dyn Source, path: &str| {
            let bytes = source.read(path)?;
            let text = recorded(path, &bytes);
            Ok((bytes, text))
        };
        type Read = Result<(Vec<u8>, Option<String>), SourceError>;
        let done: Vec<Read> = match self.inner.concurrent() {
            Some(source) => super::par::map(paths, |p| read(source, p)),
            None => paths.iter().map(|p| read(self.inner, p)).collect(),
        };
        let mut texts = self.texts.borrow_mut();
        let mut out = Vec::with_capacity(done.len());
        for (path, r) in paths.iter().zip(done) {
            out.push(r.map(|(bytes, text)| {
                if let Some(text) = text {
                    texts.insert(path.to_string(), text);
                }
                bytes
            }));
        }
        out
    }
}

/// The text that `Loaded::texts` keeps of a file read: that of every Markdown file.
fn recorded(path: &str, bytes: &[u8]) -> Option<String> {
    if !path.ends_with(".md") {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    Some(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

impl Source for Recorder<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let bytes = self.inner.read(path)?;
        if let Some(text) = recorded(path, &bytes) {
            self.texts.borrow_mut().insert(path.to_string(), text);
        }
        Ok(bytes)
    }

    fn list(&self, dir: &str) -> Result<Vec<crate::source::Entry>, SourceError> {
        self.inner.list(dir)
    }

    fn origin(&self) -> String {
        self.inner.origin()
    }

    fn exists(&self, path: &str) -> bool {
        self.inner.exists(path)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Source(#[from] SourceError),
}

impl Localize for LoadError {
    fn text(&self) -> Message {
        match self {
            LoadError::Config(e) => e.text(),
            LoadError::Source(e) => e.text(),
        }
    }
}

/// Loads the project at the root of `source`.
pub fn load(source: &dyn Source) -> Result<Loaded, LoadError> {
    load_with(source, None)
}

/// Files parsed by earlier loads, by what shapes a file's parse: book.toml's text, the document,
/// the file's path and place, its bytes. [`load_with`] parses a file only the first time it
/// meets it: the releases that `history` loads share most of their files. Shared by threads.
#[derive(Default)]
pub struct ParseCache {
    parsed: std::sync::Mutex<HashMap<[u8; 32], Parsed>>,
}

impl ParseCache {
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.parsed.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// A file's parse: its body, its front matter (the first file's), its diagnostics.
type Parsed = (Option<RawFile>, Option<FrontMatter>, Vec<Diagnostic>);

/// A [`ParseCache`] for the loads of one book.toml text.
#[derive(Clone, Copy)]
struct Cached<'a> {
    cache: &'a ParseCache,
    /// The SHA-256 of book.toml.
    book: [u8; 32],
}

impl Cached<'_> {
    /// [`parse_file`] of `bytes`, or a copy of the same file's earlier parse.
    fn parse(&self, config: &Config, doc: &str, path: &str, i: usize, bytes: &[u8]) -> Parsed {
        let mut h = Sha256::new();
        for field in [&self.book[..], doc.as_bytes(), path.as_bytes(), &[u8::from(i == 0)], bytes] {
            h.update((field.len() as u64).to_le_bytes());
            h.update(field);
        }
        let key: [u8; 32] = h.finalize().into();
        if let Some(p) = self.cache.parsed.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return p.clone();
        }
        let parsed = parse_file(config, doc, path, i, Some(bytes));
        self.cache.parsed.lock().unwrap_or_else(|e| e.into_inner()).insert(key, parsed.clone());
        parsed
    }
}

/// [`load`], reusing the parses of `cache` (and adding to it).
pub fn load_with(source: &dyn Source, cache: Option<&ParseCache>) -> Result<Loaded, LoadError> {
    let recorder = Recorder { inner: source, texts: Default::default() };
    let source: &dyn Source = &recorder;
    let text = source.read_text(MANIFEST)?;
    let config = Config::parse(&text, MANIFEST)?;
    let cache = cache.map(|cache| Cached { cache, book: Sha256::digest(text.as_bytes()).into() });
    super::prose::check_config(&config, &text, MANIFEST)?;
    let mut diags = Vec::new();
    let dir = config.book.source.trim_end_matches('/').to_string();
    let entries = source.list(&dir)?;
    let mut planned = Vec::new();
    for e in &entries {
        let path = format!("{dir}/{}", e.name);
        let files = if e.is_dir {
            match chapter_files(source, &path, &mut diags)? {
                Some(f) => f,
                None => continue,
            }
        } else if let Some(stem) = e.name.strip_suffix(".ja.md") {
            let en = format!("{dir}/{stem}.en.md");
            DocFiles { stem: stem.to_string(), ja: vec![path], en: source.exists(&en).then_some(vec![en]) }
        } else if let Some(stem) = e.name.strip_suffix(".en.md") {
            if !entries.iter().any(|x| x.name == format!("{stem}.ja.md")) {
                diags.push(
                    Diagnostic::new("orphan-translation", Loc::new(&path, 1, 1)).arg("path", &path).arg("stem", stem),
                );
            }
            continue;
        } else {
            if e.name.ends_with(".md") {
                diags.push(Diagnostic::new("ignored-file", Loc::new(&path, 1, 1)).arg("path", &path));
            }
            continue;
        };
        planned.push(files);
    }
    let mut docs = load_documents(&recorder, &config, cache, planned, &mut diags)?;
    docs.sort_by(|a, b| (a.doc_type as u8, &a.id).cmp(&(b.doc_type as u8, &b.id)));
    let mut seen = HashSet::new();
    for d in &docs {
        if !seen.insert(d.id.clone()) {
            diags.push(Diagnostic::new("id-duplicate.document", d.loc.clone()).arg("id", &d.id));
        }
    }
    let images = super::figure::read_all(source, &dir, &mut docs, &mut diags);
    let terms = super::terms::load(source, &config, &dir, &docs, &mut diags)?;
    let texts = recorder.texts.take();
    Ok(Loaded { project: Project { config, documents: docs, images, terms }, diagnostics: diags, texts })
}

struct DocFiles {
    stem: String,
    ja: Vec<String>,
    en: Option<Vec<String>>,
}

/// The files of a folder document: `index.*.md` first, then chapters by name.
fn chapter_files(source: &dyn Source, dir: &str, diags: &mut Vec<Diagnostic>) -> Result<Option<DocFiles>, LoadError> {
    let stem = dir.rsplit('/').next().unwrap_or(dir).to_string();
    let entries = source.list(dir)?;
    // A folder without Markdown holds images (figures/), not a document.
    if !entries.iter().any(|e| e.name.ends_with(".md")) {
        return Ok(None);
    }
    if !entries.iter().any(|e| e.name == "index.ja.md") {
        diags.push(Diagnostic::new("missing-index", Loc::new(format!("{dir}/"), 1, 1)).arg("dir", dir));
        return Ok(None);
    }
    let mut ja = vec![format!("{dir}/index.ja.md")];
    let mut en = vec![format!("{dir}/index.en.md")];
    for e in &entries {
        if e.is_dir || e.name.starts_with("index.") {
            continue;
        }
        if let Some(s) = e.name.strip_suffix(".ja.md") {
            ja.push(format!("{dir}/{}", e.name));
            en.push(format!("{dir}/{s}.en.md"));
        }
    }
    let has_en = source.exists(&en[0]);
    Ok(Some(DocFiles { stem, ja, en: has_en.then_some(en) }))
}

/// A file's front matter: where it is, its YAML text and the line of its first line.
#[derive(Clone)]
struct FrontMatter {
    path: String,
    yaml: String,
    line_offset: u32,
}

impl FrontMatter {
    fn parse<T: for<'de> serde::Deserialize<'de>>(&self) -> Result<T, Diagnostic> {
        parse_yaml(&self.yaml, &self.path, self.line_offset)
    }

    /// Where `key` (with `value`, when given) is written.
    fn at(&self, key: &str, value: Option<&str>) -> Loc {
        key_loc(&self.yaml, key, value, &self.path, self.line_offset)
    }
}

/// One language's files, parsed.
#[derive(Default)]
struct LangFiles {
    files: Vec<(String, RawFile)>,
}

/// One language's files of a document, parsed: the first file's front matter, the files, and the
/// diagnostics found in them.
#[derive(Default)]
struct LangParse {
    front: Option<FrontMatter>,
    files: LangFiles,
    found: Vec<Diagnostic>,
}

/// The files of several documents (each a list of paths, the first holding the front matter),
/// read (on the cores when the source allows it: [`Recorder::read_all`]) and then parsed
/// together on the cores, the longest first; for each document its front matter, its parsed files and the diagnostics
/// found in them, in the files' order as a sequential run makes them. A missing file after the
/// first is a diagnostic, any other failure to read an error.
fn parse_files(
    source: &Recorder<'_>,
    config: &Config,
    cache: Option<Cached>,
    docs: &[(&str, &[String])],
) -> Result<Vec<LangParse>, LoadError> {
    let places: Vec<(usize, usize, &String)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, (_, paths))| paths.iter().enumerate().map(move |(i, p)| (d, i, p)))
        .collect();
    let paths: Vec<&str> = places.iter().map(|(.., p)| p.as_str()).collect();
    // (document, file index, path, bytes)
    let mut read = Vec::new();
    for ((d, i, path), bytes) in places.into_iter().zip(source.read_all(&paths)) {
        match bytes {
            Ok(bytes) => read.push((d, i, path, Some(bytes))),
            Err(SourceError::NotFound { .. }) if i > 0 => read.push((d, i, path, None)),
            Err(e) => return Err(e.into()),
        }
    }
    let mut order: Vec<usize> = (0..read.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(read[k].3.as_ref().map_or(0, Vec::len)));
    let done = super::par::map(&order, |&k| {
        let (d, i, path, bytes) = &read[k];
        match (cache, bytes) {
            (Some(c), Some(b)) => c.parse(config, docs[*d].0, path, *i, b),
            _ => parse_file(config, docs[*d].0, path, *i, bytes.as_deref()),
        }
    });
    // Back in the files' order.
    let mut parsed: Vec<(usize, Parsed)> = order.into_iter().zip(done).collect();
    parsed.sort_unstable_by_key(|(k, _)| *k);
    let mut out: Vec<LangParse> = docs.iter().map(|_| LangParse::default()).collect();
    for ((d, i, path, _), (_, (raw, fm, mut found))) in read.iter().zip(parsed) {
        let doc = &mut out[*d];
        doc.found.append(&mut found);
        if *i == 0 {
            doc.front = fm;
        }
        if let Some(raw) = raw {
            doc.files.files.push(((*path).clone(), raw));
        }
    }
    Ok(out)
}

/// One file of a document: its front matter (the first file's) and its parsed body, with the
/// diagnostics found on the way. `bytes` is `None` for a missing chapter file.
fn parse_file(config: &Config, doc: &str, path: &str, i: usize, bytes: Option<&[u8]>) -> Parsed {
    let mut diags = Vec::new();
    let mut front = None;
    let Some(bytes) = bytes else {
        diags.push(Diagnostic::new("parity-missing.chapter", Loc::new(path, 1, 1)).arg("path", path));
        return (None, front, diags);
    };
    let text = decode(path, bytes.to_vec(), &mut diags);
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    markdown::control_characters(path, &text, &mut diags);
    let (body, offset) = split_front_matter(path, &text, i == 0, &mut front, &mut diags);
    // Input-method slips at their place; the parser reads the body with the error slips fixed.
    let body = super::ime::check(path, body, offset, &mut diags);
    let mut ctx = markdown::Ctx {
        config,
        file: path,
        text: &body,
        line_offset: offset,
        doc,
        diags: &mut diags,
        depth: 0,
        lines: LineIndex::new(&body),
    };
    let raw = markdown::parse(&mut ctx);
    (Some(raw), front, diags)
}

/// A source file as text. Invalid UTF-8 is an error at its first bad byte; the file is decoded
/// lossily so that the rest of it is still checked.
fn decode(path: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> String {
    let e = match String::from_utf8(bytes) {
        Ok(text) => return text,
        Err(e) => e,
    };
    let at = e.utf8_error().valid_up_to();
    let bytes = e.into_bytes();
    let good = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let good = good.strip_prefix('\u{feff}').unwrap_or(good);
    let (line, column) = crate::diag::line_col(good, good.len());
    diags.push(
        Diagnostic::new("encoding", Loc::new(path, line, column))
            .arg("path", path)
            .arg("byte", format!("{:02X}", bytes[at])),
    );
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Splits a file into front matter (kept in `front`: only a document's first file has one) and
/// its body with the body's line offset.
fn split_front_matter(
    path: &str,
    text: &str,
    first: bool,
    front: &mut Option<FrontMatter>,
    diags: &mut Vec<Diagnostic>,
) -> (String, u32) {
    match frontmatter::split(text) {
        Some(s) => {
            if first {
                *front = Some(FrontMatter {
                    path: path.to_string(),
                    yaml: s.yaml.to_string(),
                    line_offset: s.yaml_line_offset,
                });
            } else {
                diags.push(Diagnostic::new("front-matter.chapter", Loc::new(path, 1, 1)));
            }
            (s.body.to_string(), s.body_line_offset)
        }
        None => {
            if first {
                let key = if text.starts_with("---") { "front-matter.unclosed" } else { "front-matter.missing" };
                diags.push(Diagnostic::new(key, Loc::new(path, 1, 1)));
            }
            (text.to_string(), 0)
        }
    }
}

/// What a document's Japanese front matter says, checked.
struct Head {
    raw: RawJa,
    level: Level,
    effective: Date,
    history: Vec<Revision>,
}

/// A document's English: its title (when its front matter reads), its files and the path of the
/// first one.
struct DocEnglish {
    title: Option<String>,
    files: LangFiles,
    path: String,
}

/// The documents of `planned`: the files of them all, both languages, parsed together; the
/// English of those whose Japanese front matter does not read dropped; then each document
/// built (sections aligned, classified, numbered) on the cores. Diagnostics go to `diags`
/// document by document.
fn load_documents(
    source: &Recorder<'_>,
    config: &Config,
    cache: Option<Cached>,
    planned: Vec<DocFiles>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Document>, LoadError> {
    // The files of both languages parsed together, the English after the Japanese.
    let groups: Vec<(&str, &[String])> = planned
        .iter()
        .map(|f| (f.stem.as_str(), f.ja.as_slice()))
        .chain(planned.iter().filter_map(|f| f.en.as_deref().map(|en| (f.stem.as_str(), en))))
        .collect();
    let mut parsed = parse_files(source, config, cache, &groups)?;
    let mut en: Vec<Option<LangParse>> = Vec::with_capacity(planned.len());
    let mut english = parsed.split_off(planned.len()).into_iter();
    for f in &planned {
        en.push(f.en.as_ref().map(|_| english.next().expect("one English parse per translated document")));
    }
    // Documents whose Japanese front matter reads: (files, front matter, head, Japanese, English,
    // diagnostics). The English of the others is left unread, as if never parsed.
    let mut heads = Vec::new();
    for ((files, LangParse { front, files: ja, mut found }), en) in planned.iter().zip(parsed).zip(en) {
        let head = front.as_ref().and_then(|front| read_head(config, front, &files.stem, &mut found));
        match (front, head) {
            (Some(front), Some(head)) => heads.push((files, front, head, ja, en, found)),
            _ => diags.append(&mut found),
        }
    }
    let mut ready = Vec::new();
    for (files, front, mut head, ja, en, mut found) in heads {
        let en = match files.en.as_ref().zip(en) {
            Some((paths, mut parse)) => {
                found.append(&mut parse.found);
                let title = parse.front.and_then(|f| read_english_front(&f, &mut head, &mut found));
                Some(DocEnglish { title, files: parse.files, path: paths[0].clone() })
            }
            None => {
                found.push(
                    Diagnostic::new("untranslated.document", Loc::new(&front.path, 1, 1))
                        .arg("id", &head.raw.id)
                        .arg("stem", &files.stem),
                );
                None
            }
        };
        ready.push((files.stem.as_str(), front, head, ja, en, found));
    }
    let built = super::par::map_owned(ready, |(stem, front, head, ja, en, mut found)| {
        let doc = build_document(config, stem, &front, head, ja, en, &mut found);
        (doc, found)
    });
    let mut docs = Vec::with_capacity(built.len());
    for (doc, mut found) in built {
        diags.append(&mut found);
        docs.push(doc);
    }
    Ok(docs)
}

/// One document from its parsed files: sections of both languages aligned, classified and
/// numbered. `en` is its English, when it has one.
fn build_document(
    config: &Config,
    stem: &str,
    front: &FrontMatter,
    head: Head,
    ja: LangFiles,
    en: Option<DocEnglish>,
    diags: &mut Vec<Diagnostic>,
) -> Document {
    let (en_title, en_files, en_file) = match en {
        Some(e) => (e.title, Some(e.files), e.path),
        None => (None, None, String::new()),
    };
    let translated = en_files.is_some();
    let mut builder = Builder { config, doc: stem, diags };
    let (ja_pre, ja_tree) = builder.tree(ja, Lang::Ja);
    let (en_pre, en_tree) = en_files.map(|f| builder.tree(f, Lang::En)).unzip();
    let preamble = builder.preamble(ja_pre, en_pre, &en_file, head.level);
    let sections = builder.align(ja_tree, en_tree, &en_file, head.level);
    let Head { raw, level, effective, history } = head;
    let mut doc = Document {
        id: raw.id,
        doc_type: raw.doc_type,
        level,
        numbering: raw.numbering,
        numerals: config.numbering.numerals,
        version: raw.version,
        effective,
        title: Texts { ja: raw.title, en: en_title },
        history,
        preamble,
        sections,
        translated,
        loc: Loc::new(&front.path, 1, 1),
    };
    structure::classify(&mut doc, builder.diags);
    numbering::assign(&mut doc);
    doc
}

/// Reads the Japanese front matter: id, level, dates and history. `None` when the document cannot
/// be loaded (YAML that does not read, a level book.toml does not define).
fn read_head(config: &Config, front: &FrontMatter, stem: &str, diags: &mut Vec<Diagnostic>) -> Option<Head> {
    let raw: RawJa = match front.parse() {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if !is_key(&raw.id) {
        diags.push(Diagnostic::new("doc-id", front.at("id", None)).arg("id", &raw.id));
    }
    if raw.id != stem {
        diags.push(Diagnostic::new("front-matter.id-file", front.at("id", None)).arg("id", &raw.id).arg("stem", stem));
    }
    let Some(level) = config.level(&raw.classification) else {
        diags.push(
            Diagnostic::new("unknown-level", front.at("classification", None))
                .arg("level", &raw.classification)
                .arg("levels", config.level_keys()),
        );
        return None;
    };
    title_length(front, &raw.title, diags);
    let effective = read_date(front, "effective", &raw.effective, diags);
    let history = read_history(front, &raw.history, diags);
    Some(Head { raw, level, effective, history })
}

/// The date written at `key`; a date that does not read is an error (and 1970-01-01).
fn read_date(front: &FrontMatter, key: &str, s: &str, diags: &mut Vec<Diagnostic>) -> Date {
    Date::parse(s).unwrap_or_else(|| {
        diags.push(Diagnostic::new("bad-date", front.at(key, Some(s))).arg("date", s));
        Date { year: 1970, month: 1, day: 1 }
    })
}

/// The revision history (Japanese notes; the English ones come with the English front matter).
fn read_history(front: &FrontMatter, raw: &[RawRevision], diags: &mut Vec<Diagnostic>) -> Vec<Revision> {
    let history: Vec<Revision> = raw
        .iter()
        .map(|r| Revision {
            date: read_date(front, "date", &r.date, diags),
            kind: r.kind.clone(),
            instrument: r.instrument.clone(),
            note: r.note.clone(),
            note_en: None,
        })
        .collect();
    if history.windows(2).any(|w| w[0].date > w[1].date) {
        diags.push(Diagnostic::new("history-order", front.at("history", None)));
    }
    history
}

/// Checks the English front matter against the Japanese and puts its history notes on the Japanese
/// revisions of the same date; the English title, when the YAML reads.
fn read_english_front(front: &FrontMatter, head: &mut Head, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let e: RawEn = match front.parse() {
        Ok(e) => e,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if e.id != head.raw.id {
        diags.push(
            Diagnostic::new("front-matter.id-languages", front.at("id", None)).arg("id", &e.id).arg("ja", &head.raw.id),
        );
    }
    for h in e.history {
        match Date::parse(&h.date).and_then(|d| head.history.iter_mut().find(|r| r.date == d)) {
            Some(r) => r.note_en = Some(h.note),
            None => diags.push(
                Diagnostic::new("front-matter.history-date", front.at("date", Some(&h.date))).arg("date", &h.date),
            ),
        }
    }
    title_length(front, &e.title, diags);
    Some(e.title)
}

/// A document's title goes into its PDF's metadata, a PDF string of at most 32,767 bytes.
fn title_length(front: &FrontMatter, title: &str, diags: &mut Vec<Diagnostic>) {
    let n = title.chars().count();
    if n > super::markdown::MAX_TITLE {
        diags.push(
            Diagnostic::new("title-too-long", front.at("title", None))
                .arg("n", n)
                .arg("max", super::markdown::MAX_TITLE),
        );
    }
}

/// A section of one language, before alignment.
struct Node {
    raw: RawSection,
    depth: u8,
    children: Vec<Node>,
}

struct Builder<'a> {
    config: &'a Config,
    doc: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

/// The Japanese side of a section, which its English heading is checked against.
struct JaSection<'s> {
    id: &'s str,
    depth: u8,
    level: Level,
    /// The classes the English heading repeats, sorted.
    classes: Vec<String>,
    text: &'s SectionText,
    fingerprint: &'s str,
}

/// What a section's English heading gives: its text (unless untranslated), the `ja=` it records
/// and the state of the translation.
struct SectionEnglish {
    text: Option<SectionText>,
    confirmed: Option<String>,
    translation: Translation,
}

impl Builder<'_> {
    /// Builds one language's section tree from its files.
    fn tree(&mut self, files: LangFiles, lang: Lang) -> (Vec<Block>, Vec<Node>) {
        let (preamble, flat) = self.join_files(files);
        let min = flat.iter().map(|s| s.md_level).min().unwrap_or(1);
        let mut seen: HashMap<String, Loc> = HashMap::new();
        let mut stack: Vec<Node> = Vec::new();
        let mut roots: Vec<Node> = Vec::new();
        let mut prev_depth = 0u8;
        for raw in flat {
            let depth = self.depth(&raw, raw.md_level - min + 1, prev_depth);
            prev_depth = depth;
            self.check_heading(&raw, lang, &mut seen);
            while stack.last().is_some_and(|n| n.depth >= depth) {
                let n = stack.pop().unwrap();
                attach(&mut stack, &mut roots, n);
            }
            stack.push(Node { raw, depth, children: Vec::new() });
        }
        while let Some(n) = stack.pop() {
            attach(&mut stack, &mut roots, n);
        }
        (preamble, roots)
    }

    /// A document's files as one: the first file's preamble (chapter files have none) and every
    /// heading in order.
    fn join_files(&mut self, files: LangFiles) -> (Vec<Block>, Vec<RawSection>) {
        let mut preamble = Vec::new();
        let mut flat: Vec<RawSection> = Vec::new();
        for (i, (path, f)) in files.files.into_iter().enumerate() {
            if i == 0 {
                preamble = f.preamble;
            } else if !f.preamble.is_empty() {
                self.diags.push(Diagnostic::new("orphan-text", Loc::new(&path, 1, 1)));
            }
            flat.extend(f.sections);
        }
        (preamble, flat)
    }

    /// A heading's depth in the tree: at most one below the previous heading's (a skipped level is
    /// an error).
    fn depth(&mut self, raw: &RawSection, depth: u8, prev_depth: u8) -> u8 {
        if depth > prev_depth + 1 {
            self.diags.push(Diagnostic::new("heading-skip", raw.loc.clone()).arg("from", prev_depth).arg("to", depth));
            return prev_depth + 1;
        }
        depth
    }

    /// Checks a heading's id, title, classes and attributes; `seen` holds the ids met so far.
    fn check_heading(&mut self, raw: &RawSection, lang: Lang, seen: &mut HashMap<String, Loc>) {
        self.check_id(raw, seen);
        if super::plain_text(&raw.title).trim().is_empty() {
            self.diags.push(Diagnostic::new("heading-empty", raw.loc.clone()));
        }
        self.check_classes(raw, lang);
        self.check_attrs(raw, lang);
    }

    /// A heading has a valid id that no earlier heading of the document has.
    fn check_id(&mut self, raw: &RawSection, seen: &mut HashMap<String, Loc>) {
        match &raw.id {
            None => self.diags.push(
                Diagnostic::new("heading-id.missing", raw.loc.clone()).arg("title", super::plain_text(&raw.title)),
            ),
            Some(id) if !is_key(id) => self.diags.push(Diagnostic::new("heading-id", raw.loc.clone()).arg("id", id)),
            Some(id) => {
                if let Some(first) = seen.get(id) {
                    self.diags
                        .push(Diagnostic::new("id-duplicate", raw.loc.clone()).arg("id", id).arg("line", first.line));
                } else {
                    seen.insert(id.clone(), raw.loc.clone());
                }
            }
        }
    }

    /// Every class is `.unnumbered`, `.untranslated` (English only), a structure class or a level.
    fn check_classes(&mut self, raw: &RawSection, lang: Lang) {
        for c in &raw.classes {
            let known = c == "unnumbered"
                || c == "term"
                || (c == "untranslated" && lang == Lang::En)
                || structure::CLASSES.contains(&c.as_str())
                || self.config.level(c).is_some();
            if !known {
                self.diags.push(
                    Diagnostic::new("unknown-class", raw.loc.clone())
                        .arg("class", c)
                        .arg("levels", self.config.level_keys()),
                );
            }
        }
    }

    /// The only attributes are `revision=` and, on English headings, `ja=`.
    fn check_attrs(&mut self, raw: &RawSection, lang: Lang) {
        for (k, _) in &raw.attrs {
            if !(k == "ja" && lang == Lang::En) && k != "revision" {
                self.diags.push(Diagnostic::new("unknown-class.attribute", raw.loc.clone()).arg("attr", k));
            }
        }
    }

    /// The level named by a heading's classes, if any.
    fn own_level(&self, raw: &RawSection) -> Option<Level> {
        raw.classes.iter().filter_map(|c| self.config.level(c)).max()
    }

    /// Checks containers against the level they stand in.
    fn classify_blocks(&mut self, blocks: &mut [Block], level: Level) {
        for b in blocks {
            if let Block::Classified { level: l, loc, .. } = b {
                if *l < level {
                    self.diags.push(
                        Diagnostic::new("classification-lower.container", loc.clone())
                            .arg("level", &self.config.level_def(*l).key)
                            .arg("section", &self.config.level_def(level).key),
                    );
                    *l = level;
                }
            }
        }
    }

    /// Checks that both languages put the same classified containers around the same content;
    /// `id` names the section, `None` the text before the first heading.
    fn check_containers(&mut self, ja: &[Block], en: &[Block], loc: Loc, id: Option<&str>) {
        let (ja_c, en_c) = (container_levels(ja), container_levels(en));
        if ja_c != en_c {
            self.diags.push(
                Diagnostic::new(if id.is_some() { "parity-container" } else { "parity-container.preamble" }, loc)
                    .arg("id", id.unwrap_or_default())
                    .arg_in("en", self.describe_levels(&en_c, Lang::En), self.describe_levels(&en_c, Lang::Ja))
                    .arg_in("ja", self.describe_levels(&ja_c, Lang::En), self.describe_levels(&ja_c, Lang::Ja)),
            );
        }
    }

    /// The text before the first heading in both languages, its containers checked.
    fn preamble(&mut self, ja: Vec<Block>, en: Option<Vec<Block>>, en_file: &str, level: Level) -> Texts<Vec<Block>> {
        let (mut ja, mut en) = (ja, en);
        self.classify_blocks(&mut ja, level);
        if let Some(en) = en.as_mut() {
            self.classify_blocks(en, level);
            self.check_containers(&ja, en, Loc::new(en_file, 1, 1), None);
        }
        Texts { ja, en }
    }

    /// Aligns the English tree to the Japanese one by id and builds model sections.
    fn align(&mut self, ja: Vec<Node>, en: Option<Vec<Node>>, en_file: &str, doc_level: Level) -> Vec<Section> {
        let mut en_map: BTreeMap<String, (RawSection, u8, usize)> = BTreeMap::new();
        let mut en_order = Vec::new();
        let mut en_last_loc = Loc::new(en_file, 1, 1);
        if let Some(en) = en {
            flatten(en, &mut |raw, depth| {
                let Some(id) = raw.id.clone() else { return };
                en_last_loc = raw.loc.clone();
                en_order.push(id.clone());
                let i = en_map.len();
                en_map.entry(id).or_insert((raw, depth, i));
            });
        }
        let translated = !en_order.is_empty() || !en_file.is_empty();
        // Order check over the ids both languages have.
        let mut ja_order = Vec::new();
        for n in &ja {
            collect_ids(n, &mut ja_order);
        }
        let common_ja: Vec<&String> = ja_order.iter().filter(|i| en_map.contains_key(*i)).collect();
        let ja_set: HashSet<&String> = ja_order.iter().collect();
        let common_en: Vec<&String> = en_order.iter().filter(|i| ja_set.contains(i)).collect();
        if let Some(pos) = common_ja.iter().zip(&common_en).position(|(a, b)| a != b) {
            let id = common_en[pos];
            self.diags.push(
                Diagnostic::new("parity-order", en_map[id].0.loc.clone()).arg("id", id).arg("expected", common_ja[pos]),
            );
        }
        for id in &en_order {
            if !ja_set.contains(id) {
                self.diags.push(Diagnostic::new("parity-extra", en_map[id].0.loc.clone()).arg("id", id));
            }
        }
        // Each top-level section is built on the cores with its share of the English headings
        // (those whose id first appears in it); the diagnostics come back in document order.
        let mut first = HashMap::new();
        for (i, id) in ja_order.iter().enumerate() {
            first.entry(id.clone()).or_insert(i);
        }
        let en_locs = en_map.iter().map(|(id, e)| (id.clone(), e.0.loc.clone())).collect();
        let mut parts = Vec::with_capacity(ja.len());
        let mut start = 0;
        for node in ja {
            let end = start + count_ids(&node);
            let share = ja_order[start..end].iter().filter_map(|id| Some((id.clone(), en_map.remove(id)?))).collect();
            parts.push((node, share, start));
            start = end;
        }
        let whole = WholeOrder { translated, en_last_loc, ja_order, first, en_locs };
        let (config, doc) = (self.config, self.doc);
        let built = super::par::map_owned(parts, |(node, en_map, next)| {
            let mut diags = Vec::new();
            let mut ctx = AlignCtx { en_map, whole: &whole, next };
            let section = Builder { config, doc, diags: &mut diags }.section(node, doc_level, &mut ctx);
            (section, diags)
        });
        let mut sections = Vec::with_capacity(built.len());
        for (section, mut diags) in built {
            self.diags.append(&mut diags);
            sections.push(section);
        }
        sections
    }

    /// A model section from a Japanese node and the English heading of the same id, children included.
    fn section(&mut self, node: Node, parent_level: Level, ctx: &mut AlignCtx) -> Section {
        let raw = node.raw;
        let at = ctx.next;
        ctx.next += usize::from(raw.id.is_some());
        let id = raw.id.clone().unwrap_or_default();
        let own = self.own_level(&raw);
        self.check_own_level(&raw, &id, own, parent_level);
        let level = own.map_or(parent_level, |o| o.max(parent_level));
        let unnumbered = raw.classes.iter().any(|c| c == "unnumbered");
        let term = raw.classes.iter().any(|c| c == "term");
        let kind = structure::declared(&raw.classes, self.revision(&raw));
        let mut classes = self.classes_to_repeat(&raw.classes, own, unnumbered);
        if term {
            classes.push("term".into());
            classes.sort();
        }
        let mut ja_text = SectionText { title: raw.title, blocks: raw.blocks, loc: raw.loc };
        self.classify_blocks(&mut ja_text.blocks, level);
        let top = Level(self.config.levels.len() as u8 - 1);
        let fps = fingerprints(&ja_text, level, top);
        let fp = fingerprint_record(&fps);
        let en = match ctx.en_map.remove(&id) {
            Some((en_raw, en_depth, _)) => {
                let ja = JaSection { id: &id, depth: node.depth, level, classes, text: &ja_text, fingerprint: &fp };
                self.english(en_raw, en_depth, &ja)
            }
            None => {
                if ctx.whole.translated {
                    self.report_missing(&id, at, &ja_text, ctx.whole);
                }
                SectionEnglish { text: None, confirmed: None, translation: Translation::Missing }
            }
        };
        let children = node.children.into_iter().map(|c| self.section(c, level, ctx)).collect();
        Section {
            id,
            level,
            unnumbered,
            term,
            depth: node.depth,
            kind,
            number: None,
            ja: ja_text,
            en: en.text,
            translation: en.translation,
            fingerprint: fp,
            fingerprints: fps,
            confirmed: en.confirmed,
            children,
        }
    }

    /// A section's own level may not be below the level it stands in.
    fn check_own_level(&mut self, raw: &RawSection, id: &str, own: Option<Level>, parent_level: Level) {
        if let Some(own) = own {
            if own < parent_level {
                self.diags.push(
                    Diagnostic::new("classification-lower", raw.loc.clone())
                        .arg("id", id)
                        .arg("own", &self.config.level_def(own).key)
                        .arg("parent", &self.config.level_def(parent_level).key),
                );
            }
        }
    }

    /// The classes of a Japanese heading that its English heading repeats, sorted.
    fn classes_to_repeat(&self, classes: &[String], own: Option<Level>, unnumbered: bool) -> Vec<String> {
        let mut c: Vec<String> = classes.iter().filter(|c| structure::CLASSES.contains(&c.as_str())).cloned().collect();
        if unnumbered {
            c.push("unnumbered".into());
        }
        if let Some(o) = own {
            c.push(self.config.level_def(o).key.clone());
        }
        c.sort();
        c
    }

    /// Checks a section's English heading against the Japanese one and says where the translation
    /// stands.
    fn english(&mut self, en: RawSection, en_depth: u8, ja: &JaSection) -> SectionEnglish {
        let id = ja.id;
        if en_depth != ja.depth {
            self.diags.push(
                Diagnostic::new("parity-level", en.loc.clone()).arg("id", id).arg("en", en_depth).arg("ja", ja.depth),
            );
        }
        let en_classes = english_classes(&en);
        if en_classes != ja.classes {
            self.diags.push(
                Diagnostic::new("parity-class", en.loc.clone())
                    .arg("id", id)
                    .arg("en", format!("{en_classes:?}"))
                    .arg("ja", format!("{:?}", ja.classes)),
            );
        }
        let confirmed = en.attrs.iter().find(|(k, _)| k == "ja").and_then(|(_, v)| v.clone());
        if en.classes.iter().any(|c| c == "untranslated") {
            self.diags.push(Diagnostic::new("untranslated", en.loc.clone()).arg("id", id));
            return SectionEnglish { text: None, confirmed, translation: Translation::Missing };
        }
        let loc = en.loc.clone();
        let mut text = SectionText { title: en.title, blocks: en.blocks, loc: en.loc };
        self.classify_blocks(&mut text.blocks, ja.level);
        self.check_containers(&ja.text.blocks, &text.blocks, loc.clone(), Some(id));
        let translation = self.translation(id, confirmed.as_deref(), ja.fingerprint, loc);
        SectionEnglish { text: Some(text), confirmed, translation }
    }

    /// The state of a translation from the `ja=` it records; a stale or unconfirmed one is warned of.
    fn translation(&mut self, id: &str, confirmed: Option<&str>, fingerprint: &str, loc: Loc) -> Translation {
        match confirmed {
            Some(c) if c == fingerprint => Translation::Current,
            Some(_) => {
                self.diags.push(Diagnostic::new("translation-stale", loc).arg("id", id).arg("doc", self.doc));
                Translation::Stale
            }
            None => {
                self.diags.push(Diagnostic::new("translation-unconfirmed", loc).arg("id", id).arg("doc", self.doc));
                Translation::Unconfirmed
            }
        }
    }

    /// A section of a translated document that the English text lacks, reported at the English
    /// heading that should follow it.
    fn report_missing(&mut self, id: &str, at: usize, ja_text: &SectionText, whole: &WholeOrder) {
        let next = whole.first.get(id).map_or(whole.ja_order.len(), |p| p + 1);
        let loc = whole.ja_order[next..]
            .iter()
            .filter(|later| whole.first[*later] > at)
            .find_map(|later| whole.en_locs.get(later).cloned())
            .unwrap_or_else(|| whole.en_last_loc.clone());
        self.diags
            .push(Diagnostic::new("parity-missing", loc).arg("id", id).arg("title", super::plain_text(&ja_text.title)));
    }

    /// The date of a 附則's `revision=` attribute.
    fn revision(&mut self, raw: &RawSection) -> Option<Date> {
        let v = raw.attrs.iter().find(|(k, _)| k == "revision")?.1.as_deref().unwrap_or("");
        let d = Date::parse(v);
        if d.is_none() {
            self.diags.push(Diagnostic::new("bad-date.revision", raw.loc.clone()).arg("date", v));
        }
        d
    }

    fn describe_levels(&self, levels: &[Level], lang: Lang) -> String {
        if levels.is_empty() {
            return if lang == Lang::Ja { "なし" } else { "none" }.into();
        }
        levels.iter().map(|l| format!("`::: {}`", self.config.level_def(*l).key)).collect::<Vec<_>>().join(", ")
    }
}

/// What the alignment of a top-level section works with: its share of the English headings by
/// id (removed as they are used) and the whole document's order.
struct AlignCtx<'w> {
    en_map: BTreeMap<String, (RawSection, u8, usize)>,
    whole: &'w WholeOrder,
    /// The place in `whole.ja_order` of the next Japanese heading with an id.
    next: usize,
}

/// The whole document's headings, for the place of a missing translation: the English heading
/// it belongs before is that of the next Japanese heading whose English had not yet been used
/// (by a heading earlier in the document) when the sections are taken in order.
struct WholeOrder {
    translated: bool,
    en_last_loc: Loc,
    /// The ids of the Japanese headings, in document order.
    ja_order: Vec<String>,
    /// Each id's first place in `ja_order`: the heading that takes its English.
    first: HashMap<String, usize>,
    /// Where each English heading is.
    en_locs: HashMap<String, Loc>,
}

fn attach(stack: &mut [Node], roots: &mut Vec<Node>, n: Node) {
    match stack.last_mut() {
        Some(p) => p.children.push(n),
        None => roots.push(n),
    }
}

fn flatten(nodes: Vec<Node>, f: &mut dyn FnMut(RawSection, u8)) {
    for n in nodes {
        f(n.raw, n.depth);
        flatten(n.children, f);
    }
}

fn count_ids(n: &Node) -> usize {
    usize::from(n.raw.id.is_some()) + n.children.iter().map(count_ids).sum::<usize>()
}

fn collect_ids(n: &Node, out: &mut Vec<String>) {
    if let Some(id) = &n.raw.id {
        out.push(id.clone());
    }
    for c in &n.children {
        collect_ids(c, out);
    }
}

/// An English heading's classes as they must match the Japanese ones (`.untranslated` aside), sorted.
fn english_classes(r: &RawSection) -> Vec<String> {
    let mut c: Vec<String> = r.classes.iter().filter(|c| *c != "untranslated").cloned().collect();
    c.sort();
    c
}

fn container_levels(blocks: &[Block]) -> Vec<Level> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Classified { level, .. } => Some(*level),
            _ => None,
        })
        .collect()
}

/// The fingerprint of a section's Japanese text (title and own blocks, whitespace ignored).
pub fn fingerprint(text: &SectionText) -> String {
    fingerprint_of(&text.title, text.blocks.iter())
}

fn fingerprint_of<'a>(title: &[super::Inline], blocks: impl Iterator<Item = &'a Block>) -> String {
    let mut s = super::plain_text(title);
    s.push('\n');
    // Block by block, as `blocks_text` of the blocks collected would write them, without a copy.
    for b in blocks {
        super::push_blocks_text(std::slice::from_ref(b), "\t", &mut |i| super::plain_text(i), &mut s);
    }
    let norm: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let hash = Sha256::digest(norm.as_bytes());
    hash.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// The fingerprints of a section's Japanese text as seen at each level from `from` (the section's
/// own) up to `top`: at level L, classified parts above L are left out. An edition judges a
/// translation stale by the fingerprint at its ceiling, so a change inside a restricted part never
/// marks a public section "out of date". A level that no classified part of the section names
/// sees the same blocks as the level below it: its fingerprint is that one, not computed again.
pub fn fingerprints(text: &SectionText, from: Level, top: Level) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in from.0..=top.0.max(from.0) {
        let opens = |b: &Block| matches!(b, Block::Classified { level, .. } if level.0 == l);
        match out.last() {
            Some(below) if !text.blocks.iter().any(opens) => out.push(below.clone()),
            _ => {
                let visible =
                    text.blocks.iter().filter(|b| !matches!(b, Block::Classified { level, .. } if level.0 > l));
                out.push(fingerprint_of(&text.title, visible));
            }
        }
    }
    out
}

/// What `ja=` records: one fingerprint when the text is the same at every level (no classified
/// parts above the section's level), otherwise the fingerprints of every level joined by dots.
pub fn fingerprint_record(fps: &[String]) -> String {
    match fps.first() {
        Some(f) if fps.iter().all(|x| x == f) => f.clone(),
        _ => fps.join("."),
    }
}
