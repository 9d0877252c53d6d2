#!/bin/sh
# test_boundary.sh — the `custos` program is a client of the public API and nothing more:
#  1. every #include "..." in core/cli is a public header (core/include) or a file of core/cli;
#  2. the program is compiled without core/src on its include path and linked to the shared
#     library (it defines none of the library's internal functions itself);
#  3. the files of core/cli call each other without a cycle (who calls whom: a file uses a
#     function or table another file defines), so the layering in repl_session.h holds.
# Run by ctest with CUSTOS, CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR in the environment.
set -u
: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1
CLI=$SRC/core/cli
TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-boundary.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failed=0
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }

# ---- 1. includes -------------------------------------------------------------------------------

for f in "$CLI"/*.c "$CLI"/*.h; do
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        if [ -f "$SRC/core/include/$h" ] || [ -f "$CLI/$h" ]; then continue; fi
        fail "core/cli/${f##*/} includes \"$h\", which is neither public (core/include) nor the CLI's own"
    done
done

# ---- 2. the build ------------------------------------------------------------------------------

flags=${CUSTOS_BINARY_DIR:-}/core/cli/CMakeFiles/custos_cli.dir/flags.make
if [ -f "$flags" ]; then
    if grep -q 'core/src' "$flags"; then fail "the CLI is compiled with core/src on its include path ($flags)"; fi
else
    echo "note: $flags not found (not a Makefile build); include path not checked"
fi
if command -v nm >/dev/null 2>&1; then
    # bundle_load and doc_parse are internal: a copy in the program means it links the
    # static library or the objects instead of libcustos.so.
    for sym in bundle_load doc_parse t_suite_load; do
        if nm "$CUSTOS" 2>/dev/null | grep -Eq "[[:space:]][TtDd][[:space:]]$sym\$"; then
            fail "the program defines the library's internal $sym: it must link the shared library"
        fi
    done
    if ! nm -D "$CUSTOS" 2>/dev/null | grep -Eq '[[:space:]]U[[:space:]]custos_engine_open'; then
        fail "the program does not import custos_engine_open from libcustos.so"
    fi
fi

# ---- 3. who calls whom -------------------------------------------------------------------------

# Each file without comments and strings, so names mentioned in prose make no edge.
for f in "$CLI"/*.c; do
    base=${f##*/}
    sed -e 's://.*$::' "$f" | awk '
        { line = $0; out = "" }
        { while (length(line) > 0) {
              if (incomment) { i = index(line, "*/"); if (!i) { line = ""; break }
                               line = substr(line, i + 2); incomment = 0; continue }
              i = index(line, "/*"); if (!i) { out = out line; line = ""; break }
              out = out substr(line, 1, i - 1); line = substr(line, i + 2); incomment = 1 }
          gsub(/"([^"\\]|\\.)*"/, "\"\"", out); print out }' >"$TMP/${base%.c}.src"
done
# The names each file defines for others: functions and tables that are not static.
for s in "$TMP"/*.src; do
    mod=$(basename "$s" .src)
    grep -E '^[a-z][a-z0-9_ *]*[ *][a-z_][a-z0-9_]*(\(|\[\] *=| *=)' "$s" |
        grep -Ev '^(static|typedef|return|else|extern)[ (]' | grep -v ';[[:space:]]*$' |
        sed -E 's/^[a-z][a-z0-9_ *]*[ *]([a-z_][a-z0-9_]*)(\(|\[\] *=| *=).*/\1/' |
        while read -r name; do echo "$mod $name"; done
    grep -E '^const [a-z_]+ [a-z_]+ = ' "$s" | sed -E 's/^const [a-z_]+ ([a-z_]+) = .*/'"$mod"' \1/'
done | sort -u >"$TMP/defs"
: >"$TMP/edges"
while read -r mod name; do
    for s in "$TMP"/*.src; do
        user=$(basename "$s" .src)
        [ "$user" = "$mod" ] && continue
        if grep -qw "$name" "$s"; then echo "$user $mod" >>"$TMP/edges"; fi
    done
done <"$TMP/defs"
sort -u "$TMP/edges" -o "$TMP/edges"
if [ "$(wc -l <"$TMP/defs")" -lt 40 ]; then fail "found only $(wc -l <"$TMP/defs") definitions in core/cli: the scan is broken"; fi
if ! grep -q '^repl_commands repl_request$' "$TMP/edges"; then fail "the scan missed repl_commands -> repl_request: it is broken"; fi
if ! tsort "$TMP/edges" >/dev/null 2>"$TMP/loops"; then
    fail "the files of core/cli call each other in a circle:"
    sed 's/^/    /' "$TMP/loops"
    echo "  who calls whom:"
    sed 's/^/    /; s/ / -> /' "$TMP/edges"
fi

if [ "$failed" -gt 0 ]; then echo "$failed failed"; exit 1; fi
echo "ok: core/cli includes only public headers and its own, links libcustos.so, and its $(wc -l <"$TMP/edges") calls between files have no cycle"
