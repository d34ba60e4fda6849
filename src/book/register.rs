//! The distribution register of recipient copies: a CSV file with one line per PDF handed out
//! (serial, recipient, date, edition, document, git commit, SHA-256 of the PDF).
//!
//! Pure functions over the register's text; [`super::copies`] reads and replaces the file
//! (atomically, before any copy is written, so a register that cannot be written leaves no
//! unregistered copy).

use crate::model::Date;
use sha2::{Digest, Sha256};

pub const HEADER: &str = "serial,recipient,date,edition,document,commit,sha256";

/// One register line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub serial: String,
    pub recipient: String,
    pub date: Date,
    pub edition: String,
    /// The PDF's file name, e.g. `basic-policy.ja.pdf`.
    pub document: String,
    pub commit: String,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{path}: the distribution register does not start with the header line {HEADER:?}\n  hint: fix or move the file; policybook creates a new register when none exists")]
    BadHeader { path: String },
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
            if t.lines().next().map(str::trim) != Some(HEADER) {
                return Err(RegisterError::BadHeader { path: path.into() });
            }
            let mut t = t.to_string();
            if !t.ends_with('\n') {
                t.push('\n');
            }
            t
        }
        _ => format!("{HEADER}\n"),
    };
    for e in entries {
        let fields = [&e.serial, &e.recipient, &e.date.iso(), &e.edition, &e.document, &e.commit, &e.sha256];
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    Ok(out)
}

/// A CSV field: quoted when needed; a leading `=`, `+`, `-` or `@` is neutralised with `'` so that
/// a spreadsheet never runs a recipient name as a formula.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
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

/// Today's date (UTC) from the system clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil((secs / 86_400) as i64)
}

/// The civil date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil(days: i64) -> Date {
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

/// The commit the copies were built from: the revision given with `--rev`, otherwise the commit
/// checked out in the repository holding `root`, with `-dirty` when the project's files differ
/// from it (uncommitted or untracked changes to `watched`, paths relative to `root` such as
/// `book.toml` and the source folder); `none` outside git.
pub fn git_commit(root: &std::path::Path, rev: Option<&str>, watched: &[&str]) -> String {
    let Ok(repo) = git2::Repository::discover(root) else { return "none".into() };
    if let Some(rev) = rev {
        return crate::source::git::resolve_commit(&repo, rev).map_or_else(|_| "unknown".into(), |c| c.to_string());
    }
    let Some(head) = repo.head().ok().and_then(|h| h.peel_to_commit().ok()).map(|c| c.id().to_string()) else {
        return "none".into();
    };
    let prefix = repo
        .workdir()
        .and_then(|w| std::fs::canonicalize(root).ok().zip(std::fs::canonicalize(w).ok()))
        .and_then(|(r, w)| r.strip_prefix(w).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
        .unwrap_or_default();
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true).include_ignored(false);
    for w in watched {
        opts.pathspec(if prefix.is_empty() { w.to_string() } else { format!("{prefix}/{w}") });
    }
    let dirty = repo.statuses(Some(&mut opts)).map(|s| !s.is_empty()).unwrap_or(true);
    if dirty {
        format!("{head}-dirty")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), Date { year: 1970, month: 1, day: 1 });
        assert_eq!(civil(20_543), Date { year: 2026, month: 3, day: 31 });
        assert_eq!(civil(11_016), Date { year: 2000, month: 2, day: 29 });
    }

    #[test]
    fn appends_with_header_and_counts_serials() {
        let e = |s: &str, who: &str| Entry {
            serial: s.into(),
            recipient: who.into(),
            date: Date { year: 2026, month: 4, day: 1 },
            edition: "restricted".into(),
            document: "a.ja.pdf".into(),
            commit: "none".into(),
            sha256: "00".into(),
        };
        let t = append("r.csv", None, &[e(&serial("restricted", 1), "総務課, 山田")]).unwrap();
        assert_eq!(t, format!("{HEADER}\nrestricted-000001,\"総務課, 山田\",2026-04-01,restricted,a.ja.pdf,none,00\n"));
        assert_eq!(next_number(&t), 2);
        assert_eq!(next_number(HEADER), 1);
        let t2 = append("r.csv", Some(&t), &[e("restricted-000002", "=cmd")]).unwrap();
        assert!(t2.ends_with("restricted-000002,'=cmd,2026-04-01,restricted,a.ja.pdf,none,00\n"));
        assert!(append("r.csv", Some("x,y\n"), &[]).is_err());
        assert_eq!(sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
