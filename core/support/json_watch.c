/* json_watch.c — see json_watch.h. */
#include "json_watch.h"

#include <jansson.h>
#include <pthread.h>

static json_malloc_t wrapped_malloc;
static json_free_t wrapped_free;
static _Thread_local bool failed;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void *watched_malloc(size_t size) {
    void *p = wrapped_malloc(size);
    if (!p) failed = true;
    return p;
}

static void install(void) {
    json_get_alloc_funcs(&wrapped_malloc, &wrapped_free);
    if (wrapped_malloc == watched_malloc) return;
    json_set_alloc_funcs(watched_malloc, wrapped_free);
}

void json_watch_begin(void) {
    pthread_once(&installed, install);
    failed = false;
}

bool json_watch_failed(void) { return failed; }
