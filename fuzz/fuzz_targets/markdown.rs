//! The Markdown + front matter parser: the fuzz bytes are one Japanese source file (front matter
//! and body), loaded and checked alone; when it checks, its outline and HTML are made too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(checked) = policybook_fuzz::check(policybook_fuzz::project(data, None)) {
        policybook_fuzz::publish(&checked);
    }
});
