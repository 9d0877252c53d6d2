/* safe_lib.c — see safe_lib.h. */
#include "safe_lib.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#define BPI SAFE_LIB_BYTES_PER_INSTRUCTION
/* Bytes a loop that looks at each byte (case mapping, decoding UTF-8, parsing a number) handles
 * per instruction: a few times fewer than memcpy or memchr. */
#define BYTES_PER_STEP 8
/* What reading a table element through the API costs, and converting a number to text. */
#define ELEMENT_COST 4
#define NUMBER_TEXT_COST 16

/* ---- charging ---------------------------------------------------------------------------- */

/* The loader's charging function (sandbox_charge), kept in the registry under this key's
 * address: safe_lib knows nothing of the sandbox that uses it. */
static const char charge_key = 'c';

static void charge(lua_State *L, uint64_t instructions) {
    if (!instructions) return;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &charge_key);
    const safe_lib_charge_fn *fn = lua_touserdata(L, -1);
    lua_pop(L, 1); /* the registry keeps it */
    if (fn) (*fn)(L, instructions);
}

/* Elements from..to (an empty range is 0), without overflowing. */
static uint64_t range_count(lua_Integer from, lua_Integer to) {
    return from > to ? 0 : (uint64_t)((lua_Unsigned)to - (lua_Unsigned)from) + 1;
}

static uint64_t log2_ceil(uint64_t n) {
    uint64_t bits = 0;
    while (bits < 64 && ((uint64_t)1 << bits) < n) bits++;
    return bits;
}

/* Raises message with the calling Lua function's position, as luaL_error does for Lua code. */
static int raise_at_caller(lua_State *L, const char *message) {
    luaL_where(L, 2);
    lua_pushstring(L, message);
    lua_concat(L, 2);
    return lua_error(L);
}

/* The standard function a wrapper stands in for (its first upvalue), run on the same stack. */
static int call_original(lua_State *L) {
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

/* String positions as the string library reads them. */
static size_t position_start(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}
static size_t position_end(lua_Integer pos, size_t len) {
    if (pos > (lua_Integer)len) return len;
    if (pos >= 0) return (size_t)pos;
    if (pos < -(lua_Integer)len) return 0;
    return len + (size_t)pos + 1;
}

/* An optional integer argument, or def when absent or not an integer (the original then
 * raises its own error). */
static lua_Integer opt_integer(lua_State *L, int arg, lua_Integer def) {
    int ok;
    lua_Integer v = lua_tointegerx(L, arg, &ok);
    return ok ? v : def;
}

/* ---- the deterministic order of keys ------------------------------------------------------ */

typedef struct sort_key {
    int rank; /* 0 number, 1 string, 2 boolean, 3 any other type (KEYS_TRAIL only) */
    bool is_int;
    lua_Integer i; /* integer keys; booleans as 0/1 */
    lua_Number f;
    const char *s;
    size_t len;
    lua_Integer slot; /* where the key waits in the collecting list */
} sort_key;

/* Describes the value at idx as a key; false for types with no deterministic order. */
static bool describe_key(lua_State *L, int idx, sort_key *k) {
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        k->rank = 0;
        k->is_int = lua_isinteger(L, idx);
        if (k->is_int)
            k->i = lua_tointeger(L, idx);
        else
            k->f = lua_tonumber(L, idx);
        return true;
    case LUA_TSTRING:
        k->rank = 1;
        k->s = lua_tolstring(L, idx, &k->len);
        return true;
    case LUA_TBOOLEAN:
        k->rank = 2;
        k->i = lua_toboolean(L, idx);
        return true;
    default: return false;
    }
}

/* Numbers ascending (an integer before an equal float), strings bytewise, false before true;
 * keys of other types (rank 3) after them all, in the order they were collected. */
static int compare_keys(const sort_key *a, const sort_key *b) {
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->rank == 3) return a->slot < b->slot ? -1 : a->slot > b->slot;
    if (a->rank == 1) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->s, b->s, n) : 0;
        if (c) return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
    }
    if (a->rank == 2 || (a->is_int && b->is_int)) return a->i < b->i ? -1 : a->i > b->i ? 1 : 0;
    /* a non-integral float never equals an integer; the only ties are floats past the
     * integers' range against the largest integers, broken by kind */
    lua_Number x = a->is_int ? (lua_Number)a->i : a->f, y = b->is_int ? (lua_Number)b->i : b->f;
    if (x != y) return x < y ? -1 : 1;
    return a->is_int == b->is_int ? 0 : a->is_int ? -1 : 1;
}

/* A stable merge sort of keys[0..n) using tmp (n items). */
static void merge_sort_keys(sort_key *keys, sort_key *tmp, size_t n) {
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = mid + width < n ? mid + width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = compare_keys(&keys[j], &keys[i]) < 0 ? keys[j++] : keys[i++];
            while (i < mid) tmp[k++] = keys[i++];
            while (j < hi) tmp[k++] = keys[j++];
        }
        memcpy(keys, tmp, n * sizeof *keys);
    }
}

static int refuse_key_type(lua_State *L, int idx) {
    lua_pushfstring(L,
                    "cannot iterate over a table with %s keys: only number, string and boolean "
                    "keys have a fixed order",
                    luaL_typename(L, idx));
    return raise_at_caller(L, lua_tostring(L, -1));
}

/* What becomes of keys with no deterministic order (tables, functions ...). */
typedef enum key_others {
    KEYS_REFUSE, /* an error: pairs and next in policies */
    KEYS_SKIP,   /* left out and counted: the REPL's show */
    KEYS_TRAIL   /* after the others, in next()'s order (fixed for the life of the state):
                  * the prelude's frozen tables, which may hold such keys */
} key_others;

/* Pushes a list of the keys of the table at t in the deterministic order, charging the work
 * when `charged`.  Keys of other types are handled as `others` says (*skipped counts those
 * left out). */
static void push_sorted_keys(lua_State *L, int t, key_others others, bool charged,
                             lua_Integer *skipped) {
    t = lua_absindex(L, t);
    luaL_checkstack(L, 4, NULL);
    lua_newtable(L);
    int raw = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, raw, ++n);
    }
    if (charged) charge(L, (uint64_t)n);
    sort_key *keys = lua_newuserdatauv(L, 2 * (size_t)n * sizeof *keys + 1, 0);
    size_t kept = 0;
    if (skipped) *skipped = 0;
    for (lua_Integer slot = 1; slot <= n; slot++) {
        lua_rawgeti(L, raw, slot); /* the list anchors the strings the keys point at */
        if (describe_key(L, -1, &keys[kept])) {
            keys[kept++].slot = slot;
        } else if (others == KEYS_TRAIL) {
            keys[kept++] = (sort_key){.rank = 3, .slot = slot};
        } else if (others == KEYS_SKIP) {
            if (skipped) (*skipped)++;
        } else {
            refuse_key_type(L, -1);
        }
        lua_pop(L, 1);
    }
    if (charged) charge(L, (uint64_t)kept * log2_ceil(kept));
    merge_sort_keys(keys, keys + kept, kept);
    lua_createtable(L, (int)(kept < INT_MAX ? kept : INT_MAX), 0);
    for (size_t i = 0; i < kept; i++) {
        lua_rawgeti(L, raw, keys[i].slot);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_replace(L, raw);
    lua_pop(L, 1); /* the userdata */
}

/* ---- pairs, next ---------------------------------------------------------------------------- */

/* The iterator pairs returns: upvalues are the sorted keys and the position reached.  Keys
 * whose value was cleared during the loop are skipped, as next would. */
static int pairs_step(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
    for (;;) {
        if (lua_rawgeti(L, lua_upvalueindex(1), pos + 1) == LUA_TNIL) {
            lua_pushinteger(L, pos);
            lua_replace(L, lua_upvalueindex(2));
            return 1;
        }
        pos++;
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) {
            lua_pushinteger(L, pos);
            lua_replace(L, lua_upvalueindex(2));
            return 2;
        }
        lua_pop(L, 2);
    }
}

/* pairs(t): honours __pairs as Lua's does; otherwise walks t's keys in the fixed order. */
static int safe_pairs(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    push_sorted_keys(L, 1, KEYS_REFUSE, true, NULL);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, pairs_step, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* next(t, k): the key after k in the fixed order (the first when k is nil), and its value.
 * Each call scans t (charged), so a loop over next costs O(n^2): pairs is the way to loop. */
static int safe_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    bool from_start = lua_isnil(L, 2);
    sort_key after, best, k;
    if (!from_start && !describe_key(L, 2, &after)) return refuse_key_type(L, 2);
    bool found = false;
    uint64_t n = 0;
    lua_pushnil(L); /* 3: the best key so far */
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        n++;
        if (!describe_key(L, -1, &k)) return refuse_key_type(L, -1);
        if (!from_start && compare_keys(&k, &after) <= 0) continue;
        if (found && compare_keys(&k, &best) >= 0) continue;
        lua_pushvalue(L, -1);
        lua_replace(L, 3); /* anchors the string best points at */
        best = k;
        found = true;
    }
    charge(L, n);
    if (!found) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 3);
    lua_rawget(L, 1);
    return 2;
}

/* sorted_keys(t) for the REPL's show: the orderable keys in order, and how many were left
 * out. */
static int safe_sorted_keys(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer skipped = 0;
    push_sorted_keys(L, 1, KEYS_SKIP, true, &skipped);
    lua_pushinteger(L, skipped);
    return 2;
}

/* fixed_keys(t) for the prelude's frozen tables: every key in the fixed order, keys of other
 * types last; not charged (the prelude's own work). */
static int safe_fixed_keys(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    push_sorted_keys(L, 1, KEYS_TRAIL, false, NULL);
    return 1;
}

/* ---- tostring, string.format: no addresses ---------------------------------------------------- */

/* Pushes the text of the value at idx: __tostring when it has one, Lua's text for nil,
 * booleans, numbers and strings, and for the rest its type (or __name) without the address. */
static void push_text(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (luaL_callmeta(L, idx, "__tostring")) {
        if (!lua_isstring(L, -1)) luaL_error(L, "'__tostring' must return a string");
        return;
    }
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
    case LUA_TBOOLEAN:
    case LUA_TNUMBER:
    case LUA_TSTRING: luaL_tolstring(L, idx, NULL); return;
    default: {
        int name = luaL_getmetafield(L, idx, "__name"); /* pushes nothing when absent */
        if (name == LUA_TSTRING) return;
        if (name != LUA_TNIL) lua_pop(L, 1);
        lua_pushstring(L, luaL_typename(L, idx));
    }
    }
}

static int safe_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    push_text(L, 1);
    return 1;
}

/* string.format: %s of a table, function, ... shows it without address; %p is refused. */
static int safe_format(lua_State *L) {
    size_t flen;
    const char *f = luaL_checklstring(L, 1, &flen);
    int top = lua_gettop(L), arg = 1;
    uint64_t bytes = flen, conversions = 0;
    for (size_t i = 0; i < flen; i++) {
        if (f[i] != '%') continue;
        if (++i < flen && f[i] == '%') continue;
        while (i < flen && f[i] && strchr("-+ #0123456789.", f[i])) i++;
        if (i >= flen || ++arg > top) break; /* the original names what is wrong */
        conversions++;
        if (f[i] == 'p')
            return raise_at_caller(L, "string.format's '%p' is not available to policies: an "
                                      "address differs from run to run");
        int t = lua_type(L, arg);
        if (f[i] == 's' && t != LUA_TSTRING && t != LUA_TNUMBER) {
            push_text(L, arg);
            lua_replace(L, arg);
        }
        if (lua_type(L, arg) == LUA_TSTRING) bytes += 4 * (uint64_t)lua_rawlen(L, arg);
    }
    charge(L, conversions + bytes / BPI);
    return call_original(L);
}

/* ---- base functions -------------------------------------------------------------------------- */

/* Finalizers run whenever the collector likes, and weak tables keep what the collector has not
 * yet taken: both depend on the state's history, so neither is allowed.  A metatable is kept
 * from gaining __mode or __gc later by a guard metatable of its own. */
static int guard_newindex(lua_State *L) {
    if (lua_type(L, 2) == LUA_TSTRING &&
        (strcmp(lua_tostring(L, 2), "__mode") == 0 || strcmp(lua_tostring(L, 2), "__gc") == 0))
        return raise_at_caller(L, "a metatable may not gain __mode or __gc in policies: what the "
                                  "collector does varies from run to run");
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

static int safe_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    lua_settop(L, 2);
    if (t == LUA_TTABLE) {
        if (lua_getfield(L, 2, "__gc") != LUA_TNIL) /* raw: not a proxy */
            return raise_at_caller(L, "__gc metamethods are not allowed in policies");
        lua_pop(L, 1);
        lua_pushliteral(L, "__mode");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return raise_at_caller(L, "weak tables (__mode) are not allowed in policies: what "
                                      "the collector keeps varies from run to run");
        lua_pop(L, 1);
        if (lua_getmetatable(L, 2)) {
            bool guarded = lua_rawequal(L, -1, lua_upvalueindex(1));
            lua_pop(L, 1);
            if (!guarded)
                return raise_at_caller(L, "a table with a metatable of its own cannot be a "
                                          "metatable in policies");
        } else {
            lua_pushvalue(L, lua_upvalueindex(1));
            lua_setmetatable(L, 2);
        }
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* select(n, ...): the VM copies the values it returns. */
static int safe_select(lua_State *L) {
    int n = lua_gettop(L);
    if (!(lua_type(L, 1) == LUA_TSTRING && *lua_tostring(L, 1) == '#')) {
        lua_Integer i = opt_integer(L, 1, 1);
        charge(L, i < 0 ? range_count(i, -1) : range_count(i, n - 1));
    }
    return call_original(L);
}

static int safe_tonumber(lua_State *L) {
    if (lua_type(L, 1) == LUA_TSTRING) charge(L, lua_rawlen(L, 1) / BYTES_PER_STEP);
    return call_original(L);
}

static int safe_rawequal(lua_State *L) {
    if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING)
        charge(L, lua_rawlen(L, 1) / BPI);
    return call_original(L);
}

/* ---- string ---------------------------------------------------------------------------------- */

/* string.rep: the repetitions are charged before (rep("", 2^53) copies nothing, 2^53 times),
 * the bytes after, once the result fitted in memory. */
static int safe_rep(lua_State *L) {
    size_t l;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    uint64_t each = (uint64_t)l + (lua_type(L, 3) == LUA_TSTRING ? lua_rawlen(L, 3) : 0);
    if (n > 0 && (each == 0 || each <= (uint64_t)INT_MAX / (uint64_t)n)) /* else "too large" */
        charge(L, 1 + (uint64_t)n / BPI);
    int results = call_original(L);
    if (results == 1) charge(L, (uint64_t)lua_rawlen(L, -1) / BPI);
    return results;
}

/* The bytes string.byte or string.sub would reach for (s, i, j) with j's default. */
static uint64_t slice_length(lua_State *L, lua_Integer default_end) {
    size_t l = lua_rawlen(L, 1);
    size_t from = position_start(opt_integer(L, 2, 1), l);
    size_t to = position_end(opt_integer(L, 3, default_end), l);
    return from > to ? 0 : (uint64_t)(to - from) + 1;
}

static int safe_byte(lua_State *L) {
    luaL_checkstring(L, 1);
    charge(L, slice_length(L, opt_integer(L, 2, 1)));
    return call_original(L);
}

static int safe_sub(lua_State *L) {
    luaL_checkstring(L, 1);
    charge(L, slice_length(L, -1) / BPI);
    return call_original(L);
}

static int safe_whole_string(lua_State *L) {
    charge(L, 1 + (uint64_t)lua_rawlen(L, 1) / BYTES_PER_STEP);
    return call_original(L);
}

static int safe_count_args(lua_State *L) {
    charge(L, (uint64_t)lua_gettop(L));
    return call_original(L);
}

/* string.find, always plain (patterns can take exponential time).  The naive search costs up
 * to len(s) * len(needle): it is charged as it goes, so a hostile pair ends at the budget. */
static int safe_find(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = position_start(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        lua_pushnil(L);
        return 1;
    }
    if (lp == 0) {
        lua_pushinteger(L, (lua_Integer)init + 1);
        lua_pushinteger(L, (lua_Integer)init);
        return 2;
    }
    if (lp <= ls - init) {
        const char *at = s + init, *last = s + ls - lp; /* the last place a match can start */
        uint64_t work = 0;
        while (at <= last) {
            const char *c = memchr(at, p[0], (size_t)(last - at) + 1);
            work += (uint64_t)((c ? c : last) - at) + 1;
            if (!c) break;
            work += lp;
            if (work >= (uint64_t)1 << 20) {
                charge(L, work / BPI);
                work = 0;
            }
            if (memcmp(c + 1, p + 1, lp - 1) == 0) {
                charge(L, work / BPI);
                lua_pushinteger(L, (lua_Integer)(c - s) + 1);
                lua_pushinteger(L, (lua_Integer)(c - s + (ptrdiff_t)lp));
                return 2;
            }
            at = c + 1;
        }
        charge(L, work / BPI);
    }
    lua_pushnil(L);
    return 1;
}

/* ---- table ------------------------------------------------------------------------------------- */

#define TAB_R 1
#define TAB_W 2
#define TAB_L 4

static bool has_raw_field(lua_State *L, const char *key, int n) {
    lua_pushstring(L, key);
    return lua_rawget(L, -n) != LUA_TNIL;
}

/* As the table library: a table, or something with the metamethods that make one. */
static void check_table(lua_State *L, int arg, int what) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int n = 1;
    if (lua_getmetatable(L, arg) && (!(what & TAB_R) || has_raw_field(L, "__index", ++n)) &&
        (!(what & TAB_W) || has_raw_field(L, "__newindex", ++n)) &&
        (!(what & TAB_L) || has_raw_field(L, "__len", ++n)))
        lua_pop(L, n);
    else
        luaL_checktype(L, arg, LUA_TTABLE);
}

static int safe_insert(lua_State *L) {
    check_table(L, 1, TAB_R | TAB_W | TAB_L);
    lua_Integer e = (lua_Integer)((lua_Unsigned)luaL_len(L, 1) + 1u); /* first empty slot */
    lua_Integer pos;
    switch (lua_gettop(L)) {
    case 2: pos = e; break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        charge(L, range_count(pos, e - 1));
        for (lua_Integer i = e; i > pos; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    default: return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

static int safe_remove(lua_State *L) {
    check_table(L, 1, TAB_R | TAB_W | TAB_L);
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size)
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
    charge(L, range_count(pos, size - 1));
    lua_geti(L, 1, pos);
    for (; pos < size; pos++) {
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

static int safe_concat(lua_State *L) {
    check_table(L, 1, TAB_R | TAB_L);
    size_t lsep;
    const char *sep = luaL_optlstring(L, 2, "", &lsep);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    lua_Integer last = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
    uint64_t count = range_count(i, last);
    uint64_t seps = count && lsep && count - 1 > UINT64_MAX / lsep ? UINT64_MAX
                                                                   : (count ? count - 1 : 0) * lsep;
    charge(L, (count > UINT64_MAX / ELEMENT_COST ? UINT64_MAX : count * ELEMENT_COST) + seps / BPI);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    uint64_t bytes = 0, numbers = 0;
    for (uint64_t k = 0; k < count; k++, i++) {
        lua_geti(L, 1, i);
        if (!lua_isstring(L, -1))
            return luaL_error(L, "invalid value (%s) at index %I in table for 'concat'",
                              luaL_typename(L, -1), (LUAI_UACINT)i);
        numbers += lua_type(L, -1) == LUA_TNUMBER;
        bytes += lua_rawlen(L, -1);
        luaL_addvalue(&b);
        if (k + 1 < count) luaL_addlstring(&b, sep, lsep);
    }
    luaL_pushresult(&b);
    charge(L, bytes / BPI + numbers * NUMBER_TEXT_COST);
    return 1;
}

static int safe_unpack(lua_State *L) {
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    charge(L, range_count(i, e));
    lua_settop(L, 1);
    lua_pushinteger(L, i);
    lua_pushinteger(L, e);
    return call_original(L);
}

static int safe_move(lua_State *L) {
    charge(L, range_count(opt_integer(L, 2, 1), opt_integer(L, 3, 0)));
    return call_original(L);
}

/* ---- table.sort: a stable merge sort ------------------------------------------------------ */

typedef struct sort_job {
    int list, other; /* stack slots of the two work lists */
    bool has_comparator;
    uint64_t pending; /* bytes compared, not yet charged */
} sort_job;

/* Whether list[a] sorts before list[b]: the comparator, or `<` with strings bytewise (not by
 * the C library's locale). */
static bool sorts_before(lua_State *L, sort_job *job, int list, lua_Integer a, lua_Integer b) {
    if (job->has_comparator) {
        lua_pushvalue(L, 2);
        lua_rawgeti(L, list, a);
        lua_rawgeti(L, list, b);
        lua_call(L, 2, 1);
        bool less = lua_toboolean(L, -1);
        lua_pop(L, 1);
        return less;
    }
    lua_rawgeti(L, list, a);
    lua_rawgeti(L, list, b);
    bool less;
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
        sort_key x, y;
        describe_key(L, -2, &x);
        describe_key(L, -1, &y);
        less = compare_keys(&x, &y) < 0;
        job->pending += x.len < y.len ? x.len : y.len;
        if (job->pending >= (uint64_t)1 << 20) {
            charge(L, job->pending / BPI);
            job->pending = 0;
        }
    } else {
        less = lua_compare(L, -2, -1, LUA_OPLT);
    }
    lua_pop(L, 2);
    return less;
}

static int safe_sort(lua_State *L) {
    check_table(L, 1, TAB_R | TAB_W | TAB_L);
    lua_Integer n = luaL_len(L, 1);
    if (n <= 1) return 0;
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    sort_job job = {3, 4, !lua_isnil(L, 2), 0};
    /* reading, writing back, and n log n comparisons (a comparator's own code is metered as
     * it runs) */
    charge(L, (uint64_t)n * (log2_ceil((uint64_t)n) + 2));
    lua_createtable(L, (int)n, 0);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, job.list, i);
    }
    for (lua_Integer width = 1; width < n; width *= 2) {
        for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
            lua_Integer mid = lo + width <= n ? lo + width : n + 1; /* right run starts here */
            lua_Integer hi = mid + width <= n + 1 ? mid + width : n + 1;
            lua_Integer i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                lua_Integer take = sorts_before(L, &job, job.list, j, i) ? j++ : i++;
                lua_rawgeti(L, job.list, take);
                lua_rawseti(L, job.other, k++);
            }
            for (; i < mid; i++) {
                lua_rawgeti(L, job.list, i);
                lua_rawseti(L, job.other, k++);
            }
            for (; j < hi; j++) {
                lua_rawgeti(L, job.list, j);
                lua_rawseti(L, job.other, k++);
            }
        }
        int t = job.list;
        job.list = job.other;
        job.other = t;
    }
    /* a consistent order leaves no element sorting before the one ahead of it */
    for (lua_Integer i = 1; i < n; i++)
        if (sorts_before(L, &job, job.list, i + 1, i))
            return luaL_error(L, "invalid order function for sorting");
    charge(L, job.pending / BPI);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, job.list, i);
        lua_seti(L, 1, i);
    }
    return 0;
}

/* ---- utf8 ------------------------------------------------------------------------------------- */

static bool is_continuation(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

static size_t utf8_position(lua_Integer pos, size_t len) {
    if (pos >= 0) return (size_t)pos;
    if ((lua_Unsigned)0 - (lua_Unsigned)pos > len) return 0;
    return len + (size_t)pos + 1;
}

static int safe_codepoint(lua_State *L) {
    size_t l;
    luaL_checklstring(L, 1, &l);
    size_t from = utf8_position(opt_integer(L, 2, 1), l);
    size_t to = utf8_position(opt_integer(L, 3, (lua_Integer)from), l);
    charge(L, from > to ? 0 : (uint64_t)(to - from) + 1);
    return call_original(L);
}

/* Each step of utf8.codes' iterator skips the continuation bytes after its position: charged,
 * since a caller can start it anywhere, any number of times. */
static int codes_step(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_Unsigned n = (lua_Unsigned)lua_tointeger(L, 2);
    uint64_t skipped = 0;
    while (n < len && is_continuation(s[n])) n++, skipped++;
    charge(L, 1 + skipped / BYTES_PER_STEP);
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

static int safe_codes(lua_State *L) {
    int results = call_original(L);
    if (results >= 1) {
        lua_pushvalue(L, -results); /* the standard iterator */
        lua_pushcclosure(L, codes_step, 1);
        lua_replace(L, -results - 1);
    }
    return results;
}

/* ---- installing -------------------------------------------------------------------------------- */

typedef struct wrapper {
    const char *name;
    lua_CFunction fn;
} wrapper;

/* Sets field `name` of the table on top to fn, closed over the standard lib.name. */
static void add_wrapped(lua_State *L, const char *lib, const wrapper *w) {
    for (; w->name; w++) {
        if (lib)
            lua_getglobal(L, lib);
        else
            lua_pushglobaltable(L);
        lua_getfield(L, -1, w->name);
        lua_remove(L, -2);
        lua_pushcclosure(L, w->fn, 1);
        lua_setfield(L, -2, w->name);
    }
}

void safe_lib_add(lua_State *L, int host, safe_lib_charge_fn charge_fn) {
    host = lua_absindex(L, host);
    safe_lib_charge_fn *slot = lua_newuserdatauv(L, sizeof *slot, 0);
    *slot = charge_fn;
    lua_rawsetp(L, LUA_REGISTRYINDEX, &charge_key);
    lua_createtable(L, 0, 16);
    static const wrapper base[] = {{"select", safe_select},
                                   {"tonumber", safe_tonumber},
                                   {"rawequal", safe_rawequal},
                                   {NULL, NULL}};
    add_wrapped(L, NULL, base);
    lua_pushcfunction(L, safe_pairs);
    lua_setfield(L, -2, "pairs");
    lua_pushcfunction(L, safe_next);
    lua_setfield(L, -2, "next");
    lua_pushcfunction(L, safe_tostring);
    lua_setfield(L, -2, "tostring");
    lua_pushcfunction(L, safe_sorted_keys);
    lua_setfield(L, -2, "sorted_keys");
    lua_pushcfunction(L, safe_fixed_keys);
    lua_setfield(L, -2, "fixed_keys");
    lua_createtable(L, 0, 3); /* the guard every policy metatable gets */
    lua_pushcfunction(L, guard_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "metatable");
    lua_setfield(L, -2, "__metatable");
    lua_pushcclosure(L, safe_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");

    lua_createtable(L, 0, 10);
    static const wrapper string[] = {{"rep", safe_rep},
                                     {"byte", safe_byte},
                                     {"sub", safe_sub},
                                     {"char", safe_count_args},
                                     {"lower", safe_whole_string},
                                     {"upper", safe_whole_string},
                                     {"reverse", safe_whole_string},
                                     {"format", safe_format},
                                     {NULL, NULL}};
    add_wrapped(L, LUA_STRLIBNAME, string);
    lua_pushcfunction(L, safe_find);
    lua_setfield(L, -2, "find");
    lua_setfield(L, -2, "string");

    lua_createtable(L, 0, 8);
    static const wrapper table[] = {
        {"unpack", safe_unpack}, {"move", safe_move}, {"pack", safe_count_args}, {NULL, NULL}};
    add_wrapped(L, LUA_TABLIBNAME, table);
    static const luaL_Reg own[] = {{"insert", safe_insert},
                                   {"remove", safe_remove},
                                   {"concat", safe_concat},
                                   {"sort", safe_sort},
                                   {NULL, NULL}};
    luaL_setfuncs(L, own, 0);
    lua_setfield(L, -2, "table");

    lua_createtable(L, 0, 5);
    static const wrapper utf8[] = {{"char", safe_count_args},  {"codepoint", safe_codepoint},
                                   {"len", safe_whole_string}, {"offset", safe_whole_string},
                                   {"codes", safe_codes},      {NULL, NULL}};
    add_wrapped(L, LUA_UTF8LIBNAME, utf8);
    lua_setfield(L, -2, "utf8");

    lua_setfield(L, host, "safe");
}
