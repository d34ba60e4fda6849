//! Document content → HTML. Every piece of source text goes through [`esc`]; markup is only ever
//! produced here, from the model's structure, so raw HTML in a source shows as text.

use super::Page;
use crate::config::{Lang, Level};
use crate::edition::{Block, Document, Edition, Inline, ListItem, Section, SectionText};
use crate::model::numbering::Style;
use crate::model::structure;
use crate::model::xref::{self, Place};
use crate::model::{plain_text, Align, Figure, Kind, Translation};
pub use crate::render::escape::html as esc;
use crate::render::{mark_cells, words, StaleDiffs};

/// Whether a URL may become a link: only web and mail addresses (the loader accepts no other, this
/// is the second fence).
pub fn safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// The `lang` attribute a passage in `text_lang` needs on a page (or column) in `ctx_lang`.
pub fn lang_attr(text_lang: Lang, ctx_lang: Lang) -> String {
    if text_lang == ctx_lang {
        String::new()
    } else {
        format!(" lang=\"{}\"", text_lang.code())
    }
}

/// What is being rendered: one document, in one language, on one kind of page.
pub struct Ctx<'a> {
    pub edition: &'a Edition,
    pub doc: &'a Document,
    /// The language of the text.
    pub lang: Lang,
    /// The language of the surrounding element (page or parallel column).
    pub around: Lang,
    pub page: Page,
    /// The stale-section diffs to show on English pages (`stale-diff`); `None` elsewhere.
    pub stale: Option<&'a StaleDiffs>,
}

impl Ctx<'_> {
    fn file(&self, lang: Lang) -> String {
        match self.page {
            Page::Parallel => "parallel.html".into(),
            Page::Lang(_) => format!("{}.html", lang.code()),
        }
    }

    /// The heading element for a section at `depth` (1 = top): h2 … h6, deeper sections stay h6.
    fn heading(depth: u8) -> u8 {
        (depth + 1).min(6)
    }
}

/// A whole document body (preamble and sections) for a language page.
pub fn document_body(ctx: &Ctx<'_>) -> (String, String) {
    let mut pre = String::new();
    let (blocks, fell) = match ctx.doc.preamble.get(ctx.lang) {
        Some(b) => (b, false),
        None => (&ctx.doc.preamble.ja, ctx.lang != Lang::Ja),
    };
    if !blocks.is_empty() {
        let l = if fell { Lang::Ja } else { ctx.lang };
        pre.push_str(&format!("<div class=\"preamble\"{}>", lang_attr(l, ctx.around)));
        let sub = Ctx { lang: l, around: l, ..*ctx };
        pre.push_str(&render_blocks(&sub, blocks));
        pre.push_str("</div>\n");
    }
    let mut out = String::new();
    for s in &ctx.doc.sections {
        section(ctx, s, ctx.doc.level, &mut out);
    }
    (pre, out)
}

/// The opening tag of a section. Article-style groups (章, 節, 款) and articles (条) carry their
/// kind, so that the stylesheet keeps them at the margin of the rule (style.css, reiki.md).
fn open_section(s: &Section, out: &mut String) {
    let kind = match s.kind {
        Kind::Group { .. } => " group",
        Kind::Article { .. } => " article",
        _ => "",
    };
    out.push_str(&format!("<section id=\"{}\" class=\"sec depth-{}{kind}\">\n", esc(&s.id), s.depth));
}

fn section(ctx: &Ctx<'_>, s: &Section, parent_level: Level, out: &mut String) {
    open_section(s, out);
    section_inner(ctx, s, parent_level, out);
    for c in &s.children {
        section(ctx, c, s.level, out);
    }
    out.push_str("</section>\n");
}

/// Heading, links, marks and own blocks of a section in `ctx.lang` (no children).
fn section_inner(ctx: &Ctx<'_>, s: &Section, parent_level: Level, out: &mut String) {
    let (text, fell) = s.text(ctx.lang);
    let text_lang = if fell { Lang::Ja } else { ctx.lang };
    let h = Ctx::heading(s.depth);
    let t = words::site(ctx.lang);
    out.push_str("<div class=\"sec-head\">");
    let mut head = String::new();
    heading_text(ctx, s, text, text_lang, &mut head);
    if !head.is_empty() {
        let mark = s.number.as_ref().filter(|_| ctx.doc.numbering == Style::Admin).map(|n| n.label(ctx.lang));
        out.push_str(&format!("<h{h}{}>{head}</h{h}>", hang(mark)));
    }
    if let Some(m) = words::marking(ctx.edition.config(), s.level, ctx.lang).filter(|_| s.level > parent_level) {
        out.push_str(&format!("<span class=\"level-mark\">{}</span>", esc(&m)));
    }
    let id = esc(&s.id);
    let here = match ctx.page {
        Page::Parallel if ctx.lang == Lang::En => String::new(),
        _ => format!("<a class=\"permalink\" href=\"#{id}\">¶<span class=\"vh\">{}</span></a>", esc(t.permalink)),
    };
    out.push_str(&here);
    if let Page::Lang(_) = ctx.page {
        let other = ctx.lang.other();
        if ctx.edition.def().languages.contains(&other) {
            let ot = words::site(other);
            out.push_str(&format!(
                "<a class=\"other-lang\" href=\"{}.html#{id}\" hreflang=\"{o}\" lang=\"{o}\">{}</a>",
                other.code(),
                esc(ot.language_name),
                o = other.code()
            ));
        }
    }
    out.push_str("</div>\n");
    if ctx.lang == Lang::En {
        match s.translation {
            Translation::Missing => {
                out.push_str(&format!("<p class=\"tr-note tr-missing\">{}</p>\n", esc(t.missing)));
            }
            Translation::Stale => {
                out.push_str(&format!("<p class=\"tr-note tr-stale\">{}</p>\n", esc(t.stale)));
                stale_diff(ctx, s, out);
            }
            _ => {}
        }
    }
    let blocks = structure::printed_blocks(s, &text.blocks, ctx.lang);
    if !blocks.is_empty() {
        let sub = Ctx { lang: text_lang, around: text_lang, ..*ctx };
        // Administrative style: body text at the heading's text, on the character grid.
        let grid = match (&s.number, ctx.doc.numbering) {
            (Some(n), Style::Admin) => format!(" w{}", mark_cells(n.label(ctx.lang))),
            _ => String::new(),
        };
        out.push_str(&format!("<div class=\"sec-body{grid}\"{}>\n", lang_attr(text_lang, ctx.around)));
        out.push_str(&render_blocks(&sub, &blocks));
        out.push_str("</div>\n");
    }
}

/// Below a stale section's notice, when the edition shows them: what changed in the Japanese since
/// the English was confirmed, folded (the diff was made and escaped by the diff output).
fn stale_diff(ctx: &Ctx<'_>, s: &Section, out: &mut String) {
    if let Some(diff) = ctx.stale.and_then(|d| d.get(&ctx.doc.id, &s.id)) {
        let summary = esc(words::stale_diff(ctx.lang).summary);
        out.push_str(&format!(
            "<details class=\"tr-diff\">\n<summary>{summary}</summary>\n{}</details>\n",
            diff.as_str()
        ));
    }
}

fn heading_text(ctx: &Ctx<'_>, s: &Section, text: &SectionText, text_lang: Lang, out: &mut String) {
    match s.kind {
        // The 見出し above the article (its number runs into the text).
        Kind::Article { caption, deleted, .. } => {
            if caption && !deleted {
                let c = structure::caption(&plain_text(&text.title), text_lang);
                out.push_str(&format!("<span class=\"caption\">{}</span>", esc(&c)));
            }
            return;
        }
        Kind::Supplementary { .. } | Kind::Appendix { .. } => {
            let label = s.number.as_ref().map_or("", |n| n.label(ctx.lang));
            out.push_str(&format!("<span class=\"num\">{}</span>", esc(label)));
            return;
        }
        Kind::Group { .. } | Kind::Plain => {}
    }
    if let Some(n) = &s.number {
        out.push_str(&format!("<span class=\"num\">{}</span> ", esc(n.label(ctx.lang))));
    }
    let sub = Ctx { lang: text_lang, around: text_lang, ..*ctx };
    let title = render_inlines(&sub, &text.title);
    out.push_str(&format!("<span class=\"tt\"{}>{title}</span>", lang_attr(text_lang, ctx.around)));
}

/// The parallel (対訳) body: each section once, Japanese and English side by side.
pub fn parallel_body(edition: &Edition, doc: &Document) -> (String, String) {
    let ja = Ctx { edition, doc, lang: Lang::Ja, around: Lang::Ja, page: Page::Parallel, stale: None };
    let en = Ctx { lang: Lang::En, ..ja };
    let mut pre = String::new();
    let pj = &doc.preamble.ja;
    if !pj.is_empty() {
        pre.push_str("<div class=\"pair preamble\">\n<div class=\"col col-ja\">\n");
        pre.push_str(&render_blocks(&ja, pj));
        pre.push_str("</div>\n<div class=\"col col-en\" lang=\"en\">\n");
        if let Some(pe) = doc.preamble.en.as_ref() {
            let en_in = Ctx { around: Lang::En, ..en };
            pre.push_str(&render_blocks(&en_in, pe));
        }
        pre.push_str("</div>\n</div>\n");
    }
    let mut out = String::new();
    fn go(ja: &Ctx<'_>, en: &Ctx<'_>, s: &Section, parent: Level, out: &mut String) {
        open_section(s, out);
        out.push_str("<div class=\"pair\">\n<div class=\"col col-ja\">\n");
        section_inner(ja, s, parent, out);
        out.push_str("</div>\n<div class=\"col col-en\" lang=\"en\">\n");
        let en_in = Ctx { around: Lang::En, ..*en };
        section_inner(&en_in, s, parent, out);
        out.push_str("</div>\n</div>\n");
        for c in &s.children {
            go(ja, en, c, s.level, out);
        }
        out.push_str("</section>\n");
    }
    for s in &doc.sections {
        go(&ja, &en, s, doc.level, &mut out);
    }
    (pre, out)
}

/// Table of contents as nested lists (sections only, with their numbers).
pub fn toc(ctx: &Ctx<'_>) -> String {
    fn go(ctx: &Ctx<'_>, sections: &[Section], out: &mut String) {
        if sections.is_empty() {
            return;
        }
        out.push_str("<ol>");
        for s in sections {
            let (text, fell) = s.text(ctx.lang);
            let tl = if fell { Lang::Ja } else { ctx.lang };
            out.push_str(&format!("<li><a href=\"#{}\">", esc(&s.id)));
            if let Some(label) = structure::toc_label(s, ctx.lang) {
                out.push_str(&format!("{}</a>", esc(&label)));
                go(ctx, &s.children, out);
                out.push_str("</li>");
                continue;
            }
            if let Some(n) = &s.number {
                out.push_str(&format!("<span class=\"num\">{}</span> ", esc(n.label(ctx.lang))));
            }
            let sub = Ctx { lang: tl, around: tl, ..*ctx };
            let title = plain_inlines(&sub, &text.title);
            if tl == ctx.around {
                out.push_str(&format!("{}</a>", esc(&title)));
            } else {
                out.push_str(&format!("<span{}>{}</span></a>", lang_attr(tl, ctx.around), esc(&title)));
            }
            go(ctx, &s.children, out);
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    let mut out = String::new();
    go(ctx, &ctx.doc.sections, &mut out);
    out
}

pub fn render_blocks(ctx: &Ctx<'_>, blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        block(ctx, b, &mut out);
    }
    out
}

fn block(ctx: &Ctx<'_>, b: &Block, out: &mut String) {
    match b {
        Block::Paragraph { number, content } => {
            out.push_str(&format!("<p{}>", if number.is_some() { " class=\"kou\"" } else { "" }));
            if let Some(n) = number {
                let sep = if ctx.lang == Lang::Ja { "\u{3000}" } else { " " };
                out.push_str(&format!("<span class=\"num\">{}</span>{sep}", esc(n.label(ctx.lang))));
            }
            out.push_str(&render_inlines(ctx, content));
            out.push_str("</p>\n");
        }
        Block::List { ordered, items } => list(ctx, *ordered, items, out),
        Block::Table { align, head, rows } => table(ctx, align, head, rows, out),
        Block::Quote { blocks } => {
            out.push_str("<blockquote>\n");
            out.push_str(&render_blocks(ctx, blocks));
            out.push_str("</blockquote>\n");
        }
        Block::Code { text } => {
            out.push_str(&format!("<pre><code>{}</code></pre>\n", esc(text)));
        }
        Block::Rule => out.push_str("<hr>\n"),
        Block::Figure(f) => figure(f, out),
        Block::Classified { level, blocks, .. } => {
            match words::marking(ctx.edition.config(), *level, ctx.lang) {
                Some(m) => {
                    out.push_str(&format!("<div class=\"classified\"><p class=\"level-mark\">{}</p>\n", esc(&m)))
                }
                None => out.push_str("<div class=\"classified\">\n"),
            }
            out.push_str(&render_blocks(ctx, blocks));
            out.push_str("</div>\n");
        }
    }
}

fn table(ctx: &Ctx<'_>, align: &[Align], head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], out: &mut String) {
    let cls = |i: usize| -> &'static str {
        match align.get(i) {
            Some(Align::Center) => " class=\"al-c\"",
            Some(Align::Right) => " class=\"al-r\"",
            _ => "",
        }
    };
    out.push_str("<div class=\"table\"><table>\n");
    if !head.is_empty() {
        out.push_str("<thead><tr>");
        for (i, c) in head.iter().enumerate() {
            out.push_str(&format!("<th scope=\"col\"{}>{}</th>", cls(i), render_inlines(ctx, c)));
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            out.push_str(&format!("<td{}>{}</td>", cls(i), render_inlines(ctx, c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A figure: the image by its digest name, with alt text, pixel size and caption. An SVG is only
/// ever an `<img>`, never inlined, so nothing in it runs.
fn figure(f: &Figure, out: &mut String) {
    let size = f.size.map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\"")).unwrap_or_default();
    out.push_str(&format!("<figure><img src=\"../{}\" alt=\"{}\"{size}>", esc(&site_path(f)), esc(&f.alt)));
    if let Some(c) = &f.caption {
        out.push_str(&format!("<figcaption>{}</figcaption>", esc(c)));
    }
    out.push_str("</figure>\n");
}

/// Where a figure's image is in the site.
pub fn site_path(f: &Figure) -> String {
    format!("figures/{}", f.file_name())
}

/// A list: numbered items hang after their marks (`.hang`), bullets after 「・」 (style.css).
fn list(ctx: &Ctx<'_>, ordered: bool, items: &[ListItem], out: &mut String) {
    let numbered = ordered && items.iter().any(|i| i.number.is_some());
    let tag = if ordered { "ol" } else { "ul" };
    if numbered {
        out.push_str(&format!("<{tag} class=\"numbered\">\n"));
    } else {
        out.push_str(&format!("<{tag}>\n"));
    }
    for it in items {
        let label = it.number.as_ref().filter(|_| numbered).map(|n| n.label(ctx.lang));
        out.push_str(&format!("<li{}>", hang(label)));
        if let Some(l) = label {
            out.push_str(&format!("<span class=\"num\">{}</span> ", esc(l)));
        }
        // The item's first paragraph runs on from its mark; the rest follow below it.
        let rest = match it.blocks.split_first() {
            Some((Block::Paragraph { number: None, content }, rest)) => {
                out.push_str(&format!("<span class=\"tt\">{}</span>", render_inlines(ctx, content)));
                rest
            }
            _ => &it.blocks[..],
        };
        out.push_str(&render_blocks(ctx, rest));
        out.push_str("</li>\n");
    }
    out.push_str(&format!("</{tag}>\n"));
}

/// The class of an element that starts with the mark `label`: its text, and its wrapped lines,
/// stand on the character grid after the mark (see `.hang` in style.css).
fn hang(label: Option<&str>) -> String {
    label.map_or_else(String::new, |l| format!(" class=\"hang w{}\"", mark_cells(l)))
}

/// The href of a cross-reference target, relative to the current page.
fn ref_href(ctx: &Ctx<'_>, t: &xref::Target<'_, Place>) -> String {
    let file = ctx.file(ctx.page_lang());
    let same_doc = t.doc.id == ctx.doc.id;
    match (same_doc, t.anchor()) {
        (true, Some(a)) => format!("#{}", esc(a)),
        (true, None) => "#pb_main".into(),
        (false, Some(a)) => format!("../{}/{file}#{}", esc(&t.doc.id), esc(a)),
        (false, None) => format!("../{}/{file}", esc(&t.doc.id)),
    }
}

impl Ctx<'_> {
    /// The language whose page links lead to (the page's, not a fallback passage's).
    fn page_lang(&self) -> Lang {
        match self.page {
            Page::Lang(l) => l,
            Page::Parallel => Lang::Ja,
        }
    }
}

pub fn render_inlines(ctx: &Ctx<'_>, inlines: &[Inline]) -> String {
    let mut out = String::new();
    let mut run = xref::Run::default();
    for i in inlines {
        run.pass(i);
        match i {
            Inline::Text { text } => out.push_str(&esc(text)),
            Inline::Code { text } => out.push_str(&format!("<code>{}</code>", esc(text))),
            Inline::Emph { content } => out.push_str(&format!("<em>{}</em>", render_inlines(ctx, content))),
            Inline::Strong { content } => out.push_str(&format!("<strong>{}</strong>", render_inlines(ctx, content))),
            Inline::Link { url, content } => {
                let inner = if content.is_empty() { esc(url) } else { render_inlines(ctx, content) };
                if safe_url(url) {
                    out.push_str(&format!("<a href=\"{}\">{inner}</a>", esc(url)));
                } else {
                    out.push_str(&inner);
                }
            }
            Inline::Ref(r) => {
                let t = ctx.edition.resolve(r);
                let label = if r.content.is_empty() {
                    esc(&run.label(&ctx.doc.id, t.clone(), ctx.lang))
                } else {
                    render_inlines(ctx, &r.content)
                };
                out.push_str(&format!("<a class=\"xref\" href=\"{}\">{label}</a>", ref_href(ctx, &t)));
            }
            Inline::Break => out.push_str("<br>"),
        }
    }
    out
}

/// Plain text of inlines with reference labels resolved (for the TOC and the search index).
pub fn plain_inlines(ctx: &Ctx<'_>, inlines: &[Inline]) -> String {
    let mut out = String::new();
    let mut run = xref::Run::default();
    for i in inlines {
        run.pass(i);
        match i {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
                out.push_str(&plain_inlines(ctx, content))
            }
            Inline::Ref(r) => {
                if r.content.is_empty() {
                    out.push_str(&run.label(&ctx.doc.id, ctx.edition.resolve(r), ctx.lang));
                } else {
                    out.push_str(&plain_inlines(ctx, &r.content));
                }
            }
            Inline::Break => out.push('\n'),
        }
    }
    out
}

/// Plain text of blocks, one line per paragraph, item or table row.
pub fn plain_blocks(ctx: &Ctx<'_>, blocks: &[Block], out: &mut String) {
    crate::model::push_blocks_text(blocks, " ", &mut |i| plain_inlines(ctx, i), out);
}
