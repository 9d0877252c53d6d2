/*
 * buffer_limits.h — the sizes of the fixed buffers the library formats names and messages
 * into, named once so that every part cuts the same text at the same length.  (Not called
 * limits.h: this folder is on the include path, where that name would hide <limits.h>.)
 *
 * Text longer than a buffer is cut (snprintf), never overflowed; what ends in a custos_error
 * is cut again to the public CUSTOS_ERROR_FILE_MAX / CUSTOS_ERROR_MESSAGE_MAX, on a UTF-8
 * character boundary.
 */
#ifndef CUSTOS_BUFFER_LIMITS_H
#define CUSTOS_BUFFER_LIMITS_H

#include "custos.h"

/* A file path the library builds from a folder and a name ("policies/gz-2012/art11.lua"). */
#define CUSTOS_PATH_BUFFER 1024

/* A module's chunk name as messages show it ("gz-2012/art11.lua", "gz-2012/lib/x.lua"). */
#define CUSTOS_CHUNKNAME_BUFFER 512
/* The same name as Lua's source of the chunk: "@" and the chunk name.  Every part that
 * compares a function's source with a chunk name must build it in a buffer of this size, so
 * both sides cut a long name at the same place. */
#define CUSTOS_CHUNK_SOURCE_BUFFER (CUSTOS_CHUNKNAME_BUFFER + 1)

/* A message taken from Lua (an error object's text) on its way into a custos_error. */
#define CUSTOS_MESSAGE_BUFFER CUSTOS_ERROR_MESSAGE_MAX

/* A regime's folder name, which is its id ("gz-2012"). */
#define CUSTOS_NAME_BUFFER 256

/* A place in a declaration for messages ("policies/schema.lua:12"). */
#define CUSTOS_PLACE_BUFFER (CUSTOS_PATH_BUFFER + 16)

/* A dotted request path ("resource.id") read from a module's source. */
#define CUSTOS_REQUEST_PATH_BUFFER 256

#endif
