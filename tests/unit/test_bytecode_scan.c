/* test_bytecode_scan.c — the loop finder over compiled Lua 5.4 code: it must find every loop
 * form wherever the compiler put it (missing one would leave an endless loop unmetered), must
 * not see loops in strings, comments or recursion, and must refuse any chunk it cannot read
 * fully — never crash on one. */
#include "test_support.h"

#include <dirent.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lualib.h>

#include "bytecode_scan.h"

/* ---- helpers: compile, dump, scan ---------------------------------------------------------- */

typedef struct bytes {
    unsigned char *data;
    size_t len, cap;
} bytes;

static void bytes_put(bytes *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->data = realloc(b->data, b->cap);
        assert_non_null(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static int write_bytes(lua_State *L, const void *p, size_t n, void *ud) {
    (void)L;
    bytes_put(ud, p, n);
    return 0;
}

static lua_State *new_state(void) {
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    return L;
}

static void load(lua_State *L, const char *src) {
    if (luaL_loadstring(L, src) != LUA_OK) fail_msg("does not compile: %s", lua_tostring(L, -1));
}

/* The dump of `src` compiled (strip: 0 keeps lines). */
static bytes dump_source(const char *src, int strip) {
    lua_State *L = new_state();
    bytes b = {0};
    load(L, src);
    assert_int_equal(lua_dump(L, write_bytes, &b, strip), 0);
    lua_close(L);
    return b;
}

typedef struct seen {
    bytecode_loop loops[16];
    size_t n;
} seen;

static void remember(void *ud, const bytecode_loop *loop) {
    seen *s = ud;
    if (s->n < sizeof s->loops / sizeof *s->loops) s->loops[s->n] = *loop;
    s->n++;
}

/* Compiles src and scans it through the lua_State entry point; the scan must succeed and leave
 * the stack as it found it. */
static bytecode_loops scan(const char *src) {
    lua_State *L = new_state();
    bytecode_loops out;
    char why[200];
    load(L, src);
    int top = lua_gettop(L);
    if (!bytecode_find_loops(L, -1, &out, why, sizeof why))
        fail_msg("refused: %s\nsource: %s", why, src);
    assert_int_equal(lua_gettop(L), top);
    lua_close(L);
    return out;
}

/* The same through the buffer entry point, collecting each loop. */
static bytecode_loops scan_each(const char *src, seen *s) {
    bytes b = dump_source(src, 0);
    bytecode_loops out;
    char why[200];
    memset(s, 0, sizeof *s);
    if (!bytecode_scan_buffer_each(b.data, b.len, &out, remember, s, why, sizeof why))
        fail_msg("refused: %s", why);
    free(b.data);
    return out;
}

/* ---- what real Lua code compiles to ------------------------------------------------------- */

static void test_straight_line_code_has_no_loop(void **state) {
    (void)state;
    static const char *const sources[] = {
        "",
        "return 1",
        "local a, b = ...\nif a then b = 1 elseif b then b = 2 else b = 3 end\nreturn b",
        "local a = ... return a and 1 or 2, not a, a == 1, a ~= 2, a < 3, a >= 4",
        "local t = {1, 2, x = {y = 3}} t.x.y = t[1] .. 'z' return #t",
        "local function f(x) return x * 2 end\nreturn f(2), function() return f end",
        "local x <const> = 5 do local y <close> = nil end return x // 2",
        "return select('#', ...), string.format('%d', 1)",
    };
    for (size_t k = 0; k < sizeof sources / sizeof *sources; k++) {
        bytecode_loops out = scan(sources[k]);
        if (out.any || out.count != 0 || out.first_line != 0)
            fail_msg("loop found in: %s", sources[k]);
    }
}

static void expect_loop(const char *src, unsigned line, bytecode_loop_kind kind) {
    seen s;
    bytecode_loops out = scan_each(src, &s);
    if (!out.any || out.count < 1 || s.n != out.count) fail_msg("no loop found in:\n%s", src);
    if (out.first_line != line)
        fail_msg("loop at line %u, expected %u, in:\n%s", out.first_line, line, src);
    bool kind_seen = false;
    for (size_t k = 0; k < s.n && k < 16; k++) kind_seen |= s.loops[k].kind == kind;
    if (!kind_seen) fail_msg("no loop of kind %d in:\n%s", (int)kind, src);
    bytecode_loops via_state = scan(src);
    assert_true(via_state.any);
    assert_int_equal(via_state.first_line, line);
    assert_int_equal(via_state.count, out.count);
}

static void test_each_loop_form_is_found_with_its_line(void **state) {
    (void)state;
    expect_loop("local n = 0\nfor i = 1, 3 do\n  n = n + i\nend\nreturn n", 2,
                BYTECODE_LOOP_NUMERIC_FOR);
    expect_loop("local t = {}\n\nfor k, v in pairs(t) do\n  t[k] = v\nend", 3,
                BYTECODE_LOOP_GENERIC_FOR);
    expect_loop("local x = 3\nwhile x > 0 do\n  x = x - 1\nend", 2, BYTECODE_LOOP_BACKWARD_JUMP);
    expect_loop("local x = 0\nrepeat\n  x = x + 1\nuntil x > 3", 3, BYTECODE_LOOP_BACKWARD_JUMP);
    expect_loop("local x = 0\n::top::\nx = x + 1\nif x < 3 then goto top end", 3,
                BYTECODE_LOOP_BACKWARD_JUMP);
    expect_loop("::forever:: goto forever", 1, BYTECODE_LOOP_BACKWARD_JUMP);
    expect_loop("repeat until false", 1, BYTECODE_LOOP_BACKWARD_JUMP);
    /* `while true` has no condition code: the loop starts at the body's first line. */
    expect_loop("local x = 0\nwhile true do\n  x = x + 1\n  if x > 3 then break end\nend", 3,
                BYTECODE_LOOP_BACKWARD_JUMP);
}

static void test_loops_in_inner_functions_are_found(void **state) {
    (void)state;
    seen s;
    bytecode_loops out = scan_each("local function outer()\n"
                                   "  local function inner()\n"
                                   "    for i = 1, 2 do end\n"
                                   "  end\n"
                                   "  return inner\n"
                                   "end\n"
                                   "return outer",
                                   &s);
    assert_true(out.any);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.first_line, 3);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.loops[0].kind, BYTECODE_LOOP_NUMERIC_FOR);
    assert_int_equal(s.loops[0].line, 3);
    assert_int_equal(s.loops[0].function_line, 2);

    /* Several loops: one per form, the smallest line is the first. */
    out = scan_each("local t = {}\n"
                    "local f = function() while t do t = nil end end\n"
                    "for k in pairs(t) do end\n"
                    "return function() repeat until true; for i = 1, 2 do end end",
                    &s);
    assert_int_equal(out.first_line, 2);
    assert_true(out.count >= 3);
    assert_int_equal(s.n, out.count);
}

static void test_forward_jumps_and_recursion_are_not_loops(void **state) {
    (void)state;
    /* Forward gotos, if/else chains, break-like exits: every jump goes forward. */
    bytecode_loops out = scan("local x = ...\n"
                              "if x then goto done end\n"
                              "x = 5\n"
                              "::done::\n"
                              "do goto skip end\n"
                              "x = 6\n"
                              "::skip::\n"
                              "return x");
    assert_false(out.any);
    /* Recursion repeats code through calls, which the call metering bounds: not a loop here. */
    out = scan("local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end\n"
               "local function even(n) if n == 0 then return true end return odd(n - 1) end\n"
               "function odd(n) if n == 0 then return false end return even(n - 1) end\n"
               "return fact(5), even(4)");
    assert_false(out.any);
    assert_int_equal(out.count, 0);
}

static void test_source_text_tricks_compile_to_what_they_are(void **state) {
    (void)state;
    /* Loop words in strings and comments compile to no loop. */
    bytecode_loops out = scan("local s = 'while true do end'\n"
                              "-- for i = 1, 10 do end\n"
                              "local t = [==[ repeat until false ]] ]==]\n"
                              "--[[ goto x ]] return s, t, \"for\"");
    assert_false(out.any);
    /* Lua's lexer ends a short comment at a bare CR, so the loop after it is code (line 2: a
     * CR counts as a line break). */
    expect_loop("-- a comment\rwhile true do end", 2, BYTECODE_LOOP_BACKWARD_JUMP);
    /* `...while`: the keyword right after a vararg is still a keyword. */
    expect_loop("local a = ...while a do a = nil end", 1, BYTECODE_LOOP_BACKWARD_JUMP);
    /* A long comment with a CR-only line ending. */
    expect_loop("--[[ x ]]\r\rfor i = 1, 2 do end", 3, BYTECODE_LOOP_NUMERIC_FOR);
}

static void test_stripped_dump_finds_loops_without_lines(void **state) {
    (void)state;
    bytes b = dump_source("local x = 0\nwhile x < 3 do x = x + 1 end\nfor i = 1, 2 do end", 1);
    bytecode_loops out;
    char why[200];
    assert_true(bytecode_scan_buffer(b.data, b.len, &out, why, sizeof why));
    assert_true(out.any);
    assert_int_equal(out.count, 2);
    assert_int_equal(out.first_line, 0);
    free(b.data);
}

static void test_values_that_are_not_lua_functions_are_refused(void **state) {
    (void)state;
    lua_State *L = new_state();
    bytecode_loops out;
    char why[200];
    lua_pushcfunction(L, luaopen_base);
    assert_false(bytecode_find_loops(L, -1, &out, why, sizeof why));
    assert_non_null(strstr(why, "C function"));
    lua_pushinteger(L, 3);
    assert_false(bytecode_find_loops(L, -1, &out, why, sizeof why));
    assert_non_null(strstr(why, "number"));
    assert_false(bytecode_find_loops(L, 5, &out, why, sizeof why)); /* an empty slot */
    assert_int_equal(lua_gettop(L), 2);
    lua_close(L);
}

/* Every article and library shipped: compiled and scanned without refusal. */
static int scan_policy_files(const char *dir, int depth) {
    DIR *d = opendir(dir);
    int files = 0;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        char path[2048];
        struct stat st;
        if (e->d_name[0] == '.' || strcmp(e->d_name, "tests") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(stat(path, &st), 0);
        size_t n = strlen(e->d_name);
        if (S_ISDIR(st.st_mode) && depth < 2) {
            files += scan_policy_files(path, depth + 1);
        } else if (S_ISREG(st.st_mode) && n > 4 && strcmp(e->d_name + n - 4, ".lua") == 0) {
            lua_State *L = new_state();
            bytecode_loops out;
            char why[200];
            if (luaL_loadfile(L, path) != LUA_OK) fail_msg("%s", lua_tostring(L, -1));
            if (!bytecode_find_loops(L, -1, &out, why, sizeof why))
                fail_msg("%s: refused: %s", path, why);
            lua_close(L);
            files++;
        }
    }
    closedir(d);
    return files;
}

static void test_shipped_policies_scan(void **state) {
    (void)state;
    char dir[1024];
    assert_true(scan_policy_files(source_path(dir, sizeof dir, "policies"), 0) >= 20);
}

/* ---- damaged dumps ------------------------------------------------------------------------ */

#define LOOPY_SOURCE                                                                               \
    "local t = {1, 2.5, 'three', true, nil, 2^63}\n"                                               \
    "local function each(f) for i, v in ipairs(t) do f(i, v) end end\n"                            \
    "local n = 0\n"                                                                                \
    "while n < 3 do n = n + 1 end\n"                                                               \
    "each(function(i) repeat i = i - 1 until i <= 0 end)\n"                                        \
    "return n, [[a long string constant that is longer than forty characters, to be a long one]]"

static size_t header_size(void) {
    return 4 + 1 + 1 + 6 + 3 + sizeof(lua_Integer) + sizeof(lua_Number);
}

static void test_every_truncation_is_refused(void **state) {
    (void)state;
    bytes b = dump_source(LOOPY_SOURCE, 0);
    bytecode_loops out;
    char why[200];
    assert_true(bytecode_scan_buffer(b.data, b.len, &out, why, sizeof why));
    assert_int_equal(out.count, 3); /* generic for, while, repeat */
    for (size_t len = 0; len < b.len; len++) {
        unsigned char *copy = malloc(len ? len : 1); /* exactly len bytes, so ASan sees overreads */
        assert_non_null(copy);
        memcpy(copy, b.data, len);
        why[0] = '\0';
        if (bytecode_scan_buffer(copy, len, &out, why, sizeof why))
            fail_msg("prefix of %zu bytes accepted", len);
        assert_true(why[0] != '\0');
        free(copy);
    }
    /* And one byte too many. */
    bytes_put(&b, "", 1);
    assert_false(bytecode_scan_buffer(b.data, b.len, &out, why, sizeof why));
    assert_non_null(strstr(why, "after the chunk"));
    assert_false(bytecode_scan_buffer(NULL, 0, &out, why, sizeof why));
    free(b.data);
}

static void test_flipped_bytes_never_crash(void **state) {
    (void)state;
    static const unsigned masks[] = {0x01, 0x10, 0x80, 0xFF};
    bytes b = dump_source(LOOPY_SOURCE, 0);
    unsigned char *copy = malloc(b.len);
    size_t accepted = 0, refused = 0;
    assert_non_null(copy);
    for (size_t at = 0; at < b.len; at++) {
        for (size_t m = 0; m < sizeof masks / sizeof *masks; m++) {
            bytecode_loops out;
            char why[200] = "";
            memcpy(copy, b.data, b.len);
            copy[at] ^= (unsigned char)masks[m];
            bool ok = bytecode_scan_buffer(copy, b.len, &out, why, sizeof why);
            if (at < header_size() && ok)
                fail_msg("header byte %zu ^ 0x%02x accepted", at, masks[m]);
            if (!ok && why[0] == '\0')
                fail_msg("byte %zu ^ 0x%02x refused without a reason", at, masks[m]);
            ok ? accepted++ : refused++;
        }
    }
    /* Both outcomes occur: a flipped line delta or string byte is harmless, a flipped count
     * is not. */
    assert_true(accepted > 0 && refused > 0);
    free(copy);
    free(b.data);
}

/* ---- hand-made chunks: the instruction decoding and the bounds ------------------------------ */

enum {
    OP_LOADI = 1,
    OP_JMP = 56,
    OP_EQ = 57,
    OP_RETURN0 = 71,
    OP_FORLOOP = 73,
    OP_FORPREP = 74,
    OP_TFORCALL = 76
};

static uint32_t jump(long offset) { return OP_JMP | (uint32_t)(offset + 0xFFFFFF) << 7; }
static uint32_t with_bx(unsigned op, unsigned bx) { return op | (uint32_t)bx << 15; }

static void put_byte(bytes *b, unsigned x) {
    unsigned char c = (unsigned char)x;
    bytes_put(b, &c, 1);
}

/* ldump.c dumpSize: 7-bit groups, most significant first, the last one marked by 0x80. */
static void put_varint(bytes *b, size_t x) {
    unsigned char buf[16];
    int n = 0;
    do {
        buf[sizeof buf - ++n] = x & 0x7F;
        x >>= 7;
    } while (x);
    buf[sizeof buf - 1] |= 0x80;
    bytes_put(b, buf + sizeof buf - n, (size_t)n);
}

static bytes chunk_header(void) {
    bytes real = dump_source("", 0), b = {0};
    bytes_put(&b, real.data, header_size());
    put_byte(&b, 0); /* the main function's upvalues */
    free(real.data);
    return b;
}

/* A function of `code` with line n + 1 for instruction n, holding `depth` nested copies. */
static void put_function(bytes *b, const uint32_t *code, int n, int depth) {
    put_varint(b, 0); /* source: the parent's */
    put_varint(b, 0); /* linedefined */
    put_varint(b, 0);
    put_byte(b, 0), put_byte(b, 1), put_byte(b, 2);
    put_varint(b, (size_t)n);
    bytes_put(b, code, (size_t)n * 4);
    put_varint(b, 0); /* constants */
    put_varint(b, 0); /* upvalues */
    put_varint(b, depth > 0);
    if (depth > 0) put_function(b, code, n, depth - 1);
    put_varint(b, (size_t)n); /* lineinfo: +1 each */
    for (int k = 0; k < n; k++) put_byte(b, 1);
    put_varint(b, 0), put_varint(b, 0), put_varint(b, 0);
}

static bool scan_code(const uint32_t *code, int n, int depth, bytecode_loops *out, char *why) {
    bytes b = chunk_header();
    put_function(&b, code, n, depth);
    bool ok = bytecode_scan_buffer(b.data, b.len, out, why, 200);
    free(b.data);
    return ok;
}

static void test_hand_made_instructions(void **state) {
    (void)state;
    bytecode_loops out;
    char why[200];
    uint32_t plain[] = {with_bx(OP_LOADI, 5), OP_RETURN0};
    assert_true(scan_code(plain, 2, 0, &out, why));
    assert_false(out.any);

    uint32_t self_jump[] = {with_bx(OP_LOADI, 5), jump(-1), OP_RETURN0}; /* `::a:: goto a` */
    assert_true(scan_code(self_jump, 3, 0, &out, why));
    assert_true(out.any);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.first_line, 2);

    uint32_t forward[] = {jump(1), with_bx(OP_LOADI, 5), jump(0), OP_RETURN0};
    assert_true(scan_code(forward, 4, 0, &out, why));
    assert_false(out.any);

    uint32_t far_back[] = {with_bx(OP_LOADI, 5), with_bx(OP_LOADI, 5), jump(-3), OP_RETURN0};
    assert_true(scan_code(far_back, 4, 0, &out, why));
    assert_int_equal(out.first_line, 1); /* the target's line: the loop's top */

    uint32_t for_loop[] = {with_bx(OP_LOADI, 5), with_bx(OP_FORLOOP, 2), OP_RETURN0};
    assert_true(scan_code(for_loop, 3, 0, &out, why));
    assert_int_equal(out.count, 1);
    assert_int_equal(out.first_line, 1);

    /* A loop opener without its back jump (only a forged chunk has one) still counts. */
    uint32_t lone_prep[] = {with_bx(OP_FORPREP, 0), OP_RETURN0};
    assert_true(scan_code(lone_prep, 2, 0, &out, why));
    assert_true(out.any);
    assert_int_equal(out.count, 0);
    uint32_t lone_tforcall[] = {OP_TFORCALL, OP_RETURN0};
    assert_true(scan_code(lone_tforcall, 2, 0, &out, why));
    assert_true(out.any);

    /* A loop two functions down. */
    assert_true(scan_code(self_jump, 3, 2, &out, why));
    assert_int_equal(out.count, 3);
}

static void expect_refused(const uint32_t *code, int n, const char *reason) {
    bytecode_loops out;
    char why[200];
    if (scan_code(code, n, 0, &out, why)) fail_msg("accepted, expected: %s", reason);
    if (!strstr(why, reason)) fail_msg("refused with \"%s\", expected \"%s\"", why, reason);
}

static void test_hand_made_instructions_refused(void **state) {
    (void)state;
    uint32_t out_forward[] = {jump(5), OP_RETURN0};
    expect_refused(out_forward, 2, "outside its function");
    uint32_t out_backward[] = {jump(-2), OP_RETURN0};
    expect_refused(out_backward, 2, "outside its function");
    uint32_t for_out[] = {with_bx(OP_LOADI, 5), with_bx(OP_FORLOOP, 3), OP_RETURN0};
    expect_refused(for_out, 3, "outside its function");
    /* lvm.c runs whatever follows a test as a jump: it must be one. */
    uint32_t test_alone[] = {OP_EQ, with_bx(OP_LOADI, 5), OP_RETURN0};
    expect_refused(test_alone, 3, "not followed by a jump");
    uint32_t test_last[] = {OP_RETURN0, OP_EQ};
    expect_refused(test_last, 2, "not followed by a jump");
    uint32_t unknown[] = {83, OP_RETURN0};
    expect_refused(unknown, 2, "unknown opcode 83");
    uint32_t unknown_high[] = {OP_RETURN0, 0x7F};
    expect_refused(unknown_high, 2, "unknown opcode 127");
}

static void test_nesting_is_bounded(void **state) {
    (void)state;
    uint32_t code[] = {OP_RETURN0};
    bytecode_loops out;
    char why[200];
    assert_true(scan_code(code, 1, BYTECODE_MAX_NESTING, &out, why));
    assert_false(scan_code(code, 1, BYTECODE_MAX_NESTING + 1, &out, why));
    assert_non_null(strstr(why, "nested deeper"));
    /* Real code nested as deep as Lua's parser allows is accepted. */
    char src[4096] = "";
    for (int k = 0; k < 60; k++) strcat(src, "return function() ");
    strcat(src, "while true do end ");
    for (int k = 0; k < 60; k++) strcat(src, "end ");
    assert_true(scan(src).any);
}

static void test_counts_and_header_are_checked(void **state) {
    (void)state;
    bytecode_loops out;
    char why[200];
    /* More instructions claimed than bytes left. */
    bytes b = chunk_header();
    put_varint(&b, 0), put_varint(&b, 0), put_varint(&b, 0);
    put_byte(&b, 0), put_byte(&b, 0), put_byte(&b, 2);
    put_varint(&b, 1000);
    bytes_put(&b, "\0\0\0\0", 4);
    assert_false(bytecode_scan_buffer(b.data, b.len, &out, why, sizeof why));
    assert_non_null(strstr(why, "do not fit"));
    /* A varint past INT_MAX. */
    b.len = header_size() + 1;
    put_varint(&b, 0), put_varint(&b, (size_t)1 << 40);
    assert_false(bytecode_scan_buffer(b.data, b.len, &out, why, sizeof why));
    assert_non_null(strstr(why, "integer overflow"));
    free(b.data);

    /* A version, an Instruction size and the upvalue count unlike the running Lua's. */
    uint32_t code[] = {OP_RETURN0};
    b = chunk_header();
    put_function(&b, code, 1, 0);
    bytes bad = {0};
    bytes_put(&bad, b.data, b.len);
    bad.data[4] = 0x53;
    assert_false(bytecode_scan_buffer(bad.data, bad.len, &out, why, sizeof why));
    assert_non_null(strstr(why, "version 0x53"));
    memcpy(bad.data, b.data, b.len);
    bad.data[12] = 8;
    assert_false(bytecode_scan_buffer(bad.data, bad.len, &out, why, sizeof why));
    assert_non_null(strstr(why, "Instruction size 8"));
    memcpy(bad.data, b.data, b.len);
    bad.data[header_size()] = 1;
    assert_false(bytecode_scan_buffer(bad.data, bad.len, &out, why, sizeof why));
    assert_non_null(strstr(why, "upvalues"));
    memcpy(bad.data, b.data, b.len);
    assert_true(bytecode_scan_buffer(bad.data, bad.len, &out, why, sizeof why));
    free(bad.data);
    free(b.data);

    /* Upvalue names for upvalues the function does not have (Lua 5.4.4's own loader would
     * write past its array here). */
    b = chunk_header();
    put_varint(&b, 0), put_varint(&b, 0), put_varint(&b, 0);
    put_byte(&b, 0), put_byte(&b, 0), put_byte(&b, 2);
    put_varint(&b, 1), bytes_put(&b, code, 4);
    put_varint(&b, 0), put_varint(&b, 0), put_varint(&b, 0);
    put_varint(&b, 0), put_varint(&b, 0), put_varint(&b, 0);
    put_varint(&b, 1), put_varint(&b, 0); /* one name, none expected */
    assert_false(bytecode_scan_buffer(b.data, b.len, &out, why, sizeof why));
    assert_non_null(strstr(why, "upvalue names"));
    free(b.data);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_straight_line_code_has_no_loop),
        cmocka_unit_test(test_each_loop_form_is_found_with_its_line),
        cmocka_unit_test(test_loops_in_inner_functions_are_found),
        cmocka_unit_test(test_forward_jumps_and_recursion_are_not_loops),
        cmocka_unit_test(test_source_text_tricks_compile_to_what_they_are),
        cmocka_unit_test(test_stripped_dump_finds_loops_without_lines),
        cmocka_unit_test(test_values_that_are_not_lua_functions_are_refused),
        cmocka_unit_test(test_shipped_policies_scan),
        cmocka_unit_test(test_every_truncation_is_refused),
        cmocka_unit_test(test_flipped_bytes_never_crash),
        cmocka_unit_test(test_hand_made_instructions),
        cmocka_unit_test(test_hand_made_instructions_refused),
        cmocka_unit_test(test_nesting_is_bounded),
        cmocka_unit_test(test_counts_and_header_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
