/* error.h — filling a custos_error: the one way every part of the library reports a problem. */
#ifndef CUSTOS_ERROR_H
#define CUSTOS_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "custos.h"

/* Sets err's status, file, line, column and printf-formatted message, truncating safely (on a
 * UTF-8 character boundary).  file may be NULL; err may be NULL (then only returns status).
 * The message is formatted before anything is written, so arguments may point into err. */
custos_status error_set(custos_error *err, custos_status status, const char *file, unsigned line,
                        unsigned column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* vsnprintf into buf, truncated on a UTF-8 character boundary ("" if formatting fails). */
void error_vformat(char *buf, size_t size, const char *fmt, va_list ap);

#endif
