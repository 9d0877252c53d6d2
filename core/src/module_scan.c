/* module_scan.c — see module_scan.h. */
#include "module_scan.h"

#include "buffer_limits.h"

#include <ctype.h>
#include <string.h>

/* If s[i] opens a long bracket ("[[", "[==["), returns the index just past its close (or len
 * when unclosed); else returns i. */
static size_t skip_long_bracket(const char *s, size_t len, size_t i) {
    size_t j = i + 1, level = 0;
    if (i >= len || s[i] != '[') return i;
    while (j < len && s[j] == '=') level++, j++;
    if (j >= len || s[j] != '[') return i;
    for (j++; j < len; j++) {
        if (s[j] != ']') continue;
        size_t k = j + 1, eq = 0;
        while (k < len && s[k] == '=') eq++, k++;
        if (eq == level && k < len && s[k] == ']') return k + 1;
    }
    return len;
}

/* Calls word() for each name in the source's code — not in comments or strings — with its
 * line; stops when word() returns false.  Returns false when it was stopped. */
typedef bool (*word_fn)(void *ud, const char *s, size_t len, size_t at, size_t n, unsigned line);

static bool ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static bool scan_words(const char *s, size_t len, word_fn word, void *ud) {
    unsigned line = 1;
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        size_t from = i;
        if (c == '\n') {
            line++;
            i++;
            continue;
        } else if (c == '-' && i + 1 < len && s[i + 1] == '-') { /* a comment, long or to the end */
            size_t after = skip_long_bracket(s, len, i + 2);
            if (after != i + 2)
                i = after;
            else
                while (i < len && s[i] != '\n') i++;
        } else if (c == '"' || c == '\'') { /* a short string */
            for (i++; i < len && s[i] != c && s[i] != '\n'; i++)
                if (s[i] == '\\') i++;
            i++;
        } else if (c == '[' && skip_long_bracket(s, len, i) != i) { /* a long string */
            i = skip_long_bracket(s, len, i);
        } else if (ident_start(c)) {
            while (i < len && ident_char(s[i])) i++;
            if (!word(ud, s, len, from, i - from, line)) return false;
            continue;
        } else {
            i++;
            continue;
        }
        for (size_t k = from; k < i && k < len; k++) line += s[k] == '\n'; /* skipped lines */
    }
    return true;
}

static bool word_is(const char *s, size_t at, size_t n, const char *name) {
    return strlen(name) == n && memcmp(s + at, name, n) == 0;
}

/* A word preceded by '.' or ':' is a field or method name, not a variable or keyword. */
static bool is_field(const char *s, size_t at) {
    return at > 0 && (s[at - 1] == '.' || s[at - 1] == ':');
}

typedef struct path_scan {
    source_path_fn found;
    void *ud;
} path_scan;

/* At `req`: reads the .name.name... chain after it and reports it. */
static bool report_path(void *ud, const char *s, size_t len, size_t at, size_t n, unsigned line) {
    path_scan *ps = ud;
    if (!word_is(s, at, n, "req") || is_field(s, at)) return true;
    size_t i = at + n;
    char path[CUSTOS_REQUEST_PATH_BUFFER];
    size_t used = 0;
    while (i + 1 < len && s[i] == '.' && ident_start(s[i + 1])) {
        size_t from = ++i;
        while (i < len && ident_char(s[i])) i++;
        if (used + (i - from) + 2 >= sizeof path) break;
        if (used) path[used++] = '.';
        memcpy(path + used, s + from, i - from);
        used += i - from;
    }
    path[used] = '\0';
    return !used || ps->found(ps->ud, path, line);
}

bool source_request_paths(const char *s, size_t len, source_path_fn found, void *ud) {
    path_scan ps = {found, ud};
    return scan_words(s, len, report_path, &ps);
}

typedef struct code_scan {
    source_code_fn found;
    void *ud;
} code_scan;

/* At permit / deny / not_applicable: reports the string literal that is its first argument. */
static bool report_code(void *ud, const char *s, size_t len, size_t at, size_t n, unsigned line) {
    code_scan *cs = ud;
    if (is_field(s, at) || !(word_is(s, at, n, "permit") || word_is(s, at, n, "deny") ||
                             word_is(s, at, n, "not_applicable")))
        return true;
    size_t i = at + n;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i >= len || s[i++] != '(') return true;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i >= len || (s[i] != '"' && s[i] != '\'')) return true;
    char quote = s[i++];
    size_t from = i;
    while (i < len && s[i] != quote && s[i] != '\n') i++;
    if (i >= len || s[i] != quote) return true;
    return cs->found(cs->ud, s + from, i - from, line);
}

bool source_verdict_codes(const char *s, size_t len, source_code_fn found, void *ud) {
    code_scan cs = {found, ud};
    return scan_words(s, len, report_code, &cs);
}
