//! `policybook translation status|diff`.

use super::CliError;
use policybook::book::{translation, Book};
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
            std::fs::write(p, out).map_err(|source| CliError::Write { path: p.clone(), source })?;
            eprintln!("wrote {} ({} stale section(s), edition {})", p.display(), items.len(), edition.name());
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
    let book = Book::open(root, None)?;
    let edition = policybook::edition::Edition::filter(book.project(), edition)?;
    let xml = translation::xliff::export(&book, &edition, only)?;
    std::fs::write(output, &xml).map_err(|source| CliError::Write { path: output.to_path_buf(), source })?;
    let units = xml.matches("<unit ").count();
    eprintln!("wrote {} ({units} units, edition {})", output.display(), edition.name());
    Ok(ExitCode::SUCCESS)
}

/// `policybook translation import`: exit 1 when a unit was refused.
pub fn import(root: &Path, file: &Path) -> Result<ExitCode, CliError> {
    let xml = std::fs::read_to_string(file).map_err(|source| CliError::Read { path: file.to_path_buf(), source })?;
    let book = Book::open(root, None)?;
    let r = translation::import::import(&book, &file.display().to_string(), &xml)?;
    for (unit, reason) in &r.refused {
        eprintln!("refused {unit}: {reason}");
    }
    if !r.unconfirmed.is_empty() {
        eprintln!(
            "imported, not confirmed (they hold parts above the package's edition): {}",
            r.unconfirmed.join(", ")
        );
    }
    eprintln!(
        "imported and confirmed {} section(s){}; wrote {}",
        r.confirmed.len(),
        if r.confirmed.is_empty() { String::new() } else { format!(": {}", r.confirmed.join(", ")) },
        if r.files.is_empty() { "nothing".to_string() } else { r.files.join(", ") }
    );
    if !r.refused.is_empty() {
        eprintln!("{} unit(s) refused: nothing of them was written\n  hint: export again from the current sources and carry the translations over", r.refused.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
