//! End-to-end tests of figures: a project made in the test, with a public figure and a restricted
//! one (its own bytes, a canary in its alt text), built through the real binary.

mod common;
use common::*;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A 1×1 red PNG (the public figure).
const PUBLIC_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x21, 0x27, 0x07, 0x00, 0x02, 0xb6, 0x01, 0x05, 0x0a, 0x5b, 0xa6, 0x06,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A 2×2 blue PNG (the restricted figure).
const RESTRICTED_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x10, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x10, 0xd1, 0xb8, 0x03, 0x44, 0x0c, 0x10, 0x0a, 0x00, 0x1b, 0x8e, 0x04, 0x61,
    0xac, 0x76, 0xb4, 0xf7, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// In the restricted figure's alt text and caption.
const CANARY: &str = "zqcanaryfigure";

fn front(title: &str) -> String {
    format!(
        "---\nid: figs\ntype: standard\ntitle: {title}\nclassification: public\nnumbering: admin\nversion: \"1\"\neffective: 2026-04-01\n---\n"
    )
}

const JA: &str = "# 体制 {#organisation}\n\n情報セキュリティの体制を次の図に示す。\n\n\
![組織図：最高情報セキュリティ責任者の下に情報政策課と各課を置く](figures/org-chart.png \"組織図\")\n\n\
::: restricted\n\n![zqcanaryfigure 配線図](figures/wiring.png \"zqcanaryfigure 配線\")\n\n:::\n";

const EN: &str =
    "---\nid: figs\ntitle: Figures\n---\n# Organisation {#organisation}\n\nThe figure shows the organisation.\n\n\
![Organisation chart: the divisions under the CISO](figures/org-chart.png \"Organisation chart\")\n\n\
::: restricted\n\n![zqcanaryfigure wiring](figures/wiring.png \"zqcanaryfigure wiring\")\n\n:::\n";

/// The project: the default book.toml, one document in both languages, two images.
fn project(ja_body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo_root().join("book.toml"), dir.path().join("book.toml")).unwrap();
    let src = dir.path().join("policy-source");
    std::fs::create_dir_all(src.join("figures")).unwrap();
    std::fs::write(src.join("figs.ja.md"), format!("{}{ja_body}", front("図の文書"))).unwrap();
    std::fs::write(src.join("figs.en.md"), EN).unwrap();
    std::fs::write(src.join("figures/org-chart.png"), PUBLIC_PNG).unwrap();
    std::fs::write(src.join("figures/wiring.png"), RESTRICTED_PNG).unwrap();
    dir
}

fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn build(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("out");
    let o = policybook(dir, &["build", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn a_public_figure_reaches_the_site_and_the_pdf_a_restricted_one_neither() {
    let dir = project(JA);
    let out = build(dir.path());
    let (public, restricted) = (digest(PUBLIC_PNG), digest(RESTRICTED_PNG));

    // Public site: the public image under its digest, with alt text and size; nothing restricted.
    let html = out.join("public/html");
    assert_eq!(std::fs::read(html.join(format!("figures/{public}.png"))).unwrap(), PUBLIC_PNG);
    let page = std::fs::read_to_string(html.join("figs/ja.html")).unwrap();
    let img = format!(
        "<figure><img src=\"../figures/{public}.png\" alt=\"組織図：最高情報セキュリティ責任者の下に情報政策課と各課を置く\" width=\"1\" height=\"1\"><figcaption>組織図</figcaption></figure>"
    );
    assert!(page.contains(&img), "{page}");
    assert!(std::fs::read_to_string(html.join("figs/en.html"))
        .unwrap()
        .contains("alt=\"Organisation chart: the divisions under the CISO\""));
    assert!(std::fs::read_to_string(html.join("search-index.json")).unwrap().contains("組織図"));
    for (name, bytes) in files(&out.join("public")) {
        assert!(!contains(&bytes, CANARY.as_bytes()), "{name} holds the canary");
        assert!(!contains(&bytes, RESTRICTED_PNG), "{name} holds the restricted image");
        assert!(!contains(&bytes, restricted.as_bytes()), "{name} names the restricted image");
    }
    let names: Vec<String> = files(&html.join("figures")).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 1, "{names:?}");

    // Public PDFs: one image each (the parallel PDF shows it in both columns); restricted: two.
    assert_eq!(pdf_images(&out.join("public/pdf/figs.ja.pdf")), 1);
    assert_eq!(pdf_images(&out.join("public/pdf/figs.en.pdf")), 1);
    assert_eq!(pdf_images(&out.join("restricted/pdf/figs.ja.pdf")), 2);

    // Restricted site: both images, the canary alt text on the page.
    let rhtml = out.join("restricted/html");
    assert_eq!(std::fs::read(rhtml.join(format!("figures/{restricted}.png"))).unwrap(), RESTRICTED_PNG);
    assert!(std::fs::read_to_string(rhtml.join("figs/ja.html")).unwrap().contains(CANARY));
}

#[test]
fn check_reports_missing_alt_missing_file_and_paths_outside_the_source_folder() {
    let body =
        "# 体制 {#organisation}\n\n![](figures/org-chart.png)\n\n![図](figures/none.png)\n\n![図](../book.toml)\n";
    let dir = project(body);
    let o = policybook(dir.path(), &["check"]);
    assert!(!o.status.success());
    let text = stderr(&o) + &stdout(&o);
    for expected in [
        "policy-source/figs.ja.md:12:1: error[figure-alt]",
        "policy-source/figs.ja.md:14:1: error[figure-missing]",
        "policy-source/figs.ja.md:16:1: error[figure-path]",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    // The fix is in the message.
    assert!(text.contains("say what the image shows between the brackets"), "{text}");
    // A build refuses sources with errors.
    let o = policybook(dir.path(), &["build", "-o", dir.path().join("out").to_str().unwrap()]);
    assert!(!o.status.success());
}
