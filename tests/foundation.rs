//! End-to-end tests of the foundation: the real binary on the default project and on broken copies.

mod common;
use common::*;

#[test]
fn canary_project_checks_without_errors() {
    let dir = canary_project();
    let o = policybook(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
