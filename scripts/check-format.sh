#!/bin/sh
# check-format.sh [CLANG_FORMAT]: fails, naming each file, when a C or C++ source of the project
# is not formatted as .clang-format says (`make format` rewrites them).  Run from the repository root.
set -u
clang_format=${1:-clang-format}
files=$(git ls-files '*.c' '*.h' '*.hpp' '*.cpp' 2>/dev/null | grep -v '^tests/fixtures/') || files=""
[ -n "$files" ] || files=$(find core tests bench examples bindings \( -name '*.[ch]' -o -name '*.[ch]pp' \) -not -path 'tests/fixtures/*')
bad=0
for f in $files; do
    if ! "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (make format)"
        bad=$((bad + 1))
    fi
done
echo "check-format: $(echo "$files" | wc -w) files, $bad not formatted"
[ "$bad" -eq 0 ]
