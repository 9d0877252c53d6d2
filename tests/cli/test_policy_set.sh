#!/bin/sh
# A regime folder assembled elsewhere — its own files copied, the policy set's shared lib/
# linked beside it, as tools that bench or package a subset of the regimes do — still finds
# the set's schema.lua (beside the lib/ the link resolves to), and decides.
set -u
: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"
. "$CUSTOS_SOURCE_DIR/tests/cli/harness.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-set.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

mkdir -p "$TMP/subset/demo"
cp "$CUSTOS_SOURCE_DIR/tests/fixtures/basic/demo/regime.lua" \
   "$CUSTOS_SOURCE_DIR/tests/fixtures/basic/demo/art1.lua" "$TMP/subset/demo/"
mkdir -p "$TMP/set/lib"
cp "$CUSTOS_SOURCE_DIR/policies/schema.lua" "$TMP/set/schema.lua"
ln -s "$TMP/set/lib" "$TMP/subset/lib"
printf 'subject: {id: ann}\naction: use\nresource: {id: r1, entrusted: true}\ncontext: {time: "2026-01-01T10:00:00+08:00"}\n' >"$TMP/req.yaml"

run "a subset folder linking the set's lib/ finds its schema" decide --policies "$TMP/subset/demo" "$TMP/req.yaml"
expect_code 0
expect_out "^PERMIT"
run "the set's fields are declared" check --fields --policies "$TMP/subset/demo"
expect_code 0
expect_out "^\| \`resource.classification\` \|"

rm "$TMP/subset/lib"
run "without the link, only the regime's own fields" check --fields --policies "$TMP/subset/demo"
expect_code 0
expect_no_out "resource.classification"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
