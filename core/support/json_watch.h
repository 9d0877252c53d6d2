/*
 * json_watch.h — whether jansson ran out of memory during a call.
 *
 * jansson reports some allocation failures as syntax errors, and its lexer drops a character
 * when the buffer it saves a token in cannot grow — a string read under memory pressure can
 * come back shorter, with no error at all.  So the library watches jansson's allocator: the
 * first use wraps the allocation functions jansson has then (the host's, when it set its own
 * before), noting a failure per thread.  A host that sets jansson's allocator later replaces
 * the watch, and failures go back to being reported as jansson reports them.
 */
#ifndef CUSTOS_JSON_WATCH_H
#define CUSTOS_JSON_WATCH_H

#include <stdbool.h>

/* Starts watching on this thread (installing the watch on first use). */
void json_watch_begin(void);

/* Whether an allocation by jansson failed on this thread since json_watch_begin. */
bool json_watch_failed(void);

#endif
