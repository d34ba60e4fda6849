//! Renderers: each turns a filtered [`crate::edition::Edition`] into files. They are siblings that
//! never import each other; what they share (dates, labels) lives below them in the pipeline.

pub mod html;
pub mod pdf;
