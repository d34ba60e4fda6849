//! `policybook check`: every problem of a project's sources as a diagnostic.
//!
//! Loading already reports front matter, structure, parity, classification and translation state;
//! this module adds what needs the whole project: references that do not resolve, references
//! that some edition would leave dangling, numbers typed by hand, and the prose check
//! ([`super::prose`]).

use crate::config::Lang;
use crate::diag::{self, Diagnostic, Loc};
use crate::model::{plain_text, Block, Document, Kind, Loaded, Project};
use crate::model::{relative, walk, xref};

/// Which rules a check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every rule (`policybook check`, builds).
    All,
    /// Every rule that can find an error: the prose check, whose codes are all warnings (a unit
    /// test holds this), is left out. For a comparison, which refuses sources with errors and
    /// shows no warnings.
    Errors,
}

/// All diagnostics of a loaded project, sorted by place.
pub fn run(loaded: &Loaded) -> Vec<Diagnostic> {
    run_in(loaded, Scope::All)
}

/// The diagnostics of the rules in `scope`, sorted by place.
///
/// The prose check (the most work) runs on a thread of its own beside the other checks; its
/// warnings are appended after theirs, as a sequential run appends them.
pub fn run_in(loaded: &Loaded, scope: Scope) -> Vec<Diagnostic> {
    let (mut out, prose) = std::thread::scope(|s| {
        let prose = (scope == Scope::All).then(|| {
            s.spawn(|| {
                let mut found = Vec::new();
                super::prose::run(loaded, &mut found);
                found
            })
        });
        let mut out = loaded.diagnostics.clone();
        references(&loaded.project, &mut out);
        typed_numbers(&loaded.project, &mut out);
        super::terms::check(&loaded.project, &loaded.texts, &mut out);
        for doc in &loaded.project.documents {
            sequence(doc, &mut out);
        }
        let prose = prose.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (out, prose.unwrap_or_default())
    });
    out.extend(prose);
    diag::sort(&mut out);
    out.dedup();
    out
}

fn references(p: &Project, out: &mut Vec<Diagnostic>) {
    let index = xref::Index::new(&p.documents);
    for doc in &p.documents {
        relative::check(doc, &p.documents, &index, out);
        xref::each_ref(doc, &mut |r, level, lang| {
            let name = match &r.section {
                Some(s) => format!("{}#{s}{}", r.doc, xref::seg_path(&r.sub)),
                None => r.doc.clone(),
            };
            let Some(t) = index.resolve(&p.documents, r) else {
                out.push(unresolved(p, r).arg("name", name));
                return;
            };
            if lang == Lang::En && r.section.is_none() && r.content.is_empty() {
                // A whole-document reference prints the title: fine.
            }
            // Every edition that shows the reference must show its target.
            let target = t.level();
            if let Some(e) = p.config.editions.iter().find(|e| e.ceiling >= level && e.ceiling < target) {
                out.push(
                    Diagnostic::new("ref-hidden", r.loc.clone())
                        .arg("name", name)
                        .arg("target", &p.config.level_def(target).key)
                        .arg("level", &p.config.level_def(level).key)
                        .arg("edition", &e.name),
                );
            }
        });
    }
}

/// The diagnostic of a reference that does not resolve, with what to do about it.
fn unresolved(p: &Project, r: &crate::model::Ref) -> Diagnostic {
    let loc = r.loc.clone();
    let Some(doc) = p.document(&r.doc) else {
        let ids: Vec<&str> = p.documents.iter().map(|d| d.id.as_str()).collect();
        return Diagnostic::new("ref-unresolved.no-document", loc).arg("doc", &r.doc).arg("ids", ids.join(", "));
    };
    let id = r.section.as_deref().unwrap_or("");
    match doc.section(id) {
        Some(s) if matches!(s.kind, Kind::Article { deleted: false, .. } | Kind::Supplementary { .. }) => {
            let units = xref::units(s, &s.ja.blocks);
            let have: Vec<String> = units.iter().map(|u| format!("{id}{}", xref::seg_path(&u.path))).collect();
            Diagnostic::new("ref-unresolved.no-unit", loc).arg("id", id).arg("units", have.join(", "))
        }
        Some(_) => Diagnostic::new("ref-unresolved.not-article", loc).arg("id", id),
        None => Diagnostic::new("ref-unresolved", loc).arg("id", id).arg("doc", &r.doc),
    }
}

/// Branch numbers only arise from amendments: an inserted article or item needs a neighbour
/// before it and a document with a revision after its enactment. Every amendment has its 附則.
fn sequence(doc: &Document, out: &mut Vec<Diagnostic>) {
    let amended = doc.history.len() > 1;
    let mut before = false;
    for s in doc.walk() {
        let loc = || s.ja.loc.clone();
        if let Kind::Article { inserted, .. } = s.kind {
            if inserted && !before {
                out.push(Diagnostic::new("sequence.first-inserted", loc()).arg("id", &s.id));
            } else if inserted && !amended {
                out.push(Diagnostic::new("sequence.never-amended", loc()).arg("id", &s.id));
            }
            before = true;
        }
        if let Some(d) = inserted_item_problem(&s.ja.blocks, amended, &loc) {
            out.push(d.arg("id", &s.id));
        }
    }
    let enacted: Vec<_> = doc
        .walk()
        .iter()
        .filter_map(|s| match s.kind {
            Kind::Supplementary { revision } => Some(revision),
            _ => None,
        })
        .collect();
    if enacted.is_empty() {
        return;
    }
    for r in doc.history.iter().skip(1).filter(|r| !enacted.contains(&Some(r.date))) {
        out.push(Diagnostic::new("sequence.no-supplementary", doc.loc.clone()).arg("date", r.date));
    }
}

/// What is wrong with the `{.inserted}` items of some blocks, if anything, at the section's place.
fn inserted_item_problem(blocks: &[Block], amended: bool, loc: &dyn Fn() -> Loc) -> Option<Diagnostic> {
    blocks.iter().find_map(|b| match b {
        Block::List { items, .. } => {
            if items.first().is_some_and(|i| i.inserted) {
                return Some(Diagnostic::new("sequence.item-first", loc()));
            }
            if !amended && items.iter().any(|i| i.inserted) {
                return Some(Diagnostic::new("sequence.item-never-amended", loc()));
            }
            items.iter().find_map(|i| inserted_item_problem(&i.blocks, amended, loc))
        }
        Block::Quote { blocks } | Block::Classified { blocks, .. } => inserted_item_problem(blocks, amended, loc),
        _ => None,
    })
}

/// A heading that starts with a number the author typed (numbers are computed).
fn typed_numbers(p: &Project, out: &mut Vec<Diagnostic>) {
    for doc in &p.documents {
        for (lang, text) in walk::passages(doc).into_iter().filter_map(|p| Some((p.lang, p.text?))) {
            let title = plain_text(&text.title);
            if let Some(n) = typed_number(&title) {
                let d = Diagnostic::new("typed-number", text.loc.clone()).arg("title", &title).arg("n", n);
                out.push(d.arg("lang", lang));
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
    use crate::diag::{catalogue, Severity};

    #[test]
    fn the_prose_check_only_warns() {
        // What lets `Scope::Errors` leave the prose check out.
        let prose: Vec<_> = catalogue::ENTRIES.iter().filter(|e| e.key.starts_with("prose-")).collect();
        assert!(prose.len() >= crate::model::prose::CODES.len());
        for e in prose {
            assert_eq!(e.severity, Some(Severity::Warning), "{}", e.key);
        }
        for code in crate::model::prose::CODES {
            assert!(code.starts_with("prose-"), "{code}");
        }
    }

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
