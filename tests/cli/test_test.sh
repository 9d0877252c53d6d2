#!/bin/sh
# test_test.sh — `custos test`: suites that pass, fail, do not load, skip, expand a matrix;
# --filter; text, TAP, JSON and JUnit output; coverage and --coverage-min; exit codes.
#
# Run by ctest with CUSTOS (the built program), CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR in the
# environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. CUSTOS_BINARY_DIR=build sh tests/cli/test_test.sh
# Every failed assertion prints what was expected and what came; the script exits 1 when any
# failed, after printing the counts.  The fixtures are tests/fixtures/suites/ (regime demo2,
# its suites, a failing suite and suites that do not load); their line numbers are asserted.
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$(cd "$CUSTOS_SOURCE_DIR" && pwd)/tests/cli/harness.sh"

# The fixtures are named relative to the source tree, so messages show short paths.
cd "$SRC" || exit 1
S=tests/fixtures/suites
POL=$S/policies
SUITES=$POL/demo2/tests
FAIL=$S/failing/fail.yaml
BROKEN=$S/broken

# ---- harness -------------------------------------------------------------------------------

# ---- usage: 64 -------------------------------------------------------------------------------

run "unknown option" test --frobnicate
expect_code 64
expect_err "^custos: unknown option '--frobnicate'"
expect_err "^usage: custos test "

run "bad --format" test --format xml "$SUITES"
expect_code 64
expect_err "--format 'xml'.*text, tap or json"

run "bad --coverage-min" test --coverage-min lots "$SUITES"
expect_code 64
expect_err "--coverage-min 'lots'"

run "--coverage-min over 100" test --coverage-min 101 "$SUITES"
expect_code 64

run "bad --coverage-format" test --coverage-format xml "$SUITES"
expect_code 64

run "help test" help test
expect_code 0
expect_stderr_empty
expect_out "^usage: custos test"
expect_out "substring"
expect_out "^  3 "

run "test --help" test --help
expect_code 0
expect_out "^usage: custos test"

run "--help lists test and check" --help
expect_out "^  test "
expect_out "^  check "

# ---- suites that pass --------------------------------------------------------------------------

run "a folder of passing suites" test "$POL"
expect_code 0
expect_stderr_empty
expect_out "^ok +$SUITES/pass\.yaml: 10 passed, 0 failed$"
expect_out "^ok +$SUITES/matrix\.yaml: 7 passed, 0 failed$"
expect_out "^ok +$SUITES/modes\.yaml: 4 passed, 0 failed$"
expect_out "^ok +$SUITES/skip\.yaml: 1 passed, 0 failed, 1 skipped$"
expect_last_line "^22 passed, 0 failed, 1 skipped in [0-9]+\.[0-9]+s$"
expect_no_out "requests/"

run "one suite file" test "$SUITES/pass.yaml"
expect_code 0
expect_stderr_empty
expect_last_line "^10 passed, 0 failed in [0-9.]+s$"

run "the same suite twice runs once" test "$SUITES/pass.yaml" "$SUITES/pass.yaml" "$SUITES"
expect_code 0
expect_count "pass\.yaml" 1
expect_last_line "^22 passed, 0 failed, 1 skipped in "

run "a regime folder, and its tests/ folder" test "$POL/demo2/tests/"
expect_code 0
expect_last_line "^22 passed, 0 failed, 1 skipped in "

# ---- a failing suite: file:line and expected against actual -----------------------------------

run "failing suite" test "$FAIL"
expect_code 1
expect_stderr_empty
expect_out "^FAIL +$S/failing/fail\.yaml: 1 passed, 6 failed$"
expect_out "^  FAIL $S/failing/fail\.yaml:10: a use wrongly expected to be denied$"
expect_out "^    - decision: expected deny, got permit$"
expect_out "^    - because: expected demo2 art\. 2 among the reasons; it is not$"
expect_out "^    - codes: expected \"no-sale\" among the reasons' codes; got ok$"
expect_out "^    - obligations: expected delete-by date=2027-07-01; got log-access, delete-by date=2027-06-30$"
expect_out "^      decision     deny$"
expect_out "^      because      demo2 art\. 2$"
expect_out "^      obligations  delete-by date=2027-07-01$"
expect_out "^      decision     permit$"
expect_out "^      reasons      demo2 art\. 1  permit  ok$"
expect_out "^      obligations  log-access \(demo2 art\. 1\)$"
expect_out "^                   delete-by date=2027-06-30 \(demo2 art\. 1\)$"
# a matrix case: the line of the case, and the combination
expect_out "^  FAIL $S/failing/fail\.yaml:18: selling the list \[item=list\]$"
expect_out "^  FAIL $S/failing/fail\.yaml:18: selling the archive \[item=archive\]$"
expect_out "^      reasons      demo2 art\. 2  deny  no-sale$"
# a request that is not valid: the place of the bad value in the suite
expect_out "^  FAIL $S/failing/fail\.yaml:22: a bad request nobody expected$"
expect_out "^      input error  $S/failing/fail\.yaml:24:29: resource\.entrusted: expected a boolean"
# an unexpected policy error fails the case even though the decision (deny) is as expected
expect_out "^  FAIL $S/failing/fail\.yaml:26: a policy error nobody expected$"
expect_out "^    - errors: a policy failed while deciding .*art4\.lua:14: boom$"
expect_out "^      errors       demo2 art\. 4: .*art4\.lua:14: boom$"
expect_out "^  FAIL $S/failing/fail\.yaml:29: not_because and an expected error that does not come$"
expect_out "^    - not_because: demo2 art\. 1 is among the reasons \(permit, ok\)$"
expect_out "^    - error: expected an error containing \"boom\"; the decision has none$"
expect_no_out "this one passes"
expect_last_line "^1 passed, 6 failed in [0-9.]+s$"

run "passing and failing suites together" test "$POL" "$FAIL"
expect_code 1
expect_last_line "^23 passed, 6 failed, 1 skipped in "

# ---- suites that do not load: 3, with file:line:col on stderr -------------------------------

run "bad YAML" test "$BROKEN/bad-yaml.yaml"
expect_code 3
expect_err "^custos: $BROKEN/bad-yaml\.yaml:6:1: .*YAML"
expect_out "^ERROR $BROKEN/bad-yaml\.yaml: did not load"
expect_last_line "^1 suite did not load; 0 passed, 0 failed in "

run "unknown key" test "$BROKEN/unknown-key.yaml"
expect_code 3
expect_err "^custos: $BROKEN/unknown-key\.yaml:6:7: unknown key \"decison\" in expect \(did you mean \"decision\"\?\)$"

run "missing request_file" test "$BROKEN/missing-request-file.yaml"
expect_code 3
expect_err "^custos: $BROKEN/missing-request-file\.yaml:4:19: request_file: no such file: $BROKEN/no-such-request\.yaml$"

run "articles and codes the policies lack" test "$BROKEN/bad-article.yaml"
expect_code 3
expect_err "^custos: $BROKEN/bad-article\.yaml:5:40: expect\.because: demo2 has no article \"9\"$"
expect_err "^custos: $BROKEN/bad-article\.yaml:5:45: expect\.because: demo2 art\. 3 is not encoded"
expect_err "^custos: $BROKEN/bad-article\.yaml:5:59: expect\.codes: no loaded article declares the message code \"no-such-code\"$"

run "policies that do not load" test "$BROKEN/broken-policies.yaml"
expect_code 3
expect_err "^custos: tests/fixtures/broken/syntax/art1\.lua:7: "
expect_err "^custos: $BROKEN/broken-policies\.yaml: the suite's policies or data did not load"

run "a suite that does not load beats a failure" test "$FAIL" "$BROKEN/unknown-key.yaml"
expect_code 3
expect_out "^FAIL "
expect_last_line "^1 suite did not load; 1 passed, 6 failed in "

run "a PATH that does not exist" test "$TMP/no-such-folder"
expect_code 3
expect_err "no-such-folder: no such suite file or folder"

cat >"$TMP/tests-unknown-var.yaml" <<'EOF'
policies: [SRC/tests/fixtures/suites/policies/demo2]
cases:
  - name: "{item}"
    matrix: {item: [a, b]}
    request: {purpose: "{itme}"}
    expect: {decision: permit}
EOF
sed -i.bak "s|SRC|$SRC|" "$TMP/tests-unknown-var.yaml"
run "a placeholder that names no matrix variable" test "$TMP/tests-unknown-var.yaml"
expect_code 3
expect_err "tests-unknown-var\.yaml:5:24: \"\{itme\}\" names no matrix variable"

printf 'cases:\n  - name: no expect\n    request: {action: use}\n' >"$TMP/no-expect.yaml"
run "a case without expect" test "$TMP/no-expect.yaml"
expect_code 3
expect_err "no-expect\.yaml:2:5: case \"no expect\" has no expect"

# ---- no suites under a folder: 0 ---------------------------------------------------------------

mkdir -p "$TMP/empty/sub"
run "no suites found" test "$TMP/empty"
expect_code 0
expect_stderr_empty
expect_out "^no suites found under .*empty \(looked for tests/\*\.yaml\)$"
expect_last_line "^0 passed, 0 failed in "

# ---- --filter ----------------------------------------------------------------------------------

run "--filter on a case name" test --filter archive "$POL"
expect_code 0
expect_last_line "^1 passed, 0 failed in "
expect_out "matrix\.yaml: 1 passed"
expect_no_out "pass\.yaml"

run "--filter on a matrix combination" test --filter "item=backup" "$POL"
expect_code 0
expect_last_line "^1 passed, 0 failed in "

run "--filter on a suite name" test --filter "demo2: skipping" "$POL"
expect_code 0
expect_last_line "^1 passed, 0 failed, 1 skipped in "

run "--filter selects only a failing case" test --filter "selling the list" "$FAIL"
expect_code 1
expect_last_line "^0 passed, 1 failed in "

run "--filter matching nothing" test --filter "no such case" "$POL"
expect_code 0
expect_out "^no case matches --filter 'no such case'$"
expect_last_line "^0 passed, 0 failed in "

# ---- TAP ---------------------------------------------------------------------------------------

run "--format tap" test --format tap "$SUITES/skip.yaml" "$SUITES/matrix.yaml" "$FAIL"
expect_code 1
expect_first_line "TAP version 13"
expect_out "^1\.\.16$"
expect_out "^ok [0-9]+ - demo2: skipping: not written yet # SKIP waiting for art\. 3 to be encoded$"
expect_out "^ok [0-9]+ - demo2/tests/matrix\.yaml: no sale of archive, entrusted \[item=archive\]$"
expect_out "^not ok [0-9]+ - demo2: failing cases: a use wrongly expected to be denied$"
expect_out "^  at: \"$S/failing/fail\.yaml:10\"$"
expect_out "^  message: \"decision: expected deny, got permit\"$"
expect_out "^# 9 passed, 6 failed, 1 skipped in "
expect_count "^(not )?ok [0-9]+ - " 16
expect_python 'import sys
lines = sys.stdin.read().splitlines()
nums = [int(l.split()[2 if l.startswith("not ") else 1]) for l in lines if l.startswith(("ok ", "not ok "))]
assert nums == list(range(1, 17)), nums' "test points numbered 1..16"

run "--format tap, a suite that does not load" test --format tap "$BROKEN/unknown-key.yaml"
expect_code 3
expect_out "^not ok 1 - .*did not load$"
expect_out "unknown key"

# ---- JSON --------------------------------------------------------------------------------------

run "--format json" test --format json "$FAIL" "$SUITES/skip.yaml"
expect_code 1
expect_stderr_empty
expect_python 'import json, sys
d = json.load(sys.stdin)
assert (d["passed"], d["failed"], d["skipped"], d["suites"]) == (2, 6, 1, 2), d
fail = [s for s in d["results"] if s["name"] == "demo2: failing cases"][0]
assert fail["status"] == "failed" and fail["failed"] == 6, fail
first = fail["cases"][0]
assert first["line"] == 10 and first["status"] == "failed", first
assert first["mismatches"][0] == "decision: expected deny, got permit", first["mismatches"]
assert first["decision"]["decision"] == "permit", first.get("decision")
m = [c for c in fail["cases"] if c.get("combination") == "item=archive"][0]
assert m["line"] == 18 and m["name"] == "selling the archive", m
skip = [c for s in d["results"] for c in s["cases"] if c["status"] == "skipped"][0]
assert skip["skip"] == "waiting for art. 3 to be encoded", skip
assert "coverage" not in d' "the results document"

run "--format json, a suite that does not load" test --format json "$BROKEN/missing-request-file.yaml"
expect_code 3
expect_python 'import json, sys
d = json.load(sys.stdin)
s = d["results"][0]
assert d["suites_not_loaded"] == 1 and s["status"] == "error", d
e = s["errors"][0]
assert (e["line"], e["column"]) == (4, 19) and "request_file" in e["message"], e' \
    "the load error with its line and column"

# ---- JUnit -------------------------------------------------------------------------------------

run "--junit" test --junit "$TMP/junit.xml" "$POL" "$FAIL" "$BROKEN/bad-yaml.yaml"
expect_code 3
expect_out "^FAIL "
expect_python 'import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1] if len(sys.argv) > 1 else "'"$TMP/junit.xml"'")
root = doc.documentElement
assert root.tagName == "testsuites", root.tagName
assert (root.getAttribute("failures"), root.getAttribute("errors"), root.getAttribute("skipped")) == ("6", "1", "1"), root.attributes.items()
suites = root.getElementsByTagName("testsuite")
assert len(suites) == 6, len(suites)
cases = root.getElementsByTagName("testcase")
assert len(cases) == 30 + 1, len(cases)
failures = root.getElementsByTagName("failure")
assert len(failures) == 6, len(failures)
f = failures[0]
assert f.getAttribute("message") == "decision: expected deny, got permit", f.getAttribute("message")
assert "fail.yaml:10" in f.firstChild.data, f.firstChild.data
assert len(root.getElementsByTagName("skipped")) == 1
assert len(root.getElementsByTagName("error")) == 1' "well-formed JUnit XML with the counts"
if command -v python3 >/dev/null 2>&1; then
    if why=$(python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' "$TMP/junit.xml" 2>&1)
    then pass; else fail "xml.dom.minidom parses the JUnit file" "true" "$why"; fi
fi

run "--junit alongside --format tap" test --format tap --junit "$TMP/junit2.xml" "$SUITES/pass.yaml"
expect_code 0
expect_first_line "TAP version 13"
if [ -s "$TMP/junit2.xml" ]; then pass; else fail "JUnit file written" "$TMP/junit2.xml" "(missing)"; fi

run "--junit to a folder that does not exist" test --junit "$TMP/no/such/dir/j.xml" "$SUITES/pass.yaml"
expect_code 64
expect_err "^custos: --junit '.*/no/such/dir/j\.xml': cannot write it: "
expect_stdout_empty

# ---- coverage ----------------------------------------------------------------------------------

run "--coverage" test --coverage "$POL"
expect_code 0
expect_out "^Coverage "
expect_out "^  demo2  lines 16/21 \(76\.2%\), articles applied 3/3, cited 2/3$"
expect_out "^    art\. 1  art1\.lua +9/9 +100\.0%  applied in 7 cases$"
expect_out "^    art\. 4  art4\.lua +4/9 +44\.4%  applied in 1 case, no case cites it$"
expect_out "^      uncovered art4\.lua: 18-22$"
expect_out "^  total  lines 16/21 \(76\.2%\), articles applied 3/3, cited 2/3$"
expect_out "^  encoded articles no case cites \(expect\.because / not_because\): demo2/4$"
expect_last_line "^22 passed, 0 failed, 1 skipped in "

run "--coverage-format json" test --coverage --coverage-format json "$POL"
expect_code 0
grep '^{' "$TMP/out" >"$TMP/cov.json"
expect_python 'import json, sys
c = json.load(sys.stdin)
assert (c["lines"]["hit"], c["lines"]["total"]) == (16, 21), c["lines"]
assert c["not_cited"] == ["demo2/4"], c["not_cited"]
r = c["regimes"][0]
assert r["id"] == "demo2" and r["articles_total"] == 3, r
a4 = [a for a in r["articles"] if a["article"] == "4"][0]
assert a4["uncovered"] == [[18, 22]] and a4["uncovered_text"] == "18-22", a4
assert a4["module"].endswith("demo2/art4.lua") and a4["cited_cases"] == 0, a4' \
    "the coverage document" "$TMP/cov.json"

run "--format json --coverage" test --format json --coverage "$POL"
expect_code 0
expect_python 'import json, sys
d = json.load(sys.stdin)
assert d["coverage"]["lines"]["total"] == 21, d.get("coverage")' "coverage inside the results"

run "--coverage-min above the coverage" test --coverage-min 90 "$POL"
expect_code 1
expect_err "^custos: line coverage 76\.2% is below --coverage-min 90%$"
expect_out "^Coverage "

run "--coverage-min below the coverage" test --coverage-min 75 "$POL"
expect_code 0
expect_stderr_empty

run "--coverage-min with a failing case" test --coverage-min 10 "$FAIL"
expect_code 1

# ---- the built-in suites: no PATH ----------------------------------------------------------------

# <prefix>/bin/custos finds <prefix>/share/custos/policies; a copy of the program in a fresh
# prefix whose policies are the fixture regime shows it.
mkdir -p "$TMP/prefix/bin" "$TMP/prefix/share/custos"
cp "$CUSTOS" "$TMP/prefix/bin/custos"
ln -s "$SRC/$POL" "$TMP/prefix/share/custos/policies"
case_name="no PATH: the built-in regimes' suites"
(cd / && "$TMP/prefix/bin/custos" test) >"$TMP/out" 2>"$TMP/err"
code=$?
expect_code 0
expect_stderr_empty
expect_out "/demo2/tests/pass\.yaml: 10 passed, 0 failed$"
expect_last_line "^22 passed, 0 failed, 1 skipped in "

# ---- summary ---------------------------------------------------------------------------------

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
