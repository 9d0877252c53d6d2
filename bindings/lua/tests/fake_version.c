/* fake_version.c — a stand-in for libcustos's version calls, preloaded (LD_PRELOAD) by
 * test_version.lua so the module meets a library of another major version and must refuse to
 * load.  CUSTOS_FAKE_VERSION picks the number (default 9.0.0). */
#include <stdio.h>
#include <stdlib.h>

int custos_version_number(void);
const char *custos_version(void);

int custos_version_number(void) {
    const char *v = getenv("CUSTOS_FAKE_VERSION");
    return v ? atoi(v) : 9000000;
}

const char *custos_version(void) {
    static char text[32];
    int n = custos_version_number();
    snprintf(text, sizeof text, "%d.%d.%d", n / 1000000, n / 1000 % 1000, n % 1000);
    return text;
}
