//! `policybook translation status|diff`.

use super::{msg_lang, progress, say, say_error, CliError};
use policybook::book::progress::Progress;
use policybook::book::{translation, Book};
use policybook::diag::Message;
use policybook::render::diff::stale;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `policybook translation status`: a table, or JSON.
pub fn status(root: &Path, edition: Option<&str>, json: bool) -> Result<ExitCode, CliError> {
    let book = Book::open(root, None)?;
    let edition = translation::edition(book.project(), edition)?;
    let s = translation::status::status(&edition);
    let text = match json {
        true => serde_json::to_string_pretty(&s).map_err(|e| CliError::Stdout(e.into()))? + "\n",
        false => translation::status::table(&s),
    };
    std::io::stdout().write_all(text.as_bytes()).map_err(CliError::Stdout)?;
    Ok(ExitCode::SUCCESS)
}

/// What `policybook translation diff` was asked for.
pub struct DiffArgs {
    pub doc: Option<String>,
    pub sections: Vec<String>,
    pub edition: Option<String>,
    pub html: bool,
    pub output: Option<PathBuf>,
}

/// `policybook translation diff`: the stale sections' Japanese then and now.
pub fn diff(root: &Path, args: DiffArgs) -> Result<ExitCode, CliError> {
    let book = Book::open(root, None)?;
    let edition = translation::edition(book.project(), args.edition.as_deref())?;
    let items = translation::changes::changes(&book, &edition, args.doc.as_deref(), &args.sections)?;
    let color = args.output.is_none() && std::io::stdout().is_terminal();
    let out = if args.html { stale::html(&items) } else { stale::text(&items, color) };
    match &args.output {
        Some(p) => {
            policybook::book::output::write_atomically(p, out.as_bytes())
                .map_err(|source| CliError::Write { path: p.clone(), source })?;
            let m = Message::new("cli.wrote-stale").arg("path", p.display()).arg("n", items.len());
            say(m.arg("edition", edition.name()));
        }
        None => std::io::stdout().write_all(out.as_bytes()).map_err(CliError::Stdout)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `policybook translation export`: the XLIFF package of an edition.
pub fn export(
    root: &Path,
    edition: &str,
    only: policybook::render::xliff::Only,
    output: &Path,
) -> Result<ExitCode, CliError> {
    let mut bar = progress::Bar::new();
    bar.begin(2);
    bar.stage(Message::new("cli.stage-read"));
    let book = Book::open(root, None)?;
    let edition = policybook::edition::Edition::filter(book.project(), edition)?;
    bar.stage(Message::new("cli.stage-export"));
    let xml = translation::xliff::export(&book, &edition, only)?;
    policybook::book::output::write_atomically(output, xml.as_bytes())
        .map_err(|source| CliError::Write { path: output.to_path_buf(), source })?;
    bar.finish();
    let units = xml.matches("<unit ").count();
    say(Message::new("cli.wrote-xliff")
        .arg("path", output.display())
        .arg("units", units)
        .arg("edition", edition.name())
        .arg("secs", bar.secs()));
    Ok(ExitCode::SUCCESS)
}

/// `policybook translation import`: exit 1 when a unit was refused.
pub fn import(root: &Path, file: &Path) -> Result<ExitCode, CliError> {
    // Read as the working tree reads a project file: a regular file, no symbolic link, size-limited.
    let bytes = policybook::book::import::read_input(file)?;
    let xml = String::from_utf8_lossy(&bytes);
    let book = Book::open(root, None)?;
    let r = translation::import::import(&book, &file.display().to_string(), &xml)?;
    for (unit, reason) in &r.refused {
        say_error(Message::new("cli.xliff-refused").arg("unit", unit).arg("reason", reason.message(msg_lang())));
    }
    if !r.unconfirmed.is_empty() {
        say(Message::new("cli.xliff-unconfirmed").arg("sections", r.unconfirmed.join(", ")));
    }
    let files = r.files.join(", ");
    say(Message::new("cli.xliff-imported")
        .arg("n", r.confirmed.len())
        .arg("sections", r.confirmed.join(", "))
        .arg("files", files));
    if !r.refused.is_empty() {
        say_error(Message::new("cli.xliff-refused-count").arg("n", r.refused.len()));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
