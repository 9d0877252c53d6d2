/*
 * test_coverage.h — `custos test --coverage`'s report (text or JSON) of what the suites
 * covered (custos_suite_runner_coverage): which encoded articles they exercised and which lines
 * of their modules ran.
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
#ifndef CUSTOS_CLI_TEST_COVERAGE_H
#define CUSTOS_CLI_TEST_COVERAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "custos_suite.h"

/* Total line coverage in percent (100 when there is nothing to cover). */
double cov_percent(const custos_coverage *cov);

/* The report: per regime, per article; `color` adds ANSI colour. */
void cov_print_text(const custos_coverage *cov, FILE *out, bool color);

/* The report as JSON (a new reference; NULL when out of memory). */
json_t *cov_json(const custos_coverage *cov);

#endif
