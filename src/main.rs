//! The `policybook` command line: parses arguments, calls the façade ([`policybook::book`]) in
//! [`cli`], and renders diagnostics and errors once, here at the edge.

mod cli;

use clap::{Parser, Subcommand, ValueEnum};
use policybook::config::{Format, Lang};
use std::path::PathBuf;
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
        /// The amending instrument, the table's title: 「…の一部を改正する訓令」 (default: book.toml
        /// [diff] instrument, else the document's title).
        #[arg(long, value_name = "NAME")]
        instrument: Option<String>,
        /// Print the edition and the commits under the title (internal papers, not a 議案).
        #[arg(long)]
        subtitle: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.project.clone().unwrap_or_else(|| PathBuf::from("."));
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
        Command::Init { dir } => cli::init(&dir),
        Command::History { doc, edition, lang } => cli::history(root, doc.as_deref(), edition.as_deref(), lang.into()),
        Command::Diff { old, new, doc, edition, lang, format, output, instrument, subtitle } => {
            let title = policybook::book::diff::Title { instrument, subtitle };
            cli::diff(root, cli::DiffArgs { old, new, doc, edition, lang: lang.into(), format, output, title })
        }
        Command::Build { editions, formats, output, recipient, rev, all_releases } => {
            let formats = formats.into_iter().map(Format::from).collect();
            let request = policybook::book::build::Request { editions, formats, all_releases };
            cli::build(root, cli::BuildArgs { request, output, recipient, rev })
        }
    }
}
