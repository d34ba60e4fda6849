//! Loading: a [`Source`] → a [`Project`], with the diagnostics found on the way.
//!
//! Reads `book.toml` and every document (single files or chapter folders) in both languages,
//! builds each language's section tree, aligns English to Japanese by id, resolves effective
//! classification levels, fingerprints the Japanese text and computes numbers.

use super::frontmatter::{self, key_loc, parse_yaml, RawEn, RawJa};
use super::markdown::{self, RawFile, RawSection};
use super::{Block, Date, Document, Project, Revision, Section, SectionText, Texts, Translation};
use crate::config::{is_key, Config, ConfigError, Lang, Level};
use crate::diag::{Diagnostic, LineIndex, Loc};
use crate::model::numbering;
use crate::model::structure;
use crate::source::{Source, SourceError};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The manifest file's name.
pub const MANIFEST: &str = "book.toml";

/// A loaded project and what loading found wrong. Documents with fatal front matter errors are
/// left out of the project (their diagnostics say why).
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// Loads the project at the root of `source`.
pub fn load(source: &dyn Source) -> Result<Loaded, LoadError> {
    let text = source.read_text(MANIFEST)?;
    let config = Config::parse(&text, MANIFEST)?;
    let mut diags = Vec::new();
    let dir = config.book.source.trim_end_matches('/').to_string();
    let entries = source.list(&dir)?;
    let mut docs = Vec::new();
    for e in &entries {
        let path = format!("{dir}/{}", e.name);
        let files = if e.is_dir {
            match chapter_files(source, &path, &mut diags)? {
                Some(f) => f,
                None => continue,
            }
        } else if let Some(stem) = e.name.strip_suffix(".ja.md") {
            let en = format!("{dir}/{stem}.en.md");
            DocFiles { stem: stem.to_string(), ja: vec![path], en: source.exists(&en).then_some(vec![en]) }
        } else if let Some(stem) = e.name.strip_suffix(".en.md") {
            if !entries.iter().any(|x| x.name == format!("{stem}.ja.md")) {
                diags.push(Diagnostic::error(
                    "orphan-translation",
                    Loc::new(&path, 1, 1),
                    format!("{path} has no Japanese original {stem}.ja.md"),
                    "Japanese is authoritative: add the .ja.md file, or remove this translation",
                ));
            }
            continue;
        } else {
            if e.name.ends_with(".md") {
                diags.push(Diagnostic::warning(
                    "ignored-file",
                    Loc::new(&path, 1, 1),
                    format!("{path} is not part of any document"),
                    "name documents <id>.ja.md and <id>.en.md",
                ));
            }
            continue;
        };
        if let Some(doc) = load_document(source, &config, files, &mut diags)? {
            docs.push(doc);
        }
    }
    docs.sort_by(|a, b| (a.doc_type as u8, &a.id).cmp(&(b.doc_type as u8, &b.id)));
    let mut seen = HashSet::new();
    for d in &docs {
        if !seen.insert(d.id.clone()) {
            diags.push(Diagnostic::error(
                "id-duplicate",
                d.loc.clone(),
                format!("two documents have the id {:?}", d.id),
                "document ids must be unique",
            ));
        }
    }
    let images = super::figure::read_all(source, &dir, &mut docs, &mut diags);
    Ok(Loaded { project: Project { config, documents: docs, images }, diagnostics: diags })
}

struct DocFiles {
    stem: String,
    ja: Vec<String>,
    en: Option<Vec<String>>,
}

/// The files of a folder document: `index.*.md` first, then chapters by name.
fn chapter_files(source: &dyn Source, dir: &str, diags: &mut Vec<Diagnostic>) -> Result<Option<DocFiles>, LoadError> {
    let stem = dir.rsplit('/').next().unwrap_or(dir).to_string();
    let entries = source.list(dir)?;
    // A folder without Markdown holds images (figures/), not a document.
    if !entries.iter().any(|e| e.name.ends_with(".md")) {
        return Ok(None);
    }
    if !entries.iter().any(|e| e.name == "index.ja.md") {
        diags.push(Diagnostic::error(
            "missing-index",
            Loc::new(format!("{dir}/"), 1, 1),
            format!("folder document {dir}/ has no index.ja.md"),
            "a folder document needs index.ja.md (front matter) and chapter files NN-name.ja.md",
        ));
        return Ok(None);
    }
    let mut ja = vec![format!("{dir}/index.ja.md")];
    let mut en = vec![format!("{dir}/index.en.md")];
    for e in &entries {
        if e.is_dir || e.name.starts_with("index.") {
            continue;
        }
        if let Some(s) = e.name.strip_suffix(".ja.md") {
            ja.push(format!("{dir}/{}", e.name));
            en.push(format!("{dir}/{s}.en.md"));
        }
    }
    let has_en = source.exists(&en[0]);
    Ok(Some(DocFiles { stem, ja, en: has_en.then_some(en) }))
}

/// A file's front matter: (path, YAML text, line of its first line).
type FrontMatter = (String, String, u32);

/// One language's files, parsed.
struct LangFiles {
    files: Vec<(String, RawFile)>,
}

fn parse_files(
    source: &dyn Source,
    config: &Config,
    doc: &str,
    paths: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Result<(Option<FrontMatter>, LangFiles), LoadError> {
    let mut front = None;
    let mut files = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let text = match source.read_text(path) {
            Ok(t) => t,
            Err(SourceError::NotFound { .. }) if i > 0 => {
                diags.push(Diagnostic::error(
                    "parity-missing",
                    Loc::new(path, 1, 1),
                    format!("{path} is missing: its Japanese chapter exists"),
                    "add the English chapter (headings may be marked .untranslated until it is translated)",
                ));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        let (body, offset) = match frontmatter::split(&text) {
            Some(s) => {
                if i == 0 {
                    front = Some((path.clone(), s.yaml.to_string(), s.yaml_line_offset));
                } else {
                    diags.push(Diagnostic::error(
                        "front-matter",
                        Loc::new(path, 1, 1),
                        "chapter files have no front matter",
                        "move the metadata to the folder's index file",
                    ));
                }
                (s.body.to_string(), s.body_line_offset)
            }
            None => {
                if i == 0 {
                    let (message, hint) = if text.starts_with("---") {
                        ("the front matter is not closed", "end the metadata with a line `---`")
                    } else {
                        (
                            "the file does not start with YAML front matter",
                            "start the file with a line `---`, the metadata, and another line `---`",
                        )
                    };
                    diags.push(Diagnostic::error("front-matter", Loc::new(path, 1, 1), message, hint));
                }
                (text.clone(), 0)
            }
        };
        let mut ctx = markdown::Ctx {
            config,
            file: path,
            text: &body,
            line_offset: offset,
            doc,
            diags,
            depth: 0,
            lines: LineIndex::new(&body),
        };
        let raw = markdown::parse(&mut ctx);
        files.push((path.clone(), raw));
    }
    Ok((front, LangFiles { files }))
}

fn load_document(
    source: &dyn Source,
    config: &Config,
    files: DocFiles,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Document>, LoadError> {
    let (front, ja) = parse_files(source, config, &files.stem, &files.ja, diags)?;
    let Some((ja_path, yaml, yoff)) = front else { return Ok(None) };
    let raw: RawJa = match parse_yaml(&yaml, &ja_path, yoff) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return Ok(None);
        }
    };
    let at = |key: &str, value: Option<&str>| key_loc(&yaml, key, value, &ja_path, yoff);
    if raw.id != files.stem {
        diags.push(Diagnostic::error(
            "front-matter",
            at("id", None),
            format!("id {:?} does not match the file name {:?}", raw.id, files.stem),
            "the id must equal the file (or folder) name without .ja.md",
        ));
    }
    let Some(level) = config.level(&raw.classification) else {
        diags.push(Diagnostic::error(
            "unknown-level",
            at("classification", None),
            format!("classification {:?} is not a level of book.toml", raw.classification),
            format!("use one of: {}", config.level_keys()),
        ));
        return Ok(None);
    };
    let mut date = |key: &str, s: &str| -> Date {
        Date::parse(s).unwrap_or_else(|| {
            diags.push(Diagnostic::error(
                "bad-date",
                at(key, Some(s)),
                format!("{s:?} is not a valid date"),
                "write dates as YYYY-MM-DD, e.g. 2026-04-01",
            ));
            Date { year: 1970, month: 1, day: 1 }
        })
    };
    let effective = date("effective", &raw.effective);
    let mut history: Vec<Revision> = Vec::new();
    for r in &raw.history {
        history.push(Revision {
            date: date("date", &r.date),
            kind: r.kind.clone(),
            instrument: r.instrument.clone(),
            note: r.note.clone(),
            note_en: None,
        });
    }
    if history.windows(2).any(|w| w[0].date > w[1].date) {
        diags.push(Diagnostic::warning(
            "history-order",
            at("history", None),
            "the revision history is not in date order",
            "list revisions oldest first",
        ));
    }

    // English: front matter and files.
    let mut en_title = None;
    let mut en_files = None;
    if let Some(paths) = &files.en {
        let (efront, en) = parse_files(source, config, &files.stem, paths, diags)?;
        if let Some((en_path, eyaml, eoff)) = efront {
            match parse_yaml::<RawEn>(&eyaml, &en_path, eoff) {
                Ok(e) => {
                    if e.id != raw.id {
                        diags.push(Diagnostic::error(
                            "front-matter",
                            key_loc(&eyaml, "id", None, &en_path, eoff),
                            format!("id {:?} differs from the Japanese file's {:?}", e.id, raw.id),
                            "both languages of a document have the same id",
                        ));
                    }
                    for h in e.history {
                        match Date::parse(&h.date).and_then(|d| history.iter_mut().find(|r| r.date == d)) {
                            Some(r) => r.note_en = Some(h.note),
                            None => diags.push(Diagnostic::error(
                                "front-matter",
                                key_loc(&eyaml, "date", Some(&h.date), &en_path, eoff),
                                format!("history date {:?} is not in the Japanese history", h.date),
                                "English history entries only translate notes of Japanese entries, matched by date",
                            )),
                        }
                    }
                    en_title = Some(e.title);
                }
                Err(d) => diags.push(d),
            }
        }
        en_files = Some(en);
    } else {
        diags.push(Diagnostic::warning(
            "untranslated",
            Loc::new(&ja_path, 1, 1),
            format!("document {} has no English translation", raw.id),
            format!("add {}.en.md; until then English editions show the Japanese text, marked", files.stem),
        ));
    }

    let mut builder = Builder { config, doc: &files.stem, diags };
    let (ja_pre, ja_tree) = builder.tree(ja, Lang::Ja);
    let (en_pre, en_tree) = match en_files {
        Some(f) => {
            let (p, t) = builder.tree(f, Lang::En);
            (Some(p), Some(t))
        }
        None => (None, None),
    };
    let mut ja_pre = ja_pre;
    builder.classify_blocks(&mut ja_pre, level);
    let mut en_pre = en_pre;
    if let Some(p) = en_pre.as_mut() {
        builder.classify_blocks(p, level);
    }
    let en_file = files.en.as_ref().map(|e| e[0].clone()).unwrap_or_default();
    if let Some(en) = &en_pre {
        let (ja_c, en_c) = (container_levels(&ja_pre), container_levels(en));
        if ja_c != en_c {
            builder.diags.push(Diagnostic::error(
                "parity-container",
                Loc::new(&en_file, 1, 1),
                format!(
                    "the text before the first heading has classified containers {} here but {} in Japanese",
                    builder.describe_levels(&en_c),
                    builder.describe_levels(&ja_c)
                ),
                "put the same `::: level` containers around the same content in both languages",
            ));
        }
    }
    let sections = builder.align(ja_tree, en_tree, &en_file, level);
    let preamble = Texts { ja: ja_pre, en: en_pre };
    let mut doc = Document {
        id: raw.id,
        doc_type: raw.doc_type,
        level,
        numbering: raw.numbering,
        numerals: config.numbering.numerals,
        version: raw.version,
        effective,
        title: Texts { ja: raw.title, en: en_title },
        history,
        preamble,
        sections,
        translated: files.en.is_some(),
        loc: Loc::new(&ja_path, 1, 1),
    };
    structure::classify(&mut doc, builder.diags);
    numbering::assign(&mut doc);
    Ok(Some(doc))
}

/// A section of one language, before alignment.
struct Node {
    raw: RawSection,
    depth: u8,
    children: Vec<Node>,
}

struct Builder<'a> {
    config: &'a Config,
    doc: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Builder<'_> {
    /// Builds one language's section tree from its files.
    fn tree(&mut self, files: LangFiles, lang: Lang) -> (Vec<Block>, Vec<Node>) {
        let mut preamble = Vec::new();
        let mut flat: Vec<RawSection> = Vec::new();
        for (i, (path, f)) in files.files.into_iter().enumerate() {
            if i == 0 {
                preamble = f.preamble;
            } else if !f.preamble.is_empty() {
                self.diags.push(Diagnostic::error(
                    "orphan-text",
                    Loc::new(&path, 1, 1),
                    "text before the first heading of a chapter file",
                    "start every chapter file with its heading",
                ));
            }
            flat.extend(f.sections);
        }
        let min = flat.iter().map(|s| s.md_level).min().unwrap_or(1);
        let mut seen: HashMap<String, Loc> = HashMap::new();
        let mut stack: Vec<Node> = Vec::new();
        let mut roots: Vec<Node> = Vec::new();
        let mut prev_depth = 0u8;
        for raw in flat {
            let mut depth = raw.md_level - min + 1;
            if depth > prev_depth + 1 {
                self.diags.push(Diagnostic::error(
                    "heading-skip",
                    raw.loc.clone(),
                    format!("heading level jumps from {prev_depth} to {depth}"),
                    "do not skip heading levels (use one more # than the parent section)",
                ));
                depth = prev_depth + 1;
            }
            prev_depth = depth;
            match &raw.id {
                None => self.diags.push(Diagnostic::error(
                    "heading-id",
                    raw.loc.clone(),
                    format!("heading {:?} has no id", super::plain_text(&raw.title)),
                    "add a stable id in braces at the end of the heading, e.g. `## 目的 {#purpose}`",
                )),
                Some(id) if !is_key(id) => self.diags.push(Diagnostic::error(
                    "heading-id",
                    raw.loc.clone(),
                    format!("id {id:?} is not a valid id"),
                    "use lowercase ASCII letters, digits and hyphens, e.g. {#access-control}",
                )),
                Some(id) => {
                    if let Some(first) = seen.get(id) {
                        self.diags.push(Diagnostic::error(
                            "id-duplicate",
                            raw.loc.clone(),
                            format!("id {id:?} is already used at line {}", first.line),
                            "every section of a document needs its own id",
                        ));
                    } else {
                        seen.insert(id.clone(), raw.loc.clone());
                    }
                }
            }
            if super::plain_text(&raw.title).trim().is_empty() {
                self.diags.push(Diagnostic::error(
                    "heading-empty",
                    raw.loc.clone(),
                    "a heading has no title",
                    "write the section's title before its {#id}",
                ));
            }
            for c in &raw.classes {
                let known = c == "unnumbered"
                    || (c == "untranslated" && lang == Lang::En)
                    || structure::CLASSES.contains(&c.as_str())
                    || self.config.level(c).is_some();
                if !known {
                    self.diags.push(Diagnostic::error(
                        "unknown-class",
                        raw.loc.clone(),
                        format!("unknown heading class .{c}"),
                        format!(
                            "use .unnumbered, .untranslated (English only), .inserted, .deleted, .supplementary, .appended-table, .form or a level: {}",
                            self.config.level_keys()
                        ),
                    ));
                }
            }
            for (k, _) in &raw.attrs {
                if !(k == "ja" && lang == Lang::En) && k != "revision" {
                    self.diags.push(Diagnostic::error(
                        "unknown-class",
                        raw.loc.clone(),
                        format!("unknown heading attribute {k}="),
                        "headings take an {#id}, classes and (附則) revision=DATE; ja=… is written by `policybook confirm` on English headings",
                    ));
                }
            }
            while stack.last().is_some_and(|n| n.depth >= depth) {
                let n = stack.pop().unwrap();
                attach(&mut stack, &mut roots, n);
            }
            stack.push(Node { raw, depth, children: Vec::new() });
        }
        while let Some(n) = stack.pop() {
            attach(&mut stack, &mut roots, n);
        }
        (preamble, roots)
    }

    /// The level named by a heading's classes, if any.
    fn own_level(&self, raw: &RawSection) -> Option<Level> {
        raw.classes.iter().filter_map(|c| self.config.level(c)).max()
    }

    /// Checks containers against the level they stand in.
    fn classify_blocks(&mut self, blocks: &mut [Block], level: Level) {
        for b in blocks {
            if let Block::Classified { level: l, loc, .. } = b {
                if *l < level {
                    self.diags.push(Diagnostic::error(
                        "classification-lower",
                        loc.clone(),
                        format!(
                            "container `::: {}` is less classified than the section it is in ({})",
                            self.config.level_def(*l).key,
                            self.config.level_def(level).key
                        ),
                        "a part can never be less classified than its section; remove the container or raise it",
                    ));
                    *l = level;
                }
            }
        }
    }

    /// Aligns the English tree to the Japanese one by id and builds model sections.
    fn align(&mut self, ja: Vec<Node>, en: Option<Vec<Node>>, en_file: &str, doc_level: Level) -> Vec<Section> {
        let mut en_map: BTreeMap<String, (RawSection, u8, usize)> = BTreeMap::new();
        let mut en_order = Vec::new();
        let mut en_last_loc = Loc::new(en_file, 1, 1);
        if let Some(en) = en {
            flatten(en, &mut |raw, depth| {
                let Some(id) = raw.id.clone() else { return };
                en_last_loc = raw.loc.clone();
                en_order.push(id.clone());
                let i = en_map.len();
                en_map.entry(id).or_insert((raw, depth, i));
            });
        }
        let translated = !en_order.is_empty() || !en_file.is_empty();
        // Order check over the ids both languages have.
        let mut ja_order = Vec::new();
        for n in &ja {
            collect_ids(n, &mut ja_order);
        }
        let common_ja: Vec<&String> = ja_order.iter().filter(|i| en_map.contains_key(*i)).collect();
        let ja_set: HashSet<&String> = ja_order.iter().collect();
        let common_en: Vec<&String> = en_order.iter().filter(|i| ja_set.contains(i)).collect();
        if let Some(pos) = common_ja.iter().zip(&common_en).position(|(a, b)| a != b) {
            let id = common_en[pos];
            self.diags.push(Diagnostic::error(
                "parity-order",
                en_map[id].0.loc.clone(),
                format!(
                    "section {id:?} is in a different order than in the Japanese text (expected {:?} here)",
                    common_ja[pos]
                ),
                "English sections follow the Japanese order",
            ));
        }
        for id in &en_order {
            if !ja_set.contains(id) {
                self.diags.push(Diagnostic::error(
                    "parity-extra",
                    en_map[id].0.loc.clone(),
                    format!("section {id:?} is not in the Japanese text"),
                    "Japanese is authoritative: add the section there first, or fix the id",
                ));
            }
        }
        let mut ctx = AlignCtx { en_map, translated, en_last_loc, ja_order };
        ja.into_iter().map(|n| self.section(n, doc_level, &mut ctx)).collect()
    }

    fn section(&mut self, node: Node, parent_level: Level, ctx: &mut AlignCtx) -> Section {
        let raw = node.raw;
        let id = raw.id.clone().unwrap_or_default();
        let own = self.own_level(&raw);
        if let Some(own) = own {
            if own < parent_level {
                self.diags.push(Diagnostic::error(
                    "classification-lower",
                    raw.loc.clone(),
                    format!(
                        "section {id:?} is marked .{} but stands in {} content",
                        self.config.level_def(own).key,
                        self.config.level_def(parent_level).key
                    ),
                    "a section can never be less classified than its parent or document: remove the class",
                ));
            }
        }
        let level = own.map_or(parent_level, |o| o.max(parent_level));
        let unnumbered = raw.classes.iter().any(|c| c == "unnumbered");
        let kind = structure::declared(&raw.classes, self.revision(&raw));
        let mut ja_text = SectionText { title: raw.title, blocks: raw.blocks, loc: raw.loc };
        self.classify_blocks(&mut ja_text.blocks, level);
        let top = Level(self.config.levels.len() as u8 - 1);
        let fps = fingerprints(&ja_text, level, top);
        let fp = fingerprint_record(&fps);
        let mut en_text = None;
        let mut confirmed = None;
        let mut translation = Translation::Missing;
        match ctx.en_map.remove(&id) {
            Some((en_raw, en_depth, _)) => {
                if en_depth != node.depth {
                    self.diags.push(Diagnostic::error(
                        "parity-level",
                        en_raw.loc.clone(),
                        format!("section {id:?} is at heading level {en_depth} here but {} in Japanese", node.depth),
                        "use the same heading level in both languages",
                    ));
                }
                let classes = |r: &RawSection| -> Vec<String> {
                    let mut c: Vec<String> = r.classes.iter().filter(|c| *c != "untranslated").cloned().collect();
                    c.sort();
                    c
                };
                let ja_classes = {
                    let mut c: Vec<String> =
                        raw.classes.iter().filter(|c| structure::CLASSES.contains(&c.as_str())).cloned().collect();
                    if unnumbered {
                        c.push("unnumbered".into());
                    }
                    if let Some(o) = own {
                        c.push(self.config.level_def(o).key.clone());
                    }
                    c.sort();
                    c
                };
                if classes(&en_raw) != ja_classes {
                    self.diags.push(Diagnostic::error(
                        "parity-class",
                        en_raw.loc.clone(),
                        format!(
                            "section {id:?} has classes {:?} here but {:?} in Japanese",
                            classes(&en_raw),
                            ja_classes
                        ),
                        "give the English heading the same classes (.unnumbered, levels) as the Japanese one",
                    ));
                }
                confirmed = en_raw.attrs.iter().find(|(k, _)| k == "ja").and_then(|(_, v)| v.clone());
                if en_raw.classes.iter().any(|c| c == "untranslated") {
                    self.diags.push(Diagnostic::warning(
                        "untranslated",
                        en_raw.loc.clone(),
                        format!("section {id:?} is not translated yet"),
                        "translate it, remove .untranslated and run `policybook confirm`; English editions show the Japanese text, marked",
                    ));
                } else {
                    let mut t = SectionText { title: en_raw.title, blocks: en_raw.blocks, loc: en_raw.loc.clone() };
                    self.classify_blocks(&mut t.blocks, level);
                    let ja_c = container_levels(&ja_text.blocks);
                    let en_c = container_levels(&t.blocks);
                    if ja_c != en_c {
                        self.diags.push(Diagnostic::error(
                            "parity-container",
                            en_raw.loc.clone(),
                            format!(
                                "section {id:?} has classified containers {} here but {} in Japanese",
                                self.describe_levels(&en_c),
                                self.describe_levels(&ja_c)
                            ),
                            "put the same `::: level` containers around the same content in both languages",
                        ));
                    }
                    translation = match &confirmed {
                        Some(c) if *c == fp => Translation::Current,
                        Some(_) => {
                            self.diags.push(Diagnostic::warning(
                                "translation-stale",
                                en_raw.loc.clone(),
                                format!(
                                    "the Japanese text of section {id:?} changed after this translation was confirmed"
                                ),
                                format!("update the English text, then run `policybook confirm {} {id}`", self.doc),
                            ));
                            Translation::Stale
                        }
                        None => {
                            self.diags.push(Diagnostic::warning(
                                "translation-unconfirmed",
                                en_raw.loc.clone(),
                                format!("the translation of section {id:?} was never confirmed"),
                                format!(
                                    "check it against the Japanese, then run `policybook confirm {} {id}`",
                                    self.doc
                                ),
                            ));
                            Translation::Unconfirmed
                        }
                    };
                    en_text = Some(t);
                }
            }
            None if ctx.translated => {
                // Point at the English heading that should follow the missing one.
                let next = ctx.ja_order.iter().position(|x| *x == id).map_or(ctx.ja_order.len(), |p| p + 1);
                let loc = ctx.ja_order[next..]
                    .iter()
                    .find_map(|next| ctx.en_map.get(next).map(|e| e.0.loc.clone()))
                    .unwrap_or_else(|| ctx.en_last_loc.clone());
                self.diags.push(Diagnostic::error(
                    "parity-missing",
                    loc,
                    format!("section {id:?} ({}) is missing from the English text", super::plain_text(&ja_text.title)),
                    format!("add `{{#{id}}}` here, translated or marked .untranslated"),
                ));
            }
            None => {}
        }
        let children = node.children.into_iter().map(|c| self.section(c, level, ctx)).collect();
        Section {
            id,
            level,
            unnumbered,
            depth: node.depth,
            kind,
            number: None,
            ja: ja_text,
            en: en_text,
            translation,
            fingerprint: fp,
            fingerprints: fps,
            confirmed,
            children,
        }
    }

    /// The date of a 附則's `revision=` attribute.
    fn revision(&mut self, raw: &RawSection) -> Option<Date> {
        let v = raw.attrs.iter().find(|(k, _)| k == "revision")?.1.as_deref().unwrap_or("");
        let d = Date::parse(v);
        if d.is_none() {
            self.diags.push(Diagnostic::error(
                "bad-date",
                raw.loc.clone(),
                format!("revision={v:?} is not a valid date"),
                "write the date of the history entry the 附則 enacts, e.g. revision=2027-03-31",
            ));
        }
        d
    }

    fn describe_levels(&self, levels: &[Level]) -> String {
        if levels.is_empty() {
            return "none".into();
        }
        levels.iter().map(|l| format!("`::: {}`", self.config.level_def(*l).key)).collect::<Vec<_>>().join(", ")
    }
}

struct AlignCtx {
    en_map: BTreeMap<String, (RawSection, u8, usize)>,
    translated: bool,
    en_last_loc: Loc,
    ja_order: Vec<String>,
}

fn attach(stack: &mut [Node], roots: &mut Vec<Node>, n: Node) {
    match stack.last_mut() {
        Some(p) => p.children.push(n),
        None => roots.push(n),
    }
}

fn flatten(nodes: Vec<Node>, f: &mut dyn FnMut(RawSection, u8)) {
    for n in nodes {
        f(n.raw, n.depth);
        flatten(n.children, f);
    }
}

fn collect_ids(n: &Node, out: &mut Vec<String>) {
    if let Some(id) = &n.raw.id {
        out.push(id.clone());
    }
    for c in &n.children {
        collect_ids(c, out);
    }
}

fn container_levels(blocks: &[Block]) -> Vec<Level> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Classified { level, .. } => Some(*level),
            _ => None,
        })
        .collect()
}

/// The fingerprint of a section's Japanese text (title and own blocks, whitespace ignored).
pub fn fingerprint(text: &SectionText) -> String {
    fingerprint_of(&text.title, text.blocks.iter())
}

fn fingerprint_of<'a>(title: &[super::Inline], blocks: impl Iterator<Item = &'a Block>) -> String {
    let mut s = super::plain_text(title);
    s.push('\n');
    s.push_str(&super::blocks_text(&blocks.cloned().collect::<Vec<_>>()));
    let norm: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let hash = Sha256::digest(norm.as_bytes());
    hash.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// The fingerprints of a section's Japanese text as seen at each level from `from` (the section's
/// own) up to `top`: at level L, classified parts above L are left out. An edition judges a
/// translation stale by the fingerprint at its ceiling, so a change inside a restricted part never
/// marks a public section "out of date".
pub fn fingerprints(text: &SectionText, from: Level, top: Level) -> Vec<String> {
    (from.0..=top.0.max(from.0))
        .map(|l| {
            let visible =
                text.blocks.iter().filter(move |b| !matches!(b, Block::Classified { level, .. } if level.0 > l));
            fingerprint_of(&text.title, visible)
        })
        .collect()
}

/// What `ja=` records: one fingerprint when the text is the same at every level (no classified
/// parts above the section's level), otherwise the fingerprints of every level joined by dots.
pub fn fingerprint_record(fps: &[String]) -> String {
    match fps.first() {
        Some(f) if fps.iter().all(|x| x == f) => f.clone(),
        _ => fps.join("."),
    }
}
