//! XLIFF 2.0 for translation vendors (`policybook translation export`): one `<file>` per document,
//! one `<unit>` per section keyed by its id, a `<segment>` for the title and for each run of text
//! (paragraph, list item paragraph, table cell), the Japanese as source and the current English as
//! target. Markup travels as inline codes a CAT tool protects: emphasis and links as `<pc>`,
//! references without text, code and line breaks as `<ph>`, each pointing (`dataRef…`) at the
//! Markdown it stands for in the unit's `<originalData>`.
//!
//! Made from an [`Edition`] only, so nothing above its ceiling can be in a package. States:
//! untranslated `initial` (no target), unconfirmed `translated`, confirmed `reviewed`, stale
//! `translated` with `subState="policybook:needs-review"`. Notes come from an [`Annotate`]: the
//! book layer's says what the Japanese was when a stale translation was confirmed.
//!
//! The termbase travels as the XLIFF 2 glossary module (`gls:`): each unit carries a
//! `<gls:glossary>` of the terms its Japanese uses (longest match, as `check` finds them), each a
//! `<gls:glossEntry>` with the Japanese `<gls:term>`, the English `<gls:translation>` and the
//! entry's note and wrong variants in `<gls:definition>`. The terms are the edition's
//! ([`Edition::terms`]), so a term above its ceiling is in no package.

use crate::edition::{Document, Edition, Section};
use crate::model::terms::{self, Term};
use crate::model::xref::Place;
use crate::model::{walk, Inline, SectionText, Translation};
use crate::render::escape::html as esc;
use std::fmt::Write;

/// The XLIFF 2.0 namespace.
pub const NS: &str = "urn:oasis:names:tc:xliff:document:2.0";
/// policybook's namespace, for the edition a package was made from (`pb:edition` on `<xliff>`).
pub const PB: &str = "urn:policybook:xliff:1";
/// The XLIFF 2.0 glossary module's namespace (`gls:`), for the termbase's entries.
pub const GLS: &str = "urn:oasis:names:tc:xliff:glossary:2.0";

/// Which sections go into a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    All,
    Stale,
    Untranslated,
}

/// A `<note>` of a unit: its category and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub category: String,
    pub text: String,
}

/// What adds notes to a unit: the Japanese a stale translation was confirmed against.
pub trait Annotate {
    fn notes(&self, doc: &Document, section: &Section) -> Vec<Note>;
}

/// No notes.
impl Annotate for () {
    fn notes(&self, _: &Document, _: &Section) -> Vec<Note> {
        Vec::new()
    }
}

/// The package: every section of `edition` that `only` selects, notes from each annotator.
pub fn export(edition: &Edition, only: Only, annotators: &[&dyn Annotate]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{NS}\" xmlns:pb=\"{PB}\" xmlns:gls=\"{GLS}\" \
         version=\"2.0\" srcLang=\"ja\" trgLang=\"en\" pb:edition=\"{}\">\n",
        esc(edition.name())
    );
    let by_length = terms::by_length(edition.terms());
    for d in edition.documents() {
        let sections: Vec<_> = d.walk().into_iter().filter(|s| selected(s.translation, only)).collect();
        if sections.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<file id=\"{}\" original=\"{}\">", esc(&d.id), esc(&d.loc.file));
        for s in sections {
            let notes: Vec<Note> = annotators.iter().flat_map(|a| a.notes(d, s)).collect();
            unit(&mut out, s, &notes, &glossary(s, &by_length));
        }
        out.push_str("</file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

fn selected(t: Translation, only: Only) -> bool {
    match only {
        Only::All => true,
        Only::Stale => t == Translation::Stale,
        Only::Untranslated => t == Translation::Missing,
    }
}

/// The runs of text of a section in one language: the title, then each paragraph and table cell.
pub fn runs<P>(t: &SectionText<P>) -> Vec<&[Inline<P>]> {
    let mut out: Vec<&[Inline<P>]> = vec![&t.title];
    walk::blocks(&t.blocks, &mut |b| out.extend(b.inline_runs()));
    out
}

/// The `<gls:glossary>` of a unit: the terms its Japanese uses, in order of first use; empty when
/// it uses none.
fn glossary(s: &Section, by_length: &[&Term]) -> String {
    let ja: Vec<String> = runs(&s.ja).into_iter().map(crate::model::plain_text).collect();
    // A glossEntry must hold a translation or a definition: an entry with neither says nothing.
    let used: Vec<&Term> = terms::used(&ja.join("\n"), by_length)
        .into_iter()
        .filter(|t| t.en.is_some() || t.note.is_some() || !t.wrong.is_empty())
        .collect();
    if used.is_empty() {
        return String::new();
    }
    let mut out = String::from("<gls:glossary>\n");
    for t in used {
        let _ = write!(out, "<gls:glossEntry><gls:term source=\"policybook\">{}</gls:term>", esc(&t.ja));
        if let Some(en) = &t.en {
            let _ = write!(out, "<gls:translation source=\"policybook\">{}</gls:translation>", esc(en));
        }
        let wrong = (!t.wrong.is_empty()).then(|| format!("Not: {}.", t.wrong.join("; ")));
        let definition: Vec<&str> = t.note.iter().map(String::as_str).chain(wrong.as_deref()).collect();
        if !definition.is_empty() {
            let _ =
                write!(out, "<gls:definition source=\"policybook\">{}</gls:definition>", esc(&definition.join(" ")));
        }
        out.push_str("</gls:glossEntry>\n");
    }
    out.push_str("</gls:glossary>\n");
    out
}

fn unit(out: &mut String, s: &Section, notes: &[Note], glossary: &str) {
    let (state, sub) = match s.translation {
        Translation::Current => ("reviewed", ""),
        Translation::Stale => ("translated", " subState=\"policybook:needs-review\""),
        Translation::Unconfirmed => ("translated", ""),
        Translation::Missing => ("initial", ""),
    };
    let ja = runs(&s.ja);
    let en = s.en.as_ref().map(runs).filter(|en| en.len() == ja.len());
    let mut codes = Codes::default();
    let mut segs = String::new();
    for (i, run) in ja.iter().enumerate() {
        let id = if i == 0 { "title".to_string() } else { format!("t{i}") };
        let state = if en.is_some() { state } else { "initial" };
        let sub = if en.is_some() { sub } else { "" };
        let _ =
            write!(segs, "<segment id=\"{id}\" state=\"{state}\"{sub}><source>{}</source>", codes.segment(run, false));
        if let Some(en) = &en {
            let _ = write!(segs, "<target>{}</target>", codes.segment(en[i], true));
        }
        segs.push_str("</segment>\n");
    }
    let _ = writeln!(out, "<unit id=\"{}\">", esc(&s.id));
    // Module elements come before <notes> (the core schema's `##other` opens a unit).
    out.push_str(glossary);
    let mut all = notes.to_vec();
    if s.en.is_some() && en.is_none() {
        let text = "the English has not the same paragraphs and cells as the Japanese: translate the section whole";
        all.push(Note { category: "policybook".into(), text: text.into() });
    }
    if !all.is_empty() {
        out.push_str("<notes>\n");
        for n in &all {
            let _ = writeln!(out, "<note category=\"{}\">{}</note>", esc(&n.category), esc(&n.text));
        }
        out.push_str("</notes>\n");
    }
    if !codes.data.is_empty() {
        out.push_str("<originalData>\n");
        for (i, d) in codes.data.iter().enumerate() {
            let _ = writeln!(out, "<data id=\"d{}\">{}</data>", i + 1, esc(d));
        }
        out.push_str("</originalData>\n");
    }
    out.push_str(&segs);
    out.push_str("</unit>\n");
}

/// A run as Markdown, each inline code written as the Markdown it stands for (what an imported
/// segment becomes once its codes are replaced by their `<originalData>`).
pub fn markdown(run: &[Inline<Place>]) -> String {
    let mut out = String::new();
    for i in run {
        match i {
            Inline::Text { text } => out.push_str(text),
            Inline::Code { text } => out.push_str(&format!("`{text}`")),
            Inline::Break => out.push_str("\\\n"),
            Inline::Emph { content } => out.push_str(&format!("*{}*", markdown(content))),
            Inline::Strong { content } => out.push_str(&format!("**{}**", markdown(content))),
            Inline::Link { url, content } => out.push_str(&format!("[{}]({url})", markdown(content))),
            Inline::Ref(r) => out.push_str(&format!("[{}]({})", markdown(&r.content), ref_target(r))),
        }
    }
    out
}

/// Where a reference points, document always named: `doc#section/2/3`.
fn ref_target<P>(r: &crate::model::Ref<P>) -> String {
    let section = r.section.as_ref().map(|s| format!("#{s}")).unwrap_or_default();
    format!("{}{section}{}", r.doc, crate::model::xref::seg_path(&r.sub))
}

/// The inline codes of a unit: the Markdown each stands for (`data`, numbered in order), and the
/// codes of the segment's source, which a target code standing for the same Markdown reuses (so a
/// CAT tool pairs them).
#[derive(Default)]
struct Codes {
    data: Vec<String>,
    ids: usize,
    /// The source's codes of the current segment: (Markdown, id, data refs), and whether taken.
    source: Vec<(String, String, bool)>,
    target: bool,
}

impl Codes {
    /// The id and data reference(s) of a code standing for `markdown` (`open` and `close` for a
    /// paired code).
    fn code(&mut self, open: &str, close: Option<&str>) -> String {
        let key = format!("{open}\u{0}{}", close.unwrap_or(""));
        if self.target {
            if let Some(c) = self.source.iter_mut().find(|c| c.0 == key && !c.2) {
                c.2 = true;
                return c.1.clone();
            }
        }
        self.ids += 1;
        let mut refs = format!("id=\"{}\"", self.ids);
        for (name, md) in [("dataRef", Some(open)), ("dataRefEnd", close)] {
            let Some(md) = md else { continue };
            self.data.push(md.to_string());
            let name = if close.is_some() && name == "dataRef" { "dataRefStart" } else { name };
            let _ = write!(refs, " {name}=\"d{}\"", self.data.len());
        }
        if !self.target {
            self.source.push((key, refs.clone(), false));
        }
        refs
    }

    /// The source (`target` false) or target of a segment.
    fn segment(&mut self, run: &[Inline<Place>], target: bool) -> String {
        if !target {
            self.source.clear();
        }
        self.target = target;
        self.inline(run)
    }

    /// A paired code around `content`.
    fn pc(&mut self, open: &str, close: String, content: &[Inline<Place>], kind: &str) -> String {
        let refs = self.code(open, Some(&close));
        let kind = match kind {
            "link" => "type=\"link\"".to_string(),
            sub => format!("type=\"fmt\" subType=\"{sub}\""),
        };
        format!("<pc {refs} {kind}>{}</pc>", self.inline(content))
    }

    /// A standalone code.
    fn ph(&mut self, markdown: String, equiv: &str, kind: &str) -> String {
        let refs = self.code(&markdown, None);
        format!("<ph {refs} type=\"{kind}\" equiv=\"{}\"/>", esc(equiv))
    }

    fn inline(&mut self, run: &[Inline<Place>]) -> String {
        let mut out = String::new();
        for i in run {
            let piece = match i {
                Inline::Text { text } => esc(text),
                Inline::Code { text } => self.ph(format!("`{text}`"), text, "fmt"),
                Inline::Break => self.ph("\\\n".into(), "\n", "fmt"),
                Inline::Emph { content } => self.pc("*", "*".into(), content, "xlf:i"),
                Inline::Strong { content } => self.pc("**", "**".into(), content, "xlf:b"),
                Inline::Link { url, content } => self.pc("[", format!("]({url})"), content, "link"),
                Inline::Ref(r) => {
                    let target = ref_target(r);
                    if r.content.is_empty() {
                        self.ph(format!("[]({target})"), &target, "link")
                    } else {
                        self.pc("[", format!("]({target})"), &r.content, "link")
                    }
                }
            };
            out.push_str(&piece);
        }
        out
    }
}
