//! Joining the PDFs of a long document's parts into one PDF (issue 13: a rebuild after a
//! one-paragraph edit typesets the edited part only, the others come from the cache).
//!
//! The parts are Typst's own PDFs (`typst_pdf`: classic cross-reference table, no object
//! streams, PDF/A-2b and PDF/UA-1 when the edition is public): the `front` (cover, table of
//! contents), the body's parts, and the `furniture` (the running heads and page numbers of every
//! page, on empty pages). The joined PDF is one document as if typeset whole:
//! - its pages are the front's then each body part's, in order; each page gets the furniture
//!   page of its number laid over it (a form XObject: the furniture's own content, artifacts);
//! - one tag tree: the `Document` element's children are the front's and every part's, each
//!   part's parent-tree keys (`StructParents` of pages, `StructParent` of annotations) moved
//!   past the parts before it, element ids (tables' header cells) made unique per part;
//! - one outline (bookmarks), one name tree of destinations, the front's catalog entries,
//!   XMP metadata (its page count set), output intent, document information and file id;
//! - a link from one part to a label in another, which Typst wrote as a URI [`FAR`]`label`,
//!   becomes a link to that label's place (its page, left and top, from [`Target`]: Typst
//!   names a destination only for a label some link of its own part points at), and its text
//!   for assistive technology is what Typst would have written for a link to a place ("page n");
//! - only what the joined document reaches is written (the parts' own catalogs, tag tree roots,
//!   metadata and the furniture's empty tag tree are not), numbered from 1 in order, the
//!   dictionaries in compressed object streams with a cross-reference stream (PDF 1.5, allowed
//!   by PDF/A-2): the tag tree is as large as the text, and each part's own font subsets would
//!   otherwise make the file a half larger than one typeset whole.
//!
//! Source text never reaches this module as PDF syntax: it reads Typst's output only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// The scheme of a link from one part of a document to a label in another (`far` in the
/// templates' common.typ).
pub const FAR: &str = "policybook-part:";

/// A PDF object: enough of the syntax to move objects from one file to another.
#[derive(Debug, Clone, PartialEq)]
enum Obj {
    Dict(Vec<(Vec<u8>, Obj)>),
    Array(Vec<Obj>),
    Ref(u32),
    /// A string's bytes, decoded.
    Str(Vec<u8>),
    /// A name without its slash, as written.
    Name(Vec<u8>),
    /// A number, `true`, `false` or `null`, as written.
    Atom(Vec<u8>),
}

impl Obj {
    fn get(&self, key: &str) -> Option<&Obj> {
        match self {
            Obj::Dict(d) => d.iter().find(|(k, _)| k == key.as_bytes()).map(|(_, v)| v),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: Obj) {
        if let Obj::Dict(d) = self {
            match d.iter_mut().find(|(k, _)| k == key.as_bytes()) {
                Some(slot) => slot.1 = value,
                None => d.push((key.as_bytes().to_vec(), value)),
            }
        }
    }

    fn remove(&mut self, key: &str) {
        if let Obj::Dict(d) = self {
            d.retain(|(k, _)| k != key.as_bytes());
        }
    }

    fn as_ref(&self) -> Option<u32> {
        match self {
            Obj::Ref(n) => Some(*n),
            _ => None,
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            Obj::Atom(a) => std::str::from_utf8(a).ok()?.parse().ok(),
            _ => None,
        }
    }

    fn is_name(&self, name: &str) -> bool {
        matches!(self, Obj::Name(n) if n == name.as_bytes())
    }

    fn int(n: i64) -> Obj {
        Obj::Atom(n.to_string().into_bytes())
    }

    fn null() -> Obj {
        Obj::Atom(b"null".to_vec())
    }

    /// A dictionary of `entries`.
    fn dict(entries: Vec<(&str, Obj)>) -> Obj {
        Obj::Dict(entries.into_iter().map(|(k, v)| (k.as_bytes().to_vec(), v)).collect())
    }

    /// A name or number tree of one node: `leaf` (`Names`, `Nums`) holding the pairs in order.
    fn tree(leaf: &str, pairs: impl IntoIterator<Item = (Obj, Obj)>) -> Obj {
        Obj::dict(vec![(leaf, Obj::Array(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect()))])
    }

    /// Whether this is a structure element of type `Document`.
    fn is_document(&self) -> bool {
        self.get("S").is_some_and(|s| s.is_name("Document"))
    }

    fn name(n: &str) -> Obj {
        Obj::Name(n.as_bytes().to_vec())
    }

    /// The elements of an array, or the one object that stands for an array of one.
    fn items(&self) -> Vec<Obj> {
        match self {
            Obj::Array(a) => a.clone(),
            o => vec![o.clone()],
        }
    }

    /// Every object this one refers to.
    fn refs(&self, out: &mut Vec<u32>) {
        match self {
            Obj::Ref(n) => out.push(*n),
            Obj::Dict(d) => d.iter().for_each(|(_, v)| v.refs(out)),
            Obj::Array(a) => a.iter().for_each(|v| v.refs(out)),
            _ => {}
        }
    }

    /// Replaces each reference `n` by `map(n)`.
    fn renumber(&mut self, map: &dyn Fn(u32) -> u32) {
        match self {
            Obj::Ref(n) => *n = map(*n),
            Obj::Dict(d) => d.iter_mut().for_each(|(_, v)| v.renumber(map)),
            Obj::Array(a) => a.iter_mut().for_each(|v| v.renumber(map)),
            _ => {}
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Obj::Dict(d) => {
                out.extend_from_slice(b"<<");
                for (k, v) in d {
                    out.push(b'/');
                    out.extend_from_slice(k);
                    if matches!(v, Obj::Ref(_) | Obj::Atom(_)) {
                        out.push(b' ');
                    }
                    v.write(out);
                }
                out.extend_from_slice(b">>");
            }
            Obj::Array(a) => {
                out.push(b'[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 && matches!(v, Obj::Ref(_) | Obj::Atom(_)) {
                        out.push(b' ');
                    }
                    v.write(out);
                }
                out.push(b']');
            }
            Obj::Ref(n) => out.extend_from_slice(format!("{n} 0 R").as_bytes()),
            Obj::Str(s) => {
                out.push(b'(');
                for &b in s {
                    match b {
                        b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        _ => out.push(b),
                    }
                }
                out.push(b')');
            }
            Obj::Name(n) => {
                out.push(b'/');
                out.extend_from_slice(n);
            }
            Obj::Atom(a) => out.extend_from_slice(a),
        }
    }
}

/// A text string as PDF writes it (UTF-16BE with its mark when not ASCII) and back.
fn text_string(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xFE, 0xFF];
    s.encode_utf16().for_each(|u| out.extend_from_slice(&u.to_be_bytes()));
    out
}

fn decode_text(b: &[u8]) -> Option<String> {
    match b.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).ok()
        }
        None => std::str::from_utf8(b).ok().map(str::to_string),
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

struct Parser<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn skip(&mut self) {
        while let Some(&c) = self.b.get(self.at) {
            if is_space(c) {
                self.at += 1;
            } else if c == b'%' {
                while self.b.get(self.at).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.at;
        while self.b.get(self.at).is_some_and(|&c| !is_space(c) && !is_delimiter(c)) {
            self.at += 1;
        }
        &self.b[start..self.at]
    }

    fn eat(&mut self, s: &[u8]) -> bool {
        self.skip();
        let ok = self.b[self.at..].starts_with(s);
        if ok {
            self.at += s.len();
        }
        ok
    }

    fn value(&mut self) -> Result<Obj, String> {
        self.skip();
        let c = *self.b.get(self.at).ok_or("unexpected end")?;
        match c {
            b'<' if self.b.get(self.at + 1) == Some(&b'<') => {
                self.at += 2;
                let mut d = Vec::new();
                loop {
                    if self.eat(b">>") {
                        return Ok(Obj::Dict(d));
                    }
                    if !self.eat(b"/") {
                        return Err(format!("a name expected at byte {}", self.at));
                    }
                    let k = self.word().to_vec();
                    d.push((k, self.value()?));
                }
            }
            b'<' => {
                self.at += 1;
                let end = self.b[self.at..].iter().position(|&c| c == b'>').ok_or("unclosed hex string")? + self.at;
                let hex: Vec<u8> = self.b[self.at..end].iter().copied().filter(|c| !is_space(*c)).collect();
                self.at = end + 1;
                let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8).ok_or("bad hex digit");
                let mut out = Vec::with_capacity(hex.len() / 2 + 1);
                for pair in hex.chunks(2) {
                    out.push(digit(pair[0])? << 4 | pair.get(1).map_or(Ok(0), |&c| digit(c))?);
                }
                Ok(Obj::Str(out))
            }
            b'(' => {
                self.at += 1;
                let mut out = Vec::new();
                let mut depth = 0;
                loop {
                    let c = *self.b.get(self.at).ok_or("unclosed string")?;
                    self.at += 1;
                    match c {
                        b'(' => {
                            depth += 1;
                            out.push(c);
                        }
                        b')' if depth == 0 => return Ok(Obj::Str(out)),
                        b')' => {
                            depth -= 1;
                            out.push(c);
                        }
                        b'\\' => {
                            let e = *self.b.get(self.at).ok_or("unclosed string")?;
                            self.at += 1;
                            match e {
                                b'n' => out.push(b'\n'),
                                b'r' => out.push(b'\r'),
                                b't' => out.push(b'\t'),
                                b'b' => out.push(8),
                                b'f' => out.push(12),
                                b'0'..=b'7' => {
                                    let mut v = (e - b'0') as u32;
                                    for _ in 0..2 {
                                        match self.b.get(self.at) {
                                            Some(&d @ b'0'..=b'7') => {
                                                v = v * 8 + (d - b'0') as u32;
                                                self.at += 1;
                                            }
                                            _ => break,
                                        }
                                    }
                                    out.push(v as u8);
                                }
                                b'\r' => {
                                    if self.b.get(self.at) == Some(&b'\n') {
                                        self.at += 1;
                                    }
                                }
                                b'\n' => {}
                                other => out.push(other),
                            }
                        }
                        _ => out.push(c),
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut a = Vec::new();
                while !self.eat(b"]") {
                    a.push(self.value()?);
                }
                Ok(Obj::Array(a))
            }
            b'/' => {
                self.at += 1;
                Ok(Obj::Name(self.word().to_vec()))
            }
            _ => {
                let w = self.word();
                if w.is_empty() {
                    return Err(format!("unexpected byte {c:#x} at {}", self.at));
                }
                // `n 0 R`: a reference.
                if w.iter().all(u8::is_ascii_digit) {
                    let back = self.at;
                    self.skip();
                    let gen = self.word();
                    if !gen.is_empty() && gen.iter().all(u8::is_ascii_digit) {
                        self.skip();
                        if self.word() == b"R" {
                            let n = std::str::from_utf8(w).ok().and_then(|s| s.parse().ok()).ok_or("bad reference")?;
                            return Ok(Obj::Ref(n));
                        }
                    }
                    self.at = back;
                }
                Ok(Obj::Atom(w.to_vec()))
            }
        }
    }
}

/// One object of a parsed file: its value and, for a stream, its data.
#[derive(Debug, Clone)]
struct Entry {
    value: Obj,
    stream: Option<Range<usize>>,
}

/// A PDF as Typst writes it, parsed.
struct Pdf<'a> {
    bytes: &'a [u8],
    objects: Vec<Option<Entry>>,
    trailer: Obj,
}

impl<'a> Pdf<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Pdf<'a>, String> {
        let tail = &bytes[bytes.len().saturating_sub(64)..];
        let at = tail.windows(9).rposition(|w| w == b"startxref").ok_or("no startxref")?;
        let mut p = Parser { b: tail, at: at + 9 };
        p.skip();
        let xref: usize = std::str::from_utf8(p.word()).ok().and_then(|s| s.parse().ok()).ok_or("bad startxref")?;
        let mut p = Parser { b: bytes, at: xref };
        if !p.eat(b"xref") {
            return Err("no cross-reference table (a PDF Typst did not write?)".into());
        }
        let mut offsets: Vec<(u32, usize)> = Vec::new();
        loop {
            p.skip();
            let save = p.at;
            let first = p.word();
            if first == b"trailer" {
                break;
            }
            p.skip();
            let count = p.word();
            let num = |w: &[u8]| std::str::from_utf8(w).ok().and_then(|s| s.parse::<usize>().ok());
            let (Some(first), Some(count)) = (num(first), num(count)) else {
                return Err(format!("bad cross-reference section at byte {save}"));
            };
            for i in 0..count {
                p.skip();
                let off = num(p.word()).ok_or("bad cross-reference entry")?;
                p.skip();
                p.word();
                p.skip();
                if p.word() == b"n" {
                    offsets.push(((first + i) as u32, off));
                }
            }
        }
        let trailer = p.value()?;
        let size = offsets.iter().map(|(n, _)| *n as usize + 1).max().unwrap_or(0);
        let mut objects = vec![None; size];
        for (n, off) in offsets {
            let mut p = Parser { b: bytes, at: off };
            p.skip();
            p.word();
            p.skip();
            p.word();
            if !p.eat(b"obj") {
                return Err(format!("object {n} not at its offset"));
            }
            let value = p.value()?;
            let mut stream = None;
            if p.eat(b"stream") {
                match bytes.get(p.at) {
                    Some(b'\r') if bytes.get(p.at + 1) == Some(&b'\n') => p.at += 2,
                    Some(b'\n') => p.at += 1,
                    _ => return Err(format!("object {n}: bad stream start")),
                }
                let len = value.get("Length").and_then(Obj::as_int).ok_or("a stream's length is no number")? as usize;
                if p.at + len > bytes.len() {
                    return Err(format!("object {n}: stream past the end"));
                }
                stream = Some(p.at..p.at + len);
            }
            objects[n as usize] = Some(Entry { value, stream });
        }
        Ok(Pdf { bytes, objects, trailer })
    }

    fn get(&self, r: Option<&Obj>) -> Option<&Obj> {
        let n = r?.as_ref()?;
        self.objects.get(n as usize)?.as_ref().map(|e| &e.value)
    }

    /// `o`, or the object it refers to.
    fn resolve<'b>(&'b self, o: Option<&'b Obj>) -> Option<&'b Obj> {
        match o {
            Some(Obj::Ref(_)) => self.get(o),
            o => o,
        }
    }

    fn catalog(&self) -> Result<&Obj, String> {
        self.get(self.trailer.get("Root")).ok_or_else(|| "no catalog".into())
    }

    /// The page objects, in order.
    fn pages(&self) -> Result<Vec<u32>, String> {
        fn walk(pdf: &Pdf, node: u32, out: &mut Vec<u32>, depth: usize) -> Result<(), String> {
            let o = pdf.objects.get(node as usize).and_then(Option::as_ref).ok_or("a page is missing")?;
            if o.value.get("Type").is_some_and(|t| t.is_name("Pages")) {
                if depth > 64 {
                    return Err("the page tree is too deep".into());
                }
                for kid in o.value.get("Kids").map(Obj::items).unwrap_or_default() {
                    walk(pdf, kid.as_ref().ok_or("a page is no reference")?, out, depth + 1)?;
                }
            } else {
                out.push(node);
            }
            Ok(())
        }
        let mut out = Vec::new();
        walk(self, self.catalog()?.get("Pages").and_then(Obj::as_ref).ok_or("no page tree")?, &mut out, 0)?;
        Ok(out)
    }

    /// The (key, value) pairs of a name or number tree.
    fn tree(&self, node: Option<&Obj>, leaf: &str, out: &mut Vec<(Obj, Obj)>) {
        let Some(node) = self.resolve(node) else { return };
        if let Some(Obj::Array(a)) = self.resolve(node.get(leaf)) {
            out.extend(a.chunks_exact(2).map(|kv| (kv[0].clone(), kv[1].clone())));
        }
        for kid in self.resolve(node.get("Kids")).map(Obj::items).unwrap_or_default() {
            self.tree(Some(&kid), leaf, out);
        }
    }
}

/// The joined document being written: objects by number (from 1).
struct Out<'a> {
    objects: Vec<(Obj, Option<Data<'a>>)>,
}

enum Data<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl<'a> Out<'a> {
    fn reserve(&mut self) -> u32 {
        self.add(Obj::null(), None)
    }

    fn set(&mut self, n: u32, value: Obj, data: Option<Data<'a>>) {
        self.objects[n as usize - 1] = (value, data);
    }

    fn add(&mut self, value: Obj, data: Option<Data<'a>>) -> u32 {
        self.objects.push((value, data));
        self.objects.len() as u32
    }

    fn stream(&mut self, data: &[u8]) -> u32 {
        let dict = Obj::dict(vec![("Length", Obj::int(data.len() as i64))]);
        self.add(dict, Some(Data::Owned(data.to_vec())))
    }
}

/// One part as joined: its parsed file and where its objects went.
struct Placed<'a> {
    pdf: Pdf<'a>,
    /// The number of its object `n` in the joined document: `base + n`.
    base: u32,
    pages: Vec<u32>,
}

/// Where a label of the body is, for the links to it from other parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The text of a link to it for assistive technology ("ページ 12").
    pub alt: String,
    /// Its printed page number in the joined document.
    pub number: String,
    /// The body part that holds it (from 0), its page there (from 0), and its place on that page
    /// from the top left, in points.
    pub part: usize,
    pub page: usize,
    pub x: f64,
    pub y: f64,
}

/// Joins `front`, the `body` parts and, over every page, the `furniture`'s page of the same
/// number; `targets` says where each label of the body is, for the links from other parts;
/// `page_words` are the words for "page" of the document's languages, which Typst puts in a
/// link's text ([`near_text`]).
pub fn join(
    front: &[u8],
    body: &[&[u8]],
    furniture: &[u8],
    targets: &HashMap<String, Target>,
    page_words: &[&str],
) -> Result<Vec<u8>, String> {
    let mut out = Out { objects: Vec::new() };
    let (catalog, pages_n, root_n, doc_n, outlines_n) =
        (out.reserve(), out.reserve(), out.reserve(), out.reserve(), out.reserve());
    let mut placed: Vec<Placed> = Vec::new();
    for bytes in std::iter::once(front).chain(body.iter().copied()).chain([furniture]) {
        let pdf = Pdf::parse(bytes)?;
        let base = out.objects.len() as u32;
        (0..pdf.objects.len()).for_each(|_| _ = out.reserve());
        let pages = pdf.pages()?;
        placed.push(Placed { pdf, base, pages });
    }
    let furniture = placed.pop().expect("the furniture was placed");
    let total: usize = placed.iter().map(|p| p.pages.len()).sum();
    if furniture.pages.len() != total {
        return Err(format!("{} furniture pages for {total} pages", furniture.pages.len()));
    }
    let map = |p: &Placed, n: u32| p.base + n;

    // The furniture: each page's content as form XObjects, with that page's resources.
    let mut forms: Vec<Vec<u32>> = Vec::new();
    for &page in &furniture.pages {
        let value = &furniture.pdf.objects[page as usize].as_ref().expect("a page").value;
        let mut resources = value.get("Resources").cloned().unwrap_or(Obj::Dict(Vec::new()));
        resources.renumber(&|n| map(&furniture, n));
        let bbox = value.get("MediaBox").cloned().ok_or("a furniture page without a media box")?;
        let mut these = Vec::new();
        for c in value.get("Contents").map(Obj::items).unwrap_or_default() {
            let n = c.as_ref().ok_or("page contents are no reference")?;
            let e = furniture.pdf.objects.get(n as usize).and_then(Option::as_ref).ok_or("missing contents")?;
            let range = e.stream.clone().ok_or("page contents are no stream")?;
            let mut dict = e.value.clone();
            dict.set("Type", Obj::name("XObject"));
            dict.set("Subtype", Obj::name("Form"));
            dict.set("BBox", bbox.clone());
            dict.set("Resources", resources.clone());
            these.push(out.add(dict, Some(Data::Borrowed(&furniture.pdf.bytes[range]))));
        }
        forms.push(these);
    }
    // The furniture's forms are drawn after each page's own content, in a graphics state of
    // their own: one closing stream for each number of forms a page has (Typst writes one).
    let form_name = |i: usize| format!("PbFurniture{i}");
    let open = out.stream(b"q\n");
    let mut closes: BTreeMap<usize, u32> = BTreeMap::new();
    for n in forms.iter().map(Vec::len) {
        if let std::collections::btree_map::Entry::Vacant(slot) = closes.entry(n) {
            let mut draw = b"Q\n".to_vec();
            (0..n).for_each(|i| draw.extend_from_slice(format!("q /{} Do Q\n", form_name(i)).as_bytes()));
            slot.insert(out.stream(&draw));
        }
    }

    // What each part brings: parent-tree keys, destinations, ids, outline items, tag tree children.
    let mut next_key = 0i64;
    let mut nums: Vec<(i64, Obj)> = Vec::new();
    let mut dests: BTreeMap<Vec<u8>, Obj> = BTreeMap::new();
    let mut ids: BTreeMap<Vec<u8>, Obj> = BTreeMap::new();
    let mut role_map: Vec<(Vec<u8>, Obj)> = Vec::new();
    let mut kids: Vec<Obj> = Vec::new();
    let mut outline: Vec<(u32, u32, i64)> = Vec::new(); // first, last, count
    let mut page_refs: Vec<Obj> = Vec::new();
    let mut key_offsets = Vec::new();
    let mut id_maps: Vec<HashMap<Vec<u8>, Vec<u8>>> = Vec::new();
    // Each part's `Document` elements under its tag tree's root: the joined one replaces them.
    let mut documents: Vec<HashSet<u32>> = Vec::new();
    for (i, p) in placed.iter().enumerate() {
        let cat = p.pdf.catalog()?;
        let root = p.pdf.resolve(cat.get("StructTreeRoot"));
        key_offsets.push(next_key);
        let mut these = Vec::new();
        p.pdf.tree(root.and_then(|r| r.get("ParentTree")), "Nums", &mut these);
        let mut most = -1;
        for (k, mut v) in these {
            let k = k.as_int().ok_or("a parent-tree key is no number")?;
            most = most.max(k);
            v.renumber(&|n| map(p, n));
            nums.push((k + next_key, v));
        }
        let next = root.and_then(|r| r.get("ParentTreeNextKey")).and_then(Obj::as_int).unwrap_or(most + 1);
        next_key += next.max(most + 1);
        let mut these = Vec::new();
        p.pdf.tree(cat.get("Names").and_then(|n| p.pdf.resolve(n.get("Dests"))), "Names", &mut these);
        p.pdf.tree(p.pdf.resolve(cat.get("Dests")), "Names", &mut these);
        for (k, mut v) in these {
            if let Obj::Str(k) = k {
                v.renumber(&|n| map(p, n));
                dests.entry(k).or_insert(v);
            }
        }
        let mut these = Vec::new();
        p.pdf.tree(root.and_then(|r| r.get("IDTree")), "Names", &mut these);
        let mut id_map = HashMap::new();
        for (k, mut v) in these {
            if let Obj::Str(k) = k {
                let new = if i == 0 { k.clone() } else { [&k[..], format!("-p{i}").as_bytes()].concat() };
                v.renumber(&|n| map(p, n));
                ids.insert(new.clone(), v);
                id_map.insert(k, new);
            }
        }
        id_maps.push(id_map);
        if let Some(Obj::Dict(d)) = root.and_then(|r| p.pdf.resolve(r.get("RoleMap"))) {
            for (k, v) in d {
                if !role_map.iter().any(|(r, _)| r == k) {
                    role_map.push((k.clone(), v.clone()));
                }
            }
        }
        // The tag tree's children: those of the part's `Document` element (or of its root).
        let (mut these, mut children) = (HashSet::new(), Vec::new());
        for d in root.and_then(|r| r.get("K")).map(Obj::items).unwrap_or_default() {
            let document = p.pdf.resolve(Some(&d)).filter(|e| e.is_document());
            if let (Some(e), Some(n)) = (document, d.as_ref()) {
                these.insert(n);
                children.extend(e.get("K").map(Obj::items).unwrap_or_default());
            } else {
                children.push(d);
            }
        }
        children.iter_mut().for_each(|k| k.renumber(&|n| map(p, n)));
        kids.extend(children);
        documents.push(these);
        if let Some(o) = p.pdf.resolve(cat.get("Outlines")) {
            if let (Some(f), Some(l)) = (o.get("First").and_then(Obj::as_ref), o.get("Last").and_then(Obj::as_ref)) {
                outline.push((map(p, f), map(p, l), o.get("Count").and_then(Obj::as_int).unwrap_or(0)));
            }
        }
        page_refs.extend(p.pages.iter().map(|&n| Obj::Ref(map(p, n))));
    }
    // Outline items: each part's chain linked to the next.
    let mut prev_of: HashMap<u32, u32> = HashMap::new();
    let mut next_of: HashMap<u32, u32> = HashMap::new();
    for w in outline.windows(2) {
        next_of.insert(w[0].1, w[1].0);
        prev_of.insert(w[1].0, w[0].1);
    }
    // A place in the body, as Typst writes a link's destination: the page, its left and top.
    let far_dest = |label: &str| -> Option<Obj> {
        let t = targets.get(label)?;
        let p = placed.get(1 + t.part)?;
        let page = *p.pages.get(t.page)?;
        let boxed = p.pdf.get(Some(&Obj::Ref(page)))?.get("MediaBox").map(Obj::items)?;
        let height = match boxed.get(3)? {
            Obj::Atom(a) => std::str::from_utf8(a).ok()?.parse::<f64>().ok()?,
            _ => return None,
        };
        let num = |v: f64| Obj::Atom(format!("{}", (v * 10000.0).round() / 10000.0).into_bytes());
        Some(Obj::Array(vec![Obj::Ref(map(p, page)), Obj::name("XYZ"), num(t.x), num(height - t.y), Obj::int(0)]))
    };

    // Every object of every part, moved.
    let mut page_no = 0;
    for (i, p) in placed.iter().enumerate() {
        let cat = p.pdf.catalog()?;
        let root = cat.get("StructTreeRoot").and_then(Obj::as_ref);
        let pages_root = cat.get("Pages").and_then(Obj::as_ref);
        let outlines_root = cat.get("Outlines").and_then(Obj::as_ref);
        let doc_el = &documents[i];
        let remap = |n: u32| -> u32 {
            if Some(n) == root {
                root_n
            } else if doc_el.contains(&n) {
                doc_n
            } else if Some(n) == pages_root {
                pages_n
            } else if Some(n) == outlines_root {
                outlines_n
            } else {
                map(p, n)
            }
        };
        let page_set: HashSet<u32> = p.pages.iter().copied().collect();
        for (n, e) in p.pdf.objects.iter().enumerate() {
            let Some(e) = e else { continue };
            let n = n as u32;
            let mut v = e.value.clone();
            // A link into another part: to its label's place, which some part must hold.
            let far = far_label(&v);
            if i > 0 {
                near_text(&mut v, i - 1, targets, page_words);
            }
            fix(&mut v, key_offsets[i], &id_maps[i], targets);
            v.renumber(&remap);
            if let Some(label) = far {
                let dest = far_dest(&label).ok_or_else(|| format!("a link to {label}, which no part holds"))?;
                v.remove("A");
                v.set("Dest", dest);
            }
            if let Some(&prev) = prev_of.get(&map(p, n)) {
                v.set("Prev", Obj::Ref(prev));
            }
            if let Some(&next) = next_of.get(&map(p, n)) {
                v.set("Next", Obj::Ref(next));
            }
            if page_set.contains(&n) {
                let mut res = p.pdf.resolve(e.value.get("Resources")).cloned().unwrap_or(Obj::Dict(Vec::new()));
                res.renumber(&remap);
                let mut xo = p.pdf.resolve(res.get("XObject")).cloned().unwrap_or(Obj::Dict(Vec::new()));
                xo.renumber(&remap);
                for (k, &f) in forms[page_no].iter().enumerate() {
                    xo.set(&form_name(k), Obj::Ref(f));
                }
                res.set("XObject", xo);
                v.set("Resources", res);
                let mut contents = vec![Obj::Ref(open)];
                contents.extend(v.get("Contents").map(Obj::items).unwrap_or_default());
                contents.push(Obj::Ref(closes[&forms[page_no].len()]));
                v.set("Contents", Obj::Array(contents));
                v.set("Parent", Obj::Ref(pages_n));
                page_no += 1;
            }
            let data = e.stream.clone().map(|r| Data::Borrowed(&p.pdf.bytes[r]));
            out.set(map(p, n), v, data);
        }
    }
    // The furniture's objects: those its forms reach (fonts, images, graphics states).
    for (n, e) in furniture.pdf.objects.iter().enumerate() {
        let Some(e) = e else { continue };
        let mut v = e.value.clone();
        v.renumber(&|n| map(&furniture, n));
        let data = e.stream.clone().map(|r| Data::Borrowed(&furniture.pdf.bytes[r]));
        out.set(map(&furniture, n as u32), v, data);
    }

    // The joined document's own objects.
    let front = &placed[0];
    let fcat = front.pdf.catalog()?;
    let froot = front.pdf.resolve(fcat.get("StructTreeRoot")).ok_or("the front has no tag tree")?;
    let mut doc = front
        .pdf
        .resolve(froot.get("K"))
        .and_then(|k| k.items().first().and_then(|f| front.pdf.resolve(Some(f))).cloned())
        .filter(Obj::is_document)
        .unwrap_or_else(|| Obj::dict(vec![("Type", Obj::name("StructElem")), ("S", Obj::name("Document"))]));
    doc.renumber(&|n| map(front, n));
    doc.set("P", Obj::Ref(root_n));
    doc.set("K", Obj::Array(kids));
    out.set(doc_n, doc, None);
    let mut root = froot.clone();
    root.renumber(&|n| map(front, n));
    root.set("K", Obj::Array(vec![Obj::Ref(doc_n)]));
    root.set("ParentTree", Obj::tree("Nums", nums.into_iter().map(|(k, v)| (Obj::int(k), v))));
    root.set("ParentTreeNextKey", Obj::int(next_key));
    if !ids.is_empty() {
        root.set("IDTree", Obj::tree("Names", ids.into_iter().map(|(k, v)| (Obj::Str(k), v))));
    }
    if !role_map.is_empty() {
        root.set("RoleMap", Obj::Dict(role_map));
    }
    out.set(root_n, root, None);
    let count = page_refs.len();
    out.set(
        pages_n,
        Obj::dict(vec![
            ("Type", Obj::name("Pages")),
            ("Count", Obj::int(count as i64)),
            ("Kids", Obj::Array(page_refs)),
        ]),
        None,
    );
    let mut cat = fcat.clone();
    cat.renumber(&|n| map(front, n));
    cat.set("Pages", Obj::Ref(pages_n));
    cat.set("StructTreeRoot", Obj::Ref(root_n));
    if let (Some(first), Some(last)) = (outline.first(), outline.last()) {
        let sum: i64 = outline.iter().map(|o| o.2).sum();
        out.set(
            outlines_n,
            Obj::dict(vec![
                ("Type", Obj::name("Outlines")),
                ("First", Obj::Ref(first.0)),
                ("Last", Obj::Ref(last.1)),
                ("Count", Obj::int(sum)),
            ]),
            None,
        );
        cat.set("Outlines", Obj::Ref(outlines_n));
    } else {
        cat.remove("Outlines");
    }
    cat.remove("Dests");
    if dests.is_empty() {
        cat.remove("Names");
    } else {
        let mut names =
            fcat.get("Names").and_then(|n| front.pdf.resolve(Some(n))).cloned().unwrap_or(Obj::Dict(Vec::new()));
        names.renumber(&|n| map(front, n));
        names.set("Dests", Obj::tree("Names", dests.into_iter().map(|(k, v)| (Obj::Str(k), v))));
        cat.set("Names", names);
    }
    // The XMP metadata says how many pages there are.
    if let Some(m) = cat.get("Metadata").and_then(Obj::as_ref) {
        let (value, data) = &out.objects[m as usize - 1];
        if let (Some(Data::Borrowed(xmp)), None) = (data, value.get("Filter")) {
            let xmp = set_pages(xmp, count);
            let mut value = value.clone();
            value.set("Length", Obj::int(xmp.len() as i64));
            out.set(m, value, Some(Data::Owned(xmp)));
        }
    }
    out.set(catalog, cat, None);
    let mut trailer = Obj::dict(vec![("Root", Obj::Ref(catalog))]);
    if let Some(mut info) = front.pdf.trailer.get("Info").cloned() {
        info.renumber(&|n| map(front, n));
        trailer.set("Info", info);
    }
    if let Some(id) = front.pdf.trailer.get("ID") {
        trailer.set("ID", id.clone());
    }
    let head_len = front
        .pdf
        .bytes
        .windows(4)
        .position(|w| w == b" obj")
        .map_or(0, |i| front.pdf.bytes[..i].iter().rposition(|&b| b == b'\n').map_or(0, |j| j + 1));
    Ok(write(&front.pdf.bytes[..head_len], out, trailer))
}

/// The label a link annotation `v` points at in another part: its action's URI, [`FAR`] + label.
fn far_label(v: &Obj) -> Option<String> {
    match v.get("A")?.get("URI")? {
        Obj::Str(s) => std::str::from_utf8(s).ok()?.strip_prefix(FAR).map(str::to_string),
        _ => None,
    }
}

/// A link within body part `part` whose text for assistive technology Typst made of its target's
/// page number (「節, ページ 3」, "Section, page 3"): a part counts its pages from 1 (its bytes do
/// not depend on where it lands), so the number becomes the target's page in the joined
/// document. Only a text that ends with a word of `page_words` and the target's page in the
/// part changes (not "Table 3" of a numbered figure).
fn near_text(v: &mut Obj, part: usize, targets: &HashMap<String, Target>, page_words: &[&str]) {
    let Some(Obj::Str(dest)) = v.get("Dest") else { return };
    let Some(t) = std::str::from_utf8(dest).ok().and_then(|d| targets.get(d)).filter(|t| t.part == part) else {
        return;
    };
    let Some(text) = v.get("Contents").and_then(|c| if let Obj::Str(s) = c { decode_text(s) } else { None }) else {
        return;
    };
    let Some(head) = text.strip_suffix(&format!(" {}", t.page + 1)) else { return };
    let head_lower = head.to_lowercase();
    if page_words.iter().any(|w| !w.is_empty() && head_lower.ends_with(&w.to_lowercase())) {
        v.set("Contents", Obj::Str(text_string(&format!("{head} {}", t.number))));
    }
}

/// Parent-tree keys moved by `offset`, ids renamed by `ids`, far links' texts given by their
/// `targets` (a link's text, not its target: a URI is left as it is).
fn fix(v: &mut Obj, offset: i64, ids: &HashMap<Vec<u8>, Vec<u8>>, targets: &HashMap<String, Target>) {
    match v {
        Obj::Dict(d) => {
            for (k, x) in d.iter_mut() {
                match (k.as_slice(), &x) {
                    (b"StructParent" | b"StructParents", Obj::Atom(_)) => {
                        if let Some(n) = x.as_int() {
                            *x = Obj::int(n + offset);
                        }
                    }
                    (b"ID", Obj::Str(s)) => {
                        if let Some(new) = ids.get(s) {
                            *x = Obj::Str(new.clone());
                        }
                    }
                    (b"URI", _) => {}
                    (b"Headers", Obj::Array(_)) => {
                        if let Obj::Array(a) = x {
                            for h in a {
                                if let Some(new) = match h {
                                    Obj::Str(s) => ids.get(s),
                                    _ => None,
                                } {
                                    *h = Obj::Str(new.clone());
                                }
                            }
                        }
                    }
                    _ => fix(x, offset, ids, targets),
                }
            }
        }
        Obj::Array(a) => a.iter_mut().for_each(|x| fix(x, offset, ids, targets)),
        Obj::Str(s) => {
            let label = decode_text(s);
            if let Some(text) = label.as_deref().and_then(|l| l.strip_prefix(FAR)).and_then(|l| targets.get(l)) {
                *s = text_string(&text.alt);
            }
        }
        _ => {}
    }
}

/// `xmp` with its page count set to `pages`.
fn set_pages(xmp: &[u8], pages: usize) -> Vec<u8> {
    let (open, close) = (b"<xmpTPg:NPages>".as_slice(), b"</xmpTPg:NPages>".as_slice());
    let Some(a) = xmp.windows(open.len()).position(|w| w == open) else { return xmp.to_vec() };
    let Some(b) = xmp[a..].windows(close.len()).position(|w| w == close) else { return xmp.to_vec() };
    [&xmp[..a + open.len()], pages.to_string().as_bytes(), &xmp[a + b..]].concat()
}

/// Writes the objects the trailer reaches, numbered from 1 in their order, after `head`.
fn write(head: &[u8], out: Out, mut trailer: Obj) -> Vec<u8> {
    let n = out.objects.len();
    let mut reached = vec![false; n + 1];
    let mut todo = Vec::new();
    trailer.refs(&mut todo);
    while let Some(r) = todo.pop() {
        let r = r as usize;
        if r == 0 || r > n || reached[r] {
            continue;
        }
        reached[r] = true;
        out.objects[r - 1].0.refs(&mut todo);
    }
    let mut number = vec![0u32; n + 1];
    let mut next = 0;
    for r in 1..=n {
        if reached[r] {
            next += 1;
            number[r] = next;
        }
    }
    let renumber = |x: u32| number.get(x as usize).copied().filter(|&m| m > 0).unwrap_or(0);
    // Each object's cross-reference entry: (1, offset) for one in the file, (2, object stream,
    // index) for one in an object stream; object 0 is the head of the free list.
    let mut entries: Vec<(u8, u64, u16)> = vec![(0, 0, 65535); next as usize + 1];
    let mut bytes = head.to_vec();
    // The objects that are no stream go into object streams of up to `PACK` objects, compressed:
    // most of a tagged PDF is its tag tree's dictionaries, as large again as its text.
    const PACK: usize = 256;
    let mut packs: Vec<Vec<(u32, Vec<u8>)>> = Vec::new();
    for (i, (value, data)) in out.objects.into_iter().enumerate() {
        if !reached[i + 1] {
            continue;
        }
        let n = number[i + 1];
        let mut value = value;
        value.renumber(&renumber);
        let mut body = Vec::new();
        value.write(&mut body);
        let data = match data {
            Some(Data::Borrowed(d)) => d,
            Some(Data::Owned(ref d)) => d.as_slice(),
            None => {
                if packs.last().is_none_or(|p| p.len() == PACK) {
                    packs.push(Vec::new());
                }
                let pack = packs.len() - 1;
                let at = packs[pack].len();
                packs[pack].push((n, body));
                entries[n as usize] = (2, (next as usize + 1 + pack) as u64, at as u16);
                continue;
            }
        };
        entries[n as usize] = (1, bytes.len() as u64, 0);
        bytes.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        bytes.extend_from_slice(&body);
        stream(&mut bytes, data);
        bytes.extend_from_slice(b"\nendobj\n");
    }
    for (k, pack) in packs.iter().enumerate() {
        let n = next as usize + 1 + k;
        let mut head = Vec::new();
        let mut objects = Vec::new();
        for (m, body) in pack {
            head.extend_from_slice(format!("{m} {} ", objects.len()).as_bytes());
            objects.extend_from_slice(body);
            objects.push(b'\n');
        }
        let first = head.len();
        head.extend_from_slice(&objects);
        let packed = deflate(&head);
        entries.push((1, bytes.len() as u64, 0));
        let dict =
            format!("<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>", pack.len(), packed.len());
        bytes.extend_from_slice(format!("{n} 0 obj\n{dict}").as_bytes());
        stream(&mut bytes, &packed);
        bytes.extend_from_slice(b"\nendobj\n");
    }
    // The cross-reference stream, the last object.
    let xref = bytes.len();
    let size = entries.len() + 1;
    entries.push((1, xref as u64, 0));
    let mut table = Vec::with_capacity(entries.len() * 7);
    for (kind, a, b) in entries {
        table.push(kind);
        table.extend_from_slice(&(a as u32).to_be_bytes());
        table.extend_from_slice(&b.to_be_bytes());
    }
    let packed = deflate(&table);
    trailer.renumber(&renumber);
    trailer.set("Type", Obj::name("XRef"));
    trailer.set("Size", Obj::int(size as i64));
    trailer.set("W", Obj::Array(vec![Obj::int(1), Obj::int(4), Obj::int(2)]));
    trailer.set("Filter", Obj::name("FlateDecode"));
    trailer.set("Length", Obj::int(packed.len() as i64));
    bytes.extend_from_slice(format!("{} 0 obj\n", size - 1).as_bytes());
    trailer.write(&mut bytes);
    stream(&mut bytes, &packed);
    bytes.extend_from_slice(format!("\nendobj\nstartxref\n{xref}\n%%EOF").as_bytes());
    bytes
}

/// `data` compressed as a `FlateDecode` stream holds it.
fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::with_capacity(data.len() / 4), flate2::Compression::default());
    z.write_all(data).expect("writing to memory");
    z.finish().expect("writing to memory")
}

fn stream(bytes: &mut Vec<u8>, data: &[u8]) {
    bytes.extend_from_slice(b"\nstream\n");
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(b"\nendstream");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &[u8]) -> Obj {
        Parser { b: s, at: 0 }.value().unwrap()
    }

    #[test]
    fn objects_read_and_write_back() {
        let src = b"<</Type/Page/K[1 2 0 R 3]/T(a\\(b\\)\\\\c\\101)/H<FEFF0041>/N null/R 12 0 R/X[/A/B]>>";
        let o = parse(src);
        assert_eq!(o.get("K"), Some(&Obj::Array(vec![Obj::int(1), Obj::Ref(2), Obj::int(3)])));
        assert_eq!(o.get("T"), Some(&Obj::Str(b"a(b)\\cA".to_vec())));
        assert_eq!(
            o.get("H").and_then(|h| if let Obj::Str(s) = h { decode_text(s) } else { None }).as_deref(),
            Some("A")
        );
        assert_eq!(o.get("R"), Some(&Obj::Ref(12)));
        let mut out = Vec::new();
        o.write(&mut out);
        assert_eq!(parse(&out), o, "{}", String::from_utf8_lossy(&out));
        assert_eq!(text_string("ページ 3"), [0xFE, 0xFF, 0x30, 0xDA, 0x30, 0xFC, 0x30, 0xB8, 0, 0x20, 0, 0x33]);
        assert_eq!(set_pages(b"a<xmpTPg:NPages>12</xmpTPg:NPages>b", 345), b"a<xmpTPg:NPages>345</xmpTPg:NPages>b");
    }

    #[test]
    fn what_the_trailer_reaches_is_written_with_its_dictionaries_in_object_streams() {
        use std::io::Read;
        let mut out = Out { objects: Vec::new() };
        let catalog = out.add(parse(b"<</Type/Catalog/Pages 3 0 R/Metadata 2 0 R>>"), None);
        let xmp = out.stream(b"<x:xmpmeta/>");
        let pages = out.add(parse(b"<</Type/Pages/Count 0/Kids[]>>"), None);
        out.add(parse(b"<</Unreached true>>"), None);
        assert_eq!((catalog, xmp, pages), (1, 2, 3));
        let trailer = Obj::dict(vec![("Root", Obj::Ref(catalog))]);
        let bytes = write(b"%PDF-1.7\n", out, trailer);
        let tail = String::from_utf8_lossy(&bytes[bytes.len() - 40..]).into_owned();
        let xref: usize = tail.split("startxref").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
        let inflate = |range: Range<usize>| {
            let mut v = Vec::new();
            flate2::read::ZlibDecoder::new(&bytes[range]).read_to_end(&mut v).unwrap();
            v
        };
        // An object's dictionary and stream data at `offset`, whose number is `n`.
        let object = |offset: usize, n: usize| {
            let mut p = Parser { b: &bytes, at: offset };
            assert_eq!(p.word(), n.to_string().as_bytes());
            p.skip();
            p.word();
            assert!(p.eat(b"obj"));
            let dict = p.value().unwrap();
            assert!(p.eat(b"stream"));
            let start = p.at + 1;
            (dict.clone(), start..start + dict.get("Length").and_then(Obj::as_int).unwrap() as usize)
        };
        // Objects 1 to 3 reached (the fourth is not written), 4 the object stream, 5 the table.
        let (dict, data) = object(xref, 5);
        assert!(dict.get("Type").unwrap().is_name("XRef") && dict.get("Root") == Some(&Obj::Ref(1)));
        assert_eq!(dict.get("Size").and_then(Obj::as_int), Some(6));
        let table = inflate(data);
        let entry = |i: usize| {
            let e = &table[i * 7..i * 7 + 7];
            (e[0], u32::from_be_bytes([e[1], e[2], e[3], e[4]]) as usize, u16::from_be_bytes([e[5], e[6]]))
        };
        assert_eq!((entry(0), entry(1).0, entry(2).0, entry(3).0, entry(4).0), ((0, 0, 65535), 2, 1, 2, 1));
        assert_eq!((entry(1).1, entry(3).1), (4, 4), "the catalog and the pages in object stream 4");
        let (_, xmp) = object(entry(2).1, 2);
        assert_eq!(&bytes[xmp], b"<x:xmpmeta/>");
        let (pack, data) = object(entry(4).1, 4);
        assert_eq!(pack.get("N").and_then(Obj::as_int), Some(2));
        let first = pack.get("First").and_then(Obj::as_int).unwrap() as usize;
        let objects = inflate(data);
        let head = String::from_utf8_lossy(&objects[..first]).into_owned();
        let nums: Vec<usize> = head.split_whitespace().map(|w| w.parse().unwrap()).collect();
        assert_eq!((nums[0], nums[2]), (1, 3));
        let pages = Parser { b: &objects, at: first + nums[3] }.value().unwrap();
        assert!(pages.get("Type").unwrap().is_name("Pages"));
        assert_eq!(Parser { b: &objects, at: first + nums[1] }.value().unwrap().get("Metadata"), Some(&Obj::Ref(2)));
    }

    #[test]
    fn parent_tree_keys_move_and_far_texts_and_ids_change() {
        let mut o = parse(b"<</StructParents 3/A<</StructParent 0/URI(policybook-part:sec-a)>>/ID(U1x0y0)/X[<</Headers[(U1x0y0)(Z)]>>]/Contents(policybook-part:sec-a)>>");
        assert_eq!(far_label(&o).as_deref(), Some("sec-a"));
        let ids = HashMap::from([(b"U1x0y0".to_vec(), b"U1x0y0-p2".to_vec())]);
        let target = Target { alt: "ページ 7".into(), number: "7".into(), part: 0, page: 0, x: 0.0, y: 0.0 };
        let targets = HashMap::from([("sec-a".to_string(), target)]);
        fix(&mut o, 10, &ids, &targets);
        let mut out = Vec::new();
        o.write(&mut out);
        let want = parse(b"<</StructParents 13/A<</StructParent 10/URI(policybook-part:sec-a)>>/ID(U1x0y0-p2)/X[<</Headers[(U1x0y0-p2)(Z)]>>]/Contents<FEFF30DA30FC30B800200037>>>");
        assert_eq!(o, want, "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn a_link_within_a_part_says_its_targets_page_in_the_joined_document() {
        let target = |part, page| Target { alt: String::new(), number: "23".into(), part, page, x: 0.0, y: 0.0 };
        let targets = HashMap::from([("sec-a".to_string(), target(1, 2)), ("fig-b".to_string(), target(1, 2))]);
        let words = ["ページ", "page"];
        let text = |o: &Obj| match o.get("Contents") {
            Some(Obj::Str(s)) => decode_text(s).unwrap(),
            _ => panic!("no text"),
        };
        let mut o = parse(b"<</Dest(sec-a)/Contents<FEFF7BC0002C002030DA30FC30B800200033>>>");
        near_text(&mut o, 1, &targets, &words);
        assert_eq!(text(&o), "節, ページ 23");
        let mut o = parse(b"<</Dest(sec-a)/Contents(Section, page 3)>>");
        near_text(&mut o, 1, &targets, &words);
        assert_eq!(text(&o), "Section, page 23");
        // Left alone: a numbered element's text, a number that is not the target's page in
        // its part, a target in another part (a far link has its own text), no target known.
        for (src, part) in [
            (&b"<</Dest(fig-b)/Contents(Figure 3)>>"[..], 1),
            (b"<</Dest(sec-a)/Contents(Section, page 4)>>", 1),
            (b"<</Dest(sec-a)/Contents(Section, page 3)>>", 0),
            (b"<</Dest(sec-z)/Contents(Section, page 3)>>", 1),
        ] {
            let mut o = parse(src);
            let before = text(&o);
            near_text(&mut o, part, &targets, &words);
            assert_eq!(text(&o), before);
        }
    }
}
