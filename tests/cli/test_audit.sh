#!/bin/sh
# test_audit.sh — `custos decide --log` and `custos audit verify|head|show`: a log written by
# single decisions and batches, then attacked (a byte changed, a record deleted or moved, the
# tail cut off behind an anchor, a torn last line) with each verdict's own exit code and the
# bad record's FILE:LINE; a batch killed with SIGKILL mid-stream keeps every decision it had
# printed (each was fdatasync'd first); show's filters and redaction.
#
# Run by ctest with CUSTOS, CUSTOS_SOURCE_DIR and CUSTOS_BINARY_DIR in the environment; by hand:
#   CUSTOS=build/bin/custos CUSTOS_SOURCE_DIR=. CUSTOS_BINARY_DIR=build sh tests/cli/test_audit.sh
set -u

: "${CUSTOS:?set CUSTOS to the custos program}"
: "${CUSTOS_SOURCE_DIR:?set CUSTOS_SOURCE_DIR to the source tree}"

case $CUSTOS in /*) ;; *) CUSTOS=$(pwd)/$CUSTOS ;; esac
SRC=$(cd "$CUSTOS_SOURCE_DIR" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/custos-audit.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/cli/harness.sh
. "$SRC/tests/cli/harness.sh"

cd "$SRC" || exit 1
POL="--policies tests/fixtures/basic --data tests/fixtures/data/basic.yaml"

# request N [ACTION]: one JSON line for subject uN
request() {
    printf '{"subject":{"id":"u%s"},"action":"%s","resource":{"entrusted":true},"context":{"time":"2026-11-22T10:00:00+08:00"}}\n' "$1" "${2:-use}"
}

# ---- writing ----------------------------------------------------------------------------------

request 0 >"$TMP/one.json"
# shellcheck disable=SC2086
run "decide --log" decide $POL --log "$TMP/log.jsonl" "$TMP/one.json"
expect_code 0
: >"$TMP/batch.jsonl"
for i in 1 2 3 4 5; do request "$i" >>"$TMP/batch.jsonl"; done
request 6 sell >>"$TMP/batch.jsonl"
# shellcheck disable=SC2086
run "decide --batch --log, batched sync" decide $POL --batch --log "$TMP/log.jsonl" \
    --log-sync batched "$TMP/batch.jsonl"
expect_code 0
run "verify: intact" audit verify "$TMP/log.jsonl"
expect_code 0
expect_out "^intact: 7 records, head sha256:[0-9a-f]{64}$"
run "log options need --log" decide --log-sync batched "$TMP/one.json"
expect_code 64
run "an unknown sync mode" decide --log "$TMP/x" --log-sync sometimes "$TMP/one.json"
expect_code 64
expect_err "expected each or batched"

run "head" audit head "$TMP/log.jsonl"
expect_code 0
HEAD=$(cat "$TMP/out")
case_name="head is a digest"
if printf '%s\n' "$HEAD" | grep -Eq '^sha256:[0-9a-f]{64}$'; then pass; else fail "head" "sha256:<hex>" "$HEAD"; fi

# ---- attacks ----------------------------------------------------------------------------------

cp "$TMP/log.jsonl" "$TMP/changed.jsonl"
sed -i '3s/"effect":"permit"/"effect":"deny"/' "$TMP/changed.jsonl"
run "a changed record" audit verify "$TMP/changed.jsonl"
expect_code 1
expect_err "changed.jsonl:3: the record was changed"

sed '2d' "$TMP/log.jsonl" >"$TMP/deleted.jsonl"
run "a deleted record" audit verify "$TMP/deleted.jsonl"
expect_code 1
expect_err "deleted.jsonl:2: the chain breaks here"

for n in 1 3 2 4 5 6 7; do sed -n "${n}p" "$TMP/log.jsonl"; done >"$TMP/moved.jsonl"
run "records moved" audit verify "$TMP/moved.jsonl"
expect_code 1
expect_err "moved.jsonl:2:"

sed -n '1,3p;3p;4,$p' "$TMP/log.jsonl" >"$TMP/inserted.jsonl"
run "a record inserted" audit verify "$TMP/inserted.jsonl"
expect_code 1
expect_err "inserted.jsonl:4:"

sed '$d' "$TMP/log.jsonl" >"$TMP/cut.jsonl"
run "the tail cut off: intact without an anchor" audit verify "$TMP/cut.jsonl"
expect_code 0
run "the tail cut off: the anchor is missing" audit verify --head "$HEAD" "$TMP/cut.jsonl"
expect_code 3
expect_err "no record has the head"
run "the anchor kept" audit verify --head "$HEAD" "$TMP/log.jsonl"
expect_code 0
run "a malformed anchor" audit verify --head sha256:xyz "$TMP/log.jsonl"
expect_code 64

cp "$TMP/log.jsonl" "$TMP/torn.jsonl"
request 99 | head -c 60 >>"$TMP/torn.jsonl"
run "a torn last line" audit verify "$TMP/torn.jsonl"
expect_code 2
expect_err "torn.jsonl:8: the last line is torn"
expect_out "^intact up to a torn last line: 7 records"
# shellcheck disable=SC2086
run "the next open recovers" decide $POL --log "$TMP/torn.jsonl" "$TMP/one.json"
expect_code 0
run "verify after recovery" audit verify "$TMP/torn.jsonl"
expect_code 0
expect_out "^intact: 9 records"
case_name="the recovery record names what was cut"
if grep -q '"type":"recovery",.*"cut_line":8,"cut_bytes":60,"cut_sha256":"sha256:' "$TMP/torn.jsonl"; then pass
else fail "a recovery record" "cut_line 8, 60 bytes" "$(grep recovery "$TMP/torn.jsonl")"; fi

run "a missing log" audit verify "$TMP/nothing.jsonl"
expect_code 66
run "an unknown audit command" audit verfy "$TMP/log.jsonl"
expect_code 64
expect_err "did you mean 'verify'"

# ---- show --------------------------------------------------------------------------------------

run "show --subject" audit show "$TMP/log.jsonl" --subject u3
expect_code 0
expect_count "subject.id=u3" 1
expect_count "." 1
run "show --effect" audit show "$TMP/log.jsonl" --effect permit
expect_count "permit" 6
run "show --regime --article" audit show "$TMP/log.jsonl" --regime demo --article 1
expect_count "cites demo/1" 7
run "show --since in the future" audit show "$TMP/log.jsonl" --since 2999-01-01
expect_code 1
expect_stdout_empty
run "show --until a day long past" audit show "$TMP/log.jsonl" --until 2000-01-01T00:00:00Z
expect_code 1
run "show --since a bad time" audit show "$TMP/log.jsonl" --since yesterday
expect_code 64
run "show --format json" audit show "$TMP/log.jsonl" --format json --subject u6
expect_code 0
expect_python 'import json,sys
r=[json.loads(l) for l in sys.stdin]
assert len(r)==1 and r[0]["request"]["action"]=="sell" and r[0]["hash"].startswith("sha256:"), r' \
    "one record, as written"
run "verify takes no show option" audit verify "$TMP/log.jsonl" --subject u1
expect_code 64

# shellcheck disable=SC2086
run "--log-redact" decide $POL --log "$TMP/redacted.jsonl" --log-redact subject.id "$TMP/one.json"
expect_code 0
case_name="a redacted value is not in the log"
if grep -q '"u0"' "$TMP/redacted.jsonl"; then fail "no u0" "absent" "present"; else pass; fi
run "show finds a redacted subject by its value" audit show "$TMP/redacted.jsonl" --subject u0
expect_code 0
expect_out "subject.id=sha256:[0-9a-f]{64}"

# ---- signed checkpoints -------------------------------------------------------------------------

run "keygen" audit keygen "$TMP/log.key"
expect_code 0
expect_out "^[0-9a-f]{64}$"
PUB=$(cat "$TMP/out")
case_name="the secret key is its owner's alone"
perms=$(ls -l "$TMP/log.key" | cut -c1-10)
if [ "$perms" = "-rw-------" ]; then pass; else fail "mode" "-rw-------" "$perms"; fi
run "keygen never writes over a key" audit keygen "$TMP/log.key"
expect_code 73
# shellcheck disable=SC2086
run "decide --log-key" decide $POL --log "$TMP/signed.jsonl" --log-key "$TMP/log.key" --batch \
    "$TMP/batch.jsonl"
expect_code 0
run "verify --key" audit verify --key "$PUB" "$TMP/signed.jsonl"
expect_code 0
expect_out "^1 checkpoint verified; 0 records after the last$"
run "verify with another key" audit verify --key "$(printf '%064d' 0)" "$TMP/signed.jsonl"
expect_code 1
expect_err "signed.jsonl:7: the checkpoint is signed by ed25519:"
run "a key file that is not a key" decide $POL --log "$TMP/x.jsonl" --log-key "$TMP/one.json" "$TMP/one.json"
expect_code 65
# The attack a plain chain cannot see: a record changed and every hash after it recomputed (the
# checkpoint's head too).
if command -v python3 >/dev/null 2>&1; then
    python3 - "$TMP/signed.jsonl" <<'PY'
import hashlib, sys
path = sys.argv[1]
lines = open(path, "rb").read().split(b"\n")[:-1]
lines[1] = lines[1].replace(b'"effect":"permit"', b'"effect":"deny"')
prev, out = b"sha256:" + b"0" * 64, []
for line in lines:
    body = line[:-82]
    at = body.rindex(b',"prev":"')
    body = body[:at] + b',"prev":"' + prev + b'"'
    if b'"type":"checkpoint"' in body:  # and the head it signs, so only the signature is left
        h = body.index(b'"head":"') + 8
        body = body[:h] + prev + body[h + 71:]
    prev = b"sha256:" + hashlib.sha256(body + b"}").hexdigest().encode()
    out.append(body + b',"hash":"' + prev + b'"}')
open(path, "wb").write(b"\n".join(out) + b"\n")
PY
    run "a rechained log: intact without the key" audit verify "$TMP/signed.jsonl"
    expect_code 0
    run "a rechained log: the checkpoint's signature fails" audit verify --key "$PUB" "$TMP/signed.jsonl"
    expect_code 1
    expect_err "signed.jsonl:7: the checkpoint's signature is not valid"
fi

# ---- kill -9 in the middle of a stream ----------------------------------------------------------

# An endless stream of requests; custos is killed while deciding it.  Every decision it printed
# was recorded (fdatasync'd) before it was printed, so each must be in the log.
stream() {
    i=1
    while request "$i"; do i=$((i + 1)); done 2>/dev/null
}
# shellcheck disable=SC2086
stream | "$CUSTOS" decide $POL --batch --log "$TMP/killed.jsonl" >"$TMP/printed.jsonl" 2>/dev/null &
pid=$!
# until it has printed decisions (its stdout is a file: written in blocks), however slow the
# machine, then a moment more so the kill falls in the middle of the stream
tries=0
while [ ! -s "$TMP/printed.jsonl" ] && [ "$tries" -lt 600 ]; do
    sleep 0.1
    tries=$((tries + 1))
done
sleep 0.2
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
case_name="kill -9: custos was still deciding"
logged=$(grep -c '"type":"decision"' "$TMP/killed.jsonl")
if [ "$logged" -gt 0 ]; then pass; else fail "decisions logged before the kill" "> 0" "$logged"; fi
run "kill -9: the log verifies (intact, or torn at its end)" audit verify "$TMP/killed.jsonl"
case $code in 0 | 2) pass ;; *) fail "exit code" "0 or 2" "$code" ;; esac
case_name="kill -9: every decision printed is in the log"
if command -v python3 >/dev/null 2>&1; then
    if why=$(python3 - "$TMP/printed.jsonl" "$TMP/killed.jsonl" <<'PY' 2>&1
import json, sys
printed = [json.loads(l)["line"] for l in open(sys.argv[1]) if l.endswith("\n") and l.startswith('{"line":')]
logged = set()
for l in open(sys.argv[2]):
    if l.endswith("\n"):
        logged.add(json.loads(l)["request"]["subject.id"])
missing = [n for n in printed if "u%d" % n not in logged]
assert not missing, "missing from the log: %s" % missing[:5]
assert printed, "nothing was printed before the kill"
PY
    ); then pass; else fail "every printed decision logged" "none missing" "$why"; fi
else
    printf 'SKIP: %s: python3 not found\n' "$case_name"
fi

# ---- summary ------------------------------------------------------------------------------------

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
