//! The generated documents as Markdown source files, Japanese and English.

use super::{Block, Doc, Section, Text};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Clone, Copy, PartialEq)]
pub enum Lang {
    Ja,
    En,
}

fn pick(t: &Text, lang: Lang) -> &str {
    match lang {
        Lang::Ja => &t.ja,
        Lang::En => &t.en,
    }
}

/// Every source file of the documents: path (under the project) → text. `stale`: the Japanese
/// of this section gets one more sentence (the intended stale translation).
pub fn files(docs: &[Doc], stale: Option<&str>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for d in docs {
        for (lang, ext) in [(Lang::Ja, "ja"), (Lang::En, "en")] {
            let mut head = pick(&d.front, lang).to_string();
            head.push('\n');
            blocks(&mut head, &d.preamble, lang);
            if d.chapters {
                out.insert(format!("policy-source/{}/index.{ext}.md", d.id), head);
                for (c, s) in d.sections.iter().enumerate() {
                    let mut t = String::new();
                    section(&mut t, s, 1, lang, stale);
                    out.insert(format!("policy-source/{}/{:03}-chapter.{ext}.md", d.id, c + 1), t);
                }
            } else {
                for s in &d.sections {
                    section(&mut head, s, 1, lang, stale);
                }
                out.insert(format!("policy-source/{}.{ext}.md", d.id), head);
            }
        }
    }
    out
}

fn section(out: &mut String, s: &Section, depth: usize, lang: Lang, stale: Option<&str>) {
    let class = s.class.map(|c| format!(" .{c}")).unwrap_or_default();
    let _ = writeln!(out, "{} {} {{#{}{class}}}\n", "#".repeat(depth), pick(&s.title, lang), s.id);
    blocks(out, &s.blocks, lang);
    if lang == Lang::Ja && stale == Some(s.id.as_str()) {
        out.push_str("（この文は、最後の改訂で英訳を確認せずに加えた変更である。）\n\n");
    }
    for c in &s.children {
        section(out, c, depth + 1, lang, stale);
    }
}

fn blocks(out: &mut String, bs: &[Block], lang: Lang) {
    for b in bs {
        match b {
            Block::Para(t) => {
                let _ = writeln!(out, "{}\n", pick(t, lang));
            }
            Block::List(items) => {
                for (t, sub) in items {
                    let _ = writeln!(out, "1. {}", pick(t, lang));
                    for s in sub {
                        let _ = writeln!(out, "   1. {}", pick(s, lang));
                    }
                }
                out.push('\n');
            }
            Block::Table(rows) => {
                for (i, [a, b]) in rows.iter().enumerate() {
                    let _ = writeln!(out, "| {} | {} |", pick(a, lang), pick(b, lang));
                    if i == 0 {
                        out.push_str("|------|------|\n");
                    }
                }
                out.push('\n');
            }
            Block::Part(level, inner) => {
                let _ = writeln!(out, "::: {level}\n");
                blocks(out, inner, lang);
                out.push_str(":::\n\n");
            }
        }
    }
}
