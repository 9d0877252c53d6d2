/*
 * temp_policies.h — a policy folder written by a test into /tmp: one regime "r" whose
 * articles, libraries and declarations the test writes (hostile ones, generated big or deep),
 * opened as an engine with chosen limits, then removed.
 */
#ifndef CUSTOS_TEMP_POLICIES_H
#define CUSTOS_TEMP_POLICIES_H

#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

#define TEMP_POLICY_FILES 32

typedef struct temp_policies {
    char root[256]; /* the --policies folder: root/r is the regime, root/lib its libraries */
    char files[TEMP_POLICY_FILES][400];
    size_t file_count;
} temp_policies;

/* A regime listing articles "1" .. "n", all encoded. */
static inline const char *temp_regime_lua(unsigned n) {
    static char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text,
                                   "return regime {\n"
                                   "  id = \"r\",\n"
                                   "  title = { zh = \"测\", en = \"Test\" },\n"
                                   "  document = \"TEST-R\",\n"
                                   "  issued = \"2020-01-01\", effective = \"2020-01-01\",\n"
                                   "  articles = {\n");
    for (unsigned i = 1; i <= n && used < sizeof text; i++)
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "    { number = \"%u\", title = { zh = \"条\", en = \"Article\" },"
                                 " encoded = true },\n",
                                 i);
    if (used < sizeof text) snprintf(text + used, sizeof text - used, "  },\n}\n");
    return text;
}

static inline void temp_write(temp_policies *t, const char *relative, const char *text,
                              size_t len) {
    char path[400];
    snprintf(path, sizeof path, "%s/%s", t->root, relative);
    FILE *f = fopen(path, "wb");
    if (!f) fail_msg("cannot write %s: %s", path, strerror(errno));
    if (fwrite(text, 1, len, f) != len) fail_msg("cannot write %s", path);
    fclose(f);
    for (size_t i = 0; i < t->file_count; i++)
        if (strcmp(t->files[i], path) == 0) return;
    assert_true(t->file_count < TEMP_POLICY_FILES);
    snprintf(t->files[t->file_count++], sizeof t->files[0], "%s", path);
}

static inline void temp_write_text(temp_policies *t, const char *relative, const char *text) {
    temp_write(t, relative, text, strlen(text));
}

/* An article module: `prefix` at its top, then article{number, ..., rule = function(req, data)
 * `body` return permit("ok") end}. */
static inline void temp_write_article(temp_policies *t, unsigned number, const char *prefix,
                                      const char *body) {
    size_t size = strlen(prefix) + strlen(body) + 1024;
    char *text = malloc(size);
    assert_non_null(text);
    int n = snprintf(text, size,
                     "%s\n"
                     "return article {\n"
                     "  number = \"%u\",\n"
                     "  text = { zh = \"测试条文。\", en = \"A test article.\" },\n"
                     "  citation = \"TEST-R %u\",\n"
                     "  messages = { ok = { zh = \"正常。\", en = \"Normal.\" } },\n"
                     "  rule = function(req, data)\n"
                     "%s\n"
                     "    return permit(\"ok\")\n"
                     "  end,\n"
                     "}\n",
                     prefix, number, number, body);
    char name[32];
    snprintf(name, sizeof name, "r/art%u.lua", number);
    temp_write(t, name, text, (size_t)n);
    free(text);
}

/* A fresh folder with regime "r" listing `articles` articles (written by the test). */
static inline void temp_make(temp_policies *t, unsigned articles) {
    memset(t, 0, sizeof *t);
    snprintf(t->root, sizeof t->root, "/tmp/custos-test-XXXXXX");
    if (!mkdtemp(t->root)) fail_msg("mkdtemp: %s", strerror(errno));
    char path[300];
    snprintf(path, sizeof path, "%s/r", t->root);
    if (mkdir(path, 0700) != 0) fail_msg("mkdir: %s", strerror(errno));
    snprintf(path, sizeof path, "%s/lib", t->root);
    if (mkdir(path, 0700) != 0) fail_msg("mkdir: %s", strerror(errno));
    temp_write_text(t, "r/regime.lua", temp_regime_lua(articles));
}

static inline void temp_remove(temp_policies *t) {
    for (size_t i = 0; i < t->file_count; i++) unlink(t->files[i]);
    char path[300];
    snprintf(path, sizeof path, "%s/r", t->root);
    rmdir(path);
    snprintf(path, sizeof path, "%s/lib", t->root);
    rmdir(path);
    rmdir(t->root);
}

/* Opens the folder with the given instruction limit (0: the default); returns the status and
 * fills err (eng is NULL on failure). */
static inline custos_status temp_open(const temp_policies *t, uint64_t instructions,
                                      custos_engine **eng, custos_error *err) {
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, t->root), CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(cfg, 0, instructions), CUSTOS_OK);
    *eng = NULL;
    custos_status st = custos_engine_open(cfg, eng, err);
    custos_config_free(cfg);
    return st;
}

static inline double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

#endif
