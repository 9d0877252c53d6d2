/* data_store.c — see data_store.h. */
#include "data_store.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define FLAG_ALL_STRINGS 1u

typedef struct data_value {
    uint8_t kind;  /* data_kind */
    uint8_t flags; /* FLAG_ALL_STRINGS */
    uint32_t size; /* nodes in the subtree */
    union {
        bool b;
        int64_t i;
        double n;
        struct {
            uint32_t off, len; /* into strings */
        } str;
        struct {
            uint32_t first, count; /* children at values[first .. first + count) */
        } kids;
    } u;
} data_value;

struct data_store {
    data_value *values;
    uint32_t *keys; /* per node: the offset of its key when its parent is a mapping */
    uint32_t node_count;
    char *strings; /* each: a 4-byte length, the bytes, a NUL; offsets point at the bytes */
    size_t strings_len;
};

/* ---- building ----------------------------------------------------------------------------- */

/* What a mapping being placed holds: a key and either a document node or, for a section
 * merged from several documents, the mappings whose records it gathers. */
typedef struct entry {
    const char *key;
    size_t len;
    const doc_node *node;
    const doc_node **maps;
    size_t map_count;
} entry;

typedef struct builder {
    data_store *s;
    uint32_t next; /* the next free node */
    size_t strings_cap;
    uint32_t *hash; /* string offsets + 1 (0: empty), for sharing equal strings */
    size_t hash_cap, hash_used;
    /* the entries of the mappings being placed, innermost last: one vector for the whole
     * build rather than an allocation per mapping (addressed by index: it may move) */
    entry *scratch;
    size_t scratch_used, scratch_cap;
    bool failed;
} builder;

/* Makes room for n more entries on the scratch stack; false (and b->failed) if it cannot. */
static bool scratch_reserve(builder *b, size_t n) {
    if (b->failed) return false;
    if (n <= b->scratch_cap - b->scratch_used) return true;
    size_t cap = b->scratch_cap ? b->scratch_cap : 64;
    while (cap - b->scratch_used < n) {
        if (cap > SIZE_MAX / 2 / sizeof(entry)) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    entry *grown = realloc(b->scratch, cap * sizeof *grown);
    if (!grown) {
        b->failed = true;
        return false;
    }
    b->scratch = grown;
    b->scratch_cap = cap;
    return true;
}

/* Mixes eight bytes at a time (the strings are keys and short values: a byte-at-a-time hash
 * was a tenth of a large data set's open); only the table's slots depend on it. */
static uint64_t hash_bytes(const char *p, size_t n) {
    const uint64_t mul = 0x9E3779B97F4A7C15u;
    uint64_t h = n * mul;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * mul;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < n; i++) tail |= (uint64_t)(unsigned char)p[i] << (8 * i);
    h = (h ^ tail) * mul;
    return h ^ (h >> 29);
}

static uint32_t stored_len(const data_store *s, uint32_t off) {
    uint32_t len;
    memcpy(&len, s->strings + off - sizeof len, sizeof len);
    return len;
}

static bool hash_grow(builder *b) {
    size_t cap = b->hash_cap ? b->hash_cap * 2 : 1024;
    uint32_t *fresh = calloc(cap, sizeof *fresh);
    if (!fresh) return false;
    for (size_t i = 0; i < b->hash_cap; i++) {
        uint32_t off = b->hash[i];
        if (!off) continue;
        size_t at = hash_bytes(b->s->strings + off - 1, stored_len(b->s, off - 1)) & (cap - 1);
        while (fresh[at]) at = (at + 1) & (cap - 1);
        fresh[at] = off;
    }
    free(b->hash);
    b->hash = fresh;
    b->hash_cap = cap;
    return true;
}

/* The offset of a copy of p[0..n) in the store's strings, shared with an equal one. */
static uint32_t intern(builder *b, const char *p, size_t n) {
    if (b->failed) return 0;
    if ((b->hash_used + 1) * 2 > b->hash_cap && !hash_grow(b)) {
        b->failed = true;
        return 0;
    }
    size_t at = hash_bytes(p, n) & (b->hash_cap - 1);
    for (; b->hash[at]; at = (at + 1) & (b->hash_cap - 1)) {
        uint32_t off = b->hash[at] - 1;
        if (stored_len(b->s, off) == n && memcmp(b->s->strings + off, p, n) == 0) return off;
    }
    data_store *s = b->s;
    size_t need = s->strings_len + sizeof(uint32_t) + n + 1;
    if (n > UINT32_MAX || need >= UINT32_MAX) {
        b->failed = true;
        return 0;
    }
    if (need > b->strings_cap) {
        size_t cap = b->strings_cap ? b->strings_cap * 2 : 4096;
        while (cap < need) cap *= 2;
        char *grown = realloc(s->strings, cap);
        if (!grown) {
            b->failed = true;
            return 0;
        }
        s->strings = grown;
        b->strings_cap = cap;
    }
    uint32_t len = (uint32_t)n;
    memcpy(s->strings + s->strings_len, &len, sizeof len);
    uint32_t off = (uint32_t)(s->strings_len + sizeof len);
    memcpy(s->strings + off, p, n);
    s->strings[off + n] = '\0';
    s->strings_len = need;
    b->hash[at] = off + 1;
    b->hash_used++;
    return off;
}

static uint32_t add_sizes(uint32_t a, uint32_t b) {
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/* Nodes a document node becomes (nulls become nothing). */
static size_t count_nodes(const doc_node *n) {
    size_t total = 1;
    switch (n->kind) {
    case DOC_NULL: return 0;
    case DOC_SEQ:
        for (size_t i = 0; i < n->u.seq.count; i++) total += count_nodes(n->u.seq.items[i]);
        return total;
    case DOC_MAP:
        for (size_t i = 0; i < n->u.map.count; i++) total += count_nodes(n->u.map.values[i]);
        return total;
    default: return total;
    }
}

static int compare_entries(const void *pa, const void *pb) {
    const entry *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->key, b->key, n) : 0;
    if (c) return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

/* Sorts a mapping's entries by key (its keys are distinct, so any sort gives one order):
 * insertion for the few fields of a record, qsort for the long mappings of records. */
static void sort_entries(entry *e, size_t count) {
    size_t sorted = 1; /* documents often list their records in order already */
    while (sorted < count && compare_entries(&e[sorted - 1], &e[sorted]) < 0) sorted++;
    if (sorted >= count) return;
    if (count > 16) {
        qsort(e, count, sizeof *e, compare_entries);
        return;
    }
    for (size_t i = 1; i < count; i++) {
        entry item = e[i];
        size_t j = i;
        for (; j > 0 && compare_entries(&e[j - 1], &item) > 0; j--) e[j] = e[j - 1];
        e[j] = item;
    }
}

/* Pushes the non-null entries of a document mapping onto the scratch stack; their count. */
static size_t push_map_entries(builder *b, const doc_node *map) {
    if (!scratch_reserve(b, map->u.map.count)) return 0;
    size_t k = 0;
    for (size_t r = 0; r < map->u.map.count; r++)
        if (map->u.map.values[r]->kind != DOC_NULL)
            b->scratch[b->scratch_used + k++] = (entry){
                map->u.map.keys[r], strlen(map->u.map.keys[r]), map->u.map.values[r], NULL, 0};
    b->scratch_used += k;
    return k;
}

static void place_value(builder *b, uint32_t slot, const doc_node *n);

/* Places at slot a mapping of the `count` entries on top of the scratch stack (sorted here),
 * and pops them. */
static void place_map(builder *b, uint32_t slot, size_t count) {
    size_t base = b->scratch_used - count;
    data_value *v = &b->s->values[slot];
    v->kind = DATA_MAP;
    if (count > 1) sort_entries(b->scratch + base, count); /* no stack yet when count is 0 */
    uint32_t first = b->next;
    b->next += (uint32_t)count;
    b->s->values[slot].u.kids.first = first;
    b->s->values[slot].u.kids.count = (uint32_t)count;
    uint32_t size = 1;
    for (size_t i = 0; i < count && !b->failed; i++) {
        entry e = b->scratch[base + i]; /* a copy: deeper mappings may move the stack */
        b->s->keys[first + i] = intern(b, e.key, e.len);
        if (e.map_count) { /* a section merged from several documents */
            size_t k = 0;
            for (size_t m = 0; m < e.map_count; m++) k += push_map_entries(b, e.maps[m]);
            if (b->failed) break;
            place_map(b, first + (uint32_t)i, k);
        } else {
            place_value(b, first + (uint32_t)i, e.node);
        }
        size = add_sizes(size, b->s->values[first + i].size);
    }
    b->s->values[slot].size = size;
    b->scratch_used = base;
}

static void place_value(builder *b, uint32_t slot, const doc_node *n) {
    data_value *v = &b->s->values[slot];
    v->size = 1;
    switch (n->kind) {
    case DOC_NULL: return; /* never placed: the callers skip nulls */
    case DOC_BOOL: v->kind = DATA_BOOL, v->u.b = n->u.b; return;
    case DOC_INT: v->kind = DATA_INT, v->u.i = n->u.i; return;
    case DOC_NUM: v->kind = DATA_NUM, v->u.n = n->u.n; return;
    case DOC_STR:
        v->kind = DATA_STR;
        v->u.str.off = intern(b, n->u.str.s, n->u.str.len);
        v->u.str.len = (uint32_t)n->u.str.len;
        return;
    case DOC_SEQ: {
        uint32_t count = 0;
        for (size_t i = 0; i < n->u.seq.count; i++) count += n->u.seq.items[i]->kind != DOC_NULL;
        uint32_t first = b->next;
        b->next += count;
        v->kind = DATA_LIST;
        v->u.kids.first = first;
        v->u.kids.count = count;
        bool strings = count > 0;
        uint32_t size = 1, k = 0;
        for (size_t i = 0; i < n->u.seq.count && !b->failed; i++) {
            const doc_node *item = n->u.seq.items[i];
            if (item->kind == DOC_NULL) continue;
            strings = strings && item->kind == DOC_STR;
            place_value(b, first + k, item);
            size = add_sizes(size, b->s->values[first + k].size);
            k++;
        }
        b->s->values[slot].size = size;
        b->s->values[slot].flags = strings ? FLAG_ALL_STRINGS : 0;
        return;
    }
    case DOC_MAP: {
        size_t k = push_map_entries(b, n);
        if (!b->failed) place_map(b, slot, k);
        return;
    }
    }
}

/* A section as a document gives it, in the order the root's entries are sorted. */
typedef struct section_part {
    const char *key;
    size_t len, doc;
    const doc_node *node;
} section_part;

static int compare_parts(const void *pa, const void *pb) {
    const section_part *a = pa, *b = pb;
    entry ea = {a->key, a->len, NULL, NULL, 0}, eb = {b->key, b->len, NULL, NULL, 0};
    int c = compare_entries(&ea, &eb);
    return c ? c : (a->doc > b->doc) - (a->doc < b->doc);
}

/* The root's sections: one entry per section name; a section several documents give (as
 * mappings: data_check_duplicates allowed only that) gathers their mappings, in document
 * order, into e->maps (which points into *maps_out).  *nodes: the nodes the root will hold. */
static entry *collect_sections(doc *const *docs, size_t count, size_t *out_count,
                               const doc_node ***maps_out, size_t *nodes) {
    size_t total = 0;
    *nodes = 1;
    for (size_t d = 0; d < count; d++) {
        const doc_node *root = doc_root(docs[d]);
        if (root->kind == DOC_MAP) total += root->u.map.count;
    }
    section_part *parts = calloc(total ? total : 1, sizeof *parts);
    entry *e = calloc(total ? total : 1, sizeof *e);
    const doc_node **maps = calloc(total ? total : 1, sizeof *maps);
    if (!parts || !e || !maps) {
        free(parts);
        free(e);
        free(maps);
        return NULL;
    }
    size_t n = 0;
    for (size_t d = 0; d < count; d++) {
        const doc_node *root = doc_root(docs[d]);
        if (root->kind != DOC_MAP) continue;
        for (size_t i = 0; i < root->u.map.count; i++)
            if (root->u.map.values[i]->kind != DOC_NULL)
                parts[n++] = (section_part){root->u.map.keys[i], strlen(root->u.map.keys[i]), d,
                                            root->u.map.values[i]};
    }
    qsort(parts, n, sizeof *parts, compare_parts);
    size_t sections = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && parts[j].len == parts[i].len &&
               memcmp(parts[j].key, parts[i].key, parts[i].len) == 0)
            j++;
        entry *s = &e[sections++];
        *s = (entry){parts[i].key, parts[i].len, parts[i].node, NULL, 0};
        if (j - i > 1) { /* only mappings reach here twice */
            s->maps = maps + i;
            for (size_t k = i; k < j; k++) s->maps[s->map_count++] = parts[k].node;
            *nodes += 1;
            for (size_t k = i; k < j; k++)
                for (size_t r = 0; r < parts[k].node->u.map.count; r++)
                    *nodes += count_nodes(parts[k].node->u.map.values[r]);
        } else {
            *nodes += count_nodes(parts[i].node);
        }
        i = j;
    }
    free(parts);
    *out_count = sections;
    *maps_out = maps;
    return e;
}

custos_status data_store_build(doc *const *docs, size_t count, data_store **out,
                               custos_error *err) {
    *out = NULL;
    data_store *s = calloc(1, sizeof *s);
    if (!s) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    size_t nodes = 0, section_count = 0;
    const doc_node **maps = NULL;
    entry *sections = collect_sections(docs, count, &section_count, &maps, &nodes);
    if (!sections) {
        free(s);
        return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (nodes >= UINT32_MAX - 1) {
        free(sections);
        free(maps);
        free(s);
        return error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                         "the data documents hold %zu values; at most %u are allowed", nodes,
                         UINT32_MAX - 2);
    }
    s->values = calloc(nodes, sizeof *s->values);
    s->keys = calloc(nodes, sizeof *s->keys);
    builder b = {s, 1, 0, NULL, 0, 0, NULL, 0, 0, !s->values || !s->keys};
    if (scratch_reserve(&b, section_count)) {
        if (section_count) memcpy(b.scratch, sections, section_count * sizeof *sections);
        b.scratch_used = section_count;
        place_map(&b, 0, section_count);
    }
    s->node_count = b.next;
    free(sections);
    free(maps);
    free(b.hash);
    free(b.scratch);
    if (b.failed) {
        bool too_big = s->strings_len >= UINT32_MAX - 4096;
        data_store_free(s);
        return too_big ? error_set(err, CUSTOS_E_INPUT, NULL, 0, 0,
                                   "the data documents hold more than 4 GiB of text")
                       : error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    char *fit = realloc(s->strings, s->strings_len ? s->strings_len : 1);
    if (fit) s->strings = fit;
    *out = s;
    return CUSTOS_OK;
}

void data_store_free(data_store *s) {
    if (!s) return;
    free(s->values);
    free(s->keys);
    free(s->strings);
    free(s);
}

/* ---- reading ------------------------------------------------------------------------------- */

size_t data_store_bytes(const data_store *s) {
    return sizeof *s + (size_t)s->node_count * (sizeof *s->values + sizeof *s->keys) +
           s->strings_len;
}

data_node data_store_root(const data_store *s) {
    (void)s;
    return 0;
}

data_kind data_store_kind(const data_store *s, data_node n) { return s->values[n].kind; }
bool data_store_bool(const data_store *s, data_node n) { return s->values[n].u.b; }
int64_t data_store_int(const data_store *s, data_node n) { return s->values[n].u.i; }
double data_store_num(const data_store *s, data_node n) { return s->values[n].u.n; }

const char *data_store_str(const data_store *s, data_node n, size_t *len) {
    *len = s->values[n].u.str.len;
    return s->strings + s->values[n].u.str.off;
}

uint32_t data_store_count(const data_store *s, data_node n) {
    const data_value *v = &s->values[n];
    return v->kind == DATA_LIST || v->kind == DATA_MAP ? v->u.kids.count : 0;
}

data_node data_store_child(const data_store *s, data_node n, uint32_t i) {
    return s->values[n].u.kids.first + i;
}

const char *data_store_key(const data_store *s, data_node n, uint32_t i, size_t *len) {
    uint32_t off = s->keys[s->values[n].u.kids.first + i];
    *len = stored_len(s, off);
    return s->strings + off;
}

data_node data_store_find(const data_store *s, data_node n, const char *key, size_t len) {
    const data_value *v = &s->values[n];
    if (v->kind != DATA_MAP) return DATA_NONE;
    uint32_t lo = 0, hi = v->u.kids.count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t off = s->keys[v->u.kids.first + mid];
        size_t klen = stored_len(s, off), m = klen < len ? klen : len;
        int c = m ? memcmp(s->strings + off, key, m) : 0;
        if (c == 0) c = klen < len ? -1 : klen > len;
        if (c == 0) return v->u.kids.first + mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return DATA_NONE;
}

uint32_t data_store_size(const data_store *s, data_node n) { return s->values[n].size; }

bool data_store_all_strings(const data_store *s, data_node n) {
    return (s->values[n].flags & FLAG_ALL_STRINGS) != 0;
}
