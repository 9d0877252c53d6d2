#!/bin/sh
# test_streams.sh — files and streams: every command exits non-zero, saying so, when its output
# is lost (stdout closed, a full disk, a broken pipe); --junit never receives the text report;
# only regular files are read (a FIFO with no writer, a device, a folder are refused at once);
# a suite cannot expand past its limits.
#
# Run by ctest with CUSTOS (the built program), CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR in the
# environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. CUSTOS_BINARY_DIR=build sh tests/cli/test_streams.sh
# Every command that could hang on a FIFO runs under `timeout`, so a regression fails here
# instead of stopping the run.
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-streams.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$SRC/tests/cli/harness.sh"

cd "$SRC" || exit 1
BASIC=tests/fixtures/basic # regime "demo": art. 1 permits use of entrusted data
SUITES=tests/fixtures/suites/policies
EX=examples
TMPRE=$(printf '%s' "$TMP" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
LIMIT=10 # seconds: far above any command here, far below ctest's timeout

# run_to HOW NAME ARGS... — runs custos with stdout closed (HOW=closed), on /dev/full (full), or
# into a pipe whose reader is gone with SIGPIPE ignored (epipe: deterministic, the read end is
# closed before the program starts); stdin from $TMP/in when it exists, else empty.
run_to() {
    how=$1
    case_name="$2 (stdout $how)"
    shift 2
    in=/dev/null
    [ -f "$TMP/in" ] && in=$TMP/in
    : >"$TMP/out"
    case $how in
    closed) timeout $LIMIT "$CUSTOS" "$@" <"$in" 2>"$TMP/err" >&- ;;
    full) timeout $LIMIT "$CUSTOS" "$@" <"$in" 2>"$TMP/err" >/dev/full ;;
    epipe)
        timeout $LIMIT python3 -c '
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
signal.signal(signal.SIGPIPE, signal.SIG_IGN)
with open(sys.argv[1]) as stdin, open(sys.argv[2], "w") as err:
    sys.exit(subprocess.run(sys.argv[3:], stdin=stdin, stdout=w, stderr=err,
                            restore_signals=False).returncode)' "$in" "$TMP/err" "$CUSTOS" "$@" ;;
    esac
    code=$?
}

# run_limited NAME ARGS... — run, under the time limit (124 would mean it hung).
run_limited() {
    case_name=$1
    shift
    timeout $LIMIT "$CUSTOS" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
    code=$?
}

# lost_output NAME ARGS... — the command, each way its output can be lost: 74 and the reason.
lost_output() {
    name=$1
    shift
    run_to closed "$name" "$@"
    expect_code 74
    expect_err '^custos: cannot write to stdout(: Bad file descriptor)?$'
    run_to full "$name" "$@"
    expect_code 74
    expect_err '^custos: cannot write to stdout(: No space left on device)?$'
    if command -v python3 >/dev/null 2>&1; then
        run_to epipe "$name" "$@"
        expect_code 74
        expect_err '^custos: cannot write to stdout(: Broken pipe)?$'
    fi
}

# ---- lost output: every command, each way ----------------------------------------------------

rm -f "$TMP/in"
lost_output "decide, a permit" decide --policies $BASIC $EX/requests/permitted-use.yaml
lost_output "decide, a deny" decide --data $EX/data/contracts.yaml --data $EX/data/purposes.yaml \
    $EX/requests/sale.yaml
lost_output "decide --format json" decide --policies $BASIC --format json \
    $EX/requests/permitted-use.yaml
printf '%s\n' '{"action":"use","subject":{"id":"alice"},"resource":{"entrusted":true},"context":{"time":"2026-11-22T10:00:00+08:00"}}' \
    >"$TMP/one.jsonl"
lost_output "decide --batch" decide --batch --policies $BASIC "$TMP/one.jsonl"
lost_output "check" check
lost_output "check --fields" check --fields
lost_output "test" test $SUITES
lost_output "test --format json" test --format json $SUITES
lost_output "test --format tap" test --format tap $SUITES
lost_output "--help" --help
lost_output "help test" help test
printf ':help\n:help\n' >"$TMP/in"
lost_output "repl, piped" repl --policies $BASIC
rm -f "$TMP/in"

# A failing command keeps its own error code; the lost output is still said.
run_to full "a suite that fails and lost output" test tests/fixtures/suites/failing/fail.yaml
expect_code 74
run_to full "a missing request keeps 66" decide --policies $BASIC /no/such/request.yaml
expect_code 66
expect_err "^custos: /no/such/request\.yaml: no such file$"

# Output that was written is exit 0 as before.
run "decide with stdout writable: 0" decide --policies $BASIC $EX/requests/permitted-use.yaml
expect_code 0
expect_stderr_empty

# A broken pipe with SIGPIPE at its default kills the program: non-zero all the same.
if command -v python3 >/dev/null 2>&1; then
    case_name="test into a closed pipe, SIGPIPE default"
    python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(0 if subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.DEVNULL).returncode != 0 else 1)' \
        "$CUSTOS" test $SUITES
    if [ $? -eq 0 ]; then pass; else fail "exit status" "non-zero" "0"; fi
fi

# ---- --junit with stdout or stderr closed ----------------------------------------------------

# With fd 1 closed, the JUnit file would be opened as fd 1 and receive the text report.
rm -f "$TMP/junit.xml"
case_name="test --junit F >&-"
timeout $LIMIT "$CUSTOS" test --junit "$TMP/junit.xml" $SUITES >&- 2>"$TMP/err"
code=$?
expect_code 74
expect_python 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.stdin).getroot(); sys.exit(0 if r.tag == "testsuites" and int(r.get("tests")) > 0 else 1)' \
    "the JUnit file is one XML document" "$TMP/junit.xml"
if grep -Eq '^(ok|FAIL|ERROR) |passed, [0-9]+ failed' "$TMP/junit.xml"; then
    fail "no text report in the JUnit file" "none" "$(grep -E '^(ok|FAIL|ERROR) ' "$TMP/junit.xml" | head -n 1)"
else pass; fi

# With fd 2 closed, errors (a suite that does not load) must not land in the JUnit file either.
rm -f "$TMP/junit.xml"
case_name="test --junit F 2>&-"
timeout $LIMIT "$CUSTOS" test --junit "$TMP/junit.xml" tests/fixtures/suites/broken/bad-yaml.yaml \
    >"$TMP/out" 2>&-
code=$?
expect_code 3
expect_python 'import sys, xml.etree.ElementTree as E; E.parse(sys.stdin)' \
    "the JUnit file is one XML document" "$TMP/junit.xml"
if grep -q '^custos: ' "$TMP/junit.xml"; then
    fail "no error message in the JUnit file" "none" "$(grep '^custos: ' "$TMP/junit.xml" | head -n 1)"
else pass; fi

# The JUnit file itself on a full disk, or a FIFO with no reader (opening it would block).
run "test --junit /dev/full" test --junit /dev/full $SUITES
expect_code 74
expect_err "^custos: /dev/full: cannot write the JUnit report: No space left on device$"
mkfifo "$TMP/junit-fifo" || exit 1
run_limited "test --junit FIFO with no reader: refused at once" test --junit "$TMP/junit-fifo" $SUITES
expect_code 64
expect_err "^custos: --junit '${TMPRE}/junit-fifo': cannot write it: a named pipe \(FIFO\) with no reader$"

# stdin closed: reading '-' fails as a read error, never as an empty request.
case_name="decide - <&-"
timeout $LIMIT "$CUSTOS" decide --policies $BASIC - <&- >"$TMP/out" 2>"$TMP/err"
code=$?
expect_code 66
expect_err "^custos: <stdin>: cannot read: Bad file descriptor$"

# ---- only regular files are read ---------------------------------------------------------------

mkfifo "$TMP/fifo.yaml" || exit 1

run_limited "a FIFO as the request: 66 at once" decide --policies $BASIC "$TMP/fifo.yaml"
expect_code 66
expect_err "^custos: ${TMPRE}/fifo\.yaml: is a named pipe \(FIFO\), expected a file \(or '-' to read stdin\)$"

run_limited "a FIFO as the batch: 66 at once" decide --batch --policies $BASIC "$TMP/fifo.yaml"
expect_code 66
expect_err "^custos: ${TMPRE}/fifo\.yaml: is a named pipe \(FIFO\)"

run_limited "a FIFO as a data document: 66 at once" decide --policies $BASIC --data "$TMP/fifo.yaml" \
    $EX/requests/permitted-use.yaml
expect_code 66
expect_err "^custos: ${TMPRE}/fifo\.yaml: is a named pipe \(FIFO\), expected a regular file$"

# Decision logs: the log written by decide --log, and the files audit reads.
run_limited "a FIFO as decide's --log: 66 at once" decide --policies $BASIC --log "$TMP/fifo.yaml" \
    $EX/requests/permitted-use.yaml
expect_code 66
expect_err "^custos: ${TMPRE}/fifo\.yaml: is a named pipe \(FIFO\), expected a regular file$"

for sub in verify head show; do
    run_limited "a FIFO given to audit $sub: 66 at once" audit $sub "$TMP/fifo.yaml"
    expect_code 66
    expect_err "^custos: ${TMPRE}/fifo\.yaml: is a named pipe \(FIFO\)"
done

run_limited "/dev/zero given to audit verify: 66 at once" audit verify /dev/zero
expect_code 66
expect_err "^custos: /dev/zero: is a character device, expected a regular file$"

run_limited "/dev/zero as a data document: 66 at once" decide --policies $BASIC --data /dev/zero \
    $EX/requests/permitted-use.yaml
expect_code 66
expect_err "^custos: /dev/zero: is a character device, expected a regular file$"

# A policy module that is a FIFO.
cp -R $BASIC "$TMP/policies"
mkfifo "$TMP/policies/demo/art9.lua" || exit 1
run_limited "a FIFO as a policy module: refused at once" decide --policies "$TMP/policies" \
    $EX/requests/permitted-use.yaml
expect_err "art9\.lua: is a named pipe \(FIFO\), expected a regular file$"
if [ "$code" -ne 0 ] && [ "$code" -ne 124 ]; then pass; else fail "exit code" "an error" "$code"; fi
run_limited "check on a policy folder with a FIFO module" check --policies "$TMP/policies"
expect_err "art9\.lua: is a named pipe \(FIFO\), expected a regular file$"
if [ "$code" -ne 0 ] && [ "$code" -ne 124 ]; then pass; else fail "exit code" "an error" "$code"; fi

# A suite that is a FIFO, and a suite whose request_file is one.
run_limited "a FIFO as a suite: does not load, at once" test "$TMP/fifo.yaml"
expect_code 3
expect_err "fifo\.yaml: is a named pipe \(FIFO\), expected a regular file$"
mkfifo "$TMP/fifo-request.yaml" || exit 1
cat >"$TMP/request-file.yaml" <<EOF
policies: [$SRC/$BASIC]
cases:
  - name: a request file that is a FIFO
    request_file: fifo-request.yaml
    expect: {decision: permit}
EOF
run_limited "a suite's request_file that is a FIFO" test "$TMP/request-file.yaml"
expect_code 3
expect_err "fifo-request\.yaml: is a named pipe \(FIFO\), expected a regular file$"
sed 's/fifo-request\.yaml/\/dev\/zero/' "$TMP/request-file.yaml" >"$TMP/request-zero.yaml"
run_limited "a suite's request_file that is /dev/zero" test "$TMP/request-zero.yaml"
expect_code 3
expect_err "/dev/zero: is a character device, expected a regular file$"

# The REPL: :data of a FIFO fails at once and keeps the set that serves.
cp $EX/data/contracts.yaml "$TMP/contracts.yaml"
cat >"$TMP/in" <<EOF
:data $TMP/fifo.yaml
= data.contracts ~= nil
EOF
run_limited_repl() {
    case_name=$1
    shift
    timeout $LIMIT "$CUSTOS" repl "$@" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
    code=$?
}
run_limited_repl ":data of a FIFO" --policies policies/gz-2012 --data "$TMP/contracts.yaml"
expect_code 0
expect_err "fifo\.yaml: is a named pipe \(FIFO\), expected a regular file$"
expect_out "^true$"
# (a reload whose files became FIFOs: tests/unit/test_input_checks.c)
rm -f "$TMP/in"

# The REPL's piped input is bounded: a line, and a pasted document, at most 1 MiB.
head -c 2000000 /dev/zero | tr '\0' 'a' >"$TMP/in"
printf '\n:quit\n' >>"$TMP/in"
run_limited_repl "repl: a 2 MB line is refused and skipped" --policies $BASIC
expect_code 0
expect_err "^custos: <stdin>:1: the line is larger than the 1 MiB limit on a line \(1048576 bytes\); skipped$"
run_limited_repl "repl --strict: a 2 MB line ends the session, 65" --policies $BASIC --strict
expect_code 65
python3 -c '
import sys
sys.stdout.write("subject:\n")
for i in range(60000):
    sys.stdout.write("  k%d: vvvvvvvvv\n" % i)
sys.stdout.write("\n")' >"$TMP/in"
run_limited_repl "repl --strict: a pasted document over 1 MiB is refused, 65" --policies $BASIC --strict
expect_code 65
expect_err "^custos: <stdin>:[0-9]+: the pasted document is larger than the 1 MiB limit on a request \(1048576 bytes\); dropped$"
rm -f "$TMP/in"

# ---- suite expansion is bounded ----------------------------------------------------------------

# 200 cases of 10,000 combinations each: 2,000,000 cases from 180 KB before the limit.
python3 -c '
import sys
vals = ", ".join(str(i) for i in range(100))
print("policies: [%s]" % sys.argv[1])
print("cases:")
for c in range(200):
    print("  - name: c%d" % c)
    print("    matrix: {a: [%s], b: [%s]}" % (vals, vals))
    print("    request: {action: use, context: {time: \"2026-11-22T10:00:00+08:00\"}}")
    print("    expect: {decision: permit}")' "$SRC/$BASIC" >"$TMP/many-cases.yaml"
run_limited "a suite expanding to 2,000,000 cases" test "$TMP/many-cases.yaml"
expect_code 3
expect_err "^custos: ${TMPRE}/many-cases\.yaml:11:5: case 3 would take the suite past the limit of 20000 cases \(matrix combinations counted\); split it into several suites$"

# One case of 10,000 combinations copying a large request: past the values limit.
python3 -c '
import sys
vals = ", ".join(str(i) for i in range(100))
print("policies: [%s]" % sys.argv[1])
print("cases:")
print("  - name: big")
print("    matrix: {a: [%s], b: [%s]}" % (vals, vals))
print("    request:")
print("      action: use")
print("      context: {time: \"2026-11-22T10:00:00+08:00\"}")
print("      extra: [%s]" % ", ".join(str(i) for i in range(200)))
print("    expect: {decision: permit}")' "$SRC/$BASIC" >"$TMP/big-case.yaml"
run_limited "a matrix case copying 2,000,000 values" test "$TMP/big-case.yaml"
expect_code 3
expect_err "^custos: ${TMPRE}/big-case\.yaml:4:13: matrix: 10000 combinations of a case of [0-9]+ values would take the suite past the limit of 1000000 values expanded; make the case or its matrix smaller$"

# Within the limits a matrix still expands (the shipped suites use it).
run "a matrix within the limits" test $SUITES/demo2/tests/matrix.yaml
expect_code 0

# ---- summary ---------------------------------------------------------------------------------

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
