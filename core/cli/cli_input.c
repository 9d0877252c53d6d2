/* cli_input.c — see cli_input.h. */
#include "cli_input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_common.h"

const char *cli_input_describe_limit(size_t limit, char *buf, size_t size) {
    if (limit >= 1024 * 1024 && limit % (1024 * 1024) == 0)
        snprintf(buf, size, "%zu MiB", limit / (1024 * 1024));
    else if (limit >= 1024 && limit % 1024 == 0)
        snprintf(buf, size, "%zu KiB", limit / 1024);
    else
        snprintf(buf, size, "%zu bytes", limit);
    return buf;
}

static int too_large(const char *name, size_t limit, const char *what) {
    char shown[32];
    cli_error_at(name, 0, 0, "larger than the %s limit on %s (%zu bytes); refused",
                 cli_input_describe_limit(limit, shown, sizeof shown), what, limit);
    return CLI_EXIT_DATAERR;
}

static const char *file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

int cli_input_open(const char *path, size_t limit, const char *what, FILE **out) {
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        *out = stdin;
        return 0;
    }
    /* Non-blocking, so a FIFO with no writer cannot hang the open; then the opened file itself
     * is checked (no window for the path to be swapped after a stat). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int code = errno;
        if (code == ENOENT || code == ENOTDIR)
            cli_error_at(path, 0, 0, "no such file");
        else
            cli_error_at(path, 0, 0, "cannot open: %s", strerror(code));
        return CLI_EXIT_NOINPUT;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        cli_error_at(path, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return CLI_EXIT_NOINPUT;
    }
    /* only a regular file has an end and a size; a pipe is read as stdin ('-') */
    if (!S_ISREG(st.st_mode)) {
        cli_error_at(path, 0, 0, "is %s, expected a file (or '-' to read stdin)",
                     file_kind(st.st_mode));
        close(fd);
        return CLI_EXIT_NOINPUT;
    }
    if (limit && (uintmax_t)st.st_size > (uintmax_t)limit) {
        close(fd);
        return too_large(path, limit, what);
    }
    FILE *f = fdopen(fd, "rb"); /* O_NONBLOCK changes nothing on a regular file */
    if (!f) {
        cli_error_at(path, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return CLI_EXIT_NOINPUT;
    }
    *out = f;
    return 0;
}

const char *cli_input_special_kind(const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return NULL;
    struct stat st;
    const char *kind = fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) ? file_kind(st.st_mode) : NULL;
    close(fd);
    return kind;
}

int cli_input_read(const char *path, size_t limit, const char *what, char **text, size_t *len) {
    *text = NULL;
    *len = 0;
    FILE *f;
    int rc = cli_input_open(path, limit, what, &f);
    if (rc) return rc;
    const char *name = cli_document_name(path);
    /* never more than limit + 1 bytes: a file that grows, or stdin, is cut off there */
    size_t cap = 8192, used = 0;
    char *buf = malloc(cap);
    bool failed = false;
    while (buf) {
        if (cap - used < 2) {
            size_t want = cap * 2 > limit + 2 ? limit + 2 : cap * 2;
            char *grown = realloc(buf, want);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap = want;
        }
        size_t n = fread(buf + used, 1, cap - used - 1, f);
        used += n;
        if (used > limit) break;
        if (n == 0) {
            failed = ferror(f) != 0;
            break;
        }
    }
    int code = errno;
    if (f != stdin) fclose(f);
    if (!buf) {
        cli_error_at(name, 0, 0, "out of memory reading it");
        return CLI_EXIT_SOFTWARE;
    }
    if (used > limit) {
        free(buf);
        return too_large(name, limit, what);
    }
    if (failed) {
        free(buf);
        cli_error_at(name, 0, 0, "cannot read: %s", strerror(code));
        return CLI_EXIT_NOINPUT;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return 0;
}

void cli_line_reader_init(cli_line_reader *r, FILE *f, size_t limit) {
    memset(r, 0, sizeof *r);
    r->f = f;
    r->limit = limit;
}

cli_line_status cli_line_read(cli_line_reader *r, const char **line, size_t *len) {
    *line = NULL;
    *len = 0;
    size_t used = 0;
    bool too_long = false;
    int c = 0;
    FILE *f = r->f;
    for (;;) {
        c = getc_unlocked(f);
        if (c == EOF || c == '\n') break;
        if (too_long) {
            used++;
            continue;
        }
        if (used + 2 > r->cap) {
            size_t want = r->cap ? r->cap * 2 : 4096;
            if (want > r->limit + 2) want = r->limit + 2;
            char *grown = realloc(r->buf, want);
            if (!grown) {
                errno = ENOMEM;
                return CLI_LINE_ERROR;
            }
            r->buf = grown;
            r->cap = want;
        }
        r->buf[used++] = (char)c;
        if (used > r->limit) too_long = true;
    }
    if (c == EOF && ferror(f)) return CLI_LINE_ERROR;
    if (c == EOF && used == 0) return CLI_LINE_END;
    r->line_no++;
    *len = used;
    if (too_long) return CLI_LINE_TOO_LONG;
    if (!r->buf) {
        r->buf = malloc(1);
        if (!r->buf) return CLI_LINE_ERROR;
        r->cap = 1;
    }
    r->buf[used] = '\0';
    if (used && r->buf[used - 1] == '\r') r->buf[--used] = '\0', *len = used;
    *line = r->buf;
    return CLI_LINE_OK;
}

void cli_line_reader_free(cli_line_reader *r) {
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}
