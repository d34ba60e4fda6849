//! The rules that need the whole project: one word spelled two ways (表記ゆれ), and one Latin
//! word written in full and half width. Both look at the Japanese text only.
//!
//! The built-in groups follow 公用文作成の考え方 (文化審議会建議, 令和4年), which takes loanwords
//! as 「外来語の表記」 (平成3年内閣告示第2号) writes them: a final long vowel of -er, -or, -ar is
//! written 「ー」 (コンピューター, サーバー), and the kana of its first table are the general ones
//! (ウイルス, not ウィルス). A project sets its own preferences in book.toml `[check.variants]`.

use super::rules::{is_alnum, is_latin};
use crate::config::CheckSection;
use std::collections::BTreeMap;
use std::ops::Range;

/// The built-in groups: the preferred form first.
const GROUPS: &[&[&str]] = &[
    &["ウイルス", "ウィルス"],
    &["コンピューター", "コンピュータ"],
    &["サーバー", "サーバ"],
    &["ユーザー", "ユーザ"],
    &["プリンター", "プリンタ"],
    &["ブラウザー", "ブラウザ"],
    &["フォルダー", "フォルダ"],
    &["ルーター", "ルータ"],
    &["ドライバー", "ドライバ"],
    &["スキャナー", "スキャナ"],
    &["モニター", "モニタ"],
    &["コントローラー", "コントローラ"],
    &["プロバイダー", "プロバイダ"],
    &["パラメーター", "パラメータ"],
    &["インターフェース", "インタフェース", "インターフェイス"],
    &["ファイアウォール", "ファイヤーウォール", "ファイアーウォール"],
];

/// The groups in force: the built-in ones that share no form with an entry of `[check.variants]`,
/// then those entries (an empty one only switches groups off). Each preferred form first.
pub fn groups(check: &CheckSection) -> Vec<Vec<String>> {
    let configured: Vec<Vec<String>> =
        check.variants.iter().map(|(k, v)| std::iter::once(k).chain(v).cloned().collect()).collect();
    let overridden = |g: &[&str]| configured.iter().any(|c| c.iter().any(|f| g.contains(&f.as_str())));
    let mut out: Vec<Vec<String>> =
        GROUPS.iter().filter(|g| !overridden(g)).map(|g| g.iter().map(|f| f.to_string()).collect()).collect();
    out.extend(configured.iter().filter(|c| c.len() > 1).cloned());
    out
}

/// Where the forms of each group stand in `text`, in one pass over it: one list per group of
/// (form index, byte range); a form inside a longer one of the same group (サーバ in サーバー) is
/// not counted.
pub fn find_all(groups: &[Vec<String>], text: &str) -> Vec<Vec<(usize, Range<usize>)>> {
    let forms: Vec<&str> = groups.iter().flatten().map(String::as_str).collect();
    let mut found = occurrences(&forms, text).into_iter();
    groups.iter().map(|g| select(found.by_ref().take(g.len()).collect())).collect()
}

/// The occurrences of a group's forms (one list per form, in the forms' order) without those
/// inside a longer form, sorted by where they start (the forms' order where they start together).
fn select(per_form: Vec<Vec<Range<usize>>>) -> Vec<(usize, Range<usize>)> {
    let all: Vec<(usize, Range<usize>)> =
        per_form.into_iter().enumerate().flat_map(|(i, rs)| rs.into_iter().map(move |r| (i, r))).collect();
    let inside = |r: &Range<usize>| all.iter().any(|(_, o)| o.len() > r.len() && o.start <= r.start && r.end <= o.end);
    let mut kept: Vec<_> = all.iter().filter(|(_, r)| !inside(r)).cloned().collect();
    kept.sort_by_key(|(_, r)| r.start);
    kept
}

/// Where each of `forms` stands in `text`, as `text.match_indices(form)` finds it (left to right,
/// never overlapping itself): one list of byte ranges per form, found in one pass over the text
/// that tries the forms only where a character one of them starts with stands.
pub fn occurrences(forms: &[&str], text: &str) -> Vec<Vec<Range<usize>>> {
    let mut out: Vec<Vec<Range<usize>>> = vec![Vec::new(); forms.len()];
    let mut firsts: Vec<(char, usize)> = Vec::new();
    for (i, f) in forms.iter().enumerate() {
        match f.chars().next() {
            Some(c) => firsts.push((c, i)),
            None => out[i] = text.match_indices("").map(|(at, _)| at..at).collect(),
        }
    }
    firsts.sort();
    // A bit per first character (by its code point modulo 4096): most characters start no form,
    // and are passed with one test instead of a search.
    let mut starts = [0u64; 64];
    for &(c, _) in &firsts {
        starts[(c as usize / 64) % 64] |= 1 << (c as usize % 64);
    }
    // Where each form may match again: after the end of its last match.
    let mut free = vec![0usize; forms.len()];
    for (at, c) in text.char_indices() {
        if starts[(c as usize / 64) % 64] & (1 << (c as usize % 64)) == 0 {
            continue;
        }
        let from = firsts.partition_point(|(f, _)| *f < c);
        for &(_, i) in firsts[from..].iter().take_while(|(f, _)| *f == c) {
            if at >= free[i] && text[at..].starts_with(forms[i]) {
                free[i] = at + forms[i].len();
                out[i].push(at..free[i]);
            }
        }
    }
    out
}

/// How a Latin word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Width {
    Half,
    Full,
    Mixed,
}

/// The Latin words of `text` (runs of letters and digits with a letter, either width): the word in
/// half width, how it is written, its byte range.
pub fn latin_words(text: &str) -> Vec<(String, Width, Range<usize>)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (is_alnum(c) && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                let w = &text[s..i];
                if !w.chars().any(is_latin) {
                    continue;
                }
                let full = w.chars().filter(|c| !c.is_ascii()).count();
                let width = match full {
                    0 => Width::Half,
                    n if n == w.chars().count() => Width::Full,
                    _ => Width::Mixed,
                };
                out.push((narrow(w), width, s..i));
            }
            _ => {}
        }
    }
    out
}

/// Full-width ASCII letters and digits in half width.
pub fn narrow(s: &str) -> String {
    s.chars()
        .map(|c| if ('！'..='～').contains(&c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

/// Of the widths a word is written in, those to flag: any mixed spelling, and of half and full
/// width the one used less (full width on a tie). `counts` holds how often each width occurs.
pub fn widths_to_flag(counts: &BTreeMap<Width, usize>) -> Vec<Width> {
    let n = |w| counts.get(&w).copied().unwrap_or(0);
    let mut out = Vec::new();
    if n(Width::Mixed) > 0 {
        out.push(Width::Mixed);
    }
    let (half, full) = (n(Width::Half), n(Width::Full));
    if half > 0 && full > 0 {
        out.push(if full <= half { Width::Full } else { Width::Half });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One group alone.
    fn find(group: &[String], text: &str) -> Vec<(usize, Range<usize>)> {
        let forms: Vec<&str> = group.iter().map(String::as_str).collect();
        select(occurrences(&forms, text))
    }

    #[test]
    fn a_longer_form_hides_the_shorter_one_inside_it() {
        let g = vec!["サーバー".to_string(), "サーバ".to_string()];
        let got: Vec<_> = find(&g, "サーバーとサーバ室").into_iter().map(|(i, _)| i).collect();
        assert_eq!(got, [0, 1]);
        let g = vec!["ウイルス".to_string(), "ウィルス".to_string()];
        assert_eq!(find(&g, "コンピュータウイルス").len(), 1);
    }

    #[test]
    fn one_pass_finds_what_match_indices_finds() {
        let forms = ["サーバー", "サーバ", "ーー", "ー", "", "ウイルス"];
        // 䂵 (U+40B5) shares サ's bit (U+30B5) in the quick test of first characters.
        for text in ["サーバーとサーバ室ーーーウイルス", "", "ーーーーー", "abcサーバ", "䂵サーバ䂵"]
        {
            let want: Vec<Vec<Range<usize>>> =
                forms.iter().map(|f| text.match_indices(f).map(|(at, m)| at..at + m.len()).collect()).collect();
            assert_eq!(occurrences(&forms, text), want, "{text}");
        }
        let groups = vec![
            vec!["サーバー".to_string(), "サーバ".to_string()],
            vec!["ウイルス".to_string(), "ウィルス".to_string()],
        ];
        let text = "サーバーとサーバ室、ウィルスとウイルス";
        assert_eq!(find_all(&groups, text), groups.iter().map(|g| find(g, text)).collect::<Vec<_>>());
        assert_eq!(find_all(&groups, text)[1].iter().map(|(i, _)| *i).collect::<Vec<_>>(), [1, 0]);
    }

    #[test]
    fn configured_groups_replace_the_built_in_ones_they_share_a_form_with() {
        let mut check = CheckSection::default();
        check.variants.insert("コンピュータ".into(), vec!["コンピューター".into()]);
        check.variants.insert("サーバ".into(), vec![]);
        check.variants.insert("取扱い".into(), vec!["取り扱い".into()]);
        let g = groups(&check);
        assert!(g.contains(&vec!["コンピュータ".to_string(), "コンピューター".to_string()]));
        assert!(!g.iter().any(|g| g.contains(&"コンピューター".to_string()) && g[0] == "コンピューター"));
        assert!(!g.iter().any(|g| g.contains(&"サーバー".to_string())), "an empty entry switches the group off");
        assert!(g.contains(&vec!["取扱い".to_string(), "取り扱い".to_string()]));
        assert!(g.contains(&vec!["ウイルス".to_string(), "ウィルス".to_string()]));
    }

    #[test]
    fn latin_words_know_their_width() {
        let got = latin_words("ＬＧＷＡＮとLGWAN、ＩＳＯ27001及び２０２６年");
        let got: Vec<_> = got.into_iter().map(|(w, width, _)| (w, width)).collect();
        assert_eq!(
            got,
            [("LGWAN".into(), Width::Full), ("LGWAN".into(), Width::Half), ("ISO27001".into(), Width::Mixed)]
        );
        let counts = BTreeMap::from([(Width::Half, 3), (Width::Full, 1)]);
        assert_eq!(widths_to_flag(&counts), [Width::Full]);
        assert_eq!(widths_to_flag(&BTreeMap::from([(Width::Half, 3)])), []);
    }
}
