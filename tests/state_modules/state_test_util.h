/* Shared kit for the module checkpoint tests: parameters, a checkpoint round
 * trip through a real file, and bitwise comparison of series rows and bytes.
 *
 * Every comparison here is exact (memcmp): the contract is that init from the
 * same deck + load of a checkpoint taken after K steps + N more steps gives
 * the same bits as K + N steps straight, so there is no tolerance to state. */
#ifndef STATE_TEST_UTIL_H
#define STATE_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "lsim_test.h"
#include "params.h"
#include "series.h"
#include "state.h"

/* A registry with the run table and one module table. */
static inline lsim_params *stt_params(const lsim_param_def *defs, size_t count)
{
    lsim_params *p = lsim_params_new();
    if (!p || lsim_params_register(p, lsim_run_param_defs, lsim_run_param_count) != LSIM_OK ||
        lsim_params_register(p, defs, count) != LSIM_OK) {
        fprintf(stderr, "cannot register parameters: %s\n", lsim_last_error());
        exit(2);
    }
    return p;
}

static inline void stt_set(lsim_params *p, const char *section, const char *key, double si_value)
{
    if (lsim_param_set_real(p, section, key, si_value, "test") != LSIM_OK) {
        fprintf(stderr, "cannot set %s.%s = %g: %s\n", section, key, si_value, lsim_last_error());
        exit(2);
    }
}

static inline void stt_set_text(lsim_params *p, const char *section, const char *key, const char *value)
{
    if (lsim_param_set_text(p, section, key, value, "test") != LSIM_OK) {
        fprintf(stderr, "cannot set %s.%s = %s: %s\n", section, key, value, lsim_last_error());
        exit(2);
    }
}

static inline lsim_clock stt_clock(double dt)
{
    lsim_clock c;
    memset(&c, 0, sizeof c);
    c.dt = dt;
    c.duration = 1.0e12;
    c.steps_per_output = 1;
    snprintf(c.epoch, sizeof c.epoch, "2030-01-01 00:00:00");
    return c;
}

/* One output row per step, taken out at once so the block never fills. */
static inline lsim_series_registry *stt_series(void)
{
    lsim_series_registry *r = lsim_series_new(1);
    if (!r) {
        fprintf(stderr, "cannot make a series registry\n");
        exit(2);
    }
    return r;
}

static inline void stt_close_row(lsim_series_registry *r, const lsim_clock *clock)
{
    lsim_series_end_step(r, clock->dt);
    lsim_series_end_interval(r, (double)(clock->step + 1) * clock->dt);
}

/* Compares the row each registry just closed, value by value, then drains
 * both. Returns 1 when every series has the same bits. */
static inline int stt_same_rows(lsim_series_registry *a, lsim_series_registry *b, long step)
{
    int same = lsim_series_count(a) == lsim_series_count(b) && lsim_series_pending_rows(a) == 1 &&
               lsim_series_pending_rows(b) == 1;
    for (size_t id = 0; same && id < lsim_series_count(a); ++id) {
        if (memcmp(lsim_series_pending_values(a, id), lsim_series_pending_values(b, id), sizeof(double)) != 0) {
            const lsim_series_info *info = lsim_series_info_at(a, id);
            fprintf(stderr, "step %ld: series %s/%s differs: %.17g vs %.17g\n", step, info->group, info->name,
                    lsim_series_pending_values(a, id)[0], lsim_series_pending_values(b, id)[0]);
            same = 0;
        }
    }
    lsim_series_drain(a);
    lsim_series_drain(b);
    return same;
}

/* Byte offset of the first difference, or -1. */
static inline long stt_first_difference(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; ++i)
        if (x[i] != y[i]) return (long)i;
    return -1;
}

/* Exact comparison of two blocks; prints where they part. */
#define STT_CHECK_SAME_BYTES(a, b, n, what)                                                            \
    do {                                                                                               \
        long stt_off_ = stt_first_difference((a), (b), (n));                                           \
        LSIM_CHECK(stt_off_ < 0, "%s: first differing byte at offset %ld of %zu", (what), stt_off_,   \
                   (size_t)(n));                                                                       \
    } while (0)

#define STT_CHECK_SAME_F64(a, b, what)                                                                 \
    do {                                                                                               \
        double stt_a_ = (a), stt_b_ = (b);                                                             \
        LSIM_CHECK(memcmp(&stt_a_, &stt_b_, sizeof stt_a_) == 0, "%s: %.17g vs %.17g", (what), stt_a_, \
                   stt_b_);                                                                            \
    } while (0)

/* Saves through `visit`-style code the caller already ran into `saver`,
 * writes it to `path`, reads it back and returns the loader (the saver is
 * freed). The header's step is checked to survive the trip. */
static inline lsim_state *stt_round_trip(lsim_state *saver, const char *path, int64_t step)
{
    lsim_state_header header;
    memset(&header, 0, sizeof header);
    snprintf(header.code_version, sizeof header.code_version, "state-test");
    header.deck_hash = 0x5eedULL;
    header.step = step;
    if (lsim_state_write_file(saver, path, &header) != LSIM_OK) {
        fprintf(stderr, "write checkpoint: %s\n", lsim_last_error());
        exit(2);
    }
    lsim_state_free(saver);
    lsim_state *loader = NULL;
    lsim_state_header back;
    if (lsim_state_read_file(&loader, path, &back) != LSIM_OK) {
        fprintf(stderr, "read checkpoint: %s\n", lsim_last_error());
        exit(2);
    }
    LSIM_CHECK(back.step == step && back.deck_hash == header.deck_hash, "checkpoint header did not survive");
    LSIM_CHECK(lsim_state_is_loading(loader), "a read checkpoint must be a loader");
    return loader;
}

#endif
