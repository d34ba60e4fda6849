//! The data a PDF template reads (`data.json`): one document of an edition in one language, as
//! plain JSON values. Every string passes the glyph check here, so that text no font can show
//! stops the build with its place instead of printing tofu.

use super::PdfError;
use crate::config::{Lang, Level};
use crate::diag::Loc;
use crate::edition::Edition;
use crate::model::wareki::format_date;
use crate::model::xref;
use crate::model::{Block, Document, Inline, Translation};
use crate::render::mark_cells;
use crate::render::typeset::Fonts;
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
    fonts: &'a Fonts,
    loc: Loc,
}

/// Characters that need no glyph: controls, spaces, joiners and variation selectors.
fn needs_no_glyph(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
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
        if let Some(c) = s.chars().find(|&c| !needs_no_glyph(c) && !self.fonts.covers(c)) {
            return Err(PdfError::MissingGlyph {
                ch: c,
                loc: self.loc.clone(),
                families: self.fonts.families().join(", "),
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
                Inline::Ref(r) => match self.edition.resolve(r) {
                    Some(t) => {
                        // Only sections of the same document are linked: other documents are other files.
                        let target = match (t.doc.id == self.doc.id, t.section) {
                            (true, Some(s)) => Value::String(s.id.clone()),
                            _ => Value::Null,
                        };
                        if r.content.is_empty() {
                            let label = run.label(&self.doc.id, t, self.lang);
                            json!({"k": "ref", "target": target, "c": [{"k": "text", "t": self.text(&label)?}]})
                        } else {
                            json!({"k": "ref", "target": target, "c": self.inlines(&r.content)?})
                        }
                    }
                    None => json!({"k": "text", "t": self.text(&crate::model::plain_text(&r.content))?}),
                },
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
                Block::Classified { level, blocks, .. } => json!({
                    "k": "classified",
                    "label": self.level_name(*level),
                    "blocks": self.blocks(blocks)?,
                }),
            });
        }
        Ok(Value::Array(out))
    }

    /// The tag of a classified block: 【機密性3 関係者限り】, [Confidentiality 3: Authorized personnel only].
    fn level_name(&self, level: Level) -> String {
        let d = self.edition.config().level_def(level);
        match self.lang {
            Lang::Ja => format!("【{} {}】", d.label.ja, d.marking.ja),
            Lang::En => format!("[{}: {}]", d.label.en, d.marking.en),
        }
    }
}

/// The fixed words of a PDF in `lang`.
fn labels(lang: Lang) -> Value {
    match lang {
        Lang::Ja => json!({
            "toc": "目次",
            "history": "改定履歴",
            "date": "年月日",
            "kind": "区分",
            "note": "内容",
            "version": "版",
            "effective": "施行日",
            "recipient": "配付先",
            "serial": "通し番号",
            "untranslated": "",
            "stale": "",
            "preamble": "前文",
        }),
        Lang::En => json!({
            "toc": "Contents",
            "history": "Revision history",
            "date": "Date",
            "kind": "Type",
            "note": "Description",
            "version": "Version",
            "effective": "Effective",
            "recipient": "Recipient",
            "serial": "Serial no.",
            "untranslated": "Not yet translated: the Japanese text is shown.",
            "stale": "The Japanese text of this section has changed since it was translated; this translation may be out of date.",
            "preamble": "Preamble",
        }),
    }
}

/// The notice every English PDF carries.
pub const AUTHORITATIVE_EN: &str = "This English version is a reference translation. The Japanese text is authoritative; in case of any discrepancy, the Japanese text prevails.";

fn en_file(file: &str) -> String {
    file.strip_suffix(".ja.md").map_or_else(|| file.to_string(), |s| format!("{s}.en.md"))
}

/// Every section of `doc`, depth first, with its mark's width on the character grid.
fn sections(conv: &mut Conv<'_>, doc: &Document, lang: Lang) -> Result<Vec<Value>, PdfError> {
    let mut sections = Vec::new();
    for s in doc.walk() {
        let (text, fallback) = s.text(lang);
        conv.loc = text.loc.clone();
        // A Japanese fallback inside an English PDF is typeset as Japanese.
        let shown_lang = if fallback { Lang::Ja } else { lang };
        sections.push(json!({
            "id": s.id,
            "depth": s.depth,
            "number": s.number.as_ref().map(|n| n.label(lang).to_string()),
            "w": s.number.as_ref().map_or(0, |n| mark_cells(n.label(lang))),
            "title": conv.inlines(&text.title)?,
            "blocks": conv.blocks(&text.blocks)?,
            "lang": shown_lang.code(),
            "fallback": fallback,
            "stale": lang == Lang::En && s.translation == Translation::Stale,
        }));
    }
    Ok(sections)
}

/// The 改定履歴 rows of `doc`.
fn history(conv: &Conv<'_>, doc: &Document, lang: Lang) -> Result<Vec<Value>, PdfError> {
    let mut rows = Vec::new();
    for r in &doc.history {
        rows.push(json!({
            "date": conv.text(&format_date(r.date, lang))?,
            "kind": conv.text(r.kind_label(lang))?,
            "note": conv.text(r.note(lang))?,
        }));
    }
    Ok(rows)
}

/// What the cover, the metadata and the header say about `doc`.
fn doc_meta(conv: &Conv<'_>, doc: &Document, lang: Lang) -> Result<Value, PdfError> {
    let title = conv.text(doc.title(lang))?;
    let version = match &doc.version {
        Some(v) => Some(conv.text(v)?),
        None => None,
    };
    Ok(json!({
        "id": doc.id,
        "title": title,
        "type": doc.doc_type.label(lang),
        "version": version,
        "effective": format_date(doc.effective, lang),
        "numbering": doc.numbering,
        "version-line": doc.version.as_ref().map(|v| match lang {
            Lang::Ja => format!("第{v}版"),
            Lang::En => format!("Version {v}"),
        }),
        "effective-line": match lang {
            Lang::Ja => format!("{}施行", format_date(doc.effective, lang)),
            Lang::En => format!("Effective {}", format_date(doc.effective, lang)),
        },
        "year": doc.effective.year,
        "month": doc.effective.month,
        "day": doc.effective.day,
    }))
}

/// The data of `doc` in `lang` for the template.
pub fn document(
    edition: &Edition,
    doc: &Document,
    lang: Lang,
    fonts: &Fonts,
    copy: Option<&CopyMark>,
) -> Result<Value, PdfError> {
    let config = edition.config();
    let mut conv = Conv { quotes: std::cell::Cell::new(0), edition, doc, lang, fonts, loc: doc.loc.clone() };
    if lang == Lang::En {
        conv.loc.file = en_file(&conv.loc.file);
    }
    let preamble = match doc.preamble.get(lang) {
        Some(p) => conv.blocks(p)?,
        None => {
            conv.loc = doc.loc.clone();
            conv.blocks(&doc.preamble.ja)?
        }
    };
    let sections = sections(&mut conv, doc, lang)?;
    conv.loc = doc.loc.clone();
    let history = history(&conv, doc, lang)?;
    let ceiling = config.level_def(edition.ceiling());
    let doc_value = doc_meta(&conv, doc, lang)?;
    // The rest comes from book.toml and the command line.
    conv.loc = Loc::new(crate::model::MANIFEST, 1, 1);
    let book_title = conv.text(config.book.title.get(lang))?;
    let organization = conv.text(config.book.organization.get(lang))?;
    let edition_title = match &edition.def().title {
        Some(t) => Some(conv.text(t.get(lang))?),
        None => None,
    };
    let classification = conv.text(&format!("{} {}", ceiling.label.get(lang), ceiling.marking.get(lang)))?;
    let marking = match edition.marking(lang) {
        Some(m) => Some(conv.text(&m)?),
        None => None,
    };
    let recipient = match copy {
        Some(c) => {
            conv.loc = Loc::new("--recipient", 1, 1);
            Some(json!({"name": conv.text(&c.recipient)?, "serial": c.serial}))
        }
        None => None,
    };
    Ok(json!({
        "lang": lang.code(),
        "labels": labels(lang),
        "book": {
            "title": book_title,
            "organization": organization,
        },
        "edition": {
            "name": edition.name(),
            "title": edition_title,
        },
        "doc": doc_value,
        "classification": classification,
        "marking": marking,
        "recipient": recipient,
        "notice": (lang == Lang::En).then_some(AUTHORITATIVE_EN),
        "preamble": preamble,
        "sections": sections,
        "history": history,
    }))
}
