#!/bin/sh
# Installs what custos needs to build and test, from Debian's packages.  Safe to run again:
# it only calls apt-get when something is missing.  Needs root or sudo.
#
#   CUSTOS_WITH_FUZZ=1          also clang and its sanitizer/fuzzer runtime (`make fuzz`)
#   CUSTOS_WITH_LUA_APICHECK=1  also a Lua with its C API checks on (`make asan`, `make fuzz`):
#                               Debian's lua5.4 source package, built with LUA_USE_APICHECK and
#                               LUAI_ASSERT into /usr/local/lib/custos-lua-apicheck, found by
#                               pkg-config as lua5.4-apicheck.  Debian's liblua5.4 has neither
#                               check, so misuse of the Lua API (a push past the stack, a wrong
#                               index) would corrupt memory silently instead of stopping a test.
set -eu

packages="build-essential cmake pkg-config liblua5.4-dev libyaml-dev libjansson-dev libsodium-dev libcmocka-dev libreadline-dev valgrind clang-format python3 groff-base lua5.4"
packages="$packages python3-yaml"   # scripts/cut-attack.py reads the example requests
packages="$packages python3-pytest python3-setuptools python3-pip python3-dask python3-distributed"  # Python binding
# `make fuzz` also needs clang and its sanitizer/fuzzer runtime.
[ "${CUSTOS_WITH_FUZZ:-0}" = 1 ] && packages="$packages clang libclang-rt-14-dev"
# dpkg-source (dpkg-dev) unpacks the Lua source package.
[ "${CUSTOS_WITH_LUA_APICHECK:-0}" = 1 ] && packages="$packages dpkg-dev"

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    as_root="none"
fi

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$as_root" = none ]; then
        echo "custos: these packages are missing and I am neither root nor able to sudo:$missing" >&2
        exit 1
    fi
    echo "custos: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    $as_root apt-get update -qq
    # shellcheck disable=SC2086
    $as_root apt-get install -y -qq --no-install-recommends $missing
fi

[ "${CUSTOS_WITH_LUA_APICHECK:-0}" = 1 ] || exit 0

# ---- Lua with API checks, from Debian's own source package --------------------------------
lua_prefix=/usr/local/lib/custos-lua-apicheck
lua_pc=/usr/local/lib/pkgconfig/lua5.4-apicheck.pc
[ -f "$lua_pc" ] && [ -f "$lua_prefix/liblua5.4-apicheck.a" ] && exit 0
if [ "$as_root" = none ]; then
    echo "custos: building a checked Lua needs root or sudo to install it in $lua_prefix" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# `apt-get source` needs deb-src entries.  Rather than edit the machine's apt configuration,
# take its Debian entries as deb-src into a private one (its own lists and cache), so the
# source comes from the same archive (or mirror) the machine's packages come from.
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/cache/archives/partial"
: > "$work/sources.list"
if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb[[:space:]].*debian' /etc/apt/sources.list | sed 's/^deb[[:space:]]/deb-src /' \
        >> "$work/sources.list" || true
fi
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas: keep those whose URIs are Debian's, as Types: deb-src
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /URIs:[^\n]*debian/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f" \
        > "$work/sources.list.d/$(basename "$f")"
done
for f in /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    grep -E '^deb[[:space:]].*debian' "$f" | sed 's/^deb[[:space:]]/deb-src /' \
        >> "$work/sources.list" || true
done
apt_private="-o Dir::Etc::SourceList=$work/sources.list -o Dir::Etc::SourceParts=$work/sources.list.d -o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache -o APT::Sandbox::User=root"
echo "custos: fetching Debian's lua5.4 source package to build a Lua with API checks" >&2
# shellcheck disable=SC2086
apt-get $apt_private -qq update
# The same version as the installed headers when the archive still has it.
version=$(dpkg-query -W -f='${source:Version}' liblua5.4-dev 2>/dev/null || true)
# shellcheck disable=SC2086
(cd "$work" && { apt-get $apt_private -qq source "lua5.4=$version" >/dev/null 2>&1 ||
                 apt-get $apt_private -qq source lua5.4 >/dev/null; })
src=$(find "$work" -maxdepth 2 -type d -path "$work/lua5.4-*/src" | head -n 1)
[ -n "$src" ] || { echo "custos: apt-get source lua5.4 gave no source tree" >&2; exit 1; }

# Debian's own flags (debian/rules: LUA_COMPAT_5_3, LUA_USE_LINUX, gnu99), plus the checks;
# position-independent so libcustos.so can take it in; no sanitizer of its own, so the same
# archive links into gcc's ASan build and clang's fuzz build.
echo "custos: building Lua with LUA_USE_APICHECK and LUAI_ASSERT" >&2
# Debian's luaconf.h includes this header, which debian/rules writes at build time.
multiarch=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH)
printf '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define DEB_HOST_MULTIARCH "%s"\n#endif\n' \
    "$multiarch" > "$src/lua5.4-deb-multiarch.h"
mkdir -p "$work/obj"
for c in "$src"/*.c; do
    case "$(basename "$c")" in lua.c|luac.c) continue ;; esac
    cc -std=gnu99 -O1 -g -fPIC -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -DLUA_USE_APICHECK -DLUAI_ASSERT \
        -c "$c" -o "$work/obj/$(basename "$c" .c).o"
done
ar rcs "$work/liblua5.4-apicheck.a" "$work"/obj/*.o
lua_version=$(sed -n 's/^#define LUA_VERSION_RELEASE[[:space:]]*"\(.*\)"/\1/p' "$src/lua.h")
cat > "$work/lua5.4-apicheck.pc" <<PC
prefix=$lua_prefix
includedir=\${prefix}/include
libdir=\${prefix}

Name: lua5.4-apicheck
Description: Lua (Debian's lua5.4 source) with LUA_USE_APICHECK and LUAI_ASSERT, for custos's sanitizer and fuzz builds
Version: 5.4.${lua_version:-0}
Cflags: -I\${includedir}
Libs: -L\${libdir} -llua5.4-apicheck -lm -ldl
PC
$as_root mkdir -p "$lua_prefix/include" "$(dirname "$lua_pc")"
$as_root cp "$src/lua.h" "$src/luaconf.h" "$src/lualib.h" "$src/lauxlib.h" "$src/lua.hpp" \
    "$src/lua5.4-deb-multiarch.h" "$lua_prefix/include/"
$as_root cp "$work/liblua5.4-apicheck.a" "$lua_prefix/"
$as_root cp "$work/lua5.4-apicheck.pc" "$lua_pc"
echo "custos: installed $lua_pc" >&2
