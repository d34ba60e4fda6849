//! The point-in-time archive of an HTML edition (`policybook build --all-releases`): per document,
//! its released versions at stable URLs (`<doc>/versions/<date>/ja.html`, …, `<date>` being the
//! effective date of that version) and the 新旧対照表 from the previous release
//! (`<doc>/versions/<date>/shinkyu.ja.html`), plus `<doc>/versions/index.html`. Every release is
//! read from git objects and filtered to the edition before anything is rendered or compared, so
//! a release that changed only content above the edition's ceiling adds no version to it.
//! Each release is opened and checked through the façade ([`releases`]): the archive takes only
//! [`Checked`] releases.

use super::history::{release_sources, HistoryError};
use super::{Book, Checked, OpenError};
use crate::config::Lang;
use crate::diag::{Localize, Message};
use crate::edition::Document;
use crate::edition::Edition;
use crate::model::wareki::format_date;
use crate::model::Date;
use crate::render::diff::{compare, html, DocStatus, Options};
use crate::render::{self, words, Assets, Files};
use crate::source::git::Tagged;
use crate::source::Source;
use std::path::Path;
use std::rc::Rc;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error("{}", self.text())]
    Release { tag: String, message: String },
}

impl Localize for ArchiveError {
    fn text(&self) -> Message {
        match self {
            ArchiveError::History(e) => e.text(),
            ArchiveError::Release { tag, message } => Message::new("release").arg("tag", tag).arg("detail", message),
        }
    }
}

/// A release: the project as checked at a git tag.
pub struct Release {
    pub tag: String,
    pub checked: Checked,
}

/// One archived version of a document.
#[derive(Debug, Clone)]
struct Version {
    date: Date,
    tag: String,
    version: Option<String>,
    title: String,
    english: bool,
    /// The tag of the release it is compared with (none for the first).
    previous: Option<String>,
}

/// The releases of the project in `project_dir` (tags matching `pattern`), oldest first, each
/// read from git objects and checked. A release with errors is not published: an error such as a
/// container missing from the English text could otherwise put classified text into the archive.
pub fn releases(project_dir: &Path, pattern: &str) -> Result<Vec<Release>, ArchiveError> {
    let mut out = Vec::new();
    // Most files are the same from one release to the next: each is parsed once.
    let cache = crate::model::ParseCache::default();
    for Tagged { tag, source, .. } in release_sources(project_dir, pattern)? {
        let err = |message: String| ArchiveError::Release { tag: tag.clone(), message };
        let book = match Book::from_source_with(project_dir, Some(&tag), Box::new(source), Some(&cache)) {
            Ok(b) => b,
            Err(OpenError::Load { error, .. }) => return Err(err(error.to_string())),
            Err(e) => return Err(err(e.to_string())),
        };
        let checked = book.check().map_err(|r| {
            err(format!(
                "{} error(s) in its sources (see `{}`): it cannot be archived; \
                 fix the sources and move the tag, or narrow [history] release-tags",
                r.errors(),
                r.check_command()
            ))
        })?;
        out.push(Release { tag, checked });
    }
    Ok(out)
}

/// The archive files of edition `name`, relative to the edition's HTML folder. Each version of a
/// document is compared with the last version of it that this edition showed: a release that
/// changed only what the edition leaves out is named nowhere in it.
pub fn archive(releases: &[Release], name: &str) -> Result<Files, ArchiveError> {
    let mut files = Files::new();
    let mut versions: std::collections::BTreeMap<String, Vec<Version>> = Default::default();
    // Per document, the release (tag, edition) of the last version this edition showed.
    let mut shown: std::collections::HashMap<String, (&str, Rc<Edition>)> = Default::default();
    for Release { tag, checked } in releases {
        let err = |e: &dyn std::fmt::Display| ArchiveError::Release { tag: tag.clone(), message: e.to_string() };
        // A release from before this edition existed is not part of its archive.
        let Ok(edition) = Edition::filter(checked.project(), name) else { continue };
        let edition = Rc::new(edition);
        // A document the release dropped starts afresh when it comes back.
        shown.retain(|id, _| edition.document(id).is_some());
        let langs = edition.def().languages.clone();
        let mut site: Option<Files> = None;
        for doc in edition.documents() {
            let before = shown.get(&doc.id);
            if status(before.map(|(_, p)| &**p), &edition, doc).map_err(|e| err(&e))? == DocStatus::Unchanged {
                continue;
            }
            let site = match &site {
                Some(s) => s,
                None => site.insert(release_site(&edition, checked.source()).map_err(|e| err(&e))?),
            };
            let dir = format!("{}/versions/{}", doc.id, doc.effective.iso());
            pages(&mut files, site, doc, &dir, tag);
            if let Some((ptag, p)) = before {
                for &lang in &langs {
                    let opts = Options::new(lang, Some(doc.id.clone()), ptag.to_string(), tag.clone());
                    let d = compare(p, &edition, &opts).map_err(|e| err(&e))?;
                    files.insert(format!("{dir}/shinkyu.{}.html", lang.code()), html::render(&d).into_bytes());
                }
            }
            let list = versions.entry(doc.id.clone()).or_default();
            list.retain(|v| v.date != doc.effective);
            list.push(Version {
                date: doc.effective,
                tag: tag.clone(),
                version: doc.version.clone(),
                title: doc.title.ja.clone(),
                english: langs.contains(&Lang::En),
                previous: before.map(|(t, _)| t.to_string()),
            });
            shown.insert(doc.id.clone(), (tag.as_str(), Rc::clone(&edition)));
        }
    }
    for (doc, list) in &versions {
        files.insert(format!("{doc}/versions/index.html"), index(doc, list).into_bytes());
    }
    Ok(files)
}

/// How `doc` changed since the previous release's edition (`None` for the first release).
fn status(prev: Option<&Edition>, edition: &Edition, doc: &Document) -> Result<DocStatus, render::diff::DiffError> {
    let Some(p) = prev else { return Ok(DocStatus::Added) };
    let opts = Options::new(Lang::Ja, Some(doc.id.clone()), String::new(), String::new());
    Ok(compare(p, edition, &opts)?.documents.first().map_or(DocStatus::Unchanged, |d| d.status))
}

/// The pages of `doc` from its edition's `site`, into the archive folder `dir`, with a banner.
fn pages(files: &mut Files, site: &Files, doc: &Document, dir: &str, tag: &str) {
    let prefix = format!("{}/", doc.id);
    for (path, bytes) in site {
        if let Some(rest) = path.strip_prefix(&prefix) {
            let lang = if rest.starts_with("en.") { Lang::En } else { Lang::Ja };
            let banner = banner(lang, doc.effective, tag);
            files.insert(format!("{dir}/{rest}"), deepen(bytes, &banner));
        }
    }
}

/// The whole site of a release, with the release's own templates: its pages look as they did.
fn release_site(edition: &Edition, source: &dyn Source) -> Result<Files, String> {
    let assets = Assets::load(source, edition.config()).map_err(|e| e.to_string())?;
    render::html::render(edition, &assets, &render::html::Options::default()).map_err(|e| e.to_string())
}

/// Document pages live one folder deeper in the archive (`<doc>/versions/<date>/` instead of
/// `<doc>/`): their relative links to the site root and other documents gain `../../`. Source
/// text is escaped in pages (`"` is `&quot;`), so `="../` only ever occurs in markup.
/// The banner after the opening `<main>` of the default templates (a project template without it
/// gets none) says which version this is.
fn deepen(bytes: &[u8], banner: &str) -> Vec<u8> {
    const MAIN: &str = "<main id=\"pb_main\" tabindex=\"-1\">";
    match std::str::from_utf8(bytes) {
        Ok(s) => s.replace("=\"../", "=\"../../../").replacen(MAIN, &format!("{MAIN}\n{banner}"), 1).into_bytes(),
        Err(_) => bytes.to_vec(),
    }
}

fn banner(lang: Lang, date: Date, tag: &str) -> String {
    let e = crate::render::escape::html;
    let w = words::archived(lang);
    format!(
        "<p class=\"notice archived\">{}<a href=\"../../{}.html\">{}</a>{}<a href=\"../index.html\">{}</a></p>",
        words::this_version(lang, &e(&format_date(date, lang)), &e(tag)),
        lang.code(),
        w.current,
        w.separator,
        w.past
    )
}

fn index(doc: &str, list: &[Version]) -> String {
    let e = crate::render::escape::html;
    let w = &words::VERSIONS;
    let mut rows = String::new();
    for v in list.iter().rev() {
        let diff = match &v.previous {
            Some(p) => format!(
                "<a href=\"{d}/shinkyu.ja.html\">{}</a>{}",
                w.table,
                words::versions_from(&e(p)),
                d = e(&v.date.iso())
            ),
            None => String::new(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{d}/ja.html\">{}</a>{en}</td><td>{diff}</td></tr>\n",
            e(&format_date(v.date, Lang::Ja)),
            e(v.version.as_deref().unwrap_or_default()),
            e(&v.tag),
            w.ja,
            d = e(&v.date.iso()),
            en = if v.english {
                format!(" <a href=\"{}/en.html\" lang=\"en\">{}</a>", e(&v.date.iso()), w.en)
            } else {
                String::new()
            },
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} {past}</title>\n<link rel=\"stylesheet\" href=\"../../style.css\">\n</head>\n<body>\n<main>\n<h1>{title} {past}</h1>\n<p><a href=\"../ja.html\">{}</a></p>\n<table>\n<thead><tr>{heads}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</main>\n</body>\n</html>\n",
        w.current,
        title = e(list.last().map_or(doc, |v| v.title.as_str())),
        past = w.title,
        heads = w.heads.iter().map(|h| format!("<th>{h}</th>")).collect::<String>()
    )
}
