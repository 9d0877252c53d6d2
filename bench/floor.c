/*
 * floor.c — custos-floor: what the shipped articles cost when plain Lua 5.4 runs them, with
 * none of custos around them: no sandbox (no metering hook, no frozen tables, no sealed
 * modules), no request API, no params copied out, one Lua call per decision.  It is the floor
 * an engine that keeps Lua 5.4 and these readings of the law can approach, and the figure
 * custos-bench's instructions per decision are compared with (bench/instructions.sh).
 *
 * The same workload as custos-bench (workload.c, same seed), the same article files
 * (policies/gz-2012/artNN.lua and policies/lib/), loaded into a bare lua_State whose helpers
 * are as cheap as plain Lua makes them: article{} returns its table, deny/permit/
 * not_applicable build the verdict table, custos.has looks the data's lists up through sets
 * made once (and scans others), custos.date_end is custos's own date parser.  Each decision:
 * C refills the nested request tables as custos's evaluator does (a field at a time, the
 * tables made once), one lua_pcall runs every article, and deny overrides permit.  Every
 * decision is checked against the workload's expected effect:
 * a floor that decided differently would measure something else (exit 1).
 *
 * Usage: custos-floor [--requests N] [--seed N] [--policies DIR] [--articles 10,11,13|all]
 * Instructions per decision: callgrind --toggle-collect=floor_run, 60,000 requests minus
 * 20,000, over 40,000 (bench/instructions.sh does it).
 */
#include "workload.h"

#include "timeutil.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WARM_UP 10000

/* The helpers the articles call, as plain Lua; then the decision over the loaded rules. */
static const char FLOOR_PRELUDE[] =
    "local lib, files, data = ...\n"
    "package.path = lib .. '/?.lua'\n"
    "-- the data's lists of strings are looked up through a set made once, as custos does;\n"
    "-- the request's lists (refilled every decision) by a scan\n"
    "local sets = {}\n"
    "local function index(list)\n"
    "  local set = {}\n"
    "  for i = 1, #list do set[list[i]] = true end\n"
    "  sets[list] = set\n"
    "end\n"
    "for _, c in pairs(data.contracts) do\n"
    "  for _, v in pairs(c) do if type(v) == 'table' and v[1] then index(v) end end\n"
    "  for _, v in pairs(c.related_purposes or {}) do index(v) end\n"
    "end\n"
    "local function has(list, value)\n"
    "  if list == nil then return false end\n"
    "  local set = sets[list]\n"
    "  if set then return set[value] == true end\n"
    "  for i = 1, #list do if list[i] == value then return true end end\n"
    "  return false\n"
    "end\n"
    "custos = { has = has, date_end = floor_date_end, date_start = floor_date_start,\n"
    "  messages = function(...)\n"
    "    local merged = {}\n"
    "    for i = 1, select('#', ...) do for k, v in pairs((select(i, ...))) do merged[k] = v end "
    "end\n"
    "    return merged\n"
    "  end,\n"
    "  field = function(t, key) return t[key] end }\n"
    "function article(t) return t end\n"
    "function deny(code, params, obligations)\n"
    "  return { effect = 'deny', code = code, params = params, obligations = obligations }\n"
    "end\n"
    "function permit(code, params, obligations)\n"
    "  return { effect = 'permit', code = code, params = params, obligations = obligations }\n"
    "end\n"
    "function not_applicable(code, params)\n"
    "  return { effect = 'not_applicable', code = code, params = params }\n"
    "end\n"
    "local rules = {}\n"
    "for i = 1, #files do rules[i] = dofile(files[i]).rule end\n"
    "local n = #rules\n"
    "return function(req)\n"
    "  local effect = 'not_applicable'\n"
    "  for i = 1, n do\n"
    "    local e = rules[i](req, data).effect\n"
    "    if e == 'deny' then effect = 'deny' elseif e == 'permit' and effect ~= 'deny' then "
    "effect = 'permit' end\n"
    "  end\n"
    "  return effect\n"
    "end\n";

/* custos.date_start / date_end as custos's own (sandbox.c host_time): the first or last second
 * of a date in China Standard Time, or nil, why. */
static int date_bound(lua_State *L, int end) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int64_t epoch;
    const char *why = "is not a date";
    if (!time_parse_bound(s, len, end, &epoch, &why)) {
        lua_pushnil(L);
        lua_pushstring(L, why);
        return 2;
    }
    lua_pushinteger(L, (lua_Integer)epoch);
    return 1;
}
static int floor_date_start(lua_State *L) { return date_bound(L, 0); }
static int floor_date_end(lua_State *L) { return date_bound(L, 1); }

/* t[key] = value (nil when value is NULL), t at the top of the stack. */
static void put_string(lua_State *L, const char *key, const char *value) {
    if (value)
        lua_pushstring(L, value);
    else
        lua_pushnil(L);
    lua_setfield(L, -2, key);
}

static void push_string_list(lua_State *L, const char *const *items, int n) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushstring(L, items[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

/* The data section the three articles read: contracts by id, in the document's shape. */
static void push_data(lua_State *L) {
    lua_createtable(L, 0, 1);
    lua_createtable(L, 0, contract_count);
    for (int i = 0; i < contract_count; i++) {
        const contract *c = &contracts[i];
        const char *items[MAX_CONTRACT_SUBJECTS];
        lua_createtable(L, 0, 10);
        put_string(L, "employer", c->employer);
        put_string(L, "contractor", c->contractor);
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "foreign_employer");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "confidentiality");
        for (int k = 0; k < c->stated_count; k++) items[k] = workload_purpose(c->stated[k]);
        push_string_list(L, items, c->stated_count);
        lua_setfield(L, -2, "purposes");
        lua_newtable(L);
        int any_related = 0;
        for (int k = 0; k < c->stated_count; k++) {
            if (!c->related_count[k]) continue;
            const char *related[MAX_RELATED];
            for (int r = 0; r < c->related_count[k]; r++)
                related[r] = workload_purpose(c->related[k][r]);
            push_string_list(L, related, c->related_count[k]);
            lua_setfield(L, -2, workload_purpose(c->stated[k]));
            any_related = 1;
        }
        if (any_related)
            lua_setfield(L, -2, "related_purposes");
        else
            lua_pop(L, 1);
        for (int k = 0; k < c->subject_count; k++) items[k] = subject_names[c->subjects[k]];
        push_string_list(L, items, c->subject_count);
        lua_setfield(L, -2, "subjects");
        int n = 0;
        for (int a = 0; a < workload_action_count(); a++)
            if (c->actions & (1u << a)) items[n++] = workload_action(a);
        push_string_list(L, items, n);
        lua_setfield(L, -2, "actions");
        put_string(L, "retention_until", c->retention_until);
        lua_setfield(L, -2, c->id);
    }
    lua_setfield(L, -2, "contracts");
}

/* The request's nested tables, made once and refilled field by field for each decision, as
 * custos's evaluator refills its own (an absent field is set to nil). */
enum { T_REQUEST, T_SUBJECT, T_RESOURCE, T_CONTEXT, T_CONSENT, T_CONSENT_PURPOSES, T_COUNT };
static int request_ref[T_COUNT];

static void make_request_tables(lua_State *L) {
    static const char *const key[T_COUNT] = {[T_SUBJECT] = "subject",
                                             [T_RESOURCE] = "resource",
                                             [T_CONTEXT] = "context",
                                             [T_CONSENT] = "consent",
                                             [T_CONSENT_PURPOSES] = "purposes"};
    for (int t = 0; t < T_COUNT; t++) {
        lua_createtable(L, t == T_CONSENT_PURPOSES ? 2 : 0, 6);
        request_ref[t] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    static const int parent[T_COUNT] = {[T_SUBJECT] = T_REQUEST,
                                        [T_RESOURCE] = T_REQUEST,
                                        [T_CONTEXT] = T_REQUEST,
                                        [T_CONSENT] = T_CONTEXT,
                                        [T_CONSENT_PURPOSES] = T_CONSENT};
    for (int t = T_SUBJECT; t < T_COUNT; t++) {
        if (t == T_CONSENT) continue; /* there only when the request carries a consent */
        lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[parent[t]]);
        lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[t]);
        lua_setfield(L, -2, key[t]);
        lua_pop(L, 1);
    }
}

/* Refills the request's tables from the spec; leaves the root table on the stack. */
static void push_request(lua_State *L, const spec *s) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[T_SUBJECT]);
    put_string(L, "id", s->subject);
    put_string(L, "org", s->org);
    lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[T_RESOURCE]);
    put_string(L, "id", s->resource);
    put_string(L, "owner", s->owner);
    put_string(L, "category", s->category);
    lua_pushboolean(L, s->entrusted);
    lua_setfield(L, -2, "entrusted");
    put_string(L, "contract", s->contract);
    lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[T_CONTEXT]);
    put_string(L, "time", s->time);
    lua_pushinteger(L, s->epoch);
    lua_setfield(L, -2, "epoch");
    put_string(L, "recipient", s->recipient);
    if (s->consent_count) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[T_CONSENT_PURPOSES]);
        for (int i = 0; i < 2; i++) {
            if (i < s->consent_count)
                lua_pushstring(L, s->consent[i]);
            else
                lua_pushnil(L);
            lua_rawseti(L, -2, i + 1);
        }
        lua_pop(L, 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[T_CONSENT]);
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "written");
        put_string(L, "by", s->consent_by);
    } else {
        lua_pushnil(L);
    }
    lua_setfield(L, -2, "consent"); /* into context */
    lua_pop(L, 3);
    lua_rawgeti(L, LUA_REGISTRYINDEX, request_ref[T_REQUEST]);
    put_string(L, "action", s->action);
    put_string(L, "purpose", s->purpose);
}

static const char *const EFFECTS[] = {
    [CUSTOS_NOT_APPLICABLE] = "not_applicable", [CUSTOS_PERMIT] = "permit", [CUSTOS_DENY] = "deny"};

/* Decides specs[0..n) with the decision function at stack index 1; returns the mismatches
 * (the first is reported).  The function callgrind counts. */
__attribute__((noinline)) static size_t floor_run(lua_State *L, const spec *specs, size_t n) {
    size_t mismatches = 0;
    for (size_t i = 0; i < n; i++) {
        lua_pushvalue(L, 1);
        push_request(L, &specs[i]);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            if (!mismatches++)
                fprintf(stderr, "custos-floor: request %zu: %s\n", i, lua_tostring(L, -1));
            lua_pop(L, 1);
            continue;
        }
        const char *effect = lua_tostring(L, -1);
        if (!effect || strcmp(effect, EFFECTS[specs[i].expected]) != 0) {
            if (!mismatches++)
                fprintf(stderr, "custos-floor: request %zu (%s): %s, expected %s\n", i,
                        kinds[specs[i].kind].name, effect ? effect : "?",
                        EFFECTS[specs[i].expected]);
        }
        lua_pop(L, 1);
    }
    return mismatches;
}

static int usage(FILE *out) {
    fprintf(out, "usage: custos-floor [--requests N] [--seed N] [--policies DIR] "
                 "[--articles 10,11,13|all]\n");
    return out == stdout ? 0 : 64;
}

int main(int argc, char **argv) {
    size_t n = DEFAULT_REQUESTS;
    uint64_t seed = DEFAULT_SEED;
    const char *policies = CUSTOS_SOURCE_DIR "/policies", *articles = "10,11,13";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) return usage(stdout);
        if (i + 1 >= argc) return usage(stderr);
        const char *v = argv[++i];
        char *end;
        errno = 0;
        if (strcmp(a, "--requests") == 0 || strcmp(a, "--seed") == 0) {
            unsigned long long x = strtoull(v, &end, 10);
            if (errno || end == v || *end || x == 0 || v[0] == '-') {
                fprintf(stderr, "custos-floor: %s: expected a positive integer, got '%s'\n", a, v);
                return 64;
            }
            if (a[2] == 'r')
                n = (size_t)x;
            else
                seed = (uint64_t)x;
        } else if (strcmp(a, "--policies") == 0) {
            policies = v;
        } else if (strcmp(a, "--articles") == 0) {
            articles = v;
        } else {
            return usage(stderr);
        }
    }
    size_t total = n + WARM_UP;
    spec *specs = malloc(total * sizeof *specs);
    size_t mix[K_COUNT] = {0}, expected[3] = {0};
    if (!specs || workload_make(seed, specs, total, mix, expected)) return 1;

    lua_State *L = luaL_newstate();
    if (!L) return 1;
    luaL_openlibs(L);
    lua_gc(L, LUA_GCGEN, 0, 0); /* the collector custos's states run (sandbox.c) */
    lua_register(L, "floor_date_end", floor_date_end);
    lua_register(L, "floor_date_start", floor_date_start);
    if (luaL_loadbuffer(L, FLOOR_PRELUDE, sizeof FLOOR_PRELUDE - 1, "=floor") != LUA_OK) {
        fprintf(stderr, "custos-floor: %s\n", lua_tostring(L, -1));
        return 1;
    }
    char lib[4096];
    snprintf(lib, sizeof lib, "%s/lib", policies);
    lua_pushstring(L, lib);
    lua_newtable(L);
    int count = 0;
    if (strcmp(articles, "all") == 0) { /* every article file of the regime, like custos-bench */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/gz-2012", policies);
        DIR *d = opendir(dir);
        if (!d) {
            fprintf(stderr, "custos-floor: cannot read %s: %s\n", dir, strerror(errno));
            return 1;
        }
        for (struct dirent *e; (e = readdir(d));) {
            size_t len = strlen(e->d_name);
            if (strncmp(e->d_name, "art", 3) != 0 || len < 5 ||
                strcmp(e->d_name + len - 4, ".lua") != 0)
                continue;
            lua_pushfstring(L, "%s/%s", dir, e->d_name);
            lua_rawseti(L, -2, ++count);
        }
        closedir(d);
    } else {
        char list[256];
        snprintf(list, sizeof list, "%s", articles);
        for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
            lua_pushfstring(L, "%s/gz-2012/art%s.lua", policies, tok);
            lua_rawseti(L, -2, ++count);
        }
    }
    push_data(L);
    if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
        fprintf(stderr, "custos-floor: %s\n", lua_tostring(L, -1));
        return 1;
    }
    /* stack: [1] the decision function */
    make_request_tables(L);
    size_t mismatches = floor_run(L, specs, WARM_UP);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mismatches += floor_run(L, specs + WARM_UP, n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns =
        ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / (double)n;
    printf("custos-floor: gz-2012 articles %s in plain Lua 5.4, %zu requests (seed %llu): "
           "%.0f ns a decision, %zu mismatches\n",
           articles, n, (unsigned long long)seed, ns, mismatches);
    lua_close(L);
    free(specs);
    return mismatches ? 1 : 0;
}
