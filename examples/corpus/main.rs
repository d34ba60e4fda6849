//! The benchmark corpus generator (a developer tool, not part of the policybook CLI):
//!
//! ```text
//! cargo run --release --example corpus -- OUT [--pages 300] [--revisions 100] [--seed 1]
//! ```
//!
//! writes into OUT (absent or empty) a complete project of the fictional 「サンプル県」 — book.toml,
//! the basic policy, the standards in chapter files (about PAGES A4 pages per language), the
//! restricted procedures, English confirmed — as a git repository of REVISIONS commits tagged
//! `rev-001` …. `policybook check` accepts it with no error and one stale warning (intended: the
//! last revision changes the Japanese of one section without confirming the English). `bench/run`
//! uses it; README "Performance" describes both.

mod gen;

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut opts = gen::Options { pages: 300, revisions: 100, seed: 1 };
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> usize {
            let v = args.next().and_then(|v| v.parse().ok());
            v.unwrap_or_else(|| usage(&format!("{name} takes a number")))
        };
        match a.as_str() {
            "--pages" => opts.pages = num("--pages"),
            "--revisions" => opts.revisions = num("--revisions"),
            "--seed" => opts.seed = num("--seed") as u64,
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => usage(&format!("unexpected argument {a}")),
        }
    }
    let out = out.unwrap_or_else(|| usage("the output folder is missing"));
    match gen::generate(&out, &opts) {
        Ok(s) => println!(
            "corpus: {} ({} files, {} revisions; standards: {} Japanese characters)",
            out.display(),
            s.files,
            opts.revisions,
            s.standards_ja_chars
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

fn usage(problem: &str) -> ! {
    eprintln!("error: {problem}\nusage: corpus OUT [--pages 300] [--revisions 100] [--seed N]");
    std::process::exit(2);
}
