"""Loading libcustos with ctypes and declaring the C functions the binding calls.

The library is found the way Python packages usually find a C library:

1. the environment variable ``CUSTOS_LIBRARY`` (a path to ``libcustos.so``);
2. ``ctypes.util.find_library("custos")`` (the system loader's cache, ``LD_LIBRARY_PATH``);
3. well-known places relative to this package: beside it (a bundled copy), the build tree of a
   source checkout (``build/lib``), and ``<sys.prefix>/lib``.

Anything else is an ImportError that says where it looked.  Once loaded, the library's major
version must equal the binding's (``custos_version_number()``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from ctypes import (POINTER, Structure, c_bool, c_char, c_char_p, c_int, c_int64, c_size_t,
                    c_uint, c_uint64, c_void_p)

#: The binding's version: the library's version it was written for.
VERSION = "0.1.0"
VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH = (int(x) for x in VERSION.split("."))

ERROR_FILE_MAX = 512
ERROR_MESSAGE_MAX = 1024


class c_error(Structure):
    _fields_ = [("status", c_int), ("file", c_char * ERROR_FILE_MAX), ("line", c_uint),
                ("column", c_uint), ("message", c_char * ERROR_MESSAGE_MAX)]


class c_regime_info(Structure):
    _fields_ = [("id", c_char_p), ("title_zh", c_char_p), ("title_en", c_char_p),
                ("document", c_char_p), ("issued", c_char_p), ("effective", c_char_p),
                ("expires", c_char_p), ("folder", c_char_p), ("mode", c_int),
                ("article_count", c_size_t), ("applies_message_count", c_size_t),
                ("applies_message_codes", POINTER(c_char_p)), ("applies_module", c_char_p),
                ("applies_line_count", c_size_t), ("applies_lines", POINTER(c_uint))]


class c_article_info(Structure):
    _fields_ = [("regime", c_char_p), ("number", c_char_p), ("title_zh", c_char_p),
                ("title_en", c_char_p), ("encoded", c_bool), ("reason", c_char_p),
                ("text_zh", c_char_p), ("text_en", c_char_p), ("citation", c_char_p),
                ("module", c_char_p), ("rule_line", c_int), ("message_count", c_size_t),
                ("message_codes", POINTER(c_char_p)), ("line_count", c_size_t),
                ("lines", POINTER(c_uint))]


UNKNOWN_FIELD_FN = ctypes.CFUNCTYPE(c_bool, c_void_p, c_char_p, c_char_p, c_uint, c_uint)

# name: (restype, argtypes)
_PROTOTYPES = {
    "custos_version": (c_char_p, []),
    "custos_version_number": (c_int, []),
    "custos_status_name": (c_char_p, [c_int]),
    "custos_config_new": (c_int, [POINTER(c_void_p)]),
    "custos_config_free": (None, [c_void_p]),
    "custos_config_add_policies": (c_int, [c_void_p, c_char_p]),
    "custos_config_add_data": (c_int, [c_void_p, c_char_p]),
    "custos_config_set_limits": (c_int, [c_void_p, c_size_t, c_uint64]),
    "custos_config_set_regime_mode": (c_int, [c_void_p, c_char_p, c_int]),
    "custos_builtin_policy_dir": (c_char_p, []),
    "custos_engine_open": (c_int, [c_void_p, POINTER(c_void_p), POINTER(c_error)]),
    "custos_engine_reload": (c_int, [c_void_p, c_void_p, POINTER(c_error)]),
    "custos_engine_close": (None, [c_void_p]),
    "custos_engine_generation": (c_uint64, [c_void_p]),
    "custos_engine_check_request": (c_int, [c_void_p, c_void_p, POINTER(c_error)]),
    "custos_engine_unknown_fields": (c_int, [c_void_p, c_void_p, UNKNOWN_FIELD_FN, c_void_p,
                                             POINTER(c_size_t), POINTER(c_error)]),
    "custos_engine_policies": (c_int, [c_void_p, POINTER(c_void_p)]),
    "custos_policies_free": (None, [c_void_p]),
    "custos_policies_regime_count": (c_size_t, [c_void_p]),
    "custos_policies_regime": (c_int, [c_void_p, c_size_t, POINTER(c_regime_info)]),
    "custos_policies_article": (c_int, [c_void_p, c_size_t, c_size_t, POINTER(c_article_info)]),
    "custos_request_new": (c_int, [POINTER(c_void_p)]),
    "custos_request_free": (None, [c_void_p]),
    "custos_request_clear": (None, [c_void_p]),
    "custos_request_parse": (c_int, [c_void_p, c_char_p, c_size_t, c_char_p, POINTER(c_error)]),
    "custos_request_set_string": (c_int, [c_void_p, c_char_p, c_char_p, POINTER(c_error)]),
    "custos_request_set_time": (c_int, [c_void_p, c_int64, c_int, POINTER(c_error)]),
    "custos_decision_new": (c_int, [POINTER(c_void_p)]),
    "custos_decision_free": (None, [c_void_p]),
    "custos_decide": (c_int, [c_void_p, c_void_p, c_uint, c_void_p, POINTER(c_error)]),
    "custos_decision_effect": (c_int, [c_void_p]),
    "custos_decision_json": (c_int, [c_void_p, POINTER(c_char_p)]),
}


def _candidates() -> list[str]:
    """Where to look for the library after CUSTOS_LIBRARY and the loader: most specific first."""
    here = os.path.dirname(os.path.abspath(__file__))
    names = ["libcustos.so", "libcustos.so.%d" % VERSION_MAJOR, "libcustos.dylib"]
    folders = [
        here,                                                              # bundled beside us
        os.path.join(here, os.pardir, os.pardir, os.pardir, "build", "lib"),  # a source checkout
        os.path.join(sys.prefix, "lib"),
        os.path.join(sys.prefix, "local", "lib"),
    ]
    return [os.path.normpath(os.path.join(f, n)) for f in folders for n in names]


def _load() -> ctypes.CDLL:
    env = os.environ.get("CUSTOS_LIBRARY")
    if env:
        try:
            return ctypes.CDLL(env)
        except OSError as e:
            raise ImportError("custos: cannot load the library named by CUSTOS_LIBRARY (%s): %s"
                              % (env, e)) from None
    tried = []
    found = ctypes.util.find_library("custos")
    if found:
        try:
            return ctypes.CDLL(found)
        except OSError as e:
            tried.append("%s (%s)" % (found, e))
    else:
        tried.append('ctypes.util.find_library("custos"): not found')
    for path in _candidates():
        if os.path.exists(path):
            try:
                return ctypes.CDLL(path)
            except OSError as e:
                tried.append("%s (%s)" % (path, e))
    raise ImportError(
        "custos: cannot find libcustos.  Set CUSTOS_LIBRARY to the path of libcustos.so, or "
        "install the library where the system loader finds it (cmake --install, the .deb).  "
        "Tried: " + "; ".join(tried + [p for p in _candidates()]))


def check_version(number: int, text: str = "") -> None:
    """Raises ImportError unless a library of version `number` (MAJOR*1000000 + MINOR*1000 +
    PATCH) serves this binding: the same major version, and at least the binding's minor."""
    major, minor = number // 1000000, number // 1000 % 1000
    if major != VERSION_MAJOR or minor < VERSION_MINOR:
        raise ImportError(
            "custos: the loaded libcustos is version %s (%d), but this binding (custos %s) needs "
            "%d.%d or a later %d.x; point CUSTOS_LIBRARY at a matching libcustos.so"
            % (text or "?", number, VERSION, VERSION_MAJOR, VERSION_MINOR, VERSION_MAJOR))


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise ImportError("custos: %s has no function %s: is it libcustos %s?"
                              % (lib._name, name, VERSION)) from None
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


lib = _load()
try:
    _vnum = lib.custos_version_number
    _vnum.restype = c_int
    _vstr = lib.custos_version
    _vstr.restype = c_char_p
except AttributeError:
    raise ImportError("custos: %s is not libcustos (no custos_version_number)" % lib._name) from None
check_version(_vnum(), (_vstr() or b"").decode())
_declare(lib)

# Calls that only read a decision return at once: through PyDLL they keep the GIL, which spares
# a release and a contended re-acquisition (a thread wake-up) per call when threads decide.
_held = ctypes.PyDLL(lib._name, handle=lib._handle)
decision_effect = _held.custos_decision_effect
decision_effect.restype, decision_effect.argtypes = c_int, [c_void_p]
