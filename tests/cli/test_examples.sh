#!/bin/sh
# Every example request in examples/requests/ decided with `custos decide` on the built-in
# regimes and all of examples/data/: its decision, and the articles it must cite (as the
# request's own header comment explains).  The enterprise template binds only when adopted.
set -u
root="$CUSTOS_SOURCE_DIR"
data=""
for f in "$root"/examples/data/*.yaml; do data="$data --data $f"; done
adopt="--regime-mode enterprise-confidentiality=adopted"
failures=0 checked=0

# request | extra flags | decision | articles that must be among the reasons (regime/article:effect)
while IFS='|' read -r request flags decision cites; do
    [ -z "$request" ] && continue
    checked=$((checked + 1))
    # shellcheck disable=SC2086
    out=$("$CUSTOS" decide $data $flags --format json "$root/examples/requests/$request" 2>&1)
    got=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["decision"], " ".join(r["regime"] + "/" + r["article"] + ":" + r["effect"] for r in d["reasons"]),
      "ERRORS" if d["errors"] else "")' 2>&1)
    case "$got" in
        "$decision "*) ;;
        *) echo "FAIL $request: expected $decision, got: $got"; failures=$((failures + 1)); continue ;;
    esac
    for cite in $cites; do
        case " $got " in
            *" $cite "*) ;;
            *) echo "FAIL $request: expected $cite among the reasons, got: $got"; failures=$((failures + 1)) ;;
        esac
    done
    case "$got" in *ERRORS*) echo "FAIL $request: policy errors: $out"; failures=$((failures + 1)) ;; esac
done <<TABLE
after-retention.yaml||deny|gz-2012/10:deny
consented-purpose.yaml||permit|gz-2012/11:permit gz-2012/10:permit
delete-after-retention.yaml||permit|gz-2012/10:permit gz-2012/12:permit
permitted-use.yaml||permit|gz-2012/10:permit gz-2012/11:permit
related-purpose.yaml||permit|gz-2012/11:permit
unrelated-purpose.yaml||deny|gz-2012/11:deny
sale.yaml||deny|gz-2012/13:deny gz-2012/4:deny mofcom-2009-13/4:deny
gz-region-outside-contract.yaml||deny|gz-2012/9:deny
gz-technical-data.yaml||permit|gz-2012/7:permit
gz-share-broker.yaml||deny|gz-2012/13:deny
gz-transfer-unlisted.yaml||deny|gz-2012/4:deny gz-2012/13:deny mofcom-2009-13/4:deny
gz-unauthorized-deletion.yaml||deny|gz-2012/12:deny
gz-unsigned-staff.yaml||deny|gz-2012/5:deny mofcom-2009-13/6:deny
mofcom-permitted-use.yaml||permit|mofcom-2009-13/5:permit
mofcom-unsigned-supplier.yaml||deny|mofcom-2009-13/6:deny gz-2012/5:deny
enterprise-export-unauthorized.yaml|$adopt|deny|enterprise-confidentiality/19:deny
enterprise-not-cleared.yaml|$adopt|deny|enterprise-confidentiality/15:deny
enterprise-partner-after-end.yaml|$adopt|deny|enterprise-confidentiality/25:deny
enterprise-partner-written-consent.yaml|$adopt|permit|enterprise-confidentiality/24:permit enterprise-confidentiality/25:permit
enterprise-raise-approved.yaml|$adopt|permit|enterprise-confidentiality/34:permit
enterprise-self-raise.yaml|$adopt|deny|enterprise-confidentiality/34:deny
enterprise-top-secret-alone.yaml|$adopt|deny|enterprise-confidentiality/17:deny
enterprise-top-secret-dual.yaml|$adopt|permit|enterprise-confidentiality/17:permit
enterprise-not-cleared.yaml||not_applicable|
js-classified-login.yaml||deny|js-jsb-2010-272/2:deny
js-classified-publish.yaml||deny|js-jsb-2010-272/2:deny
js-login.yaml||permit|js-jsb-2010-272/3:permit
egov-accept-project.yaml||permit|egov-outsourcing-evaluation/7:permit
egov-accept-rectified.yaml||permit|egov-outsourcing-evaluation/7:permit
egov-accept-unqualified.yaml||deny|egov-outsourcing-evaluation/7:deny
egov-grade.yaml||permit|egov-outsourcing-evaluation/6:permit
miit-apply-certification.yaml||permit|miit-2011-21/6:permit
miit-apply-without-review.yaml||deny|miit-2011-21/6:deny
miit-check-filing.yaml||deny|miit-2011-21/11:deny
miit-file-certification.yaml||permit|miit-2011-21/11:permit
TABLE

# every request in the folder is in the table
for f in "$root"/examples/requests/*.yaml; do
    name=$(basename "$f")
    grep -q "^$name|" "$0" || { echo "FAIL $name has no expected decision in $0"; failures=$((failures + 1)); }
done
echo "$checked example decisions checked, $failures failure(s)"
[ "$failures" -eq 0 ]
