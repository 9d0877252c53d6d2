/* module_scan.c — see module_scan.h. */
#include "module_scan.h"

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

/* Whether Lua source may loop: a `while`, `for`, `repeat` or `goto` outside comments and
 * strings.  Without one, code can only run long through calls, which a call hook meters at no
 * cost per instruction; with one, the engine meters every instruction. */
bool source_has_loops(const char *s, size_t len) {
    static const char *const keywords[] = {"while", "for", "repeat", "goto"};
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '-' && i + 1 < len && s[i + 1] == '-') { /* a comment, long or to the line's end */
            size_t after = skip_long_bracket(s, len, i + 2);
            if (after != i + 2) {
                i = after;
            } else {
                while (i < len && s[i] != '\n') i++;
            }
        } else if (c == '"' || c == '\'') { /* a short string */
            for (i++; i < len && s[i] != c && s[i] != '\n'; i++)
                if (s[i] == '\\') i++;
            i++;
        } else if (c == '[' && skip_long_bracket(s, len, i) != i) { /* a long string */
            i = skip_long_bracket(s, len, i);
        } else if (isalpha((unsigned char)c) || c == '_') { /* a word: a keyword only if whole */
            size_t start = i;
            while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_')) i++;
            for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
                if (strlen(keywords[k]) == i - start && memcmp(s + start, keywords[k], i - start) == 0)
                    return true;
        } else {
            i++;
        }
    }
    return false;
}

static bool ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

bool source_request_paths(const char *s, size_t len, source_path_fn found, void *ud) {
    unsigned line = 1;
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '\n') {
            line++;
            i++;
        } else if (c == '-' && i + 1 < len && s[i + 1] == '-') { /* a comment */
            size_t after = skip_long_bracket(s, len, i + 2);
            if (after != i + 2) {
                for (size_t k = i; k < after; k++) line += s[k] == '\n';
                i = after;
            } else {
                while (i < len && s[i] != '\n') i++;
            }
        } else if (c == '"' || c == '\'') { /* a short string */
            for (i++; i < len && s[i] != c && s[i] != '\n'; i++)
                if (s[i] == '\\') i++;
            i++;
        } else if (c == '[' && skip_long_bracket(s, len, i) != i) { /* a long string */
            size_t after = skip_long_bracket(s, len, i);
            for (size_t k = i; k < after; k++) line += s[k] == '\n';
            i = after;
        } else if (ident_start(c)) {
            size_t start = i;
            while (i < len && ident_char(s[i])) i++;
            /* `req` as a whole word (not `x.req`), followed by .name[.name...] */
            bool is_req = i - start == 3 && memcmp(s + start, "req", 3) == 0 &&
                          (start == 0 || (s[start - 1] != '.' && s[start - 1] != ':'));
            if (!is_req || i >= len || s[i] != '.') continue;
            char path[256];
            size_t n = 0;
            while (i + 1 < len && s[i] == '.' && ident_start(s[i + 1])) {
                size_t from = ++i;
                while (i < len && ident_char(s[i])) i++;
                size_t k = i - from;
                if (n + k + 2 >= sizeof path) break;
                if (n) path[n++] = '.';
                memcpy(path + n, s + from, k);
                n += k;
            }
            path[n] = '\0';
            if (n && !found(ud, path, line)) return false;
        } else {
            i++;
        }
    }
    return true;
}
