//! What the renderers use besides the edition: templates, fonts and the glyph check, resolved
//! once from the project's [`Source`]. A template is the project's file of the same name under
//! `templates/html/` or `templates/pdf/` when there is one, otherwise the built-in one; fonts are
//! the shipped ones and the project's `[pdf] fonts` folder. Renderers take `&Assets` and never a
//! `Source`, so no renderer can read a raw project file.

use crate::config::Config;
use crate::diag::{Localize, Message};
use crate::render::typeset::{shipped_fonts, Fonts, TypesetError};
use crate::source::{Source, SourceError};

/// The shipped HTML templates and static files, by name, in the order they are loaded.
const HTML: [(&str, &str); 7] = [
    ("base.html", include_str!("../../templates/html/base.html")),
    ("index.html", include_str!("../../templates/html/index.html")),
    ("document.html", include_str!("../../templates/html/document.html")),
    ("parallel.html", include_str!("../../templates/html/parallel.html")),
    ("glossary.html", include_str!("../../templates/html/glossary.html")),
    ("style.css", include_str!("../../templates/html/style.css")),
    ("site.js", include_str!("../../templates/html/site.js")),
];

/// The shipped Typst templates of the document PDFs and the 新旧対照表 PDF.
const PDF: [(&str, &str); 4] = [
    ("policy.typ", include_str!("../../templates/pdf/policy.typ")),
    ("parallel.typ", include_str!("../../templates/pdf/parallel.typ")),
    ("common.typ", include_str!("../../templates/pdf/common.typ")),
    ("diff.typ", include_str!("../../templates/pdf/diff.typ")),
];

/// Why a project's templates or fonts cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("{}", self.text())]
    HtmlTemplate(SourceError),
    /// A PDF template or a font file that cannot be read.
    #[error(transparent)]
    Read(#[from] SourceError),
    #[error(transparent)]
    Fonts(#[from] TypesetError),
}

impl Localize for AssetError {
    fn text(&self) -> Message {
        match self {
            AssetError::HtmlTemplate(e) => {
                Message::new("asset-template").arg_in("error", e.to_string(), e.localize(crate::config::Lang::Ja))
            }
            AssetError::Read(e) => e.text(),
            AssetError::Fonts(e) => e.text(),
        }
    }
}

/// One template: its text and where it came from, for messages (`templates/pdf/policy.typ`, or
/// `built-in template policy.typ`).
#[derive(Debug, Clone)]
pub struct Template {
    pub name: &'static str,
    pub text: String,
    pub origin: String,
}

/// Templates and fonts of one project (or one revision of it).
pub struct Assets {
    html: Vec<Template>,
    pdf: Vec<Template>,
    fonts: Fonts,
    /// The project's font files (`[pdf] fonts`), as read: (path, bytes).
    font_files: Vec<(String, Vec<u8>)>,
    /// The SHA-256 of every font file, shipped and the project's, names and bytes: computed
    /// when first asked (14 MB of fonts, 8 ms that a build without the PDF cache never needs).
    fonts_digest: std::sync::OnceLock<[u8; 32]>,
}

impl Assets {
    /// Reads the project's templates and fonts through `source`.
    pub fn load(source: &dyn Source, config: &Config) -> Result<Assets, AssetError> {
        let html = templates(source, "templates/html", &HTML).map_err(AssetError::HtmlTemplate)?;
        let pdf = templates(source, "templates/pdf", &PDF)?;
        let font_files = font_files(source, config.pdf.fonts.as_deref())?;
        let fonts = Fonts::new(font_files.clone())?;
        Ok(Assets { html, pdf, fonts, font_files, fonts_digest: std::sync::OnceLock::new() })
    }

    /// The HTML templates and static files (`style.css`, `site.js`).
    pub fn html(&self) -> &[Template] {
        &self.html
    }

    /// The Typst template `name` (`policy.typ`, `parallel.typ`, `common.typ`, `diff.typ`).
    pub fn pdf(&self, name: &str) -> &Template {
        self.pdf.iter().find(|t| t.name == name).expect("a built-in PDF template name")
    }

    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Every font file, the shipped ones first: (file name, bytes). Project fonts are named by
    /// their file name in the fonts folder.
    pub fn font_files(&self) -> Vec<(&str, &[u8])> {
        let shipped = shipped_fonts().iter().map(|&(n, b)| (n, b));
        let own = self.font_files.iter().map(|(p, b)| (p.rsplit('/').next().unwrap_or(p), b.as_slice()));
        shipped.chain(own).collect()
    }

    /// The SHA-256 of every font file (names and bytes): what the PDF cache keys on, computed once.
    pub fn fonts_digest(&self) -> [u8; 32] {
        *self.fonts_digest.get_or_init(|| digest(&self.font_files))
    }

    /// The first character of `text` that must be drawn and that no font has a glyph for. The
    /// one glyph check of every PDF: a silent tofu in a policy is not acceptable. Controls,
    /// spaces, joiners and variation selectors need no glyph of their own.
    pub fn missing_glyph(&self, text: &str) -> Option<char> {
        text.chars().find(|&c| !needs_no_glyph(c) && !self.fonts.covers(c))
    }
}

/// Characters that need no glyph: controls, spaces, joiners and variation selectors.
fn needs_no_glyph(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// The SHA-256 of the shipped fonts and `own`, names and bytes.
fn digest(own: &[(String, Vec<u8>)]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let shipped = shipped_fonts().iter().map(|&(n, b)| (n, b));
    for (name, bytes) in shipped.chain(own.iter().map(|(n, b)| (n.as_str(), b.as_slice()))) {
        for part in [name.as_bytes(), bytes] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
    }
    h.finalize().into()
}

/// The font files (.ttf, .otf, .ttc, .otc) of the project folder `dir` (book.toml `[pdf] fonts`).
fn font_files(source: &dyn Source, dir: Option<&str>) -> Result<Vec<(String, Vec<u8>)>, AssetError> {
    let mut extra = Vec::new();
    if let Some(dir) = dir {
        for e in source.list(dir)? {
            let lower = e.name.to_ascii_lowercase();
            if !e.is_dir && [".ttf", ".otf", ".ttc", ".otc"].iter().any(|x| lower.ends_with(x)) {
                let path = format!("{}/{}", dir.trim_end_matches('/'), e.name);
                extra.push((path.clone(), source.read(&path)?));
            }
        }
    }
    Ok(extra)
}

/// Each of `builtin`: the project's `<dir>/<name>` if present, else the built-in text.
fn templates(source: &dyn Source, dir: &str, builtin: &[(&'static str, &str)]) -> Result<Vec<Template>, SourceError> {
    let mut out = Vec::new();
    for &(name, text) in builtin {
        let path = format!("{dir}/{name}");
        out.push(match source.read_text(&path) {
            Ok(text) => Template { name, text, origin: path },
            Err(SourceError::NotFound { .. }) => {
                Template { name, text: text.to_string(), origin: format!("built-in template {name}") }
            }
            Err(e) => return Err(e),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemSource;

    #[test]
    fn a_project_template_overrides_and_the_glyph_check_skips_selectors() {
        let files = crate::book::init::files();
        let config = Config::parse(std::str::from_utf8(&files["book.toml"]).unwrap(), "book.toml").unwrap();
        let mem = MemSource::new().with("templates/pdf/diff.typ", "OWN");
        let a = Assets::load(&mem, &config).unwrap();
        assert_eq!(
            (a.pdf("diff.typ").text.as_str(), a.pdf("diff.typ").origin.as_str()),
            ("OWN", "templates/pdf/diff.typ")
        );
        assert_eq!(a.pdf("policy.typ").origin, "built-in template policy.typ");
        assert_eq!(a.missing_glyph("葛\u{E0100}飾 区\u{FE0F}"), None);
        assert_eq!(a.missing_glyph("笑\u{1F600}"), Some('\u{1F600}'));
    }
}
