//! The distribution register of recipient copies: a CSV file with one line per PDF handed out
//! (serial, recipient, date, edition, document, git commit, SHA-256 of the PDF).
//!
//! Pure functions over the register's text: the date and the commit come in as values (the CLI
//! reads the clock, [`crate::source::git::provenance`] the commit). [`super::copies`] reads and replaces
//! the file (atomically, before any copy is written, so a register that cannot be written leaves no
//! unregistered copy).
//!
//! The columns are a published format (people keep these files for years): [`Entry`] owns them.

use crate::diag::{Localize, Message};
use crate::model::Date;
use crate::source::git::Provenance;
use sha2::{Digest, Sha256};

/// One register line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub serial: String,
    pub recipient: String,
    pub date: Date,
    pub edition: String,
    /// The PDF's file name, e.g. `basic-policy.ja.pdf`.
    pub document: String,
    pub commit: Provenance,
    pub sha256: String,
}

impl Entry {
    /// The header line: the columns, in the order of [`Entry::line`].
    pub const HEADER: &'static str = "serial,recipient,date,edition,document,commit,sha256";

    /// The entry as a CSV line (without its newline).
    pub fn line(&self) -> String {
        let commit = match &self.commit {
            Provenance::NoCommit => "none".to_string(),
            Provenance::UnknownRevision => "unknown".to_string(),
            Provenance::Commit { id, dirty: false } => id.to_string(),
            Provenance::Commit { id, dirty: true } => format!("{id}-dirty"),
        };
        let fields =
            [&self.serial, &self.recipient, &self.date.iso(), &self.edition, &self.document, &commit, &self.sha256];
        fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{}", self.text())]
    BadHeader { path: String },
}

impl Localize for RegisterError {
    fn text(&self) -> Message {
        match self {
            RegisterError::BadHeader { path } => {
                Message::new("register-header").arg("path", path).arg("header", Entry::HEADER)
            }
        }
    }
}

/// The serial of a copy: `<edition>-<number>`, numbers counting up over the whole register.
pub fn serial(edition: &str, n: u32) -> String {
    format!("{edition}-{n:06}")
}

/// The number of the next serial: one more than the highest in `existing`.
pub fn next_number(existing: &str) -> u32 {
    existing
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter_map(|s| s.trim_matches('"').rsplit('-').next().and_then(|n| n.parse::<u32>().ok()))
        .max()
        .map_or(1, |m| m + 1)
}

/// The register with `entries` appended (`existing` is `None` for a new register).
pub fn append(path: &str, existing: Option<&str>, entries: &[Entry]) -> Result<String, RegisterError> {
    let mut out = match existing {
        Some(t) if !t.trim().is_empty() => {
            if t.lines().next().map(str::trim) != Some(Entry::HEADER) {
                return Err(RegisterError::BadHeader { path: path.into() });
            }
            let mut t = t.to_string();
            if !t.ends_with('\n') {
                t.push('\n');
            }
            t
        }
        _ => format!("{}\n", Entry::HEADER),
    };
    for e in entries {
        out.push_str(&e.line());
        out.push('\n');
    }
    Ok(out)
}

/// A CSV field: quoted when needed; a field starting with `=`, `+`, `-`, `@`, a tab or a line
/// break (also after spaces) is neutralised with `'` so that a spreadsheet never runs a recipient
/// name as a formula.
pub fn field(s: &str) -> String {
    let formula = s.starts_with(['\t', '\r', '\n']) || s.trim_start_matches(' ').starts_with(['=', '+', '-', '@']);
    let s = if formula { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"").replace(['\n', '\r'], " "))
    } else {
        s
    }
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_with_header_and_counts_serials() {
        let e = |s: &str, who: &str| Entry {
            serial: s.into(),
            recipient: who.into(),
            date: Date { year: 2026, month: 4, day: 1 },
            edition: "restricted".into(),
            document: "a.ja.pdf".into(),
            commit: Provenance::NoCommit,
            sha256: "00".into(),
        };
        let t = append("r.csv", None, &[e(&serial("restricted", 1), "総務課, 山田")]).unwrap();
        assert_eq!(
            t,
            format!("{}\nrestricted-000001,\"総務課, 山田\",2026-04-01,restricted,a.ja.pdf,none,00\n", Entry::HEADER)
        );
        assert_eq!(next_number(&t), 2);
        assert_eq!(next_number(Entry::HEADER), 1);
        let t2 = append("r.csv", Some(&t), &[e("restricted-000002", "=cmd")]).unwrap();
        assert!(t2.ends_with("restricted-000002,'=cmd,2026-04-01,restricted,a.ja.pdf,none,00\n"));
        assert!(append("r.csv", Some("x,y\n"), &[]).is_err());
        assert_eq!(sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn columns_and_a_row_are_pinned() {
        assert_eq!(Entry::HEADER, "serial,recipient,date,edition,document,commit,sha256");
        let id = crate::source::git::CommitId::parse("0123456789abcdef0123456789abcdef01234567").unwrap();
        let mut e = Entry {
            serial: serial("internal", 42),
            recipient: "-総務課".into(),
            date: Date { year: 2026, month: 4, day: 1 },
            edition: "internal".into(),
            document: "basic-policy.ja.pdf".into(),
            commit: Provenance::Commit { id: id.clone(), dirty: true },
            sha256: "ab".into(),
        };
        assert_eq!(
            e.line(),
            "internal-000042,'-総務課,2026-04-01,internal,basic-policy.ja.pdf,0123456789abcdef0123456789abcdef01234567-dirty,ab"
        );
        e.commit = Provenance::Commit { id, dirty: false };
        assert!(e.line().ends_with(",0123456789abcdef0123456789abcdef01234567,ab"), "{}", e.line());
        e.commit = Provenance::UnknownRevision;
        assert!(e.line().ends_with(",unknown,ab"), "{}", e.line());
    }

    #[test]
    fn a_recipient_name_never_reaches_the_csv_as_a_formula() {
        for (name, csv) in [
            ("=cmd", "'=cmd"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=cmd", "'\t=cmd"),
            ("\r=cmd", "\"' =cmd\""),
            ("  =cmd", "'  =cmd"),
            ("総務課", "総務課"),
        ] {
            assert_eq!(field(name), csv, "{name:?}");
        }
    }
}
