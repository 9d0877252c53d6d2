#!/usr/bin/env python3
"""test_doc_samples.py — the shell samples in README.md and docs/*.md must print what they show.

A sample is a fenced block whose first line starts with "$ ".  Its "$ " lines are commands
(continued by a trailing backslash, or by a here-document up to its delimiter line); the other
lines are what the commands print, stdout and stderr together, in order.  The commands run in
one shell from the repository root, with `build/bin/custos` replaced by the build's program
($CUSTOS), so `$ echo $?` shows the previous command's exit status.

What a documented output may leave out, and how:
  - a line holding only "..." or "…" stands for any number of lines (none included);
  - "…" inside a line stands for any text within that line;
  - a duration at the end of a summary line ("in 0.01s") matches any duration.
A REPL session — a `custos repl` command followed by "custos> " lines — is run with those
lines as its standard input; piped, the REPL prints no prompts and no banner, so the prompt
lines and the lines before the first prompt (the banner) are not expected.

A sample that cannot be reproduced is skipped by an HTML comment on the line before its block,
`<!-- doc-sample: skip REASON -->`; every skipped sample is listed with its reason.

Exit status 0 when every sample matches, 1 otherwise (each mismatch shows the sample's file and
line, the expected and the actual output).
"""
import os
import re
import subprocess
import sys

SOURCE = os.environ.get("CUSTOS_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
CUSTOS = os.environ.get("CUSTOS") or os.path.join(SOURCE, "build", "bin", "custos")
PROMPT = "custos> "
SKIP_MARK = re.compile(r"^<!--\s*doc-sample:\s*skip\s+(.+?)\s*-->\s*$")
DURATION = re.compile(r"( in )\d+(\.\d+)?s$")
HEREDOC = re.compile(r"<<-?\s*'?\"?([A-Za-z_][A-Za-z0-9_]*)")


class Sample:
    def __init__(self, path, line, lines, skip):
        self.path, self.line, self.lines, self.skip = path, line, lines, skip
        self.name = "%s:%d" % (path, line)


def find_samples(path):
    """Every fenced block of the file whose first line is a command."""
    with open(os.path.join(SOURCE, path), encoding="utf-8") as f:
        text = f.read().split("\n")
    samples, i = [], 0
    while i < len(text):
        if text[i].startswith("```"):
            start = i
            j = i + 1
            while j < len(text) and not text[j].startswith("```"):
                j += 1
            body = text[start + 1:j]
            if body and body[0].startswith("$ "):
                k = start - 1
                while k >= 0 and text[k].strip() == "":
                    k -= 1
                mark = SKIP_MARK.match(text[k]) if k >= 0 else None
                samples.append(Sample(path, start + 2, body, mark.group(1) if mark else None))
            i = j + 1
        else:
            i += 1
    return samples


def parse(sample):
    """The sample as a shell script and its expected output lines."""
    script, expected, lines, i = ["exec 2>&1"], [], sample.lines, 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("$ "):
            expected.append(line)
            i += 1
            continue
        command = [line[2:]]
        i += 1
        while command[-1].endswith("\\") and i < len(lines):
            command.append(lines[i])
            i += 1
        heredoc = HEREDOC.search(" ".join(command))
        if heredoc:
            while i < len(lines):
                command.append(lines[i])
                i += 1
                if lines[i - 1] == heredoc.group(1):
                    break
        text = "\n".join(command).replace("build/bin/custos", shell_quote(CUSTOS))
        if " repl" in command[0] and any(l.startswith(PROMPT) for l in until_next_command(lines, i)):
            # A REPL session: the prompt lines are its input; the banner shows on a terminal only.
            inputs, banner = [], True
            while i < len(lines) and not lines[i].startswith("$ "):
                if lines[i].startswith(PROMPT):
                    inputs.append(lines[i][len(PROMPT):])
                    banner = False
                elif not banner:
                    expected.append(lines[i])
                i += 1
            if inputs:
                text += " <<'__DOC_SAMPLE_INPUT__'\n" + "\n".join(inputs) + "\n__DOC_SAMPLE_INPUT__"
        script.append(text)
    while expected and expected[-1] == "":
        expected.pop()
    return "\n".join(script) + "\n", expected


def until_next_command(lines, i):
    """The lines from i up to the next command."""
    end = i
    while end < len(lines) and not lines[end].startswith("$ "):
        end += 1
    return lines[i:end]


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def line_matches(expected, actual):
    if DURATION.search(expected) and DURATION.search(actual):
        expected, actual = DURATION.sub(r"\1Ts", expected), DURATION.sub(r"\1Ts", actual)
    pattern = ".*?".join(re.escape(p) for p in expected.split("…"))
    return re.fullmatch(pattern, actual, re.S) is not None


def matches(expected, actual):
    """Whether the actual lines match the expected ones, elisions included."""
    memo = {}

    def at(e, a):
        key = (e, a)
        if key in memo:
            return memo[key]
        if e == len(expected):
            result = a == len(actual)
        elif expected[e].strip() in ("...", "…"):
            result = any(at(e + 1, k) for k in range(a, len(actual) + 1))
        else:
            result = a < len(actual) and line_matches(expected[e], actual[a]) and at(e + 1, a + 1)
        memo[key] = result
        return result

    return at(0, 0)


def main():
    paths = ["README.md"] + sorted(
        os.path.join("docs", n) for n in os.listdir(os.path.join(SOURCE, "docs")) if n.endswith(".md"))
    env = dict(os.environ, NO_COLOR="1", TERM="dumb", LC_ALL="C.UTF-8")
    run = failed = 0
    skipped = []
    for path in paths:
        for sample in find_samples(path):
            if sample.skip:
                skipped.append(sample)
                continue
            script, expected = parse(sample)
            proc = subprocess.run(["sh", "-c", script], cwd=SOURCE, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, timeout=120)
            actual = proc.stdout.decode("utf-8", "replace").split("\n")
            while actual and actual[-1] == "":
                actual.pop()
            run += 1
            if matches(expected, actual):
                continue
            failed += 1
            print("FAIL %s: the output differs from the documented one" % sample.name)
            print("  --- documented")
            for line in expected:
                print("  | " + line)
            print("  --- printed")
            for line in actual:
                print("  | " + line)
    for sample in skipped:
        print("skip %s: %s" % (sample.name, sample.skip))
    if run == 0:
        print("FAIL: no shell sample found in README.md or docs/*.md")
        return 1
    print("%d samples run, %d failed, %d skipped" % (run, failed, len(skipped)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
