#!/usr/bin/env python3
"""Decides the first N requests of the benchmark's workload on 1 and on 2 Python threads sharing
one Engine, and prints decisions per second and the ratio.

    build/bin/custos-bench --write-workload /tmp/wl
    CUSTOS_LIBRARY=build/lib/libcustos.so PYTHONPATH=bindings/python \\
        python3 examples/python/bench_threads.py /tmp/wl --requests 20000

ctypes releases the GIL while libcustos decides; what stays under the GIL is the binding's own
Python (taking a request/decision pair, building the call, copying the decision's JSON)."""

import argparse
import os
import sys
import threading
import time

try:
    import custos
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "bindings", "python"))
    import custos


def run(engine, lines, threads):
    chunks = [lines[i::threads] for i in range(threads)]
    counts = [0] * threads

    def work(k):
        n = 0
        for line in chunks[k]:
            engine.decide(line)
            n += 1
        counts[k] = n

    ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    start = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workload", help="the folder custos-bench --write-workload wrote")
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--policies", default=os.path.join(root, "policies", "gz-2012"))
    ap.add_argument("--repeat", type=int, default=3, help="runs per thread count (best kept)")
    a = ap.parse_args()
    with open(os.path.join(a.workload, "requests.jsonl"), "rb") as f:
        lines = [next(f) for _ in range(a.requests)]
    with custos.Engine(policies=a.policies,
                       data=[os.path.join(a.workload, "contracts.yaml")]) as engine:
        run(engine, lines[:2000], 2)  # warm both threads' evaluators
        rates = {n: max(run(engine, lines, n) for _ in range(a.repeat)) for n in (1, 2)}
    for n, r in rates.items():
        print("%d thread%s: %8.0f decisions/s" % (n, "" if n == 1 else "s", r))
    print("2 threads / 1: %.2fx" % (rates[2] / rates[1]))


if __name__ == "__main__":
    main()
