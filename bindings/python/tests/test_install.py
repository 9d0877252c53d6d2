"""`pip install bindings/python` works offline (no build isolation, no dependencies: setuptools
from Debian's python3-setuptools) and the installed package imports and decides from another
folder, the library found through CUSTOS_LIBRARY."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import DATA, PACKAGE_DIR, example


def test_pip_install_into_a_target(tmp_path):
    import importlib.util
    if not (importlib.util.find_spec("pip") and importlib.util.find_spec("setuptools")):
        pytest.skip("pip or setuptools missing (python3-pip, python3-setuptools)")
    src = tmp_path / "src"  # build from a copy: pip writes build/ and *.egg-info beside it
    shutil.copytree(PACKAGE_DIR, src, ignore=shutil.ignore_patterns("tests", "__pycache__",
                                                                    "build", "*.egg-info"))
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation",
                        "--no-deps", "--no-index", "--target", str(target), str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (target / "custos" / "py.typed").exists()
    env = dict(os.environ, PYTHONPATH=str(target))
    code = ("import custos, sys; e = custos.Engine(data=sys.argv[2:]); "
            "d = e.decide(open(sys.argv[1], encoding='utf-8').read()); "
            "print(custos.__file__, d.effect)")
    r = subprocess.run([sys.executable, "-c", code, example("sale.yaml")] + DATA, env=env,
                       cwd=str(tmp_path), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    path, effect = r.stdout.split()
    assert path.startswith(str(target)) and effect == "deny"
