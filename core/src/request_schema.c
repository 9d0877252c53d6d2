/* request_schema.c — see request_schema.h. */
#include "request_schema.h"

#include <stdio.h>
#include <string.h>

static const char *const classification_levels[] = {"top_secret", "secret", "confidential",
                                                    "public", NULL};

#define T(path, key, parent, self, doc) {path, key, REQ_TABLE, parent, self, NULL, doc}
#define F(path, key, kind, parent, doc) {path, key, kind, parent, REQ_T_ROOT, NULL, doc}
#define E(path, key, values, parent, doc) {path, key, REQ_ENUM, parent, REQ_T_ROOT, values, doc}

const req_field req_fields[] = {
    F("action", "action", REQ_STRING, REQ_T_ROOT, "the act: use, process, store, disclose, sell, ..."),
    T("context", "context", REQ_T_ROOT, REQ_T_CONTEXT, "when and under what consent"),
    F("context.approvals", "approvals", REQ_LIST, REQ_T_CONTEXT, "further people authorizing this act"),
    T("context.consent", "consent", REQ_T_CONTEXT, REQ_T_CONSENT, "the employer's consent"),
    F("context.consent.by", "by", REQ_STRING, REQ_T_CONSENT, "who gave the consent (the employer or partner)"),
    F("context.consent.purposes", "purposes", REQ_LIST, REQ_T_CONSENT, "purposes the employer consented to"),
    F("context.consent.valid_from", "valid_from", REQ_DATE, REQ_T_CONSENT, "first day the consent holds"),
    F("context.consent.valid_until", "valid_until", REQ_DATE, REQ_T_CONSENT, "last day the consent holds"),
    F("context.consent.written", "written", REQ_BOOL, REQ_T_CONSENT, "whether the consent is in writing"),
    F("context.regions", "regions", REQ_LIST, REQ_T_CONTEXT, "regions whose law the act touches"),
    E("context.target_level", "target_level", classification_levels, REQ_T_CONTEXT, "the level an access-level change asks for"),
    F("context.target_subject", "target_subject", REQ_STRING, REQ_T_CONTEXT, "whom an act on people (e.g. an access-level change) is about"),
    F("context.time", "time", REQ_TIME, REQ_T_CONTEXT, "when the act happens (RFC 3339 with offset)"),
    F("purpose", "purpose", REQ_STRING, REQ_T_ROOT, "what the data is used for"),
    T("resource", "resource", REQ_T_ROOT, REQ_T_RESOURCE, "the data acted on"),
    F("resource.category", "category", REQ_STRING, REQ_T_RESOURCE, "personal, commercial, technical, ..."),
    E("resource.classification", "classification", classification_levels, REQ_T_RESOURCE, "its secrecy level"),
    F("resource.classified_project", "classified_project", REQ_BOOL, REQ_T_RESOURCE, "belongs to a classified (标密) project"),
    F("resource.contract", "contract", REQ_STRING, REQ_T_RESOURCE, "the outsourcing contract it was entrusted under"),
    F("resource.entrusted", "entrusted", REQ_BOOL, REQ_T_RESOURCE, "entrusted by the employer under a contract"),
    F("resource.id", "id", REQ_STRING, REQ_T_RESOURCE, "the data's id"),
    F("resource.owner", "owner", REQ_STRING, REQ_T_RESOURCE, "the employer who owns it"),
    F("resource.project", "project", REQ_STRING, REQ_T_RESOURCE, "the project it belongs to"),
    F("resource.protected_by_employer", "protected_by_employer", REQ_BOOL, REQ_T_RESOURCE, "the employer keeps it confidential"),
    F("resource.public", "public", REQ_BOOL, REQ_T_RESOURCE, "already known to the public"),
    T("subject", "subject", REQ_T_ROOT, REQ_T_SUBJECT, "who acts"),
    E("subject.clearance", "clearance", classification_levels, REQ_T_SUBJECT, "the highest level they may access"),
    F("subject.id", "id", REQ_STRING, REQ_T_SUBJECT, "the person's id"),
    F("subject.org", "org", REQ_STRING, REQ_T_SUBJECT, "their organization"),
    F("subject.role", "role", REQ_STRING, REQ_T_SUBJECT, "staff, manager, director, partner, supplier, ..."),
    F("subject.signed_confidentiality", "signed_confidentiality", REQ_BOOL, REQ_T_SUBJECT, "has signed a confidentiality agreement"),
};
const size_t req_field_count = sizeof req_fields / sizeof *req_fields;

const req_field *req_field_find(const char *path, size_t len) {
    size_t lo = 0, hi = req_field_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = req_fields[mid].path;
        int c = strncmp(p, path, len);
        if (c == 0 && p[len] != '\0') c = 1; /* p is longer: it sorts after */
        if (c == 0) return &req_fields[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

size_t req_field_index(const req_field *f) { return (size_t)(f - req_fields); }

const req_field *req_table_field(req_table t) {
    for (size_t i = 0; i < req_field_count; i++)
        if (req_fields[i].kind == REQ_TABLE && req_fields[i].self == t) return &req_fields[i];
    return NULL;
}

req_table req_table_parent(req_table t) {
    static const req_table parents[REQ_T_COUNT] = {
        [REQ_T_ROOT] = REQ_T_ROOT,       [REQ_T_SUBJECT] = REQ_T_ROOT, [REQ_T_RESOURCE] = REQ_T_ROOT,
        [REQ_T_CONTEXT] = REQ_T_ROOT,    [REQ_T_CONSENT] = REQ_T_CONTEXT};
    return parents[t];
}

const char *req_table_path(req_table t) {
    const req_field *f = req_table_field(t);
    return f ? f->path : "";
}

const char *req_kind_expectation(const req_field *f, char *buf, size_t size) {
    switch (f->kind) {
    case REQ_TABLE: return "a mapping";
    case REQ_STRING: return "a string";
    case REQ_BOOL: return "a boolean (true or false)";
    case REQ_TIME: return "an RFC 3339 time with an offset, like \"2026-11-22T10:00:00+08:00\"";
    case REQ_LIST: return "a list of strings";
    case REQ_DATE: return "a date like \"2027-06-30\" or an RFC 3339 time";
    case REQ_ENUM: {
        size_t used = (size_t)snprintf(buf, size, "one of:");
        for (const char *const *v = f->values; *v && used < size; v++)
            used += (size_t)snprintf(buf + used, size - used, "%s %s", v == f->values ? "" : ",", *v);
        return buf;
    }
    }
    return "a value";
}
