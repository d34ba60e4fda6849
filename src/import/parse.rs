//! The structure of a document from its numbering: a tree of numbered items, 章 and 条, built
//! with a stack (a number of a deeper kind opens a child, one of the same or a shallower kind
//! closes what is open), then each run of items told a heading or a list as a reader would.

use super::clean::Line;
use super::header::UNNUMBERED;
use super::marker::{self, Kind, Marker};
use super::Notes;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Root,
    /// 序文: a heading without a number.
    Unnumbered,
    /// 1 / (1) / ア / (ア) / a / (a).
    Item(Kind),
    /// 2―3―1: the number of parts.
    Dash(u8),
    /// 章 (0), 節 (1), 款 (2).
    Chapter(u8),
    Article,
    /// 附則: what its brackets say (the date and instrument of an amendment).
    Supplementary(String),
    AppendedTable,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub line: u32,
    pub kind: NodeKind,
    pub number: u32,
    pub branch: Option<u32>,
    /// A heading's title, an article's 見出し, or a list item's text.
    pub title: String,
    pub body: Vec<Body>,
    pub heading: bool,
    pub deleted: bool,
    pub id: String,
}

#[derive(Debug, Clone)]
pub enum Body {
    Para(u32, String),
    /// Rows of cells (「| a | b |」 lines, as a Word table or a converter writes them).
    Table(u32, Vec<Vec<String>>),
    Bullet(u32, String),
    Node(Node),
}

impl Node {
    fn new(line: u32, kind: NodeKind, number: u32, title: &str) -> Node {
        let heading = !matches!(kind, NodeKind::Item(_) | NodeKind::Dash(_));
        Node {
            line,
            kind,
            number,
            branch: None,
            title: title.to_string(),
            body: Vec::new(),
            heading,
            deleted: false,
            id: String::new(),
        }
    }

    pub fn children(&self) -> impl Iterator<Item = &Node> {
        self.body.iter().filter_map(|b| match b {
            Body::Node(n) => Some(n),
            _ => None,
        })
    }

    fn has_paras(&self) -> bool {
        self.body.iter().any(|b| matches!(b, Body::Para(..) | Body::Bullet(..) | Body::Table(..)))
    }

    /// The stack rank: a node takes as children the nodes of a greater rank.
    fn rank(&self, article: bool) -> i16 {
        match (&self.kind, article) {
            (NodeKind::Root, _) => -1,
            (NodeKind::Unnumbered | NodeKind::Supplementary(_) | NodeKind::AppendedTable, _) => 0,
            (NodeKind::Chapter(k), _) => *k as i16,
            (NodeKind::Article, _) => 3,
            (NodeKind::Dash(n), _) => *n as i16 - 1,
            (NodeKind::Item(k), false) => k.rank() as i16,
            (NodeKind::Item(k), true) => 4 + k.rank() as i16,
        }
    }

    fn accepts(&self, child: &Node, article: bool) -> bool {
        match self.kind {
            NodeKind::Root => true,
            // 序文 holds its own numbered list until the numbers start again.
            NodeKind::Unnumbered => !(child.number == 1 && self.children().any(|c| c.kind == child.kind)),
            _ => self.rank(article) < child.rank(article),
        }
    }
}

struct Builder {
    stack: Vec<Node>,
    article: bool,
    caption: Option<String>,
    last_caption: Option<String>,
}

impl Builder {
    fn close(&mut self) {
        if let Some(n) = self.stack.pop() {
            if let Some(top) = self.stack.last_mut() {
                top.body.push(Body::Node(n));
            }
        }
    }

    fn push(&mut self, node: Node) {
        let article = self.article;
        while !self.top().accepts(&node, article) {
            self.close();
        }
        self.stack.push(node);
    }

    fn top(&mut self) -> &mut Node {
        self.stack.last_mut().expect("the root stays on the stack")
    }

    /// Text with no number: a paragraph in administrative style; in a rule, the continuation of
    /// the text before (a rule's paragraphs, 項, all have numbers but the first).
    fn text(&mut self, no: u32, text: &str) {
        let article = self.article;
        let top = self.top();
        if !article || matches!(top.kind, NodeKind::Root | NodeKind::Chapter(_)) {
            top.body.push(Body::Para(no, text.to_string()));
        } else if matches!(top.kind, NodeKind::Item(_)) && top.body.is_empty() {
            top.title.push_str(text);
        } else if let Some(Body::Para(_, p)) = top.body.last_mut() {
            p.push_str(text);
        } else {
            top.body.push(Body::Para(no, text.to_string()));
        }
    }

    /// A 項 (a numbered paragraph of an article): a new paragraph of the article it stands in.
    fn paragraph(&mut self, no: u32, n: u32, text: &str, notes: &mut Notes) {
        while matches!(self.top().kind, NodeKind::Item(_)) {
            self.close();
        }
        let paras = self.top().body.iter().filter(|b| matches!(b, Body::Para(..))).count() as u32;
        if n != paras + 1 {
            notes.warn(no, "import-sequence.paragraph", &[("n", &n.to_string()), ("prev", &paras.to_string())]);
        }
        self.top().body.push(Body::Para(no, text.to_string()));
    }

    fn article(&mut self, no: u32, n: u32, branch: Option<u32>, rest: &str, notes: &mut Notes) {
        let title = match self.caption.take().or_else(|| self.last_caption.clone()) {
            Some(t) => t,
            None => {
                notes.warn(no, "import-caption", &[]);
                "見出しなし".to_string()
            }
        };
        self.last_caption = Some(title.clone());
        let mut node = Node::new(no, NodeKind::Article, n, &title);
        node.branch = branch;
        let text = rest.trim();
        if text == "削除" {
            node.deleted = true;
        } else if !text.is_empty() {
            node.body.push(Body::Para(no, text.to_string()));
        }
        self.push(node);
    }

    fn line(&mut self, l: &Line, notes: &mut Notes) {
        if l.bullet {
            self.top().body.push(Body::Bullet(l.no, l.text.clone()));
            return;
        }
        if let Some(cells) = table_row(&l.text) {
            if cells.iter().all(|c| !c.is_empty() && c.chars().all(|c| matches!(c, '-' | ':' | ' '))) {
                return;
            }
            match self.top().body.last_mut() {
                Some(Body::Table(_, rows)) => rows.push(cells),
                _ => self.top().body.push(Body::Table(l.no, vec![cells])),
            }
            return;
        }
        if UNNUMBERED.contains(&l.text.as_str()) {
            return self.top_level(Node::new(l.no, NodeKind::Unnumbered, 0, &l.text));
        }
        let Some(m) = marker::parse(&l.text) else { return self.text(l.no, &l.text) };
        let rest = m.rest.trim_start();
        match m.marker {
            Marker::Part(_) => notes.info(l.no, "import-note.part", &[("text", &l.text)]),
            Marker::Caption(c) if self.article => self.caption = Some(c),
            Marker::Caption(_) => self.text(l.no, &l.text),
            Marker::Article(n, b) => self.article(l.no, n, b, rest, notes),
            Marker::Item(Kind::Num, n, _) if self.article && self.in_article() => self.paragraph(l.no, n, rest, notes),
            Marker::Chapter(k, n) => self.push(Node::new(l.no, NodeKind::Chapter(k), n, rest)),
            Marker::Supplementary(inner) => self.top_level(Node::new(l.no, NodeKind::Supplementary(inner), 0, "附則")),
            Marker::AppendedTable => self.top_level(Node::new(l.no, NodeKind::AppendedTable, 0, &l.text)),
            Marker::Item(k, n, b) => {
                let mut node = Node::new(l.no, NodeKind::Item(k), n, rest);
                node.branch = b;
                self.push(node);
            }
            Marker::Dash(parts) => {
                let n = *parts.last().unwrap_or(&0);
                self.push(Node::new(l.no, NodeKind::Dash(parts.len().min(9) as u8), n, rest));
            }
        }
    }

    fn in_article(&self) -> bool {
        self.stack.iter().any(|n| matches!(n.kind, NodeKind::Article | NodeKind::Supplementary(_)))
    }

    fn top_level(&mut self, node: Node) {
        while self.stack.len() > 1 {
            self.close();
        }
        self.stack.push(node);
    }
}

/// The cells of a table row 「| a | b |」.
pub fn table_row(text: &str) -> Option<Vec<String>> {
    let inner = text.strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// The tree of a document's body lines. `article`: the document is a rule (it has 第N条).
pub fn build(lines: &[Line], article: bool, notes: &mut Notes) -> Node {
    let root = Node::new(0, NodeKind::Root, 0, "");
    let mut b = Builder { stack: vec![root], article, caption: None, last_caption: None };
    for l in lines {
        b.line(l, notes);
    }
    while b.stack.len() > 1 {
        b.close();
    }
    let mut root = b.stack.pop().expect("the root");
    if !article {
        decide(&mut root);
    }
    sequence(&root, notes, &mut 0);
    root
}

/// A title as a reader takes it: short, not a sentence.
pub fn title_like(text: &str) -> bool {
    !text.ends_with('。') && !text.contains('、') && text.chars().count() <= 40
}

/// Tells headings from list items, children first: a run of items of one kind is a list unless
/// one of them has paragraphs of its own (the last one's may belong to what holds the list),
/// headings below it, or a title for a text with children.
fn decide(node: &mut Node) {
    for b in &mut node.body {
        if let Body::Node(n) = b {
            decide(n);
        }
    }
    let kinds: Vec<NodeKind> = node.children().map(|c| c.kind.clone()).collect();
    for kind in kinds.iter().fold(Vec::new(), |mut v: Vec<&NodeKind>, k| {
        if !v.contains(&k) {
            v.push(k);
        }
        v
    }) {
        if matches!(kind, NodeKind::Unnumbered) {
            continue;
        }
        let group: Vec<&Node> = node.children().filter(|c| &c.kind == kind).collect();
        let last = group.len() - 1;
        let heads = group.iter().enumerate().any(|(i, c)| {
            c.children().any(|g| g.heading)
                || (title_like(&c.title) && !c.body.is_empty())
                || (c.has_paras() && i < last)
        });
        for b in &mut node.body {
            if let Body::Node(c) = b {
                if &c.kind == kind {
                    c.heading = heads;
                }
            }
        }
        if !heads {
            lift_trailing_paras(node, kind);
        }
    }
}

/// The paragraphs after the last item of a list belong to what holds the list.
fn lift_trailing_paras(node: &mut Node, kind: &NodeKind) {
    let Some(at) = node.body.iter().rposition(|b| matches!(b, Body::Node(c) if &c.kind == kind)) else { return };
    let Body::Node(last) = &mut node.body[at] else { return };
    let keep = last.body.iter().rposition(|b| matches!(b, Body::Node(_))).map_or(0, |i| i + 1);
    let lifted: Vec<Body> = last.body.drain(keep..).collect();
    node.body.splice(at + 1..at + 1, lifted);
}

/// Numbers in sequence: each run of one kind counts 1, 2, 3 (a branch number …の2 repeats the
/// number before); articles count across 章.
fn sequence(node: &Node, notes: &mut Notes, articles: &mut u32) {
    let mut last: Vec<(NodeKind, u32)> = Vec::new();
    for c in node.children() {
        let prev = if c.kind == NodeKind::Article {
            *articles
        } else {
            last.iter().find(|(k, _)| *k == c.kind).map_or(0, |(_, n)| *n)
        };
        let ok = match c.branch {
            Some(_) => c.number == prev,
            None => c.number == prev + 1 || (c.number == 1 && !c.heading),
        };
        let numbered = !matches!(c.kind, NodeKind::Unnumbered | NodeKind::Supplementary(_) | NodeKind::AppendedTable);
        if numbered && !ok {
            notes.warn(c.line, "import-sequence", &[("n", &c.number.to_string()), ("prev", &prev.to_string())]);
        }
        if c.kind == NodeKind::Article {
            *articles = c.number;
        }
        last.retain(|(k, _)| *k != c.kind);
        last.push((c.kind.clone(), c.number));
        sequence(c, notes, articles);
    }
}
