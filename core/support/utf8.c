/* utf8.c — see utf8.h. */
#include "utf8.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* The length a lead byte announces (2-4), or 0 for a byte that cannot start a sequence:
 * continuation bytes, C0/C1 (always overlong) and F5..FF (past U+10FFFF). */
static size_t announced_length(unsigned char lead) {
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *code_point) {
    if (len == 0) {
        *code_point = 0;
        return 0;
    }
    const unsigned char *p = (const unsigned char *)s;
    *code_point = p[0];
    if (p[0] < 0x80) return 1;
    size_t need = announced_length(p[0]);
    if (need == 0 || need > len) return 0;
    uint32_t cp = p[0] & (0x7Fu >> need); /* the lead byte's payload bits */
    for (size_t k = 1; k < need; k++) {
        if (!utf8_is_continuation(p[k])) return 0;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000)) return 0; /* overlong */
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    *code_point = cp;
    return need;
}

size_t utf8_sequence_length(const char *s, size_t len) {
    uint32_t cp;
    return utf8_decode(s, len, &cp);
}

bool utf8_valid(const char *s, size_t len) {
    size_t i = 0;
    /* ASCII, the common case, eight bytes at a time: no byte has its high bit set */
    uint64_t word;
    for (; i + 8 <= len; i += 8) {
        memcpy(&word, s + i, 8);
        if (word & 0x8080808080808080u) break;
    }
    if (i < len && i + 8 > len && len >= 8) { /* all ASCII so far: the tail, as the last word */
        memcpy(&word, s + len - 8, 8);
        if (!(word & 0x8080808080808080u)) return true;
    }
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) { /* ASCII, the common case: no decoding */
            i++;
            continue;
        }
        size_t n = utf8_sequence_length(s + i, len - i);
        if (!n) return false;
        i += n;
    }
    return true;
}

size_t utf8_repaired_length(const char *s, size_t len) {
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence_length(s + i, len - i);
        out += n ? n : UTF8_REPLACEMENT_LEN;
        i += n ? n : 1;
    }
    return out;
}

size_t utf8_repair_into(const char *s, size_t len, char *out) {
    size_t used = 0;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence_length(s + i, len - i);
        if (n) {
            memcpy(out + used, s + i, n);
            used += n;
            i += n;
        } else {
            memcpy(out + used, UTF8_REPLACEMENT, UTF8_REPLACEMENT_LEN);
            used += UTF8_REPLACEMENT_LEN;
            i++;
        }
    }
    return used;
}

size_t utf8_count_chars(const char *s, size_t len) {
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) chars += !utf8_is_continuation((unsigned char)s[i]);
    return chars;
}

size_t utf8_trim_length(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t start = len; /* where the last character starts */
    while (start > 0 && utf8_is_continuation(p[start - 1])) start--;
    if (start == 0) return len; /* only continuation bytes: nothing to cut back to */
    size_t lead = start - 1;
    size_t need = p[lead] < 0x80 ? 1 : p[lead] >= 0xF0 ? 4 : p[lead] >= 0xE0 ? 3 : 2;
    return len - lead < need ? lead : len;
}

void utf8_trim(char *s) { s[utf8_trim_length(s, strlen(s))] = '\0'; }

int utf8_precision(const char *s, size_t max_bytes) {
    if (max_bytes > INT_MAX) max_bytes = INT_MAX;
    size_t n = strnlen(s, max_bytes);
    return (int)(n < max_bytes ? n : utf8_trim_length(s, n));
}

size_t utf8_bom_length(const char *s, size_t len) {
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}
