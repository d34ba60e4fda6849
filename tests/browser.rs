//! Runs the headless-browser checks of tests/browser/ in Chromium: check-site.js on the public
//! edition of the default project (axe-core, WCAG 2.0/2.1 A and AA, on every page, and the static
//! search), check-layout.js on the article-style rule of tests/fixtures/reiki (the character grid).
//! Skipped, with the reason printed, only when Node.js is absent; under CI=true it fails instead.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder of the browser scripts, or None (printed) when Node.js is absent outside CI.
fn browser_scripts() -> Option<PathBuf> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if Command::new("node").arg("--version").output().is_err() {
        assert!(!ci, "node is required under CI: install Node.js (scripts/setup)");
        eprintln!("SKIPPED: node is not installed, so the browser checks cannot run");
        return None;
    }
    let browser = repo_root().join("tests/browser");
    assert!(
        browser.join("node_modules/axe-core").is_dir() && browser.join("node_modules/playwright-core").is_dir(),
        "tests/browser/node_modules is missing: run scripts/setup (npm ci in tests/browser)"
    );
    Some(browser)
}

/// Builds the HTML of the public edition of the project in `dir`; runs `script` on `target` (a
/// path below the site); its stdout and stderr, after asserting it succeeded.
fn run_check(dir: &Path, script: &Path, target: &str) -> String {
    let o = policybook(dir, &["build", "--format", "html", "--edition", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let site = dir.join("output/public/html").join(target);
    let o = Command::new("node").arg(script).arg(&site).output().expect("run node");
    let out = format!("{}\n{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "browser checks failed:\n{out}");
    out
}

#[test]
fn public_site_passes_axe_and_search_in_chromium() {
    let Some(browser) = browser_scripts() else { return };
    let dir = default_project();
    let out = run_check(dir.path(), &browser.join("check-site.js"), "");
    assert!(out.contains("axe basic-policy/ja.html: 0 violation(s)"), "{out}");
    // The glossary pages (issue 14) pass the same check.
    assert!(out.contains("axe glossary.html: 0 violation(s)"), "{out}");
    assert!(out.contains("axe glossary.en.html: 0 violation(s)"), "{out}");
    assert!(out.contains("search 不正アクセス"), "{out}");
}

/// The English pages of an internal edition with the stale-section diff (issue 12): the folded
/// block beside a stale section passes axe, and no page logs an error under its CSP.
#[test]
fn stale_diff_beside_english_sections_passes_axe_in_chromium() {
    let Some(browser) = browser_scripts() else { return };
    let dir = stale_default_project();
    let proj = dir.path();
    git(proj, &["commit", "-qam", "amendment"]);
    edit(&proj.join("book.toml"), "[edition.internal]\n", "[edition.internal]\nstale-diff = true\n");
    let o = policybook(proj, &["build", "--format", "html", "--edition", "internal"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let site = proj.join("output/internal/html");
    let en = std::fs::read_to_string(site.join("basic-policy/en.html")).unwrap();
    assert!(en.contains("<details class=\"tr-diff\">") && en.contains("<ins>当</ins>"), "{en}");
    let o = Command::new("node").arg(browser.join("check-site.js")).arg(&site).arg("--no-search").output().unwrap();
    let out = format!("{}\n{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "browser checks failed:\n{out}");
    assert!(out.contains("axe basic-policy/en.html: 0 violation(s)"), "{out}");
}

/// 第２条 at the margin, （１） one character in, ア two (issue 9): measured in Chromium.
#[test]
fn article_style_rule_stands_on_the_character_grid_in_chromium() {
    let Some(browser) = browser_scripts() else { return };
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures/reiki"), dir.path());
    let out = run_check(dir.path(), &browser.join("check-layout.js"), "rules/ja.html");
    assert!(out.contains("第２条: 0.00 (want 0)"), "{out}");
}
