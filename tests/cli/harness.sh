# harness.sh — the assertions the CLI test scripts share (sourced, not run).  A script sets
# CUSTOS and TMP first; each `run` keeps the command's stdout, stderr and exit code, and each
# expect_* counts a pass or reports a failure with what was expected, what came, and the output.

passed=0
failed=0
case_name=""
code=0

# run NAME ARGS... — runs custos with ARGS, stdin empty.
run() {
    case_name=$1
    shift
    "$CUSTOS" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
    code=$?
}

# run_stdin NAME FILE ARGS... — as run, with FILE on stdin.
run_stdin() {
    case_name=$1
    input=$2
    shift 2
    "$CUSTOS" "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
    code=$?
}

pass() { passed=$((passed + 1)); }

# fail WHAT EXPECTED GOT — reports one failed assertion with the case's output.
fail() {
    failed=$((failed + 1))
    printf 'FAIL: %s: %s\n  expected: %s\n  got:      %s\n' "$case_name" "$1" "$2" "$3"
    printf '  --- stdout ---\n'
    sed -n '1,25s/^/  | /p' "$TMP/out"
    printf '  --- stderr ---\n'
    sed -n '1,10s/^/  | /p' "$TMP/err"
}

expect_code() {
    if [ "$code" -eq "$1" ]; then pass; else fail "exit code" "$1" "$code"; fi
}

# expect_err PATTERN / expect_out PATTERN — a line of stderr/stdout matches the extended regex.
expect_err() {
    if grep -Eq -- "$1" "$TMP/err"; then pass
    else fail "stderr matching" "$1" "$(head -n 1 "$TMP/err")"; fi
}
expect_out() {
    if grep -Eq -- "$1" "$TMP/out"; then pass
    else fail "stdout matching" "$1" "$(head -n 1 "$TMP/out")"; fi
}

# expect_out_fixed TEXT — a line of stdout contains TEXT exactly (no regex).
expect_out_fixed() {
    if grep -Fq -- "$1" "$TMP/out"; then pass
    else fail "stdout containing" "$1" "$(head -n 1 "$TMP/out")"; fi
}

expect_no_out() {
    if grep -Eq -- "$1" "$TMP/out"; then
        fail "no stdout line matching" "$1" "$(grep -E -- "$1" "$TMP/out" | head -n 1)"
    else pass; fi
}
expect_no_err() {
    if grep -Eq -- "$1" "$TMP/err"; then
        fail "no stderr line matching" "$1" "$(grep -E -- "$1" "$TMP/err" | head -n 1)"
    else pass; fi
}

expect_first_line() {
    first=$(head -n 1 "$TMP/out")
    if [ "$first" = "$1" ]; then pass; else fail "first line of stdout" "$1" "$first"; fi
}
expect_last_line() {
    last=$(tail -n 1 "$TMP/out")
    if printf '%s\n' "$last" | grep -Eq -- "$1"; then pass
    else fail "last line of stdout matching" "$1" "$last"; fi
}

expect_stdout_empty() {
    if [ -s "$TMP/out" ]; then fail "nothing on stdout" "(empty)" "$(head -n 1 "$TMP/out")"
    else pass; fi
}
expect_stderr_empty() {
    if [ -s "$TMP/err" ]; then fail "nothing on stderr" "(empty)" "$(head -n 1 "$TMP/err")"
    else pass; fi
}

# expect_count PATTERN N — exactly N lines of stdout match.
expect_count() {
    n=$(grep -Ec -- "$1" "$TMP/out")
    if [ "$n" -eq "$2" ]; then pass; else fail "lines of stdout matching $1" "$2" "$n"; fi
}

# expect_python CHECK DESCRIPTION [FILE] — runs a python3 snippet with FILE (default stdout)
# on sys.stdin; it must exit 0.  Skipped, with a note, when python3 is missing.
expect_python() {
    if ! command -v python3 >/dev/null 2>&1; then
        printf 'SKIP: %s: python3 not found (%s)\n' "$case_name" "$2"
        return
    fi
    if why=$(python3 -c "$1" <"${3:-$TMP/out}" 2>&1); then pass; else fail "$2" "true" "$why"; fi
}
