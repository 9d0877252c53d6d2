#define _GNU_SOURCE /* pipe2 */
/*
 * watch.c — custos_engine_watch: reloading an engine when its files change (custos.h, "Files
 * changing under the engine").  One thread per watcher polls an inotify descriptor and a
 * stop pipe; a change arms a deadline that every further change pushes back (the debounce),
 * so a deploy copying many files, or an editor writing one in several steps, costs one reload
 * once it is done.  The reload is custos_engine_reload's, so a bad change is refused whole and
 * the old set keeps serving.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "buffer_limits.h"
#include "config.h"
#include "engine_internal.h"
#include "error.h"
#include "fileio.h"

#define WATCH_DEFAULT_DEBOUNCE_MS 200
/* What counts as a change: a file written, created, deleted, moved in or out; a watched
 * folder itself deleted or moved.  IN_MODIFY too, so a slow writer keeps pushing the reload
 * back until it has finished. */
#define WATCH_EVENTS                                                                               \
    (IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |            \
     IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

struct custos_watch {
    custos_engine *eng;
    custos_watch_fn fn;
    void *user;
    unsigned debounce_ms;
    int inotify_fd;
    int stop_pipe[2];
    pthread_t thread;
};

static void watch_folder(custos_watch *w, const char *path) {
    if (file_is_dir(path)) (void)inotify_add_watch(w->inotify_fd, path, WATCH_EVENTS);
}

/* A policy path's folder, its subfolders (regime folders, lib/) and theirs (a regime's lib/):
 * every folder the loader reads from. */
static void watch_tree(custos_watch *w, const char *path, int depth) {
    watch_folder(w, path);
    if (depth == 0) return;
    char **names;
    size_t count;
    if (file_list_dir(path, &names, &count, NULL) != CUSTOS_OK) return;
    for (size_t i = 0; i < count; i++) {
        char sub[CUSTOS_PATH_BUFFER];
        if (snprintf(sub, sizeof sub, "%s/%s", path, names[i]) >= (int)sizeof sub) continue;
        if (file_is_dir(sub)) watch_tree(w, sub, depth - 1);
    }
    file_free_names(names, count);
}

/* The folder holding path ("." for a bare name) into out. */
static void parent_of(const char *path, char *out, size_t size) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, size, ".");
    else
        snprintf(out, size, "%.*s", (int)(slash == path ? 1 : slash - path), path);
}

/* (Re)adds a watch on every folder the engine's configuration reads: done again after each
 * reload, since a folder replaced by a deploy is a new folder.  Watching a folder twice is
 * harmless (inotify returns the same watch). */
static void watch_configuration(custos_watch *w) {
    custos_config *cfg = NULL;
    if (engine_config_copy(w->eng, &cfg) != CUSTOS_OK) return;
    for (size_t i = 0; i < cfg->policy_count; i++) {
        char probe[2 * CUSTOS_PATH_BUFFER], parent[CUSTOS_PATH_BUFFER];
        watch_tree(w, cfg->policies[i], 2);
        snprintf(probe, sizeof probe, "%s/regime.lua", cfg->policies[i]);
        if (file_exists(probe)) { /* one regime folder: its set's schema.lua, lib/, manifest */
            parent_of(cfg->policies[i], parent, sizeof parent);
            watch_tree(w, parent, 0);
            snprintf(probe, sizeof probe, "%s/lib", parent);
            watch_folder(w, probe);
        }
    }
    /* a data document's folder, not the file: a deploy replaces files by renaming new ones in */
    for (size_t i = 0; i < cfg->data_count; i++) {
        char parent[CUSTOS_PATH_BUFFER];
        parent_of(cfg->data[i], parent, sizeof parent);
        watch_folder(w, parent);
    }
    custos_config_free(cfg);
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads every pending event; true when there was any (each is a change: no event is about
 * anything but the watched folders). */
static bool drain_events(int fd) {
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool any = false;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) return any;
        any = true;
    }
}

static void reload_now(custos_watch *w) {
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = custos_engine_reload(w->eng, NULL, &err);
    watch_configuration(w);
    if (w->fn) w->fn(w->user, st, &err, custos_engine_generation(w->eng));
}

static void *watch_main(void *arg) {
    custos_watch *w = arg;
    int64_t deadline = -1; /* when to reload; -1: nothing pending */
    for (;;) {
        struct pollfd fds[2] = {{w->stop_pipe[0], POLLIN, 0}, {w->inotify_fd, POLLIN, 0}};
        int timeout = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            timeout = left > 0 ? (int)left : 0;
        }
        int n = poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR) break;
        if (n > 0 && fds[0].revents) break; /* custos_engine_unwatch */
        if (n > 0 && fds[1].revents && drain_events(w->inotify_fd))
            deadline = now_ms() + w->debounce_ms;
        if (deadline >= 0 && now_ms() >= deadline) {
            deadline = -1;
            reload_now(w);
        }
    }
    return NULL;
}

custos_status custos_engine_watch(custos_engine *eng, const custos_watch_options *opts,
                                  custos_watch_fn fn, void *user, custos_watch **out,
                                  custos_error *err) {
    if (out) *out = NULL;
    if (!eng || !out)
        return error_set(err, CUSTOS_E_ARGUMENT, NULL, 0, 0,
                         "custos_engine_watch: expected an engine and an out pointer");
    custos_watch *w = calloc(1, sizeof *w);
    if (!w) return error_set(err, CUSTOS_E_NOMEM, NULL, 0, 0, "out of memory");
    w->eng = eng;
    w->fn = fn;
    w->user = user;
    w->debounce_ms = opts && opts->debounce_ms ? opts->debounce_ms : WATCH_DEFAULT_DEBOUNCE_MS;
    w->stop_pipe[0] = w->stop_pipe[1] = -1;
    w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    custos_status st = CUSTOS_OK;
    if (w->inotify_fd < 0)
        st = error_set(err, CUSTOS_E_IO, NULL, 0, 0, "cannot watch files: inotify: %s",
                       strerror(errno));
    else if (pipe2(w->stop_pipe, O_CLOEXEC) != 0)
        st = error_set(err, CUSTOS_E_IO, NULL, 0, 0, "cannot watch files: pipe: %s",
                       strerror(errno));
    if (!st) {
        watch_configuration(w); /* before the thread starts: a change from now on is seen */
        int rc = pthread_create(&w->thread, NULL, watch_main, w);
        if (rc)
            st = error_set(err, CUSTOS_E_IO, NULL, 0, 0, "cannot start the watcher: %s",
                           strerror(rc));
    }
    if (st) {
        if (w->inotify_fd >= 0) close(w->inotify_fd);
        if (w->stop_pipe[0] >= 0) close(w->stop_pipe[0]);
        if (w->stop_pipe[1] >= 0) close(w->stop_pipe[1]);
        free(w);
        return st;
    }
    *out = w;
    return CUSTOS_OK;
}

void custos_engine_unwatch(custos_watch *w) {
    if (!w) return;
    ssize_t written;
    do written = write(w->stop_pipe[1], "x", 1);
    while (written < 0 && errno == EINTR);
    pthread_join(w->thread, NULL);
    close(w->inotify_fd);
    close(w->stop_pipe[0]);
    close(w->stop_pipe[1]);
    free(w);
}
