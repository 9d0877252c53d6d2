/* suite_util.c — see suite_util.h. */
#include "suite_util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- sbuf ------------------------------------------------------------------------------------ */

void sbuf_init(sbuf *b) { *b = (sbuf){NULL, 0, 0, false}; }

void sbuf_free(sbuf *b) {
    free(b->s);
    sbuf_init(b);
}

void sbuf_clear(sbuf *b) {
    b->len = 0;
    b->failed = false;
    if (b->s) b->s[0] = '\0';
}

static bool sbuf_reserve(sbuf *b, size_t more) {
    if (b->failed) return false;
    if (b->cap && more < b->cap - b->len) return true;
    size_t need = b->len + more + 1, cap = b->cap ? b->cap : 128;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *grown = realloc(b->s, cap);
    if (!grown) {
        b->failed = true;
        return false;
    }
    b->s = grown;
    b->cap = cap;
    return true;
}

void sbuf_addn(sbuf *b, const char *s, size_t n) {
    if (!sbuf_reserve(b, n)) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sbuf_add(sbuf *b, const char *s) { sbuf_addn(b, s, strlen(s)); }

void sbuf_addc(sbuf *b, char c) { sbuf_addn(b, &c, 1); }

void sbuf_printf(sbuf *b, const char *fmt, ...) {
    if (b->failed) return;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        sbuf_addn(b, small, (size_t)n);
        return;
    }
    if (!sbuf_reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sbuf_add_json_string(sbuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    sbuf_addc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;
        sbuf_addn(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': sbuf_add(b, "\\\""); break;
        case '\\': sbuf_add(b, "\\\\"); break;
        case '\n': sbuf_add(b, "\\n"); break;
        case '\t': sbuf_add(b, "\\t"); break;
        case '\r': sbuf_add(b, "\\r"); break;
        default: {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], '\0'};
            sbuf_add(b, esc);
        }
        }
    }
    sbuf_addn(b, s + start, n - start);
    sbuf_addc(b, '"');
}

const char *sbuf_str(const sbuf *b) { return b->s && !b->failed ? b->s : ""; }

char *sbuf_take(sbuf *b) {
    char *s = NULL;
    if (b->failed)
        free(b->s);
    else
        s = b->s ? b->s : xstrdup("");
    sbuf_init(b);
    return s;
}

/* ---- paths ----------------------------------------------------------------------------------- */

char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

char *path_join(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    while (na > 1 && a[na - 1] == '/') na--;
    char *out = malloc(na + nb + 2);
    if (!out) return NULL;
    memcpy(out, a, na);
    size_t k = na;
    if (!(na == 1 && a[0] == '/')) out[k++] = '/';
    memcpy(out + k, b, nb + 1);
    return out;
}

char *path_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return xstrdup(".");
    if (slash == path) return xstrdup("/");
    size_t n = (size_t)(slash - path);
    char *out = malloc(n + 1);
    if (!out) return NULL;
    memcpy(out, path, n);
    out[n] = '\0';
    return out;
}

const char *path_base(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *path_beside(const char *file, const char *rel) {
    if (rel[0] == '/') return xstrdup(rel);
    char *dir = path_dir(file);
    if (!dir) return NULL;
    char *out = strcmp(dir, ".") == 0 ? xstrdup(rel) : path_join(dir, rel);
    free(dir);
    return out;
}

/* Folds "." and ".." components lexically ("a/b/../c" -> "a/c"); leading ".." stay. */
static char *fold_dots(const char *path) {
    size_t n = strlen(path);
    char *out = malloc(n + 2);
    if (!out) return NULL;
    bool absolute = path[0] == '/';
    size_t len = 0, kept = 0; /* kept: components in out that a ".." may remove */
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *end = strchr(p, '/');
        size_t c = end ? (size_t)(end - p) : strlen(p);
        if (c == 1 && p[0] == '.') {
            /* skip */
        } else if (c == 2 && p[0] == '.' && p[1] == '.' && kept > 0) {
            while (len > 0 && out[len - 1] != '/') len--;
            if (len > 0) len--; /* the slash */
            kept--;
        } else if (c == 2 && p[0] == '.' && p[1] == '.' && absolute) {
            /* "/.." is "/" */
        } else {
            if (len > 0 || absolute) out[len++] = '/';
            memcpy(out + len, p, c);
            len += c;
            if (!(c == 2 && p[0] == '.' && p[1] == '.')) kept++;
        }
        p += c;
    }
    if (len == 0) out[len++] = absolute ? '/' : '.';
    out[len] = '\0';
    return out;
}

char *path_display(const char *path) {
    char *folded = fold_dots(path);
    if (!folded || folded[0] != '/') return folded;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return folded;
    size_t n = strlen(cwd);
    if (n > 1 && strncmp(folded, cwd, n) == 0 && folded[n] == '/') {
        char *rel = xstrdup(folded + n + 1);
        if (rel) {
            free(folded);
            return rel;
        }
    }
    return folded;
}

bool path_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

double clock_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
