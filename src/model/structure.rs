//! The structure of a rule (例規) in article style: 章・節・款 above the articles, 条 with branch
//! numbers and repeals in place, 附則 and 別表 / 様式 after the main provisions.
//!
//! [`classify`] gives every section its [`Kind`] once, at load time, from its depth and classes;
//! [`number_rule`] computes the numbers from the kinds, on the whole model and again on every
//! edition, like [`crate::model::numbering::assign`] for admin-style documents.

use super::numbering::{number_text_blocks, widen, BlockCtx, Number, Style};
use super::{plain_text, walk, Block, Date, Document, Inline, Kind, Revision, Section};
use crate::config::{Lang, Numerals};
use crate::diag::Diagnostic;

/// The heading classes that declare a section's part in a rule.
pub(crate) const CLASSES: [&str; 5] = ["inserted", "deleted", "supplementary", "appended-table", "form"];

/// The kind a heading's classes and `revision=` declare, before depth is known.
pub(crate) fn declared(classes: &[String], revision: Option<Date>) -> Kind {
    let has = |c: &str| classes.iter().any(|x| x == c);
    if has("supplementary") {
        Kind::Supplementary { revision }
    } else if has("appended-table") || has("form") {
        Kind::Appendix { form: has("form") }
    } else if has("inserted") || has("deleted") {
        Kind::Article { inserted: has("inserted"), deleted: has("deleted"), caption: true }
    } else {
        Kind::Plain
    }
}

/// Gives the sections of an article-style document their kinds: the deepest numbered level of the
/// main provisions holds the articles, the levels above are 章, 節 and 款. Reports what does not fit.
pub(crate) fn classify(doc: &mut Document, diags: &mut Vec<Diagnostic>) {
    if doc.numbering == Style::Admin {
        for s in doc.walk().into_iter().filter(|s| s.kind != Kind::Plain) {
            diags.push(Diagnostic::new("numbering.class-needs-article", s.ja.loc.clone()).arg("id", &s.id));
        }
        return;
    }
    let main = |s: &Section| !s.unnumbered && matches!(s.kind, Kind::Plain | Kind::Article { .. });
    let deepest = doc.walk().into_iter().filter(|s| main(s)).map(|s| s.depth).max().unwrap_or(1);
    let history: Vec<Date> = doc.history.iter().map(|r| r.date).collect();
    let top: Vec<bool> = doc.sections.iter().map(main).collect();
    if let Some(p) = top.iter().position(|m| !m) {
        if let Some(s) = top[p..].iter().position(|m| *m).map(|i| &doc.sections[p + i]) {
            diags.push(Diagnostic::new("numbering.after-appendix", s.ja.loc.clone()).arg("id", &s.id));
        }
    }
    for s in &mut doc.sections {
        classify_section(s, deepest, &history, diags);
    }
}

fn classify_section(s: &mut Section, deepest: u8, history: &[Date], diags: &mut Vec<Diagnostic>) {
    match s.kind {
        Kind::Supplementary { revision: Some(d) } if !history.contains(&d) => diags.push(
            Diagnostic::new("numbering.revision-not-in-history", s.ja.loc.clone()).arg("id", &s.id).arg("date", d),
        ),
        Kind::Supplementary { .. } | Kind::Appendix { .. } if s.depth > 1 => {
            diags.push(Diagnostic::new("numbering.appendix-depth", s.ja.loc.clone()).arg("id", &s.id))
        }
        Kind::Plain | Kind::Article { .. } if !s.unnumbered && s.depth < deepest => {
            if s.kind != Kind::Plain || deepest - s.depth > 3 {
                diags.push(Diagnostic::new("numbering.above-articles", s.ja.loc.clone()).arg("id", &s.id));
            } else if s.children.is_empty() {
                diags.push(Diagnostic::new("numbering.empty-chapter", s.ja.loc.clone()).arg("id", &s.id));
            } else if !s.ja.blocks.is_empty() {
                diags.push(Diagnostic::new("numbering.chapter-text", s.ja.loc.clone()).arg("id", &s.id));
            }
            s.kind = Kind::Group { rank: s.depth };
        }
        Kind::Plain if !s.unnumbered => s.kind = Kind::Article { inserted: false, deleted: false, caption: true },
        _ => {}
    }
    if let Kind::Article { deleted: true, .. } = s.kind {
        if !s.ja.blocks.is_empty() {
            diags.push(Diagnostic::new("numbering.deleted-text", s.ja.loc.clone()).arg("id", &s.id));
        }
    }
    for c in &mut s.children {
        classify_section(c, deepest, history, diags);
    }
}

/// Running state while numbering a rule.
struct RuleCtx<'a> {
    numerals: Numerals,
    history: &'a [Revision],
    /// The last article's number and branch.
    article: (u32, u32),
    /// 章, 節, 款 counters.
    groups: [u32; 3],
    /// The 見出し of the article before, for 共通見出し.
    last_title: Option<String>,
    tables: (u32, u32),
    forms: (u32, u32),
}

/// Numbers an article-style document: 章 and articles continuously across them, 附則 and 別表.
pub(crate) fn number_rule(doc: &mut Document) {
    let count = |form: bool| doc.sections.iter().filter(|s| s.kind == Kind::Appendix { form }).count() as u32;
    let (tables, forms) = (count(false), count(true));
    let history = doc.history.clone();
    let mut ctx = RuleCtx {
        numerals: doc.numerals,
        history: &history,
        article: (0, 0),
        groups: [0; 3],
        last_title: None,
        tables: (0, tables),
        forms: (0, forms),
    };
    number_sections(&mut ctx, &mut doc.sections);
    cite_captions(doc);
}

fn number_sections(ctx: &mut RuleCtx<'_>, sections: &mut [Section]) {
    for s in sections {
        let w = ctx.numerals;
        let mut blocks = BlockCtx::new(Style::Article, w, 0, None);
        s.number = match s.kind {
            Kind::Group { rank } => {
                let r = (rank as usize).clamp(1, 3) - 1;
                ctx.groups[r] += 1;
                ctx.groups[r + 1..].iter_mut().for_each(|g| *g = 0);
                ctx.last_title = None;
                Some(group_number(rank, ctx.groups[r]).widened(w))
            }
            Kind::Article { inserted, deleted, .. } => {
                ctx.article = match ctx.article {
                    (o, b) if inserted && o > 0 => (o, b.max(1) + 1),
                    (o, _) => (o + 1, 0),
                };
                let title = (!deleted).then(|| plain_text(&s.ja.title));
                let caption = title.is_some() && title != ctx.last_title;
                ctx.last_title = title;
                s.kind = Kind::Article { inserted, deleted, caption };
                let n = Number::new(Style::Article, 1, ctx.article.0, None).branched(ctx.article.1).widened(w);
                blocks = BlockCtx::new(Style::Article, w, 1, Some(n.clone()));
                Some(n)
            }
            Kind::Supplementary { revision } => {
                let n = supplementary_number(ctx, revision);
                blocks = BlockCtx::new(Style::Article, w, 1, Some(n.clone()));
                blocks.number_first = top_paragraphs(&s.ja.blocks) > 1;
                Some(n)
            }
            Kind::Appendix { form } => {
                blocks = BlockCtx::new(Style::Article, w, 2, None);
                Some(appendix_number(if form { &mut ctx.forms } else { &mut ctx.tables }, form, w))
            }
            Kind::Plain => None,
        };
        number_text_blocks(s, &mut blocks);
        number_sections(ctx, &mut s.children);
    }
}

fn top_paragraphs(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { .. } => 1,
            Block::Classified { blocks, .. } => top_paragraphs(blocks),
            _ => 0,
        })
        .sum()
}

fn group_number(rank: u8, n: u32) -> Number {
    let (ja, en) = match rank {
        1 => ("章", "Chapter"),
        2 => ("節", "Section"),
        _ => ("款", "Subsection"),
    };
    Number::named(0, n, format!("第{n}{ja}"), format!("{en} {n}"))
}

/// 「附　則」 or 「附　則（令和９年３月31日訓令第５号）」 from the revision the 附則 enacts.
fn supplementary_number(ctx: &RuleCtx<'_>, revision: Option<Date>) -> Number {
    let r = revision.and_then(|d| ctx.history.iter().find(|r| r.date == d));
    let (ja, en) = match r {
        Some(r) => {
            let inst = r.instrument.as_deref().unwrap_or("");
            let date = crate::model::wareki::format_date(r.date, Lang::Ja);
            let en_date = crate::model::wareki::format_date(r.date, Lang::En);
            let en_inst = instrument_en(inst);
            let en = if en_inst.is_empty() { format!(" ({en_date})") } else { format!(" ({en_inst} of {en_date})") };
            (widen(&format!("（{date}{inst}）"), ctx.numerals), en)
        }
        None => (String::new(), String::new()),
    };
    let mut n = Number::named(0, 0, format!("附　則{ja}"), format!("Supplementary Provisions{en}"));
    n.ja_path = format!("附則{ja}");
    n
}

/// The English name of an instrument: 訓令第5号 → Directive No. 5 (other wording is kept).
fn instrument_en(inst: &str) -> String {
    let Some((kind, rest)) = inst.split_once('第') else { return inst.to_string() };
    let Some(no) = rest.strip_suffix('号') else { return inst.to_string() };
    let kind = match kind {
        "訓令" => "Directive",
        "規則" => "Rules",
        "告示" => "Public Notice",
        "条例" => "Ordinance",
        "規程" => "Regulations",
        _ => return inst.to_string(),
    };
    format!("{kind} No. {no}")
}

/// 別表 / 別表第1 (when there are several), 様式 / 様式第1号.
fn appendix_number(counter: &mut (u32, u32), form: bool, w: Numerals) -> Number {
    counter.0 += 1;
    let n = counter.0;
    let several = counter.1 > 1;
    let (ja, en) = match (form, several) {
        (false, false) => ("別表".to_string(), "Appended Table".to_string()),
        (false, true) => (format!("別表第{n}"), format!("Appended Table {n}")),
        (true, false) => ("様式".to_string(), "Form".to_string()),
        (true, true) => (format!("様式第{n}号"), format!("Form {n}")),
    };
    Number::named(0, n, ja, en).widened(w)
}

/// Adds 「（第5条関係）」 to the label of each 別表 and 様式: the first article referring to it.
fn cite_captions(doc: &mut Document) {
    let mut cites: Vec<(String, Number)> = Vec::new();
    for s in doc.walk() {
        let (Kind::Article { .. }, Some(n)) = (s.kind, &s.number) else { continue };
        walk::blocks(&s.ja.blocks, &mut |b| {
            for run in b.inline_runs() {
                walk::inlines(run, &mut |i| {
                    let Inline::Ref(r) = i else { return };
                    if let Some(id) = r.section.as_ref().filter(|_| r.doc == doc.id) {
                        if !cites.iter().any(|(x, _)| x == id) {
                            cites.push((id.clone(), n.clone()));
                        }
                    }
                });
            }
        });
    }
    for s in &mut doc.sections {
        let (Kind::Appendix { .. }, Some(n)) = (s.kind, s.number.as_mut()) else { continue };
        if let Some((_, a)) = cites.iter().find(|(id, _)| *id == s.id) {
            n.ja = format!("{}（{}関係）", n.ja, a.ja);
            n.en = format!("{} (re: {})", n.en, a.en);
        }
    }
}

/// The articles a 章 (or any section) holds, first and last: 「（第1条・第2条）」, 「（第3条―第4条の2）」.
pub fn article_range<P>(s: &Section<P>, lang: Lang) -> Option<String> {
    let mut arts: Vec<&Number> = Vec::new();
    collect_articles(s, &mut arts);
    let label = |n: &Number| n.label(lang).to_string();
    let (first, last) = (arts.first()?, arts.last()?);
    Some(match (lang, arts.len()) {
        (Lang::Ja, 1) => format!("（{}）", label(first)),
        (Lang::Ja, 2) => format!("（{}・{}）", label(first), label(last)),
        (Lang::Ja, _) => format!("（{}―{}）", label(first), label(last)),
        (Lang::En, 1) => format!("({})", label(first)),
        (Lang::En, n) => {
            let bare = |n: &Number| label(n).trim_start_matches("Article ").to_string();
            let join = if n == 2 { "and" } else { "to" };
            format!("(Articles {} {join} {})", bare(first), bare(last))
        }
    })
}

fn collect_articles<'a, P>(s: &'a Section<P>, out: &mut Vec<&'a Number>) {
    for c in &s.children {
        if let (Kind::Article { .. }, Some(n)) = (c.kind, &c.number) {
            out.push(n);
        }
        collect_articles(c, out);
    }
}

/// The 見出し as printed: 「（目的）」 (kept as written when the source has the parentheses).
pub fn caption(title: &str, lang: Lang) -> String {
    let t = title.trim();
    match lang {
        Lang::Ja if t.starts_with('（') && t.ends_with('）') => t.to_string(),
        Lang::Ja => format!("（{t}）"),
        Lang::En if t.starts_with('(') && t.ends_with(')') => t.to_string(),
        Lang::En => format!("({t})"),
    }
}

/// A section's heading as a table of contents (目次, `outline`) shows it in a rule:
/// 「第１章　総則（第１条・第２条）」, 「第１条（目的）」, 「第５条　削除」, 「附　則」,
/// 「別表（第５条関係）」. `None` for a plain section.
pub fn toc_label<P>(s: &Section<P>, lang: Lang) -> Option<String> {
    let n = s.number.as_ref()?.label(lang);
    // Japanese runs the parentheses on (第１条（目的）), English spaces them (Article 1 (Purpose)).
    let (sp, paren) = if lang == Lang::Ja { ("\u{3000}", "") } else { (" ", " ") };
    let title = plain_text(&s.text(lang).0.title);
    Some(match s.kind {
        Kind::Plain => return None,
        Kind::Group { .. } => {
            format!("{n}{sp}{title}{}", article_range(s, lang).map(|r| format!("{paren}{r}")).unwrap_or_default())
        }
        Kind::Article { deleted: true, .. } => format!("{n}{sp}{}", deleted_word(lang)),
        Kind::Article { caption: true, .. } => format!("{n}{paren}{}", caption(&title, lang)),
        Kind::Article { .. } | Kind::Supplementary { .. } | Kind::Appendix { .. } => n.to_string(),
    })
}

/// What a repealed article prints after its number.
pub fn deleted_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "削除",
        Lang::En => "Deleted",
    }
}

/// The blocks of an article as printed: the article number runs into its first paragraph
/// (「第１条　この規程は、…」), and a repealed article reads 「第５条　削除」. Other sections'
/// blocks are returned as they are.
pub fn printed_blocks<P: Clone>(s: &Section<P>, blocks: &[Block<P>], lang: Lang) -> Vec<Block<P>> {
    let (Kind::Article { deleted, .. }, Some(n)) = (s.kind, &s.number) else { return blocks.to_vec() };
    let number = Some(n.clone());
    if deleted {
        let content = vec![super::Inline::Text { text: deleted_word(lang).to_string() }];
        return vec![Block::Paragraph { number, content }];
    }
    let mut out = blocks.to_vec();
    match out.first_mut() {
        Some(Block::Paragraph { number: first, .. }) => *first = number,
        _ => out.insert(0, Block::Paragraph { number, content: Vec::new() }),
    }
    out
}

/// Whether a section of a rule is listed in its 目次: 章・節・款, 附則 and 別表 / 様式, and the
/// articles themselves only in a rule without 章.
pub fn in_toc<P>(doc: &Document<P>, s: &Section<P>) -> bool {
    match s.kind {
        Kind::Article { .. } => !doc.sections.iter().any(|x| matches!(x.kind, Kind::Group { .. })),
        Kind::Plain => doc.numbering == Style::Admin,
        _ => true,
    }
}
