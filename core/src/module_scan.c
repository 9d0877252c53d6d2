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

/* ---- findings for `custos check` (policies.c) --------------------------------------------- */

typedef struct find_scan {
    source_find_kind kind;
    source_code_fn found;
    void *ud;
} find_scan;

static size_t skip_blanks(const char *s, size_t len, size_t i) {
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    return i;
}

/* At s[i], a short string literal without escapes: its text in [*from, *from + *n) and the
 * index past it; else returns i. */
static size_t read_literal(const char *s, size_t len, size_t i, size_t *from, size_t *n) {
    if (i >= len || (s[i] != '"' && s[i] != '\'')) return i;
    char quote = s[i];
    size_t j = i + 1;
    while (j < len && s[j] != quote && s[j] != '\n' && s[j] != '\\') j++;
    if (j >= len || s[j] != quote) return i;
    *from = i + 1;
    *n = j - i - 1;
    return j + 1;
}

/* Whether s[at] starts a table field: only blanks after the line's start, a ',' or a '{'. */
static bool starts_field(const char *s, size_t at) {
    while (at > 0 && (s[at - 1] == ' ' || s[at - 1] == '\t')) at--;
    return at == 0 || s[at - 1] == '\n' || s[at - 1] == ',' || s[at - 1] == '{';
}

/* From s[i], the index of the next ',' ')' or '}' outside brackets and strings (or len). */
static size_t skip_expression(const char *s, size_t len, size_t i) {
    int depth = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"' || c == '\'') {
            for (i++; i < len && s[i] != c && s[i] != '\n'; i++)
                if (s[i] == '\\') i++;
        } else if (c == '[' && skip_long_bracket(s, len, i) != i) {
            i = skip_long_bracket(s, len, i);
            continue;
        } else if (c == '(' || c == '{' || c == '[') {
            depth++;
        } else if (c == ')' || c == '}' || c == ']') {
            if (depth == 0) return i;
            depth--;
        } else if (c == ',' && depth == 0) {
            return i;
        }
        i++;
    }
    return len;
}

static unsigned lines_between(const char *s, size_t from, size_t to) {
    unsigned n = 0;
    for (size_t k = from; k < to; k++) n += s[k] == '\n';
    return n;
}

/* permit(code, params, { "id", ... }) / deny(...): the ids listed literally in the third
 * argument (tables in it are reached through their `id = "..."`). */
static bool report_listed_obligations(find_scan *fs, const char *s, size_t len, size_t i,
                                      unsigned line) {
    size_t start = i;
    i = skip_blanks(s, len, i);
    if (i >= len || s[i] != '(') return true;
    i++;
    for (int arg = 0; arg < 2; arg++) { /* past the code and the params */
        i = skip_expression(s, len, i);
        if (i >= len || s[i] != ',') return true;
        i++;
    }
    while (i < len && isspace((unsigned char)s[i])) i++;
    if (i >= len || s[i] != '{') return true;
    for (i++;;) {
        while (i < len && isspace((unsigned char)s[i])) i++;
        size_t from = 0, count = 0, past = read_literal(s, len, i, &from, &count);
        if (past != i) {
            size_t end = skip_expression(s, len, past);
            if (skip_blanks(s, len, past) == end && /* the element is the literal alone */
                !fs->found(fs->ud, s + from, count, line + lines_between(s, start, from)))
                return false;
        }
        i = skip_expression(s, len, i);
        if (i >= len || s[i] != ',') return true;
        i++;
    }
}

static bool report_find(void *ud, const char *s, size_t len, size_t at, size_t n, unsigned line) {
    find_scan *fs = ud;
    if (is_field(s, at)) return true;
    size_t i = at + n, from = 0, count = 0, past;
    switch (fs->kind) {
    case SOURCE_DATA_SECTION:
        if (word_is(s, at, n, "data")) {
            if (i + 1 < len && s[i] == '.' && ident_start(s[i + 1])) {
                size_t j = i + 1;
                while (j < len && ident_char(s[j])) j++;
                return fs->found(fs->ud, s + i + 1, j - i - 1, line);
            }
            if (i < len && s[i] == '[' &&
                (past = read_literal(s, len, i + 1, &from, &count)) != i + 1 && past < len &&
                s[past] == ']')
                return fs->found(fs->ud, s + from, count, line);
        }
        return true;
    case SOURCE_OBLIGATION_DECLARED:
        if (!word_is(s, at, n, "obligations") || !starts_field(s, at)) return true;
        i = skip_blanks(s, len, i);
        if (i >= len || s[i] != '=') return true;
        i = skip_blanks(s, len, i + 1);
        if (i >= len || s[i] != '{') return true;
        for (i = skip_blanks(s, len, i + 1); i < len && s[i] != '}';) {
            past = read_literal(s, len, i, &from, &count);
            if (past == i) return true; /* not a list of literal ids */
            if (!fs->found(fs->ud, s + from, count, line)) return false;
            i = skip_blanks(s, len, past);
            if (i < len && s[i] == ',') i = skip_blanks(s, len, i + 1);
        }
        return true;
    case SOURCE_OBLIGATION_RETURNED:
        if (word_is(s, at, n, "permit") || word_is(s, at, n, "deny"))
            return report_listed_obligations(fs, s, len, i, line);
        if (!word_is(s, at, n, "id")) return true;
        i = skip_blanks(s, len, i);
        if (i >= len || s[i] != '=' || (i + 1 < len && s[i + 1] == '=')) return true;
        i = skip_blanks(s, len, i + 1);
        if (read_literal(s, len, i, &from, &count) == i) return true;
        return fs->found(fs->ud, s + from, count, line);
    case SOURCE_BARE_RETURN:
        if (!word_is(s, at, n, "return")) return true;
        i = skip_blanks(s, len, i);
        past = read_literal(s, len, i, &from, &count);
        if (past == i) return true;
        past = skip_blanks(s, len, past);
        if (past < len && (s[past] == ',' || s[past] == '.')) return true; /* more than a string */
        return fs->found(fs->ud, s + from, count, line);
    }
    return true;
}

/* custos.field(data, "name") reads a section too: found after `field` as a field name. */
static bool report_field_call(void *ud, const char *s, size_t len, size_t at, size_t n,
                              unsigned line) {
    find_scan *fs = ud;
    if (!word_is(s, at, n, "field") || !is_field(s, at))
        return report_find(ud, s, len, at, n, line);
    size_t i = skip_blanks(s, len, at + n), from = 0, count = 0;
    if (i >= len || s[i] != '(') return true;
    i = skip_blanks(s, len, i + 1);
    if (len - i < 4 || memcmp(s + i, "data", 4) != 0 || (i + 4 < len && ident_char(s[i + 4])))
        return true;
    i = skip_blanks(s, len, i + 4);
    if (i >= len || s[i] != ',') return true;
    i = skip_blanks(s, len, i + 1);
    if (read_literal(s, len, i, &from, &count) == i) return true;
    size_t dot = 0;
    while (dot < count && s[from + dot] != '.') dot++; /* "section.id.field": the section */
    return fs->found(fs->ud, s + from, dot, line);
}

bool source_find(const char *s, size_t len, source_find_kind kind, source_code_fn found, void *ud) {
    find_scan fs = {kind, found, ud};
    return scan_words(s, len, kind == SOURCE_DATA_SECTION ? report_field_call : report_find, &fs);
}
