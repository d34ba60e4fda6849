//! The one catalogue of messages: every diagnostic, error and summary line in English and
//! Japanese, keyed by `code` or `code.variant` (the public code is the part before the first `.`,
//! the same in both languages). Templates name their parameters: `{name}` inserts a value,
//! `{name:?}` quotes it ("purpose"); other braces are text (`{#id}`).
//!
//! Adding a diagnostic is one entry here and `Diagnostic::new("code", loc).arg(..)` at its site.
//! The tests below check that every entry has both languages with the same parameters, and that
//! every key used in `src/` is here.

use super::Severity;
use crate::config::Lang;

/// One message: severity (none for errors and summary lines), English and Japanese
/// `[message, hint]`.
pub struct Entry {
    pub key: &'static str,
    pub severity: Option<Severity>,
    pub en: [&'static str; 2],
    pub ja: [&'static str; 2],
}

impl Entry {
    pub fn text(&self, lang: Lang) -> [&'static str; 2] {
        match lang {
            Lang::En => self.en,
            Lang::Ja => self.ja,
        }
    }
}

/// The entry of `key`.
pub fn find(key: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.key == key)
}

/// The severity of a diagnostic key.
pub fn severity(key: &str) -> Option<Severity> {
    find(key).and_then(|e| e.severity)
}

/// The public code of a key: the part before the first `.`.
pub fn code(key: &'static str) -> &'static str {
    key.split('.').next().unwrap_or(key)
}

/// What a source is, in Japanese: "the working tree" → 作業中のファイル, "revision v1 (abc1234)" →
/// 版 v1 (abc1234). Sources name themselves in English ([`crate::source::Source::origin`]).
pub fn origin_ja(origin: &str) -> String {
    match origin.strip_prefix("revision ") {
        Some(rev) => format!("版 {rev}"),
        None if origin == "the working tree" => "作業中のファイル".into(),
        None => origin.into(),
    }
}

const fn e(key: &'static str, en: [&'static str; 2], ja: [&'static str; 2]) -> Entry {
    Entry { key, severity: Some(Severity::Error), en, ja }
}

const fn w(key: &'static str, en: [&'static str; 2], ja: [&'static str; 2]) -> Entry {
    Entry { key, severity: Some(Severity::Warning), en, ja }
}

/// Text that is not a diagnostic: an error of a layer, a summary or progress line.
const fn t(key: &'static str, en: [&'static str; 2], ja: [&'static str; 2]) -> Entry {
    Entry { key, severity: None, en, ja }
}

#[rustfmt::skip]
pub static ENTRIES: &[Entry] = &[
    t(super::message::RAW, ["{message}", "{hint}"], ["{message}", "{hint}"]),

    // Files and encodings (model/load.rs, model/markdown.rs)
    e("orphan-translation",
        ["{path} has no Japanese original {stem}.ja.md", "Japanese is authoritative: add the .ja.md file, or remove this translation"],
        ["{path} に対応する日本語の原文 {stem}.ja.md がありません", "日本語版が正文です。.ja.md のファイルを追加するか、この英訳を削除してください"]),
    w("ignored-file",
        ["{path} is not part of any document", "name documents <id>.ja.md and <id>.en.md"],
        ["{path} はどの文書にも属していません", "文書のファイル名は <id>.ja.md と <id>.en.md にしてください"]),
    e("missing-index",
        ["folder document {dir}/ has no index.ja.md", "a folder document needs index.ja.md (front matter) and chapter files NN-name.ja.md"],
        ["フォルダの文書 {dir}/ に index.ja.md がありません", "フォルダで作る文書には、index.ja.md（冒頭の文書情報）と章のファイル NN-名前.ja.md が必要です"]),
    e("parity-missing.chapter",
        ["{path} is missing: its Japanese chapter exists", "add the English chapter (headings may be marked .untranslated until it is translated)"],
        ["{path} がありません（日本語の章はあります）", "英訳の章を追加してください（英訳ができるまでは見出しに .untranslated を付けておけます）"]),
    e("encoding",
        ["{path} is not valid UTF-8: byte 0x{byte} here is not a character", "save the file as UTF-8 (without BOM); Shift_JIS and other encodings are not read"],
        ["{path} は UTF-8 で保存されていません（この位置のバイト 0x{byte} は文字になりません）", "ファイルを UTF-8（BOMなし）で保存し直してください。Shift_JIS などの文字コードは読めません"]),
    e("control-character",
        ["a control character U+{code} is not text", "delete it (an editor may show it as ^[ or a box); only tab and line ends may appear"],
        ["制御文字 U+{code} は文字として扱えません", "この文字を削除してください（エディタでは ^[ や四角で表示されることがあります）。使える制御文字はタブと改行だけです"]),
    e("control-character.more",
        ["a control character U+{code} is not text (and {more} more in this file)", "delete it (an editor may show it as ^[ or a box); only tab and line ends may appear"],
        ["制御文字 U+{code} は文字として扱えません（このファイルにはほかに {more} 個あります）", "この文字を削除してください（エディタでは ^[ や四角で表示されることがあります）。使える制御文字はタブと改行だけです"]),

    // Front matter and document metadata
    e("front-matter.unknown-key",
        ["{detail}", "check the spelling: the keys are listed in the README (source format)"],
        ["冒頭の文書情報（front matter）に誤りがあります：{detail}", "項目名のつづりを確かめてください。使える項目は README（原稿の書き方）に載っています"]),
    e("front-matter.yaml",
        ["{detail}", "see the front matter section of the README"],
        ["冒頭の文書情報（front matter）の書き方に誤りがあります：{detail}", "README の front matter の節を見て、書き方を直してください"]),
    e("front-matter.chapter",
        ["chapter files have no front matter", "move the metadata to the folder's index file"],
        ["章のファイルには冒頭の文書情報を書きません", "文書情報はフォルダの index ファイルに移してください"]),
    e("front-matter.unclosed",
        ["the front matter is not closed", "end the metadata with a line `---`"],
        ["冒頭の文書情報が閉じられていません", "文書情報の終わりに `---` だけの行を置いてください"]),
    e("front-matter.missing",
        ["the file does not start with YAML front matter", "start the file with a line `---`, the metadata, and another line `---`"],
        ["ファイルが冒頭の文書情報（front matter）で始まっていません", "ファイルの最初に `---` の行、文書情報、もう一つの `---` の行を置いてください"]),
    e("front-matter.id-file",
        ["id {id:?} does not match the file name {stem:?}", "the id must equal the file (or folder) name without .ja.md"],
        ["id「{id}」がファイル名「{stem}」と一致しません", "id は、ファイル名（またはフォルダ名）から .ja.md を除いたものと同じにしてください"]),
    e("front-matter.id-languages",
        ["id {id:?} differs from the Japanese file's {ja:?}", "both languages of a document have the same id"],
        ["id「{id}」が日本語版の「{ja}」と異なります", "一つの文書の日本語版と英訳には同じ id を書いてください"]),
    e("front-matter.history-date",
        ["history date {date:?} is not in the Japanese history", "English history entries only translate notes of Japanese entries, matched by date"],
        ["改定履歴の日付「{date}」が日本語版の履歴にありません", "英訳の改定履歴は、日本語版の履歴の注記を訳すものです。日付を日本語版と合わせてください"]),
    w("untranslated.document",
        ["document {id} has no English translation", "add {stem}.en.md; until then English editions show the Japanese text, marked"],
        ["文書 {id} に英訳がありません", "{stem}.en.md を追加してください。それまで英語の版には、その旨を示して日本語の本文を載せます"]),
    e("doc-id",
        ["document id {id:?} is not a valid id (it names the document's output files)", "use lowercase ASCII letters, digits and hyphens, starting with a letter or digit (e.g. basic-policy), and name the files after it"],
        ["文書の id「{id}」は使えません（id は出力するファイルの名前になります）", "半角の英小文字・数字・ハイフンで、英小文字か数字から始めてください（例：basic-policy）。ファイル名も id に合わせてください"]),
    e("id-duplicate.document",
        ["two documents have the id {id:?}", "document ids must be unique"],
        ["二つの文書が同じ id「{id}」を使っています", "文書の id は文書ごとに異なるものにしてください"]),
    e("unknown-level",
        ["classification {level:?} is not a level of book.toml", "use one of: {levels}"],
        ["機密性「{level}」は book.toml に定められた区分ではありません", "次のいずれかを書いてください：{levels}"]),
    e("bad-date",
        ["{date:?} is not a valid date", "write dates as YYYY-MM-DD, e.g. 2026-04-01"],
        ["「{date}」は正しい日付ではありません", "日付は YYYY-MM-DD の形で書いてください（例：2026-04-01）"]),
    e("bad-date.revision",
        ["revision={date:?} is not a valid date", "write the date of the history entry the 附則 enacts, e.g. revision=2027-03-31"],
        ["revision=「{date}」は正しい日付ではありません", "附則が施行する改定履歴の日付を書いてください（例：revision=2027-03-31）"]),
    w("history-order",
        ["the revision history is not in date order", "list revisions oldest first"],
        ["改定履歴が日付の順に並んでいません", "古い改定から順に並べてください"]),
    e("title-too-long",
        ["a document title of {n} characters (at most {max})", "shorten the title: the document's subject belongs in its text"],
        ["文書の題名が {n} 文字あります（上限は {max} 文字）", "題名を短くしてください。文書の趣旨は本文に書きます"]),
    e("title-too-long.heading",
        ["a heading of {n} characters (at most {max})", "shorten the heading and move the rest into the section's text"],
        ["見出しが {n} 文字あります（上限は {max} 文字）", "見出しを短くし、残りは節の本文に移してください"]),
    e("paragraph-too-long",
        ["a paragraph of {n} characters (at most {max})", "split it into paragraphs or list items (a blank line between them): no policy needs this length, and the PDF would take minutes to typeset it"],
        ["段落が {n} 文字あります（上限は {max} 文字）", "段落や箇条に分けてください（間に空行を入れます）。この長さの段落は PDF の組版に何分もかかります"]),

    // Headings, sections and ids
    e("orphan-text",
        ["text before the first heading of a chapter file", "start every chapter file with its heading"],
        ["章のファイルで、最初の見出しより前に本文があります", "章のファイルは見出しから書き始めてください"]),
    e("heading-skip",
        ["heading level jumps from {from} to {to}", "do not skip heading levels (use one more # than the parent section)"],
        ["見出しの階層が {from} から {to} へ飛んでいます", "見出しの階層を飛ばさないでください（親の節より # を一つだけ増やします）"]),
    e("heading-empty",
        ["a heading has no title", "write the section's title before its {#id}"],
        ["見出しに題名がありません", "{#id} の前に節の題名を書いてください"]),
    e("heading-id.missing",
        ["heading {title:?} has no id", "add a stable id in braces at the end of the heading, e.g. `## 目的 {#purpose}`"],
        ["見出し「{title}」に id がありません", "見出しの末尾に、変わらない id を波かっこで書いてください（例：`## 目的 {#purpose}`）"]),
    e("heading-id",
        ["id {id:?} is not a valid id", "use lowercase ASCII letters, digits and hyphens, e.g. {#access-control}"],
        ["id「{id}」は使えません", "半角の英小文字・数字・ハイフンで書いてください（例：{#access-control}）"]),
    e("id-duplicate",
        ["id {id:?} is already used at line {line}", "every section of a document needs its own id"],
        ["id「{id}」は {line} 行目ですでに使われています", "文書の中の節には、それぞれ別の id を付けてください"]),
    e("unknown-class",
        ["unknown heading class .{class}", "use .unnumbered, .term, .untranslated (English only), .inserted, .deleted, .supplementary, .appended-table, .form or a level: {levels}"],
        ["見出しのクラス .{class} は使えません", ".unnumbered、.term（用語の定義）、.untranslated（英訳のみ）、.inserted、.deleted、.supplementary、.appended-table、.form または機密性の区分（{levels}）を書いてください"]),
    e("unknown-class.attribute",
        ["unknown heading attribute {attr}=", "headings take an {#id}, classes and (附則) revision=DATE; ja=… is written by `policybook confirm` on English headings"],
        ["見出しの属性 {attr}= は使えません", "見出しに書けるのは {#id}、クラス、（附則の）revision=日付 です。英訳の見出しの ja=… は `policybook confirm` が書き込みます"]),
    e("heading-nested",
        ["a heading inside a list item or block quote", "headings start sections: put the heading at the start of a line, outside lists and quotes"],
        ["箇条書きや引用の中に見出しがあります", "見出しは節の始まりです。箇条書きや引用の外で、行の先頭に書いてください"]),

    // Structure and numbering (model/structure.rs, model/check.rs)
    e("numbering.class-needs-article",
        ["section {id:?}: .inserted, .deleted, .supplementary, .appended-table and .form belong to article-style documents", "set `numbering: article` in the front matter, or remove the class"],
        ["節「{id}」：.inserted、.deleted、.supplementary、.appended-table、.form は条建ての文書でだけ使えます", "冒頭の文書情報に `numbering: article` と書くか、このクラスを削除してください"]),
    e("numbering.after-appendix",
        ["section {id:?} stands after the 附則 or 別表", "the main provisions come first, then 附則, then 別表 and 様式"],
        ["節「{id}」が附則または別表の後ろにあります", "本則、附則、別表・様式の順に並べてください"]),
    e("numbering.revision-not-in-history",
        ["附則 {id:?} enacts the revision of {date}, which is not in the history", "add the revision (date, kind, instrument) to `history:` in the front matter, or fix revision="],
        ["附則「{id}」は {date} の改定を定めていますが、その改定が改定履歴にありません", "冒頭の文書情報の `history:` にその改定（日付、種類、改正文書）を加えるか、revision= を直してください"]),
    e("numbering.appendix-depth",
        ["附則, 別表 and 様式 stand at the top level ({id:?})", "use the shallowest heading level"],
        ["附則・別表・様式は最上位の階層に置きます（「{id}」）", "いちばん浅い見出しの階層にしてください"]),
    e("numbering.above-articles",
        ["section {id:?} is above the articles: only 章, 節 and 款 group articles", "articles are the deepest heading level; .inserted and .deleted mark articles only"],
        ["節「{id}」が条より上の階層にあります。条をまとめられるのは章・節・款だけです", "条はいちばん深い見出しの階層です。.inserted と .deleted は条にだけ付けます"]),
    e("numbering.empty-chapter",
        ["{id:?} is at the level of a 章 but holds no articles", "put the articles under it one heading level deeper, or move it to the level of the articles"],
        ["「{id}」は章の階層にありますが、条を含んでいません", "一つ深い見出しの階層で条を置くか、この見出しを条の階層に移してください"]),
    e("numbering.chapter-text",
        ["text under the 章 heading {id:?} belongs to no article", "move the text into an article"],
        ["章の見出し「{id}」の下の本文がどの条にも属していません", "本文を条の中に移してください"]),
    e("numbering.deleted-text",
        ["article {id:?} is repealed in place (.deleted) but has text", "a repealed article prints 「第N条　削除」 only: remove its text"],
        ["条「{id}」は削除（.deleted）とされていますが、本文があります", "削除した条は「第N条　削除」とだけ表示します。本文を削除してください"]),
    e("sequence.first-inserted",
        ["article {id:?} is marked .inserted but no article stands before it", "an inserted article takes the number of the one before it with a branch (第4条の2): remove .inserted"],
        ["条「{id}」に .inserted が付いていますが、前に条がありません", "追加した条は前の条の枝番号（第4条の2）になります。.inserted を削除してください"]),
    e("sequence.never-amended",
        ["article {id:?} is marked .inserted but the document has never been amended", "a document numbered fresh has no branch numbers: remove .inserted, or record the amendment in `history:`"],
        ["条「{id}」に .inserted が付いていますが、この文書は一度も改正されていません", "制定時の文書に枝番号はありません。.inserted を削除するか、改正を `history:` に記録してください"]),
    e("sequence.item-first",
        ["section {id:?}: the first item of a list is marked {.inserted}", "write {.inserted} only on an item that follows another, in an amended document"],
        ["節「{id}」：箇条書きの最初の項目に {.inserted} が付いています", "{.inserted} は、改正された文書で、ほかの項目に続く項目にだけ付けてください"]),
    e("sequence.item-never-amended",
        ["section {id:?}: an item is marked {.inserted} but the document has never been amended", "write {.inserted} only on an item that follows another, in an amended document"],
        ["節「{id}」：項目に {.inserted} が付いていますが、この文書は一度も改正されていません", "{.inserted} は、改正された文書で、ほかの項目に続く項目にだけ付けてください"]),
    w("sequence.no-supplementary",
        ["the revision of {date} has no 附則", "add `# 附則 {#id .supplementary revision={date}}` with its 施行期日"],
        ["{date} の改定に附則がありません", "`# 附則 {#id .supplementary revision={date}}` を施行期日とともに加えてください"]),
    w("typed-number",
        ["heading {title:?} starts with a typed number {n:?} ({lang})", "numbers are computed: remove it from the heading"],
        ["見出し「{title}」が手で書いた番号「{n}」で始まっています（{lang}）", "番号は自動で付きます。見出しから番号を削除してください"]),

    // Classified containers
    e("container-syntax",
        ["a `:::` line is part of a paragraph", "put a blank line before and after every `::: level` and `:::` line"],
        ["`:::` の行が段落の一部になっています", "`::: 区分` と `:::` の行の前後には、それぞれ空行を入れてください"]),
    e("container-syntax.in-list",
        ["a `:::` container inside a list or quote", "classify the whole list: put `::: level` before the list and `:::` after it"],
        ["箇条書きや引用の中に `:::` の囲みがあります", "箇条書き全体を囲んでください。箇条書きの前に `::: 区分`、後ろに `:::` を置きます"]),
    e("container-unclosed",
        ["a `:::` container is not closed before the next heading or the end of the file", "add a line `:::` (with blank lines around it) where the classified part ends"],
        ["`:::` の囲みが、次の見出しまたはファイルの終わりまでに閉じられていません", "機密性を付けた部分の終わりに `:::` の行を置いてください（前後に空行を入れます）"]),
    e("container-unclosed.nested",
        ["`::: {key}` opens a container inside the one opened at line {line}", "containers do not nest: close the first one with `:::` before opening another"],
        ["`::: {key}` が、{line} 行目で始まった囲みの中で新しい囲みを始めています", "囲みは入れ子にできません。次の囲みを始める前に、最初の囲みを `:::` で閉じてください"]),
    e("container-unclosed.stray",
        ["`:::` closes no container", "remove the stray `:::`, or open the container with `::: level` above it"],
        ["この `:::` で閉じる囲みがありません", "余分な `:::` を削除するか、上に `::: 区分` を書いて囲みを始めてください"]),
    e("unknown-level.container",
        ["`::: {key}`: {key:?} is not a classification level", "use one of: {levels}"],
        ["`::: {key}`：「{key}」は機密性の区分ではありません", "次のいずれかを書いてください：{levels}"]),
    e("classification-lower",
        ["section {id:?} is marked .{own} but stands in {parent} content", "a section can never be less classified than its parent or document: remove the class"],
        ["節「{id}」には .{own} が付いていますが、{parent} の部分の中にあります", "節の機密性を親の節や文書より低くすることはできません。このクラスを削除してください"]),
    e("classification-lower.container",
        ["container `::: {level}` is less classified than the section it is in ({section})", "a part can never be less classified than its section; remove the container or raise it"],
        ["囲み `::: {level}` の機密性が、それを含む節（{section}）より低くなっています", "節の一部の機密性を節より低くすることはできません。囲みを削除するか、区分を上げてください"]),
    e("nesting-depth",
        ["lists, quotes or emphasis nest more than {max} levels deep (a list counts {cost}, so at most {lists} nested lists)", "flatten the structure: policies never need this depth, and the PDF cannot hold it"],
        ["箇条書き・引用・強調の入れ子が {max} 段を超えています（箇条書きは 1 段で {cost} と数えるため、入れ子にできるのは {lists} 段までです）", "構成を浅くしてください。この深さは規程には不要で、PDF にも収まりません"]),
    e("html-comment",
        ["an HTML comment would be published as text", "raw HTML is shown as text, never hidden: remove private notes from the source, or put them in a `::: restricted` part"],
        ["HTML のコメントは本文としてそのまま公開されます", "HTML は隠されず文字のまま表示されます。内部向けのメモは原稿から削除するか、`::: restricted` の囲みに入れてください"]),

    // Bilingual parity and translation state
    e("parity-missing",
        ["section {id:?} ({title}) is missing from the English text", "add `{#{id}}` here, translated or marked .untranslated"],
        ["節「{id}」（{title}）が英訳にありません", "ここに `{#{id}}` の節を加えてください（訳すか、.untranslated を付けます）"]),
    e("parity-extra",
        ["section {id:?} is not in the Japanese text", "Japanese is authoritative: add the section there first, or fix the id"],
        ["節「{id}」が日本語版にありません", "日本語版が正文です。先に日本語版に節を加えるか、id を直してください"]),
    e("parity-order",
        ["section {id:?} is in a different order than in the Japanese text (expected {expected:?} here)", "English sections follow the Japanese order"],
        ["節「{id}」の順序が日本語版と異なります（ここには「{expected}」が来るはずです）", "英訳の節は日本語版と同じ順に並べてください"]),
    e("parity-level",
        ["section {id:?} is at heading level {en} here but {ja} in Japanese", "use the same heading level in both languages"],
        ["節「{id}」の見出しの階層が、ここでは {en}、日本語版では {ja} です", "日本語版と英訳で同じ見出しの階層にしてください"]),
    e("parity-class",
        ["section {id:?} has classes {en} here but {ja} in Japanese", "give the English heading the same classes (.unnumbered, .term, levels) as the Japanese one"],
        ["節「{id}」のクラスが、ここでは {en}、日本語版では {ja} です", "英訳の見出しに日本語版と同じクラス（.unnumbered、.term、機密性の区分）を付けてください"]),
    e("parity-container",
        ["section {id:?} has classified containers {en} here but {ja} in Japanese", "put the same `::: level` containers around the same content in both languages"],
        ["節「{id}」の機密性の囲みが、ここでは {en}、日本語版では {ja} です", "日本語版と英訳で、同じ内容を同じ `::: 区分` の囲みで囲んでください"]),
    e("parity-container.preamble",
        ["the text before the first heading has classified containers {en} here but {ja} in Japanese", "put the same `::: level` containers around the same content in both languages"],
        ["最初の見出しより前の本文の機密性の囲みが、ここでは {en}、日本語版では {ja} です", "日本語版と英訳で、同じ内容を同じ `::: 区分` の囲みで囲んでください"]),
    w("untranslated",
        ["section {id:?} is not translated yet", "translate it, remove .untranslated and run `policybook confirm`; English editions show the Japanese text, marked"],
        ["節「{id}」はまだ英訳されていません", "英訳して .untranslated を削除し、`policybook confirm` を実行してください。それまで英語の版には、その旨を示して日本語の本文を載せます"]),
    w("translation-stale",
        ["the Japanese text of section {id:?} changed after this translation was confirmed", "update the English text, then run `policybook confirm {doc} {id}`"],
        ["節「{id}」の日本語の本文が、英訳の確認後に変更されています", "英訳を直してから `policybook confirm {doc} {id}` を実行してください"]),
    w("translation-unconfirmed",
        ["the translation of section {id:?} was never confirmed", "check it against the Japanese, then run `policybook confirm {doc} {id}`"],
        ["節「{id}」の英訳はまだ確認されていません", "日本語版と突き合わせてから `policybook confirm {doc} {id}` を実行してください"]),

    // References and links
    e("ref-syntax",
        ["link target {url:?} is neither a web address nor a reference", "write [](#section-id), [](#article-id/2/3) (第2項第3号), [](document-id#section-id), [](document-id) or a full https:// address"],
        ["リンク先「{url}」は、ウェブのアドレスでも参照でもありません", "[](#節のid)、[](#条のid/2/3)（第2項第3号）、[](文書のid#節のid)、[](文書のid) または https:// から始まるアドレスを書いてください"]),
    e("ref-syntax.reference-link",
        ["reference-style links ([text][label] with a `[label]: url` definition) are not supported", "write the target inline: [text](https://…) or a cross-reference [](#section-id)"],
        ["[文字][ラベル] と `[ラベル]: URL` の形のリンクは使えません", "リンク先をその場に書いてください：[文字](https://…) または参照 [](#節のid)"]),
    e("url-too-long",
        ["a link target of {n} characters (at most {max})", "link to a shorter address (a page that holds the long one, or the site's search page): PDFs cannot hold URLs this long"],
        ["リンク先が {n} 文字あります（上限は {max} 文字）", "短いアドレス（長いアドレスを載せたページや、サイトの検索ページ）にリンクしてください。PDF にはこの長さのアドレスを収められません"]),
    e("ref-unresolved",
        ["reference to {name} does not resolve", "no section {id:?} in document {doc:?}: check the id (see `policybook outline {doc}`)"],
        ["参照先 {name} が見つかりません", "文書「{doc}」に節「{id}」がありません。id を確かめてください（`policybook outline {doc}` で一覧できます）"]),
    e("ref-unresolved.no-document",
        ["reference to {name} does not resolve", "no document {doc:?}: documents are {ids}"],
        ["参照先 {name} が見つかりません", "文書「{doc}」はありません。文書は次のとおりです：{ids}"]),
    e("ref-unresolved.no-unit",
        ["reference to {name} does not resolve", "{id:?} has no such 項 or 号 (steps are 項/号/細分, by number: {units})"],
        ["参照先 {name} が見つかりません", "「{id}」にその項・号はありません（項/号/細分の順に番号で書きます。あるのは {units} です）"]),
    e("ref-unresolved.not-article",
        ["reference to {name} does not resolve", "{id:?} is not an article or 附則: only those have 項 and 号"],
        ["参照先 {name} が見つかりません", "「{id}」は条でも附則でもありません。項・号があるのは条と附則だけです"]),
    e("ref-hidden",
        ["reference to {name} ({target}) stands in {level} content: it would be a dead link in the {edition} edition", "refer only to content at the same level or lower, or move the reference into a `::: {target}` part"],
        ["{name}（{target}）への参照が {level} の部分にあるため、{edition} 版ではリンク切れになります", "同じかより低い機密性の内容だけを参照するか、参照を `::: {target}` の囲みの中に移してください"]),
    w("ref-relative-stale",
        ["「{typed}」 names {named} from here, but the reference points to {label}", "if the target is right, {print}; if the text is right, point it to #{fix}"],
        ["「{typed}」はここからは{named}を指しますが、参照先は{label}です", "参照先が正しければ{print}。本文が正しければ参照先を #{fix} にしてください"]),
    w("ref-relative-stale.same",
        ["「{typed}」 refers back to a reference before it in the same 項 or 号, and there is none", "{print}"],
        ["「{typed}」は同じ項・号の前の参照を指しますが、前に参照がありません", "{print}"]),
    w("ref-relative-stale.nothing",
        ["「{typed}」 names nothing from where it stands", "{print}"],
        ["「{typed}」はこの位置からは何も指していません", "{print}"]),

    // Figures (model/figure.rs, model/markdown.rs)
    e("figure-syntax",
        ["the image {src} does not stand alone in its paragraph", "put `![alt text](path \"caption\")` on a line of its own, with blank lines around it (in a list, leave a blank line between items)"],
        ["画像 {src} が段落の中でほかの文字と並んでいます", "`![代替テキスト](パス \"説明\")` を単独の行に書き、前後に空行を入れてください（箇条書きの中では項目の間に空行を入れます）"]),
    e("figure-path",
        ["image path {src:?}: {problem}", "put the image in the source folder (e.g. figures/org-chart.png) and write its path relative to that folder"],
        ["画像のパス「{src}」：{problem}", "画像を原稿のフォルダに置き（例：figures/org-chart.png）、そのフォルダからの相対パスで書いてください"]),
    e("figure-format",
        ["{src}: images must be PNG, JPEG or SVG files", "convert the image to .png, .jpg or .svg"],
        ["{src}：画像は PNG、JPEG、SVG のいずれかにしてください", "画像を .png、.jpg、.svg のいずれかに変換してください"]),
    e("figure-format.content",
        ["{path} is not a {format} image", "save the image in the format its extension says"],
        ["{path} は {format} 形式の画像ではありません", "拡張子どおりの形式で画像を保存し直してください"]),
    e("figure-format.svg-link",
        ["{path} links to another file ({link}): a figure is one self-contained file", "embed the linked image in the SVG (a data: URL) or export it as PNG"],
        ["{path} がほかのファイル（{link}）を読み込んでいます。図は一つのファイルで完結させてください", "読み込んでいる画像を SVG に埋め込む（data: URL）か、PNG で書き出してください"]),
    e("figure-alt",
        ["the image {src} has no alt text", "say what the image shows between the brackets, e.g. ![組織図：CISOの下に情報政策課と各課を置く]({src})"],
        ["画像 {src} に代替テキストがありません", "画像が何を示すかを角かっこの中に書いてください（例：![組織図：CISOの下に情報政策課と各課を置く]({src})）"]),
    e("figure-missing",
        ["the image {path} does not exist in {origin}", "add the file, or correct the path (relative to the source folder, case matters)"],
        ["画像 {path} が{origin}にありません", "ファイルを追加するか、パスを直してください（原稿のフォルダからの相対パスで、大文字と小文字は区別されます）"]),
    e("figure-unreadable",
        ["{error}", "check the file's permissions"],
        ["画像を読めません：{error}", "ファイルの読み取り権限を確かめてください"]),
    e("figure-too-large",
        ["the image {path} is {mb} MB, over the limit of {max} MB", "reduce the image's resolution or compress it"],
        ["画像 {path} は {mb} MB あり、上限の {max} MB を超えています", "画像の解像度を下げるか、圧縮してください"]),
    t("figure-path.url", ["web addresses and drive letters are not allowed", ""], ["ウェブのアドレスやドライブ名は書けません", ""]),
    t("figure-path.absolute", ["absolute paths and backslashes are not allowed", ""], ["絶対パスや \\ は書けません", ""]),
    t("figure-path.outside", ["`..`, `.` and empty parts are not allowed: the image must be inside the source folder", ""], ["`..`、`.`、空の部分は書けません。画像は原稿のフォルダの中に置いてください", ""]),

    // Summary and progress lines of the command line (cli/)
    t("cli.summary", ["{errors} error(s), {warnings} warning(s)", ""], ["エラー {errors} 件、警告 {warnings} 件", ""]),
    t("cli.ok", ["ok: {n} documents, no problems", ""], ["問題はありません（文書 {n} 件）", ""]),
    t("cli.confirm-none", ["nothing to confirm in {doc}: every translation is current", ""], ["{doc} に確認の必要な英訳はありません。どの英訳も最新です", ""]),
    t("cli.confirmed", ["confirmed {n} section(s) of {doc}: {ids}", ""], ["{doc} の {n} 節の英訳を確認済みにしました：{ids}", ""]),
    t("cli.created", ["created {dir}: try `policybook -C {dir} check`", ""], ["{dir} を作成しました。`policybook -C {dir} check` で点検してみてください", ""]),
    t("cli.no-release-tags", ["note: no [history] release-tags in book.toml: showing front matter only", ""], ["注：book.toml に [history] release-tags がないため、冒頭の文書情報にある改定履歴だけを表示します", ""]),
    t("cli.note", ["note: {text}", ""], ["注：{text}", ""]),
    t("cli.warning", ["warning: {text}", ""], ["警告：{text}", ""]),
    t("cli.error", ["error: {text}", ""], ["エラー：{text}", ""]),
    t("cli.diff-rejected", ["error: {origin} has {errors} error(s): no comparison is made", "see `{check}`"], ["エラー：{origin}に {errors} 件のエラーがあるため、比較しません", "`{check}` でエラーの内容を確かめてください"]),
    t("cli.wrote-in", ["wrote {path} in {secs} s", ""], ["{path} を書き出しました（{secs} 秒）", ""]),
    t("cli.built-editions", ["wrote {editions} edition(s) to {dest} ({html} HTML files, {pdf} PDFs) in {secs} s", ""], ["{editions} 版を {dest} に書き出しました（HTML {html} ファイル、PDF {pdf} ファイル、{secs} 秒）", ""]),
    t("cli.stage-check", ["checking both revisions", ""], ["両方の版を点検しています", ""]),
    t("cli.stage-compare", ["comparing", ""], ["比較しています", ""]),
    t("cli.stage-render", ["rendering the table", ""], ["対照表を作っています", ""]),
    t("cli.stage-import", ["importing {file}", ""], ["{file} を取り込んでいます", ""]),
    t("cli.stage-read", ["reading the sources", ""], ["原稿を読み込んでいます", ""]),
    t("cli.stage-export", ["writing the XLIFF file", ""], ["XLIFF ファイルを書き出しています", ""]),
    t("cli.copies", ["wrote {dest} ({count} registered copies for {recipient}, serials {first} to {last}; register {register})", ""], ["{dest} を書き出しました（{recipient} 宛ての登録済みの写し {count} 部、番号 {first}〜{last}、配付台帳 {register}）", ""]),
    t("cli.archived", ["{edition}: {files} archived files from releases {pattern}", ""], ["{edition}：公開済みの版（タグ {pattern}）のファイル {files} 個を収めました", ""]),
    t("cli.build-stopped", ["build stopped: fix the errors above (the previous output is unchanged)", ""], ["作成を中止しました。上のエラーを直してください（前回の出力はそのまま残っています）", ""]),
    t("cli.built", ["built in {secs} s", ""], ["作成しました（{secs} 秒）", ""]),
    t("cli.emit-not-pdf", ["--emit-typst writes the Typst inputs of the PDF comparison", "leave out --format, or give --format pdf"], ["--emit-typst は PDF の新旧対照表の Typst 入力を書き出します", "--format を外すか、--format pdf を指定してください"]),
    t("cli.pdf-to-terminal", ["a PDF is not for the terminal", "pass -o FILE.pdf"], ["PDF は画面には表示できません", "-o ファイル名.pdf で書き出し先を指定してください"]),
    t("cli.stdout", ["{error}", ""], ["出力できません：{error}", ""]),
    t("help.index", ["Topics on the source format (policybook help TOPIC):", ""], ["原稿の書き方の説明（policybook help 項目名 で表示します）：", ""]),
    t("help.commands", ["The commands and their options: policybook --help, policybook COMMAND --help", ""], ["コマンドとオプションの一覧（英語）：policybook --help、policybook コマンド名 --help", ""]),
    t("help.unknown", ["no help topic {name:?}", "topics are {known}; the commands are described by policybook --help"], ["説明の項目「{name}」はありません", "項目は {known} です。コマンドの説明は policybook --help で表示します"]),

    // Errors of the layers (source, config, book): printed once by the CLI, exit code 2
    t("located", ["{at}: {message}", "{hint}"], ["{at}: {message}", "{hint}"]),
    t("io-write", ["{path}: {error}", ""], ["{path} の読み書きに失敗しました：{error}", ""]),
    t("source-not-found", ["{path}: not found in {origin}", ""], ["{path} が{origin}にありません", ""]),
    t("source-unreadable", ["{path}: cannot be read from {origin}: {detail}", ""], ["{path} を{origin}から読めません：{detail}", ""]),
    t("git-not-a-repository",
        ["{dir} is not inside a git repository ({detail})", "--rev and diff read the project's history from git: run `git init` and commit the project, or run policybook inside a clone"],
        ["{dir} は版の履歴（git）で管理されていません（{detail}）", "--rev と diff は、記録された版の履歴を読みます。このフォルダで使うには、管理者に履歴の管理（`git init` とコミット）を依頼するか、履歴のある複製の中で policybook を実行してください"]),
    t("git-unknown-revision",
        ["unknown revision {rev:?} ({detail})", "check the name with `git log --oneline` or `git tag`; in a shallow clone older commits are missing: run `git fetch --unshallow`"],
        ["この版（{rev}）が見つかりません（{detail}）", "版の名前（タグ名。例：policy-2026）を確かめてください。公開した版の名前は `policybook history` で一覧できます。名前が正しいのに見つからない場合は、履歴の一部だけを取得した複製かもしれません。管理者に `git fetch --unshallow` の実行を依頼してください"]),
    t("git-unknown-revision.shallow",
        ["unknown revision {rev:?} ({detail})", "check the name with `git log --oneline` or `git tag`\n  this is a shallow clone, so older commits are missing: run `git fetch --unshallow` (in CI: fetch-depth: 0)"],
        ["この版（{rev}）が見つかりません（{detail}）", "版の名前（タグ名。例：policy-2026）を確かめてください。公開した版の名前は `policybook history` で一覧できます。\n  この複製は履歴の一部だけを取得しているため、古い版が欠けています。管理者に `git fetch --unshallow` の実行を依頼してください（CI では fetch-depth: 0 を指定します）"]),
    t("git-outside", ["the project folder {dir} is outside the working tree of the repository {repo}", ""], ["プロジェクトのフォルダ {dir} が、版の履歴を管理するフォルダ {repo} の外にあります", ""]),
    t("git-no-project",
        ["revision {rev} has no project folder {prefix:?}", "the project did not exist yet in that revision, or was in another folder"],
        ["版 {rev} にプロジェクトのフォルダ「{prefix}」がありません", "その版の時点ではプロジェクトがまだなかったか、別のフォルダにありました。版の名前を確かめてください"]),
    t("git-tag-skipped.blob",
        ["tag {name} names a blob (a file), not a commit: it is no release and is skipped (`git tag -d {name}` removes it)", ""],
        ["タグ {name} はコミットではなくファイルを指しているため、公開した版として扱わず飛ばします（`git tag -d {name}` で削除できます）", ""]),
    t("git-tag-skipped.tree",
        ["tag {name} names a tree (a folder), not a commit: it is no release and is skipped (`git tag -d {name}` removes it)", ""],
        ["タグ {name} はコミットではなくフォルダを指しているため、公開した版として扱わず飛ばします（`git tag -d {name}` で削除できます）", ""]),
    t("git-other", ["git: {detail}", ""], ["版の履歴（git）を読めません：{detail}", ""]),
    t("open-no-project",
        ["no book.toml in {dir}", "run policybook in the project folder, pass -C DIR, or create a project with `policybook init DIR`"],
        ["{dir} に book.toml がありません", "プロジェクトのフォルダで policybook を実行するか、-C フォルダ名 でフォルダを指定してください。新しく作るときは `policybook init フォルダ名` を実行します"]),
    t("open-no-project-at", ["no book.toml in {dir} of {origin}", ""], ["{origin}の {dir} に book.toml がありません", ""]),
    t("no-document", ["no document {id:?} (documents: {known})", ""], ["文書「{id}」はありません（文書：{known}）", ""]),
    t("unknown-edition", ["no edition named {name:?} in book.toml (editions: {known})", ""], ["book.toml に版「{name}」はありません（版：{known}）", ""]),
    t("unknown-edition.at", ["no edition named {name:?} in book.toml (editions: {known}) ({origin})", ""], ["{origin}の book.toml に版「{name}」はありません（版：{known}）", ""]),
    t("confirm-no-section", ["document {doc:?} has no section {id:?}", ""], ["文書「{doc}」に節「{id}」はありません", ""]),
    t("confirm-untranslated", ["section {id:?} has no English text to confirm (it is untranslated)", ""], ["節「{id}」には確認する英訳がありません（まだ英訳されていません）", ""]),
    t("confirm-no-document", ["no document {doc:?}", ""], ["文書「{doc}」はありません", ""]),
    t("init-not-empty", ["{dir} exists and is not empty", "choose a new folder"], ["{dir} はすでにあり、空ではありません", "新しいフォルダを指定してください"]),
    t("output-locked",
        ["{dir}: another policybook build is writing to this output folder", "wait for it to finish, then build again; nothing was written"],
        ["{dir}：ほかの policybook がこの出力フォルダに書き出している最中です", "終わるのを待ってから、もう一度作成してください。今回は何も書き出していません"]),
    t("output-not-ours",
        ["{dir}: this folder was not made by policybook (it has no {stamp} file), so the build does not replace it", "choose another output folder with -o, or move this one away; a folder made by a policybook older than the stamp has none either: remove it and build again"],
        ["{dir}：このフォルダは policybook が作ったものではない（{stamp} ファイルがない）ため、置き換えません", "-o で別の出力フォルダを指定するか、このフォルダを移してください。古い policybook が作ったフォルダにも {stamp} はありません。その場合は削除してから作成し直してください"]),
    t("copies-not-pdf", ["--recipient applies to PDF only", "use --format pdf (or no --format)"], ["--recipient（配付先）は PDF にだけ使えます", "--format pdf を指定するか、--format を省いてください"]),
    t("copies-one-edition", ["--recipient needs exactly one --edition", "e.g. --edition restricted --recipient NAME"], ["--recipient には --edition を一つだけ指定してください", "例：--edition restricted --recipient 配付先の名前"]),
    t("copies-unknown-edition", ["no edition named {name:?} in book.toml", ""], ["book.toml に版「{name}」はありません", ""]),
    t("copies-lowest",
        ["--recipient is for internal and restricted editions: the {name} edition holds only content of the lowest level, and its copies are not registered", "build it without --recipient, or name an internal or restricted edition"],
        ["--recipient は内部向けと限定の版に使います。{name} 版には最も低い機密性の内容しかないため、写しを登録しません", "--recipient を付けずに作成するか、内部向けまたは限定の版を指定してください"]),
    t("copies-no-pdf", ["the {name} edition has no PDF format in book.toml, so it has no copies to register", ""], ["book.toml で {name} 版に PDF の形式がないため、登録する写しがありません", ""]),
    t("copies-no-name", ["--recipient needs a name", ""], ["--recipient に配付先の名前を指定してください", ""]),
    t("copies-no-register", ["book.toml sets no distribution register", "add register = \"output/distribution-register.csv\" under [pdf]"], ["book.toml に配付台帳が設定されていません", "[pdf] に register = \"output/distribution-register.csv\" を加えてください"]),
    t("copies-lock", ["{path}: the register's lock cannot be taken: {error}", "no copy was made"], ["{path}：配付台帳をロックできません：{error}", "写しは作成していません"]),
    t("copies-locked",
        ["{path}: another policybook run has been registering copies for a minute and still holds this lock", "wait for it to finish and try again (a run that has ended, even killed, holds no lock); no copy was made"],
        ["{path}：ほかの policybook が 1 分以上写しを登録していて、配付台帳をロックしたままです", "終わるのを待ってからやり直してください（終了した実行は、強制終了したものも含めてロックを持ちません）。写しは作成していません"]),
    t("copies-inside-output",
        ["{register}: the distribution register lies inside the built folder {folder}, which every build replaces whole (and an HTML folder is published)", "build the copies into another folder with -o, or move the register (book.toml [pdf] register); no copy was made"],
        ["{register}：配付台帳が出力フォルダ {folder} の中にあります。このフォルダは作成のたびに丸ごと置き換わります（HTML のフォルダは公開もされます）", "-o で別のフォルダに写しを作成するか、配付台帳を移してください（book.toml の [pdf] register）。写しは作成していません"]),
    t("copies-read", ["{path}: the distribution register cannot be read: {error}", ""], ["{path}：配付台帳を読めません：{error}", ""]),
    t("copies-write", ["{path}: the distribution register cannot be written: {error}", "no copy was made"], ["{path}：配付台帳に書き込めません：{error}", "写しは作成していません"]),
    t("register-header",
        ["{path}: the distribution register does not start with the header line {header:?}", "fix or move the file; policybook creates a new register when none exists"],
        ["{path}：配付台帳が見出し行「{header}」で始まっていません", "ファイルを直すか移してください。配付台帳がなければ policybook が新しく作ります"]),
    t("build-edition", ["edition {edition}: {error}", ""], ["{edition} 版：{error}", ""]),
    t("build-no-release-tags", ["--all-releases needs the tags that mark releases", "set [history] release-tags = \"policy-*\" in book.toml"], ["--all-releases には、公開した版を示すタグの指定が必要です", "book.toml の [history] に release-tags = \"policy-*\" を書いてください"]),
    t("release", ["release {tag}: {detail}", ""], ["公開済みの版 {tag}：{detail}", ""]),
    t("diff-edition-mismatch", ["cannot compare edition {old:?} with edition {new:?}", "a 新旧対照表 compares the same edition of two revisions"], ["版「{old}」と版「{new}」は比較できません", "新旧対照表は、同じ版の二つの時点を比べるものです"]),
    t("diff-no-document", ["no document {id:?} in edition {edition} of either revision (documents: {known})", ""], ["どちらの時点の {edition} 版にも文書「{id}」はありません（文書：{known}）", ""]),
    t("pdf-glyph",
        ["{at}: no font has a glyph for {ch} (U+{code})", "fonts available: {families}; replace the character, or add a font that has it to the folder set by [pdf] fonts in book.toml"],
        ["{at}: 文字{ch}（U+{code}）を表示できるフォントがありません", "使えるフォント：{families}。この文字を置き換えるか、この文字を含むフォントを book.toml の [pdf] fonts で指定したフォルダに加えてください"]),
    t("pdf-unbreakable",
        ["{at}: a word of {len} characters without a space cannot be laid out in a PDF", "break it with spaces or shorten it (PDF/A allows text runs of at most 32,767 bytes)"],
        ["{at}: 空白のない {len} 文字の語は PDF に組めません", "空白で区切るか、短くしてください（PDF/A の一続きの文字列は 32,767 バイトまでです）"]),
    t("pdf-recipient-glyph",
        ["the recipient name: no font has a glyph for {ch} (U+{code})", "write the name with characters of the shipped fonts, or add a font with [pdf] fonts in book.toml"],
        ["配付先の名前：文字{ch}（U+{code}）を表示できるフォントがありません", "同梱のフォントにある文字で名前を書くか、book.toml の [pdf] fonts でフォントを加えてください"]),
    t("pdf-typeset", ["{doc} ({lang}), {template}: {error}", ""], ["{doc}（{lang}）のテンプレート {template}：{error}", ""]),
    t("diff-pdf", ["the 新旧対照表 PDF: {error}", ""], ["新旧対照表の PDF：{error}", ""]),
    t("diff-pdf-glyph",
        ["no font has a glyph for {ch} (U+{code}), in the 新旧対照表 of {doc}", "replace the character, or add a font that has it to the folder set by [pdf] fonts in book.toml"],
        ["{doc} の新旧対照表で、文字{ch}（U+{code}）を表示できるフォントがありません", "この文字を置き換えるか、この文字を含むフォントを book.toml の [pdf] fonts で指定したフォルダに加えてください"]),
    t("typeset-template", ["the Typst template failed: {detail}", ""], ["PDF のテンプレートでエラーが起きました：{detail}", ""]),
    t("typeset-export", ["PDF export failed: {detail}", ""], ["PDF を書き出せませんでした：{detail}", ""]),
    t("typeset-font",
        ["the font file {name} cannot be read as a font", "use TrueType (.ttf), OpenType (.otf) or collection (.ttc) files"],
        ["フォントのファイル {name} をフォントとして読めません", "TrueType（.ttf）、OpenType（.otf）またはコレクション（.ttc）のファイルを使ってください"]),
    t("typeset-date", ["invalid document date {date}", ""], ["文書の日付 {date} が正しくありません", ""]),
    t("typeset-worker",
        ["the process typesetting the PDF ended without a result ({detail})", "the machine may lack memory: build again with fewer jobs (--jobs 1)"],
        ["PDF を組版するプロセスが結果を返さずに終了しました（{detail}）", "メモリーが足りない可能性があります。ジョブ数を減らして（--jobs 1）もう一度ビルドしてください"]),
    t("asset-template", ["{error}", "project templates must be readable UTF-8 files"], ["テンプレートを読めません：{error}", "プロジェクトのテンプレートは、読み取れる UTF-8 のファイルにしてください"]),
    t("html-template.syntax",
        ["template templates/html/{name}: {detail}", "fix the template syntax (tera 2), or delete the file to use the default"],
        ["テンプレート templates/html/{name}：{detail}", "テンプレートの書き方（tera 2）を直すか、ファイルを削除して既定のテンプレートを使ってください"]),
    t("html-template.render",
        ["template templates/html/{name}: {detail}", "a project template may only use the variables of the shipped template of the same name"],
        ["テンプレート templates/html/{name}：{detail}", "プロジェクトのテンプレートで使える変数は、同じ名前の同梱テンプレートにある変数だけです"]),
    t("html-search-index", ["search index: {detail}", ""], ["検索索引を作れません：{detail}", ""]),

    // book.toml (config.rs): printed at the place in book.toml
    t("book-toml", ["{detail}", "see the book.toml section of the README for the keys each table takes"], ["book.toml の書き方に誤りがあります：{detail}", "README の book.toml の節で、各表に書ける項目を確かめてください"]),
    t("book-toml.language", ["only Japanese (ja) with an English (en) translation is supported", "set language = \"ja\" and translation = \"en\""], ["日本語（ja）を正文、英語（en）を英訳とする構成だけに対応しています", "language = \"ja\"、translation = \"en\" と書いてください"]),
    t("book-toml.levels", ["the classification scheme needs between 1 and 32 levels", "add [[classification.level]] tables, least classified first"], ["機密性の区分は 1 個から 32 個までにしてください", "[[classification.level]] の表を、機密性の低いものから順に書いてください"]),
    t("book-toml.level-key", ["level key {key:?} is not a valid key", "use lowercase ASCII letters, digits and hyphens, starting with a letter"], ["区分の名前「{key}」は使えません", "半角の英小文字・数字・ハイフンで、英小文字から始めてください"]),
    t("book-toml.level-twice", ["level {key:?} is defined twice", "each level key must be unique"], ["区分「{key}」が二度定義されています", "区分の名前はそれぞれ別のものにしてください"]),
    t("book-toml.kind", ["revision kind {kind:?} in [history.kinds] sets no wording", "give `ja`, `en` or both, e.g. \"一部改正\" = { en = \"Partial amendment\" }"], ["[history.kinds] の改定の種類「{kind}」に表記がありません", "`ja`、`en` またはその両方を書いてください（例：\"一部改正\" = { en = \"Partial amendment\" }）"]),
    t("book-toml.ceiling", ["edition {name:?} has unknown ceiling level {level:?}", "use one of: {levels}"], ["版「{name}」の上限の区分「{level}」が定義されていません", "次のいずれかを書いてください：{levels}"]),
    t("book-toml.edition-name", ["edition name {name:?} is not a valid name", "use lowercase ASCII letters, digits and hyphens"], ["版の名前「{name}」は使えません", "半角の英小文字・数字・ハイフンで書いてください"]),
    t("book-toml.edition-empty", ["edition {name:?} has no languages or no formats", "omit the key to get both languages and both formats"], ["版「{name}」に言語または形式が一つもありません", "その項目を省けば、両方の言語と両方の形式になります"]),
    t("book-toml.twice", ["edition {name:?} lists {key} {value:?} twice", "list each once, e.g. {key} = {example}"], ["版「{name}」の {key} に「{value}」が二度書かれています", "一度ずつ書いてください（例：{key} = {example}）"]),
    t("book-toml.register-lock",
        ["the distribution register {register:?} would be its own lock file (the register's name with .lock)", "name it with another extension, e.g. register = \"output/distribution-register.csv\""],
        ["配付台帳「{register}」が、自身のロックファイル（台帳の名前に .lock を付けたもの）と同じ名前になります", "別の拡張子の名前にしてください（例：register = \"output/distribution-register.csv\"）"]),
    t("book-toml.register-inside",
        ["the distribution register {register:?} lies inside the built folder {folder:?}, which every build replaces whole (and an HTML folder is published)", "keep it outside <output>/<edition>/html, pdf and copies, e.g. register = \"output/distribution-register.csv\""],
        ["配付台帳「{register}」が出力フォルダ「{folder}」の中にあります。このフォルダは作成のたびに丸ごと置き換わります（HTML のフォルダは公開もされます）", "<output>/<版>/html、pdf、copies の外に置いてください（例：register = \"output/distribution-register.csv\"）"]),

    // Input-method slips (model/ime.rs)
    e("ime-heading",
        ["a heading mark typed in full width or without a half-width space after it (＃, #　, #目的): this line is text, not a heading", "write the mark in half width with a half-width space after it: `{fix}` (`policybook fix` does it)"],
        ["見出しの記号が全角か、後に半角スペースがありません（＃、#　、#目的）。この行は見出しにならず、本文になります", "記号を半角にし、後に半角スペースを置いて `{fix}` と書いてください（`policybook fix` で直せます）"]),
    e("ime-heading-id",
        ["the heading's `{#id}` is typed with full-width characters: the section has no id", "write it in half width: `{fix}` (`policybook fix` does it)"],
        ["見出しの `{#id}` に全角文字があります。節の id が読み取れません", "半角で `{fix}` と書いてください（`policybook fix` で直せます）"]),
    w("ime-heading-space",
        ["a 全角スペース before the heading's `{#id}` is printed as part of the title", "type a half-width space before `{`: `{fix}` (`policybook fix` does it)"],
        ["見出しの `{#id}` の前の全角スペースが、見出しの一部として印刷されます", "`{` の前は半角スペースにしてください: `{fix}`（`policybook fix` で直せます）"]),
    e("ime-link",
        ["a link or reference typed with full-width brackets (［］（）): it is printed as text, not linked", "write it in half width: `{fix}` (`policybook fix` does it)"],
        ["リンク・参照の括弧が全角です（［］（））。参照にならず、括弧ごと文字として印刷されます", "半角で `{fix}` と書いてください（`policybook fix` で直せます）"]),
    e("ime-ref-hash",
        ["a full-width character (＃ or a letter) in the target of a reference: it does not resolve", "write the target in half width: `{fix}` (`policybook fix` does it)"],
        ["参照先に全角文字（＃ や英数字）があります。参照先が見つかりません", "参照先を半角で `{fix}` と書いてください（`policybook fix` で直せます）"]),
    w("ime-emphasis",
        ["emphasis typed with full-width ＊＊: the asterisks are printed and nothing is emphasized", "write `{fix}` (`policybook fix` does it)"],
        ["強調の ＊＊ が全角です。＊＊ がそのまま印刷され、強調されません", "`{fix}` と書いてください（`policybook fix` で直せます）"]),
    e("ime-container",
        ["a `:::` line typed with full-width characters: it is text, and the part it should classify is not classified", "write the line in half width: `{fix}` (`policybook fix` does it)"],
        ["`:::` の行に全角文字があります。区切りの行として読まれず、その部分に機密性が指定されません", "行を半角で `{fix}` と書いてください（`policybook fix` で直せます）"]),
    e("ime-table",
        ["a table line typed with full-width ｜, － or ：: the table is lost and its lines are printed as text", "write the table's marks in half width: `{fix}` (`policybook fix` does it)"],
        ["表の区切り（｜、－、：）が全角です。表にならず、行がそのまま文字として印刷されます", "表の記号を半角で `{fix}` と書いてください（`policybook fix` で直せます）"]),
    e("ime-list-marker",
        ["a list item typed with a full-width mark ({mark}): it is not an item of the list but text", "write the mark in half width with a half-width space after it: `{fix}`; the printed number is computed (`policybook fix` does it)"],
        ["箇条の記号が全角で入力されています（{mark}）。リストの項目にならず、本文になります", "記号を半角にし、後に半角スペースを置いて `{fix}` と書いてください。印刷される番号は自動で付きます（`policybook fix` で直せます）"]),
    w("ime-typed-number",
        ["a number typed at the start of a line ({mark}): it is printed as typed and never renumbered", "if this is an item, write it as a list item `1. ` (ア and （ア） as a list nested one level deeper) and delete the typed number: numbers are computed"],
        ["行頭に番号が入力されています（{mark}）。入力したとおりに印刷され、番号が付け直されません", "項目であれば `1. ` で始まるリストにし（ア・（ア）は一段下げた入れ子のリスト）、入力した番号は消してください。番号は自動で付きます"]),
    w("ime-indent",
        ["a 全角スペース typed to indent the paragraph: the layout indents by itself, so it would be indented twice", "delete the 全角スペース at the start of the line (`policybook fix` does it)"],
        ["段落の字下げに全角スペースが入力されています。字下げは自動で付くため、二重に下がります", "行頭の全角スペースを消してください（`policybook fix` で直せます）"]),
    w("ime-indent-joined",
        ["a 全角スペース at the start of a line inside a paragraph: this line is joined to the line above, not a new paragraph", "to start a new paragraph, leave a blank line before it and delete the 全角スペース; otherwise delete the 全角スペース"],
        ["段落の途中の行頭に全角スペースがあります。この行は前の行につながり、新しい段落になりません", "新しい段落にするなら前に空行を入れ、全角スペースを消してください。つなげるなら全角スペースだけを消してください"]),
    w("ime-blank-line",
        ["a line of 全角スペース only is not a blank line: it is text that joins or separates paragraphs unseen", "delete the spaces so that the line is empty (`policybook fix` does it)"],
        ["全角スペースだけの行は空行になりません。見えない文字として段落をつなげたり分けたりします", "スペースを消して空行にしてください（`policybook fix` で直せます）"]),

    // The termbase (model/terms.rs)
    e("term-file.yaml",
        ["{detail}", "terms.yaml is a list of entries: `- ja: 機密性` / `  en: confidentiality` (see the README, Termbase)"],
        ["用語集ファイル terms.yaml の書き方に誤りがあります：{detail}", "terms.yaml は項目の並びです（`- ja: 機密性` の次の行に `  en: confidentiality`）。README の「Termbase」を見てください"]),
    e("term-file",
        ["termbase entry {ja:?} has no {key}", "each entry needs `ja:` and `en:` (`en:` may be left out only for a term a `.term` section defines)"],
        ["用語集の項目「{ja}」に {key}: がありません", "各項目に `ja:` と `en:` を書いてください（`en:` を省けるのは、`.term` の節が定義する用語だけです）"]),
    e("unknown-level.term",
        ["unknown classification level {level:?} for the term {ja:?}", "use one of: {levels}"],
        ["用語「{ja}」の機密性の区分 {level} はありません", "次のいずれかを書いてください：{levels}"]),
    e("term-defined",
        ["`defined: {defined}` names no section", "write `defined: DOC#SECTION-ID` of the section that defines the term (see `policybook outline DOC`)"],
        ["`defined: {defined}` に当たる節がありません", "用語を定義する節を `defined: 文書ID#節ID` の形で書いてください（節の一覧は `policybook outline 文書ID` で見られます）"]),
    w("term-duplicate",
        ["the term 「{ja}」 is in the termbase twice (also at {first})", "keep one entry; to add a note or wrong variants to a `.term` section's term, leave out `en:`"],
        ["用語「{ja}」が用語集に二度あります（{first} にもあります）", "項目を一つにしてください。`.term` の節の用語に注記や誤訳例を加えるときは、`en:` を書かずに項目を作ってください"]),
    w("term-ambiguous",
        ["“{en}” stands for both 「{first}」 ({first_loc}) and 「{ja}」", "give each Japanese term its own English term"],
        ["英訳 “{en}” が「{first}」（{first_loc}）と「{ja}」の両方に使われています", "日本語の用語ごとに別の英訳を定めてください"]),
    w("term-wrong",
        ["section {place}: the English ({en_loc}) writes “{wrong}” for 「{ja}」 ({ja_loc})", "write “{term}”: “{wrong}” is listed as wrong for this project in the termbase"],
        ["節 {place}：英訳（{en_loc}）が「{ja}」（{ja_loc}）を “{wrong}” と訳しています", "“{term}” と訳してください（“{wrong}” はこのプロジェクトの用語集で誤りとされています）"]),
    w("term-missing",
        ["section {place} uses 「{ja}」 ({ja_loc}) but its English ({en_loc}) lacks “{term}”", "translate 「{ja}」 as “{term}” (the termbase's term)"],
        ["節 {place} は「{ja}」（{ja_loc}）を使っていますが、英訳（{en_loc}）に “{term}” がありません", "「{ja}」は用語集のとおり “{term}” と訳してください"]),

    // The prose check (model/prose/): every hint says how to keep the text as written
    w("prose-doubled",
        ["「{unit}」 is written twice: 「{unit}{unit}」", "delete one 「{unit}」; to keep it as written, put `<!-- policybook: allow prose-doubled -->` alone on the line before, or at the end of the text on its line"],
        ["「{unit}」が重複しています：「{unit}{unit}」", "「{unit}」を一つ削除してください。そのままにする場合は、前の行に `<!-- policybook: allow prose-doubled -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-doubled.en",
        ["«{b}» is written twice: «{a} {b}»", "delete one «{b}»; to keep it as written, put `<!-- policybook: allow prose-doubled -->` alone on the line before, or at the end of the text on its line"],
        ["«{b}» が二度続いています：«{a} {b}»", "«{b}» を一つ削除してください。そのままにする場合は、前の行に `<!-- policybook: allow prose-doubled -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-variant",
        ["「{form}」: this project also writes {others}", "write 「{preferred}」 throughout (公用文の表記; book.toml [check.variants] sets another preferred form); to keep it as written, put `<!-- policybook: allow prose-variant -->` alone on the line before, or at the end of the text on its line"],
        ["「{form}」：このプロジェクトでは {others} とも書かれています", "「{preferred}」に統一してください（公用文の表記。book.toml の [check.variants] で優先する表記を変えられます）。そのままにする場合は、前の行に `<!-- policybook: allow prose-variant -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-width",
        ["「{written}」 is also written 「{target}」 ({times} times)", "write 「{target}」; to keep it as written, put `<!-- policybook: allow prose-width -->` alone on the line before, or at the end of the text on its line"],
        ["「{written}」は「{target}」とも書かれています（{times}箇所）", "「{target}」に統一してください。そのままにする場合は、前の行に `<!-- policybook: allow prose-width -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-width.mixed",
        ["「{written}」 mixes full- and half-width characters", "write 「{target}」; to keep it as written, put `<!-- policybook: allow prose-width -->` alone on the line before, or at the end of the text on its line"],
        ["「{written}」は全角と半角が混在しています", "「{target}」と書いてください。そのままにする場合は、前の行に `<!-- policybook: allow prose-width -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-spaced",
        ["the letters of 「{word}」 are spaced out: 「{written}」", "write 「{word}」 without spaces; to keep it as written, put `<!-- policybook: allow prose-spaced -->` alone on the line before, or at the end of the text on its line"],
        ["「{word}」の文字の間に空白があります：「{written}」", "空白を入れずに「{word}」と書いてください。そのままにする場合は、前の行に `<!-- policybook: allow prose-spaced -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-halfwidth-kana",
        ["half-width katakana 「{written}」", "write it in full-width katakana: 「{wide}」; to keep it as written, put `<!-- policybook: allow prose-halfwidth-kana -->` alone on the line before, or at the end of the text on its line"],
        ["半角カタカナがあります：「{written}」", "全角カタカナで「{wide}」と書いてください。そのままにする場合は、前の行に `<!-- policybook: allow prose-halfwidth-kana -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-punctuation",
        ["doubled punctuation 「{marks}」", "keep one mark; to keep it as written, put `<!-- policybook: allow prose-punctuation -->` alone on the line before, or at the end of the text on its line"],
        ["句読点が重複しています：「{marks}」", "一つにしてください。そのままにする場合は、前の行に `<!-- policybook: allow prose-punctuation -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-bracket",
        ["「{open}」 is not closed in its paragraph", "add the missing 「{close}」, or delete this 「{open}」; to keep it as written, put `<!-- policybook: allow prose-bracket -->` alone on the line before, or at the end of the text on its line"],
        ["「{open}」が段落の中で閉じられていません", "対応する「{close}」を補うか、この「{open}」を削除してください。そのままにする場合は、前の行に `<!-- policybook: allow prose-bracket -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-bracket.close",
        ["「{close}」 closes no 「{open}」", "add the missing 「{open}」, or delete this 「{close}」; to keep it as written, put `<!-- policybook: allow prose-bracket -->` alone on the line before, or at the end of the text on its line"],
        ["「{close}」に対応する「{open}」がありません", "対応する「{open}」を補うか、この「{close}」を削除してください。そのままにする場合は、前の行に `<!-- policybook: allow prose-bracket -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-spaces",
        ["{n} spaces between words", "leave one space; to keep it as written, put `<!-- policybook: allow prose-spaces -->` alone on the line before, or at the end of the text on its line"],
        ["語の間に空白が {n} 個あります", "空白を一つにしてください。そのままにする場合は、前の行に `<!-- policybook: allow prose-spaces -->` だけを書くか、その行の本文の末尾に書いてください"]),
    w("prose-allow",
        ["`<!-- policybook: allow {code} -->` names no prose check", "use one of: {codes}"],
        ["`<!-- policybook: allow {code} -->` の {code} は文章チェックのコードではありません", "次のいずれかを書いてください：{codes}"]),
    t("book-toml.allow",
        ["[check] allow names {code:?}, which the prose check does not report", "use one of: {codes}"],
        ["[check] の allow にある「{code}」は、文章チェックのコードではありません", "次のいずれかを書いてください：{codes}"]),
    t("book-toml.variant-empty",
        ["an empty form in [check.variants]", "write each form as it stands in the text, e.g. \"ウイルス\" = [\"ウィルス\"]"],
        ["[check.variants] に空の表記があります", "表記は本文に書くとおりに書いてください（例：\"ウイルス\" = [\"ウィルス\"]）"]),
    t("book-toml.variant-twice",
        ["{form:?} is listed twice in [check.variants]", "each form belongs to one entry: the preferred form is the key, the others its list"],
        ["[check.variants] に「{form}」が二度書かれています", "一つの表記は一つの項目にだけ書いてください（優先する表記を左辺に、ほかの表記をその右の並びに）"]),

    // Fixing slips and renaming ids (book/fix.rs, book/rename.rs)
    t("fix-write", ["{path}: {error}", "check that the file can be written"], ["{path} に書き込めませんでした：{error}", "ファイルに書き込めるか（開いたままになっていないか、権限があるか）を確かめてください"]),
    t("rename-no-section", ["document {doc:?} has no section {id:?}", "`policybook outline {doc}` lists its ids"], ["文書「{doc}」に節「{id}」がありません", "`policybook outline {doc}` で節の id を一覧できます"]),
    t("rename-invalid-id", ["{id:?} is not a valid id", "use lowercase ASCII letters, digits and hyphens, e.g. access-control"], ["「{id}」は id に使えません", "半角の英小文字・数字・ハイフンで書いてください（例：access-control）"]),
    t("rename-taken", ["{at}: document {doc:?} already has a section {id:?}", "choose another id"], ["{at}：文書「{doc}」には既に節「{id}」があります", "別の id を選んでください"]),
    t("rename-not-found", ["{at}: the {what} to {id:?} is not where the model says", "nothing was changed; save the file and run the command again"], ["{at}：「{id}」への{what}が、読み込んだ位置にありません", "何も変更していません。ファイルを保存してから、もう一度実行してください"]),
    t("rename-reload", ["the renamed project does not load: {error}", "nothing was changed"], ["id を変えた後の原稿が読み込めません：{error}", "何も変更していません"]),

    // Summary lines of fix and rename-id (cli/)
    t("cli.rename-stopped", ["rename-id stopped: fix the errors above first (nothing was changed)", ""], ["id の変更を中止しました。先に上の誤りを直してください（何も変更していません）", ""]),
    t("cli.renamed", ["renamed {doc}#{old} to {new}: {changes} change(s) in {files} file(s)", ""], ["{doc}#{old} を {new} に変更しました：{files} ファイルの {changes} 箇所", ""]),
    t("cli.fix-nothing", ["nothing to fix", ""], ["直すところはありません", ""]),
    t("cli.fix-nothing-safe", ["nothing to fix safely; {left} slip(s) above need you", ""], ["自動で直せるところはありません。上の {left} 件は手で直してください", ""]),
    t("cli.fixed", ["fixed {lines} line(s) in {files} file(s)", ""], ["{files} ファイルの {lines} 行を直しました", ""]),
    t("cli.fix-would", ["would fix {lines} line(s) in {files} file(s)", ""], ["{files} ファイルの {lines} 行を直せます（--dry-run のため書き込んでいません）", ""]),
    t("cli.fixed-left", ["fixed {lines} line(s) in {files} file(s); {left} slip(s) above need you", ""], ["{files} ファイルの {lines} 行を直しました。上の {left} 件は手で直してください", ""]),
    t("cli.fix-would-left", ["would fix {lines} line(s) in {files} file(s); {left} slip(s) above need you", ""], ["{files} ファイルの {lines} 行を直せます（--dry-run のため書き込んでいません）。上の {left} 件は手で直してください", ""]),

    // Import (import/, book/import.rs, cli/)
    w("import-sequence",
        ["number {n} follows {prev}", "check the numbers in the original; policybook numbers again"],
        ["番号 {n} が {prev} の次にあります", "原文の番号を確かめてください（policybook は番号を付け直します）"]),
    w("import-sequence.paragraph",
        ["項 {n} follows 項 {prev}", "check the numbers in the original"],
        ["第{n}項が第{prev}項の次にあります", "原文の項の番号を確かめてください"]),
    w("import-reference",
        ["「{text}」 names no numbered section of this document: left as text", "make it a reference `[](#id)` if it names a section"],
        ["「{text}」に当たる番号の節がこの文書にないため、文字のまま残しました", "節を指しているなら、参照 `[](#id)` にしてください"]),
    w("import-reference.article",
        ["「{text}」 names no article of this rule: left as text", "if it cites another instrument, name it (法第5条); else check the number"],
        ["「{text}」に当たる条がこの例規にないため、文字のまま残しました", "ほかの法令を指しているなら法令名を書き（法第5条など）、そうでなければ番号を確かめてください"]),
    w("import-ambiguous",
        ["this line may continue the sentence before it (cut by a page break): kept as a new paragraph", "if it continues the sentence, join the two lines in the imported document"],
        ["この行は、改ページで切れた前の文の続きかもしれません（別の段落として残しました）", "前の文の続きであれば、取り込んだ文書で 2 行をつないでください"]),
    w("import-caption",
        ["an article without 見出し", "add its 見出し as the heading's title"],
        ["見出しのない条です", "条の見出しを、見出し行の題名として書いてください"]),
    w("import-date",
        ["no revision line (「令和8年4月1日 改定」) before the text: the effective date is left for you", "write the date the original states as `effective:` (and `history:`) in the front matter"],
        ["本文の前に改定日の行（「令和8年4月1日 改定」など）がないため、施行日を空欄にしました", "原文にある日付を、冒頭の文書情報の `effective:`（と `history:`）に書いてください"]),
    w("import-kind",
        ["the revision line names no kind: {kind} assumed", "correct `kind:` in the front matter"],
        ["改定日の行に種別がないため「{kind}」としました", "冒頭の文書情報の `kind:` を確かめて直してください"]),
    e("import-input",
        ["the imported document cannot be checked: {detail}", "see the README (Importing an existing policy)"],
        ["取り込んだ文書を検査できません：{detail}", "README の「Importing an existing policy」を見てください"]),
    t("import-not-text", ["{file}: neither UTF-8 nor Shift_JIS (CP932) text", "save it as text (UTF-8) or as a Word .docx file"], ["{file} は UTF-8 でも Shift_JIS（CP932）でもありません", "テキスト（UTF-8）か Word の .docx 形式で保存し直してください"]),
    t("import-empty", ["{file}: no text to import", "check that the file is the policy's text (a scanned PDF has none: run OCR first)"], ["{file} に取り込む文字がありません", "方針の本文のファイルか確かめてください（スキャンした PDF には文字がないため、先に OCR で文字にしてください）"]),
    t("import-docx", ["{file}: not a readable Word file: {error}", "open it in Word and save it again as .docx"], ["{file} は読める Word ファイルではありません：{error}", "Word で開き、.docx 形式で保存し直してください"]),
    t("import-bad-id", ["{id:?} is not a document id", "use lowercase ASCII letters, digits and hyphens (--id basic-policy)"], ["「{id}」は文書の id に使えません", "半角の英小文字・数字・ハイフンで書いてください（--id basic-policy など）"]),
    t("import-no-project", ["no book.toml in {dir}", "run in the project folder, pass -C DIR, or write elsewhere with -o DIR"], ["{dir} に book.toml がありません", "プロジェクトのフォルダーで実行するか、-C でそのフォルダーを指定するか、-o で書き出し先を指定してください"]),
    t("import-exists", ["{path} exists", "pass --force to replace it, or choose another id with --id"], ["{path} は既にあります", "置き換えるなら --force を付け、そうでなければ --id で別の id を指定してください"]),
    t("import-note.series", ["line {line}: series title 「{title}」 (the book's title is book.toml [book] title)", ""], ["{line} 行目：シリーズの題名「{title}」（本の題名は book.toml の [book] title です）", ""]),
    t("import-note.joined", ["line {line}: a sentence broken by a page break: joined to the line before", ""], ["{line} 行目：改ページで切れた文を前の行につなぎました", ""]),
    t("import-note.toc", ["line {line}: a table of contents: dropped (the editions make their own)", ""], ["{line} 行目：目次を削除しました（目次は各版で作られます）", ""]),
    t("import-note.header", ["line {line}: 「{text}」 repeated on every page: dropped as a page header or footer", ""], ["{line} 行目：各ページにある「{text}」を、ヘッダー・フッターとして削除しました", ""]),
    t("import-note.spaced", ["line {line}: letter-spaced Latin joined (「L G W A N」 → 「LGWAN」)", ""], ["{line} 行目：文字の間に空白のある英字をつなぎました（「L G W A N」→「LGWAN」）", ""]),
    t("import-note.part", ["line {line}: part heading 「{text}」: dropped (a document is one part)", ""], ["{line} 行目：編の見出し「{text}」を削除しました（一つの文書は一つの編です）", ""]),
    t("import-note.id", ["line {line}: no readable id for 「{title}」: {id}", ""], ["{line} 行目：「{title}」に読める id を作れなかったため {id} としました", ""]),
    t("import-note.reference", ["line {line}: {text} → {target}", ""], ["{line} 行目：{text} → {target}", ""]),
    t("cli.imported", ["imported {file} ({encoding}, numbering {style})", ""], ["{file} を取り込みました（{encoding}、番号の形式：{style}）", ""]),
    t("cli.import-articles", ["article (第N条)", ""], ["条建て（第N条）", ""]),
    t("cli.import-admin", ["admin (1 / (1) / ア)", ""], ["項目建て（1 / (1) / ア）", ""]),
    t("cli.import-level", ["  level {level}: {n} section(s)", ""], ["  第{level}階層：{n} 節", ""]),
    t("cli.import-items", ["  {items} list item(s), {refs} reference(s) made", ""], ["  箇条書きの項目 {items} 個、作った参照 {refs} 個", ""]),
    t("cli.import-cleaned", ["  cleaned:", ""], ["  整えたところ：", ""]),

    // Translation tools (book/translation/, cli/translation.rs)
    t("xliff-format", ["{file}: not an XLIFF 2.0 package: {error}", "import a file made by `policybook translation export`, translated in a CAT tool"], ["{file} は XLIFF 2.0 のパッケージではありません：{error}", "`policybook translation export` で書き出し、翻訳支援ツールで訳したファイルを取り込んでください"]),
    t("xliff-no-section", ["document {doc:?} of edition {edition} has no section {id:?}", "`policybook outline {doc}` lists the section ids"], ["版 {edition} の文書「{doc}」に節「{id}」がありません", "`policybook outline {doc}` で節の id を一覧できます"]),
    t("xliff-refused.no-section", ["no section {id} in document {doc} of edition {edition}", ""], ["版 {edition} の文書 {doc} に節 {id} がありません", ""]),
    t("xliff-refused.untranslated", ["the section has no English text yet: add it by hand, then import", ""], ["この節にはまだ英文がありません。英文を追加してから取り込んでください", ""]),
    t("xliff-refused.changed", ["the Japanese changed since the package was made (segment {seg})", ""], ["書き出した後に日本語が変わっています（セグメント {seg}）", ""]),
    t("xliff-refused.structure", ["the English has not the same paragraphs and cells as the Japanese", ""], ["英文の段落・表のセルの構成が日本語と一致しません", ""]),
    t("xliff-refused.unplaced", ["segment {seg} is not on one line of {file}: edit it by hand", ""], ["セグメント {seg} が {file} の 1 行に収まっていません。手で編集してください", ""]),
    t("cli.wrote-stale", ["wrote {path} ({n} stale section(s), edition {edition})", ""], ["{path} を書き出しました（英訳の更新が必要な節 {n} 個、版 {edition}）", ""]),
    t("cli.wrote-xliff", ["wrote {path} ({units} units, edition {edition}) in {secs} s", ""], ["{path} を書き出しました（{units} 単位、版 {edition}、{secs} 秒）", ""]),
    t("cli.xliff-refused", ["refused {unit}: {reason}", ""], ["{unit} は取り込みませんでした：{reason}", ""]),
    t("cli.xliff-unconfirmed", ["imported, not confirmed (they hold parts above the package's edition): {sections}", ""], ["取り込みましたが、確認済みにはしていません（パッケージの版より機密性の高い部分を含むため）：{sections}", ""]),
    t("cli.xliff-imported", ["imported and confirmed {n} section(s): {sections}; wrote {files}", ""], ["{n} 個の節を取り込み、確認済みにしました：{sections}。書き込んだファイル：{files}", ""]),
    t("cli.xliff-refused-count", ["{n} unit(s) refused: nothing of them was written", "export again from the current sources and carry the translations over"], ["{n} 単位を取り込みませんでした（その部分は何も書き込んでいません）", "今の原稿からもう一度書き出し、訳文を移してください"]),

    // The stale-section diff beside English pages (issue 12: book.toml `stale-diff`, book::translation::stale_for)
    t("book-toml.stale-diff-public",
        ["edition {name:?} is at the lowest level: stale-diff shows the office's translation work and is not for the public site", "remove stale-diff = true from [edition.{name}], or set it on an internal or restricted edition"],
        ["版「{name}」は最も低い区分の版です。stale-diff は庁内の英訳作業のためのもので、公開するサイトには使えません", "[edition.{name}] から stale-diff = true を削除するか、庁内版・関係者版に設定してください"]),
    t("stale-diff-public",
        ["the stale-section diff is not shown in edition {edition}, whose ceiling is the lowest level", "show it in an internal or restricted edition"],
        ["版 {edition} は最も低い区分の版なので、英訳の確認後に変わった日本語は表示しません", "庁内版または関係者版で表示してください"]),
    // The preview server (book/serve/, cli/serve.rs): terminal lines and the banner of the page
    t("serve.listening", ["serving edition {edition} at {url} ({how}; Ctrl+C stops)", ""], ["版 {edition} を {url} で表示しています（{how}。Ctrl+C で終了します）", ""]),
    t("serve.watch-events", ["watching the files", ""], ["ファイルの変更を監視しています", ""]),
    t("serve.watch-poll", ["watching the files by polling every {ms} ms", ""], ["{ms} ミリ秒ごとにファイルの変更を確かめています", ""]),
    t("serve.watch-fallback", ["watching the files by polling every {ms} ms: the system's file events failed ({error})", ""], ["システムのファイル変更通知が使えないため（{error}）、{ms} ミリ秒ごとにファイルの変更を確かめています", ""]),
    t("serve.bind-open", ["warning: serving on {addr}: other computers that reach this address can read edition {edition}", "leave out --bind (127.0.0.1: this computer only) unless the edition may be shown to everyone on that network"], ["警告：{addr} で表示しています。このアドレスに接続できる他のコンピューターからも版 {edition} を閲覧できます", "その網のすべての人に見せてよい版でなければ、--bind を指定しないでください（127.0.0.1：このコンピューターだけ）"]),
    t("serve.built", ["build {build}: {files} files in {ms} ms", ""], ["{build} 回目の作成：{files} ファイル（{ms} ミリ秒）", ""]),
    t("serve.kept", ["the pages shown are those of the last build without errors: fix the errors and they are built again", ""], ["表示しているのはエラーのなかった最後の作成結果です。エラーを直すと作り直します", ""]),
    t("serve.banner", ["policybook serve: {errors} error(s), {warnings} warning(s)", ""], ["policybook serve：エラー {errors} 件、警告 {warnings} 件", ""]),
    t("serve.banner-remote", ["the problems are listed in the terminal of the computer running policybook serve (not shown to other computers)", ""], ["問題の内容は policybook serve を実行しているコンピューターの端末に表示しています（他のコンピューターには表示しません）", ""]),
    t("serve.close", ["Hide", ""], ["閉じる", ""]),
    t("serve.waiting", ["No page has been built yet: fix the errors shown above. This page reloads when the pages are built.", ""], ["まだページを作成できていません。上に示したエラーを直してください。作成できるとこのページを読み込み直します。", ""]),
    t("serve.no-browser", ["no browser could be opened: open {url} yourself", ""], ["ブラウザーを開けませんでした。{url} を開いてください", ""]),
    t("serve-listen", ["cannot listen on {addr}: {error}", "choose another port with --port (0: any free port), or another address with --bind"], ["{addr} で待ち受けできません：{error}", "--port で別のポート（0：空いている任意のポート）を、または --bind で別のアドレスを指定してください"]),
    t("serve-watch", ["cannot watch the project's files: {error}", "try again with --poll"], ["プロジェクトのファイルを監視できません：{error}", "--poll を付けてもう一度実行してください"]),

    // Build errors whose cause is in a source (book/build.rs): the place is the diagnostic's
    e("pdf-glyph.source",
        ["no font has a glyph for {ch} (U+{code})", "fonts available: {families}; replace the character, or add a font that has it to the folder set by [pdf] fonts in book.toml"],
        ["文字{ch}（U+{code}）を表示できるフォントがありません", "使えるフォント：{families}。この文字を置き換えるか、この文字を含むフォントを book.toml の [pdf] fonts で指定したフォルダに加えてください"]),
    e("pdf-unbreakable.source",
        ["a word of {len} characters without a space cannot be laid out in a PDF", "break it with spaces or shorten it (PDF/A allows text runs of at most 32,767 bytes)"],
        ["空白のない {len} 文字の語は PDF に組めません", "空白で区切るか、短くしてください（PDF/A の一続きの文字列は 32,767 バイトまでです）"]),

    // PDF plan, pool and cache; --emit-typst; clean (book/build.rs, book/pdf_cache.rs, book/emit.rs, cli/)
    t("build-cache", ["cannot store a PDF in the cache {path}: {error}", "check that the output folder is writable and has room, or build with --no-cache"], ["PDF をキャッシュ {path} に保存できません：{error}", "出力フォルダに書き込めること、空きがあることを確かめるか、--no-cache を付けてビルドしてください"]),
    t("build-cache-prune", ["cannot remove an old PDF from the cache {path}: {error}", "check that the output folder is writable, remove the cache with `policybook clean`, or build with --no-cache"], ["古い PDF をキャッシュ {path} から削除できません：{error}", "出力フォルダに書き込めることを確かめるか、policybook clean でキャッシュを削除するか、--no-cache を付けてビルドしてください"]),
    t("emit-not-empty", ["{dir} is neither empty nor an earlier --emit-typst folder (it has no compile.sh)", "give a new or empty folder"], ["{dir} は空でなく、以前に --emit-typst で書き出したフォルダでもありません（compile.sh がありません）", "新しいフォルダか空のフォルダを指定してください"]),
    t("cli.pdf-cache", ["PDFs: {typeset} typeset, {cached} copied from the cache", ""], ["PDF：{typeset} ファイルを組版し、{cached} ファイルをキャッシュから写しました", ""]),
    t("cli.pdf-parts", ["parts of long PDFs: {typeset} typeset, {kept} taken from the cache", ""], ["長い PDF の部分：{typeset} 個を組版し、{kept} 個をキャッシュから使いました", ""]),
    t("cli.emitted", ["wrote the Typst inputs of {pdfs} PDF(s) to {dir}; {script} compiles them with the typst command", ""], ["{pdfs} ファイル分の PDF の Typst 入力を {dir} に書き出しました。{script} で typst コマンドにより組版できます", ""]),
    t("cli.cleaned", ["removed {removed} from {dir}", ""], ["{dir} から {removed} を削除しました", ""]),
    t("cli.clean-nothing", ["nothing to remove in {dir}", ""], ["{dir} に削除するものはありません", ""]),
];

#[cfg(test)]
mod tests {
    use super::super::message::params;
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_entry_speaks_both_languages_with_the_same_parameters() {
        let mut keys = BTreeSet::new();
        for e in ENTRIES {
            assert!(keys.insert(e.key), "{} is in the catalogue twice", e.key);
            assert!(!e.en[0].is_empty() && !e.ja[0].is_empty(), "{}: a message in each language", e.key);
            assert_eq!(e.en[1].is_empty(), e.ja[1].is_empty(), "{}: a hint in both languages or in neither", e.key);
            if e.severity.is_some() {
                assert!(!e.en[1].is_empty(), "{}: a diagnostic says what to do", e.key);
            }
            let names = |t: [&'static str; 2]| t.into_iter().flat_map(params).collect::<BTreeSet<&str>>();
            assert_eq!(names(e.en), names(e.ja), "{}: the same parameters in both languages", e.key);
            let ja = format!("{}{}", e.ja[0], e.ja[1]);
            if e.key != super::super::message::RAW && e.key != "located" {
                let japanese =
                    |c: &char| ('\u{3040}'..='\u{30ff}').contains(c) || ('\u{4e00}'..='\u{9fff}').contains(c);
                assert!(ja.chars().any(|c| japanese(&c)), "{}: the Japanese text is Japanese", e.key);
            }
        }
    }

    /// Every key used in `src/` (`Diagnostic::new("…"`, `Message::new("…"`) is in the catalogue,
    /// and no diagnostic is made outside it: the sources are scanned, so a new site cannot rot.
    #[test]
    fn every_site_uses_the_catalogue() {
        let mut used = BTreeSet::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            if p.ends_with("diag/mod.rs") || p.ends_with("diag/message.rs") || p.ends_with("diag/catalogue.rs") {
                continue;
            }
            for old in ["Diagnostic::error(", "Diagnostic::warning("] {
                assert!(!text.contains(old), "{}: {old}…) is outside the catalogue: add an entry", p.display());
            }
            for ctor in ["Diagnostic::new(\"", "Message::new(\"", "key: \""] {
                for (i, _) in text.match_indices(ctor) {
                    let rest = &text[i + ctor.len()..];
                    used.insert(rest[..rest.find('"').unwrap()].to_string());
                }
            }
        }
        let missing: Vec<_> = used.iter().filter(|k| find(k).is_none()).collect();
        assert!(missing.is_empty(), "keys used in src/ but not in the catalogue: {missing:?}");
        assert!(used.len() > 50, "the scan found the sites ({})", used.len());
    }
}
