//! Markdown (one language, one file) → a flat list of headings with their blocks.
//!
//! pulldown-cmark does the parsing; this module turns its events into model blocks and inlines,
//! recognises cross-references and classified containers, and joins wrapped Japanese lines
//! without a space. Building the section tree and aligning languages is `load`'s job.

use super::{xref, Align, Block, Inline, ListItem, Ref};
use crate::config::{is_key, Config};
use crate::diag::{Diagnostic, LineIndex, Loc};
use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;
use unicode_width::UnicodeWidthChar;

/// A heading and the blocks up to the next heading.
#[derive(Debug, Clone)]
pub(crate) struct RawSection {
    pub md_level: u8,
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub attrs: Vec<(String, Option<String>)>,
    pub title: Vec<Inline>,
    pub blocks: Vec<Block>,
    pub loc: Loc,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct RawFile {
    /// Blocks before the first heading.
    pub preamble: Vec<Block>,
    pub sections: Vec<RawSection>,
}

pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    pub file: &'a str,
    pub text: &'a str,
    pub line_offset: u32,
    pub doc: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
    /// Current nesting of blocks and inlines (bounded by [`MAX_DEPTH`]).
    pub depth: u32,
    pub lines: LineIndex,
}

/// How deep blocks (lists, quotes) and inlines (emphasis) may nest, a list counting [`LIST_COST`].
/// Real policies stay far below; the bound keeps hostile input from exhausting the stack, and
/// keeps the PDF's data within Typst's JSON nesting limit (128), where a list takes about 4 levels
/// and a quote or an emphasis 2.
pub(crate) const MAX_DEPTH: u32 = 48;

/// The longest link target, in characters: Typst refuses URLs over 8,000 bytes, and a character
/// takes up to 4.
pub(crate) const MAX_URL: usize = 2000;

/// The longest heading, in characters: far beyond any real title, well within a PDF string.
pub(crate) const MAX_TITLE: usize = 1000;

/// The longest paragraph, list item text or table cell, in characters: ten times a long article.
pub(crate) const MAX_PARAGRAPH: usize = 20_000;

/// What a list adds to the depth: a list and its item are two levels of the PDF's data each.
const LIST_COST: u32 = 2;

impl Ctx<'_> {
    fn loc(&self, offset: usize) -> Loc {
        let (line, column) = self.lines.line_col(self.text, offset);
        Loc::new(self.file, line + self.line_offset, column)
    }
}

/// Whether `c` is a control character that is not text: C0 but tab and line ends, DEL and C1.
/// ESC, BEL, NUL or the one-byte CSI (U+009B) in a page or a terminal (`diff --format text`)
/// would act instead of being shown.
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// One error per file at its first control character (front matter included), with how many
/// more it holds.
pub(crate) fn control_characters(file: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    let mut found = text.char_indices().filter(|&(_, c)| is_control(c));
    let Some((offset, c)) = found.next() else { return };
    let more = found.count();
    let (line, column) = crate::diag::line_col(text, offset);
    let key = if more > 0 { "control-character.more" } else { "control-character" };
    let d = Diagnostic::new(key, Loc::new(file, line, column)).arg("code", format!("{:04X}", c as u32));
    diags.push(d.arg("more", more));
}

type Events<'a> = std::iter::Peekable<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>;

/// The Markdown extensions sources use (also where `ime` looks for code).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH
}

/// Parses one file body.
pub(crate) fn parse(ctx: &mut Ctx<'_>) -> RawFile {
    let text = ctx.text;
    let mut events: Events<'_> = Parser::new_ext(text, options()).into_offset_iter().peekable();
    let mut file = RawFile::default();
    // Top-level blocks of the current section, with the source range of each (for containers).
    let mut current: Vec<(Block, Range<usize>)> = Vec::new();
    let mut heading: Option<RawSection> = None;
    while let Some((ev, range)) = events.next() {
        match ev {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let blocks = group_containers(ctx, std::mem::take(&mut current));
                match heading.take() {
                    Some(mut h) => {
                        h.blocks = blocks;
                        file.sections.push(h);
                    }
                    None => file.preamble = blocks,
                }
                let title = inlines_until(ctx, &mut events, TagEnd::Heading(level));
                title_length(ctx, &title, range.start);
                heading = Some(RawSection {
                    md_level: heading_level(level),
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs.iter().map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string()))).collect(),
                    title,
                    blocks: Vec::new(),
                    loc: ctx.loc(range.start),
                });
            }
            Event::Start(tag) => {
                if let Some(b) = block(ctx, &mut events, tag, range.clone(), true) {
                    current.push((b, range));
                }
            }
            Event::Rule => current.push((Block::Rule, range)),
            Event::Html(h) | Event::InlineHtml(h) if super::prose::marker(&h).is_some() => {}
            Event::Html(h) | Event::InlineHtml(h) => current.push((
                {
                    html_comment(ctx, &h, range.start);
                    Block::Paragraph { number: None, content: vec![Inline::Text { text: h.trim_end().to_string() }] }
                },
                range,
            )),
            _ => {}
        }
    }
    let blocks = group_containers(ctx, current);
    match heading {
        Some(mut h) => {
            h.blocks = blocks;
            file.sections.push(h);
        }
        None => file.preamble = blocks,
    }
    file
}

/// A heading's title goes into the PDF's outline, a PDF string of at most 32,767 bytes.
fn title_length(ctx: &mut Ctx<'_>, title: &[Inline], offset: usize) {
    Limit { key: "title-too-long.heading", max: MAX_TITLE }.check(ctx, title, offset);
}

/// A length limit of a renderer, as a `check` error at the place of the text that passes it.
struct Limit {
    /// The catalogue key, whose message takes the length `n` and the limit `max`.
    key: &'static str,
    max: usize,
}

impl Limit {
    fn check(&self, ctx: &mut Ctx<'_>, inlines: &[Inline], offset: usize) {
        let n = super::plain_text(inlines).chars().count();
        if n > self.max {
            ctx.diags.push(Diagnostic::new(self.key, ctx.loc(offset)).arg("n", n).arg("max", self.max));
        }
    }
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// What a `:::` line says.
enum Fence {
    Open(String),
    Close,
}

fn fence_of(line: &str) -> Option<Fence> {
    let rest = line.trim().strip_prefix(":::")?;
    let rest = rest.trim().trim_start_matches('{').trim_end_matches('}').trim().trim_start_matches('.');
    Some(if rest.is_empty() { Fence::Close } else { Fence::Open(rest.to_string()) })
}

/// Turns `::: level` … `:::` paragraphs among a section's top-level blocks into containers.
fn group_containers(ctx: &mut Ctx<'_>, blocks: Vec<(Block, Range<usize>)>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(crate::config::Level, Vec<Block>, Loc)> = None;
    for (block, range) in blocks {
        let src = &ctx.text[range.clone()];
        let fence = match &block {
            Block::Paragraph { .. } => {
                let lines: Vec<&str> = src.lines().filter(|l| !l.trim().is_empty()).collect();
                let fenced = lines.iter().any(|l| l.trim_start().starts_with(":::"));
                if fenced && lines.len() > 1 {
                    ctx.diags.push(Diagnostic::new("container-syntax", ctx.loc(range.start)));
                    None
                } else if fenced {
                    fence_of(lines[0])
                } else {
                    None
                }
            }
            _ => None,
        };
        match fence {
            Some(Fence::Open(key)) => {
                if let Some((_, _, at)) = &open {
                    let d = Diagnostic::new("container-unclosed.nested", ctx.loc(range.start));
                    ctx.diags.push(d.arg("key", key).arg("line", at.line));
                    continue;
                }
                let Some(level) = (is_key(&key)).then(|| ctx.config.level(&key)).flatten() else {
                    let d = Diagnostic::new("unknown-level.container", ctx.loc(range.start));
                    ctx.diags.push(d.arg("key", key).arg("levels", ctx.config.level_keys()));
                    // Keep what follows classified at the highest level so that nothing leaks
                    // while the author fixes the key.
                    let top = crate::config::Level(ctx.config.levels.len() as u8 - 1);
                    open = Some((top, Vec::new(), ctx.loc(range.start)));
                    continue;
                };
                open = Some((level, Vec::new(), ctx.loc(range.start)));
            }
            Some(Fence::Close) => match open.take() {
                Some((level, blocks, loc)) => out.push(Block::Classified { level, blocks, loc }),
                None => ctx.diags.push(Diagnostic::new("container-unclosed.stray", ctx.loc(range.start))),
            },
            None => match &mut open {
                Some((_, inner, _)) => inner.push(block),
                None => out.push(block),
            },
        }
    }
    if let Some((level, blocks, loc)) = open {
        ctx.diags.push(Diagnostic::new("container-unclosed", loc.clone()));
        // Keep the content classified as opened: an unclosed container must never leak.
        out.push(Block::Classified { level, blocks, loc });
    }
    out
}

/// Parses the block opened by `tag`. `top` is false inside lists and quotes.
fn block(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, tag: Tag<'_>, range: Range<usize>, top: bool) -> Option<Block> {
    let cost = if matches!(tag, Tag::List(_)) { LIST_COST } else { 1 };
    if ctx.depth + cost > MAX_DEPTH {
        too_deep(ctx, ev, tag.to_end(), range.start);
        return None;
    }
    ctx.depth += cost;
    let b = block_inner(ctx, ev, tag, range, top);
    ctx.depth -= cost;
    b
}

/// Reports nesting beyond [`MAX_DEPTH`] and skips the rest of the construct without recursing.
fn too_deep(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, end: TagEnd, offset: usize) {
    let d = Diagnostic::new("nesting-depth", ctx.loc(offset)).arg("max", MAX_DEPTH).arg("cost", LIST_COST);
    ctx.diags.push(d.arg("lists", MAX_DEPTH / LIST_COST));
    let mut depth = 0u32;
    for (e, _) in ev.by_ref() {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(t) if depth == 0 && t == end => break,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// Raw HTML is shown as text; a comment would therefore be published, which its author surely does
/// not expect. (An allow marker of the prose check, `<!-- policybook: allow CODE -->` and nothing
/// else, is dropped instead: it says nothing but codes.)
fn html_comment(ctx: &mut Ctx<'_>, html: &str, offset: usize) {
    if html.contains("<!--") {
        ctx.diags.push(Diagnostic::new("html-comment", ctx.loc(offset)));
    }
}

fn block_inner(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, tag: Tag<'_>, range: Range<usize>, top: bool) -> Option<Block> {
    match tag {
        Tag::Paragraph if matches!(ev.peek(), Some((Event::Start(Tag::Image { .. }), _))) => figure(ctx, ev),
        Tag::Paragraph => {
            let content = inlines_until(ctx, ev, TagEnd::Paragraph);
            paragraph_length(ctx, &content, range.start);
            if !top && ctx.text[range.clone()].lines().any(|l| l.trim_start().starts_with(":::")) {
                ctx.diags.push(Diagnostic::new("container-syntax.in-list", ctx.loc(range.start)));
            }
            Some(Block::Paragraph { number: None, content })
        }
        Tag::List(start) => Some(list(ctx, ev, start.is_some())),
        Tag::BlockQuote(_) => {
            Some(Block::Quote { blocks: blocks_until(ctx, ev, TagEnd::BlockQuote(None), range.start) })
        }
        Tag::CodeBlock(_) => {
            let mut text = String::new();
            for (e, _) in ev.by_ref() {
                match e {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => break,
                    _ => {}
                }
            }
            Some(Block::Code { text: text.trim_end_matches('\n').to_string() })
        }
        Tag::HtmlBlock => {
            let mut text = String::new();
            for (e, _) in ev.by_ref() {
                match e {
                    Event::Html(t) | Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::HtmlBlock) => break,
                    _ => {}
                }
            }
            if super::prose::marker(&text).is_some() {
                return None;
            }
            html_comment(ctx, &text, range.start);
            Some(Block::Paragraph { number: None, content: vec![Inline::Text { text: text.trim_end().to_string() }] })
        }
        Tag::Table(aligns) => Some(table(ctx, ev, &aligns)),
        Tag::Heading { .. } => {
            ctx.diags.push(Diagnostic::new("heading-nested", ctx.loc(range.start)));
            let end = tag.to_end();
            for (e, _) in ev.by_ref() {
                if e == Event::End(end) {
                    break;
                }
            }
            None
        }
        other => {
            // Footnotes, definition lists and the like are not enabled; skip to their end.
            let end = other.to_end();
            for (e, _) in ev.by_ref() {
                if e == Event::End(end) {
                    break;
                }
            }
            None
        }
    }
}

fn list(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, ordered: bool) -> Block {
    let mut items = Vec::new();
    while let Some((e, r)) = ev.next() {
        match e {
            Event::Start(Tag::Item) => {
                let mut blocks = blocks_until(ctx, ev, TagEnd::Item, r.start);
                let inserted = take_inserted_mark(&mut blocks);
                items.push(ListItem { number: None, inserted, blocks });
            }
            Event::End(TagEnd::List(_)) => break,
            _ => {}
        }
    }
    Block::List { ordered, items }
}

fn table(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, aligns: &[pulldown_cmark::Alignment]) -> Block {
    let align = aligns
        .iter()
        .map(|a| match a {
            pulldown_cmark::Alignment::None => Align::None,
            pulldown_cmark::Alignment::Left => Align::Left,
            pulldown_cmark::Alignment::Center => Align::Center,
            pulldown_cmark::Alignment::Right => Align::Right,
        })
        .collect();
    let mut head = Vec::new();
    let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
    let mut in_head = false;
    while let Some((e, r)) = ev.next() {
        match e {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                let cell = inlines_until(ctx, ev, TagEnd::TableCell);
                paragraph_length(ctx, &cell, r.start);
                if in_head {
                    head.push(cell);
                } else if let Some(r) = rows.last_mut() {
                    r.push(cell);
                }
            }
            Event::End(TagEnd::Table) => break,
            _ => {}
        }
    }
    Block::Table { align, head, rows }
}

/// A paragraph that starts with an image: a figure `![alt](path "caption")`, which must stand
/// alone in its paragraph.
fn figure(ctx: &mut Ctx<'_>, ev: &mut Events<'_>) -> Option<Block> {
    let Some((Event::Start(Tag::Image { dest_url, title, .. }), r)) = ev.next() else { return None };
    let loc = ctx.loc(r.start);
    let alt = super::plain_text(&inlines_until(ctx, ev, TagEnd::Image));
    let rest = inlines_until(ctx, ev, TagEnd::Paragraph);
    if !super::plain_text(&rest).trim().is_empty() {
        ctx.diags.push(figure_alone(loc.clone(), &dest_url));
    }
    match super::figure::new(&dest_url, alt.clone(), &title, loc, ctx.diags) {
        Some(f) => Some(Block::Figure(f)),
        None => Some(Block::Paragraph { number: None, content: vec![Inline::Text { text: alt }] }),
    }
}

fn figure_alone(loc: Loc, src: &str) -> Diagnostic {
    Diagnostic::new("figure-syntax", loc).arg("src", src)
}

/// Removes the mark `{.inserted}` that starts a list item inserted by an amendment ((2)の2).
fn take_inserted_mark(blocks: &mut [Block]) -> bool {
    const MARK: &str = "{.inserted}";
    let Some(Block::Paragraph { content, .. }) = blocks.first_mut() else { return false };
    let Some(Inline::Text { text }) = content.first_mut() else { return false };
    let Some(rest) = text.strip_prefix(MARK) else { return false };
    *text = rest.trim_start().to_string();
    true
}

/// Blocks up to `end` (inside a list item or quote). Tight list items hold bare text: it becomes a
/// paragraph.
fn blocks_until(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, end: TagEnd, start: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut loose: Vec<Piece> = Vec::new();
    while let Some((e, r)) = ev.next() {
        match e {
            Event::End(t) if t == end => break,
            Event::Start(tag) if is_block(&tag) => {
                if !loose.is_empty() {
                    let content = resolve(std::mem::take(&mut loose));
                    paragraph_length(ctx, &content, start);
                    out.push(Block::Paragraph { number: None, content });
                }
                if let Some(b) = block(ctx, ev, tag, r, false) {
                    out.push(b);
                }
            }
            Event::Rule => out.push(Block::Rule),
            other => inline_event(ctx, ev, other, r, &mut loose),
        }
    }
    if !loose.is_empty() {
        let content = resolve(loose);
        paragraph_length(ctx, &content, start);
        out.push(Block::Paragraph { number: None, content });
    }
    out
}

/// Typesetting a paragraph takes more than linear time in its length (a 600 KB line, 24 s): a
/// paragraph, a list item's text or a table cell over [`MAX_PARAGRAPH`] characters is an error.
fn paragraph_length(ctx: &mut Ctx<'_>, content: &[Inline], offset: usize) {
    Limit { key: "paragraph-too-long", max: MAX_PARAGRAPH }.check(ctx, content, offset);
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::List(_)
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::Table(_)
            | Tag::Heading { .. }
            | Tag::FootnoteDefinition(_)
    )
}

/// An inline or a soft line break not yet resolved.
enum Piece {
    Inline(Inline),
    Soft,
}

fn inlines_until(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, end: TagEnd) -> Vec<Inline> {
    if ctx.depth >= MAX_DEPTH {
        let offset = ev.peek().map_or(0, |(_, r)| r.start);
        too_deep(ctx, ev, end, offset);
        return Vec::new();
    }
    ctx.depth += 1;
    let out = inlines_inner(ctx, ev, end);
    ctx.depth -= 1;
    out
}

fn inlines_inner(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, end: TagEnd) -> Vec<Inline> {
    let mut pieces = Vec::new();
    while let Some((e, r)) = ev.next() {
        if e == Event::End(end) {
            break;
        }
        inline_event(ctx, ev, e, r, &mut pieces);
    }
    resolve(pieces)
}

fn inline_event(ctx: &mut Ctx<'_>, ev: &mut Events<'_>, e: Event<'_>, r: Range<usize>, out: &mut Vec<Piece>) {
    match e {
        Event::Html(t) | Event::InlineHtml(t) if super::prose::marker(&t).is_some() => {
            // Dropped with the space before it: the text reads as it would without the marker.
            if let Some(Piece::Inline(Inline::Text { text })) = out.last_mut() {
                text.truncate(text.trim_end().len());
            }
        }
        Event::Html(t) | Event::InlineHtml(t) if t.contains("<!--") => {
            html_comment(ctx, &t, r.start);
            out.push(Piece::Inline(Inline::Text { text: t.to_string() }))
        }
        Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
            out.push(Piece::Inline(Inline::Text { text: t.to_string() }))
        }
        Event::Code(t) => out.push(Piece::Inline(Inline::Code { text: t.to_string() })),
        Event::SoftBreak => out.push(Piece::Soft),
        Event::HardBreak => out.push(Piece::Inline(Inline::Break)),
        Event::Start(Tag::Emphasis) => {
            out.push(Piece::Inline(Inline::Emph { content: inlines_until(ctx, ev, TagEnd::Emphasis) }))
        }
        Event::Start(Tag::Strong) => {
            out.push(Piece::Inline(Inline::Strong { content: inlines_until(ctx, ev, TagEnd::Strong) }))
        }
        Event::Start(Tag::Strikethrough) => {
            // No strikethrough in policies: keep the text.
            for i in inlines_until(ctx, ev, TagEnd::Strikethrough) {
                out.push(Piece::Inline(i));
            }
        }
        Event::Start(Tag::Link { dest_url, link_type, .. }) => {
            let content = inlines_until(ctx, ev, TagEnd::Link);
            let loc = ctx.loc(r.start);
            if !matches!(link_type, LinkType::Inline | LinkType::Autolink | LinkType::Email) {
                // A reference-style link takes its target from a definition that may stand anywhere
                // in the file, even inside a classified part: refuse it rather than leak the target.
                ctx.diags.push(Diagnostic::new("ref-syntax.reference-link", loc));
                out.push(Piece::Inline(Inline::Text { text: super::plain_text(&content) }));
                return;
            }
            out.push(Piece::Inline(link(ctx, &dest_url, content, loc)));
        }
        Event::Start(Tag::Image { dest_url, .. }) => {
            let alt = inlines_until(ctx, ev, TagEnd::Image);
            ctx.diags.push(figure_alone(ctx.loc(r.start), &dest_url));
            out.extend(alt.into_iter().map(Piece::Inline));
        }
        Event::Start(tag) => {
            let end = tag.to_end();
            for i in inlines_until(ctx, ev, end) {
                out.push(Piece::Inline(i));
            }
        }
        _ => {}
    }
}

/// A Markdown link: an external URL, or a cross-reference `#id`, `doc#id`, `doc`, with the 項 and
/// 号 of an article after the section id (`#id/2/3`).
fn link(ctx: &mut Ctx<'_>, url: &str, content: Vec<Inline>, loc: Loc) -> Inline {
    if url.chars().count() > MAX_URL {
        ctx.diags.push(Diagnostic::new("url-too-long", loc).arg("n", url.chars().count()).arg("max", MAX_URL));
        return Inline::Text { text: super::plain_text(&content) };
    }
    if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") {
        return Inline::Link { url: url.to_string(), content };
    }
    let (doc, section) = match url.split_once('#') {
        Some((d, s)) => (if d.is_empty() { ctx.doc } else { d }, Some(s)),
        None => (url, None),
    };
    let (section, sub) = match section.map(|s| s.split_once('/').unwrap_or((s, ""))) {
        Some((s, sub)) => (Some(s), xref::parse_segs(sub)),
        None => (None, Some(Vec::new())),
    };
    let Some(sub) = sub.filter(|_| is_key(doc) && section.is_none_or(is_key)) else {
        ctx.diags.push(Diagnostic::new("ref-syntax", loc.clone()).arg("url", url));
        return Inline::Text { text: super::plain_text(&content) };
    };
    Inline::Ref(Ref { doc: doc.to_string(), section: section.map(str::to_string), sub, content, loc, place: () })
}

/// Whether a character belongs to East Asian wide text (kanji, kana, full-width punctuation).
pub fn is_wide(c: char) -> bool {
    c.width() == Some(2) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF61}'..='\u{FF9F}')
}

fn last_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { text } | Inline::Code { text } => text.chars().last(),
        Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
            content.last().and_then(last_char)
        }
        Inline::Ref(r) => r.content.last().and_then(last_char).or(Some('0')),
        Inline::Break => None,
    }
}

fn first_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { text } | Inline::Code { text } => text.chars().next(),
        Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
            content.first().and_then(first_char)
        }
        Inline::Ref(r) => r.content.first().and_then(first_char).or(Some('0')),
        Inline::Break => None,
    }
}

/// Resolves soft breaks (nothing between wide characters, a space otherwise) and merges text.
fn resolve(pieces: Vec<Piece>) -> Vec<Inline> {
    // The bytes of text that follow each piece up to the next inline that is not text (a space
    // per soft break at most): a run of lines joined into one string is allocated once.
    let mut rest = vec![0; pieces.len()];
    let mut after = 0;
    for (k, p) in pieces.iter().enumerate().rev() {
        rest[k] = after;
        after = match p {
            Piece::Soft => after + 1,
            Piece::Inline(Inline::Text { text }) => after + text.len(),
            Piece::Inline(_) => 0,
        };
    }
    let mut out: Vec<Inline> = Vec::new();
    let mut pending_soft = false;
    for (p, rest) in pieces.into_iter().zip(rest) {
        match p {
            Piece::Soft => pending_soft = true,
            Piece::Inline(i) => {
                if pending_soft {
                    pending_soft = false;
                    let before = out.last().and_then(last_char);
                    let after = first_char(&i);
                    let join = before.is_some_and(is_wide) || after.is_some_and(is_wide);
                    if !join && before.is_some() {
                        push_text(&mut out, " ");
                    }
                }
                match i {
                    // Joined to the text before, or kept as it is (not copied).
                    Inline::Text { mut text } => match out.last_mut() {
                        Some(Inline::Text { text: last }) => last.push_str(&text),
                        _ => {
                            text.reserve(rest);
                            out.push(Inline::Text { text })
                        }
                    },
                    other => out.push(other),
                }
            }
        }
    }
    out
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if let Some(Inline::Text { text }) = out.last_mut() {
        text.push_str(s);
    } else {
        out.push(Inline::Text { text: s.to_string() });
    }
}
