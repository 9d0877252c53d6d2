/*
 * data_schema.h — checking the data documents policies read against the data sections the
 * policy set declares (schema.h), once at load, so a mistyped field is an error with
 * file:line:col, never a silent nil at decision time.  Undeclared sections and fields are kept
 * (policies may read them); declared fields must have their type.
 */
#ifndef CUSTOS_DATA_SCHEMA_H
#define CUSTOS_DATA_SCHEMA_H

#include <stddef.h>

#include "custos.h"
#include "doc.h"
#include "schema.h"

/* Checks one document against the declared sections. */
custos_status data_check(const doc *d, const schema *sch, custos_error *err);

/* Calls found() for every field of a record, in a declared section, that no declaration of
 * that section names: kept for policies, but likely a typo. */
typedef void (*data_unknown_fn)(void *ud, const doc *d, const doc_node *at, const char *path);
void data_unknown_fields(const doc *d, const schema *sch, data_unknown_fn found, void *ud);

/* Checks that no record id (or unknown section holding a non-mapping) appears in two
 * documents, since documents are merged section by section. */
custos_status data_check_duplicates(doc *const *docs, size_t count, custos_error *err);

#endif
