/* fileio.c — see fileio.h. */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* What a file that is not a regular file is, for "is a ..., expected a file". */
static const char *file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

/* "1 MiB" / "64 MiB" / "1000 bytes" for messages. */
static void describe_limit(size_t limit, char *buf, size_t size) {
    if (limit >= 1024 * 1024 && limit % (1024 * 1024) == 0)
        snprintf(buf, size, "%zu MiB", limit / (1024 * 1024));
    else if (limit >= 1024 && limit % 1024 == 0)
        snprintf(buf, size, "%zu KiB", limit / 1024);
    else
        snprintf(buf, size, "%zu bytes", limit);
}

custos_status file_too_large(const char *path, const char *what, size_t limit, custos_error *err) {
    char shown[32];
    describe_limit(limit, shown, sizeof shown);
    return error_set(err, CUSTOS_E_INPUT, path, 0, 0,
                     "is larger than the %s limit on %s (%zu bytes); refused unread", shown, what,
                     limit);
}

/* Opens without blocking (a FIFO with no writer would hang a plain open) and checks the opened
 * file itself, so the path cannot be swapped between the check and the read. */
custos_status file_open_regular(const char *path, int flags, int *fd, custos_error *err) {
    *fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0640);
    if (*fd < 0)
        return error_set(err,
                         errno == ENOENT || errno == ENOTDIR ? CUSTOS_E_NOT_FOUND
                         : errno == ENOMEM                   ? CUSTOS_E_NOMEM
                                                             : CUSTOS_E_IO,
                         path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    custos_status status = CUSTOS_OK;
    int fl;
    if (fstat(*fd, &st) != 0)
        status = error_set(err, CUSTOS_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    else if (!S_ISREG(st.st_mode))
        status = error_set(err, CUSTOS_E_IO, path, 0, 0, "is %s, expected a regular file",
                           file_kind(st.st_mode));
    else if ((fl = fcntl(*fd, F_GETFL)) < 0 || fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
        status = error_set(err, CUSTOS_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    if (status) {
        close(*fd);
        *fd = -1;
    }
    return status;
}

/* Opens path for reading as file_open_regular does, and checks its size: at most limit bytes.
 * *fd and *size on success. */
static custos_status open_regular(const char *path, size_t limit, const char *what, int *fd,
                                  size_t *size, custos_error *err) {
    custos_status status = file_open_regular(path, O_RDONLY, fd, err);
    if (status) return status;
    struct stat st;
    if (fstat(*fd, &st) != 0)
        status = error_set(err, CUSTOS_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    else if ((uintmax_t)st.st_size > (uintmax_t)limit)
        status = file_too_large(path, what, limit, err);
    if (status) {
        close(*fd);
        *fd = -1;
        return status;
    }
    *size = (size_t)st.st_size;
    return CUSTOS_OK;
}

custos_status file_read_limited(const char *path, size_t limit, const char *what, char **text,
                                size_t *len, custos_error *err) {
    *text = NULL;
    *len = 0;
    int fd;
    size_t size = 0;
    custos_status status = open_regular(path, limit, what, &fd, &size, err);
    if (status) return status;
    /* The file may grow after fstat: never read more than limit + 1 bytes. */
    size_t cap = size + 2, used = 0;
    if (cap < 4096) cap = 4096;
    if (cap > limit + 2) cap = limit + 2;
    char *buf = malloc(cap);
    int read_errno = 0;
    while (buf) {
        ssize_t n = read(fd, buf + used, cap - used - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) read_errno = errno;
        if (n <= 0) break;
        used += (size_t)n;
        if (used > limit) break;
        if (used < cap - 1) continue;
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
    close(fd);
    if (!buf) return error_set(err, CUSTOS_E_NOMEM, path, 0, 0, "out of memory reading it");
    if (read_errno || used > limit) {
        free(buf);
        return read_errno ? error_set(err, CUSTOS_E_IO, path, 0, 0, "cannot read: %s",
                                      strerror(read_errno))
                          : file_too_large(path, what, limit, err);
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return CUSTOS_OK;
}

custos_status file_read_all(const char *path, char **text, size_t *len, custos_error *err) {
    return file_read_limited(path, CUSTOS_MAX_DATA_BYTES, "a document", text, len, err);
}

bool file_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

custos_status file_list_dir(const char *path, char ***names, size_t *count, custos_error *err) {
    *names = NULL;
    *count = 0;
    DIR *dir = opendir(path);
    if (!dir && errno == ENOMEM) /* opendir allocates: not a fault of the folder */
        return error_set(err, CUSTOS_E_NOMEM, path, 0, 0, "out of memory opening the folder");
    if (!dir)
        return error_set(err, errno == ENOENT ? CUSTOS_E_NOT_FOUND : CUSTOS_E_IO, path, 0, 0,
                         "cannot open folder: %s", strerror(errno));
    char **list = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    custos_status st = CUSTOS_OK;
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            size_t new_cap = cap ? cap * 2 : 16;
            char **grown = realloc(list, new_cap * sizeof *grown);
            if (!grown) {
                st = CUSTOS_E_NOMEM;
                break;
            }
            list = grown;
            cap = new_cap;
        }
        if (!(list[n] = strdup(e->d_name))) {
            st = CUSTOS_E_NOMEM;
            break;
        }
        n++;
    }
    closedir(dir);
    if (st) {
        file_free_names(list, n);
        return error_set(err, st, path, 0, 0, "out of memory listing the folder");
    }
    if (n) qsort(list, n, sizeof *list, compare_names);
    *names = list;
    *count = n;
    return CUSTOS_OK;
}

void file_free_names(char **names, size_t count) {
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
}
