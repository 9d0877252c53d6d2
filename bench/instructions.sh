#!/bin/sh
# bench/instructions.sh BUILD [ARTICLES...] — machine instructions per decision, the stable
# figure on a shared machine.  For each article set (default: 10,11,13 and all) custos-bench
# runs under callgrind twice, with 20,000 and 60,000 timed requests (each after the same
# 10,000-request warm-up), counting only worker_main; the difference over the 40,000 extra
# decisions is the marginal cost of one decision, request building included.  (With 10,000
# and 20,000 the figure moved by up to 3,000 between runs: where the garbage collector's
# cycles fall, and Lua's per-process string hash seed, weigh more on a short difference.)  custos-floor
# (bench/floor.c: the same articles and requests in plain Lua 5.4, without custos) is counted
# the same way (floor_run): the floor these readings of the law cost in Lua itself.
set -eu
build=${1:?usage: bench/instructions.sh BUILD [ARTICLES...]}
shift
[ $# -gt 0 ] || set -- 10,11,13 all
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# total PROGRAM FUNCTION REQUESTS ARTICLES: the instructions FUNCTION ran
total() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg" --toggle-collect="$2" \
        "$build/bin/$1" --requests "$3" --articles "$4" $5 >/dev/null 2>&1 ||
        { echo "instructions.sh: $1 failed under callgrind" >&2; exit 1; }
    callgrind_annotate "$work/cg" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' |
        tr -d ,
}
for articles in "$@"; do
    a=$(total custos-bench worker_main 20000 "$articles" "--threads 1")
    b=$(total custos-bench worker_main 60000 "$articles" "--threads 1")
    custos=$(((b - a) / 40000))
    echo "instructions per decision (callgrind, gz-2012 articles $articles): $custos"
    a=$(total custos-floor floor_run 20000 "$articles" "")
    b=$(total custos-floor floor_run 60000 "$articles" "")
    floor=$(((b - a) / 40000))
    echo "  the same articles in plain Lua 5.4, no custos (custos-floor): $floor;" \
        "custos/floor $(awk "BEGIN { printf \"%.2f\", $custos / $floor }")"
done
