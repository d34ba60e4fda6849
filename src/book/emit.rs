//! `policybook build --emit-typst DIR`: instead of typesetting, the Typst inputs of every PDF of
//! the requested editions, exactly as the build would typeset them (the same plan,
//! [`crate::render::pdf::plan`]), for a template author's typst CLI and for the benchmark; and
//! `policybook diff --emit-typst DIR`, those of the 新旧対照表's PDF.
//!
//! Layout: `DIR/<edition>/<pdf stem>/main.typ` (`DIR/diff/main.typ` for a comparison) with its
//! virtual files beside it (`data.json`, `common.typ`, `figures/…`), the fonts once in
//! `DIR/fonts/`, and `DIR/compile.sh`, one `typst compile` per PDF (run from anywhere;
//! `TYPST=/path/to/typst` chooses the binary).

use super::build::{editions, plan_pdfs, wanted, BuildError, Request};
use super::Checked;
use crate::config::Format;
use crate::diag::{Localize, Message};
use crate::model::Date;
use crate::render::diff::pdf::Inputs;
use crate::render::typeset::Standards;
use crate::render::{self, Assets, Files};
use std::path::{Path, PathBuf};

/// The script that compiles every emitted input.
pub const SCRIPT: &str = "compile.sh";

#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("{}", self.text())]
    NotEmpty(PathBuf),
    #[error("{}", self.text())]
    Io { path: PathBuf, source: std::io::Error },
}

impl Localize for EmitError {
    fn text(&self) -> Message {
        match self {
            EmitError::NotEmpty(dir) => Message::new("emit-not-empty").arg("dir", dir.display()),
            EmitError::Io { path, source } => Message::new("io-write").arg("path", path.display()).arg("error", source),
        }
    }
}

/// The emitted files (relative to DIR), and how many PDFs they describe.
#[derive(Debug)]
pub struct Emitted {
    pub files: Files,
    pub pdfs: usize,
}

/// The Typst inputs of every PDF `req` asks for, in memory.
pub fn emit(checked: &Checked, req: &Request) -> Result<Emitted, BuildError> {
    let assets = Assets::load(checked.source(), &checked.project().config)?;
    let editions = editions(checked, req)?;
    let mut files = Files::new();
    let mut script = head("build");
    let mut pdfs = 0;
    let wanted = wanted(&editions, req).into_iter().filter(|(_, f)| *f == Format::Pdf).enumerate();
    let threads = render::pool::default_threads();
    let planned = plan_pdfs(checked, &assets, wanted.map(|(i, (e, _))| (i, e)).collect(), threads)?;
    for (_, edition, jobs) in planned {
        for job in jobs {
            let stem = job.file.strip_suffix(".pdf").unwrap_or(&job.file);
            let dir = format!("{}/{stem}", edition.name());
            script.push_str(&command(&dir, &job.file, job.date, job.standards));
            add(&mut files, &dir, job.main, job.files);
            pdfs += 1;
        }
    }
    Ok(finish(files, script, &assets, pdfs))
}

/// The folder of a comparison's inputs in DIR.
const DIFF_DIR: &str = "diff";
/// The PDF that compile.sh makes of them, in that folder.
const DIFF_PDF: &str = "diff.pdf";

/// The Typst inputs of a 新旧対照表 ([`crate::render::diff::pdf::inputs`]), in memory.
pub fn diff(inputs: Inputs, assets: &Assets) -> Emitted {
    let (mut files, mut script) = (Files::new(), head("diff"));
    script.push_str(&command(DIFF_DIR, DIFF_PDF, inputs.date, inputs.standards));
    add(&mut files, DIFF_DIR, inputs.main, inputs.files);
    finish(files, script, assets, 1)
}

/// The start of compile.sh, made by `policybook <made_by> --emit-typst`.
fn head(made_by: &str) -> String {
    format!(
        "#!/bin/sh\n# Made by policybook {made_by} --emit-typst: one typst compile per PDF, as policybook typesets it.\n\
         set -e\ncd \"$(dirname \"$0\")\"\nTYPST=\"${{TYPST:-typst}}\"\n"
    )
}

/// One PDF's template and virtual files, into `dir`.
fn add(files: &mut Files, dir: &str, main: String, virtual_files: Vec<(String, Vec<u8>)>) {
    for (name, bytes) in virtual_files {
        files.insert(format!("{dir}/{}", name.trim_start_matches('/')), bytes);
    }
    files.insert(format!("{dir}/main.typ"), main.into_bytes());
}

/// The emission with the fonts and compile.sh.
fn finish(mut files: Files, script: String, assets: &Assets, pdfs: usize) -> Emitted {
    for (name, bytes) in assets.font_files() {
        files.insert(format!("fonts/{name}"), bytes.to_vec());
    }
    files.insert(SCRIPT.into(), script.into_bytes());
    Emitted { files, pdfs }
}

/// The typst CLI command that compiles the inputs emitted in `dir` into `dir/<file>`.
fn command(dir: &str, file: &str, date: Date, standards: Standards) -> String {
    let standards = match standards {
        Standards::None => "",
        Standards::ArchivalAccessible => " --pdf-standard a-2b,ua-1",
    };
    format!(
        "\"$TYPST\" compile --root '{dir}' --font-path fonts --ignore-system-fonts --ignore-embedded-fonts \
         --creation-timestamp {}{standards} '{dir}/main.typ' '{dir}/{file}'\n",
        date.unix_days() * 86_400,
    )
}

/// Writes `files` into `dir`: a new or empty folder, or one an earlier emission made (it has
/// [`SCRIPT`]), which is emptied first.
pub fn write(dir: &Path, files: &Files) -> Result<(), EmitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EmitError::Io { path, source }
    };
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            if !dir.join(SCRIPT).is_file() {
                return Err(EmitError::NotEmpty(dir.to_path_buf()));
            }
            std::fs::remove_dir_all(dir).map_err(io(dir))?;
        }
    }
    for (rel, bytes) in files {
        // Names come from the plan (ids, languages, `figures/<digest>.<ext>`): never `..`.
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = dir.join(SCRIPT);
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).map_err(io(&script))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::model::Date;

    #[test]
    fn unix_days_inverts_from_unix_days() {
        for days in [-800_000, -1, 0, 1, 59, 365, 11_016, 20_544, 2_932_896] {
            assert_eq!(Date::from_unix_days(days).unix_days(), days);
        }
        assert_eq!(Date { year: 2026, month: 4, day: 1 }.unix_days() * 86_400, 1_775_001_600);
    }
}
