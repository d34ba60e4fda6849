//! `policybook translation import FILE.xlf`: writes a package's targets back into the English
//! files. A unit is taken only when every segment's source is still the current Japanese (as the
//! package's edition shows it) and every changed segment can be placed on its line of the `.en.md`
//! file; then its lines are rewritten (title, paragraph, list item) keeping ids, classes,
//! references and containers, and the section is confirmed. The Japanese is never written.
//!
//! Its refusals (`xliff-refused.*`) and errors are in the catalogue (`diag/catalogue.rs`).

use super::super::confirm::{apply, set_fingerprint, Edits};
use super::super::Book;
use crate::diag::{Localize, Message};
use crate::edition::{Edition, Section, UnknownEdition};
use crate::render::xliff::{markdown, runs, NS, PB};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", self.text())]
    Format { file: String, message: String },
    #[error(transparent)]
    Edition(#[from] UnknownEdition),
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
    #[error("{}", self.text())]
    Write { file: String, source: std::io::Error },
}

impl Localize for ImportError {
    fn text(&self) -> Message {
        match self {
            ImportError::Format { file, message } => {
                Message::new("xliff-format").arg("file", file).arg("error", message)
            }
            ImportError::Edition(e) => e.text(),
            ImportError::Source(e) => e.text(),
            ImportError::Write { file, source } => Message::new("io-write").arg("path", file).arg("error", source),
        }
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Sections written and confirmed (`doc#id`).
    pub confirmed: Vec<String>,
    /// Sections written but not confirmed: they hold parts above the package's edition.
    pub unconfirmed: Vec<String>,
    /// Sections refused, with the reason.
    pub refused: Vec<(String, Message)>,
    /// The English files written.
    pub files: Vec<String>,
}

struct Unit {
    doc: String,
    id: String,
    /// (segment id, source, target) with inline codes as Markdown.
    segments: Vec<(String, String, Option<String>)>,
    /// Every segment is `reviewed` or `final`: the translator accepts the English as it is.
    reviewed: bool,
}

/// Imports the package `xml` (read from `file`, for messages) into `book`'s English files.
pub fn import(book: &Book, file: &str, xml: &str) -> Result<Report, ImportError> {
    let (edition, units) = parse(xml).map_err(|message| ImportError::Format { file: file.into(), message })?;
    let edition = Edition::filter(book.project(), &edition)?;
    let mut texts: HashMap<String, Vec<String>> = HashMap::new();
    let mut edits = Edits::new();
    let mut report = Report::default();
    for u in &units {
        let key = format!("{}#{}", u.doc, u.id);
        match plan(book, &edition, u, &mut texts)? {
            Err(reason) => report.refused.push((key, reason)),
            Ok(None) => {}
            Ok(Some((lines, confirmed))) => {
                for (f, l, text) in lines {
                    edits.entry(f).or_default().insert(l, text);
                }
                if confirmed {
                    report.confirmed.push(key)
                } else {
                    report.unconfirmed.push(key)
                }
            }
        }
    }
    for (f, lines) in &edits {
        let text = book.source().read_text(f)?;
        // Atomically: a killed import must not leave an English file cut short.
        super::super::output::write_atomically(&book.dir().join(f), apply(&text, lines).as_bytes())
            .map_err(|source| ImportError::Write { file: f.clone(), source })?;
        report.files.push(f.clone());
    }
    Ok(report)
}

type Lines = Vec<(String, u32, String)>;

/// The new lines of one unit and whether it is confirmed (`None`: nothing to do), or why it is
/// refused. A unit whose targets are the English as it is counts only when the section is not
/// current and the translator marked every segment reviewed.
fn plan(
    book: &Book,
    edition: &Edition,
    u: &Unit,
    texts: &mut HashMap<String, Vec<String>>,
) -> Result<Result<Option<(Lines, bool)>, Message>, ImportError> {
    let Some((doc, s)) = edition.document(&u.doc).and_then(|d| d.section(&u.id).map(|s| (d, s))) else {
        let m = Message::new("xliff-refused.no-section").arg("id", &u.id).arg("doc", &u.doc);
        return Ok(Err(m.arg("edition", edition.name())));
    };
    let Some(en) = &s.en else {
        return Ok(Err(Message::new("xliff-refused.untranslated")));
    };
    let (ja, en_runs) = (runs(&s.ja), runs(en));
    if let Some(seg) = changed_source(&ja, &u.segments) {
        return Ok(Err(Message::new("xliff-refused.changed").arg("seg", seg)));
    }
    if en_runs.len() != ja.len() {
        return Ok(Err(Message::new("xliff-refused.structure")));
    }
    let file = en.loc.file.clone();
    if !texts.contains_key(&file) {
        let t = book.source().read_text(&file)?;
        texts.insert(file.clone(), t.lines().map(str::to_string).collect());
    }
    let lines = &texts[&file];
    let end = section_end(doc, s, &file).unwrap_or(lines.len() as u32 + 1);
    let mut heading = lines.get(en.loc.line as usize - 1).cloned().unwrap_or_default();
    let mut out: Lines = Vec::new();
    let mut changed = false;
    for (i, (seg, _, target)) in u.segments.iter().enumerate() {
        let Some(target) = target.as_ref().filter(|t| **t != markdown(en_runs[i])) else { continue };
        changed = true;
        if i == 0 {
            heading = retitle(&heading, target);
            continue;
        }
        let placed = place(lines, &doc.id, en.loc.line + 1, end, &markdown(en_runs[i]), target);
        match placed {
            Some((l, text)) => out.push((file.clone(), l, text)),
            None => return Ok(Err(Message::new("xliff-refused.unplaced").arg("seg", seg).arg("file", file))),
        }
    }
    if !changed && (s.translation == crate::model::Translation::Current || !u.reviewed) {
        return Ok(Ok(None));
    }
    let raw = book.project().document(&u.doc).and_then(|d| d.section(&u.id));
    let record = raw.map(|r| r.fingerprint.clone()).unwrap_or_default();
    let whole = raw.is_some_and(|r| r.fingerprints.iter().all(|f| *f == r.fingerprints[0]));
    if whole {
        heading = set_fingerprint(&heading, &record).unwrap_or(heading);
    }
    out.push((file, en.loc.line, heading));
    Ok(Ok(Some((out, whole))))
}

/// The first segment whose source is not the current Japanese run, or `None` when all match.
fn changed_source(
    ja: &[&[crate::model::Inline<crate::model::xref::Place>]],
    segs: &[(String, String, Option<String>)],
) -> Option<String> {
    if ja.len() != segs.len() {
        return Some(segs.get(ja.len().min(segs.len())).map_or("(count)".into(), |s| s.0.clone()));
    }
    ja.iter().zip(segs).find(|(run, seg)| markdown(run).trim() != seg.1.trim()).map(|(_, seg)| seg.0.clone())
}

/// The line of the next heading after section `s` in `file`, if it is in that file.
fn section_end(doc: &crate::edition::Document, s: &Section, file: &str) -> Option<u32> {
    let all = doc.walk();
    let at = all.iter().position(|x| x.id == s.id)?;
    let next = all.get(at + 1)?.en.as_ref()?;
    (next.loc.file == file).then_some(next.loc.line)
}

/// A heading line with its text replaced, its `#`s and `{…}` kept.
fn retitle(line: &str, title: &str) -> String {
    let hashes = line.len() - line.trim_start_matches('#').len();
    let attrs = line.rfind('{').map_or("", |at| &line[at..]);
    format!("{} {title} {attrs}", &line[..hashes]).trim_end().to_string()
}

/// The one line of `lines[from-1..to-1]` holding `current` (references written `[](#id)` read as
/// `[](doc#id)`), with it replaced by `target`.
fn place(lines: &[String], doc: &str, from: u32, to: u32, current: &str, target: &str) -> Option<(u32, String)> {
    let mut found = None;
    for l in from..to {
        let line = lines.get(l as usize - 1)?;
        let norm = line.replace("](#", &format!("]({doc}#"));
        if norm.matches(current).count() == 1 {
            if found.is_some() {
                return None;
            }
            found = Some((l, norm.replacen(current, target, 1)));
        }
    }
    found
}

/// The edition and the units of a package, inline codes turned back into Markdown.
fn parse(xml: &str) -> Result<(String, Vec<Unit>), String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    if root.tag_name().name() != "xliff" || root.tag_name().namespace() != Some(NS) {
        return Err(format!("the root element is not <xliff> of {NS}"));
    }
    let edition = root.attribute((PB, "edition")).ok_or("no pb:edition on <xliff>")?.to_string();
    let mut units = Vec::new();
    for file in root.children().filter(|n| n.has_tag_name((NS, "file"))) {
        let doc_id = file.attribute("id").ok_or("a <file> without id")?;
        for unit in file.descendants().filter(|n| n.has_tag_name((NS, "unit"))) {
            let data: BTreeMap<&str, String> = unit
                .descendants()
                .filter(|n| n.has_tag_name((NS, "data")))
                .filter_map(|d| Some((d.attribute("id")?, d.text().unwrap_or("").to_string())))
                .collect();
            let mut segments = Vec::new();
            let mut reviewed = true;
            for seg in unit.children().filter(|n| n.has_tag_name((NS, "segment"))) {
                let part = |name: &str| seg.children().find(|n| n.has_tag_name((NS, name))).map(|n| content(n, &data));
                let source = part("source").ok_or("a <segment> without <source>")?;
                reviewed &= matches!(seg.attribute("state"), Some("reviewed" | "final"));
                segments.push((seg.attribute("id").unwrap_or("").to_string(), source, part("target")));
            }
            let id = unit.attribute("id").ok_or("a <unit> without id")?.to_string();
            units.push(Unit { doc: doc_id.to_string(), id, segments, reviewed });
        }
    }
    Ok((edition, units))
}

/// The text of a `<source>` or `<target>`, each inline code replaced by the Markdown it stands for.
fn content(node: roxmltree::Node, data: &BTreeMap<&str, String>) -> String {
    let mut out = String::new();
    for n in node.children() {
        if n.is_text() {
            out.push_str(n.text().unwrap_or(""));
            continue;
        }
        let get = |attr: &str| n.attribute(attr).and_then(|d| data.get(d)).cloned().unwrap_or_default();
        out.push_str(&get("dataRefStart"));
        out.push_str(&get("dataRef"));
        out.push_str(&content(n, data));
        out.push_str(&get("dataRefEnd"));
    }
    out
}
