//! The vocabulary of the corpus: clauses cut from the default project's own sources (compiled
//! in), so the generated text reads like a policy without inventing anything about Hioki City:
//! clauses naming the city are dropped and 市 becomes 県 (the corpus is the fictional 「サンプル県」).

use std::collections::BTreeSet;

const JA: [&str; 13] = [
    include_str!("../../policy-source/basic-policy.ja.md"),
    include_str!("../../policy-source/procedures.ja.md"),
    include_str!("../../policy-source/standards/01-scope.ja.md"),
    include_str!("../../policy-source/standards/02-organization.ja.md"),
    include_str!("../../policy-source/standards/03-asset-classification.ja.md"),
    include_str!("../../policy-source/standards/04-resilience.ja.md"),
    include_str!("../../policy-source/standards/05-physical.ja.md"),
    include_str!("../../policy-source/standards/06-human.ja.md"),
    include_str!("../../policy-source/standards/07-technical.ja.md"),
    include_str!("../../policy-source/standards/08-operations.ja.md"),
    include_str!("../../policy-source/standards/09-outsourcing.ja.md"),
    include_str!("../../policy-source/standards/10-evaluation.ja.md"),
    include_str!("../../policy-source/standards/index.ja.md"),
];

const EN: [&str; 13] = [
    include_str!("../../policy-source/basic-policy.en.md"),
    include_str!("../../policy-source/procedures.en.md"),
    include_str!("../../policy-source/standards/01-scope.en.md"),
    include_str!("../../policy-source/standards/02-organization.en.md"),
    include_str!("../../policy-source/standards/03-asset-classification.en.md"),
    include_str!("../../policy-source/standards/04-resilience.en.md"),
    include_str!("../../policy-source/standards/05-physical.en.md"),
    include_str!("../../policy-source/standards/06-human.en.md"),
    include_str!("../../policy-source/standards/07-technical.en.md"),
    include_str!("../../policy-source/standards/08-operations.en.md"),
    include_str!("../../policy-source/standards/09-outsourcing.en.md"),
    include_str!("../../policy-source/standards/10-evaluation.en.md"),
    include_str!("../../policy-source/standards/index.en.md"),
];

/// Clauses in each language, sorted (deterministic), and the short ones fit for headings.
pub struct Words {
    pub ja: Vec<String>,
    pub en: Vec<String>,
    pub ja_titles: Vec<String>,
    pub en_titles: Vec<String>,
}

impl Words {
    pub fn new() -> Self {
        let ja = clauses(&JA, &['、', '。', '（', '）', '「', '」'], ja_clause);
        let en = clauses(&EN, &[',', '.', ';', ':', '(', ')', '"'], en_clause);
        let ja_titles = ja.iter().filter(|c| (4..=14).contains(&c.chars().count())).cloned().collect();
        let en_titles = en.iter().filter(|c| (2..=6).contains(&c.split(' ').count())).map(|c| capitalized(c)).collect();
        Words { ja, en, ja_titles, en_titles }
    }
}

/// The prose lines of Markdown sources (no front matter, headings, tables, containers), links
/// reduced to their text, split into clauses at `seps`, kept when `keep` returns a clause.
fn clauses(files: &[&str], seps: &[char], keep: fn(&str) -> Option<String>) -> Vec<String> {
    let mut out = BTreeSet::new();
    for file in files {
        let body = match file.strip_prefix("---\n").and_then(|rest| rest.split_once("\n---\n")) {
            Some((_, body)) => body,
            None => file,
        };
        for line in body.lines().map(str::trim) {
            if line.is_empty() || line.starts_with(['#', '|', ':', '!', '<', '-']) {
                continue;
            }
            let line = line.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
            for clause in strip_links(line).split(seps) {
                if let Some(c) = keep(clause.trim()) {
                    out.insert(c);
                }
            }
        }
    }
    out.into_iter().collect()
}

/// `[text](target)` → `text`; emphasis marks and code ticks dropped.
fn strip_links(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](").and_then(|m| after[m..].find(')').map(|e| (m, m + e))) {
            Some((m, e)) => {
                out.push_str(&after[..m]);
                rest = &after[e + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace(['*', '`', '_', '[', ']', '{', '}', '#', '\\', '|', '<', '>'], "")
}

fn ja_clause(c: &str) -> Option<String> {
    let n = c.chars().count();
    let first = c.chars().next()?;
    if !(3..=30).contains(&n)
        || c.contains("日置")
        || c.is_ascii()
        || "ア（(0123456789０１２３４５６７８９".contains(first)
        || doubled(c)
    {
        return None;
    }
    Some(
        c.replace("ウィルス", "ウイルス")
            .replace("副市長", "副知事")
            .replace("市長", "知事")
            .replace("市民", "県民")
            .replace("本市", "本県")
            .replace('市', "県"),
    )
}

/// A kanji or a two-character word written twice in a row (slips of the source text, which the
/// prose check would report in every generated sentence that used the clause).
fn doubled(c: &str) -> bool {
    let v: Vec<char> = c.chars().collect();
    let kanji = |x: char| ('\u{4e00}'..='\u{9fff}').contains(&x);
    v.windows(2).any(|w| w[0] == w[1] && kanji(w[0])) || v.windows(4).any(|w| w[0] == w[2] && w[1] == w[3])
}

fn en_clause(c: &str) -> Option<String> {
    let words = c.split_whitespace().count();
    if !(3..=14).contains(&words) || c.contains("Hioki") || !c.is_ascii() || c.starts_with(|x: char| x.is_ascii_digit())
    {
        return None;
    }
    let c = c.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(c.replace("Mayor", "Governor").replace("City", "Prefecture").replace("city", "prefecture"))
}

pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}
