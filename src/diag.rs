//! Diagnostics: what `check` (and loading) found wrong in the sources, with a place and a hint.
//!
//! A diagnostic is data, not an error: the library collects them and the CLI renders them once,
//! as text or as the JSON of `check --format json` ([`json`], a published format with a record
//! type of its own). Every diagnostic names a file, a line and a column (1-based, in characters).

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
        let from = self.line.saturating_sub(1) as usize;
        let front_matter = from == 0 && text.starts_with("---");
        let mut own =
            text.lines().enumerate().skip(from).take_while(|(n, l)| {
                *n == from || if front_matter { l.trim_end() != "---" } else { !l.starts_with('#') }
            });
        match own.find_map(|(n, l)| l.chars().position(|c| c == ch).map(|col| (n, col))) {
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub loc: Loc,
    pub message: String,
    pub hint: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, loc: Loc, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, loc, message: message.into(), hint: hint.into() }
    }

    pub fn warning(code: &'static str, loc: Loc, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, loc, message: message.into(), hint: hint.into() }
    }

    /// An error from the text of an error type that names its own place and hint
    /// (`"<place>: message\n  hint: hint"`): the message without the place, the hint apart.
    pub fn from_message(code: &'static str, loc: Loc, text: &str) -> Self {
        let text = text.strip_prefix(&format!("{loc}: ")).unwrap_or(text);
        let (message, hint) = text.split_once("\n  hint: ").unwrap_or((text, ""));
        Diagnostic::error(code, loc, message, hint)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}[{}]: {}", self.loc, self.severity.name(), self.code, self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by place, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.loc, a.code, &a.message).cmp(&(&b.loc, b.code, &b.message)));
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

/// The diagnostics as the JSON array of `check --format json`, with a final newline.
pub fn json(diags: &[Diagnostic]) -> String {
    let records: Vec<Record<'_>> = diags
        .iter()
        .map(|d| Record {
            severity: d.severity.name(),
            code: d.code,
            file: &d.loc.file,
            line: d.loc.line,
            column: d.loc.column,
            message: &d.message,
            hint: &d.hint,
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
        assert_eq!(json(&diags), golden);
        assert_eq!(json(&[]), "[]\n");
    }

    #[test]
    fn narrow_stays_in_its_section() {
        let t = "---\nid: a\n---\n# 一 {#one}\n\n本文\n# 二 {#two}\n\n笑x\n";
        assert_eq!(Loc::new("a.md", 7, 1).narrow(t, 'x'), Loc::new("a.md", 9, 2));
        assert_eq!(Loc::new("a.md", 4, 1).narrow(t, 'x'), Loc::new("a.md", 4, 1), "not in a later section");
        assert_eq!(Loc::new("a.md", 1, 1).narrow(t, 'a'), Loc::new("a.md", 2, 5), "front matter");
    }
}
