#!/usr/bin/env python3
"""Re-decide a log of data accesses against the law, in parallel on Dask.

A compliance team has a year of access records (JSON Lines: one record a line) and wants to know,
for each, what custos decides today on the regimes and data they give: permit, deny or not
applicable, and the articles cited.  Each line is either a custos request, or an object with the
request under "request" and anything else (an id, who logged it) copied to the output:

    {"id": "a-17", "request": {"subject": {"id": "bob"}, "action": "export", ...}}

Each line of the output (JSON Lines, in the input's order) is

    {"file": "...", "line": 17, "id": "a-17", "decision": "deny",
     "cited": [{"regime": "gz-2012", "article": "13", "effect": "deny", "citation": "..."}],
     "obligations": ["log-access"], "errors": []}

or, for a record that cannot be decided, {"file", "line", "error": {"status", "message", "line",
"column"}}.

The input is cut into partitions of --partition-lines lines (the client reads the files once to
find where each partition starts); each partition is one Dask task, which opens one Engine (in
its worker process), decides its lines and closes it.  The client writes the partitions' results
in order as they arrive.  By default a LocalCluster of --workers processes (one thread each) runs
them; --scheduler ADDRESS uses any Dask cluster instead: its workers must see the same paths
(the log, the data, the policies) and have the custos package and libcustos installed.

    python3 examples/python/audit_access_log.py --data examples/data/contracts.yaml \\
        --data examples/data/purposes.yaml access.jsonl -o decisions.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
IN_TREE = os.path.normpath(os.path.join(HERE, "..", "..", "bindings", "python"))

try:
    import custos  # noqa: F401
except ImportError:  # a source checkout: the package beside us, for us and the workers we start
    sys.path.insert(0, IN_TREE)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [IN_TREE] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])


def partitions(paths: Sequence[str], lines_per_partition: int) -> List[Dict[str, Any]]:
    """Cuts the files into runs of lines: [{path, start (byte), end (byte), first_line}]."""
    out = []
    for path in paths:
        with open(path, "rb") as f:
            start, first, n, pos = 0, 1, 0, 0
            for line in f:
                pos += len(line)
                n += 1
                if n == lines_per_partition:
                    out.append({"path": path, "start": start, "end": pos, "first_line": first})
                    start, first, n = pos, first + n, 0
            if n:
                out.append({"path": path, "start": start, "end": pos, "first_line": first})
    return out


def record_result(engine: Any, path: str, number: int, line: bytes,
                  strict: bool) -> Optional[Dict[str, Any]]:
    """One access record decided: the output line as a dict (None for a blank line)."""
    import custos

    if not line.strip():
        return None
    out: Dict[str, Any] = {"file": path, "line": number}
    request: Any = line
    record = None
    if b'"request"' in line:  # perhaps a wrapped record: {"id": ..., "request": {...}}
        try:
            record = json.loads(line)
        except ValueError:
            pass  # not JSON: the library says where (line and column)
    try:
        if isinstance(record, dict) and isinstance(record.get("request"), dict):
            out.update({k: v for k, v in record.items() if k != "request"})
            request = record["request"]
        d = engine.decide(request, strict=strict, name="%s:%d" % (path, number))
    except (custos.CustosError, ValueError, TypeError) as e:
        out["error"] = {"status": getattr(e, "status", "parse"),
                        "message": str(getattr(e, "message", e)),
                        "line": getattr(e, "line", 0), "column": getattr(e, "column", 0)}
        return out
    out["decision"] = d.effect
    out["cited"] = [{"regime": r.regime, "article": r.article, "effect": r.effect,
                     "citation": r.citation} for r in d.reasons]
    out["obligations"] = [o.id for o in d.obligations]
    out["errors"] = [{"regime": e.regime, "article": e.article, "message": e.message}
                     for e in d.errors]
    return out


def decide_partition(part: Dict[str, Any], config: Dict[str, Any]) -> Dict[str, Any]:
    """A Dask task: opens one Engine in this worker process, decides the partition's lines,
    closes it; returns the output text and the counts by decision."""
    import custos

    with open(part["path"], "rb") as f:
        f.seek(part["start"])
        blob = f.read(part["end"] - part["start"])
    out: List[str] = []
    counts: Dict[str, int] = {}
    with custos.Engine(policies=config["policies"], data=config["data"],
                       regime_modes=config["regime_modes"]) as engine:
        for i, line in enumerate(blob.splitlines()):
            r = record_result(engine, part["path"], part["first_line"] + i, line, config["strict"])
            if r is not None:
                out.append(json.dumps(r, ensure_ascii=False) + "\n")
                key = r.get("decision", "error")
                counts[key] = counts.get(key, 0) + 1
    return {"text": "".join(out), "counts": counts}


def audit(paths: Sequence[str], output: Any, config: Dict[str, Any], client: Any,
          lines_per_partition: int) -> Dict[str, int]:
    """Runs the audit on a dask.distributed Client; writes JSON Lines to `output` in input
    order; returns counts by decision ("error" for undecidable records)."""
    parts = partitions(paths, lines_per_partition)
    futures = [client.submit(decide_partition, p, config, pure=False) for p in parts]
    counts: Dict[str, int] = {}
    for fut in futures:  # in order; later ones keep running meanwhile
        result = fut.result()
        output.write(result["text"])
        for k, n in result["counts"].items():
            counts[k] = counts.get(k, 0) + n
        fut.release()
    return counts


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Re-decide JSON Lines of access records on Dask.")
    ap.add_argument("logs", nargs="+", help="JSON Lines files of access records")
    ap.add_argument("-o", "--output", default="-", help="where to write the decisions (- : stdout)")
    ap.add_argument("--data", action="append", default=[], help="a data document (repeatable)")
    ap.add_argument("--policies", action="append", default=None,
                    help="a regime folder or folder of regimes (repeatable; default: built-in)")
    ap.add_argument("--regime-mode", action="append", default=[], metavar="ID=MODE",
                    help="adopted, in-force or skipped for a regime (repeatable)")
    ap.add_argument("--strict", action="store_true", help="refuse undeclared request fields")
    ap.add_argument("--scheduler", metavar="ADDRESS",
                    help="a Dask scheduler (tcp://host:8786); default: a LocalCluster")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    ap.add_argument("--partition-lines", type=int, default=5000, help="records per task")
    a = ap.parse_args(argv)

    from distributed import Client, LocalCluster

    import custos

    modes = dict(m.split("=", 1) for m in a.regime_mode)
    # None: the built-in regimes beside the library each worker loads
    policies = [os.path.abspath(p) for p in a.policies] if a.policies else None
    config = {"policies": policies, "data": [os.path.abspath(p) for p in a.data],
              "regime_modes": modes, "strict": a.strict}
    # fail here, once, on a bad configuration rather than in every task
    custos.Engine(**{k: v for k, v in config.items() if k != "strict"}).close()
    paths = [os.path.abspath(p) for p in a.logs]

    cluster = None
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    try:
        start = time.perf_counter()
        counts = audit(paths, out, config, client, a.partition_lines)
        seconds = time.perf_counter() - start
    finally:
        if out is not sys.stdout:
            out.close()
        client.close()
        if cluster is not None:
            cluster.close()
    total = sum(counts.values())
    workers = a.workers if cluster is not None else "cluster"
    print("audit: %d records in %.2f s (%.0f/s, %s workers): %s" % (
        total, seconds, total / seconds if seconds else 0, workers,
        ", ".join("%d %s" % (n, k) for k, n in sorted(counts.items()))), file=sys.stderr)
    return 1 if counts.get("error") else 0


if __name__ == "__main__":
    sys.exit(main())
