//! End-to-end tests of the PDF editions: the real binary on copies of the default project, checked
//! with poppler (pdftotext, pdffonts, pdfinfo) and qpdf.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn build(dir: &Path, args: &[&str]) {
    let mut all = vec!["build", "--format", "pdf"];
    all.extend_from_slice(args);
    let o = policybook(dir, &all);
    assert_eq!(o.status.code(), Some(0), "policybook {all:?} failed:\n{}", stderr(&o));
}

fn pdftext(pdf: &Path, extra: &[&str]) -> String {
    let mut args: Vec<&str> = extra.to_vec();
    let p = pdf.to_str().unwrap();
    args.extend([p, "-"]);
    String::from_utf8(tool("pdftotext", &args)).unwrap()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The PDF with every stream decompressed and no object streams, as qpdf writes it.
fn raw_bytes(pdf: &Path) -> Vec<u8> {
    let out = tempfile::NamedTempFile::new().unwrap();
    tool("qpdf", &["--qdf", "--object-streams=disable", pdf.to_str().unwrap(), out.path().to_str().unwrap()]);
    std::fs::read(out.path()).unwrap()
}

fn has_bytes(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    files_below(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect()
}

#[test]
fn public_basic_policy_follows_the_seed_with_embedded_japanese_fonts() {
    let dir = default_project();
    build(dir.path(), &["--edition", "public"]);
    let pdf = dir.path().join("output/public/pdf/basic-policy.ja.pdf");
    // The body area of A4 pages of the default template (header and footer cropped away, so that
    // a sentence running over a page break reads as one), in the order the PDF draws it (poppler's
    // own reading order takes the marks (1) and ア below it, one character deeper, for a column).
    let body = squash(&pdftext(&pdf, &["-raw", "-r", "72", "-x", "0", "-y", "76", "-W", "595", "-H", "698"]));
    let seed = std::fs::read_to_string("/work/shared/seeds/000_2df7424e9c551404.txt")
        .or_else(|_| std::fs::read_to_string(repo_root().join("../shared/seeds/000_2df7424e9c551404.txt")));
    // Every line of the seed's body (after its table of contents), in order: sentences and the
    // numbering 1 … 10, (1) … (13), ア … ウ with them.
    let expected: Vec<String> = match seed {
        Ok(seed) => {
            let lines: Vec<&str> = seed.lines().collect();
            let start = lines.iter().position(|l| l.starts_with("今日、")).expect("seed body");
            lines[start..].iter().map(|l| squash(l).trim_start_matches('-').to_string()).filter(|l| !l.is_empty()).collect()
        }
        // Outside the workplace the seed is not there: a fixed selection of it.
        Err(_) => [
            "今日、インターネットをはじめとする情報通信ネットワークや情報システムの利用は生活、経済、社会のあらゆる面で拡大している。",
            "1目的",
            "(10)LGWAN接続系",
            "(13)無害化通信",
            "ア本基本方針が適用される行政機関は、市長部局、行政委員会、議会事務局、消防本部及び地方公営企業とする。",
            "ウ情報システムの仕様書及びネットワーク図等のシステム関連文書",
            "10情報セキュリティ実施手順の策定",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    };
    assert!(expected.len() > 20 || expected.len() == 7);
    let mut pos = body.find("今日、インターネット").expect("the preamble");
    for line in &expected {
        match body[pos..].find(line.as_str()) {
            Some(i) => pos += i + line.len(),
            None => panic!("not found in order: {line}\n(after: {})", &body[pos..body.len().min(pos + 300)]),
        }
    }
    for label in
        ["1目的", "2定義", "(1)ネットワーク", "(13)無害化通信", "ア", "イ", "ウ", "10情報セキュリティ実施手順の策定"]
    {
        assert!(body.contains(label), "{label}");
    }
    let text = pdftext(&pdf, &[]);
    assert!(squash(&text).contains("改定履歴") && squash(&text).contains("令和8年4月1日施行"), "history and 和暦");
    // Fonts: all embedded, Japanese ones among them.
    let fonts = String::from_utf8(tool("pdffonts", &[pdf.to_str().unwrap()])).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {r}");
    }
    assert!(
        rows.iter().any(|r| r.contains("IPAexMincho")) && rows.iter().any(|r| r.contains("IPAexGothic")),
        "{fonts}"
    );
    // Byte-identical on rebuild.
    let first = std::fs::read(&pdf).unwrap();
    build(dir.path(), &["--edition", "public"]);
    assert_eq!(first, std::fs::read(&pdf).unwrap(), "rebuild changed the PDF");
    // The English PDF says that the Japanese text is authoritative, on the cover and every page.
    let en = dir.path().join("output/public/pdf/basic-policy.en.pdf");
    let en_text = pdftext(&en, &[]);
    assert!(squash(&en_text).contains("TheJapanesetextisauthoritative"), "{en_text}");
    for page in 1..=pages(&en) {
        let p = page.to_string();
        assert!(squash(&pdftext(&en, &["-f", &p, "-l", &p])).contains("Japanesetextisauthoritative"), "page {p}");
    }
    // The parallel PDF holds both languages.
    let par = squash(&pdftext(&dir.path().join("output/public/pdf/basic-policy.parallel.pdf"), &[]));
    assert!(par.contains("本基本方針は、本市が保有する情報資産") && par.contains("ThepurposeofthisBasicPolicy"));
}

#[test]
fn canaries_stay_in_the_editions_that_may_hold_them() {
    canaries_stay(false);
}

#[test]
fn canaries_stay_in_the_editions_that_may_hold_them_when_typeset_in_parts() {
    canaries_stay(true);
}

/// `parts`: every document over 1 KiB of data typeset in parts (its front part, contents and
/// running heads made from the edition's data, as the body parts are).
fn canaries_stay(parts: bool) {
    let dir = canary_project();
    if parts {
        edit(&dir.path().join("book.toml"), "[pdf]\n", "[pdf]\npart-size = 1\n");
    }
    build(dir.path(), &[]);
    let out = dir.path().join("output");
    let allowed = |edition: &str| -> Vec<&str> {
        match edition {
            "public" => vec![],
            "internal" => vec![CANARY_INTERNAL],
            _ => vec![CANARY_INTERNAL, CANARY_RESTRICTED, CANARY_PROCEDURES],
        }
    };
    for edition in ["public", "internal", "restricted"] {
        let files = pdfs(&out.join(edition).join("pdf"));
        assert!(files.len() >= 6, "{edition}: {files:?}");
        let mut seen_text = String::new();
        for f in &files {
            let text = pdftext(f, &[]);
            let raw = raw_bytes(f);
            for canary in [CANARY_INTERNAL, CANARY_RESTRICTED, CANARY_PROCEDURES] {
                if !allowed(edition).contains(&canary) {
                    assert!(!text.contains(canary), "{canary} in the text of {}", f.display());
                    assert!(!has_bytes(&raw, canary), "{canary} in the bytes of {}", f.display());
                }
            }
            seen_text.push_str(&text);
        }
        // Present where allowed, so that the test can fail.
        for canary in allowed(edition) {
            assert!(seen_text.contains(canary), "{canary} missing from the {edition} edition");
        }
    }
    // The bookmarks (raw bytes) of the restricted standards hold the restricted section.
    let raw = raw_bytes(&out.join("restricted/pdf/standards.ja.pdf"));
    assert!(has_bytes(&raw, CANARY_RESTRICTED), "positive control for the raw bytes");
}

#[test]
fn typst_syntax_in_sources_is_printed_verbatim() {
    let dir = default_project();
    let payload =
        r##"#set text(fill: red) $x^2$ *bold* _it_ @ref <l> \ ] // /* #read("/etc/passwd") #image("x") #{panic()}"##;
    let escaped = r##"\#set text(fill: red) \$x^2\$ \*bold\* \_it\_ \@ref \<l> \\ \] // /\* \#read("/etc/passwd") \#image("x") \#{panic()}"##;
    for file in ["basic-policy.ja.md", "basic-policy.en.md"] {
        let p = dir.path().join("policy-source").join(file);
        let mut s = std::fs::read_to_string(&p).unwrap();
        s.push_str(&format!(
            "\n# \\#heading \\<l> \\*x\\* {{#injection}}\n\n{escaped}\n\n| a | b |\n|---|---|\n| `{}` | x |\n",
            "#read(\"/etc/passwd\") $y$ </l>"
        ));
        std::fs::write(&p, s).unwrap();
    }
    build(dir.path(), &["--edition", "public"]);
    for lang in ["ja", "en", "parallel"] {
        let pdf = dir.path().join(format!("output/public/pdf/basic-policy.{lang}.pdf"));
        let text = squash(&pdftext(&pdf, &[]));
        assert!(text.contains(&squash(payload)), "{lang}: payload not verbatim in\n{text}");
        assert!(text.contains(&squash("#heading <l> *x*")), "{lang}: heading");
        assert!(text.contains(&squash("#read(\"/etc/passwd\") $y$ </l>")), "{lang}: code span");
        assert!(!text.contains("root:x:0:0"), "{lang}: /etc/passwd was read");
    }
}

#[test]
fn public_pdfs_identify_as_pdf_a_2b_and_pdf_ua_1() {
    let dir = default_project();
    build(dir.path(), &["--edition", "public"]);
    for f in pdfs(&dir.path().join("output/public/pdf")) {
        let raw = raw_bytes(&f);
        let name = f.display().to_string();
        for needle in [
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>B</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
            "/StructTreeRoot",
            "/DisplayDocTitle true",
        ] {
            assert!(has_bytes(&raw, needle), "{name}: no {needle}");
        }
        let s = String::from_utf8_lossy(&raw);
        assert!(s.contains("/Marked true"), "{name}: MarkInfo");
        let lang = if name.ends_with(".en.pdf") { "/Lang (en" } else { "/Lang (ja" };
        assert!(s.contains(lang), "{name}: {lang}");
        // qpdf's JSON view: the document catalog has a title shown in the window and an outline.
        let json: serde_json::Value =
            serde_json::from_slice(&tool("qpdf", &["--json", "--json-key=outlines", f.to_str().unwrap()])).unwrap();
        assert!(json["outlines"].as_array().is_some_and(|o| !o.is_empty()), "{name}: no bookmarks");
        let fonts = String::from_utf8(tool("pdffonts", &[f.to_str().unwrap()])).unwrap();
        for r in fonts.lines().skip(2) {
            let cols: Vec<&str> = r.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "{name}: font not embedded: {r}");
        }
    }
    // Internal editions are marked on every page; public ones are not.
    build(dir.path(), &["--edition", "internal"]);
    let pdf = dir.path().join("output/internal/pdf/basic-policy.ja.pdf");
    for page in 1..=pages(&pdf) {
        let p = page.to_string();
        let text = squash(&pdftext(&pdf, &["-f", &p, "-l", &p]));
        assert!(text.matches("機密性2庁内限り").count() >= 2, "page {p}: marking in header and footer\n{text}");
    }
    let public = pdftext(&dir.path().join("output/public/pdf/basic-policy.ja.pdf"), &[]);
    assert!(!public.contains("庁内限り"));
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Commits the project to a new git repository: the commit, or "none" without git.
fn commit_all(dir: &Path) -> String {
    git(dir, &["init", "-q"])
        .and_then(|_| git(dir, &["add", "-A"]))
        .and_then(|_| git(dir, &["commit", "-qm", "x"]))
        .and_then(|_| git(dir, &["rev-parse", "HEAD"]))
        .unwrap_or_else(|| "none".into())
}

/// The distribution register as it stands.
fn read_register(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("output/distribution-register.csv")).unwrap()
}

/// A recipient copy names its recipient and serial on every page and in its metadata, and its
/// register line holds its edition, document, commit and digest.
fn assert_copy_marked_and_registered(f: &Path, lines: &[&str], who: &str, commit: &str) {
    use sha2::Digest;
    let name = f.file_name().unwrap().to_str().unwrap();
    let line = lines.iter().find(|l| l.contains(&format!(",{name},"))).unwrap_or_else(|| panic!("{name}"));
    let sha: String = sha2::Sha256::digest(std::fs::read(f).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
    let serial = line.split(',').next().unwrap();
    assert!(
        line.ends_with(&format!(",restricted,{name},{commit},{sha}")) && line.contains("\"総務課 山田, Taro\""),
        "{line}"
    );
    for page in 1..=pages(f) {
        let p = page.to_string();
        let text = pdftext(f, &["-f", &p, "-l", &p]);
        assert!(text.contains(who) && text.contains(serial), "{name} page {p} lacks recipient or serial");
        assert!(text.contains("関係者限り") || name.ends_with(".en.pdf"), "{name} page {p}: marking");
    }
    let info = String::from_utf8(tool("pdfinfo", &[f.to_str().unwrap()])).unwrap();
    assert!(info.contains(who) && info.contains(serial), "metadata of {name}: {info}");
}

/// Runs a build of recipient copies for each of `recipients` at the same time.
fn build_at_once(dir: &Path, recipients: &[&str]) {
    let runs: Vec<_> = recipients
        .iter()
        .map(|who| {
            std::process::Command::new(env!("CARGO_BIN_EXE_policybook"))
                .args(["build", "--edition", "restricted", "--recipient", who])
                .current_dir(dir)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut r in runs {
        assert!(r.wait().unwrap().success());
    }
}

#[test]
fn recipient_copies_are_marked_on_every_page_and_registered() {
    let dir = default_project();
    let commit = commit_all(dir.path());
    let who = "総務課 山田, Taro";
    build(dir.path(), &["--edition", "restricted", "--recipient", who]);
    let copies = dir.path().join("output/restricted/copies/restricted-000001");
    let files = pdfs(&copies);
    assert_eq!(files.len(), 9, "{files:?}");
    let register = read_register(dir.path());
    let lines: Vec<&str> = register.lines().collect();
    assert_eq!(lines[0], "serial,recipient,date,edition,document,commit,sha256");
    assert_eq!(lines.len(), 1 + files.len(), "{register}");
    for f in &files {
        assert_copy_marked_and_registered(f, &lines, who, &commit);
    }
    // A second batch continues the serials.
    build(dir.path(), &["--edition", "restricted", "--recipient", "B"]);
    let register = read_register(dir.path());
    assert_eq!(register.lines().count(), 19);
    assert!(register.contains("restricted-000018,B,"));
    // Copies of another revision register that revision; copies of changed sources say so.
    let first = commit.clone();
    let bja = dir.path().join("policy-source/basic-policy.ja.md");
    let text = std::fs::read_to_string(&bja).unwrap();
    std::fs::write(&bja, text.replace("本基本方針は、", "本基本方針は、改めて")).unwrap();
    build(dir.path(), &["--edition", "restricted", "--recipient", "D"]);
    let register = read_register(dir.path());
    let d_line = register.lines().find(|l| l.contains(",D,")).unwrap();
    assert!(first == "none" || d_line.contains(&format!(",{first}-dirty,")), "{d_line}");
    if first != "none" {
        git(dir.path(), &["commit", "-qam", "y"]).unwrap();
        build(dir.path(), &["--edition", "restricted", "--recipient", "E", "--rev", "HEAD~1"]);
        let register = read_register(dir.path());
        let e_line = register.lines().find(|l| l.contains(",E,")).unwrap();
        assert!(e_line.contains(&format!(",{first},")), "--rev HEAD~1 registers that commit: {e_line}");
    }
    // Two runs at once never share a serial, and every copy is registered.
    build_at_once(dir.path(), &["F", "G"]);
    let register = read_register(dir.path());
    let serials: Vec<&str> = register.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let unique: std::collections::BTreeSet<&&str> = serials.iter().collect();
    assert_eq!(unique.len(), serials.len(), "{register}");
    assert_eq!(register.lines().filter(|l| l.contains(",F,") || l.contains(",G,")).count(), 18, "{register}");
    // A register that cannot be written: the build fails and leaves no copy.
    let reg = dir.path().join("output/distribution-register.csv");
    std::fs::remove_file(&reg).unwrap();
    std::fs::create_dir(&reg).unwrap();
    let o = policybook(dir.path(), &["build", "--format", "pdf", "--edition", "internal", "--recipient", "C"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("register"), "{}", stderr(&o));
    assert!(!dir.path().join("output/internal/copies").exists(), "an unregistered copy was left");
    // Not for the public edition, nor for HTML.
    let o = policybook(dir.path(), &["build", "--edition", "public", "--recipient", "C"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("--recipient"), "{}", stderr(&o));
    let o = policybook(dir.path(), &["build", "--edition", "restricted", "--format", "html", "--recipient", "C"]);
    assert!(stderr(&o).contains("PDF only"), "{}", stderr(&o));
}

#[test]
fn a_character_no_font_has_stops_the_build_with_its_place() {
    let dir = default_project();
    let p = dir.path().join("policy-source/basic-policy.ja.md");
    let original = std::fs::read_to_string(&p).unwrap();
    let with = |c: char| original.replace("# 目的 {#purpose}", &format!("# 目的 {{#purpose}}\n\n笑顔{c}の文字。"));
    let line = original.lines().position(|l| l.starts_with("# 目的")).unwrap() + 3;
    std::fs::write(&p, with('\u{1F600}')).unwrap();
    let o = policybook(dir.path(), &["build", "--format", "pdf", "--edition", "public"]);
    let err = stderr(&o);
    assert_ne!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("U+1F600") && err.contains(&format!("policy-source/basic-policy.ja.md:{line}:3")), "{err}");
    assert!(!dir.path().join("output/public/pdf").exists(), "no partial output");
    // A project font folder ([pdf] fonts) supplies what the shipped fonts lack (Georgian here).
    std::fs::write(&p, with('\u{10D0}')).unwrap();
    let o = policybook(dir.path(), &["build", "--format", "pdf", "--edition", "public"]);
    assert!(stderr(&o).contains("U+10D0"), "{}", stderr(&o));
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    assert!(dejavu.exists(), "fonts-dejavu-core is needed (scripts/setup installs it)");
    std::fs::create_dir(dir.path().join("fonts")).unwrap();
    std::fs::copy(dejavu, dir.path().join("fonts/DejaVuSans.ttf")).unwrap();
    let toml =
        std::fs::read_to_string(dir.path().join("book.toml")).unwrap().replace("[pdf]", "[pdf]\nfonts = \"fonts\"");
    std::fs::write(dir.path().join("book.toml"), toml).unwrap();
    build(dir.path(), &["--edition", "public"]);
    let pdf = dir.path().join("output/public/pdf/basic-policy.ja.pdf");
    assert!(squash(&pdftext(&pdf, &[])).contains("笑顔\u{10D0}の文字。"));
    let fonts = String::from_utf8(tool("pdffonts", &[pdf.to_str().unwrap()])).unwrap();
    assert!(fonts.contains("DejaVuSans"), "{fonts}");
}

#[test]
fn a_project_template_overrides_the_builtin_one_and_reads_nothing_else() {
    let dir = default_project();
    let t = dir.path().join("templates/pdf");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("policy.typ"),
        "#import \"common.typ\": *\n#let d = json(\"data.json\")\n#set document(title: d.doc.title)\n\
         #set text(font: mincho, lang: d.lang)\nOVERRIDDEN #d.doc.title\n",
    )
    .unwrap();
    build(dir.path(), &["--edition", "internal"]);
    let text = pdftext(&dir.path().join("output/internal/pdf/basic-policy.ja.pdf"), &[]);
    assert!(squash(&text).contains("OVERRIDDEN情報セキュリティ基本方針"), "{text}");
    for (i, read) in
        ["#read(\"/etc/passwd\")", "#read(\"../book.toml\")", "#image(\"/policy-source/basic-policy.ja.md\")"]
            .iter()
            .enumerate()
    {
        std::fs::write(t.join("policy.typ"), format!("#set text(lang: \"ja\")\n{read}\n")).unwrap();
        let o = policybook(dir.path(), &["build", "--format", "pdf", "--edition", "internal"]);
        let err = stderr(&o);
        assert_ne!(o.status.code(), Some(0), "template {i} could read: {err}");
        assert!(err.contains("template line 2") && !err.contains("root:x:0:0"), "{err}");
    }
}

#[test]
fn a_missing_glyph_message_never_points_into_content_the_edition_leaves_out() {
    let dir = canary_project();
    // The same character in a restricted section and in the manifest's title.
    let std_ja = dir.path().join("policy-source/standards/07-technical.ja.md");
    let text = std::fs::read_to_string(&std_ja).unwrap();
    std::fs::write(
        &std_ja,
        text.replace("Body zqcanaryrestricted paragraph.", "Body zqcanaryrestricted \u{1F600} paragraph."),
    )
    .unwrap();
    // Only the restricted section has it: the public PDFs build.
    build(dir.path(), &["--edition", "public"]);
    let toml = dir.path().join("book.toml");
    let t = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        t.replacen("日置市行政情報セキュリティポリシー", "日置市行政情報セキュリティポリシー\u{1F600}", 1),
    )
    .unwrap();
    let o = policybook(dir.path(), &["build", "--format", "pdf", "--edition", "public"]);
    let err = stderr(&o);
    assert_ne!(o.status.code(), Some(0));
    assert!(err.contains("U+1F600") && err.contains("book.toml:4:34"), "{err}");
    assert!(!err.contains("07-technical") && !err.contains(CANARY_RESTRICTED), "{err}");
}

#[test]
fn deeply_nested_quotes_still_typeset() {
    let dir = default_project();
    let p = dir.path().join("policy-source/basic-policy.ja.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let quote = format!("{} 引用の奥。\n", ">".repeat(20));
    std::fs::write(&p, text.replace("# 目的 {#purpose}\n", &format!("# 目的 {{#purpose}}\n\n{quote}"))).unwrap();
    build(dir.path(), &["--edition", "public"]);
    let pdf = dir.path().join("output/public/pdf/basic-policy.ja.pdf");
    assert!(squash(&pdftext(&pdf, &[])).contains("引用の奥。"));
}

#[test]
fn a_word_too_long_for_a_pdf_line_names_its_section() {
    let dir = default_project();
    let p = dir.path().join("policy-source/basic-policy.ja.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let line = text.lines().position(|l| l.starts_with("# 目的")).unwrap() + 1;
    let word = "x".repeat(17_000);
    std::fs::write(&p, text.replace("# 目的 {#purpose}\n", &format!("# 目的 {{#purpose}}\n\n{word}\n"))).unwrap();
    let o = policybook(dir.path(), &["build", "--format", "pdf", "--edition", "public"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("basic-policy.ja.md:{line}:1: error[pdf-unbreakable]"))
            && err.contains("17000 characters"),
        "{err}"
    );
    // Japanese needs no spaces: a long paragraph without any is fine.
    std::fs::write(
        &p,
        text.replace("# 目的 {#purpose}\n", &format!("# 目的 {{#purpose}}\n\n{}\n", "情報資産".repeat(1500))),
    )
    .unwrap();
    build(dir.path(), &["--edition", "public"]);
}

#[test]
fn admin_levels_and_paragraphs_stand_on_the_character_grid() {
    let dir = default_project();
    build(dir.path(), &["--edition", "public"]);
    let pdf = dir.path().join("output/public/pdf/basic-policy.ja.pdf");
    // The body, from the page of the preamble on (past the 目次).
    let first = (1..=pages(&pdf)).find(|&p| words(&pdf, p).iter().any(|w| w.2.starts_with("今日、"))).unwrap();
    let all: Vec<(f64, f64, String)> = (first..=pages(&pdf)).flat_map(|p| words(&pdf, p)).collect();
    // The word starting with `w`, and the words on its line and the next line.
    let at = |w: &str| all.iter().position(|(_, _, t)| t.starts_with(w)).unwrap_or_else(|| panic!("{w} not found"));
    let x = |w: &str| all[at(w)].0;
    let next_line = |w: &str| {
        let i = at(w);
        all[i + 1..].iter().find(|(_, y, _)| *y > all[i].1 + 1.0).unwrap().0
    };
    // The mark before the word starting with `w` on its line.
    let mark = |w: &str| {
        let (x0, y0, _) = &all[at(w)];
        all.iter().filter(|(x, y, _)| (y - y0).abs() < 1.0 && x < x0).map(|w| w.0).fold(f64::MIN, f64::max)
    };
    let margin = x("序文");
    let u = 10.5; // one character of body text (10.5pt)
                  // (where, its position, characters from the margin): a word's mark, its text, its next line.
    let expected = [
        // 1 目的: mark at the margin, text after 「1　」, body at the heading's text with 一字下げ.
        ("mark 1", mark("目的"), 0.0),
        ("text of 1", x("目的"), 2.0),
        ("paragraph under 1", x("本基本方針は、本市が保有"), 3.0),
        ("wrapped line under 1", next_line("本基本方針は、本市が保有"), 2.0),
        // (1) one character deeper, its text after 「(1)　」, its body at its text with 一字下げ.
        ("mark (1)", mark("ネットワーク"), 1.0),
        ("text of (1)", x("ネットワーク"), 4.0),
        ("paragraph under (1)", x("コンピュータ等を相互に"), 5.0),
        ("wrapped line under (1)", next_line("コンピュータ等を相互に"), 4.0),
        // ア one deeper than (1), its wrapped lines hanging under its text.
        ("mark ア", mark("本基本方針が適用される行政機関"), 2.0),
        ("text of ア", x("本基本方針が適用される行政機関"), 4.0),
        ("wrapped line of ア", next_line("本基本方針が適用される行政機関"), 4.0),
        // A numbered list under a section (3 対象とする脅威) stands like a level below it.
        ("list item (1)", mark("不正アクセス、"), 1.0),
        ("wrapped line of list item (1)", next_line("不正アクセス、"), 4.0),
    ];
    for (what, got, chars) in expected {
        assert!((got - (margin + chars * u)).abs() < 0.6, "{what}: at {got}, expected {chars} characters in");
    }
    // Consecutive references to one document do not repeat it (standards 3(2)).
    let std = squash(&pdftext(&dir.path().join("output/public/pdf/standards.ja.pdf"), &[]));
    assert!(std.contains("情報セキュリティ基本方針2(6)及び(7)に定める"), "compacted references");
    assert!(!std.contains("及び情報セキュリティ基本方針2(7)"));
}

#[test]
fn the_cover_has_no_running_header_or_page_number_and_no_page_holds_one_toc_line() {
    let dir = default_project();
    build(dir.path(), &["--edition", "public"]);
    let out = dir.path().join("output/public/pdf");
    let cover = pdftext(&out.join("basic-policy.ja.pdf"), &["-f", "1", "-l", "1"]);
    assert!(
        !cover.contains(" / ") && !cover.contains("情報セキュリティ基本方針\n\n情報セキュリティ基本方針"),
        "{cover}"
    );
    assert_eq!(squash(&cover).matches("日置市行政情報セキュリティポリシー").count(), 1, "{cover}");
    for f in ["basic-policy.ja.pdf", "standards.ja.pdf", "standards.en.pdf", "standards.parallel.pdf"] {
        let pdf = out.join(f);
        // The 目次 pages run from page 2 to the page before 序文 / the first section.
        for page in 2..=pages(&pdf) {
            let p = page.to_string();
            let text = pdftext(&pdf, &["-f", &p, "-l", &p]);
            let entries = text.lines().filter(|l| l.contains(" . . .")).count();
            assert!(entries != 1, "{f} page {p} holds a single 目次 line:\n{text}");
            if entries == 0 {
                break;
            }
        }
    }
}

#[test]
fn bullet_lists_of_two_and_six_levels_build_in_every_edition() {
    let dir = default_project();
    let src = dir.path().join("policy-source");
    let lists = "\n# 箇条書き {#bullets}\n\n- 項目\n  - 下位項目\n\n- 一\n  - 二\n    - 三\n      - 四\n        - 五\n          - 六段目の項目。折り返しが本文の位置にぶら下がることを確かめるため、一行に収まらない長さの文を書く。\n";
    for f in
        ["basic-policy.ja.md", "basic-policy.en.md", "standards/07-technical.ja.md", "standards/07-technical.en.md"]
    {
        std::fs::write(src.join(f), std::fs::read_to_string(src.join(f)).unwrap() + lists).unwrap();
    }
    let o = policybook(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    build(dir.path(), &[]);
    for edition in ["public", "internal", "restricted"] {
        for f in ["basic-policy.ja.pdf", "basic-policy.en.pdf", "basic-policy.parallel.pdf", "standards.ja.pdf"] {
            let pdf = dir.path().join(format!("output/{edition}/pdf/{f}"));
            let text = squash(&pdftext(&pdf, &[]));
            // 「・」 in Japanese text; the English PDF's own bullet (the English file holds the same Japanese words).
            let m = if f.ends_with(".en.pdf") { "•" } else { "・" };
            assert!(
                text.contains(&format!("{m}下位項目")) && text.contains(&format!("{m}六段目の項目。")),
                "{edition} {f}"
            );
        }
    }
}

#[test]
fn the_basic_policy_shows_only_the_revision_the_seed_states() {
    let o = policybook(&repo_root(), &["history", "--doc", "basic-policy"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("basic-policy  情報セキュリティ基本方針  (施行 令和8年4月1日)\n"), "{out}");
    let revisions: Vec<&str> = out.lines().skip(2).take_while(|l| l.starts_with("    ")).collect();
    assert_eq!(revisions, ["    令和8年4月1日  改定  "], "{out}");
    let en = stdout(&policybook(&repo_root(), &["history", "--doc", "basic-policy", "--lang", "en"]));
    assert!(en.contains("April 1, 2026  Revised"), "{en}");
    let dir = default_project();
    build(dir.path(), &["--edition", "public"]);
    let pdf = dir.path().join("output/public/pdf/basic-policy.ja.pdf");
    let text = squash(&pdftext(&pdf, &[]));
    let history = &text[text.rfind("改定履歴").unwrap()..];
    assert!(history.starts_with("改定履歴年月日区分令和8年4月1日改定"), "{history}");
    assert!(!text.contains("平成") && !text.contains("第3.0版"), "no invented revision or version");
}

#[test]
fn the_deepest_nesting_check_accepts_builds_every_pdf() {
    let dir = default_project();
    let p = dir.path().join("policy-source/basic-policy.ja.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let lists = |n: usize, last: &str| -> String {
        (0..n).map(|i| format!("{}- {}\n", "  ".repeat(i), if i + 1 == n { last } else { "x" })).collect()
    };
    // 25 lists are refused by `check` with a place, not by the PDF build.
    let put = |body: &str| {
        std::fs::write(&p, text.replace("# 目的 {#purpose}\n", &format!("# 目的 {{#purpose}}\n\n{body}\n"))).unwrap()
    };
    put(&lists(25, "x"));
    let o = policybook(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nesting-depth"), "{}", stderr(&o));
    // The deepest accepted: 24 lists, then 22 lists with a table, a link and an emphasis at the
    // bottom, then 46 emphases in a table cell.
    let table = "\n\n    | a |\n    |---|\n    | [*x*](https://example.jp) |";
    let deep_table = format!("{}{}", lists(22, "x"), table.replace('\n', &format!("\n{}", "  ".repeat(21))));
    let emph = format!("| a |\n|---|\n| {}深い{} |", "*".repeat(46), "*".repeat(46));
    for body in [lists(24, "最深の項目。"), deep_table, emph] {
        put(&body);
        let o = policybook(dir.path(), &["check"]);
        assert_eq!(o.status.code(), Some(0), "{body}\n{}", stderr(&o));
        build(dir.path(), &[]);
    }
    let pdf = dir.path().join("output/public/pdf/basic-policy.ja.pdf");
    assert!(squash(&pdftext(&pdf, &[])).contains("深い"));
}

#[test]
fn the_typesetting_worker_answers_only_a_job_of_its_own_binary() {
    // PDFs are typeset in worker processes of policybook (render::typeset::worker); every test
    // above goes through one. What is not a job is refused with a message, and no PDF is written.
    use std::io::Write;
    use std::process::{Command, Stdio};
    let framed = |bytes: &[u8]| [&(bytes.len() as u64).to_le_bytes()[..], bytes].concat();
    let cases: [(Vec<u8>, Option<i32>); 5] = [
        // No job at all: a worker that was never asked ends quietly.
        (Vec::new(), Some(0)),
        (b"%PDF-1.7 hello".to_vec(), Some(2)),
        (framed(b"hello"), Some(2)),
        (framed(b"policybook-typeset/1\n\x05\0\0"), Some(2)),
        (framed(b"policybook-typeset/2\n\x05\0\0"), Some(2)),
    ];
    for (input, code) in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
            .arg("__typeset-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), code, "{input:?}");
        assert!(out.stdout.is_empty(), "{input:?}");
        if code == Some(2) {
            assert!(stderr(&out).contains("not a typesetting job"), "{}", stderr(&out));
        }
    }
}

/// `a` and `b` are the same text, but for what either repeats of itself (a table's header row,
/// repeated on each page the table runs over, where the pages break differently).
fn same_text_but_repeated_heads(a: &str, b: &str, what: &str) {
    let diff = similar::TextDiff::from_chars(a, b);
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        let (text, within, at) = match tag {
            similar::DiffTag::Equal => continue,
            similar::DiffTag::Delete => (a, a, old.start),
            similar::DiffTag::Insert => (b, b, new.start),
            similar::DiffTag::Replace => panic!("{what}: «{}» became «{}»", chars(a, old), chars(b, new)),
        };
        let run = chars(text, if tag == similar::DiffTag::Delete { old } else { new });
        let before: String = within.chars().take(at).collect();
        assert!(run.chars().count() >= 2 && before.contains(&run), "{what}: «{run}» is only in one of them");
    }
}

/// `a` and `b` hold the same characters, but for under 0.5 % of them (a repeated table header).
fn same_characters_nearly(a: &str, b: &str, what: &str) {
    let mut count = std::collections::HashMap::new();
    a.chars().for_each(|c| *count.entry(c).or_insert(0i64) += 1);
    b.chars().for_each(|c| *count.entry(c).or_insert(0i64) -= 1);
    let off: i64 = count.values().map(|n| n.abs()).sum();
    assert!((off as usize) * 200 < a.chars().count(), "{what}: {off} characters differ of {}", a.chars().count());
}

fn chars(s: &str, r: std::ops::Range<usize>) -> String {
    s.chars().skip(r.start).take(r.len()).collect()
}

/// The text of page `page` (from 1) of `pdf`, as `pdftotext -layout` reads it.
fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    pdftext(pdf, &["-layout", "-f", &p, "-l", &p])
}

/// Every table of contents entry of `pdf` (its first pages, to the body's first page): the
/// entry's text and its page number, each checked on the page it names (the printed number `n`
/// is counted from the page after the cover: physical page `n + 1`).
fn check_contents_pages(pdf: &Path) -> usize {
    let mut checked = 0;
    for page in 2..pages(pdf) {
        let text = page_text(pdf, page);
        let entries: Vec<(String, usize)> = text
            .lines()
            .filter_map(|l| {
                // «title . . . . 12» (Typst's outline) or «title ．．．．12» (a rule's 目次).
                let l = l.trim_end();
                let rest = l.trim_end_matches(|c: char| c.is_ascii_digit());
                let n: usize = l[rest.len()..].parse().ok()?;
                let title = rest.trim_end_matches(['.', '．', ' ', '\u{2060}']);
                (rest.contains(". .") || rest.contains("．．")).then(|| (squash(title), n))
            })
            .collect();
        if entries.is_empty() {
            break;
        }
        for (title, n) in entries {
            // The first characters of the entry (a long one is cut by its dots; a 章's article
            // range is the contents' own) on its page.
            let head: String = title.split('（').next().unwrap_or(&title).chars().take(8).collect();
            assert!(squash(&page_text(pdf, n + 1)).contains(&head), "{}: «{title}» is not on page {n}", pdf.display());
            checked += 1;
        }
    }
    checked
}

#[test]
fn a_long_document_typeset_in_parts_reads_as_one_with_its_links_contents_and_page_numbers() {
    // The default project with parts of 4 KiB (a long document's are 512 KiB), and as one piece.
    let parts = default_project();
    let whole = default_project();
    edit(&parts.path().join("book.toml"), "[pdf]\n", "[pdf]\npart-size = 4\n");
    edit(&whole.path().join("book.toml"), "[pdf]\n", "[pdf]\npart-size = 0\n");
    for dir in [&parts, &whole] {
        build(dir.path(), &["--no-cache"]);
    }
    let (mut contents, mut links, mut extra) = (0, 0, 0);
    for edition in ["public", "internal", "restricted"] {
        for file in ["standards.ja.pdf", "standards.en.pdf", "standards.parallel.pdf", "procedures.ja.pdf"] {
            let [p, w] = [&parts, &whole].map(|d| d.path().join(format!("output/{edition}/pdf/{file}")));
            if !w.exists() {
                continue;
            }
            // Each part starts on a new page: more pages than whole, the same text (page numbers,
            // the contents' dots and the running heads aside).
            assert!(pages(&p) >= pages(&w), "{edition}/{file}: {} pages, whole {}", pages(&p), pages(&w));
            extra += pages(&p) - pages(&w);
            let body = |pdf: &Path| -> String {
                let text = pdftext(pdf, &["-raw", "-r", "72", "-x", "0", "-y", "76", "-W", "842", "-H", "698"]);
                squash(&text)
                    .chars()
                    .filter(|c| !c.is_ascii_digit() && !matches!(c, '.' | '．' | '\u{2060}' | '\u{AD}'))
                    .collect()
            };
            let what = format!("{edition}/{file}");
            if file.ends_with(".ja.pdf") {
                same_text_but_repeated_heads(&body(&p), &body(&w), &what);
            } else {
                // Where a table row runs over a page, poppler reads its cells in turn, page by
                // page: the same characters, but for a repeated header, in another order.
                same_characters_nearly(&body(&p), &body(&w), &what);
            }
            // Every link kept, every link into another part pointed at its page, no name of a
            // part left in the file (nor in any link's text for assistive technology).
            let raw = raw_bytes(&p);
            let count = |raw: &[u8]| raw.windows(13).filter(|w| w == b"/Subtype /Lin").count();
            let whole = raw_bytes(&w);
            assert_eq!(count(&raw), count(&whole), "{edition}/{file}: links");
            // A link to a place stays one, however it crosses parts: as many links to a web
            // address as whole (none of them made of a link's text).
            let uris = |raw: &[u8]| raw.windows(7).filter(|w| w == b"/S /URI").count();
            assert_eq!(uris(&raw), uris(&whole), "{edition}/{file}: links to a URI");
            assert!(!has_bytes(&raw, "/URI (page") && !has_bytes(&raw, "/URI <FEFF"), "{edition}/{file}");
            assert!(!has_bytes(&raw, "policybook-part"), "{edition}/{file}");
            links += count(&raw);
            tool("qpdf", &["--check", p.to_str().unwrap()]);
            // The footer of the last page: n / n, counted from the page after the cover.
            let n = pages(&p) - 1;
            assert!(squash(&page_text(&p, n + 1)).contains(&format!("{n}/{n}")), "{edition}/{file}: footer");
            if !file.contains("parallel") {
                contents += check_contents_pages(&p);
            }
        }
    }
    assert!(contents > 100 && links > 50 && extra > 20, "{contents} entries, {links} links, {extra} pages more");
    let fonts = String::from_utf8(tool(
        "pdffonts",
        &[parts.path().join("output/public/pdf/standards.ja.pdf").to_str().unwrap()],
    ))
    .unwrap();
    assert!(fonts.contains("IPAexMincho") && fonts.contains("IPAexGothic"), "{fonts}");
}

#[test]
fn a_rule_typeset_in_parts_numbers_its_table_of_contents_from_the_parts() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures/reiki"), dir.path());
    let toml = dir.path().join("book.toml");
    std::fs::write(&toml, std::fs::read_to_string(&toml).unwrap() + "\n[pdf]\npart-size = 1\n").unwrap();
    build(dir.path(), &["--no-cache"]);
    let pdf = dir.path().join("output/public/pdf/rules.ja.pdf");
    assert!(check_contents_pages(&pdf) >= 4, "the 目次 of the rule");
    assert!(!has_bytes(&raw_bytes(&pdf), "policybook-part"));
}
