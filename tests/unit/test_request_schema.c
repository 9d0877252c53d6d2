/* test_request_schema.c — the known-field table: sorted (lookups bisect it), consistent. */
#include "test_support.h"

#include "request.h"
#include "request_schema.h"

static void test_fields_are_sorted_and_found(void **state) {
    (void)state;
    assert_true(req_field_count <= REQ_MAX_FIELDS);
    for (size_t i = 0; i < req_field_count; i++) {
        if (i > 0 && strcmp(req_fields[i - 1].path, req_fields[i].path) >= 0)
            fail_msg("out of order: %s before %s", req_fields[i - 1].path, req_fields[i].path);
        const req_field *f = req_field_find(req_fields[i].path, strlen(req_fields[i].path));
        assert_ptr_equal(f, &req_fields[i]);
        /* the key is the path's last segment, and the parent table's path is its prefix */
        const char *dot = strrchr(f->path, '.');
        assert_string_equal(f->key, dot ? dot + 1 : f->path);
        if (f->kind == REQ_TABLE) assert_int_equal(req_table_parent(f->self), f->parent);
        const char *parent = req_table_path(f->parent);
        assert_int_equal(strncmp(f->path, parent, strlen(parent)), 0);
    }
    assert_null(req_field_find("subject.i", 9));
    assert_null(req_field_find("subject.idx", 11));
    assert_non_null(req_field_find("subject.idx", 10));
}

static void test_dates_in_requests_are_checked(void **state) {
    (void)state;
    custos_request *req;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_request_set_string(req, "context.consent.valid_until", "2026-12-31", &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "context.consent.valid_until", "2026-02-30", &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "context.consent.valid_until"));
    assert_int_equal(custos_request_set_string(req, "context.target_level", "ultra", &err), CUSTOS_E_INPUT);
    custos_request_free(req);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_are_sorted_and_found),
        cmocka_unit_test(test_dates_in_requests_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
