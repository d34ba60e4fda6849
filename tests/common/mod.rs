//! Shared helpers of the end-to-end tests: the real binary, copies of the default project, and a
//! project with canary strings planted in internal and restricted content.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Planted in restricted content (title, body, id, table cell, container): must appear only in
/// the restricted edition.
pub const CANARY_RESTRICTED: &str = "zqcanaryrestricted";
/// Planted in internal content: must appear only in the internal and restricted editions.
pub const CANARY_INTERNAL: &str = "zqcanaryinternal";
/// Planted in the procedures (a restricted document).
pub const CANARY_PROCEDURES: &str = "zqcanaryprocedures";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real `policybook` binary with `args` in `dir`.
pub fn policybook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policybook")).args(args).current_dir(dir).output().expect("run policybook")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A copy of the default project (book.toml and policy-source/, plus templates/ if present) in a
/// temporary folder.
pub fn default_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    std::fs::copy(root.join("book.toml"), dir.path().join("book.toml")).unwrap();
    copy_dir(&root.join("policy-source"), &dir.path().join("policy-source"));
    dir
}

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

fn canary_sections(r: &str, i: &str, ja: bool) -> String {
    let (host, body) =
        if ja { ("公開の節", "公開される本文。") } else { ("A public section", "Public text.") };
    format!(
        "\n## {host} {{#canary-public-host}}\n\n{body}\n\n::: restricted\n\nContainer {r} body.\n\n:::\n\n\
         ::: internal\n\nContainer {i} body.\n\n:::\n\n\
         ## Title {r} {{#{r}-section .restricted}}\n\nBody {r} paragraph.\n\n| item | value |\n|---|---|\n| cell | {r} cell |\n\n\
         ## Title {i} {{#{i}-section .internal}}\n\nBody {i} paragraph.\n\n| item | value |\n|---|---|\n| cell | {i} cell |\n"
    )
}

/// The default project with canaries planted in the standards (a restricted and an internal
/// section with the canary in title, id, body and a table cell; restricted and internal
/// containers inside a public section) and in the procedures.
pub fn canary_project() -> tempfile::TempDir {
    let dir = default_project();
    let src = dir.path().join("policy-source");
    for (file, ja) in [("standards/07-technical.ja.md", true), ("standards/07-technical.en.md", false)] {
        append(&src.join(file), &canary_sections(CANARY_RESTRICTED, CANARY_INTERNAL, ja));
    }
    for file in ["procedures.ja.md", "procedures.en.md"] {
        append(
            &src.join(file),
            &format!("\n# {CANARY_PROCEDURES} {{#{CANARY_PROCEDURES}}}\n\n{CANARY_PROCEDURES} text.\n"),
        );
    }
    dir
}

/// Every file below `dir`, recursively.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_below(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
