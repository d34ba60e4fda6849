//! The lines before the first section: the title (a 【bracketed】 line wins over a series title),
//! the organization and the revision line (「令和8年4月1日 改定」, 「令和７年３月２８日 訓令第３号」), with
//! the 和暦 date converted to ISO.

use super::clean::Line;
use super::marker::{self, Marker};
use super::text::fold;
use super::Notes;
use crate::model::{wareki, Date};

/// What the title block of a document says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    /// Title lines not taken as the document's title (the series: 「○○市情報セキュリティポリシー」).
    pub series: Vec<String>,
    pub organization: Option<String>,
    pub revisions: Vec<RevisionLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionLine {
    pub line: u32,
    pub date: Date,
    /// The kind as written (改定, 全部改定, 制定…), if the line says one.
    pub kind: Option<String>,
    /// 訓令第３号 and the like.
    pub instrument: Option<String>,
}

/// Unnumbered headings that open the body of a policy.
pub const UNNUMBERED: [&str; 4] = ["序文", "前文", "はじめに", "おわりに"];

/// Whether a line starts the body: a number, a 章 or 条, or an unnumbered heading (序文).
pub fn starts_body(line: &Line) -> bool {
    let starts = marker::parse(&line.text).is_some_and(|m| !matches!(m.marker, Marker::Part(_)));
    starts || line.bullet || UNNUMBERED.contains(&line.text.as_str()) || line.text.contains('。')
}

/// Splits the header off the lines, returning it and the number of lines it took.
pub fn header(lines: &[Line], notes: &mut Notes) -> (Header, usize) {
    let mut h = Header::default();
    let end = lines.iter().position(starts_body).unwrap_or(lines.len());
    for l in &lines[..end] {
        let t = l.text.as_str();
        if let Some(r) = revision_line(l.no, t) {
            h.revisions.push(r);
        } else if is_organization(t) {
            h.organization = Some(t.to_string());
        } else if let Some(inner) = t.strip_prefix('【').and_then(|t| t.strip_suffix('】')) {
            if let Some(old) = h.title.replace(inner.to_string()) {
                h.series.push(old);
            }
        } else if matches!(marker::parse(t), Some(m) if matches!(m.marker, Marker::Part(_))) {
            notes.info(l.no, "import-note.part", &[("text", t)]);
        } else if h.title.is_none() {
            h.title = Some(t.to_string());
        } else {
            h.series.push(t.to_string());
        }
    }
    h.revisions.sort_by_key(|r| r.date);
    (h, end)
}

fn is_organization(t: &str) -> bool {
    let n = t.chars().count();
    (2..=12).contains(&n)
        && !t.contains([' ', '　'])
        && ["市", "町", "村", "県", "都", "府", "道", "区", "組合", "市役所", "役場"].iter().any(|s| t.ends_with(s))
}

const KINDS: [&str; 10] =
    ["全部改定", "一部改定", "全部改正", "一部改正", "改定", "改正", "策定", "制定", "施行", "廃止"];

/// 「令和8年4月1日 改定」: a 和暦 date with the kind of revision or an instrument.
pub fn revision_line(no: u32, text: &str) -> Option<RevisionLine> {
    let f = fold(text);
    // 「改正　令和８年３月２７日訓令第５号」: the kind may stand first.
    let lead = KINDS.iter().find(|k| f.starts_with(*k));
    let (date, rest) = wareki_date(lead.map_or(f.as_str(), |k| &f[k.len()..]))?;
    let rest = rest.trim_matches(|c: char| c == ' ' || c == '(' || c == ')');
    let kind = lead.or_else(|| KINDS.iter().find(|k| rest.contains(*k))).map(|k| k.to_string());
    let instrument = rest.find('第').and_then(|i| {
        let head = rest[..i].rsplit(' ').next().unwrap_or("");
        let tail = &rest[i..];
        tail.find('号').map(|j| format!("{head}{}", &tail[..j + '号'.len_utf8()]))
    });
    let known = kind.is_some() || instrument.is_some() || rest.is_empty();
    known.then_some(RevisionLine { line: no, date, kind, instrument })
}

/// A 和暦 date at the start of folded text (元年 included), and the text after it.
pub fn wareki_date(f: &str) -> Option<(Date, &str)> {
    let f = f.trim_start();
    let (era, rest) = wareki::ERAS.iter().find_map(|(name, start)| f.strip_prefix(name).map(|r| (start.0, r)))?;
    let (year, rest) = match rest.strip_prefix('元') {
        Some(r) => (1, r),
        None => number(rest)?,
    };
    let rest = rest.trim_start().strip_prefix('年')?;
    let (month, rest) = number(rest.trim_start())?;
    let rest = rest.trim_start().strip_prefix('月')?;
    let (day, rest) = number(rest.trim_start())?;
    let rest = rest.trim_start().strip_prefix('日')?;
    let iso = format!("{:04}-{month:02}-{day:02}", era + year as i32 - 1);
    Some((Date::parse(&iso)?, rest))
}

fn number(s: &str) -> Option<(u32, &str)> {
    let n = s.chars().take_while(char::is_ascii_digit).count();
    (1..=3).contains(&n).then(|| Some((s[..n].parse().ok()?, &s[n..])))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wareki_dates_become_iso() {
        let d = |s: &str| wareki_date(&fold(s)).map(|(d, _)| d.iso());
        assert_eq!(d("令和8年4月1日 改定").as_deref(), Some("2026-04-01"));
        assert_eq!(d("令和７年３月２８日").as_deref(), Some("2025-03-28"));
        assert_eq!(d("令和元年5月1日").as_deref(), Some("2019-05-01"));
        assert_eq!(d("平成31年4月30日").as_deref(), Some("2019-04-30"));
        assert_eq!(d("令和8年2月30日"), None);
    }

    #[test]
    fn revision_lines() {
        let r = revision_line(3, "令和７年３月２８日　全部改定").unwrap();
        assert_eq!((r.date.iso(), r.kind.as_deref()), ("2025-03-28".into(), Some("全部改定")));
        let r = revision_line(3, "令和７年３月２８日訓令第３号").unwrap();
        assert_eq!(r.instrument.as_deref(), Some("訓令第3号"));
        assert!(revision_line(3, "令和7年3月28日に開催された会議の記録").is_none());
    }
}
