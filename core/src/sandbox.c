/* sandbox.c — see sandbox.h. */
#include "sandbox.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "buffer_limits.h"
#include "bytecode_scan.h"
#include "embedded_lua.h"
#include "seal.h"
#include "error.h"
#include "safe_lib.h"
#include "timeutil.h"

/* The count hook fires every HOOK_STEP instructions: cheap, and fine-grained enough. */
#define HOOK_STEP 1000
/* Bytes a run may allocate per instruction of its budget (see sandbox_alloc). */
#define ALLOC_BYTES_PER_INSTRUCTION 32

struct sandbox {
    lua_State *L;
    size_t used;  /* bytes the state holds now */
    size_t limit; /* bytes it may hold: the ceiling, or less while armed */
    size_t ceiling;
    size_t armed_memory; /* for messages */
    uint64_t armed_instructions;
    int64_t instructions_left;
    bool armed;
    bool allocation_failed; /* see sandbox_allocation_failed */
    sandbox_limit hit;
    sandbox_prelude prelude;
    sandbox_line_fn on_line; /* coverage, when set */
    void *on_line_ud;
    bool per_call;               /* metering loop-free code by calls (see sandbox_meter) */
    uint64_t call_cost;          /* what each call costs while per_call */
    size_t prelude_largest;      /* instructions of the prelude's largest nested function */
    bool exempt;                 /* see sandbox_exempt_begin */
    sandbox_code_shape *collect; /* see sandbox_collect_shape */
};

/* Lua's allocator contract: free on nsize == 0; never fail a shrink; NULL means no memory. */
static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    sandbox *s = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        s->used -= old;
        return NULL;
    }
    size_t limit = s->exempt ? s->ceiling : s->limit;
    if (nsize > old && (nsize - old > limit || s->used > limit - (nsize - old))) {
        if (s->armed) s->hit = SANDBOX_LIMIT_MEMORY;
        return NULL;
    }
    /* Bytes allocated cost instructions: one VM instruction (a concatenation, a table
     * constructor with varargs) can allocate megabytes, as many times as the budget allows
     * instructions.  Refusing the allocation raises a memory error, which the engine reports
     * as the instruction limit (sandbox_limit_hit). */
    /* (Once a limit was hit, the error being raised must still be allocated: the memory cap
     * alone applies then, and every later hook raises again.) */
    if (s->armed && !s->exempt && nsize > old && s->hit == SANDBOX_LIMIT_NONE) {
        s->instructions_left -= (int64_t)((nsize - old) / ALLOC_BYTES_PER_INSTRUCTION);
        if (s->instructions_left < 0) {
            s->hit = SANDBOX_LIMIT_INSTRUCTIONS;
            return NULL;
        }
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        if (nsize <= old) return ptr;
        s->allocation_failed = true; /* the process is out of memory, not the policy */
        return NULL;
    }
    s->used = s->used - old + nsize;
    return p;
}

/* Takes `cost` from the armed budget; raises the limit error once it is spent, naming the
 * place of the Lua function at `level` (0 in a hook: the function it interrupted; 1 in a C
 * function: its caller). */
static void spend(lua_State *L, sandbox *s, uint64_t cost, int level) {
    int64_t signed_cost = cost > INT64_MAX ? INT64_MAX : (int64_t)cost;
    if (s->instructions_left < signed_cost - INT64_MAX) /* cannot underflow below INT64_MIN */
        s->instructions_left = -1;
    else
        s->instructions_left -= signed_cost;
    if (s->instructions_left < 0) {
        s->hit = SANDBOX_LIMIT_INSTRUCTIONS;
        luaL_where(L, level);
        lua_pushfstring(L, "instruction limit of %I exceeded", (lua_Integer)s->armed_instructions);
        lua_concat(L, 2);
        lua_error(L);
    }
}

static void sandbox_count_hook(lua_State *L, lua_Debug *ar) {
    sandbox *s = *(sandbox **)lua_getextraspace(L);
    if (!s->armed) return;
    if (ar->event == LUA_HOOKLINE) {
        if (s->on_line) s->on_line(s->on_line_ud, L, ar);
        return;
    }
    spend(L, s, ar->event == LUA_HOOKCOUNT ? HOOK_STEP : s->call_cost, 0);
}

void sandbox_charge(lua_State *L, uint64_t instructions) {
    sandbox *s = *(sandbox **)lua_getextraspace(L);
    if (s->armed) spend(L, s, instructions, 1);
}

/* A panic means an error escaped every protected call: a bug in custos, after which the state
 * cannot be trusted.  Lua aborts the process when this returns.  It prints nothing: custos.h
 * promises the library never writes to the host's streams (the error object is still on the
 * stack for a debugger). */
static int sandbox_panic(lua_State *L) {
    (void)L;
    return 0;
}

/* host.date_start / host.date_end / host.instant for the prelude: epoch or nil, why. */
static int host_time(lua_State *L, int kind) {
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    int64_t epoch;
    const char *why = "is not a time";
    bool ok = kind == 2 ? time_parse_instant(text, len, &epoch, &why)
                        : time_parse_bound(text, len, kind == 1, &epoch, &why);
    if (!ok) {
        lua_pushnil(L);
        lua_pushfstring(L, "'%s' %s", text, why);
        return 2;
    }
    lua_pushinteger(L, (lua_Integer)epoch);
    return 1;
}
static int host_date_start(lua_State *L) { return host_time(L, 0); }
static int host_date_end(lua_State *L) { return host_time(L, 1); }
static int host_instant(lua_State *L) { return host_time(L, 2); }

/* host.date(epoch): the calendar day of an instant at UTC+08:00, "2027-06-30" (the convention
 * of date_start / date_end), or nil, why when the year is outside 0000-9999. */
static int host_date(lua_State *L) {
    lua_Integer epoch = luaL_checkinteger(L, 1);
    char text[40];
    if (!time_format_offset((int64_t)epoch, CUSTOS_DATE_OFFSET_SECONDS / 60, text, sizeof text)) {
        lua_pushnil(L);
        lua_pushfstring(L, "%I is outside the years 0000-9999", epoch);
        return 2;
    }
    lua_pushlstring(L, text, 10);
    return 1;
}

/* host.charge(n): a prelude loop that calls nothing per round charges its rounds up front, so
 * per-call metering stays sound (a float or a huge count just spends the budget). */
static int host_charge(lua_State *L) {
    lua_Number n = luaL_checknumber(L, 1);
    if (n > 0) sandbox_charge(L, n >= 0x1p63 ? UINT64_MAX : (uint64_t)n);
    return 0;
}

/* custos.has(list, value), as host.make_has(set_of, real_of, DATA) makes it (authoring.lua):
 * true when the list contains value.  A list of strings the sandbox knows a set of (set_of, or
 * the set a table of shared data kept apart holds under DATA) is looked up; any other list is
 * scanned, its rounds charged up front (the scan calls nothing of its own; an __index or __eq
 * it meets is a call, metered as such).  In C because it is the rules' most frequent helper:
 * as Lua it cost a call of its own, and one to find a kept-apart table's set, on top of the
 * lookup. */
static int host_has(lua_State *L) {
    lua_settop(L, 2); /* 1 list, 2 value */
    if (lua_isnil(L, 1)) {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_pushvalue(L, 1);
    bool found_set = lua_rawget(L, lua_upvalueindex(1)) == LUA_TTABLE; /* 3: set_of[list] */
    bool apart = false; /* a table of shared data kept apart: its real table is mt.__index */
    if (!found_set && lua_type(L, 1) == LUA_TTABLE && lua_getmetatable(L, 1)) { /* 4: mt */
        lua_pushvalue(L, lua_upvalueindex(3));
        int kind = lua_rawget(L, 4); /* 5: mt[DATA]: the set, or true */
        if (kind == LUA_TTABLE) {
            lua_replace(L, 3);
            found_set = true;
        } else {
            apart = kind != LUA_TNIL && (kind != LUA_TBOOLEAN || lua_toboolean(L, 5));
        }
    }
    if (found_set) {
        lua_settop(L, 3);
        lua_pushvalue(L, 2);
        bool in = lua_rawget(L, 3) == LUA_TBOOLEAN && lua_toboolean(L, -1);
        lua_pushboolean(L, in);
        return 1;
    }
    lua_settop(L, 2);
    /* the list to scan: real_of[list], a kept-apart table's real table, or the list itself */
    lua_pushvalue(L, 1);
    if (lua_rawget(L, lua_upvalueindex(2)) == LUA_TNIL) { /* 3 */
        lua_pop(L, 1);
        if (apart && lua_getmetatable(L, 1)) {
            lua_getfield(L, -1, "__index");
            lua_remove(L, -2);
        } else {
            lua_pushvalue(L, 1);
        }
    }
    lua_len(L, 3); /* 4: honours __len, as # does */
    int is_number = 0;
    lua_Number n = lua_tonumberx(L, 4, &is_number);
    if (!is_number) return luaL_error(L, "custos.has: the list's length is not a number");
    if (n > 0) sandbox_charge(L, n >= 0x1p63 ? UINT64_MAX : (uint64_t)n);
    for (lua_Integer i = 1; (lua_Number)i <= n; i++) {
        lua_geti(L, 3, i);
        bool equal = lua_compare(L, -1, 2, LUA_OPEQ);
        lua_pop(L, 1);
        if (equal) {
            lua_pushboolean(L, 1);
            return 1;
        }
    }
    lua_pushboolean(L, 0);
    return 1;
}

/* host.make_has(set_of, real_of, DATA): custos.has over the sandbox's own tables. */
static int host_make_has(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_settop(L, 3);
    lua_pushcclosure(L, host_has, 3);
    return 1;
}

/* The prelude's files, in the order they run: sandbox.lua hardens the state and builds the
 * base environment, authoring.lua adds the authoring API to it.  Each gets (host, prelude)
 * and adds what it exports to the shared `prelude` table. */
static const char *const prelude_order[] = {"sandbox", "authoring"};
#define PRELUDE_FILES (sizeof prelude_order / sizeof *prelude_order)

static const embedded_lua *find_embedded(const char *name) {
    for (const embedded_lua *e = custos_embedded_lua; e->name; e++)
        if (strcmp(e->name, name) == 0) return e;
    return NULL;
}

/* Instructions of the largest function nested in each prelude file, once known (0 before). */
static atomic_size_t prelude_largest[PRELUDE_FILES];

/* Runs the prelude's files in order and keeps what they export in the registry.  Called in
 * protected mode. */
static int sandbox_setup(lua_State *L) {
    sandbox *s = lua_touserdata(L, 1);
    /* Short-lived garbage per decision suits the generational collector. */
    lua_gc(L, LUA_GCGEN, 0, 0);
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->name; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    size_t embedded = 0;
    while (custos_embedded_lua[embedded].name) embedded++;
    if (embedded != PRELUDE_FILES) /* a new core/lua file must be given its place in the order */
        return luaL_error(L, "%d Lua files are embedded but the prelude runs %d", (int)embedded,
                          (int)PRELUDE_FILES);
    lua_createtable(L, 0, 8);
    int host = lua_gettop(L);
    lua_pushcfunction(L, host_date_start);
    lua_setfield(L, -2, "date_start");
    lua_pushcfunction(L, host_date_end);
    lua_setfield(L, -2, "date_end");
    lua_pushcfunction(L, host_instant);
    lua_setfield(L, -2, "instant");
    lua_pushcfunction(L, host_date);
    lua_setfield(L, -2, "date");
    lua_pushcfunction(L, host_charge);
    lua_setfield(L, -2, "charge");
    lua_pushcfunction(L, host_make_has);
    lua_setfield(L, -2, "make_has");
    seal_push_helpers(L, sandbox_raise_nomem); /* for the prelude's sealing only */
    lua_setfield(L, -2, "seal");
    safe_lib_add(L, host, sandbox_charge);
    lua_createtable(L, 0, 16);
    int exports = lua_gettop(L);
    for (size_t i = 0; i < PRELUDE_FILES; i++) {
        const embedded_lua *file = find_embedded(prelude_order[i]);
        if (!file) return luaL_error(L, "the prelude's %s.lua is not embedded", prelude_order[i]);
        char chunkname[64];
        snprintf(chunkname, sizeof chunkname, "=%s.lua", file->name);
        if (luaL_loadbufferx(L, file->text, file->len, chunkname, "t") != LUA_OK)
            return lua_error(L);
        /* Policies call the prelude's functions: per-call metering charges each call at least
         * the largest of them.  (Its loops iterate by calling an iterator or charge their work
         * through host.charge, so every round is charged too.) */
        size_t largest = atomic_load_explicit(&prelude_largest[i], memory_order_relaxed);
        if (largest == 0) { /* the embedded prelude is the same for every state: scan it once */
            bytecode_loops shape;
            char why[CUSTOS_MESSAGE_BUFFER];
            if (!bytecode_find_loops(L, -1, &shape, why, sizeof why)) {
                if (strstr(why, "out of memory")) return sandbox_raise_nomem(L);
                return luaL_error(L, "cannot scan the prelude's %s.lua: %s", file->name, why);
            }
            largest = shape.largest_nested ? shape.largest_nested : 1;
            atomic_store_explicit(&prelude_largest[i], largest, memory_order_relaxed);
        }
        if (largest > s->prelude_largest) s->prelude_largest = largest;
        lua_pushvalue(L, host);
        lua_pushvalue(L, exports);
        lua_call(L, 2, 0);
    }
    lua_pushvalue(L, exports);
    static const char *const names[] = {"freeze",    "module_env",     "seal_env",     "is_article",
                                        "is_regime", "request_tables", "request_list", "show",
                                        "lazy_view", "frozen_data"};
    int *refs[] = {&s->prelude.freeze,       &s->prelude.module_env, &s->prelude.seal_env,
                   &s->prelude.is_article,   &s->prelude.is_regime,  &s->prelude.request_tables,
                   &s->prelude.request_list, &s->prelude.show,       &s->prelude.lazy_view,
                   &s->prelude.frozen_data};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (lua_getfield(L, -1, names[i]) != LUA_TFUNCTION)
            return luaL_error(L, "the prelude does not export %s", names[i]);
        *refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    int *parts[] = {&s->prelude.apart_newindex, &s->prelude.apart_len, &s->prelude.apart_pairs,
                    &s->prelude.apart_key};
    if (lua_getfield(L, -1, "apart_parts") != LUA_TTABLE)
        return luaL_error(L, "the prelude does not export apart_parts");
    for (int i = 0; i < 4; i++) {
        if (lua_rawgeti(L, -1, i + 1) == LUA_TNIL)
            return luaL_error(L, "the prelude's apart_parts lacks part %d", i + 1);
        *parts[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_pop(L, 1);
    /* Defence in depth: nothing reaches _G from a policy, but leave nothing there to find. */
    static const char *const unsafe[] = {"load",   "loadfile", "dofile", "collectgarbage", "print",
                                         "rawset", "require",  "xpcall", "pcall"};
    for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++) {
        lua_pushnil(L);
        lua_setglobal(L, unsafe[i]);
    }
    return 0;
}

custos_status sandbox_open(size_t memory_ceiling, sandbox **out, custos_error *err) {
    *out = NULL;
    sandbox *s = calloc(1, sizeof *s);
    if (!s) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    s->ceiling = s->limit = memory_ceiling;
    s->L = lua_newstate(sandbox_alloc, s);
    if (!s->L) {
        free(s);
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory creating a Lua state");
    }
    *(sandbox **)lua_getextraspace(s->L) = s;
    lua_atpanic(s->L, sandbox_panic);
    lua_sethook(s->L, sandbox_count_hook, LUA_MASKCOUNT, HOOK_STEP);
    lua_pushcfunction(s->L, sandbox_setup);
    lua_pushlightuserdata(s->L, s);
    int rc = lua_pcall(s->L, 1, 0, 0);
    if (rc != LUA_OK) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        sandbox_pop_error_text(s->L, msg, sizeof msg);
        custos_status st = sandbox_status_of(rc);
        if (st == CUSTOS_E_NOMEM || s->allocation_failed) {
            sandbox_close(s);
            return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0,
                             "out of memory setting up the Lua sandbox");
        }
        sandbox_close(s);
        return error_set(err, st, NULL, 0, 0, "cannot set up the Lua sandbox: %s", msg);
    }
    *out = s;
    return CUSTOS_OK;
}

void sandbox_close(sandbox *s) {
    if (!s) return;
    if (s->L) lua_close(s->L);
    free(s);
}

lua_State *sandbox_state(sandbox *s) { return s->L; }

const sandbox_prelude *sandbox_prelude_refs(const sandbox *s) { return &s->prelude; }

void sandbox_arm(sandbox *s, size_t memory_bytes, uint64_t instructions) {
    size_t room = s->ceiling > s->used ? s->ceiling - s->used : 0;
    s->limit = s->used + (memory_bytes < room ? memory_bytes : room);
    s->armed_memory = memory_bytes;
    s->armed_instructions = instructions;
    s->instructions_left = instructions > INT64_MAX ? INT64_MAX : (int64_t)instructions;
    s->hit = SANDBOX_LIMIT_NONE;
    s->allocation_failed = false;
    s->armed = true;
    s->exempt = false;
    sandbox_meter(s, true, 0);
}

sandbox_limit sandbox_limit_hit(const sandbox *s) { return s->hit; }

size_t sandbox_memory_used(const sandbox *s) { return s->used; }

/* Installs the hook for the current metering mode and coverage setting. */
static void sandbox_set_hook(sandbox *s) {
    int mask = (s->per_call ? LUA_MASKCALL : LUA_MASKCOUNT) | (s->on_line ? LUA_MASKLINE : 0);
    lua_sethook(s->L, sandbox_count_hook, mask, HOOK_STEP);
}

void sandbox_set_line_hook(sandbox *s, sandbox_line_fn fn, void *ud) {
    s->on_line = fn;
    s->on_line_ud = ud;
    sandbox_set_hook(s);
}

size_t sandbox_exempt_begin(lua_State *L) {
    sandbox *s = *(sandbox **)lua_getextraspace(L);
    s->exempt = true; /* the hook stays: resetting its count would forgive the caller's work */
    return s->used;
}

void sandbox_exempt_end(lua_State *L, size_t token) {
    sandbox *s = *(sandbox **)lua_getextraspace(L);
    s->exempt = false;
    if (s->armed && s->used > token) { /* the run keeps the room it had */
        size_t grown = s->used - token;
        s->limit = s->limit > s->ceiling - grown ? s->ceiling : s->limit + grown;
    }
}

void sandbox_meter(sandbox *s, bool per_instruction, size_t call_cost) {
    size_t cost = call_cost > s->prelude_largest ? call_cost : s->prelude_largest;
    s->call_cost = cost > SANDBOX_CALL_COST ? cost : SANDBOX_CALL_COST;
    if (s->per_call != per_instruction) return; /* already so */
    s->per_call = !per_instruction;
    sandbox_set_hook(s);
}

sandbox_code_shape *sandbox_collect_shape(sandbox *s, sandbox_code_shape *shape) {
    sandbox_code_shape *previous = s->collect;
    s->collect = shape;
    return previous;
}

void sandbox_merge_shape(sandbox *s, const sandbox_code_shape *part) {
    if (!s->collect) return;
    s->collect->loops |= part->loops;
    if (part->largest_nested > s->collect->largest_nested)
        s->collect->largest_nested = part->largest_nested;
}

sandbox_limit sandbox_disarm(sandbox *s) {
    sandbox_limit hit = s->hit;
    s->armed = false;
    s->exempt = false;
    s->limit = s->ceiling;
    if (hit != SANDBOX_LIMIT_NONE) lua_gc(s->L, LUA_GCCOLLECT);
    return hit;
}

void sandbox_limit_message(const sandbox *s, sandbox_limit hit, char *buf, size_t size) {
    if (hit == SANDBOX_LIMIT_MEMORY)
        snprintf(buf, size, "memory limit exceeded (%zu bytes)", s->armed_memory);
    else if (hit == SANDBOX_LIMIT_INSTRUCTIONS)
        snprintf(buf, size, "instruction limit exceeded (%llu instructions)",
                 (unsigned long long)s->armed_instructions);
    else
        snprintf(buf, size, "no limit was hit");
}

custos_status sandbox_status_of(int lua_status) {
    return lua_status == LUA_ERRMEM ? CUSTOS_E_NOMEM : CUSTOS_E_INTERNAL;
}

bool sandbox_allocation_failed(const sandbox *s) { return s && s->allocation_failed; }

int sandbox_raise_nomem(lua_State *L) {
    sandbox *s = *(sandbox **)lua_getextraspace(L);
    s->allocation_failed = true;
    lua_pushliteral(L, "out of memory"); /* should this fail too, Lua raises its own */
    return lua_error(L);
}

custos_status sandbox_blame_memory(const sandbox *s, custos_status st, custos_error *err) {
    if (st == CUSTOS_OK || (st != CUSTOS_E_NOMEM && !sandbox_allocation_failed(s))) return st;
    if (err && !strstr(err->message, "out of memory")) {
        char was[sizeof err->message];
        memcpy(was, err->message, sizeof was);
        bool lua_said_it = !was[0] || strstr(was, "not enough memory");
        error_set(err, CUSTOS_E_NOMEM, err->file, err->line, err->column,
                  lua_said_it ? "out of memory" : "out of memory (%s)", was);
    } else if (err) {
        err->status = CUSTOS_E_NOMEM;
    }
    return CUSTOS_E_NOMEM;
}

/* A number as Lua's tostring writes it ("42", "1.5", "2.0"), without asking Lua: converting
 * allocates a string, which may raise — and this runs outside any protected call. */
static void format_lua_number(lua_State *L, int index, char *buf, size_t size) {
    if (lua_isinteger(L, index)) {
        snprintf(buf, size, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, index));
        return;
    }
    snprintf(buf, size, LUA_NUMBER_FMT, (LUAI_UACNUMBER)lua_tonumber(L, index));
    if (buf[strspn(buf, "-0123456789")] == '\0') strncat(buf, ".0", size - strlen(buf) - 1);
}

void sandbox_pop_error_text(lua_State *L, char *buf, size_t size) {
    int t = lua_type(L, -1);
    if (t == LUA_TSTRING) {
        snprintf(buf, size, "%s", lua_tostring(L, -1));
    } else if (t == LUA_TNUMBER) {
        char number[64];
        format_lua_number(L, -1, number, sizeof number);
        snprintf(buf, size, "error object is a number (%s)", number);
    } else {
        snprintf(buf, size, "error object is a %s value", lua_typename(L, t));
    }
    lua_pop(L, 1);
}

void sandbox_error_from_message(custos_error *err, custos_status status, const char *chunkname,
                                const char *display_path, const char *message) {
    size_t n = strlen(chunkname);
    const char *rest = message;
    unsigned line = 0;
    if (strncmp(message, chunkname, n) == 0 && message[n] == ':') {
        char *end;
        unsigned long l = strtoul(message + n + 1, &end, 10);
        if (end != message + n + 1 && *end == ':') {
            line = (unsigned)l;
            rest = end + 1;
            while (*rest == ' ') rest++;
        }
    }
    error_set(err, status, display_path, line, 0, "%s", rest);
}

/* Sets upvalue 1 (_ENV) of the function at `fn` to the value on top, popping it. */
static void set_env(lua_State *L, int fn) {
    if (!lua_setupvalue(L, fn, 1)) lua_pop(L, 1);
}

/* Line of the first `name =` in source (name as a whole word), or 0. */
static unsigned line_of_assignment(const char *source, size_t len, const char *name, size_t n) {
    unsigned line = 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (source[i] == '\n') {
            line++;
            continue;
        }
        if (memcmp(source + i, name, n) != 0) continue;
        if (i > 0 && (source[i - 1] == '_' || isalnum((unsigned char)source[i - 1]))) continue;
        size_t j = i + n;
        while (j < len && (source[j] == ' ' || source[j] == '\t')) j++;
        if (j < len && source[j] == '=' && (j + 1 >= len || source[j + 1] != '=')) return line;
    }
    return 0;
}

/* A declaration error raised by article{} / regime{} carries no line: the module's
 * `return article {...}` is a tail call, so its frame is gone.  Point at the field the message
 * names ('titel'), else at the declaration itself. */
unsigned sandbox_declaration_line(const char *source, size_t len, const char *message) {
    const char *quote = strchr(message, '\'');
    if (quote) {
        const char *end = strchr(quote + 1, '\'');
        const char *dot = end ? memchr(quote + 1, '.', (size_t)(end - quote - 1)) : NULL;
        if (end && end > quote + 1) {
            size_t n = (size_t)((dot ? dot : end) - quote - 1);
            unsigned line = line_of_assignment(source, len, quote + 1, n);
            if (line) return line;
        }
    }
    static const char *const declarations[] = {"article", "regime"};
    for (size_t d = 0; d < 2; d++) {
        const char *hit = strstr(source, declarations[d]);
        while (hit && hit > source && (hit[-1] == '_' || isalnum((unsigned char)hit[-1])))
            hit = strstr(hit + 1, declarations[d]);
        if (!hit) continue;
        unsigned line = 1;
        for (const char *p = source; p < hit; p++) line += *p == '\n';
        return line;
    }
    return 0;
}

typedef struct load_job {
    sandbox *s;
    const char *chunkname, *display_path, *text;
    size_t len, memory_bytes;
    uint64_t instructions;
    sandbox_env_fn prepare;
    void *prepare_ud;
    custos_error *err;
    custos_status status;
} load_job;

/* The body of sandbox_load_module, run under lua_pcall so that even a memory error in the
 * trusted steps is caught.  Leaves the module's value on the stack, or sets job->status. */
static int load_module_protected(lua_State *L) {
    load_job *job = lua_touserdata(L, 1);
    sandbox *s = job->s;
    char name[CUSTOS_CHUNK_SOURCE_BUFFER]; /* as function_lines builds it */
    snprintf(name, sizeof name, "@%s", job->chunkname);
    if (luaL_loadbufferx(L, job->text, job->len, name, "t") != LUA_OK) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        sandbox_pop_error_text(L, msg, sizeof msg);
        sandbox_error_from_message(job->err, CUSTOS_E_POLICY, job->chunkname, job->display_path,
                                   msg);
        job->status = CUSTOS_E_POLICY;
        return 0;
    }
    int chunk = lua_gettop(L);
    if (s->collect) {
        /* How to meter it comes from what the VM will run, not from the text; a chunk the scan
         * refuses is metered as one that loops. */
        bytecode_loops scanned;
        bool read = bytecode_find_loops(L, chunk, &scanned, NULL, 0);
        sandbox_code_shape shape = {!read || scanned.any, read ? scanned.largest_nested : 0};
        sandbox_merge_shape(s, &shape);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->prelude.module_env);
    lua_call(L, 0, 1);
    int env = lua_gettop(L);
    if (job->prepare) job->prepare(L, env, job->prepare_ud);
    lua_pushvalue(L, env);
    set_env(L, chunk);

    lua_pushvalue(L, chunk);
    bool outermost = !s->armed; /* a library loading inside a module shares its budget */
    if (outermost) sandbox_arm(s, job->memory_bytes, job->instructions);
    int rc = lua_pcall(L, 0, 1, 0);
    if (rc == LUA_OK) {
        /* Seal, within the module's budget (sealing copies what it left behind): from now on
         * its globals are read-only for every function it defined, what it leaves behind is
         * frozen, and a function keeping state between calls is refused.  Leaves the sealed
         * environment below the module's value. */
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->prelude.seal_env);
        lua_pushvalue(L, env);
        lua_pushvalue(L, -3);
        rc = lua_pcall(L, 2, 1, 0);
        if (rc == LUA_OK) lua_insert(L, -2);
    }
    sandbox_limit hit = outermost ? sandbox_disarm(s) : sandbox_limit_hit(s);
    if (rc != LUA_OK) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        if (hit != SANDBOX_LIMIT_NONE) {
            /* the instruction hook's error names where the module was (a memory error does
             * not): keep that line with the limit's message */
            sandbox_pop_error_text(L, msg, sizeof msg);
            sandbox_error_from_message(job->err, CUSTOS_E_POLICY, job->chunkname, job->display_path,
                                       msg);
            unsigned line = job->err ? job->err->line : 0;
            sandbox_limit_message(s, hit, msg, sizeof msg);
            error_set(job->err, CUSTOS_E_POLICY, job->display_path, line, 0, "while loading: %s",
                      msg);
        } else {
            sandbox_pop_error_text(L, msg, sizeof msg);
            sandbox_error_from_message(job->err, CUSTOS_E_POLICY, job->chunkname, job->display_path,
                                       msg);
            if (job->err && job->err->line == 0)
                job->err->line = sandbox_declaration_line(job->text, job->len, job->err->message);
        }
        job->status = CUSTOS_E_POLICY;
        return 0;
    }
    int result = lua_gettop(L);
    lua_pushvalue(L, result - 1);
    set_env(L, chunk);
    return 1;
}

custos_status sandbox_load_module(sandbox *s, const char *chunkname, const char *display_path,
                                  const char *text, size_t len, size_t memory_bytes,
                                  uint64_t instructions, sandbox_env_fn prepare, void *prepare_ud,
                                  custos_error *err) {
    lua_State *L = s->L;
    int top = lua_gettop(L);
    load_job job = {s,       chunkname,  display_path, text,     len, memory_bytes, instructions,
                    prepare, prepare_ud, err,          CUSTOS_OK};
    lua_pushcfunction(L, load_module_protected);
    lua_pushlightuserdata(L, &job);
    int rc = lua_pcall(L, 1, 1, 0);
    if (rc != LUA_OK) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        sandbox_pop_error_text(L, msg, sizeof msg);
        lua_settop(L, top);
        error_set(err, sandbox_status_of(rc), display_path, 0, 0, "while loading: %s", msg);
        return sandbox_blame_memory(s, sandbox_status_of(rc), err);
    }
    if (job.status != CUSTOS_OK) {
        lua_settop(L, top);
        return sandbox_blame_memory(s, job.status, err);
    }
    return CUSTOS_OK;
}
