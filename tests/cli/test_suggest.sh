#!/bin/sh
# test_suggest.sh — "did you mean": every name the program looks up suggests the nearest known
# one when it finds none (cli_suggest in core/cli/cli_common.c): options of every command,
# commands, `custos help COMMAND`, --regime-mode's modes and regime ids, REPL commands and
# :help topics, :cite regimes and articles, :set fields.  A word near nothing gets no guess.
#
# Run by ctest with CUSTOS and CUSTOS_SOURCE_DIR in the environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. sh tests/cli/test_suggest.sh
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-suggest.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$SRC/tests/cli/harness.sh"
cd "$SRC" || exit 1

# ---- commands and the program's own options ---------------------------------------------------

run "a misspelt command" decdie x.yaml
expect_code 64
expect_err "^custos: unknown command 'decdie' \(did you mean 'decide'\?\)$"
run "two letters swapped" tset
expect_err "unknown command 'tset' \(did you mean 'test'\?\)"
run "help of a misspelt command" help chek
expect_code 64
expect_err "unknown command 'chek' \(did you mean 'check'\?\)"
run "a misspelt program option" --verison
expect_code 64
expect_err "unknown option '--verison' \(did you mean '--version'\?\)"
run "a word near nothing" frobnicate
expect_code 64
expect_err "^custos: unknown command 'frobnicate'$"

# ---- every command's options ----------------------------------------------------------------

run "decide --polices" decide --polices policies x.yaml
expect_code 64
expect_err "^custos: unknown option '--polices' \(did you mean '--policies'\?\)$"
run "decide --explian" decide --explian x.yaml
expect_err "unknown option '--explian' \(did you mean '--explain'\?\)"
run "decide --regime-mod=x" decide --regime-mod=gz-2012=skipped x.yaml
expect_err "unknown option '--regime-mod' \(did you mean '--regime-mode'\?\)"
run "test --fliter" test --fliter x
expect_code 64
expect_err "unknown option '--fliter' \(did you mean '--filter'\?\)"
run "test --coverage-mni" test --coverage-mni 80
expect_err "unknown option '--coverage-mni' \(did you mean '--coverage-min'\?\)"
run "check -strict (one dash)" check -strict
expect_code 64
expect_err "unknown option '-strict' \(did you mean '--strict'\?\)"
run "check --tabel" check --tabel
expect_err "unknown option '--tabel' \(did you mean '--table'\?\)"
run "repl --dat" repl --dat x.yaml
expect_code 64
expect_err "unknown option '--dat' \(did you mean '--data'\?\)"
run "an option near nothing" check --frobnicate
expect_err "^custos: unknown option '--frobnicate'$"

# ---- regime modes and ids ---------------------------------------------------------------------

run "a misspelt mode" decide --regime-mode gz-2012=skiped examples/requests/sale.yaml
expect_code 64
expect_err "unknown mode 'skiped' \(did you mean 'skipped'\?\)"
run "a regime id not loaded: the loaded ones" decide --regime-mode gz2012=skipped \
    examples/requests/sale.yaml
expect_code 64
expect_err "a mode is set for regime 'gz2012', which is not loaded \(loaded: .*gz-2012, "

# ---- the REPL ---------------------------------------------------------------------------------

printf '%s\n' ':decid' ':help fieds' ':cite gz2012/5' ':cite gz2012' ':cite gz-2012/44' \
    ':set resource.entrustd true' ':set subject.clearance secrt' >"$TMP/in"
run_stdin "REPL lookups" "$TMP/in" repl
expect_err "<stdin>:1: unknown command ':decid' \(did you mean ':decide'\?\)"
expect_out "^no command 'fieds' \(did you mean 'fields'\?\)"
expect_err "<stdin>:3: no regime 'gz2012' is loaded \(did you mean 'gz-2012'\?\)"
expect_err "<stdin>:4: no loaded regime has an article gz2012 \(did you mean 'gz-2012'\?\)"
expect_err "<stdin>:5: gz-2012 has no article 44 \(did you mean 'gz-2012/4'\?\)"
expect_err "<stdin>:6: note: resource\.entrustd is not a declared field \(did you mean resource\.entrusted\?\)"
expect_err "<stdin>:7: subject\.clearance: \"secrt\" is not allowed \(did you mean 'secret'\?\); expected one of: top_secret, "

# ---- summary ---------------------------------------------------------------------------------

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
