//! End-to-end tests of the PDF plan, pool and cache (issue 13): the cache copies what is
//! unchanged and typesets what changed, never crosses editions, and is invalidated by a template
//! or a font change; `--jobs` changes no byte; `--emit-typst` writes what the build typesets.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Runs a build; returns (typeset, copied from the cache) from the summary line.
fn build(dir: &Path, args: &[&str]) -> (usize, usize) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let o = policybook_in("C", dir, &all);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "policybook {all:?} failed:\n{err}");
    let line = err.lines().find(|l| l.starts_with("PDFs: ")).unwrap_or_else(|| panic!("no PDF line: {err}"));
    let n: Vec<usize> = line.split(' ').filter_map(|w| w.trim_end_matches(',').parse().ok()).collect();
    (n[0], n[1])
}

/// Every file below `dir` (relative path → bytes), the cache left out.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir)
        .into_iter()
        .map(|p| (p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .filter(|(k, _)| !k.starts_with(".cache/"))
        .collect()
}

fn pdfs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir).into_iter().filter(|(k, _)| k.ends_with(".pdf")).collect()
}

/// The entries of the PDF cache: edition → file names.
fn cache_entries(out: &Path) -> BTreeMap<String, Vec<String>> {
    let mut entries: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in files_below(&out.join(".cache/pdf")) {
        let edition = p.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        entries.entry(edition).or_default().push(p.file_name().unwrap().to_string_lossy().into_owned());
    }
    entries.values_mut().for_each(|v| v.sort());
    entries
}

/// The number of PDFs of each edition in the output.
fn pdfs_per_edition(out: &Path) -> BTreeMap<String, usize> {
    let mut n = BTreeMap::new();
    for k in pdfs(out).keys() {
        *n.entry(k.split('/').next().unwrap().to_string()).or_insert(0) += 1;
    }
    n
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_second_build_typesets_nothing_and_an_edit_only_its_document() {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    let (typeset, cached) = build(dir, &["--format", "pdf"]);
    let total = pdfs(&out).len();
    assert_eq!((typeset, cached), (total, 0));
    let first = pdfs(&out);
    assert_eq!(build(dir, &["--format", "pdf"]), (0, total), "the second build copies every PDF");
    assert_eq!(pdfs(&out), first, "copied PDFs are the typeset ones");
    // One paragraph of the basic policy: only its PDFs are typeset again.
    edit(&dir.join("policy-source/basic-policy.ja.md"), "拡大している。", "拡大し続けている。");
    let (typeset, cached) = build(dir, &["--format", "pdf"]);
    let basic = first.keys().filter(|k| k.contains("/basic-policy.")).count();
    assert!(typeset >= 3 && typeset <= basic, "{typeset} typeset, {basic} basic-policy PDFs");
    assert_eq!(typeset + cached, total);
    let now = pdfs(&out);
    for (k, v) in &first {
        // The English PDF may change too: its Japanese is now newer than the translation.
        let changes = k.contains("/basic-policy.") && (k.ends_with(".ja.pdf") || k.ends_with(".parallel.pdf"));
        let other = !k.contains("/basic-policy.");
        assert!(
            if changes {
                now[k] != *v
            } else if other {
                now[k] == *v
            } else {
                true
            },
            "{k}"
        );
    }
    // Without the cache: every PDF typeset, the same bytes.
    assert_eq!(build(dir, &["--format", "pdf", "--no-cache"]), (total, 0));
    assert_eq!(pdfs(&out), now);
}

#[test]
fn the_cache_keeps_only_the_pdfs_of_each_editions_last_build() {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    let counts = |entries: &BTreeMap<String, Vec<String>>| -> BTreeMap<String, usize> {
        entries.iter().map(|(e, v)| (e.clone(), v.len())).collect()
    };
    build(dir, &["--format", "pdf"]);
    let per_edition = pdfs_per_edition(&out);
    assert_eq!(per_edition.len(), 3, "{per_edition:?}");
    let first = cache_entries(&out);
    assert_eq!(counts(&first), per_edition, "one entry per PDF");
    // After an edit the replaced PDFs' entries go: one entry per PDF still.
    edit(&dir.join("policy-source/basic-policy.ja.md"), "拡大している。", "拡大し続けている。");
    let (typeset, _) = build(dir, &["--format", "pdf"]);
    assert!(typeset >= 3, "{typeset}");
    let second = cache_entries(&out);
    assert_eq!(counts(&second), per_edition, "old entries removed");
    assert_ne!(second, first);
    // A build of one edition prunes only that edition's folder; an HTML build touches nothing.
    edit(&dir.join("policy-source/basic-policy.ja.md"), "拡大し続けている。", "拡大している。");
    build(dir, &["--format", "pdf", "--edition", "public"]);
    let third = cache_entries(&out);
    assert_eq!(third["public"].len(), per_edition["public"]);
    assert_eq!(third["public"], first["public"], "the same sources, the same keys");
    assert_eq!(third["internal"], second["internal"]);
    assert_eq!(third["restricted"], second["restricted"]);
    let o = policybook_in("C", dir, &["build", "--format", "html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(cache_entries(&out), third);
}

#[test]
fn a_template_or_a_font_change_invalidates_the_cache() {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    let args = ["--format", "pdf", "--edition", "public"];
    let (total, _) = build(dir, &args);
    assert_eq!(build(dir, &args), (0, total));
    // A project template, the built-in one with a comment: every PDF again.
    let common = std::fs::read_to_string(repo_root().join("templates/pdf/common.typ")).unwrap();
    std::fs::create_dir_all(dir.join("templates/pdf")).unwrap();
    std::fs::write(dir.join("templates/pdf/common.typ"), format!("{common}\n// a project's own copy\n")).unwrap();
    assert_eq!(build(dir, &args), (total, 0), "a template change");
    assert_eq!(build(dir, &args), (0, total));
    // A project font (a copy of a shipped one, under another name): every PDF again.
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    std::fs::copy(repo_root().join("fonts/ipaexg.ttf"), dir.join("fonts/own.ttf")).unwrap();
    edit(&dir.join("book.toml"), "[pdf]\n", "[pdf]\nfonts = \"fonts\"\n");
    assert_eq!(build(dir, &args), (total, 0), "a font change");
    assert_eq!(build(dir, &args), (0, total));
    assert!(out.join(".cache/pdf/public").is_dir());
    // clean removes the cache; --all the edition folders too.
    let o = policybook_in("C", dir, &["clean"]);
    assert!(o.status.success() && !out.join(".cache").exists(), "{}", stderr(&o));
    assert!(out.join("public/pdf").is_dir());
    assert_eq!(build(dir, &args), (total, 0));
    let o = policybook_in("C", dir, &["clean", "--all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_below(&out), Vec::<std::path::PathBuf>::new(), "{}", stderr(&o));
}

/// The PDFs' text and decompressed bytes, and the raw bytes of every file below `dir`, hold none
/// of `canaries`.
fn assert_no_canary(dir: &Path, canaries: &[&str]) {
    for f in files_below(dir) {
        let raw = std::fs::read(&f).unwrap();
        let mut hay = String::from_utf8_lossy(&raw).into_owned();
        if raw.starts_with(b"%PDF") {
            hay.push_str(&String::from_utf8(tool("pdftotext", &[f.to_str().unwrap(), "-"])).unwrap());
            let tmp = tempfile::NamedTempFile::new().unwrap();
            tool("qpdf", &["--qdf", "--object-streams=disable", f.to_str().unwrap(), tmp.path().to_str().unwrap()]);
            hay.push_str(&String::from_utf8_lossy(&std::fs::read(tmp.path()).unwrap()));
        }
        for c in canaries {
            assert!(!hay.contains(c), "{c} in {}", f.display());
        }
    }
}

#[test]
fn the_cache_never_serves_one_editions_pdf_to_another() {
    let project = canary_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    let canaries = [CANARY_RESTRICTED, CANARY_INTERNAL, CANARY_PROCEDURES];
    build(dir, &["--format", "pdf", "--edition", "restricted"]);
    let (public_total, _) = build(dir, &["--format", "pdf", "--edition", "public"]);
    assert_no_canary(&out.join("public"), &canaries);
    assert_no_canary(&out.join(".cache/pdf/public"), &canaries);
    // Positive control: the restricted cache holds the canary.
    let restricted: Vec<_> = files_below(&out.join(".cache/pdf/restricted"));
    let standards = restricted
        .iter()
        .find(|f| {
            String::from_utf8(tool("pdftotext", &[f.to_str().unwrap(), "-"])).unwrap().contains(CANARY_RESTRICTED)
        })
        .expect("a restricted cache entry holds the canary");
    // Forged: the restricted entry copied over every public entry's name.
    for f in files_below(&out.join(".cache/pdf/public")) {
        std::fs::copy(standards, &f).unwrap();
    }
    assert_eq!(build(dir, &["--format", "pdf", "--edition", "public"]), (public_total, 0), "no forged entry used");
    assert_no_canary(&out.join("public"), &canaries);
    assert_no_canary(&out.join(".cache/pdf/public"), &canaries);
}

#[test]
fn jobs_change_no_byte() {
    let project = default_project();
    let dir = project.path();
    let (a, b) = (dir.join("one"), dir.join("many"));
    build(dir, &["--no-cache", "-j", "1", "-o", a.to_str().unwrap()]);
    build(dir, &["--no-cache", "--jobs", "3", "-o", b.to_str().unwrap()]);
    let (one, many) = (tree(&a), tree(&b));
    assert!(one.keys().filter(|k| k.ends_with(".pdf")).count() >= 9);
    assert_eq!(one.keys().collect::<Vec<_>>(), many.keys().collect::<Vec<_>>());
    for (k, v) in &one {
        assert!(many[k] == *v, "{k} differs between --jobs 1 and --jobs 3");
    }
}

/// A document's editions are typeset one after another on one worker, Typst's memo kept from one
/// to the next: the bytes are those of each edition typeset alone, and the running heads still
/// show each edition's own marking.
#[test]
fn editions_typeset_together_give_the_bytes_of_each_alone() {
    let project = default_project();
    let dir = project.path();
    let together = dir.join("together");
    build(dir, &["--no-cache", "--format", "pdf", "-j", "1", "-o", together.to_str().unwrap()]);
    let together = pdfs(&together);
    let mut alone = BTreeMap::new();
    for edition in ["public", "internal", "restricted"] {
        let out = dir.join(format!("alone-{edition}"));
        build(dir, &["--no-cache", "--format", "pdf", "--edition", edition, "-o", out.to_str().unwrap()]);
        alone.extend(pdfs(&out));
    }
    assert!(together.len() >= 18, "{}", together.len());
    assert_eq!(together.keys().collect::<Vec<_>>(), alone.keys().collect::<Vec<_>>());
    for (k, v) in &together {
        assert!(alone[k] == *v, "{k}: typeset beside its other editions, other bytes than alone");
    }
    // Each edition's marking in the running heads of a page of the body (page 3).
    let page = |f: &str| {
        let path = dir.join("together").join(f);
        String::from_utf8(tool("pdftotext", &["-f", "3", "-l", "3", path.to_str().unwrap(), "-"])).unwrap()
    };
    let marks = ["機密性2 庁内限り", "機密性3 関係者限り"];
    let shown = |f: &str| marks.iter().filter(|m| page(f).replace(' ', "").contains(&m.replace(' ', ""))).count();
    assert_eq!(shown("public/pdf/basic-policy.ja.pdf"), 0);
    assert!(page("internal/pdf/basic-policy.ja.pdf").replace(' ', "").contains("機密性2庁内限り"));
    assert!(page("restricted/pdf/basic-policy.ja.pdf").replace(' ', "").contains("機密性3関係者限り"));
    assert_eq!(shown("restricted/pdf/basic-policy.ja.pdf"), 1);
}

#[test]
fn emitted_inputs_typeset_through_the_library_give_the_built_bytes() {
    let project = canary_project();
    let (dir, emit) = (project.path(), project.path().join("emitted"));
    build(dir, &["--format", "pdf"]);
    let o = policybook_in("C", dir, &["build", "--edition", "public", "--emit-typst", emit.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_no_canary(&emit, &[CANARY_RESTRICTED, CANARY_INTERNAL, CANARY_PROCEDURES]);
    let script = std::fs::read_to_string(emit.join("compile.sh")).unwrap();
    let built = pdfs(&dir.join("output/public/pdf"));
    assert_eq!(script.lines().filter(|l| l.starts_with("\"$TYPST\" compile ")).count(), built.len());
    assert!(emit.join("fonts/ipaexm.ttf").is_file() && emit.join("fonts/ipaexg.ttf").is_file());
    for (file, bytes) in &built {
        let stem = file.strip_suffix(".pdf").unwrap();
        let line = script.lines().find(|l| l.contains(&format!("'public/{stem}/main.typ'"))).unwrap();
        assert!(line.contains("--pdf-standard a-2b,ua-1"), "{line}");
        let again = typeset_emitted(&emit, &format!("public/{stem}"));
        assert!(again == *bytes, "{file}: the emitted input gives other bytes");
    }
}
