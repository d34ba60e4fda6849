//! Readable, stable ASCII ids from titles: a short English gloss of common policy words, kana
//! romanized, Latin words kept; a counter only when nothing of the title can be read.

use super::text::{fold, is_hiragana, is_kana, romanize};
use std::collections::BTreeSet;

/// Common words of security policies and rules, longest first where one contains another.
const GLOSS: &[(&str, &str)] = &[
    ("情報セキュリティ", "information-security"),
    ("基本方針", "basic-policy"),
    ("対策基準", "standards"),
    ("実施手順", "procedures"),
    ("情報資産", "information-assets"),
    ("情報システム", "information-system"),
    ("個人情報", "personal-information"),
    ("適用範囲", "scope"),
    ("遵守義務", "duties"),
    ("組織体制", "organization"),
    ("自己点検", "self-inspection"),
    ("業務委託", "outsourcing"),
    ("外部サービス", "external-services"),
    ("クラウドサービス", "cloud-services"),
    ("マイナンバー", "mynumber"),
    ("個人番号", "mynumber"),
    ("インターネット", "internet"),
    ("ネットワーク", "network"),
    ("アクセス制御", "access-control"),
    ("ポリシー", "policy"),
    ("セキュリティ", "security"),
    ("システム", "system"),
    ("通信経路", "network-route"),
    ("無害化", "sanitized"),
    ("強靱性", "resilience"),
    ("機密性", "confidentiality"),
    ("完全性", "integrity"),
    ("可用性", "availability"),
    ("物理的", "physical"),
    ("人的", "human"),
    ("技術的", "technical"),
    ("緊急時", "emergency"),
    ("委員会", "committee"),
    ("責任者", "officer"),
    ("管理者", "administrator"),
    ("序文", "preamble"),
    ("前文", "preamble"),
    ("総則", "general-provisions"),
    ("雑則", "miscellaneous"),
    ("附則", "supplementary-provisions"),
    ("別表", "appended-table"),
    ("目的", "purpose"),
    ("定義", "definitions"),
    ("対象", "target"),
    ("脅威", "threats"),
    ("範囲", "scope"),
    ("職員", "staff"),
    ("遵守", "compliance"),
    ("義務", "duties"),
    ("対策", "measures"),
    ("監査", "audit"),
    ("点検", "inspection"),
    ("実施", "implementation"),
    ("見直し", "review"),
    ("策定", "development"),
    ("組織", "organization"),
    ("体制", "structure"),
    ("資産", "assets"),
    ("分類", "classification"),
    ("管理", "management"),
    ("全体", "overall"),
    ("向上", "improvement"),
    ("運用", "operations"),
    ("委託", "outsourcing"),
    ("利用", "use"),
    ("評価", "evaluation"),
    ("接続系", "domain"),
    ("接続", "connection"),
    ("通信", "communication"),
    ("分割", "separation"),
    ("分離", "separation"),
    ("事務系", "domain"),
    ("事務", "affairs"),
    ("情報", "information"),
    ("設置", "establishment"),
    ("報告", "report"),
    ("教育", "training"),
    ("研修", "training"),
    ("対応", "response"),
    ("計画", "plan"),
    ("例外", "exceptions"),
    ("罰則", "penalties"),
    ("記録", "records"),
    ("媒体", "media"),
    ("台帳", "register"),
    ("保管", "storage"),
    ("廃棄", "disposal"),
    ("端末", "terminals"),
    ("機器", "equipment"),
    ("設備", "equipment"),
    ("施設", "facilities"),
    ("文書", "documents"),
    ("手順", "procedures"),
    ("基準", "standards"),
    ("方針", "policy"),
    ("基本", "basic"),
    ("規程", "rules"),
    ("要綱", "guidelines"),
    ("権限", "authority"),
    ("会議", "meeting"),
    ("所掌", "duties"),
    ("代理", "deputy"),
    ("指導", "guidance"),
];

/// The words of an id for a title: glossed words, romanized kana and Latin words, in order, at
/// most five. Kanji the gloss does not know are left out.
pub fn words(title: &str) -> Vec<String> {
    // A bracketed gloss (マイナンバー利用事務系（個人番号利用事務系）) repeats the title: left out.
    let title = fold(title);
    let title = match title.find('(') {
        Some(at) if at > 0 => title[..at].to_string(),
        _ => title,
    };
    let all_hiragana = title.chars().all(is_hiragana);
    let mut out: Vec<String> = Vec::new();
    let mut rest = title.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some((ja, en)) = GLOSS.iter().find(|(ja, _)| rest.starts_with(ja)) {
            out.extend(en.split('-').map(str::to_string));
            rest = &rest[ja.len()..];
        } else if c.is_ascii_alphanumeric() {
            let n = rest.chars().take_while(char::is_ascii_alphanumeric).count();
            out.push(rest[..n].to_ascii_lowercase());
            rest = &rest[n..];
        } else if is_kana(c) && (all_hiragana || !is_hiragana(c)) {
            // Katakana words are romanized; hiragana is grammar (とする, における) unless it is all.
            let n: usize =
                rest.chars().take_while(|k| is_kana(*k) && is_hiragana(*k) == is_hiragana(c)).map(char::len_utf8).sum();
            let r = romanize(&rest[..n]);
            if r.len() > 1 {
                out.push(r);
            }
            rest = &rest[n..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    out.dedup();
    out.truncate(5);
    out
}

/// Gives ids, unique within a document: `words` joined by hyphens, `-2`, `-3` on a repeat, and
/// `section-N` when the title gives nothing.
#[derive(Default)]
pub struct Ids {
    taken: BTreeSet<String>,
    counter: usize,
}

impl Ids {
    /// An id for a title, with a prefix (`def-` under 定義) when one is given.
    pub fn make(&mut self, title: &str, prefix: &str) -> (String, bool) {
        let w = words(title);
        let readable = !w.is_empty();
        let base = if readable {
            format!("{prefix}{}", w.join("-"))
        } else {
            self.counter += 1;
            format!("section-{}", self.counter)
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        (id, readable)
    }
}

/// A document id from a title or a file name: lowercase ASCII letters, digits and hyphens.
pub fn document_id(title: &str, file_stem: &str) -> String {
    let from_title = words(title).join("-");
    if !from_title.is_empty() {
        return from_title;
    }
    let s: String = file_stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "imported".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_give_readable_ids() {
        let mut ids = Ids::default();
        assert_eq!(ids.make("情報セキュリティ対策", "").0, "information-security-measures");
        assert_eq!(ids.make("LGWAN接続系", "def-").0, "def-lgwan-domain");
        assert_eq!(ids.make("目的", "").0, "purpose");
        assert_eq!(ids.make("目的", "").0, "purpose-2");
        assert_eq!(ids.make("ソーシャルメディア", "").0, "sosharumedeia");
        assert_eq!(ids.make("対象とする脅威", "").0, "target-threats");
        assert_eq!(ids.make("鑑", "").0, "section-1");
        assert_eq!(document_id("情報セキュリティ基本方針", "x"), "information-security-basic-policy");
    }
}
