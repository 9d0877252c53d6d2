"""examples/python/audit_access_log.py on a small log, on a LocalCluster of 2 worker processes:
every output line equals what an Engine in this process decides for that record."""

import json
import os
import subprocess
import sys

import pytest

import custos
from conftest import BUILD, ROOT

pytest.importorskip("dask")
pytest.importorskip("distributed")

SCRIPT = os.path.join(ROOT, "examples", "python", "audit_access_log.py")


def test_audit_on_a_local_cluster(tmp_path):
    wl = tmp_path / "wl"
    wl.mkdir()
    subprocess.run([os.path.join(BUILD, "bin", "custos-bench"), "--write-workload", str(wl),
                    "--requests", "600"], check=True)
    lines = (wl / "requests.jsonl").read_text(encoding="utf-8").splitlines()
    # a record wrapped with an id, a malformed one, a blank line
    lines.insert(10, json.dumps({"id": "rec-11", "logged_by": "gateway",
                                 "request": json.loads(lines[10])}))
    lines.insert(20, '{"action": [}')
    lines.insert(30, "")
    log = tmp_path / "access.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    policies = os.path.join(ROOT, "policies", "gz-2012")
    data = str(wl / "contracts.yaml")
    out = tmp_path / "decisions.jsonl"
    r = subprocess.run([sys.executable, SCRIPT, "--policies", policies, "--data", data,
                        "--workers", "2", "--partition-lines", "100", "-o", str(out), str(log)],
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 1, r.stderr  # one record could not be decided
    assert "2 workers" in r.stderr and "1 error" in r.stderr
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(got) == len(lines) - 1  # the blank line gives nothing
    with custos.Engine(policies=policies, data=[data]) as engine:
        for number, line in enumerate(lines, 1):
            if not line:
                continue
            rec = got.pop(0)
            assert (rec["file"], rec["line"]) == (str(log), number)
            if number == 21:
                assert rec["error"]["status"] == "parse" and rec["error"]["column"] == 13
                continue
            request = json.loads(line)
            if number == 11:
                assert (rec["id"], rec["logged_by"]) == ("rec-11", "gateway")
                request = request["request"]
            d = engine.decide(request)
            assert rec["decision"] == d.effect
            assert [(c["regime"], c["article"], c["effect"]) for c in rec["cited"]] == \
                [(x.regime, x.article, x.effect) for x in d.reasons]
            assert rec["obligations"] == [o.id for o in d.obligations]
    assert got == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # tornado's, inside LocalCluster
def test_audit_on_a_given_scheduler(tmp_path):
    from distributed import LocalCluster

    wl = tmp_path / "wl"
    wl.mkdir()
    subprocess.run([os.path.join(BUILD, "bin", "custos-bench"), "--write-workload", str(wl),
                    "--requests", "200"], check=True)
    args = [sys.executable, SCRIPT, "--policies", os.path.join(ROOT, "policies", "gz-2012"),
            "--data", str(wl / "contracts.yaml"), "--partition-lines", "50"]
    local = subprocess.run(args + [str(wl / "requests.jsonl")], capture_output=True, text=True,
                           timeout=240)
    assert local.returncode == 0, local.stderr
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        remote = subprocess.run(args + ["--scheduler", cluster.scheduler_address,
                                        str(wl / "requests.jsonl")],
                                capture_output=True, text=True, timeout=240)
    assert remote.returncode == 0, remote.stderr
    assert "cluster workers" in remote.stderr and "200 records" in remote.stderr
    assert remote.stdout == local.stdout and len(local.stdout.splitlines()) == 200
