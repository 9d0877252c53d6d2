/*
 * repl_request.c — building the REPL's request: :set, :unset, :show, :clear, :as-of and
 * pasted documents.  Values are checked by the library (custos_request_set_*), so its messages
 * are the ones shown; the request schema of the loaded policies (custos_policies_field) only
 * says which setter a value goes to.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "repl_session.h"

/* The request changed: decisions made before are stale. */
static void changed(repl_session *s) { s->req_version++; }

/* ---- values ---------------------------------------------------------------------------- */

/* Removes one pair of matching quotes around v, in place ("a b" or 'a b'); in double quotes
 * \" and \\ stand for themselves.  Returns v. */
static char *unquote(char *v) {
    size_t n = strlen(v);
    if (n < 2 || (v[0] != '"' && v[0] != '\'') || v[n - 1] != v[0]) return v;
    char q = v[0], *out = v;
    for (size_t i = 1; i < n - 1; i++) {
        if (q == '"' && v[i] == '\\' && i + 1 < n - 1) i++;
        *out++ = v[i];
    }
    *out = '\0';
    return v;
}

/* Splits a list value, "a, b" or "[a, b]", into its trimmed, unquoted items (pointers into v,
 * at most `max`).  Returns the count, or -1 when the brackets do not match. */
static int split_list(char *v, char **items, int max) {
    size_t n = strlen(v);
    if (v[0] == '[' || (n && v[n - 1] == ']')) {
        if (v[0] != '[' || n < 2 || v[n - 1] != ']') return -1;
        v[n - 1] = '\0';
        v++;
    }
    int count = 0;
    char *p = v;
    while (p) {
        char *comma = NULL;
        char quote = 0;
        for (char *q = p; *q; q++) { /* the next comma outside quotes */
            if (quote) {
                if (*q == quote) quote = 0;
            } else if (*q == '"' || *q == '\'') {
                quote = *q;
            } else if (*q == ',') {
                comma = q;
                break;
            }
        }
        if (comma) *comma = '\0';
        char *item = unquote(repl_trim(p));
        if (*item) {
            if (count == max) return -2;
            items[count++] = item;
        }
        p = comma ? comma + 1 : NULL;
    }
    return count;
}

/* A JSON object holding `value` at the dotted `path` ({"a": {"b": value}}); takes value. */
static json_t *json_at_path(const char *path, json_t *value) {
    const char *dot = strrchr(path, '.');
    json_t *node = value;
    size_t end = strlen(path);
    for (;;) {
        const char *start = dot ? dot + 1 : path;
        json_t *o = json_object();
        if (!o || json_object_setn_new(o, start, end - (size_t)(start - path), node) != 0) {
            json_decref(o);
            return NULL;
        }
        node = o;
        if (!dot) return node;
        end = (size_t)(dot - path);
        dot = NULL;
        for (size_t i = end; i > 0; i--)
            if (path[i - 1] == '.') {
                dot = path + i - 1;
                break;
            }
    }
}

/* Sets a list field (known or not) to exactly `items`. */
static int set_list(repl_session *s, const char *path, bool known, char **items, int count) {
    custos_error err;
    memset(&err, 0, sizeof err);
    if (!known ||
        count == 0) { /* through a document: the library's setters append to known lists only */
        json_t *list = json_array();
        for (int i = 0; list && i < count; i++) json_array_append_new(list, json_string(items[i]));
        json_t *patch = list ? json_at_path(path, list) : NULL;
        if (!patch) return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
        char *text = json_dumps(patch, JSON_COMPACT);
        json_decref(patch);
        if (!text) return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
        int rc = repl_merge_document(s, text, strlen(text), 0);
        free(text);
        return rc;
    }
    custos_request_unset(s->req, path);
    for (int i = 0; i < count; i++)
        if (custos_request_append_string(s->req, path, items[i], &err) != CUSTOS_OK)
            return repl_fail_lib(s, &err, 0);
    changed(s);
    return 0;
}

/* Whether v is an integer ([+-]digits) or a number strtod reads whole (not inf or nan). */
static bool is_integer(const char *v, long long *out) {
    if (!isdigit((unsigned char)v[*v == '-' || *v == '+'])) return false;
    char *end;
    errno = 0;
    *out = strtoll(v, &end, 10);
    return !*end && errno == 0;
}

static bool is_number(const char *v, double *out) {
    const char *p = v + (*v == '-' || *v == '+');
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1]))) return false;
    char *end;
    *out = strtod(v, &end);
    return !*end;
}

/* A field custos does not know: typed as YAML would type a plain scalar. */
static custos_status set_unknown(repl_session *s, const char *path, char *value,
                                 custos_error *err) {
    long long i;
    double d;
    if (value[0] == '"' || value[0] == '\'')
        return custos_request_set_string(s->req, path, unquote(value), err);
    if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
        return custos_request_set_bool(s->req, path, value[0] == 't', err);
    if (is_integer(value, &i)) return custos_request_set_integer(s->req, path, i, err);
    if (is_number(value, &d)) return custos_request_set_number(s->req, path, d, err);
    return custos_request_set_string(s->req, path, value, err);
}

int repl_cmd_set(repl_session *s, char *args) {
    char *path = repl_next_word(&args);
    char *value = repl_trim(args);
    if (!*path || !*value)
        return repl_fail(s, REPL_FAIL_INPUT, "usage: :set FIELD VALUE (:help fields lists them)");
    custos_field_info info;
    const custos_field_info *f =
        s->loaded && custos_policies_find_field(s->loaded, path, &info) == CUSTOS_OK ? &info : NULL;
    if (f && f->type == CUSTOS_FIELD_TABLE)
        return repl_fail(s, REPL_FAIL_INPUT,
                         "%s is a table: set one of its fields (%s.…) or paste a document", path,
                         path);
    bool list_syntax = value[0] == '[';
    if ((f && f->type == CUSTOS_FIELD_LIST) || (!f && list_syntax)) {
        char *items[256];
        int count = split_list(value, items, 256);
        if (count == -1)
            return repl_fail(s, REPL_FAIL_INPUT, "%s: expected a list: a, b or [a, b]", path);
        if (count < 0) return repl_fail(s, REPL_FAIL_INPUT, "%s: more than 256 items", path);
        return set_list(s, path, f != NULL, items, count);
    }
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st;
    if (!f) {
        char nearest[256];
        bool near = repl_nearest_field(s, path, nearest, sizeof nearest);
        if (s->strict)
            return repl_fail(s, REPL_FAIL_INPUT,
                             "%s is not a declared field%s%s%s (:help fields lists them)", path,
                             near ? "; did you mean " : "", near ? nearest : "", near ? "?" : "");
        st = set_unknown(s, path, value, &err);
        if (st == CUSTOS_OK)
            repl_note(s,
                      "%s is not a declared field%s%s%s; it is kept, and the policies do not "
                      "read it (:help fields lists the declared ones)",
                      path, near ? " (did you mean " : "", near ? nearest : "", near ? "?)" : "");
    } else if (f->type == CUSTOS_FIELD_INTEGER || f->type == CUSTOS_FIELD_NUMBER) {
        st = set_unknown(s, path, value, &err); /* a number, parsed as one */
    } else if (f->type == CUSTOS_FIELD_BOOLEAN &&
               (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)) {
        st = custos_request_set_bool(s->req, path, value[0] == 't', &err);
    } else {
        /* a string, or a value the field does not take: the library checks types when
         * deciding; say now, at the :set, what the loaded schema expects */
        const char *text = unquote(value);
        if (f->type == CUSTOS_FIELD_BOOLEAN)
            return repl_fail(s, REPL_FAIL_INPUT,
                             "%s: expected a boolean (true or false), got a "
                             "string",
                             path);
        bool allowed = f->type != CUSTOS_FIELD_ENUM;
        for (size_t v = 0; !allowed && v < f->value_count; v++)
            allowed = !strcmp(f->values[v], text);
        if (!allowed) {
            char expect[256] = "one of:";
            for (size_t v = 0; v < f->value_count; v++)
                snprintf(expect + strlen(expect), sizeof expect - strlen(expect), "%s %s",
                         v == 0 ? "" : ",", f->values[v]);
            cli_suggest sg; /* did you mean one of the values */
            cli_suggest_init(&sg, text);
            for (size_t v = 0; v < f->value_count; v++) cli_suggest_consider(&sg, f->values[v]);
            char hint[160];
            cli_did_you_mean(hint, sizeof hint, "", cli_suggest_best(&sg));
            return repl_fail(s, REPL_FAIL_INPUT, "%s: \"%s\" is not allowed%s; expected %s", path,
                             text, hint, expect);
        }
        st = custos_request_set_string(s->req, path, text, &err);
    }
    if (st != CUSTOS_OK) return repl_fail_lib(s, &err, 0);
    changed(s);
    return 0;
}

int repl_cmd_unset(repl_session *s, char *args) {
    char *path = repl_next_word(&args);
    if (!*path || *repl_trim(args)) return repl_fail(s, REPL_FAIL_INPUT, "usage: :unset FIELD");
    custos_status st = custos_request_unset(s->req, path);
    if (st == CUSTOS_E_ARGUMENT) /* the one refusal the library can make here */
        return repl_fail(s, REPL_FAIL_INPUT,
                         ":unset: expected a dotted field path like \"subject.id\", got \"%s\"",
                         path);
    if (st != CUSTOS_OK)
        return repl_fail(s, repl_exit_for_status(st), ":unset %s: %s", path,
                         custos_status_name(st));
    changed(s);
    return 0;
}

/* Copies the request's context.time into buf; false when it has none. */
bool repl_request_time(repl_session *s, char *buf, size_t size) {
    const char *text = NULL;
    json_t *j = custos_request_json(s->req, &text) == CUSTOS_OK ? json_loads(text, 0, NULL) : NULL;
    json_t *t = json_object_get(json_object_get(j, "context"), "time");
    bool found = json_is_string(t);
    if (found) snprintf(buf, size, "%s", json_string_value(t));
    json_decref(j);
    return found;
}

typedef struct nearest_out {
    char *buf;
    size_t size;
    bool found;
} nearest_out;

static bool take_nearest(void *user, const char *path, const char *nearest, unsigned line,
                         unsigned column) {
    (void)path, (void)line, (void)column;
    nearest_out *o = user;
    if (nearest) snprintf(o->buf, o->size, "%s", nearest);
    o->found = nearest != NULL;
    return false;
}

bool repl_nearest_field(repl_session *s, const char *path, char *buf, size_t size) {
    custos_request *probe = NULL;
    nearest_out o = {buf, size, false};
    if (custos_request_new(&probe) == CUSTOS_OK &&
        custos_request_set_bool(probe, path, true, NULL) == CUSTOS_OK)
        custos_engine_unknown_fields(s->eng, probe, take_nearest, &o, NULL, NULL);
    custos_request_free(probe);
    return o.found;
}

int repl_cmd_clear(repl_session *s, char *args) {
    if (*repl_trim(args)) return repl_fail(s, REPL_FAIL_INPUT, ":clear takes no argument");
    /* the time stays: :clear starts another request at the same moment */
    char time_text[128];
    bool had_time = repl_request_time(s, time_text, sizeof time_text);
    custos_request_clear(s->req);
    if (had_time) custos_request_set_string(s->req, "context.time", time_text, NULL);
    changed(s);
    return 0;
}

/* The local time now as RFC 3339 with its offset ("2026-11-22T10:00:00+08:00"). */
static bool now_rfc3339(char *buf, size_t size) {
    time_t t = time(NULL);
    struct tm local, utc;
    if (t == (time_t)-1 || !localtime_r(&t, &local) || !gmtime_r(&t, &utc)) return false;
    long days = local.tm_year != utc.tm_year ? (local.tm_year > utc.tm_year ? 1 : -1)
                                             : local.tm_yday - utc.tm_yday;
    long offset =
        days * 86400 + (local.tm_hour - utc.tm_hour) * 3600L + (local.tm_min - utc.tm_min) * 60L;
    char sign = offset < 0 ? '-' : '+';
    if (offset < 0) offset = -offset;
    char date[32];
    if (!strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &local)) return false;
    snprintf(buf, size, "%s%c%02ld:%02ld", date, sign, offset / 3600, offset % 3600 / 60);
    return true;
}

int repl_cmd_as_of(repl_session *s, char *args) {
    char *value = unquote(repl_trim(args));
    char now[64];
    if (!*value) return repl_fail(s, REPL_FAIL_INPUT, "usage: :as-of TIME (RFC 3339) or now");
    if (strcmp(value, "now") == 0) {
        if (!now_rfc3339(now, sizeof now))
            return repl_fail(s, REPL_FAIL_OTHER, "cannot read the clock");
        value = now;
    }
    custos_error err;
    memset(&err, 0, sizeof err);
    if (custos_request_set_string(s->req, "context.time", value, &err) != CUSTOS_OK)
        return repl_fail_lib(s, &err, 0);
    changed(s);
    if (value == now) printf("context.time: \"%s\"\n", now);
    return 0;
}

/* ---- documents ------------------------------------------------------------------------- */

/* Merges patch into base: objects key by key (recursively), every other value replaced. */
static int merge_into(json_t *base, json_t *patch) {
    const char *key;
    json_t *value;
    json_object_foreach(patch, key, value) {
        json_t *old = json_object_get(base, key);
        if (json_is_object(old) && json_is_object(value)) {
            if (merge_into(old, value) != 0) return -1;
        } else if (json_object_set(base, key, value) != 0) {
            return -1;
        }
    }
    return 0;
}

/* The request as a jansson object (a new reference), or NULL when out of memory. */
static json_t *request_object(repl_session *s) {
    const char *text = NULL;
    if (custos_request_json(s->req, &text) != CUSTOS_OK) return NULL;
    return json_loads(text, 0, NULL);
}

int repl_merge_document(repl_session *s, const char *text, size_t len, unsigned first_line) {
    custos_request *incoming = NULL, *merged = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    int rc = 0;
    json_t *base = NULL, *patch = NULL;
    char *merged_text = NULL;
    const char *patch_text = NULL;
    const char *name = s->input_name ? s->input_name : "<document>";
    if (custos_request_new(&incoming) != CUSTOS_OK || custos_request_new(&merged) != CUSTOS_OK) {
        rc = repl_fail(s, REPL_FAIL_OTHER, "out of memory");
        goto done;
    }
    /* The document alone first: its errors point into it. */
    /* (types are the policy set's: checked against the loaded one, as deciding would) */
    if (custos_request_parse(incoming, text, len, name, &err) != CUSTOS_OK ||
        custos_engine_check_request(s->eng, incoming, &err) != CUSTOS_OK) {
        if (!first_line) { /* a document made from a :set: a place in it means nothing */
            err.file[0] = '\0';
            err.line = err.column = 0;
        }
        rc = repl_fail_lib(s, &err, first_line);
        goto done;
    }
    if (custos_request_json(incoming, &patch_text) != CUSTOS_OK ||
        !(patch = json_loads(patch_text, 0, NULL)) || !(base = request_object(s)) ||
        merge_into(base, patch) != 0 || !(merged_text = json_dumps(base, JSON_COMPACT))) {
        rc = repl_fail(s, REPL_FAIL_OTHER, "out of memory");
        goto done;
    }
    if (custos_request_parse(merged, merged_text, strlen(merged_text), name, &err) != CUSTOS_OK) {
        err.file[0] = '\0'; /* a place in the merged text means nothing to the user */
        err.line = err.column = 0;
        rc = repl_fail_lib(s, &err, 0);
        goto done;
    }
    custos_request *old = s->req;
    s->req = merged;
    merged = old;
    changed(s);
done:
    free(merged_text);
    json_decref(base);
    json_decref(patch);
    custos_request_free(incoming);
    custos_request_free(merged);
    return rc;
}

/* ---- :show ----------------------------------------------------------------------------- */

/* Whether a string must be quoted to read back as the same string in YAML (in a flow list
 * when `flow`). */
static bool needs_quotes(const char *v, bool flow) {
    static const char *const words[] = {"true", "false", "null", "yes", "no", "on",
                                        "off",  "y",     "n",    "~",   NULL};
    size_t n = strlen(v);
    if (!n || isspace((unsigned char)v[0]) || isspace((unsigned char)v[n - 1])) return true;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", v[0]) || isdigit((unsigned char)v[0]) || v[0] == '.' ||
        v[0] == '+')
        return true;
    if (v[n - 1] == ':' || strstr(v, ": ") || strstr(v, " #") || strchr(v, '\n')) return true;
    if (flow && strpbrk(v, ",[]{}")) return true;
    for (const char *const *w = words; *w; w++) {
        size_t k = strlen(*w);
        bool same = k == n;
        for (size_t i = 0; same && i < n; i++) same = tolower((unsigned char)v[i]) == (*w)[i];
        if (same) return true;
    }
    return false;
}

static void print_scalar(FILE *out, json_t *v, bool flow) {
    if (json_is_string(v)) {
        const char *text = json_string_value(v);
        if (!needs_quotes(text, flow)) {
            fputs(text, out);
            return;
        }
    }
    /* JSON's quoted strings and literals are YAML's too */
    char *dumped = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    fputs(dumped ? dumped : "null", out);
    free(dumped);
}

static bool all_scalars(json_t *array) {
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) if (json_is_object(v) || json_is_array(v)) return false;
    return true;
}

static void print_yaml(FILE *out, json_t *v, int indent);

/* The value after "key:" or "- ": inline when short, else on the next lines. */
static void print_yaml_value(FILE *out, json_t *v, int indent) {
    if (json_is_object(v) && json_object_size(v)) {
        fputc('\n', out);
        print_yaml(out, v, indent + 2);
    } else if (json_is_array(v) && json_array_size(v) && !all_scalars(v)) {
        fputc('\n', out);
        print_yaml(out, v, indent + 2);
    } else {
        fputc(' ', out);
        print_yaml(out, v, -1);
        fputc('\n', out);
    }
}

/* Prints v as YAML at `indent` (-1: inline, for scalars and short lists). */
static void print_yaml(FILE *out, json_t *v, int indent) {
    if (json_is_object(v)) {
        if (!json_object_size(v) || indent < 0) {
            char *dumped = json_dumps(v, JSON_COMPACT);
            fputs(dumped ? dumped : "{}", out);
            free(dumped);
            return;
        }
        const char *key;
        json_t *value;
        json_object_foreach(v, key, value) {
            fprintf(out, "%*s", indent, "");
            json_t *k = json_string(key);
            print_scalar(out, k, false);
            json_decref(k);
            fputc(':', out);
            print_yaml_value(out, value, indent);
        }
    } else if (json_is_array(v)) {
        if (indent < 0 || all_scalars(v)) {
            size_t i;
            json_t *item;
            fputc('[', out);
            json_array_foreach(v, i, item) {
                if (i) fputs(", ", out);
                print_scalar(out, item, true);
            }
            fputc(']', out);
            return;
        }
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            fprintf(out, "%*s-", indent, "");
            print_yaml_value(out, item, indent);
        }
    } else {
        print_scalar(out, v, false);
    }
}

int repl_cmd_show(repl_session *s, char *args) {
    char *how = repl_trim(args);
    bool json = s->json;
    if (strcmp(how, "json") == 0)
        json = true;
    else if (strcmp(how, "yaml") == 0)
        json = false;
    else if (*how)
        return repl_fail(s, REPL_FAIL_INPUT, ":show '%s': expected yaml or json", how);
    const char *text = NULL;
    if (custos_request_json(s->req, &text) != CUSTOS_OK)
        return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
    if (json) {
        printf("%s\n", text);
        return 0;
    }
    json_t *o = json_loads(text, 0, NULL);
    if (!o) return repl_fail(s, REPL_FAIL_OTHER, "out of memory");
    if (json_object_size(o))
        print_yaml(stdout, o, 0);
    else
        puts("{}");
    json_decref(o);
    return 0;
}
