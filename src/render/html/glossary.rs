//! The glossary page of an edition (issue 14): 用語集 / Glossary, one page per language, made
//! from [`Edition::terms`] alone, so it holds only the terms the edition holds. Each row gives the
//! term in both languages and links to the section that defines it.

use super::{HtmlError, Site};
use crate::config::Lang;
use crate::edition::Edition;
use crate::model::terms::Term;
use crate::render::words;
use serde::Serialize;

/// The glossary's file in `lang`: `glossary.html` for the site's first language, like the index.
pub(super) fn file(edition: &Edition, lang: Lang) -> &'static str {
    if super::index_file(edition, lang) == "index.html" {
        "glossary.html"
    } else {
        "glossary.en.html"
    }
}

#[derive(Debug, Serialize)]
struct Row {
    /// The term in the page's language (the Japanese one when it has no English).
    term: String,
    term_lang: &'static str,
    /// The term in the other language; empty when untranslated.
    other: String,
    other_lang: &'static str,
    /// The defining section: its page and anchor, and its name (document title and number).
    href: Option<String>,
    place: Option<String>,
    note: Option<String>,
}

impl Site<'_> {
    pub(super) fn glossary(&self, lang: Lang) -> Result<String, HtmlError> {
        let mut rows: Vec<Row> = self.edition.terms().iter().map(|t| row(self.edition, t, lang)).collect();
        if lang == Lang::En {
            rows.sort_by_key(|r| r.term.to_lowercase());
        }
        let title = words::site(lang).glossary.to_string();
        let sw = self.switch(lang, file(self.edition, lang.other()).to_string());
        let page = self.page(lang, title, None, "", sw);
        let mut ctx = self.context(lang, page);
        ctx.insert("terms", &rows);
        ctx.insert("english", &(lang == Lang::En));
        self.t.render("glossary.html", &ctx)
    }
}

/// A term as the glossary in `lang` shows it.
fn row(edition: &Edition, t: &Term, lang: Lang) -> Row {
    let en = t.en.clone().unwrap_or_default();
    let (term, term_lang, other, other_lang) = match lang {
        Lang::Ja => (t.ja.clone(), Lang::Ja, en, Lang::En),
        Lang::En if en.is_empty() => (t.ja.clone(), Lang::Ja, String::new(), Lang::En),
        Lang::En => (en, Lang::En, t.ja.clone(), Lang::Ja),
    };
    let place = t.defined.as_ref().and_then(|d| {
        let doc = edition.document(&d.doc)?;
        let s = doc.section(&d.section)?;
        let title = doc.title(lang);
        let name = match &s.number {
            Some(n) => format!("{title} {}", n.path(lang)),
            None => format!("{title} {}", crate::model::plain_text(&s.text(lang).0.title)),
        };
        Some((format!("{}/{}.html#{}", doc.id, lang.code(), s.id), name))
    });
    let (href, place) = place.unzip();
    Row { term, term_lang: term_lang.code(), other, other_lang: other_lang.code(), href, place, note: t.note.clone() }
}
