//! Characters: decoding a foreign file (UTF-8 or Shift_JIS / CP932), folding full-width digits
//! and brackets for recognition, joining letter-spaced Latin words, escaping text for Markdown.

/// The text of a file: UTF-8 (a BOM dropped) when it is valid UTF-8, else Shift_JIS / CP932
/// (Windows-31J, what Japanese government files are saved in). `None` when neither decodes
/// cleanly (a binary file).
pub fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some((s.to_string(), "UTF-8"));
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    (!had_errors).then(|| (text.into_owned(), "Shift_JIS (CP932)"))
}

/// One character as the recognizer sees it: full-width digits, Latin letters, brackets, spaces
/// and dashes folded to ASCII. The folding keeps one character for one, so that positions in the
/// folded text are positions in the original.
pub fn fold_char(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '（' => '(',
        '）' => ')',
        '　' => ' ',
        '．' => '.',
        '―' | '－' | '‐' | '−' | '–' | '—' => '-',
        _ => c,
    }
}

pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// The characters of `s` after the first `n`.
pub fn skip_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or("", |(i, _)| &s[i..])
}

pub fn is_kana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー')
}

pub fn is_hiragana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ')
}

/// 「L G W A N」 → 「LGWAN」: three or more single Latin letters (ASCII or full-width), each
/// separated by one space (ASCII or full-width), are one word spaced out by a converter.
pub fn unspace_latin(s: &str) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let letter = |i: usize| chars.get(i).is_some_and(|c| fold_char(*c).is_ascii_alphabetic());
    let space = |i: usize| chars.get(i).is_some_and(|c| fold_char(*c) == ' ');
    let (mut out, mut changed, mut i) = (String::new(), false, 0);
    while i < chars.len() {
        let starts_word = letter(i) && (i == 0 || !letter(i - 1));
        let mut end = i;
        while starts_word && space(end + 1) && letter(end + 2) && !letter(end + 3) {
            end += 2;
        }
        if end >= i + 4 {
            out.extend((i..=end).step_by(2).map(|k| chars[k]));
            changed = true;
            i = end + 1;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (out, changed)
}

/// Text as Markdown shows it literally: ASCII punctuation that Markdown (or policybook's
/// `{#id}`, `:::` syntax) would read is escaped, so a source's text is never taken as markup.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let special =
            matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '{' | '}' | '!' | '&');
        let leading = i == 0 && matches!(c, '-' | '+' | ':' | '=');
        if special || leading {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. text" or "1) text" at the start would be an ordered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')) {
        out.insert(digits, '\\');
    }
    out
}

/// The Japanese numerals of 第一条 and the like: 一 … 九十九.
pub fn kanji_number(s: &str) -> Option<u32> {
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|d| d as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// Hepburn romanization of kana (for ids): small ゃゅょ combine, っ doubles, ー is dropped.
pub fn romanize(s: &str) -> String {
    const TABLE: &str = "あa いi うu えe おo かka きki くku けke こko さsa しshi すsu せse そso たta ちchi \
        つtsu てte とto なna にni ぬnu ねne のno はha ひhi ふfu へhe ほho まma みmi むmu めme もmo やya \
        ゆyu よyo らra りri るru れre ろro わwa をo んn がga ぎgi ぐgu げge ごgo ざza じji ずzu ぜze ぞzo \
        だda ぢji づzu でde どdo ばba びbi ぶbu べbe ぼbo ぱpa ぴpi ぷpu ぺpe ぽpo ぁa ぃi ぅu ぇe ぉo ゔvu";
    let roman = |c: char| -> Option<&'static str> {
        let h = if matches!(c, 'ァ'..='ヶ') { char::from_u32(c as u32 - 0x60)? } else { c };
        TABLE.split(' ').filter(|e| !e.is_empty()).find(|e| e.starts_with(h)).map(|e| &e[h.len_utf8()..])
    };
    let mut out = String::new();
    let mut double = false;
    for c in s.chars() {
        let small = match c {
            'ゃ' | 'ャ' => Some("a"),
            'ゅ' | 'ュ' => Some("u"),
            'ょ' | 'ョ' => Some("o"),
            _ => None,
        };
        if let Some(v) = small {
            if out.ends_with("shi") || out.ends_with("chi") || out.ends_with("ji") {
                out.pop();
            } else if out.ends_with('i') {
                out.pop();
                out.push('y');
            }
            out.push_str(v);
        } else if matches!(c, 'っ' | 'ッ') {
            double = true;
        } else if let Some(r) = roman(c) {
            if double {
                out.push_str(&r[..1]);
                double = false;
            }
            out.push_str(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_spaced_latin_is_joined() {
        assert_eq!(unspace_latin("L G W A N接続系").0, "LGWAN接続系");
        assert_eq!(unspace_latin("Ｌ　Ｇ　Ｗ　Ａ　Ｎに").0, "ＬＧＷＡＮに");
        assert_eq!(unspace_latin("a b は2文字").0, "a b は2文字");
        assert_eq!(unspace_latin("USB and PC").0, "USB and PC");
    }

    #[test]
    fn shift_jis_is_detected() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("第１条　目的");
        assert_eq!(decode(&bytes).unwrap(), ("第１条　目的".to_string(), "Shift_JIS (CP932)"));
        assert_eq!(decode("序文".as_bytes()).unwrap().1, "UTF-8");
        assert!(decode(&[0x82, 0xFF, 0x00, 0x80]).is_none());
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(escape_markdown("a*b* [x](y) {#z}"), "a\\*b\\* \\[x\\](y) \\{\\#z\\}");
        assert_eq!(escape_markdown("1. 項目"), "1\\. 項目");
        assert_eq!(escape_markdown(":::"), "\\:::");
    }

    #[test]
    fn kana_is_romanized() {
        assert_eq!(romanize("ネットワーク"), "nettowaku");
        assert_eq!(romanize("しょうしゃ"), "shousha");
        assert_eq!(kanji_number("二十三"), Some(23));
        assert_eq!(kanji_number("十"), Some(10));
    }
}
