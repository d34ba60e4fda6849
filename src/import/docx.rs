//! A Word `.docx` file as the lines a text file would have: one line per paragraph, Word's
//! automatic numbering (numbering.xml) rendered to its number text before it, a table row as
//! its cells in a line 「| a | b |」 (the importer makes it a table).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::Read;

/// The largest part of a Word file read (uncompressed).
const MAX_PART: u64 = 64 * 1024 * 1024;

fn part(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Result<Option<String>, String> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_PART {
        return Err(format!("{name} is over {} MiB", MAX_PART / 1024 / 1024));
    }
    String::from_utf8(bytes).map(Some).map_err(|_| format!("{name} is not UTF-8"))
}

/// The text of a Word file's body.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let document = part(&mut zip, "word/document.xml")?.ok_or("no word/document.xml")?;
    let numbering =
        part(&mut zip, "word/numbering.xml")?.map(|x| Numbering::parse(&x)).transpose()?.unwrap_or_default();
    body(&document, numbering)
}

fn val(e: &BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == b"w:val")
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}

/// One level of a list definition: its start, format and text (「(%2)」).
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// numbering.xml: lists by `numId`, their levels by `ilvl`, and the counters.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u32, Level>>,
    nums: HashMap<String, String>,
    counters: HashMap<String, [Option<u32>; 9]>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, String> {
        let mut n = Numbering::default();
        let mut r = Reader::from_str(xml);
        let (mut abs, mut num, mut lvl) = (String::new(), String::new(), None::<(u32, Level)>);
        loop {
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    b"w:abstractNum" => abs = attr(&e, b"w:abstractNumId").unwrap_or_default(),
                    b"w:num" => num = attr(&e, b"w:numId").unwrap_or_default(),
                    b"w:abstractNumId" => {
                        n.nums.insert(num.clone(), val(&e).unwrap_or_default());
                    }
                    b"w:lvl" => {
                        let i = attr(&e, b"w:ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        lvl = Some((i, Level { start: 1, ..Level::default() }));
                    }
                    b"w:start" => {
                        lvl.iter_mut().for_each(|(_, l)| l.start = val(&e).and_then(|v| v.parse().ok()).unwrap_or(1))
                    }
                    b"w:numFmt" => lvl.iter_mut().for_each(|(_, l)| l.format = val(&e).unwrap_or_default()),
                    b"w:lvlText" => lvl.iter_mut().for_each(|(_, l)| l.text = val(&e).unwrap_or_default()),
                    _ => {}
                },
                Event::End(e) if e.name().as_ref() == b"w:lvl" => {
                    if let Some((i, l)) = lvl.take() {
                        n.abstracts.entry(abs.clone()).or_default().insert(i, l);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(n)
    }

    /// The number text of the next paragraph of list `num` at level `ilvl`.
    fn next(&mut self, num: &str, ilvl: u32) -> Option<String> {
        let levels = self.abstracts.get(self.nums.get(num)?)?;
        let level = levels.get(&ilvl)?;
        let counters = self.counters.entry(num.to_string()).or_default();
        let i = (ilvl as usize).min(8);
        counters[i] = Some(counters[i].map_or(level.start, |c| c + 1));
        counters.iter_mut().skip(i + 1).for_each(|c| *c = None);
        if level.format == "bullet" {
            return Some("・".into());
        }
        let mut text = level.text.clone();
        for (k, c) in counters.iter().enumerate().take(i + 1) {
            let f = levels.get(&(k as u32)).map_or("decimal", |l| l.format.as_str());
            text = text.replace(&format!("%{}", k + 1), &format_number(c.unwrap_or(1), f));
        }
        Some(text)
    }
}

/// A counter in one of Word's number formats.
fn format_number(n: u32, format: &str) -> String {
    const AIUEO: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
    const IROHA: &str =
        "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス";
    let nth = |set: &str| set.chars().nth(n.saturating_sub(1) as usize).map_or(n.to_string(), String::from);
    match format {
        "decimalFullWidth" | "decimalFullWidth2" => {
            n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect()
        }
        "aiueo" | "aiueoFullWidth" => nth(AIUEO),
        "iroha" | "irohaFullWidth" => nth(IROHA),
        "lowerLetter" => nth("abcdefghijklmnopqrstuvwxyz"),
        "upperLetter" => nth("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        "decimalEnclosedParen" | "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => format!("({n})"),
        _ => n.to_string(),
    }
}

/// The paragraphs of document.xml, numbered, one per line; a table row as 「| a | b |」.
fn body(xml: &str, mut numbering: Numbering) -> Result<String, String> {
    let mut r = Reader::from_str(xml);
    let (mut out, mut para, mut cells) = (String::new(), String::new(), Vec::<String>::new());
    let (mut in_text, mut num, mut ilvl, mut depth) = (false, None::<String>, 0u32, 0usize);
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:p" => (para, num, ilvl) = (String::new(), None, 0),
                b"w:t" => in_text = true,
                b"w:tab" => para.push('\t'),
                b"w:br" | b"w:cr" => para.push('\n'),
                b"w:numId" => num = val(&e),
                b"w:ilvl" => ilvl = val(&e).and_then(|v| v.parse().ok()).unwrap_or(0),
                b"w:tbl" => depth += 1,
                b"w:tr" => cells.clear(),
                b"w:tc" => cells.push(String::new()),
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t.xml_content().map_err(|e| e.to_string())?),
            Event::GeneralRef(g) if in_text => {
                let name = String::from_utf8_lossy(&g);
                let c = match name.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                };
                para.push_str(c);
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    let number = num.as_deref().filter(|n| *n != "0").and_then(|n| numbering.next(n, ilvl));
                    let line = match number {
                        Some(n) => format!("{n} {para}"),
                        None => para.clone(),
                    };
                    if depth > 0 {
                        cells.last_mut().into_iter().for_each(|c| {
                            c.push_str(if c.is_empty() { "" } else { " " });
                            c.push_str(&line);
                        });
                    } else {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
                b"w:tr" => {
                    let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "｜").replace('\n', " ")).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                b"w:tbl" => depth = depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(body: &str, numbering: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
        for (name, xml) in [
            ("word/document.xml", format!("<w:document {w}><w:body>{body}</w:body></w:document>")),
            ("word/numbering.xml", format!("<w:numbering {w}>{numbering}</w:numbering>")),
        ] {
            zip.start_file(name, opts).unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn numbering_levels_and_tables() {
        let lvl = |i: u32, fmt: &str, text: &str| {
            format!("<w:lvl w:ilvl=\"{i}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/></w:lvl>")
        };
        let numbering = format!(
            "<w:abstractNum w:abstractNumId=\"0\">{}{}</w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"0\"/></w:num>",
            lvl(0, "decimalFullWidth", "（%1）"),
            lvl(1, "aiueoFullWidth", "%2")
        );
        let p = |ilvl: Option<u32>, t: &str| {
            let ppr = ilvl.map_or(String::new(), |i| {
                format!("<w:pPr><w:numPr><w:ilvl w:val=\"{i}\"/><w:numId w:val=\"5\"/></w:numPr></w:pPr>")
            });
            format!("<w:p>{ppr}<w:r><w:t>{t}</w:t></w:r></w:p>")
        };
        let body = [
            p(None, "本文 &amp; 注"),
            p(Some(0), "組織"),
            p(Some(1), "甲"),
            p(Some(1), "乙"),
            p(Some(0), "資産"),
            p(Some(1), "丙"),
        ]
        .concat()
            + &format!(
                "<w:tbl><w:tr><w:tc>{}{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
                p(None, "a"),
                p(None, "b"),
                p(None, "c|d")
            );
        let text = text(&docx(&body, &numbering)).unwrap();
        assert_eq!(text, "本文 & 注\n（１） 組織\nア 甲\nイ 乙\n（２） 資産\nア 丙\n| a b | c｜d |\n");
        assert!(super::text(b"PK\x03\x04 not a zip").is_err());
    }
}
