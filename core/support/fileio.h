/* fileio.h — reading whole files and listing folders, with errors that name the path. */
#ifndef CUSTOS_FILEIO_H
#define CUSTOS_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "custos.h"

/* Reads the whole file into a malloc'd, NUL-terminated buffer (*text, *len).  Only a regular
 * file is read: the path is opened without blocking and the opened descriptor checked, so a
 * FIFO with no writer, a device, a socket or a folder is refused at once, CUSTOS_E_IO with a
 * message saying what it is.  A missing file is CUSTOS_E_NOT_FOUND; a file larger than `limit`
 * bytes is CUSTOS_E_INPUT naming the limit on `what` ("a suite"), refused before it is read
 * (never more than limit + 1 bytes are read, should it grow meanwhile). */
custos_status file_read_limited(const char *path, size_t limit, const char *what, char **text,
                                size_t *len, custos_error *err);

/* Opens path with open(2)'s `flags` (and mode 0640 when they create it), refusing at once what
 * is not a regular file as file_read_limited does (a FIFO would block the open, a device never
 * ends).  *fd is the descriptor, in blocking mode; CUSTOS_E_NOT_FOUND / CUSTOS_E_IO naming the
 * path otherwise. */
custos_status file_open_regular(const char *path, int flags, int *fd, custos_error *err);

/* file_read_limited with CUSTOS_MAX_DATA_BYTES (data documents, policy modules). */
custos_status file_read_all(const char *path, char **text, size_t *len, custos_error *err);

/* The error for a document over the limit on `what`: CUSTOS_E_INPUT. */
custos_status file_too_large(const char *path, const char *what, size_t limit, custos_error *err);

bool file_is_dir(const char *path);
bool file_exists(const char *path);

/* The names in a folder (no "." or ".."), sorted, as a malloc'd array of malloc'd strings;
 * free with file_free_names. */
custos_status file_list_dir(const char *path, char ***names, size_t *count, custos_error *err);
void file_free_names(char **names, size_t count);

#endif
