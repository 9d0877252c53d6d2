/* config.h — the inside of a custos_config (what an engine is opened from). */
#ifndef CUSTOS_CONFIG_H
#define CUSTOS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "custos.h"

#define CUSTOS_DEFAULT_MEMORY_LIMIT ((size_t)8 << 20)
#define CUSTOS_DEFAULT_INSTRUCTION_LIMIT ((uint64_t)10000000)
/* Loading runs each module's top level; these bound a hostile one, whatever the per-decision
 * limits are. */
#define CUSTOS_LOAD_MEMORY_LIMIT ((size_t)64 << 20)
#define CUSTOS_LOAD_INSTRUCTION_LIMIT ((uint64_t)50000000)
/* What the loaded policies may keep after loading (each article module with the libraries it
 * loads first, and all of them): every evaluator, one per thread, holds its own copy. */
#define CUSTOS_LOAD_RETAINED_LIMIT ((size_t)16 << 20)
#define CUSTOS_LOAD_RETAINED_TOTAL ((size_t)64 << 20)
/* The most one evaluator's Lua state may hold, loading included. */
#define CUSTOS_STATE_MEMORY_CEILING ((size_t)512 << 20)

typedef struct config_regime_mode {
    char *regime;
    custos_regime_mode mode;
} config_regime_mode;

struct custos_config {
    char **policies;
    size_t policy_count;
    char **data;
    size_t data_count;
    size_t memory_limit;
    uint64_t instruction_limit;
    config_regime_mode *modes;
    size_t mode_count;
};

/* A deep copy of cfg into *out (NULL on failure). */
custos_status config_copy(const custos_config *cfg, custos_config **out);

#endif
