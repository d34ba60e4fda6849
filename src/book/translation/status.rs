//! `policybook translation status`: per document and in total, the sections translated and
//! confirmed, stale, unconfirmed and untranslated, as an edition sees them.

use crate::edition::Edition;
use crate::model::translation::Counts;
use serde::Serialize;
use std::fmt::Write;

/// The status of an edition's translation (`--format json` prints it: `policybook-translation-status/1`).
#[derive(Debug, Serialize)]
pub struct Status {
    pub format: &'static str,
    pub edition: String,
    pub documents: Vec<DocStatus>,
    pub total: Counts,
}

#[derive(Debug, Serialize)]
pub struct DocStatus {
    pub id: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The status of every document of `edition`.
pub fn status(edition: &Edition) -> Status {
    let documents: Vec<DocStatus> =
        edition.documents().iter().map(|d| DocStatus { id: d.id.clone(), counts: Counts::of(d) }).collect();
    let total = documents.iter().fold(Counts::default(), |t, d| t.plus(d.counts));
    Status { format: "policybook-translation-status/1", edition: edition.name().to_string(), documents, total }
}

/// The status as a table, one row per document and a total.
pub fn table(s: &Status) -> String {
    let width = s.documents.iter().map(|d| d.id.len()).chain(["document".len(), "total".len()]).max().unwrap_or(8);
    let mut out = format!("edition {}\n", s.edition);
    let _ = writeln!(
        out,
        "{:<width$}  {:>8}  {:>9}  {:>5}  {:>11}  {:>12}",
        "document", "sections", "confirmed", "stale", "unconfirmed", "untranslated"
    );
    let row = |out: &mut String, id: &str, c: &Counts| {
        let _ = writeln!(
            out,
            "{id:<width$}  {:>8}  {:>9}  {:>5}  {:>11}  {:>12}",
            c.total(),
            c.current,
            c.stale,
            c.unconfirmed,
            c.untranslated
        );
    };
    for d in &s.documents {
        row(&mut out, &d.id, &d.counts);
    }
    row(&mut out, "total", &s.total);
    out
}
