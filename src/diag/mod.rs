//! Diagnostics: what `check` (and loading) found wrong in the sources, with a place and a hint.
//!
//! A diagnostic is data, not an error: the library collects them and the CLI renders them once,
//! as text or as the JSON of `check --format json` ([`json`], a published format with a record
//! type of its own). Every diagnostic names a file, a line and a column (1-based, in characters).

pub mod catalogue;
mod message;

pub use crate::config::Lang;
pub use message::{Localize, Message};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file. Paths are relative to the project root, with forward slashes.
/// (Serialize: the model carries places.)
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Loc {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Loc {
    pub fn new(file: impl Into<String>, line: u32, column: u32) -> Self {
        Loc { file: file.into(), line, column }
    }

    /// The location of byte `offset` in `text`, shifted down by `line_offset` lines (used when
    /// `text` is the body of a file below its front matter).
    pub fn at(file: &str, text: &str, offset: usize, line_offset: u32) -> Self {
        let (line, column) = line_col(text, offset);
        Loc::new(file, line + line_offset, column)
    }
}

impl Loc {
    /// This place, a section heading (or the start of a file), narrowed to the first `ch` in the
    /// section's own lines of `text`, the file's text: up to the next heading, or to the end of
    /// the front matter. The character may also stand in a later section that an edition leaves
    /// out, and a message must not point there. Unchanged when the section has no `ch`.
    pub fn narrow(&self, text: &str, ch: char) -> Loc {
        self.narrow_to(text, &mut |l| l.chars().position(|c| c == ch))
    }

    /// This place narrowed, like [`Loc::narrow`], to the first line of the section where `find`
    /// gives a column (0-based, in characters).
    pub fn narrow_to(&self, text: &str, find: &mut dyn FnMut(&str) -> Option<usize>) -> Loc {
        let from = self.line.saturating_sub(1) as usize;
        let front_matter = from == 0 && text.starts_with("---");
        let mut own =
            text.lines().enumerate().skip(from).take_while(|(n, l)| {
                *n == from || if front_matter { l.trim_end() != "---" } else { !l.starts_with('#') }
            });
        match own.find_map(|(n, l)| find(l).map(|col| (n, col))) {
            Some((n, col)) => Loc::new(self.file.clone(), n as u32 + 1, col as u32 + 1),
            None => self.clone(),
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Line starts of a text, for turning many byte offsets into lines and columns without rescanning
/// the text each time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset of `text` (the indexed text).
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line as u32, text[start..offset].chars().count() as u32 + 1)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u32 + 1;
    (line, column)
}

/// A diagnostic: a catalogue message ([`Message`]) at a place, with the severity its code has.
/// The text is rendered in the chosen language only at the edge ([`Diagnostic::render`], [`json`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The public code (the catalogue key up to its first `.`): the same in both languages.
    pub code: &'static str,
    pub loc: Loc,
    pub text: Message,
}

impl Diagnostic {
    /// The diagnostic of catalogue entry `key` (`code` or `code.variant`) at `loc`; add its
    /// parameters with [`Diagnostic::arg`].
    pub fn new(key: &'static str, loc: Loc) -> Self {
        let severity = catalogue::severity(key).unwrap_or(Severity::Error);
        Diagnostic { severity, code: catalogue::code(key), loc, text: Message::new(key) }
    }

    /// Sets the template parameter `name`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.text = self.text.arg(name, value);
        self
    }

    /// Sets the template parameter `name` with a value worded in each language.
    pub fn arg_in(mut self, name: &'static str, en: impl Into<String>, ja: impl Into<String>) -> Self {
        self.text = self.text.arg_in(name, en, ja);
        self
    }

    /// The diagnostic of a catalogue message made earlier (a rule's hit) at `loc`.
    pub fn of(text: Message, loc: Loc) -> Self {
        let key = text.key();
        let severity = catalogue::severity(key).unwrap_or(Severity::Error);
        Diagnostic { severity, code: catalogue::code(key), loc, text }
    }

    /// The same diagnostic (place and parameters) under catalogue entry `key`: a general message
    /// (a YAML error) reported by a check with a code of its own.
    pub fn rekey(self, key: &'static str) -> Self {
        let severity = catalogue::severity(key).unwrap_or(self.severity);
        Diagnostic { severity, code: catalogue::code(key), loc: self.loc, text: self.text.rekey(key) }
    }

    /// A diagnostic with English text only, outside the catalogue: for the tests of rendering
    /// alone. Library code cannot call it (test builds only): every diagnostic is a catalogue entry.
    #[cfg(test)]
    pub(crate) fn error(code: &'static str, loc: Loc, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, loc, text: Message::raw(message.into(), hint.into()) }
    }

    /// A warning with English text only; see [`Diagnostic::error`].
    #[cfg(test)]
    pub(crate) fn warning(code: &'static str, loc: Loc, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, loc, text: Message::raw(message.into(), hint.into()) }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.text.message(lang)
    }

    /// The hint in `lang` (what to do), empty when there is none.
    pub fn hint(&self, lang: Lang) -> String {
        self.text.hint(lang)
    }

    /// The diagnostic as the text output prints it: `file:line:column: error[code]: message`
    /// and an indented hint line.
    pub fn render(&self, lang: Lang) -> String {
        let (severity, hint) = match lang {
            Lang::Ja => (if self.is_error() { "エラー" } else { "警告" }, "ヒント"),
            Lang::En => (self.severity.name(), "hint"),
        };
        let mut s = format!("{}: {severity}[{}]: {}", self.loc, self.code, self.message(lang));
        let h = self.hint(lang);
        if !h.is_empty() {
            s.push_str(&format!("\n  {hint}: {h}"));
        }
        s
    }
}

/// In English: for tests and debugging. The CLI renders with [`Diagnostic::render`].
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl Severity {
    /// The severity as text and JSON name it.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The language of messages: the user's flag (`--messages`), else the project's book.toml
/// (`[book] messages`), else the locale: the first set of `LC_ALL`, `LC_MESSAGES` and `LANG`
/// (as POSIX reads them) chooses Japanese when it starts with `ja`; English otherwise.
pub fn message_language(flag: Option<Lang>, book: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = || {
        let set = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| env(v).filter(|s| !s.is_empty()));
        if set.is_some_and(|l| l.starts_with("ja")) {
            Lang::Ja
        } else {
            Lang::En
        }
    };
    flag.or(book).unwrap_or_else(locale)
}

/// Sorts diagnostics by place, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.loc, a.code, &a.text).cmp(&(&b.loc, b.code, &b.text)));
}

/// One diagnostic in the JSON of `check --format json`.
#[derive(Serialize)]
struct Record<'a> {
    severity: &'static str,
    code: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
    hint: &'a str,
}

/// The diagnostics as the JSON array of `check --format json`, with a final newline; message and
/// hint in `lang` (the schema is the same in both languages).
pub fn json(diags: &[Diagnostic], lang: Lang) -> String {
    let texts: Vec<(String, String)> = diags.iter().map(|d| (d.message(lang), d.hint(lang))).collect();
    let records: Vec<Record<'_>> = diags
        .iter()
        .zip(&texts)
        .map(|(d, (message, hint))| Record {
            severity: d.severity.name(),
            code: d.code,
            file: &d.loc.file,
            line: d.loc.line,
            column: d.loc.column,
            message,
            hint,
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&records).expect("the record type serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let t = "一行目\n二行目のabc";
        let off = t.find("abc").unwrap();
        assert_eq!(line_col(t, off), (2, 5));
        assert_eq!(line_col(t, 0), (1, 1));
        let idx = LineIndex::new(t);
        for off in [0, 3, t.find('\n').unwrap(), t.find('\n').unwrap() + 1, off, t.len()] {
            assert_eq!(idx.line_col(t, off), line_col(t, off), "offset {off}");
        }
    }

    /// The JSON of `check --format json` is a published format: this pins it.
    #[test]
    fn json_format_is_pinned() {
        let diags = [
            Diagnostic::error("E1", Loc::new("policy-source/a.ja.md", 3, 7), "bad \"x\"", "fix it"),
            Diagnostic::warning("W2", Loc::new("book.toml", 1, 1), "note", ""),
        ];
        let golden = r#"[
  {
    "severity": "error",
    "code": "E1",
    "file": "policy-source/a.ja.md",
    "line": 3,
    "column": 7,
    "message": "bad \"x\"",
    "hint": "fix it"
  },
  {
    "severity": "warning",
    "code": "W2",
    "file": "book.toml",
    "line": 1,
    "column": 1,
    "message": "note",
    "hint": ""
  }
]
"#;
        assert_eq!(json(&diags, Lang::En), golden);
        assert_eq!(json(&diags, Lang::Ja), golden, "raw texts are the same in both languages");
        assert_eq!(json(&[], Lang::Ja), "[]\n");
    }

    #[test]
    fn the_flag_wins_then_book_toml_then_the_locale() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let ja = env(&[("LANG", "ja_JP.UTF-8")]);
        assert_eq!(message_language(None, None, ja), Lang::Ja);
        assert_eq!(message_language(None, Some(Lang::En), ja), Lang::En, "book.toml over the locale");
        assert_eq!(message_language(Some(Lang::Ja), Some(Lang::En), ja), Lang::Ja, "the flag over book.toml");
        assert_eq!(message_language(None, None, env(&[("LANG", "C")])), Lang::En);
        assert_eq!(message_language(None, None, env(&[])), Lang::En);
        assert_eq!(message_language(None, None, env(&[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")])), Lang::En);
        assert_eq!(message_language(None, None, env(&[("LC_ALL", ""), ("LC_MESSAGES", "ja_JP")])), Lang::Ja);
    }

    #[test]
    fn catalogue_messages_render_in_either_language() {
        let d = Diagnostic::new("parity-extra", Loc::new("a.en.md", 3, 1)).arg("id", "scope");
        assert_eq!((d.code, d.severity), ("parity-extra", Severity::Error));
        assert_eq!(d.message(Lang::En), "section \"scope\" is not in the Japanese text");
        assert_eq!(d.message(Lang::Ja), "節「scope」が日本語版にありません");
        assert!(
            d.render(Lang::Ja).starts_with("a.en.md:3:1: エラー[parity-extra]: 節「scope」"),
            "{}",
            d.render(Lang::Ja)
        );
        assert!(d.render(Lang::Ja).contains("\n  ヒント: 日本語版が正文です"), "{}", d.render(Lang::Ja));
        let w = Diagnostic::new("sequence.no-supplementary", Loc::default()).arg("date", "2027-04-01");
        assert_eq!((w.code, w.severity), ("sequence", Severity::Warning));
        assert_eq!(w.hint(Lang::En), "add `# 附則 {#id .supplementary revision=2027-04-01}` with its 施行期日");
    }

    #[test]
    fn narrow_stays_in_its_section() {
        let t = "---\nid: a\n---\n# 一 {#one}\n\n本文\n# 二 {#two}\n\n笑x\n";
        assert_eq!(Loc::new("a.md", 7, 1).narrow(t, 'x'), Loc::new("a.md", 9, 2));
        assert_eq!(Loc::new("a.md", 4, 1).narrow(t, 'x'), Loc::new("a.md", 4, 1), "not in a later section");
        assert_eq!(Loc::new("a.md", 1, 1).narrow(t, 'a'), Loc::new("a.md", 2, 5), "front matter");
    }
}
