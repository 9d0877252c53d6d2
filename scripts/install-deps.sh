#!/bin/sh
# Installs what custos needs to build and test, from Debian's packages.  Safe to run again:
# it only calls apt-get when something is missing.  Needs root or sudo.
set -eu

packages="build-essential cmake pkg-config liblua5.4-dev libyaml-dev libjansson-dev libcmocka-dev libreadline-dev valgrind"
# `make fuzz` also needs clang and its sanitizer/fuzzer runtime.
[ "${CUSTOS_WITH_FUZZ:-0}" = 1 ] && packages="$packages clang libclang-rt-14-dev"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "custos: these packages are missing and I am neither root nor able to sudo:$missing" >&2
    exit 1
fi

echo "custos: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# shellcheck disable=SC2086
$as_root apt-get install -y -qq --no-install-recommends $missing
