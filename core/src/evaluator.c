/* evaluator.c — see evaluator.h. */
#include "evaluator.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decision.h"
#include "library.h"
#include "request.h"
#include "sandbox.h"

struct evaluator {
    bundle *b;
    sandbox *sb;
    lua_State *L;
    int *rule_refs;                  /* one per bundle article */
    int data_ref;                    /* the frozen data */
    int real_ref[REQ_T_COUNT];       /* request tables the engine fills */
    int proxy_ref[REQ_T_COUNT];      /* what policies see */
    int list_real_ref[REQ_MAX_FIELDS], list_proxy_ref[REQ_MAX_FIELDS];
    size_t list_len[REQ_MAX_FIELDS]; /* items left in each list table by the last decision */
    library_loader libs;             /* `require` while the modules load */
    bool was_set[REQ_MAX_FIELDS];    /* fields the last decision wrote: they must be cleared */
    size_t time_index;               /* context.time's slot, found once */
};

/* ---- building ----------------------------------------------------------------------------- */

/* Pushes a document node as plain Lua values (tables are frozen later, as a whole). */
static void push_node(lua_State *L, const doc_node *n) {
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

/* Merges every data document, section by section, into one frozen table. */
static void build_data(lua_State *L, evaluator *ev) {
    lua_newtable(L);
    int data = lua_gettop(L);
    for (size_t i = 0; i < ev->b->data_count; i++) {
        const doc_node *root = doc_root(ev->b->data[i]);
        if (root->kind != DOC_MAP) continue;
        for (size_t s = 0; s < root->u.map.count; s++) {
            const doc_node *section = root->u.map.values[s];
            if (lua_getfield(L, data, root->u.map.keys[s]) == LUA_TTABLE && section->kind == DOC_MAP) {
                for (size_t r = 0; r < section->u.map.count; r++) { /* ids are unique (checked) */
                    push_node(L, section->u.map.values[r]);
                    lua_setfield(L, -2, section->u.map.keys[r]);
                }
                lua_pop(L, 1);
            } else {
                lua_pop(L, 1);
                push_node(L, section);
                lua_setfield(L, data, root->u.map.keys[s]);
            }
        }
    }
    freeze_top(L, sandbox_prelude_refs(ev->sb));
    ev->data_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Makes the strict request tables: the prelude gets each table's known field names. */
static void build_request_tables(lua_State *L, evaluator *ev) {
    const sandbox_prelude *p = sandbox_prelude_refs(ev->sb);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->request_tables);
    lua_createtable(L, 0, REQ_T_COUNT);
    for (int t = 0; t < REQ_T_COUNT; t++) {
        lua_newtable(L);
        for (size_t i = 0; i < req_field_count; i++) {
            if (req_fields[i].parent != (req_table)t) continue;
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, req_fields[i].key);
        }
        if (t == REQ_T_CONTEXT) {
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, REQ_EPOCH_KEY);
        }
        lua_setfield(L, -2, req_table_path((req_table)t));
    }
    lua_call(L, 1, 2); /* reals, proxies */
    for (int t = 0; t < REQ_T_COUNT; t++) {
        lua_getfield(L, -2, req_table_path((req_table)t));
        ev->real_ref[t] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_getfield(L, -1, req_table_path((req_table)t));
        ev->proxy_ref[t] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_pop(L, 2);
    /* subject, resource and context are always there, so `req.subject.id` never indexes nil */
    static const req_table always[] = {REQ_T_SUBJECT, REQ_T_RESOURCE, REQ_T_CONTEXT};
    for (size_t i = 0; i < 3; i++) {
        const req_field *f = req_table_field(always[i]);
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->real_ref[f->parent]);
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[f->self]);
        lua_setfield(L, -2, f->key);
        lua_pop(L, 1);
    }
    for (size_t i = 0; i < req_field_count; i++) {
        ev->list_real_ref[i] = ev->list_proxy_ref[i] = LUA_NOREF;
        if (req_fields[i].kind != REQ_LIST) continue;
        lua_rawgeti(L, LUA_REGISTRYINDEX, p->request_list);
        lua_call(L, 0, 2);
        ev->list_proxy_ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        ev->list_real_ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
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
    if (library_loader_init(&ev->libs, ev->b, ev->sb, false)) return luaL_error(L, "out of memory");
    for (size_t i = 0; i < ev->b->article_count; i++) {
        const bundle_article *a = &ev->b->articles[i];
        library_scope scope = {&ev->libs, a->regime};
        custos_status st = sandbox_load_module(ev->sb, a->chunkname, a->path, a->source,
                                               a->source_len, CUSTOS_LOAD_MEMORY_LIMIT,
                                               CUSTOS_LOAD_INSTRUCTION_LIMIT, library_prepare_env,
                                               &scope, job->err);
        if (st) {
            job->status = st;
            return 0;
        }
        lua_rawgeti(L, LUA_REGISTRYINDEX, p->is_article);
        lua_pushvalue(L, -2);
        lua_call(L, 1, 1);
        bool ok = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_pushstring(L, "rule");
        if (!ok || lua_rawget(L, -2) != LUA_TFUNCTION) {
            job->status = error_set(job->err, CUSTOS_E_POLICY, a->path, 0, 0,
                                           "the module changed between loads: it no longer "
                                           "returns article %s", a->number);
            return 0;
        }
        ev->rule_refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1);
    }
    ev->libs.open = false; /* require is for loading only */
    build_data(L, ev);
    build_request_tables(L, ev);
    return 0;
}

custos_status evaluator_new(bundle *b, evaluator **out, custos_error *err) {
    *out = NULL;
    evaluator *ev = calloc(1, sizeof *ev);
    if (!ev) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    ev->b = bundle_ref_take(b);
    ev->time_index = req_field_index(req_field_find("context.time", strlen("context.time")));
    ev->rule_refs = calloc(b->article_count ? b->article_count : 1, sizeof *ev->rule_refs);
    custos_status st = ev->rule_refs ? sandbox_open(CUSTOS_STATE_MEMORY_CEILING, &ev->sb, err)
                                     : error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    if (!st) {
        ev->L = sandbox_state(ev->sb);
        build_job job = {ev, err, CUSTOS_OK};
        lua_pushcfunction(ev->L, build_protected);
        lua_pushlightuserdata(ev->L, &job);
        if (lua_pcall(ev->L, 1, 0, 0) != LUA_OK) {
            char msg[512];
            sandbox_pop_error_text(ev->L, msg, sizeof msg);
            st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0,
                                  "cannot build an evaluator: %s", msg);
        } else {
            st = job.status;
        }
    }
    if (st) {
        evaluator_free(ev);
        return st;
    }
    *out = ev;
    return CUSTOS_OK;
}

void evaluator_free(evaluator *ev) {
    if (!ev) return;
    sandbox_close(ev->sb);
    free(ev->rule_refs);
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

/* Writes every field of req into the request tables (absent fields as nil); under pcall. */
static int fill_request(lua_State *L) {
    fill_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    const custos_request *req = job->req;
    int base = lua_gettop(L) + 1;
    for (int t = 0; t < REQ_T_COUNT; t++) lua_rawgeti(L, LUA_REGISTRYINDEX, ev->real_ref[t]);
    bool consent_present = false; /* context.consent is there only when a field of it is */
    for (size_t i = 0; i < req_field_count; i++) {
        const req_field *f = &req_fields[i];
        const req_slot *slot = &req->slots[i];
        int table = base + (int)f->parent;
        /* a field absent now and last time is already nil: most fields, most of the time */
        if (f->kind == REQ_TABLE || (!slot->set && !ev->was_set[i])) continue;
        ev->was_set[i] = slot->set;
        consent_present |= slot->set && f->parent == REQ_T_CONSENT;
        switch (f->kind) {
        case REQ_TABLE: /* not reached: tables are skipped above, consent is linked below */
            continue;
        case REQ_BOOL:
            if (slot->set) lua_pushboolean(L, slot->b);
            else lua_pushnil(L);
            break;
        case REQ_STRING:
        case REQ_ENUM:
        case REQ_TIME:
        case REQ_DATE:
            if (slot->set) lua_pushlstring(L, slot->s, slot->len);
            else lua_pushnil(L);
            break;
        case REQ_LIST: {
            size_t n = slot->set ? slot->count : 0;
            lua_rawgeti(L, LUA_REGISTRYINDEX, ev->list_real_ref[i]);
            for (size_t k = 0; k < n; k++) {
                lua_pushstring(L, slot->items[k]);
                lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
            for (size_t k = n; k < ev->list_len[i]; k++) {
                lua_pushnil(L);
                lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
            ev->list_len[i] = n;
            lua_pop(L, 1);
            if (slot->set) lua_rawgeti(L, LUA_REGISTRYINDEX, ev->list_proxy_ref[i]);
            else lua_pushnil(L);
            break;
        }
        }
        lua_setfield(L, table, f->key);
        if (f->kind == REQ_TIME) {
            if (slot->set) lua_pushinteger(L, (lua_Integer)slot->epoch);
            else lua_pushnil(L);
            lua_setfield(L, table, REQ_EPOCH_KEY);
        }
    }
    for (size_t i = 0; i < req->extra_count; i++) {
        push_extra(L, ev, req->extras[i].value);
        lua_setfield(L, base + (int)req->extras[i].parent, req->extras[i].key);
        consent_present |= req->extras[i].parent == REQ_T_CONSENT;
    }
    if (consent_present) lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[REQ_T_CONSENT]);
    else lua_pushnil(L);
    lua_setfield(L, base + (int)REQ_T_CONTEXT, req_table_field(REQ_T_CONSENT)->key);
    return 0;
}

/* Removes the unknown fields of req from the request tables; under pcall. */
static int clear_extras(lua_State *L) {
    fill_job *job = lua_touserdata(L, 1);
    for (size_t i = 0; i < job->req->extra_count; i++) {
        const req_extra *e = &job->req->extras[i];
        lua_rawgeti(L, LUA_REGISTRYINDEX, job->ev->real_ref[e->parent]);
        lua_pushnil(L);
        lua_setfield(L, -2, e->key);
        lua_pop(L, 1);
    }
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

/* Sorts params by key: Lua's table order varies from run to run, output should not. */
static void sort_params(decision_param *params, size_t count) {
    for (size_t i = 1; i < count; i++)
        for (size_t k = i; k > 0 && strcmp(params[k - 1].key, params[k].key) > 0; k--) {
            decision_param t = params[k];
            params[k] = params[k - 1];
            params[k - 1] = t;
        }
}

/* Copies a table of params (string keys, scalar values) into the decision, sorted by key. */
static void copy_params(lua_State *L, int t, custos_decision *d, decision_param **params,
                        size_t *count, const bundle_article *a, const char *what) {
    lua_pushnil(L);
    while (lua_next(L, t)) {
        size_t klen, vlen;
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            continue; /* list items of an obligation entry are not params */
        }
        const char *key = lua_tolstring(L, -2, &klen);
        const char *value = param_text(L, lua_gettop(L), &vlen);
        if (!value) {
            char msg[200];
            snprintf(msg, sizeof msg, "returned %s '%s' as a %s; expected a string, number or boolean",
                     what, key, luaL_typename(L, -1));
            bad_verdict(L, a, msg);
        }
        if (decision_add_param(d, params, count, key, klen, value, vlen) != CUSTOS_OK)
            luaL_error(L, "out of memory");
        lua_pop(L, 1);
    }
    sort_params(*params, *count);
}

/* Checks what a rule returned (effect, code, params, obligations at stack 2..top) and copies
 * it into the decision. */
static void record_verdict(lua_State *L, article_job *job, int first, int nresults) {
    const bundle_article *a = &job->ev->b->articles[job->article];
    custos_decision *d = job->d;
    if (nresults < 1 || lua_type(L, first) != LUA_TSTRING)
        bad_verdict(L, a, nresults < 1 ? "returned nothing; expected permit(...), deny(...) or "
                                         "not_applicable(...)"
                                       : "returned something other than permit(...), deny(...) "
                                         "or not_applicable(...)");
    if (nresults > 4) bad_verdict(L, a, "returned more than a verdict (effect, code, params, obligations)");
    const char *effect_name = lua_tostring(L, first);
    custos_effect effect;
    if (strcmp(effect_name, "permit") == 0) effect = CUSTOS_PERMIT;
    else if (strcmp(effect_name, "deny") == 0) effect = CUSTOS_DENY;
    else if (strcmp(effect_name, "not_applicable") == 0) effect = CUSTOS_NOT_APPLICABLE;
    else {
        char msg[160];
        snprintf(msg, sizeof msg, "returned the effect \"%.40s\"; expected permit, deny or not_applicable",
                 effect_name);
        bad_verdict(L, a, msg);
        return;
    }
    size_t message = SIZE_MAX;
    int code_type = nresults >= 2 ? lua_type(L, first + 1) : LUA_TNIL;
    if (code_type == LUA_TSTRING) {
        size_t len;
        const char *code = lua_tolstring(L, first + 1, &len);
        message = bundle_find_message(a, code, len);
        if (message == SIZE_MAX) {
            char msg[200];
            snprintf(msg, sizeof msg, "returned the message code \"%.60s\", which its messages do not declare", code);
            bad_verdict(L, a, msg);
        }
    } else if (code_type != LUA_TNIL || effect != CUSTOS_NOT_APPLICABLE) {
        bad_verdict(L, a, "returned a verdict without a message code: write permit(\"code\"), "
                          "deny(\"code\") with a code declared in messages");
    }
    decision_verdict *v = decision_add_verdict(d, job->article, effect);
    if (!v) luaL_error(L, "out of memory");
    v->message = message;
    if (nresults >= 3 && lua_type(L, first + 2) == LUA_TTABLE)
        copy_params(L, first + 2, d, &v->params, &v->param_count, a, "the param");
    else if (nresults >= 3 && !lua_isnil(L, first + 2))
        bad_verdict(L, a, "returned params that are not a table");
    if (nresults < 4 || lua_isnil(L, first + 3)) return;
    if (lua_type(L, first + 3) != LUA_TTABLE)
        bad_verdict(L, a, "returned obligations that are not a list");
    lua_Integer n = (lua_Integer)lua_rawlen(L, first + 3);
    for (lua_Integer i = 1; i <= n; i++) {
        int type = lua_rawgeti(L, first + 3, i);
        int item = lua_gettop(L);
        size_t len = 0;
        const char *id = NULL;
        if (type == LUA_TSTRING) {
            id = lua_tolstring(L, item, &len);
        } else if (type == LUA_TTABLE) {
            lua_pushstring(L, "id");
            if (lua_rawget(L, item) == LUA_TSTRING) id = lua_tolstring(L, -1, &len);
            lua_pop(L, 1); /* id stays alive: the table still holds it */
        }
        if (!id) bad_verdict(L, a, "returned an obligation that is neither an id nor {id = ..., ...}");
        decision_obligation *o = decision_add_obligation(d, job->article, id, len);
        if (!o) luaL_error(L, "out of memory");
        o->effect = effect;
        if (type == LUA_TTABLE) {
            copy_params(L, item, d, &o->params, &o->param_count, a, "the obligation param");
            /* the id itself is not a param */
            size_t kept = 0;
            for (size_t k = 0; k < o->param_count; k++)
                if (strcmp(o->params[k].key, "id") != 0) o->params[kept++] = o->params[k];
            o->param_count = kept;
        }
        lua_pop(L, 1);
    }
}

/* Calls one article's rule with (req, data) and records its verdict; under lua_pcall. */
static int run_article(lua_State *L) {
    article_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    int first = lua_gettop(L) + 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->rule_refs[job->article]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[REQ_T_ROOT]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->data_ref);
    lua_call(L, 2, LUA_MULTRET);
    record_verdict(L, job, first, lua_gettop(L) - first + 1);
    return 0;
}

/* Records a failed article: the Lua message, with the module's chunk name made its path. */
static void record_failure(evaluator *ev, custos_decision *d, size_t article, const char *message) {
    const bundle_article *a = &ev->b->articles[article];
    char text[1200];
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

/* Drops obligations of articles whose verdict lost: they come with the final effect only. */
static void keep_winning_obligations(custos_decision *d) {
    size_t kept = 0;
    for (size_t i = 0; i < d->obligation_count; i++)
        if (d->obligations[i].effect == d->effect) d->obligations[kept++] = d->obligations[i];
    d->obligation_count = kept;
}

custos_status evaluator_decide(evaluator *ev, const custos_request *req, unsigned flags,
                               custos_decision *d, custos_error *err) {
    lua_State *L = ev->L;
    bundle *b = ev->b;
    decision_reset(d, b, (flags & CUSTOS_DECIDE_EXPLAIN) != 0);
    const req_slot *time_slot = &req->slots[ev->time_index];
    if (!time_slot->set)
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                                "context.time is required: every decision is taken at a time "
                                "(RFC 3339 with an offset)");
    int64_t now = time_slot->epoch;
    char msg[1024];
    fill_job fill = {ev, req};
    line_job lines = {ev, d, NULL, SIZE_MAX};
    if (flags & CUSTOS_DECIDE_COVERAGE) sandbox_set_line_hook(ev->sb, record_line, &lines);
    sandbox_arm(ev->sb, b->memory_limit, b->instruction_limit);
    bool stopped = call_protected(L, fill_request, &fill, msg, sizeof msg) != LUA_OK;
    if (stopped) decision_add_error(d, SIZE_MAX, msg);
    for (size_t r = 0; r < b->regime_count && !stopped; r++) {
        const bundle_regime *regime = &b->regimes[r];
        if (regime->mode == CUSTOS_REGIME_SKIPPED) continue;
        bool in_force = now >= regime->in_force_from && now <= regime->in_force_until;
        bool binds = regime->mode == CUSTOS_REGIME_ADOPTED || in_force;
        decision_add_regime(d, r, in_force, regime->mode == CUSTOS_REGIME_ADOPTED);
        if (!binds) continue;
        for (size_t i = regime->first_article;
             i < regime->first_article + regime->article_count && !stopped; i++) {
            article_job job = {ev, d, i};
            sandbox_meter(ev->sb, b->articles[i].has_loops);
            size_t verdicts = d->verdict_count, obligations = d->obligation_count;
            if (call_protected(L, run_article, &job, msg, sizeof msg) == LUA_OK) continue;
            /* a verdict rejected half-way leaves nothing behind but its error */
            d->verdict_count = verdicts;
            d->obligation_count = obligations;
            sandbox_limit hit = sandbox_limit_hit(ev->sb);
            if (hit != SANDBOX_LIMIT_NONE) {
                sandbox_limit_message(ev->sb, hit, msg, sizeof msg);
                stopped = true; /* the budget is the decision's: later articles get none */
            }
            record_failure(ev, d, i, msg);
        }
    }
    sandbox_disarm(ev->sb);
    if (flags & CUSTOS_DECIDE_COVERAGE) sandbox_set_line_hook(ev->sb, NULL, NULL);
    if (req->extra_count && call_protected(L, clear_extras, &fill, msg, sizeof msg) != LUA_OK)
        decision_add_error(d, SIZE_MAX, msg);
    lua_settop(L, 0);
    custos_status st = decision_finish(d);
    if (st) return error_set(err, st, NULL, 0, 0, "out of memory recording the decision");
    keep_winning_obligations(d);
    return CUSTOS_OK;
}

/* ---- evaluating code for the REPL ---------------------------------------------------------- */

typedef struct eval_job {
    evaluator *ev;
    const custos_request *req;
    const char *code;
    char *text;            /* malloc'd result */
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
    lua_pop(L, 1);
    if (luaL_loadbufferx(L, code, n, "=eval", "t") == LUA_OK) return true;
    sandbox_pop_error_text(L, msg, size);
    return false;
}

/* The body of evaluator_eval, under lua_pcall. */
static int eval_protected(lua_State *L) {
    eval_job *job = lua_touserdata(L, 1);
    evaluator *ev = job->ev;
    const sandbox_prelude *p = sandbox_prelude_refs(ev->sb);
    char msg[1024];
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
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->proxy_ref[REQ_T_ROOT]);
        lua_setfield(L, -2, "req");
    }
    lua_setupvalue(L, chunk, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->show);
    lua_insert(L, chunk);
    sandbox_arm(ev->sb, ev->b->memory_limit, ev->b->instruction_limit);
    int rc = lua_pcall(L, 0, LUA_MULTRET, 0);
    sandbox_limit hit = sandbox_disarm(ev->sb);
    if (rc != LUA_OK) {
        if (hit != SANDBOX_LIMIT_NONE) sandbox_limit_message(ev->sb, hit, msg, sizeof msg);
        else sandbox_pop_error_text(L, msg, sizeof msg);
        job->status = error_set(job->err, CUSTOS_E_POLICY, NULL, 0, 0, "%s", msg);
    } else {
        lua_call(L, lua_gettop(L) - chunk, 1); /* show(...) */
        size_t len;
        const char *text = lua_tolstring(L, -1, &len);
        job->text = malloc(len + 1);
        if (!job->text) return luaL_error(L, "out of memory");
        memcpy(job->text, text, len + 1);
    }
    if (job->req && job->req->extra_count) {
        fill_job fill = {ev, job->req};
        lua_pushcfunction(L, clear_extras);
        lua_pushlightuserdata(L, &fill);
        lua_call(L, 1, 0);
    }
    return 0;
}

custos_status evaluator_eval(evaluator *ev, const custos_request *req, const char *code,
                             char **out, custos_error *err) {
    eval_job job = {ev, req, code, NULL, err, CUSTOS_OK};
    char msg[512];
    int rc = call_protected(ev->L, eval_protected, &job, msg, sizeof msg);
    lua_settop(ev->L, 0);
    if (rc != LUA_OK) {
        free(job.text);
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "%s", msg);
    }
    if (job.status != CUSTOS_OK) {
        free(job.text);
        return job.status;
    }
    *out = job.text;
    return CUSTOS_OK;
}
