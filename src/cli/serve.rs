//! `policybook serve`: the HTTP edge of the preview ([`policybook::book::serve`]). A small
//! HTTP/1.1 server on the standard library (GET and HEAD, one request per connection, a thread
//! each): it serves only the keys of the built [`Files`] map (no path of a URL ever reaches the
//! file system), adds the reload script to HTML responses, streams the build number as
//! Server-Sent Events and typesets PDFs on request.
//!
//! The first line on standard output is the address served, alone: `http://127.0.0.1:3000/`
//! (tests and scripts read the port chosen by `--port 0` from it).

use super::{msg_lang, print_text, say, say_error, CliError};
use policybook::book::serve::{self, watch, Current, Preview};
use policybook::diag::{Localize, Message};
use policybook::render::Files;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The live-reload script and the banner's style: served under `/__policybook/`, never written.
const RELOAD_JS: &str = include_str!("reload/reload.js");
const RELOAD_CSS: &str = include_str!("reload/reload.css");

/// The prefix of the server's own paths (no key of an edition starts with `__`).
const OWN: &str = "__policybook/";

/// The longest request head read.
const MAX_HEAD: usize = 16 * 1024;

/// How many ports after `--port` are tried when it is taken.
const PORTS_TRIED: u16 = 100;

/// What `policybook serve` was asked for.
pub struct ServeArgs {
    pub edition: String,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub poll: bool,
}

/// What the connections read: the last build, and a signal when it changes.
struct Hub {
    current: Mutex<Arc<Current>>,
    changed: Condvar,
    /// Listening on loopback: requests must name this computer as their host, so that a web
    /// page elsewhere cannot read the edition through a name it points here (DNS rebinding).
    local_only: bool,
}

impl Hub {
    fn current(&self) -> Arc<Current> {
        Arc::clone(&self.current.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn publish(&self, current: Arc<Current>) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = current;
        self.changed.notify_all();
    }

    /// The build after `seen`, or the same one after `timeout`.
    fn wait(&self, seen: Option<u64>, timeout: Duration) -> Arc<Current> {
        let guard = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = (self.changed)
            .wait_timeout_while(guard, timeout, |c| Some(c.build) == seen)
            .unwrap_or_else(|e| e.into_inner());
        Arc::clone(&guard)
    }
}

/// `policybook serve`: builds, serves and watches until stopped (Ctrl+C).
pub fn serve(root: &Path, args: ServeArgs) -> Result<ExitCode, CliError> {
    let mut preview = Preview::new(root, &args.edition)?;
    let listener = listen(args.bind, args.port)?;
    let addr = listener.local_addr().map_err(|source| CliError::Listen { addr: args.bind.to_string(), source })?;
    let url = format!("http://{addr}/");
    println!("{url}");
    std::io::stdout().flush().map_err(CliError::Stdout)?;
    if !args.bind.is_loopback() {
        say_error(Message::new("serve.bind-open").arg("addr", addr).arg("edition", &args.edition));
    }
    let watch = watch::start(root, preview.watched(), args.poll)?;
    let how = match &watch.how {
        watch::How::Events => Message::new("serve.watch-events"),
        watch::How::PollAsked => Message::new("serve.watch-poll").arg("ms", watch::POLL_EVERY.as_millis()),
        watch::How::PollFallback(e) => {
            Message::new("serve.watch-fallback").arg("ms", watch::POLL_EVERY.as_millis()).arg("error", e)
        }
    };
    say(Message::new("serve.listening")
        .arg("edition", &args.edition)
        .arg("url", &url)
        .arg("how", how.message(msg_lang())));
    let local_only = args.bind.is_loopback();
    let hub = Arc::new(Hub { current: Mutex::new(preview.current()), changed: Condvar::new(), local_only });
    let edge = Arc::clone(&hub);
    std::thread::spawn(move || accept(listener, &edge));
    let mut terminal = Terminal { hub, started: Instant::now(), shown: Vec::new(), open: args.open.then_some(url) };
    serve::run(&mut preview, &watch, &mut terminal);
    Ok(ExitCode::SUCCESS)
}

/// A listener on `bind`, at `port` or the first free port after it (`0`: one the system chooses).
fn listen(bind: IpAddr, port: u16) -> Result<TcpListener, CliError> {
    let last = if port == 0 { 0 } else { port.saturating_add(PORTS_TRIED - 1) };
    let mut taken = None;
    for p in port..=last {
        match TcpListener::bind(SocketAddr::new(bind, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => taken = Some(e),
            Err(source) => return Err(CliError::Listen { addr: SocketAddr::new(bind, p).to_string(), source }),
        }
    }
    let source = taken.unwrap_or_else(|| std::io::ErrorKind::AddrInUse.into());
    Err(CliError::Listen { addr: format!("{bind}:{port}-{last}"), source })
}

/// The terminal side of the rebuild loop: times each rebuild, prints what it found, publishes it.
struct Terminal {
    hub: Arc<Hub>,
    started: Instant,
    /// The diagnostics printed last, as printed: the same ones are not printed again.
    shown: Vec<String>,
    /// The address to open in a browser after the first build (`--open`).
    open: Option<String>,
}

impl serve::Listener for Terminal {
    fn changed(&mut self, _paths: &[String]) {
        self.started = Instant::now();
    }

    fn built(&mut self, current: Arc<Current>) {
        let ms = self.started.elapsed().as_millis();
        self.hub.publish(Arc::clone(&current));
        let lang = msg_lang();
        let shown: Vec<String> = current.diagnostics.iter().map(|d| d.render(lang)).collect();
        if shown != self.shown || current.errors() > 0 {
            print_text(&current.diagnostics);
            self.shown = shown;
        }
        if let Some(m) = &current.failure {
            say_error(Message::new("cli.error").arg("text", m.full(lang)));
        }
        if current.errors() > 0 {
            say_error(Message::new("serve.kept"));
        } else {
            say(Message::new("serve.built")
                .arg("build", current.build)
                .arg("ms", ms)
                .arg("files", current.files.len()));
        }
        if let Some(url) = self.open.take() {
            open_browser(&url);
        }
    }
}

/// Opens `url` in the desktop's browser; nothing when there is none.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        say(Message::new("serve.no-browser").arg("url", url));
    }
}

fn accept(listener: TcpListener, hub: &Arc<Hub>) {
    for stream in listener.incoming().flatten() {
        let hub = Arc::clone(hub);
        std::thread::spawn(move || {
            let _ = connection(stream, &hub);
        });
    }
}

/// One connection: one request, its response, then the connection is closed.
fn connection(mut stream: TcpStream, hub: &Hub) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let head = read_head(&mut stream)?;
    let request = match parse(&head) {
        Ok(r) => r,
        Err(status) => return Response::text(status, status_text(status)).send(&mut stream, false),
    };
    if hub.local_only && !local_host(&head) {
        return Response::text(403, status_text(403)).send(&mut stream, false);
    }
    if request.path == format!("{OWN}events") {
        return events(&mut stream, hub);
    }
    route(&request.path, &hub.current(), hub.local_only).send(&mut stream, request.head)
}

/// The request head (up to the empty line), at most [`MAX_HEAD`] bytes.
fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// A request: whether only the head is wanted, and the path of the key asked for (relative,
/// decoded, normalized; empty or ending with `/` for a folder).
#[derive(Debug, PartialEq, Eq)]
struct Request {
    head: bool,
    path: String,
}

/// The request line of `head`, or the status that refuses it.
fn parse(head: &str) -> Result<Request, u16> {
    let line = head.lines().next().ok_or(400u16)?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next(), parts.next(), parts.next());
    let (Some(method), Some(target), Some(version)) = (method, target, version) else { return Err(400) };
    if !version.starts_with("HTTP/1.") || parts.next().is_some() {
        return Err(400);
    }
    let head = match method {
        "GET" => false,
        "HEAD" => true,
        _ => return Err(405),
    };
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix('/').ok_or(400u16)?;
    let decoded = String::from_utf8(percent_decode(path).ok_or(400u16)?).map_err(|_| 400u16)?;
    Ok(Request { head, path: normalize(&decoded) })
}

/// Whether the request's `Host` names this computer (`localhost`, `127.0.0.1`, `[::1]`, any
/// port), or is absent.
fn local_host(head: &str) -> bool {
    let host = head.lines().skip(1).find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim().eq_ignore_ascii_case("host").then(|| value.trim().to_ascii_lowercase())
    });
    let Some(host) = host else { return true };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(name, "localhost" | "127.0.0.1" | "::1")
}

/// `%XX` escapes decoded; `None` for a broken one.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// `.` and empty segments dropped, `..` taking one back (never above the root); a trailing `/`
/// kept.
fn normalize(path: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = segs.join("/");
    let folder = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") || path == "..";
    if folder && !out.is_empty() {
        out.push('/');
    }
    out
}

/// The response to a GET of `path`; the diagnostics in detail only to this computer (`local`).
fn route(path: &str, current: &Current, local: bool) -> Response {
    match path.strip_prefix(OWN) {
        Some("reload.js") => Response::ok("text/javascript; charset=utf-8", RELOAD_JS.as_bytes().to_vec()),
        Some("reload.css") => Response::ok("text/css; charset=utf-8", RELOAD_CSS.as_bytes().to_vec()),
        Some("state") => Response::ok("application/json", state(current).into_bytes()),
        Some("diagnostics.json") => Response::ok("application/json", diagnostics(current, local).into_bytes()),
        Some(_) => Response::text(404, status_text(404)),
        None => page(path, current),
    }
}

/// A key of the built files (a folder's `index.html`), a PDF typeset now, or 404.
fn page(path: &str, current: &Current) -> Response {
    let key = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    if let Some(r) = built(&key, &current.files, current.pages) {
        return r;
    }
    if key.ends_with(".pdf") && !key.contains('/') {
        return pdf(&key, current);
    }
    if key == "index.html" && current.files.is_empty() {
        return Response::ok("text/html; charset=utf-8", inject(waiting_page().as_bytes(), current.pages));
    }
    Response::text(404, status_text(404))
}

/// The file `key` of `files` (the reload script added to a page), or a redirect to the folder
/// `key/` that has an `index.html`.
fn built(key: &str, files: &Files, pages: u64) -> Option<Response> {
    if let Some(bytes) = files.get(key) {
        let kind = content_type(key);
        return Some(match kind.starts_with("text/html") {
            true => Response::ok(kind, inject(bytes, pages)),
            false => Response::ok(kind, bytes.clone()),
        });
    }
    files.contains_key(&format!("{key}/index.html")).then(|| {
        let mut r = Response::text(301, status_text(301));
        r.location = Some(format!("/{}/", percent_encode(key)));
        r
    })
}

/// A PDF of the last build without errors, typeset now; its error as a plain-text page (500).
fn pdf(key: &str, current: &Current) -> Response {
    match current.pdf(key) {
        None => Response::text(404, status_text(404)),
        Some(Ok(bytes)) => Response::ok("application/pdf", bytes.to_vec()),
        Some(Err(e)) => {
            let text = match e.diagnostic() {
                Some(d) => d.render(msg_lang()),
                None => e.localize(msg_lang()),
            };
            Response::text(500, &text)
        }
    }
}

/// The page shown before the first build without errors: the banner tells why.
fn waiting_page() -> String {
    let lang = msg_lang();
    let text = policybook::render::escape::html(&Message::new("serve.waiting").message(lang));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>policybook serve</title>\n</head>\n<body>\n<p>{text}</p>\n</body>\n</html>\n",
        lang.code()
    )
}

/// The reload script and the banner's style, before `</head>` of an HTML page: the page knows
/// the pages' number it was served with.
fn inject(html: &[u8], pages: u64) -> Vec<u8> {
    let tags = format!(
        "<link rel=\"stylesheet\" href=\"/{OWN}reload.css\">\n<script src=\"/{OWN}reload.js\" data-pages=\"{pages}\" defer></script>\n"
    );
    match html.windows(7).position(|w| w == b"</head>") {
        Some(at) => [&html[..at], tags.as_bytes(), &html[at..]].concat(),
        None => html.to_vec(),
    }
}

/// The build and pages' numbers, and the errors, as JSON (`/__policybook/state`, and each event).
fn state(current: &Current) -> String {
    serde_json::json!({ "build": current.build, "pages": current.pages, "errors": current.errors() }).to_string()
}

/// `/__policybook/diagnostics.json`: the state, the banner's title and note, and what the last
/// check found, in the format of `check --format json`, in the language of messages. Served on
/// another address than loopback (`local` false), only the counts: diagnostics speak to authors
/// of the whole source (as `check` does) and may quote what the edition leaves out.
fn diagnostics(current: &Current, local: bool) -> String {
    let lang = msg_lang();
    let shown: &[_] = if local { &current.diagnostics } else { &[] };
    let records: serde_json::Value = serde_json::from_str(&policybook::diag::json(shown, lang)).unwrap_or_default();
    let errors = current.errors();
    let warnings = current.diagnostics.len() + usize::from(current.failure.is_some()) - errors;
    let title = Message::new("serve.banner").arg("errors", errors).arg("warnings", warnings);
    let note = match (local, errors) {
        (false, _) if errors + warnings > 0 => Some(Message::new("serve.banner-remote").message(lang)),
        (_, 0) => None,
        _ => Some(Message::new("serve.kept").message(lang)),
    };
    serde_json::json!({
        "build": current.build,
        "pages": current.pages,
        "errors": errors,
        "warnings": warnings,
        "title": title.message(lang),
        "note": note,
        "close": Message::new("serve.close").message(lang),
        "failure": current.failure.as_ref().filter(|_| local).map(|m| m.full(lang)),
        "diagnostics": records,
    })
    .to_string()
}

/// `/__policybook/events`: the state now, then after each build, as Server-Sent Events; a
/// comment every 15 s finds a closed connection.
fn events(stream: &mut TcpStream, hub: &Hub) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    let mut seen = None;
    loop {
        let current = hub.wait(seen, Duration::from_secs(15));
        if Some(current.build) == seen {
            stream.write_all(b": waiting\n\n")?;
        } else {
            stream.write_all(format!("data: {}\n\n", state(&current)).as_bytes())?;
            seen = Some(current.build);
        }
        stream.flush()?;
    }
}

/// A response with its whole body.
struct Response {
    status: u16,
    kind: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn ok(kind: &'static str, body: Vec<u8>) -> Response {
        Response { status: 200, kind, body, location: None }
    }

    fn text(status: u16, text: &str) -> Response {
        Response { status, kind: "text/plain; charset=utf-8", body: format!("{text}\n").into_bytes(), location: None }
    }

    fn send(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            status_text(self.status),
            self.kind,
            self.body.len()
        );
        if let Some(l) = &self.location {
            head.push_str(&format!("Location: {l}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

/// Every byte outside `A-Z a-z 0-9 - . _ ~ /` as `%XX`.
fn percent_encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The content type of a built file, by its extension.
fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(line: &str) -> Result<Request, u16> {
        parse(&format!("{line}\r\nHost: x\r\n\r\n"))
    }

    #[test]
    fn paths_are_decoded_normalized_and_never_leave_the_root() {
        let path = |l: &str| req(l).map(|r| r.path);
        assert_eq!(path("GET / HTTP/1.1"), Ok(String::new()));
        assert_eq!(path("GET /basic-policy/ja.html?x=1#top HTTP/1.1"), Ok("basic-policy/ja.html".into()));
        assert_eq!(path("GET /a/../../../etc/passwd HTTP/1.1"), Ok("etc/passwd".into()));
        assert_eq!(path("GET /%2e%2e/%2E%2E/x HTTP/1.1"), Ok("x".into()));
        assert_eq!(path("GET /%E6%97%A5/./b/ HTTP/1.1"), Ok("日/b/".into()));
        assert_eq!(path("GET /a%2 HTTP/1.1"), Err(400));
        assert_eq!(path("GET /%ff HTTP/1.1"), Err(400));
        assert_eq!(path("GET x HTTP/1.1"), Err(400));
        assert_eq!(path("POST / HTTP/1.1"), Err(405));
        assert_eq!(req("HEAD /a HTTP/1.0").map(|r| r.head), Ok(true));
    }

    #[test]
    fn only_this_computer_is_a_host_on_loopback() {
        let host = |h: &str| local_host(&format!("GET / HTTP/1.1\r\n{h}\r\n\r\n"));
        for ok in ["Host: 127.0.0.1:3000", "host: localhost", "Host: [::1]:8080", "Accept: */*"] {
            assert!(host(ok), "{ok}");
        }
        for bad in ["Host: evil.example:3000", "Host: 127.0.0.1.evil.example", "Host: [::2]:1", "Host: 10.0.0.1"] {
            assert!(!host(bad), "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_head_ends_and_only_there() {
        let out = String::from_utf8(inject(b"<html><head><title>t</title></head><body></head></body>", 7)).unwrap();
        assert!(
            out.starts_with("<html><head><title>t</title><link rel=\"stylesheet\" href=\"/__policybook/reload.css\">")
        );
        assert!(out.contains(
            "<script src=\"/__policybook/reload.js\" data-pages=\"7\" defer></script>\n</head><body></head>"
        ));
        assert_eq!(inject(b"no head", 1), b"no head");
    }

    #[test]
    fn only_keys_of_the_files_are_served() {
        let mut files = Files::new();
        files.insert("index.html".into(), b"<head></head>".to_vec());
        files.insert("a/ja.html".into(), b"<head></head>".to_vec());
        files.insert("a/index.html".into(), b"x".to_vec());
        files.insert("style.css".into(), b"p{}".to_vec());
        let kind = |k: &str| built(k, &files, 1).map(|r| (r.status, r.kind, r.location));
        assert_eq!(kind("index.html"), Some((200, "text/html; charset=utf-8", None)));
        assert_eq!(kind("style.css"), Some((200, "text/css; charset=utf-8", None)));
        assert_eq!(kind("a"), Some((301, "text/plain; charset=utf-8", Some("/a/".into()))));
        assert_eq!(kind("Cargo.toml"), None);
        assert_eq!(kind("../Cargo.toml"), None);
    }
}
