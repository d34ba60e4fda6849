//! `policybook outline`: the numbered structure of documents, the quickest way for an author to
//! see what the computed numbers will be.

use crate::config::{Config, Lang};
use crate::model::{plain_text, Block, Document, Section};
use std::fmt::Write;

/// The outline of a document in a language, one line per section and numbered list item.
pub fn outline(config: &Config, doc: &Document, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}  [{}]", doc.id, doc.title(lang), config.level_def(doc.level).key);
    blocks(&mut out, config, doc.preamble.get(lang).unwrap_or(&doc.preamble.ja), 1, lang);
    for s in &doc.sections {
        section(&mut out, config, doc, s, lang);
    }
    out
}

fn section(out: &mut String, config: &Config, doc: &Document, s: &Section, lang: Lang) {
    let indent = "  ".repeat(s.depth as usize);
    let (text, fallback) = s.text(lang);
    let heading = super::structure::toc_label(s, lang).unwrap_or_else(|| {
        let number = s.number.as_ref().map_or(String::new(), |n| format!("{} ", n.label(lang)));
        format!("{number}{}", plain_text(&text.title))
    });
    let level = if s.level > doc.level { format!("  [{}]", config.level_def(s.level).key) } else { String::new() };
    let mark = if fallback && lang == Lang::En { "  (untranslated)" } else { "" };
    let _ = writeln!(out, "{indent}{heading}  {{#{}}}{level}{mark}", s.id);
    blocks(out, config, &text.blocks, s.depth as usize + 1, lang);
    for c in &s.children {
        section(out, config, doc, c, lang);
    }
}

fn blocks(out: &mut String, config: &Config, blocks_: &[Block], depth: usize, lang: Lang) {
    let preview = |text: String| -> String { text.chars().take(if lang == Lang::Ja { 30 } else { 60 }).collect() };
    for b in blocks_ {
        match b {
            Block::Paragraph { number: Some(n), content } => {
                let _ = writeln!(out, "{}{} {}…", "  ".repeat(depth), n.label(lang), preview(plain_text(content)));
            }
            Block::List { ordered: true, items } => {
                for it in items {
                    let first = it.blocks.iter().find_map(|b| match b {
                        Block::Paragraph { content, .. } => Some(plain_text(content)),
                        _ => None,
                    });
                    let preview = preview(first.unwrap_or_default());
                    let n = it.number.as_ref().map_or("", |n| n.label(lang));
                    let _ = writeln!(out, "{}{n} {preview}…", "  ".repeat(depth));
                    self::blocks(out, config, &it.blocks, depth + 1, lang);
                }
            }
            Block::Classified { level: l, blocks: inner, .. } => {
                let _ = writeln!(out, "{}::: {}", "  ".repeat(depth), config.level_def(*l).key);
                self::blocks(out, config, inner, depth, lang);
            }
            _ => {}
        }
    }
}
