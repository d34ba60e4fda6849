//! The comparison for the terminal: one hunk per changed section, old lines `-` and new lines `+`
//! with the changed characters highlighted (ANSI colours on a terminal; `[-…-]` / `{+…+}` like
//! `git diff --word-diff` otherwise).

use super::units::{self, UnitKind};
use super::{Diff, DocStatus, Kind, Row, SectionDiff, SideText};
use crate::config::Lang;
use crate::render::diff::inline::Range;
use std::fmt::Write;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const REV: &str = "\x1b[7m";
const RESET: &str = "\x1b[0m";

pub fn render(diff: &Diff, color: bool) -> String {
    let mut out = String::new();
    let c = |code: &'static str| if color { code } else { "" };
    if diff.documents.is_empty() {
        let _ = writeln!(out, "no changes in edition {} between {} and {}", diff.edition, diff.old, diff.new);
    }
    for d in &diff.documents {
        let status = d.status.name();
        let _ = writeln!(out, "{}=== {} {} ({status}){}", c(BOLD), d.id, d.title, c(RESET));
        let _ = writeln!(out, "{}--- {}\n+++ {}{}", c(BOLD), diff.old, diff.new, c(RESET));
        if d.old_title != d.new_title && d.status == DocStatus::Changed {
            let _ = writeln!(out, "{}-title: {}{}", c(RED), d.old_title.as_deref().unwrap_or(""), c(RESET));
            let _ = writeln!(out, "{}+title: {}{}", c(GREEN), d.new_title.as_deref().unwrap_or(""), c(RESET));
        }
        for row in &d.rows {
            match row {
                Row::Elided { renumbered: true, old_range, new_range, .. } => {
                    let _ = writeln!(out, "{}@@ {old_range} → {new_range} (renumbered){}", c(CYAN), c(RESET));
                }
                Row::Elided { .. } => {}
                Row::Section { index, .. } => section(&mut out, &d.sections[*index], diff.lang, color),
            }
        }
        out.push('\n');
    }
    out
}

fn heading(t: &SideText) -> String {
    match &t.path {
        Some(p) => format!("{p} {}", t.title),
        None => t.title.clone(),
    }
}

fn section(out: &mut String, s: &SectionDiff, lang: Lang, color: bool) {
    let c = |code: &'static str| if color { code } else { "" };
    let id = if s.id.is_empty() { "(preamble)".to_string() } else { format!("{{#{}}}", s.id) };
    let what = match (s.kind, &s.old) {
        (Kind::Changed, _) if s.renumbered => "changed, renumbered".to_string(),
        (Kind::Moved, Some(o)) => format!("moved from {}", o.label()),
        (kind, _) => kind.name().to_string(),
    };
    let head = s.new.as_ref().or(s.old.as_ref()).map(heading).unwrap_or_default();
    let _ = writeln!(out, "{}@@ {head} {id} ({what}){}", c(CYAN), c(RESET));
    match (&s.old, &s.new) {
        (Some(o), Some(n)) => {
            if o.title != n.title || o.path != n.path {
                line(
                    out,
                    '-',
                    &heading(o),
                    &shift(&o.title_changes, heading(o).chars().count() - o.title.chars().count()),
                    color,
                );
                line(
                    out,
                    '+',
                    &heading(n),
                    &shift(&n.title_changes, heading(n).chars().count() - n.title.chars().count()),
                    color,
                );
            }
            unit_hunk(out, s, lang, color);
        }
        (Some(o), None) => whole(out, '-', o, color),
        (None, Some(n)) => whole(out, '+', n, color),
        (None, None) => {}
    }
}

fn shift(r: &[Range], by: usize) -> Vec<Range> {
    r.iter().map(|r| [r[0] + by, r[1] + by]).collect()
}

fn whole(out: &mut String, sign: char, t: &SideText, color: bool) {
    line(out, sign, &heading(t), &[], color);
    for l in t.body.lines() {
        line(out, sign, l, &[], color);
    }
}

/// The units: changed ones as `-` / `+` lines with the changed characters highlighted, one
/// unchanged unit of context around them, `…` for the rest.
fn unit_hunk(out: &mut String, s: &SectionDiff, lang: Lang, color: bool) {
    let pairs = s.unit_pairs();
    let same = |k: usize| pairs[k].0.or(pairs[k].1).is_some_and(|u| u.kind == UnitKind::Unchanged);
    let mut skipped = false;
    for (k, (o, n)) in pairs.iter().enumerate() {
        if same(k) {
            let near = (k > 0 && !same(k - 1)) || (k + 1 < pairs.len() && !same(k + 1));
            match (near, n) {
                (true, Some(u)) => line(out, ' ', &u.line(lang), &[], color),
                _ if !skipped => {
                    let _ = writeln!(out, " …");
                }
                _ => {}
            }
            skipped = !near;
            continue;
        }
        skipped = false;
        for (sign, u) in [('-', o), ('+', n)] {
            if let Some(u) = u {
                let (text, ranges) = units::body(std::slice::from_ref(u), lang);
                line(out, sign, &text, &ranges, color);
            }
        }
    }
}

/// One `-` or `+` line (or ` ` for context), the changed characters highlighted.
pub fn line(out: &mut String, sign: char, text: &str, ranges: &[Range], color: bool) {
    let (col, open, close) = match sign {
        '-' => (RED, "[-", "-]"),
        '+' => (GREEN, "{+", "+}"),
        _ => ("", "", ""),
    };
    let mut s = String::new();
    for seg in super::table::segs(text, ranges) {
        match (seg.u, color) {
            (false, _) => s.push_str(&seg.t),
            (true, true) => {
                s.push_str(REV);
                s.push_str(&seg.t);
                s.push_str(RESET);
                s.push_str(col);
            }
            (true, false) => {
                s.push_str(open);
                s.push_str(&seg.t);
                s.push_str(close);
            }
        }
    }
    if color && !col.is_empty() {
        let _ = writeln!(out, "{col}{sign}{s}{RESET}");
    } else {
        let _ = writeln!(out, "{sign}{s}");
    }
}
