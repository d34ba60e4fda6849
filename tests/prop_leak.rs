//! No leak, by property tests (issue 10): random projects (see `prop_leak/gen.rs`) with a canary
//! in every piece of content, built and compared, and every output of every edition searched. No
//! canary above the edition's ceiling may appear anywhere; every canary the edition holds must
//! appear in the outputs that show its kind (else the test could not fail).
//!
//! The build (`build --all-releases`: every edition, HTML with the archive, search index and
//! sitemap, PDFs) runs through the library façade, `Book::open(..).check()` then
//! `book::build::build`, which returns the files in memory (what the CLI writes, without the
//! synced writes); `diff`, `history` and the error messages run the real binary.
//!
//! `PROPTEST_CASES` (default 256) sets the number of cases; `PROP_LEAK_PDF_EVERY` (default 3) makes
//! PDFs (the build's and `diff --format pdf`) in one case of so many, drawn at random (a failing
//! case keeps its draw while it shrinks);
//! `PROP_LEAK_KEEP=DIR` keeps the project of a failing case.

mod common;
#[path = "prop_leak/gen.rs"]
mod gen;

use common::{files_below, policybook, stderr};
use gen::{Canary, Kind, Project, LEVELS};
use policybook::book::{build, Book};
use policybook::config::Format;
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, TestCaseError};
use std::path::Path;
use std::process::Output;

/// One output to search: what it is, and its text.
struct Hay {
    name: String,
    text: String,
}

impl Hay {
    fn new(name: impl Into<String>, bytes: &[u8]) -> Hay {
        Hay { name: name.into(), text: String::from_utf8_lossy(bytes).into_owned() }
    }

    /// PDF bytes: also the text of UTF-16 strings (NUL bytes dropped) and of hex strings.
    fn pdf(name: impl Into<String>, bytes: &[u8]) -> Hay {
        let mut h = Hay::new(name, bytes);
        let stripped: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
        h.text.push_str(&String::from_utf8_lossy(&stripped));
        let mut decoded = Vec::new();
        for part in h.text.split('<').skip(1) {
            let hex = part.split('>').next().unwrap_or_default();
            if hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                let b = (0..hex.len()).step_by(2).filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok());
                decoded.extend(b.filter(|&b| b != 0));
                decoded.push(b' ');
            }
        }
        h.text.push_str(&String::from_utf8_lossy(&decoded));
        h
    }
}

/// No canary above `ceiling` in any of `hays`.
fn none_above(hays: &[Hay], ceiling: usize, canaries: &[Canary]) -> Result<(), TestCaseError> {
    for h in hays {
        for c in canaries.iter().filter(|c| c.level > ceiling) {
            prop_assert!(
                !h.text.contains(&c.text),
                "{} ({} edition) shows {} ({:?}, {})",
                h.name,
                LEVELS[ceiling],
                c.text,
                c.kind,
                LEVELS[c.level]
            );
        }
    }
    Ok(())
}

/// Every canary at or below `ceiling` that `shown` selects appears in one of `hays`.
fn all_shown(
    hays: &[Hay],
    what: &str,
    ceiling: usize,
    canaries: &[Canary],
    shown: impl Fn(&Canary) -> bool,
) -> Result<(), TestCaseError> {
    for c in canaries.iter().filter(|c| c.level <= ceiling && shown(c)) {
        prop_assert!(
            hays.iter().any(|h| h.text.contains(&c.text)),
            "{what} of the {} edition lacks {} ({:?}, {})",
            LEVELS[ceiling],
            c.text,
            c.kind,
            LEVELS[c.level]
        );
    }
    Ok(())
}

/// A PDF as text (pdftotext, lines joined), and as decompressed bytes (`qpdf --qdf`: content,
/// metadata, outline, structure tree) and raw bytes.
fn pdf_hays(pdf: &Path, name: &str) -> (Hay, [Hay; 2]) {
    let p = pdf.to_str().unwrap();
    let text = String::from_utf8_lossy(&common::tool("pdftotext", &[p, "-"])).replace("-\n", "").replace('\n', "");
    let qdf = common::tool("qpdf", &["--qdf", "--object-streams=disable", p, "-"]);
    let raw = std::fs::read(pdf).unwrap();
    (
        Hay { name: format!("{name} (pdftotext)"), text },
        [Hay::pdf(format!("{name} (qpdf --qdf)"), &qdf), Hay::pdf(format!("{name} (bytes)"), &raw)],
    )
}

fn ok(o: &Output, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(o.status.success(), "{what}: {}", stderr(o));
    Ok(())
}

fn read_kind(k: Kind) -> bool {
    matches!(k, Kind::Text | Kind::Heading | Kind::DocTitle)
}

/// What the site of an edition shows: all but figure file names (published by digest), and a
/// release's name where the release changed what the edition shows (every release here does,
/// at the level of its tag's canary).
fn on_site(c: &Canary) -> bool {
    c.kind != Kind::File
}

/// The built editions (every format, with the archive), each file and its path searched.
fn check_build(p: &Project, c: &[Canary], pdf: bool) -> Result<(), TestCaseError> {
    let checked = Book::open(p.root(), None)
        .unwrap()
        .check()
        .map_err(|r| TestCaseError::fail(format!("the generated project has errors: {:#?}", r.diagnostics())))?;
    let formats = if pdf { vec![] } else { vec![Format::Html] };
    let req = build::Request { editions: vec![], formats, all_releases: true, ..Default::default() };
    let outputs = build::build(&checked, &req).map_err(|e| TestCaseError::fail(format!("build: {e}")))?;
    let pdfs = p.root().join("pdfs");
    std::fs::create_dir(&pdfs).unwrap();
    let results: Vec<Result<(), TestCaseError>> = std::thread::scope(|s| {
        let jobs: Vec<_> = (0..LEVELS.len())
            .map(|e| {
                let (outputs, pdfs) = (&outputs, &pdfs);
                s.spawn(move || {
                    let built = outputs.built.iter().filter(|b| b.dir.starts_with(&format!("{}/", LEVELS[e])));
                    check_edition(built, e, c, pdfs)
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    results.into_iter().collect()
}

fn check_edition<'a>(
    built: impl Iterator<Item = &'a build::Built>,
    e: usize,
    c: &[Canary],
    pdfs: &Path,
) -> Result<(), TestCaseError> {
    let (mut html, mut index, mut pdf_text, mut pdf_bytes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for b in built {
        for (name, bytes) in &b.files {
            let name = format!("{}/{name}", b.dir);
            let path = Hay::new(format!("{name} (path)"), name.as_bytes());
            if name.ends_with(".pdf") {
                let f = pdfs.join(name.replace('/', "_"));
                std::fs::write(&f, bytes).unwrap();
                let (t, b) = pdf_hays(&f, &name);
                pdf_text.push(t);
                pdf_bytes.extend(b);
                pdf_bytes.push(path);
            } else {
                if name.ends_with("search-index.json") {
                    index.push(Hay::new(name.clone(), bytes));
                }
                html.push(Hay::new(name, bytes));
                html.push(path);
            }
        }
    }
    for hays in [&html, &pdf_text, &pdf_bytes] {
        none_above(hays, e, c)?;
    }
    all_shown(&html, "the HTML site", e, c, on_site)?;
    all_shown(&index, "the search index", e, c, |c| c.kind == Kind::Heading)?;
    if !pdf_text.is_empty() {
        all_shown(&pdf_text, "the PDF text", e, c, |c| read_kind(c.kind))?;
        // The metadata (document title, as a UTF-16 hex string): decoding must work.
        let meta: Vec<Hay> = pdf_bytes.into_iter().filter(|h| h.name.ends_with("(qpdf --qdf)")).collect();
        all_shown(&meta, "the PDF metadata", e, c, |c| c.kind == Kind::DocTitle)?;
    }
    Ok(())
}

/// `diff` from the first release to the working tree in every format, and `history`, of one
/// edition in one language.
fn check_commands(dir: &Path, e: usize, lang: &str, c: &[Canary], pdf: bool) -> Result<(), TestCaseError> {
    let (name, ja) = (LEVELS[e], lang == "ja");
    let changed = |c: &Canary| c.changed && c.ja == Some(ja) && matches!(c.kind, Kind::Text | Kind::Heading);
    for format in ["text", "json", "html"] {
        let o = policybook(dir, &["diff", "policy-1", "--edition", name, "--lang", lang, "--format", format]);
        ok(&o, "diff")?;
        let hays = [Hay::new(format!("diff --format {format} --lang {lang}"), &o.stdout)];
        none_above(&hays, e, c)?;
        none_above(&[Hay::new("diff (stderr)", &o.stderr)], e, c)?;
        all_shown(&hays, &hays[0].name, e, c, changed)?;
    }
    if pdf {
        let file = dir.join(format!("diff-{name}-{lang}.pdf"));
        let args = ["diff", "policy-1", "--edition", name, "--lang", lang, "--format", "pdf", "-o"];
        let o = policybook(dir, &[&args[..], &[file.to_str().unwrap()]].concat());
        ok(&o, "diff --format pdf")?;
        let (t, b) = pdf_hays(&file, &format!("diff --format pdf --lang {lang}"));
        none_above(&b, e, c)?;
        let t = [t];
        none_above(&t, e, c)?;
        all_shown(&t, "diff --format pdf", e, c, changed)?;
    }
    let o = policybook(dir, &["history", "--edition", name, "--lang", lang]);
    ok(&o, "history --edition")?;
    let h = [Hay::new(format!("history --edition {name} --lang {lang}"), &[o.stdout, o.stderr].concat())];
    none_above(&h, e, c)?;
    all_shown(&h, "history", e, c, |c| c.kind == Kind::Tag || (c.kind == Kind::DocTitle && c.ja == Some(ja)))
}

/// Every edition and language at once (two cores).
fn check_all_commands(p: &Project, c: &[Canary], pdf: bool) -> Result<(), TestCaseError> {
    let results: Vec<Result<(), TestCaseError>> = std::thread::scope(|s| {
        let jobs: Vec<_> = (0..LEVELS.len())
            .flat_map(|e| ["ja", "en"].map(|lang| (e, lang)))
            .map(|(e, lang)| s.spawn(move || check_commands(p.root(), e, lang, c, pdf)))
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    results.into_iter().collect()
}

/// The messages of commands that speak for an edition: asked for a document it does not hold,
/// and on sources made invalid by a broken reference in restricted content.
fn check_messages(p: &Project, c: &[Canary]) -> Result<(), TestCaseError> {
    let dir = p.root();
    let mut c = c.to_vec();
    for (e, name) in LEVELS.iter().enumerate() {
        for args in [
            vec!["history", "--edition", name, "--doc", "nothing"],
            vec!["diff", "policy-1", "--edition", name, "--doc", "nothing"],
        ] {
            let o = policybook(dir, &args);
            prop_assert_eq!(o.status.code(), Some(2), "{:?}: {}", args, stderr(&o));
            let hays = [Hay::new(format!("{args:?}"), &[o.stdout, o.stderr].concat())];
            none_above(&hays, e, &c)?;
            // The message lists the documents the edition holds (in the working tree).
            all_shown(&hays, &hays[0].name, e, &c, |c| c.kind == Kind::Id && c.doc)?;
        }
    }
    let src = dir.join("policy-source");
    let first = files_below(&src).into_iter().find(|f| f.to_string_lossy().ends_with(".ja.md")).unwrap();
    let n = c.len();
    let [id, title, missing] = [n, n + 1, n + 2].map(|i| format!("zqr{i:04}k"));
    for (i, t) in [&id, &title, &missing].into_iter().enumerate() {
        let kind = if i == 1 { Kind::Heading } else { Kind::Id };
        c.push(Canary { text: t.clone(), level: 2, kind, ja: Some(true), changed: false, doc: false });
    }
    let mut text = std::fs::read_to_string(&first).unwrap();
    text.push_str(&format!("# 壊れた参照{title} {{#{id} .restricted}}\n\n参照[](#{missing})。\n"));
    std::fs::write(&first, text).unwrap();
    let o = policybook(dir, &["check"]);
    prop_assert_eq!(o.status.code(), Some(1), "the broken reference is an error: {}", stderr(&o));
    prop_assert!(stderr(&o).contains(&missing) || common::stdout(&o).contains(&missing), "check names it");
    for (e, name) in LEVELS.iter().enumerate() {
        for args in [
            vec!["history", "--edition", name],
            vec!["diff", "policy-1", "--edition", name, "--format", "json"],
            vec!["diff", "HEAD", "--edition", name, "--format", "text"],
        ] {
            let o = policybook(dir, &args);
            let hays = [Hay::new(format!("{args:?} on broken sources"), &[o.stdout, o.stderr].concat())];
            none_above(&hays, e, &c)?;
        }
    }
    Ok(())
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: env("PROPTEST_CASES", 256) as u32,
        max_shrink_iters: 256,
        // A failing case is saved beside this file and run first next time.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_canary_above_the_ceiling_and_every_allowed_one(
        spec in gen::spec(),
        pdf in prop::bool::weighted(1.0 / env("PROP_LEAK_PDF_EVERY", 3).max(1) as f64),
    ) {
        let p = Project::write(&spec);
        let c = &p.canaries;
        let result = check_build(&p, c, pdf).and_then(|_| check_all_commands(&p, c, pdf)).and_then(|_| check_messages(&p, c));
        if result.is_err() {
            if let Some(to) = gen::keep(&p) {
                eprintln!("kept the failing project in {}", to.display());
            }
        }
        result?;
    }
}

/// The generator writes what it says: a folder document as chapter files, an untranslated one
/// without English, a project that `check` accepts.
#[test]
fn the_generator_writes_folders_and_untranslated_documents() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut spec = gen::spec().new_tree(&mut runner).unwrap().current();
    spec.docs.truncate(1);
    let doc = &mut spec.docs[0];
    (doc.level, doc.folder, doc.english) = (0, true, false);
    doc.sections = vec![gen::Section { level: 0, blocks: vec![gen::Block::Para], children: vec![] }; 2];
    spec.changes = spec.changes.clone().map(|c| gen::Change { level: 0, ..c });
    let p = Project::write(&spec);
    let id = &p.canaries.iter().find(|c| c.doc).unwrap().text;
    let dir = p.root().join("policy-source").join(id);
    // Two sections, then one per release: four chapter files.
    let chapters =
        std::fs::read_dir(&dir).unwrap().filter(|e| e.as_ref().unwrap().file_name() != "index.ja.md").count();
    assert!(dir.join("index.ja.md").is_file() && chapters == 4, "{chapters}");
    assert!(!dir.join("index.en.md").exists() && !p.canaries.iter().any(|c| c.ja == Some(false)));
    let o = policybook(p.root(), &["check"]);
    assert!(o.status.success() && stderr(&o).contains("untranslated"), "{}", stderr(&o));
}
