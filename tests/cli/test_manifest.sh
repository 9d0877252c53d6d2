#!/bin/sh
# test_manifest.sh — `custos manifest write`, and what the program says when a manifest does
# not match: decide and check refuse the set naming the file and the manifest's line (exit 70
# for policies, 70 for data vouched for by a manifest), the shipped set and data load, usage
# errors are 64 with a "did you mean".
#
# Run by ctest with CUSTOS and CUSTOS_SOURCE_DIR in the environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. sh tests/cli/test_manifest.sh
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-manifest.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$SRC/tests/cli/harness.sh"

# laid out as in the tree, so the suites' ../../../examples/data resolve
mkdir -p "$TMP/examples"
cp -R "$SRC/policies" "$TMP/p"
cp -R "$SRC/examples/data" "$SRC/examples/requests" "$TMP/examples/"
ln -s examples/data "$TMP/d"
SALE="$SRC/examples/requests/sale.yaml"
DATA="--data $TMP/d/contracts.yaml --data $TMP/d/purposes.yaml"

# shellcheck disable=SC2086
run "the shipped set and data, manifests included, decide" decide --policies "$TMP/p" $DATA "$SALE"
expect_code 1
expect_first_line "DENY"

run "write over a policy set" manifest write "$TMP/p"
expect_code 0
expect_out "^$TMP/p/.manifest.yaml: [0-9]+ files$"
if cmp -s "$TMP/p/.manifest.yaml" "$SRC/policies/.manifest.yaml"; then pass; else
    fail "the same manifest as shipped" "identical" "$(diff "$TMP/p/.manifest.yaml" "$SRC/policies/.manifest.yaml" | head -3)"
fi

echo "-- an edit" >>"$TMP/p/gz-2012/art13.lua"
# shellcheck disable=SC2086
run "a changed module is refused by decide" decide --policies "$TMP/p" $DATA "$SALE"
expect_code 70
expect_err "^custos: $TMP/p/gz-2012/art13.lua: .*but $TMP/p/.manifest.yaml:[0-9]+ expects"
run "and reported by check" check --policies "$TMP/p"
expect_code 70
expect_err "gz-2012/art13.lua: .*changed or was cut short"

run "written again, the set loads" manifest write "$TMP/p"
expect_code 0
run "check passes" check --policies "$TMP/p"
expect_code 0

# cut inside the first employer's name: still well-formed YAML, one record short
at=$(grep -bo "employer: " "$SRC/examples/data/contracts.yaml" | head -n 1 | cut -d: -f1)
cut=$((at + 13))
head -c "$cut" "$SRC/examples/data/contracts.yaml" >"$TMP/d/contracts.yaml"
# shellcheck disable=SC2086
run "a cut data document is refused under its folder's manifest" decide --policies "$TMP/p" $DATA "$SALE"
expect_code 70
expect_err "^custos: $TMP/d/contracts.yaml: its $cut bytes have SHA-256"
rm "$TMP/d/.manifest.yaml"
# shellcheck disable=SC2086
run "without the manifest, a cut that ends mid-line is still refused" decide --policies "$TMP/p" $DATA "$SALE"
expect_code 65
expect_err "^custos: $TMP/d/contracts.yaml:[0-9]+:[0-9]+: the document ends without a line break"

mv "$TMP/p/js-jsb-2010-272/regime.lua" "$TMP/regime.lua"
run "a regime folder without regime.lua is refused" check --policies "$TMP/p"
expect_code 70
expect_err "js-jsb-2010-272: holds policy modules .* but no regime.lua"

run "manifest without an action" manifest
expect_code 64
run "a misspelt action" manifest wirte "$TMP/p"
expect_code 64
expect_err "did you mean 'write'"
run "a missing folder" manifest write "$TMP/nowhere"
expect_code 66

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
