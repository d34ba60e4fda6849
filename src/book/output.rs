//! Built files and how they reach the disk: renderers return [`Files`] in memory; [`replace_dir`]
//! writes them into a temporary folder beside the destination and swaps it in only when
//! complete, so a failed build leaves the previous output intact; [`write_atomically`] does the
//! same for one file (the distribution register).

use crate::render::Files;
use std::path::Path;

/// Replaces the folder `dest` with exactly `files`, atomically as far as the file system allows:
/// everything is written to a temporary sibling first, then renamed over `dest`.
pub fn replace_dir(dest: &Path, files: &Files) -> std::io::Result<()> {
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let tmp = tempfile::Builder::new().prefix(".policybook-").tempdir_in(parent)?;
    for (rel, bytes) in files {
        let p = tmp.path().join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&p, bytes)?;
    }
    let staged = tmp.keep();
    let old = parent.join(format!(".policybook-old-{}", std::process::id()));
    let had_old = dest.exists();
    if had_old {
        std::fs::rename(dest, &old)?;
    }
    if let Err(e) = std::fs::rename(&staged, dest) {
        if had_old {
            let _ = std::fs::rename(&old, dest);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e);
    }
    if had_old {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Writes the file `path` through a temporary file beside it and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_folder() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("out/public/html");
        let mut f = Files::new();
        f.insert("a/b.html".into(), b"one".to_vec());
        f.insert("stale.html".into(), b"x".to_vec());
        replace_dir(&dest, &f).unwrap();
        let mut g = Files::new();
        g.insert("a/b.html".into(), b"two".to_vec());
        replace_dir(&dest, &g).unwrap();
        assert_eq!(std::fs::read(dest.join("a/b.html")).unwrap(), b"two");
        assert!(!dest.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dest.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }
}
