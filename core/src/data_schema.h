/*
 * data_schema.h — the shapes of the data documents policies read (contracts, the purpose
 * catalogue, ...), checked once at load so a typo'd or mistyped field is an error with
 * file:line:col, never a silent nil at decision time.  Unknown sections and unknown fields
 * are kept (policies may read them); known fields must have their type.
 */
#ifndef CUSTOS_DATA_SCHEMA_H
#define CUSTOS_DATA_SCHEMA_H

#include <stddef.h>

#include "custos.h"
#include "doc.h"

/* Checks one document: a mapping of sections, each a mapping of records by id. */
custos_status data_check(const doc *d, custos_error *err);

/* Checks that no record id (or unknown section holding a non-mapping) appears in two
 * documents, since documents are merged section by section. */
custos_status data_check_duplicates(doc *const *docs, size_t count, custos_error *err);

#endif
