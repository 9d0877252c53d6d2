/*
 * fuzz_util.c — the fuzz targets' shared plumbing (fuzz_util.h).
 */
#include "fuzz_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const fuzz_policy_files[] = {"schema.lua", "lib/walk.lua", "fuzzdemo/regime.lua",
                                         "fuzzdemo/art1.lua", "fuzzdemo/art2.lua"};
const size_t fuzz_policy_file_count = sizeof fuzz_policy_files / sizeof fuzz_policy_files[0];

enum { MAX_WRITTEN = 64 };

static char scratch[4096];
static char *written[MAX_WRITTEN]; /* files to remove at exit, deepest folders last */
static size_t written_count;
static char *policy_texts[sizeof fuzz_policy_files / sizeof fuzz_policy_files[0]];
static size_t policy_lens[sizeof fuzz_policy_files / sizeof fuzz_policy_files[0]];

static void die(const char *what, const char *path) {
    fprintf(stderr, "fuzz harness: %s %s: %s\n", what, path, strerror(errno));
    abort();
}

void fuzz_source_path(char *buf, size_t size, const char *rel) {
    const char *root = getenv("CUSTOS_SOURCE_DIR");
    if (!root || !*root) root = CUSTOS_FUZZ_SOURCE_DIR;
    if ((size_t)snprintf(buf, size, "%s/%s", root, rel) >= size) die("path too long:", rel);
}

static char *read_whole(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open", path);
    char *text = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            text = realloc(text, cap + 1);
            if (!text) die("out of memory reading", path);
        }
        size_t got = fread(text + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) die("cannot read", path);
    fclose(f);
    text[n] = '\0';
    *len = n;
    return text;
}

/* Removes what the target wrote, then the folders, deepest first. */
static void scratch_cleanup(void) {
    for (size_t i = written_count; i-- > 0;) {
        if (remove(written[i]) != 0 && errno != ENOENT)
            fprintf(stderr, "fuzz harness: cannot remove %s\n", written[i]);
        free(written[i]);
    }
    written_count = 0;
}

static void remember(const char *path) {
    for (size_t i = 0; i < written_count; i++)
        if (strcmp(written[i], path) == 0) return;
    if (written_count == MAX_WRITTEN) die("too many scratch files at", path);
    written[written_count] = strdup(path);
    if (!written[written_count]) die("out of memory at", path);
    written_count++;
}

/* Creates the folders of rel under the scratch folder, remembered for removal. */
static void make_parents(const char *rel) {
    char path[4096];
    for (const char *slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
        if ((size_t)snprintf(path, sizeof path, "%s/%.*s", scratch, (int)(slash - rel), rel) >=
            sizeof path)
            die("path too long:", rel);
        if (mkdir(path, 0700) != 0 && errno != EEXIST) die("cannot create", path);
        remember(path);
    }
}

const char *fuzz_scratch_setup(void) {
    if (*scratch) return scratch;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/custos-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) die("cannot create a folder like", scratch);
    remember(scratch);
    atexit(scratch_cleanup);
    for (size_t i = 0; i < fuzz_policy_file_count; i++) {
        size_t len;
        const char *text = fuzz_policy_text(fuzz_policy_files[i], &len);
        fuzz_scratch_write(fuzz_policy_files[i], text, len, NULL, 0);
    }
    return scratch;
}

void fuzz_scratch_write(const char *rel, const void *data, size_t size, char *buf,
                        size_t buf_size) {
    char path[4096];
    fuzz_scratch_setup();
    make_parents(rel);
    if ((size_t)snprintf(path, sizeof path, "%s/%s", scratch, rel) >= sizeof path)
        die("path too long:", rel);
    FILE *f = fopen(path, "wb");
    if (!f) die("cannot write", path);
    if ((size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) die("cannot write", path);
    remember(path);
    if (buf) snprintf(buf, buf_size, "%s", path);
}

const char *fuzz_policy_text(const char *rel, size_t *len) {
    for (size_t i = 0; i < fuzz_policy_file_count; i++) {
        if (strcmp(fuzz_policy_files[i], rel) != 0) continue;
        if (!policy_texts[i]) {
            char path[4096], name[256];
            snprintf(name, sizeof name, "tests/fuzz/policy-set/%s", rel);
            fuzz_source_path(path, sizeof path, name);
            policy_texts[i] = read_whole(path, &policy_lens[i]);
        }
        *len = policy_lens[i];
        return policy_texts[i];
    }
    errno = ENOENT;
    die("not a file of the fuzz policy set:", rel);
    return NULL;
}

void fuzz_quiet_stdout(void) {
    if (getenv("CUSTOS_FUZZ_VERBOSE")) return;
    if (!freopen("/dev/null", "w", stdout)) die("cannot open", "/dev/null");
}

void fuzz_decide(custos_engine *eng, const custos_request *req, custos_decision *d) {
    custos_error err;
    custos_status st = custos_decide(eng, req, CUSTOS_DECIDE_EXPLAIN, d, &err);
    if (st != CUSTOS_OK) {
        fprintf(stderr, "fuzz harness: custos_decide: %s: %s\n", custos_status_name(st),
                err.message);
        abort();
    }
    if (custos_decision_error_count(d) > 0 && custos_decision_effect(d) != CUSTOS_DENY) {
        fprintf(stderr, "fuzz finding: a decision with an error is %s, not a deny\n",
                custos_effect_name(custos_decision_effect(d)));
        abort();
    }
    const char *json;
    if (custos_decision_json(d, &json) != CUSTOS_OK) abort();
    if (getenv("CUSTOS_FUZZ_VERBOSE")) fprintf(stderr, "decision: %s\n", json);
}
