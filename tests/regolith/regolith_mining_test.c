/* Mining and power: RASSOR 2.0's daily mass, energy = mass x specific energy,
 * linear throttling by the power grant, the mass cap, series, growth and
 * attrition of the fleet. */
#include <math.h>
#include <string.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"

#define RASSOR2_KG_PER_DAY 2779.0 /* docs/REFERENCES.md [Mueller2015]: RASSOR 2.0 */
#define DIG_J_PER_KG (4.0 * 3.6e6 / 1000.0) /* 4 kWh/t */

int main(void)
{
    const double hour = 3600.0;

    /* --- one RASSOR 2.0 over a day, hourly steps --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        regolith_test_set(p, "initial_excavators", 1);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 1);
        lsim_clock c = regolith_test_clock(hour);
        double total = 0.0, energy_total = 0.0;
        for (int k = 0; k < 24; ++k) {
            double demand = lsim_regolith_power_demand(&m, &c, INFINITY);
            double mined = 0, energy = 0;
            double used = lsim_regolith_step(&m, &c, demand, INFINITY, &mined, &energy);
            LSIM_CHECK(energy == mined * m.specific_energy, "energy is exactly mass x specific energy");
            LSIM_CHECK(used <= demand, "never draws more than granted (%.17g > %.17g)", used, demand);
            total += mined;
            energy_total += energy;
            lsim_series_end_step(s, hour);
            c.step++;
        }
        LSIM_CHECK_CLOSE(total, RASSOR2_KG_PER_DAY, 1e-14, 0, "24 additions of 2779/24 kg: a few ulp");
        LSIM_CHECK_CLOSE(energy_total, RASSOR2_KG_PER_DAY * m.specific_energy, 1e-14, 0, "same sums times e");
        /* Specific energy: 4 kWh/t digging plus haul c g d (2 m_v + m_p) / m_p / eta, by hand. */
        double haul = 0.1 * 1.62 * 100.0 * (2.0 * 66.0 + 20.0) / 20.0 / 0.5;
        LSIM_CHECK_CLOSE(m.specific_energy, DIG_J_PER_KG + haul, 1e-15, 0, "defaults: dig 14,400 + haul 246.24 J/kg");
        LSIM_CHECK_CLOSE(m.unit_lunar_mass, 0.7 * 66.0, 1e-15, 0, "70% of 66 kg lunar-made");
        LSIM_CHECK_CLOSE(m.unit_lunar_mass + m.unit_earth_mass, 66.0, 1e-15, 0, "unit mass split closes");
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }

    /* --- a single one-day step reproduces 2,779 kg; no haul: e = 4 kWh/t exactly --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        regolith_test_set(p, "initial_excavators", 1);
        regolith_test_set(p, "haul_distance", 0.0);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 1);
        lsim_clock c = regolith_test_clock(86400.0);
        double mined = 0, energy = 0;
        lsim_regolith_step(&m, &c, INFINITY, INFINITY, &mined, &energy);
        LSIM_CHECK_CLOSE(mined, RASSOR2_KG_PER_DAY, 2e-16, 0, "(2779/86400) x 86400: one rounding each way");
        LSIM_CHECK(m.specific_energy == DIG_J_PER_KG, "no haul: e is RASSOR's 14,400 J/kg (got %.17g)",
                   m.specific_energy);
        LSIM_CHECK_CLOSE(energy, RASSOR2_KG_PER_DAY * 4.0 * 3.6e6 / 1000.0, 1e-15, 0,
                         "2.779 t x 4 kWh/t = 11.1 kWh");
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }

    /* --- reduced power scales mining linearly; energy exact; never above the grant --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        regolith_test_set(p, "initial_excavators", 10);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 1);
        lsim_clock c = regolith_test_clock(hour);
        double demand = lsim_regolith_power_demand(&m, &c, INFINITY);
        LSIM_CHECK_CLOSE(demand, 10.0 * (RASSOR2_KG_PER_DAY / 86400.0) * m.specific_energy, 1e-15, 0,
                         "demand = operating x rate x e");
        double full_mass = 0, full_energy = 0;
        lsim_regolith_step(&m, &c, demand, INFINITY, &full_mass, &full_energy);
        c.step++;
        const double fractions[] = {0.0, 1e-9, 0.1, 0.37, 0.5, 0.999};
        for (size_t i = 0; i < sizeof fractions / sizeof fractions[0]; ++i) {
            double grant = fractions[i] * demand, mined = -1, energy = -1;
            double used = lsim_regolith_step(&m, &c, grant, INFINITY, &mined, &energy);
            c.step++;
            LSIM_CHECK(used <= grant, "power used %.17g above grant %.17g", used, grant);
            LSIM_CHECK(energy == mined * m.specific_energy, "energy is exactly mass x specific energy");
            LSIM_CHECK_CLOSE(mined, fractions[i] * full_mass, 1e-14, 0,
                             "linear throttling: a few roundings plus at most a few ulp shaved off the duty");
            LSIM_CHECK_CLOSE(used, grant, 1e-14, 0, "uses all it was granted up to rounding");
        }
        /* Over-granting uses only the demand. */
        double mined = 0;
        double used = lsim_regolith_step(&m, &c, 3.0 * demand, INFINITY, &mined, NULL);
        c.step++;
        LSIM_CHECK_CLOSE(used, demand, 1e-15, 0, "a grant above demand draws the demand");
        LSIM_CHECK_CLOSE(mined, full_mass, 1e-15, 0, "full rate");
        /* Mass cap from the chain (stockpile nearly full). */
        double cap = 0.25 * full_mass;
        LSIM_CHECK_CLOSE(lsim_regolith_power_demand(&m, &c, cap), 0.25 * demand, 1e-15, 0, "capped demand");
        used = lsim_regolith_step(&m, &c, demand, cap, &mined, NULL);
        c.step++;
        LSIM_CHECK(mined <= cap, "mass cap respected (%.17g > %.17g)", mined, cap);
        LSIM_CHECK_CLOSE(mined, cap, 1e-15, 0, "mines up to the cap");

        /* The series carry this step: close an interval and read it back. */
        lsim_series_end_step(s, hour);
        lsim_series_end_interval(s, lsim_clock_time(&c));
        LSIM_CHECK_CLOSE(lsim_series_last_value(s, m.sid_mining_rate), mined / hour, 1e-15, 0, "mining_rate");
        LSIM_CHECK_CLOSE(lsim_series_last_value(s, m.sid_power), used, 1e-15, 0, "power_draw");
        LSIM_CHECK_CLOSE(lsim_series_last_value(s, m.sid_volume_rate), mined / 1500.0 / hour, 1e-15, 0,
                         "excavated_volume_rate = mass rate / bulk density");
        LSIM_CHECK(lsim_series_last_value(s, m.sid_availability) == 1.0, "no failures: availability 1");
        LSIM_CHECK(lsim_series_last_value(s, m.sid_total) == 10.0, "10 excavators");
        LSIM_CHECK(lsim_series_last_value(s, m.sid_specific_energy) == m.specific_energy, "specific_energy");
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }

    /* --- growth: doubling, no realloc within capacity, fractional units carried --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        regolith_test_set(p, "initial_excavators", 10);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 1);
        lsim_clock c = regolith_test_clock(hour);
        size_t cap = m.capacity;
        double *age_block = m.age;
        LSIM_CHECK(cap == 16, "initial capacity 16, got %zu", cap);
        LSIM_CHECK(lsim_regolith_add_excavators(&m, 6.0, &c) == LSIM_OK, "add 6");
        LSIM_CHECK(m.capacity == 16 && m.age == age_block, "no reallocation within capacity");
        LSIM_CHECK(lsim_regolith_add_excavators(&m, 1.0, &c) == LSIM_OK, "add 1");
        LSIM_CHECK(m.capacity == 32, "capacity doubles to 32, got %zu", m.capacity);
        LSIM_CHECK(lsim_regolith_add_excavators(&m, 0.5, &c) == LSIM_OK && m.count == 17, "half a unit waits");
        LSIM_CHECK(lsim_regolith_add_excavators(&m, 0.5, &c) == LSIM_OK && m.count == 18, "two halves make one");
        LSIM_CHECK(lsim_regolith_add_excavators(&m, -1.0, &c) == LSIM_ERR_INPUT, "negative count rejected");
        LSIM_CHECK(m.n_operating == 18 && m.unit_id[17] == 17, "new units operate with fresh serial numbers");
        LSIM_CHECK(lsim_regolith_add_excavators(&m, 1000.0, &c) == LSIM_OK && m.capacity == 1024,
                   "geometric growth to 1024, got %zu", m.capacity);
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }

    /* --- attrition: wear-out retirement after max_life frees the slots --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        regolith_test_set(p, "initial_excavators", 8);
        regolith_test_set(p, "repair_mean", 1.0 * hour);
        regolith_test_set(p, "max_life", 10.0 * hour);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 1);
        lsim_clock c = regolith_test_clock(hour);
        for (int k = 0; k < 9; ++k, c.step++) lsim_regolith_step(&m, &c, INFINITY, INFINITY, NULL, NULL);
        LSIM_CHECK(lsim_regolith_alive(&m) == 8, "alive before the end of life");
        /* Half power: the 10th hour of operation takes two steps. */
        lsim_regolith_step(&m, &c, 0.5 * lsim_regolith_power_demand(&m, &c, INFINITY), INFINITY, NULL, NULL);
        c.step++;
        LSIM_CHECK(lsim_regolith_alive(&m) == 8, "life counts operating time, not calendar time");
        lsim_regolith_step(&m, &c, INFINITY, INFINITY, NULL, NULL);
        c.step++;
        LSIM_CHECK(lsim_regolith_alive(&m) == 0 && m.count == 0, "all retired and slots freed (count %zu)", m.count);
        LSIM_CHECK(m.total_retired == 8, "8 retirements, got %ld", m.total_retired);
        double mined = -1;
        lsim_regolith_step(&m, &c, INFINITY, INFINITY, &mined, NULL);
        LSIM_CHECK(mined == 0.0, "an empty fleet mines nothing");
        LSIM_CHECK(lsim_regolith_add_excavators(&m, 3.0, &c) == LSIM_OK && m.n_operating == 3, "rebuilt fleet");
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }

    /* --- attrition by repair count: with max_repairs = 1 each unit fails
     *     exactly twice (one repair, then scrapped) --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_no_failures(p);
        const long fleet = 200;
        regolith_test_set(p, "initial_excavators", (double)fleet);
        regolith_test_set(p, "random_scale", 2.0 * hour);
        regolith_test_set(p, "repair_mean", 2.0 * hour);
        regolith_test_set(p, "max_repairs", 1);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 9);
        lsim_clock c = regolith_test_clock(hour);
        long failures = 0, retirements = 0;
        for (int k = 0; k < 2000 && lsim_regolith_alive(&m) > 0; ++k, c.step++) {
            lsim_regolith_step(&m, &c, INFINITY, INFINITY, NULL, NULL);
            failures += m.last_failures;
            retirements += m.last_retirements;
            LSIM_CHECK(lsim_regolith_alive(&m) == fleet - m.total_retired, "census closes: alive %ld, retired %ld",
                       lsim_regolith_alive(&m), m.total_retired);
        }
        LSIM_CHECK(lsim_regolith_alive(&m) == 0, "all scrapped after their second failure");
        LSIM_CHECK(failures == 2 * fleet, "each unit fails exactly twice: %ld != %ld", failures, 2 * fleet);
        LSIM_CHECK(retirements == fleet && m.total_retired == fleet, "each unit retired once");
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }

    /* --- inconsistent parameters are input errors naming them --- */
    {
        lsim_params *p = regolith_test_params();
        regolith_test_set(p, "max_life", 3600.0);
        regolith_test_set(p, "repair_mean", 7200.0);
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        LSIM_CHECK(lsim_regolith_init(&m, p, s, 1) == LSIM_ERR_INPUT, "max_life < repair_mean rejected");
        LSIM_CHECK(strstr(lsim_last_error(), "regolith.max_life") && strstr(lsim_last_error(), "regolith.repair_mean"),
                   "message names both parameters: %s", lsim_last_error());
        lsim_series_free(s);
        lsim_params_free(p);
    }
    LSIM_TEST_MAIN_END();
}
