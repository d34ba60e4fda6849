//! What the fuzz targets share: a project in memory from fuzz bytes, and every output that needs
//! no typesetting. A target only calls the library's public entry points, as the CLI does; a
//! panic, a hang or an out-of-memory is a finding.

use policybook::book::{build, diff, Book, Checked};
use policybook::config::{Format, Lang};
use policybook::source::MemSource;
use std::path::Path;

/// The manifest of every fuzzed project: the one `policybook init` writes (three levels, an
/// edition at each).
pub const BOOK_TOML: &str = policybook::book::init::BOOK;

/// The one image of every fuzzed project (the 例規 fixture's figure, at the same path).
const FIGURE: &[u8] = include_bytes!("../../tests/fixtures/reiki/policy-source/figures/register-flow.png");

/// The editions every target goes through (the lowest and the highest ceiling).
pub const EDITIONS: [&str; 2] = ["public", "restricted"];

/// Splits fuzz bytes at NUL (never valid in a source: `control-character`) into at most `n`
/// parts; the seeds are files joined by NUL.
pub fn split(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == 0).collect()
}

/// A project in memory: book.toml and one document in Japanese and, when given, English, named
/// after the `id:` of the Japanese front matter (a file name must match it), else `doc`.
pub fn project(ja: &[u8], en: Option<&[u8]>) -> MemSource {
    let stem = stem(ja);
    let mut source = MemSource::new().with("book.toml", BOOK_TOML);
    source.insert_bytes("policy-source/figures/register-flow.png", FIGURE);
    source.insert_bytes(&format!("policy-source/{stem}.ja.md"), ja);
    if let Some(en) = en {
        source.insert_bytes(&format!("policy-source/{stem}.en.md"), en);
    }
    source
}

/// The first `id:` of a file's first lines, when it is a plain id.
fn stem(ja: &[u8]) -> String {
    let id = ja
        .split(|&b| b == b'\n')
        .take(20)
        .find_map(|l| l.strip_prefix(b"id:"))
        .map(|v| String::from_utf8_lossy(v).trim().trim_matches('"').to_string())
        .filter(|v| {
            !v.is_empty()
                && v.len() < 64
                && v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    id.unwrap_or_else(|| "doc".into())
}

/// Opens and checks a project held in memory; every diagnostic is rendered as the CLI renders
/// it (text and JSON). `None` when the sources have errors.
pub fn check(source: MemSource) -> Option<Checked> {
    let book = Book::from_source(Path::new("/nonexistent-fuzz-project"), None, Box::new(source)).ok()?;
    match book.check() {
        Ok(checked) => {
            render_diagnostics(checked.warnings());
            Some(checked)
        }
        Err(rejected) => {
            render_diagnostics(rejected.diagnostics());
            None
        }
    }
}

fn render_diagnostics(diags: &[policybook::diag::Diagnostic]) {
    for lang in [Lang::Ja, Lang::En] {
        for d in diags {
            std::hint::black_box(d.render(lang));
        }
        std::hint::black_box(policybook::diag::json(diags, lang));
    }
}

/// Everything a checked project publishes without Typst: the outline in both languages and the
/// HTML of every edition.
pub fn publish(checked: &Checked) {
    let project = checked.project();
    for lang in [Lang::Ja, Lang::En] {
        for doc in &project.documents {
            std::hint::black_box(policybook::model::outline::outline(&project.config, doc, lang));
        }
    }
    let request = build::Request { editions: Vec::new(), formats: vec![Format::Html], ..Default::default() };
    build::build(checked, &request).expect("a checked project builds its HTML");
}

/// The 新旧対照表 of each edition between `old` and `new`, in Japanese and English, in every format
/// that needs no Typst.
pub fn compare(old: &Checked, new: &Checked) {
    for edition in EDITIONS {
        for lang in [Lang::Ja, Lang::En] {
            let d = diff::compare(old, new, edition, None, lang, &diff::Title::default())
                .expect("two checked projects compare");
            for format in [diff::Format::Json, diff::Format::Html, diff::Format::Text { color: true }] {
                std::hint::black_box(diff::render(&d, format, new).expect("a diff renders"));
            }
        }
    }
}
