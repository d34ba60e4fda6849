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
pub mod stale;
pub mod table;
pub mod text;
pub mod units;

use crate::config::{Columns, Lang};
use crate::diag::{Localize, Message};
use crate::edition::{Document, Edition};
use crate::model::numbering::Style;
use crate::model::walk::{self, Placed};
use crate::model::xref::Place;
use crate::model::{structure, Kind as SectionKind};
use inline::Range;
use std::collections::HashMap;
use units::{Unit, UnitKind};

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("{}", self.text())]
    EditionMismatch { old: String, new: String },
    #[error("{}", self.text())]
    NoDocument { id: String, edition: String, known: String },
}

impl Localize for DiffError {
    fn text(&self) -> Message {
        match self {
            DiffError::EditionMismatch { old, new } => {
                Message::new("diff-edition-mismatch").arg("old", old).arg("new", new)
            }
            DiffError::NoDocument { id, edition, known } => {
                Message::new("diff-no-document").arg("id", id).arg("edition", edition).arg("known", known)
            }
        }
    }
}

/// What to compare, and how the title block names it.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    /// One document (shown even when unchanged); `None`: every document that changed.
    pub doc: Option<String>,
    /// How the two revisions are named in the title block: a release tag, a commit's date, the
    /// working tree — never a commit hash.
    pub old_label: String,
    pub new_label: String,
    /// The commits (abbreviated), printed only in the subtitle; `None` for the working tree.
    pub old_commit: Option<String>,
    pub new_commit: Option<String>,
    /// The amending instrument 「…の一部を改正する訓令」: the table's title instead of the document's.
    pub instrument: Option<String>,
    /// Print the edition and the commits under the title (internal papers).
    pub subtitle: bool,
    pub columns: Columns,
}

impl Options {
    /// The options of a plain comparison: no instrument, no subtitle, 改正後 | 改正前.
    pub fn new(lang: Lang, doc: Option<String>, old_label: String, new_label: String) -> Options {
        Options {
            lang,
            doc,
            old_label,
            new_label,
            old_commit: None,
            new_commit: None,
            instrument: None,
            subtitle: false,
            columns: Columns::NewOld,
        }
    }
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
    pub old_commit: Option<String>,
    pub new_commit: Option<String>,
    pub instrument: Option<String>,
    /// The line under the title naming the edition and commits, when asked for.
    pub subtitle: Option<String>,
    pub columns: Columns,
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
    /// Admin style or article style (例規): how the cells lay out units.
    pub numbering: Style,
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
    /// The id of the old section it replaced in place (same number, another id).
    pub old_id: Option<String>,
    pub kind: Kind,
    pub renumbered: bool,
    pub moved: bool,
    pub text_changed: bool,
    pub old: Option<SideText>,
    pub new: Option<SideText>,
    /// The units of both sides in display order: (old index, new index).
    pub units: Vec<(Option<usize>, Option<usize>)>,
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
    /// What the section is in a rule (条, 附則, …); `Plain` in admin style.
    pub kind: SectionKind,
    /// The section's own text as units: paragraphs (項), list items (号) at any depth, table rows.
    pub units: Vec<Unit>,
    /// The units as one text, one line each (indentation, label, text).
    pub body: String,
    /// Changed ranges of `body`, in characters: the units' ranges, never across a line.
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
    let edition_title = new.def().title.as_ref().map(|t| t.get(lang).to_string());
    Ok(Diff {
        edition: new.name().into(),
        subtitle: opts.subtitle.then(|| subtitle(edition_title.as_deref().unwrap_or(new.name()), opts)),
        edition_title,
        lang,
        old: opts.old_label.clone(),
        new: opts.new_label.clone(),
        old_commit: opts.old_commit.clone(),
        new_commit: opts.new_commit.clone(),
        instrument: opts.instrument.clone(),
        columns: opts.columns,
        date: new.documents().iter().map(|d| d.effective).max(),
        documents,
    })
}

/// 「public ／ 改正後: policy-2026 (1a2b3c4) ／ 改正前: policy-2024 (5d6e7f8)」.
fn subtitle(edition: &str, o: &Options) -> String {
    let w = crate::render::words::table(o.lang);
    let side = |label: &str, commit: &Option<String>| match commit {
        Some(c) => format!("{label} ({c})"),
        None => label.to_string(),
    };
    format!(
        "{edition} ／ {}: {} ／ {}: {}",
        w.new,
        side(&o.new_label, &o.new_commit),
        w.old,
        side(&o.old_label, &o.old_commit)
    )
}

fn placed(d: Option<&Document>) -> Vec<Placed<'_, Place>> {
    d.map_or_else(Vec::new, |d| walk::sections(&d.sections))
}

fn side(ed: &Edition, doc: &Document, p: &Placed<'_, Place>, lang: Lang) -> SideText {
    let (t, _) = p.section.text(lang);
    let blocks = structure::printed_blocks(p.section, &t.blocks, lang);
    SideText {
        number: p.section.number.as_ref().map(|n| n.label(lang).to_string()),
        path: p.section.number.as_ref().map(|n| n.path(lang).to_string()),
        depth: p.section.depth,
        parent: p.parent_id().map(str::to_string),
        position: p.position(),
        title: ed.text(&doc.id, &t.title, lang),
        title_changes: Vec::new(),
        kind: p.section.kind,
        units: units::units(ed, &doc.id, &blocks, lang),
        body: String::new(),
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

    let sections = replaced_in_place(sections, lang);
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
        numbering: new.or(old).map_or(Style::Admin, |d| d.numbering),
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
        x.map(|(ed, d)| units::units(ed, &d.id, d.preamble.get(lang).unwrap_or(&d.preamble.ja), lang))
            .filter(|u| !u.is_empty())
    };
    let (pre_old, pre_new) = (pre(old), pre(new));
    if pre_old.is_none() && pre_new.is_none() {
        return None;
    }
    let mk = |units: Vec<Unit>| SideText {
        number: None,
        path: None,
        depth: 0,
        parent: None,
        position: 0,
        title: String::new(),
        title_changes: Vec::new(),
        kind: SectionKind::Plain,
        units,
        body: String::new(),
        body_changes: Vec::new(),
    };
    Some(pair(String::new(), pre_old.map(mk), pre_new.map(mk), false, lang))
}

/// A section deleted and another added at the same place with the same number (an article
/// replaced in place) are one row, compared unit by unit: never two rows both numbered 第5条.
fn replaced_in_place(mut sections: Vec<SectionDiff>, lang: Lang) -> Vec<SectionDiff> {
    let place = |t: &SideText| (t.path.clone(), t.parent.clone(), t.depth);
    let mut i = 0;
    while i < sections.len() {
        let found = (sections[i].kind == Kind::Added)
            .then(|| {
                let new = sections[i].new.as_ref().map(place);
                let one_sided = |s: &SectionDiff| matches!(s.kind, Kind::Added | Kind::Deleted);
                let before = (0..i).rev().take_while(|&j| one_sided(&sections[j]));
                let after = (i + 1..sections.len()).take_while(|&j| one_sided(&sections[j]));
                before.chain(after).find(|&j| {
                    sections[j].kind == Kind::Deleted
                        && new.as_ref().is_some_and(|n| n.0.is_some())
                        && sections[j].old.as_ref().map(place) == new
                })
            })
            .flatten();
        if let Some(j) = found {
            let old_id = sections[j].id.clone();
            let old = sections[j].old.take();
            let new = sections[i].new.take();
            let mut merged = pair(sections[i].id.clone(), old, new, false, lang);
            merged.old_id = Some(old_id);
            sections[i] = merged;
            sections.remove(j);
            if j > i {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    sections
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

/// Classifies a matched (or one-sided) section and finds its changed units and ranges.
fn pair(id: String, old: Option<SideText>, new: Option<SideText>, moved: bool, lang: Lang) -> SectionDiff {
    let sd = |kind, renumbered, text_changed, old, new, units| SectionDiff {
        id,
        old_id: None,
        kind,
        renumbered,
        moved,
        text_changed,
        old,
        new,
        units,
    };
    match (old, new) {
        (Some(mut o), Some(mut n)) => {
            (o.title_changes, n.title_changes) = inline::changes(&o.title, &n.title, lang);
            let order = units::align(&mut o.units, &mut n.units, lang);
            let text_changed = o.title != n.title || text_changed(&o, &n);
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
            for t in [&mut o, &mut n] {
                (t.body, t.body_changes) = units::body(&t.units, lang);
            }
            sd(kind, renumbered, text_changed, Some(o), Some(n), order)
        }
        (o, n) => {
            let kind = if n.is_some() { Kind::Added } else { Kind::Deleted };
            let unit_kind = if n.is_some() { UnitKind::Added } else { UnitKind::Deleted };
            let whole = |mut s: SideText| {
                let t = s.title.chars().count();
                s.title_changes = if t > 0 { vec![[0, t]] } else { vec![] };
                s.units.iter_mut().for_each(|u| u.whole(unit_kind));
                (s.body, s.body_changes) = units::body(&s.units, lang);
                s
            };
            let (o, n) = (o.map(whole), n.map(whole));
            let count = o.as_ref().or(n.as_ref()).map_or(0, |s| s.units.len());
            let order = (0..count).map(|i| if o.is_some() { (Some(i), None) } else { (None, Some(i)) }).collect();
            sd(kind, false, true, o, n, order)
        }
    }
}

/// Whether the units' text changed: a unit changed, added or deleted, or renumbered other than
/// by the section's own number (an article's number runs into its first paragraph).
fn text_changed(o: &SideText, n: &SideText) -> bool {
    let edited = |t: &SideText| {
        t.units.iter().any(|u| matches!(u.kind, UnitKind::Changed | UnitKind::Added | UnitKind::Deleted))
    };
    edited(o)
        || edited(n)
        || o.units.iter().any(|u| u.kind == UnitKind::Renumbered && (o.number.is_none() || u.label != o.number))
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
            let mut sides: Vec<&SideText> = run.iter().filter_map(f).collect();
            // 章・節・款 name no range of articles (「第２条～第２章」): the articles do.
            let group = |s: &&SideText| matches!(s.kind, SectionKind::Group { .. });
            if sides.iter().any(|s| !group(s)) {
                sides.retain(|s| !group(s));
            }
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

impl SectionDiff {
    /// The units of both sides in display order, each with its counterpart.
    pub fn unit_pairs(&self) -> Vec<(Option<&Unit>, Option<&Unit>)> {
        fn get(t: &Option<SideText>, i: Option<usize>) -> Option<&Unit> {
            t.as_ref()?.units.get(i?)
        }
        self.units.iter().map(|&(o, n)| (get(&self.old, o), get(&self.new, n))).collect()
    }
}

#[cfg(test)]
mod tests;
