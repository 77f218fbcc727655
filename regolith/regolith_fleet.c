/* The excavator fleet: init, the per-step agent update, growth and attrition. */
#include "regolith.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datapath.h"
#include "dig_energy.h"
#include "fleet_model.h"
#include "log.h"
#include "rng.h"

/* Lunar gravity, docs/REFERENCES.md [MoonFactSheet]. */
#define LSIM_REGOLITH_LUNAR_GRAVITY 1.62

/* Below this many agents a parallel region costs more than it saves. */
#define LSIM_REGOLITH_OMP_THRESHOLD 4096

/* --- reliability --- */

static double weibull_piece(double shape, double scale, double t)
{
    if (!(scale > 0.0) || t <= 0.0) return 0.0;
    double x = t / scale;
    /* The common shapes skip pow(), which dominates the agent update. */
    if (shape == 1.0) return x;
    if (shape == 0.5) return sqrt(x);
    if (shape == 2.0) return x * x;
    if (shape == 3.0) return x * x * x;
    return pow(x, shape);
}

double lsim_regolith_cumulative_hazard(const double shape[LSIM_REGOLITH_HAZARD_PIECES],
                                       const double scale[LSIM_REGOLITH_HAZARD_PIECES], double t)
{
    double h = 0.0;
    for (int k = 0; k < LSIM_REGOLITH_HAZARD_PIECES; ++k) h += weibull_piece(shape[k], scale[k], t);
    return h;
}

static double draw_repair_time(const lsim_regolith *m, uint64_t unit, uint32_t step)
{
    if (m->repair_law == LSIM_REGOLITH_REPAIR_LOGNORMAL) {
        double s = m->repair_log_sigma;
        /* mu chosen so the mean (not the median) is repair_mean. */
        double mu = log(m->repair_mean) - 0.5 * s * s;
        return exp(mu + s * lsim_rng_normal(m->seed, LSIM_STREAM_REGOLITH_REPAIR, unit, step));
    }
    return -m->repair_mean * log(lsim_rng_uniform_open0(m->seed, LSIM_STREAM_REGOLITH_REPAIR, unit, step, 0));
}

/* --- storage --- */

lsim_status lsim_regolith_reserve(lsim_regolith *m, size_t needed)
{
    if (needed <= m->capacity) return LSIM_OK;
    size_t cap = m->capacity ? m->capacity : 16;
    while (cap < needed) cap *= 2;
    /* Each realloc keeps the old block valid on failure, so the fleet stays consistent. */
#define LSIM_GROW(field)                                                                       \
    do {                                                                                       \
        void *p = realloc(m->field, cap * sizeof *m->field);                                   \
        if (!p) return lsim_fail(LSIM_ERR_RUN, "regolith: out of memory for %zu excavators", cap); \
        m->field = p;                                                                          \
    } while (0)
    LSIM_GROW(state);
    LSIM_GROW(age);
    LSIM_GROW(virtual_age);
    LSIM_GROW(cumulative_hazard);
    LSIM_GROW(repair_remaining);
    LSIM_GROW(repair_count);
    LSIM_GROW(unit_id);
#undef LSIM_GROW
    m->capacity = cap;
    return LSIM_OK;
}

/* Removes retired agents, keeping the order of the rest. Serial and in index
 * order, so it is the same for every thread count; draws follow unit_id, not
 * the slot, so moving agents does not change their random numbers. */
static void compact(lsim_regolith *m)
{
    size_t w = 0;
    for (size_t i = 0; i < m->count; ++i) {
        if (m->state[i] == LSIM_REGOLITH_RETIRED) continue;
        if (w != i) {
            m->state[w] = m->state[i];
            m->age[w] = m->age[i];
            m->virtual_age[w] = m->virtual_age[i];
            m->cumulative_hazard[w] = m->cumulative_hazard[i];
            m->repair_remaining[w] = m->repair_remaining[i];
            m->repair_count[w] = m->repair_count[i];
            m->unit_id[w] = m->unit_id[i];
        }
        ++w;
    }
    m->count = w;
    m->n_retired_in_place = 0;
}

lsim_status lsim_regolith_add_excavators(lsim_regolith *m, double count, const lsim_clock *clock)
{
    if (!isfinite(count) || count < 0.0)
        return lsim_fail(LSIM_ERR_INPUT, "regolith: cannot add %g excavators", count);
    double wanted = m->pending_units + count;
    double whole = floor(wanted);
    if (whole > 1.0e9) return lsim_fail(LSIM_ERR_INPUT, "regolith: cannot add %g excavators at once", count);
    if (whole == 0.0) {
        m->pending_units = wanted - whole;
        return LSIM_OK;
    }
    /* built at the start of the step they are added in */
    lsim_status st = m->fleet_model->add(m, whole, clock ? lsim_clock_time(clock) : 0.0);
    if (st != LSIM_OK) return st;
    m->pending_units = wanted - whole;
    m->n_operating += (long)whole;
    m->total_built += (long)whole;
    return LSIM_OK;
}

lsim_status lsim_regolith_fleet_agents_init(lsim_regolith *m)
{
    (void)m;
    return LSIM_OK;
}

/* New units start with age 0; their draws depend on unit_id and the step. */
lsim_status lsim_regolith_fleet_agents_add(lsim_regolith *m, double units, double now)
{
    (void)now;
    size_t n = (size_t)units;
    if (m->n_retired_in_place > 0) compact(m);
    lsim_status st = lsim_regolith_reserve(m, m->count + n);
    if (st != LSIM_OK) return st;
    double h0 = lsim_regolith_cumulative_hazard(m->hazard_shape, m->hazard_scale, 0.0);
    for (size_t i = m->count; i < m->count + n; ++i) {
        m->state[i] = LSIM_REGOLITH_OPERATING;
        m->age[i] = 0.0;
        m->virtual_age[i] = 0.0;
        m->cumulative_hazard[i] = h0;
        m->repair_remaining[i] = 0.0;
        m->repair_count[i] = 0;
        m->unit_id[i] = m->next_unit_id++;
    }
    m->count += n;
    return LSIM_OK;
}

long lsim_regolith_alive(const lsim_regolith *m) { return m->n_operating + m->n_failed + m->n_under_repair; }

double lsim_regolith_capacity(const lsim_regolith *m, const lsim_clock *clock)
{
    return (double)m->n_operating * m->design.capacity_per_unit * clock->dt;
}

/* --- init --- */

/* The fields older callers read, copied once from the design. */
static void copy_legacy_figures(lsim_regolith *m)
{
    const lsim_regolith_design *d = &m->design;
    memcpy(m->site_id, d->site_id, sizeof m->site_id);
    memcpy(m->element_fraction, d->element_fraction, sizeof m->element_fraction);
    m->bulk_density = d->bulk_density;
    m->rate_per_unit = d->capacity_per_unit;
    m->dig_specific_energy = d->dig_specific_energy;
    m->haul_specific_energy = d->haul_specific_energy;
    m->specific_energy = d->specific_energy;
    m->unit_mass = d->unit_mass;
    m->unit_lunar_mass = d->unit_lunar_mass;
    m->unit_earth_mass = d->unit_earth_mass;
}

static int choice_index(const char *value, const char *const *words, int n)
{
    for (int i = 0; i < n; ++i)
        if (strcmp(value, words[i]) == 0) return i;
    return -1;
}

lsim_status lsim_regolith_init(lsim_regolith *m, const lsim_params *params, lsim_series_registry *series,
                               uint64_t seed)
{
    memset(m, 0, sizeof *m);
    m->seed = seed;
    m->series = series;

    /* site */
    const char *site = lsim_param_text(params, "regolith", "site");
    const char *table = lsim_param_text(params, "regolith", "site_table");
    static const char *const remainder_words[] = {"other", "renormalise"};
    int remainder = choice_index(lsim_param_text(params, "regolith", "remainder_treatment"), remainder_words, 2);
    if (remainder < 0)
        return lsim_fail(LSIM_ERR_INPUT, "regolith.remainder_treatment: expected other or renormalise");
    char path[1024];
    lsim_status st = lsim_data_path(table, lsim_param_where(params, "regolith", "site_table"), path, sizeof path);
    if (st != LSIM_OK) return st;
    lsim_regolith_site row;
    st = lsim_regolith_read_site(path, site, &row);
    if (st != LSIM_OK) return st;
    lsim_regolith_design *d = &m->design;
    snprintf(d->site_id, sizeof d->site_id, "%s", row.id);
    lsim_regolith_oxides_to_elements(row.oxide_wt_percent, (lsim_regolith_remainder)remainder, d->element_fraction);
    double listed = 0.0;
    for (int k = 0; k < LSIM_REGOLITH_OXIDE_COUNT; ++k) listed += row.oxide_wt_percent[k];
    if (listed > 100.0 && remainder == LSIM_REGOLITH_REMAINDER_OTHER)
        lsim_log(LSIM_LOG_WARN,
                 "regolith: site '%s' oxides sum to %.2f wt%% (> 100, analytical closure): renormalised, no "
                 "minor-oxide remainder",
                 row.id, listed);
    d->bulk_density = lsim_param_real(params, "regolith", "bulk_density");

    /* one excavator */
    d->capacity_per_unit = lsim_param_real(params, "regolith", "excavation_rate");
    d->unit_mass = lsim_param_real(params, "regolith", "excavator_mass");
    double lunar_fraction = lsim_param_real(params, "regolith", "lunar_made_fraction");
    d->unit_lunar_mass = lunar_fraction * d->unit_mass;
    d->unit_earth_mass = d->unit_mass - d->unit_lunar_mass;
    {
        /* Haul loaded one way and empty back: per trip c g d (m_v + m_p) + c g d m_v
         * of work at the wheels, spread over the payload and divided by the
         * drive efficiency. */
        double dist = lsim_param_real(params, "regolith", "haul_distance");
        double c = lsim_param_real(params, "regolith", "haul_rolling_resistance");
        double payload = lsim_param_real(params, "regolith", "haul_payload");
        double eff = lsim_param_real(params, "regolith", "drive_efficiency");
        double wheel_work_per_trip = c * LSIM_REGOLITH_LUNAR_GRAVITY * dist * (2.0 * d->unit_mass + payload);
        d->haul_specific_energy = wheel_work_per_trip / payload / eff;
    }
    d->initial_excavators = lsim_param_int(params, "regolith", "initial_excavators");

    /* reliability */
    m->hazard_shape[LSIM_REGOLITH_INFANT] = lsim_param_real(params, "regolith", "infant_shape");
    m->hazard_scale[LSIM_REGOLITH_INFANT] = lsim_param_real(params, "regolith", "infant_scale");
    m->hazard_shape[LSIM_REGOLITH_RANDOM] = 1.0;
    m->hazard_scale[LSIM_REGOLITH_RANDOM] = lsim_param_real(params, "regolith", "random_scale");
    m->hazard_shape[LSIM_REGOLITH_WEAROUT] = lsim_param_real(params, "regolith", "wearout_shape");
    m->hazard_scale[LSIM_REGOLITH_WEAROUT] = lsim_param_real(params, "regolith", "wearout_scale");
    static const char *const repair_words[] = {"exponential", "lognormal"};
    m->repair_law = choice_index(lsim_param_text(params, "regolith", "repair_distribution"), repair_words, 2);
    if (m->repair_law < 0)
        return lsim_fail(LSIM_ERR_INPUT, "regolith.repair_distribution: expected exponential or lognormal");
    m->repair_mean = lsim_param_real(params, "regolith", "repair_mean");
    m->repair_log_sigma = lsim_param_real(params, "regolith", "repair_log_sigma");
    m->repair_delay = lsim_param_real(params, "regolith", "repair_delay");
    m->repair_age_restoration = lsim_param_real(params, "regolith", "repair_age_restoration");
    m->max_life = lsim_param_real(params, "regolith", "max_life");
    m->max_repairs = lsim_param_int(params, "regolith", "max_repairs");

    /* A unit that is scrapped for wear before infant mortality is over, or one
     * whose life is spent waiting, says the numbers were mistyped. */
    if (m->max_life > 0.0 && m->max_life < m->repair_mean && m->repair_mean < 1.0e29)
        return lsim_fail(LSIM_ERR_INPUT,
                         "regolith.max_life (%g s) is shorter than regolith.repair_mean (%g s): a unit would be "
                         "retired before one repair",
                         m->max_life, m->repair_mean);
    if (m->hazard_scale[LSIM_REGOLITH_WEAROUT] > 0.0 && m->hazard_scale[LSIM_REGOLITH_INFANT] > 0.0 &&
        m->hazard_scale[LSIM_REGOLITH_INFANT] < 1.0e-6 * m->hazard_scale[LSIM_REGOLITH_WEAROUT])
        return lsim_fail(LSIM_ERR_INPUT,
                         "regolith.infant_scale (%g s) is below 1e-6 of regolith.wearout_scale (%g s): infant "
                         "mortality would dominate the whole life; check the units",
                         m->hazard_scale[LSIM_REGOLITH_INFANT], m->hazard_scale[LSIM_REGOLITH_WEAROUT]);

    /* The fleet model, and for cohorts the cohort fleet with the same hazard:
     * exponential repair of mean repair_mean + repair_delay, every failure
     * repaired (max_repairs is the agents' alone), minimal repair only. */
    const char *fleet_word = lsim_param_text(params, "regolith", "fleet_model");
    m->fleet_model = lsim_regolith_fleet_model_find(fleet_word);
    LSIM_ASSERT(m->fleet_model, "regolith.fleet_model '%s' passed the registry but is not one of %s",
                fleet_word ? fleet_word : "(null)", LSIM_VARIANT_CHOICES(LSIM_REGOLITH_FLEET_MODELS));
    if (strcmp(m->fleet_model->head.name, "cohorts") == 0) {
        if (m->repair_age_restoration > 0.0)
            return lsim_fail(LSIM_ERR_INPUT,
                             "regolith.repair_age_restoration = %g with regolith.fleet_model = cohorts, expected 0 "
                             "(cohorts keep one age per cohort: minimal repair only)",
                             m->repair_age_restoration);
        lsim_cohort_config cc;
        memset(&cc, 0, sizeof cc);
        for (int k = 0; k < LSIM_HAZARD_PIECES; ++k) {
            cc.hazard.shape[k] = m->hazard_shape[k];
            cc.hazard.scale[k] = m->hazard_scale[k];
        }
        cc.repair_share = 1.0;
        cc.repair_mean_time = m->repair_mean + m->repair_delay;
        cc.max_life = m->max_life;
        cc.cohort_interval = lsim_param_real(params, "regolith", "cohort_interval");
        cc.wear_interval = lsim_param_real(params, "regolith", "wear_interval");
        cc.seed = seed;
        cc.stream = LSIM_STREAM_REGOLITH_FAILURE + 0x10;
        st = lsim_cohort_init(&m->cohorts, &cc, "regolith excavator cohorts", 0.0);
        if (st != LSIM_OK) return st;
    }
    st = m->fleet_model->init(m);
    if (st != LSIM_OK) return st;

    /* Digging energy from the chosen model, last: the deck is known to be
     * sound before a model that may take a second runs. */
    const char *dig_word = lsim_param_text(params, "regolith", "dig_energy_model");
    m->dig_model = lsim_regolith_dig_model_find(dig_word);
    /* The registry refuses any word not in the list the table is built from. */
    LSIM_ASSERT(m->dig_model, "regolith.dig_energy_model '%s' passed the registry but is not one of %s",
                dig_word ? dig_word : "(null)", LSIM_VARIANT_CHOICES(LSIM_REGOLITH_DIG_MODELS));
    st = m->dig_model->design(params, &d->dig, &m->dig_state);
    if (st != LSIM_OK) {
        lsim_regolith_free(m);
        return st;
    }
    d->dig_model = m->dig_model->head.name;
    d->dig_specific_energy = d->dig.specific_energy;
    d->specific_energy = d->dig_specific_energy + d->haul_specific_energy;
    d->power_per_unit = d->capacity_per_unit * d->specific_energy;
    copy_legacy_figures(m);

    /* series */
    const char *g = "regolith";
    m->sid_mining_rate = lsim_series_add(series, g, "mining_rate", "kg s-1", "regolith excavated", LSIM_SERIES_FLOW);
    m->sid_volume_rate = lsim_series_add(series, g, "excavated_volume_rate", "m3 s-1",
                                         "in-place volume of regolith excavated", LSIM_SERIES_FLOW);
    m->sid_power = lsim_series_add(series, g, "power_draw", "W", "electrical power drawn by the fleet",
                                   LSIM_SERIES_FLOW);
    m->sid_total = lsim_series_add(series, g, "excavators_total", "1", "excavators alive (not retired)",
                                   LSIM_SERIES_STOCK);
    m->sid_operating = lsim_series_add(series, g, "excavators_operating", "1", "excavators able to dig",
                                       LSIM_SERIES_STOCK);
    m->sid_failed = lsim_series_add(series, g, "excavators_failed", "1",
                                    "excavators down (failed, awaiting or under repair)", LSIM_SERIES_STOCK);
    m->sid_under_repair = lsim_series_add(series, g, "excavators_under_repair", "1",
                                          "excavators being repaired (part of excavators_failed)",
                                          LSIM_SERIES_STOCK);
    m->sid_availability = lsim_series_add(series, g, "availability", "1",
                                          "operating excavators over excavators alive", LSIM_SERIES_STOCK);
    m->sid_failures = lsim_series_add(series, g, "failures", "s-1", "excavator failures per second",
                                      LSIM_SERIES_FLOW);
    m->sid_retirements = lsim_series_add(series, g, "retirements", "s-1", "excavators retired per second",
                                         LSIM_SERIES_FLOW);
    m->sid_specific_energy = lsim_series_add(series, g, "specific_energy", "J kg-1",
                                             "electrical energy per kg excavated (dig + haul)", LSIM_SERIES_STOCK);

    for (int e = 0; e < LSIM_EL_COUNT; ++e) {
        char name[64];
        snprintf(name, sizeof name, "mass_fraction_%s", lsim_element_symbol[e]);
        lsim_series_group_attr(series, g, name, d->element_fraction[e], "1");
    }
    lsim_series_group_attr(series, g, "bulk_density", d->bulk_density, "kg m-3");
    lsim_series_group_attr(series, g, "excavation_rate_per_unit", d->capacity_per_unit, "kg s-1");
    lsim_series_group_attr(series, g, "dig_specific_energy", d->dig_specific_energy, "J kg-1");
    lsim_series_group_attr(series, g, "haul_specific_energy", d->haul_specific_energy, "J kg-1");
    m->dig_model->attrs(&d->dig, m->dig_state, series);
    lsim_series_group_attr(series, g, "unit_mass", d->unit_mass, "kg");
    lsim_series_group_attr(series, g, "unit_lunar_mass", d->unit_lunar_mass, "kg");
    lsim_series_group_attr(series, g, "unit_earth_mass", d->unit_earth_mass, "kg");

    long initial = d->initial_excavators;
    if (m->fleet_model == lsim_regolith_fleet_model_find("agents"))
        st = lsim_regolith_reserve(m, (size_t)(initial > 16 ? initial : 16));
    if (st == LSIM_OK) st = lsim_regolith_add_excavators(m, (double)initial, NULL);
    if (st != LSIM_OK) {
        lsim_regolith_free(m);
        return st;
    }
    return LSIM_OK;
}

void lsim_regolith_element_fractions(const lsim_regolith *m, double out[LSIM_EL_COUNT])
{
    for (int e = 0; e < LSIM_EL_COUNT; ++e) out[e] = m->design.element_fraction[e];
}

const lsim_regolith_design *lsim_regolith_design_view(const lsim_regolith *m) { return &m->design; }

/* --- step --- */

double lsim_regolith_power_demand(const lsim_regolith *m, const lsim_clock *clock, double max_mass_kg)
{
    double full_mass = (double)m->n_operating * m->design.capacity_per_unit * clock->dt;
    double mass = full_mass < max_mass_kg ? full_mass : (max_mass_kg > 0.0 ? max_mass_kg : 0.0);
    return mass * m->design.specific_energy / clock->dt;
}

/* The duty every operating excavator runs at: full, or cut to the power
 * grant or the mass cap, whichever binds (named in *limit). Rounded down
 * until neither limit is exceeded by a single ulp, so the chain's energy
 * ledger closes. */
static double choose_duty(const lsim_regolith_design *d, double full_mass, double dt, double granted,
                          double max_mass, double *mined, double *energy, lsim_regolith_limit *limit)
{
    *mined = 0.0;
    *energy = 0.0;
    *limit = LSIM_REGOLITH_LIMIT_FLEET;
    if (!(full_mass > 0.0)) return 0.0;
    if (!(max_mass > 0.0)) {
        *limit = LSIM_REGOLITH_LIMIT_STOCKPILE;
        return 0.0;
    }
    double duty = 1.0;
    if (full_mass > max_mass) {
        duty = max_mass / full_mass;
        *limit = LSIM_REGOLITH_LIMIT_STOCKPILE;
    }
    double full_power = full_mass * d->specific_energy / dt;
    if (full_power > 0.0) {
        if (!(granted > 0.0)) {
            *limit = LSIM_REGOLITH_LIMIT_POWER;
            return 0.0;
        }
        if (duty * full_power > granted) {
            duty = granted / full_power;
            *limit = LSIM_REGOLITH_LIMIT_POWER;
        }
    }
    for (;;) {
        *mined = full_mass * duty;
        *energy = *mined * d->specific_energy;
        if ((*mined <= max_mass && *energy / dt <= granted) || duty == 0.0) break;
        if (*mined <= max_mass && full_power == 0.0) break;
        duty = nextafter(duty, 0.0);
    }
    if (duty == 0.0) {
        *mined = 0.0;
        *energy = 0.0;
    }
    return duty;
}

/* The agents' wear over one step: each operating unit's hazard clock runs
 * for the time it dug, then its failure is drawn; failed units wait the
 * repair delay, then a repair time; retirement at max_life of operation or
 * on the failure after max_repairs. */
void lsim_regolith_fleet_agents_wear(lsim_regolith *m, const lsim_clock *clock, double worked, long *failures_out,
                                     long *retirements_out, size_t *work)
{
    const double dt = clock->dt;
    const uint32_t step = (uint32_t)clock->step;
    const long n = (long)m->count;
    long n_operating = 0, n_failed = 0, n_under_repair = 0, n_retired = 0, failures = 0, retirements = 0;
    const double restoration = m->repair_age_restoration;
    const double max_life = m->max_life;
    const long max_repairs = m->max_repairs;
    const double delay = m->repair_delay;

    /* Counts are integers, so the OpenMP reduction is exact and the same for
     * any thread count; every agent's update depends only on its own state and
     * on draws keyed by (seed, stream, unit_id, step). */
#if defined(_OPENMP)
#pragma omp parallel for if(n > LSIM_REGOLITH_OMP_THRESHOLD) schedule(static) \
    reduction(+ : n_operating, n_failed, n_under_repair, n_retired, failures, retirements)
#endif
    for (long i = 0; i < n; ++i) {
        uint8_t s = m->state[i];
        switch (s) {
        case LSIM_REGOLITH_OPERATING:
            if (worked > 0.0) {
                double v1 = m->virtual_age[i] + worked;
                double h1 = lsim_regolith_cumulative_hazard(m->hazard_shape, m->hazard_scale, v1);
                double dh = h1 - m->cumulative_hazard[i];
                m->virtual_age[i] = v1;
                m->cumulative_hazard[i] = h1;
                m->age[i] += worked;
                /* P(fail in step | alive at its start) = 1 - exp(-(H(a+dt) - H(a))): exact for any dt. */
                int fails = dh > 0.0 &&
                            lsim_rng_uniform(m->seed, LSIM_STREAM_REGOLITH_FAILURE, m->unit_id[i], step, 0) <
                                -expm1(-dh);
                if (fails) {
                    ++failures;
                    if (max_repairs > 0 && (long)m->repair_count[i] >= max_repairs) {
                        s = LSIM_REGOLITH_RETIRED;
                    } else if (delay > 0.0) {
                        s = LSIM_REGOLITH_FAILED;
                        m->repair_remaining[i] = delay;
                    } else {
                        s = LSIM_REGOLITH_UNDER_REPAIR;
                        m->repair_remaining[i] = draw_repair_time(m, m->unit_id[i], step);
                        m->repair_count[i] += 1;
                    }
                }
                if (s != LSIM_REGOLITH_RETIRED && max_life > 0.0 && m->age[i] >= max_life) s = LSIM_REGOLITH_RETIRED;
                if (s == LSIM_REGOLITH_RETIRED) ++retirements;
            }
            break;
        case LSIM_REGOLITH_FAILED:
            m->repair_remaining[i] -= dt;
            if (m->repair_remaining[i] <= 0.0) {
                s = LSIM_REGOLITH_UNDER_REPAIR;
                m->repair_remaining[i] = draw_repair_time(m, m->unit_id[i], step);
                m->repair_count[i] += 1;
            }
            break;
        case LSIM_REGOLITH_UNDER_REPAIR:
            m->repair_remaining[i] -= dt;
            if (m->repair_remaining[i] <= 0.0) {
                s = LSIM_REGOLITH_OPERATING;
                m->repair_remaining[i] = 0.0;
                if (restoration > 0.0) {
                    m->virtual_age[i] *= 1.0 - restoration;
                    m->cumulative_hazard[i] =
                        lsim_regolith_cumulative_hazard(m->hazard_shape, m->hazard_scale, m->virtual_age[i]);
                }
            }
            break;
        default:
            break;
        }
        m->state[i] = s;
        n_operating += s == LSIM_REGOLITH_OPERATING;
        n_failed += s == LSIM_REGOLITH_FAILED;
        n_under_repair += s == LSIM_REGOLITH_UNDER_REPAIR;
        n_retired += s == LSIM_REGOLITH_RETIRED;
    }

    m->n_operating = n_operating;
    m->n_failed = n_failed;
    m->n_under_repair = n_under_repair;
    m->n_retired_in_place = n_retired;
    *failures_out = failures;
    *retirements_out = retirements;
    *work = (size_t)n;
    /* Compact lazily: a pass over all slots is worth it once an eighth are dead. */
    if (n_retired > 0 && (size_t)n_retired * 8 >= m->count) compact(m);

}

double lsim_regolith_advance(lsim_regolith *m, const lsim_clock *clock, double power_granted_W, double max_mass_kg,
                             lsim_regolith_step_result *result)
{
    const double dt = clock->dt;
    const long operable = m->n_operating;
    const double full_mass = (double)operable * m->design.capacity_per_unit * dt;
    double mined = 0.0, energy = 0.0;
    lsim_regolith_limit limit;
    const double duty = choose_duty(&m->design, full_mass, dt, power_granted_W, max_mass_kg, &mined, &energy, &limit);
    const double worked = duty * dt; /* operating time each digging unit accrues */

    long failures = 0, retirements = 0;
    size_t work = 0;
    m->fleet_model->wear(m, clock, worked, &failures, &retirements, &work);
    m->last_failures = failures;
    m->last_retirements = retirements;
    m->total_retired += retirements;

    long alive = lsim_regolith_alive(m);
    double power_used = energy / dt;
    lsim_series_registry *r = m->series;
    if (r) {
        lsim_series_put(r, m->sid_mining_rate, mined / dt);
        lsim_series_put(r, m->sid_volume_rate, mined / m->design.bulk_density / dt);
        lsim_series_put(r, m->sid_power, power_used);
        lsim_series_put(r, m->sid_total, (double)alive);
        lsim_series_put(r, m->sid_operating, (double)m->n_operating);
        lsim_series_put(r, m->sid_failed, (double)(m->n_failed + m->n_under_repair));
        lsim_series_put(r, m->sid_under_repair, (double)m->n_under_repair);
        lsim_series_put(r, m->sid_availability, alive > 0 ? (double)m->n_operating / (double)alive : 0.0);
        lsim_series_put(r, m->sid_failures, (double)failures / dt);
        lsim_series_put(r, m->sid_retirements, (double)retirements / dt);
        lsim_series_put(r, m->sid_specific_energy, m->design.specific_energy);
    }
    if (result) {
        result->mined_mass = mined;
        result->energy_used = energy;
        result->power_used = power_used;
        result->capacity_mass = full_mass;
        result->duty = duty;
        result->operable_excavators = operable;
        result->alive = alive;
        result->agent_slots = work;
        result->limit = limit;
    }
    return power_used;
}

double lsim_regolith_step(lsim_regolith *m, const lsim_clock *clock, double power_granted_W, double max_mass_kg,
                          double *mined_mass_kg, double *energy_used_J)
{
    lsim_regolith_step_result result;
    double power_used = lsim_regolith_advance(m, clock, power_granted_W, max_mass_kg, &result);
    if (mined_mass_kg) *mined_mass_kg = result.mined_mass;
    if (energy_used_J) *energy_used_J = result.energy_used;
    return power_used;
}

void lsim_regolith_free(lsim_regolith *m)
{
    if (m->dig_model) m->dig_model->free(m->dig_state);
    m->dig_state = NULL;
    lsim_regolith_fleet_agents_free(m);
    lsim_cohort_free(&m->cohorts);
}

void lsim_regolith_fleet_agents_free(lsim_regolith *m)
{
    free(m->state);
    free(m->age);
    free(m->virtual_age);
    free(m->cumulative_hazard);
    free(m->repair_remaining);
    free(m->repair_count);
    free(m->unit_id);
    m->state = NULL;
    m->age = m->virtual_age = m->cumulative_hazard = m->repair_remaining = NULL;
    m->repair_count = NULL;
    m->unit_id = NULL;
    m->count = m->capacity = 0;
}
