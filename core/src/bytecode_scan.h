/*
 * bytecode_scan.h — whether a compiled Lua 5.4 function can loop, read from its bytecode (what
 * the VM runs) rather than from its source text, which a lexer corner case can hide a loop in.
 *
 * A loop is an instruction that can send control backward — OP_FORLOOP, OP_TFORLOOP, or a jump
 * with a negative offset (while, repeat-until, a backward goto) — or one that opens a loop
 * (OP_FORPREP, OP_TFORPREP, OP_TFORCALL), in the function or any function nested in it.
 * Without one, each instruction of a call runs at most once, so the code can run long only by
 * calling: recursion is NOT a loop here, it is bounded by the per-call metering, as are the
 * C functions (string.rep, table.sort, ...) that repeat work inside one call.
 *
 * The chunk format is Lua 5.4's (lundump.c / ldump.c), checked against the running Lua's sizes
 * and version; anything unexpected — truncation, a count larger than the bytes left, nesting
 * deeper than Lua's parser allows, an unknown opcode, a jump outside its function — is refused
 * with a reason.  A caller must treat a refused function as looping.
 */
#ifndef CUSTOS_BYTECODE_SCAN_H
#define CUSTOS_BYTECODE_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

/* Deepest function nesting accepted: Lua's parser stops far earlier (LUAI_MAXCCALLS = 200 C
 * levels, several per nested function), so only a forged chunk goes past it. */
#define BYTECODE_MAX_NESTING 200

typedef struct bytecode_loops {
    bool any;              /* some loop instruction or backward jump, anywhere in the chunk */
    unsigned first_line;   /* the smallest source line of one; 0 without one or without lines */
    size_t count;          /* backward jumps: at least one per loop (a jump Lua retargeted to a
                          * loop's back jump counts again) */
    size_t largest_nested; /* instructions of the largest function nested in the chunk (what
                            * can run after the chunk returned); without loops, one call of
                            * any of them runs at most this many instructions */
} bytecode_loops;

typedef enum bytecode_loop_kind {
    BYTECODE_LOOP_NUMERIC_FOR,   /* OP_FORLOOP: `for i = a, b do` */
    BYTECODE_LOOP_GENERIC_FOR,   /* OP_TFORLOOP: `for k, v in f do` */
    BYTECODE_LOOP_BACKWARD_JUMP, /* OP_JMP back: while, repeat-until, a goto to an earlier label */
} bytecode_loop_kind;

/* One backward jump.  `line` is the smaller of the lines of the jump and of its target, i.e.
 * the loop's first line (a `for` or `while` line, the first statement of a repeat or after a
 * label); 0 when the chunk was dumped without lines.  `function_line` is where the enclosing
 * function starts (0 for the main chunk). */
typedef struct bytecode_loop {
    bytecode_loop_kind kind;
    unsigned line;
    unsigned function_line;
} bytecode_loop;

/* Called once per backward jump, inner functions before the function holding them. */
typedef void (*bytecode_loop_fn)(void *ud, const bytecode_loop *loop);

/* Scans a binary chunk as lua_dump writes it (stripped or not).  Fills *out (and calls found(),
 * when not NULL, for each backward jump) and returns true; or returns false with a reason in why
 * ("byte N: ...", NUL-terminated, truncated to why_size), *out then being incomplete.  Never
 * reads outside buf[0, len). */
bool bytecode_scan_buffer(const unsigned char *buf, size_t len, bytecode_loops *out, char *why,
                          size_t why_size);
bool bytecode_scan_buffer_each(const unsigned char *buf, size_t len, bytecode_loops *out,
                               bytecode_loop_fn found, void *ud, char *why, size_t why_size);

/* The same for the Lua function at `index` of L's stack (e.g. a chunk from luaL_loadbuffer),
 * dumped with its line information (strip = 0) so a loop can be named by its line.  Leaves
 * the stack as it was.  False with a reason when the value is not a Lua function or the dump
 * fails or is refused: the caller must then meter the function as one that loops. */
bool bytecode_find_loops(lua_State *L, int index, bytecode_loops *out, char *why, size_t why_size);

/* Whether a Lua function — a closure that outlives the call that made it, such as one a module
 * leaves behind when it loads — assigns to one of its own upvalues (a variable of the code around
 * it: each such variable is shared by every later call), itself or through a function nested in
 * it; assignments to a nested function's variables of an enclosing call (fresh each call) do not
 * count.  Read from the bytecode (OP_SETUPVAL), so no source text can hide one. */
typedef struct bytecode_upvalue_write {
    bool found;
    int upvalue;   /* the function's upvalue written (0-based, as lua_getupvalue's n - 1) */
    unsigned line; /* the first such assignment's line (0 without line information) */
} bytecode_upvalue_write;

/* Scans the Lua function at `index` (dumped with its lines; the stack is left as it was).  True
 * with *out filled; false with a reason when it is not a Lua function or the dump is refused
 * (the caller must then refuse the function). */
bool bytecode_find_upvalue_write(lua_State *L, int index, bytecode_upvalue_write *out, char *why,
                                 size_t why_size);

#endif
