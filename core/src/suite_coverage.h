/*
 * suite_coverage.h — a runner's coverage (custos_suite_options.coverage): which encoded
 * articles the suites exercised and which lines of their modules ran.  Reports are the
 * client's (custos test prints them as text or JSON).
 *
 * The base of line coverage is each article's executable lines (custos_article_info.lines:
 * the rule and the module functions it reaches); a line is covered when some case's decision
 * (made with CUSTOS_DECIDE_COVERAGE) ran it.  An article is *applied* when at least one case's
 * decision consulted it and it returned permit or deny (not not_applicable, not an error); it
 * is *cited* when some case names it in expect.because or expect.not_because.
 *
 * The library leaves each function's closing `end` out of the executable lines (it holds only
 * an implicit return, which a rule returning on every path never reaches).  Shared libraries
 * (lib/, custos_policies_library) are reported in their own section and count in the totals.
 */
#ifndef CUSTOS_SUITE_COVERAGE_H
#define CUSTOS_SUITE_COVERAGE_H

#include <stdbool.h>

#include "custos.h"
#include "custos_suite.h"

typedef struct t_coverage t_coverage;

t_coverage *cov_new(void);
void cov_free(t_coverage *cov);

/* Brings regime i of p, and its encoded articles, into the report (again: no effect).
 * False when out of memory. */
bool cov_add_regime(t_coverage *cov, const custos_policies *p, size_t i);

/* Records the lines a decision ran and the articles that applied. */
void cov_record(t_coverage *cov, custos_decision *d);

/* Records that a case cites an article in expect.because or expect.not_because. */
void cov_cite(t_coverage *cov, const char *regime, const char *article);

/* Fills *out with a view of what was recorded (custos_suite_runner_coverage); it lives until
 * the next change or cov_free.  False when out of memory. */
bool cov_view(t_coverage *cov, custos_coverage *out);

#endif
