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

/// Runs the real `policybook` binary with `args` in `dir`, in the C locale (English messages,
/// whatever the locale of the machine running the tests).
pub fn policybook(dir: &Path, args: &[&str]) -> Output {
    policybook_in("C", dir, args)
}

/// Runs the real `policybook` binary with `args` in `dir` with `LANG=lang` (and no `LC_ALL` or
/// `LC_MESSAGES`): `ja_JP.UTF-8` for Japanese messages.
pub fn policybook_in(lang: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(args)
        .current_dir(dir)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run policybook")
}

/// Runs git in `dir` as a policy author (no signing), failing the test on an error.
pub fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=Policy Author", "-c", "user.email=author@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// Replaces the first `from` in the file at `path` with `to`, failing the test when it is absent.
pub fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} does not contain {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
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
         ## Title {r} {{#{r}-section .restricted .term}}\n\nBody {r} paragraph.\n\n| item | value |\n|---|---|\n| cell | {r} cell |\n\n\
         ## Title {i} {{#{i}-section .internal}}\n\nBody {i} paragraph.\n\n| item | value |\n|---|---|\n| cell | {i} cell |\n"
    )
}

/// The default project with canaries planted in the standards (a restricted and an internal
/// section with the canary in title, id, body and a table cell, the restricted one defining a
/// term (`.term`); restricted and internal containers inside a public section), in the
/// procedures, and in the termbase (`terms.yaml`: an internal and a restricted entry).
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
    append(
        &src.join("terms.yaml"),
        &format!(
            "\n- ja: 用語{CANARY_INTERNAL}\n  en: {CANARY_INTERNAL} term\n  classification: internal\n\n\
             - ja: 用語{CANARY_RESTRICTED}\n  en: {CANARY_RESTRICTED} term\n  classification: restricted\n"
        ),
    );
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

/// What policybook's library typesets from the inputs `--emit-typst` wrote into `emit` for the
/// PDF of folder `dir` (relative to `emit`): its `main.typ` and the files beside it, with the date
/// and standards of its line in `compile.sh`.
pub fn typeset_emitted(emit: &Path, dir: &str) -> Vec<u8> {
    use policybook::model::Date;
    use policybook::render::typeset::{compile_pdf, Fonts, PdfJob, Standards};
    let script = std::fs::read_to_string(emit.join("compile.sh")).unwrap();
    let line = script.lines().find(|l| l.contains(&format!("'{dir}/main.typ'"))).expect("a command for the folder");
    let secs: i64 = line.split("--creation-timestamp ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let standards =
        if line.contains(" --pdf-standard a-2b,ua-1 ") { Standards::ArchivalAccessible } else { Standards::None };
    let job_dir = emit.join(dir);
    let main = std::fs::read_to_string(job_dir.join("main.typ")).unwrap();
    let files: Vec<(String, Vec<u8>)> = files_below(&job_dir)
        .into_iter()
        .map(|p| (p.strip_prefix(&job_dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .filter(|(k, _)| k != "main.typ" && !k.ends_with(".pdf"))
        .collect();
    let date = Date::from_unix_days(secs / 86_400);
    let job = PdfJob { main: &main, files: &files, parts: &[], date, standards, keep_memo: false, reuse: None };
    compile_pdf(&job, &Fonts::shipped()).unwrap()
}

/// The output of a command-line tool (poppler-utils and the like), which must succeed.
pub fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed (scripts/setup installs it): {e}"));
    assert!(o.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

/// The words of a PDF page with their left edge and top, as `pdftotext -bbox` gives them.
pub fn words(pdf: &Path, page: usize) -> Vec<(f64, f64, String)> {
    let p = page.to_string();
    let html =
        String::from_utf8(tool("pdftotext", &["-bbox", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"])).unwrap();
    let attr = |l: &str, k: &str| -> f64 {
        let at = l.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
        l[at..at + l[at..].find('"').unwrap()].parse().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let text = &l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()];
            (attr(l, "xMin"), attr(l, "yMin"), text.to_string())
        })
        .collect()
}

/// The number of pages of a PDF, as pdfinfo reads it.
pub fn pages(pdf: &Path) -> usize {
    let info = String::from_utf8(tool("pdfinfo", &[pdf.to_str().unwrap()])).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// The number of images `pdfimages -list` finds in a PDF.
pub fn pdf_images(pdf: &Path) -> usize {
    let list = String::from_utf8(tool("pdfimages", &["-list", pdf.to_str().unwrap()])).unwrap();
    // Two header lines, then one line per image.
    list.lines().skip(2).filter(|l| !l.trim().is_empty()).count()
}

/// The default project in a git repository (one commit), with one sentence of the basic policy's
/// purpose edited in the working tree after its English was confirmed: that section is stale.
pub fn stale_default_project() -> tempfile::TempDir {
    let dir = default_project();
    let proj = dir.path();
    git(proj, &["init", "-q"]);
    git(proj, &["add", "-A"]);
    git(proj, &["commit", "-qm", "policy as adopted"]);
    edit(
        &proj.join("policy-source/basic-policy.ja.md"),
        "本基本方針は、本市が保有する",
        "本基本方針は、当市が保有する",
    );
    dir
}
