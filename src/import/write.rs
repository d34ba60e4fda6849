//! The imported document as policybook Markdown: front matter, headings with ids and classes,
//! paragraphs, ordered lists for numbered items, references linked. Text is escaped, so nothing of
//! the original is read as markup.

use super::header::Header;
use super::ids::Ids;
use super::parse::{Body, Node, NodeKind};
use super::refs::{self, Here, Targets};
use super::text::{escape_markdown, fold};
use super::{Notes, Options, Report};
use std::fmt::Write;

/// Gives every heading its id (children of 定義 are `def-`), and collects what references reach.
pub fn assign_ids(node: &mut Node, ids: &mut Ids, t: &mut Targets, notes: &mut Notes) {
    let child_prefix = if fold(&node.title) == "定義" { "def-" } else { "" };
    for b in &mut node.body {
        let Body::Node(c) = b else { continue };
        if c.heading {
            let title = match &c.kind {
                NodeKind::Supplementary(_) => "附則",
                NodeKind::AppendedTable => "別表",
                _ => c.title.as_str(),
            };
            let (id, readable) = ids.make(title, child_prefix);
            if !readable {
                notes.info(c.line, "import-note.id", &[("title", &c.title), ("id", &id)]);
            }
            c.id = id;
            match c.kind {
                NodeKind::Article => {
                    t.articles.insert((c.number, c.branch.unwrap_or(0)), c.id.clone());
                    t.order.push(c.id.clone());
                }
                NodeKind::Item(_) if node.kind == NodeKind::Root => {
                    t.top.insert(c.number, c.id.clone());
                }
                _ => {}
            }
        }
        assign_ids(c, ids, t, notes);
    }
}

fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The front matter: id, type, title, classification, numbering, effective date and history.
pub fn front_matter(h: &Header, o: &Options, id: &str, article: bool, notes: &mut Notes) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "id: {id}");
    let _ = writeln!(s, "type: {}", o.doc_type);
    let _ = writeln!(s, "title: {}", yaml(h.title.as_deref().unwrap_or("（題名）")));
    let _ = writeln!(s, "classification: {}", o.classification);
    let _ = writeln!(s, "numbering: {}", if article { "article" } else { "admin" });
    if let Some(org) = &h.organization {
        let _ = writeln!(s, "# organization in the original: {} (the project's is book.toml [book] organization)", org);
    }
    match h.revisions.last() {
        Some(r) => {
            let _ = writeln!(s, "effective: {}", r.date);
        }
        None => {
            notes.warn(1, "import-date", &[]);
            s.push_str("effective: \"\"\n");
        }
    }
    if !h.revisions.is_empty() {
        s.push_str("history:\n");
    }
    for r in &h.revisions {
        let kind = r.kind.clone().unwrap_or_else(|| {
            let assumed = if article { "制定" } else { "策定" };
            notes.warn(r.line, "import-kind", &[("kind", assumed)]);
            assumed.to_string()
        });
        let _ = writeln!(s, "  - date: {}\n    kind: {}", r.date, yaml(&kind));
        if let Some(i) = &r.instrument {
            let _ = writeln!(s, "    instrument: {}", yaml(i));
        }
    }
    s.push_str("---\n");
    s
}

/// Writes a node's body: paragraphs, lists and the headings below it.
pub struct Writer<'a> {
    pub out: String,
    pub targets: &'a Targets,
    pub notes: &'a mut Notes,
    pub report: &'a mut Report,
    pub revisions: &'a [super::header::RevisionLine],
}

impl Writer<'_> {
    fn text(&mut self, text: &str, line: u32, here: Here) -> String {
        let escaped = escape_markdown(text);
        refs::link(&escaped, self.targets, here, line, self.notes, &mut self.report.references)
    }

    pub fn body(&mut self, node: &Node, depth: usize, here: Here) {
        let mut here = here;
        let mut i = 0;
        while i < node.body.len() {
            match &node.body[i] {
                Body::Para(line, p) => {
                    here.para += 1;
                    let t = self.text(p, *line, here);
                    let _ = write!(self.out, "{t}\n\n");
                }
                Body::Table(line, rows) => self.table(rows, *line, here, ""),
                Body::Bullet(..) => {
                    while let Some(Body::Bullet(line, b)) = node.body.get(i) {
                        let t = self.text(b, *line, here);
                        let _ = writeln!(self.out, "- {t}");
                        i += 1;
                    }
                    self.out.push('\n');
                    continue;
                }
                Body::Node(c) if c.heading => self.heading(c, depth, here),
                Body::Node(_) => {
                    while let Some(Body::Node(c)) =
                        node.body.get(i).filter(|b| matches!(b, Body::Node(c) if !c.heading))
                    {
                        self.item(c, 0, here);
                        i += 1;
                    }
                    self.out.push('\n');
                    continue;
                }
            }
            i += 1;
        }
    }

    /// A GitHub table: the first row is the header, every row as wide as the widest.
    fn table(&mut self, rows: &[Vec<String>], line: u32, here: Here, pad: &str) {
        let width = rows.iter().map(Vec::len).max().unwrap_or(1);
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> =
                (0..width).map(|k| self.text(row.get(k).map_or("", String::as_str), line, here)).collect();
            let _ = writeln!(self.out, "{pad}| {} |", cells.join(" | "));
            if i == 0 {
                let _ = writeln!(self.out, "{pad}|{}", "---|".repeat(width));
            }
        }
        self.out.push('\n');
    }

    fn heading(&mut self, c: &Node, depth: usize, here: Here) {
        let mut classes = String::new();
        match &c.kind {
            NodeKind::Unnumbered => classes.push_str(" .unnumbered"),
            NodeKind::Supplementary(inner) => {
                classes.push_str(" .supplementary");
                let date = super::header::wareki_date(&fold(inner)).map(|(d, _)| d);
                if let Some(d) = date.filter(|d| self.revisions.iter().any(|r| r.date == *d && r.line != c.line)) {
                    let _ = write!(classes, " revision={d}");
                }
            }
            NodeKind::AppendedTable => classes.push_str(" .appended-table"),
            _ => {}
        }
        if c.branch.is_some() {
            classes.push_str(" .inserted");
        }
        if c.deleted {
            classes.push_str(" .deleted");
        }
        let title = escape_markdown(&c.title);
        let _ = write!(self.out, "{} {title} {{#{}{classes}}}\n\n", "#".repeat(depth), c.id);
        if self.report.sections_per_level.len() < depth {
            self.report.sections_per_level.resize(depth, 0);
        }
        self.report.sections_per_level[depth - 1] += 1;
        let article = if c.kind == NodeKind::Article || matches!(c.kind, NodeKind::Supplementary(_)) {
            self.targets.order.iter().position(|id| *id == c.id)
        } else {
            here.article
        };
        self.body(c, depth + 1, Here { article, para: 0 });
    }

    fn item(&mut self, c: &Node, indent: usize, here: Here) {
        let pad = " ".repeat(indent * 3);
        let inserted = if c.branch.is_some() { "{.inserted} " } else { "" };
        let t = self.text(&c.title, c.line, here);
        let _ = writeln!(self.out, "{pad}1. {inserted}{t}");
        self.report.list_items += 1;
        for b in &c.body {
            match b {
                Body::Node(g) => self.item(g, indent + 1, here),
                Body::Para(line, p) | Body::Bullet(line, p) => {
                    let t = self.text(p, *line, here);
                    let _ = write!(self.out, "\n{pad}   {t}\n");
                }
                Body::Table(line, rows) => {
                    self.out.push('\n');
                    self.table(rows, *line, here, &format!("{pad}   "));
                }
            }
        }
    }
}
