#define _XOPEN_SOURCE 700 /* realpath */
/*
 * bundle.c — loading a policy set: find the regime folders, run regime.lua and every article
 * module once in a throw-away sandbox to validate them and copy out their metadata, check the
 * regime's article list against the modules, parse and check the data documents.
 */
#include "bundle.h"

#include <ctype.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

#include "buffer_limits.h"
#include "data_schema.h"
#include "fileio.h"
#include "function_lines.h"
#include "library.h"
#include "manifest.h"
#include "revision.h"
#include "sandbox.h"
#include "schema.h"
#include "timeutil.h"

typedef struct loader {
    bundle *b;
    sandbox *sb;
    custos_error *err;
    size_t article_cap, regime_cap, library_cap;
    library_loader libs;
    char **schema_files; /* the schema.lua files already declared (resolved paths) */
    size_t schema_file_count;
    size_t retained;           /* bytes the article modules loaded so far keep */
    manifest_set *manifests;   /* every file read is checked against its folder's manifest */
    bool unpinned;             /* a policy path without a manifest was loaded */
    revision_builder revision; /* every file read, for the set's revision */
} loader;

bundle *bundle_ref_take(bundle *b) {
    if (b) atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    return b;
}

void bundle_unref(bundle *b) {
    if (!b || atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) != 1) return;
    data_store_free(b->store);
    arena_free(&b->mem);
    free(b);
}

size_t bundle_find_regime(const bundle *b, const char *id) {
    for (size_t i = 0; i < b->regime_count; i++)
        if (strcmp(b->regimes[i].id, id) == 0) return i;
    return SIZE_MAX;
}

size_t bundle_find_message(const bundle_article *a, const char *code, size_t len) {
    if (memchr(code, '\0', len)) return SIZE_MAX; /* no declared code holds a NUL byte */
    /* messages are sorted by code (extract_messages): a binary search */
    size_t lo = 0, hi = a->message_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = a->messages[mid].code;
        int c = strncmp(m, code, len);
        if (c == 0) {
            if (m[len] == '\0') return mid;
            c = 1; /* m is longer: after code */
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* ---- reading Lua tables the modules returned (always raw, always under lua_pcall) -------- */

static const char *copy_string(lua_State *L, bundle *b, int index) {
    size_t len;
    const char *s = lua_tolstring(L, index, &len);
    char *copy = arena_strndup(&b->mem, s, len);
    if (!copy) sandbox_raise_nomem(L);
    return copy;
}

/* t[key] as a copied string, or NULL when absent / not a string. */
static const char *raw_string(lua_State *L, bundle *b, int t, const char *key) {
    lua_pushstring(L, key);
    const char *s = lua_rawget(L, t) == LUA_TSTRING ? copy_string(L, b, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

static bool raw_bool(lua_State *L, int t, const char *key) {
    lua_pushstring(L, key);
    lua_rawget(L, t);
    bool v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* What the loader copies must have the type C relies on, read raw, whatever the prelude's
 * checks saw: a module keeps the tables it passed to article{} / regime{} and may change them
 * before it returns, a metamethod can answer a check and be absent to a raw read, and a table
 * can be forged with the tag that marks a declaration.  A wrong type refuses the module. */
static void refuse_shape(lua_State *L, const char *what, const char *field, const char *needed) {
    luaL_error(L,
               "%s: '%s' must be %s, as the loader reads it (raw, without metamethods, once the "
               "module has returned)",
               what, field, needed);
}

static const char *need_string(lua_State *L, bundle *b, int t, const char *key, const char *what) {
    const char *s = raw_string(L, b, t, key);
    if (!s || !*s) refuse_shape(L, what, key, "a non-empty string");
    return s;
}

/* Pushes t[key], which must be a table (or nil when optional), and returns its index (0 for an
 * absent optional one, nothing pushed). */
static int need_table(lua_State *L, int t, const char *key, const char *what, bool optional) {
    lua_pushstring(L, key);
    int type = lua_rawget(L, t);
    if (type == LUA_TTABLE) return lua_gettop(L);
    lua_pop(L, 1);
    if (!(optional && type == LUA_TNIL)) refuse_shape(L, what, key, "a table");
    return 0;
}

/* The {zh = ..., en = ...} table at `inner`, named `field` in messages. */
static void need_bilingual_at(lua_State *L, bundle *b, int inner, const char *field,
                              const char *what, const char **zh, const char **en) {
    char name[CUSTOS_MESSAGE_BUFFER / 4];
    snprintf(name, sizeof name, "%s.zh", field);
    if (!(*zh = raw_string(L, b, inner, "zh")) || !**zh)
        refuse_shape(L, what, name, "a non-empty string");
    snprintf(name, sizeof name, "%s.en", field);
    if (!(*en = raw_string(L, b, inner, "en")) || !**en)
        refuse_shape(L, what, name, "a non-empty string");
}

static void need_bilingual(lua_State *L, bundle *b, int t, const char *key, const char *what,
                           const char **zh, const char **en) {
    need_bilingual_at(L, b, need_table(L, t, key, what, false), key, what, zh, en);
    lua_pop(L, 1);
}

/* A regime's date as epoch seconds; *known false (and 0) for BUNDLE_DATE_UNKNOWN. */
static int64_t need_date(lua_State *L, const char *what, const char *field, const char *text,
                         bool end_of_day, bool *known) {
    *known = strcmp(text, BUNDLE_DATE_UNKNOWN) != 0;
    if (!*known) return 0;
    int64_t epoch = 0;
    const char *why;
    if (!time_parse_bound(text, strlen(text), end_of_day, &epoch, &why))
        luaL_error(L, "%s: '%s' %s", what, field, why);
    return epoch;
}

typedef struct extract_job {
    loader *ld;
    const char *folder;
    size_t regime; /* for articles */
    const char *path, *chunkname, *source;
    size_t source_len;
    sandbox_code_shape shape; /* its compiled code and its libraries' */
    custos_status status;     /* what a declaration check found (err is filled) */
} extract_job;

static void *grow(lua_State *L, void *items, size_t count, size_t *cap, size_t elem, bundle *b) {
    void *p = arena_grow(&b->mem, items, count, cap, count + 1, elem);
    if (!p) sandbox_raise_nomem(L);
    return p;
}

static void extract_applies(lua_State *L, extract_job *job, const bundle_regime *r,
                            const char *what);

/* Copies regime{...} (on the stack at 2) into a new bundle_regime. */
static int extract_regime(lua_State *L) {
    extract_job *job = lua_touserdata(L, 1);
    bundle *b = job->ld->b;
    b->regimes = grow(L, b->regimes, b->regime_count, &job->ld->regime_cap, sizeof *b->regimes, b);
    bundle_regime *r = &b->regimes[b->regime_count];
    memset(r, 0, sizeof *r);
    r->id = need_string(L, b, 2, "id", "regime");
    char what[CUSTOS_MESSAGE_BUFFER / 4];
    snprintf(what, sizeof what, "regime %s", r->id);
    need_bilingual(L, b, 2, "title", what, &r->title_zh, &r->title_en);
    r->document = need_string(L, b, 2, "document", what);
    r->issued = need_string(L, b, 2, "issued", what);
    r->effective = need_string(L, b, 2, "effective", what);
    lua_pushstring(L, "expires");
    bool has_expiry = lua_rawget(L, 2) != LUA_TNIL;
    lua_pop(L, 1);
    r->expires = has_expiry ? need_string(L, b, 2, "expires", what) : NULL;
    bool issued_known, from_known, until_known = true;
    need_date(L, what, "issued", r->issued, false, &issued_known);
    r->in_force_from = need_date(L, what, "effective", r->effective, false, &from_known);
    r->in_force_until =
        r->expires ? need_date(L, what, "expires", r->expires, true, &until_known) : INT64_MAX;
    r->window_known = from_known && until_known;
    r->folder = arena_strdup(&b->mem, job->folder);
    /* A regime may ask to bind only when chosen (a company template): the host can override. */
    lua_pushstring(L, "default_mode");
    bool has_mode = lua_rawget(L, 2) != LUA_TNIL;
    lua_pop(L, 1);
    const char *mode = has_mode ? need_string(L, b, 2, "default_mode", what) : NULL;
    if (!mode || strcmp(mode, "adopted") == 0)
        r->mode = CUSTOS_REGIME_ADOPTED;
    else if (strcmp(mode, "in-force") == 0)
        r->mode = CUSTOS_REGIME_IN_FORCE;
    else if (strcmp(mode, "skipped") == 0)
        r->mode = CUSTOS_REGIME_SKIPPED;
    else
        refuse_shape(L, what, "default_mode", "\"adopted\", \"in-force\" or \"skipped\"");
    int list = need_table(L, 2, "articles", what, false);
    size_t n = (size_t)lua_rawlen(L, list);
    r->listed = arena_alloc(&b->mem, (n ? n : 1) * sizeof *r->listed);
    if (!r->listed || !r->folder) return sandbox_raise_nomem(L);
    for (size_t i = 0; i < n; i++) {
        char item_what[sizeof what + 48];
        snprintf(item_what, sizeof item_what, "%s articles[%zu]", what, i + 1);
        if (lua_rawgeti(L, list, (lua_Integer)i + 1) != LUA_TTABLE)
            refuse_shape(L, what, "articles", "a list of tables");
        int item = lua_gettop(L);
        bundle_listed_article *a = &r->listed[i];
        a->number = need_string(L, b, item, "number", item_what);
        need_bilingual(L, b, item, "title", item_what, &a->title_zh, &a->title_en);
        lua_pushstring(L, "encoded");
        if (lua_rawget(L, item) != LUA_TBOOLEAN) refuse_shape(L, item_what, "encoded", "a boolean");
        lua_pop(L, 1);
        a->encoded = raw_bool(L, item, "encoded");
        a->reason = a->encoded ? raw_string(L, b, item, "reason")
                               : need_string(L, b, item, "reason", item_what);
        lua_pop(L, 1);
    }
    r->listed_count = n;
    lua_pop(L, 1);
    r->applies = SIZE_MAX;
    lua_pushstring(L, "applies");
    int applies = lua_rawget(L, 2);
    if (applies != LUA_TNIL && (applies != LUA_TFUNCTION || lua_iscfunction(L, -1)))
        refuse_shape(L, what, "applies", "a Lua function(req, data)");
    if (applies != LUA_TNIL)
        extract_applies(L, job, r, what);
    else
        lua_pop(L, 1);
    b->regime_count++;
    /* its own request fields, types and data sections */
    job->status = schema_declare(&b->schema, L, 2, false, job->path, job->source, job->source_len,
                                 job->ld->err);
    return 0;
}

/* The first message code a module names literally (permit("x") ...) that it does not declare. */
typedef struct code_check {
    const bundle_article *a;
    const char *code;
    size_t len;
    unsigned line;
} code_check;

static bool declared_code(void *ud, const char *code, size_t len, unsigned line) {
    code_check *cc = ud;
    if (bundle_find_message(cc->a, code, len) != SIZE_MAX) return true;
    cc->code = code;
    cc->len = len;
    cc->line = line;
    return false;
}

static int compare_messages(const void *x, const void *y) {
    return strcmp(((const bundle_message *)x)->code, ((const bundle_message *)y)->code);
}

/* Copies the messages table at index `messages` into a's messages, sorted by code; pops it. */
static void extract_messages(lua_State *L, bundle *b, bundle_article *a, int messages,
                             const char *what) {
    size_t cap = 0;
    lua_pushnil(L);
    while (lua_next(L, messages)) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_rawlen(L, -2) == 0)
            refuse_shape(L, what, "messages", "a table keyed by message codes (strings)");
        if (lua_type(L, -1) != LUA_TTABLE)
            refuse_shape(L, what, "messages", "a table of {zh = ..., en = ...} tables");
        a->messages = grow(L, a->messages, a->message_count, &cap, sizeof *a->messages, b);
        bundle_message *m = &a->messages[a->message_count++];
        m->code = copy_string(L, b, -2);
        char field[CUSTOS_MESSAGE_BUFFER / 4];
        snprintf(field, sizeof field, "messages.%s", m->code);
        need_bilingual_at(L, b, lua_gettop(L), field, what, &m->zh, &m->en);
        m->zh_len = m->zh ? strlen(m->zh) : 0;
        m->en_len = m->en ? strlen(m->en) : 0;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (a->message_count == 0) refuse_shape(L, what, "messages", "a table of message codes");
    /* Lua's table order varies from run to run; tools list codes, so keep them sorted */
    if (a->message_count > 1)
        qsort(a->messages, a->message_count, sizeof *a->messages, compare_messages);
}

/* The rule's (or applies') first line and the lines coverage counts; the function on top. */
static void extract_function(lua_State *L, bundle *b, bundle_article *a) {
    lua_Debug ar;
    lua_pushvalue(L, -1);
    lua_getinfo(L, ">S", &ar);
    a->rule_line = ar.linedefined;
    function_lines(L, &b->mem, a->chunkname, &a->lines, &a->line_count);
}

/* Gives article a the module it was read from: its chunk name, path and source (kept for each
 * evaluator to load) and the shape of its code (how it is metered). */
static void take_module(lua_State *L, bundle *b, bundle_article *a, const extract_job *job) {
    a->chunkname = arena_strdup(&b->mem, job->chunkname);
    a->path = arena_strdup(&b->mem, job->path);
    a->source = arena_strndup(&b->mem, job->source, job->source_len);
    a->source_len = job->source_len;
    a->has_loops = job->shape.loops;
    a->call_cost = job->shape.largest_nested;
    if (!a->chunkname || !a->path || !a->source) sandbox_raise_nomem(L);
}

/* Copies regime{...}'s `applies` (the function on top, popped) and its messages into a new
 * bundle_article of regime r: called once per decision before the regime's articles. */
static void extract_applies(lua_State *L, extract_job *job, const bundle_regime *r,
                            const char *what) {
    bundle *b = job->ld->b;
    b->articles =
        grow(L, b->articles, b->article_count, &job->ld->article_cap, sizeof *b->articles, b);
    bundle_article *a = &b->articles[b->article_count];
    memset(a, 0, sizeof *a);
    a->regime = b->regime_count; /* the regime being extracted */
    a->applies = true;
    a->number = BUNDLE_APPLIES;
    a->title_zh = r->title_zh;
    a->title_en = r->title_en;
    a->text_zh = a->text_en = "";
    a->citation = r->document;
    take_module(L, b, a, job);
    extract_function(L, b, a);
    lua_pop(L, 1);
    extract_messages(L, b, a, need_table(L, 2, "messages", what, false), what);
    b->article_count++;
}

/* Copies article{...} (on the stack at 2) into a new bundle_article. */
static int extract_article(lua_State *L) {
    extract_job *job = lua_touserdata(L, 1);
    bundle *b = job->ld->b;
    b->articles =
        grow(L, b->articles, b->article_count, &job->ld->article_cap, sizeof *b->articles, b);
    bundle_article *a = &b->articles[b->article_count];
    memset(a, 0, sizeof *a);
    a->regime = job->regime;
    a->number = need_string(L, b, 2, "number", "article");
    char what[CUSTOS_MESSAGE_BUFFER / 4];
    snprintf(what, sizeof what, "article %s", a->number);
    need_bilingual(L, b, 2, "text", what, &a->text_zh, &a->text_en);
    a->citation = need_string(L, b, 2, "citation", what);
    take_module(L, b, a, job);

    lua_pushstring(L, "rule");
    if (lua_rawget(L, 2) != LUA_TFUNCTION || lua_iscfunction(L, -1))
        refuse_shape(L, what, "rule", "a Lua function");
    extract_function(L, b, a);
    lua_pop(L, 1);

    extract_messages(L, b, a, need_table(L, 2, "messages", what, false), what);

    int impl = need_table(L, 2, "implements", what, true);
    size_t n = impl ? (size_t)lua_rawlen(L, impl) : 0;
    a->implements = arena_alloc(&b->mem, (n ? n : 1) * sizeof *a->implements);
    if (!a->implements) return sandbox_raise_nomem(L);
    for (size_t i = 0; i < n; i++) {
        char item_what[sizeof what + 48];
        snprintf(item_what, sizeof item_what, "%s implements[%zu]", what, i + 1);
        if (lua_rawgeti(L, impl, (lua_Integer)i + 1) != LUA_TTABLE)
            refuse_shape(L, what, "implements", "a list of {regime = ..., article = ...}");
        a->implements[i].regime = need_string(L, b, lua_gettop(L), "regime", item_what);
        a->implements[i].article = need_string(L, b, lua_gettop(L), "article", item_what);
        lua_pop(L, 1);
    }
    a->implements_count = n;
    if (impl) lua_pop(L, 1);

    /* The article may name its regime; it must be the folder's. */
    const char *declared = raw_string(L, b, 2, "regime");
    const char *regime_id = b->regimes[job->regime].id;
    if (declared && strcmp(declared, regime_id) != 0)
        return luaL_error(L, "article %s declares regime '%s' but lives in the folder of '%s'",
                          a->number, declared, regime_id);
    b->article_count++;
    return 0;
}

/* Runs an extractor under lua_pcall with the module's value (on top of the stack). */
static custos_status run_extract(loader *ld, lua_CFunction fn, extract_job *job) {
    lua_State *L = sandbox_state(ld->sb);
    lua_pushcfunction(L, fn);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, job);
    lua_insert(L, -2);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        char msg[CUSTOS_MESSAGE_BUFFER];
        sandbox_pop_error_text(L, msg, sizeof msg);
        return error_set(ld->err, CUSTOS_E_POLICY, job->path,
                         sandbox_declaration_line(job->source, job->source_len, msg), 0, "%s", msg);
    }
    return CUSTOS_OK;
}

/* Calls the prelude's predicate (is_article / is_regime) on the value on top. */
static bool value_is(loader *ld, int predicate_ref) {
    lua_State *L = sandbox_state(ld->sb);
    lua_rawgeti(L, LUA_REGISTRYINDEX, predicate_ref);
    lua_pushvalue(L, -2);
    lua_call(L, 1, 1); /* the predicate only reads a raw field: cannot fail */
    bool yes = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return yes;
}

/* Reads a file of the set: its bytes, digested once for both the manifest that must vouch for
 * them (data: only its own folder's) and the set's revision, where it is listed as `name`. */
static custos_status read_set_file(manifest_set *ms, revision_builder *revision, const char *path,
                                   const char *name, bool data, char **text, size_t *len,
                                   custos_error *err) {
    custos_status st = file_read_all(path, text, len, err);
    if (st) return st;
    unsigned char digest[32];
    revision_digest(*text, *len, digest);
    st = manifest_set_check_file(ms, path, data, digest, *len, err);
    if (st) {
        free(*text);
        *text = NULL;
        return st;
    }
    revision_add(revision, name, digest);
    return CUSTOS_OK;
}

/* Loads `folder/name` as a module, leaving its value on the stack. */
static custos_status load_file_module(loader *ld, const char *folder, const char *regime_name,
                                      const char *name, char *path, size_t path_size, char *chunk,
                                      size_t chunk_size, char **text, size_t *len,
                                      library_scope *scope, sandbox_code_shape *shape) {
    snprintf(path, path_size, "%s/%s", folder, name);
    snprintf(chunk, chunk_size, "%s/%s", regime_name, name);
    custos_status st =
        read_set_file(ld->manifests, &ld->revision, path, chunk, false, text, len, ld->err);
    if (st) return st;
    sandbox_code_shape *outer = sandbox_collect_shape(ld->sb, shape);
    st = sandbox_load_module(ld->sb, chunk, path, *text, *len, CUSTOS_LOAD_MEMORY_LIMIT,
                             CUSTOS_LOAD_INSTRUCTION_LIMIT, scope ? library_prepare_env : NULL,
                             scope, ld->err);
    sandbox_collect_shape(ld->sb, outer);
    return st;
}

/* What a module just loaded (its value on the stack) keeps, with the libraries it loaded first:
 * every evaluator holds a copy, so a module may not build a huge structure at load time. */
static custos_status check_retained(loader *ld, const char *path, size_t before) {
    lua_gc(sandbox_state(ld->sb), LUA_GCCOLLECT);
    size_t after = sandbox_memory_used(ld->sb);
    size_t kept = after > before ? after - before : 0;
    ld->retained += kept;
    if (kept > CUSTOS_LOAD_RETAINED_LIMIT || ld->retained > CUSTOS_LOAD_RETAINED_TOTAL) {
        lua_pop(sandbox_state(ld->sb), 1);
        return error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                         "keeps %zu KiB after loading (%zu KiB with the modules before it); "
                         "the limits are %zu KiB per module and %zu KiB in all, as every thread "
                         "holds a copy",
                         kept >> 10, ld->retained >> 10, CUSTOS_LOAD_RETAINED_LIMIT >> 10,
                         CUSTOS_LOAD_RETAINED_TOTAL >> 10);
    }
    return CUSTOS_OK;
}

/* A `req.a.b` path in a module's code that no declared request field has: almost surely a typo
 * (fields the policy set does not declare are read with custos.field), so it is refused at load
 * time with its line. */
typedef struct path_check {
    const schema *schema;
    const char *bad;
    unsigned line;
    char path[CUSTOS_REQUEST_PATH_BUFFER];
} path_check;

static bool known_request_path(void *ud, const char *path, unsigned line) {
    path_check *pc = ud;
    size_t len = strlen(path);
    static const char epoch[] = SCHEMA_TIME_TABLE "." SCHEMA_EPOCH_KEY;
    /* the longest known prefix must be the whole path, or a value (a field under it is then
     * a method or a list index like .n — not a request field) */
    while (len) {
        const schema_field *f = schema_find(pc->schema, path, len);
        if (f) {
            if (len == strlen(path) || f->type.kind != SCHEMA_TABLE) return true;
            break;
        }
        if (len == sizeof epoch - 1 && path[len] == '\0' && memcmp(path, epoch, len) == 0)
            return true; /* derived from context.time */
        const char *dot = memchr(path, '.', len);
        if (!dot) break;
        while (len && path[len - 1] != '.') len--;
        if (len) len--;
    }
    snprintf(pc->path, sizeof pc->path, "%s", path);
    pc->bad = pc->path;
    pc->line = line;
    return false;
}

/* Sets *out to the resolved path of folder/sub when it is a folder (arena copy), else NULL;
 * false when out of memory (a lib/ folder is never taken for absent for want of memory). */
static bool resolved_folder(bundle *b, const char *folder, const char *sub, const char **out) {
    *out = NULL;
    char path[CUSTOS_PATH_BUFFER];
    snprintf(path, sizeof path, "%s/%s", folder, sub);
    if (!file_is_dir(path)) return true;
    char *real = realpath(path, NULL);
    if (!real) return errno != ENOMEM; /* else it went away since: absent */
    *out = arena_strdup(&b->mem, real);
    free(real);
    return *out != NULL;
}

/* Adds the *.lua files of a library folder (once each, however many regimes share it). */
static custos_status add_libraries(loader *ld, const char *dir, const char *shared_dir) {
    bundle *b = ld->b;
    for (size_t i = 0; i < b->library_count; i++)
        if (strcmp(b->libraries[i].dir, dir) == 0) return CUSTOS_OK; /* already added */
    char **names;
    size_t count;
    custos_status st = file_list_dir(dir, &names, &count, ld->err);
    for (size_t i = 0; !st && i < count; i++) {
        size_t n = strlen(names[i]);
        if (n < 5 || strcmp(names[i] + n - 4, ".lua") != 0) continue;
        bundle_library *grown = arena_grow(&b->mem, b->libraries, b->library_count,
                                           &ld->library_cap, b->library_count + 1, sizeof *grown);
        if (!grown) {
            st = error_set(ld->err, CUSTOS_E_NOMEM, dir, 0, 0, "out of memory");
            break;
        }
        b->libraries = grown;
        bundle_library *lib = &b->libraries[b->library_count];
        memset(lib, 0, sizeof *lib);
        char path[CUSTOS_PATH_BUFFER], chunk[CUSTOS_CHUNKNAME_BUFFER], *text = NULL;
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        /* the chunk name shows the library's folder and file: "gz-2012/lib/x.lua", "lib/x.lua" */
        const char *parent = dir + strlen(dir);
        int slashes = 0;
        while (parent > dir && (parent[-1] != '/' || ++slashes < 2)) parent--;
        snprintf(chunk, sizeof chunk, "%s/%s", parent, names[i]);
        if ((st = read_set_file(ld->manifests, &ld->revision, path, chunk, false, &text, &len,
                                ld->err)))
            break;
        lib->name = arena_strndup(&b->mem, names[i], n - 4);
        lib->dir = dir;
        lib->shared_dir = shared_dir;
        lib->path = arena_strdup(&b->mem, path);
        lib->chunkname = arena_strdup(&b->mem, chunk);
        lib->source = arena_strndup(&b->mem, text, len);
        lib->source_len = len;
        free(text);
        if (!lib->name || !lib->path || !lib->chunkname || !lib->source)
            st = error_set(ld->err, CUSTOS_E_NOMEM, dir, 0, 0, "out of memory");
        else
            b->library_count++;
    }
    file_free_names(names, count);
    return st;
}

static const char *base_name(const char *path) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    const char *end = path + n, *p = end;
    while (p > path && p[-1] != '/') p--;
    return p;
}

static bool has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const bundle_listed_article *listed_article(const bundle_regime *r, const char *number) {
    for (size_t i = 0; i < r->listed_count; i++)
        if (strcmp(r->listed[i].number, number) == 0) return &r->listed[i];
    return NULL;
}

/* Loads one regime folder: regime.lua, then every other *.lua file as an article. */
static custos_status load_schema_file(loader *ld, const char *folder);

static custos_status load_regime(loader *ld, const char *folder) {
    lua_State *L = sandbox_state(ld->sb);
    bundle *b = ld->b;
    /* The folder's own name, resolved: "policies/gz-2012/tests/.." is gz-2012. */
    char folder_name[CUSTOS_NAME_BUFFER], *resolved = realpath(folder, NULL);
    if (!resolved && errno == ENOMEM)
        return error_set(ld->err, CUSTOS_E_NOMEM, folder, 0, 0, "out of memory");
    const char *name = base_name(resolved ? resolved : folder);
    snprintf(folder_name, sizeof folder_name, "%.*s", (int)strcspn(name, "/"), name);
    free(resolved);
    char path[CUSTOS_PATH_BUFFER], chunk[CUSTOS_CHUNKNAME_BUFFER], *text = NULL;
    size_t len;
    /* the libraries first: regime.lua's `applies` may require them, like a module */
    const char *lib_dir, *shared_lib_dir;
    if (!resolved_folder(b, folder, "lib", &lib_dir) ||
        !resolved_folder(b, folder, "../lib", &shared_lib_dir))
        return error_set(ld->err, CUSTOS_E_NOMEM, folder, 0, 0, "out of memory");
    custos_status st = CUSTOS_OK;
    if (shared_lib_dir && (st = add_libraries(ld, shared_lib_dir, NULL))) return st;
    /* The shared lib/ and schema.lua are the policy set's, side by side: a regime folder
     * assembled elsewhere with a link to the set's lib/ brings its schema too (the resolved
     * folder; the same file twice is declared once). */
    if (shared_lib_dir) {
        char set_dir[CUSTOS_PATH_BUFFER];
        snprintf(set_dir, sizeof set_dir, "%s/..", shared_lib_dir);
        if ((st = load_schema_file(ld, set_dir))) return st;
    }
    if (lib_dir && (st = add_libraries(ld, lib_dir, shared_lib_dir))) return st;
    library_scope scope = {&ld->libs, lib_dir, shared_lib_dir};
    sandbox_code_shape regime_shape = {false, 0};
    st = load_file_module(ld, folder, folder_name, "regime.lua", path, sizeof path, chunk,
                          sizeof chunk, &text, &len, &scope, &regime_shape);
    if (st) {
        free(text);
        return st;
    }
    if (!value_is(ld, sandbox_prelude_refs(ld->sb)->is_regime)) {
        lua_pop(L, 1);
        free(text);
        return error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                         "regime.lua must end with `return regime { id = ..., ... }`");
    }
    size_t articles_before = b->article_count;
    extract_job job = {ld, folder, 0, path, chunk, text, len, regime_shape, CUSTOS_OK};
    st = run_extract(ld, extract_regime, &job);
    free(text);
    text = NULL;
    if (!st) st = job.status;
    if (st) return st;
    size_t regime = b->regime_count - 1;
    bundle_regime *r_new = &b->regimes[regime];
    r_new->lib_dir = lib_dir;
    r_new->shared_lib_dir = shared_lib_dir;
    if (b->article_count > articles_before) { /* its applies: the codes it names it declares */
        const bundle_article *a = &b->articles[articles_before];
        code_check cc = {a, NULL, 0, 0};
        if (!source_verdict_codes(a->source, a->source_len, declared_code, &cc))
            return error_set(ld->err, CUSTOS_E_POLICY, path, cc.line, 0,
                             "message code \"%.*s\" is not declared in messages", (int)cc.len,
                             cc.code);
    }
    const char *id = b->regimes[regime].id;
    if (strcmp(id, folder_name) != 0)
        return error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                         "regime id '%s' must match its folder's name '%s'", id, folder_name);
    for (size_t i = 0; i < regime; i++)
        if (strcmp(b->regimes[i].id, id) == 0)
            return error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                             "regime '%s' is loaded twice (also from %s)", id,
                             b->regimes[i].folder);

    char **names;
    size_t count;
    if ((st = file_list_dir(folder, &names, &count, ld->err))) return st;
    size_t first = b->article_count;
    for (size_t i = 0; i < count && !st; i++) {
        if (!has_suffix(names[i], ".lua") || strcmp(names[i], "regime.lua") == 0) continue;
        sandbox_code_shape shape = {false, 0};
        lua_gc(L, LUA_GCCOLLECT);
        size_t before = sandbox_memory_used(ld->sb);
        st = load_file_module(ld, folder, folder_name, names[i], path, sizeof path, chunk,
                              sizeof chunk, &text, &len, &scope, &shape);
        if (!st) st = check_retained(ld, path, before);
        if (!st && !value_is(ld, sandbox_prelude_refs(ld->sb)->is_article)) {
            lua_pop(L, 1);
            st = error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                           "a policy module must end with `return article { ... }`");
        }
        if (!st) {
            job = (extract_job){ld, folder, regime, path, chunk, text, len, shape, CUSTOS_OK};
            st = run_extract(ld, extract_article, &job);
        }
        free(text);
        text = NULL;
        if (st) break;
        bundle_article *a = &b->articles[b->article_count - 1];
        const bundle_listed_article *listed = listed_article(&b->regimes[regime], a->number);
        code_check cc = {a, NULL, 0, 0};
        unsigned declared_at = sandbox_declaration_line(a->source, a->source_len, "");
        if (!listed || !listed->encoded)
            st = error_set(ld->err, CUSTOS_E_POLICY, path, declared_at, 0,
                           "article %s is not listed with encoded = true in %s/regime.lua",
                           a->number, folder);
        else if (!source_verdict_codes(a->source, a->source_len, declared_code, &cc))
            st = error_set(ld->err, CUSTOS_E_POLICY, path, cc.line, 0,
                           "message code \"%.*s\" is not declared in messages", (int)cc.len,
                           cc.code);
        if (!st) { /* the title is written once, in regime.lua */
            a->title_zh = listed->title_zh;
            a->title_en = listed->title_en;
        }
        for (size_t k = first; !st && k + 1 < b->article_count; k++)
            if (strcmp(b->articles[k].number, a->number) == 0)
                st = error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                               "article %s is also declared by %s", a->number, b->articles[k].path);
    }
    file_free_names(names, count);
    if (st) return st;
    /* Every article listed as encoded must have its module. */
    const bundle_regime *r = &b->regimes[regime];
    for (size_t i = 0; i < r->listed_count; i++) {
        if (!r->listed[i].encoded) continue;
        bool found = false;
        for (size_t k = first; k < b->article_count && !found; k++)
            found = strcmp(b->articles[k].number, r->listed[i].number) == 0;
        if (!found)
            return error_set(ld->err, CUSTOS_E_POLICY, "", 0, 0,
                             "%s/regime.lua: article %s is listed as encoded but no module "
                             "in the folder declares it",
                             folder, r->listed[i].number);
    }
    return CUSTOS_OK;
}

/* Declares the table schema.lua returned (on the stack at 2); under lua_pcall. */
static int declare_schema(lua_State *L) {
    extract_job *job = lua_touserdata(L, 1);
    job->status = schema_declare(&job->ld->b->schema, L, 2, true, job->path, job->source,
                                 job->source_len, job->ld->err);
    return 0;
}

/* Declares what `folder/schema.lua` returns, when there is one (once per file, however many
 * regime folders share it). */
static custos_status load_schema_file(loader *ld, const char *folder) {
    char probe[CUSTOS_PATH_BUFFER];
    snprintf(probe, sizeof probe, "%s/schema.lua", folder);
    if (!file_exists(probe)) return CUSTOS_OK;
    char *real = realpath(probe, NULL);
    if (!real)
        return errno == ENOMEM
                   ? error_set(ld->err, CUSTOS_E_NOMEM, probe, 0, 0, "out of memory")
                   : error_set(ld->err, CUSTOS_E_NOT_FOUND, probe, 0, 0, "cannot resolve the path");
    for (size_t i = 0; i < ld->schema_file_count; i++)
        if (strcmp(ld->schema_files[i], real) == 0) {
            free(real);
            return CUSTOS_OK;
        }
    char **grown = realloc(ld->schema_files, (ld->schema_file_count + 1) * sizeof *grown);
    if (!grown) {
        free(real);
        return error_set(ld->err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    ld->schema_files = grown;
    ld->schema_files[ld->schema_file_count++] = real;
    /* the chunk name shows the folder holding it: "policies/schema.lua" */
    char folder_name[CUSTOS_NAME_BUFFER];
    const char *end = real + strlen(real) - strlen("/schema.lua"), *start = end;
    while (start > real && start[-1] != '/') start--;
    snprintf(folder_name, sizeof folder_name, "%.*s", (int)(end - start), start);
    char path[CUSTOS_PATH_BUFFER], *text = NULL;
    size_t len = 0;
    custos_status st = load_file_module(ld, folder, folder_name, "schema.lua", path, sizeof path,
                                        probe, sizeof probe, &text, &len, NULL, NULL);
    if (st) {
        free(text);
        return st;
    }
    lua_State *L = sandbox_state(ld->sb);
    if (lua_type(L, -1) != LUA_TTABLE) {
        lua_pop(L, 1);
        free(text);
        return error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                         "schema.lua must end with `return { types = {...}, request = {...}, "
                         "data = {...} }`");
    }
    extract_job job = {ld, folder, 0, path, probe, text, len, {false, 0}, CUSTOS_OK};
    st = run_extract(ld, declare_schema, &job);
    free(text);
    return st ? st : job.status;
}

/* A folder of a policy set that holds Lua modules but no regime.lua is a regime that lost its
 * regime.lua (a deploy half done, a file deleted): loading the rest would silently drop it, so
 * the set is refused.  lib/ holds libraries, not a regime. */
static custos_status refuse_lost_regime(loader *ld, const char *set, const char *name) {
    char folder[CUSTOS_PATH_BUFFER];
    snprintf(folder, sizeof folder, "%s/%s", set, name);
    if (strcmp(name, "lib") == 0 || !file_is_dir(folder)) return CUSTOS_OK;
    char **names;
    size_t count;
    custos_status st = file_list_dir(folder, &names, &count, ld->err);
    for (size_t i = 0; !st && i < count; i++)
        if (has_suffix(names[i], ".lua"))
            st = error_set(ld->err, CUSTOS_E_POLICY, folder, 0, 0,
                           "holds policy modules (%s) but no regime.lua: a regime folder that "
                           "lost its regime.lua; refusing the set rather than loading it "
                           "without the regime",
                           names[i]);
    file_free_names(names, count);
    return st;
}

/* Adds the regime folders named by one --policies path. */
static custos_status load_policy_path(loader *ld, const char *path) {
    char probe[CUSTOS_PATH_BUFFER];
    if (!file_exists(path))
        return error_set(ld->err, CUSTOS_E_NOT_FOUND, path, 0, 0, "no such policy folder");
    if (!file_is_dir(path))
        return error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                         "expected a folder of regime folders or one regime folder");
    snprintf(probe, sizeof probe, "%s/regime.lua", path);
    /* the shared vocabulary is found like the shared lib/: in a folder of regimes, or beside
     * a single regime folder */
    if (file_exists(probe)) {
        /* "policies/gz-2012" -> "policies"; "gz-2012" -> "."; "x/.." -> "x/../.." */
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/') n--;
        size_t cut = n;
        while (cut > 0 && path[cut - 1] != '/') cut--;
        bool dots = (n - cut == 1 && path[cut] == '.') ||
                    (n - cut == 2 && path[cut] == '.' && path[cut + 1] == '.');
        if (dots)
            snprintf(probe, sizeof probe, "%.*s/..", (int)n, path);
        else if (cut == 0)
            snprintf(probe, sizeof probe, ".");
        else
            snprintf(probe, sizeof probe, "%.*s", (int)(cut > 1 ? cut - 1 : cut), path);
        char *resolved = realpath(path, NULL);
        bool pinned = false;
        custos_status st = resolved
                               ? manifest_set_add_policies(ld->manifests, probe,
                                                           base_name(resolved), &pinned, ld->err)
                               : CUSTOS_OK;
        free(resolved);
        ld->unpinned |= !pinned;
        if (!st) st = load_schema_file(ld, probe);
        return st ? st : load_regime(ld, path);
    }
    char **names;
    size_t count, found = 0;
    bool pinned = false;
    custos_status st = manifest_set_add_policies(ld->manifests, path, NULL, &pinned, ld->err);
    ld->unpinned |= !pinned;
    if (!st) st = load_schema_file(ld, path);
    if (st) return st;
    st = file_list_dir(path, &names, &count, ld->err);
    for (size_t i = 0; !st && i < count; i++) {
        snprintf(probe, sizeof probe, "%s/%s/regime.lua", path, names[i]);
        if (!file_exists(probe)) {
            st = refuse_lost_regime(ld, path, names[i]);
            continue;
        }
        snprintf(probe, sizeof probe, "%s/%s", path, names[i]);
        st = load_regime(ld, probe);
        found++;
    }
    file_free_names(names, count);
    if (!st && !found)
        st = error_set(ld->err, CUSTOS_E_POLICY, path, 0, 0,
                       "no regime here: expected regime.lua, or folders that hold one");
    return st;
}

/* Every `req.a.b` path in the modules' and libraries' code must be a declared field: checked
 * once every declaration (schema.lua, every regime.lua) is in. */
static custos_status check_request_paths(const bundle *b, custos_error *err) {
    for (size_t i = 0; i < b->article_count + b->library_count; i++) {
        bool article = i < b->article_count;
        const char *source =
            article ? b->articles[i].source : b->libraries[i - b->article_count].source;
        size_t len =
            article ? b->articles[i].source_len : b->libraries[i - b->article_count].source_len;
        const char *path = article ? b->articles[i].path : b->libraries[i - b->article_count].path;
        path_check pc = {&b->schema, NULL, 0, {0}};
        if (!source_request_paths(source, len, known_request_path, &pc))
            return error_set(err, CUSTOS_E_POLICY, path, pc.line, 0,
                             "the request has no field '%s' (declare it in schema.lua or the "
                             "regime's request = {...}, or read it with custos.field(req, \"%s\"))",
                             pc.bad, pc.bad);
    }
    return CUSTOS_OK;
}

/* ---- ordering ----------------------------------------------------------------------------- */

static int compare_numbers(const char *a, const char *b) {
    long na = strtol(a, NULL, 10), nb = strtol(b, NULL, 10);
    if (na != nb) return na < nb ? -1 : 1;
    return strcmp(a, b);
}

/* Once regimes are sorted, regime indices order articles the same way their ids do. */
static int compare_articles(const void *x, const void *y) {
    const bundle_article *a = x, *b = y;
    if (a->applies != b->applies) return a->applies ? 1 : -1; /* appliers after every article */
    if (a->regime != b->regime) return a->regime < b->regime ? -1 : 1;
    return compare_numbers(a->number, b->number);
}

static int compare_regimes(const void *x, const void *y) {
    return strcmp(((const bundle_regime *)x)->id, ((const bundle_regime *)y)->id);
}

/* Sorts regimes by id and articles by (regime, number), and records each regime's run. */
static custos_status order_bundle(bundle *b, custos_error *err) {
    if (!b->regime_count) return CUSTOS_OK;
    const char **load_order = arena_alloc(&b->mem, b->regime_count * sizeof *load_order);
    if (!load_order) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t r = 0; r < b->regime_count; r++) load_order[r] = b->regimes[r].id;
    qsort(b->regimes, b->regime_count, sizeof *b->regimes, compare_regimes);
    for (size_t i = 0; i < b->article_count; i++)
        b->articles[i].regime = bundle_find_regime(b, load_order[b->articles[i].regime]);
    if (b->article_count)
        qsort(b->articles, b->article_count, sizeof *b->articles, compare_articles);
    for (size_t r = 0; r < b->regime_count; r++) {
        b->regimes[r].first_article = b->article_count;
        b->regimes[r].article_count = 0;
        b->regimes[r].applies = SIZE_MAX;
    }
    for (size_t i = 0; i < b->article_count; i++) {
        bundle_regime *r = &b->regimes[b->articles[i].regime];
        if (b->articles[i].applies) {
            r->applies = i;
            continue;
        }
        if (r->article_count == 0) r->first_article = i;
        r->article_count++;
    }
    return CUSTOS_OK;
}

/* ---- data ---------------------------------------------------------------------------------- */

void bundle_unknown_data_fields(const bundle *b, bundle_data_note_fn found, void *ud) {
    for (size_t i = 0; i < b->unknown_field_count; i++) found(ud, &b->unknown_fields[i]);
}

/* Reads and parses one data document, refusing one its folder's manifest does not vouch for,
 * and, with or without a manifest, one emptied or visibly cut short: a register that lost its
 * records must not load as a register that never had them. */
static custos_status read_data_document(manifest_set *ms, revision_builder *revision,
                                        const char *path, doc **out, custos_error *err) {
    char folder[CUSTOS_PATH_BUFFER];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(folder, sizeof folder, "%.*s", (int)(slash == path ? 1 : slash - path), path);
    else
        snprintf(folder, sizeof folder, ".");
    char *text = NULL;
    size_t len = 0;
    custos_status st = manifest_set_add_data(ms, folder, err);
    /* the very bytes parsed are the bytes vouched for and listed */
    if (!st) st = read_set_file(ms, revision, path, base_name(path), true, &text, &len, err);
    if (!st) st = doc_parse(text, len, path, out, err);
    if (!st && doc_root(*out)->kind == DOC_NULL)
        st = error_set(err, CUSTOS_E_INPUT, path, 0, 0,
                       "holds no data (empty, or only comments): expected a mapping of "
                       "sections; an emptied data document is refused, not read as no records");
    else if (!st && !doc_is_json(*out) && len && text[len - 1] != '\n') {
        unsigned line = 1, column = 1;
        for (size_t i = 0; i < len; i++) {
            if (text[i] == '\n')
                line++, column = 1;
            else if (((unsigned char)text[i] & 0xC0) != 0x80)
                column++;
        }
        st = error_set(err, CUSTOS_E_INPUT, path, line, column,
                       "the document ends without a line break, as a file cut short does: "
                       "expected a YAML document ending with a newline (refused rather than "
                       "read in part)");
    }
    if (st) {
        doc_free(*out);
        *out = NULL;
    }
    free(text);
    return st;
}

typedef struct note_job {
    bundle *b;
    size_t cap;
    bool failed;
} note_job;

/* Notes an unknown field with its place, for bundle_unknown_data_fields once the documents
 * are gone. */
static void note_unknown_field(void *ud, const doc *d, const doc_node *at, const char *path) {
    note_job *job = ud;
    bundle *b = job->b;
    uint32_t line = 0, column = 0;
    doc_locate(d, at, &line, &column);
    bundle_data_note *notes =
        job->failed ? NULL
                    : arena_grow(&b->mem, b->unknown_fields, b->unknown_field_count, &job->cap,
                                 b->unknown_field_count + 1, sizeof *notes);
    const char *file = notes ? arena_strdup(&b->mem, doc_name(d)) : NULL;
    const char *copy = file ? arena_strdup(&b->mem, path) : NULL;
    if (!copy) {
        job->failed = true;
        return;
    }
    b->unknown_fields = notes;
    notes[b->unknown_field_count++] = (bundle_data_note){file, copy, line, column};
}

/* Reads and checks the data documents, merges them into the bundle's store and frees them. */
static custos_status load_data(bundle *b, const custos_config *cfg, manifest_set *ms,
                               revision_builder *revision, custos_error *err) {
    custos_status st = CUSTOS_OK;
    if (!cfg->data_count) return st;
    doc **docs = calloc(cfg->data_count, sizeof *docs);
    if (!docs) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    size_t count = 0;
    for (size_t i = 0; !st && i < cfg->data_count; i++) {
        /* a host handing over every file of a data folder hands over its manifest too: it is
         * consulted as the folder's manifest (read_data_document does so for each document),
         * not read as records */
        if (strcmp(base_name(cfg->data[i]), MANIFEST_NAME) == 0) continue;
        st = read_data_document(ms, revision, cfg->data[i], &docs[count], err);
        if (!st) st = data_check(docs[count++], &b->schema, err);
    }
    if (!st) st = data_check_duplicates(docs, count, err);
    note_job notes = {b, 0, false};
    for (size_t i = 0; !st && i < count; i++)
        data_unknown_fields(docs[i], &b->schema, note_unknown_field, &notes);
    if (!st && notes.failed) st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    if (!st) st = data_store_build(docs, count, &b->store, err);
    for (size_t i = 0; i < count; i++) doc_free(docs[i]);
    free(docs);
#ifdef __GLIBC__
    malloc_trim(0); /* the trees were several times the store: give their pages back */
#endif
    return st;
}

custos_status bundle_load(const custos_config *cfg, bundle **out, custos_error *err) {
    *out = NULL;
    if (!cfg->policy_count)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "no policies: add a policy folder to the configuration");
    if (sodium_init() < 0) /* the revision's SHA-256 */
        return error_set(err, CUSTOS_E_INTERNAL, NULL, 0, 0, "libsodium failed to initialise");
    bundle *b = calloc(1, sizeof *b);
    if (!b) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    atomic_init(&b->refs, 1);
    arena_init(&b->mem, 64 * 1024);
    b->memory_limit = cfg->memory_limit ? cfg->memory_limit : CUSTOS_DEFAULT_MEMORY_LIMIT;
    b->instruction_limit =
        cfg->instruction_limit ? cfg->instruction_limit : CUSTOS_DEFAULT_INSTRUCTION_LIMIT;

    static atomic_uint_fast64_t loads;
    b->id = atomic_fetch_add_explicit(&loads, 1, memory_order_relaxed) + 1;

    loader ld = {b, NULL, err, 0, 0, 0, {0}, NULL, 0, 0, NULL, false, {0}};
    revision_init(&ld.revision);
    custos_status st = manifest_set_new(&ld.manifests)
                           ? error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory")
                           : CUSTOS_OK;
    if (!st) st = schema_init(&b->schema, &b->mem, err);
    if (!st) st = sandbox_open(CUSTOS_LOAD_MEMORY_LIMIT * 4, &ld.sb, err);
    if (!st &&
        library_loader_init(&ld.libs, &b->libraries, &b->library_count, &b->mem, ld.sb, true))
        st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; !st && i < cfg->policy_count; i++)
        st = load_policy_path(&ld, cfg->policies[i]);
    /* libraries no module required are still checked, and their lines known for coverage */
    if (!st) st = library_load_all(&ld.libs, err);
    if (!st) st = manifest_set_finish(ld.manifests, err);
    b->regimes_pinned = !ld.unpinned;
    st = sandbox_blame_memory(ld.sb, st, err); /* whatever step noticed it first */
    sandbox_close(ld.sb);
    for (size_t i = 0; i < ld.schema_file_count; i++) free(ld.schema_files[i]);
    free(ld.schema_files);
    if (!st) st = schema_finish(&b->schema, err);
    if (!st) st = check_request_paths(b, err);
    if (!st) st = order_bundle(b, err);
    for (size_t i = 0; !st && i < cfg->mode_count; i++) {
        size_t r = bundle_find_regime(b, cfg->modes[i].regime);
        if (r == SIZE_MAX) {
            char loaded[CUSTOS_MESSAGE_BUFFER / 2] = ""; /* the ids a host can choose from */
            for (size_t k = 0, used = 0; k < b->regime_count && used < sizeof loaded; k++) {
                int n = snprintf(loaded + used, sizeof loaded - used, "%s%s", k ? ", " : "",
                                 b->regimes[k].id);
                used += n > 0 ? (size_t)n : 0;
            }
            st = error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                           "a mode is set for regime '%s', which is not loaded (loaded: %s)",
                           cfg->modes[i].regime, *loaded ? loaded : "none");
        } else
            b->regimes[r].mode = cfg->modes[i].mode;
    }
    if (!st) st = load_data(b, cfg, ld.manifests, &ld.revision, err);
    manifest_set_free(ld.manifests);
    if (!st && revision_finish(&ld.revision, b->revision))
        st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    revision_discard(&ld.revision);
    if (st) {
        bundle_unref(b);
        return st;
    }
    *out = b;
    return CUSTOS_OK;
}
