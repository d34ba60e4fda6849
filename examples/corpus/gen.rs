//! The corpus: a fictional 「サンプル県」 policy set (basic policy, standards in chapter files,
//! restricted procedures) in Japanese and English, every English section confirmed, written as a
//! git history of N revisions. Deterministic by seed: same options, same files, same commits.

#[path = "rng.rs"]
mod rng;
#[path = "words.rs"]
mod words;

use rng::Rng;

use policybook::book::confirm;
use policybook::diag::Severity;
use policybook::model::load;
use policybook::source::MemSource;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use words::{capitalized, Words};

/// What to generate.
pub struct Options {
    /// A4 pages per language of the biggest document (the standards), roughly.
    pub pages: usize,
    /// Commits in the history (tagged `rev-001` …), at least 1.
    pub revisions: usize,
    pub seed: u64,
}

/// Calibrated with a PDF build and `pdfinfo` (README "Performance"): pages of the public
/// edition's `standards.ja.pdf` per generated chapter (30 chapters: 170 pages in Japanese, 239 in
/// English; the restricted edition has about a fifth more).
const PAGES_PER_CHAPTER: f64 = 5.7;

/// The section whose Japanese the last revision changes without confirming the English: the
/// corpus's one intended stale translation.
pub const STALE_SECTION: &str = "s0-1";

const BOOK: &str = r#"# A generated benchmark corpus (examples/corpus): the fictional サンプル県, not a real policy.

[book]
title = { ja = "サンプル県情報セキュリティポリシー（生成コーパス）", en = "Sample Prefecture Information Security Policy (generated corpus)" }
organization = { ja = "サンプル県", en = "Sample Prefecture" }
language = "ja"
translation = "en"
source = "policy-source"
output = "output"

[[classification.level]]
key = "public"
label = { ja = "機密性1", en = "Confidentiality 1" }
marking = { ja = "公開", en = "Public" }

[[classification.level]]
key = "internal"
label = { ja = "機密性2", en = "Confidentiality 2" }
marking = { ja = "庁内限り", en = "Internal use only" }

[[classification.level]]
key = "restricted"
label = { ja = "機密性3", en = "Confidentiality 3" }
marking = { ja = "関係者限り", en = "Authorized personnel only" }

[edition.public]
ceiling = "public"
title = { ja = "公開版", en = "Public edition" }

[edition.internal]
ceiling = "internal"
title = { ja = "庁内版", en = "Internal edition" }

[edition.restricted]
ceiling = "restricted"
title = { ja = "関係者版", en = "Restricted edition" }

[history]
release-tags = "rev-*"
"#;

#[derive(Clone)]
struct Text {
    ja: String,
    en: String,
}

enum Block {
    Para(Text),
    /// Ordered list: items with their nested items.
    List(Vec<(Text, Vec<Text>)>),
    /// A two-column table: header and rows.
    Table(Vec<[Text; 2]>),
    /// A `::: level` part.
    Part(&'static str, Vec<Block>),
}

struct Section {
    id: String,
    class: Option<&'static str>,
    title: Text,
    blocks: Vec<Block>,
    children: Vec<Section>,
}

struct Doc {
    id: &'static str,
    /// Chapter files in a folder (the standards) or one file per language.
    chapters: bool,
    front: Text,
    preamble: Vec<Block>,
    sections: Vec<Section>,
}

/// The text source: words, randomness, and the public sections references may point to.
struct Gen {
    rng: Rng,
    words: Words,
    /// (document, section id) of public sections: a reference from any edition resolves.
    targets: Vec<(&'static str, String)>,
    /// Sections of the restricted procedures, for references from restricted parts.
    restricted_targets: Vec<String>,
}

impl Gen {
    fn sentence(&mut self, clauses: usize) -> Text {
        let ja: Vec<&str> = (0..clauses).map(|_| self.rng.pick(&self.words.ja).as_str()).collect();
        let en: Vec<&str> = (0..clauses).map(|_| self.rng.pick(&self.words.en).as_str()).collect();
        Text { ja: format!("{}。", ja.join("、")), en: format!("{}.", capitalized(&en.join(", "))) }
    }

    fn title(&mut self) -> Text {
        Text {
            ja: self.rng.pick(&self.words.ja_titles).to_string(),
            en: self.rng.pick(&self.words.en_titles).to_string(),
        }
    }

    /// A paragraph of two or three sentences, one time in three with a reference.
    fn para(&mut self, here: &str, restricted: bool) -> Text {
        let n = 2 + self.rng.below(2);
        let mut t = Text { ja: String::new(), en: String::new() };
        for _ in 0..n {
            let clauses = 2 + self.rng.below(3);
            let s = self.sentence(clauses);
            push(&mut t, &s);
        }
        if self.rng.below(3) == 0 {
            let r = self.reference(here, restricted);
            push(
                &mut t,
                &Text {
                    ja: format!("詳細は、{r}に定めるところによる。"),
                    en: format!("Details are as set out in {r}."),
                },
            );
        }
        t
    }

    /// `[](#id)` or `[](doc#id)`: a public section, or in restricted text a section of the procedures.
    fn reference(&mut self, here: &str, restricted: bool) -> String {
        let (doc, id) = if restricted && !self.restricted_targets.is_empty() && self.rng.below(2) == 0 {
            ("procedures", self.restricted_targets[self.rng.below(self.restricted_targets.len())].clone())
        } else {
            self.targets[self.rng.below(self.targets.len())].clone()
        };
        if doc == here {
            format!("[](#{id})")
        } else {
            format!("[]({doc}#{id})")
        }
    }

    fn list(&mut self, items: usize, nested: bool) -> Block {
        let items = (0..items)
            .map(|_| {
                let n = if nested && self.rng.below(3) == 0 { 2 } else { 0 };
                (self.sentence(2), (0..n).map(|_| self.sentence(1)).collect())
            })
            .collect();
        Block::List(items)
    }

    fn table(&mut self) -> Block {
        let mut rows = vec![[
            Text { ja: "区分".into(), en: "Category".into() },
            Text { ja: "内容".into(), en: "Description".into() },
        ]];
        for _ in 0..3 + self.rng.below(3) {
            rows.push([self.title(), self.sentence(2)]);
        }
        Block::Table(rows)
    }
}

fn push(t: &mut Text, s: &Text) {
    t.ja.push_str(&s.ja);
    if !t.en.is_empty() {
        t.en.push(' ');
    }
    t.en.push_str(&s.en);
}

/// The level of a generated section of the standards, from its place: about one in nine
/// internal and one in nine restricted.
fn class_of(chapter: usize, k: usize) -> Option<&'static str> {
    match (chapter * 7 + k) % 9 {
        4 => Some("internal"),
        7 => Some("restricted"),
        _ => None,
    }
}

const SECTIONS_PER_CHAPTER: usize = 6;

/// Section ids of the standards (chapter `c`, section `k`): `c{c}` and `s{c}-{k}`.
fn sid(c: usize, k: usize) -> String {
    format!("s{c}-{k}")
}

impl Gen {
    /// A `##` section of the standards or procedures: a paragraph, maybe a table or a part, and
    /// two `###` sections with lists whose items number (ア).
    fn section(&mut self, here: &str, id: String, class: Option<&'static str>, doc_restricted: bool) -> Section {
        let restricted = doc_restricted || class == Some("restricted");
        let mut blocks = vec![Block::Para(self.para(here, restricted))];
        match self.rng.below(5) {
            0 => blocks.push(self.table()),
            1 if class.is_none() && !doc_restricted => {
                let level = if self.rng.below(2) == 0 { "internal" } else { "restricted" };
                let p = self.para(here, level == "restricted");
                blocks.push(Block::Part(level, vec![Block::Para(p)]));
            }
            _ => blocks.push(self.list(3, false)),
        }
        let children = (0..2)
            .map(|j| {
                let items = 3 + self.rng.below(2);
                let blocks = vec![Block::Para(self.para(here, restricted)), self.list(items, true)];
                Section { id: format!("{id}-{j}"), class: None, title: self.title(), blocks, children: vec![] }
            })
            .collect();
        Section { id, class, title: self.title(), blocks, children }
    }

    fn chapter(&mut self, here: &str, c: usize, doc_restricted: bool) -> Section {
        let children = (0..SECTIONS_PER_CHAPTER)
            .map(|k| {
                let class = if doc_restricted { None } else { class_of(c, k) };
                self.section(here, sid(c, k), class, doc_restricted)
            })
            .collect();
        let blocks = vec![Block::Para(self.para(here, doc_restricted))];
        Section { id: format!("c{c}"), class: None, title: self.title(), blocks, children }
    }
}

fn front(id: &str, ja_title: &str, en_title: &str, class: &str) -> Text {
    Text {
        ja: format!(
            "---\nid: {id}\ntype: {}\ntitle: {ja_title}\nclassification: {class}\nnumbering: admin\nversion: \"1.0\"\neffective: 2026-04-01\nhistory:\n  - date: 2026-04-01\n    kind: 策定\n    note: 性能測定用に生成した架空のサンプル\n---\n",
            if id == "procedures" { "procedure" } else if id == "standards" { "standard" } else { "basic-policy" }
        ),
        en: format!("---\nid: {id}\ntitle: {en_title}\nhistory:\n  - date: 2026-04-01\n    note: A fictitious sample generated for benchmarks.\n---\n"),
    }
}

fn notice() -> Block {
    Block::Para(Text {
        ja: "本書は、policybookの性能測定のために自動生成した架空の「サンプル県」の文書であり、実在する団体の規程ではない。文章は既定のサンプルプロジェクトの語句を無作為に組み合わせたものである。".into(),
        en: "This document was generated automatically for policybook's benchmarks: it belongs to the fictitious Sample Prefecture and is no real organization's policy. Its text combines phrases of the default sample project at random.".into(),
    })
}

/// The three documents of revision 1.
fn documents(g: &mut Gen, opts: &Options) -> Vec<Doc> {
    let chapters = ((opts.pages as f64 / PAGES_PER_CHAPTER).round() as usize).max(1);
    let proc_chapters = chapters.div_ceil(5);
    g.targets = (0..8).map(|k| ("basic-policy", format!("bp{k}"))).collect();
    for c in 0..chapters {
        for k in (0..SECTIONS_PER_CHAPTER).filter(|&k| class_of(c, k).is_none()) {
            g.targets.push(("standards", sid(c, k)));
        }
    }
    g.restricted_targets = (0..proc_chapters).map(|c| format!("p{c}")).collect();
    let basic = (0..8)
        .map(|k| {
            let blocks = vec![Block::Para(g.para("basic-policy", false)), g.list(4, false)];
            Section { id: format!("bp{k}"), class: None, title: g.title(), blocks, children: vec![] }
        })
        .collect();
    let standards = (0..chapters).map(|c| g.chapter("standards", c, false)).collect();
    let procedures = (0..proc_chapters)
        .map(|c| {
            let mut ch = g.chapter("procedures", c, true);
            ch.id = format!("p{c}");
            rename(&mut ch.children, &format!("p{c}-"));
            ch
        })
        .collect();
    vec![
        Doc {
            id: "basic-policy",
            chapters: false,
            front: front(
                "basic-policy",
                "サンプル県情報セキュリティ基本方針（生成サンプル）",
                "Sample Prefecture Basic Information Security Policy (generated sample)",
                "public",
            ),
            preamble: vec![notice()],
            sections: basic,
        },
        Doc {
            id: "standards",
            chapters: true,
            front: front(
                "standards",
                "サンプル県情報セキュリティ対策基準（生成サンプル）",
                "Sample Prefecture Information Security Standards (generated sample)",
                "public",
            ),
            preamble: vec![notice()],
            sections: standards,
        },
        Doc {
            id: "procedures",
            chapters: false,
            front: front(
                "procedures",
                "サンプル県情報セキュリティ実施手順（生成サンプル）",
                "Sample Prefecture Information Security Procedures (generated sample)",
                "restricted",
            ),
            preamble: vec![notice()],
            sections: procedures,
        },
    ]
}

/// Gives the sections of a procedures chapter ids of their own (`p{c}-{k}`, `p{c}-{k}-{j}`).
fn rename(sections: &mut [Section], prefix: &str) {
    for (k, s) in sections.iter_mut().enumerate() {
        s.id = format!("{prefix}{k}");
        let sub = format!("{}-", s.id);
        rename(&mut s.children, &sub);
    }
}

#[path = "history.rs"]
mod history;
#[path = "render.rs"]
mod render;

pub use history::generate;
