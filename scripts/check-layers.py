#!/usr/bin/env python3
"""check-layers.py — the layering rules of core/, checked from the code itself.

A module is a .c file with its .h (same folder, same stem) and its private X_internal.h.  Module A depends on module B when
a file of A includes B's header.  The rules (docs/design.md, "Layers"):
  1. no cycles among modules, in any layer;
  2. core/support (plumbing) includes only its own headers and the public custos.h;
  3. core/src (the engine) includes core/src, core/support and core/include, never core/cli;
  4. core/cli (the program) includes only the public headers and its own;
  5. the engine's code and Lua (core/src, core/support, core/lua) name no concept of the
     regulations: the policy set declares its vocabulary (policies/schema.lua).
Exit 0 when all hold; otherwise each violation on a line and exit 1.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
LAYERS = {"core/include": "public", "core/support": "support", "core/src": "engine",
          "core/cli": "cli"}
ALLOWED = {"support": {"support", "public"}, "engine": {"engine", "support", "public"},
           "cli": {"cli", "public"}, "public": {"public"}}
DOMAIN_WORDS = re.compile(r"\b(contracts|purposes?|consents?|retention|classification|"
                          r"clearance|top_secret|employer|entrusted|outsourc\w*)\b", re.I)


def sources():
    for layer_dir, layer in LAYERS.items():
        for dirpath, _, names in os.walk(os.path.join(ROOT, layer_dir)):
            for name in sorted(names):
                if name.endswith((".c", ".h")):
                    yield layer, os.path.relpath(os.path.join(dirpath, name), ROOT)


def main():
    files = list(sources())
    by_header = {}
    for layer, path in files:
        if path.endswith(".h"):
            by_header.setdefault(os.path.basename(path), []).append((layer, path))
    def module_of(path):
        stem = os.path.splitext(path)[0]
        return stem[:-len("_internal")] if stem.endswith("_internal") else stem
    graph, problems = {}, []
    for layer, path in files:
        mod = module_of(path)
        graph.setdefault(mod, set())
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                targets = by_header.get(os.path.basename(m.group(1)), [])
                if not targets:
                    continue  # a generated file (embedded Lua) or a system header
                # the header beside the includer wins, as the preprocessor's "" search does
                target_layer, target = next(((l, t) for l, t in targets
                                             if os.path.dirname(t) == os.path.dirname(path)),
                                            targets[0])
                if target_layer not in ALLOWED[layer]:
                    problems.append(f"{path}:{lineno}: the {layer} layer includes {target} "
                                    f"({target_layer}); it may include only "
                                    f"{', '.join(sorted(ALLOWED[layer]))}")
                if module_of(target) != mod:
                    graph[mod].add(module_of(target))
    # cycles: depth-first search, reporting each cycle once by its members
    state, stack, seen_cycles = {}, [], set()

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    problems.append("module cycle: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    # the engine names no regulation concept
    for sub in ("core/src", "core/support", "core/lua"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, sub)):
            for name in sorted(names):
                path = os.path.relpath(os.path.join(dirpath, name), ROOT)
                with open(os.path.join(ROOT, path), encoding="utf-8") as f:
                    for lineno, line in enumerate(f, 1):
                        m = DOMAIN_WORDS.search(line)
                        if m:
                            problems.append(f"{path}:{lineno}: the engine names the domain "
                                            f"word \"{m.group(0)}\"; the policy set declares "
                                            f"its vocabulary")
    for p in problems:
        print(p)
    print(f"check-layers: {len(graph)} modules, {sum(map(len, graph.values()))} dependencies, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
