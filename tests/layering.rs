//! The pipeline runs one way, and the renderers are siblings: these tests read the sources and
//! fail when a module imports one that comes later in the pipeline, or a sibling renderer. The
//! types hold the rest (a renderer takes an `Edition`, publishing takes a `Checked`: see the
//! compile-fail examples on `book::Checked` and `edition::Edition::resolve`).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") && p.file_name().is_some_and(|n| n != "tests.rs") {
            out.push(p);
        }
    }
}

/// The code of every non-test Rust file below `src/<dir>`: unit test modules (at the end of a
/// file, after `#[cfg(test)]`) may build fixtures with anything.
fn code_below(dir: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let start = root.join(dir);
    if start.is_dir() {
        rust_files(&start, &mut files);
    } else {
        files.push(start.with_extension("rs"));
    }
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
            (p, code)
        })
        .collect()
}

/// Fails with every place below `src/<dir>` that names one of `forbidden`, unless the file is one
/// of `except` (paths relative to `src/`).
fn never_names(dir: &str, forbidden: &[&str], except: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (path, code) in code_below(dir) {
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if except.contains(&rel.as_str()) {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            for f in forbidden {
                if line.contains(f) && !line.trim_start().starts_with("//") {
                    found.push(format!("src/{rel}:{}: {f}", n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "src/{dir} must not use what comes later in the pipeline:\n{}", found.join("\n"));
}

#[test]
fn sources_know_nothing_of_what_is_made_from_them() {
    never_names("source", &["crate::edition", "crate::render", "crate::book"], &[]);
    never_names("config", &["crate::model", "crate::edition", "crate::render", "crate::book"], &[]);
    never_names("diag", &["crate::model", "crate::edition", "crate::render", "crate::book"], &[]);
}

#[test]
fn the_model_knows_nothing_of_editions_and_outputs() {
    never_names("model", &["crate::edition", "crate::render", "crate::book"], &[]);
}

#[test]
fn the_edition_filter_knows_nothing_of_outputs_or_files() {
    never_names("edition", &["crate::render", "crate::book", "crate::source"], &[]);
}

#[test]
fn renderers_see_an_edition_never_a_project_or_a_file() {
    // Only the assets module reads the project's templates and fonts, once, for all renderers.
    never_names(
        "render",
        &["crate::book", "crate::source", "model::Project", " Project,", " Project}", "{Project", "Loaded", "std::fs"],
        &["render/assets.rs"],
    );
}

#[test]
fn renderers_never_import_each_other() {
    let xliff = ["render::xliff", "super::xliff"];
    never_names("render/html", &["render::pdf", "render::diff", "super::pdf", "super::diff", xliff[0], xliff[1]], &[]);
    never_names("render/pdf", &["render::html", "render::diff", "super::html", "super::diff", xliff[0], xliff[1]], &[]);
    never_names(
        "render/diff",
        &["render::html", "render::pdf", "super::super::html", "super::super::pdf", xliff[0], "super::super::xliff"],
        &[],
    );
    never_names(
        "render/xliff",
        &["render::html", "render::pdf", "render::diff", "super::html", "super::pdf", "super::diff"],
        &[],
    );
}

#[test]
fn the_pipeline_never_imports_the_importer() {
    // The importer reads a foreign file and writes a source; only the façade (book/import.rs)
    // and the CLI call it.
    for dir in ["source", "config", "diag", "model", "edition", "render"] {
        never_names(dir, &["crate::import"], &[]);
    }
    never_names("book", &["crate::import"], &["book/import.rs"]);
    never_names("import", &["crate::edition", "crate::render", "crate::book", "crate::source"], &[]);
}

#[test]
fn the_preview_server_writes_nothing_and_serves_no_file_of_a_url() {
    // `policybook serve` builds in memory, through the façade, and never writes an output folder;
    // its HTTP edge answers from the built files, never from the file system.
    never_names("book/serve", &["output::", "OutputLock", "std::fs", "TcpStream"], &[]);
    never_names("cli/serve", &["std::fs", "File::", "WorkTree", "Book::open"], &[]);
}
