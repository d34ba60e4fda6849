//! The interface words of every output, in Japanese and English, and the names of
//! classification levels. They live in one module so that a translator finds them all in one
//! place and every output words the same thing the same way.

use crate::config::{Config, Lang, Level};
use crate::edition::Edition;
use serde::Serialize;

/// 「機密性2 庁内限り」: a level's label and marking (book.toml `[[levels]]`).
pub fn level(config: &Config, level: Level, lang: Lang) -> String {
    let d = config.level_def(level);
    format!("{} {}", d.label.get(lang), d.marking.get(lang))
}

/// The tag of a classified block in a PDF: 【機密性3 関係者限り】, [Confidentiality 3: Authorized
/// personnel only].
pub fn level_tag(config: &Config, level: Level, lang: Lang) -> String {
    let d = config.level_def(level);
    match lang {
        Lang::Ja => format!("【{}】", self::level(config, level, lang)),
        Lang::En => format!("[{}: {}]", d.label.en, d.marking.en),
    }
}

/// The marking of what is classified at `level` (「機密性2 庁内限り」); none for the lowest
/// level, whose content says nothing about itself (public copies carry no marking).
pub fn marking(config: &Config, level: Level, lang: Lang) -> Option<String> {
    (level > config.lowest()).then(|| self::level(config, level, lang))
}

/// The marking copies of `edition` carry; none for the public edition.
pub fn edition_marking(edition: &Edition, lang: Lang) -> Option<String> {
    marking(edition.config(), edition.ceiling(), lang)
}

/// The words of an HTML page (templates read them as `t.*`).
#[derive(Debug, Serialize)]
pub struct Site {
    pub language_name: &'static str,
    pub skip: &'static str,
    pub site_nav: &'static str,
    pub documents: &'static str,
    pub search: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub results: &'static str,
    pub no_results: &'static str,
    pub search_unavailable: &'static str,
    pub toc: &'static str,
    pub history: &'static str,
    pub versions: &'static str,
    pub date: &'static str,
    pub kind: &'static str,
    pub note: &'static str,
    pub doc_type: &'static str,
    pub version: &'static str,
    pub effective: &'static str,
    pub level: &'static str,
    pub parallel: &'static str,
    pub authoritative: &'static str,
    pub permalink: &'static str,
    pub stale: &'static str,
    pub missing: &'static str,
    pub page_lang_switch: &'static str,
    /// The glossary page (issue 14): its title, its columns.
    pub glossary: &'static str,
    pub glossary_ja: &'static str,
    pub glossary_en: &'static str,
    pub glossary_defined: &'static str,
    pub glossary_note: &'static str,
    /// The translation status of a document, on the index of internal and restricted editions.
    pub translation: &'static str,
}

const SITE_JA: Site = Site {
    language_name: "日本語",
    skip: "本文へ移動",
    site_nav: "サイト内の移動",
    documents: "文書一覧",
    search: "検索",
    search_label: "ポリシー内を検索",
    search_placeholder: "例: 不正アクセス",
    results: "検索結果",
    no_results: "該当する節はありません。",
    search_unavailable: "検索索引を読み込めませんでした。Webサーバー経由で開いてください。",
    toc: "目次",
    history: "改定履歴",
    versions: "過去の版と新旧対照表",
    date: "年月日",
    kind: "区分",
    note: "内容",
    doc_type: "種別",
    version: "版",
    effective: "施行日",
    level: "分類",
    parallel: "対訳",
    authoritative: "日本語版が正文です。英語版は参考訳です。",
    permalink: "この節へのリンク",
    stale: "この節の英訳は、日本語の改定後に更新されていません。",
    missing: "この節は未翻訳です。",
    page_lang_switch: "English",
    glossary: "用語集",
    glossary_ja: "用語",
    glossary_en: "英訳",
    glossary_defined: "定義箇所",
    glossary_note: "備考",
    translation: "英訳の状況",
};

const SITE_EN: Site = Site {
    language_name: "English",
    skip: "Skip to main content",
    site_nav: "Site navigation",
    documents: "Documents",
    search: "Search",
    search_label: "Search the policy",
    search_placeholder: "e.g. availability",
    results: "Search results",
    no_results: "No matching sections.",
    search_unavailable: "The search index could not be loaded. Open the site through a web server.",
    toc: "Contents",
    history: "Revision history",
    versions: "Past versions and comparison tables",
    date: "Date",
    kind: "Type",
    note: "Details",
    doc_type: "Type",
    version: "Version",
    effective: "Effective",
    level: "Classification",
    parallel: "Parallel text",
    authoritative: "This English text is a reference translation. The Japanese text is authoritative.",
    permalink: "Link to this section",
    stale: "Translation may be out of date: the Japanese text of this section has changed since it was translated.",
    missing: "Not yet translated: the Japanese text is shown.",
    page_lang_switch: "日本語",
    glossary: "Glossary",
    glossary_ja: "Japanese",
    glossary_en: "English",
    glossary_defined: "Defined in",
    glossary_note: "Note",
    translation: "Translation",
};

pub fn site(lang: Lang) -> &'static Site {
    match lang {
        Lang::Ja => &SITE_JA,
        Lang::En => &SITE_EN,
    }
}

/// A document's translation status in a line: 「確認済み 10・要確認 1・未確認 1・未翻訳 0」.
pub fn translation_counts(c: &crate::model::translation::Counts, lang: Lang) -> String {
    match lang {
        Lang::Ja => {
            format!("確認済み {}・要確認 {}・未確認 {}・未翻訳 {}", c.current, c.stale, c.unconfirmed, c.untranslated)
        }
        Lang::En => format!(
            "{} confirmed, {} stale, {} unconfirmed, {} untranslated",
            c.current, c.stale, c.unconfirmed, c.untranslated
        ),
    }
}

/// The fixed words of a PDF (`labels` in the template's data).
#[derive(Debug, Serialize)]
pub struct Pdf {
    pub toc: &'static str,
    pub history: &'static str,
    pub date: &'static str,
    pub kind: &'static str,
    pub note: &'static str,
    pub version: &'static str,
    pub effective: &'static str,
    pub recipient: &'static str,
    pub serial: &'static str,
    pub untranslated: &'static str,
    pub stale: &'static str,
    pub preamble: &'static str,
    /// The annex of the terms a document defines (issue 14): its title and columns.
    pub glossary: &'static str,
    pub glossary_term: &'static str,
    pub glossary_other: &'static str,
}

pub fn pdf(lang: Lang) -> &'static Pdf {
    match lang {
        Lang::Ja => &Pdf {
            toc: "目次",
            history: "改定履歴",
            date: "年月日",
            kind: "区分",
            note: "内容",
            version: "版",
            effective: "施行日",
            recipient: "配付先",
            serial: "通し番号",
            untranslated: "",
            stale: "",
            preamble: "前文",
            glossary: "用語集",
            glossary_term: "用語",
            glossary_other: "英訳",
        },
        Lang::En => &Pdf {
            toc: "Contents",
            history: "Revision history",
            date: "Date",
            kind: "Type",
            note: "Description",
            version: "Version",
            effective: "Effective",
            recipient: "Recipient",
            serial: "Serial no.",
            untranslated: "Not yet translated: the Japanese text is shown.",
            stale: "The Japanese text of this section has changed since it was translated; this translation may be out of date.",
            preamble: "Preamble",
            glossary: "Glossary",
            glossary_term: "Term",
            glossary_other: "Japanese",
        },
    }
}

/// The notice every English PDF carries.
pub const AUTHORITATIVE_EN: &str = "This English version is a reference translation. The Japanese text is authoritative; in case of any discrepancy, the Japanese text prevails.";

/// 「第2版」, "Version 2".
pub fn version_line(lang: Lang, version: &str) -> String {
    match lang {
        Lang::Ja => format!("第{version}版"),
        Lang::En => format!("Version {version}"),
    }
}

/// 「令和8年4月1日施行」, "Effective April 1, 2026" (`date` already formatted).
pub fn effective_line(lang: Lang, date: &str) -> String {
    match lang {
        Lang::Ja => format!("{date}施行"),
        Lang::En => format!("Effective {date}"),
    }
}

/// The fixed words of a 新旧対照表 (HTML and PDF).
pub struct Table {
    pub suffix: &'static str,
    pub new: &'static str,
    pub old: &'static str,
    pub note: &'static str,
    pub omitted: &'static str,
    pub added: &'static str,
    pub deleted: &'static str,
    pub no_changes: &'static str,
    /// The heading of the old and new columns in the 現行 | 改正案 order.
    pub current: &'static str,
    pub draft: &'static str,
    /// The new side when it is the working tree.
    pub working_tree: &'static str,
}

pub fn table(lang: Lang) -> &'static Table {
    match lang {
        Lang::Ja => &Table {
            suffix: " 新旧対照表",
            new: "改正後",
            old: "改正前",
            note: "（傍線部分は改正部分）",
            omitted: "（略）",
            added: "（新設）",
            deleted: "（削る）",
            no_changes: "改正部分はありません。",
            current: "現行",
            draft: "改正案",
            working_tree: "作業ツリー",
        },
        Lang::En => &Table {
            suffix: " — Table of amendments",
            new: "Amended",
            old: "Current",
            note: "(Underlined parts are amended)",
            omitted: "(omitted)",
            added: "(new)",
            deleted: "(deleted)",
            no_changes: "No amendments.",
            current: "Current",
            draft: "Draft",
            working_tree: "working tree",
        },
    }
}

/// The note on a moved section in a 新旧対照表: 「（7(9)から移動）」, "(moved from 7(9))".
pub fn moved_from(lang: Lang, from: &str) -> String {
    match lang {
        Lang::Ja => format!("（{from}から移動）"),
        Lang::En => format!("(moved from {from})"),
    }
}

/// The mark of an unnumbered list item in plain text.
pub fn bullet(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "・",
        Lang::En => "•",
    }
}

/// The words of `policybook history`.
pub struct History {
    pub revisions: &'static str,
    pub releases: &'static str,
    pub version: &'static str,
    pub effective: &'static str,
    pub unchanged: &'static str,
    pub no_tag: &'static str,
}

pub fn history(lang: Lang) -> &'static History {
    match lang {
        Lang::Ja => &History {
            revisions: "改定履歴",
            releases: "リリース",
            version: "版",
            effective: "施行",
            unchanged: "（変更なし）",
            no_tag: "（該当するタグなし）",
        },
        Lang::En => &History {
            revisions: "Revision history",
            releases: "Releases",
            version: "version",
            effective: "effective",
            unchanged: "(unchanged)",
            no_tag: "(no matching tag)",
        },
    }
}

/// The banner on an archived page of a past version: the sentence that says which version it
/// is (`date` and `tag` already escaped), then links to the current version and the list.
pub struct Archived {
    pub current: &'static str,
    pub separator: &'static str,
    pub past: &'static str,
}

pub fn archived(lang: Lang) -> &'static Archived {
    match lang {
        Lang::Ja => &Archived { current: "現行の版", separator: "・", past: "過去の版の一覧" },
        Lang::En => &Archived { current: "Current version", separator: " · ", past: "Past versions" },
    }
}

/// 「これは令和8年4月1日施行の版（policy-2026）です。」, ending where the banner's links start.
pub fn this_version(lang: Lang, date: &str, tag: &str) -> String {
    match lang {
        Lang::Ja => format!("これは{date}施行の版（{tag}）です。"),
        Lang::En => format!("This is the version effective {date} ({tag}). "),
    }
}

/// The list of a document's past versions (`<doc>/versions/index.html`, in Japanese).
pub struct Versions {
    pub title: &'static str,
    pub current: &'static str,
    pub heads: [&'static str; 5],
    pub table: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
}

pub const VERSIONS: Versions = Versions {
    title: "過去の版",
    current: "現行の版",
    heads: ["施行日", "版", "リリース", "本文", "改正内容"],
    table: "新旧対照表",
    ja: "日本語",
    en: "English",
};

/// 「（policy-2026から）」: the release a 新旧対照表 in the list compares with.
pub fn versions_from(tag: &str) -> String {
    format!("（{tag}から）")
}

/// The stale-section diff (issue 12): the page of `translation diff --format html` (Japanese) and
/// the `<details>` beside a stale section on the English pages of an edition with `stale-diff`.
pub struct StaleDiff {
    /// The page's title.
    pub title: &'static str,
    /// The summary of the `<details>` on an English page.
    pub summary: &'static str,
    /// The column of the Japanese now.
    pub now: &'static str,
    /// The page without stale sections.
    pub none: &'static str,
}

pub fn stale_diff(lang: Lang) -> &'static StaleDiff {
    match lang {
        Lang::Ja => &StaleDiff {
            title: "英訳の確認後に変わった日本語",
            summary: "この英訳の確認後に日本語で変わったところ",
            now: "現在",
            none: "要確認の英訳はありません。",
        },
        Lang::En => &StaleDiff {
            title: "The Japanese changed since the English was confirmed",
            summary: "What changed in the Japanese since this translation was confirmed",
            now: "Now",
            none: "No stale translations.",
        },
    }
}

/// The column of the Japanese the English was confirmed against: its fingerprint and where it was
/// found (「commit 1a2b3c4d of 2026-04-01」).
pub fn stale_then(lang: Lang, confirmed: &str, found: &str) -> String {
    match lang {
        Lang::Ja => format!("確認時（ja={confirmed}、{found}）"),
        Lang::En => format!("When confirmed (ja={confirmed}, {found})"),
    }
}

/// A stale section whose confirmed Japanese is not in the git history.
pub fn stale_not_found(lang: Lang, confirmed: &str, doc: &str, id: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "英訳を確認したときの日本語（ja={confirmed}）が、git の履歴（HEAD）に見つかりません。\
             英訳を今の日本語と照らし合わせてから、`policybook confirm {doc} {id}` を実行してください。"
        ),
        Lang::En => format!(
            "the Japanese text the English was confirmed against (ja={confirmed}) is not in the git history of HEAD: \
             compare the English with the Japanese now, then run `policybook confirm {doc} {id}`"
        ),
    }
}
