//! End-to-end tests of the translator's tools: `translation status`, `translation diff` in a real
//! git repository (made with git2).

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Commits every file of `dir` (a repository is made on the first call).
fn commit(dir: &Path, message: &str) {
    let repo = git2::Repository::open(dir).or_else(|_| git2::Repository::init(dir)).unwrap();
    let mut index = repo.index().unwrap();
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Policy Author", "author@example.org").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).unwrap();
}

fn run_ok(proj: &Path, args: &[&str]) -> String {
    let o = policybook(proj, args);
    assert_eq!(o.status.code(), Some(0), "policybook {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn counts(v: &Value, doc: &str) -> [u64; 4] {
    let d = v["documents"].as_array().unwrap().iter().find(|d| d["id"] == doc).unwrap();
    ["confirmed", "stale", "unconfirmed", "untranslated"].map(|k| d[k].as_u64().unwrap())
}

#[test]
fn status_per_document_and_on_the_internal_index() {
    let dir = canary_project();
    let src = dir.path().join("policy-source");
    edit(&src.join("basic-policy.ja.md"), "本市が保有する情報資産", "本市が保有する全ての情報資産");
    edit(&src.join("basic-policy.en.md"), "# Definitions {#definitions ja=25af8968}", "# Definitions {#definitions}");
    let v: Value = serde_json::from_str(&run_ok(dir.path(), &["translation", "status", "--format", "json"])).unwrap();
    assert_eq!(v["format"], "policybook-translation-status/1");
    assert_eq!(v["edition"], "restricted", "the default is the edition with the highest ceiling");
    let all = counts(&v, "basic-policy");
    assert_eq!(all[1..], [1, 1, 0], "one stale, one unconfirmed: {v}");
    let table = run_ok(dir.path(), &["translation", "status", "--edition", "public"]);
    assert!(table.starts_with("edition public\n"), "{table}");
    let line = table.lines().find(|l| l.starts_with("basic-policy")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells[1..],
        [all.iter().sum::<u64>().to_string(), all[0].to_string(), "1".into(), "1".into(), "0".into()]
    );
    assert!(!table.contains("procedures"), "a restricted document is not in the public status: {table}");

    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    run_ok(dir.path(), &["build", "--edition", "internal", "--edition", "public", "--format", "html", "-o", o]);
    let internal = std::fs::read_to_string(out.join("internal/html/index.html")).unwrap();
    let expected = format!("確認済み {}・要確認 1・未確認 1・未翻訳 0", all[0]);
    assert!(internal.contains(&expected), "{internal}");
    let en = std::fs::read_to_string(out.join("internal/html/index.en.html")).unwrap();
    assert!(en.contains(&format!("{} confirmed, 1 stale, 1 unconfirmed, 0 untranslated", all[0])), "{en}");
    let public = std::fs::read_to_string(out.join("public/html/index.html")).unwrap();
    assert!(!public.contains("確認済み"), "the public index shows no translation status");
}

#[test]
fn diff_shows_the_characters_changed_since_the_english_was_confirmed() {
    let dir = canary_project();
    let proj = dir.path();
    commit(proj, "policy as adopted");
    let ja = proj.join("policy-source/basic-policy.ja.md");
    edit(&ja, "本基本方針は、本市が保有する", "本基本方針は、当市が保有する");
    commit(proj, "amendment");
    edit(&ja, "を維持するため、", "を確保するため、");
    // A fingerprint no version has: said so.
    let en = proj.join("policy-source/basic-policy.en.md");
    edit(&en, "{#def-network .term ja=edda0b75}", "{#def-network .term ja=0badf00d}");

    let text = run_ok(proj, &["translation", "diff", "basic-policy"]);
    assert!(text.contains("=== basic-policy {#purpose} 1 目的"), "{text}");
    assert!(text.contains("--- confirmed (ja=e3215845, commit "), "{text}");
    assert!(
        text.contains("-本基本方針は、[-本-]市が保有する情報資産の機密性、完全性及び可用性を[-維持-]するため、"),
        "{text}"
    );
    assert!(
        text.contains("+本基本方針は、{+当+}市が保有する情報資産の機密性、完全性及び可用性を{+確保+}するため、"),
        "{text}"
    );
    assert!(text.contains("{#def-network}") && text.contains("(ja=0badf00d) is not in the git history"), "{text}");

    let only = run_ok(proj, &["translation", "diff", "basic-policy", "purpose"]);
    assert!(!only.contains("def-network"), "{only}");
    let html = run_ok(proj, &["translation", "diff", "--format", "html"]);
    assert!(html.contains("<ins>当</ins>市が保有する") && html.contains("<del>本</del>市が保有する"), "{html}");
    let o = policybook(proj, &["translation", "diff", "basic-policy", "no-such"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no section \"no-such\""), "{}", stderr(&o));
}

/// Asks for the stale-section diff on the English pages of edition `name` (book.toml).
fn ask_stale_diff(proj: &Path, name: &str) {
    let table = format!("[edition.{name}]\n");
    edit(&proj.join("book.toml"), &table, &format!("{table}stale-diff = true\n"));
}

#[test]
fn english_pages_of_an_internal_edition_show_what_changed_beside_stale_sections() {
    let dir = canary_project();
    let proj = dir.path();
    // The host of a restricted and an internal part, confirmed: one fingerprint per level.
    run_ok(proj, &["confirm", "standards", "canary-public-host"]);
    commit(proj, "policy as adopted");
    let src = proj.join("policy-source");
    edit(&src.join("basic-policy.ja.md"), "本基本方針は、本市が保有する", "本基本方針は、当市が保有する");
    edit(&src.join("standards/07-technical.ja.md"), "公開される本文。", "公開される新しい本文。");
    commit(proj, "amendment");
    let en = src.join("basic-policy.en.md");
    edit(&en, "{#def-network .term ja=edda0b75}", "{#def-network .term ja=0badf00d}");
    ask_stale_diff(proj, "internal");
    let out = proj.join("out");
    let o = out.to_str().unwrap();
    run_ok(proj, &["build", "--edition", "internal", "--edition", "public", "--format", "html", "-o", o]);

    let page = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let basic = page("internal/html/basic-policy/en.html");
    let purpose = &basic[basic.find("<section id=\"purpose\"").unwrap()..];
    let purpose = &purpose[..purpose.find("</section>").unwrap()];
    assert!(
        purpose.contains("<details class=\"tr-diff\">\n<summary>What changed in the Japanese since this translation was confirmed</summary>"),
        "{purpose}"
    );
    assert!(
        purpose.contains("<del>本</del>市が保有する") && purpose.contains("<ins>当</ins>市が保有する"),
        "{purpose}"
    );
    let network = &basic[basic.find("<section id=\"def-network\"").unwrap()..];
    assert!(network[..network.find("</section>").unwrap()].contains("(ja=0badf00d) is not in the git history"));
    // The earlier Japanese is the internal edition's: its restricted part never shows.
    for f in files_below(&out.join("internal")) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(CANARY_RESTRICTED), "{} leaks", f.display());
    }
    let host = page("internal/html/standards/en.html");
    let host = &host[host.find("<section id=\"canary-public-host\"").unwrap()..];
    let then = format!("<td lang=\"ja\">公開の節\n公開される本文。\nContainer {CANARY_INTERNAL} body.</td>");
    assert!(host.contains(&then) && host.contains("公開される<ins>新しい</ins>本文。"), "{host}");
    assert!(!page("internal/html/basic-policy/ja.html").contains("tr-diff"), "Japanese pages have no diff");
    for f in files_below(&out.join("public")) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        assert!(!text.contains("tr-diff\"") && !text.contains("<ins>"), "{} shows the diff", f.display());
    }

    // Asked for the public edition: refused at its line of book.toml.
    ask_stale_diff(proj, "public");
    let o = policybook(proj, &["build", "--edition", "internal", "--format", "html", "-o", o]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let toml = std::fs::read_to_string(proj.join("book.toml")).unwrap();
    let line = toml.lines().position(|l| l == "stale-diff = true").unwrap() + 1;
    assert!(stderr(&o).contains(&format!("book.toml:{line}:")) && stderr(&o).contains("\"public\""), "{}", stderr(&o));
}

#[test]
fn xliff_export_of_the_public_edition_holds_nothing_above_it() {
    let dir = canary_project();
    let proj = dir.path();
    commit(proj, "policy as adopted");
    let ja = proj.join("policy-source/basic-policy.ja.md");
    edit(&ja, "本基本方針は、本市が保有する", "本基本方針は、当市が保有する");
    let file = proj.join("public.xlf");
    run_ok(proj, &["translation", "export", "--edition", "public", "-o", file.to_str().unwrap()]);
    let xml = std::fs::read_to_string(&file).unwrap();
    for canary in [CANARY_RESTRICTED, CANARY_INTERNAL, CANARY_PROCEDURES] {
        assert!(!xml.contains(canary), "{canary} in the public package");
    }
    assert!(xml.contains(
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" xmlns:pb=\"urn:policybook:xliff:1\" \
         xmlns:gls=\"urn:oasis:names:tc:xliff:glossary:2.0\" version=\"2.0\" \
         srcLang=\"ja\" trgLang=\"en\" pb:edition=\"public\">"
    ));
    assert!(xml.contains("<file id=\"basic-policy\"") && !xml.contains("<file id=\"procedures\""), "{xml}");
    // The stale section: needs review, with the Japanese then in a note.
    let unit = &xml[xml.find("<unit id=\"purpose\">").unwrap()..];
    let unit = &unit[..unit.find("</unit>").unwrap()];
    assert!(unit.contains("state=\"translated\" subState=\"policybook:needs-review\""), "{unit}");
    assert!(
        unit.contains("<note category=\"ja-confirmed\">The Japanese when the English was confirmed (commit "),
        "{unit}"
    );
    assert!(
        unit.contains("本基本方針は、本市が保有する") && unit.contains("<source>本基本方針は、当市が保有する"),
        "{unit}"
    );
    assert!(xml.contains("<segment id=\"title\" state=\"reviewed\"><source>定義</source><target>Definitions</target>"));
    // A reference is a protected code, the same in source and target.
    assert!(xml.contains("<ph id=\"1\" dataRef=\"d1\" type=\"link\" equiv=\"basic-policy#threats\"/>の脅威"), "{xml}");
    assert!(xml.contains("<data id=\"d1\">[](basic-policy#threats)</data>"), "{xml}");

    let stale = proj.join("stale.xlf");
    run_ok(
        proj,
        &["translation", "export", "--edition", "restricted", "--only", "stale", "-o", stale.to_str().unwrap()],
    );
    let stale = std::fs::read_to_string(&stale).unwrap();
    assert_eq!(stale.matches("<unit ").count(), 1, "{stale}");
    if let Ok(o) = std::process::Command::new("xmllint").arg("--noout").arg(&file).output() {
        assert!(o.status.success(), "not well-formed: {}", String::from_utf8_lossy(&o.stderr));
    }
}

/// Every file below `dir` with its text.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, String> {
    files_below(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| (p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn xliff_round_trip_writes_two_translations_and_confirms_them() {
    let dir = canary_project();
    let proj = dir.path();
    let src = proj.join("policy-source");
    edit(&src.join("basic-policy.ja.md"), "本基本方針は、本市が保有する", "本基本方針は、当市が保有する");
    let file = proj.join("vendor.xlf");
    let f = file.to_str().unwrap();
    run_ok(proj, &["translation", "export", "--edition", "public", "-o", f]);
    let before = snapshot(&src);
    // The vendor's work: the stale paragraph and a title.
    edit(
        &file,
        "availability of the information assets held by the City.</target>",
        "availability of the information assets held by the Municipality.</target>",
    );
    edit(&file, "<target>Network</target>", "<target>Networks</target>");
    let o = policybook(proj, &["translation", "import", f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("imported and confirmed 2 section(s): basic-policy#purpose, basic-policy#def-network"),
        "{err}"
    );
    let after = snapshot(&src);
    let changed: Vec<&String> = after.keys().filter(|k| before[*k] != after[*k]).collect();
    assert_eq!(changed, ["basic-policy.en.md"]);
    let (b, a) = (&before["basic-policy.en.md"], &after["basic-policy.en.md"]);
    let diff: Vec<(&str, &str)> = b.lines().zip(a.lines()).filter(|(x, y)| x != y).collect();
    assert_eq!(a.lines().count(), b.lines().count());
    assert_eq!(diff.len(), 3, "the purpose heading (ja=), its paragraph, the network heading: {diff:?}");
    assert!(
        diff[0].1.starts_with("# Purpose {#purpose ja=") && diff[0].1 != "# Purpose {#purpose ja=e3215845}",
        "{diff:?}"
    );
    assert!(diff[1].1.ends_with("information assets held by the Municipality."), "{diff:?}");
    assert_eq!(diff[2].1, "## Networks {#def-network .term ja=edda0b75}");
    let check = policybook(proj, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let diags: Value = serde_json::from_str(&stdout(&check)).unwrap();
    let stale: Vec<&Value> = diags.as_array().unwrap().iter().filter(|d| d["code"] == "translation-stale").collect();
    assert!(stale.is_empty(), "{stale:?}");

    // The Japanese changes after export: that unit is refused, listed, and not written.
    run_ok(proj, &["translation", "export", "--edition", "public", "-o", f]);
    edit(&file, "<target>Networks</target>", "<target>Network</target>");
    edit(
        &src.join("basic-policy.ja.md"),
        "## ネットワーク {#def-network .term}",
        "## ネットワーク等 {#def-network .term}",
    );
    let before = snapshot(&src);
    let o = policybook(proj, &["translation", "import", f]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "refused basic-policy#def-network: the Japanese changed since the package was made (segment title)"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&src), before, "nothing written");
}

#[test]
fn inline_markup_travels_as_codes_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    run_ok(dir.path(), &["init", "p"]);
    let src = proj.join("policy-source");
    edit(
        &src.join("basic-policy.ja.md"),
        "[](#threats)の脅威から",
        "[](#threats)の*重大な*脅威から[資料](https://example.org/a)により",
    );
    edit(
        &src.join("basic-policy.en.md"),
        "threats in [](#threats), the",
        "*serious* threats in [](#threats), see [the paper](https://example.org/a), the",
    );
    run_ok(&proj, &["confirm", "basic-policy"]);
    let file = proj.join("p.xlf");
    let f = file.to_str().unwrap();
    run_ok(&proj, &["translation", "export", "--edition", "public", "-o", f]);
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(
        xml.contains(
            "の<pc id=\"2\" dataRefStart=\"d2\" dataRefEnd=\"d3\" type=\"fmt\" subType=\"xlf:i\">重大な</pc>脅威から"
        ),
        "{xml}"
    );
    assert!(xml.contains("<target>To protect information assets from the <pc id=\"2\" dataRefStart=\"d2\" dataRefEnd=\"d3\" type=\"fmt\" subType=\"xlf:i\">serious</pc>"), "{xml}");
    assert!(xml.contains("<pc id=\"3\" dataRefStart=\"d4\" dataRefEnd=\"d5\" type=\"link\">資料</pc>"), "{xml}");
    assert!(xml.contains("<data id=\"d5\">](https://example.org/a)</data>"), "{xml}");
    // The vendor edits inside the codes; the Markdown around them comes back.
    edit(&file, "subType=\"xlf:i\">serious</pc>", "subType=\"xlf:i\">grave</pc>");
    edit(&file, "type=\"link\">the paper</pc>", "type=\"link\">the document</pc>");
    run_ok(&proj, &["translation", "import", f]);
    let en = std::fs::read_to_string(src.join("basic-policy.en.md")).unwrap();
    assert!(
        en.contains("To protect information assets from the *grave* threats in [](basic-policy#threats), see [the document](https://example.org/a), the necessary measures are taken."),
        "{en}"
    );
    let o = policybook(&proj, &["check", "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The termbase travels as the XLIFF 2 glossary module: each unit lists the terms its Japanese
/// uses, with their English and, as a definition, their note and wrong variants. A restricted
/// entry for a word public text uses (本市) is in the restricted package and not in the public one.
#[test]
fn xliff_units_carry_the_terms_the_edition_holds() {
    let dir = canary_project();
    let proj = dir.path();
    let restricted =
        format!("- ja: 本市\n  en: {CANARY_RESTRICTED} city\n  classification: restricted\n\n- ja: 全庁的");
    edit(&proj.join("policy-source/terms.yaml"), "- ja: 全庁的", &restricted);
    let export = |edition: &str| {
        let file = proj.join(format!("{edition}.xlf"));
        run_ok(proj, &["translation", "export", "--edition", edition, "-o", file.to_str().unwrap()]);
        std::fs::read_to_string(&file).unwrap()
    };
    let unit = |xml: &str, id: &str| {
        let u = &xml[xml.find(&format!("<unit id=\"{id}\">")).unwrap()..];
        u[..u.find("</unit>").unwrap()].to_string()
    };
    let public = export("public");
    assert!(public.contains("xmlns:gls=\"urn:oasis:names:tc:xliff:glossary:2.0\""), "{public}");
    assert!(!public.contains(CANARY_RESTRICTED), "the restricted term in the public package");
    let human = unit(&public, "human-security");
    assert!(
        human.contains(
            "<gls:glossEntry><gls:term source=\"policybook\">人的セキュリティ</gls:term>\
             <gls:translation source=\"policybook\">personnel security</gls:translation>\
             <gls:definition source=\"policybook\">Not: Human security.</gls:definition></gls:glossEntry>"
        ),
        "{human}"
    );
    // The glossary opens the unit (module elements come before <notes> and the segments).
    assert!(human.starts_with("<unit id=\"human-security\">\n<gls:glossary>\n"), "{human}");
    if let Ok(o) = std::process::Command::new("xmllint").arg("--noout").arg(proj.join("public.xlf")).output() {
        assert!(o.status.success(), "not well-formed: {}", String::from_utf8_lossy(&o.stderr));
    }

    let restricted = export("restricted");
    let term = format!("<gls:term source=\"policybook\">本市</gls:term><gls:translation source=\"policybook\">{CANARY_RESTRICTED} city</gls:translation>");
    assert!(restricted.contains(&term), "{restricted}");
    assert!(!public.contains("<gls:term source=\"policybook\">本市</gls:term>"), "{public}");
}
