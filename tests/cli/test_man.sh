#!/bin/sh
# test_man.sh — the manual pages (docs/man/*.1, *.3, man(7) roff, one source each): each renders
# without a warning (groff, from Debian's groff-base), and cannot drift from the program or
# the headers: every option a command's --help lists appears in its page, every command in
# custos.1, every function custos.h and custos_suite.h declare in libcustos.3.
#
# Run by ctest with CUSTOS and CUSTOS_SOURCE_DIR in the environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. sh tests/cli/test_man.sh
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-man.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$SRC/tests/cli/harness.sh"
cd "$SRC" || exit 1

if ! command -v groff >/dev/null 2>&1; then
    echo "groff is missing (Debian's groff-base; scripts/install-deps.sh installs it)" >&2
    exit 1
fi

MAN=docs/man
PAGES="custos.1 custos-decide.1 custos-test.1 custos-check.1 custos-repl.1 custos-manifest.1 custos-audit.1 libcustos.3"

# The page rendered as text, with its hyphens and quotes plain ASCII for grep.
render() {
    groff -man -Tutf8 -ww -rLL=200n "$MAN/$1" 2>"$TMP/warnings" |
        sed -e 's/.\x08//g' -e 's/\xe2\x80\x90/-/g' -e 's/\xe2\x88\x92/-/g' \
            -e 's/\xe2\x80\x98/'"'"'/g' -e 's/\xe2\x80\x99/'"'"'/g' >"$TMP/page"
}

for page in $PAGES; do
    case_name="$page renders"
    if [ ! -f "$MAN/$page" ]; then
        fail "the page" "$MAN/$page" "missing"
        continue
    fi
    render "$page"
    if [ -s "$TMP/warnings" ]; then fail "no groff warnings" "none" "$(cat "$TMP/warnings")"; else pass; fi
    if grep -q "^NAME" "$TMP/page" && grep -q "^SEE ALSO" "$TMP/page"; then pass; else
        fail "NAME and SEE ALSO sections" "both" "$(head -5 "$TMP/page")"
    fi
done

# Every option a command's help lists ("  --name", "  -x, --name") is in its page.
for cmd in decide test check repl manifest audit; do
    render "custos-$cmd.1"
    "$CUSTOS" help "$cmd" | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' >"$TMP/options"
    case_name="custos-$cmd.1 lists every option of 'custos help $cmd'"
    [ -s "$TMP/options" ] || fail "options in the help" "some" "none"
    while read -r option; do
        if grep -q -- "$option" "$TMP/page"; then pass; else
            fail "option $option in custos-$cmd.1" "$option" "(absent)"
        fi
    done <"$TMP/options"
done

# Every command and program option of `custos --help` is in custos.1.
render custos.1
"$CUSTOS" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' >"$TMP/commands"
case_name="custos.1 names every command"
[ -s "$TMP/commands" ] || fail "commands in --help" "some" "none"
while read -r cmd; do
    if grep -q "custos-$cmd(1)" "$TMP/page" && [ -f "$MAN/custos-$cmd.1" ]; then pass; else
        fail "command $cmd in custos.1, with its page" "custos-$cmd(1)" "(absent)"
    fi
done <"$TMP/commands"
for option in --help --version; do
    if grep -q -- "$option" "$TMP/page"; then pass; else fail "$option in custos.1" "$option" "(absent)"; fi
done

# Every function the public headers declare is in libcustos.3.
render libcustos.3
case_name="libcustos.3 names every public function"
sed -n 's/^CUSTOS_API[^(]*[ *]\(custos_[a-z_0-9]*\)(.*/\1/p' core/include/custos.h \
    core/include/custos_suite.h >"$TMP/functions"
[ -s "$TMP/functions" ] || fail "functions in the headers" "some" "none"
while read -r fn; do
    if grep -q "\b$fn\b" "$TMP/page"; then pass; else fail "$fn in libcustos.3" "$fn" "(absent)"; fi
done <"$TMP/functions"

# man(1) reads them as installed pages would be (when man is there).
if command -v man >/dev/null 2>&1; then
    case_name="man -l reads custos-check.1"
    if MANWIDTH=80 man -l "$MAN/custos-check.1" 2>/dev/null | grep -q "lint policies"; then pass; else
        fail "man -l output" "lint policies" "$(MANWIDTH=80 man -l "$MAN/custos-check.1" 2>&1 | head -3)"
    fi
fi

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
