/*
 * data_view.h — one thread's Lua view of the shared data (data_store.h).
 *
 * The data stays in C, once for all threads.  What policies get as `data` is made on first
 * read: a small table (at most DATA_VIEW_EAGER_NODES values: a record, say) becomes a frozen
 * Lua table as a whole, as the prelude freezes any table; a larger one becomes a lazy proxy (the
 * prelude's lazy_view, core/lua/sandbox.lua) whose keys are looked up in C on their first read
 * and kept in the proxy's cache, so a later read is a table hop.  Making a value is the
 * engine's work, not the policy's: its memory is neither held to the decision's limit nor
 * charged as instructions (sandbox_exempt_begin), and it is bounded per read; the Lua it runs
 * (freezing) is metered like any code, so reading cannot hide work from the instruction count.
 *
 * The cache is bounded.  Data of at most DATA_VIEW_CACHE_NODES values is kept as it is read, for
 * the thread's life (in the end, the copy every thread used to make).  Of larger data, only the
 * lazy proxies of its large tables are kept (up to that bound, a list's set counting its
 * items); a record a decision reads is kept only until the decision ends (data_view_forget).
 * So a thread's memory does not grow with the records it reads, and the collector never meets
 * long-lived garbage: kept values never die, the others die young (what the generational
 * collector is good at).  Measured alternatives were worse: dropping a cache of old records
 * when full made collection steps of milliseconds; keeping the first records read up to the
 * bound made every minor collection walk their entries in the prelude's weak tables
 * (p99.9 up to 40x the median).
 */
#ifndef CUSTOS_DATA_VIEW_H
#define CUSTOS_DATA_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

#include "data_store.h"
#include "sandbox.h"

/* A table of at most this many values (itself included) is made whole on its first read. */
#define DATA_VIEW_EAGER_NODES 256
/* Values a view keeps for the thread's life. */
#define DATA_VIEW_CACHE_NODES 16384
/* A decision that made more values than this for itself is followed by a full collection, so
 * the next decision does not start with their garbage as room under its memory limit. */
#define DATA_VIEW_COLLECT_NODES 8192
/* A list of strings made for one decision with at most this many items has no set: custos.has
 * scans it. */
#define DATA_VIEW_SCAN_ITEMS 32

typedef struct data_view {
    const data_store *store;
    const sandbox_prelude *prelude;
    size_t kept;            /* values kept for the thread's life */
    bool keep_records;      /* the data fits the cache: keep everything read */
    int transient_ref;      /* a list: cache, key, cache, key ... to clear after the decision */
    lua_Integer transient;  /* its length */
    size_t transient_nodes; /* values they hold */
} data_view;

/* Starts a view (store may be NULL: no data) and pushes its root, the policies' `data`. */
void data_view_push_root(lua_State *L, data_view *v, const data_store *store,
                         const sandbox_prelude *prelude);

/* Forgets what the decision read past the cache's bound, collecting the garbage when it was
 * much (never allocates and never raises: call it anywhere). */
void data_view_forget(lua_State *L, data_view *v);

#endif
