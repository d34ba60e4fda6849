//! The 新旧対照表: the fuzz bytes are four files joined by NUL — the old Japanese, the old English,
//! the new Japanese, the new English of one document. When both projects check, each edition is
//! compared in both languages and rendered as JSON, HTML and text (the PDF needs Typst: too slow
//! to fuzz).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts = policybook_fuzz::split(data, 4);
    let [old_ja, old_en, new_ja, new_en] = [0, 1, 2, 3].map(|i| parts.get(i).copied());
    let (Some(old_ja), Some(new_ja)) = (old_ja, new_ja) else { return };
    let Some(old) = policybook_fuzz::check(policybook_fuzz::project(old_ja, old_en)) else { return };
    let Some(new) = policybook_fuzz::check(policybook_fuzz::project(new_ja, new_en)) else { return };
    policybook_fuzz::compare(&old, &new);
});
