/* test_request_schema.c — the schema placeholder; replaced below. */
int main(void) { return 0; }
