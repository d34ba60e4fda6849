//! The `policybook` command line: parses arguments, opens the project, runs a command, and renders
//! diagnostics and errors once, here at the edge.

use clap::{Parser, Subcommand, ValueEnum};
use policybook::config::{Format, Lang};
use policybook::diag::Diagnostic;
use policybook::model::{load, Loaded};
use policybook::source::{Source, WorkTree};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "policybook",
    version,
    about = "Bilingual municipal information security policies: check, build editions, 新旧対照表"
)]
struct Cli {
    /// The project folder (holding book.toml). Default: the current folder.
    #[arg(short = 'C', long = "project", global = true, value_name = "DIR")]
    project: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum BuildFormat {
    Html,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Html,
    Json,
    Pdf,
}

#[derive(Subcommand)]
enum Command {
    /// Check the sources: references, bilingual parity, stale translations, metadata, numbering.
    Check {
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
        /// Check this git revision (commit, tag, branch, HEAD~3) instead of the working tree.
        #[arg(long, value_name = "REV")]
        rev: Option<String>,
    },
    /// Print the numbered outline of the documents, with section ids and levels.
    Outline {
        /// A document id (default: all documents).
        doc: Option<String>,
        #[arg(long, value_enum, default_value = "ja")]
        lang: LangArg,
        /// Outline this git revision instead of the working tree.
        #[arg(long, value_name = "REV")]
        rev: Option<String>,
    },
    /// Record that English sections match the current Japanese text (clears "stale").
    Confirm {
        /// The document id.
        doc: String,
        /// Section ids (default: every stale or unconfirmed section of the document).
        sections: Vec<String>,
    },
    /// Create a new project with one document in both languages.
    Init {
        /// The folder to create (must not exist or be empty).
        dir: PathBuf,
    },
    /// Build editions (HTML site, PDF) into the output folder.
    Build {
        /// Build only this edition (repeatable). Default: every edition of book.toml.
        #[arg(long = "edition", value_name = "NAME")]
        editions: Vec<String>,
        /// Build only this format (repeatable). Default: each edition's formats.
        #[arg(long = "format", value_enum)]
        formats: Vec<BuildFormat>,
        /// The output folder. Default: book.toml's [book] output.
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
        /// Make registered PDF copies of one internal or restricted edition for this recipient:
        /// recipient and serial number on every page, one line per PDF in the register
        /// (book.toml [pdf] register).
        #[arg(long, value_name = "NAME")]
        recipient: Option<String>,
        /// Build this git revision (commit, tag, branch, HEAD~3), read from git objects without
        /// checking anything out. Default: the working tree.
        #[arg(long, value_name = "REV")]
        rev: Option<String>,
        /// Also archive the released versions (git tags matching [history] release-tags) in each
        /// HTML edition: <doc>/versions/<date>/ with the 新旧対照表 from the previous release.
        #[arg(long)]
        all_releases: bool,
    },
    /// The revisions of each document: 改定履歴 from front matter, and the releases (git tags
    /// matching [history] release-tags in book.toml).
    History {
        /// Only this document.
        #[arg(long, value_name = "ID")]
        doc: Option<String>,
        /// Only what this edition holds (default: every document, for authors).
        #[arg(long, value_name = "NAME")]
        edition: Option<String>,
        #[arg(long, value_enum, default_value = "ja")]
        lang: LangArg,
    },
    /// Compare two revisions: the 新旧対照表 (old/new comparison table) of an edition.
    Diff {
        /// The older revision (commit, tag, branch, HEAD~1).
        old: String,
        /// The newer revision. Default: the working tree.
        new: Option<String>,
        /// Only this document (default: every document that changed).
        #[arg(long, value_name = "ID")]
        doc: Option<String>,
        /// The edition to compare: content above its ceiling leaves no trace.
        #[arg(long, value_name = "NAME", default_value = "public")]
        edition: String,
        #[arg(long, value_enum, default_value = "ja")]
        lang: LangArg,
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.project.clone().unwrap_or_else(|| PathBuf::from("."));
    match run(cli.command, &root) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Loads the project, or explains why not.
fn open(root: &Path) -> Result<(WorkTree, Loaded), String> {
    let source = WorkTree::new(root);
    if !source.exists("book.toml") {
        return Err(format!(
            "no book.toml in {}\n  hint: run policybook in the project folder, pass -C DIR, or create a project with `policybook init DIR`",
            root.display()
        ));
    }
    match load(&source) {
        Ok(l) => Ok((source, l)),
        Err(policybook::model::LoadError::Config(e)) => Err(format!("{}: {}\n  hint: {}", e.loc, e.message, e.hint)),
        Err(e) => Err(e.to_string()),
    }
}

/// Loads the project from a git revision when `rev` is given, from the working tree otherwise.
fn open_at(root: &Path, rev: Option<&str>) -> Result<(Box<dyn Source>, Loaded), String> {
    let Some(rev) = rev else {
        let (s, l) = open(root)?;
        return Ok((Box::new(s), l));
    };
    let source = policybook::source::git::GitSource::open(root, rev).map_err(|e| e.to_string())?;
    if !source.exists("book.toml") {
        return Err(format!("no book.toml in {} of {}", root.display(), source.origin()));
    }
    match load(&source) {
        Ok(l) => Ok((Box::new(source), l)),
        Err(policybook::model::LoadError::Config(e)) => {
            Err(format!("{} ({}): {}\n  hint: {}", e.loc, source.origin(), e.message, e.hint))
        }
        Err(e) => Err(e.to_string()),
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

/// `policybook diff`: loads both revisions, filters the edition on each, compares, renders.
fn diff_command(root: &Path, args: DiffArgs) -> Result<ExitCode, String> {
    use std::io::{IsTerminal, Write};
    let lang: Lang = args.lang.into();
    let label = |rev: Option<&str>, origin: String| match rev {
        Some(_) => origin.trim_start_matches("revision ").to_string(),
        None => match lang {
            Lang::Ja => "作業ツリー".to_string(),
            Lang::En => "working tree".to_string(),
        },
    };
    let (old_src, old) = open_at(root, Some(&args.old))?;
    let (new_src, new) = open_at(root, args.new.as_deref())?;
    // Like `build`, a comparison refuses sources with errors: an error such as a container missing
    // from the English text could otherwise put classified text into the table.
    for (loaded, src, rev) in [(&old, &old_src, Some(args.old.as_str())), (&new, &new_src, args.new.as_deref())] {
        let errors = policybook::model::check::run(loaded).iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            let check = rev.map_or("policybook check".to_string(), |r| format!("policybook check --rev {r}"));
            eprintln!("error: {} has {errors} error(s): no comparison is made\n  hint: see `{check}`", src.origin());
            return Ok(ExitCode::from(1));
        }
    }
    let old_ed = policybook::edition::Edition::filter(&old.project, &args.edition)
        .map_err(|e| format!("{e} ({})", old_src.origin()))?;
    let new_ed = policybook::edition::Edition::filter(&new.project, &args.edition)
        .map_err(|e| format!("{e} ({})", new_src.origin()))?;
    let opts = policybook::render::diff::Options {
        lang,
        doc: args.doc,
        old_label: label(Some(&args.old), old_src.origin()),
        new_label: label(args.new.as_deref(), new_src.origin()),
    };
    let diff = policybook::render::diff::compare(&old_ed, &new_ed, &opts).map_err(|e| e.to_string())?;
    let bytes = match args.format {
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&diff).map_err(|e| e.to_string())?;
            s.push('\n');
            s.into_bytes()
        }
        DiffFormat::Html => policybook::render::diff::html::render(&diff).into_bytes(),
        DiffFormat::Text => {
            let color = args.output.is_none() && std::io::stdout().is_terminal();
            policybook::render::diff::text::render(&diff, color).into_bytes()
        }
        DiffFormat::Pdf => {
            if args.output.is_none() && std::io::stdout().is_terminal() {
                return Err("a PDF is not for the terminal\n  hint: pass -o FILE.pdf".into());
            }
            policybook::render::diff::pdf::render(&diff, &new.project.config, new_src.as_ref()).map_err(|e| e.to_string())?
        }
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, &bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            eprintln!("wrote {}", p.display());
        }
        None => std::io::stdout().write_all(&bytes).map_err(|e| e.to_string())?,
    }
    Ok(ExitCode::SUCCESS)
}

struct DiffArgs {
    old: String,
    new: Option<String>,
    doc: Option<String>,
    edition: String,
    lang: LangArg,
    format: DiffFormat,
    output: Option<PathBuf>,
}

fn run(command: Command, root: &Path) -> Result<ExitCode, String> {
    match command {
        Command::History { doc, edition, lang } => {
            let (_, loaded) = open(root)?;
            let p = &loaded.project;
            let filtered = match &edition {
                Some(name) => Some(policybook::edition::Edition::filter(p, name).map_err(|e| e.to_string())?),
                None => None,
            };
            let docs = filtered.as_ref().map_or(p.documents.as_slice(), |e| e.documents());
            if let Some(id) = &doc {
                if !docs.iter().any(|d| d.id == *id) {
                    return Err(format!(
                        "no document {id:?} (documents: {})",
                        docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            let releases = match &p.config.history.release_tags {
                None => {
                    eprintln!("note: no [history] release-tags in book.toml: showing front matter only");
                    None
                }
                Some(pattern) => match policybook::book::history::releases(root, pattern, edition.as_deref()) {
                    Ok(r) => Some(r),
                    Err(policybook::book::history::HistoryError::Git(
                        e @ policybook::source::git::GitError::NotARepository { .. },
                    )) => {
                        eprintln!("note: {e}");
                        None
                    }
                    Err(e) => return Err(e.to_string()),
                },
            };
            print!("{}", policybook::book::history::text(&p.config, docs, releases.as_deref(), doc.as_deref(), lang.into()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { old, new, doc, edition, lang, format, output } => {
            diff_command(root, DiffArgs { old, new, doc, edition, lang, format, output })
        }
        Command::Check { strict, format, rev } => {
            let (_, loaded) = open_at(root, rev.as_deref())?;
            let diags = policybook::model::check::run(&loaded);
            match format {
                OutFormat::Text => {
                    print_text(&diags);
                    if diags.is_empty() {
                        let n = loaded.project.documents.len();
                        eprintln!("ok: {n} documents, no problems");
                    }
                }
                OutFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&diags).map_err(|e| e.to_string())?);
                }
            }
            let failed = diags.iter().any(|d| d.is_error()) || (strict && !diags.is_empty());
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Outline { doc, lang, rev } => {
            let (_, loaded) = open_at(root, rev.as_deref())?;
            let p = &loaded.project;
            let docs: Vec<_> = match &doc {
                Some(id) => vec![p.document(id).ok_or_else(|| {
                    format!(
                        "no document {id:?} (documents: {})",
                        p.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
                    )
                })?],
                None => p.documents.iter().collect(),
            };
            for d in docs {
                print!("{}", policybook::model::outline::outline(&p.config, d, lang.into()));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Confirm { doc, sections } => {
            let (source, loaded) = open(root)?;
            let d = loaded.project.document(&doc).ok_or_else(|| format!("no document {doc:?}"))?;
            let (edits, done) =
                policybook::book::confirm::plan(d, &sections, &|f| source.read_text(f).ok()).map_err(|e| e.to_string())?;
            for (file, lines) in &edits {
                let text = source.read_text(file).map_err(|e| e.to_string())?;
                let new = policybook::book::confirm::apply(&text, lines);
                std::fs::write(root.join(file), new).map_err(|e| format!("{file}: {e}"))?;
            }
            if done.is_empty() {
                eprintln!("nothing to confirm in {doc}: every translation is current");
            } else {
                eprintln!("confirmed {} section(s) of {doc}: {}", done.len(), done.join(", "));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            if dir.exists() && std::fs::read_dir(&dir).map_err(|e| e.to_string())?.next().is_some() {
                return Err(format!("{} exists and is not empty\n  hint: choose a new folder", dir.display()));
            }
            for (rel, bytes) in policybook::book::init::files() {
                let p = dir.join(&rel);
                std::fs::create_dir_all(p.parent().unwrap()).map_err(|e| e.to_string())?;
                std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            eprintln!("created {}: try `policybook -C {} check`", dir.display(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Build { editions, formats, output, recipient, rev, all_releases } => {
            let (source, loaded) = open_at(root, rev.as_deref())?;
            if let Some(name) = recipient {
                let copies =
                    Copies { editions: &editions, formats: &formats, output, rev: rev.as_deref(), name: &name };
                return build_copies(root, source.as_ref(), &loaded, copies);
            }
            let diags = policybook::model::check::run(&loaded);
            if diags.iter().any(|d| d.is_error()) {
                print_text(&diags);
                eprintln!("build stopped: fix the errors above (the previous output is unchanged)");
                return Ok(ExitCode::from(1));
            }
            let mut req = policybook::book::build::Request {
                editions,
                formats: formats
                    .into_iter()
                    .map(|f| match f {
                        BuildFormat::Html => Format::Html,
                        BuildFormat::Pdf => Format::Pdf,
                    })
                    .collect(),
                versions: Default::default(),
            };
            let start = std::time::Instant::now();
            // The archive comes first: the current pages link to the documents that have one.
            let mut archives = std::collections::BTreeMap::new();
            if all_releases {
                let config = &loaded.project.config;
                let pattern = config.history.release_tags.clone().ok_or(
                    "--all-releases needs the tags that mark releases\n  hint: set [history] release-tags = \"policy-*\" in book.toml",
                )?;
                let html_wanted = req.formats.is_empty() || req.formats.contains(&Format::Html);
                for e in config.editions.iter().filter(|e| req.editions.is_empty() || req.editions.contains(&e.name)) {
                    if !html_wanted || !e.formats.contains(&Format::Html) {
                        continue;
                    }
                    let files = policybook::book::archive::archive(root, &pattern, &e.name).map_err(|e| e.to_string())?;
                    eprintln!("{}: {} archived files from releases {pattern}", e.name, files.len());
                    let docs = files.keys().filter_map(|k| k.strip_suffix("/versions/index.html")).map(str::to_string);
                    req.versions.insert(e.name.clone(), docs.collect());
                    archives.insert(e.name.clone(), files);
                }
            }
            let mut built =
                policybook::book::build::build(&loaded.project, source.as_ref(), &req).map_err(|e| e.to_string())?;
            for b in built.iter_mut() {
                if let Some(files) = b.dir.strip_suffix("/html").and_then(|name| archives.remove(name)) {
                    b.files.extend(files);
                }
            }
            let out_root = output.unwrap_or_else(|| root.join(&loaded.project.config.book.output));
            for b in &built {
                let dest = out_root.join(&b.dir);
                policybook::book::output::replace_dir(&dest, &b.files).map_err(|e| format!("{}: {e}", dest.display()))?;
                eprintln!("wrote {} ({} files)", dest.display(), b.files.len());
            }
            eprintln!("built in {:.2} s", start.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `build --recipient NAME`: registered copies. The register is written (atomically) before any
/// copy, so a register that cannot be written leaves no unregistered copy behind.
/// What `build --recipient` was asked for.
struct Copies<'a> {
    editions: &'a [String],
    formats: &'a [BuildFormat],
    output: Option<PathBuf>,
    rev: Option<&'a str>,
    name: &'a str,
}

/// Holds the distribution register's lock file while copies are numbered, built and registered,
/// so that two runs at once never give two copies the same serial.
struct RegisterLock(PathBuf);

impl RegisterLock {
    fn acquire(register: &Path) -> Result<RegisterLock, String> {
        let path = register.with_extension("lock");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        for _ in 0..600 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(RegisterLock(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    std::thread::sleep(std::time::Duration::from_millis(100))
                }
                Err(e) => {
                    return Err(format!(
                        "{}: the register's lock cannot be created: {e}\n  hint: no copy was made",
                        path.display()
                    ))
                }
            }
        }
        Err(format!(
            "{}: another build has been registering copies for a minute\n  hint: if no policybook build is running, remove this lock file and try again; no copy was made",
            path.display()
        ))
    }
}

impl Drop for RegisterLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn build_copies(root: &Path, source: &dyn Source, loaded: &Loaded, req: Copies<'_>) -> Result<ExitCode, String> {
    use policybook::book::register;
    let Copies { editions, formats, output, rev, name } = req;
    let config = &loaded.project.config;
    if formats.iter().any(|f| matches!(f, BuildFormat::Html)) {
        return Err("--recipient applies to PDF only\n  hint: use --format pdf (or no --format)".into());
    }
    let [edition] = editions else {
        return Err(
            "--recipient needs exactly one --edition\n  hint: e.g. --edition restricted --recipient NAME".into()
        );
    };
    let def = config.edition(edition).ok_or_else(|| format!("no edition named {edition:?} in book.toml"))?;
    if def.ceiling == config.lowest() {
        return Err(format!(
            "--recipient is for internal and restricted editions: the {edition} edition holds only content of the lowest level, and its copies are not registered\n  hint: build it without --recipient, or name an internal or restricted edition"
        ));
    }
    if !def.formats.contains(&Format::Pdf) {
        return Err(format!("the {edition} edition has no PDF format in book.toml, so it has no copies to register"));
    }
    if name.trim().is_empty() {
        return Err("--recipient needs a name".into());
    }
    let Some(reg_rel) = config.pdf.register.clone() else {
        return Err("book.toml sets no distribution register\n  hint: add register = \"output/distribution-register.csv\" under [pdf]".into());
    };
    let diags = policybook::model::check::run(loaded);
    if diags.iter().any(|d| d.is_error()) {
        print_text(&diags);
        eprintln!("build stopped: fix the errors above (the previous output is unchanged)");
        return Ok(ExitCode::from(1));
    }
    let reg_path = root.join(&reg_rel);
    let _lock = RegisterLock::acquire(&reg_path)?;
    let existing = match std::fs::read_to_string(&reg_path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{reg_rel}: the distribution register cannot be read: {e}")),
    };
    let first = register::next_number(existing.as_deref().unwrap_or(""));
    let serial = |i: usize| register::serial(edition, first + i as u32);
    let start = std::time::Instant::now();
    let (built, copies) =
        policybook::book::build::build_copies(&loaded.project, source, edition, name, &serial).map_err(|e| e.to_string())?;
    let (date, commit) =
        (register::today(), register::git_commit(root, rev, &["book.toml", &config.book.source, "templates"]));
    let entries: Vec<register::Entry> = copies
        .iter()
        .map(|c| register::Entry {
            serial: c.serial.clone(),
            recipient: name.to_string(),
            date,
            edition: edition.clone(),
            document: c.file.clone(),
            commit: commit.clone(),
            sha256: register::sha256(&built.files[&c.file]),
        })
        .collect();
    let text = register::append(&reg_rel, existing.as_deref(), &entries).map_err(|e| e.to_string())?;
    write_atomically(&reg_path, text.as_bytes()).map_err(|e| {
        format!("{reg_rel}: the distribution register cannot be written: {e}\n  hint: no copy was made")
    })?;
    let out_root = output.unwrap_or_else(|| root.join(&config.book.output));
    let dest = out_root.join(&built.dir);
    policybook::book::output::replace_dir(&dest, &built.files).map_err(|e| format!("{}: {e}", dest.display()))?;
    eprintln!(
        "wrote {} ({} registered copies for {name}, serials {} to {}; register {reg_rel})",
        dest.display(),
        copies.len(),
        serial(0),
        serial(copies.len().saturating_sub(1))
    );
    eprintln!("built in {:.2} s", start.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// Writes `path` through a temporary file beside it and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
