use super::*;

/// The slips of `text` as (code, line, column, fixed line) — the fixed line is the line of the
/// slip after applying all safe fixes.
fn slips(text: &str) -> Vec<(&'static str, u32, u32)> {
    let lines = LineIndex::new(text);
    scan(text)
        .iter()
        .map(|s| {
            let (l, c) = lines.line_col(text, s.at);
            (s.code, l, c)
        })
        .collect()
}

fn fixed(text: &str) -> String {
    apply(text, &scan(text))
}

#[test]
fn each_slip_is_found_where_it_was_typed_and_fixed() {
    let cases: &[(&str, &str, u32, u32, &str)] = &[
        ("＃ 目的 {#purpose}\n", "ime-heading", 1, 1, "# 目的 {#purpose}\n"),
        ("＃＃　目的 {#purpose}\n", "ime-heading", 1, 1, "## 目的 {#purpose}\n"),
        ("#　目的 {#purpose}\n", "ime-heading", 1, 2, "# 目的 {#purpose}\n"),
        ("　# 目的 {#purpose}\n", "ime-heading", 1, 1, "# 目的 {#purpose}\n"),
        ("＃目的 {#purpose}\n", "ime-heading", 1, 1, "# 目的 {#purpose}\n"),
        ("##目的 {#purpose}\n", "ime-heading", 1, 3, "## 目的 {#purpose}\n"),
        ("# 目的 ｛＃purpose｝\n", "ime-heading-id", 1, 6, "# 目的 {#purpose}\n"),
        ("# 目的 {＃purpose}\n", "ime-heading-id", 1, 7, "# 目的 {#purpose}\n"),
        ("# 目的 {#purpose　.internal}\n", "ime-heading-id", 1, 15, "# 目的 {#purpose .internal}\n"),
        ("# 目的　{#purpose}\n", "ime-heading-space", 1, 5, "# 目的 {#purpose}\n"),
        ("文\n\n［］（＃threats）の脅威\n", "ime-link", 3, 1, "文\n\n[](#threats)の脅威\n"),
        ("[前条]（#manager）による。\n", "ime-link", 1, 5, "[前条](#manager)による。\n"),
        ("[](＃threats)の脅威\n", "ime-ref-hash", 1, 4, "[](#threats)の脅威\n"),
        ("[](standards＃ｒｕｌｅｓ)\n", "ime-ref-hash", 1, 13, "[](standards#rules)\n"),
        ("これは＊＊重要＊＊である。\n", "ime-emphasis", 1, 4, "これは**重要**である。\n"),
        ("：：： restricted\n\n本文\n\n:::\n", "ime-container", 1, 1, "::: restricted\n\n本文\n\n:::\n"),
        ("::: ｒｅｓｔｒｉｃｔｅｄ\n", "ime-container", 1, 5, "::: restricted\n"),
        ("｜ 項目 ｜ 内容 ｜\n", "ime-table", 1, 1, "| 項目 | 内容 |\n"),
        ("| 項目 | 内容 |\n|ーー|－－|\n", "ime-table", 2, 2, "| 項目 | 内容 |\n|--|--|\n"),
        ("次のとおり。\n\n１．不正アクセス\n", "ime-list-marker", 3, 1, "次のとおり。\n\n1. 不正アクセス\n"),
        ("1.　不正アクセス\n", "ime-list-marker", 1, 1, "1. 不正アクセス\n"),
        ("１２．項目\n", "ime-list-marker", 1, 1, "12. 項目\n"),
        ("＊　項目\n", "ime-list-marker", 1, 1, "* 項目\n"),
        ("-　項目\n", "ime-list-marker", 1, 1, "- 項目\n"),
        ("　本市は、\n", "ime-indent", 1, 1, "本市は、\n"),
        ("文。\n　\n文。\n", "ime-blank-line", 2, 1, "文。\n\n文。\n"),
    ];
    for &(text, code, line, column, after) in cases {
        assert_eq!(slips(text), vec![(code, line, column)], "{text:?}");
        assert_eq!(fixed(text), after, "{text:?}");
        assert_eq!(fixed(after), after, "fixing is idempotent: {after:?}");
        assert!(scan(after).is_empty(), "{after:?}");
    }
}

#[test]
fn slips_only_the_author_can_fix_stay() {
    let cases: &[(&str, &str, u32, u32)] = &[
        ("（１）　情報資産\n", "ime-typed-number", 1, 1),
        ("(2) 情報資産\n", "ime-typed-number", 1, 1),
        ("次のとおり。\n\n（１）情報資産\n", "ime-typed-number", 3, 1),
        ("ア　職員は\n", "ime-typed-number", 1, 1),
        ("（ア）　職員は\n", "ime-typed-number", 1, 1),
        ("１　目的\n", "ime-typed-number", 1, 1),
        ("・項目\n", "ime-typed-number", 1, 1),
        ("本市は、\n　次に\n", "ime-indent-joined", 2, 1),
    ];
    for &(text, code, line, column) in cases {
        assert_eq!(slips(text), vec![(code, line, column)], "{text:?}");
        assert_eq!(fixed(text), text, "{text:?}");
    }
}

#[test]
fn a_typed_number_names_what_was_typed() {
    let text = "（１）　情報資産\n";
    let d = scan(text)[0].diagnostic("a.ja.md", text, &LineIndex::new(text), 10);
    assert_eq!(d.loc, Loc::new("a.ja.md", 11, 1));
    assert!(d.message(crate::config::Lang::En).contains("（１）"), "{}", d.message(crate::config::Lang::En));
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn ordinary_japanese_prose_is_no_slip() {
    // Each line a paragraph of its own (after a blank line), where a typed number counts most.
    let paragraphs = [
        "本市は、情報資産（紙媒体を含む。）を保護する。",
        "（１）の規定により、（２）及び（３）に定める。",
        "(1)又は(2)に該当するとき",
        "アクセス権限は、別に定める。",
        "ア及びイに掲げる者",
        "＊印の項目は必須とする。＊は注記を表す。",
        "2026年4月1日から施行する。",
        "１．５倍の容量を確保する。",
        "１日以内に報告する。",
        "［注］（１）を参照のこと。",
        "［参考］（資料）による。",
        "選択肢Ａ｜選択肢Ｂ",
        "－以下余白－",
        "－　以下余白　－",
        "＃１の件",
        "#タグ",
        "# 目的 {#purpose}",
        "## 緊急連絡体制 {#contacts .internal}",
        "[](#threats)の脅威、[](standards#rules)、[市](https://example.jp/ｘ)",
        "| 項目 | 内容 |\n|---|---|\n| a | b |",
        "::: restricted",
        ":::",
    ];
    let prose = paragraphs.join("\n\n") + "\nas defined in\n(1) above and\n（１）の規定により\n";
    assert_eq!(slips(&prose), vec![]);
}

#[test]
fn code_blocks_and_code_spans_are_left_alone() {
    let text = "```\n＃ 目的 {#purpose}\n　字下げ\n１．項目\n```\n\n`［］（＃threats）` の書き方\n\n    ＃ 四字下げ\n";
    assert_eq!(slips(text), vec![]);
    assert_eq!(fix_text("a.ja.md", text).text, text);
}

#[test]
fn fix_text_keeps_front_matter_and_reports_lines_of_the_file() {
    let text = "\u{feff}---\nid: a\ntitle: ＃ 題\n---\n\n＃ 目的 {#purpose}\n\n（１）　項目\r\n";
    let f = fix_text("a.ja.md", text);
    assert_eq!(f.text, "\u{feff}---\nid: a\ntitle: ＃ 題\n---\n\n# 目的 {#purpose}\n\n（１）　項目\r\n");
    assert_eq!(
        f.changes,
        vec![Change { line: 6, before: "＃ 目的 {#purpose}".into(), after: "# 目的 {#purpose}".into() }]
    );
    assert_eq!(f.left.len(), 1);
    assert_eq!((f.left[0].code, f.left[0].loc.line, f.left[0].loc.column), ("ime-typed-number", 8, 1));
    let again = fix_text("a.ja.md", &f.text);
    assert_eq!(again.text, f.text);
    assert!(again.changes.is_empty());
}

#[test]
fn a_slip_inside_another_is_fixed_in_one_run() {
    let text = "［＊＊前条＊＊］（＃manager）による。\n";
    let f = fix_text("a.ja.md", text);
    assert_eq!(f.text, "[**前条**](#manager)による。\n");
    assert_eq!(f.changes.len(), 1);
}

#[test]
fn the_parser_reads_error_slips_fixed_and_warnings_as_typed() {
    let mut diags = Vec::new();
    let view = check("a.ja.md", "＃ 目的 {#purpose}\n\n　本文\n".to_string(), 4, &mut diags);
    assert_eq!(view, "# 目的 {#purpose}\n\n　本文\n");
    let places: Vec<_> = diags.iter().map(|d| (d.code, d.loc.line, d.loc.column, d.is_error())).collect();
    assert_eq!(places, vec![("ime-heading", 5, 1, true), ("ime-indent", 7, 1, false)]);
}

#[test]
fn every_code_is_in_the_catalogue_once() {
    let mut codes = CODES.to_vec();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), CODES.len());
    for code in CODES {
        assert!(code.starts_with("ime-"));
        assert!(crate::diag::catalogue::find(code).is_some_and(|e| e.severity.is_some()), "{code}");
    }
}

/// Every `.md` file below `dir`.
fn markdown_below(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            markdown_below(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

#[test]
fn the_default_project_the_fixtures_and_init_have_no_slip() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    markdown_below(&root.join("policy-source"), &mut files);
    markdown_below(&root.join("tests/fixtures"), &mut files);
    assert!(files.len() > 10, "{files:?}");
    let mut texts: Vec<(String, String)> =
        files.iter().map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap())).collect();
    for (p, b) in crate::book::init::files() {
        texts.push((p, String::from_utf8(b).unwrap()));
    }
    for (path, text) in texts {
        let f = fix_text(&path, &text);
        assert!(f.changes.is_empty() && f.left.is_empty(), "{path}: {:?} {:?}", f.changes, f.left);
    }
}

#[test]
fn a_body_is_parsed_for_code_whenever_it_may_hold_some() {
    // What lets `code_ranges` skip the parse: no code without a backtick, a tilde, a tab or four
    // spaces in a row, in whatever list or quote.
    let parsed = |t: &str| {
        let mut found: (Vec<Range<usize>>, Vec<Range<usize>>) = (Vec::new(), Vec::new());
        for (e, r) in Parser::new_ext(t, crate::model::markdown::options()).into_offset_iter() {
            match e {
                Event::Start(Tag::CodeBlock(_)) => found.0.push(r),
                Event::Code(_) => found.1.push(r),
                _ => {}
            }
        }
        found
    };
    let with_code = [
        "本文 `code` です",
        "```\nコード\n```\n",
        "~~~\nコード\n~~~\n",
        "本文\n\n    indented\n",
        "- 項目\n\n      indented in a list\n",
        ">     indented in a quote\n",
        "1.  項目\n\n        indented\n",
        "本文\n\n\tindented with a tab\n",
    ];
    for t in with_code {
        let (b, s) = parsed(t);
        assert!(!b.is_empty() || !s.is_empty(), "the sample has code: {t:?}");
        assert!(may_hold_code(t), "{t:?}");
        assert_eq!(code_ranges(t), (b, s), "{t:?}");
    }
    for t in ["本文\n\n   三つの空白\n", "- 項目\n   - 入れ子\n", "> 引用\n>   続き\n", "# 見出し {#id}\n本文。"]
    {
        assert!(!may_hold_code(t), "{t:?}");
        assert_eq!(parsed(t), (vec![], vec![]), "{t:?}");
    }
}
