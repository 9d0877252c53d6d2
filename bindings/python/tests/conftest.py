"""Shared set-up: the repository's root, the built library and program, sys.path for custos.

ctest sets CUSTOS_SOURCE_DIR, CUSTOS_BINARY_DIR and CUSTOS_LIBRARY; run by hand, the defaults
are this checkout and its build/ folder."""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("CUSTOS_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", "..", ".."))
BUILD = os.environ.get("CUSTOS_BINARY_DIR") or os.path.join(ROOT, "build")
os.environ.setdefault("CUSTOS_LIBRARY", os.path.join(BUILD, "lib", "libcustos.so"))
PACKAGE_DIR = os.path.normpath(os.path.join(HERE, ".."))
if PACKAGE_DIR not in sys.path:
    sys.path.insert(0, PACKAGE_DIR)
# child processes (subprocess, Dask workers) import the same package
os.environ["PYTHONPATH"] = os.pathsep.join(
    [PACKAGE_DIR] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

CUSTOS = os.path.join(BUILD, "bin", "custos")
DATA = sorted(os.path.join(ROOT, "examples", "data", f)
              for f in os.listdir(os.path.join(ROOT, "examples", "data")) if f.endswith(".yaml"))
REQUESTS = sorted(f for f in os.listdir(os.path.join(ROOT, "examples", "requests"))
                  if f.endswith(".yaml"))


def example(name):
    return os.path.join(ROOT, "examples", "requests", name)


@pytest.fixture(scope="session")
def engine():
    import custos
    with custos.Engine(data=DATA) as e:
        yield e
