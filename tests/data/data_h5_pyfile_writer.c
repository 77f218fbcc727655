/* Writes a small lunarsim-style file for data_h5_xarray.py to read with
 * xarray, netCDF4 and h5py. The values follow the formula the script
 * repeats, so the Python side checks them independently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5out.h"
#include "series.h"

#define INTERVALS 50

/* Keep in step with value_at() in data_h5_xarray.py. */
static double value_at(int series, int step)
{
    return (double)((step * 37 + series * 11) % 97) * 0.5;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT.h5\n", argv[0]);
        return 2;
    }
    lsim_series_registry *reg = lsim_series_new(16);
    int ids[3];
    ids[0] = lsim_series_add(reg, "regolith", "mass_mined", "kg s-1", "regolith mass excavated", LSIM_SERIES_FLOW);
    ids[1] = lsim_series_add(reg, "regolith", "stockpile", "kg", "regolith waiting at the plant", LSIM_SERIES_STOCK);
    ids[2] = lsim_series_add(reg, "power", "power_generated", "W", "electric power generated", LSIM_SERIES_FLOW);

    /* 100 KiB of YAML with non-ASCII text, as a real deck with comments may have. */
    size_t deck_bytes = 100 * 1024;
    char *deck = malloc(deck_bytes + 1);
    size_t used = 0;
    for (int line = 0; used + 64 < deck_bytes; ++line)
        used += (size_t)snprintf(deck + used, deck_bytes + 1 - used, "# panel area in m\xc2\xb2\npanel_%05d: 4 m2\n", line);
    memset(deck + used, '#', deck_bytes - used);
    deck[deck_bytes] = '\0';

    lsim_run_metadata meta = {.version = "0.1.0",
                              .git_commit = "0123456789abcdef0123456789abcdef01234567",
                              .seed = 12345678901234567890ull,
                              .deck_yaml = deck,
                              .epoch = "2030-01-01 00:00:00",
                              .title = "lunarsim xarray check"};
    lsim_h5_output *out = NULL;
    if (lsim_h5_create(&out, argv[1], &meta, reg) != LSIM_OK) {
        fprintf(stderr, "lunarsim: %s\n", lsim_last_error());
        return 1;
    }
    int step = 0;
    for (int interval = 0; interval < INTERVALS; ++interval) {
        for (int k = 0; k < 2; ++k, ++step) {
            for (int s = 0; s < 3; ++s)
                lsim_series_put(reg, ids[s], value_at(s, step));
            lsim_series_end_step(reg, 1800.0);
        }
        if (lsim_series_end_interval(reg, 3600.0 * (interval + 1)) && lsim_h5_write_rows(out, reg) != LSIM_OK) {
            fprintf(stderr, "lunarsim: %s\n", lsim_last_error());
            lsim_h5_abort(out);
            return 1;
        }
    }
    lsim_series_group_attr(reg, "regolith", "track_length", 1234.5, "m");
    lsim_summary_set(reg, "mass_launched_total", 5.25e9, "kg", "total mass launched");
    if (lsim_h5_finish(out, reg) != LSIM_OK) {
        fprintf(stderr, "lunarsim: %s\n", lsim_last_error());
        return 1;
    }
    lsim_series_free(reg);
    free(deck);
    return 0;
}
