/* fileio.c — see fileio.h. */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

custos_status file_read_all(const char *path, char **text, size_t *len, custos_error *err) {
    *text = NULL;
    *len = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return error_set(err, errno == ENOENT ? CUSTOS_E_NOT_FOUND : CUSTOS_E_IO, path, 0, 0,
                         "cannot open: %s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return error_set(err, CUSTOS_E_IO, path, 0, 0, "is a folder, expected a file");
    FILE *f = fopen(path, "rb");
    if (!f) return error_set(err, CUSTOS_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, used = 0;
    char *buf = malloc(cap);
    while (buf) {
        used += fread(buf + used, 1, cap - used - 1, f);
        if (used < cap - 1) break;
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    bool failed = ferror(f);
    fclose(f);
    if (!buf) return error_set(err, CUSTOS_E_NOMEM, path, 0, 0, "out of memory reading it");
    if (failed) {
        free(buf);
        return error_set(err, CUSTOS_E_IO, path, 0, 0, "read error");
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return CUSTOS_OK;
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
