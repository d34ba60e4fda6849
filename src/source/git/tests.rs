//! Tests on throwaway repositories made with the git command.

use super::*;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository with the project in `sub/proj` and two commits, tagged v1 and v2.
fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    git(root, &["init", "-q", "-b", "main"]);
    let proj = root.join("sub/proj");
    write(&proj.join("book.toml"), "one");
    write(&proj.join("src/a.md"), "first");
    write(&root.join("other.txt"), "not the project");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    git(root, &["tag", "v1"]);
    write(&proj.join("src/a.md"), "second");
    write(&proj.join("src/d/b.md"), "new");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "two"]);
    git(root, &["tag", "-a", "v2", "-m", "annotated"]);
    d
}

#[test]
fn reads_any_revision_of_a_project_in_a_subfolder() {
    let d = repo();
    let proj = d.path().join("sub/proj");
    // A dirty working tree does not matter.
    std::fs::write(proj.join("src/a.md"), "dirty").unwrap();
    let head = GitSource::open(&proj, "HEAD").unwrap();
    assert_eq!(head.prefix(), "sub/proj");
    assert_eq!(head.read_text("src/a.md").unwrap(), "second");
    assert_eq!(head.read_text("./src/d/b.md").unwrap(), "new");
    let old = GitSource::open(&proj, "HEAD~1").unwrap();
    assert_eq!(old.read_text("src/a.md").unwrap(), "first");
    assert!(matches!(old.read("src/d/b.md"), Err(SourceError::NotFound { .. })));
    assert!(matches!(old.read("other.txt"), Err(SourceError::NotFound { .. })), "outside the project");
    assert_eq!(GitSource::open(&proj, "v1").unwrap().read_text("src/a.md").unwrap(), "first");
    assert_eq!(GitSource::open(&proj, "v2").unwrap().read_text("src/a.md").unwrap(), "second");
    let names: Vec<_> = head.list("src").unwrap().into_iter().map(|e| (e.name, e.is_dir)).collect();
    assert_eq!(names, vec![("a.md".into(), false), ("d".into(), true)]);
    assert_eq!(head.list("").unwrap().len(), 2);
    assert!(head.list("src/a.md").is_err());
    assert!(head.list("nope").is_err());
    assert!(old.origin().contains("HEAD~1"), "{}", old.origin());
}

#[test]
fn works_on_a_detached_head() {
    let d = repo();
    git(d.path(), &["checkout", "-q", "--detach", "v1"]);
    let s = GitSource::open(&d.path().join("sub/proj"), "HEAD").unwrap();
    assert_eq!(s.read_text("src/a.md").unwrap(), "first");
    let s = GitSource::open(&d.path().join("sub/proj"), "main").unwrap();
    assert_eq!(s.read_text("src/a.md").unwrap(), "second");
}

#[test]
fn clear_errors() {
    let d = repo();
    let proj = d.path().join("sub/proj");
    let e = GitSource::open(&proj, "no-such-tag").unwrap_err();
    assert!(matches!(e, GitError::UnknownRevision { .. }));
    assert!(e.to_string().contains("git fetch --unshallow"), "{e}");
    let e = GitSource::open(&proj, "HEAD~5").unwrap_err().to_string();
    assert!(e.contains("unknown revision \"HEAD~5\""), "{e}");
    // The project folder did not exist in the first commit of another layout.
    std::fs::create_dir_all(d.path().join("later")).unwrap();
    let e = GitSource::open(&d.path().join("later"), "v1").unwrap_err();
    assert!(matches!(e, GitError::NoProject { .. }), "{e}");
    let plain = tempfile::tempdir().unwrap();
    let e = GitSource::open(plain.path(), "HEAD").unwrap_err();
    assert!(matches!(e, GitError::NotARepository { .. } | GitError::UnknownRevision { .. }), "{e}");
}

#[test]
fn shallow_clone_names_the_fix() {
    let d = repo();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", d.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let proj = clone.path().join("c/sub/proj");
    assert_eq!(GitSource::open(&proj, "HEAD").unwrap().read_text("src/a.md").unwrap(), "second");
    let e = GitSource::open(&proj, "HEAD~1").unwrap_err().to_string();
    assert!(e.contains("shallow clone") && e.contains("git fetch --unshallow"), "{e}");
}

#[test]
fn release_tags_oldest_first_with_their_project() {
    let d = repo();
    let proj = d.path().join("sub/proj");
    git(d.path(), &["tag", "other"]);
    let tags = release_tags(&proj, "v*").unwrap();
    let names: Vec<_> = tags.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(names, ["v1", "v2"]);
    assert_eq!(tags[0].source.read_text("src/a.md").unwrap(), "first");
    assert_eq!(tags[1].source.read_text("src/a.md").unwrap(), "second");
    assert_eq!(tags[1].commit, GitSource::open(&proj, "v2").unwrap().commit());
    assert_eq!(tags[1].commit.short().len(), 7);
    // No project folder in the tagged commit: no release of this project.
    std::fs::create_dir_all(d.path().join("later")).unwrap();
    assert!(release_tags(&d.path().join("later"), "v*").unwrap().is_empty());
}

#[test]
fn provenance_names_the_commit_and_dirty_sources() {
    let d = repo();
    let proj = d.path().join("sub/proj");
    let head = GitSource::open(&proj, "HEAD").unwrap().commit();
    let v1 = GitSource::open(&proj, "v1").unwrap().commit();
    assert_eq!(provenance(&proj, None, &["src"]), Provenance::Commit { id: head.clone(), dirty: false });
    std::fs::write(d.path().join("other.txt"), "changed outside the project").unwrap();
    assert_eq!(provenance(&proj, None, &["src"]), Provenance::Commit { id: head.clone(), dirty: false });
    std::fs::write(proj.join("src/new.md"), "untracked").unwrap();
    assert_eq!(provenance(&proj, None, &["src"]), Provenance::Commit { id: head, dirty: true });
    assert_eq!(provenance(&proj, Some("v1"), &["src"]), Provenance::Commit { id: v1, dirty: false });
    assert_eq!(provenance(&proj, Some("nope"), &["src"]), Provenance::UnknownRevision);
    let plain = tempfile::tempdir().unwrap();
    assert_eq!(provenance(plain.path(), None, &["src"]), Provenance::NoCommit);
}

/// Issue 10, problem 9: a tag on a blob or a tree is no release: skipped and reported, not an
/// unknown revision that blames a shallow clone.
#[test]
fn tags_on_blobs_and_trees_are_skipped_and_reported() {
    let d = repo();
    let proj = d.path().join("sub/proj");
    git(d.path(), &["tag", "v0-blob", "HEAD:other.txt"]);
    git(d.path(), &["tag", "-a", "v0-tree", "-m", "a folder", "HEAD:sub"]);
    let names: Vec<_> = release_tags(&proj, "v*").unwrap().into_iter().map(|t| t.tag).collect();
    assert_eq!(names, ["v1", "v2"]);
    let skipped: Vec<String> = skipped_tags(&proj, "v*").unwrap().iter().map(|m| m.to_string()).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].contains("v0-blob") && skipped[0].contains("a blob"), "{skipped:?}");
    assert!(skipped[1].contains("v0-tree") && skipped[1].contains("a tree"), "{skipped:?}");
    assert!(skipped.iter().all(|s| !s.contains("shallow")), "{skipped:?}");
}
