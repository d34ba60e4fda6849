//! The published `policybook-diff/2` JSON of `diff --format json` (schema in README.md). Its
//! types are its own, built from the comparison's: renaming an internal field cannot change the
//! format, and the golden test below fails when the format does change.

use super::inline::Range;
use super::units::Unit;
use super::{Diff, DocDiff, Row, SectionDiff, SideText};
use crate::model::Date;
use serde::Serialize;

/// The schema name and version.
pub const SCHEMA: &str = "policybook-diff/2";

/// The comparison as pretty-printed JSON, with a final newline.
pub fn render(diff: &Diff) -> String {
    let mut s = serde_json::to_string_pretty(&DiffJson::of(diff)).expect("the schema's types serialize");
    s.push('\n');
    s
}

#[derive(Serialize)]
struct DiffJson<'a> {
    schema: &'static str,
    edition: &'a str,
    edition_title: Option<&'a str>,
    lang: &'static str,
    old: &'a str,
    new: &'a str,
    old_commit: Option<&'a str>,
    new_commit: Option<&'a str>,
    instrument: Option<&'a str>,
    date: Option<String>,
    documents: Vec<DocJson<'a>>,
}

#[derive(Serialize)]
struct DocJson<'a> {
    id: &'a str,
    status: &'static str,
    numbering: &'static str,
    title: &'a str,
    old_title: Option<&'a str>,
    new_title: Option<&'a str>,
    old_effective: Option<String>,
    new_effective: Option<String>,
    sections: Vec<SectionJson<'a>>,
    rows: Vec<RowJson<'a>>,
}

#[derive(Serialize)]
struct SectionJson<'a> {
    id: &'a str,
    old_id: Option<&'a str>,
    kind: &'static str,
    renumbered: bool,
    moved: bool,
    text_changed: bool,
    old: Option<SideJson<'a>>,
    new: Option<SideJson<'a>>,
}

#[derive(Serialize)]
struct SideJson<'a> {
    number: Option<&'a str>,
    path: Option<&'a str>,
    depth: u8,
    parent: Option<&'a str>,
    position: usize,
    title: &'a str,
    title_changes: &'a [Range],
    body: &'a str,
    body_changes: &'a [Range],
    units: Vec<UnitJson<'a>>,
}

#[derive(Serialize)]
struct UnitJson<'a> {
    label: Option<&'a str>,
    text: &'a str,
    depth: u8,
    kind: &'static str,
    label_changed: bool,
    changes: &'a [Range],
    pair: Option<usize>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum RowJson<'a> {
    #[serde(rename = "section")]
    Section { index: usize, id: &'a str },
    #[serde(rename = "elided")]
    Elided { renumbered: bool, ids: &'a [String], old_range: &'a str, new_range: &'a str },
}

fn iso(d: Option<Date>) -> Option<String> {
    d.map(|d| d.iso())
}

impl<'a> DiffJson<'a> {
    fn of(d: &'a Diff) -> Self {
        DiffJson {
            schema: SCHEMA,
            edition: &d.edition,
            edition_title: d.edition_title.as_deref(),
            lang: d.lang.code(),
            old: &d.old,
            new: &d.new,
            old_commit: d.old_commit.as_deref(),
            new_commit: d.new_commit.as_deref(),
            instrument: d.instrument.as_deref(),
            date: iso(d.date),
            documents: d.documents.iter().map(DocJson::of).collect(),
        }
    }
}

impl<'a> DocJson<'a> {
    fn of(d: &'a DocDiff) -> Self {
        DocJson {
            id: &d.id,
            status: d.status.name(),
            numbering: match d.numbering {
                crate::model::numbering::Style::Admin => "admin",
                crate::model::numbering::Style::Article => "article",
            },
            title: &d.title,
            old_title: d.old_title.as_deref(),
            new_title: d.new_title.as_deref(),
            old_effective: iso(d.old_effective),
            new_effective: iso(d.new_effective),
            sections: d.sections.iter().map(SectionJson::of).collect(),
            rows: d.rows.iter().map(RowJson::of).collect(),
        }
    }
}

impl<'a> SectionJson<'a> {
    fn of(s: &'a SectionDiff) -> Self {
        SectionJson {
            id: &s.id,
            old_id: s.old_id.as_deref(),
            kind: s.kind.name(),
            renumbered: s.renumbered,
            moved: s.moved,
            text_changed: s.text_changed,
            old: s.old.as_ref().map(SideJson::of),
            new: s.new.as_ref().map(SideJson::of),
        }
    }
}

impl<'a> SideJson<'a> {
    fn of(t: &'a SideText) -> Self {
        SideJson {
            number: t.number.as_deref(),
            path: t.path.as_deref(),
            depth: t.depth,
            parent: t.parent.as_deref(),
            position: t.position,
            title: &t.title,
            title_changes: &t.title_changes,
            body: &t.body,
            body_changes: &t.body_changes,
            units: t.units.iter().map(UnitJson::of).collect(),
        }
    }
}

impl<'a> UnitJson<'a> {
    fn of(u: &'a Unit) -> Self {
        UnitJson {
            label: u.label.as_deref(),
            text: &u.text,
            depth: u.depth,
            kind: u.kind.name(),
            label_changed: u.label_changed,
            changes: &u.changes,
            pair: u.pair,
        }
    }
}

impl<'a> RowJson<'a> {
    fn of(r: &'a Row) -> Self {
        match r {
            Row::Section { index, id } => RowJson::Section { index: *index, id },
            Row::Elided { renumbered, ids, old_range, new_range } => {
                RowJson::Elided { renumbered: *renumbered, ids, old_range, new_range }
            }
        }
    }
}
