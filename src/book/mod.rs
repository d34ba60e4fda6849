//! The façade: what the commands do, as library functions over a project (build, the archive of
//! releases, history, recipient copies, confirming translations, creating a project). The CLI
//! parses arguments, calls these, and prints.

pub mod archive;
pub mod build;
pub mod confirm;
pub mod history;
pub mod init;
pub mod output;
pub mod register;
