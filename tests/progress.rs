//! Long commands: the summary line (what, where, how long) in English and Japanese, no progress
//! bar when standard error is not a terminal (as here), and `--quiet` printing nothing but errors.

mod common;
use common::*;
use std::path::Path;

/// Standard error with no bar drawn: no escape code, no carriage return.
fn no_bar(err: &str) {
    assert!(!err.contains('\x1b') && !err.contains('\r'), "a bar or escape code off a terminal: {err:?}");
}

fn build_html(lang: &str, dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--format", "html", "--edition", "public", "--edition", "internal", "-o", "out"];
    args.extend_from_slice(extra);
    policybook_in(lang, dir, &args)
}

/// The number before `unit` in `line` (`24 HTML files`), and the seconds at the end.
fn summary_figures(line: &str, before: &str, after: &str) -> String {
    let start = line.find(before).map(|i| i + before.len()).unwrap_or_else(|| panic!("{before:?} in {line:?}"));
    let rest = &line[start..];
    rest[..rest.find(after).unwrap_or_else(|| panic!("{after:?} in {line:?}"))].to_string()
}

#[test]
fn build_ends_with_one_summary_line_in_english() {
    let proj = default_project();
    let o = build_html("C", proj.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    no_bar(&err);
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with("wrote 2 edition(s) to out ("), "{err}");
    let html = summary_figures(last, "out (", " HTML files, 0 PDFs) in ");
    let pages = common::files_below(&proj.path().join("out"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(html, pages.to_string(), "{last}");
    let secs = summary_figures(last, ") in ", " s");
    assert!(secs.parse::<f64>().is_ok_and(|s| s >= 0.0) && secs.contains('.'), "{last}");
}

#[test]
fn build_summary_in_japanese() {
    let proj = default_project();
    let o = build_html("ja_JP.UTF-8", proj.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    no_bar(&err);
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with("2 版を out に書き出しました（HTML "), "{err}");
    assert!(last.contains(" ファイル、PDF 0 ファイル、") && last.ends_with(" 秒）"), "{err}");
}

#[test]
fn quiet_prints_nothing_on_success_and_the_errors_on_failure() {
    let proj = default_project();
    let o = build_html("C", proj.path(), &["--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "--quiet printed more than errors");
    assert!(proj.path().join("out/public/html/index.html").is_file());
    let file = proj.path().join("policy-source/basic-policy.ja.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n上記[](#no-such-section-zz)を参照。\n")).unwrap();
    let o = build_html("C", proj.path(), &["-q"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[") && err.contains("build stopped"), "{err}");
    assert!(!err.contains("warning["), "{err}");
    no_bar(&err);
}

#[test]
fn translation_export_says_where_and_how_long() {
    let proj = default_project();
    let o = policybook(proj.path(), &["translation", "export", "--edition", "public", "-o", "public.xlf"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    no_bar(&err);
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("wrote public.xlf (") && last.contains("edition public) in ") && last.ends_with(" s"),
        "{err}"
    );
    let o = policybook_in(
        "ja_JP.UTF-8",
        proj.path(),
        &["translation", "export", "--edition", "public", "-o", "p.xlf", "-q"],
    );
    assert_eq!((o.status.code(), stderr(&o)), (Some(0), String::new()));
}
