//! End-to-end tests of the PDF plan, pool and cache (issue 13): the cache copies what is
//! unchanged and typesets what changed, never crosses editions, and is invalidated by a template
//! or a font change; `--jobs` changes no byte; `--emit-typst` writes what the build typesets.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Runs a build; returns (typeset, copied from the cache) from the summary line.
fn build(dir: &Path, args: &[&str]) -> (usize, usize) {
    build_counting(dir, args).0
}

/// Runs a build; returns (typeset, taken from the cache) of the parts of long PDFs from the
/// summary line ((0, 0) without it).
fn build_parts(dir: &Path, args: &[&str]) -> (usize, usize) {
    build_counting(dir, args).1
}

/// Runs a build; returns the two counts of its summary: PDFs (typeset, copied from the cache)
/// and parts of long PDFs (typeset, taken from the cache).
fn build_counting(dir: &Path, args: &[&str]) -> ((usize, usize), (usize, usize)) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let o = policybook_in("C", dir, &all);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "policybook {all:?} failed:\n{err}");
    let counts = |head: &str| {
        let line = err.lines().find(|l| l.starts_with(head))?;
        let n: Vec<usize> = line.split(' ').filter_map(|w| w.trim_end_matches(',').parse().ok()).collect();
        Some((n[0], n[1]))
    };
    let pdfs = counts("PDFs: ").unwrap_or_else(|| panic!("no PDF line: {err}"));
    (pdfs, counts("parts of long PDFs: ").unwrap_or((0, 0)))
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
    for p in
        files_below(&out.join(".cache/pdf")).into_iter().filter(|p| !p.components().any(|c| c.as_os_str() == "parts"))
    {
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

/// The parts of each PDF typeset in parts in the cache: "edition/file" → the entries' names.
fn part_entries(out: &Path) -> BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut parts: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for p in files_below(&out.join(".cache/pdf")) {
        let rel: Vec<String> = p
            .strip_prefix(out.join(".cache/pdf"))
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if let [edition, dir, file, entry] = &rel[..] {
            assert_eq!(dir, "parts");
            parts.entry(format!("{edition}/{file}")).or_default().insert(entry.clone());
        }
    }
    parts
}

/// The PDFs below `a` and `b` are the same files with the same bytes.
fn same_pdfs(a: &Path, b: &Path, what: &str) {
    let (a, b) = (pdfs(a), pdfs(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}");
    let differ: Vec<&String> = a.iter().filter(|(k, v)| b[*k] != **v).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "{what}: other bytes than a build without the cache in {differ:?}");
}

/// A long document is typeset in parts, each kept in the cache: after a one-paragraph edit, each
/// PDF of the edited document lays out what the edit changed and takes the other parts from the
/// cache, and the joined bytes are those of a build without the cache. A torn part is typeset again.
#[test]
fn a_rebuild_after_an_edit_takes_the_unchanged_parts_from_the_cache_with_the_bytes_of_a_cold_build() {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    edit(&dir.join("book.toml"), "[pdf]\n", "[pdf]\npart-size = 4\n");
    let (typeset, kept) = build_parts(dir, &["--format", "pdf"]);
    let before = part_entries(&out);
    let all: usize = before.values().map(|p| p.len()).sum();
    assert_eq!((typeset, kept), (all, 0), "the first build typesets every part");
    for edition in ["public", "internal", "restricted"] {
        for lang in ["ja", "en", "parallel"] {
            let n = before.get(&format!("{edition}/standards.{lang}.pdf")).map_or(0, |p| p.len());
            // The front, its first layout, at least three body parts and the running heads.
            assert!(n >= 6, "{edition}/standards.{lang}.pdf: {n} parts in the cache");
        }
    }
    edit(
        &dir.join("policy-source/standards/05-physical.ja.md"),
        "次の措置を講じなければならない。",
        "次の措置を確実に講じなければならない。",
    );
    let (typeset, kept) = build_parts(dir, &["--format", "pdf"]);
    // The edited document's PDFs: typeset again, but most of their parts taken from the cache.
    assert!(typeset >= 9 && kept > 5 * typeset, "{typeset} parts typeset, {kept} taken from the cache");
    let after = part_entries(&out);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    let mut changed = 0;
    for (file, parts) in &after {
        let kept = parts.intersection(&before[file]).count();
        let new = parts.len() - kept;
        if file.contains("/standards.") {
            // The edited part is new (in English, the part whose section now says that its
            // Japanese is newer); the other parts, the contents and the running heads are taken
            // again, but for what a page more in that part moves: the contents' page numbers
            // and the running heads' total (the note does so in the restricted English).
            let most = if file.ends_with(".ja.pdf") { 1 } else { 3 };
            assert!((1..=most).contains(&new) && kept >= 5, "{file}: {new} parts typeset, {kept} taken from the cache");
            changed += 1;
        } else {
            assert_eq!(new, 0, "{file}: unchanged, but {new} parts typeset");
        }
    }
    assert_eq!(changed, 9, "the standards of three editions");
    // The same bytes as a build without the cache.
    let cold = dir.join("cold");
    build(dir, &["--format", "pdf", "--no-cache", "-o", cold.to_str().unwrap()]);
    same_pdfs(&out, &cold, "a rebuild from cached parts");
    // A heading renamed: the contents and the running heads, made from the headings, follow.
    let physical = dir.join("policy-source/standards/05-physical.ja.md");
    edit(&physical, "## サーバ等の管理 {", "## サーバ等の機器の管理 {");
    build(dir, &["--format", "pdf"]);
    build(dir, &["--format", "pdf", "--no-cache", "-o", cold.to_str().unwrap()]);
    same_pdfs(&out, &cold, "a heading renamed");
    // A torn part, and the PDF's own entry gone: typeset again, the same bytes.
    let part_dir = out.join(".cache/pdf/public/parts/standards.ja.pdf");
    let torn = files_below(&part_dir).into_iter().next().unwrap();
    let mut bytes = std::fs::read(&torn).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::write(&torn, &bytes).unwrap();
    for f in files_below(&out.join(".cache/pdf/public")) {
        if f.parent() == Some(&out.join(".cache/pdf/public")) {
            std::fs::remove_file(f).unwrap();
        }
    }
    let (typeset, kept) = build_parts(dir, &["--format", "pdf"]);
    assert_eq!(typeset, 1, "only the torn part typeset again ({kept} taken from the cache)");
    assert_ne!(std::fs::read(&torn).unwrap(), bytes, "the torn part stored again");
    same_pdfs(&out, &cold, "a torn part");
}

/// A body part's bytes do not depend on where it starts: an edit that adds pages to the first
/// chapter typesets that part, the contents (whose page numbers moved) and the running heads
/// (the total moved), and takes every later part from the cache, with the bytes of a cold build.
#[test]
fn an_edit_that_adds_pages_leaves_the_later_parts_in_the_cache() {
    let project = default_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    // Parts of 1 KiB: a chapter each (greedy groups of several chapters could move a boundary
    // when a chapter grows, and a part that gains a chapter is typeset again).
    edit(&dir.join("book.toml"), "[pdf]\n", "[pdf]\npart-size = 1\n");
    let args = ["--format", "pdf", "--edition", "public"];
    build_parts(dir, &args);
    let before = part_entries(&out);
    let pdf = out.join("public/pdf/standards.ja.pdf");
    let pages_before = pages(&pdf);
    let added = "この文は、頁を加えるための試験の文である。".repeat(120);
    edit(
        &dir.join("policy-source/standards/01-scope.ja.md"),
        "に定めるところによる。\n",
        &format!("に定めるところによる。{added}\n"),
    );
    build_parts(dir, &args);
    assert!(pages(&pdf) >= pages_before + 2, "the edit adds pages: {pages_before} → {}", pages(&pdf));
    let after = part_entries(&out);
    let (old, new) = (&before["public/standards.ja.pdf"], &after["public/standards.ja.pdf"]);
    let typeset = new.difference(old).count();
    // The edited part, the contents and the running heads; every other part as it was.
    assert!(old.len() >= 6 && new.len() == old.len(), "{} parts, then {}", old.len(), new.len());
    assert!(typeset <= 3, "{typeset} of {} parts typeset again", new.len());
    let cold = dir.join("cold");
    build(dir, &["--format", "pdf", "--edition", "public", "--no-cache", "-o", cold.to_str().unwrap()]);
    same_pdfs(&out.join("public"), &cold.join("public"), "a rebuild after pages were added");
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
/// The text poppler reads in the PDF an entry of the cache holds (a whole PDF, or a part's: one
/// line of what the join needs, then the PDF), with the file's objects uncompressed by qpdf.
fn entry_text(f: &Path) -> Option<String> {
    let raw = std::fs::read(f).unwrap();
    let at = if raw.starts_with(b"%PDF") { 0 } else { raw.iter().position(|&b| b == b'\n')? + 1 };
    if !raw[at..].starts_with(b"%PDF") {
        return None;
    }
    let pdf = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(pdf.path(), &raw[at..]).unwrap();
    let mut text = String::from_utf8(tool("pdftotext", &[pdf.path().to_str().unwrap(), "-"])).unwrap();
    let tmp = tempfile::NamedTempFile::new().unwrap();
    tool("qpdf", &["--qdf", "--object-streams=disable", pdf.path().to_str().unwrap(), tmp.path().to_str().unwrap()]);
    text.push_str(&String::from_utf8_lossy(&std::fs::read(tmp.path()).unwrap()));
    Some(text)
}

fn assert_no_canary(dir: &Path, canaries: &[&str]) {
    for f in files_below(dir) {
        let mut hay = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        hay.push_str(&entry_text(&f).unwrap_or_default());
        for c in canaries {
            assert!(!hay.contains(c), "{c} in {}", f.display());
        }
    }
}

#[test]
fn the_cache_never_serves_one_editions_pdf_to_another() {
    cache_never_crosses_editions(false);
}

/// The same with every document typeset in parts, each part kept in its edition's cache.
#[test]
fn the_cache_never_serves_one_editions_part_to_another() {
    cache_never_crosses_editions(true);
}

fn cache_never_crosses_editions(parts: bool) {
    let project = canary_project();
    let (dir, out) = (project.path(), project.path().join("output"));
    if parts {
        edit(&dir.join("book.toml"), "[pdf]\n", "[pdf]\npart-size = 1\n");
    }
    let canaries = [CANARY_RESTRICTED, CANARY_INTERNAL, CANARY_PROCEDURES];
    build(dir, &["--format", "pdf", "--edition", "restricted"]);
    let (public_total, _) = build(dir, &["--format", "pdf", "--edition", "public"]);
    assert_no_canary(&out.join("public"), &canaries);
    assert_no_canary(&out.join(".cache/pdf/public"), &canaries);
    // Positive control: the restricted cache holds the canary (in a part's entry, with parts).
    let restricted: Vec<_> = files_below(&out.join(".cache/pdf/restricted"));
    let holds = |f: &&std::path::PathBuf| entry_text(f).is_some_and(|t| t.contains(CANARY_RESTRICTED));
    let standards = restricted.iter().find(holds).expect("a restricted cache entry holds the canary");
    let part = restricted.iter().filter(|f| f.to_string_lossy().contains("/parts/")).find(holds);
    assert_eq!(part.is_some(), parts, "{}", standards.display());
    // Forged: a restricted entry (a part's, with parts) copied over every public entry's name.
    let forged = part.unwrap_or(standards);
    for f in files_below(&out.join(".cache/pdf/public")) {
        std::fs::copy(forged, &f).unwrap();
    }
    let (pdfs, (_, kept)) = build_counting(dir, &["--format", "pdf", "--edition", "public"]);
    assert_eq!((pdfs, kept), ((public_total, 0), 0), "no forged entry used");
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
