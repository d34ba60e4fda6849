//! The generator of `tests/prop_leak.rs`: random projects with a canary in every piece of content.
//!
//! A [`Spec`] is what proptest draws and shrinks: documents at random levels, trees of sections
//! at random levels, blocks (paragraphs, lists, tables, quotes, figures, links, footnote-like
//! text, references across levels) inside them or inside `:::` containers, and the two later
//! releases, each changing content at one level. [`Project::write`] turns it into a git
//! repository (three commits, three release tags) whose every title, paragraph, cell, item, alt
//! text, caption, link text and URL, section id, document id, figure file, version, history note
//! and tag name holds a unique canary that names the effective level of where it stands.

use super::common::git;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Level keys of the default scheme, least classified first.
pub const LEVELS: [&str; 3] = ["public", "internal", "restricted"];

/// Where a canary stands, which decides the outputs that must show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A section's title.
    Heading,
    /// Text a reader reads: paragraphs, cells, items, link texts, captions.
    Text,
    /// A document's title: also in the history and the PDF metadata.
    DocTitle,
    /// A history note or a version name (front matter).
    Meta,
    /// A section or document id (anchors, file names).
    Id,
    /// Alt text of a figure.
    Alt,
    /// The address of a link.
    Url,
    /// A figure's file name (published under its digest, never its name).
    File,
    /// Stamped in the bytes of an image.
    Image,
    /// The name of a release tag.
    Tag,
}

#[derive(Debug, Clone)]
pub struct Canary {
    pub text: String,
    pub level: usize,
    pub kind: Kind,
    /// The language it is written in (None: both, as ids).
    pub ja: Option<bool>,
    /// Added by a later release (what the 新旧対照表 must show).
    pub changed: bool,
    /// A document's id.
    pub doc: bool,
}

/// A raw level, drawn least classified first: most content is public.
fn level() -> impl Strategy<Value = usize> {
    prop_oneof![3 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)]
}

#[derive(Debug, Clone)]
pub enum Block {
    Para,
    /// A list: ordered or not, its items, whether the first item holds a nested list.
    List(bool, usize, bool),
    /// A table of so many body rows.
    Table(usize),
    Quote,
    Figure,
    /// A web link with its text and address.
    Link,
    /// Footnote syntax (not enabled: shown as text).
    Footnote,
    /// A reference to the n-th place (section or document) at or below this block's level;
    /// empty text (prints the target's number and, across documents, its title) or not.
    Ref(usize, bool),
    /// A `::: level` container of blocks.
    Container(usize, Vec<Block>),
}

fn leaf_block() -> impl Strategy<Value = Block> {
    prop_oneof![
        3 => Just(Block::Para),
        1 => (any::<bool>(), 1..3usize, any::<bool>()).prop_map(|(o, n, nest)| Block::List(o, n, nest)),
        1 => (1..3usize).prop_map(Block::Table),
        1 => Just(Block::Quote),
        1 => Just(Block::Figure),
        1 => Just(Block::Link),
        1 => Just(Block::Footnote),
        2 => (any::<prop::sample::Index>(), any::<bool>()).prop_map(|(i, e)| Block::Ref(i.index(1 << 16), e)),
    ]
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => leaf_block(),
        1 => (level(), prop::collection::vec(leaf_block(), 1..3)).prop_map(|(l, b)| Block::Container(l, b)),
    ]
}

#[derive(Debug, Clone)]
pub struct Section {
    pub level: usize,
    pub blocks: Vec<Block>,
    pub children: Vec<Section>,
}

fn section(depth: u32) -> BoxedStrategy<Section> {
    let children =
        if depth == 0 { Just(Vec::new()).boxed() } else { prop::collection::vec(section(depth - 1), 0..3).boxed() };
    (level(), prop::collection::vec(block(), 0..3), children)
        .prop_map(|(level, blocks, children)| Section { level, blocks, children })
        .boxed()
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub level: usize,
    pub version: bool,
    /// Whether the English file exists (without it, the document is untranslated).
    pub english: bool,
    /// A folder of chapter files (`index` and one file per top-level section), or one file.
    pub folder: bool,
    pub sections: Vec<Section>,
}

/// A later release: the document it changes and the level of the section it adds.
#[derive(Debug, Clone)]
pub struct Change {
    pub doc: prop::sample::Index,
    pub level: usize,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub docs: Vec<Doc>,
    pub changes: [Change; 2],
}

pub fn spec() -> impl Strategy<Value = Spec> {
    let doc =
        (level(), any::<bool>(), prop::bool::weighted(0.8), any::<bool>(), prop::collection::vec(section(2), 1..4))
            .prop_map(|(level, version, english, folder, sections)| Doc { level, version, english, folder, sections });
    let change = || (any::<prop::sample::Index>(), level()).prop_map(|(doc, level)| Change { doc, level });
    (prop::collection::vec(doc, 1..4), change(), change()).prop_map(|(docs, a, b)| Spec { docs, changes: [a, b] })
}

/// A place a reference may point to: `doc` or `doc#id`, at its effective level.
struct Place {
    doc: usize,
    id: Option<String>,
    level: usize,
}

/// The text being written, with every canary planted so far.
pub struct Writer {
    pub canaries: Vec<Canary>,
    places: Vec<Place>,
    doc_ids: Vec<String>,
    /// Image files to write: name under policy-source/, bytes.
    pub images: Vec<(String, Vec<u8>)>,
    /// The language being written.
    ja: bool,
    /// Whether a later release is being written.
    changed: bool,
}

impl Writer {
    fn canary(&mut self, level: usize, kind: Kind) -> String {
        let text = format!("zq{}{:04}k", ['p', 'i', 'r'][level], self.canaries.len());
        let ja = if matches!(kind, Kind::Id | Kind::Tag) { None } else { Some(self.ja) };
        self.canaries.push(Canary { text: text.clone(), level, kind, ja, changed: self.changed, doc: false });
        text
    }

    /// Ids and levels of every document and section, so that references can point forward.
    fn plan(&mut self, spec: &Spec) -> Vec<Vec<String>> {
        let mut ids = Vec::new();
        for (d, doc) in spec.docs.iter().enumerate() {
            let id = self.canary(doc.level, Kind::Id);
            self.canaries.last_mut().expect("just planted").doc = true;
            self.doc_ids.push(id);
            self.places.push(Place { doc: d, id: None, level: doc.level });
            let mut doc_ids = Vec::new();
            self.plan_sections(d, &doc.sections, doc.level, &mut doc_ids);
            ids.push(doc_ids);
        }
        ids
    }

    fn plan_sections(&mut self, d: usize, secs: &[Section], parent: usize, ids: &mut Vec<String>) {
        for s in secs {
            let level = s.level.max(parent);
            let id = self.canary(level, Kind::Id);
            ids.push(id.clone());
            self.places.push(Place { doc: d, id: Some(id), level });
            self.plan_sections(d, &s.children, level, ids);
        }
    }

    /// A sentence holding a new canary; `words` in Japanese and English.
    fn text(&mut self, level: usize, words: [&str; 2]) -> String {
        let c = self.canary(level, Kind::Text);
        let what = words[usize::from(!self.ja)];
        if self.ja {
            format!("{what}{c}の本文。")
        } else {
            format!("The {what} {c} text.")
        }
    }

    fn block(&mut self, b: &Block, level: usize, doc: usize, out: &mut String) {
        match b {
            Block::Para => {
                let t = self.text(level, ["段落", "paragraph"]);
                out.push_str(&format!("{t}\n\n"));
            }
            Block::List(ordered, n, nested) => {
                let mark = if *ordered { "1." } else { "-" };
                for i in 0..*n {
                    let t = self.text(level, ["項目", "item"]);
                    out.push_str(&format!("{mark} {t}\n"));
                    if i == 0 && *nested {
                        let t = self.text(level, ["細目", "subitem"]);
                        out.push_str(&format!("   {mark} {t}\n"));
                    }
                }
                out.push('\n');
            }
            Block::Table(rows) => {
                let (a, b) = (self.canary(level, Kind::Text), self.canary(level, Kind::Text));
                out.push_str(&format!("| {a} | {b} |\n|---|---|\n"));
                for _ in 0..*rows {
                    let (a, b) = (self.canary(level, Kind::Text), self.canary(level, Kind::Text));
                    out.push_str(&format!("| {a} | {b} |\n"));
                }
                out.push('\n');
            }
            Block::Quote => {
                let t = self.text(level, ["引用", "quote"]);
                out.push_str(&format!("> {t}\n\n"));
            }
            Block::Figure => self.figure(level, out),
            Block::Link => {
                let (t, u) = (self.canary(level, Kind::Text), self.canary(level, Kind::Url));
                out.push_str(&format!("[{t}](https://example.org/{u})\n\n"));
            }
            Block::Footnote => {
                let (a, b) = (self.canary(level, Kind::Text), self.canary(level, Kind::Text));
                out.push_str(&format!("{a}\\[^1\\]\n\n\\[^1\\]: {b}\n\n"));
            }
            Block::Ref(pick, empty) => self.reference(*pick, *empty, level, doc, out),
            Block::Container(l, inner) => {
                let l = (*l).max(level);
                out.push_str(&format!("::: {}\n\n", LEVELS[l]));
                for b in inner {
                    self.block(b, l, doc, out);
                }
                out.push_str(":::\n\n");
            }
        }
    }

    fn figure(&mut self, level: usize, out: &mut String) {
        let file = format!("figures/{}.png", self.canary(level, Kind::File));
        let stamp = self.canary(level, Kind::Image);
        self.images.push((file.clone(), png(&stamp)));
        let (alt, caption) = (self.canary(level, Kind::Alt), self.canary(level, Kind::Text));
        let word = if self.ja { "図" } else { "Figure" };
        out.push_str(&format!("![{word}{alt}]({file} \"{word}{caption}\")\n\n"));
    }

    fn reference(&mut self, pick: usize, empty: bool, level: usize, doc: usize, out: &mut String) {
        let allowed: Vec<usize> = (0..self.places.len()).filter(|&i| self.places[i].level <= level).collect();
        let Some(&p) = allowed.get(pick % allowed.len().max(1)) else {
            return;
        };
        let place = &self.places[p];
        let target = match (&place.id, place.doc == doc) {
            (Some(id), true) => format!("#{id}"),
            (Some(id), false) => format!("{}#{id}", self.doc_ids[place.doc]),
            (None, _) => self.doc_ids[place.doc].clone(),
        };
        let text = if empty { String::new() } else { self.canary(level, Kind::Text) };
        let word = if self.ja { "参照" } else { "See" };
        out.push_str(&format!("{word}[{text}]({target})。\n\n"));
    }

    fn sections(
        &mut self,
        secs: &[Section],
        parent: usize,
        depth: usize,
        ids: &mut std::slice::Iter<String>,
        d: usize,
        out: &mut String,
    ) {
        for s in secs {
            let level = s.level.max(parent);
            let id = ids.next().expect("planned").clone();
            let title = self.canary(level, Kind::Heading);
            let class = if s.level > parent { format!(" .{}", LEVELS[s.level]) } else { String::new() };
            let word = if self.ja { "節" } else { "Section" };
            if depth == 1 {
                out.push_str(CHAPTER);
            }
            out.push_str(&format!("{} {word}{title} {{#{id}{class}}}\n\n", "#".repeat(depth)));
            for b in &s.blocks {
                self.block(b, level, d, out);
            }
            self.sections(&s.children, level, depth + 1, ids, d, out);
        }
    }
}

/// A 1×1 grey PNG with `stamp` in a tEXt chunk: every figure's bytes are its own.
pub fn png(stamp: &str) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend(kind);
        out.extend(data);
        let crc = crc32(&out[start..]);
        out.extend(crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    chunk(&mut out, b"tEXt", &[b"Comment\0".as_slice(), stamp.as_bytes()].concat());
    let raw = [0u8, 0x80];
    let (mut a, mut b) = (1u32, 0u32);
    for x in raw {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    let mut z = vec![0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF];
    z.extend(raw);
    z.extend(((b << 16) | a).to_be_bytes());
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

/// A generated project in a git repository, with the canaries it holds.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub canaries: Vec<Canary>,
}

impl Project {
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(spec: &Spec) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer {
            canaries: Vec::new(),
            places: Vec::new(),
            doc_ids: Vec::new(),
            images: Vec::new(),
            ja: true,
            changed: false,
        };
        let ids = w.plan(spec);
        let src = dir.path().join("policy-source");
        std::fs::create_dir_all(src.join("figures")).unwrap();
        std::fs::write(dir.path().join("book.toml"), book_toml()).unwrap();
        let mut texts = Vec::new();
        for (d, doc) in spec.docs.iter().enumerate() {
            let mut pair = Vec::new();
            for ja in [true, false] {
                if !ja && !doc.english {
                    pair.push(String::new());
                    continue;
                }
                w.ja = ja;
                let mut body = String::new();
                w.sections(&doc.sections, doc.level, 1, &mut ids[d].iter(), d, &mut body);
                pair.push(body);
            }
            texts.push(pair);
        }
        let fronts: Vec<[String; 2]> = spec.docs.iter().enumerate().map(|(d, doc)| front(&mut w, d, doc)).collect();
        let write_all = |w: &Writer, texts: &[Vec<String>], fronts: &[[String; 2]], dates: &[&str]| {
            for (d, id) in w.doc_ids.iter().enumerate() {
                for (i, lang) in ["ja", "en"].iter().enumerate().filter(|(i, _)| !fronts[d][*i].is_empty()) {
                    let front = fronts[d][i].replace("EFFECTIVE", dates[d]);
                    write_doc(&src, id, lang, spec.docs[d].folder, &front, &texts[d][i]);
                }
            }
            for (name, bytes) in &w.images {
                std::fs::write(src.join(name), bytes).unwrap();
            }
        };
        let mut dates = vec!["2026-04-01"; spec.docs.len()];
        write_all(&w, &texts, &fronts, &dates);
        git(dir.path(), &["init", "-q", "-b", "main"]);
        commit(dir.path(), "policy-1");
        w.changed = true;
        for (n, change) in spec.changes.iter().enumerate() {
            let d = change.doc.index(spec.docs.len());
            let level = change.level.max(spec.docs[d].level);
            let id = w.canary(level, Kind::Id);
            for (i, ja) in [true, false].into_iter().enumerate().filter(|&(_, ja)| ja || spec.docs[d].english) {
                w.ja = ja;
                let title = w.canary(level, Kind::Heading);
                let body = w.text(level, ["改正", "amendment"]);
                let class = if level > spec.docs[d].level { format!(" .{}", LEVELS[level]) } else { String::new() };
                texts[d][i].push_str(&format!("{CHAPTER}# {title} {{#{id}{class}}}\n\n{body}\n\n"));
            }
            dates[d] = ["2027-04-01", "2028-04-01"][n];
            write_all(&w, &texts, &fronts, &dates);
            let tag = format!("policy-{}-{}", n + 2, w.canary(level, Kind::Tag));
            commit(dir.path(), &tag);
        }
        Project { dir, canaries: w.canaries }
    }
}

/// Marks where a top-level section starts: a chapter file of a folder document.
const CHAPTER: &str = "<<chapter>>\n";

/// One language of a document: `id.lang.md`, or `id/index.lang.md` with the front matter and a
/// chapter file per top-level section.
fn write_doc(src: &Path, id: &str, lang: &str, folder: bool, front: &str, text: &str) {
    if !folder {
        std::fs::write(src.join(format!("{id}.{lang}.md")), format!("{front}{}", text.replace(CHAPTER, ""))).unwrap();
        return;
    }
    let dir = src.join(id);
    std::fs::create_dir_all(&dir).unwrap();
    let mut parts = text.split(CHAPTER);
    std::fs::write(dir.join(format!("index.{lang}.md")), format!("{front}{}", parts.next().unwrap_or_default()))
        .unwrap();
    for (n, part) in parts.enumerate() {
        std::fs::write(dir.join(format!("{:02}-part.{lang}.md", n + 1)), part).unwrap();
    }
}

/// Front matter of both languages (EFFECTIVE stands for the date).
fn front(w: &mut Writer, d: usize, doc: &Doc) -> [String; 2] {
    let (id, key) = (w.doc_ids[d].clone(), LEVELS[doc.level]);
    w.ja = true;
    let (title_ja, note_ja) = (w.canary(doc.level, Kind::DocTitle), w.canary(doc.level, Kind::Meta));
    let version =
        if doc.version { format!("version: \"{}\"\n", w.canary(doc.level, Kind::Meta)) } else { String::new() };
    let ja = format!(
        "---\nid: {id}\ntype: standard\ntitle: 文書{title_ja}\nclassification: {key}\nnumbering: admin\n{version}\
         effective: EFFECTIVE\nhistory:\n  - date: 2026-04-01\n    kind: 策定\n    note: 策定{note_ja}\n---\n\n"
    );
    if !doc.english {
        return [ja, String::new()];
    }
    w.ja = false;
    let (title_en, note_en) = (w.canary(doc.level, Kind::DocTitle), w.canary(doc.level, Kind::Meta));
    [
        ja,
        format!(
            "---\nid: {id}\ntitle: Document {title_en}\nhistory:\n  - date: 2026-04-01\n    note: Established {note_en}.\n---\n\n"
        ),
    ]
}

/// The manifest `init` writes, with a base URL (so the public edition has a sitemap) and
/// release tags (so `build --all-releases` and `history` see the three commits).
fn book_toml() -> String {
    format!(
        "{}\n[html]\nbase-url = \"https://www.city.example.lg.jp/policy/\"\n\n[history]\nrelease-tags = \"policy-*\"\n",
        policybook::book::init::BOOK
    )
}

fn commit(dir: &Path, tag: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", tag]);
    git(dir, &["tag", tag]);
}

/// Where a failing case is kept for a look (PROP_LEAK_KEEP=DIR).
pub fn keep(p: &Project) -> Option<PathBuf> {
    let to = PathBuf::from(std::env::var_os("PROP_LEAK_KEEP")?);
    let _ = std::fs::remove_dir_all(&to);
    crate::common::copy_dir(p.root(), &to);
    Some(to)
}
