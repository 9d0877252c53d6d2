#!/bin/sh
# docs/regulations.md must list exactly what `custos check --table` says of the policies: every
# article of every regime, encoded or not.  To update it after changing policies:
#   { sed '/^| regime |/,$d' docs/regulations.md; build/bin/custos check --table; } > new && mv new docs/regulations.md
set -u
doc="$CUSTOS_SOURCE_DIR/docs/regulations.md"
expected=$(mktemp) actual=$(mktemp)
trap 'rm -f "$expected" "$actual"' EXIT
"$CUSTOS" check --table --policies "$CUSTOS_SOURCE_DIR/policies" >"$expected" 2>/dev/null || {
    echo "FAIL: custos check --table exited $?"; exit 1; }
sed -n '/^| regime |/,$p' "$doc" >"$actual"
if ! diff -u "$actual" "$expected"; then
    echo "FAIL: docs/regulations.md differs from 'custos check --table' (diff above: - the page, + the policies)"
    exit 1
fi
rows=$(grep -c '^| [a-z]' "$expected")
[ "$rows" -ge 90 ] || { echo "FAIL: only $rows articles listed"; exit 1; }
echo "ok: docs/regulations.md lists all $rows articles"
