//! Runs the headless-browser checks of tests/browser/check-site.js on the public edition of the
//! default project: axe-core (WCAG 2.0/2.1 A and AA) on every page, and the static search.
//! Skipped, with the reason printed, only when Node.js is absent; under CI=true it fails instead.

mod common;
use common::*;
use std::process::Command;

#[test]
fn public_site_passes_axe_and_search_in_chromium() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if Command::new("node").arg("--version").output().is_err() {
        assert!(!ci, "node is required under CI: install Node.js (scripts/setup)");
        eprintln!("SKIPPED: node is not installed, so the browser checks cannot run");
        return;
    }
    let browser = repo_root().join("tests/browser");
    assert!(
        browser.join("node_modules/axe-core").is_dir() && browser.join("node_modules/playwright-core").is_dir(),
        "tests/browser/node_modules is missing: run scripts/setup (npm ci in tests/browser)"
    );
    let dir = default_project();
    let o = policybook(dir.path(), &["build", "--format", "html", "--edition", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let site = dir.path().join("output/public/html");
    let o = Command::new("node").arg(browser.join("check-site.js")).arg(&site).output().expect("run node");
    let out = format!("{}\n{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "browser checks failed:\n{out}");
    assert!(out.contains("axe basic-policy/ja.html: 0 violation(s)"), "{out}");
    assert!(out.contains("search 不正アクセス"), "{out}");
}
