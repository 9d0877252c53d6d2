#!/usr/bin/env python3
"""test_repl_pty.py — `custos repl` on a pseudo-terminal: readline's tab completion (commands,
fields, enum and boolean values, articles, file names, choices), Ctrl-C, a pasted document,
and history kept across sessions (the up arrow recalls a line of the session before).

Run by ctest with CUSTOS (the built program) and CUSTOS_SOURCE_DIR in the environment; by hand:
    CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. python3 tests/cli/test_repl_pty.py
Standard library only.  Every failed assertion prints what was expected and the screen's text
so far; the script exits 1 when any failed, after printing the counts.
"""
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time

CUSTOS = os.path.abspath(os.environ["CUSTOS"])
SRC = os.path.abspath(os.environ["CUSTOS_SOURCE_DIR"])
GZ = os.path.join(SRC, "policies", "gz-2012")
CONTRACTS = os.path.join(SRC, "examples", "data", "contracts.yaml")
PURPOSES = os.path.join(SRC, "examples", "data", "purposes.yaml")
TIMEOUT = float(os.environ.get("CUSTOS_PTY_TIMEOUT", "20"))  # generous: sanitizer builds are slow

TAB, ENTER, CTRL_C, CTRL_D, CTRL_U, UP = "\t", "\r", "\x03", "\x04", "\x15", "\x1b[A"

# Terminal control sequences and carriage returns, removed before matching.
CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x07|\r")

passed = 0
failed = 0


def clean(raw):
    return CONTROL.sub("", raw.decode("utf-8", "replace"))


class Repl:
    """One `custos repl` on a pty, read like expect(1)."""

    def __init__(self, name, args, env, cwd):
        self.name = name
        pid, fd = pty.fork()
        if pid == 0:  # the child: the REPL, with the pty as its terminal
            try:
                os.chdir(cwd)
                os.execve(CUSTOS, [CUSTOS, "repl"] + args, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.raw = b""
        self.pos = 0  # where the next expect starts looking, in clean(self.raw)
        self.status = None

    def _read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        if not chunk:
            return None
        self.raw += chunk
        return True

    def send(self, text):
        os.write(self.fd, text.encode("utf-8"))

    def expect(self, pattern, what):
        """Waits until pattern (a regex) shows after the last match; records pass or fail."""
        global passed, failed
        deadline = time.monotonic() + TIMEOUT
        while True:
            text = clean(self.raw)
            m = re.search(pattern, text[self.pos:])
            if m:
                self.pos += m.end()
                passed += 1
                return True
            left = deadline - time.monotonic()
            if left <= 0 or self._read(min(left, 0.5)) is None:
                if re.search(pattern, clean(self.raw)[self.pos:]):
                    continue
                failed += 1
                tail = clean(self.raw)[self.pos:][-1500:]
                print("FAIL: %s: %s\n  expected: /%s/\n  screen since the last match:\n%s"
                      % (self.name, what, pattern,
                         "\n".join("  | " + line for line in tail.split("\n"))))
                return False

    def expect_all(self, patterns, what):
        """Waits until every pattern shows after the last match, in any order (readline lists
        completions in columns, sorted down the columns)."""
        ahead = "".join("(?=[\\s\\S]*%s)" % p for p in patterns)
        return self.expect(ahead + "[\\s\\S]*(?:%s)" % "|".join(patterns[-1:]), what)

    def mark(self):
        """Where the screen's text is now, for expect_not."""
        return self.pos

    def expect_not(self, pattern, what, since):
        """The screen between `since` (a mark) and the last match does not show pattern."""
        global passed, failed
        text = clean(self.raw)[since:self.pos]
        if re.search(pattern, text):
            failed += 1
            print("FAIL: %s: %s\n  unexpected: /%s/ in:\n%s" % (self.name, what, pattern, text[-800:]))
        else:
            passed += 1

    def wait(self, what, code=0):
        """Waits for the REPL to exit; checks its exit status."""
        global passed, failed
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                break
            self._read(0.2)
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            failed += 1
            print("FAIL: %s: %s: the REPL did not exit\n%s" % (self.name, what, clean(self.raw)[-800:]))
        elif self.status != code:
            failed += 1
            print("FAIL: %s: %s: exit status %s, expected %s\n%s"
                  % (self.name, what, self.status, code, clean(self.raw)[-800:]))
        else:
            passed += 1
        os.close(self.fd)


def check(condition, what, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (what, detail))


def main():
    for path in (GZ, CONTRACTS, PURPOSES):
        if not os.path.exists(path):
            print("SKIP: %s is missing" % path)
            return 0
    tmp = tempfile.mkdtemp(prefix="custos-pty.")
    try:
        return run(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(tmp):
    home = os.path.join(tmp, "home")
    state = os.path.join(tmp, "state")
    work = os.path.join(tmp, "work")
    for d in (home, work):
        os.makedirs(d)
    shutil.copy(PURPOSES, os.path.join(work, "purposes-extra.yaml"))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TERM": "xterm",
           "NO_COLOR": "1", "XDG_STATE_HOME": state, "LC_ALL": "C.UTF-8"}
    for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if key in os.environ:
            env[key] = os.environ[key]
    base = ["--policies", GZ, "--data", CONTRACTS]
    prompt = r"custos> "

    # ---- session 1: completion ------------------------------------------------------------
    r = Repl("session 1", base, env, work)
    r.expect(r"Type :help", "the banner")
    r.expect(prompt, "the prompt")

    r.send(":se" + TAB)
    r.expect(r":set $", "TAB completes ':se' to the command ':set '")
    r.send("resource.entr" + TAB)
    r.expect(r"resource\.entrusted $", "TAB completes a field name")
    r.send("tr" + TAB)
    r.expect(r"true $", "TAB completes a boolean value")
    r.send(ENTER)
    r.expect(prompt, "prompt after :set")

    r.send(":set subject." + TAB + TAB)
    r.expect_all([r"subject\.clearance", r"subject\.id", r"subject\.org", r"subject\.role",
                  r"subject\.signed_confidentiality"], "TAB TAB lists the fields under subject.")
    r.expect(r":set subject\.$", "the line is redrawn after the list")
    r.send("id alice" + ENTER)
    r.expect(prompt, "prompt after :set subject.id")

    r.send(":set resource.classification con" + TAB)
    r.expect(r"resource\.classification confidential $", "TAB completes a classification level")
    r.send(ENTER)
    r.expect(prompt, "prompt")
    r.send(":set resource.classification " + TAB + TAB)
    r.expect(r"top_secret", "TAB TAB lists the classification levels")
    r.send(CTRL_U + ENTER)
    r.expect(prompt, "prompt after an emptied line")

    r.send(":lang e" + TAB)
    r.expect(r":lang en $", "TAB completes a choice")
    r.send(CTRL_U + ":as-of 2026-11-22T10:00:00+08:00" + ENTER)
    r.expect(prompt, "prompt after :as-of")

    r.send(":cite gz-2012/1" + TAB + TAB)
    r.expect_all([r"gz-2012/10", r"gz-2012/13", r"gz-2012/19"],
                 "TAB TAB lists the articles gz-2012/1...")
    r.expect(r":cite gz-2012/1$", "the line is redrawn after the list")
    r.send("3" + ENTER)
    r.expect("促销", ":cite gz-2012/13 shows the article's Chinese text")
    r.expect(prompt, "prompt after :cite")

    r.send(":whynot g" + TAB)
    r.expect(r":whynot gz-2012/$", "TAB completes to the regime's prefix")
    r.send("11" + ENTER)
    r.expect(r"gz-2012 art\. 11", ":whynot gz-2012/11 answers")
    r.expect(prompt, "prompt after :whynot")

    r.send(":data purp" + TAB)
    r.expect(r":data purposes-extra\.yaml $", "TAB completes a file name after :data")
    r.send(ENTER)
    r.expect(r"reloaded: 1 regime, 2 data documents", ":data loads the completed file")
    r.expect(prompt, "prompt after :data")

    r.send(":sh" + TAB + ENTER)
    r.expect(r"entrusted: true", "the completed :set took effect")
    r.expect(r"id: alice", "... and so did the one typed after the list")
    r.expect(prompt, "prompt after :show")

    # Ctrl-C drops the line being typed; the session goes on.
    r.send(":set subject.org half-typed")
    r.expect(r"half-typed", "the typed text is echoed")
    r.send(CTRL_C)
    r.expect(r"\^C\n" + prompt, "Ctrl-C gives a fresh prompt")
    since = r.mark()
    r.send(":show" + ENTER)
    r.expect(r"subject:\n  id: alice\n", ":show after Ctrl-C")
    r.expect(prompt, "prompt after :show")
    r.expect_not(r"org: half-typed", "the interrupted line was not run", since)

    # Ctrl-C inside a document drops the document.
    r.send("subject:" + ENTER)
    r.expect(r"\.\.\.> ", "a document continues on a '...>' prompt")
    r.send("  role: dropped" + ENTER)
    r.expect(r"\.\.\.> ", "... and goes on")
    r.send(CTRL_C)
    r.expect(r"\^C\n" + prompt, "Ctrl-C in a document gives the first prompt back")
    since = r.mark()
    r.send(":show" + ENTER)
    r.expect(r"subject:\n  id: alice\n", ":show after Ctrl-C in a document")
    r.expect(prompt, "prompt after :show")
    r.expect_not(r"role: dropped", "the interrupted document was not merged", since)

    # A document typed (or pasted) at the prompt, ended by an empty line.
    r.send("action: use" + ENTER)
    r.expect(r"\.\.\.> ", "a document continues on a '...>' prompt")
    r.send(ENTER)
    r.expect(prompt, "an empty line ends the document")
    r.send(":show" + ENTER)
    r.expect(r"action: use", "the document was merged into the request")

    r.send(":set purpose billing-reconciliation" + ENTER)
    r.expect(prompt, "prompt")
    r.send(":quit" + ENTER)
    r.wait(":quit ends the session", 0)

    history = os.path.join(state, "custos", "history")
    check(os.path.isfile(history), "the default history file", "(%s) was written" % history)
    if os.path.isfile(history):
        with open(history, encoding="utf-8") as f:
            lines = f.read().split("\n")
        check(":set purpose billing-reconciliation" in lines, "history holds the typed lines",
              repr(lines[-5:]))
        check(":set subject.id alice" in lines, "history holds the line completed with TAB",
              repr(lines))
        check(":set subject.org half-typed" not in lines, "history leaves out the line "
              "interrupted by Ctrl-C", repr(lines))

    # ---- session 2: history recalled with the up arrow ---------------------------------------
    r = Repl("session 2", base, env, work)
    r.expect(prompt, "the prompt")
    r.send(UP)
    r.expect(r":quit", "the up arrow recalls the last line of the session before")
    r.send(UP)
    # readline redraws only what differs from the line shown (":quit"): the ':' stays
    r.expect(r"set purpose billing-reconciliation", "a second up arrow, the line before it")
    r.send(ENTER)
    r.expect(prompt, "prompt after the recalled line")
    r.send(":show" + ENTER)
    r.expect(r"purpose: billing-reconciliation", "the recalled line ran in the new session")
    r.expect(prompt, "prompt")
    r.send(CTRL_D)
    r.wait("Ctrl-D on an empty line ends the session", 0)

    # ---- session 3: --history FILE ------------------------------------------------------------
    own = os.path.join(tmp, "own-history")
    r = Repl("session 3", base + ["--history", own], env, work)
    r.expect(prompt, "the prompt")
    r.send(":json on" + ENTER)
    r.expect(prompt, "prompt")
    r.send(":quit" + ENTER)
    r.wait(":quit", 0)
    content = open(own, encoding="utf-8").read() if os.path.isfile(own) else ""
    check(":json on" in content, "--history FILE receives the session's lines", repr(content))

    # ---- session 4: --history naming a FIFO (readline would block opening it) ----------------
    fifo = os.path.join(tmp, "fifo-history")
    os.mkfifo(fifo)
    r = Repl("session 4", base + ["--history", fifo], env, work)
    r.expect(r"the history .*fifo-history is a named pipe \(FIFO\), not a file: history is not kept",
             "a FIFO history is refused at once, saying what it is")
    r.expect(prompt, "the prompt")
    r.send(":quit" + ENTER)
    r.wait(":quit with a FIFO history", 0)
    return 0


if __name__ == "__main__":
    main()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
