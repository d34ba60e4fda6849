//! `policybook serve` end to end: the real binary on a free port (`--port 0`; the first line of
//! its standard output is the address), plain HTTP requests over a `TcpStream`, edits of the
//! sources seen served, diagnostics shown and gone, PDFs on request, and in Chromium a page that
//! reloads by itself under its Content-Security-Policy (tests/browser/check-reload.js).

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `policybook serve`, killed when dropped (a failed assertion included).
struct Server {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `policybook serve --port 0 ARGS` in `dir` (English messages; standard error to a
    /// log file) and reads the port from the first line of its standard output.
    fn start(dir: &Path, args: &[&str]) -> Server {
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(dir)
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdout(Stdio::piped())
            .stderr(log.reopen().unwrap())
            .spawn()
            .expect("run policybook serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("http://")
            .and_then(|p| p.strip_suffix('/'))
            .and_then(|p| p.rsplit_once(':'))
            .map(|(_, p)| p)
            .and_then(|p| p.parse().ok());
        let mut server = Server { child, port: 0, log };
        server.port = port.unwrap_or_else(|| panic!("first line {line:?}, log:\n{}", server.log()));
        server
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// `GET path` (as written, unnormalized): status, head, body.
    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.get_as(path, "127.0.0.1")
    }

    /// `GET path` with `Host: host`.
    fn get_as(&self, path: &str, host: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {host}:{}\r\nConnection: close\r\n\r\n", self.port).unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
        (status, head, bytes[end + 4..].to_vec())
    }

    fn text(&self, path: &str) -> String {
        let (status, _, body) = self.get(path);
        assert_eq!(status, 200, "{path}");
        String::from_utf8(body).unwrap()
    }

    /// Waits (20 s at most) until `path` is served and `ok` holds of its text.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, _, body) = self.get(path);
            let text = String::from_utf8_lossy(&body).into_owned();
            if status == 200 && ok(&text) {
                return text;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "{what}: {path} is still\n{text}\nlog:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

const PARAGRAPH: &str = "職員等は、情報セキュリティの重要性について共通の認識を持ち";
const EDITED: &str = "職員等は、情報セキュリティの重要性について共通の認識（編集済み）を持ち";
const REFERENCE: &str = "上記[](#threats)の脅威";
const BROKEN: &str = "上記[](#no-such-threats)の脅威";

fn served_edits_and_diagnostics(poll: bool) {
    let dir = default_project();
    let ja = dir.path().join("policy-source/basic-policy.ja.md");
    let server = Server::start(dir.path(), if poll { &["--poll"] } else { &[] });
    let page = server.wait_for("/basic-policy/ja.html", "first build", |t| t.contains(PARAGRAPH));
    assert!(
        page.contains("<script src=\"/__policybook/reload.js\" data-pages=\"1\" defer></script>\n</head>"),
        "{page}"
    );

    edit(&ja, PARAGRAPH, EDITED);
    server.wait_for("/basic-policy/ja.html", "the edit", |t| t.contains("共通の認識（編集済み）"));

    // A broken reference: the diagnostic in diagnostics.json and the page's banner data, the last
    // good page still served.
    // A poll may read the file while it is being written (truncated, then written): that build's
    // diagnostics are of the half-written file, and the next poll's of the whole one. Wait for
    // those of the broken reference itself.
    edit(&ja, REFERENCE, BROKEN);
    let report = server.wait_for("/__policybook/diagnostics.json", "the error", |t| t.contains("no-such-threats"));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let broken = |d: &&serde_json::Value| d["code"] == "ref-unresolved" && d.to_string().contains("no-such-threats");
    let d = report["diagnostics"].as_array().unwrap().iter().find(broken).unwrap();
    assert_eq!(d["file"], "policy-source/basic-policy.ja.md", "{d}");
    assert!(d["line"].as_u64().unwrap() > 1 && !d["hint"].as_str().unwrap().is_empty(), "{d}");
    assert!(report["errors"].as_u64().unwrap() >= 1 && report["note"].is_string(), "{report}");
    assert!(server.text("/basic-policy/ja.html").contains("共通の認識（編集済み）"));
    assert!(server.log().contains("ref-unresolved"), "{}", server.log());

    edit(&ja, BROKEN, REFERENCE);
    let report = server.wait_for("/__policybook/diagnostics.json", "the fix", |t| t.contains("\"errors\":0"));
    assert!(!report.contains("ref-unresolved"), "{report}");
    assert!(!dir.path().join("output").exists(), "serve writes no output folder");
}

#[test]
fn edits_are_served_and_a_broken_reference_shows_until_fixed() {
    served_edits_and_diagnostics(false);
}

#[test]
fn polling_sees_the_edits_too() {
    served_edits_and_diagnostics(true);
}

#[test]
fn only_built_files_are_served_and_pdfs_are_typeset_on_request() {
    let dir = default_project();
    let server = Server::start(dir.path(), &["--edition", "public"]);
    server.wait_for("/", "first build", |t| t.contains("basic-policy"));
    for path in [
        "/book.toml",
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/policy-source/basic-policy.ja.md",
        "/basic-policy/../../book.toml",
        "/__policybook/nothing",
        "/nothing.ja.pdf",
        "/basic-policy.fr.pdf",
    ] {
        assert_eq!(server.get(path).0, 404, "{path}");
    }
    let (status, head, body) = server.get("/style.css?v=1");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css; charset=utf-8"), "{head}");
    assert!(!String::from_utf8(body).unwrap().contains("reload.js"), "only HTML responses get the script");
    assert!(server.get("/basic-policy/%6Aa.html").1.contains("Content-Type: text/html; charset=utf-8"));
    assert!(server.get("/__policybook/reload.js").1.contains("Content-Type: text/javascript"));
    for pdf in ["/basic-policy.ja.pdf", "/basic-policy.parallel.pdf"] {
        let (status, head, body) = server.get(pdf);
        assert_eq!(status, 200, "{pdf}: {}", String::from_utf8_lossy(&body));
        assert!(head.contains("Content-Type: application/pdf") && body.starts_with(b"%PDF"), "{pdf}");
    }
    // A page elsewhere that points its own name here (DNS rebinding) reads nothing.
    assert_eq!(server.get_as("/", "attacker.example").0, 403);
    assert_eq!(server.get_as("/", "localhost").0, 200);
    // The procedures are restricted: not in the public edition, as a page or a PDF.
    assert_eq!(server.get("/procedures/ja.html").0, 404);
    assert_eq!(server.get("/procedures.ja.pdf").0, 404);
}

#[test]
fn another_address_than_loopback_is_warned_of_and_an_unknown_edition_refused() {
    let dir = default_project();
    let server = Server::start(dir.path(), &["--bind", "0.0.0.0"]);
    let start = Instant::now();
    while !server.log().contains("build 1") && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.log().contains("warning: serving on 0.0.0.0:"), "{}", server.log());
    // Diagnostics speak of the whole source: other computers get their counts only.
    let report = server.text("/__policybook/diagnostics.json");
    assert!(report.contains("\"diagnostics\":[]") && report.contains("\"warnings\":3"), "{report}");
    assert!(!report.contains("prose-doubled") && report.contains("terminal"), "{report}");
    let o = policybook(dir.path(), &["serve", "--edition", "nosuch", "--port", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("nosuch"), "{}", stderr(&o));
}

/// Chromium opens a page; the test edits the source, breaks and fixes a reference; the script
/// (tests/browser/check-reload.js) sees the page reload by itself, the error come and go in the
/// banner, and no CSP violation. Skipped only when Node.js is absent outside CI, as in tests/browser.rs.
#[test]
fn the_page_reloads_by_itself_in_chromium() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if Command::new("node").arg("--version").output().is_err() {
        assert!(!ci, "node is required under CI: install Node.js (scripts/setup)");
        eprintln!("SKIPPED: node is not installed, so the browser check cannot run");
        return;
    }
    let dir = default_project();
    let ja = dir.path().join("policy-source/basic-policy.ja.md");
    let server = Server::start(dir.path(), &[]);
    server.wait_for("/basic-policy/ja.html", "first build", |t| t.contains(PARAGRAPH));
    let script = repo_root().join("tests/browser/check-reload.js");
    let url = format!("http://127.0.0.1:{}/basic-policy/ja.html", server.port);
    let mut node = Command::new("node")
        .arg(&script)
        .arg(&url)
        .arg("共通の認識（編集済み）")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(node.stdout.take().unwrap()).lines();
    let mut steps = Vec::new();
    let mut next = |steps: &mut Vec<String>| {
        let line = lines.next().and_then(Result::ok).unwrap_or_default();
        steps.push(line.clone());
        line
    };
    assert_eq!(next(&mut steps), "ready", "{steps:?}");
    edit(&ja, PARAGRAPH, EDITED);
    assert_eq!(next(&mut steps), "reloaded", "{steps:?}");
    edit(&ja, REFERENCE, BROKEN);
    assert_eq!(next(&mut steps), "banner ref-unresolved", "{steps:?}");
    edit(&ja, BROKEN, REFERENCE);
    assert_eq!(next(&mut steps), "banner without errors", "{steps:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let out = node.wait_with_output().unwrap();
    let rest = format!("{}\n{}", rest.join("\n"), stderr(&out));
    assert!(out.status.success(), "{steps:?}\n{rest}\nlog:\n{}", server.log());
    assert!(rest.contains("console errors: 0"), "{rest}");
}

#[test]
fn a_pdf_that_cannot_be_made_answers_with_its_message() {
    let dir = default_project();
    edit(&dir.path().join("policy-source/basic-policy.ja.md"), PARAGRAPH, &format!("\u{F0001}{PARAGRAPH}"));
    let server = Server::start(dir.path(), &[]);
    server.wait_for("/basic-policy/ja.html", "first build", |t| t.contains(PARAGRAPH));
    let (status, head, body) = server.get("/basic-policy.ja.pdf");
    let body = String::from_utf8(body).unwrap();
    assert_eq!(status, 500, "{body}");
    assert!(head.contains("Content-Type: text/plain; charset=utf-8"), "{head}");
    assert!(body.contains("policy-source/basic-policy.ja.md:") && body.contains("error[pdf-glyph]"), "{body}");
}

/// The preview of the public edition holds no canary of internal or restricted content, in its
/// pages, search index, glossary or PDFs (the same renderers as `build`, reached another way).
#[test]
fn the_public_preview_holds_no_canary() {
    let dir = canary_project();
    let server = Server::start(dir.path(), &["--edition", "public"]);
    server.wait_for("/", "first build", |t| t.contains("standards"));
    let mut seen = 0;
    for path in [
        "/",
        "/index.en.html",
        "/standards/ja.html",
        "/standards/en.html",
        "/standards/parallel.html",
        "/search-index.json",
        "/glossary.html",
        "/glossary.en.html",
    ] {
        let text = server.text(path);
        seen += usize::from(text.contains("canary-public-host"));
        for canary in [CANARY_INTERNAL, CANARY_RESTRICTED, CANARY_PROCEDURES] {
            assert!(!text.contains(canary), "{canary} in {path}");
        }
    }
    assert!(seen >= 3, "the public host section is shown ({seen} pages)");
    for pdf in ["/standards.ja.pdf", "/standards.en.pdf"] {
        let (status, _, body) = server.get(pdf);
        assert_eq!(status, 200, "{pdf}");
        assert!(body.starts_with(b"%PDF"), "{pdf}");
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &body).unwrap();
        let text = String::from_utf8_lossy(&tool("pdftotext", &[file.path().to_str().unwrap(), "-"])).into_owned();
        assert!(text.contains("Public text") || text.contains("公開される本文"), "{pdf}: the public host section");
        for canary in [CANARY_INTERNAL, CANARY_RESTRICTED, CANARY_PROCEDURES] {
            assert!(!text.contains(canary), "{canary} in {pdf}");
        }
    }
    assert_eq!(server.get("/procedures.ja.pdf").0, 404);
}

/// The English pages of a preview of a non-public edition show, beside a stale section, what
/// changed in the Japanese since the English was confirmed (found in git history), without the
/// book.toml key a build needs; a preview of the public edition never does.
#[test]
fn english_preview_pages_show_what_changed_in_the_japanese() {
    let dir = stale_default_project();
    let proj = dir.path();
    let internal = Server::start(proj, &[]);
    let page = internal.wait_for("/basic-policy/en.html", "stale diff", |t| t.contains("class=\"tr-diff\""));
    assert!(page.contains("<del>本</del>市が保有する") && page.contains("<ins>当</ins>市が保有する"), "{page}");
    let public = Server::start(proj, &["--edition", "public"]);
    let page = public.wait_for("/basic-policy/en.html", "first build", |t| t.contains("</html>"));
    assert!(!page.contains("tr-diff") && !page.contains("<ins>"), "{page}");
}
