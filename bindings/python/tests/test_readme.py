"""The Python samples of README.md ("Bindings" → "Python") and bindings/python/README.md run as
written, from the repository's root, and print what their comments say."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


def _python_blocks(path, after=None):
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    if after:
        text = text[text.index(after):]
    return re.findall(r"```python\n(.*?)```", text, re.S)


@pytest.mark.parametrize("path,after,first", [
    ("README.md", "### Python", "permit"),
    ("bindings/python/README.md", "## Use", "deny"),
])
def test_sample_runs(path, after, first):
    code = _python_blocks(path, after)[0]
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == first
