#!/bin/sh
# docs/request.md must be exactly what `custos check --fields` prints for the policies: every
# request field they declare, its type, description and where it is declared.  To update it
# after changing the schema (from the source tree):
#   build/bin/custos check --fields --policies policies > docs/request.md
set -u
: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"
case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
cd "$CUSTOS_SOURCE_DIR" || exit 1
expected=$(mktemp) || exit 1
trap 'rm -f "$expected"' EXIT
"$CUSTOS" check --fields --policies policies >"$expected" 2>/dev/null || {
    echo "FAIL: custos check --fields exited $?"; exit 1; }
if ! diff -u docs/request.md "$expected"; then
    echo "FAIL: docs/request.md differs from 'custos check --fields' (diff above: - the page, + the policies)"
    exit 1
fi
rows=$(grep -c '^| `' "$expected")
[ "$rows" -ge 10 ] || { echo "FAIL: only $rows fields listed"; exit 1; }
grep -q '^| `context.time` | time |' "$expected" || { echo "FAIL: context.time is not listed as a time"; exit 1; }
echo "ok: docs/request.md lists all $rows request fields"
