//! A long document's data cut into parts (issue 13): Typst's memory grows with the document it
//! lays out (1.6 GB for a 470-page parallel PDF), so a document whose data is over the part size
//! is typeset a group of chapters at a time ([`crate::render::typeset`] joins the pages). The
//! cut is at top-level sections only (a part that started inside a chapter would open with a
//! lower heading level, which PDF/UA refuses), so each part starts on a new page.
//!
//! The parts: `front`, the document's data without its sections' text (nor their notes on the
//! English), for the cover and the table of contents; `heads`, without its sections at all, for
//! the running heads; then the body's parts, each the document's data with a
//! run of its sections (the preamble in the first, the glossary in the last). A reference to a
//! section of another part is marked `"far": true` (the template links it by name, and the
//! typesetter points it at the section once every part is laid out).

use serde_json::{json, Value};
use std::collections::HashSet;

/// The data of a document to typeset in parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The cover and table of contents' data.
    pub front: Vec<u8>,
    /// The running heads' data: the front's without its sections, preamble and glossary.
    pub heads: Vec<u8>,
    /// The body's parts, in order: at least two.
    pub parts: Vec<Vec<u8>>,
}

/// `data` (one language's document data, or `{"en": …, "ja": …}` when `parallel`) cut into parts
/// of about `size` bytes; `None` when it would make one part.
pub fn split(data: &[u8], parallel: bool, size: usize) -> Option<Split> {
    if data.len() <= size {
        return None;
    }
    let root: Value = serde_json::from_slice(data).ok()?;
    let langs: Vec<&str> = if parallel { vec!["ja", "en"] } else { vec![] };
    let docs: Vec<&Value> = if parallel { langs.iter().map(|l| &root[*l]).collect() } else { vec![&root] };
    let sections = docs.first()?["sections"].as_array()?;
    // Each section's weight: its data in every language.
    let weight =
        |i: usize| -> usize { docs.iter().map(|d| d["sections"].get(i).map_or(0, |s| s.to_string().len())).sum() };
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut load = 0;
    for (i, s) in sections.iter().enumerate() {
        if i > start && load >= size && s["depth"].as_u64() == Some(1) {
            groups.push(start..i);
            start = i;
            load = 0;
        }
        load += weight(i);
    }
    groups.push(start..sections.len());
    if groups.len() < 2 {
        return None;
    }
    let last = groups.len() - 1;
    let mut parts = Vec::new();
    for (g, range) in groups.iter().enumerate() {
        let ids: HashSet<String> =
            sections[range.clone()].iter().filter_map(|s| s["id"].as_str().map(str::to_string)).collect();
        let part = rebuild(&root, &langs, |doc| {
            let mut d = without_sections(doc);
            let slice =
                doc["sections"].as_array().and_then(|s| s.get(range.clone())).map_or(Vec::new(), <[Value]>::to_vec);
            d["sections"] = Value::Array(slice);
            if g > 0 {
                d["preamble"] = json!([]);
            }
            if g < last {
                d["glossary"] = json!([]);
            }
            d["part"] = json!({"first": g == 0, "last": g == last});
            mark_far(&mut d["sections"], &|t| !ids.contains(t));
            mark_far(&mut d["preamble"], &|t| !ids.contains(t));
            d
        });
        parts.push(part);
    }
    let front = rebuild(&root, &langs, |doc| {
        let mut d = without_sections(doc);
        // Every heading, none of the text.
        let heads = doc["sections"].as_array().map_or(Vec::new(), |s| {
            s.iter()
                .map(|s| {
                    let mut h = without(s, "blocks");
                    h["blocks"] = json!([]);
                    // The notes on a section's English (untranslated, stale) are the body's.
                    h["fallback"] = json!(false);
                    h["stale"] = json!(false);
                    h
                })
                .collect()
        });
        d["sections"] = Value::Array(heads);
        d["preamble"] = json!([]);
        d["part"] = json!({"first": false, "last": false});
        // No section is laid out in the front part: every reference in a title is far.
        mark_far(&mut d["sections"], &|_| true);
        d
    });
    let heads = rebuild(&root, &langs, |doc| {
        let mut d = without_sections(doc);
        d["sections"] = json!([]);
        d["preamble"] = json!([]);
        d["glossary"] = json!([]);
        d["part"] = json!({"first": false, "last": false});
        d
    });
    Some(Split { front, heads, parts })
}

/// `v` but its `key`, the rest cloned (a document's sections are most of its data: each part
/// clones its own only).
fn without(v: &Value, key: &str) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(k, _)| *k != key).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        v => v.clone(),
    }
}

fn without_sections(doc: &Value) -> Value {
    without(doc, "sections")
}

/// The document `make` makes of each language's document of `root`, as JSON bytes.
fn rebuild(root: &Value, langs: &[&str], make: impl Fn(&Value) -> Value) -> Vec<u8> {
    let v = if langs.is_empty() {
        make(root)
    } else {
        let mut v = match root {
            Value::Object(m) => Value::Object(
                m.iter().filter(|(k, _)| !langs.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
            ),
            v => v.clone(),
        };
        for l in langs {
            v[*l] = make(&root[*l]);
        }
        v
    };
    serde_json::to_vec(&v).expect("JSON values serialize")
}

/// Marks `"far": true` on every reference in `v` whose target `far` says is in another part.
fn mark_far(v: &mut Value, far: &dyn Fn(&str) -> bool) {
    match v {
        Value::Object(m) => {
            let is_far = m.get("k").and_then(Value::as_str) == Some("ref")
                && m.get("target").and_then(Value::as_str).is_some_and(far);
            if is_far {
                m.insert("far".into(), Value::Bool(true));
            }
            for x in m.values_mut() {
                mark_far(x, far);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| mark_far(x, far)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: &str, depth: u64, text: &str, target: Option<&str>) -> Value {
        let mut c = vec![json!({"k": "text", "t": text})];
        if let Some(t) = target {
            c.push(json!({"k": "ref", "target": t, "c": [{"k": "text", "t": "see"}]}));
        }
        let blocks = [json!({"k": "p", "num": null, "c": c})];
        json!({"id": id, "depth": depth, "title": [{"k": "text", "t": id}], "stale": true, "blocks": blocks})
    }

    fn doc() -> Value {
        let long = "あ".repeat(100);
        json!({
            "preamble": [{"k": "p", "num": null, "c": [{"k": "text", "t": "前文"}]}],
            "glossary": [{"term": "用語", "other": "term"}],
            "sections": [
                section("a", 1, &long, Some("c")),
                section("a1", 2, &long, Some("a")),
                section("b", 1, &long, None),
                section("b1", 2, &long, Some("a1")),
                section("c", 1, &long, None),
            ],
        })
    }

    fn parse(b: &[u8]) -> Value {
        serde_json::from_slice(b).unwrap()
    }

    fn ids(v: &Value) -> Vec<&str> {
        v["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect()
    }

    #[test]
    fn parts_start_at_top_level_sections_and_mark_references_to_other_parts() {
        let data = serde_json::to_vec(&doc()).unwrap();
        assert_eq!(split(&data, false, data.len()), None, "small enough: whole");
        let s = split(&data, false, 600).unwrap();
        let parts: Vec<Value> = s.parts.iter().map(|p| parse(p)).collect();
        assert_eq!(parts.iter().map(ids).collect::<Vec<_>>(), vec![vec!["a", "a1"], vec!["b", "b1"], vec!["c"]]);
        let far = |p: &Value, i: usize| p["sections"][i]["blocks"][0]["c"][1]["far"].clone();
        assert_eq!(far(&parts[0], 0), json!(true), "a → c is in another part");
        assert_eq!(far(&parts[0], 1), Value::Null, "a1 → a is in the same part");
        assert_eq!(far(&parts[1], 1), json!(true), "b1 → a1");
        // The preamble only in the first part, the glossary only in the last.
        assert_eq!(parts.iter().map(|p| p["preamble"].as_array().unwrap().len()).collect::<Vec<_>>(), [1, 0, 0]);
        assert_eq!(parts.iter().map(|p| p["glossary"].as_array().unwrap().len()).collect::<Vec<_>>(), [0, 0, 1]);
        assert_eq!(parts[2]["part"], json!({"first": false, "last": true}));
        // The front part: every heading, no text.
        let front = parse(&s.front);
        assert_eq!(ids(&front), ["a", "a1", "b", "b1", "c"]);
        assert!(front["sections"].as_array().unwrap().iter().all(|s| s["blocks"] == json!([])));
        assert!(front["sections"].as_array().unwrap().iter().all(|s| s["stale"] == json!(false)));
        assert!(!String::from_utf8(s.front).unwrap().contains("あ"));
        // The running heads' data: no section, preamble or glossary; the rest as the front's.
        let heads = parse(&s.heads);
        for key in ["sections", "preamble", "glossary"] {
            assert_eq!(heads[key], json!([]), "{key}");
        }
        assert_eq!(heads["part"], front["part"]);
    }

    #[test]
    fn a_parallel_document_is_cut_in_both_languages_at_the_same_sections() {
        let both = json!({"en": doc(), "ja": doc()});
        let data = serde_json::to_vec(&both).unwrap();
        let s = split(&data, true, 1200).unwrap();
        for p in &s.parts {
            let p = parse(p);
            assert_eq!(ids(&p["ja"]), ids(&p["en"]));
            assert_eq!(p["ja"]["part"], p["en"]["part"]);
        }
        assert_eq!(s.parts.len(), 3);
    }
}
