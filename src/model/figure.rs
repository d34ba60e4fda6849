//! Figures: an image (PNG, JPEG, SVG) standing alone in its paragraph, `![alt](figures/x.png
//! "caption")`, is a [`Block::Figure`].
//!
//! This module exists so that the rules about images live in one place: which paths are allowed
//! (inside the source folder, never `..`, absolute or a URL), that alt text is required, and the
//! reading of the bytes through [`Source`] (size limit, format, pixel size). The bytes are kept
//! apart from the blocks, by digest ([`Images`]), so that an edition holds only the images its
//! remaining blocks use.

use super::{Block, Document};
use crate::diag::{Diagnostic, Loc};
use crate::source::{Source, SourceError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The largest image file accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// An image with its alt text, as one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The path as written, relative to the source folder (`figures/org-chart.png`).
    pub src: String,
    pub format: Format,
    /// What the image shows, for those who cannot see it (required).
    pub alt: String,
    /// The caption printed under the image (the Markdown title), if any.
    pub caption: Option<String>,
    /// SHA-256 of the bytes (hex); filled by loading, empty when the file could not be read.
    pub digest: String,
    /// Width and height in pixels, when the format says (PNG, JPEG).
    pub size: Option<(u32, u32)>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Jpeg,
    Svg,
}

impl Format {
    fn of_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// What the bytes are, from their first bytes (SVG: XML text with an `<svg` element).
    fn of_bytes(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else {
            let head = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).ok()?;
            head.contains("<svg").then_some(Format::Svg)
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Svg => "svg",
        }
    }
}

impl Figure {
    /// The name renderers publish the image under, `<digest>.<ext>`: it says nothing of the
    /// source file's name, and the same image is stored once.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.digest, self.format.ext())
    }
}

/// Image bytes by digest.
pub type Images = BTreeMap<String, Arc<Vec<u8>>>;

/// A figure from what the Markdown says, or the diagnostics that make it none. Empty alt text is
/// an error too, but the figure is kept (it cannot leak anything; the build refuses errors).
pub(crate) fn new(
    src: &str,
    alt: String,
    title: &str,
    loc: Loc,
    diags: &mut Vec<Diagnostic>,
) -> Option<Figure> {
    if let Err(message) = check_path(src) {
        diags.push(Diagnostic::error(
            "figure-path",
            loc,
            format!("image path {src:?}: {message}"),
            "put the image in the source folder (e.g. figures/org-chart.png) and write its path relative to that folder",
        ));
        return None;
    }
    let Some(format) = Format::of_path(src) else {
        diags.push(Diagnostic::error(
            "figure-format",
            loc,
            format!("{src}: images must be PNG, JPEG or SVG files"),
            "convert the image to .png, .jpg or .svg",
        ));
        return None;
    };
    let alt = alt.trim().to_string();
    if alt.is_empty() {
        diags.push(Diagnostic::error(
            "figure-alt",
            loc.clone(),
            format!("the image {src} has no alt text"),
            format!("say what the image shows between the brackets: ![組織図：CISOの下に情報政策課と各課](…/{src})"),
        ));
    }
    let caption = Some(title.trim()).filter(|t| !t.is_empty()).map(str::to_string);
    Some(Figure { src: src.to_string(), format, alt, caption, digest: String::new(), size: None, loc })
}

/// Why a written path cannot name a file of the source folder.
fn check_path(src: &str) -> Result<(), &'static str> {
    if src.contains(':') {
        Err("web addresses and drive letters are not allowed")
    } else if src.starts_with('/') || src.contains('\\') {
        Err("absolute paths and backslashes are not allowed")
    } else if src.split('/').any(|p| p.is_empty() || p == "." || p == "..") {
        Err("`..`, `.` and empty parts are not allowed: the image must be inside the source folder")
    } else {
        Ok(())
    }
}

/// Reads the image of every figure of `documents` from the source folder `dir`: fills digests and
/// pixel sizes, and returns the bytes by digest. A missing, unreadable, too large or mistyped
/// file is a diagnostic at the figure.
pub(crate) fn read_all(
    source: &dyn Source,
    dir: &str,
    documents: &mut [Document],
    diags: &mut Vec<Diagnostic>,
) -> Images {
    let mut images = Images::new();
    for doc in documents {
        for_each_mut(doc, &mut |f| {
            if let Some((digest, bytes)) = read_one(source, dir, f, diags) {
                images.entry(digest).or_insert(bytes);
            }
        });
    }
    images
}

fn read_one(
    source: &dyn Source,
    dir: &str,
    f: &mut Figure,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Arc<Vec<u8>>)> {
    let path = format!("{dir}/{}", f.src);
    let problem = |code, message: String, hint: &str| Diagnostic::error(code, f.loc.clone(), message, hint);
    let bytes = match source.read(&path) {
        Ok(b) => b,
        Err(SourceError::NotFound { .. }) => {
            diags.push(problem(
                "figure-missing",
                format!("the image {path} does not exist in {}", source.origin()),
                "add the file, or correct the path (relative to the source folder, case matters)",
            ));
            return None;
        }
        Err(e) => {
            diags.push(problem("figure-unreadable", e.to_string(), "check the file's permissions"));
            return None;
        }
    };
    if bytes.len() > MAX_BYTES {
        let mb = bytes.len().div_ceil(1024 * 1024);
        let msg = format!("the image {path} is {mb} MB, over the limit of {} MB", MAX_BYTES / (1024 * 1024));
        diags.push(problem("figure-too-large", msg, "reduce the image's resolution or compress it"));
        return None;
    }
    if Format::of_bytes(&bytes) != Some(f.format) {
        let msg = format!("{path} is not a {} image", f.format.ext().to_uppercase());
        diags.push(problem("figure-format", msg, "save the image in the format its extension says"));
        return None;
    }
    f.digest = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    f.size = pixel_size(f.format, &bytes);
    Some((f.digest.clone(), Arc::new(bytes)))
}

/// Width and height in pixels: PNG from its header, JPEG from its frame header.
fn pixel_size(format: Format, b: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| -> Option<u32> { Some(u32::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]))) };
    let be32 = |i: usize| -> Option<u32> { Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?)) };
    match format {
        Format::Png if b.get(12..16) == Some(b"IHDR") => Some((be32(16)?, be32(20)?)),
        Format::Jpeg => {
            let mut i = 2;
            while b.get(i) == Some(&0xFF) {
                let marker = *b.get(i + 1)?;
                // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
                if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                    return Some((be16(i + 7)?, be16(i + 5)?));
                }
                i += 2 + be16(i + 2)? as usize;
            }
            None
        }
        _ => None,
    }
}

/// Every figure of a document (both languages, preamble and sections), in document order.
pub fn in_document(doc: &Document) -> Vec<&Figure> {
    let mut out = Vec::new();
    let texts = doc.walk().into_iter().flat_map(|s| std::iter::once(&s.ja).chain(s.en.as_ref()));
    let blocks = std::iter::once(&doc.preamble.ja).chain(doc.preamble.en.as_ref()).chain(texts.map(|t| &t.blocks));
    for bs in blocks {
        in_blocks(bs, &mut out);
    }
    out
}

fn in_blocks<'a>(blocks: &'a [Block], out: &mut Vec<&'a Figure>) {
    for b in blocks {
        match b {
            Block::Figure(f) => out.push(f),
            Block::List { items, .. } => items.iter().for_each(|i| in_blocks(&i.blocks, out)),
            Block::Quote { blocks } | Block::Classified { blocks, .. } => in_blocks(blocks, out),
            _ => {}
        }
    }
}

fn for_each_mut(doc: &mut Document, f: &mut dyn FnMut(&mut Figure)) {
    fn blocks(bs: &mut [Block], f: &mut dyn FnMut(&mut Figure)) {
        for b in bs {
            match b {
                Block::Figure(x) => f(x),
                Block::List { items, .. } => items.iter_mut().for_each(|i| blocks(&mut i.blocks, f)),
                Block::Quote { blocks: inner } | Block::Classified { blocks: inner, .. } => blocks(inner, f),
                _ => {}
            }
        }
    }
    fn sections(ss: &mut [super::Section], f: &mut dyn FnMut(&mut Figure)) {
        for s in ss {
            blocks(&mut s.ja.blocks, f);
            if let Some(en) = s.en.as_mut() {
                blocks(&mut en.blocks, f);
            }
            sections(&mut s.children, f);
        }
    }
    blocks(&mut doc.preamble.ja, f);
    if let Some(en) = doc.preamble.en.as_mut() {
        blocks(en, f);
    }
    sections(&mut doc.sections, f);
}

/// The images `documents` use, taken from `all`: what an edition keeps.
pub fn used(documents: &[Document], all: &Images) -> Images {
    let mut out = Images::new();
    for f in documents.iter().flat_map(in_document) {
        if let Some(b) = all.get(&f.digest) {
            out.insert(f.digest.clone(), b.clone());
        }
    }
    out
}
