//! The git history: revision 1 is the generated project; each later revision makes a few edits
//! (a paragraph rewritten, a list item added, a section inserted) in random documents, with the
//! English confirmed; the last one also changes the Japanese of [`STALE_SECTION`] unconfirmed.

use super::render::files;
use super::*;

/// What was written, for the summary line.
pub struct Summary {
    pub files: usize,
    pub standards_ja_chars: usize,
}

/// Writes the corpus into `out` (created; must be empty or absent) and its git history.
pub fn generate(out: &Path, opts: &Options) -> Result<Summary, String> {
    if out.exists() && std::fs::read_dir(out).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} is not empty", out.display()));
    }
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let mut g = Gen { rng: Rng(opts.seed.max(1)), words: Words::new(), targets: vec![], restricted_targets: vec![] };
    let mut docs = documents(&mut g, opts);
    git(out, &["init", "-q", "-b", "main"], 0)?;
    std::fs::write(out.join("book.toml"), BOOK).map_err(|e| e.to_string())?;
    std::fs::write(out.join(".gitignore"), "/output/\n").map_err(|e| e.to_string())?;
    let revisions = opts.revisions.max(1);
    let mut written = BTreeMap::new();
    for r in 1..=revisions {
        if r > 1 {
            for j in 0..3 {
                edit(&mut g, &mut docs, r, j);
            }
        }
        let mut texts = confirmed(&files(&docs, None))?;
        if r == revisions && revisions > 1 {
            for (path, text) in files(&docs, Some(STALE_SECTION)) {
                if path.ends_with(".ja.md") {
                    texts.insert(path, text);
                }
            }
        }
        for (path, text) in &texts {
            if written.get(path) != Some(text) {
                let p = out.join(path);
                std::fs::create_dir_all(p.parent().expect("a file in a folder")).map_err(|e| e.to_string())?;
                std::fs::write(&p, text).map_err(|e| e.to_string())?;
            }
        }
        git(out, &["add", "-A"], r)?;
        git(out, &["commit", "-q", "-m", &format!("revision {r} of the generated corpus")], r)?;
        git(out, &["tag", &format!("rev-{r:03}")], r)?;
        written = texts;
    }
    let standards_ja_chars = written
        .iter()
        .filter(|(p, _)| p.starts_with("policy-source/standards/") && p.ends_with(".ja.md"))
        .map(|(_, t)| t.chars().count())
        .sum();
    Ok(Summary { files: written.len() + 1, standards_ja_chars })
}

/// The files with every English heading's `ja=` fingerprint set to its Japanese text now, as
/// `policybook confirm` would write it; an error if the generated sources have errors.
fn confirmed(files: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    let mut source = MemSource::new().with("book.toml", BOOK);
    for (p, t) in files {
        source.insert(p, t);
    }
    let loaded = load(&source).map_err(|e| e.to_string())?;
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .take(5)
        .map(|d| format!("{}:{}: {}", d.loc.file, d.loc.line, d.code))
        .collect();
    if !errors.is_empty() {
        return Err(format!("the generated sources have errors: {}", errors.join("; ")));
    }
    let mut out = files.clone();
    for doc in &loaded.project.documents {
        let (edits, _) = confirm::plan(doc, &[], &|f| out.get(f).cloned()).map_err(|e| e.to_string())?;
        for (file, lines) in edits {
            let text = confirm::apply(&out[&file], &lines);
            out.insert(file, text);
        }
    }
    Ok(out)
}

/// One edit of revision `r`: in the standards four times in five, else the basic policy or the
/// procedures.
fn edit(g: &mut Gen, docs: &mut [Doc], r: usize, j: usize) {
    let d = match g.rng.below(10) {
        0 => 0,
        1 => 2,
        _ => 1,
    };
    let (here, restricted) = (docs[d].id, docs[d].id == "procedures");
    let new_id = format!("r{r}-{j}");
    let sections = &mut docs[d].sections;
    let c = g.rng.below(sections.len());
    let op = g.rng.below(3);
    if op == 2 {
        // A new section: among the chapter's sections, or a top-level one in the basic policy.
        let s = g.section(here, new_id, None, restricted);
        let list = if sections[c].children.is_empty() { sections } else { &mut sections[c].children };
        let at = g.rng.below(list.len() + 1);
        list.insert(at, s);
        return;
    }
    let chapter = &mut sections[c];
    let k = g.rng.below(chapter.children.len());
    let s = if chapter.children.is_empty() { chapter } else { &mut chapter.children[k] };
    let restricted = restricted || s.class == Some("restricted");
    if op == 0 {
        s.blocks[0] = Block::Para(g.para(here, restricted));
    } else if let Some(Block::List(items)) = s.blocks.iter_mut().find(|b| matches!(b, Block::List(_))) {
        items.push((g.sentence(2), vec![]));
    } else {
        s.blocks.push(g.list(2, false));
    }
}

/// Runs git in `dir` with a fixed author, committer and date (revision `r`: 2026-01-01 plus `r`
/// days, JST), so the history is the same on every run.
fn git(dir: &Path, args: &[&str], r: usize) -> Result<(), String> {
    let date = format!("{} +0900", 1_767_225_600 + r as u64 * 86_400);
    let o = Command::new("git")
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Corpus Generator")
        .env("GIT_AUTHOR_EMAIL", "corpus@example.org")
        .env("GIT_COMMITTER_NAME", "Corpus Generator")
        .env("GIT_COMMITTER_EMAIL", "corpus@example.org")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !o.status.success() {
        return Err(format!("git {args:?}: {}", String::from_utf8_lossy(&o.stderr)));
    }
    Ok(())
}
