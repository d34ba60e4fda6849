//! The `policybook` command line: parses arguments, calls the façade ([`policybook::book`]) in
//! [`cli`], and renders diagnostics and errors once, here at the edge.

mod cli;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use policybook::config::{Format, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "policybook",
    version,
    disable_help_subcommand = true,
    about = "Bilingual municipal information security policies: check, build editions, 新旧対照表"
)]
struct Cli {
    /// The project folder (holding book.toml). Default: the current folder.
    #[arg(short = 'C', long = "project", global = true, value_name = "DIR")]
    project: Option<PathBuf>,
    /// The language of messages (diagnostics, errors, summaries). Default: book.toml [book]
    /// messages, else the locale (LC_ALL, LC_MESSAGES, LANG starting with "ja": Japanese).
    #[arg(long = "messages", global = true, value_enum, value_name = "LANG")]
    messages: Option<LangArg>,
    /// Print nothing but errors: no progress bar, summary lines or warnings.
    #[arg(short = 'q', long = "quiet", global = true)]
    quiet: bool,
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

impl From<BuildFormat> for Format {
    fn from(f: BuildFormat) -> Format {
        match f {
            BuildFormat::Html => Format::Html,
            BuildFormat::Pdf => Format::Pdf,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Html,
    Json,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
enum DocTypeArg {
    BasicPolicy,
    Standard,
    Procedure,
    Other,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnlyArg {
    All,
    Stale,
    Untranslated,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChangesFormat {
    Text,
    Html,
}

/// `policybook translation …`: the translator's tools.
#[derive(Subcommand)]
enum TranslationCommand {
    /// Per document and in total: sections translated and confirmed, stale, unconfirmed, untranslated.
    Status {
        /// As this edition sees them. Default: the edition with the highest ceiling.
        #[arg(long, value_name = "NAME")]
        edition: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// For each stale section, the Japanese when the English was confirmed (from git history)
    /// against the Japanese now, character by character.
    Diff {
        /// A document id (default: every document).
        doc: Option<String>,
        /// Section ids (default: every stale section).
        sections: Vec<String>,
        /// Show what this edition holds. Default: the edition with the highest ceiling.
        #[arg(long, value_name = "NAME")]
        edition: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ChangesFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// An XLIFF 2.0 package for a translation vendor: one unit per section of the edition.
    Export {
        /// The edition: nothing above its ceiling is in the package (public for an outside vendor).
        #[arg(long, value_name = "NAME")]
        edition: String,
        /// Which sections.
        #[arg(long, value_enum, default_value = "all")]
        only: OnlyArg,
        /// The package file (FILE.xlf).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Write a translated XLIFF package's targets into the English files and confirm them.
    Import {
        /// The package (FILE.xlf) made by `translation export`.
        file: PathBuf,
    },
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
    /// Fix input-method slips in the sources, in place: full-width Markdown (＃ → #, ［］（） → [](),
    /// ：：： → :::, ｜ → |, １． → 1.), a 全角スペース typed to indent a paragraph. Prints each
    /// changed line; the slips only the author can fix are listed, as `check` shows them.
    Fix {
        /// Show what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Rename a section id, rewriting every reference to it in both languages and all documents
    /// (and the `ja=` records those references change); edits the files in place.
    RenameId {
        /// The document id.
        doc: String,
        /// The section's id now.
        old: String,
        /// Its new id.
        new: String,
    },
    /// The translator's tools: status, what changed in the Japanese of stale sections.
    Translation {
        #[command(subcommand)]
        command: TranslationCommand,
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
        /// PDFs typeset at once. Default: the number of available cores.
        #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Typeset every PDF, neither using nor filling the PDF cache (<output>/.cache/pdf).
        #[arg(long)]
        no_cache: bool,
        /// Write the Typst inputs of the PDFs into DIR instead of typesetting them: one folder
        /// per PDF (main.typ, data.json, common.typ, images), the fonts, and compile.sh with one
        /// typst CLI command per PDF.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["recipient", "all_releases"])]
        emit_typst: Option<PathBuf>,
    },
    /// Remove the PDF cache of the output folder (<output>/.cache); with --all, also every
    /// edition folder a build wrote (registered copies stay).
    Clean {
        /// The output folder. Default: book.toml's [book] output.
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
        /// Also remove the editions' HTML and PDF folders.
        #[arg(long)]
        all: bool,
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
    /// Explain the source format (files, front-matter, sections, numbering, references,
    /// classification, reiki), in the language of messages; `help COMMAND` is `COMMAND --help`.
    Help {
        /// A topic (default: the list of topics) or a command.
        topic: Option<String>,
    },
    /// Import a policy from plain text (UTF-8 or Shift_JIS / CP932), Word .docx or Markdown into
    /// the source folder, Japanese only: structure from the numbering, ids, references, front matter.
    Import {
        /// The file to import.
        file: PathBuf,
        /// The document id (default: from the title).
        #[arg(long)]
        id: Option<String>,
        /// The document type.
        #[arg(long = "type", value_enum, default_value = "other")]
        doc_type: DocTypeArg,
        /// The document's classification: a level key of book.toml.
        #[arg(long, default_value = "public")]
        classification: String,
        /// Write into this folder instead of the project's source folder.
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
        /// Replace an existing document of the same id.
        #[arg(long)]
        force: bool,
    },
    /// Preview an edition while you write: build its HTML in memory (nothing is written to the
    /// output folder), serve it on this computer, rebuild when a source, template or book.toml
    /// changes and reload the open page; the problems `check` finds show in the page. The first
    /// line printed is the address served. PDFs on request: /<doc>.<lang>.pdf, /<doc>.parallel.pdf.
    Serve {
        /// The edition to preview.
        #[arg(long, value_name = "NAME", default_value = "internal")]
        edition: String,
        /// The port, or the first free one after it (0: one the system chooses).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on. Another than 127.0.0.1 (this computer only) lets other
        /// computers see the edition: a warning is printed.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the desktop's browser.
        #[arg(long)]
        open: bool,
        /// Watch the files by polling their modification times (network drives, WSL), not by
        /// the system's file events (polling is also used when those fail).
        #[arg(long)]
        poll: bool,
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
        /// The output format (pdf with --emit-typst).
        #[arg(
            long,
            value_enum,
            default_value = "text",
            default_value_if("emit_typst", clap::builder::ArgPredicate::IsPresent, "pdf")
        )]
        format: DiffFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
        /// The amending instrument, the table's title: 「…の一部を改正する訓令」 (default: book.toml
        /// [diff] instrument, else the document's title).
        #[arg(long, value_name = "NAME")]
        instrument: Option<String>,
        /// Print the edition and the commits under the title (internal papers, not a 議案).
        #[arg(long)]
        subtitle: bool,
        /// Write the Typst inputs of the comparison's PDF into DIR instead of the PDF: main.typ,
        /// data.json and common.typ in DIR/diff, the fonts, and compile.sh with the typst CLI
        /// command.
        #[arg(long, value_name = "DIR", conflicts_with = "output")]
        emit_typst: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    // A typesetting worker started by this same binary (render::typeset): no user command.
    if std::env::args_os().nth(1).is_some_and(|a| a == policybook::render::typeset::WORKER_ARG) {
        return ExitCode::from(policybook::render::typeset::work());
    }
    if let Ok(exe) = std::env::current_exe() {
        policybook::render::typeset::use_workers(exe, cli::alloc::purge_promptly);
    }
    let cli = Cli::parse();
    let root = cli.project.clone().unwrap_or_else(|| PathBuf::from("."));
    let book = policybook::book::messages_setting(&root);
    let lang = policybook::diag::message_language(cli.messages.map(Lang::from), book, |v| std::env::var(v).ok());
    cli::set_lang(lang);
    cli::progress::set_quiet(cli.quiet);
    match run(cli.command, &root) {
        Ok(code) => code,
        Err(e) => cli::fail(e),
    }
}

fn run(command: Command, root: &std::path::Path) -> Result<ExitCode, cli::CliError> {
    match command {
        Command::Check { strict, format, rev } => {
            cli::check(root, rev.as_deref(), strict, matches!(format, OutFormat::Json))
        }
        Command::Outline { doc, lang, rev } => cli::outline(root, doc.as_deref(), lang.into(), rev.as_deref()),
        Command::Confirm { doc, sections } => cli::confirm(root, &doc, &sections),
        Command::RenameId { doc, old, new } => cli::rename_id(root, &doc, &old, &new),
        Command::Init { dir } => cli::init(&dir),
        Command::Fix { dry_run } => cli::fix(root, dry_run),
        Command::Help { topic: Some(t) }
            if !cli::help::is_topic(&t) && Cli::command().find_subcommand(&t).is_some() =>
        {
            let mut cmd = Cli::command();
            let sub = cmd.find_subcommand_mut(&t).expect("found above");
            sub.print_long_help().map_err(cli::CliError::Stdout)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Help { topic } => cli::help::help(topic.as_deref()),
        Command::Translation { command } => translation(command, root),
        Command::History { doc, edition, lang } => cli::history(root, doc.as_deref(), edition.as_deref(), lang.into()),
        Command::Diff { old, new, doc, edition, lang, format, output, instrument, subtitle, emit_typst } => {
            let title = policybook::book::diff::Title { instrument, subtitle };
            let args = cli::DiffArgs { old, new, doc, edition, lang: lang.into(), format, output, title, emit_typst };
            cli::diff(root, args)
        }
        Command::Import { file, id, doc_type, classification, output, force } => {
            let doc_type = doc_type.to_possible_value().map_or("other".into(), |v| v.get_name().to_string());
            let file_name = file.display().to_string();
            let options = policybook::import::Options { id, doc_type, classification, file: file_name };
            cli::import(root, policybook::book::import::Request { file, options, out_dir: output, force })
        }
        Command::Serve { edition, port, bind, open, poll } => {
            cli::serve::serve(root, cli::serve::ServeArgs { edition, port, bind, open, poll })
        }
        Command::Build { editions, formats, output, recipient, rev, all_releases, jobs, no_cache, emit_typst } => {
            let formats = formats.into_iter().map(Format::from).collect();
            let jobs = jobs.map_or(0, usize::from);
            let request = policybook::book::build::Request { editions, formats, all_releases, jobs, cache: None };
            cli::build(root, cli::BuildArgs { request, output, recipient, rev, no_cache, emit_typst })
        }
        Command::Clean { output, all } => cli::clean(root, output, all),
    }
}

fn translation(command: TranslationCommand, root: &std::path::Path) -> Result<ExitCode, cli::CliError> {
    use cli::translation as t;
    match command {
        TranslationCommand::Status { edition, format } => {
            t::status(root, edition.as_deref(), matches!(format, OutFormat::Json))
        }
        TranslationCommand::Diff { doc, sections, edition, format, output } => {
            let html = matches!(format, ChangesFormat::Html);
            t::diff(root, t::DiffArgs { doc, sections, edition, html, output })
        }
        TranslationCommand::Export { edition, only, output } => {
            use policybook::render::xliff::Only;
            let only = match only {
                OnlyArg::All => Only::All,
                OnlyArg::Stale => Only::Stale,
                OnlyArg::Untranslated => Only::Untranslated,
            };
            t::export(root, &edition, only, &output)
        }
        TranslationCommand::Import { file } => t::import(root, &file),
    }
}
