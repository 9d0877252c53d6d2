/*
 * render.h — decisions as readable text, shared by `custos decide` and `custos repl`.
 *
 * The layout: a first line PERMIT / DENY / NOT APPLICABLE, then the sections Reasons,
 * Obligations, Regimes, Errors and (when explained) Articles consulted, each left out when
 * empty.  Colour is used only when the stream is a terminal (cli_use_color).  Every function
 * that reads a decision returns false when a part of it could not be read; what was printed
 * before stays printed.
 */
#ifndef CUSTOS_CLI_RENDER_H
#define CUSTOS_CLI_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "custos.h"

/* ANSI sequences, or empty strings when colour is off. */
typedef struct render_style {
    const char *bold, *dim, *red, *green, *yellow, *reset;
} render_style;

/* The style for `out`: colour on a terminal (see cli_use_color), plain otherwise. */
const render_style *render_style_for(FILE *out);

/* Which languages titles and messages are shown in (citations are shown as cited). */
typedef struct render_langs {
    bool zh, en;
} render_langs;

/* "permit", "deny", "not applicable" (static strings). */
const char *render_effect_label(custos_effect effect);

/* "gz-2012 art. 13" into buf (returned); "(engine)" for an entry tied to no article. */
const char *render_article_label(char *buf, size_t size, const char *regime, const char *article);

/* The whole decision, as `custos decide` prints it; with `explain`, the Articles consulted
 * section too (the decision must have been made with CUSTOS_DECIDE_EXPLAIN). */
bool render_decision(FILE *out, custos_decision *d, render_langs lang, bool explain);

/* The first line: PERMIT, DENY, or NOT APPLICABLE with what that means. */
void render_effect_line(FILE *out, const render_style *s, custos_effect effect);

/* One section each, with its heading (nothing at all when the section is empty; the trace
 * says "(none)" instead). */
bool render_reasons(FILE *out, const render_style *s, render_langs lang, custos_decision *d);
bool render_errors(FILE *out, const render_style *s, const custos_decision *d);
bool render_trace(FILE *out, const render_style *s, render_langs lang, custos_decision *d);

/* One entry of the trace, as a line of the Articles consulted section, the label padded to
 * label_width columns; then its messages (or its error). */
void render_trace_entry(FILE *out, const render_style *s, render_langs lang, const custos_trace *t,
                        size_t label_width);

/* The indented "zh  …" / "en  …" lines of a message, in the chosen languages. */
void render_messages(FILE *out, const render_style *s, render_langs lang, const char *zh,
                     const char *en);

/* Prints a JSON text on one line, or (pretty) indented by two spaces, keys in their order;
 * false when it could not be written (or re-read). */
bool render_json(FILE *out, const char *json, bool pretty);

/* The local time zone's offset east of UTC at t, in minutes; false when the clock fails. */
bool render_local_offset(time_t t, int *offset_minutes);

/* Sets req's context.time to now, in the local offset (custos_request_set_time). */
custos_status render_set_time_now(custos_request *req, custos_error *err);

/* Prints to stderr one line per field of req the engine does not declare, naming the nearest
 * declared one: "custos: NAME:LINE:COL: warning: resource.entrustd is not a declared field;
 * did you mean resource.entrusted? ..." (`strict`: as an error, without "warning:").  For a
 * line of a batch, line_no is its line.  Returns how many there were. */
size_t render_unknown_fields(custos_engine *eng, const custos_request *req, const char *name,
                             unsigned long line_no, bool strict);

#endif /* CUSTOS_CLI_RENDER_H */
