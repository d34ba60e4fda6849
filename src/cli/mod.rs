//! The commands: each opens the project through the façade, calls it, and prints. Errors are a
//! [`CliError`] (exit 2); sources with errors print their diagnostics and exit 1.

use crate::DiffFormat;
use policybook::book::{self, build, copies, diff, Book, Checked, Rejected};
use policybook::config::Lang;
use policybook::diag::Diagnostic;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    Build(#[from] build::BuildError),
    #[error(transparent)]
    Copies(#[from] copies::CopiesError),
    #[error(transparent)]
    Output(#[from] book::output::OutputError),
    #[error(transparent)]
    Compare(#[from] diff::CompareError),
    #[error("a PDF is not for the terminal\n  hint: pass -o FILE.pdf")]
    PdfToTerminal,
    #[error("{}: {source}", .path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Stdout(std::io::Error),
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
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_text(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if !diags.is_empty() {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}

/// `policybook check`: every diagnostic, as text or JSON; exit 1 on errors (or warnings, `strict`).
pub fn check(root: &Path, rev: Option<&str>, strict: bool, json: bool) -> Result<ExitCode, CliError> {
    let book = match Book::open(root, rev) {
        Ok(b) => b,
        Err(e) => match e.diagnostic() {
            // A bad book.toml is a source problem: one JSON record too.
            Some(d) if json => {
                print!("{}", policybook::diag::json(&[d]));
                return Ok(ExitCode::from(1));
            }
            _ => return Err(e.into()),
        },
    };
    let checked = book.check();
    let diags = checked.as_ref().map_or_else(Rejected::diagnostics, |c| c.warnings());
    if json {
        print!("{}", policybook::diag::json(diags));
    } else {
        print_text(diags);
        if let (Ok(c), true) = (&checked, diags.is_empty()) {
            eprintln!("ok: {} documents, no problems", c.project().documents.len());
        }
    }
    let failed = checked.is_err() || (strict && !diags.is_empty());
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
        eprintln!("nothing to confirm in {doc}: every translation is current");
    } else {
        eprintln!("confirmed {} section(s) of {doc}: {}", done.len(), done.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// `policybook init`.
pub fn init(dir: &Path) -> Result<ExitCode, CliError> {
    book::init::create(dir)?;
    eprintln!("created {}: try `policybook -C {} check`", dir.display(), dir.display());
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
            eprintln!("note: no [history] release-tags in book.toml: showing front matter only");
            None
        }
        Some(pattern) => match releases(root, pattern, edition) {
            Ok(r) => {
                warn_skipped_releases(root, pattern);
                Some(r)
            }
            Err(HistoryError::Git(e @ policybook::source::git::GitError::NotARepository { .. })) => {
                eprintln!("note: {e}");
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
}

/// `policybook diff`: checks both revisions, compares, renders, writes.
pub fn diff(root: &Path, args: DiffArgs) -> Result<ExitCode, CliError> {
    let (old, new) = (Book::open(root, Some(&args.old))?, Book::open(root, args.new.as_deref())?);
    let (old, new) = match (old.check(), new.check()) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(r), _) | (_, Err(r)) => {
            let (origin, errors, check) = (r.origin(), r.errors(), r.check_command());
            eprintln!("error: {origin} has {errors} error(s): no comparison is made\n  hint: see `{check}`");
            return Ok(ExitCode::from(1));
        }
    };
    let compared = diff::compare(&old, &new, &args.edition, args.doc, args.lang, &args.title)?;
    let terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = match args.format {
        DiffFormat::Text => diff::Format::Text { color: terminal },
        DiffFormat::Html => diff::Format::Html,
        DiffFormat::Json => diff::Format::Json,
        DiffFormat::Pdf if terminal => return Err(CliError::PdfToTerminal),
        DiffFormat::Pdf => diff::Format::Pdf,
    };
    let bytes = diff::render(&compared, format, &new)?;
    match &args.output {
        Some(p) => {
            std::fs::write(p, &bytes).map_err(|source| CliError::Write { path: p.clone(), source })?;
            eprintln!("wrote {}", p.display());
        }
        None => std::io::stdout().write_all(&bytes).map_err(CliError::Stdout)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// What `policybook build` was asked for.
pub struct BuildArgs {
    pub request: build::Request,
    pub output: Option<PathBuf>,
    pub recipient: Option<String>,
    pub rev: Option<String>,
}

/// `policybook build`: the editions (with the archive), or registered copies for a recipient.
pub fn build(root: &Path, args: BuildArgs) -> Result<ExitCode, CliError> {
    let BuildArgs { request, output, recipient, rev } = args;
    let book = Book::open(root, rev.as_deref())?;
    let order = recipient
        .map(|name| copies::Order::new(&book.project().config, &request.editions, &request.formats, &name))
        .transpose()?;
    let checked = match book.check() {
        Ok(c) => c,
        Err(r) => {
            print_text(r.diagnostics());
            eprintln!("build stopped: fix the errors above (the previous output is unchanged)");
            return Ok(ExitCode::from(1));
        }
    };
    let out_root = output.unwrap_or_else(|| checked.default_output());
    let start = std::time::Instant::now();
    match order {
        Some(order) => make_copies(&checked, &order, &out_root)?,
        None => write_editions(&checked, &request, &out_root)?,
    }
    eprintln!("built in {:.2} s", start.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

fn make_copies(checked: &Checked, order: &copies::Order, out_root: &Path) -> Result<(), CliError> {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let today = policybook::model::Date::from_unix_days((secs / 86_400) as i64);
    let m = copies::make(checked, order, today, out_root)?;
    eprintln!(
        "wrote {} ({} registered copies for {}, serials {} to {}; register {})",
        m.dest.display(),
        m.count,
        m.recipient,
        m.first_serial,
        m.last_serial,
        m.register
    );
    Ok(())
}

fn write_editions(checked: &Checked, request: &build::Request, out_root: &Path) -> Result<(), CliError> {
    // Locked before rendering, so that a second build on this output stops at once.
    let lock = book::output::OutputLock::acquire(out_root)?;
    let outputs = build::build(checked, request)?;
    let pattern = checked.project().config.history.release_tags.as_deref().unwrap_or("");
    if request.all_releases {
        warn_skipped_releases(checked.dir(), pattern);
    }
    for (edition, files) in &outputs.archived {
        eprintln!("{edition}: {files} archived files from releases {pattern}");
    }
    for b in &outputs.built {
        let dest = lock.replace(&b.dir, &b.files)?;
        eprintln!("wrote {} ({} files)", dest.display(), b.files.len());
    }
    Ok(())
}

/// Tags matching the release pattern that name no commit, one warning each.
fn warn_skipped_releases(root: &Path, pattern: &str) {
    for w in book::history::skipped_releases(root, pattern) {
        eprintln!("warning: {w}");
    }
}
