//! `policybook check`: every problem of a project's sources as a diagnostic.
//!
//! Loading already reports front matter, structure, parity, classification and translation state;
//! this module adds what needs the whole project: references that do not resolve, references
//! that some edition would leave dangling, and numbers typed by hand.

use crate::config::Lang;
use crate::diag::{self, Diagnostic};
use crate::model::{plain_text, Loaded, Project};
use crate::model::xref;

/// All diagnostics of a loaded project, sorted by place.
pub fn run(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = loaded.diagnostics.clone();
    references(&loaded.project, &mut out);
    typed_numbers(&loaded.project, &mut out);
    diag::sort(&mut out);
    out.dedup();
    out
}

fn references(p: &Project, out: &mut Vec<Diagnostic>) {
    let index = xref::Index::new(&p.documents);
    for doc in &p.documents {
        xref::each_ref(doc, &mut |r, level, lang| {
            let name = match &r.section {
                Some(s) => format!("{}#{s}", r.doc),
                None => r.doc.clone(),
            };
            let Some(t) = index.resolve(&p.documents, r) else {
                let hint = match p.document(&r.doc) {
                    Some(_) => format!(
                        "no section {:?} in document {:?}: check the id (see `policybook outline {}`)",
                        r.section.as_deref().unwrap_or(""),
                        r.doc,
                        r.doc
                    ),
                    None => format!(
                        "no document {:?}: documents are {}",
                        r.doc,
                        p.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                };
                out.push(Diagnostic::error(
                    "ref-unresolved",
                    r.loc.clone(),
                    format!("reference to {name} does not resolve"),
                    hint,
                ));
                return;
            };
            if lang == Lang::En && r.section.is_none() && r.content.is_empty() {
                // A whole-document reference prints the title: fine.
            }
            // Every edition that shows the reference must show its target.
            let target = t.level();
            if let Some(e) = p.config.editions.iter().find(|e| e.ceiling >= level && e.ceiling < target) {
                out.push(Diagnostic::error(
                    "ref-hidden",
                    r.loc.clone(),
                    format!(
                        "reference to {name} ({}) stands in {} content: it would be a dead link in the {} edition",
                        p.config.level_def(target).key,
                        p.config.level_def(level).key,
                        e.name
                    ),
                    format!(
                        "refer only to content at the same level or lower, or move the reference into a `::: {}` part",
                        p.config.level_def(target).key
                    ),
                ));
            }
        });
    }
}

/// A heading that starts with a number the author typed (numbers are computed).
fn typed_numbers(p: &Project, out: &mut Vec<Diagnostic>) {
    for doc in &p.documents {
        for s in doc.walk() {
            for (lang, text) in [(Lang::Ja, Some(&s.ja)), (Lang::En, s.en.as_ref())] {
                let Some(text) = text else { continue };
                let title = plain_text(&text.title);
                if let Some(n) = typed_number(&title) {
                    out.push(Diagnostic::warning(
                        "typed-number",
                        text.loc.clone(),
                        format!("heading {title:?} starts with a typed number {n:?} ({lang})"),
                        "numbers are computed: remove it from the heading",
                    ));
                }
            }
        }
    }
}

fn typed_number(title: &str) -> Option<String> {
    let t = title.trim_start();
    let word: String = t.chars().take_while(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    if word.len() == t.len() {
        return None;
    }
    let is_num = |w: &str| {
        let inner = w.trim_start_matches(['(', '（']).trim_end_matches([')', '）', '.', '．']);
        !inner.is_empty()
            && (inner.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                || (inner.chars().count() == 1 && inner.chars().all(|c| ('ア'..='ン').contains(&c)))
                || (inner.starts_with('第') && (inner.ends_with('条') || inner.ends_with('章'))))
    };
    is_num(&word).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::typed_number;

    #[test]
    fn typed_numbers_are_recognised() {
        assert_eq!(typed_number("1 目的").as_deref(), Some("1"));
        assert_eq!(typed_number("(3) 情報システム").as_deref(), Some("(3)"));
        assert_eq!(typed_number("ア　対象").as_deref(), Some("ア"));
        assert_eq!(typed_number("第2条 定義").as_deref(), Some("第2条"));
        assert_eq!(typed_number("目的"), None);
        assert_eq!(typed_number("LGWAN接続系"), None);
        assert_eq!(typed_number("2024 revision of X").as_deref(), Some("2024"));
    }
}
