#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the project's own
sources: policy-source/ (now and in every git revision), tests/fixtures (the importer's too) and
the bad-input corpus (tests/bad-inputs). Run from the project root: `python3 fuzz/seed.py`. Files are joined by NUL, as the targets split them."""
import hashlib, pathlib, re, subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def documents(read):
    """(ja, en) of every document: single files, and a chapter folder as its index followed by its
    chapters. References to other documents become their text (a target's project holds one)."""
    out = []
    for ja in sorted(ROOT.glob("policy-source/*.ja.md")) + sorted(ROOT.glob("tests/fixtures/*/policy-source/*.ja.md")):
        rel = ja.relative_to(ROOT).as_posix()
        out.append((rel, rel.replace(".ja.md", ".en.md")))
    for index in sorted(ROOT.glob("policy-source/*/index.ja.md")):
        files = [p.relative_to(ROOT).as_posix() for p in [index] + sorted(index.parent.glob("[0-9]*.ja.md"))]
        out.append((files, [p.replace(".ja.md", ".en.md") for p in files]))
    docs = []
    for ja, en in out:
        text = lambda p: b"\n".join(filter(None, (read(x) for x in ([p] if isinstance(p, str) else p))))
        docs.append((text(ja), text(en)))
    return [(alone(ja), alone(en)) for ja, en in docs if ja]


def alone(text):
    """`text` with references to other documents turned into their text (or nothing)."""
    return re.sub(rb"\[([^\]]*)\]\([a-z0-9-]+(#[^)]*)?\)", rb"\1", text)


def at(rev):
    def read(path):
        r = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True)
        return r.stdout if r.returncode == 0 else None
    return read


def worktree(path):
    p = ROOT / path
    return p.read_bytes() if p.is_file() else None


def write(target, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def edited(text):
    """The same document with every fifth line of text amended: a plausible revision."""
    lines = text.split(b"\n")
    body = lines.index(b"---", 1) + 1 if lines[0] == b"---" and b"---" in lines[1:] else 0
    plain = lambda l: l and not l.startswith((b"#", b":::", b"|", b"!", b"---", b" "))
    return b"\n".join(l + b" (amended)" if i > body and i % 5 == 0 and plain(l) else l for i, l in enumerate(lines))


def main():
    now = documents(worktree)
    revs = subprocess.run(["git", "-C", str(ROOT), "rev-list", "HEAD", "--", "policy-source"],
                          capture_output=True, text=True).stdout.split()
    for ja, en in now:
        write("markdown", ja)
        write("load", ja + b"\0" + en)
        write("diff", b"\0".join([ja, en, edited(ja), edited(en)]))
    # The bad-input corpus: every case's Japanese file with the English beside it (or the base's).
    base = ROOT / "tests/bad-inputs/base/policy-source"
    for ja in sorted(ROOT.glob("tests/bad-inputs/*/*/policy-source/*.ja.md")) + sorted(base.glob("*.ja.md")):
        en = ja.with_name(ja.name.replace(".ja.md", ".en.md"))
        en = en if en.is_file() else base / en.name
        write("markdown", ja.read_bytes())
        write("load", ja.read_bytes() + b"\0" + (en.read_bytes() if en.is_file() else b""))
    for rev in revs:
        for (old_ja, old_en), (new_ja, new_en) in zip(documents(at(rev)), now):
            write("diff", b"\0".join([old_ja, old_en, new_ja, new_en]))
    # The importer: its fixtures (text; the tests make the CP932 and .docx forms) and the sources.
    for f in sorted(ROOT.glob("tests/fixtures/import/*")):
        write("import", f.read_bytes())
        write("import", f.read_text(encoding="utf-8").replace("\u2014", "\u2015").encode("cp932", "replace"))
    for ja, _ in now:
        write("import", ja)
    for t in ("markdown", "load", "diff", "import"):
        print(t, len(list((CORPUS / t).iterdir())), "seeds")


if __name__ == "__main__":
    main()
