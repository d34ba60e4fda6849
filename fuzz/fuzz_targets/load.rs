//! The model loader: the fuzz bytes are a Japanese and an English file joined by NUL (one
//! document in both languages: alignment by id, parity, structure, numbering, references); when
//! the project checks, its outline and the HTML of every edition are made too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts = policybook_fuzz::split(data, 2);
    let source = policybook_fuzz::project(parts[0], parts.get(1).copied());
    if let Some(checked) = policybook_fuzz::check(source) {
        policybook_fuzz::publish(&checked);
    }
});
