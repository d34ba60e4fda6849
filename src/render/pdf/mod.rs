//! PDF renderer: every document of an edition in every language of the edition
//! (`<doc>.<lang>.pdf`) and a parallel Japanese | English PDF (`<doc>.parallel.pdf`), typeset
//! by [`crate::render::typeset`] from a Typst template and the document as JSON data.
//!
//! Templates: `templates/pdf/policy.typ` and `templates/pdf/parallel.typ` of the project when
//! present (read through [`Source`]), otherwise the built-in ones.

mod data;

pub use data::{CopyMark, AUTHORITATIVE_EN};

use crate::config::Lang;
use crate::diag::Loc;
use crate::edition::Edition;
use crate::render::Files;
use crate::source::{Source, SourceError};
use crate::render::typeset::{compile_pdf, Fonts, PdfJob, Standards, TypesetError};

const POLICY_TYP: &str = include_str!("../../../templates/pdf/policy.typ");
const PARALLEL_TYP: &str = include_str!("../../../templates/pdf/parallel.typ");
const COMMON_TYP: &str = include_str!("../../../templates/pdf/common.typ");

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{loc}: no font has a glyph for {ch:?} (U+{code:04X})\n  hint: fonts available: {families}; replace the character, or add a font that has it to the folder set by [pdf] fonts in book.toml", code = *ch as u32)]
    MissingGlyph { ch: char, loc: Loc, families: String },
    #[error("{loc}: a word of {len} characters without a space cannot be laid out in a PDF\n  hint: break it with spaces or shorten it (PDF/A allows text runs of at most 32,767 bytes)")]
    Unbreakable { loc: Loc, len: usize },
    #[error("the recipient name: no font has a glyph for {ch:?} (U+{code:04X})\n  hint: write the name with characters of the shipped fonts, or add a font with [pdf] fonts in book.toml")]
    RecipientGlyph { ch: char, code: u32 },
    #[error("{doc} ({lang}), {template}: {source}")]
    Typeset { doc: String, lang: &'static str, template: String, source: Box<TypesetError> },
    #[error(transparent)]
    Fonts(#[from] TypesetError),
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// One recipient copy: what it is and its serial number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// The file name in the output folder.
    pub file: String,
    pub document: String,
    pub serial: String,
}

/// Renders the PDFs of `edition`.
pub fn render(edition: &Edition, source: &dyn Source) -> Result<Files, PdfError> {
    let fonts = load_fonts(edition, source)?;
    render_with(edition, source, &fonts, None).map(|(f, _)| f)
}

/// Renders the PDFs of `edition` as registered copies for `recipient`: PDF number `i` (in file
/// name order) gets the serial `serial(i)`.
pub fn render_copies(
    edition: &Edition,
    source: &dyn Source,
    recipient: &str,
    serial: &(dyn Fn(usize) -> String + Sync),
) -> Result<(Files, Vec<Copy>), PdfError> {
    let fonts = load_fonts(edition, source)?;
    if let Some(c) = recipient.chars().find(|&c| !c.is_whitespace() && !fonts.covers(c)) {
        return Err(PdfError::RecipientGlyph { ch: c, code: c as u32 });
    }
    render_with(edition, source, &fonts, Some((recipient, serial)))
}

/// The shipped fonts and the project's `[pdf] fonts` folder.
fn load_fonts(edition: &Edition, source: &dyn Source) -> Result<Fonts, PdfError> {
    Ok(Fonts::for_project(source, edition.config().pdf.fonts.as_deref())?)
}

/// A template: the project's `templates/pdf/<name>` if present, else the built-in one; and what
/// it is, for messages.
fn template(source: &dyn Source, name: &str, builtin: &'static str) -> Result<(String, String), PdfError> {
    let path = format!("templates/pdf/{name}");
    match source.read_text(&path) {
        Ok(t) => Ok((t, path)),
        Err(SourceError::NotFound { .. }) => Ok((builtin.to_string(), format!("built-in template {name}"))),
        Err(e) => Err(e.into()),
    }
}

/// Narrows a missing glyph's place from its section heading (or front matter) to the line and
/// column of the character itself, reading the source file. Only the section's own lines are
/// searched, up to the next heading (or the end of the front matter): the character may also
/// stand in a later section that this edition does not show, and the message must not point there.
fn refine(e: PdfError, source: &dyn Source) -> PdfError {
    let PdfError::MissingGlyph { ch, mut loc, families } = e else { return e };
    if let Ok(text) = source.read_text(&loc.file) {
        let from = loc.line.saturating_sub(1) as usize;
        let front_matter = from == 0 && text.starts_with("---");
        let own =
            text.lines().enumerate().skip(from).take_while(|(n, l)| {
                *n == from || if front_matter { l.trim_end() != "---" } else { !l.starts_with('#') }
            });
        let hit = own.into_iter().find_map(|(n, l)| l.chars().position(|c| c == ch).map(|col| (n, col)));
        if let Some((n, col)) = hit {
            loc.line = n as u32 + 1;
            loc.column = col as u32 + 1;
        }
    }
    PdfError::MissingGlyph { ch, loc, families }
}

/// A typeset PDF: file name, bytes, and the record of a recipient copy.
type Typeset = (String, Vec<u8>, Option<Copy>);

type Recipient<'a> = (&'a str, &'a (dyn Fn(usize) -> String + Sync));

fn render_with(
    edition: &Edition,
    source: &dyn Source,
    fonts: &Fonts,
    recipient: Option<Recipient>,
) -> Result<(Files, Vec<Copy>), PdfError> {
    let policy = template(source, "policy.typ", POLICY_TYP)?;
    let parallel = template(source, "parallel.typ", PARALLEL_TYP)?;
    let (common, _) = template(source, "common.typ", COMMON_TYP)?;
    let standards =
        if edition.ceiling() == edition.config().lowest() { Standards::ArchivalAccessible } else { Standards::None };
    let languages = &edition.def().languages;
    // The file names first, in output order, so that serial numbers follow file names.
    let mut jobs: Vec<(String, &crate::model::Document, Option<Lang>)> = Vec::new();
    for doc in edition.documents() {
        for &lang in languages {
            jobs.push((format!("{}.{}.pdf", doc.id, lang.code()), doc, Some(lang)));
        }
        if languages.contains(&Lang::Ja) && languages.contains(&Lang::En) {
            jobs.push((format!("{}.parallel.pdf", doc.id), doc, None));
        }
    }
    jobs.sort_by(|a, b| a.0.cmp(&b.0));
    let jobs: Vec<(usize, String, &crate::model::Document, Option<Lang>)> =
        jobs.into_iter().enumerate().map(|(i, (f, d, l))| (i, f, d, l)).collect();
    let ctx = Ctx { edition, fonts, policy: &policy, parallel: &parallel, common: &common, standards, recipient };
    // Typeset on every core: each job is independent, and the results are put in file order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let results: Vec<Result<Typeset, PdfError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(|j| ctx.one(j)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a typesetting thread panicked")).collect()
    });
    let mut files = Files::new();
    let mut copies = Vec::new();
    for r in results {
        let (file, bytes, copy) = r.map_err(|e| refine(e, source))?;
        copies.extend(copy);
        files.insert(file, bytes);
    }
    Ok((files, copies))
}

struct Ctx<'a> {
    edition: &'a Edition,
    fonts: &'a Fonts,
    policy: &'a (String, String),
    parallel: &'a (String, String),
    common: &'a str,
    standards: Standards,
    recipient: Option<Recipient<'a>>,
}

impl Ctx<'_> {
    /// Typesets one PDF: `(file, bytes, the copy record of a recipient copy)`.
    fn one(
        &self,
        (i, file, doc, lang): &(usize, String, &crate::model::Document, Option<Lang>),
    ) -> Result<Typeset, PdfError> {
        let (edition, fonts) = (self.edition, self.fonts);
        let copy = self.recipient.map(|(name, serial)| CopyMark { recipient: name.to_string(), serial: serial(*i) });
        let (main, value) = match lang {
            Some(lang) => (self.policy, data::document(edition, doc, *lang, fonts, copy.as_ref())?),
            None => (
                self.parallel,
                serde_json::json!({
                    "ja": data::document(edition, doc, Lang::Ja, fonts, copy.as_ref())?,
                    "en": data::document(edition, doc, Lang::En, fonts, copy.as_ref())?,
                }),
            ),
        };
        let job = PdfJob {
            main: &main.0,
            files: vec![
                ("data.json".into(), serde_json::to_vec(&value).expect("JSON values serialize")),
                ("common.typ".into(), self.common.as_bytes().to_vec()),
            ],
            date: doc.effective,
            standards: self.standards,
        };
        let bytes = compile_pdf(&job, fonts).map_err(|source| PdfError::Typeset {
            doc: doc.id.clone(),
            lang: lang.map_or("parallel", |l| l.code()),
            template: main.1.clone(),
            source: Box::new(source),
        })?;
        let record = copy.map(|c| Copy { file: file.clone(), document: doc.id.clone(), serial: c.serial });
        Ok((file.clone(), bytes, record))
    }
}
