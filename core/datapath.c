#define _XOPEN_SOURCE 700 /* realpath */
#include "datapath.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"

/* The directories compiled in (core/CMakeLists.txt and the top CMakeLists.txt):
 * the source tree's data/ and the build tree it serves, the configured install
 * data directory, and that directory relative to the installed command's own. */
#ifndef LSIM_SOURCE_DATA_DIR
#define LSIM_SOURCE_DATA_DIR ""
#endif
#ifndef LSIM_BUILD_TREE_DIR
#define LSIM_BUILD_TREE_DIR ""
#endif
#ifndef LSIM_INSTALL_DATA_DIR
#define LSIM_INSTALL_DATA_DIR ""
#endif
#ifndef LSIM_DATA_DIR_FROM_BINDIR
#define LSIM_DATA_DIR_FROM_BINDIR ""
#endif

static int lsim_readable(const char *path) { return access(path, R_OK) == 0; }

static int lsim_is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The built-in data directory, chosen once per process:
 *  1. an installed layout next to the executable (BINDIR/../share/lunarsim),
 *     so a moved prefix finds its own data;
 *  2. the source tree's data/, only for an executable inside the build tree
 *     configured from it (tests, a developer's build/chain/lunarsim): an
 *     installed copy never reads a source tree it happens to find;
 *  3. the configured install directory: other programs linking the library,
 *     or a command copied out of its prefix.
 * Empty when none is known; then only the working directory is searched. */
static pthread_once_t lsim_builtin_once = PTHREAD_ONCE_INIT;
static char lsim_builtin_dir[PATH_MAX];

/* Joins `dir` and `relative`, folding each leading "../" into `dir`. */
static int lsim_join_up(char *out, size_t size, const char *dir, const char *relative)
{
    char base[PATH_MAX];
    if ((size_t)snprintf(base, sizeof base, "%s", dir) >= sizeof base) return 0;
    while (strncmp(relative, "../", 3) == 0 || strcmp(relative, "..") == 0) {
        char *slash = strrchr(base, '/');
        if (!slash || slash == base) return 0;
        *slash = '\0';
        relative += relative[2] ? 3 : 2;
    }
    return (size_t)snprintf(out, size, "%s%s%s", base, relative[0] ? "/" : "", relative) < size;
}

/* 1 when `path` is `dir` or lies below it (both absolute, without "..").
 * Prefix matching alone would put /work/build2 inside /work/build. */
static int lsim_path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return n > 0 && strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void lsim_builtin_choose(void)
{
    /* The kernel's link is already free of symbolic links and of "..". */
    char exe_dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof exe_dir);
    if (n > 0 && (size_t)n < sizeof exe_dir) {
        exe_dir[n] = '\0';
        char *slash = strrchr(exe_dir, '/');
        if (slash) *slash = '\0';
        char candidate[PATH_MAX];
        if (slash && LSIM_DATA_DIR_FROM_BINDIR[0] &&
            lsim_join_up(candidate, sizeof candidate, exe_dir, LSIM_DATA_DIR_FROM_BINDIR) &&
            lsim_is_directory(candidate)) {
            snprintf(lsim_builtin_dir, sizeof lsim_builtin_dir, "%s", candidate);
            return;
        }
        char build_tree[PATH_MAX];
        /* As arrays, so that an empty one is a value tested, not a constant
         * operand of && (clang's -Wconstant-logical-operand). */
        static const char build_tree_dir[] = LSIM_BUILD_TREE_DIR, source_data_dir[] = LSIM_SOURCE_DATA_DIR;
        if (slash && build_tree_dir[0] != '\0' && source_data_dir[0] != '\0' && realpath(build_tree_dir, build_tree) &&
            lsim_path_within(exe_dir, build_tree)) {
            snprintf(lsim_builtin_dir, sizeof lsim_builtin_dir, "%s", LSIM_SOURCE_DATA_DIR);
            return;
        }
    }
    snprintf(lsim_builtin_dir, sizeof lsim_builtin_dir, "%s", LSIM_INSTALL_DATA_DIR);
}

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
    /* $LSIM_DATA_DIR, when set, replaces the built-in directory: the user's
     * explicit choice is never mixed with another copy of the data. */
    const char *env = getenv("LSIM_DATA_DIR");
    const char *dir = env && env[0] ? env : NULL;
    if (!dir) {
        pthread_once(&lsim_builtin_once, lsim_builtin_choose);
        if (lsim_builtin_dir[0]) dir = lsim_builtin_dir;
    }
    char tried[PATH_MAX + 8] = "";
    if (dir) {
        char candidate[PATH_MAX];
        if ((size_t)snprintf(candidate, sizeof candidate, "%s/%s", dir, path) >= sizeof candidate)
            return lsim_fail(LSIM_ERR_INPUT, "%s: path too long under '%s'", what, dir);
        if (lsim_readable(candidate)) {
            if ((size_t)snprintf(resolved, size, "%s", candidate) >= size)
                return lsim_fail(LSIM_ERR_INPUT, "%s: path too long", what);
            lsim_data_remember(resolved);
            return LSIM_OK;
        }
        snprintf(tried, sizeof tried, "'%s', ", candidate);
    }
    if (lsim_readable(path)) {
        if ((size_t)snprintf(resolved, size, "%s", path) >= size)
            return lsim_fail(LSIM_ERR_INPUT, "%s: path too long", what);
        lsim_data_remember(resolved);
        return LSIM_OK;
    }
    return lsim_fail(LSIM_ERR_INPUT, "%s: cannot find '%s' (tried %s'%s' in the working directory%s)", what, path, tried,
                     path, env && env[0] ? "; LSIM_DATA_DIR is set" : "");
}
