/* Power bus checkpoint: K steps with varied demand and growth, save, file
 * round trip, load into a fresh bus, then N identical steps on both: every
 * output, series row and the whole struct must match bit for bit. */
#include "power_bus.h"
#include "state_test_util.h"

#define K_STEPS 90
#define N_STEPS 140

static double demand_at(long k)
{
    /* Swings across the array output so storage both charges and discharges. */
    double d = 5e4 + 4e5 * (1.0 + sin(0.37 * (double)k));
    if (k % 17 == 3) d += 2.5e6; /* a spike beyond the discharge limit: unmet demand */
    return d;
}

static void grow(lsim_power_bus *bus, long k)
{
    if (k % 45 == 30) lsim_power_add_array(bus, 2.0e5 + 1e3 * (double)k);
    if (k % 60 == 55) lsim_power_add_storage(bus, 3.6e9, 1.0e5, 5.0e4);
}

/* The struct with what is not state (the registry pointer) cleared. */
static lsim_power_bus comparable(const lsim_power_bus *bus)
{
    lsim_power_bus c = *bus;
    c.series = NULL;
    return c;
}

int main(void)
{
    lsim_params *params = stt_params(lsim_power_param_defs, lsim_power_param_count);
    stt_set(params, "power", "phase_offset", 0.3);
    stt_set(params, "power", "storage_capacity", 4.0 * 3.6e9);
    stt_set(params, "power", "initial_charge", 0.5);
    stt_set(params, "power", "degradation_per_year", 0.05);
    const double dt = 6.0 * 3600.0; /* 25 d before the checkpoint: lit and dark spells */

    lsim_series_registry *ra = stt_series(), *rb = stt_series();
    lsim_power_bus a, b;
    LSIM_CHECK(lsim_power_init(&a, params, ra) == LSIM_OK, "init A: %s", lsim_last_error());
    LSIM_CHECK(lsim_power_init(&b, params, rb) == LSIM_OK, "init B: %s", lsim_last_error());

    lsim_clock clock = stt_clock(dt);
    int charged = 0, discharged = 0, unmet = 0;
    for (long k = 0; k < K_STEPS; ++k) {
        clock.step = k;
        grow(&a, k);
        (void)lsim_power_available(&a, &clock);
        lsim_power_step(&a, &clock, demand_at(k));
        charged |= a.charged > 0.0;
        discharged |= a.discharged > 0.0;
        unmet |= a.unmet > 0.0;
        stt_close_row(ra, &clock);
        lsim_series_drain(ra);
    }
    LSIM_CHECK(charged && discharged && unmet, "the first K steps should charge, discharge and leave demand unmet");
    lsim_power_bus fa = comparable(&a), fb = comparable(&b);
    LSIM_CHECK(memcmp(&fa, &fb, sizeof fa) != 0, "after K steps A must differ from a fresh bus (else the test is empty)");

    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(lsim_power_state(&a, saver) == LSIM_OK, "save: %s", lsim_last_error());
    lsim_state *loader = stt_round_trip(saver, "state_power.ckpt", K_STEPS);
    LSIM_CHECK(lsim_power_state(&b, loader) == LSIM_OK, "load: %s", lsim_last_error());
    lsim_state_free(loader);
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "bus right after load");

    int rows_same = 1;
    for (long k = K_STEPS; k < K_STEPS + N_STEPS; ++k) {
        clock.step = k;
        grow(&a, k);
        grow(&b, k);
        double avail_a = lsim_power_available(&a, &clock), avail_b = lsim_power_available(&b, &clock);
        STT_CHECK_SAME_F64(avail_a, avail_b, "available power");
        double da = lsim_power_step(&a, &clock, demand_at(k));
        double db = lsim_power_step(&b, &clock, demand_at(k));
        STT_CHECK_SAME_F64(da, db, "delivered power");
        stt_close_row(ra, &clock);
        stt_close_row(rb, &clock);
        rows_same &= stt_same_rows(ra, rb, k);
    }
    LSIM_CHECK(rows_same, "every series row after the restart must match bit for bit");
    fa = comparable(&a);
    fb = comparable(&b);
    STT_CHECK_SAME_BYTES(&fa, &fb, sizeof fa, "bus after N more steps");

    lsim_power_free(&a);
    lsim_power_free(&b);
    lsim_series_free(ra);
    lsim_series_free(rb);
    lsim_params_free(params);
    remove("state_power.ckpt");
    LSIM_TEST_MAIN_END();
}
