/* The checkpoint reader. A checksum over everything guards the file, so
 * almost every mutated input stops there; each input is therefore read
 * twice: as given, and with its last 8 bytes replaced by the checksum of
 * the rest, so the entry parser and the loader behind it are reached. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "hash.h"
#include "state.h"

static void lsim_fuzz_read(const uint8_t *data, size_t size)
{
    const char *path = lsim_fuzz_file(".ckpt", data, size);
    lsim_state *loader = NULL;
    lsim_state_header header;
    if (lsim_state_read_file(&loader, path, &header) != LSIM_OK) return;
    /* Look entries up as a module's state function would (names the seeds use). */
    size_t count = 0;
    if (lsim_state_size(loader, "fuzz.count", &count) == LSIM_OK && count <= 1024) {
        double values[1024];
        (void)lsim_state_f64(loader, "fuzz.values", values, count);
    }
    int64_t i64[4];
    int32_t i32[4];
    uint8_t u8[4];
    (void)lsim_state_i64(loader, "fuzz.i64", i64, 4);
    (void)lsim_state_i32(loader, "fuzz.i32", i32, 4);
    (void)lsim_state_u8(loader, "fuzz.u8", u8, 4);
    lsim_state_free(loader);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsim_fuzz_read(data, size);
    if (size >= 8) {
        uint8_t *sealed = malloc(size);
        if (!sealed) abort();
        memcpy(sealed, data, size - 8);
        uint64_t checksum = lsim_fnv1a64(LSIM_FNV1A64_OFFSET, data, size - 8);
        memcpy(sealed + size - 8, &checksum, 8);
        lsim_fuzz_read(sealed, size);
        free(sealed);
    }
    return 0;
}
