#!/bin/sh
# test_repl.sh — `custos repl` with piped input: commands read line by line, results on stdout,
# errors on stderr, --strict exit codes.  (The terminal side — completion, history — is
# tests/cli/test_repl_pty.py.)
#
# Run by ctest with CUSTOS (the built program), CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR in the
# environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. CUSTOS_BINARY_DIR=build sh tests/cli/test_repl.sh
# Every failed assertion prints what was expected and what came; the script exits 1 when any
# failed, after printing the counts.
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1
FIXTURES=$SRC/tests/fixtures/basic # regime "demo": art. 1 permits use of entrusted data
GZ=$SRC/policies/gz-2012
EXAMPLES=$SRC/examples

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-repl.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$(cd "$CUSTOS_SOURCE_DIR" && pwd)/tests/cli/harness.sh"

# ---- harness -------------------------------------------------------------------------------

# repl NAME ARGS... — runs `custos repl ARGS` with $TMP/in (written just before) on stdin.
repl() {
    case_name=$1
    shift
    "$CUSTOS" repl "$@" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
    code=$?
}

# ---- usage: checked before any input is read --------------------------------------------------

: >"$TMP/in"
run "help repl" help repl
expect_code 0
expect_out "^usage: custos repl "
expect_out "--strict"

run "repl is listed" --help
expect_out "^  repl +"

repl "unknown option" --policies "$FIXTURES" --frobnicate
expect_code 64
expect_err "^custos: unknown option '--frobnicate'"
expect_err "^usage: custos repl "

repl "an operand" --policies "$FIXTURES" script.txt
expect_code 64
expect_err "unexpected argument 'script.txt'"

repl "bad --lang" --policies "$FIXTURES" --lang fr
expect_code 64
expect_err "--lang 'fr'"

repl "missing policy folder" --policies "$TMP/no-such-policies"
expect_code 66
expect_err "^custos: $TMP/no-such-policies: "

repl "missing data file" --policies "$FIXTURES" --data "$TMP/no-such.yaml"
expect_code 66

repl "empty input: no prompt, no output" --policies "$FIXTURES"
expect_code 0
expect_stdout_empty
expect_stderr_empty

# ---- the fixture regime: building, showing, deciding ------------------------------------------

cat >"$TMP/in" <<'EOF'
# comments and empty lines are skipped

:set subject.id alice
:set action use
:set resource.id r1
:set resource.entrusted true
:as-of 2026-11-22T10:00:00+08:00
:show
:decide
EOF
repl "step by step (fixture)" --policies "$FIXTURES"
expect_code 0
expect_stderr_empty
expect_first_line "action: use"
expect_out "^  entrusted: true$"
expect_out "^  time: \"2026-11-22T10:00:00\+08:00\"$"
expect_out "^PERMIT$"
expect_out "^  demo art\. 1  permit  TEST-1 第一条$"
expect_out "^  delete-by   demo art\. 1  date=2027-06-30$"

# The same decision as `custos decide` prints it, byte for byte.
cat >"$TMP/req.yaml" <<'EOF'
subject: {id: alice}
action: use
resource: {id: r1, entrusted: true}
context: {time: "2026-11-22T10:00:00+08:00"}
EOF
"$CUSTOS" decide --policies "$FIXTURES" "$TMP/req.yaml" >"$TMP/decide.out" 2>/dev/null
sed -n '/^PERMIT$/,$p' "$TMP/out" >"$TMP/repl.out"
case_name="rendered like custos decide"
if cmp -s "$TMP/decide.out" "$TMP/repl.out"; then pass
else fail "the same text as custos decide" "$(head -n 3 "$TMP/decide.out")" "$(head -n 3 "$TMP/repl.out")"; fi

# Documents: YAML (ended by an empty line) and JSON (ended by its closing brace) merge into
# the request; lists and scalars are replaced, mappings merged.
cat >"$TMP/in" <<'EOF'
:set subject.org acme
:set context.regions cn-gd, eu
subject:
  id: bob
action: use

{"resource": {"id": "r2",
              "entrusted": false},
 "context": {"regions": ["us-ca"], "time": "2026-11-22T10:00:00+08:00"}}
:show
:unset subject.org
:set context.consent.purposes [fraud-analytics, "billing reconciliation"]
:set context.approvals []
:show json
EOF
repl "pasted documents merge" --policies "$FIXTURES"
expect_code 0
expect_stderr_empty
expect_out "^  id: bob$"
expect_out "^  org: acme$"
expect_out "^  regions: \[us-ca\]$"
expect_out "^  entrusted: false$"
expect_python 'import json,sys
text = sys.stdin.read()
doc = json.loads(text[text.index("{\n"):])
assert doc["subject"] == {"id": "bob"}, doc["subject"]
assert doc["resource"] == {"id": "r2", "entrusted": False}, doc["resource"]
c = doc["context"]
assert c["regions"] == ["us-ca"], c
assert c["consent"]["purposes"] == ["fraud-analytics", "billing reconciliation"], c
assert c["approvals"] == [], c' ":show json after :unset and list :sets"

# :show's YAML reads back as the same request.
cat >"$TMP/in" <<'EOF'
:set subject.id "007"
:set purpose yes
:set resource.note "a: b # c"
:set context.regions [on, "x, y"]
:show
EOF
repl "YAML from :show" --policies "$FIXTURES"
expect_code 0
grep -v '^custos' "$TMP/out" >"$TMP/shown.yaml"
printf ':show json\n' >"$TMP/show-json"
cat "$TMP/shown.yaml" - "$TMP/show-json" >"$TMP/in" <<'EOF'

EOF
repl "YAML from :show pasted back" --policies "$FIXTURES"
expect_code 0
expect_stderr_empty
expect_python 'import json,sys
d = json.load(sys.stdin)
assert d["subject"]["id"] == "007" and d["purpose"] == "yes", d
assert d["resource"]["note"] == "a: b # c", d
assert d["context"]["regions"] == ["on", "x, y"], d' "the values survive the round trip"

# ---- errors: reported, and the session goes on ----------------------------------------------

cat >"$TMP/in" <<'EOF'
:set resource.entrusted yes
:set resource.classification secretish
:as-of 2026-13-01T00:00:00+08:00
:frobnicate
decide
hello there
:decide
:set subject.id alice
:show
EOF
repl "errors go on" --policies "$FIXTURES"
expect_code 0
expect_err "^custos: <stdin>:1: resource\.entrusted: expected a boolean \(true or false\), got a string$"
expect_err "^custos: <stdin>:2: resource\.classification: \"secretish\" is not allowed \(did you mean 'secret'\?\); expected one of: top_secret, secret, confidential, public$"
expect_err "^custos: <stdin>:3: context\.time: "
expect_err "^custos: <stdin>:4: unknown command ':frobnicate'"
expect_err "^custos: <stdin>:5: commands start with ':': did you mean ':decide'\?"
expect_err "^custos: <stdin>:6: cannot read 'hello there'"
expect_err "^custos: <stdin>:7: note: decided as of now, [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2} \(:as-of TIME decides at another time\)$"
expect_out "^  id: alice$"
expect_no_out "entrusted"

cat >"$TMP/in" <<'EOF'
subject:
  id: [alice
  org: acme

:show
EOF
repl "a document that does not parse" --policies "$FIXTURES"
expect_code 0
expect_err "^custos: <stdin>:[2-4]:[0-9]+: "
expect_first_line "{}"

cat >"$TMP/in" <<'EOF'
:set subject.nickname al
:show
EOF
repl "an unknown field is kept, with a note" --policies "$FIXTURES"
expect_code 0
expect_err "note: subject\.nickname is not a declared field; it is kept, and the policies do not read it"
expect_out "^  nickname: al$"

cat >"$TMP/in" <<'EOF'
:set resource.entrustd true
:decide
:show
EOF
repl "a misspelt field: the nearest declared one is named" --policies "$FIXTURES"
expect_code 0
expect_err "^custos: <stdin>:1: note: resource\.entrustd is not a declared field \(did you mean resource\.entrusted\?\)"
expect_err "^custos: <stdin>:2: warning: resource\.entrustd is not a declared field; did you mean resource\.entrusted\?"

printf ':set resource.entrustd true\n:show\n' >"$TMP/in"
repl "--strict: a misspelt field is an error" --policies "$FIXTURES" --strict
expect_code 65
expect_err "^custos: <stdin>:1: resource\.entrustd is not a declared field; did you mean resource\.entrusted\?"
expect_stdout_empty

cat >"$TMP/in" <<'EOF'
:as-of 2026-11-22T10:00:00+0800
:set subject.id alice
:clear
:show
= custos.date(1814371199)
EOF
repl ":clear keeps the time; +0800 offsets; custos.date" --policies "$FIXTURES"
expect_code 0
expect_out_fixed 'time: "2026-11-22T10:00:00+0800"'
expect_no_out "alice"
expect_out_fixed '"2027-06-30"'

printf ':set subject.id alice\n:decide\n:show\n' >"$TMP/in"
repl "no time: decided as of now, and the request keeps no time" --policies "$FIXTURES"
expect_code 0
expect_err "note: decided as of now, "
expect_no_out "time:"

# ---- --strict: the first error ends the session ----------------------------------------------

printf ':set resource.entrusted yes\n:show\n' >"$TMP/in"
repl "--strict: a bad value" --policies "$FIXTURES" --strict
expect_code 65
expect_err "resource\.entrusted: expected a boolean \(true or false\), got a string"
expect_stdout_empty

printf ':nope\n:show\n' >"$TMP/in"
repl "--strict: an unknown command" --policies "$FIXTURES" --strict
expect_code 65
expect_stdout_empty

printf '{"subject": {"id": 5}}\n:show\n' >"$TMP/in"
repl "--strict: a document of the wrong shape" --policies "$FIXTURES" --strict
expect_code 65
expect_err "^custos: <stdin>:1:[0-9]+: subject\.id: expected a string"
expect_stdout_empty

printf ':set subject..id alice\n:show\n' >"$TMP/in"
repl "--strict: a malformed field path" --policies "$FIXTURES" --strict
expect_code 65
expect_err "^custos: <stdin>:1: .*subject\.\.id"
expect_stdout_empty

printf ':unset .x\n:show\n' >"$TMP/in"
repl "--strict: :unset of a malformed field path" --policies "$FIXTURES" --strict
expect_code 65
expect_err "^custos: <stdin>:1: :unset: expected a dotted field path"

printf ':decide\n:show\n' >"$TMP/in"
repl "--strict: no context.time: decided as of now" --policies "$FIXTURES" --strict
expect_code 0
expect_err "note: decided as of now, "

printf '= 1 +\n' >"$TMP/in"
repl "--strict: a Lua syntax error" --policies "$FIXTURES" --strict
expect_code 65

printf '= error("boom")\n:show\n' >"$TMP/in"
repl "--strict: a Lua runtime error" --policies "$FIXTURES" --strict
expect_code 1
expect_err "boom"
expect_stdout_empty

printf ':cite demo/99\n:show\n' >"$TMP/in"
repl "--strict: an article that is not loaded" --policies "$FIXTURES" --strict
expect_code 1
expect_err "demo has no article 99"

printf ':data %s/no-such.yaml\n:show\n' "$TMP" >"$TMP/in"
repl "--strict: :data of a missing file" --policies "$FIXTURES" --strict
expect_code 1
expect_stdout_empty

printf ':set subject.id alice\n:show\n:quit\n:frobnicate\n' >"$TMP/in"
repl "--strict: :quit before an error" --policies "$FIXTURES" --strict
expect_code 0
expect_out "^  id: alice$"

printf ':set resource.entrusted yes\n:show\n' >"$TMP/in"
repl "without --strict the same input exits 0" --policies "$FIXTURES"
expect_code 0
expect_first_line "{}"

# ---- gz-2012 with the example data ---------------------------------------------------------

if [ ! -f "$GZ/art13.lua" ] || [ ! -f "$EXAMPLES/data/contracts.yaml" ]; then
    printf 'SKIP: gz-2012 cases: %s or the example data are missing\n' "$GZ"
else
    GZARGS="--policies $GZ --data $EXAMPLES/data/contracts.yaml --data $EXAMPLES/data/purposes.yaml"

    # The request of examples/requests/permitted-use.yaml, built field by field; then a sale.
    cat >"$TMP/in" <<'EOF'
:set subject.id alice
:set subject.org acme-outsourcing
:set subject.role staff
:set subject.clearance secret
:set subject.signed_confidentiality true
:set action use
:set resource.id orders-2026q3
:set resource.owner globex
:set resource.category commercial
:set resource.classification confidential
:set resource.entrusted true
:set resource.contract C-2026-001
:set resource.protected_by_employer true
:set resource.public false
:set purpose billing-reconciliation
:set context.regions cn-gd
:as-of 2026-11-22T10:00:00+08:00
:decide
:whynot 13
:set action sell
:decide
:why
:whynot 11
:whynot gz-2012/13
:whynot 1
EOF
    # shellcheck disable=SC2086 # $GZARGS is several options on purpose
    repl "permit, then deny (gz-2012)" $GZARGS
    expect_code 0
    expect_stderr_empty
    expect_first_line "PERMIT"
    expect_out "^  gz-2012 art\. 11 +permit +穗外经贸法〔2012〕7号 第十一条$"
    expect_out "^  delete-by +gz-2012 art\. 10 +date=2027-06-30$"
    # :whynot 13 on the permit: consulted, did not apply, with its code and message
    expect_out "^gz-2012 art\. 13  不得利用受委托资料促销、出售和披露 / No promotion, sale or disclosure using entrusted data$"
    expect_out "^  it did not apply: it neither permits nor denies this request$"
    expect_out "^  gz-2012 art\. 13  not applied  not applicable  not-forbidden$"
    expect_out "^      en  The act is not promotion, sale or disclosure; article 13 does not forbid it\.$"
    expect_out "^DENY$"
    expect_count "^  gz-2012 art\. 13 +deny +穗外经贸法〔2012〕7号 第十三条$" 2 # :decide and :why
    # :whynot 11 on the deny: it applied, and permits
    expect_out "^  it applied and permits; it does not deny$"
    expect_out "^  gz-2012 art\. 11  applied  +permit +[a-z-]+$"
    expect_out "^  it applied and denies; it does not permit$"
    expect_out "^  gz-2012 art\. 13  applied  +deny +forbidden-act$"
    # an article that is not encoded: not consulted, and why
    expect_out "^gz-2012 art\. 1  目的和依据 / Purpose and legal basis$"
    expect_out "^  not consulted: the article is not encoded as a policy$"
    expect_out "^  reason: States why the measures were made"

    # The same requests from the examples: the decisions match `custos decide`.
    # shellcheck disable=SC2086
    "$CUSTOS" decide $GZARGS "$EXAMPLES/requests/permitted-use.yaml" >"$TMP/decide.out" 2>/dev/null
    sed -n '/^PERMIT$/,/^gz-2012 art\. 13 /p' "$TMP/out" | sed '$d' >"$TMP/repl.out"
    case_name="the permit as custos decide prints it"
    if cmp -s "$TMP/decide.out" "$TMP/repl.out"; then pass
    else fail "the same text as custos decide" "$(wc -l <"$TMP/decide.out") lines" \
        "$(wc -l <"$TMP/repl.out") lines: $(diff "$TMP/decide.out" "$TMP/repl.out" | head -n 3)"; fi

    # :explain: every article module of the regime, applied or not.
    cat "$EXAMPLES/requests/sale.yaml" >"$TMP/in"
    printf '\n:explain\n' >>"$TMP/in"
    # shellcheck disable=SC2086
    repl ":explain a pasted request" $GZARGS
    expect_code 0
    expect_stderr_empty
    expect_first_line "DENY"
    expect_out "^Articles consulted$"
    expect_out "^  gz-2012 art\. 13 +applied +deny +forbidden-act$"
    for module in "$GZ"/art*.lua; do
        number=$(basename "$module" .lua | sed 's/^art//')
        expect_out "^  gz-2012 art\. $number +(applied|not applied) "
    done

    # :cite shows the article's text as written in its module.
    zh_text="开展促销、出售和披露等。"
    case_name="art13.lua holds the text the next case looks for"
    if grep -Fq "$zh_text" "$GZ/art13.lua"; then pass
    else fail "a line of art13.lua containing" "$zh_text" "(none)"; fi
    cat >"$TMP/in" <<'EOF'
:cite gz-2012/13
:cite 12
:cite gz-2012
:lang en
:cite gz-2012/13
EOF
    # shellcheck disable=SC2086
    repl ":cite" $GZARGS
    expect_code 0
    expect_stderr_empty
    expect_out "^gz-2012 art\. 13  不得利用受委托资料促销、出售和披露 / No promotion"
    expect_out "^  穗外经贸法〔2012〕7号 第十三条$"
    expect_out "^  zh  第十三条.*接包企业不得利用受委托的商业及个人资料$zh_text$"
    expect_out_fixed "促销"
    expect_out "^  en  Article 13  The contracting enterprise shall not use"
    expect_out "^  module +.*art13\.lua \(rule at line [0-9]+\)$"
    expect_out "^  messages .*forbidden-act"
    expect_out "^Articles \(20, [0-9]+ encoded\)$"
    expect_out "^  gz-2012/20 +not encoded +施行日期和有效期 / Entry into force"
    expect_out "^gz-2012 art\. 13  No promotion, sale or disclosure using entrusted data$"

    # Lua in the sandbox sees the data and the request; :reload keeps the request.
    cat >"$TMP/in" <<'EOF'
= data.contracts["C-2026-001"].purposes
:set subject.id alice
= req.subject.id
:lua return #data.contracts["C-2026-001"].subjects
:reload
:show
= req.subject.id
:data /no/such/file.yaml
:show
EOF
    # shellcheck disable=SC2086
    repl "Lua and :reload" $GZARGS
    expect_code 0
    expect_out '^\{"billing-reconciliation", "customer-support"\}$'
    expect_count '^"alice"$' 2
    expect_out "^2$"
    expect_out "^reloaded: 1 regime, 2 data documents \(generation 2\)$"
    expect_count "^  id: alice$" 2
    expect_err "^custos: /no/such/file\.yaml: "

    # :data adds a document; the decision sees it.
    cat >"$TMP/in" <<'EOF'
:set subject.id alice
:set subject.signed_confidentiality true
:set action use
:set resource.entrusted true
:set resource.contract C-2026-001
:set purpose billing-reconciliation
:as-of 2026-11-22T10:00:00+08:00
= data.contracts ~= nil and data.contracts["C-2026-001"] ~= nil
EOF
    printf ':data %s\n= data.contracts["C-2026-001"] ~= nil\n:decide\n' "$EXAMPLES/data/contracts.yaml" >>"$TMP/in"
    # shellcheck disable=SC2086
    repl ":data loads a document" --policies "$GZ"
    expect_code 0
    expect_stderr_empty
    expect_out "^false$"
    expect_out "^reloaded: 1 regime, 1 data document \(generation 2\)$"
    expect_out "^true$"
    expect_out "^PERMIT$"

    # JSON output, one language, a regime that binds only in force.
    cat "$EXAMPLES/requests/sale.yaml" >"$TMP/in"
    cat >>"$TMP/in" <<'EOF'
:json on
:decide
:json off
:lang zh
:decide
:whynot 13
:as-of 2015-06-01T09:00:00+08:00
:whynot 13
EOF
    # shellcheck disable=SC2086
    repl "JSON, --lang zh, in-force" $GZARGS --regime-mode gz-2012=in-force
    expect_code 0
    expect_stderr_empty
    expect_first_line '{"decision":"not_applicable","reasons":[],"obligations":[],"regimes":[{"id":"gz-2012","in_force":false,"adopted":false}],"errors":[]}'
    expect_out "^NOT APPLICABLE$"
    expect_no_out "^      en  "
    expect_out "^  not consulted: regime gz-2012 binds only while in force \(2012-04-24 to 2017-04-23\), and the$"
    expect_out "^  gz-2012 art\. 13  applied  +deny +forbidden-act$"
    expect_out "^      zh  接包企业不得"
fi

# ---- summary ---------------------------------------------------------------------------------

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
