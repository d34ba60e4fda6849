//! HTML renderer: a static site per edition (issue 3).
//!
//! Pages are tera templates (`templates/html/*.html`, built into the binary; a project overrides
//! any of them with a file of the same name in its own `templates/html/`, resolved in
//! [`Assets`]). Templates get plain strings, which tera escapes, and document content that
//! [`body`] has already turned into HTML, escaping every piece of source text. The renderer only
//! sees the filtered [`Edition`], so nothing above its ceiling can reach a page, the search index
//! or the sitemap.
//!
//! Layout of an edition's folder: `index.html` (Japanese) and `index.en.html`, `<doc>/ja.html`,
//! `<doc>/en.html`, `<doc>/parallel.html`, `glossary.html` and `glossary.en.html` (when the
//! edition holds terms), `style.css`, `site.js`, `search-index.json`, and
//! `sitemap.xml` for the public edition when `[html] base-url` is set.

mod body;
mod glossary;
mod search;

use crate::config::{KindWording, Lang};
use crate::diag::{Localize, Message};
use crate::edition::{Document, Edition};
use crate::model::translation;
use crate::model::wareki::format_date;
use crate::render::words;
use crate::render::Assets;
use crate::render::Files;
use body::{esc, Ctx};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

pub use body::{esc as escape_html, safe_url};

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("{}", self.text())]
    /// `hint`: the catalogue key of the message, which says what to do; `line` and `column`
    /// (1-based) of the template `name` where tera found the problem.
    Template { name: String, line: u32, column: u32, message: String, hint: &'static str },
    #[error("{}", self.text())]
    Json(#[from] serde_json::Error),
}

impl Localize for HtmlError {
    fn text(&self) -> Message {
        match self {
            HtmlError::Template { name, message, hint, .. } => {
                Message::new(hint).arg("name", name).arg("detail", message)
            }
            HtmlError::Json(e) => Message::new("html-search-index").arg("detail", e),
        }
    }
}

/// The kind of page content is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Lang(Lang),
    Parallel,
}

struct Templates {
    tera: tera::Tera,
    css: String,
    js: String,
}

impl Templates {
    fn load(assets: &Assets) -> Result<Templates, HtmlError> {
        let mut tera = tera::Tera::new();
        let mut css = String::new();
        let mut js = String::new();
        for t in assets.html() {
            match t.name {
                "style.css" => css = t.text.clone(),
                "site.js" => js = t.text.clone(),
                name => tera
                    .add_raw_template(name, &t.text)
                    .map_err(|e| template_error(name, &e, "html-template.syntax"))?,
            }
        }
        Ok(Templates { tera, css, js })
    }

    fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, HtmlError> {
        self.tera.render(name, ctx).map_err(|e| template_error(name, &e, "html-template.render"))
    }
}

/// A tera error in template `name`, at the place tera reports (which may be in the template it
/// extends), else at the template's start; `hint` is the catalogue key.
fn template_error(name: &str, e: &tera::Error, hint: &'static str) -> HtmlError {
    let (name, line, column) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            (r.filename(), span.start_line as u32, span.start_col as u32 + 1)
        }
        _ => (name, 1, 1),
    };
    HtmlError::Template { name: name.into(), line, column, message: tera_message(e), hint }
}

fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// What every page template gets (`page.*`).
#[derive(Debug, Serialize)]
struct PageCtx {
    lang: &'static str,
    title: String,
    /// `lang` of the page title when it differs from the page (an untranslated title).
    title_lang: Option<&'static str>,
    book_title: String,
    organization: String,
    edition_title: Option<String>,
    marking: Option<String>,
    /// The print stylesheet that puts the marking in the margin of every printed page.
    marking_css: Option<String>,
    /// The stylesheet of figures, linked only by sites that have figures ([`FIGURES_CSS`]).
    figures_css: Option<String>,
    noindex: bool,
    /// Relative path from the page to the site root ("" or "../").
    root: String,
    index_href: String,
    /// The edition's glossary page, when it holds terms.
    glossary_href: Option<String>,
    /// The same page in the other language (with the anchor kept by site.js).
    switch: Option<Switch>,
    search_form: bool,
}

#[derive(Debug, Serialize)]
struct Switch {
    href: String,
    lang: &'static str,
    label: String,
}

/// The site's languages: Japanese first.
fn languages(edition: &Edition) -> Vec<Lang> {
    Lang::ALL.into_iter().filter(|l| edition.def().languages.contains(l)).collect()
}

fn index_file(edition: &Edition, lang: Lang) -> &'static str {
    if languages(edition).first() == Some(&lang) {
        "index.html"
    } else {
        "index.en.html"
    }
}

struct Site<'a> {
    edition: &'a Edition,
    options: &'a Options,
    t: Templates,
    langs: Vec<Lang>,
}

impl<'a> Site<'a> {
    fn page(&self, lang: Lang, title: String, title_lang: Option<Lang>, root: &str, switch: Option<Switch>) -> PageCtx {
        let c = self.edition.config();
        let marking = words::edition_marking(self.edition, lang);
        PageCtx {
            lang: lang.code(),
            title,
            title_lang: title_lang.filter(|l| *l != lang).map(Lang::code),
            book_title: c.book.title.get(lang).to_string(),
            organization: c.book.organization.get(lang).to_string(),
            edition_title: self.edition.def().title.as_ref().map(|t| t.get(lang).to_string()),
            noindex: !self.edition.is_public(),
            marking_css: marking.as_ref().map(|_| format!("{root}marking-{}.css", lang.code())),
            figures_css: self.edition.has_images().then(|| format!("{root}figures.css")),
            marking,
            root: root.into(),
            index_href: format!("{root}{}", index_file(self.edition, lang)),
            glossary_href: (!self.edition.terms().is_empty())
                .then(|| format!("{root}{}", glossary::file(self.edition, lang))),
            switch,
            search_form: true,
        }
    }

    fn switch(&self, lang: Lang, href: String) -> Option<Switch> {
        let other = lang.other();
        self.langs.contains(&other).then(|| Switch {
            href,
            lang: other.code(),
            label: words::site(lang).page_lang_switch.to_string(),
        })
    }

    fn context(&self, lang: Lang, page: PageCtx) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("page", &page);
        ctx.insert("t", words::site(lang));
        ctx
    }

    fn doc_title(doc: &Document, lang: Lang) -> (String, Lang) {
        match doc.title.get(lang) {
            Some(t) => (t.clone(), lang),
            None => (doc.title.ja.clone(), Lang::Ja),
        }
    }

    fn index(&self, lang: Lang) -> Result<String, HtmlError> {
        #[derive(Serialize)]
        struct Row {
            id: String,
            title: String,
            title_lang: Option<&'static str>,
            doc_type: String,
            version: Option<String>,
            effective: String,
            effective_iso: String,
            href: String,
            other: Option<Switch>,
            parallel: Option<String>,
            level: Option<String>,
            /// Only on the index of internal and restricted editions.
            translation: Option<String>,
        }
        let rows: Vec<Row> = self
            .edition
            .documents()
            .iter()
            .map(|d| {
                let (title, tl) = Self::doc_title(d, lang);
                Row {
                    id: d.id.clone(),
                    title,
                    title_lang: (tl != lang).then(|| tl.code()),
                    doc_type: d.doc_type.label(lang).into(),
                    version: d.version.clone(),
                    effective: format_date(d.effective, lang),
                    effective_iso: d.effective.iso(),
                    href: format!("{}/{}.html", d.id, lang.code()),
                    other: self
                        .switch(lang, format!("{}/{}.html", d.id, lang.other().code()))
                        .map(|s| Switch { label: words::site(lang.other()).language_name.to_string(), ..s }),
                    parallel: (self.langs.len() == 2).then(|| format!("{}/parallel.html", d.id)),
                    level: words::marking(self.edition.config(), d.level, lang),
                    translation: (!self.edition.is_public())
                        .then(|| words::translation_counts(&translation::Counts::of(d), lang)),
                }
            })
            .collect();
        let title = words::site(lang).documents.to_string();
        let sw = self.switch(lang, index_file(self.edition, lang.other()).to_string());
        let mut page = self.page(lang, title, None, "", sw);
        page.search_form = false;
        let mut ctx = self.context(lang, page);
        ctx.insert("documents", &rows);
        ctx.insert("english", &(lang == Lang::En));
        self.t.render("index.html", &ctx)
    }

    fn document(&self, doc: &Document, lang: Lang) -> Result<String, HtmlError> {
        let stale = Some(&self.options.stale);
        let bctx = Ctx { edition: self.edition, doc, lang, around: lang, page: Page::Lang(lang), stale };
        let (preamble, body) = body::document_body(&bctx);
        let toc = body::toc(&bctx);
        let (title, tl) = Self::doc_title(doc, lang);
        let sw = self.switch(lang, format!("{}.html", lang.other().code()));
        let page = self.page(lang, title, Some(tl), "../", sw);
        let mut ctx = self.context(lang, page);
        ctx.insert("doc", &self.doc_meta(doc, lang));
        ctx.insert("toc", &toc);
        ctx.insert("preamble", &preamble);
        ctx.insert("body", &body);
        ctx.insert("english", &(lang == Lang::En));
        ctx.insert("history", &history(doc, lang, &self.edition.config().history.kinds));
        ctx.insert("versions", &self.options.versions.contains(&doc.id));
        self.t.render("document.html", &ctx)
    }

    fn parallel(&self, doc: &Document) -> Result<String, HtmlError> {
        let (preamble, body) = body::parallel_body(self.edition, doc);
        let (title_en, tl_en) = Self::doc_title(doc, Lang::En);
        let mut page =
            self.page(Lang::Ja, format!("{}（{}）", doc.title.ja, words::site(Lang::Ja).parallel), None, "../", None);
        page.switch = None;
        let mut ctx = self.context(Lang::Ja, page);
        ctx.insert("doc", &self.doc_meta(doc, Lang::Ja));
        ctx.insert("title_en", &title_en);
        ctx.insert("title_en_lang", tl_en.code());
        ctx.insert("t_en", words::site(Lang::En));
        ctx.insert("preamble", &preamble);
        ctx.insert("body", &body);
        self.t.render("parallel.html", &ctx)
    }

    fn doc_meta(&self, doc: &Document, lang: Lang) -> DocMeta {
        DocMeta {
            level: words::marking(self.edition.config(), doc.level, lang),
            id: doc.id.clone(),
            doc_type: doc.doc_type.label(lang).into(),
            version: doc.version.clone(),
            effective: format_date(doc.effective, lang),
            effective_iso: doc.effective.iso(),
            parallel: (self.langs.len() == 2).then(|| "parallel.html".to_string()),
            ja_href: self.langs.contains(&Lang::Ja).then(|| "ja.html".to_string()),
            en_href: self.langs.contains(&Lang::En).then(|| "en.html".to_string()),
        }
    }

    fn search_index(&self) -> Result<String, HtmlError> {
        let mut idx = search::Index::default();
        for doc in self.edition.documents() {
            for &lang in &self.langs {
                let bctx = Ctx { edition: self.edition, doc, lang, around: lang, page: Page::Lang(lang), stale: None };
                let dtitle = Self::doc_title(doc, lang).0;
                if let Some(pre) = doc.preamble.get(lang).filter(|p| !p.is_empty()) {
                    let mut x = String::new();
                    body::plain_blocks(&bctx, pre, &mut x);
                    idx.add(search::Entry {
                        u: format!("{}/{}.html", doc.id, lang.code()),
                        l: lang.code(),
                        d: dtitle.clone(),
                        t: dtitle.clone(),
                        x,
                    });
                }
                for s in doc.walk() {
                    let (text, fell) = s.text(lang);
                    if fell {
                        continue; // the Japanese page holds it
                    }
                    let mut t = String::new();
                    if let Some(n) = &s.number {
                        t.push_str(n.path(lang));
                        t.push(' ');
                    }
                    t.push_str(&body::plain_inlines(&bctx, &text.title));
                    let mut x = String::new();
                    body::plain_blocks(&bctx, &text.blocks, &mut x);
                    idx.add(search::Entry {
                        u: format!("{}/{}.html#{}", doc.id, lang.code(), s.id),
                        l: lang.code(),
                        d: dtitle.clone(),
                        t,
                        x: x.trim_end().to_string(),
                    });
                }
            }
        }
        Ok(serde_json::to_string(&idx)?)
    }

    fn sitemap(&self, base: &str, files: &Files) -> String {
        let base = base.trim_end_matches('/');
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for name in files.keys().filter(|n| n.ends_with(".html")) {
            out.push_str(&format!("  <url><loc>{}</loc></url>\n", esc(&format!("{base}/{name}"))));
        }
        out.push_str("</urlset>\n");
        out
    }
}

/// The style of figures, a file of its own so that sites without figures stay as they were.
const FIGURES_CSS: &str = "figure { margin: 1rem 0; text-align: center; }\n\
figure img { max-width: 100%; height: auto; }\n\
figcaption { margin-top: 0.4rem; font-size: 0.95em; }\n\
@media print { figure { break-inside: avoid; } }\n";

/// A CSS string literal: every character outside printable ASCII letters, digits and spaces is
/// written as an escape, so no marking text can end the string or the rule.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// The print marking of a classified edition: in the top and bottom margin of every page.
fn marking_css(marking: &str) -> String {
    let m = css_string(marking);
    format!(
        "/* policybook: the classification marking of this edition, on every printed page. */\n\
         @media print {{\n  .marking {{ display: none; }}\n}}\n\
         @page {{\n  @top-center {{ content: {m}; font-weight: bold; font-size: 10pt; }}\n  \
         @bottom-center {{ content: {m}; font-weight: bold; font-size: 10pt; }}\n}}\n"
    )
}

#[derive(Debug, Serialize)]
struct DocMeta {
    level: Option<String>,
    id: String,
    doc_type: String,
    version: Option<String>,
    effective: String,
    effective_iso: String,
    parallel: Option<String>,
    ja_href: Option<String>,
    en_href: Option<String>,
}

#[derive(Debug, Serialize)]
struct HistoryRow {
    date: String,
    date_iso: String,
    kind: String,
    note: String,
    note_lang: Option<&'static str>,
}

fn history(doc: &Document, lang: Lang, kinds: &BTreeMap<String, KindWording>) -> Vec<HistoryRow> {
    doc.history
        .iter()
        .map(|r| HistoryRow {
            date: format_date(r.date, lang),
            date_iso: r.date.iso(),
            kind: r.kind_label(lang, kinds).to_string(),
            note: r.note(lang).to_string(),
            note_lang: (lang == Lang::En && r.note_en.is_none()).then_some("ja"),
        })
        .collect()
}

/// What the site links to beyond the edition itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Documents that have a point-in-time archive (`<doc>/versions/index.html`, written by
    /// `build --all-releases`): their pages link to it.
    pub versions: BTreeSet<String>,
    /// Beside each stale section of the English pages, what changed in the Japanese since the
    /// English was confirmed (`[edition.NAME] stale-diff = true`: `book::translation::stale_for`).
    pub stale: crate::render::StaleDiffs,
}

/// The static site of an edition, with links to archives and the like.
pub fn render(edition: &Edition, assets: &Assets, options: &Options) -> Result<Files, HtmlError> {
    let site = Site { edition, options, t: Templates::load(assets)?, langs: languages(edition) };
    // The pages, rendered on the machine's cores: the search index first (the longest), then each
    // language's index page, then each document's pages, then the glossary.
    let mut pages = vec![Work::Search];
    pages.extend(site.langs.iter().map(|&lang| Work::Index(lang)));
    for doc in edition.documents() {
        pages.extend(site.langs.iter().map(|&lang| Work::Document(doc, lang)));
        if site.langs.len() == 2 {
            pages.push(Work::Parallel(doc));
        }
    }
    if !edition.terms().is_empty() {
        pages.extend(site.langs.iter().map(|&lang| Work::Glossary(lang)));
    }
    let rendered = super::pool::run(pages, super::pool::default_threads(), |page| {
        Ok::<_, HtmlError>(match page {
            Work::Search => ("search-index.json".to_string(), site.search_index()?),
            Work::Index(lang) => (index_file(edition, lang).into(), site.index(lang)?),
            Work::Document(doc, lang) => (format!("{}/{}.html", doc.id, lang.code()), site.document(doc, lang)?),
            Work::Parallel(doc) => (format!("{}/parallel.html", doc.id), site.parallel(doc)?),
            Work::Glossary(lang) => (glossary::file(edition, lang).into(), site.glossary(lang)?),
        })
    })?;
    let mut files: Files = rendered.into_iter().map(|(name, text)| (name, text.into_bytes())).collect();
    if let (true, Some(base)) = (edition.is_public(), edition.config().html.base_url.as_deref()) {
        // Every page: the index, the documents and the glossary.
        let sm = site.sitemap(base, &files);
        files.insert("sitemap.xml".into(), sm.into_bytes());
    }
    for &lang in &site.langs {
        if let Some(m) = words::edition_marking(edition, lang) {
            files.insert(format!("marking-{}.css", lang.code()), marking_css(&m).into_bytes());
        }
    }
    // The images of the figures the pages show, and only those.
    for f in edition.documents().iter().flat_map(crate::model::figure::in_document) {
        if let Some(bytes) = edition.image(&f.digest) {
            files.insert(body::site_path(f), bytes.to_vec());
            files.insert("figures.css".into(), FIGURES_CSS.as_bytes().to_vec());
        }
    }
    files.insert("style.css".into(), site.t.css.clone().into_bytes());
    files.insert("site.js".into(), site.t.js.clone().into_bytes());
    Ok(files)
}

/// One file of an HTML edition to render: a page or the search index.
enum Work<'a> {
    Search,
    Index(Lang),
    Document(&'a Document, Lang),
    Parallel(&'a Document),
    Glossary(Lang),
}

#[cfg(test)]
mod tests;
