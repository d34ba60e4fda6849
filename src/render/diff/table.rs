//! The 新旧対照表 as a table of cells, shared by the HTML and PDF outputs: a row per changed
//! section or elided run, 改正後 (new) and 改正前 (old) cells made of text segments that are
//! underlined (傍線) or not. Source text stays text: renderers escape it (HTML) or pass it as data
//! (Typst).

use super::inline::Range;
use super::{DocDiff, DocStatus, Lines, Row, SectionDiff, SideText};
use crate::config::Lang;
use crate::render::words::{self, Table as Words};
use serde::Serialize;

/// A run of text, underlined when `u`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seg {
    pub t: String,
    pub u: bool,
}

/// A body line; an omitted line stands for unchanged paragraphs （略）.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub omitted: bool,
    pub segs: Vec<Seg>,
}

/// One side of a row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cell {
    /// （新設） / （削る）: the side has no such section.
    pub empty: Option<String>,
    /// An elided run: its number range, and 「（略）」.
    pub elided: Option<Seg>,
    pub number: Option<Seg>,
    pub title: Vec<Seg>,
    pub lines: Vec<Line>,
    /// 「（7(9)から移動）」 on the new side of a moved section.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    /// unchanged, renumbered, changed, moved, added, deleted, elided, title.
    pub class: &'static str,
    pub id: String,
    pub new: Cell,
    pub old: Cell,
}

/// Splits `text` into segments, underlining the character ranges.
pub fn segs(text: &str, ranges: &[Range]) -> Vec<Seg> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut pos = 0;
    for r in ranges {
        let (a, b) = (r[0].min(chars.len()), r[1].min(chars.len()));
        if a < pos || a >= b {
            continue;
        }
        if a > pos {
            out.push(Seg { t: chars[pos..a].iter().collect(), u: false });
        }
        out.push(Seg { t: chars[a..b].iter().collect(), u: true });
        pos = b;
    }
    if pos < chars.len() || out.is_empty() {
        out.push(Seg { t: chars[pos..].iter().collect(), u: false });
    }
    out
}

/// The rows of a document's table.
pub fn rows(d: &DocDiff, lang: Lang) -> Vec<TableRow> {
    let w = words::table(lang);
    let mut out = Vec::new();
    if d.old_title != d.new_title && d.status == DocStatus::Changed {
        let (o, n) = (d.old_title.as_deref().unwrap_or(""), d.new_title.as_deref().unwrap_or(""));
        let (ro, rn) = super::inline::changes(o, n, lang);
        out.push(TableRow {
            class: "title",
            id: String::new(),
            new: Cell { title: segs(n, &rn), ..Cell::default() },
            old: Cell { title: segs(o, &ro), ..Cell::default() },
        });
    }
    for row in &d.rows {
        match row {
            Row::Elided { renumbered, old_range, new_range, ids } => {
                let cell = |r: &str| Cell { elided: Some(Seg { t: r.to_string(), u: *renumbered }), ..Cell::default() };
                out.push(TableRow {
                    class: "elided",
                    id: ids.first().cloned().unwrap_or_default(),
                    new: cell(new_range),
                    old: cell(old_range),
                });
            }
            Row::Section { index, .. } => out.push(section(&d.sections[*index], lang, w)),
        }
    }
    out
}

fn section(s: &SectionDiff, lang: Lang, w: &Words) -> TableRow {
    let class = s.kind.name();
    let number_changed = match (&s.old, &s.new) {
        (Some(o), Some(n)) => o.path != n.path,
        _ => true,
    };
    let head = |t: &SideText| Cell {
        number: t.path.as_ref().map(|p| Seg { t: p.clone(), u: number_changed }),
        title: if t.title.is_empty() { Vec::new() } else { segs(&t.title, &t.title_changes) },
        ..Cell::default()
    };
    let (new, old) = match (&s.old, &s.new) {
        (Some(o), Some(n)) => {
            let (mut a, mut b) = (head(n), head(o));
            for run in super::body_lines(o, n) {
                match run {
                    Lines::Same(_) => {
                        let omitted = Line { omitted: true, segs: vec![Seg { t: w.omitted.into(), u: false }] };
                        a.lines.push(omitted.clone());
                        b.lines.push(omitted);
                    }
                    Lines::Changed { old, new } => {
                        a.lines.extend(new.iter().map(|(l, r)| Line { omitted: false, segs: segs(l, r) }));
                        b.lines.extend(old.iter().map(|(l, r)| Line { omitted: false, segs: segs(l, r) }));
                    }
                }
            }
            if s.moved {
                a.note = Some(words::moved_from(lang, o.label()));
            }
            (a, b)
        }
        (o, n) => {
            let whole = |t: &SideText| {
                let mut c = head(t);
                if !t.body.is_empty() {
                    c.lines = t
                        .body
                        .split('\n')
                        .map(|l| Line { omitted: false, segs: vec![Seg { t: l.to_string(), u: !l.is_empty() }] })
                        .collect();
                }
                c
            };
            let placeholder = |p: &str| Cell { empty: Some(p.to_string()), ..Cell::default() };
            (
                n.as_ref().map_or_else(|| placeholder(w.deleted), whole),
                o.as_ref().map_or_else(|| placeholder(w.added), whole),
            )
        }
    };
    TableRow { class, id: s.id.clone(), new, old }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        let s = segs("年1回更新", &[[1, 2]]);
        assert_eq!(
            s,
            vec![
                Seg { t: "年".into(), u: false },
                Seg { t: "1".into(), u: true },
                Seg { t: "回更新".into(), u: false }
            ]
        );
        assert_eq!(segs("", &[]), vec![Seg { t: "".into(), u: false }]);
    }
}
