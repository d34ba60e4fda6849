//! PDF renderer: every document of an edition in every language of the edition
//! (`<doc>.<lang>.pdf`) and a parallel Japanese | English PDF (`<doc>.parallel.pdf`), typeset
//! by [`crate::render::typeset`] from a Typst template and the document as JSON data.
//!
//! Templates and fonts come resolved in [`Assets`] (`templates/pdf/policy.typ`,
//! `parallel.typ` and `common.typ` of the project when present, otherwise the built-in ones).

mod data;

pub use crate::render::words::AUTHORITATIVE_EN;
pub use data::CopyMark;

use crate::config::Lang;
use crate::diag::Loc;
use crate::diag::{Localize, Message};
use crate::edition::Edition;
use crate::render::assets::Assets;
use crate::render::typeset::{compile_pdf, PdfJob, Standards, TypesetError};
use crate::render::Files;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{}", self.text())]
    MissingGlyph { ch: char, loc: Loc, families: String },
    #[error("{}", self.text())]
    Unbreakable { loc: Loc, len: usize },
    #[error("{}", self.text())]
    RecipientGlyph { ch: char, code: u32 },
    #[error("{}", self.text())]
    Typeset { doc: String, lang: &'static str, template: String, source: Box<TypesetError> },
}

impl Localize for PdfError {
    fn text(&self) -> Message {
        match self {
            PdfError::MissingGlyph { ch, loc, families } => Message::new("pdf-glyph")
                .arg("at", loc)
                .arg_in("ch", format!("{ch:?}"), format!("「{ch}」"))
                .arg("code", format!("{:04X}", *ch as u32))
                .arg("families", families),
            PdfError::Unbreakable { loc, len } => Message::new("pdf-unbreakable").arg("at", loc).arg("len", len),
            PdfError::RecipientGlyph { ch, code } => Message::new("pdf-recipient-glyph")
                .arg_in("ch", format!("{ch:?}"), format!("「{ch}」"))
                .arg("code", format!("{code:04X}")),
            PdfError::Typeset { doc, lang, template, source } => Message::new("pdf-typeset")
                .arg("doc", doc)
                .arg("lang", lang)
                .arg("template", template)
                .arg_in("error", source.to_string(), source.localize(crate::config::Lang::Ja)),
        }
    }
}

impl PdfError {
    /// A missing glyph's place narrowed from its section heading (or front matter), which is
    /// what the model knows, to the character itself, given the text of the file the place
    /// names. Renderers never read sources: the caller, which holds them, passes `text_of`.
    pub fn narrow(self, text_of: impl FnOnce(&str) -> Option<String>) -> PdfError {
        match self {
            PdfError::MissingGlyph { ch, loc, families } => {
                let loc = match text_of(&loc.file) {
                    Some(text) => loc.narrow(&text, ch),
                    None => loc,
                };
                PdfError::MissingGlyph { ch, loc, families }
            }
            e => e,
        }
    }
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
pub fn render(edition: &Edition, assets: &Assets) -> Result<Files, PdfError> {
    render_with(edition, assets, None).map(|(f, _)| f)
}

/// One PDF of `edition`, the way [`render`] makes it: document `doc` in `lang`, or its parallel
/// ja|en PDF with `lang` `None`; `None` when the edition holds no such document or language (the
/// preview server's PDF on request, `policybook serve`).
pub fn render_one(
    edition: &Edition,
    assets: &Assets,
    doc: &str,
    lang: Option<Lang>,
) -> Option<Result<Vec<u8>, PdfError>> {
    let document = edition.documents().iter().find(|d| d.id == doc)?;
    let languages = &edition.def().languages;
    let file = match lang {
        Some(l) if languages.contains(&l) => format!("{doc}.{}.pdf", l.code()),
        None if languages.contains(&Lang::Ja) && languages.contains(&Lang::En) => format!("{doc}.parallel.pdf"),
        _ => return None,
    };
    let standards = if edition.is_public() { Standards::ArchivalAccessible } else { Standards::None };
    let ctx = Ctx { edition, assets, standards, recipient: None };
    Some(ctx.one(&(0, file, document, lang)).map(|(_, bytes, _)| bytes))
}

/// Renders the PDFs of `edition` as registered copies for `recipient`: PDF number `i` (in file
/// name order) gets the serial `serial(i)`.
pub fn render_copies(
    edition: &Edition,
    assets: &Assets,
    recipient: &str,
    serial: &(dyn Fn(usize) -> String + Sync),
) -> Result<(Files, Vec<Copy>), PdfError> {
    // A name is no text of the policy: a control character in it is refused too.
    let control = recipient.chars().find(|&c| c.is_control() && !c.is_whitespace());
    if let Some(c) = control.or_else(|| assets.missing_glyph(recipient)) {
        return Err(PdfError::RecipientGlyph { ch: c, code: c as u32 });
    }
    render_with(edition, assets, Some((recipient, serial)))
}

/// A typeset PDF: file name, bytes, and the record of a recipient copy.
type Typeset = (String, Vec<u8>, Option<Copy>);

type Recipient<'a> = (&'a str, &'a (dyn Fn(usize) -> String + Sync));

fn render_with(
    edition: &Edition,
    assets: &Assets,
    recipient: Option<Recipient>,
) -> Result<(Files, Vec<Copy>), PdfError> {
    let standards = if edition.is_public() { Standards::ArchivalAccessible } else { Standards::None };
    let languages = &edition.def().languages;
    // The file names first, in output order, so that serial numbers follow file names.
    let mut jobs: Vec<(String, &crate::edition::Document, Option<Lang>)> = Vec::new();
    for doc in edition.documents() {
        for &lang in languages {
            jobs.push((format!("{}.{}.pdf", doc.id, lang.code()), doc, Some(lang)));
        }
        if languages.contains(&Lang::Ja) && languages.contains(&Lang::En) {
            jobs.push((format!("{}.parallel.pdf", doc.id), doc, None));
        }
    }
    jobs.sort_by(|a, b| a.0.cmp(&b.0));
    let jobs: Vec<(usize, String, &crate::edition::Document, Option<Lang>)> =
        jobs.into_iter().enumerate().map(|(i, (f, d, l))| (i, f, d, l)).collect();
    let ctx = Ctx { edition, assets, standards, recipient };
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
        let (file, bytes, copy) = r?;
        copies.extend(copy);
        files.insert(file, bytes);
    }
    Ok((files, copies))
}

struct Ctx<'a> {
    edition: &'a Edition,
    assets: &'a Assets,
    standards: Standards,
    recipient: Option<Recipient<'a>>,
}

impl Ctx<'_> {
    /// Typesets one PDF: `(file, bytes, the copy record of a recipient copy)`.
    fn one(
        &self,
        (i, file, doc, lang): &(usize, String, &crate::edition::Document, Option<Lang>),
    ) -> Result<Typeset, PdfError> {
        let (edition, assets) = (self.edition, self.assets);
        let copy = self.recipient.map(|(name, serial)| CopyMark { recipient: name.to_string(), serial: serial(*i) });
        let (main, value) = match lang {
            Some(lang) => (assets.pdf("policy.typ"), data::document(edition, doc, *lang, assets, copy.as_ref())?),
            None => (
                assets.pdf("parallel.typ"),
                serde_json::json!({
                    "ja": data::document(edition, doc, Lang::Ja, assets, copy.as_ref())?,
                    "en": data::document(edition, doc, Lang::En, assets, copy.as_ref())?,
                }),
            ),
        };
        let mut files = vec![
            ("data.json".into(), serde_json::to_vec(&value).expect("JSON values serialize")),
            ("common.typ".into(), assets.pdf("common.typ").text.as_bytes().to_vec()),
        ];
        files.extend(data::images(edition, doc));
        let job = PdfJob { main: &main.text, files, date: doc.effective, standards: self.standards };
        let bytes = compile_pdf(&job, assets.fonts()).map_err(|source| PdfError::Typeset {
            doc: doc.id.clone(),
            lang: lang.map_or("parallel", |l| l.code()),
            template: main.origin.clone(),
            source: Box::new(source),
        })?;
        let record = copy.map(|c| Copy { file: file.clone(), document: doc.id.clone(), serial: c.serial });
        Ok((file.clone(), bytes, record))
    }
}
