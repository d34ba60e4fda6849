//! The importer: the fuzz bytes are the imported file (plain text in UTF-8 or Shift_JIS, a Word
//! .docx, whatever they are); what it writes is loaded and checked as a project's document and,
//! when it checks, published (outline, HTML of every edition).
#![no_main]

use libfuzzer_sys::fuzz_target;
use policybook::import::{import_bytes, Options};

fuzz_target!(|data: &[u8]| {
    for file in ["input.txt", "input.docx"] {
        let options = Options { id: Some("imported".into()), file: file.into(), ..Options::default() };
        if let Ok(imported) = import_bytes(data, &options) {
            let source = policybook_fuzz::project(imported.markdown.as_bytes(), None);
            if let Some(checked) = policybook_fuzz::check(source) {
                policybook_fuzz::publish(&checked);
            }
        }
    }
});
