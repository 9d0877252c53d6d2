"""custos: ask libcustos, before touching entrusted data, whether an act is permitted.

    >>> import custos
    >>> with custos.Engine(data=["examples/data/contracts.yaml",
    ...                          "examples/data/purposes.yaml"]) as engine:
    ...     d = engine.decide({"subject": {"id": "bob"}, "action": "sell", ...},
    ...                       as_of="2026-11-22T15:30:00+08:00")
    ...     d.effect, [r.article for r in d.reasons]

The binding is a client of libcustos's public C API, loaded with ctypes (standard library
only).  One Engine serves any number of Python threads: ctypes releases the GIL while the library
decides, and each call takes its own request and decision objects from a pool, so a request or
decision is never used by two threads at once.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import threading
import time as _time
from ctypes import byref, c_char_p, c_size_t, c_void_p
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _ffi
from ._ffi import lib as _lib

__all__ = [
    "Engine", "Decision", "Reason", "Obligation", "RegimeStatus", "PolicyFailure", "TraceEntry",
    "UnknownField", "Limits", "Regime", "Article", "CustosError", "ArgumentError",
    "OutOfMemoryError", "NotFoundError", "ReadError", "InputError", "ParseError", "PolicyError",
    "InternalError", "library_version", "builtin_policy_dir", "__version__",
]

__version__ = _ffi.VERSION

PERMIT, DENY, NOT_APPLICABLE = "permit", "deny", "not_applicable"
_EFFECTS = {0: NOT_APPLICABLE, 1: PERMIT, 2: DENY}
_MODES = {"adopted": 0, "in-force": 1, "in_force": 1, "skipped": 2}
_MODE_NAMES = {0: "adopted", 1: "in-force", 2: "skipped"}
_EXPLAIN, _STRICT = 1, 4

Request = Union[Mapping[str, Any], str, bytes]
AsOf = Union[None, _dt.datetime, str]


def library_version() -> str:
    """The version of the libcustos actually loaded ("0.1.0")."""
    return _lib.custos_version().decode()


def builtin_policy_dir() -> Optional[str]:
    """The built-in regimes' folder (CUSTOS_POLICY_DIR, else beside the loaded library), or None."""
    p = _lib.custos_builtin_policy_dir()
    return os.fsdecode(p) if p else None


# ---- errors ------------------------------------------------------------------------------------

class CustosError(Exception):
    """A failed libcustos call.  `status` is the library's status name ("input", "policy", ...),
    `code` its number; `file`, `line`, `column` say where (empty / 0 when unknown)."""

    status_code = 0

    def __init__(self, message: str, status: str = "", code: int = 0, file: str = "",
                 line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.status, self.code = message, status, code
        self.file, self.line, self.column = file, line, column

    @property
    def location(self) -> str:
        """"file:line:col" (as much of it as is known; "" when nothing is)."""
        loc = self.file
        if self.line:
            loc += ":%d" % self.line
            if self.column:
                loc += ":%d" % self.column
        return loc

    def __str__(self) -> str:
        return "%s: %s" % (self.location, self.message) if self.location else self.message


class ArgumentError(CustosError, ValueError):
    """CUSTOS_E_ARGUMENT: an invalid argument."""
    status_code = 1


class OutOfMemoryError(CustosError, MemoryError):
    """CUSTOS_E_NOMEM."""
    status_code = 2


class NotFoundError(CustosError):
    """CUSTOS_E_NOT_FOUND: a file or folder does not exist."""
    status_code = 3


class ReadError(CustosError):
    """CUSTOS_E_IO: a file exists but could not be read (or is not a regular file)."""
    status_code = 4


class InputError(CustosError, ValueError):
    """CUSTOS_E_INPUT: a document parses but a field has the wrong shape or value."""
    status_code = 6


class ParseError(InputError):
    """CUSTOS_E_PARSE: a document is not well-formed YAML or JSON."""
    status_code = 5


class PolicyError(CustosError):
    """CUSTOS_E_POLICY: a policy module or regime failed to load or validate."""
    status_code = 7


class InternalError(CustosError):
    """CUSTOS_E_INTERNAL: a bug in custos."""
    status_code = 8


_ERRORS = {c.status_code: c for c in (ArgumentError, OutOfMemoryError, NotFoundError, ReadError,
                                      ParseError, InputError, PolicyError, InternalError)}


def _status_name(status: int) -> str:
    return (_lib.custos_status_name(status) or b"?").decode()


def _raise(status: int, err: Optional[_ffi.c_error] = None, what: str = "") -> None:
    cls = _ERRORS.get(status, CustosError)
    if err is not None and err.message:
        msg = err.message.decode("utf-8", "replace")
        return_file = os.fsdecode(err.file) if err.file else ""
        raise cls(msg, _status_name(status), status, return_file, err.line, err.column)
    raise cls("%s: %s" % (what, _status_name(status)) if what else _status_name(status),
              _status_name(status), status)


def _check(status: int, err: Optional[_ffi.c_error] = None, what: str = "") -> None:
    if status != 0:
        _raise(status, err, what)


# ---- the decision ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    """An article that decided (permit or deny).  `title` and `message` map "zh"/"en" to text;
    `implements` lists the national articles (regime, article) a local one implements."""
    regime: str
    article: str
    effect: str
    code: str
    citation: str
    title: Dict[str, str]
    message: Dict[str, str]
    implements: List[Tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Obligation:
    """What the host must do when it acts ("log-access", "delete-by" with params {"date": ...})."""
    id: str
    regime: str
    article: str
    params: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RegimeStatus:
    """A regime consulted: in force at the request's time (None when unknown), and whether it
    bound the decision."""
    id: str
    in_force: Optional[bool]
    adopted: bool
    applies: bool = True


@dataclass(frozen=True)
class PolicyFailure:
    """An error inside a policy (a Lua error, a limit hit): it made the decision deny."""
    regime: str
    article: str
    message: str


@dataclass(frozen=True)
class TraceEntry:
    """With explain=True: one article consulted, applied or not."""
    regime: str
    article: str
    applied: bool
    failed: bool
    effect: str
    code: str
    message: Dict[str, str]


class Decision:
    """The engine's answer.  `effect` is "permit", "deny" or "not_applicable"; the rest is read
    from the decision's JSON (custos_decision_json) the first time it is asked for."""

    __slots__ = ("effect", "_json", "_doc")

    def __init__(self, effect: str, json_text: bytes) -> None:
        self.effect = effect
        self._json = json_text
        self._doc: Optional[Dict[str, Any]] = None

    def to_dict(self) -> Dict[str, Any]:
        """The decision's JSON document, parsed (a fresh copy each call)."""
        return json.loads(self._json)

    def to_json(self) -> str:
        """The decision's JSON text, as the library wrote it."""
        return self._json.decode()

    @property
    def _d(self) -> Dict[str, Any]:
        if self._doc is None:
            self._doc = json.loads(self._json)
        return self._doc

    @property
    def permitted(self) -> bool:
        return self.effect == PERMIT

    @property
    def reasons(self) -> List[Reason]:
        return [Reason(r["regime"], r["article"], r["effect"], r.get("code", ""),
                       r.get("citation", ""), r.get("title", {}), r.get("message", {}),
                       [(i["regime"], i["article"]) for i in r.get("implements", [])])
                for r in self._d["reasons"]]

    @property
    def articles(self) -> List[Tuple[str, str]]:
        """The (regime, article) pairs of the reasons, in order."""
        return [(r["regime"], r["article"]) for r in self._d["reasons"]]

    @property
    def obligations(self) -> List[Obligation]:
        return [Obligation(o["id"], o["regime"], o["article"],
                           {k: v for k, v in o.items() if k not in ("id", "regime", "article")})
                for o in self._d["obligations"]]

    @property
    def regimes(self) -> List[RegimeStatus]:
        return [RegimeStatus(r["id"], r.get("in_force"), r.get("adopted", False),
                             r.get("applies", True)) for r in self._d["regimes"]]

    @property
    def errors(self) -> List[PolicyFailure]:
        return [PolicyFailure(e.get("regime", ""), e.get("article", ""), e.get("message", ""))
                for e in self._d["errors"]]

    @property
    def trace(self) -> List[TraceEntry]:
        """Every article consulted (only with explain=True; else empty)."""
        return [TraceEntry(t["regime"], t["article"], t["applied"], t["failed"], t["effect"],
                           t.get("code", ""), t.get("message", {}))
                for t in self._d.get("trace", [])]

    def __repr__(self) -> str:
        return "<Decision %s %s>" % (self.effect, " ".join("%s/%s" % a for a in self.articles))


@dataclass(frozen=True)
class UnknownField:
    """A request field the policy set does not declare, with the declared one nearest to it."""
    path: str
    nearest: Optional[str]
    line: int
    column: int


@dataclass(frozen=True)
class Limits:
    """Per-decision limits on the policies (0 keeps the library's default)."""
    memory_bytes: int = 0
    instructions: int = 0


@dataclass(frozen=True)
class Article:
    regime: str
    number: str
    title_zh: str
    title_en: str
    encoded: bool
    citation: Optional[str]


@dataclass(frozen=True)
class Regime:
    id: str
    title_zh: str
    title_en: str
    document: str
    effective: str
    expires: Optional[str]
    mode: str
    articles: List[Article]


def _s(b: Optional[bytes]) -> str:
    return b.decode() if b else ""


# ---- the engine --------------------------------------------------------------------------------

_PathLike = Union[str, "os.PathLike[str]"]


class Engine:
    """An engine on regime folders and data documents.

    `policies`: a folder of regime folders or one regime folder, or a list of them (default: the
    built-in regimes).  `data`: data documents (YAML/JSON).  `regime_modes`: {"regime-id":
    "adopted" | "in-force" | "skipped"}.  `limits`: a Limits, or (memory_bytes, instructions).
    Opening fails with a CustosError carrying file, line and column.  Use it as a context
    manager, or call close().  Thread-safe: decide from any number of threads.
    """

    def __init__(self, policies: Union[None, _PathLike, Sequence[_PathLike]] = None,
                 data: Iterable[_PathLike] = (), regime_modes: Optional[Mapping[str, str]] = None,
                 limits: Union[None, Limits, Tuple[int, int]] = None) -> None:
        self._handle: Optional[int] = None
        self._lock = threading.Condition()
        self._active = 0
        self._pool: List[Tuple[int, int]] = []
        self._all: List[Tuple[int, int]] = []
        if policies is None:
            builtin = builtin_policy_dir()
            if builtin is None:
                raise NotFoundError("custos: no built-in regimes found beside the library; pass "
                                    "policies= or set CUSTOS_POLICY_DIR", "not_found", 3)
            policies = [builtin]
        elif isinstance(policies, (str, bytes, os.PathLike)):
            policies = [policies]
        cfg = c_void_p()
        _check(_lib.custos_config_new(byref(cfg)), what="custos_config_new")
        try:
            for p in policies:
                _check(_lib.custos_config_add_policies(cfg, os.fsencode(p)), what=str(p))
            if isinstance(data, (str, bytes, os.PathLike)):
                data = [data]
            for p in data:
                _check(_lib.custos_config_add_data(cfg, os.fsencode(p)), what=str(p))
            for regime, mode in (regime_modes or {}).items():
                if mode not in _MODES:
                    raise ArgumentError("custos: regime mode %r for %s: expected adopted, in-force "
                                        "or skipped" % (mode, regime), "argument", 1)
                _check(_lib.custos_config_set_regime_mode(cfg, regime.encode(), _MODES[mode]),
                       what=regime)
            if limits is not None:
                mem, ins = (limits.memory_bytes, limits.instructions) if isinstance(
                    limits, Limits) else limits
                _check(_lib.custos_config_set_limits(cfg, mem, ins), what="limits")
            eng, err = c_void_p(), _ffi.c_error()
            _check(_lib.custos_engine_open(cfg, byref(eng), byref(err)), err, "custos_engine_open")
            self._handle = eng.value
        finally:
            _lib.custos_config_free(cfg)

    # -- lifetime --

    def close(self) -> None:
        """Closes the engine (waits for decisions running on other threads); idempotent."""
        with self._lock:
            if self._handle is None:
                return
            handle, self._handle = self._handle, None
            while self._active:
                self._lock.wait()
            pairs, self._all, self._pool = self._all, [], []
        for req, dec in pairs:
            _lib.custos_request_free(req)
            _lib.custos_decision_free(dec)
        _lib.custos_engine_close(handle)

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def _enter(self) -> Tuple[int, Tuple[int, int]]:
        with self._lock:
            if self._handle is None:
                raise ValueError("custos: the engine is closed")
            self._active += 1
            pair = self._pool.pop() if self._pool else None
            handle = self._handle
        if pair is None:
            req, dec = c_void_p(), c_void_p()
            if _lib.custos_request_new(byref(req)) or _lib.custos_decision_new(byref(dec)):
                _lib.custos_request_free(req)
                self._leave(None)
                raise OutOfMemoryError("custos: out of memory", "nomem", 2)
            pair = (req.value, dec.value)
            with self._lock:
                self._all.append(pair)
        return handle, pair

    def _leave(self, pair: Optional[Tuple[int, int]]) -> None:
        with self._lock:
            if pair is not None:
                self._pool.append(pair)
            self._active -= 1
            if not self._active:
                self._lock.notify_all()

    # -- requests --

    @staticmethod
    def _fill(req: int, request: Request, as_of: AsOf, name: Optional[str],
              err: _ffi.c_error) -> None:
        if isinstance(request, Mapping):
            text = json.dumps(request, ensure_ascii=False, default=_json_default).encode()
        elif isinstance(request, str):
            text = request.encode()
        elif isinstance(request, (bytes, bytearray)):
            text = bytes(request)
        else:
            raise TypeError("custos: a request is a dict, or JSON/YAML text (str or bytes), not %s"
                            % type(request).__name__)
        _check(_lib.custos_request_parse(req, text, len(text),
                                         (name or "<request>").encode(), byref(err)), err)
        if as_of is None:
            return
        if isinstance(as_of, str) and as_of != "now":
            _check(_lib.custos_request_set_string(req, b"context.time", as_of.encode(),
                                                  byref(err)), err)
            return
        if isinstance(as_of, str):
            as_of = _dt.datetime.now().astimezone()
        if not isinstance(as_of, _dt.datetime):
            raise TypeError("custos: as_of is a datetime, an RFC 3339 string or 'now'")
        if as_of.tzinfo is None:
            as_of = as_of.astimezone()  # a naive time is the machine's local time
        offset = as_of.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        _check(_lib.custos_request_set_time(req, int(as_of.timestamp() // 1), minutes,
                                            byref(err)), err)

    def decide(self, request: Request, as_of: AsOf = None, explain: bool = False,
               strict: bool = False, name: Optional[str] = None) -> Decision:
        """Decides a request: a dict, or JSON/YAML text (str or bytes).

        `as_of` sets context.time (a datetime — naive means local time —, an RFC 3339 string, or
        "now").  `explain` also records every article consulted (Decision.trace); `strict`
        refuses fields the policy set does not declare.  `name` names the request in errors.
        Raises ParseError/InputError (with line and column) when the request cannot be decided.
        """
        handle, pair = self._enter()
        try:
            req, dec = pair
            err = _ffi.c_error()
            self._fill(req, request, as_of, name, err)
            flags = (_EXPLAIN if explain else 0) | (_STRICT if strict else 0)
            _check(_lib.custos_decide(handle, req, flags, dec, byref(err)), err)
            text = c_char_p()
            _check(_lib.custos_decision_json(dec, byref(text)), what="custos_decision_json")
            return Decision(_EFFECTS[_ffi.decision_effect(dec)], text.value or b"{}")
        finally:
            self._leave(pair)

    def check(self, request: Request, as_of: AsOf = None,
              name: Optional[str] = None) -> List[UnknownField]:
        """Checks a request against the declared fields without deciding: raises InputError
        naming a field of the wrong type; returns the fields the policy set does not declare."""
        handle, pair = self._enter()
        try:
            req = pair[0]
            err = _ffi.c_error()
            self._fill(req, request, as_of, name, err)
            _check(_lib.custos_engine_check_request(handle, req, byref(err)), err)
            found: List[UnknownField] = []

            def collect(_user, path, nearest, line, column):  # type: ignore[no-untyped-def]
                found.append(UnknownField(_s(path), nearest.decode() if nearest else None,
                                          line, column))
                return True

            _check(_lib.custos_engine_unknown_fields(handle, req, _ffi.UNKNOWN_FIELD_FN(collect),
                                                     None, None, byref(err)), err)
            return found
        finally:
            self._leave(pair)

    def reload(self) -> None:
        """Re-reads the policies and data; on failure the old ones keep serving and a
        CustosError says why."""
        handle, pair = self._enter()
        try:
            err = _ffi.c_error()
            _check(_lib.custos_engine_reload(handle, None, byref(err)), err)
        finally:
            self._leave(pair)

    @property
    def generation(self) -> int:
        """How many times a policy bundle was published (1 after open, +1 per reload)."""
        handle, pair = self._enter()
        try:
            return int(_lib.custos_engine_generation(handle))
        finally:
            self._leave(pair)

    def policies(self) -> List[Regime]:
        """The regimes loaded, with their articles (encoded or not)."""
        handle, pair = self._enter()
        snap = c_void_p()
        try:
            _check(_lib.custos_engine_policies(handle, byref(snap)), what="custos_engine_policies")
            out = []
            for i in range(_lib.custos_policies_regime_count(snap)):
                ri = _ffi.c_regime_info()
                _check(_lib.custos_policies_regime(snap, i, byref(ri)))
                arts = []
                for j in range(ri.article_count):
                    ai = _ffi.c_article_info()
                    _check(_lib.custos_policies_article(snap, i, j, byref(ai)))
                    arts.append(Article(_s(ai.regime), _s(ai.number), _s(ai.title_zh),
                                        _s(ai.title_en), bool(ai.encoded),
                                        ai.citation.decode() if ai.citation else None))
                out.append(Regime(_s(ri.id), _s(ri.title_zh), _s(ri.title_en), _s(ri.document),
                                  _s(ri.effective), ri.expires.decode() if ri.expires else None,
                                  _MODE_NAMES.get(ri.mode, str(ri.mode)), arts))
            return out
        finally:
            _lib.custos_policies_free(snap)
            self._leave(pair)


def _json_default(o: Any) -> Any:
    if isinstance(o, _dt.datetime):
        if o.tzinfo is None:
            o = o.astimezone()
        return o.isoformat()
    if isinstance(o, _dt.date):
        return o.isoformat()
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError("custos: cannot put a %s in a request" % type(o).__name__)
