#!/usr/bin/env python3
"""cut-attack.py — the partial-load attack of issue 14, on the built program.

Cuts each example data document (examples/data) at every STEP-th byte, or after every line
break (--lines), opens the built-in regimes on the cut data (all eight documents; the company
template adopted) and decides every example request (examples/requests) with `custos decide
--batch`.  Counts the cuts that load and the decisions that turn from deny (on the whole data)
into permit.  Without --manifest the data folder's .manifest.yaml is left out, to measure what
the loader's own checks catch.  Usage (from the source tree, after `make`):

    python3 scripts/cut-attack.py --step 97 [--manifest]
    python3 scripts/cut-attack.py --lines [--manifest]

Needs PyYAML (Debian python3-yaml) to turn the requests into JSON Lines.  Exit 1 when a cut
flips a decision.  tests/unit/test_partial_loads.c runs the --step 97 attack in `make test`.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CUSTOS = os.path.join(ROOT, "build", "bin", "custos")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--step", type=int, default=97)
    ap.add_argument("--lines", action="store_true", help="cut after every line break instead")
    ap.add_argument("--manifest", action="store_true", help="keep the data folder's manifest")
    args = ap.parse_args()
    requests_dir = os.path.join(ROOT, "examples", "requests")
    names = sorted(n for n in os.listdir(requests_dir) if n.endswith(".yaml"))
    batch = "".join(json.dumps(yaml.safe_load(open(os.path.join(requests_dir, n))), default=str)
                    + "\n" for n in names)
    data_dir = os.path.join(ROOT, "examples", "data")
    docs = sorted(n for n in os.listdir(data_dir) if n.endswith(".yaml") and n[0] != ".")

    def decide(folder):
        cmd = [CUSTOS, "decide", "--batch", "--regime-mode", "enterprise-confidentiality=adopted"]
        for d in docs:
            cmd += ["--data", os.path.join(folder, d)]
        p = subprocess.run(cmd + ["-"], input=batch, capture_output=True, text=True)
        lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
        return [json.loads(l)["decision"] for l in lines] if len(lines) == len(names) else None

    base = decide(data_dir)
    cuts = loaded = flips = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "data")
        shutil.copytree(data_dir, work)
        if not args.manifest:
            os.remove(os.path.join(work, ".manifest.yaml"))
        for doc in docs:
            path = os.path.join(work, doc)
            whole = open(path, "rb").read()
            offsets = ([i + 1 for i, c in enumerate(whole) if c == 10 and i + 1 < len(whole)]
                       if args.lines else range(0, len(whole), args.step))
            for cut in offsets:
                cuts += 1
                open(path, "wb").write(whole[:cut])
                got = decide(work)
                if got is None:
                    continue
                loaded += 1
                for name, b, g in zip(names, base, got):
                    if b == "deny" and g == "permit":
                        flips += 1
                        print(f"flip: {doc} cut at byte {cut}: {name}")
            open(path, "wb").write(whole)
    print(f"{cuts} cuts, {loaded} loaded, {flips} decisions turned from deny to permit "
          f"({len(names)} requests, manifest {'kept' if args.manifest else 'left out'})")
    return 1 if flips else 0


if __name__ == "__main__":
    sys.exit(main())
