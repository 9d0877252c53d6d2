/* version.c — the linked library's version, and static names for statuses and effects. */
#include "custos.h"

/* The version string of the library actually linked. */
const char *custos_version(void) { return CUSTOS_VERSION_STRING; }

/* MAJOR*1000000 + MINOR*1000 + PATCH of the library actually linked. */
int custos_version_number(void) { return CUSTOS_VERSION_NUMBER; }

/* A static lower-case name for status; "unknown" for a value outside the enum. */
const char *custos_status_name(custos_status status) {
    switch (status) {
    case CUSTOS_OK: return "ok";
    case CUSTOS_E_ARGUMENT: return "argument";
    case CUSTOS_E_NOMEM: return "nomem";
    case CUSTOS_E_NOT_FOUND: return "not-found";
    case CUSTOS_E_IO: return "io";
    case CUSTOS_E_PARSE: return "parse";
    case CUSTOS_E_INPUT: return "input";
    case CUSTOS_E_POLICY: return "policy";
    case CUSTOS_E_INTERNAL: return "internal";
    }
    return "unknown"; /* a value cast from outside the enum */
}

/* A static name for effect, as used in decision JSON; "unknown" outside the enum. */
const char *custos_effect_name(custos_effect effect) {
    switch (effect) {
    case CUSTOS_PERMIT: return "permit";
    case CUSTOS_DENY: return "deny";
    case CUSTOS_NOT_APPLICABLE: return "not_applicable";
    }
    return "unknown";
}
