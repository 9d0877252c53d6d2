/* json_out.c — see json_out.h. */
#include "json_out.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define JSON_OUT_INITIAL_CAP 256

void json_out_init(json_out *w, unsigned indent) {
    memset(w, 0, sizeof *w);
    w->indent = indent;
}

/* Makes room for `more` bytes and the NUL; false (and failed) when memory runs out. */
static bool reserve(json_out *w, size_t more) {
    if (w->failed) return false;
    if (more < w->cap - w->len) return true; /* room for the bytes and the NUL */
    size_t cap = w->cap ? w->cap : JSON_OUT_INITIAL_CAP;
    while (more >= cap - w->len) {
        if (cap > SIZE_MAX / 2) {
            w->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *grown = realloc(w->text, cap);
    if (!grown) {
        w->failed = true;
        return false;
    }
    w->text = grown;
    w->cap = cap;
    return true;
}

static void put(json_out *w, const char *s, size_t n) {
    if (!reserve(w, n)) return;
    memcpy(w->text + w->len, s, n);
    w->len += n;
    w->text[w->len] = '\0';
}

static void put_str(json_out *w, const char *s) { put(w, s, strlen(s)); }

/* A line break and the indentation of `level` (indented output only). */
static void put_newline(json_out *w, unsigned level) {
    if (!w->indent) return;
    size_t spaces = (size_t)level * w->indent;
    if (!reserve(w, spaces + 1)) return;
    w->text[w->len++] = '\n';
    memset(w->text + w->len, ' ', spaces);
    w->len += spaces;
    w->text[w->len] = '\0';
}

/* What goes before a value or a key: nothing after a key, else the comma and line break of
 * the enclosing array or object.  Refuses a value where a key is due. */
static void before_item(json_out *w, bool is_key) {
    if (w->after_key) {
        w->after_key = false;
        if (is_key) w->failed = true;
        return;
    }
    if (w->depth == 0) {
        if (is_key || w->len) w->failed = true; /* one top-level value */
        return;
    }
    if (w->is_object[w->depth] != is_key) {
        w->failed = true;
        return;
    }
    if (w->has_members[w->depth]) put(w, ",", 1);
    w->has_members[w->depth] = true;
    put_newline(w, w->depth);
}

/* The string literal of s: escaped, invalid UTF-8 replaced by U+FFFD. */
static void put_quoted(json_out *w, const char *s, size_t len) {
    put(w, "\"", 1);
    size_t run = 0; /* start of the bytes to copy as they are */
    for (size_t i = 0; i < len && !w->failed;) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x20 && b < 0x80 && b != '"' && b != '\\') { /* plain ASCII: as it is */
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        const char *escape = NULL;
        char control[7];
        if (n == 0) {
            escape = UTF8_REPLACEMENT;
            n = 1;
        } else if (cp == '"') {
            escape = "\\\"";
        } else if (cp == '\\') {
            escape = "\\\\";
        } else if (cp < 0x20) {
            switch (cp) {
            case '\b': escape = "\\b"; break;
            case '\f': escape = "\\f"; break;
            case '\n': escape = "\\n"; break;
            case '\r': escape = "\\r"; break;
            case '\t': escape = "\\t"; break;
            default: snprintf(control, sizeof control, "\\u%04X", (unsigned)cp); escape = control;
            }
        }
        if (escape) {
            put(w, s + run, i - run);
            put_str(w, escape);
            run = i + n;
        }
        i += n;
    }
    if (run < len) put(w, s + run, len - run);
    put(w, "\"", 1);
}

static void begin(json_out *w, bool object) {
    before_item(w, false);
    if (w->failed) return;
    if (w->depth == JSON_OUT_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    put(w, object ? "{" : "[", 1);
    w->depth++;
    w->is_object[w->depth] = object;
    w->has_members[w->depth] = false;
}

static void end(json_out *w, bool object) {
    if (w->failed) return;
    if (w->depth == 0 || w->is_object[w->depth] != object || w->after_key) {
        w->failed = true;
        return;
    }
    if (w->has_members[w->depth]) put_newline(w, w->depth - 1);
    w->depth--;
    put(w, object ? "}" : "]", 1);
}

void json_out_begin_object(json_out *w) { begin(w, true); }
void json_out_end_object(json_out *w) { end(w, true); }
void json_out_begin_array(json_out *w) { begin(w, false); }
void json_out_end_array(json_out *w) { end(w, false); }

void json_out_key_len(json_out *w, const char *key, size_t len) {
    before_item(w, true);
    if (w->failed) return;
    put_quoted(w, key ? key : "", key ? len : 0);
    put_str(w, w->indent ? ": " : ":");
    w->after_key = true;
}

void json_out_key(json_out *w, const char *key) { json_out_key_len(w, key, key ? strlen(key) : 0); }

void json_out_string_len(json_out *w, const char *s, size_t len) {
    before_item(w, false);
    put_quoted(w, s ? s : "", s ? len : 0);
}

void json_out_string(json_out *w, const char *s) { json_out_string_len(w, s, s ? strlen(s) : 0); }

void json_out_bool(json_out *w, bool value) {
    before_item(w, false);
    put_str(w, value ? "true" : "false");
}

void json_out_null(json_out *w) {
    before_item(w, false);
    put_str(w, "null");
}

void json_out_integer(json_out *w, int64_t value) {
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, value);
    before_item(w, false);
    put_str(w, buf);
}

/* jansson's jsonp_dtostr: "%.17g", any locale's decimal point as '.', ".0" when neither a
 * point nor an exponent shows, and the exponent without '+' or leading zeros. */
static void format_real(double value, char *buf, size_t size) {
    snprintf(buf, size, "%.17g", value);
    for (char *p = buf; *p; p++)
        if (!(*p >= '0' && *p <= '9') && *p != '-' && *p != '+' && *p != 'e') *p = '.';
    if (!strchr(buf, '.') && !strchr(buf, 'e')) strncat(buf, ".0", size - strlen(buf) - 1);
    char *exponent = strchr(buf, 'e');
    if (exponent) {
        char *digits = exponent + 1, *from = digits + 1;
        if (*digits == '-') digits++;
        while (*from == '0') from++;
        if (from != digits) memmove(digits, from, strlen(from) + 1);
    }
}

void json_out_real(json_out *w, double value) {
    if (!isfinite(value)) {
        json_out_null(w);
        return;
    }
    char buf[40];
    format_real(value, buf, sizeof buf);
    before_item(w, false);
    put_str(w, buf);
}

char *json_out_finish(json_out *w, size_t *len) {
    bool complete = !w->failed && w->depth == 0 && !w->after_key && w->len > 0;
    char *text = complete ? w->text : NULL;
    if (len) *len = complete ? w->len : 0;
    if (!complete) free(w->text);
    w->text = NULL;
    w->len = w->cap = 0;
    return text;
}

void json_out_discard(json_out *w) {
    free(w->text);
    w->text = NULL;
    w->len = w->cap = 0;
    w->failed = true;
}
