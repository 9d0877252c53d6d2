/* evaluator.c — see evaluator.h. */
#include "evaluator.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer_limits.h"
#include "decision.h"
#include "data_view.h"
#include "decision_limits.h"
#include "library.h"
#include "request.h"
#include "sandbox.h"
#include "utf8.h"

/* An unknown field written into a request table by this decision, to remove afterwards. */
typedef struct written_extra {
    size_t table;
    const char *key;
    size_t len;
} written_extra;

/* The message codes an article's verdicts named last (Lua strings, anchored in the evaluator's
 * codes table so no other string can take their address while they are here) and the message
 * each is: a repeated code is found by its address instead of a search of the messages. */
#define CODE_CACHE_WAYS 4
typedef struct code_cache {
    const char *code[CODE_CACHE_WAYS];
    size_t message[CODE_CACHE_WAYS];
    unsigned next; /* the way to replace next */
} code_cache;

/* What a table's key in its parent's real table holds; calloc'd state is unknown. */
enum { TABLE_UNKNOWN = 0, TABLE_NOTHING, TABLE_PROXY };

struct evaluator {
    bundle *b;
    const schema *schema;
    sandbox *sb;
    lua_State *L;
    int *rule_refs;                      /* one per bundle article */
    int data_ref;                        /* the data as policies see it (view's root) */
    data_view view;                      /* the bundle's shared data, made Lua as it is read */
    int *real_ref;                       /* per schema table: the request table the engine fills */
    int *proxy_ref;                      /* and what policies see */
    int *list_real_ref, *list_proxy_ref; /* per schema field of kind strings */
    int keys_ref; /* field i's key at i + 1, the epoch's after them: interned once, not per fill */
    code_cache *codes; /* per article */
    int codes_ref;     /* per article, CODE_CACHE_WAYS slots anchoring its cached codes */
    /* "not_applicable", "permit", "deny" (by custos_effect) as Lua strings, anchored at
     * effects_ref: a verdict's effect is the same string, so its address names it */
    const char *effect_names[3];
    int effects_ref;
    size_t *list_len;    /* items left in each list table by the last decision */
    library_loader libs; /* `require` while the modules load */
    /* What the last decision wrote, so the next clears only that: the fields (by index) and
     * the decision that wrote them (a field written twice in one decision is listed once). */
    size_t *written, written_count;
    size_t *now, now_count; /* this decision's, while filling */
    uint64_t *written_by;
    bool fill_broken;        /* a fill stopped half-way: clear every field next time */
    uint64_t *table_used_by; /* per table: the last decision that wrote under it */
    /* per table below the root's: what its key in its parent's real table holds (TABLE_*), so
     * a fill sets it only when that changes (only fill_request writes those keys) */
    unsigned char *table_shown;
    uint64_t decision;
    written_extra *extras;
    size_t extra_count, extra_cap;
    int fresh_ref; /* tables made this decision for unknown paths */
};

/* ---- building ----------------------------------------------------------------------------- */

/* Pushes a document node as plain Lua values (a request field the schema does not declare;
 * tables are frozen by the caller, as a whole). */
static void push_node(lua_State *L, const doc_node *n) {
    luaL_checkstack(L, 3, "a value nested too deeply");
    switch (n->kind) {
    case DOC_NULL: lua_pushnil(L); return;
    case DOC_BOOL: lua_pushboolean(L, n->u.b); return;
    case DOC_INT: lua_pushinteger(L, (lua_Integer)n->u.i); return;
    case DOC_NUM: lua_pushnumber(L, (lua_Number)n->u.n); return;
    case DOC_STR: lua_pushlstring(L, n->u.str.s, n->u.str.len); return;
    case DOC_SEQ: {
        lua_createtable(L, (int)n->u.seq.count, 0);
        lua_Integer k = 1;
        for (size_t i = 0; i < n->u.seq.count; i++) {
            if (n->u.seq.items[i]->kind == DOC_NULL) continue; /* no holes in lists */
            push_node(L, n->u.seq.items[i]);
            lua_rawseti(L, -2, k++);
        }
        return;
    }
    case DOC_MAP:
        lua_createtable(L, 0, (int)n->u.map.count);
        for (size_t i = 0; i < n->u.map.count; i++) {
            push_node(L, n->u.map.values[i]);
            lua_setfield(L, -2, n->u.map.keys[i]);
        }
        return;
    }
    lua_pushnil(L);
}

/* Calls the prelude's freeze on the value on top, replacing it with its proxy. */
static void freeze_top(lua_State *L, const sandbox_prelude *p) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->freeze);
    lua_insert(L, -2);
    lua_call(L, 1, 1);
}

/* The data as policies see it: a view of the bundle's shared store (data_view.h). */
static void build_data(lua_State *L, evaluator *ev) {
    data_view_push_root(L, &ev->view, ev->b->store, sandbox_prelude_refs(ev->sb));
    ev->data_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Makes the strict request tables from the schema: the prelude gets each table's field names. */
static void build_request_tables(lua_State *L, evaluator *ev) {
    const sandbox_prelude *p = sandbox_prelude_refs(ev->sb);
    const schema *s = ev->schema;
    size_t time_table = s->fields[s->time_field].parent;
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->request_tables);
    lua_createtable(L, 0, (int)s->table_count);
    for (size_t t = 0; t < s->table_count; t++) {
        lua_newtable(L);
        for (size_t i = 0; i < s->field_count; i++) {
            if (s->fields[i].parent != t) continue;
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, s->fields[i].key);
        }
        if (t == time_table) {
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, SCHEMA_EPOCH_KEY);
        }
        lua_setfield(L, -2, schema_table_path(s, t));
    }
    lua_call(L, 1, 2); /* reals, proxies */
    for (size_t t = 0; t < s->table_count; t++) {
        lua_getfield(L, -2, schema_table_path(s, t));
        ev->real_ref[t] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_getfield(L, -1, schema_table_path(s, t));
        ev->proxy_ref[t] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_pop(L, 2);
    lua_createtable(L, (int)s->field_count + 1, 0);
    for (size_t i = 0; i < s->field_count; i++) {
        lua_pushstring(L, s->fields[i].key);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushliteral(L, SCHEMA_EPOCH_KEY);
    lua_rawseti(L, -2, (lua_Integer)s->field_count + 1);
    ev->keys_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    /* the tables of the root are always there, so `req.item.size` never indexes nil; deeper
     * ones are there when something in them is set */
    for (size_t t = 1; t < s->table_count; t++) {
        const schema_field *f = &s->fields[s->table_field[t]];
        if (f->depth != 1) continue;
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->real_ref[SCHEMA_ROOT]);
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[t]);
        lua_setfield(L, -2, f->key);
        lua_pop(L, 1);
    }
    for (size_t i = 0; i < s->field_count; i++) {
        ev->list_real_ref[i] = ev->list_proxy_ref[i] = LUA_NOREF;
        if (s->fields[i].type.kind != SCHEMA_STRINGS) continue;
        lua_rawgeti(L, LUA_REGISTRYINDEX, p->request_list);
        lua_call(L, 0, 2);
        ev->list_proxy_ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        ev->list_real_ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    /* tables made for unknown paths, by the decision that made them (weak: they come and go) */
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    ev->fresh_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

typedef struct build_job {
    evaluator *ev;
    custos_error *err;
    custos_status status;
} build_job;

/* Loads every article module and builds data and request tables; under lua_pcall. */
static int build_protected(lua_State *L) {
    build_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    const sandbox_prelude *p = sandbox_prelude_refs(ev->sb);
    if (library_loader_init(&ev->libs, &ev->b->libraries, &ev->b->library_count, &ev->b->mem,
                            ev->sb, false))
        return sandbox_raise_nomem(L);
    for (size_t i = 0; i < ev->b->article_count; i++) {
        const bundle_article *a = &ev->b->articles[i];
        const bundle_regime *r = &ev->b->regimes[a->regime];
        library_scope scope = {&ev->libs, r->lib_dir, r->shared_lib_dir};
        custos_status st = sandbox_load_module(
            ev->sb, a->chunkname, a->path, a->source, a->source_len, CUSTOS_LOAD_MEMORY_LIMIT,
            CUSTOS_LOAD_INSTRUCTION_LIMIT, library_prepare_env, &scope, job->err);
        if (st) {
            job->status = st;
            return 0;
        }
        /* an `applies` is its regime.lua's: the function is the regime's field */
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->applies ? p->is_regime : p->is_article);
        lua_pushvalue(L, -2);
        lua_call(L, 1, 1);
        bool ok = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_pushstring(L, a->applies ? "applies" : "rule");
        if (!ok || lua_rawget(L, -2) != LUA_TFUNCTION) {
            job->status = error_set(job->err, CUSTOS_E_POLICY, a->path, 0, 0,
                                    "the module changed between loads: it no longer "
                                    "returns %s %s",
                                    a->applies ? "the regime's" : "article", a->number);
            return 0;
        }
        ev->rule_refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1);
    }
    ev->libs.open = false; /* require is for loading only */
    /* filled now, so anchoring a code later replaces a value and never allocates */
    lua_Integer code_slots = (lua_Integer)ev->b->article_count * CODE_CACHE_WAYS;
    lua_createtable(L, (int)code_slots, 0);
    for (lua_Integer k = 1; k <= code_slots; k++) {
        lua_pushboolean(L, 0);
        lua_rawseti(L, -2, k);
    }
    ev->codes_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, 3, 0);
    for (custos_effect e = CUSTOS_NOT_APPLICABLE; e <= CUSTOS_DENY; e++) {
        ev->effect_names[e] = lua_pushstring(L, custos_effect_name(e));
        lua_rawseti(L, -2, (lua_Integer)e + 1);
    }
    ev->effects_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    build_data(L, ev);
    build_request_tables(L, ev);
    return 0;
}

custos_status evaluator_new(bundle *b, evaluator **out, custos_error *err) {
    *out = NULL;
    evaluator *ev = calloc(1, sizeof *ev);
    if (!ev) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    ev->b = bundle_ref_take(b);
    ev->schema = &b->schema;
    size_t tables = b->schema.table_count, fields = b->schema.field_count + 1;
    ev->rule_refs = calloc(b->article_count ? b->article_count : 1, sizeof *ev->rule_refs);
    ev->codes = calloc(b->article_count ? b->article_count : 1, sizeof *ev->codes);
    ev->real_ref = calloc(tables, sizeof *ev->real_ref);
    ev->proxy_ref = calloc(tables, sizeof *ev->proxy_ref);
    ev->table_used_by = calloc(tables, sizeof *ev->table_used_by);
    ev->table_shown = calloc(tables, sizeof *ev->table_shown);
    ev->list_real_ref = calloc(fields, sizeof *ev->list_real_ref);
    ev->list_proxy_ref = calloc(fields, sizeof *ev->list_proxy_ref);
    ev->list_len = calloc(fields, sizeof *ev->list_len);
    ev->written = calloc(fields, sizeof *ev->written);
    ev->now = calloc(fields, sizeof *ev->now);
    ev->written_by = calloc(fields, sizeof *ev->written_by);
    bool allocated = ev->rule_refs && ev->codes && ev->real_ref && ev->proxy_ref &&
                     ev->table_used_by && ev->table_shown && ev->list_real_ref &&
                     ev->list_proxy_ref && ev->list_len && ev->written && ev->now && ev->written_by;
    custos_status st = allocated ? sandbox_open(CUSTOS_STATE_MEMORY_CEILING, &ev->sb, err)
                                 : error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    if (!st) {
        ev->L = sandbox_state(ev->sb);
        build_job job = {ev, err, CUSTOS_OK};
        lua_pushcfunction(ev->L, build_protected);
        lua_pushlightuserdata(ev->L, &job);
        int rc = lua_pcall(ev->L, 1, 0, 0);
        if (rc != LUA_OK) {
            char msg[CUSTOS_MESSAGE_BUFFER];
            sandbox_pop_error_text(ev->L, msg, sizeof msg);
            st = error_set(err, sandbox_status_of(rc), NULL, 0, 0, "cannot build an evaluator: %s",
                           msg);
        } else {
            st = job.status;
        }
        st = sandbox_blame_memory(ev->sb, st, err);
    }
    if (st) {
        evaluator_free(ev);
        return st;
    }
    *out = ev;
    return CUSTOS_OK;
}

const bundle *evaluator_bundle(const evaluator *ev) { return ev->b; }

void evaluator_free(evaluator *ev) {
    if (!ev) return;
    sandbox_close(ev->sb);
    free(ev->rule_refs);
    free(ev->codes);
    free(ev->real_ref);
    free(ev->proxy_ref);
    free(ev->table_used_by);
    free(ev->table_shown);
    free(ev->list_real_ref);
    free(ev->list_proxy_ref);
    free(ev->list_len);
    free(ev->written);
    free(ev->now);
    free(ev->written_by);
    free(ev->extras);
    bundle_unref(ev->b);
    free(ev);
}

/* ---- filling the request ------------------------------------------------------------------ */

typedef struct fill_job {
    evaluator *ev;
    const custos_request *req;
} fill_job;

/* Pushes an unknown field's value; tables are frozen like data. */
static void push_extra(lua_State *L, evaluator *ev, const doc_node *n) {
    push_node(L, n);
    if (n->kind == DOC_SEQ || n->kind == DOC_MAP) freeze_top(L, sandbox_prelude_refs(ev->sb));
}

/* Notes that table t (and so every table holding it) has something set this decision. */
static void mark_used(evaluator *ev, size_t t) {
    while (t != SCHEMA_ROOT && ev->table_used_by[t] != ev->decision) {
        ev->table_used_by[t] = ev->decision;
        t = ev->schema->fields[ev->schema->table_field[t]].parent;
    }
}

/* Pushes field i's key (i == field_count: the epoch's) from the keys table fill_request put
 * after the request tables, which start at base. */
static void push_key(lua_State *L, const evaluator *ev, int base, size_t i) {
    lua_rawgeti(L, base + (int)ev->schema->table_count, (lua_Integer)i + 1);
}

/* Writes a declared field's value (checked by request_check) into its table at base+parent.
 * The real tables have no __newindex: a raw set is what lua_setfield would do. */
static void write_known(lua_State *L, evaluator *ev, int base, const schema_field *f,
                        const doc_node *v, int64_t epoch) {
    size_t i = schema_index(ev->schema, f);
    if (v->kind == DOC_NULL) return; /* `field: ~` means absent */
    int table = base + (int)f->parent;
    push_key(L, ev, base, i);
    switch (f->type.kind) {
    case SCHEMA_BOOLEAN: lua_pushboolean(L, v->u.b); break;
    case SCHEMA_INTEGER: lua_pushinteger(L, (lua_Integer)v->u.i); break;
    case SCHEMA_NUMBER:
        if (v->kind == DOC_INT)
            lua_pushinteger(L, (lua_Integer)v->u.i);
        else
            lua_pushnumber(L, (lua_Number)v->u.n);
        break;
    case SCHEMA_STRINGS: {
        size_t n = v->u.seq.count;
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->list_real_ref[i]);
        for (size_t k = 0; k < n; k++) {
            lua_pushlstring(L, v->u.seq.items[k]->u.str.s, v->u.seq.items[k]->u.str.len);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        for (size_t k = n; k < ev->list_len[i]; k++) {
            lua_pushnil(L);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        ev->list_len[i] = n;
        lua_pop(L, 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->list_proxy_ref[i]);
        break;
    }
    default: lua_pushlstring(L, v->u.str.s, v->u.str.len); break;
    }
    lua_rawset(L, table);
    if (i == ev->schema->time_field) {
        push_key(L, ev, base, ev->schema->field_count);
        lua_pushinteger(L, (lua_Integer)epoch);
        lua_rawset(L, table);
    }
    if (ev->written_by[i] != ev->decision) {
        ev->written_by[i] = ev->decision;
        ev->now[ev->now_count++] = i;
    }
    mark_used(ev, f->parent);
}

/* Removes a declared field the last decision wrote (and this one did not). */
static void clear_known(lua_State *L, evaluator *ev, int base, size_t i) {
    const schema_field *f = &ev->schema->fields[i];
    if (f->type.kind == SCHEMA_STRINGS) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->list_real_ref[i]);
        for (size_t k = 0; k < ev->list_len[i]; k++) {
            lua_pushnil(L);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        ev->list_len[i] = 0;
        lua_pop(L, 1);
    }
    push_key(L, ev, base, i);
    lua_pushnil(L);
    lua_rawset(L, base + (int)f->parent);
    if (i == ev->schema->time_field) {
        push_key(L, ev, base, ev->schema->field_count);
        lua_pushnil(L);
        lua_rawset(L, base + (int)f->parent);
    }
}

static void note_extra(lua_State *L, evaluator *ev, size_t table, const char *key, size_t len) {
    if (ev->extra_count == ev->extra_cap) {
        size_t cap = ev->extra_cap ? ev->extra_cap * 2 : 16;
        written_extra *grown = realloc(ev->extras, cap * sizeof *grown);
        if (!grown) sandbox_raise_nomem(L);
        ev->extras = grown;
        ev->extra_cap = cap;
    }
    ev->extras[ev->extra_count++] = (written_extra){table, key, len};
}

/* The table t[key] made by this decision for unknown paths (made now when absent); pushed. */
static void fresh_child(lua_State *L, evaluator *ev, int t, const char *key, size_t len) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->fresh_ref);
    int fresh = lua_gettop(L);
    lua_pushlstring(L, key, len);
    if (lua_rawget(L, t) == LUA_TTABLE) {
        lua_pushvalue(L, -1);
        if (lua_rawget(L, fresh) == LUA_TNUMBER && (uint64_t)lua_tointeger(L, -1) == ev->decision) {
            lua_pop(L, 1);
            lua_remove(L, fresh);
            return;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_pushinteger(L, (lua_Integer)ev->decision);
    lua_rawset(L, fresh);
    lua_pushlstring(L, key, len);
    lua_pushvalue(L, -2);
    lua_rawset(L, t);
    lua_remove(L, fresh);
}

/* Writes an unknown field: `rest` is its path under table t (a.b.c makes tables a and b). */
static void write_unknown(lua_State *L, evaluator *ev, int base, size_t t, const char *rest,
                          const doc_node *v) {
    luaL_checkstack(L, 8, "a field nested too deeply");
    const char *dot = strchr(rest, '.');
    note_extra(L, ev, t, rest, dot ? (size_t)(dot - rest) : strlen(rest));
    mark_used(ev, t);
    int top = lua_gettop(L), table = base + (int)t;
    for (; dot; rest = dot + 1, dot = strchr(rest, '.')) {
        fresh_child(L, ev, table, rest, (size_t)(dot - rest));
        if (table > top) lua_replace(L, table); /* the child takes its parent's slot: a path */
        table = top + 1;                        /* of any depth uses one slot of the stack */
    }
    push_extra(L, ev, v);
    lua_setfield(L, table, rest);
    lua_settop(L, top);
}

/* Writes a mapping given for a declared table: declared keys typed, the others as they came. */
static void write_map(lua_State *L, evaluator *ev, int base, size_t t, const doc_node *m) {
    for (size_t i = 0; i < m->u.map.count; i++) {
        const char *key = m->u.map.keys[i];
        const doc_node *v = m->u.map.values[i];
        const schema_field *f = schema_child(ev->schema, t, key, strlen(key));
        if (!f) {
            luaL_checkstack(L, 3, NULL);
            push_extra(L, ev, v);
            lua_setfield(L, base + (int)t, key);
            note_extra(L, ev, t, key, strlen(key));
            mark_used(ev, t);
        } else if (f->type.kind != SCHEMA_TABLE) {
            write_known(L, ev, base, f, v, 0);
        } else if (v->kind == DOC_MAP) {
            write_map(L, ev, base, f->table, v);
        }
    }
}

/* Writes every field of req (resolved and checked by request_check) into the request tables,
 * and clears what the last decision wrote and this one did not; under pcall. */
static int fill_request(lua_State *L) {
    fill_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    const custos_request *req = job->req;
    const schema *s = ev->schema;
    luaL_checkstack(L, (int)s->table_count + 9, "too many request tables");
    int base = lua_gettop(L) + 1;
    for (size_t t = 0; t < s->table_count; t++) lua_rawgeti(L, LUA_REGISTRYINDEX, ev->real_ref[t]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->keys_ref); /* at base + table_count: push_key */
    ev->decision++;
    ev->extra_count = 0;
    ev->now_count = 0;
    if (ev->fill_broken) { /* what the stopped fill wrote is not listed: clear everything */
        memset(ev->table_shown, TABLE_UNKNOWN, s->table_count);
        for (size_t i = 0; i < s->field_count; i++)
            if (s->fields[i].type.kind != SCHEMA_TABLE) clear_known(L, ev, base, i);
    }
    ev->fill_broken = true;
    bool nested = false;
    for (size_t i = 0; i < req->entry_count; i++) {
        const req_entry *e = &req->entries[i];
        const req_path *p = e->path;
        if (p->field == SIZE_MAX) {
            write_unknown(L, ev, base, p->table, p->text + p->rest, e->value);
            nested |= strchr(p->text + p->rest, '.') != NULL;
            continue;
        }
        const schema_field *f = &s->fields[p->field];
        if (f->type.kind != SCHEMA_TABLE)
            write_known(L, ev, base, f, e->value, e->epoch);
        else if (e->value->kind == DOC_MAP)
            write_map(L, ev, base, f->table, e->value);
    }
    for (size_t k = 0; k < ev->written_count; k++)
        if (ev->written_by[ev->written[k]] != ev->decision)
            clear_known(L, ev, base, ev->written[k]);
    size_t *last = ev->written;
    ev->written = ev->now;
    ev->written_count = ev->now_count;
    ev->now = last;
    /* tables below the root's are there only when something in them is set */
    for (size_t t = 1; t < s->table_count; t++) {
        const schema_field *f = &s->fields[s->table_field[t]];
        if (f->depth == 1) continue;
        unsigned char shown = ev->table_used_by[t] == ev->decision ? TABLE_PROXY : TABLE_NOTHING;
        if (ev->table_shown[t] == shown) continue;
        push_key(L, ev, base, s->table_field[t]);
        if (shown == TABLE_PROXY)
            lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[t]);
        else
            lua_pushnil(L);
        lua_rawset(L, base + (int)f->parent);
        ev->table_shown[t] = shown;
    }
    /* tables made for unknown paths are frozen like every other table policies see */
    for (size_t i = 0; nested && i < ev->extra_count; i++) {
        const written_extra *x = &ev->extras[i];
        int table = base + (int)x->table;
        lua_pushlstring(L, x->key, x->len);
        if (lua_rawget(L, table) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->fresh_ref);
        lua_pushvalue(L, -2);
        bool fresh =
            lua_rawget(L, -2) == LUA_TNUMBER && (uint64_t)lua_tointeger(L, -1) == ev->decision;
        lua_pop(L, 2);
        if (!fresh) {
            lua_pop(L, 1);
            continue;
        }
        freeze_top(L, sandbox_prelude_refs(ev->sb));
        lua_pushlstring(L, x->key, x->len);
        lua_insert(L, -2);
        lua_rawset(L, table);
    }
    ev->fill_broken = false;
    return 0;
}

/* Removes the unknown fields this decision wrote from the request tables; under pcall. */
static int clear_extras(lua_State *L) {
    fill_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    for (size_t i = 0; i < ev->extra_count; i++) {
        const written_extra *x = &ev->extras[i];
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->real_ref[x->table]);
        lua_pushlstring(L, x->key, x->len);
        lua_pushnil(L);
        lua_rawset(L, -3);
        lua_pop(L, 1);
    }
    ev->extra_count = 0;
    return 0;
}

/* ---- running one article ------------------------------------------------------------------ */

typedef struct article_job {
    evaluator *ev;
    custos_decision *d;
    size_t article;
} article_job;

/* Raises an error naming the rule's file and line: the verdict it returned is malformed. */
static int bad_verdict(lua_State *L, const bundle_article *a, const char *what) {
    if (a->applies) /* the message says what it returned: "applies returned ..." */
        return luaL_error(L, "%s:%d: the regime's %s", a->path, a->rule_line, what);
    return luaL_error(L, "%s:%d: the rule of article %s %s", a->path, a->rule_line, a->number,
                      what);
}

/* Converts a param value to text: strings, numbers, booleans, or lists of those. */
static const char *param_text(lua_State *L, int index, size_t *len) {
    switch (lua_type(L, index)) {
    case LUA_TSTRING: return lua_tolstring(L, index, len);
    case LUA_TNUMBER:
        lua_pushvalue(L, index);
        lua_replace(L, index); /* lua_tolstring converts in place: work on our copy */
        return lua_tolstring(L, index, len);
    case LUA_TBOOLEAN:
        *len = lua_toboolean(L, index) ? 4 : 5;
        return lua_toboolean(L, index) ? "true" : "false";
    default: return NULL;
    }
}

static int compare_params(const void *a, const void *b) {
    return strcmp(((const decision_param *)a)->key, ((const decision_param *)b)->key);
}

/* Whether key a sorts after key b (strcmp's order; most keys differ in their first byte). */
static bool key_after(const char *a, const char *b) {
    unsigned char x = (unsigned char)a[0], y = (unsigned char)b[0];
    return x != y ? x > y : strcmp(a, b) > 0;
}

/* Sorts params by key: Lua's table order varies from run to run, output should not.  Keys
 * are distinct and free of NUL bytes (copy_params), so the order is total.  The few params of
 * most verdicts are sorted in place; more (up to CUSTOS_MAX_PARAMS) by qsort. */
static void sort_params(decision_param *params, size_t count) {
    if (count > 8) {
        qsort(params, count, sizeof *params, compare_params);
        return;
    }
    for (size_t i = 1; i < count; i++)
        for (size_t k = i; k > 0 && key_after(params[k - 1].key, params[k].key); k--) {
            decision_param t = params[k];
            params[k] = params[k - 1];
            params[k - 1] = t;
        }
}

/* Replaces the table at `index` by the table it reads from when it is a frozen proxy (a module's
 * tables are frozen once it loads, so a rule may return one as its params or obligations): the
 * engine reads verdicts raw, and a proxy is empty.  The real table never reaches policy code. */
static void unwrap_frozen(lua_State *L, int index) {
    if (lua_type(L, index) != LUA_TTABLE || !lua_getmetatable(L, index)) return;
    lua_pushliteral(L, "__metatable");
    bool frozen = lua_rawget(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "frozen") == 0;
    lua_pop(L, 1);
    lua_pushliteral(L, "__index");
    if (frozen && lua_rawget(L, -2) == LUA_TTABLE) {
        lua_replace(L, index);
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 2);
}

/* Bytewise order of two Lua strings. */
static bool key_before(const char *a, size_t alen, const char *b, size_t blen) {
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c < 0 || (c == 0 && alen < blen);
}

/* Copies a table of params (string keys, scalar values) into the decision, sorted by key.  The
 * caps of decision_limits.h bound the work; when several params are wrong, the one with the
 * smallest key is named, so the error does not depend on the table's order. */
static void copy_params(lua_State *L, int t, custos_decision *d, decision_param **params,
                        size_t *count, const bundle_article *a, const char *what,
                        size_t *bytes_left, size_t *longest) {
    char why[CUSTOS_MESSAGE_BUFFER];
    const char *bad = NULL; /* the smallest key that is wrong (the table anchors it) */
    size_t bad_len = 0, entries = 0, named = 0;
    /* gathered here, kept in the decision as one array once the table has been read */
    decision_param gathered[CUSTOS_MAX_PARAMS];
    size_t kept = 0;
    unwrap_frozen(L, t);
    int value_at = lua_gettop(L) + 2; /* lua_next leaves each key and value there */
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (++entries > CUSTOS_MAX_PARAM_ENTRIES) {
            snprintf(why, sizeof why, "returned a table of %ss with more than %d entries", what,
                     CUSTOS_MAX_PARAM_ENTRIES);
            bad_verdict(L, a, why);
        }
        size_t klen, vlen;
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            continue; /* list items of an obligation entry are not params */
        }
        named++;
        const char *key = lua_tolstring(L, -2, &klen);
        const char *value = param_text(L, value_at, &vlen);
        bool wrong = !value || klen > CUSTOS_MAX_PARAM_KEY || memchr(key, '\0', klen) ||
                     vlen > CUSTOS_MAX_PARAM_VALUE;
        if (wrong && (!bad || key_before(key, klen, bad, bad_len))) {
            bad = key;
            bad_len = klen;
            int shown = utf8_precision(key, 60);
            if (klen > CUSTOS_MAX_PARAM_KEY || memchr(key, '\0', klen))
                snprintf(why, sizeof why,
                         "returned the %s '%.*s' whose name is %zu bytes or holds a NUL byte; at "
                         "most %d bytes of text are allowed",
                         what, shown, key, klen, CUSTOS_MAX_PARAM_KEY);
            else if (!value)
                snprintf(why, sizeof why,
                         "returned the %s '%.*s' as a %s; expected a string, number or boolean",
                         what, shown, key, luaL_typename(L, -1));
            else
                snprintf(why, sizeof why,
                         "returned the %s '%.*s' of %zu bytes; at most %d bytes are allowed", what,
                         shown, key, vlen, CUSTOS_MAX_PARAM_VALUE);
        }
        if (!wrong && klen + vlen > *bytes_left) {
            snprintf(why, sizeof why,
                     "returned params and obligations of more than %d bytes in all",
                     CUSTOS_MAX_VERDICT_BYTES);
            bad_verdict(L, a, why);
        }
        if (!wrong && named <= CUSTOS_MAX_PARAMS) {
            *bytes_left -= klen + vlen;
            if (vlen > *longest) *longest = vlen;
            if (!decision_copy_param(d, &gathered[kept++], key, klen, value, vlen))
                sandbox_raise_nomem(L);
        }
        lua_pop(L, 1);
    }
    if (named > CUSTOS_MAX_PARAMS) {
        snprintf(why, sizeof why, "returned %zu %ss; at most %d are allowed", named, what,
                 CUSTOS_MAX_PARAMS);
        bad_verdict(L, a, why);
    }
    if (bad) bad_verdict(L, a, why);
    sort_params(gathered, kept);
    if (kept && !(*params = decision_keep_params(d, gathered, kept))) sandbox_raise_nomem(L);
    *count = kept;
}

/* The message of the article's messages that the code at `index` (code, len bytes) names, or
 * SIZE_MAX; through the article's code cache. */
static size_t find_message(lua_State *L, const article_job *job, int index, const char *code,
                           size_t len) {
    code_cache *c = &job->ev->codes[job->article];
    for (size_t k = 0; k < CODE_CACHE_WAYS; k++)
        if (c->code[k] == code) return c->message[k];
    size_t message = bundle_find_message(&job->ev->b->articles[job->article], code, len);
    if (message == SIZE_MAX || !lua_checkstack(L, 2)) return message;
    size_t way = c->next++ % CODE_CACHE_WAYS;
    lua_rawgeti(L, LUA_REGISTRYINDEX, job->ev->codes_ref);
    lua_pushvalue(L, index);
    lua_rawseti(L, -2, (lua_Integer)(job->article * CODE_CACHE_WAYS + way) + 1);
    lua_pop(L, 1);
    c->code[way] = code;
    c->message[way] = message;
    return message;
}

/* The effect a verdict named (by its address when it is one of ev's effect names, else by its
 * text), or false when it names none. */
static bool effect_named(const evaluator *ev, const char *name, custos_effect *effect) {
    for (custos_effect e = CUSTOS_NOT_APPLICABLE; e <= CUSTOS_DENY; e++)
        if (name == ev->effect_names[e]) {
            *effect = e;
            return true;
        }
    for (custos_effect e = CUSTOS_NOT_APPLICABLE; e <= CUSTOS_DENY; e++)
        if (strcmp(name, ev->effect_names[e]) == 0) { /* "deny\0..." is deny, as it was */
            *effect = e;
            return true;
        }
    return false;
}

/* Checks what a rule returned (effect, code, params, obligations at stack 2..top) and copies
 * it into the decision. */
static void record_verdict(lua_State *L, article_job *job, int first, int nresults) {
    const bundle_article *a = &job->ev->b->articles[job->article];
    custos_decision *d = job->d;
    if (nresults < 1 || lua_type(L, first) != LUA_TSTRING)
        bad_verdict(L, a,
                    nresults < 1 ? "returned nothing; expected permit(...), deny(...) or "
                                   "not_applicable(...)"
                                 : "returned something other than permit(...), deny(...) "
                                   "or not_applicable(...)");
    if (nresults > 4)
        bad_verdict(L, a, "returned more than a verdict (effect, code, params, obligations)");
    const char *effect_name = lua_tostring(L, first);
    custos_effect effect;
    if (!effect_named(job->ev, effect_name, &effect)) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        snprintf(msg, sizeof msg,
                 "returned the effect \"%.*s\"; expected permit, deny or not_applicable",
                 utf8_precision(effect_name, 40), effect_name);
        bad_verdict(L, a, msg);
        return;
    }
    size_t message = SIZE_MAX;
    int code_type = nresults >= 2 ? lua_type(L, first + 1) : LUA_TNIL;
    if (code_type == LUA_TSTRING) {
        size_t len;
        const char *code = lua_tolstring(L, first + 1, &len);
        message = find_message(L, job, first + 1, code, len);
        if (message == SIZE_MAX) {
            char msg[CUSTOS_MESSAGE_BUFFER];
            snprintf(msg, sizeof msg,
                     "returned the message code \"%.*s\", which its messages do not declare",
                     utf8_precision(code, 60), code);
            bad_verdict(L, a, msg);
        }
    } else if (code_type != LUA_TNIL || effect != CUSTOS_NOT_APPLICABLE) {
        bad_verdict(L, a,
                    "returned a verdict without a message code: write permit(\"code\"), "
                    "deny(\"code\") with a code declared in messages");
    }
    decision_verdict *v = decision_add_verdict(d, job->article, effect);
    if (!v) sandbox_raise_nomem(L);
    v->message = message;
    size_t bytes_left = CUSTOS_MAX_VERDICT_BYTES, longest = 0;
    if (nresults >= 3 && lua_type(L, first + 2) == LUA_TTABLE)
        copy_params(L, first + 2, d, &v->params, &v->param_count, a, "param", &bytes_left,
                    &longest);
    else if (nresults >= 3 && !lua_isnil(L, first + 2))
        bad_verdict(L, a, "returned params that are not a table");
    if (!decision_message_fits(d, v, CUSTOS_MAX_MESSAGE, longest)) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        snprintf(msg, sizeof msg,
                 "returned params that make its message longer than %d bytes once expanded",
                 CUSTOS_MAX_MESSAGE);
        bad_verdict(L, a, msg);
    }
    if (nresults < 4 || lua_isnil(L, first + 3)) return;
    if (lua_type(L, first + 3) != LUA_TTABLE)
        bad_verdict(L, a, "returned obligations that are not a list");
    unwrap_frozen(L, first + 3);
    lua_Integer n = (lua_Integer)lua_rawlen(L, first + 3);
    if (n > CUSTOS_MAX_OBLIGATIONS) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        snprintf(msg, sizeof msg, "returned %lld obligations; at most %d are allowed", (long long)n,
                 CUSTOS_MAX_OBLIGATIONS);
        bad_verdict(L, a, msg);
    }
    for (lua_Integer i = 1; i <= n; i++) {
        int type = lua_rawgeti(L, first + 3, i);
        int item = lua_gettop(L);
        unwrap_frozen(L, item);
        size_t len = 0;
        const char *id = NULL;
        if (type == LUA_TSTRING) {
            id = lua_tolstring(L, item, &len);
        } else if (type == LUA_TTABLE) {
            lua_pushstring(L, "id");
            if (lua_rawget(L, item) == LUA_TSTRING) id = lua_tolstring(L, -1, &len);
            lua_pop(L, 1); /* id stays alive: the table still holds it */
        }
        if (!id)
            bad_verdict(L, a, "returned an obligation that is neither an id nor {id = ..., ...}");
        if (len > CUSTOS_MAX_OBLIGATION_ID) {
            char msg[CUSTOS_MESSAGE_BUFFER];
            snprintf(msg, sizeof msg,
                     "returned an obligation id of %zu bytes; at most %d are allowed", len,
                     CUSTOS_MAX_OBLIGATION_ID);
            bad_verdict(L, a, msg);
        }
        if (len > bytes_left) {
            char msg[CUSTOS_MESSAGE_BUFFER];
            snprintf(msg, sizeof msg,
                     "returned params and obligations of more than %d bytes in all",
                     CUSTOS_MAX_VERDICT_BYTES);
            bad_verdict(L, a, msg);
        }
        bytes_left -= len;
        decision_obligation *o = decision_add_obligation(d, job->article, id, len);
        if (!o) sandbox_raise_nomem(L);
        o->effect = effect;
        if (type == LUA_TTABLE) {
            copy_params(L, item, d, &o->params, &o->param_count, a, "obligation param", &bytes_left,
                        &longest);
            /* the id itself is not a param */
            size_t kept = 0;
            for (size_t k = 0; k < o->param_count; k++)
                if (strcmp(o->params[k].key, "id") != 0) o->params[kept++] = o->params[k];
            o->param_count = kept;
        }
        lua_pop(L, 1);
    }
}

/* One decision's walk over the regimes and their articles, run under as few protected calls as
 * possible: one when no article fails.  The cursor says where the walk stands, so that after an
 * article's error (caught by lua_pcall, outside) the walk resumes with the next article. */
typedef struct decide_job {
    evaluator *ev;
    custos_decision *d;
    int64_t now;
    size_t regime;        /* the regime being walked */
    size_t next;          /* its next article to run; SIZE_MAX: the walk has not entered it */
    size_t running;       /* the article (or `applies`) running now, for its error */
    decision_mark before; /* the decision before it, to roll back a rejected verdict */
} decide_job;

/* Calls article i's function (a rule, or a regime's `applies`) with (req, data); leaves its
 * results on the stack from `first`, returns how many. */
static int call_rule(lua_State *L, evaluator *ev, size_t i, int first) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->rule_refs[i]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[SCHEMA_ROOT]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->data_ref);
    lua_call(L, 2, LUA_MULTRET);
    return lua_gettop(L) - first + 1;
}

/* What a regime's `applies` returned: nothing or true, the regime applies (false); or
 * not_applicable(code, params): it does not (the verdict is recorded, so the trace names the
 * code and message; true); anything else is an error. */
static bool regime_skipped(lua_State *L, article_job *job, int first, int n) {
    const bundle_article *a = &job->ev->b->articles[job->article];
    if (n == 0 || (n == 1 && (lua_isnil(L, first) ||
                              (lua_type(L, first) == LUA_TBOOLEAN && lua_toboolean(L, first)))))
        return false;
    const char *effect = lua_type(L, first) == LUA_TSTRING ? lua_tostring(L, first) : "";
    if (strcmp(effect, "not_applicable") != 0 || n < 2 || lua_type(L, first + 1) != LUA_TSTRING)
        bad_verdict(L, a,
                    "applies returned something other than nothing, true or "
                    "not_applicable(code, params) with a code declared in messages");
    record_verdict(L, job, first, n);
    return true;
}

/* Whether regime r binds at the decision's time; records it in the decision (once: as the walk
 * enters the regime). */
static bool regime_binds(decide_job *job, size_t r) {
    const bundle_regime *regime = &job->ev->b->regimes[r];
    if (regime->mode == CUSTOS_REGIME_SKIPPED) return false;
    /* an unknown window is not in force: a regime never binds by a force it may not have */
    bool in_force = regime->window_known && job->now >= regime->in_force_from &&
                    job->now <= regime->in_force_until;
    decision_add_regime(job->d, r, in_force, regime->window_known,
                        regime->mode == CUSTOS_REGIME_ADOPTED);
    return regime->mode == CUSTOS_REGIME_ADOPTED || in_force;
}

/* Walks the regimes from the job's cursor to the end; under lua_pcall. */
static int run_articles(lua_State *L) {
    decide_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    const bundle *b = ev->b;
    int first = lua_gettop(L) + 1;
    for (; job->regime < b->regime_count; job->regime++, job->next = SIZE_MAX) {
        const bundle_regime *regime = &b->regimes[job->regime];
        if (job->next == SIZE_MAX) { /* entering the regime */
            if (!regime_binds(job, job->regime)) continue;
            job->next = regime->first_article;
            if (regime->applies != SIZE_MAX) { /* the regime's own applicability, once */
                size_t i = regime->applies;
                article_job aj = {ev, job->d, i};
                job->running = i;
                job->before = decision_mark_now(job->d);
                sandbox_meter(ev->sb, b->articles[i].has_loops, b->articles[i].call_cost);
                bool skipped = regime_skipped(L, &aj, first, call_rule(L, ev, i, first));
                lua_settop(L, first - 1);
                if (skipped) {
                    decision_regime_not_applying(job->d);
                    continue;
                }
            }
        }
        size_t end = regime->first_article + regime->article_count;
        for (; job->next < end; job->next++) {
            size_t i = job->next;
            article_job aj = {ev, job->d, i};
            job->running = i;
            job->before = decision_mark_now(job->d);
            sandbox_meter(ev->sb, b->articles[i].has_loops, b->articles[i].call_cost);
            record_verdict(L, &aj, first, call_rule(L, ev, i, first));
            lua_settop(L, first - 1);
        }
    }
    return 0;
}

/* Records a failed article: the Lua message, with the module's chunk name made its path. */
static void record_failure(evaluator *ev, custos_decision *d, size_t article, const char *message) {
    const bundle_article *a = &ev->b->articles[article];
    char text[CUSTOS_MESSAGE_BUFFER];
    size_t n = strlen(a->chunkname);
    if (strncmp(message, a->chunkname, n) == 0 && message[n] == ':')
        snprintf(text, sizeof text, "%s%s", a->path, message + n);
    else
        snprintf(text, sizeof text, "%s", message);
    decision_add_error(d, article, text);
}

/* Coverage: which article a line event belongs to, by its chunk's source ("@gz-2012/..."). */
typedef struct line_job {
    evaluator *ev;
    custos_decision *d;
    const char *last_source; /* the chunk name string is stable: cache the last match */
    size_t last_article;
} line_job;

static void record_line(void *ud, lua_State *L, lua_Debug *ar) {
    line_job *job = ud;
    if (!lua_getinfo(L, "S", ar) || ar->source[0] != '@') return;
    if (ar->source != job->last_source) {
        /* articles first; a library's lines are numbered after them (see decision_line) */
        const bundle *b = job->ev->b;
        job->last_article = SIZE_MAX;
        for (size_t i = 0; i < b->article_count; i++)
            if (strcmp(ar->source + 1, b->articles[i].chunkname) == 0) job->last_article = i;
        for (size_t i = 0; i < b->library_count && job->last_article == SIZE_MAX; i++)
            if (strcmp(ar->source + 1, b->libraries[i].chunkname) == 0)
                job->last_article = b->article_count + i;
        job->last_source = ar->source;
    }
    if (job->last_article != SIZE_MAX && ar->currentline > 0)
        decision_add_line(job->d, job->last_article, (unsigned)ar->currentline);
}

/* Runs a protected C function with a job; returns its Lua status, message in buf. */
static int call_protected(lua_State *L, lua_CFunction fn, void *job, char *buf, size_t size) {
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, job);
    int rc = lua_pcall(L, 1, 0, 0);
    if (rc != LUA_OK) sandbox_pop_error_text(L, buf, size);
    return rc;
}

/* A step of a decision, protected: its message is the limit's when one was hit, "out of memory"
 * when memory ran out in the state (whatever Lua or the step said, the host learns what
 * happened), else the error's. */
static int decision_step(evaluator *ev, lua_CFunction fn, void *job, char *buf, size_t size) {
    int rc = call_protected(ev->L, fn, job, buf, size);
    if (rc == LUA_OK) return rc;
    sandbox_limit hit = sandbox_limit_hit(ev->sb);
    if (hit != SANDBOX_LIMIT_NONE)
        sandbox_limit_message(ev->sb, hit, buf, size);
    else if (sandbox_allocation_failed(ev->sb))
        snprintf(buf, size, "out of memory");
    return rc;
}

custos_status evaluator_decide(evaluator *ev, const custos_request *req, unsigned flags,
                               custos_decision *d, custos_error *err) {
    lua_State *L = ev->L;
    bundle *b = ev->b;
    decision_reset(d, b, (flags & CUSTOS_DECIDE_EXPLAIN) != 0);
    int64_t now = 0;
    custos_status checked = request_check(req, ev->schema, b->id, &now, err);
    if (checked) return checked;
    char msg[CUSTOS_MESSAGE_BUFFER];
    fill_job fill = {ev, req};
    line_job lines = {ev, d, NULL, SIZE_MAX};
    if (flags & CUSTOS_DECIDE_COVERAGE) sandbox_set_line_hook(ev->sb, record_line, &lines);
    sandbox_arm(ev->sb, b->memory_limit, b->instruction_limit);
    bool stopped = decision_step(ev, fill_request, &fill, msg, sizeof msg) != LUA_OK;
    if (stopped) decision_add_error(d, SIZE_MAX, msg);
    decide_job job = {ev, d, now, 0, SIZE_MAX, SIZE_MAX, {0, 0}};
    while (!stopped && decision_step(ev, run_articles, &job, msg, sizeof msg) != LUA_OK) {
        decision_rollback(d, job.before); /* a rejected verdict leaves only its error */
        /* the budget is the decision's: after a limit, later articles get none */
        stopped = sandbox_limit_hit(ev->sb) != SANDBOX_LIMIT_NONE;
        record_failure(ev, d, job.running, msg); /* fails closed: the error denies */
        /* resume after what failed; a failed `applies` skips its regime's articles */
        if (job.running == b->regimes[job.regime].applies) {
            job.regime++;
            job.next = SIZE_MAX;
        } else {
            job.next++;
        }
    }
    sandbox_disarm(ev->sb);
    if (flags & CUSTOS_DECIDE_COVERAGE) sandbox_set_line_hook(ev->sb, NULL, NULL);
    /* after disarming, a limit the decision hit is not this step's: only memory is blamed */
    if (ev->extra_count && call_protected(L, clear_extras, &fill, msg, sizeof msg) != LUA_OK) {
        if (sandbox_allocation_failed(ev->sb)) snprintf(msg, sizeof msg, "out of memory");
        decision_add_error(d, SIZE_MAX, msg);
    }
    lua_settop(L, 0);
    data_view_forget(L, &ev->view); /* a thread's memory does not grow with what it read */
    custos_status st = decision_finish(d);
    if (st) return error_set(err, st, NULL, 0, 0, "out of memory recording the decision");
    decision_keep_winning_obligations(d);
    return CUSTOS_OK;
}

/* ---- evaluating code for the REPL ---------------------------------------------------------- */

typedef struct eval_job {
    evaluator *ev;
    const custos_request *req;
    const char *code;
    char *text; /* malloc'd result */
    custos_error *err;
    custos_status status;
} eval_job;

/* Compiles the code as an expression ("return <code>") or else as statements. */
static bool compile_eval(lua_State *L, const char *code, char *msg, size_t size) {
    size_t n = strlen(code);
    luaL_Buffer buf;
    luaL_buffinit(L, &buf);
    luaL_addstring(&buf, "return ");
    luaL_addlstring(&buf, code, n);
    luaL_pushresult(&buf);
    size_t len;
    const char *wrapped = lua_tolstring(L, -1, &len);
    int rc = luaL_loadbufferx(L, wrapped, len, "=eval", "t");
    lua_remove(L, -2);
    if (rc == LUA_OK) return true;
    if (rc == LUA_ERRMEM) sandbox_raise_nomem(L); /* not a syntax error */
    lua_pop(L, 1);
    rc = luaL_loadbufferx(L, code, n, "=eval", "t");
    if (rc == LUA_OK) return true;
    if (rc == LUA_ERRMEM) sandbox_raise_nomem(L);
    sandbox_pop_error_text(L, msg, size);
    return false;
}

/* The body of evaluator_eval, under lua_pcall. */
static int eval_protected(lua_State *L) {
    eval_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    const sandbox_prelude *p = sandbox_prelude_refs(ev->sb);
    char msg[CUSTOS_MESSAGE_BUFFER];
    if (!compile_eval(L, job->code, msg, sizeof msg)) {
        job->status = error_set(job->err, CUSTOS_E_INPUT, NULL, 0, 0, "%s", msg);
        return 0;
    }
    int chunk = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->module_env);
    lua_call(L, 0, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->data_ref);
    lua_setfield(L, -2, "data");
    if (job->req) {
        fill_job fill = {ev, job->req};
        lua_pushcfunction(L, fill_request);
        lua_pushlightuserdata(L, &fill);
        lua_call(L, 1, 0);
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[SCHEMA_ROOT]);
        lua_setfield(L, -2, "req");
    }
    lua_setupvalue(L, chunk, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->show);
    lua_insert(L, chunk);
    sandbox_arm(ev->sb, ev->b->memory_limit, ev->b->instruction_limit);
    int rc = lua_pcall(L, 0, LUA_MULTRET, 0);
    sandbox_limit hit = sandbox_disarm(ev->sb);
    if (rc != LUA_OK) {
        if (hit != SANDBOX_LIMIT_NONE)
            sandbox_limit_message(ev->sb, hit, msg, sizeof msg);
        else
            sandbox_pop_error_text(L, msg, sizeof msg);
        job->status = error_set(job->err, CUSTOS_E_POLICY, NULL, 0, 0, "%s", msg);
        if (hit == SANDBOX_LIMIT_NONE)
            job->status = sandbox_blame_memory(ev->sb, job->status, job->err);
    } else {
        lua_call(L, lua_gettop(L) - chunk, 1); /* show(...) */
        size_t len;
        const char *text = lua_tolstring(L, -1, &len);
        job->text = malloc(len + 1);
        if (!job->text) return sandbox_raise_nomem(L);
        memcpy(job->text, text, len + 1);
    }
    if (job->req && ev->extra_count) {
        fill_job fill = {ev, job->req};
        lua_pushcfunction(L, clear_extras);
        lua_pushlightuserdata(L, &fill);
        lua_call(L, 1, 0);
    }
    return 0;
}

custos_status evaluator_eval(evaluator *ev, const custos_request *req, const char *code, char **out,
                             custos_error *err) {
    if (req) {
        custos_status st = request_check(req, ev->schema, ev->b->id, NULL, err);
        if (st) return st;
    }
    eval_job job = {ev, req, code, NULL, err, CUSTOS_OK};
    char msg[CUSTOS_MESSAGE_BUFFER];
    int rc = call_protected(ev->L, eval_protected, &job, msg, sizeof msg);
    lua_settop(ev->L, 0);
    data_view_forget(ev->L, &ev->view);
    if (rc != LUA_OK) {
        free(job.text);
        error_set(err, sandbox_status_of(rc), NULL, 0, 0, "%s", msg);
        return sandbox_blame_memory(ev->sb, sandbox_status_of(rc), err);
    }
    if (job.status != CUSTOS_OK) {
        free(job.text);
        return job.status;
    }
    *out = job.text;
    return CUSTOS_OK;
}
