//! PDF renderer: every document of an edition in every language of the edition
//! (`<doc>.<lang>.pdf`) and a parallel Japanese | English PDF (`<doc>.parallel.pdf`), typeset
//! by [`crate::render::typeset`] from a Typst template and the document as JSON data.
//!
//! Templates and fonts come resolved in [`Assets`] (`templates/pdf/policy.typ`,
//! `parallel.typ` and `common.typ` of the project when present, otherwise the built-in ones).

mod data;
mod parts;

pub use crate::render::words::AUTHORITATIVE_EN;
pub use data::CopyMark;

use crate::config::Lang;
use crate::diag::Loc;
use crate::diag::{Localize, Message};
use crate::edition::Edition;
use crate::model::Date;
use crate::render::assets::Assets;
use crate::render::pool;
use crate::render::typeset::{self, compile_pdf_reusing, Fonts, PdfJob, Reuse, Standards, TypesetError};
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

/// One PDF to typeset, planned: everything that shapes its bytes, and nothing of the file
/// system. [`plan`] makes them, [`typeset`] turns one into bytes.
#[derive(Debug, Clone)]
pub struct Job {
    /// The file name in the output folder (`<doc>.<lang>.pdf`, `<doc>.parallel.pdf`).
    pub file: String,
    pub doc: String,
    /// The language, or `None` for the parallel Japanese | English PDF.
    pub lang: Option<Lang>,
    /// The Typst template's text (`main.typ`) and where it came from, for messages.
    pub main: String,
    pub template: String,
    /// The virtual files the template reads: `data.json`, `common.typ`, the images.
    pub files: Vec<(String, Vec<u8>)>,
    /// The data size of a part when the document is long enough to be typeset in parts (its
    /// template can be: it reads `part.json`); `None`: whole ([`parts`]).
    pub part_size: Option<usize>,
    pub date: Date,
    pub standards: Standards,
    /// The record of a recipient copy (its serial is in the data).
    pub copy: Option<Copy>,
}

impl Job {
    /// How heavy the job is to typeset, for the pool: its memory, [`typeset::weight`] (0 for a
    /// light job, which may run beside any), and its length, the bytes of its files (the
    /// longest light jobs start first: the default project's build ended on one core, 0.17 s).
    pub fn weight(&self) -> pool::Weight {
        let length = self.files.iter().map(|(_, b)| b.len() as u64).sum();
        pool::Weight { memory: typeset::weight(&self.files), length }
    }

    /// `ja`, `en` or `parallel`.
    pub fn lang_code(&self) -> &'static str {
        self.lang.map_or("parallel", |l| l.code())
    }
}

/// The PDFs of `edition`, planned, in file name order.
pub fn plan(edition: &Edition, assets: &Assets) -> Result<Vec<Job>, PdfError> {
    plan_with(edition, assets, None)
}

/// Typesets one planned PDF: a long document in parts.
pub fn typeset(job: &Job, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    typeset_reusing(job, fonts, false, None).map(|(pdf, _)| pdf)
}

/// [`typeset`], keeping what Typst memoized for the next job this thread typesets when
/// `keep_memo` ([`PdfJob::keep_memo`]: the next of a [`family`]), and taking again what an
/// earlier build typeset of the parts of a long document that did not change (`reuse`:
/// [`Reuse`]); with each part's entry for the next build (none for a document typeset whole).
/// The bytes are the same with or without either.
pub fn typeset_reusing(
    job: &Job,
    fonts: &Fonts,
    keep_memo: bool,
    reuse: Option<Reuse>,
) -> Result<typeset::Typeset, PdfError> {
    let data = job.files.iter().find(|(name, _)| name == "data.json").map(|(_, bytes)| bytes.as_slice());
    let split = job.part_size.zip(data).and_then(|(size, data)| parts::split(data, job.lang.is_none(), size));
    let (files, parts) = match split {
        Some(split) => {
            let mut files = job.files.clone();
            files.iter_mut().filter(|(name, _)| name == "data.json").for_each(|f| f.1 = split.front.clone());
            files.push((typeset::HEADS.into(), split.heads));
            (std::borrow::Cow::Owned(files), split.parts)
        }
        None => (std::borrow::Cow::Borrowed(&job.files), Vec::new()),
    };
    let typeset = PdfJob {
        main: &job.main,
        files: &files,
        parts: &parts,
        date: job.date,
        standards: job.standards,
        keep_memo,
        reuse,
    };
    compile_pdf_reusing(&typeset, fonts).map_err(|source| PdfError::Typeset {
        doc: job.doc.clone(),
        lang: job.lang_code(),
        template: job.template.clone(),
        source: Box::new(source),
    })
}

/// `items` (each holding a planned job, `job` finds it) in families to typeset one after
/// another on one thread, Typst's memo kept from one to the next ([`typeset_reusing`]): the light
/// jobs of one document in one language across editions, in item order; a heavy job (a long
/// document, typeset in parts, whose memo is dropped after each part) alone. The families come in
/// the order of their first items.
pub fn families<T>(items: Vec<T>, job: impl Fn(&T) -> &Job) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = Vec::new();
    // The family of each (document, language) seen: its place in `out`.
    let mut at: std::collections::HashMap<(String, &'static str), usize> = std::collections::HashMap::new();
    for item in items {
        let j = job(&item);
        if j.weight().memory == 0 {
            let family = (j.doc.clone(), j.lang_code());
            if let Some(&k) = at.get(&family) {
                out[k].push(item);
                continue;
            }
            at.insert(family, out.len());
        }
        out.push(vec![item]);
    }
    out
}

/// Renders the PDFs of `edition` on every core.
pub fn render(edition: &Edition, assets: &Assets) -> Result<Files, PdfError> {
    let jobs = plan(edition, assets)?;
    typeset_all(jobs, assets, pool::default_threads()).map(|(f, _)| f)
}

/// The PDF of `edition` named `file` (`<doc>.<lang>.pdf`, `<doc>.parallel.pdf`), the way
/// [`render`] makes it; `None` when the edition has no such PDF (the preview server's PDF on
/// request, `policybook serve`). Only that PDF is planned.
pub fn render_one(edition: &Edition, assets: &Assets, file: &str) -> Option<Result<Vec<u8>, PdfError>> {
    let (file, doc, lang) = pdf_files(edition).into_iter().find(|(f, _, _)| f == file)?;
    Some(Ctx::new(edition, assets, None).job(0, file, doc, lang).and_then(|job| typeset(&job, assets.fonts())))
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
    let jobs = plan_with(edition, assets, Some((recipient, serial)))?;
    typeset_all(jobs, assets, pool::default_threads())
}

/// Typesets `jobs` on `threads` workers: the files, and the records of recipient copies.
fn typeset_all(jobs: Vec<Job>, assets: &Assets, threads: usize) -> Result<(Files, Vec<Copy>), PdfError> {
    let done = pool::run_weighted(jobs, threads, Job::weight, |job| {
        typeset(&job, assets.fonts()).map(|bytes| (job.file, bytes, job.copy))
    })?;
    let mut files = Files::new();
    let mut copies = Vec::new();
    for (file, bytes, copy) in done {
        copies.extend(copy);
        files.insert(file, bytes);
    }
    Ok((files, copies))
}

/// The data of one part of a long document, by default: 128 KiB, some 25 to 60 pages. Each part
/// is laid out and exported on its own and kept in the cache, so a rebuild after an edit lays
/// out one part per PDF (the corpus's rebuild after a one-paragraph edit: 4.0 s with parts of
/// 128 KiB, 5.5 s of 256 KiB; its cold build 26 s either way). The price is size: each part
/// embeds its own subsets of the fonts (the corpus's public `standards.ja.pdf`: 5.2 MB whole,
/// 7.0 MB in parts of 256 KiB, 8.2 MB of 128 KiB). `[pdf] part-size` in book.toml, in KiB; 0
/// typesets every document whole (smallest file, memory growing with the document: the
/// corpus's whole build took 2450 MiB so).
const PART_SIZE: usize = 128 * 1024;

type Recipient<'a> = (&'a str, &'a (dyn Fn(usize) -> String + Sync));

fn plan_with(edition: &Edition, assets: &Assets, recipient: Option<Recipient>) -> Result<Vec<Job>, PdfError> {
    let ctx = Ctx::new(edition, assets, recipient);
    let files = pdf_files(edition).into_iter().enumerate();
    files.map(|(i, (file, doc, lang))| ctx.job(i, file, doc, lang)).collect()
}

/// Every PDF of `edition`: file name, document, language (`None`: the parallel PDF), in file
/// name order, the output order, so that serial numbers follow file names.
fn pdf_files(edition: &Edition) -> Vec<(String, &crate::edition::Document, Option<Lang>)> {
    let languages = &edition.def().languages;
    let mut files = Vec::new();
    for doc in edition.documents() {
        for &lang in languages {
            files.push((format!("{}.{}.pdf", doc.id, lang.code()), doc, Some(lang)));
        }
        if languages.contains(&Lang::Ja) && languages.contains(&Lang::En) {
            files.push((format!("{}.parallel.pdf", doc.id), doc, None));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

struct Ctx<'a> {
    edition: &'a Edition,
    assets: &'a Assets,
    standards: Standards,
    recipient: Option<Recipient<'a>>,
    /// The data of each (document, language) made so far, when no copy mark is in it.
    made: std::cell::RefCell<std::collections::HashMap<(String, Lang), Vec<u8>>>,
}

/// The data of a parallel PDF, `{"en": …, "ja": …}`, from the two languages' data as the
/// single-language PDFs have it (keys in serde_json's order, sorted).
fn parallel_data(ja: &[u8], en: &[u8]) -> Vec<u8> {
    [&b"{\"en\":"[..], en, b",\"ja\":", ja, b"}"].concat()
}

impl<'a> Ctx<'a> {
    fn new(edition: &'a Edition, assets: &'a Assets, recipient: Option<Recipient<'a>>) -> Ctx<'a> {
        // The public edition's PDFs conform to PDF/A-2b and PDF/UA-1.
        let standards = if edition.is_public() { Standards::ArchivalAccessible } else { Standards::None };
        Ctx { edition, assets, standards, recipient, made: Default::default() }
    }

    /// The data of `doc` in `lang` as JSON. Without a copy mark it is made once per plan: the
    /// parallel PDF reuses what the two single-language PDFs made.
    fn data(&self, doc: &crate::edition::Document, lang: Lang, copy: Option<&CopyMark>) -> Result<Vec<u8>, PdfError> {
        let make = || -> Result<Vec<u8>, PdfError> {
            let value = data::document(self.edition, doc, lang, self.assets, copy)?;
            Ok(serde_json::to_vec(&value).expect("JSON values serialize"))
        };
        if copy.is_some() {
            return make();
        }
        let key = (doc.id.clone(), lang);
        if let Some(bytes) = self.made.borrow().get(&key) {
            return Ok(bytes.clone());
        }
        let bytes = make()?;
        self.made.borrow_mut().insert(key, bytes.clone());
        Ok(bytes)
    }

    /// Plans PDF number `i`, `file`: its data, the copy mark of a recipient copy.
    fn job(&self, i: usize, file: String, doc: &crate::edition::Document, lang: Option<Lang>) -> Result<Job, PdfError> {
        let (edition, assets) = (self.edition, self.assets);
        let copy = self.recipient.map(|(name, serial)| CopyMark { recipient: name.to_string(), serial: serial(i) });
        let (main, data) = match lang {
            Some(lang) => (assets.pdf("policy.typ"), self.data(doc, lang, copy.as_ref())?),
            None => (
                assets.pdf("parallel.typ"),
                parallel_data(&self.data(doc, Lang::Ja, copy.as_ref())?, &self.data(doc, Lang::En, copy.as_ref())?),
            ),
        };
        // A long document is typeset in parts when its template can be (it reads `part.json`).
        let part_size = match edition.config().pdf.part_size {
            Some(0) => None,
            _ if !main.text.contains("\"part.json\"") => None,
            kib => Some(kib.map_or(PART_SIZE, |k| k as usize * 1024)),
        };
        let mut files =
            vec![("data.json".into(), data), ("common.typ".into(), assets.pdf("common.typ").text.as_bytes().to_vec())];
        files.extend(data::images(edition, doc));
        let record = copy.map(|c| Copy { file: file.clone(), document: doc.id.clone(), serial: c.serial });
        Ok(Job {
            file,
            doc: doc.id.clone(),
            lang,
            main: main.text.clone(),
            template: main.origin.clone(),
            files,
            part_size,
            date: doc.effective,
            standards: self.standards,
            copy: record,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_documents_light_jobs_make_one_family_across_editions_and_a_heavy_job_its_own() {
        use super::{families, typeset, Job};
        use crate::config::Lang;
        let job = |edition: &str, doc: &str, lang: Option<Lang>, bytes: usize| Job {
            file: format!("{edition}/{doc}.{}", lang.map_or("parallel", |l: Lang| l.code())),
            doc: doc.into(),
            lang,
            main: String::new(),
            template: "policy.typ".into(),
            files: vec![("data.json".into(), vec![b' '; bytes])],
            part_size: None,
            date: crate::model::Date { year: 2026, month: 4, day: 1 },
            standards: typeset::Standards::None,
            copy: None,
        };
        let heavy = typeset::LIGHT as usize;
        let jobs = vec![
            job("public", "basic", Some(Lang::Ja), 10),
            job("public", "basic", Some(Lang::En), 10),
            job("public", "standards", Some(Lang::Ja), heavy),
            job("internal", "basic", Some(Lang::Ja), 12),
            job("internal", "basic", None, 20),
            job("internal", "standards", Some(Lang::Ja), heavy),
            job("restricted", "basic", Some(Lang::Ja), 12),
        ];
        let got: Vec<Vec<String>> =
            families(jobs, |j| j).into_iter().map(|f| f.into_iter().map(|j| j.file).collect()).collect();
        let want = [
            vec!["public/basic.ja", "internal/basic.ja", "restricted/basic.ja"],
            vec!["public/basic.en"],
            vec!["public/standards.ja"],
            vec!["internal/basic.parallel"],
            vec!["internal/standards.ja"],
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn the_parallel_data_is_the_two_languages_as_serde_json_writes_them() {
        let ja = serde_json::json!({"lang": "ja", "title": "基本方針", "n": [1, 2]});
        let en = serde_json::json!({"lang": "en", "title": "Basic Policy \"x\"", "n": []});
        let whole = serde_json::to_vec(&serde_json::json!({"ja": ja, "en": en})).unwrap();
        let (ja, en) = (serde_json::to_vec(&ja).unwrap(), serde_json::to_vec(&en).unwrap());
        assert_eq!(super::parallel_data(&ja, &en), whole);
    }
}
