//! Relative references (前条, 次項, 同号, 前2号, …). Relative words go stale silently when articles,
//! 項 or 号 are renumbered, so a reference whose typed text is one (「[前条](#purpose)」) is checked
//! against the structure: the word must name its target from where the reference stands. A 前条
//! typed in plain text, next to no reference, is left alone.

use super::xref::{self, Index, Seg, Target};
use super::{plain_text, Document, Inline, Kind, Ref};
use crate::config::Lang;
use crate::diag::Diagnostic;

/// Which way a relative word looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// 前条 (1), 前2条 (2): the first of the `n` before.
    Prev(u32),
    /// 次条.
    Next,
    /// 同条: the one the reference before it in the same 項 or 号 names.
    Same,
    /// 前各号: the first of all those before.
    PrevAll,
}

/// A relative word typed as a reference's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relative {
    pub dir: Dir,
    /// 0 条, 1 項, 2 号.
    pub depth: usize,
    /// The numbers typed after the word (第2項 in 前条第2項), half-width; `None` when not checked
    /// (English).
    pub tail: Option<String>,
}

/// The relative word a reference's text starts with, if any: 前条, 前２条, 前各号, 次項, 同号,
/// 前条第２項; in English "the preceding Article", "the following paragraph", "the same item".
pub fn parse(text: &str) -> Option<Relative> {
    let t = text.trim();
    parse_ja(t).or_else(|| parse_en(t))
}

fn parse_ja(t: &str) -> Option<Relative> {
    let (dir, rest) = if let Some(r) = t.strip_prefix("前各") {
        (Dir::PrevAll, r)
    } else if let Some(r) = t.strip_prefix('前') {
        let digits: String = r.chars().take_while(|c| digit(*c).is_some()).collect();
        let n = digits.chars().try_fold(0u32, |n, c| Some(n * 10 + digit(c)?)).filter(|n| *n > 0).unwrap_or(1);
        (Dir::Prev(n), &r[digits.len()..])
    } else if let Some(r) = t.strip_prefix('次') {
        (Dir::Next, r)
    } else {
        (Dir::Same, t.strip_prefix('同')?)
    };
    let mut cs = rest.chars();
    let unit = cs.next()?;
    let depth = ['条', '項', '号'].iter().position(|u| *u == unit)?;
    let tail: String = cs
        .map(|c| digit(c).and_then(|d| char::from_digit(d, 10)).unwrap_or(c))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .take_while(|c| c.is_ascii_digit() || "第項号の()".contains(*c) || ('ア'..='ン').contains(c))
        .collect();
    let tail = if tail.starts_with('第') { tail.trim_end_matches('の').to_string() } else { String::new() };
    Some(Relative { dir, depth, tail: Some(tail) })
}

/// A digit, half- or full-width, or a kanji numeral 一 to 九.
fn digit(c: char) -> Option<u32> {
    c.to_digit(10)
        .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
        .or_else(|| "一二三四五六七八九".chars().position(|k| k == c).map(|i| i as u32 + 1))
}

fn parse_en(t: &str) -> Option<Relative> {
    let lower = t.to_lowercase();
    let mut words = lower.trim_start_matches("the ").split_whitespace();
    let dir = match words.next()? {
        "preceding" | "previous" => Dir::Prev(1),
        "following" | "next" => Dir::Next,
        "same" => Dir::Same,
        _ => return None,
    };
    let unit = words.next()?.trim_end_matches([',', '.', ';']);
    let depth = ["article", "paragraph", "item"].iter().position(|u| *u == unit)?;
    Some(Relative { dir, depth, tail: None })
}

/// A place in a rule: a section and the 項 or 号 inside it (empty for the section itself).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place<'a> {
    section: &'a str,
    path: Vec<Seg>,
}

/// Warns (`ref-relative-stale`) about every reference of `doc` standing in an article or 附則
/// whose typed relative word does not name its target from where it stands.
pub fn check(doc: &Document, docs: &[Document], index: &Index, out: &mut Vec<Diagnostic>) {
    let articles: Vec<&str> =
        doc.walk().into_iter().filter(|s| matches!(s.kind, Kind::Article { .. })).map(|s| s.id.as_str()).collect();
    for s in doc.walk() {
        for text in std::iter::once(&s.ja).chain(s.en.as_ref()) {
            for unit in xref::units(s, &text.blocks) {
                let own = Place { section: &s.id, path: unit.path.clone() };
                let mut before: Option<Place<'_>> = None;
                for r in unit.text.iter().flat_map(|inl| refs(inl)) {
                    // A relative word names a place of the same rule: a target elsewhere has none.
                    let target = index.resolve(docs, r);
                    let place = target.as_ref().filter(|t| t.doc.id == doc.id).and_then(|t| {
                        let path = t.part.as_ref().map(|p| p.path.clone()).unwrap_or_default();
                        Some(Place { section: &t.section?.id, path })
                    });
                    if let (Some(rel), Some(t)) = (parse(&plain_text(&r.content)), &target) {
                        let ctx = Ctx { doc, articles: &articles, own: &own, before: before.as_ref() };
                        if let Some(d) = ctx.stale(&rel, r, t, place.as_ref()) {
                            out.push(d);
                        }
                    }
                    before = place;
                }
            }
        }
    }
}

/// The references standing in some inlines, in order.
fn refs(inlines: &[Inline]) -> Vec<&Ref> {
    let mut out = Vec::new();
    for i in inlines {
        match i {
            Inline::Ref(r) => out.push(r),
            Inline::Emph { content } | Inline::Strong { content } => out.extend(refs(content)),
            _ => {}
        }
    }
    out
}

/// Where a reference stands, for checking its relative word.
struct Ctx<'a> {
    doc: &'a Document,
    articles: &'a [&'a str],
    own: &'a Place<'a>,
    /// The place the reference before it in the same 項 or 号 names (for 同条).
    before: Option<&'a Place<'a>>,
}

impl Ctx<'_> {
    /// The diagnostic for `r` when its word `rel` does not name `target` (at `place`).
    fn stale(&self, rel: &Relative, r: &Ref, t: &Target<'_>, place: Option<&Place<'_>>) -> Option<Diagnostic> {
        let typed = plain_text(&r.content);
        let named = self.named(rel);
        if named.is_some() && place.is_some_and(|p| self.matches(rel, named.as_ref(), p, t)) {
            return None;
        }
        let label = xref::label(&self.doc.id, t, Lang::Ja);
        let target = format!("{}{}", r.section.as_deref().unwrap_or(""), xref::seg_path(&r.sub));
        let word = place.and_then(|p| self.suggest(p, t));
        let or = |ja: bool| match (&word, ja) {
            (Some(w), false) => format!(" (or 「{w}」)"),
            (Some(w), true) => format!("（または「{w}」）"),
            (None, _) => String::new(),
        };
        let print_en = format!("write [](#{target}) to print 「{label}」{}", or(false));
        let print_ja = format!("「{label}」と表示するには [](#{target}) と書いてください{}", or(true));
        let d = match named.as_ref().and_then(|n| Some((n, self.label(n)?))) {
            Some((n, named)) => Diagnostic::new("ref-relative-stale", r.loc.clone())
                .arg("named", named)
                .arg("fix", format!("{}{}", n.section, xref::seg_path(&n.path))),
            None if rel.dir == Dir::Same => Diagnostic::new("ref-relative-stale.same", r.loc.clone()),
            None => Diagnostic::new("ref-relative-stale.nothing", r.loc.clone()),
        };
        Some(d.arg("typed", typed).arg("label", label).arg_in("print", print_en, print_ja))
    }

    /// The label of a place: 第４条, 第３条第２項.
    fn label(&self, p: &Place<'_>) -> Option<String> {
        let r = Ref {
            doc: self.doc.id.clone(),
            section: Some(p.section.to_string()),
            sub: p.path.clone(),
            content: Vec::new(),
            loc: Default::default(),
            place: (),
        };
        let t = xref::resolve(std::slice::from_ref(self.doc), &r)?;
        Some(xref::label(&self.doc.id, &t, Lang::Ja))
    }

    /// The place a relative word names from where the reference stands, down to its depth.
    fn named(&self, rel: &Relative) -> Option<Place<'_>> {
        let d = rel.depth;
        if rel.dir == Dir::Same {
            let b = self.before?;
            return (b.path.len() >= d).then(|| Place { section: b.section, path: b.path[..d].to_vec() });
        }
        if d == 0 {
            let i = self.articles.iter().position(|a| *a == self.own.section)?;
            let j = step(rel.dir, i)?;
            return self.articles.get(j).map(|a| Place { section: a, path: Vec::new() });
        }
        let section = self.doc.section(self.own.section)?;
        let (prefix, at) = (self.own.path.get(..d - 1)?, self.own.path.get(..d)?);
        let siblings: Vec<Vec<Seg>> = xref::units(section, &section.ja.blocks)
            .into_iter()
            .filter(|u| u.path.len() == d && u.path.starts_with(prefix))
            .map(|u| u.path)
            .collect();
        let i = siblings.iter().position(|p| p == at)?;
        let path = siblings.get(step(rel.dir, i)?)?.clone();
        Some(Place { section: self.own.section, path })
    }

    /// Whether the target at `place` is what `rel` names (`named`), down to the numbers typed after it.
    fn matches(&self, rel: &Relative, named: Option<&Place<'_>>, place: &Place<'_>, t: &Target<'_>) -> bool {
        let d = rel.depth;
        let head = Place { section: place.section, path: place.path[..d.min(place.path.len())].to_vec() };
        if Some(&head) != named {
            return false;
        }
        match &rel.tail {
            None => true,
            Some(tail) => *tail == t.part.as_ref().map(|p| p.steps(d, Lang::Ja)).unwrap_or_default(),
        }
    }

    /// The relative word (前条, 次項, …) that names `place` from here, if one does.
    fn suggest(&self, place: &Place<'_>, t: &Target<'_>) -> Option<String> {
        let depth = place.path.len();
        let unit = ["条", "項", "号"].get(depth)?;
        [(Dir::Prev(1), "前"), (Dir::Next, "次")].into_iter().find_map(|(dir, w)| {
            let rel = Relative { dir, depth, tail: Some(String::new()) };
            self.matches(&rel, self.named(&rel).as_ref(), place, t).then(|| format!("{w}{unit}"))
        })
    }
}

/// The position `dir` names from position `i` among siblings.
fn step(dir: Dir, i: usize) -> Option<usize> {
    match dir {
        Dir::Prev(n) => i.checked_sub(n as usize),
        Dir::Next => Some(i + 1),
        Dir::PrevAll => (i > 0).then_some(0),
        Dir::Same => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_words_are_recognised() {
        let p = |t: &str| parse(t).map(|r| (r.dir, r.depth, r.tail));
        assert_eq!(p("前条"), Some((Dir::Prev(1), 0, Some(String::new()))));
        assert_eq!(p("前２号"), Some((Dir::Prev(2), 2, Some(String::new()))));
        assert_eq!(p("前二条"), Some((Dir::Prev(2), 0, Some(String::new()))));
        assert_eq!(p("前各項"), Some((Dir::PrevAll, 1, Some(String::new()))));
        assert_eq!(p("次項"), Some((Dir::Next, 1, Some(String::new()))));
        assert_eq!(p("同条第２項"), Some((Dir::Same, 0, Some("第2項".into()))));
        assert_eq!(p("前条第1項第3号の規定"), Some((Dir::Prev(1), 0, Some("第1項第3号".into()))));
        assert_eq!(p("the preceding Article"), Some((Dir::Prev(1), 0, None)));
        assert_eq!(p("the same paragraph"), Some((Dir::Same, 1, None)));
        assert_eq!(p("前文"), None);
        assert_eq!(p("第３条"), None);
        assert_eq!(p("同様"), None);
    }
}
