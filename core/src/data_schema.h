/*
 * data_schema.h — the shapes of the data documents policies read (contracts, the purpose
 * catalogue, and whatever sections a regime declares in its regime.lua `data = {...}`),
 * checked once at load so a typo'd or mistyped field is an error with file:line:col, never a
 * silent nil at decision time.  Unknown sections and unknown fields are kept (policies may
 * read them); known fields must have their type.
 */
#ifndef CUSTOS_DATA_SCHEMA_H
#define CUSTOS_DATA_SCHEMA_H

#include <stddef.h>

#include "custos.h"
#include "doc.h"

typedef enum data_kind {
    D_STRING,
    D_BOOL,
    D_INTEGER,
    D_NUMBER,
    D_DATE,        /* "2027-06-30" or an RFC 3339 instant */
    D_STRINGS,     /* a list of strings */
    D_NUMBERS,     /* a list of numbers */
    D_STRING_LISTS, /* a mapping of name -> list of strings */
    D_LEVEL        /* top_secret | secret | confidential | public */
} data_kind;

typedef struct data_field {
    const char *name;
    data_kind kind;
} data_field;

/* A section: a mapping of records by id, each record's known fields typed. */
typedef struct data_section {
    const char *name;
    const data_field *fields;
    size_t field_count;
} data_section;

/* The kind named by a regime's declaration ("strings", "date", ...); false if unknown. */
bool data_kind_from_name(const char *name, data_kind *out);

/* Checks one document against the built-in sections and the `declared` ones. */
custos_status data_check(const doc *d, const data_section *declared, size_t declared_count,
                         custos_error *err);

/* Calls found() for every field of a record, in a section some schema describes (built-in or
 * `declared`), that no schema of that section names: kept for policies, but likely a typo. */
typedef void (*data_unknown_fn)(void *ud, const doc *d, const doc_node *at, const char *path);
void data_unknown_fields(const doc *d, const data_section *declared, size_t declared_count,
                         data_unknown_fn found, void *ud);

/* Checks that no record id (or unknown section holding a non-mapping) appears in two
 * documents, since documents are merged section by section. */
custos_status data_check_duplicates(doc *const *docs, size_t count, custos_error *err);

#endif
