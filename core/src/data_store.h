/*
 * data_store.h — the data documents merged into one compact, immutable tree, built once per
 * bundle and read by every thread's evaluator without locks (core/src/data_view.c gives Lua a
 * lazy view of it).
 *
 * The tree holds what policies can see, and only that: sections merged across documents as
 * evaluators always merged them (records of one section from several documents in one mapping);
 * null values left out (a mapping without the key, a list without the item, so lists have no
 * holes); strings stored once however often they occur.  Every mapping keeps its keys sorted
 * bytewise — the order `pairs` walks — so a key is found by binary search.  A node is 16
 * bytes and a mapping's key 4 more; positions in the files are not kept (the documents were
 * checked with them at load).
 */
#ifndef CUSTOS_DATA_STORE_H
#define CUSTOS_DATA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "custos.h"
#include "doc.h"

typedef struct data_store data_store;

/* A node of the store: an index, valid for the store's life. */
typedef uint32_t data_node;
#define DATA_NONE UINT32_MAX

typedef enum data_kind { DATA_BOOL, DATA_INT, DATA_NUM, DATA_STR, DATA_LIST, DATA_MAP } data_kind;

/* Merges the documents (checked by data_check and data_check_duplicates) into a store.  Fails
 * only for lack of memory, or past 2^32 - 2 nodes or 4 GiB of strings (CUSTOS_E_INPUT). */
custos_status data_store_build(doc *const *docs, size_t count, data_store **out, custos_error *err);
void data_store_free(data_store *s);

/* Bytes the store holds (for benchmarks and tests). */
size_t data_store_bytes(const data_store *s);

/* The root: a mapping of sections (empty when there is no data). */
data_node data_store_root(const data_store *s);

data_kind data_store_kind(const data_store *s, data_node n);
bool data_store_bool(const data_store *s, data_node n);
int64_t data_store_int(const data_store *s, data_node n);
double data_store_num(const data_store *s, data_node n);
const char *data_store_str(const data_store *s, data_node n, size_t *len); /* NUL-terminated */

/* Children of a list or a mapping (0 for a scalar); the i-th child (list order, or the
 * mapping's keys in bytewise order) and, for a mapping, its key. */
uint32_t data_store_count(const data_store *s, data_node n);
data_node data_store_child(const data_store *s, data_node n, uint32_t i);
const char *data_store_key(const data_store *s, data_node n, uint32_t i, size_t *len);

/* A mapping's value under key, or DATA_NONE (also when n is not a mapping). */
data_node data_store_find(const data_store *s, data_node n, const char *key, size_t len);

/* Nodes in the subtree of n, n included (saturates at UINT32_MAX). */
uint32_t data_store_size(const data_store *s, data_node n);

/* Whether n is a non-empty list of strings only. */
bool data_store_all_strings(const data_store *s, data_node n);

#endif
