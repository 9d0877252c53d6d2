/*
 * test_partial_loads.c — whole or nothing (issue 14, item 2): a policy set and its data load
 * completely or not at all.  Attacks: the shipped example data cut at every 97th byte (with
 * the shipped manifest every cut is refused; without it no cut both loads and turns a deny of
 * an example request into a permit); a regime folder that lost its regime.lua, or vanished,
 * at open and at reload (the old set keeps serving); a module changed, added or removed under
 * the manifest; emptied and cut documents without one; malformed manifests.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

#define CUT_STEP 97
#define MAX_REQUESTS 64

/* A scratch copy of the shipped policies (p/) and example data (d/), manifests included. */
typedef struct scratch {
    char root[256], policies[300], data[300];
} scratch;

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run(const char *fmt, ...) {
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0) fail_msg("failed: %s", cmd);
}

static void scratch_make(scratch *s) {
    char src[1024];
    snprintf(s->root, sizeof s->root, "/tmp/custos-partial-XXXXXX");
    if (!mkdtemp(s->root)) fail_msg("mkdtemp: %s", strerror(errno));
    snprintf(s->policies, sizeof s->policies, "%s/p", s->root);
    snprintf(s->data, sizeof s->data, "%s/d", s->root);
    run("cp -R '%s' '%s'", source_path(src, sizeof src, "policies"), s->policies);
    run("cp -R '%s' '%s'", source_path(src, sizeof src, "examples/data"), s->data);
}

static void scratch_remove(scratch *s) { run("rm -rf '%s'", s->root); }

static const char *const data_files[] = {
    "contracts.yaml", "cooperations.yaml", "evaluations.yaml", "gz-extra.yaml",
    "holidays.yaml",  "providers.yaml",    "purposes.yaml",    "subjects.yaml",
};
#define DATA_FILE_COUNT (sizeof data_files / sizeof *data_files)

static custos_status open_scratch(const scratch *s, custos_engine **eng, custos_error *err) {
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, s->policies), CUSTOS_OK);
    for (size_t i = 0; i < DATA_FILE_COUNT; i++) {
        char path[400];
        snprintf(path, sizeof path, "%s/%s", s->data, data_files[i]);
        assert_int_equal(custos_config_add_data(cfg, path), CUSTOS_OK);
    }
    /* the company template binds only when adopted: adopt it, so its denials count too */
    assert_int_equal(
        custos_config_set_regime_mode(cfg, "enterprise-confidentiality", CUSTOS_REGIME_ADOPTED),
        CUSTOS_OK);
    *eng = NULL;
    custos_status st = custos_engine_open(cfg, eng, err);
    custos_config_free(cfg);
    return st;
}

/* Every example request (the .yaml files of examples/requests), parsed. */
typedef struct request_set {
    custos_request *req[MAX_REQUESTS];
    char name[MAX_REQUESTS][sizeof((struct dirent *)0)->d_name];
    size_t count;
} request_set;

static void load_requests(request_set *rs) {
    char dir[1024];
    source_path(dir, sizeof dir, "examples/requests");
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n > 0);
    rs->count = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]->d_name);
        if (len > 5 && strcmp(names[i]->d_name + len - 5, ".yaml") == 0 &&
            rs->count < MAX_REQUESTS) {
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            size_t text_len;
            char *text = read_whole_file(path, &text_len);
            rs->req[rs->count] = parse_request(text);
            snprintf(rs->name[rs->count], sizeof rs->name[0], "%s", names[i]->d_name);
            rs->count++;
            free(text);
        }
        free(names[i]);
    }
    free(names);
    assert_true(rs->count >= 20);
}

static void free_requests(request_set *rs) {
    for (size_t i = 0; i < rs->count; i++) custos_request_free(rs->req[i]);
}

static custos_effect decide_effect(custos_engine *eng, custos_request *req, custos_decision *d) {
    custos_error err;
    custos_status st = custos_decide(eng, req, 0, d, &err);
    if (st != CUSTOS_OK) fail_msg("decide: %s", err.message);
    return custos_decision_effect(d);
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The attack: each example data document cut at every 97th byte.  With the shipped
 * manifest every cut is refused, naming the cut file; without it, a cut that still loads must
 * not turn any example request's deny into a permit. */
static void test_cut_data_never_loads_a_permit(void **state) {
    (void)state;
    scratch s;
    scratch_make(&s);
    request_set rs;
    load_requests(&rs);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_engine *eng;
    custos_error err;
    custos_status st = open_scratch(&s, &eng, &err);
    if (st) fail_msg("the intact copy must load: %s:%u: %s", err.file, err.line, err.message);
    custos_effect base[MAX_REQUESTS];
    size_t denies = 0;
    for (size_t i = 0; i < rs.count; i++)
        denies += (base[i] = decide_effect(eng, rs.req[i], d)) == CUSTOS_DENY;
    custos_engine_close(eng);
    assert_true(denies >= 10);

    size_t cuts = 0, refused_by_manifest = 0, loaded_without = 0;
    char manifest[400], hidden[400];
    snprintf(manifest, sizeof manifest, "%s/.manifest.yaml", s.data);
    snprintf(hidden, sizeof hidden, "%s/manifest.away", s.root);
    for (size_t f = 0; f < DATA_FILE_COUNT; f++) {
        char path[400];
        snprintf(path, sizeof path, "%s/%s", s.data, data_files[f]);
        size_t len;
        char *whole = read_whole_file(path, &len);
        for (size_t cut = 0; cut < len; cut += CUT_STEP) {
            cuts++;
            write_whole_file(path, whole, cut);
            /* with the manifest: refused, naming the document */
            st = open_scratch(&s, &eng, &err);
            if (st == CUSTOS_OK) fail_msg("%s cut at %zu loaded despite the manifest", path, cut);
            assert_true(ends_with(err.file, data_files[f]));
            refused_by_manifest++;
            /* without: whatever loads decides no deny as a permit */
            assert_int_equal(rename(manifest, hidden), 0);
            st = open_scratch(&s, &eng, &err);
            if (st == CUSTOS_OK) {
                loaded_without++;
                for (size_t i = 0; i < rs.count; i++)
                    if (base[i] == CUSTOS_DENY && decide_effect(eng, rs.req[i], d) == CUSTOS_PERMIT)
                        fail_msg("%s cut at byte %zu loads and permits %s, which the whole data "
                                 "denies",
                                 data_files[f], cut, rs.name[i]);
                custos_engine_close(eng);
            }
            assert_int_equal(rename(hidden, manifest), 0);
        }
        write_whole_file(path, whole, len);
        free(whole);
    }
    print_message("%zu cuts: %zu refused by the manifest; without it %zu loaded, none flipping "
                  "a deny of %zu requests\n",
                  cuts, refused_by_manifest, loaded_without, rs.count);
    assert_true(cuts > 200);
    custos_decision_free(d);
    free_requests(&rs);
    scratch_remove(&s);
}

/* Opens, decides sale.yaml (a deny citing gz-2012 art. 13) and returns the decision's JSON. */
static char *sale_json(custos_engine *eng) {
    char path[1024];
    size_t len;
    char *text =
        read_whole_file(source_path(path, sizeof path, "examples/requests/sale.yaml"), &len);
    custos_request *req = parse_request(text);
    free(text);
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    assert_int_equal(decide_effect(eng, req, d), CUSTOS_DENY);
    assert_true(cites(d, "gz-2012", "13"));
    const char *json;
    assert_int_equal(custos_decision_json(d, &json), CUSTOS_OK);
    char *copy = strdup(json);
    custos_decision_free(d);
    custos_request_free(req);
    return copy;
}

/* A reload where gz-2012 lost its regime.lua, then its whole folder, is refused with or
 * without a manifest, and the old set keeps deciding byte for byte as before. */
static void check_lost_regime_reloads(bool with_manifest) {
    scratch s;
    scratch_make(&s);
    char path[400], away[400];
    if (!with_manifest) {
        snprintf(path, sizeof path, "%s/.manifest.yaml", s.policies);
        assert_int_equal(unlink(path), 0);
    }
    custos_engine *eng;
    custos_error err;
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_OK);
    char *before = sale_json(eng);
    uint64_t generation = custos_engine_generation(eng);

    snprintf(path, sizeof path, "%s/gz-2012/regime.lua", s.policies);
    snprintf(away, sizeof away, "%s/regime.lua.away", s.root);
    assert_int_equal(rename(path, away), 0);
    assert_int_equal(custos_engine_reload(eng, NULL, &err), CUSTOS_E_POLICY);
    assert_non_null(strstr(err.message, "no regime.lua"));
    assert_true(ends_with(err.file, "gz-2012"));
    char *after = sale_json(eng);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(custos_engine_generation(eng), generation);
    /* opening on it is refused the same way */
    custos_engine *other;
    assert_int_equal(open_scratch(&s, &other, &err), CUSTOS_E_POLICY);
    assert_null(other);
    assert_int_equal(rename(away, path), 0);

    /* the folder gone whole (a deploy between rm and cp) */
    snprintf(path, sizeof path, "%s/gz-2012", s.policies);
    snprintf(away, sizeof away, "%s/gz-2012.away", s.root);
    assert_int_equal(rename(path, away), 0);
    assert_int_equal(custos_engine_reload(eng, NULL, &err), CUSTOS_E_POLICY);
    assert_non_null(strstr(err.message, "gz-2012"));
    if (with_manifest)
        assert_non_null(strstr(err.message, "must hold regime 'gz-2012'"));
    else
        assert_non_null(strstr(err.message, "reload refused"));
    after = sale_json(eng);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(custos_engine_generation(eng), generation);
    assert_int_equal(rename(away, path), 0);

    /* put back, the reload goes through */
    assert_int_equal(custos_engine_reload(eng, NULL, &err), CUSTOS_OK);
    assert_int_equal(custos_engine_generation(eng), generation + 1);
    free(before);
    custos_engine_close(eng);
    scratch_remove(&s);
}

static void test_reload_that_lost_a_regime_keeps_the_old_set(void **state) {
    (void)state;
    check_lost_regime_reloads(false);
    check_lost_regime_reloads(true);
}

/* Under the manifest: a module changed by one byte, a module added, a library removed, a
 * regime the manifest does not name — each refused naming the file (or the manifest's line). */
static void test_manifest_refuses_changed_extra_and_missing_files(void **state) {
    (void)state;
    scratch s;
    scratch_make(&s);
    custos_engine *eng;
    custos_error err;
    char path[400], away[400];

    /* one byte more */
    snprintf(path, sizeof path, "%s/gz-2012/art4.lua", s.policies);
    size_t len;
    char *text = read_whole_file(path, &len);
    run("echo '-- x' >> '%s'", path);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_POLICY);
    assert_true(ends_with(err.file, "gz-2012/art4.lua"));
    assert_non_null(strstr(err.message, ".manifest.yaml:"));
    assert_non_null(strstr(err.message, "changed or was cut short"));
    /* the same length, one byte different */
    char original = text[len / 2];
    text[len / 2] = original == 'a' ? 'b' : 'a';
    write_whole_file(path, text, len);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_POLICY);
    assert_true(ends_with(err.file, "gz-2012/art4.lua"));
    text[len / 2] = original;
    write_whole_file(path, text, len);
    free(text);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_OK);
    custos_engine_close(eng);

    /* an extra module, valid Lua the regime would otherwise refuse for other reasons: the
     * manifest speaks first */
    snprintf(path, sizeof path, "%s/gz-2012/art99.lua", s.policies);
    write_whole_file(path, "return 1\n", 9);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_POLICY);
    assert_true(ends_with(err.file, "gz-2012/art99.lua"));
    assert_non_null(strstr(err.message, "not listed in"));
    assert_int_equal(unlink(path), 0);

    /* an extra module that is a symbolic link to a file outside the set: still the set's */
    snprintf(away, sizeof away, "%s/outside.lua", s.root);
    write_whole_file(away, "return 1\n", 9);
    snprintf(path, sizeof path, "%s/gz-2012/art98.lua", s.policies);
    assert_int_equal(symlink(away, path), 0);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_POLICY);
    assert_true(ends_with(err.file, "gz-2012/art98.lua"));
    assert_non_null(strstr(err.message, "not listed in"));
    assert_int_equal(unlink(path), 0);

    /* a whole extra regime folder (a copy of js-jsb-2010-272 under another name would clash on
     * its id; a folder with regime.lua is enough to be read first) */
    snprintf(path, sizeof path, "%s/zz-extra", s.policies);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/zz-extra/regime.lua", s.policies);
    write_whole_file(path, "return 1\n", 9);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_POLICY);
    assert_true(ends_with(err.file, "zz-extra/regime.lua"));
    assert_non_null(strstr(err.message, "not listed in"));
    run("rm -rf '%s/zz-extra'", s.policies);

    /* a library the modules do not require, removed: only the manifest notices */
    snprintf(path, sizeof path, "%s/lib/spare.lua", s.policies);
    write_whole_file(path, "return {}\n", 10);
    assert_int_equal(custos_manifest_write(s.policies, NULL, &err), CUSTOS_OK);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_OK);
    custos_engine_close(eng);
    snprintf(away, sizeof away, "%s/spare.away", s.root);
    assert_int_equal(rename(path, away), 0);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_POLICY);
    assert_true(ends_with(err.file, ".manifest.yaml"));
    assert_true(err.line > 0);
    assert_non_null(strstr(err.message, "lists lib/spare.lua, which was not loaded"));
    scratch_remove(&s);
}

/* Without any manifest: an empty document, one of comments only, and a YAML one cut so that it
 * no longer ends in a line break are refused with the file (and where it stops). */
static void test_emptied_and_cut_documents_are_refused(void **state) {
    (void)state;
    scratch s;
    scratch_make(&s);
    char path[400];
    snprintf(path, sizeof path, "%s/.manifest.yaml", s.data);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof path, "%s/subjects.yaml", s.data);
    size_t len;
    char *whole = read_whole_file(path, &len);
    custos_engine *eng;
    custos_error err;

    write_whole_file(path, "", 0);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_INPUT);
    assert_true(ends_with(err.file, "subjects.yaml"));
    assert_non_null(strstr(err.message, "holds no data"));

    write_whole_file(path, whole,
                     (size_t)(strstr(whole, "subjects:") - whole)); /* the header comment */
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "holds no data"));

    /* cut in the middle of a record's last line: parses, but ends without a line break */
    const char *cut = strstr(whole, "authorized_actions: [copy, store, export, disclose]");
    assert_non_null(cut);
    write_whole_file(path, whole,
                     (size_t)(cut - whole) +
                         strlen("authorized_actions: [copy, store, export, disclose]"));
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_E_INPUT);
    assert_true(ends_with(err.file, "subjects.yaml"));
    assert_true(err.line > 1);
    assert_non_null(strstr(err.message, "ends without a line break"));

    write_whole_file(path, whole, len);
    assert_int_equal(open_scratch(&s, &eng, &err), CUSTOS_OK);
    custos_engine_close(eng);
    free(whole);
    scratch_remove(&s);
}

/* Malformed manifests are refused with their line and the expected shape. */
static void test_malformed_manifests_name_their_line(void **state) {
    (void)state;
    static const struct {
        const char *text, *expect;
        unsigned line;
    } cases[] = {
        {"manifest: 2\nfiles: {}\n", "expected `manifest: 1`", 1},
        {"manifest: 1\n", "no `files`", 1},
        {"manifest: 1\nfiles:\n  contracts.yaml: abc\n", "64 hex digits", 3},
        {"manifest: 1\nfiles:\n  ../x.yaml: " /* 64 zeros */
         "0000000000000000000000000000000000000000000000000000000000000000\n",
         "relative path inside the folder", 3},
        {"manifest: 1\nfiles: {}\nextra: 1\n", "unknown key", 3},
        {"manifest: 1\nregimes: [gz-2012]\nfiles: {}\n", "files has no gz-2012/regime.lua", 2},
    };
    scratch s;
    scratch_make(&s);
    char path[400];
    snprintf(path, sizeof path, "%s/.manifest.yaml", s.data);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_whole_file(path, cases[i].text, strlen(cases[i].text));
        custos_engine *eng;
        custos_error err;
        assert_int_not_equal(open_scratch(&s, &eng, &err), CUSTOS_OK);
        if (!strstr(err.message, cases[i].expect) || err.line != cases[i].line ||
            !ends_with(err.file, ".manifest.yaml"))
            fail_msg("case %zu: %s:%u: %s", i, err.file, err.line, err.message);
    }
    scratch_remove(&s);
}

/* The shipped manifests are current: written again over a copy, they come out byte-identical
 * (when this fails after a deliberate change: build/bin/custos manifest write policies
 * examples/data). */
static void test_shipped_manifests_are_current(void **state) {
    (void)state;
    scratch s;
    scratch_make(&s);
    const char *folders[] = {"policies", "examples/data"};
    const char *copies[] = {s.policies, s.data};
    for (size_t i = 0; i < 2; i++) {
        char shipped[64], written[400];
        snprintf(shipped, sizeof shipped, "%s/.manifest.yaml", folders[i]);
        char src[1024];
        source_path(src, sizeof src, shipped);
        size_t count = 0;
        custos_error err;
        assert_int_equal(custos_manifest_write(copies[i], &count, &err), CUSTOS_OK);
        assert_true(count >= 8);
        snprintf(written, sizeof written, "%s/.manifest.yaml", copies[i]);
        size_t a_len, b_len;
        char *a = read_whole_file(src, &a_len), *b = read_whole_file(written, &b_len);
        if (a_len != b_len || memcmp(a, b, a_len) != 0)
            fail_msg("%s is stale: run `build/bin/custos manifest write policies examples/data`",
                     shipped);
        free(a);
        free(b);
    }
    custos_error err;
    assert_int_equal(custos_manifest_write("/nonexistent-folder", NULL, &err), CUSTOS_E_NOT_FOUND);
    assert_int_equal(custos_manifest_write(NULL, NULL, &err), CUSTOS_E_ARGUMENT);
    scratch_remove(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_manifests_are_current),
        cmocka_unit_test(test_manifest_refuses_changed_extra_and_missing_files),
        cmocka_unit_test(test_malformed_manifests_name_their_line),
        cmocka_unit_test(test_emptied_and_cut_documents_are_refused),
        cmocka_unit_test(test_reload_that_lost_a_regime_keeps_the_old_set),
        cmocka_unit_test(test_cut_data_never_loads_a_permit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
