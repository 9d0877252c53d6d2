"""The binding against the built library: opening, deciding (compared with `custos decide`),
errors with file:line:col, threads, closing."""

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import threading

import pytest

import custos
from conftest import BUILD, CUSTOS, DATA, REQUESTS, ROOT, example


# ---- version ------------------------------------------------------------------------------------

def test_version_is_the_librarys():
    header = open(os.path.join(ROOT, "core", "include", "custos.h"), encoding="utf-8").read()
    expected = re.search(r'#define CUSTOS_VERSION_STRING "([^"]+)"', header).group(1)
    pyproject = open(os.path.join(ROOT, "bindings", "python", "pyproject.toml")).read()
    assert re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1) == expected
    assert custos.__version__ == expected
    assert custos.library_version() == expected


def test_version_check_refuses_another_major():
    from custos import _ffi
    _ffi.check_version(_ffi.VERSION_MAJOR * 1000000 + _ffi.VERSION_MINOR * 1000)
    with pytest.raises(ImportError, match="needs"):
        _ffi.check_version((_ffi.VERSION_MAJOR + 1) * 1000000, "9.0.0")


def _import_in_child(env_library):
    env = dict(os.environ, CUSTOS_LIBRARY=env_library)
    return subprocess.run([sys.executable, "-c", "import custos"], env=env,
                          capture_output=True, text=True)


def test_import_fails_clearly_on_a_missing_library(tmp_path):
    r = _import_in_child(str(tmp_path / "nowhere" / "libcustos.so"))
    assert r.returncode != 0
    assert "ImportError: custos: cannot load the library named by CUSTOS_LIBRARY" in r.stderr


@pytest.mark.skipif(not shutil.which("cc"), reason="no C compiler")
def test_import_fails_clearly_on_an_incompatible_library(tmp_path):
    src = tmp_path / "fake.c"
    src.write_text('int custos_version_number(void) { return 7000000; }\n'
                   'const char *custos_version(void) { return "7.0.0"; }\n')
    so = tmp_path / "libcustos.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    r = _import_in_child(str(so))
    assert r.returncode != 0
    assert "libcustos is version 7.0.0" in r.stderr and "needs 0." in r.stderr


# ---- opening ------------------------------------------------------------------------------------

def test_open_error_has_file_and_line():
    with pytest.raises(custos.PolicyError) as e:
        custos.Engine(policies=os.path.join(ROOT, "tests", "fixtures", "broken", "syntax"))
    assert e.value.file.endswith("broken/syntax/art1.lua") and e.value.line == 7
    assert e.value.status == "policy"
    assert re.search(r"art1\.lua:7: unexpected symbol", str(e.value))


def test_open_error_missing_data():
    with pytest.raises(custos.NotFoundError) as e:
        custos.Engine(data=[os.path.join(ROOT, "no-such.yaml")])
    assert e.value.file.endswith("no-such.yaml")


def test_open_error_bad_regime_mode():
    with pytest.raises(custos.ArgumentError):
        custos.Engine(regime_modes={"gz-2012": "sometimes"})
    with pytest.raises(custos.CustosError, match="no-such-regime"):
        custos.Engine(regime_modes={"no-such-regime": "skipped"})


# ---- decisions, against the program ---------------------------------------------------------------

ADOPT = {"enterprise-confidentiality": "adopted"}


def _cli(name, adopt):
    args = [CUSTOS, "decide", "--format", "json"]
    for d in DATA:
        args += ["--data", d]
    if adopt:
        args += ["--regime-mode", "enterprise-confidentiality=adopted"]
    r = subprocess.run(args + [example(name)], capture_output=True, text=True)
    assert r.returncode in (0, 1, 2), r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def adopting():
    with custos.Engine(data=DATA, regime_modes=ADOPT) as e:
        yield e


@pytest.mark.parametrize("name", REQUESTS)
def test_decision_matches_cli(engine, adopting, name):
    adopt = name.startswith("enterprise-") and name != "enterprise-not-cleared.yaml"
    want = _cli(name, adopt)
    text = open(example(name), encoding="utf-8").read()
    d = (adopting if adopt else engine).decide(text, name=name)
    assert d.effect == want["decision"]
    assert [(r.regime, r.article, r.effect) for r in d.reasons] == \
        [(r["regime"], r["article"], r["effect"]) for r in want["reasons"]]
    assert [o.id for o in d.obligations] == [o["id"] for o in want["obligations"]]
    assert d.to_dict() == want
    assert d.errors == []


# examples/requests/sale.yaml as a dict
SALE = {
    "subject": {"id": "bob", "org": "acme-outsourcing", "role": "manager", "clearance": "secret",
                "signed_confidentiality": True},
    "action": "sell",
    "resource": {"id": "customer-list-2026", "owner": "globex", "category": "personal",
                 "classification": "confidential", "entrusted": True, "contract": "C-2026-001",
                 "protected_by_employer": True, "public": False},
    "purpose": "data-sale",
    "context": {"time": "2026-11-22T15:30:00+08:00",
                "consent": {"by": "globex", "purposes": ["data-sale"], "written": True}},
}


def test_decide_a_dict_with_as_of(engine):
    req = dict(SALE, context={"consent": SALE["context"]["consent"]})
    d = engine.decide(req, as_of="2026-11-22T15:30:00+08:00")
    assert d.effect == "deny"
    assert ("gz-2012", "13") in d.articles
    r13 = [r for r in d.reasons if r.article == "13"][0]
    assert r13.citation.startswith("穗外经贸法") and r13.message["en"] and r13.title["zh"]
    # the same instant as a datetime
    tz = dt.timezone(dt.timedelta(hours=8))
    d2 = engine.decide(req, as_of=dt.datetime(2026, 11, 22, 15, 30, tzinfo=tz))
    assert d2.to_dict() == d.to_dict()
    # gz-2012 expired in 2017: in force in 2015, not in 2026
    d3 = engine.decide(req, as_of=dt.datetime(2015, 1, 1, tzinfo=tz))
    assert {r.id: r.in_force for r in d3.regimes}["gz-2012"] is True
    assert {r.id: r.in_force for r in d.regimes}["gz-2012"] is False


def test_obligations_have_params(engine):
    d = engine.decide(open(example("permitted-use.yaml"), encoding="utf-8").read())
    assert d.effect == "permit"
    delete_by = [o for o in d.obligations if o.id == "delete-by"][0]
    assert delete_by.regime == "gz-2012" and delete_by.article == "10"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", delete_by.params["date"])


def test_explain_gives_a_trace(engine):
    text = open(example("sale.yaml"), encoding="utf-8").read()
    assert engine.decide(text).trace == []
    trace = engine.decide(text, explain=True).trace
    assert any(t.applied and t.effect == "deny" and t.article == "13" for t in trace)
    assert any(not t.applied for t in trace)


def test_bytes_and_json_text(engine):
    text = open(example("sale.yaml"), encoding="utf-8").read()
    d = engine.decide(text)
    assert engine.decide(text.encode()).to_dict() == d.to_dict()
    assert engine.decide(json.dumps(SALE)).to_dict() == d.to_dict()
    assert engine.decide(SALE).to_dict() == d.to_dict()


# ---- input errors -------------------------------------------------------------------------------

def test_parse_error_has_line_and_column(engine):
    with pytest.raises(custos.ParseError) as e:
        engine.decide("action: use\nsubject: {id: [bob}\n", name="req.yaml")
    assert (e.value.file, e.value.line) == ("req.yaml", 2)
    assert e.value.column > 0 and isinstance(e.value, custos.InputError)
    assert str(e.value).startswith("req.yaml:2:")


def test_wrong_type_names_the_field(engine):
    with pytest.raises(custos.InputError) as e:
        engine.decide('{"action": "use",\n "resource": {"entrusted": "yes"}}', as_of="now")
    assert "resource.entrusted" in e.value.message
    assert (e.value.line, e.value.column) == (2, 28)


def test_missing_time_and_bad_time(engine):
    with pytest.raises(custos.InputError, match="context.time"):
        engine.decide({"action": "use"})
    with pytest.raises(custos.InputError):
        engine.decide({"action": "use"}, as_of="yesterday")
    with pytest.raises(TypeError):
        engine.decide(42)


def test_strict_refuses_an_unknown_field(engine):
    req = {"action": "use", "resource": {"entrustd": True}}
    assert engine.decide(req, as_of="now").effect in ("permit", "deny", "not_applicable")
    with pytest.raises(custos.InputError, match="resource.entrusted"):
        engine.decide(req, as_of="now", strict=True)
    unknown = engine.check(req, as_of="now")
    assert [(u.path, u.nearest) for u in unknown] == [("resource.entrustd", "resource.entrusted")]


# ---- the engine ---------------------------------------------------------------------------------

def test_policies_reload_generation(engine):
    regimes = {r.id: r for r in engine.policies()}
    assert "gz-2012" in regimes and regimes["enterprise-confidentiality"].mode == "skipped"
    assert any(a.number == "11" and a.encoded for a in regimes["gz-2012"].articles)
    g = engine.generation
    engine.reload()
    assert engine.generation == g + 1


def test_context_manager_closes():
    with custos.Engine(data=DATA) as e:
        d = e.decide(open(example("sale.yaml"), encoding="utf-8").read())
        assert not e.closed
    assert e.closed
    assert d.effect == "deny" and d.reasons  # a decision outlives its engine
    with pytest.raises(ValueError, match="closed"):
        e.decide({"action": "use"}, as_of="now")
    e.close()  # idempotent


def test_limits():
    with custos.Engine(data=DATA, limits=custos.Limits(instructions=1000)) as e:
        d = e.decide(open(example("sale.yaml"), encoding="utf-8").read())
    assert d.effect == "deny" and d.errors
    assert any("limit" in f.message for f in d.errors)


# ---- threads ------------------------------------------------------------------------------------

def test_threads_give_the_same_results(engine):
    texts = [open(example(n), encoding="utf-8").read() for n in REQUESTS]
    want = [engine.decide(t).to_json() for t in texts]
    results = {}

    def worker(k):
        out = []
        for _ in range(20):
            out.append([engine.decide(t).to_json() for t in texts])
        results[k] = out

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for out in results.values():
        assert all(got == want for got in out)


def test_close_waits_for_running_decisions():
    e = custos.Engine(data=DATA)
    text = open(example("sale.yaml"), encoding="utf-8").read()
    errors, started = [], threading.Event()

    def worker():
        started.set()
        try:
            while True:
                e.decide(text)
        except ValueError:
            pass  # closed under us: refused cleanly
        except Exception as x:  # pragma: no cover
            errors.append(x)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    started.wait()
    e.close()
    for t in threads:
        t.join()
    assert errors == []


# ---- finding the library ------------------------------------------------------------------------

_WHICH = ("import custos, sys; print(custos.library_version()); "
          "print([l.split()[-1] for l in open('/proc/self/maps') if 'libcustos' in l][0])")


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs /proc")
def test_library_found_by_the_loader(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CUSTOS_LIBRARY"}
    env["LD_LIBRARY_PATH"] = os.path.join(BUILD, "lib")
    r = subprocess.run([sys.executable, "-c", _WHICH], env=env, cwd=str(tmp_path),
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    loaded = os.path.realpath(r.stdout.splitlines()[1])
    assert loaded.startswith(os.path.realpath(os.path.join(BUILD, "lib")) + os.sep)


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs /proc")
def test_library_found_in_the_checkout(tmp_path):
    import ctypes.util
    if ctypes.util.find_library("custos") or \
            os.path.realpath(BUILD) != os.path.realpath(os.path.join(ROOT, "build")):
        pytest.skip("an installed libcustos, or a build folder other than build/")
    env = {k: v for k, v in os.environ.items()
           if k not in ("CUSTOS_LIBRARY", "LD_LIBRARY_PATH")}
    r = subprocess.run([sys.executable, "-c", _WHICH], env=env, cwd=str(tmp_path),
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert os.path.realpath(r.stdout.splitlines()[1]).startswith(
        os.path.realpath(os.path.join(ROOT, "build", "lib")) + os.sep)
