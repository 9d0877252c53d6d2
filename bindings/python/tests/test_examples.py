"""examples/python/export_service.py: the permitted export ships with its obligations done, the
one to a broker is refused with the articles cited."""

import os
import subprocess
import sys

from conftest import ROOT


def test_export_service():
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "python",
                                                     "export_service.py")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "kate asks to send soylent-audit-2026 to kpmg-audit: PERMIT" in out
    assert "scheduled: delete our copy by 2027-12-31  (gz-2012 art. 10)" in out
    assert "shipped soylent-audit-2026 to kpmg-audit" in out
    assert "leo asks to send soylent-audit-2026 to data-broker-ltd: DENY" in out
    assert "refused: 穗外经贸法〔2012〕7号 第十三条" in out
    assert "shipped soylent-audit-2026 to data-broker-ltd" not in out
