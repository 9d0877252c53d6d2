/* data_schema.c — see data_schema.h. */
#include "data_schema.h"

#include <stdio.h>
#include <string.h>

#include "timeutil.h"
#include "utf8.h"

/* Where a field sits: its dotted path is spelled out only for an error message, since
 * formatting it for every field of every record costs more than the checks themselves. */
typedef struct field_place {
    const char *section, *id, *field;
    const char *key; /* SCHEMA_STRING_LISTS: the list's key within the field, else NULL */
} field_place;

#define PLACE_PATH_BUFFER 700

/* "section.id.field" (".key"), cut where the fixed buffers always cut it. */
static const char *place_path(const field_place *at, char *out, size_t size) {
    char path[512], field_path[600];
    snprintf(path, sizeof path, "%s.%s", at->section, at->id);
    snprintf(field_path, sizeof field_path, "%s.%s", path, at->field);
    if (at->key)
        snprintf(out, size, "%s.%s", field_path, at->key);
    else
        snprintf(out, size, "%s", field_path);
    return out;
}

static custos_status check_strings(const doc *d, const doc_node *n, const field_place *at,
                                   custos_error *err) {
    char path[PLACE_PATH_BUFFER];
    if (n->kind != DOC_SEQ)
        return doc_error_at(d, n, place_path(at, path, sizeof path), err,
                            "expected a list of strings, got %s", doc_kind_name(n->kind));
    for (size_t i = 0; i < n->u.seq.count; i++)
        if (n->u.seq.items[i]->kind != DOC_STR)
            return doc_error_at(d, n->u.seq.items[i], place_path(at, path, sizeof path), err,
                                "item %zu: expected a string, got %s", i + 1,
                                doc_kind_name(n->u.seq.items[i]->kind));
    return CUSTOS_OK;
}

static custos_status check_field(const doc *d, const doc_node *n, const schema_type *type,
                                 const field_place *at, custos_error *err) {
    bool ok = false;
    char expect[512], path[PLACE_PATH_BUFFER];
    switch (type->kind) {
    case SCHEMA_TABLE: break; /* not a data type (refused at declaration) */
    case SCHEMA_STRING: ok = n->kind == DOC_STR; break;
    case SCHEMA_BOOLEAN: ok = n->kind == DOC_BOOL; break;
    case SCHEMA_INTEGER: ok = n->kind == DOC_INT; break;
    case SCHEMA_NUMBER: ok = n->kind == DOC_INT || n->kind == DOC_NUM; break;
    case SCHEMA_DATE: {
        if (n->kind != DOC_STR) break;
        int64_t epoch;
        const char *why = "";
        if (!time_parse_bound(n->u.str.s, n->u.str.len, true, &epoch, &why))
            return doc_error_at(d, n, place_path(at, path, sizeof path), err,
                                "\"%s\" %s; expected %s", n->u.str.s, why,
                                schema_expectation(type, expect, sizeof expect));
        ok = true;
        break;
    }
    case SCHEMA_STRINGS: return check_strings(d, n, at, err);
    case SCHEMA_NUMBERS:
        if (n->kind != DOC_SEQ) break;
        for (size_t i = 0; i < n->u.seq.count; i++)
            if (n->u.seq.items[i]->kind != DOC_INT && n->u.seq.items[i]->kind != DOC_NUM)
                return doc_error_at(d, n->u.seq.items[i], place_path(at, path, sizeof path), err,
                                    "item %zu: expected a number, got %s", i + 1,
                                    doc_kind_name(n->u.seq.items[i]->kind));
        return CUSTOS_OK;
    case SCHEMA_TIME: {
        if (n->kind != DOC_STR) break;
        int64_t epoch;
        const char *why = "";
        if (!time_parse_instant(n->u.str.s, n->u.str.len, &epoch, &why))
            return doc_error_at(d, n, place_path(at, path, sizeof path), err,
                                "\"%s\" %s; expected %s", n->u.str.s, why,
                                schema_expectation(type, expect, sizeof expect));
        ok = true;
        break;
    }
    case SCHEMA_ENUM:
        if (n->kind != DOC_STR) break;
        if (schema_enum_allows(type, n->u.str.s, n->u.str.len)) return CUSTOS_OK;
        break;
    case SCHEMA_STRING_LISTS:
        if (n->kind != DOC_MAP) break;
        for (size_t i = 0; i < n->u.map.count; i++) {
            field_place list_at = *at;
            list_at.key = n->u.map.keys[i];
            custos_status st = check_strings(d, n->u.map.values[i], &list_at, err);
            if (st) return st;
        }
        return CUSTOS_OK;
    }
    if (ok || n->kind == DOC_NULL) return CUSTOS_OK;
    if (n->kind == DOC_STR)
        return doc_error_at(d, n, place_path(at, path, sizeof path), err,
                            "expected %s, got the string \"%.*s\"",
                            schema_expectation(type, expect, sizeof expect),
                            utf8_precision(n->u.str.s, 60), n->u.str.s);
    return doc_error_at(d, n, place_path(at, path, sizeof path), err, "expected %s, got %s",
                        schema_expectation(type, expect, sizeof expect), doc_kind_name(n->kind));
}

static custos_status check_record(const doc *d, const schema_section *sec, const char *id,
                                  const doc_node *rec, custos_error *err) {
    if (rec->kind != DOC_MAP) {
        char path[512];
        snprintf(path, sizeof path, "%s.%s", sec->name, id);
        return doc_error_at(d, rec, path, err, "expected a mapping of fields, got %s",
                            doc_kind_name(rec->kind));
    }
    for (const schema_data_field *f = sec->fields; f < sec->fields + sec->field_count; f++) {
        const doc_node *v = doc_map_get(rec, f->name);
        if (!v) continue;
        field_place at = {sec->name, id, f->name, NULL};
        custos_status st = check_field(d, v, &f->type, &at, err);
        if (st) return st;
    }
    return CUSTOS_OK;
}

/* Checks every record of a section against one schema. */
static custos_status check_section(const doc *d, const schema_section *sec, const doc_node *section,
                                   custos_error *err) {
    if (section->kind != DOC_MAP)
        return doc_error_at(d, section, sec->name, err,
                            "expected a mapping of records by id, got %s",
                            doc_kind_name(section->kind));
    for (size_t r = 0; r < section->u.map.count; r++) {
        custos_status st =
            check_record(d, sec, section->u.map.keys[r], section->u.map.values[r], err);
        if (st) return st;
    }
    return CUSTOS_OK;
}

custos_status data_check(const doc *d, const schema *sch, custos_error *err) {
    const doc_node *root = doc_root(d);
    if (root->kind == DOC_NULL) return CUSTOS_OK; /* an empty document holds no data */
    if (root->kind != DOC_MAP)
        return doc_error_at(d, root, NULL, err,
                            "expected a data document: a mapping of sections, each a mapping "
                            "of records by id; got %s",
                            doc_kind_name(root->kind));
    for (size_t i = 0; i < root->u.map.count; i++) {
        const schema_section *sec = schema_find_section(sch, root->u.map.keys[i]);
        if (!sec) continue;
        custos_status st = check_section(d, sec, root->u.map.values[i], err);
        if (st) return st;
    }
    return CUSTOS_OK;
}

void data_unknown_fields(const doc *d, const schema *sch, data_unknown_fn found, void *ud) {
    const doc_node *root = doc_root(d);
    if (!root || root->kind != DOC_MAP) return;
    for (size_t i = 0; i < root->u.map.count; i++) {
        const doc_node *section = root->u.map.values[i];
        const schema_section *sec = schema_find_section(sch, root->u.map.keys[i]);
        if (!sec || section->kind != DOC_MAP) continue;
        for (size_t r = 0; r < section->u.map.count; r++) {
            const doc_node *rec = section->u.map.values[r];
            if (rec->kind != DOC_MAP) continue;
            for (size_t f = 0; f < rec->u.map.count; f++) {
                bool known = false;
                const char *key = rec->u.map.keys[f];
                for (size_t k = 0; k < sec->field_count && !known; k++)
                    known =
                        sec->fields[k].name[0] == key[0] && strcmp(sec->fields[k].name, key) == 0;
                if (known) continue;
                char path[600];
                snprintf(path, sizeof path, "%s.%s.%s", root->u.map.keys[i], section->u.map.keys[r],
                         rec->u.map.keys[f]);
                found(ud, d, rec->u.map.values[f], path);
            }
        }
    }
}

custos_status data_check_duplicates(doc *const *docs, size_t count, custos_error *err) {
    for (size_t a = 0; a < count; a++) {
        const doc_node *ra = doc_root(docs[a]);
        if (ra->kind != DOC_MAP) continue;
        for (size_t i = 0; i < ra->u.map.count; i++) {
            const char *section = ra->u.map.keys[i];
            const doc_node *sa = ra->u.map.values[i];
            for (size_t b = 0; b < a; b++) {
                const doc_node *sb = doc_map_get(doc_root(docs[b]), section);
                if (!sb) continue;
                if (sa->kind != DOC_MAP || sb->kind != DOC_MAP)
                    return doc_error_at(docs[a], sa, section, err,
                                        "also defined in %s; only mappings of records merge",
                                        doc_name(docs[b]));
                for (size_t k = 0; k < sa->u.map.count; k++)
                    if (doc_map_get(sb, sa->u.map.keys[k]))
                        return doc_error_at(docs[a], sa->u.map.values[k], NULL, err,
                                            "%s.%s is also defined in %s", section,
                                            sa->u.map.keys[k], doc_name(docs[b]));
            }
        }
    }
    return CUSTOS_OK;
}
