/* data_schema.c — see data_schema.h. */
#include "data_schema.h"

#include <stdio.h>
#include <string.h>

#include "timeutil.h"

static const data_field contract_fields[] = {
    {"employer", D_STRING},         {"contractor", D_STRING},
    {"foreign_employer", D_BOOL},   {"confidentiality", D_BOOL},
    {"purposes", D_STRINGS},        {"related_purposes", D_STRING_LISTS},
    {"subjects", D_STRINGS},        {"actions", D_STRINGS},
    {"retention_until", D_DATE},    {"signed", D_DATE},
    {"regions", D_STRINGS},         {"title", D_STRING}};

static const data_field purpose_fields[] = {
    {"related", D_STRINGS}, {"narrower", D_STRINGS}, {"broader", D_STRINGS},
    {"description", D_STRING}, {"title", D_STRING}};

#define FIELDS(a) a, sizeof a / sizeof *a
static const data_section builtin_sections[] = {
    {"contracts", FIELDS(contract_fields)},
    {"purposes", FIELDS(purpose_fields)},
};

static const struct {
    const char *name;
    data_kind kind;
} kind_names[] = {{"string", D_STRING},   {"boolean", D_BOOL},   {"integer", D_INTEGER},
                  {"number", D_NUMBER},   {"date", D_DATE},      {"strings", D_STRINGS},
                  {"numbers", D_NUMBERS}, {"string-lists", D_STRING_LISTS}, {"level", D_LEVEL}};

bool data_kind_from_name(const char *name, data_kind *out) {
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (strcmp(kind_names[i].name, name) == 0) {
            *out = kind_names[i].kind;
            return true;
        }
    return false;
}

static const char *const levels[] = {"top_secret", "secret", "confidential", "public", NULL};

static const char *data_kind_expectation(data_kind k) {
    switch (k) {
    case D_STRING: return "a string";
    case D_BOOL: return "a boolean (true or false)";
    case D_INTEGER: return "an integer";
    case D_NUMBER: return "a number";
    case D_DATE: return "a date like \"2027-06-30\" or an RFC 3339 time";
    case D_STRINGS: return "a list of strings";
    case D_STRING_LISTS: return "a mapping of names to lists of strings";
    case D_NUMBERS: return "a list of numbers";
    case D_LEVEL: return "one of: top_secret, secret, confidential, public";
    }
    return "a value";
}

static custos_status check_strings(const doc *d, const doc_node *n, const char *path,
                                   custos_error *err) {
    if (n->kind != DOC_SEQ)
        return doc_error_at(d, n, path, err, "expected a list of strings, got %s",
                            doc_kind_name(n->kind));
    for (size_t i = 0; i < n->u.seq.count; i++)
        if (n->u.seq.items[i]->kind != DOC_STR)
            return doc_error_at(d, n->u.seq.items[i], path, err,
                                "item %zu: expected a string, got %s", i + 1,
                                doc_kind_name(n->u.seq.items[i]->kind));
    return CUSTOS_OK;
}

static custos_status check_field(const doc *d, const doc_node *n, data_kind kind,
                                 const char *path, custos_error *err) {
    bool ok = false;
    switch (kind) {
    case D_STRING: ok = n->kind == DOC_STR; break;
    case D_BOOL: ok = n->kind == DOC_BOOL; break;
    case D_INTEGER: ok = n->kind == DOC_INT; break;
    case D_NUMBER: ok = n->kind == DOC_INT || n->kind == DOC_NUM; break;
    case D_DATE: {
        if (n->kind != DOC_STR) break;
        int64_t epoch;
        const char *why = "";
        if (!time_parse_bound(n->u.str.s, n->u.str.len, true, &epoch, &why))
            return doc_error_at(d, n, path, err, "\"%s\" %s; expected %s", n->u.str.s, why,
                                data_kind_expectation(kind));
        ok = true;
        break;
    }
    case D_STRINGS: return check_strings(d, n, path, err);
    case D_NUMBERS:
        if (n->kind != DOC_SEQ) break;
        for (size_t i = 0; i < n->u.seq.count; i++)
            if (n->u.seq.items[i]->kind != DOC_INT && n->u.seq.items[i]->kind != DOC_NUM)
                return doc_error_at(d, n->u.seq.items[i], path, err,
                                    "item %zu: expected a number, got %s", i + 1,
                                    doc_kind_name(n->u.seq.items[i]->kind));
        return CUSTOS_OK;
    case D_LEVEL:
        if (n->kind != DOC_STR) break;
        for (const char *const *l = levels; *l; l++)
            if (strcmp(*l, n->u.str.s) == 0) return CUSTOS_OK;
        break;
    case D_STRING_LISTS:
        if (n->kind != DOC_MAP) break;
        for (size_t i = 0; i < n->u.map.count; i++) {
            char sub[700];
            snprintf(sub, sizeof sub, "%s.%s", path, n->u.map.keys[i]);
            custos_status st = check_strings(d, n->u.map.values[i], sub, err);
            if (st) return st;
        }
        return CUSTOS_OK;
    }
    if (ok || n->kind == DOC_NULL) return CUSTOS_OK;
    if (n->kind == DOC_STR)
        return doc_error_at(d, n, path, err, "expected %s, got the string \"%.60s\"",
                            data_kind_expectation(kind), n->u.str.s);
    return doc_error_at(d, n, path, err, "expected %s, got %s", data_kind_expectation(kind),
                        doc_kind_name(n->kind));
}

static custos_status check_record(const doc *d, const data_section *sec, const char *id,
                                  const doc_node *rec, custos_error *err) {
    char path[512];
    snprintf(path, sizeof path, "%s.%s", sec->name, id);
    if (rec->kind != DOC_MAP)
        return doc_error_at(d, rec, path, err, "expected a mapping of fields, got %s",
                            doc_kind_name(rec->kind));
    for (const data_field *f = sec->fields; f < sec->fields + sec->field_count; f++) {
        const doc_node *v = doc_map_get(rec, f->name);
        if (!v) continue;
        char field_path[600];
        snprintf(field_path, sizeof field_path, "%s.%s", path, f->name);
        custos_status st = check_field(d, v, f->kind, field_path, err);
        if (st) return st;
    }
    return CUSTOS_OK;
}

/* Checks every record of a section against one schema. */
static custos_status check_section(const doc *d, const data_section *sec, const doc_node *section,
                                   custos_error *err) {
    if (section->kind != DOC_MAP)
        return doc_error_at(d, section, sec->name, err, "expected a mapping of records by id, got %s",
                            doc_kind_name(section->kind));
    for (size_t r = 0; r < section->u.map.count; r++) {
        custos_status st =
            check_record(d, sec, section->u.map.keys[r], section->u.map.values[r], err);
        if (st) return st;
    }
    return CUSTOS_OK;
}

custos_status data_check(const doc *d, const data_section *declared, size_t declared_count,
                         custos_error *err) {
    const doc_node *root = doc_root(d);
    if (root->kind == DOC_NULL) return CUSTOS_OK; /* an empty document holds no data */
    if (root->kind != DOC_MAP)
        return doc_error_at(d, root, NULL, err,
                            "expected a data document: a mapping of sections such as "
                            "contracts: or purposes:, got %s", doc_kind_name(root->kind));
    for (size_t i = 0; i < root->u.map.count; i++) {
        const char *name = root->u.map.keys[i];
        const doc_node *section = root->u.map.values[i];
        for (size_t s = 0; s < sizeof builtin_sections / sizeof *builtin_sections; s++) {
            if (strcmp(builtin_sections[s].name, name) != 0) continue;
            custos_status st = check_section(d, &builtin_sections[s], section, err);
            if (st) return st;
        }
        for (size_t s = 0; s < declared_count; s++) {
            if (strcmp(declared[s].name, name) != 0) continue;
            custos_status st = check_section(d, &declared[s], section, err);
            if (st) return st;
        }
    }
    return CUSTOS_OK;
}

/* Whether some schema of `section` names `field`. */
static bool field_known(const char *section, const char *field, const data_section *declared,
                        size_t declared_count, bool *section_known) {
    const data_section *lists[2] = {builtin_sections, declared};
    size_t counts[2] = {sizeof builtin_sections / sizeof *builtin_sections, declared_count};
    for (size_t l = 0; l < 2; l++)
        for (size_t s = 0; s < counts[l]; s++) {
            if (strcmp(lists[l][s].name, section) != 0) continue;
            *section_known = true;
            for (size_t f = 0; f < lists[l][s].field_count; f++)
                if (strcmp(lists[l][s].fields[f].name, field) == 0) return true;
        }
    return false;
}

void data_unknown_fields(const doc *d, const data_section *declared, size_t declared_count,
                         data_unknown_fn found, void *ud) {
    const doc_node *root = doc_root(d);
    if (!root || root->kind != DOC_MAP) return;
    for (size_t i = 0; i < root->u.map.count; i++) {
        const doc_node *section = root->u.map.values[i];
        if (section->kind != DOC_MAP) continue;
        for (size_t r = 0; r < section->u.map.count; r++) {
            const doc_node *rec = section->u.map.values[r];
            if (rec->kind != DOC_MAP) continue;
            for (size_t f = 0; f < rec->u.map.count; f++) {
                bool section_known = false;
                if (field_known(root->u.map.keys[i], rec->u.map.keys[f], declared, declared_count,
                                &section_known) || !section_known)
                    continue;
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
