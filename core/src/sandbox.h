/*
 * sandbox.h — one lua_State fit to run untrusted policy modules.
 *
 * The state gets only the base, string, table, math and utf8 libraries, hardened by the
 * prelude (core/lua/sandbox.lua, then authoring.lua): no io, os, debug, package, coroutine,
 * load, dofile, string.dump, collectgarbage or pattern matching reach a policy.  Each module runs in its own
 * environment, sealed after it loads.  An allocator caps memory and a count hook caps the
 * instructions of each armed run; policies have no pcall, so a limit error cannot be caught
 * by the policy and always reaches the engine.  A sandbox belongs to one thread.
 */
#ifndef CUSTOS_SANDBOX_H
#define CUSTOS_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "custos.h"

typedef struct sandbox sandbox;

typedef enum sandbox_limit {
    SANDBOX_LIMIT_NONE = 0,
    SANDBOX_LIMIT_MEMORY,
    SANDBOX_LIMIT_INSTRUCTIONS
} sandbox_limit;

/* Registry references to what the prelude exported (the `prelude.x = ...` lines of core/lua/). */
typedef struct sandbox_prelude {
    int freeze, module_env, seal_env, is_article, is_regime, request_tables, request_list, show;
    int lazy_view, frozen_data; /* proxies of tables of shared data (data_view.c) */
    /* the parts of a table of shared data kept apart (frozen_data's third case, made in C) */
    int apart_newindex, apart_len, apart_pairs, apart_key;
} sandbox_prelude;

/* Creates a state and runs the prelude.  `memory_ceiling` bounds the whole state (loading
 * included).  Fails with CUSTOS_E_NOMEM or CUSTOS_E_INTERNAL (a broken prelude). */
custos_status sandbox_open(size_t memory_ceiling, sandbox **out, custos_error *err);
void sandbox_close(sandbox *s);

lua_State *sandbox_state(sandbox *s);
const sandbox_prelude *sandbox_prelude_refs(const sandbox *s);

/* Arms the limits for one run: the heap may grow by memory_bytes, and at most `instructions`
 * VM instructions may execute, until sandbox_disarm. */
void sandbox_arm(sandbox *s, size_t memory_bytes, uint64_t instructions);

/* How the next code is metered against the instruction budget: per instruction (the default
 * after sandbox_arm; needed for code that can loop), or per call for loop-free code, which then
 * runs without the VM's per-instruction hook.  Without a loop each instruction of a function
 * runs at most once per call, so charging every call (Lua or C, metamethods included) the size
 * of the largest function the code can reach is a sound bound: `call_cost` is that size for the
 * module and its libraries (sandbox_code_shape.largest_nested); the sandbox raises it to the
 * largest function of the prelude and to at least SANDBOX_CALL_COST. */
#define SANDBOX_CALL_COST 100
void sandbox_meter(sandbox *s, bool per_instruction, size_t call_cost);

/* What the compiled code of the modules loaded while a shape is collected looks like (read from
 * its bytecode, see bytecode_scan.h): whether any function can loop (true also when the scan
 * refused the chunk), and the instructions of the largest function nested in one. */
typedef struct sandbox_code_shape {
    bool loops;
    size_t largest_nested;
} sandbox_code_shape;

/* Until the next call, every module sandbox_load_module compiles (libraries loaded inside it
 * included) is scanned and merged into *shape (NULL: none is).  Returns the previous target. */
sandbox_code_shape *sandbox_collect_shape(sandbox *s, sandbox_code_shape *shape);

/* Merges `part` into the shape being collected, if any (a library already loaded, required
 * again). */
void sandbox_merge_shape(sandbox *s, const sandbox_code_shape *part);

/* Charges `instructions` to the armed run of the state L belongs to (nothing when none is
 * armed): for C functions whose work grows with their input (string.rep, table.concat, ...),
 * charged before they do it.  When the budget is spent, raises the instruction-limit error (a
 * Lua error: call it only where the state may raise, i.e. from a lua_CFunction). */
void sandbox_charge(lua_State *L, uint64_t instructions);

/* Between sandbox_exempt_begin and sandbox_exempt_end, what the state L belongs to allocates is
 * neither charged to the armed run's instructions nor held to its memory limit (only to the
 * state's ceiling): for the engine's own work on a policy's behalf whose size does not depend
 * on the policy (data_view.c making a record of the shared data into Lua tables).  The run's
 * limit is raised by what was kept.  Lua code run meanwhile is still metered (the hook is left
 * alone: re-installing it would reset its count).  End it on every path, errors included (run
 * the exempt work under lua_pcall). */
size_t sandbox_exempt_begin(lua_State *L);
void sandbox_exempt_end(lua_State *L, size_t token);

/* The bytes the state holds now (garbage included: collect first to measure what is kept). */
size_t sandbox_memory_used(const sandbox *s);

/* Which limit (if any) was hit since sandbox_arm, without disarming. */
sandbox_limit sandbox_limit_hit(const sandbox *s);

/* Disarms and tells which limit (if any) was hit since sandbox_arm.  After a hit, garbage
 * is collected so the next run starts clean. */
sandbox_limit sandbox_disarm(sandbox *s);

/* While set, calls fn for every new line the VM runs (coverage).  NULL turns it off. */
typedef void (*sandbox_line_fn)(void *ud, lua_State *L, lua_Debug *ar);
void sandbox_set_line_hook(sandbox *s, sandbox_line_fn fn, void *ud);

/* Describes a limit hit ("instruction limit of 10000000 exceeded") into buf. */
void sandbox_limit_message(const sandbox *s, sandbox_limit hit, char *buf, size_t size);

/* Called with a module's fresh environment (at index env) before its code runs: lets the
 * loader add what that module may use beyond the base (e.g. `require`). */
typedef void (*sandbox_env_fn)(lua_State *L, int env, void *ud);

/* Compiles `text` (text mode only) as module `chunkname` (shown in messages as given, e.g.
 * "gz-2012/art11.lua"), runs it in a fresh environment under the given limits (or, when
 * called while another module loads — a library it requires — under that one's), seals the
 * environment, and leaves the module's return value on the stack.  On failure pushes nothing
 * and fills err: file = display_path, line from the Lua message when it names one. */
custos_status sandbox_load_module(sandbox *s, const char *chunkname, const char *display_path,
                                  const char *text, size_t len, size_t memory_bytes,
                                  uint64_t instructions, sandbox_env_fn prepare, void *prepare_ud,
                                  custos_error *err);

/* What a failed lua_pcall of the library's own (trusted) code means for the host: LUA_ERRMEM
 * is CUSTOS_E_NOMEM; any other status (a runtime error, an error in an error handler) is a
 * bug in custos, CUSTOS_E_INTERNAL — never "out of memory". */
custos_status sandbox_status_of(int lua_status);

/* Out of memory (docs/design.md, "Failure classes"): whether an allocation of the state failed
 * in the allocator itself (not refused by a limit), or C code under lua_pcall raised through
 * sandbox_raise_nomem, since the sandbox opened or was last armed.  A failure Lua recovered
 * from (its emergency collection) counts too: under memory pressure, an error is blamed on it. */
bool sandbox_allocation_failed(const sandbox *s);

/* Raises "out of memory" in a sandbox's state for an allocation of C code running in it, and
 * marks it for sandbox_allocation_failed.  Does not return. */
int sandbox_raise_nomem(lua_State *L);

/* The status of an operation on s that failed with st: CUSTOS_E_NOMEM, with err's message made
 * "out of memory", when an allocation failed in s (or st already says so), whatever the step
 * that noticed called it; otherwise st, err untouched.  s may be NULL. */
custos_status sandbox_blame_memory(const sandbox *s, custos_status st, custos_error *err);

/* Turns the error object on top of the stack into text without running any metamethod (a
 * table error value would otherwise run policy code unprotected) and without allocating
 * (it runs outside protected calls).  Pops it. */
void sandbox_pop_error_text(lua_State *L, char *buf, size_t size);

/* The line a declaration error is most likely about, for a message without one (article{}'s
 * tail call leaves no frame; the loader's own checks run after the module returned): the line
 * of the field the message quotes ('title.zh' -> the first `title =`), else of the article or
 * regime declaration; 0 when neither is found. */
unsigned sandbox_declaration_line(const char *source, size_t len, const char *message);

/* Fills err from a Lua message "chunk:line: text": the file becomes display_path when the
 * chunk matches chunkname, and the line is parsed out. */
void sandbox_error_from_message(custos_error *err, custos_status status, const char *chunkname,
                                const char *display_path, const char *message);

#endif
