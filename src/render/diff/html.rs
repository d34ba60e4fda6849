//! The 新旧対照表 as a standalone HTML page, in the layout of Japanese government amendment
//! tables: the title block (instrument or document title, the two revisions by name or date),
//! 「（傍線部分は改正部分）」 right-aligned, two columns 改正後 (left) and 改正前 (right), each
//! section a heading row and a row per unit so that a 号 stands across from its counterpart,
//! changes underlined, unchanged sections and units elided as 「（略）」, （新設） / （削る） on
//! the side without. Every piece of source text is HTML-escaped.

use super::table::{self, Cell, Layout, Line, Seg, TableRow};
use super::{Diff, DocDiff, DocStatus};
use crate::render::diff::inline::Range;
use crate::render::escape::html as escape;
use crate::render::words::{self, Table as Words};

/// `text` escaped, with the character ranges wrapped in `<u class="chg">` (傍線).
pub fn marked(text: &str, ranges: &[Range]) -> String {
    tagged(text, ranges, "<u class=\"chg\">", "</u>")
}

/// `text` escaped, each range in `ranges` between `open` and `close`.
pub fn tagged(text: &str, ranges: &[Range], open: &str, close: &str) -> String {
    let mut out = String::new();
    for seg in table::segs(text, ranges) {
        if seg.u {
            out.push_str(open);
            out.push_str(&escape(&seg.t));
            out.push_str(close);
        } else {
            out.push_str(&escape(&seg.t));
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4 landscape; margin: 15mm; }
body { font-family: "Noto Serif CJK JP", "Noto Serif JP", "Yu Mincho", "Hiragino Mincho ProN", serif; margin: 2em auto; max-width: 80em; color: #000; line-height: 1.7; }
h1 { font-size: 1.3em; text-align: center; font-weight: normal; margin: 1.5em 0 0.3em; }
.meta { text-align: center; font-size: 0.9em; margin: 0; }
.subtitle { text-align: center; font-size: 0.8em; color: #333; margin: 0; }
.note { text-align: right; margin: 0.3em 0; }
table.shinkyu { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.shinkyu th, table.shinkyu td { border-left: 1px solid #000; border-right: 1px solid #000; padding: 0 0.6em; vertical-align: top; width: 50%; }
table.shinkyu th { text-align: center; font-weight: normal; border: 1px solid #000; padding: 0.2em; }
table.shinkyu tbody { border-top: 1px solid #000; border-bottom: 1px solid #000; }
table.shinkyu tbody tr:first-child td { padding-top: 0.4em; }
table.shinkyu tbody tr:last-child td { padding-bottom: 0.4em; }
.head, .line { margin: 0; }
.num { margin-right: 1em; }
.line { white-space: pre-wrap; }
.para { text-indent: 1em; }
.hang { padding-left: 1em; text-indent: -1em; }
.col { display: flex; }
.col .lbl { flex: none; white-space: pre; }
.col .txt { flex: 1; min-width: 0; }
.elided, .empty { white-space: nowrap; }
.moved-note { font-size: 0.85em; color: #333; margin: 0; }
.i1 { margin-left: 1em; } .i2 { margin-left: 2em; } .i3 { margin-left: 3em; } .i4 { margin-left: 4em; }
.i5 { margin-left: 5em; } .i6 { margin-left: 6em; } .i7 { margin-left: 7em; } .i8 { margin-left: 8em; }
u.chg { text-decoration: underline; text-decoration-thickness: 1px; text-underline-offset: 0.2em; text-decoration-skip-ink: none; }
"#;

/// The whole page.
pub fn render(diff: &Diff) -> String {
    let w = words::table(diff.lang);
    let title = match diff.documents.as_slice() {
        [d] => table::heading(diff, Some(d)).title,
        _ => table::heading(diff, None).title,
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
    let h = table::heading(diff, Some(d));
    out.push_str(&format!("<section class=\"doc\" id=\"{}\">\n<h1>{}</h1>\n", escape(&d.id), escape(&h.title)));
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(&h.revisions)));
    if let Some(s) = &h.subtitle {
        out.push_str(&format!("<p class=\"subtitle\">{}</p>\n", escape(s)));
    }
    out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&h.note)));
    let [left, right] = &h.columns;
    out.push_str(&format!(
        "<table class=\"shinkyu\">\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n",
        escape(left),
        escape(right)
    ));
    if d.status == DocStatus::Unchanged {
        out.push_str(&format!("<tbody><tr><td colspan=\"2\">{}</td></tr></tbody>\n", w.no_changes));
    }
    for row in table::rows(d, diff.lang) {
        rows(out, &row, h.new_first, w);
    }
    out.push_str("</table>\n</section>\n");
}

/// A section (or elided run) as a `<tbody>`: its heading row, then a row per unit line.
fn rows(out: &mut String, row: &TableRow, new_first: bool, w: &Words) {
    let id = if row.class == "elided" || row.class == "title" {
        String::new()
    } else {
        format!(" data-id=\"{}\"", escape(&row.id))
    };
    let pair = |new: String, old: String| if new_first { format!("{new}{old}") } else { format!("{old}{new}") };
    out.push_str(&format!("<tbody class=\"{}\"{id}>\n", row.class));
    if !(row.new.is_blank() && row.old.is_blank()) || row.lines.is_empty() {
        out.push_str(&format!("<tr>{}</tr>\n", pair(cell(&row.new, w), cell(&row.old, w))));
    }
    for l in &row.lines {
        out.push_str(&format!("<tr class=\"{}\">{}</tr>\n", l.class, pair(line(&l.new), line(&l.old))));
    }
    out.push_str("</tbody>\n");
}

fn seg_html(s: &[Seg]) -> String {
    s.iter().map(|s| if s.u { format!("<u class=\"chg\">{}</u>", escape(&s.t)) } else { escape(&s.t) }).collect()
}

fn indent(n: u8) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" i{}", n.min(8))
    }
}

/// The heading cell of one side.
fn cell(c: &Cell, w: &Words) -> String {
    if let Some(p) = &c.empty {
        return format!("<td class=\"empty\">{}</td>", escape(p));
    }
    if let Some(r) = &c.elided {
        return format!("<td class=\"elided\">{}　{}</td>", seg_html(std::slice::from_ref(r)), w.omitted);
    }
    let mut out = String::from("<td>");
    if !c.is_blank() {
        out.push_str(&format!("<p class=\"head{}\">", indent(c.indent)));
        if let Some(n) = &c.number {
            out.push_str(&format!("<span class=\"num\">{}</span>", seg_html(std::slice::from_ref(n))));
        }
        out.push_str(&format!("<span class=\"title\">{}</span></p>", seg_html(&c.title)));
    }
    if let Some(n) = &c.note {
        out.push_str(&format!("<p class=\"moved-note\">{}</p>", escape(n)));
    }
    out.push_str("</td>");
    out
}

/// A unit line of one side: laid out as in the document (indentation, ぶら下げ).
fn line(l: &Line) -> String {
    if let Some(p) = &l.placeholder {
        return format!("<td><p class=\"line\">{}</p></td>", escape(p));
    }
    let ind = indent(l.indent);
    let text = seg_html(&l.segs);
    let label = seg_html(&l.label);
    match l.layout {
        Layout::Para => format!("<td><p class=\"line para{ind}\">{text}</p></td>"),
        Layout::Hang => format!("<td><p class=\"line hang{ind}\">{label}{text}</p></td>"),
        Layout::Column => format!(
            "<td><p class=\"line col{ind}\"><span class=\"lbl\">{label}</span><span class=\"txt\">{text}</span></p></td>"
        ),
    }
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
