#!/bin/sh
# test_check.sh — `custos check`: policies that load or not, data documents against the
# regimes' shapes, duplicate articles, articles no suite case cites, --strict, exit codes.
#
# Run by ctest with CUSTOS, CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR in the environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. CUSTOS_BINARY_DIR=build sh tests/cli/test_check.sh
# Every failed assertion prints what was expected and what came; the script exits 1 when any
# failed, after printing the counts.
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-check.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$(cd "$CUSTOS_SOURCE_DIR" && pwd)/tests/cli/harness.sh"

cd "$SRC" || exit 1
POL=tests/fixtures/suites/policies # regime demo2 and its suites; art. 4 is cited by none
BASIC=tests/fixtures/basic         # regime demo, no suites

# ---- harness -------------------------------------------------------------------------------

# ---- regimes made for the cases below -------------------------------------------------------

# Two modules declaring article 1.
mkdir -p "$TMP/dup/dup"
sed 's/id = "demo"/id = "dup"/' "$BASIC/demo/regime.lua" >"$TMP/dup/dup/regime.lua"
cp "$BASIC/demo/art1.lua" "$TMP/dup/dup/art1.lua"
cp "$BASIC/demo/art1.lua" "$TMP/dup/dup/art1_copy.lua"

# A listed article without a title.
mkdir -p "$TMP/notitle/notitle"
cat >"$TMP/notitle/notitle/regime.lua" <<'EOF'
return regime {
  id = "notitle",
  title = { zh = "无标题", en = "No title" },
  document = "TEST-NT",
  issued = "2020-01-01", effective = "2020-01-01",
  articles = {
    { number = "1", encoded = false, reason = "decides nothing" },
  },
}
EOF

# A copy of demo with a suite citing its only article, and one citing an article it lacks.
mkdir -p "$TMP/clean/demo/tests" "$TMP/badcite/demo/tests"
cp "$BASIC/demo/regime.lua" "$BASIC/demo/art1.lua" "$TMP/clean/demo/"
cp "$BASIC/demo/regime.lua" "$BASIC/demo/art1.lua" "$TMP/badcite/demo/"
cat >"$TMP/clean/demo/tests/art1.yaml" <<'EOF'
as_of: "2026-11-22T10:00:00+08:00"
cases:
  - request: {subject: {id: alice}, action: use, resource: {id: r, entrusted: true}}
    expect: {decision: permit, because: ["1"]}
EOF
cat >"$TMP/badcite/demo/tests/art1.yaml" <<'EOF'
cases:
  - request: {action: use}
    expect: {decision: permit, because: ["1", "7"]}
EOF

# ---- usage and help ----------------------------------------------------------------------------

run "unknown option" check --frobnicate
expect_code 64
expect_err "^usage: custos check "

run "help check" help check
expect_code 0
expect_out "^usage: custos check"
expect_out "^  70 "

# ---- clean, and warnings -----------------------------------------------------------------------

run "a regime whose suites cite every article" check --strict "$TMP/clean"
expect_code 0
expect_stderr_empty
expect_out "^checked 1 regime \(2 articles, 1 encoded\), 0 data documents, 1 suite \(1 cases\): 0 errors, 0 warnings$"

run "an article no suite cites is a warning" check "$POL"
expect_code 0
expect_err "^custos: $POL/demo2/art4\.lua: warning: demo2 art\. 4 is encoded but no suite case cites it"
expect_no_err "demo2 art\. [12] "
expect_out "^checked 1 regime \(4 articles, 3 encoded\), 0 data documents, 4 suites \([0-9]+ cases\): 0 errors, 1 warning$"

run "--strict makes warnings fail" check --strict "$POL"
expect_code 1
expect_err "warning: demo2 art\. 4 "

run "a regime without suites: every encoded article" check --policies "$BASIC"
expect_code 0
expect_err "^custos: $BASIC/demo/art1\.lua: warning: demo art\. 1 is encoded but no suite case cites it"

# ---- data documents ----------------------------------------------------------------------------

run "a data document that fits" check "$POL" tests/fixtures/suites/data/contracts.yaml
expect_code 0
expect_out "1 data document, "

run "--data that fits" check --policies "$POL" --data examples/data/contracts.yaml
expect_code 0

run "a data field of the wrong type" check "$POL" tests/fixtures/data/badtype.yaml
expect_code 65
expect_err "^custos: tests/fixtures/data/badtype\.yaml:4:22: contracts\.C-2\.retention_until: "

run "a data document that is missing" check --policies "$POL" --data "$TMP/no-such.yaml"
expect_code 66

# ---- policies that do not load -----------------------------------------------------------------

run "a module with a syntax error" check tests/fixtures/broken/syntax
expect_code 70
expect_err "^custos: tests/fixtures/broken/syntax/art1\.lua:7: "

run "two modules declaring one article" check "$TMP/dup"
expect_code 70
expect_err "art1(_copy)?\.lua: article 1 is also declared by .*art1(_copy)?\.lua$"

run "a listed article without a title" check "$TMP/notitle"
expect_code 70
expect_err "regime\.lua.*title"

run "a policy folder that is missing" check --policies "$TMP/no-such-folder"
expect_code 66

run "a PATH that is missing" check "$TMP/no-such-path"
expect_code 66
expect_err "no-such-path: no such file or folder"

# ---- suites ------------------------------------------------------------------------------------

run "a suite citing an article the regime lacks" check "$TMP/badcite"
expect_code 65
expect_err "art1\.yaml:3:47: expect\.because: demo art\. 7 is not an encoded article"

mkdir -p "$TMP/badsuite/demo/tests"
cp "$BASIC/demo/regime.lua" "$BASIC/demo/art1.lua" "$TMP/badsuite/demo/"
printf 'cases:\n  - name: x\n    expect: {decison: permit}\n' >"$TMP/badsuite/demo/tests/x.yaml"
run "a suite that does not load" check "$TMP/badsuite"
expect_code 65
expect_err "x\.yaml:3:14: unknown key \"decison\" in expect"

# ---- the built-in regimes --------------------------------------------------------------------

mkdir -p "$TMP/prefix/bin" "$TMP/prefix/share/custos"
cp "$CUSTOS" "$TMP/prefix/bin/custos"
ln -s "$SRC/$POL" "$TMP/prefix/share/custos/policies"
case_name="no PATH: the built-in regimes"
(cd / && "$TMP/prefix/bin/custos" check) >"$TMP/out" 2>"$TMP/err"
code=$?
expect_code 0
expect_err "warning: demo2 art\. 4 is encoded"
expect_out "^checked 1 regime \(4 articles, 3 encoded\), 0 data documents, 4 suites "

# ---- data fields no regime reads: warnings with their position --------------------------------

printf 'contracts:\n  C-9:\n    employer: globex\n    retention_untill: "2027-01-01"\n' >"$TMP/typo.yaml"
run "a misspelt contract field" check --policies "$SRC/policies/gz-2012" --data "$TMP/typo.yaml"
expect_code 0
expect_err "typo.yaml:4:23: warning: contracts\.C-9\.retention_untill is not a field any loaded regime reads"
run "a misspelt contract field, --strict" check --strict --policies "$SRC/policies/gz-2012" --data "$TMP/typo.yaml"
expect_code 1
run "the shipped example data has no unknown fields" check --strict --policies "$SRC/policies" \
    --data "$SRC/examples/data/contracts.yaml" --data "$SRC/examples/data/subjects.yaml" \
    --data "$SRC/examples/data/providers.yaml" --data "$SRC/examples/data/evaluations.yaml"
expect_code 0

# ---- the modules' code: undeclared obligations and data sections, bare-string verdicts ----------

mkdir -p "$TMP/lint/demo"
cp "$BASIC/demo/regime.lua" "$TMP/lint/demo/"
cat >"$TMP/lint/demo/art1.lua" <<'EOF'
local function label(x)
  return "helper"
end
return article {
  number = "1",
  text = { zh = "第一条 可以使用。", en = "Article 1 Use is allowed." },
  citation = "TEST-1 第一条",
  obligations = { "log-access" },
  messages = { ok = { zh = "可以。", en = "Allowed." }, no = { zh = "不行。", en = "No." } },
  rule = function(req, data)
    if req.action == "sell" then return "permit" end
    if data.contractz ~= nil then return deny("no") end
    if custos.field(data, "purposez.x") then return deny("no") end
    return permit("ok", nil, { "log-access", "backup", { id = "delete-by", date = "2027-06-30" } })
  end,
}
EOF
run "what the modules' code gets wrong: warnings with file:line" check --policies "$TMP/lint"
expect_code 0
expect_err "^custos: $TMP/lint/demo/art1\.lua:11: warning: the rule returns the bare string \"permit\": a verdict is permit"
expect_err "^custos: $TMP/lint/demo/art1\.lua:12: warning: reads the data section 'contractz', which no schema declares"
expect_err "^custos: $TMP/lint/demo/art1\.lua:13: warning: reads the data section 'purposez', which no schema declares"
expect_err "^custos: $TMP/lint/demo/art1\.lua:14: warning: returns the obligation \"delete-by\", which the article does not declare"
expect_err "^custos: $TMP/lint/demo/art1\.lua:14: warning: returns the obligation \"backup\", which the article does not declare"
expect_no_err "helper"
expect_no_err "log-access"
run "what the modules' code gets wrong, --strict" check --strict --policies "$TMP/lint"
expect_code 1
run "the shipped policies' code has none of them" check --strict --policies "$SRC/policies"
expect_code 0
expect_no_err "bare string|data section|does not declare"

# ---- the request fields: --fields -------------------------------------------------------------

run "the request fields as a Markdown page" check --fields --policies "$SRC/policies/gz-2012"
expect_code 0
expect_out '^\| field \| type \| description \| declared in \|$'
expect_out '^\| `subject.clearance` \| enum \(level\): `top_secret`, `secret`, `confidential`, `public` \| '
expect_out '^\| `resource.entrusted` \| boolean \| '
expect_no_out '^checked '
run "--table and --fields" check --table --fields --policies "$SRC/policies/gz-2012"
expect_code 64
expect_err "choose one"

# ---- summary ---------------------------------------------------------------------------------

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
