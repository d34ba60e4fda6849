//! `policybook help TOPIC`: the source format for authors, in the language of messages. The
//! topics are text files compiled in (`help/TOPIC.ja.md`, `help/TOPIC.en.md`); `--help` stays the
//! English reference of the commands.

use super::{msg_lang, CliError};
use policybook::config::Lang;
use policybook::diag::Message;
use std::process::ExitCode;

/// A topic: its name and its text in Japanese and English (the first line is the title).
struct Topic {
    name: &'static str,
    ja: &'static str,
    en: &'static str,
}

macro_rules! topic {
    ($name:literal) => {
        Topic {
            name: $name,
            ja: include_str!(concat!("help/", $name, ".ja.md")),
            en: include_str!(concat!("help/", $name, ".en.md")),
        }
    };
}

const TOPICS: &[Topic] = &[
    topic!("files"),
    topic!("front-matter"),
    topic!("sections"),
    topic!("numbering"),
    topic!("references"),
    topic!("classification"),
    topic!("reiki"),
];

impl Topic {
    fn text(&self, lang: Lang) -> &'static str {
        if lang == Lang::Ja {
            self.ja
        } else {
            self.en
        }
    }
}

/// Whether `name` is a help topic (else it may name a command).
pub fn is_topic(name: &str) -> bool {
    TOPICS.iter().any(|t| t.name == name)
}

/// Prints topic `name`, or the list of topics when `None`.
pub fn help(name: Option<&str>) -> Result<ExitCode, CliError> {
    let lang = msg_lang();
    match name {
        None => {
            println!("{}", Message::new("help.index").message(lang));
            for t in TOPICS {
                let title = t.text(lang).lines().next().unwrap_or_default();
                println!("  {:<16}{title}", t.name);
            }
            println!("\n{}", Message::new("help.commands").message(lang));
        }
        Some(name) => match TOPICS.iter().find(|t| t.name == name) {
            Some(t) => print!("{}", t.text(lang)),
            None => {
                let known = TOPICS.iter().map(|t| t.name).collect::<Vec<_>>().join(", ");
                return Err(CliError::HelpTopic { name: name.to_string(), known });
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_has_both_languages_with_a_title() {
        for t in TOPICS {
            let japanese = |c: char| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c);
            assert!(t.ja.lines().next().is_some_and(|l| l.chars().any(japanese)), "{}", t.name);
            assert!(t.en.lines().next().is_some_and(|l| l.is_ascii() || l.contains("例規")), "{}", t.name);
            assert!(t.ja.contains("です") || t.ja.contains("ます"), "{}: polite Japanese", t.name);
        }
    }
}
