//! The commands: each opens the project through the façade, calls it, and prints. Errors are a
//! [`CliError`] (exit 2); sources with errors print their diagnostics and exit 1.

pub mod alloc;
pub mod help;
pub mod progress;
pub mod serve;
pub mod translation;

use crate::DiffFormat;
use policybook::book::progress::Progress;
use policybook::book::{self, build, copies, diff, Book, Checked, Rejected};
use policybook::config::Lang;
use policybook::diag::{catalogue, Diagnostic, Localize, Message};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

/// The language of every message printed: chosen once, by `main`, before any command runs.
static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of messages (once; a second call is ignored).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of messages.
pub fn msg_lang() -> Lang {
    LANG.get().copied().unwrap_or(Lang::En)
}

/// Prints a catalogue line (a summary or progress line) to standard error; nothing with `--quiet`.
fn say(m: Message) {
    if !progress::quiet() {
        say_error(m);
    }
}

/// Prints a catalogue line that tells of an error, even with `--quiet`.
fn say_error(m: Message) {
    eprintln!("{}", m.full(msg_lang()));
}

/// Why a command failed (exit code 2); each message is complete with its hint.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Open(#[from] book::OpenError),
    #[error(transparent)]
    NoDocument(#[from] book::NoDocument),
    #[error(transparent)]
    Edition(#[from] policybook::edition::UnknownEdition),
    #[error(transparent)]
    History(#[from] book::history::HistoryError),
    #[error(transparent)]
    Confirm(#[from] book::confirm::ConfirmError),
    #[error(transparent)]
    Init(#[from] book::init::InitError),
    #[error(transparent)]
    Fix(#[from] book::fix::FixError),
    #[error(transparent)]
    Rename(#[from] book::rename::RenameError),
    #[error(transparent)]
    Build(#[from] build::BuildError),
    #[error(transparent)]
    Copies(#[from] copies::CopiesError),
    #[error(transparent)]
    Output(#[from] book::output::OutputError),
    #[error(transparent)]
    Emit(#[from] book::emit::EmitError),
    #[error(transparent)]
    Compare(#[from] diff::CompareError),
    #[error(transparent)]
    Changes(#[from] book::translation::changes::ChangesError),
    #[error(transparent)]
    XliffImport(#[from] book::translation::import::ImportError),
    #[error(transparent)]
    Input(#[from] policybook::source::SourceError),
    #[error(transparent)]
    Import(#[from] book::import::ImportFileError),
    #[error(transparent)]
    Watch(#[from] book::serve::watch::WatchError),
    #[error("{}", self.text())]
    Listen { addr: String, source: std::io::Error },
    #[error("{}", self.text())]
    PdfToTerminal,
    /// `diff --emit-typst` with a format other than the PDF.
    #[error("{}", self.text())]
    EmitNotPdf,
    #[error("{}", self.text())]
    HelpTopic { name: String, known: String },
    #[error("{}", self.text())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{}", self.text())]
    Stdout(std::io::Error),
}

impl Localize for CliError {
    fn text(&self) -> Message {
        match self {
            CliError::Open(e) => e.text(),
            CliError::NoDocument(e) => e.text(),
            CliError::Edition(e) => e.text(),
            CliError::History(e) => e.text(),
            CliError::Confirm(e) => e.text(),
            CliError::Init(e) => e.text(),
            CliError::Fix(e) => e.text(),
            CliError::Rename(e) => e.text(),
            CliError::Import(e) => e.text(),
            CliError::Changes(e) => e.text(),
            CliError::XliffImport(e) => e.text(),
            CliError::Input(e) => e.text(),
            CliError::Build(e) => e.text(),
            CliError::Copies(e) => e.text(),
            CliError::Output(e) => e.text(),
            CliError::Emit(e) => e.text(),
            CliError::Compare(e) => e.text(),
            CliError::Watch(e) => e.text(),
            CliError::Listen { addr, source } => Message::new("serve-listen").arg("addr", addr).arg("error", source),
            CliError::PdfToTerminal => Message::new("cli.pdf-to-terminal"),
            CliError::EmitNotPdf => Message::new("cli.emit-not-pdf"),
            CliError::HelpTopic { name, known } => Message::new("help.unknown").arg("name", name).arg("known", known),
            CliError::Write { path, source } => {
                Message::new("io-write").arg("path", path.display()).arg("error", source)
            }
            CliError::Stdout(e) => Message::new("cli.stdout").arg("error", e),
        }
    }
}

impl CliError {
    /// The error as a diagnostic when its cause is in the project's files (book.toml, a
    /// template, a character no PDF font has): see [`fail`].
    fn diagnostic(&self) -> Option<Diagnostic> {
        match self {
            CliError::Open(e) => e.diagnostic(),
            CliError::Build(e) => e.diagnostic(),
            _ => None,
        }
    }
}

/// Prints a failed command's error, once: a problem in the project's files as a diagnostic (exit
/// 1, like the errors `check` finds), any other (usage, I/O, git) as an error (exit 2).
pub fn fail(e: CliError) -> ExitCode {
    match e.diagnostic() {
        Some(d) => {
            print_text(&[d]);
            ExitCode::from(1)
        }
        None => {
            let lang = msg_lang();
            eprintln!("{}", Message::new("cli.error").arg("text", e.localize(lang)).message(lang));
            ExitCode::from(2)
        }
    }
}

/// The diagnostics and their count; with `--quiet`, the errors only.
pub(crate) fn print_text(diags: &[Diagnostic]) {
    let shown: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error() || !progress::quiet()).collect();
    for d in &shown {
        eprintln!("{}", d.render(msg_lang()));
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = shown.len() - errors;
    if !shown.is_empty() {
        say_error(Message::new("cli.summary").arg("errors", errors).arg("warnings", warnings));
    }
}

/// `policybook check`: every diagnostic, as text or JSON; exit 1 on errors (or warnings, `strict`).
pub fn check(root: &Path, rev: Option<&str>, strict: bool, json: bool) -> Result<ExitCode, CliError> {
    let book = match Book::open(root, rev) {
        Ok(b) => b,
        Err(e) => match e.diagnostic() {
            // A bad book.toml is a source problem: one JSON record too.
            Some(d) if json => {
                print!("{}", policybook::diag::json(&[d], msg_lang()));
                return Ok(ExitCode::from(1));
            }
            _ => return Err(e.into()),
        },
    };
    let checked = book.check();
    let diags = checked.as_ref().map_or_else(Rejected::diagnostics, |c| c.warnings());
    if json {
        print!("{}", policybook::diag::json(diags, msg_lang()));
    } else {
        print_text(diags);
        if let (Ok(c), true) = (&checked, diags.is_empty()) {
            say(Message::new("cli.ok").arg("n", c.project().documents.len()));
        }
    }
    let failed = checked.is_err() || (strict && !diags.is_empty());
    leave(checked);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Leaves `model` to the end of the process instead of freeing it piece by piece: the command
/// ends next, and freeing a prefecture's policy set took 15 ms of a 0.2 s `check` (issue 13).
/// Only for what holds memory and nothing to clean up (no temporary file, lock or buffer).
fn leave<T>(model: T) {
    std::mem::forget(model);
}

/// `policybook outline`.
pub fn outline(root: &Path, doc: Option<&str>, lang: Lang, rev: Option<&str>) -> Result<ExitCode, CliError> {
    let book = Book::open(root, rev)?;
    let p = book.project();
    for d in book::select(&p.documents, doc)? {
        print!("{}", policybook::model::outline::outline(&p.config, d, lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// `policybook confirm`.
pub fn confirm(root: &Path, doc: &str, sections: &[String]) -> Result<ExitCode, CliError> {
    let done = book::confirm::confirm(&Book::open(root, None)?, doc, sections)?;
    if done.is_empty() {
        say(Message::new("cli.confirm-none").arg("doc", doc));
    } else {
        say(Message::new("cli.confirmed").arg("doc", doc).arg("n", done.len()).arg("ids", done.join(", ")));
    }
    Ok(ExitCode::SUCCESS)
}

/// `policybook rename-id`: only on sources without errors, so that every reference is known.
pub fn rename_id(root: &Path, doc: &str, old: &str, new: &str) -> Result<ExitCode, CliError> {
    let checked = match Book::open(root, None)?.check() {
        Ok(c) => c,
        Err(r) => {
            print_text(r.diagnostics());
            say_error(Message::new("cli.rename-stopped"));
            return Ok(ExitCode::from(1));
        }
    };
    let changes = book::rename::rename(&checked, doc, old, new)?;
    for c in &changes {
        println!("{}: {} {} → {}", c.loc, c.what, c.before, c.after);
    }
    let files: std::collections::BTreeSet<&str> = changes.iter().map(|c| c.loc.file.as_str()).collect();
    say(Message::new("cli.renamed")
        .arg("doc", doc)
        .arg("old", old)
        .arg("new", new)
        .arg("changes", changes.len())
        .arg("files", files.len()));
    Ok(ExitCode::SUCCESS)
}

/// `policybook init`.
pub fn init(dir: &Path) -> Result<ExitCode, CliError> {
    book::init::create(dir)?;
    say(Message::new("cli.created").arg("dir", dir.display()));
    Ok(ExitCode::SUCCESS)
}

/// `policybook fix`: each changed line (before, after) on standard output; the slips left to the
/// author and a summary on standard error.
pub fn fix(root: &Path, dry_run: bool) -> Result<ExitCode, CliError> {
    let files = book::fix::fix(&Book::open(root, None)?, !dry_run)?;
    let mut out = std::io::stdout().lock();
    let (mut lines, mut changed, mut left) = (0, 0, Vec::new());
    for f in &files {
        for c in &f.changes {
            writeln!(
                out,
                "{}:{}
  - {}
  + {}",
                f.file, c.line, c.before, c.after
            )
            .map_err(CliError::Stdout)?;
        }
        lines += f.changes.len();
        changed += usize::from(!f.changes.is_empty());
        left.extend(f.left.iter().cloned());
    }
    for d in &left {
        eprintln!("{}", d.render(msg_lang()));
    }
    let key = match (lines, left.len(), dry_run) {
        (0, 0, _) => "cli.fix-nothing",
        (0, _, _) => "cli.fix-nothing-safe",
        (_, 0, false) => "cli.fixed",
        (_, 0, true) => "cli.fix-would",
        (_, _, false) => "cli.fixed-left",
        (_, _, true) => "cli.fix-would-left",
    };
    say(Message::new(key).arg("lines", lines).arg("files", changed).arg("left", left.len()));
    Ok(ExitCode::SUCCESS)
}

/// `policybook history`: front matter, and the releases when book.toml names their tags and the
/// project is in git.
pub fn history(root: &Path, doc: Option<&str>, edition: Option<&str>, lang: Lang) -> Result<ExitCode, CliError> {
    use book::history::{releases, HistoryError};
    let book = Book::open(root, None)?;
    let p = book.project();
    let filtered = edition.map(|name| policybook::edition::Edition::filter(p, name)).transpose()?;
    match &filtered {
        Some(e) => book::select(e.documents(), doc)?.len(),
        None => book::select(&p.documents, doc)?.len(),
    };
    let releases = match &p.config.history.release_tags {
        None => {
            say(Message::new("cli.no-release-tags"));
            None
        }
        Some(pattern) => match releases(root, pattern, edition) {
            Ok(r) => {
                warn_skipped_releases(root, pattern);
                Some(r)
            }
            Err(HistoryError::Git(e @ policybook::source::git::GitError::NotARepository { .. })) => {
                say(Message::new("cli.note").arg("text", e.localize(msg_lang())));
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    let releases = releases.as_deref();
    print!(
        "{}",
        match &filtered {
            Some(e) => book::history::text(&p.config, e.documents(), releases, doc, lang),
            None => book::history::text(&p.config, &p.documents, releases, doc, lang),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// What `policybook diff` was asked for.
pub struct DiffArgs {
    pub old: String,
    pub new: Option<String>,
    pub doc: Option<String>,
    pub edition: String,
    pub lang: Lang,
    pub format: DiffFormat,
    pub output: Option<PathBuf>,
    pub title: diff::Title,
    /// Write the Typst inputs of the PDF here instead of the comparison.
    pub emit_typst: Option<PathBuf>,
}

/// `policybook diff`: checks both revisions, compares, renders, writes.
pub fn diff(root: &Path, args: DiffArgs) -> Result<ExitCode, CliError> {
    if args.emit_typst.is_some() && !matches!(args.format, DiffFormat::Pdf) {
        return Err(CliError::EmitNotPdf);
    }
    let mut bar = progress::Bar::new();
    bar.begin(3);
    bar.stage(Message::new("cli.stage-check"));
    let (old, new) = match diff::open_both(root, &args.old, args.new.as_deref())? {
        (Ok(old), Ok(new)) => (old, new),
        (Err(r), _) | (_, Err(r)) => {
            let (origin, errors, check) = (r.origin(), r.errors(), r.check_command());
            let origin_ja = catalogue::origin_ja(origin);
            bar.finish();
            say_error(
                Message::new("cli.diff-rejected")
                    .arg_in("origin", origin, origin_ja)
                    .arg("errors", errors)
                    .arg("check", check),
            );
            return Ok(ExitCode::from(1));
        }
    };
    bar.stage(Message::new("cli.stage-compare"));
    let compared = diff::compare(&old, &new, &args.edition, args.doc, args.lang, &args.title)?;
    if let Some(dir) = &args.emit_typst {
        bar.stage(Message::new("cli.stage-render"));
        let emitted = diff::emit(&compared, &new)?;
        book::emit::write(dir, &emitted.files)?;
        bar.finish();
        say_emitted(dir, emitted.pdfs);
        leave((old, new, compared));
        return Ok(ExitCode::SUCCESS);
    }
    let terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = match args.format {
        DiffFormat::Text => diff::Format::Text { color: terminal },
        DiffFormat::Html => diff::Format::Html,
        DiffFormat::Json => diff::Format::Json,
        DiffFormat::Pdf if terminal => return Err(CliError::PdfToTerminal),
        DiffFormat::Pdf => diff::Format::Pdf,
    };
    bar.stage(Message::new("cli.stage-render"));
    let bytes = diff::render(&compared, format, &new)?;
    bar.finish();
    match &args.output {
        Some(p) => {
            book::output::write_atomically(p, &bytes).map_err(|source| CliError::Write { path: p.clone(), source })?;
            say(Message::new("cli.wrote-in").arg("path", p.display()).arg("secs", bar.secs()));
        }
        None => std::io::stdout().write_all(&bytes).map_err(CliError::Stdout)?,
    }
    leave((old, new, compared));
    Ok(ExitCode::SUCCESS)
}

/// What `policybook build` was asked for.
pub struct BuildArgs {
    pub request: build::Request,
    pub output: Option<PathBuf>,
    pub recipient: Option<String>,
    pub rev: Option<String>,
    /// Typeset every PDF, without the cache.
    pub no_cache: bool,
    /// Write the Typst inputs here instead of building.
    pub emit_typst: Option<PathBuf>,
}

/// `policybook build`: the editions (with the archive), or registered copies for a recipient.
pub fn build(root: &Path, args: BuildArgs) -> Result<ExitCode, CliError> {
    let BuildArgs { mut request, output, recipient, rev, no_cache, emit_typst } = args;
    let mut bar = progress::Bar::new();
    let book = Book::open(root, rev.as_deref())?;
    let order = recipient
        .map(|name| copies::Order::new(&book.project().config, &request.editions, &request.formats, &name))
        .transpose()?;
    let checked = match book.check() {
        Ok(c) => c,
        Err(r) => {
            print_text(r.diagnostics());
            say_error(Message::new("cli.build-stopped"));
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(dir) = emit_typst {
        let emitted = book::emit::emit(&checked, &request)?;
        book::emit::write(&dir, &emitted.files)?;
        say_emitted(&dir, emitted.pdfs);
        return Ok(ExitCode::SUCCESS);
    }
    let out_root = output.unwrap_or_else(|| checked.default_output());
    if !no_cache {
        request.cache = Some(out_root.clone());
    }
    match order {
        Some(order) => {
            make_copies(&checked, &order, &out_root)?;
            say(Message::new("cli.built").arg("secs", bar.secs()));
        }
        None => write_editions(&checked, &request, &out_root, &mut bar)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// What `--emit-typst` wrote, and how to typeset it.
fn say_emitted(dir: &Path, pdfs: usize) {
    let script = dir.join(book::emit::SCRIPT);
    say(Message::new("cli.emitted").arg("pdfs", pdfs).arg("dir", dir.display()).arg("script", script.display()));
}

fn make_copies(checked: &Checked, order: &copies::Order, out_root: &Path) -> Result<(), CliError> {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let today = policybook::model::Date::from_unix_days((secs / 86_400) as i64);
    let m = copies::make(checked, order, today, out_root)?;
    say(Message::new("cli.copies")
        .arg("dest", m.dest.display())
        .arg("count", m.count)
        .arg("recipient", &m.recipient)
        .arg("first", m.first_serial)
        .arg("last", m.last_serial)
        .arg("register", &m.register));
    Ok(())
}

fn write_editions(
    checked: &Checked,
    request: &build::Request,
    out_root: &Path,
    bar: &mut progress::Bar,
) -> Result<(), CliError> {
    // Locked before rendering, so that a second build on this output stops at once.
    let lock = book::output::OutputLock::acquire(out_root)?;
    let outputs = build::build_with(checked, request, bar)?;
    bar.finish();
    let pattern = checked.project().config.history.release_tags.as_deref().unwrap_or("");
    if request.all_releases {
        warn_skipped_releases(checked.dir(), pattern);
    }
    for (edition, files) in &outputs.archived {
        say(Message::new("cli.archived").arg("edition", edition).arg("files", files).arg("pattern", pattern));
    }
    for b in &outputs.built {
        lock.replace(&b.dir, &b.files)?;
    }
    let editions: std::collections::BTreeSet<&str> =
        outputs.built.iter().filter_map(|b| b.dir.split('/').next()).collect();
    let count = |ext: &str| outputs.built.iter().flat_map(|b| b.files.keys()).filter(|k| k.ends_with(ext)).count();
    say(Message::new("cli.built-editions")
        .arg("editions", editions.len())
        .arg("dest", out_root.display())
        .arg("html", count(".html"))
        .arg("pdf", count(".pdf"))
        .arg("secs", bar.secs()));
    if outputs.typeset + outputs.cached > 0 {
        say(Message::new("cli.pdf-cache").arg("typeset", outputs.typeset).arg("cached", outputs.cached));
    }
    let (typeset, kept) = outputs.parts;
    if typeset + kept > 0 {
        say(Message::new("cli.pdf-parts").arg("typeset", typeset).arg("kept", kept));
    }
    Ok(())
}

/// `policybook clean`: the PDF cache of the output folder, and with `all` the edition folders.
pub fn clean(root: &Path, output: Option<PathBuf>, all: bool) -> Result<ExitCode, CliError> {
    let out_root = match output {
        Some(dir) => dir,
        None => Book::open(root, None)?.default_output(),
    };
    let removed = book::pdf_cache::clean(&out_root, all)?;
    if removed.is_empty() {
        say(Message::new("cli.clean-nothing").arg("dir", out_root.display()));
    } else {
        say(Message::new("cli.cleaned").arg("removed", removed.join(", ")).arg("dir", out_root.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Tags matching the release pattern that name no commit, one warning each.
fn warn_skipped_releases(root: &Path, pattern: &str) {
    for w in book::history::skipped_releases(root, pattern) {
        say(Message::new("cli.warning").arg("text", w.full(msg_lang())));
    }
}

/// `policybook import`: writes the document, prints the report, then what `check` says of it.
pub fn import(root: &Path, request: book::import::Request) -> Result<ExitCode, CliError> {
    let mut bar = progress::Bar::new();
    bar.begin(1);
    bar.stage(Message::new("cli.stage-import").arg("file", request.file.display()));
    let done = book::import::import(root, &request)?;
    bar.finish();
    let r = &done.imported.report;
    let style = if r.article_style { "cli.import-articles" } else { "cli.import-admin" };
    let file = request.file.display();
    say(Message::new("cli.imported")
        .arg("file", file)
        .arg("encoding", &r.encoding)
        .arg("style", Message::new(style).message(msg_lang())));
    for (level, n) in r.sections_per_level.iter().enumerate() {
        say(Message::new("cli.import-level").arg("level", level + 1).arg("n", n));
    }
    say(Message::new("cli.import-items").arg("items", r.list_items).arg("refs", r.references.len()));
    for m in &r.references {
        eprintln!("    {}", m.message(msg_lang()));
    }
    if !r.cleaned.is_empty() {
        say(Message::new("cli.import-cleaned"));
        r.cleaned.iter().for_each(|(_, m)| eprintln!("    {}", m.message(msg_lang())));
    }
    let all: Vec<Diagnostic> = done.imported.diagnostics.iter().chain(&done.check).cloned().collect();
    print_text(&all);
    say(Message::new("cli.wrote-in").arg("path", done.path.display()).arg("secs", bar.secs()));
    let errors = done.check.iter().any(Diagnostic::is_error);
    Ok(if errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
