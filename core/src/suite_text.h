/*
 * suite_text.h — a suite case's request rendered as a document the library parses, with a map
 * from its lines back to the suite, so a request error points into the suite.
 */
#ifndef CUSTOS_SUITE_TEXT_H
#define CUSTOS_SUITE_TEXT_H

#include <stdbool.h>

#include "suite_util.h"
#include "suite_value.h"

/* ---- a case's request as a document ---------------------------------------------------------- */

/* A request rendered as JSON with one value per line, and for each line the value it came
 * from, so an error the library reports at a line of the text points back into the suite. */
typedef struct t_text {
    sbuf text;
    const tval **lines; /* lines[k]: the value on line k+1 */
    size_t count, cap;
} t_text;

void t_text_init(t_text *t);
void t_text_free(t_text *t);
/* Renders req (replacing what t held).  False when out of memory. */
bool t_text_render(t_text *t, const tval *req);
/* The value on a line of the text (1-based), or NULL. */
const tval *t_text_origin(const t_text *t, unsigned line);

#endif
