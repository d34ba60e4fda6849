//! Translation status: how many sections of a document are translated and confirmed, stale,
//! unconfirmed or untranslated. Counted on whatever document it is given, so that the callers
//! (`policybook translation status`, the HTML index of internal editions) count an edition's
//! documents, whose states are already those its ceiling sees ([`super::Section::translation_at`]).

use super::{Document, Translation};
use serde::Serialize;

/// Sections by the state of their English text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Translated, and confirmed against the current Japanese.
    #[serde(rename = "confirmed")]
    pub current: usize,
    /// Translated, but the Japanese changed after the translation was confirmed.
    pub stale: usize,
    /// Translated, never confirmed.
    pub unconfirmed: usize,
    /// No English text.
    pub untranslated: usize,
}

impl Counts {
    /// The sections of `doc`, at every depth.
    pub fn of<P>(doc: &Document<P>) -> Counts {
        let mut c = Counts::default();
        for s in doc.walk() {
            match s.translation {
                Translation::Current => c.current += 1,
                Translation::Stale => c.stale += 1,
                Translation::Unconfirmed => c.unconfirmed += 1,
                Translation::Missing => c.untranslated += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.current + self.stale + self.unconfirmed + self.untranslated
    }

    /// The sum of two counts.
    pub fn plus(self, o: Counts) -> Counts {
        Counts {
            current: self.current + o.current,
            stale: self.stale + o.stale,
            unconfirmed: self.unconfirmed + o.unconfirmed,
            untranslated: self.untranslated + o.untranslated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load;
    use crate::source::MemSource;

    #[test]
    fn sections_are_counted_by_state() {
        let front = "---\nid: a\ntype: standard\ntitle: 甲\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\n";
        let ja =
            "# 一 {#one}\n\n本文。\n\n# 二 {#two}\n\n本文。\n\n# 三 {#three}\n\n本文。\n\n# 四 {#four}\n\n本文。\n";
        let en = "---\nid: a\ntitle: A\n---\n# One {#one ja=00000000}\n\nText.\n\n# Two {#two}\n\nText.\n\n\
                  # Three {#three .untranslated}\n\n# Four {#four}\n\nText.\n";
        let m = MemSource::new()
            .with("book.toml", crate::book::init::BOOK)
            .with("policy-source/a.ja.md", &format!("{front}{ja}"))
            .with("policy-source/a.en.md", en);
        let p = load(&m).unwrap().project;
        let c = Counts::of(&p.documents[0]);
        assert_eq!(c, Counts { current: 0, stale: 1, unconfirmed: 2, untranslated: 1 });
        assert_eq!(c.plus(c).total(), 8);
    }
}
