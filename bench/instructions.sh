#!/bin/sh
# bench/instructions.sh BUILD [ARTICLES...] — machine instructions per decision, the stable
# figure on a shared machine.  For each article set (default: 10,11,13 and all) custos-bench
# runs under callgrind twice, with 10,000 and 20,000 timed requests (each after the same
# 10,000-request warm-up), counting only worker_main; the difference over the 10,000 extra
# decisions is the marginal cost of one decision, request building included.
set -eu
build=${1:?usage: bench/instructions.sh BUILD [ARTICLES...]}
shift
[ $# -gt 0 ] || set -- 10,11,13 all
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
total() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg" --toggle-collect=worker_main \
        "$build/bin/custos-bench" --requests "$1" --threads 1 --articles "$2" >/dev/null 2>&1 ||
        { echo "instructions.sh: custos-bench failed under callgrind" >&2; exit 1; }
    callgrind_annotate "$work/cg" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' |
        tr -d ,
}
for articles in "$@"; do
    a=$(total 10000 "$articles")
    b=$(total 20000 "$articles")
    echo "instructions per decision (callgrind, gz-2012 articles $articles): $(((b - a) / 10000))"
done
