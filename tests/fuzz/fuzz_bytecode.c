/*
 * fuzz_bytecode.c — libFuzzer target for the bytecode loop finder (core/src/bytecode_scan.c).
 * Input that starts like a binary chunk ("\x1bLua") is scanned as one: any answer is fine,
 * a crash, hang or sanitizer report is a bug.  Any other input is Lua source: when it
 * compiles, its dump must be accepted (a refusal would meter a loop-free module per
 * instruction), and the dump with one byte flipped must be scanned safely.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCUSTOS_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_bytecode
 *   mkdir -p build-fuzz/corpus-lua && cp policies/gz-2012/art*.lua build-fuzz/corpus-lua/
 *   build-fuzz/tests/fuzz_bytecode -max_total_time=60 -max_len=4096 build-fuzz/corpus-lua
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "bytecode_scan.h"

typedef struct dump {
    unsigned char *bytes;
    size_t len;
} dump;

static int append(lua_State *L, const void *p, size_t n, void *ud) {
    dump *d = ud;
    unsigned char *bytes = realloc(d->bytes, d->len + n);
    (void)L;
    if (!bytes) return 1;
    memcpy(bytes + d->len, p, n);
    d->bytes = bytes;
    d->len += n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bytecode_loops out;
    char why[256];
    if (size >= 4 && memcmp(data, LUA_SIGNATURE, 4) == 0) {
        bytecode_scan_buffer(data, size, &out, why, sizeof why);
        return 0;
    }
    lua_State *L = luaL_newstate();
    if (!L) abort();
    if (luaL_loadbufferx(L, (const char *)data, size, "=fuzz", "t") == LUA_OK) {
        if (!bytecode_find_loops(L, -1, &out, why, sizeof why)) {
            fprintf(stderr, "fuzz_bytecode: compiled code refused: %s\n", why);
            abort();
        }
        dump d = {NULL, 0};
        if (lua_dump(L, append, &d, (int)(size & 1)) == 0 && d.len > 0) {
            size_t at = (size * 2654435761u) % d.len;
            d.bytes[at] ^= (unsigned char)(1u << (size % 8));
            bytecode_scan_buffer(d.bytes, d.len, &out, why, sizeof why);
        }
        free(d.bytes);
    }
    lua_close(L);
    return 0;
}
