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

#[derive(Subcommand)]
enum Command {
    /// Check the sources: references, bilingual parity, stale translations, metadata, numbering.
    Check {
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// Print the numbered outline of the documents, with section ids and levels.
    Outline {
        /// A document id (default: all documents).
        doc: Option<String>,
        #[arg(long, value_enum, default_value = "ja")]
        lang: LangArg,
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

fn run(command: Command, root: &Path) -> Result<ExitCode, String> {
    match command {
        Command::Check { strict, format } => {
            let (_, loaded) = open(root)?;
            let diags = policybook::check::run(&loaded);
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
        Command::Outline { doc, lang } => {
            let (_, loaded) = open(root)?;
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
                print!("{}", policybook::outline::outline(&p.config, d, lang.into()));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Confirm { doc, sections } => {
            let (source, loaded) = open(root)?;
            let d = loaded.project.document(&doc).ok_or_else(|| format!("no document {doc:?}"))?;
            let (edits, done) =
                policybook::confirm::plan(d, &sections, &|f| source.read_text(f).ok()).map_err(|e| e.to_string())?;
            for (file, lines) in &edits {
                let text = source.read_text(file).map_err(|e| e.to_string())?;
                let new = policybook::confirm::apply(&text, lines);
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
            for (rel, bytes) in policybook::init::files() {
                let p = dir.join(&rel);
                std::fs::create_dir_all(p.parent().unwrap()).map_err(|e| e.to_string())?;
                std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            eprintln!("created {}: try `policybook -C {} check`", dir.display(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Build { editions, formats, output, recipient } => {
            let (source, loaded) = open(root)?;
            if let Some(name) = recipient {
                return build_copies(root, &source, &loaded, &editions, &formats, output, &name);
            }
            let diags = policybook::check::run(&loaded);
            if diags.iter().any(|d| d.is_error()) {
                print_text(&diags);
                eprintln!("build stopped: fix the errors above (the previous output is unchanged)");
                return Ok(ExitCode::from(1));
            }
            let req = policybook::build::Request {
                editions,
                formats: formats
                    .into_iter()
                    .map(|f| match f {
                        BuildFormat::Html => Format::Html,
                        BuildFormat::Pdf => Format::Pdf,
                    })
                    .collect(),
            };
            let start = std::time::Instant::now();
            let built = policybook::build::build(&loaded.project, &source, &req).map_err(|e| e.to_string())?;
            let out_root = output.unwrap_or_else(|| root.join(&loaded.project.config.book.output));
            for b in &built {
                let dest = out_root.join(&b.dir);
                policybook::output::replace_dir(&dest, &b.files).map_err(|e| format!("{}: {e}", dest.display()))?;
                eprintln!("wrote {} ({} files)", dest.display(), b.files.len());
            }
            eprintln!("built in {:.2} s", start.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `build --recipient NAME`: registered copies. The register is written (atomically) before any
/// copy, so a register that cannot be written leaves no unregistered copy behind.
fn build_copies(
    root: &Path,
    source: &WorkTree,
    loaded: &Loaded,
    editions: &[String],
    formats: &[BuildFormat],
    output: Option<PathBuf>,
    name: &str,
) -> Result<ExitCode, String> {
    use policybook::render::pdf::register;
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
    let diags = policybook::check::run(loaded);
    if diags.iter().any(|d| d.is_error()) {
        print_text(&diags);
        eprintln!("build stopped: fix the errors above (the previous output is unchanged)");
        return Ok(ExitCode::from(1));
    }
    let reg_path = root.join(&reg_rel);
    let existing = match std::fs::read_to_string(&reg_path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{reg_rel}: the distribution register cannot be read: {e}")),
    };
    let first = register::next_number(existing.as_deref().unwrap_or(""));
    let serial = |i: usize| register::serial(edition, first + i as u32);
    let start = std::time::Instant::now();
    let (built, copies) =
        policybook::build::build_copies(&loaded.project, source, edition, name, &serial).map_err(|e| e.to_string())?;
    let (date, commit) = (register::today(), register::git_commit(root));
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
    policybook::output::replace_dir(&dest, &built.files).map_err(|e| format!("{}: {e}", dest.display()))?;
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
