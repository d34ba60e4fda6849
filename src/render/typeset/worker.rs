//! Typesetting in worker processes: each PDF is typeset by a child process of policybook
//! (`policybook __typeset-worker`), which reads jobs on its standard input and writes each PDF
//! on its standard output. Typst's memoization caches are global to a process and locked: two
//! documents laid out on two threads of one process each ran 40 to 70 % slower than alone, while
//! two processes run at full speed, and a process gives all its memory back when it ends
//! (issue 13). The worker compiles in the same sealed world as in process ([`super::compile_here`]):
//! it reads nothing but its standard input (the template, the data, the project's fonts).
//!
//! A worker serves the jobs of one thread one after another, so that a build of many small PDFs
//! starts a process per thread, not per PDF (a process's start, its fonts and Typst's first
//! use cost about 70 ms of CPU, a third of a small PDF). It is kept only after light jobs: after
//! a heavy one ([`super::weight`] above 0), or after [`MAX_JOBS`] jobs, it ends and gives its
//! memory back. It belongs to the thread that started it (a thread-local), which is also the
//! thread its death signal follows, and ends with that thread.
//!
//! The protocol is private to one binary (a worker is the same executable as its parent): each
//! message is its length and then its bytes; a job is length-prefixed fields after a magic line;
//! an answer is a kind byte and its payload.

use super::{compile_here, Fonts, PdfJob, Reuse, Standards, Typeset, TypesetError};
use crate::model::Date;
use std::cell::RefCell;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// The first argument that makes policybook a typesetting worker (no user command: not in help).
pub const WORKER_ARG: &str = "__typeset-worker";

const MAGIC: &[u8] = b"policybook-typeset/5\n";

/// The most jobs one worker serves.
const MAX_JOBS: usize = 64;

/// The variable that sets the number of rayon's threads, which Typst's layout uses.
const RAYON: &str = "RAYON_NUM_THREADS";

/// The threads Typst may use in one worker when `at_once` workers run on `cores` cores: their
/// share, at least one. Two workers each with a thread per core ran the default project's
/// PDFs with 10 % more CPU time than with one thread each (six threads on two cores), while
/// alone a worker with two threads typesets the corpus's public PDFs 4 % faster than with one.
fn typst_threads(cores: usize, at_once: usize) -> usize {
    (cores / at_once.max(1)).max(1)
}

/// A running worker process and its pipes.
struct Worker {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    served: usize,
}

impl Worker {
    fn start(exe: &Path) -> Option<Worker> {
        let mut command = Command::new(exe);
        // Typst lays out pages on threads of its own (rayon's): a worker takes its share of
        // the cores, unless the user chose a number.
        if std::env::var_os(RAYON).is_none() {
            let cores = crate::render::pool::default_threads();
            command.env(RAYON, typst_threads(cores, crate::render::pool::at_once()).to_string());
        }
        let mut child =
            command.arg(WORKER_ARG).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().ok()?;
        let stdin = BufWriter::new(child.stdin.take().expect("stdin is piped"));
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Some(Worker { child, stdin, stdout, served: 0 })
    }

    /// Sends one job and reads its answer; `Err` with why when the worker gave none.
    fn ask(&mut self, job: &[u8]) -> Result<Vec<u8>, String> {
        // The worker reads a whole job before it writes anything: no deadlock.
        write_message(&mut self.stdin, job).map_err(|e| e.to_string())?;
        self.served += 1;
        read_message(&mut self.stdout).map_err(|e| e.to_string())?.ok_or_else(|| "no answer".into())
    }

    /// Ends the worker: it reads the end of its input and exits.
    fn end(self) -> std::process::Output {
        let Worker { child, stdin, stdout, .. } = self;
        drop(stdin);
        drop(stdout);
        child.wait_with_output().unwrap_or_else(|e| std::process::Output {
            status: Default::default(),
            stdout: Vec::new(),
            stderr: e.to_string().into_bytes(),
        })
    }
}

/// This thread's idle worker, if any; ended with the thread.
struct Kept(Option<Worker>);

impl Drop for Kept {
    fn drop(&mut self) {
        if let Some(w) = self.0.take() {
            w.end();
        }
    }
}

thread_local! {
    static KEPT: RefCell<Kept> = const { RefCell::new(Kept(None)) };
}

fn write_message(to: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    to.write_all(&(bytes.len() as u64).to_le_bytes())?;
    to.write_all(bytes)?;
    to.flush()
}

/// One message; `None` at the end of the input, before any byte of a message.
fn read_message(from: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    let mut got = 0;
    while got < len.len() {
        match from.read(&mut len[got..])? {
            0 if got == 0 => return Ok(None),
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => got += n,
        }
    }
    let len = usize::try_from(u64::from_le_bytes(len)).map_err(|_| std::io::ErrorKind::InvalidData)?;
    let mut bytes = Vec::new();
    from.take(len as u64).read_to_end(&mut bytes)?;
    if bytes.len() < len {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(bytes))
}

/// Typesets `job` in this thread's worker process of `exe`, started if there is none; `None`
/// when no process can be started (then the caller typesets in process).
pub(super) fn run(exe: &Path, job: &PdfJob, fonts: &Fonts) -> Option<Result<Typeset, TypesetError>> {
    let mut worker = match KEPT.with(|k| k.borrow_mut().0.take()) {
        Some(w) => w,
        None => Worker::start(exe)?,
    };
    // After a heavy job the worker ends: a long document's memory goes back to the system at once.
    let heavy = super::weight(job.files) > 0 || !job.parts.is_empty();
    let answer = worker.ask(&encode_job(job, fonts)).and_then(|a| decode_answer(&a).ok_or_else(|| "no answer".into()));
    match answer {
        Ok(answer) if !heavy && worker.served < MAX_JOBS => {
            KEPT.with(|k| k.borrow_mut().0 = Some(worker));
            Some(answer)
        }
        Ok(answer) => {
            worker.end();
            Some(answer)
        }
        Err(why) => {
            let out = worker.end();
            let err = String::from_utf8_lossy(&out.stderr);
            let why = if out.status.success() { why } else { format!("{why} ({})", out.status) };
            let err = err.trim();
            Some(Err(TypesetError::Worker(if err.is_empty() { why } else { format!("{why}: {err}") })))
        }
    }
}

/// The worker's side: reads jobs on standard input until its end, typesets each, writes each
/// answer on standard output. Returns the process's exit status (0 when every job was answered,
/// even with an error).
pub fn work() -> u8 {
    // A worker never outlives a policybook that was killed.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    serve(BufReader::new(std::io::stdin().lock()), BufWriter::new(std::io::stdout().lock()))
}

/// Answers the jobs of `input` on `output`, one after another, until the end of `input`.
fn serve(mut input: impl Read, mut output: impl Write) -> u8 {
    // The fonts of the last job, loaded once for the jobs that bring the same files.
    let mut loaded: Option<(Files, Fonts)> = None;
    loop {
        let job = match read_message(&mut input) {
            Ok(None) => return 0,
            Ok(Some(m)) => decode_job(&m),
            Err(_) => None,
        };
        let Some(job) = job else {
            eprintln!("policybook {WORKER_ARG}: the input is not a typesetting job");
            return 2;
        };
        if loaded.as_ref().is_some_and(|(files, _)| *files != job.fonts) {
            loaded = None;
        }
        let fonts = match &mut loaded {
            Some((_, fonts)) => Ok(&*fonts),
            empty => Fonts::new(job.fonts.clone()).map(|fonts| &empty.insert((job.fonts, fonts)).1),
        };
        let pdf = PdfJob {
            main: &job.main,
            files: &job.files,
            parts: &job.parts,
            date: job.date,
            standards: job.standards,
            keep_memo: job.keep_memo,
            reuse: job.salt.as_deref().map(|salt| Reuse { salt, previous: &job.previous }),
        };
        let answer = encode_answer(&fonts.and_then(|fonts| compile_here(&pdf, fonts)));
        if write_message(&mut output, &answer).is_err() {
            return 2;
        }
    }
}

/// Files as (name, bytes): a job's data, a project's fonts.
type Files = Vec<(String, Vec<u8>)>;

/// A job as the worker receives it: everything owned.
struct Received {
    main: String,
    files: Files,
    parts: Vec<Vec<u8>>,
    date: Date,
    standards: Standards,
    keep_memo: bool,
    salt: Option<String>,
    previous: Files,
    fonts: Files,
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
    put_pairs(&mut out, job.parts.iter().map(|b| ("", b.as_slice())));
    for n in [job.date.year as u64, job.date.month as u64, job.date.day as u64] {
        put_num(&mut out, n);
    }
    put_num(&mut out, matches!(job.standards, Standards::ArchivalAccessible) as u64);
    put_num(&mut out, job.keep_memo as u64);
    put_num(&mut out, job.reuse.is_some() as u64);
    put(&mut out, job.reuse.map_or("", |r| r.salt).as_bytes());
    put_pairs(&mut out, job.reuse.map_or(&[][..], |r| r.previous).iter().map(|(n, b)| (n.as_str(), b.as_slice())));
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

    fn pairs(&mut self) -> Option<Files> {
        let n = self.num()?;
        (0..n).map(|_| Some((self.text()?, self.bytes()?.to_vec()))).collect()
    }
}

fn decode_job(input: &[u8]) -> Option<Received> {
    let mut f = Fields(input.strip_prefix(MAGIC)?);
    let main = f.text()?;
    let files = f.pairs()?;
    let parts = f.pairs()?.into_iter().map(|(_, b)| b).collect();
    let date = Date { year: f.num()? as i32, month: f.num()? as u32, day: f.num()? as u32 };
    let standards = if f.num()? == 1 { Standards::ArchivalAccessible } else { Standards::None };
    let keep_memo = f.num()? == 1;
    let reuse = f.num()? == 1;
    let salt = f.text()?;
    let salt = reuse.then_some(salt);
    let previous = f.pairs()?;
    let fonts = f.pairs()?;
    f.0.is_empty().then_some(Received { main, files, parts, date, standards, keep_memo, salt, previous, fonts })
}

fn encode_answer(answer: &Result<Typeset, TypesetError>) -> Vec<u8> {
    let mut out = Vec::new();
    let (kind, payload): (u8, &[u8]) = match answer {
        Ok((pdf, units)) => {
            out.push(0);
            put(&mut out, pdf);
            put_pairs(&mut out, units.iter().map(|(k, e)| (k.as_str(), e.as_slice())));
            return out;
        }
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

fn decode_answer(answer: &[u8]) -> Option<Result<Typeset, TypesetError>> {
    let (&kind, rest) = answer.split_first()?;
    let mut f = Fields(rest);
    let result = match kind {
        0 => Ok((f.bytes()?.to_vec(), f.pairs()?)),
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
    fn a_worker_takes_its_share_of_the_cores_for_typst() {
        assert_eq!(typst_threads(2, 1), 2, "alone: every core");
        assert_eq!(typst_threads(2, 2), 1);
        assert_eq!(typst_threads(8, 3), 2);
        assert_eq!(typst_threads(2, 5), 1, "never none");
        assert_eq!(typst_threads(1, 0), 1);
    }

    #[test]
    fn a_job_and_every_answer_cross_the_pipe_unchanged() {
        let fonts = Fonts::shipped();
        let files = [("data.json".into(), b"{}".to_vec()), ("common.typ".into(), vec![0, 1, 2])];
        let parts = [b"{\"a\":1}".to_vec(), Vec::new()];
        let previous = [("k1".to_string(), b"{}\n%PDF".to_vec())];
        let job = PdfJob {
            main: "#json(\"data.json\")",
            files: &files,
            parts: &parts,
            date: Date { year: 2026, month: 4, day: 1 },
            standards: Standards::ArchivalAccessible,
            keep_memo: true,
            reuse: Some(Reuse { salt: "5a17", previous: &previous }),
        };
        let got = decode_job(&encode_job(&job, &fonts)).expect("decodes");
        assert_eq!((got.main.as_str(), got.files.as_slice(), got.date), (job.main, job.files, job.date));
        assert_eq!(got.parts, parts);
        assert!(matches!(got.standards, Standards::ArchivalAccessible) && got.fonts.is_empty() && got.keep_memo);
        assert_eq!((got.salt.as_deref(), got.previous.as_slice()), (Some("5a17"), &previous[..]));
        // A cut or lengthened input is refused, never misread.
        let whole = encode_job(&job, &fonts);
        assert!(decode_job(&whole[..whole.len() - 1]).is_none());
        assert!(decode_job(&[whole.as_slice(), b"x"].concat()).is_none());
        let answers = [
            Ok((b"%PDF-1.7".to_vec(), Vec::new())),
            Ok((b"%PDF-1.7".to_vec(), vec![("k".to_string(), b"{}\n%PDF".to_vec())])),
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

    #[test]
    fn one_worker_answers_jobs_one_after_another_until_its_input_ends() {
        let fonts = Fonts::shipped();
        let files = [("data.json".into(), r#"{"t": "第1条"}"#.as_bytes().to_vec())];
        let job = |main| PdfJob {
            main,
            files: &files,
            parts: &[],
            date: Date { year: 2026, month: 4, day: 1 },
            standards: Standards::None,
            keep_memo: false,
            reuse: None,
        };
        let mut input = Vec::new();
        for main in ["#json(\"data.json\").t", "#unknown", "#json(\"data.json\").t"] {
            write_message(&mut input, &encode_job(&job(main), &fonts)).unwrap();
        }
        // A font that is no font: its job's answer is the error, and the next job is served.
        let mut bad = encode_job(&job("x"), &fonts);
        bad.truncate(bad.len() - 8);
        put_pairs(&mut bad, [("bad.ttf", &b"not a font"[..])].into_iter());
        write_message(&mut input, &bad).unwrap();
        write_message(&mut input, &encode_job(&job("#json(\"data.json\").t"), &fonts)).unwrap();
        let mut output = Vec::new();
        assert_eq!(serve(input.as_slice(), &mut output), 0);
        let mut answers = Vec::new();
        let mut out = output.as_slice();
        while let Some(a) = read_message(&mut out).unwrap() {
            answers.push(decode_answer(&a).expect("an answer"));
        }
        let kinds: Vec<_> = answers.iter().map(|a| a.as_ref().map(|(pdf, _)| pdf.len())).collect();
        let same = |a: &Typeset, b: &Typeset| a.0.starts_with(b"%PDF") && a == b;
        assert!(
            matches!(&answers[..], [Ok(a), Err(TypesetError::Typst(_)), Ok(b), Err(TypesetError::BadFont { .. }), Ok(c)]
                if same(a, b) && same(b, c)),
            "{kinds:?}"
        );
        // Cut inside a message: refused, exit status 2.
        let mut cut = Vec::new();
        write_message(&mut cut, &encode_job(&job("x"), &fonts)).unwrap();
        cut.pop();
        assert_eq!(serve(cut.as_slice(), Vec::new()), 2);
        assert!(read_message(&mut &cut[..]).is_err() && read_message(&mut &b""[..]).unwrap().is_none());
    }
}
