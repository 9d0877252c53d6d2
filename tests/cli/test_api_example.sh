#!/bin/sh
# The example program of docs/api.md compiles against the built library, runs, and prints what
# the page says it prints: the ```c block whose first line names api_example.c, and the fenced
# block after it.  Compiled with the build's compiler and flags (its sanitizers included).
set -u
doc="$CUSTOS_SOURCE_DIR/docs/api.md"
cache="$CUSTOS_BINARY_DIR/CMakeCache.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awk -v src="$tmp/api_example.c" -v out="$tmp/expected" '
    state == 0 && /^```c$/ { getline first; if (first ~ /api_example\.c/) { print first > src; state = 1 }; next }
    state == 1 && /^```$/ { state = 2; next }
    state == 1 { print > src; next }
    state == 2 && /^```/ { state = 3; printf "" > out; next }
    state == 3 && /^```$/ { state = 4; next }
    state == 3 { print > out }
' "$doc"
[ -s "$tmp/api_example.c" ] || { echo "FAIL: no \`\`\`c block starting with api_example.c in docs/api.md"; exit 1; }
[ -f "$tmp/expected" ] || { echo "FAIL: no output block after the example in docs/api.md"; exit 1; }

cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$cache")
flags="$(sed -n 's/^CMAKE_C_FLAGS:STRING=//p' "$cache") $(sed -n 's/^CMAKE_EXE_LINKER_FLAGS:STRING=//p' "$cache")"
if grep -q '^CUSTOS_SANITIZE:BOOL=ON' "$cache"; then flags="$flags -fsanitize=address,undefined -fno-omit-frame-pointer"; fi
# shellcheck disable=SC2086  # flags is a list of words
if ! "${cc:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic $flags -I"$CUSTOS_SOURCE_DIR/core/include" \
        "$tmp/api_example.c" -L"$CUSTOS_BINARY_DIR/lib" -lcustos -Wl,-rpath,"$CUSTOS_BINARY_DIR/lib" \
        -o "$tmp/api_example" 2>"$tmp/cc.err"; then
    echo "FAIL: the docs/api.md example does not compile:"
    cat "$tmp/cc.err"
    exit 1
fi
(cd "$CUSTOS_SOURCE_DIR" && "$tmp/api_example") >"$tmp/actual" 2>&1
code=$?
[ "$code" -eq 0 ] || { echo "FAIL: the docs/api.md example exited $code:"; cat "$tmp/actual"; exit 1; }
if ! diff -u "$tmp/expected" "$tmp/actual"; then
    echo "FAIL: the docs/api.md example prints something else than the page shows (diff above: - the page, + the program)"
    exit 1
fi
echo "ok: the docs/api.md example compiles, runs and prints what the page shows"
