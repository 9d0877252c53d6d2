/*
 * library.h — shared Lua code for policy modules: `require "name"`.
 *
 * A regime's modules may share code through libraries: `<regime>/lib/<name>.lua` (the
 * regime's own), else `lib/<name>.lua` beside the regime folders (shared by all of them).  A
 * library is loaded once per sandbox, in its own sealed environment, and what it returns is
 * frozen.  `require` works only while modules load (at their top level), so every article's
 * libraries are known once the bundle has loaded: an article that uses a library that can loop
 * is metered per instruction, like one that loops itself.
 */
#ifndef CUSTOS_LIBRARY_H
#define CUSTOS_LIBRARY_H

#include <stdbool.h>

#include "arena.h"
#include "sandbox.h"

/* A library: one file of shared code, found in a lib/ folder when the policy set loads. */
typedef struct library_module {
    const char *name;       /* "confidential" */
    const char *dir;        /* the resolved folder holding it */
    const char *shared_dir; /* where its own requires look next (a regime library: the shared
                             * folder beside the regimes; a shared library: none) */
    const char *path, *chunkname, *source;
    size_t source_len;
    bool deep_loops; /* it, or a library it requires, can loop (read from their bytecode) */
    size_t deep_largest_nested; /* instructions of the largest function in them */
    unsigned *lines;            /* lines of its functions that can run, ascending (coverage) */
    size_t line_count;
} library_module;

/* The loader works on a list it does not own (the bundle's, which grows while regimes load):
 * it reads it through these pointers and writes only what `record` asks. */
typedef struct library_loader {
    library_module *const *libraries;
    const size_t *library_count;
    arena *mem; /* where recorded lines go */
    sandbox *sb;
    bool open;     /* require allowed: modules are loading */
    bool record;   /* at bundle load: compute each library's deep_loops */
    int cache_ref; /* registry table: library index -> its frozen value (false: loading) */
} library_loader;

/* Starts a loader for sandbox sb on the list *libraries (*count long).  `record` is for
 * bundle_load, which computes the libraries' loop flags and lines (into mem); evaluators read
 * them.  CUSTOS_E_NOMEM on failure. */
custos_status library_loader_init(library_loader *ll, library_module *const *libraries,
                                  const size_t *count, arena *mem, sandbox *sb, bool record);

/* Loads every library not loaded yet (bundle_load: so an unused library is still checked and
 * its lines known).  Errors name the library's file. */
custos_status library_load_all(library_loader *ll, custos_error *err);

/* A sandbox_env_fn: gives the module's environment a `require` resolving in own_dir (a
 * regime's lib/), then shared_dir (lib/ beside the regimes); either may be NULL. */
typedef struct library_scope {
    library_loader *ll;
    const char *own_dir, *shared_dir;
} library_scope;
void library_prepare_env(lua_State *L, int env, void *scope);

#endif
