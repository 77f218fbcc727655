#define _POSIX_C_SOURCE 200809L
#include "datapath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LSIM_SOURCE_DATA_DIR
#define LSIM_SOURCE_DATA_DIR ""
#endif
#ifndef LSIM_INSTALL_DATA_DIR
#define LSIM_INSTALL_DATA_DIR ""
#endif

static int lsim_readable(const char *path) { return access(path, R_OK) == 0; }

lsim_status lsim_data_path(const char *path, const char *what, char *resolved, size_t size)
{
    if (!path || !path[0]) return lsim_fail(LSIM_ERR_INPUT, "%s: empty path", what);
    if (path[0] == '/') {
        if (!lsim_readable(path)) return lsim_fail(LSIM_ERR_INPUT, "%s: cannot read '%s'", what, path);
        if ((size_t)snprintf(resolved, size, "%s", path) >= size)
            return lsim_fail(LSIM_ERR_INPUT, "%s: path too long", what);
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
            return LSIM_OK;
        }
        int n = snprintf(tried + used, sizeof tried - used, "%s'%s'", used ? ", " : "", candidate);
        if (n > 0 && (size_t)n < sizeof tried - used) used += (size_t)n;
    }
    if (lsim_readable(path)) {
        if ((size_t)snprintf(resolved, size, "%s", path) >= size)
            return lsim_fail(LSIM_ERR_INPUT, "%s: path too long", what);
        return LSIM_OK;
    }
    return lsim_fail(LSIM_ERR_INPUT, "%s: cannot find '%s' (tried %s%s'%s' in the working directory%s)", what, path,
                     tried, used ? ", " : "", path, env && env[0] ? "; LSIM_DATA_DIR is set" : "");
}
