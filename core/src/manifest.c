#define _XOPEN_SOURCE 700 /* realpath */
/* manifest.c — see manifest.h. */
#include "manifest.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer_limits.h"
#include "doc.h"
#include "error.h"
#include "fileio.h"

#define DIGEST_BYTES crypto_hash_sha256_BYTES
#define DIGEST_HEX (2 * DIGEST_BYTES)

typedef struct manifest_entry {
    char *rel; /* "gz-2012/art10.lua", relative to the manifest's folder */
    unsigned char digest[DIGEST_BYTES];
    unsigned line; /* in the manifest */
    bool seen;     /* read by this load */
} manifest_entry;

typedef struct manifest_regime {
    char *id;
    unsigned line;
} manifest_regime;

typedef enum manifest_scope {
    SCOPE_FILES_READ, /* a data folder: what is read must match; nothing else is required */
    SCOPE_REGIMES,    /* some regime folders of the set: theirs, lib/ and schema.lua required */
    SCOPE_WHOLE       /* the whole set: every listed file and regime required */
} manifest_scope;

typedef struct manifest {
    char *root;  /* resolved folder */
    char *given; /* the folder as the configuration names it */
    char *shown; /* the manifest's path as the caller named it, for errors */
    manifest_entry *entries;
    size_t entry_count;
    manifest_regime *regimes;
    size_t regime_count;
    manifest_scope scope;
    char **loaded_regimes; /* SCOPE_REGIMES: the regime folders loaded */
    size_t loaded_count;
} manifest;

struct manifest_set {
    manifest **items;
    size_t count;
};

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ready = -1;
static void init_sodium(void) { sodium_ready = sodium_init(); }

/* SHA-256 of bytes; false when libsodium could not start. */
static bool digest_of(const void *bytes, size_t len, unsigned char out[DIGEST_BYTES]) {
    pthread_once(&sodium_once, init_sodium);
    if (sodium_ready < 0) return false;
    crypto_hash_sha256(out, bytes, len);
    return true;
}

static void hex_of(const unsigned char digest[DIGEST_BYTES], char out[DIGEST_HEX + 1]) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < DIGEST_BYTES; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    out[DIGEST_HEX] = '\0';
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool parse_hex(const char *s, size_t len, unsigned char out[DIGEST_BYTES]) {
    if (len != DIGEST_HEX) return false;
    for (size_t i = 0; i < DIGEST_BYTES; i++) {
        int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

static void manifest_free(manifest *m) {
    if (!m) return;
    for (size_t i = 0; i < m->entry_count; i++) free(m->entries[i].rel);
    free(m->entries);
    for (size_t i = 0; i < m->regime_count; i++) free(m->regimes[i].id);
    free(m->regimes);
    for (size_t i = 0; i < m->loaded_count; i++) free(m->loaded_regimes[i]);
    free(m->loaded_regimes);
    free(m->root);
    free(m->given);
    free(m->shown);
    free(m);
}

custos_status manifest_set_new(manifest_set **out) {
    *out = calloc(1, sizeof **out);
    return *out ? CUSTOS_OK : CUSTOS_E_NOMEM;
}

void manifest_set_free(manifest_set *ms) {
    if (!ms) return;
    for (size_t i = 0; i < ms->count; i++) manifest_free(ms->items[i]);
    free(ms->items);
    free(ms);
}

static const manifest_entry *find_entry(const manifest *m, const char *rel) {
    for (size_t i = 0; i < m->entry_count; i++)
        if (strcmp(m->entries[i].rel, rel) == 0) return &m->entries[i];
    return NULL;
}

static const char *const manifest_shape =
    "expected `manifest: 1`, `regimes: [ids]` (a policy set) and `files:` mapping each file's "
    "path under the folder to its SHA-256 (64 hex digits)";

/* Reads the `files` mapping. */
static custos_status parse_files(manifest *m, const doc *d, const doc_node *files,
                                 custos_error *err) {
    if (files->kind != DOC_MAP) return doc_error_at(d, files, "files", err, "%s", manifest_shape);
    m->entries = calloc(files->u.map.count ? files->u.map.count : 1, sizeof *m->entries);
    if (!m->entries) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < files->u.map.count; i++) {
        const char *rel = files->u.map.keys[i];
        const doc_node *v = files->u.map.values[i];
        if (!*rel || rel[0] == '/' || strstr(rel, "..") || strstr(rel, "//"))
            return doc_error_at(d, v, "files", err,
                                "\"%s\": expected a relative path inside the folder", rel);
        manifest_entry *e = &m->entries[m->entry_count];
        if (v->kind != DOC_STR || !parse_hex(v->u.str.s, v->u.str.len, e->digest))
            return doc_error_at(d, v, rel, err, "expected a SHA-256 digest: 64 hex digits");
        e->rel = strdup(rel);
        if (!e->rel) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        uint32_t line = 0;
        doc_locate(d, v, &line, NULL);
        e->line = line;
        m->entry_count++;
    }
    return CUSTOS_OK;
}

/* Reads the `regimes` list; each must have its regime.lua among the files. */
static custos_status parse_regimes(manifest *m, const doc *d, const doc_node *list,
                                   custos_error *err) {
    if (list->kind != DOC_SEQ) return doc_error_at(d, list, "regimes", err, "%s", manifest_shape);
    m->regimes = calloc(list->u.seq.count ? list->u.seq.count : 1, sizeof *m->regimes);
    if (!m->regimes) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < list->u.seq.count; i++) {
        const doc_node *item = list->u.seq.items[i];
        if (item->kind != DOC_STR || !item->u.str.len || strchr(item->u.str.s, '/'))
            return doc_error_at(d, item, "regimes", err, "item %zu: expected a regime id", i + 1);
        char rel[CUSTOS_PATH_BUFFER];
        snprintf(rel, sizeof rel, "%s/regime.lua", item->u.str.s);
        if (!find_entry(m, rel))
            return doc_error_at(d, item, "regimes", err,
                                "regime '%s' is listed but files has no %s", item->u.str.s, rel);
        manifest_regime *r = &m->regimes[m->regime_count];
        r->id = strdup(item->u.str.s);
        if (!r->id) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        uint32_t line = 0;
        doc_locate(d, item, &line, NULL);
        r->line = line;
        m->regime_count++;
    }
    for (size_t i = 0; i < m->entry_count; i++) { /* and every regime.lua listed is a regime */
        const char *rel = m->entries[i].rel, *slash = strchr(rel, '/');
        if (!slash || strcmp(slash, "/regime.lua") != 0) continue;
        bool named = false;
        for (size_t r = 0; r < m->regime_count && !named; r++)
            named = strlen(m->regimes[r].id) == (size_t)(slash - rel) &&
                    strncmp(m->regimes[r].id, rel, (size_t)(slash - rel)) == 0;
        if (!named)
            return error_set(err, CUSTOS_E_INPUT, m->shown, m->entries[i].line, 0,
                             "files lists %s, but regimes does not name '%.*s'", rel,
                             (int)(slash - rel), rel);
    }
    return CUSTOS_OK;
}

static custos_status parse_manifest(manifest *m, const doc *d, custos_error *err) {
    const doc_node *root = doc_root(d);
    if (root->kind != DOC_MAP) return doc_error_at(d, root, NULL, err, "%s", manifest_shape);
    const doc_node *version = doc_map_get(root, "manifest");
    if (!version || version->kind != DOC_INT || version->u.i != MANIFEST_VERSION)
        return doc_error_at(d, version ? version : root, "manifest", err,
                            "expected `manifest: %d` (the format's version)", MANIFEST_VERSION);
    for (size_t i = 0; i < root->u.map.count; i++) {
        const char *k = root->u.map.keys[i];
        if (strcmp(k, "manifest") && strcmp(k, "regimes") && strcmp(k, "files"))
            return doc_error_at(d, root->u.map.values[i], k, err, "unknown key; %s",
                                manifest_shape);
    }
    const doc_node *files = doc_map_get(root, "files");
    if (!files) return doc_error_at(d, root, NULL, err, "no `files`; %s", manifest_shape);
    custos_status st = parse_files(m, d, files, err);
    const doc_node *regimes = doc_map_get(root, "regimes");
    if (!st && regimes) st = parse_regimes(m, d, regimes, err);
    return st;
}

static custos_status add_loaded_regime(manifest *m, const char *regime) {
    for (size_t i = 0; i < m->loaded_count; i++)
        if (strcmp(m->loaded_regimes[i], regime) == 0) return CUSTOS_OK;
    char **grown = realloc(m->loaded_regimes, (m->loaded_count + 1) * sizeof *grown);
    if (!grown) return CUSTOS_E_NOMEM;
    m->loaded_regimes = grown;
    if (!(grown[m->loaded_count] = strdup(regime))) return CUSTOS_E_NOMEM;
    m->loaded_count++;
    return CUSTOS_OK;
}

/* Widens m's scope to what this load asks of it. */
static custos_status widen_scope(manifest *m, const char *regime, bool whole) {
    if (whole) {
        m->scope = SCOPE_WHOLE;
        return CUSTOS_OK;
    }
    if (!regime) return CUSTOS_OK;
    if (m->scope == SCOPE_FILES_READ) m->scope = SCOPE_REGIMES;
    return add_loaded_regime(m, regime);
}

static custos_status add_manifest(manifest_set *ms, const char *root, const char *regime,
                                  bool whole, bool *found, custos_error *err) {
    if (found) *found = false;
    char path[CUSTOS_PATH_BUFFER];
    snprintf(path, sizeof path, "%s/%s", root, MANIFEST_NAME);
    if (!file_exists(path)) return CUSTOS_OK;
    if (found) *found = true;
    char *real = realpath(root, NULL);
    if (!real)
        return errno == ENOMEM
                   ? error_set(err, CUSTOS_E_NOMEM, root, 0, 0, "out of memory")
                   : error_set(err, CUSTOS_E_NOT_FOUND, root, 0, 0, "cannot resolve the path");
    for (size_t i = 0; i < ms->count; i++)
        if (strcmp(ms->items[i]->root, real) == 0) {
            free(real);
            return widen_scope(ms->items[i], regime, whole) == CUSTOS_OK
                       ? CUSTOS_OK
                       : error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        }
    manifest *m = calloc(1, sizeof *m);
    manifest **grown = m ? realloc(ms->items, (ms->count + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(m);
        free(real);
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    ms->items = grown;
    ms->items[ms->count++] = m;
    m->root = real;
    m->shown = strdup(path);
    m->given = strdup(root);
    if (m->given) /* "policies/" and "policies" name the same folder */
        for (size_t n = strlen(m->given); n > 1 && m->given[n - 1] == '/'; n--) m->given[n - 1] = 0;
    if (!m->shown || !m->given || widen_scope(m, regime, whole))
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    doc *d = NULL;
    custos_status st = doc_parse_file(path, &d, err);
    if (!st) st = parse_manifest(m, d, err);
    doc_free(d);
    return st;
}

custos_status manifest_set_add_policies(manifest_set *ms, const char *root, const char *regime,
                                        bool *found, custos_error *err) {
    return add_manifest(ms, root, regime, regime == NULL, found, err);
}

custos_status manifest_set_add_data(manifest_set *ms, const char *folder, custos_error *err) {
    return add_manifest(ms, folder, NULL, false, NULL, err);
}

/* file's name under root, or NULL when root does not hold it.  A data document answers to its
 * own folder's manifest only (a set's test data is not one of the set's files); a lexical path
 * with "." or ".." in it is left to the resolved comparisons. */
static const char *covered(const char *root, const char *file, bool data, bool lexical) {
    size_t n = strlen(root);
    if (strncmp(file, root, n) != 0 || file[n] != '/') return NULL;
    const char *rel = file + n + 1;
    if (data && strchr(rel, '/')) return NULL;
    if (lexical && (strncmp(rel, "./", 2) == 0 || strncmp(rel, "../", 3) == 0 ||
                    strstr(rel, "/./") || strstr(rel, "/../") || strstr(rel, "//")))
        return NULL;
    return rel;
}

custos_status manifest_set_check_file(manifest_set *ms, const char *path, bool data,
                                      const unsigned char digest[32], size_t len,
                                      custos_error *err) {
    if (!ms || !ms->count) return CUSTOS_OK;
    /* Which manifest covers the file, and its name there: first by the path as read (so a
     * symbolic link inside the set pointing outside it is still the set's file), then by its
     * resolved folder (a library folder is read resolved), then by the file resolved. */
    char *real = realpath(path, NULL), *folder_real = NULL;
    if (!real) {
        if (errno == ENOMEM) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        return error_set(err, CUSTOS_E_NOT_FOUND, path, 0, 0,
                         "cannot resolve the path (removed while loading?)");
    }
    const char *slash = strrchr(path, '/');
    char folder[CUSTOS_PATH_BUFFER], resolved_file[2 * CUSTOS_PATH_BUFFER] = "";
    if (slash && (size_t)(slash - path) < sizeof folder) {
        snprintf(folder, sizeof folder, "%.*s", (int)(slash == path ? 1 : slash - path), path);
        folder_real = realpath(folder, NULL);
        if (!folder_real && errno == ENOMEM) {
            free(real);
            return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        }
        if (folder_real)
            snprintf(resolved_file, sizeof resolved_file, "%s/%s", folder_real, slash + 1);
    }
    manifest *m = NULL;
    const char *rel = NULL;
    for (size_t i = 0; i < ms->count && !m; i++)
        if ((rel = covered(ms->items[i]->given, path, data, true)) ||
            (*resolved_file && (rel = covered(ms->items[i]->root, resolved_file, data, false))) ||
            (rel = covered(ms->items[i]->root, real, data, false)))
            m = ms->items[i];
    custos_status st = CUSTOS_OK;
    manifest_entry *e = NULL;
    for (size_t i = 0; m && i < m->entry_count && !e; i++)
        if (strcmp(m->entries[i].rel, rel) == 0) e = &m->entries[i];
    if (!m) {
        /* under no manifest: nothing to check */
    } else if (!e) {
        st = error_set(err, CUSTOS_E_POLICY, path, 0, 0,
                       "not listed in %s: the set holds a file its manifest does not name "
                       "(after a deliberate change, write it again: custos manifest write)",
                       m->shown);
    } else if (memcmp(digest, e->digest, DIGEST_BYTES) != 0) {
        char want_hex[DIGEST_HEX + 1], got_hex[DIGEST_HEX + 1];
        hex_of(e->digest, want_hex);
        hex_of(digest, got_hex);
        st = error_set(err, CUSTOS_E_POLICY, path, 0, 0,
                       "its %zu bytes have SHA-256 %.12s..., but %s:%u expects %.12s...: the "
                       "file changed or was cut short (refused, so nothing loads partly; after "
                       "a deliberate change, write the manifest again: custos manifest write)",
                       len, got_hex, m->shown, e->line, want_hex);
    } else {
        e->seen = true;
    }
    free(real);
    free(folder_real);
    return st;
}

/* Whether a listed file must have been read, given what this load asked of its manifest. */
static bool required(const manifest *m, const char *rel) {
    if (m->scope == SCOPE_WHOLE) return true;
    if (m->scope == SCOPE_FILES_READ) return false;
    if (strcmp(rel, "schema.lua") == 0 || strncmp(rel, "lib/", 4) == 0) return true;
    for (size_t i = 0; i < m->loaded_count; i++) {
        size_t n = strlen(m->loaded_regimes[i]);
        if (strncmp(rel, m->loaded_regimes[i], n) == 0 && rel[n] == '/') return true;
    }
    return false;
}

custos_status manifest_set_finish(const manifest_set *ms, custos_error *err) {
    for (size_t i = 0; ms && i < ms->count; i++) {
        const manifest *m = ms->items[i];
        /* a lost regime first: it is the cause of its files' absence */
        for (size_t r = 0; m->scope == SCOPE_WHOLE && r < m->regime_count; r++) {
            char rel[CUSTOS_PATH_BUFFER];
            snprintf(rel, sizeof rel, "%s/regime.lua", m->regimes[r].id);
            const manifest_entry *e = find_entry(m, rel);
            if (e && !e->seen)
                return error_set(err, CUSTOS_E_POLICY, m->shown, m->regimes[r].line, 0,
                                 "the set must hold regime '%s', but %s/%s was not loaded "
                                 "(missing, or its folder lost regime.lua): refusing the set "
                                 "rather than serving it without the regime",
                                 m->regimes[r].id, m->root, rel);
        }
        for (size_t k = 0; k < m->entry_count; k++) {
            const manifest_entry *e = &m->entries[k];
            if (e->seen || !required(m, e->rel)) continue;
            return error_set(err, CUSTOS_E_POLICY, m->shown, e->line, 0,
                             "lists %s, which was not loaded (missing from %s, or not a file the "
                             "loader reads): the set loads whole or not at all",
                             e->rel, m->root);
        }
    }
    return CUSTOS_OK;
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct file_list {
    char **rel;
    size_t count;
    char **regimes;
    size_t regime_count;
} file_list;

static void list_free(file_list *l) {
    for (size_t i = 0; i < l->count; i++) free(l->rel[i]);
    free(l->rel);
    for (size_t i = 0; i < l->regime_count; i++) free(l->regimes[i]);
    free(l->regimes);
}

static bool push(char ***items, size_t *count, const char *s) {
    char **grown = realloc(*items, (*count + 1) * sizeof *grown);
    if (!grown) return false;
    *items = grown;
    if (!(grown[*count] = strdup(s))) return false;
    (*count)++;
    return true;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Adds sub/<name> for every file of folder/sub ending in one of suffixes (NULL-terminated). */
static custos_status add_files(file_list *l, const char *folder, const char *sub,
                               const char *const *suffixes, custos_error *err) {
    char dir[CUSTOS_PATH_BUFFER], path[2 * CUSTOS_PATH_BUFFER], rel[CUSTOS_PATH_BUFFER];
    snprintf(dir, sizeof dir, "%s%s%s", folder, *sub ? "/" : "", sub);
    if (!file_is_dir(dir)) return CUSTOS_OK;
    char **names;
    size_t count;
    custos_status st = file_list_dir(dir, &names, &count, err);
    for (size_t i = 0; !st && i < count; i++) {
        bool wanted = false;
        for (const char *const *s = suffixes; *s && !wanted; s++) wanted = ends_with(names[i], *s);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!wanted || strcmp(names[i], MANIFEST_NAME) == 0 || file_is_dir(path)) continue;
        if (snprintf(rel, sizeof rel, "%s%s%s", sub, *sub ? "/" : "", names[i]) >= (int)sizeof rel)
            continue; /* no loader reads a path this long */
        if (!push(&l->rel, &l->count, rel))
            st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    file_free_names(names, count);
    return st;
}

/* The files the loader reads from a policy set, or a data folder's documents. */
static custos_status collect(const char *folder, file_list *l, custos_error *err) {
    static const char *const lua[] = {".lua", NULL};
    static const char *const data[] = {".yaml", ".yml", ".json", NULL};
    char probe[CUSTOS_PATH_BUFFER];
    char **names;
    size_t count;
    custos_status st = file_list_dir(folder, &names, &count, err);
    if (st) return st;
    for (size_t i = 0; !st && i < count; i++) {
        snprintf(probe, sizeof probe, "%s/%s/regime.lua", folder, names[i]);
        if (file_exists(probe) && !push(&l->regimes, &l->regime_count, names[i]))
            st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    snprintf(probe, sizeof probe, "%s/schema.lua", folder);
    bool policy_set = l->regime_count || file_exists(probe);
    if (!st && policy_set) {
        if (file_exists(probe) && !push(&l->rel, &l->count, "schema.lua"))
            st = error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
        if (!st) st = add_files(l, folder, "lib", lua, err);
        for (size_t i = 0; !st && i < l->regime_count; i++) {
            char sub[CUSTOS_PATH_BUFFER];
            st = add_files(l, folder, l->regimes[i], lua, err);
            snprintf(sub, sizeof sub, "%s/lib", l->regimes[i]);
            if (!st) st = add_files(l, folder, sub, lua, err);
        }
    } else if (!st) {
        st = add_files(l, folder, "", data, err);
    }
    file_free_names(names, count);
    return st;
}

static custos_status write_entries(FILE *f, const char *folder, const file_list *l,
                                   custos_error *err) {
    fprintf(f,
            "# %s — written by `custos manifest write`: every file custos may load from this\n"
            "# folder, with its SHA-256.  A load or reload refuses a file missing, added,\n"
            "# changed or cut short, so the set serves whole or not at all.  Write it again\n"
            "# after a deliberate change.\n",
            MANIFEST_NAME);
    fprintf(f, "manifest: %d\n", MANIFEST_VERSION);
    if (l->regime_count) {
        fputs("regimes:\n", f);
        for (size_t i = 0; i < l->regime_count; i++) fprintf(f, "  - %s\n", l->regimes[i]);
    }
    fputs(l->count ? "files:\n" : "files: {}\n", f);
    for (size_t i = 0; i < l->count; i++) {
        char path[CUSTOS_PATH_BUFFER], hex[DIGEST_HEX + 1], *text = NULL;
        unsigned char digest[DIGEST_BYTES];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", folder, l->rel[i]);
        custos_status st = file_read_all(path, &text, &len, err);
        if (st) return st;
        bool ok = digest_of(text, len, digest);
        free(text);
        if (!ok) return error_set(err, CUSTOS_E_INTERNAL, path, 0, 0, "libsodium could not start");
        hex_of(digest, hex);
        fprintf(f, "  %s: %s\n", l->rel[i], hex);
    }
    return CUSTOS_OK;
}

custos_status manifest_write(const char *folder, size_t *count, custos_error *err) {
    if (count) *count = 0;
    if (!file_is_dir(folder))
        return error_set(err, file_exists(folder) ? CUSTOS_E_IO : CUSTOS_E_NOT_FOUND, folder, 0, 0,
                         "expected a folder (a policy set or a folder of data documents)");
    file_list l = {0};
    custos_status st = collect(folder, &l, err);
    char path[CUSTOS_PATH_BUFFER], tmp[CUSTOS_PATH_BUFFER + 8];
    snprintf(path, sizeof path, "%s/%s", folder, MANIFEST_NAME);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = st ? NULL : fopen(tmp, "w");
    if (!st && !f) st = error_set(err, CUSTOS_E_IO, tmp, 0, 0, "cannot write: %s", strerror(errno));
    if (!st) st = write_entries(f, folder, &l, err);
    if (f && fclose(f) != 0 && !st)
        st = error_set(err, CUSTOS_E_IO, tmp, 0, 0, "cannot write: %s", strerror(errno));
    /* renamed into place whole: a loader or a watcher never sees half a manifest */
    if (!st && rename(tmp, path) != 0)
        st = error_set(err, CUSTOS_E_IO, path, 0, 0, "cannot write: %s", strerror(errno));
    if (st && f) remove(tmp);
    if (!st && count) *count = l.count;
    list_free(&l);
    return st;
}

custos_status custos_manifest_write(const char *folder, size_t *count, custos_error *err) {
    if (!folder || !*folder)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_manifest_write: expected a folder");
    return manifest_write(folder, count, err);
}
