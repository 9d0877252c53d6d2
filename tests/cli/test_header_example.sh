#!/bin/sh
# The example at the top of core/include/custos.h compiles as written (C11, -Wall -Wextra
# -Werror -pedantic) against the built library and runs from the source tree: it decides, at
# the time it runs, and prints a decision.
set -u
header="$CUSTOS_SOURCE_DIR/core/include/custos.h"
cache="$CUSTOS_BINARY_DIR/CMakeCache.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the indented lines from "#include <stdio.h>" to the closing brace of main
awk '
    /^ \*     #include <stdio.h>/ { on = 1 }
    on { line = $0; sub(/^ \*( {4})?/, "", line); print line }
    on && /^ \*     }$/ { exit }
' "$header" >"$tmp/header_example.c"
grep -q 'int main' "$tmp/header_example.c" || { echo "FAIL: no example found in custos.h"; exit 1; }

cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$cache")
flags="$(sed -n 's/^CMAKE_C_FLAGS:STRING=//p' "$cache") $(sed -n 's/^CMAKE_EXE_LINKER_FLAGS:STRING=//p' "$cache")"
if grep -q '^CUSTOS_SANITIZE:BOOL=ON' "$cache"; then flags="$flags -fsanitize=address,undefined -fno-omit-frame-pointer"; fi
# shellcheck disable=SC2086  # flags is a list of words
if ! "${cc:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic $flags -I"$CUSTOS_SOURCE_DIR/core/include" \
        "$tmp/header_example.c" -L"$CUSTOS_BINARY_DIR/lib" -lcustos -Wl,-rpath,"$CUSTOS_BINARY_DIR/lib" \
        -o "$tmp/header_example" 2>"$tmp/cc.err"; then
    echo "FAIL: the custos.h example does not compile:"
    cat "$tmp/cc.err"
    exit 1
fi
(cd "$CUSTOS_SOURCE_DIR" && "$tmp/header_example") >"$tmp/out" 2>&1
code=$?
[ "$code" -eq 0 ] || { echo "FAIL: the custos.h example exited $code:"; cat "$tmp/out"; exit 1; }
grep -Eqx 'go ahead|deny|not_applicable' "$tmp/out" || {
    echo "FAIL: the custos.h example printed no decision:"; cat "$tmp/out"; exit 1; }
echo "ok: the custos.h example compiles and decides ($(cat "$tmp/out"))"
