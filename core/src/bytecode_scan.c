/* bytecode_scan.c — see bytecode_scan.h.  The layout follows Lua 5.4's ldump.c (writer) and
 * lundump.c (reader); the instruction encoding and opcode numbers follow lopcodes.h, whose
 * opcode list is the same from 5.4.0 to 5.4.8. */
#include "bytecode_scan.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if LUA_VERSION_NUM != 504
#error "bytecode_scan.c reads Lua 5.4 binary chunks only"
#endif

/* lundump.h: what follows LUA_SIGNATURE in a chunk's header. */
#define CHUNK_VERSION ((LUA_VERSION_NUM / 100) * 16 + LUA_VERSION_NUM % 100) /* 0x54 */
#define CHUNK_FORMAT 0                                                       /* official */
static const char chunk_data[] = "\x19\x93\r\n\x1a\n"; /* catches text-mode conversions */
#define CHUNK_INT ((lua_Integer)0x5678)
#define CHUNK_NUM ((lua_Number)370.5)

/* lobject.h: the type tags of constants (makevariant(type, variant) = type | variant << 4). */
enum {
    CONST_NIL = LUA_TNIL,
    CONST_FALSE = LUA_TBOOLEAN,
    CONST_TRUE = LUA_TBOOLEAN | 1 << 4,
    CONST_INT = LUA_TNUMBER,
    CONST_FLOAT = LUA_TNUMBER | 1 << 4,
    CONST_SHORT_STRING = LUA_TSTRING,
    CONST_LONG_STRING = LUA_TSTRING | 1 << 4,
};

/* lopcodes.h, in its order ("ORDER OP"): only the opcodes this scan looks at are named. */
enum {
    OP_JMP = 56,
    OP_EQ = 57, /* OP_EQ .. OP_TESTSET: tests, always followed by the jump they skip or take */
    OP_TESTSET = 67,
    OP_FORLOOP = 73,
    OP_FORPREP = 74,
    OP_TFORPREP = 75,
    OP_TFORCALL = 76,
    OP_TFORLOOP = 77,
    OP_EXTRAARG = 82,
    NUM_OPCODES = OP_EXTRAARG + 1,
};

/* lopcodes.h: a 32-bit instruction, the opcode in its low 7 bits; A (8 bits) at bit 7; Bx
 * (17 bits, unsigned) at bit 15; sJ (25 bits, excess-K: stored value minus 2^24 - 1) at bit 7. */
#define INSTRUCTION_SIZE 4
#define OPCODE(i) ((unsigned)((i)&0x7Fu))
#define ARG_BX(i) ((long)(((i) >> 15) & 0x1FFFFu))
#define ARG_SJ(i) ((long)(((i) >> 7) & 0x1FFFFFFu) - 0xFFFFFFL)

/* ldebug.h: a lineinfo byte that says "the line is in abslineinfo". */
#define ABSOLUTE_LINE (-0x80)

typedef struct reader {
    const unsigned char *start, *at, *end;
    bytecode_loops *out;
    bytecode_loop_fn found;
    void *ud;
    char *why;
    size_t why_size;
} reader;

static bool refuse(reader *r, const char *fmt, ...) {
    if (r->why && r->why_size > 0) {
        int n = snprintf(r->why, r->why_size, "byte %zu: ", (size_t)(r->at - r->start));
        if (n >= 0 && (size_t)n < r->why_size) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(r->why + n, r->why_size - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return false;
}

static size_t remaining(const reader *r) { return (size_t)(r->end - r->at); }

static bool skip(reader *r, size_t n, const char *what) {
    if (n > remaining(r)) return refuse(r, "truncated chunk (%s)", what);
    r->at += n;
    return true;
}

static bool read_byte(reader *r, unsigned *b) {
    *b = 0;
    if (r->at >= r->end) return refuse(r, "truncated chunk");
    *b = *r->at++;
    return true;
}

/* lundump.c loadUnsigned: 7 bits a byte, most significant first, the last byte marked by its
 * high bit; refused as soon as one more group would pass `limit`. */
static bool read_unsigned(reader *r, size_t limit, size_t *x) {
    unsigned b;
    *x = 0;
    limit >>= 7;
    do {
        if (!read_byte(r, &b)) return false;
        if (*x >= limit) return refuse(r, "integer overflow");
        *x = (*x << 7) | (b & 0x7Fu);
    } while ((b & 0x80u) == 0);
    return true;
}

static bool read_int(reader *r, int *x) {
    size_t v;
    if (!read_unsigned(r, INT_MAX, &v)) return false;
    *x = (int)v;
    return true;
}

/* A count of items each at least `min_bytes` long: refused when they cannot fit in what is left,
 * so no loop runs longer than the input allows. */
static bool read_count(reader *r, size_t min_bytes, const char *what, int *n) {
    if (!read_int(r, n)) return false;
    if ((size_t)*n > remaining(r) / min_bytes)
        return refuse(r, "%d %s do not fit in the %zu bytes left", *n, what, remaining(r));
    return true;
}

/* lundump.c loadStringN: size + 1 then the bytes, or 0 for no string. */
static bool skip_string(reader *r, bool nullable) {
    size_t size;
    if (!read_unsigned(r, SIZE_MAX, &size)) return false;
    if (size == 0) return nullable ? true : refuse(r, "missing constant string");
    return skip(r, size - 1, "string");
}

static bool read_literal(reader *r, const char *lit, size_t n, const char *mismatch) {
    if (n > remaining(r)) return refuse(r, "truncated chunk (header)");
    if (memcmp(r->at, lit, n) != 0) return refuse(r, "%s", mismatch);
    r->at += n;
    return true;
}

static bool read_size_byte(reader *r, size_t expected, const char *type) {
    unsigned b;
    if (!read_byte(r, &b)) return false;
    if (b != expected) return refuse(r, "%s size %u, the running Lua's is %zu", type, b, expected);
    return true;
}

/* lundump.c checkHeader: the chunk must be for this very Lua (version, format, sizes, byte order
 * and float format, which the two sample numbers reveal). */
static bool read_header(reader *r) {
    unsigned b;
    lua_Integer i;
    lua_Number x;
    if (!read_literal(r, LUA_SIGNATURE, sizeof LUA_SIGNATURE - 1, "not a binary chunk"))
        return false;
    if (!read_byte(r, &b)) return false;
    if (b != CHUNK_VERSION)
        return refuse(r, "version 0x%02x, the running Lua's is 0x%02x", b, CHUNK_VERSION);
    if (!read_byte(r, &b)) return false;
    if (b != CHUNK_FORMAT) return refuse(r, "format %u, expected %u", b, CHUNK_FORMAT);
    if (!read_literal(r, chunk_data, sizeof chunk_data - 1, "corrupted chunk (LUAC_DATA)"))
        return false;
    if (!read_size_byte(r, INSTRUCTION_SIZE, "Instruction") ||
        !read_size_byte(r, sizeof(lua_Integer), "lua_Integer") ||
        !read_size_byte(r, sizeof(lua_Number), "lua_Number"))
        return false;
    if (remaining(r) < sizeof i) return refuse(r, "truncated chunk (header)");
    memcpy(&i, r->at, sizeof i);
    if (i != CHUNK_INT) return refuse(r, "integer format mismatch");
    r->at += sizeof i;
    if (remaining(r) < sizeof x) return refuse(r, "truncated chunk (header)");
    memcpy(&x, r->at, sizeof x);
    if (x != CHUNK_NUM) return refuse(r, "float format mismatch");
    r->at += sizeof x;
    return true;
}

/* Where a function's parts lie in the buffer, kept until its debug information (which the dump
 * writes after the nested functions) gives the instructions their lines. */
typedef struct function_parts {
    int linedefined;
    const unsigned char *code;
    int code_size;
    int upvalues;
    const unsigned char *lineinfo; /* code_size bytes, or NULL when stripped */
    const unsigned char *abslineinfo;
    int abslineinfo_size;
} function_parts;

static bool read_constants(reader *r) {
    int n;
    if (!read_count(r, 1, "constants", &n)) return false;
    for (int k = 0; k < n; k++) {
        unsigned tag;
        if (!read_byte(r, &tag)) return false;
        switch (tag) {
        case CONST_NIL:
        case CONST_FALSE:
        case CONST_TRUE: break;
        case CONST_INT:
            if (!skip(r, sizeof(lua_Integer), "integer constant")) return false;
            break;
        case CONST_FLOAT:
            if (!skip(r, sizeof(lua_Number), "float constant")) return false;
            break;
        case CONST_SHORT_STRING:
        case CONST_LONG_STRING:
            if (!skip_string(r, false)) return false;
            break;
        default: return refuse(r, "constant of unknown type %u", tag);
        }
    }
    return true;
}

/* lundump.c loadDebug; also checks that lineinfo and abslineinfo agree in size and order, which
 * Lua's writer guarantees and the line computation relies on. */
static bool read_debug(reader *r, function_parts *f) {
    int n, pc, line, previous_pc = -1;
    if (!read_count(r, 1, "lineinfo bytes", &n)) return false;
    if (n != 0 && n != f->code_size)
        return refuse(r, "%d lineinfo bytes for %d instructions", n, f->code_size);
    f->lineinfo = n ? r->at : NULL;
    r->at += n;
    if (!read_count(r, 2, "abslineinfo entries", &f->abslineinfo_size)) return false;
    if (f->abslineinfo_size > 0 && !f->lineinfo) return refuse(r, "abslineinfo without lineinfo");
    f->abslineinfo = r->at;
    for (int k = 0; k < f->abslineinfo_size; k++) {
        if (!read_int(r, &pc) || !read_int(r, &line)) return false;
        if (pc <= previous_pc || pc >= f->code_size)
            return refuse(r, "abslineinfo pc %d out of order", pc);
        previous_pc = pc;
    }
    if (!read_count(r, 3, "local variables", &n)) return false;
    for (int k = 0; k < n; k++)
        if (!skip_string(r, true) || !read_int(r, &pc) || !read_int(r, &pc)) return false;
    if (!read_count(r, 1, "upvalue names", &n)) return false;
    if (n != 0 && n != f->upvalues)
        return refuse(r, "%d upvalue names for %d upvalues", n, f->upvalues);
    for (int k = 0; k < n; k++)
        if (!skip_string(r, true)) return false;
    return true;
}

/* ldebug.c luaG_getfuncline, for every instruction at once: each lineinfo byte is the change
 * from the previous instruction's line, or ABSOLUTE_LINE for the next abslineinfo entry, which
 * must be for this instruction.  lines[] gets code_size entries. */
static bool compute_lines(reader *r, const function_parts *f, unsigned *lines) {
    reader abs = *r;
    long line = f->linedefined;
    int next_abs = 0;
    abs.at = f->abslineinfo;
    for (int pc = 0; pc < f->code_size; pc++) {
        int delta = (signed char)f->lineinfo[pc];
        if (delta == ABSOLUTE_LINE) {
            int abs_pc, abs_line;
            if (next_abs >= f->abslineinfo_size || !read_int(&abs, &abs_pc) ||
                !read_int(&abs, &abs_line) || abs_pc != pc)
                return refuse(r, "lineinfo and abslineinfo disagree at instruction %d", pc);
            next_abs++;
            line = abs_line;
        } else {
            line += delta;
        }
        if (line < 0 || line > INT_MAX) return refuse(r, "line %ld of instruction %d", line, pc);
        lines[pc] = (unsigned)line;
    }
    if (next_abs != f->abslineinfo_size)
        return refuse(r, "abslineinfo entries without lineinfo marks");
    return true;
}

static uint32_t instruction_at(const function_parts *f, long pc) {
    uint32_t i;
    memcpy(&i, f->code + (size_t)pc * INSTRUCTION_SIZE, sizeof i); /* written in native order */
    return i;
}

static void note_line(bytecode_loops *out, unsigned line) {
    if (line != 0 && (out->first_line == 0 || line < out->first_line)) out->first_line = line;
}

static bool report_back_jump(reader *r, const function_parts *f, const unsigned *lines, long pc,
                             long target, bytecode_loop_kind kind) {
    if (target < 0 || target >= f->code_size)
        return refuse(r, "instruction %ld jumps to %ld, outside its function", pc, target);
    bytecode_loop loop = {kind, 0, (unsigned)f->linedefined};
    if (lines) loop.line = lines[target] < lines[pc] ? lines[target] : lines[pc];
    r->out->any = true;
    r->out->count++;
    note_line(r->out, loop.line);
    if (r->found) r->found(r->ud, &loop);
    return true;
}

/* The loop decision proper: every instruction that moves the program counter backward (lvm.c:
 * OP_JMP by sJ, OP_FORLOOP and OP_TFORLOOP by -Bx) or opens a loop.  The other jumps of lvm.c
 * only skip forward (OP_LFALSESKIP, the tests, OP_FORPREP, OP_TFORPREP, OP_LOADKX/OP_NEWTABLE/
 * OP_SETLIST over OP_EXTRAARG). */
static bool scan_code(reader *r, const function_parts *f, const unsigned *lines) {
    for (long pc = 0; pc < f->code_size; pc++) {
        uint32_t i = instruction_at(f, pc);
        unsigned op = OPCODE(i);
        if (op >= NUM_OPCODES) return refuse(r, "unknown opcode %u at instruction %ld", op, pc);
        if (op >= OP_EQ && op <= OP_TESTSET) {
            /* lvm.c runs the instruction after a test as a jump, whatever its opcode: Lua's
             * compiler always puts an OP_JMP there, which the next round checks. */
            if (pc + 1 >= f->code_size || OPCODE(instruction_at(f, pc + 1)) != OP_JMP)
                return refuse(r, "test at instruction %ld is not followed by a jump", pc);
        } else if (op == OP_JMP) {
            long target = pc + 1 + ARG_SJ(i);
            if (target > pc) {
                if (target >= f->code_size)
                    return refuse(r, "instruction %ld jumps to %ld, outside its function", pc,
                                  target);
            } else if (!report_back_jump(r, f, lines, pc, target, BYTECODE_LOOP_BACKWARD_JUMP)) {
                return false;
            }
        } else if (op == OP_FORLOOP || op == OP_TFORLOOP) {
            bytecode_loop_kind kind =
                op == OP_FORLOOP ? BYTECODE_LOOP_NUMERIC_FOR : BYTECODE_LOOP_GENERIC_FOR;
            if (!report_back_jump(r, f, lines, pc, pc + 1 - ARG_BX(i), kind)) return false;
        } else if (op == OP_FORPREP || op == OP_TFORPREP || op == OP_TFORCALL) {
            /* Lua's compiler closes each with a FORLOOP/TFORLOOP, reported above; a forged chunk
             * might not, and lvm.c runs whatever follows an OP_TFORCALL as an OP_TFORLOOP. */
            r->out->any = true;
            if (lines) note_line(r->out, lines[pc]);
        }
    }
    return true;
}

static bool read_function(reader *r, int depth, int *upvalues);

static bool read_nested(reader *r, int depth) {
    int n, ignored;
    if (!read_count(r, 1, "nested functions", &n)) return false;
    if (n > 0 && depth >= BYTECODE_MAX_NESTING)
        return refuse(r, "functions nested deeper than %d", BYTECODE_MAX_NESTING);
    for (int k = 0; k < n; k++)
        if (!read_function(r, depth + 1, &ignored)) return false;
    return true;
}

/* lundump.c loadFunction, up to the upvalues: source, linedefined, lastlinedefined, numparams,
 * is_vararg, maxstacksize, code, constants, and the upvalues' count (their bytes are next). */
static bool read_function_head(reader *r, function_parts *f) {
    int last_line;
    unsigned b;
    if (!skip_string(r, true) || !read_int(r, &f->linedefined) || !read_int(r, &last_line))
        return false;
    if (!read_byte(r, &b) || !read_byte(r, &b) || !read_byte(r, &b)) return false;
    if (!read_count(r, INSTRUCTION_SIZE, "instructions", &f->code_size)) return false;
    f->code = r->at;
    r->at += (size_t)f->code_size * INSTRUCTION_SIZE;
    return read_constants(r) && read_count(r, 3, "upvalues", &f->upvalues); /* instack, idx, kind */
}

/* lundump.c loadFunction: the head (read_function_head), upvalues, nested functions, debug
 * information. */
static bool read_function(reader *r, int depth, int *upvalues) {
    function_parts f = {0};
    if (!read_function_head(r, &f)) return false;
    r->at += (size_t)f.upvalues * 3;
    if (!read_nested(r, depth) || !read_debug(r, &f)) return false;
    *upvalues = f.upvalues;
    if (depth > 0 && (size_t)f.code_size > r->out->largest_nested)
        r->out->largest_nested = (size_t)f.code_size;

    unsigned *lines = NULL;
    if (f.lineinfo && f.code_size > 0) {
        lines = malloc((size_t)f.code_size * sizeof *lines);
        if (!lines) return refuse(r, "out of memory for %d lines", f.code_size);
        if (!compute_lines(r, &f, lines)) {
            free(lines);
            return false;
        }
    }
    bool ok = scan_code(r, &f, lines);
    free(lines);
    return ok;
}

bool bytecode_scan_buffer_each(const unsigned char *buf, size_t len, bytecode_loops *out,
                               bytecode_loop_fn found, void *ud, char *why, size_t why_size) {
    reader r = {buf, buf, buf + len, out, found, ud, why, why_size};
    unsigned main_upvalues;
    int upvalues;
    *out = (bytecode_loops){0};
    if (why && why_size > 0) why[0] = '\0';
    if (!buf) return refuse(&r, "no chunk");
    if (!read_header(&r) || !read_byte(&r, &main_upvalues) || !read_function(&r, 0, &upvalues))
        return false;
    if ((unsigned)upvalues != main_upvalues)
        return refuse(&r, "header says %u upvalues, the main function has %d", main_upvalues,
                      upvalues);
    if (r.at != r.end) return refuse(&r, "%zu bytes after the chunk", remaining(&r));
    return true;
}

bool bytecode_scan_buffer(const unsigned char *buf, size_t len, bytecode_loops *out, char *why,
                          size_t why_size) {
    return bytecode_scan_buffer_each(buf, len, out, NULL, NULL, why, why_size);
}

/* lua_dump's writer: appends to a growing buffer; a non-zero return stops the dump. */
typedef struct dump_buffer {
    unsigned char *bytes;
    size_t len, cap;
} dump_buffer;

static int append_dump(lua_State *L, const void *p, size_t size, void *ud) {
    dump_buffer *b = ud;
    (void)L;
    if (size > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < size) {
            if (cap > SIZE_MAX / 2) return 1;
            cap *= 2;
        }
        unsigned char *bytes = realloc(b->bytes, cap);
        if (!bytes) return 1;
        b->bytes = bytes;
        b->cap = cap;
    }
    memcpy(b->bytes + b->len, p, size);
    b->len += size;
    return 0;
}

bool bytecode_find_loops(lua_State *L, int index, bytecode_loops *out, char *why, size_t why_size) {
    dump_buffer dump = {0};
    *out = (bytecode_loops){0};
    if (why && why_size > 0) why[0] = '\0';
    if (lua_type(L, index) != LUA_TFUNCTION || lua_iscfunction(L, index)) {
        if (why && why_size > 0)
            snprintf(why, why_size, "not a Lua function but a %s",
                     lua_iscfunction(L, index) ? "C function"
                                               : lua_typename(L, lua_type(L, index)));
        return false;
    }
    if (!lua_checkstack(L, 1)) {
        if (why && why_size > 0) snprintf(why, why_size, "no room on the Lua stack");
        return false;
    }
    lua_pushvalue(L, index); /* lua_dump dumps the top */
    int status = lua_dump(L, append_dump, &dump, 0);
    lua_pop(L, 1);
    bool ok = false;
    if (status != 0) {
        if (why && why_size > 0) snprintf(why, why_size, "lua_dump failed (out of memory)");
    } else {
        ok = bytecode_scan_buffer(dump.bytes, dump.len, out, why, why_size);
    }
    free(dump.bytes);
    return ok;
}

/* ---- writes to a closure's own upvalues ----------------------------------------------------- */

/* lopcodes.h: OP_SETUPVAL A B (UpValue[B] := R[A]); B is 8 bits at bit 16. */
enum { OP_SETUPVAL = 10 };
#define ARG_B(i) ((int)(((i) >> 16) & 0xFFu))

typedef struct write_scan {
    reader r;
    bytecode_upvalue_write *out;
} write_scan;

/* Reads one function (the dump's layout, as read_function) whose upvalue u stands for the
 * outermost function's upvalue outer[u] (-1: a variable of a call of an enclosing function,
 * fresh each call), and notes the first OP_SETUPVAL on one that stands for an outermost upvalue. */
static bool read_function_writes(write_scan *w, int depth, const int *outer, int outer_count,
                                 int *upvalues) {
    reader *r = &w->r;
    function_parts f = {0};
    if (!read_function_head(r, &f)) return false;
    int *stands_for = malloc(((size_t)f.upvalues + 1) * sizeof *stands_for);
    if (!stands_for) return refuse(r, "out of memory for %d upvalues", f.upvalues);
    for (int u = 0; u < f.upvalues; u++) {
        unsigned instack = r->at[0], idx = r->at[1]; /* then the kind byte */
        r->at += 3;
        if (!outer) /* the outermost function: every upvalue is its own */
            stands_for[u] = u;
        else if (instack)
            stands_for[u] = -1;
        else if ((int)idx < outer_count)
            stands_for[u] = outer[idx];
        else {
            free(stands_for);
            return refuse(r, "upvalue %d refers to enclosing upvalue %u of %d", u, idx,
                          outer_count);
        }
    }
    int n, ignored;
    bool ok = read_count(r, 1, "nested functions", &n);
    if (ok && n > 0 && depth >= BYTECODE_MAX_NESTING)
        ok = refuse(r, "functions nested deeper than %d", BYTECODE_MAX_NESTING);
    for (int k = 0; ok && k < n; k++)
        ok = read_function_writes(w, depth + 1, stands_for, f.upvalues, &ignored);
    ok = ok && read_debug(r, &f);
    *upvalues = f.upvalues;
    unsigned *lines = NULL;
    if (ok && f.lineinfo && f.code_size > 0) {
        lines = malloc((size_t)f.code_size * sizeof *lines);
        ok = lines ? compute_lines(r, &f, lines)
                   : refuse(r, "out of memory for %d lines", f.code_size);
    }
    for (long pc = 0; ok && pc < f.code_size && !w->out->found; pc++) {
        uint32_t i = instruction_at(&f, pc);
        if (OPCODE(i) != OP_SETUPVAL) continue;
        int u = ARG_B(i);
        if (u >= f.upvalues) {
            ok = refuse(r, "instruction %ld sets upvalue %d of %d", pc, u, f.upvalues);
        } else if (stands_for[u] >= 0) {
            w->out->found = true;
            w->out->upvalue = stands_for[u];
            w->out->line = lines ? lines[pc] : 0;
        }
    }
    free(lines);
    free(stands_for);
    return ok;
}

bool bytecode_find_upvalue_write(lua_State *L, int index, bytecode_upvalue_write *out, char *why,
                                 size_t why_size) {
    dump_buffer dump = {0};
    *out = (bytecode_upvalue_write){0};
    if (why && why_size > 0) why[0] = '\0';
    if (lua_type(L, index) != LUA_TFUNCTION || lua_iscfunction(L, index)) {
        if (why && why_size > 0) snprintf(why, why_size, "not a Lua function");
        return false;
    }
    if (!lua_checkstack(L, 1)) {
        if (why && why_size > 0) snprintf(why, why_size, "no room on the Lua stack");
        return false;
    }
    lua_pushvalue(L, index);
    int status = lua_dump(L, append_dump, &dump, 0);
    lua_pop(L, 1);
    bool ok = false;
    if (status != 0) {
        if (why && why_size > 0) snprintf(why, why_size, "lua_dump failed (out of memory)");
    } else {
        write_scan w = {
            {dump.bytes, dump.bytes, dump.bytes + dump.len, NULL, NULL, NULL, why, why_size}, out};
        unsigned main_upvalues;
        int upvalues;
        ok = read_header(&w.r) && read_byte(&w.r, &main_upvalues) &&
             read_function_writes(&w, 0, NULL, 0, &upvalues);
        if (ok && w.r.at != w.r.end)
            ok = refuse(&w.r, "%zu bytes after the chunk", remaining(&w.r));
    }
    free(dump.bytes);
    return ok;
}
