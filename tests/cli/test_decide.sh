#!/bin/sh
# test_decide.sh — `custos decide`: exit codes, messages and output, one assertion at a time.
#
# Run by ctest with CUSTOS (the built program), CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR in the
# environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. CUSTOS_BINARY_DIR=build sh tests/cli/test_decide.sh
# Every failed assertion prints what was expected and what came; the script exits 1 when any
# failed, after printing the counts.
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

# Absolute paths, so the cases that change folder still find everything.
case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1
FIXTURES=$SRC/tests/fixtures/basic # regime "demo": art. 1 permits use of entrusted data
GZ=$SRC/policies/gz-2012
EXAMPLES=$SRC/examples
DATA="--data $EXAMPLES/data/contracts.yaml --data $EXAMPLES/data/purposes.yaml"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$(cd "$CUSTOS_SOURCE_DIR" && pwd)/tests/cli/harness.sh"

# $TMP as an extended regex, for matching the paths in messages.
TMPRE=$(printf '%s' "$TMP" | sed 's/[][\\.*^$+?(){}|]/\\&/g')

# ---- harness -------------------------------------------------------------------------------

# ---- requests and documents used below ------------------------------------------------------

# The line and column of `"yes"` (line 5, column 14) are asserted below: keep the layout.
cat >"$TMP/entrusted-yes.yaml" <<'EOF'
subject: {id: alice, org: acme-outsourcing}
action: use
resource:
  id: orders
  entrusted: "yes"
purpose: billing-reconciliation
context:
  time: "2026-11-22T10:00:00+08:00"
EOF

# Not YAML: the flow mapping is never closed.
cat >"$TMP/unparsable.yaml" <<'EOF'
subject: {id: alice, org: acme
action: use
EOF

printf '{"action": "use", "resource": {"entrusted": true},, }\n' >"$TMP/unparsable.json"

cat >"$TMP/demo-use.yaml" <<'EOF'
subject: {id: alice}
action: use
resource: {id: r1, entrusted: true}
purpose: billing-reconciliation
context:
  time: "2026-11-22T10:00:00+08:00"
EOF
sed 's/entrusted: true/entrusted: false/' "$TMP/demo-use.yaml" >"$TMP/demo-not-entrusted.yaml"
# only the fields a regime without schema.lua declares itself (no warnings about the others)
printf 'subject: {id: alice}\naction: use\nresource: {entrusted: true}\ncontext: {time: "2026-11-22T10:00:00+08:00"}\n' \
    >"$TMP/demo-min.yaml"
sed 's/2026-11-22T10:00:00+08:00/2026-11-31T25:00:00/' "$TMP/demo-use.yaml" >"$TMP/bad-time.yaml"
grep -v 'time:' "$TMP/demo-use.yaml" >"$TMP/no-time.yaml"

# A data document with a field of the wrong type, and one that does not parse.
cat >"$TMP/bad-type-data.yaml" <<'EOF'
contracts:
  C-9:
    employer: globex
    foreign_employer: "yes"
EOF
printf 'contracts: [\n' >"$TMP/unparsable-data.yaml"

# A regime whose module does not compile (load failure), and one whose rule raises an error
# while deciding (fail closed: deny, with the error listed).
mkdir -p "$TMP/broken/broken" "$TMP/failing/failing"
cat >"$TMP/broken/broken/regime.lua" <<'EOF'
return regime {
  id = "broken",
  title = { zh = "坏", en = "Broken" },
  document = "TEST-BROKEN",
  issued = "2020-01-01", effective = "2020-01-01",
  articles = { { number = "1", title = { zh = "一", en = "One" }, encoded = true } },
}
EOF
cat >"$TMP/broken/broken/art1.lua" <<'EOF'
return article {
  number = "1",
  text = { zh = "第一条。", en = "Article 1." },
  citation = "TEST-BROKEN 1",
  messages = { ok = { zh = "好。", en = "Fine." } },
  rule = function(req, data) return return permit("ok") end,
}
EOF
sed 's/broken/failing/g; s/Broken/Failing/; s/坏/失败/' "$TMP/broken/broken/regime.lua" \
    >"$TMP/failing/failing/regime.lua"
cat >"$TMP/failing/failing/art1.lua" <<'EOF'
return article {
  number = "1",
  text = { zh = "第一条。", en = "Article 1." },
  citation = "TEST-FAILING 1",
  messages = { ok = { zh = "好。", en = "Fine." } },
  rule = function(req, data) error("boom") end,
}
EOF

# ---- usage errors: 64 ------------------------------------------------------------------------

run "unknown option" decide --policies "$FIXTURES" --frobnicate "$TMP/demo-use.yaml"
expect_code 64
expect_err "^custos: unknown option '--frobnicate'"
expect_err "^usage: custos decide "
expect_stdout_empty

run "bad --format" decide --policies "$FIXTURES" --format xml "$TMP/demo-use.yaml"
expect_code 64
expect_err "--format 'xml'.*text or json"
expect_err "^usage: custos decide "

run "bad --lang" decide --policies "$FIXTURES" --lang fr "$TMP/demo-use.yaml"
expect_code 64
expect_err "--lang 'fr'"

run "no request argument" decide --policies "$FIXTURES"
expect_code 64
expect_err "expected a request"
expect_err "^usage: custos decide "

run "two request arguments" decide --policies "$FIXTURES" "$TMP/demo-use.yaml" "$TMP/demo-use.yaml"
expect_code 64
expect_err "one request at a time"

run "option without its value" decide "$TMP/demo-use.yaml" --policies
expect_code 64
expect_err "'--policies' needs a value"

run "flag given a value" decide --policies "$FIXTURES" --explain=yes "$TMP/demo-use.yaml"
expect_code 64
expect_err "'--explain' takes no value"

run "malformed --regime-mode" decide --policies "$FIXTURES" --regime-mode demo "$TMP/demo-use.yaml"
expect_code 64
expect_err "--regime-mode 'demo'"

run "--regime-mode of a regime not loaded" decide --policies "$FIXTURES" \
    --regime-mode nosuch=skipped "$TMP/demo-use.yaml"
expect_code 64
expect_err "nosuch"

run "no command" ""
expect_code 64
run "no command at all"
expect_code 64
expect_err "^usage: custos "

run "unknown command" frobnicate
expect_code 64
expect_err "unknown command 'frobnicate'"

# ---- help and version: 0 ---------------------------------------------------------------------

run "--version" --version
expect_code 0
expect_stderr_empty
expect_out "^custos [0-9]+\.[0-9]+\.[0-9]+"

run "--help" --help
expect_code 0
expect_stderr_empty
expect_out "decide"

run "help decide" help decide
expect_code 0
expect_stderr_empty
expect_out "^usage: custos decide"
expect_out "^  65 "
expect_out "^  70 "

run "decide --help" decide --help
expect_code 0
expect_stderr_empty
expect_out "^usage: custos decide"

# ---- bad input: 65 ---------------------------------------------------------------------------

run "request that does not parse (YAML)" decide --policies "$FIXTURES" "$TMP/unparsable.yaml"
expect_code 65
expect_err "^custos: $TMPRE/unparsable\.yaml:[0-9]+:[0-9]+: "
expect_stdout_empty

run "request that does not parse (JSON)" decide --policies "$FIXTURES" "$TMP/unparsable.json"
expect_code 65
expect_err "^custos: $TMPRE/unparsable\.json:1:[0-9]+: "

run "entrusted: \"yes\"" decide --policies "$FIXTURES" "$TMP/entrusted-yes.yaml"
expect_code 65
expect_err "^custos: $TMPRE/entrusted-yes\.yaml:5:14: "
expect_err "resource\.entrusted"
expect_err "boolean"
expect_stdout_empty

run "bad timestamp" decide --policies "$FIXTURES" "$TMP/bad-time.yaml"
expect_code 65
expect_err "^custos: $TMPRE/bad-time\.yaml:[0-9]+:[0-9]+: .*context\.time"

run "missing context.time" decide --policies "$FIXTURES" "$TMP/no-time.yaml"
expect_code 65
expect_err "^custos: $TMPRE/no-time\.yaml: .*context\.time"
expect_stdout_empty

run "bad --as-of" decide --policies "$FIXTURES" --as-of yesterday "$TMP/demo-use.yaml"
expect_code 65
expect_err "^custos: --as-of: .*yesterday"

run "empty request on stdin" decide --policies "$FIXTURES" - # run reads /dev/null
expect_code 65

run_stdin "bad request on stdin" "$TMP/entrusted-yes.yaml" decide --policies "$FIXTURES" -
expect_code 65
expect_err "^custos: <stdin>:5:14: "

run "data field of the wrong type" decide --policies "$FIXTURES" --data "$TMP/bad-type-data.yaml" \
    "$TMP/demo-use.yaml"
expect_code 65
expect_err "^custos: $TMPRE/bad-type-data\.yaml:4:[0-9]+: .*foreign_employer"

run "data that does not parse" decide --policies "$FIXTURES" --data "$TMP/unparsable-data.yaml" \
    "$TMP/demo-use.yaml"
expect_code 65
expect_err "^custos: $TMPRE/unparsable-data\.yaml:[0-9]+:[0-9]+: "

# ---- files not found: 66 ---------------------------------------------------------------------

run "missing request file" decide --policies "$FIXTURES" "$TMP/no-such-request.yaml"
expect_code 66
expect_err "^custos: $TMPRE/no-such-request\.yaml: "
expect_stdout_empty

run "request is a folder" decide --policies "$FIXTURES" "$TMP"
expect_code 66
expect_err "^custos: $TMPRE: .*folder"

run "missing data file" decide --policies "$FIXTURES" --data "$TMP/no-such-data.yaml" \
    "$TMP/demo-use.yaml"
expect_code 66
expect_err "^custos: $TMPRE/no-such-data\.yaml: "

run "missing policy folder" decide --policies "$TMP/no-such-policies" "$TMP/demo-use.yaml"
expect_code 66
expect_err "^custos: $TMPRE/no-such-policies: "

# ---- policies that do not load: 70; a policy failing while deciding: deny -----------------

run "policy that fails to load" decide --policies "$TMP/broken" "$TMP/demo-use.yaml"
expect_code 70
expect_err "^custos: .*art1\.lua:6(:[0-9]+)?: "

echo "context: {time: \"2026-11-22T10:00:00+08:00\"}" >"$TMP/time-only.yaml"
run "policy error while deciding" decide --policies "$TMP/failing" "$TMP/time-only.yaml"
expect_code 1
expect_stderr_empty
expect_first_line "DENY"
expect_out "^Errors"
expect_out "failing art\. 1 .*boom"

# ---- decisions on the fixture regime ---------------------------------------------------------

run "permit (fixture)" decide --policies "$FIXTURES" "$TMP/demo-use.yaml"
expect_code 0
expect_stderr_empty
expect_first_line "PERMIT"
expect_out "^  demo art\. 1  permit  TEST-1 第一条$"
expect_out "^      en  alice may use it\.$"
expect_out "^  delete-by   demo art\. 1  date=2027-06-30$"
expect_out "^  demo  in force +adopted$"
expect_stderr_empty

run "not applicable (fixture)" decide --policies "$FIXTURES" "$TMP/demo-not-entrusted.yaml"
expect_code 2
expect_stderr_empty
expect_first_line "NOT APPLICABLE"
expect_no_out "^Reasons"

run "not applicable, explained" decide --policies "$FIXTURES" --explain \
    "$TMP/demo-not-entrusted.yaml"
expect_code 2
expect_stderr_empty
expect_out "^  demo art\. 1  not applied  not applicable +na$"

run "--as-of moves the decision outside the regime's window" decide --policies "$FIXTURES" \
    --as-of 2031-01-01T00:00:00+08:00 "$TMP/demo-use.yaml"
expect_code 0
expect_stderr_empty
expect_out "^  demo  not in force +adopted$"

run "--as-of supplies a missing context.time" decide --policies "$FIXTURES" \
    --as-of 2026-11-22T10:00:00+08:00 "$TMP/no-time.yaml"
expect_code 0
expect_stderr_empty

run "--regime-mode in-force outside the window" decide --policies "$FIXTURES" \
    --regime-mode demo=in-force --as-of 2031-01-01T00:00:00+08:00 "$TMP/demo-use.yaml"
expect_code 2
expect_stderr_empty
expect_out "^  demo  not in force +not adopted$"

run "a regime whose dates are unknown: validity unknown" decide \
    --policies "$SRC/tests/fixtures/undated" "$TMP/demo-min.yaml"
expect_code 0
expect_stderr_empty
expect_out "^  demo  validity unknown +adopted$"

run "validity unknown, JSON: in_force null" decide --policies "$SRC/tests/fixtures/undated" \
    --format json "$TMP/demo-use.yaml"
expect_code 0
expect_out '"regimes":\[\{"id":"demo","in_force":null,"adopted":true'

run "validity unknown under the in-force mode: not binding" decide \
    --policies "$SRC/tests/fixtures/undated" --regime-mode demo=in-force "$TMP/demo-min.yaml"
expect_code 2
expect_stderr_empty
expect_out "^  demo  validity unknown +not adopted$"

printf 'action: use\nresource: {region: out}\ncontext: {time: "2026-11-22T10:00:00+08:00"}\n' \
    >"$TMP/region-out.yaml"
run "a regime whose applies skips it" decide --policies "$SRC/tests/fixtures/applies" --explain \
    "$TMP/region-out.yaml"
expect_code 2
expect_stderr_empty
expect_out "^  scoped  in force +adopted  does not apply$"
expect_out "^  scoped art\. applies  not applied  not applicable +outside$"

run "--regime-mode skipped" decide --policies "$FIXTURES" --regime-mode demo=skipped \
    "$TMP/demo-use.yaml"
expect_code 2
expect_stderr_empty

# The built-in regimes are found relative to the program: <prefix>/bin/custos finds
# <prefix>/share/custos/policies.  A copy of the program in a fresh prefix shows it.
# The library is copied beside it too (LD_LIBRARY_PATH beats the build's RUNPATH): the build
# tree's libcustos would find build/share/custos/policies.
mkdir -p "$TMP/prefix/bin" "$TMP/prefix/lib" "$TMP/prefix/share/custos"
cp "$CUSTOS" "$TMP/prefix/bin/custos"
cp -L "$(dirname "$CUSTOS")"/../lib/libcustos.so.0 "$TMP/prefix/lib/" 2>/dev/null
case_name="copy of the program without built-in regimes"
(cd / && LD_LIBRARY_PATH="$TMP/prefix/lib" "$TMP/prefix/bin/custos" decide "$TMP/demo-use.yaml") \
    >"$TMP/out" 2>"$TMP/err"
code=$?
if grep -q "no built-in regimes" "$TMP/err"; then
    expect_code 66
else
    # custos_builtin_policy_dir(): an installed copy exists on this machine and was used.
    printf 'SKIP: %s: an installed policy folder exists (exit %s)\n' "$case_name" "$code"
fi
ln -s "$FIXTURES" "$TMP/prefix/share/custos/policies"
case_name="copy of the program with <prefix>/share/custos/policies"
(cd / && "$TMP/prefix/bin/custos" decide "$TMP/demo-use.yaml") >"$TMP/out" 2>"$TMP/err"
code=$?
expect_code 0
expect_stderr_empty
expect_out "^  demo art\. 1 "

# ---- decisions on gz-2012 (the built-in regimes) ---------------------------------------------

if [ ! -f "$GZ/regime.lua" ] || [ ! -f "$EXAMPLES/requests/sale.yaml" ]; then
    printf 'SKIP: gz-2012 cases: %s or its example requests are missing\n' "$GZ"
else
    # shellcheck disable=SC2086 # $DATA is two options on purpose
    run "permit (gz-2012)" decide $DATA "$EXAMPLES/requests/permitted-use.yaml"
    expect_code 0
    expect_stderr_empty
    expect_first_line "PERMIT"
    expect_out "^  gz-2012 art\. 11 +permit "
    expect_out "^  gz-2012 +(not )?in force"

    # shellcheck disable=SC2086
    run "deny: a sale (gz-2012 art. 13)" decide $DATA "$EXAMPLES/requests/sale.yaml"
    expect_code 1
    expect_stderr_empty
    expect_first_line "DENY"
    expect_out "^  gz-2012 art\. 13 +deny +穗外经贸法〔2012〕7号 第十三条$"
    expect_out "^      zh  "
    expect_out "^      en  "

    # shellcheck disable=SC2086
    run "--format json" decide $DATA --format json "$EXAMPLES/requests/sale.yaml"
    expect_code 1
    expect_stderr_empty
    expect_python 'import json,sys
lines = sys.stdin.read().split("\n")
assert len(lines) == 2 and lines[1] == "", "expected one line and a newline, got %d" % len(lines)
d = json.loads(lines[0])
assert d["decision"] == "deny", d["decision"]
arts = [(r["regime"], r["article"]) for r in d["reasons"]]
assert ("gz-2012", "13") in arts, arts
r = [r for r in d["reasons"] if r["article"] == "13"][0]
assert r["effect"] == "deny" and r["message"]["zh"] and r["message"]["en"], r
assert "trace" not in d' "the decision document, one line, with gz-2012 art. 13 denying"
    cp "$TMP/out" "$TMP/sale.json"

    # shellcheck disable=SC2086
    run "--format json --explain" decide $DATA --format json --explain \
        "$EXAMPLES/requests/sale.yaml"
    expect_code 1
    expect_stderr_empty
    expect_python 'import json,sys
d = json.load(sys.stdin)
assert "trace" in d and len(d["trace"]) >= len(d["reasons"]), d.get("trace")' \
        "a \"trace\" in the JSON"

    # --explain lists every article consulted: each module of the regime, applied or not.
    # shellcheck disable=SC2086
    run "--explain shows all articles" decide $DATA --explain \
        "$EXAMPLES/requests/permitted-use.yaml"
    expect_code 0
    expect_stderr_empty
    expect_out "^Articles consulted$"
    expect_out " not applied +not applicable "
    for module in "$GZ"/art*.lua; do
        number=$(basename "$module" .lua | sed 's/^art//')
        expect_out "^  gz-2012 art\. $number +(applied|not applied) "
    done

    # --lang en: no Chinese message or title (the citation stays: it is the document's name).
    # shellcheck disable=SC2086
    run "--lang en hides Chinese" decide $DATA --lang en "$EXAMPLES/requests/sale.yaml"
    expect_code 1
    expect_stderr_empty
    expect_no_out "^      zh  "
    expect_out "^      en  "
    if command -v python3 >/dev/null 2>&1; then
        if why=$(python3 - "$TMP/sale.json" "$TMP/out" <<'EOF' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
for r in d["reasons"]:
    assert r["message"]["zh"] not in text, "zh message shown: " + r["message"]["zh"]
    assert r["title"]["zh"] not in text, "zh title shown: " + r["title"]["zh"]
    assert r["message"]["en"] in text, "en message missing: " + r["message"]["en"]
EOF
        ); then pass; else fail "no zh message or title, every en message" "true" "$why"; fi
    fi

    # shellcheck disable=SC2086
    run "--lang zh hides English" decide $DATA --lang zh "$EXAMPLES/requests/sale.yaml"
    expect_code 1
    expect_stderr_empty
    expect_no_out "^      en  "
    expect_out "^      zh  "

    # shellcheck disable=SC2086
    run_stdin "request on stdin (-)" "$EXAMPLES/requests/sale.yaml" decide $DATA -
    expect_code 1
    expect_stderr_empty
    expect_first_line "DENY"
    expect_out "^  gz-2012 art\. 13 +deny "

    # From another folder, with no --policies: the built-in regimes are still found.
    case_name="run from / with the built-in regimes"
    # shellcheck disable=SC2086
    (cd / && "$CUSTOS" decide $DATA "$EXAMPLES/requests/sale.yaml") >"$TMP/out" 2>"$TMP/err"
    code=$?
    expect_code 1
    expect_stderr_empty
    expect_out "^  gz-2012 art\. 13 +deny "

    # Validity window: 2015 is inside gz-2012's five years, 2026 is not.
    # shellcheck disable=SC2086
    run "--as-of inside gz-2012's validity" decide $DATA --as-of 2015-06-01T09:00:00+08:00 \
        "$EXAMPLES/requests/sale.yaml"
    expect_code 1
    expect_stderr_empty
    expect_out "^  gz-2012 +in force +adopted$"
fi

# ---- unknown request fields: a warning naming the nearest declared one; --strict: 65 ---------

sed 's/entrusted: true/entrustd: true/' "$TMP/demo-use.yaml" >"$TMP/misspelt.yaml"
run "a misspelt field: a warning naming the nearest declared field" decide \
    --policies "$FIXTURES" "$TMP/misspelt.yaml"
expect_code 2
expect_err "^custos: ${TMPRE}/misspelt\.yaml:3:30: warning: resource\.entrustd is not a declared field; did you mean resource\.entrusted\? \(it is ignored; --strict refuses it\)$"
expect_first_line "NOT APPLICABLE"

run "a misspelt field under --strict: 65, no decision" decide --strict \
    --policies "$FIXTURES" "$TMP/misspelt.yaml"
expect_code 65
expect_err "^custos: ${TMPRE}/misspelt\.yaml:3:30: resource\.entrustd is not a declared field; did you mean resource\.entrusted\?$"
expect_stdout_empty

run "declared fields only: no warning" decide --policies "$FIXTURES" --strict "$TMP/demo-use.yaml"
expect_code 0
expect_stderr_empty

# ---- time ----------------------------------------------------------------------------------

grep -v 'time:' "$TMP/demo-use.yaml" >"$TMP/no-time.yaml"
run "--as-of now decides at the clock's time" decide --policies "$FIXTURES" --as-of now \
    --format json "$TMP/no-time.yaml"
expect_code 0
expect_stderr_empty

sed 's/+08:00/+0800/' "$TMP/demo-use.yaml" >"$TMP/offset-0800.yaml"
run "a +0800 offset (strftime's %z) is a time" decide --policies "$FIXTURES" \
    "$TMP/offset-0800.yaml"
expect_code 0
expect_stderr_empty

# ---- size limits and special files ---------------------------------------------------------

head -c 1048577 /dev/zero | tr '\0' ' ' >"$TMP/too-large.yaml"
run "a request over 1 MiB is refused unread: 65" decide --policies "$FIXTURES" "$TMP/too-large.yaml"
expect_code 65
expect_err "^custos: ${TMPRE}/too-large\.yaml: larger than the 1 MiB limit on a request \(1048576 bytes\); refused$"

run_stdin "a request over 1 MiB on stdin: 65" "$TMP/too-large.yaml" decide \
    --policies "$FIXTURES" -
expect_code 65
expect_err "^custos: <stdin>: larger than the 1 MiB limit on a request"

run "a device is not a request: 66, saying what it is" decide --policies "$FIXTURES" /dev/zero
expect_code 66
expect_err "^custos: /dev/zero: is a character device, expected a file \(or '-' to read stdin\)$"

run "a folder is not a request: 66" decide --policies "$FIXTURES" "$TMP"
expect_code 66
expect_err "is a folder, expected a file"

printf '{"action": "use", "resource": {"entrusted": true,}, "context": {"time": "2026-11-22T10:00:00+08:00"}}\n' \
    >"$TMP/trailing-comma.json"
run "a .json file is strict JSON: a trailing comma is refused with line:col" decide \
    --policies "$FIXTURES" "$TMP/trailing-comma.json"
expect_code 65
expect_err "^custos: ${TMPRE}/trailing-comma\.json:1:[0-9]+: "

printf "{'action': 'use', 'context': {'time': '2026-11-22T10:00:00+08:00'}}\n" >"$TMP/single.json"
run "a .json file is strict JSON: single quotes are refused" decide \
    --policies "$FIXTURES" "$TMP/single.json"
expect_code 65
expect_err "^custos: ${TMPRE}/single\.json:1:[0-9]+: "

cp "$TMP/single.json" "$TMP/single.yaml"
run "the same text in a .yaml file is YAML's flow style" decide \
    --policies "$FIXTURES" "$TMP/single.yaml"
expect_code 2

# ---- --pretty --------------------------------------------------------------------------------

run "--format json --pretty: indented" decide --policies "$FIXTURES" --format json --pretty \
    "$TMP/demo-use.yaml"
expect_code 0
expect_first_line "{"
expect_out '^  "decision": "permit",$'
expect_python 'import json,sys; d=json.load(sys.stdin); assert d["decision"] == "permit"' "one JSON document"

run "--pretty without --format json: 64" decide --policies "$FIXTURES" --pretty "$TMP/demo-use.yaml"
expect_code 64
expect_err "--pretty needs --format json"

# ---- --batch ---------------------------------------------------------------------------------

{
    printf '{"subject": {"id": "alice"}, "action": "use", "resource": {"entrusted": true}, "context": {"time": "2026-11-22T10:00:00+08:00"}}\n'
    printf '\n'
    printf '{"action": "use",,}\n'
    printf '{"action": "sell", "resource": {"entrusted": true}, "context": {"time": "2026-11-22T10:00:00+08:00"}}\n'
    printf '{"action": "use", "resource": {"entrustd": true}, "context": {"time": "2026-11-22T10:00:00+0800"}}\n'
    printf '{"action": "use", "resource": {"entrusted": true}}\n'
} >"$TMP/batch.jsonl"
run "--batch: one JSON line per request, in order, each with its line" decide --batch \
    --policies "$FIXTURES" "$TMP/batch.jsonl"
expect_code 65
expect_count '^\{"line":' 5
expect_out '^\{"line":1,"decision":"permit",'
expect_out '^\{"line":3,"error":\{"status":"parse","message":"[^"]+","line":3,"column":[0-9]+\}\}$'
expect_out '^\{"line":4,"decision":"deny",'
expect_out '^\{"line":5,"decision":"not_applicable",'
expect_out '^\{"line":6,"error":\{"status":"input","message":"context\.time is required'
expect_err "^custos: ${TMPRE}/batch\.jsonl:5:[0-9]+: warning: resource\.entrustd is not a declared field; did you mean resource\.entrusted\?"
expect_err "^custos: batch: 5 requests in [0-9.]+ s \([0-9]+/s\): 1 permit, 1 deny, 1 not applicable, 2 errors$"
expect_python 'import json,sys; [json.loads(l) for l in sys.stdin]' "every line is JSON"

run_stdin "-b reads stdin; --strict refuses the misspelt line" "$TMP/batch.jsonl" decide -b \
    --strict --policies "$FIXTURES"
expect_code 65
expect_out '^\{"line":5,"error":\{"status":"input","message":"resource\.entrustd is not a declared field; did you mean resource\.entrusted\?"'
expect_err "^custos: batch: 5 requests .*: 1 permit, 1 deny, 0 not applicable, 3 errors$"

head -n 1 "$TMP/batch.jsonl" >"$TMP/batch-ok.jsonl"
grep -v 'time' "$TMP/batch.jsonl" | head -n 0 >/dev/null
run "--batch with --as-of now and --pretty: still one line per decision, exit 0" decide -b \
    --pretty --as-of now --policies "$FIXTURES" "$TMP/batch-ok.jsonl"
expect_code 0
expect_count '^\{"line":1,"decision":"permit",' 1
expect_count '.' 1

{ cat "$TMP/batch-ok.jsonl"; head -c 1048577 /dev/zero | tr '\0' ' '; printf '\n'; cat "$TMP/batch-ok.jsonl"; } \
    >"$TMP/batch-long.jsonl"
run "--batch: a line over 1 MiB is an error line; the stream goes on" decide -b \
    --policies "$FIXTURES" "$TMP/batch-long.jsonl"
expect_code 65
expect_out '^\{"line":2,"error":\{"status":"input","message":"the line is larger than the 1 MiB limit'
expect_out '^\{"line":3,"decision":"permit",'

# ---- summary ---------------------------------------------------------------------------------

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
