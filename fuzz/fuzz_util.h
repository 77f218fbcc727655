/* Shared by the libFuzzer harnesses: the entry point's prototype and the
 * helpers that hand fuzz bytes to readers that take a path or a C string. */
#ifndef LSIM_FUZZ_UTIL_H
#define LSIM_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private file (mkstemps in $TMPDIR, else /dev/shm, else /tmp; made once per process and
 * removed at exit) holding exactly `size` bytes of `data`; returns its path.
 * A harness that cannot write its own input aborts: that is the harness's
 * failure, not the reader's. */
const char *lsim_fuzz_file(const char *suffix, const uint8_t *data, size_t size);

/* `data` as a malloc'd NUL-terminated string (bytes after an embedded NUL
 * are dropped, as a C caller would see them). Aborts when out of memory. */
char *lsim_fuzz_string(const uint8_t *data, size_t size);

#endif
