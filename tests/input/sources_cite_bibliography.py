#!/usr/bin/python3
"""Every number lunarsim ships can be followed to its origin from a clone of the repository alone.

What it checks, and why:

1. Every parameter printed by `lunarsim params` (the registry as the user sees it) has a source that is
   either a citation, `docs/REFERENCES.md [Key]: what is taken`, or a design choice,
   `design choice: why` (which may cite works inside, in the same form). An empty source, a bare
   "design choice", or a free-form reference ("REFERENCES.md: Panels", "Smith et al. 2010") cannot be
   followed by a reader, so it fails.
2. Every key cited anywhere (parameter sources, the refinery route and site data files, README.md,
   docs/MODEL.md, docs/OUTPUT.md) is defined as an entry heading `### [Key]` in docs/REFERENCES.md, and no
   key is defined twice. A citation to a missing entry is a dangling pointer.
3. No file checked here names "REFERENCES.md" except as docs/REFERENCES.md (or a relative link to it from
   docs/): the team's working notes are not part of the product, and the old "REFERENCES.md: section" form
   pointed at a file a user's clone does not have.

Usage: sources_cite_bibliography.py --lunarsim PATH --root SOURCE_DIR
"""
import argparse
import re
import subprocess
import sys

KEY = r"[A-Za-z][A-Za-z0-9]+"
CITATION = re.compile(r"docs/REFERENCES\.md \[(" + KEY + r")\]")
BRACKETED_KEY = re.compile(r"\[(" + KEY + r")\](?![(\[])")
# The doc comment `lunarsim params` writes above each key: "  # doc [unit-or-type] (source)".
DOC_LINE = re.compile(r"^  # .* \[(?:[^\]]*, range [^\]]*|integer, range [^\]]*|true\|false|one of [^\]]*|text)\] "
                      r"\((.*)\)$")

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAILED:", msg, file=sys.stderr)


def defined_keys(root):
    keys = {}
    with open(f"{root}/docs/REFERENCES.md", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = re.match(r"^#{2,4}\s+\[(" + KEY + r")\]\s*$", line)
            if m:
                if m.group(1) in keys:
                    fail(f"docs/REFERENCES.md:{number}: key [{m.group(1)}] defined twice (first at line "
                         f"{keys[m.group(1)]})")
                keys[m.group(1)] = number
    if len(keys) < 10:
        fail(f"docs/REFERENCES.md defines only {len(keys)} keys: the heading form '### [Key]' was not found")
    return keys


def check_citations(where, text, keys):
    """Keys cited as docs/REFERENCES.md [Key] must exist; any other mention of REFERENCES.md is stray."""
    for key in CITATION.findall(text):
        if key not in keys:
            fail(f"{where}: cites [{key}], which docs/REFERENCES.md does not define")
    rest = CITATION.sub("", text)
    if "REFERENCES.md" in rest:
        fail(f"{where}: mentions REFERENCES.md other than as 'docs/REFERENCES.md [Key]': {text!r}")
    return rest


def parameter_sources(lunarsim):
    proc = subprocess.run([lunarsim, "params"], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        fail(f"lunarsim params exited {proc.returncode}: {proc.stderr.strip()}")
        return []
    lines = proc.stdout.splitlines()
    sources, section, keys_seen = [], None, 0
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+:$", line):
            section = line[:-1]
        elif re.match(r"^  [a-z_0-9]+:", line):
            keys_seen += 1
        elif line.startswith("  # "):
            m = DOC_LINE.match(line)
            key = lines[i + 1].split(":")[0].strip() if i + 1 < len(lines) else "?"
            if not m:
                fail(f"{section}.{key}: cannot find the source in the doc line {line!r}")
                continue
            sources.append((f"{section}.{key}", m.group(1)))
    # Every key printed must have had its doc line parsed, or a parameter escaped the check.
    if keys_seen != len(sources) or keys_seen < 50:
        fail(f"parsed {len(sources)} sources for {keys_seen} parameters")
    return sources


def check_parameter(name, source, keys):
    if not source.strip():
        fail(f"{name}: empty source")
        return
    if not (re.match(r"design choice: \S", source) or CITATION.match(source)):
        fail(f"{name}: source is neither 'docs/REFERENCES.md [Key]: ...' nor 'design choice: why': {source!r}")
    rest = check_citations(name, source, keys)
    for key in BRACKETED_KEY.findall(rest):
        fail(f"{name}: [{key}] is not written as a citation 'docs/REFERENCES.md [{key}]': {source!r}")


def check_data_file(root, rel, keys):
    with open(f"{root}/{rel}", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if "REFERENCES" in line or CITATION.search(line):
                check_citations(f"{rel}:{number}", line.rstrip("\n"), keys)


def strip_code(markdown):
    """Code blocks and inline code hold usage placeholders like [DECK], not citations."""
    markdown = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", markdown)


def check_markdown(root, rel, keys):
    with open(f"{root}/{rel}", encoding="utf-8") as f:
        text = strip_code(f.read())
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{rel} (line {number} without code)"
        for key in CITATION.findall(line) + BRACKETED_KEY.findall(CITATION.sub("", line)):
            if key not in keys:
                fail(f"{where}: cites [{key}], which docs/REFERENCES.md does not define")
        # Links from docs/ to the bibliography are relative ("](REFERENCES.md"); anything else must say docs/.
        rest = re.sub(r"docs/REFERENCES\.md|\]\(REFERENCES\.md", "", line)
        if "REFERENCES.md" in rest:
            fail(f"{where}: mentions REFERENCES.md other than as docs/REFERENCES.md: {line.strip()!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lunarsim", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()

    keys = defined_keys(args.root)
    sources = parameter_sources(args.lunarsim)
    for name, source in sources:
        check_parameter(name, source, keys)
    for rel in ("data/routes/refinery_routes.csv", "data/sites/lunar_sourcebook_table_7_15.csv"):
        check_data_file(args.root, rel, keys)
    for rel in ("README.md", "docs/MODEL.md", "docs/OUTPUT.md", "docs/REFERENCES.md"):
        check_markdown(args.root, rel, keys)

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print(f"{len(sources)} parameter sources and the docs cite only the {len(keys)} keys of docs/REFERENCES.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
