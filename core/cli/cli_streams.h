/*
 * cli_streams.h — the program's standard streams: never lost silently.
 *
 * A command whose output could not be written (stdout closed, a full disk, a broken pipe with
 * SIGPIPE ignored) exits 74 (EX_IOERR) and says so on stderr, whatever it would have exited
 * with; and a standard stream the program was started without never lends its number to a
 * file the program opens (`test --junit F >&-` must not write the report into F).
 */
#ifndef CUSTOS_CLI_STREAMS_H
#define CUSTOS_CLI_STREAMS_H

#include <stdbool.h>
#include <stdio.h>

/* Occupies each closed standard descriptor (0, 1, 2) with /dev/null opened the wrong way round
 * (stdin write-only, stdout and stderr read-only), so that reading or writing it fails as a
 * closed stream does, and no file opened later takes its number.  Call first in main. */
void cli_guard_std_streams(void);

/* Prints "custos: cannot write to stdout[: REASON]" once per run (REASON is strerror of
 * errno_value when it is not 0) and returns CLI_EXIT_IOERR. */
int cli_stdout_failed(int errno_value);

/* Flushes out; when out is stdout and writing it failed, reports it at once with the reason
 * (as cli_stdout_failed).  False when out has failed. */
bool cli_flush_checked(FILE *out);

/* Flushes and closes stdout at the end of a command.  When anything written to it was lost,
 * reports it (once) and returns CLI_EXIT_IOERR unless rc is already an error (64 and above);
 * otherwise returns rc. */
int cli_finish_stdout(int rc);

#endif
