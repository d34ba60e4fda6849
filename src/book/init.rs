//! `policybook init`: a new, checkable project with one document in both languages.

use crate::diag::{Localize, Message};
use crate::model::load;
use crate::render::Files;
use crate::source::MemSource;

/// The manifest `init` writes (also the fuzz targets' projects).
pub const BOOK: &str = r#"# policybook project manifest (see the README for every key).
[book]
title = { ja = "情報セキュリティポリシー", en = "Information Security Policy" }
organization = { ja = "○○市", en = "City of XX" }
language = "ja"
translation = "en"
source = "policy-source"
output = "output"

[[classification.level]]
key = "public"
label = { ja = "機密性1", en = "Confidentiality 1" }
marking = { ja = "公開", en = "Public" }

[[classification.level]]
key = "internal"
label = { ja = "機密性2", en = "Confidentiality 2" }
marking = { ja = "庁内限り", en = "Internal use only" }

[[classification.level]]
key = "restricted"
label = { ja = "機密性3", en = "Confidentiality 3" }
marking = { ja = "関係者限り", en = "Authorized personnel only" }

[edition.public]
ceiling = "public"

[edition.internal]
ceiling = "internal"

[edition.restricted]
ceiling = "restricted"
"#;

const JA: &str = r#"---
id: basic-policy
type: basic-policy
title: 情報セキュリティ基本方針
classification: public
numbering: admin
version: "1.0"
effective: 2026-04-01
history:
  - date: 2026-04-01
    kind: 策定
    note: 情報セキュリティ基本方針を策定
---

# 目的 {#purpose}

本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持するため、
本市が実施する情報セキュリティ対策について基本的な事項を定めることを目的とする。

# 対象とする脅威 {#threats}

情報資産に対する脅威として、次の脅威を想定する。

1. 不正アクセス等の意図的な要因による情報資産の漏えい
1. 操作ミス等の非意図的な要因による情報資産の破壊

# 情報セキュリティ対策 {#measures}

[](#threats)の脅威から情報資産を保護するため、必要な対策を講ずる。

## 緊急連絡体制 {#contacts .internal}

緊急時の連絡先は、情報政策課長が別に定める。
"#;

const EN: &str = r#"---
id: basic-policy
title: Basic Information Security Policy
---

# Purpose {#purpose}

The purpose of this Basic Policy is to set out the basic matters of the information security
measures the City takes to maintain the confidentiality, integrity and availability of its
information assets.

# Threats {#threats}

The following threats to information assets are assumed.

1. Leakage of information assets through intentional causes such as unauthorized access
1. Destruction of information assets through unintentional causes such as operating errors

# Information Security Measures {#measures}

To protect information assets from the threats in [](#threats), the necessary measures are taken.

## Emergency Contacts {#contacts .internal}

The emergency contacts are set separately by the head of the Information Policy Division.
"#;

/// The files of a new project, with the English translation already confirmed.
pub fn files() -> Files {
    let mem = MemSource::new()
        .with("book.toml", BOOK)
        .with("policy-source/basic-policy.ja.md", JA)
        .with("policy-source/basic-policy.en.md", EN);
    let loaded = load(&mem).expect("the init template loads");
    let doc = &loaded.project.documents[0];
    let (edits, _) =
        crate::book::confirm::plan(doc, &[], &|_| Some(EN.to_string())).expect("the init template confirms");
    let en = edits.values().next().map_or(EN.to_string(), |lines| crate::book::confirm::apply(EN, lines));
    let mut f = Files::new();
    f.insert("book.toml".into(), BOOK.as_bytes().to_vec());
    f.insert("policy-source/basic-policy.ja.md".into(), JA.as_bytes().to_vec());
    f.insert("policy-source/basic-policy.en.md".into(), en.into_bytes());
    f.insert(".gitignore".into(), b"/output\n".to_vec());
    f
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{}", self.text())]
    NotEmpty(std::path::PathBuf),
    #[error("{}", self.text())]
    Write { path: std::path::PathBuf, source: std::io::Error },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Localize for InitError {
    fn text(&self) -> Message {
        match self {
            InitError::NotEmpty(dir) => Message::new("init-not-empty").arg("dir", dir.display()),
            InitError::Write { path, source } => {
                Message::new("io-write").arg("path", path.display()).arg("error", source)
            }
            InitError::Io(e) => Message::verbatim(e),
        }
    }
}

/// Creates a new project in `dir`, which must not exist or be empty.
pub fn create(dir: &std::path::Path) -> Result<(), InitError> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }
    for (rel, bytes) in files() {
        let p = dir.join(&rel);
        std::fs::create_dir_all(p.parent().unwrap_or(dir))?;
        std::fs::write(&p, bytes).map_err(|source| InitError::Write { path: p.clone(), source })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_project_checks_clean() {
        let mut mem = MemSource::new();
        for (p, b) in files() {
            mem.insert(&p, std::str::from_utf8(&b).unwrap());
        }
        let loaded = load(&mem).unwrap();
        let diags = crate::model::check::run(&loaded);
        assert!(diags.is_empty(), "{diags:#?}");
    }
}
