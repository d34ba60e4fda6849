//! How long work tells the command line how far it has come: the library calls a [`Progress`]
//! passed in by its caller, and never prints nor reads the clock (the CLI draws and times).

/// Told of each piece of work before it starts: [`Progress::begin`] once with the number of
/// pieces, then [`Progress::step`] per piece with a short label (an edition and format, such as
/// `public/pdf`: data, not text to translate).
pub trait Progress {
    fn begin(&mut self, total: usize);
    fn step(&mut self, label: &str);
}

/// Progress that nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn begin(&mut self, _total: usize) {}
    fn step(&mut self, _label: &str) {}
}
