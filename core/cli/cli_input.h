/*
 * cli_input.h — reading the documents `custos decide` is given, within stated size limits:
 * a request (CUSTOS_MAX_REQUEST_BYTES, 1 MiB) from a file or stdin, and a batch of requests
 * as JSON Lines, one line at a time (each line within the same limit).  A path that is not a
 * regular file (a folder, a device, a FIFO, a socket) is refused at once saying what it is —
 * opened without blocking, checked on the opened descriptor; a file over the limit is refused
 * before it is read (stdin: as soon as the limit is passed, never reading more than limit + 1
 * bytes).
 */
#ifndef CUSTOS_CLI_INPUT_H
#define CUSTOS_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Opens path ("-" is stdin) for reading: checks it exists (else 66), is a regular file (else
 * 66: "is a named pipe (FIFO), expected a file (or '-' to read stdin)"), and, when `limit` is not 0, is at
 * most limit bytes (else 65 naming the limit on `what`).  On success *out is the stream (stdin
 * for "-"; close others with fclose) and 0 is returned; else the error was printed. */
int cli_input_open(const char *path, size_t limit, const char *what, FILE **out);

/* What path is when it exists and is not a regular file ("a named pipe (FIFO)", "a folder",
 * ...), found without blocking; NULL for a regular file or a path that cannot be opened. */
const char *cli_input_special_kind(const char *path);

/* Reads all of path (as cli_input_open opens it) into a malloc'd, NUL-terminated buffer of at
 * most limit bytes; 0, or the exit code (the error printed). */
int cli_input_read(const char *path, size_t limit, const char *what, char **text, size_t *len);

/* "1 MiB" for 1048576 (for messages). */
const char *cli_input_describe_limit(size_t limit, char *buf, size_t size);

/* A reader of lines, each at most `limit` bytes (without its newline).  A longer line is
 * skipped to its end and reported as too long. */
typedef struct cli_line_reader {
    FILE *f;
    size_t limit;
    char *buf;
    size_t cap;
    unsigned long line_no; /* of the line last read */
} cli_line_reader;

typedef enum cli_line_status {
    CLI_LINE_OK,
    CLI_LINE_END,
    CLI_LINE_TOO_LONG, /* skipped; *len is how many bytes it had (at least limit + 1) */
    CLI_LINE_ERROR     /* a read error or out of memory (errno says) */
} cli_line_status;

void cli_line_reader_init(cli_line_reader *r, FILE *f, size_t limit);
cli_line_status cli_line_read(cli_line_reader *r, const char **line, size_t *len);
void cli_line_reader_free(cli_line_reader *r);

#endif /* CUSTOS_CLI_INPUT_H */
