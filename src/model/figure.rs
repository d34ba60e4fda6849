//! Figures: an image (PNG, JPEG, SVG) standing alone in its paragraph, `![alt](figures/x.png
//! "caption")`, is a [`Block::Figure`].
//!
//! This module exists so that the rules about images live in one place: which paths are allowed
//! (inside the source folder, never `..`, absolute or a URL), that alt text is required, and the
//! reading of the bytes through [`Source`] (size limit, format, pixel size). The bytes are kept
//! apart from the blocks, by digest ([`Images`]), so that an edition holds only the images its
//! remaining blocks use.

use super::{Block, Document};
use crate::config::Lang;
use crate::diag::{catalogue, Diagnostic, Loc, Message};
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
pub(crate) fn new(src: &str, alt: String, title: &str, loc: Loc, diags: &mut Vec<Diagnostic>) -> Option<Figure> {
    if let Err(problem) = check_path(src) {
        let problem = Message::new(problem);
        let (en, ja) = (problem.message(Lang::En), problem.message(Lang::Ja));
        diags.push(Diagnostic::new("figure-path", loc).arg("src", src).arg_in("problem", en, ja));
        return None;
    }
    let Some(format) = Format::of_path(src) else {
        diags.push(Diagnostic::new("figure-format", loc).arg("src", src));
        return None;
    };
    let alt = alt.trim().to_string();
    if alt.is_empty() {
        diags.push(Diagnostic::new("figure-alt", loc.clone()).arg("src", src));
    }
    let caption = Some(title.trim()).filter(|t| !t.is_empty()).map(str::to_string);
    Some(Figure { src: src.to_string(), format, alt, caption, digest: String::new(), size: None, loc })
}

/// Why a written path cannot name a file of the source folder (a catalogue key).
fn check_path(src: &str) -> Result<(), &'static str> {
    if src.contains(':') {
        Err("figure-path.url")
    } else if src.starts_with('/') || src.contains('\\') {
        Err("figure-path.absolute")
    } else if src.split('/').any(|p| p.is_empty() || p == "." || p == "..") {
        Err("figure-path.outside")
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
    let problem = |key| Diagnostic::new(key, f.loc.clone()).arg("path", &path);
    let bytes = match source.read(&path) {
        Ok(b) => b,
        Err(SourceError::NotFound { .. }) => {
            let origin = source.origin();
            let origin_ja = catalogue::origin_ja(&origin);
            diags.push(problem("figure-missing").arg_in("origin", origin, origin_ja));
            return None;
        }
        Err(e) => {
            diags.push(problem("figure-unreadable").arg("error", e));
            return None;
        }
    };
    if bytes.len() > MAX_BYTES {
        let mb = bytes.len().div_ceil(1024 * 1024);
        diags.push(problem("figure-too-large").arg("mb", mb).arg("max", MAX_BYTES / (1024 * 1024)));
        return None;
    }
    if Format::of_bytes(&bytes) != Some(f.format) {
        diags.push(problem("figure-format.content").arg("format", f.format.ext().to_uppercase()));
        return None;
    }
    if let Some(link) = svg_link(f.format, &bytes) {
        diags.push(problem("figure-format.svg-link").arg("link", link));
        return None;
    }
    f.digest = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    f.size = pixel_size(f.format, &bytes);
    Some((f.digest.clone(), Arc::new(bytes)))
}

/// The first link of an SVG to another file (`href="x.png"`): the PDF could not show it. Links
/// inside the file (`#id`) and `data:` URLs are fine.
fn svg_link(format: Format, bytes: &[u8]) -> Option<String> {
    let text = (format == Format::Svg).then(|| String::from_utf8_lossy(bytes))?;
    text.split("href=").skip(1).find_map(|rest| {
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = rest[1..].split(quote).next()?.trim();
        (!value.starts_with('#') && !value.starts_with("data:")).then(|| value.to_string())
    })
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
pub fn in_document<P>(doc: &Document<P>) -> Vec<&Figure> {
    let mut out = Vec::new();
    for p in super::walk::passages(doc) {
        super::walk::blocks(p.blocks, &mut |b| {
            if let Block::Figure(f) = b {
                out.push(f);
            }
        });
    }
    out
}

fn for_each_mut(doc: &mut Document, f: &mut dyn FnMut(&mut Figure)) {
    super::walk::block_lists_in_mut(doc, &mut |list| {
        for b in list.iter_mut() {
            if let Block::Figure(x) = b {
                f(x);
            }
        }
    });
}

/// The images `documents` use, taken from `all`: what an edition keeps.
pub fn used<P>(documents: &[Document<P>], all: &Images) -> Images {
    let mut out = Images::new();
    for f in documents.iter().flat_map(in_document) {
        if let Some(b) = all.get(&f.digest) {
            out.insert(f.digest.clone(), b.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Edition;
    use crate::model::load;
    use crate::model::tests::BOOK;
    use crate::source::MemSource;

    /// A 1×1 PNG.
    pub(crate) const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
        0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x21, 0x27, 0x07, 0x00, 0x02, 0xb6, 0x01, 0x05, 0x0a,
        0x5b, 0xa6, 0x06, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    const FRONT: &str = "---\nid: doc\ntype: standard\ntitle: 文書\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\n";

    fn project(body: &str) -> MemSource {
        let mut m = MemSource::new().with("book.toml", BOOK).with("policy-source/doc.ja.md", &format!("{FRONT}{body}"));
        m.insert_bytes("policy-source/figures/a.png", PNG);
        m
    }

    /// Errors as (code, line, column).
    fn errors(m: &MemSource) -> Vec<(&'static str, u32, u32)> {
        let l = load(m).unwrap();
        let diags = crate::model::check::run(&l);
        diags
            .into_iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .map(|d| (d.code, d.loc.line, d.loc.column))
            .collect()
    }

    #[test]
    fn an_image_alone_in_its_paragraph_is_a_figure_with_digest_and_size() {
        let m = project("# 節 {#s}\n\n![組織図](figures/a.png \"図 組織\")\n");
        let l = load(&m).unwrap();
        assert!(errors(&m).is_empty(), "{:?}", errors(&m));
        let Block::Figure(f) = &l.project.documents[0].sections[0].ja.blocks[0] else { panic!("a figure") };
        assert_eq!(
            (f.src.as_str(), f.alt.as_str(), f.caption.as_deref()),
            ("figures/a.png", "組織図", Some("図 組織"))
        );
        assert_eq!((f.format, f.size, f.digest.len()), (Format::Png, Some((1, 1)), 64));
        assert_eq!(l.project.images[&f.digest].as_slice(), PNG);
        assert_eq!(f.file_name(), format!("{}.png", f.digest));
    }

    #[test]
    fn alt_text_is_required_and_paths_stay_in_the_source_folder() {
        // The front matter takes 9 lines, the heading and a blank line 2: the image is on line 12.
        let cases = [
            ("![](figures/a.png)", "figure-alt"),
            ("![ ](figures/a.png)", "figure-alt"),
            ("![図](../book.toml)", "figure-path"),
            ("![図](figures/../../x.png)", "figure-path"),
            ("![図](/etc/x.png)", "figure-path"),
            ("![図](https://example.com/x.png)", "figure-path"),
            ("![図](figures/none.png)", "figure-missing"),
            ("![図](figures/a.gif)", "figure-format"),
            ("![図](figures/a.png) と本文", "figure-syntax"),
            ("本文 ![図](figures/a.png)", "figure-syntax"),
        ];
        for (md, code) in cases {
            let m = project(&format!("# 節 {{#s}}\n\n{md}\n"));
            assert_eq!(errors(&m).first().map(|e| e.0), Some(code), "{md}: {:?}", errors(&m));
            let (_, line, col) = errors(&m)[0];
            assert_eq!(line, 12, "{md}");
            assert!(col <= 4, "{md}: column {col}");
        }
    }

    #[test]
    fn a_file_of_another_format_or_too_large_is_an_error() {
        let mut m = project("# 節 {#s}\n\n![図](figures/b.png)\n");
        m.insert("policy-source/figures/b.png", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        assert_eq!(errors(&m), [("figure-format", 12, 1)]);
        let mut big = PNG.to_vec();
        big.resize(MAX_BYTES + 1, 0);
        m.insert_bytes("policy-source/figures/b.png", &big);
        assert_eq!(errors(&m), [("figure-too-large", 12, 1)]);
        let m2 = {
            let mut x = m.clone();
            x.insert("policy-source/doc.ja.md", &format!("{FRONT}# 節 {{#s}}\n\n![図](figures/b.svg)\n"));
            x.insert("policy-source/figures/b.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
            x
        };
        assert!(errors(&m2).is_empty(), "{:?}", errors(&m2));
        let mut m3 = m2.clone();
        let linking = "<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"#a\"/><image href='../x.png'/></svg>";
        m3.insert("policy-source/figures/b.svg", linking);
        assert_eq!(errors(&m3), [("figure-format", 12, 1)]);
    }

    #[test]
    fn an_edition_holds_only_the_images_of_its_figures() {
        let mut m = project("# 節 {#s}\n\n![公開](figures/a.png)\n\n::: restricted\n\n![秘](figures/r.png)\n\n:::\n");
        let mut other = PNG.to_vec();
        other.push(0);
        m.insert_bytes("policy-source/figures/r.png", &other);
        let l = load(&m).unwrap();
        assert!(errors(&m).is_empty(), "{:?}", errors(&m));
        assert_eq!(l.project.images.len(), 2);
        let digest = |bytes: &[u8]| -> String { Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect() };
        let public = Edition::filter(&l.project, "public").unwrap();
        assert_eq!(public.image(&digest(PNG)), Some(PNG));
        assert_eq!(public.image(&digest(&other)), None);
        let restricted = Edition::filter(&l.project, "restricted").unwrap();
        assert_eq!(restricted.image(&digest(&other)), Some(other.as_slice()));
    }

    #[test]
    fn a_folder_of_images_is_not_a_document() {
        let m = project("# 節 {#s}\n\n本文。\n");
        let l = load(&m).unwrap();
        assert_eq!(l.project.documents.len(), 1);
        assert!(errors(&m).is_empty(), "{:?}", errors(&m));
    }
}
