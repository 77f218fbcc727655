#define _DEFAULT_SOURCE /* mkstemps */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char lsim_fuzz_path[4096];

static void lsim_fuzz_remove_file(void)
{
    if (lsim_fuzz_path[0]) unlink(lsim_fuzz_path);
}

const char *lsim_fuzz_file(const char *suffix, const uint8_t *data, size_t size)
{
    if (!lsim_fuzz_path[0]) {
        /* Memory-backed /dev/shm when there is one: a disk-backed /tmp made the
         * file readers' harnesses 16 times slower (~450 against ~7,500 exec/s). */
        const char *dir = getenv("TMPDIR");
        if (!dir || !dir[0]) dir = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
        int n = snprintf(lsim_fuzz_path, sizeof lsim_fuzz_path, "%s/lsim_fuzz_XXXXXX%s", dir, suffix);
        if (n < 0 || (size_t)n >= sizeof lsim_fuzz_path) abort();
        int fd = mkstemps(lsim_fuzz_path, (int)strlen(suffix));
        if (fd < 0) {
            perror(lsim_fuzz_path);
            abort();
        }
        close(fd);
        atexit(lsim_fuzz_remove_file);
    }
    FILE *f = fopen(lsim_fuzz_path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(lsim_fuzz_path);
        abort();
    }
    return lsim_fuzz_path;
}

char *lsim_fuzz_string(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) abort();
    if (size) memcpy(text, data, size);
    text[size] = '\0';
    return text;
}
