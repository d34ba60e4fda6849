//! `book.toml`: the project manifest, parsed once into a typed [`Config`].
//!
//! Unknown keys are errors that name their line, so a misspelled setting never silently does
//! nothing. The classification scheme is pure configuration: the levels are an ordered list, and
//! everything else (sources, editions) refers to them by key.

use crate::diag::{line_col, Loc, Message};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The two languages of a policy book. Japanese is authoritative, English a reference translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A string in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub ja: String,
    pub en: String,
}

impl Bilingual {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// A classification level: its position in the ordered list is its rank (0 = least classified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Level(pub u8);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDef {
    pub key: String,
    /// The level's name, e.g. 機密性2 / Confidentiality 2.
    pub label: Bilingual,
    /// What copies at this level say about handling, e.g. 庁内限り / Internal use only.
    pub marking: Bilingual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Pdf,
}

impl Format {
    /// The folder of an edition's output (`<output>/<edition>/<folder>`) this format is built in.
    pub fn folder(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEdition {
    ceiling: String,
    #[serde(default = "default_languages")]
    languages: Vec<Lang>,
    #[serde(default = "default_formats")]
    formats: Vec<Format>,
    title: Option<Bilingual>,
    /// Show the stale-section diff beside stale sections on English pages (not for a public edition).
    #[serde(default)]
    stale_diff: bool,
}

fn default_languages() -> Vec<Lang> {
    vec![Lang::Ja, Lang::En]
}

fn default_formats() -> Vec<Format> {
    vec![Format::Html, Format::Pdf]
}

/// An edition: everything up to a ceiling level, in some languages and formats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditionDef {
    pub name: String,
    pub ceiling: Level,
    pub languages: Vec<Lang>,
    pub formats: Vec<Format>,
    pub title: Option<Bilingual>,
    /// `stale-diff = true`: the English pages of the HTML site show, beside each stale section,
    /// what changed in the Japanese since the English was confirmed. Never on an edition whose
    /// ceiling is the lowest level (refused when reading book.toml).
    pub stale_diff: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    pub title: Bilingual,
    pub organization: Bilingual,
    /// The authoritative language (only `ja` is supported).
    #[serde(default = "default_ja")]
    pub language: Lang,
    /// The translation language (only `en` is supported).
    #[serde(default = "default_en")]
    pub translation: Lang,
    #[serde(default = "default_source")]
    pub source: String,
    #[serde(default = "default_output")]
    pub output: String,
    /// The language of messages (diagnostics, errors, summary lines) for this project: above the
    /// locale, below `--messages`. `None`: the locale decides.
    #[serde(default)]
    pub messages: Option<Lang>,
}

fn default_ja() -> Lang {
    Lang::Ja
}
fn default_en() -> Lang {
    Lang::En
}
fn default_source() -> String {
    "policy-source".into()
}
fn default_output() -> String {
    "output".into()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlSection {
    /// The public URL the site is served from, used for the sitemap (optional).
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PdfSection {
    /// An extra folder of fonts (relative to the project root), tried after the shipped fonts
    /// (for characters IPAex does not have).
    pub fonts: Option<String>,
    /// The distribution register of restricted copies (CSV), relative to the project root.
    pub register: Option<String>,
    /// A document whose PDF data is over this many KiB is typeset in parts of about this size,
    /// each part starting with a top-level section on a new page (bounded memory, issue 13); 0:
    /// every document whole. Default 128 (some 25 to 60 pages).
    pub part_size: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HistorySection {
    /// A glob for the git tags that mark releases, e.g. `policy-*`.
    pub release_tags: Option<String>,
    /// `[history.kinds]`: how a revision kind is printed, by the word the sources write
    /// (`"一部改正" = { en = "Partial amendment" }`), over the built-in words
    /// ([`crate::model::Revision::kind_label`]): cities word their records differently.
    #[serde(default)]
    pub kinds: BTreeMap<String, KindWording>,
}

/// The printed words of one revision kind; an unset language keeps the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindWording {
    pub ja: Option<String>,
    pub en: Option<String>,
}

impl KindWording {
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Ja => self.ja.as_deref(),
            Lang::En => self.en.as_deref(),
        }
    }
}

/// How numbers print in Japanese: 第1条 / (1) (half-width, the default) or 第１条 / （１）.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Numerals {
    #[default]
    HalfWidth,
    /// Single digits full-width (第１条, （１）, ３月), longer numbers half-width (第12条, 31日), as
    /// most municipalities print horizontal rules.
    FullWidth,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NumberingSection {
    #[serde(default)]
    pub numerals: Numerals,
}

/// `[diff]`: the title block and columns of the 新旧対照表.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DiffSection {
    /// The amending instrument: 「…の一部を改正する訓令」 titles the table instead of the document.
    pub instrument: Option<String>,
    /// Print the edition and the commits under the title (internal papers only).
    #[serde(default)]
    pub subtitle: bool,
    /// The column order: `new-old` (改正後 | 改正前, the default) or `old-new` (現行 | 改正案).
    #[serde(default)]
    pub columns: Columns,
}

/// `[check]`: switches of the prose check (`model::prose`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSection {
    /// Warning codes switched off for the whole project: `allow = ["prose-width"]`.
    #[serde(default)]
    pub allow: Vec<String>,
    /// 表記ゆれ: a preferred form and the forms flagged where both are used
    /// (`"コンピュータ" = ["コンピューター"]`). An entry replaces every built-in group that shares
    /// a form with it; an empty list switches that group off.
    #[serde(default)]
    pub variants: BTreeMap<String, Vec<String>>,
}

/// The order of the two columns of a 新旧対照表.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Columns {
    /// 改正後 on the left, 改正前 on the right.
    #[default]
    NewOld,
    /// 現行 on the left, 改正案 on the right.
    OldNew,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClassification {
    level: Vec<LevelDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    book: BookSection,
    classification: RawClassification,
    #[serde(default)]
    edition: BTreeMap<String, RawEdition>,
    #[serde(default)]
    html: HtmlSection,
    #[serde(default)]
    pdf: PdfSection,
    #[serde(default)]
    history: HistorySection,
    #[serde(default)]
    numbering: NumberingSection,
    #[serde(default)]
    diff: DiffSection,
    #[serde(default)]
    check: CheckSection,
}

/// The parsed, validated manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    pub book: BookSection,
    pub levels: Vec<LevelDef>,
    /// Editions in order of ceiling (then name).
    pub editions: Vec<EditionDef>,
    pub html: HtmlSection,
    pub pdf: PdfSection,
    pub history: HistorySection,
    pub numbering: NumberingSection,
    pub diff: DiffSection,
    pub check: CheckSection,
}

#[derive(Debug, thiserror::Error)]
#[error("{loc}: {}", .text.message(Lang::En))]
pub struct ConfigError {
    pub loc: Loc,
    pub text: Message,
}

impl crate::diag::Localize for ConfigError {
    fn text(&self) -> Message {
        Message::at(&self.loc, &self.text)
    }
}

impl ConfigError {
    /// The message in English (tests).
    pub fn message(&self) -> String {
        self.text.message(Lang::En)
    }

    /// The hint in English (tests).
    pub fn hint(&self) -> String {
        self.text.hint(Lang::En)
    }
}

impl Config {
    /// Parses `book.toml`; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            ConfigError {
                loc: Loc::new(file, line, column),
                text: Message::new("book-toml").arg("detail", e.message().trim()),
            }
        })?;
        let manifest = Manifest { text, file };
        if raw.book.language != Lang::Ja || raw.book.translation != Lang::En {
            return Err(manifest.error("language", Message::new("book-toml.language")));
        }
        let levels = raw.classification.level;
        check_levels(&levels, &manifest)?;
        check_kinds(&raw.history, &manifest)?;
        check_register(&raw.pdf, &manifest)?;
        let editions = editions(raw.edition, &levels, &manifest)?;
        check_register_place(&raw.pdf, &raw.book.output, &editions, &manifest)?;
        check_variants(&raw.check, &manifest)?;
        Ok(Config {
            book: raw.book,
            levels,
            editions,
            html: raw.html,
            pdf: raw.pdf,
            history: raw.history,
            numbering: raw.numbering,
            diff: raw.diff,
            check: raw.check,
        })
    }

    pub fn level(&self, key: &str) -> Option<Level> {
        self.levels.iter().position(|l| l.key == key).map(|p| Level(p as u8))
    }

    pub fn level_def(&self, level: Level) -> &LevelDef {
        &self.levels[level.0 as usize]
    }

    pub fn level_keys(&self) -> String {
        level_keys(&self.levels)
    }

    pub fn edition(&self, name: &str) -> Option<&EditionDef> {
        self.editions.iter().find(|e| e.name == name)
    }

    /// The least classified level: the level of content that says nothing about itself.
    pub fn lowest(&self) -> Level {
        Level(0)
    }
}

/// The manifest's text, to point an error at where the offending key or value is written.
struct Manifest<'a> {
    text: &'a str,
    file: &'a str,
}

impl Manifest<'_> {
    /// An error at the first place `needle` is written (the start of the file when it is not).
    fn error(&self, needle: &str, text: Message) -> ConfigError {
        let off = self.text.find(needle).unwrap_or(0);
        let (l, c) = line_col(self.text, off);
        ConfigError { loc: Loc::new(self.file, l, c), text }
    }

    /// An error at the first place `needle` is written after `table` (else at `table`).
    fn error_in(&self, table: &str, needle: &str, text: Message) -> ConfigError {
        let start = self.text.find(table).unwrap_or(0);
        let off = self.text[start..].find(needle).map_or(start, |o| start + o);
        let (l, c) = line_col(self.text, off);
        ConfigError { loc: Loc::new(self.file, l, c), text }
    }
}

/// The classification scheme has 1 to 32 levels with valid, distinct keys.
fn check_levels(levels: &[LevelDef], manifest: &Manifest) -> Result<(), ConfigError> {
    if levels.is_empty() || levels.len() > 32 {
        return Err(manifest.error("[classification", Message::new("book-toml.levels")));
    }
    for (i, l) in levels.iter().enumerate() {
        if !is_key(&l.key) {
            return Err(
                manifest.error(&format!("\"{}\"", l.key), Message::new("book-toml.level-key").arg("key", &l.key))
            );
        }
        if levels[..i].iter().any(|o| o.key == l.key) {
            return Err(
                manifest.error(&format!("\"{}\"", l.key), Message::new("book-toml.level-twice").arg("key", &l.key))
            );
        }
    }
    Ok(())
}

/// Each `[history.kinds]` entry words at least one language.
fn check_kinds(history: &HistorySection, manifest: &Manifest) -> Result<(), ConfigError> {
    match history.kinds.iter().find(|(_, w)| w.ja.is_none() && w.en.is_none()) {
        Some((kind, _)) => {
            Err(manifest.error(&format!("\"{kind}\""), Message::new("book-toml.kind").arg("kind", kind)))
        }
        None => Ok(()),
    }
}

/// No `[check.variants]` form is empty or listed twice (a form has one preferred spelling).
fn check_variants(check: &CheckSection, manifest: &Manifest) -> Result<(), ConfigError> {
    let mut seen = std::collections::BTreeSet::new();
    for (preferred, others) in &check.variants {
        for form in std::iter::once(preferred).chain(others) {
            if form.trim().is_empty() {
                return Err(manifest.error_in("[check.variants]", "\"\"", Message::new("book-toml.variant-empty")));
            }
            if !seen.insert(form.as_str()) {
                let text = Message::new("book-toml.variant-twice").arg("form", form);
                return Err(manifest.error_in("[check.variants]", &format!("\"{form}\""), text));
            }
        }
    }
    Ok(())
}

/// The editions, checked against the levels, in order of ceiling (then name).
fn editions(
    raw: BTreeMap<String, RawEdition>,
    levels: &[LevelDef],
    manifest: &Manifest,
) -> Result<Vec<EditionDef>, ConfigError> {
    let mut editions = Vec::new();
    for (name, e) in raw {
        let table = format!("[edition.{name}]");
        let Some(pos) = levels.iter().position(|l| l.key == e.ceiling) else {
            let text = Message::new("book-toml.ceiling").arg("name", &name).arg("level", &e.ceiling);
            return Err(manifest.error(&table, text.arg("levels", level_keys(levels))));
        };
        if !is_key(&name) {
            return Err(manifest.error(&table, Message::new("book-toml.edition-name").arg("name", &name)));
        }
        if e.languages.is_empty() || e.formats.is_empty() {
            return Err(manifest.error(&table, Message::new("book-toml.edition-empty").arg("name", &name)));
        }
        check_twice(&name, &table, &e, manifest)?;
        if e.stale_diff && pos == 0 {
            let text = Message::new("book-toml.stale-diff-public").arg("name", &name);
            return Err(manifest.error_in(&table, "stale-diff", text));
        }
        editions.push(EditionDef {
            name,
            ceiling: Level(pos as u8),
            languages: e.languages,
            formats: e.formats,
            title: e.title,
            stale_diff: e.stale_diff,
        });
    }
    editions.sort_by(|a, b| (a.ceiling, &a.name).cmp(&(b.ceiling, &b.name)));
    Ok(editions)
}

/// An edition names each language and format once: a language listed twice would register two
/// serials for one recipient copy.
fn check_twice(name: &str, table: &str, e: &RawEdition, manifest: &Manifest) -> Result<(), ConfigError> {
    let langs: Vec<&str> = e.languages.iter().map(|l| l.code()).collect();
    let formats: Vec<&str> = e.formats.iter().map(|f| if *f == Format::Html { "html" } else { "pdf" }).collect();
    for (key, values) in [("languages", langs), ("formats", formats)] {
        if let Some((_, v)) = values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)) {
            let example = if key == "languages" { "[\"ja\", \"en\"]" } else { "[\"html\", \"pdf\"]" };
            let text = Message::new("book-toml.twice").arg("name", name).arg("key", key).arg("value", v);
            return Err(manifest.error_in(table, key, text.arg("example", example)));
        }
    }
    Ok(())
}

/// The register is not the file its lock takes (the register's name with `.lock`): writing the
/// register replaces that file, so two runs could hold locks on different files and number the
/// same serials.
fn check_register(pdf: &PdfSection, manifest: &Manifest) -> Result<(), ConfigError> {
    match &pdf.register {
        Some(reg) if std::path::Path::new(reg).extension().is_some_and(|x| x == "lock") => {
            Err(manifest.error_in("[pdf]", "register", Message::new("book-toml.register-lock").arg("register", reg)))
        }
        _ => Ok(()),
    }
}

/// The register lies outside every folder a build replaces whole (it would be deleted) or
/// publishes (it would be served with the site, or handed out with the copies).
fn check_register_place(
    pdf: &PdfSection,
    output: &str,
    editions: &[EditionDef],
    manifest: &Manifest,
) -> Result<(), ConfigError> {
    let Some(reg) = &pdf.register else { return Ok(()) };
    match built_folder_holding(editions, Path::new(output), Path::new(reg)) {
        Some(folder) => {
            let text = Message::new("book-toml.register-inside").arg("register", reg).arg("folder", folder.display());
            Err(manifest.error_in("[pdf]", "register", text))
        }
        None => Ok(()),
    }
}

/// The built folder (`<output>/<edition>/<format>`, or `<edition>/copies` for an edition whose
/// copies are registered) that `path` lies in or is, if any. Compared by name, `.` and `..`
/// resolved; `output` and `path` are both relative to the project folder, or both absolute.
pub fn built_folder_holding(editions: &[EditionDef], output: &Path, path: &Path) -> Option<PathBuf> {
    let (output, path) = (lexical(output), lexical(path));
    editions.iter().find_map(|e| {
        let copies = (e.ceiling != Level(0)).then_some("copies");
        let folders = e.formats.iter().map(|f| f.folder()).chain(copies);
        folders.map(|f| output.join(&e.name).join(f)).find(|folder| path.starts_with(folder))
    })
}

/// `path` with `.` dropped and `..` taken back where it can be (no file system access).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

fn level_keys(levels: &[LevelDef]) -> String {
    levels.iter().map(|l| l.key.as_str()).collect::<Vec<_>>().join(", ")
}

/// Keys and ids: lowercase ASCII letters, digits and hyphens, starting with a letter or digit.
pub fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const SAMPLE: &str = r#"
[book]
title = { ja = "日置市行政情報セキュリティポリシー", en = "Hioki City Information Security Policy" }
organization = { ja = "日置市", en = "Hioki City" }

# Levels as one array of inline tables: the same scheme as `[[classification.level]]` tables.
[classification]
level = [
  { key = "public", label = { ja = "機密性1", en = "Confidentiality 1" }, marking = { ja = "公開", en = "Public" } },
  { key = "internal", label = { ja = "機密性2", en = "Confidentiality 2" }, marking = { ja = "庁内限り", en = "Internal use only" } },
]

[edition.public]
ceiling = "public"

[edition.internal]
ceiling = "internal"
formats = ["html"]
"#;

    #[test]
    fn parses_levels_and_editions_in_ceiling_order() {
        let c = Config::parse(SAMPLE, "book.toml").unwrap();
        assert_eq!(c.level("internal"), Some(Level(1)));
        assert_eq!(c.editions.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["public", "internal"]);
        assert_eq!(c.edition("internal").unwrap().formats, vec![Format::Html]);
        assert_eq!(crate::render::words::marking(&c, Level(1), Lang::Ja).as_deref(), Some("機密性2 庁内限り"));
        assert_eq!(crate::render::words::marking(&c, Level(0), Lang::Ja), None);
        assert_eq!(c.book.source, "policy-source");
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let text = SAMPLE.replace("ceiling = \"internal\"", "ceiling = \"internal\"\nformat = [\"pdf\"]");
        let e = Config::parse(&text, "book.toml").unwrap_err();
        assert!(e.message().contains("unknown field `format`"), "{}", e.message());
        let line = text.lines().position(|l| l.starts_with("format =")).unwrap() as u32 + 1;
        assert_eq!(e.loc.line, line);
    }

    #[test]
    fn history_kinds_reword_revision_kinds_over_the_defaults() {
        let text = format!(
            "{SAMPLE}\n[history.kinds]\n\"一部改正\" = {{ en = \"Partial revision\" }}\n\"改定\" = {{ ja = \"改訂\", en = \"Revision\" }}\n"
        );
        let c = Config::parse(&text, "book.toml").unwrap();
        let kinds = &c.history.kinds;
        let rev = |kind: &str| crate::model::Revision {
            date: crate::model::Date { year: 2027, month: 3, day: 31 },
            kind: kind.into(),
            instrument: None,
            note: String::new(),
            note_en: None,
        };
        let (amended, revised, enacted) = (rev("一部改正"), rev("改定"), rev("制定"));
        assert_eq!(amended.kind_label(Lang::En, kinds), "Partial revision");
        assert_eq!(amended.kind_label(Lang::Ja, kinds), "一部改正", "no ja: the word as written");
        assert_eq!((revised.kind_label(Lang::Ja, kinds), revised.kind_label(Lang::En, kinds)), ("改訂", "Revision"));
        let none = BTreeMap::new();
        assert_eq!(enacted.kind_label(Lang::En, &none), "Enacted");
        assert_eq!(revised.kind_label(Lang::En, &none), "Revised", "the defaults stay");
        assert_eq!(rev("追加").kind_label(Lang::En, &none), "追加", "an unknown word prints as written");
        let bad = format!("{SAMPLE}\n[history.kinds]\n\"廃止\" = {{}}\n");
        let e = Config::parse(&bad, "book.toml").unwrap_err();
        assert!(e.message().contains("廃止"), "{}", e.message());
        assert_eq!(e.loc.line, bad.lines().position(|l| l.starts_with("\"廃止")).unwrap() as u32 + 1);
    }

    #[test]
    fn unknown_ceiling_is_an_error() {
        let text = SAMPLE.replace("ceiling = \"internal\"", "ceiling = \"secret\"");
        let e = Config::parse(&text, "book.toml").unwrap_err();
        assert!(e.message().contains("secret"));
        assert!(e.hint().contains("public, internal"));
    }

    #[test]
    fn stale_diff_is_refused_for_an_edition_at_the_lowest_level() {
        let asked = SAMPLE.replace("ceiling = \"internal\"", "ceiling = \"internal\"\nstale-diff = true");
        let c = Config::parse(&asked, "book.toml").unwrap();
        assert!(c.edition("internal").unwrap().stale_diff && !c.edition("public").unwrap().stale_diff);
        let public = SAMPLE.replace("ceiling = \"public\"", "ceiling = \"public\"\nstale-diff = true");
        let e = Config::parse(&public, "book.toml").unwrap_err();
        assert!(e.message().contains("\"public\""), "{}", e.message());
        assert_eq!(e.loc.line, public.lines().position(|l| l.starts_with("stale-diff")).unwrap() as u32 + 1);
    }

    #[test]
    fn a_language_listed_twice_is_an_error() {
        let text = SAMPLE.replace("ceiling = \"internal\"", "ceiling = \"internal\"\nlanguages = [\"ja\", \"ja\"]");
        let e = Config::parse(&text, "book.toml").unwrap_err();
        assert!(e.message().contains("\"ja\" twice"), "{}", e.message());
        assert_eq!(e.loc.line, text.lines().position(|l| l.starts_with("languages")).unwrap() as u32 + 1);
    }

    #[test]
    fn a_register_that_is_its_own_lock_file_is_an_error() {
        let text = format!("{SAMPLE}\n[pdf]\nregister = \"output/register.lock\"\n");
        let e = Config::parse(&text, "book.toml").unwrap_err();
        assert!(e.message().contains("its own lock file"), "{}", e.message());
        assert_eq!(e.loc.line, text.lines().count() as u32);
        let ok = format!("{SAMPLE}\n[pdf]\nregister = \"output/register.csv\"\n");
        assert!(Config::parse(&ok, "book.toml").is_ok());
    }

    #[test]
    fn a_register_inside_a_built_folder_is_an_error() {
        let with = |register: &str| {
            let text = format!("{SAMPLE}\n[pdf]\nregister = \"{register}\"\n");
            (Config::parse(&text, "book.toml"), text)
        };
        for (register, folder) in [
            ("output/public/pdf/register.csv", "output/public/pdf"),
            ("output/internal/html/register.csv", "output/internal/html"),
            ("./output/x/../public/html/deep/register.csv", "output/public/html"),
            ("output/internal/copies/register.csv", "output/internal/copies"),
            ("output/public/html", "output/public/html"),
        ] {
            let (e, text) = with(register);
            let e = e.unwrap_err();
            assert!(e.message().contains(&format!("{folder:?}")), "{register}: {}", e.message());
            assert!(e.hint().contains("output/distribution-register.csv"), "{}", e.hint());
            assert_eq!(e.loc.line, text.lines().count() as u32, "at the register line");
            assert_eq!(e.loc.column, 1);
        }
        // The output folder is book.toml's; an edition's unbuilt format or the lowest edition's
        // copies (it has none), and a folder beside the built ones, are fine.
        let site = SAMPLE.replace("[book]\n", "[book]\noutput = \"site\"\n");
        let text = format!("{site}\n[pdf]\nregister = \"site/internal/html/r.csv\"\n");
        assert!(Config::parse(&text, "book.toml").unwrap_err().message().contains("\"site/internal/html\""));
        for register in [
            "site/register.csv",
            "output/internal/pdf/register.csv",
            "output/public/copies/register.csv",
            "output/public/register.csv",
            "output/public/html-register.csv",
        ] {
            let (r, _) = with(register);
            assert!(r.is_ok(), "{register}: {:?}", r.err().map(|e| e.message()));
        }
    }
}
