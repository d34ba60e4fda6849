//! End-to-end tests of revisions and the 新旧対照表: a real git repository with three commits of
//! the policy (project in a subfolder), compared pair by pair with the real binary.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} does not contain {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// The start of the heading line of section `id`, and the end of the section (the next heading
/// of the same or a higher level).
fn section_span(s: &str, id: &str) -> (usize, usize) {
    let at = s.find(&format!("{{#{id}}}")).or_else(|| s.find(&format!("{{#{id} "))).unwrap();
    let start = s[..at].rfind('\n').map_or(0, |n| n + 1);
    let hashes = s[start..].chars().take_while(|c| *c == '#').count();
    let mut end = s.len();
    let mut pos = start + 1;
    while let Some(i) = s[pos..].find("\n#") {
        let at = pos + i + 1;
        let h = s[at..].chars().take_while(|c| *c == '#').count();
        if h <= hashes {
            end = at;
            break;
        }
        pos = at;
    }
    (start, end)
}

fn delete_section(path: &Path, id: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    let (a, b) = section_span(&s, id);
    std::fs::write(path, format!("{}{}", &s[..a], &s[b..])).unwrap();
}

/// Moves section `id` before section `before`.
fn move_section(path: &Path, id: &str, before: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    let (a, b) = section_span(&s, id);
    let mut block = s[a..b].to_string();
    if !block.ends_with("\n\n") {
        block.push('\n');
    }
    let rest = format!("{}{}", &s[..a], &s[b..]);
    let (c, _) = section_span(&rest, before);
    std::fs::write(path, format!("{}{}{}", &rest[..c], block, &rest[c..])).unwrap();
}

/// A repository holding the policy in `policy/`, with three commits:
/// 1. the default policy with canaries;
/// 2. an edited sentence (one character), an inserted section that renumbers the rest, an edit in
///    a public standards section and an edit inside a restricted section;
/// 3. a deleted section and a moved section.
fn repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let base = canary_project();
    let d = tempfile::tempdir().unwrap();
    let proj = d.path().join("policy");
    std::fs::rename(base.path(), &proj)
        .or_else(|_| {
            // Different file systems: copy.
            let o = Command::new("cp").arg("-r").arg(base.path()).arg(&proj).output()?;
            if o.status.success() {
                Ok(())
            } else {
                Err(std::io::Error::other("cp"))
            }
        })
        .unwrap();
    std::fs::write(d.path().join("README"), "the city's repository\n").unwrap();
    git(d.path(), &["init", "-q", "-b", "main"]);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-q", "-m", "policy as adopted"]);
    git(d.path(), &["tag", "policy-2024"]);

    let src = proj.join("policy-source");
    let bja = src.join("basic-policy.ja.md");
    let ben = src.join("basic-policy.en.md");
    edit(&bja, "本基本方針は、本市が保有する", "本基本方針は、当市が保有する");
    edit(&ben, "implemented by the City, in order", "implemented by the Municipality, in order");
    edit(
        &bja,
        "# 定義 {#definitions}",
        "# 基本理念 {#principles}\n\n本市は、情報資産を市民の<重要な>財産として保護する。\n\n# 定義 {#definitions}",
    );
    edit(
        &ben,
        "# Definitions {#definitions",
        "# Basic principles {#principles}\n\nThe City protects information assets as important property of its residents.\n\n# Definitions {#definitions",
    );
    let org = src.join("standards/02-organization.ja.md");
    edit(&org, "専門的な知識及び経験を有する者", "専門的な知識又は経験を有する者");
    edit(
        &org,
        "連絡網の名簿は、情報政策課において管理し",
        &format!("連絡網の名簿（{CANARY_RESTRICTED}改）は、情報政策課において管理し"),
    );
    edit(&bja, "effective: 2026-04-01", "effective: 2026-10-01");
    edit(&src.join("standards/index.ja.md"), "effective: 2026-04-01", "effective: 2026-10-01");
    git(d.path(), &["commit", "-q", "-am", "amendment 1"]);

    for f in [&bja, &ben] {
        delete_section(f, "def-personal-information");
        move_section(f, "evaluation", "organization");
    }
    edit(&bja, "effective: 2026-10-01", "effective: 2027-04-01");
    git(d.path(), &["commit", "-q", "-am", "amendment 2"]);
    git(d.path(), &["tag", "policy-2026"]);
    (d, proj)
}

fn run_ok(proj: &Path, args: &[&str]) -> String {
    let o = policybook(proj, args);
    assert_eq!(o.status.code(), Some(0), "policybook {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn json(proj: &Path, args: &[&str]) -> Value {
    let mut a = vec!["diff"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&run_ok(proj, &a)).expect("valid json")
}

fn doc<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["documents"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("no document {id}"))
}

fn sec<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["sections"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no section {id}"))
}

fn ranges(v: &Value) -> Vec<[u64; 2]> {
    v.as_array().unwrap().iter().map(|r| [r[0].as_u64().unwrap(), r[1].as_u64().unwrap()]).collect()
}

/// The elided row holding section `id`.
fn elided_with<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "elided" && r["ids"].as_array().unwrap().iter().any(|x| x == id))
        .unwrap_or_else(|| panic!("{id} is not in an elided row"))
}

/// The rows of section `id` in the HTML table (its `<tbody>`: a heading row and a row per unit).
fn tr<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("data-id=\"{id}\"")).unwrap_or_else(|| panic!("no row {id}"));
    let start = html[..at].rfind("<tbody").unwrap();
    let end = at + html[at..].find("</tbody>").unwrap();
    &html[start..end]
}

/// The two sides of a section's rows, each row's cells joined: (改正後, 改正前).
fn cells(rows: &str) -> (String, String) {
    let (mut new, mut old) = (String::new(), String::new());
    for row in rows.split("<tr").skip(1) {
        let parts: Vec<&str> = row.split("<td").skip(1).collect();
        assert_eq!(parts.len(), 2, "{row}");
        new.push_str(parts[0]);
        old.push_str(parts[1]);
    }
    (new, old)
}

#[test]
fn first_amendment_edit_insert_and_renumbering() {
    let (_d, proj) = repo();
    let v = json(&proj, &["policy-2024", "HEAD~1", "--doc", "basic-policy"]);
    assert_eq!(v["schema"], "policybook-diff/2");
    assert_eq!(v["edition"], "public");
    let d = doc(&v, "basic-policy");
    assert_eq!(d["status"], "changed");

    // One character changed: exactly that character on each side.
    let p = sec(d, "purpose");
    assert_eq!(p["kind"], "changed");
    assert_eq!(ranges(&p["old"]["body_changes"]), vec![[7, 8]]);
    assert_eq!(ranges(&p["new"]["body_changes"]), vec![[7, 8]]);
    assert!(p["old"]["body"].as_str().unwrap().starts_with("本基本方針は、本市"));
    assert!(ranges(&p["new"]["title_changes"]).is_empty());

    // The inserted section, and the sections after it renumbered, not deleted and added.
    let added = sec(d, "principles");
    assert_eq!(added["kind"], "added");
    assert!(added["old"].is_null());
    assert_eq!(added["new"]["number"], "2");
    let defs = sec(d, "definitions");
    assert_eq!(defs["kind"], "renumbered");
    assert_eq!((defs["old"]["number"].as_str(), defs["new"]["number"].as_str()), (Some("2"), Some("3")));
    assert_eq!(sec(d, "threats")["kind"], "renumbered");
    assert!(d["sections"].as_array().unwrap().iter().all(|s| s["kind"] != "deleted"));
    // The renumbered sections are elided as a range whose numbers differ; the definitions'
    // subsections (own numbers unchanged) are in the same run.
    let run = elided_with(d, "definitions");
    assert_eq!(run["renumbered"], true);
    assert!(run["ids"].as_array().unwrap().iter().any(|x| x == "def-network"));
    assert_eq!(run["old_range"], "2～5");
    assert_eq!(run["new_range"], "3～6");
    // The unchanged unnumbered preamble section is elided by its title.
    assert_eq!(elided_with(d, "preamble")["old_range"], "序文");
    // A reference whose target was renumbered changed its text (上記3 → 上記4).
    let measures = sec(d, "measures");
    assert_eq!(measures["kind"], "changed");
    assert!(measures["renumbered"].as_bool().unwrap());

    let html = run_ok(&proj, &["diff", "policy-2024", "HEAD~1", "--doc", "basic-policy", "--format", "html"]);
    assert!(html.contains("<h1>情報セキュリティ基本方針 新旧対照表</h1>"), "{html}");
    assert!(html.contains("（傍線部分は改正部分）"));
    let head = &html[html.find("<thead>").unwrap()..];
    assert!(head.find("改正後").unwrap() < head.find("改正前").unwrap(), "改正後 on the left");
    let (new, old) = cells(tr(&html, "purpose"));
    assert!(new.contains("当市</u>") || new.contains("<u class=\"chg\">当</u>"), "{new}");
    assert!(new.contains("<u class=\"chg\">当</u>"), "{new}");
    assert!(old.contains("<u class=\"chg\">本</u>市が保有"), "{old}");
    let (new, old) = cells(tr(&html, "principles"));
    assert!(new.contains("<u class=\"chg\">基本理念</u>") && new.contains("&lt;重要な&gt;"), "escaped: {new}");
    assert!(!html.contains("<重要な>"));
    assert!(old.contains("（新設）"), "{old}");
    assert!(html.contains("<td class=\"elided\"><u class=\"chg\">3～6</u>　（略）</td><td class=\"elided\"><u class=\"chg\">2～5</u>　（略）</td>"));
    assert!(html.contains("<td class=\"elided\">序文　（略）</td>"));

    // English: word by word.
    let v = json(&proj, &["policy-2024", "HEAD~1", "--doc", "basic-policy", "--lang", "en"]);
    let p = sec(doc(&v, "basic-policy"), "purpose");
    let body = p["new"]["body"].as_str().unwrap();
    let r = ranges(&p["new"]["body_changes"]);
    assert_eq!(r.len(), 1);
    let changed: String = body.chars().skip(r[0][0] as usize).take((r[0][1] - r[0][0]) as usize).collect();
    assert_eq!(changed, "Municipality");
    let html =
        run_ok(&proj, &["diff", "policy-2024", "HEAD~1", "--doc", "basic-policy", "--lang", "en", "--format", "html"]);
    for w in ["Amended", "Current", "(omitted)", "(new)", "(Underlined parts are amended)"] {
        assert!(html.contains(w), "{w}");
    }
}

#[test]
fn second_amendment_delete_and_move() {
    let (_d, proj) = repo();
    let v = json(&proj, &["HEAD~1", "HEAD"]);
    let d = doc(&v, "basic-policy");
    let del = sec(d, "def-personal-information");
    assert_eq!(del["kind"], "deleted");
    assert!(del["new"].is_null());
    assert_eq!(del["old"]["path"], "3(8)");
    let mv = sec(d, "evaluation");
    assert_eq!(mv["kind"], "moved");
    assert_eq!((mv["old"]["position"].as_u64(), mv["new"]["position"].as_u64()), (Some(8), Some(0)));
    assert_eq!(mv["old"]["path"], "7(9)");
    assert_eq!(mv["new"]["path"], "7(1)");
    // Its former elder siblings only moved down by one: renumbered, not moved.
    assert_eq!(sec(d, "organization")["kind"], "renumbered");
    assert_eq!(sec(d, "outsourcing")["kind"], "renumbered");
    // The definitions after the deleted one are renumbered.
    let run = elided_with(d, "def-mynumber-domain");
    assert_eq!(run["renumbered"], true);
    assert_eq!(run["old_range"], "3(9)～3(13)");
    assert_eq!(run["new_range"], "3(8)～3(12)");
    // Unchanged sections: one elided range.
    let run = elided_with(d, "principles");
    assert_eq!(run["renumbered"], false);
    assert_eq!(run["new_range"], "序文～3(7)");

    let html = run_ok(&proj, &["diff", "HEAD~1", "--format", "html", "--doc", "basic-policy"]);
    let (new, old) = cells(tr(&html, "def-personal-information"));
    assert!(new.contains("（削る）"), "{new}");
    assert!(old.contains("<u class=\"chg\">個人情報等</u>"), "{old}");
    let (new, old) = cells(tr(&html, "evaluation"));
    assert!(new.contains("<u class=\"chg\">7(1)</u>") && new.contains("7(9)から移動"), "{new}");
    assert!(old.contains("<u class=\"chg\">7(9)</u>"), "{old}");
    assert!(
        html.contains("<td class=\"elided\">序文～3(7)　（略）</td><td class=\"elided\">序文～3(7)　（略）</td>"),
        "{html}"
    );

    // Text output (not a terminal: no colours, word-diff markers).
    let text = run_ok(&proj, &["diff", "HEAD~1", "--doc", "basic-policy"]);
    assert!(text.contains("{#evaluation} (moved from 7(9))"), "{text}");
    assert!(text.contains("{#def-personal-information} (deleted)"), "{text}");
    assert!(!text.contains('\x1b'));
}

#[test]
fn across_both_amendments() {
    let (_d, proj) = repo();
    let v = json(&proj, &["policy-2024", "policy-2026", "--doc", "basic-policy"]);
    let d = doc(&v, "basic-policy");
    assert_eq!(sec(d, "purpose")["kind"], "changed");
    assert_eq!(sec(d, "principles")["kind"], "added");
    assert_eq!(sec(d, "def-personal-information")["kind"], "deleted");
    assert_eq!(sec(d, "evaluation")["kind"], "moved");
    assert_eq!(sec(d, "definitions")["kind"], "renumbered");
    // A section of the new side between the added section and the next, in document order.
    let ids: Vec<&str> = d["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    let pos = |x: &str| ids.iter().position(|i| *i == x).unwrap();
    assert!(pos("purpose") < pos("principles") && pos("principles") < pos("definitions"));
    assert!(pos("def-availability") < pos("def-personal-information"));
    assert!(pos("def-personal-information") < pos("def-mynumber-domain"));
}

#[test]
fn restricted_edit_leaves_no_trace_in_the_public_diff() {
    let (_d, proj) = repo();
    for (a, b) in [("policy-2024", "HEAD~1"), ("HEAD~1", "HEAD"), ("policy-2024", "HEAD")] {
        for format in ["json", "html", "text"] {
            for edition in ["public", "internal"] {
                let out = run_ok(&proj, &["diff", a, b, "--edition", edition, "--format", format]);
                for leak in [CANARY_RESTRICTED, "emergency-contact-network", "緊急連絡網", "連絡網の名簿"] {
                    assert!(!out.contains(leak), "{edition} {format} diff {a}..{b} shows {leak}");
                }
            }
        }
    }
    // The public standards edit is there, so the document is in the public diff …
    let v = json(&proj, &["policy-2024", "HEAD~1", "--doc", "standards"]);
    let d = doc(&v, "standards");
    let ciso = sec(d, "ciso");
    assert_eq!(ciso["kind"], "changed");
    let body = ciso["new"]["body"].as_str().unwrap();
    let r = ranges(&ciso["new"]["body_changes"])[0];
    assert_eq!(body.chars().skip(r[0] as usize).take((r[1] - r[0]) as usize).collect::<String>(), "又は");
    // … and the restricted section appears in no row, elided or not.
    assert!(d["sections"].as_array().unwrap().iter().all(|s| s["id"] != "emergency-contact-network"));
    // The restricted edition shows the edit.
    let v = json(&proj, &["policy-2024", "HEAD~1", "--edition", "restricted", "--doc", "standards"]);
    let s = sec(doc(&v, "standards"), "emergency-contact-network");
    assert_eq!(s["kind"], "changed");
    assert!(s["new"]["body"].as_str().unwrap().contains(CANARY_RESTRICTED));
    let html = run_ok(&proj, &["diff", "policy-2024", "HEAD~1", "--edition", "restricted", "--format", "html"]);
    assert!(html.contains(&format!("<u class=\"chg\">（{CANARY_RESTRICTED}改）</u>")), "{html}");
}

#[test]
fn working_tree_is_the_default_new_side() {
    let (_d, proj) = repo();
    let v = json(&proj, &["HEAD"]);
    assert!(v["documents"].as_array().unwrap().is_empty(), "clean tree: no changes");
    assert_eq!(v["new"], "作業ツリー");
    edit(&proj.join("policy-source/basic-policy.ja.md"), "当市が保有する", "当市の保有する");
    let v = json(&proj, &["HEAD"]);
    let p = sec(doc(&v, "basic-policy"), "purpose");
    assert_eq!(ranges(&p["new"]["body_changes"]), vec![[9, 10]]);
    // An unknown revision is a clear error naming the shallow-clone fix.
    let o = policybook(&proj, &["diff", "no-such-rev"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown revision \"no-such-rev\"") && stderr(&o).contains("git fetch --unshallow"));
    let o = policybook(&proj, &["diff", "HEAD", "--doc", "nope"]);
    assert!(stderr(&o).contains("no document \"nope\""), "{}", stderr(&o));
}

#[test]
fn older_revisions_load_from_git_objects() {
    let (_d, proj) = repo();
    // A dirty working tree and a detached HEAD do not matter.
    edit(&proj.join("policy-source/basic-policy.ja.md"), "# 基本理念", "# 作業中の理念");
    git(proj.parent().unwrap(), &["checkout", "-q", "--detach", "HEAD"]);
    let old = run_ok(&proj, &["outline", "basic-policy", "--rev", "policy-2024"]);
    assert!(!old.contains("基本理念") && old.contains("2 定義  {#definitions}"), "{old}");
    let new = run_ok(&proj, &["outline", "basic-policy", "--rev", "HEAD"]);
    assert!(new.contains("2 基本理念  {#principles}") && new.contains("3 定義  {#definitions}"), "{new}");
    let work = run_ok(&proj, &["outline", "basic-policy"]);
    assert!(work.contains("作業中の理念"));
    let o = policybook(&proj, &["check", "--rev", "HEAD~1"]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
}

fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name).args(args).output().unwrap_or_else(|e| panic!("{name}: {e} (install poppler-utils)"));
    assert!(o.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn pdf_is_a_landscape_table_without_restricted_content() {
    let (d, proj) = repo();
    let public = d.path().join("public.pdf");
    let restricted = d.path().join("restricted.pdf");
    let p = public.to_str().unwrap();
    let r = restricted.to_str().unwrap();
    run_ok(&proj, &["diff", "policy-2024", "HEAD", "--format", "pdf", "-o", p]);
    run_ok(&proj, &["diff", "policy-2024", "HEAD", "--format", "pdf", "--edition", "restricted", "-o", r]);
    let info = tool("pdfinfo", &[p]);
    assert!(info.contains("841.89 x 595.27"), "landscape A4: {info}");
    let text = tool("pdftotext", &["-layout", p, "-"]);
    for w in [
        "情報セキュリティ基本方針 新旧対照表",
        "改正後",
        "改正前",
        "（傍線部分は改正部分）",
        "（新設）",
        "（削る）",
        "（略）",
    ] {
        assert!(text.contains(w), "{w} missing in the PDF:\n{text}");
    }
    assert!(text.contains("<重要な>"), "source text is data, not Typst markup");
    let raw = std::fs::read(&public).unwrap();
    for leak in [CANARY_RESTRICTED, "緊急連絡網", "連絡網の名簿"] {
        assert!(!text.contains(leak), "public PDF shows {leak}");
        assert!(!String::from_utf8_lossy(&raw).contains(leak));
    }
    let text = tool("pdftotext", &["-layout", r, "-"]);
    assert!(text.contains(CANARY_RESTRICTED), "the restricted PDF shows the restricted edit");
    // Deterministic: the same bytes twice.
    run_ok(&proj, &["diff", "policy-2024", "HEAD", "--format", "pdf", "-o", r]);
    let again = d.path().join("again.pdf");
    run_ok(&proj, &["diff", "policy-2024", "HEAD", "--format", "pdf", "-o", again.to_str().unwrap()]);
    assert_eq!(std::fs::read(&again).unwrap(), raw);
}

#[test]
fn emitted_inputs_of_the_pdf_typeset_through_the_library_give_its_bytes() {
    let (d, proj) = repo();
    let (pdf, emit) = (d.path().join("public.pdf"), d.path().join("emitted"));
    run_ok(&proj, &["diff", "policy-2024", "HEAD", "--format", "pdf", "-o", pdf.to_str().unwrap()]);
    let out = run_ok(&proj, &["diff", "policy-2024", "HEAD", "--emit-typst", emit.to_str().unwrap()]);
    assert!(out.is_empty(), "the inputs go to the folder, nothing to standard output: {out}");
    for f in files_below(&emit) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        assert!(!text.contains(CANARY_RESTRICTED), "{} holds restricted text", f.display());
    }
    let script = std::fs::read_to_string(emit.join("compile.sh")).unwrap();
    let line = script.lines().find(|l| l.starts_with("\"$TYPST\" compile ")).unwrap();
    assert!(line.ends_with("'diff/main.typ' 'diff/diff.pdf'") && !line.contains("--pdf-standard"), "{line}");
    let data = std::fs::read_to_string(emit.join("diff/data.json")).unwrap();
    assert!(data.contains("<重要な>"), "the table is data");
    assert!(typeset_emitted(&emit, "diff") == std::fs::read(&pdf).unwrap(), "other bytes");
    // A second emission into the same folder replaces the first; a folder of something else is refused.
    run_ok(&proj, &["diff", "policy-2024", "HEAD", "--emit-typst", emit.to_str().unwrap()]);
    let other = d.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let o = policybook(&proj, &["diff", "policy-2024", "HEAD", "--emit-typst", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("compile.sh"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(other.join("notes.txt")).unwrap(), "mine");
    // The inputs are the PDF's: another format with them is refused, and nothing is written.
    let text = d.path().join("text");
    let o =
        policybook(&proj, &["diff", "policy-2024", "HEAD", "--format", "text", "--emit-typst", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--format pdf") && !text.exists(), "{}", stderr(&o));
}

#[test]
fn history_from_front_matter_and_release_tags() {
    let (d, proj) = repo();
    // A tag that does not match `policy-*` is not a release.
    git(d.path(), &["tag", "wip-1", "HEAD~1"]);
    let out = run_ok(&proj, &["history", "--doc", "basic-policy"]);
    // The basic policy holds the seed's single revision and no version name.
    assert!(out.starts_with("basic-policy  情報セキュリティ基本方針  (施行 令和9年4月1日)"), "{out}");
    assert!(out.contains("    令和8年4月1日  改定  \n"), "{out}");
    assert!(out.contains("  リリース (policy-*)\n    policy-2024  "), "{out}");
    assert!(out.contains("\n    policy-2026  "), "{out}");
    assert!(!out.contains("wip-1") && !out.contains("standards"), "{out}");
    let all = run_ok(&proj, &["history"]);
    // The procedures did not change between the two releases.
    let procs = &all[all.find("procedures  ").unwrap()..];
    let line = procs.lines().find(|l| l.contains("policy-2026")).unwrap();
    assert!(line.ends_with("（変更なし）"), "{line}");
    let line = all.lines().find(|l| l.contains("policy-2026")).unwrap();
    assert!(!line.contains("変更なし"), "basic-policy changed: {line}");
    let en = run_ok(&proj, &["history", "--doc", "basic-policy", "--lang", "en"]);
    assert!(en.contains("April 1, 2026  Revised"), "{en}");
}

#[test]
fn build_any_revision_and_the_release_archive() {
    let (d, proj) = repo();
    let out = d.path().join("out");
    let o = out.to_str().unwrap();
    run_ok(&proj, &["build", "--rev", "policy-2024", "--format", "html", "--edition", "public", "-o", o]);
    let old = std::fs::read_to_string(out.join("public/html/basic-policy/ja.html")).unwrap();
    assert!(!old.contains("基本理念") && old.contains("本基本方針は、本市が保有する"));
    run_ok(&proj, &["build", "--rev", "HEAD~1", "--format", "html", "--edition", "public", "-o", o]);
    let mid = std::fs::read_to_string(out.join("public/html/basic-policy/ja.html")).unwrap();
    assert!(mid.contains("基本理念") && mid.contains("個人情報等"));
    assert!(!mid.contains("versions/index.html"), "no archive, no link");

    // A release that changed only restricted content.
    let org = proj.join("policy-source/standards/02-organization.ja.md");
    edit(&org, "人事異動の都度更新する", "人事異動の都度速やかに更新する");
    edit(&proj.join("policy-source/standards/index.ja.md"), "effective: 2026-10-01", "effective: 2027-01-01");
    git(d.path(), &["commit", "-q", "-am", "restricted only"]);
    git(d.path(), &["tag", "policy-2027"]);

    run_ok(
        &proj,
        &["build", "--all-releases", "--format", "html", "--edition", "public", "--edition", "restricted", "-o", o],
    );
    let site = out.join("public/html");
    let v = |p: &str| site.join("basic-policy/versions").join(p);
    let first = std::fs::read_to_string(v("2026-04-01/ja.html")).unwrap();
    assert!(!first.contains("基本理念") && first.contains("href=\"../../../style.css\""), "{first}");
    assert!(first.contains("これは令和8年4月1日施行の版（policy-2024）です。"), "{first}");
    assert!(!v("2026-04-01/shinkyu.ja.html").exists(), "the first release has no previous one");
    let last = std::fs::read_to_string(v("2027-04-01/ja.html")).unwrap();
    assert!(last.contains("基本理念") && !last.contains("個人情報等"));
    let table = std::fs::read_to_string(v("2027-04-01/shinkyu.ja.html")).unwrap();
    assert!(
        table.contains("（新設）") && table.contains("（削る）") && table.contains("改正前：policy-2024"),
        "{table}"
    );
    assert!(v("2027-04-01/shinkyu.en.html").exists() && v("2027-04-01/en.html").exists());
    let index = std::fs::read_to_string(v("index.html")).unwrap();
    assert!(index.contains("令和9年4月1日") && index.contains("令和8年4月1日") && index.contains("policy-2026"));
    let current = std::fs::read_to_string(site.join("basic-policy/ja.html")).unwrap();
    assert!(
        current.contains("<a href=\"versions/index.html\">過去の版と新旧対照表</a>"),
        "the page links to its archive"
    );
    // The standards' restricted-only release adds no public version …
    let std_versions: Vec<String> = std::fs::read_dir(site.join("standards/versions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!std_versions.contains(&"2027-01-01".to_string()), "{std_versions:?}");
    assert!(std_versions.contains(&"2026-10-01".to_string()), "{std_versions:?}");
    for f in files_below(&site) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for leak in [CANARY_RESTRICTED, "緊急連絡網", "速やかに更新"] {
            assert!(!text.contains(leak), "{} shows {leak}", f.display());
        }
    }
    // … while the restricted edition has it, with its 新旧対照表.
    let r = out.join("restricted/html/standards/versions/2027-01-01/shinkyu.ja.html");
    let table = std::fs::read_to_string(&r).unwrap();
    assert!(table.contains("<u class=\"chg\">速やかに</u>"), "{table}");
}

#[test]
fn shallow_clone_names_the_fix() {
    let (d, _proj) = repo();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", d.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let proj = clone.path().join("c/policy");
    let o = policybook(&proj, &["diff", "HEAD~1"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("unknown revision \"HEAD~1\"") && e.contains("shallow clone") && e.contains("git fetch --unshallow"),
        "{e}"
    );
    // What the clone has works.
    let v = json(&proj, &["HEAD"]);
    assert!(v["documents"].as_array().unwrap().is_empty());
}

#[test]
fn sources_with_errors_are_neither_compared_nor_archived() {
    let (d, proj) = repo();
    // A container in the Japanese text only: its English counterpart would be unclassified.
    let bja = proj.join("policy-source/basic-policy.ja.md");
    let good = std::fs::read_to_string(&bja).unwrap();
    edit(
        &bja,
        "# 目的 {#purpose}\n",
        &format!("# 目的 {{#purpose}}\n\n::: restricted\n\n{CANARY_RESTRICTED}注記。\n\n:::\n"),
    );
    git(d.path(), &["commit", "-q", "-am", "broken"]);
    git(d.path(), &["tag", "policy-2099"]);
    let o = policybook(&proj, &["diff", "policy-2026", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no comparison is made") && stderr(&o).contains("check --rev HEAD"), "{}", stderr(&o));
    assert!(!stdout(&o).contains(CANARY_RESTRICTED));
    // Fixed in the working tree, but the tagged release stays broken: it is not archived.
    std::fs::write(&bja, good).unwrap();
    git(d.path(), &["commit", "-q", "-am", "fixed"]);
    let out = d.path().join("out");
    let o = policybook(
        &proj,
        &["build", "--all-releases", "--format", "html", "--edition", "public", "-o", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("policy-2099") && stderr(&o).contains("cannot be archived"), "{}", stderr(&o));
    assert!(!out.join("public").exists(), "nothing is written");
}

#[test]
fn a_tag_from_before_the_project_is_no_release() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("policy")).unwrap();
    std::fs::write(d.path().join("policy/notes.txt"), "plans\n").unwrap();
    git(d.path(), &["init", "-q", "-b", "main"]);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-q", "-m", "notes"]);
    git(d.path(), &["tag", "policy-2000"]);
    let base = default_project();
    for f in ["book.toml", "policy-source"] {
        let o = Command::new("cp").arg("-r").arg(base.path().join(f)).arg(d.path().join("policy")).output().unwrap();
        assert!(o.status.success());
    }
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-q", "-m", "policy"]);
    git(d.path(), &["tag", "policy-2024"]);
    let h = run_ok(&d.path().join("policy"), &["history", "--doc", "basic-policy"]);
    assert!(h.contains("policy-2024") && !h.contains("policy-2000"), "{h}");
}

#[test]
fn history_of_an_edition_shows_only_what_it_holds() {
    let (d, proj) = repo();
    let org = proj.join("policy-source/standards/02-organization.ja.md");
    edit(&org, "人事異動の都度更新する", "人事異動の都度速やかに更新する");
    git(d.path(), &["commit", "-q", "-am", "restricted only"]);
    git(d.path(), &["tag", "policy-2030"]);
    let line = |out: &str| out.lines().find(|l| l.contains("policy-2030")).unwrap_or_default().to_string();
    let all = run_ok(&proj, &["history"]);
    assert!(all.contains("procedures  "), "{all}");
    assert!(!line(&run_ok(&proj, &["history", "--doc", "standards"])).contains("変更なし"), "authors see the change");
    let public = run_ok(&proj, &["history", "--edition", "public"]);
    assert!(!public.contains("procedures"), "{public}");
    // The public edition did not change: the release is not named in it (issue 10).
    let std_public = run_ok(&proj, &["history", "--edition", "public", "--doc", "standards"]);
    assert!(!std_public.contains("policy-2030") && std_public.contains("policy-2026"), "{std_public}");
    let o = policybook(&proj, &["history", "--edition", "public", "--doc", "procedures"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    let listed = e.split("documents:").nth(1).unwrap_or_else(|| panic!("{e}"));
    assert!(listed.contains("basic-policy") && !listed.contains("procedures"), "{e}");
}

/// The article-style fixture in a repository, tagged `policy-2026`, then amended and tagged
/// `policy-2027`: 第3条第3項第1号 deleted, 第1条の2 inserted, 第4条 replaced in place (another
/// id, same number), a 項 added to 第1条.
fn rule_repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let proj = d.path().join("policy");
    let o = Command::new("cp").arg("-r").arg(repo_root().join("tests/fixtures/reiki")).arg(&proj).output().unwrap();
    assert!(o.status.success());
    // Japanese only: the amendment below is made to the authoritative text.
    std::fs::remove_file(proj.join("policy-source/rules.en.md")).unwrap();
    git(d.path(), &["init", "-q", "-b", "main"]);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-q", "-m", "enacted"]);
    git(d.path(), &["tag", "policy-2026"]);
    let f = proj.join("policy-source/rules.ja.md");
    edit(&f, "1. 台帳の整備\n2. 職員等への指導\n", "1. 職員等への指導\n");
    edit(
        &f,
        "## 定義 {#definitions}",
        "## 基本方針 {#policy .inserted}\n\n情報資産は、その重要性に応じて管理しなければならない。\n\n## 定義 {#definitions}",
    );
    edit(
        &f,
        "適正な利用を図ることを目的とする。\n",
        "適正な利用を図ることを目的とする。\n\n市長は、この規程の運用状況を毎年度公表する。\n",
    );
    edit(
        &f,
        "## 管理責任者 {#manager-deputy}\n\n[前条](#manager)の管理責任者に事故があるときは、あらかじめ指名する職員がその職務を代理する。",
        "## 代理 {#deputy}\n\n[前条](#manager)の管理責任者に事故があるときは、あらかじめ指名する職員がその職務を代理する。ただし、急を要するときは課長補佐が代理する。",
    );
    edit(&f, "[前条](#manager-deputy)", "[前条](#deputy)");
    // The 号 cited as 第3条第3項第2号 is now the first: its references follow (as a 改め文 would).
    edit(&f, "(#manager/3/2)", "(#manager/3/1)");
    git(d.path(), &["commit", "-q", "-am", "amended"]);
    git(d.path(), &["tag", "policy-2027"]);
    (d, proj)
}

/// The units of one side: (label, kind, label_changed, changes).
fn units(side: &Value) -> Vec<(String, String, bool, Vec<[u64; 2]>)> {
    side["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let label = u["label"].as_str().unwrap_or("").to_string();
            (label, u["kind"].as_str().unwrap().to_string(), u["label_changed"] == true, ranges(&u["changes"]))
        })
        .collect()
}

fn unit(label: &str, kind: &str, label_changed: bool, changes: &[[u64; 2]]) -> (String, String, bool, Vec<[u64; 2]>) {
    (label.to_string(), kind.to_string(), label_changed, changes.to_vec())
}

#[test]
fn rules_are_compared_by_units() {
    let (_d, proj) = rule_repo();
    let v = json(&proj, &["policy-2026", "policy-2027"]);
    assert_eq!((v["old"].as_str(), v["new"].as_str()), (Some("policy-2026"), Some("policy-2027")));
    let d = doc(&v, "rules");
    assert_eq!(d["numbering"], "article");

    // A deleted 号: the whole old 号 (label, separator and text), the next one renumbered with
    // only its number marked, on both sides; no range crosses a line.
    let m = sec(d, "manager");
    assert_eq!(m["kind"], "changed");
    assert_eq!(
        units(&m["old"]),
        [
            unit("第３条", "unchanged", false, &[]),
            unit("２", "unchanged", false, &[]),
            unit("３", "unchanged", false, &[]),
            unit("（１）", "deleted", true, &[[0, 5]]),
            unit("（２）", "renumbered", true, &[]),
        ]
    );
    assert_eq!(units(&m["new"])[3], unit("（１）", "renumbered", true, &[]));
    let old_body = m["old"]["body"].as_str().unwrap();
    assert!(old_body.ends_with("\n　（１）　台帳の整備\n　（２）　職員等への指導"), "{old_body}");
    assert_eq!(ranges(&m["old"]["body_changes"]), vec![[96, 105], [107, 110]]);
    assert_eq!(ranges(&m["new"]["body_changes"]), vec![[96, 99]]);

    // An inserted article: 第1条の2, 新設.
    let p = sec(d, "policy");
    assert_eq!((p["kind"].as_str(), p["new"]["path"].as_str()), (Some("added"), Some("第１条の２")));
    assert_eq!(units(&p["new"]), [unit("第１条の２", "added", true, &[[0, 27]])]);

    // An article replaced in place (another id, the same number): one row, marked where alike.
    let r = sec(d, "deputy");
    assert_eq!((r["kind"].as_str(), r["old_id"].as_str()), (Some("changed"), Some("manager-deputy")));
    assert_eq!(units(&r["old"]), [unit("第４条", "changed", false, &[])]);
    assert_eq!(units(&r["new"]), [unit("第４条", "changed", false, &[[40, 62]])]);
    let numbered_4: Vec<_> = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| [&s["old"], &s["new"]].iter().any(|t| t["path"] == "第４条"))
        .collect();
    assert_eq!(numbered_4.len(), 1, "one row for 第４条");

    // An added 項.
    let p = sec(d, "purpose");
    assert_eq!(units(&p["new"]), [unit("第１条", "unchanged", false, &[]), unit("２", "added", true, &[[0, 22]])]);
    assert_eq!(units(&p["old"]).len(), 1);
    // Unchanged runs are named by their articles, not by the 章 among them.
    assert_eq!(elided_with(d, "definitions")["new_range"], "第２条");

    // The HTML: a row per unit, （削る） across from the deleted 号, （新設） across from the 項.
    let html = run_ok(&proj, &["diff", "policy-2026", "policy-2027", "--format", "html"]);
    let (new, old) = cells(tr(&html, "manager"));
    assert!(new.contains("（削る）"), "{new}");
    assert!(old.contains("<u class=\"chg\">（１）</u><u class=\"chg\">　</u><u class=\"chg\">台帳の整備</u>"), "{old}");
    assert!(new.contains("<span class=\"lbl\">") || new.contains("class=\"line hang i1\""), "{new}");
    let (_, old) = cells(tr(&html, "purpose"));
    assert!(old.contains("（新設）"), "{old}");
}

#[test]
fn the_title_block_names_revisions_not_commits() {
    let (d, proj) = rule_repo();
    let html = run_ok(&proj, &["diff", "policy-2026", "HEAD", "--format", "html"]);
    assert!(html.contains("<h1>架空市情報資産管理規程 新旧対照表</h1>"), "{html}");
    // HEAD is tagged: its release name; the old side by its tag; no edition key, no hash.
    assert!(
        html.contains("改正後：policy-2027（令和9年4月1日施行）　改正前：policy-2026（令和9年4月1日施行）"),
        "{html}"
    );
    assert!(!html.contains("public") && !html.contains("class=\"subtitle\""), "{html}");
    let note = html.find("（傍線部分は改正部分）").unwrap();
    assert!(note < html.find("<table").unwrap() && html.contains("<p class=\"note\">"));

    // A commit that is no release: the date of its commit.
    git(d.path(), &["commit", "-q", "--allow-empty", "-m", "later", "--date", "2027-05-01T10:00:00+09:00"]);
    let v = json(&proj, &["policy-2027", "HEAD"]);
    assert!(v["documents"].as_array().unwrap().is_empty());
    assert!(v["new"].as_str().unwrap().starts_with("令和"), "{}", v["new"]);
    assert_eq!(v["new_commit"].as_str().map(str::len), Some(7));

    // The instrument and the subtitle on request.
    let args = ["diff", "policy-2026", "policy-2027", "--format", "html", "--subtitle"];
    let mut with = args.to_vec();
    with.extend(["--instrument", "架空市情報資産管理規程の一部を改正する訓令"]);
    let html = run_ok(&proj, &with);
    assert!(html.contains("<h1>架空市情報資産管理規程の一部を改正する訓令 新旧対照表</h1>"), "{html}");
    let sub = &html[html.find("<p class=\"subtitle\">").unwrap()..];
    assert!(sub.starts_with("<p class=\"subtitle\">public ／ 改正後: policy-2027 ("), "{sub}");

    // book.toml [diff]: the 現行 | 改正案 order.
    let toml = proj.join("book.toml");
    let s = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{s}\n[diff]\ncolumns = \"old-new\"\n")).unwrap();
    let html = run_ok(&proj, &["diff", "policy-2026", "--format", "html"]);
    assert!(html.contains("<thead><tr><th>現行</th><th>改正案</th></tr></thead>"), "{html}");
    let (left, right) = cells(tr(&html, "manager"));
    assert!(left.contains("台帳の整備") && right.contains("（削る）"), "{left}");
}

#[test]
fn rule_pdf_holds_the_units() {
    let (d, proj) = rule_repo();
    let pdf = d.path().join("rules.pdf");
    let p = pdf.to_str().unwrap();
    run_ok(&proj, &["diff", "policy-2026", "policy-2027", "--format", "pdf", "-o", p]);
    let text = tool("pdftotext", &["-layout", p, "-"]);
    for w in [
        "架空市情報資産管理規程 新旧対照表",
        "（傍線部分は改正部分）",
        "（削る）",
        "台帳の整備",
        "第１条の２",
        "policy-2026",
    ] {
        assert!(text.contains(w), "{w} missing in the PDF:\n{text}");
    }
    assert_brackets_on_the_grid(&pdf);
}

/// Every word that starts with 「（」 in the table stands a whole number of characters from the
/// edge of its column (where 第１章 stands): at a line start, Typst would trim the bracket's
/// leading half and draw 「（略）」 or 「（管理責任者）」 half a character left.
fn assert_brackets_on_the_grid(pdf: &Path) {
    let words = words(pdf, 1);
    let edges: Vec<&(f64, f64, String)> = words.iter().filter(|w| w.2 == "第１章").collect();
    assert_eq!(edges.len(), 2, "第１章 on both sides: {words:?}");
    let em = 9.5; // the table's type size (diff.typ)
    let brackets: Vec<_> = words.iter().filter(|w| w.1 >= edges[0].1 && w.2.starts_with('（')).collect();
    assert!(brackets.iter().filter(|w| w.2 == "（略）" || w.2 == "（管理責任者）").count() >= 4, "{brackets:?}");
    for (x, _, w) in brackets {
        let edge = if *x < edges[1].0 { edges[0].0 } else { edges[1].0 };
        let cells = (x - edge) / em;
        assert!((cells - cells.round()).abs() < 0.05, "{w} at {cells} characters from its column's edge");
    }
}

/// Issue 10 (2): a release that changed only content above an edition's ceiling is named nowhere
/// in that edition: not in its archive (versions/index.html, 「改正前」 of the 新旧対照表) and not
/// in `history --edition`. The next public version is compared with the last one it showed.
#[test]
fn a_release_that_changed_only_hidden_content_is_not_named() {
    let (d, proj) = repo();
    let org = proj.join("policy-source/standards/02-organization.ja.md");
    edit(&org, "人事異動の都度更新する", "人事異動の都度速やかに更新する");
    git(d.path(), &["commit", "-q", "-am", "restricted only"]);
    git(d.path(), &["tag", "policy-2027-secret-fix"]);
    let bja = proj.join("policy-source/basic-policy.ja.md");
    edit(&bja, "本基本方針は、当市が保有する", "本基本方針は、本市が保有する");
    edit(&bja, "effective: 2027-04-01", "effective: 2028-04-01");
    git(d.path(), &["commit", "-q", "-am", "public change"]);
    git(d.path(), &["tag", "policy-2028"]);

    let out = d.path().join("out");
    let o = out.to_str().unwrap();
    run_ok(&proj, &["build", "--all-releases", "--format", "html", "--edition", "public", "-o", o]);
    let site = out.join("public/html");
    let table = std::fs::read_to_string(site.join("basic-policy/versions/2028-04-01/shinkyu.ja.html")).unwrap();
    assert!(table.contains("改正前：policy-2026"), "compared with the last public version: {table}");
    for f in files_below(&site) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        assert!(!text.contains("secret-fix"), "{} names the hidden release", f.display());
    }
    let public = run_ok(&proj, &["history", "--edition", "public"]);
    assert!(!public.contains("secret-fix") && public.contains("policy-2028"), "{public}");
    let all = run_ok(&proj, &["history", "--doc", "standards"]);
    assert!(all.contains("policy-2027-secret-fix"), "authors see every release: {all}");
}
