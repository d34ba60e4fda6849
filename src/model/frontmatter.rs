//! YAML front matter of the Japanese and English files of a document.

use crate::config::{KindWording, Lang};
use crate::diag::{line_col, Diagnostic, Loc};
use crate::model::numbering::Style;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A calendar date (the only kind of date in policies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses an ISO date, `2026-04-01`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= days_in_month(date.year, date.month))
            .then_some(date)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The civil date `days` days after 1970-01-01 (H. Hinnant's `civil_from_days`): how a clock
    /// or a git commit time becomes a date.
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// The days from 1970-01-01 to this date (`days_from_civil`, the inverse of
    /// [`Date::from_unix_days`]).
    pub fn unix_days(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    BasicPolicy,
    Standard,
    Procedure,
    Other,
}

impl DocType {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DocType::BasicPolicy, Lang::Ja) => "基本方針",
            (DocType::Standard, Lang::Ja) => "対策基準",
            (DocType::Procedure, Lang::Ja) => "実施手順",
            (DocType::Other, Lang::Ja) => "その他",
            (DocType::BasicPolicy, Lang::En) => "Basic policy",
            (DocType::Standard, Lang::En) => "Standards",
            (DocType::Procedure, Lang::En) => "Procedures",
            (DocType::Other, Lang::En) => "Other",
        }
    }
}

/// One entry of a document's revision history (改定履歴).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub date: Date,
    /// One of [`KINDS`], or another word the city uses.
    pub kind: String,
    /// The instrument that made it, e.g. 訓令第5号 (例規): printed in its 附則.
    pub instrument: Option<String>,
    pub note: String,
    pub note_en: Option<String>,
}

/// The kinds of revision policies and 例規 record (改定履歴, 沿革), with their English names.
pub const KINDS: [(&str, &str); 8] = [
    ("策定", "Established"),
    ("改定", "Revised"),
    ("一部改定", "Partial amendment"),
    ("全部改定", "Full revision"),
    ("制定", "Enacted"),
    ("一部改正", "Partial amendment"),
    ("全部改正", "Full revision"),
    ("廃止", "Repealed"),
];

impl Revision {
    /// The kind in a language: the project's wording (`[history.kinds]`) if it sets one, else
    /// the Japanese word as written and, in English, the name of a known kind.
    pub fn kind_label<'a>(&'a self, lang: Lang, wording: &'a BTreeMap<String, KindWording>) -> &'a str {
        if let Some(word) = wording.get(&self.kind).and_then(|w| w.get(lang)) {
            return word;
        }
        match lang {
            Lang::Ja => &self.kind,
            Lang::En => KINDS.iter().find(|(ja, _)| *ja == self.kind).map_or(&self.kind, |(_, en)| en),
        }
    }

    pub fn note(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.note_en.as_deref().unwrap_or(&self.note),
            Lang::Ja => &self.note,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJa {
    pub id: String,
    #[serde(rename = "type")]
    pub doc_type: DocType,
    pub title: String,
    pub classification: String,
    pub numbering: Style,
    /// A version name, only where the city gives one (the seed's basic policy has none).
    #[serde(default)]
    pub version: Option<String>,
    pub effective: String,
    #[serde(default)]
    pub history: Vec<RawRevision>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRevision {
    pub date: String,
    pub kind: String,
    #[serde(default)]
    pub instrument: Option<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEn {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub history: Vec<RawEnRevision>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEnRevision {
    pub date: String,
    pub note: String,
}

/// A file split into its front matter and body.
pub(crate) struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    /// Lines before the body (the front matter with its fences).
    pub body_line_offset: u32,
    /// Line of the first line of YAML.
    pub yaml_line_offset: u32,
}

/// Splits `---` fenced front matter from the body. `None` when the file has none.
pub(crate) fn split(text: &str) -> Option<Split<'_>> {
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let yaml_lines = yaml.matches('\n').count() as u32;
            return Some(Split { yaml, body, body_line_offset: yaml_lines + 2, yaml_line_offset: 1 });
        }
        offset += line.len();
    }
    None
}

/// Deserializes front matter, turning YAML errors into a diagnostic at the right line.
pub(crate) fn parse_yaml<T: for<'de> Deserialize<'de>>(
    yaml: &str,
    file: &str,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(yaml).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
        let mut message = e.without_snippet().to_string();
        if let Some(first) = message.lines().next() {
            message = first.to_string();
        }
        let key = if message.contains("unknown field") { "front-matter.unknown-key" } else { "front-matter.yaml" };
        Diagnostic::new(key, Loc::new(file, line + line_offset, column)).arg("detail", message)
    })
}

/// The location of `key:` in front matter (for errors about its value).
pub(crate) fn key_loc(yaml: &str, key: &str, value: Option<&str>, file: &str, line_offset: u32) -> Loc {
    let needle = format!("{key}:");
    let mut off = None;
    let mut from = 0;
    while let Some(i) = yaml[from..].find(&needle) {
        let at = from + i;
        let line_end = yaml[at..].find('\n').map_or(yaml.len(), |e| at + e);
        if value.is_none_or(|v| yaml[at..line_end].contains(v)) {
            off = Some(at);
            break;
        }
        from = at + needle.len();
    }
    let (l, c) = line_col(yaml, off.unwrap_or(0));
    Loc::new(file, l + line_offset, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        let civil = Date::from_unix_days;
        assert_eq!(civil(0), Date { year: 1970, month: 1, day: 1 });
        assert_eq!(civil(20_543), Date { year: 2026, month: 3, day: 31 });
        assert_eq!(civil(11_016), Date { year: 2000, month: 2, day: 29 });
    }

    #[test]
    fn dates_are_validated() {
        assert_eq!(Date::parse("2026-04-01").unwrap().iso(), "2026-04-01");
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2026/04/01").is_none());
        assert!(Date::parse("26-04-01").is_none());
    }

    #[test]
    fn split_finds_body_line() {
        let s = split("---\nid: a\ntitle: b\n---\n# 見出し\n").unwrap();
        assert_eq!(s.yaml, "id: a\ntitle: b\n");
        assert_eq!(s.body, "# 見出し\n");
        assert_eq!(s.body_line_offset, 4);
        assert!(split("# no front matter\n").is_none());
    }

    #[test]
    fn unknown_key_reports_its_line() {
        let yaml = "id: a\ntitle: t\ntypo: x\n";
        let e = parse_yaml::<RawEn>(yaml, "a.en.md", 1).unwrap_err();
        assert_eq!(e.code, "front-matter");
        assert_eq!(e.loc.line, 4, "{e}");
        assert!(e.message(Lang::En).contains("typo"), "{}", e.message(Lang::En));
    }

    #[test]
    fn numeric_version_is_read_as_text() {
        let yaml = "id: a\ntype: other\ntitle: t\nclassification: public\nnumbering: admin\nversion: 3.0\neffective: 2026-04-01\n";
        let r = parse_yaml::<RawJa>(yaml, "a.ja.md", 1).unwrap();
        assert_eq!(r.version.as_deref(), Some("3.0"));
        assert_eq!(r.effective, "2026-04-01");
    }
}
