//! Computed numbering: 1 / (1) / ア / (ア) for administrative documents, 第N条 for articles, and
//! their English counterparts. Numbers are never typed in sources; they are assigned here, once
//! on the whole model and again on every edition (an edition that leaves a section out renumbers
//! the rest, so that no gap reveals what was left out).

use crate::config::{Lang, Numerals};
use crate::model::{Block, Document, Section};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// 1 / (1) / ア / (ア) / a / (a) — the style of most municipal policies.
    Admin,
    /// 第1条 / 2 (項) / (1) (号) / ア — the style of regulations (規程).
    Article,
}

/// A computed number: its label at its own level and the whole path used by references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Number {
    /// The numbering level (1 = top).
    pub level: u8,
    /// The ordinal among its siblings (1-based).
    pub ordinal: u32,
    /// The branch number of an inserted article or item: 2 for 第4条の2, 0 for none.
    #[serde(skip_serializing_if = "is_zero")]
    pub branch: u32,
    pub ja: String,
    pub en: String,
    /// The whole path, e.g. 6(3)ア, 第3条第2項.
    pub ja_path: String,
    /// The whole path in English, e.g. 6(3)(a), Article 3(2).
    pub en_path: String,
}

impl Number {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    pub fn path(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja_path,
            Lang::En => &self.en_path,
        }
    }

    /// The number of the `ordinal`-th item at `level` below `parent`.
    pub fn new(style: Style, level: u8, ordinal: u32, parent: Option<&Number>) -> Number {
        let ja = label(style, Lang::Ja, level, ordinal);
        let en = label(style, Lang::En, level, ordinal);
        let (pja, pen) = parent.map_or((String::new(), String::new()), |p| (p.ja_path.clone(), p.en_path.clone()));
        let (ja_path, en_path) = match (style, level) {
            (Style::Article, 2) => (format!("{pja}第{ordinal}項"), format!("{pen}({ordinal})")),
            (Style::Article, 3) => (format!("{pja}第{ordinal}号"), format!("{pen}{en}")),
            _ => (format!("{pja}{ja}"), format!("{pen}{en}")),
        };
        Number { level, ordinal, branch: 0, ja, en, ja_path, en_path }
    }

    /// The same number with the branch `b`: 第4条の2 / Article 4-2, (2)の2 / (ii-2).
    pub fn branched(mut self, b: u32) -> Number {
        if b == 0 {
            return self;
        }
        let en_branch = |s: &str| match s.strip_suffix(')') {
            Some(head) => format!("{head}-{b})"),
            None => format!("{s}-{b}"),
        };
        self.ja_path = format!("{}の{b}", self.ja_path);
        self.en_path = en_branch(&self.en_path);
        self.ja = format!("{}の{b}", self.ja);
        self.en = en_branch(&self.en);
        self.branch = b;
        self
    }

    /// A number that is only a label (章, 附則, 別表): its path is the label itself.
    pub fn named(level: u8, ordinal: u32, ja: String, en: String) -> Number {
        Number { level, ordinal, branch: 0, ja_path: ja.clone(), en_path: en.clone(), ja, en }
    }

    /// The number as printed with `numerals`.
    pub fn widened(mut self, numerals: Numerals) -> Number {
        self.ja = widen(&self.ja, numerals);
        self.ja_path = widen(&self.ja_path, numerals);
        self
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Japanese text with `numerals`: full-width makes single digits and the parentheses around
/// them full-width (第１条, （１）, ３月31日), longer numbers stay half-width (第12条).
pub fn widen(s: &str, numerals: Numerals) -> String {
    if numerals == Numerals::HalfWidth {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let single = c.is_ascii_digit() && !digit(i.wrapping_sub(1)) && !digit(i + 1);
        out.push(match c {
            _ if single => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            '(' => '（',
            ')' => '）',
            _ => c,
        });
    }
    out
}

const KANA: [&str; 46] = [
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ", "チ", "ツ", "テ",
    "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ", "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ",
    "ラ", "リ", "ル", "レ", "ロ", "ワ", "ヲ", "ン",
];

fn kana(n: u32) -> String {
    KANA.get(n as usize - 1).map_or_else(|| n.to_string(), |k| k.to_string())
}

fn letter(n: u32, upper: bool) -> String {
    if (1..=26).contains(&n) {
        let c = (b'a' + (n - 1) as u8) as char;
        if upper {
            c.to_ascii_uppercase().to_string()
        } else {
            c.to_string()
        }
    } else {
        n.to_string()
    }
}

/// Lowercase roman numerals (i, ii, iii, iv, …).
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The label of the `n`-th item at `level` (1-based) in a style and language.
pub fn label(style: Style, lang: Lang, level: u8, n: u32) -> String {
    match (style, lang, level) {
        (Style::Admin, Lang::Ja, 1) => n.to_string(),
        (Style::Admin, Lang::Ja, 2) => format!("({n})"),
        (Style::Admin, Lang::Ja, 3) => kana(n),
        (Style::Admin, Lang::Ja, 4) => format!("({})", kana(n)),
        (Style::Admin, Lang::Ja, 5) => letter(n, false),
        (Style::Admin, Lang::En, 1) => n.to_string(),
        (Style::Admin, Lang::En, 2) => format!("({n})"),
        (Style::Admin, Lang::En, 3) => format!("({})", letter(n, false)),
        (Style::Admin, Lang::En, 4) => format!("({})", roman(n)),
        (Style::Admin, Lang::En, 5) => format!("({})", letter(n, true)),
        (Style::Admin, Lang::En, 6) => format!("({})", roman(n).to_uppercase()),
        (Style::Article, Lang::Ja, 1) => format!("第{n}条"),
        (Style::Article, Lang::Ja, 2) => n.to_string(),
        (Style::Article, Lang::Ja, 3) => format!("({n})"),
        (Style::Article, Lang::Ja, 4) => kana(n),
        (Style::Article, Lang::Ja, 5) => format!("({})", kana(n)),
        (Style::Article, Lang::En, 1) => format!("Article {n}"),
        (Style::Article, Lang::En, 2) => format!("({n})"),
        (Style::Article, Lang::En, 3) => format!("({})", roman(n)),
        (Style::Article, Lang::En, 4) => format!("({})", letter(n, false)),
        (Style::Article, Lang::En, 5) => format!("({})", letter(n, true)),
        (Style::Admin, Lang::Ja, _) => format!("({})", letter(n, false)),
        _ => format!("({n})"),
    }
}

/// Numbers every section, paragraph (in article style) and ordered list item of a document.
pub fn assign(doc: &mut Document) {
    let (style, numerals) = (doc.numbering, doc.numerals);
    for pre in std::iter::once(&mut doc.preamble.ja).chain(doc.preamble.en.as_mut()) {
        let mut ctx = BlockCtx::new(style, numerals, 0, None);
        assign_blocks(&mut ctx, pre);
    }
    match style {
        Style::Admin => assign_sections(style, numerals, &mut doc.sections, None, 0),
        Style::Article => super::structure::number_rule(doc),
    }
}

/// Numbers `sections` (siblings below `parent`), then the text and subsections of each; those of
/// the top-level sections on the cores, as they share nothing once their own numbers are known.
fn assign_sections(
    style: Style,
    numerals: Numerals,
    sections: &mut [Section],
    parent: Option<&Number>,
    parent_level: u8,
) {
    let mut ordinal = 0;
    let numbered: Vec<(&mut Section, Option<Number>, u8)> = sections
        .iter_mut()
        .map(|s| {
            let (number, level) = if s.unnumbered {
                (parent.cloned(), parent_level)
            } else {
                ordinal += 1;
                (Some(Number::new(style, parent_level + 1, ordinal, parent).widened(numerals)), parent_level + 1)
            };
            s.number = if s.unnumbered { None } else { number.clone() };
            (s, number, level)
        })
        .collect();
    let within = |(s, number, level): (&mut Section, Option<Number>, u8)| {
        number_text_blocks(s, &mut BlockCtx::new(style, numerals, level, number.clone()));
        assign_sections(style, numerals, &mut s.children, number.as_ref(), level);
    };
    if parent_level == 0 {
        super::par::map_owned(numbered, within);
    } else {
        numbered.into_iter().for_each(within);
    }
}

/// Numbers the blocks of both languages of a section, each from a fresh copy of `ctx`.
pub(crate) fn number_text_blocks(s: &mut Section, ctx: &mut BlockCtx) {
    for text in std::iter::once(&mut s.ja).chain(s.en.as_mut()) {
        let mut c = BlockCtx { paragraphs: 0, current_paragraph: None, ..ctx.clone() };
        assign_blocks(&mut c, &mut text.blocks);
    }
}

#[derive(Clone)]
pub(crate) struct BlockCtx {
    style: Style,
    numerals: Numerals,
    /// In a 附則 of several 項, the first is numbered too (1, 2, …).
    pub(crate) number_first: bool,
    /// Numbering level of the container (section or list item) holding the blocks.
    level: u8,
    parent: Option<Number>,
    paragraphs: u32,
    /// In an article: the 項 number of the paragraph last seen, the parent of 号 lists after it.
    current_paragraph: Option<Number>,
}

impl BlockCtx {
    pub(crate) fn new(style: Style, numerals: Numerals, level: u8, parent: Option<Number>) -> BlockCtx {
        BlockCtx { style, numerals, number_first: false, level, parent, paragraphs: 0, current_paragraph: None }
    }

    fn number(&self, level: u8, ordinal: u32, parent: Option<&Number>) -> Number {
        Number::new(self.style, level, ordinal, parent).widened(self.numerals)
    }
}

fn assign_blocks(ctx: &mut BlockCtx, blocks: &mut [Block]) {
    let article_body = ctx.style == Style::Article && ctx.level == 1;
    for b in blocks {
        match b {
            Block::Paragraph { number, .. } => {
                if article_body {
                    ctx.paragraphs += 1;
                    *number = (ctx.paragraphs >= 2 || ctx.number_first)
                        .then(|| ctx.number(2, ctx.paragraphs, ctx.parent.as_ref()));
                    ctx.current_paragraph = number.clone();
                } else {
                    *number = None;
                }
            }
            Block::List { ordered, items } => {
                let (level, parent) = if article_body {
                    (3, ctx.current_paragraph.clone().or_else(|| ctx.parent.clone()))
                } else {
                    (ctx.level + 1, ctx.parent.clone())
                };
                let (mut ordinal, mut branch) = (0, 0);
                for item in items.iter_mut() {
                    if item.inserted && ordinal > 0 {
                        branch = branch.max(1) + 1;
                    } else {
                        (ordinal, branch) = (ordinal + 1, 0);
                    }
                    item.number = ordered.then(|| {
                        Number::new(ctx.style, level, ordinal, parent.as_ref()).branched(branch).widened(ctx.numerals)
                    });
                    let mut inner = BlockCtx {
                        level: if *ordered { level } else { level - 1 },
                        parent: item.number.clone().or_else(|| parent.clone()),
                        number_first: false,
                        ..BlockCtx::new(ctx.style, ctx.numerals, 0, None)
                    };
                    assign_blocks(&mut inner, &mut item.blocks);
                }
            }
            Block::Classified { blocks, .. } => assign_blocks(ctx, blocks),
            Block::Quote { blocks } => {
                let mut inner = BlockCtx::new(ctx.style, ctx.numerals, ctx.level, ctx.parent.clone());
                assign_blocks(&mut inner, blocks);
            }
            Block::Table { .. } | Block::Code { .. } | Block::Rule | Block::Figure(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_labels_in_both_languages() {
        let ja: Vec<String> = (1..=6).map(|l| label(Style::Admin, Lang::Ja, l, 1)).collect();
        assert_eq!(ja, ["1", "(1)", "ア", "(ア)", "a", "(a)"]);
        let en: Vec<String> = (1..=4).map(|l| label(Style::Admin, Lang::En, l, 3)).collect();
        assert_eq!(en, ["3", "(3)", "(c)", "(iii)"]);
        assert_eq!(label(Style::Admin, Lang::Ja, 3, 11), "サ");
        assert_eq!(label(Style::Admin, Lang::Ja, 3, 13), "ス");
    }

    #[test]
    fn article_labels_in_both_languages() {
        assert_eq!(label(Style::Article, Lang::Ja, 1, 12), "第12条");
        assert_eq!(label(Style::Article, Lang::Ja, 2, 2), "2");
        assert_eq!(label(Style::Article, Lang::Ja, 3, 1), "(1)");
        assert_eq!(label(Style::Article, Lang::En, 1, 1), "Article 1");
        assert_eq!(label(Style::Article, Lang::En, 3, 4), "(iv)");
    }

    #[test]
    fn paths_join_the_labels_of_the_ancestors() {
        let six = Number::new(Style::Admin, 1, 6, None);
        let three = Number::new(Style::Admin, 2, 3, Some(&six));
        let a = Number::new(Style::Admin, 3, 1, Some(&three));
        assert_eq!(a.ja_path, "6(3)ア");
        assert_eq!(a.en_path, "6(3)(a)");
        let art = Number::new(Style::Article, 1, 3, None);
        let para = Number::new(Style::Article, 2, 2, Some(&art));
        let item = Number::new(Style::Article, 3, 1, Some(&para));
        assert_eq!(item.ja_path, "第3条第2項第1号");
        assert_eq!(item.en_path, "Article 3(2)(i)");
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(9), "ix");
        assert_eq!(roman(14), "xiv");
    }
}
