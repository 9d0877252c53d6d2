/* error.c — see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Copies src into dst (size bytes), truncating on a character boundary. */
static void copy_truncated(char *dst, size_t size, const char *src) {
    size_t len = strlen(src);
    if (len < size) {
        memcpy(dst, src, len + 1);
        return;
    }
    memcpy(dst, src, size - 1);
    dst[size - 1] = '\0';
    utf8_trim(dst);
}

void error_vformat(char *buf, size_t size, const char *fmt, va_list ap) {
    int n = vsnprintf(buf, size, fmt, ap);
    if (n < 0)
        buf[0] = '\0';
    else if ((size_t)n >= size)
        utf8_trim(buf);
}

custos_status error_set(custos_error *err, custos_status status, const char *file, unsigned line,
                        unsigned column, const char *fmt, ...) {
    if (!err) return status;
    char message[sizeof err->message];
    message[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        error_vformat(message, sizeof message, fmt, ap);
        va_end(ap);
    }
    char path[sizeof err->file];
    copy_truncated(path, sizeof path, file ? file : "");
    err->status = status;
    memcpy(err->file, path, sizeof path);
    err->line = line;
    err->column = column;
    memcpy(err->message, message, sizeof message);
    return status;
}
