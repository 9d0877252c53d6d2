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

#include "bundle.h"
#include "sandbox.h"

typedef struct library_loader {
    bundle *b;
    sandbox *sb;
    bool open;        /* require allowed: modules are loading */
    bool record;      /* at bundle load: compute each library's deep_loops */
    bool *loops_sink; /* the unit loading now: set when it requires a library that can loop */
    int cache_ref;    /* registry table: library index -> its frozen value (false: loading) */
} library_loader;

/* Starts a loader for sandbox sb on bundle b.  `record` is for bundle_load, which computes the
 * libraries' loop flags; evaluators read them.  CUSTOS_E_NOMEM on failure. */
custos_status library_loader_init(library_loader *ll, bundle *b, sandbox *sb, bool record);

/* Loads every library not loaded yet (bundle_load: so an unused library is still checked and
 * its lines known).  Errors name the library's file. */
custos_status library_load_all(library_loader *ll, custos_error *err);

/* A sandbox_env_fn: gives the module's environment a `require` resolving for regime r. */
typedef struct library_scope {
    library_loader *ll;
    size_t regime;
} library_scope;
void library_prepare_env(lua_State *L, int env, void *scope);

#endif
