//! The 新旧対照表 (old/new comparison table) between two editions of the same name.
//!
//! [`compare`] takes two [`Edition`]s — never a project — so content above the edition's ceiling
//! is simply absent on both sides: a change inside it leaves no trace, not even an elided row.
//! Sections are matched by id, not by position: a section whose number changed because another
//! was inserted before it is *renumbered*, one that changed parent or order among its siblings is
//! *moved*. Inside a matched section, changed characters (Japanese) or words (English) are found
//! with `similar` ([`inline`]) and reported as exact character ranges.
//!
//! Outputs: [`json`] (the published `policybook-diff/1` schema, its own types; README.md),
//! [`text`] (terminal), [`html`] and [`pdf`] (the government layout: 改正後 left, 改正前 right,
//! 傍線 on changes, （略） ranges).

pub mod html;
pub mod inline;
pub mod json;
pub mod pdf;
pub mod table;
pub mod text;

use crate::config::Lang;
use crate::edition::{Block, Document, Edition};
use crate::model::walk::{self, Placed};
use crate::model::xref::Place;
use inline::Range;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("cannot compare edition {old:?} with edition {new:?}\n  hint: a 新旧対照表 compares the same edition of two revisions")]
    EditionMismatch { old: String, new: String },
    #[error("no document {id:?} in edition {edition} of either revision (documents: {known})")]
    NoDocument { id: String, edition: String, known: String },
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    /// One document (shown even when unchanged); `None`: every document that changed.
    pub doc: Option<String>,
    /// How the two sides are named in the output ("v1 (1a2b3c4)", "the working tree").
    pub old_label: String,
    pub new_label: String,
}

/// The comparison of an edition between two revisions.
#[derive(Debug, Clone)]
pub struct Diff {
    pub edition: String,
    /// The edition's title in the output language, when book.toml gives one.
    pub edition_title: Option<String>,
    pub lang: Lang,
    pub old: String,
    pub new: String,
    /// The latest effective date of the newer revision's documents (the date of the PDF).
    pub date: Option<crate::model::Date>,
    pub documents: Vec<DocDiff>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocStatus {
    Unchanged,
    Changed,
    Added,
    Deleted,
}

impl DocStatus {
    /// The status as the outputs name it.
    pub fn name(self) -> &'static str {
        match self {
            DocStatus::Unchanged => "unchanged",
            DocStatus::Changed => "changed",
            DocStatus::Added => "added",
            DocStatus::Deleted => "deleted",
        }
    }
}

#[derive(Debug, Clone)]
pub struct DocDiff {
    pub id: String,
    pub status: DocStatus,
    /// The title in the newer revision (the older one for a deleted document).
    pub title: String,
    pub old_title: Option<String>,
    pub new_title: Option<String>,
    /// The effective dates (施行日) in front matter.
    pub old_effective: Option<crate::model::Date>,
    pub new_effective: Option<crate::model::Date>,
    /// Every section of either side (and the preamble, id ""), in display order: the new
    /// document's order, each deleted section after the place it held.
    pub sections: Vec<SectionDiff>,
    /// The rows of the table: changed sections, and runs of unchanged (or only renumbered)
    /// sections collapsed into one elided row.
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unchanged,
    /// Same text, new number (another section was inserted or removed before it).
    Renumbered,
    /// Title or body text changed (it may also be renumbered).
    Changed,
    /// Different parent, or a different order among its siblings.
    Moved,
    /// 新設.
    Added,
    /// 削る.
    Deleted,
}

impl Kind {
    /// The kind as the outputs name it (the JSON value, the table row's class).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Unchanged => "unchanged",
            Kind::Renumbered => "renumbered",
            Kind::Changed => "changed",
            Kind::Moved => "moved",
            Kind::Added => "added",
            Kind::Deleted => "deleted",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SectionDiff {
    /// The section id; "" for the document's preamble (text before the first heading).
    pub id: String,
    pub kind: Kind,
    pub renumbered: bool,
    pub moved: bool,
    pub text_changed: bool,
    pub old: Option<SideText>,
    pub new: Option<SideText>,
}

/// One side of a section: its number, place and text, and the changed ranges in the text.
#[derive(Debug, Clone)]
pub struct SideText {
    /// The section's own number label (「(3)」), `None` when unnumbered.
    pub number: Option<String>,
    /// The whole number path (「6(3)」).
    pub path: Option<String>,
    pub depth: u8,
    /// The parent section's id (`None` at the top level).
    pub parent: Option<String>,
    /// Position among its siblings (0-based).
    pub position: usize,
    pub title: String,
    /// Changed ranges of `title`, in characters.
    pub title_changes: Vec<Range>,
    /// The section's own text (not its subsections'), one line per paragraph or list item, with
    /// item and paragraph numbers.
    pub body: String,
    /// Changed ranges of `body`, in characters.
    pub body_changes: Vec<Range>,
}

impl SideText {
    /// The heading label: the number path, or the title for an unnumbered section.
    pub fn label(&self) -> &str {
        self.path.as_deref().unwrap_or(&self.title)
    }
}

/// A row of the table.
#[derive(Debug, Clone)]
pub enum Row {
    /// A section shown in full: `index` into `sections`.
    Section { index: usize, id: String },
    /// Consecutive sections shown as 「2～5 （略）」. `renumbered`: their numbers changed (the
    /// ranges differ and are underlined), their text did not.
    Elided { renumbered: bool, ids: Vec<String>, old_range: String, new_range: String },
}

/// Compares the same edition of two revisions.
pub fn compare(old: &Edition, new: &Edition, opts: &Options) -> Result<Diff, DiffError> {
    if old.name() != new.name() {
        return Err(DiffError::EditionMismatch { old: old.name().into(), new: new.name().into() });
    }
    let lang = opts.lang;
    let mut ids: Vec<&str> = new.documents().iter().map(|d| d.id.as_str()).collect();
    for d in old.documents() {
        if new.document(&d.id).is_none() {
            ids.push(&d.id);
        }
    }
    if let Some(id) = &opts.doc {
        if !ids.contains(&id.as_str()) {
            return Err(DiffError::NoDocument { id: id.clone(), edition: new.name().into(), known: ids.join(", ") });
        }
        ids.retain(|d| d == id);
    }
    let mut documents = Vec::new();
    for id in ids {
        let d = compare_doc(old, new, old.document(id), new.document(id), lang);
        if d.status != DocStatus::Unchanged || opts.doc.is_some() {
            documents.push(d);
        }
    }
    Ok(Diff {
        edition: new.name().into(),
        edition_title: new.def().title.as_ref().map(|t| t.get(lang).to_string()),
        lang,
        old: opts.old_label.clone(),
        new: opts.new_label.clone(),
        date: new.documents().iter().map(|d| d.effective).max(),
        documents,
    })
}

fn placed(d: Option<&Document>) -> Vec<Placed<'_, Place>> {
    d.map_or_else(Vec::new, |d| walk::sections(&d.sections))
}

fn side(ed: &Edition, doc: &Document, p: &Placed<'_, Place>, lang: Lang) -> SideText {
    let (t, _) = p.section.text(lang);
    SideText {
        number: p.section.number.as_ref().map(|n| n.label(lang).to_string()),
        path: p.section.number.as_ref().map(|n| n.path(lang).to_string()),
        depth: p.section.depth,
        parent: p.parent_id().map(str::to_string),
        position: p.position(),
        title: ed.text(&doc.id, &t.title, lang),
        title_changes: Vec::new(),
        body: body_text(ed, &doc.id, &t.blocks, lang),
        body_changes: Vec::new(),
    }
}

fn compare_doc(
    old_ed: &Edition,
    new_ed: &Edition,
    old: Option<&Document>,
    new: Option<&Document>,
    lang: Lang,
) -> DocDiff {
    let po = placed(old);
    let pn = placed(new);
    let old_at: HashMap<&str, usize> = po.iter().enumerate().map(|(i, p)| (p.section.id.as_str(), i)).collect();
    let new_at: HashMap<&str, usize> = pn.iter().enumerate().map(|(i, p)| (p.section.id.as_str(), i)).collect();

    let moved = moved(&po, &pn, &old_at, &new_at);

    let old_doc_ed = old.map(|d| (old_ed, d));
    let new_doc_ed = new.map(|d| (new_ed, d));
    let mut sections: Vec<SectionDiff> = Vec::new();

    sections.extend(preamble(old_doc_ed, new_doc_ed, lang));

    // Deleted sections, each after the nearest earlier old section that still exists.
    let mut after: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    let mut anchor: Option<&str> = None;
    for (i, p) in po.iter().enumerate() {
        if new_at.contains_key(p.section.id.as_str()) {
            anchor = Some(&p.section.id);
        } else {
            after.entry(anchor).or_default().push(i);
        }
    }
    let deleted = |i: usize| {
        let (ed, d) = old_doc_ed.expect("old sections come from the old document");
        pair(po[i].section.id.clone(), Some(side(ed, d, &po[i], lang)), None, false, lang)
    };
    for &i in after.get(&None).map(Vec::as_slice).unwrap_or(&[]) {
        sections.push(deleted(i));
    }
    for p in &pn {
        let (ned, nd) = new_doc_ed.expect("new sections come from the new document");
        let n = side(ned, nd, p, lang);
        let o = old_at.get(p.section.id.as_str()).map(|&i| {
            let (oed, od) = old_doc_ed.expect("matched");
            side(oed, od, &po[i], lang)
        });
        let mv = moved.get(p.section.id.as_str()).copied().unwrap_or(false);
        sections.push(pair(p.section.id.clone(), o, Some(n), mv, lang));
        for &i in after.get(&Some(p.section.id.as_str())).map(Vec::as_slice).unwrap_or(&[]) {
            sections.push(deleted(i));
        }
    }

    let old_title = old.map(|d| d.title(lang).to_string());
    let new_title = new.map(|d| d.title(lang).to_string());
    let status = match (old, new) {
        (None, _) => DocStatus::Added,
        (_, None) => DocStatus::Deleted,
        _ if old_title != new_title || sections.iter().any(|s| s.kind != Kind::Unchanged) => DocStatus::Changed,
        _ => DocStatus::Unchanged,
    };
    let rows = rows(&sections, lang);
    DocDiff {
        id: new.or(old).map(|d| d.id.clone()).unwrap_or_default(),
        status,
        title: new_title.clone().or_else(|| old_title.clone()).unwrap_or_default(),
        old_title,
        new_title,
        old_effective: old.map(|d| d.effective),
        new_effective: new.map(|d| d.effective),
        sections,
        rows,
    }
}

/// The preamble (text before the first heading) as a section with id "", when either side has one.
fn preamble(old: Option<(&Edition, &Document)>, new: Option<(&Edition, &Document)>, lang: Lang) -> Option<SectionDiff> {
    let pre = |x: Option<(&Edition, &Document)>| {
        x.map(|(ed, d)| body_text(ed, &d.id, d.preamble.get(lang).unwrap_or(&d.preamble.ja), lang))
            .filter(|t| !t.is_empty())
    };
    let (pre_old, pre_new) = (pre(old), pre(new));
    if pre_old.is_none() && pre_new.is_none() {
        return None;
    }
    let mk = |body: String| SideText {
        number: None,
        path: None,
        depth: 0,
        parent: None,
        position: 0,
        title: String::new(),
        title_changes: Vec::new(),
        body,
        body_changes: Vec::new(),
    };
    Some(pair(String::new(), pre_old.map(mk), pre_new.map(mk), false, lang))
}

/// The sections that moved: to another parent, or, among the siblings that kept their parent, out
/// of the longest common subsequence of the two sibling orders.
fn moved<'a>(
    po: &[Placed<'a, Place>],
    pn: &[Placed<'a, Place>],
    old_at: &HashMap<&str, usize>,
    new_at: &HashMap<&str, usize>,
) -> HashMap<&'a str, bool> {
    let mut moved: HashMap<&'a str, bool> = HashMap::new();
    let mut new_kids: HashMap<Option<&str>, Vec<&str>> = HashMap::new();
    let mut old_kids: HashMap<Option<&str>, Vec<&str>> = HashMap::new();
    for p in pn {
        match old_at.get(p.section.id.as_str()) {
            Some(&o) if po[o].parent_id() == p.parent_id() => {
                new_kids.entry(p.parent_id()).or_default().push(&p.section.id)
            }
            Some(_) => {
                moved.insert(&p.section.id, true);
            }
            None => {}
        }
    }
    for p in po {
        if let Some(&n) = new_at.get(p.section.id.as_str()) {
            if pn[n].parent_id() == p.parent_id() {
                old_kids.entry(p.parent_id()).or_default().push(&p.section.id);
            }
        }
    }
    for (parent, nk) in &new_kids {
        let ok = old_kids.get(parent).map(Vec::as_slice).unwrap_or(&[]);
        for op in similar::capture_diff_slices(similar::Algorithm::Myers, ok, nk) {
            if let (similar::DiffTag::Insert | similar::DiffTag::Replace, _, r) = op.as_tag_tuple() {
                for id in &nk[r] {
                    moved.insert(id, true);
                }
            }
        }
    }
    moved
}

/// Classifies a matched (or one-sided) section and finds its changed ranges.
fn pair(id: String, old: Option<SideText>, new: Option<SideText>, moved: bool, lang: Lang) -> SectionDiff {
    match (old, new) {
        (Some(mut o), Some(mut n)) => {
            let (a, b) = inline::changes(&o.title, &n.title, lang);
            o.title_changes = a;
            n.title_changes = b;
            let (a, b) = inline::changes(&o.body, &n.body, lang);
            o.body_changes = a;
            n.body_changes = b;
            let text_changed = o.title != n.title || o.body != n.body;
            let renumbered = o.number != n.number;
            let kind = if moved {
                Kind::Moved
            } else if text_changed {
                Kind::Changed
            } else if renumbered {
                Kind::Renumbered
            } else {
                Kind::Unchanged
            };
            SectionDiff { id, kind, renumbered, moved, text_changed, old: Some(o), new: Some(n) }
        }
        (o, n) => {
            let whole = |mut s: SideText| {
                let t = s.title.chars().count();
                let b = s.body.chars().count();
                s.title_changes = if t > 0 { vec![[0, t]] } else { vec![] };
                s.body_changes = if b > 0 { vec![[0, b]] } else { vec![] };
                s
            };
            let kind = if n.is_some() { Kind::Added } else { Kind::Deleted };
            SectionDiff {
                id,
                kind,
                renumbered: false,
                moved: false,
                text_changed: true,
                old: o.map(whole),
                new: n.map(whole),
            }
        }
    }
}

/// Collapses runs of unchanged sections, and runs of only-renumbered ones, into elided rows.
fn rows(sections: &[SectionDiff], lang: Lang) -> Vec<Row> {
    let sep = if lang == Lang::Ja { "～" } else { "–" };
    let mut out = Vec::new();
    let mut i = 0;
    while i < sections.len() {
        let k = sections[i].kind;
        if k != Kind::Unchanged && k != Kind::Renumbered {
            out.push(Row::Section { index: i, id: sections[i].id.clone() });
            i += 1;
            continue;
        }
        // A run continues with sections of the same kind, and swallows the unchanged
        // subsections of a renumbered section (their own numbers did not change).
        let depth = |s: &SectionDiff| s.new.as_ref().map_or(0, |s| s.depth);
        let mut top = depth(&sections[i]);
        let mut j = i;
        while j < sections.len()
            && (sections[j].kind == k
                || (k == Kind::Renumbered && sections[j].kind == Kind::Unchanged && depth(&sections[j]) > top))
        {
            if sections[j].kind == k {
                top = top.min(depth(&sections[j]));
            }
            j += 1;
        }
        let run = &sections[i..j];
        let next_depth = sections.get(j).and_then(|s| s.new.as_ref().or(s.old.as_ref())).map(|s| s.depth);
        let range = |f: fn(&SectionDiff) -> Option<&SideText>| {
            let sides: Vec<&SideText> = run.iter().filter_map(f).collect();
            let Some(first) = sides.first() else { return String::new() };
            let min = sides.iter().map(|s| s.depth).min().unwrap_or(0);
            // The range ends at the last top-level section of the run, unless the run stops inside
            // it (the next row is one of its subsections): then at the last section itself.
            let last = match next_depth {
                Some(d) if d > min => sides.last().unwrap_or(first),
                _ => sides.iter().rev().find(|s| s.depth == min).unwrap_or(first),
            };
            let (a, b) = (first.label(), last.label());
            if a == b || std::ptr::eq(*first, *last) {
                a.to_string()
            } else {
                format!("{a}{sep}{b}")
            }
        };
        fn old_side(s: &SectionDiff) -> Option<&SideText> {
            s.old.as_ref()
        }
        fn new_side(s: &SectionDiff) -> Option<&SideText> {
            s.new.as_ref()
        }
        out.push(Row::Elided {
            renumbered: k == Kind::Renumbered,
            ids: run.iter().map(|s| s.id.clone()).collect(),
            old_range: range(old_side),
            new_range: range(new_side),
        });
        i = j;
    }
    out
}

/// A section's own text: one line per paragraph, list item or table row, with item and
/// paragraph numbers, nested items indented.
pub fn body_text(ed: &Edition, doc: &str, blocks: &[Block], lang: Lang) -> String {
    let mut out = String::new();
    push_blocks(ed, doc, blocks, lang, 0, &mut out);
    out.truncate(out.trim_end_matches('\n').len());
    out
}

fn indent(lang: Lang, depth: usize) -> String {
    if lang == Lang::Ja {
        "　".repeat(depth)
    } else {
        "  ".repeat(depth)
    }
}

fn push_blocks(ed: &Edition, doc: &str, blocks: &[Block], lang: Lang, depth: usize, out: &mut String) {
    let sep = if lang == Lang::Ja { "　" } else { " " };
    for b in blocks {
        match b {
            Block::Paragraph { number, content } => {
                out.push_str(&indent(lang, depth));
                if let Some(n) = number {
                    out.push_str(n.label(lang));
                    out.push_str(sep);
                }
                out.push_str(&ed.text(doc, content, lang));
                out.push('\n');
            }
            Block::List { items, .. } => {
                for it in items {
                    let mut inner = String::new();
                    push_blocks(ed, doc, &it.blocks, lang, depth + 1, &mut inner);
                    let inner = inner.strip_prefix(&indent(lang, depth + 1)).unwrap_or(&inner);
                    out.push_str(&indent(lang, depth));
                    match &it.number {
                        Some(n) => out.push_str(n.label(lang)),
                        None => out.push_str(if lang == Lang::Ja { "・" } else { "•" }),
                    }
                    out.push_str(sep);
                    out.push_str(inner);
                    if !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
            Block::Table { head, rows, .. } => {
                for row in std::iter::once(head).chain(rows) {
                    out.push_str(&indent(lang, depth));
                    let cells: Vec<String> = row.iter().map(|c| ed.text(doc, c, lang)).collect();
                    out.push_str(&cells.join(" | "));
                    out.push('\n');
                }
            }
            Block::Quote { blocks } => push_blocks(ed, doc, blocks, lang, depth + 1, out),
            Block::Classified { blocks, .. } => push_blocks(ed, doc, blocks, lang, depth, out),
            Block::Code { text } => {
                for l in text.lines() {
                    out.push_str(&indent(lang, depth));
                    out.push_str(l);
                    out.push('\n');
                }
            }
            Block::Rule => {}
            Block::Figure(f) => {
                // The image's name and alt text: a figure replaced by another shows as changed.
                let (open, close) = if lang == Lang::Ja { ("［図　", "］") } else { ("[Figure: ", "]") };
                out.push_str(&indent(lang, depth));
                out.push_str(&format!("{open}{}{sep}{}{close}\n", f.caption.as_deref().unwrap_or(&f.src), f.alt));
            }
        }
    }
}

/// A run of body lines of a section present on both sides.
#[derive(Debug, Clone, PartialEq)]
pub enum Lines<'a> {
    /// Lines identical on both sides, with no change inside (the new side's lines).
    Same(Vec<&'a str>),
    /// Lines that differ, each with its changed ranges (relative to the line).
    Changed { old: Vec<(&'a str, Vec<Range>)>, new: Vec<(&'a str, Vec<Range>)> },
}

/// The bodies of a matched section aligned line by line, so that unchanged paragraphs can be
/// elided （略） and changed ones shown with their changed characters.
pub fn body_lines<'a>(o: &'a SideText, n: &'a SideText) -> Vec<Lines<'a>> {
    fn split(t: &SideText) -> (Vec<&str>, Vec<usize>) {
        let lines: Vec<&str> = if t.body.is_empty() { Vec::new() } else { t.body.split('\n').collect() };
        let mut acc = 0;
        let starts = lines
            .iter()
            .map(|l| {
                let s = acc;
                acc += l.chars().count() + 1;
                s
            })
            .collect();
        (lines, starts)
    }
    fn local(ranges: &[Range], start: usize, len: usize) -> Vec<Range> {
        ranges
            .iter()
            .filter(|r| r[1] > start && r[0] < start + len)
            .map(|r| [r[0].max(start) - start, r[1].min(start + len) - start])
            .collect()
    }
    let (ol, os) = split(o);
    let (nl, ns) = split(n);
    let mut out: Vec<Lines<'a>> = Vec::new();
    let mut push = |x: Lines<'a>| match (out.last_mut(), x) {
        (Some(Lines::Same(a)), Lines::Same(b)) => a.extend(b),
        (Some(Lines::Changed { old: a, new: b }), Lines::Changed { old: c, new: d }) => {
            a.extend(c);
            b.extend(d);
        }
        (_, x) => out.push(x),
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &ol, &nl) {
        let (tag, a, b) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            for (i, j) in a.zip(b) {
                let lo = local(&o.body_changes, os[i], ol[i].chars().count());
                let ln = local(&n.body_changes, ns[j], nl[j].chars().count());
                if lo.is_empty() && ln.is_empty() {
                    push(Lines::Same(vec![nl[j]]));
                } else {
                    push(Lines::Changed { old: vec![(ol[i], lo)], new: vec![(nl[j], ln)] });
                }
            }
        } else {
            let old = a.map(|i| (ol[i], local(&o.body_changes, os[i], ol[i].chars().count()))).collect();
            let new = b.map(|j| (nl[j], local(&n.body_changes, ns[j], nl[j].chars().count()))).collect();
            push(Lines::Changed { old, new });
        }
    }
    out
}

#[cfg(test)]
mod tests;
