#!/bin/sh
# test_check_batch.sh LUA: examples/lua/check_batch.lua on a batch of the example requests as
# JSON Lines (made with custos.request_json) plus two lines that cannot be decided; its effects
# must be those of `custos decide --batch`, its errors carry line:column, its exit status 65.
# ctest (lua.example_check_batch) sets LUA_CPATH, CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR.
set -eu
lua=$1
src=$CUSTOS_SOURCE_DIR
cli=$CUSTOS_BINARY_DIR/bin/custos
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

set -- "$src"/examples/requests/*.yaml
"$lua" - "$@" > "$work/batch.jsonl" <<'LUA'
local custos = require "custos"
for _, path in ipairs(arg) do
  local f = assert(io.open(path, "rb"))
  print(custos.request_json(f:read("a"), path))
  f:close()
end
LUA
# line 35: a wrong type; line 36: not JSON
echo '{"resource": {"entrusted": "yes"}, "context": {"time": "2026-11-22T10:00:00+08:00"}}' >> "$work/batch.jsonl"
echo '{"subject": ' >> "$work/batch.jsonl"
n=$(grep -c . "$work/batch.jsonl")
[ "$n" -eq $(($# + 2)) ] || fail "batch has $n lines"

data=""
for d in "$src"/examples/data/*.yaml; do data="$data --data $d"; done
# shellcheck disable=SC2086
status=0
"$lua" "$src/examples/lua/check_batch.lua" $data "$work/batch.jsonl" > "$work/out.txt" || status=$?
cat "$work/out.txt"
[ "$status" -eq 65 ] || fail "exit status $status, want 65"

# shellcheck disable=SC2086
"$cli" decide --batch $data "$work/batch.jsonl" > "$work/cli.jsonl" 2>/dev/null || true
for effect in permit deny not_applicable; do
    want=$(grep -c "^{\"line\":[0-9]*,\"decision\":\"$effect\"" "$work/cli.jsonl" || true)
    got=$(grep -c "  $effect  " "$work/out.txt" || true)
    [ "$got" -eq "$want" ] || fail "$effect: $got, custos decide --batch says $want"
done
# each line's effect, in order
grep -o '"decision":"[a-z_]*"' "$work/cli.jsonl" | sed 's/.*:"\(.*\)"/\1/' > "$work/cli.effects"
grep -E '^[^ ]+:[0-9]+  ' "$work/out.txt" | awk '{print $2}' > "$work/lua.effects"
cmp "$work/cli.effects" "$work/lua.effects" || fail "effects differ from custos decide --batch"
grep -q "batch.jsonl:35:[0-9]*: resource.entrusted: expected a boolean" "$work/out.txt" ||
    fail "no line:column for the wrong type"
grep -q "batch.jsonl:36:[0-9]*: .*(parse)" "$work/out.txt" || fail "no line:column for the parse error"
grep -q "^$# decided: .*; 2 not decided$" "$work/out.txt" || fail "summary"
grep -q "^ *[0-9]*  gz-2012 art. " "$work/out.txt" || fail "most cited articles"

# one document, a permit: exit 0
"$lua" "$src/examples/lua/check_batch.lua" --quiet $data "$src/examples/requests/permitted-use.yaml" \
    > "$work/one.txt" || fail "a permit exits $?"
grep -q "^1 decided: 1 permit" "$work/one.txt" || fail "one permit"
echo "check_batch: ok"
