#define _POSIX_C_SOURCE 200809L
#include "datapath.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"

#ifndef LSIM_SOURCE_DATA_DIR
#define LSIM_SOURCE_DATA_DIR ""
#endif
#ifndef LSIM_INSTALL_DATA_DIR
#define LSIM_INSTALL_DATA_DIR ""
#endif

static int lsim_readable(const char *path) { return access(path, R_OK) == 0; }

/* Data files resolved so far (sweep members resolve from OpenMP threads). */
#define LSIM_DATA_FILES_MAX 64
static pthread_mutex_t lsim_data_files_lock = PTHREAD_MUTEX_INITIALIZER;
static char lsim_data_files[LSIM_DATA_FILES_MAX][1024];
static size_t lsim_data_file_count;

static void lsim_data_remember(const char *resolved)
{
    pthread_mutex_lock(&lsim_data_files_lock);
    size_t i = 0;
    while (i < lsim_data_file_count && strcmp(lsim_data_files[i], resolved) != 0) ++i;
    if (i == lsim_data_file_count && lsim_data_file_count < LSIM_DATA_FILES_MAX &&
        strlen(resolved) < sizeof lsim_data_files[0]) {
        /* Kept sorted, so the hash does not depend on the order of lookups. */
        size_t at = lsim_data_file_count;
        while (at > 0 && strcmp(lsim_data_files[at - 1], resolved) > 0) {
            memcpy(lsim_data_files[at], lsim_data_files[at - 1], sizeof lsim_data_files[0]);
            --at;
        }
        snprintf(lsim_data_files[at], sizeof lsim_data_files[0], "%s", resolved);
        ++lsim_data_file_count;
    }
    pthread_mutex_unlock(&lsim_data_files_lock);
}

lsim_status lsim_data_files_hash(uint64_t *hash, char *names, size_t names_size)
{
    uint64_t h = LSIM_FNV1A64_OFFSET;
    size_t used = 0;
    if (names && names_size) names[0] = '\0';
    lsim_status status = LSIM_OK;
    pthread_mutex_lock(&lsim_data_files_lock);
    for (size_t i = 0; i < lsim_data_file_count && status == LSIM_OK; ++i) {
        const char *path = lsim_data_files[i];
        h = lsim_fnv1a64(h, path, strlen(path) + 1);
        FILE *f = fopen(path, "rb");
        if (!f) {
            status = lsim_fail(LSIM_ERR_RUN, "data file '%s': %s", path, strerror(errno));
            break;
        }
        unsigned char buffer[8192];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, f)) > 0) h = lsim_fnv1a64(h, buffer, n);
        if (ferror(f)) status = lsim_fail(LSIM_ERR_RUN, "data file '%s': read error", path);
        fclose(f);
        if (names && used < names_size) {
            int k = snprintf(names + used, names_size - used, "%s%s", used ? ", " : "", path);
            if (k > 0) used += (size_t)k;
        }
    }
    pthread_mutex_unlock(&lsim_data_files_lock);
    *hash = h;
    return status;
}

lsim_status lsim_data_path(const char *path, const char *what, char *resolved, size_t size)
{
    if (!path || !path[0]) return lsim_fail(LSIM_ERR_INPUT, "%s: empty path", what);
    if (path[0] == '/') {
        if (!lsim_readable(path)) return lsim_fail(LSIM_ERR_INPUT, "%s: cannot read '%s'", what, path);
        if ((size_t)snprintf(resolved, size, "%s", path) >= size)
            return lsim_fail(LSIM_ERR_INPUT, "%s: path too long", what);
        lsim_data_remember(resolved);
        return LSIM_OK;
    }
    const char *env = getenv("LSIM_DATA_DIR");
    const char *dirs[2];
    size_t ndirs = 0;
    if (env && env[0]) {
        dirs[ndirs++] = env;
    } else {
        if (LSIM_SOURCE_DATA_DIR[0]) dirs[ndirs++] = LSIM_SOURCE_DATA_DIR;
        if (LSIM_INSTALL_DATA_DIR[0]) dirs[ndirs++] = LSIM_INSTALL_DATA_DIR;
    }
    char tried[2048] = "";
    size_t used = 0;
    for (size_t i = 0; i < ndirs; ++i) {
        char candidate[1024];
        if ((size_t)snprintf(candidate, sizeof candidate, "%s/%s", dirs[i], path) >= sizeof candidate)
            return lsim_fail(LSIM_ERR_INPUT, "%s: path too long under '%s'", what, dirs[i]);
        if (lsim_readable(candidate)) {
            if ((size_t)snprintf(resolved, size, "%s", candidate) >= size)
                return lsim_fail(LSIM_ERR_INPUT, "%s: path too long", what);
            lsim_data_remember(resolved);
            return LSIM_OK;
        }
        int n = snprintf(tried + used, sizeof tried - used, "%s'%s'", used ? ", " : "", candidate);
        if (n > 0 && (size_t)n < sizeof tried - used) used += (size_t)n;
    }
    if (lsim_readable(path)) {
        if ((size_t)snprintf(resolved, size, "%s", path) >= size)
            return lsim_fail(LSIM_ERR_INPUT, "%s: path too long", what);
        lsim_data_remember(resolved);
        return LSIM_OK;
    }
    return lsim_fail(LSIM_ERR_INPUT, "%s: cannot find '%s' (tried %s%s'%s' in the working directory%s)", what, path,
                     tried, used ? ", " : "", path, env && env[0] ? "; LSIM_DATA_DIR is set" : "");
}
