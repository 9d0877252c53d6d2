/* cli_streams.c — see cli_streams.h. */
#include "cli_streams.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"

void cli_guard_std_streams(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        /* open takes the lowest free number, which is fd: 0, 1 and 2 are walked in order */
        int opened = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
        if (opened >= 0 && opened != fd) {
            dup2(opened, fd);
            close(opened);
        }
    }
}

static bool stdout_failure_reported;

int cli_stdout_failed(int errno_value) {
    if (!stdout_failure_reported) {
        stdout_failure_reported = true;
        if (errno_value)
            cli_error_at(NULL, 0, 0, "cannot write to stdout: %s", strerror(errno_value));
        else
            cli_error_at(NULL, 0, 0, "cannot write to stdout");
    }
    return CLI_EXIT_IOERR;
}

bool cli_flush_checked(FILE *out) {
    errno = 0;
    bool failed = fflush(out) != 0 || ferror(out);
    if (failed && out == stdout) cli_stdout_failed(errno);
    return !failed;
}

int cli_finish_stdout(int rc) {
    bool failed = ferror(stdout) != 0;
    errno = 0;
    if (fflush(stdout) != 0) failed = true;
    int reason = errno;
    if (fclose(stdout) != 0) {
        failed = true;
        if (!reason) reason = errno;
    }
    if (!failed) return rc;
    int code = cli_stdout_failed(reason);
    return rc >= CLI_EXIT_USAGE ? rc : code;
}
