//! Changed ranges inside one text: per character for Japanese (it has no spaces, so a line or
//! whitespace-word diff is useless), per word for English. A light semantic cleanup merges
//! changes separated by an equality shorter than both of them, so that 「管理する」→「運用する」
//! reads as one change; a lone one-character change still marks that character only.

use crate::config::Lang;
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// A changed range, in characters (Unicode scalar values), start inclusive, end exclusive.
pub type Range = [usize; 2];

/// The changed ranges of `old` and `new`.
pub fn changes(old: &str, new: &str, lang: Lang) -> (Vec<Range>, Vec<Range>) {
    if old == new {
        return (Vec::new(), Vec::new());
    }
    let (ot, oo) = tokens(old, lang);
    let (nt, no) = tokens(new, lang);
    let ops = capture_diff_slices(Algorithm::Myers, &ot, &nt);
    let segs = cleanup(segments(&ops));
    let (mut oi, mut ni) = (0usize, 0usize);
    let (mut ro, mut rn) = (Vec::new(), Vec::new());
    for s in segs {
        match s {
            Seg::Eq(n) => {
                oi += n;
                ni += n;
            }
            Seg::Chg(d, i) => {
                if d > 0 {
                    ro.push([oo[oi], oo[oi + d]]);
                }
                if i > 0 {
                    rn.push([no[ni], no[ni + i]]);
                }
                oi += d;
                ni += i;
            }
        }
    }
    (ro, rn)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Seg {
    Eq(usize),
    /// Deleted and inserted token counts.
    Chg(usize, usize),
}

fn segments(ops: &[DiffOp]) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::new();
    for op in ops {
        let s = match *op {
            DiffOp::Equal { len, .. } => Seg::Eq(len),
            DiffOp::Delete { old_len, .. } => Seg::Chg(old_len, 0),
            DiffOp::Insert { new_len, .. } => Seg::Chg(0, new_len),
            DiffOp::Replace { old_len, new_len, .. } => Seg::Chg(old_len, new_len),
        };
        push(&mut out, s);
    }
    out
}

fn push(out: &mut Vec<Seg>, s: Seg) {
    match (out.last_mut(), s) {
        (Some(Seg::Eq(a)), Seg::Eq(b)) => *a += b,
        (Some(Seg::Chg(a, b)), Seg::Chg(c, d)) => {
            *a += c;
            *b += d;
        }
        (_, Seg::Eq(0)) | (_, Seg::Chg(0, 0)) => {}
        _ => out.push(s),
    }
}

/// Merges `change, short equality, change` into one change while the equality is no longer than
/// the larger side of the change on each side of it.
fn cleanup(mut segs: Vec<Seg>) -> Vec<Seg> {
    loop {
        let mut changed = false;
        let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
        let mut i = 0;
        while i < segs.len() {
            if let (Some(&Seg::Chg(a, b)), Seg::Eq(n), Some(&Seg::Chg(c, d))) = (out.last(), segs[i], segs.get(i + 1)) {
                if n <= a.max(b) && n <= c.max(d) {
                    out.pop();
                    push(&mut out, Seg::Chg(a + n + c, b + n + d));
                    i += 2;
                    changed = true;
                    continue;
                }
            }
            push(&mut out, segs[i]);
            i += 1;
        }
        segs = out;
        if !changed {
            return segs;
        }
    }
}

/// Splits text into diff tokens, with the character offset of each token boundary (one more
/// offset than tokens). Japanese: characters. English: words, whitespace runs and single
/// punctuation characters (a CJK character stays a token of its own).
fn tokens(text: &str, lang: Lang) -> (Vec<&str>, Vec<usize>) {
    let mut toks = Vec::new();
    let mut offs = vec![0usize];
    let mut chars = text.char_indices().peekable();
    let mut n = 0usize;
    let class = |c: char| -> u8 {
        if lang == Lang::Ja || (c as u32) >= 0x2E80 {
            0 // a token by itself
        } else if c.is_alphanumeric() || c == '\'' || c == '’' {
            1
        } else if c.is_whitespace() && c != '\n' {
            2
        } else {
            0
        }
    };
    while let Some((start, c)) = chars.next() {
        let k = class(c);
        let mut end = start + c.len_utf8();
        n += 1;
        while let Some(&(i, d)) = chars.peek() {
            // Combining marks (dakuten, variation selectors, joiners and what they join) stay
            // with their base character: a change never splits a visible character.
            let joined = text[..i].ends_with('\u{200D}');
            if !(combining(d) || joined || (k != 0 && class(d) == k)) {
                break;
            }
            end = i + d.len_utf8();
            n += 1;
            chars.next();
        }
        toks.push(&text[start..end]);
        offs.push(n);
    }
    (toks, offs)
}

/// Characters that never stand alone: combining marks, variation selectors, the zero width joiner.
fn combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x3099..=0x309A
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0x200D | 0xE0100..=0xE01EF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(s: &str, r: &[Range]) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        for (i, c) in chars.iter().enumerate() {
            if r.iter().any(|r| r[0] == i) {
                out.push('[');
            }
            out.push(*c);
            if r.iter().any(|r| r[1] == i + 1) {
                out.push(']');
            }
        }
        out
    }

    #[test]
    fn one_character_marks_that_character() {
        let (o, n) = changes("年1回更新する。", "年2回更新する。", Lang::Ja);
        assert_eq!(o, vec![[1, 2]]);
        assert_eq!(n, vec![[1, 2]]);
    }

    #[test]
    fn insertion_and_deletion() {
        let (o, n) = changes("情報資産を管理する。", "情報資産を適切に管理する。", Lang::Ja);
        assert!(o.is_empty());
        assert_eq!(marked("情報資産を適切に管理する。", &n), "情報資産を[適切に]管理する。");
        let (o, n) = changes("情報資産を適切に管理する。", "情報資産を管理する。", Lang::Ja);
        assert_eq!(marked("情報資産を適切に管理する。", &o), "情報資産を[適切に]管理する。");
        assert!(n.is_empty());
    }

    #[test]
    fn nearby_changes_read_as_one() {
        let (o, n) = changes("情報政策課長が承認する。", "総務課長が確認する。", Lang::Ja);
        assert_eq!(marked("情報政策課長が承認する。", &o), "[情報政策]課長が[承]認する。");
        assert_eq!(marked("総務課長が確認する。", &n), "[総務]課長が[確]認する。");
    }

    #[test]
    fn combining_marks_stay_with_their_character() {
        // 葛 with and without a variation selector (IVS): the whole character is marked.
        let (o, n) = changes("葛飾区", "葛\u{E0100}飾区", Lang::Ja);
        assert_eq!((o, n), (vec![[0, 1]], vec![[0, 2]]));
        let (o, n) = changes("か\u{3099}き", "か\u{309A}き", Lang::Ja);
        assert_eq!((o, n), (vec![[0, 2]], vec![[0, 2]]));
    }

    #[test]
    fn english_by_word() {
        let (o, n) =
            changes("The CISO shall review the policy yearly.", "The CISO shall revise the policy yearly.", Lang::En);
        assert_eq!(
            marked("The CISO shall review the policy yearly.", &o),
            "The CISO shall [review] the policy yearly."
        );
        assert_eq!(n, vec![[15, 21]]);
        assert_eq!(changes("same", "same", Lang::En), (vec![], vec![]));
    }
}
