//! Typesetting in worker processes: each PDF is typeset by a child process of policybook
//! (`policybook __typeset-worker`), which reads the job on its standard input and writes the PDF
//! on its standard output. Typst's memoization caches are global to a process and locked: two
//! documents laid out on two threads of one process each ran 40 to 70 % slower than alone, while
//! two processes run at full speed, and a process gives all its memory back when it ends
//! (issue 13). The worker compiles in the same sealed world as in process ([`super::compile_here`]):
//! it reads nothing but its standard input (the template, the data, the project's fonts).
//!
//! The protocol is private to one binary (a worker is the same executable as its parent):
//! length-prefixed fields after a magic line; the answer is a kind byte and its payload.

use super::{compile_here, Fonts, PdfJob, Standards, TypesetError};
use crate::model::Date;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The first argument that makes policybook a typesetting worker (no user command: not in help).
pub const WORKER_ARG: &str = "__typeset-worker";

const MAGIC: &[u8] = b"policybook-typeset/1\n";

/// Typesets `job` in a worker process of `exe`; `None` when no process can be started (then the
/// caller typesets in process).
pub(super) fn run(exe: &Path, job: &PdfJob, fonts: &Fonts) -> Option<Result<Vec<u8>, TypesetError>> {
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // The worker reads all its input before it writes anything: no deadlock.
    let written = stdin.write_all(&encode_job(job, fonts));
    drop(stdin);
    let out = match child.wait_with_output() {
        Ok(out) => out,
        Err(e) => return Some(Err(TypesetError::Worker(e.to_string()))),
    };
    let failed = |why: String| {
        let err = String::from_utf8_lossy(&out.stderr);
        let err = err.trim();
        Some(Err(TypesetError::Worker(if err.is_empty() { why } else { format!("{why}: {err}") })))
    };
    if !out.status.success() {
        return failed(out.status.to_string());
    }
    if let Err(e) = written {
        return failed(e.to_string());
    }
    match decode_answer(&out.stdout) {
        Some(answer) => Some(answer),
        None => failed("no answer".into()),
    }
}

/// The worker's side: reads a job on standard input, typesets it, writes the answer on standard
/// output. Returns the process's exit status (0 when an answer, even an error, was written).
pub fn work() -> u8 {
    // A worker never outlives a policybook that was killed.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    let mut input = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut input).is_err() {
        return 2;
    }
    let Some(job) = decode_job(&input) else {
        eprintln!("policybook {WORKER_ARG}: the input is not a typesetting job");
        return 2;
    };
    drop(input);
    let answer = Fonts::new(job.fonts).and_then(|fonts| {
        let pdf = PdfJob { main: &job.main, files: &job.files, date: job.date, standards: job.standards };
        compile_here(&pdf, &fonts)
    });
    match std::io::stdout().lock().write_all(&encode_answer(&answer)) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}

/// A job as the worker receives it: everything owned.
struct Received {
    main: String,
    files: Vec<(String, Vec<u8>)>,
    date: Date,
    standards: Standards,
    fonts: Vec<(String, Vec<u8>)>,
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    put_num(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn put_num(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_pairs<'a>(out: &mut Vec<u8>, pairs: impl ExactSizeIterator<Item = (&'a str, &'a [u8])>) {
    put_num(out, pairs.len() as u64);
    for (name, bytes) in pairs {
        put(out, name.as_bytes());
        put(out, bytes);
    }
}

fn encode_job(job: &PdfJob, fonts: &Fonts) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    put(&mut out, job.main.as_bytes());
    put_pairs(&mut out, job.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    for n in [job.date.year as u64, job.date.month as u64, job.date.day as u64] {
        put_num(&mut out, n);
    }
    put_num(&mut out, matches!(job.standards, Standards::ArchivalAccessible) as u64);
    put_pairs(&mut out, fonts.extra());
    out
}

/// Reads the fields of an input, in order; `None` past its end.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn num(&mut self) -> Option<u64> {
        let (head, rest) = self.0.split_first_chunk::<8>()?;
        self.0 = rest;
        Some(u64::from_le_bytes(*head))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.num()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(head)
    }

    fn text(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    fn pairs(&mut self) -> Option<Vec<(String, Vec<u8>)>> {
        let n = self.num()?;
        (0..n).map(|_| Some((self.text()?, self.bytes()?.to_vec()))).collect()
    }
}

fn decode_job(input: &[u8]) -> Option<Received> {
    let mut f = Fields(input.strip_prefix(MAGIC)?);
    let main = f.text()?;
    let files = f.pairs()?;
    let date = Date { year: f.num()? as i32, month: f.num()? as u32, day: f.num()? as u32 };
    let standards = if f.num()? == 1 { Standards::ArchivalAccessible } else { Standards::None };
    let fonts = f.pairs()?;
    f.0.is_empty().then_some(Received { main, files, date, standards, fonts })
}

fn encode_answer(answer: &Result<Vec<u8>, TypesetError>) -> Vec<u8> {
    let mut out = Vec::new();
    let (kind, payload): (u8, &[u8]) = match answer {
        Ok(pdf) => (0, pdf),
        Err(TypesetError::Typst(e)) => (1, e.as_bytes()),
        Err(TypesetError::Export(e)) => (2, e.as_bytes()),
        Err(TypesetError::BadFont { name }) => (3, name.as_bytes()),
        Err(TypesetError::Worker(e)) => (5, e.as_bytes()),
        Err(TypesetError::Date(d)) => {
            out.push(4);
            for n in [d.year as u64, d.month as u64, d.day as u64] {
                put_num(&mut out, n);
            }
            return out;
        }
    };
    out.push(kind);
    put(&mut out, payload);
    out
}

fn decode_answer(answer: &[u8]) -> Option<Result<Vec<u8>, TypesetError>> {
    let (&kind, rest) = answer.split_first()?;
    let mut f = Fields(rest);
    let result = match kind {
        0 => Ok(f.bytes()?.to_vec()),
        1 => Err(TypesetError::Typst(f.text()?)),
        2 => Err(TypesetError::Export(f.text()?)),
        3 => Err(TypesetError::BadFont { name: f.text()? }),
        4 => Err(TypesetError::Date(Date { year: f.num()? as i32, month: f.num()? as u32, day: f.num()? as u32 })),
        5 => Err(TypesetError::Worker(f.text()?)),
        _ => return None,
    };
    f.0.is_empty().then_some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_and_every_answer_cross_the_pipe_unchanged() {
        let fonts = Fonts::shipped();
        let files = [("data.json".into(), b"{}".to_vec()), ("common.typ".into(), vec![0, 1, 2])];
        let job = PdfJob {
            main: "#json(\"data.json\")",
            files: &files,
            date: Date { year: 2026, month: 4, day: 1 },
            standards: Standards::ArchivalAccessible,
        };
        let got = decode_job(&encode_job(&job, &fonts)).expect("decodes");
        assert_eq!((got.main.as_str(), got.files.as_slice(), got.date), (job.main, job.files, job.date));
        assert!(matches!(got.standards, Standards::ArchivalAccessible) && got.fonts.is_empty());
        // A cut or lengthened input is refused, never misread.
        let whole = encode_job(&job, &fonts);
        assert!(decode_job(&whole[..whole.len() - 1]).is_none());
        assert!(decode_job(&[whole.as_slice(), b"x"].concat()).is_none());
        let answers = [
            Ok(b"%PDF-1.7".to_vec()),
            Err(TypesetError::Typst("template line 3: unknown variable".into())),
            Err(TypesetError::Export("PDF/A".into())),
            Err(TypesetError::BadFont { name: "x.ttf".into() }),
            Err(TypesetError::Date(Date { year: 2026, month: 2, day: 30 })),
            Err(TypesetError::Worker("signal 9".into())),
        ];
        for a in answers {
            let back = decode_answer(&encode_answer(&a)).expect("decodes");
            assert_eq!(format!("{back:?}"), format!("{a:?}"));
        }
        assert!(decode_answer(&[9]).is_none() && decode_answer(&[]).is_none());
    }
}
