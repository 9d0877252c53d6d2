#!/bin/sh
# test_install.sh — custos as a user installs it (ctest's install.prefix without the .deb;
# `make install-test` with it, which .ci/run runs after `make test`):
#   1. `cmake --install BUILD --prefix P` into a temporary prefix;
#   2. a host (tests/install/host.c) built through pkg-config and through find_package(custos)
#      (a tiny CMake project, tests/install/CMakeLists.txt: the shared library with pkg-config
#      out of reach, the static one with COMPONENTS static), the installed demo
#      (share/custos/examples/host/demo.c) through pkg-config; each finds the built-in regimes
#      beside the library and decides;
#   3. the installed `custos check`, `custos test` and `custos decide` on the installed examples;
#      CUSTOS_POLICY_DIR; no built-in regimes;
#   4. the prefix moved elsewhere: nothing names the old one, and 2-3 again;
#   5. the .deb (DEB): its control fields and files, then, as root, `dpkg -i`, the program and a
#      host against /usr, and `dpkg -r`.  Not root, or a custos package already installed: the
#      install is skipped with a message.
#
# usage: sh tests/install/test_install.sh BUILD [DEB]
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:?usage: test_install.sh BUILD [DEB]}" && pwd)
DEB=${2:-}
CC=${CC:-cc}
TMP=$(mktemp -d)
deb_installed=0
cleanup() {
    if [ "$deb_installed" = 1 ]; then dpkg -r custos >/dev/null 2>&1; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# shellcheck source=../cli/harness.sh
. "$SRC/tests/cli/harness.sh"

# run_cmd NAME CMD... — as the harness's run, for any command.
run_cmd() {
    case_name=$1
    shift
    "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
    code=$?
}

LIBDIR=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$BUILD/CMakeCache.txt")
LIBDIR=${LIBDIR:-lib}
EXPECT_DENY='^effect deny$'

# check_host NAME EXPECTED_POLICIES CMD... — a host decides bob's sale (deny) with the
# built-in regimes in EXPECTED_POLICIES.
check_host() {
    name=$1
    want=$2
    shift 2
    run_cmd "$name" "$@"
    expect_code 0
    expect_out_fixed "policies $want"
    expect_out "$EXPECT_DENY"
}

# check_prefix LABEL PREFIX — everything a user of the install at PREFIX does.
check_prefix() {
    label=$1
    p=$2
    lib=$p/$LIBDIR
    share=$p/share/custos
    policies=$(cd "$share/policies" && pwd -P)
    work=$TMP/$label
    mkdir -p "$work"

    # pkg-config: the paths it gives are the install's, wherever it is.
    run_cmd "$label: pkg-config --cflags --libs custos" \
        env PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --cflags --libs custos
    expect_code 0
    expect_stderr_empty
    flags=$(cat "$TMP/out")
    incdir=$(env PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --variable=includedir custos)
    case_name="$label: pkg-config's includedir is the install's"
    if [ "$(cd "$incdir" 2>/dev/null && pwd -P)" = "$(cd "$p/include" && pwd -P)" ]; then pass
    else fail "includedir" "$p/include" "$incdir"; fi
    case_name="$label: pkg-config --static names what the static library needs"
    static_libs=$(env PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --static --libs custos)
    if printf '%s\n' "$static_libs" | grep -q -- '-llua5.4.* -lyaml .*-ljansson'; then pass
    else fail "pkg-config --static --libs" "-llua5.4 ... -lyaml ... -ljansson" "$static_libs"; fi

    # shellcheck disable=SC2086 # $flags is pkg-config's words
    run_cmd "$label: host.c built through pkg-config" \
        $CC -std=c11 -Wall -Wextra -Werror -o "$work/host-pc" "$SRC/tests/install/host.c" $flags \
        -Wl,-rpath,"$lib"
    expect_code 0
    check_host "$label: host (pkg-config) finds <libdir>/../share/custos/policies" "$policies" \
        "$work/host-pc"
    check_host "$label: host (pkg-config) with CUSTOS_POLICY_DIR" "$share/policies" \
        env CUSTOS_POLICY_DIR="$share/policies" "$work/host-pc"
    run_cmd "$label: host with CUSTOS_POLICY_DIR not a folder" \
        env CUSTOS_POLICY_DIR="$TMP/nowhere" "$work/host-pc"
    expect_code 3

    # The installed demo, built as its comment says, against the installed data.
    # shellcheck disable=SC2086
    run_cmd "$label: the installed demo.c built through pkg-config" \
        $CC -Wall -Wextra -Werror -DCUSTOS_SOURCE_DIR="\"$share\"" -o "$work/demo" \
        "$share/examples/host/demo.c" $flags -Wl,-rpath,"$lib"
    expect_code 0
    run_cmd "$label: the installed demo runs" "$work/demo"
    expect_code 0
    expect_stderr_empty

    # find_package(custos): the shared library, with pkg-config out of reach (its Lua, libyaml
    # and jansson are private), then the static one (COMPONENTS static finds them).
    run_cmd "$label: find_package(custos) configures without pkg-config" \
        cmake -S "$SRC/tests/install" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$p" \
        -DPKG_CONFIG_EXECUTABLE="$TMP/no-pkg-config" -DCMAKE_C_COMPILER="$CC"
    expect_code 0
    run_cmd "$label: find_package(custos) builds" cmake --build "$work/cmake"
    expect_code 0
    check_host "$label: host (find_package) finds the regimes" "$policies" "$work/cmake/host"

    run_cmd "$label: find_package(custos COMPONENTS static)" \
        cmake -S "$SRC/tests/install" -B "$work/cmake-static" -DCMAKE_PREFIX_PATH="$p" \
        -DCUSTOS_STATIC=ON -DCMAKE_C_COMPILER="$CC"
    expect_code 0
    run_cmd "$label: the static host builds" cmake --build "$work/cmake-static"
    expect_code 0
    # Linked statically, the library's folder is the program's: no regimes beside it.
    run_cmd "$label: static host, no regimes beside the program" "$work/cmake-static/host_static"
    expect_code 3
    check_host "$label: static host with CUSTOS_POLICY_DIR" "$share/policies" \
        env CUSTOS_POLICY_DIR="$share/policies" "$work/cmake-static/host_static"

    # The installed program, from a folder with nothing of custos in it.
    CUSTOS=$p/bin/custos
    cd "$TMP" || exit 1
    run "$label: custos check" check
    expect_code 0
    expect_last_line ': 0 errors, 0 warnings$'
    run "$label: custos test" test
    expect_code 0
    expect_last_line '^[0-9]+ passed, 0 failed'
    expect_no_out 'did not load'
    run "$label: custos decide on an installed example" decide \
        --data "$share/examples/data/contracts.yaml" --data "$share/examples/data/purposes.yaml" \
        "$share/examples/requests/sale.yaml"
    expect_code 1
    expect_first_line "DENY"
    expect_stderr_empty
    run_cmd "$label: custos with CUSTOS_POLICY_DIR not a folder" \
        env CUSTOS_POLICY_DIR="$TMP/nowhere" "$CUSTOS" decide "$share/examples/requests/sale.yaml"
    expect_code 66
    expect_err "CUSTOS_POLICY_DIR=$TMP/nowhere is not a folder"
    cd "$SRC" || exit 1
}

# ---- 1-3: a prefix install ------------------------------------------------------------------
P1=$TMP/first/prefix
run_cmd "cmake --install $BUILD --prefix <tmp>" cmake --install "$BUILD" --prefix "$P1"
expect_code 0
if [ "$code" -ne 0 ]; then
    printf 'install: nothing more to test (is %s fully built?)\n' "$BUILD"
    exit 1
fi
check_prefix first "$P1"

# ---- 4: moved -------------------------------------------------------------------------------
P2=$TMP/elsewhere/moved-prefix
mkdir -p "$TMP/elsewhere"
mv "$P1" "$P2"
case_name="no installed file names the prefix it was installed in"
if grep -rlF "$P1" "$P2" >"$TMP/out" 2>/dev/null; then
    fail "no file containing $P1" "(none)" "$(head -n 3 "$TMP/out" | tr '\n' ' ')"
else pass; fi
check_prefix moved "$P2"

mv "$P2/share/custos/policies" "$TMP/policies-away"
CUSTOS=$P2/bin/custos
run "moved, no built-in regimes: custos decide" decide "$P2/share/custos/examples/requests/sale.yaml"
expect_code 66
expect_err "no built-in regimes found"
run_cmd "moved, no built-in regimes: the host" "$TMP/moved/host-pc"
expect_code 3
mv "$TMP/policies-away" "$P2/share/custos/policies"

# ---- 5: the .deb ----------------------------------------------------------------------------
if [ -z "$DEB" ]; then
    printf 'SKIP: the .deb: none given (make install-test builds one with make deb)\n'
else
    case_name="the .deb exists"
    if [ -f "$DEB" ]; then pass; else fail "a file" "$DEB" "(missing)"; fi
    run_cmd "the .deb's control" dpkg-deb -f "$DEB" Package Version Depends
    expect_code 0
    expect_out '^Package: custos$'
    expect_out '^Version: [0-9]+\.[0-9]+\.[0-9]+'
    for dep in libc6 liblua5.4-0 libyaml-0-2 libjansson4 libreadline8; do
        expect_out "^Depends: (.*, )?$dep( \\(|,|$)"
    done
    run_cmd "the .deb's files" dpkg-deb -c "$DEB"
    expect_code 0
    expect_out ' \./usr/bin/custos$'
    expect_out ' \./usr/lib/([a-z0-9_-]+/)?libcustos\.so\.[0-9]+\.[0-9]+\.[0-9]+$'
    expect_out ' \./usr/lib/([a-z0-9_-]+/)?pkgconfig/custos\.pc$'
    expect_out ' \./usr/lib/([a-z0-9_-]+/)?cmake/custos/custosConfig\.cmake$'
    expect_out ' \./usr/include/custos\.h$'
    expect_out ' \./usr/share/custos/policies/gz-2012/regime\.lua$'
    expect_out ' \./usr/share/custos/examples/data/contracts\.yaml$'
    expect_out ' \./usr/share/custos/examples/requests/sale\.yaml$'

    if [ "$(id -u)" -ne 0 ]; then
        printf 'SKIP: installing the .deb: dpkg -i needs root (it was built and inspected)\n'
    elif dpkg-query -W -f='${Status}' custos 2>/dev/null | grep -q 'install ok installed'; then
        printf 'SKIP: installing the .deb: a custos package is already installed; not replacing it\n'
    elif [ -e /usr/bin/custos ]; then
        printf 'SKIP: installing the .deb: /usr/bin/custos exists and is not from a package\n'
    else
        run_cmd "dpkg -i the .deb" dpkg -i "$DEB"
        expect_code 0
        [ "$code" -eq 0 ] && deb_installed=1
        if [ "$deb_installed" = 1 ]; then
            CUSTOS=custos
            ex=/usr/share/custos/examples
            cd "$TMP" || exit 1
            run "deb: custos decide on an installed example" decide \
                --data $ex/data/contracts.yaml --data $ex/data/purposes.yaml $ex/requests/sale.yaml
            expect_code 1
            expect_first_line "DENY"
            expect_stderr_empty
            run "deb: custos check" check
            expect_code 0
            expect_last_line ': 0 errors, 0 warnings$'
            run "deb: custos test" test
            expect_code 0
            expect_no_out 'did not load'
            # shellcheck disable=SC2046 # pkg-config's words
            run_cmd "deb: host.c built through pkg-config" $CC -std=c11 -Wall -Wextra -Werror \
                -o "$TMP/host-deb" "$SRC/tests/install/host.c" $(pkg-config --cflags --libs custos)
            expect_code 0
            check_host "deb: host finds /usr/share/custos/policies" /usr/share/custos/policies \
                "$TMP/host-deb"
            run_cmd "deb: find_package(custos) against /usr" \
                cmake -S "$SRC/tests/install" -B "$TMP/deb-cmake" -DCMAKE_C_COMPILER="$CC"
            expect_code 0
            run_cmd "deb: find_package(custos) builds" cmake --build "$TMP/deb-cmake"
            expect_code 0
            check_host "deb: host (find_package)" /usr/share/custos/policies "$TMP/deb-cmake/host"
            cd "$SRC" || exit 1

            run_cmd "dpkg -r custos" dpkg -r custos
            expect_code 0
            deb_installed=0
            dpkg --purge custos >/dev/null 2>&1 # its record too (it has maintainer scripts)
            case_name="dpkg -r took the program, the library and the regimes"
            if [ -e /usr/bin/custos ] || [ -e /usr/share/custos/policies ] ||
                ls /usr/lib/*/libcustos.so* /usr/lib/libcustos.so* >/dev/null 2>&1; then
                fail "nothing left" "(none)" "$(ls -d /usr/bin/custos /usr/share/custos 2>&1)"
            else pass; fi
        fi
    fi
fi

printf 'install: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
