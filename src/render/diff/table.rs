//! The 新旧対照表 as a table of cells, shared by the HTML and PDF outputs: per changed section a
//! heading row and one row per unit line, 改正後 (new) and 改正前 (old) side by side, so that a
//! 号 stands across from its counterpart, （削る） or （新設）. Text is made of segments underlined
//! (傍線) or not; each line says how it is laid out (indentation, ぶら下げ). Source text stays
//! text: renderers escape it (HTML) or pass it as data (Typst).

use super::inline::Range;
use super::units::{sep, Unit, UnitKind};
use super::{Diff, DocDiff, DocStatus, Row, SectionDiff, SideText};
use crate::config::Columns;
use crate::config::Lang;
use crate::model::numbering::Style;
use crate::model::wareki::format_date;
use crate::model::{structure, Kind as SectionKind};
use crate::render::words::{self, Table as Words};
use serde::Serialize;

/// A run of text, underlined when `u`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seg {
    pub t: String,
    pub u: bool,
}

/// How a line is laid out. `Para`: a paragraph with a one-character first-line indent
/// (段落の一字下げ); `Hang`: label and text run on, wrapped lines one character in (例規);
/// `Column`: the label in its own column, wrapped lines under the text (admin style).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Para,
    Hang,
    Column,
}

/// One side of a unit line: its label and text, or a placeholder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// 「（略）」 for unchanged units, 「（削る）」 / 「（新設）」 across from a unit this side lacks,
    /// "" for nothing (the other side of an added or deleted section).
    pub placeholder: Option<String>,
    /// Characters from the cell's edge to the start of the line.
    pub indent: u8,
    pub layout: Layout,
    /// The label and its separator (「（１）」, 「　」); empty for a paragraph without one.
    pub label: Vec<Seg>,
    pub segs: Vec<Seg>,
}

/// A row per unit line: the two sides and the unit's kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinePair {
    pub class: &'static str,
    pub new: Line,
    pub old: Line,
}

/// One side of a section's heading row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cell {
    /// （新設） / （削る）: the side has no such section.
    pub empty: Option<String>,
    /// An elided run: its number range, and 「（略）」.
    pub elided: Option<Seg>,
    /// Characters from the cell's edge to the heading (章 three in, an article's 見出し one in).
    pub indent: u8,
    pub number: Option<Seg>,
    pub title: Vec<Seg>,
    /// 「（7(9)から移動）」 on the new side of a moved section.
    pub note: Option<String>,
}

impl Cell {
    /// Whether the heading row has nothing to show on this side.
    pub fn is_blank(&self) -> bool {
        self.empty.is_none() && self.elided.is_none() && self.number.is_none() && self.title.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    /// unchanged, renumbered, changed, moved, added, deleted, elided, title.
    pub class: &'static str,
    pub id: String,
    pub new: Cell,
    pub old: Cell,
    /// The section's units, side by side.
    pub lines: Vec<LinePair>,
    /// Whether the row is a top-level section's (a 章, or an admin document's 1): where a
    /// long table may be cut into runs of pages (the PDF's).
    #[serde(skip)]
    pub top: bool,
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

/// The title block of a document's table, and the order of its columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heading {
    /// 「…の一部を改正する訓令 新旧対照表」 or 「<document title> 新旧対照表」.
    pub title: String,
    /// The two revisions: release names or dates, and the effective dates.
    pub revisions: String,
    /// The edition and the commits, only when asked for.
    pub subtitle: Option<String>,
    /// 「（傍線部分は改正部分）」.
    pub note: String,
    /// The column headings, left to right.
    pub columns: [String; 2],
    /// Whether the new side is the left column.
    pub new_first: bool,
}

/// The title block of document `d` (`None`: of a comparison without changed documents).
pub fn heading(diff: &Diff, d: Option<&DocDiff>) -> Heading {
    let w = words::table(diff.lang);
    let title = match (&diff.instrument, d) {
        (Some(i), _) => format!("{i}{}", w.suffix),
        (None, Some(d)) => format!("{}{}", d.title, w.suffix),
        (None, None) => w.suffix.trim_start_matches([' ', '—']).trim().to_string(),
    };
    let new_first = diff.columns == Columns::NewOld;
    let (new, old) = if new_first { (w.new, w.old) } else { (w.draft, w.current) };
    let side = |name: &str, label: &str, date: Option<crate::model::Date>| {
        let eff = date.map(|d| words::effective_line(diff.lang, &format_date(d, diff.lang)));
        match (diff.lang, eff) {
            (Lang::Ja, Some(e)) => format!("{name}：{label}（{e}）"),
            (Lang::Ja, None) => format!("{name}：{label}"),
            (Lang::En, Some(e)) => format!("{name}: {label} ({e})"),
            (Lang::En, None) => format!("{name}: {label}"),
        }
    };
    let n = side(new, &diff.new, d.and_then(|d| d.new_effective));
    let o = side(old, &diff.old, d.and_then(|d| d.old_effective));
    let gap = if diff.lang == Lang::Ja { "　" } else { " / " };
    let revisions = if new_first { format!("{n}{gap}{o}") } else { format!("{o}{gap}{n}") };
    let columns = if new_first { [new, old] } else { [old, new] }.map(str::to_string);
    Heading { title, revisions, subtitle: diff.subtitle.clone(), note: w.note.to_string(), columns, new_first }
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
            lines: Vec::new(),
            top: false,
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
                    lines: Vec::new(),
                    top: false,
                });
            }
            Row::Section { index, .. } => out.push(section(&d.sections[*index], d.numbering, lang, w)),
        }
    }
    out
}

/// The heading of one side: 「6(3)　題名」, an article's 「（見出し）」 (its number runs into the
/// first paragraph), 「附　則」 or 「別表（第5条関係）」 alone, 「第１章　総則」.
fn head(t: &SideText, number_changed: bool, lang: Lang) -> Cell {
    let title = || if t.title.is_empty() { Vec::new() } else { segs(&t.title, &t.title_changes) };
    let number = |n: &Option<String>| n.as_ref().map(|p| Seg { t: p.clone(), u: number_changed });
    match t.kind {
        SectionKind::Article { caption, deleted, .. } => {
            if !caption || deleted || t.title.is_empty() {
                return Cell::default();
            }
            // 「（」 comes first: the title's ranges move one character on.
            let c = structure::caption(&t.title, lang);
            let shift = c.chars().take_while(|ch| *ch == '（' || *ch == '(').count();
            let r: Vec<Range> = t.title_changes.iter().map(|r| [r[0] + shift, r[1] + shift]).collect();
            Cell { indent: 1, title: segs(&c, &r), ..Cell::default() }
        }
        SectionKind::Supplementary { .. } => Cell { indent: 3, number: number(&t.number), ..Cell::default() },
        SectionKind::Appendix { .. } => Cell { number: number(&t.number), ..Cell::default() },
        SectionKind::Group { rank } => {
            Cell { indent: 2 + rank, number: number(&t.number), title: title(), ..Cell::default() }
        }
        SectionKind::Plain => {
            Cell { indent: t.depth.saturating_sub(1), number: number(&t.path), title: title(), ..Cell::default() }
        }
    }
}

fn section(s: &SectionDiff, style: Style, lang: Lang, w: &Words) -> TableRow {
    let number_changed = match (&s.old, &s.new) {
        (Some(o), Some(n)) => o.path != n.path,
        _ => true,
    };
    let cell = |t: &Option<SideText>, missing: &str| match t {
        Some(t) => head(t, number_changed, lang),
        None => Cell { empty: Some(missing.to_string()), ..Cell::default() },
    };
    let (mut new, old) = (cell(&s.new, w.deleted), cell(&s.old, w.added));
    if let (true, Some(o)) = (s.moved, &s.old) {
        new.note = Some(words::moved_from(lang, o.label()));
    }
    // Admin style: the text under a heading one character deeper than its mark, and the items
    // there too; rules: 項 at the margin, 号 one character in (the units' own depth).
    let base = |t: &Option<SideText>| match (style, t) {
        (Style::Admin, Some(t)) => t.depth.saturating_sub(1),
        _ => 0,
    };
    let lines = lines(s, style, (base(&s.old), base(&s.new)), lang, w);
    let top = s.new.as_ref().or(s.old.as_ref()).is_some_and(|t| t.parent.is_none());
    TableRow { class: s.kind.name(), id: s.id.clone(), new, old, lines, top }
}

/// The unit lines of a section: changed, added, deleted and renumbered units in full, each run
/// of unchanged ones as one 「（略）」 line.
fn lines(s: &SectionDiff, style: Style, base: (u8, u8), lang: Lang, w: &Words) -> Vec<LinePair> {
    let one_sided = s.old.is_none() || s.new.is_none();
    let blank = |text: &str| Line {
        placeholder: Some(text.to_string()),
        indent: 0,
        layout: Layout::Para,
        label: Vec::new(),
        segs: Vec::new(),
    };
    let mut out: Vec<LinePair> = Vec::new();
    for (o, n) in s.unit_pairs() {
        let kind = n.or(o).map_or(UnitKind::Unchanged, |u| u.kind);
        if kind == UnitKind::Unchanged {
            if out.last().is_none_or(|l| l.class != "unchanged") {
                out.push(LinePair { class: "unchanged", new: blank(w.omitted), old: blank(w.omitted) });
            }
            continue;
        }
        let side = |u: Option<&Unit>, base: u8, missing: &str| match u {
            Some(u) => line(u, style, base, lang),
            None if one_sided => blank(""),
            None => blank(missing),
        };
        out.push(LinePair { class: kind.name(), new: side(n, base.1, w.deleted), old: side(o, base.0, w.added) });
    }
    out
}

/// A unit as a line of a cell.
fn line(u: &Unit, style: Style, base: u8, lang: Lang) -> Line {
    // A whole unit added or deleted is underlined from its label to its end.
    let whole = matches!(u.kind, UnitKind::Added | UnitKind::Deleted);
    let label = match &u.label {
        Some(l) => vec![Seg { t: l.clone(), u: u.label_changed }, Seg { t: sep(lang).to_string(), u: whole }],
        None => Vec::new(),
    };
    let layout = match (u.label.is_some(), style) {
        (false, _) => Layout::Para,
        (true, Style::Article) => Layout::Hang,
        (true, Style::Admin) => Layout::Column,
    };
    let depth = if style == Style::Admin { u.depth.max(1) } else { u.depth };
    Line { placeholder: None, indent: base + depth, layout, label, segs: segs(&u.text, &u.changes) }
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
