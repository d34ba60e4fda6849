//! The point-in-time archive of an HTML edition (`policybook build --all-releases`): per document,
//! its released versions at stable URLs (`<doc>/versions/<date>/ja.html`, …, `<date>` being the
//! effective date of that version) and the 新旧対照表 from the previous release
//! (`<doc>/versions/<date>/shinkyu.ja.html`), plus `<doc>/versions/index.html`. Every release is
//! read from git objects and filtered to the edition before anything is rendered or compared, so
//! a release that changed only content above the edition's ceiling adds no version to it.

use crate::config::Lang;
use crate::render::diff::{compare, html, DocStatus, Options};
use crate::edition::Edition;
use crate::book::history::{release_sources, HistoryError};
use crate::model::{load, Date};
use crate::render::Files;
use crate::render;
use crate::source::Source;
use crate::model::wareki::format_date;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error("release {tag}: {message}")]
    Release { tag: String, message: String },
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

/// The archive files of edition `name`, relative to the edition's HTML folder.
pub fn archive(project_dir: &Path, pattern: &str, name: &str) -> Result<Files, ArchiveError> {
    let mut files = Files::new();
    let mut versions: std::collections::BTreeMap<String, Vec<Version>> = Default::default();
    let mut prev: Option<(String, Edition)> = None;
    for (tag, _, _, source) in release_sources(project_dir, pattern)? {
        let err = |message: String| ArchiveError::Release { tag: tag.clone(), message };
        let loaded = load(&source).map_err(|e| err(e.to_string()))?;
        // A release with errors is not published: an error such as a container missing from the
        // English text could otherwise put classified text into the archive.
        let errors = crate::model::check::run(&loaded).iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            return Err(err(format!(
                "{errors} error(s) in its sources (see `policybook check --rev {tag}`): it cannot be archived; \
                 fix the sources and move the tag, or narrow [history] release-tags"
            )));
        }
        // A release from before this edition existed is not part of its archive.
        let Ok(edition) = Edition::filter(&loaded.project, name) else { continue };
        let langs = edition.def().languages.clone();
        let mut site: Option<Files> = None;
        for doc in edition.documents() {
            let status = match &prev {
                None => DocStatus::Added,
                Some((_, p)) => {
                    let opts = Options {
                        lang: Lang::Ja,
                        doc: Some(doc.id.clone()),
                        old_label: String::new(),
                        new_label: String::new(),
                    };
                    match compare(p, &edition, &opts) {
                        Ok(d) => d.documents.first().map_or(DocStatus::Unchanged, |d| d.status),
                        Err(e) => return Err(err(e.to_string())),
                    }
                }
            };
            if status == DocStatus::Unchanged {
                continue;
            }
            if site.is_none() {
                site = Some(render::html::render(&edition, &source as &dyn Source).map_err(|e| err(e.to_string()))?);
            }
            let date = doc.effective.iso();
            let dir = format!("{}/versions/{date}", doc.id);
            let prefix = format!("{}/", doc.id);
            for (path, bytes) in site.iter().flatten() {
                if let Some(rest) = path.strip_prefix(&prefix) {
                    let lang = if rest.starts_with("en.") { Lang::En } else { Lang::Ja };
                    let banner = banner(lang, doc.effective, &tag);
                    files.insert(format!("{dir}/{rest}"), deepen(bytes, &banner));
                }
            }
            let previous = prev.as_ref().filter(|(_, p)| p.document(&doc.id).is_some()).map(|(t, _)| t.clone());
            if let Some((ptag, p)) = prev.as_ref().filter(|(_, p)| p.document(&doc.id).is_some()) {
                for &lang in &langs {
                    let opts =
                        Options { lang, doc: Some(doc.id.clone()), old_label: ptag.clone(), new_label: tag.clone() };
                    let d = compare(p, &edition, &opts).map_err(|e| err(e.to_string()))?;
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
                previous,
            });
        }
        prev = Some((tag.clone(), edition));
    }
    for (doc, list) in &versions {
        files.insert(format!("{doc}/versions/index.html"), index(doc, list).into_bytes());
    }
    Ok(files)
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
    match lang {
        Lang::Ja => format!(
            "<p class=\"notice archived\">これは{}施行の版（{}）です。<a href=\"../../ja.html\">現行の版</a>・<a href=\"../index.html\">過去の版の一覧</a></p>",
            e(&format_date(date, lang)),
            e(tag)
        ),
        Lang::En => format!(
            "<p class=\"notice archived\">This is the version effective {} ({}). <a href=\"../../en.html\">Current version</a> · <a href=\"../index.html\">Past versions</a></p>",
            e(&format_date(date, lang)),
            e(tag)
        ),
    }
}

fn index(doc: &str, list: &[Version]) -> String {
    let e = crate::render::escape::html;
    let mut rows = String::new();
    for v in list.iter().rev() {
        let diff = match &v.previous {
            Some(p) => format!("<a href=\"{d}/shinkyu.ja.html\">新旧対照表</a>（{}から）", e(p), d = e(&v.date.iso())),
            None => String::new(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{d}/ja.html\">日本語</a>{en}</td><td>{diff}</td></tr>\n",
            e(&format_date(v.date, Lang::Ja)),
            e(v.version.as_deref().unwrap_or_default()),
            e(&v.tag),
            d = e(&v.date.iso()),
            en = if v.english {
                format!(" <a href=\"{}/en.html\" lang=\"en\">English</a>", e(&v.date.iso()))
            } else {
                String::new()
            },
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} 過去の版</title>\n<link rel=\"stylesheet\" href=\"../../style.css\">\n</head>\n<body>\n<main>\n<h1>{title} 過去の版</h1>\n<p><a href=\"../ja.html\">現行の版</a></p>\n<table>\n<thead><tr><th>施行日</th><th>版</th><th>リリース</th><th>本文</th><th>改正内容</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</main>\n</body>\n</html>\n",
        title = e(list.last().map_or(doc, |v| v.title.as_str()))
    )
}
