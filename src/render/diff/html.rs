//! The 新旧対照表 as a standalone HTML page, in the layout of Japanese government amendment
//! tables: title 「<document> 新旧対照表」, the note 「（傍線部分は改正部分）」, two columns 改正後
//! (left) and 改正前 (right), changes underlined on each side, unchanged sections elided as
//! 「2～5 （略）」, （新設） / （削る） on the empty side of an added / deleted section.
//! Every piece of source text is HTML-escaped.

use super::table::{self, Cell, Seg};
use super::{Diff, DocDiff, DocStatus};
use crate::render::diff::inline::Range;
use crate::render::escape::html as escape;
use crate::render::words::{self, Table as Words};

/// `text` escaped, with the character ranges wrapped in `<u class="chg">` (傍線).
pub fn marked(text: &str, ranges: &[Range]) -> String {
    let mut out = String::new();
    for seg in table::segs(text, ranges) {
        if seg.u {
            out.push_str("<u class=\"chg\">");
            out.push_str(&escape(&seg.t));
            out.push_str("</u>");
        } else {
            out.push_str(&escape(&seg.t));
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4 landscape; margin: 15mm; }
body { font-family: "Noto Serif CJK JP", "Noto Serif JP", "Yu Mincho", "Hiragino Mincho ProN", serif; margin: 2em auto; max-width: 80em; color: #000; line-height: 1.7; }
h1 { font-size: 1.3em; text-align: center; font-weight: normal; margin: 1.5em 0 0.5em; }
.meta { text-align: center; font-size: 0.85em; color: #333; margin: 0; }
.note { text-align: right; margin: 0.3em 0; }
table.shinkyu { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.shinkyu th, table.shinkyu td { border: 1px solid #000; padding: 0.3em 0.6em; vertical-align: top; width: 50%; }
table.shinkyu th { text-align: center; font-weight: normal; }
.sec .head { margin: 0; }
.sec .body { margin: 0 0 0 1em; }
.line { margin: 0; white-space: pre-wrap; }
.num { margin-right: 1em; }
.elided, .empty { white-space: nowrap; }
.moved-note { font-size: 0.85em; color: #333; }
u.chg { text-decoration: underline; text-decoration-thickness: 1px; text-underline-offset: 0.2em; }
"#;

/// The whole page.
pub fn render(diff: &Diff) -> String {
    let w = words::table(diff.lang);
    let title = match diff.documents.as_slice() {
        [d] => format!("{}{}", d.title, w.suffix),
        _ => w.suffix.trim_start_matches([' ', '—']).trim().to_string(),
    };
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        diff.lang.code(),
        escape(&title)
    ));
    if diff.documents.is_empty() {
        out.push_str(&format!("<h1>{}</h1>\n<p class=\"meta\">{}</p>\n", escape(&title), w.no_changes));
    }
    for d in &diff.documents {
        document(&mut out, diff, d, w);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn document(out: &mut String, diff: &Diff, d: &DocDiff, w: &Words) {
    out.push_str(&format!(
        "<section class=\"doc\" id=\"{}\">\n<h1>{}{}</h1>\n",
        escape(&d.id),
        escape(&d.title),
        escape(w.suffix)
    ));
    let edition = diff.edition_title.as_deref().unwrap_or(&diff.edition);
    out.push_str(&format!(
        "<p class=\"meta\">{} ／ {}: {} ／ {}: {}</p>\n",
        escape(edition),
        w.new,
        escape(&diff.new),
        w.old,
        escape(&diff.old)
    ));
    out.push_str(&format!("<p class=\"note\">{}</p>\n", w.note));
    out.push_str(&format!(
        "<table class=\"shinkyu\">\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        w.new, w.old
    ));
    if d.status == DocStatus::Unchanged {
        out.push_str(&format!("<tr><td colspan=\"2\">{}</td></tr>\n", w.no_changes));
    }
    for row in table::rows(d, diff.lang) {
        let id = if row.class == "elided" || row.class == "title" {
            String::new()
        } else {
            format!(" data-id=\"{}\"", escape(&row.id))
        };
        out.push_str(&format!("<tr class=\"{}\"{id}>{}{}</tr>\n", row.class, cell(&row.new, w), cell(&row.old, w)));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn seg_html(s: &[Seg]) -> String {
    s.iter().map(|s| if s.u { format!("<u class=\"chg\">{}</u>", escape(&s.t)) } else { escape(&s.t) }).collect()
}

fn cell(c: &Cell, w: &Words) -> String {
    if let Some(p) = &c.empty {
        return format!("<td class=\"empty\">{}</td>", escape(p));
    }
    if let Some(r) = &c.elided {
        return format!("<td class=\"elided\">{}　{}</td>", seg_html(std::slice::from_ref(r)), w.omitted);
    }
    let mut out = String::from("<td><div class=\"sec\">");
    if c.number.is_some() || !c.title.is_empty() {
        out.push_str("<p class=\"head\">");
        if let Some(n) = &c.number {
            out.push_str(&format!("<span class=\"num\">{}</span>", seg_html(std::slice::from_ref(n))));
        }
        out.push_str(&format!("<span class=\"title\">{}</span></p>", seg_html(&c.title)));
    }
    if !c.lines.is_empty() {
        out.push_str("<div class=\"body\">");
        for l in &c.lines {
            let class = if l.omitted { "line omitted" } else { "line" };
            out.push_str(&format!("<p class=\"{class}\">{}</p>", seg_html(&l.segs)));
        }
        out.push_str("</div>");
    }
    out.push_str("</div>");
    if let Some(n) = &c.note {
        out.push_str(&format!("<p class=\"moved-note\">{}</p>", escape(n)));
    }
    out.push_str("</td>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_escapes() {
        assert_eq!(marked("a<b>c", &[[1, 2]]), "a<u class=\"chg\">&lt;</u>b&gt;c");
        assert_eq!(marked("年1回", &[[1, 2]]), "年<u class=\"chg\">1</u>回");
        assert_eq!(marked("x&y", &[]), "x&amp;y");
    }
}
