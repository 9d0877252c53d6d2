/* config.c — custos_config: what an engine is opened from (policy folders, data documents,
 * limits, regime modes), and the built-in policy folder.  Nothing here is on a hot path, so
 * plain malloc/realloc is used and every list grows by one. */
#define _GNU_SOURCE /* dladdr1, Dl_info: where this library was loaded from */
#include "config.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Creates an empty configuration with the default limits. */
custos_status custos_config_new(custos_config **out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    custos_config *cfg = calloc(1, sizeof *cfg);
    *out = cfg;
    if (!cfg) return CUSTOS_E_NOMEM;
    cfg->memory_limit = CUSTOS_DEFAULT_MEMORY_LIMIT;
    cfg->instruction_limit = CUSTOS_DEFAULT_INSTRUCTION_LIMIT;
    return CUSTOS_OK;
}

/* Frees count strings and the array holding them. */
static void free_strings(char **strings, size_t count) {
    for (size_t i = 0; i < count; i++) free(strings[i]);
    free(strings);
}

/* Releases cfg and everything it copied; NULL is a no-op. */
void custos_config_free(custos_config *cfg) {
    if (!cfg) return;
    free_strings(cfg->policies, cfg->policy_count);
    free_strings(cfg->data, cfg->data_count);
    for (size_t i = 0; i < cfg->mode_count; i++) free(cfg->modes[i].regime);
    free(cfg->modes);
    free(cfg);
}

/* Appends a copy of s to the list (*list, *count). */
static custos_status append_string(char ***list, size_t *count, const char *s) {
    if (*count == SIZE_MAX / sizeof **list) return CUSTOS_E_NOMEM;
    char *copy = strdup(s);
    if (!copy) return CUSTOS_E_NOMEM;
    char **grown = realloc(*list, (*count + 1) * sizeof **list);
    if (!grown) {
        free(copy);
        return CUSTOS_E_NOMEM;
    }
    grown[(*count)++] = copy;
    *list = grown;
    return CUSTOS_OK;
}

/* Adds a policy folder (a regime folder or a folder of them); an empty path is refused. */
custos_status custos_config_add_policies(custos_config *cfg, const char *path) {
    if (!cfg || !path || !*path) return CUSTOS_E_ARGUMENT;
    return append_string(&cfg->policies, &cfg->policy_count, path);
}

/* Adds a data document; an empty path is refused. */
custos_status custos_config_add_data(custos_config *cfg, const char *path) {
    if (!cfg || !path || !*path) return CUSTOS_E_ARGUMENT;
    return append_string(&cfg->data, &cfg->data_count, path);
}

/* Sets the per-decision limits; a 0 leaves that limit as it is (the default unless set
 * before).  A memory limit above what one evaluator may ever hold is refused. */
custos_status custos_config_set_limits(custos_config *cfg, size_t memory_bytes,
                                       uint64_t instructions) {
    if (!cfg || memory_bytes > CUSTOS_STATE_MEMORY_CEILING) return CUSTOS_E_ARGUMENT;
    if (memory_bytes) cfg->memory_limit = memory_bytes;
    if (instructions) cfg->instruction_limit = instructions;
    return CUSTOS_OK;
}

/* Chooses how regime binds; setting the same regime again replaces its mode. */
custos_status custos_config_set_regime_mode(custos_config *cfg, const char *regime,
                                            custos_regime_mode mode) {
    if (!cfg || !regime || !*regime) return CUSTOS_E_ARGUMENT;
    if (mode != CUSTOS_REGIME_ADOPTED && mode != CUSTOS_REGIME_IN_FORCE &&
        mode != CUSTOS_REGIME_SKIPPED)
        return CUSTOS_E_ARGUMENT;
    for (size_t i = 0; i < cfg->mode_count; i++) {
        if (strcmp(cfg->modes[i].regime, regime) == 0) {
            cfg->modes[i].mode = mode;
            return CUSTOS_OK;
        }
    }
    if (cfg->mode_count == SIZE_MAX / sizeof *cfg->modes) return CUSTOS_E_NOMEM;
    char *copy = strdup(regime);
    if (!copy) return CUSTOS_E_NOMEM;
    config_regime_mode *grown = realloc(cfg->modes, (cfg->mode_count + 1) * sizeof *grown);
    if (!grown) {
        free(copy);
        return CUSTOS_E_NOMEM;
    }
    grown[cfg->mode_count++] = (config_regime_mode){copy, mode};
    cfg->modes = grown;
    return CUSTOS_OK;
}

/* Deep-copies count strings into *out (NULL for an empty list). */
static custos_status copy_strings(char *const *strings, size_t count, char ***out) {
    *out = NULL;
    if (count == 0) return CUSTOS_OK;
    char **copy = calloc(count, sizeof *copy);
    if (!copy) return CUSTOS_E_NOMEM;
    for (size_t i = 0; i < count; i++) {
        copy[i] = strdup(strings[i]);
        if (!copy[i]) {
            free_strings(copy, i);
            return CUSTOS_E_NOMEM;
        }
    }
    *out = copy;
    return CUSTOS_OK;
}

/* A deep copy of cfg into *out, sharing nothing with it; *out is NULL on failure. */
custos_status config_copy(const custos_config *cfg, custos_config **out) {
    if (!out) return CUSTOS_E_ARGUMENT;
    *out = NULL;
    if (!cfg) return CUSTOS_E_ARGUMENT;
    custos_config *copy = calloc(1, sizeof *copy);
    if (!copy) return CUSTOS_E_NOMEM;
    copy->memory_limit = cfg->memory_limit;
    copy->instruction_limit = cfg->instruction_limit;
    /* counts are set only once their arrays are complete, so a partial copy frees cleanly */
    if (copy_strings(cfg->policies, cfg->policy_count, &copy->policies) != CUSTOS_OK) goto nomem;
    copy->policy_count = cfg->policy_count;
    if (copy_strings(cfg->data, cfg->data_count, &copy->data) != CUSTOS_OK) goto nomem;
    copy->data_count = cfg->data_count;
    if (cfg->mode_count) {
        copy->modes = calloc(cfg->mode_count, sizeof *copy->modes);
        if (!copy->modes) goto nomem;
        for (size_t i = 0; i < cfg->mode_count; i++) {
            copy->modes[i].mode = cfg->modes[i].mode;
            copy->modes[i].regime = strdup(cfg->modes[i].regime);
            copy->mode_count = i + 1; /* calloc'd: free(NULL) is fine for the failed one */
            if (!copy->modes[i].regime) goto nomem;
        }
    }
    *out = copy;
    return CUSTOS_OK;
nomem:
    custos_config_free(copy);
    return CUSTOS_E_NOMEM;
}

/* ---- the built-in policy folder ------------------------------------------------------------ */

/* Where the built-in regimes are relative to the folder holding libcustos, in the install layout
 * (which the build tree mirrors): <libdir> -> <datadir>/custos/policies, set by
 * core/CMakeLists.txt from GNUInstallDirs ("../share/custos/policies" for libdir=lib).  No
 * absolute path is compiled in, so a moved prefix keeps working. */
#ifndef CUSTOS_LIB_TO_POLICY_DIR
#define CUSTOS_LIB_TO_POLICY_DIR "../share/custos/policies"
#endif

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static pthread_once_t relative_once = PTHREAD_ONCE_INIT;
static char relative_dir[PATH_MAX]; /* "" when there is none */

/* The canonical folder of the object holding this code into buf: libcustos.so when linked
 * shared; the program itself when libcustos.a was linked into it (its link map has no name;
 * /proc/self/exe says where it is).  False when neither can be found. */
static bool object_folder(char *buf) {
    Dl_info info;
    struct link_map *map = NULL;
    if (!dladdr1(&relative_once, &info, (void **)&map, RTLD_DL_LINKMAP) || !map || !map->l_name)
        return false;
    const char *file = map->l_name[0] ? map->l_name : "/proc/self/exe";
    if (!realpath(file, buf)) return false; /* also resolves a symlinked /lib -> /usr/lib */
    char *slash = strrchr(buf, '/');
    if (!slash) return false;
    if (slash == buf)
        slash[1] = '\0';
    else
        *slash = '\0';
    return true;
}

/* <folder of libcustos>/CUSTOS_LIB_TO_POLICY_DIR with its leading "../" taken lexically (the
 * folder is canonical), when it is a folder. */
static void find_relative_dir(void) {
    char dir[PATH_MAX];
    if (!object_folder(dir)) return;
    const char *rel = CUSTOS_LIB_TO_POLICY_DIR;
    while (strncmp(rel, "../", 3) == 0) {
        char *slash = strrchr(dir, '/');
        if (!slash) return;
        *slash = '\0'; /* "/usr" -> "", which "/share/..." then follows */
        rel += 3;
    }
    int n = snprintf(relative_dir, sizeof relative_dir, "%s/%s", dir, rel);
    if (n < 0 || (size_t)n >= sizeof relative_dir || !is_dir(relative_dir)) relative_dir[0] = '\0';
}

/* The built-in policy folder: $CUSTOS_POLICY_DIR when set (NULL when it is not a folder), else
 * the one beside the library (see custos.h). */
const char *custos_builtin_policy_dir(void) {
    const char *env = getenv(CUSTOS_POLICY_DIR_ENV);
    if (env && env[0]) return is_dir(env) ? env : NULL;
    pthread_once(&relative_once, find_relative_dir);
    return relative_dir[0] ? relative_dir : NULL;
}
