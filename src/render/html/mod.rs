//! HTML renderer: a static site per edition (issue 3).
//!
//! Pages are tera templates (`templates/html/*.html`, built into the binary; a project overrides
//! any of them with a file of the same name in its own `templates/html/`, read through the
//! [`Source`]). Templates get plain strings, which tera escapes, and document content that
//! [`body`] has already turned into HTML, escaping every piece of source text. The renderer only
//! sees the filtered [`Edition`], so nothing above its ceiling can reach a page, the search index
//! or the sitemap.
//!
//! Layout of an edition's folder: `index.html` (Japanese) and `index.en.html`, `<doc>/ja.html`,
//! `<doc>/en.html`, `<doc>/parallel.html`, `style.css`, `site.js`, `search-index.json`, and
//! `sitemap.xml` for the public edition when `[html] base-url` is set.

mod body;
mod search;

use crate::config::Lang;
use crate::edition::Edition;
use crate::model::Document;
use crate::render::Files;
use crate::source::{Source, SourceError};
use crate::model::wareki::format_date;
use body::{esc, Ctx};
use serde::Serialize;
use std::collections::BTreeSet;

pub use body::{esc as escape_html, safe_url};

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("template templates/html/{name}: {message}\n  hint: {hint}")]
    Template { name: String, message: String, hint: String },
    #[error("{0}\n  hint: project templates must be readable UTF-8 files")]
    Source(#[from] SourceError),
    #[error("search index: {0}")]
    Json(#[from] serde_json::Error),
}

/// The kind of page content is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Lang(Lang),
    Parallel,
}

/// The shipped templates and static files, by name.
const DEFAULTS: [(&str, &str); 6] = [
    ("base.html", include_str!("../../../templates/html/base.html")),
    ("index.html", include_str!("../../../templates/html/index.html")),
    ("document.html", include_str!("../../../templates/html/document.html")),
    ("parallel.html", include_str!("../../../templates/html/parallel.html")),
    ("style.css", include_str!("../../../templates/html/style.css")),
    ("site.js", include_str!("../../../templates/html/site.js")),
];

/// Where a project's template overrides live, relative to the project root.
pub const OVERRIDE_DIR: &str = "templates/html";

/// The text of template `name`: the project's override if it has one, else the shipped default.
fn template_text(source: &dyn Source, name: &str, default: &str) -> Result<String, HtmlError> {
    match source.read_text(&format!("{OVERRIDE_DIR}/{name}")) {
        Ok(t) => Ok(t),
        Err(SourceError::NotFound { .. }) => Ok(default.to_string()),
        Err(e) => Err(e.into()),
    }
}

struct Templates {
    tera: tera::Tera,
    css: String,
    js: String,
}

impl Templates {
    fn load(source: &dyn Source) -> Result<Templates, HtmlError> {
        let mut tera = tera::Tera::new();
        let mut css = String::new();
        let mut js = String::new();
        for (name, default) in DEFAULTS {
            let text = template_text(source, name, default)?;
            match name {
                "style.css" => css = text,
                "site.js" => js = text,
                _ => tera.add_raw_template(name, &text).map_err(|e| HtmlError::Template {
                    name: name.into(),
                    message: tera_message(&e),
                    hint: "fix the template syntax (tera 2), or delete the file to use the default".into(),
                })?,
            }
        }
        Ok(Templates { tera, css, js })
    }

    fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, HtmlError> {
        self.tera.render(name, ctx).map_err(|e| HtmlError::Template {
            name: name.into(),
            message: tera_message(&e),
            hint: "a project template may only use the variables of the shipped template of the same name".into(),
        })
    }
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

/// Interface words of a page, in one language (templates read them as `t.*`).
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    pub language_name: String,
    pub skip: String,
    pub site_nav: String,
    pub documents: String,
    pub search: String,
    pub search_label: String,
    pub search_placeholder: String,
    pub results: String,
    pub no_results: String,
    pub search_unavailable: String,
    pub toc: String,
    pub history: String,
    pub versions: String,
    pub date: String,
    pub kind: String,
    pub note: String,
    pub doc_type: String,
    pub version: String,
    pub effective: String,
    pub level: String,
    pub parallel: String,
    pub authoritative: String,
    pub permalink: String,
    pub stale: String,
    pub missing: String,
    pub page_lang_switch: String,
}

#[derive(Debug, Clone)]
pub struct Labels {
    ja: Words,
    en: Words,
}

impl Labels {
    fn new() -> Labels {
        let s = |x: &str| x.to_string();
        Labels {
            ja: Words {
                language_name: s("日本語"),
                skip: s("本文へ移動"),
                site_nav: s("サイト内の移動"),
                documents: s("文書一覧"),
                search: s("検索"),
                search_label: s("ポリシー内を検索"),
                search_placeholder: s("例: 不正アクセス"),
                results: s("検索結果"),
                no_results: s("該当する節はありません。"),
                search_unavailable: s("検索索引を読み込めませんでした。Webサーバー経由で開いてください。"),
                toc: s("目次"),
                history: s("改定履歴"),
                versions: s("過去の版と新旧対照表"),
                date: s("年月日"),
                kind: s("区分"),
                note: s("内容"),
                doc_type: s("種別"),
                version: s("版"),
                effective: s("施行日"),
                level: s("分類"),
                parallel: s("対訳"),
                authoritative: s("日本語版が正文です。英語版は参考訳です。"),
                permalink: s("この節へのリンク"),
                stale: s("この節の英訳は、日本語の改定後に更新されていません。"),
                missing: s("この節は未翻訳です。"),
                page_lang_switch: s("English"),
            },
            en: Words {
                language_name: s("English"),
                skip: s("Skip to main content"),
                site_nav: s("Site navigation"),
                documents: s("Documents"),
                search: s("Search"),
                search_label: s("Search the policy"),
                search_placeholder: s("e.g. availability"),
                results: s("Search results"),
                no_results: s("No matching sections."),
                search_unavailable: s("The search index could not be loaded. Open the site through a web server."),
                toc: s("Contents"),
                history: s("Revision history"),
                versions: s("Past versions and comparison tables"),
                date: s("Date"),
                kind: s("Type"),
                note: s("Details"),
                doc_type: s("Type"),
                version: s("Version"),
                effective: s("Effective"),
                level: s("Classification"),
                parallel: s("Parallel text"),
                authoritative: s("This English text is a reference translation. The Japanese text is authoritative."),
                permalink: s("Link to this section"),
                stale: s("Translation may be out of date: the Japanese text of this section has changed since it was translated."),
                missing: s("Not yet translated: the Japanese text is shown."),
                page_lang_switch: s("日本語"),
            },
        }
    }

    pub fn get(&self, lang: Lang) -> &Words {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
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
    noindex: bool,
    /// Relative path from the page to the site root ("" or "../").
    root: String,
    index_href: String,
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
    labels: Labels,
    langs: Vec<Lang>,
}

impl<'a> Site<'a> {
    fn page(&self, lang: Lang, title: String, title_lang: Option<Lang>, root: &str, switch: Option<Switch>) -> PageCtx {
        let c = self.edition.config();
        let marking = self.edition.marking(lang);
        PageCtx {
            lang: lang.code(),
            title,
            title_lang: title_lang.filter(|l| *l != lang).map(Lang::code),
            book_title: c.book.title.get(lang).to_string(),
            organization: c.book.organization.get(lang).to_string(),
            edition_title: self.edition.def().title.as_ref().map(|t| t.get(lang).to_string()),
            noindex: marking.is_some(),
            marking_css: marking.as_ref().map(|_| format!("{root}marking-{}.css", lang.code())),
            marking,
            root: root.into(),
            index_href: format!("{root}{}", index_file(self.edition, lang)),
            switch,
            search_form: true,
        }
    }

    fn switch(&self, lang: Lang, href: String) -> Option<Switch> {
        let other = lang.other();
        self.langs.contains(&other).then(|| Switch {
            href,
            lang: other.code(),
            label: self.labels.get(lang).page_lang_switch.clone(),
        })
    }

    fn context(&self, lang: Lang, page: PageCtx) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("page", &page);
        ctx.insert("t", self.labels.get(lang));
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
                        .map(|s| Switch { label: self.labels.get(lang.other()).language_name.clone(), ..s }),
                    parallel: (self.langs.len() == 2).then(|| format!("{}/parallel.html", d.id)),
                    level: self.level_label(d, lang),
                }
            })
            .collect();
        let title = self.labels.get(lang).documents.clone();
        let sw = self.switch(lang, index_file(self.edition, lang.other()).to_string());
        let mut page = self.page(lang, title, None, "", sw);
        page.search_form = false;
        let mut ctx = self.context(lang, page);
        ctx.insert("documents", &rows);
        ctx.insert("english", &(lang == Lang::En));
        self.t.render("index.html", &ctx)
    }

    fn document(&self, doc: &Document, lang: Lang) -> Result<String, HtmlError> {
        let bctx = Ctx { edition: self.edition, doc, lang, around: lang, page: Page::Lang(lang), labels: &self.labels };
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
        ctx.insert("history", &history(doc, lang));
        ctx.insert("versions", &self.options.versions.contains(&doc.id));
        self.t.render("document.html", &ctx)
    }

    fn parallel(&self, doc: &Document) -> Result<String, HtmlError> {
        let (preamble, body) = body::parallel_body(self.edition, doc, &self.labels);
        let (title_en, tl_en) = Self::doc_title(doc, Lang::En);
        let mut page =
            self.page(Lang::Ja, format!("{}（{}）", doc.title.ja, self.labels.ja.parallel), None, "../", None);
        page.switch = None;
        let mut ctx = self.context(Lang::Ja, page);
        ctx.insert("doc", &self.doc_meta(doc, Lang::Ja));
        ctx.insert("title_en", &title_en);
        ctx.insert("title_en_lang", tl_en.code());
        ctx.insert("t_en", self.labels.get(Lang::En));
        ctx.insert("preamble", &preamble);
        ctx.insert("body", &body);
        self.t.render("parallel.html", &ctx)
    }

    /// The label of a document's level when it is above the lowest ("機密性3 関係者限り").
    fn level_label(&self, doc: &Document, lang: Lang) -> Option<String> {
        let c = self.edition.config();
        (doc.level > c.lowest()).then(|| {
            let d = c.level_def(doc.level);
            format!("{} {}", d.label.get(lang), d.marking.get(lang))
        })
    }

    fn doc_meta(&self, doc: &Document, lang: Lang) -> DocMeta {
        DocMeta {
            level: self.level_label(doc, lang),
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
                let bctx = Ctx {
                    edition: self.edition,
                    doc,
                    lang,
                    around: lang,
                    page: Page::Lang(lang),
                    labels: &self.labels,
                };
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

fn history(doc: &Document, lang: Lang) -> Vec<HistoryRow> {
    doc.history
        .iter()
        .map(|r| HistoryRow {
            date: format_date(r.date, lang),
            date_iso: r.date.iso(),
            kind: r.kind_label(lang).to_string(),
            note: r.note(lang).to_string(),
            note_lang: (lang == Lang::En && r.note_en.is_none()).then_some("ja"),
        })
        .collect()
}

/// Renders the edition's static site.
/// What the site links to beyond the edition itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Documents that have a point-in-time archive (`<doc>/versions/index.html`, written by
    /// `build --all-releases`): their pages link to it.
    pub versions: BTreeSet<String>,
}

/// The static site of an edition.
pub fn render(edition: &Edition, source: &dyn Source) -> Result<Files, HtmlError> {
    render_with(edition, source, &Options::default())
}

/// The static site of an edition, with links to archives and the like.
pub fn render_with(edition: &Edition, source: &dyn Source, options: &Options) -> Result<Files, HtmlError> {
    let site = Site { edition, options, t: Templates::load(source)?, labels: Labels::new(), langs: languages(edition) };
    let mut files = Files::new();
    for &lang in &site.langs {
        files.insert(index_file(edition, lang).into(), site.index(lang)?.into_bytes());
    }
    for doc in edition.documents() {
        for &lang in &site.langs {
            files.insert(format!("{}/{}.html", doc.id, lang.code()), site.document(doc, lang)?.into_bytes());
        }
        if site.langs.len() == 2 {
            files.insert(format!("{}/parallel.html", doc.id), site.parallel(doc)?.into_bytes());
        }
    }
    if let (None, Some(base)) = (edition.marking(Lang::Ja), edition.config().html.base_url.as_deref()) {
        let sm = site.sitemap(base, &files);
        files.insert("sitemap.xml".into(), sm.into_bytes());
    }
    for &lang in &site.langs {
        if let Some(m) = edition.marking(lang) {
            files.insert(format!("marking-{}.css", lang.code()), marking_css(&m).into_bytes());
        }
    }
    files.insert("search-index.json".into(), site.search_index()?.into_bytes());
    files.insert("style.css".into(), site.t.css.clone().into_bytes());
    files.insert("site.js".into(), site.t.js.clone().into_bytes());
    Ok(files)
}

#[cfg(test)]
mod tests;
