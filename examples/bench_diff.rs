//! Benchmark (not a test): the 新旧対照表 of a 300-page document.
//!
//! `cargo run --release --example bench_diff` generates a Japanese document of 600 sections of
//! about 500 characters each (30 chapters × 20 sections, with numbered lists), mutates about 5%
//! of it (edited characters, inserted, deleted and moved sections), and times loading both
//! revisions, the edition filter, the comparison and the HTML / JSON outputs.

use policybook::config::Lang;
use policybook::edition::Edition;
use policybook::model::load;
use policybook::render::diff::{compare, html, Diff, Options};
use policybook::source::MemSource;
use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const BOOK: &str = r#"
[book]
title = { ja = "ベンチマーク", en = "Benchmark" }
organization = { ja = "市", en = "City" }
source = "src"

[classification]
level = [{ key = "public", label = { ja = "機密性1", en = "Confidentiality 1" }, marking = { ja = "公開", en = "Public" } }]

[edition.public]
ceiling = "public"
"#;

#[path = "corpus/rng.rs"]
mod rng;
use rng::Rng;

const WORDS: [&str; 24] = [
    "情報資産",
    "管理者",
    "職員等",
    "情報システム",
    "適切に",
    "管理する",
    "ものとする",
    "ただし、",
    "必要な措置を講ずる",
    "及び",
    "又は",
    "当該",
    "情報セキュリティ",
    "インシデント",
    "記録を保存し",
    "定期的に",
    "確認する",
    "暗号化",
    "アクセス制御",
    "ネットワーク",
    "利用者",
    "承認を得て",
    "報告しなければならない",
    "外部委託事業者",
];

fn sentence(rng: &mut Rng, len: usize) -> String {
    let mut s = String::new();
    while s.chars().count() < len {
        s.push_str(rng.pick::<&str>(&WORDS));
        if rng.below(6) == 0 {
            s.push('、');
        }
    }
    s.push('。');
    s
}

struct Sec {
    id: String,
    title: String,
    body: Vec<String>,
}

fn generate() -> Vec<(String, Vec<Sec>)> {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    (0..30)
        .map(|c| {
            let secs = (0..20)
                .map(|s| Sec {
                    id: format!("s{c}-{s}"),
                    title: sentence(&mut rng, 8).trim_end_matches('。').to_string(),
                    body: (0..4).map(|_| sentence(&mut rng, 120)).collect(),
                })
                .collect();
            (format!("第{}章 {}", c + 1, sentence(&mut rng, 6).trim_end_matches('。')), secs)
        })
        .collect()
}

fn markdown(chapters: &[(String, Vec<Sec>)]) -> String {
    let mut s = String::from(
        "---\nid: big\ntype: standard\ntitle: 大規模対策基準\nclassification: public\nnumbering: admin\nversion: \"1.0\"\neffective: 2026-04-01\n---\n\n",
    );
    for (i, (title, secs)) in chapters.iter().enumerate() {
        let _ = writeln!(s, "# {title} {{#c{i}}}\n");
        for x in secs {
            let _ = writeln!(s, "## {} {{#{}}}\n", x.title, x.id);
            let _ = writeln!(s, "{}\n\n{}\n", x.body[0], x.body[1]);
            for b in &x.body[2..] {
                let _ = writeln!(s, "1. {b}");
            }
            s.push('\n');
        }
    }
    s
}

/// The new revision: about 5% of the 600 sections changed (18 edited characters, 6 inserted,
/// 3 deleted, 3 moved sections).
fn mutate(new: &mut [(String, Vec<Sec>)]) {
    let mut rng = Rng(42);
    for _ in 0..18 {
        let c = rng.below(30);
        let s = rng.below(new[c].1.len());
        let p = rng.below(4);
        let text: Vec<char> = new[c].1[s].body[p].chars().collect();
        let at = rng.below(text.len() - 1);
        let mut t = text.clone();
        t[at] = '改';
        new[c].1[s].body[p] = t.into_iter().collect();
    }
    for k in 0..6 {
        let c = rng.below(30);
        let at = rng.below(new[c].1.len());
        let body = (0..4).map(|_| sentence(&mut rng, 120)).collect();
        new[c].1.insert(at, Sec { id: format!("new{k}"), title: "新設の節".into(), body });
    }
    for _ in 0..3 {
        let c = rng.below(30);
        let at = rng.below(new[c].1.len());
        new[c].1.remove(at);
    }
    for _ in 0..3 {
        let (a, b) = (rng.below(30), rng.below(30));
        let x = new[a].1.remove(0);
        let at = rng.below(new[b].1.len());
        new[b].1.insert(at, x);
    }
}

/// Writes both revisions' markdown and book.toml to `dir`, to time the real binary on git.
fn write_revisions(dir: &Path, mo: &str, mn: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("create folder");
    std::fs::write(dir.join("book.toml"), BOOK).expect("write");
    std::fs::write(dir.join("old.md"), mo).expect("write");
    std::fs::write(dir.join("new.md"), mn).expect("write");
}

/// What one run measured: the comparison, the outputs' sizes and the time of each step.
struct Run {
    diff: Diff,
    html_bytes: usize,
    json_bytes: usize,
    load: Duration,
    filter: Duration,
    compare: Duration,
    html: Duration,
    json: Duration,
}

/// Loads both revisions, filters the public edition, compares and renders, timing each step.
fn run(mo: &str, mn: &str) -> Run {
    let so = MemSource::new().with("book.toml", BOOK).with("src/big.ja.md", mo);
    let sn = MemSource::new().with("book.toml", BOOK).with("src/big.ja.md", mn);

    let t = Instant::now();
    let lo = load(&so).expect("old loads");
    let ln = load(&sn).expect("new loads");
    let t_load = t.elapsed();
    let t = Instant::now();
    let eo = Edition::filter(&lo.project, "public").expect("edition");
    let en = Edition::filter(&ln.project, "public").expect("edition");
    let t_filter = t.elapsed();
    let opts = Options::new(Lang::Ja, None, "old".into(), "new".into());
    let t = Instant::now();
    let diff = compare(&eo, &en, &opts).expect("compare");
    let t_cmp = t.elapsed();
    let t = Instant::now();
    let page = html::render(&diff);
    let t_html = t.elapsed();
    let t = Instant::now();
    let json = policybook::render::diff::json::render(&diff);
    let t_json = t.elapsed();
    Run {
        diff,
        html_bytes: page.len(),
        json_bytes: json.len(),
        load: t_load,
        filter: t_filter,
        compare: t_cmp,
        html: t_html,
        json: t_json,
    }
}

/// Prints the kinds of section changes and the time of each step.
fn report(run: &Run) {
    let d = &run.diff.documents[0];
    let count = |k: policybook::render::diff::Kind| d.sections.iter().filter(|s| s.kind == k).count();
    use policybook::render::diff::Kind::*;
    println!(
        "sections: {} changed, {} added, {} deleted, {} moved, {} renumbered, {} unchanged; {} table rows",
        count(Changed),
        count(Added),
        count(Deleted),
        count(Moved),
        count(Renumbered),
        count(Unchanged),
        d.rows.len()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("load both revisions (parse, number): {:8.1} ms", ms(run.load));
    println!("edition filter (both):               {:8.1} ms", ms(run.filter));
    println!("compare:                             {:8.1} ms", ms(run.compare));
    println!("html ({} KB):                       {:8.1} ms", run.html_bytes / 1024, ms(run.html));
    println!("json ({} KB):                      {:8.1} ms", run.json_bytes / 1024, ms(run.json));
    println!(
        "total:                               {:8.1} ms",
        ms(run.load + run.filter + run.compare + run.html + run.json)
    );
}

fn main() {
    let old = generate();
    let mut new = generate();
    mutate(&mut new);
    let (mo, mn) = (markdown(&old), markdown(&new));
    println!(
        "document: 600 sections, {} characters (~{} pages at 1,000 characters a page); new revision {} characters",
        mo.chars().count(),
        mo.chars().count() / 1000,
        mn.chars().count()
    );
    // `-- DIR`: also write both revisions' markdown and book.toml, to time the real binary on git.
    if let Some(dir) = std::env::args().nth(1) {
        write_revisions(Path::new(&dir), &mo, &mn);
    }
    report(&run(&mo, &mn));
}
