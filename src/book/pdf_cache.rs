//! The PDF cache: a PDF typeset once is kept under a key made of everything that shapes its
//! bytes, and copied, not typeset, by every later build that plans the same job. The renderer
//! plans and typesets; this module, in the book layer, is the only one that reads or writes it.
//!
//! Layout: `<output>/.cache/pdf/<edition>/<key>.pdf`. The key is the SHA-256 of the policybook
//! version, the edition's name, the file name, the template's text, every virtual file (name and
//! bytes: `data.json`, `common.typ`, images), the date, the PDF standards and the fonts' bytes.
//! An entry is the PDF followed by one trailer line, `%policybook-cache <key> <length> <sha256>`,
//! which a read checks whole: an entry is used only when it sits in its edition's folder, names
//! the key asked for (which includes the edition) and holds a complete PDF of its length and
//! digest. So an entry of one edition is never served to another, even copied under another
//! name, and a torn or forged entry is typeset again. Entries are written through
//! [`super::output::write_atomically`] (temporary file, sync, rename).
//!
//! A long document typeset in parts ([`crate::render::typeset`]) also leaves each part's PDF,
//! under `<output>/.cache/pdf/<edition>/parts/<file>/<key>.pdf` (the same trailer), keyed by
//! [`PdfCache::salt`] (the PDF's key without its data) and the part's own data: a rebuild after
//! an edit typesets the edited part and joins the others as they were. A file's folder holds
//! the parts of its last build only; a file no longer built loses its folder.
//!
//! Recipient copies never use it (each has its own serial number).

use super::output::{write_atomically, OutputError, OutputLock, STAMP};
use crate::render::pdf::Job;
use crate::render::typeset::Standards;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The folder of the cache below an output folder.
pub const DIR: &str = ".cache";

/// The PDF cache of one output folder.
#[derive(Debug, Clone)]
pub struct PdfCache {
    /// `<output>/.cache/pdf`.
    dir: PathBuf,
    /// The digest of the fonts, computed once per build.
    fonts: [u8; 32],
}

/// Why an entry could not be stored.
#[derive(Debug)]
pub struct StoreError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

impl PdfCache {
    /// The cache of the output folder `out_root`, for fonts whose digest is `fonts`.
    pub fn new(out_root: &Path, fonts: [u8; 32]) -> PdfCache {
        PdfCache { dir: out_root.join(DIR).join("pdf"), fonts }
    }

    /// The key of `job` in `edition`.
    pub fn key(&self, edition: &str, job: &Job) -> String {
        self.digest(edition, job, true)
    }

    /// What shapes the bytes of each part of `job` in `edition` besides the part's own data: the
    /// key without the document's data, which each part's key adds (its part of it).
    pub fn salt(&self, edition: &str, job: &Job) -> String {
        self.digest(edition, job, false)
    }

    fn digest(&self, edition: &str, job: &Job, data: bool) -> String {
        let mut h = Sha256::new();
        field(&mut h, if data { b"policybook-pdf-cache/1" } else { b"policybook-pdf-parts/1" });
        field(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
        field(&mut h, edition.as_bytes());
        field(&mut h, job.file.as_bytes());
        field(&mut h, job.main.as_bytes());
        for (name, bytes) in &job.files {
            field(&mut h, name.as_bytes());
            if data || name != "data.json" {
                field(&mut h, bytes);
            }
        }
        // Typeset in parts or whole: other page breaks.
        field(&mut h, job.part_size.map_or(String::new(), |n| n.to_string()).as_bytes());
        field(&mut h, job.date.to_string().as_bytes());
        field(&mut h, if job.standards == Standards::None { b"plain" } else { b"a-2b+ua-1" });
        field(&mut h, &self.fonts);
        hex(&h.finalize())
    }

    fn path(&self, edition: &str, key: &str) -> PathBuf {
        self.dir.join(edition).join(format!("{key}.pdf"))
    }

    /// The PDF stored under `key` in `edition`'s folder, if it is there and whole.
    pub fn get(&self, edition: &str, key: &str) -> Option<Vec<u8>> {
        read_entry(&self.path(edition, key), key).filter(|pdf| pdf.starts_with(b"%PDF-"))
    }

    /// Stores `pdf` under `key` in `edition`'s folder.
    pub fn put(&self, edition: &str, key: &str, pdf: &[u8]) -> Result<(), StoreError> {
        write_entry(&self.path(edition, key), key, pdf)
    }

    /// The folder of the parts of `edition`'s PDF `file`.
    fn parts_dir(&self, edition: &str, file: &str) -> PathBuf {
        self.dir.join(edition).join("parts").join(file)
    }

    /// The parts of `edition`'s PDF `file` its last build left, each whole: (key, entry).
    pub fn parts(&self, edition: &str, file: &str) -> Vec<(String, Vec<u8>)> {
        let dir = self.parts_dir(edition, file);
        let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
        let mut found: Vec<(String, Vec<u8>)> = entries
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                let key = name.strip_suffix(".pdf").filter(|k| is_key(k))?.to_string();
                let entry = read_entry(&dir.join(&name), &key)?;
                Some((key, entry))
            })
            .collect();
        found.sort();
        found
    }

    /// Makes the parts of `edition`'s PDF `file` those of `parts` (key, entry; an empty entry:
    /// the one [`PdfCache::parts`] gave, taken again as it is): each new entry stored (also over
    /// one of its key that could not be read), every other entry removed.
    pub fn put_parts(&self, edition: &str, file: &str, parts: &[(String, Vec<u8>)]) -> Result<(), StoreError> {
        let dir = self.parts_dir(edition, file);
        for (key, entry) in parts.iter().filter(|(k, e)| is_key(k) && !e.is_empty()) {
            write_entry(&dir.join(format!("{key}.pdf")), key, entry)?;
        }
        let keep: BTreeSet<String> = parts.iter().map(|(k, _)| format!("{k}.pdf")).collect();
        remove_files(&dir, |name| !keep.contains(name)).map(|_| ())
    }

    /// Removes from `edition`'s folder every entry whose key is not in `keep` (the keys of all the
    /// edition's PDFs in a finished build), and what killed writes left there. So the cache holds
    /// the PDFs of the last build of each edition, not those of every version ever built: an
    /// author rebuilding after each edit would otherwise add a long document's PDFs to it each
    /// time. Files that are no entry of policybook's stay. The parts of a PDF not in `files`
    /// (the edition's file names) go too. Returns how many files went.
    pub fn keep_only(
        &self,
        edition: &str,
        keep: &BTreeSet<String>,
        files: &BTreeSet<String>,
    ) -> Result<usize, StoreError> {
        let parts = self.dir.join(edition).join("parts");
        let mut removed = 0;
        if let Ok(entries) = std::fs::read_dir(&parts) {
            for entry in entries {
                let entry = entry.map_err(|source| StoreError { path: parts.clone(), source })?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !files.contains(&name) && entry.file_type().is_ok_and(|t| t.is_dir()) {
                    removed += remove_files(&entry.path(), |_| true)?;
                    let _ = std::fs::remove_dir(entry.path());
                }
            }
        }
        let dir = self.dir.join(edition);
        Ok(removed + remove_files(&dir, |name| name.strip_suffix(".pdf").is_some_and(|k| !keep.contains(k)))?)
    }
}

/// Removes from `dir` each entry (`<key>.pdf`) whose name `doomed` says, and what killed writes
/// left there; no other file. Returns how many files went (none when there is no `dir`).
fn remove_files(dir: &Path, doomed: impl Fn(&str) -> bool) -> Result<usize, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(source) => return Err(StoreError { path: dir.to_path_buf(), source }),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(|source| StoreError { path: dir.to_path_buf(), source })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let stale = match name.strip_suffix(".pdf") {
            Some(key) => is_key(key) && doomed(&name),
            // `.<key>.pdf.policybook-XXXX`: a write that was killed (see `write_atomically`).
            None => {
                name.strip_prefix('.').and_then(|n| n.split_once(".pdf.policybook-")).is_some_and(|(k, _)| is_key(k))
            }
        };
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(&path).map_err(|source| StoreError { path, source })?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The bytes stored at `path` under `key`, if the entry is there, a file, and whole: its
/// trailer names `key` and the length and digest of what it holds.
fn read_entry(path: &Path, key: &str) -> Option<Vec<u8>> {
    // A regular file only: a link is not followed, a pipe never read.
    std::fs::symlink_metadata(path).ok().filter(std::fs::Metadata::is_file)?;
    let mut bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_suffix(b"\n")?;
    let end = body.iter().rposition(|&b| b == b'\n')?;
    let trailer = std::str::from_utf8(&body[end + 1..]).ok()?;
    let fields: Vec<&str> = trailer.strip_prefix("%policybook-cache ")?.split(' ').collect();
    let held = &bytes[..end];
    let whole = matches!(fields[..], [k, len, digest]
        if k == key && len == held.len().to_string() && digest == hex(&Sha256::digest(held)));
    if !whole {
        return None;
    }
    bytes.truncate(end);
    Some(bytes)
}

/// Stores `bytes` at `path` under `key`, with the trailer [`read_entry`] checks.
fn write_entry(path: &Path, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let trailer = format!("\n%policybook-cache {key} {} {}\n", bytes.len(), hex(&Sha256::digest(bytes)));
    let mut entry = Vec::with_capacity(bytes.len() + trailer.len());
    entry.extend_from_slice(bytes);
    entry.extend_from_slice(trailer.as_bytes());
    write_atomically(path, &entry).map_err(|source| StoreError { path: path.to_path_buf(), source })
}

/// Whether `name` is a key: 64 lowercase hexadecimal digits.
fn is_key(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `policybook clean`: removes the cache folder of `out_root` and, with `all`, every edition
/// folder a build made there (`<edition>/html`, `<edition>/pdf`, those with the stamp), under
/// the output lock. Each folder is first renamed to a `.policybook-` name, which a killed clean
/// leaves for the next build to remove, so no folder is ever seen half removed. Registered
/// copies (`<edition>/copies/`) stay: the register names them. Returns what was removed.
pub fn clean(out_root: &Path, all: bool) -> Result<Vec<String>, OutputError> {
    let mut removed = Vec::new();
    if !out_root.is_dir() {
        return Ok(removed);
    }
    let _lock = OutputLock::acquire(out_root)?;
    let mut targets = vec![(out_root.join(DIR), DIR.to_string())];
    if all {
        let mut editions: Vec<PathBuf> = std::fs::read_dir(out_root)
            .map_err(io(out_root))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
            .collect();
        editions.sort();
        for ed in editions {
            for format in ["html", "pdf"] {
                if ed.join(format).join(STAMP).is_file() {
                    let name = ed.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    targets.push((ed.join(format), format!("{name}/{format}")));
                }
            }
        }
    }
    for (path, name) in targets.into_iter().filter(|(p, _)| p.is_dir()) {
        let parent = path.parent().unwrap_or(out_root);
        let doomed = parent.join(format!(
            ".policybook-clean-{}",
            path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        std::fs::rename(&path, &doomed).map_err(io(&path))?;
        std::fs::remove_dir_all(&doomed).map_err(io(&doomed))?;
        // An edition folder left empty goes too.
        if parent != out_root && std::fs::read_dir(parent).is_ok_and(|mut d| d.next().is_none()) {
            std::fs::remove_dir(parent).map_err(io(parent))?;
        }
        removed.push(name);
    }
    Ok(removed)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_served_only_whole_and_under_its_own_key() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = PdfCache::new(tmp.path(), [7; 32]);
        let pdf = b"%PDF-1.7\nbody\n%%EOF".to_vec();
        cache.put("public", "k1", &pdf).unwrap();
        assert_eq!(cache.get("public", "k1"), Some(pdf.clone()));
        assert_eq!(cache.get("internal", "k1"), None, "another edition's folder");
        // Copied under another key (or another edition's folder): its trailer names k1.
        let entry = std::fs::read(cache.path("public", "k1")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".cache/pdf/internal")).unwrap();
        std::fs::write(cache.path("internal", "k2"), &entry).unwrap();
        assert_eq!(cache.get("internal", "k2"), None);
        // Torn: any byte short, or one byte changed.
        for cut in [1, 10, entry.len() - 5] {
            std::fs::write(cache.path("public", "k1"), &entry[..entry.len() - cut]).unwrap();
            assert_eq!(cache.get("public", "k1"), None, "cut {cut}");
        }
        let mut bad = entry.clone();
        bad[10] ^= 1;
        std::fs::write(cache.path("public", "k1"), &bad).unwrap();
        assert_eq!(cache.get("public", "k1"), None);
    }

    #[test]
    fn a_pdfs_parts_are_those_of_its_last_build_each_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = PdfCache::new(tmp.path(), [7; 32]);
        let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
        let part = |s: &str| format!("{{\"pages\":1}}\n%PDF-1.7 {s}").into_bytes();
        cache.put_parts("public", "s.ja.pdf", &[(a.clone(), part("a")), (b.clone(), part("b"))]).unwrap();
        let had = cache.parts("public", "s.ja.pdf");
        assert_eq!(had, [(a.clone(), part("a")), (b.clone(), part("b"))]);
        assert!(cache.parts("internal", "s.ja.pdf").is_empty() && cache.parts("public", "s.en.pdf").is_empty());
        // The next build took `a` again (an empty entry) and made `c`: `b` goes.
        cache.put_parts("public", "s.ja.pdf", &[(a.clone(), Vec::new()), (c.clone(), part("c"))]).unwrap();
        assert_eq!(cache.parts("public", "s.ja.pdf"), [(a.clone(), part("a")), (c.clone(), part("c"))]);
        // Torn, or a link in its place: not served.
        let dir = tmp.path().join(".cache/pdf/public/parts/s.ja.pdf");
        let entry = std::fs::read(dir.join(format!("{c}.pdf"))).unwrap();
        std::fs::write(dir.join(format!("{c}.pdf")), &entry[..entry.len() - 3]).unwrap();
        #[cfg(unix)]
        {
            std::fs::rename(dir.join(format!("{a}.pdf")), tmp.path().join("elsewhere.pdf")).unwrap();
            std::os::unix::fs::symlink(tmp.path().join("elsewhere.pdf"), dir.join(format!("{a}.pdf"))).unwrap();
        }
        assert!(cache.parts("public", "s.ja.pdf").is_empty());
        // A file no longer built loses its parts.
        cache.put_parts("public", "old.pdf", &[(b.clone(), part("b"))]).unwrap();
        let files = BTreeSet::from(["s.ja.pdf".to_string()]);
        cache.keep_only("public", &BTreeSet::new(), &files).unwrap();
        assert!(!tmp.path().join(".cache/pdf/public/parts/old.pdf").exists());
        assert!(dir.exists());
    }

    #[test]
    fn keep_only_removes_the_other_entries_of_its_edition_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = PdfCache::new(tmp.path(), [7; 32]);
        let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
        let pdf = b"%PDF-1.7\n%%EOF".to_vec();
        for k in [&a, &b] {
            cache.put("public", k, &pdf).unwrap();
        }
        cache.put("internal", &c, &pdf).unwrap();
        let folder = tmp.path().join(".cache/pdf/public");
        // A killed write's leftover, and files that are no entry.
        std::fs::write(folder.join(format!(".{b}.pdf.policybook-x1Yz")), b"torn").unwrap();
        std::fs::write(folder.join("notes.txt"), b"mine").unwrap();
        std::fs::write(folder.join("short.pdf"), b"mine").unwrap();
        assert_eq!(cache.keep_only("public", &BTreeSet::from([a.clone()]), &BTreeSet::new()).unwrap(), 2);
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [format!("{a}.pdf"), "notes.txt".into(), "short.pdf".into()]);
        assert_eq!(cache.get("public", &a), Some(pdf.clone()));
        assert_eq!(cache.get("internal", &c), Some(pdf), "another edition's folder is not touched");
        assert_eq!(cache.keep_only("restricted", &BTreeSet::new(), &BTreeSet::new()).unwrap(), 0, "no folder yet");
    }
}
