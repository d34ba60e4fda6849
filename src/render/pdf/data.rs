//! The data a PDF template reads (`data.json`): one document of an edition in one language, as
//! plain JSON values. Every string passes the glyph check here, so that text no font can show
//! stops the build with its place instead of printing tofu.

use super::PdfError;
use crate::config::Lang;
use crate::diag::Loc;
use crate::edition::{Block, Document, Edition, Inline, Section};
use crate::model::numbering::Style;
use crate::model::structure;
use crate::model::wareki::format_date;
use crate::model::xref;
use crate::model::{plain_text, Figure, Kind, Translation};
use crate::render::mark_cells;
use crate::render::words;
use crate::render::Assets;
use serde_json::{json, Value};

/// What a copy says about itself beyond the edition: the recipient of a registered copy.
#[derive(Debug, Clone)]
pub struct CopyMark {
    pub recipient: String,
    pub serial: String,
}

/// The longest run of characters without a break point that a PDF line can hold.
const MAX_WORD: usize = 2000;

/// How deep quotes nest in a PDF (Typst's show rules allow a little more).
const MAX_QUOTE_DEPTH: u32 = 6;

struct Conv<'a> {
    /// Quotes open around the blocks being converted.
    quotes: std::cell::Cell<u32>,
    edition: &'a Edition,
    doc: &'a Document,
    lang: Lang,
    assets: &'a Assets,
    loc: Loc,
}

impl Conv<'_> {
    fn text(&self, s: &str) -> Result<Value, PdfError> {
        // Latin text breaks only at spaces: a longer run than this makes a line no PDF can hold.
        let mut run = 0;
        for c in s.chars() {
            run = if c.is_whitespace() || crate::model::is_wide(c) { 0 } else { run + 1 };
            if run > MAX_WORD {
                let len = s.split(|c: char| c.is_whitespace()).map(|w| w.chars().count()).max().unwrap_or(run);
                return Err(PdfError::Unbreakable { loc: self.loc.clone(), len });
            }
        }
        if let Some(c) = self.assets.missing_glyph(s) {
            return Err(PdfError::MissingGlyph {
                ch: c,
                loc: self.loc.clone(),
                families: self.assets.fonts().families().join(", "),
            });
        }
        Ok(Value::String(s.to_string()))
    }

    fn inlines(&self, inl: &[Inline]) -> Result<Value, PdfError> {
        let mut out = Vec::new();
        let mut run = xref::Run::default();
        for i in inl {
            run.pass(i);
            out.push(match i {
                Inline::Text { text } => json!({"k": "text", "t": self.text(text)?}),
                Inline::Code { text } => json!({"k": "code", "t": self.text(text)?}),
                Inline::Emph { content } => json!({"k": "emph", "c": self.inlines(content)?}),
                Inline::Strong { content } => json!({"k": "strong", "c": self.inlines(content)?}),
                Inline::Link { url, content } => {
                    json!({"k": "link", "url": url, "c": self.inlines(content)?})
                }
                Inline::Break => json!({"k": "br"}),
                Inline::Ref(r) => {
                    let t = self.edition.resolve(r);
                    // Only sections of the same document are linked: other documents are other files.
                    let target = match (t.doc.id == self.doc.id, t.section) {
                        (true, Some(s)) => Value::String(s.id.clone()),
                        _ => Value::Null,
                    };
                    if r.content.is_empty() {
                        let label = run.label(&self.doc.id, t.clone(), self.lang);
                        json!({"k": "ref", "target": target, "c": [{"k": "text", "t": self.text(&label)?}]})
                    } else {
                        json!({"k": "ref", "target": target, "c": self.inlines(&r.content)?})
                    }
                }
            });
        }
        Ok(Value::Array(out))
    }

    fn blocks(&self, blocks: &[Block]) -> Result<Value, PdfError> {
        let mut out = Vec::new();
        for b in blocks {
            out.push(match b {
                Block::Paragraph { number, content } => json!({
                    "k": "p",
                    "num": number.as_ref().map(|n| n.label(self.lang).to_string()),
                    "w": number.as_ref().map_or(0, |n| mark_cells(n.label(self.lang))),
                    "c": self.inlines(content)?,
                }),
                Block::List { ordered, items } => {
                    let mut its = Vec::new();
                    for it in items {
                        its.push(json!({
                            "num": it.number.as_ref().map(|n| n.label(self.lang).to_string()),
                            "w": it.number.as_ref().map_or(0, |n| mark_cells(n.label(self.lang))),
                            "blocks": self.blocks(&it.blocks)?,
                        }));
                    }
                    json!({"k": "list", "ordered": ordered, "items": its})
                }
                Block::Table { align, head, rows } => {
                    let head: Result<Vec<Value>, _> = head.iter().map(|c| self.inlines(c)).collect();
                    let mut rs = Vec::new();
                    for r in rows {
                        let cells: Result<Vec<Value>, _> = r.iter().map(|c| self.inlines(c)).collect();
                        rs.push(Value::Array(cells?));
                    }
                    json!({"k": "table", "align": align, "head": head?, "rows": rs})
                }
                Block::Quote { blocks } => {
                    // Typst limits how deep show rules nest: quotes deeper than a few levels are
                    // typeset at the deepest allowed level.
                    let depth = self.quotes.get();
                    self.quotes.set(depth + 1);
                    let inner = self.blocks(blocks);
                    self.quotes.set(depth);
                    if depth >= MAX_QUOTE_DEPTH {
                        json!({"k": "group", "blocks": inner?})
                    } else {
                        json!({"k": "quote", "blocks": inner?})
                    }
                }
                Block::Code { text } => json!({"k": "code", "t": self.text(text)?}),
                Block::Rule => json!({"k": "rule"}),
                Block::Figure(f) => json!({
                    "k": "figure",
                    "src": image_path(f),
                    "alt": f.alt,
                    "cap": f.caption.as_deref().map(|c| self.text(c)).transpose()?,
                }),
                Block::Classified { level, blocks, .. } => json!({
                    "k": "classified",
                    "label": words::level_tag(self.edition.config(), *level, self.lang),
                    "blocks": self.blocks(blocks)?,
                }),
            });
        }
        Ok(Value::Array(out))
    }
}

/// The virtual file a figure's image is served as to the template (see [`images`]).
fn image_path(f: &Figure) -> String {
    format!("figures/{}", f.file_name())
}

/// The images of `doc`'s figures as virtual files for the template, taken from the edition: the
/// PDF never reads the file system.
pub fn images(edition: &Edition, doc: &Document) -> Vec<(String, Vec<u8>)> {
    let mut out = std::collections::BTreeMap::new();
    for f in crate::model::figure::in_document(doc) {
        if let Some(bytes) = edition.image(&f.digest) {
            out.insert(image_path(f), bytes.to_vec());
        }
    }
    out.into_iter().collect()
}

fn en_file(file: &str) -> String {
    file.strip_suffix(".ja.md").map_or_else(|| file.to_string(), |s| format!("{s}.en.md"))
}

/// The data of `doc` in `lang` for the template.
pub fn document(
    edition: &Edition,
    doc: &Document,
    lang: Lang,
    assets: &Assets,
    copy: Option<&CopyMark>,
) -> Result<Value, PdfError> {
    let mut conv = Conv { quotes: std::cell::Cell::new(0), edition, doc, lang, assets, loc: doc.loc.clone() };
    let preamble = conv.preamble()?;
    let (sections, toc) = conv.sections()?;
    conv.loc = doc.loc.clone();
    let history = conv.history()?;
    let glossary = conv.glossary()?;
    let title = conv.text(doc.title(lang))?;
    let version = match &doc.version {
        Some(v) => Some(conv.text(v)?),
        None => None,
    };
    let m = conv.manifest(copy)?;
    Ok(json!({
        "lang": lang.code(),
        "labels": words::pdf(lang),
        "book": m.book,
        "edition": m.edition,
        "doc": {
            "id": doc.id,
            "title": title,
            "type": doc.doc_type.label(lang),
            "version": version,
            "effective": format_date(doc.effective, lang),
            "numbering": doc.numbering,
            "version-line": doc.version.as_ref().map(|v| words::version_line(lang, v)),
            "effective-line": words::effective_line(lang, &format_date(doc.effective, lang)),
            "year": doc.effective.year,
            "month": doc.effective.month,
            "day": doc.effective.day,
        },
        "classification": m.classification,
        "marking": m.marking,
        "recipient": m.recipient,
        "notice": (lang == Lang::En).then_some(words::AUTHORITATIVE_EN),
        "preamble": preamble,
        "sections": sections,
        "history": history,
        "glossary": glossary,
        "toc": (doc.numbering == Style::Article).then_some(toc),
    }))
}

/// How a section of a rule is typeset: its kind, its 見出し line (articles) or heading (章, 附則,
/// 別表) as printed.
fn rule_parts(conv: &Conv<'_>, s: &Section, lang: Lang) -> Result<Value, PdfError> {
    let title = plain_text(&s.text(lang).0.title);
    let label = s.number.as_ref().map_or("", |n| n.label(lang));
    let (kind, head) = match s.kind {
        Kind::Article { caption, deleted, .. } => {
            ("article", (caption && !deleted).then(|| structure::caption(&title, lang)))
        }
        Kind::Group { .. } => {
            ("group", Some(format!("{label}{}{title}", if lang == Lang::Ja { "\u{3000}" } else { " " })))
        }
        Kind::Supplementary { .. } => ("supplementary", Some(label.to_string())),
        Kind::Appendix { .. } => ("appendix", Some(label.to_string())),
        Kind::Plain => ("plain", None),
    };
    let head = match head {
        Some(h) => Some(conv.text(&h)?),
        None => None,
    };
    Ok(json!({"kind": kind, "head": head}))
}

/// What a PDF shows from book.toml and the command line.
struct Manifest {
    book: Value,
    edition: Value,
    classification: Value,
    marking: Option<Value>,
    recipient: Option<Value>,
}

impl Conv<'_> {
    /// The preamble, in `lang` or else in Japanese.
    fn preamble(&mut self) -> Result<Value, PdfError> {
        let doc = self.doc;
        match doc.preamble.get(self.lang) {
            Some(p) => {
                if self.lang == Lang::En {
                    self.loc.file = en_file(&doc.loc.file);
                }
                self.blocks(p)
            }
            None => self.blocks(&doc.preamble.ja),
        }
    }

    /// The sections, and for a rule the lines of its 目次.
    fn sections(&mut self) -> Result<(Vec<Value>, Vec<Value>), PdfError> {
        let (doc, lang) = (self.doc, self.lang);
        let (mut sections, mut toc) = (Vec::new(), Vec::new());
        for s in doc.walk() {
            let (text, fallback) = s.text(lang);
            self.loc = text.loc.clone();
            // A Japanese fallback inside an English PDF is typeset as Japanese.
            let shown_lang = if fallback { Lang::Ja } else { lang };
            let mut v = json!({
                "id": s.id,
                "depth": s.depth,
                "number": s.number.as_ref().map(|n| n.label(lang).to_string()),
                "w": s.number.as_ref().map_or(0, |n| mark_cells(n.label(lang))),
                "title": self.inlines(&text.title)?,
                "blocks": self.blocks(&structure::printed_blocks(s, &text.blocks, lang))?,
                "lang": shown_lang.code(),
                "fallback": fallback,
                "stale": lang == Lang::En && s.translation == Translation::Stale,
            });
            if doc.numbering == Style::Article {
                v["rule"] = rule_parts(self, s, shown_lang)?;
                if structure::in_toc(doc, s) {
                    let label = structure::toc_label(s, lang).unwrap_or_else(|| plain_text(&text.title));
                    toc.push(json!({"id": s.id, "depth": s.depth, "text": self.text(&label)?}));
                }
            }
            sections.push(v);
        }
        Ok((sections, toc))
    }

    fn history(&self) -> Result<Vec<Value>, PdfError> {
        let lang = self.lang;
        let mut history = Vec::new();
        for r in &self.doc.history {
            history.push(json!({
                "date": self.text(&format_date(r.date, lang))?,
                "kind": self.text(r.kind_label(lang, &self.edition.config().history.kinds))?,
                "note": self.text(r.note(lang))?,
            }));
        }
        Ok(history)
    }

    /// The annex of the terms this document defines (the edition's termbase, so nothing above
    /// its ceiling): each term in the PDF's language and in the other.
    fn glossary(&mut self) -> Result<Vec<Value>, PdfError> {
        let mut out = Vec::new();
        for t in self.edition.terms().iter().filter(|t| t.defined.as_ref().is_some_and(|d| d.doc == self.doc.id)) {
            self.loc = t.loc.clone();
            let en = t.en.as_deref().unwrap_or_default();
            let (term, other) = match self.lang {
                Lang::En if !en.is_empty() => (en, t.ja.as_str()),
                _ => (t.ja.as_str(), en),
            };
            out.push(json!({"term": self.text(term)?, "other": self.text(other)?}));
        }
        Ok(out)
    }

    fn manifest(&mut self, copy: Option<&CopyMark>) -> Result<Manifest, PdfError> {
        let (edition, lang) = (self.edition, self.lang);
        let config = edition.config();
        self.loc = Loc::new(crate::model::MANIFEST, 1, 1);
        let book = json!({
            "title": self.text(config.book.title.get(lang))?,
            "organization": self.text(config.book.organization.get(lang))?,
        });
        let title = match &edition.def().title {
            Some(t) => Some(self.text(t.get(lang))?),
            None => None,
        };
        let classification = self.text(&words::level(config, edition.ceiling(), lang))?;
        let marking = match words::edition_marking(edition, lang) {
            Some(m) => Some(self.text(&m)?),
            None => None,
        };
        let recipient = match copy {
            Some(c) => {
                self.loc = Loc::new("--recipient", 1, 1);
                Some(json!({"name": self.text(&c.recipient)?, "serial": c.serial}))
            }
            None => None,
        };
        let edition = json!({ "name": edition.name(), "title": title });
        Ok(Manifest { book, edition, classification, marking, recipient })
    }
}
