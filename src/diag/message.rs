//! A message of the catalogue with its parameters, rendered in a language only when printed.

use super::catalogue;
use crate::config::Lang;
use std::fmt;

/// A catalogue key (`code` or `code.variant`) and the values of its named parameters. The text is
/// made by [`Message::message`] and [`Message::hint`] in the language chosen at the edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message {
    key: &'static str,
    /// Name, value, and the value in Japanese where it differs.
    args: Vec<(&'static str, String, Option<String>)>,
}

/// The key of text that is not in the catalogue (the same in both languages).
pub(super) const RAW: &str = "raw";

impl Message {
    pub fn new(key: &'static str) -> Self {
        Message { key, args: Vec::new() }
    }

    /// English text outside the catalogue (see [`super::Diagnostic::error`]).
    pub(super) fn raw(message: String, hint: String) -> Self {
        Message::new(RAW).arg("message", message).arg("hint", hint)
    }

    /// Sets the template parameter `name` (a later value replaces an earlier one).
    pub fn arg(self, name: &'static str, value: impl fmt::Display) -> Self {
        self.set(name, value.to_string(), None)
    }

    /// Sets the template parameter `name` to a value that is worded in each language (a phrase
    /// made at the site, such as a list that may be empty).
    pub fn arg_in(self, name: &'static str, en: impl Into<String>, ja: impl Into<String>) -> Self {
        self.set(name, en.into(), Some(ja.into()))
    }

    fn set(mut self, name: &'static str, en: String, ja: Option<String>) -> Self {
        self.args.retain(|(n, ..)| *n != name);
        self.args.push((name, en, ja));
        self
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The same parameters under another catalogue key (a message reused in another context).
    pub fn rekey(mut self, key: &'static str) -> Self {
        self.key = key;
        self
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.render(lang, 0)
    }

    /// The hint in `lang`, empty when there is none.
    pub fn hint(&self, lang: Lang) -> String {
        self.render(lang, 1)
    }

    /// The message and, on an indented line, its hint: how errors and summary lines print.
    pub fn full(&self, lang: Lang) -> String {
        let (message, hint) = (self.message(lang), self.hint(lang));
        match (hint.is_empty(), lang) {
            (true, _) => message,
            (false, Lang::Ja) => format!("{message}\n  ヒント: {hint}"),
            (false, Lang::En) => format!("{message}\n  hint: {hint}"),
        }
    }

    fn render(&self, lang: Lang, part: usize) -> String {
        match catalogue::find(self.key) {
            Some(e) => {
                let args: Vec<(&str, &str)> = (self.args.iter())
                    .map(|(n, en, ja)| (*n, if lang == Lang::Ja { ja.as_deref().unwrap_or(en) } else { en.as_str() }))
                    .collect();
                fill(e.text(lang)[part], &args)
            }
            None if part == 0 => self.key.to_string(),
            None => String::new(),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full(Lang::En))
    }
}

/// What can say itself in either language: the errors of each layer and `CliError`. Their
/// `Display` is the English text (`#[error("{}", self.text())]`); the CLI prints
/// [`Localize::localize`] in the chosen language.
pub trait Localize {
    /// The catalogue message with its parameters.
    fn text(&self) -> Message;

    /// The complete text (message and hint) in `lang`.
    fn localize(&self, lang: Lang) -> String {
        self.text().full(lang)
    }
}

impl Message {
    /// `inner` at a place: `book.toml:3:1: message` with inner's hint, in either language.
    pub fn at(place: impl fmt::Display, inner: &Message) -> Message {
        Message::new("located")
            .arg("at", place)
            .arg_in("message", inner.message(Lang::En), inner.message(Lang::Ja))
            .arg_in("hint", inner.hint(Lang::En), inner.hint(Lang::Ja))
    }

    /// Text outside the catalogue, the same in both languages: an error of a library (io, git,
    /// typst) that policybook passes on, or a layer's error not yet in the catalogue.
    pub fn verbatim(text: impl fmt::Display) -> Message {
        Message::raw(text.to_string(), String::new())
    }
}

/// The parameter names of a template: `{name}` or `{name:?}`, where a name is lowercase ASCII
/// letters and `_`. Any other brace is text (`{#id}` in a hint stays as written).
#[cfg(test)]
pub(super) fn params(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        match placeholder(&rest[i..]) {
            Some((name, _, len)) => {
                out.push(name);
                rest = &rest[i + len..];
            }
            None => rest = &rest[i + 1..],
        }
    }
    out
}

/// `{name}` or `{name:?}` at the start of `s`: the name, whether quoted, and the length.
fn placeholder(s: &str) -> Option<(&str, bool, usize)> {
    let inner = &s[1..];
    let n = inner.find(|c: char| !(c.is_ascii_lowercase() || c == '_'))?;
    let (name, after) = inner.split_at(n);
    if name.is_empty() {
        return None;
    }
    if after.starts_with('}') {
        Some((name, false, n + 2))
    } else if after.starts_with(":?}") {
        Some((name, true, n + 4))
    } else {
        None
    }
}

/// The template with its parameters filled in: `{name:?}` quotes the value as Rust's `{:?}` does
/// (the English messages' "id"), `{name}` inserts it with control characters escaped.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let value = placeholder(&rest[i..])
            .and_then(|(name, quoted, len)| Some((args.iter().find(|(n, _)| *n == name)?, quoted, len)));
        match value {
            Some(((_, v), true, len)) => {
                out.push_str(&format!("{v:?}"));
                rest = &rest[i + len..];
            }
            Some(((_, v), false, len)) => {
                out.extend(v.chars().flat_map(|c| {
                    let escaped = c.is_control() && c != '\n';
                    let s = if escaped { c.escape_debug().collect() } else { c.to_string() };
                    s.chars().collect::<Vec<_>>()
                }));
                rest = &rest[i + len..];
            }
            None => {
                out.push('{');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_named_parameters_and_keep_other_braces() {
        let args = [("id", "a\u{1b}b"), ("n", "3")];
        assert_eq!(fill("{id:?} at {n}: add `{#{id}}` {x}", &args), "\"a\\u{1b}b\" at 3: add `{#a\\u{1b}b}` {x}");
        assert_eq!(params("{a} {#id} {b:?} {C} {}"), ["a", "b"]);
    }
}
