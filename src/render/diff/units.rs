//! The units of a section's text — paragraphs (項), list items (号, ア, bullets, at any depth),
//! table rows and code lines — and their alignment between two revisions.
//!
//! A 新旧対照表 marks changes per unit: a change never runs across the boundary of a 号, a
//! deleted 号 is one unit against （削る）, and the 号 after it are renumbered, not rewritten.
//! Units are matched as a sequence: equal texts first, then by similarity, then by position
//! (same depth, same count left over); inside a matched unit, [`super::inline`] finds the
//! changed characters (ja) or words (en).

use super::inline::{self, Range};
use crate::config::Lang;
use crate::edition::{Block, Edition};
use crate::render::words;
use similar::{capture_diff_slices, Algorithm, DiffTag};

/// How a unit fared between the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Unchanged,
    /// Same text, new number (a unit was inserted or removed before it).
    Renumbered,
    Changed,
    /// 新設.
    Added,
    /// 削る.
    Deleted,
}

impl UnitKind {
    /// The kind as the outputs name it.
    pub fn name(self) -> &'static str {
        match self {
            UnitKind::Unchanged => "unchanged",
            UnitKind::Renumbered => "renumbered",
            UnitKind::Changed => "changed",
            UnitKind::Added => "added",
            UnitKind::Deleted => "deleted",
        }
    }
}

/// A paragraph, list item, table row or code line of one side.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// 「第１条」, 「２」, 「（１）」, 「ア」, 「・」; `None` for an unnumbered paragraph.
    pub label: Option<String>,
    pub text: String,
    /// Nesting: 0 for paragraphs, one more for each list (or quote) around it.
    pub depth: u8,
    pub kind: UnitKind,
    /// The label differs from its counterpart's (underlined).
    pub label_changed: bool,
    /// Changed ranges of `text`, in characters.
    pub changes: Vec<Range>,
    /// The index of its counterpart among the other side's units.
    pub pair: Option<usize>,
}

impl Unit {
    fn new(label: Option<String>, text: String, depth: u8) -> Unit {
        Unit { label, text, depth, kind: UnitKind::Unchanged, label_changed: false, changes: Vec::new(), pair: None }
    }

    /// The unit as a line of text: indentation, label and text.
    pub fn line(&self, lang: Lang) -> String {
        let mut s = indent(lang, self.depth);
        if let Some(l) = &self.label {
            s.push_str(l);
            s.push_str(sep(lang));
        }
        s.push_str(&self.text);
        s
    }

    /// Where `text` starts in [`Unit::line`], and where the label does (in characters).
    pub fn offsets(&self, lang: Lang) -> (usize, usize) {
        let ind = indent(lang, self.depth).chars().count();
        let label = self.label.as_ref().map_or(0, |l| l.chars().count() + sep(lang).chars().count());
        (ind + label, ind)
    }

    /// Marks the whole unit as added or deleted.
    pub(super) fn whole(&mut self, kind: UnitKind) {
        let n = self.text.chars().count();
        self.kind = kind;
        self.label_changed = self.label.is_some();
        self.changes = if n > 0 { vec![[0, n]] } else { Vec::new() };
    }
}

/// The separator between a label and its text.
pub fn sep(lang: Lang) -> &'static str {
    if lang == Lang::Ja {
        "　"
    } else {
        " "
    }
}

fn indent(lang: Lang, depth: u8) -> String {
    if lang == Lang::Ja {
        "　".repeat(depth.into())
    } else {
        "  ".repeat(depth.into())
    }
}

/// The units of `blocks`, in order.
pub fn units(ed: &Edition, doc: &str, blocks: &[Block], lang: Lang) -> Vec<Unit> {
    let mut out = Vec::new();
    push_units(ed, doc, blocks, lang, 0, &mut out);
    out
}

fn push_units(ed: &Edition, doc: &str, blocks: &[Block], lang: Lang, depth: u8, out: &mut Vec<Unit>) {
    for b in blocks {
        match b {
            Block::Paragraph { number, content } => out.push(Unit::new(
                number.as_ref().map(|n| n.label(lang).to_string()),
                ed.text(doc, content, lang),
                depth,
            )),
            Block::List { items, .. } => {
                for it in items {
                    let label = it.number.as_ref().map_or(words::bullet(lang), |n| n.label(lang)).to_string();
                    // The item's first paragraph is its text; what follows is nested in it.
                    let (text, rest) = match it.blocks.split_first() {
                        Some((Block::Paragraph { content, .. }, rest)) => (ed.text(doc, content, lang), rest),
                        _ => (String::new(), it.blocks.as_slice()),
                    };
                    out.push(Unit::new(Some(label), text, depth + 1));
                    push_units(ed, doc, rest, lang, depth + 1, out);
                }
            }
            Block::Table { head, rows, .. } => {
                for row in std::iter::once(head).chain(rows) {
                    let cells: Vec<String> = row.iter().map(|c| ed.text(doc, c, lang)).collect();
                    out.push(Unit::new(None, cells.join(" | "), depth));
                }
            }
            Block::Quote { blocks } => push_units(ed, doc, blocks, lang, depth + 1, out),
            Block::Classified { blocks, .. } => push_units(ed, doc, blocks, lang, depth, out),
            Block::Code { text } => out.extend(text.lines().map(|l| Unit::new(None, l.to_string(), depth))),
            Block::Rule => {}
            Block::Figure(f) => out.push(Unit::new(None, figure_line(f, lang), depth)),
        }
    }
}

/// A figure as a line of the table: caption (or file), alt text, and the start of the image's
/// digest, so that an image replaced under the same words shows as changed.
fn figure_line(f: &crate::model::Figure, lang: Lang) -> String {
    let name = f.caption.as_deref().unwrap_or(&f.src);
    let image = &f.digest[..8.min(f.digest.len())];
    match lang {
        Lang::Ja => format!("［図　{name}　{}（画像 {image}）］", f.alt),
        Lang::En => format!("[Figure: {name}: {} (image {image})]", f.alt),
    }
}

/// The units joined into one text, one line per unit, and the units' changed ranges (labels
/// included) in that text: no range crosses a line.
pub fn body(units: &[Unit], lang: Lang) -> (String, Vec<Range>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    let mut at = 0;
    for (i, u) in units.iter().enumerate() {
        if i > 0 {
            text.push('\n');
            at += 1;
        }
        let line = u.line(lang);
        let (start, label_at) = u.offsets(lang);
        let len = line.chars().count();
        if matches!(u.kind, UnitKind::Added | UnitKind::Deleted) {
            // The whole unit, label and text.
            if len > label_at {
                ranges.push([at + label_at, at + len]);
            }
        } else if u.label_changed {
            let n = u.label.as_ref().map_or(0, |l| l.chars().count());
            ranges.push([at + label_at, at + label_at + n]);
        }
        if !matches!(u.kind, UnitKind::Added | UnitKind::Deleted) {
            ranges.extend(u.changes.iter().map(|r| [at + start + r[0], at + start + r[1]]));
        }
        at += len;
        text.push_str(&line);
    }
    (text, merge(ranges))
}

/// Joins ranges that touch (a changed label followed by changed text).
fn merge(ranges: Vec<Range>) -> Vec<Range> {
    let mut out: Vec<Range> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if last[1] >= r[0] => last[1] = last[1].max(r[1]),
            _ => out.push(r),
        }
    }
    out
}

/// The least similarity (0 to 1) for two units to be the same unit changed.
const ALIKE: f32 = 0.5;

fn similarity(a: &Unit, b: &Unit) -> f32 {
    if a.depth != b.depth {
        return 0.0;
    }
    similar::TextDiff::from_chars(a.text.as_str(), b.text.as_str()).ratio()
}

/// Aligns the units of two sides: fills in each unit's kind, counterpart and changed ranges,
/// and returns the display order (old-only units before the new-only ones they stand among).
pub fn align(old: &mut [Unit], new: &mut [Unit], lang: Lang) -> Vec<(Option<usize>, Option<usize>)> {
    let key = |u: &Unit| (u.depth, u.text.clone());
    let (ok, nk): (Vec<_>, Vec<_>) = (old.iter().map(key).collect(), new.iter().map(key).collect());
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // Each stretch of unequal units between equal ones is paired by similarity.
    let stretch = |a: std::ops::Range<usize>, b: std::ops::Range<usize>, pairs: &mut Vec<(usize, usize)>| {
        let found = by_similarity(&old[a.clone()], &new[b.clone()]);
        pairs.extend(found.into_iter().map(|(i, j)| (a.start + i, b.start + j)));
    };
    let (mut a0, mut b0) = (0, 0);
    for op in capture_diff_slices(Algorithm::Myers, &ok, &nk) {
        let (tag, a, b) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            stretch(a0..a.start, b0..b.start, &mut pairs);
            pairs.extend(a.clone().zip(b.clone()));
            (a0, b0) = (a.end, b.end);
        }
    }
    stretch(a0..old.len(), b0..new.len(), &mut pairs);
    for &(i, j) in &pairs {
        mark_pair(&mut old[i], &mut new[j], lang);
        old[i].pair = Some(j);
        new[j].pair = Some(i);
    }
    old.iter_mut().filter(|u| u.pair.is_none()).for_each(|u| u.whole(UnitKind::Deleted));
    new.iter_mut().filter(|u| u.pair.is_none()).for_each(|u| u.whole(UnitKind::Added));
    order(&pairs, old.len(), new.len())
}

/// Pairs the units of a changed stretch: by similarity (an order-keeping alignment of the most
/// alike pairs), then, between those pairs, by position where as many units are left on each
/// side at the same depths.
fn by_similarity(old: &[Unit], new: &[Unit]) -> Vec<(usize, usize)> {
    let (n, m) = (old.len(), new.len());
    // best[i][j]: the best total similarity aligning old[i..] with new[j..].
    let mut best = vec![vec![0f32; m + 1]; n + 1];
    let sim: Vec<Vec<f32>> = old.iter().map(|a| new.iter().map(|b| similarity(a, b)).collect()).collect();
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let take = if sim[i][j] >= ALIKE { sim[i][j] + best[i + 1][j + 1] } else { 0.0 };
            best[i][j] = take.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if sim[i][j] >= ALIKE && best[i][j] == sim[i][j] + best[i + 1][j + 1] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if best[i][j] == best[i + 1][j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    with_positions(old, new, pairs)
}

/// Adds, between consecutive pairs (and at the ends), position pairs where the units left on the
/// two sides are as many and at the same depths.
fn with_positions(old: &[Unit], new: &[Unit], pairs: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut a, mut b) = (0, 0);
    for p in pairs.into_iter().chain(std::iter::once((old.len(), new.len()))) {
        let (o, n) = (&old[a..p.0], &new[b..p.1]);
        if o.len() == n.len() && o.iter().zip(n).all(|(x, y)| x.depth == y.depth) {
            out.extend((0..o.len()).map(|k| (a + k, b + k)));
        }
        if p.0 < old.len() {
            out.push(p);
        }
        (a, b) = (p.0 + 1, p.1 + 1);
    }
    out
}

/// The kind and changed ranges of two matched units.
fn mark_pair(o: &mut Unit, n: &mut Unit, lang: Lang) {
    let renumbered = o.label != n.label;
    o.label_changed = renumbered;
    n.label_changed = renumbered;
    let kind = if o.text != n.text {
        UnitKind::Changed
    } else if renumbered {
        UnitKind::Renumbered
    } else {
        UnitKind::Unchanged
    };
    o.kind = kind;
    n.kind = kind;
    if kind != UnitKind::Changed {
        return;
    }
    if similarity(o, n) >= ALIKE {
        (o.changes, n.changes) = inline::changes(&o.text, &n.text, lang);
    } else {
        // Not alike (paired by position): each whole text is the change.
        for u in [o, n] {
            let len = u.text.chars().count();
            u.changes = if len > 0 { vec![[0, len]] } else { Vec::new() };
        }
    }
}

/// The display order of aligned units: pairs in order, each unpaired old unit after the pair
/// before it and before the unpaired new units there.
fn order(pairs: &[(usize, usize)], n_old: usize, n_new: usize) -> Vec<(Option<usize>, Option<usize>)> {
    let mut sorted = pairs.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    let (mut a, mut b) = (0, 0);
    for (i, j) in sorted.into_iter().chain(std::iter::once((n_old, n_new))) {
        out.extend((a..i).map(|x| (Some(x), None)));
        out.extend((b..j).map(|y| (None, Some(y))));
        if i < n_old && j < n_new {
            out.push((Some(i), Some(j)));
        }
        (a, b) = (i + 1, j + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(label: &str, text: &str, depth: u8) -> Unit {
        Unit::new((!label.is_empty()).then(|| label.to_string()), text.to_string(), depth)
    }

    #[test]
    fn a_deleted_item_is_one_unit_and_the_next_are_renumbered() {
        let mut old = vec![
            u("", "次の事務を行う。", 0),
            u("(1)", "台帳の整備", 1),
            u("(2)", "職員への指導", 1),
            u("(3)", "報告", 1),
        ];
        let mut new = vec![u("", "次の事務を行う。", 0), u("(1)", "職員への指導", 1), u("(2)", "報告", 1)];
        let order = align(&mut old, &mut new, Lang::Ja);
        assert_eq!(order, [(Some(0), Some(0)), (Some(1), None), (Some(2), Some(1)), (Some(3), Some(2))]);
        assert_eq!((old[1].kind, &old[1].changes), (UnitKind::Deleted, &vec![[0, 5]]));
        assert_eq!((new[1].kind, new[1].label_changed, new[1].changes.is_empty()), (UnitKind::Renumbered, true, true));
        let (text, ranges) = body(&old, Lang::Ja);
        assert_eq!(text, "次の事務を行う。\n　(1)　台帳の整備\n　(2)　職員への指導\n　(3)　報告");
        // The whole deleted item, label and text; the line break is never part of a range.
        assert_eq!(ranges, vec![[10, 19], [21, 24], [33, 36]]);
    }

    #[test]
    fn alike_units_pair_and_unlike_ones_pair_by_position() {
        let mut old = vec![u("(1)", "年1回監査する。", 1), u("(2)", "記録を保存する。", 1)];
        let mut new = vec![u("(1)", "年2回監査する。", 1), u("(2)", "外部委託先を選定する。", 1)];
        align(&mut old, &mut new, Lang::Ja);
        assert_eq!((old[0].kind, &old[0].changes), (UnitKind::Changed, &vec![[1, 2]]));
        assert_eq!((new[1].kind, &new[1].changes), (UnitKind::Changed, &vec![[0, 11]]));
        let mut old = vec![u("(1)", "甲", 1)];
        let mut new = vec![u("(1)", "甲", 1), u("(2)", "乙", 1)];
        assert_eq!(align(&mut old, &mut new, Lang::Ja), [(Some(0), Some(0)), (None, Some(1))]);
        assert_eq!(new[1].kind, UnitKind::Added);
    }
}
